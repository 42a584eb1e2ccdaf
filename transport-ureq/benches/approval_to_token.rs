//! From approval to a token, in real time against the emulator over loopback, median of 10:
//!
//! - **authorization code** (`auth_code_login`): from the moment the browser sends the redirect
//!   to the listener (right after the person chose Allow on the approval page) to the moment
//!   `auth_code_login` returns the token: one CreateToken round trip, no polling;
//! - **device flow** (`device_login`): from the moment the person approves the user code to
//!   the moment `device_login` returns the token: the flow only learns at its next poll, one
//!   interval (the service's 1 s) after the last; approvals are spread over one interval.
//!
//! `cargo bench -p sso-oidc-ureq --bench approval_to_token`; not run by CI (timings on shared
//! machines are noise).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use sso_oidc::{AuthCodeFlowConfig, DeviceFlowConfig, Endpoint, Operation};
use sso_oidc_emulator::{BlockingEmulator, Config};
use sso_oidc_ureq::{Client, ListenerSettings};

const ROUNDS: u32 = 10;
const START_URL: &str = "https://d-1234567890.awsapps.com/start";

fn main() {
    let client = Client::builder()
        .no_proxy_from_env()
        .build()
        .expect("client");
    let emulator = BlockingEmulator::start(Config::default()).expect("emulator");
    let endpoint = Endpoint::from_url(emulator.url()).expect("URL");

    let (mut auth_code, mut seen, mut exchange) = (Vec::new(), Vec::new(), Vec::new());
    let mut registration = None;
    for _ in 0..ROUNDS {
        let config = AuthCodeFlowConfig::builder()
            .endpoint(endpoint.clone())
            .start_url(START_URL)
            .registration(registration.clone())
            .build()
            .expect("config");
        let (sent, approved_at) = mpsc::channel();
        let (browser, url) = (client.clone(), emulator.url().to_owned());
        let before = emulator.log().len();
        let login = client
            .auth_code_login(config, &ListenerSettings::default(), |authorize| {
                let (browser, url, sent) = (browser.clone(), url.clone(), sent.clone());
                let authorize = authorize.url.clone();
                std::thread::spawn(move || {
                    let location = approve(&browser, &url, &authorize);
                    sent.send(Instant::now()).expect("the sign-in waits");
                    visit(&location);
                });
            })
            .expect("signed in");
        let done = Instant::now();
        let approved = approved_at.recv().expect("approved");
        auth_code.push(done - approved);
        let log = emulator.log();
        let exchanges: Vec<_> = log[before..]
            .iter()
            .filter(|e| e.operation == Some(Operation::CreateToken))
            .collect();
        assert_eq!(exchanges.len(), 1, "one CreateToken per sign-in");
        // Where the time goes: until CreateToken reaches the service (the listener seeing the
        // redirect, the flow judging it), then the round trip and answering the browser.
        seen.push(exchanges[0].at.saturating_duration_since(approved));
        exchange.push(done.saturating_duration_since(exchanges[0].at));
        registration = Some(login.registration);
    }

    let mut device = Vec::new();
    let mut registration = None;
    for round in 0..ROUNDS {
        let config = DeviceFlowConfig::builder()
            .endpoint(endpoint.clone())
            .start_url(START_URL)
            .registration(registration.clone())
            .build()
            .expect("config");
        let (sent, approved_at) = mpsc::channel();
        // The first poll goes 1 s after the prompt, then every 1 s: approvals between 1.05 s
        // and 1.95 s after the prompt land at every phase of one interval.
        let offset = Duration::from_millis(1050 + 100 * u64::from(round));
        let login = std::thread::scope(|scope| {
            client.device_login(config, |prompt| {
                let (user_code, sent) = (prompt.user_code.clone(), sent.clone());
                let emulator = &emulator;
                scope.spawn(move || {
                    std::thread::sleep(offset);
                    sent.send(Instant::now()).expect("the sign-in waits");
                    emulator.approve(&user_code).expect("a user code");
                });
            })
        })
        .expect("signed in");
        let done = Instant::now();
        device.push(done - approved_at.recv().expect("approved"));
        registration = Some(login.registration);
    }

    println!(
        "authorization code, redirect to token: median {} (min {}, max {}) over {ROUNDS}",
        ms(median(&mut auth_code)),
        ms(auth_code[0]),
        ms(auth_code[auth_code.len() - 1]),
    );
    println!(
        "  of which redirect to CreateToken sent: median {}; CreateToken sent to token: median {}",
        ms(median(&mut seen)),
        ms(median(&mut exchange)),
    );
    println!(
        "device flow, approval to token:        median {} (min {}, max {}) over {ROUNDS}",
        ms(median(&mut device)),
        ms(device[0]),
        ms(device[device.len() - 1]),
    );
}

/// Opens the authorize URL, chooses Allow, and returns the redirect's address.
fn approve(client: &Client, emulator: &str, url: &str) -> String {
    let page = client
        .send(http::Request::get(url).body(Vec::new()).expect("request"))
        .expect("the approval page");
    let page = String::from_utf8_lossy(page.body()).into_owned();
    let id = page
        .split("name=\"request\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a request id")
        .to_owned();
    let answer = client
        .send(
            http::Request::post(format!("{emulator}/authorize"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(format!("request={id}&action=approve").into_bytes())
                .expect("request"),
        )
        .expect("the decision");
    answer.headers()["location"]
        .to_str()
        .expect("a location")
        .to_owned()
}

/// Sends the redirect to the listener as a browser would, and reads its page.
fn visit(location: &str) {
    let rest = location
        .strip_prefix("http://127.0.0.1:")
        .expect("loopback");
    let (port, target) = rest.split_at(rest.find('/').expect("a path"));
    let port: u16 = port.parse().expect("a port");
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("the listener");
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
    )
    .expect("sent");
    let mut page = String::new();
    let _ = stream.read_to_string(&mut page);
}

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort();
    let mid = samples.len() / 2;
    if samples.len().is_multiple_of(2) {
        (samples[mid - 1] + samples[mid]) / 2
    } else {
        samples[mid]
    }
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}
