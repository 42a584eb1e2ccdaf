//! The service said no: a non-2xx response that names an error code.

use std::borrow::Cow;
use std::fmt;

use http::{HeaderMap, HeaderName, StatusCode};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::error::ErrorCode;
use crate::operation::Operation;
use crate::portal::ErrorCode as PortalCode;
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

    /// The portal's error code, e.g. [`portal::ErrorCode::Unauthorized`], when the refused
    /// operation is one of the SSO portal's; `None` for SSO OIDC's. [`ServiceError::code`]
    /// stays the SSO OIDC code, which names every portal exception but `InvalidRequestException`
    /// as [`ErrorCode::Other`].
    ///
    /// [`portal::ErrorCode::Unauthorized`]: crate::portal::ErrorCode::Unauthorized
    pub fn portal_code(&self) -> Option<PortalCode> {
        self.0
            .operation
            .is_portal()
            .then(|| PortalCode::from_shape_name(self.0.code.shape_name()))
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> StatusCode {
        self.0.status
    }

    /// The OAuth `error` member, e.g. `authorization_pending`.
    pub fn error(&self) -> Option<&str> {
        self.0.error.as_deref()
    }

    /// The service's explanation (`error_description`, or the `message` of AWS front ends and
    /// of the portal's exceptions), e.g. `Authorization is still pending`.
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

const REQUEST_ID: HeaderName = HeaderName::from_static("x-amzn-requestid");
const S3_REQUEST_ID: HeaderName = HeaderName::from_static("x-amz-request-id");
const ERROR_TYPE: HeaderName = HeaderName::from_static("x-amzn-errortype");

/// The `x-amzn-RequestId` header (or the S3-style `x-amz-request-id`), shortened and printable.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<String> {
    [REQUEST_ID, S3_REQUEST_ID]
        .iter()
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
    let body = ErrorBody::read(body);
    let member = |name: Member| body.get(name);

    let header = headers.get(ERROR_TYPE).and_then(|v| v.to_str().ok());
    let shape = header
        .into_iter()
        .chain(
            [Member::Type, Member::Code, Member::CodeUpper]
                .into_iter()
                .filter_map(member),
        )
        .find_map(shape_name);
    let error = member(Member::Error);
    let code = match shape {
        Some(shape) => ErrorCode::from_shape_name(&shape),
        None => {
            let oauth = printable(error?, MAX_CODE)?;
            // Some front ends put the exception's name in `error`: read it as one when it is
            // not an OAuth value, so that a modelled code is never `Other`.
            match ErrorCode::from_oauth_error(&oauth) {
                ErrorCode::Other(_) => ErrorCode::from_shape_name(&oauth),
                code => code,
            }
        }
    };
    let keep = |value: Option<&str>| {
        value
            .map(|v| text::clip(v, MAX_TEXT))
            .filter(|v| !v.is_empty())
    };
    // AWS front ends (throttling, gateways) say `message` where the OAuth service says
    // `error_description`.
    let description = [
        Member::ErrorDescription,
        Member::Message,
        Member::MessageUpper,
    ]
    .into_iter()
    .find_map(member);
    Some(ServiceError(Box::new(Details {
        operation,
        code,
        status,
        error: keep(error),
        error_description: keep(description),
        reason: keep(member(Member::Reason)),
        request_id: request_id(headers),
    })))
}

/// `text before the first ':'`, after the last `'#'`, trimmed: the form botocore reads; kept
/// short and printable, as it ends up in error messages.
fn shape_name(raw: &str) -> Option<Cow<'_, str>> {
    let before_colon = raw.split_once(':').map_or(raw, |(head, _)| head);
    let after_hash = before_colon
        .rsplit_once('#')
        .map_or(before_colon, |(_, tail)| tail);
    printable(after_hash, MAX_CODE)
}

/// `text` trimmed, at most `max` bytes, control characters made spaces ([`text::clip`]); not
/// copied when it already is all that; `None` when nothing is left.
fn printable(text: &str, max: usize) -> Option<Cow<'_, str>> {
    let trimmed = text.trim();
    let name = if trimmed.len() <= max && trimmed.bytes().all(|b| (b' '..0x7f).contains(&b)) {
        Cow::Borrowed(trimmed)
    } else {
        Cow::Owned(text::clip(text, max))
    };
    (!name.is_empty()).then_some(name)
}

/// The members of an error body that name or explain the error.
#[derive(Clone, Copy)]
enum Member {
    Type,
    Code,
    CodeUpper,
    Error,
    ErrorDescription,
    Message,
    MessageUpper,
    Reason,
}

impl Member {
    #[cfg(test)]
    const ALL: [Self; 8] = [
        Self::Type,
        Self::Code,
        Self::CodeUpper,
        Self::Error,
        Self::ErrorDescription,
        Self::Message,
        Self::MessageUpper,
        Self::Reason,
    ];

    fn named(name: &str) -> Option<Self> {
        Some(match name {
            "__type" => Self::Type,
            "code" => Self::Code,
            "Code" => Self::CodeUpper,
            "error" => Self::Error,
            "error_description" => Self::ErrorDescription,
            "message" => Self::Message,
            "Message" => Self::MessageUpper,
            "reason" => Self::Reason,
            _ => return None,
        })
    }

    #[cfg(test)]
    fn name(self) -> &'static str {
        match self {
            Self::Type => "__type",
            Self::Code => "code",
            Self::CodeUpper => "Code",
            Self::Error => "error",
            Self::ErrorDescription => "error_description",
            Self::Message => "message",
            Self::MessageUpper => "Message",
            Self::Reason => "reason",
        }
    }
}

/// The string members of an error body that [`classify`] reads, borrowed from the body where
/// they hold no escapes. It reads the body as `serde_json::Value` would and keeps what
/// `Value::as_str` would give: a body that is not one JSON object gives nothing, a member that
/// is not a string is `None`, and of a repeated member the last one counts.
#[derive(Default)]
struct ErrorBody<'a>([Option<Cow<'a, str>>; 8]);

impl<'a> ErrorBody<'a> {
    fn read(body: &'a [u8]) -> Self {
        // A body that is not UTF-8 is not JSON: one check spares serde_json one per string.
        std::str::from_utf8(body)
            .ok()
            .and_then(|text| serde_json::from_str(text).ok())
            .unwrap_or_default()
    }

    fn get(&self, member: Member) -> Option<&str> {
        self.0[member as usize].as_deref()
    }
}

impl<'de> Deserialize<'de> for ErrorBody<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(BodyVisitor)
    }
}

struct BodyVisitor;

impl<'de> Visitor<'de> for BodyVisitor {
    type Value = ErrorBody<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut body = ErrorBody::default();
        while let Some(Lenient(key)) = map.next_key()? {
            let Lenient(value) = map.next_value()?;
            let wanted = key.as_deref().and_then(Member::named);
            if let Some(member) = wanted {
                body.0[member as usize] = value;
            }
        }
        Ok(body)
    }
}

/// Any JSON value, kept only when it is a string. Everything else is still read in full (as
/// `Value` reads it, numbers range-checked), so that a body `Value` refuses is refused here too.
struct Lenient<'a>(Option<Cow<'a, str>>);

impl<'de> Deserialize<'de> for Lenient<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LenientVisitor)
    }
}

struct LenientVisitor;

impl<'de> Visitor<'de> for LenientVisitor {
    type Value = Lenient<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Lenient(Some(Cow::Borrowed(v))))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Lenient(Some(Cow::Owned(v.to_owned()))))
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Lenient(Some(Cow::Owned(v))))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Lenient(None))
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Lenient(None))
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Lenient(None))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Lenient(None))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Lenient(None))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<Lenient<'de>>()?.is_some() {}
        Ok(Lenient(None))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<Lenient<'de>, Lenient<'de>>()?.is_some() {}
        Ok(Lenient(None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;
    use proptest::prelude::*;

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

    /// What `ErrorBody` replaces: the body read as a `serde_json::Value`, the member as a string.
    fn by_value(body: &[u8], name: &str) -> Option<String> {
        match serde_json::from_slice::<serde_json::Value>(body).ok()? {
            serde_json::Value::Object(map) => map.get(name)?.as_str().map(str::to_owned),
            _ => None,
        }
    }

    fn reads_as_value_does(body: &[u8]) -> Result<(), TestCaseError> {
        let read = ErrorBody::read(body);
        for member in Member::ALL {
            prop_assert_eq!(
                read.get(member).map(str::to_owned),
                by_value(body, member.name()),
                "{}",
                member.name()
            );
        }
        Ok(())
    }

    #[test]
    fn member_names_round_trip() {
        for member in Member::ALL {
            assert_eq!(
                Member::named(member.name()).map(|m| m as usize),
                Some(member as usize)
            );
        }
    }

    #[test]
    fn error_bodies_with_escapes_repeats_and_odd_values() {
        for body in [
            r#"{"error":"a\"b","error_description":"\u00e9t\u00e9"}"#,
            r#"{"error":"first","error":"second"}"#,
            r#"{"error":"string","error":5}"#,
            r#"{"reason":{"nested":["x",1,null]},"message":"m"}"#,
            r#"{"error":"x","n":1e400}"#,
            r#"{"err\u006fr":"escaped key"}"#,
            r#"{"error":"x"} trailing"#,
            r#"[{"error":"x"}]"#,
            "null",
            "",
        ] {
            reads_as_value_does(body.as_bytes()).unwrap();
        }
    }

    proptest! {
        #[test]
        fn error_bodies_read_as_value_does(
            body in r##"\{("(error|error_description|__type|code|Code|message|Message|reason|x)":("[a-z\\"#:]{0,6}"|-?[0-9]{1,3}(e[0-9]{3})?|null|true|\[\]|\{\}|\[1,"a"\]|\{"error":"n"\}),?){0,6}\} ?"##,
        ) {
            reads_as_value_does(body.as_bytes())?;
        }

        #[test]
        fn any_bytes_read_as_value_does(body in proptest::collection::vec(any::<u8>(), 0..64)) {
            reads_as_value_does(&body)?;
        }
    }
}
