//! The SSO portal's listings a page at a time, for both transports: which requests come in
//! pages ([`Paginated`]) and where a listing is ([`PageCursor`]). Each transport's `Pages`
//! only runs the cursor's calls.

use std::collections::HashSet;
use std::fmt;

use sso_oidc::Call;
use sso_oidc::portal::{
    AccountInfo, AccountRoles, Accounts, Endpoint, ListAccountRoles, ListAccounts, RoleInfo,
};

use crate::builder::Settings;
use crate::error::Error;

mod sealed {
    pub trait Sealed {}
    impl Sealed for sso_oidc::portal::ListAccounts {}
    impl Sealed for sso_oidc::portal::ListAccountRoles {}
}

/// A portal request whose answer comes a page at a time, as the portal's paginators say
/// (`paginators-1.json`: `nextToken` in and out): [`ListAccounts`] and [`ListAccountRoles`].
/// Sealed: the portal has no other.
pub trait Paginated: sealed::Sealed + Clone + fmt::Debug + Send + Sync + 'static {
    /// One page of the listing: [`Accounts`] or [`AccountRoles`].
    type Page: Clone + fmt::Debug + Send + 'static;
    /// One thing listed: [`AccountInfo`] or [`RoleInfo`].
    type Item: Clone + fmt::Debug + Send + 'static;

    /// The HTTP request for this page, to `endpoint`.
    fn to_http(&self, endpoint: &Endpoint) -> http::Request<Vec<u8>>;

    /// Reads a page from the portal's response.
    ///
    /// # Errors
    /// The core's error: the portal's refusal, or a page that could not be understood.
    fn parse(response: http::Response<Vec<u8>>) -> Result<Self::Page, sso_oidc::Error>;

    /// The request for the page after `page` (the answer to this request), or `None` after the
    /// last: the core's pagination step.
    fn next_page(&self, page: &Self::Page) -> Option<Self>;

    /// The token a page gives for the next one, if any.
    fn next_token(page: &Self::Page) -> Option<&str>;

    /// What a page lists.
    fn into_items(page: Self::Page) -> Vec<Self::Item>;
}

impl Paginated for ListAccounts {
    type Page = Accounts;
    type Item = AccountInfo;

    fn to_http(&self, endpoint: &Endpoint) -> http::Request<Vec<u8>> {
        Self::to_http(self, endpoint)
    }

    fn parse(response: http::Response<Vec<u8>>) -> Result<Accounts, sso_oidc::Error> {
        Self::parse(response)
    }

    fn next_page(&self, page: &Accounts) -> Option<Self> {
        Self::next_page(self, page)
    }

    fn next_token(page: &Accounts) -> Option<&str> {
        page.next_token.as_deref()
    }

    fn into_items(page: Accounts) -> Vec<AccountInfo> {
        page.accounts
    }
}

impl Paginated for ListAccountRoles {
    type Page = AccountRoles;
    type Item = RoleInfo;

    fn to_http(&self, endpoint: &Endpoint) -> http::Request<Vec<u8>> {
        Self::to_http(self, endpoint)
    }

    fn parse(response: http::Response<Vec<u8>>) -> Result<AccountRoles, sso_oidc::Error> {
        Self::parse(response)
    }

    fn next_page(&self, page: &AccountRoles) -> Option<Self> {
        Self::next_page(self, page)
    }

    fn next_token(page: &AccountRoles) -> Option<&str> {
        page.next_token.as_deref()
    }

    fn into_items(page: AccountRoles) -> Vec<RoleInfo> {
        page.roles
    }
}

/// Where a listing is: the request for the next page, and every page token seen so far. Each
/// page is one retried [`Call`] ([`next_call`](Self::next_call)) whose outcome goes back in
/// ([`handle`](Self::handle)); the listing ends after the last page, after an error, or when
/// the portal gives a token it gave before (the core's [`next_page`](Paginated::next_page)
/// already stops at the token just sent; this also stops a longer cycle, which would list the
/// same things forever), with a warning logged.
///
/// Both transports' `Pages` are this loop:
///
/// ```
/// use sso_oidc::portal::{Endpoint, ListAccounts};
/// use sso_oidc_transport::{ClientBuilder, Error, FromSettings, PageCursor, Settings};
///
/// # struct Client(Settings);
/// # impl FromSettings for Client {
/// #     const USER_AGENT: &'static str = "example/1";
/// #     fn from_settings(settings: Settings) -> Self { Client(settings) }
/// # }
/// let client: Client = ClientBuilder::new()
///     .portal_endpoint(Endpoint::from_url("http://127.0.0.1:8080")?)
///     .build()?;
/// let settings = &client.0;
/// let first = ListAccounts::builder().access_token("my-access-token").build()?;
/// let mut cursor = PageCursor::new(first);
/// // Each page: a call to run, then its outcome.
/// let call = cursor.next_call(settings).expect("a first page")?;
/// assert_eq!(call.request().uri(), "http://127.0.0.1:8080/assignment/accounts");
/// let body = br#"{"accountList":[{"accountId":"111122223333"}],"nextToken":"t2"}"#;
/// let page = ListAccounts::parse(http::Response::new(body.to_vec()))?;
/// cursor.handle(Ok(page))?;
/// let call = cursor.next_call(settings).expect("a second page")?;
/// assert_eq!(call.request().uri(), "http://127.0.0.1:8080/assignment/accounts?next_token=t2");
/// // The second page is the last.
/// let last = ListAccounts::parse(http::Response::new(br#"{"accountList":[]}"#.to_vec()))?;
/// cursor.handle(Ok(last))?;
/// assert!(cursor.next_call(settings).is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct PageCursor<R> {
    /// The request for the next page; `None` once the listing is over or a page is under way.
    next: Option<R>,
    /// The request of the page under way.
    sent: Option<R>,
    /// Every next-page token the portal gave.
    seen: HashSet<String>,
}

impl<R: Paginated> PageCursor<R> {
    /// A listing that starts with `first` (its own next token, if it has one, included).
    pub fn new(first: R) -> Self {
        Self {
            next: Some(first),
            sent: None,
            seen: HashSet::new(),
        }
    }

    /// The call for the next page, made with the settings' portal endpoint and retry policy
    /// ([`Settings::call_for`]), or `None` once the listing is over. Hand its outcome to
    /// [`handle`](Self::handle) before asking for another.
    ///
    /// # Errors
    /// [`Error::MissingPortalEndpoint`] when the settings have no portal endpoint; the listing
    /// is then over.
    pub fn next_call(&mut self, settings: &Settings) -> Option<Result<Call<R::Page>, Error>> {
        let request = self.next.take()?;
        let call = match settings.required_portal_endpoint() {
            Ok(endpoint) => Ok(settings.call_for(request.to_http(endpoint), R::parse)),
            Err(error) => Err(error),
        };
        if call.is_ok() {
            self.sent = Some(request);
        }
        Some(call)
    }

    /// Takes what the last [`next_call`](Self::next_call) ended with, and gives it back:
    /// after a page, the listing goes on to the next one if there is one; after an error, it
    /// is over.
    ///
    /// # Errors
    /// `outcome`'s error, as it came.
    pub fn handle(&mut self, outcome: Result<R::Page, Error>) -> Result<R::Page, Error> {
        let sent = self.sent.take();
        if let (Some(sent), Ok(page)) = (sent, &outcome) {
            let token = R::next_token(page);
            self.next = sent
                .next_page(page)
                .filter(|_| token.is_none_or(|token| self.seen.insert(token.to_owned())));
            if token.is_some() && self.next.is_none() {
                tracing::warn!(
                    "the SSO portal gave a page token it had given before: the listing stops here"
                );
            }
        }
        outcome
    }

    /// Whether the listing is over: the last page came, or an error.
    pub fn is_done(&self) -> bool {
        self.next.is_none() && self.sent.is_none()
    }
}

impl<R: fmt::Debug> fmt::Debug for PageCursor<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The requests' Debug hides the access token.
        f.debug_struct("PageCursor")
            .field("next", &self.next)
            .field("sent", &self.sent)
            .field("pages", &self.seen.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builder::{ClientBuilder, FromSettings};
    use sso_oidc::{CallAction, RetryPolicy};
    use std::time::Instant;

    struct Client(Settings);

    impl FromSettings for Client {
        const USER_AGENT: &'static str = "test/1";
        fn from_settings(settings: Settings) -> Self {
            Self(settings)
        }
    }

    fn settings(portal: bool) -> Settings {
        let mut builder = ClientBuilder::<Client>::new()
            .retry_policy(RetryPolicy::none())
            .environment(crate::Environment::from_iter([("NO_PROXY", "*")]));
        if portal {
            builder = builder.portal_endpoint(Endpoint::from_url("http://portal.test").unwrap());
        }
        builder.build().unwrap().0
    }

    fn first() -> ListAccounts {
        ListAccounts::builder()
            .access_token("aoa-secret-token")
            .max_results(1)
            .build()
            .unwrap()
    }

    /// A page of one account `id`, then `next`.
    fn page(id: &str, next: Option<&str>) -> http::Response<Vec<u8>> {
        let next = next.map_or("null".to_owned(), |next| format!("\"{next}\""));
        let body = format!(r#"{{"accountList":[{{"accountId":"{id}"}}],"nextToken":{next}}}"#);
        http::Response::new(body.into_bytes())
    }

    /// Runs the cursor to its end, the portal answering each request with the next response;
    /// the accounts listed and the URIs asked for.
    fn list(
        cursor: &mut PageCursor<ListAccounts>,
        settings: &Settings,
        responses: Vec<http::Response<Vec<u8>>>,
    ) -> (Vec<String>, Vec<String>) {
        let mut responses = responses.into_iter();
        let (mut ids, mut uris) = (Vec::new(), Vec::new());
        while let Some(call) = cursor.next_call(settings) {
            let mut call = call.unwrap();
            let now = Instant::now();
            let CallAction::Send(request) = call.poll(now) else {
                panic!("a request first")
            };
            uris.push(request.uri().to_string());
            call.handle_response(responses.next().expect("an answer"), now);
            let outcome = match call.poll(now) {
                CallAction::Done(page) => Ok(page),
                CallAction::Failed(error) => Err(Error::of_call(error, None, request.uri())),
                other => panic!("{other:?}"),
            };
            if let Ok(page) = cursor.handle(outcome) {
                ids.extend(page.accounts.into_iter().map(|a| a.account_id));
            }
        }
        assert!(cursor.is_done());
        (ids, uris)
    }

    #[test]
    fn pages_follow_the_tokens_to_the_last() {
        let settings = settings(true);
        let mut cursor = PageCursor::new(first());
        let (ids, uris) = list(
            &mut cursor,
            &settings,
            vec![page("1", Some("a")), page("2", Some("b")), page("3", None)],
        );
        assert_eq!(ids, ["1", "2", "3"]);
        assert_eq!(
            uris,
            [
                "http://portal.test/assignment/accounts?max_result=1",
                "http://portal.test/assignment/accounts?next_token=a&max_result=1",
                "http://portal.test/assignment/accounts?next_token=b&max_result=1",
            ]
        );
        assert!(!format!("{cursor:?}").contains("aoa-secret-token"));
    }

    #[test]
    fn a_token_given_twice_ends_the_listing() {
        let settings = settings(true);
        // The same token again at once (the core stops), and a longer cycle (the cursor does).
        let (ids, _) = list(
            &mut PageCursor::new(first()),
            &settings,
            vec![page("1", Some("a")), page("2", Some("a"))],
        );
        assert_eq!(ids, ["1", "2"]);
        let (ids, uris) = list(
            &mut PageCursor::new(first()),
            &settings,
            vec![
                page("1", Some("a")),
                page("2", Some("b")),
                page("3", Some("a")),
            ],
        );
        assert_eq!(ids, ["1", "2", "3"]);
        assert_eq!(uris.len(), 3);
    }

    #[test]
    fn an_error_ends_the_listing() {
        let settings = settings(true);
        let refused = http::Response::builder()
            .status(401)
            .header("x-amzn-ErrorType", "UnauthorizedException")
            .body(br#"{"message":"Session token not found or invalid"}"#.to_vec())
            .unwrap();
        let (ids, uris) = list(
            &mut PageCursor::new(first()),
            &settings,
            vec![page("1", Some("a")), refused],
        );
        assert_eq!(ids, ["1"]);
        assert_eq!(uris.len(), 2);
    }

    #[test]
    fn without_a_portal_endpoint_nothing_is_sent() {
        let settings = settings(false);
        let mut cursor = PageCursor::new(first());
        let error = cursor.next_call(&settings).unwrap().unwrap_err();
        assert!(matches!(error, Error::MissingPortalEndpoint));
        assert!(cursor.is_done());
        assert!(cursor.next_call(&settings).is_none());
    }
}
