//! The client's settings and their builder, the same for every transport.

use std::fmt;
use std::marker::PhantomData;
use std::path::PathBuf;
use std::time::Duration;

use http::HeaderValue;
use sso_oidc::{BuildError, Call, Endpoint, Parser, RetryPolicy, portal};

use crate::env::Environment;
use crate::error::{ConfigError, Error};
use crate::log::jitter_seed;
use crate::proxy::Proxies;
use crate::request::add_user_agent;
use crate::tls::{ExtraCa, Tls};

/// How long to wait for a connection, and for a whole response, when nothing else is set: the
/// AWS CLI's `connect_timeout` and `read_timeout`.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// A transport's client, made from [`Settings`] by [`ClientBuilder::build`].
///
/// Implemented by `sso_oidc_ureq::Client` and `sso_oidc_hyper::Client`; a transport for
/// another HTTP library implements it too, and gets the same builder.
pub trait FromSettings: Sized {
    /// The product a client puts in front of each request's `user-agent` unless the builder
    /// names another, e.g. `sso-oidc-ureq/0.1.0`.
    const USER_AGENT: &'static str;

    /// The client, with these settings.
    fn from_settings(settings: Settings) -> Self;
}

/// Builds a client of a transport (`C`): made by `Client::builder()` in either transport, with
/// the same methods in both. Every setting has a default.
///
/// ```
/// use sso_oidc_transport::{ClientBuilder, Environment, FromSettings, Settings};
/// use sso_oidc::Endpoint;
/// use std::time::Duration;
///
/// # struct Client(Settings);
/// # impl FromSettings for Client {
/// #     const USER_AGENT: &'static str = "example/1";
/// #     fn from_settings(settings: Settings) -> Self { Client(settings) }
/// # }
/// // `sso_oidc_ureq::Client::builder()` or `sso_oidc_hyper::Client::builder()` in real use.
/// let client: Client = ClientBuilder::new()
///     .endpoint(Endpoint::from_region("eu-west-1")?)
///     .connect_timeout(Duration::from_secs(10))
///     .user_agent("my-tool/1.2")
///     .environment(Environment::from_iter([("HTTPS_PROXY", "http://proxy.corp:3128")]))
///     .build()?;
/// let settings = &client.0;
/// assert_eq!(settings.endpoint().map(Endpoint::url), Some("https://oidc.eu-west-1.amazonaws.com"));
/// let proxy = settings.proxies().for_uri(&"https://oidc.eu-west-1.amazonaws.com/token".parse()?);
/// assert_eq!(proxy.map(|p| p.url()).as_deref(), Some("http://proxy.corp:3128"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub struct ClientBuilder<C> {
    endpoint: Option<Endpoint>,
    portal_endpoint: Option<portal::Endpoint>,
    connect_timeout: Duration,
    read_timeout: Duration,
    extra_ca: Vec<ExtraCa>,
    insecure: bool,
    proxy: Option<String>,
    proxy_from_env: bool,
    user_agent: Option<String>,
    environment: Option<Environment>,
    retry_policy: RetryPolicy,
    client: PhantomData<fn() -> C>,
}

impl<C> Clone for ClientBuilder<C> {
    fn clone(&self) -> Self {
        Self {
            endpoint: self.endpoint.clone(),
            portal_endpoint: self.portal_endpoint.clone(),
            connect_timeout: self.connect_timeout,
            read_timeout: self.read_timeout,
            extra_ca: self.extra_ca.clone(),
            insecure: self.insecure,
            proxy: self.proxy.clone(),
            proxy_from_env: self.proxy_from_env,
            user_agent: self.user_agent.clone(),
            environment: self.environment.clone(),
            retry_policy: self.retry_policy,
            client: PhantomData,
        }
    }
}

impl<C> Default for ClientBuilder<C> {
    fn default() -> Self {
        Self {
            endpoint: None,
            portal_endpoint: None,
            connect_timeout: DEFAULT_TIMEOUT,
            read_timeout: DEFAULT_TIMEOUT,
            extra_ca: Vec::new(),
            insecure: false,
            proxy: None,
            proxy_from_env: true,
            user_agent: None,
            environment: None,
            retry_policy: RetryPolicy::standard(),
            client: PhantomData,
        }
    }
}

impl<C> ClientBuilder<C> {
    /// A builder with the defaults: no endpoint, 60 s timeouts, the platform's roots (and
    /// `AWS_CA_BUNDLE`'s), proxies from the environment.
    pub fn new() -> Self {
        Self::default()
    }

    /// The service endpoint the operations and `refresh` use, e.g.
    /// `Endpoint::from_region("us-east-1")?` (FIPS and dual-stack through
    /// `Endpoint::builder`, an emulator through `Endpoint::from_url`). Without one, those
    /// methods fail with [`BuildError::MissingRegion`] (`refresh` first tries the cached
    /// token's region); `send` and the sign-ins (whose configuration names its own endpoint)
    /// do not need it.
    pub fn endpoint(mut self, endpoint: Endpoint) -> Self {
        self.endpoint = Some(endpoint);
        self
    }

    /// The SSO portal's endpoint, where the portal's operations go (`get_role_credentials`,
    /// `list_accounts`, `list_account_roles`, `logout` and the listings' pages): a host of its
    /// own, `portal.sso.<region>.amazonaws.com`, so it is set apart from
    /// [`endpoint`](Self::endpoint), e.g. `portal::Endpoint::from_region("us-east-1")?` (FIPS
    /// and dual-stack through `portal::Endpoint::builder`, an emulator through
    /// `portal::Endpoint::from_url`). Without one, those methods fail with
    /// [`Error::MissingPortalEndpoint`] before anything is sent.
    ///
    /// ```
    /// use sso_oidc::{Endpoint, portal};
    /// use sso_oidc_transport::{ClientBuilder, FromSettings, Settings};
    ///
    /// # struct Client(Settings);
    /// # impl FromSettings for Client {
    /// #     const USER_AGENT: &'static str = "example/1";
    /// #     fn from_settings(settings: Settings) -> Self { Client(settings) }
    /// # }
    /// // `sso_oidc_ureq::Client::builder()` or `sso_oidc_hyper::Client::builder()` in real use.
    /// let client: Client = ClientBuilder::new()
    ///     .endpoint(Endpoint::from_region("eu-west-1")?)
    ///     .portal_endpoint(portal::Endpoint::from_region("eu-west-1")?)
    ///     .build()?;
    /// let portal = client.0.required_portal_endpoint()?;
    /// assert_eq!(portal.url(), "https://portal.sso.eu-west-1.amazonaws.com");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn portal_endpoint(mut self, endpoint: portal::Endpoint) -> Self {
        self.portal_endpoint = Some(endpoint);
        self
    }

    /// How long to wait for a connection: name resolution, TCP, any proxy `CONNECT` and the
    /// TLS handshake together (default [`DEFAULT_TIMEOUT`], 60 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long to wait for the whole response once the request is sent, head and body
    /// together (default [`DEFAULT_TIMEOUT`], 60 s). A server that sends a byte now and then
    /// cannot stretch it: the time is not counted per read.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// Trusts the CA certificates in this PEM file as well as the platform's roots (a
    /// corporate TLS-inspecting proxy's CA, say). Without this or [`ca_pem`](Self::ca_pem),
    /// the file `AWS_CA_BUNDLE` names is used. The file is read and checked by
    /// [`build`](Self::build).
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
    /// warning (`tracing`), and the client's `is_insecure` says so. Off by default.
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
    /// `sso-oidc/<version>`), e.g. `my-tool/1.2`; by default the transport's own
    /// ([`FromSettings::USER_AGENT`]). An empty string leaves each request's own `user-agent`
    /// alone.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Reads `AWS_CA_BUNDLE` and the proxy variables from `environment` instead of the
    /// process's environment at [`build`](Self::build).
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = Some(environment);
        self
    }

    /// How the operations (`register_client`, `start_device_authorization`, `create_token`,
    /// and the portal's) retry a transient failure: 5xx, throttling, a connection that failed,
    /// timed out or broke (default [`RetryPolicy::standard`]: 3 attempts in all, as the AWS CLI v2 and the
    /// SDKs, backoff with full jitter from 1 s doubling to 20 s). [`RetryPolicy::none`] sends
    /// each request once. The sign-ins take theirs from their own configuration.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = policy;
        self
    }
}

impl<C: FromSettings> ClientBuilder<C> {
    /// Checks the settings, reads the CA bundles and the proxy environment, and builds the
    /// client. The platform's root certificates are not read yet: a client reads them on its
    /// first `https` connection.
    ///
    /// # Errors
    /// [`ConfigError::ReadCaBundle`] or [`ConfigError::InvalidCaBundle`] for a CA bundle that
    /// cannot be read or holds no usable PEM certificate (`AWS_CA_BUNDLE`'s included);
    /// [`ConfigError::InvalidProxy`] for a proxy URL, given or from the environment, that is
    /// not an `http` or `https` URL with a host; [`ConfigError::InvalidUserAgent`] for a user
    /// agent that cannot be a header value.
    pub fn build(self) -> Result<C, ConfigError> {
        Ok(C::from_settings(self.settings(C::USER_AGENT)?))
    }

    fn settings(self, default_user_agent: &str) -> Result<Settings, ConfigError> {
        let user_agent = match self.user_agent.as_deref().unwrap_or(default_user_agent) {
            "" => None,
            ua => Some(HeaderValue::from_str(ua).map_err(|_| ConfigError::InvalidUserAgent)?),
        };
        let environment = self.environment.unwrap_or_else(Environment::from_process);
        let mut extra_ca = self.extra_ca;
        if extra_ca.is_empty()
            && let Some(path) = environment.get("AWS_CA_BUNDLE")
        {
            extra_ca.push(ExtraCa::File {
                path: path.into(),
                from_env: true,
            });
        }
        let tls = Tls::new(&extra_ca, self.insecure)?;
        if self.insecure {
            tracing::warn!(
                "TLS certificate verification is off (danger_accept_invalid_certs): anyone on \
                 the network path can pose as the endpoint and read the tokens"
            );
        }
        let proxies = match (&self.proxy, self.proxy_from_env) {
            (Some(url), _) => Proxies::fixed(url)?,
            (None, true) => Proxies::from_env(&environment)?,
            (None, false) => Proxies::default(),
        };
        Ok(Settings {
            endpoint: self.endpoint,
            portal_endpoint: self.portal_endpoint,
            retry_policy: self.retry_policy,
            connect_timeout: self.connect_timeout,
            read_timeout: self.read_timeout,
            tls,
            proxies,
            user_agent,
        })
    }
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let extra_ca: Vec<_> = self.extra_ca.iter().map(ExtraCa::describe).collect();
        // A proxy URL may hold a password: show only whether one is set.
        f.debug_struct("ClientBuilder")
            .field("endpoint", &self.endpoint)
            .field("portal_endpoint", &self.portal_endpoint)
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("extra_ca", &extra_ca)
            .field("insecure", &self.insecure)
            .field("proxy", &self.proxy.as_ref().map(|_| "<set>"))
            .field("proxy_from_env", &self.proxy_from_env)
            .field("user_agent", &self.user_agent)
            .field("environment", &self.environment)
            .field("retry_policy", &self.retry_policy)
            .finish()
    }
}

/// A client's settings, checked and ready: what a transport needs besides its HTTP library.
pub struct Settings {
    endpoint: Option<Endpoint>,
    portal_endpoint: Option<portal::Endpoint>,
    retry_policy: RetryPolicy,
    connect_timeout: Duration,
    read_timeout: Duration,
    tls: Tls,
    proxies: Proxies,
    user_agent: Option<HeaderValue>,
}

impl Settings {
    /// The endpoint the operations use, if one was set.
    pub fn endpoint(&self) -> Option<&Endpoint> {
        self.endpoint.as_ref()
    }

    /// The endpoint, or the core's error for an operation without one.
    ///
    /// # Errors
    /// [`Error::Api`] with [`BuildError::MissingRegion`] when no endpoint was set.
    pub fn required_endpoint(&self) -> Result<&Endpoint, Error> {
        self.endpoint()
            .ok_or_else(|| Error::from(sso_oidc::Error::Build(BuildError::MissingRegion)))
    }

    /// The SSO portal's endpoint, if one was set
    /// ([`ClientBuilder::portal_endpoint`]).
    pub fn portal_endpoint(&self) -> Option<&portal::Endpoint> {
        self.portal_endpoint.as_ref()
    }

    /// The SSO portal's endpoint, or the error of a portal operation without one.
    ///
    /// # Errors
    /// [`Error::MissingPortalEndpoint`] when no portal endpoint was set.
    pub fn required_portal_endpoint(&self) -> Result<&portal::Endpoint, Error> {
        self.portal_endpoint().ok_or(Error::MissingPortalEndpoint)
    }

    /// How the operations retry a transient failure.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.retry_policy
    }

    /// A [`Call`] that sends `request` with the client's [retry policy](Self::retry_policy)
    /// and a random jitter seed, and reads each answer with `parse`: what the operations of
    /// both transports run.
    pub fn call_for<T>(&self, request: http::Request<Vec<u8>>, parse: Parser<T>) -> Call<T> {
        Call::new(request, parse, self.retry_policy, jitter_seed())
    }

    /// How long a connection may take.
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// How long a whole response may take, once the request is sent.
    pub fn read_timeout(&self) -> Duration {
        self.read_timeout
    }

    /// The TLS settings; the roots load on the first call of [`Tls::config`].
    pub fn tls(&self) -> &Tls {
        &self.tls
    }

    /// The proxies, and which request goes through which.
    pub fn proxies(&self) -> &Proxies {
        &self.proxies
    }

    /// The product put in front of each request's `user-agent`, if any.
    pub fn user_agent(&self) -> Option<&HeaderValue> {
        self.user_agent.as_ref()
    }

    /// Whether server certificates go unchecked.
    pub fn is_insecure(&self) -> bool {
        self.tls.is_insecure()
    }

    /// Readies a request to go out as the core built it: the client's product goes in front
    /// of its `user-agent`, and it is logged at `debug` level, secrets redacted.
    pub fn prepare(&self, request: &mut http::Request<Vec<u8>>) {
        if let Some(ours) = &self.user_agent {
            add_user_agent(request, ours);
        }
        crate::log::request(request);
    }
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("endpoint", &self.endpoint)
            .field("portal_endpoint", &self.portal_endpoint)
            .field("retry_policy", &self.retry_policy)
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("insecure", &self.is_insecure())
            .field("proxies", &self.proxies)
            .field("user_agent", &self.user_agent)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A transport that keeps its settings.
    #[derive(Debug)]
    struct Client(Settings);

    impl FromSettings for Client {
        const USER_AGENT: &'static str = "test-transport/1";
        fn from_settings(settings: Settings) -> Self {
            Self(settings)
        }
    }

    fn build(
        builder: ClientBuilder<Client>,
        vars: &[(&str, &str)],
    ) -> Result<Settings, ConfigError> {
        builder
            .environment(vars.iter().copied().collect())
            .build()
            .map(|client| client.0)
    }

    fn via(settings: &Settings, url: &str) -> Option<String> {
        settings
            .proxies()
            .for_uri(&url.parse().unwrap())
            .map(|p| p.url())
    }

    const AWS: &str = "https://oidc.us-east-1.amazonaws.com/token";
    const LOCAL: &str = "http://127.0.0.1:8080/token";
    const TEST_CA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/test-ca.pem");

    #[test]
    fn defaults() {
        let settings = build(ClientBuilder::new(), &[]).unwrap();
        assert_eq!(settings.endpoint(), None);
        assert_eq!(settings.portal_endpoint(), None);
        assert!(!settings.is_insecure());
        assert_eq!(settings.connect_timeout(), Duration::from_secs(60));
        assert_eq!(settings.read_timeout(), Duration::from_secs(60));
        assert_eq!(settings.retry_policy(), RetryPolicy::standard());
        assert_eq!(settings.user_agent().unwrap(), "test-transport/1");
        assert_eq!(via(&settings, AWS), None);
        assert!(
            !settings.tls().is_loaded(),
            "no root is read before a connection"
        );
        assert!(matches!(
            settings.required_endpoint(),
            Err(Error::Api {
                error: sso_oidc::Error::Build(BuildError::MissingRegion),
                attempts: 0,
            })
        ));
        let error = settings.required_portal_endpoint().unwrap_err();
        assert!(matches!(error, Error::MissingPortalEndpoint), "{error:?}");
        assert_eq!(error.attempts(), Some(0));
        assert_eq!(
            error.to_string(),
            "missing portal endpoint: the SSO portal's operations need one, such as \
             https://portal.sso.us-east-1.amazonaws.com (set it with portal_endpoint)"
        );
    }

    #[test]
    fn the_portal_has_an_endpoint_of_its_own() {
        let oidc = Endpoint::from_region("eu-west-1").unwrap();
        let portal = portal::Endpoint::from_url("http://127.0.0.1:8080").unwrap();
        let builder = ClientBuilder::<Client>::new()
            .endpoint(oidc.clone())
            .portal_endpoint(portal.clone());
        assert!(format!("{builder:?}").contains("http://127.0.0.1:8080"));
        let settings = build(builder.clone(), &[]).unwrap();
        assert_eq!(settings.endpoint(), Some(&oidc));
        assert_eq!(settings.required_portal_endpoint().unwrap(), &portal);
        assert!(format!("{settings:?}").contains("portal_endpoint"));
        // Only the portal's: the SSO OIDC operations still need theirs.
        let only_portal = build(ClientBuilder::new().portal_endpoint(portal), &[]).unwrap();
        assert!(only_portal.required_endpoint().is_err());
        assert!(only_portal.required_portal_endpoint().is_ok());
    }

    #[test]
    fn aws_ca_bundle_is_read_at_build_unless_a_bundle_is_given() {
        let vars = [("AWS_CA_BUNDLE", "/no/such/bundle.pem")];
        let error = build(ClientBuilder::new(), &vars).unwrap_err();
        assert!(
            matches!(&error, ConfigError::ReadCaBundle { path, from_env: true, .. } if path.to_str() == Some("/no/such/bundle.pem")),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            "could not read the CA bundle \"/no/such/bundle.pem\" (from AWS_CA_BUNDLE)"
        );
        assert!(std::error::Error::source(&error).is_some());
        // A bundle given to the builder wins over the environment's.
        build(ClientBuilder::new().ca_bundle(TEST_CA), &vars).unwrap();
        let pem = std::fs::read(TEST_CA).unwrap();
        build(ClientBuilder::new().ca_pem(pem), &vars).unwrap();
        build(ClientBuilder::new(), &[("AWS_CA_BUNDLE", TEST_CA)]).unwrap();
        build(ClientBuilder::new(), &[("AWS_CA_BUNDLE", " ")]).unwrap();
        let bad = build(ClientBuilder::new().ca_bundle("/etc/hostname-nope"), &[]).unwrap_err();
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
        let error = build(ClientBuilder::new().ca_pem("no certificate here"), &[]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the CA bundle given in memory holds no PEM certificate"
        );
    }

    #[test]
    fn environment_proxies_unless_told_not_to() {
        let vars = [
            ("HTTPS_PROXY", "http://user:secret@proxy.corp:3128"),
            ("NO_PROXY", "localhost, .internal.corp"),
        ];
        let settings = build(ClientBuilder::new(), &vars).unwrap();
        assert_eq!(
            via(&settings, AWS).as_deref(),
            Some("http://proxy.corp:3128")
        );
        assert_eq!(via(&settings, LOCAL), None, "loopback goes direct");
        assert!(!format!("{settings:?}").contains("secret"));
        let ignored = build(ClientBuilder::new().no_proxy_from_env(), &vars).unwrap();
        assert_eq!(via(&ignored, AWS), None);
        // Not read at all when ignored, bad or not.
        build(
            ClientBuilder::new().no_proxy_from_env(),
            &[("HTTPS_PROXY", "socks5://proxy:1080")],
        )
        .unwrap();
    }

    #[test]
    fn an_explicit_proxy_takes_every_request_and_the_environment_is_not_read() {
        let settings = build(
            ClientBuilder::new().proxy("https://proxy.example:8443"),
            &[("HTTPS_PROXY", "socks5://x"), ("NO_PROXY", "*")],
        )
        .unwrap();
        assert_eq!(
            via(&settings, AWS).as_deref(),
            Some("https://proxy.example:8443")
        );
        assert_eq!(
            via(&settings, LOCAL).as_deref(),
            Some("https://proxy.example:8443")
        );
        let error = build(ClientBuilder::new().proxy("ftp://proxy:21"), &[]).unwrap_err();
        assert!(matches!(
            error,
            ConfigError::InvalidProxy {
                origin: "proxy()",
                ..
            }
        ));
    }

    #[test]
    fn insecure_is_visible_and_user_agents_are_checked() {
        let settings = build(ClientBuilder::new().danger_accept_invalid_certs(true), &[]).unwrap();
        assert!(settings.is_insecure());
        assert!(matches!(
            build(ClientBuilder::new().user_agent("bad\nagent"), &[]),
            Err(ConfigError::InvalidUserAgent)
        ));
        let none = build(ClientBuilder::new().user_agent(""), &[]).unwrap();
        assert_eq!(none.user_agent(), None);
        let mut request = http::Request::new(Vec::new());
        none.prepare(&mut request);
        assert!(request.headers().is_empty());
        let ours = build(ClientBuilder::new().user_agent("my-tool/1.2"), &[]).unwrap();
        ours.prepare(&mut request);
        assert_eq!(request.headers()["user-agent"], "my-tool/1.2");
    }

    #[test]
    fn operations_retry_as_the_policy_says() {
        let settings = build(ClientBuilder::new().retry_policy(RetryPolicy::none()), &[]).unwrap();
        assert_eq!(settings.retry_policy(), RetryPolicy::none());
        let mut request = http::Request::new(b"{}".to_vec());
        *request.uri_mut() = http::Uri::from_static(AWS);
        let mut call = settings.call_for(request, sso_oidc::CreateToken::parse);
        let now = std::time::Instant::now();
        assert!(matches!(call.poll(now), sso_oidc::CallAction::Send(_)));
        call.handle_transport_error(sso_oidc::TransportErrorKind::Timeout, now);
        // No retries: the first timeout is final.
        assert!(matches!(
            call.poll(now),
            sso_oidc::CallAction::Failed(sso_oidc::CallError::Transport { attempts: 1, .. })
        ));
    }

    #[test]
    fn debug_hides_proxy_credentials() {
        let builder = ClientBuilder::<Client>::new().proxy("http://user:hunter2@proxy:3128");
        assert!(!format!("{builder:?}").contains("hunter2"));
        let settings = build(builder, &[]).unwrap();
        let debug = format!("{settings:?}");
        assert!(!debug.contains("hunter2"), "{debug}");
        assert!(debug.contains("http://proxy:3128"), "{debug}");
    }
}
