//! The three SSO OIDC operations end to end, with a hand-written "transport" that answers as the
//! real service does, so it runs anywhere without a network or an AWS account:
//!
//! ```text
//! cargo run -p sso-oidc --example offline
//! ```
//!
//! A real transport sends each `http::Request` over HTTPS and hands back the `http::Response`,
//! whatever its status; `sso-oidc-ureq` and `sso-oidc-hyper` do exactly that.

use sso_oidc::{
    CreateToken, Endpoint, Error, ErrorCode, GrantType, RegisterClient, StartDeviceAuthorization,
};

/// Answers like the service: a registration, a device authorization, one pending poll, a token.
struct ScriptedService {
    polls: u32,
}

impl ScriptedService {
    fn send(&mut self, request: &http::Request<Vec<u8>>) -> http::Response<Vec<u8>> {
        let keys: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(request.body()).unwrap_or_default();
        // Print what was sent without the values: they include secrets.
        let members: Vec<&str> = keys.keys().map(String::as_str).collect();
        println!("> {} {} {members:?}", request.method(), request.uri());
        let (status, error_type, body) = match request.uri().path() {
            "/client/register" => (
                200,
                None,
                r#"{"authorizationEndpoint":null,"clientId":"example-client-id","clientIdIssuedAt":1763712000,"clientSecret":"example-client-secret","clientSecretExpiresAt":1771488000,"tokenEndpoint":null}"#,
            ),
            "/device_authorization" => (
                200,
                None,
                r#"{"deviceCode":"example-device-code","expiresIn":600,"interval":1,"userCode":"GPNW-SHFH","verificationUri":"https://device.sso.us-east-1.amazonaws.com/","verificationUriComplete":"https://device.sso.us-east-1.amazonaws.com/?user_code=GPNW-SHFH"}"#,
            ),
            "/token" if self.polls == 0 => {
                self.polls += 1;
                (
                    400,
                    Some(
                        "AuthorizationPendingException:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/",
                    ),
                    r#"{"error":"authorization_pending","error_description":"Authorization is still pending"}"#,
                )
            }
            _ => (
                200,
                None,
                r#"{"accessToken":"example-access-token","expiresIn":28800,"idToken":null,"refreshToken":"example-refresh-token","tokenType":"Bearer"}"#,
            ),
        };
        let mut response = http::Response::builder()
            .status(status)
            .header("content-type", "application/json");
        if let Some(error_type) = error_type {
            response = response.header("x-amzn-ErrorType", error_type);
        }
        let response = response
            .body(body.as_bytes().to_vec())
            .expect("static response");
        println!("< {}", response.status());
        response
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let endpoint = Endpoint::from_region("us-east-1")?;
    let mut service = ScriptedService { polls: 0 };

    let register = RegisterClient::builder()
        .client_name("sso-oidc-example")
        .scope("sso:account:access")
        .build()?;
    let client = RegisterClient::parse(service.send(&register.to_http(&endpoint)))?;
    println!(
        "registered {} (secret {})\n",
        client.client_id, client.client_secret
    );

    let start = StartDeviceAuthorization::builder()
        .client_id(&client.client_id)
        .client_secret(&client.client_secret)
        .start_url("https://d-1234567890.awsapps.com/start")
        .build()?;
    let device = StartDeviceAuthorization::parse(service.send(&start.to_http(&endpoint)))?;
    println!(
        "open {} and confirm {} (expires in {:?})\n",
        device.verification_uri, device.user_code, device.expires_in
    );

    let poll = CreateToken::builder()
        .client_id(&client.client_id)
        .client_secret(&client.client_secret)
        .grant_type(GrantType::DeviceCode)
        .device_code(&device.device_code)
        .build()?;
    // A real client waits `device.interval` between polls; the device flow in this crate's
    // state machine does that bookkeeping. Here the second poll succeeds.
    let token = loop {
        match CreateToken::parse(service.send(&poll.to_http(&endpoint))) {
            Ok(token) => break token,
            Err(Error::Service(e)) if e.code() == &ErrorCode::AuthorizationPending => {
                println!("still pending: {e}\n");
            }
            Err(e) => return Err(e.into()),
        }
    };
    println!(
        "\nsigned in: access token {} valid for {:?}, refresh token {}",
        token.access_token,
        token.expires_in,
        if token.refresh_token.is_some() {
            "received"
        } else {
            "absent"
        },
    );
    Ok(())
}
