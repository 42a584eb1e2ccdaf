//! The local service: `emulator` serves it until Ctrl-C, and `login --emulator` signs in to
//! one started on the spot, so that a sign-in can be tried with nothing set up.

use std::time::Duration;

use sso_oidc::{CacheDir, Endpoint};
use sso_oidc_emulator::command::Server;
use sso_oidc_emulator::{BlockingEmulator, Config};

use crate::args::{EmulatorArgs, LoginArgs};
use crate::commands::login::{Plan, sign_in};
use crate::context::{Context, SsoSettings, cache_dir, quoted};
use crate::error::CliError;
use crate::terminal::interrupt;
use crate::terminal::prompt::{self, err};

/// The start URL `login --emulator` signs in to: made up, and under `.invalid`, which never
/// resolves (RFC 2606), so that it cannot be taken for a real AWS access portal.
pub(crate) const START_URL: &str = "https://emulator.invalid/start";

/// The region written into the token file of an emulated sign-in.
const REGION: &str = "us-east-1";

/// How long the embedded emulator waits for a person before approving by itself.
const APPROVE_AFTER: Duration = Duration::from_secs(5);

/// `login --emulator`: a sign-in against an emulator on a free loopback port, into a new
/// temporary folder unless `--cache-dir` is given.
///
/// # Errors
/// An emulator that cannot start, `--endpoint-url` (the emulator is the endpoint), or what
/// [`sign_in`] returns.
pub(crate) fn login(args: &LoginArgs, context: &Context) -> Result<(), CliError> {
    let interrupted = interrupt::cancel();
    let browser = prompt::should_open_browser(args.no_browser, context.env());
    if context.global().endpoint_url.is_some() {
        return Err(CliError::usage(
            "--emulator starts its own endpoint: leave out --endpoint-url",
        ));
    }
    let cache = match args.cache.cache_dir {
        Some(_) => cache_dir(&args.cache, context.env())?,
        None => temporary_cache()?,
    };
    let service = BlockingEmulator::start(Config::default().approve_after(APPROVE_AFTER))
        .map_err(|e| CliError::failure(format!("Unable to start the emulator: {e}")))?;
    let endpoint = Endpoint::from_url(service.url())
        .map_err(|e| CliError::failure(format!("Invalid emulator endpoint: {e}")))?;
    err(&format!(
        "Signing in to a local SSO OIDC emulator at {}; it approves by itself in {} seconds \
         unless you approve or deny on its page first.\n\n",
        service.url(),
        APPROVE_AFTER.as_secs()
    ));
    let plan = Plan {
        context,
        settings: SsoSettings {
            session_name: None,
            start_url: START_URL.to_owned(),
            region: REGION.to_owned(),
            scopes: None,
            selector: " --emulator".to_owned(),
            start_url_setting: "the emulator's start URL".to_owned(),
        },
        endpoint,
        cache,
        browser,
    };
    sign_in(&plan, interrupted)
}

/// A new folder under the system's temporary folder, private to the user and kept after we
/// exit so that the token file can be looked at.
fn temporary_cache() -> Result<CacheDir, CliError> {
    let mut builder = tempfile::Builder::new();
    builder.prefix("sso-oidc-emulator-");
    // The folder holds secrets: owner only, as the cache folder is made.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700));
    let folder = builder.tempdir().map_err(|e| {
        CliError::failure(format!("Unable to create a temporary cache folder: {e}"))
    })?;
    Ok(CacheDir::new(folder.keep()))
}

/// `emulator`: serves until Ctrl-C, printing its URL on stdout and each request on stderr,
/// with the options and the loop of `sso-oidc-emulator`.
///
/// # Errors
/// An address that cannot be bound, or a `--tls` CA file that cannot be written.
pub(crate) fn serve(args: &EmulatorArgs) -> Result<(), CliError> {
    let interrupted = interrupt::cancel();
    let server = Server::start(&args.options)
        .map_err(|e| CliError::failure(format!("Unable to start the emulator: {e}")))?;
    let url = server.url();
    let ca_bundle = server
        .ca_file()
        .map(|file| format!(" --ca-bundle {}", quoted(&file.to_string_lossy())))
        .unwrap_or_default();
    let intro = format!(
        "A local SSO OIDC emulator is listening at {url}.\n\
         Approve or deny each sign-in on its verification page, {url}/device. To sign in to it:\n\n    \
         sso-oidc login --start-url {START_URL} --region {REGION} --endpoint-url {url}{ca_bundle} --cache-dir /tmp/sso-oidc-demo\n\n\
         Press Ctrl-C to stop.\n"
    );
    server.run(&intro, |wait| interrupted.wait_timeout(wait));
    Ok(())
}
