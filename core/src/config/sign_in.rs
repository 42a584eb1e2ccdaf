//! What a sign-in is for: an `sso-session`, or the start URL and region of a legacy profile;
//! and the names of the cache files that belong to it.

use crate::cache::{registration_file_name, token_file_name};

/// Where to sign in: an IAM Identity Center instance, by its AWS access portal URL and region,
/// either through an `[sso-session NAME]` section or, for a legacy profile, with the
/// `sso_start_url` and `sso_region` of the profile itself.
///
/// The difference matters beyond the config file: the token cache file is named after the
/// session name for an `sso-session`, after the start URL for a legacy profile
/// ([`cache_key`](Self::cache_key)), and only a session has registration scopes.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignIn {
    /// An `[sso-session NAME]` section.
    SsoSession(SsoSession),
    /// A legacy profile: its own `sso_start_url` and `sso_region`, without an `sso_session`.
    #[non_exhaustive]
    Legacy {
        /// The AWS access portal URL (`sso_start_url`).
        start_url: String,
        /// The IAM Identity Center instance's region (`sso_region`).
        sso_region: String,
    },
}

/// An `[sso-session NAME]` section, resolved: what `aws sso login --sso-session NAME` signs in
/// to.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SsoSession {
    /// The session's name, which names its token file.
    pub name: String,
    /// The AWS access portal URL (`sso_start_url`).
    pub start_url: String,
    /// The IAM Identity Center instance's region (`sso_region`).
    pub sso_region: String,
    /// The scopes to register the client for (`sso_registration_scopes`, comma separated,
    /// blanks dropped); `None` when the key is absent, which names a different registration
    /// file from an empty list.
    pub registration_scopes: Option<Vec<String>>,
}

impl SsoSession {
    /// A session without registration scopes.
    pub fn new(
        name: impl Into<String>,
        start_url: impl Into<String>,
        sso_region: impl Into<String>,
    ) -> Self {
        Self {
            name: name.into(),
            start_url: start_url.into(),
            sso_region: sso_region.into(),
            registration_scopes: None,
        }
    }

    /// The session with these registration scopes.
    #[must_use]
    pub fn with_registration_scopes(mut self, scopes: Vec<String>) -> Self {
        self.registration_scopes = Some(scopes);
        self
    }
}

impl From<SsoSession> for SignIn {
    fn from(session: SsoSession) -> Self {
        Self::SsoSession(session)
    }
}

impl SignIn {
    /// A legacy sign-in, with no `sso-session`: a start URL and its region.
    pub fn legacy(start_url: impl Into<String>, sso_region: impl Into<String>) -> Self {
        Self::Legacy {
            start_url: start_url.into(),
            sso_region: sso_region.into(),
        }
    }

    /// The AWS access portal URL.
    pub fn start_url(&self) -> &str {
        match self {
            Self::SsoSession(session) => &session.start_url,
            Self::Legacy { start_url, .. } => start_url,
        }
    }

    /// The IAM Identity Center instance's region, where SSO OIDC and the portal are called.
    pub fn sso_region(&self) -> &str {
        match self {
            Self::SsoSession(session) => &session.sso_region,
            Self::Legacy { sso_region, .. } => sso_region,
        }
    }

    /// The `sso-session` name; `None` for a legacy sign-in.
    pub fn session_name(&self) -> Option<&str> {
        match self {
            Self::SsoSession(session) => Some(&session.name),
            Self::Legacy { .. } => None,
        }
    }

    /// The scopes to register the client for; `None` for a legacy sign-in, or a session
    /// without `sso_registration_scopes`.
    pub fn registration_scopes(&self) -> Option<&[String]> {
        match self {
            Self::SsoSession(session) => session.registration_scopes.as_deref(),
            Self::Legacy { .. } => None,
        }
    }

    /// What the token cache file is named after: the session name, else the start URL (as the
    /// AWS CLI and botocore key `~/.aws/sso/cache`).
    ///
    /// ```
    /// use sso_oidc::config::{SignIn, SsoSession};
    ///
    /// let session = SignIn::from(SsoSession::new("my-sso", "https://d-1234567890.awsapps.com/start", "us-east-1"));
    /// assert_eq!(session.cache_key(), "my-sso");
    /// let legacy = SignIn::legacy("https://d-1234567890.awsapps.com/start", "us-east-1");
    /// assert_eq!(legacy.cache_key(), "https://d-1234567890.awsapps.com/start");
    /// ```
    pub fn cache_key(&self) -> &str {
        self.session_name().unwrap_or_else(|| self.start_url())
    }

    /// The token cache file's name in `~/.aws/sso/cache`: [`token_file_name`] of the
    /// [`cache_key`](Self::cache_key).
    pub fn token_file_name(&self) -> String {
        token_file_name(self.cache_key())
    }

    /// The client registration file's name in `~/.aws/sso/cache`, as the AWS CLI v2 names it
    /// ([`registration_file_name`]).
    pub fn registration_file_name(&self) -> String {
        registration_file_name(
            self.start_url(),
            self.sso_region(),
            self.registration_scopes(),
            self.session_name(),
        )
    }
}

/// `sso_registration_scopes`: comma separated, each trimmed, blanks dropped (the AWS CLI's
/// `parse_sso_registration_scopes`).
pub(crate) fn parse_scopes(raw: &str) -> Vec<String> {
    raw.split(',')
        .map(str::trim)
        .filter(|scope| !scope.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://d-1234567890.awsapps.com/start";

    #[test]
    fn sessions_and_legacy_sign_ins_name_their_files() {
        let scopes = vec!["sso:account:access".to_owned()];
        let session = SignIn::from(
            SsoSession::new("my-sso", URL, "us-east-1").with_registration_scopes(scopes.clone()),
        );
        assert_eq!(session.session_name(), Some("my-sso"));
        assert_eq!(session.start_url(), URL);
        assert_eq!(session.sso_region(), "us-east-1");
        assert_eq!(session.registration_scopes(), Some(&scopes[..]));
        assert_eq!(
            session.token_file_name(),
            "0ad374308c5a4e22f723adf10145eafad7c4031c.json"
        );
        // The AWS CLI v2's name for these inputs (see cache::name).
        assert_eq!(
            session.registration_file_name(),
            "a8343d65418848d0bc13a5f25cbb32508ceec5d1.json"
        );
        let legacy = SignIn::legacy(URL, "eu-west-1");
        assert_eq!(legacy.session_name(), None);
        assert_eq!(legacy.registration_scopes(), None);
        assert_eq!(legacy.cache_key(), URL);
        assert_eq!(legacy.token_file_name(), token_file_name(URL));
        assert_eq!(
            legacy.registration_file_name(),
            registration_file_name(URL, "eu-west-1", None, None)
        );
    }

    #[test]
    fn scopes_as_the_aws_cli_splits_them() {
        assert_eq!(
            parse_scopes("sso:account:access, ,extra:scope ,"),
            ["sso:account:access", "extra:scope"]
        );
        assert!(parse_scopes("").is_empty());
        assert!(parse_scopes(" , ").is_empty());
    }
}
