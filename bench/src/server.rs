//! The loopback server every client talks to: std::net, one thread per connection, HTTP/1.1
//! keep-alive, `TCP_NODELAY`, and the canned answer for the request's path. It does as little
//! as a server can, so that what differs between clients is the clients.

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;

use crate::Op;
use crate::canned;

/// Starts the server on an ephemeral loopback port; returns its base URL, `http://127.0.0.1:N`.
/// The listener thread lives as long as the process.
pub fn start() -> io::Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let url = format!("http://{}", listener.local_addr()?);
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            thread::spawn(move || serve(stream));
        }
    });
    Ok(url)
}

/// Answers every request on the connection until the client closes it.
fn serve(mut stream: TcpStream) {
    let _ = stream.set_nodelay(true);
    let answers = Op::ALL.map(canned::wire);
    let mut buffer = Vec::with_capacity(8192);
    let mut chunk = [0u8; 8192];
    loop {
        let Some(head_end) = find(&buffer, b"\r\n\r\n") else {
            match stream.read(&mut chunk) {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
            continue;
        };
        let (op, length) = request_head(&buffer[..head_end]);
        let total = head_end + 4 + length;
        while buffer.len() < total {
            match stream.read(&mut chunk) {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        }
        buffer.drain(..total);
        let answer = match op {
            Some(op) => &answers[op as usize],
            None => return,
        };
        if stream.write_all(answer).is_err() {
            return;
        }
    }
}

/// The operation the request line's path names, and the body length.
fn request_head(head: &[u8]) -> (Option<Op>, usize) {
    let head = String::from_utf8_lossy(head);
    let mut lines = head.split("\r\n");
    let path = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .unwrap_or_default();
    let length = lines
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse().ok())
        .unwrap_or(0);
    (canned::op_of_path(path), length)
}

pub(crate) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The floor: hand-written request bytes on one kept-alive `TcpStream` (`TCP_NODELAY`), the
/// response read into a reused buffer up to its `content-length`. No JSON is parsed.
#[derive(Debug)]
pub struct Raw {
    stream: TcpStream,
    requests: [Vec<u8>; 2],
    buffer: Vec<u8>,
}

impl Raw {
    pub fn connect(url: &str) -> io::Result<Self> {
        let address = url.trim_start_matches("http://");
        let stream = TcpStream::connect(address)?;
        stream.set_nodelay(true)?;
        let request = |path: &str, body: String| {
            let mut wire = format!(
                "POST {path} HTTP/1.1\r\nhost: {address}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                body.len()
            )
            .into_bytes();
            wire.extend_from_slice(body.as_bytes());
            wire
        };
        let start = request(
            "/device_authorization",
            format!(
                r#"{{"clientId":"{}","clientSecret":"{}","startUrl":"{}"}}"#,
                canned::CLIENT_ID,
                canned::CLIENT_SECRET,
                canned::START_URL
            ),
        );
        let pending = request(
            "/token",
            format!(
                r#"{{"clientId":"{}","clientSecret":"{}","grantType":"{}","deviceCode":"{}"}}"#,
                canned::CLIENT_ID,
                canned::CLIENT_SECRET,
                canned::DEVICE_GRANT,
                canned::DEVICE_CODE
            ),
        );
        Ok(Self {
            stream,
            requests: [start, pending],
            buffer: Vec::with_capacity(8192),
        })
    }

    /// One exchange; returns the response's length in bytes.
    pub fn call(&mut self, op: Op) -> io::Result<usize> {
        self.stream.write_all(&self.requests[op as usize])?;
        self.buffer.clear();
        let mut chunk = [0u8; 4096];
        loop {
            if let Some(head_end) = find(&self.buffer, b"\r\n\r\n") {
                let (_, length) = request_head(&self.buffer[..head_end]);
                let total = head_end + 4 + length;
                if self.buffer.len() >= total {
                    return Ok(total);
                }
            }
            match self.stream.read(&mut chunk)? {
                0 => return Err(io::ErrorKind::UnexpectedEof.into()),
                n => self.buffer.extend_from_slice(&chunk[..n]),
            }
        }
    }
}
