//! The service itself, without a socket: requests in, responses out, told the time.

use std::collections::HashMap;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use http::{HeaderValue, Method, StatusCode};
use serde_json::{Map, Value, json};
use sso_oidc::{ErrorCode, GrantType, Operation};

use crate::log::{LoggedRequest, mask_body};
use crate::random::Random;

/// The namespace the real service appends to `x-amzn-ErrorType`.
const ERROR_NAMESPACE: &str = "http://internal.amazon.com/coral/com.amazonaws.sso.oidc/";

/// How the emulated service behaves. The defaults are the real service's.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Config {
    /// The poll interval StartDeviceAuthorization answers (`interval`, 1 s like the service).
    pub interval: Duration,
    /// How long a device code lives (`expiresIn`, 600 s like the service).
    pub expires_in: Duration,
    /// How long a client secret lives (90 days like the service).
    pub client_secret_lifetime: Duration,
    /// How long an access token lives (`expiresIn` of CreateToken, 8 hours like the service).
    pub access_token_lifetime: Duration,
    /// Whether CreateToken issues refresh tokens.
    pub refresh_tokens: bool,
    /// Seed for codes and tokens; the same seed gives the same codes.
    pub seed: u64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(1),
            expires_in: Duration::from_secs(600),
            client_secret_lifetime: Duration::from_secs(90 * 86_400),
            access_token_lifetime: Duration::from_secs(8 * 3600),
            refresh_tokens: true,
            seed: 0x5eed,
        }
    }
}

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

#[derive(Debug)]
struct Client {
    secret: String,
    secret_expires_at: SystemTime,
}

#[derive(Debug)]
struct Authorization {
    device: Device,
    last_poll: Option<Instant>,
}

/// The emulated SSO OIDC service: every client, device code and token it has issued, and a
/// log of every request. It reads no clock: each request comes with the time.
#[derive(Debug)]
pub struct Service {
    config: Config,
    base_url: String,
    random: Random,
    clients: HashMap<String, Client>,
    /// By device code.
    authorizations: HashMap<String, Authorization>,
    /// User code to device code.
    user_codes: HashMap<String, String>,
    /// Refresh token to client id.
    refresh_tokens: HashMap<String, String>,
    log: Vec<LoggedRequest>,
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
            log: Vec::new(),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Answers one request at monotonic time `now` and wall-clock time `wall`.
    pub fn handle<B: AsRef<[u8]>>(
        &mut self,
        request: &http::Request<B>,
        now: Instant,
        wall: SystemTime,
    ) -> http::Response<Vec<u8>> {
        let body = request.body().as_ref();
        let operation = Operation::ALL
            .into_iter()
            .find(|op| op.path() == request.uri().path());
        self.log.push(LoggedRequest {
            operation,
            at: now,
            method: request.method().clone(),
            uri: request.uri().to_string(),
            headers: request
                .headers()
                .iter()
                .map(|(k, v)| (k.to_string(), String::from_utf8_lossy(v.as_bytes()).into()))
                .collect(),
            body: mask_body(body),
        });
        let request_id = self.random.request_id();
        let answer = match (operation, request.method()) {
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
                Some(&format!("{}:{ERROR_NAMESPACE}", code.shape_name())),
                json!({"error": code.oauth_error(), "error_description": description}),
                &request_id,
            ),
        }
    }

    /// Approves the device authorization with this user code, as a person on the
    /// verification page would.
    ///
    /// # Errors
    /// [`UnknownUserCode`] when no device authorization has that code.
    pub fn approve(&mut self, user_code: &str) -> Result<(), UnknownUserCode> {
        self.decide(user_code, DeviceState::Approved)
    }

    /// Denies the device authorization with this user code.
    ///
    /// # Errors
    /// [`UnknownUserCode`] when no device authorization has that code.
    pub fn deny(&mut self, user_code: &str) -> Result<(), UnknownUserCode> {
        self.decide(user_code, DeviceState::Denied)
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

    fn decide(&mut self, user_code: &str, state: DeviceState) -> Result<(), UnknownUserCode> {
        let authorization = self.by_user_code(user_code)?;
        if authorization.device.state == DeviceState::Pending {
            authorization.device.state = state;
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
        required(input, "clientName")?;
        let client_type = required(input, "clientType")?;
        if client_type != "public" {
            return Err(refuse(
                ErrorCode::InvalidClientMetadata,
                format!("Invalid client type: {client_type}"),
            ));
        }
        let client_id = self.random.token("", 22);
        let secret = self.random.token("", 64);
        let issued = epoch_seconds(wall);
        let expires_at = wall + self.config.client_secret_lifetime;
        self.clients.insert(
            client_id.clone(),
            Client {
                secret: secret.clone(),
                secret_expires_at: expires_at,
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
                    expires_at: now + self.config.expires_in,
                },
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
        } else if grant_type == GrantType::RefreshToken.as_str() {
            let refresh_token = required(input, "refreshToken")?;
            match self.refresh_tokens.get(refresh_token) {
                Some(owner) if *owner == client_id => {
                    self.refresh_tokens.remove(refresh_token);
                    Ok(self.token(&client_id))
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
                device.interval = device.interval.saturating_add(Duration::from_secs(5));
                Err(refuse(ErrorCode::SlowDown, "Client is polling too fast"))
            }
            DeviceState::Pending => Err(refuse(
                ErrorCode::AuthorizationPending,
                "Authorization is still pending",
            )),
            DeviceState::Approved => {
                device.state = DeviceState::Used;
                let client_id = device.client_id.clone();
                Ok(self.token(&client_id))
            }
        }
    }

    fn token(&mut self, client_id: &str) -> Value {
        let refresh_token = self.config.refresh_tokens.then(|| {
            let token = self.random.token("aor", 60);
            self.refresh_tokens
                .insert(token.clone(), client_id.to_owned());
            token
        });
        json!({
            "accessToken": self.random.token("aoa", 60),
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
        None | Some(Value::Null) => Err(refuse(
            ErrorCode::InvalidRequest,
            format!("Invalid request: missing required member {member}"),
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
