//! The blocking transport for [`sso_oidc`], the AWS IAM Identity Center OIDC ("SSO OIDC")
//! client: [ureq] 3, with TLS by rustls on the `ring` provider.
//!
//! **In scope:** a [`Client`] that sends the core's requests over HTTP/1.1 and reads each whole
//! response, whatever its status, up to the core's cap ([`Client::send`]); the three operations
//! as methods that return the core's typed outputs and errors ([`Client::register_client`],
//! [`Client::start_device_authorization`], [`Client::create_token`]), each retried on a
//! transient failure as the core's [`Call`](sso_oidc::Call) decides, under the client's
//! [retry policy](ClientBuilder::retry_policy), and any `Call` of yours ([`Client::call`],
//! [`Client::call_until`] to stop it from another thread); the whole device-flow sign-in in
//! real time ([`Client::device_login`], and [`Client::device_login_until`] to stop it from
//! another thread); the whole authorization-code sign-in with PKCE, as `aws sso login` does
//! by default ([`Client::auth_code_login`], and [`Client::auth_code_login_until`] to stop it
//! or to take an address pasted from a browser on another machine through a
//! [`RedirectInbox`]; failures are a [`LoginError`]); refreshing a cached token ([`Client::refresh`]);
//! the SSO portal, which turns the sign-in's access token into AWS credentials, at the
//! client's [portal endpoint](ClientBuilder::portal_endpoint): its four operations, retried as
//! the others ([`Client::get_role_credentials`], [`Client::list_accounts`],
//! [`Client::list_account_roles`], [`Client::logout`]), and its listings followed page after
//! page ([`Client::list_accounts_pages`] and [`Client::list_account_roles_pages`], an
//! iterator of [`Pages`]; [`Client::list_accounts_all`] and
//! [`Client::list_account_roles_all`], every item); a profile's role credentials in one call,
//! cached and shared between concurrent callers ([`Client::profile_credentials`], on the shared
//! crate's `ProfileCredentials`); and the loopback listener
//! for the authorization-code sign-in's browser redirect ([`RedirectListener`], on 127.0.0.1
//! only, answering with the shared crate's pages). The settings
//! (timeouts, CA bundles, proxies, user agent, retry policy) and the errors are those of
//! [`sso_oidc_transport`], the same as in the async `sso-oidc-hyper`: [`ClientBuilder`] lists
//! them.
//!
//! **Out of scope:** every decision. Parsing, retries, backoff, the poll interval and the
//! refresh windows are the core's ([`sso_oidc::DeviceFlow`], [`sso_oidc::AuthCodeFlow`], [`sso_oidc::Call`],
//! [`sso_oidc::RefreshPolicy`]); this crate sends, waits, and says how a request failed
//! ([`TransportError`]). It follows no redirects. Reading and writing the token cache is the
//! core's `fs` feature. The debug log (`tracing`) never shows a token, the portal's
//! bearer-token header, a secret access key or a session token. For async code, use `sso-oidc-hyper`, which has the same methods.
//!
//! # Example
//!
//! A whole sign-in against a local emulator of the service, which approves it after one
//! pending poll. Against AWS, the endpoint is `Endpoint::from_region("us-east-1")?` and a
//! person approves on the page the prompt names.
//!
//! ```
//! use sso_oidc_ureq::Client;
//! use sso_oidc_ureq::sso_oidc::{CachedToken, DeviceFlowConfig, Endpoint};
//! use sso_oidc_emulator::{BlockingEmulator, Config};
//!
//! let service = BlockingEmulator::start(Config::default().approve_after_polls(1))?;
//! let endpoint = Endpoint::from_url(service.url())?;
//!
//! let client = Client::builder().endpoint(endpoint.clone()).build()?;
//! let config = DeviceFlowConfig::builder()
//!     .endpoint(endpoint)
//!     .start_url("https://d-1234567890.awsapps.com/start")
//!     .scope("sso:account:access")
//!     .build()?;
//! let login = client.device_login(config, |prompt| {
//!     println!("Open {} and confirm the code {}", prompt.link(), prompt.user_code);
//! })?;
//!
//! // What `aws sso login` would write to ~/.aws/sso/cache.
//! let cached = CachedToken::from_login(&login, "us-east-1");
//! assert!(cached.refresh_token.is_some());
//! // An http:// endpoint: no certificate was ever read.
//! assert!(!client.settings().tls().is_loaded());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Errors
//!
//! [`Client::send`] fails with a [`TransportError`] only when no whole response came back; any
//! status, 4xx and 5xx included, is a response. Its [`kind`](TransportError::kind) is what the
//! core's flows take, its [`detail`](TransportError::detail) says more, and its message is in
//! the AWS CLI's words (`could not connect to the endpoint URL: "..."`). The operations return
//! [`Error`]: a transport failure, or the core's typed [`sso_oidc::Error`], for the last
//! attempt, with the number of attempts made. The sign-in returns
//! the core's [`FlowError`](sso_oidc::FlowError). Building a client can fail with a
//! [`ConfigError`].
//!
//! [ureq]: https://docs.rs/ureq/3

mod call;
mod client;
mod connect;
mod login;
mod pages;
mod portal;
mod profile;
mod redirect;
mod resolve;
mod send;

pub use sso_oidc;
pub use sso_oidc_transport;

pub use client::Client;
pub use pages::Pages;
pub use redirect::{Redirect, RedirectListener};
/// What [`Client::refresh`] did: the core's type.
pub use sso_oidc::Refreshed;
/// The redirect listener's settings, errors and replies: the shared crate's.
pub use sso_oidc_transport::redirect::{BindError, ListenerSettings, Reply, WaitError};
pub use sso_oidc_transport::{
    Cancel, ConfigError, DEFAULT_TIMEOUT, Detail, Environment, Error, TransportError,
};
/// The authorization-code sign-in's error, and its second source of redirects: the shared
/// crate's.
pub use sso_oidc_transport::{LoginError, RedirectInbox};

/// Builds a [`Client`]: the settings every transport shares. Made by [`Client::builder`].
pub type ClientBuilder = sso_oidc_transport::ClientBuilder<Client>;

/// The `user-agent` product this crate puts in front of the core's:
/// `sso-oidc-ureq/<version>`.
pub const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));
