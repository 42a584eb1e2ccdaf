//! What can go wrong: below HTTP ([`TransportError`]), in an operation ([`Error`]), or in the
//! client's settings ([`ConfigError`]).

use std::fmt;
use std::io;
use std::path::PathBuf;

use sso_oidc::{ErrorCode, MAX_RESPONSE_BODY, TransportErrorKind};

/// A request got no usable response: no connection, no answer in time, a broken connection, a
/// failed TLS handshake, or a body over [`MAX_RESPONSE_BODY`].
///
/// [`kind`](Self::kind) is the core's [`TransportErrorKind`], which
/// [`DeviceFlow::handle_transport_error`](sso_oidc::DeviceFlow::handle_transport_error) takes.
/// The message names the URL (without a query, which never holds anything here anyway) in the
/// AWS CLI's words; the underlying ureq or I/O error is the [`source`](std::error::Error::source).
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    detail: Detail,
    url: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

/// Finer than the kind, for the message only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Detail {
    Connect,
    /// The proxy (its URL without credentials) could not be reached, or could not reach the
    /// endpoint.
    Proxy(String),
    ConnectTimeout,
    ReadTimeout,
    Closed,
    Tls,
    /// The server's certificate was refused, for this reason.
    Untrusted(&'static str),
    TooLarge,
    HeaderTooLarge,
}

impl TransportError {
    pub(crate) fn new(
        detail: Detail,
        url: String,
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        let kind = match detail {
            Detail::Connect | Detail::Proxy(_) => TransportErrorKind::Connect,
            Detail::ConnectTimeout | Detail::ReadTimeout => TransportErrorKind::Timeout,
            Detail::Closed => TransportErrorKind::Io,
            Detail::Tls | Detail::Untrusted(_) => TransportErrorKind::Tls,
            Detail::TooLarge | Detail::HeaderTooLarge => TransportErrorKind::BodyTooLarge,
        };
        Self {
            kind,
            detail,
            url,
            source,
        }
    }

    /// How the request failed, as the device flow wants to know it.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// The URL the request went to: scheme, host, port and path, never a query or user info.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The proxy the request went through when it failed to connect (its URL, without
    /// credentials), if a proxy is to blame.
    pub fn proxy(&self) -> Option<&str> {
        match &self.detail {
            Detail::Proxy(proxy) => Some(proxy),
            _ => None,
        }
    }

    /// Whether the time ran out while connecting (as opposed to while waiting for the
    /// answer). Both are [`TransportErrorKind::Timeout`].
    pub fn is_connect_timeout(&self) -> bool {
        self.detail == Detail::ConnectTimeout
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = &self.url;
        match &self.detail {
            Detail::Connect => write!(f, "could not connect to the endpoint URL: \"{url}\""),
            Detail::Proxy(proxy) => write!(
                f,
                "could not connect to the endpoint URL \"{url}\" through the proxy URL: \"{proxy}\""
            ),
            Detail::ConnectTimeout => write!(f, "connect timeout on endpoint URL: \"{url}\""),
            Detail::ReadTimeout => write!(f, "read timeout on endpoint URL: \"{url}\""),
            Detail::Closed => write!(
                f,
                "connection was closed before a complete response came from endpoint URL: \"{url}\""
            ),
            Detail::Tls => write!(
                f,
                "TLS handshake failed with endpoint URL: \"{url}\" (certificate not trusted? \
                 AWS_CA_BUNDLE or ca_bundle adds a CA)"
            ),
            Detail::Untrusted(reason) => write!(
                f,
                "SSL validation failed for \"{url}\": the server's certificate is not trusted \
                 ({reason}); add its CA with ca_bundle or AWS_CA_BUNDLE"
            ),
            Detail::TooLarge => write!(
                f,
                "response body from endpoint URL \"{url}\" is larger than {MAX_RESPONSE_BODY} bytes"
            ),
            Detail::HeaderTooLarge => write!(
                f,
                "response headers from endpoint URL \"{url}\" are too large"
            ),
        }
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// Why rustls refused the server's certificate, if that is somewhere in `error`.
pub(crate) fn untrusted_certificate(
    error: &(dyn std::error::Error + 'static),
) -> Option<&'static str> {
    use rustls::CertificateError as C;
    let mut next = Some(error);
    while let Some(error) = next {
        if let Some(rustls::Error::InvalidCertificate(reason)) = error.downcast_ref() {
            return Some(match reason {
                C::UnknownIssuer => "unknown issuer",
                C::Expired | C::ExpiredContext { .. } => "expired",
                C::NotValidYet | C::NotValidYetContext { .. } => "not valid yet",
                C::NotValidForName | C::NotValidForNameContext { .. } => {
                    "not valid for this host name"
                }
                C::BadSignature => "bad signature",
                C::Revoked => "revoked",
                _ => "invalid certificate",
            });
        }
        // io::Error's source() skips the error it wraps; get_ref() does not.
        if let Some(inner) = error
            .downcast_ref::<io::Error>()
            .and_then(|io| io.get_ref())
            && let Some(reason) = untrusted_certificate(inner)
        {
            return Some(reason);
        }
        next = error.source();
    }
    None
}

/// Why one of the client's operations failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No usable response came back.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The request could not be built, the service refused it, or its answer could not be
    /// understood: the core's error, as its parser reported it.
    #[error(transparent)]
    Api(#[from] sso_oidc::Error),
}

impl Error {
    /// The service's error code, when the service named one.
    pub fn code(&self) -> Option<&ErrorCode> {
        match self {
            Self::Api(e) => e.code(),
            Self::Transport(_) => None,
        }
    }

    /// The transport's failure kind, when no usable response came back.
    pub fn transport_kind(&self) -> Option<TransportErrorKind> {
        match self {
            Self::Transport(e) => Some(e.kind()),
            Self::Api(_) => None,
        }
    }
}

/// The client's settings cannot make a client. Found by
/// [`ClientBuilder::build`](crate::ClientBuilder::build), before anything is sent; no message
/// repeats a proxy URL, which may hold a password.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The CA bundle file could not be read.
    #[error("could not read the CA bundle {path:?}{}", from_env_note(*from_env))]
    ReadCaBundle {
        /// The file, as given.
        path: PathBuf,
        /// Whether it came from `AWS_CA_BUNDLE` rather than from the builder.
        from_env: bool,
        /// Why it could not be read.
        #[source]
        source: io::Error,
    },
    /// The CA bundle is not PEM, or holds no certificate.
    #[error("the CA bundle {}{} {reason}", bundle_name(path.as_ref()), from_env_note(*from_env))]
    InvalidCaBundle {
        /// The file, or `None` for PEM given in memory.
        path: Option<PathBuf>,
        /// Whether it came from `AWS_CA_BUNDLE` rather than from the builder.
        from_env: bool,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A proxy URL cannot be used.
    #[error("invalid proxy URL in {origin}: {reason}")]
    InvalidProxy {
        /// Where it came from: an environment variable such as `HTTPS_PROXY`, or `proxy()`.
        origin: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The user agent cannot be sent as an HTTP header value.
    #[error("invalid user agent: only visible ASCII characters and spaces can be sent")]
    InvalidUserAgent,
}

fn from_env_note(from_env: bool) -> &'static str {
    if from_env {
        " (from AWS_CA_BUNDLE)"
    } else {
        ""
    }
}

fn bundle_name(path: Option<&PathBuf>) -> String {
    match path {
        Some(path) => format!("{path:?}"),
        None => "given in memory".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_url_and_the_kind() {
        let url = "https://oidc.us-east-1.amazonaws.com/token".to_owned();
        let error = TransportError::new(Detail::ReadTimeout, url.clone(), None);
        assert!(!error.is_connect_timeout());
        assert!(
            TransportError::new(Detail::ConnectTimeout, url.clone(), None).is_connect_timeout()
        );
        assert_eq!(error.kind(), TransportErrorKind::Timeout);
        assert_eq!(
            error.to_string(),
            "read timeout on endpoint URL: \"https://oidc.us-east-1.amazonaws.com/token\""
        );
        let error = TransportError::new(Detail::Connect, url.clone(), None);
        assert_eq!(
            error.to_string(),
            "could not connect to the endpoint URL: \"https://oidc.us-east-1.amazonaws.com/token\""
        );
        assert_eq!(error.proxy(), None);
        let error =
            TransportError::new(Detail::Proxy("http://proxy:3128".into()), url.clone(), None);
        assert_eq!(error.kind(), TransportErrorKind::Connect);
        assert_eq!(error.proxy(), Some("http://proxy:3128"));
        let error = TransportError::new(Detail::TooLarge, url, None);
        assert_eq!(error.kind(), TransportErrorKind::BodyTooLarge);
        assert!(error.to_string().contains("1048576 bytes"));
    }

    #[test]
    fn config_errors_say_where_the_setting_came_from() {
        let error = ConfigError::ReadCaBundle {
            path: "/nowhere/ca.pem".into(),
            from_env: true,
            source: io::Error::from(io::ErrorKind::NotFound),
        };
        assert_eq!(
            error.to_string(),
            "could not read the CA bundle \"/nowhere/ca.pem\" (from AWS_CA_BUNDLE)"
        );
        let error = ConfigError::InvalidCaBundle {
            path: None,
            from_env: false,
            reason: "holds no PEM certificate",
        };
        assert_eq!(
            error.to_string(),
            "the CA bundle given in memory holds no PEM certificate"
        );
    }
}
