//! What a device flow needs to know before it starts.

use std::time::Duration;

use crate::endpoint::Endpoint;
use crate::error::BuildError;
use crate::register_client::{ClientRegistration, RegisterClient};
use crate::request;
use crate::retry::RetryPolicy;

/// The client name registered when none is set.
pub const DEFAULT_CLIENT_NAME: &str = "sso-oidc";

/// The longest poll interval that transport timeouts double up to, when none is set.
pub const DEFAULT_MAX_INTERVAL: Duration = Duration::from_secs(60);

/// Settings for a [`DeviceFlow`](crate::DeviceFlow): where to sign in, how to register, and the
/// retry policy. Built with [`DeviceFlowConfig::builder`].
#[derive(Clone, Debug)]
pub struct DeviceFlowConfig {
    pub(crate) endpoint: Endpoint,
    pub(crate) start_url: String,
    pub(crate) register: RegisterClient,
    pub(crate) registration: Option<ClientRegistration>,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_interval: Duration,
    pub(crate) jitter_seed: Option<u64>,
}

/// Builds a [`DeviceFlowConfig`]; the endpoint and the start URL are required.
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct DeviceFlowConfigBuilder {
    endpoint: Option<Endpoint>,
    start_url: Option<String>,
    client_name: Option<String>,
    scopes: Option<Vec<String>>,
    registration: Option<ClientRegistration>,
    retry: Option<RetryPolicy>,
    max_interval: Option<Duration>,
    jitter_seed: Option<u64>,
}

impl DeviceFlowConfig {
    /// A builder; set at least the endpoint and the start URL.
    pub fn builder() -> DeviceFlowConfigBuilder {
        DeviceFlowConfigBuilder::default()
    }

    /// The endpoint the flow talks to.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// The start URL of the AWS access portal the person signs in to.
    pub fn start_url(&self) -> &str {
        &self.start_url
    }

    /// The seed for the retry jitter, if one was given.
    pub fn jitter_seed(&self) -> Option<u64> {
        self.jitter_seed
    }

    /// Uses `seed` for the retry jitter unless the builder was given one: how a transport,
    /// which may draw randomness, makes sure that flows started together do not retry in
    /// lockstep, while a seed chosen for a test stays.
    ///
    /// ```
    /// use sso_oidc::{DeviceFlowConfig, Endpoint};
    ///
    /// let config = DeviceFlowConfig::builder()
    ///     .endpoint(Endpoint::from_region("us-east-1")?)
    ///     .start_url("https://d-1234567890.awsapps.com/start")
    ///     .build()?;
    /// assert_eq!(config.jitter_seed(), None);
    /// let config = config.or_jitter_seed(7).or_jitter_seed(8);
    /// assert_eq!(config.jitter_seed(), Some(7));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn or_jitter_seed(mut self, seed: u64) -> Self {
        self.jitter_seed.get_or_insert(seed);
        self
    }
}

impl DeviceFlowConfigBuilder {
    /// The service endpoint, e.g. `Endpoint::from_region("us-east-1")?`.
    pub fn endpoint(mut self, endpoint: Endpoint) -> Self {
        self.endpoint = Some(endpoint);
        self
    }

    /// The start URL of the AWS access portal, e.g. `https://d-1234567890.awsapps.com/start`.
    pub fn start_url(mut self, start_url: impl Into<String>) -> Self {
        self.start_url = Some(start_url.into());
        self
    }

    /// The name to register the client under (default [`DEFAULT_CLIENT_NAME`]); the AWS CLI
    /// uses `botocore-client-<sso-session name>`.
    pub fn client_name(mut self, client_name: impl Into<String>) -> Self {
        self.client_name = Some(client_name.into());
        self
    }

    /// Adds one scope to register the client for, e.g. `sso:account:access`.
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scopes.get_or_insert_with(Vec::new).push(scope.into());
        self
    }

    /// Sets the whole list of scopes to register the client for.
    pub fn scopes<I: IntoIterator<Item = S>, S: Into<String>>(mut self, scopes: I) -> Self {
        self.scopes = Some(scopes.into_iter().map(Into::into).collect());
        self
    }

    /// A registration from the cache to reuse. The flow registers anew when there is none, when
    /// it expires within 15 minutes, or when the service rejects it as `InvalidClient`.
    pub fn registration(mut self, registration: impl Into<Option<ClientRegistration>>) -> Self {
        self.registration = registration.into();
        self
    }

    /// How to retry transient failures (default [`RetryPolicy::standard`]). Attempts are
    /// counted per request, in a row: a successful answer, a pending one included, resets them.
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = Some(retry);
        self
    }

    /// The cap for doubling the poll interval after transport timeouts (default
    /// [`DEFAULT_MAX_INTERVAL`]). It never lowers an interval the service asked for.
    pub fn max_interval(mut self, max_interval: Duration) -> Self {
        self.max_interval = Some(max_interval);
        self
    }

    /// The seed for the jitter that spreads retries apart. The core draws no randomness of its
    /// own: flows with the same seed retry in lockstep, so give each flow a different one (from
    /// a random source, or the process id and the time). The transports fill in a random seed
    /// when none is set ([`DeviceFlowConfig::or_jitter_seed`]); without either, the seed is 0.
    pub fn jitter_seed(mut self, seed: u64) -> Self {
        self.jitter_seed = Some(seed);
        self
    }

    /// Checks the settings and builds the configuration.
    ///
    /// # Errors
    /// [`BuildError::MissingRegion`] when no endpoint is set; [`BuildError::MissingMember`],
    /// [`BuildError::BlankMember`] or [`BuildError::InvalidMember`] naming `startUrl` (missing,
    /// blank, or not an `http`/`https` URL), `clientName` or `scopes` (blank).
    pub fn build(self) -> Result<DeviceFlowConfig, BuildError> {
        let endpoint = self.endpoint.ok_or(BuildError::MissingRegion)?;
        let start_url = request::required("startUrl", self.start_url)?;
        request::http_url("startUrl", &start_url)?;
        let mut register = RegisterClient::builder().client_name(
            self.client_name
                .unwrap_or_else(|| DEFAULT_CLIENT_NAME.to_owned()),
        );
        if let Some(scopes) = self.scopes {
            register = register.scopes(scopes);
        }
        Ok(DeviceFlowConfig {
            endpoint,
            start_url,
            register: register.build()?,
            registration: self.registration,
            retry: self.retry.unwrap_or_default(),
            max_interval: self.max_interval.unwrap_or(DEFAULT_MAX_INTERVAL),
            jitter_seed: self.jitter_seed,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint() -> Endpoint {
        Endpoint::from_region("us-east-1").unwrap()
    }

    #[test]
    fn endpoint_and_start_url_are_required_and_checked() {
        let missing_endpoint = DeviceFlowConfig::builder().start_url("https://x.example/start");
        assert_eq!(
            missing_endpoint.build().unwrap_err(),
            BuildError::MissingRegion
        );
        let missing_url = DeviceFlowConfig::builder().endpoint(endpoint());
        assert_eq!(
            missing_url.build().unwrap_err(),
            BuildError::MissingMember { member: "startUrl" }
        );
        let bad_url = DeviceFlowConfig::builder()
            .endpoint(endpoint())
            .start_url("ftp://x.example/start");
        assert!(matches!(
            bad_url.build().unwrap_err(),
            BuildError::InvalidMember {
                member: "startUrl",
                ..
            }
        ));
        let blank_name = DeviceFlowConfig::builder()
            .endpoint(endpoint())
            .start_url("https://x.example/start")
            .client_name("  ");
        assert_eq!(
            blank_name.build().unwrap_err(),
            BuildError::BlankMember {
                member: "clientName"
            }
        );
    }

    #[test]
    fn defaults() {
        let config = DeviceFlowConfig::builder()
            .endpoint(endpoint())
            .start_url("https://x.example/start")
            .build()
            .unwrap();
        assert_eq!(config.start_url(), "https://x.example/start");
        assert_eq!(config.retry, RetryPolicy::standard());
        assert_eq!(config.max_interval, DEFAULT_MAX_INTERVAL);
        assert_eq!(
            config.register.to_http(&endpoint()).body(),
            br#"{"clientName":"sso-oidc","clientType":"public"}"#
        );
    }
}
