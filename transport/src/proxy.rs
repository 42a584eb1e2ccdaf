//! Which proxy, if any, a request goes through.
//!
//! The environment is read as curl and botocore (urllib) read it: `https_proxy` for `https`
//! URLs and `http_proxy` for `http` URLs, `all_proxy` for either when those are unset, each in
//! lower case first and then upper case, and `no_proxy` for the hosts that go direct
//! ([`NoProxy`]). Loopback hosts never go through a proxy from the environment.

use std::fmt;

use base64::Engine as _;
use http::{HeaderValue, Uri};
use percent_encoding::percent_decode_str;
use sso_oidc::Secret;

use crate::env::Environment;
use crate::error::ConfigError;
use crate::no_proxy::{NoProxy, is_loopback, unbracket};
use crate::request::authority;

/// A proxy: where it is, and the `Proxy-Authorization` its URL's user and password make.
///
/// `Debug` and [`url`](Self::url) show the scheme, host and port only, never the credentials.
#[derive(Clone, PartialEq, Eq)]
pub struct Proxy {
    https: bool,
    host: String,
    port: u16,
    authorization: Option<HeaderValue>,
    /// The URL as given, with a scheme: what a library that parses proxy URLs itself takes.
    given: Secret<String>,
}

impl Proxy {
    /// Reads a proxy URL such as `http://user:p%40ss@proxy.example.com:3128`: `http` or
    /// `https` (TLS to the proxy itself); a URL without a scheme is `http`, without a port the
    /// scheme's.
    ///
    /// # Errors
    /// [`ConfigError::InvalidProxy`], naming `origin` (an environment variable, or `proxy()`),
    /// for something that is not a URL with a host or has another scheme. The message never
    /// repeats the URL, which may hold a password.
    pub fn parse(url: &str, origin: &'static str) -> Result<Self, ConfigError> {
        let invalid = |reason| ConfigError::InvalidProxy { origin, reason };
        let uri: Uri = url.parse().map_err(|_| invalid("not a URL with a host"))?;
        let https = match uri.scheme_str() {
            None | Some("http") => false,
            Some("https") => true,
            Some(_) => return Err(invalid("only http:// and https:// proxies are supported")),
        };
        let authority = uri.authority().ok_or(invalid("not a URL with a host"))?;
        let host = unbracket(authority.host());
        if host.is_empty() {
            return Err(invalid("not a URL with a host"));
        }
        let authorization = authority
            .as_str()
            .rsplit_once('@')
            .map(|(userinfo, _)| basic_authorization(userinfo));
        let given = if uri.scheme().is_some() {
            url.to_owned()
        } else {
            format!("http://{url}")
        };
        Ok(Self {
            https,
            host: host.to_owned(),
            port: authority.port_u16().unwrap_or(if https { 443 } else { 80 }),
            authorization,
            given: Secret::new(given),
        })
    }

    /// Whether the connection to the proxy itself is TLS (`https://` proxy URL).
    pub fn is_https(&self) -> bool {
        self.https
    }

    /// The proxy's host (an IPv6 address without brackets).
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The proxy's port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `Proxy-Authorization` (`Basic …`) for the user and password in the URL, if it had any.
    /// It is a secret: send it to the proxy only.
    pub fn authorization(&self) -> Option<&HeaderValue> {
        self.authorization.as_ref()
    }

    /// The URL as given (credentials included), with a scheme, for an HTTP library that takes
    /// a proxy URL as a string.
    pub fn given_url(&self) -> &Secret<String> {
        &self.given
    }

    /// The proxy's URL without credentials, for messages: `http://proxy.example.com:3128`.
    pub fn url(&self) -> String {
        let scheme = if self.https { "https" } else { "http" };
        format!("{scheme}://{}", authority(&self.host, self.port))
    }
}

impl fmt::Debug for Proxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url())
    }
}

/// `Basic base64(user:password)`, each percent-decoded, as curl and urllib send it.
fn basic_authorization(userinfo: &str) -> HeaderValue {
    let (user, password) = userinfo.split_once(':').unwrap_or((userinfo, ""));
    let mut credentials = percent_decode_str(user).collect::<Vec<u8>>();
    credentials.push(b':');
    credentials.extend(percent_decode_str(password));
    let encoded = base64::engine::general_purpose::STANDARD.encode(credentials);
    let mut value = HeaderValue::try_from(format!("Basic {encoded}"))
        .expect("base64 is always a valid header value");
    value.set_sensitive(true);
    value
}

/// The proxies of a client: one for every request, or the environment's by scheme.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Proxies {
    /// Every proxy a request may go through, without repeats.
    list: Vec<Proxy>,
    route: Route,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
enum Route {
    /// Every request goes direct.
    #[default]
    Direct,
    /// Every request goes through `list[0]`, loopback included.
    All,
    /// `https` and `http` URLs through these entries of `list`, except loopback and `no_proxy`.
    Env {
        https: Option<usize>,
        http: Option<usize>,
        no_proxy: NoProxy,
    },
}

impl Proxies {
    /// Every request through this proxy (`proxy()` in messages).
    ///
    /// # Errors
    /// As [`Proxy::parse`].
    pub(crate) fn fixed(url: &str) -> Result<Self, ConfigError> {
        Ok(Self {
            list: vec![Proxy::parse(url, "proxy()")?],
            route: Route::All,
        })
    }

    /// The proxies the environment names.
    ///
    /// # Errors
    /// As [`Proxy::parse`], naming the variable.
    pub(crate) fn from_env(env: &Environment) -> Result<Self, ConfigError> {
        let mut list: Vec<Proxy> = Vec::new();
        let mut add = |names: &[&'static str]| -> Result<Option<usize>, ConfigError> {
            let Some((name, url)) = env.first(names) else {
                return Ok(None);
            };
            let proxy = Proxy::parse(url, name)?;
            // One proxy for both schemes is one entry: one connection pool in a transport.
            Ok(Some(match list.iter().position(|p| *p == proxy) {
                Some(index) => index,
                None => {
                    list.push(proxy);
                    list.len() - 1
                }
            }))
        };
        let https = add(&["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"])?;
        let http = add(&["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"])?;
        if https.is_none() && http.is_none() {
            return Ok(Self::default());
        }
        let no_proxy = env
            .first(&["no_proxy", "NO_PROXY"])
            .map(|(_, list)| NoProxy::parse(list))
            .unwrap_or_default();
        Ok(Self {
            list,
            route: Route::Env {
                https,
                http,
                no_proxy,
            },
        })
    }

    /// Every proxy a request may go through, each once: a transport that keeps a connection
    /// pool per proxy makes one per entry.
    pub fn list(&self) -> &[Proxy] {
        &self.list
    }

    /// The index in [`list`](Self::list) of the proxy a request to `uri` goes through, or
    /// `None` when it goes direct.
    pub fn select(&self, uri: &Uri) -> Option<usize> {
        match &self.route {
            Route::Direct => None,
            Route::All => Some(0),
            Route::Env {
                https,
                http,
                no_proxy,
            } => {
                let is_https = uri.scheme_str() == Some("https");
                let host = uri.host().unwrap_or_default();
                let port = uri.port_u16().unwrap_or(if is_https { 443 } else { 80 });
                let chosen = if is_https { *https } else { *http };
                chosen.filter(|_| !is_loopback(host) && !no_proxy.bypasses(host, port))
            }
        }
    }

    /// The proxy a request to `uri` goes through, or `None` when it goes direct.
    pub fn for_uri(&self, uri: &Uri) -> Option<&Proxy> {
        self.select(uri).map(|index| &self.list[index])
    }
}

impl fmt::Debug for Proxies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `Proxy`'s Debug leaves the credentials out.
        f.debug_list().entries(&self.list).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> Result<Proxies, ConfigError> {
        Proxies::from_env(&vars.iter().copied().collect())
    }

    fn via(proxies: &Proxies, target: &str) -> Option<String> {
        proxies.for_uri(&target.parse().unwrap()).map(Proxy::url)
    }

    const AWS: &str = "https://oidc.us-east-1.amazonaws.com/token";
    const LOCAL: &str = "http://127.0.0.1:8080/token";

    #[test]
    fn proxy_urls_with_and_without_scheme_port_and_credentials() {
        let proxy = Proxy::parse("http://user:p%40ss@proxy.example.com:3128", "x").unwrap();
        assert_eq!(proxy.url(), "http://proxy.example.com:3128");
        // base64("user:p@ss")
        assert_eq!(proxy.authorization().unwrap(), "Basic dXNlcjpwQHNz");
        assert!(proxy.authorization().unwrap().is_sensitive());
        assert_eq!(
            proxy.given_url().expose(),
            "http://user:p%40ss@proxy.example.com:3128"
        );
        let bare = Proxy::parse("proxy.example.com:3128", "x").unwrap();
        assert_eq!(bare.url(), "http://proxy.example.com:3128");
        assert_eq!(bare.given_url().expose(), "http://proxy.example.com:3128");
        assert!(bare.authorization().is_none());
        let bare = Proxy::parse("proxy.example.com", "x").unwrap();
        assert_eq!((bare.is_https(), bare.port()), (false, 80));
        let v6 = Proxy::parse("https://[::1]:8443", "x").unwrap();
        assert_eq!((v6.is_https(), v6.host()), (true, "::1"));
        assert_eq!(v6.url(), "https://[::1]:8443");
        assert_eq!(Proxy::parse("https://p", "x").unwrap().port(), 443);
    }

    #[test]
    fn bad_proxy_urls_name_their_origin_without_repeating_them() {
        let socks = Proxy::parse("socks5://secret@proxy.example.com", "ALL_PROXY").unwrap_err();
        assert_eq!(
            socks.to_string(),
            "invalid proxy URL in ALL_PROXY: only http:// and https:// proxies are supported"
        );
        for garbage in ["http://", "not a url", "http:///path"] {
            let error = Proxy::parse(garbage, "proxy()").unwrap_err();
            assert!(
                matches!(
                    error,
                    ConfigError::InvalidProxy {
                        origin: "proxy()",
                        ..
                    }
                ),
                "{garbage}: {error:?}"
            );
            assert!(!error.to_string().contains(garbage), "{error}");
        }
    }

    #[test]
    fn a_fixed_proxy_takes_every_request() {
        let proxies = Proxies::fixed("https://proxy.example:8443").unwrap();
        assert_eq!(
            via(&proxies, AWS).as_deref(),
            Some("https://proxy.example:8443")
        );
        assert_eq!(
            via(&proxies, LOCAL).as_deref(),
            Some("https://proxy.example:8443")
        );
        assert_eq!(proxies.list().len(), 1);
    }

    #[test]
    fn environment_proxies_by_scheme_except_no_proxy_and_loopback() {
        let vars = [
            ("HTTPS_PROXY", "http://user:secret@proxy.corp:3128"),
            ("NO_PROXY", "localhost, .internal.corp"),
        ];
        let proxies = env(&vars).unwrap();
        assert_eq!(
            via(&proxies, AWS).as_deref(),
            Some("http://proxy.corp:3128")
        );
        assert_eq!(via(&proxies, "https://sso.internal.corp/token"), None);
        assert_eq!(via(&proxies, LOCAL), None, "loopback goes direct");
        assert_eq!(via(&proxies, "https://[::1]:8443/token"), None);
        assert_eq!(via(&proxies, "https://localhost/token"), None);
        assert_eq!(
            via(&proxies, "http://emulator.example:8080/token"),
            None,
            "no HTTP_PROXY"
        );
        assert!(!format!("{proxies:?}").contains("secret"));

        let both = env(&[
            ("http_proxy", "proxy.corp:8080"),
            ("NO_PROXY", "amazonaws.com"),
        ])
        .unwrap();
        assert_eq!(via(&both, AWS), None);
        assert_eq!(
            via(&both, "http://emulator.example:8080/token").as_deref(),
            Some("http://proxy.corp:8080")
        );
    }

    #[test]
    fn lower_case_first_all_proxy_fills_in_and_blank_is_unset() {
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
        let blank = env(&[("https_proxy", "  "), ("HTTP_PROXY", "")]).unwrap();
        assert_eq!(blank, Proxies::default());
        // One proxy for both schemes is one entry.
        let same = env(&[("ALL_PROXY", "http://all:8080")]).unwrap();
        assert_eq!(same.list().len(), 1);
        assert_eq!(via(&same, AWS).as_deref(), Some("http://all:8080"));
        assert_eq!(
            via(&same, "http://x.example/").as_deref(),
            Some("http://all:8080")
        );
    }

    #[test]
    fn bad_environment_proxies_name_the_variable() {
        let error = env(&[("HTTPS_PROXY", "socks5://proxy:1080")]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid proxy URL in HTTPS_PROXY: only http:// and https:// proxies are supported"
        );
        let error = env(&[("http_proxy", "socks5h://proxy:1080")]).unwrap_err();
        assert!(matches!(
            error,
            ConfigError::InvalidProxy {
                origin: "http_proxy",
                ..
            }
        ));
    }
}
