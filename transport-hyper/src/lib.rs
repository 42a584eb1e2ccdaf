//! The async transport for [`sso_oidc`]: AWS IAM Identity Center sign-in (SSO OIDC) on
//! hyper 1 and tokio.
//!
//! **In scope:** a [`Client`] that sends the core's requests over HTTP/1.1 (TLS with rustls on
//! the `ring` provider) and reads each whole response, whatever its status, up to the core's
//! cap; the three operations as async methods, each retried on a transient failure as the
//! core's [`Call`](sso_oidc::Call) decides under the client's
//! [retry policy](ClientBuilder::retry_policy), and any `Call` of yours ([`Client::call`],
//! [`Client::call_until`]); the whole device-flow sign-in ([`Client::device_login`],
//! [`Client::device_login_until`]), the whole authorization-code sign-in with PKCE, as `aws
//! sso login` does by default ([`Client::auth_code_login`], and
//! [`Client::auth_code_login_until`] to stop it or to take an address pasted from a browser
//! on another machine through a [`RedirectInbox`]; failures are a [`LoginError`]) and the
//! refresh step ([`Client::refresh`]) in real time;
//! the SSO portal, which turns the sign-in's access token into AWS credentials, at the
//! client's [portal endpoint](ClientBuilder::portal_endpoint): its four operations, retried as
//! the others ([`Client::get_role_credentials`], [`Client::list_accounts`],
//! [`Client::list_account_roles`], [`Client::logout`]), and its listings followed page after
//! page ([`Client::list_accounts_pages`] and [`Client::list_account_roles_pages`], whose
//! [`Pages::next`] is async; [`Client::list_accounts_all`] and
//! [`Client::list_account_roles_all`], every item); a profile's role credentials in one call,
//! cached and shared between concurrent callers ([`Client::profile_credentials`], on the shared
//! crate's `ProfileCredentials`); and the loopback listener for the authorization-code sign-in's browser redirect
//! ([`RedirectListener`], on 127.0.0.1 only, answering with the shared crate's pages).
//! The settings (timeouts, CA bundles, proxies, user agent, retry policy) and the errors are
//! those of [`sso_oidc_transport`], the same as in the blocking `sso-oidc-ureq`:
//! [`ClientBuilder`] lists them.
//!
//! **Out of scope:** deciding anything. The core parses every response, reads every status,
//! and decides when to poll, retry and give up; this crate sends, waits on the tokio timer, and
//! says how a request failed ([`TransportError`]). It follows no redirects. Reading and writing
//! the token cache is the core's `fs` feature. The debug log (`tracing`) never shows a token,
//! the portal's bearer-token header, a secret access key or a session token. For blocking code, use `sso-oidc-ureq`, which
//! has the same surface without `.await`.
//!
//! # Example
//!
//! Sign in against a local emulator that approves after two polls (against AWS, use
//! `Endpoint::from_region`):
//!
//! ```
//! use sso_oidc_hyper::Client;
//! use sso_oidc_hyper::sso_oidc::{CachedToken, DeviceFlowConfig, Endpoint};
//! use sso_oidc_emulator::{Config, Emulator};
//!
//! #[tokio::main(flavor = "current_thread")]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let emulator = Emulator::start(Config::default().approve_after_polls(2)).await?;
//!     let endpoint = Endpoint::from_url(emulator.url())?;
//!
//!     let client = Client::builder().endpoint(endpoint.clone()).build()?;
//!     let config = DeviceFlowConfig::builder()
//!         .endpoint(endpoint)
//!         .start_url("https://d-1234567890.awsapps.com/start")
//!         .scope("sso:account:access")
//!         .build()?;
//!     let login = client
//!         .device_login(config, |prompt| {
//!             println!("Open {} and confirm the code {}", prompt.link(), prompt.user_code);
//!         })
//!         .await?;
//!
//!     // What `aws sso login` would write to ~/.aws/sso/cache.
//!     let cached = CachedToken::from_login(&login, "us-east-1");
//!     assert!(!cached.access_token.expose().is_empty());
//!     // An http:// endpoint: no certificate was ever read.
//!     assert!(!client.settings().tls().is_loaded());
//!     Ok(())
//! }
//! ```
//!
//! # Errors
//!
//! [`Client::send`] fails with a [`TransportError`] only when no whole response came back; any
//! status, 4xx and 5xx included, is a response. The operations return [`Error`]: a transport
//! failure, or the core's typed [`sso_oidc::Error`], for the last attempt, with the number of
//! attempts made. The device flow returns the core's
//! [`FlowError`](sso_oidc::FlowError). Building a client can fail with a [`ConfigError`].

mod call;
mod client;
mod connect;
mod login;
mod pages;
mod portal;
mod profile;
mod redirect;
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
/// `sso-oidc-hyper/<version>`.
pub const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

#[cfg(test)]
mod tests {
    use super::*;
    use sso_oidc::{CachedToken, DeviceFlowConfig, Endpoint, RefreshPolicy, Secret};
    use std::time::SystemTime;

    /// What `tokio::spawn` asks of a future.
    fn spawnable<T: Send + 'static>(_: T) {}

    #[test]
    fn every_future_can_be_spawned() {
        let endpoint = Endpoint::from_url("http://127.0.0.1:9").unwrap();
        let client = Client::builder()
            .endpoint(endpoint.clone())
            .build()
            .unwrap();
        let config = DeviceFlowConfig::builder()
            .endpoint(endpoint)
            .start_url("https://d-1234567890.awsapps.com/start")
            .build()
            .unwrap();
        let c = client.clone();
        spawnable(async move { c.send(http::Request::new(Vec::new())).await });
        let (c, config2) = (client.clone(), config.clone());
        spawnable(async move { c.device_login(config2, |_| {}).await });
        let c = client.clone();
        spawnable(async move { c.device_login_until(config, |_| {}, &Cancel::new()).await });
        let auth_code = sso_oidc::AuthCodeFlowConfig::builder()
            .endpoint(Endpoint::from_url("http://127.0.0.1:9").unwrap())
            .start_url("https://d-1234567890.awsapps.com/start")
            .build()
            .unwrap();
        let (c, auth_code2) = (client.clone(), auth_code.clone());
        spawnable(async move {
            let settings = ListenerSettings::default();
            c.auth_code_login(auth_code2, &settings, |_| {}).await
        });
        let c = client.clone();
        spawnable(async move {
            let (settings, cancel, pasted) = (
                ListenerSettings::default(),
                Cancel::new(),
                RedirectInbox::new(),
            );
            c.auth_code_login_until(auth_code, &settings, |_| {}, &cancel, &pasted)
                .await
        });
        let register = sso_oidc::RegisterClient::builder()
            .client_name("x")
            .build()
            .unwrap();
        let c = client.clone();
        spawnable(async move { c.register_client(&register).await });
        let call = client.settings().call_for(
            http::Request::new(Vec::new()),
            sso_oidc::RegisterClient::parse,
        );
        let c = client.clone();
        spawnable(async move { c.call_until(call, &Cancel::new()).await });
        let list = sso_oidc::portal::ListAccounts::builder()
            .access_token("at")
            .build()
            .unwrap();
        let c = client.clone();
        let list2 = list.clone();
        spawnable(async move { c.list_accounts(&list2).await });
        let c = client.clone();
        let list2 = list.clone();
        spawnable(async move { c.list_accounts_all(&list2).await });
        let mut pages = client.list_accounts_pages(&list);
        spawnable(async move { pages.next().await });
        let logout = sso_oidc::portal::Logout::builder()
            .access_token("at")
            .build()
            .unwrap();
        let c = client.clone();
        spawnable(async move { c.logout(&logout).await });
        let cached = CachedToken::new(Secret::from("at"), SystemTime::UNIX_EPOCH);
        spawnable(async move {
            client
                .refresh(&cached, &RefreshPolicy::default(), None)
                .await
        });
    }
}
