//! A whole `sso-oidc login` with the authorization code and PKCE, in a real browser: the
//! command prints the authorize URL, headless Chromium opens it, clicks Allow on the
//! emulator's page, is redirected to the command's loopback listener, and the command caches a
//! token that botocore's `SSOTokenProvider` (what the AWS CLI v2 and the SDKs use for an
//! `sso-session` profile) loads, and refreshes against the emulator when it is due.
//!
//! Needs chromium and chromedriver, and Python with botocore (`SSO_OIDC_PYTHON`): without them
//! the test is skipped with a note, except in CI (`CI=true`), where it fails.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::Stdio;
use std::time::Duration;

use fantoccini::Locator;
use sso_oidc::Operation;
use sso_oidc_emulator::{BlockingEmulator, Config};

mod login_support;
use login_support::{Home, count};

#[path = "../../emulator/tests/support/chromium.rs"]
#[allow(dead_code, unreachable_pub)]
mod chromium;
use chromium::{Driver, chromedriver_is_there};

#[path = "../../tests/tests/support/mod.rs"]
mod python_support;
use python_support::{isolated, python, python_has};

/// Loads the `dev` profile's token as the SDKs do, and prints it.
const LOAD: &str = r#"
import json
import botocore.session
from botocore.tokens import SSOTokenProvider

session = botocore.session.Session(profile="dev")
token = SSOTokenProvider(session, profile_name="dev").load_token().get_frozen_token()
print(json.dumps({"token": token.token}))
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chromium_signs_in_and_botocore_loads_and_refreshes_the_token() {
    let python = python();
    if !chromedriver_is_there() || !python_has(&python, "botocore", "botocore") {
        return;
    }
    // Tokens live 5 minutes: inside botocore's refresh window from the start.
    let emulator = BlockingEmulator::start(
        Config::default().with_access_token_lifetime(Duration::from_secs(300)),
    )
    .unwrap();
    let url = emulator.url().to_owned();
    let home = Home::new();
    let mut child = home
        .std_command(&["login", "--profile", "dev", "--endpoint-url", &url])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let authorize = loop {
        let mut line = String::new();
        assert!(stdout.read_line(&mut line).unwrap() > 0, "no authorize URL");
        if line.contains("/authorize?") {
            break line.trim().to_owned();
        }
    };

    let driver = Driver::start();
    let browser = driver.browser().await;
    browser.goto(&authorize).await.unwrap();
    browser
        .find(Locator::Id("approve"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // The browser lands on the command's listener, which answers once the token is there.
    // The click starts that navigation; the URL changes when the listener's page comes.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let landed = loop {
        let url = browser.current_url().await.unwrap().to_string();
        if url.contains("/oauth/callback") || std::time::Instant::now() > deadline {
            break url;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let page = browser.source().await.unwrap();
    let _ = browser.close().await;
    assert!(landed.starts_with("http://127.0.0.1:"), "{landed}");
    assert!(landed.contains("/oauth/callback?code="), "{landed}");
    assert!(page.contains("Signed in"), "{page}");

    let status = child.wait().unwrap();
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    assert!(status.success(), "{rest}");
    assert!(
        rest.contains("Successfully logged into Start URL"),
        "{rest}"
    );
    assert_eq!(count(&emulator, Operation::CreateToken), 1);
    let signed_in = home.session_token().unwrap();

    // botocore loads it and, as it is due, refreshes it at the emulator (and nowhere else:
    // any other https request would meet a proxy that refuses connections).
    let refusing = TcpListener::bind("127.0.0.1:0").unwrap();
    let proxy = format!("http://{}", refusing.local_addr().unwrap());
    drop(refusing);
    let mut load = isolated(&python);
    load.args(["-c", LOAD])
        .env("HOME", home.path())
        .env("AWS_CONFIG_FILE", home.config())
        .env("AWS_ENDPOINT_URL_SSO_OIDC", &url)
        .env("HTTPS_PROXY", &proxy)
        .env("NO_PROXY", "127.0.0.1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let output = load.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let printed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let refreshed = home.session_token().unwrap();
    assert_ne!(refreshed.access_token, signed_in.access_token, "{stderr}");
    assert_eq!(printed["token"], refreshed.access_token.expose().as_str());
    assert_eq!(count(&emulator, Operation::CreateToken), 2);
    let last = emulator.log().pop().unwrap();
    assert!(last.body.contains("refresh_token"), "{}", last.body);
    drop(driver);
    let _ = std::io::stdout().flush();
}
