//! `NO_PROXY`: the hosts that go direct, matched as curl matches them.
//!
//! Ours, not a crate's: hyper-util's matcher (the well-kept one) would bring hyper and tokio
//! into the blocking transport, and the small crates for this are little used. ureq's own
//! reading matches a bare `example.com` only exactly and keeps the spaces after commas, so the
//! common `NO_PROXY=localhost, .corp.example.com, amazonaws.com` would not do what it says.

use std::net::IpAddr;

/// A `NO_PROXY` list.
///
/// Entries are separated by commas or spaces. `*` alone matches everything; a domain such as
/// `example.com`, `.example.com` or `*.example.com` matches that host and every host under it;
/// an IP address matches itself and `10.0.0.0/8` a network; any entry may end in `:port` to
/// match that port only. Case does not matter; entries that are none of these are ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NoProxy {
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
    /// Reads a list such as `localhost, .corp.example.com, 10.0.0.0/8`.
    pub fn parse(list: &str) -> Self {
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

    /// Whether a request to `host` (as in a URI: an IPv6 address may be in brackets) on `port`
    /// goes direct.
    pub fn bypasses(&self, host: &str, port: u16) -> bool {
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
    unbracket(host).trim_end_matches('.').to_ascii_lowercase()
}

/// A host without the brackets of an IPv6 address.
pub(crate) fn unbracket(host: &str) -> &str {
    host.strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host)
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
    fn loopback_is_this_machine() {
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
