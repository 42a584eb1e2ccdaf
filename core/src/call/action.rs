//! What a call asks its driver to do next.

use std::fmt;
use std::time::Instant;

use crate::call::CallError;
use crate::machine::debug_send;

/// The next thing the driver of a [`Call`](crate::Call) must do.
///
/// Its `Debug` shows a request's method and URI but not its body, which holds secrets.
#[must_use]
pub enum CallAction<T> {
    /// Send this request and hand the outcome to
    /// [`handle_response`](crate::Call::handle_response) (any HTTP status) or
    /// [`handle_transport_error`](crate::Call::handle_transport_error) (no response).
    Send(http::Request<Vec<u8>>),
    /// Nothing to do before this instant: wait until then (or until cancelled), then call
    /// `poll` again.
    WaitUntil(Instant),
    /// The service answered, and the parser read this from its answer.
    Done(T),
    /// The call ended without an output.
    Failed(CallError),
}

impl<T: fmt::Debug> fmt::Debug for CallAction<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Send(request) => debug_send(f, request),
            Self::WaitUntil(t) => f.debug_tuple("WaitUntil").field(t).finish(),
            Self::Done(output) => f.debug_tuple("Done").field(output).finish(),
            Self::Failed(error) => f.debug_tuple("Failed").field(error).finish(),
        }
    }
}
