//! The SSO portal's four operations, each a retried [`Call`](sso_oidc::Call) at the client's
//! portal endpoint, and its listings a page at a time.

use sso_oidc::portal::{
    AccountInfo, AccountRoles, Accounts, GetRoleCredentials, ListAccountRoles, ListAccounts,
    Logout, RoleCredentials, RoleInfo,
};
use sso_oidc_transport::{Error, PageCursor};

use crate::client::Client;
use crate::pages::Pages;

impl Client {
    /// The short-term AWS credentials of one role in one account (`GetRoleCredentials`) at the
    /// client's [portal endpoint](crate::ClientBuilder::portal_endpoint), for the access token
    /// of a sign-in; retried on a transient failure (throttling, 5xx, a connection that
    /// failed) as the client's [retry policy](crate::ClientBuilder::retry_policy) allows, as
    /// are the other portal operations.
    ///
    /// ```
    /// use sso_oidc_ureq::Client;
    /// use sso_oidc_ureq::sso_oidc::portal::{self, GetRoleCredentials};
    /// use sso_oidc_ureq::sso_oidc::{DeviceFlowConfig, Endpoint};
    /// use sso_oidc_emulator::{BlockingEmulator, Config};
    ///
    /// // The emulator serves SSO OIDC and the portal on one port.
    /// let service = BlockingEmulator::start(Config::default().approve_after_polls(0))?;
    /// let client = Client::builder()
    ///     .portal_endpoint(portal::Endpoint::from_url(service.url())?)
    ///     .build()?;
    /// let config = DeviceFlowConfig::builder()
    ///     .endpoint(Endpoint::from_url(service.url())?)
    ///     .start_url("https://d-1234567890.awsapps.com/start")
    ///     .build()?;
    /// let login = client.device_login(config, |_| {})?;
    ///
    /// let request = GetRoleCredentials::builder()
    ///     .account_id("111122223333")
    ///     .role_name("ReadOnly")
    ///     .access_token(login.token.access_token.clone())
    ///     .build()?;
    /// let credentials = client.get_role_credentials(&request)?;
    /// assert!(credentials.access_key_id.starts_with("ASIA"));
    /// assert_eq!(format!("{:?}", credentials.secret_access_key), "Secret(<redacted>)");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::MissingPortalEndpoint`] when the client has no portal endpoint (nothing is
    /// sent); [`Error::Transport`] when the last attempt got no usable response; [`Error::Api`]
    /// with the portal's refusal, whose [`portal_code`](Error::portal_code) is
    /// `Unauthorized` (401) for a token the portal does not know, has expired or was logged
    /// out, or an answer that could not be understood. Each says how many attempts were made.
    pub fn get_role_credentials(
        &self,
        request: &GetRoleCredentials,
    ) -> Result<RoleCredentials, Error> {
        let endpoint = self.settings().required_portal_endpoint()?;
        self.call(
            self.settings()
                .call_for(request.to_http(endpoint), GetRoleCredentials::parse),
        )
    }

    /// One page of the accounts assigned to the signed-in user (`ListAccounts`), retried as
    /// [`get_role_credentials`](Self::get_role_credentials) is. Its
    /// [`next_page`](ListAccounts::next_page) is the request for the next page;
    /// [`list_accounts_pages`](Self::list_accounts_pages) and
    /// [`list_accounts_all`](Self::list_accounts_all) follow them all.
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
    /// let page = client.list_accounts(&first)?;
    /// assert_eq!(page.accounts[0].account_id, "111122223333");
    /// let second = first.next_page(&page).expect("the emulator has two accounts");
    /// let last = client.list_accounts(&second)?;
    /// assert_eq!(last.accounts[0].account_id, "444455556666");
    /// assert!(second.next_page(&last).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// As [`get_role_credentials`](Self::get_role_credentials).
    pub fn list_accounts(&self, request: &ListAccounts) -> Result<Accounts, Error> {
        let endpoint = self.settings().required_portal_endpoint()?;
        self.call(
            self.settings()
                .call_for(request.to_http(endpoint), ListAccounts::parse),
        )
    }

    /// One page of the roles the signed-in user may take in an account (`ListAccountRoles`),
    /// retried as [`get_role_credentials`](Self::get_role_credentials) is;
    /// [`list_account_roles_pages`](Self::list_account_roles_pages) and
    /// [`list_account_roles_all`](Self::list_account_roles_all) follow every page.
    ///
    /// ```
    /// use sso_oidc_ureq::Client;
    /// use sso_oidc_ureq::sso_oidc::portal::{self, ErrorCode, ListAccountRoles};
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
    /// let request = ListAccountRoles::builder()
    ///     .access_token(token.clone())
    ///     .account_id("111122223333")
    ///     .build()?;
    /// let roles = client.list_account_roles(&request)?.roles;
    /// assert_eq!(roles[0].role_name, "ReadOnly");
    ///
    /// let unknown = ListAccountRoles::builder().access_token(token).account_id("999999999999").build()?;
    /// let error = client.list_account_roles(&unknown).unwrap_err();
    /// assert_eq!(error.portal_code(), Some(ErrorCode::ResourceNotFound));
    /// assert_eq!(error.status(), Some(http::StatusCode::NOT_FOUND));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// As [`get_role_credentials`](Self::get_role_credentials); an account the user is not
    /// assigned is `ResourceNotFound` (404).
    pub fn list_account_roles(&self, request: &ListAccountRoles) -> Result<AccountRoles, Error> {
        let endpoint = self.settings().required_portal_endpoint()?;
        self.call(
            self.settings()
                .call_for(request.to_http(endpoint), ListAccountRoles::parse),
        )
    }

    /// Ends the sign-in session at the portal (`Logout`): its access token, and every token
    /// refreshed from it, stop working. Role credentials already issued run until they
    /// expire. Retried as [`get_role_credentials`](Self::get_role_credentials) is.
    ///
    /// ```
    /// use sso_oidc_ureq::Client;
    /// use sso_oidc_ureq::sso_oidc::portal::{self, ErrorCode, ListAccounts, Logout};
    /// use sso_oidc_ureq::sso_oidc::{DeviceFlowConfig, Endpoint};
    /// use sso_oidc_emulator::{BlockingEmulator, Config};
    ///
    /// let service = BlockingEmulator::start(Config::default().approve_after_polls(0))?;
    /// let client = Client::builder()
    ///     .portal_endpoint(portal::Endpoint::from_url(service.url())?)
    ///     .build()?;
    /// let config = DeviceFlowConfig::builder()
    ///     .endpoint(Endpoint::from_url(service.url())?)
    ///     .start_url("https://d-1234567890.awsapps.com/start")
    ///     .build()?;
    /// let token = client.device_login(config, |_| {})?.token.access_token;
    ///
    /// client.logout(&Logout::builder().access_token(token.clone()).build()?)?;
    /// let list = ListAccounts::builder().access_token(token).build()?;
    /// let refused = client.list_accounts(&list).unwrap_err();
    /// assert_eq!(refused.portal_code(), Some(ErrorCode::Unauthorized));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// As [`get_role_credentials`](Self::get_role_credentials): a token already logged out is
    /// `Unauthorized`.
    pub fn logout(&self, request: &Logout) -> Result<(), Error> {
        let endpoint = self.settings().required_portal_endpoint()?;
        self.call(
            self.settings()
                .call_for(request.to_http(endpoint), Logout::parse),
        )
    }

    /// The pages of `ListAccounts`, from `first` on, each fetched when the iterator is asked
    /// for it (one retried call per page) until the last page or an error.
    ///
    /// ```
    /// use sso_oidc_ureq::Client;
    /// use sso_oidc_ureq::sso_oidc::portal::{self, ListAccounts};
    /// use sso_oidc_ureq::sso_oidc::{DeviceFlowConfig, Endpoint};
    /// use sso_oidc_emulator::{BlockingEmulator, Config, PortalAccount};
    ///
    /// let accounts = (1..=5).map(|i| PortalAccount::new(format!("00000000000{i}"), "dev", "a@example.com"));
    /// let config = Config::default().approve_after_polls(0).with_portal_accounts(accounts);
    /// let service = BlockingEmulator::start(config)?;
    /// let client = Client::builder()
    ///     .portal_endpoint(portal::Endpoint::from_url(service.url())?)
    ///     .build()?;
    /// let config = DeviceFlowConfig::builder()
    ///     .endpoint(Endpoint::from_url(service.url())?)
    ///     .start_url("https://d-1234567890.awsapps.com/start")
    ///     .build()?;
    /// let token = client.device_login(config, |_| {})?.token.access_token;
    ///
    /// let first = ListAccounts::builder().access_token(token).max_results(2).build()?;
    /// let sizes = client
    ///     .list_accounts_pages(&first)
    ///     .map(|page| page.map(|page| page.accounts.len()))
    ///     .collect::<Result<Vec<_>, _>>()?;
    /// assert_eq!(sizes, [2, 2, 1]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn list_accounts_pages(&self, first: &ListAccounts) -> Pages<ListAccounts> {
        Pages::new(self.clone(), PageCursor::new(first.clone()))
    }

    /// Every account of every page of `ListAccounts`, from `first` on, in the portal's order.
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
    /// let accounts = client.list_accounts_all(&first)?;
    /// let ids: Vec<_> = accounts.iter().map(|a| a.account_id.as_str()).collect();
    /// assert_eq!(ids, ["111122223333", "444455556666"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// The first failed page's error, as [`list_accounts`](Self::list_accounts).
    pub fn list_accounts_all(&self, first: &ListAccounts) -> Result<Vec<AccountInfo>, Error> {
        self.list_accounts_pages(first).items()
    }

    /// The pages of `ListAccountRoles`, from `first` on, as
    /// [`list_accounts_pages`](Self::list_accounts_pages).
    ///
    /// ```
    /// use sso_oidc_ureq::Client;
    /// use sso_oidc_ureq::sso_oidc::portal::{self, ListAccountRoles};
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
    /// let first = ListAccountRoles::builder()
    ///     .access_token(token)
    ///     .account_id("111122223333")
    ///     .max_results(1)
    ///     .build()?;
    /// let pages = client.list_account_roles_pages(&first).collect::<Result<Vec<_>, _>>()?;
    /// assert_eq!(pages.len(), 2, "ReadOnly, then Admin");
    /// assert_eq!(pages[1].roles[0].role_name, "Admin");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn list_account_roles_pages(&self, first: &ListAccountRoles) -> Pages<ListAccountRoles> {
        Pages::new(self.clone(), PageCursor::new(first.clone()))
    }

    /// Every role of every page of `ListAccountRoles`, from `first` on, in the portal's order.
    ///
    /// ```
    /// use sso_oidc_ureq::Client;
    /// use sso_oidc_ureq::sso_oidc::portal::{self, ListAccountRoles};
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
    /// let first = ListAccountRoles::builder()
    ///     .access_token(token)
    ///     .account_id("111122223333")
    ///     .max_results(1)
    ///     .build()?;
    /// let roles = client.list_account_roles_all(&first)?;
    /// let names: Vec<_> = roles.iter().map(|r| r.role_name.as_str()).collect();
    /// assert_eq!(names, ["ReadOnly", "Admin"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// The first failed page's error, as [`list_account_roles`](Self::list_account_roles).
    pub fn list_account_roles_all(&self, first: &ListAccountRoles) -> Result<Vec<RoleInfo>, Error> {
        self.list_account_roles_pages(first).items()
    }
}
