//! The region and the endpoint, resolved in one place for every command: the operations use
//! the region the AWS CLI would, `login` and `token` the IAM Identity Center instance's
//! (`sso_region`); the endpoint URL settings, FIPS and dual-stack apply to both alike.

use sso_oidc::Endpoint;

use crate::context::{Context, nested};
use crate::error::CliError;

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

    /// The endpoint URL set for this service, if any: `--endpoint-url`,
    /// `AWS_ENDPOINT_URL_SSO_OIDC`, `AWS_ENDPOINT_URL`, then the profile's `services` section
    /// (`sso_oidc = endpoint_url = ...`) and `endpoint_url`, unless
    /// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` or `ignore_configured_endpoint_urls` is true.
    pub(crate) fn endpoint_url(&self) -> Option<String> {
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
            nested(section.get("sso_oidc")?, "endpoint_url").map(str::to_owned)
        };
        self.env()
            .get("AWS_ENDPOINT_URL_SSO_OIDC")
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
        if !is_region(region) {
            return Err(CliError::failure(format!(
                "Provided region_name '{region}' doesn't match a supported format."
            )));
        }
        if let Some(url) = self.endpoint_url() {
            return Endpoint::from_url(&url)
                .map_err(|e| CliError::failure(format!("Invalid endpoint: {url} ({e})")));
        }
        Endpoint::builder()
            .region(region)
            .use_fips(self.flag("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint"))
            .use_dual_stack(self.flag("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint"))
            .build()
            .map_err(|e| CliError::failure(format!("Invalid region: {region} ({e})")))
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

/// botocore's `validate_region_name`: a DNS label of at most 63 letters, digits and hyphens,
/// not all digits, neither starting nor ending with a hyphen.
fn is_region(region: &str) -> bool {
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
