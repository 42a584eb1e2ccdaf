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
    /// Signs in with the device flow: registers a client (or reuses the configuration's cached
    /// registration), starts the device authorization, calls `on_prompt` with what to show the
    /// person, and polls until they approve or deny, or the code expires.
    ///
    /// The core's [`DeviceFlow`] decides everything (when to poll, `slow_down`, backoff and
    /// retries, the deadline); this method sends what it says to send, tells it the real time,
    /// and sleeps on the tokio timer until it says to go on. Requests go to the
    /// configuration's endpoint, and the retry jitter gets a random seed unless the
    /// configuration has one ([`DeviceFlowConfig::or_jitter_seed`]). `on_prompt` is called once
    /// per device authorization (again only if a stale cached registration has to be replaced
    /// during the flow).
    ///
    /// **Cancelling:** drop the future (with `tokio::select!`, `tokio::time::timeout`, or by
    /// aborting the task): nothing more is sent, and a request under way is abandoned. Or use
    /// [`device_login_until`](Self::device_login_until) to get [`FlowError::Cancelled`] back.
    ///
    /// # Errors
    /// [`FlowError`]: denied, expired, a service error or a transport failure the retry
    /// policy gave up on, or a response it could not parse.
    pub async fn device_login(
        &self,
        config: DeviceFlowConfig,
        on_prompt: impl FnMut(&Prompt),
    ) -> Result<Login, FlowError> {
        self.device_login_until(config, on_prompt, &Cancel::new())
            .await
    }

    /// [`device_login`](Self::device_login) that ends with [`FlowError::Cancelled`] as soon as
    /// `cancel` is cancelled, from any thread or task: while waiting between polls, or while a
    /// request is under way (which is then abandoned).
    ///
    /// # Errors
    /// As [`device_login`](Self::device_login), and [`FlowError::Cancelled`].
    pub async fn device_login_until(
        &self,
        config: DeviceFlowConfig,
        mut on_prompt: impl FnMut(&Prompt),
        cancel: &Cancel,
    ) -> Result<Login, FlowError> {
        let config = config.or_jitter_seed(jitter_seed());
        let mut flow = DeviceFlow::new(config, Instant::now(), SystemTime::now());
        loop {
            match flow.poll(Instant::now()) {
                Action::Send(request) => tokio::select! {
                    biased;
                    () = cancel.cancelled() => flow.cancel(),
                    sent = self.send(request) => match sent {
                        Ok(response) => flow.handle_response(response, Instant::now()),
                        Err(error) => {
                            tracing::debug!(%error, "request failed");
                            flow.handle_transport_error(error.kind(), Instant::now());
                        }
                    },
                },
                Action::Prompt(prompt) => on_prompt(&prompt),
                Action::WaitUntil(at) => tokio::select! {
                    biased;
                    () = cancel.cancelled() => flow.cancel(),
                    () = tokio::time::sleep_until(at.into()) => {}
                },
                Action::Done(login) => return Ok(login),
                Action::Failed(error) => return Err(error),
            }
        }
    }

    /// Refreshes a cached token if the policy says so ([`RefreshPolicy::decide`], told the
    /// wall-clock time now and when the last attempt was made; keep that: attempts are at
    /// least [`REFRESH_ATTEMPT_INTERVAL`](sso_oidc::REFRESH_ATTEMPT_INTERVAL) apart): sends
    /// the `refresh_token` grant to the client's endpoint or, without one, to the cached
    /// token's region, and returns the updated record ([`CachedToken::refreshed`]).
    ///
    /// # Errors
    /// A failed refresh: [`Error::Transport`], or [`Error::Api`] with the service's refusal
    /// (an `InvalidGrant` for a spent refresh token, say) or
    /// [`BuildError::MissingRegion`](sso_oidc::BuildError::MissingRegion) when neither the
    /// client nor the record names an endpoint. If the urgency was only
    /// [`Urgency::Advisory`](sso_oidc::Urgency::Advisory) (see [`RefreshPolicy::urgency`]), the old token is still good.
    pub async fn refresh(
        &self,
        cached: &CachedToken,
        policy: &RefreshPolicy,
        last_attempt: Option<SystemTime>,
    ) -> Result<Refreshed, Error> {
        match policy.step(cached, self.endpoint(), SystemTime::now(), last_attempt)? {
            RefreshStep::Send(request, pending) => Ok(pending.finish(self.send(*request).await?)?),
            RefreshStep::Done(refreshed) => Ok(refreshed),
            // Any step a later core adds: sending nothing is the safe reading.
            _ => Ok(Refreshed::Kept),
        }
    }
}
