//! Which proxy, if any, a request goes through.
//!
//! The environment is read as curl and botocore (urllib) read it: `https_proxy` for `https`
//! URLs and `http_proxy` for `http` URLs, `all_proxy` for either when those are unset, each in
//! lower case first and then upper case, and `no_proxy` for the hosts that go direct
//! (hyper-util's matcher, which follows curl). Loopback hosts always go direct.

use std::fmt;
use std::net::IpAddr;

use http::Uri;
use http::header::HeaderValue;
use hyper_util::client::proxy::matcher::Matcher;

use crate::error::ConfigError;

/// The proxy settings of a client.
pub(crate) struct Proxies {
    matcher: Option<Matcher>,
    /// Whether the settings came from the environment: then loopback hosts go direct.
    from_env: bool,
}

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
        Self {
            matcher: None,
            from_env: false,
        }
    }

    /// Every request through this proxy, loopback included.
    pub(crate) fn fixed(url: &str) -> Result<Self, ConfigError> {
        check(url, "proxy()")?;
        Ok(Self {
            matcher: Some(Matcher::builder().all(url.to_owned()).build()),
            from_env: false,
        })
    }

    /// From the environment, read through `var`.
    pub(crate) fn from_env(var: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let first = |names: [&'static str; 2]| {
            names.into_iter().find_map(|name| {
                var(name)
                    .map(|value| value.trim().to_owned())
                    .filter(|value| !value.is_empty())
                    .map(|value| (name, value))
            })
        };
        let mut builder = Matcher::builder();
        if let Some((name, url)) = first(["https_proxy", "HTTPS_PROXY"]) {
            check(&url, name)?;
            builder = builder.https(url);
        }
        if let Some((name, url)) = first(["http_proxy", "HTTP_PROXY"]) {
            check(&url, name)?;
            builder = builder.http(url);
        }
        if let Some((name, url)) = first(["all_proxy", "ALL_PROXY"]) {
            check(&url, name)?;
            builder = builder.all(url);
        }
        if let Some((_, list)) = first(["no_proxy", "NO_PROXY"]) {
            builder = builder.no(list);
        }
        Ok(Self {
            matcher: Some(builder.build()),
            from_env: true,
        })
    }

    /// The proxy for a request to `uri`, if it goes through one.
    pub(crate) fn for_uri(&self, uri: &Uri) -> Option<Proxy> {
        let matcher = self.matcher.as_ref()?;
        if self.from_env && uri.host().is_some_and(is_loopback) {
            return None;
        }
        let intercept = matcher.intercept(uri)?;
        let proxy = intercept.uri();
        // `check` let only http and https proxies in.
        let https = proxy.scheme_str() == Some("https");
        let host = proxy.host().unwrap_or_default();
        Some(Proxy {
            https,
            host: unbracket(host).to_owned(),
            port: proxy.port_u16().unwrap_or(if https { 443 } else { 80 }),
            authorization: intercept.basic_auth().cloned(),
        })
    }
}

/// A proxy URL this transport can use: `http` or `https` (no scheme is `http`), with a host.
fn check(url: &str, origin: &'static str) -> Result<(), ConfigError> {
    let invalid = |reason| ConfigError::InvalidProxy { origin, reason };
    let uri: Uri = url.parse().map_err(|_| invalid("not a URL with a host"))?;
    if !matches!(uri.scheme_str(), None | Some("http" | "https")) {
        return Err(invalid("only http:// and https:// proxies are supported"));
    }
    if uri.host().is_none_or(str::is_empty) {
        return Err(invalid("not a URL with a host"));
    }
    Ok(())
}

/// Whether `host` is this machine: a proxy elsewhere could not reach it. Requests to it never
/// use a proxy from the environment (as in Go's `ProxyFromEnvironment`), so a local emulator
/// works behind a corporate `HTTPS_PROXY` without a `NO_PROXY`.
pub(crate) fn is_loopback(host: &str) -> bool {
    let host = unbracket(host).trim_end_matches('.').to_ascii_lowercase();
    host == "localhost"
        || host.ends_with(".localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn unbracket(host: &str) -> &str {
    host.strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host)
}

impl fmt::Debug for Proxies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // hyper-util's Debug leaves credentials out.
        match &self.matcher {
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
    use std::collections::HashMap;

    fn uri(s: &str) -> Uri {
        s.parse().unwrap()
    }

    fn env(vars: &[(&str, &str)]) -> Result<Proxies, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Proxies::from_env(|name| vars.get(name).cloned())
    }

    fn via(proxies: &Proxies, target: &str) -> Option<String> {
        proxies.for_uri(&uri(target)).map(|p| p.url())
    }

    const AWS: &str = "https://oidc.us-east-1.amazonaws.com/token";

    #[test]
    fn a_fixed_proxy_takes_every_request_with_its_credentials() {
        let proxies = Proxies::fixed("http://user:p%40ss@proxy.example.com:3128").unwrap();
        for target in [AWS, "http://127.0.0.1:9/"] {
            let proxy = proxies.for_uri(&uri(target)).unwrap();
            assert_eq!(proxy.url(), "http://proxy.example.com:3128");
            // base64("user:p@ss")
            assert_eq!(proxy.authorization.as_ref().unwrap(), "Basic dXNlcjpwQHNz");
        }
        let proxy = Proxies::fixed("proxy.example.com")
            .unwrap()
            .for_uri(&uri(AWS))
            .unwrap();
        assert_eq!((proxy.https, proxy.port), (false, 80));
        assert!(proxy.authorization.is_none());
        let proxy = Proxies::fixed("https://[::1]:8443")
            .unwrap()
            .for_uri(&uri(AWS))
            .unwrap();
        assert_eq!((proxy.https, proxy.host.as_str()), (true, "::1"));
        assert_eq!(proxy.url(), "https://[::1]:8443");
    }

    #[test]
    fn bad_proxy_urls_are_config_errors_naming_where_they_came_from() {
        let error = Proxies::fixed("socks5://user:secret@proxy:1080").unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid proxy URL in proxy(): only http:// and https:// proxies are supported"
        );
        assert!(Proxies::fixed("http://").is_err());
        assert!(Proxies::fixed("not a url").is_err());
        let error = env(&[("http_proxy", "socks5h://proxy:1080")]).unwrap_err();
        assert!(matches!(
            error,
            ConfigError::InvalidProxy {
                origin: "http_proxy",
                ..
            }
        ));
    }

    #[test]
    fn environment_proxies_by_scheme_except_no_proxy_and_loopback() {
        let proxies = env(&[
            ("HTTPS_PROXY", "http://user:secret@proxy.corp:3128"),
            ("NO_PROXY", "localhost, .internal.corp"),
        ])
        .unwrap();
        assert_eq!(
            via(&proxies, AWS).as_deref(),
            Some("http://proxy.corp:3128")
        );
        assert_eq!(via(&proxies, "https://sso.internal.corp/token"), None);
        assert_eq!(
            via(&proxies, "https://127.0.0.1:8443/token"),
            None,
            "loopback"
        );
        assert_eq!(via(&proxies, "https://[::1]:8443/token"), None, "loopback");
        assert_eq!(via(&proxies, "https://localhost/token"), None, "loopback");
        assert_eq!(
            via(&proxies, "http://emulator.example:8080/token"),
            None,
            "no HTTP_PROXY"
        );
        assert!(!format!("{proxies:?}").contains("secret"));

        // Lower case first; all_proxy fills in.
        let proxies = env(&[
            ("https_proxy", "http://lower:1"),
            ("HTTPS_PROXY", "http://upper:2"),
            ("ALL_PROXY", "http://all:3"),
        ])
        .unwrap();
        assert_eq!(via(&proxies, AWS).as_deref(), Some("http://lower:1"));
        assert_eq!(
            via(&proxies, "http://emulator.example/token").as_deref(),
            Some("http://all:3")
        );
        assert_eq!(
            via(&env(&[("HTTP_PROXY", " ")]).unwrap(), "http://x.example/"),
            None
        );
    }

    #[test]
    fn no_proxy_means_none() {
        assert!(Proxies::none().for_uri(&uri(AWS)).is_none());
    }

    #[test]
    fn credentials_never_reach_messages() {
        assert_eq!(without_credentials("http://u:p@h:1/x?y"), "http://h:1/x?y");
        assert_eq!(without_credentials("u:p@h:1"), "h:1");
        assert_eq!(without_credentials("http://h"), "http://h");
    }
}
