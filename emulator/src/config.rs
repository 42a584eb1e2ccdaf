//! How the emulated service behaves: lifetimes, the poll interval, and decisions nobody has to
//! click.

use std::time::{Duration, SystemTime};

/// How the emulated service behaves. The defaults are the real service's, and nobody approves
/// anything unless a test, a person on the verification page or [`Config::auto`] does.
///
/// ```
/// use sso_oidc_emulator::Config;
/// use std::time::Duration;
///
/// let config = Config::default()
///     .with_interval(Duration::from_secs(2))
///     .with_expires_in(Duration::from_secs(30))
///     .approve_after_polls(3);
/// assert_eq!(config.interval, Duration::from_secs(2));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Config {
    /// The poll interval StartDeviceAuthorization answers (`interval`, 1 s like the service).
    /// Whole seconds go on the wire; a fraction is rounded down.
    pub interval: Duration,
    /// How long a device code lives (`expiresIn`, 600 s like the service).
    pub expires_in: Duration,
    /// How long a client secret lives (90 days like the service).
    pub client_secret_lifetime: Duration,
    /// How long an access token lives (`expiresIn` of CreateToken, 8 hours like the service).
    pub access_token_lifetime: Duration,
    /// Whether CreateToken issues refresh tokens.
    pub refresh_tokens: bool,
    /// A decision taken for every device authorization without anyone clicking.
    pub auto: Option<AutoDecision>,
    /// How long an authorization code from `GET /authorize` can be exchanged (5 minutes).
    pub authorization_code_lifetime: Duration,
    /// A decision taken for every authorization request (`GET /authorize`) without anyone
    /// clicking; the emulator then follows the redirect itself, as a browser would.
    pub auto_authorization: Option<AutoAuthorization>,
    /// Seed for codes, tokens and request ids; the same seed and the same requests give the
    /// same values.
    pub seed: u64,
    /// A wall-clock time that stands still: when set, a server ([`Emulator`],
    /// [`BlockingEmulator`], the binary's `--fixed-time`) tells the service this time instead
    /// of `SystemTime::now()`, so `clientIdIssuedAt` and `clientSecretExpiresAt` (and whether a
    /// client secret has expired) are the same on every run. `None`, the default, reads the
    /// clock. Only wall-clock time stands still: intervals, device code expiry and delays still
    /// follow the monotonic clock. [`Service`] itself reads no clock and ignores this: its
    /// caller passes the time.
    ///
    /// [`Emulator`]: crate::Emulator
    /// [`BlockingEmulator`]: crate::BlockingEmulator
    /// [`Service`]: crate::Service
    pub fixed_wall_clock: Option<SystemTime>,
    /// The SSO portal's accounts and the roles the signed-in user has in each: what
    /// ListAccounts and ListAccountRoles list and GetRoleCredentials issues credentials for,
    /// in this order. Every access token the emulator issued may use all of them. The
    /// default: `111122223333` (`ReadOnly`, `Admin`) and `444455556666` (`ReadOnly`).
    pub portal_accounts: Vec<PortalAccount>,
    /// How long the portal's role credentials live (`expiration` of GetRoleCredentials,
    /// 1 hour like a permission set's default session), counted on the wall clock the service
    /// is told.
    pub role_credentials_lifetime: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(1),
            expires_in: Duration::from_secs(600),
            client_secret_lifetime: Duration::from_secs(90 * 86_400),
            access_token_lifetime: Duration::from_secs(8 * 3600),
            refresh_tokens: true,
            auto: None,
            authorization_code_lifetime: Duration::from_secs(300),
            auto_authorization: None,
            seed: 0x5eed,
            fixed_wall_clock: None,
            portal_accounts: vec![
                PortalAccount::new("111122223333", "Development", "dev@example.com")
                    .with_roles(["ReadOnly", "Admin"]),
                PortalAccount::new("444455556666", "Production", "prod@example.com")
                    .with_roles(["ReadOnly"]),
            ],
            role_credentials_lifetime: Duration::from_secs(3600),
        }
    }
}

impl Config {
    /// Sets [`Config::interval`].
    #[must_use]
    pub fn with_interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// Sets [`Config::expires_in`].
    #[must_use]
    pub fn with_expires_in(mut self, expires_in: Duration) -> Self {
        self.expires_in = expires_in;
        self
    }

    /// Sets [`Config::client_secret_lifetime`].
    #[must_use]
    pub fn with_client_secret_lifetime(mut self, lifetime: Duration) -> Self {
        self.client_secret_lifetime = lifetime;
        self
    }

    /// Sets [`Config::access_token_lifetime`].
    #[must_use]
    pub fn with_access_token_lifetime(mut self, lifetime: Duration) -> Self {
        self.access_token_lifetime = lifetime;
        self
    }

    /// Sets [`Config::refresh_tokens`].
    #[must_use]
    pub fn with_refresh_tokens(mut self, issue: bool) -> Self {
        self.refresh_tokens = issue;
        self
    }

    /// Sets [`Config::seed`].
    #[must_use]
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Freezes the wall clock a server tells the service at `time`: see
    /// [`Config::fixed_wall_clock`].
    ///
    /// ```
    /// use sso_oidc_emulator::Config;
    /// use std::time::{Duration, UNIX_EPOCH};
    ///
    /// let new_year = UNIX_EPOCH + Duration::from_secs(1_767_225_600);
    /// let config = Config::default().with_fixed_wall_clock(new_year);
    /// assert_eq!(config.wall_clock(), new_year);
    /// ```
    #[must_use]
    pub fn with_fixed_wall_clock(mut self, time: SystemTime) -> Self {
        self.fixed_wall_clock = Some(time);
        self
    }

    /// The wall-clock time a server tells the service now: [`Config::fixed_wall_clock`] if
    /// set, else `SystemTime::now()`.
    pub fn wall_clock(&self) -> SystemTime {
        self.fixed_wall_clock.unwrap_or_else(SystemTime::now)
    }

    /// Sets [`Config::portal_accounts`].
    ///
    /// ```
    /// use sso_oidc_emulator::{Config, PortalAccount};
    ///
    /// let config = Config::default().with_portal_accounts([
    ///     PortalAccount::new("123456789012", "Sandbox", "sandbox@example.com")
    ///         .with_roles(["Developer"]),
    /// ]);
    /// assert_eq!(config.portal_accounts[0].roles, ["Developer"]);
    /// ```
    #[must_use]
    pub fn with_portal_accounts(
        mut self,
        accounts: impl IntoIterator<Item = PortalAccount>,
    ) -> Self {
        self.portal_accounts = accounts.into_iter().collect();
        self
    }

    /// Sets [`Config::role_credentials_lifetime`].
    #[must_use]
    pub fn with_role_credentials_lifetime(mut self, lifetime: Duration) -> Self {
        self.role_credentials_lifetime = lifetime;
        self
    }

    /// Sets [`Config::auto`].
    #[must_use]
    pub fn with_auto(mut self, auto: Option<AutoDecision>) -> Self {
        self.auto = auto;
        self
    }

    /// Approves every device authorization once `polls` polls have been answered
    /// `authorization_pending`: poll `polls + 1` gets the token.
    #[must_use]
    pub fn approve_after_polls(self, polls: u32) -> Self {
        self.with_auto(Some(AutoDecision::new(
            Decision::Approve,
            After::Polls(polls),
        )))
    }

    /// Approves every device authorization `time` after it started; the first poll from then
    /// on gets the token.
    #[must_use]
    pub fn approve_after(self, time: Duration) -> Self {
        self.with_auto(Some(AutoDecision::new(
            Decision::Approve,
            After::Time(time),
        )))
    }

    /// Denies every device authorization once `polls` polls have been answered
    /// `authorization_pending`: poll `polls + 1` gets `access_denied`.
    #[must_use]
    pub fn deny_after_polls(self, polls: u32) -> Self {
        self.with_auto(Some(AutoDecision::new(Decision::Deny, After::Polls(polls))))
    }

    /// Denies every device authorization `time` after it started.
    #[must_use]
    pub fn deny_after(self, time: Duration) -> Self {
        self.with_auto(Some(AutoDecision::new(Decision::Deny, After::Time(time))))
    }

    /// Sets [`Config::authorization_code_lifetime`].
    #[must_use]
    pub fn with_authorization_code_lifetime(mut self, lifetime: Duration) -> Self {
        self.authorization_code_lifetime = lifetime;
        self
    }

    /// Sets [`Config::auto_authorization`].
    #[must_use]
    pub fn with_auto_authorization(mut self, auto: Option<AutoAuthorization>) -> Self {
        self.auto_authorization = auto;
        self
    }

    /// Approves every good authorization request (`GET /authorize`) at once: instead of the
    /// approval page, the emulator itself sends the GET a browser would send to the
    /// client's loopback `redirect_uri`, with `code` and `state`, then answers with a short
    /// page. A program that only opens the URL signs in without a browser.
    ///
    /// ```
    /// use sso_oidc_emulator::{AutoAuthorization, Config, Decision};
    /// use std::time::Duration;
    ///
    /// let config = Config::default().approve_authorizations();
    /// assert_eq!(
    ///     config.auto_authorization,
    ///     Some(AutoAuthorization::new(Decision::Approve, Duration::ZERO))
    /// );
    /// ```
    #[must_use]
    pub fn approve_authorizations(self) -> Self {
        self.approve_authorizations_after(Duration::ZERO)
    }

    /// As [`Config::approve_authorizations`], the redirect followed `delay` after the
    /// request (keep it under [`Config::authorization_code_lifetime`]).
    #[must_use]
    pub fn approve_authorizations_after(self, delay: Duration) -> Self {
        self.with_auto_authorization(Some(AutoAuthorization::new(Decision::Approve, delay)))
    }

    /// Denies every good authorization request at once: the emulator follows the redirect
    /// with `error=access_denied` and `state`, as [`Config::approve_authorizations`] does
    /// with a code.
    #[must_use]
    pub fn deny_authorizations(self) -> Self {
        self.with_auto_authorization(Some(AutoAuthorization::new(Decision::Deny, Duration::ZERO)))
    }
}

/// An AWS account the SSO portal lists, and the roles (permission sets) the signed-in user
/// has in it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct PortalAccount {
    /// `accountId`, e.g. `111122223333`.
    pub account_id: String,
    /// `accountName`.
    pub account_name: String,
    /// `emailAddress`.
    pub email_address: String,
    /// The role names, in the order ListAccountRoles lists them.
    pub roles: Vec<String>,
}

impl PortalAccount {
    /// An account without roles.
    pub fn new(
        account_id: impl Into<String>,
        account_name: impl Into<String>,
        email_address: impl Into<String>,
    ) -> Self {
        Self {
            account_id: account_id.into(),
            account_name: account_name.into(),
            email_address: email_address.into(),
            roles: Vec::new(),
        }
    }

    /// Sets [`PortalAccount::roles`].
    #[must_use]
    pub fn with_roles<S: Into<String>>(mut self, roles: impl IntoIterator<Item = S>) -> Self {
        self.roles = roles.into_iter().map(Into::into).collect();
        self
    }
}

/// What a person on the verification page decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Decision {
    /// Allow access: the next poll gets a token.
    Approve,
    /// Deny access: every later poll gets `access_denied`.
    Deny,
}

/// When an [`AutoDecision`] is taken, counted per device authorization.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum After {
    /// After this many polls were answered `authorization_pending`.
    Polls(u32),
    /// This long after StartDeviceAuthorization.
    Time(Duration),
}

/// A decision the emulator takes by itself for each device authorization that is still
/// pending, as if a person had clicked. It is taken when a poll arrives, so a client sees it
/// on the first poll at or after the moment. A decision made by hand first wins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct AutoDecision {
    /// Approve or deny.
    pub decision: Decision,
    /// When.
    pub after: After,
}

impl AutoDecision {
    /// `decision`, taken `after`.
    pub const fn new(decision: Decision, after: After) -> Self {
        Self { decision, after }
    }

    /// Whether it is due for an authorization that started `elapsed` ago and has had `polls`
    /// polls answered so far (this one not counted).
    pub(crate) fn is_due(self, elapsed: Duration, polls: u32) -> bool {
        match self.after {
            After::Polls(n) => polls >= n,
            After::Time(t) => elapsed >= t,
        }
    }
}

/// A decision the emulator takes by itself for each good authorization request
/// (`GET /authorize`), in place of a person on the approval page: it follows the redirect
/// to the client's loopback `redirect_uri` itself, `after` the request, as a browser would.
/// Requests with a bad client or redirect URI still get their error page, and others their
/// error redirect, followed the same way.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct AutoAuthorization {
    /// Approve (a redirect with `code`) or deny (with `error=access_denied`).
    pub decision: Decision,
    /// How long after the request the redirect is followed.
    pub after: Duration,
}

impl AutoAuthorization {
    /// `decision`, its redirect followed `after` the request.
    pub const fn new(decision: Decision, after: Duration) -> Self {
        Self { decision, after }
    }
}
