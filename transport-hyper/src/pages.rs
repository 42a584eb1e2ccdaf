//! A portal listing a page at a time, in async code: the shared [`PageCursor`] decides, this
//! file runs each page's call.

use std::fmt;

use sso_oidc_transport::{Error, PageCursor, Paginated};

use crate::client::Client;

/// The pages of a portal listing (`ListAccounts` or `ListAccountRoles`), each fetched when
/// asked for with [`next`](Self::next): one retried [`Call`](sso_oidc::Call) per page,
/// following the portal's next-page tokens until the last page. An error is the last item. A
/// token the portal gave before ends the listing (with a warning logged) instead of listing
/// the same things forever.
///
/// Made by [`Client::list_accounts_pages`] and [`Client::list_account_roles_pages`]; the
/// blocking transport's `Pages` has the same methods, as an [`Iterator`]. Dropping a `next`
/// future abandons its page; the next call of `next` then gives `None`.
#[must_use = "pages are fetched only when asked for with `next`"]
pub struct Pages<R> {
    client: Client,
    cursor: PageCursor<R>,
}

impl<R: Paginated> Pages<R> {
    pub(crate) fn new(client: Client, cursor: PageCursor<R>) -> Self {
        Self { client, cursor }
    }

    /// The next page, or `None` after the last page or an error.
    ///
    /// # Errors
    /// The page's error, as the operation (`list_accounts`, `list_account_roles`) fails; the
    /// listing is then over.
    pub async fn next(&mut self) -> Option<Result<R::Page, Error>> {
        let call = self.cursor.next_call(self.client.settings())?;
        let outcome = match call {
            Ok(call) => self.client.call(call).await,
            Err(error) => Err(error),
        };
        Some(self.cursor.handle(outcome))
    }

    /// Every item of every page that is left, in order.
    ///
    /// ```
    /// use sso_oidc_hyper::Client;
    /// use sso_oidc_hyper::sso_oidc::portal::{self, ListAccounts};
    /// # use sso_oidc_hyper::sso_oidc::{DeviceFlowConfig, Endpoint};
    /// # use sso_oidc_emulator::{Config, Emulator};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let service = Emulator::start(Config::default().approve_after_polls(0)).await?;
    /// # let config = DeviceFlowConfig::builder()
    /// #     .endpoint(Endpoint::from_url(service.url())?)
    /// #     .start_url("https://d-1234567890.awsapps.com/start")
    /// #     .build()?;
    /// let client = Client::builder()
    ///     .portal_endpoint(portal::Endpoint::from_url(service.url())?)
    ///     .build()?;
    /// let token = client.device_login(config, |_| {}).await?.token.access_token;
    ///
    /// let first = ListAccounts::builder().access_token(token).max_results(1).build()?;
    /// let mut pages = client.list_accounts_pages(&first);
    /// let page = pages.next().await.expect("a first page")?;
    /// assert_eq!(page.accounts[0].account_id, "111122223333");
    /// let rest = pages.items().await?;
    /// assert_eq!(rest[0].account_id, "444455556666");
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// The first failed page's error.
    pub async fn items(mut self) -> Result<Vec<R::Item>, Error> {
        let mut items = Vec::new();
        while let Some(page) = self.next().await {
            items.extend(R::into_items(page?));
        }
        Ok(items)
    }
}

impl<R: fmt::Debug> fmt::Debug for Pages<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("cursor", &self.cursor)
            .finish_non_exhaustive()
    }
}
