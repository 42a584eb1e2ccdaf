//! What a role-credentials flow asks its driver to do next.

use std::fmt;
use std::time::Instant;

use crate::cache::CachedToken;
use crate::credentials::RoleCredentialsError;
use crate::machine::debug_send;
use crate::portal::RoleCredentials;

/// The next thing the driver of a [`RoleCredentialsFlow`](crate::RoleCredentialsFlow) must do.
///
/// Its `Debug` shows a request's method and URI but neither its headers, where the portal's
/// bearer token travels, nor its body; a token's `Debug` hides its secrets.
#[must_use]
pub enum RoleCredentialsAction {
    /// Send this request and hand the outcome to
    /// [`handle_response`](crate::RoleCredentialsFlow::handle_response) (any HTTP status) or
    /// [`handle_transport_error`](crate::RoleCredentialsFlow::handle_transport_error) (no
    /// response).
    Send(http::Request<Vec<u8>>),
    /// Nothing to do before this instant: wait until then (or until cancelled), then call
    /// `poll` again.
    WaitUntil(Instant),
    /// The token was refreshed: write this record in place of the old one (in the token cache,
    /// under the lock held since it was read), then call `poll` again. The service may have
    /// rotated the refresh token, and the old one no longer works, so do not skip the write. It
    /// comes at most once, before `GetRoleCredentials`.
    Store(CachedToken),
    /// The portal issued these credentials.
    Done(RoleCredentials),
    /// The flow ended without credentials.
    Failed(RoleCredentialsError),
}

impl fmt::Debug for RoleCredentialsAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Send(request) => debug_send(f, request),
            Self::WaitUntil(t) => f.debug_tuple("WaitUntil").field(t).finish(),
            Self::Store(token) => f.debug_tuple("Store").field(token).finish(),
            Self::Done(credentials) => f.debug_tuple("Done").field(credentials).finish(),
            Self::Failed(error) => f.debug_tuple("Failed").field(error).finish(),
        }
    }
}
