//! `RegisterClient`: register a public client, which gets a client id and secret.

use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::create_token::GrantType;
use crate::endpoint::Endpoint;
use crate::error::{BuildError, Error};
use crate::operation::Operation;
use crate::request::{self, json_capacity, post_json, setters};
use crate::response::Received;
use crate::secret::Secret;

/// A `RegisterClient` request.
///
/// `clientType` defaults to `public`, the only type the service supports.
///
/// ```
/// use sso_oidc::{Endpoint, RegisterClient};
///
/// let request = RegisterClient::builder()
///     .client_name("my-tool")
///     .scope("sso:account:access")
///     .build()?;
/// let http = request.to_http(&Endpoint::from_region("eu-west-1")?);
/// assert_eq!(
///     http.body(),
///     br#"{"clientName":"my-tool","clientType":"public","scopes":["sso:account:access"]}"#
/// );
/// # Ok::<(), sso_oidc::BuildError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegisterClient {
    client_name: String,
    client_type: String,
    scopes: Option<Vec<String>>,
    redirect_uris: Option<Vec<String>>,
    grant_types: Option<Vec<String>>,
    issuer_url: Option<String>,
    entitled_application_arn: Option<String>,
}

/// Builds a [`RegisterClient`]; `clientName` is required.
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct RegisterClientBuilder {
    client_name: Option<String>,
    client_type: Option<String>,
    scopes: Option<Vec<String>>,
    redirect_uris: Option<Vec<String>>,
    grant_types: Option<Vec<String>>,
    issuer_url: Option<String>,
    entitled_application_arn: Option<String>,
}

/// The answer to `RegisterClient`: the client's credentials and how long they last.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClientRegistration {
    /// The client id.
    pub client_id: String,
    /// The client secret.
    pub client_secret: Secret,
    /// When the client id was issued, when the service says.
    pub client_id_issued_at: Option<SystemTime>,
    /// When the client secret expires (the service says 90 days after issue); `None` when the
    /// service sends `0` or nothing, which RFC 7591 reads as "does not expire".
    pub client_secret_expires_at: Option<SystemTime>,
    /// The authorization endpoint, for the authorization-code grant (the service sends `null`).
    pub authorization_endpoint: Option<String>,
    /// The token endpoint (the service sends `null`).
    pub token_endpoint: Option<String>,
    /// The grant types the client was registered for, when known. The service does not send
    /// them: a flow fills in what it asked for, and [`CachedRegistration`](crate::CachedRegistration)
    /// what the cache recorded (`grantTypes`). A registration for the authorization-code grant
    /// is used only by [`AuthCodeFlow`](crate::AuthCodeFlow), any other only by
    /// [`DeviceFlow`](crate::DeviceFlow), as the AWS CLI does.
    pub grant_types: Option<Vec<String>>,
}

impl ClientRegistration {
    /// Whether the client was registered for `grant` (as far as is known: `false` when the
    /// grant types are not).
    pub fn has_grant_type(&self, grant: GrantType) -> bool {
        self.grant_types
            .as_deref()
            .is_some_and(|grants| grants.iter().any(|g| g == grant.as_str()))
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WireRequest<'a> {
    client_name: &'a str,
    client_type: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    scopes: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    redirect_uris: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    grant_types: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issuer_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    entitled_application_arn: Option<&'a str>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireResponse {
    client_id: Option<String>,
    client_secret: Option<String>,
    client_id_issued_at: Option<u64>,
    client_secret_expires_at: Option<u64>,
    authorization_endpoint: Option<String>,
    token_endpoint: Option<String>,
}

const MEMBERS: &[&str] = &[
    "clientId",
    "clientSecret",
    "clientIdIssuedAt",
    "clientSecretExpiresAt",
    "authorizationEndpoint",
    "tokenEndpoint",
];

impl RegisterClient {
    /// A builder; set at least `client_name`.
    pub fn builder() -> RegisterClientBuilder {
        RegisterClientBuilder::default()
    }

    /// The HTTP request: `POST /client/register` with a JSON body.
    pub fn to_http(&self, endpoint: &Endpoint) -> http::Request<Vec<u8>> {
        let body = WireRequest {
            client_name: &self.client_name,
            client_type: &self.client_type,
            scopes: self.scopes.as_deref(),
            redirect_uris: self.redirect_uris.as_deref(),
            grant_types: self.grant_types.as_deref(),
            issuer_url: self.issuer_url.as_deref(),
            entitled_application_arn: self.entitled_application_arn.as_deref(),
        };
        let strings = [
            Some(body.client_name),
            Some(body.client_type),
            body.issuer_url,
            body.entitled_application_arn,
        ];
        let lists = [body.scopes, body.redirect_uris, body.grant_types];
        let entries = lists.into_iter().flatten().flatten().map(String::as_str);
        let capacity = json_capacity(strings.into_iter().flatten().chain(entries));
        post_json(endpoint, Operation::RegisterClient, &body, capacity)
    }

    /// Parses the service's response.
    ///
    /// # Errors
    /// [`Error::Service`] when the service refused the request; [`Error::Parse`] when the
    /// response cannot be understood: a body over [`MAX_RESPONSE_BODY`](crate::MAX_RESPONSE_BODY),
    /// not a JSON object, without `clientId` or `clientSecret`, or with a timestamp out of range.
    pub fn parse<B: AsRef<[u8]>>(response: http::Response<B>) -> Result<ClientRegistration, Error> {
        let received = Received::new(Operation::RegisterClient, &response);
        let wire: WireResponse = received.json(MEMBERS)?;
        Ok(ClientRegistration {
            client_id: received.required("clientId", wire.client_id)?,
            client_secret: received.required_secret("clientSecret", wire.client_secret)?,
            client_id_issued_at: received.epoch("clientIdIssuedAt", wire.client_id_issued_at)?,
            client_secret_expires_at: received
                .epoch("clientSecretExpiresAt", wire.client_secret_expires_at)?,
            authorization_endpoint: wire.authorization_endpoint,
            token_endpoint: wire.token_endpoint,
            grant_types: None,
        })
    }
}

impl RegisterClientBuilder {
    setters! {
        /// The client's name, which the person may see when approving.
        set client_name: String;

        /// The client type; `public` unless set, the only type the service supports.
        set client_type: String;

        /// Adds one scope, e.g. `sso:account:access`.
        push scope => scopes;

        /// Sets the whole list of scopes (an empty list is sent as `[]`).
        list scopes => scopes;

        /// Adds one redirect URI, for the authorization-code grant.
        push redirect_uri => redirect_uris;

        /// Sets the whole list of redirect URIs.
        list redirect_uris => redirect_uris;

        /// Adds one grant type the client will use, e.g. [`GrantType::RefreshToken`](crate::GrantType).
        push grant_type => grant_types;

        /// Sets the whole list of grant types.
        list grant_types => grant_types;

        /// The IAM Identity Center issuer URL, for a client of a trusted token issuer.
        set issuer_url: String;

        /// The ARN of the application the client may use.
        set entitled_application_arn: String;
    }

    /// Checks the members and builds the request.
    ///
    /// # Errors
    /// [`BuildError::MissingMember`] when `clientName` is not set; [`BuildError::BlankMember`]
    /// naming any member set to a blank value (or a list with a blank entry).
    pub fn build(self) -> Result<RegisterClient, BuildError> {
        Ok(RegisterClient {
            client_name: request::required("clientName", self.client_name)?,
            client_type: request::required(
                "clientType",
                Some(self.client_type.unwrap_or_else(|| "public".to_owned())),
            )?,
            scopes: request::list("scopes", self.scopes)?,
            redirect_uris: request::list("redirectUris", self.redirect_uris)?,
            grant_types: request::list("grantTypes", self.grant_types)?,
            issuer_url: request::optional("issuerUrl", self.issuer_url)?,
            entitled_application_arn: request::optional(
                "entitledApplicationArn",
                self.entitled_application_arn,
            )?,
        })
    }
}
