//! The service's error codes: every exception in the model, and the OAuth codes they carry.

use std::fmt;

use http::StatusCode;

/// Declares `ErrorCode` and its mappings from one table, so a shape name, its OAuth `error`
/// value and its HTTP status can never disagree.
macro_rules! error_codes {
    ($( $(#[$doc:meta])* $variant:ident => $shape:literal, $oauth:literal, $status:literal; )*) => {
        /// What the service said went wrong: one variant for each exception in the SSO OIDC
        /// service model, and [`ErrorCode::Other`] for anything else (throttling from a front
        /// end, a code added to the service later).
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $( $(#[$doc])* $variant, )*
            /// A code outside the model, as the service spelled it (the shape name when one
            /// was given, else the OAuth `error` value).
            Other(String),
        }

        impl ErrorCode {
            /// Every code in the model, in alphabetical order of shape name.
            pub const MODELED: &'static [Self] = &[$(Self::$variant),*];

            /// The code for a model shape name such as `AuthorizationPendingException`, or
            /// [`ErrorCode::Other`] for an unknown name.
            pub fn from_shape_name(name: &str) -> Self {
                match name {
                    $( $shape => Self::$variant, )*
                    other => Self::Other(other.to_owned()),
                }
            }

            /// The code for an OAuth `error` value such as `authorization_pending`, or
            /// [`ErrorCode::Other`] for an unknown value. Where two shapes share a value
            /// (`invalid_request`), the general one wins.
            pub fn from_oauth_error(error: &str) -> Self {
                $( if error == $oauth { return Self::$variant; } )*
                Self::Other(error.to_owned())
            }

            /// The model's shape name, e.g. `SlowDownException`; for [`ErrorCode::Other`], the
            /// name as received.
            pub fn shape_name(&self) -> &str {
                match self {
                    $( Self::$variant => $shape, )*
                    Self::Other(name) => name,
                }
            }

            /// The OAuth `error` value the service sends with this code, e.g. `slow_down`.
            pub fn oauth_error(&self) -> Option<&'static str> {
                match self {
                    $( Self::$variant => Some($oauth), )*
                    Self::Other(_) => None,
                }
            }

            /// The HTTP status the model gives this code.
            pub fn http_status(&self) -> Option<StatusCode> {
                match self {
                    $( Self::$variant => StatusCode::from_u16($status).ok(), )*
                    Self::Other(_) => None,
                }
            }
        }
    };
}

error_codes! {
    /// `AccessDeniedException`: the person denied the request, or a KMS key refused access.
    AccessDenied => "AccessDeniedException", "access_denied", 400;
    /// `AuthorizationPendingException`: the person has not approved the device yet; poll again.
    AuthorizationPending => "AuthorizationPendingException", "authorization_pending", 400;
    /// `ExpiredTokenException`: the device code or token has expired; start over.
    ExpiredToken => "ExpiredTokenException", "expired_token", 400;
    /// `InternalServerException`: the service failed; a later retry may succeed.
    InternalServer => "InternalServerException", "server_error", 500;
    /// `InvalidClientException`: the client id or secret is unknown or expired; register again.
    InvalidClient => "InvalidClientException", "invalid_client", 401;
    /// `InvalidClientMetadataException`: the registration request's metadata was refused.
    InvalidClientMetadata => "InvalidClientMetadataException", "invalid_client_metadata", 400;
    /// `InvalidGrantException`: the grant (device code, refresh token, code) is invalid.
    InvalidGrant => "InvalidGrantException", "invalid_grant", 400;
    /// `InvalidRedirectUriException`: the redirect URI was refused.
    InvalidRedirectUri => "InvalidRedirectUriException", "invalid_redirect_uri", 400;
    /// `InvalidRequestException`: a member is missing or malformed.
    InvalidRequest => "InvalidRequestException", "invalid_request", 400;
    /// `InvalidRequestRegionException`: the request was sent to the wrong region.
    InvalidRequestRegion => "InvalidRequestRegionException", "invalid_request", 400;
    /// `InvalidScopeException`: a requested scope is not valid.
    InvalidScope => "InvalidScopeException", "invalid_scope", 400;
    /// `SlowDownException`: polling too fast; add 5 seconds to the interval (RFC 8628 3.5).
    SlowDown => "SlowDownException", "slow_down", 400;
    /// `UnauthorizedClientException`: the client may not use this grant.
    UnauthorizedClient => "UnauthorizedClientException", "unauthorized_client", 400;
    /// `UnsupportedGrantTypeException`: the grant type is not supported.
    UnsupportedGrantType => "UnsupportedGrantTypeException", "unsupported_grant_type", 400;
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
    }

    #[test]
    fn oauth_errors_round_trip_except_the_shared_one() {
        for code in ErrorCode::MODELED {
            let oauth = code
                .oauth_error()
                .expect("modeled codes have an OAuth value");
            let back = ErrorCode::from_oauth_error(oauth);
            if code == &ErrorCode::InvalidRequestRegion {
                assert_eq!(back, ErrorCode::InvalidRequest);
            } else {
                assert_eq!(&back, code);
            }
        }
    }

    #[test]
    fn unknown_names_are_kept() {
        let code = ErrorCode::from_shape_name("ThrottlingException");
        assert_eq!(code, ErrorCode::Other("ThrottlingException".into()));
        assert_eq!(code.to_string(), "ThrottlingException");
        assert_eq!(code.oauth_error(), None);
        assert_eq!(code.http_status(), None);
        assert_eq!(
            ErrorCode::from_oauth_error("temporarily_unavailable"),
            ErrorCode::Other("temporarily_unavailable".into())
        );
    }
}
