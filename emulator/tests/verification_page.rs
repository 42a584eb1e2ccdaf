//! The verification page in a real browser: headless Chromium, driven through chromedriver,
//! opens the complete URI a pending client was given, checks the code, and approves or denies;
//! the client, polling all along over loopback, then gets its token or `access_denied`.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them). Without
//! chromedriver the test is skipped with a note, except in CI (`CI=true`), where it fails.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use sso_oidc::{Action, DeviceFlow, DeviceFlowConfig, Endpoint, FlowError, Login};
use sso_oidc_emulator::{BlockingEmulator, Config};

mod support;
use support::wire::send;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// chromedriver on a free loopback port; on drop it is asked to quit every session (which
/// closes Chromium too, even after a failed test), then killed if it lingers.
struct Driver {
    child: Child,
    port: u16,
    profile: PathBuf,
}

impl Driver {
    fn start() -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver never listened");
            thread::sleep(Duration::from_millis(50));
        }
        let profile =
            std::env::temp_dir().join(format!("sso-oidc-chromium-{}", std::process::id()));
        Self {
            child,
            port,
            profile,
        }
    }

    async fn browser(&self) -> Client {
        let serde_json::Value::Object(capabilities) = serde_json::json!({
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    format!("--user-data-dir={}", self.profile.display()),
                ],
            }
        }) else {
            unreachable!("a JSON object")
        };
        ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("a WebDriver session")
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let _ = stream.write_all(
                b"GET /shutdown HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n",
            );
            let _ = stream.read_to_end(&mut Vec::new());
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// Whether chromedriver is installed; `false` means skip (outside CI) or fail (in CI).
fn chromedriver_is_there() -> bool {
    let found = std::path::Path::new(CHROMEDRIVER).exists();
    if !found {
        let note =
            format!("{CHROMEDRIVER} is missing: apt-get install -y chromium chromium-driver");
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI must run the browser test: {note}"
        );
        eprintln!("skipping the browser test: {note}");
    }
    found
}

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
