//! What an authorization-code flow asks its driver to do next, and what a redirect did.

use std::fmt;
use std::time::Instant;

use crate::auth_code::RedirectError;
use crate::flow::{FlowError, Login};
use crate::machine::debug_send;

/// The next thing the driver of an [`AuthCodeFlow`](crate::AuthCodeFlow) must do.
///
/// Its `Debug` shows a request's method and URI but not its body, which holds secrets.
#[must_use]
pub enum AuthCodeAction {
    /// Send this request and hand the outcome to
    /// [`handle_response`](crate::AuthCodeFlow::handle_response) (any HTTP status) or
    /// [`handle_transport_error`](crate::AuthCodeFlow::handle_transport_error) (no response).
    Send(http::Request<Vec<u8>>),
    /// Open this URL in a browser, or show it, then call `poll` again. Comes once per
    /// registration (twice only when a cached one was stale).
    Authorize(Authorize),
    /// Wait for the browser to come back to the listener: hand each request target it gets to
    /// [`handle_redirect`](crate::AuthCodeFlow::handle_redirect), and call `poll` again after
    /// one is accepted or at this instant, when the flow gives up.
    AwaitRedirect(Instant),
    /// Nothing to do before this instant (a retry's backoff): wait until then (or until
    /// cancelled), then call `poll` again.
    WaitUntil(Instant),
    /// The person approved: here is the token, and the registration to cache.
    Done(Login),
    /// The flow ended without a token.
    Failed(FlowError),
}

impl fmt::Debug for AuthCodeAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Send(request) => debug_send(f, request),
            Self::Authorize(authorize) => f.debug_tuple("Authorize").field(authorize).finish(),
            Self::AwaitRedirect(t) => f.debug_tuple("AwaitRedirect").field(t).finish(),
            Self::WaitUntil(t) => f.debug_tuple("WaitUntil").field(t).finish(),
            Self::Done(login) => f.debug_tuple("Done").field(login).finish(),
            Self::Failed(error) => f.debug_tuple("Failed").field(error).finish(),
        }
    }
}

/// Where to send the person: the service's authorize page, which comes back to the listener.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Authorize {
    /// The URL to open or show: `https://<oidc host>/authorize?response_type=code&...`. It
    /// holds the `state` and the code challenge, never the verifier.
    pub url: String,
    /// The redirect URI the browser comes back to, as the flow was given it.
    pub redirect_uri: String,
    /// When the flow stops waiting for the browser.
    pub deadline: Instant,
}

/// What [`AuthCodeFlow::handle_redirect`](crate::AuthCodeFlow::handle_redirect) did with a
/// redirect: what the listener may tell the browser.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RedirectOutcome {
    /// The code was taken: the flow goes on to exchange it (call `poll`).
    Accepted,
    /// The browser came back with an `error`: the flow has ended with
    /// [`FlowError::Refused`].
    Refused,
    /// Not for this sign-in, or not readable: ignored, and the flow goes on waiting.
    Rejected(RedirectError),
    /// The flow was not waiting for a redirect: it has taken one already or has ended (the
    /// redirect is ignored), or it has not handed out the authorize URL yet (the flow fails
    /// with [`Misuse::UnexpectedRedirect`](crate::Misuse::UnexpectedRedirect)).
    NotWaiting,
}
