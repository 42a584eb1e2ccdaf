//! `ListAccountRoles`: the roles the signed-in user may take in one account, a page at a time.

use http::HeaderValue;
use serde::Deserialize;

use crate::error::{BuildError, Error};
use crate::operation::Operation;
use crate::portal::Endpoint;
use crate::portal::request::{access_token, max_results, portal_request};
use crate::request::{optional, required, setters};
use crate::response::Received;
use crate::secret::Secret;

/// A `ListAccountRoles` request:
/// `GET /assignment/roles?next_token=..&max_result=..&account_id=..`, the access token in the
/// `x-amz-sso_bearer_token` header. [`ListAccountRoles::next_page`] is the pagination step.
///
/// ```
/// use sso_oidc::portal::{Endpoint, ListAccountRoles};
///
/// let request = ListAccountRoles::builder()
///     .access_token("my-access-token")
///     .account_id("111122223333")
///     .build()?;
/// let http = request.to_http(&Endpoint::from_region("us-west-2")?);
/// assert_eq!(
///     http.uri(),
///     "https://portal.sso.us-west-2.amazonaws.com/assignment/roles?account_id=111122223333"
/// );
/// # Ok::<(), sso_oidc::BuildError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListAccountRoles {
    next_token: Option<String>,
    max_results: Option<u32>,
    account_id: String,
    access_token: Secret<HeaderValue>,
}

/// Builds a [`ListAccountRoles`]; the access token and account id are required.
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct ListAccountRolesBuilder {
    next_token: Option<String>,
    max_results: Option<u32>,
    account_id: Option<String>,
    access_token: Option<Secret>,
}

/// One page of the roles the user may take in an account.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct AccountRoles {
    /// The roles on this page (`roleList`), possibly none.
    pub roles: Vec<RoleInfo>,
    /// The token for the next page (`nextToken`); `None` on the last page.
    pub next_token: Option<String>,
}

/// A role assigned to the user in an account.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RoleInfo {
    /// The role's name (`roleName`), e.g. `ReadOnly`.
    pub role_name: String,
    /// The account's id (`accountId`).
    pub account_id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Wire {
    role_list: Option<Vec<WireRole>>,
    next_token: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireRole {
    role_name: Option<String>,
    account_id: Option<String>,
}

impl ListAccountRoles {
    /// A builder for the request.
    pub fn builder() -> ListAccountRolesBuilder {
        ListAccountRolesBuilder::default()
    }

    /// The account whose roles are listed.
    pub fn account_id(&self) -> &str {
        &self.account_id
    }

    /// The HTTP request to send to `endpoint`.
    pub fn to_http(&self, endpoint: &Endpoint) -> http::Request<Vec<u8>> {
        let max = self.max_results.map(|n| n.to_string());
        portal_request(
            endpoint,
            Operation::ListAccountRoles,
            &[
                ("next_token", self.next_token.as_deref()),
                ("max_result", max.as_deref()),
                ("account_id", Some(self.account_id.as_str())),
            ],
            &self.access_token,
        )
    }

    /// The request for the page after `page`, the response to this request, or `None` when
    /// `page` is the last (as [`ListAccounts::next_page`](super::ListAccounts::next_page)).
    pub fn next_page(&self, page: &AccountRoles) -> Option<Self> {
        let token = super::next_token(self.next_token.as_deref(), page.next_token.as_deref())?;
        Some(Self {
            next_token: Some(token.to_owned()),
            ..self.clone()
        })
    }

    /// Parses the service's response.
    ///
    /// # Errors
    /// [`Error::Service`] when the portal refused the request (see
    /// [`Error::portal_code`]); [`Error::Parse`] when the response cannot be understood: a body
    /// over [`MAX_RESPONSE_BODY`](crate::MAX_RESPONSE_BODY), not JSON, or a role without a
    /// `roleName` or `accountId`.
    pub fn parse<B: AsRef<[u8]>>(response: http::Response<B>) -> Result<AccountRoles, Error> {
        let received = Received::new(Operation::ListAccountRoles, &response);
        let wire: Wire = received.json(&["roleList", "nextToken"])?;
        let roles = wire
            .role_list
            .unwrap_or_default()
            .into_iter()
            .map(|r| {
                Ok(RoleInfo {
                    role_name: received.required("roleName", r.role_name)?,
                    account_id: received.required("accountId", r.account_id)?,
                })
            })
            .collect::<Result<_, Error>>()?;
        Ok(AccountRoles {
            roles,
            next_token: wire.next_token.filter(|t| !t.is_empty()),
        })
    }
}

impl ListAccountRolesBuilder {
    setters! {
        /// The token from the previous page (`nextToken`); see also
        /// [`ListAccountRoles::next_page`].
        set next_token: String;
        /// The account whose roles to list (`accountId`).
        set account_id: String;
        /// The access token from `CreateToken` (`accessToken`).
        set access_token: Secret;
    }

    /// The most roles a page may hold (`maxResults`), from 1 to 100.
    pub fn max_results(mut self, max_results: u32) -> Self {
        self.max_results = Some(max_results);
        self
    }

    /// Checks the members and builds the request.
    ///
    /// # Errors
    /// [`BuildError::MissingMember`] or [`BuildError::BlankMember`] for an access token or
    /// account id that is not set or blank, [`BuildError::BlankMember`] for a blank next token;
    /// [`BuildError::InvalidMember`] for `maxResults` outside 1 to 100 or an access token a
    /// header cannot hold.
    pub fn build(self) -> Result<ListAccountRoles, BuildError> {
        Ok(ListAccountRoles {
            next_token: optional("nextToken", self.next_token)?,
            max_results: max_results(self.max_results)?,
            account_id: required("accountId", self.account_id)?,
            access_token: access_token(self.access_token)?,
        })
    }
}
