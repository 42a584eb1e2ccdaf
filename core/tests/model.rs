//! The crate agrees with the service model, `tests/reference/sso-oidc/service-2.json`: operation paths
//! and methods, every exception and its status, every request member's name and whether it is
//! required, and every output member being read.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use serde_json::Value;
use sso_oidc::{
    BuildError, CreateToken, Endpoint, Error, ErrorCode, GrantType, Operation, ParseErrorKind,
    RegisterClient, StartDeviceAuthorization,
};

static MODEL: LazyLock<Value> = LazyLock::new(|| {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/reference/sso-oidc/service-2.json"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
});

fn shape(name: &str) -> &'static Value {
    &MODEL["shapes"][name]
}

fn members(shape_name: &str) -> BTreeSet<String> {
    shape(shape_name)["members"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect()
}

fn required(shape_name: &str) -> BTreeSet<String> {
    shape(shape_name)["required"]
        .as_array()
        .map(|r| r.iter().map(|m| m.as_str().unwrap().to_owned()).collect())
        .unwrap_or_default()
}

fn body_keys(request: &http::Request<Vec<u8>>) -> BTreeSet<String> {
    let body: Value = serde_json::from_slice(request.body()).unwrap();
    body.as_object().unwrap().keys().cloned().collect()
}

fn endpoint() -> Endpoint {
    Endpoint::from_region("us-west-2").unwrap()
}

#[test]
fn operations_match_the_model() {
    for operation in Operation::ALL {
        let model = &MODEL["operations"][operation.name()];
        assert_eq!(model["http"]["method"], "POST", "{operation}");
        assert_eq!(model["http"]["requestUri"], operation.path(), "{operation}");
        assert_eq!(model["authtype"], "none", "{operation} is unsigned");
    }
}

#[test]
fn every_exception_is_an_error_code_with_its_status() {
    let exceptions: BTreeSet<&str> = MODEL["shapes"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, s)| s["exception"] == true)
        .map(|(name, _)| name.as_str())
        .collect();
    let ours: BTreeSet<&str> = ErrorCode::MODELED
        .iter()
        .map(ErrorCode::shape_name)
        .collect();
    assert_eq!(ours, exceptions);
    for code in ErrorCode::MODELED {
        let status = shape(code.shape_name())["error"]["httpStatusCode"]
            .as_u64()
            .unwrap();
        assert_eq!(
            code.http_status().map(|s| u64::from(s.as_u16())),
            Some(status),
            "{code}"
        );
    }
}

#[test]
fn errors_our_operations_can_return_are_all_modeled() {
    for operation in Operation::ALL {
        for error in MODEL["operations"][operation.name()]["errors"]
            .as_array()
            .unwrap()
        {
            let name = error["shape"].as_str().unwrap();
            assert!(
                !matches!(ErrorCode::from_shape_name(name), ErrorCode::Other(_)),
                "{operation}: {name}"
            );
        }
    }
}

fn full_register() -> sso_oidc::RegisterClientBuilder {
    RegisterClient::builder()
        .client_name("n")
        .client_type("public")
        .scope("s")
        .redirect_uri("http://127.0.0.1/cb")
        .grant_type(GrantType::AuthorizationCode)
        .issuer_url("https://issuer")
        .entitled_application_arn("arn:aws:sso::1:application/a")
}

fn full_start() -> sso_oidc::StartDeviceAuthorizationBuilder {
    StartDeviceAuthorization::builder()
        .client_id("c")
        .client_secret("s")
        .start_url("https://d-1.awsapps.com/start")
}

fn full_token() -> sso_oidc::CreateTokenBuilder {
    CreateToken::builder()
        .client_id("c")
        .client_secret("s")
        .grant_type(GrantType::AuthorizationCode)
        .device_code("d")
        .code("c")
        .refresh_token("r")
        .scope("s")
        .redirect_uri("http://127.0.0.1/cb")
        .code_verifier("v")
}

#[test]
fn request_bodies_use_every_model_member_and_no_other() {
    let register = full_register().build().unwrap().to_http(&endpoint());
    assert_eq!(body_keys(&register), members("RegisterClientRequest"));
    let start = full_start().build().unwrap().to_http(&endpoint());
    assert_eq!(
        body_keys(&start),
        members("StartDeviceAuthorizationRequest")
    );
    let token = full_token().build().unwrap().to_http(&endpoint());
    assert_eq!(body_keys(&token), members("CreateTokenRequest"));
}

/// Leaving out each required member in turn is refused, naming it. (`clientType` is the one
/// exception: it defaults to `public`, the only value the service accepts.)
#[test]
fn required_members_are_enforced() {
    let check = |shape: &str, missing: &dyn Fn(&str) -> Result<(), BuildError>| {
        for member in required(shape) {
            let result = missing(&member);
            if member == "clientType" {
                assert_eq!(result, Ok(()));
                continue;
            }
            match result {
                Err(BuildError::MissingMember { member: named }) => {
                    assert_eq!(named, member, "{shape}");
                }
                other => panic!("{shape} without {member}: {other:?}"),
            }
        }
    };
    check("RegisterClientRequest", &|member| {
        let b = RegisterClient::builder();
        let b = if member == "clientName" {
            b
        } else {
            b.client_name("n")
        };
        b.build().map(drop)
    });
    check("StartDeviceAuthorizationRequest", &|member| {
        let mut b = StartDeviceAuthorization::builder();
        if member != "clientId" {
            b = b.client_id("c");
        }
        if member != "clientSecret" {
            b = b.client_secret("s");
        }
        if member != "startUrl" {
            b = b.start_url("https://x");
        }
        b.build().map(drop)
    });
    check("CreateTokenRequest", &|member| {
        let mut b = CreateToken::builder();
        if member != "clientId" {
            b = b.client_id("c");
        }
        if member != "clientSecret" {
            b = b.client_secret("s");
        }
        if member != "grantType" {
            b = b.grant_type("urn:example:custom");
        }
        b.build().map(drop)
    });
}

/// Every member of each output shape is read: a value of the wrong type in it is reported as
/// that member.
#[test]
fn every_output_member_is_read() {
    type Parser = fn(http::Response<Vec<u8>>) -> Option<Error>;
    let parsers: [(&str, Parser); 3] = [
        ("RegisterClientResponse", |r| RegisterClient::parse(r).err()),
        ("StartDeviceAuthorizationResponse", |r| {
            StartDeviceAuthorization::parse(r).err()
        }),
        ("CreateTokenResponse", |r| CreateToken::parse(r).err()),
    ];
    for (shape_name, parse) in parsers {
        for member in members(shape_name) {
            // An object is the wrong type for every member: they are strings and numbers.
            let body = format!(r#"{{"{member}":{{}}}}"#);
            let error = parse(http::Response::new(body.into_bytes()));
            match error {
                Some(Error::Parse(e)) => assert!(
                    matches!(e.kind(), ParseErrorKind::InvalidMember { member: named, .. } if *named == member),
                    "{shape_name}.{member}: {:?}",
                    e.kind()
                ),
                other => panic!("{shape_name}.{member}: {other:?}"),
            }
        }
    }
}

#[test]
fn the_models_sensitive_shapes_are_the_known_set() {
    // Each of these is a `Secret` here (tests/secrets.rs checks the types), as are deviceCode and
    // code, which grant tokens. A new sensitive shape must be reviewed before this passes.
    let sensitive: BTreeSet<&str> = MODEL["shapes"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, s)| s["sensitive"] == true)
        .map(|(name, _)| name.as_str())
        .collect();
    // SubjectToken and Assertion belong to CreateTokenWithIAM, which this crate does not speak.
    let expected: BTreeSet<&str> = [
        "AccessToken",
        "Assertion",
        "ClientSecret",
        "CodeVerifier",
        "IdToken",
        "RefreshToken",
        "SubjectToken",
    ]
    .into();
    assert_eq!(
        sensitive, expected,
        "the model's sensitive shapes changed: review Secret use"
    );
}

#[test]
fn every_sensitive_member_of_the_model_is_redacted_in_logs() {
    let mut sensitive = BTreeSet::new();
    for (name, definition) in MODEL["shapes"].as_object().unwrap() {
        for (member, target) in definition["members"].as_object().into_iter().flatten() {
            if shape(target["shape"].as_str().unwrap())["sensitive"] == true {
                sensitive.insert((name.clone(), member.clone()));
            }
        }
    }
    assert!(sensitive.len() >= 10, "{sensitive:?}");
    for (shape_name, member) in &sensitive {
        assert!(
            sso_oidc::SECRET_MEMBERS.contains(&member.as_str()),
            "{shape_name}.{member} is sensitive in the model"
        );
        let body = format!(r#"{{"{member}":"value-of-{member}"}}"#);
        assert!(!sso_oidc::redact_body(body.as_bytes()).contains("value-of"));
    }
    // Not marked sensitive in the model, but they sign a person in.
    for member in ["deviceCode", "code"] {
        assert!(sso_oidc::SECRET_MEMBERS.contains(&member));
    }
}
