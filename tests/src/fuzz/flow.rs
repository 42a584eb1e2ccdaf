//! A `DeviceFlow` fed an arbitrary sequence of responses, transport errors, time jumps and
//! misuse, checked against a model of what it must do on every step.
//!
//! Input: five setup bytes ([`Setup::read`]), then the steps, read as the flow asks for them:
//! an answer step (`Answer::read`) for each request it sends, a clock byte (`Clock`) for each
//! wait it announces. The run ends when the input does.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};
use sso_oidc::{
    Action, CreateToken, DEFAULT_INTERVAL, DeviceFlow, DeviceFlowConfig, Endpoint, Error,
    ErrorCode, FlowError, Login, Misuse, Operation, RegisterClient, RetryPolicy, SLOW_DOWN_STEP,
    StartDeviceAuthorization, TransportErrorKind,
};

use crate::fuzz::check;
use crate::fuzz::input::{Encoder, Input, MARKER, earlier, holds_marker, later};

/// The wall clock the flow starts at: 2023-11-14T22:13:20Z.
const WALL_START: u64 = 1_700_000_000;

/// The start URL signed in to.
const START_URL: &str = "https://d-1234567890.awsapps.com/start";

/// The user code every authorization shows.
const USER_CODE: &str = "GPNW-SHFH";

/// The shortest poll interval the flow uses.
const MIN_INTERVAL: Duration = Duration::from_secs(1);

/// The latest time the token cache can write, what `Login::expires_at` falls back to.
const FAR_FUTURE: u64 = 253_402_300_799;

/// How long a cached registration lasts after the start, by the first setup byte modulo 7:
/// none cached, never expiring, 90 days, 10 minutes, expired a day ago, exactly the 15-minute
/// window, one second beyond it.
const CACHED: [Option<Option<i64>>; 7] = [
    None,
    Some(None),
    Some(Some(90 * 86_400)),
    Some(Some(600)),
    Some(Some(-86_400)),
    Some(Some(900)),
    Some(Some(901)),
];

/// The transport error kinds, by a byte modulo 5.
const TRANSPORT: [TransportErrorKind; 5] = [
    TransportErrorKind::Connect,
    TransportErrorKind::Timeout,
    TransportErrorKind::Io,
    TransportErrorKind::Tls,
    TransportErrorKind::BodyTooLarge,
];

/// How the flow is configured.
#[derive(Clone, Debug)]
pub struct Setup {
    cached: Option<Option<i64>>,
    policy: RetryPolicy,
    max_interval: Duration,
    seed: u64,
}

impl Setup {
    /// Reads five bytes: the cached registration (`CACHED`), `max_attempts` (modulo 8, 0 read
    /// as 1), the timeout cap in seconds (0 allowed), the jitter seed, and the backoff (modulo 3:
    /// standard, none at all, `Duration::MAX`).
    pub fn read(input: &mut Input<'_>) -> Self {
        let cached = CACHED[usize::from(input.byte()) % CACHED.len()];
        let attempts = u32::from(input.byte() % 8);
        let max_interval = Duration::from_secs(input.byte().into());
        let seed = input.byte().into();
        let policy = RetryPolicy::standard().with_max_attempts(attempts);
        let policy = match input.byte() % 3 {
            0 => policy,
            1 => policy.with_backoff(Duration::ZERO, Duration::ZERO),
            _ => policy.with_backoff(Duration::MAX, Duration::MAX),
        };
        Self {
            cached,
            policy,
            max_interval,
            seed,
        }
    }
}

/// Writes what [`Setup::read`] and the steps read.
#[derive(Debug)]
pub struct Script(Encoder);

impl Script {
    /// A setup: cached registration selector, max attempts, timeout cap (s), seed, backoff.
    pub fn new(cached: u8, attempts: u8, max_interval: u8, seed: u8, backoff: u8) -> Self {
        Self(
            Encoder::new()
                .byte(cached)
                .byte(attempts)
                .byte(max_interval)
                .byte(seed)
                .byte(backoff),
        )
    }

    /// An answer step with no parameter ([`kind`] below 16, latency and misuse bits 0).
    pub fn answer(self, kind: u8) -> Self {
        Self(self.0.byte(kind))
    }

    /// A successful StartDeviceAuthorization with this interval (255: none) and lifetime.
    pub fn authorized(self, interval: u8, expires_in: u16) -> Self {
        Self(self.0.byte(kind::SUCCESS).byte(interval).u16(expires_in))
    }

    /// A successful CreateToken with this lifetime.
    pub fn token(self, expires_in: u32) -> Self {
        Self(self.0.byte(kind::SUCCESS).u32(expires_in))
    }

    /// A successful RegisterClient with the expiry selector.
    pub fn registered(self, expiry: u8) -> Self {
        Self(self.0.byte(kind::SUCCESS).byte(expiry))
    }

    /// A transport error (an index into `TRANSPORT`).
    pub fn transport(self, error: u8) -> Self {
        Self(self.0.byte(kind::TRANSPORT).byte(error))
    }

    /// A raw byte (a clock byte, a parameter).
    pub fn byte(self, byte: u8) -> Self {
        Self(self.0.byte(byte))
    }

    /// The input.
    pub fn finish(self) -> Vec<u8> {
        self.0.finish()
    }
}

/// Answer kinds: the low four bits of an answer step's first byte.
pub mod kind {
    /// The operation's success; parameters depend on the operation (see `Answer::read`).
    pub const SUCCESS: u8 = 0;
    /// 400 `AuthorizationPendingException`.
    pub const PENDING: u8 = 1;
    /// 400 `SlowDownException`.
    pub const SLOW_DOWN: u8 = 2;
    /// 400 `ExpiredTokenException`.
    pub const EXPIRED: u8 = 3;
    /// 400 `AccessDeniedException`.
    pub const DENIED: u8 = 4;
    /// 401 `InvalidClientException`.
    pub const INVALID_CLIENT: u8 = 5;
    /// A modelled error (a byte picks it) with its status.
    pub const MODELED: u8 = 6;
    /// 500 `InternalServerException`.
    pub const INTERNAL: u8 = 7;
    /// 400 `ThrottlingException`, as AWS front ends throttle.
    pub const THROTTLED: u8 = 8;
    /// 502 HTML page from a proxy.
    pub const HTML_502: u8 = 9;
    /// 200 with the operation's success body cut short (a byte says where).
    pub const TRUNCATED: u8 = 10;
    /// An empty body with 500, 503, 200 or 400 (a byte picks).
    pub const EMPTY: u8 = 11;
    /// Any status (two bytes) and body (a byte string).
    pub const GARBAGE: u8 = 12;
    /// A transport error (a byte picks the kind).
    pub const TRANSPORT: u8 = 13;
    /// 200 with another operation's success body.
    pub const WRONG_OPERATION: u8 = 14;
    /// 400 with an arbitrary `x-amzn-ErrorType` and OAuth `error` (two byte strings).
    pub const OTHER_CODE: u8 = 15;
}

/// What a step does besides answering: bits 6 and 7 of an answer step's first byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Misstep {
    None,
    /// Poll again before answering.
    PollTwice,
    /// Answer twice.
    AnswerTwice,
    /// Cancel before answering.
    Cancel,
}

/// One answer step.
#[derive(Debug)]
struct Answer {
    outcome: Result<http::Response<Vec<u8>>, TransportErrorKind>,
    /// How long the answer took: added to (or, negative, taken from) the clock.
    latency: Latency,
    misstep: Misstep,
}

#[derive(Clone, Copy, Debug)]
enum Latency {
    Ahead(Duration),
    Behind(Duration),
}

/// A clock byte, read at each `WaitUntil(t)`: what the driver does with the wait.
#[derive(Clone, Copy, Debug)]
enum Clock {
    /// Sleep until `t`.
    Honour,
    /// Poll early (`t` minus the next byte in 100 ms): the flow must announce the same wait.
    Early(Duration),
    /// Poll with a clock behind the last one: the flow must announce the same wait.
    Back(Duration),
    /// Sleep past `t` by a little (the next byte in seconds) or a lot.
    Overshoot(Duration),
    /// Cancel the flow.
    Cancel,
}

impl Clock {
    fn read(input: &mut Input<'_>) -> Self {
        match input.byte() % 8 {
            1 => Self::Early(Duration::from_millis(100 * u64::from(input.byte()) + 1)),
            2 => Self::Back(Duration::from_secs(u64::from(input.byte()) + 1)),
            3 => Self::Overshoot(Duration::from_secs(input.byte().into())),
            4 => Self::Overshoot(Duration::from_secs(u64::MAX >> (input.byte() % 64))),
            5 => Self::Cancel,
            _ => Self::Honour,
        }
    }
}

fn secret(what: &str, serial: u32) -> String {
    format!("{MARKER}-{what}-{serial}")
}

fn json(status: u16, body: &Value) -> http::Response<Vec<u8>> {
    let mut response = http::Response::new(body.to_string().into_bytes());
    *response.status_mut() = http::StatusCode::from_u16(status).expect("a valid status");
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    response
}

/// An error as the service sends it: the status, `x-amzn-ErrorType`, an OAuth body.
fn service_error(code: &ErrorCode) -> http::Response<Vec<u8>> {
    let status = code.http_status().map_or(400, |s| s.as_u16());
    let mut response = json(
        status,
        &json!({"error": code.oauth_error(), "error_description": format!("{code} says no")}),
    );
    let header = format!(
        "{}:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/",
        code.shape_name()
    );
    if let Ok(value) = http::HeaderValue::from_str(&header) {
        response.headers_mut().insert("x-amzn-ErrorType", value);
    }
    response
        .headers_mut()
        .insert("x-amzn-RequestId", http::HeaderValue::from_static("req-1"));
    response
}

fn status_response(status: u16, body: &[u8]) -> http::Response<Vec<u8>> {
    let mut response = http::Response::new(body.to_vec());
    *response.status_mut() = http::StatusCode::from_u16(status).expect("a valid status");
    response
}

impl Answer {
    /// Reads an answer to `operation`: a byte whose low four bits are the [`kind`], bits 4
    /// and 5 the latency (none; the next byte in 16 ms; the next two in seconds; the next byte
    /// even: a huge jump, odd: the clock two bytes' seconds behind), bits 6 and 7 the
    /// [`Misstep`]; then the latency's bytes; then the kind's parameters.
    fn read(input: &mut Input<'_>, operation: Operation, serial: u32) -> Self {
        let first = input.byte();
        let latency = match (first >> 4) & 3 {
            0 => Latency::Ahead(Duration::ZERO),
            1 => Latency::Ahead(Duration::from_millis(16 * u64::from(input.byte()))),
            2 => Latency::Ahead(Duration::from_secs(input.u16().into())),
            _ => {
                let b = input.byte();
                if b.is_multiple_of(2) {
                    Latency::Ahead(Duration::from_secs(u64::MAX >> (b / 2 % 64)))
                } else {
                    Latency::Behind(Duration::from_secs(input.u16().into()))
                }
            }
        };
        let misstep = match first >> 6 {
            0 => Misstep::None,
            1 => Misstep::PollTwice,
            2 => Misstep::AnswerTwice,
            _ => Misstep::Cancel,
        };
        let outcome = match first & 0x0f {
            kind::SUCCESS => Ok(success(input, operation, serial)),
            kind::PENDING => Ok(service_error(&ErrorCode::AuthorizationPending)),
            kind::SLOW_DOWN => Ok(service_error(&ErrorCode::SlowDown)),
            kind::EXPIRED => Ok(service_error(&ErrorCode::ExpiredToken)),
            kind::DENIED => Ok(service_error(&ErrorCode::AccessDenied)),
            kind::INVALID_CLIENT => Ok(service_error(&ErrorCode::InvalidClient)),
            kind::MODELED => {
                let modeled = ErrorCode::MODELED;
                Ok(service_error(
                    &modeled[usize::from(input.byte()) % modeled.len()],
                ))
            }
            kind::INTERNAL => Ok(service_error(&ErrorCode::InternalServer)),
            kind::THROTTLED => {
                let mut response = status_response(400, br#"{"message":"Rate exceeded"}"#);
                response.headers_mut().insert(
                    "x-amzn-ErrorType",
                    http::HeaderValue::from_static("ThrottlingException"),
                );
                Ok(response)
            }
            kind::HTML_502 => Ok(status_response(
                502,
                b"<html><body><h1>502 Bad Gateway</h1></body></html>",
            )),
            kind::TRUNCATED => {
                let mut response = success(&mut Input::new(&[]), operation, serial);
                let cut = usize::from(input.byte()) % response.body().len().max(1);
                response.body_mut().truncate(cut);
                Ok(response)
            }
            kind::EMPTY => Ok(status_response(
                [500, 503, 200, 400][usize::from(input.byte() % 4)],
                b"",
            )),
            kind::GARBAGE => {
                let status = 100 + input.u16() % 900;
                Ok(status_response(status, input.bytes()))
            }
            kind::TRANSPORT => Err(TRANSPORT[usize::from(input.byte()) % TRANSPORT.len()]),
            kind::WRONG_OPERATION => {
                let other = match operation {
                    Operation::RegisterClient => Operation::CreateToken,
                    Operation::StartDeviceAuthorization => Operation::RegisterClient,
                    _ => Operation::StartDeviceAuthorization,
                };
                Ok(success(&mut Input::new(&[]), other, serial))
            }
            _ => {
                let shape = input.bytes();
                let error = input.text();
                let mut response =
                    status_response(400, json!({ "error": error }).to_string().as_bytes());
                if let Ok(value) = http::HeaderValue::from_bytes(shape) {
                    response.headers_mut().insert("x-amzn-ErrorType", value);
                }
                Ok(response)
            }
        };
        Self {
            outcome,
            latency,
            misstep,
        }
    }
}

/// The operation's success, its secrets marked and numbered by `serial`. RegisterClient reads
/// an expiry selector byte (none, 0, 90 days after the start, the next four bytes);
/// StartDeviceAuthorization an interval byte (255: none) and two bytes of lifetime in seconds;
/// CreateToken four bytes of lifetime in seconds.
fn success(input: &mut Input<'_>, operation: Operation, serial: u32) -> http::Response<Vec<u8>> {
    match operation {
        Operation::RegisterClient => {
            let mut body = json!({
                "clientId": format!("client-{serial}"),
                "clientSecret": secret("cs", serial),
                "clientIdIssuedAt": WALL_START,
            });
            let expires = match input.byte() % 4 {
                0 => None,
                1 => Some(0),
                2 => Some(WALL_START + 90 * 86_400),
                _ => Some(input.u32().into()),
            };
            if let Some(expires) = expires {
                body["clientSecretExpiresAt"] = json!(expires);
            }
            json(200, &body)
        }
        Operation::StartDeviceAuthorization => {
            let interval = input.byte();
            let expires_in = input.u16();
            let mut body = json!({
                "deviceCode": secret("dc", serial),
                "userCode": USER_CODE,
                "verificationUri": "https://device.sso.us-east-1.amazonaws.com/",
                "verificationUriComplete": format!("https://device.sso.us-east-1.amazonaws.com/?user_code={USER_CODE}"),
                "expiresIn": expires_in,
            });
            if interval != 255 {
                body["interval"] = json!(interval);
            }
            json(200, &body)
        }
        _ => json(
            200,
            &json!({
                "accessToken": secret("at", serial),
                "tokenType": "Bearer",
                "expiresIn": input.u32(),
                "refreshToken": secret("rt", serial),
                "idToken": secret("id", serial),
            }),
        ),
    }
}

/// Where the model expects the flow to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Register,
    Authorize,
    Prompt,
    Poll,
}

/// How the model expects the flow to end.
#[derive(Clone, Debug, PartialEq, Eq)]
enum End {
    Done,
    Service(u32),
    Parse(u32),
    Transport(TransportErrorKind, u32),
    Expired,
    Denied,
    Cancelled,
    Misuse(Misuse),
}

/// What the flow must do: a model of its state, kept by the harness from what it was told.
#[derive(Debug)]
struct Model {
    policy: RetryPolicy,
    max_interval: Duration,
    endpoint: Endpoint,
    start: Instant,
    wall: SystemTime,
    /// The latest time the flow was told.
    last: Instant,
    step: Step,
    /// Client id and secret in use.
    registration: Option<(String, String)>,
    registration_cached: bool,
    reregistered: bool,
    /// The device code, poll interval, deadline and lifetime of the authorization.
    device_code: Option<String>,
    interval: Option<Duration>,
    deadline: Option<Instant>,
    expires_in: Duration,
    /// When a CreateToken may be sent at the earliest.
    earliest_poll: Option<Instant>,
    /// Failed attempts at the current request in a row.
    failures: u32,
    /// The request sent and when.
    awaiting: Option<(Operation, Instant)>,
    /// Whatever next_send must be at least (the flow's own value once checked).
    next_send: Instant,
    end: Option<End>,
    /// The token the flow must end with, when it ends with one.
    token: Option<sso_oidc::Token>,
    check_secrets: bool,
}

impl Model {
    fn tell(&mut self, now: Instant) -> Instant {
        self.last = self.last.max(now);
        self.last
    }

    fn expected_operation(&self) -> Operation {
        match (self.step, &self.registration) {
            (Step::Register, _) | (_, None) => Operation::RegisterClient,
            (Step::Authorize, Some(_)) => Operation::StartDeviceAuthorization,
            _ => Operation::CreateToken,
        }
    }

    fn succeeded(&mut self, now: Instant) {
        self.failures = 0;
        self.next_send = now;
    }

    fn reregister(&mut self, now: Instant) {
        self.registration = None;
        self.registration_cached = false;
        self.reregistered = true;
        self.step = Step::Register;
        self.device_code = None;
        self.interval = None;
        self.deadline = None;
        self.earliest_poll = None;
        self.succeeded(now);
    }

    fn is_stale(&self, error: &Error) -> bool {
        self.registration_cached
            && !self.reregistered
            && error.code() == Some(&ErrorCode::InvalidClient)
    }

    /// A failed attempt: retried within the policy, else the end.
    fn failed(&mut self, retryable: bool, end: End) -> Option<End> {
        self.failures += 1;
        if retryable && self.failures < self.policy.max_attempts() {
            return None;
        }
        Some(end)
    }

    fn failed_with(&mut self, error: &Error) -> Option<End> {
        let retryable = RetryPolicy::is_retryable(error);
        let end = match error {
            Error::Service(_) => End::Service(self.failures + 1),
            Error::Parse(_) => End::Parse(self.failures + 1),
            other => panic!("a parser returned {other:?}"),
        };
        self.failed(retryable, end)
    }

    /// Updates the model for an answer handled at `now`: `None` while the flow goes on.
    fn answered(
        &mut self,
        operation: Operation,
        outcome: &Result<http::Response<Vec<u8>>, TransportErrorKind>,
        now: Instant,
    ) -> Option<End> {
        let response = match outcome {
            Ok(response) => response.clone(),
            Err(kind) => {
                if *kind == TransportErrorKind::Timeout
                    && self.step == Step::Poll
                    && let Some(interval) = self.interval
                {
                    let doubled = interval.saturating_mul(2).min(self.max_interval);
                    self.interval = Some(interval.max(doubled));
                }
                let attempts = self.failures + 1;
                return self.failed(kind.is_retryable(), End::Transport(*kind, attempts));
            }
        };
        match operation {
            Operation::RegisterClient => match RegisterClient::parse(response) {
                Ok(registration) => {
                    self.registration = Some((
                        registration.client_id,
                        registration.client_secret.into_exposed(),
                    ));
                    self.registration_cached = false;
                    self.step = Step::Authorize;
                    self.succeeded(now);
                    None
                }
                Err(error) => self.failed_with(&error),
            },
            Operation::StartDeviceAuthorization => {
                match StartDeviceAuthorization::parse(response) {
                    Ok(authorization) => {
                        let sent_at = self.awaiting.expect("a request was sent").1;
                        self.interval = Some(
                            authorization
                                .interval
                                .unwrap_or(DEFAULT_INTERVAL)
                                .max(MIN_INTERVAL),
                        );
                        self.deadline = Some(later(sent_at, authorization.expires_in));
                        self.expires_in = authorization.expires_in;
                        self.device_code = Some(authorization.device_code.into_exposed());
                        self.step = Step::Prompt;
                        self.succeeded(now);
                        None
                    }
                    Err(error) if self.is_stale(&error) => {
                        self.reregister(now);
                        None
                    }
                    Err(error) => self.failed_with(&error),
                }
            }
            _ => match CreateToken::parse(response) {
                Ok(token) => {
                    self.token = Some(token);
                    Some(End::Done)
                }
                Err(Error::Service(service)) => match service.code() {
                    ErrorCode::AuthorizationPending | ErrorCode::SlowDown => {
                        if service.code() == &ErrorCode::SlowDown {
                            let interval = self.interval.expect("polling");
                            self.interval = Some(interval.saturating_add(SLOW_DOWN_STEP));
                        }
                        self.failures = 0;
                        self.next_send = later(now, self.interval.expect("polling"));
                        None
                    }
                    ErrorCode::ExpiredToken => Some(End::Expired),
                    ErrorCode::AccessDenied => Some(End::Denied),
                    _ => {
                        let error = Error::Service(service);
                        if self.is_stale(&error) {
                            self.reregister(now);
                            None
                        } else {
                            self.failed_with(&error)
                        }
                    }
                },
                Err(error) => self.failed_with(&error),
            },
        }
    }
}

/// Drives a flow on fuzz input.
struct Harness<'a> {
    flow: DeviceFlow,
    model: Model,
    input: Input<'a>,
    now: Instant,
    serial: u32,
    /// The last action, printed, once the flow has ended.
    terminal: Option<String>,
}

fn action_kind(action: &Action) -> &'static str {
    match action {
        Action::Send(_) => "Send",
        Action::Prompt(_) => "Prompt",
        Action::WaitUntil(_) => "WaitUntil",
        Action::Done(_) => "Done",
        Action::Failed(_) => "Failed",
    }
}

impl Harness<'_> {
    fn config(setup: &Setup, endpoint: &Endpoint) -> DeviceFlowConfig {
        let registration = setup.cached.map(|lasts| {
            let mut body =
                json!({"clientId": "cached-id", "clientSecret": format!("{MARKER}-cached")});
            if let Some(lasts) = lasts {
                body["clientSecretExpiresAt"] = json!(WALL_START.saturating_add_signed(lasts));
            }
            RegisterClient::parse(http::Response::new(body.to_string().into_bytes()))
                .expect("a valid cached registration")
        });
        DeviceFlowConfig::builder()
            .endpoint(endpoint.clone())
            .start_url(START_URL)
            .client_name("fuzz")
            .registration(registration)
            .retry_policy(setup.policy)
            .max_interval(setup.max_interval)
            .jitter_seed(setup.seed)
            .build()
            .expect("a valid configuration")
    }

    /// Checks an action against the model, before acting on it.
    fn expect(&mut self, action: &Action, now: Instant) {
        let m = &self.model;
        let shown = format!("{action:?}");
        check::no_marker("Action Debug", &shown, m.check_secrets);
        if let Some(terminal) = &self.terminal {
            assert_eq!(&shown, terminal, "a finished flow changed its mind");
            return;
        }
        if let Some(end) = &m.end {
            match (end, action) {
                (End::Done, Action::Done(login)) => self.check_login(login),
                (end, Action::Failed(error)) => check_failure(end, error, m.check_secrets),
                (end, other) => panic!("expected the end {end:?}, got {other:?}"),
            }
            return;
        }
        assert_eq!(self.flow.interval(), m.interval, "interval");
        assert_eq!(self.flow.deadline(), m.deadline, "deadline");
        let expected = if m.deadline.is_some_and(|d| now >= d) {
            "Failed"
        } else if m.step == Step::Prompt {
            "Prompt"
        } else if now < m.next_send {
            "WaitUntil"
        } else {
            "Send"
        };
        assert_eq!(
            action_kind(action),
            expected,
            "at +{:?}: {action:?}",
            now - m.start
        );
        match action {
            Action::Failed(error) => {
                assert!(matches!(error, FlowError::Expired(None)), "{error:?}");
                check::printed("FlowError", error, m.check_secrets);
            }
            Action::WaitUntil(t) => {
                assert!(*t > now, "a wait that is not in the future");
                let until = m.deadline.map_or(m.next_send, |d| d.min(m.next_send));
                assert_eq!(*t, until, "waits until the next send or the deadline");
            }
            Action::Prompt(prompt) => {
                assert_eq!(Some(prompt.deadline), m.deadline);
                assert_eq!(prompt.expires_in, m.expires_in);
                assert_eq!(prompt.user_code, USER_CODE);
                assert!(prompt.link().contains(USER_CODE));
                assert!(now < prompt.deadline);
            }
            Action::Send(request) => self.check_request(request, now),
            Action::Done(_) => unreachable!("the model expects no end"),
        }
    }

    fn check_request(&self, request: &http::Request<Vec<u8>>, now: Instant) {
        let m = &self.model;
        let operation = m.expected_operation();
        assert_eq!(
            request.uri(),
            m.endpoint.uri(operation),
            "sent the wrong operation"
        );
        assert_eq!(request.method(), http::Method::POST);
        check::no_marker("request URI", &request.uri().to_string(), m.check_secrets);
        assert!(
            now >= self.flow.next_send(),
            "sent before the announced instant"
        );
        let body: Value = serde_json::from_slice(request.body()).expect("a JSON request body");
        let member = |name: &str| body.get(name).and_then(Value::as_str);
        if operation == Operation::RegisterClient {
            assert_eq!(member("clientName"), Some("fuzz"));
            return;
        }
        let (id, secret) = m.registration.as_ref().expect("registered");
        assert_eq!(
            member("clientId"),
            Some(id.as_str()),
            "the registration in use"
        );
        assert_eq!(member("clientSecret"), Some(secret.as_str()));
        if operation == Operation::StartDeviceAuthorization {
            assert_eq!(member("startUrl"), Some(START_URL));
            return;
        }
        assert_eq!(
            member("deviceCode"),
            m.device_code.as_deref(),
            "the current device code"
        );
        let deadline = m.deadline.expect("polling has a deadline");
        assert!(now < deadline, "polled at or after the deadline");
        let earliest = m.earliest_poll.expect("polled after the prompt");
        assert!(now >= earliest, "polled {:?} early", earliest - now);
    }

    fn check_login(&self, login: &Login) {
        let m = &self.model;
        let token = m.token.as_ref().expect("a token was given");
        assert_eq!(&login.token, token);
        let (id, secret) = m.registration.as_ref().expect("registered");
        assert_eq!(&login.registration.client_id, id);
        assert_eq!(login.registration.client_secret.expose(), secret);
        assert_eq!(login.registration_is_new, !m.registration_cached);
        assert_eq!(login.start_url, START_URL);
        let elapsed = m.last.saturating_duration_since(m.start);
        let expires_at = m
            .wall
            .checked_add(elapsed)
            .and_then(|t| t.checked_add(token.expires_in))
            .unwrap_or(UNIX_EPOCH + Duration::from_secs(FAR_FUTURE));
        assert_eq!(login.expires_at, expires_at);
    }

    /// Acts on the flow's action; `false` when the run is over.
    fn act(&mut self, action: Action, now: Instant) -> bool {
        match action {
            Action::Send(_) => self.send(now),
            Action::Prompt(_) => {
                let interval = self.model.interval.expect("an interval");
                self.model.step = Step::Poll;
                self.model.next_send = later(now, interval);
                self.model.earliest_poll = Some(later(now, interval));
                true
            }
            Action::WaitUntil(t) => self.wait(t, now),
            terminal @ (Action::Done(_) | Action::Failed(_)) => {
                if let Action::Failed(error) = &terminal {
                    check::printed("FlowError", error, self.model.check_secrets);
                }
                if self.terminal.is_none() {
                    self.terminal = Some(format!("{terminal:?}"));
                    // Nothing moves a finished flow.
                    self.flow
                        .handle_response(http::Response::new(b"{}".to_vec()), now);
                    self.flow
                        .handle_transport_error(TransportErrorKind::Io, now);
                    self.flow.cancel();
                    assert!(self.flow.is_finished());
                    let again = self.flow.poll(later(now, Duration::from_secs(1_000_000)));
                    self.expect(&again, now);
                }
                false
            }
        }
    }

    fn wait(&mut self, t: Instant, now: Instant) -> bool {
        if self.input.is_empty() {
            return false;
        }
        match Clock::read(&mut self.input) {
            Clock::Honour => self.now = t,
            Clock::Early(by) => {
                let at = self.model.tell(earlier(t, by));
                let again = self.flow.poll(at);
                assert!(
                    matches!(again, Action::WaitUntil(u) if u == t),
                    "polled early: {again:?}"
                );
                self.now = t;
            }
            Clock::Back(by) => {
                let again = self.flow.poll(earlier(now, by));
                assert!(
                    matches!(again, Action::WaitUntil(u) if u == t),
                    "polled with a clock behind: {again:?}"
                );
                self.now = t;
            }
            Clock::Overshoot(by) => self.now = later(t, by),
            Clock::Cancel => {
                self.flow.cancel();
                self.model.end = Some(End::Cancelled);
            }
        }
        true
    }

    fn send(&mut self, now: Instant) -> bool {
        if self.input.is_empty() {
            return false;
        }
        let operation = self.model.expected_operation();
        self.model.awaiting = Some((operation, now));
        self.serial += 1;
        let answer = Answer::read(&mut self.input, operation, self.serial);
        match answer.misstep {
            Misstep::PollTwice => {
                let again = self.flow.poll(now);
                self.model.end = Some(End::Misuse(Misuse::PollWhileAwaitingResponse));
                self.expect(&again, now);
            }
            Misstep::Cancel => {
                self.flow.cancel();
                self.model.end = Some(End::Cancelled);
            }
            Misstep::None | Misstep::AnswerTwice => {}
        }
        let at = match answer.latency {
            Latency::Ahead(by) => later(now, by),
            Latency::Behind(by) => earlier(now, by),
        };
        let at = self.model.tell(at);
        self.now = at;
        let before = self.flow.interval();
        self.feed(&answer.outcome, at);
        if self.model.end.is_none() {
            if let Some(end) = self.model.answered(operation, &answer.outcome, at) {
                self.model.end = Some(end);
            }
            self.model.awaiting = None;
            self.check_after_answer(before, at);
            // RFC 8628 3.4: the interval is the least time between polls, whatever came back.
            if operation == Operation::CreateToken && self.model.step == Step::Poll {
                self.model.earliest_poll = self.model.interval.map(|i| later(at, i));
            }
            if answer.misstep == Misstep::AnswerTwice && self.model.end.is_none() {
                self.feed(&answer.outcome, at);
                self.model.end = Some(End::Misuse(match answer.outcome {
                    Ok(_) => Misuse::UnexpectedResponse,
                    Err(_) => Misuse::UnexpectedTransportError,
                }));
            }
        }
        assert_eq!(
            self.flow.is_finished(),
            self.model.end.is_some(),
            "{:?}",
            self.model.end
        );
        true
    }

    fn feed(&mut self, outcome: &Result<http::Response<Vec<u8>>, TransportErrorKind>, at: Instant) {
        match outcome {
            Ok(response) => self.flow.handle_response(response.clone(), at),
            Err(kind) => self.flow.handle_transport_error(*kind, at),
        }
    }

    /// After an answer: the interval only grows, and only as the model says; a retry waits
    /// at least the interval and at most the backoff ceiling (or the interval).
    fn check_after_answer(&mut self, before: Option<Duration>, at: Instant) {
        let m = &mut self.model;
        if m.end.is_some() {
            return;
        }
        let after = self.flow.interval();
        assert_eq!(after, m.interval, "the interval after an answer");
        if let (Some(before), Some(after)) = (before, after) {
            assert!(
                after >= before,
                "the interval shrank: {before:?} -> {after:?}"
            );
        }
        let next = self.flow.next_send();
        if m.failures == 0 {
            assert_eq!(next, m.next_send, "the next send after an answer");
        } else {
            let interval = m.interval.unwrap_or(Duration::ZERO);
            let ceiling = m.policy.backoff_ceiling(m.failures + 1).max(interval);
            assert!(
                next >= later(at, interval),
                "a retry sooner than the interval: +{:?} after the answer, interval {interval:?}",
                next.saturating_duration_since(at)
            );
            assert!(
                next <= later(at, ceiling),
                "a retry later than the backoff ceiling: +{:?} after the answer, ceiling {ceiling:?} (+{:?}), {} failures",
                next.saturating_duration_since(at),
                later(at, ceiling).saturating_duration_since(at),
                m.failures
            );
            m.next_send = next;
        }
    }

    fn run(&mut self) {
        for _ in 0..100_000 {
            let now = self.model.tell(self.now);
            self.now = now;
            let action = self.flow.poll(now);
            self.expect(&action, now);
            if !self.act(action, now) {
                break;
            }
        }
        check::no_marker(
            "DeviceFlow Debug",
            &format!("{:?}", self.flow),
            self.model.check_secrets,
        );
    }
}

fn check_failure(end: &End, error: &FlowError, check_secrets: bool) {
    check::printed("FlowError", error, check_secrets);
    let matches = match (end, error) {
        (End::Service(n), FlowError::Service { attempts, .. })
        | (End::Parse(n), FlowError::Parse { attempts, .. }) => n == attempts,
        (End::Transport(kind, n), FlowError::Transport { kind: k, attempts }) => {
            kind == k && n == attempts
        }
        (End::Expired, FlowError::Expired(Some(_)))
        | (End::Denied, FlowError::Denied(_))
        | (End::Cancelled, FlowError::Cancelled) => true,
        (End::Misuse(m), FlowError::Misuse(e)) => m == e,
        _ => false,
    };
    assert!(matches, "expected {end:?}, the flow failed with {error:?}");
}

/// `DeviceFlow` driven by fuzz input, every step checked against a model: the action it asks
/// for (send, prompt, wait, end) and when; the request it sends (operation, URI free of
/// secrets, the registration and device code in use, never at or after the deadline, never
/// sooner than the interval after the last poll); the interval (the service's, at least 1 s,
/// +5 s per slow_down, doubled up to the cap per timeout, never shrinking); retries (as many
/// as the policy allows, each wait between the interval and the backoff ceiling); how it ends
/// (the token, registration and expiry it was given, or the right error with the number of
/// attempts); misuse and cancellation; that a finished flow never changes; and that no
/// `Debug` or `Display` holds a secret.
pub fn device_flow(data: &[u8]) {
    let check_secrets = !holds_marker(data);
    let mut input = Input::new(data);
    let setup = Setup::read(&mut input);
    let endpoint = Endpoint::from_url("https://oidc.example.test").expect("a valid endpoint");
    // Simulated time starts 2^62 s before the latest instant the platform can represent,
    // whatever the clock says, so that huge jumps end in the same place on every run.
    #[allow(clippy::disallowed_methods)]
    let start = earlier(
        later(Instant::now(), Duration::MAX),
        Duration::from_secs(1 << 62),
    );
    let wall = UNIX_EPOCH + Duration::from_secs(WALL_START);
    let config = Harness::config(&setup, &endpoint);
    let cached_valid = setup
        .cached
        .is_some_and(|lasts| lasts.is_none_or(|s| s > 900));
    let flow = DeviceFlow::new(config, start, wall);
    let registration = cached_valid.then(|| ("cached-id".to_owned(), format!("{MARKER}-cached")));
    let model = Model {
        policy: setup.policy,
        max_interval: setup.max_interval,
        endpoint,
        start,
        wall,
        last: start,
        step: if cached_valid {
            Step::Authorize
        } else {
            Step::Register
        },
        registration,
        registration_cached: cached_valid,
        reregistered: false,
        device_code: None,
        interval: None,
        deadline: None,
        expires_in: Duration::ZERO,
        earliest_poll: None,
        failures: 0,
        awaiting: None,
        next_send: start,
        end: None,
        token: None,
        check_secrets,
    };
    let mut harness = Harness {
        flow,
        model,
        input,
        now: start,
        serial: 0,
        terminal: None,
    };
    harness.run();
}
