//! The verification page in a real browser: headless Chromium, driven through chromedriver,
//! opens the complete URI a pending client was given, checks the code, and approves or denies;
//! the client, polling all along over loopback, then gets its token or `access_denied`. Then
//! an application's authorization request (PKCE): Allow on its page brings the browser back to
//! the application's loopback listener with the code, which buys a token.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them). Without
//! chromedriver the test is skipped with a note, except in CI (`CI=true`), where it fails.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use fantoccini::{Client, Locator};
use sso_oidc::{Action, DeviceFlow, DeviceFlowConfig, Endpoint, FlowError, Login};
use sso_oidc_emulator::{BlockingEmulator, Config};

mod support;
use support::chromium::{Driver, chromedriver_is_there};
use support::wire::send;

/// A client signing in on its own thread, in real time.
struct SignIn {
    /// The prompt's user code and complete URI.
    prompt: mpsc::Receiver<(String, String)>,
    /// How it ended.
    client: thread::JoinHandle<Result<Login, FlowError>>,
}

/// Starts a [`SignIn`] against `url`.
fn sign_in(url: &str) -> SignIn {
    let config = DeviceFlowConfig::builder()
        .endpoint(Endpoint::from_url(url).unwrap())
        .start_url("https://d-1234567890.awsapps.com/start")
        .build()
        .unwrap();
    let (prompted, prompt) = mpsc::channel();
    let client = thread::spawn(move || {
        let mut flow = DeviceFlow::new(config, Instant::now(), SystemTime::now());
        loop {
            match flow.poll(Instant::now()) {
                Action::Send(request) => {
                    let addr = request.uri().authority().unwrap().as_str().parse().unwrap();
                    let response = send(addr, &request);
                    flow.handle_response(response, Instant::now());
                }
                Action::Prompt(prompt) => {
                    let _ = prompted.send((prompt.user_code.clone(), prompt.link().to_owned()));
                }
                Action::WaitUntil(at) => {
                    thread::sleep(at.saturating_duration_since(Instant::now()));
                }
                Action::Done(login) => return Ok(login),
                Action::Failed(error) => return Err(error),
            }
        }
    });
    SignIn { prompt, client }
}

/// Opens `link`, reads the code shown, clicks `button`, and reads the outcome's title.
async fn decide(
    browser: &Client,
    link: &str,
    button: &str,
) -> Result<(String, String), fantoccini::error::CmdError> {
    browser.goto(link).await?;
    let shown = browser.find(Locator::Id("user-code")).await?.text().await?;
    browser.find(Locator::Id(button)).await?.click().await?;
    let title = browser
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::XPath(
            "//h1[@id='title' and starts-with(., 'Request')]",
        ))
        .await?
        .text()
        .await?;
    Ok((shown, title))
}

/// Opens the index at `url`, follows its link to the verification page, and says where it
/// landed once the code field is there.
async fn follow_the_index(
    browser: &Client,
    url: &str,
) -> Result<String, fantoccini::error::CmdError> {
    browser.goto(url).await?;
    browser.find(Locator::Id("device")).await?.click().await?;
    browser
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Id("user_code"))
        .await?;
    Ok(browser.current_url().await?.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_approves_or_denies_in_chromium_and_the_client_hears_it() {
    if !chromedriver_is_there() {
        return;
    }
    // Long-lived codes and a 1 s interval: the client polls while the browser works.
    let emulator = BlockingEmulator::start(Config::default()).unwrap();
    let driver = Driver::start();
    let browser = driver.browser().await;

    let approved = sign_in(emulator.url());
    let (approved_code, approved_link) = approved.prompt.recv().unwrap();
    let approval = decide(&browser, &approved_link, "approve").await;

    let denied = sign_in(emulator.url());
    let (denied_code, denied_link) = denied.prompt.recv().unwrap();
    let denial = decide(&browser, &denied_link, "deny").await;

    // Someone who opens the bare URL finds the way to the verification page.
    let from_index = follow_the_index(&browser, emulator.url()).await;

    // An application's authorization request (PKCE): Allow sends the browser back to the
    // application's loopback listener with the code and the state.
    let pkce = Pkce::register(&emulator);
    let (port, callback) = callback_listener();
    let authorized = allow(
        &browser,
        &format!("{}{}", emulator.url(), pkce.authorize_url(port)),
    )
    .await;

    // No assertion before the session is closed, so that a failure leaves no browser behind.
    let _ = browser.close().await;
    drop(driver);

    assert_eq!(
        approval.unwrap(),
        (approved_code, "Request approved".to_owned())
    );
    let login = approved.client.join().unwrap().expect("signed in");
    assert!(login.token.access_token.expose().starts_with("aoa"));

    assert_eq!(denial.unwrap(), (denied_code, "Request denied".to_owned()));
    let (client_name, landed) = authorized.unwrap();
    assert_eq!(client_name, "chromium-test");
    let request_line = callback.join().unwrap();
    assert!(
        landed.starts_with(&format!("http://127.0.0.1:{port}/oauth/callback?code=")),
        "{landed}"
    );
    assert!(
        request_line.starts_with("GET /oauth/callback?code="),
        "{request_line}"
    );
    assert!(landed.ends_with("&state=chromium-state"), "{landed}");
    pkce.exchange(&emulator, port, &landed);
    assert_eq!(from_index.unwrap(), format!("{}/device", emulator.url()));
    let error = denied.client.join().unwrap().expect_err("denied");
    assert!(matches!(error, FlowError::Denied(_)), "{error:?}");

    // The browser's requests are in the log too, and carry the user code, never a secret.
    let pages: Vec<_> = emulator
        .log()
        .into_iter()
        .filter(|entry| entry.operation.is_none())
        .collect();
    assert!(pages.iter().any(|entry| entry.method == http::Method::POST));
}

const VERIFIER: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~";

/// A client registered for the authorization-code grant, as the AWS CLI registers.
struct Pkce {
    client_id: String,
    client_secret: String,
}

impl Pkce {
    fn register(emulator: &BlockingEmulator) -> Self {
        let endpoint = Endpoint::from_url(emulator.url()).unwrap();
        let register = sso_oidc::RegisterClient::builder()
            .client_name("chromium-test")
            .grant_type("authorization_code")
            .grant_type("refresh_token")
            .redirect_uri("http://127.0.0.1/oauth/callback")
            .issuer_url("https://d-1234567890.awsapps.com/start")
            .scope("sso:account:access")
            .build()
            .unwrap();
        let client =
            sso_oidc::RegisterClient::parse(send(emulator.addr(), &register.to_http(&endpoint)))
                .unwrap();
        Self {
            client_id: client.client_id,
            client_secret: client.client_secret.expose().clone(),
        }
    }

    fn authorize_url(&self, port: u16) -> String {
        use base64::Engine as _;
        let digest = ring::digest::digest(&ring::digest::SHA256, VERIFIER.as_bytes());
        let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest.as_ref());
        let redirect = format!("http://127.0.0.1:{port}/oauth/callback");
        let query = form_urlencoded::Serializer::new(String::new())
            .append_pair("response_type", "code")
            .append_pair("client_id", &self.client_id)
            .append_pair("redirect_uri", &redirect)
            .append_pair("state", "chromium-state")
            .append_pair("code_challenge_method", "S256")
            .append_pair("scopes", "sso:account:access")
            .append_pair("code_challenge", &challenge)
            .finish();
        format!("/authorize?{query}")
    }

    /// CreateToken with the code in `landed`, the URL the browser was sent back to.
    fn exchange(&self, emulator: &BlockingEmulator, port: u16, landed: &str) {
        let query = landed.split_once('?').unwrap().1;
        let code = form_urlencoded::parse(query.as_bytes())
            .find(|(name, _)| name == "code")
            .unwrap()
            .1
            .into_owned();
        let request = sso_oidc::CreateToken::builder()
            .client_id(&self.client_id)
            .client_secret(self.client_secret.as_str())
            .grant_type("authorization_code")
            .code(code.as_str())
            .redirect_uri(format!("http://127.0.0.1:{port}/oauth/callback"))
            .code_verifier(VERIFIER)
            .build()
            .unwrap()
            .to_http(&Endpoint::from_url(emulator.url()).unwrap());
        let token = sso_oidc::CreateToken::parse(send(emulator.addr(), &request));
        assert!(token.is_ok(), "{token:?}");
    }
}

/// An application's redirect listener on 127.0.0.1: it answers the first request that is not
/// for the favicon with a page, and returns that request's line.
fn callback_listener() -> (u16, thread::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let thread = thread::spawn(move || {
        loop {
            let (mut stream, _) = listener.accept().unwrap();
            stream
                .set_read_timeout(Some(Duration::from_secs(30)))
                .unwrap();
            let mut head = Vec::new();
            let mut byte = [0; 1];
            while !head.ends_with(b"\r\n\r\n") && matches!(stream.read(&mut byte), Ok(1)) {
                head.push(byte[0]);
            }
            let head = String::from_utf8_lossy(&head).into_owned();
            let line = head.lines().next().unwrap_or("").to_owned();
            let page = "<!doctype html><title>cb</title><h1 id=\"callback\">Signed in</h1>";
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: {}\r\n\
                 connection: close\r\n\r\n{page}",
                page.len()
            );
            if line.starts_with("GET /oauth/callback") {
                return line;
            }
        }
    });
    (port, thread)
}

/// Opens the authorization request at `url`, reads the client's name on the page, clicks
/// Allow, and returns the name and the URL the browser lands on.
async fn allow(
    browser: &Client,
    url: &str,
) -> Result<(String, String), fantoccini::error::CmdError> {
    browser.goto(url).await?;
    let client = browser
        .find(Locator::Id("client_name"))
        .await?
        .text()
        .await?;
    browser.find(Locator::Id("approve")).await?.click().await?;
    browser
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Id("callback"))
        .await?;
    Ok((client, browser.current_url().await?.to_string()))
}
