//! The client's settings: endpoint, timeouts, trusted roots, proxies, user agent.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use http::HeaderValue;
use sso_oidc::Endpoint;
use ureq::Agent;
use ureq::tls::TlsConfig;
use ureq::unversioned::transport::DefaultConnector;

use crate::client::{Client, Inner, Route, Routes};
use crate::error::ConfigError;
use crate::proxy::{self, EnvProxies, Setting};
use crate::resolve::IpFirst;
use crate::tls::{self, ExtraCa};

/// How long to wait for a connection, and for each read, when nothing else is set: the AWS
/// CLI's `connect_timeout` and `read_timeout`.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The `user-agent` product this crate puts in front of the core's: `sso-oidc-ureq/<version>`.
pub const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// Builds a [`Client`]. Made by [`Client::builder`]; every setting has a default.
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

impl ClientBuilder {
    /// The service endpoint the operations and [`Client::refresh`] use, e.g.
    /// `Endpoint::from_region("us-east-1")?`. Without one, those methods fail with
    /// [`BuildError::MissingRegion`](sso_oidc::BuildError::MissingRegion) (`refresh` first tries
    /// the cached token's region); [`Client::send`] and [`Client::device_login`] (whose
    /// configuration names its own endpoint) do not need it.
    pub fn endpoint(mut self, endpoint: Endpoint) -> Self {
        self.endpoint = Some(endpoint);
        self
    }

    /// How long to wait for name resolution, and for the connection with its TLS handshake
    /// and any proxy `CONNECT` (default [`DEFAULT_TIMEOUT`], 60 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long to wait for each read (and write) on a connection: a server that stays silent
    /// this long has timed out (default [`DEFAULT_TIMEOUT`], 60 s).
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

    /// **Insecure:** accepts any server certificate, so anyone on the path can pose as the
    /// endpoint and read the tokens. For a test server with a certificate you cannot add with
    /// [`ca_bundle`](Self::ca_bundle) only. [`build`](Self::build) logs a warning, and
    /// [`Client::is_insecure`] says so.
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
    /// case, except for the hosts `no_proxy` lists (`example.com` covers its subdomains; IP
    /// addresses and networks such as `10.0.0.0/8` work too) and for loopback hosts, which a
    /// proxy could not reach.
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

    /// [`build`](Self::build), reading environment variables through `var`.
    pub(crate) fn build_with_env(
        self,
        var: impl Fn(&str) -> Option<String>,
    ) -> Result<Client, ConfigError> {
        let user_agent = match self.user_agent.as_str() {
            "" => None,
            ua => Some(HeaderValue::from_str(ua).map_err(|_| ConfigError::InvalidUserAgent)?),
        };
        let mut extra_ca = self.extra_ca.clone();
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
        let routes = self.routes(&tls, var)?;
        Ok(Client {
            inner: Arc::new(Inner {
                endpoint: self.endpoint,
                routes,
                user_agent,
                insecure: self.insecure,
                connect_timeout: self.connect_timeout,
                read_timeout: self.read_timeout,
            }),
        })
    }

    fn routes(
        &self,
        tls: &TlsConfig,
        var: impl Fn(&str) -> Option<String>,
    ) -> Result<Routes, ConfigError> {
        let route = |setting: &Setting| -> Result<Route, ConfigError> {
            let proxy = proxy::proxy(setting)?;
            Ok(Route {
                name: proxy::describe(&proxy),
                agent: self.agent(tls, Some(proxy)),
            })
        };
        if let Some(url) = &self.proxy {
            let setting = Setting {
                url: url.clone(),
                origin: "proxy()",
            };
            return Ok(Routes::Explicit(route(&setting)?));
        }
        let direct = self.agent(tls, None);
        if !self.proxy_from_env {
            return Ok(Routes::Direct(direct));
        }
        let env = EnvProxies::read(var);
        let https = env.https.as_ref().map(route).transpose()?;
        let http = match (&env.http, &env.https, &https) {
            // One proxy for both schemes: one agent, one connection pool.
            (Some(http), Some(https), Some(route)) if http.url == https.url => Some(route.clone()),
            (http, _, _) => http.as_ref().map(route).transpose()?,
        };
        if https.is_none() && http.is_none() {
            return Ok(Routes::Direct(direct));
        }
        Ok(Routes::Env {
            direct,
            https,
            http,
            no_proxy: env.no_proxy,
        })
    }

    fn agent(&self, tls: &TlsConfig, proxy: Option<ureq::Proxy>) -> Agent {
        let config = Agent::config_builder()
            // The service says "authorization pending" with a 400: every status is a response.
            .http_status_as_error(false)
            .max_redirects(0)
            // Always set: ureq's default reads the environment its own way.
            .proxy(proxy)
            .tls_config(tls.clone())
            .timeout_resolve(Some(self.connect_timeout))
            .timeout_connect(Some(self.connect_timeout))
            .timeout_per_read(Some(self.read_timeout))
            .timeout_per_write(Some(self.read_timeout))
            // Sent to a proxy with CONNECT; requests carry their own.
            .user_agent(self.user_agent.as_str())
            // Send the request as the core built it: no headers it did not ask for.
            .accept("")
            .accept_encoding("")
            .build();
        Agent::with_parts(config, DefaultConnector::default(), IpFirst::default())
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A proxy URL may hold a password: show only whether one is set.
        f.debug_struct("ClientBuilder")
            .field("endpoint", &self.endpoint)
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field(
                "extra_ca",
                &self
                    .extra_ca
                    .iter()
                    .map(ExtraCa::describe)
                    .collect::<Vec<_>>(),
            )
            .field("insecure", &self.insecure)
            .field("proxy", &self.proxy.as_ref().map(|_| "<set>"))
            .field("proxy_from_env", &self.proxy_from_env)
            .field("user_agent", &self.user_agent)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn build(builder: ClientBuilder, vars: &[(&str, &str)]) -> Result<Client, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        builder.build_with_env(|name| vars.get(name).cloned())
    }

    fn via<'a>(client: &'a Client, url: &str) -> Option<&'a str> {
        client.proxy_for(&url.parse().unwrap())
    }

    const AWS: &str = "https://oidc.us-east-1.amazonaws.com/token";
    const LOCAL: &str = "http://127.0.0.1:8080/token";

    #[test]
    fn defaults() {
        let client = build(Client::builder(), &[]).unwrap();
        assert_eq!(client.endpoint(), None);
        assert!(!client.is_insecure());
        assert_eq!(client.inner.connect_timeout, Duration::from_secs(60));
        assert_eq!(client.inner.read_timeout, Duration::from_secs(60));
        assert_eq!(
            client.inner.user_agent.as_ref().unwrap(),
            concat!("sso-oidc-ureq/", env!("CARGO_PKG_VERSION"))
        );
        assert_eq!(via(&client, AWS), None);
    }

    #[test]
    fn aws_ca_bundle_is_read_at_build_and_named_when_bad() {
        let error = build(
            Client::builder(),
            &[("AWS_CA_BUNDLE", "/no/such/bundle.pem")],
        )
        .unwrap_err();
        assert!(
            matches!(&error, ConfigError::ReadCaBundle { path, from_env: true, .. } if path.to_str() == Some("/no/such/bundle.pem")),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            "could not read the CA bundle \"/no/such/bundle.pem\" (from AWS_CA_BUNDLE)"
        );
        // A bundle given to the builder wins over the environment's.
        let pem = include_str!("../tests/data/test-ca.pem");
        let ok = build(
            Client::builder().ca_pem(pem),
            &[("AWS_CA_BUNDLE", "/no/such/bundle.pem")],
        );
        assert!(ok.is_ok());
        let bad = build(Client::builder().ca_bundle("/etc/hostname-nope"), &[]).unwrap_err();
        assert!(
            matches!(
                bad,
                ConfigError::ReadCaBundle {
                    from_env: false,
                    ..
                }
            ),
            "{bad:?}"
        );
    }

    #[test]
    fn environment_proxies_by_scheme_except_no_proxy_and_loopback() {
        let vars = [
            ("HTTPS_PROXY", "http://user:secret@proxy.corp:3128"),
            ("NO_PROXY", "localhost, .internal.corp"),
        ];
        let client = build(Client::builder(), &vars).unwrap();
        assert_eq!(via(&client, AWS), Some("http://proxy.corp:3128"));
        assert_eq!(via(&client, "https://sso.internal.corp/token"), None);
        assert_eq!(via(&client, LOCAL), None, "loopback goes direct");
        assert_eq!(
            via(&client, "http://emulator.example:8080/token"),
            None,
            "no HTTP_PROXY"
        );
        assert!(!format!("{client:?}").contains("secret"));

        let both = build(
            Client::builder(),
            &[
                ("http_proxy", "proxy.corp:8080"),
                ("NO_PROXY", "amazonaws.com"),
            ],
        )
        .unwrap();
        assert_eq!(via(&both, AWS), None);
        assert_eq!(
            via(&both, "http://emulator.example:8080/token"),
            Some("http://proxy.corp:8080")
        );

        let ignored = build(Client::builder().no_proxy_from_env(), &vars).unwrap();
        assert_eq!(via(&ignored, AWS), None);
    }

    #[test]
    fn an_explicit_proxy_takes_every_request() {
        let client = build(
            Client::builder().proxy("https://proxy.example:8443"),
            &[("HTTPS_PROXY", "http://other:1"), ("NO_PROXY", "*")],
        )
        .unwrap();
        assert_eq!(via(&client, AWS), Some("https://proxy.example:8443"));
        assert_eq!(via(&client, LOCAL), Some("https://proxy.example:8443"));
    }

    #[test]
    fn bad_proxies_name_their_origin() {
        let error =
            build(Client::builder(), &[("HTTPS_PROXY", "socks5://proxy:1080")]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid proxy URL in HTTPS_PROXY: only http:// and https:// proxies are supported"
        );
        let error = build(Client::builder().proxy("http://"), &[]).unwrap_err();
        assert!(matches!(
            error,
            ConfigError::InvalidProxy {
                origin: "proxy()",
                ..
            }
        ));
        // An explicit proxy means the environment's is never read.
        assert!(
            build(
                Client::builder().proxy("http://proxy:3128"),
                &[("HTTPS_PROXY", "socks5://x")]
            )
            .is_ok()
        );
    }

    #[test]
    fn insecure_is_visible_and_user_agents_are_checked() {
        let client = build(Client::builder().danger_accept_invalid_certs(true), &[]).unwrap();
        assert!(client.is_insecure());
        assert!(matches!(
            build(Client::builder().user_agent("bad\nagent"), &[]),
            Err(ConfigError::InvalidUserAgent)
        ));
        let none = build(Client::builder().user_agent(""), &[]).unwrap();
        assert_eq!(none.inner.user_agent, None);
    }

    #[test]
    fn debug_hides_proxy_credentials() {
        let builder = Client::builder().proxy("http://user:hunter2@proxy:3128");
        assert!(!format!("{builder:?}").contains("hunter2"));
        let client = build(builder, &[]).unwrap();
        let debug = format!("{client:?}");
        assert!(!debug.contains("hunter2"), "{debug}");
        assert!(debug.contains("http://proxy:3128"), "{debug}");
    }
}
