//! The emulator on a loopback socket: hyper 1 on tokio, async or on its own thread.

use std::fmt;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::ops::Deref;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{HeaderValue, StatusCode};
use http_body_util::{BodyExt, Limited};
use hyper::body::{Body, Frame, Incoming, SizeHint};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::{JoinHandle, JoinSet};

use crate::config::Config;
use crate::fault::{Injection, Reply, ReplyBody};
use crate::follow;
use crate::log::LoggedRequest;
use crate::page;
use crate::service::{Device, Service, UnknownUserCode};

/// The largest request body the emulator reads; a larger one gets 413.
pub const MAX_REQUEST_BODY: usize = 1 << 20;

/// How much of a made-up body goes out at a time.
const CHUNK: usize = 64 << 10;

/// The running emulator's state, shared by its connections and by whoever drives it: the
/// base URL, and the [`Service`] behind a lock. [`Emulator`] and [`BlockingEmulator`] deref
/// to it, and it can be cloned to hand to another thread.
#[derive(Clone)]
pub struct Control {
    url: String,
    addr: SocketAddr,
    service: Arc<Mutex<Service>>,
}

impl fmt::Debug for Control {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Control")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl Control {
    /// The base URL, e.g. `http://127.0.0.1:49152`: the endpoint to give a client.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Runs `f` on the service, under its lock; requests wait meanwhile.
    pub fn with_service<R>(&self, f: impl FnOnce(&mut Service) -> R) -> R {
        f(&mut self.lock())
    }

    /// Approves the device authorization with this user code.
    ///
    /// # Errors
    /// [`UnknownUserCode`] when no device authorization has that code.
    pub fn approve(&self, user_code: &str) -> Result<(), UnknownUserCode> {
        self.lock().approve(user_code)
    }

    /// Denies the device authorization with this user code.
    ///
    /// # Errors
    /// [`UnknownUserCode`] when no device authorization has that code.
    pub fn deny(&self, user_code: &str) -> Result<(), UnknownUserCode> {
        self.lock().deny(user_code)
    }

    /// Makes the device authorization with this user code expire now.
    ///
    /// # Errors
    /// [`UnknownUserCode`] when no device authorization has that code.
    pub fn expire(&self, user_code: &str) -> Result<(), UnknownUserCode> {
        self.lock().expire(user_code, Instant::now())
    }

    /// Adds a fault for later requests; see [`Injection`].
    pub fn inject(&self, injection: impl Into<Injection>) {
        self.lock().inject(injection);
    }

    /// Removes every fault not yet spent.
    pub fn clear_faults(&self) {
        self.lock().clear_faults();
    }

    /// Changes the configuration for later requests.
    pub fn configure(&self, f: impl FnOnce(&mut Config)) {
        f(self.lock().config_mut());
    }

    /// Every request so far, with secrets masked.
    pub fn log(&self) -> Vec<LoggedRequest> {
        self.lock().log().to_vec()
    }

    /// Every device authorization, oldest first.
    pub fn devices(&self) -> Vec<Device> {
        self.lock().devices().into_iter().cloned().collect()
    }

    /// The device authorization with this user code.
    pub fn device(&self, user_code: &str) -> Option<Device> {
        self.lock().device(user_code).cloned()
    }

    fn lock(&self) -> MutexGuard<'_, Service> {
        // The service does not panic; if something did while holding the lock, its state is
        // still the best there is.
        self.service.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The emulator serving HTTP/1.1 on a tokio runtime: it stops when dropped.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// use sso_oidc_emulator::{Config, Emulator};
///
/// let emulator = Emulator::start(Config::default().approve_after_polls(2)).await?;
/// assert!(emulator.url().starts_with("http://127.0.0.1:"));
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct Emulator {
    control: Control,
    task: Option<JoinHandle<()>>,
}

impl Emulator {
    /// Starts on a free port of 127.0.0.1. Call it on a tokio runtime with I/O and time
    /// enabled; the emulator runs on that runtime until dropped.
    ///
    /// # Errors
    /// When no socket can be bound.
    pub async fn start(config: Config) -> io::Result<Self> {
        Self::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), config).await
    }

    /// Starts on `addr` (port 0 for a free one).
    ///
    /// # Errors
    /// When `addr` cannot be bound.
    pub async fn bind(addr: SocketAddr, config: Config) -> io::Result<Self> {
        Self::serve(addr, config, None).await
    }

    /// Starts serving HTTPS with `identity` on a free port of 127.0.0.1; the URL is
    /// `https://127.0.0.1:<port>`. [`TestCa`](crate::TestCa) makes an identity and the CA
    /// that clients should trust.
    ///
    /// # Errors
    /// When no socket can be bound, or the identity is not a usable certificate and key.
    #[cfg(feature = "tls")]
    pub async fn start_tls(config: Config, identity: &crate::TlsIdentity) -> io::Result<Self> {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        Self::bind_tls(addr, config, identity).await
    }

    /// Serves HTTPS with `identity` on `addr` (port 0 for a free one).
    ///
    /// # Errors
    /// When `addr` cannot be bound, or the identity is not a usable certificate and key.
    #[cfg(feature = "tls")]
    pub async fn bind_tls(
        addr: SocketAddr,
        config: Config,
        identity: &crate::TlsIdentity,
    ) -> io::Result<Self> {
        Self::serve(addr, config, Some(identity.acceptor()?)).await
    }

    async fn serve(addr: SocketAddr, config: Config, tls: Option<Tls>) -> io::Result<Self> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let url = base_url(tls.is_some(), addr);
        let control = Control {
            service: Arc::new(Mutex::new(Service::new(config, url.clone()))),
            url,
            addr,
        };
        let task = tokio::spawn(accept(listener, control.clone(), tls));
        Ok(Self {
            control,
            task: Some(task),
        })
    }

    /// Stops: the port is closed and every connection dropped when this returns.
    pub async fn shutdown(mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
            let _ = task.await;
        }
    }
}

impl Deref for Emulator {
    type Target = Control;

    fn deref(&self) -> &Control {
        &self.control
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        // The accept task owns the listener and every connection: aborting it closes them all.
        if let Some(task) = &self.task {
            task.abort();
        }
    }
}

/// The emulator on a thread of its own, for blocking code and plain `#[test]`s: it stops, and
/// its port is closed, when dropped.
///
/// ```
/// use sso_oidc_emulator::{BlockingEmulator, Config};
///
/// let emulator = BlockingEmulator::start(Config::default())?;
/// assert!(emulator.url().starts_with("http://127.0.0.1:"));
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct BlockingEmulator {
    control: Control,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl BlockingEmulator {
    /// Starts on a free port of 127.0.0.1.
    ///
    /// # Errors
    /// When no socket can be bound or no thread started.
    pub fn start(config: Config) -> io::Result<Self> {
        Self::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), config)
    }

    /// Starts on `addr` (port 0 for a free one).
    ///
    /// # Errors
    /// When `addr` cannot be bound or no thread started.
    pub fn bind(addr: SocketAddr, config: Config) -> io::Result<Self> {
        Self::serve(addr, config, None)
    }

    /// Starts serving HTTPS with `identity` on a free port of 127.0.0.1; see
    /// [`Emulator::start_tls`].
    ///
    /// # Errors
    /// When no socket can be bound, no thread started, or the identity is not usable.
    #[cfg(feature = "tls")]
    pub fn start_tls(config: Config, identity: &crate::TlsIdentity) -> io::Result<Self> {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        Self::bind_tls(addr, config, identity)
    }

    /// Serves HTTPS with `identity` on `addr` (port 0 for a free one).
    ///
    /// # Errors
    /// When `addr` cannot be bound, no thread started, or the identity is not usable.
    #[cfg(feature = "tls")]
    pub fn bind_tls(
        addr: SocketAddr,
        config: Config,
        identity: &crate::TlsIdentity,
    ) -> io::Result<Self> {
        Self::serve(addr, config, Some(identity.acceptor()?))
    }

    fn serve(addr: SocketAddr, config: Config, tls: Option<Tls>) -> io::Result<Self> {
        let (ready, started) = std::sync::mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("sso-oidc-emulator".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime,
                    Err(error) => {
                        let _ = ready.send(Err(error));
                        return;
                    }
                };
                runtime.block_on(async move {
                    match Emulator::serve(addr, config, tls).await {
                        Ok(emulator) => {
                            let (stop, stopped) = tokio::sync::oneshot::channel();
                            if ready.send(Ok((emulator.control.clone(), stop))).is_ok() {
                                let _ = stopped.await;
                            }
                            emulator.shutdown().await;
                        }
                        Err(error) => {
                            let _ = ready.send(Err(error));
                        }
                    }
                });
            })?;
        match started.recv() {
            Ok(Ok((control, stop))) => Ok(Self {
                control,
                stop: Some(stop),
                thread: Some(thread),
            }),
            Ok(Err(error)) => {
                let _ = thread.join();
                Err(error)
            }
            Err(_) => {
                let _ = thread.join();
                Err(io::Error::other(
                    "the emulator's thread ended before it started",
                ))
            }
        }
    }
}

impl Deref for BlockingEmulator {
    type Target = Control;

    fn deref(&self) -> &Control {
        &self.control
    }
}

impl Drop for BlockingEmulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// How connections are wrapped before HTTP: not at all without the `tls` feature.
#[cfg(feature = "tls")]
type Tls = tokio_rustls::TlsAcceptor;
#[cfg(not(feature = "tls"))]
type Tls = std::convert::Infallible;

/// `http://host:port` (or `https://`) for clients; an unspecified address becomes loopback.
fn base_url(tls: bool, addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    let scheme = if tls { "https" } else { "http" };
    format!("{scheme}://{}", SocketAddr::new(ip, addr.port()))
}

/// Accepts connections until aborted; aborting drops the listener and every connection.
async fn accept(listener: TcpListener, control: Control, tls: Option<Tls>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else {
                    // Out of file descriptors, say: let some connections finish first.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                };
                let _ = stream.set_nodelay(true);
                // Without the `tls` feature the acceptor is `Option<Infallible>`, which is Copy.
                #[allow(clippy::clone_on_copy)]
                let (control, tls) = (control.clone(), tls.clone());
                connections.spawn(async move {
                    match tls {
                        // A client that does not trust the certificate ends the handshake.
                        #[cfg(feature = "tls")]
                        Some(acceptor) => {
                            if let Ok(stream) = acceptor.accept(stream).await {
                                connection(stream, control).await;
                            }
                        }
                        #[cfg(not(feature = "tls"))]
                        Some(never) => match never {},
                        None => connection(stream, control).await,
                    }
                });
            }
            // Reap finished connections so the set does not grow.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

/// Serves HTTP/1.1 on one connection until it closes.
async fn connection<I>(io: I, control: Control)
where
    I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let service = service_fn(move |request| serve(request, control.clone()));
    let _ = http1::Builder::new()
        .serve_connection(TokioIo::new(io), service)
        .await;
}

/// Why a connection closes without an answer.
#[derive(Debug, thiserror::Error)]
#[error("connection dropped on purpose")]
struct Dropped;

async fn serve(
    request: http::Request<Incoming>,
    control: Control,
) -> Result<http::Response<OutBody>, Dropped> {
    let (parts, body) = request.into_parts();
    let body = match Limited::new(body, MAX_REQUEST_BODY).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(error) if error.is::<http_body_util::LengthLimitError>() => {
            return Ok(too_large(&control.lock().request_id()));
        }
        // The client went away mid-request.
        Err(_) => return Err(Dropped),
    };
    let request = http::Request::from_parts(parts, body);
    let reply = {
        let mut service = control.lock();
        let wall = service.config().wall_clock();
        service.reply(&request, Instant::now(), wall)
    };
    match reply {
        Reply::Send { response, after } => {
            if !after.is_zero() {
                tokio::time::sleep(after).await;
            }
            Ok(response.map(OutBody::from))
        }
        Reply::Hang => std::future::pending().await,
        Reply::Drop => Err(Dropped),
        Reply::Follow { location, after } => {
            if !after.is_zero() {
                tokio::time::sleep(after).await;
            }
            Ok(followed(follow::get(&location).await))
        }
    }
}

/// The page that says where a scripted decision's redirect went.
fn followed(outcome: Result<u16, follow::FollowError>) -> http::Response<OutBody> {
    let page = match outcome {
        Ok(status) => page::outcome(
            "Sign-in finished",
            &format!(
                "The emulator decided for you and followed the redirect back to the \
                 application, which answered HTTP {status}. You can close this window."
            ),
        ),
        Err(error) => page::outcome(
            "Redirect not followed",
            &format!("The emulator decided for you, but {error}."),
        ),
    };
    let mut response = http::Response::new(OutBody::Full(Some(Bytes::from(page))));
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

fn too_large(request_id: &str) -> http::Response<OutBody> {
    let mut response = http::Response::new(OutBody::Full(Some(Bytes::from_static(
        br#"{"message":"Request body too large"}"#,
    ))));
    *response.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Ok(id) = HeaderValue::from_str(request_id) {
        response.headers_mut().insert("x-amzn-requestid", id);
    }
    response
}

/// A reply's body as hyper sends it.
enum OutBody {
    Full(Option<Bytes>),
    /// The bytes, then a pause (so that hyper flushes them), then an error: hyper closes the
    /// connection short of `Content-Length`.
    Truncated(Option<Bytes>, bool),
    Padding {
        len: u64,
        offset: u64,
    },
    /// One byte a frame, each after its own pause: hyper flushes what it has while the next
    /// frame is pending, so every byte goes out alone.
    Drip {
        bytes: Bytes,
        every: Duration,
        pause: Option<Pin<Box<tokio::time::Sleep>>>,
    },
}

impl From<ReplyBody> for OutBody {
    fn from(body: ReplyBody) -> Self {
        match body {
            ReplyBody::Full(bytes) => Self::Full(Some(bytes.into())),
            ReplyBody::Truncated(bytes) => Self::Truncated(Some(bytes.into()), false),
            ReplyBody::Padding(len) => Self::Padding { len, offset: 0 },
            ReplyBody::Drip { bytes, every } => Self::Drip {
                bytes: bytes.into(),
                every,
                pause: None,
            },
        }
    }
}

impl Body for OutBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        Poll::Ready(match self.get_mut() {
            Self::Full(bytes) => bytes.take().map(|b| Ok(Frame::data(b))),
            Self::Truncated(bytes, paused) => match bytes.take() {
                Some(b) => Some(Ok(Frame::data(b))),
                // Pending once: hyper flushes what it has while it waits for more.
                None if !*paused => {
                    *paused = true;
                    cx.waker().wake_by_ref();
                    return Poll::Pending;
                }
                None => Some(Err(io::Error::other("body cut short on purpose"))),
            },
            Self::Padding { len, offset } => {
                let chunk = ReplyBody::padding_chunk(*len, *offset, CHUNK);
                *offset += chunk.len() as u64;
                (!chunk.is_empty()).then(|| Ok(Frame::data(chunk.into())))
            }
            Self::Drip {
                bytes,
                every,
                pause,
            } => {
                if bytes.is_empty() {
                    return Poll::Ready(None);
                }
                let sleep = pause.get_or_insert_with(|| Box::pin(tokio::time::sleep(*every)));
                std::task::ready!(sleep.as_mut().poll(cx));
                *pause = None;
                Some(Ok(Frame::data(bytes.split_to(1))))
            }
        })
    }

    fn is_end_stream(&self) -> bool {
        match self {
            Self::Full(bytes) => bytes.is_none(),
            Self::Truncated(..) => false,
            Self::Padding { len, offset } => offset >= len,
            Self::Drip { bytes, .. } => bytes.is_empty(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Self::Full(bytes) => SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64)),
            Self::Truncated(..) => SizeHint::default(),
            Self::Padding { len, offset } => SizeHint::with_exact(len - offset),
            Self::Drip { bytes, .. } => SizeHint::with_exact(bytes.len() as u64),
        }
    }
}
