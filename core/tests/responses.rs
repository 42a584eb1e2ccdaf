//! Parsing the shapes the real service sends, the errors it (and what stands in front of it)
//! answers with, and 2xx bodies that are malformed, incomplete or too large.

use std::time::{Duration, UNIX_EPOCH};

use http::StatusCode;
use sso_oidc::{
    CreateToken, Error, ErrorCode, MAX_RESPONSE_BODY, Operation, ParseErrorKind, RegisterClient,
    StartDeviceAuthorization,
};

const PENDING_TYPE: &str =
    "AuthorizationPendingException:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/";

fn response(status: u16, headers: &[(&str, &str)], body: &str) -> http::Response<Vec<u8>> {
    let mut builder = http::Response::builder().status(status);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(body.as_bytes().to_vec()).unwrap()
}

fn ok(body: &str) -> http::Response<Vec<u8>> {
    response(200, &[("content-type", "application/json")], body)
}

fn parse_kind(error: Error) -> ParseErrorKind {
    match error {
        Error::Parse(e) => e.kind().clone(),
        other => panic!("expected a parse error, got {other:?}"),
    }
}

#[test]
fn start_device_authorization_real_shape() {
    let body = r#"{"deviceCode":"dc-AbCd0123456789","expiresIn":600,"interval":1,"userCode":"GPNW-SHFH","verificationUri":"https://device.sso.us-east-1.amazonaws.com/","verificationUriComplete":"https://device.sso.us-east-1.amazonaws.com/?user_code=GPNW-SHFH"}"#;
    let out = StartDeviceAuthorization::parse(ok(body)).unwrap();
    assert_eq!(out.device_code.expose(), "dc-AbCd0123456789");
    assert_eq!(out.user_code, "GPNW-SHFH");
    assert_eq!(
        out.verification_uri,
        "https://device.sso.us-east-1.amazonaws.com/"
    );
    assert_eq!(
        out.verification_uri_complete.as_deref(),
        Some("https://device.sso.us-east-1.amazonaws.com/?user_code=GPNW-SHFH")
    );
    assert_eq!(out.expires_in, Duration::from_secs(600));
    assert_eq!(out.interval, Some(Duration::from_secs(1)));
}

#[test]
fn start_device_authorization_optional_members_may_be_absent_or_null() {
    let body = r#"{"deviceCode":"d","expiresIn":300,"userCode":"U","verificationUri":"https://v/","verificationUriComplete":null}"#;
    let out = StartDeviceAuthorization::parse(ok(body)).unwrap();
    assert_eq!(out.interval, None);
    assert_eq!(out.verification_uri_complete, None);
}

#[test]
fn register_client_real_shape_with_null_endpoints() {
    let issued = 1_763_712_000u64;
    let expires = issued + 90 * 24 * 60 * 60;
    let body = format!(
        r#"{{"authorizationEndpoint":null,"clientId":"cid-123","clientIdIssuedAt":{issued},"clientSecret":"eyJraWQiOiJrZXktMTU2NDAyODA5OSIsImFsZyI6IkhTMzg0In0.secret","clientSecretExpiresAt":{expires},"tokenEndpoint":null}}"#
    );
    let out = RegisterClient::parse(ok(&body)).unwrap();
    assert_eq!(out.client_id, "cid-123");
    assert!(out.client_secret.expose().ends_with(".secret"));
    assert_eq!(
        out.client_id_issued_at,
        Some(UNIX_EPOCH + Duration::from_secs(issued))
    );
    assert_eq!(
        out.client_secret_expires_at,
        Some(UNIX_EPOCH + Duration::from_secs(expires))
    );
    assert_eq!(
        out.client_secret_expires_at
            .unwrap()
            .duration_since(out.client_id_issued_at.unwrap())
            .unwrap(),
        Duration::from_secs(90 * 86_400)
    );
    assert_eq!(out.authorization_endpoint, None);
    assert_eq!(out.token_endpoint, None);
}

#[test]
fn register_client_zero_expiry_means_never() {
    let out = RegisterClient::parse(ok(
        r#"{"clientId":"c","clientSecret":"s","clientSecretExpiresAt":0}"#,
    ))
    .unwrap();
    assert_eq!(out.client_secret_expires_at, None);
    assert_eq!(out.client_id_issued_at, None);
}

#[test]
fn create_token_real_shape_and_unknown_members() {
    let body = r#"{"accessToken":"aoa-token","expiresIn":28800,"idToken":null,"refreshToken":"aor-token","tokenType":"Bearer","aws_future":{"nested":[1,2,{"x":null}]}}"#;
    let out = CreateToken::parse(ok(body)).unwrap();
    assert_eq!(out.access_token.expose(), "aoa-token");
    assert_eq!(out.expires_in, Duration::from_secs(28_800));
    assert_eq!(out.refresh_token.unwrap().expose(), "aor-token");
    assert_eq!(out.id_token, None);
    assert_eq!(out.token_type.as_deref(), Some("Bearer"));
}

#[test]
fn authorization_pending() {
    let error = CreateToken::parse(response(
        400,
        &[
            ("x-amzn-ErrorType", PENDING_TYPE),
            ("x-amzn-RequestId", "0d6b7e7a-1111-4222-8333-944445555666"),
            ("content-type", "application/json"),
        ],
        r#"{"error":"authorization_pending","error_description":"Authorization is still pending"}"#,
    ))
    .unwrap_err();
    let Error::Service(service) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(service.code(), &ErrorCode::AuthorizationPending);
    assert_eq!(service.operation(), Operation::CreateToken);
    assert_eq!(service.status(), StatusCode::BAD_REQUEST);
    assert_eq!(service.error(), Some("authorization_pending"));
    assert_eq!(
        service.error_description(),
        Some("Authorization is still pending")
    );
    assert_eq!(
        service.request_id(),
        Some("0d6b7e7a-1111-4222-8333-944445555666")
    );
    assert_eq!(error.code(), Some(&ErrorCode::AuthorizationPending));
    assert_eq!(error.status(), Some(StatusCode::BAD_REQUEST));
}

#[test]
fn invalid_client_401() {
    let error = StartDeviceAuthorization::parse(response(
        401,
        &[(
            "x-amzn-ErrorType",
            "InvalidClientException:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/",
        )],
        r#"{"error":"invalid_client","error_description":"Client authentication failed"}"#,
    ))
    .unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::InvalidClient));
    assert_eq!(error.status(), Some(StatusCode::UNAUTHORIZED));
    assert_eq!(
        error.to_string(),
        "service error in StartDeviceAuthorization: InvalidClientException: Client \
         authentication failed (HTTP 401)"
    );
}

#[test]
fn server_error_500() {
    let error = RegisterClient::parse(response(
        500,
        &[(
            "x-amzn-ErrorType",
            "InternalServerException:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/",
        )],
        r#"{"error":"server_error","error_description":"An internal server error occurred"}"#,
    ))
    .unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::InternalServer));
    assert_eq!(error.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
}

#[test]
fn error_without_the_header_is_classified_from_the_body() {
    for (body, code) in [
        (
            r#"{"error":"slow_down","error_description":"Client is polling too fast"}"#,
            ErrorCode::SlowDown,
        ),
        (r#"{"error":"expired_token"}"#, ErrorCode::ExpiredToken),
        (
            r#"{"error":"access_denied","reason":"KMS_AccessDeniedException"}"#,
            ErrorCode::AccessDenied,
        ),
        (
            r#"{"__type":"com.amazonaws.sso.oidc#InvalidGrantException","error":"x"}"#,
            ErrorCode::InvalidGrant,
        ),
        (
            r#"{"code":"UnsupportedGrantTypeException"}"#,
            ErrorCode::UnsupportedGrantType,
        ),
        (
            r#"{"error":"temporarily_unavailable"}"#,
            ErrorCode::Other("temporarily_unavailable".into()),
        ),
    ] {
        let error = CreateToken::parse(response(400, &[], body)).unwrap_err();
        assert_eq!(error.code(), Some(&code), "{body}");
    }
    let denied = CreateToken::parse(response(
        400,
        &[],
        r#"{"error":"access_denied","reason":"KMS_AccessDeniedException"}"#,
    ))
    .unwrap_err();
    let Error::Service(denied) = denied else {
        panic!()
    };
    assert_eq!(denied.reason(), Some("KMS_AccessDeniedException"));
}

#[test]
fn nginx_502_html_page() {
    let html = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
    let error =
        CreateToken::parse(response(502, &[("content-type", "text/html")], html)).unwrap_err();
    let Error::Parse(parse) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(parse.kind(), &ParseErrorKind::UnrecognizedError);
    assert_eq!(parse.status(), StatusCode::BAD_GATEWAY);
    assert_eq!(parse.content_type(), Some("text/html"));
    let excerpt = parse.excerpt().unwrap();
    assert!(
        excerpt.starts_with("<html>  <head><title>502 Bad Gateway</title>"),
        "{excerpt}"
    );
    assert!(excerpt.len() <= 256);
    assert_eq!(error.status(), Some(StatusCode::BAD_GATEWAY));
    assert_eq!(error.code(), None);
    let message = error.to_string();
    assert!(
        message.starts_with("unreadable CreateToken response (HTTP 502, text/html): the status is an error but the response names no error code; the body starts \"<html>"),
        "{message}"
    );
}

#[test]
fn error_statuses_with_empty_or_odd_bodies_are_still_errors() {
    for (status, body) in [
        (503, ""),
        (500, "not json"),
        (400, "[]"),
        (404, "{}"),
        (302, ""),
        (400, r#"{"error":null}"#),
    ] {
        let error = CreateToken::parse(response(status, &[], body)).unwrap_err();
        assert_eq!(
            parse_kind(error.clone()),
            ParseErrorKind::UnrecognizedError,
            "{status} {body}"
        );
        assert_eq!(error.status().unwrap().as_u16(), status);
    }
}

#[test]
fn long_error_bodies_are_excerpted_to_256_bytes() {
    let body = "x".repeat(10_000);
    let Error::Parse(error) = CreateToken::parse(response(500, &[], &body)).unwrap_err() else {
        panic!()
    };
    assert_eq!(error.excerpt().unwrap().len(), 256);
}

#[test]
fn incomplete_success_bodies_name_the_member() {
    let cases: [(&str, ParseErrorKind); 6] = [
        (
            r#"{"expiresIn":1}"#,
            ParseErrorKind::MissingMember {
                member: "accessToken",
            },
        ),
        (
            r#"{"accessToken":null,"expiresIn":1}"#,
            ParseErrorKind::MissingMember {
                member: "accessToken",
            },
        ),
        (
            r#"{"accessToken":"a"}"#,
            ParseErrorKind::MissingMember {
                member: "expiresIn",
            },
        ),
        (
            r#"{"accessToken":"","expiresIn":1}"#,
            ParseErrorKind::InvalidMember {
                member: "accessToken",
                reason: "is empty",
            },
        ),
        (
            r#"{"accessToken":"a","expiresIn":-5}"#,
            ParseErrorKind::InvalidMember {
                member: "expiresIn",
                reason: "has a value of the wrong type or range",
            },
        ),
        (
            r#"{"accessToken":"a","expiresIn":"3600"}"#,
            ParseErrorKind::InvalidMember {
                member: "expiresIn",
                reason: "has a value of the wrong type or range",
            },
        ),
    ];
    for (body, kind) in cases {
        assert_eq!(
            parse_kind(CreateToken::parse(ok(body)).unwrap_err()),
            kind,
            "{body}"
        );
    }
    assert_eq!(
        parse_kind(StartDeviceAuthorization::parse(ok(r#"{"deviceCode":"d"}"#)).unwrap_err()),
        ParseErrorKind::MissingMember { member: "userCode" }
    );
    assert_eq!(
        parse_kind(RegisterClient::parse(ok(r#"{"clientSecret":"s"}"#)).unwrap_err()),
        ParseErrorKind::MissingMember { member: "clientId" }
    );
    assert_eq!(
        parse_kind(
            RegisterClient::parse(ok(
                r#"{"clientId":"c","clientSecret":"s","clientSecretExpiresAt":18446744073709551615}"#
            ))
            .unwrap_err()
        ),
        ParseErrorKind::InvalidMember {
            member: "clientSecretExpiresAt",
            reason: "is not a time this system can represent",
        }
    );
}

#[test]
fn malformed_success_bodies() {
    let cases: [(&str, ParseErrorKind); 8] = [
        ("", ParseErrorKind::Empty),
        (" \n", ParseErrorKind::Empty),
        (
            r#"{"accessToken":"abc","expiresIn":3"#,
            ParseErrorKind::Truncated,
        ),
        (
            r#"{"accessToken":"abc" "expiresIn":3}"#,
            ParseErrorKind::MalformedJson {
                line: 1,
                column: 22,
            },
        ),
        (
            r#"{"accessToken":"a","expiresIn":3} trailing"#,
            ParseErrorKind::MalformedJson {
                line: 1,
                column: 35,
            },
        ),
        (r#"["a",3600]"#, ParseErrorKind::UnexpectedShape),
        ("null", ParseErrorKind::UnexpectedShape),
        (
            r#"{"accessToken":"a","accessToken":"b","expiresIn":1}"#,
            ParseErrorKind::UnexpectedShape,
        ),
    ];
    for (body, kind) in cases {
        assert_eq!(
            parse_kind(CreateToken::parse(ok(body)).unwrap_err()),
            kind,
            "{body:?}"
        );
    }
}

#[test]
fn success_bodies_are_never_quoted() {
    let error = CreateToken::parse(ok(
        r#"{"accessToken":"SECRET-TOKEN-VALUE","expiresIn":"SECRET-TOKEN-VALUE"}"#,
    ))
    .unwrap_err();
    let Error::Parse(parse) = &error else {
        panic!()
    };
    assert_eq!(parse.excerpt(), None);
    assert!(!format!("{error} {error:?}").contains("SECRET"));
}

#[test]
fn bodies_over_the_cap_are_refused_unparsed() {
    // Valid JSON, so only the cap can refuse it.
    let padding = " ".repeat(MAX_RESPONSE_BODY);
    let body = format!(r#"{{"accessToken":"a","expiresIn":1}}{padding}"#);
    assert_eq!(
        parse_kind(CreateToken::parse(ok(&body)).unwrap_err()),
        ParseErrorKind::TooLarge {
            limit: MAX_RESPONSE_BODY,
            len: body.len()
        }
    );
    let at_cap = format!(
        r#"{{"accessToken":"a","expiresIn":1}}{}"#,
        &padding[..MAX_RESPONSE_BODY - 33]
    );
    assert_eq!(at_cap.len(), MAX_RESPONSE_BODY);
    assert!(CreateToken::parse(ok(&at_cap)).is_ok());
    // An error status over the cap is refused too, with its status kept.
    let big_error = CreateToken::parse(response(500, &[], &body)).unwrap_err();
    assert_eq!(error_status(&big_error), 500);
}

fn error_status(error: &Error) -> u16 {
    error.status().unwrap().as_u16()
}

#[test]
fn parsers_accept_borrowed_bodies() {
    let body: &[u8] = br#"{"accessToken":"a","expiresIn":1}"#;
    let response = http::Response::new(body);
    assert!(CreateToken::parse(response).is_ok());
    let bytes = http::Response::new(String::from(r#"{"accessToken":"a","expiresIn":1}"#));
    assert!(CreateToken::parse(bytes).is_ok());
}
