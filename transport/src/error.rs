//! What can go wrong: below HTTP ([`TransportError`]), in an operation ([`Error`]), or in the
//! client's settings ([`ConfigError`]). Both transports return these same types, so a failure
//! reads the same whichever one a program uses.

use std::fmt;
use std::io;
use std::path::PathBuf;

use http::Uri;
use sso_oidc::{CallError, ErrorCode, MAX_RESPONSE_BODY, Misuse, TransportErrorKind};

use crate::request::display_url;

/// The cause a transport error keeps: an error of the HTTP library or of the system.
pub type Source = Box<dyn std::error::Error + Send + Sync + 'static>;

/// A request got no usable response: no connection, no answer in time, a broken connection, a
/// failed TLS handshake, or a body over [`MAX_RESPONSE_BODY`].
///
/// [`kind`](Self::kind) is the core's [`TransportErrorKind`], which
/// [`DeviceFlow::handle_transport_error`](sso_oidc::DeviceFlow::handle_transport_error) takes;
/// [`detail`](Self::detail) says more. The message names the URL (scheme, host, port and path:
/// never user information or a query) in the AWS CLI's words, e.g. `could not connect to the
/// endpoint URL: "…"`; the HTTP library's or the system's error is the
/// [`source`](std::error::Error::source). Neither holds a secret: bodies and proxy credentials
/// are never quoted.
#[derive(Debug)]
pub struct TransportError {
    detail: Detail,
    url: String,
    source: Option<Source>,
}

/// What exactly went wrong, finer than the [`TransportErrorKind`] it belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Detail {
    /// The host name did not resolve (a typo in the region, say). [`Connect`].
    ///
    /// [`Connect`]: TransportErrorKind::Connect
    Resolve {
        /// The name that did not resolve.
        host: String,
    },
    /// Nothing listens on that port: the connection was refused. [`Connect`].
    ///
    /// [`Connect`]: TransportErrorKind::Connect
    Refused,
    /// The endpoint could not be reached otherwise (no route, network down). [`Connect`].
    ///
    /// [`Connect`]: TransportErrorKind::Connect
    Connect,
    /// The proxy could not be reached, or could not reach the endpoint: the proxy's URL,
    /// without credentials. [`Connect`].
    ///
    /// [`Connect`]: TransportErrorKind::Connect
    Proxy(String),
    /// A URL no request can go to (not absolute, not `http` or `https`, no host).
    /// [`Connect`].
    ///
    /// [`Connect`]: TransportErrorKind::Connect
    Unsupported(&'static str),
    /// No connection within the connect timeout. [`Timeout`].
    ///
    /// [`Timeout`]: TransportErrorKind::Timeout
    ConnectTimeout,
    /// The whole response did not come within the read timeout. [`Timeout`].
    ///
    /// [`Timeout`]: TransportErrorKind::Timeout
    ReadTimeout,
    /// An `https` URL answered by a server that does not speak TLS (a plain HTTP server, or
    /// the wrong port). [`Tls`].
    ///
    /// [`Tls`]: TransportErrorKind::Tls
    NotTls,
    /// The server's certificate was refused, for this reason. [`Tls`].
    ///
    /// [`Tls`]: TransportErrorKind::Tls
    Untrusted(&'static str),
    /// The TLS handshake failed otherwise. [`Tls`].
    ///
    /// [`Tls`]: TransportErrorKind::Tls
    Tls,
    /// The connection closed before a whole response came. [`Io`].
    ///
    /// [`Io`]: TransportErrorKind::Io
    Closed,
    /// The connection failed otherwise (a read or write error, an answer that is not HTTP).
    /// [`Io`].
    ///
    /// [`Io`]: TransportErrorKind::Io
    Io,
    /// The body was over [`MAX_RESPONSE_BODY`]. [`BodyTooLarge`].
    ///
    /// [`BodyTooLarge`]: TransportErrorKind::BodyTooLarge
    BodyTooLarge,
    /// The response's head was too large. [`BodyTooLarge`].
    ///
    /// [`BodyTooLarge`]: TransportErrorKind::BodyTooLarge
    HeaderTooLarge,
}

impl Detail {
    /// The core's kind of this failure.
    pub const fn kind(&self) -> TransportErrorKind {
        match self {
            Self::Resolve { .. }
            | Self::Refused
            | Self::Connect
            | Self::Proxy(_)
            | Self::Unsupported(_) => TransportErrorKind::Connect,
            Self::ConnectTimeout | Self::ReadTimeout => TransportErrorKind::Timeout,
            Self::NotTls | Self::Untrusted(_) | Self::Tls => TransportErrorKind::Tls,
            Self::Closed | Self::Io => TransportErrorKind::Io,
            Self::BodyTooLarge | Self::HeaderTooLarge => TransportErrorKind::BodyTooLarge,
        }
    }

    /// The detail a failure of this kind has when nothing more is known.
    fn of_kind(kind: TransportErrorKind) -> Self {
        match kind {
            TransportErrorKind::Connect => Self::Connect,
            TransportErrorKind::Timeout => Self::ReadTimeout,
            TransportErrorKind::Tls => Self::Tls,
            TransportErrorKind::BodyTooLarge => Self::BodyTooLarge,
            _ => Self::Io,
        }
    }

    /// What an I/O error means, while connecting (`connecting`) or once connected: a refused
    /// connection, a timeout, a TLS verdict that rustls wrapped in it, or a broken connection.
    pub fn of_io(error: &io::Error, connecting: bool) -> Self {
        if let Some(tls) = error
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        {
            return Self::of_tls(tls);
        }
        match error.kind() {
            io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock if connecting => {
                Self::ConnectTimeout
            }
            io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => Self::ReadTimeout,
            io::ErrorKind::ConnectionRefused => Self::Refused,
            io::ErrorKind::AddrNotAvailable
            | io::ErrorKind::AddrInUse
            | io::ErrorKind::NetworkUnreachable
            | io::ErrorKind::HostUnreachable
            | io::ErrorKind::NetworkDown => Self::Connect,
            _ if connecting => Self::Connect,
            _ => Self::Closed,
        }
    }

    /// What rustls's error means: a refused certificate, a peer that does not speak TLS, or
    /// another failed handshake.
    pub fn of_tls(error: &rustls::Error) -> Self {
        use rustls::CertificateError as C;
        match error {
            rustls::Error::InvalidCertificate(reason) => Self::Untrusted(match reason {
                C::UnknownIssuer => "unknown issuer",
                C::Expired | C::ExpiredContext { .. } => "expired",
                C::NotValidYet | C::NotValidYetContext { .. } => "not valid yet",
                C::NotValidForName | C::NotValidForNameContext { .. } => {
                    "not valid for this host name"
                }
                C::BadSignature => "bad signature",
                C::Revoked => "revoked",
                _ => "invalid certificate",
            }),
            // The first bytes back were not a TLS record: "HTTP/1.1 400 …" from a plain
            // server, say.
            rustls::Error::InvalidMessage(_) => Self::NotTls,
            _ => Self::Tls,
        }
    }
}

impl TransportError {
    /// A failure of a request to `uri`, with the error behind it.
    pub fn new(detail: Detail, uri: &Uri, source: Option<Source>) -> Self {
        Self {
            detail,
            url: display_url(uri),
            source,
        }
    }

    /// How the request failed, as the core classifies transport failures.
    pub fn kind(&self) -> TransportErrorKind {
        self.detail.kind()
    }

    /// What exactly went wrong.
    pub fn detail(&self) -> &Detail {
        &self.detail
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
            Detail::Resolve { host } => write!(
                f,
                "could not connect to the endpoint URL: \"{url}\": could not resolve host \"{host}\""
            ),
            Detail::Refused => write!(
                f,
                "could not connect to the endpoint URL: \"{url}\": connection refused"
            ),
            Detail::Connect => write!(f, "could not connect to the endpoint URL: \"{url}\""),
            Detail::Proxy(proxy) => write!(
                f,
                "could not connect to the endpoint URL \"{url}\" through the proxy URL: \"{proxy}\""
            ),
            Detail::Unsupported(why) => write!(f, "cannot send to the URL \"{url}\": {why}"),
            Detail::ConnectTimeout => write!(f, "connect timeout on endpoint URL: \"{url}\""),
            Detail::ReadTimeout => write!(f, "read timeout on endpoint URL: \"{url}\""),
            Detail::NotTls => write!(
                f,
                "TLS handshake failed with endpoint URL: \"{url}\": the server did not speak TLS \
                 (is it an http:// endpoint?)"
            ),
            Detail::Untrusted(reason) => write!(
                f,
                "SSL validation failed for \"{url}\": the server's certificate is not trusted \
                 ({reason}); add its CA with ca_bundle or AWS_CA_BUNDLE"
            ),
            Detail::Tls => {
                write!(f, "TLS handshake failed with endpoint URL: \"{url}\"")?;
                // rustls says why without secrets, and that is what a person needs to fix it.
                match &self.source {
                    Some(source) => write!(f, ": {source}"),
                    None => Ok(()),
                }
            }
            Detail::Closed => write!(
                f,
                "connection was closed before a complete response came from endpoint URL: \"{url}\""
            ),
            Detail::Io => write!(f, "the connection to endpoint URL \"{url}\" failed"),
            Detail::BodyTooLarge => write!(
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

/// Why one of a client's operations failed: no response came back ([`Error::Transport`]), or
/// the response was a refusal or could not be understood ([`Error::Api`], the core's typed
/// error); each with the number of attempts made, as the client's retry policy allowed. The
/// message says so after more than one: `… (gave up after 3 attempts)`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No usable response came back to the last attempt.
    #[error("{error}{}", gave_up_after(*attempts))]
    Transport {
        /// How the last attempt failed.
        #[source]
        error: TransportError,
        /// How many attempts were made, the first included.
        attempts: u32,
    },
    /// The request could not be built, the service refused it, or its answer could not be
    /// understood: the core's error, as its parser reported it for the last attempt.
    #[error("{error}{}", gave_up_after(*attempts))]
    Api {
        /// What the core said.
        #[source]
        error: sso_oidc::Error,
        /// How many attempts were made, the first included: 0 when nothing was sent (a
        /// request that could not be built).
        attempts: u32,
    },
    /// The call was cancelled with a [`Cancel`](crate::Cancel) (`call_until` in both
    /// transports).
    #[error("the call was cancelled")]
    Cancelled,
    /// A [`Call`](sso_oidc::Call) handed to a client had been driven wrongly before; see [`Misuse`].
    #[error("call misused: {0}")]
    Misuse(Misuse),
    /// One of the SSO portal's operations was asked of a client without a portal endpoint
    /// ([`ClientBuilder::portal_endpoint`](crate::ClientBuilder::portal_endpoint)); nothing
    /// was sent.
    #[error(
        "missing portal endpoint: the SSO portal's operations need one, such as \
         https://portal.sso.us-east-1.amazonaws.com (set it with portal_endpoint)"
    )]
    MissingPortalEndpoint,
}

impl From<TransportError> for Error {
    /// One attempt that got no usable response.
    fn from(error: TransportError) -> Self {
        Self::Transport { error, attempts: 1 }
    }
}

impl From<sso_oidc::Error> for Error {
    /// The core's error for one attempt, or for none when the request could not be built.
    fn from(error: sso_oidc::Error) -> Self {
        let attempts = u32::from(!matches!(error, sso_oidc::Error::Build(_)));
        Self::Api { error, attempts }
    }
}

impl Error {
    /// What a [`Call`](sso_oidc::Call)'s failure is for a client that ran it: `last` is the error of the last
    /// attempt that got no response, if the client saw one; `uri` is where the call sends.
    ///
    /// A transport failure the client did not see (the machine was handed one before the
    /// client got it) is told by its kind alone, as a [`TransportError`] with the
    /// [`Detail`] that kind has by default.
    pub fn of_call(error: CallError, last: Option<TransportError>, uri: &Uri) -> Self {
        match error {
            CallError::Api { error, attempts } => Self::Api { error, attempts },
            CallError::Transport { kind, attempts } => Self::Transport {
                error: last
                    .filter(|last| last.kind() == kind)
                    .unwrap_or_else(|| TransportError::new(Detail::of_kind(kind), uri, None)),
                attempts,
            },
            CallError::Misuse(misuse) => Self::Misuse(misuse),
            // `Cancelled`, and whatever a later core adds: the call did not end on an attempt.
            _ => Self::Cancelled,
        }
    }

    /// The service's error code, when the service named one.
    pub fn code(&self) -> Option<&ErrorCode> {
        match self {
            Self::Api { error, .. } => error.code(),
            _ => None,
        }
    }

    /// The SSO portal's error code, when the portal refused one of its operations
    /// (`UnauthorizedException` for a token it does not know, has expired or was logged out,
    /// ...): the core's [`Error::portal_code`](sso_oidc::Error::portal_code).
    ///
    /// ```
    /// use sso_oidc::portal::{ErrorCode, ListAccounts};
    /// use sso_oidc_transport::Error;
    ///
    /// let refused = http::Response::builder()
    ///     .status(401)
    ///     .header("x-amzn-ErrorType", "UnauthorizedException")
    ///     .body(br#"{"message":"Session token not found or invalid"}"#.to_vec())?;
    /// let error = Error::from(ListAccounts::parse(refused).unwrap_err());
    /// assert_eq!(error.portal_code(), Some(ErrorCode::Unauthorized));
    /// assert_eq!(error.status(), Some(http::StatusCode::UNAUTHORIZED));
    /// assert_eq!(error.code().map(|c| c.shape_name()), Some("UnauthorizedException"));
    /// assert_eq!(Error::MissingPortalEndpoint.portal_code(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn portal_code(&self) -> Option<sso_oidc::portal::ErrorCode> {
        match self {
            Self::Api { error, .. } => error.portal_code(),
            _ => None,
        }
    }

    /// The HTTP status of the last attempt's response, when one came back.
    pub fn status(&self) -> Option<http::StatusCode> {
        match self {
            Self::Api { error, .. } => error.status(),
            _ => None,
        }
    }

    /// The transport's failure kind, when no usable response came back.
    pub fn transport_kind(&self) -> Option<TransportErrorKind> {
        match self {
            Self::Transport { error, .. } => Some(error.kind()),
            _ => None,
        }
    }

    /// How many attempts were made, the first included, when the operation ended on an
    /// attempt's outcome (not on [`Cancelled`](Self::Cancelled) or [`Misuse`](Self::Misuse));
    /// 0 when nothing was sent ([`MissingPortalEndpoint`](Self::MissingPortalEndpoint), or an
    /// [`Api`](Self::Api) error for a request that could not be built).
    pub fn attempts(&self) -> Option<u32> {
        match self {
            Self::Transport { attempts, .. } | Self::Api { attempts, .. } => Some(*attempts),
            Self::MissingPortalEndpoint => Some(0),
            Self::Cancelled | Self::Misuse(_) => None,
        }
    }
}

/// What the core's error messages add when retries ran out: ` (gave up after 3 attempts)`.
fn gave_up_after(attempts: u32) -> String {
    if attempts > 1 {
        format!(" (gave up after {attempts} attempts)")
    } else {
        String::new()
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

    const URL: &str = "https://oidc.us-east-1.amazonaws.com/token";

    fn error(detail: Detail) -> TransportError {
        TransportError::new(detail, &URL.parse().unwrap(), None)
    }

    #[test]
    fn messages_read_like_the_aws_cli_and_name_the_url() {
        let cases = [
            (
                Detail::Connect,
                TransportErrorKind::Connect,
                "could not connect to the endpoint URL: \"https://oidc.us-east-1.amazonaws.com/token\"",
            ),
            (
                Detail::Resolve {
                    host: "oidc.us-easst-1.amazonaws.com".into(),
                },
                TransportErrorKind::Connect,
                "could not connect to the endpoint URL: \"https://oidc.us-east-1.amazonaws.com/token\": \
                 could not resolve host \"oidc.us-easst-1.amazonaws.com\"",
            ),
            (
                Detail::Refused,
                TransportErrorKind::Connect,
                "could not connect to the endpoint URL: \"https://oidc.us-east-1.amazonaws.com/token\": \
                 connection refused",
            ),
            (
                Detail::ReadTimeout,
                TransportErrorKind::Timeout,
                "read timeout on endpoint URL: \"https://oidc.us-east-1.amazonaws.com/token\"",
            ),
            (
                Detail::NotTls,
                TransportErrorKind::Tls,
                "TLS handshake failed with endpoint URL: \"https://oidc.us-east-1.amazonaws.com/token\": \
                 the server did not speak TLS (is it an http:// endpoint?)",
            ),
            (
                Detail::Closed,
                TransportErrorKind::Io,
                "connection was closed before a complete response came from endpoint URL: \
                 \"https://oidc.us-east-1.amazonaws.com/token\"",
            ),
            (
                Detail::BodyTooLarge,
                TransportErrorKind::BodyTooLarge,
                "response body from endpoint URL \"https://oidc.us-east-1.amazonaws.com/token\" is \
                 larger than 1048576 bytes",
            ),
        ];
        for (detail, kind, message) in cases {
            let error = error(detail);
            assert_eq!(error.kind(), kind, "{error}");
            assert_eq!(error.to_string(), message);
        }
        let proxy = error(Detail::Proxy("http://proxy:3128".into()));
        assert_eq!(proxy.kind(), TransportErrorKind::Connect);
        assert_eq!(proxy.proxy(), Some("http://proxy:3128"));
        assert!(error(Detail::ConnectTimeout).is_connect_timeout());
        assert!(!error(Detail::ReadTimeout).is_connect_timeout());
    }

    #[test]
    fn io_errors_by_phase() {
        let io = |kind| io::Error::from(kind);
        assert_eq!(
            Detail::of_io(&io(io::ErrorKind::ConnectionRefused), true),
            Detail::Refused
        );
        assert_eq!(
            Detail::of_io(&io(io::ErrorKind::TimedOut), true),
            Detail::ConnectTimeout
        );
        assert_eq!(
            Detail::of_io(&io(io::ErrorKind::WouldBlock), false),
            Detail::ReadTimeout
        );
        assert_eq!(
            Detail::of_io(&io(io::ErrorKind::UnexpectedEof), false),
            Detail::Closed
        );
        assert_eq!(
            Detail::of_io(&io(io::ErrorKind::ConnectionReset), true),
            Detail::Connect
        );
        let wrapped = io::Error::new(
            io::ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer),
        );
        assert_eq!(
            Detail::of_io(&wrapped, false),
            Detail::Untrusted("unknown issuer")
        );
        let plain = io::Error::new(
            io::ErrorKind::InvalidData,
            rustls::Error::InvalidMessage(rustls::InvalidMessage::InvalidContentType),
        );
        assert_eq!(Detail::of_io(&plain, true), Detail::NotTls);
    }

    #[test]
    fn urls_in_messages_have_no_query_or_credentials() {
        let uri = "https://user:pw@oidc.example.com:8443/token?code=secret"
            .parse()
            .unwrap();
        let error = TransportError::new(Detail::Connect, &uri, None);
        assert_eq!(error.url(), "https://oidc.example.com:8443/token");
        assert!(!error.to_string().contains("secret") && !error.to_string().contains("pw"));
    }

    #[test]
    fn a_call_s_failure_keeps_the_last_transport_error_and_the_attempts() {
        let uri: Uri = URL.parse().unwrap();
        let timeout = CallError::Transport {
            kind: TransportErrorKind::Timeout,
            attempts: 3,
        };
        let seen = error(Detail::ConnectTimeout);
        let error = Error::of_call(timeout.clone(), Some(seen), &uri);
        assert_eq!(error.attempts(), Some(3));
        assert_eq!(error.transport_kind(), Some(TransportErrorKind::Timeout));
        assert_eq!(
            error.to_string(),
            "connect timeout on endpoint URL: \"https://oidc.us-east-1.amazonaws.com/token\" \
             (gave up after 3 attempts)"
        );
        assert!(std::error::Error::source(&error).is_some());
        // Not seen by the client: told by its kind.
        let unseen = Error::of_call(timeout, None, &uri);
        assert_eq!(
            unseen.to_string(),
            "read timeout on endpoint URL: \"https://oidc.us-east-1.amazonaws.com/token\" \
             (gave up after 3 attempts)"
        );
        let refused = sso_oidc::Error::Build(sso_oidc::BuildError::MissingRegion);
        let api = Error::of_call(
            CallError::Api {
                error: refused.clone(),
                attempts: 1,
            },
            None,
            &uri,
        );
        assert!(matches!(&api, Error::Api { attempts: 1, .. }));
        assert_eq!(
            api.to_string(),
            refused.to_string(),
            "one attempt: no count"
        );
        assert_eq!(Error::from(refused).attempts(), Some(0), "nothing was sent");
        let cancelled = Error::of_call(CallError::Cancelled, None, &uri);
        assert!(matches!(cancelled, Error::Cancelled));
        assert_eq!(cancelled.attempts(), None);
        let misuse = CallError::Misuse(Misuse::PollWhileAwaitingResponse);
        assert!(matches!(
            Error::of_call(misuse, None, &uri),
            Error::Misuse(Misuse::PollWhileAwaitingResponse)
        ));
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
