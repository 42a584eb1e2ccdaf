//! The client and its builder: settings, and the three operations.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use http::HeaderValue;
use sso_oidc::{
    ClientRegistration, CreateToken, DeviceAuthorization, Endpoint, RegisterClient,
    StartDeviceAuthorization, Token,
};
use tokio_rustls::TlsConnector;

use crate::error::{ConfigError, Error, TransportError};
use crate::proxy::{Proxies, without_credentials};
use crate::send::Sender;
use crate::tls::{self, ExtraRoots};

/// The `user-agent` a client sends unless told otherwise: this crate's name and version, e.g.
/// `sso-oidc-hyper/0.1.0`.
pub const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// The default connect timeout, the AWS CLI's: 60 s.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(60);

/// The default read timeout, the AWS CLI's: 60 s.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(60);

/// The environment variable that names an extra CA bundle, as the AWS CLI and SDKs read it.
pub const AWS_CA_BUNDLE: &str = "AWS_CA_BUNDLE";

/// An async SSO OIDC client: sends the core's requests over HTTP/1.1 (TLS with rustls),
/// returns every response whatever its status, and runs the device flow in real time.
///
/// Cheap to clone: clones share the settings and the idle connections. Use it on a tokio
/// runtime with I/O and time enabled.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    endpoint: Endpoint,
    insecure: bool,
    sender: Sender,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.inner.endpoint)
            .field("connect_timeout", &self.inner.sender.connect_timeout)
            .field("read_timeout", &self.inner.sender.read_timeout)
            .field("proxies", &self.inner.sender.proxies)
            .field("user_agent", &self.inner.sender.user_agent)
            .field("insecure", &self.inner.insecure)
            .finish_non_exhaustive()
    }
}

/// Settings for a [`Client`]; only the endpoint is required.
///
/// ```
/// use sso_oidc_hyper::{Client, sso_oidc::Endpoint};
/// use std::time::Duration;
///
/// let client = Client::builder()
///     .endpoint(Endpoint::from_region("eu-west-1")?)
///     .connect_timeout(Duration::from_secs(10))
///     .user_agent("my-tool/1.2")
///     .build()?;
/// assert_eq!(client.endpoint().url(), "https://oidc.eu-west-1.amazonaws.com");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
#[must_use]
pub struct ClientBuilder {
    endpoint: Option<Endpoint>,
    connect_timeout: Duration,
    read_timeout: Duration,
    ca_bundle: Option<PathBuf>,
    ca_pem: Option<Vec<u8>>,
    insecure: bool,
    proxy: Option<String>,
    env_proxy: bool,
    user_agent: Option<String>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            endpoint: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            read_timeout: DEFAULT_READ_TIMEOUT,
            ca_bundle: None,
            ca_pem: None,
            insecure: false,
            proxy: None,
            env_proxy: true,
            user_agent: None,
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("endpoint", &self.endpoint)
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("ca_bundle", &self.ca_bundle)
            .field("ca_pem", &self.ca_pem.as_ref().map(Vec::len))
            .field("insecure", &self.insecure)
            .field("proxy", &self.proxy.as_deref().map(without_credentials))
            .field("env_proxy", &self.env_proxy)
            .field("user_agent", &self.user_agent)
            .finish()
    }
}

impl ClientBuilder {
    /// Where the three operations go: a region's endpoint (`Endpoint::from_region`, with FIPS
    /// or dual-stack through `Endpoint::builder`) or a custom URL (`Endpoint::from_url`).
    /// Required.
    pub fn endpoint(mut self, endpoint: Endpoint) -> Self {
        self.endpoint = Some(endpoint);
        self
    }

    /// How long to wait for a connection: TCP, the proxy's tunnel and the TLS handshake
    /// together (default [`DEFAULT_CONNECT_TIMEOUT`]).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long to wait for the response head once the request is sent, and then for each
    /// next piece of the body (default [`DEFAULT_READ_TIMEOUT`]).
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// A PEM file of CA certificates to trust besides the platform's (a company's
    /// TLS-inspecting proxy, say). When none is set, the file named by `AWS_CA_BUNDLE` is
    /// used, if that is set and not empty. Read by [`build`](Self::build).
    pub fn ca_bundle(mut self, path: impl Into<PathBuf>) -> Self {
        self.ca_bundle = Some(path.into());
        self
    }

    /// CA certificates to trust besides the platform's, as PEM in memory.
    pub fn ca_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.ca_pem = Some(pem.into());
        self
    }

    /// Skips TLS certificate verification: any certificate, for any name, is accepted.
    /// **Insecure**: anyone on the path can read the tokens. [`build`](Self::build) logs a
    /// warning (`tracing`), and [`Client::is_insecure`] says so. Off by default.
    pub fn danger_accept_invalid_certs(mut self, yes: bool) -> Self {
        self.insecure = yes;
        self
    }

    /// Sends every request through this proxy (`http://` or `https://`, with
    /// `user:password@` for basic authentication), whatever the environment says.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// Ignores the proxy environment variables. By default `HTTPS_PROXY`, `HTTP_PROXY`,
    /// `ALL_PROXY` and `NO_PROXY` (or their lower-case forms) are honoured as curl honours
    /// them, read by [`build`](Self::build).
    pub fn no_proxy_from_env(mut self) -> Self {
        self.env_proxy = false;
        self
    }

    /// The `user-agent` of every request, in place of the core's (default [`USER_AGENT`]).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Checks the settings, loads the trusted certificates and reads the proxy environment.
    ///
    /// # Errors
    /// [`ConfigError::MissingEndpoint`] without an endpoint; [`ConfigError::CaBundleUnreadable`]
    /// or [`ConfigError::CaBundleInvalid`] for a CA bundle that cannot be read or holds no
    /// usable certificate (naming the file, and `AWS_CA_BUNDLE` when that named it);
    /// [`ConfigError::InvalidProxy`] for a proxy URL that is not an `http`/`https` URL with a
    /// host; [`ConfigError::InvalidUserAgent`] for a user agent that cannot be a header.
    pub fn build(self) -> Result<Client, ConfigError> {
        let endpoint = self.endpoint.ok_or(ConfigError::MissingEndpoint)?;
        let user_agent = HeaderValue::try_from(self.user_agent.as_deref().unwrap_or(USER_AGENT))
            .map_err(|_| ConfigError::InvalidUserAgent)?;
        let proxies = match (&self.proxy, self.env_proxy) {
            (Some(url), _) => Proxies::fixed(url)?,
            (None, true) => Proxies::from_env(),
            (None, false) => Proxies::none(),
        };
        let mut extra = Vec::new();
        match self.ca_bundle {
            Some(path) => extra.push(ExtraRoots::File {
                path,
                from_env: false,
            }),
            None => {
                if let Some(path) = std::env::var_os(AWS_CA_BUNDLE).filter(|p| !p.is_empty()) {
                    extra.push(ExtraRoots::File {
                        path: path.into(),
                        from_env: true,
                    });
                }
            }
        }
        if let Some(pem) = self.ca_pem {
            extra.push(ExtraRoots::Pem(pem));
        }
        let tls = tls::config(&extra, self.insecure)?;
        if self.insecure {
            tracing::warn!(
                endpoint = %endpoint,
                "TLS certificate verification is OFF (danger_accept_invalid_certs): anyone on the network path can read and change what is sent, tokens included"
            );
        }
        Ok(Client {
            inner: Arc::new(Inner {
                endpoint,
                insecure: self.insecure,
                sender: Sender::new(
                    self.connect_timeout,
                    self.read_timeout,
                    TlsConnector::from(Arc::new(tls)),
                    proxies,
                    user_agent,
                ),
            }),
        })
    }
}

impl Client {
    /// A builder; set at least the endpoint.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// Where the three operations go.
    pub fn endpoint(&self) -> &Endpoint {
        &self.inner.endpoint
    }

    /// Whether TLS certificates go unverified
    /// ([`ClientBuilder::danger_accept_invalid_certs`]).
    pub fn is_insecure(&self) -> bool {
        self.inner.insecure
    }

    /// Sends a request and reads its response.
    ///
    /// The response keeps its status and every header, and comes back whatever its status:
    /// a 400 is how the service says "authorization pending", and only the core can read it.
    /// Redirects are not followed. At most [`sso_oidc::MAX_RESPONSE_BODY`] bytes of the body
    /// are read; a longer body is an error, and what was read of it is dropped. The
    /// request's `user-agent` is replaced by the client's; `Host` is set from the URL.
    ///
    /// Idle connections are reused; a request that finds one closed before anything was
    /// written on it goes out on a new one. Nothing else is retried: that is the core's call.
    ///
    /// # Errors
    /// [`TransportError`] when no response came back, or its body could not be read whole:
    /// connection refused or unresolvable ([`Connect`](sso_oidc::TransportErrorKind::Connect)),
    /// no connection or no answer in time ([`Timeout`](sso_oidc::TransportErrorKind::Timeout)),
    /// a broken or closed connection ([`Io`](sso_oidc::TransportErrorKind::Io)), a failed TLS
    /// handshake ([`Tls`](sso_oidc::TransportErrorKind::Tls)), a body over the cap
    /// ([`BodyTooLarge`](sso_oidc::TransportErrorKind::BodyTooLarge)).
    pub async fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        self.inner.sender.send(request).await
    }

    /// Registers a client (`RegisterClient`).
    ///
    /// # Errors
    /// [`Error::Transport`] when no response came back; [`Error::Api`] when the service
    /// refused or the response could not be parsed.
    pub async fn register_client(
        &self,
        request: &RegisterClient,
    ) -> Result<ClientRegistration, Error> {
        let response = self.send(request.to_http(self.endpoint())).await?;
        Ok(RegisterClient::parse(response)?)
    }

    /// Starts a device authorization (`StartDeviceAuthorization`).
    ///
    /// # Errors
    /// [`Error::Transport`] when no response came back; [`Error::Api`] when the service
    /// refused or the response could not be parsed.
    pub async fn start_device_authorization(
        &self,
        request: &StartDeviceAuthorization,
    ) -> Result<DeviceAuthorization, Error> {
        let response = self.send(request.to_http(self.endpoint())).await?;
        Ok(StartDeviceAuthorization::parse(response)?)
    }

    /// Asks for a token (`CreateToken`), once: a pending authorization is an
    /// [`Error::Api`] with [`ErrorCode::AuthorizationPending`](sso_oidc::ErrorCode). To poll
    /// until approved, use [`device_login`](Self::device_login).
    ///
    /// # Errors
    /// [`Error::Transport`] when no response came back; [`Error::Api`] when the service
    /// refused or the response could not be parsed.
    pub async fn create_token(&self, request: &CreateToken) -> Result<Token, Error> {
        let response = self.send(request.to_http(self.endpoint())).await?;
        Ok(CreateToken::parse(response)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builder() -> ClientBuilder {
        Client::builder().endpoint(Endpoint::from_url("http://127.0.0.1:9").unwrap())
    }

    #[test]
    fn the_endpoint_is_required() {
        let error = Client::builder().build().unwrap_err();
        assert!(matches!(error, ConfigError::MissingEndpoint), "{error:?}");
    }

    #[test]
    fn a_bad_ca_bundle_path_is_a_config_error_naming_it() {
        let error = builder()
            .ca_bundle("/nonexistent/bundle.pem")
            .build()
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "could not read the CA bundle `/nonexistent/bundle.pem`"
        );
        assert!(std::error::Error::source(&error).is_some());
    }

    #[test]
    fn bad_settings_are_config_errors() {
        let error = builder().user_agent("bad\nagent").build().unwrap_err();
        assert!(matches!(error, ConfigError::InvalidUserAgent), "{error:?}");
        let error = builder().proxy("ftp://proxy:21").build().unwrap_err();
        assert!(
            matches!(error, ConfigError::InvalidProxy { .. }),
            "{error:?}"
        );
    }

    #[test]
    fn insecure_mode_says_so_and_debug_hides_proxy_credentials() {
        let client = builder()
            .danger_accept_invalid_certs(true)
            .proxy("http://user:secret@proxy.example.com:3128")
            .build()
            .unwrap();
        assert!(client.is_insecure());
        let debug = format!("{client:?}");
        assert!(debug.contains("insecure: true"), "{debug}");
        assert!(!debug.contains("secret"), "{debug}");
        let builder = builder().proxy("http://user:secret@proxy.example.com:3128");
        assert!(!format!("{builder:?}").contains("secret"));
        assert!(!builder.build().unwrap().is_insecure());
    }

    #[test]
    fn a_ca_bundle_adds_to_the_platform_roots() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/test-ca.pem");
        builder().ca_bundle(path).build().unwrap();
        let pem = std::fs::read(path).unwrap();
        builder().ca_pem(pem).build().unwrap();
    }
}
