//! A blocking transport for [`sso_oidc`], the AWS IAM Identity Center OIDC ("SSO OIDC")
//! client: [ureq] 3 with rustls.
//!
//! **In scope:** sending the core's requests and reading the responses, whatever their status
//! ([`Client::send`]); the three operations as methods that return the core's typed outputs
//! and errors ([`Client::register_client`], [`Client::start_device_authorization`],
//! [`Client::create_token`]); the whole device-authorization sign-in in real time
//! (soon); and refreshing a cached token (soon). The connection settings are the AWS CLI's:
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
//! # Errors
//!
//! [`TransportError`] says how a request failed below HTTP, with the core's
//! [`TransportErrorKind`](sso_oidc::TransportErrorKind) and a message in the AWS CLI's words
//! (`could not connect to the endpoint URL: "..."`). The operations return [`Error`]: the
//! transport's, or the core's [`sso_oidc::Error`] (the service said no, or its answer could
//! not be understood). [`ConfigError`] is a setting that cannot make a client.
//!
//! [ureq]: https://docs.rs/ureq/3

mod builder;
mod client;
mod error;
mod proxy;
mod tls;

pub use builder::{ClientBuilder, DEFAULT_TIMEOUT, USER_AGENT};
pub use client::Client;
pub use error::{ConfigError, Error, TransportError};
/// The core crate, re-exported so that both come in one version.
pub use sso_oidc;
