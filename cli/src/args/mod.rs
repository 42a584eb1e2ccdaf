//! The command line as clap reads it: the AWS CLI's global options, and one subcommand per
//! task, with their options ([`operation`]: made from the model table; [`sso`]: the sign-in
//! commands'; [`configure`]: `configure sso`'s). Nothing here reads a setting or runs anything.

use std::path::PathBuf;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use sso_oidc_cli_output::Format;

mod configure;
mod credentials;
mod operation;
mod sso;

pub(crate) use configure::{ConfigureArgs, ConfigureCommand, ConfigureSsoArgs};
pub(crate) use credentials::{ExportCredentialsArgs, ExportFormat};
pub(crate) use operation::{
    CreateTokenArgs, GetRoleCredentialsArgs, ListAccountRolesArgs, ListAccountsArgs, OperationArgs,
    Paging, RegisterClientArgs, Skeleton, StartDeviceAuthorizationArgs,
};
pub(crate) use sso::{
    CacheArgs, EmulatorArgs, LoginArgs, LogoutArgs, SessionArgs, SessionsArgs, TokenArgs,
};

/// Sign in to AWS IAM Identity Center with the device flow, and call the SSO OIDC service's
/// operations as `aws sso-oidc` does, and the SSO portal's as `aws sso` does.
#[derive(Debug, Parser)]
#[command(name = "sso-oidc", disable_version_flag = true, max_term_width = 100)]
pub(crate) struct Cli {
    /// The options every command takes.
    #[command(flatten)]
    pub(crate) global: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Option<Command>,
}

/// The AWS CLI's global options; each may come before or after the command. Help lists them
/// under their own heading, after the command's own options.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub(crate) struct GlobalArgs {
    /// Log every request and response to stderr, secrets masked.
    #[arg(long, global = true)]
    pub(crate) debug: bool,
    /// Send requests to this URL instead of the region's endpoint.
    #[arg(long, global = true, value_name = "URL")]
    pub(crate) endpoint_url: Option<String>,
    /// Do not verify TLS certificates (insecure: anyone on the path can read the tokens).
    #[arg(long, global = true)]
    pub(crate) no_verify_ssl: bool,
    /// Make a single call of a paginated operation (list-accounts, list-account-roles) and
    /// print that page as the service sent it, nextToken included.
    #[arg(long, global = true)]
    pub(crate) no_paginate: bool,
    /// Accepted for compatibility with AWS CLI v2: output is never sent to a pager.
    #[arg(long, global = true)]
    pub(crate) no_cli_pager: bool,
    /// The output format (default: the profile's `output`, else json).
    #[arg(long, global = true, value_parser = output_format())]
    pub(crate) output: Option<Format>,
    /// A JMESPath query applied to the response before it is printed.
    #[arg(long, global = true, value_name = "JMESPATH")]
    pub(crate) query: Option<String>,
    /// The profile in the config file to read settings from.
    #[arg(long, global = true, value_name = "NAME")]
    pub(crate) profile: Option<String>,
    /// The region to send requests to.
    #[arg(long, global = true, value_name = "REGION")]
    pub(crate) region: Option<String>,
    /// Print the version and exit.
    #[arg(long, global = true)]
    pub(crate) version: bool,
    /// Whether to color the output.
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    pub(crate) color: Color,
    /// Accepted for compatibility: this service's operations are never signed.
    #[arg(long, global = true)]
    pub(crate) no_sign_request: bool,
    /// A PEM file of CA certificates to trust, besides the system's.
    #[arg(long, global = true, value_name = "PATH")]
    pub(crate) ca_bundle: Option<PathBuf>,
    /// Seconds to wait for each read of a response (0: no limit; default 60).
    #[arg(long, global = true, value_name = "SECONDS")]
    pub(crate) cli_read_timeout: Option<u64>,
    /// Seconds to wait for a connection (0: no limit; default 60).
    #[arg(long, global = true, value_name = "SECONDS")]
    pub(crate) cli_connect_timeout: Option<u64>,
}

/// `--output`: the formats' names, listed with their help, read by `Format`'s own parser.
fn output_format() -> impl TypedValueParser<Value = Format> {
    PossibleValuesParser::new(Format::ALL.map(|format| {
        PossibleValue::new(format.as_str()).help(match format {
            Format::Json => "JSON, indented by four spaces",
            Format::Text => "Tab-separated values",
            Format::Table => "A table with borders",
        })
    }))
    .try_map(|name| name.parse::<Format>())
}

/// When to color the output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Color {
    /// Always.
    On,
    /// Never.
    Off,
    /// When stdout is a terminal.
    Auto,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Register a client (RegisterClient), as `aws sso-oidc register-client`.
    RegisterClient(RegisterClientArgs),
    /// Start a device authorization (StartDeviceAuthorization), as `aws sso-oidc
    /// start-device-authorization`.
    StartDeviceAuthorization(StartDeviceAuthorizationArgs),
    /// Ask for a token (CreateToken), as `aws sso-oidc create-token`.
    CreateToken(CreateTokenArgs),
    /// List the AWS accounts the signed-in user is assigned (ListAccounts), as `aws sso
    /// list-accounts`.
    ///
    /// Without --access-token, the profile's cached token is sent (as `sso-oidc token` prints
    /// it, refreshed first when due); the AWS CLI requires the option.
    ListAccounts(ListAccountsArgs),
    /// List the user's roles in an AWS account (ListAccountRoles), as `aws sso
    /// list-account-roles`.
    ///
    /// Without --access-token, the profile's cached token is sent (as `sso-oidc token` prints
    /// it, refreshed first when due); the AWS CLI requires the option.
    ListAccountRoles(ListAccountRolesArgs),
    /// Get short-term AWS credentials for a role (GetRoleCredentials), as `aws sso
    /// get-role-credentials`.
    ///
    /// Without --access-token, the profile's cached token is sent (as `sso-oidc token` prints
    /// it, refreshed first when due); the AWS CLI requires the option.
    GetRoleCredentials(GetRoleCredentialsArgs),
    /// Sign in and cache the token, as `aws sso login` (a browser, or a device code).
    Login(LoginArgs),
    /// Sign out: revoke each cached SSO token at the portal, then remove the tokens and the
    /// role credentials cached with them, as `aws sso logout`.
    ///
    /// Each token is revoked at the SSO portal of the region its file names (at
    /// --endpoint-url, AWS_ENDPOINT_URL_SSO or the profile's endpoint settings, if set); one
    /// with no region is only removed. A portal that refuses (an expired token) is no matter;
    /// one that cannot be reached is a warning, and the files go all the same. Prints nothing
    /// otherwise.
    Logout(LogoutArgs),
    /// List the cached SSO sign-ins: start URL, region, and how long each token and its
    /// refresh are good for.
    ///
    /// One entry per token file: the sso-session (or the start URL of a legacy profile) and
    /// the profiles that use it, the region, when the access token expires, and whether and
    /// until when it can be refreshed. No token or secret is shown. In --output (json unless
    /// set), after --query, sorted by session.
    Sessions(SessionsArgs),
    /// Print a valid access token from the cache, refreshing it first when due.
    Token(TokenArgs),
    /// Print the profile's AWS credentials, as `aws configure export-credentials`: for
    /// `credential_process` (the default format) or a shell.
    ExportCredentials(ExportCredentialsArgs),
    /// Set up a profile in the AWS config file (`configure sso`), as `aws configure`.
    Configure(ConfigureArgs),
    /// Run a local emulator of the SSO OIDC service until Ctrl-C.
    Emulator(EmulatorArgs),
}
