//! The service itself, without a socket: requests in, responses out, told the time.

use std::collections::HashMap;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use http::{HeaderValue, Method, StatusCode};
use serde_json::{Map, Value, json};
use sso_oidc::{ErrorCode, GrantType, Operation};

use crate::config::{Config, Decision};
use crate::fault::{Fault, Injection, Reply, ReplyBody};
use crate::log::{LoggedRequest, mask_body, mask_header, mask_uri};
use crate::page;
use crate::random::Random;

mod authorize;
mod portal;

use authorize::{AUTHORIZE_PATH, IssuedCode, Registration, Request as AuthorizeRequest};
use portal::{PageToken, Session};

/// The namespace the real service appends to `x-amzn-ErrorType`.
const ERROR_NAMESPACE: &str = "http://internal.amazon.com/coral/com.amazonaws.sso.oidc/";

/// Where the verification page lives.
const PAGE_PATH: &str = "/device";

/// How much each `slow_down` adds to a device code's interval (RFC 8628 3.5).
const SLOW_DOWN_STEP: Duration = Duration::from_secs(5);

/// What a proxy in front of a service sends when the service is down.
const BAD_GATEWAY_PAGE: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n";

/// Where a device authorization stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeviceState {
    /// Nobody has approved or denied it yet.
    Pending,
    /// Approved: the next CreateToken gets a token.
    Approved,
    /// Denied: every CreateToken gets `access_denied`.
    Denied,
    /// Its token was issued: the device code is spent.
    Used,
}

/// What the emulator knows of one device authorization, by its user code.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Device {
    /// The user code, e.g. `GPNW-SHFH`.
    pub user_code: String,
    /// The client it was started for.
    pub client_id: String,
    /// The start URL it was started for.
    pub start_url: String,
    /// Where it stands.
    pub state: DeviceState,
    /// The poll interval for its device code, grown by 5 s per `slow_down`.
    pub interval: Duration,
    /// How many CreateToken requests used its device code.
    pub polls: u32,
    /// When it expires.
    pub expires_at: Instant,
}

/// A user code the emulator does not know.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("no device authorization has the user code {0:?}")]
pub struct UnknownUserCode(pub String);

struct Client {
    secret: String,
    secret_expires_at: SystemTime,
    registration: Registration,
}

struct Authorization {
    device: Device,
    started_at: Instant,
    last_poll: Option<Instant>,
}

/// The emulated SSO OIDC service: every client, device code and token it has issued, and a
/// log of every request. It reads no clock: each request comes with the time.
///
/// Its `Debug` shows the configuration and how much it holds, never a secret or device code.
pub struct Service {
    config: Config,
    base_url: String,
    random: Random,
    clients: HashMap<String, Client>,
    /// By device code.
    authorizations: HashMap<String, Authorization>,
    /// User code to device code.
    user_codes: HashMap<String, String>,
    /// Refresh token to the client id and the sign-in it continues.
    refresh_tokens: HashMap<String, (String, u64)>,
    /// How many sign-ins (device-code and authorization-code grants) tokens were issued for:
    /// a refresh continues its sign-in, and the portal's Logout ends every token of one.
    sign_ins: u64,
    /// The access tokens issued, for the portal to check, by token.
    sessions: HashMap<String, Session>,
    /// Where the portal's pages left off, by `nextToken`.
    page_tokens: HashMap<String, PageToken>,
    /// Authorization requests waiting on their approval page, by the page's request id.
    authorize_requests: HashMap<String, AuthorizeRequest>,
    /// Authorization codes handed out, by code.
    codes: HashMap<String, IssuedCode>,
    /// The redirect the last request's scripted decision asks a server to follow, and when.
    follow: Option<(String, Duration)>,
    injections: Vec<Injection>,
    log: Vec<LoggedRequest>,
}

impl std::fmt::Debug for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Service")
            .field("config", &self.config)
            .field("base_url", &self.base_url)
            .field("clients", &self.clients.len())
            .field("access_tokens", &self.sessions.len())
            .field("devices", &self.devices())
            .field("faults", &self.injections)
            .field("requests", &self.log.len())
            .finish_non_exhaustive()
    }
}

/// A refusal: the model's error code and the service's description.
struct Refusal(ErrorCode, String);

fn refuse(code: ErrorCode, description: impl Into<String>) -> Refusal {
    Refusal(code, description.into())
}

type Answer = Result<Value, Refusal>;

impl Service {
    /// A service whose verification page is under `base_url` (e.g. `http://127.0.0.1:8080`).
    pub fn new(config: Config, base_url: impl Into<String>) -> Self {
        Self {
            random: Random::new(config.seed),
            config,
            base_url: base_url.into().trim_end_matches('/').to_owned(),
            clients: HashMap::new(),
            authorizations: HashMap::new(),
            user_codes: HashMap::new(),
            refresh_tokens: HashMap::new(),
            sign_ins: 0,
            sessions: HashMap::new(),
            page_tokens: HashMap::new(),
            authorize_requests: HashMap::new(),
            codes: HashMap::new(),
            follow: None,
            injections: Vec::new(),
            log: Vec::new(),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The configuration, to change: changes apply to later requests (a new interval to later
    /// device authorizations, a new lifetime to later tokens).
    pub fn config_mut(&mut self) -> &mut Config {
        &mut self.config
    }

    /// Adds a fault for later requests; see [`Injection`].
    pub fn inject(&mut self, injection: impl Into<Injection>) {
        self.injections.push(injection.into());
    }

    /// Removes every fault not yet spent.
    pub fn clear_faults(&mut self) {
        self.injections.clear();
    }

    /// The faults that can still hit a request, oldest first.
    pub fn faults(&self) -> &[Injection] {
        &self.injections
    }

    /// Answers one request at monotonic time `now` and wall-clock time `wall` as the service
    /// would, injected faults aside: a server sends what [`Service::reply`] says instead.
    ///
    /// Besides the three operations, `GET /` serves an index page that says what this is,
    /// `GET /device` serves the verification page and `POST /device` takes its form
    /// (`user_code`, `action=approve|deny`). `GET /authorize` takes an authorization request
    /// (the authorization-code grant with PKCE) and serves its approval page, whose form
    /// `POST /authorize` takes (`request`, `action=approve|deny`) and answers with a `302` to
    /// the client's redirect URI. With [`Config::auto_authorization`] set, `GET /authorize`
    /// answers that `302` at once; [`Service::reply`] asks a server to follow it instead
    /// ([`Reply::Follow`]).
    pub fn handle<B: AsRef<[u8]>>(
        &mut self,
        request: &http::Request<B>,
        now: Instant,
        wall: SystemTime,
    ) -> http::Response<Vec<u8>> {
        self.record(request, now);
        let response = self.answer(request, now, wall);
        // Without a server nobody follows a scripted redirect here: the caller gets the 302.
        self.follow = None;
        self.note_answer(Some(response.status()), None);
        response
    }

    /// What a server sends for one request: the service's answer, or the fault an
    /// [`Injection`] puts in its place.
    pub fn reply<B: AsRef<[u8]>>(
        &mut self,
        request: &http::Request<B>,
        now: Instant,
        wall: SystemTime,
    ) -> Reply {
        let operation = self.record(request, now);
        let mut hit = None;
        if let Some(operation) = operation {
            // Every injection counts every request it matches, whichever one hits it.
            for injection in &mut self.injections {
                if let Some(fault) = injection.count(operation) {
                    hit.get_or_insert_with(|| fault.clone());
                }
            }
            self.injections.retain(|injection| !injection.is_spent());
        }
        let Some(fault) = hit else {
            let response = self.answer(request, now, wall);
            if let Some((location, after)) = self.follow.take() {
                // The server follows the redirect, then answers with a page.
                self.note_answer(Some(StatusCode::OK), None);
                return Reply::Follow { location, after };
            }
            self.note_answer(Some(response.status()), None);
            return send(response, Duration::ZERO);
        };
        let reply = self.fault(&fault, request, now, wall);
        let status = match &reply {
            Reply::Send { response, .. } => Some(response.status()),
            Reply::Follow { .. } => Some(StatusCode::OK),
            Reply::Hang | Reply::Drop => None,
        };
        self.note_answer(status, Some(fault));
        reply
    }

    /// The reply with `fault` in place of the service's answer.
    fn fault<B: AsRef<[u8]>>(
        &mut self,
        fault: &Fault,
        request: &http::Request<B>,
        now: Instant,
        wall: SystemTime,
    ) -> Reply {
        let request_id = self.random.request_id();
        let json_error = |status: StatusCode, error_type: &str, body: Value| {
            send(
                respond(status, Some(error_type), body, &request_id),
                Duration::ZERO,
            )
        };
        if operation_of(request).is_some_and(Operation::is_portal) {
            match fault {
                // The portal's own shapes: its modelled 429, and a 500 in its error shape.
                Fault::Throttling => {
                    return send(
                        portal::error_response(
                            StatusCode::TOO_MANY_REQUESTS,
                            "TooManyRequestsException",
                            "Too many requests",
                            &request_id,
                        ),
                        Duration::ZERO,
                    );
                }
                Fault::InternalServerError => {
                    return send(
                        portal::error_response(
                            StatusCode::INTERNAL_SERVER_ERROR,
                            "InternalServerException",
                            "An internal server error occurred",
                            &request_id,
                        ),
                        Duration::ZERO,
                    );
                }
                _ => {}
            }
        }
        match fault {
            Fault::InternalServerError => json_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                &error_type(&ErrorCode::InternalServer),
                json!({"error": "server_error", "error_description": "An internal server error occurred"}),
            ),
            Fault::ServiceUnavailable => json_error(
                StatusCode::SERVICE_UNAVAILABLE,
                "ServiceUnavailableException",
                json!({"message": "Service Unavailable"}),
            ),
            Fault::Throttling => json_error(
                StatusCode::BAD_REQUEST,
                "ThrottlingException",
                json!({"message": "Rate exceeded"}),
            ),
            Fault::SlowDown => {
                self.slow_down(request.body().as_ref());
                let code = ErrorCode::SlowDown;
                json_error(
                    code.http_status().unwrap_or(StatusCode::BAD_REQUEST),
                    &error_type(&code),
                    json!({"error": code.oauth_error(), "error_description": "Client is polling too fast"}),
                )
            }
            Fault::BadGatewayHtml => {
                let mut response = http::Response::new(BAD_GATEWAY_PAGE.as_bytes().to_vec());
                *response.status_mut() = StatusCode::BAD_GATEWAY;
                response.headers_mut().insert(
                    http::header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html"),
                );
                send(response, Duration::ZERO)
            }
            Fault::MalformedJson => {
                let mut response = respond(StatusCode::OK, None, Value::Null, &request_id);
                *response.body_mut() = br#"{"expiresIn": 600, "interval": oops"#.to_vec();
                send(response, Duration::ZERO)
            }
            Fault::EmptyBody => {
                let mut response = respond(StatusCode::OK, None, Value::Null, &request_id);
                response.body_mut().clear();
                send(response, Duration::ZERO)
            }
            Fault::TruncatedBody => {
                let (mut parts, mut body) = self.answer(request, now, wall).into_parts();
                parts
                    .headers
                    .insert(http::header::CONTENT_LENGTH, HeaderValue::from(body.len()));
                body.truncate(body.len() / 2);
                Reply::Send {
                    response: http::Response::from_parts(parts, ReplyBody::Truncated(body)),
                    after: Duration::ZERO,
                }
            }
            &Fault::HugeBody(len) => {
                let (mut parts, _) =
                    respond(StatusCode::OK, None, Value::Null, &request_id).into_parts();
                parts
                    .headers
                    .insert(http::header::CONTENT_LENGTH, HeaderValue::from(len));
                Reply::Send {
                    response: http::Response::from_parts(parts, ReplyBody::Padding(len)),
                    after: Duration::ZERO,
                }
            }
            &Fault::Delay(delay) => send(self.answer(request, now, wall), delay),
            &Fault::Drip(every) => {
                let (mut parts, bytes) = self.answer(request, now, wall).into_parts();
                parts
                    .headers
                    .insert(http::header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
                Reply::Send {
                    response: http::Response::from_parts(parts, ReplyBody::Drip { bytes, every }),
                    after: Duration::ZERO,
                }
            }
            Fault::Hang => Reply::Hang,
            Fault::DropConnection => Reply::Drop,
        }
    }

    /// A fresh `x-amzn-RequestId`, for answers a server gives on the service's behalf.
    pub(crate) fn request_id(&mut self) -> String {
        self.random.request_id()
    }

    /// Logs a request; the operation its path names.
    fn record<B: AsRef<[u8]>>(
        &mut self,
        request: &http::Request<B>,
        now: Instant,
    ) -> Option<Operation> {
        let operation = operation_of(request);
        self.log.push(LoggedRequest {
            operation,
            at: now,
            method: request.method().clone(),
            uri: mask_uri(&request.uri().to_string()),
            headers: request
                .headers()
                .iter()
                .map(|(k, v)| (k.to_string(), mask_header(k.as_str(), v.as_bytes())))
                .collect(),
            body: mask_body(request.body().as_ref()),
            status: None,
            fault: None,
        });
        operation
    }

    /// Notes in the log how the last request was answered.
    fn note_answer(&mut self, status: Option<StatusCode>, fault: Option<Fault>) {
        if let Some(entry) = self.log.last_mut() {
            entry.status = status;
            entry.fault = fault;
        }
    }

    /// The service's answer, without logging.
    fn answer<B: AsRef<[u8]>>(
        &mut self,
        request: &http::Request<B>,
        now: Instant,
        wall: SystemTime,
    ) -> http::Response<Vec<u8>> {
        let body = request.body().as_ref();
        let operation = operation_of(request);
        let request_id = self.random.request_id();
        let answer = match (operation, request.method()) {
            (Some(operation), _) if operation.is_portal() => {
                return self.portal(operation, request, now, wall, &request_id);
            }
            (Some(operation), &Method::POST) => match parse_body(body) {
                Ok(input) => match operation {
                    Operation::RegisterClient => self.register_client(&input, wall),
                    Operation::StartDeviceAuthorization => {
                        self.start_device_authorization(&input, now, wall)
                    }
                    _ => self.create_token(&input, now, wall),
                },
                Err(refusal) => Err(refusal),
            },
            // Only `/` itself: every other unknown path answers as the real service does.
            (None, &Method::GET | &Method::HEAD) if request.uri().path() == "/" => {
                return html(StatusCode::OK, page::index(&self.base_url));
            }
            (None, &Method::GET | &Method::HEAD) if request.uri().path() == PAGE_PATH => {
                let user_code =
                    form_value(request.uri().query().unwrap_or("").as_bytes(), "user_code");
                return self.page(user_code.as_deref(), now);
            }
            (None, &Method::POST) if request.uri().path() == PAGE_PATH => {
                return self.page_decision(body, now);
            }
            (None, &Method::GET | &Method::HEAD) if request.uri().path() == AUTHORIZE_PATH => {
                return self.authorize(request.uri().query().unwrap_or(""), now, wall);
            }
            (None, &Method::POST) if request.uri().path() == AUTHORIZE_PATH => {
                return self.authorize_decision(body, now);
            }
            _ => {
                return respond(
                    StatusCode::NOT_FOUND,
                    Some("UnknownOperationException"),
                    json!({"message": null}),
                    &request_id,
                );
            }
        };
        match answer {
            Ok(output) => respond(StatusCode::OK, None, output, &request_id),
            Err(Refusal(code, description)) => respond(
                code.http_status().unwrap_or(StatusCode::BAD_REQUEST),
                Some(&error_type(&code)),
                json!({"error": code.oauth_error(), "error_description": description}),
                &request_id,
            ),
        }
    }

    /// The verification page for `user_code`, or the form asking for one.
    fn page(&mut self, user_code: Option<&str>, now: Instant) -> http::Response<Vec<u8>> {
        let Some(user_code) = user_code.filter(|c| !c.trim().is_empty()) else {
            return html(StatusCode::OK, page::enter_code(None));
        };
        match self.by_user_code(user_code) {
            Err(_) => html(
                StatusCode::NOT_FOUND,
                page::enter_code(Some("That code is not valid. Check it and try again.")),
            ),
            Ok(authorization) => match pending(&authorization.device, now) {
                Ok(()) => html(
                    StatusCode::OK,
                    page::confirm(
                        &authorization.device.user_code,
                        &authorization.device.start_url,
                    ),
                ),
                Err((status, title, message)) => html(status, page::outcome(title, message)),
            },
        }
    }

    /// The verification page's form: `user_code` and `action=approve|deny`.
    fn page_decision(&mut self, form: &[u8], now: Instant) -> http::Response<Vec<u8>> {
        let decision = match form_value(form, "action").as_deref() {
            Some("approve") => Decision::Approve,
            Some("deny") => Decision::Deny,
            _ => {
                return html(
                    StatusCode::BAD_REQUEST,
                    page::outcome("Something went wrong", "Choose to allow or deny access."),
                );
            }
        };
        let user_code = form_value(form, "user_code").unwrap_or_default();
        let Ok(authorization) = self.by_user_code(&user_code) else {
            return html(
                StatusCode::NOT_FOUND,
                page::enter_code(Some("That code is not valid. Check it and try again.")),
            );
        };
        if let Err((status, title, message)) = pending(&authorization.device, now) {
            return html(status, page::outcome(title, message));
        }
        authorization.device.state = decision.state();
        match decision {
            Decision::Approve => html(
                StatusCode::OK,
                page::outcome(
                    "Request approved",
                    "You can close this window and return to your device.",
                ),
            ),
            Decision::Deny => html(
                StatusCode::OK,
                page::outcome(
                    "Request denied",
                    "The device was not given access. You can close this window.",
                ),
            ),
        }
    }

    /// Grows the interval of the device code in a CreateToken body, as `slow_down` does.
    fn slow_down(&mut self, body: &[u8]) {
        let Ok(input) = parse_body(body) else { return };
        if let Ok(device_code) = required(&input, "deviceCode")
            && let Some(authorization) = self.authorizations.get_mut(device_code)
        {
            let device = &mut authorization.device;
            device.interval = device.interval.saturating_add(SLOW_DOWN_STEP);
        }
    }

    /// Approves the device authorization with this user code, as a person on the
    /// verification page would.
    ///
    /// # Errors
    /// [`UnknownUserCode`] when no device authorization has that code.
    pub fn approve(&mut self, user_code: &str) -> Result<(), UnknownUserCode> {
        self.decide(user_code, Decision::Approve)
    }

    /// Denies the device authorization with this user code.
    ///
    /// # Errors
    /// [`UnknownUserCode`] when no device authorization has that code.
    pub fn deny(&mut self, user_code: &str) -> Result<(), UnknownUserCode> {
        self.decide(user_code, Decision::Deny)
    }

    /// Makes the device authorization with this user code expire at `now`.
    ///
    /// # Errors
    /// [`UnknownUserCode`] when no device authorization has that code.
    pub fn expire(&mut self, user_code: &str, now: Instant) -> Result<(), UnknownUserCode> {
        let authorization = self.by_user_code(user_code)?;
        authorization.device.expires_at = authorization.device.expires_at.min(now);
        Ok(())
    }

    /// The device authorization with this user code.
    pub fn device(&self, user_code: &str) -> Option<&Device> {
        let device_code = self.user_codes.get(&normalize_user_code(user_code))?;
        self.authorizations.get(device_code).map(|a| &a.device)
    }

    /// Every device authorization, oldest first.
    pub fn devices(&self) -> Vec<&Device> {
        let mut devices: Vec<&Device> = self.authorizations.values().map(|a| &a.device).collect();
        devices.sort_by_key(|d| d.expires_at);
        devices
    }

    /// Every request so far, with secrets masked.
    pub fn log(&self) -> &[LoggedRequest] {
        &self.log
    }

    fn decide(&mut self, user_code: &str, decision: Decision) -> Result<(), UnknownUserCode> {
        let authorization = self.by_user_code(user_code)?;
        if authorization.device.state == DeviceState::Pending {
            authorization.device.state = decision.state();
        }
        Ok(())
    }

    fn by_user_code(&mut self, user_code: &str) -> Result<&mut Authorization, UnknownUserCode> {
        self.user_codes
            .get(&normalize_user_code(user_code))
            .and_then(|device_code| self.authorizations.get_mut(device_code))
            .ok_or_else(|| UnknownUserCode(user_code.to_owned()))
    }

    fn register_client(&mut self, input: &Map<String, Value>, wall: SystemTime) -> Answer {
        let name = required(input, "clientName")?;
        let client_type = required(input, "clientType")?;
        if client_type != "public" {
            return Err(refuse(
                ErrorCode::InvalidClientMetadata,
                format!("Invalid client type: {client_type}"),
            ));
        }
        let registration = Registration::from_input(input, name)?;
        let client_id = self.random.token("", 22);
        let secret = self.random.token("", 64);
        let issued = epoch_seconds(wall);
        let expires_at = later(
            wall,
            self.config.client_secret_lifetime,
            |time, lifetime| time.checked_add(lifetime),
        );
        self.clients.insert(
            client_id.clone(),
            Client {
                secret: secret.clone(),
                secret_expires_at: expires_at,
                registration,
            },
        );
        Ok(json!({
            "authorizationEndpoint": null,
            "clientId": client_id,
            "clientIdIssuedAt": issued,
            "clientSecret": secret,
            "clientSecretExpiresAt": epoch_seconds(expires_at),
            "tokenEndpoint": null,
        }))
    }

    fn start_device_authorization(
        &mut self,
        input: &Map<String, Value>,
        now: Instant,
        wall: SystemTime,
    ) -> Answer {
        let client_id = self.client(input, wall)?;
        let start_url = required(input, "startUrl")?.to_owned();
        let device_code = self.random.token("", 64);
        let user_code = loop {
            let code = self.random.user_code();
            if !self.user_codes.contains_key(&code) {
                break code;
            }
        };
        let verification_uri = format!("{}/device", self.base_url);
        let complete = format!("{verification_uri}?user_code={user_code}");
        self.user_codes
            .insert(user_code.clone(), device_code.clone());
        self.authorizations.insert(
            device_code.clone(),
            Authorization {
                device: Device {
                    user_code: user_code.clone(),
                    client_id,
                    start_url,
                    state: DeviceState::Pending,
                    interval: self.config.interval,
                    polls: 0,
                    expires_at: later(now, self.config.expires_in, |time, lifetime| {
                        time.checked_add(lifetime)
                    }),
                },
                started_at: now,
                last_poll: None,
            },
        );
        Ok(json!({
            "deviceCode": device_code,
            "expiresIn": self.config.expires_in.as_secs(),
            "interval": self.config.interval.as_secs(),
            "userCode": user_code,
            "verificationUri": verification_uri,
            "verificationUriComplete": complete,
        }))
    }

    fn create_token(
        &mut self,
        input: &Map<String, Value>,
        now: Instant,
        wall: SystemTime,
    ) -> Answer {
        let client_id = self.client(input, wall)?;
        let grant_type = required(input, "grantType")?;
        if grant_type == GrantType::DeviceCode.as_str() {
            self.device_code_grant(input, &client_id, now)
        } else if grant_type == GrantType::AuthorizationCode.as_str() {
            self.authorization_code_grant(input, &client_id, now)
        } else if grant_type == GrantType::RefreshToken.as_str() {
            let refresh_token = required(input, "refreshToken")?;
            match self.refresh_tokens.get(refresh_token) {
                Some((owner, sign_in)) if *owner == client_id => {
                    let sign_in = *sign_in;
                    self.refresh_tokens.remove(refresh_token);
                    Ok(self.token(&client_id, now, Some(sign_in)))
                }
                _ => Err(refuse(
                    ErrorCode::InvalidGrant,
                    "Invalid refresh token provided",
                )),
            }
        } else {
            Err(refuse(
                ErrorCode::UnsupportedGrantType,
                format!("Unsupported grant type: {grant_type}"),
            ))
        }
    }

    fn device_code_grant(
        &mut self,
        input: &Map<String, Value>,
        client_id: &str,
        now: Instant,
    ) -> Answer {
        let device_code = required(input, "deviceCode")?;
        let authorization = match self.authorizations.get_mut(device_code) {
            Some(a) if a.device.client_id == client_id => a,
            _ => {
                return Err(refuse(
                    ErrorCode::InvalidGrant,
                    "Invalid device code provided",
                ));
            }
        };
        if let Some(auto) = self.config.auto
            && authorization.device.state == DeviceState::Pending
            && auto.is_due(
                now.saturating_duration_since(authorization.started_at),
                authorization.device.polls,
            )
        {
            authorization.device.state = auto.decision.state();
        }
        authorization.device.polls += 1;
        let too_soon = authorization.last_poll.is_some_and(|last| {
            now.saturating_duration_since(last) < authorization.device.interval
        });
        authorization.last_poll = Some(now);
        let device = &mut authorization.device;
        match device.state {
            DeviceState::Used => Err(refuse(
                ErrorCode::InvalidGrant,
                "Device code has already been used",
            )),
            _ if now >= device.expires_at => {
                Err(refuse(ErrorCode::ExpiredToken, "Device code has expired"))
            }
            DeviceState::Denied => Err(refuse(
                ErrorCode::AccessDenied,
                "The user denied the authorization request",
            )),
            // RFC 8628 3.5: polling faster than the interval earns slow_down and 5 s more.
            _ if too_soon => {
                device.interval = device.interval.saturating_add(SLOW_DOWN_STEP);
                Err(refuse(ErrorCode::SlowDown, "Client is polling too fast"))
            }
            DeviceState::Pending => Err(refuse(
                ErrorCode::AuthorizationPending,
                "Authorization is still pending",
            )),
            DeviceState::Approved => {
                device.state = DeviceState::Used;
                let client_id = device.client_id.clone();
                Ok(self.token(&client_id, now, None))
            }
        }
    }

    /// A token for `client_id`, continuing `sign_in` (a refresh) or starting a new one.
    fn token(&mut self, client_id: &str, now: Instant, sign_in: Option<u64>) -> Value {
        let sign_in = sign_in.unwrap_or_else(|| {
            self.sign_ins += 1;
            self.sign_ins
        });
        let refresh_token = self.config.refresh_tokens.then(|| {
            let token = self.random.token("aor", 60);
            self.refresh_tokens
                .insert(token.clone(), (client_id.to_owned(), sign_in));
            token
        });
        let access_token = self.random.token("aoa", 60);
        self.sessions.insert(
            access_token.clone(),
            Session {
                expires_at: later(now, self.config.access_token_lifetime, |time, lifetime| {
                    time.checked_add(lifetime)
                }),
                sign_in,
            },
        );
        json!({
            "accessToken": access_token,
            "expiresIn": self.config.access_token_lifetime.as_secs(),
            "idToken": null,
            "refreshToken": refresh_token,
            "tokenType": "Bearer",
        })
    }

    /// The client named by `clientId` and `clientSecret`, if they match and the secret lives.
    fn client(&self, input: &Map<String, Value>, wall: SystemTime) -> Result<String, Refusal> {
        let client_id = required(input, "clientId")?;
        let secret = required(input, "clientSecret")?;
        match self.clients.get(client_id) {
            Some(client) if client.secret == secret && wall < client.secret_expires_at => {
                Ok(client_id.to_owned())
            }
            Some(client) if client.secret == secret => Err(refuse(
                ErrorCode::InvalidClient,
                "Client secret has expired",
            )),
            _ => Err(refuse(ErrorCode::InvalidClient, "Invalid client provided")),
        }
    }
}

/// The request body as a JSON object; anything else is an invalid request.
fn parse_body(body: &[u8]) -> Result<Map<String, Value>, Refusal> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(refuse(
            ErrorCode::InvalidRequest,
            "Request body must be a JSON object",
        )),
        Err(_) => Err(refuse(
            ErrorCode::InvalidRequest,
            "Request body is not valid JSON",
        )),
    }
}

/// A required string member: present, not null, a string, not blank.
fn required<'a>(input: &'a Map<String, Value>, member: &str) -> Result<&'a str, Refusal> {
    match input.get(member) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s),
        Some(Value::String(_)) => Err(refuse(
            ErrorCode::InvalidRequest,
            format!("Invalid request: {member} must not be blank"),
        )),
        // The service's words for a member the grant needs (botocore sends the request, as
        // the model does not require it): "Missing required parameter: deviceCode".
        None | Some(Value::Null) => Err(refuse(
            ErrorCode::InvalidRequest,
            format!("Missing required parameter: {member}"),
        )),
        Some(_) => Err(refuse(
            ErrorCode::InvalidRequest,
            format!("Invalid request: {member} must be a string"),
        )),
    }
}

fn normalize_user_code(user_code: &str) -> String {
    user_code.trim().to_ascii_uppercase()
}

fn epoch_seconds(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

fn respond(
    status: StatusCode,
    error_type: Option<&str>,
    body: Value,
    request_id: &str,
) -> http::Response<Vec<u8>> {
    let mut response = http::Response::new(body.to_string().into_bytes());
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Ok(id) = HeaderValue::from_str(request_id) {
        headers.insert("x-amzn-requestid", id);
    }
    if let Some(error_type) = error_type.and_then(|t| HeaderValue::from_str(t).ok()) {
        headers.insert("x-amzn-errortype", error_type);
    }
    response
}

impl Decision {
    fn state(self) -> DeviceState {
        match self {
            Self::Approve => DeviceState::Approved,
            Self::Deny => DeviceState::Denied,
        }
    }
}

/// Whether a person may still decide on this device authorization; if not, the page's
/// status, title and message.
fn pending(device: &Device, now: Instant) -> Result<(), (StatusCode, &'static str, &'static str)> {
    match device.state {
        DeviceState::Approved | DeviceState::Used => Err((
            StatusCode::CONFLICT,
            "Request already approved",
            "This code was already approved. You can close this window.",
        )),
        DeviceState::Denied => Err((
            StatusCode::CONFLICT,
            "Request already denied",
            "This code was already denied. Start the sign-in again on your device.",
        )),
        DeviceState::Pending if now >= device.expires_at => Err((
            StatusCode::GONE,
            "Code expired",
            "This code has expired. Start the sign-in again on your device.",
        )),
        DeviceState::Pending => Ok(()),
    }
}

/// `time + lifetime`; a century when a configured lifetime is beyond what the clock holds.
fn later<T: Copy>(time: T, lifetime: Duration, add: fn(T, Duration) -> Option<T>) -> T {
    const CENTURY: Duration = Duration::from_secs(100 * 365 * 86_400);
    add(time, lifetime)
        .or_else(|| add(time, CENTURY))
        .unwrap_or(time)
}

/// `x-amzn-ErrorType` for a modelled error.
fn error_type(code: &ErrorCode) -> String {
    format!("{}:{ERROR_NAMESPACE}", code.shape_name())
}

/// The operation, of either service, a request's path names.
fn operation_of<B>(request: &http::Request<B>) -> Option<Operation> {
    Operation::from_path(request.uri().path())
}

/// The first value of `name` in a URL-encoded form or query.
fn form_value(form: &[u8], name: &str) -> Option<String> {
    form_urlencoded::parse(form)
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

fn send(response: http::Response<Vec<u8>>, after: Duration) -> Reply {
    let (parts, body) = response.into_parts();
    Reply::Send {
        response: http::Response::from_parts(parts, ReplyBody::Full(body)),
        after,
    }
}

fn html(status: StatusCode, page: String) -> http::Response<Vec<u8>> {
    let mut response = http::Response::new(page.into_bytes());
    *response.status_mut() = status;
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}
