//! The options of `login`, `logout`, `sessions`, `token` and `emulator`: which IAM Identity
//! Center instance, which cache folder.

use std::path::PathBuf;

use clap::Args;

/// Which sign-in settings to use; without either option, the profile's (`--profile`,
/// `AWS_PROFILE`, else `default`).
#[derive(Debug, Default, Args)]
pub(crate) struct SessionArgs {
    /// The `[sso-session NAME]` section of the config file to use, instead of the profile's.
    #[arg(long, value_name = "NAME")]
    pub(crate) sso_session: Option<String>,
    /// The AWS access portal start URL to sign in to, instead of the config file's; the
    /// IAM Identity Center region comes from --region (or AWS_REGION, or the profile's region).
    #[arg(long, value_name = "URL", conflicts_with = "sso_session")]
    pub(crate) start_url: Option<String>,
}

/// The cache folder option, shared by the commands that use the cache.
#[derive(Debug, Default, Args)]
pub(crate) struct CacheArgs {
    /// The token cache folder [default: ~/.aws/sso/cache].
    #[arg(long, value_name = "PATH")]
    pub(crate) cache_dir: Option<PathBuf>,
}

/// `login`: sign in and cache the token, as `aws sso login` does.
///
/// For an sso-session, a browser on this machine signs in and comes back to a listener on
/// 127.0.0.1 (the authorization code with PKCE); a browser elsewhere works too: paste the
/// address it ends on. With --use-device-code, or without a session, a code is shown to enter
/// on any device (its link as a QR code on a terminal). The browser opens unless --no-browser
/// or there is no display. Nothing is written to the cache unless the sign-in succeeds.
#[derive(Debug, Args)]
pub(crate) struct LoginArgs {
    /// Which sign-in settings to use.
    #[command(flatten)]
    pub(crate) session: SessionArgs,
    /// Where to cache the token.
    #[command(flatten)]
    pub(crate) cache: CacheArgs,
    /// Do not open the verification page in a browser.
    #[arg(long)]
    pub(crate) no_browser: bool,
    /// Sign in with a code to enter on any device (a phone, another machine), instead of a
    /// browser on this machine. Without an sso-session (a legacy profile, --start-url,
    /// --emulator) the device code is the only way.
    #[arg(long)]
    pub(crate) use_device_code: bool,
    /// The port on 127.0.0.1 the browser comes back to, for SSH port forwarding
    /// (`ssh -L PORT:127.0.0.1:PORT`); a free one by default.
    #[arg(long, value_name = "PORT")]
    pub(crate) redirect_port: Option<u16>,
    /// Sign in to a local emulator of the service, started on the spot, with a made-up start
    /// URL; it approves by itself after 5 seconds unless you approve or deny on its page
    /// first. The token goes to a new temporary folder, removed when the command exits,
    /// unless --cache-dir is given.
    #[arg(long, conflicts_with_all = ["sso_session", "start_url"])]
    pub(crate) emulator: bool,
}

/// `logout`: sign out, as `aws sso logout` does: each cached access token (each file in the
/// cache folder that holds an `accessToken`) is revoked at the SSO portal of its region, then
/// removed, and so are the role credentials cached with SSO tokens.
#[derive(Debug, Args)]
pub(crate) struct LogoutArgs {
    /// Which cache folder to clear.
    #[command(flatten)]
    pub(crate) cache: CacheArgs,
    /// The AWS CLI's credential cache folder, to clear of the role credentials cached with
    /// SSO tokens [default: ~/.aws/cli/cache].
    #[arg(long, value_name = "PATH")]
    pub(crate) credentials_cache_dir: Option<PathBuf>,
}

/// `sessions`: list the cached SSO sign-ins, with no secret.
#[derive(Debug, Args)]
pub(crate) struct SessionsArgs {
    /// Which cache folder to read.
    #[command(flatten)]
    pub(crate) cache: CacheArgs,
}

/// `token`: print a valid access token from the cache, refreshing it first when it has less
/// than 15 minutes left; fails when a new sign-in is needed.
#[derive(Debug, Args)]
pub(crate) struct TokenArgs {
    /// Which sign-in settings to use.
    #[command(flatten)]
    pub(crate) session: SessionArgs,
    /// Where the token is cached.
    #[command(flatten)]
    pub(crate) cache: CacheArgs,
}

/// `emulator`: a local SSO OIDC service for trying things out; approve or deny each sign-in
/// on its verification page. The options are `sso-oidc-emulator`'s, defined once in the
/// emulator library.
#[derive(Debug, Args)]
pub(crate) struct EmulatorArgs {
    /// Where it listens, how it behaves, what it prints.
    #[command(flatten)]
    pub(crate) options: sso_oidc_emulator::command::Options,
}
