//! A single retried call in real time: the core's [`Call`] decides, this file waits and sends.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use sso_oidc::{Call, CallAction};
use sso_oidc_transport::{Cancel, Error, TransportError};

use crate::client::Client;

/// The longest a request under way goes without asking whether it was cancelled.
const CANCEL_CHECK: Duration = Duration::from_millis(50);

impl Client {
    /// Runs a [`Call`] to its end in real time: sends what it says to send, sleeps until it
    /// says to go on, and returns what it ends with. The three operations
    /// ([`register_client`](Self::register_client), ...) are this with a call made by
    /// [`Settings::call_for`](sso_oidc_transport::Settings::call_for); run your own for
    /// another retry policy or parser. Hand it a call nobody has driven yet.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sso_oidc_ureq::sso_oidc::{Call, Endpoint, RegisterClient, RetryPolicy};
    /// use sso_oidc_ureq::{Client, Error};
    /// use sso_oidc_emulator::{BlockingEmulator, Config, Fault};
    ///
    /// let service = BlockingEmulator::start(Config::default())?;
    /// service.inject(Fault::InternalServerError.times(5));
    /// let endpoint = Endpoint::from_url(service.url())?;
    /// let request = RegisterClient::builder().client_name("my-tool").build()?;
    /// // Two attempts, with no wait between them.
    /// let policy = RetryPolicy::standard()
    ///     .with_max_attempts(2)
    ///     .with_backoff(Duration::ZERO, Duration::ZERO);
    /// let call = Call::new(request.to_http(&endpoint), RegisterClient::parse, policy, 7);
    /// let error = Client::builder().build()?.call(call).unwrap_err();
    /// assert!(matches!(error, Error::Api { attempts: 2, .. }));
    /// assert!(error.to_string().ends_with("(gave up after 2 attempts)"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Api`] with the parser's error for the last answer, or [`Error::Transport`]
    /// with the last attempt's failure, once retrying cannot help or the policy ran out of
    /// attempts, with the number of attempts made (the full error of each failed attempt is
    /// logged with `tracing` at debug level); [`Error::Misuse`] for a call that was driven
    /// wrongly before it was handed over.
    pub fn call<T: Clone>(&self, call: Call<T>) -> Result<T, Error> {
        self.run(call, None)
    }

    /// [`call`](Self::call) that ends with [`Error::Cancelled`] within about 100 ms of
    /// [`Cancel::cancel`] on `cancel` (from another thread, or a Ctrl-C handler): while it
    /// waits to retry, and while a request is under way. Each request then runs on a thread
    /// of its own so that it can be abandoned: once cancelled, nothing more is sent, and a
    /// request under way ends on its own within the client's timeouts.
    ///
    /// # Errors
    /// As [`call`](Self::call), and [`Error::Cancelled`].
    pub fn call_until<T: Clone>(&self, call: Call<T>, cancel: &Cancel) -> Result<T, Error> {
        self.run(call, Some(cancel))
    }

    fn run<T: Clone>(&self, mut call: Call<T>, cancel: Option<&Cancel>) -> Result<T, Error> {
        let mut last = None;
        loop {
            match call.poll(Instant::now()) {
                CallAction::Send(request) => match self.send_unless(request, cancel) {
                    None => call.cancel(),
                    Some(Ok(response)) => call.handle_response(response, Instant::now()),
                    Some(Err(error)) => {
                        tracing::debug!(%error, "request failed");
                        call.handle_transport_error(error.kind(), Instant::now());
                        last = Some(error);
                    }
                },
                CallAction::WaitUntil(at) => {
                    let wait = at.saturating_duration_since(Instant::now());
                    tracing::debug!(failed = call.failed_attempts(), ?wait, "retrying");
                    match cancel {
                        Some(cancel) if cancel.wait_timeout(wait) => call.cancel(),
                        Some(_) => {}
                        None => std::thread::sleep(wait),
                    }
                }
                CallAction::Done(output) => return Ok(output),
                CallAction::Failed(error) => {
                    return Err(Error::of_call(error, last, call.request().uri()));
                }
            }
        }
    }

    /// [`send`](Self::send), or with a `cancel`, [`send_until`](Self::send_until).
    fn send_unless(
        &self,
        request: http::Request<Vec<u8>>,
        cancel: Option<&Cancel>,
    ) -> Option<Result<http::Response<Vec<u8>>, TransportError>> {
        match cancel {
            None => Some(self.send(request)),
            Some(cancel) => self.send_until(request, cancel),
        }
    }

    /// [`send`](Self::send) on a thread of its own, or `None` once `cancel` is cancelled.
    pub(crate) fn send_until(
        &self,
        request: http::Request<Vec<u8>>,
        cancel: &Cancel,
    ) -> Option<Result<http::Response<Vec<u8>>, TransportError>> {
        if cancel.is_cancelled() {
            return None;
        }
        let (done, result) = mpsc::sync_channel(1);
        let client = self.clone();
        // The request's debug log goes where the caller's would: its subscriber (which may be
        // set for its thread only) and its span.
        let dispatch = tracing::dispatcher::get_default(Clone::clone);
        let span = tracing::Span::current();
        let worker = std::thread::spawn(move || {
            let sent = tracing::dispatcher::with_default(&dispatch, || {
                span.in_scope(|| client.send(request))
            });
            // Nobody to tell once the caller was cancelled.
            let _ = done.send(sent);
        });
        loop {
            match result.recv_timeout(CANCEL_CHECK) {
                Ok(sent) => return Some(sent),
                Err(RecvTimeoutError::Timeout) if cancel.is_cancelled() => return None,
                Err(RecvTimeoutError::Timeout) => {}
                // Gone without an answer: `send` panicked; so does the caller.
                Err(RecvTimeoutError::Disconnected) => match worker.join() {
                    Err(panic) => std::panic::resume_unwind(panic),
                    Ok(()) => unreachable!("the worker sends its answer before it ends"),
                },
            }
        }
    }
}
