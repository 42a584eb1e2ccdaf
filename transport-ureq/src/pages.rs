//! A portal listing as an iterator of pages: the shared [`PageCursor`] decides, this file runs
//! each page's call.

use std::fmt;
use std::iter::FusedIterator;

use sso_oidc_transport::{Error, PageCursor, Paginated};

use crate::client::Client;

/// The pages of a portal listing (`ListAccounts` or `ListAccountRoles`), each fetched when
/// asked for: one retried [`Call`](sso_oidc::Call) per page, following the portal's next-page
/// tokens until the last page. An error is the last item. A token the portal gave before
/// ends the listing (with a warning logged) instead of listing the same things forever.
///
/// Made by [`Client::list_accounts_pages`] and [`Client::list_account_roles_pages`]; the
/// async transport's `Pages` has the same methods, with `next` async.
#[must_use = "an iterator fetches nothing until asked for its pages"]
pub struct Pages<R> {
    client: Client,
    cursor: PageCursor<R>,
}

impl<R: Paginated> Pages<R> {
    pub(crate) fn new(client: Client, cursor: PageCursor<R>) -> Self {
        Self { client, cursor }
    }

    /// Every item of every page that is left, in order.
    ///
    /// ```
    /// use sso_oidc_ureq::Client;
    /// use sso_oidc_ureq::sso_oidc::portal::{self, ListAccounts};
    /// # use sso_oidc_ureq::sso_oidc::{DeviceFlowConfig, Endpoint};
    /// # use sso_oidc_emulator::{BlockingEmulator, Config};
    /// # let service = BlockingEmulator::start(Config::default().approve_after_polls(0))?;
    /// # let config = DeviceFlowConfig::builder()
    /// #     .endpoint(Endpoint::from_url(service.url())?)
    /// #     .start_url("https://d-1234567890.awsapps.com/start")
    /// #     .build()?;
    /// let client = Client::builder()
    ///     .portal_endpoint(portal::Endpoint::from_url(service.url())?)
    ///     .build()?;
    /// let token = client.device_login(config, |_| {})?.token.access_token;
    ///
    /// let first = ListAccounts::builder().access_token(token).max_results(1).build()?;
    /// let mut pages = client.list_accounts_pages(&first);
    /// let page = pages.next().expect("a first page")?;
    /// assert_eq!(page.accounts[0].account_id, "111122223333");
    /// let rest = pages.items()?;
    /// assert_eq!(rest[0].account_id, "444455556666");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// The first failed page's error.
    pub fn items(self) -> Result<Vec<R::Item>, Error> {
        let mut items = Vec::new();
        for page in self {
            items.extend(R::into_items(page?));
        }
        Ok(items)
    }
}

impl<R: Paginated> Iterator for Pages<R> {
    type Item = Result<R::Page, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let call = self.cursor.next_call(self.client.settings())?;
        Some(
            self.cursor
                .handle(call.and_then(|call| self.client.call(call))),
        )
    }
}

impl<R: Paginated> FusedIterator for Pages<R> {}

impl<R: fmt::Debug> fmt::Debug for Pages<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("cursor", &self.cursor)
            .finish_non_exhaustive()
    }
}
