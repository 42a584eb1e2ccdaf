//! Following a redirect as a browser would, for scripted authorization decisions: one plain
//! HTTP/1.1 `GET` to a loopback address, and nowhere else.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// How long the whole exchange with the redirect's listener may take.
pub(crate) const TIMEOUT: Duration = Duration::from_secs(10);

/// How much of the listener's answer is read; the rest is left unread.
const MAX_ANSWER: usize = 64 << 10;

/// Why a redirect was not followed to an answer.
#[derive(Debug, thiserror::Error)]
pub(crate) enum FollowError {
    /// Not an `http` URI with a loopback host: the emulator goes nowhere else.
    #[error("the redirect goes to {0}, not to a loopback http address")]
    NotLoopback(String),
    /// No connection, or it broke.
    #[error("the redirect's listener could not be reached: {0}")]
    Io(#[from] std::io::Error),
    /// No answer within [`TIMEOUT`].
    #[error("the redirect's listener did not answer within {} s", TIMEOUT.as_secs())]
    Timeout,
    /// An answer that does not start with an HTTP status line.
    #[error("the redirect's listener did not answer HTTP")]
    NotHttp,
}

/// Sends `GET location` to its loopback listener and returns the status it answered.
pub(crate) async fn get(location: &str) -> Result<u16, FollowError> {
    let (addr, host, target) = loopback_target(location)?;
    tokio::time::timeout(TIMEOUT, exchange(addr, &host, &target))
        .await
        .map_err(|_| FollowError::Timeout)?
}

/// The address to connect to, the `Host` header, and the request target of `location`.
fn loopback_target(location: &str) -> Result<(SocketAddr, String, String), FollowError> {
    let refused = || FollowError::NotLoopback(location.to_owned());
    let uri: http::Uri = location.parse().map_err(|_| refused())?;
    let authority = uri.authority().ok_or_else(refused)?;
    if uri.scheme_str() != Some("http") || authority.as_str().contains('@') {
        return Err(refused());
    }
    let ip = match authority.host().to_ascii_lowercase().as_str() {
        "127.0.0.1" | "localhost" => IpAddr::V4(Ipv4Addr::LOCALHOST),
        "[::1]" => IpAddr::V6(Ipv6Addr::LOCALHOST),
        _ => return Err(refused()),
    };
    let target = uri
        .path_and_query()
        .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned());
    Ok((
        SocketAddr::new(ip, authority.port_u16().unwrap_or(80)),
        authority.as_str().to_owned(),
        target,
    ))
}

async fn exchange(addr: SocketAddr, host: &str, target: &str) -> Result<u16, FollowError> {
    let mut stream = TcpStream::connect(addr).await?;
    let request = format!(
        "GET {target} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: sso-oidc-emulator\r\n\
         Accept: text/html\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await?;
    // Read to the end (the listener closes after its page), so it is not cut off mid-write.
    let mut answer = Vec::new();
    (&mut stream)
        .take(MAX_ANSWER as u64)
        .read_to_end(&mut answer)
        .await?;
    status(&answer).ok_or(FollowError::NotHttp)
}

/// The status code of an HTTP/1.x answer: `HTTP/1.1 200 OK`.
fn status(answer: &[u8]) -> Option<u16> {
    let line = answer.split(|&b| b == b'\n').next()?;
    let line = std::str::from_utf8(line).ok()?;
    let mut words = line.split_whitespace();
    words.next()?.starts_with("HTTP/1.").then_some(())?;
    words.next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_http_is_followed() {
        let (addr, host, target) =
            loopback_target("http://127.0.0.1:5000/oauth/callback?code=c&state=s").unwrap();
        assert_eq!(addr, "127.0.0.1:5000".parse().unwrap());
        assert_eq!(host, "127.0.0.1:5000");
        assert_eq!(target, "/oauth/callback?code=c&state=s");
        let (addr, ..) = loopback_target("http://[::1]/cb").unwrap();
        assert_eq!(addr, "[::1]:80".parse().unwrap());
        for refused in [
            "https://127.0.0.1:5000/cb",
            "http://example.com/cb",
            "http://127.0.0.2/cb",
            "http://user@127.0.0.1/cb",
            "/cb",
        ] {
            assert!(
                matches!(loopback_target(refused), Err(FollowError::NotLoopback(_))),
                "{refused}"
            );
        }
    }

    #[test]
    fn the_status_line_is_read() {
        assert_eq!(status(b"HTTP/1.1 200 OK\r\n\r\nhi"), Some(200));
        assert_eq!(status(b"HTTP/1.0 404 Not Found\r\n"), Some(404));
        assert_eq!(status(b"SSH-2.0-OpenSSH\r\n"), None);
        assert_eq!(status(b""), None);
    }
}
