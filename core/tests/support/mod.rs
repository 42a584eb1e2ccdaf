//! A scripted service and a simulated clock for driving `DeviceFlow` in tests.
//!
//! `Scenario::new().pending(2).slow_down().approve().run()` registers, starts a device
//! authorization, then answers each CreateToken from the script. The clock jumps straight to
//! every `WaitUntil`: nothing sleeps.
#![allow(dead_code, unreachable_pub)]

use std::collections::VecDeque;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use sso_oidc::{
    Action, ClientRegistration, DeviceFlow, DeviceFlowConfig, Endpoint, FlowError, Login,
    Operation, Prompt, RegisterClient, TransportErrorKind,
};

/// The wall clock the flows start at: 2023-11-14T22:13:20Z.
pub const WALL_START: u64 = 1_700_000_000;

/// One scripted answer to a request.
#[derive(Clone, Debug)]
pub enum Answer {
    /// A response with this status, headers and body.
    Response {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: Vec<u8>,
    },
    /// No response: the transport failed.
    Transport(TransportErrorKind),
}

impl Answer {
    pub fn json(status: u16, body: &str) -> Self {
        Self::Response {
            status,
            headers: vec![("content-type", "application/json".to_owned())],
            body: body.as_bytes().to_vec(),
        }
    }

    /// An error the way the real service sends it: header, OAuth body.
    pub fn service_error(status: u16, shape: &str, oauth: &str) -> Self {
        Self::Response {
            status,
            headers: vec![
                ("content-type", "application/json".to_owned()),
                (
                    "x-amzn-ErrorType",
                    format!("{shape}:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/"),
                ),
                ("x-amzn-RequestId", "req-1".to_owned()),
            ],
            body: format!(r#"{{"error":"{oauth}","error_description":"{shape} says no"}}"#)
                .into_bytes(),
        }
    }

    pub fn registered(expires_at: u64) -> Self {
        Self::json(
            200,
            &format!(
                r#"{{"clientId":"client-id-1","clientSecret":"LEAK-client-secret","clientIdIssuedAt":{WALL_START},"clientSecretExpiresAt":{expires_at}}}"#
            ),
        )
    }

    pub fn authorized(interval: Option<u64>, expires_in: u64) -> Self {
        let interval = interval.map_or(String::new(), |i| format!(r#","interval":{i}"#));
        Self::json(
            200,
            &format!(
                r#"{{"deviceCode":"LEAK-device-code","userCode":"GPNW-SHFH","verificationUri":"https://device.sso.us-east-1.amazonaws.com/","verificationUriComplete":"https://device.sso.us-east-1.amazonaws.com/?user_code=GPNW-SHFH","expiresIn":{expires_in}{interval}}}"#
            ),
        )
    }

    pub fn token() -> Self {
        Self::json(
            200,
            r#"{"accessToken":"LEAK-access-token","tokenType":"Bearer","expiresIn":28800,"refreshToken":"LEAK-refresh-token"}"#,
        )
    }

    pub fn pending() -> Self {
        Self::service_error(
            400,
            "AuthorizationPendingException",
            "authorization_pending",
        )
    }

    pub fn slow_down() -> Self {
        Self::service_error(400, "SlowDownException", "slow_down")
    }

    pub fn expired() -> Self {
        Self::service_error(400, "ExpiredTokenException", "expired_token")
    }

    pub fn denied() -> Self {
        Self::service_error(400, "AccessDeniedException", "access_denied")
    }

    pub fn invalid_client() -> Self {
        Self::service_error(401, "InvalidClientException", "invalid_client")
    }

    pub fn internal() -> Self {
        Self::service_error(500, "InternalServerException", "server_error")
    }

    pub fn throttled() -> Self {
        Self::Response {
            status: 400,
            headers: vec![("x-amzn-ErrorType", "ThrottlingException".to_owned())],
            body: br#"{"message":"Rate exceeded"}"#.to_vec(),
        }
    }

    pub fn html_502() -> Self {
        Self::Response {
            status: 502,
            headers: vec![("content-type", "text/html".to_owned())],
            body: b"<html><body>Bad Gateway</body></html>".to_vec(),
        }
    }

    pub fn malformed_200() -> Self {
        Self::json(200, r#"{"accessToken": "LEAK-acc"#)
    }

    /// The response to hand the flow, or the transport error.
    pub fn into_response(self) -> Result<http::Response<Vec<u8>>, TransportErrorKind> {
        match self {
            Self::Transport(kind) => Err(kind),
            Self::Response {
                status,
                headers,
                body,
            } => {
                let mut builder = http::Response::builder().status(status);
                for (name, value) in headers {
                    builder = builder.header(name, value);
                }
                Ok(builder.body(body).expect("valid test response"))
            }
        }
    }
}

/// What happened, and when (as an offset from the start).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    Sent(Operation, Duration),
    Prompted(Duration),
    Waited(Duration),
}

/// A scripted sign-in.
#[derive(Debug)]
pub struct Scenario {
    pub register: VecDeque<Answer>,
    pub authorize: VecDeque<Answer>,
    pub token: VecDeque<Answer>,
    pub cached: Option<ClientRegistration>,
    pub config: fn(sso_oidc::DeviceFlowConfigBuilder) -> sso_oidc::DeviceFlowConfigBuilder,
    pub latency: Duration,
}

/// How a scripted sign-in went.
#[derive(Debug)]
pub struct Trace {
    pub start: Instant,
    pub events: Vec<Event>,
    pub outcome: Result<Login, FlowError>,
    pub prompts: Vec<Prompt>,
    pub flow: DeviceFlow,
    pub end: Duration,
}

impl Trace {
    /// When each request of one operation was sent.
    pub fn sends(&self, operation: Operation) -> Vec<Duration> {
        self.events
            .iter()
            .filter_map(|e| match e {
                Event::Sent(op, at) if *op == operation => Some(*at),
                _ => None,
            })
            .collect()
    }

    /// When each CreateToken was sent, in whole seconds after the start.
    pub fn poll_seconds(&self) -> Vec<u64> {
        self.sends(Operation::CreateToken)
            .iter()
            .map(Duration::as_secs)
            .collect()
    }

    pub fn error(&self) -> &FlowError {
        self.outcome
            .as_ref()
            .expect_err("the flow should have failed")
    }

    pub fn login(&self) -> &Login {
        self.outcome
            .as_ref()
            .expect("the flow should have succeeded")
    }
}

pub fn endpoint() -> Endpoint {
    Endpoint::from_url("https://oidc.example.test").expect("valid endpoint")
}

/// A registration as the cache would hold it, expiring `seconds` after `WALL_START`.
pub fn cached_registration(seconds: u64) -> ClientRegistration {
    let response = http::Response::new(
        format!(
            r#"{{"clientId":"cached-id","clientSecret":"LEAK-cached-secret","clientSecretExpiresAt":{}}}"#,
            WALL_START + seconds
        )
        .into_bytes(),
    );
    RegisterClient::parse(response).expect("valid registration")
}

/// A base instant for simulated time; the one place the tests read the clock.
#[allow(clippy::disallowed_methods)]
pub fn base_instant() -> Instant {
    Instant::now()
}

pub fn wall_start() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(WALL_START)
}

impl Scenario {
    /// Registers and starts a device authorization with `interval` 1 and `expiresIn` 600, as
    /// the real service does; CreateToken answers come from the script, and are pending once
    /// it runs out.
    pub fn new() -> Self {
        Self {
            register: VecDeque::new(),
            authorize: VecDeque::new(),
            token: VecDeque::new(),
            cached: None,
            config: |b| b,
            latency: Duration::ZERO,
        }
    }

    pub fn authorization(mut self, interval: Option<u64>, expires_in: u64) -> Self {
        self.authorize
            .push_back(Answer::authorized(interval, expires_in));
        self
    }

    pub fn pending(mut self, n: usize) -> Self {
        self.token.extend((0..n).map(|_| Answer::pending()));
        self
    }

    pub fn slow_down(mut self) -> Self {
        self.token.push_back(Answer::slow_down());
        self
    }

    pub fn approve(mut self) -> Self {
        self.token.push_back(Answer::token());
        self
    }

    pub fn then(mut self, answer: Answer) -> Self {
        self.token.push_back(answer);
        self
    }

    pub fn cached(mut self, registration: ClientRegistration) -> Self {
        self.cached = Some(registration);
        self
    }

    pub fn flow(&self, start: Instant) -> DeviceFlow {
        let builder = DeviceFlowConfig::builder()
            .endpoint(endpoint())
            .start_url("https://d-1234567890.awsapps.com/start")
            .registration(self.cached.clone())
            .jitter_seed(42);
        let config = (self.config)(builder).build().expect("valid config");
        DeviceFlow::new(config, start, wall_start())
    }

    fn answer(&mut self, operation: Operation) -> Answer {
        let (queue, default) = match operation {
            Operation::RegisterClient => (
                &mut self.register,
                Answer::registered(WALL_START + 90 * 86_400),
            ),
            Operation::StartDeviceAuthorization => {
                (&mut self.authorize, Answer::authorized(Some(1), 600))
            }
            _ => (&mut self.token, Answer::pending()),
        };
        queue.pop_front().unwrap_or(default)
    }

    /// Drives the flow to its end on simulated time.
    pub fn run(mut self) -> Trace {
        let start = base_instant();
        let mut flow = self.flow(start);
        let mut now = start;
        let mut events = Vec::new();
        let mut prompts = Vec::new();
        for _ in 0..100_000 {
            match flow.poll(now) {
                Action::Send(request) => {
                    let operation = operation_of(&request);
                    events.push(Event::Sent(operation, now - start));
                    now += self.latency;
                    match self.answer(operation).into_response() {
                        Ok(response) => flow.handle_response(response, now),
                        Err(kind) => flow.handle_transport_error(kind, now),
                    }
                }
                Action::Prompt(prompt) => {
                    events.push(Event::Prompted(now - start));
                    prompts.push(prompt);
                }
                Action::WaitUntil(t) => {
                    assert!(t > now, "WaitUntil({:?}) is not in the future", t - start);
                    now = t;
                    events.push(Event::Waited(now - start));
                }
                Action::Done(login) => {
                    return Trace {
                        start,
                        events,
                        outcome: Ok(login),
                        prompts,
                        flow,
                        end: now - start,
                    };
                }
                Action::Failed(error) => {
                    return Trace {
                        start,
                        events,
                        outcome: Err(error),
                        prompts,
                        flow,
                        end: now - start,
                    };
                }
            }
        }
        panic!("the flow did not end");
    }
}

/// Which operation a request is, from its path.
pub fn operation_of(request: &http::Request<Vec<u8>>) -> Operation {
    match request.uri().path() {
        "/client/register" => Operation::RegisterClient,
        "/device_authorization" => Operation::StartDeviceAuthorization,
        "/token" => Operation::CreateToken,
        other => panic!("unexpected path {other}"),
    }
}
