//! Opening a connection to an endpoint: TCP, through a proxy if one applies (a `CONNECT`
//! tunnel for HTTPS, plain forwarding for HTTP), then TLS for `https`.

use std::io;

use http::header::{HOST, PROXY_AUTHORIZATION};
use http::{Method, StatusCode, Uri};
use http_body_util::Empty;
use hyper_util::rt::TokioIo;
use sso_oidc_transport::rustls::pki_types::ServerName;
use sso_oidc_transport::{Detail, Origin, Proxy, Source, Tls, TransportError};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

/// A connection of any make: TCP, TLS over TCP, TLS over a tunnel.
pub(crate) trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// Connects to `origin` (the request's, `uri`), through `proxy` when there is one. Returns the
/// connection, ready for HTTP/1.1; the caller bounds the time it takes.
pub(crate) async fn connect(
    origin: &Origin,
    proxy: Option<&Proxy>,
    tls: &Tls,
    uri: &Uri,
) -> Result<Box<dyn Io>, TransportError> {
    let error = |detail: Detail, source: Option<Source>| TransportError::new(detail, uri, source);
    let Some(proxy) = proxy else {
        let tcp = tcp(&origin.host, origin.port)
            .await
            .map_err(|(detail, e)| error(detail, Some(e.into())))?;
        return if origin.https {
            handshake(tls, &origin.host, tcp)
                .await
                .map_err(|(detail, e)| error(detail, Some(e)))
        } else {
            Ok(Box::new(tcp))
        };
    };
    // Through a proxy, the proxy is what could not be reached, or could not reach the
    // endpoint: name it.
    let via_proxy = || Detail::Proxy(proxy.url());
    let tcp = tcp(proxy.host(), proxy.port())
        .await
        .map_err(|(_, e)| error(via_proxy(), Some(e.into())))?;
    let to_proxy: Box<dyn Io> = if proxy.is_https() {
        handshake(tls, proxy.host(), tcp)
            .await
            .map_err(|(detail, e)| error(detail, Some(e)))?
    } else {
        Box::new(tcp)
    };
    if !origin.https {
        // Plain HTTP goes to the proxy as is, with an absolute-form request line.
        return Ok(to_proxy);
    }
    let tunnel = tunnel(to_proxy, origin, proxy)
        .await
        .map_err(|e| error(via_proxy(), Some(e)))?;
    handshake(tls, &origin.host, tunnel)
        .await
        .map_err(|(detail, e)| error(detail, Some(e)))
}

/// A TCP connection to the first address of `host` that takes one. The name is looked up on
/// its own first, so that a name that does not resolve is told apart from a refused
/// connection.
async fn tcp(host: &str, port: u16) -> Result<TcpStream, (Detail, io::Error)> {
    let resolve = |e| {
        (
            Detail::Resolve {
                host: host.to_owned(),
            },
            e,
        )
    };
    let addresses = tokio::net::lookup_host((host, port))
        .await
        .map_err(resolve)?;
    let mut last = None;
    for address in addresses {
        match TcpStream::connect(address).await {
            Ok(tcp) => {
                // Requests are one small write each: do not hold them back.
                tcp.set_nodelay(true).map_err(|e| (Detail::Connect, e))?;
                return Ok(tcp);
            }
            Err(e) => last = Some(e),
        }
    }
    Err(match last {
        Some(e) => (Detail::of_io(&e, true), e),
        None => resolve(io::Error::new(
            io::ErrorKind::NotFound,
            "the name has no address",
        )),
    })
}

/// TLS to `host` over `io`, with the client's configuration (made, roots and all, on the
/// first call).
async fn handshake(
    tls: &Tls,
    host: &str,
    io: impl Io + 'static,
) -> Result<Box<dyn Io>, (Detail, Source)> {
    let name = ServerName::try_from(host.to_owned()).map_err(|e| {
        (
            Detail::Unsupported("the host is not a valid TLS server name"),
            e.into(),
        )
    })?;
    match TlsConnector::from(tls.config()).connect(name, io).await {
        Ok(stream) => Ok(Box::new(stream)),
        // tokio-rustls reports rustls's verdict inside an io::Error; anything else is the
        // connection failing under the handshake.
        Err(e) => Err((Detail::of_io(&e, true), e.into())),
    }
}

/// A `CONNECT` tunnel to `origin` through the proxy at the other end of `io`.
async fn tunnel(io: Box<dyn Io>, origin: &Origin, proxy: &Proxy) -> Result<Box<dyn Io>, Source> {
    let target = origin.authority();
    let mut request = http::Request::new(Empty::<bytes::Bytes>::new());
    *request.method_mut() = Method::CONNECT;
    *request.uri_mut() = target.parse()?;
    request.headers_mut().insert(HOST, target.parse()?);
    if let Some(authorization) = proxy.authorization() {
        request
            .headers_mut()
            .insert(PROXY_AUTHORIZATION, authorization.clone());
    }
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(io)).await?;
    // It hands the connection over once the proxy says 200; if the tunnel is abandoned
    // (timeout, refusal), dropping `sender` ends it.
    tokio::spawn(connection.with_upgrades());
    let response = sender.send_request(request).await?;
    if response.status() != StatusCode::OK {
        return Err(format!("the proxy answered CONNECT with {}", response.status()).into());
    }
    let upgraded = hyper::upgrade::on(response).await;
    Ok(Box::new(TokioIo::new(upgraded?)))
}
