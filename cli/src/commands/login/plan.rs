//! What a sign-in needs once the settings are resolved, and what both flows share.

use sso_oidc::{BuildError, CacheDir, DEFAULT_CLIENT_NAME, Endpoint};

use crate::context::{Context, SsoSettings};
use crate::error::CliError;

/// What `login` prints when Ctrl-C stopped it.
pub(crate) const CANCELLED: &str = "Sign-in cancelled: the cache was left as it was.";

/// How a sign-in goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flow {
    /// A code shown here, approved on any device (RFC 8628).
    Device,
    /// A browser on this machine, coming back to a listener on 127.0.0.1 (RFC 7636, RFC 8252).
    AuthCode {
        /// The listener's port; 0 for a free one.
        redirect_port: u16,
    },
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
    /// Which flow.
    pub(crate) flow: Flow,
    /// What to add, in parentheses, to where the token was cached (e.g. that the folder goes
    /// away).
    pub(crate) cache_note: Option<&'static str>,
}

/// A start URL the configuration refused, named as the person gave it (not as the API's
/// member); any other refusal as it is.
pub(crate) fn config_error(plan: &Plan<'_>, error: BuildError) -> CliError {
    match error {
        BuildError::InvalidMember {
            member: "startUrl",
            reason,
        } => CliError::failure(format!(
            "Invalid {} ({:?}): {reason}",
            plan.settings.start_url_setting,
            plan.settings.sign_in.start_url()
        )),
        other => CliError::failure(format!("Invalid SSO configuration: {other}")),
    }
}

/// The scopes to register for: the session's `sso_registration_scopes`, when it has some.
pub(crate) fn scopes<'a>(plan: &'a Plan<'_>) -> Option<&'a [String]> {
    plan.settings
        .sign_in
        .registration_scopes()
        .filter(|s| !s.is_empty())
}

/// The client name to register: ours, with the session's name as the AWS CLI adds it.
pub(crate) fn client_name(settings: &SsoSettings) -> String {
    match settings.sign_in.session_name() {
        Some(name) => format!("{DEFAULT_CLIENT_NAME}-client-{name}"),
        None => DEFAULT_CLIENT_NAME.to_owned(),
    }
}
