//! The response parsers and the error classifier.
//!
//! Input: a status selector, a flags byte, the headers and body changes the flags ask for, then
//! the body (see [`Case::read`]).

use std::fmt::Debug;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::{HeaderValue, StatusCode};
use serde_json::{Map, Value, json};
use sso_oidc::{
    Attempts, ClientRegistration, CreateToken, DeviceAuthorization, Error, ErrorCode, FlowError,
    MAX_RESPONSE_BODY, Operation, ParseErrorKind, RegisterClient, RetryPolicy,
    StartDeviceAuthorization, Token,
};

use crate::fuzz::check;
use crate::fuzz::input::{Encoder, Input, MARKER, holds_marker};

/// Statuses picked by the first byte; any byte past the table reads a status in 100..=999.
pub const STATUSES: [u16; 11] = [200, 400, 401, 403, 500, 503, 429, 502, 504, 204, 302];

/// Content types picked by a selector byte; any byte past the table reads a raw value.
pub const CONTENT_TYPES: [&str; 4] = [
    "application/json",
    "application/x-amz-json-1.1",
    "text/html",
    "text/plain; charset=utf-8",
];

/// The secret members a marker can be placed in: SSO OIDC's, and the portal's role credentials.
pub const SECRET_MEMBERS: [&str; 7] = [
    "clientSecret",
    "accessToken",
    "refreshToken",
    "idToken",
    "deviceCode",
    "secretAccessKey",
    "sessionToken",
];

/// What the real service appends to a shape name in `x-amzn-ErrorType`.
pub const ERROR_TYPE_SUFFIX: &str = ":http://internal.amazon.com/coral/com.amazonaws.sso.oidc/";

/// Flag bits of the second byte.
pub mod flags {
    /// An `x-amzn-ErrorType` header follows.
    pub const ERROR_TYPE: u8 = 1;
    /// A `content-type` header follows.
    pub const CONTENT_TYPE: u8 = 1 << 1;
    /// An `x-amzn-RequestId` header follows.
    pub const REQUEST_ID: u8 = 1 << 2;
    /// An `x-amz-request-id` header follows.
    pub const AMZ_REQUEST_ID: u8 = 1 << 3;
    /// A selector byte follows: put the marker in that secret member of the body.
    pub const MARKER: u8 = 1 << 4;
    /// Two bytes follow: cut the body there (modulo its length + 1).
    pub const CUT: u8 = 1 << 5;
    /// With [`OVERSIZE_TOO`], pad the body past the size cap.
    pub const OVERSIZE: u8 = 1 << 6;
    /// See [`OVERSIZE`].
    pub const OVERSIZE_TOO: u8 = 1 << 7;
}

/// One response built from fuzz input.
#[derive(Debug)]
pub struct Case {
    /// The response.
    pub response: http::Response<Vec<u8>>,
    /// The `x-amzn-ErrorType` header as sent, when it is text.
    pub error_type: Option<String>,
    /// Whether a leak of the marker proves a leak of a secret (the input did not hold it).
    pub check_secrets: bool,
}

impl Case {
    /// Reads a response:
    ///
    /// - byte: the status, [`STATUSES`]`[b]`, else `100 + u16 % 900` from the next two bytes;
    /// - byte: [`flags`];
    /// - with `ERROR_TYPE`, a byte `e`: below `3 * MODELED.len()` the modelled shape
    ///   `e % len`, plain, with the service's suffix, or with a `namespace#` prefix (`e / len`);
    ///   else a raw value (a byte string); SSO OIDC's shapes (`Case::read_for` takes another
    ///   service's);
    /// - with `CONTENT_TYPE`, a byte: [`CONTENT_TYPES`] or a raw value;
    /// - with `REQUEST_ID`, `AMZ_REQUEST_ID`: a raw value each;
    /// - with `MARKER`, a byte choosing one of [`SECRET_MEMBERS`]: a body that is a JSON object
    ///   gets that member set to the marker, any other is prefixed with `{"member":"marker",`;
    /// - with `CUT`, two bytes: where the body is cut;
    /// - the rest: the body.
    pub fn read(data: &[u8]) -> Self {
        let shapes: Vec<&str> = ErrorCode::MODELED
            .iter()
            .map(ErrorCode::shape_name)
            .collect();
        Self::read_for(data, &Service::OIDC.with_shapes(&shapes))
    }

    /// Reads a response as [`Case::read`] does, with `service`'s error shapes, suffix and
    /// namespace in `x-amzn-ErrorType`.
    pub fn read_for(data: &[u8], service: &Service<'_>) -> Self {
        let mut input = Input::new(data);
        let selector = usize::from(input.byte());
        let status = match STATUSES.get(selector) {
            Some(status) => *status,
            None => 100 + input.u16() % 900,
        };
        let mut response = http::Response::new(Vec::new());
        *response.status_mut() = StatusCode::from_u16(status).expect("100..=999 is a status");
        let flags = input.byte();
        let mut header = |name: &'static str, value: Vec<u8>| {
            if let Ok(value) = HeaderValue::from_bytes(&value) {
                response.headers_mut().append(name, value);
            }
        };
        if flags & flags::ERROR_TYPE != 0 {
            let e = usize::from(input.byte());
            let modeled = service.shapes;
            let value = if e < 3 * modeled.len() {
                let shape = modeled[e % modeled.len()];
                match e / modeled.len() {
                    0 => shape.to_owned(),
                    1 => format!("{shape}{}", service.suffix),
                    _ => format!("{}#{shape}", service.namespace),
                }
                .into_bytes()
            } else {
                input.bytes().to_vec()
            };
            header("x-amzn-ErrorType", value);
        }
        if flags & flags::CONTENT_TYPE != 0 {
            let c = usize::from(input.byte());
            let value = match CONTENT_TYPES.get(c) {
                Some(value) => value.as_bytes().to_vec(),
                None => input.bytes().to_vec(),
            };
            header("content-type", value);
        }
        if flags & flags::REQUEST_ID != 0 {
            header("x-amzn-RequestId", input.bytes().to_vec());
        }
        if flags & flags::AMZ_REQUEST_ID != 0 {
            header("x-amz-request-id", input.bytes().to_vec());
        }
        let member = (flags & flags::MARKER != 0)
            .then(|| SECRET_MEMBERS[usize::from(input.byte()) % SECRET_MEMBERS.len()]);
        let cut = (flags & flags::CUT != 0).then(|| usize::from(input.u16()));
        let body = input.rest();
        let mut body = match member {
            Some(member) => with_marker(body, member),
            None => body.to_vec(),
        };
        if let Some(cut) = cut {
            body.truncate(cut % (body.len() + 1));
        }
        if flags & (flags::OVERSIZE | flags::OVERSIZE_TOO) == flags::OVERSIZE | flags::OVERSIZE_TOO
        {
            body.resize(MAX_RESPONSE_BODY + 1, b' ');
        }
        *response.body_mut() = body;
        let error_type = response
            .headers()
            .get("x-amzn-ErrorType")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Self {
            response,
            error_type,
            check_secrets: !holds_marker(data),
        }
    }

    /// The response with its body borrowed, as parsers accept: no copy of a 1 MiB body.
    pub fn borrowed(&self) -> http::Response<&[u8]> {
        let mut response = http::Response::new(self.response.body().as_slice());
        *response.status_mut() = self.response.status();
        *response.headers_mut() = self.response.headers().clone();
        response
    }

    /// The status.
    pub fn status(&self) -> StatusCode {
        self.response.status()
    }
}

/// What [`Case::read_for`] needs of a service: the shapes its errors name, and how the real
/// service decorates them in `x-amzn-ErrorType`.
#[derive(Clone, Copy, Debug)]
pub struct Service<'a> {
    /// The model's error shape names.
    pub shapes: &'a [&'a str],
    /// What the service appends to a shape name.
    pub suffix: &'static str,
    /// The namespace before `#` in a qualified shape name.
    pub namespace: &'static str,
}

impl Service<'static> {
    /// SSO OIDC, without its shapes (see [`Service::with_shapes`]).
    pub const OIDC: Self = Self {
        shapes: &[],
        suffix: ERROR_TYPE_SUFFIX,
        namespace: "com.amazonaws.sso.oidc",
    };
}

impl<'a> Service<'a> {
    /// The same service with these shapes.
    pub fn with_shapes<'b>(self, shapes: &'b [&'b str]) -> Service<'b> {
        Service {
            shapes,
            suffix: self.suffix,
            namespace: self.namespace,
        }
    }
}

/// `body` with `member` set to the marker: in place when it is a JSON object (and wherever
/// an object inside it has that member, or is the portal's `roleCredentials`), else as a first
/// member in front of whatever it is.
pub fn with_marker(body: &[u8], member: &str) -> Vec<u8> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(mut object)) => {
            for value in object.values_mut() {
                mark_nested(value, member);
            }
            if let Some(Value::Object(credentials)) = object.get_mut("roleCredentials") {
                credentials.insert(member.to_owned(), Value::from(MARKER));
            }
            object.insert(member.to_owned(), Value::from(MARKER));
            Value::Object(object).to_string().into_bytes()
        }
        _ => {
            let mut out = format!(r#"{{"{member}":"{MARKER}","#).into_bytes();
            out.extend_from_slice(body);
            out
        }
    }
}

/// Sets `member` to the marker in every object within `value` that has it.
fn mark_nested(value: &mut Value, member: &str) {
    match value {
        Value::Object(object) => {
            if let Some(found) = object.get_mut(member) {
                *found = Value::from(MARKER);
            }
            for value in object.values_mut() {
                mark_nested(value, member);
            }
        }
        Value::Array(items) => {
            for item in items {
                mark_nested(item, member);
            }
        }
        _ => {}
    }
}

/// Writes the input [`Case::read`] reads back as this response (statuses in the table or in
/// 100..=999, headers as raw values, no marker, no cut).
pub fn encode(status: u16, headers: &[(&str, &[u8])], body: &[u8]) -> Vec<u8> {
    let mut out = Encoder::new();
    out = match STATUSES.iter().position(|s| *s == status) {
        Some(index) => out.byte(index as u8),
        None => out.byte(0xff).u16(status - 100),
    };
    let find = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    };
    let (error_type, content_type) = (find("x-amzn-ErrorType"), find("content-type"));
    let (request_id, amz_request_id) = (find("x-amzn-RequestId"), find("x-amz-request-id"));
    let mut bits = 0;
    for (present, bit) in [
        (error_type.is_some(), flags::ERROR_TYPE),
        (content_type.is_some(), flags::CONTENT_TYPE),
        (request_id.is_some(), flags::REQUEST_ID),
        (amz_request_id.is_some(), flags::AMZ_REQUEST_ID),
    ] {
        if present {
            bits |= bit;
        }
    }
    out = out.byte(bits);
    if let Some(value) = error_type {
        out = out.byte(0xff).bytes(value);
    }
    if let Some(value) = content_type {
        out = match CONTENT_TYPES.iter().position(|c| c.as_bytes() == value) {
            Some(index) => out.byte(index as u8),
            None => out.byte(0xff).bytes(value),
        };
    }
    for value in [request_id, amz_request_id].into_iter().flatten() {
        out = out.bytes(value);
    }
    out.rest(body)
}

/// Parses the response twice (the result must not change), checks the result, and returns it.
pub(crate) fn parse<'c, T: Debug + PartialEq>(
    case: &'c Case,
    operation: Operation,
    parse: fn(http::Response<&'c [u8]>) -> Result<T, Error>,
) -> Result<T, Error> {
    let result = parse(case.borrowed());
    assert_eq!(result, parse(case.borrowed()), "parsing is not repeatable");
    match &result {
        Ok(output) => {
            assert!(
                case.status().is_success(),
                "a {} response parsed",
                case.status()
            );
            check::no_marker("output Debug", &format!("{output:?}"), case.check_secrets);
        }
        Err(error) => {
            check::error(error, case.check_secrets);
            assert_eq!(error.status(), Some(case.status()));
            let operation_of = match error {
                Error::Service(e) => e.operation(),
                Error::Parse(e) => e.operation(),
                _ => unreachable!("checked above"),
            };
            assert_eq!(operation_of, operation);
            if case.response.body().len() > MAX_RESPONSE_BODY {
                assert!(
                    matches!(error, Error::Parse(e) if matches!(e.kind(), ParseErrorKind::TooLarge { .. })),
                    "a body over the cap was parsed: {error:?}"
                );
            }
        }
    }
    result
}

pub(crate) fn ok(body: Value) -> http::Response<Vec<u8>> {
    http::Response::new(body.to_string().into_bytes())
}

fn epoch(time: Option<SystemTime>) -> Option<u64> {
    time.map(|t| {
        t.duration_since(UNIX_EPOCH)
            .expect("parsed times are after the epoch")
            .as_secs()
    })
}

/// A parsed registration, written back as the service would send it, parses the same.
fn register_client_round_trip(out: &ClientRegistration) {
    let mut body = Map::new();
    body.insert("clientId".into(), json!(out.client_id));
    body.insert("clientSecret".into(), json!(out.client_secret.expose()));
    if let Some(at) = epoch(out.client_id_issued_at) {
        body.insert("clientIdIssuedAt".into(), json!(at));
    }
    if let Some(at) = epoch(out.client_secret_expires_at) {
        body.insert("clientSecretExpiresAt".into(), json!(at));
    }
    body.insert(
        "authorizationEndpoint".into(),
        json!(out.authorization_endpoint),
    );
    body.insert("tokenEndpoint".into(), json!(out.token_endpoint));
    let again = RegisterClient::parse(ok(Value::Object(body))).expect("a written registration");
    assert_eq!(&again, out);
}

fn device_authorization_round_trip(out: &DeviceAuthorization) {
    let body = json!({
        "deviceCode": out.device_code.expose(),
        "userCode": out.user_code,
        "verificationUri": out.verification_uri,
        "verificationUriComplete": out.verification_uri_complete,
        "expiresIn": out.expires_in.as_secs(),
        "interval": out.interval.map(|i| i.as_secs()),
    });
    let again = StartDeviceAuthorization::parse(ok(body)).expect("a written authorization");
    assert_eq!(&again, out);
    assert_eq!(out.expires_in.subsec_nanos(), 0);
}

fn token_round_trip(out: &Token) {
    let body = json!({
        "accessToken": out.access_token.expose(),
        "tokenType": out.token_type,
        "expiresIn": out.expires_in.as_secs(),
        "refreshToken": out.refresh_token.as_ref().map(|s| s.expose()),
        "idToken": out.id_token.as_ref().map(|s| s.expose()),
    });
    let again = CreateToken::parse(ok(body)).expect("a written token");
    assert_eq!(&again, out);
}

/// `RegisterClient::parse` on any response: the same result twice; success only for a 2xx
/// status; errors that keep the status and operation, refuse a body over the cap unparsed,
/// quote a non-2xx body only in an excerpt of at most 256 printable bytes (a 2xx body never),
/// keep header values to 128 printable bytes and error text to 1 KiB, name a printable code,
/// and print (`Display`, `Debug`) no secret from the body and no control character; an output
/// whose `Debug` holds no secret and which, written back as the service would send it, parses
/// the same.
pub fn register_client(data: &[u8]) {
    let case = Case::read(data);
    if let Ok(out) = parse(&case, Operation::RegisterClient, |r| {
        RegisterClient::parse(r)
    }) {
        assert!(!out.client_id.is_empty() && !out.client_secret.expose().is_empty());
        register_client_round_trip(&out);
    }
}

/// `StartDeviceAuthorization::parse` on any response, as [`register_client`].
pub fn start_device_authorization(data: &[u8]) {
    let case = Case::read(data);
    let parsed = parse(&case, Operation::StartDeviceAuthorization, |r| {
        StartDeviceAuthorization::parse(r)
    });
    if let Ok(out) = parsed {
        assert!(!out.device_code.expose().is_empty() && !out.user_code.is_empty());
        assert!(!out.verification_uri.is_empty());
        device_authorization_round_trip(&out);
    }
}

/// `CreateToken::parse` on any response, as [`register_client`].
pub fn create_token(data: &[u8]) {
    let case = Case::read(data);
    if let Ok(out) = parse(&case, Operation::CreateToken, CreateToken::parse) {
        assert!(!out.access_token.expose().is_empty());
        token_round_trip(&out);
    }
}

/// The shape name botocore reads from an `x-amzn-ErrorType` value: the text before the first
/// `:`, after the last `#`, trimmed.
pub(crate) fn shape_of(error_type: &str) -> Option<&str> {
    let before = error_type.split(':').next()?;
    let name = before.rsplit('#').next()?.trim();
    (!name.is_empty()).then_some(name)
}

pub(crate) fn retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 500 | 502 | 503 | 504)
}

/// The error classifier, through every public way in: any error response (a 2xx status is
/// read as 400) through each operation's parser, which must agree with each other; the code
/// the `x-amzn-ErrorType` header names; `Error::code`, `status` and `request_id`;
/// `RetryPolicy::is_retryable`; and `Attempts::retry_after_error` under several policies.
pub fn error_classifier(data: &[u8]) {
    let mut case = Case::read(data);
    if case.status().is_success() {
        *case.response.status_mut() = StatusCode::BAD_REQUEST;
    }
    let errors = [
        parse(&case, Operation::RegisterClient, |r| {
            RegisterClient::parse(r)
        })
        .map(|_| ()),
        parse(&case, Operation::StartDeviceAuthorization, |r| {
            StartDeviceAuthorization::parse(r)
        })
        .map(|_| ()),
        parse(&case, Operation::CreateToken, CreateToken::parse).map(|_| ()),
    ]
    .map(|result| result.expect_err("an error status parsed"));

    // The operation aside, every parser classifies an error response the same way.
    let codes: Vec<_> = errors.iter().map(Error::code).collect();
    assert!(codes.iter().all(|c| *c == codes[0]), "{codes:?}");
    let kinds: Vec<_> = errors
        .iter()
        .map(|e| match e {
            Error::Parse(p) => Some(p.kind().clone()),
            _ => None,
        })
        .collect();
    assert!(kinds.iter().all(|k| *k == kinds[0]), "{kinds:?}");

    let error = &errors[0];
    let too_large = case.response.body().len() > MAX_RESPONSE_BODY;
    // A modelled shape in the header names the code, whatever the body says.
    if let Some(shape) = case.error_type.as_deref().and_then(shape_of)
        && !too_large
    {
        let named = ErrorCode::from_shape_name(shape);
        if ErrorCode::MODELED.contains(&named) {
            assert_eq!(error.code(), Some(&named), "x-amzn-ErrorType {shape}");
        } else {
            assert!(
                error.code().is_some(),
                "x-amzn-ErrorType {shape} named no code"
            );
        }
    }

    // Retrying: transient statuses and InternalServer always, a refusal of the request never.
    let retryable = RetryPolicy::is_retryable(error);
    match error {
        Error::Parse(_) => assert_eq!(retryable, retryable_status(case.status())),
        Error::Service(e) => {
            if retryable_status(e.status()) || e.code() == &ErrorCode::InternalServer {
                assert!(retryable, "{e:?} is not retried");
            } else if ErrorCode::MODELED.contains(e.code()) {
                assert!(!retryable, "{e:?} is retried");
            }
            let flow = FlowError::Service {
                error: e.clone(),
                attempts: 3,
            };
            check::printed("FlowError", &flow, case.check_secrets);
        }
        _ => unreachable!("checked by parse"),
    }
    for (policy, seed) in [
        (RetryPolicy::none(), 0),
        (RetryPolicy::standard(), data.len() as u64),
        (RetryPolicy::legacy(), u64::MAX),
        (
            RetryPolicy::standard()
                .with_max_attempts(7)
                .with_backoff(Duration::MAX, Duration::MAX),
            1,
        ),
    ] {
        let mut attempts = Attempts::new(policy, seed);
        let mut retries = 0;
        while let Some(wait) = attempts.retry_after_error(error) {
            retries += 1;
            assert!(wait <= policy.backoff_ceiling(retries + 1), "{wait:?}");
            assert!(
                retries < policy.max_attempts(),
                "more retries than the policy allows"
            );
        }
        let expected = if retryable {
            policy.max_attempts() - 1
        } else {
            0
        };
        assert_eq!(retries, expected, "{policy:?}");
        assert_eq!(attempts.failed(), retries + 1);
        attempts.reset();
        assert_eq!(attempts.failed(), 0);
    }
}
