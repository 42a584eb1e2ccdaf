//! Name resolution: an IP address in the URL is used as it is, without a lookup; a name that
//! does not resolve is always [`ureq::Error::HostNotFound`].

use std::net::SocketAddr;

use http::Uri;
use sso_oidc_transport::Origin;
use ureq::config::Config;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// ureq (3.5) resolves the host before every request, a pooled connection or not, and with a
/// resolve timeout set it does so on a thread of its own: one thread spawned per call. A host
/// that is an IP address (the emulator, a local endpoint) needs no lookup, so it is answered
/// here at once; a name goes to ureq's own resolver, timeout and all.
#[derive(Debug, Default)]
pub(crate) struct IpFirst(DefaultResolver);

impl Resolver for IpFirst {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let Some(address) = ip_address(uri) else {
            // std's lookup fails with an I/O error that only says it failed: a name that
            // does not resolve, as ureq says when a name has no address it can use.
            return self.0.resolve(uri, config, timeout).map_err(|e| match e {
                ureq::Error::Io(_) => ureq::Error::HostNotFound,
                e => e,
            });
        };
        let mut addresses = self.empty();
        for address in config.ip_family().keep_wanted(std::iter::once(address)) {
            addresses.push(address);
        }
        if addresses.is_empty() {
            return Err(ureq::Error::HostNotFound);
        }
        Ok(addresses)
    }
}

/// The socket address of a URL whose host is an IP address (`127.0.0.1`, `[::1]`), with the
/// scheme's port when the URL has none.
fn ip_address(uri: &Uri) -> Option<SocketAddr> {
    let origin = Origin::of(uri).ok()?;
    Some(SocketAddr::new(origin.host.parse().ok()?, origin.port))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(url: &str) -> Option<SocketAddr> {
        ip_address(&url.parse().unwrap())
    }

    #[test]
    fn ip_hosts_need_no_lookup() {
        assert_eq!(
            address("http://127.0.0.1:8080/token"),
            Some("127.0.0.1:8080".parse().unwrap())
        );
        assert_eq!(
            address("https://[::1]/token"),
            Some("[::1]:443".parse().unwrap())
        );
        assert_eq!(
            address("http://10.0.0.1"),
            Some("10.0.0.1:80".parse().unwrap())
        );
    }

    #[test]
    fn names_are_looked_up() {
        assert_eq!(address("https://oidc.us-east-1.amazonaws.com/token"), None);
        assert_eq!(address("http://localhost:8080/"), None);
        assert_eq!(address("https://1.2.3.4.nip.io/"), None);
    }
}
