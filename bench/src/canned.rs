//! The canned exchange: the request members and the response bytes, the same for every side.

use http::{HeaderName, HeaderValue, StatusCode};

use crate::Op;

pub const CLIENT_ID: &str = "cid-123";
pub const CLIENT_SECRET: &str = "eyJraWQiOiJrZXktMTU2NDAyODA5OSIsImFsZyI6IkhTMzg0In0.secret";
pub const START_URL: &str = "https://d-1234567890.awsapps.com/start";
pub const DEVICE_CODE: &str = "dc-AbCd0123456789";
pub const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// `StartDeviceAuthorization`'s 200 body, as the service shapes it.
pub const START_BODY: &str = r#"{"deviceCode":"dc-AbCd0123456789","expiresIn":600,"interval":1,"userCode":"GPNW-SHFH","verificationUri":"https://device.sso.us-east-1.amazonaws.com/","verificationUriComplete":"https://device.sso.us-east-1.amazonaws.com/?user_code=GPNW-SHFH"}"#;

/// `CreateToken`'s 400 body while the person has not approved yet.
pub const PENDING_BODY: &str =
    r#"{"error":"authorization_pending","error_description":"Authorization is still pending"}"#;

pub const PENDING_TYPE: &str =
    "AuthorizationPendingException:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/";

pub const REQUEST_ID: &str = "0d6b7e7a-1111-4222-8333-944445555666";

/// Status, headers and body of the canned answer to `op`.
pub fn answer(op: Op) -> (u16, &'static [(&'static str, &'static str)], &'static str) {
    match op {
        Op::Start => (
            200,
            &[
                ("content-type", "application/json"),
                ("x-amzn-requestid", REQUEST_ID),
            ],
            START_BODY,
        ),
        Op::Pending => (
            400,
            &[
                ("content-type", "application/json"),
                ("x-amzn-requestid", REQUEST_ID),
                ("x-amzn-errortype", PENDING_TYPE),
            ],
            PENDING_BODY,
        ),
    }
}

/// The operation a request path names, if any.
pub fn op_of_path(path: &str) -> Option<Op> {
    match path {
        "/device_authorization" => Some(Op::Start),
        "/token" => Some(Op::Pending),
        _ => None,
    }
}

const CONTENT_TYPE: HeaderName = HeaderName::from_static("content-type");
const REQUEST_ID_NAME: HeaderName = HeaderName::from_static("x-amzn-requestid");
const ERROR_TYPE_NAME: HeaderName = HeaderName::from_static("x-amzn-errortype");
const JSON: HeaderValue = HeaderValue::from_static("application/json");
const REQUEST_ID_VALUE: HeaderValue = HeaderValue::from_static(REQUEST_ID);
const PENDING_TYPE_VALUE: HeaderValue = HeaderValue::from_static(PENDING_TYPE);

/// The canned answer as an `http::Response`, built as an HTTP client hands one over: status,
/// a header map (names and values checked at compile time, so neither side pays for it), and
/// the body as `body` wraps the static bytes (no copy). Both sides start from this: the core
/// parses it, the SDK's HTTP client converts it as its own hyper client does.
pub fn response<B>(op: Op, body: impl FnOnce(&'static [u8]) -> B) -> http::Response<B> {
    let (status, _, text) = answer(op);
    let mut response = http::Response::new(body(text.as_bytes()));
    *response.status_mut() = StatusCode::from_u16(status).expect("a valid status");
    let map = response.headers_mut();
    map.insert(CONTENT_TYPE, JSON);
    map.insert(REQUEST_ID_NAME, REQUEST_ID_VALUE);
    if op == Op::Pending {
        map.insert(ERROR_TYPE_NAME, PENDING_TYPE_VALUE);
    }
    response
}

/// The canned answer on the wire, HTTP/1.1 with `content-length` (so the connection stays open).
pub fn wire(op: Op) -> Vec<u8> {
    let (status, headers, body) = answer(op);
    let reason = if status == 200 { "OK" } else { "Bad Request" };
    let mut head = format!("HTTP/1.1 {status} {reason}\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
    let mut wire = head.into_bytes();
    wire.extend_from_slice(body.as_bytes());
    wire
}
