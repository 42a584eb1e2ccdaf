//! The region and the endpoints, resolved in one place for every command: the operations use
//! the region the AWS CLI would, `login` and `token` the IAM Identity Center instance's
//! (`sso_region`); the endpoint URL settings, FIPS and dual-stack apply to both alike. Two
//! services: SSO OIDC ([`Context::endpoint_in`]) and the SSO portal
//! ([`Context::portal_endpoint_in`]), each with its own endpoint URL settings, named after its
//! service id as botocore names them (`SSO OIDC`: `AWS_ENDPOINT_URL_SSO_OIDC` and `sso_oidc`;
//! `SSO`: `AWS_ENDPOINT_URL_SSO` and `sso`).

use sso_oidc::{BuildError, Endpoint, portal};

use crate::context::{Context, nested};
use crate::error::CliError;

/// Where a service's endpoint URL may be set, besides `--endpoint-url`, `AWS_ENDPOINT_URL` and
/// the profile's `endpoint_url`: botocore's names for its service id.
#[derive(Clone, Copy)]
struct Service {
    /// `AWS_ENDPOINT_URL_` and the service id in upper case, spaces as `_`.
    variable: &'static str,
    /// The key of a `[services NAME]` section: the service id in lower case, spaces as `_`.
    key: &'static str,
}

/// SSO OIDC (service id `SSO OIDC`).
const SSO_OIDC: Service = Service {
    variable: "AWS_ENDPOINT_URL_SSO_OIDC",
    key: "sso_oidc",
};

/// The SSO portal (service id `SSO`).
const SSO: Service = Service {
    variable: "AWS_ENDPOINT_URL_SSO",
    key: "sso",
};

/// The AWS CLI's message when no region is set anywhere.
pub(crate) const NO_REGION: &str =
    "You must specify a region. You can also configure your region by running \"aws configure\".";

impl Context {
    /// The region: `--region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`.
    pub(crate) fn region(&self) -> Option<&str> {
        self.global()
            .region
            .as_deref()
            .or_else(|| self.env().get("AWS_REGION"))
            .or_else(|| self.env().get("AWS_DEFAULT_REGION"))
            .or_else(|| self.setting("region"))
    }

    /// The endpoint URL set for SSO OIDC, if any: `--endpoint-url`,
    /// `AWS_ENDPOINT_URL_SSO_OIDC`, `AWS_ENDPOINT_URL`, then the profile's `services` section
    /// (`sso_oidc = endpoint_url = ...`) and `endpoint_url`, unless
    /// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` or `ignore_configured_endpoint_urls` is true.
    pub(crate) fn endpoint_url(&self) -> Option<String> {
        self.endpoint_url_of(SSO_OIDC)
    }

    /// The endpoint URL set for the SSO portal, if any: as [`endpoint_url`](Self::endpoint_url)
    /// with `AWS_ENDPOINT_URL_SSO` and the `services` section's `sso`.
    pub(crate) fn portal_endpoint_url(&self) -> Option<String> {
        self.endpoint_url_of(SSO)
    }

    fn endpoint_url_of(&self, service: Service) -> Option<String> {
        if let Some(url) = &self.global().endpoint_url {
            return Some(url.clone());
        }
        if self.flag(
            "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
            "ignore_configured_endpoint_urls",
        ) {
            return None;
        }
        let from_services = || {
            let section = self.config().services(self.setting("services")?)?;
            nested(section.get(service.key)?, "endpoint_url").map(str::to_owned)
        };
        self.env()
            .get(service.variable)
            .or_else(|| self.env().get("AWS_ENDPOINT_URL"))
            .map(str::to_owned)
            .or_else(from_services)
            .or_else(|| self.setting("endpoint_url").map(str::to_owned))
    }

    /// The operations' endpoint: [`endpoint_in`](Self::endpoint_in) the [`region`](Self::region).
    ///
    /// # Errors
    /// No region (the AWS CLI's "You must specify a region.", asked for even with an endpoint
    /// URL, as the AWS CLI does), or as [`endpoint_in`](Self::endpoint_in).
    pub(crate) fn endpoint(&self) -> Result<Endpoint, CliError> {
        let region = self.region().ok_or_else(|| CliError::bare(NO_REGION))?;
        self.endpoint_in(region)
    }

    /// The endpoint of the service in `region`: the URL set for the service, else the
    /// region's, with FIPS (`AWS_USE_FIPS_ENDPOINT` / `use_fips_endpoint`) and dual-stack
    /// (`AWS_USE_DUALSTACK_ENDPOINT` / `use_dualstack_endpoint`). The one place every command
    /// gets its endpoint from.
    ///
    /// # Errors
    /// A region that is not a DNS label (botocore's "Provided region_name '...' doesn't match a
    /// supported format.", checked even with an endpoint URL, as botocore checks it), or an
    /// endpoint URL the resolver rejects.
    pub(crate) fn endpoint_in(&self, region: &str) -> Result<Endpoint, CliError> {
        check_region(region)?;
        if let Some(url) = self.endpoint_url() {
            return Endpoint::from_url(&url).map_err(|e| invalid_url(&url, &e));
        }
        Endpoint::builder()
            .region(region)
            .use_fips(self.use_fips())
            .use_dual_stack(self.use_dual_stack())
            .build()
            .map_err(|e| invalid_region(region, &e))
    }

    /// The SSO portal's endpoint for the operations: [`portal_endpoint_in`](Self::portal_endpoint_in)
    /// the [`region`](Self::region), as the AWS CLI resolves it for `aws sso`.
    ///
    /// # Errors
    /// As [`endpoint`](Self::endpoint).
    pub(crate) fn portal_endpoint(&self) -> Result<portal::Endpoint, CliError> {
        let region = self.region().ok_or_else(|| CliError::bare(NO_REGION))?;
        self.portal_endpoint_in(region)
    }

    /// The SSO portal's endpoint in `region` (`portal.sso.REGION...`): the URL set for the
    /// portal ([`portal_endpoint_url`](Self::portal_endpoint_url)), else the region's, with
    /// the same FIPS and dual-stack settings as [`endpoint_in`](Self::endpoint_in).
    ///
    /// # Errors
    /// As [`endpoint_in`](Self::endpoint_in).
    pub(crate) fn portal_endpoint_in(&self, region: &str) -> Result<portal::Endpoint, CliError> {
        check_region(region)?;
        if let Some(url) = self.portal_endpoint_url() {
            return portal::Endpoint::from_url(&url).map_err(|e| invalid_url(&url, &e));
        }
        portal::Endpoint::builder()
            .region(region)
            .use_fips(self.use_fips())
            .use_dual_stack(self.use_dual_stack())
            .build()
            .map_err(|e| invalid_region(region, &e))
    }

    /// `AWS_USE_FIPS_ENDPOINT`, else the profile's `use_fips_endpoint`.
    fn use_fips(&self) -> bool {
        self.flag("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint")
    }

    /// `AWS_USE_DUALSTACK_ENDPOINT`, else the profile's `use_dualstack_endpoint`.
    fn use_dual_stack(&self) -> bool {
        self.flag("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint")
    }

    /// A true/false setting: the environment variable, else the profile's key; true only
    /// when it says `true` (any case), as botocore reads them.
    fn flag(&self, variable: &str, key: &str) -> bool {
        self.env()
            .get(variable)
            .or_else(|| self.setting(key))
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }
}

/// botocore's message for a region that is not a DNS label, checked even with an endpoint URL,
/// as botocore checks it.
fn check_region(region: &str) -> Result<(), CliError> {
    if is_region(region) {
        Ok(())
    } else {
        Err(CliError::failure(format!(
            "Provided region_name '{region}' doesn't match a supported format."
        )))
    }
}

fn invalid_url(url: &str, error: &BuildError) -> CliError {
    CliError::failure(format!("Invalid endpoint: {url} ({error})"))
}

fn invalid_region(region: &str, error: &BuildError) -> CliError {
    CliError::failure(format!("Invalid region: {region} ({error})"))
}

/// botocore's `validate_region_name`: a DNS label of at most 63 letters, digits and hyphens,
/// not all digits, neither starting nor ending with a hyphen.
pub(crate) fn is_region(region: &str) -> bool {
    region.len() <= 63
        && region
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !region.starts_with('-')
        && !region.ends_with('-')
        && !region.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::is_region;

    #[test]
    fn regions_are_dns_labels_as_botocore_checks() {
        for good in ["us-east-1", "eu-west-1", "x", "a1", &"a".repeat(63)] {
            assert!(is_region(good), "{good}");
        }
        for bad in [
            "us east 1",
            "us-east-1.",
            "-us",
            "us-",
            "123",
            "ü",
            "us_east_1",
            &"a".repeat(64),
        ] {
            assert!(!is_region(bad), "{bad}");
        }
    }
}
