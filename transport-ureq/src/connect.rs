//! How an agent connects: TCP (through a `CONNECT` proxy when the agent has one), then TLS
//! with the shared rustls configuration for `https`, then a deadline on each whole response.

use std::io;
use std::sync::Arc;
use std::time::Instant;

use sso_oidc_transport::rustls::pki_types::ServerName;
use sso_oidc_transport::rustls::{ClientConnection, StreamOwned};
use sso_oidc_transport::{Origin, Settings};
use ureq::Agent;
use ureq::unversioned::transport::time::{Duration as UreqDuration, Instant as UreqInstant};
use ureq::unversioned::transport::{
    Buffers, ConnectProxyConnector, ConnectionDetails, Connector, Either, LazyBuffers, NextTimeout,
    TcpConnector, Transport, TransportAdapter,
};

use crate::resolve::IpFirst;

/// The output buffer of a connection: room for a request's head and body in one write.
const REQUEST_BUFFER: usize = 16 * 1024;

/// An agent with the client's settings, through `proxy` or direct.
pub(crate) fn agent(settings: &Arc<Settings>, proxy: Option<ureq::Proxy>) -> Agent {
    let connect = Some(settings.connect_timeout());
    // The deadline below bounds a whole response; these bound each write and each wait as
    // well. Constant, unlike ureq's phase budgets, which shrink with every read and so set the
    // socket's timeout again (a system call) on every read.
    let read = Some(settings.read_timeout());
    let user_agent = settings.user_agent().and_then(|ua| ua.to_str().ok());
    let config = Agent::config_builder()
        // The service says "authorization pending" with a 400: every status is a response.
        .http_status_as_error(false)
        .max_redirects(0)
        // Always set: ureq's default reads the environment its own way.
        .proxy(proxy)
        .timeout_resolve(connect)
        .timeout_connect(connect)
        .timeout_per_read(read)
        .timeout_per_write(read)
        // Sent to a proxy with CONNECT; requests carry their own ("" sends none).
        .user_agent(user_agent.unwrap_or(""))
        // Send the request as the core built it: no headers it did not ask for.
        .accept("")
        .accept_encoding("")
        // A request is a few hundred bytes, and the default 128 KiB buffer is zeroed for each
        // new connection: a sixth of a whole `start-device-authorization` process's work.
        // Larger bodies still go out, in pieces of this size.
        .output_buffer_size(REQUEST_BUFFER)
        .build();
    // ureq's order: a CONNECT proxy opens its own connection to the proxy (through this same
    // chain), the TCP connector connects when nothing did before it.
    let connector =
        ().chain(ConnectProxyConnector::default())
            .chain(TcpConnector::default())
            .chain(TlsConnector(Arc::clone(settings)))
            .chain(Deadline(settings.read_timeout()));
    Agent::with_parts(config, connector, IpFirst::default())
}

/// TLS over the connection for an `https` URL, with the configuration the settings make on
/// the first call: a client that only talks to `http://` never reads a certificate.
#[derive(Debug)]
struct TlsConnector(Arc<Settings>);

impl<In: Transport> Connector<In> for TlsConnector {
    type Out = Either<In, TlsTransport>;

    fn connect(
        &self,
        details: &ConnectionDetails<'_>,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        let Some(transport) = chained else {
            return Ok(None);
        };
        if !details.needs_tls() || transport.is_tls() {
            return Ok(Some(Either::A(transport)));
        }
        let host = Origin::of(details.uri).map(|o| o.host).unwrap_or_default();
        let name = ServerName::try_from(host)
            .map_err(|e| handshake(io::Error::new(io::ErrorKind::InvalidInput, e)))?;
        let connection = ClientConnection::new(self.0.tls().config(), name)
            .map_err(|e| handshake(io::Error::other(e)))?;
        let mut io = TransportAdapter::new(transport.boxed(), details.current_time.clone());
        io.set_timeout(connect_time_left(details));
        let mut stream = StreamOwned::new(connection, io);
        stream
            .conn
            .complete_io(&mut stream.sock)
            .map_err(handshake)?;
        let buffers = LazyBuffers::new(
            details.config.input_buffer_size(),
            details.config.output_buffer_size(),
        );
        Ok(Some(Either::B(TlsTransport { buffers, stream })))
    }
}

/// A failed handshake, as [`ureq::Error::Other`] holding the I/O error (rustls's verdict
/// inside it, if it was one), so that it reads as a failure to connect rather than as a
/// connection broken later. A timeout stays ureq's own.
fn handshake(error: io::Error) -> ureq::Error {
    match ureq::Error::from(error) {
        ureq::Error::Io(error) => ureq::Error::Other(Box::new(error)),
        other => other,
    }
}

/// What is left of the connect timeout, which resolving and TCP have used part of.
fn connect_time_left(details: &ConnectionDetails<'_>) -> NextTimeout {
    let mut timeout = details.timeout;
    if let (UreqDuration::Exact(budget), UreqInstant::Exact(start), UreqInstant::Exact(now)) =
        (timeout.after, details.now, (details.current_time)())
    {
        timeout.after =
            UreqDuration::Exact(budget.saturating_sub(now.saturating_duration_since(start)));
    }
    timeout
}

/// A TLS connection over the chained one.
struct TlsTransport {
    buffers: LazyBuffers,
    stream: StreamOwned<ClientConnection, TransportAdapter>,
}

impl Transport for TlsTransport {
    fn buffers(&mut self) -> &mut dyn Buffers {
        &mut self.buffers
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        use io::Write;
        self.stream.sock.set_timeout(timeout);
        self.stream.write_all(&self.buffers.output()[..amount])?;
        Ok(())
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        use io::Read;
        self.stream.sock.set_timeout(timeout);
        let amount = self.stream.read(self.buffers.input_append_buf())?;
        self.buffers.input_appended(amount);
        Ok(amount > 0)
    }

    fn is_open(&mut self) -> bool {
        self.stream.sock.get_mut().is_open()
    }

    fn is_tls(&self) -> bool {
        true
    }
}

impl std::fmt::Debug for TlsTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("TlsTransport")
            .field(&self.stream.sock.inner())
            .finish()
    }
}

/// Bounds each whole response by the read timeout. ureq's budgets start anew for the body
/// after the head; a server that sends the head and then a byte now and then would hold a
/// call for twice the timeout, or for ever with a budget per read.
#[derive(Debug)]
struct Deadline(std::time::Duration);

impl<In: Transport> Connector<In> for Deadline {
    type Out = Bounded<In>;

    fn connect(
        &self,
        _: &ConnectionDetails<'_>,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        Ok(chained.map(|inner| Bounded {
            inner,
            limit: self.0,
            armed: false,
            deadline: None,
        }))
    }
}

/// How finely a wait is cut short to meet a deadline.
const DEADLINE_STEP: std::time::Duration = std::time::Duration::from_millis(100);

/// A connection whose reads after each request end at one deadline: the read timeout after
/// the first wait for the answer.
#[derive(Debug)]
struct Bounded<T> {
    inner: T,
    limit: std::time::Duration,
    /// Whether the answer to the last request has been waited for yet.
    armed: bool,
    /// `None` for a timeout too long to be a time.
    deadline: Option<Instant>,
}

impl<T: Transport> Transport for Bounded<T> {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.inner.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        // A request going out: its answer gets a deadline of its own.
        self.armed = false;
        self.inner.transmit_output(amount, timeout)
    }

    fn await_input(&mut self, mut timeout: NextTimeout) -> Result<bool, ureq::Error> {
        let now = Instant::now();
        if !self.armed {
            self.armed = true;
            self.deadline = now.checked_add(self.limit);
        }
        if let Some(deadline) = self.deadline {
            let left = deadline.saturating_duration_since(now);
            let reason = match timeout.reason {
                ureq::Timeout::RecvBody => ureq::Timeout::RecvBody,
                _ => ureq::Timeout::RecvResponse,
            };
            if left.is_zero() {
                return Err(ureq::Error::Timeout(reason));
            }
            // In whole steps: the socket's timeout is set again only when it changes, and a
            // wait that shrank with every read would cost a system call each time. A wait
            // ends at most one step after the deadline.
            let steps = left.as_nanos().div_ceil(DEADLINE_STEP.as_nanos());
            let left = DEADLINE_STEP.saturating_mul(u32::try_from(steps).unwrap_or(u32::MAX));
            if UreqDuration::from(left) < timeout.after {
                timeout.after = left.into();
                timeout.reason = reason;
            }
        }
        self.inner.await_input(timeout)
    }

    fn is_open(&mut self) -> bool {
        self.inner.is_open()
    }

    fn is_tls(&self) -> bool {
        self.inner.is_tls()
    }
}
