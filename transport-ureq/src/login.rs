//! The device flow and the refresh step in real time: the core decides, this file waits and
//! sends.

use std::time::{Instant, SystemTime};

use sso_oidc::{
    Action, CachedToken, DeviceFlow, DeviceFlowConfig, FlowError, Login, Prompt, RefreshPolicy,
    RefreshStep, Refreshed,
};
use sso_oidc_transport::{Cancel, Error, jitter_seed};

use crate::client::Client;

impl Client {
    /// Signs in with the device flow ([`DeviceFlow`]) in real time: registers a client (or
    /// reuses `config`'s cached registration), starts the device authorization, calls
    /// `on_prompt` once with the code to show, and polls until the person approves, denies,
    /// or the code expires. Retries, backoff and the poll interval are the core's policy, set
    /// in `config`; the retry jitter gets a random seed unless `config` has one
    /// ([`DeviceFlowConfig::or_jitter_seed`]). The requests go to `config`'s endpoint, not the
    /// client's.
    ///
    /// To stop it from another thread, or on Ctrl-C, use
    /// [`device_login_until`](Self::device_login_until).
    ///
    /// # Errors
    /// The [`FlowError`] the flow ended with: [`Denied`](FlowError::Denied),
    /// [`Expired`](FlowError::Expired), a service error, a response that could not be
    /// understood, or transport failures beyond the retry policy
    /// ([`Transport`](FlowError::Transport), with the kind; the full error of each failed
    /// attempt is logged with `tracing` at debug level).
    pub fn device_login(
        &self,
        config: DeviceFlowConfig,
        on_prompt: impl FnMut(&Prompt),
    ) -> Result<Login, FlowError> {
        self.device_login_until(config, on_prompt, &Cancel::new())
    }

    /// [`device_login`](Self::device_login) that ends with [`FlowError::Cancelled`] within
    /// about 100 ms of [`Cancel::cancel`] on `cancel` (from another thread, or a Ctrl-C
    /// handler): while it waits between polls, and while a request is under way. Each request
    /// runs on a thread of its own so that it can be abandoned: once cancelled, nothing more is
    /// sent, and a request under way ends on its own within the client's timeouts.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sso_oidc_ureq::sso_oidc::{DeviceFlowConfig, Endpoint, FlowError};
    /// use sso_oidc_ureq::{Cancel, Client};
    /// use sso_oidc_emulator::{BlockingEmulator, Config};
    ///
    /// let service = BlockingEmulator::start(Config::default())?; // nobody approves
    /// let config = DeviceFlowConfig::builder()
    ///     .endpoint(Endpoint::from_url(service.url())?)
    ///     .start_url("https://d-1234567890.awsapps.com/start")
    ///     .build()?;
    /// let cancel = Cancel::new();
    /// let on_ctrl_c = cancel.clone(); // what a Ctrl-C handler would hold
    /// std::thread::spawn(move || {
    ///     std::thread::sleep(Duration::from_millis(200));
    ///     on_ctrl_c.cancel();
    /// });
    /// let client = Client::builder().build()?;
    /// let outcome = client.device_login_until(config, |_| {}, &cancel);
    /// assert_eq!(outcome.unwrap_err(), FlowError::Cancelled);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// As [`device_login`](Self::device_login), and [`FlowError::Cancelled`].
    pub fn device_login_until(
        &self,
        config: DeviceFlowConfig,
        mut on_prompt: impl FnMut(&Prompt),
        cancel: &Cancel,
    ) -> Result<Login, FlowError> {
        let config = config.or_jitter_seed(jitter_seed());
        let mut flow = DeviceFlow::new(config, Instant::now(), SystemTime::now());
        loop {
            match flow.poll(Instant::now()) {
                Action::Send(request) => match self.send_until(request, cancel) {
                    None => flow.cancel(),
                    Some(Ok(response)) => flow.handle_response(response, Instant::now()),
                    Some(Err(error)) => {
                        tracing::debug!(%error, "request failed");
                        flow.handle_transport_error(error.kind(), Instant::now());
                    }
                },
                Action::Prompt(prompt) => on_prompt(&prompt),
                Action::WaitUntil(at) => {
                    if cancel.wait_timeout(at.saturating_duration_since(Instant::now())) {
                        flow.cancel();
                    }
                }
                Action::Done(login) => return Ok(login),
                Action::Failed(error) => return Err(error),
            }
        }
    }

    /// Refreshes `cached` if the core's [`RefreshPolicy::decide`] says so, at the current
    /// wall-clock time, given when the last attempt was made (keep that: attempts are at
    /// least [`REFRESH_ATTEMPT_INTERVAL`](sso_oidc::REFRESH_ATTEMPT_INTERVAL) apart). The
    /// request goes to the client's endpoint or, without one, to the cached token's region.
    ///
    /// # Errors
    /// A failed refresh: [`Error::Transport`], or [`Error::Api`] with the service's refusal
    /// (an `InvalidGrant` for a spent refresh token, say) or
    /// [`BuildError::MissingRegion`](sso_oidc::BuildError::MissingRegion) when neither the
    /// client nor the record names an endpoint. If the urgency was only
    /// [`Urgency::Advisory`](sso_oidc::Urgency::Advisory) (see [`RefreshPolicy::urgency`]), the
    /// old token is still good.
    pub fn refresh(
        &self,
        cached: &CachedToken,
        policy: &RefreshPolicy,
        last_attempt: Option<SystemTime>,
    ) -> Result<Refreshed, Error> {
        match policy.step(cached, self.endpoint(), SystemTime::now(), last_attempt)? {
            RefreshStep::Send(request, pending) => Ok(pending.finish(self.send(*request)?)?),
            RefreshStep::Done(refreshed) => Ok(refreshed),
            // Any step a later core adds: sending nothing is the safe reading.
            _ => Ok(Refreshed::Kept),
        }
    }
}
