//! How a sign-in flow (the device flow or the authorization-code flow) ended badly.

use crate::error::{BuildError, ErrorCode, ParseError, ServiceError};
use crate::machine::{Misuse, gave_up_after};
use crate::transport::TransportErrorKind;

/// Why a [`DeviceFlow`](crate::DeviceFlow) or an [`AuthCodeFlow`](crate::AuthCodeFlow) failed.
/// Each message says what happened and what to do next, and none holds a secret.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FlowError {
    /// The sign-in was refused (`AccessDeniedException`, `access_denied`): someone chose deny on
    /// the verification page, or the user may not sign in through this start URL.
    #[error(
        "sign-in denied: the request was declined on the verification page or the user is not allowed to sign in; start a new sign-in to try again"
    )]
    Denied(#[source] ServiceError),
    /// The user code expired before anyone approved it: the service said so
    /// (`ExpiredTokenException`), or the deadline passed and the flow stopped polling. For an
    /// [`AuthCodeFlow`](crate::AuthCodeFlow): no redirect came back before its timeout (what
    /// the AWS CLI reports as an expired pending authorization).
    #[error(
        "the sign-in expired before it was approved (the user code or the wait for the browser ran out); start a new sign-in and approve it in time"
    )]
    Expired(#[source] Option<ServiceError>),
    /// The service refused a request for a reason retrying cannot fix, or kept failing for a
    /// transient reason until the retry policy ran out of attempts.
    #[error("{error}{}", gave_up_after(*attempts))]
    Service {
        /// What the service said, the last time it was asked.
        #[source]
        error: ServiceError,
        /// How many attempts were made in a row, the first included.
        attempts: u32,
    },
    /// A response could not be understood.
    #[error("{error}{}", gave_up_after(*attempts))]
    Parse {
        /// What was wrong with the last response.
        #[source]
        error: ParseError,
        /// How many attempts were made in a row, the first included.
        attempts: u32,
    },
    /// A request could not be built: the cached registration or the service's answer held a
    /// blank value.
    #[error("could not build a request: {0}")]
    Build(#[source] BuildError),
    /// The transport kept failing until the retry policy ran out of attempts, or failed in a
    /// way retrying cannot fix.
    #[error("{kind}{}", gave_up_after(*attempts))]
    Transport {
        /// How the last attempt failed.
        kind: TransportErrorKind,
        /// How many attempts were made in a row, the first included.
        attempts: u32,
    },
    /// The browser came back with an `error` instead of a code
    /// ([`AuthCodeFlow`](crate::AuthCodeFlow) only; RFC 6749 section 4.1.2.1): `access_denied`
    /// when someone chose deny.
    #[error(
        "sign-in refused in the browser: {error}{}; start a new sign-in to try again",
        description.as_deref().map(|d| format!(" ({d})")).unwrap_or_default()
    )]
    Refused {
        /// The `error` parameter, e.g. `access_denied`.
        error: String,
        /// The `error_description` parameter, when there was one, cut to 200 characters and
        /// without control characters.
        description: Option<String>,
    },
    /// `cancel` was called.
    #[error("the sign-in was cancelled")]
    Cancelled,
    /// The caller broke the flow's contract; see [`Misuse`].
    #[error("sign-in flow misused: {0}")]
    Misuse(Misuse),
}

impl FlowError {
    /// The service's error, when the flow ended on one.
    pub fn service_error(&self) -> Option<&ServiceError> {
        match self {
            Self::Denied(e) | Self::Service { error: e, .. } => Some(e),
            Self::Expired(e) => e.as_ref(),
            _ => None,
        }
    }

    /// The service's error code, when the flow ended on a service error.
    pub fn code(&self) -> Option<&ErrorCode> {
        self.service_error().map(ServiceError::code)
    }
}
