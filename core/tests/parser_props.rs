//! Properties of every parser over arbitrary responses: no panic, a typed result, errors for every
//! non-2xx status, no secret in any error, and a faithful round trip of valid outputs.

use std::time::Duration;

use proptest::prelude::*;
use serde_json::{Map, Value, json};
use sso_oidc::{
    CreateToken, Error, ErrorCode, MAX_RESPONSE_BODY, RegisterClient, StartDeviceAuthorization,
};

/// Parses with each operation's parser, returning each result's error if any.
fn parse_all(response: &http::Response<Vec<u8>>) -> [Option<Error>; 3] {
    [
        RegisterClient::parse(response.clone()).err(),
        StartDeviceAuthorization::parse(response.clone()).err(),
        CreateToken::parse(response.clone()).err(),
    ]
}

fn header_name() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "x-amzn-ErrorType",
        "x-amzn-RequestId",
        "content-type",
        "x-amz-request-id",
        "x-unrelated",
    ])
}

fn header_value() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..40),
        "[A-Za-z]{0,20}(Exception)?(:[ -~]{0,20})?".prop_map(String::into_bytes),
        "[a-z.]{0,10}#[A-Za-z]{0,20}".prop_map(String::into_bytes),
    ]
}

/// A JSON value of any shape, with strings that may be secrets.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "SECRET-[a-z0-9]{0,8}".prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(member_name(), inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// The model's member names (so values of the wrong type hit real members) and others.
fn member_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "accessToken",
            "expiresIn",
            "refreshToken",
            "idToken",
            "tokenType",
            "deviceCode",
            "userCode",
            "verificationUri",
            "verificationUriComplete",
            "interval",
            "clientId",
            "clientSecret",
            "clientIdIssuedAt",
            "clientSecretExpiresAt",
            "authorizationEndpoint",
            "tokenEndpoint",
            "error",
            "error_description",
            "__type",
            "code",
            "reason",
        ])
        .prop_map(str::to_owned),
        "[a-zA-Z_]{1,10}",
    ]
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..300),
        json_value().prop_map(|v| v.to_string().into_bytes()),
        // Valid JSON cut short or with garbage after it.
        (json_value(), 0usize..64).prop_map(|(v, cut)| {
            let mut text = v.to_string().into_bytes();
            text.truncate(text.len().saturating_sub(cut));
            text
        }),
        (json_value(), ".{1,4}").prop_map(|(v, tail)| format!("{v}{tail}").into_bytes()),
    ]
}

fn response(
    status: u16,
    headers: Vec<(&'static str, Vec<u8>)>,
    body: Vec<u8>,
) -> http::Response<Vec<u8>> {
    let mut response = http::Response::new(body);
    *response.status_mut() = http::StatusCode::from_u16(status).unwrap();
    for (name, value) in headers {
        if let Ok(value) = http::HeaderValue::from_bytes(&value) {
            response.headers_mut().append(name, value);
        }
    }
    response
}

fn assert_no_secret(error: &Error) -> Result<(), TestCaseError> {
    let text = format!("{error} {error:?}");
    prop_assert!(!text.contains("SECRET"), "{}", text);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn any_response_gives_a_typed_result(
        status in 100u16..=599,
        headers in prop::collection::vec((header_name(), header_value()), 0..4),
        body in body(),
    ) {
        let response = response(status, headers, body);
        for error in parse_all(&response) {
            let success = (200..300).contains(&status);
            match error {
                None => prop_assert!(success, "a {} response parsed", status),
                Some(Error::Parse(e)) => {
                    prop_assert_eq!(e.status().as_u16(), status);
                    // 2xx bodies are never quoted; other excerpts are short.
                    prop_assert_eq!(e.excerpt().is_some(), !success);
                    prop_assert!(e.excerpt().is_none_or(|x| x.len() <= 256));
                }
                Some(Error::Service(e)) => {
                    prop_assert!(!success, "a 2xx response was a service error");
                    prop_assert_eq!(e.status().as_u16(), status);
                }
                Some(other) => prop_assert!(false, "unexpected error {:?}", other),
            }
        }
    }

    #[test]
    fn success_bodies_full_of_secrets_never_leak(members in prop::collection::btree_map(member_name(), json_value(), 0..8)) {
        let body = Value::Object(members.into_iter().collect()).to_string();
        let response = response(200, vec![], body.into_bytes());
        for error in parse_all(&response).iter().flatten() {
            assert_no_secret(error)?;
        }
    }

    #[test]
    fn valid_tokens_round_trip(
        access in "[!-~]{1,40}",
        expires in any::<u32>(),
        refresh in proptest::option::of("[!-~]{1,40}"),
        id in proptest::option::of("[!-~]{1,40}"),
        extra in prop::collection::btree_map("x[a-z]{1,8}", json_value(), 0..3),
    ) {
        let mut body = json!({
            "accessToken": access, "expiresIn": expires, "tokenType": "Bearer",
            "refreshToken": refresh, "idToken": id,
        });
        body.as_object_mut().unwrap().extend(extra);
        let token = CreateToken::parse(response(200, vec![], body.to_string().into_bytes())).unwrap();
        prop_assert_eq!(token.access_token.expose(), &access);
        prop_assert_eq!(token.expires_in, Duration::from_secs(expires.into()));
        prop_assert_eq!(token.refresh_token.map(|s| s.into_exposed()), refresh);
        prop_assert_eq!(token.id_token.map(|s| s.into_exposed()), id);
    }

    #[test]
    fn valid_device_authorizations_round_trip(
        device in "[!-~]{1,40}",
        user in "[A-Z]{4}-[A-Z]{4}",
        expires in any::<u32>(),
        interval in proptest::option::of(any::<u32>()),
    ) {
        let body = json!({
            "deviceCode": device, "userCode": user, "expiresIn": expires, "interval": interval,
            "verificationUri": "https://v/", "verificationUriComplete": format!("https://v/?user_code={user}"),
        });
        let out = StartDeviceAuthorization::parse(response(200, vec![], body.to_string().into_bytes())).unwrap();
        prop_assert_eq!(out.device_code.expose(), &device);
        prop_assert_eq!(&out.user_code, &user);
        prop_assert_eq!(out.expires_in, Duration::from_secs(expires.into()));
        prop_assert_eq!(out.interval, interval.map(|i| Duration::from_secs(i.into())));
    }

    #[test]
    fn every_modeled_code_is_read_from_header_or_body(
        index in 0..ErrorCode::MODELED.len(),
        namespace in proptest::option::of("[a-z.]{1,20}"),
        suffix in proptest::option::of(":[ -~]{0,30}"),
        from_header in any::<bool>(),
    ) {
        let code = &ErrorCode::MODELED[index];
        let shape = format!(
            "{}{}{}",
            namespace.map(|n| format!("{n}#")).unwrap_or_default(),
            code.shape_name(),
            suffix.unwrap_or_default(),
        );
        let response = if from_header {
            response(400, vec![("x-amzn-ErrorType", shape.into_bytes())], b"<html>".to_vec())
        } else {
            response(400, vec![], json!({ "__type": shape }).to_string().into_bytes())
        };
        for error in parse_all(&response) {
            prop_assert_eq!(error.and_then(|e| e.code().cloned()), Some(code.clone()));
        }
    }
}

#[test]
fn the_cap_holds_for_every_parser() {
    let body = vec![b' '; MAX_RESPONSE_BODY + 1];
    for status in [200, 400, 500] {
        let response = response(status, vec![], body.clone());
        for error in parse_all(&response) {
            let Some(Error::Parse(error)) = error else {
                panic!("{status}: {error:?}")
            };
            assert!(matches!(
                error.kind(),
                sso_oidc::ParseErrorKind::TooLarge { .. }
            ));
        }
    }
}
