//! `ListAccounts`: the AWS accounts assigned to the signed-in user, a page at a time.

use http::HeaderValue;
use serde::Deserialize;

use crate::error::{BuildError, Error};
use crate::operation::Operation;
use crate::portal::Endpoint;
use crate::portal::request::{access_token, max_results, portal_request};
use crate::request::{optional, setters};
use crate::response::Received;
use crate::secret::Secret;

/// A `ListAccounts` request: `GET /assignment/accounts?next_token=..&max_result=..`, the access
/// token in the `x-amz-sso_bearer_token` header.
///
/// Pagination is a pure step: [`ListAccounts::next_page`] gives the request for the page after
/// a response, or `None` after the last.
///
/// ```
/// use sso_oidc::portal::{Endpoint, ListAccounts};
///
/// let first = ListAccounts::builder().access_token("my-access-token").max_results(2).build()?;
/// let endpoint = Endpoint::from_url("http://127.0.0.1:8080")?;
/// assert_eq!(first.to_http(&endpoint).uri(), "http://127.0.0.1:8080/assignment/accounts?max_result=2");
/// let page = ListAccounts::parse(http::Response::new(
///     br#"{"accountList":[{"accountId":"111122223333","accountName":"dev"}],"nextToken":"t/2"}"#,
/// ))?;
/// assert_eq!(page.accounts[0].account_id, "111122223333");
/// let second = first.next_page(&page).expect("a next page");
/// assert_eq!(
///     second.to_http(&endpoint).uri(),
///     "http://127.0.0.1:8080/assignment/accounts?next_token=t%2F2&max_result=2"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListAccounts {
    next_token: Option<String>,
    max_results: Option<u32>,
    access_token: Secret<HeaderValue>,
}

/// Builds a [`ListAccounts`]; only the access token is required.
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct ListAccountsBuilder {
    next_token: Option<String>,
    max_results: Option<u32>,
    access_token: Option<Secret>,
}

/// One page of the accounts assigned to the user.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Accounts {
    /// The accounts on this page (`accountList`), possibly none.
    pub accounts: Vec<AccountInfo>,
    /// The token for the next page (`nextToken`); `None` on the last page.
    pub next_token: Option<String>,
}

/// An AWS account assigned to the user.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct AccountInfo {
    /// The account's id (`accountId`), e.g. `123456789012`.
    pub account_id: String,
    /// The account's display name (`accountName`).
    pub account_name: Option<String>,
    /// The account's email address (`emailAddress`).
    pub email_address: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Wire {
    account_list: Option<Vec<WireAccount>>,
    next_token: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireAccount {
    account_id: Option<String>,
    account_name: Option<String>,
    email_address: Option<String>,
}

impl ListAccounts {
    /// A builder for the request.
    pub fn builder() -> ListAccountsBuilder {
        ListAccountsBuilder::default()
    }

    /// The HTTP request to send to `endpoint`.
    pub fn to_http(&self, endpoint: &Endpoint) -> http::Request<Vec<u8>> {
        let max = self.max_results.map(|n| n.to_string());
        portal_request(
            endpoint,
            Operation::ListAccounts,
            &[
                ("next_token", self.next_token.as_deref()),
                ("max_result", max.as_deref()),
            ],
            &self.access_token,
        )
    }

    /// The request for the page after `page`, the response to this request: the same request
    /// with `page`'s next token, or `None` when `page` is the last (no token, or the token this
    /// request sent, which would ask for the same page forever).
    pub fn next_page(&self, page: &Accounts) -> Option<Self> {
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
    /// over [`MAX_RESPONSE_BODY`](crate::MAX_RESPONSE_BODY), not JSON, or an account without an
    /// `accountId`.
    pub fn parse<B: AsRef<[u8]>>(response: http::Response<B>) -> Result<Accounts, Error> {
        let received = Received::new(Operation::ListAccounts, &response);
        let wire: Wire = received.json(&["accountList", "nextToken"])?;
        let accounts = wire
            .account_list
            .unwrap_or_default()
            .into_iter()
            .map(|a| {
                Ok(AccountInfo {
                    account_id: received.required("accountId", a.account_id)?,
                    account_name: a.account_name,
                    email_address: a.email_address,
                })
            })
            .collect::<Result<_, Error>>()?;
        Ok(Accounts {
            accounts,
            next_token: wire.next_token.filter(|t| !t.is_empty()),
        })
    }
}

impl ListAccountsBuilder {
    setters! {
        /// The token from the previous page (`nextToken`); see also [`ListAccounts::next_page`].
        set next_token: String;
        /// The access token from `CreateToken` (`accessToken`).
        set access_token: Secret;
    }

    /// The most accounts a page may hold (`maxResults`), from 1 to 100.
    pub fn max_results(mut self, max_results: u32) -> Self {
        self.max_results = Some(max_results);
        self
    }

    /// Checks the members and builds the request.
    ///
    /// # Errors
    /// [`BuildError::MissingMember`] or [`BuildError::BlankMember`] for an access token that
    /// is not set or blank, [`BuildError::BlankMember`] for a blank next token;
    /// [`BuildError::InvalidMember`] for `maxResults` outside 1 to 100 or an access token a
    /// header cannot hold.
    pub fn build(self) -> Result<ListAccounts, BuildError> {
        Ok(ListAccounts {
            next_token: optional("nextToken", self.next_token)?,
            max_results: max_results(self.max_results)?,
            access_token: access_token(self.access_token)?,
        })
    }
}
