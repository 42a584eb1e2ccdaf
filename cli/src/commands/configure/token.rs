//! The token for the listings: a cached one with at least 15 minutes left, unless the session
//! is new (the AWS CLI's `force_refresh`); else a sign-in, `login`'s own, which caches the
//! token exactly as `login` does.

use std::time::SystemTime;

use sso_oidc::{CachedToken, RefreshDecision, RefreshPolicy};

use crate::args::ConfigureSsoArgs;
use crate::commands::configure::session::SignInAnswers;
use crate::commands::login::{Flow, Plan, sign_in};
use crate::context::{Context, SsoSettings, cache_dir, quoted};
use crate::error::CliError;
use crate::terminal::{interrupt, prompt};

/// The access token to list accounts and roles with.
///
/// # Errors
/// As `login` fails: settings that cannot be used, a sign-in that failed or was cancelled, a
/// cache that cannot be written.
pub(crate) fn token(
    args: &ConfigureSsoArgs,
    context: &Context,
    answers: &SignInAnswers,
) -> Result<CachedToken, CliError> {
    let sign_in_to = &answers.sign_in;
    let selector = match sign_in_to.session_name() {
        Some(name) => format!(" --sso-session {}", quoted(name)),
        None => format!(
            " --start-url {} --region {}",
            quoted(sign_in_to.start_url()),
            quoted(sign_in_to.sso_region())
        ),
    };
    let settings = SsoSettings {
        sign_in: sign_in_to.clone(),
        selector,
        start_url_setting: "sso_start_url".to_owned(),
    };
    let cache = cache_dir(&args.cache, context.env())?;
    if !answers.fresh
        && let Ok(Some(cached)) = cache.read_token(settings.cache_key())
        && matches!(
            RefreshPolicy::default().decide(&cached, SystemTime::now(), None),
            RefreshDecision::Keep
        )
    {
        prompt::err(&format!(
            "Using the cached SSO token for {}.\n",
            settings.cache_key()
        ));
        return Ok(cached);
    }
    let endpoint = context.endpoint_in(sign_in_to.sso_region())?;
    // As `login` chooses: the authorization code for a session, the device code otherwise.
    let flow = match (sign_in_to.session_name(), args.use_device_code) {
        (Some(_), false) => Flow::AuthCode {
            redirect_port: args.redirect_port.unwrap_or(0),
        },
        _ => Flow::Device,
    };
    let plan = Plan {
        context,
        settings,
        endpoint,
        cache,
        browser: prompt::should_open_browser(args.no_browser, context.env()),
        flow,
        cache_note: None,
    };
    let token = sign_in(&plan, interrupt::cancel())?;
    // The questions that follow have nothing to cancel: Ctrl-C ends the command at once.
    interrupt::exit_on_signal();
    Ok(token)
}
