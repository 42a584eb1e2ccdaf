//! One request, one response: which agent sends it, the body cap, and what ureq's failures
//! mean.

use std::io::{self, Read};
use std::sync::Arc;

use http::header::CONTENT_LENGTH;
use http::{Method, Uri};
use sso_oidc::{MAX_RESPONSE_BODY, TransportErrorKind};
use sso_oidc_transport::{Detail, Origin, Proxy, Settings, Source, TransportError, body_capacity};
use ureq::Agent;

use crate::connect::agent;

/// One agent (and so one connection pool) per proxy in the settings, and one for requests
/// that go direct.
pub(crate) struct Agents {
    direct: Agent,
    /// By the index of [`Proxies::list`](sso_oidc_transport::Proxies::list); `None` for a
    /// proxy URL that ureq refuses, whose requests then fail instead of going direct.
    proxied: Vec<Option<Agent>>,
}

impl Agents {
    pub(crate) fn new(settings: &Arc<Settings>) -> Self {
        let proxied = settings.proxies().list().iter();
        let proxied = proxied.map(|proxy| {
            let proxy = ureq::Proxy::new(proxy.given_url().expose()).ok()?;
            Some(agent(settings, Some(proxy)))
        });
        Self {
            direct: agent(settings, None),
            proxied: proxied.collect(),
        }
    }

    /// Sends a request readied by [`Settings::prepare`] and reads its whole response, the
    /// body up to the cap.
    pub(crate) fn send(
        &self,
        settings: &Settings,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        let uri = request.uri().clone();
        let error = |detail| TransportError::new(detail, &uri, None);
        let origin = Origin::of(&uri).map_err(error)?;
        let chosen = settings.proxies().select(&uri);
        let proxy = chosen.map(|index| &settings.proxies().list()[index]);
        let fail = |error| failure(error, &uri, &origin, proxy);
        let agent = match chosen {
            None => &self.direct,
            Some(index) => self.proxied[index]
                .as_ref()
                .ok_or_else(|| fail(ureq::Error::InvalidProxyUrl))?,
        };
        let head = request.method() == Method::HEAD;
        let (parts, body) = agent.run(request).map_err(fail)?.into_parts();
        // A HEAD, 204 or 304 answer has no body, whatever its Content-Length says.
        let bodiless = head || matches!(parts.status.as_u16(), 204 | 304);
        let announced = parts
            .headers
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok()?.parse().ok())
            .filter(|_| !bodiless);
        // Over the cap: refused unread (dropping the body closes the connection).
        let mut bytes = Vec::with_capacity(body_capacity(announced).map_err(error)?);
        body.into_reader()
            .take(MAX_RESPONSE_BODY as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| fail(e.into()))?;
        if bytes.len() > MAX_RESPONSE_BODY {
            return Err(error(Detail::BodyTooLarge));
        }
        Ok(http::Response::from_parts(parts, bytes))
    }
}

/// What ureq's failure of a request to `uri` (at `origin`, through `proxy` if any) means.
fn failure(
    error: ureq::Error,
    uri: &Uri,
    origin: &Origin,
    proxy: Option<&Proxy>,
) -> TransportError {
    use ureq::Error as E;
    let detail = match &error {
        // Our resolver reports every failed lookup so.
        E::HostNotFound => Detail::Resolve {
            host: origin.host.clone(),
        },
        E::Timeout(ureq::Timeout::Resolve | ureq::Timeout::Connect) => Detail::ConnectTimeout,
        E::Timeout(_) => Detail::ReadTimeout,
        E::Io(e) => Detail::of_io(e, false),
        // A failed TLS handshake (see `connect`), rustls's verdict inside.
        E::Other(e) => e
            .downcast_ref::<io::Error>()
            .map_or(Detail::Tls, |e| Detail::of_io(e, true)),
        E::Tls(_) | E::TlsRequired => Detail::Tls,
        E::LargeResponseHeader(..) => Detail::HeaderTooLarge,
        E::BodyExceedsLimit(_) => Detail::BodyTooLarge,
        E::ConnectProxyFailed(_)
        | E::ConnectionFailed
        | E::InvalidProxyUrl
        | E::BadUri(_)
        | E::Http(_) => Detail::Connect,
        // A protocol error: the answer was not HTTP.
        _ => Detail::Io,
    };
    let detail = match proxy {
        // Through a proxy, the proxy is what could not be reached, or could not reach the
        // endpoint: name it.
        Some(proxy) if detail.kind() == TransportErrorKind::Connect => Detail::Proxy(proxy.url()),
        _ => detail,
    };
    // ureq's error has no `source`: keep what it holds instead, where it holds one.
    let source: Source = match error {
        E::Io(e) => Box::new(e),
        E::Other(e) => e,
        e => Box::new(e),
    };
    TransportError::new(detail, uri, Some(source))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detail(error: ureq::Error, proxy: Option<&str>) -> Detail {
        let uri: Uri = "https://oidc.example.com/token".parse().unwrap();
        let origin = Origin::of(&uri).unwrap();
        let proxy = proxy.map(|url| Proxy::parse(url, "proxy()").unwrap());
        failure(error, &uri, &origin, proxy.as_ref())
            .detail()
            .clone()
    }

    #[test]
    fn ureq_failures_by_phase() {
        let io = |kind| ureq::Error::Io(io::Error::from(kind));
        let cases = [
            (
                ureq::Error::HostNotFound,
                Detail::Resolve {
                    host: "oidc.example.com".into(),
                },
            ),
            (io(io::ErrorKind::ConnectionRefused), Detail::Refused),
            (io(io::ErrorKind::UnexpectedEof), Detail::Closed),
            (
                ureq::Error::Other(Box::new(io::Error::from(io::ErrorKind::UnexpectedEof))),
                Detail::Connect,
            ),
            (
                ureq::Error::Timeout(ureq::Timeout::Connect),
                Detail::ConnectTimeout,
            ),
            (
                ureq::Error::Timeout(ureq::Timeout::RecvBody),
                Detail::ReadTimeout,
            ),
            (
                ureq::Error::LargeResponseHeader(1, 2),
                Detail::HeaderTooLarge,
            ),
        ];
        for (error, expected) in cases {
            assert_eq!(detail(error, None), expected);
        }
        let proxy = Some("http://user:pw@proxy:3128");
        let via = Detail::Proxy("http://proxy:3128".into());
        assert_eq!(detail(ureq::Error::HostNotFound, proxy), via);
        assert_eq!(detail(io(io::ErrorKind::ConnectionRefused), proxy), via);
        assert_eq!(
            detail(ureq::Error::ConnectProxyFailed("403".into()), proxy),
            via
        );
        assert_eq!(
            detail(ureq::Error::Timeout(ureq::Timeout::RecvBody), proxy),
            Detail::ReadTimeout
        );
    }
}
