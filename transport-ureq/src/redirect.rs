//! The loopback redirect listener, blocking: a socket on 127.0.0.1 under the shared crate's
//! request handling ([`sso_oidc_transport::redirect`]).

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use sso_oidc_transport::redirect::{
    BindError, Exchange, ListenerSettings, Reply, Step, WaitError, redacted_target, redirect_uri,
};
use sso_oidc_transport::{Cancel, RedirectInbox};

/// How often the listener looks for new connections and bytes while it waits: the most a
/// redirect waits before it is seen, and how late a cancel is noticed at worst (a cancel
/// usually wakes it at once).
const POLL_INTERVAL: Duration = Duration::from_millis(20);

/// How long writing a page to the browser may take: a page is under 2 KiB, which the socket's
/// buffer takes at once.
const WRITE_TIMEOUT: Duration = Duration::from_secs(5);

/// Listens on 127.0.0.1 for the browser's redirect in the authorization-code sign-in, until
/// dropped (the socket closes with it, and with it every connection not yet answered).
///
/// [`next_redirect`](Self::next_redirect) waits for the next `GET /oauth/callback…` and
/// answers every other request on the way (404 for `/favicon.ico`, 405 for a `POST`, …).
/// Connections are served side by side without threads: each socket is non-blocking and is
/// looked at every 20 ms, so a connection that sends nothing (a browser's preconnect) does
/// not hold up the next one; each may take [`ListenerSettings::connection_timeout`] to send
/// its head, and at most [`ListenerSettings::max_connections`] are open at once. Connections
/// are only read while a `next_redirect` call waits: one that comes in between waits for the
/// next call, or is closed with the listener.
///
/// ```
/// use std::io::{Read, Write};
/// use std::time::{Duration, Instant};
/// use sso_oidc_ureq::{ListenerSettings, RedirectListener, Reply};
///
/// let mut listener = RedirectListener::bind(&ListenerSettings::default())?;
/// let uri = listener.redirect_uri(); // `http://127.0.0.1:<port>/oauth/callback`, for /authorize
///
/// // What the browser does once the person signs in.
/// let port = listener.local_addr().port();
/// let browser = std::thread::spawn(move || {
///     let mut connection = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
///     connection.write_all(b"GET /oauth/callback?code=c&state=s HTTP/1.1\r\n\r\n").unwrap();
///     let mut page = String::new();
///     connection.read_to_string(&mut page).unwrap();
///     page
/// });
///
/// let redirect = listener.next_redirect(Instant::now() + Duration::from_secs(60))?;
/// assert_eq!(redirect.target(), "/oauth/callback?code=c&state=s"); // for the flow to judge
/// redirect.respond(&Reply::SignedIn)?;
/// assert!(browser.join().unwrap().contains("return to the terminal"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct RedirectListener {
    listener: TcpListener,
    address: SocketAddr,
    settings: ListenerSettings,
    connections: Vec<Connection>,
}

#[derive(Debug)]
struct Connection {
    stream: TcpStream,
    exchange: Exchange,
    opened: Instant,
}

/// The browser's redirect to the listener, not answered yet: its request target for the flow
/// to judge, and the connection to answer on with the [`Reply`] the flow chooses.
///
/// Dropped without [`respond`](Self::respond), it answers [`Reply::Stopped`].
pub struct Redirect {
    target: String,
    stream: Option<TcpStream>,
}

impl std::fmt::Debug for Redirect {
    /// The target without its query, which holds the authorization code.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Redirect")
            .field("target", &redacted_target(&self.target))
            .field("pasted", &self.stream.is_none())
            .finish()
    }
}

impl RedirectListener {
    /// Listens on 127.0.0.1 (never another interface) on `settings`' port, or a random one
    /// for 0.
    ///
    /// # Errors
    /// [`BindError::InUse`] when another program has the port, [`BindError::Listen`] when the
    /// system refuses otherwise.
    pub fn bind(settings: &ListenerSettings) -> Result<Self, BindError> {
        let port = settings.port;
        let listener = listen(settings.address()).map_err(|e| BindError::from_io(port, e))?;
        let address = listener
            .local_addr()
            .map_err(|e| BindError::from_io(port, e))?;
        Ok(Self {
            listener,
            address,
            settings: settings.clone(),
            connections: Vec::new(),
        })
    }

    /// The address it listens on: 127.0.0.1 and the port (the one the system picked for 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.address
    }

    /// The redirect URI to send to `/authorize` and in CreateToken:
    /// `http://127.0.0.1:<port>/oauth/callback`.
    pub fn redirect_uri(&self) -> String {
        redirect_uri(self.address.port())
    }

    /// Waits until the next `GET /oauth/callback…` has come in, answering every other request
    /// on the way, and returns it unanswered.
    ///
    /// # Errors
    /// [`WaitError::TimedOut`] once `deadline` has passed without one,
    /// [`WaitError::Accept`] if the listening socket fails.
    pub fn next_redirect(&mut self, deadline: Instant) -> Result<Redirect, WaitError> {
        self.next_redirect_until(deadline, &Cancel::new())
    }

    /// [`next_redirect`](Self::next_redirect) that also ends, at once, when `cancel` is
    /// cancelled (from another thread, or a Ctrl-C handler).
    ///
    /// # Errors
    /// As [`next_redirect`](Self::next_redirect), and [`WaitError::Cancelled`].
    pub fn next_redirect_until(
        &mut self,
        deadline: Instant,
        cancel: &Cancel,
    ) -> Result<Redirect, WaitError> {
        self.next_redirect_or_pasted(deadline, cancel, &RedirectInbox::new())
    }

    /// [`next_redirect_until`](Self::next_redirect_until) that also returns a redirect pushed
    /// to `pasted` (an address pasted from a browser on another machine), within 20 ms. A
    /// pasted [`Redirect`] has no browser to answer: [`respond`](Redirect::respond) does
    /// nothing.
    ///
    /// # Errors
    /// As [`next_redirect_until`](Self::next_redirect_until).
    pub fn next_redirect_or_pasted(
        &mut self,
        deadline: Instant,
        cancel: &Cancel,
        pasted: &RedirectInbox,
    ) -> Result<Redirect, WaitError> {
        loop {
            if cancel.is_cancelled() {
                return Err(WaitError::Cancelled);
            }
            self.accept()?;
            if let Some(redirect) = self.serve() {
                return Ok(redirect);
            }
            if let Some(target) = pasted.take() {
                return Ok(Redirect {
                    target,
                    stream: None,
                });
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(WaitError::TimedOut);
            }
            if cancel.wait_timeout(POLL_INTERVAL.min(deadline - now)) {
                return Err(WaitError::Cancelled);
            }
        }
    }

    /// Takes every connection waiting to be accepted.
    fn accept(&mut self) -> Result<(), WaitError> {
        loop {
            match self.listener.accept() {
                Ok((stream, _)) => {
                    if stream.set_nonblocking(true).is_err() {
                        continue;
                    }
                    if self.connections.len() >= self.settings.max_connections.max(1) {
                        self.connections.remove(0);
                    }
                    self.connections.push(Connection {
                        stream,
                        exchange: Exchange::new(),
                        opened: Instant::now(),
                    });
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(()),
                // The client gave up before we took it: nothing to do with the listener.
                Err(e) if is_transient(&e) => {}
                Err(e) => return Err(WaitError::Accept(e)),
            }
        }
    }

    /// Reads what each connection has sent, answers those that are done, and returns the
    /// first redirect.
    fn serve(&mut self) -> Option<Redirect> {
        let timeout = self.settings.connection_timeout;
        let mut index = 0;
        while index < self.connections.len() {
            let connection = &mut self.connections[index];
            match connection.read() {
                Some(Step::More) if connection.opened.elapsed() < timeout => index += 1,
                Some(Step::Redirect(target)) => {
                    let stream = self.connections.remove(index).stream;
                    return Some(Redirect {
                        target,
                        stream: Some(stream),
                    });
                }
                Some(Step::Answer(bytes)) => {
                    let _ = write(self.connections.remove(index).stream, &bytes);
                }
                // Closed, broken, or out of time: closed without an answer.
                _ => drop(self.connections.remove(index)),
            }
        }
        None
    }
}

impl Connection {
    /// What the bytes read so far say: `None` when the connection ended or broke.
    fn read(&mut self) -> Option<Step> {
        let mut buf = [0; 4096];
        loop {
            match self.stream.read(&mut buf) {
                Ok(0) => return None,
                Ok(n) => match self.exchange.feed(&buf[..n]) {
                    Step::More => {}
                    step => return Some(step),
                },
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Some(Step::More),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return None,
            }
        }
    }
}

impl Redirect {
    /// The request target as the browser sent it, path and query:
    /// `/oauth/callback?code=…&state=…`. What the flow's `handle_redirect` takes.
    pub fn target(&self) -> &str {
        &self.target
    }

    /// Whether it was pasted ([`RedirectListener::next_redirect_or_pasted`]) rather than
    /// brought by a browser to the listener: then there is nobody to answer.
    pub fn is_pasted(&self) -> bool {
        self.stream.is_none()
    }

    /// Answers the browser with the page for `reply`, and closes the connection (nothing for
    /// a pasted redirect).
    ///
    /// # Errors
    /// The browser went away, or did not take the page within 5 s: there is nobody left to
    /// tell, so the flow's outcome stands.
    pub fn respond(mut self, reply: &Reply) -> io::Result<()> {
        match self.stream.take() {
            Some(stream) => write(stream, &reply.to_response()),
            None => Ok(()),
        }
    }
}

impl Drop for Redirect {
    fn drop(&mut self) {
        if let Some(stream) = self.stream.take() {
            let _ = write(stream, &Reply::Stopped.to_response());
        }
    }
}

/// Writes a whole response and closes the connection.
fn write(mut stream: TcpStream, bytes: &[u8]) -> io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_write_timeout(Some(WRITE_TIMEOUT))?;
    stream.write_all(bytes)?;
    stream.flush()?;
    // The end of the page, then our end of the connection; the browser closes its end.
    stream.shutdown(Shutdown::Write)
}

fn is_transient(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::Interrupted
    )
}

/// A non-blocking listening socket on `address`. On Unix with `SO_REUSEADDR`: the connections
/// of the last sign-in on a fixed port linger in TIME_WAIT for a minute (the listener closes
/// first), and without it that port would read as taken. Unlike on Windows, it does not let
/// two sockets listen on the same port.
fn listen(address: SocketAddr) -> io::Result<TcpListener> {
    use socket2::{Domain, Socket, Type};
    let socket = Socket::new(Domain::for_address(address), Type::STREAM, None)?;
    #[cfg(unix)]
    socket.set_reuse_address(true)?;
    socket.bind(&address.into())?;
    socket.listen(32)?;
    let listener = TcpListener::from(socket);
    listener.set_nonblocking(true)?;
    Ok(listener)
}
