//! Where the portal's requests go: `portal.sso.<region>...`, or a custom URL.

use std::fmt;

use http::Uri;

use crate::endpoint::{EndpointBuilder as OidcBuilder, Resolved, Service};
use crate::error::BuildError;
use crate::operation::Operation;

/// The portal's host names in its rule set (`endpoint-rule-set-1.json` of `sso`): note
/// `portal.sso-fips`, not `portal-fips.sso`.
const PORTAL: Service = Service {
    host: "portal.sso",
    fips_host: "portal.sso-fips",
};

/// The base URL of the SSO portal, resolved the way its endpoint rule set does for every AWS
/// partition: `https://portal.sso.{region}.{dnsSuffix}`, `portal.sso-fips.` with FIPS, the
/// partition's dual-stack suffix with dual-stack, and GovCloud's FIPS endpoint on its plain host
/// name. A custom URL (an emulator, a proxy) may be `http` or `https` and keeps its path prefix.
///
/// ```
/// use sso_oidc::portal::Endpoint;
///
/// let endpoint = Endpoint::builder().region("eu-west-1").use_fips(true).build()?;
/// assert_eq!(endpoint.url(), "https://portal.sso-fips.eu-west-1.amazonaws.com");
/// assert_eq!(Endpoint::from_url("http://127.0.0.1:8080/")?.url(), "http://127.0.0.1:8080");
/// # Ok::<(), sso_oidc::BuildError>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Endpoint {
    url: String,
    /// The operations' URLs without query, in the order of [`Operation::PORTAL`].
    uris: [Uri; 4],
}

/// Builds a portal [`Endpoint`] from the rule set's parameters: `Region`, `UseFIPS`,
/// `UseDualStack` and `Endpoint` (a custom URL, which wins over the region).
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct EndpointBuilder(OidcBuilder);

impl Endpoint {
    /// A builder for the full set of endpoint parameters.
    pub fn builder() -> EndpointBuilder {
        EndpointBuilder::default()
    }

    /// The standard endpoint of a region, e.g. `https://portal.sso.us-east-1.amazonaws.com`.
    ///
    /// # Errors
    /// [`BuildError::MissingRegion`] for a blank region, [`BuildError::InvalidRegion`] for one
    /// that cannot be a DNS label.
    pub fn from_region(region: &str) -> Result<Self, BuildError> {
        Self::builder().region(region).build()
    }

    /// A custom endpoint, e.g. `http://127.0.0.1:8080` for a local emulator. A path prefix is
    /// kept; a trailing `/` is dropped.
    ///
    /// # Errors
    /// [`BuildError::InvalidEndpointUrl`] unless the URL is an absolute `http` or `https` URL with
    /// a host and no user credentials, query or fragment.
    pub fn from_url(url: &str) -> Result<Self, BuildError> {
        Self::builder().url(url).build()
    }

    /// The base URL, without a trailing `/`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The URL of a portal operation without its query: the base URL and the operation's path;
    /// `None` for an SSO OIDC operation.
    pub fn uri(&self, operation: Operation) -> Option<&Uri> {
        let index = Operation::PORTAL.iter().position(|o| *o == operation)?;
        self.uris.get(index)
    }

    fn new(resolved: Resolved) -> Result<Self, BuildError> {
        let Resolved { url, invalid } = resolved;
        let uri = |operation: Operation| {
            Uri::try_from(format!("{url}{}", operation.path())).map_err(|_| invalid.clone())
        };
        let [a, b, c, d] = Operation::PORTAL;
        let uris = [uri(a)?, uri(b)?, uri(c)?, uri(d)?];
        Ok(Self { url, uris })
    }
}

impl fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Endpoint").field(&self.url).finish()
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.url)
    }
}

impl EndpointBuilder {
    /// The AWS region, e.g. `us-east-1` (`AWS::Region`).
    pub fn region(self, region: impl Into<String>) -> Self {
        Self(self.0.region(region))
    }

    /// Use the FIPS endpoint (`AWS::UseFIPS`).
    pub fn use_fips(self, use_fips: bool) -> Self {
        Self(self.0.use_fips(use_fips))
    }

    /// Use the dual-stack (IPv4 and IPv6) endpoint (`AWS::UseDualStack`).
    pub fn use_dual_stack(self, use_dual_stack: bool) -> Self {
        Self(self.0.use_dual_stack(use_dual_stack))
    }

    /// A custom endpoint URL (`SDK::Endpoint`), which takes the place of the region's.
    pub fn url(self, url: impl Into<String>) -> Self {
        Self(self.0.url(url))
    }

    /// Resolves the endpoint.
    ///
    /// # Errors
    /// As [`crate::EndpointBuilder::build`]: the portal's rule set has the same checks.
    pub fn build(self) -> Result<Endpoint, BuildError> {
        Endpoint::new(self.0.resolve(&PORTAL)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_have_their_paths() {
        let endpoint = Endpoint::from_url("http://localhost:1/p").unwrap();
        for operation in Operation::PORTAL {
            assert_eq!(
                endpoint.uri(operation).unwrap().to_string(),
                format!("http://localhost:1/p{}", operation.path())
            );
        }
        assert_eq!(endpoint.uri(Operation::CreateToken), None);
    }

    #[test]
    fn govcloud_fips_is_the_plain_name() {
        let url = |region: &str, fips, dual| {
            Endpoint::builder()
                .region(region)
                .use_fips(fips)
                .use_dual_stack(dual)
                .build()
                .unwrap()
                .url()
                .to_owned()
        };
        assert_eq!(
            url("us-gov-west-1", true, false),
            "https://portal.sso.us-gov-west-1.amazonaws.com"
        );
        assert_eq!(
            url("us-gov-west-1", true, true),
            "https://portal.sso-fips.us-gov-west-1.api.aws"
        );
        assert_eq!(
            url("cn-north-1", false, false),
            "https://portal.sso.cn-north-1.amazonaws.com.cn"
        );
    }
}
