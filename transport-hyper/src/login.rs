//! The device flow and the refresh step in real time: the core decides, this file waits and
//! sends.

use std::future::Future;
use std::time::{Instant, SystemTime};

use sso_oidc::{
    Action, CachedToken, CannotRefresh, DeviceFlow, DeviceFlowConfig, Endpoint, FlowError, Login,
    Prompt, RefreshDecision, RefreshPolicy, Urgency,
};

use crate::client::Client;
use crate::error::Error;

/// What [`Client::refresh`] did with a cached token.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refreshed {
    /// The token has long enough left: keep using it. Nothing was sent.
    Kept,
    /// The service issued a new token: store this record in place of the old one.
    Renewed(CachedToken),
    /// The token needs refreshing, but the last attempt was too recent. Nothing was sent.
    /// Keep using the token if it has not expired; try again at `next_attempt`.
    NotNow {
        /// How much the refresh matters.
        urgency: Urgency,
        /// The earliest time for the next attempt.
        next_attempt: SystemTime,
    },
    /// The token needs refreshing but cannot be refreshed. Nothing was sent. With
    /// [`Urgency::Mandatory`], sign in again.
    Cannot {
        /// How much the refresh matters.
        urgency: Urgency,
        /// Why it cannot be refreshed.
        reason: CannotRefresh,
    },
}

impl Client {
    /// Signs in with the device flow: registers a client (or reuses the configuration's cached
    /// registration), starts the device authorization, calls `on_prompt` with what to show the
    /// person, and polls until they approve or deny, or the code expires.
    ///
    /// The core's [`DeviceFlow`] decides everything (when to poll, `slow_down`, backoff and
    /// retries, the deadline); this method sends what it says to send, tells it the real time,
    /// and sleeps on the tokio timer until it says to go on. Requests go to the
    /// configuration's endpoint. `on_prompt` is called once per device authorization (again
    /// only if a stale cached registration has to be replaced during the flow).
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
        self.device_login_until(config, on_prompt, std::future::pending())
            .await
    }

    /// [`device_login`](Self::device_login) that ends with [`FlowError::Cancelled`] as soon as
    /// `cancelled` completes: while waiting between polls or while a request is under way
    /// (which is then abandoned).
    ///
    /// # Errors
    /// As [`device_login`](Self::device_login), and [`FlowError::Cancelled`].
    pub async fn device_login_until(
        &self,
        config: DeviceFlowConfig,
        mut on_prompt: impl FnMut(&Prompt),
        cancelled: impl Future<Output = ()>,
    ) -> Result<Login, FlowError> {
        let mut cancelled = std::pin::pin!(cancelled);
        let mut flow = DeviceFlow::new(config, Instant::now(), SystemTime::now());
        loop {
            match flow.poll(Instant::now()) {
                Action::Send(request) => tokio::select! {
                    biased;
                    () = &mut cancelled => flow.cancel(),
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
                    () = &mut cancelled => flow.cancel(),
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
    /// [`Urgency::Advisory`] (see [`RefreshPolicy::urgency`]), the old token is still good.
    pub async fn refresh(
        &self,
        cached: &CachedToken,
        policy: &RefreshPolicy,
        last_attempt: Option<SystemTime>,
    ) -> Result<Refreshed, Error> {
        let now = SystemTime::now();
        Ok(match policy.decide(cached, now, last_attempt) {
            RefreshDecision::Refresh { request, .. } => {
                let endpoint = match (self.endpoint(), &cached.region) {
                    (Some(endpoint), _) => endpoint.clone(),
                    (None, Some(region)) => {
                        Endpoint::from_region(region).map_err(sso_oidc::Error::from)?
                    }
                    (None, None) => self.required_endpoint()?.clone(),
                };
                let response = self.send(request.to_http(&endpoint)).await?;
                let token = sso_oidc::CreateToken::parse(response)?;
                // Counted from before the request went out: errs on the early side.
                Refreshed::Renewed(cached.refreshed(&token, now))
            }
            RefreshDecision::Deferred {
                urgency,
                next_attempt,
            } => Refreshed::NotNow {
                urgency,
                next_attempt,
            },
            RefreshDecision::Unrefreshable { urgency, reason } => {
                Refreshed::Cannot { urgency, reason }
            }
            // `Keep`, and any decision a later core adds: sending nothing is the safe reading.
            _ => Refreshed::Kept,
        })
    }
}
