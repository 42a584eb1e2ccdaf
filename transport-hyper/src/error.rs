//! What can go wrong: setting a client up ([`ConfigError`]), below HTTP ([`TransportError`]),
//! and for one operation ([`Error`]).

use std::fmt;
use std::io;
use std::path::PathBuf;

use sso_oidc::{MAX_RESPONSE_BODY, TransportErrorKind};

/// Error sources this crate chains: a boxed error of any of its dependencies.
pub(crate) type Source = Box<dyn std::error::Error + Send + Sync + 'static>;

/// What went wrong below HTTP: no response came back, or its body could not be read.
///
/// [`kind`](Self::kind) is the core's classification, which [`sso_oidc::DeviceFlow`] decides
/// retries from; [`url`](Self::url) is the request's URL without its query. The message reads
/// like the AWS CLI's (`could not connect to the endpoint URL: "…"`, `read timeout on endpoint
/// URL: "…"`) and the cause is its [`source`](std::error::Error::source). Neither holds a
/// secret: request bodies and proxy credentials are never quoted.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    what: What,
    url: String,
    source: Option<Source>,
}

/// The detail behind a kind, for the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum What {
    /// The endpoint could not be reached (name, refused, unreachable).
    Connect,
    /// The proxy could not be reached, or refused the tunnel; the proxy's URL, without
    /// credentials.
    Proxy(String),
    /// A URL this transport cannot send to.
    Unsupported(&'static str),
    /// No connection within the connect timeout.
    ConnectTimeout,
    /// No (more of the) answer within the read timeout.
    ReadTimeout,
    /// The TLS handshake failed.
    Tls,
    /// The server's certificate was refused, for this reason.
    Untrusted(&'static str),
    /// The connection closed before a whole response arrived.
    Closed,
    /// The connection failed otherwise (a read or write error, an answer that is not HTTP).
    Io,
    /// The body was over the cap.
    BodyTooLarge,
}

impl What {
    const fn kind(&self) -> TransportErrorKind {
        match self {
            Self::Connect | Self::Proxy(_) | Self::Unsupported(_) => TransportErrorKind::Connect,
            Self::ConnectTimeout | Self::ReadTimeout => TransportErrorKind::Timeout,
            Self::Tls | Self::Untrusted(_) => TransportErrorKind::Tls,
            Self::Closed | Self::Io => TransportErrorKind::Io,
            Self::BodyTooLarge => TransportErrorKind::BodyTooLarge,
        }
    }
}

impl TransportError {
    pub(crate) fn new(what: What, url: &str, source: Option<Source>) -> Self {
        Self {
            kind: what.kind(),
            what,
            url: url.to_owned(),
            source,
        }
    }

    /// How it failed, as the core classifies transport failures.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// The URL of the request, without a query (it is never part of an SSO OIDC request).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The proxy the request went through when it failed to connect (its URL, without
    /// credentials), if a proxy is to blame.
    pub fn proxy(&self) -> Option<&str> {
        match &self.what {
            What::Proxy(proxy) => Some(proxy),
            _ => None,
        }
    }

    /// Whether the time ran out while connecting (as opposed to while waiting for the
    /// answer). Both are [`TransportErrorKind::Timeout`].
    pub fn is_connect_timeout(&self) -> bool {
        self.what == What::ConnectTimeout
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = &self.url;
        match &self.what {
            What::Connect => write!(f, "could not connect to the endpoint URL: \"{url}\""),
            What::Proxy(proxy) => write!(
                f,
                "could not connect to the endpoint URL \"{url}\" through the proxy URL: \"{proxy}\""
            ),
            What::Unsupported(why) => write!(f, "cannot send to the URL \"{url}\": {why}"),
            What::ConnectTimeout => write!(f, "connect timeout on endpoint URL: \"{url}\""),
            What::ReadTimeout => write!(f, "read timeout on endpoint URL: \"{url}\""),
            What::Tls => {
                write!(f, "TLS handshake failed with endpoint URL: \"{url}\"")?;
                // rustls says why (an untrusted issuer, a name mismatch) without secrets, and
                // that is the one thing a person needs to fix it.
                if let Some(source) = &self.source {
                    write!(f, ": {source}")?;
                }
                write!(
                    f,
                    " (certificate not trusted? AWS_CA_BUNDLE or ca_bundle adds a CA)"
                )
            }
            What::Untrusted(reason) => write!(
                f,
                "SSL validation failed for \"{url}\": the server's certificate is not trusted \
                 ({reason}); add its CA with ca_bundle or AWS_CA_BUNDLE"
            ),
            What::Closed => write!(
                f,
                "connection was closed before a complete response came from endpoint URL: \"{url}\""
            ),
            What::Io => write!(f, "the connection to endpoint URL \"{url}\" failed"),
            What::BodyTooLarge => write!(
                f,
                "response body from endpoint URL \"{url}\" is larger than {MAX_RESPONSE_BODY} bytes"
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

/// Why rustls refused the server's certificate, in words, when that is what `error` says.
pub(crate) fn untrusted_certificate(error: &rustls::Error) -> Option<&'static str> {
    use rustls::CertificateError as C;
    let rustls::Error::InvalidCertificate(reason) = error else {
        return None;
    };
    Some(match reason {
        C::UnknownIssuer => "unknown issuer",
        C::Expired | C::ExpiredContext { .. } => "expired",
        C::NotValidYet | C::NotValidYetContext { .. } => "not valid yet",
        C::NotValidForName | C::NotValidForNameContext { .. } => "not valid for this host name",
        C::BadSignature => "bad signature",
        C::Revoked => "revoked",
        _ => "invalid certificate",
    })
}

/// Why an operation failed: no response came back ([`Error::Transport`]), or the response was
/// a refusal or could not be understood ([`Error::Api`], the core's typed error).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No response came back, or its body could not be read.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The service answered with an error, or with something the core could not parse.
    #[error(transparent)]
    Api(#[from] sso_oidc::Error),
}

impl Error {
    /// The service's error code, when the service named one.
    pub fn code(&self) -> Option<&sso_oidc::ErrorCode> {
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
    /// The CA bundle is not PEM, holds no certificate, or holds one that cannot be a trust
    /// anchor.
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
    fn messages_read_like_the_aws_cli_and_name_the_url() {
        let url = "https://oidc.us-east-1.amazonaws.com/token";
        let error = TransportError::new(What::Connect, url, None);
        assert_eq!(
            error.to_string(),
            "could not connect to the endpoint URL: \"https://oidc.us-east-1.amazonaws.com/token\""
        );
        assert_eq!(error.kind(), TransportErrorKind::Connect);
        let error = TransportError::new(What::ReadTimeout, url, None);
        assert_eq!(
            error.to_string(),
            "read timeout on endpoint URL: \"https://oidc.us-east-1.amazonaws.com/token\""
        );
        assert_eq!(error.kind(), TransportErrorKind::Timeout);
        assert!(!error.is_connect_timeout());
        let error = TransportError::new(What::Proxy("http://proxy:3128".into()), url, None);
        assert!(error.to_string().contains("\"http://proxy:3128\""));
        assert_eq!(error.proxy(), Some("http://proxy:3128"));
        assert_eq!(
            TransportError::new(What::Closed, url, None).kind(),
            TransportErrorKind::Io
        );
    }
}
