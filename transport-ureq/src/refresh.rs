//! Refreshing a cached token: the core decides and reads the answer, the client sends.

use std::time::SystemTime;

use sso_oidc::{CachedToken, RefreshPolicy, RefreshStep, Refreshed};

use crate::client::Client;
use crate::error::Error;

impl Client {
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
    /// [`Urgency::Advisory`](sso_oidc::Urgency::Advisory) (see [`RefreshPolicy::urgency`]), the old token is still good.
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
