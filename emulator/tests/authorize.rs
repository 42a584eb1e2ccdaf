//! The authorization-code grant with PKCE: `GET /authorize`, its approval page, the redirect,
//! CreateToken's checks of the code, RegisterClient's checks, and scripted decisions whose
//! redirect the emulator follows itself.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::time::{Duration, Instant};

use base64::Engine as _;
use sso_oidc::{CreateToken, Endpoint, ErrorCode, GrantType, RegisterClient, Token};
use sso_oidc_emulator::{BlockingEmulator, Config, Service};

mod support;
use support::{BASE, code, start, wall};

const CALLBACK: &str = "http://127.0.0.1/oauth/callback";
const START_URL: &str = "https://d-1234567890.awsapps.com/start";
const VERIFIER: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~";

fn challenge(verifier: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, verifier.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest.as_ref())
}

fn query(uri: &str) -> HashMap<String, String> {
    let query = uri.split_once('?').map_or("", |(_, q)| q);
    form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

fn body(response: &http::Response<Vec<u8>>) -> String {
    String::from_utf8_lossy(response.body()).into_owned()
}

fn location(response: &http::Response<Vec<u8>>) -> String {
    assert_eq!(response.status(), 302, "{}", body(response));
    response.headers()["location"].to_str().unwrap().to_owned()
}

/// A client registered as the AWS CLI registers for PKCE, on simulated time.
struct Pkce {
    service: Service,
    now: Instant,
    endpoint: Endpoint,
    client_id: String,
    client_secret: String,
}

impl Pkce {
    fn new(config: Config) -> Self {
        let mut service = Service::new(config, BASE);
        let endpoint = Endpoint::from_url(BASE).unwrap();
        let register = RegisterClient::builder()
            .client_name("botocore-client-test")
            .grant_type(GrantType::AuthorizationCode.as_str())
            .grant_type(GrantType::RefreshToken.as_str())
            .redirect_uri(CALLBACK)
            .issuer_url(START_URL)
            .scope("sso:account:access")
            .build()
            .unwrap();
        let client =
            RegisterClient::parse(service.handle(&register.to_http(&endpoint), start(), wall()))
                .unwrap();
        Self {
            service,
            now: start(),
            endpoint,
            client_id: client.client_id,
            client_secret: client.client_secret.expose().clone(),
        }
    }

    /// The AWS CLI's authorize query, with `changes` applied (an empty value drops a
    /// parameter).
    fn authorize_uri(&self, port: u16, changes: &[(&str, &str)]) -> String {
        let redirect = format!("http://127.0.0.1:{port}/oauth/callback");
        let challenge = challenge(VERIFIER);
        let mut params = vec![
            ("response_type", "code"),
            ("client_id", self.client_id.as_str()),
            ("redirect_uri", redirect.as_str()),
            ("state", "b1e5f7c2-state"),
            ("code_challenge_method", "S256"),
            ("scopes", "sso:account:access"),
            ("code_challenge", challenge.as_str()),
        ];
        for (name, value) in changes {
            params.retain(|(n, _)| n != name);
            if !value.is_empty() {
                params.push((name, value));
            }
        }
        let query = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(params)
            .finish();
        format!("{BASE}/authorize?{query}")
    }

    fn get(&mut self, uri: &str) -> http::Response<Vec<u8>> {
        let request = http::Request::get(uri).body(Vec::new()).unwrap();
        self.service.handle(&request, self.now, wall())
    }

    /// The approval page's form, sent with `action`.
    fn decide(&mut self, page: &http::Response<Vec<u8>>, action: &str) -> http::Response<Vec<u8>> {
        let html = body(page);
        let id = html
            .split("name=\"request\" value=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("a request id on the page");
        let form = format!("request={id}&action={action}");
        let request = http::Request::post(format!("{BASE}/authorize"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form.into_bytes())
            .unwrap();
        self.service.handle(&request, self.now, wall())
    }

    /// Authorize on port 53121 and approve on the page: the redirect's query.
    fn approved(&mut self) -> HashMap<String, String> {
        let page = self.get(&self.authorize_uri(53121, &[]));
        assert_eq!(page.status(), 200, "{}", body(&page));
        query(&location(&self.decide(&page, "approve")))
    }

    fn exchange(
        &mut self,
        code: &str,
        redirect_uri: &str,
        verifier: &str,
    ) -> Result<Token, sso_oidc::Error> {
        let request = CreateToken::builder()
            .client_id(&self.client_id)
            .client_secret(self.client_secret.as_str())
            .grant_type(GrantType::AuthorizationCode.as_str())
            .code(code)
            .redirect_uri(redirect_uri)
            .code_verifier(verifier)
            .build()
            .unwrap();
        CreateToken::parse(
            self.service
                .handle(&request.to_http(&self.endpoint), self.now, wall()),
        )
    }
}

const REDIRECT: &str = "http://127.0.0.1:53121/oauth/callback";

#[test]
fn allow_redirects_with_a_code_and_the_state_and_the_code_buys_tokens_that_refresh() {
    let mut pkce = Pkce::new(Config::default());
    let page = pkce.get(&pkce.authorize_uri(53121, &[]));
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["content-type"], "text/html; charset=utf-8");
    let html = body(&page);
    assert!(html.contains("botocore-client-test"), "{html}");
    assert!(html.contains("<code>sso:account:access</code>"));
    assert!(html.contains(START_URL));
    assert!(html.contains("id=\"approve\"") && html.contains("id=\"deny\""));
    assert!(!html.contains("<script"));

    let location = location(&pkce.decide(&page, "approve"));
    assert!(
        location.starts_with(&format!("{REDIRECT}?code=")),
        "{location}"
    );
    let redirect = query(&location);
    assert_eq!(redirect["state"], "b1e5f7c2-state");

    let token = pkce
        .exchange(&redirect["code"], REDIRECT, VERIFIER)
        .unwrap();
    assert_eq!(token.expires_in, Duration::from_secs(28_800));
    let refresh = CreateToken::builder()
        .client_id(&pkce.client_id)
        .client_secret(pkce.client_secret.as_str())
        .grant_type(GrantType::RefreshToken.as_str())
        .refresh_token(token.refresh_token.clone().expect("a refresh token"))
        .build()
        .unwrap();
    let refreshed = CreateToken::parse(pkce.service.handle(
        &refresh.to_http(&pkce.endpoint),
        pkce.now,
        wall(),
    ));
    assert!(refreshed.is_ok(), "{refreshed:?}");

    // The page's request is spent.
    let again = pkce.decide(&page, "approve");
    assert_eq!(again.status(), 404);
}

#[test]
fn deny_redirects_with_access_denied_and_the_state() {
    let mut pkce = Pkce::new(Config::default());
    let page = pkce.get(&pkce.authorize_uri(53121, &[("state", "s p&ce")]));
    let location = location(&pkce.decide(&page, "deny"));
    assert!(location.starts_with(&format!(
        "{REDIRECT}?error=access_denied&error_description="
    )));
    let redirect = query(&location);
    assert_eq!(redirect["state"], "s p&ce");
    assert!(!redirect.contains_key("code"));
}

#[test]
fn any_loopback_port_matches_the_registered_uri() {
    let mut pkce = Pkce::new(Config::default());
    for port in [1, 8080, 53121, 65535] {
        let page = pkce.get(&pkce.authorize_uri(port, &[]));
        assert_eq!(page.status(), 200, "port {port}: {}", body(&page));
    }
}

#[test]
fn a_bad_client_or_redirect_uri_gets_an_error_page_never_a_redirect() {
    let mut pkce = Pkce::new(Config::default());
    for changes in [
        &[("client_id", "nobody")][..],
        &[("client_id", "")],
        &[("redirect_uri", "http://127.0.0.1:53121/elsewhere")],
        &[("redirect_uri", "https://attacker.example/oauth/callback")],
        &[("redirect_uri", "http://localhost:53121/oauth/callback")],
        &[("redirect_uri", "")],
    ] {
        let response = pkce.get(&pkce.authorize_uri(53121, changes));
        assert_eq!(response.status(), 400, "{changes:?}");
        assert!(response.headers().get("location").is_none(), "{changes:?}");
        assert_eq!(
            response.headers()["content-type"],
            "text/html; charset=utf-8"
        );
        assert!(!body(&response).contains("attacker"));
    }
}

#[test]
fn a_device_client_cannot_authorize() {
    // Registered as the device flow registers: no grant types, no redirect URIs.
    let mut session = support::Session::new(Config::default());
    let uri = format!(
        "{BASE}/authorize?response_type=code&client_id={}&redirect_uri={}&code_challenge_method=S256&code_challenge={}",
        session.client_id,
        "http%3A%2F%2F127.0.0.1%3A5%2Foauth%2Fcallback",
        challenge(VERIFIER)
    );
    let request = http::Request::get(uri).body(Vec::new()).unwrap();
    let response = session.service.handle(&request, session.now, wall());
    assert_eq!(response.status(), 400);
    assert!(response.headers().get("location").is_none());
}

#[test]
fn other_mistakes_redirect_with_the_error_and_the_state() {
    let mut pkce = Pkce::new(Config::default());
    let short = &challenge(VERIFIER)[..42];
    for (changes, error) in [
        (
            &[("response_type", "token")][..],
            "unsupported_response_type",
        ),
        (&[("response_type", "")], "invalid_request"),
        (&[("code_challenge_method", "plain")], "invalid_request"),
        (&[("code_challenge_method", "")], "invalid_request"),
        (&[("code_challenge", "")], "invalid_request"),
        (&[("code_challenge", short)], "invalid_request"),
        (
            &[("scopes", "sso:account:access codewhisperer:completions")],
            "invalid_scope",
        ),
    ] {
        let location = location(&pkce.get(&pkce.authorize_uri(53121, changes)));
        assert!(location.starts_with(REDIRECT), "{location}");
        let redirect = query(&location);
        assert_eq!(redirect["error"], error, "{changes:?}");
        assert_eq!(redirect["state"], "b1e5f7c2-state");
        assert!(!redirect.contains_key("code"));
    }
}

#[test]
fn create_token_checks_the_verifier_the_redirect_uri_and_single_use() {
    let mut pkce = Pkce::new(Config::default());
    let redirect = pkce.approved();
    let code_value = redirect["code"].clone();
    let other_verifier = "x".repeat(64);
    assert_eq!(
        code(pkce.exchange(&code_value, REDIRECT, &other_verifier)),
        ErrorCode::InvalidGrant
    );
    assert_eq!(
        code(pkce.exchange(
            &code_value,
            "http://127.0.0.1:53122/oauth/callback",
            VERIFIER
        )),
        ErrorCode::InvalidGrant
    );
    assert_eq!(
        code(pkce.exchange(&code_value, CALLBACK, VERIFIER)),
        ErrorCode::InvalidGrant
    );
    assert_eq!(
        code(pkce.exchange("made-up", REDIRECT, VERIFIER)),
        ErrorCode::InvalidGrant
    );
    assert!(pkce.exchange(&code_value, REDIRECT, VERIFIER).is_ok());
    let reused = pkce.exchange(&code_value, REDIRECT, VERIFIER).unwrap_err();
    assert_eq!(reused.code(), Some(&ErrorCode::InvalidGrant));
    assert_eq!(reused.status().map(|s| s.as_u16()), Some(400));
}

#[test]
fn a_code_lives_five_minutes() {
    let mut pkce = Pkce::new(Config::default());
    let first = pkce.approved();
    let second = pkce.approved();
    pkce.now += Duration::from_secs(299);
    assert!(pkce.exchange(&first["code"], REDIRECT, VERIFIER).is_ok());
    pkce.now += Duration::from_secs(1);
    assert_eq!(
        code(pkce.exchange(&second["code"], REDIRECT, VERIFIER)),
        ErrorCode::InvalidGrant
    );
}

#[test]
fn a_code_is_only_for_the_client_it_was_issued_to() {
    let mut pkce = Pkce::new(Config::default());
    let redirect = pkce.approved();
    let register = RegisterClient::builder()
        .client_name("other")
        .grant_type(GrantType::AuthorizationCode.as_str())
        .redirect_uri(CALLBACK)
        .build()
        .unwrap();
    let response = pkce
        .service
        .handle(&register.to_http(&pkce.endpoint), pkce.now, wall());
    let other = RegisterClient::parse(response).unwrap();
    pkce.client_id = other.client_id;
    pkce.client_secret = other.client_secret.expose().clone();
    assert_eq!(
        code(pkce.exchange(&redirect["code"], REDIRECT, VERIFIER)),
        ErrorCode::InvalidGrant
    );
}

#[test]
fn create_token_names_the_missing_member() {
    let mut pkce = Pkce::new(Config::default());
    for (missing, body) in [
        (
            "code",
            format!(
                r#"{{"clientId":"{}","clientSecret":"{}","grantType":"authorization_code","redirectUri":"{REDIRECT}","codeVerifier":"{VERIFIER}"}}"#,
                pkce.client_id, pkce.client_secret
            ),
        ),
        (
            "redirectUri",
            format!(
                r#"{{"clientId":"{}","clientSecret":"{}","grantType":"authorization_code","code":"c","codeVerifier":"{VERIFIER}"}}"#,
                pkce.client_id, pkce.client_secret
            ),
        ),
        (
            "codeVerifier",
            format!(
                r#"{{"clientId":"{}","clientSecret":"{}","grantType":"authorization_code","code":"c","redirectUri":"{REDIRECT}"}}"#,
                pkce.client_id, pkce.client_secret
            ),
        ),
    ] {
        let response = pkce
            .service
            .handle(&support::post("/token", &body), pkce.now, wall());
        assert_eq!(response.status(), 400);
        assert_eq!(
            support::json(&response)["error_description"],
            format!("Missing required parameter: {missing}")
        );
        assert_eq!(support::json(&response)["error"], "invalid_request");
    }
}

#[test]
fn register_client_checks_grant_types_and_redirect_uris() {
    let mut service = Service::new(Config::default(), BASE);
    let register = |service: &mut Service, extra: &str| {
        let body = format!(r#"{{"clientName":"t","clientType":"public"{extra}}}"#);
        service.handle(&support::post("/client/register", &body), start(), wall())
    };
    for (extra, shape, error) in [
        (
            r#","grantTypes":["password"]"#,
            "InvalidClientMetadataException",
            "invalid_client_metadata",
        ),
        (
            r#","grantTypes":["urn:ietf:params:oauth:grant-type:jwt-bearer"]"#,
            "InvalidClientMetadataException",
            "invalid_client_metadata",
        ),
        (
            r#","grantTypes":["authorization_code"]"#,
            "InvalidRedirectUriException",
            "invalid_redirect_uri",
        ),
        (
            r#","grantTypes":["authorization_code"],"redirectUris":["/oauth/callback"]"#,
            "InvalidRedirectUriException",
            "invalid_redirect_uri",
        ),
        (
            r#","redirectUris":["ftp://127.0.0.1/cb"]"#,
            "InvalidRedirectUriException",
            "invalid_redirect_uri",
        ),
        (
            r#","redirectUris":["http://127.0.0.1/cb#frag"]"#,
            "InvalidRedirectUriException",
            "invalid_redirect_uri",
        ),
        (
            r#","grantTypes":"authorization_code""#,
            "InvalidRequestException",
            "invalid_request",
        ),
    ] {
        let response = register(&mut service, extra);
        assert_eq!(response.status(), 400, "{extra}");
        let error_type = response.headers()["x-amzn-errortype"].to_str().unwrap();
        assert!(
            error_type.starts_with(&format!("{shape}:")),
            "{extra}: {error_type}"
        );
        assert_eq!(support::json(&response)["error"], error, "{extra}");
    }
    for extra in [
        "",
        r#","grantTypes":["urn:ietf:params:oauth:grant-type:device_code","refresh_token"]"#,
        r#","grantTypes":["authorization_code","refresh_token"],"redirectUris":["http://127.0.0.1/oauth/callback"]"#,
        r#","grantTypes":null,"redirectUris":["https://example.com/cb"]"#,
    ] {
        assert_eq!(register(&mut service, extra).status(), 200, "{extra}");
    }
}

#[test]
fn scripted_approval_answers_the_redirect_without_a_page() {
    let mut pkce = Pkce::new(Config::default().approve_authorizations());
    let redirect = query(&location(&pkce.get(&pkce.authorize_uri(53121, &[]))));
    assert_eq!(redirect["state"], "b1e5f7c2-state");
    assert!(pkce.exchange(&redirect["code"], REDIRECT, VERIFIER).is_ok());

    let mut denied = Pkce::new(Config::default().deny_authorizations());
    let redirect = query(&location(&denied.get(&denied.authorize_uri(53121, &[]))));
    assert_eq!(redirect["error"], "access_denied");
}

#[test]
fn the_log_masks_codes_and_verifiers() {
    let mut pkce = Pkce::new(Config::default());
    let redirect = pkce.approved();
    pkce.exchange(&redirect["code"], REDIRECT, VERIFIER)
        .unwrap();
    let log = pkce.service.log();
    let authorize = log
        .iter()
        .find(|entry| entry.uri.contains("/authorize?"))
        .expect("logged");
    assert_eq!(authorize.method, http::Method::GET);
    assert_eq!(authorize.status.map(|s| s.as_u16()), Some(200));
    assert!(authorize.uri.contains("state=b1e5f7c2-state"));
    for entry in log {
        assert!(!entry.uri.contains(&redirect["code"]), "{entry:?}");
        assert!(!entry.body.contains(&redirect["code"]), "{entry:?}");
        assert!(!entry.body.contains(VERIFIER), "{entry:?}");
    }
    let exchange = log.last().unwrap();
    assert!(
        exchange.body.contains(r#""code":"<masked>""#),
        "{}",
        exchange.body
    );
    assert!(exchange.body.contains(r#""codeVerifier":"<masked>""#));
}

/// What a test listener on 127.0.0.1 received: its request line.
fn listen_once() -> (u16, std::thread::JoinHandle<String>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let thread = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut head = Vec::new();
        let mut byte = [0; 1];
        while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap() == 1 {
            head.push(byte[0]);
        }
        stream
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
            .unwrap();
        String::from_utf8(head).unwrap()
    });
    (port, thread)
}

#[test]
fn a_scripted_approval_is_followed_to_the_loopback_listener_as_a_browser_would() {
    let emulator = BlockingEmulator::start(Config::default().approve_authorizations()).unwrap();
    let endpoint = Endpoint::from_url(emulator.url()).unwrap();
    let register = RegisterClient::builder()
        .client_name("scripted")
        .grant_type(GrantType::AuthorizationCode.as_str())
        .redirect_uri(CALLBACK)
        .build()
        .unwrap();
    let client = RegisterClient::parse(support::wire::send(
        emulator.addr(),
        &register.to_http(&endpoint),
    ))
    .unwrap();
    let (port, listener) = listen_once();
    let redirect = format!("http://127.0.0.1:{port}/oauth/callback");
    let authorize = format!(
        "{}/authorize?response_type=code&client_id={}&redirect_uri={}&state=st8&code_challenge_method=S256&scopes=sso%3Aaccount%3Aaccess&code_challenge={}",
        emulator.url(),
        client.client_id,
        form_urlencoded::byte_serialize(redirect.as_bytes()).collect::<String>(),
        challenge(VERIFIER),
    );
    let response = support::wire::send(
        emulator.addr(),
        &http::Request::get(authorize).body(Vec::new()).unwrap(),
    );
    let head = listener.join().unwrap();
    assert_eq!(response.status(), 200);
    let page = body(&response);
    assert!(page.contains("answered HTTP 200"), "{page}");

    let request_line = head.lines().next().unwrap();
    assert!(
        request_line.starts_with("GET /oauth/callback?code="),
        "{head}"
    );
    assert!(request_line.ends_with("&state=st8 HTTP/1.1"), "{head}");
    assert!(
        head.contains(&format!("Host: 127.0.0.1:{port}\r\n")),
        "{head}"
    );

    let target = request_line.split(' ').nth(1).unwrap();
    let code_value = query(target)["code"].clone();
    let exchange = CreateToken::builder()
        .client_id(&client.client_id)
        .client_secret(client.client_secret.expose().as_str())
        .grant_type(GrantType::AuthorizationCode.as_str())
        .code(code_value.as_str())
        .redirect_uri(redirect.as_str())
        .code_verifier(VERIFIER)
        .build()
        .unwrap();
    let token = CreateToken::parse(support::wire::send(
        emulator.addr(),
        &exchange.to_http(&endpoint),
    ));
    assert!(token.is_ok(), "{token:?}");
}

#[test]
fn a_scripted_redirect_to_a_closed_port_says_so_on_the_page() {
    let emulator = BlockingEmulator::start(Config::default().deny_authorizations()).unwrap();
    let endpoint = Endpoint::from_url(emulator.url()).unwrap();
    let register = RegisterClient::builder()
        .client_name("scripted")
        .grant_type(GrantType::AuthorizationCode.as_str())
        .redirect_uri(CALLBACK)
        .build()
        .unwrap();
    let client = RegisterClient::parse(support::wire::send(
        emulator.addr(),
        &register.to_http(&endpoint),
    ))
    .unwrap();
    // A port nobody listens on: bound, then closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let authorize = format!(
        "{}/authorize?response_type=code&client_id={}&redirect_uri=http%3A%2F%2F127.0.0.1%3A{port}%2Foauth%2Fcallback&code_challenge_method=S256&code_challenge={}",
        emulator.url(),
        client.client_id,
        challenge(VERIFIER),
    );
    let response = support::wire::send(
        emulator.addr(),
        &http::Request::get(authorize).body(Vec::new()).unwrap(),
    );
    assert_eq!(response.status(), 200);
    assert!(
        body(&response).contains("could not be reached"),
        "{}",
        body(&response)
    );
}
