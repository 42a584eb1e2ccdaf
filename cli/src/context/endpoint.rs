//! The region and the endpoints, resolved in one place for every command: the operations use
//! the region the AWS CLI would, `login` and `token` the IAM Identity Center instance's
//! (`sso_region`); the endpoint URL settings, FIPS and dual-stack apply to both alike. Two
//! services: SSO OIDC ([`Context::endpoint_in`]) and the SSO portal
//! ([`Context::portal_endpoint_in`]), each with its own endpoint URL settings, named after its
//! service id as botocore names them (`SSO OIDC`: `AWS_ENDPOINT_URL_SSO_OIDC` and `sso_oidc`;
//! `SSO`: `AWS_ENDPOINT_URL_SSO` and `sso`).

use sso_oidc::config::{EndpointSettings, Service};
use sso_oidc::{BuildError, Endpoint, portal};

use crate::context::Context;
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

    /// Where the SSO requests go: the core's [`EndpointSettings`] of the profile and the
    /// environment (`AWS_ENDPOINT_URL_SSO_OIDC` / `AWS_ENDPOINT_URL_SSO`, `AWS_ENDPOINT_URL`,
    /// the profile's `services` section and `endpoint_url`, unless
    /// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` or `ignore_configured_endpoint_urls` is true; FIPS;
    /// dual-stack), with `--endpoint-url` over both services' URLs.
    pub(crate) fn endpoint_settings(&self) -> EndpointSettings {
        let settings = self
            .config()
            .endpoint_settings(self.profile_name(), |name| {
                self.env().get(name).map(str::to_owned)
            });
        match &self.global().endpoint_url {
            Some(url) => settings
                .with_url(Service::SsoOidc, Some(url.clone()))
                .with_url(Service::Portal, Some(url.clone())),
            None => settings,
        }
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
        let settings = self.endpoint_settings();
        settings
            .oidc_in(region)
            .map_err(|e| match settings.url(Service::SsoOidc) {
                Some(url) => invalid_url(url, &e),
                None => invalid_region(region, &e),
            })
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
    /// portal ([`endpoint_settings`](Self::endpoint_settings)), else the region's, with
    /// the same FIPS and dual-stack settings as [`endpoint_in`](Self::endpoint_in).
    ///
    /// # Errors
    /// As [`endpoint_in`](Self::endpoint_in).
    pub(crate) fn portal_endpoint_in(&self, region: &str) -> Result<portal::Endpoint, CliError> {
        check_region(region)?;
        let settings = self.endpoint_settings();
        settings
            .portal_in(region)
            .map_err(|e| match settings.url(Service::Portal) {
                Some(url) => invalid_url(url, &e),
                None => invalid_region(region, &e),
            })
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
