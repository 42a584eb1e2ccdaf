//! One StartDeviceAuthorization round trip over loopback, against a minimal server that
//! answers every request with the same canned 200: what the transport costs per call, request
//! building and response parsing included.
//!
//! `cargo bench -p sso-oidc-hyper`. Not part of the test suite.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use sso_oidc::{Endpoint, StartDeviceAuthorization};
use sso_oidc_hyper::Client;

const BODY: &str = r#"{"deviceCode":"dc","expiresIn":600,"interval":1,"userCode":"GPNW-SHFH","verificationUri":"https://device.sso.us-east-1.amazonaws.com/","verificationUriComplete":"https://device.sso.us-east-1.amazonaws.com/?user_code=GPNW-SHFH"}"#;

/// Answers each request on the connection with the canned 200; `close` ends each connection
/// after one answer.
fn serve(stream: TcpStream, close: bool) {
    let _ = stream.set_nodelay(true);
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    let answer = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-amzn-requestid: 1\r\n{}content-length: {}\r\n\r\n{BODY}",
        if close { "connection: close\r\n" } else { "" },
        BODY.len()
    );
    loop {
        let mut length = 0;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().unwrap_or(0);
            }
            if line == "\r\n" {
                break;
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() || writer.write_all(answer.as_bytes()).is_err() {
            return;
        }
        if close {
            return;
        }
    }
}

fn server(close: bool) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || serve(stream, close));
        }
    });
    url
}

async fn per_call(url: &str, calls: u32) -> Duration {
    let client = Client::builder()
        .endpoint(Endpoint::from_url(url).unwrap())
        .no_proxy_from_env()
        .build()
        .unwrap();
    let request = StartDeviceAuthorization::builder()
        .client_id("client-id")
        .client_secret("client-secret")
        .start_url("https://d-1234567890.awsapps.com/start")
        .build()
        .unwrap();
    for _ in 0..calls / 10 {
        client.start_device_authorization(&request).await.unwrap();
    }
    let started = Instant::now();
    for _ in 0..calls {
        let authorization = client.start_device_authorization(&request).await.unwrap();
        std::hint::black_box(authorization);
    }
    started.elapsed() / calls
}

/// The same exchange written and read by hand on a blocking socket: the floor the loopback
/// and the server set, for comparison.
fn baseline(url: &str, calls: u32) -> Duration {
    let request = StartDeviceAuthorization::builder()
        .client_id("client-id")
        .client_secret("client-secret")
        .start_url("https://d-1234567890.awsapps.com/start")
        .build()
        .unwrap()
        .to_http(&Endpoint::from_url(url).unwrap());
    let body = request.body();
    let head = format!(
        "POST /device_authorization HTTP/1.1\r\nhost: {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        url.trim_start_matches("http://"),
        body.len()
    );
    let mut wire = head.into_bytes();
    wire.extend_from_slice(body);
    let stream = TcpStream::connect(url.trim_start_matches("http://")).unwrap();
    stream.set_nodelay(true).unwrap();
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    let started = Instant::now();
    for _ in 0..calls {
        writer.write_all(&wire).unwrap();
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().unwrap();
            }
            if line == "\r\n" {
                break;
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        let parsed = StartDeviceAuthorization::parse(http::Response::new(body)).unwrap();
        std::hint::black_box(parsed);
    }
    started.elapsed() / calls
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` would not, and gets a short run.
    let calls = if std::env::args().any(|a| a == "--bench") {
        20_000
    } else {
        100
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let reused = per_call(&server(false), calls).await;
        println!(
            "StartDeviceAuthorization round trip, loopback, kept-alive connection: {:.1} µs/call ({calls} calls)",
            reused.as_secs_f64() * 1e6
        );
        let floor = baseline(&server(false), calls);
        println!(
            "the same bytes by hand on a blocking std::net socket (the floor):    {:.1} µs/call",
            floor.as_secs_f64() * 1e6
        );
        let fresh = per_call(&server(true), calls / 4).await;
        println!(
            "StartDeviceAuthorization round trip, loopback, new connection each:   {:.1} µs/call ({} calls)",
            fresh.as_secs_f64() * 1e6,
            calls / 4
        );
    });
}
