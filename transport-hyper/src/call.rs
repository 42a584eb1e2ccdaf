//! A single retried call in real time: the core's [`Call`] decides, this file sends and
//! sleeps on the tokio timer.

use std::future::Future;
use std::time::Instant;

use sso_oidc::{Call, CallAction};
use sso_oidc_transport::{Cancel, Error};

use crate::client::Client;

impl Client {
    /// Runs a [`Call`] to its end in real time: sends what it says to send, sleeps on the
    /// tokio timer until it says to go on, and returns what it ends with. The three
    /// operations ([`register_client`](Self::register_client), ...) are this with a call made
    /// by [`Settings::call_for`](sso_oidc_transport::Settings::call_for); run your own for
    /// another retry policy or parser. Hand it a call nobody has driven yet.
    ///
    /// **Cancelling:** drop the future: nothing more is sent, and a request under way is
    /// abandoned. Or use [`call_until`](Self::call_until) to get [`Error::Cancelled`] back.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sso_oidc_hyper::sso_oidc::{Call, Endpoint, RegisterClient, RetryPolicy};
    /// use sso_oidc_hyper::{Client, Error};
    /// use sso_oidc_emulator::{Config, Emulator, Fault};
    ///
    /// #[tokio::main(flavor = "current_thread")]
    /// async fn main() -> Result<(), Box<dyn std::error::Error>> {
    ///     let service = Emulator::start(Config::default()).await?;
    ///     service.inject(Fault::InternalServerError.times(5));
    ///     let endpoint = Endpoint::from_url(service.url())?;
    ///     let request = RegisterClient::builder().client_name("my-tool").build()?;
    ///     // Two attempts, with no wait between them.
    ///     let policy = RetryPolicy::standard()
    ///         .with_max_attempts(2)
    ///         .with_backoff(Duration::ZERO, Duration::ZERO);
    ///     let call = Call::new(request.to_http(&endpoint), RegisterClient::parse, policy, 7);
    ///     let error = Client::builder().build()?.call(call).await.unwrap_err();
    ///     assert!(matches!(error, Error::Api { attempts: 2, .. }));
    ///     assert!(error.to_string().ends_with("(gave up after 2 attempts)"));
    ///     Ok(())
    /// }
    /// ```
    ///
    /// # Errors
    /// [`Error::Api`] with the parser's error for the last answer, or [`Error::Transport`]
    /// with the last attempt's failure, once retrying cannot help or the policy ran out of
    /// attempts, with the number of attempts made (the full error of each failed attempt is
    /// logged with `tracing` at debug level); [`Error::Misuse`] for a call that was driven
    /// wrongly before it was handed over.
    pub async fn call<T: Clone>(&self, call: Call<T>) -> Result<T, Error> {
        self.run(call, None).await
    }

    /// [`call`](Self::call) that ends with [`Error::Cancelled`] as soon as `cancel` is
    /// cancelled, from any thread or task: while it waits to retry, or while a request is
    /// under way (which is then abandoned).
    ///
    /// # Errors
    /// As [`call`](Self::call), and [`Error::Cancelled`].
    pub async fn call_until<T: Clone>(&self, call: Call<T>, cancel: &Cancel) -> Result<T, Error> {
        self.run(call, Some(cancel)).await
    }

    async fn run<T: Clone>(&self, mut call: Call<T>, cancel: Option<&Cancel>) -> Result<T, Error> {
        let mut last = None;
        loop {
            match call.poll(Instant::now()) {
                CallAction::Send(request) => match unless(cancel, self.send(request)).await {
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
                    if unless(cancel, tokio::time::sleep_until(at.into()))
                        .await
                        .is_none()
                    {
                        call.cancel();
                    }
                }
                CallAction::Done(output) => return Ok(output),
                CallAction::Failed(error) => {
                    return Err(Error::of_call(error, last, call.request().uri()));
                }
            }
        }
    }
}

/// What `future` gives, or `None` if `cancel` is cancelled first.
async fn unless<F: Future>(cancel: Option<&Cancel>, future: F) -> Option<F::Output> {
    match cancel {
        None => Some(future.await),
        Some(cancel) => tokio::select! {
            biased;
            () = cancel.cancelled() => None,
            output = future => Some(output),
        },
    }
}
