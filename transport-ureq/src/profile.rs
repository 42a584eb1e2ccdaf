//! A profile's role credentials: the shared crate's [`ProfileCredentials`] reads and writes the
//! caches, this loop sends and waits.

use std::time::{Instant, SystemTime};

use sso_oidc::CachedRoleCredentials;
use sso_oidc_transport::{
    Begin, FetchStep, ProfileCredentials, ProfileCredentialsError, jitter_seed,
};

use crate::Client;

impl Client {
    /// The role credentials of a profile, as botocore's SSO credential provider gets them:
    /// the AWS CLI's cached ones while they have 15 minutes left; else, with the profile's
    /// cached token (refreshed first when due, and written back), from the portal's
    /// `GetRoleCredentials`, then cached. Requests go to the profile's endpoints, with this
    /// client's settings (TLS, proxies, timeouts, retry policy).
    ///
    /// Concurrent callers, in threads or processes, make one refresh and one
    /// `GetRoleCredentials` between them: the others wait for the cache lock and read what
    /// the first cached.
    ///
    /// ```
    /// use sso_oidc_ureq::Client;
    /// use sso_oidc_ureq::sso_oidc_transport::{Environment, ProfileCredentials};
    ///
    /// # fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// let dev = ProfileCredentials::load(Some("dev"), &Environment::from_process())?;
    /// let credentials = Client::builder().build()?.profile_credentials(&dev)?;
    /// println!("{} until {:?}", credentials.access_key_id, credentials.expiration);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`ProfileCredentialsError`]: no cached token, or one that expired and could not be
    /// refreshed, or that the portal refused (each naming the command that signs in again);
    /// the portal refused the account or role, or could not be reached; a cache that cannot be
    /// read, locked or written.
    pub fn profile_credentials(
        &self,
        profile: &ProfileCredentials,
    ) -> Result<CachedRoleCredentials, ProfileCredentialsError> {
        let begin = profile.begin(
            SystemTime::now(),
            Instant::now(),
            self.settings().retry_policy(),
            jitter_seed(),
        )?;
        let mut fetch = match begin {
            Begin::Cached(credentials) => return Ok(credentials),
            Begin::Fetch(fetch) => fetch,
        };
        loop {
            match fetch.poll(Instant::now())? {
                FetchStep::Send(request) => match self.send(request) {
                    Ok(response) => fetch.handle_response(response, Instant::now()),
                    Err(error) => fetch.handle_transport_error(error, Instant::now()),
                },
                FetchStep::WaitUntil(at) => {
                    std::thread::sleep(at.saturating_duration_since(Instant::now()));
                }
                FetchStep::Done(credentials) => {
                    if let Some(error) = fetch.refresh_error() {
                        tracing::warn!(%error, "the token refresh failed; the old token was used");
                    }
                    return Ok(credentials);
                }
            }
        }
    }
}
