//! Which proxy, if any, a request goes through: `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and
//! `NO_PROXY` as curl reads them, or one proxy for everything.

use std::fmt;

use http::Uri;
use http::header::HeaderValue;
use hyper_util::client::proxy::matcher::Matcher;

use crate::error::ConfigError;

/// The proxy settings of a client.
pub(crate) struct Proxies(Option<Matcher>);

/// The proxy for one request.
#[derive(Clone)]
pub(crate) struct Proxy {
    /// `http` or `https` (TLS to the proxy itself).
    pub(crate) https: bool,
    pub(crate) host: String,
    pub(crate) port: u16,
    /// `Proxy-Authorization`, from the proxy URL's user and password.
    pub(crate) authorization: Option<HeaderValue>,
}

impl Proxy {
    /// The proxy's URL without credentials, for messages.
    pub(crate) fn url(&self) -> String {
        let scheme = if self.https { "https" } else { "http" };
        format!("{scheme}://{}", authority(&self.host, self.port))
    }
}

impl Proxies {
    /// No proxy.
    pub(crate) fn none() -> Self {
        Self(None)
    }

    /// From the environment, as curl reads it: `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`,
    /// `NO_PROXY`, upper or lower case. Values that are not proxy URLs are ignored, as curl
    /// ignores them.
    pub(crate) fn from_env() -> Self {
        Self(Some(Matcher::from_env()))
    }

    /// Every request through this proxy.
    pub(crate) fn fixed(url: &str) -> Result<Self, ConfigError> {
        let invalid = |reason| ConfigError::InvalidProxy {
            url: without_credentials(url),
            reason,
        };
        let uri: Uri = url
            .parse()
            .map_err(|_| invalid("not a URL, e.g. http://proxy.example.com:3128"))?;
        if !matches!(uri.scheme_str(), None | Some("http" | "https")) {
            return Err(invalid("only http:// and https:// proxies are supported"));
        }
        if uri.host().is_none_or(str::is_empty) {
            return Err(invalid("no host"));
        }
        Ok(Self(Some(Matcher::builder().all(url.to_owned()).build())))
    }

    /// The proxy for a request to `uri`, if it goes through one.
    ///
    /// # Errors
    /// The proxy's URL, when it names a proxy this transport cannot use (SOCKS).
    pub(crate) fn for_uri(&self, uri: &Uri) -> Result<Option<Proxy>, String> {
        let Some(intercept) = self.0.as_ref().and_then(|m| m.intercept(uri)) else {
            return Ok(None);
        };
        let proxy = intercept.uri();
        let https = match proxy.scheme_str() {
            Some("http") => false,
            Some("https") => true,
            _ => return Err(without_credentials(&proxy.to_string())),
        };
        let host = proxy.host().unwrap_or_default();
        let host = host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(host);
        Ok(Some(Proxy {
            https,
            host: host.to_owned(),
            port: proxy.port_u16().unwrap_or(if https { 443 } else { 80 }),
            authorization: intercept.basic_auth().cloned(),
        }))
    }
}

impl fmt::Debug for Proxies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // hyper-util's Debug leaves credentials out.
        match &self.0 {
            None => f.write_str("None"),
            Some(matcher) => matcher.fmt(f),
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

/// A URL for messages: any `user:password@` left out.
pub(crate) fn without_credentials(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
    if scheme.is_empty() {
        format!("{authority}{path}")
    } else {
        format!("{scheme}://{authority}{path}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(s: &str) -> Uri {
        s.parse().unwrap()
    }

    #[test]
    fn a_fixed_proxy_takes_every_request_with_its_credentials() {
        let proxies = Proxies::fixed("http://user:p%40ss@proxy.example.com:3128").unwrap();
        for target in [
            "https://oidc.us-east-1.amazonaws.com/token",
            "http://127.0.0.1:9/",
        ] {
            let proxy = proxies.for_uri(&uri(target)).unwrap().unwrap();
            assert_eq!(proxy.url(), "http://proxy.example.com:3128");
            // base64("user:p@ss")
            assert_eq!(proxy.authorization.as_ref().unwrap(), "Basic dXNlcjpwQHNz");
        }
        let proxy = Proxies::fixed("proxy.example.com")
            .unwrap()
            .for_uri(&uri("https://x.example/"))
            .unwrap()
            .unwrap();
        assert_eq!((proxy.https, proxy.port), (false, 80));
        assert!(proxy.authorization.is_none());
        let proxy = Proxies::fixed("https://[::1]:8443")
            .unwrap()
            .for_uri(&uri("https://x.example/"))
            .unwrap()
            .unwrap();
        assert_eq!((proxy.https, proxy.host.as_str()), (true, "::1"));
        assert_eq!(proxy.url(), "https://[::1]:8443");
    }

    #[test]
    fn bad_proxy_urls_are_config_errors_without_credentials() {
        let error = Proxies::fixed("socks5://user:secret@proxy:1080").unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid proxy URL \"socks5://proxy:1080\": only http:// and https:// proxies are supported"
        );
        assert!(Proxies::fixed("http://").is_err());
        assert!(Proxies::fixed("not a url").is_err());
    }

    #[test]
    fn no_proxy_means_none() {
        assert!(
            Proxies::none()
                .for_uri(&uri("https://x.example/"))
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn credentials_never_reach_messages() {
        assert_eq!(without_credentials("http://u:p@h:1/x?y"), "http://h:1/x?y");
        assert_eq!(without_credentials("u:p@h:1"), "h:1");
        assert_eq!(without_credentials("http://h"), "http://h");
    }
}
