//! Refreshing a cached token: whether to, the request, and the updated record.
//!
//! The decision follows botocore, which the AWS CLI and most tools share: a token is refreshed
//! when it has less than 15 minutes left (advisory: if the refresh fails, the old token is
//! still good), and must be when it has less than 10 (mandatory); attempts are at least 60 s
//! apart, so a failing refresh does not turn every call into a request; and only while the
//! client registration that issued the refresh token is valid.

use std::time::{Duration, SystemTime};

use crate::cache::CachedToken;
use crate::create_token::{CreateToken, GrantType, Token};
use crate::endpoint::Endpoint;
use crate::error::{BuildError, Error};
use crate::flow::Login;

/// Refresh when the token has less than this left, but keep using it if the refresh fails.
pub const ADVISORY_REFRESH_WINDOW: Duration = Duration::from_secs(15 * 60);

/// Refresh when the token has less than this left, and do not go on without a new one.
pub const MANDATORY_REFRESH_WINDOW: Duration = Duration::from_secs(10 * 60);

/// The least time between two refresh attempts.
pub const REFRESH_ATTEMPT_INTERVAL: Duration = Duration::from_secs(60);

/// How much a refresh matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Urgency {
    /// Less than 15 minutes left: refresh, and if that fails, the token is still good.
    Advisory,
    /// Less than 10 minutes left, or expired: without a new token, sign in again.
    Mandatory,
}

/// Why a token that needs refreshing cannot be refreshed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum CannotRefresh {
    /// The record lacks a member the refresh needs: `refreshToken`, `clientId`,
    /// `clientSecret` or `registrationExpiresAt` (a token from an older `aws sso login`, or
    /// from a client registered without the `refresh_token` grant).
    #[error("the cached token has no `{0}`; sign in again")]
    Missing(&'static str),
    /// The client registration that issued the refresh token has expired.
    #[error("the client registration expired; sign in again")]
    RegistrationExpired,
}

/// What to do with a cached token now. Made by [`RefreshPolicy::decide`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RefreshDecision {
    /// The token has more than the advisory window left: use it as it is.
    Keep,
    /// Send this `refresh_token` grant, parse the answer with [`CreateToken::parse`] and store
    /// [`CachedToken::refreshed`]. If it fails and the urgency is [`Urgency::Advisory`], keep
    /// using the old token.
    Refresh {
        /// How much the refresh matters.
        urgency: Urgency,
        /// The request to send.
        request: CreateToken,
    },
    /// The token needs refreshing, but the last attempt was less than
    /// [`REFRESH_ATTEMPT_INTERVAL`] ago: use the token as it is until `next_attempt` (if it
    /// has not expired).
    Deferred {
        /// How much the refresh matters.
        urgency: Urgency,
        /// The earliest time for the next attempt.
        next_attempt: SystemTime,
    },
    /// The token needs refreshing but cannot be refreshed. With [`Urgency::Mandatory`], sign
    /// in again.
    Unrefreshable {
        /// How much the refresh matters.
        urgency: Urgency,
        /// Why it cannot be refreshed.
        reason: CannotRefresh,
    },
}

/// When to refresh a cached token. The default is botocore's: 15 and 10 minute windows,
/// attempts 60 s apart.
///
/// ```
/// use sso_oidc::{CachedToken, RefreshDecision, RefreshPolicy, Secret, Urgency};
/// use std::time::{Duration, SystemTime};
///
/// let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
/// let mut cached = CachedToken::new(Secret::from("old"), now + Duration::from_secs(12 * 60));
/// cached.client_id = Some("client-id".into());
/// cached.client_secret = Some(Secret::from("client-secret"));
/// cached.registration_expires_at = Some(now + Duration::from_secs(30 * 86_400));
/// cached.refresh_token = Some(Secret::from("refresh"));
///
/// let RefreshDecision::Refresh { urgency, request } = RefreshPolicy::default().decide(&cached, now, None) else {
///     panic!("12 minutes left: refresh");
/// };
/// assert_eq!(urgency, Urgency::Advisory);
/// // Send `request.to_http(&endpoint)`, then:
/// let answer = http::Response::new(br#"{"accessToken":"new","expiresIn":3600}"#.to_vec());
/// let updated = cached.refreshed(&sso_oidc::CreateToken::parse(answer)?, now);
/// assert_eq!(updated.access_token.expose(), "new");
/// assert_eq!(updated.expires_at, now + Duration::from_secs(3600));
/// assert_eq!(updated.refresh_token, cached.refresh_token); // none came back: the old one stays
/// # Ok::<(), sso_oidc::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RefreshPolicy {
    advisory: Duration,
    mandatory: Duration,
    attempt_interval: Duration,
}

impl Default for RefreshPolicy {
    fn default() -> Self {
        Self::botocore()
    }
}

impl RefreshPolicy {
    /// botocore's windows: [`ADVISORY_REFRESH_WINDOW`], [`MANDATORY_REFRESH_WINDOW`],
    /// [`REFRESH_ATTEMPT_INTERVAL`].
    pub const fn botocore() -> Self {
        Self {
            advisory: ADVISORY_REFRESH_WINDOW,
            mandatory: MANDATORY_REFRESH_WINDOW,
            attempt_interval: REFRESH_ATTEMPT_INTERVAL,
        }
    }

    /// Sets the two windows; a mandatory window longer than the advisory one widens it.
    #[must_use]
    pub const fn with_windows(mut self, advisory: Duration, mandatory: Duration) -> Self {
        self.advisory = if advisory.as_nanos() < mandatory.as_nanos() {
            mandatory
        } else {
            advisory
        };
        self.mandatory = mandatory;
        self
    }

    /// Sets the least time between two refresh attempts.
    #[must_use]
    pub const fn with_attempt_interval(mut self, attempt_interval: Duration) -> Self {
        self.attempt_interval = attempt_interval;
        self
    }

    /// How urgently a token expiring at `expires_at` needs refreshing at `now`, if at all.
    pub fn urgency(&self, expires_at: SystemTime, now: SystemTime) -> Option<Urgency> {
        let left = expires_at.duration_since(now).unwrap_or(Duration::ZERO);
        if left < self.mandatory {
            Some(Urgency::Mandatory)
        } else if left < self.advisory {
            Some(Urgency::Advisory)
        } else {
            None
        }
    }

    /// Decides what to do with `cached` at wall-clock time `now`, given when the last refresh
    /// attempt for it was made (`None` if never, or not known).
    pub fn decide(
        &self,
        cached: &CachedToken,
        now: SystemTime,
        last_attempt: Option<SystemTime>,
    ) -> RefreshDecision {
        let Some(urgency) = self.urgency(cached.expires_at, now) else {
            return RefreshDecision::Keep;
        };
        if let Some(next_attempt) = last_attempt.and_then(|t| t.checked_add(self.attempt_interval))
            && now < next_attempt
        {
            return RefreshDecision::Deferred {
                urgency,
                next_attempt,
            };
        }
        match refresh_request(cached, now) {
            Ok(request) => RefreshDecision::Refresh { urgency, request },
            Err(reason) => RefreshDecision::Unrefreshable { urgency, reason },
        }
    }
}

/// What a refresh came to: [`RefreshStep`]'s outcome, and what the transports' `refresh`
/// returns.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refreshed {
    /// The token has more than the advisory window left: keep using it. Nothing was sent.
    Kept,
    /// The service issued a new token: store this record in place of the old one (the
    /// refresh token may have rotated, and the old one no longer works).
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

/// One refresh, sans I/O: either it is already [`Done`](RefreshStep::Done), or there is a
/// request to send and a [`PendingRefresh`] that reads the answer. Made by
/// [`RefreshPolicy::step`].
#[derive(Debug)]
#[non_exhaustive]
pub enum RefreshStep {
    /// Nothing to send.
    Done(Refreshed),
    /// Send the request, then give the response to [`PendingRefresh::finish`].
    Send(Box<http::Request<Vec<u8>>>, PendingRefresh),
}

/// A refresh whose request is on its way: it turns the response into the new record.
#[derive(Debug)]
pub struct PendingRefresh {
    cached: CachedToken,
    sent_at: SystemTime,
}

impl PendingRefresh {
    /// The renewed record, its expiry counted from when the request was made (so it errs on
    /// the early side).
    ///
    /// # Errors
    /// The service's refusal (an `InvalidGrant` for a spent refresh token, say) or an answer
    /// that cannot be read. If the urgency was only [`Urgency::Advisory`], the old token is
    /// still good.
    pub fn finish<B: AsRef<[u8]>>(self, response: http::Response<B>) -> Result<Refreshed, Error> {
        let token = CreateToken::parse(response)?;
        Ok(Refreshed::Renewed(
            self.cached.refreshed(&token, self.sent_at),
        ))
    }
}

impl RefreshPolicy {
    /// [`decide`](Self::decide) at `now`, and when a refresh is due, its request, sent to
    /// `endpoint` or, without one, to the cached token's region.
    ///
    /// # Errors
    /// [`BuildError::MissingRegion`] (or the region's own error) when a refresh is due and
    /// neither `endpoint` nor the record names where to send it.
    pub fn step(
        &self,
        cached: &CachedToken,
        endpoint: Option<&Endpoint>,
        now: SystemTime,
        last_attempt: Option<SystemTime>,
    ) -> Result<RefreshStep, Error> {
        let refreshed = match self.decide(cached, now, last_attempt) {
            RefreshDecision::Refresh { request, .. } => {
                let endpoint = match (endpoint, &cached.region) {
                    (Some(endpoint), _) => endpoint.clone(),
                    (None, Some(region)) => Endpoint::from_region(region)?,
                    (None, None) => return Err(BuildError::MissingRegion.into()),
                };
                let pending = PendingRefresh {
                    cached: cached.clone(),
                    sent_at: now,
                };
                return Ok(RefreshStep::Send(
                    Box::new(request.to_http(&endpoint)),
                    pending,
                ));
            }
            RefreshDecision::Keep => Refreshed::Kept,
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
        };
        Ok(RefreshStep::Done(refreshed))
    }
}

fn refresh_request(cached: &CachedToken, now: SystemTime) -> Result<CreateToken, CannotRefresh> {
    let refresh_token = cached
        .refresh_token
        .as_ref()
        .ok_or(CannotRefresh::Missing("refreshToken"))?;
    let client_id = cached
        .client_id
        .as_ref()
        .ok_or(CannotRefresh::Missing("clientId"))?;
    let client_secret = cached
        .client_secret
        .as_ref()
        .ok_or(CannotRefresh::Missing("clientSecret"))?;
    let registration_expires_at = cached
        .registration_expires_at
        .ok_or(CannotRefresh::Missing("registrationExpiresAt"))?;
    if registration_expires_at <= now {
        return Err(CannotRefresh::RegistrationExpired);
    }
    CreateToken::builder()
        .client_id(client_id)
        .client_secret(client_secret)
        .grant_type(GrantType::RefreshToken)
        .refresh_token(refresh_token)
        .build()
        .map_err(|e| match e {
            crate::BuildError::MissingMember { member }
            | crate::BuildError::BlankMember { member } => CannotRefresh::Missing(member),
            _ => CannotRefresh::Missing("refreshToken"),
        })
}

impl CachedToken {
    /// The record after a successful refresh at wall-clock time `now`: the new access token
    /// and its expiry, the new refresh token, or the old one when the service sent none. The
    /// start URL, region and registration stay as they were.
    pub fn refreshed(&self, token: &Token, now: SystemTime) -> Self {
        Self {
            access_token: token.access_token.clone(),
            expires_at: expires_at(now, token.expires_in),
            refresh_token: token
                .refresh_token
                .clone()
                .or_else(|| self.refresh_token.clone()),
            ..self.clone()
        }
    }

    /// The record `aws sso login` writes for a finished sign-in: the token, the registration
    /// it belongs to, and the start URL and `region` of the IAM Identity Center instance.
    pub fn from_login(login: &Login, region: impl Into<String>) -> Self {
        let mut cached = Self::new(login.token.access_token.clone(), login.expires_at);
        cached.start_url = Some(login.start_url.clone());
        cached.region = Some(region.into());
        cached.client_id = Some(login.registration.client_id.clone());
        cached.client_secret = Some(login.registration.client_secret.clone());
        cached.registration_expires_at = Some(
            login
                .registration
                .client_secret_expires_at
                .unwrap_or_else(crate::flow::far_future),
        );
        cached.refresh_token = login.token.refresh_token.clone();
        cached
    }

    /// Whether the access token has expired at `now`.
    pub fn is_expired(&self, now: SystemTime) -> bool {
        self.expires_at <= now
    }

    /// Whether the record could be refreshed at `now`, however long its access token has left:
    /// the test [`RefreshPolicy::decide`] applies once a refresh is due (a refresh token, the
    /// client registration's id and secret, and a registration that has not expired). For
    /// showing how long a sign-in lasts; whether to refresh is still `decide`'s call.
    ///
    /// # Errors
    /// Why it could not be: what the record lacks, or that the registration has expired.
    pub fn refreshable(&self, now: SystemTime) -> Result<(), CannotRefresh> {
        refresh_request(self, now).map(|_| ())
    }
}

fn expires_at(now: SystemTime, expires_in: Duration) -> SystemTime {
    now.checked_add(expires_in)
        .unwrap_or_else(crate::flow::far_future)
}
