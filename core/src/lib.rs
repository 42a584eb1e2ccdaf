//! A sans-IO client for AWS IAM Identity Center OIDC (the "SSO OIDC" service), the service behind
//! `aws sso login`.
//!
//! **In scope:** the service's unsigned operations, `RegisterClient`, `StartDeviceAuthorization`
//! and `CreateToken`, as typed requests that build [`http::Request`] values
//! ([`RegisterClient::to_http`], ...) and parsers that turn [`http::Response`] values into typed
//! outputs or typed errors ([`RegisterClient::parse`], ...); endpoint resolution for every AWS
//! partition ([`Endpoint`]); the whole device-authorization sign-in as a state machine that is
//! told the time and the responses ([`DeviceFlow`]); the authorization-code sign-in with PKCE and a
//! loopback redirect that `aws sso login` uses by default ([`AuthCodeFlow`]), told the redirect
//! the caller's listener received; and a single operation retried the same
//! way ([`Call`]), with the retry policy ([`RetryPolicy`]); the refresh decision for a cached
//! token ([`RefreshPolicy`]); and the token cache the AWS CLI and SDKs share (`~/.aws/sso/cache`), as records ([`CachedToken`], [`CachedRegistration`])
//! and, with the opt-in `fs` feature, as files (`CacheDir`).
//! The SSO portal, which turns the access token into AWS credentials, is the second service:
//! [`portal`] (`GetRoleCredentials`, `ListAccounts`, `ListAccountRoles`, `Logout`); with a
//! cached token, [`RoleCredentialsFlow`] refreshes it when due and gets a role's credentials,
//! which the AWS CLI caches in `~/.aws/cli/cache` ([`CachedRoleCredentials`]).
//! The AWS config file (`~/.aws/config`) is [`config`]: parsed as botocore parses it, a profile
//! resolved for SSO as botocore resolves it (its `sso-session` or legacy start URL, the cache
//! file names, the account and role), and edited as `aws configure sso` does without losing a
//! comment; with `fs`, read with a cap and written atomically.
//!
//! **Out of scope:** sending anything. This crate opens no sockets, reads no clock, starts no
//! threads and never sleeps: bring your own HTTP client, or use the `sso-oidc-ureq` (blocking) or
//! `sso-oidc-hyper` (async) transports built on it. `CreateTokenWithIAM` is out of scope too: it
//! is signed with AWS credentials, which a device-flow client does not have.
//!
//! Errors say who is to blame: the caller ([`BuildError`]), the service ([`ServiceError`], with
//! an [`ErrorCode`] for every exception in the service model) or a response that could not be
//! understood ([`ParseError`]). Secrets are held in [`Secret`], which never prints its value.
//!
//! # Example
//!
//! Start a device authorization with a hand-written transport. Here the transport is a function
//! that answers as the real service does; yours would send `request` over HTTPS, read at most
//! [`MAX_RESPONSE_BODY`] bytes of the body, and return the response whatever its status.
//!
//! ```
//! use sso_oidc::{Endpoint, ErrorCode, Error, StartDeviceAuthorization};
//! use std::time::Duration;
//!
//! fn send(request: http::Request<Vec<u8>>) -> http::Response<Vec<u8>> {
//!     assert_eq!(request.uri(), "https://oidc.us-east-1.amazonaws.com/device_authorization");
//!     let body = br#"{"deviceCode":"dc-1","expiresIn":600,"interval":1,"userCode":"GPNW-SHFH",
//!         "verificationUri":"https://device.sso.us-east-1.amazonaws.com/",
//!         "verificationUriComplete":"https://device.sso.us-east-1.amazonaws.com/?user_code=GPNW-SHFH"}"#;
//!     http::Response::new(body.to_vec())
//! }
//!
//! let endpoint = Endpoint::from_region("us-east-1")?;
//! let request = StartDeviceAuthorization::builder()
//!     .client_id("client-id")
//!     .client_secret("client-secret")
//!     .start_url("https://d-1234567890.awsapps.com/start")
//!     .build()?;
//! let authorization = StartDeviceAuthorization::parse(send(request.to_http(&endpoint)))?;
//! assert_eq!(authorization.user_code, "GPNW-SHFH");
//! assert_eq!(authorization.interval, Some(Duration::from_secs(1)));
//! assert_eq!(format!("{:?}", authorization.device_code), "Secret(<redacted>)");
//!
//! // Errors are typed: a pending authorization while polling CreateToken.
//! let pending = http::Response::builder()
//!     .status(400)
//!     .header("x-amzn-ErrorType", "AuthorizationPendingException:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/")
//!     .body(br#"{"error":"authorization_pending","error_description":"Authorization is still pending"}"#)?;
//! let error = sso_oidc::CreateToken::parse(pending).unwrap_err();
//! assert_eq!(error.code(), Some(&ErrorCode::AuthorizationPending));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![warn(clippy::print_stdout, clippy::print_stderr)]

mod auth_code;
mod cache;
mod call;
pub mod config;
mod create_token;
mod credentials;
mod endpoint;
mod error;
mod flow;
mod machine;
mod operation;
mod partition;
pub mod portal;
mod refresh;
mod register_client;
mod request;
mod response;
mod retry;
mod secret;
mod start_device_authorization;
mod text;
mod transport;

pub use auth_code::{
    AUTH_CODE_RANDOM_BYTES, AuthCodeAction, AuthCodeFlow, AuthCodeFlowConfig,
    AuthCodeFlowConfigBuilder, Authorize, DEFAULT_REDIRECT_TIMEOUT, DEFAULT_SCOPE,
    MAX_REDIRECT_TARGET, REGISTERED_REDIRECT_URI, Redirect, RedirectError, RedirectOutcome,
};
pub use cache::{
    CREDENTIALS_EXPIRY_WINDOW, CacheError, CachedRegistration, CachedRoleCredentials, CachedToken,
    format_time, registration_file_name, role_credentials_file_name, token_file_name,
};
#[cfg(feature = "fs")]
pub use cache::{CacheDir, CacheLock, LoosePermissions, MAX_CACHE_FILE};
pub use call::{Call, CallAction, CallError, Parser};
pub use create_token::{CreateToken, CreateTokenBuilder, GrantType, Token};
pub use credentials::{
    RoleCredentialsAction, RoleCredentialsConfig, RoleCredentialsConfigBuilder,
    RoleCredentialsError, RoleCredentialsFlow,
};
pub use endpoint::{Endpoint, EndpointBuilder};
pub use error::{BuildError, Error, ErrorCode, ParseError, ParseErrorKind, ServiceError};
pub use flow::{
    Action, DEFAULT_CLIENT_NAME, DEFAULT_INTERVAL, DEFAULT_MAX_INTERVAL, DeviceFlow,
    DeviceFlowConfig, DeviceFlowConfigBuilder, FlowError, Login, Prompt,
    REGISTRATION_EXPIRY_WINDOW, SLOW_DOWN_STEP,
};
pub use machine::Misuse;
pub use operation::Operation;
pub use refresh::{
    ADVISORY_REFRESH_WINDOW, CannotRefresh, MANDATORY_REFRESH_WINDOW, PendingRefresh,
    REFRESH_ATTEMPT_INTERVAL, RefreshDecision, RefreshPolicy, RefreshStep, Refreshed, Urgency,
};
pub use register_client::{ClientRegistration, RegisterClient, RegisterClientBuilder};
pub use request::USER_AGENT;
pub use response::MAX_RESPONSE_BODY;
pub use retry::{Attempts, RetryPolicy};
pub use secret::{SECRET_MEMBERS, Secret, redact_body};
pub use start_device_authorization::{
    DeviceAuthorization, StartDeviceAuthorization, StartDeviceAuthorizationBuilder,
};
pub use transport::TransportErrorKind;
