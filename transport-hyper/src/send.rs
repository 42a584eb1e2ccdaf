//! One request, one response: connections (reused while idle), timeouts, the body cap, and
//! how failures are classified.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::header::{HOST, HeaderValue, PROXY_AUTHORIZATION, USER_AGENT};
use http::uri::PathAndQuery;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::{Body, Incoming};
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use sso_oidc::MAX_RESPONSE_BODY;
use tokio::time::timeout;
use tokio_rustls::TlsConnector;

use crate::connect::{Origin, connect};
use crate::error::{Source, TransportError, What};
use crate::proxy::{Proxies, Proxy};

/// A connection idle longer than this is not reused: servers and load balancers close idle
/// connections after about a minute, and a request written just as they do is lost.
const IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// At most this many idle connections are kept: a device flow needs one.
const MAX_IDLE: usize = 4;

/// Everything a request needs, shared by every clone of a client.
pub(crate) struct Sender {
    pub(crate) connect_timeout: Duration,
    pub(crate) read_timeout: Duration,
    pub(crate) tls: TlsConnector,
    pub(crate) proxies: Proxies,
    pub(crate) user_agent: Option<HeaderValue>,
    idle: Mutex<Vec<Idle>>,
}

/// A connection that has answered in full and may take another request.
struct Idle {
    key: Key,
    since: Instant,
    sender: SendRequest<Full<Bytes>>,
}

/// Which requests a connection can carry: same origin, same proxy.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Key {
    origin: Origin,
    proxy: Option<String>,
}

impl Sender {
    pub(crate) fn new(
        connect_timeout: Duration,
        read_timeout: Duration,
        tls: TlsConnector,
        proxies: Proxies,
        user_agent: Option<HeaderValue>,
    ) -> Self {
        Self {
            connect_timeout,
            read_timeout,
            tls,
            proxies,
            user_agent,
            idle: Mutex::new(Vec::new()),
        }
    }

    pub(crate) async fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        let url = url_of(request.uri());
        let fail = |what: What, source: Option<Source>| TransportError::new(what, &url, source);
        let origin = Origin::of(request.uri()).map_err(|what| fail(what, None))?;
        let proxy = self.proxies.for_uri(request.uri());
        let request = self.prepare(request, &origin, proxy.as_ref());
        let key = Key {
            origin,
            proxy: proxy.as_ref().map(Proxy::url),
        };

        let request = match self.take_idle(&key).await {
            None => request,
            Some(mut sender) => {
                match timeout(self.read_timeout, sender.try_send_request(request)).await {
                    Err(_) => return Err(fail(What::ReadTimeout, None)),
                    Ok(Ok(response)) => return self.finish(key, sender, response, &url).await,
                    Ok(Err(mut error)) => match error.take_message() {
                        // The connection closed before the request went out: use a new one.
                        Some(unsent) => unsent,
                        None => return Err(classify(error.into_error(), &url)),
                    },
                }
            }
        };
        let mut sender = timeout(self.connect_timeout, self.open(&key, proxy.as_ref(), &url))
            .await
            .map_err(|_| fail(What::ConnectTimeout, None))??;
        let response = timeout(self.read_timeout, sender.send_request(request))
            .await
            .map_err(|_| fail(What::ReadTimeout, None))?
            .map_err(|e| classify(e, &url))?;
        self.finish(key, sender, response, &url).await
    }

    /// Reads the body, then keeps the connection for the next request.
    async fn finish(
        &self,
        key: Key,
        sender: SendRequest<Full<Bytes>>,
        response: http::Response<Incoming>,
        url: &str,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        let (parts, body) = response.into_parts();
        let body = self.read_body(body, url).await?;
        self.put_idle(key, sender);
        Ok(http::Response::from_parts(parts, body))
    }

    /// The request as hyper sends it: origin-form (absolute-form to an HTTP proxy), with
    /// `Host`, and this client's product in front of the `user-agent`.
    fn prepare(
        &self,
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
        let headers = &mut parts.headers;
        if let Ok(host) = HeaderValue::try_from(origin.host_header()) {
            headers.insert(HOST, host);
        }
        if let Some(ours) = &self.user_agent {
            let value = match headers.get(USER_AGENT) {
                Some(theirs) => {
                    let mut value = ours.as_bytes().to_vec();
                    value.push(b' ');
                    value.extend_from_slice(theirs.as_bytes());
                    HeaderValue::from_bytes(&value).unwrap_or_else(|_| ours.clone())
                }
                None => ours.clone(),
            };
            headers.insert(USER_AGENT, value);
        }
        if let Some(authorization) = forward.and_then(|p| p.authorization.clone()) {
            headers.insert(PROXY_AUTHORIZATION, authorization);
        }
        http::Request::from_parts(parts, Full::new(Bytes::from(body)))
    }

    /// A new connection, with its task spawned on the runtime.
    async fn open(
        &self,
        key: &Key,
        proxy: Option<&Proxy>,
        url: &str,
    ) -> Result<SendRequest<Full<Bytes>>, TransportError> {
        let io = connect(&key.origin, proxy, &self.tls, url).await?;
        let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(io))
            .await
            .map_err(|e| classify(e, url))?;
        // The task ends when the connection closes: when the server closes it, when a read
        // fails, or when every handle to it is dropped.
        tokio::spawn(connection);
        Ok(sender)
    }

    /// The body, read up to the cap, each wait for more bounded by the read timeout.
    async fn read_body(&self, body: Incoming, url: &str) -> Result<Vec<u8>, TransportError> {
        let too_large = || TransportError::new(What::BodyTooLarge, url, None);
        let announced = body.size_hint().lower();
        if announced > MAX_RESPONSE_BODY as u64 {
            // Said so up front (`Content-Length`): not a byte of it is read.
            return Err(too_large());
        }
        let mut bytes = Vec::with_capacity(usize::try_from(announced).unwrap_or(0));
        let mut body = Limited::new(body, MAX_RESPONSE_BODY);
        loop {
            let frame = timeout(self.read_timeout, body.frame())
                .await
                .map_err(|_| TransportError::new(What::ReadTimeout, url, None))?;
            match frame {
                None => return Ok(bytes),
                Some(Ok(frame)) => {
                    if let Ok(data) = frame.into_data() {
                        bytes.extend_from_slice(&data);
                    }
                }
                Some(Err(error)) if error.is::<LengthLimitError>() => return Err(too_large()),
                Some(Err(error)) => {
                    return Err(match error.downcast::<hyper::Error>() {
                        Ok(error) => classify(*error, url),
                        Err(error) => TransportError::new(What::Io, url, Some(error)),
                    });
                }
            }
        }
    }

    /// An idle connection to `key` that is ready for a request, if there is one.
    async fn take_idle(&self, key: &Key) -> Option<SendRequest<Full<Bytes>>> {
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

    fn put_idle(&self, key: Key, sender: SendRequest<Full<Bytes>>) {
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        if idle.len() < MAX_IDLE && !sender.is_closed() {
            idle.push(Idle {
                key,
                since: Instant::now(),
                sender,
            });
        }
    }
}

/// What hyper's error means for the core.
fn classify(error: hyper::Error, url: &str) -> TransportError {
    let what = if error.is_incomplete_message() || error.is_canceled() || error.is_closed() {
        What::Closed
    } else {
        What::Io
    };
    TransportError::new(what, url, Some(error.into()))
}

/// The URL for messages: scheme, host, port and path; never user information or a query.
fn url_of(uri: &http::Uri) -> String {
    let scheme = uri.scheme_str().unwrap_or("");
    let host = uri.host().unwrap_or("");
    let port = uri.port().map(|p| format!(":{p}")).unwrap_or_default();
    if scheme.is_empty() {
        uri.path().to_owned()
    } else {
        format!("{scheme}://{host}{port}{}", uri.path())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_for_messages_leave_out_queries_and_credentials() {
        let uri = "https://user:pw@oidc.us-east-1.amazonaws.com:8443/token?code=secret";
        assert_eq!(
            url_of(&uri.parse().unwrap()),
            "https://oidc.us-east-1.amazonaws.com:8443/token"
        );
        assert_eq!(url_of(&"/token?x".parse().unwrap()), "/token");
    }
}
