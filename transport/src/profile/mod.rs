//! A profile's role credentials, as botocore's SSO credential provider gets them: from the AWS
//! CLI's credential cache while they last, else with the cached token (refreshed first when
//! due) from the portal's `GetRoleCredentials`, then cached for the next caller.
//!
//! This is the file side, written once for both transports: resolving the profile
//! ([`ProfileCredentials`]), the caches and their locks ([`ProfileCredentials::begin`]), and
//! writing back what the core's [`RoleCredentialsFlow`] hands out ([`Fetch`]). Each transport
//! keeps only the loop that sends and waits (`Client::profile_credentials`).
//!
//! Concurrent callers, threads or processes, share one refresh and one `GetRoleCredentials`:
//! the first takes the lock of the credential file (then the token file's), and the others,
//! waiting on it, find the credentials it cached. The lock is advisory, on a sidecar
//! `<file>.lock`; the AWS CLI does not take it.

mod error;
mod paths;

pub use error::ProfileCredentialsError;
pub use paths::AwsPaths;

use std::fmt;
use std::time::{Instant, SystemTime};

use sso_oidc::config::{ConfigFile, Service, SsoProfile};
use sso_oidc::portal;
use sso_oidc::{
    CacheDir, CacheLock, CachedRoleCredentials, CallError, Endpoint, RetryPolicy,
    RoleCredentialsAction, RoleCredentialsConfig, RoleCredentialsFlow, role_credentials_file_name,
};

use crate::env::Environment;
use crate::error::TransportError;

/// Everything needed to get one profile's role credentials: the profile resolved from the
/// config file, its endpoints and the two cache folders. Made once, used for every call.
///
/// ```
/// use sso_oidc_transport::{Environment, ProfileCredentials};
///
/// let folder = std::env::temp_dir().join(format!("profile-doc-{}", std::process::id()));
/// std::fs::create_dir_all(folder.join(".aws"))?;
/// std::fs::write(
///     folder.join(".aws/config"),
///     "[profile dev]\nsso_session = my-sso\nsso_account_id = 111122223333\n\
///      sso_role_name = ReadOnly\n[sso-session my-sso]\n\
///      sso_start_url = https://d-1234567890.awsapps.com/start\nsso_region = eu-west-1\n",
/// )?;
/// let env = Environment::from_iter([("HOME", folder.to_str().unwrap())]);
/// let dev = ProfileCredentials::load(Some("dev"), &env)?;
/// assert_eq!(dev.account_id(), "111122223333");
/// assert_eq!(dev.portal_endpoint().url(), "https://portal.sso.eu-west-1.amazonaws.com");
/// // Nobody signed in: the error names the command that does.
/// let error = dev.begin(std::time::SystemTime::now(), std::time::Instant::now(), Default::default(), 1)
///     .unwrap_err();
/// assert_eq!(error.login_command().as_deref(), Some("sso-oidc login --profile dev"));
/// # std::fs::remove_dir_all(&folder)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct ProfileCredentials {
    profile: SsoProfile,
    account_id: String,
    role_name: String,
    oidc_endpoint: Endpoint,
    portal_endpoint: portal::Endpoint,
    tokens: CacheDir,
    credentials: CacheDir,
}

impl ProfileCredentials {
    /// Resolves `profile` (else `AWS_PROFILE`, `AWS_DEFAULT_PROFILE`, `default`) from the
    /// config file the environment names, with the endpoints and caches it gives (see
    /// [`AwsPaths`] and [`ConfigFile::endpoint_settings`]).
    ///
    /// # Errors
    /// No home folder; a config file that cannot be read or parsed; a profile that is missing
    /// or lacks its sign-in, account or role; an endpoint that cannot be resolved.
    pub fn load(profile: Option<&str>, env: &Environment) -> Result<Self, ProfileCredentialsError> {
        let paths = AwsPaths::from_environment(env)?;
        let config = ConfigFile::load(&paths.config_file)?;
        let name = profile
            .or_else(|| env.get("AWS_PROFILE"))
            .or_else(|| env.get("AWS_DEFAULT_PROFILE"))
            .unwrap_or("default");
        Self::resolve(&config, name, env, &paths)
    }

    /// Resolves profile `name` of a config file already read, with the endpoints the file and
    /// `env` give and the caches of `paths`.
    ///
    /// # Errors
    /// As [`load`](Self::load), but for reading the file.
    pub fn resolve(
        config: &ConfigFile,
        name: &str,
        env: &Environment,
        paths: &AwsPaths,
    ) -> Result<Self, ProfileCredentialsError> {
        let profile = config.sso_profile(name)?;
        let role = profile.role()?;
        let (account_id, role_name) = (role.account_id.to_owned(), role.role_name.to_owned());
        let endpoints =
            config.endpoint_settings(name, |variable| env.get(variable).map(str::to_owned));
        let region = profile.sign_in.sso_region();
        let oidc_endpoint =
            endpoints
                .oidc_in(region)
                .map_err(|error| ProfileCredentialsError::Endpoint {
                    service: Service::SsoOidc,
                    error,
                })?;
        let portal_endpoint =
            endpoints
                .portal_in(region)
                .map_err(|error| ProfileCredentialsError::Endpoint {
                    service: Service::Portal,
                    error,
                })?;
        Ok(Self {
            account_id,
            role_name,
            oidc_endpoint,
            portal_endpoint,
            tokens: CacheDir::new(&paths.token_cache),
            credentials: CacheDir::new(&paths.credential_cache),
            profile,
        })
    }

    /// The profile, as resolved.
    pub fn profile(&self) -> &SsoProfile {
        &self.profile
    }

    /// The AWS account the credentials are for.
    pub fn account_id(&self) -> &str {
        &self.account_id
    }

    /// The role the credentials are for.
    pub fn role_name(&self) -> &str {
        &self.role_name
    }

    /// Where a refresh of the token goes.
    pub fn oidc_endpoint(&self) -> &Endpoint {
        &self.oidc_endpoint
    }

    /// Where `GetRoleCredentials` goes.
    pub fn portal_endpoint(&self) -> &portal::Endpoint {
        &self.portal_endpoint
    }

    /// The name of the credential cache file, as the AWS CLI names it.
    pub fn credentials_file_name(&self) -> String {
        let sign_in = &self.profile.sign_in;
        role_credentials_file_name(
            &self.account_id,
            &self.role_name,
            sign_in.session_name(),
            sign_in.start_url(),
        )
    }

    /// The cached credentials, if they last at least 15 more minutes at `now`
    /// ([`CachedRoleCredentials::is_fresh`]), read without taking the lock: the cache is
    /// written atomically, so a reader sees a whole record or none.
    ///
    /// # Errors
    /// A cache file that cannot be read, or that does not hold credentials.
    pub fn cached(
        &self,
        now: SystemTime,
    ) -> Result<Option<CachedRoleCredentials>, ProfileCredentialsError> {
        Ok(self
            .credentials
            .read_role_credentials(&self.credentials_file_name())?
            .filter(|credentials| credentials.is_fresh(now)))
    }

    /// Starts getting the credentials at wall-clock time `wall` and monotonic time `now`: the
    /// cached ones if fresh; else, holding the credential file's lock (and then the token
    /// file's), the cached ones if another caller has just fetched them, else a [`Fetch`] to
    /// run with the cached token. This blocks while another caller holds a lock.
    ///
    /// # Errors
    /// No cached token ([`ProfileCredentialsError::NotSignedIn`]); a cache that cannot be
    /// read or locked.
    pub fn begin(
        &self,
        wall: SystemTime,
        now: Instant,
        retry: RetryPolicy,
        jitter_seed: u64,
    ) -> Result<Begin, ProfileCredentialsError> {
        if let Some(credentials) = self.cached(wall)? {
            return Ok(Begin::Cached(credentials));
        }
        let key = self.profile.sign_in.cache_key();
        // Look before locking: a lock creates the folder, which nobody who never signed in
        // should find made for them.
        if self.tokens.read_token(key)?.is_none() {
            return Err(self.not_signed_in());
        }
        let file_name = self.credentials_file_name();
        let credentials_lock = self.credentials.lock(&file_name)?;
        if let Some(credentials) = self.cached(wall)? {
            return Ok(Begin::Cached(credentials));
        }
        let token_lock = self.tokens.lock(&self.profile.sign_in.token_file_name())?;
        let token = self
            .tokens
            .read_token(key)?
            .ok_or_else(|| self.not_signed_in())?;
        let config = RoleCredentialsConfig::builder()
            .oidc_endpoint(self.oidc_endpoint.clone())
            .portal_endpoint(self.portal_endpoint.clone())
            .account_id(&self.account_id)
            .role_name(&self.role_name)
            .retry_policy(retry)
            .jitter_seed(jitter_seed)
            .build()
            .map_err(|error| ProfileCredentialsError::Endpoint {
                service: Service::Portal,
                error,
            })?;
        Ok(Begin::Fetch(Box::new(Fetch {
            flow: RoleCredentialsFlow::new(config, token, now, wall),
            profile: self.clone(),
            file_name,
            last_transport_error: None,
            _locks: (credentials_lock, token_lock),
        })))
    }

    fn not_signed_in(&self) -> ProfileCredentialsError {
        ProfileCredentialsError::NotSignedIn {
            profile: self.profile.name.clone(),
        }
    }
}

/// How [`ProfileCredentials::begin`] started.
#[derive(Debug)]
pub enum Begin {
    /// Fresh credentials from the cache: nothing to send.
    Cached(CachedRoleCredentials),
    /// Credentials to get from the portal: run the [`Fetch`].
    Fetch(Box<Fetch>),
}

/// Getting a profile's credentials with its cached token, holding the cache locks until it is
/// dropped: the core's [`RoleCredentialsFlow`], with the refreshed token and the credentials
/// written to the caches as the flow hands them out.
///
/// Drive it as the core's machines are driven: [`poll`](Self::poll), and after each
/// [`FetchStep::Send`] one of [`handle_response`](Self::handle_response) or
/// [`handle_transport_error`](Self::handle_transport_error).
pub struct Fetch {
    flow: RoleCredentialsFlow,
    profile: ProfileCredentials,
    file_name: String,
    last_transport_error: Option<TransportError>,
    _locks: (CacheLock, CacheLock),
}

impl fmt::Debug for Fetch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fetch")
            .field("flow", &self.flow)
            .field("file_name", &self.file_name)
            .finish_non_exhaustive()
    }
}

/// What a [`Fetch`] asks for next.
#[derive(Debug)]
pub enum FetchStep {
    /// Send this request and hand its outcome back.
    Send(http::Request<Vec<u8>>),
    /// Wait until then, and poll again.
    WaitUntil(Instant),
    /// The credentials, now cached.
    Done(CachedRoleCredentials),
}

impl Fetch {
    /// What to do next, at monotonic time `now`. A refreshed token is written to the token
    /// cache before anything else is sent, and the credentials to the credential cache before
    /// they are handed back.
    ///
    /// # Errors
    /// The flow's failure (the token expired or was refused: [`ProfileCredentialsError::SignInAgain`];
    /// otherwise [`ProfileCredentialsError::Credentials`]), or a cache file that cannot be
    /// written.
    pub fn poll(&mut self, now: Instant) -> Result<FetchStep, ProfileCredentialsError> {
        loop {
            return match self.flow.poll(now) {
                RoleCredentialsAction::Send(request) => Ok(FetchStep::Send(request)),
                RoleCredentialsAction::WaitUntil(t) => Ok(FetchStep::WaitUntil(t)),
                RoleCredentialsAction::Store(token) => {
                    let key = self.profile.profile.sign_in.cache_key();
                    self.profile.tokens.write_token(key, &token)?;
                    continue;
                }
                RoleCredentialsAction::Done(credentials) => {
                    let record = CachedRoleCredentials::from_role_credentials(
                        &credentials,
                        &self.profile.account_id,
                    );
                    self.profile
                        .credentials
                        .write_role_credentials(&self.file_name, &record)?;
                    Ok(FetchStep::Done(record))
                }
                RoleCredentialsAction::Failed(error) => Err(ProfileCredentialsError::of_flow(
                    &self.profile.profile.name,
                    error,
                    self.last_transport_error.take(),
                )),
            };
        }
    }

    /// Hands over the response to the request last sent.
    pub fn handle_response(&mut self, response: http::Response<Vec<u8>>, now: Instant) {
        self.flow.handle_response(response, now);
    }

    /// Says that the request last sent got no response, and why: the last such error is
    /// what a failure for want of a response reports.
    pub fn handle_transport_error(&mut self, error: TransportError, now: Instant) {
        self.flow.handle_transport_error(error.kind(), now);
        self.last_transport_error = Some(error);
    }

    /// Why the token's refresh failed, when the flow went on with the old token: worth a
    /// warning, since the token will not last.
    pub fn refresh_error(&self) -> Option<&CallError> {
        self.flow.refresh_error()
    }
}
