//! A local AWS IAM Identity Center OIDC ("SSO OIDC") service for tests and demos, faithful to
//! the real service on the wire.
//!
//! **In scope:** the service's three unsigned operations (`RegisterClient`,
//! `StartDeviceAuthorization`, `CreateToken` with the device-code and refresh-token grants),
//! answered as the real service answers them: compact JSON, `x-amzn-RequestId`, and errors with
//! the model's status, an `x-amzn-ErrorType` header and an OAuth `error` body. RFC 8628 device
//! authorizations that a test approves, denies or expires by user code, with `slow_down` for
//! clients that poll faster than the interval. A request log with secrets masked.
//!
//! **This release:** [`Service`] is the service without a socket: it takes an
//! `http::Request` and the time, and returns the `http::Response` the real service would send.
//! The HTTP server on loopback, fault injection and the verification page build on it.
//!
//! **Out of scope:** signing (`CreateTokenWithIAM`), the authorization-code grant's browser
//! redirect, and any persistence: state lives as long as the `Service`.
//!
//! # Example
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

mod config;
mod fault;
mod log;
mod page;
mod random;
mod server;
mod service;

pub use config::{After, AutoDecision, Config, Decision};
pub use fault::{Fault, Injection, Reply, ReplyBody};
pub use log::LoggedRequest;
pub use server::{BlockingEmulator, Control, Emulator, MAX_REQUEST_BODY};
pub use service::{Device, DeviceState, Service, UnknownUserCode};
