//! The local service: `emulator` serves it until Ctrl-C, and `login --emulator` signs in to
//! one started on the spot, so that a sign-in can be tried with nothing set up.

use std::time::Duration;

use sso_oidc::config::SignIn;
use sso_oidc::{CacheDir, Endpoint};
use sso_oidc_emulator::command::Server;
use sso_oidc_emulator::{BlockingEmulator, Config};
use tempfile::TempDir;

use crate::args::{EmulatorArgs, LoginArgs};
use crate::commands::login::{Flow, Plan, sign_in};
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

/// What `login --emulator` adds to where the token went, without `--cache-dir`.
const REMOVED_ON_EXIT: &str = "removed on exit; pass --cache-dir to keep it";

/// `login --emulator`: a sign-in against an emulator on a free loopback port, into a new
/// temporary folder unless `--cache-dir` is given. The temporary folder holds a token and a
/// client secret, so it goes when this returns, however the sign-in ended: Ctrl-C cancels
/// the sign-in and returns here too.
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
    let (cache, temporary) = match args.cache.cache_dir {
        Some(_) => (cache_dir(&args.cache, context.env())?, None),
        None => {
            let folder = temporary_folder()?;
            (CacheDir::new(folder.path()), Some(folder))
        }
    };
    let service = BlockingEmulator::start(Config::default().approve_after(APPROVE_AFTER))
        .map_err(|e| CliError::failure(format!("Unable to start the emulator: {e}")))?;
    let endpoint = Endpoint::from_url(service.url())
        .map_err(|e| CliError::failure(format!("Invalid emulator endpoint: {e}")))?;
    let destination = match &temporary {
        Some(folder) => format!(
            "The token goes to a temporary folder, {} ({REMOVED_ON_EXIT}).\n",
            folder.path().display()
        ),
        None => String::new(),
    };
    err(&format!(
        "Signing in to a local SSO OIDC emulator at {}; it approves by itself in {} seconds \
         unless you approve or deny on its page first.\n{destination}\n",
        service.url(),
        APPROVE_AFTER.as_secs()
    ));
    let plan = Plan {
        context,
        settings: SsoSettings {
            sign_in: SignIn::legacy(START_URL, REGION),
            selector: " --emulator".to_owned(),
            start_url_setting: "the emulator's start URL".to_owned(),
        },
        endpoint,
        cache,
        browser,
        flow: Flow::Device,
        cache_note: temporary.as_ref().map(|_| REMOVED_ON_EXIT),
    };
    let signed_in = sign_in(&plan, interrupted).map(drop);
    if let Some(folder) = temporary {
        remove(folder);
    }
    signed_in
}

/// A new folder under the system's temporary folder, private to the user; it is removed
/// when dropped.
fn temporary_folder() -> Result<TempDir, CliError> {
    let mut builder = tempfile::Builder::new();
    builder.prefix("sso-oidc-emulator-");
    // The folder holds secrets: owner only, as the cache folder is made.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700));
    builder
        .tempdir()
        .map_err(|e| CliError::failure(format!("Unable to create a temporary cache folder: {e}")))
}

/// Removes the temporary folder, and says so if it cannot: it holds secrets.
fn remove(folder: TempDir) {
    let path = folder.path().to_owned();
    if let Err(error) = folder.close() {
        err(&format!(
            "Unable to remove the temporary cache folder {}: {error}\n",
            path.display()
        ));
    }
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
