//! The SSO portal's operations against its model (`tests/reference/sso/service-2.json`): each
//! request's method, path, query and header; each output parsed from a model-shaped body; each
//! modelled error; and no secret in any `Debug` or `Display`.

use std::sync::LazyLock;
use std::time::{Duration, UNIX_EPOCH};

use proptest::prelude::*;
use serde_json::Value;
use sso_oidc::portal::{
    Endpoint, ErrorCode, GetRoleCredentials, ListAccountRoles, ListAccounts, Logout,
};
use sso_oidc::{Error, Operation, ParseErrorKind, RetryPolicy};

static MODEL: LazyLock<Value> = LazyLock::new(|| {
    let text = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/reference/sso/service-2.json"
    ));
    serde_json::from_str(text).unwrap()
});

const TOKEN: &str = "aoaAAAAAGSECRET-access-token";

fn endpoint() -> Endpoint {
    Endpoint::from_region("us-east-1").unwrap()
}

fn response(status: u16, headers: &[(&str, &str)], body: &str) -> http::Response<Vec<u8>> {
    let mut builder = http::Response::builder().status(status);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(body.as_bytes().to_vec()).unwrap()
}

/// Every request carries the token in its header only, and the method and path the model gives.
fn check_request(operation: Operation, request: &http::Request<Vec<u8>>) {
    let http = &MODEL["operations"][operation.name()]["http"];
    assert_eq!(request.method().as_str(), http["method"], "{operation}");
    assert_eq!(request.uri().path(), http["requestUri"], "{operation}");
    assert_eq!(operation.path(), http["requestUri"], "{operation}");
    assert_eq!(request.headers()["x-amz-sso_bearer_token"], TOKEN);
    assert!(request.headers()["x-amz-sso_bearer_token"].is_sensitive());
    assert!(!request.uri().to_string().contains(TOKEN), "{operation}");
    assert!(request.body().is_empty(), "{operation}");
}

/// The model's query names for an operation, sorted (serde_json's map does not keep the
/// model's order).
fn query_names(operation: Operation) -> Vec<String> {
    let input = MODEL["operations"][operation.name()]["input"]["shape"]
        .as_str()
        .unwrap();
    let members = MODEL["shapes"][input]["members"].as_object().unwrap();
    members
        .values()
        .filter(|m| m["location"] == "querystring")
        .map(|m| m["locationName"].as_str().unwrap().to_owned())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

#[test]
fn every_portal_operation_is_in_the_model() {
    let ours: Vec<&str> = Operation::PORTAL.iter().map(|o| o.name()).collect();
    let mut model: Vec<&str> = MODEL["operations"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    model.sort_unstable();
    assert_eq!(ours, model);
    assert!(Operation::PORTAL.iter().all(|o| o.is_portal()));
    assert!(!Operation::ALL.iter().any(|o| o.is_portal()));
}

#[test]
fn get_role_credentials_request() {
    let request = GetRoleCredentials::builder()
        .role_name("Read Only/é")
        .account_id("123456789012")
        .access_token(TOKEN)
        .build()
        .unwrap();
    let http = request.to_http(&endpoint());
    check_request(Operation::GetRoleCredentials, &http);
    assert_eq!(
        query_names(Operation::GetRoleCredentials),
        ["account_id", "role_name"]
    );
    assert_eq!(
        http.uri(),
        "https://portal.sso.us-east-1.amazonaws.com/federation/credentials\
         ?role_name=Read%20Only%2F%C3%A9&account_id=123456789012"
    );
}

#[test]
fn list_requests_and_their_pages() {
    assert_eq!(
        query_names(Operation::ListAccounts),
        ["max_result", "next_token"]
    );
    assert_eq!(
        query_names(Operation::ListAccountRoles),
        ["account_id", "max_result", "next_token"]
    );
    let accounts = ListAccounts::builder()
        .access_token(TOKEN)
        .next_token("a+b=")
        .max_results(100)
        .build()
        .unwrap();
    let http = accounts.to_http(&endpoint());
    check_request(Operation::ListAccounts, &http);
    assert_eq!(
        http.uri().query(),
        Some("next_token=a%2Bb%3D&max_result=100")
    );

    let roles = ListAccountRoles::builder()
        .access_token(TOKEN)
        .account_id("111122223333")
        .build()
        .unwrap();
    let http = roles.to_http(&endpoint());
    check_request(Operation::ListAccountRoles, &http);
    assert_eq!(http.uri().query(), Some("account_id=111122223333"));

    let page = ListAccountRoles::parse(response(
        200,
        &[],
        r#"{"roleList":[{"roleName":"Admin","accountId":"111122223333"}],"nextToken":"n1"}"#,
    ))
    .unwrap();
    let next = roles.next_page(&page).unwrap();
    assert_eq!(
        next.to_http(&endpoint()).uri().query(),
        Some("next_token=n1&account_id=111122223333")
    );
    // The same token again, an empty one, or none: the last page.
    let again =
        ListAccountRoles::parse(response(200, &[], r#"{"roleList":[],"nextToken":"n1"}"#)).unwrap();
    assert_eq!(next.next_page(&again), None);
    let empty = ListAccountRoles::parse(response(200, &[], r#"{"nextToken":""}"#)).unwrap();
    assert_eq!(empty.next_token, None);
    assert_eq!(roles.next_page(&empty), None);
}

#[test]
fn logout_request() {
    let request = Logout::builder().access_token(TOKEN).build().unwrap();
    check_request(Operation::Logout, &request.to_http(&endpoint()));
    let http = request.to_http(&Endpoint::from_url("http://127.0.0.1:9/p").unwrap());
    assert_eq!(http.uri(), "http://127.0.0.1:9/p/logout");
    assert_eq!(Logout::parse(response(200, &[], "")), Ok(()));
    assert_eq!(Logout::parse(response(204, &[], "ignored")), Ok(()));
}

#[test]
fn bad_input_is_a_build_error() {
    assert!(
        GetRoleCredentials::builder()
            .role_name("r")
            .access_token(TOKEN)
            .build()
            .is_err()
    );
    assert!(
        ListAccounts::builder()
            .max_results(0)
            .access_token(TOKEN)
            .build()
            .is_err()
    );
    assert!(
        ListAccountRoles::builder()
            .access_token(TOKEN)
            .build()
            .is_err()
    );
    assert!(Logout::builder().build().is_err());
    assert!(
        Logout::builder()
            .access_token("a\r\nx-evil: 1")
            .build()
            .is_err()
    );
}

#[test]
fn outputs_from_model_shaped_bodies() {
    let credentials = GetRoleCredentials::parse(response(
        200,
        &[("content-type", "application/json")],
        r#"{"roleCredentials":{"accessKeyId":"ASIAEXAMPLE","secretAccessKey":"SECRET-sak",
            "sessionToken":"SECRET-st","expiration":1700000000123}}"#,
    ))
    .unwrap();
    assert_eq!(credentials.access_key_id, "ASIAEXAMPLE");
    assert_eq!(credentials.secret_access_key.expose(), "SECRET-sak");
    assert_eq!(credentials.session_token.expose(), "SECRET-st");
    assert_eq!(
        credentials.expiration,
        UNIX_EPOCH + Duration::from_millis(1_700_000_000_123)
    );
    let debug = format!("{credentials:?}");
    assert!(!debug.contains("SECRET"), "{debug}");

    let accounts = ListAccounts::parse(response(
        200,
        &[],
        r#"{"accountList":[{"accountId":"1","accountName":"dev","emailAddress":"a@b.c"},
            {"accountId":"2"}]}"#,
    ))
    .unwrap();
    assert_eq!(accounts.accounts.len(), 2);
    assert_eq!(accounts.accounts[0].account_name.as_deref(), Some("dev"));
    assert_eq!(accounts.accounts[0].email_address.as_deref(), Some("a@b.c"));
    assert_eq!(accounts.accounts[1].account_name, None);
    assert_eq!(accounts.next_token, None);
    assert!(
        ListAccounts::parse(response(200, &[], "{}"))
            .unwrap()
            .accounts
            .is_empty()
    );
}

#[test]
fn incomplete_outputs_are_parse_errors_without_the_body() {
    for (body, member) in [
        ("{}", "roleCredentials"),
        (
            r#"{"roleCredentials":{"accessKeyId":"A","sessionToken":"SECRET","expiration":1}}"#,
            "secretAccessKey",
        ),
        (
            r#"{"roleCredentials":{"accessKeyId":"A","secretAccessKey":"SECRET","sessionToken":"SECRET"}}"#,
            "expiration",
        ),
    ] {
        let error = GetRoleCredentials::parse(response(200, &[], body)).unwrap_err();
        let Error::Parse(parse) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(parse.kind(), &ParseErrorKind::MissingMember { member });
        assert_eq!(parse.excerpt(), None);
        assert!(!format!("{error} {error:?}").contains("SECRET"));
    }
    let error = ListAccountRoles::parse(response(200, &[], r#"{"roleList":[{"roleName":"r"}]}"#))
        .unwrap_err();
    assert!(error.to_string().contains("accountId"), "{error}");
}

#[test]
fn every_modelled_exception_is_typed() {
    let exceptions: Vec<&str> = MODEL["shapes"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, s)| s["exception"] == true)
        .map(|(name, _)| name.as_str())
        .collect();
    let ours: Vec<&str> = ErrorCode::MODELED
        .iter()
        .map(ErrorCode::shape_name)
        .collect();
    assert_eq!(ours, exceptions);
    for code in ErrorCode::MODELED {
        let shape = &MODEL["shapes"][code.shape_name()];
        let status = shape["error"]["httpStatusCode"].as_u64().unwrap();
        assert_eq!(
            code.http_status().map(|s| u64::from(s.as_u16())),
            Some(status)
        );
        let members: Vec<&String> = shape["members"].as_object().unwrap().keys().collect();
        assert_eq!(members, ["message"]);
        let status = u16::try_from(status).unwrap();
        // By header, by `__type` and by `code`, each with the model's `message`.
        for (headers, body) in [
            (
                vec![(
                    "x-amzn-ErrorType",
                    format!("{}:http://internal.amazon.com/coral/", code.shape_name()),
                )],
                r#"{"message":"it failed"}"#.to_owned(),
            ),
            (
                vec![],
                format!(
                    r#"{{"__type":"com.amazonaws.switchboard.portal#{}","message":"it failed"}}"#,
                    code.shape_name()
                ),
            ),
            (
                vec![],
                format!(
                    r#"{{"code":"{}","message":"it failed"}}"#,
                    code.shape_name()
                ),
            ),
        ] {
            let mut builder = http::Response::builder()
                .status(status)
                .header("x-amzn-RequestId", "req-1");
            for (name, value) in &headers {
                builder = builder.header(*name, value);
            }
            let error = ListAccounts::parse(builder.body(body.into_bytes()).unwrap()).unwrap_err();
            assert_eq!(error.portal_code().as_ref(), Some(code), "{error:?}");
            assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
            assert_eq!(error.request_id(), Some("req-1"));
            let Error::Service(service) = &error else {
                panic!("{error:?}")
            };
            assert_eq!(service.error_description(), Some("it failed"));
            assert_eq!(service.operation(), Operation::ListAccounts);
            assert_eq!(
                RetryPolicy::is_retryable(&error),
                *code == ErrorCode::TooManyRequests,
                "{code}"
            );
        }
    }
}

#[test]
fn status_alone_retries_and_is_a_parse_error() {
    for status in [429, 500, 502, 503, 504] {
        let error =
            GetRoleCredentials::parse(response(status, &[], "<html>busy</html>")).unwrap_err();
        assert!(matches!(error, Error::Parse(_)), "{error:?}");
        assert!(RetryPolicy::is_retryable(&error), "{status}");
        assert_eq!(error.portal_code(), None);
    }
    let error = Logout::parse(response(401, &[], "")).unwrap_err();
    assert!(!RetryPolicy::is_retryable(&error));
    let Error::Parse(parse) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(parse.kind(), &ParseErrorKind::UnrecognizedError);
}

#[test]
fn no_secret_in_debug_or_display() {
    let requests = [
        format!(
            "{:?}",
            GetRoleCredentials::builder()
                .role_name("r")
                .account_id("1")
                .access_token(TOKEN)
        ),
        format!(
            "{:?}",
            GetRoleCredentials::builder()
                .role_name("r")
                .account_id("1")
                .access_token(TOKEN)
                .build()
                .unwrap()
        ),
        format!(
            "{:?}",
            ListAccounts::builder().access_token(TOKEN).build().unwrap()
        ),
        format!(
            "{:?}",
            ListAccountRoles::builder()
                .account_id("1")
                .access_token(TOKEN)
                .build()
                .unwrap()
        ),
        format!(
            "{:?}",
            Logout::builder().access_token(TOKEN).build().unwrap()
        ),
        format!(
            "{:?}",
            Logout::builder()
                .access_token(TOKEN)
                .build()
                .unwrap()
                .to_http(&endpoint())
        ),
    ];
    for text in requests {
        assert!(!text.contains("SECRET"), "{text}");
    }
}

#[test]
fn every_sensitive_member_of_the_model_is_redacted_in_logs() {
    let shapes = MODEL["shapes"].as_object().unwrap();
    let mut sensitive = Vec::new();
    for definition in shapes.values() {
        for (member, target) in definition["members"].as_object().into_iter().flatten() {
            if shapes[target["shape"].as_str().unwrap()]["sensitive"] == true {
                sensitive.push(member.clone());
            }
        }
    }
    sensitive.sort_unstable();
    sensitive.dedup();
    assert_eq!(
        sensitive,
        ["accessToken", "secretAccessKey", "sessionToken"]
    );
    for member in &sensitive {
        assert!(
            sso_oidc::SECRET_MEMBERS.contains(&member.as_str()),
            "{member}"
        );
    }
    let body = br#"{"roleCredentials":{"accessKeyId":"ASIA","secretAccessKey":"SECRET-sak",
        "sessionToken":"SECRET-st","expiration":1}}"#;
    let logged = sso_oidc::redact_body(body);
    assert!(
        !logged.contains("SECRET") && logged.contains("ASIA"),
        "{logged}"
    );
}

proptest! {
    #[test]
    fn arbitrary_bodies_never_panic_the_parsers(
        status in prop_oneof![Just(200u16), Just(400), Just(401), Just(404), Just(429), Just(500), 100u16..600],
        body in prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..256),
            r#"\{("(roleCredentials|accessKeyId|secretAccessKey|sessionToken|expiration|accountList|roleList|nextToken|accountId|roleName|message|__type)":("[a-zA-Z#:]{0,8}"|-?[0-9]{1,20}|null|\[\]|\{\}|\[\{"accountId":"1"\}\]|\{"expiration":-9223372036854775808\}),?){0,6}\}"#.prop_map(String::into_bytes),
        ],
    ) {
        let response = || http::Response::builder().status(status).body(body.clone()).unwrap();
        let results = [
            GetRoleCredentials::parse(response()).err(),
            ListAccounts::parse(response()).err(),
            ListAccountRoles::parse(response()).err(),
            Logout::parse(response()).err(),
        ];
        for error in results.into_iter().flatten() {
            let text = format!("{error} {error:?}");
            prop_assert!(text.len() < 4096);
            if (200..300).contains(&status)
                && let Error::Parse(parse) = &error
            {
                prop_assert_eq!(parse.excerpt(), None);
            }
        }
    }
}
