//! The SSO portal (`portal.sso.<region>.amazonaws.com`), the service that turns an access token
//! from SSO OIDC into AWS credentials: `GetRoleCredentials`, `ListAccounts`,
//! `ListAccountRoles` and `Logout`, as typed requests that build [`http::Request`] values and
//! parsers of [`http::Response`] values, with endpoints for every partition ([`Endpoint`]) and
//! pagination as a pure step ([`ListAccounts::next_page`]).
//!
//! The operations are unsigned: the access token travels in the `x-amz-sso_bearer_token`
//! header, never in the URL, and is held as a [`Secret`](crate::Secret) as are the secret access
//! key and session token. Errors are the crate's [`Error`](crate::Error); the portal's modelled
//! exceptions are read with [`Error::portal_code`](crate::Error::portal_code) as an
//! [`ErrorCode`], and [`RetryPolicy::is_retryable`](crate::RetryPolicy::is_retryable) retries
//! throttling (429) and 5xx as for SSO OIDC.
//!
//! ```
//! use sso_oidc::portal::{Endpoint, ErrorCode, GetRoleCredentials};
//!
//! let request = GetRoleCredentials::builder()
//!     .role_name("ReadOnly")
//!     .account_id("123456789012")
//!     .access_token("my-access-token")
//!     .build()?;
//! let http = request.to_http(&Endpoint::from_region("us-east-1")?);
//! assert_eq!(http.headers()["x-amz-sso_bearer_token"], "my-access-token");
//!
//! let body = br#"{"roleCredentials":{"accessKeyId":"ASIAEXAMPLE","secretAccessKey":"sk",
//!     "sessionToken":"st","expiration":1700000000000}}"#;
//! let credentials = GetRoleCredentials::parse(http::Response::new(body))?;
//! assert_eq!(credentials.access_key_id, "ASIAEXAMPLE");
//! assert_eq!(format!("{:?}", credentials.session_token), "Secret(<redacted>)");
//!
//! let refused = http::Response::builder()
//!     .status(401)
//!     .header("x-amzn-ErrorType", "UnauthorizedException")
//!     .body(br#"{"message":"Session token not found or invalid"}"#)?;
//! let error = GetRoleCredentials::parse(refused).unwrap_err();
//! assert_eq!(error.portal_code(), Some(ErrorCode::Unauthorized));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod code;
mod endpoint;
mod get_role_credentials;
mod list_account_roles;
mod list_accounts;
mod logout;
mod request;

pub use code::ErrorCode;
pub use endpoint::{Endpoint, EndpointBuilder};
pub use get_role_credentials::{GetRoleCredentials, GetRoleCredentialsBuilder, RoleCredentials};
pub use list_account_roles::{AccountRoles, ListAccountRoles, ListAccountRolesBuilder, RoleInfo};
pub use list_accounts::{AccountInfo, Accounts, ListAccounts, ListAccountsBuilder};
pub use logout::{Logout, LogoutBuilder};

/// The next page's token: `received`, unless there is none (or it is empty) or it is the token
/// just `sent` (botocore refuses a repeated token: following it would loop forever).
fn next_token<'a>(sent: Option<&str>, received: Option<&'a str>) -> Option<&'a str> {
    received.filter(|t| !t.is_empty() && Some(*t) != sent)
}
