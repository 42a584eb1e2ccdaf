//! `login`: a sign-in, then the cache files, written only once it succeeded.
//!
//! The flow is chosen as `aws sso login` (v2.22 and later) chooses it: the authorization code
//! with PKCE and a loopback redirect ([`auth_code`]) for an `sso-session`, unless
//! `--use-device-code`; the device code ([`device`]) for a legacy profile, for `--start-url`
//! and for `--emulator` (none of which names a session), and with `--use-device-code`.
//!
//! Either way a cached client registration is reused while it has more than 15 minutes left
//! and was made for the flow (the core's flow configurations decide), the token file is named
//! after the `sso-session` (or, without one, the start URL) and the registration file as the
//! AWS CLI v2 names it, both in its format.

mod auth_code;
mod device;
mod plan;

pub(crate) use plan::{Flow, Plan};

use std::path::PathBuf;

use sso_oidc::{CacheDir, CacheError, CachedRegistration, CachedToken, Login};

use crate::args::LoginArgs;
use crate::context::{Context, cache_dir};
use crate::error::CliError;
use crate::terminal::interrupt;
use crate::terminal::prompt;
use sso_oidc_ureq::Cancel;

/// Runs `login`.
///
/// # Errors
/// Settings that cannot be used, a sign-in that failed or was cancelled (exit code 130), or a
/// cache that cannot be written.
pub(crate) fn login(args: &LoginArgs, context: &Context) -> Result<(), CliError> {
    let interrupted = interrupt::cancel();
    let browser = prompt::should_open_browser(args.no_browser, context.env());
    let settings = context.sso_settings(&args.session)?;
    let endpoint = context.endpoint_in(settings.sign_in.sso_region())?;
    let cache = cache_dir(&args.cache, context.env())?;
    // As the AWS CLI: the authorization code for a session, the device code otherwise.
    let flow = match (settings.sign_in.session_name(), args.use_device_code) {
        (Some(_), false) => Flow::AuthCode {
            redirect_port: args.redirect_port.unwrap_or(0),
        },
        _ => Flow::Device,
    };
    sign_in(
        &Plan {
            context,
            settings,
            endpoint,
            cache,
            browser,
            flow,
            cache_note: None,
        },
        interrupted,
    )
    .map(drop)
}

/// Signs in, writes the token (and a new registration) to the cache, and says where; the
/// token as cached.
///
/// # Errors
/// As [`login`].
pub(crate) fn sign_in(plan: &Plan<'_>, interrupted: &Cancel) -> Result<CachedToken, CliError> {
    let client = plan.context.client(plan.endpoint.clone())?;
    // Before a person is asked to approve anything: a sign-in whose token cannot be kept is
    // wasted on them.
    plan.cache.check_writable().map_err(cache_error)?;
    warn_if_loose(&plan.cache);
    let registration_file = plan.settings.registration_file_name();
    let cached = plan
        .cache
        .read_registration(&registration_file)
        .unwrap_or_else(|error| {
            tracing::debug!(%error, "the cached client registration is unreadable; registering anew");
            None
        });
    let registration = cached.map(|cached| cached.to_registration());
    let login = match plan.flow {
        Flow::Device => device::sign_in(plan, &client, registration, interrupted)?,
        Flow::AuthCode { redirect_port } => {
            auth_code::sign_in(plan, &client, registration, redirect_port, interrupted)?
        }
    };
    let (path, token) = save(plan, &registration_file, &login)?;
    let note = plan
        .cache_note
        .map_or_else(String::new, |note| format!(" ({note})"));
    prompt::out(&format!(
        "Successfully logged into Start URL: {}\nToken cached in {}{note}\n",
        login.start_url,
        path.display()
    ));
    Ok(token)
}

/// Writes a new registration and the token, under the token file's lock so that a `token`
/// refreshing at the same moment cannot interleave; the token file's path, and the token.
fn save(
    plan: &Plan<'_>,
    registration_file: &str,
    login: &Login,
) -> Result<(PathBuf, CachedToken), CliError> {
    let settings = &plan.settings;
    let _lock = plan
        .cache
        .lock(&settings.token_file_name())
        .map_err(cache_error)?;
    if login.registration_is_new {
        let record = CachedRegistration::from_registration(
            &login.registration,
            settings
                .sign_in
                .registration_scopes()
                .map(<[String]>::to_vec),
        );
        plan.cache
            .write_registration(registration_file, &record)
            .map_err(cache_error)?;
    }
    let token = CachedToken::from_login(login, settings.sign_in.sso_region().to_owned());
    plan.cache
        .write_token(settings.cache_key(), &token)
        .map_err(cache_error)?;
    Ok((plan.cache.path().join(settings.token_file_name()), token))
}

/// Warns, on stderr, when others may write to the cache folder (and so replace a token file).
pub(crate) fn warn_if_loose(cache: &CacheDir) {
    if let Some(warning) = cache.permission_warning() {
        prompt::err(&format!("Warning: {warning}\n"));
    }
}

/// A cache that cannot be written.
pub(crate) fn cache_error(error: CacheError) -> CliError {
    CliError::failure(format!("Unable to write the SSO token cache: {error}"))
}
