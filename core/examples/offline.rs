//! A whole device-flow sign-in, driven by `DeviceFlow`, against a hand-written "transport" that
//! answers as the real service does, so it runs anywhere without a network or an AWS account;
//! then the token-cache record `aws sso login` would write:
//!
//! ```text
//! cargo run -p sso-oidc --example offline
//! ```
//!
//! A real transport sends each `http::Request` over HTTPS and hands back the `http::Response`,
//! whatever its status; `sso-oidc-ureq` and `sso-oidc-hyper` do exactly that.

use std::time::{Duration, Instant, UNIX_EPOCH};

use sso_oidc::{Action, CachedToken, DeviceFlow, DeviceFlowConfig, Endpoint, token_file_name};

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
    let mut service = ScriptedService { polls: 0 };
    let config = DeviceFlowConfig::builder()
        .endpoint(Endpoint::from_region("us-east-1")?)
        .start_url("https://d-1234567890.awsapps.com/start")
        .client_name("sso-oidc-example")
        .scope("sso:account:access")
        .build()?;

    // The flow never reads a clock: it is told the time. This example runs on simulated time,
    // starting at 2025-11-21T09:00:00Z, and jumps to each `WaitUntil` where a real driver
    // would sleep.
    let wall_start = UNIX_EPOCH + Duration::from_secs(1_763_715_600);
    let start = simulated_start();
    let mut now = start;
    let mut flow = DeviceFlow::new(config, now, wall_start);
    let login = loop {
        match flow.poll(now) {
            Action::Send(request) => flow.handle_response(service.send(&request), now),
            Action::Prompt(prompt) => println!(
                "\nopen {} and confirm {} (expires in {:?})\n",
                prompt.link(),
                prompt.user_code,
                prompt.expires_in
            ),
            Action::WaitUntil(t) => {
                println!("  (waiting {:?})", t - now);
                now = t;
            }
            Action::Done(login) => break login,
            Action::Failed(error) => return Err(error.into()),
        }
    };
    println!(
        "\nsigned in after {:?}: access token {} valid for {:?}, refresh token {}",
        now - start,
        login.token.access_token,
        login.token.expires_in,
        if login.token.refresh_token.is_some() {
            "received"
        } else {
            "absent"
        },
    );

    // What `aws sso login --sso-session my-sso` would write to ~/.aws/sso/cache/.
    let record = CachedToken::from_login(&login, "us-east-1");
    let json: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&record.to_json())?;
    println!(
        "cache file {} with {:?}, expiring {}",
        token_file_name("my-sso"),
        json.keys().collect::<Vec<_>>(),
        json["expiresAt"]
    );
    Ok(())
}

/// An arbitrary starting instant for simulated time: the one clock reading in this example.
#[allow(clippy::disallowed_methods)]
fn simulated_start() -> Instant {
    Instant::now()
}
