//! Opening a connection to an endpoint: TCP, through a proxy if one applies (a `CONNECT`
//! tunnel for HTTPS, plain forwarding for HTTP), then TLS for `https`.

use std::io;

use http::header::{HOST, PROXY_AUTHORIZATION};
use http::{Method, StatusCode};
use http_body_util::Empty;
use hyper_util::rt::TokioIo;
use rustls::pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

use crate::error::{Source, TransportError, What, untrusted_certificate};
use crate::proxy::{Proxy, authority};

/// A connection of any make: TCP, TLS over TCP, TLS over a tunnel.
pub(crate) trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// Where a request goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Origin {
    pub(crate) https: bool,
    pub(crate) host: String,
    pub(crate) port: u16,
}

impl Origin {
    /// The origin of an absolute `http` or `https` URI.
    pub(crate) fn of(uri: &http::Uri) -> Result<Self, What> {
        let https = match uri.scheme_str() {
            Some("https") => true,
            Some("http") => false,
            Some(_) => return Err(What::Unsupported("only http and https URLs can be sent")),
            None => return Err(What::Unsupported("the URL is not absolute")),
        };
        let host = uri
            .host()
            .filter(|h| !h.is_empty())
            .ok_or(What::Unsupported("the URL has no host"))?;
        let host = host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(host);
        Ok(Self {
            https,
            host: host.to_owned(),
            port: uri.port_u16().unwrap_or(if https { 443 } else { 80 }),
        })
    }

    /// The `Host` header's value: the port only when it is not the scheme's.
    pub(crate) fn host_header(&self) -> String {
        let default = if self.https { 443 } else { 80 };
        if self.port == default {
            if self.host.contains(':') {
                format!("[{}]", self.host)
            } else {
                self.host.clone()
            }
        } else {
            authority(&self.host, self.port)
        }
    }
}

/// Connects to `origin`, through `proxy` when there is one. Returns the connection, ready
/// for HTTP/1.1; the caller bounds the time it takes.
pub(crate) async fn connect(
    origin: &Origin,
    proxy: Option<&Proxy>,
    tls: &TlsConnector,
    url: &str,
) -> Result<Box<dyn Io>, TransportError> {
    let error = |what: What, source: Source| TransportError::new(what, url, Some(source));
    let Some(proxy) = proxy else {
        let tcp = tcp(&origin.host, origin.port)
            .await
            .map_err(|e| error(What::Connect, e.into()))?;
        return if origin.https {
            handshake(tls, &origin.host, tcp)
                .await
                .map_err(|(w, e)| error(w, e))
        } else {
            Ok(Box::new(tcp))
        };
    };
    let via_proxy = || What::Proxy(proxy.url());
    let tcp = tcp(&proxy.host, proxy.port)
        .await
        .map_err(|e| error(via_proxy(), e.into()))?;
    let to_proxy: Box<dyn Io> = if proxy.https {
        handshake(tls, &proxy.host, tcp)
            .await
            .map_err(|(w, e)| error(w, e))?
    } else {
        Box::new(tcp)
    };
    if !origin.https {
        // Plain HTTP goes to the proxy as is, with an absolute-form request line.
        return Ok(to_proxy);
    }
    let tunnel = tunnel(to_proxy, origin, proxy)
        .await
        .map_err(|e| error(via_proxy(), e))?;
    handshake(tls, &origin.host, tunnel)
        .await
        .map_err(|(w, e)| error(w, e))
}

async fn tcp(host: &str, port: u16) -> io::Result<TcpStream> {
    let tcp = TcpStream::connect((host, port)).await?;
    // Requests are one small write each: do not hold them back.
    tcp.set_nodelay(true)?;
    Ok(tcp)
}

/// TLS to `host` over `io`.
async fn handshake(
    tls: &TlsConnector,
    host: &str,
    io: impl Io + 'static,
) -> Result<Box<dyn Io>, (What, Source)> {
    let name = ServerName::try_from(host.to_owned()).map_err(|e| {
        (
            What::Unsupported("the host is not a valid TLS server name"),
            e.into(),
        )
    })?;
    match tls.connect(name, io).await {
        Ok(stream) => Ok(Box::new(stream)),
        Err(e) => {
            // tokio-rustls reports rustls's verdict inside an io::Error; anything else is the
            // connection failing under the handshake, which another attempt may not meet.
            let what = match e
                .get_ref()
                .and_then(|inner| inner.downcast_ref::<rustls::Error>())
            {
                Some(error) => untrusted_certificate(error).map_or(What::Tls, What::Untrusted),
                None => What::Connect,
            };
            let source: Source = match e.into_inner() {
                Some(inner) => inner,
                None => "the connection closed during the TLS handshake".into(),
            };
            Err((what, source))
        }
    }
}

/// A `CONNECT` tunnel to `origin` through the proxy at the other end of `io`.
async fn tunnel(io: Box<dyn Io>, origin: &Origin, proxy: &Proxy) -> Result<Box<dyn Io>, Source> {
    let target = authority(&origin.host, origin.port);
    let mut request = http::Request::new(Empty::<bytes::Bytes>::new());
    *request.method_mut() = Method::CONNECT;
    *request.uri_mut() = target.parse()?;
    request.headers_mut().insert(HOST, target.parse()?);
    if let Some(authorization) = &proxy.authorization {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_of_urls() {
        let origin = Origin::of(
            &"https://oidc.us-east-1.amazonaws.com/token"
                .parse()
                .unwrap(),
        );
        let origin = origin.unwrap();
        assert_eq!(
            origin,
            Origin {
                https: true,
                host: "oidc.us-east-1.amazonaws.com".into(),
                port: 443
            }
        );
        assert_eq!(origin.host_header(), "oidc.us-east-1.amazonaws.com");
        let origin = Origin::of(&"http://[::1]:8080/x".parse().unwrap()).unwrap();
        assert_eq!((origin.host.as_str(), origin.port), ("::1", 8080));
        assert_eq!(origin.host_header(), "[::1]:8080");
        assert!(Origin::of(&"/token".parse().unwrap()).is_err());
        assert!(Origin::of(&"ftp://x/".parse().unwrap()).is_err());
    }
}
