//! How a transport says that a request failed before a response came back.

use std::fmt;

/// Why a transport could not deliver a request or read its response.
///
/// A transport maps its own errors onto these kinds and hands them to
/// [`DeviceFlow::handle_transport_error`](crate::DeviceFlow::handle_transport_error); the flow
/// decides from the kind whether to retry. A response with any HTTP status, 4xx and 5xx
/// included, is not a transport error: pass it to the flow as a response.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made: the name did not resolve, the connection was refused, or a
    /// proxy failed. Retried.
    Connect,
    /// No answer came in time, while connecting or while reading. Retried, and while polling
    /// for a token it doubles the interval (RFC 8628 section 3.5).
    Timeout,
    /// The connection broke while the request was sent or the response read. Retried.
    Io,
    /// The TLS handshake failed: the certificate is not trusted or does not match the host.
    /// Not retried: it fails the same way again.
    Tls,
    /// The response body was larger than [`MAX_RESPONSE_BODY`](crate::MAX_RESPONSE_BODY), and
    /// the transport stopped reading it. Not retried.
    BodyTooLarge,
}

impl TransportErrorKind {
    /// Whether another attempt may succeed where this one failed.
    pub const fn is_retryable(self) -> bool {
        matches!(self, Self::Connect | Self::Timeout | Self::Io)
    }

    const fn describe(self) -> &'static str {
        match self {
            Self::Connect => "could not connect to the endpoint",
            Self::Timeout => "the endpoint did not answer in time",
            Self::Io => "the connection broke",
            Self::Tls => "the TLS handshake failed (is the certificate trusted?)",
            Self::BodyTooLarge => "the response body was too large",
        }
    }
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.describe())
    }
}
