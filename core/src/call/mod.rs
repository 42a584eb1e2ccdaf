//! One operation, retried as the policy allows, as a state machine that is told the time.
//!
//! ```text
//!   new ──► Send(request) ◄──── WaitUntil(answer + backoff, full jitter) ◄────┐
//!                │                                                            │
//!        the answer, or no answer                                             │
//!                │                                                            │
//!                ├── 5xx, 429, throttling, an unreadable 5xx, or no answer    │
//!                │   (Connect, Timeout, Io); an attempt left ─────────────────┘
//!                │
//!                ├── the parser reads it ─────────────────────► Done(output)
//!                ├── any other refusal or unreadable answer ──► Failed(Api)
//!                ├── TLS failure, body too large ─────────────► Failed(Transport)
//!                └── worth a retry, but no attempt left ──────► Failed(Api | Transport)
//!
//!   Any state: cancel() ► Failed(Cancelled); a broken contract ► Failed(Misuse).
//!   Done and Failed are final: every later poll returns them again.
//! ```
//!
//! What is retried, how often and after how long is the [`RetryPolicy`]'s, kept in an
//! [`Attempts`] as the device flow keeps its own; `authorization_pending` and `slow_down` are
//! answers, not failures, so a single `CreateToken` poll ends on them at once. The machine
//! never reads a clock, sleeps or draws random numbers: every call takes `now`, and
//! [`CallAction::WaitUntil`] says how long to wait. Time only moves forward inside it: an
//! earlier `now` than the last one counts as the last one.

mod action;
mod error;

pub use action::CallAction;
pub use error::CallError;

use std::fmt;
use std::time::Instant;

use crate::error::Error;
use crate::machine::{Clock, Misuse, later};
use crate::retry::{Attempts, RetryPolicy};
use crate::transport::TransportErrorKind;

/// How a [`Call`] reads the service's answer: an operation's `parse`, such as
/// [`RegisterClient::parse`](crate::RegisterClient::parse), or a function of the caller's.
pub type Parser<T> = fn(http::Response<Vec<u8>>) -> Result<T, Error>;

/// One request of an operation, sent until its answer can be read or the retry policy gives
/// up: the single-call counterpart of [`DeviceFlow`](crate::DeviceFlow), driven the same
/// way.
///
/// Drive it with a loop: call [`poll`](Self::poll) and do what the [`CallAction`] says;
/// after each [`CallAction::Send`], hand the outcome to
/// [`handle_response`](Self::handle_response) or
/// [`handle_transport_error`](Self::handle_transport_error).
///
/// ```
/// use sso_oidc::{Call, CallAction, Endpoint, RegisterClient, RetryPolicy};
/// use std::time::{Duration, Instant};
///
/// // A stand-in for the service: a 500 first, then the registration.
/// fn send(_request: http::Request<Vec<u8>>, sent: &mut u32) -> http::Response<Vec<u8>> {
///     *sent += 1;
///     let (status, body): (u16, &[u8]) = match *sent {
///         1 => (500, br#"{"error":"server_error","error_description":"try again"}"#),
///         _ => (200, br#"{"clientId":"id","clientSecret":"secret","clientIdIssuedAt":1700000000,"clientSecretExpiresAt":1707776000}"#),
///     };
///     http::Response::builder().status(status).body(body.to_vec()).unwrap()
/// }
///
/// let endpoint = Endpoint::from_region("us-east-1")?;
/// let request = RegisterClient::builder().client_name("my-tool").build()?;
/// let mut call = Call::new(
///     request.to_http(&endpoint),
///     RegisterClient::parse,
///     RetryPolicy::standard(),
///     7, // the jitter seed: random in a real driver
/// );
/// # #[allow(clippy::disallowed_methods)]
/// let start = Instant::now();
/// let (mut now, mut sent) = (start, 0);
/// let registration = loop {
///     match call.poll(now) {
///         CallAction::Send(request) => call.handle_response(send(request, &mut sent), now),
///         CallAction::WaitUntil(t) => now = t, // a real driver sleeps until `t`
///         CallAction::Done(registration) => break registration,
///         CallAction::Failed(error) => return Err(error.into()),
///     }
/// };
/// assert_eq!(registration.client_id, "id");
/// assert_eq!(sent, 2);
/// // Standard mode waits at most 1 s before the second attempt.
/// assert!(now - start <= Duration::from_secs(1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Call<T> {
    request: http::Request<Vec<u8>>,
    parse: Parser<T>,
    attempts: Attempts,
    clock: Clock,
    /// Nothing is sent before this instant; `None`: the next attempt may go at once.
    not_before: Option<Instant>,
    /// An answer to the last `Send` is owed.
    awaiting: bool,
    outcome: Option<Result<T, CallError>>,
}

impl<T> Call<T> {
    /// A call that sends `request`, reads each answer with `parse`, and retries what `policy`
    /// retries, with the backoff's jitter drawn from `seed` (the same seed gives the same
    /// waits; a driver passes a random one so that calls started together do not retry in
    /// lockstep).
    pub fn new(
        request: http::Request<Vec<u8>>,
        parse: Parser<T>,
        policy: RetryPolicy,
        seed: u64,
    ) -> Self {
        Self {
            request,
            parse,
            attempts: Attempts::new(policy, seed),
            clock: Clock::default(),
            not_before: None,
            awaiting: false,
            outcome: None,
        }
    }

    /// Hands the call the response to the request it last asked to send, whatever its
    /// status.
    ///
    /// A response nobody asked for fails the call with [`Misuse::UnexpectedResponse`]; after
    /// the call has ended, responses are ignored.
    pub fn handle_response(&mut self, response: http::Response<Vec<u8>>, now: Instant) {
        let now = self.clock.advance(now);
        if self.outcome.is_some() {
            return;
        }
        if !std::mem::take(&mut self.awaiting) {
            return self.end(CallError::Misuse(Misuse::UnexpectedResponse));
        }
        match (self.parse)(response) {
            Ok(output) => self.outcome = Some(Ok(output)),
            Err(error) => match self.attempts.retry_after_error(&error) {
                Some(backoff) => self.not_before = Some(later(now, backoff)),
                None => {
                    let attempts = self.attempts.failed();
                    self.end(CallError::Api { error, attempts });
                }
            },
        }
    }

    /// Tells the call that the request it last asked to send got no response.
    ///
    /// Connection failures, timeouts and broken connections are retried within the retry
    /// policy; the rest end the call. A transport error nobody asked for fails the call with
    /// [`Misuse::UnexpectedTransportError`]; after the call has ended, it is ignored.
    pub fn handle_transport_error(&mut self, kind: TransportErrorKind, now: Instant) {
        let now = self.clock.advance(now);
        if self.outcome.is_some() {
            return;
        }
        if !std::mem::take(&mut self.awaiting) {
            return self.end(CallError::Misuse(Misuse::UnexpectedTransportError));
        }
        match self.attempts.retry_after_transport_error(kind) {
            Some(backoff) => self.not_before = Some(later(now, backoff)),
            None => {
                let attempts = self.attempts.failed();
                self.end(CallError::Transport { kind, attempts });
            }
        }
    }

    /// Ends the call: every later [`poll`](Self::poll) returns [`CallError::Cancelled`], and
    /// an answer still owed is ignored. A call that has already ended stays as it ended.
    pub fn cancel(&mut self) {
        if self.outcome.is_none() {
            self.end(CallError::Cancelled);
        }
    }

    /// Whether the call has ended, with an output or without.
    pub fn is_finished(&self) -> bool {
        self.outcome.is_some()
    }

    /// The request each attempt sends.
    pub fn request(&self) -> &http::Request<Vec<u8>> {
        &self.request
    }

    /// Failed attempts in a row so far.
    pub fn failed_attempts(&self) -> u32 {
        self.attempts.failed()
    }

    /// The earliest instant the next attempt may be sent, while the call waits to retry.
    pub fn next_send(&self) -> Option<Instant> {
        self.not_before
    }

    fn end(&mut self, error: CallError) {
        self.awaiting = false;
        self.outcome = Some(Err(error));
    }
}

impl<T: Clone> Call<T> {
    /// What to do next, at time `now`.
    ///
    /// Call it again after doing what it says. After [`CallAction::Send`], call a `handle_*`
    /// method first: a `poll` while an answer is owed fails the call with
    /// [`Misuse::PollWhileAwaitingResponse`]. Once it returns [`CallAction::Done`] or
    /// [`CallAction::Failed`], it returns the same again on every call.
    pub fn poll(&mut self, now: Instant) -> CallAction<T> {
        let now = self.clock.advance(now);
        match &self.outcome {
            Some(Ok(output)) => return CallAction::Done(output.clone()),
            Some(Err(error)) => return CallAction::Failed(error.clone()),
            None => {}
        }
        if self.awaiting {
            let error = CallError::Misuse(Misuse::PollWhileAwaitingResponse);
            self.end(error.clone());
            return CallAction::Failed(error);
        }
        if let Some(not_before) = self.not_before
            && now < not_before
        {
            return CallAction::WaitUntil(not_before);
        }
        self.awaiting = true;
        CallAction::Send(self.request.clone())
    }
}

impl<T: fmt::Debug> fmt::Debug for Call<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The request's body holds secrets: only its method and URI show.
        f.debug_struct("Call")
            .field("method", self.request.method())
            .field("uri", self.request.uri())
            .field("attempts", &self.attempts)
            .field("not_before", &self.not_before)
            .field("awaiting", &self.awaiting)
            .field("outcome", &self.outcome)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::create_token::{CreateToken, Token};
    use std::time::Duration;

    fn response(status: u16, body: &str) -> http::Response<Vec<u8>> {
        http::Response::builder()
            .status(status)
            .body(body.as_bytes().to_vec())
            .unwrap()
    }

    const TOKEN: &str = r#"{"accessToken":"at","tokenType":"Bearer","expiresIn":28800}"#;

    fn call(policy: RetryPolicy) -> Call<Token> {
        let mut request = http::Request::new(b"secret body".to_vec());
        *request.uri_mut() = "https://oidc.us-east-1.amazonaws.com/token"
            .parse()
            .unwrap();
        Call::new(request, CreateToken::parse, policy, 1)
    }

    #[allow(clippy::disallowed_methods)]
    fn start() -> Instant {
        Instant::now()
    }

    #[test]
    fn debug_never_shows_the_body() {
        let mut call = call(RetryPolicy::standard());
        let now = start();
        assert!(!format!("{call:?}").contains("secret"));
        let action = call.poll(now);
        let debug = format!("{action:?}");
        assert!(
            debug.starts_with("Send") && !debug.contains("secret"),
            "{debug}"
        );
    }

    #[test]
    fn a_retry_waits_from_the_answer_not_the_request() {
        let mut call = call(RetryPolicy::standard());
        let now = start();
        let CallAction::Send(_) = call.poll(now) else {
            panic!("sends at once")
        };
        let answered = now + Duration::from_millis(300);
        call.handle_response(response(503, ""), answered);
        let CallAction::WaitUntil(until) = call.poll(answered) else {
            panic!("waits")
        };
        assert_eq!(Some(until), call.next_send());
        assert!(until > answered && until <= answered + Duration::from_secs(1));
        // Too early: still waiting, for the same instant.
        assert!(matches!(call.poll(answered), CallAction::WaitUntil(t) if t == until));
        assert!(matches!(call.poll(until), CallAction::Send(_)));
        call.handle_response(response(200, TOKEN), until);
        assert!(
            matches!(call.poll(until), CallAction::Done(ref t) if t.access_token.expose() == "at")
        );
        assert_eq!(call.failed_attempts(), 1);
    }
}
