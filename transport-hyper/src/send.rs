//! One request, one response: connections (reused while idle), the timeouts, the body cap, and
//! what hyper's failures mean.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::header::{HOST, HeaderValue, PROXY_AUTHORIZATION};
use http::uri::PathAndQuery;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::{Body, Incoming};
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use sso_oidc::MAX_RESPONSE_BODY;
use sso_oidc_transport::{Detail, Origin, Proxy, Settings, TransportError, body_capacity};
use tokio::time::timeout;

use crate::connect::connect;

/// A connection idle longer than this is not reused: servers and load balancers close idle
/// connections after about a minute, and a request written just as they do is lost.
const IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// At most this many idle connections are kept: a device flow needs one.
const MAX_IDLE: usize = 4;

type Sender = SendRequest<Full<Bytes>>;

/// The idle connections of a client, shared by its clones.
#[derive(Default)]
pub(crate) struct Pool {
    idle: Mutex<Vec<Idle>>,
}

/// A connection that has answered in full and may take another request.
struct Idle {
    key: Key,
    since: Instant,
    sender: Sender,
}

/// Which requests a connection can carry: same origin, same proxy.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Key {
    origin: Origin,
    proxy: Option<String>,
}

impl Pool {
    /// Sends a request readied by [`Settings::prepare`] and reads its whole response: within
    /// the connect timeout to connect, then within the read timeout for the head and the body
    /// together.
    pub(crate) async fn send(
        &self,
        settings: &Settings,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        let uri = request.uri().clone();
        let fail = |detail: Detail| TransportError::new(detail, &uri, None);
        let origin = Origin::of(&uri).map_err(fail)?;
        let proxy = settings.proxies().for_uri(&uri);
        let request = for_hyper(request, &origin, proxy);
        let key = Key {
            origin,
            proxy: proxy.map(Proxy::url),
        };
        let read_timeout = settings.read_timeout();

        let request = match self.take_idle(&key).await {
            None => request,
            Some(mut sender) => {
                let sent = async {
                    match sender.try_send_request(request).await {
                        Ok(response) => Ok(self.finish(&key, sender, response, &uri).await),
                        Err(mut error) => match error.take_message() {
                            // The connection closed before the request went out: a new one.
                            Some(unsent) => Err(unsent),
                            None => Ok(Err(classify(error.into_error(), &uri))),
                        },
                    }
                };
                match timeout(read_timeout, sent).await {
                    Err(_) => return Err(fail(Detail::ReadTimeout)),
                    Ok(Ok(outcome)) => return outcome,
                    Ok(Err(unsent)) => unsent,
                }
            }
        };
        let mut sender = timeout(
            settings.connect_timeout(),
            open(&key, proxy, settings, &uri),
        )
        .await
        .map_err(|_| fail(Detail::ConnectTimeout))??;
        let exchange = async {
            let response = sender
                .send_request(request)
                .await
                .map_err(|e| classify(e, &uri))?;
            self.finish(&key, sender, response, &uri).await
        };
        timeout(read_timeout, exchange)
            .await
            .map_err(|_| fail(Detail::ReadTimeout))?
    }

    /// Reads the body, then keeps the connection for the next request.
    async fn finish(
        &self,
        key: &Key,
        sender: Sender,
        response: http::Response<Incoming>,
        uri: &http::Uri,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        let (parts, body) = response.into_parts();
        let body = read_body(body, uri).await?;
        self.put_idle(key, sender);
        Ok(http::Response::from_parts(parts, body))
    }

    /// An idle connection to `key` that is ready for a request, if there is one.
    async fn take_idle(&self, key: &Key) -> Option<Sender> {
        loop {
            let mut sender = {
                let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
                idle.retain(|c| c.since.elapsed() < IDLE_TIMEOUT && !c.sender.is_closed());
                let position = idle.iter().position(|c| c.key == *key)?;
                idle.swap_remove(position).sender
            };
            // Ready once its task has finished with the last response; an error when the
            // server closed it meanwhile.
            if sender.ready().await.is_ok() {
                return Some(sender);
            }
        }
    }

    fn put_idle(&self, key: &Key, sender: Sender) {
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        if idle.len() < MAX_IDLE && !sender.is_closed() {
            idle.push(Idle {
                key: key.clone(),
                since: Instant::now(),
                sender,
            });
        }
    }
}

/// A new connection, with its task spawned on the runtime.
async fn open(
    key: &Key,
    proxy: Option<&Proxy>,
    settings: &Settings,
    uri: &http::Uri,
) -> Result<Sender, TransportError> {
    let io = connect(&key.origin, proxy, settings.tls(), uri).await?;
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(io))
        .await
        .map_err(|e| classify(e, uri))?;
    // The task ends when the connection closes: when the server closes it, when a read
    // fails, or when every handle to it is dropped.
    tokio::spawn(connection);
    Ok(sender)
}

/// The request as hyper sends it: origin-form (absolute-form to an HTTP proxy), with `Host`,
/// and `Proxy-Authorization` for a proxy that forwards it.
fn for_hyper(
    request: http::Request<Vec<u8>>,
    origin: &Origin,
    proxy: Option<&Proxy>,
) -> http::Request<Full<Bytes>> {
    let (mut parts, body) = request.into_parts();
    let forward = proxy.filter(|_| !origin.https);
    if forward.is_none() {
        let path = parts
            .uri
            .path_and_query()
            .cloned()
            .unwrap_or_else(|| PathAndQuery::from_static("/"));
        parts.uri = http::Uri::from(path);
    }
    if let Ok(host) = HeaderValue::try_from(origin.host_header()) {
        parts.headers.insert(HOST, host);
    }
    if let Some(authorization) = forward.and_then(Proxy::authorization) {
        parts
            .headers
            .insert(PROXY_AUTHORIZATION, authorization.clone());
    }
    http::Request::from_parts(parts, Full::new(Bytes::from(body)))
}

/// The body, read up to the cap.
async fn read_body(body: Incoming, uri: &http::Uri) -> Result<Vec<u8>, TransportError> {
    let fail = |detail: Detail| TransportError::new(detail, uri, None);
    // Over the cap by `Content-Length`: not a byte of it is read.
    let capacity = body_capacity(Some(body.size_hint().lower())).map_err(fail)?;
    let mut bytes = Vec::with_capacity(capacity);
    let mut body = Limited::new(body, MAX_RESPONSE_BODY);
    while let Some(frame) = body.frame().await {
        match frame {
            Ok(frame) => {
                if let Ok(data) = frame.into_data() {
                    bytes.extend_from_slice(&data);
                }
            }
            Err(error) if error.is::<LengthLimitError>() => return Err(fail(Detail::BodyTooLarge)),
            Err(error) => {
                return Err(match error.downcast::<hyper::Error>() {
                    Ok(error) => classify(*error, uri),
                    Err(error) => TransportError::new(Detail::Io, uri, Some(error)),
                });
            }
        }
    }
    Ok(bytes)
}

/// What hyper's error means for the core.
fn classify(error: hyper::Error, uri: &http::Uri) -> TransportError {
    let detail = if error.is_incomplete_message() || error.is_canceled() || error.is_closed() {
        Detail::Closed
    } else {
        Detail::Io
    };
    TransportError::new(detail, uri, Some(error.into()))
}
