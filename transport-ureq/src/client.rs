//! The client: its settings and agents, sending, and the three operations (each a retried
//! [`Call`](sso_oidc::Call), run in `call.rs`).

use std::fmt;
use std::sync::Arc;

use sso_oidc::{
    ClientRegistration, CreateToken, DeviceAuthorization, Endpoint, RegisterClient,
    StartDeviceAuthorization, Token,
};
use sso_oidc_transport::{Error, FromSettings, Settings, TransportError, log_response};

use crate::ClientBuilder;
use crate::send::Agents;

/// A blocking SSO OIDC client: sends the core's requests over HTTP/1.1 (TLS with rustls),
/// returns every response whatever its status, runs the sign-ins in real time, and calls
/// the SSO portal for AWS credentials.
///
/// Cheap to clone: clones share the settings and the idle connections. Made with
/// [`Client::builder`]. See the [crate documentation](crate) for an example.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    /// Shared with the agents' TLS connector, which makes the rustls configuration on the
    /// first `https` connection.
    settings: Arc<Settings>,
    agents: Agents,
}

impl FromSettings for Client {
    const USER_AGENT: &'static str = crate::USER_AGENT;

    fn from_settings(settings: Settings) -> Self {
        let settings = Arc::new(settings);
        Self {
            inner: Arc::new(Inner {
                agents: Agents::new(&settings),
                settings,
            }),
        }
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("settings", &self.inner.settings)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder with the defaults (see [`ClientBuilder`]): no endpoint, 60 s timeouts, the
    /// platform's roots (and `AWS_CA_BUNDLE`'s), proxies from the environment.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// The settings the client was built with.
    pub fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    /// The endpoint the operations use, if one was set.
    pub fn endpoint(&self) -> Option<&Endpoint> {
        self.settings().endpoint()
    }

    /// The SSO portal's endpoint, which its operations use, if one was set
    /// ([`ClientBuilder::portal_endpoint`](crate::ClientBuilder::portal_endpoint)).
    pub fn portal_endpoint(&self) -> Option<&sso_oidc::portal::Endpoint> {
        self.settings().portal_endpoint()
    }

    /// Whether server certificates go unchecked
    /// ([`ClientBuilder::danger_accept_invalid_certs`]).
    pub fn is_insecure(&self) -> bool {
        self.settings().is_insecure()
    }

    /// Sends a request and reads its response, whatever its status.
    ///
    /// The response keeps its status and every header; a 4xx or 5xx is a response like any
    /// other (the service says "authorization pending" with a 400). Redirects are not followed.
    /// At most [`MAX_RESPONSE_BODY`](sso_oidc::MAX_RESPONSE_BODY) bytes of the body are read.
    /// The client's user agent goes in front of the request's own `user-agent`. The connect
    /// timeout bounds the connection, the read timeout the whole response (head and body
    /// together, however slowly its bytes come).
    ///
    /// # Errors
    /// [`TransportError`] when no whole response came back: a name that does not resolve, a
    /// refused connection, an unreachable proxy or a URL that cannot be sent to
    /// ([`Connect`](sso_oidc::TransportErrorKind::Connect)), no connection or no whole answer
    /// in time ([`Timeout`](sso_oidc::TransportErrorKind::Timeout)), a broken connection or a
    /// body cut short ([`Io`](sso_oidc::TransportErrorKind::Io)), a failed TLS handshake
    /// ([`Tls`](sso_oidc::TransportErrorKind::Tls)), or a body over the cap
    /// ([`BodyTooLarge`](sso_oidc::TransportErrorKind::BodyTooLarge)), which is refused
    /// without reading the rest of it.
    pub fn send(
        &self,
        mut request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        self.settings().prepare(&mut request);
        let response = self.inner.agents.send(self.settings(), request)?;
        log_response(&response);
        Ok(response)
    }

    /// Registers a client (`RegisterClient`) at the client's endpoint, retrying a transient
    /// failure as the client's [retry policy](crate::ClientBuilder::retry_policy) allows
    /// (this and the other operations run a [`Call`](sso_oidc::Call) with
    /// [`call`](Self::call)).
    ///
    /// # Errors
    /// [`Error::Transport`] when the last attempt got no usable response; [`Error::Api`] with
    /// the service's refusal, an answer that could not be understood, or
    /// [`BuildError::MissingRegion`](sso_oidc::BuildError::MissingRegion) when the client has
    /// no endpoint. Each says how many attempts were made.
    pub fn register_client(&self, request: &RegisterClient) -> Result<ClientRegistration, Error> {
        let endpoint = self.settings().required_endpoint()?;
        self.call(
            self.settings()
                .call_for(request.to_http(endpoint), RegisterClient::parse),
        )
    }

    /// Starts a device authorization (`StartDeviceAuthorization`) at the client's endpoint,
    /// retrying as [`register_client`](Self::register_client) does.
    ///
    /// # Errors
    /// As [`register_client`](Self::register_client).
    pub fn start_device_authorization(
        &self,
        request: &StartDeviceAuthorization,
    ) -> Result<DeviceAuthorization, Error> {
        let endpoint = self.settings().required_endpoint()?;
        self.call(
            self.settings()
                .call_for(request.to_http(endpoint), StartDeviceAuthorization::parse),
        )
    }

    /// Asks for a token (`CreateToken`) at the client's endpoint: one poll of a device code,
    /// or one use of a refresh token, retrying a transient failure as
    /// [`register_client`](Self::register_client) does. `authorization_pending` and
    /// `slow_down` are answers, not failures: they come back at once as errors, with their
    /// [`code`](Error::code); [`device_login`](Self::device_login) runs the whole polling
    /// loop.
    ///
    /// # Errors
    /// As [`register_client`](Self::register_client).
    pub fn create_token(&self, request: &CreateToken) -> Result<Token, Error> {
        let endpoint = self.settings().required_endpoint()?;
        self.call(
            self.settings()
                .call_for(request.to_http(endpoint), CreateToken::parse),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clients_can_be_shared_between_threads() {
        fn shared<T: Send + Sync + Clone + 'static>() {}
        shared::<Client>();
    }
}
