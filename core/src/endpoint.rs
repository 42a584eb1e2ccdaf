//! Where requests go: the service URL for a region (with FIPS and dual-stack), or a custom URL.

use std::fmt;

use http::Uri;

use crate::error::BuildError;
use crate::operation::Operation;
use crate::partition::partition;
use crate::text;

/// The base URL of an SSO OIDC service, with each operation's full URL worked out in advance.
///
/// Resolved the way the service's endpoint rule set does (`endpoint-rule-set-1.json`), for every
/// AWS partition: `https://oidc.{region}.{dnsSuffix}`, `oidc-fips.` with FIPS, the partition's
/// dual-stack suffix with dual-stack, and GovCloud's FIPS endpoint on its plain host name. A custom
/// URL (an emulator, a proxy) may be `http` or `https` and keeps its path prefix.
///
/// ```
/// use sso_oidc::Endpoint;
///
/// let endpoint = Endpoint::builder().region("eu-west-1").use_fips(true).build()?;
/// assert_eq!(endpoint.url(), "https://oidc-fips.eu-west-1.amazonaws.com");
///
/// let local = Endpoint::from_url("http://127.0.0.1:8080/oidc/")?;
/// assert_eq!(local.url(), "http://127.0.0.1:8080/oidc");
/// assert_eq!(
///     local.uri(sso_oidc::Operation::CreateToken).to_string(),
///     "http://127.0.0.1:8080/oidc/token"
/// );
/// # Ok::<(), sso_oidc::BuildError>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Endpoint {
    url: String,
    uris: [Uri; 7],
}

/// Builds an [`Endpoint`] from the rule set's parameters: `Region`, `UseFIPS`, `UseDualStack`
/// and `Endpoint` (a custom URL, which wins over the region).
#[derive(Clone, Default)]
#[must_use]
pub struct EndpointBuilder {
    region: Option<String>,
    use_fips: bool,
    use_dual_stack: bool,
    url: Option<String>,
}

impl Endpoint {
    /// A builder for the full set of endpoint parameters.
    pub fn builder() -> EndpointBuilder {
        EndpointBuilder::default()
    }

    /// The standard endpoint of a region, e.g. `https://oidc.us-east-1.amazonaws.com`.
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

    /// The full URL of an operation: the base URL and the operation's path.
    ///
    /// The portal's operations live at another host ([`portal::Endpoint`](crate::portal::Endpoint)):
    /// for them this is the URL at this base, which only a custom endpoint that serves both
    /// services (such as the emulator) answers.
    pub fn uri(&self, operation: Operation) -> &Uri {
        let index = match operation {
            Operation::RegisterClient => 0,
            Operation::StartDeviceAuthorization => 1,
            Operation::CreateToken => 2,
            Operation::GetRoleCredentials => 3,
            Operation::ListAccounts => 4,
            Operation::ListAccountRoles => 5,
            Operation::Logout => 6,
        };
        &self.uris[index]
    }

    pub(crate) fn new(resolved: Resolved) -> Result<Self, BuildError> {
        let Resolved { url, invalid } = resolved;
        let uri = |operation: Operation| {
            Uri::try_from(format!("{url}{}", operation.path())).map_err(|_| invalid.clone())
        };
        let uris = [
            uri(Operation::RegisterClient)?,
            uri(Operation::StartDeviceAuthorization)?,
            uri(Operation::CreateToken)?,
            uri(Operation::GetRoleCredentials)?,
            uri(Operation::ListAccounts)?,
            uri(Operation::ListAccountRoles)?,
            uri(Operation::Logout)?,
        ];
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

impl fmt::Debug for EndpointBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `build` refuses a URL with user credentials, but until then it may hold a password.
        let url = self.url.as_deref().map(|url| {
            let authority = url.split("://").nth(1).unwrap_or(url);
            let authority = authority.split(['/', '?', '#']).next().unwrap_or_default();
            if authority.contains('@') {
                "<URL with credentials>"
            } else {
                url
            }
        });
        f.debug_struct("EndpointBuilder")
            .field("region", &self.region)
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("url", &url)
            .finish()
    }
}

impl EndpointBuilder {
    /// The AWS region, e.g. `us-east-1` (`AWS::Region`).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Use the FIPS endpoint (`AWS::UseFIPS`).
    pub fn use_fips(mut self, use_fips: bool) -> Self {
        self.use_fips = use_fips;
        self
    }

    /// Use the dual-stack (IPv4 and IPv6) endpoint (`AWS::UseDualStack`).
    pub fn use_dual_stack(mut self, use_dual_stack: bool) -> Self {
        self.use_dual_stack = use_dual_stack;
        self
    }

    /// A custom endpoint URL (`SDK::Endpoint`), which takes the place of the region's.
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }

    /// Resolves the endpoint.
    ///
    /// # Errors
    /// - [`BuildError::CustomEndpointWithFips`] / [`BuildError::CustomEndpointWithDualStack`]
    ///   when a custom URL is combined with either flag, as the rule set says;
    /// - [`BuildError::InvalidEndpointUrl`] for a custom URL that cannot be used;
    /// - [`BuildError::MissingRegion`] when there is neither a URL nor a region, and
    ///   [`BuildError::InvalidRegion`] when the region cannot stand in a host name.
    pub fn build(self) -> Result<Endpoint, BuildError> {
        Endpoint::new(self.resolve(&OIDC)?)
    }

    /// The base URL of `service` under these settings, as its rule set resolves it.
    pub(crate) fn resolve(self, service: &Service) -> Result<Resolved, BuildError> {
        if let Some(url) = self.url {
            if self.use_fips {
                return Err(BuildError::CustomEndpointWithFips);
            }
            if self.use_dual_stack {
                return Err(BuildError::CustomEndpointWithDualStack);
            }
            return custom(&url);
        }
        let region = self
            .region
            .filter(|r| !r.trim().is_empty())
            .ok_or(BuildError::MissingRegion)?;
        let invalid = BuildError::InvalidRegion {
            region: text::clip(&region, 64),
        };
        if !is_host_label(&region) {
            return Err(invalid);
        }
        let p = partition(&region);
        let Service { host, fips_host } = service;
        let host = match (self.use_fips, self.use_dual_stack) {
            (true, true) => format!("{fips_host}.{region}.{}", p.dual_stack_dns_suffix),
            // GovCloud's service endpoints are FIPS endpoints under the plain name.
            (true, false) if p.name == "aws-us-gov" => format!("{host}.{region}.amazonaws.com"),
            (true, false) => format!("{fips_host}.{region}.{}", p.dns_suffix),
            (false, true) => format!("{host}.{region}.{}", p.dual_stack_dns_suffix),
            (false, false) => format!("{host}.{region}.{}", p.dns_suffix),
        };
        Ok(Resolved {
            url: format!("https://{host}"),
            invalid,
        })
    }
}

/// The host names a service's endpoint rule set gives, before the region: the SSO OIDC and the
/// portal rule sets differ only in these.
pub(crate) struct Service {
    /// e.g. `oidc`, `portal.sso`.
    pub(crate) host: &'static str,
    /// e.g. `oidc-fips`, `portal.sso-fips`.
    pub(crate) fips_host: &'static str,
}

/// SSO OIDC: `oidc.{region}...`, `oidc-fips.{region}...`.
const OIDC: Service = Service {
    host: "oidc",
    fips_host: "oidc-fips",
};

/// A resolved base URL without a trailing `/`, and the error to give if an operation's URL
/// cannot be made from it.
pub(crate) struct Resolved {
    pub(crate) url: String,
    pub(crate) invalid: BuildError,
}

/// A region must be a DNS label, as botocore checks (`validate_region_name`): it is put into a
/// host name, so anything else could send requests somewhere unexpected.
fn is_host_label(region: &str) -> bool {
    let bytes = region.as_bytes();
    (1..=63).contains(&bytes.len())
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        && bytes.first() != Some(&b'-')
        && bytes.last() != Some(&b'-')
}

fn custom(url: &str) -> Result<Resolved, BuildError> {
    let invalid = |reason| BuildError::InvalidEndpointUrl { reason };
    if url.contains('#') {
        return Err(invalid("it must not have a fragment (#...)"));
    }
    if url.contains('?') {
        return Err(invalid("it must not have a query (?...)"));
    }
    let uri: Uri = url
        .parse()
        .map_err(|_| invalid("it is not a valid absolute URL"))?;
    let scheme = match uri.scheme_str() {
        Some("http") => "http",
        Some("https") => "https",
        _ => return Err(invalid("it must start with http:// or https://")),
    };
    let authority = uri
        .authority()
        .ok_or(invalid("it must start with http:// or https://"))?;
    if authority.as_str().contains('@') {
        return Err(invalid("it must not contain user credentials"));
    }
    if authority.host().is_empty() {
        return Err(invalid("it has no host"));
    }
    let prefix = uri.path().trim_end_matches('/');
    Ok(Resolved {
        url: format!("{scheme}://{authority}{prefix}"),
        invalid: invalid("it is not a valid absolute URL"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(url: &str) -> Result<String, BuildError> {
        Endpoint::from_url(url).map(|e| e.url().to_owned())
    }

    #[test]
    fn custom_urls_keep_their_path_prefix() {
        assert_eq!(
            url("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            url("http://127.0.0.1:8080/").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            url("https://proxy.example/a/b//").unwrap(),
            "https://proxy.example/a/b"
        );
        assert_eq!(url("HTTP://[::1]:9/x").unwrap(), "http://[::1]:9/x");
        let endpoint = Endpoint::from_url("http://localhost:1/p").unwrap();
        assert_eq!(
            endpoint.uri(Operation::RegisterClient).to_string(),
            "http://localhost:1/p/client/register"
        );
        assert_eq!(
            endpoint
                .uri(Operation::StartDeviceAuthorization)
                .to_string(),
            "http://localhost:1/p/device_authorization"
        );
    }

    #[test]
    fn unusable_custom_urls_are_refused_without_echoing_them() {
        for bad in [
            "",
            "localhost:8080",
            "/token",
            "ftp://host/",
            "http://user:pa55@host/",
            "http://host/?a=b",
            "http://host/#frag",
            "http://:80/",
            "http://ho st/",
        ] {
            match url(bad) {
                Err(BuildError::InvalidEndpointUrl { reason }) => {
                    assert!(!reason.contains("pa55"), "{bad}: {reason}");
                }
                other => panic!("{bad:?} gave {other:?}"),
            }
        }
    }

    #[test]
    fn builder_debug_hides_credentials_in_the_url() {
        let builder = Endpoint::builder().url("http://user:pa55@host:1/p");
        let text = format!("{builder:?}");
        assert!(!text.contains("pa55"), "{text}");
        assert!(text.contains("<URL with credentials>"), "{text}");
        let plain = format!(
            "{:?}",
            Endpoint::builder().url("http://host/a@b").region("r")
        );
        assert!(
            plain.contains("http://host/a@b") && plain.contains("\"r\""),
            "{plain}"
        );
    }

    #[test]
    fn custom_url_with_fips_or_dual_stack_is_refused() {
        let base = Endpoint::builder()
            .url("http://127.0.0.1:1")
            .region("us-east-1");
        assert_eq!(
            base.clone().use_fips(true).build(),
            Err(BuildError::CustomEndpointWithFips)
        );
        assert_eq!(
            base.use_dual_stack(true).build(),
            Err(BuildError::CustomEndpointWithDualStack)
        );
    }

    #[test]
    fn missing_and_malformed_regions() {
        assert_eq!(Endpoint::builder().build(), Err(BuildError::MissingRegion));
        assert_eq!(Endpoint::from_region(" "), Err(BuildError::MissingRegion));
        for bad in [
            "us-east-1.evil.com",
            "-us",
            "us-",
            "us east",
            "a/b",
            "é",
            &"a".repeat(64),
        ] {
            assert!(
                matches!(
                    Endpoint::from_region(bad),
                    Err(BuildError::InvalidRegion { .. })
                ),
                "{bad}"
            );
        }
        let long = Endpoint::from_region(&"x/".repeat(100)).unwrap_err();
        assert!(long.to_string().len() < 200, "{long}");
    }

    #[test]
    fn region_resolution_follows_the_rule_set() {
        let resolve = |region: &str, fips, dual| {
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
            resolve("us-east-1", false, false),
            "https://oidc.us-east-1.amazonaws.com"
        );
        assert_eq!(
            resolve("us-gov-west-1", true, false),
            "https://oidc.us-gov-west-1.amazonaws.com"
        );
        assert_eq!(
            resolve("us-gov-west-1", true, true),
            "https://oidc-fips.us-gov-west-1.api.aws"
        );
        assert_eq!(
            resolve("cn-north-1", false, true),
            "https://oidc.cn-north-1.api.amazonwebservices.com.cn"
        );
    }
}
