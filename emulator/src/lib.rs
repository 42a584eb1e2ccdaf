//! A local AWS IAM Identity Center OIDC ("SSO OIDC") service, with the SSO portal beside it,
//! for tests and demos, faithful to the real services on the wire.
//!
//! ```
//! use sso_oidc::Operation;
//! use sso_oidc_emulator::{BlockingEmulator, Config, Fault};
//!
//! // On a free port of 127.0.0.1, until dropped; approves each sign-in after two pending polls.
//! let emulator = BlockingEmulator::start(Config::default().approve_after_polls(2))?;
//! // The second poll gets a 500.
//! emulator.inject(Fault::InternalServerError.on(Operation::CreateToken).after(1).once());
//! println!("endpoint: {}", emulator.url());
//! // ... sign in with a client, then assert on what it did:
//! assert!(emulator.log().iter().all(|request| !request.uri.contains('?')));
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! **What it does.**
//! - The service's three unsigned operations (`RegisterClient`, `StartDeviceAuthorization`,
//!   `CreateToken` with the device-code, authorization-code and refresh-token grants), answered
//!   as the real service answers them: compact JSON, `x-amzn-RequestId`, and errors with the model's status, an
//!   `x-amzn-ErrorType` header and an OAuth `error`/`error_description` body.
//! - RFC 8628 device authorizations: pending until approved, `slow_down` and 5 s more for a
//!   poll sooner than the interval, expiry, final denial, single-use device codes; rotating
//!   refresh tokens; expiring client secrets.
//! - Decisions by hand ([`Control::approve`], [`Control::deny`], [`Control::expire`]), on the
//!   verification page (`GET /device?user_code=...`, with Allow and Deny buttons), or by
//!   themselves after N polls or T seconds ([`Config::approve_after_polls`] and friends).
//! - The authorization-code grant with PKCE as the AWS CLI v2 uses it: `GET /authorize`
//!   checks the client, `response_type=code`, the S256 challenge and the redirect URI (a
//!   loopback `http` one matches on any port, RFC 8252 7.3) and shows an approval page (the
//!   client's name, the scopes, the start URL; Allow and Deny), which redirects back with
//!   `code` and `state` or `error=access_denied`. A bad client or redirect URI gets an error
//!   page, never a redirect. Codes are single use, live 5 minutes, and need the verifier and
//!   the same `redirectUri`. RegisterClient checks `grantTypes` and `redirectUris`.
//! - Authorization requests decided without a browser ([`Config::approve_authorizations`],
//!   [`Config::deny_authorizations`]): the emulator itself sends the GET a browser would send
//!   to the client's loopback redirect URI, so a program that only opens the URL signs in.
//! - The SSO portal's four operations on the same port (`GET /federation/credentials`,
//!   `GET /assignment/accounts`, `GET /assignment/roles`, `POST /logout`; [`Operation::PORTAL`](sso_oidc::Operation::PORTAL)),
//!   for the access tokens this emulator issued (header `x-amz-sso_bearer_token`; unknown,
//!   expired and logged-out tokens get `UnauthorizedException`): the accounts and roles of
//!   [`Config::portal_accounts`], role credentials that expire after
//!   [`Config::role_credentials_lifetime`], pages with an opaque `nextToken`, and errors as
//!   the portal shapes them (the model's status, `x-amzn-ErrorType`, a `message` body).
//!   Logout ends the whole sign-in: its access tokens and refresh token, refreshed ones too.
//! - An index page at `/` for whoever opens the URL in a browser: what this is, a link to
//!   the verification page, the operations and how to point a client at it.
//! - Faults on chosen operations and requests ([`Fault`], [`Injection`]): 500, 503, throttling,
//!   `slow_down`, an HTML 502, malformed, empty, truncated and huge bodies, delays, bodies
//!   dripped a byte at a time, hangs and dropped connections.
//! - Reproducible answers: codes, tokens and request ids come from [`Config::seed`], and
//!   [`Config::with_fixed_wall_clock`] stops the wall clock behind `clientIdIssuedAt` and
//!   `clientSecretExpiresAt`, so the same requests get the same bytes on every run.
//! - A request log with secrets masked ([`LoggedRequest`]): operation, arrival time, headers,
//!   body, and how it was answered; secret members of a body, secret query parameters
//!   (`code`, `codeVerifier`, ...) and the portal's bearer-token header show `<masked>`.
//!
//! **How to run it.** [`Emulator`] runs on your tokio runtime, [`BlockingEmulator`] on a thread
//! of its own; both deref to [`Control`]. [`Service`] is the same service without a socket: it
//! takes an `http::Request` and the time, for tests on simulated time. With the `tls` feature
//! (on by default), `Emulator::start_tls` serves HTTPS with a certificate from [`TestCa`]. The
//! `sso-oidc-emulator` binary (default feature `cli`) serves it from the command line; its
//! options and serve loop are the [`command`] module (feature `command`), for other commands
//! that serve one, such as `sso-oidc emulator`.
//!
//! **Out of scope:** signing (`CreateTokenWithIAM`) and any persistence: state lives as long
//! as the emulator.
//!
//! # Without a socket
//!
//! ```
//! use sso_oidc::{DeviceAuthorization, RegisterClient, StartDeviceAuthorization, CreateToken, ErrorCode, GrantType, Endpoint};
//! use sso_oidc_emulator::{Config, Service};
//! use std::time::{Duration, Instant, SystemTime};
//!
//! let (now, wall) = (Instant::now(), SystemTime::now());
//! let mut service = Service::new(Config::default(), "http://127.0.0.1:8080");
//! let endpoint = Endpoint::from_url("http://127.0.0.1:8080")?;
//!
//! let register = RegisterClient::builder().client_name("test").build()?;
//! let client = RegisterClient::parse(service.handle(&register.to_http(&endpoint), now, wall))?;
//! let start = StartDeviceAuthorization::builder()
//!     .client_id(&client.client_id)
//!     .client_secret(&client.client_secret)
//!     .start_url("https://d-1234567890.awsapps.com/start")
//!     .build()?;
//! let device = StartDeviceAuthorization::parse(service.handle(&start.to_http(&endpoint), now, wall))?;
//! assert_eq!(device.interval, Some(Duration::from_secs(1)));
//!
//! let poll = CreateToken::builder()
//!     .client_id(&client.client_id)
//!     .client_secret(&client.client_secret)
//!     .grant_type(GrantType::DeviceCode)
//!     .device_code(&device.device_code)
//!     .build()?;
//! let pending = CreateToken::parse(service.handle(&poll.to_http(&endpoint), now, wall));
//! assert_eq!(pending.unwrap_err().code(), Some(&ErrorCode::AuthorizationPending));
//!
//! service.approve(&device.user_code)?;
//! let later = now + Duration::from_secs(1);
//! let token = CreateToken::parse(service.handle(&poll.to_http(&endpoint), later, wall))?;
//! assert_eq!(token.expires_in, Duration::from_secs(28_800));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#[cfg(feature = "command")]
pub mod command;
mod config;
mod fault;
mod follow;
mod log;
mod page;
mod random;
mod server;
mod service;
#[cfg(feature = "tls")]
mod tls;

pub use config::{After, AutoAuthorization, AutoDecision, Config, Decision, PortalAccount};
pub use fault::{Fault, Injection, Reply, ReplyBody};
pub use log::LoggedRequest;
pub use server::{BlockingEmulator, Control, Emulator, MAX_REQUEST_BODY};
pub use service::{Device, DeviceState, Service, UnknownUserCode};
#[cfg(feature = "tls")]
pub use tls::{TestCa, TlsError, TlsIdentity};
