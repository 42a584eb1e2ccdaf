//! Where the listener listens and how long a connection may take, and what can go wrong.

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use super::exchange::CALLBACK_PATH;

/// How the redirect listener listens: made with [`Default`] (a random port, 10 s per
/// connection) or [`ListenerSettings::port`], then adjusted field by field.
///
/// It always listens on 127.0.0.1 only (RFC 8252 section 8.3: not on every interface, where
/// another machine could send it a code), never on `::1`: the redirect URI names `127.0.0.1`.
///
/// ```
/// use sso_oidc_transport::redirect::ListenerSettings;
/// use std::time::Duration;
///
/// let mut settings = ListenerSettings::port(8400); // forwarded with `ssh -L 8400:127.0.0.1:8400`
/// settings.connection_timeout = Duration::from_secs(5);
/// assert_eq!(settings.address().to_string(), "127.0.0.1:8400");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ListenerSettings {
    /// The port on 127.0.0.1; 0 (the default) lets the system pick a free one. A fixed one
    /// suits SSH port forwarding and containers.
    pub port: u16,
    /// How long a connection may take to send its request head (10 s by default); then it is
    /// closed without an answer.
    pub connection_timeout: Duration,
    /// How many connections may be open at once (16 by default); the oldest is closed to make
    /// room for a new one, so idle connections (a browser's preconnects) cannot lock it up.
    pub max_connections: usize,
}

impl Default for ListenerSettings {
    fn default() -> Self {
        Self {
            port: 0,
            connection_timeout: Duration::from_secs(10),
            max_connections: 16,
        }
    }
}

impl ListenerSettings {
    /// The defaults, on this port (0 for a random one).
    pub fn port(port: u16) -> Self {
        Self {
            port,
            ..Self::default()
        }
    }

    /// The address to bind: 127.0.0.1 and the port.
    pub fn address(&self) -> SocketAddr {
        SocketAddr::from((Ipv4Addr::LOCALHOST, self.port))
    }
}

/// The redirect URI for a listener on this port, as sent to `/authorize` and again in
/// CreateToken: `http://127.0.0.1:<port>/oauth/callback`.
///
/// ```
/// assert_eq!(
///     sso_oidc_transport::redirect::redirect_uri(8400),
///     "http://127.0.0.1:8400/oauth/callback"
/// );
/// ```
pub fn redirect_uri(port: u16) -> String {
    format!("http://{}:{port}{CALLBACK_PATH}", Ipv4Addr::LOCALHOST)
}

/// The redirect listener could not listen.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BindError {
    /// Another program listens on that port already.
    #[error(
        "port {port} on 127.0.0.1 is already in use: choose another one (--redirect-port), \
         or 0 for a random one"
    )]
    InUse {
        /// The port asked for.
        port: u16,
        /// The system's error.
        #[source]
        source: io::Error,
    },
    /// Listening failed otherwise (a port below 1024 without the right, no loopback
    /// interface).
    #[error("could not listen on 127.0.0.1:{port}")]
    Listen {
        /// The port asked for.
        port: u16,
        /// The system's error.
        #[source]
        source: io::Error,
    },
}

impl BindError {
    /// The error for a failure to listen on `port`: [`InUse`](Self::InUse) for
    /// [`io::ErrorKind::AddrInUse`], else [`Listen`](Self::Listen).
    pub fn from_io(port: u16, source: io::Error) -> Self {
        if source.kind() == io::ErrorKind::AddrInUse {
            Self::InUse { port, source }
        } else {
            Self::Listen { port, source }
        }
    }

    /// The port asked for.
    pub fn port(&self) -> u16 {
        match self {
            Self::InUse { port, .. } | Self::Listen { port, .. } => *port,
        }
    }
}

/// Waiting for the redirect ended without one.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WaitError {
    /// The deadline passed before the browser came back.
    #[error("no redirect came back from the browser in time")]
    TimedOut,
    /// The wait was cancelled ([`Cancel::cancel`](crate::Cancel::cancel)).
    #[error("cancelled while waiting for the browser's redirect")]
    Cancelled,
    /// The listening socket failed (out of file descriptors, say).
    #[error("the redirect listener failed")]
    Accept(#[source] io::Error),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_use_names_the_port_and_the_way_out() {
        let error = BindError::from_io(8400, io::ErrorKind::AddrInUse.into());
        assert!(matches!(error, BindError::InUse { port: 8400, .. }));
        assert_eq!(
            error.to_string(),
            "port 8400 on 127.0.0.1 is already in use: choose another one (--redirect-port), \
             or 0 for a random one"
        );
        let error = BindError::from_io(80, io::ErrorKind::PermissionDenied.into());
        assert_eq!(error.to_string(), "could not listen on 127.0.0.1:80");
        assert_eq!(error.port(), 80);
    }

    #[test]
    fn defaults() {
        let settings = ListenerSettings::default();
        assert_eq!(settings.address().to_string(), "127.0.0.1:0");
        assert_eq!(settings.connection_timeout, Duration::from_secs(10));
        assert_eq!(redirect_uri(1234), "http://127.0.0.1:1234/oauth/callback");
    }
}
