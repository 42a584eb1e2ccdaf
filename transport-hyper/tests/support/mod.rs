//! What the transport's tests share: clients and flows aimed at an emulator, checks on its
//! request log, and a raw `std::net` server for answers the emulator does not give.

#![allow(dead_code, unreachable_pub)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use sso_oidc::{DeviceFlowConfig, Endpoint, Operation};
use sso_oidc_emulator::LoggedRequest;
use sso_oidc_hyper::{Client, ClientBuilder};

pub const START_URL: &str = "https://d-1234567890.awsapps.com/start";

/// A client for `url`, deaf to the proxy environment so that the tests do not depend on it.
pub fn builder(url: &str) -> ClientBuilder {
    Client::builder()
        .endpoint(Endpoint::from_url(url).unwrap())
        .no_proxy_from_env()
}

pub fn client(url: &str) -> Client {
    builder(url).build().unwrap()
}

pub fn flow(url: &str) -> DeviceFlowConfig {
    DeviceFlowConfig::builder()
        .endpoint(Endpoint::from_url(url).unwrap())
        .start_url(START_URL)
        .scope("sso:account:access")
        .build()
        .unwrap()
}

/// A request the emulator answers quickly: RegisterClient.
pub fn register(url: &str) -> http::Request<Vec<u8>> {
    sso_oidc::RegisterClient::builder()
        .client_name("transport-test")
        .build()
        .unwrap()
        .to_http(&Endpoint::from_url(url).unwrap())
}

pub fn polls(log: &[LoggedRequest]) -> Vec<&LoggedRequest> {
    log.iter()
        .filter(|r| r.operation == Some(Operation::CreateToken))
        .collect()
}

/// What every run must show in the log: polls at least `interval` apart, and nothing in a
/// URL but an operation's path.
pub fn assert_polite(log: &[LoggedRequest], interval: Duration) {
    for pair in polls(log).windows(2) {
        let gap = pair[1].at - pair[0].at;
        assert!(gap >= interval, "polled {gap:?} after the last poll");
    }
    for request in log {
        assert!(
            ["/client/register", "/device_authorization", "/token"].contains(&request.uri.as_str()),
            "unexpected URL {}",
            request.uri
        );
    }
}

/// A raw HTTP/1.1 server on a thread: reads each request (head and `Content-Length` body) and
/// answers it with what `answer` writes, keeping connections open until the client closes
/// them. Counts connections, requests and the bytes it managed to write.
pub struct RawServer {
    pub addr: SocketAddr,
    pub connections: Arc<AtomicUsize>,
    pub requests: Arc<AtomicUsize>,
    pub written: Arc<AtomicU64>,
}

impl RawServer {
    pub fn start(
        answer: impl Fn(&str, &mut dyn Write) -> std::io::Result<()> + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let server = Self {
            addr,
            connections: Arc::default(),
            requests: Arc::default(),
            written: Arc::default(),
        };
        let (connections, requests, written) = (
            server.connections.clone(),
            server.requests.clone(),
            server.written.clone(),
        );
        let answer = Arc::new(answer);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                connections.fetch_add(1, Ordering::SeqCst);
                let (answer, requests, written) =
                    (answer.clone(), requests.clone(), written.clone());
                std::thread::spawn(move || serve(stream, &*answer, &requests, &written));
            }
        });
        server
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

/// Counts what reaches the socket.
struct Counting<'a> {
    stream: &'a TcpStream,
    written: &'a AtomicU64,
}

impl Write for Counting<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = (&mut &*self.stream).write(buf)?;
        self.written.fetch_add(n as u64, Ordering::SeqCst);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        (&mut &*self.stream).flush()
    }
}

fn serve(
    stream: TcpStream,
    answer: &(dyn Fn(&str, &mut dyn Write) -> std::io::Result<()> + Send + Sync),
    requests: &AtomicUsize,
    written: &AtomicU64,
) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    loop {
        let mut head = String::new();
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            head.push_str(&line);
            if line == "\r\n" {
                break;
            }
        }
        let length = head
            .lines()
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case("content-length")
                    .then(|| v.trim().parse::<usize>().ok())?
            })
            .unwrap_or(0);
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        requests.fetch_add(1, Ordering::SeqCst);
        let mut out = Counting {
            stream: &stream,
            written,
        };
        if answer(&head, &mut out).is_err() {
            return;
        }
    }
}

/// A canned answer with a body and `Content-Length`.
pub fn canned(
    status: &'static str,
    headers: &'static str,
    body: &'static str,
) -> impl Fn(&str, &mut dyn Write) -> std::io::Result<()> + Send + Sync + 'static {
    move |_, out| {
        write!(
            out,
            "HTTP/1.1 {status}\r\n{headers}content-length: {}\r\n\r\n{body}",
            body.len()
        )
    }
}

/// A port nobody listens on (it was free a moment ago).
pub fn refused_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}")
}
