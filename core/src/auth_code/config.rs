//! What an authorization-code flow needs to know before it starts.

use std::time::Duration;

use crate::create_token::GrantType;
use crate::endpoint::Endpoint;
use crate::error::BuildError;
use crate::flow::DEFAULT_CLIENT_NAME;
use crate::register_client::{ClientRegistration, RegisterClient};
use crate::request;
use crate::retry::RetryPolicy;

/// The scope registered and asked for when none is set, as the AWS CLI.
pub const DEFAULT_SCOPE: &str = "sso:account:access";

/// How long the flow waits for the browser to come back when no timeout is set: the AWS
/// CLI's 10 minutes.
pub const DEFAULT_REDIRECT_TIMEOUT: Duration = Duration::from_secs(600);

/// The redirect URI the client is registered with: a loopback URI without a port, which the
/// service matches with any port (RFC 8252 section 7.3), as the AWS CLI registers it.
pub const REGISTERED_REDIRECT_URI: &str = "http://127.0.0.1/oauth/callback";

/// The grant types the client is registered for: the code, and refreshing the token.
pub(crate) const GRANT_TYPES: [GrantType; 2] =
    [GrantType::AuthorizationCode, GrantType::RefreshToken];

/// Settings for an [`AuthCodeFlow`](crate::AuthCodeFlow): where to sign in, how to register,
/// how long to wait for the browser, and the retry policy. Built with
/// [`AuthCodeFlowConfig::builder`].
#[derive(Clone, Debug)]
pub struct AuthCodeFlowConfig {
    pub(crate) endpoint: Endpoint,
    pub(crate) start_url: String,
    pub(crate) scopes: Vec<String>,
    pub(crate) register: RegisterClient,
    pub(crate) registration: Option<ClientRegistration>,
    pub(crate) retry: RetryPolicy,
    pub(crate) timeout: Duration,
    pub(crate) jitter_seed: Option<u64>,
}

/// Builds an [`AuthCodeFlowConfig`]; the endpoint and the start URL are required.
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct AuthCodeFlowConfigBuilder {
    endpoint: Option<Endpoint>,
    start_url: Option<String>,
    client_name: Option<String>,
    scopes: Option<Vec<String>>,
    registration: Option<ClientRegistration>,
    retry: Option<RetryPolicy>,
    timeout: Option<Duration>,
    jitter_seed: Option<u64>,
}

impl AuthCodeFlowConfig {
    /// A builder; set at least the endpoint and the start URL.
    pub fn builder() -> AuthCodeFlowConfigBuilder {
        AuthCodeFlowConfigBuilder::default()
    }

    /// The endpoint the flow talks to; the authorize URL is on its host too.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// The start URL of the AWS access portal (the registration's `issuerUrl`).
    pub fn start_url(&self) -> &str {
        &self.start_url
    }

    /// The scopes registered and asked for: what to record in the registration cache, as the
    /// AWS CLI records them (the default scope included).
    pub fn scopes(&self) -> &[String] {
        &self.scopes
    }

    /// The seed for the retry jitter, if one was given.
    pub fn jitter_seed(&self) -> Option<u64> {
        self.jitter_seed
    }

    /// Uses `seed` for the retry jitter unless the builder was given one (see
    /// [`DeviceFlowConfig::or_jitter_seed`](crate::DeviceFlowConfig::or_jitter_seed)).
    #[must_use]
    pub fn or_jitter_seed(mut self, seed: u64) -> Self {
        self.jitter_seed.get_or_insert(seed);
        self
    }
}

impl AuthCodeFlowConfigBuilder {
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

    /// Adds one scope to register and ask for.
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scopes.get_or_insert_with(Vec::new).push(scope.into());
        self
    }

    /// Sets the whole list of scopes (default [`DEFAULT_SCOPE`]; an empty list means the
    /// default too, as in the AWS CLI).
    pub fn scopes<I: IntoIterator<Item = S>, S: Into<String>>(mut self, scopes: I) -> Self {
        self.scopes = Some(scopes.into_iter().map(Into::into).collect());
        self
    }

    /// A registration from the cache to reuse. It is used only when it was registered for the
    /// authorization-code grant ([`ClientRegistration::grant_types`]) and does not expire
    /// within [`REGISTRATION_EXPIRY_WINDOW`](crate::REGISTRATION_EXPIRY_WINDOW); the flow
    /// registers anew otherwise, and once when the service rejects it as `InvalidClient`.
    pub fn registration(mut self, registration: impl Into<Option<ClientRegistration>>) -> Self {
        self.registration = registration.into();
        self
    }

    /// How to retry transient failures of `RegisterClient` and `CreateToken` (default
    /// [`RetryPolicy::standard`]).
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = Some(retry);
        self
    }

    /// How long to wait for the browser to come back, counted from when the authorize URL is
    /// handed out (default [`DEFAULT_REDIRECT_TIMEOUT`]). Nothing is sent after it.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The seed for the jitter that spreads retries apart (see
    /// [`DeviceFlowConfigBuilder::jitter_seed`](crate::DeviceFlowConfigBuilder::jitter_seed)).
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
    pub fn build(self) -> Result<AuthCodeFlowConfig, BuildError> {
        let endpoint = self.endpoint.ok_or(BuildError::MissingRegion)?;
        let start_url = request::required("startUrl", self.start_url)?;
        request::http_url("startUrl", &start_url)?;
        let scopes = match self.scopes {
            Some(scopes) if !scopes.is_empty() => scopes,
            _ => vec![DEFAULT_SCOPE.to_owned()],
        };
        let register = RegisterClient::builder()
            .client_name(
                self.client_name
                    .unwrap_or_else(|| DEFAULT_CLIENT_NAME.to_owned()),
            )
            .grant_types(GRANT_TYPES.map(String::from))
            .redirect_uri(REGISTERED_REDIRECT_URI)
            .issuer_url(&start_url)
            .scopes(scopes.clone())
            .build()?;
        Ok(AuthCodeFlowConfig {
            endpoint,
            start_url,
            scopes,
            register,
            registration: self.registration,
            retry: self.retry.unwrap_or_default(),
            timeout: self.timeout.unwrap_or(DEFAULT_REDIRECT_TIMEOUT),
            jitter_seed: self.jitter_seed,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registers_as_the_aws_cli() {
        let endpoint = Endpoint::from_region("us-east-1").unwrap();
        let config = AuthCodeFlowConfig::builder()
            .endpoint(endpoint.clone())
            .start_url("https://d-1234567890.awsapps.com/start")
            .client_name("botocore-client-dev")
            .build()
            .unwrap();
        assert_eq!(config.scopes(), ["sso:account:access"]);
        assert_eq!(config.timeout, DEFAULT_REDIRECT_TIMEOUT);
        assert_eq!(
            String::from_utf8(config.register.to_http(&endpoint).into_body()).unwrap(),
            r#"{"clientName":"botocore-client-dev","clientType":"public","scopes":["sso:account:access"],"redirectUris":["http://127.0.0.1/oauth/callback"],"grantTypes":["authorization_code","refresh_token"],"issuerUrl":"https://d-1234567890.awsapps.com/start"}"#
        );
        let bad = AuthCodeFlowConfig::builder()
            .endpoint(endpoint)
            .start_url("https://x.example/start")
            .scope(" ");
        assert!(bad.build().is_err());
    }
}
