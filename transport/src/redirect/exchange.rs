//! One connection to the listener, from its first byte to what is done with it.

use http::{Method, StatusCode};

use super::head::HeadReader;
use super::page::refusal;

/// The path the browser comes back to, as the AWS CLI registers it:
/// `http://127.0.0.1/oauth/callback`.
pub const CALLBACK_PATH: &str = "/oauth/callback";

/// One connection to the listener, without the socket: the executor feeds it what it reads,
/// and it says when to answer what, and when the request is the redirect the flow awaits.
///
/// ```
/// use sso_oidc_transport::redirect::{Exchange, Step};
///
/// let mut favicon = Exchange::new();
/// let Step::Answer(bytes) = favicon.feed(b"GET /favicon.ico HTTP/1.1\r\n\r\n") else { panic!() };
/// assert!(bytes.starts_with(b"HTTP/1.1 404 Not Found\r\n"));
///
/// let mut redirect = Exchange::new();
/// assert_eq!(redirect.feed(b"GET /oauth/callback?code=c&state=s HTTP/1.1\r\n"), Step::More);
/// assert_eq!(
///     redirect.feed(b"\r\n"),
///     Step::Redirect("/oauth/callback?code=c&state=s".into())
/// );
/// ```
#[derive(Debug, Clone, Default)]
pub struct Exchange {
    reader: HeadReader,
}

/// What to do with a connection after the bytes just read: made by [`Exchange::feed`].
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Step {
    /// The request head is not complete yet: read more (within the connection's time cap;
    /// past it, or at the end of the stream, close without an answer).
    More,
    /// Send these bytes (a whole response: 404 for another path, 405, 400, 431, or the headers
    /// for a `HEAD` of the callback) and close the connection. The flow is not told.
    Answer(Vec<u8>),
    /// A `GET` of [`CALLBACK_PATH`]: hand this request target (path and query, exactly as
    /// sent) to the flow, and answer with the [`Reply`](super::Reply) it chooses.
    Redirect(String),
}

impl std::fmt::Debug for Step {
    /// A redirect's target without its query, which holds the authorization code.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::More => f.write_str("More"),
            Self::Answer(bytes) => f.debug_tuple("Answer").field(&bytes.len()).finish(),
            Self::Redirect(target) => f
                .debug_tuple("Redirect")
                .field(&super::redacted_target(target))
                .finish(),
        }
    }
}

impl Exchange {
    /// A connection on which nothing was read yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes the next bytes read from the connection.
    pub fn feed(&mut self, bytes: &[u8]) -> Step {
        let head = match self.reader.feed(bytes) {
            Ok(None) => return Step::More,
            Ok(Some(head)) => head,
            Err(error) => return Step::Answer(refusal(error.status(), false)),
        };
        let head_only = head.method() == Method::HEAD;
        match (head.path() == CALLBACK_PATH, head_only) {
            (true, false) => Step::Redirect(head.target().to_owned()),
            // A HEAD has no effect (RFC 9110 9.3.2): a prefetcher's does not spend the code.
            (true, true) => Step::Answer(refusal(StatusCode::OK, true)),
            (false, _) => Step::Answer(refusal(StatusCode::NOT_FOUND, head_only)),
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn debug_output_never_shows_the_authorization_code() {
        let mut exchange = Exchange::new();
        assert_eq!(
            exchange.feed(b"GET /oauth/callback?code=SECRETCODE&state=s HTTP/1.1\r\n"),
            Step::More
        );
        let half_read = format!("{exchange:?}");
        assert!(!half_read.contains("SECRETCODE"), "{half_read}");
        let step = exchange.feed(b"host: x\r\n\r\n");
        assert_eq!(
            step,
            Step::Redirect("/oauth/callback?code=SECRETCODE&state=s".into())
        );
        let shown = format!("{step:?}");
        assert_eq!(shown, r#"Redirect("/oauth/callback?<redacted>")"#);
        let mut reader = crate::redirect::HeadReader::new();
        let head = reader
            .feed(b"GET /oauth/callback?code=SECRETCODE HTTP/1.1\r\n\r\n")
            .unwrap()
            .unwrap();
        assert!(!format!("{head:?}").contains("SECRETCODE"), "{head:?}");
    }

    use super::*;

    fn answer(request: &[u8]) -> String {
        match Exchange::new().feed(request) {
            Step::Answer(bytes) => String::from_utf8(bytes).unwrap(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn routes() {
        assert!(answer(b"GET /favicon.ico HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 404 "));
        assert!(answer(b"GET /oauth/callback/x HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 404 "));
        assert!(
            answer(b"GET /oauth/callbackx?code=c HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 404 ")
        );
        assert!(answer(b"POST /oauth/callback HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 405 "));
        assert!(answer(b"DELETE / HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 405 "));
        assert!(
            answer(b"GET / HTTP/1.1\r\nContent-Length: 1\r\n\r\nx").starts_with("HTTP/1.1 400 ")
        );
        assert!(answer(b"hello\r\n\r\n").starts_with("HTTP/1.1 400 "));
        let head = answer(b"HEAD /oauth/callback?code=c&state=s HTTP/1.1\r\n\r\n");
        assert!(head.starts_with("HTTP/1.1 200 ") && head.ends_with("\r\n\r\n"));
        assert!(!head.contains("<html"));
        let big = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(9000));
        assert!(answer(big.as_bytes()).starts_with("HTTP/1.1 431 "));
    }

    #[test]
    fn the_callback_target_comes_back_exactly() {
        for target in [
            "/oauth/callback",
            "/oauth/callback?",
            "/oauth/callback?code=c&state=s",
            "/oauth/callback?error=access_denied&state=s",
            "/oauth/callback?code=a%2Fb%3D&state=%7B%7D",
        ] {
            let request = format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assert_eq!(
                Exchange::new().feed(request.as_bytes()),
                Step::Redirect(target.to_owned())
            );
        }
    }
}
