//! The client: one call to the service, and the three operations on top of it.

use std::fmt;
use std::io::{self, Read};
use std::sync::Arc;
use std::time::Duration;

use http::header::{CONTENT_LENGTH, USER_AGENT};
use http::{HeaderValue, Uri};
use sso_oidc::{
    BuildError, ClientRegistration, CreateToken, DeviceAuthorization, Endpoint, MAX_RESPONSE_BODY,
    RegisterClient, StartDeviceAuthorization, Token,
};
use ureq::Agent;

use crate::builder::ClientBuilder;
use crate::error::{Detail, Error, TransportError};
use crate::proxy::{self, NoProxy};

/// A blocking client for the SSO OIDC service, over ureq with rustls.
///
/// Cheap to clone: clones share the settings and the connection pool. Made with
/// [`Client::builder`]. See the [crate documentation](crate) for an example.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) endpoint: Option<Endpoint>,
    pub(crate) routes: Routes,
    pub(crate) user_agent: Option<HeaderValue>,
    pub(crate) insecure: bool,
    pub(crate) connect_timeout: Duration,
    pub(crate) read_timeout: Duration,
}

/// Which agent (and so which proxy, if any) a request goes through.
pub(crate) enum Routes {
    Direct(Agent),
    Explicit(Route),
    Env {
        direct: Agent,
        https: Option<Route>,
        http: Option<Route>,
        no_proxy: NoProxy,
    },
}

/// An agent that sends through a proxy, and the proxy's name without credentials.
#[derive(Clone)]
pub(crate) struct Route {
    pub(crate) name: String,
    pub(crate) agent: Agent,
}

impl Routes {
    fn route(&self, uri: &Uri) -> Result<&Agent, &Route> {
        match self {
            Self::Direct(agent) => Ok(agent),
            Self::Explicit(route) => Err(route),
            Self::Env {
                direct,
                https,
                http,
                no_proxy,
            } => {
                let https_uri = uri.scheme_str() == Some("https");
                let proxied = if https_uri { https } else { http };
                let host = uri.host().unwrap_or_default();
                let port = uri.port_u16().unwrap_or(if https_uri { 443 } else { 80 });
                match proxied {
                    Some(route) if !proxy::is_loopback(host) && !no_proxy.bypasses(host, port) => {
                        Err(route)
                    }
                    _ => Ok(direct),
                }
            }
        }
    }
}

impl Client {
    /// A builder with the defaults: no endpoint, 60 s timeouts, the platform's roots (and
    /// `AWS_CA_BUNDLE`'s), proxies from the environment.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The endpoint the operations use, if one was set.
    pub fn endpoint(&self) -> Option<&Endpoint> {
        self.inner.endpoint.as_ref()
    }

    /// Whether server certificates go unchecked
    /// ([`ClientBuilder::danger_accept_invalid_certs`]).
    pub fn is_insecure(&self) -> bool {
        self.inner.insecure
    }

    /// The proxy a request to `uri` goes through (scheme, host and port), or `None` when it
    /// goes direct.
    #[cfg(test)]
    pub(crate) fn proxy_for(&self, uri: &Uri) -> Option<&str> {
        self.inner.routes.route(uri).err().map(|r| r.name.as_str())
    }

    /// Sends a request and reads its response, whatever its status.
    ///
    /// The response keeps its status and every header; a 4xx or 5xx is a response like any
    /// other (the service says "authorization pending" with a 400). Redirects are not followed.
    /// The client's user agent goes in front of the request's own `user-agent`.
    ///
    /// # Errors
    /// A [`TransportError`] when no complete response came back: no connection (`Connect`),
    /// no answer within the timeouts (`Timeout`), a broken connection or a body cut short
    /// (`Io`), a failed TLS handshake (`Tls`), or a body over
    /// [`MAX_RESPONSE_BODY`](sso_oidc::MAX_RESPONSE_BODY) (`BodyTooLarge`), which is
    /// refused without reading the rest of it.
    pub fn send(
        &self,
        mut request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        let url = display_url(request.uri());
        let https = request.uri().scheme_str() == Some("https");
        let head = request.method() == http::Method::HEAD;
        if let Some(ours) = &self.inner.user_agent {
            let value = match request.headers().get(USER_AGENT) {
                Some(theirs) => {
                    let mut value = ours.as_bytes().to_vec();
                    value.push(b' ');
                    value.extend_from_slice(theirs.as_bytes());
                    HeaderValue::from_bytes(&value).unwrap_or_else(|_| ours.clone())
                }
                None => ours.clone(),
            };
            request.headers_mut().insert(USER_AGENT, value);
        }
        log_request(&request);
        let (agent, proxy) = match self.inner.routes.route(request.uri()) {
            Ok(agent) => (agent, None),
            Err(route) => (&route.agent, Some(route.name.as_str())),
        };
        let response = agent
            .run(request)
            .map_err(|e| failure(e, &url, https, proxy))?;
        let (parts, body) = response.into_parts();
        // A HEAD, 204 or 304 answer has no body, whatever its Content-Length says.
        let bodiless = head || matches!(parts.status.as_u16(), 204 | 304);
        let declared = parts
            .headers
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if !bodiless && declared.is_some_and(|len| len > MAX_RESPONSE_BODY as u64) {
            // Dropping the body unread closes the connection instead of draining it.
            return Err(TransportError::new(Detail::TooLarge, url, None));
        }
        // Room for the declared length (at most the cap) up front: read_to_end then reads
        // the body in one go instead of growing the buffer from a few bytes.
        let mut bytes = Vec::with_capacity(declared.map_or(0, |len| len as usize));
        body.into_reader()
            .take(MAX_RESPONSE_BODY as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| failure(ureq::Error::from(e), &url, https, proxy))?;
        if bytes.len() > MAX_RESPONSE_BODY {
            return Err(TransportError::new(Detail::TooLarge, url, None));
        }
        let response = http::Response::from_parts(parts, bytes);
        log_response(&response);
        Ok(response)
    }

    /// Registers a client (`RegisterClient`) at the client's endpoint.
    ///
    /// # Errors
    /// [`Error::Transport`] when no usable response came back; [`Error::Api`] with the
    /// service's refusal, an answer that could not be understood, or
    /// [`BuildError::MissingRegion`] when the client has no endpoint.
    pub fn register_client(&self, request: &RegisterClient) -> Result<ClientRegistration, Error> {
        let response = self.send(request.to_http(self.required_endpoint()?))?;
        Ok(RegisterClient::parse(response)?)
    }

    /// Starts a device authorization (`StartDeviceAuthorization`) at the client's endpoint.
    ///
    /// # Errors
    /// As [`register_client`](Self::register_client).
    pub fn start_device_authorization(
        &self,
        request: &StartDeviceAuthorization,
    ) -> Result<DeviceAuthorization, Error> {
        let response = self.send(request.to_http(self.required_endpoint()?))?;
        Ok(StartDeviceAuthorization::parse(response)?)
    }

    /// Asks for a token (`CreateToken`) at the client's endpoint: one poll of a device code,
    /// or one use of a refresh token. `authorization_pending` is an error here, with its
    /// [`code`](Error::code); [`device_login`](Self::device_login) runs the whole polling loop.
    ///
    /// # Errors
    /// As [`register_client`](Self::register_client).
    pub fn create_token(&self, request: &CreateToken) -> Result<Token, Error> {
        let response = self.send(request.to_http(self.required_endpoint()?))?;
        Ok(CreateToken::parse(response)?)
    }

    fn required_endpoint(&self) -> Result<&Endpoint, Error> {
        self.endpoint().ok_or(Error::Api(sso_oidc::Error::Build(
            BuildError::MissingRegion,
        )))
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let proxies = match &self.inner.routes {
            Routes::Direct(_) => Vec::new(),
            Routes::Explicit(route) => vec![route.name.as_str()],
            Routes::Env { https, http, .. } => {
                https.iter().chain(http).map(|r| r.name.as_str()).collect()
            }
        };
        f.debug_struct("Client")
            .field("endpoint", &self.inner.endpoint)
            .field("connect_timeout", &self.inner.connect_timeout)
            .field("read_timeout", &self.inner.read_timeout)
            .field("insecure", &self.inner.insecure)
            .field("proxies", &proxies)
            .field("user_agent", &self.inner.user_agent)
            .finish_non_exhaustive()
    }
}

/// The URL as error messages show it: scheme, host, port and path; no user info, no query.
fn display_url(uri: &Uri) -> String {
    let mut url = String::new();
    if let Some(scheme) = uri.scheme_str() {
        url.push_str(scheme);
        url.push_str("://");
    }
    if let Some(host) = uri.host() {
        url.push_str(host);
    }
    if let Some(port) = uri.port() {
        url.push(':');
        url.push_str(port.as_str());
    }
    url.push_str(uri.path());
    url
}

/// The transport error for a ureq failure of a request to `url`, sent through `proxy` if any.
fn failure(error: ureq::Error, url: &str, https: bool, proxy: Option<&str>) -> TransportError {
    let detail = match (classify(&error, https), proxy) {
        (Detail::Tls, _) => untrusted(&error).map_or(Detail::Tls, Detail::Untrusted),
        // Through a proxy, the proxy is what could not be reached, or could not reach the
        // endpoint: name it.
        (Detail::Connect, Some(proxy)) => Detail::Proxy(proxy.to_owned()),
        (detail, _) => detail,
    };
    TransportError::new(detail, url.to_owned(), Some(Box::new(error)))
}

/// Why the server's certificate was refused, if it was (ureq's error has no `source`).
fn untrusted(error: &ureq::Error) -> Option<&'static str> {
    match error {
        ureq::Error::Rustls(e) => crate::error::untrusted_certificate(e),
        ureq::Error::Io(e) => crate::error::untrusted_certificate(e),
        _ => None,
    }
}

/// Which of the core's kinds a ureq failure is.
fn classify(error: &ureq::Error, https: bool) -> Detail {
    use ureq::Error as E;
    match error {
        E::Timeout(ureq::Timeout::Resolve | ureq::Timeout::Connect) => Detail::ConnectTimeout,
        E::Timeout(_) => Detail::ReadTimeout,
        E::HostNotFound
        | E::ConnectionFailed
        | E::BadUri(_)
        | E::Http(_)
        | E::RequireHttpsOnly(_)
        | E::InvalidProxyUrl
        | E::ConnectProxyFailed(_) => Detail::Connect,
        E::Tls(_) | E::Pem(_) | E::Rustls(_) | E::TlsRequired => Detail::Tls,
        E::LargeResponseHeader(..) => Detail::HeaderTooLarge,
        E::Io(e) => match e.kind() {
            io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => Detail::ReadTimeout,
            io::ErrorKind::ConnectionRefused
            | io::ErrorKind::AddrNotAvailable
            | io::ErrorKind::AddrInUse
            | io::ErrorKind::NetworkUnreachable
            | io::ErrorKind::HostUnreachable
            | io::ErrorKind::NetworkDown => Detail::Connect,
            // rustls reports a failed handshake (an untrusted certificate, a peer that does
            // not speak TLS) as InvalidData from the stream it wraps.
            io::ErrorKind::InvalidData if https => Detail::Tls,
            _ => Detail::Closed,
        },
        // A protocol error, a stalled body, ...: the connection gave no valid response.
        _ => Detail::Closed,
    }
}

/// Logs a request about to be sent, at `debug` level, its body's secrets redacted.
fn log_request(request: &http::Request<Vec<u8>>) {
    tracing::debug!(
        method = %request.method(),
        uri = %request.uri(),
        headers = ?request.headers(),
        body = %sso_oidc::redact_body(request.body()),
        "sending request"
    );
}

/// Logs a response as it came, at `debug` level, its body's secrets redacted.
fn log_response(response: &http::Response<Vec<u8>>) {
    tracing::debug!(
        status = response.status().as_u16(),
        headers = ?response.headers(),
        body = %sso_oidc::redact_body(response.body()),
        "received response"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clients_can_be_shared_between_threads() {
        fn shared<T: Send + Sync + Clone>() {}
        shared::<Client>();
    }

    #[test]
    fn error_urls_drop_user_info_and_query() {
        let uri: Uri = "https://user:pw@oidc.example.com:8443/token?x=secret"
            .parse()
            .unwrap();
        assert_eq!(display_url(&uri), "https://oidc.example.com:8443/token");
    }

    #[test]
    fn kinds() {
        use sso_oidc::TransportErrorKind as K;
        let kind = |e: ureq::Error, https| {
            TransportError::new(classify(&e, https), String::new(), None).kind()
        };
        assert_eq!(
            kind(ureq::Error::Timeout(ureq::Timeout::Connect), true),
            K::Timeout
        );
        assert_eq!(
            kind(ureq::Error::Timeout(ureq::Timeout::PerRead), true),
            K::Timeout
        );
        assert_eq!(kind(ureq::Error::HostNotFound, true), K::Connect);
        assert_eq!(
            kind(ureq::Error::ConnectProxyFailed("403".into()), true),
            K::Connect
        );
        assert_eq!(
            kind(
                io::Error::from(io::ErrorKind::ConnectionRefused).into(),
                false
            ),
            K::Connect
        );
        assert_eq!(
            kind(io::Error::from(io::ErrorKind::UnexpectedEof).into(), false),
            K::Io
        );
        assert_eq!(
            kind(io::Error::from(io::ErrorKind::ConnectionReset).into(), true),
            K::Io
        );
        assert_eq!(
            kind(io::Error::from(io::ErrorKind::InvalidData).into(), true),
            K::Tls
        );
        assert_eq!(
            kind(io::Error::from(io::ErrorKind::InvalidData).into(), false),
            K::Io
        );
        assert_eq!(kind(ureq::Error::Tls("bad"), true), K::Tls);
        assert_eq!(
            kind(ureq::Error::LargeResponseHeader(1, 2), true),
            K::BodyTooLarge
        );
    }
}
