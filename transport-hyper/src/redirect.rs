//! The loopback redirect listener, on tokio: a socket on 127.0.0.1 under the shared crate's
//! request handling ([`sso_oidc_transport::redirect`]).

use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use sso_oidc_transport::redirect::{
    BindError, Exchange, ListenerSettings, Reply, Step, WaitError, redacted_target, redirect_uri,
};
use sso_oidc_transport::{Cancel, RedirectInbox};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::task::JoinSet;

/// How long writing a page to the browser may take: a page is under 2 KiB, which the socket's
/// buffer takes at once.
const WRITE_TIMEOUT: Duration = Duration::from_secs(5);

/// Listens on 127.0.0.1 for the browser's redirect in the authorization-code sign-in, until
/// dropped (the socket closes with it, and every connection not yet answered is closed too).
///
/// [`next_redirect`](Self::next_redirect) waits for the next `GET /oauth/callback…` and
/// answers every other request on the way (404 for `/favicon.ico`, 405 for a `POST`, …).
/// Each connection is a task of its own on the current tokio runtime, so a connection that
/// sends nothing (a browser's preconnect) does not hold up the next one; each may take
/// [`ListenerSettings::connection_timeout`] to send its head, and at most
/// [`ListenerSettings::max_connections`] are open at once (more wait to be accepted).
///
/// ```
/// use std::time::{Duration, Instant};
/// use sso_oidc_hyper::{ListenerSettings, RedirectListener, Reply};
/// use tokio::io::{AsyncReadExt, AsyncWriteExt};
///
/// #[tokio::main(flavor = "current_thread")]
/// async fn main() -> Result<(), Box<dyn std::error::Error>> {
///     let mut listener = RedirectListener::bind(&ListenerSettings::default()).await?;
///     let uri = listener.redirect_uri(); // `http://127.0.0.1:<port>/oauth/callback`
///
///     // What the browser does once the person signs in.
///     let mut browser = tokio::net::TcpStream::connect(listener.local_addr()).await?;
///     browser.write_all(b"GET /oauth/callback?code=c&state=s HTTP/1.1\r\n\r\n").await?;
///
///     let redirect = listener.next_redirect(Instant::now() + Duration::from_secs(60)).await?;
///     assert_eq!(redirect.target(), "/oauth/callback?code=c&state=s"); // for the flow
///     redirect.respond(&Reply::SignedIn).await?;
///
///     let mut page = String::new();
///     browser.read_to_string(&mut page).await?;
///     assert!(page.contains("return to the terminal"));
///     Ok(())
/// }
/// ```
#[derive(Debug)]
pub struct RedirectListener {
    listener: TcpListener,
    address: SocketAddr,
    settings: ListenerSettings,
    /// Connections being read: each ends with its redirect, or answered and closed (`None`).
    connections: JoinSet<Option<(String, TcpStream)>>,
}

/// The browser's redirect to the listener, not answered yet: its request target for the flow
/// to judge, and the connection to answer on with the [`Reply`] the flow chooses.
///
/// Dropped without [`respond`](Self::respond), it answers [`Reply::Stopped`] if the socket
/// takes the page at once (it almost always does), without waiting.
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
    /// for 0. Must be called within a tokio runtime.
    ///
    /// # Errors
    /// [`BindError::InUse`] when another program has the port, [`BindError::Listen`] when the
    /// system refuses otherwise.
    pub async fn bind(settings: &ListenerSettings) -> Result<Self, BindError> {
        let port = settings.port;
        let listener = listen(settings.address()).map_err(|e| BindError::from_io(port, e))?;
        let address = listener
            .local_addr()
            .map_err(|e| BindError::from_io(port, e))?;
        Ok(Self {
            listener,
            address,
            settings: settings.clone(),
            connections: JoinSet::new(),
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
    /// on the way, and returns it unanswered. Dropping the future stops the wait; connections
    /// already accepted go on being read for the next call.
    ///
    /// # Errors
    /// [`WaitError::TimedOut`] once `deadline` has passed without one,
    /// [`WaitError::Accept`] if the listening socket fails.
    pub async fn next_redirect(&mut self, deadline: Instant) -> Result<Redirect, WaitError> {
        self.next_redirect_until(deadline, &Cancel::new()).await
    }

    /// [`next_redirect`](Self::next_redirect) that also ends, at once, when `cancel` is
    /// cancelled (from any thread or task).
    ///
    /// # Errors
    /// As [`next_redirect`](Self::next_redirect), and [`WaitError::Cancelled`].
    pub async fn next_redirect_until(
        &mut self,
        deadline: Instant,
        cancel: &Cancel,
    ) -> Result<Redirect, WaitError> {
        self.next_redirect_or_pasted(deadline, cancel, &RedirectInbox::new())
            .await
    }

    /// [`next_redirect_until`](Self::next_redirect_until) that also returns, at once, a
    /// redirect pushed to `pasted` (an address pasted from a browser on another machine). A
    /// pasted [`Redirect`] has no browser to answer: [`respond`](Redirect::respond) does
    /// nothing.
    ///
    /// # Errors
    /// As [`next_redirect_until`](Self::next_redirect_until).
    pub async fn next_redirect_or_pasted(
        &mut self,
        deadline: Instant,
        cancel: &Cancel,
        pasted: &RedirectInbox,
    ) -> Result<Redirect, WaitError> {
        let timeout = self.settings.connection_timeout;
        let room = self.settings.max_connections.max(1);
        let expired = tokio::time::sleep_until(deadline.into());
        tokio::pin!(expired);
        loop {
            tokio::select! {
                biased;
                () = cancel.cancelled() => return Err(WaitError::Cancelled),
                target = pasted.pushed() => return Ok(Redirect { target, stream: None }),
                Some(served) = self.connections.join_next(), if !self.connections.is_empty() => {
                    if let Ok(Some((target, stream))) = served {
                        return Ok(Redirect { target, stream: Some(stream) });
                    }
                }
                accepted = self.listener.accept(), if self.connections.len() < room => {
                    match accepted {
                        Ok((stream, _)) => {
                            self.connections.spawn(serve(stream, timeout));
                        }
                        // The client gave up before we took it: nothing to do with the listener.
                        Err(e) if is_transient(&e) => {}
                        Err(e) => return Err(WaitError::Accept(e)),
                    }
                }
                () = &mut expired => return Err(WaitError::TimedOut),
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
    pub async fn respond(mut self, reply: &Reply) -> io::Result<()> {
        match self.stream.take() {
            Some(stream) => write(stream, &reply.to_response()).await,
            None => Ok(()),
        }
    }
}

impl Drop for Redirect {
    fn drop(&mut self) {
        if let Some(stream) = self.stream.take() {
            // No waiting in a drop: what the socket takes now, or nothing.
            let _ = stream.try_write(&Reply::Stopped.to_response());
        }
    }
}

/// Reads one connection's request head within `timeout`: the redirect with its connection,
/// or `None` once the connection was answered, or closed without an answer (it ended, broke,
/// or ran out of time).
async fn serve(mut stream: TcpStream, timeout: Duration) -> Option<(String, TcpStream)> {
    let mut exchange = Exchange::new();
    let read = async {
        let mut buf = [0; 4096];
        loop {
            let n = stream.read(&mut buf).await.ok()?;
            if n == 0 {
                return None;
            }
            match exchange.feed(&buf[..n]) {
                Step::More => {}
                step => return Some(step),
            }
        }
    };
    match tokio::time::timeout(timeout, read).await.ok()?? {
        Step::Redirect(target) => Some((target, stream)),
        Step::Answer(bytes) => {
            let _ = write(stream, &bytes).await;
            None
        }
        _ => None,
    }
}

/// Writes a whole response and closes the connection.
async fn write(mut stream: TcpStream, bytes: &[u8]) -> io::Result<()> {
    let send = async {
        stream.write_all(bytes).await?;
        // The end of the page, then our end of the connection; the browser closes its end.
        stream.shutdown().await
    };
    tokio::time::timeout(WRITE_TIMEOUT, send)
        .await
        .unwrap_or_else(|_| Err(io::ErrorKind::TimedOut.into()))
}

fn is_transient(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::Interrupted
    )
}

/// A listening socket on `address`. On Unix with `SO_REUSEADDR`: the connections of the last
/// sign-in on a fixed port linger in TIME_WAIT for a minute (the listener closes first), and
/// without it that port would read as taken. Unlike on Windows, it does not let two sockets
/// listen on the same port.
fn listen(address: SocketAddr) -> io::Result<TcpListener> {
    let socket = TcpSocket::new_v4()?;
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind(address)?;
    socket.listen(32)
}
