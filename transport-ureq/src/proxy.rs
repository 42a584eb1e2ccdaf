//! Which requests go through a proxy.
//!
//! The environment is read as curl and botocore (urllib) read it: `https_proxy` for `https`
//! URLs and `http_proxy` for `http` URLs, `all_proxy` for either when those are unset, each in
//! lower case first and then upper case, and `no_proxy` for the hosts that go direct. ureq's
//! own reading (`Proxy::try_from_env`) takes one proxy for every scheme, matches a bare
//! `example.com` in `NO_PROXY` only exactly and keeps the spaces after commas, so the common
//! `NO_PROXY=localhost, .corp.example.com, amazonaws.com` would not do what it says.

use std::net::IpAddr;

use ureq::{Proxy, ProxyProtocol};

use crate::error::ConfigError;

/// A proxy URL and where it came from (for error messages).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Setting {
    pub(crate) url: String,
    pub(crate) origin: &'static str,
}

/// The proxy settings found in the environment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct EnvProxies {
    pub(crate) https: Option<Setting>,
    pub(crate) http: Option<Setting>,
    pub(crate) no_proxy: NoProxy,
}

impl EnvProxies {
    /// Reads the settings through `var`, which gives a variable's value (`std::env::var` in
    /// real use; a map in tests, as changing the environment of a test process is unsafe).
    pub(crate) fn read(var: impl Fn(&str) -> Option<String>) -> Self {
        let first = |names: &[&'static str]| {
            names.iter().find_map(|&name| {
                var(name)
                    .map(|value| value.trim().to_owned())
                    .filter(|value| !value.is_empty())
                    .map(|url| Setting { url, origin: name })
            })
        };
        Self {
            https: first(&["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"]),
            http: first(&["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"]),
            no_proxy: first(&["no_proxy", "NO_PROXY"])
                .map(|setting| NoProxy::parse(&setting.url))
                .unwrap_or_default(),
        }
    }
}

/// A proxy for ureq, from a URL such as `http://user:password@proxy.example.com:3128`; a URL
/// without a scheme is `http`.
///
/// # Errors
/// [`ConfigError::InvalidProxy`] for something that is not a URL with a host, or a scheme
/// other than `http` and `https` (ureq is built without SOCKS support).
pub(crate) fn proxy(setting: &Setting) -> Result<Proxy, ConfigError> {
    let invalid = |reason| ConfigError::InvalidProxy {
        origin: setting.origin,
        reason,
    };
    let proxy = Proxy::new(&setting.url).map_err(|_| invalid("not a URL with a host"))?;
    match proxy.protocol() {
        ProxyProtocol::Http | ProxyProtocol::Https => Ok(proxy),
        _ => Err(invalid("only http:// and https:// proxies are supported")),
    }
}

/// A proxy as `Debug` may show it: scheme, host and port, never the credentials.
pub(crate) fn describe(proxy: &Proxy) -> String {
    let scheme = match proxy.protocol() {
        ProxyProtocol::Https => "https",
        _ => "http",
    };
    format!("{scheme}://{}:{}", proxy.host(), proxy.port())
}

/// The hosts that go direct: a `NO_PROXY` list.
///
/// Entries are separated by commas or spaces. `*` alone matches everything; a domain such as
/// `example.com`, `.example.com` or `*.example.com` matches that host and every host under it;
/// an IP address matches itself and `10.0.0.0/8` a network; any entry may end in `:port` to
/// match that port only. Case does not matter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct NoProxy {
    all: bool,
    entries: Vec<Entry>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Entry {
    target: Target,
    port: Option<u16>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Target {
    Domain(String),
    Network(IpAddr, u8),
}

impl NoProxy {
    pub(crate) fn parse(list: &str) -> Self {
        let mut no_proxy = Self::default();
        for token in list.split([',', ' ', '\t']).filter(|t| !t.is_empty()) {
            if token == "*" {
                no_proxy.all = true;
            } else if let Some(entry) = Entry::parse(token) {
                no_proxy.entries.push(entry);
            }
        }
        no_proxy
    }

    /// Whether a request to `host` (as in a URI: an IPv6 address in brackets) on `port` goes
    /// direct.
    pub(crate) fn bypasses(&self, host: &str, port: u16) -> bool {
        if self.all {
            return true;
        }
        let host = normalize(host);
        let ip = host.parse::<IpAddr>().ok();
        self.entries.iter().any(|entry| {
            entry.port.is_none_or(|p| p == port)
                && match &entry.target {
                    Target::Domain(name) => {
                        ip.is_none()
                            && (host == *name
                                || host
                                    .strip_suffix(name.as_str())
                                    .is_some_and(|rest| rest.ends_with('.')))
                    }
                    Target::Network(network, prefix) => {
                        ip.is_some_and(|ip| contains(*network, *prefix, ip))
                    }
                }
        })
    }
}

impl Entry {
    fn parse(token: &str) -> Option<Self> {
        if let Some((network, prefix)) = token.split_once('/') {
            let network = normalize(network).parse::<IpAddr>().ok()?;
            let prefix = prefix.parse::<u8>().ok()?;
            let max = if network.is_ipv4() { 32 } else { 128 };
            return (prefix <= max).then_some(Self {
                target: Target::Network(network, prefix),
                port: None,
            });
        }
        let (host, port) = split_port(token)?;
        let host = normalize(host);
        let target = match host.parse::<IpAddr>() {
            Ok(ip) => Target::Network(ip, if ip.is_ipv4() { 32 } else { 128 }),
            Err(_) => {
                let name = host.trim_start_matches('*').trim_start_matches('.');
                if name.is_empty() {
                    return None;
                }
                Target::Domain(name.to_owned())
            }
        };
        Some(Self { target, port })
    }
}

/// `host[:port]`, `[v6][:port]`, or a bare IPv6 address (more than one colon, no port).
fn split_port(token: &str) -> Option<(&str, Option<u16>)> {
    if let Some(rest) = token.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        let port = match after.strip_prefix(':') {
            Some(port) => Some(port.parse().ok()?),
            None if after.is_empty() => None,
            None => return None,
        };
        return Some((host, port));
    }
    match token.split_once(':') {
        Some((host, port)) if !port.contains(':') => Some((host, Some(port.parse().ok()?))),
        _ => Some((token, None)),
    }
}

/// Lower case, without IPv6 brackets or a trailing dot.
fn normalize(host: &str) -> String {
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    host.trim_end_matches('.').to_ascii_lowercase()
}

fn contains(network: IpAddr, prefix: u8, ip: IpAddr) -> bool {
    match (network, ip) {
        (IpAddr::V4(network), IpAddr::V4(ip)) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            u32::from(network) & mask == u32::from(ip) & mask
        }
        (IpAddr::V6(network), IpAddr::V6(ip)) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            u128::from(network) & mask == u128::from(ip) & mask
        }
        _ => false,
    }
}

/// Whether `host` is this machine: a proxy elsewhere could not reach it. Requests to it never
/// use a proxy from the environment (as in Go's `ProxyFromEnvironment`), so a local emulator
/// works behind a corporate `HTTPS_PROXY` without a `NO_PROXY`.
pub(crate) fn is_loopback(host: &str) -> bool {
    let host = normalize(host);
    host == "localhost"
        || host.ends_with(".localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(vars: &[(&str, &str)]) -> EnvProxies {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        EnvProxies::read(|name| vars.get(name).cloned())
    }

    fn setting(url: &str, origin: &'static str) -> Option<Setting> {
        Some(Setting {
            url: url.to_owned(),
            origin,
        })
    }

    #[test]
    fn each_scheme_has_its_variable_lower_case_first() {
        let proxies = env(&[
            ("HTTPS_PROXY", "http://upper:1"),
            ("https_proxy", "http://lower:2"),
            ("HTTP_PROXY", "http://plain:3"),
        ]);
        assert_eq!(proxies.https, setting("http://lower:2", "https_proxy"));
        assert_eq!(proxies.http, setting("http://plain:3", "HTTP_PROXY"));
        assert_eq!(proxies.no_proxy, NoProxy::default());
    }

    #[test]
    fn all_proxy_fills_in_and_blank_values_are_unset() {
        let proxies = env(&[
            ("https_proxy", "  "),
            ("ALL_PROXY", "http://all:8080"),
            ("HTTP_PROXY", ""),
        ]);
        assert_eq!(proxies.https, setting("http://all:8080", "ALL_PROXY"));
        assert_eq!(proxies.http, setting("http://all:8080", "ALL_PROXY"));
        assert_eq!(env(&[]).https, None);
    }

    #[test]
    fn proxy_urls_are_checked_without_repeating_them() {
        let ok = proxy(&Setting {
            url: "http://user:p%40ss@proxy.example.com:3128".to_owned(),
            origin: "HTTPS_PROXY",
        })
        .unwrap();
        assert_eq!(describe(&ok), "http://proxy.example.com:3128");
        let bare = proxy(&Setting {
            url: "proxy.example.com:3128".to_owned(),
            origin: "HTTPS_PROXY",
        })
        .unwrap();
        assert_eq!(describe(&bare), "http://proxy.example.com:3128");
        let socks = proxy(&Setting {
            url: "socks5://secret@proxy.example.com".to_owned(),
            origin: "ALL_PROXY",
        })
        .unwrap_err();
        assert_eq!(
            socks.to_string(),
            "invalid proxy URL in ALL_PROXY: only http:// and https:// proxies are supported"
        );
        let garbage = proxy(&Setting {
            url: "http://".to_owned(),
            origin: "proxy()",
        })
        .unwrap_err();
        assert!(!garbage.to_string().contains("http://"), "{garbage}");
    }

    #[test]
    fn domains_match_themselves_and_below_whatever_the_spelling() {
        let no_proxy = NoProxy::parse("example.com, .corp.example.net,*.svc.local ,Intra");
        for host in [
            "example.com",
            "oidc.example.com",
            "EXAMPLE.COM.",
            "corp.example.net",
            "a.b.corp.example.net",
            "x.svc.local",
            "intra",
        ] {
            assert!(no_proxy.bypasses(host, 443), "{host}");
        }
        for host in [
            "badexample.com",
            "example.com.evil",
            "example.net",
            "svc.localhost",
            "10.0.0.1",
        ] {
            assert!(!no_proxy.bypasses(host, 443), "{host}");
        }
    }

    #[test]
    fn addresses_networks_and_ports() {
        let no_proxy =
            NoProxy::parse("10.0.0.0/8,192.168.1.7,[::1],fd00::/8,proxyless.example:8443");
        assert!(no_proxy.bypasses("10.20.30.40", 443));
        assert!(!no_proxy.bypasses("11.0.0.1", 443));
        assert!(no_proxy.bypasses("192.168.1.7", 80));
        assert!(!no_proxy.bypasses("192.168.1.8", 80));
        assert!(no_proxy.bypasses("[::1]", 443));
        assert!(no_proxy.bypasses("[fd12::1]", 443));
        assert!(!no_proxy.bypasses("[fe80::1]", 443));
        assert!(no_proxy.bypasses("proxyless.example", 8443));
        assert!(!no_proxy.bypasses("proxyless.example", 443));
        assert!(NoProxy::parse("0.0.0.0/0").bypasses("8.8.8.8", 443));
    }

    #[test]
    fn star_matches_all_and_nonsense_matches_nothing() {
        assert!(NoProxy::parse("*").bypasses("anything.example", 1));
        let nonsense = NoProxy::parse(",, . *. 10.0.0.0/99 host:port [::1");
        assert_eq!(nonsense, NoProxy::default());
        assert!(!nonsense.bypasses("host", 443));
    }

    #[test]
    fn loopback_is_never_proxied() {
        for host in [
            "localhost",
            "LOCALHOST",
            "a.localhost",
            "127.0.0.1",
            "127.8.9.1",
            "[::1]",
        ] {
            assert!(is_loopback(host), "{host}");
        }
        for host in ["localhost.example.com", "10.0.0.1", "[::2]"] {
            assert!(!is_loopback(host), "{host}");
        }
    }
}
