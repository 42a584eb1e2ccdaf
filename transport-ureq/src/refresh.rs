//! Refreshing a cached token: the core decides, the client sends.

use std::time::SystemTime;

use sso_oidc::{CachedToken, CannotRefresh, Endpoint, RefreshDecision, RefreshPolicy, Urgency};

use crate::client::Client;
use crate::error::Error;

/// What [`Client::refresh`] did with a cached token.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refreshed {
    /// The token has more than the advisory window left: keep using it.
    Kept,
    /// The token was refreshed: write this record back to the cache (the refresh token may
    /// have rotated, and the old one no longer works).
    Renewed(CachedToken),
    /// The token needs refreshing, but the last attempt was too recent: use it as it is (if it
    /// has not expired) until `next_attempt`.
    NotNow {
        /// How much the refresh matters.
        urgency: Urgency,
        /// The earliest time for the next attempt.
        next_attempt: SystemTime,
    },
    /// The token needs refreshing but cannot be refreshed; with [`Urgency::Mandatory`], sign
    /// in again.
    Cannot {
        /// How much the refresh matters.
        urgency: Urgency,
        /// Why it cannot be refreshed.
        reason: CannotRefresh,
    },
}

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
    /// [`Urgency::Advisory`] (see [`RefreshPolicy::urgency`]), the old token is still good.
    pub fn refresh(
        &self,
        cached: &CachedToken,
        policy: &RefreshPolicy,
        last_attempt: Option<SystemTime>,
    ) -> Result<Refreshed, Error> {
        match policy.decide(cached, SystemTime::now(), last_attempt) {
            RefreshDecision::Refresh { request, .. } => {
                let endpoint = match (self.endpoint(), &cached.region) {
                    (Some(endpoint), _) => endpoint.clone(),
                    (None, Some(region)) => {
                        Endpoint::from_region(region).map_err(sso_oidc::Error::from)?
                    }
                    (None, None) => {
                        return Err(
                            sso_oidc::Error::from(sso_oidc::BuildError::MissingRegion).into()
                        );
                    }
                };
                let response = self.send(request.to_http(&endpoint))?;
                let token = sso_oidc::CreateToken::parse(response)?;
                Ok(Refreshed::Renewed(
                    cached.refreshed(&token, SystemTime::now()),
                ))
            }
            RefreshDecision::Deferred {
                urgency,
                next_attempt,
            } => Ok(Refreshed::NotNow {
                urgency,
                next_attempt,
            }),
            RefreshDecision::Unrefreshable { urgency, reason } => {
                Ok(Refreshed::Cannot { urgency, reason })
            }
            // `Keep`, and any decision a later core adds: sending nothing is the safe reading.
            _ => Ok(Refreshed::Kept),
        }
    }
}
