//! What a role-credentials flow needs to know before it starts.

use std::time::SystemTime;

use crate::endpoint::Endpoint;
use crate::error::BuildError;
use crate::portal::Endpoint as PortalEndpoint;
use crate::refresh::RefreshPolicy;
use crate::request;
use crate::retry::RetryPolicy;

/// Settings for a [`RoleCredentialsFlow`](crate::RoleCredentialsFlow): which role in which
/// account, where SSO OIDC (for a refresh) and the portal are, and the refresh and retry
/// policies. Built with [`RoleCredentialsConfig::builder`].
///
/// Nothing here is secret: the cached token is given to
/// [`RoleCredentialsFlow::new`](crate::RoleCredentialsFlow::new) itself, so that one
/// configuration serves every run.
#[derive(Clone, Debug)]
pub struct RoleCredentialsConfig {
    pub(crate) oidc_endpoint: Endpoint,
    pub(crate) portal_endpoint: PortalEndpoint,
    pub(crate) account_id: String,
    pub(crate) role_name: String,
    pub(crate) refresh: RefreshPolicy,
    pub(crate) last_refresh_attempt: Option<SystemTime>,
    pub(crate) retry: RetryPolicy,
    pub(crate) jitter_seed: Option<u64>,
}

/// Builds a [`RoleCredentialsConfig`]; both endpoints, the account id and the role name are
/// required.
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct RoleCredentialsConfigBuilder {
    oidc_endpoint: Option<Endpoint>,
    portal_endpoint: Option<PortalEndpoint>,
    account_id: Option<String>,
    role_name: Option<String>,
    refresh: Option<RefreshPolicy>,
    last_refresh_attempt: Option<SystemTime>,
    retry: Option<RetryPolicy>,
    jitter_seed: Option<u64>,
}

impl RoleCredentialsConfig {
    /// A builder; set at least both endpoints, the account id and the role name.
    pub fn builder() -> RoleCredentialsConfigBuilder {
        RoleCredentialsConfigBuilder::default()
    }

    /// The account whose credentials are asked for, e.g. `123456789012`.
    pub fn account_id(&self) -> &str {
        &self.account_id
    }

    /// The role whose credentials are asked for, e.g. `ReadOnly`.
    pub fn role_name(&self) -> &str {
        &self.role_name
    }

    /// The SSO OIDC endpoint a refresh goes to.
    pub fn oidc_endpoint(&self) -> &Endpoint {
        &self.oidc_endpoint
    }

    /// The portal endpoint `GetRoleCredentials` goes to.
    pub fn portal_endpoint(&self) -> &PortalEndpoint {
        &self.portal_endpoint
    }

    /// The seed for the retry jitter, if one was given.
    pub fn jitter_seed(&self) -> Option<u64> {
        self.jitter_seed
    }

    /// Uses `seed` for the retry jitter unless the builder was given one, as
    /// [`DeviceFlowConfig::or_jitter_seed`](crate::DeviceFlowConfig::or_jitter_seed) does.
    #[must_use]
    pub fn or_jitter_seed(mut self, seed: u64) -> Self {
        self.jitter_seed.get_or_insert(seed);
        self
    }
}

impl RoleCredentialsConfigBuilder {
    /// The SSO OIDC endpoint of the `sso_region`, where a refresh goes, e.g.
    /// `Endpoint::from_region("us-east-1")?`.
    pub fn oidc_endpoint(mut self, endpoint: Endpoint) -> Self {
        self.oidc_endpoint = Some(endpoint);
        self
    }

    /// The portal endpoint of the `sso_region`, where `GetRoleCredentials` goes, e.g.
    /// `portal::Endpoint::from_region("us-east-1")?`.
    pub fn portal_endpoint(mut self, endpoint: PortalEndpoint) -> Self {
        self.portal_endpoint = Some(endpoint);
        self
    }

    /// The account id (`sso_account_id`), e.g. `123456789012`.
    pub fn account_id(mut self, account_id: impl Into<String>) -> Self {
        self.account_id = Some(account_id.into());
        self
    }

    /// The role name (`sso_role_name`), e.g. `ReadOnly`.
    pub fn role_name(mut self, role_name: impl Into<String>) -> Self {
        self.role_name = Some(role_name.into());
        self
    }

    /// When to refresh the cached token (default [`RefreshPolicy::botocore`]).
    pub fn refresh_policy(mut self, policy: RefreshPolicy) -> Self {
        self.refresh = Some(policy);
        self
    }

    /// When this process last tried to refresh the token, so that a refresh that keeps failing
    /// is tried at most once a minute (see [`RefreshPolicy::decide`]). Unset: never, or not
    /// known.
    pub fn last_refresh_attempt(mut self, at: SystemTime) -> Self {
        self.last_refresh_attempt = Some(at);
        self
    }

    /// How to retry transient failures of the refresh and of `GetRoleCredentials` (default
    /// [`RetryPolicy::standard`]), each request on its own, as [`Call`](crate::Call) does.
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = Some(retry);
        self
    }

    /// The seed for the retry jitter: see
    /// [`DeviceFlowConfigBuilder::jitter_seed`](crate::DeviceFlowConfigBuilder::jitter_seed).
    /// Without one, the seed is 0.
    pub fn jitter_seed(mut self, seed: u64) -> Self {
        self.jitter_seed = Some(seed);
        self
    }

    /// Checks the settings and builds the configuration.
    ///
    /// # Errors
    /// [`BuildError::MissingRegion`] when an endpoint is not set; [`BuildError::MissingMember`]
    /// or [`BuildError::BlankMember`] naming `accountId` or `roleName`.
    pub fn build(self) -> Result<RoleCredentialsConfig, BuildError> {
        Ok(RoleCredentialsConfig {
            oidc_endpoint: self.oidc_endpoint.ok_or(BuildError::MissingRegion)?,
            portal_endpoint: self.portal_endpoint.ok_or(BuildError::MissingRegion)?,
            account_id: request::required("accountId", self.account_id)?,
            role_name: request::required("roleName", self.role_name)?,
            refresh: self.refresh.unwrap_or_default(),
            last_refresh_attempt: self.last_refresh_attempt,
            retry: self.retry.unwrap_or_default(),
            jitter_seed: self.jitter_seed,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full() -> RoleCredentialsConfigBuilder {
        RoleCredentialsConfig::builder()
            .oidc_endpoint(Endpoint::from_region("us-east-1").unwrap())
            .portal_endpoint(PortalEndpoint::from_region("us-east-1").unwrap())
            .account_id("123456789012")
            .role_name("ReadOnly")
    }

    #[test]
    fn what_is_required_is_checked() {
        let config = full().build().unwrap();
        assert_eq!(config.account_id(), "123456789012");
        assert_eq!(config.role_name(), "ReadOnly");
        assert_eq!(config.retry, RetryPolicy::standard());
        assert_eq!(config.refresh, RefreshPolicy::botocore());
        assert_eq!(config.jitter_seed(), None);
        assert_eq!(
            config.or_jitter_seed(3).or_jitter_seed(4).jitter_seed(),
            Some(3)
        );
        assert_eq!(
            full().account_id(" ").build().unwrap_err(),
            BuildError::BlankMember {
                member: "accountId"
            }
        );
        assert_eq!(
            RoleCredentialsConfig::builder()
                .oidc_endpoint(Endpoint::from_region("us-east-1").unwrap())
                .portal_endpoint(PortalEndpoint::from_region("us-east-1").unwrap())
                .account_id("1")
                .build()
                .unwrap_err(),
            BuildError::MissingMember { member: "roleName" }
        );
        assert_eq!(
            RoleCredentialsConfig::builder()
                .oidc_endpoint(Endpoint::from_region("us-east-1").unwrap())
                .build()
                .unwrap_err(),
            BuildError::MissingRegion
        );
    }
}
