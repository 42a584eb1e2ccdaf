//! How getting a profile's credentials failed.

use sso_oidc::config::{ConfigError, ProfileError, Service};
use sso_oidc::{BuildError, CacheError, CallError, RoleCredentialsError};

use crate::error::TransportError;

/// Why a profile's role credentials could not be had. No message holds a secret.
///
/// The failures that only a new sign-in fixes ([`NotSignedIn`](Self::NotSignedIn) and
/// [`SignInAgain`](Self::SignInAgain)) name the command that signs in:
/// [`login_command`](Self::login_command).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProfileCredentialsError {
    /// Neither `HOME` nor `USERPROFILE` is set, so the AWS CLI's files cannot be found.
    #[error("no home folder (HOME or USERPROFILE) to find the AWS config file and caches in")]
    NoHome,
    /// The config file could not be read or parsed.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The profile is missing, or lacks what its credentials need (start URL, region, account,
    /// role), or contradicts its `sso-session`.
    #[error(transparent)]
    Profile(#[from] ProfileError),
    /// The endpoint of a service could not be resolved (an endpoint URL or region that cannot
    /// be used).
    #[error("invalid {} endpoint: {error}", match service {
        Service::SsoOidc => "SSO OIDC",
        _ => "SSO portal",
    })]
    Endpoint {
        /// The service.
        service: Service,
        /// Why.
        #[source]
        error: BuildError,
    },
    /// A cache file or folder could not be read, written or locked.
    #[error(transparent)]
    Cache(#[from] CacheError),
    /// The profile's sign-in has no cached token.
    #[error(
        "no cached SSO token for profile `{profile}`; sign in with `{}`",
        login_command(profile)
    )]
    NotSignedIn {
        /// The profile.
        profile: String,
    },
    /// The cached token has expired (or was refused) and could not be refreshed.
    #[error("{source}: run `{}`", login_command(profile))]
    SignInAgain {
        /// The profile.
        profile: String,
        /// What happened.
        #[source]
        source: RoleCredentialsError,
    },
    /// A service could not be reached, after as many attempts as the retry policy allows.
    #[error("{error} (gave up after {attempts} attempts)")]
    Unreachable {
        /// The last transport failure.
        #[source]
        error: TransportError,
        /// How many requests were sent.
        attempts: u32,
    },
    /// Getting the credentials failed otherwise: the portal refused the account or role, or
    /// kept failing.
    #[error(transparent)]
    Credentials(RoleCredentialsError),
}

impl ProfileCredentialsError {
    /// The command that signs in again, when only that fixes this:
    /// `sso-oidc login --profile NAME`, the name quoted for a POSIX shell when it needs to be.
    pub fn login_command(&self) -> Option<String> {
        match self {
            Self::NotSignedIn { profile } | Self::SignInAgain { profile, .. } => {
                Some(login_command(profile))
            }
            _ => None,
        }
    }

    /// The error of the flow for `profile`: [`SignInAgain`](Self::SignInAgain) when only a
    /// sign-in helps, else [`Credentials`](Self::Credentials).
    pub(crate) fn of_flow(
        profile: &str,
        source: RoleCredentialsError,
        last_transport_error: Option<TransportError>,
    ) -> Self {
        let unreachable = match source.call_error() {
            Some(CallError::Transport { attempts, .. }) => Some(*attempts),
            _ => None,
        };
        if let (Some(attempts), Some(error)) = (unreachable, last_transport_error) {
            return Self::Unreachable { error, attempts };
        }
        if source.needs_sign_in() {
            Self::SignInAgain {
                profile: profile.to_owned(),
                source,
            }
        } else {
            Self::Credentials(source)
        }
    }
}

/// `sso-oidc login --profile NAME`, the name in single quotes unless it is made only of
/// characters a POSIX shell leaves alone.
fn login_command(profile: &str) -> String {
    let plain = !profile.is_empty()
        && profile
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.@%+=:,/".contains(&b));
    if plain {
        format!("sso-oidc login --profile {profile}")
    } else {
        format!(
            "sso-oidc login --profile '{}'",
            profile.replace('\'', r"'\''")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_login_command_is_quoted_for_a_shell() {
        assert_eq!(login_command("dev"), "sso-oidc login --profile dev");
        assert_eq!(login_command("my dev"), "sso-oidc login --profile 'my dev'");
        assert_eq!(login_command("it's"), r"sso-oidc login --profile 'it'\''s'");
        let error = ProfileCredentialsError::NotSignedIn {
            profile: "dev".into(),
        };
        assert_eq!(
            error.to_string(),
            "no cached SSO token for profile `dev`; sign in with `sso-oidc login --profile dev`"
        );
        assert_eq!(
            error.login_command().as_deref(),
            Some("sso-oidc login --profile dev")
        );
        let error = ProfileCredentialsError::SignInAgain {
            profile: "dev".into(),
            source: RoleCredentialsError::Expired,
        };
        assert_eq!(
            error.to_string(),
            "the cached token has expired; sign in again: run `sso-oidc login --profile dev`"
        );
        assert_eq!(ProfileCredentialsError::NoHome.login_command(), None);
    }
}
