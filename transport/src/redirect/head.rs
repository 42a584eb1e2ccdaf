//! One HTTP/1.1 request head, read from bytes as they arrive, within a size cap.

use http::Method;

/// The most bytes a request head may take: the request line and every header, with the blank
/// line that ends them. A browser's redirect to the listener is well under 2 KiB; the code the
/// service sends is a few hundred characters.
pub const MAX_HEAD_BYTES: usize = 8 * 1024;

/// Header lines beyond this many make the head [`HeadError::TooLarge`].
const MAX_HEADERS: usize = 64;

/// Reads one request head from bytes fed as they come off the connection.
///
/// It buffers at most its limit ([`MAX_HEAD_BYTES`] unless told otherwise), so a client that
/// sends a mile of headers costs that much memory and no more. Once [`feed`](Self::feed) has
/// returned a head or an error, the connection is done with: the listener answers and closes
/// (`Connection: close`), and nothing after the head is read.
///
/// ```
/// use sso_oidc_transport::redirect::{HeadReader, HeadError};
///
/// let mut reader = HeadReader::new();
/// assert_eq!(reader.feed(b"GET /oauth/callback?code=c&st"), Ok(None));
/// let head = reader.feed(b"ate=s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")?.unwrap();
/// assert_eq!(head.method(), "GET");
/// assert_eq!(head.target(), "/oauth/callback?code=c&state=s");
///
/// let mut reader = HeadReader::new();
/// assert_eq!(reader.feed(b"POST / HTTP/1.1\r\n\r\n"), Err(HeadError::Method("POST".into())));
/// # Ok::<(), HeadError>(())
/// ```
#[derive(Clone)]
pub struct HeadReader {
    buf: Vec<u8>,
    limit: usize,
}

/// A request head the listener can answer: a `GET` or a `HEAD` without a body, for a target
/// in origin form (a path, maybe with a query).
#[derive(Clone, PartialEq, Eq)]
pub struct RequestHead {
    method: Method,
    target: String,
}

/// Why a request head cannot be answered as the listener answers; each has its status
/// ([`status`](Self::status)).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HeadError {
    /// The head did not end within the limit (bytes or header lines). 431.
    #[error("the request head is larger than {limit} bytes")]
    TooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// Not an HTTP/1.x request head, or a request target that is not a path
    /// (absolute form, `*`). 400.
    #[error("malformed request: {0}")]
    Malformed(&'static str),
    /// A method other than `GET` and `HEAD`: the method. 405.
    #[error("method {0} is not allowed")]
    Method(String),
    /// A `GET` or `HEAD` with a body (`Content-Length` above zero, or `Transfer-Encoding`).
    /// 400.
    #[error("a request with a body")]
    Body,
}

impl HeadError {
    /// The status the listener answers this with.
    pub fn status(&self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            Self::TooLarge { .. } => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            Self::Malformed(_) | Self::Body => StatusCode::BAD_REQUEST,
            Self::Method(_) => StatusCode::METHOD_NOT_ALLOWED,
        }
    }
}

impl std::fmt::Debug for HeadReader {
    /// How much was read, never the bytes: a redirect's query holds the authorization code.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HeadReader")
            .field("read", &self.buf.len())
            .field("limit", &self.limit)
            .finish()
    }
}

impl std::fmt::Debug for RequestHead {
    /// The target without its query, which holds the authorization code.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestHead")
            .field("method", &self.method)
            .field("target", &super::redacted_target(&self.target))
            .finish()
    }
}

impl RequestHead {
    /// `GET` or `HEAD`.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The request target as sent, a path with its query: `/oauth/callback?code=…&state=…`.
    pub fn target(&self) -> &str {
        &self.target
    }

    /// The target's path, without the query.
    pub fn path(&self) -> &str {
        self.target
            .split_once('?')
            .map_or(&self.target, |(path, _)| path)
    }
}

impl Default for HeadReader {
    fn default() -> Self {
        Self::new()
    }
}

impl HeadReader {
    /// A reader with the limit [`MAX_HEAD_BYTES`].
    pub fn new() -> Self {
        Self::with_limit(MAX_HEAD_BYTES)
    }

    /// A reader whose head may take at most `limit` bytes.
    pub fn with_limit(limit: usize) -> Self {
        Self {
            buf: Vec::new(),
            limit,
        }
    }

    /// Takes the next bytes off the connection: `Ok(None)` while the head is not complete,
    /// then the head.
    ///
    /// # Errors
    /// A [`HeadError`] once the bytes so far cannot become a head the listener answers: over
    /// the limit, malformed, another method, or a body.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<Option<RequestHead>, HeadError> {
        // One byte over the limit is enough to know; never buffer more.
        let room = (self.limit + 1).saturating_sub(self.buf.len());
        self.buf.extend_from_slice(&bytes[..bytes.len().min(room)]);
        let too_large = HeadError::TooLarge { limit: self.limit };

        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut request = httparse::Request::new(&mut headers);
        let length = match request.parse(&self.buf) {
            Ok(httparse::Status::Complete(length)) => length,
            Ok(httparse::Status::Partial) if self.buf.len() > self.limit => return Err(too_large),
            Ok(httparse::Status::Partial) => return Ok(None),
            Err(httparse::Error::TooManyHeaders) => return Err(too_large),
            Err(_) => return Err(HeadError::Malformed("not an HTTP/1 request head")),
        };
        if length > self.limit {
            return Err(too_large);
        }
        let (Some(method), Some(target)) = (request.method, request.path) else {
            return Err(HeadError::Malformed("no request line"));
        };
        let method = match method {
            "GET" => Method::GET,
            "HEAD" => Method::HEAD,
            other => return Err(HeadError::Method(other.to_owned())),
        };
        if !target.starts_with('/') {
            return Err(HeadError::Malformed("the request target is not a path"));
        }
        for header in request.headers.iter() {
            let body = if header.name.eq_ignore_ascii_case("transfer-encoding") {
                true
            } else if header.name.eq_ignore_ascii_case("content-length") {
                // Anything but a plain zero: a body, or a length we will not guess at.
                std::str::from_utf8(header.value).map(str::trim) != Ok("0")
            } else {
                false
            };
            if body {
                return Err(HeadError::Body);
            }
        }
        Ok(Some(RequestHead {
            method,
            target: target.to_owned(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn read(bytes: &[u8]) -> Result<Option<RequestHead>, HeadError> {
        HeadReader::new().feed(bytes)
    }

    #[test]
    fn a_browser_redirect_in_one_piece_or_byte_by_byte() {
        let bytes = b"GET /oauth/callback?code=c%2Bd&state=s HTTP/1.1\r\nHost: 127.0.0.1:4321\r\n\
            User-Agent: Mozilla/5.0\r\nAccept: text/html\r\n\r\n";
        let head = read(bytes).unwrap().unwrap();
        assert_eq!(head.method(), Method::GET);
        assert_eq!(head.target(), "/oauth/callback?code=c%2Bd&state=s");
        assert_eq!(head.path(), "/oauth/callback");

        let mut reader = HeadReader::new();
        let (last, rest) = bytes.split_last().unwrap();
        for byte in rest {
            assert_eq!(reader.feed(std::slice::from_ref(byte)), Ok(None));
        }
        assert_eq!(reader.feed(&[*last]), Ok(Some(head)));
    }

    #[test]
    fn head_and_http_1_0_and_bare_line_feeds() {
        let head = read(b"HEAD /favicon.ico HTTP/1.0\n\n").unwrap().unwrap();
        assert_eq!(head.method(), Method::HEAD);
        assert_eq!(head.path(), "/favicon.ico");
    }

    #[test]
    fn refusals() {
        assert_eq!(
            read(b"POST /oauth/callback HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc"),
            Err(HeadError::Method("POST".into()))
        );
        assert_eq!(
            read(b"GET / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc"),
            Err(HeadError::Body)
        );
        assert_eq!(
            read(b"GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"),
            Err(HeadError::Body)
        );
        assert!(
            read(b"GET / HTTP/1.1\r\ncontent-length: 0\r\n\r\n")
                .unwrap()
                .is_some()
        );
        assert!(matches!(
            read(b"GET http://127.0.0.1/oauth/callback HTTP/1.1\r\n\r\n"),
            Err(HeadError::Malformed(_))
        ));
        assert!(matches!(
            read(b"\x16\x03\x01\x02\x00"),
            Err(HeadError::Malformed(_))
        ));
        assert_eq!(HeadError::Method("PUT".into()).status(), 405);
    }

    #[test]
    fn the_cap_counts_bytes_and_header_lines() {
        let mut reader = HeadReader::with_limit(64);
        assert_eq!(reader.feed(b"GET /"), Ok(None));
        assert_eq!(
            reader.feed(&[b'a'; 100]),
            Err(HeadError::TooLarge { limit: 64 })
        );
        assert!(reader.buf.len() <= 65, "never buffers past the limit");

        let complete_but_long = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(60));
        assert_eq!(
            HeadReader::with_limit(64).feed(complete_but_long.as_bytes()),
            Err(HeadError::TooLarge { limit: 64 })
        );

        let many = format!(
            "GET / HTTP/1.1\r\n{}\r\n",
            "A: b\r\n".repeat(MAX_HEADERS + 1)
        );
        assert_eq!(
            read(many.as_bytes()),
            Err(HeadError::TooLarge {
                limit: MAX_HEAD_BYTES
            })
        );
        assert_eq!(HeadError::TooLarge { limit: 1 }.status(), 431);
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_in_arbitrary_pieces_never_panic(
            pieces in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..512), 0..40),
            limit in 0usize..4096,
        ) {
            let mut reader = HeadReader::with_limit(limit);
            for piece in &pieces {
                match reader.feed(piece) {
                    Ok(None) => prop_assert!(reader.buf.len() <= limit + 1),
                    Ok(Some(head)) => {
                        prop_assert!(head.target().starts_with('/'));
                        break;
                    }
                    Err(_) => break,
                }
            }
        }

        #[test]
        fn any_split_of_a_head_reads_the_same(target in "/[!-~]{0,200}", cut in any::<prop::sample::Index>()) {
            let bytes = format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").into_bytes();
            let whole = HeadReader::new().feed(&bytes);
            let cut = cut.index(bytes.len());
            let mut reader = HeadReader::new();
            let first = reader.feed(&bytes[..cut]);
            let split = match first {
                Ok(None) if cut < bytes.len() => reader.feed(&bytes[cut..]),
                other => other,
            };
            prop_assert_eq!(split, whole);
        }
    }
}
