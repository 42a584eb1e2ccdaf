//! `login`: the device flow, then the cache files, written only once the sign-in succeeded.
//!
//! As `aws sso login --use-device-code`: a cached client registration is reused while it has
//! more than 15 minutes left (the core's `DeviceFlowConfig::registration` decides), the token
//! file is named after the `sso-session` (or, for a legacy profile, the start URL) and the
//! registration file as the AWS CLI v2 names it, both in its format.

use std::path::PathBuf;

use sso_oidc::{
    BuildError, CacheDir, CacheError, CachedRegistration, CachedToken, DEFAULT_CLIENT_NAME,
    DeviceFlowConfig, Endpoint, FlowError, Login,
};

use crate::args::LoginArgs;
use crate::context::{Context, SsoSettings, cache_dir};
use crate::error::CliError;
use crate::terminal::interrupt;
use crate::terminal::prompt::{self, Progress};
use sso_oidc_ureq::Cancel;

/// What `login` prints when Ctrl-C stopped it.
pub(crate) const CANCELLED: &str = "Sign-in cancelled: the cache was left as it was.";

/// Runs `login`.
///
/// # Errors
/// Settings that cannot be used, a sign-in that failed or was cancelled (exit code 130), or a
/// cache that cannot be written.
pub(crate) fn login(args: &LoginArgs, context: &Context) -> Result<(), CliError> {
    let interrupted = interrupt::cancel();
    let browser = prompt::should_open_browser(args.no_browser, context.env());
    let settings = context.sso_settings(&args.session)?;
    let endpoint = context.endpoint_in(&settings.region)?;
    let cache = cache_dir(&args.cache, context.env())?;
    sign_in(
        &Plan {
            context,
            settings,
            endpoint,
            cache,
            browser,
            cache_note: None,
        },
        interrupted,
    )
}

/// Everything a sign-in needs, once the settings are resolved.
#[derive(Debug)]
pub(crate) struct Plan<'a> {
    /// The options, the environment and the config file (connection and retry settings).
    pub(crate) context: &'a Context,
    /// What to sign in to.
    pub(crate) settings: SsoSettings,
    /// Where the service is.
    pub(crate) endpoint: Endpoint,
    /// Where the token goes.
    pub(crate) cache: CacheDir,
    /// Whether to open the verification page in a browser.
    pub(crate) browser: bool,
    /// What to add, in parentheses, to where the token was cached (e.g. that the folder goes
    /// away).
    pub(crate) cache_note: Option<&'static str>,
}

/// Signs in, writes the token (and a new registration) to the cache, and says where.
///
/// # Errors
/// As [`login`].
pub(crate) fn sign_in(plan: &Plan<'_>, interrupted: &Cancel) -> Result<(), CliError> {
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
    let mut config = DeviceFlowConfig::builder()
        .endpoint(plan.endpoint.clone())
        .start_url(&plan.settings.start_url)
        .client_name(client_name(&plan.settings))
        .retry_policy(plan.context.retry_policy()?)
        .registration(cached.map(|cached| cached.to_registration()));
    if let Some(scopes) = plan.settings.scopes.as_ref().filter(|s| !s.is_empty()) {
        config = config.scopes(scopes.clone());
    }
    let config = config.build().map_err(|error| match error {
        // Named as the person gave it, not as the API's member.
        BuildError::InvalidMember {
            member: "startUrl",
            reason,
        } => CliError::failure(format!(
            "Invalid {} ({:?}): {reason}",
            plan.settings.start_url_setting, plan.settings.start_url
        )),
        other => CliError::failure(format!("Invalid SSO configuration: {other}")),
    })?;

    let mut progress = Progress::new(plan.browser);
    let outcome = client.device_login_until(config, |shown| progress.prompt(shown), interrupted);
    progress.finish();
    let login = match outcome {
        Ok(login) => login,
        Err(FlowError::Cancelled) => return Err(CliError::interrupted(CANCELLED)),
        Err(error) => {
            return Err(CliError::failure(format!(
                "Unable to sign in at {}: {error}",
                plan.endpoint.url()
            )));
        }
    };
    let path = save(plan, &registration_file, &login)?;
    let note = plan
        .cache_note
        .map_or_else(String::new, |note| format!(" ({note})"));
    prompt::out(&format!(
        "Successfully logged into Start URL: {}\nToken cached in {}{note}\n",
        login.start_url,
        path.display()
    ));
    Ok(())
}

/// The client name to register: ours, with the session's name as the AWS CLI adds it.
fn client_name(settings: &SsoSettings) -> String {
    match &settings.session_name {
        Some(name) => format!("{DEFAULT_CLIENT_NAME}-client-{name}"),
        None => DEFAULT_CLIENT_NAME.to_owned(),
    }
}

/// Writes a new registration and the token, under the token file's lock so that a `token`
/// refreshing at the same moment cannot interleave; the token file's path.
fn save(plan: &Plan<'_>, registration_file: &str, login: &Login) -> Result<PathBuf, CliError> {
    let settings = &plan.settings;
    let _lock = plan
        .cache
        .lock(&settings.token_file_name())
        .map_err(cache_error)?;
    if login.registration_is_new {
        let record =
            CachedRegistration::from_registration(&login.registration, settings.scopes.clone());
        plan.cache
            .write_registration(registration_file, &record)
            .map_err(cache_error)?;
    }
    let token = CachedToken::from_login(login, settings.region.clone());
    plan.cache
        .write_token(settings.cache_key(), &token)
        .map_err(cache_error)?;
    Ok(plan.cache.path().join(settings.token_file_name()))
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
