//! Errors, typed by who is to blame: the caller ([`BuildError`]), the service
//! ([`ServiceError`]) or a response we could not understand ([`ParseError`]).

mod build;
mod code;
mod parse;
mod service;

pub use build::BuildError;
pub use code::ErrorCode;
pub use parse::{ParseError, ParseErrorKind};
pub use service::ServiceError;

pub(crate) use service::{classify, request_id};

use http::StatusCode;

/// Any error this crate returns for one operation.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request could not be built from what the caller gave.
    #[error(transparent)]
    Build(#[from] BuildError),
    /// The service refused the request.
    #[error(transparent)]
    Service(#[from] ServiceError),
    /// The response could not be understood.
    #[error(transparent)]
    Parse(#[from] ParseError),
}

impl Error {
    /// The service's error code, when the service named one.
    pub fn code(&self) -> Option<&ErrorCode> {
        match self {
            Self::Service(e) => Some(e.code()),
            Self::Build(_) | Self::Parse(_) => None,
        }
    }

    /// The SSO portal's error code, when the portal refused one of its operations (see
    /// [`ServiceError::portal_code`]).
    pub fn portal_code(&self) -> Option<crate::portal::ErrorCode> {
        match self {
            Self::Service(e) => e.portal_code(),
            Self::Build(_) | Self::Parse(_) => None,
        }
    }

    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Service(e) => Some(e.status()),
            Self::Parse(e) => Some(e.status()),
            Self::Build(_) => None,
        }
    }

    /// The `x-amzn-RequestId` of the response, when there was one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Service(e) => e.request_id(),
            Self::Parse(e) => e.request_id(),
            Self::Build(_) => None,
        }
    }
}
