//! The `sso-oidc-emulator` binary: prints its URL, serves, and stops cleanly on Ctrl-C.

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod support;
use support::wire::exchange;

#[test]
fn it_prints_its_url_serves_and_stops_on_ctrl_c() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sso-oidc-emulator"))
        .args([
            "--port",
            "0",
            "--interval",
            "3",
            "--approve-after-polls",
            "1",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut url = String::new();
    stdout.read_line(&mut url).unwrap();
    let url = url.trim().to_owned();
    let addr: SocketAddr = url.strip_prefix("http://").unwrap().parse().unwrap();
    assert!(addr.ip().is_loopback(), "{url}");

    let register = http::Request::post(format!("{url}/client/register"))
        .body(br#"{"clientName":"bin","clientType":"public"}"#.to_vec())
        .unwrap();
    let raw = exchange(addr, &register, Duration::from_secs(30), usize::MAX);
    assert_eq!(raw.status(), Some(200), "{raw:?}");
    let client: serde_json::Value = serde_json::from_slice(&raw.body).unwrap();
    let start = http::Request::post(format!("{url}/device_authorization"))
        .body(
            serde_json::json!({
                "clientId": client["clientId"],
                "clientSecret": client["clientSecret"],
                "startUrl": "https://d-1234567890.awsapps.com/start",
            })
            .to_string()
            .into_bytes(),
        )
        .unwrap();
    let raw = exchange(addr, &start, Duration::from_secs(30), usize::MAX);
    let device: serde_json::Value = serde_json::from_slice(&raw.body).unwrap();
    assert_eq!(device["interval"], 3);
    assert_eq!(
        device["verificationUriComplete"],
        format!(
            "{url}/device?user_code={}",
            device["userCode"].as_str().unwrap()
        )
    );

    #[cfg(unix)]
    {
        // Give it a moment to print the requests, then Ctrl-C.
        std::thread::sleep(Duration::from_millis(300));
        let interrupted = Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(interrupted.success());
        let status = child.wait().unwrap();
        assert!(status.success(), "{status}");
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        assert!(
            stderr.contains("s POST /client/register (RegisterClient) -> 200 OK\n"),
            "{stderr}"
        );
        assert!(
            stderr.contains("s POST /device_authorization (StartDeviceAuthorization) -> 200 OK\n"),
            "{stderr}"
        );
        assert!(!stderr.contains(client["clientSecret"].as_str().unwrap()));
    }
    #[cfg(not(unix))]
    {
        child.kill().unwrap();
        child.wait().unwrap();
    }
}

#[test]
fn a_busy_port_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let output = Command::new(env!("CARGO_BIN_EXE_sso-oidc-emulator"))
        .args(["--port", &port])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("cannot listen on 127.0.0.1:{port}")),
        "{stderr}"
    );
}

#[test]
fn tls_serves_https_and_writes_the_test_ca() {
    let ca_file =
        std::env::temp_dir().join(format!("sso-oidc-emulator-ca-{}.pem", std::process::id()));
    let mut child = Command::new(env!("CARGO_BIN_EXE_sso-oidc-emulator"))
        .args(["--quiet", "--tls"])
        .arg(&ca_file)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut url = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut url)
        .unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    let ca = std::fs::read_to_string(&ca_file).unwrap();
    let _ = std::fs::remove_file(&ca_file);
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    assert!(ca.starts_with("-----BEGIN CERTIFICATE-----"), "{ca}");
}

/// Starts the binary with `args`, and returns it with its URL's address.
fn spawn(args: &[&str]) -> (std::process::Child, SocketAddr) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sso-oidc-emulator"))
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut url = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut url)
        .unwrap();
    let addr = url.trim().strip_prefix("http://").unwrap().parse().unwrap();
    (child, addr)
}

fn register_request(addr: SocketAddr) -> http::Request<Vec<u8>> {
    http::Request::post(format!("http://{addr}/client/register"))
        .body(br#"{"clientName":"bin","clientType":"public"}"#.to_vec())
        .unwrap()
}

#[test]
fn fixed_time_and_seed_give_the_same_bytes_on_every_run() {
    let answers: Vec<(String, Vec<u8>)> = (0..2)
        .map(|_| {
            let (mut child, addr) =
                spawn(&["--quiet", "--seed", "1", "--fixed-time", "1767225600"]);
            let raw = exchange(
                addr,
                &register_request(addr),
                Duration::from_secs(30),
                usize::MAX,
            );
            child.kill().unwrap();
            child.wait().unwrap();
            assert_eq!(raw.status(), Some(200), "{raw:?}");
            let request_id = raw.header("x-amzn-requestid").unwrap().to_owned();
            (request_id, raw.body)
        })
        .collect();
    assert_eq!(answers[0], answers[1]);
    let client: serde_json::Value = serde_json::from_slice(&answers[0].1).unwrap();
    assert_eq!(client["clientIdIssuedAt"], 1_767_225_600);
}

#[test]
fn delay_responses_answers_every_request_late() {
    let (mut child, addr) = spawn(&["--quiet", "--delay-responses", "1"]);
    for _ in 0..2 {
        let sent = Instant::now();
        let raw = exchange(
            addr,
            &register_request(addr),
            Duration::from_secs(30),
            usize::MAX,
        );
        assert!(sent.elapsed() >= Duration::from_secs(1));
        assert_eq!(raw.status(), Some(200), "{raw:?}");
    }
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn help_names_the_reproducibility_and_delay_flags() {
    let output = Command::new(env!("CARGO_BIN_EXE_sso-oidc-emulator"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    assert!(help.contains("--fixed-time <EPOCH_SECONDS>"), "{help}");
    assert!(help.contains("--delay-responses <SECONDS>"), "{help}");
}

#[test]
fn a_fixed_time_beyond_year_9999_is_a_usage_error_not_a_panic() {
    let output = Command::new(env!("CARGO_BIN_EXE_sso-oidc-emulator"))
        .args(["--fixed-time", "18446744073709551615"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--fixed-time"), "{stderr}");
}
