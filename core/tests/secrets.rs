//! No secret reaches `Debug`, `Display`, an error message (or its source chain) or a URL.
//!
//! Every secret below contains `LEAK`; every public type that holds one, and every error this
//! crate can produce from inputs full of them, is formatted each way and searched for it.

use std::error::Error as _;
use std::fmt::{Debug, Display};

use sso_oidc::{
    CreateToken, Endpoint, Error, GrantType, RegisterClient, Secret, StartDeviceAuthorization,
};

const MARK: &str = "LEAK";

fn assert_clean_debug(what: &str, value: &impl Debug) {
    for text in [format!("{value:?}"), format!("{value:#?}")] {
        assert!(!text.contains(MARK), "{what} leaks through Debug: {text}");
    }
}

fn assert_clean_display(what: &str, value: &(impl Display + Debug)) {
    assert_clean_debug(what, value);
    let text = value.to_string();
    assert!(!text.contains(MARK), "{what} leaks through Display: {text}");
}

fn assert_clean_error(what: &str, error: &Error) {
    assert_clean_display(what, error);
    let mut source = error.source();
    while let Some(cause) = source {
        assert!(
            !cause.to_string().contains(MARK),
            "{what} leaks through its source chain: {cause}"
        );
        source = cause.source();
    }
}

fn endpoint() -> Endpoint {
    Endpoint::from_url("http://127.0.0.1:1").unwrap()
}

fn ok(body: String) -> http::Response<Vec<u8>> {
    http::Response::new(body.into_bytes())
}

#[test]
fn secret_itself() {
    let secret = Secret::new(format!("{MARK}-value"));
    assert_clean_display("Secret", &secret);
    assert_eq!(secret.expose(), "LEAK-value");
}

#[test]
fn requests_and_builders() {
    let start_builder = StartDeviceAuthorization::builder()
        .client_id("cid")
        .client_secret(format!("{MARK}-client-secret"))
        .start_url("https://d-1.awsapps.com/start");
    assert_clean_debug("StartDeviceAuthorizationBuilder", &start_builder);
    let start = start_builder.build().unwrap();
    assert_clean_debug("StartDeviceAuthorization", &start);

    let token_builder = CreateToken::builder()
        .client_id("cid")
        .client_secret(format!("{MARK}-client-secret"))
        .grant_type(GrantType::AuthorizationCode)
        .device_code(format!("{MARK}-device-code"))
        .refresh_token(format!("{MARK}-refresh-token"))
        .code(format!("{MARK}-code"))
        .redirect_uri("http://127.0.0.1/cb")
        .code_verifier(format!("{MARK}-verifier"));
    assert_clean_debug("CreateTokenBuilder", &token_builder);
    let token = token_builder.build().unwrap();
    assert_clean_debug("CreateToken", &token);

    // The body carries the secrets (that is its job); the URL and headers never do.
    for request in [start.to_http(&endpoint()), token.to_http(&endpoint())] {
        assert!(!request.uri().to_string().contains(MARK));
        assert_clean_debug("request headers", request.headers());
        assert!(String::from_utf8_lossy(request.body()).contains(MARK));
    }
    let register = RegisterClient::builder().client_name("n").build().unwrap();
    assert_clean_debug("RegisterClient", &register);
}

#[test]
fn outputs() {
    let device = StartDeviceAuthorization::parse(ok(format!(
        r#"{{"deviceCode":"{MARK}-device","expiresIn":600,"userCode":"U","verificationUri":"https://v/"}}"#
    )))
    .unwrap();
    assert_clean_debug("DeviceAuthorization", &device);

    let registration = RegisterClient::parse(ok(format!(
        r#"{{"clientId":"c","clientSecret":"{MARK}-secret","clientSecretExpiresAt":1}}"#
    )))
    .unwrap();
    assert_clean_debug("ClientRegistration", &registration);

    let token = CreateToken::parse(ok(format!(
        r#"{{"accessToken":"{MARK}-a","expiresIn":1,"refreshToken":"{MARK}-r","idToken":"{MARK}-i"}}"#
    )))
    .unwrap();
    assert_clean_debug("Token", &token);
}

/// 2xx bodies full of secrets that fail in every way a 2xx body can.
#[test]
fn parse_errors_from_success_bodies() {
    let bodies = [
        format!(r#"{{"accessToken":"{MARK}","expiresIn":"{MARK}"}}"#),
        format!(r#"{{"accessToken":{{"{MARK}":"{MARK}"}},"expiresIn":1}}"#),
        format!(r#"{{"accessToken":["{MARK}"],"expiresIn":1}}"#),
        format!(r#"{{"refreshToken":"{MARK}","expiresIn":1}}"#),
        format!(r#"{{"accessToken":"{MARK}""#),
        format!(r#"{{"accessToken":"{MARK}" "x"}}"#),
        format!(r#"{{"accessToken":"{MARK}","expiresIn":1}}{MARK}"#),
        format!(r#"["{MARK}",1]"#),
        format!(r#""{MARK}""#),
        format!(r#"{{"accessToken":"{MARK}","accessToken":"{MARK}","expiresIn":1}}"#),
        format!(r#"{{"{MARK}":{MARK}}}"#),
        MARK.to_owned(),
    ];
    for body in bodies {
        let error = CreateToken::parse(ok(body.clone())).unwrap_err();
        assert_clean_error(&body, &error);
        let error = StartDeviceAuthorization::parse(ok(body.replace("accessToken", "deviceCode")))
            .unwrap_err();
        assert_clean_error(&body, &error);
        let error =
            RegisterClient::parse(ok(body.replace("accessToken", "clientSecret"))).unwrap_err();
        assert_clean_error(&body, &error);
    }
}

#[test]
fn build_errors_with_secrets_set() {
    let error: Error = CreateToken::builder()
        .client_secret(format!("{MARK}-secret"))
        .device_code(format!("{MARK}-device"))
        .build()
        .unwrap_err()
        .into();
    assert_clean_error("missing clientId", &error);
    let error: Error = CreateToken::builder()
        .client_id("c")
        .client_secret(format!("{MARK}-secret"))
        .grant_type(GrantType::DeviceCode)
        .refresh_token(format!("{MARK}-refresh"))
        .build()
        .unwrap_err()
        .into();
    assert_clean_error("missing deviceCode", &error);
    let error: Error = Endpoint::from_url(&format!("http://user:{MARK}@host/"))
        .unwrap_err()
        .into();
    assert_clean_error("endpoint with credentials", &error);
}

#[test]
fn service_errors() {
    let response = http::Response::builder()
        .status(400)
        .header("x-amzn-ErrorType", "InvalidGrantException")
        .body(br#"{"error":"invalid_grant","error_description":"Invalid grant provided"}"#.to_vec())
        .unwrap();
    let error = CreateToken::parse(response).unwrap_err();
    assert!(matches!(error, Error::Service(_)));
    assert_clean_error("service error", &error);
}

#[test]
fn error_bodies_that_echo_the_request_lose_its_secrets() {
    // A gateway that refuses a request and echoes it back, cut short: no code, so a parse
    // error that quotes the body.
    let body = format!(
        r#"{{"clientId":"id","clientSecret":"{MARK}-secret","deviceCode":"{MARK}-device","grantType":"urn"#
    );
    let response = http::Response::builder()
        .status(502)
        .body(body.into_bytes())
        .unwrap();
    let error = CreateToken::parse(response).unwrap_err();
    assert_clean_error("echoed request", &error);
    let Error::Parse(parse) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(
        parse.excerpt(),
        Some(
            r#"{"clientId":"id","clientSecret":"<redacted>","deviceCode":"<redacted>","grantType":"urn"#
        )
    );
}
