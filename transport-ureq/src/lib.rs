//! A blocking transport for [`sso_oidc`], the AWS IAM Identity Center OIDC ("SSO OIDC")
//! client: [ureq] 3 with rustls.
//!
//! **In scope:** sending the core's requests and reading the responses, whatever their status
//! ([`Client::send`]); the three operations as methods that return the core's typed outputs
//! and errors ([`Client::register_client`], [`Client::start_device_authorization`],
//! [`Client::create_token`]); the whole device-authorization sign-in in real time
//! ([`Client::device_login`], cancellable with [`Client::device_login_with_cancel`]); and
//! refreshing a cached token ([`Client::refresh`]). The connection settings are the AWS CLI's:
//! 60 s connect and read timeouts, the platform's root certificates plus `AWS_CA_BUNDLE`,
//! proxies from `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` ([`ClientBuilder`]).
//!
//! **Out of scope:** every decision. Parsing, retries, backoff, the poll interval and the
//! refresh windows are the core's ([`sso_oidc::DeviceFlow`], [`sso_oidc::RefreshPolicy`]);
//! this crate only sends, reads at most [`MAX_RESPONSE_BODY`](sso_oidc::MAX_RESPONSE_BODY)
//! bytes of a body, and says how a request failed ([`TransportError::kind`]). Reading and
//! writing the token cache is the core's too (its `fs` feature). For async code, use
//! `sso-oidc-hyper`, which has the same methods.
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
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Errors
//!
//! [`TransportError`] says how a request failed below HTTP, with the core's
//! [`TransportErrorKind`](sso_oidc::TransportErrorKind) and a message in the AWS CLI's words
//! (`could not connect to the endpoint URL: "..."`). The operations return [`Error`]: the
//! transport's, or the core's [`sso_oidc::Error`] (the service said no, or its answer could
//! not be understood). The sign-in returns the core's [`FlowError`](sso_oidc::FlowError).
//! [`ConfigError`] is a setting that cannot make a client.
//!
//! [ureq]: https://docs.rs/ureq/3

mod builder;
mod client;
mod error;
mod login;
mod proxy;
mod refresh;
mod resolve;
mod tls;

pub use builder::{ClientBuilder, DEFAULT_TIMEOUT, USER_AGENT};
pub use client::Client;
pub use error::{ConfigError, Error, TransportError};
/// The core crate, re-exported so that both come in one version.
pub use sso_oidc;
/// What [`Client::refresh`] did: the core's type.
pub use sso_oidc::Refreshed;
