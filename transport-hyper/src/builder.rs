//! The client's settings: endpoint, timeouts, trusted roots, proxies, user agent.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use http::HeaderValue;
use sso_oidc::Endpoint;
use tokio_rustls::TlsConnector;

use crate::client::Client;
use crate::error::ConfigError;
use crate::proxy::{Proxies, without_credentials};
use crate::send::Sender;
use crate::tls::{self, ExtraCa};

/// How long to wait for a connection, and for each read, when nothing else is set: the AWS
/// CLI's `connect_timeout` and `read_timeout`.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The `user-agent` product this crate puts in front of the core's:
/// `sso-oidc-hyper/<version>`.
pub const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// Builds a [`Client`]. Made by [`Client::builder`]; every setting has a default.
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
/// assert_eq!(
///     client.endpoint().map(Endpoint::url),
///     Some("https://oidc.eu-west-1.amazonaws.com")
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
#[must_use]
pub struct ClientBuilder {
    endpoint: Option<Endpoint>,
    connect_timeout: Duration,
    read_timeout: Duration,
    extra_ca: Vec<ExtraCa>,
    insecure: bool,
    proxy: Option<String>,
    proxy_from_env: bool,
    user_agent: String,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            endpoint: None,
            connect_timeout: DEFAULT_TIMEOUT,
            read_timeout: DEFAULT_TIMEOUT,
            extra_ca: Vec::new(),
            insecure: false,
            proxy: None,
            proxy_from_env: true,
            user_agent: USER_AGENT.to_owned(),
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let extra_ca: Vec<_> = self.extra_ca.iter().map(ExtraCa::describe).collect();
        f.debug_struct("ClientBuilder")
            .field("endpoint", &self.endpoint)
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("extra_ca", &extra_ca)
            .field("insecure", &self.insecure)
            .field("proxy", &self.proxy.as_deref().map(without_credentials))
            .field("proxy_from_env", &self.proxy_from_env)
            .field("user_agent", &self.user_agent)
            .finish()
    }
}

impl ClientBuilder {
    /// The service endpoint the operations and [`Client::refresh`] use, e.g.
    /// `Endpoint::from_region("us-east-1")?` (FIPS and dual-stack through
    /// `Endpoint::builder`, an emulator through `Endpoint::from_url`). Without one, those
    /// methods fail with [`BuildError::MissingRegion`](sso_oidc::BuildError::MissingRegion)
    /// (`refresh` first tries the cached token's region); [`Client::send`] and
    /// [`Client::device_login`] (whose configuration names its own endpoint) do not need it.
    pub fn endpoint(mut self, endpoint: Endpoint) -> Self {
        self.endpoint = Some(endpoint);
        self
    }

    /// How long to wait for a connection: name resolution, TCP, any proxy `CONNECT` and the
    /// TLS handshake together (default [`DEFAULT_TIMEOUT`], 60 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long to wait for the response head once the request is sent, and then for each
    /// next piece of the body: a server that stays silent this long has timed out (default
    /// [`DEFAULT_TIMEOUT`], 60 s).
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// Trusts the CA certificates in this PEM file as well as the platform's roots (a
    /// corporate TLS-inspecting proxy's CA, say). Without this or [`ca_pem`](Self::ca_pem),
    /// the file `AWS_CA_BUNDLE` names is used. The file is read by [`build`](Self::build).
    pub fn ca_bundle(mut self, path: impl Into<PathBuf>) -> Self {
        self.extra_ca.push(ExtraCa::File {
            path: path.into(),
            from_env: false,
        });
        self
    }

    /// Trusts the CA certificates in this PEM text as well as the platform's roots, as
    /// [`ca_bundle`](Self::ca_bundle) does for a file.
    pub fn ca_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.extra_ca.push(ExtraCa::Pem(pem.into()));
        self
    }

    /// **Insecure:** accepts any server certificate, for any name, so anyone on the path can
    /// pose as the endpoint and read the tokens. For a test server with a certificate you
    /// cannot add with [`ca_bundle`](Self::ca_bundle) only. [`build`](Self::build) logs a
    /// warning (`tracing`), and [`Client::is_insecure`] says so. Off by default.
    pub fn danger_accept_invalid_certs(mut self, yes: bool) -> Self {
        self.insecure = yes;
        self
    }

    /// Sends every request through this proxy, e.g. `http://user:password@proxy:3128`
    /// (`http` or `https`; a URL without a scheme is `http`). It replaces the environment's
    /// proxies, and `NO_PROXY` does not apply to it.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// Ignores the proxy environment variables. By default `https_proxy` (for `https` URLs),
    /// `http_proxy` (for `http` URLs) and `all_proxy` are honoured, lower case before upper
    /// case, except for the hosts `no_proxy` lists (as curl reads it: `example.com` covers
    /// its subdomains; IP addresses and networks such as `10.0.0.0/8` work too) and for
    /// loopback hosts, which a proxy could not reach.
    pub fn no_proxy_from_env(mut self) -> Self {
        self.proxy_from_env = false;
        self
    }

    /// The product put in front of the `user-agent` of each request (the core sends
    /// `sso-oidc/<version>`), e.g. `my-tool/1.2`; default [`USER_AGENT`]. An empty string
    /// leaves each request's own `user-agent` alone.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Checks the settings, reads the CA bundles and the proxy environment, and builds the
    /// client.
    ///
    /// # Errors
    /// [`ConfigError::ReadCaBundle`] or [`ConfigError::InvalidCaBundle`] for a CA bundle that
    /// cannot be read or holds no PEM certificate (`AWS_CA_BUNDLE`'s included);
    /// [`ConfigError::InvalidProxy`] for a proxy URL, given or from the environment, that is
    /// not an `http` or `https` URL with a host; [`ConfigError::InvalidUserAgent`] for a user
    /// agent that cannot be a header value.
    pub fn build(self) -> Result<Client, ConfigError> {
        self.build_with_env(|name| std::env::var(name).ok())
    }

    /// [`build`](Self::build), reading environment variables through `var` (tests give a
    /// map: changing a test process's environment is unsafe).
    pub(crate) fn build_with_env(
        self,
        var: impl Fn(&str) -> Option<String>,
    ) -> Result<Client, ConfigError> {
        let user_agent = match self.user_agent.as_str() {
            "" => None,
            ua => Some(HeaderValue::from_str(ua).map_err(|_| ConfigError::InvalidUserAgent)?),
        };
        let mut extra_ca = self.extra_ca;
        if extra_ca.is_empty()
            && let Some(path) = var("AWS_CA_BUNDLE").filter(|p| !p.trim().is_empty())
        {
            extra_ca.push(ExtraCa::File {
                path: path.into(),
                from_env: true,
            });
        }
        let tls = tls::config(&extra_ca, self.insecure)?;
        if self.insecure {
            tracing::warn!(
                "TLS certificate verification is off (danger_accept_invalid_certs): anyone on \
                 the network path can pose as the endpoint and read the tokens"
            );
        }
        let proxies = match (&self.proxy, self.proxy_from_env) {
            (Some(url), _) => Proxies::fixed(url)?,
            (None, true) => Proxies::from_env(var)?,
            (None, false) => Proxies::none(),
        };
        let sender = Sender::new(
            self.connect_timeout,
            self.read_timeout,
            TlsConnector::from(Arc::new(tls)),
            proxies,
            user_agent,
        );
        Ok(Client::new(self.endpoint, self.insecure, sender))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    const TEST_CA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/test-ca.pem");

    fn builder() -> ClientBuilder {
        Client::builder().endpoint(Endpoint::from_url("http://127.0.0.1:9").unwrap())
    }

    fn build(builder: ClientBuilder, vars: &[(&str, &str)]) -> Result<Client, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        builder.build_with_env(|name| vars.get(name).cloned())
    }

    #[test]
    fn no_endpoint_is_needed_to_build() {
        let client = build(Client::builder(), &[]).unwrap();
        assert!(client.endpoint().is_none());
        assert!(!client.is_insecure());
    }

    #[test]
    fn a_bad_ca_bundle_path_is_a_config_error_naming_it() {
        let error = build(builder().ca_bundle("/nonexistent/bundle.pem"), &[]).unwrap_err();
        assert!(
            matches!(error, ConfigError::ReadCaBundle { .. }),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            "could not read the CA bundle \"/nonexistent/bundle.pem\""
        );
        assert!(std::error::Error::source(&error).is_some());
        // Even when verification is off: a file someone names must exist.
        let insecure = builder()
            .danger_accept_invalid_certs(true)
            .ca_bundle("/nonexistent/bundle.pem");
        assert!(build(insecure, &[]).is_err());
    }

    #[test]
    fn aws_ca_bundle_is_read_unless_a_bundle_is_given() {
        let vars = [("AWS_CA_BUNDLE", "/nonexistent/corp.pem")];
        let error = build(builder(), &vars).unwrap_err();
        assert_eq!(
            error.to_string(),
            "could not read the CA bundle \"/nonexistent/corp.pem\" (from AWS_CA_BUNDLE)"
        );
        build(builder().ca_bundle(TEST_CA), &vars).unwrap();
        build(builder(), &[("AWS_CA_BUNDLE", TEST_CA)]).unwrap();
        build(builder(), &[("AWS_CA_BUNDLE", " ")]).unwrap();
    }

    #[test]
    fn ca_bundles_add_to_the_platform_roots() {
        build(builder().ca_bundle(TEST_CA), &[]).unwrap();
        let pem = std::fs::read(TEST_CA).unwrap();
        build(builder().ca_pem(pem), &[]).unwrap();
        let error = build(builder().ca_pem("no certificate here"), &[]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the CA bundle given in memory holds no PEM certificate"
        );
    }

    #[test]
    fn bad_settings_are_config_errors() {
        let error = build(builder().user_agent("bad\nagent"), &[]).unwrap_err();
        assert!(matches!(error, ConfigError::InvalidUserAgent), "{error:?}");
        let error = build(builder().proxy("ftp://proxy:21"), &[]).unwrap_err();
        assert!(
            matches!(
                error,
                ConfigError::InvalidProxy {
                    origin: "proxy()",
                    ..
                }
            ),
            "{error:?}"
        );
        let error = build(builder(), &[("HTTPS_PROXY", "socks5://proxy:1080")]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid proxy URL in HTTPS_PROXY: only http:// and https:// proxies are supported"
        );
        // Ignored when the environment is.
        build(
            builder().no_proxy_from_env(),
            &[("HTTPS_PROXY", "socks5://proxy:1080")],
        )
        .unwrap();
    }

    #[test]
    fn insecure_mode_says_so_and_debug_hides_proxy_credentials() {
        let builder = builder()
            .danger_accept_invalid_certs(true)
            .proxy("http://user:secret@proxy.example.com:3128");
        assert!(!format!("{builder:?}").contains("secret"));
        let client = build(builder, &[]).unwrap();
        assert!(client.is_insecure());
        let debug = format!("{client:?}");
        assert!(debug.contains("insecure: true"), "{debug}");
        assert!(!debug.contains("secret"), "{debug}");
    }
}
