//! Every request, byte for byte: method, URL, headers and JSON body, and the builder errors that
//! name the member at fault.

use sso_oidc::{
    BuildError, CreateToken, Endpoint, GrantType, RegisterClient, StartDeviceAuthorization,
};

fn endpoint() -> Endpoint {
    Endpoint::from_region("us-east-1").unwrap()
}

/// Asserts the envelope every operation shares and returns the body as text.
fn check(request: &http::Request<Vec<u8>>, path: &str) -> String {
    assert_eq!(request.method(), http::Method::POST);
    assert_eq!(
        request.uri().to_string(),
        format!("https://oidc.us-east-1.amazonaws.com{path}")
    );
    assert_eq!(request.headers()["content-type"], "application/json");
    assert_eq!(
        request.headers()["user-agent"],
        concat!("sso-oidc/", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(request.headers().len(), 2, "{:?}", request.headers());
    String::from_utf8(request.body().clone()).unwrap()
}

#[test]
fn register_client_minimal() {
    let request = RegisterClient::builder()
        .client_name("sso-oidc")
        .build()
        .unwrap();
    assert_eq!(
        check(&request.to_http(&endpoint()), "/client/register"),
        r#"{"clientName":"sso-oidc","clientType":"public"}"#
    );
}

#[test]
fn register_client_every_member_in_model_order() {
    let request = RegisterClient::builder()
        .entitled_application_arn("arn:aws:sso::123456789012:application/ssoins-1/apl-1")
        .issuer_url("https://identitycenter.amazonaws.com/ssoins-1")
        .grant_type(GrantType::AuthorizationCode)
        .grant_type(GrantType::RefreshToken)
        .redirect_uri("http://127.0.0.1:5432/oauth/callback")
        .scopes(["sso:account:access", "codewhisperer:completions"])
        .client_type("public")
        .client_name("botocore-client-my-sso")
        .build()
        .unwrap();
    assert_eq!(
        check(&request.to_http(&endpoint()), "/client/register"),
        concat!(
            r#"{"clientName":"botocore-client-my-sso","clientType":"public","#,
            r#""scopes":["sso:account:access","codewhisperer:completions"],"#,
            r#""redirectUris":["http://127.0.0.1:5432/oauth/callback"],"#,
            r#""grantTypes":["authorization_code","refresh_token"],"#,
            r#""issuerUrl":"https://identitycenter.amazonaws.com/ssoins-1","#,
            r#""entitledApplicationArn":"arn:aws:sso::123456789012:application/ssoins-1/apl-1"}"#
        )
    );
}

#[test]
fn register_client_empty_scope_list_is_sent_as_empty() {
    let request = RegisterClient::builder()
        .client_name("x")
        .scopes(Vec::<String>::new())
        .build()
        .unwrap();
    assert_eq!(
        request.to_http(&endpoint()).body(),
        br#"{"clientName":"x","clientType":"public","scopes":[]}"#
    );
}

#[test]
fn start_device_authorization() {
    let request = StartDeviceAuthorization::builder()
        .client_id("cid")
        .client_secret("csecret")
        .start_url("https://d-1234567890.awsapps.com/start#/")
        .build()
        .unwrap();
    assert_eq!(
        check(&request.to_http(&endpoint()), "/device_authorization"),
        r#"{"clientId":"cid","clientSecret":"csecret","startUrl":"https://d-1234567890.awsapps.com/start#/"}"#
    );
}

fn token_builder() -> sso_oidc::CreateTokenBuilder {
    CreateToken::builder()
        .client_id("cid")
        .client_secret("csecret")
}

#[test]
fn create_token_device_code_grant() {
    let request = token_builder()
        .grant_type(GrantType::DeviceCode)
        .device_code("dcode")
        .build()
        .unwrap();
    assert_eq!(
        check(&request.to_http(&endpoint()), "/token"),
        concat!(
            r#"{"clientId":"cid","clientSecret":"csecret","#,
            r#""grantType":"urn:ietf:params:oauth:grant-type:device_code","deviceCode":"dcode"}"#
        )
    );
}

#[test]
fn create_token_refresh_token_grant_with_scopes() {
    let request = token_builder()
        .grant_type(GrantType::RefreshToken)
        .refresh_token("rtoken")
        .scope("sso:account:access")
        .build()
        .unwrap();
    assert_eq!(
        check(&request.to_http(&endpoint()), "/token"),
        concat!(
            r#"{"clientId":"cid","clientSecret":"csecret","grantType":"refresh_token","#,
            r#""refreshToken":"rtoken","scope":["sso:account:access"]}"#
        )
    );
}

#[test]
fn create_token_authorization_code_grant_with_pkce() {
    let request = token_builder()
        .grant_type(GrantType::AuthorizationCode)
        .code("acode")
        .redirect_uri("http://127.0.0.1:5432/oauth/callback")
        .code_verifier("verifier-0123456789-0123456789-0123456789-xyz")
        .build()
        .unwrap();
    assert_eq!(
        check(&request.to_http(&endpoint()), "/token"),
        concat!(
            r#"{"clientId":"cid","clientSecret":"csecret","grantType":"authorization_code","#,
            r#""code":"acode","redirectUri":"http://127.0.0.1:5432/oauth/callback","#,
            r#""codeVerifier":"verifier-0123456789-0123456789-0123456789-xyz"}"#
        )
    );
}

#[test]
fn create_token_other_grant_types_pass_through() {
    let request = token_builder()
        .grant_type("urn:example:custom")
        .build()
        .unwrap();
    assert_eq!(
        request.to_http(&endpoint()).body(),
        br#"{"clientId":"cid","clientSecret":"csecret","grantType":"urn:example:custom"}"#
    );
}

#[test]
fn json_special_characters_are_escaped() {
    let request = RegisterClient::builder()
        .client_name("quote\" backslash\\ newline\n tab\t é \u{1}")
        .build()
        .unwrap();
    let body = request.to_http(&endpoint()).into_body();
    let value: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        value["clientName"],
        "quote\" backslash\\ newline\n tab\t é \u{1}"
    );
}

#[test]
fn custom_endpoint_keeps_its_prefix_and_scheme() {
    let request = RegisterClient::builder().client_name("x").build().unwrap();
    let http = request.to_http(&Endpoint::from_url("http://127.0.0.1:4566/sso-oidc/").unwrap());
    assert_eq!(
        http.uri().to_string(),
        "http://127.0.0.1:4566/sso-oidc/client/register"
    );
}

#[test]
fn missing_members_are_named() {
    use BuildError::MissingMember;
    assert_eq!(
        RegisterClient::builder().build(),
        Err(MissingMember {
            member: "clientName"
        })
    );
    let start = StartDeviceAuthorization::builder;
    assert_eq!(start().build(), Err(MissingMember { member: "clientId" }));
    assert_eq!(
        start().client_id("c").build(),
        Err(MissingMember {
            member: "clientSecret"
        })
    );
    assert_eq!(
        start().client_id("c").client_secret("s").build(),
        Err(MissingMember { member: "startUrl" })
    );
    assert_eq!(
        CreateToken::builder().build(),
        Err(MissingMember { member: "clientId" })
    );
    assert_eq!(
        CreateToken::builder().client_id("c").build(),
        Err(MissingMember {
            member: "clientSecret"
        })
    );
    assert_eq!(
        token_builder().build(),
        Err(MissingMember {
            member: "grantType"
        })
    );
}

#[test]
fn a_lenient_build_checks_only_what_the_model_requires() {
    use BuildError::{BlankMember, MissingMember};
    // The device grant without its device code: for the service to refuse, as botocore lets
    // it through.
    let request = token_builder()
        .grant_type(GrantType::DeviceCode)
        .build_lenient()
        .unwrap();
    let body = String::from_utf8(request.to_http(&endpoint()).into_body()).unwrap();
    assert!(!body.contains("deviceCode"), "{body}");
    assert_eq!(
        CreateToken::builder()
            .client_id("id")
            .client_secret("s")
            .build_lenient(),
        Err(MissingMember {
            member: "grantType"
        })
    );
    assert!(matches!(
        token_builder()
            .grant_type(GrantType::RefreshToken)
            .refresh_token(" ")
            .build_lenient(),
        Err(BlankMember { .. })
    ));
}

#[test]
fn each_grant_type_needs_its_members() {
    use BuildError::MissingMember;
    assert_eq!(
        token_builder().grant_type(GrantType::DeviceCode).build(),
        Err(MissingMember {
            member: "deviceCode"
        })
    );
    assert_eq!(
        token_builder()
            .grant_type(GrantType::RefreshToken)
            .device_code("d")
            .build(),
        Err(MissingMember {
            member: "refreshToken"
        })
    );
    let auth = || token_builder().grant_type(GrantType::AuthorizationCode);
    assert_eq!(auth().build(), Err(MissingMember { member: "code" }));
    assert_eq!(
        auth().code("c").build(),
        Err(MissingMember {
            member: "redirectUri"
        })
    );
    assert_eq!(
        auth().code("c").redirect_uri("http://127.0.0.1/cb").build(),
        Err(MissingMember {
            member: "codeVerifier"
        })
    );
}

#[test]
fn blank_members_are_refused() {
    use BuildError::BlankMember;
    assert_eq!(
        RegisterClient::builder().client_name("  ").build(),
        Err(BlankMember {
            member: "clientName"
        })
    );
    assert_eq!(
        RegisterClient::builder()
            .client_name("x")
            .client_type("")
            .build(),
        Err(BlankMember {
            member: "clientType"
        })
    );
    assert_eq!(
        RegisterClient::builder()
            .client_name("x")
            .scope("a")
            .scope("\t")
            .build(),
        Err(BlankMember { member: "scopes" })
    );
    assert_eq!(
        RegisterClient::builder()
            .client_name("x")
            .issuer_url(" ")
            .build(),
        Err(BlankMember {
            member: "issuerUrl"
        })
    );
    assert_eq!(
        StartDeviceAuthorization::builder()
            .client_id("c")
            .client_secret("\n")
            .start_url("https://x")
            .build(),
        Err(BlankMember {
            member: "clientSecret"
        })
    );
    assert_eq!(
        token_builder()
            .grant_type(GrantType::DeviceCode)
            .device_code("")
            .build(),
        Err(BlankMember {
            member: "deviceCode"
        })
    );
    assert_eq!(
        token_builder()
            .grant_type(GrantType::RefreshToken)
            .refresh_token("r")
            .scope("")
            .build(),
        Err(BlankMember { member: "scope" })
    );
}

#[test]
fn start_url_must_be_http_or_https() {
    for bad in [
        "d-1234567890.awsapps.com/start",
        "file:///etc/passwd",
        "https://",
        "https://a b",
    ] {
        let result = StartDeviceAuthorization::builder()
            .client_id("c")
            .client_secret("s")
            .start_url(bad)
            .build();
        assert!(
            matches!(
                result,
                Err(BuildError::InvalidMember {
                    member: "startUrl",
                    ..
                })
            ),
            "{bad}: {result:?}"
        );
    }
    let ok = StartDeviceAuthorization::builder()
        .client_id("c")
        .client_secret("s")
        .start_url("http://127.0.0.1:8080/start")
        .build();
    assert!(ok.is_ok());
}

#[test]
fn build_errors_read_well() {
    assert_eq!(
        BuildError::MissingMember { member: "clientId" }.to_string(),
        "missing required member `clientId`"
    );
    assert_eq!(
        BuildError::BlankMember { member: "scope" }.to_string(),
        "member `scope` must not be blank"
    );
}
