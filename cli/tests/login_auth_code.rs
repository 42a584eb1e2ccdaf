//! `sso-oidc login` with the authorization code and PKCE, as `aws sso login` signs in to an
//! `sso-session` by default: against the emulator, whose scripted approval follows the redirect
//! to the command's listener as a browser would, or whose page a test "clicks" itself and
//! pastes the address the browser would end on.

use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;
use std::time::{Duration, Instant};

use predicates::prelude::*;
use sso_oidc::{Endpoint, Operation};
use sso_oidc_emulator::{BlockingEmulator, Config};

mod login_support;
use login_support::{Home, count, snapshot};

#[test]
fn a_session_signs_in_with_the_authorization_code() {
    let emulator = BlockingEmulator::start(Config::default().approve_authorizations()).unwrap();
    let home = Home::new();
    let args = [
        "login",
        "--profile",
        "dev",
        "--endpoint-url",
        emulator.url(),
    ];
    let (code, stdout, stderr) = login_opening(&home, &args);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    // BROWSER=none: the AWS CLI's PrintOnlyHandler words, then ours.
    assert!(
        stdout.starts_with(&format!(
            "Browser will not be automatically opened.\nPlease visit the following URL:\n\n{}/authorize?response_type=code&client_id=",
            emulator.url()
        )),
        "{stdout}"
    );
    assert!(
        stdout
            .contains("Successfully logged into Start URL: https://d-1234567890.awsapps.com/start"),
        "{stdout}"
    );
    assert!(stderr.contains("a phone cannot finish it"), "{stderr}");
    assert!(stderr.contains("paste here the address"), "{stderr}");
    // One CreateToken, no device authorization, no polling.
    assert_eq!(count(&emulator, Operation::StartDeviceAuthorization), 0);
    assert_eq!(count(&emulator, Operation::CreateToken), 1);
    let token = home.session_token().unwrap();
    assert!(token.refresh_token.is_some());
    let registration = home.session_registration().unwrap();
    let json = String::from_utf8(registration.to_json()).unwrap();
    assert!(json.contains("authorization_code"), "{json}");

    // Again: the registration is reused.
    let (code, _, stderr) = login_opening(&home, &args);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(count(&emulator, Operation::RegisterClient), 1);
    // With --use-device-code the device flow does not reuse it (the AWS CLI registers again).
    let device = BlockingEmulator::start(Config::default().approve_after_polls(0)).unwrap();
    home.sso_oidc(&["login", "--use-device-code", "--profile", "dev"])
        .args(["--endpoint-url", device.url()])
        .assert()
        .success();
    assert_eq!(count(&device, Operation::RegisterClient), 1);
    assert_eq!(count(&device, Operation::StartDeviceAuthorization), 1);
}

#[test]
fn a_legacy_profile_uses_the_device_code() {
    let emulator = BlockingEmulator::start(Config::default().approve_after_polls(0)).unwrap();
    let home = Home::new();
    home.sso_oidc(&[
        "login",
        "--profile",
        "legacy",
        "--endpoint-url",
        emulator.url(),
    ])
    .assert()
    .success()
    .stdout(predicate::str::contains("Then enter the code:"));
    assert_eq!(count(&emulator, Operation::StartDeviceAuthorization), 1);
}

#[test]
fn a_denied_sign_in_writes_nothing() {
    let emulator = BlockingEmulator::start(Config::default().deny_authorizations()).unwrap();
    let home = Home::new();
    let args = [
        "login",
        "--profile",
        "dev",
        "--endpoint-url",
        emulator.url(),
    ];
    let (code, _, stderr) = login_opening(&home, &args);
    assert_eq!(code, Some(255), "{stderr}");
    assert!(stderr.contains("Unable to sign in at"), "{stderr}");
    assert!(stderr.contains("access_denied"), "{stderr}");
    assert_eq!(count(&emulator, Operation::CreateToken), 0);
    assert!(snapshot(&home.cache()).is_empty());
}

#[test]
fn a_redirect_port_in_use_is_named() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let emulator = BlockingEmulator::start(Config::default().approve_authorizations()).unwrap();
    let home = Home::new();
    let args = [
        "login",
        "--profile",
        "dev",
        "--endpoint-url",
        emulator.url(),
        "--redirect-port",
        &port,
    ];
    home.sso_oidc(&args)
        .assert()
        .code(255)
        .stdout(predicate::str::contains("authorize").not())
        .stderr(predicate::str::contains(format!(
            "Unable to listen for the browser's redirect: port {port} on 127.0.0.1 is already in use"
        )))
        .stderr(predicate::str::contains("--redirect-port"));
    assert_eq!(count(&emulator, Operation::CreateToken), 0);
    // A free fixed port is the one in the redirect URI.
    drop(taken);
    let (code, stdout, stderr) = login_opening(&home, &args);
    assert_eq!(code, Some(0), "{stderr}");
    let encoded = format!("redirect_uri=http%3A%2F%2F127.0.0.1%3A{port}%2Foauth%2Fcallback");
    assert!(stdout.contains(&encoded), "{stdout}");
}

/// A browser on another machine: the command's listener is out of its reach, so the person
/// approves there and pastes the address the browser ended on. The test is that browser: it
/// opens the authorize URL the command printed, clicks Allow, and takes the redirect's address
/// without following it.
#[test]
fn a_pasted_redirect_finishes_the_sign_in() {
    let emulator = BlockingEmulator::start(Config::default()).unwrap();
    let home = Home::new();
    let mut child = home
        .std_command(&[
            "login",
            "--profile",
            "dev",
            "--endpoint-url",
            emulator.url(),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let started = Instant::now();
    let url = loop {
        let mut line = String::new();
        assert!(stdout.read_line(&mut line).unwrap() > 0, "no authorize URL");
        if line.contains("/authorize?") {
            break line.trim().to_owned();
        }
        assert!(started.elapsed() < Duration::from_secs(60));
    };
    let location = approve(&url);
    assert!(location.starts_with("http://127.0.0.1:"), "{location}");
    // A wrong state first (ignored: still waiting), then the real address.
    let wrong = location.replace("state=", "state=x");
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "{wrong}").unwrap();
    writeln!(stdin, "  {location}  ").unwrap();
    let status = child.wait().unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
    assert!(status.success(), "{rest}");
    assert!(
        rest.contains("Successfully logged into Start URL"),
        "{rest}"
    );
    assert_eq!(count(&emulator, Operation::CreateToken), 1);
    assert!(home.session_token().is_some());
}

/// `sso-oidc` with `args`, playing the browser that opens the authorize URL it prints: the
/// emulator's scripted decision then follows the redirect to the command's listener. The exit
/// code, stdout and stderr.
fn login_opening(home: &Home, args: &[&str]) -> (Option<i32>, String, String) {
    let mut child = home
        .std_command(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut printed = String::new();
    loop {
        let mut line = String::new();
        if stdout.read_line(&mut line).unwrap() == 0 {
            break;
        }
        printed.push_str(&line);
        if line.contains("/authorize?") {
            let page = client()
                .send(http::Request::get(line.trim()).body(Vec::new()).unwrap())
                .unwrap();
            assert!(page.status().is_success(), "{page:?}");
        }
    }
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    (status.code(), printed, stderr)
}

/// A plain client that follows no redirect.
fn client() -> sso_oidc_ureq::Client {
    sso_oidc_ureq::Client::builder()
        .endpoint(Endpoint::from_url("http://127.0.0.1:9").unwrap())
        .build()
        .unwrap()
}

/// Opens the emulator's approval page at `url`, clicks Allow, and returns where the 302 points.
fn approve(url: &str) -> String {
    let client = client();
    let page = client
        .send(http::Request::get(url).body(Vec::new()).unwrap())
        .unwrap();
    let html = String::from_utf8(page.into_body()).unwrap();
    let request = html
        .split("name=\"request\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no request id: {html}"))
        .to_owned();
    let action = url.split('?').next().unwrap();
    let answer = client
        .send(
            http::Request::post(action)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(format!("request={request}&action=approve").into_bytes())
                .unwrap(),
        )
        .unwrap();
    assert_eq!(answer.status(), 302);
    answer.headers()["location"].to_str().unwrap().to_owned()
}

/// Ctrl-C while the listener waits for the browser: the sign-in stops (exit code 130), the
/// listener's port is free again, and the cache is left as it was.
#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_wait_for_the_browser() {
    let emulator = BlockingEmulator::start(Config::default()).unwrap();
    let home = Home::new();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
        .to_string();
    let args = [
        "login",
        "--profile",
        "dev",
        "--endpoint-url",
        emulator.url(),
        "--redirect-port",
        &port,
    ];
    let mut child = home
        .std_command(&args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    loop {
        let mut line = String::new();
        assert!(stdout.read_line(&mut line).unwrap() > 0, "no authorize URL");
        if line.contains("/authorize?") {
            break;
        }
    }
    let sent = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("login did not stop on SIGINT");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(130));
    assert!(std::net::TcpListener::bind(format!("127.0.0.1:{port}")).is_ok());
    assert!(home.session_token().is_none());
    assert_eq!(count(&emulator, Operation::CreateToken), 0);
}
