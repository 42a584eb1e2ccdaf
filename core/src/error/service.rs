//! The service said no: a non-2xx response that names an error code.

use std::fmt;

use http::{HeaderMap, StatusCode};
use serde_json::{Map, Value};

use crate::error::ErrorCode;
use crate::operation::Operation;
use crate::text;

/// Longest error text kept from a response (description, reason, OAuth code), in bytes.
const MAX_TEXT: usize = 1024;

/// Longest error code name kept from a response, in bytes: the model's longest is 30.
const MAX_CODE: usize = 128;

/// The service refused a request and said why: an error code from the model (or outside it),
/// the OAuth `error` and `error_description`, and where to look it up (status, request id).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceError(Box<Details>);

#[derive(Clone, Debug, PartialEq, Eq)]
struct Details {
    operation: Operation,
    code: ErrorCode,
    status: StatusCode,
    error: Option<String>,
    error_description: Option<String>,
    reason: Option<String>,
    request_id: Option<String>,
}

impl ServiceError {
    /// The operation that was refused.
    pub fn operation(&self) -> Operation {
        self.0.operation
    }

    /// What went wrong, e.g. [`ErrorCode::AuthorizationPending`].
    pub fn code(&self) -> &ErrorCode {
        &self.0.code
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> StatusCode {
        self.0.status
    }

    /// The OAuth `error` member, e.g. `authorization_pending`.
    pub fn error(&self) -> Option<&str> {
        self.0.error.as_deref()
    }

    /// The service's explanation (`error_description`), e.g. `Authorization is still pending`.
    pub fn error_description(&self) -> Option<&str> {
        self.0.error_description.as_deref()
    }

    /// The `reason` member some exceptions carry, e.g. `KMS_AccessDeniedException`.
    pub fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }

    /// The `x-amzn-RequestId` header, for AWS support.
    pub fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.0;
        write!(f, "service error in {}: {}", d.operation, d.code)?;
        if let Some(description) = &d.error_description {
            write!(f, ": {description}")?;
        }
        write!(f, " (HTTP {}", d.status.as_u16())?;
        if let Some(id) = &d.request_id {
            write!(f, ", request id {id}")?;
        }
        f.write_str(")")
    }
}

impl std::error::Error for ServiceError {}

/// The `x-amzn-RequestId` header (or the S3-style `x-amz-request-id`), shortened and printable.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<String> {
    ["x-amzn-requestid", "x-amz-request-id"]
        .into_iter()
        .find_map(|name| text::header(headers, name))
}

/// Reads an error code the way the AWS SDKs do: the `x-amzn-ErrorType` header, else `__type` or
/// `code` in the body, each as a shape name (text before the first `:`, after the last `#`);
/// else the OAuth `error` member. `None` when the response names no code at all.
pub(crate) fn classify(
    operation: Operation,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
) -> Option<ServiceError> {
    let object = json_object(body);
    let member = |name: &str| object.as_ref().and_then(|o| o.get(name)?.as_str());

    let header = headers
        .get("x-amzn-errortype")
        .and_then(|v| v.to_str().ok());
    let shape = header
        .into_iter()
        .chain(["__type", "code", "Code"].into_iter().filter_map(member))
        .find_map(shape_name);
    let error = member("error");
    let oauth = error
        .map(|e| text::clip(e, MAX_CODE))
        .filter(|e| !e.is_empty());
    let code = match (shape, oauth) {
        (Some(shape), _) => ErrorCode::from_shape_name(&shape),
        // Some front ends put the exception's name in `error`: read it as one when it is not
        // an OAuth value, so that a modelled code is never `Other`.
        (None, Some(oauth)) => match ErrorCode::from_oauth_error(&oauth) {
            ErrorCode::Other(_) => ErrorCode::from_shape_name(&oauth),
            code => code,
        },
        (None, None) => return None,
    };
    let keep = |value: Option<&str>| {
        value
            .map(|v| text::clip(v, MAX_TEXT))
            .filter(|v| !v.is_empty())
    };
    // AWS front ends (throttling, gateways) say `message` where the OAuth service says
    // `error_description`.
    let description = ["error_description", "message", "Message"]
        .into_iter()
        .find_map(member);
    Some(ServiceError(Box::new(Details {
        operation,
        code,
        status,
        error: keep(error),
        error_description: keep(description),
        reason: keep(member("reason")),
        request_id: request_id(headers),
    })))
}

/// `text before the first ':'`, after the last `'#'`, trimmed: the form botocore reads; kept
/// short and printable, as it ends up in error messages.
fn shape_name(raw: &str) -> Option<String> {
    let before_colon = raw.split(':').next().unwrap_or_default();
    let name = text::clip(
        before_colon.rsplit('#').next().unwrap_or_default(),
        MAX_CODE,
    );
    (!name.is_empty()).then_some(name)
}

/// The body as a JSON object, or `None` when it is anything else (HTML, empty, truncated).
fn json_object(body: &[u8]) -> Option<Map<String, Value>> {
    match serde_json::from_slice(body).ok()? {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    fn classify_400(pairs: &[(&'static str, &'static str)], body: &str) -> Option<ServiceError> {
        classify(
            Operation::CreateToken,
            StatusCode::BAD_REQUEST,
            &headers(pairs),
            body.as_bytes(),
        )
    }

    #[test]
    fn shape_names_are_normalized_like_botocore() {
        assert_eq!(
            shape_name(
                "AuthorizationPendingException:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/"
            )
            .as_deref(),
            Some("AuthorizationPendingException")
        );
        assert_eq!(
            shape_name("com.amazonaws.sso.oidc#SlowDownException").as_deref(),
            Some("SlowDownException")
        );
        assert_eq!(
            shape_name("aws.protocoltests#Foo#SlowDownException:extra:more").as_deref(),
            Some("SlowDownException")
        );
        assert_eq!(shape_name(" "), None);
        assert_eq!(shape_name(":x"), None);
        assert_eq!(shape_name("ns#"), None);
        assert_eq!(shape_name("\u{7}\t"), None);
    }

    #[test]
    fn header_wins_over_body() {
        let error = classify_400(
            &[("x-amzn-errortype", "SlowDownException:http://x/")],
            r#"{"__type":"InvalidGrantException","error":"access_denied"}"#,
        )
        .unwrap();
        assert_eq!(error.code(), &ErrorCode::SlowDown);
        assert_eq!(error.error(), Some("access_denied"));
    }

    #[test]
    fn type_then_code_then_oauth_error() {
        let by_type = classify_400(&[], r#"{"__type":"ns#ExpiredTokenException","code":"X"}"#);
        assert_eq!(by_type.unwrap().code(), &ErrorCode::ExpiredToken);
        let by_code = classify_400(
            &[],
            r#"{"code":"InvalidScopeException","error":"slow_down"}"#,
        );
        assert_eq!(by_code.unwrap().code(), &ErrorCode::InvalidScope);
        let by_oauth = classify_400(&[], r#"{"error":"slow_down"}"#);
        assert_eq!(by_oauth.unwrap().code(), &ErrorCode::SlowDown);
        let shape_as_oauth = classify_400(&[], r#"{"error":"InvalidScopeException"}"#);
        assert_eq!(shape_as_oauth.unwrap().code(), &ErrorCode::InvalidScope);
    }

    #[test]
    fn a_blank_header_falls_through_to_the_body() {
        let error = classify_400(&[("x-amzn-errortype", ":")], r#"{"error":"invalid_grant"}"#);
        assert_eq!(error.unwrap().code(), &ErrorCode::InvalidGrant);
    }

    #[test]
    fn no_code_anywhere_is_none() {
        assert!(classify_400(&[], "").is_none());
        assert!(classify_400(&[], "<html>502</html>").is_none());
        assert!(classify_400(&[], r#"{"error":"  "}"#).is_none());
        assert!(classify_400(&[], r#"{"error":5,"__type":null}"#).is_none());
        assert!(classify_400(&[], r#"["error"]"#).is_none());
    }

    #[test]
    fn codes_outside_the_model_are_short_and_printable() {
        let odd = classify_400(
            &[],
            &format!(
                r#"{{"__type":"Slow\u007fDown\u001b[2J{}"}}"#,
                "x".repeat(5000)
            ),
        )
        .unwrap();
        let ErrorCode::Other(name) = odd.code() else {
            panic!("{odd:?}")
        };
        assert!(
            name.starts_with("Slow Down [2Jx") && name.len() == MAX_CODE,
            "{name}"
        );
        let oauth = classify_400(&[], r#"{"error":"invalid\tgrant\n"}"#).unwrap();
        assert_eq!(oauth.code(), &ErrorCode::Other("invalid grant".into()));
        assert!(classify_400(&[], r#"{"error":"\u0007"}"#).is_none());
    }

    #[test]
    fn gateway_messages_are_descriptions() {
        let error = classify_400(
            &[("x-amzn-errortype", "ThrottlingException")],
            r#"{"message":"Rate exceeded"}"#,
        )
        .unwrap();
        assert_eq!(
            error.code(),
            &ErrorCode::Other("ThrottlingException".into())
        );
        assert_eq!(error.error_description(), Some("Rate exceeded"));
    }

    #[test]
    fn long_and_hostile_text_is_clipped() {
        let long = format!(
            r#"{{"error":"invalid_grant","error_description":"{}"}}"#,
            "é".repeat(2000)
        );
        let error = classify_400(&[], &long).unwrap();
        assert!(error.error_description().unwrap().len() <= MAX_TEXT);
        let hostile = classify_400(
            &[],
            r#"{"error":"invalid_grant","error_description":"a\u001b[2Jb\nc"}"#,
        )
        .unwrap();
        assert_eq!(hostile.error_description(), Some("a [2Jb c"));
    }

    #[test]
    fn display_names_operation_code_description_status_and_request_id() {
        let error = classify_400(
            &[
                ("x-amzn-errortype", "AuthorizationPendingException:http://x/"),
                ("x-amzn-requestid", "6c3a7b1e-0000-4000-8000-000000000000"),
            ],
            r#"{"error":"authorization_pending","error_description":"Authorization is still pending"}"#,
        )
        .unwrap();
        assert_eq!(
            error.to_string(),
            "service error in CreateToken: AuthorizationPendingException: Authorization is still \
             pending (HTTP 400, request id 6c3a7b1e-0000-4000-8000-000000000000)"
        );
    }
}
