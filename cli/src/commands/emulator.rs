//! The local service: `emulator` serves it until Ctrl-C, and `login --emulator` signs in to
//! one started on the spot, so that a sign-in can be tried with nothing set up.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use sso_oidc::{CacheDir, Endpoint};
use sso_oidc_emulator::{BlockingEmulator, Config};

use crate::args::{EmulatorArgs, LoginArgs};
use crate::commands::login::{Plan, sign_in};
use crate::context::{Context, SsoSettings, cache_dir};
use crate::error::CliError;
use crate::terminal::interrupt;
use crate::terminal::prompt::{self, err, out};

/// The start URL `login --emulator` signs in to: made up, and under `.invalid`, which never
/// resolves (RFC 2606), so that it cannot be taken for a real AWS access portal.
pub(crate) const START_URL: &str = "https://emulator.invalid/start";

/// The region written into the token file of an emulated sign-in.
const REGION: &str = "us-east-1";

/// How long the embedded emulator waits for a person before approving by itself.
const APPROVE_AFTER: Duration = Duration::from_secs(5);

/// How often `emulator` looks for Ctrl-C and new requests to show.
const TICK: Duration = Duration::from_millis(100);

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

/// `emulator`: serves until Ctrl-C, printing its URL on stdout and each request on stderr.
///
/// # Errors
/// A port that cannot be bound.
pub(crate) fn serve(args: &EmulatorArgs) -> Result<(), CliError> {
    let interrupted = interrupt::cancel();
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, args.port));
    let emulator = BlockingEmulator::bind(addr, Config::default())
        .map_err(|e| CliError::failure(format!("Unable to start the emulator on {addr}: {e}")))?;
    let url = emulator.url();
    out(&format!("{url}\n"));
    err(&format!(
        "A local SSO OIDC emulator is listening at {url}.\n\
         Approve or deny each sign-in on its verification page. To sign in to it:\n\n    \
         sso-oidc login --start-url {START_URL} --region {REGION} --endpoint-url {url} --cache-dir /tmp/sso-oidc-demo\n\n\
         Press Ctrl-C to stop.\n"
    ));
    let mut shown = 0;
    loop {
        let stop = interrupted.wait_timeout(TICK);
        // What came since the last look, the last time too.
        let log = emulator.log();
        for request in log.iter().skip(shown) {
            let status = request
                .status
                .map_or_else(|| "no answer".to_owned(), |s| s.to_string());
            let operation = request
                .operation
                .map(|o| format!(" ({o})"))
                .unwrap_or_default();
            err(&format!(
                "{} {}{operation}: {status}\n",
                request.method, request.uri
            ));
        }
        shown = log.len();
        if stop {
            return Ok(());
        }
    }
}
