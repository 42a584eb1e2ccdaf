//! `GetRoleCredentials`: the short-term AWS credentials of one role in one account.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::HeaderValue;
use serde::Deserialize;

use crate::error::{BuildError, Error, ParseErrorKind};
use crate::operation::Operation;
use crate::portal::Endpoint;
use crate::portal::request::{access_token, portal_request};
use crate::request::{required, setters};
use crate::response::Received;
use crate::secret::Secret;

/// A `GetRoleCredentials` request: `GET /federation/credentials?role_name=..&account_id=..`,
/// the access token in the `x-amz-sso_bearer_token` header.
///
/// ```
/// use sso_oidc::portal::{Endpoint, GetRoleCredentials};
///
/// let request = GetRoleCredentials::builder()
///     .role_name("ReadOnly")
///     .account_id("123456789012")
///     .access_token("my-access-token")
///     .build()?;
/// let http = request.to_http(&Endpoint::from_region("us-east-1")?);
/// assert_eq!(
///     http.uri(),
///     "https://portal.sso.us-east-1.amazonaws.com/federation/credentials?role_name=ReadOnly&account_id=123456789012"
/// );
/// assert!(!format!("{request:?}").contains("my-access-token"));
/// # Ok::<(), sso_oidc::BuildError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GetRoleCredentials {
    role_name: String,
    account_id: String,
    access_token: Secret<HeaderValue>,
}

/// Builds a [`GetRoleCredentials`]; every member is required.
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct GetRoleCredentialsBuilder {
    role_name: Option<String>,
    account_id: Option<String>,
    access_token: Option<Secret>,
}

/// Short-term AWS credentials for a role, as the portal issues them.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RoleCredentials {
    /// The access key id, e.g. `ASIA...`.
    pub access_key_id: String,
    /// The secret access key.
    pub secret_access_key: Secret,
    /// The session token.
    pub session_token: Secret,
    /// When the credentials expire (the model's epoch milliseconds).
    pub expiration: SystemTime,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Wire {
    role_credentials: Option<WireCredentials>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireCredentials {
    access_key_id: Option<String>,
    secret_access_key: Option<String>,
    session_token: Option<String>,
    expiration: Option<i64>,
}

impl GetRoleCredentials {
    /// A builder for the request.
    pub fn builder() -> GetRoleCredentialsBuilder {
        GetRoleCredentialsBuilder::default()
    }

    /// The role's name, e.g. `ReadOnly`.
    pub fn role_name(&self) -> &str {
        &self.role_name
    }

    /// The account's id, e.g. `123456789012`.
    pub fn account_id(&self) -> &str {
        &self.account_id
    }

    /// The HTTP request to send to `endpoint`.
    pub fn to_http(&self, endpoint: &Endpoint) -> http::Request<Vec<u8>> {
        portal_request(
            endpoint,
            Operation::GetRoleCredentials,
            &[
                ("role_name", Some(self.role_name.as_str())),
                ("account_id", Some(self.account_id.as_str())),
            ],
            &self.access_token,
        )
    }

    /// Parses the service's response.
    ///
    /// # Errors
    /// [`Error::Service`] when the portal refused the request (see
    /// [`Error::portal_code`]); [`Error::Parse`] when the response cannot be understood: a body
    /// over [`MAX_RESPONSE_BODY`](crate::MAX_RESPONSE_BODY), not JSON, or without
    /// `roleCredentials` and its four members.
    pub fn parse<B: AsRef<[u8]>>(response: http::Response<B>) -> Result<RoleCredentials, Error> {
        let received = Received::new(Operation::GetRoleCredentials, &response);
        let wire: Wire = received.json(&["roleCredentials"])?;
        let credentials = wire.role_credentials.ok_or_else(|| {
            received.error(ParseErrorKind::MissingMember {
                member: "roleCredentials",
            })
        })?;
        let expiration = credentials.expiration.ok_or_else(|| {
            received.error(ParseErrorKind::MissingMember {
                member: "expiration",
            })
        })?;
        Ok(RoleCredentials {
            access_key_id: received.required("accessKeyId", credentials.access_key_id)?,
            secret_access_key: received
                .required_secret("secretAccessKey", credentials.secret_access_key)?,
            session_token: received.required_secret("sessionToken", credentials.session_token)?,
            expiration: epoch_millis(expiration).ok_or_else(|| {
                received.error(ParseErrorKind::InvalidMember {
                    member: "expiration",
                    reason: "is not a time this system can represent",
                })
            })?,
        })
    }
}

/// Milliseconds since the Unix epoch (the model's `ExpirationTimestampType`, a `long`).
fn epoch_millis(millis: i64) -> Option<SystemTime> {
    let offset = Duration::from_millis(millis.unsigned_abs());
    if millis >= 0 {
        UNIX_EPOCH.checked_add(offset)
    } else {
        UNIX_EPOCH.checked_sub(offset)
    }
}

impl GetRoleCredentialsBuilder {
    setters! {
        /// The role's name (`roleName`), e.g. `ReadOnly`.
        set role_name: String;
        /// The account's id (`accountId`), e.g. `123456789012`.
        set account_id: String;
        /// The access token from `CreateToken` (`accessToken`).
        set access_token: Secret;
    }

    /// Checks the members and builds the request.
    ///
    /// # Errors
    /// [`BuildError::MissingMember`] or [`BuildError::BlankMember`] for a member that is not
    /// set or blank; [`BuildError::InvalidMember`] for an access token a header cannot hold.
    pub fn build(self) -> Result<GetRoleCredentials, BuildError> {
        Ok(GetRoleCredentials {
            role_name: required("roleName", self.role_name)?,
            account_id: required("accountId", self.account_id)?,
            access_token: access_token(self.access_token)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiration_is_epoch_milliseconds() {
        assert_eq!(
            epoch_millis(1_700_000_000_123),
            Some(UNIX_EPOCH + Duration::from_millis(1_700_000_000_123))
        );
        assert_eq!(
            epoch_millis(-1_000),
            UNIX_EPOCH.checked_sub(Duration::from_secs(1))
        );
    }
}
