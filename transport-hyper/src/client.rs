//! The client: sending, and the three operations.

use std::fmt;
use std::sync::Arc;

use sso_oidc::{
    BuildError, ClientRegistration, CreateToken, DeviceAuthorization, Endpoint, RegisterClient,
    StartDeviceAuthorization, Token,
};

use crate::builder::ClientBuilder;
use crate::error::{Error, TransportError};
use crate::send::Sender;

/// An async SSO OIDC client: sends the core's requests over HTTP/1.1 (TLS with rustls),
/// returns every response whatever its status, and runs the device flow in real time.
///
/// Cheap to clone: clones share the settings and the idle connections. Use it on a tokio
/// runtime with I/O and time enabled.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    endpoint: Option<Endpoint>,
    insecure: bool,
    sender: Sender,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.inner.endpoint)
            .field("connect_timeout", &self.inner.sender.connect_timeout)
            .field("read_timeout", &self.inner.sender.read_timeout)
            .field("proxies", &self.inner.sender.proxies)
            .field("user_agent", &self.inner.sender.user_agent)
            .field("insecure", &self.inner.insecure)
            .finish_non_exhaustive()
    }
}

impl Client {
    pub(crate) fn new(endpoint: Option<Endpoint>, insecure: bool, sender: Sender) -> Self {
        Self {
            inner: Arc::new(Inner {
                endpoint,
                insecure,
                sender,
            }),
        }
    }

    /// A builder with the defaults: no endpoint, 60 s timeouts, the platform's roots (and
    /// `AWS_CA_BUNDLE`'s), proxies from the environment.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The endpoint the operations use, if one was set.
    pub fn endpoint(&self) -> Option<&Endpoint> {
        self.inner.endpoint.as_ref()
    }

    /// Whether TLS certificates go unverified
    /// ([`ClientBuilder::danger_accept_invalid_certs`]).
    pub fn is_insecure(&self) -> bool {
        self.inner.insecure
    }

    /// Sends a request and reads its response.
    ///
    /// The response keeps its status and every header, and comes back whatever its status:
    /// a 400 is how the service says "authorization pending", and only the core can read it.
    /// Redirects are not followed. At most [`sso_oidc::MAX_RESPONSE_BODY`] bytes of the body
    /// are read; a longer body is an error, and what was read of it is dropped. The client's
    /// user agent goes in front of the request's own `user-agent`; `Host` is set from the URL.
    ///
    /// Idle connections are reused; a request that finds one closed before anything was
    /// written on it goes out on a new one. Nothing else is retried: that is the core's call.
    ///
    /// # Errors
    /// [`TransportError`] when no response came back, or its body could not be read whole:
    /// connection refused or unresolvable ([`Connect`](sso_oidc::TransportErrorKind::Connect)),
    /// no connection or no answer in time ([`Timeout`](sso_oidc::TransportErrorKind::Timeout)),
    /// a broken or closed connection ([`Io`](sso_oidc::TransportErrorKind::Io)), a failed TLS
    /// handshake ([`Tls`](sso_oidc::TransportErrorKind::Tls)), a body over the cap
    /// ([`BodyTooLarge`](sso_oidc::TransportErrorKind::BodyTooLarge)).
    pub async fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        log_request(&request);
        let response = self.inner.sender.send(request).await?;
        log_response(&response);
        Ok(response)
    }

    /// Registers a client (`RegisterClient`) at the client's endpoint.
    ///
    /// # Errors
    /// [`Error::Transport`] when no usable response came back; [`Error::Api`] with the
    /// service's refusal, an answer that could not be understood, or
    /// [`BuildError::MissingRegion`] when the client has no endpoint.
    pub async fn register_client(
        &self,
        request: &RegisterClient,
    ) -> Result<ClientRegistration, Error> {
        let response = self
            .send(request.to_http(self.required_endpoint()?))
            .await?;
        Ok(RegisterClient::parse(response)?)
    }

    /// Starts a device authorization (`StartDeviceAuthorization`) at the client's endpoint.
    ///
    /// # Errors
    /// As [`register_client`](Self::register_client).
    pub async fn start_device_authorization(
        &self,
        request: &StartDeviceAuthorization,
    ) -> Result<DeviceAuthorization, Error> {
        let response = self
            .send(request.to_http(self.required_endpoint()?))
            .await?;
        Ok(StartDeviceAuthorization::parse(response)?)
    }

    /// Asks for a token (`CreateToken`) at the client's endpoint: one poll of a device code,
    /// or one use of a refresh token. `authorization_pending` is an error here, with its
    /// [`code`](Error::code); [`device_login`](Self::device_login) runs the whole polling loop.
    ///
    /// # Errors
    /// As [`register_client`](Self::register_client).
    pub async fn create_token(&self, request: &CreateToken) -> Result<Token, Error> {
        let response = self
            .send(request.to_http(self.required_endpoint()?))
            .await?;
        Ok(CreateToken::parse(response)?)
    }

    /// The endpoint, or the core's error for a request without one.
    pub(crate) fn required_endpoint(&self) -> Result<&Endpoint, Error> {
        self.endpoint().ok_or(Error::Api(sso_oidc::Error::Build(
            BuildError::MissingRegion,
        )))
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
