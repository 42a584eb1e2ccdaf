//! The device-authorization sign-in (RFC 8628) as a state machine that is told the time.
//!
//! ```text
//!                  cached registration valid for 15 min more?
//!          no ┌──────────────────┴──────────────────┐ yes
//!             ▼                                     │
//!   ┌─► RegisterClient ──────────────┐              │
//!   │                                ▼              ▼
//!   │                      StartDeviceAuthorization ◄┘
//!   │                                │  deadline = time sent + expiresIn
//!   │                                ▼
//!   │                             Prompt ─── (wait one interval)
//!   │                                │
//!   │                                ▼
//!   │              ┌──────────► CreateToken ──── token ──────────► Done
//!   │              │                 │
//!   │   authorization_pending: wait the interval
//!   │   slow_down: interval += 5 s, wait it
//!   │   5xx, throttling, transport error: back off (full jitter)
//!   │              │                 │
//!   │              └─────────────────┤
//!   │                                ├── expired_token, deadline ────► Failed(Expired)
//!   │                                ├── access_denied ──────────────► Failed(Denied)
//!   │                                ├── retries used up, other error ► Failed(...)
//!   └── invalid_client with a cached registration, once ◄──┘
//!
//!   Any state: cancel() ► Failed(Cancelled); a broken contract ► Failed(Misuse).
//!   Done and Failed are final: every later poll returns them again.
//! ```
//!
//! The machine never reads a clock, sleeps or draws random numbers: every call takes `now`,
//! and [`Action::WaitUntil`] says how long to wait. Time only moves forward inside it: an
//! earlier `now` than the last one counts as the last one.

mod action;
mod config;
mod error;
mod registration;

pub use action::{Action, Login, Prompt};
pub use config::{
    DEFAULT_CLIENT_NAME, DEFAULT_MAX_INTERVAL, DeviceFlowConfig, DeviceFlowConfigBuilder,
};
pub use error::FlowError;
pub use registration::REGISTRATION_EXPIRY_WINDOW;
pub(crate) use registration::{Registration, far_future, gave_up};

use std::time::{Duration, Instant, SystemTime};

use crate::create_token::{CreateToken, GrantType};
use crate::error::{Error, ErrorCode};
use crate::machine::{Clock, Misuse, later};
use crate::operation::Operation;
use crate::register_client::RegisterClient;
use crate::retry::Attempts;
use crate::secret::Secret;
use crate::start_device_authorization::StartDeviceAuthorization;
use crate::transport::TransportErrorKind;

/// The poll interval when the service does not send one (RFC 8628 section 3.2).
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);

/// What each `slow_down` adds to the poll interval (RFC 8628 section 3.5).
pub const SLOW_DOWN_STEP: Duration = Duration::from_secs(5);

/// The shortest poll interval the flow uses, whatever the service says: an interval of 0
/// would poll without pause.
const MIN_INTERVAL: Duration = Duration::from_secs(1);

/// A whole device-authorization sign-in: register (or reuse a registration), start the
/// device authorization, prompt, poll for the token.
///
/// Drive it with a loop: call [`poll`](Self::poll) and do what the [`Action`] says; after each
/// [`Action::Send`], hand the outcome to [`handle_response`](Self::handle_response) or
/// [`handle_transport_error`](Self::handle_transport_error).
///
/// ```
/// use sso_oidc::{Action, DeviceFlow, DeviceFlowConfig, Endpoint};
/// use std::time::{Duration, Instant, SystemTime};
///
/// // A stand-in for the service: it answers each operation as the real one does.
/// fn send(request: http::Request<Vec<u8>>, polls: &mut u32) -> http::Response<Vec<u8>> {
///     let (status, body): (u16, &[u8]) = match request.uri().path() {
///         "/client/register" => (200, br#"{"clientId":"id","clientSecret":"secret","clientIdIssuedAt":1700000000,"clientSecretExpiresAt":1707776000}"#),
///         "/device_authorization" => (200, br#"{"deviceCode":"dc","userCode":"GPNW-SHFH","verificationUri":"https://device.sso.us-east-1.amazonaws.com/","expiresIn":600,"interval":1}"#),
///         _ if { *polls += 1; *polls < 3 } => (400, br#"{"error":"authorization_pending"}"#),
///         _ => (200, br#"{"accessToken":"at","tokenType":"Bearer","expiresIn":28800}"#),
///     };
///     http::Response::builder().status(status).body(body.to_vec()).unwrap()
/// }
///
/// let config = DeviceFlowConfig::builder()
///     .endpoint(Endpoint::from_region("us-east-1")?)
///     .start_url("https://d-1234567890.awsapps.com/start")
///     .client_name("my-tool")
///     .build()?;
/// # #[allow(clippy::disallowed_methods)]
/// let start = Instant::now();
/// # #[allow(clippy::disallowed_methods)]
/// let mut flow = DeviceFlow::new(config, start, SystemTime::now());
/// let (mut now, mut polls) = (start, 0);
/// let login = loop {
///     match flow.poll(now) {
///         Action::Send(request) => flow.handle_response(send(request, &mut polls), now),
///         Action::Prompt(prompt) => println!("Open {} and confirm {}", prompt.link(), prompt.user_code),
///         Action::WaitUntil(t) => now = t, // a real driver sleeps until `t`
///         Action::Done(login) => break login,
///         Action::Failed(error) => return Err(error.into()),
///     }
/// };
/// assert_eq!(login.token.access_token.expose(), "at");
/// assert_eq!(now - start, Duration::from_secs(3)); // polled at +1 s, +2 s and +3 s
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct DeviceFlow {
    config: DeviceFlowConfig,
    started: Instant,
    wall_clock: SystemTime,
    clock: Clock,
    registration: Registration,
    step: Step,
    /// The operation whose answer is owed.
    awaiting: Option<Operation>,
    sent_at: Instant,
    /// Nothing is sent before this instant.
    not_before: Instant,
    /// The attempts at the current request: failures in a row, and the retry jitter.
    attempts: Attempts,
    outcome: Option<Result<Login, FlowError>>,
}

/// Where the sign-in is.
#[derive(Debug)]
enum Step {
    Register,
    Authorize,
    /// The device authorization is granted; the prompt is still to be shown.
    Prompt(Polling, Prompt),
    Poll(Polling),
}

#[derive(Debug)]
struct Polling {
    device_code: Secret,
    deadline: Instant,
    interval: Duration,
}

impl DeviceFlow {
    /// Starts a sign-in at monotonic time `now`. `wall_clock` is the current wall-clock time:
    /// it decides whether the cached registration is still good and dates the token's
    /// [`Login::expires_at`]; nothing else in the flow depends on it.
    ///
    /// A cached registration for the authorization-code grant is not used: as the AWS CLI, the
    /// device flow registers a client of its own then.
    pub fn new(config: DeviceFlowConfig, now: Instant, wall_clock: SystemTime) -> Self {
        let registration = Registration::new(config.registration.clone(), wall_clock, |r| {
            !r.has_grant_type(GrantType::AuthorizationCode)
        });
        let step = if registration.get().is_some() {
            Step::Authorize
        } else {
            Step::Register
        };
        Self {
            attempts: Attempts::new(config.retry, config.jitter_seed.unwrap_or(0)),
            config,
            started: now,
            wall_clock,
            clock: Clock::new(now),
            registration,
            step,
            awaiting: None,
            sent_at: now,
            not_before: now,
            outcome: None,
        }
    }

    /// What to do next, at time `now`.
    ///
    /// Call it again after doing what it says. After [`Action::Send`], call a `handle_*`
    /// method first: a `poll` while an answer is owed fails the flow with
    /// [`Misuse::PollWhileAwaitingResponse`]. Once it returns [`Action::Done`] or
    /// [`Action::Failed`], it returns the same again on every call.
    pub fn poll(&mut self, now: Instant) -> Action {
        let now = self.advance(now);
        if let Some(outcome) = &self.outcome {
            return match outcome {
                Ok(login) => Action::Done(login.clone()),
                Err(error) => Action::Failed(error.clone()),
            };
        }
        if self.awaiting.is_some() {
            return self.fail(FlowError::Misuse(Misuse::PollWhileAwaitingResponse));
        }
        if let Some(deadline) = self.deadline() {
            // RFC 8628 3.5: past the deadline the service only answers expired_token.
            if now >= deadline {
                return self.fail(FlowError::Expired(None));
            }
        }
        match std::mem::replace(&mut self.step, Step::Register) {
            Step::Prompt(polling, prompt) => {
                // The first poll comes one interval after the prompt.
                self.not_before = later(now, polling.interval);
                self.step = Step::Poll(polling);
                return Action::Prompt(prompt);
            }
            step => self.step = step,
        }
        if now < self.not_before {
            let until = match self.deadline() {
                Some(deadline) => self.not_before.min(deadline),
                None => self.not_before,
            };
            return Action::WaitUntil(until);
        }
        match self.request() {
            Ok((operation, request)) => {
                self.awaiting = Some(operation);
                self.sent_at = now;
                Action::Send(request)
            }
            Err(error) => self.fail(error),
        }
    }

    /// Hands the flow the response to the request it last asked to send, whatever its status.
    ///
    /// A response nobody asked for fails the flow with [`Misuse::UnexpectedResponse`]; after the
    /// flow has ended, responses are ignored.
    pub fn handle_response<B: AsRef<[u8]>>(&mut self, response: http::Response<B>, now: Instant) {
        let now = self.advance(now);
        if self.outcome.is_some() {
            return;
        }
        let Some(operation) = self.awaiting.take() else {
            return self.end(FlowError::Misuse(Misuse::UnexpectedResponse));
        };
        match operation {
            Operation::RegisterClient => match RegisterClient::parse(response) {
                Ok(registration) => {
                    self.registration.registered(registration);
                    self.step = Step::Authorize;
                    self.succeeded(now);
                }
                Err(error) => self.attempt_failed(error, now),
            },
            Operation::StartDeviceAuthorization => {
                match StartDeviceAuthorization::parse(response) {
                    Ok(authorization) => {
                        let interval = authorization
                            .interval
                            .unwrap_or(DEFAULT_INTERVAL)
                            .max(MIN_INTERVAL);
                        // The service's clock starts when it gets the request; counting from
                        // the moment it was sent errs on the early side.
                        let deadline = later(self.sent_at, authorization.expires_in);
                        let prompt = Prompt {
                            user_code: authorization.user_code,
                            verification_uri: authorization.verification_uri,
                            verification_uri_complete: authorization.verification_uri_complete,
                            deadline,
                            expires_in: authorization.expires_in,
                        };
                        let polling = Polling {
                            device_code: authorization.device_code,
                            deadline,
                            interval,
                        };
                        self.step = Step::Prompt(polling, prompt);
                        self.succeeded(now);
                    }
                    Err(error) if self.registration.is_stale(&error) => self.reregister(now),
                    Err(error) => self.attempt_failed(error, now),
                }
            }
            Operation::CreateToken => match CreateToken::parse(response) {
                Ok(token) => self.done(token, now),
                Err(error) => self.token_refused(error, now),
            },
            // The flow never sends to the portal.
            Operation::GetRoleCredentials
            | Operation::ListAccounts
            | Operation::ListAccountRoles
            | Operation::Logout => self.end(FlowError::Misuse(Misuse::UnexpectedResponse)),
        }
    }

    /// Tells the flow that the request it last asked to send got no response.
    ///
    /// Connection failures, timeouts and broken connections are retried within the retry
    /// policy; a timeout while polling also doubles the poll interval, up to
    /// [`DeviceFlowConfigBuilder::max_interval`] (RFC 8628 section 3.5). A transport error
    /// nobody asked for fails the flow with [`Misuse::UnexpectedTransportError`]; after the
    /// flow has ended, it is ignored.
    pub fn handle_transport_error(&mut self, kind: TransportErrorKind, now: Instant) {
        let now = self.advance(now);
        if self.outcome.is_some() {
            return;
        }
        if self.awaiting.take().is_none() {
            return self.end(FlowError::Misuse(Misuse::UnexpectedTransportError));
        }
        if kind == TransportErrorKind::Timeout {
            let cap = self.config.max_interval;
            if let Step::Poll(polling) = &mut self.step {
                polling.interval = polling
                    .interval
                    .max(polling.interval.saturating_mul(2).min(cap));
            }
        }
        match self.attempts.retry_after_transport_error(kind) {
            Some(backoff) => self.back_off(now, backoff),
            None => {
                let attempts = self.attempts.failed();
                self.end(FlowError::Transport { kind, attempts });
            }
        }
    }

    /// Ends the flow: every later [`poll`](Self::poll) returns
    /// [`FlowError::Cancelled`], and an answer still owed is ignored. A flow that has already
    /// ended stays as it ended.
    pub fn cancel(&mut self) {
        if self.outcome.is_none() {
            self.awaiting = None;
            self.outcome = Some(Err(FlowError::Cancelled));
        }
    }

    /// Whether the flow has ended, with a token or without.
    pub fn is_finished(&self) -> bool {
        self.outcome.is_some()
    }

    /// The poll interval, once the device authorization is granted.
    pub fn interval(&self) -> Option<Duration> {
        self.polling().map(|p| p.interval)
    }

    /// When the user code expires, once the device authorization is granted.
    pub fn deadline(&self) -> Option<Instant> {
        self.polling().map(|p| p.deadline)
    }

    /// The earliest instant the next request may be sent.
    pub fn next_send(&self) -> Instant {
        self.not_before
    }

    fn polling(&self) -> Option<&Polling> {
        match &self.step {
            Step::Prompt(polling, _) | Step::Poll(polling) => Some(polling),
            Step::Register | Step::Authorize => None,
        }
    }

    fn advance(&mut self, now: Instant) -> Instant {
        self.clock.advance(now)
    }

    fn request(&self) -> Result<(Operation, http::Request<Vec<u8>>), FlowError> {
        let endpoint = &self.config.endpoint;
        let registration = self.registration.get();
        let (operation, request) = match (&self.step, registration) {
            (Step::Register, _) | (_, None) => (
                Operation::RegisterClient,
                self.config.register.to_http(endpoint),
            ),
            (Step::Authorize, Some(r)) => (
                Operation::StartDeviceAuthorization,
                StartDeviceAuthorization::builder()
                    .client_id(&r.client_id)
                    .client_secret(&r.client_secret)
                    .start_url(&self.config.start_url)
                    .build()
                    .map_err(FlowError::Build)?
                    .to_http(endpoint),
            ),
            (Step::Prompt(polling, _) | Step::Poll(polling), Some(r)) => (
                Operation::CreateToken,
                CreateToken::builder()
                    .client_id(&r.client_id)
                    .client_secret(&r.client_secret)
                    .grant_type(GrantType::DeviceCode)
                    .device_code(&polling.device_code)
                    .build()
                    .map_err(FlowError::Build)?
                    .to_http(endpoint),
            ),
        };
        Ok((operation, request))
    }

    fn token_refused(&mut self, error: Error, now: Instant) {
        let service = match error {
            Error::Service(service) => service,
            other => return self.attempt_failed(other, now),
        };
        match service.code() {
            ErrorCode::AuthorizationPending => self.wait_interval(now),
            ErrorCode::SlowDown => {
                if let Step::Poll(polling) = &mut self.step {
                    polling.interval = polling.interval.saturating_add(SLOW_DOWN_STEP);
                }
                self.wait_interval(now);
            }
            ErrorCode::ExpiredToken => self.end(FlowError::Expired(Some(service))),
            ErrorCode::AccessDenied => self.end(FlowError::Denied(service)),
            _ => {
                let error = Error::Service(service);
                if self.registration.is_stale(&error) {
                    self.reregister(now);
                } else {
                    self.attempt_failed(error, now);
                }
            }
        }
    }

    fn reregister(&mut self, now: Instant) {
        self.registration.drop_stale();
        self.step = Step::Register;
        self.succeeded(now);
    }

    /// The service answered the current request (pending counts): the next one may go now.
    fn succeeded(&mut self, now: Instant) {
        self.attempts.reset();
        self.not_before = now;
    }

    fn wait_interval(&mut self, now: Instant) {
        self.attempts.reset();
        let interval = self.interval().unwrap_or(DEFAULT_INTERVAL);
        self.not_before = later(now, interval);
    }

    fn attempt_failed(&mut self, error: Error, now: Instant) {
        if let Some(backoff) = self.attempts.retry_after_error(&error) {
            return self.back_off(now, backoff);
        }
        let attempts = self.attempts.failed();
        self.end(gave_up(error, attempts));
    }

    /// Waits `backoff` before the next attempt, and never less than the poll interval while
    /// polling (RFC 8628 3.4: the interval is the least time between polls).
    fn back_off(&mut self, now: Instant, backoff: Duration) {
        let wait = backoff.max(self.interval().unwrap_or(Duration::ZERO));
        self.not_before = later(now, wait);
    }

    fn done(&mut self, token: crate::create_token::Token, now: Instant) {
        let times = (self.started, self.wall_clock);
        match self
            .registration
            .login(token, &self.config.start_url, times, now)
        {
            Some(login) => self.outcome = Some(Ok(login)),
            None => self.end(FlowError::Misuse(Misuse::UnexpectedResponse)),
        }
    }

    fn fail(&mut self, error: FlowError) -> Action {
        self.end(error.clone());
        Action::Failed(error)
    }

    fn end(&mut self, error: FlowError) {
        self.awaiting = None;
        self.outcome = Some(Err(error));
    }
}
