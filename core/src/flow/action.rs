//! What a device flow asks its driver to do next, and what it ends with.

use std::fmt;
use std::time::{Duration, Instant, SystemTime};

use crate::create_token::Token;
use crate::flow::FlowError;
use crate::machine::debug_send;
use crate::register_client::ClientRegistration;

/// The next thing the driver of a [`DeviceFlow`](crate::DeviceFlow) must do.
///
/// Its `Debug` shows a request's method and URI but not its body, which holds secrets.
#[must_use]
pub enum Action {
    /// Send this request and hand the outcome to
    /// [`handle_response`](crate::DeviceFlow::handle_response) (any HTTP status) or
    /// [`handle_transport_error`](crate::DeviceFlow::handle_transport_error) (no response).
    Send(http::Request<Vec<u8>>),
    /// Show the person where to go and which code to confirm, then call `poll` again. Comes
    /// once per device authorization.
    Prompt(Prompt),
    /// Nothing to do before this instant: wait until then (or until cancelled), then call
    /// `poll` again.
    WaitUntil(Instant),
    /// The person approved: here is the token, and the registration to cache.
    Done(Login),
    /// The flow ended without a token.
    Failed(FlowError),
}

impl fmt::Debug for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Send(request) => debug_send(f, request),
            Self::Prompt(prompt) => f.debug_tuple("Prompt").field(prompt).finish(),
            Self::WaitUntil(t) => f.debug_tuple("WaitUntil").field(t).finish(),
            Self::Done(login) => f.debug_tuple("Done").field(login).finish(),
            Self::Failed(error) => f.debug_tuple("Failed").field(error).finish(),
        }
    }
}

/// What to show the person who approves the sign-in.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Prompt {
    /// The code the person checks on the verification page, e.g. `GPNW-SHFH`.
    pub user_code: String,
    /// The verification page, where the person types the code.
    pub verification_uri: String,
    /// The verification page with the code filled in, when the service sends it: the link to
    /// open in a browser or render as a QR code.
    pub verification_uri_complete: Option<String>,
    /// When the code expires; the flow gives up then.
    pub deadline: Instant,
    /// How long the code is valid, counted from when the device authorization was requested.
    pub expires_in: Duration,
}

impl Prompt {
    /// The link to open: the complete URI when there is one, else the verification page.
    pub fn link(&self) -> &str {
        self.verification_uri_complete
            .as_deref()
            .unwrap_or(&self.verification_uri)
    }
}

/// A finished sign-in: the token, and the client registration it was issued to.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Login {
    /// The token the service issued.
    pub token: Token,
    /// When the access token expires, on the wall clock given to
    /// [`DeviceFlow::new`](crate::DeviceFlow::new): what the cache stores as `expiresAt`.
    pub expires_at: SystemTime,
    /// The client registration the token belongs to.
    pub registration: ClientRegistration,
    /// Whether `registration` is new in this flow (and so worth writing to the cache), rather
    /// than the cached one the flow was given.
    pub registration_is_new: bool,
    /// The start URL the person signed in to.
    pub start_url: String,
}
