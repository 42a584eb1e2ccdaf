//! One `StartDeviceAuthorization` round trip over loopback, in microseconds per call: the
//! transport's own cost (request, headers, a capped body read, the core's parse) against a
//! minimal local server that returns a canned 200 on a kept-alive connection.
//!
//! `cargo bench -p sso-oidc-ureq`; not run by CI (timings on shared machines are noise).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use sso_oidc::{Endpoint, StartDeviceAuthorization};
use sso_oidc_ureq::Client;

const BODY: &str = r#"{"deviceCode":"dc-0123456789","expiresIn":600,"interval":1,"userCode":"GPNW-SHFH","verificationUri":"http://127.0.0.1/device","verificationUriComplete":"http://127.0.0.1/device?user_code=GPNW-SHFH"}"#;

const ROUNDS: usize = 7;
const CALLS: u32 = 2_000;

fn main() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let url = format!("http://{}", listener.local_addr().expect("local address"));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || serve(stream));
        }
    });

    let client = Client::builder()
        .endpoint(Endpoint::from_url(&url).expect("loopback URL"))
        .no_proxy_from_env()
        .build()
        .expect("client");
    let request = StartDeviceAuthorization::builder()
        .client_id("client-id")
        .client_secret("client-secret")
        .start_url("https://d-1234567890.awsapps.com/start")
        .build()
        .expect("request");
    let call = || {
        client
            .start_device_authorization(&request)
            .expect("a canned 200 parses")
    };

    for _ in 0..200 {
        call();
    }
    let mut per_call: Vec<Duration> = (0..ROUNDS)
        .map(|_| {
            let started = Instant::now();
            for _ in 0..CALLS {
                call();
            }
            started.elapsed() / CALLS
        })
        .collect();
    per_call.sort();
    let micros = |d: Duration| d.as_secs_f64() * 1e6;
    println!(
        "start_device_authorization over loopback: {:.1} µs/call median, {:.1} µs best ({ROUNDS} rounds of {CALLS} calls)",
        micros(per_call[ROUNDS / 2]),
        micros(per_call[0]),
    );
}

/// Answers every request on one connection with the canned 200, until the client closes it.
fn serve(mut stream: TcpStream) {
    let response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-amzn-requestid: bench\r\ncontent-length: {}\r\n\r\n{BODY}",
        BODY.len()
    );
    let _ = stream.set_nodelay(true);
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        // Read a head and its body (Content-Length), then answer.
        let Some(end) = find(&buffer, b"\r\n\r\n") else {
            match stream.read(&mut chunk) {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
            continue;
        };
        let head = String::from_utf8_lossy(&buffer[..end]).to_ascii_lowercase();
        let length = head
            .lines()
            .find_map(|line| line.strip_prefix("content-length:"))
            .and_then(|value| value.trim().parse::<usize>().ok())
            .unwrap_or(0);
        let total = end + 4 + length;
        while buffer.len() < total {
            match stream.read(&mut chunk) {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        }
        buffer.drain(..total);
        if stream.write_all(response.as_bytes()).is_err() {
            return;
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
