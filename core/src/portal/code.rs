//! The portal's error codes: every exception in its model.

use std::fmt;

use http::StatusCode;

/// What the SSO portal said went wrong: one variant for each exception in its service model, and
/// [`ErrorCode::Other`] for anything else. Read it from an error with
/// [`Error::portal_code`](crate::Error::portal_code).
///
/// The portal has its own enum rather than more variants of SSO OIDC's
/// [`crate::ErrorCode`]: that one is "every exception in the SSO OIDC model" (its `MODELED`
/// list, each with an OAuth `error` value, is what the emulator and the fuzz checks rely on),
/// and the portal's exceptions carry no OAuth value. Shared shape names (`InvalidRequestException`)
/// map to both.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// `InvalidRequestException` (400): a member is missing or out of range.
    InvalidRequest,
    /// `ResourceNotFoundException` (404): no such account or role for this user.
    ResourceNotFound,
    /// `TooManyRequestsException` (429): throttled; a later retry may succeed.
    TooManyRequests,
    /// `UnauthorizedException` (401): the access token is invalid, expired or logged out; sign
    /// in again.
    Unauthorized,
    /// A code outside the model, as the service spelled it.
    Other(String),
}

impl ErrorCode {
    /// Every code in the portal's model, in alphabetical order of shape name.
    pub const MODELED: &'static [Self] = &[
        Self::InvalidRequest,
        Self::ResourceNotFound,
        Self::TooManyRequests,
        Self::Unauthorized,
    ];

    /// The code for a model shape name such as `UnauthorizedException`, or
    /// [`ErrorCode::Other`] for an unknown name.
    pub fn from_shape_name(name: &str) -> Self {
        match name {
            "InvalidRequestException" => Self::InvalidRequest,
            "ResourceNotFoundException" => Self::ResourceNotFound,
            "TooManyRequestsException" => Self::TooManyRequests,
            "UnauthorizedException" => Self::Unauthorized,
            other => Self::Other(other.to_owned()),
        }
    }

    /// The model's shape name, e.g. `UnauthorizedException`; for [`ErrorCode::Other`], the name
    /// as received.
    pub fn shape_name(&self) -> &str {
        match self {
            Self::InvalidRequest => "InvalidRequestException",
            Self::ResourceNotFound => "ResourceNotFoundException",
            Self::TooManyRequests => "TooManyRequestsException",
            Self::Unauthorized => "UnauthorizedException",
            Self::Other(name) => name,
        }
    }

    /// The HTTP status the model gives this code.
    pub fn http_status(&self) -> Option<StatusCode> {
        match self {
            Self::InvalidRequest => Some(StatusCode::BAD_REQUEST),
            Self::ResourceNotFound => Some(StatusCode::NOT_FOUND),
            Self::TooManyRequests => Some(StatusCode::TOO_MANY_REQUESTS),
            Self::Unauthorized => Some(StatusCode::UNAUTHORIZED),
            Self::Other(_) => None,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.shape_name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for code in ErrorCode::MODELED {
            assert_eq!(&ErrorCode::from_shape_name(code.shape_name()), code);
            assert!(code.http_status().is_some(), "{code}");
        }
        let other = ErrorCode::from_shape_name("ThrottlingException");
        assert_eq!(other, ErrorCode::Other("ThrottlingException".into()));
        assert_eq!(other.http_status(), None);
    }
}
