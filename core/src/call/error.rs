//! How a single call ended badly.

use crate::error::{Error, ErrorCode};
use crate::machine::{Misuse, gave_up_after};
use crate::transport::TransportErrorKind;

/// Why a [`Call`](crate::Call) failed: what the last attempt got, and how many attempts were
/// made. None of its messages holds a secret.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CallError {
    /// The service answered, and its answer was a refusal or could not be understood: the
    /// parser's error ([`Error::Service`] or [`Error::Parse`]). Final at once when retrying
    /// cannot help ([`RetryPolicy::is_retryable`](crate::RetryPolicy::is_retryable)), else
    /// once the retry policy ran out of attempts.
    #[error("{error}{}", gave_up_after(*attempts))]
    Api {
        /// What the parser said of the last answer.
        #[source]
        error: Error,
        /// How many attempts were made, the first included.
        attempts: u32,
    },
    /// No answer came back: final at once for a failure that would happen again
    /// ([`TransportErrorKind::is_retryable`]), else once the retry policy ran out of attempts.
    #[error("{kind}{}", gave_up_after(*attempts))]
    Transport {
        /// How the last attempt failed.
        kind: TransportErrorKind,
        /// How many attempts were made, the first included.
        attempts: u32,
    },
    /// [`Call::cancel`](crate::Call::cancel) was called.
    #[error("the call was cancelled")]
    Cancelled,
    /// The driver broke the machine's contract; see [`Misuse`].
    #[error("call misused: {0}")]
    Misuse(Misuse),
}

impl CallError {
    /// How many attempts were made, the first included, when the call ended on an attempt's
    /// outcome (not on [`Cancelled`](Self::Cancelled) or [`Misuse`](Self::Misuse)).
    pub fn attempts(&self) -> Option<u32> {
        match self {
            Self::Api { attempts, .. } | Self::Transport { attempts, .. } => Some(*attempts),
            Self::Cancelled | Self::Misuse(_) => None,
        }
    }

    /// The parser's error, when the service answered.
    pub fn api_error(&self) -> Option<&Error> {
        match self {
            Self::Api { error, .. } => Some(error),
            _ => None,
        }
    }

    /// The service's error code, when the service named one.
    pub fn code(&self) -> Option<&ErrorCode> {
        self.api_error().and_then(Error::code)
    }

    /// How the last attempt failed, when no answer came back.
    pub fn transport_kind(&self) -> Option<TransportErrorKind> {
        match self {
            Self::Transport { kind, .. } => Some(*kind),
            _ => None,
        }
    }
}
