//! What the transport's tests share: a client for an emulator, a watchdog against hangs, log
//! checks, and tiny raw servers for what the emulator does not do (redirects, chunked bodies,
//! a CONNECT proxy).

#![allow(dead_code, unreachable_pub)]

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use sso_oidc::{DeviceFlowConfig, Endpoint, Operation, RetryPolicy};
use sso_oidc_emulator::{BlockingEmulator, LoggedRequest};
use sso_oidc_ureq::Client;

pub const START_URL: &str = "https://d-1234567890.awsapps.com/start";

/// Longer than any test needs by far: a test that takes this long has hung.
pub const HANG: Duration = Duration::from_secs(90);

/// A client for the emulator, ignoring any proxy in the test machine's environment.
pub fn client(emulator: &BlockingEmulator) -> Client {
    builder(emulator).build().unwrap()
}

/// Its operations send once and never retry: the tests see each request's own outcome.
pub fn builder(emulator: &BlockingEmulator) -> sso_oidc_ureq::ClientBuilder {
    Client::builder()
        .endpoint(Endpoint::from_url(emulator.url()).unwrap())
        .no_proxy_from_env()
        .retry_policy(RetryPolicy::none())
}

pub fn flow_config(url: &str) -> DeviceFlowConfig {
    DeviceFlowConfig::builder()
        .endpoint(Endpoint::from_url(url).unwrap())
        .start_url(START_URL)
        .scope("sso:account:access")
        .jitter_seed(7)
        .build()
        .unwrap()
}

/// Runs `f` on a thread of its own and returns what it returns, or fails the test if it takes
/// longer than `limit`: a hang fails instead of blocking the suite.
pub fn within<T: Send + 'static>(limit: Duration, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(limit) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("no answer within {limit:?}: hung"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("the test thread panicked"),
    }
}

/// The CreateToken polls the emulator received.
pub fn polls(emulator: &BlockingEmulator) -> Vec<LoggedRequest> {
    emulator
        .log()
        .into_iter()
        .filter(|r| r.operation == Some(Operation::CreateToken))
        .collect()
}

/// What every sign-in must show in the emulator's log: polls at least `interval` apart, and
/// nothing but the operation's path in any URL (so no secret in one).
pub fn check_log(emulator: &BlockingEmulator, interval: Duration) {
    let log = emulator.log();
    for request in &log {
        let expected = request.operation.map(Operation::path);
        assert_eq!(
            Some(request.uri.as_str()),
            expected,
            "a URL carries only the operation's path"
        );
    }
    let polls = polls(emulator);
    for pair in polls.windows(2) {
        let gap = pair[1].at - pair[0].at;
        assert!(gap >= interval, "polls {gap:?} apart, under {interval:?}");
    }
}

/// A port on loopback nobody listens on.
pub fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// A server on loopback that reads each request and answers with `respond`, on a thread per
/// connection, until the test process ends. `written` counts what `respond` reports sending.
pub struct RawServer {
    pub addr: SocketAddr,
    pub written: Arc<AtomicU64>,
}

impl RawServer {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

pub fn serve(respond: impl Fn(&mut TcpStream, &AtomicU64) + Send + Sync + 'static) -> RawServer {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let written = Arc::new(AtomicU64::new(0));
    let respond = Arc::new(respond);
    let counter = Arc::clone(&written);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let respond = Arc::clone(&respond);
            let counter = Arc::clone(&counter);
            std::thread::spawn(move || {
                while read_request(&mut stream).is_some() {
                    respond(&mut stream, &counter);
                }
            });
        }
    });
    RawServer { addr, written }
}

/// Reads one request's head and body; `None` when the connection ends first.
pub fn read_request(stream: &mut TcpStream) -> Option<String> {
    let head = read_head(stream)?;
    let length = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    let mut body = vec![0; length];
    stream.read_exact(&mut body).ok()?;
    Some(head)
}

fn read_head(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).ok()? == 0 {
            return None;
        }
        head.push(byte[0]);
    }
    String::from_utf8(head).ok()
}

/// Writes `bytes`, adding them to `written`; false once the peer is gone.
pub fn write_counted(stream: &mut TcpStream, written: &AtomicU64, bytes: &[u8]) -> bool {
    match stream.write_all(bytes) {
        Ok(()) => {
            written.fetch_add(bytes.len() as u64, Ordering::SeqCst);
            true
        }
        Err(_) => false,
    }
}

/// A CONNECT proxy on loopback that tunnels to any target and records each CONNECT line.
pub struct ConnectProxy {
    pub addr: SocketAddr,
    pub requests: Arc<Mutex<Vec<String>>>,
}

pub fn connect_proxy() -> ConnectProxy {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&requests);
    std::thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(mut client) = client else { continue };
            let seen = Arc::clone(&seen);
            std::thread::spawn(move || {
                let Some(head) = read_head(&mut client) else {
                    return;
                };
                seen.lock().unwrap().push(head.clone());
                let target = head
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or_default()
                    .to_owned();
                let Ok(mut upstream) = TcpStream::connect(target) else {
                    let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\n\r\n");
                    return;
                };
                let _ = client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n");
                let (Ok(mut client_in), Ok(mut upstream_out)) =
                    (client.try_clone(), upstream.try_clone())
                else {
                    return;
                };
                std::thread::spawn(move || {
                    let _ = std::io::copy(&mut client_in, &mut upstream_out);
                    let _ = upstream_out.shutdown(Shutdown::Write);
                });
                let _ = std::io::copy(&mut upstream, &mut client);
                let _ = client.shutdown(Shutdown::Write);
            });
        }
    });
    ConnectProxy { addr, requests }
}

/// The first line of a raw request head.
pub fn first_line(head: &str) -> &str {
    head.lines().next().unwrap_or_default()
}
