//! The device flow (RFC 8628), as `aws sso login --use-device-code`: a code shown here (and its
//! link as a QR code, for a phone), approved on any device.

use sso_oidc::{ClientRegistration, DeviceFlowConfig, FlowError, Login};
use sso_oidc_ureq::{Cancel, Client};

use crate::commands::login::plan::{CANCELLED, Plan, client_name, config_error, scopes};
use crate::error::CliError;
use crate::terminal::prompt::Progress;

/// Signs in with the device flow.
///
/// # Errors
/// A configuration the core refuses, a sign-in that failed, or Ctrl-C (exit code 130).
pub(super) fn sign_in(
    plan: &Plan<'_>,
    client: &Client,
    registration: Option<ClientRegistration>,
    interrupted: &Cancel,
) -> Result<Login, CliError> {
    let mut config = DeviceFlowConfig::builder()
        .endpoint(plan.endpoint.clone())
        .start_url(plan.settings.sign_in.start_url())
        .client_name(client_name(&plan.settings))
        .retry_policy(plan.context.retry_policy()?)
        .registration(registration);
    if let Some(scopes) = scopes(plan) {
        config = config.scopes(scopes.to_vec());
    }
    let config = config.build().map_err(|error| config_error(plan, error))?;
    let mut progress = Progress::new(plan.browser);
    let outcome = client.device_login_until(config, |shown| progress.prompt(shown), interrupted);
    progress.finish();
    outcome.map_err(|error| match error {
        FlowError::Cancelled => CliError::interrupted(CANCELLED),
        error => CliError::failure(format!(
            "Unable to sign in at {}: {error}",
            plan.endpoint.url()
        )),
    })
}
