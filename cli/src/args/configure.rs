//! The options of `configure sso`: one per question it asks, and the sign-in's.

use clap::{Args, Subcommand};

use crate::args::CacheArgs;

/// `configure`: write settings to the AWS config file.
#[derive(Debug, Args)]
pub(crate) struct ConfigureArgs {
    /// What to configure.
    #[command(subcommand)]
    pub(crate) command: ConfigureCommand,
}

/// What `configure` sets up.
#[derive(Debug, Subcommand)]
pub(crate) enum ConfigureCommand {
    /// Set up a profile that gets AWS credentials through IAM Identity Center, as `aws
    /// configure sso`: sign in, choose an account and a role, write the profile and its
    /// sso-session to the config file.
    ///
    /// Asks, in the AWS CLI's order, for the SSO session name, its start URL,
    /// region and registration scopes (a new session only: an existing one is reused as it is),
    /// signs in (a new session always; otherwise a cached token with 15 minutes left will do),
    /// lists the accounts and then the account's roles to choose from (one is taken without
    /// asking), then asks for the profile's default region, output format and name, and writes
    /// `[sso-session NAME]` and the profile to the config file (AWS_CONFIG_FILE, else
    /// ~/.aws/config), leaving every other line as it was.
    ///
    /// Each answer may be given as an option instead, as if typed at its question: the options
    /// below, and --profile (the profile to write, which is then not asked for; as in the AWS CLI,
    /// AWS_PROFILE names it too), --region (the profile's default region) and --output (its
    /// output format). An empty value is the Enter key: the current value, shown in brackets. When
    /// standard input is not a terminal nothing is asked: an answer not given is what Enter would
    /// give, and one that has no such default is an error naming its option.
    Sso(ConfigureSsoArgs),
}

/// `configure sso`'s options: one per question, and the sign-in's.
#[derive(Debug, Args)]
pub(crate) struct ConfigureSsoArgs {
    /// The sso-session to use, or to create when the config file has none by this name; ''
    /// writes the legacy format (the start URL and region in the profile, no session).
    #[arg(long, value_name = "NAME")]
    pub(crate) sso_session: Option<String>,
    /// The AWS access portal URL of a new session, e.g.
    /// `https://d-1234567890.awsapps.com/start`.
    #[arg(long, value_name = "URL")]
    pub(crate) sso_start_url: Option<String>,
    /// The region of the IAM Identity Center instance, for a new session.
    #[arg(long, value_name = "REGION")]
    pub(crate) sso_region: Option<String>,
    /// The scopes of a new session, separated by commas [default: sso:account:access].
    #[arg(long, value_name = "SCOPES")]
    pub(crate) sso_registration_scopes: Option<String>,
    /// The AWS account the profile gets credentials for (one of those the sign-in lists).
    #[arg(long, value_name = "ID")]
    pub(crate) account_id: Option<String>,
    /// The role (permission set) in that account.
    #[arg(long, value_name = "NAME")]
    pub(crate) role_name: Option<String>,
    /// Where to cache the token.
    #[command(flatten)]
    pub(crate) cache: CacheArgs,
    /// Do not open the sign-in page in a browser.
    #[arg(long)]
    pub(crate) no_browser: bool,
    /// Sign in with a code to enter on any device, instead of a browser on this machine (the
    /// legacy format always does).
    #[arg(long)]
    pub(crate) use_device_code: bool,
    /// The port on 127.0.0.1 the browser comes back to, as for `login`.
    #[arg(long, value_name = "PORT")]
    pub(crate) redirect_port: Option<u16>,
}
