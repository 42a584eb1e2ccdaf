//! The client registration a sign-in uses, which both flows share: a cached one while it is
//! good for this flow, else a fresh one, and one fresh try when the service no longer knows the
//! cached one.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::create_token::Token;
use crate::error::{Error, ErrorCode};
use crate::flow::{FlowError, Login};
use crate::register_client::ClientRegistration;

/// A cached registration that expires within this window is not used: it could lapse in the
/// middle of the sign-in, and the AWS CLI uses the same window.
pub const REGISTRATION_EXPIRY_WINDOW: Duration = Duration::from_secs(15 * 60);

/// The registration of one sign-in.
#[derive(Debug)]
pub(crate) struct Registration {
    current: Option<ClientRegistration>,
    /// `current` came from the cache (and so may be stale).
    cached: bool,
    /// A cached registration was already dropped once after `InvalidClient`.
    reregistered: bool,
}

impl Registration {
    /// Starts with `cached` when it lasts beyond [`REGISTRATION_EXPIRY_WINDOW`] after
    /// `wall_clock` and `fits` this flow (its grant types: the AWS CLI keeps device and
    /// authorization-code registrations apart, in the same file).
    pub(crate) fn new(
        cached: Option<ClientRegistration>,
        wall_clock: SystemTime,
        fits: impl Fn(&ClientRegistration) -> bool,
    ) -> Self {
        let current = cached
            .filter(|r| lasts_beyond(r, wall_clock, REGISTRATION_EXPIRY_WINDOW))
            .filter(|r| fits(r));
        Self {
            cached: current.is_some(),
            current,
            reregistered: false,
        }
    }

    /// The registration to use, once there is one.
    pub(crate) fn get(&self) -> Option<&ClientRegistration> {
        self.current.as_ref()
    }

    /// Takes a fresh `RegisterClient` answer.
    pub(crate) fn registered(&mut self, registration: ClientRegistration) {
        self.current = Some(registration);
        self.cached = false;
    }

    /// Whether `error` says that the cached registration is unknown to the service, and it is
    /// worth one fresh registration.
    pub(crate) fn is_stale(&self, error: &Error) -> bool {
        self.is_stale_code(error.code())
    }

    /// As [`is_stale`](Self::is_stale), for an error code from elsewhere (a redirect).
    pub(crate) fn is_stale_code(&self, code: Option<&ErrorCode>) -> bool {
        self.cached && !self.reregistered && code == Some(&ErrorCode::InvalidClient)
    }

    /// Drops the stale cached registration: the flow registers anew.
    pub(crate) fn drop_stale(&mut self) {
        self.current = None;
        self.cached = false;
        self.reregistered = true;
    }

    /// The finished sign-in for `token`, received at `now` in a flow started at `started`
    /// (monotonic) and `wall_clock`; `None` before there is a registration.
    pub(crate) fn login(
        &self,
        token: Token,
        start_url: &str,
        (started, wall_clock): (Instant, SystemTime),
        now: Instant,
    ) -> Option<Login> {
        let registration = self.current.clone()?;
        let elapsed = now.saturating_duration_since(started);
        let expires_at = wall_clock
            .checked_add(elapsed)
            .and_then(|t| t.checked_add(token.expires_in))
            .unwrap_or_else(far_future);
        Some(Login {
            token,
            expires_at,
            registration,
            registration_is_new: !self.cached,
            start_url: start_url.to_owned(),
        })
    }
}

/// What a flow ends with when a request failed and the retry policy gives up.
pub(crate) fn gave_up(error: Error, attempts: u32) -> FlowError {
    match error {
        Error::Service(error) => FlowError::Service { error, attempts },
        Error::Parse(error) => FlowError::Parse { error, attempts },
        Error::Build(error) => FlowError::Build(error),
    }
}

/// Whether a registration stays valid for `window` after `now`; one that never expires does.
pub(crate) fn lasts_beyond(
    registration: &ClientRegistration,
    now: SystemTime,
    window: Duration,
) -> bool {
    match registration.client_secret_expires_at {
        None => true,
        Some(expires_at) => expires_at
            .duration_since(now)
            .is_ok_and(|left| left > window),
    }
}

/// The latest time the token cache can write: 9999-12-31T23:59:59Z.
pub(crate) fn far_future() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(253_402_300_799)
}
