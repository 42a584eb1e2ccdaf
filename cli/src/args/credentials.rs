//! The options of `export-credentials`.

use clap::{Args, ValueEnum};

use crate::args::sso::CacheArgs;

/// `export-credentials`: the profile's AWS credentials, as `aws configure export-credentials`
/// prints them.
///
/// The credentials come from the AWS CLI's cache (~/.aws/cli/cache) while they have 15
/// minutes left; else from the SSO portal with the profile's cached token (refreshed first when
/// due), and are cached for the next call. Many calls at once make one request between them.
/// In ~/.aws/config, `credential_process = sso-oidc export-credentials --profile dev` gives
/// them to every AWS SDK and tool.
#[derive(Debug, Args)]
pub(crate) struct ExportCredentialsArgs {
    /// How to print them.
    #[arg(long, value_enum, default_value_t = ExportFormat::Process)]
    pub(crate) format: ExportFormat,
    /// Where the token is cached.
    #[command(flatten)]
    pub(crate) cache: CacheArgs,
}

/// The output formats of `aws configure export-credentials`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ExportFormat {
    /// JSON in the schema `credential_process` expects: `{"Version": 1, "AccessKeyId": ...}`.
    Process,
    /// Exported shell variables: `export AWS_ACCESS_KEY_ID=EXAMPLE`.
    Env,
    /// Shell variables, not exported: `AWS_ACCESS_KEY_ID=EXAMPLE`.
    EnvNoExport,
    /// PowerShell environment variables: `$Env:AWS_ACCESS_KEY_ID="EXAMPLE"`.
    Powershell,
    /// Windows cmd environment variables: `set AWS_ACCESS_KEY_ID=EXAMPLE`.
    WindowsCmd,
    /// Fish shell variables: `set -gx AWS_ACCESS_KEY_ID "EXAMPLE"`.
    Fish,
}
