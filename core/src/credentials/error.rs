//! How getting role credentials with a cached token ended badly.

use crate::call::CallError;
use crate::error::{BuildError, Error, ServiceError};
use crate::machine::Misuse;
use crate::refresh::CannotRefresh;
use crate::retry::RetryPolicy;

/// Why a [`RoleCredentialsFlow`](crate::RoleCredentialsFlow) failed. None of its messages holds
/// a secret.
///
/// [`needs_sign_in`](Self::needs_sign_in) tells the failures that only a new sign-in fixes
/// (their messages end with `sign in again`): the library cannot know the command that signs in
/// (`sso-oidc login --profile dev`, `aws sso login --sso-session my-sso`, a button in an app), so
/// it leaves naming it to the caller.
///
/// ```
/// use sso_oidc::RoleCredentialsError;
///
/// fn explain(error: &RoleCredentialsError, profile: &str) -> String {
///     if error.needs_sign_in() {
///         format!("{error}: run `sso-oidc login --profile {profile}`")
///     } else {
///         error.to_string()
///     }
/// }
/// assert_eq!(
///     explain(&RoleCredentialsError::Expired, "dev"),
///     "the cached token has expired; sign in again: run `sso-oidc login --profile dev`"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RoleCredentialsError {
    /// The cached token has expired, and no refresh was tried: the last attempt was too recent
    /// (see [`RefreshPolicy::decide`](crate::RefreshPolicy::decide)). Also when it expires
    /// while `GetRoleCredentials` is being retried: it is never sent with an expired token.
    #[error("the cached token has expired; sign in again")]
    Expired,
    /// The cached token has expired and cannot be refreshed: it has no refresh token, or its
    /// client registration expired. (One that has not expired yet is used as it is.)
    #[error(
        "the cached token has expired and cannot be refreshed ({}); sign in again",
        cannot_refresh(reason)
    )]
    CannotRefresh {
        /// Why it cannot be refreshed.
        reason: CannotRefresh,
    },
    /// The refresh of a token that had expired failed. (When the old token still lasts, the
    /// flow goes on with it and [`refresh_error`](crate::RoleCredentialsFlow::refresh_error)
    /// says why the refresh failed.)
    /// When SSO OIDC refused it (a spent refresh token, an unknown client), only a sign-in
    /// helps; a transport failure or a service that kept failing may pass.
    #[error("could not refresh the cached token: {error}{hint}", error = .0, hint = sign_in_hint(refresh_refused(.0)))]
    RefreshFailed(#[source] CallError),
    /// The portal refused the access token (`UnauthorizedException`): it is invalid, expired or
    /// was logged out.
    #[error("the portal refused the access token ({0}); sign in again")]
    TokenRefused(#[source] ServiceError),
    /// `GetRoleCredentials` failed otherwise: the portal refused the request (no such account
    /// or role for this user, throttled until the retries ran out, ...), its answer could not
    /// be read, or the transport failed.
    #[error("{0}")]
    GetRoleCredentials(#[source] CallError),
    /// The `GetRoleCredentials` request could not be built: the access token holds characters
    /// a header cannot carry.
    #[error("could not build the GetRoleCredentials request: {0}")]
    Build(#[source] BuildError),
    /// [`RoleCredentialsFlow::cancel`](crate::RoleCredentialsFlow::cancel) was called.
    #[error("getting role credentials was cancelled")]
    Cancelled,
    /// The driver broke the machine's contract; see [`Misuse`].
    #[error("role credentials flow misused: {0}")]
    Misuse(Misuse),
}

impl RoleCredentialsError {
    /// Whether only a new sign-in can fix this: the token expired or was refused, or its
    /// refresh is impossible or was refused.
    pub fn needs_sign_in(&self) -> bool {
        match self {
            Self::Expired | Self::CannotRefresh { .. } | Self::TokenRefused(_) => true,
            Self::RefreshFailed(error) => refresh_refused(error),
            Self::GetRoleCredentials(_) | Self::Build(_) | Self::Cancelled | Self::Misuse(_) => {
                false
            }
        }
    }

    /// The error of the request that failed last, when the flow ended on one.
    pub fn call_error(&self) -> Option<&CallError> {
        match self {
            Self::RefreshFailed(error) | Self::GetRoleCredentials(error) => Some(error),
            _ => None,
        }
    }

    /// What the service said, when the flow ended on a refusal.
    pub fn service_error(&self) -> Option<&ServiceError> {
        match self {
            Self::TokenRefused(error) => Some(error),
            Self::RefreshFailed(error) | Self::GetRoleCredentials(error) => {
                match error.api_error() {
                    Some(Error::Service(error)) => Some(error),
                    _ => None,
                }
            }
            _ => None,
        }
    }
}

/// Whether SSO OIDC refused the refresh for a reason that retrying cannot fix.
fn refresh_refused(error: &CallError) -> bool {
    matches!(error.api_error(), Some(error @ Error::Service(_)) if !RetryPolicy::is_retryable(error))
}

fn sign_in_hint(needed: bool) -> &'static str {
    if needed { "; sign in again" } else { "" }
}

fn cannot_refresh(reason: &CannotRefresh) -> String {
    match reason {
        CannotRefresh::Missing(key) => format!("it has no `{key}`"),
        CannotRefresh::RegistrationExpired => "its client registration expired".to_owned(),
    }
}
