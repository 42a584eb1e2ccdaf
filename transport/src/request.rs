//! What every executor does to a request before it goes out, and to a response's length.

use http::header::USER_AGENT;
use http::{HeaderValue, Uri};
use sso_oidc::MAX_RESPONSE_BODY;

use crate::error::Detail;
use crate::no_proxy::unbracket;

/// Where a request goes: scheme, host and port of an absolute `http` or `https` URL.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Origin {
    /// Whether the scheme is `https`.
    pub https: bool,
    /// The host; an IPv6 address without its brackets.
    pub host: String,
    /// The port, the scheme's when the URL has none.
    pub port: u16,
}

impl Origin {
    /// The origin of `uri`.
    ///
    /// # Errors
    /// [`Detail::Unsupported`] for a URL that is not absolute, has another scheme, or has no
    /// host.
    pub fn of(uri: &Uri) -> Result<Self, Detail> {
        let https = match uri.scheme_str() {
            Some("https") => true,
            Some("http") => false,
            Some(_) => return Err(Detail::Unsupported("only http and https URLs can be sent")),
            None => return Err(Detail::Unsupported("the URL is not absolute")),
        };
        let host = uri
            .host()
            .map(unbracket)
            .filter(|h| !h.is_empty())
            .ok_or(Detail::Unsupported("the URL has no host"))?;
        Ok(Self {
            https,
            host: host.to_owned(),
            port: uri.port_u16().unwrap_or(if https { 443 } else { 80 }),
        })
    }

    /// `host:port`, an IPv6 address in brackets: what `CONNECT` asks a proxy for.
    pub fn authority(&self) -> String {
        authority(&self.host, self.port)
    }

    /// The `Host` header's value: the port only when it is not the scheme's.
    pub fn host_header(&self) -> String {
        let default = if self.https { 443 } else { 80 };
        match (self.port == default, self.host.contains(':')) {
            (false, _) => self.authority(),
            (true, true) => format!("[{}]", self.host),
            (true, false) => self.host.clone(),
        }
    }
}

/// `host:port`, with brackets around an IPv6 address.
pub(crate) fn authority(host: &str, port: u16) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// The URL as messages show it: scheme, host, port and path; never user information or a
/// query.
pub fn display_url(uri: &Uri) -> String {
    let mut url = String::new();
    if let Some(scheme) = uri.scheme_str() {
        url.push_str(scheme);
        url.push_str("://");
    }
    if let Some(host) = uri.host() {
        url.push_str(host);
    }
    if let Some(port) = uri.port() {
        url.push(':');
        url.push_str(port.as_str());
    }
    url.push_str(uri.path());
    url
}

/// Puts `ours` in front of the request's own `user-agent` (the core sends `sso-oidc/<v>`).
pub(crate) fn add_user_agent(request: &mut http::Request<Vec<u8>>, ours: &HeaderValue) {
    let value = match request.headers().get(USER_AGENT) {
        Some(theirs) => {
            let mut value = Vec::with_capacity(ours.len() + 1 + theirs.len());
            value.extend_from_slice(ours.as_bytes());
            value.push(b' ');
            value.extend_from_slice(theirs.as_bytes());
            HeaderValue::from_bytes(&value).unwrap_or_else(|_| ours.clone())
        }
        None => ours.clone(),
    };
    request.headers_mut().insert(USER_AGENT, value);
}

/// What to do with a body whose length the response announced (`Content-Length`): refuse it
/// unread when it is over [`MAX_RESPONSE_BODY`], else reserve room for it (so that it is read
/// in one go instead of growing a buffer from a few bytes).
///
/// # Errors
/// [`Detail::BodyTooLarge`] for a length over the cap.
pub fn body_capacity(announced: Option<u64>) -> Result<usize, Detail> {
    match announced {
        Some(len) if len > MAX_RESPONSE_BODY as u64 => Err(Detail::BodyTooLarge),
        // At most the cap, so it fits in usize.
        Some(len) => Ok(len as usize),
        None => Ok(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_for_messages_leave_out_queries_and_credentials() {
        let uri: Uri = "https://user:pw@oidc.example.com:8443/token?x=secret"
            .parse()
            .unwrap();
        assert_eq!(display_url(&uri), "https://oidc.example.com:8443/token");
        assert_eq!(display_url(&"/token?x".parse().unwrap()), "/token");
    }

    #[test]
    fn origins_of_urls() {
        let uri = "https://oidc.us-east-1.amazonaws.com/token"
            .parse()
            .unwrap();
        let origin = Origin::of(&uri).unwrap();
        assert_eq!(
            origin,
            Origin {
                https: true,
                host: "oidc.us-east-1.amazonaws.com".into(),
                port: 443
            }
        );
        assert_eq!(origin.host_header(), "oidc.us-east-1.amazonaws.com");
        let origin = Origin::of(&"http://[::1]:8080/x".parse().unwrap()).unwrap();
        assert_eq!((origin.host.as_str(), origin.port), ("::1", 8080));
        assert_eq!(origin.host_header(), "[::1]:8080");
        assert_eq!(
            Origin::of(&"http://[::1]/".parse().unwrap())
                .unwrap()
                .host_header(),
            "[::1]"
        );
        assert!(Origin::of(&"/token".parse().unwrap()).is_err());
        assert!(Origin::of(&"ftp://x/".parse().unwrap()).is_err());
    }

    #[test]
    fn our_user_agent_goes_first() {
        let ours = HeaderValue::from_static("my-tool/1.2");
        let mut request = http::Request::new(Vec::new());
        add_user_agent(&mut request, &ours);
        assert_eq!(request.headers()[USER_AGENT], "my-tool/1.2");
        let mut request = http::Request::builder()
            .header(USER_AGENT, "sso-oidc/0.1.0")
            .body(Vec::new())
            .unwrap();
        add_user_agent(&mut request, &ours);
        assert_eq!(request.headers()[USER_AGENT], "my-tool/1.2 sso-oidc/0.1.0");
    }

    #[test]
    fn announced_lengths_over_the_cap_are_refused() {
        assert_eq!(body_capacity(None), Ok(0));
        assert_eq!(body_capacity(Some(10)), Ok(10));
        let cap = MAX_RESPONSE_BODY as u64;
        assert_eq!(body_capacity(Some(cap)), Ok(MAX_RESPONSE_BODY));
        assert_eq!(body_capacity(Some(cap + 1)), Err(Detail::BodyTooLarge));
    }
}
