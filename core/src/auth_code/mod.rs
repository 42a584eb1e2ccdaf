//! The authorization-code sign-in with PKCE (RFC 7636) and a loopback redirect (RFC 8252), as
//! `aws sso login` does it by default since AWS CLI 2.22, as a state machine that is told the
//! time and the redirect.
//!
//! ```text
//!        cached registration for authorization_code, valid for 15 min more?
//!          no ┌──────────────────┴──────────────────┐ yes
//!             ▼                                     │
//!   ┌─► RegisterClient (public, authorization_code  │
//!   │   + refresh_token, http://127.0.0.1/oauth/    │
//!   │   callback, issuerUrl = start URL)            │
//!   │         │                                     │
//!   │         ▼                                     │
//!   │     Authorize(url) ◄──────────────────────────┘
//!   │         │  deadline = now + timeout (600 s)
//!   │         ▼
//!   │     AwaitRedirect ◄── handle_redirect: wrong or missing state, unreadable ─┐
//!   │         │                                           (ignored, still waiting)┘
//!   │         ├── deadline ──────────────────────────────────► Failed(Expired)
//!   │         ├── error=... with the right state ────────────► Failed(Refused)
//!   │         │ code with the right state
//!   │         ▼
//!   │     CreateToken (authorization_code, code, redirectUri, codeVerifier) ──► Done
//!   │         │
//!   │         ├── 5xx, throttling, transport error: back off (full jitter), retry
//!   │         ├── access_denied ► Failed(Denied); expired_token, deadline ► Failed(Expired)
//!   │         ├── retries used up, other error ──────────────► Failed(...)
//!   └── invalid_client with a cached registration, once ◄──┘
//!
//!   Any state: cancel() ► Failed(Cancelled); a broken contract ► Failed(Misuse).
//!   Done and Failed are final: every later poll returns them again.
//! ```
//!
//! The machine never reads a clock, listens, sleeps or draws random numbers: every call takes
//! `now`, the caller's listener hands it the redirect, and the PKCE verifier and `state` come
//! from random bytes the caller passes in.

mod action;
mod config;
mod pkce;
mod redirect;
mod url;

pub use action::{AuthCodeAction, Authorize, RedirectOutcome};
pub use config::{
    AuthCodeFlowConfig, AuthCodeFlowConfigBuilder, DEFAULT_REDIRECT_TIMEOUT, DEFAULT_SCOPE,
    REGISTERED_REDIRECT_URI,
};
pub use pkce::AUTH_CODE_RANDOM_BYTES;
pub use redirect::{MAX_REDIRECT_TARGET, Redirect, RedirectError};

use std::time::{Instant, SystemTime};

use crate::create_token::{CreateToken, GrantType, Token};
use crate::error::{BuildError, Error, ErrorCode};
use crate::flow::{FlowError, Login, Registration, gave_up};
use crate::machine::{Clock, Misuse, later};
use crate::operation::Operation;
use crate::register_client::RegisterClient;
use crate::retry::Attempts;
use crate::secret::Secret;
use crate::transport::TransportErrorKind;

/// How much of an `error_description` a [`FlowError::Refused`] keeps.
const MAX_DESCRIPTION: usize = 200;

/// A whole authorization-code sign-in: register (or reuse a registration), hand out the
/// authorize URL, take the redirect, exchange the code for the token.
///
/// Drive it with a loop: call [`poll`](Self::poll) and do what the [`AuthCodeAction`] says;
/// after each [`AuthCodeAction::Send`], hand the outcome to
/// [`handle_response`](Self::handle_response) or
/// [`handle_transport_error`](Self::handle_transport_error); while it says
/// [`AuthCodeAction::AwaitRedirect`], hand what the listener gets to
/// [`handle_redirect`](Self::handle_redirect).
///
/// ```
/// use sso_oidc::{AuthCodeAction, AuthCodeFlow, AuthCodeFlowConfig, Endpoint, RedirectOutcome};
/// use std::time::{Duration, Instant, SystemTime};
///
/// // A stand-in for the service: it answers each operation as the real one does.
/// fn send(request: http::Request<Vec<u8>>) -> http::Response<Vec<u8>> {
///     let body: &[u8] = match request.uri().path() {
///         "/client/register" => br#"{"clientId":"id","clientSecret":"secret","clientIdIssuedAt":1700000000,"clientSecretExpiresAt":1707776000}"#,
///         _ => br#"{"accessToken":"at","tokenType":"Bearer","expiresIn":28800,"refreshToken":"rt"}"#,
///     };
///     http::Response::new(body.to_vec())
/// }
/// // A stand-in for the browser: the person approves, and it comes back with the code and
/// // the state of the authorize URL.
/// fn browser(url: &str) -> String {
///     let state = url.split("&state=").nth(1).unwrap().split('&').next().unwrap();
///     format!("/oauth/callback?code=the-code&state={state}")
/// }
///
/// let config = AuthCodeFlowConfig::builder()
///     .endpoint(Endpoint::from_region("us-east-1")?)
///     .start_url("https://d-1234567890.awsapps.com/start")
///     .client_name("my-tool")
///     .build()?;
/// let random = [7; sso_oidc::AUTH_CODE_RANDOM_BYTES]; // from a random source in a real driver
/// # #[allow(clippy::disallowed_methods)]
/// let start = Instant::now();
/// # #[allow(clippy::disallowed_methods)]
/// let wall_clock = SystemTime::now();
/// let redirect_uri = "http://127.0.0.1:4321/oauth/callback"; // the listener's
/// let mut flow = AuthCodeFlow::new(config, redirect_uri, &random, start, wall_clock);
/// let (mut now, mut url) = (start, String::new());
/// let login = loop {
///     match flow.poll(now) {
///         AuthCodeAction::Send(request) => flow.handle_response(send(request), now),
///         AuthCodeAction::Authorize(authorize) => url = authorize.url, // open it in a browser
///         AuthCodeAction::AwaitRedirect(_deadline) => {
///             now += Duration::from_secs(20); // the person takes 20 s to approve
///             assert_eq!(flow.handle_redirect(&browser(&url), now), RedirectOutcome::Accepted);
///         }
///         AuthCodeAction::WaitUntil(t) => now = t, // a real driver sleeps until `t`
///         AuthCodeAction::Done(login) => break login,
///         AuthCodeAction::Failed(error) => return Err(error.into()),
///     }
/// };
/// assert!(url.starts_with("https://oidc.us-east-1.amazonaws.com/authorize?response_type=code&client_id=id&"));
/// assert_eq!(login.token.access_token.expose(), "at");
/// assert!(login.registration_is_new);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct AuthCodeFlow {
    config: AuthCodeFlowConfig,
    started: Instant,
    wall_clock: SystemTime,
    clock: Clock,
    registration: Registration,
    redirect_uri: String,
    verifier: Secret,
    challenge: String,
    state: String,
    step: Step,
    /// The operation whose answer is owed.
    awaiting: Option<Operation>,
    /// When the flow stops waiting for the browser, once the authorize URL is out.
    deadline: Option<Instant>,
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
    /// Registered: the authorize URL is still to be handed out.
    Authorize,
    AwaitRedirect,
    /// A redirect with the right state brought this code.
    Exchange(Secret),
}

impl AuthCodeFlow {
    /// Starts a sign-in at monotonic time `now`, for a listener at `redirect_uri` (e.g.
    /// `http://127.0.0.1:4321/oauth/callback`, with the port it is bound to: it is sent to
    /// `/authorize` and to `CreateToken` exactly as given). `random` must come from a
    /// cryptographically secure source: its first 64 bytes make the PKCE verifier (the low 6
    /// bits of each pick one of `A-Z a-z 0-9 - _`, without bias), the last 16 the `state` (a
    /// version 4 UUID). `wall_clock` decides whether the cached registration is still good and
    /// dates the token's [`Login::expires_at`].
    ///
    /// A blank `redirect_uri` fails the flow at the first `poll` with
    /// [`FlowError::Build`].
    pub fn new(
        config: AuthCodeFlowConfig,
        redirect_uri: impl Into<String>,
        random: &[u8; AUTH_CODE_RANDOM_BYTES],
        now: Instant,
        wall_clock: SystemTime,
    ) -> Self {
        let (verifier_bytes, state_bytes) = random.split_at(64);
        let verifier = pkce::verifier(verifier_bytes.try_into().unwrap_or(&[0; 64]));
        let state = pkce::state(state_bytes.try_into().unwrap_or(&[0; 16]));
        let registration = Registration::new(config.registration.clone(), wall_clock, |r| {
            r.has_grant_type(GrantType::AuthorizationCode)
        });
        let step = if registration.get().is_some() {
            Step::Authorize
        } else {
            Step::Register
        };
        let redirect_uri = redirect_uri.into();
        let outcome = redirect_uri
            .trim()
            .is_empty()
            .then_some(Err(FlowError::Build(BuildError::BlankMember {
                member: "redirectUri",
            })));
        Self {
            attempts: Attempts::new(config.retry, config.jitter_seed.unwrap_or(0)),
            config,
            started: now,
            wall_clock,
            clock: Clock::new(now),
            registration,
            redirect_uri,
            challenge: pkce::challenge(verifier.expose()),
            verifier,
            state,
            step,
            awaiting: None,
            deadline: None,
            not_before: now,
            outcome,
        }
    }

    /// What to do next, at time `now`.
    ///
    /// Call it again after doing what it says. After [`AuthCodeAction::Send`], call a
    /// `handle_*` method first: a `poll` while an answer is owed fails the flow with
    /// [`Misuse::PollWhileAwaitingResponse`]. Once it returns [`AuthCodeAction::Done`] or
    /// [`AuthCodeAction::Failed`], it returns the same again on every call.
    pub fn poll(&mut self, now: Instant) -> AuthCodeAction {
        let now = self.clock.advance(now);
        if let Some(outcome) = &self.outcome {
            return match outcome {
                Ok(login) => AuthCodeAction::Done(login.clone()),
                Err(error) => AuthCodeAction::Failed(error.clone()),
            };
        }
        if self.awaiting.is_some() {
            return self.fail(FlowError::Misuse(Misuse::PollWhileAwaitingResponse));
        }
        if self.deadline.is_some_and(|deadline| now >= deadline) {
            return self.fail(FlowError::Expired(None));
        }
        match self.step {
            Step::Authorize => return self.authorize(now),
            Step::AwaitRedirect => {
                if let Some(deadline) = self.deadline {
                    return AuthCodeAction::AwaitRedirect(deadline);
                }
            }
            Step::Register | Step::Exchange(_) => {}
        }
        if now < self.not_before {
            let until = self
                .deadline
                .map_or(self.not_before, |d| d.min(self.not_before));
            return AuthCodeAction::WaitUntil(until);
        }
        match self.request() {
            Ok((operation, request)) => {
                self.awaiting = Some(operation);
                AuthCodeAction::Send(request)
            }
            Err(error) => self.fail(error),
        }
    }

    /// Hands the flow a request target the listener received (`/oauth/callback?code=...`, or
    /// a whole URL pasted from a browser's address bar), and says what it did with it.
    ///
    /// Only a redirect whose `state` is this sign-in's (compared in constant time) counts:
    /// with a `code` the flow goes on to `CreateToken`, with an `error` it ends with
    /// [`FlowError::Refused`]. Any other is [`RedirectOutcome::Rejected`] and the flow goes
    /// on waiting. Once a code is taken, or the flow has ended, redirects are ignored (a
    /// browser may reload the page); before the authorize URL is handed out, one fails the
    /// flow with [`Misuse::UnexpectedRedirect`]. A redirect at or after the deadline ends the
    /// flow with [`FlowError::Expired`].
    pub fn handle_redirect(&mut self, target: &str, now: Instant) -> RedirectOutcome {
        let now = self.clock.advance(now);
        if self.outcome.is_some() {
            return RedirectOutcome::NotWaiting;
        }
        match self.step {
            Step::AwaitRedirect if self.awaiting.is_none() => {}
            Step::Exchange(_) => return RedirectOutcome::NotWaiting,
            _ => {
                self.end(FlowError::Misuse(Misuse::UnexpectedRedirect));
                return RedirectOutcome::NotWaiting;
            }
        }
        if self.deadline.is_some_and(|deadline| now >= deadline) {
            self.end(FlowError::Expired(None));
            return RedirectOutcome::NotWaiting;
        }
        let redirect = match Redirect::parse(target) {
            Ok(redirect) => redirect,
            Err(error) => return RedirectOutcome::Rejected(error),
        };
        let Some(state) = redirect.state.as_deref() else {
            return RedirectOutcome::Rejected(RedirectError::MissingState);
        };
        if !pkce::same(state.as_bytes(), self.state.as_bytes()) {
            return RedirectOutcome::Rejected(RedirectError::StateMismatch);
        }
        if let Some(error) = redirect.error {
            self.end(FlowError::Refused {
                error: printable(&error),
                description: redirect.error_description.as_deref().map(printable),
            });
            return RedirectOutcome::Refused;
        }
        match redirect.code {
            Some(code) if !code.expose().is_empty() => {
                self.step = Step::Exchange(code);
                self.attempts.reset();
                self.not_before = now;
                RedirectOutcome::Accepted
            }
            _ => RedirectOutcome::Rejected(RedirectError::NoCode),
        }
    }

    /// Hands the flow the response to the request it last asked to send, whatever its status.
    ///
    /// A response nobody asked for fails the flow with [`Misuse::UnexpectedResponse`]; after
    /// the flow has ended, responses are ignored.
    pub fn handle_response<B: AsRef<[u8]>>(&mut self, response: http::Response<B>, now: Instant) {
        let now = self.clock.advance(now);
        if self.outcome.is_some() {
            return;
        }
        let Some(operation) = self.awaiting.take() else {
            return self.end(FlowError::Misuse(Misuse::UnexpectedResponse));
        };
        match operation {
            Operation::RegisterClient => match RegisterClient::parse(response) {
                Ok(mut registration) => {
                    registration.grant_types = Some(config::GRANT_TYPES.map(String::from).into());
                    self.registration.registered(registration);
                    self.step = Step::Authorize;
                    self.succeeded(now);
                }
                Err(error) => self.attempt_failed(error, now),
            },
            Operation::CreateToken => match CreateToken::parse(response) {
                Ok(token) => self.done(token, now),
                Err(error) => self.token_refused(error, now),
            },
            // Neither the device authorization nor the portal is this flow's.
            Operation::StartDeviceAuthorization
            | Operation::GetRoleCredentials
            | Operation::ListAccounts
            | Operation::ListAccountRoles
            | Operation::Logout => {
                self.end(FlowError::Misuse(Misuse::UnexpectedResponse));
            }
        }
    }

    /// Tells the flow that the request it last asked to send got no response.
    ///
    /// Connection failures, timeouts and broken connections are retried within the retry
    /// policy. A transport error nobody asked for fails the flow with
    /// [`Misuse::UnexpectedTransportError`]; after the flow has ended, it is ignored.
    pub fn handle_transport_error(&mut self, kind: TransportErrorKind, now: Instant) {
        let now = self.clock.advance(now);
        if self.outcome.is_some() {
            return;
        }
        if self.awaiting.take().is_none() {
            return self.end(FlowError::Misuse(Misuse::UnexpectedTransportError));
        }
        match self.attempts.retry_after_transport_error(kind) {
            Some(backoff) => self.not_before = later(now, backoff),
            None => {
                let attempts = self.attempts.failed();
                self.end(FlowError::Transport { kind, attempts });
            }
        }
    }

    /// Ends the flow: every later [`poll`](Self::poll) returns [`FlowError::Cancelled`], and
    /// an answer still owed is ignored. A flow that has already ended stays as it ended.
    pub fn cancel(&mut self) {
        if self.outcome.is_none() {
            self.end(FlowError::Cancelled);
        }
    }

    /// Whether the flow has ended, with a token or without.
    pub fn is_finished(&self) -> bool {
        self.outcome.is_some()
    }

    /// The redirect URI the flow was given.
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// When the flow stops waiting for the browser, once the authorize URL is handed out.
    pub fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// Whether the flow waits for a redirect now.
    pub fn is_awaiting_redirect(&self) -> bool {
        self.outcome.is_none() && matches!(self.step, Step::AwaitRedirect)
    }

    fn authorize(&mut self, now: Instant) -> AuthCodeAction {
        let Some(registration) = self.registration.get() else {
            self.step = Step::Register;
            return self.poll(now);
        };
        let deadline = later(now, self.config.timeout);
        let authorize = Authorize {
            url: url::authorize_url(
                &self.config.endpoint,
                &registration.client_id,
                &self.redirect_uri,
                &self.state,
                &self.config.scopes,
                &self.challenge,
            ),
            redirect_uri: self.redirect_uri.clone(),
            deadline,
        };
        self.deadline = Some(deadline);
        self.step = Step::AwaitRedirect;
        AuthCodeAction::Authorize(authorize)
    }

    fn request(&self) -> Result<(Operation, http::Request<Vec<u8>>), FlowError> {
        let endpoint = &self.config.endpoint;
        match (&self.step, self.registration.get()) {
            (Step::Exchange(code), Some(r)) => Ok((
                Operation::CreateToken,
                CreateToken::builder()
                    .client_id(&r.client_id)
                    .client_secret(&r.client_secret)
                    .grant_type(GrantType::AuthorizationCode)
                    .code(code)
                    .redirect_uri(&self.redirect_uri)
                    .code_verifier(&self.verifier)
                    .build()
                    .map_err(FlowError::Build)?
                    .to_http(endpoint),
            )),
            _ => Ok((
                Operation::RegisterClient,
                self.config.register.to_http(endpoint),
            )),
        }
    }

    fn token_refused(&mut self, error: Error, now: Instant) {
        if self.registration.is_stale(&error) {
            // The code was issued to the stale client: register, and send the person to the
            // authorize page again with the new client id.
            self.registration.drop_stale();
            self.step = Step::Register;
            self.deadline = None;
            return self.succeeded(now);
        }
        match error {
            Error::Service(service) if service.code() == &ErrorCode::AccessDenied => {
                self.end(FlowError::Denied(service));
            }
            Error::Service(service) if service.code() == &ErrorCode::ExpiredToken => {
                self.end(FlowError::Expired(Some(service)));
            }
            other => self.attempt_failed(other, now),
        }
    }

    fn succeeded(&mut self, now: Instant) {
        self.attempts.reset();
        self.not_before = now;
    }

    fn attempt_failed(&mut self, error: Error, now: Instant) {
        if let Some(backoff) = self.attempts.retry_after_error(&error) {
            self.not_before = later(now, backoff);
            return;
        }
        let attempts = self.attempts.failed();
        self.end(gave_up(error, attempts));
    }

    fn done(&mut self, token: Token, now: Instant) {
        let times = (self.started, self.wall_clock);
        match self
            .registration
            .login(token, &self.config.start_url, times, now)
        {
            Some(login) => self.outcome = Some(Ok(login)),
            None => self.end(FlowError::Misuse(Misuse::UnexpectedResponse)),
        }
    }

    fn fail(&mut self, error: FlowError) -> AuthCodeAction {
        self.end(error.clone());
        AuthCodeAction::Failed(error)
    }

    fn end(&mut self, error: FlowError) {
        self.awaiting = None;
        self.outcome = Some(Err(error));
    }
}

/// Text from the redirect, fit for an error message: without control characters, cut to
/// [`MAX_DESCRIPTION`] characters.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(MAX_DESCRIPTION)
        .collect()
}
