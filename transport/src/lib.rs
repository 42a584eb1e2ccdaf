//! What the [`sso_oidc`] transports share, written once: the blocking `sso-oidc-ureq` and the
//! async `sso-oidc-hyper` are thin executors on top of it.
//!
//! **In scope:** the client settings and their builder ([`ClientBuilder`]: the SSO OIDC
//! endpoint and the SSO portal's, connect and read timeouts, extra CAs from `ca_bundle`/`ca_pem`/`AWS_CA_BUNDLE`, the insecure mode,
//! proxies from the environment with a `NO_PROXY` matcher, user agent, the operations' retry
//! policy), read from one [`Environment`] a caller can hand in; TLS with rustls whose roots
//! load on the first `https` connection ([`Tls`]); the transport error with its kinds and its
//! wording ([`TransportError`], [`Detail`]) and the operations' [`Error`]; debug logging of
//! requests and responses with secrets redacted (tokens, the portal's bearer-token header,
//! secret access keys, session tokens); the jitter seed; the SSO portal's listings a page at a
//! time ([`Paginated`], [`PageCursor`]); [`Cancel`], the switch
//! that stops a sign-in or a call; the authorization-code sign-in's error ([`LoginError`]),
//! its random bytes ([`auth_code_random`]) and its second source of redirects
//! ([`RedirectInbox`]: an address pasted from a browser on another machine); and the loopback redirect listener's request handling for
//! the authorization-code sign-in ([`redirect`]: reading request heads within caps, routing,
//! the pages, its settings and errors); and a profile's role credentials on disk
//! ([`ProfileCredentials`]: the profile from the AWS config file, its endpoints, the AWS CLI's
//! token and credential caches ([`AwsPaths`]) and their locks, and a [`Fetch`] that writes back
//! what the core's `RoleCredentialsFlow` hands out; each transport's
//! `Client::profile_credentials` only sends and waits).
//!
//! **Out of scope:** sockets and waiting. No async runtime and no HTTP library is in here:
//! each transport keeps only its `send`, the mapping of its library's errors to [`Detail`],
//! its `RedirectListener` (the socket under [`redirect`]), and its short loops that run the core's state machines: the sign-ins, and the single
//! retried [`Call`](sso_oidc::Call) behind every operation ([`Settings::call_for`] makes it,
//! `Client::call` runs it, and [`Error::of_call`] says how it failed), the SSO OIDC
//! operations and the portal's alike (`get_role_credentials`, `list_accounts`,
//! `list_account_roles`, `logout`, and `Pages` that run a [`PageCursor`]).
//!
//! # The settings, for both transports
//!
//! `Client::builder()` of either transport is a [`ClientBuilder`] with these defaults, the AWS
//! CLI's: 60 s to connect and 60 s for the whole response; the platform's root certificates
//! plus the bundle `AWS_CA_BUNDLE` names; `https_proxy`/`http_proxy`/`all_proxy` except for the
//! hosts `no_proxy` lists and for loopback; the transport's user agent in front of the core's;
//! operations retried in the AWS SDKs' standard mode (3 attempts, backoff with full jitter).
//! Switching transports is one import and an `.await`:
//!
//! ```
//! use sso_oidc::Endpoint;
//! use sso_oidc_transport::{ClientBuilder, Environment, FromSettings, Settings};
//! use std::time::Duration;
//!
//! # struct Client(Settings);
//! # impl FromSettings for Client {
//! #     const USER_AGENT: &'static str = "example/1";
//! #     fn from_settings(settings: Settings) -> Self { Client(settings) }
//! # }
//! // In a program: `sso_oidc_ureq::Client::builder()` or `sso_oidc_hyper::Client::builder()`.
//! let client: Client = ClientBuilder::new()
//!     .endpoint(Endpoint::from_region("us-east-1")?)
//!     .read_timeout(Duration::from_secs(10))
//!     .user_agent("my-tool/1.2")
//!     .environment(Environment::from_iter([
//!         ("HTTPS_PROXY", "http://user:secret@proxy.corp:3128"),
//!         ("NO_PROXY", "localhost, .internal.corp"),
//!     ]))
//!     .build()?;
//! let settings = &client.0;
//! let aws = "https://oidc.us-east-1.amazonaws.com/token".parse()?;
//! assert_eq!(settings.proxies().for_uri(&aws).map(|p| p.url()).as_deref(), Some("http://proxy.corp:3128"));
//! assert!(!format!("{settings:?}").contains("secret"), "credentials never show");
//! assert!(!settings.tls().is_loaded(), "no certificate is read before an https connection");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # The SSO portal
//!
//! The access token a sign-in gives is what the SSO portal
//! (`portal.sso.<region>.amazonaws.com`, the core's [`sso_oidc::portal`]) takes for AWS
//! credentials. It lives at a host of its own, so a client that calls it needs
//! [`ClientBuilder::portal_endpoint`]; its operations are then methods of both transports'
//! `Client`, under the same names: `get_role_credentials`, `list_accounts`,
//! `list_account_roles` and `logout`, each one retried [`Call`](sso_oidc::Call) as the SSO
//! OIDC operations are, failing with [`Error::MissingPortalEndpoint`] without an endpoint and
//! with [`Error::portal_code`] telling the portal's refusals apart. The listings come a page
//! at a time: `list_accounts_pages` and `list_account_roles_pages` give `Pages` (an
//! [`Iterator`] in the blocking transport, an async `next` in the other), and
//! `list_accounts_all` and `list_account_roles_all` every account or role of every page.
//! The bearer token, the secret access key and the session token never reach the debug log.
//!
//! # Running a sign-in, with a way to stop it
//!
//! Every sign-in flow has the same two methods in both transports: `<flow>_login(config,
//! on_prompt)` runs it to its end, and `<flow>_login_until(config, on_prompt, &cancel)` also
//! ends with [`FlowError::Cancelled`](sso_oidc::FlowError::Cancelled) within about 100 ms of
//! [`Cancel::cancel`], even while a request is under way (the request is abandoned). For the
//! device flow these are `device_login` and `device_login_until`. In async code, dropping the
//! future cancels too.
//!
//! The authorization-code sign-in also listens for the browser's redirect on 127.0.0.1, so it
//! takes the listener's settings, and its `_until` variant also a [`RedirectInbox`]:
//! `auth_code_login(config, &listener_settings, on_prompt)` and
//! `auth_code_login_until(config, &listener_settings, on_prompt, &cancel, &pasted)`. It fails
//! with a [`LoginError`]: the flow's [`FlowError`](sso_oidc::FlowError), or what the flow
//! cannot know about (a fixed port in use, the listener failing, no random numbers). When the
//! browser runs on another machine, its redirect never reaches the listener; a thread that
//! reads standard input [`push`](RedirectInbox::push)es the address the browser shows, and
//! the sign-in judges it as if the browser had come back:
//!
//! ```no_run
//! use sso_oidc_transport::RedirectInbox;
//! use std::io::BufRead;
//!
//! let pasted = RedirectInbox::new();
//! let from_stdin = pasted.clone();
//! std::thread::spawn(move || {
//!     // End of input leaves the listener waiting.
//!     for line in std::io::stdin().lock().lines().map_while(Result::ok) {
//!         from_stdin.push(line);
//!     }
//! });
//! // client.auth_code_login_until(config, &settings, on_prompt, &cancel, &pasted)
//! # drop(pasted);
//! ```
//!
//! # Errors
//!
//! A [`TransportError`] reads the same in both transports: a name that does not resolve is
//! `could not connect to the endpoint URL: "https://oidc.us-easst-1.amazonaws.com/…": could not
//! resolve host "oidc.us-easst-1.amazonaws.com"`, a plain server on an `https` URL `…: the
//! server did not speak TLS`, and so on ([`Detail`]). An operation's [`Error`] is the last
//! attempt's failure with the number of attempts made (`… (gave up after 3 attempts)`).
//! [`ConfigError`] is a setting that cannot make a client.

mod builder;
mod cancel;
mod env;
mod error;
mod log;
mod login;
mod no_proxy;
mod portal;
mod profile;
mod proxy;
pub mod redirect;
mod request;
mod tls;

pub use builder::{ClientBuilder, DEFAULT_TIMEOUT, FromSettings, Settings};
pub use cancel::{Cancel, Cancelled};
pub use env::Environment;
pub use error::{ConfigError, Detail, Error, Source, TransportError};
pub use log::{jitter_seed, log_response};
pub use login::{LoginError, auth_code_random};
pub use no_proxy::NoProxy;
pub use portal::{PageCursor, Paginated};
pub use profile::{AwsPaths, Begin, Fetch, FetchStep, ProfileCredentials, ProfileCredentialsError};
pub use proxy::{Proxies, Proxy};
pub use redirect::RedirectInbox;
pub use request::{Origin, body_capacity, display_url};
/// rustls, whose client configuration [`Tls::config`] gives.
pub use rustls;
pub use tls::Tls;
