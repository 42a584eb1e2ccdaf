//! A raw HTTP/1.1 client on `std::net`, to see exactly what went over the wire, and when:
//! truncated bodies, closed connections, silence, bodies that drip.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

/// What came back on one connection.
#[derive(Debug)]
pub struct Raw {
    /// Everything before the body, as text.
    pub head: String,
    /// The body bytes received (or only their count, for big ones: see `body_len`).
    pub body: Vec<u8>,
    /// How many body bytes arrived.
    pub body_len: u64,
    /// How the read ended.
    pub end: End,
}

/// How reading a connection ended.
#[derive(Debug, PartialEq, Eq)]
pub enum End {
    /// The server closed it.
    Closed,
    /// Nothing more came within the read timeout.
    Silent,
}

impl Raw {
    /// The status code, if a head arrived.
    pub fn status(&self) -> Option<u16> {
        status(&self.head)
    }

    /// A header's value (the name in lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.head, name)
    }
}

fn status(head: &str) -> Option<u16> {
    head.split(' ').nth(1)?.parse().ok()
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().skip(1).find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

/// Connects and sends `request` with `Connection: close`, leaving the answer to read.
pub fn open(addr: SocketAddr, request: &http::Request<Vec<u8>>) -> TcpStream {
    let mut stream = TcpStream::connect(addr).unwrap();
    let path = request
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_owned();
    let mut head = format!(
        "{} {path} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\ncontent-length: {}\r\n",
        request.method(),
        request.body().len()
    );
    for (name, value) in request.headers() {
        head.push_str(&format!("{name}: {}\r\n", value.to_str().unwrap()));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(request.body()).unwrap();
    stream
}

/// Sends `request` on a new connection with `Connection: close` and reads until the server
/// closes or goes quiet for `quiet`. Keeps at most `keep` body bytes.
pub fn exchange(
    addr: SocketAddr,
    request: &http::Request<Vec<u8>>,
    quiet: Duration,
    keep: usize,
) -> Raw {
    let mut stream = open(addr, request);
    stream.set_read_timeout(Some(quiet)).unwrap();
    let mut received = Vec::new();
    let mut head_len = None;
    let mut body_len = 0u64;
    let mut buffer = vec![0; 64 << 10];
    let end = loop {
        match stream.read(&mut buffer) {
            Ok(0) => break End::Closed,
            Ok(n) => {
                if head_len.is_none() {
                    received.extend_from_slice(&buffer[..n]);
                    if let Some(at) = received.windows(4).position(|w| w == b"\r\n\r\n") {
                        head_len = Some(at + 4);
                        body_len = (received.len() - at - 4) as u64;
                    }
                } else {
                    body_len += n as u64;
                    if received.len() < keep + head_len.unwrap_or(0) {
                        received.extend_from_slice(&buffer[..n]);
                    }
                }
            }
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                break End::Silent;
            }
            Err(e) if e.kind() == ErrorKind::ConnectionReset => break End::Closed,
            Err(e) => panic!("reading: {e}"),
        }
    };
    let head_len = head_len.unwrap_or(received.len());
    let mut body = received.split_off(head_len);
    body.truncate(keep);
    Raw {
        head: String::from_utf8_lossy(&received).into_owned(),
        body,
        body_len,
        end,
    }
}

/// Sends `request` and returns the whole response, for flows that only care about answers.
pub fn send(addr: SocketAddr, request: &http::Request<Vec<u8>>) -> http::Response<Vec<u8>> {
    let raw = exchange(addr, request, Duration::from_secs(30), usize::MAX);
    assert_eq!(raw.end, End::Closed, "the server went quiet: {raw:?}");
    let mut response = http::Response::builder().status(raw.status().expect("a status line"));
    for line in raw.head.lines().skip(1) {
        if let Some((name, value)) = line.split_once(':') {
            response = response.header(name.trim(), value.trim());
        }
    }
    response.body(raw.body).unwrap()
}

/// What came in on one connection by some moment, and when each byte of it arrived.
#[derive(Debug)]
pub struct Timed {
    /// Everything before the body, as text (all that came, if the head never ended).
    pub head: String,
    /// When the last byte of the head arrived.
    pub head_at: Option<Duration>,
    /// The body bytes received.
    pub body: Vec<u8>,
    /// When each of them arrived.
    pub body_at: Vec<Duration>,
    /// Whether the server closed the connection.
    pub closed: bool,
}

impl Timed {
    /// The status code, if a head arrived.
    pub fn status(&self) -> Option<u16> {
        status(&self.head)
    }

    /// A header's value (the name in lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.head, name)
    }
}

/// Reads `stream` until the server closes it or until `until`, noting when each read's
/// bytes arrived, counted from `sent`.
pub fn read_timed(stream: &mut TcpStream, sent: Instant, until: Instant) -> Timed {
    let mut received = Vec::new();
    let mut arrived = Vec::new();
    let mut buffer = vec![0; 64 << 10];
    let closed = loop {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break false;
        }
        stream.set_read_timeout(Some(left)).unwrap();
        match stream.read(&mut buffer) {
            Ok(0) => break true,
            Ok(n) => {
                let at = sent.elapsed();
                received.extend_from_slice(&buffer[..n]);
                arrived.extend(std::iter::repeat_n(at, n));
            }
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                break false;
            }
            Err(e) if e.kind() == ErrorKind::ConnectionReset => break true,
            Err(e) => panic!("reading: {e}"),
        }
    };
    let head_end = received.windows(4).position(|w| w == b"\r\n\r\n");
    let head_len = head_end.map_or(received.len(), |at| at + 4);
    let body = received.split_off(head_len);
    let body_at = arrived.split_off(head_len);
    Timed {
        head: String::from_utf8_lossy(&received).into_owned(),
        head_at: head_end.and(arrived.last().copied()),
        body,
        body_at,
        closed,
    }
}
