//! Role credentials with a cached token: refresh the token when due, then `GetRoleCredentials`,
//! as a state machine that is told the time.
//!
//! ```text
//!   new(config, cached token, now, wall clock): RefreshPolicy::decide
//!     │
//!     ├── keep; refresh not tried now (deferred), or impossible, with time left ─────────┐
//!     ├── impossible, token expired ────────────────────► Failed(CannotRefresh)          │
//!     ├── not tried now (deferred), token expired ──────► Failed(Expired)                │
//!     ▼                                                                                  │
//!   CreateToken (refresh_token grant), retried as Call                                   │
//!     ├── new token ───► Store(new token) ─── poll ──────────────────── new token ──────┤
//!     ├── failed, the old token not expired yet ───────────────────────── old token ──────┤
//!     └── failed, the old token expired ────────────► Failed(RefreshFailed)              │
//!                                                                                        ▼
//!                                                    GetRoleCredentials, retried as Call
//!                                                      ├── credentials ─────► Done
//!                                                      ├── token expired at a send ─► Failed(Expired)
//!                                                      ├── UnauthorizedException ──► Failed(TokenRefused)
//!                                                      └── any other failure ──────► Failed(GetRoleCredentials)
//!
//!   Any state: cancel() ► Failed(Cancelled); a broken contract ► Failed(Misuse).
//!   Done and Failed are final: every later poll returns them again.
//! ```
//!
//! The refresh decision is [`RefreshPolicy`](crate::RefreshPolicy)'s (botocore's windows: less
//! than 15 minutes left is advisory, less than 10 mandatory). As botocore's token provider and
//! the `token` command do, a refresh that fails (or cannot be made) leaves the old token in use
//! for as long as it has not expired. Each request is retried as a
//! [`Call`] retries it (5xx, throttling and transport failures, with jittered backoff). The
//! machine never reads a clock, sleeps or draws random numbers: every call takes `now`, and the
//! wall-clock time it was started at dates the refreshed token and tells when the token expires.
//! It never sends `GetRoleCredentials` with a token that has expired by then.
//!
//! Reading and writing the caches is the driver's: it reads the token (and, first, the cached
//! credentials, see [`CachedRoleCredentials::is_fresh`](crate::CachedRoleCredentials::is_fresh))
//! under [`CacheDir::lock`](crate::CacheDir::lock), writes what [`RoleCredentialsAction::Store`]
//! hands it, and caches what [`RoleCredentialsAction::Done`] hands it.

mod action;
mod config;
mod error;

pub use action::RoleCredentialsAction;
pub use config::{RoleCredentialsConfig, RoleCredentialsConfigBuilder};
pub use error::RoleCredentialsError;

use std::time::{Instant, SystemTime};

use crate::cache::CachedToken;
use crate::call::{Call, CallAction, CallError};
use crate::create_token::{CreateToken, Token};
use crate::machine::{Clock, Misuse};
use crate::portal::{ErrorCode as PortalCode, GetRoleCredentials, RoleCredentials};
use crate::refresh::RefreshDecision;
use crate::transport::TransportErrorKind;

/// Short-term AWS credentials for one role in one account, with the token `aws sso login` (or
/// [`DeviceFlow`](crate::DeviceFlow)) cached: the token refreshed first when due, then the
/// portal's `GetRoleCredentials`. What botocore's SSO credential provider does when the
/// credential cache has nothing fresh, driven the same way as [`Call`].
///
/// Drive it with a loop: call [`poll`](Self::poll) and do what the [`RoleCredentialsAction`]
/// says; after each [`RoleCredentialsAction::Send`], hand the outcome to
/// [`handle_response`](Self::handle_response) or
/// [`handle_transport_error`](Self::handle_transport_error).
///
/// ```
/// use sso_oidc::portal::Endpoint as PortalEndpoint;
/// use sso_oidc::{
///     CachedToken, Endpoint, RoleCredentialsAction, RoleCredentialsConfig, RoleCredentialsFlow,
///     Secret,
/// };
/// use std::time::{Duration, Instant, SystemTime};
///
/// // A stand-in for both services: a refreshed token from SSO OIDC, a 429 then credentials
/// // from the portal.
/// fn send(request: http::Request<Vec<u8>>, sent: &mut Vec<String>) -> http::Response<Vec<u8>> {
///     sent.push(request.uri().path().to_owned());
///     let (status, body): (u16, &[u8]) = match (request.uri().path(), sent.len()) {
///         ("/token", _) => (200, br#"{"accessToken":"new","expiresIn":28800,"refreshToken":"r2"}"#),
///         (_, 2) => (429, br#"{"message":"Too many requests"}"#),
///         _ => (200, br#"{"roleCredentials":{"accessKeyId":"ASIAX","secretAccessKey":"sk","sessionToken":"st","expiration":1700003600000}}"#),
///     };
///     http::Response::builder().status(status).body(body.to_vec()).unwrap()
/// }
///
/// let config = RoleCredentialsConfig::builder()
///     .oidc_endpoint(Endpoint::from_region("us-east-1")?)
///     .portal_endpoint(PortalEndpoint::from_region("us-east-1")?)
///     .account_id("123456789012")
///     .role_name("ReadOnly")
///     .jitter_seed(7) // random in a real driver
///     .build()?;
///
/// // The cached token (CacheDir::read_token, under CacheDir::lock): 5 minutes left, so a
/// // refresh is mandatory.
/// let wall = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000); // SystemTime::now()
/// let mut cached = CachedToken::new(Secret::from("old"), wall + Duration::from_secs(300));
/// cached.client_id = Some("client-id".into());
/// cached.client_secret = Some(Secret::from("client-secret"));
/// cached.registration_expires_at = Some(wall + Duration::from_secs(86_400));
/// cached.refresh_token = Some(Secret::from("r1"));
///
/// # #[allow(clippy::disallowed_methods)]
/// let start = Instant::now();
/// let mut flow = RoleCredentialsFlow::new(config, cached, start, wall);
/// let (mut now, mut sent, mut stored) = (start, Vec::new(), None);
/// let credentials = loop {
///     match flow.poll(now) {
///         RoleCredentialsAction::Send(request) => flow.handle_response(send(request, &mut sent), now),
///         RoleCredentialsAction::WaitUntil(t) => now = t, // a real driver sleeps until `t`
///         RoleCredentialsAction::Store(token) => stored = Some(token), // CacheDir::write_token
///         RoleCredentialsAction::Done(credentials) => break credentials,
///         RoleCredentialsAction::Failed(error) if error.needs_sign_in() => {
///             return Err(format!("{error}: run `sso-oidc login --profile dev`").into());
///         }
///         RoleCredentialsAction::Failed(error) => return Err(error.into()),
///     }
/// };
/// assert_eq!(sent, ["/token", "/federation/credentials", "/federation/credentials"]);
/// let stored = stored.expect("the refreshed token, to write back");
/// assert_eq!(stored.access_token.expose(), "new");
/// assert_eq!(stored.refresh_token.as_ref().map(|t| t.expose().as_str()), Some("r2"));
/// assert_eq!(credentials.access_key_id, "ASIAX");
/// assert_eq!(format!("{:?}", credentials.secret_access_key), "Secret(<redacted>)");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct RoleCredentialsFlow {
    config: RoleCredentialsConfig,
    /// The token in use: the cached one, or the refreshed one once there is one.
    token: CachedToken,
    started: Instant,
    wall_clock: SystemTime,
    clock: Clock,
    step: Step,
    /// Why a refresh failed while the old token still lasted, if one did.
    refresh_error: Option<CallError>,
    outcome: Option<Result<RoleCredentials, RoleCredentialsError>>,
}

/// Where the flow is.
#[derive(Debug)]
enum Step {
    /// Refreshing the token.
    Refresh {
        call: Call<Token>,
        /// The wall-clock time of the last refresh request sent: the new token's lifetime
        /// counts from there.
        sent_at: SystemTime,
    },
    /// The refreshed token has been handed out to store; `GetRoleCredentials` comes next.
    Store,
    /// Getting the credentials.
    Fetch(Call<RoleCredentials>),
    /// The flow has ended.
    Ended,
}

impl RoleCredentialsFlow {
    /// Starts at monotonic time `now` with the `token` read from the cache. `wall_clock` is the
    /// current wall-clock time: it decides whether the token needs refreshing, and with `now`
    /// it tells the wall-clock time later on (to date a refreshed token and to tell when the
    /// token expires).
    ///
    /// When the token cannot be used (expired or about to, and it cannot be refreshed), the
    /// flow has already failed: the first [`poll`](Self::poll) says so, and nothing is sent.
    pub fn new(
        config: RoleCredentialsConfig,
        token: CachedToken,
        now: Instant,
        wall_clock: SystemTime,
    ) -> Self {
        let mut flow = Self {
            config,
            token,
            started: now,
            wall_clock,
            clock: Clock::new(now),
            step: Step::Ended,
            refresh_error: None,
            outcome: None,
        };
        let expired = flow.token.is_expired(wall_clock);
        let decision =
            flow.config
                .refresh
                .decide(&flow.token, wall_clock, flow.config.last_refresh_attempt);
        match decision {
            RefreshDecision::Refresh { request, .. } => {
                let call = Call::new(
                    request.to_http(&flow.config.oidc_endpoint),
                    CreateToken::parse,
                    flow.config.retry,
                    flow.seed(),
                );
                flow.step = Step::Refresh {
                    call,
                    sent_at: wall_clock,
                };
            }
            RefreshDecision::Unrefreshable { reason, .. } if expired => {
                flow.end(RoleCredentialsError::CannotRefresh { reason });
            }
            RefreshDecision::Deferred { .. } if expired => {
                flow.end(RoleCredentialsError::Expired);
            }
            RefreshDecision::Keep
            | RefreshDecision::Deferred { .. }
            | RefreshDecision::Unrefreshable { .. } => flow.fetch(),
        }
        flow
    }

    /// What to do next, at time `now`.
    ///
    /// Call it again after doing what it says. After [`RoleCredentialsAction::Send`], call a
    /// `handle_*` method first: a `poll` while an answer is owed fails the flow with
    /// [`Misuse::PollWhileAwaitingResponse`]. Once it returns [`RoleCredentialsAction::Done`]
    /// or [`RoleCredentialsAction::Failed`], it returns the same again on every call.
    pub fn poll(&mut self, now: Instant) -> RoleCredentialsAction {
        let now = self.clock.advance(now);
        let wall = self.wall_at(now);
        loop {
            match &self.outcome {
                Some(Ok(credentials)) => return RoleCredentialsAction::Done(credentials.clone()),
                Some(Err(error)) => return RoleCredentialsAction::Failed(error.clone()),
                None => {}
            }
            match &mut self.step {
                Step::Refresh { call, sent_at } => match call.poll(now) {
                    CallAction::Send(request) => {
                        *sent_at = wall;
                        return RoleCredentialsAction::Send(request);
                    }
                    CallAction::WaitUntil(t) => return RoleCredentialsAction::WaitUntil(t),
                    CallAction::Done(token) => {
                        self.token = self.token.refreshed(&token, *sent_at);
                        self.step = Step::Store;
                        return RoleCredentialsAction::Store(self.token.clone());
                    }
                    CallAction::Failed(error) => match error {
                        CallError::Misuse(misuse) => {
                            self.end(RoleCredentialsError::Misuse(misuse));
                        }
                        CallError::Cancelled => self.end(RoleCredentialsError::Cancelled),
                        // botocore goes on with the old token while it lasts, whatever the
                        // urgency; so does `token`.
                        error if !self.token.is_expired(wall) => {
                            self.refresh_error = Some(error);
                            self.fetch();
                        }
                        error => self.end(RoleCredentialsError::RefreshFailed(error)),
                    },
                },
                Step::Store => self.fetch(),
                Step::Fetch(call) => match call.poll(now) {
                    CallAction::Send(request) => {
                        if self.token.is_expired(wall) {
                            self.end(RoleCredentialsError::Expired);
                        } else {
                            return RoleCredentialsAction::Send(request);
                        }
                    }
                    CallAction::WaitUntil(t) => return RoleCredentialsAction::WaitUntil(t),
                    CallAction::Done(credentials) => self.outcome = Some(Ok(credentials)),
                    CallAction::Failed(error) => self.end(fetch_error(error)),
                },
                // `end` has set the outcome, which the top of the loop returns.
                Step::Ended => {}
            }
        }
    }

    /// Hands the flow the response to the request it last asked to send, whatever its status.
    ///
    /// A response nobody asked for fails the flow with [`Misuse::UnexpectedResponse`]; after
    /// the flow has ended, responses are ignored.
    pub fn handle_response(&mut self, response: http::Response<Vec<u8>>, now: Instant) {
        let now = self.clock.advance(now);
        if self.outcome.is_some() {
            return;
        }
        match &mut self.step {
            Step::Refresh { call, .. } => call.handle_response(response, now),
            Step::Fetch(call) => call.handle_response(response, now),
            Step::Store | Step::Ended => {
                self.end(RoleCredentialsError::Misuse(Misuse::UnexpectedResponse));
            }
        }
    }

    /// Tells the flow that the request it last asked to send got no response.
    ///
    /// Connection failures, timeouts and broken connections are retried within the retry
    /// policy; the rest end the request. A transport error nobody asked for fails the flow with
    /// [`Misuse::UnexpectedTransportError`]; after the flow has ended, it is ignored.
    pub fn handle_transport_error(&mut self, kind: TransportErrorKind, now: Instant) {
        let now = self.clock.advance(now);
        if self.outcome.is_some() {
            return;
        }
        match &mut self.step {
            Step::Refresh { call, .. } => call.handle_transport_error(kind, now),
            Step::Fetch(call) => call.handle_transport_error(kind, now),
            Step::Store | Step::Ended => {
                self.end(RoleCredentialsError::Misuse(
                    Misuse::UnexpectedTransportError,
                ));
            }
        }
    }

    /// Ends the flow: every later [`poll`](Self::poll) returns
    /// [`RoleCredentialsError::Cancelled`], and an answer still owed is ignored. A flow that has
    /// ended stays as it ended. A refreshed token already handed out with
    /// [`RoleCredentialsAction::Store`] must still be stored.
    pub fn cancel(&mut self) {
        if self.outcome.is_none() {
            self.end(RoleCredentialsError::Cancelled);
        }
    }

    /// Whether the flow has ended, with credentials or without.
    pub fn is_finished(&self) -> bool {
        self.outcome.is_some()
    }

    /// The settings the flow was started with.
    pub fn config(&self) -> &RoleCredentialsConfig {
        &self.config
    }

    /// The token in use: the cached one, or the refreshed one once the refresh has succeeded.
    pub fn token(&self) -> &CachedToken {
        &self.token
    }

    /// Why the refresh failed, when the flow went on with the old token (it had not expired):
    /// worth a warning, as the next run will try again and the token will not last.
    pub fn refresh_error(&self) -> Option<&CallError> {
        self.refresh_error.as_ref()
    }

    /// The wall-clock time at monotonic time `now` (no earlier than the start).
    fn wall_at(&self, now: Instant) -> SystemTime {
        let elapsed = now.saturating_duration_since(self.started);
        self.wall_clock
            .checked_add(elapsed)
            .unwrap_or_else(crate::flow::far_future)
    }

    fn seed(&self) -> u64 {
        self.config.jitter_seed.unwrap_or(0)
    }

    /// Moves on to `GetRoleCredentials` with the token in use.
    fn fetch(&mut self) {
        let request = GetRoleCredentials::builder()
            .role_name(&self.config.role_name)
            .account_id(&self.config.account_id)
            .access_token(&self.token.access_token)
            .build();
        match request {
            Ok(request) => {
                let call = Call::new(
                    request.to_http(&self.config.portal_endpoint),
                    GetRoleCredentials::parse,
                    self.config.retry,
                    self.seed(),
                );
                self.step = Step::Fetch(call);
            }
            Err(error) => self.end(RoleCredentialsError::Build(error)),
        }
    }

    fn end(&mut self, error: RoleCredentialsError) {
        self.step = Step::Ended;
        self.outcome = Some(Err(error));
    }
}

/// How a failed `GetRoleCredentials` ends the flow.
fn fetch_error(error: CallError) -> RoleCredentialsError {
    match error {
        CallError::Misuse(misuse) => RoleCredentialsError::Misuse(misuse),
        CallError::Cancelled => RoleCredentialsError::Cancelled,
        CallError::Api {
            error: crate::Error::Service(service),
            ..
        } if service.portal_code() == Some(PortalCode::Unauthorized) => {
            RoleCredentialsError::TokenRefused(service)
        }
        other => RoleCredentialsError::GetRoleCredentials(other),
    }
}
