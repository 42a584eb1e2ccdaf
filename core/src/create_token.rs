//! `CreateToken`: exchange a device code, refresh token or authorization code for tokens.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::endpoint::Endpoint;
use crate::error::{BuildError, Error};
use crate::operation::Operation;
use crate::request::{self, json_capacity, post_json, setters};
use crate::response::Received;
use crate::secret::Secret;

/// The OAuth grant types the service supports, with their wire values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum GrantType {
    /// `urn:ietf:params:oauth:grant-type:device_code` (RFC 8628): needs `deviceCode`.
    DeviceCode,
    /// `refresh_token`: needs `refreshToken`.
    RefreshToken,
    /// `authorization_code` with PKCE: needs `code`, `redirectUri` and `codeVerifier`.
    AuthorizationCode,
}

impl GrantType {
    /// The value the service expects in `grantType`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::DeviceCode => "urn:ietf:params:oauth:grant-type:device_code",
            Self::RefreshToken => "refresh_token",
            Self::AuthorizationCode => "authorization_code",
        }
    }

    fn from_wire(value: &str) -> Option<Self> {
        [
            Self::DeviceCode,
            Self::RefreshToken,
            Self::AuthorizationCode,
        ]
        .into_iter()
        .find(|g| g.as_str() == value)
    }
}

impl fmt::Display for GrantType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl From<GrantType> for String {
    fn from(grant_type: GrantType) -> Self {
        grant_type.as_str().to_owned()
    }
}

/// A `CreateToken` request.
///
/// For the three grant types in [`GrantType`], [`CreateTokenBuilder::build`] checks that the
/// members the grant needs are set; any other `grantType` is sent as given and left to the
/// service to judge.
///
/// ```
/// use sso_oidc::{CreateToken, Endpoint, GrantType};
///
/// let request = CreateToken::builder()
///     .client_id("my-client-id")
///     .client_secret("my-client-secret")
///     .grant_type(GrantType::DeviceCode)
///     .device_code("my-device-code")
///     .build()?;
/// let http = request.to_http(&Endpoint::from_region("us-east-1")?);
/// assert_eq!(http.uri().path(), "/token");
/// assert!(!format!("{request:?}").contains("my-device-code"));
/// # Ok::<(), sso_oidc::BuildError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateToken {
    client_id: String,
    client_secret: Secret,
    grant_type: String,
    device_code: Option<Secret>,
    code: Option<Secret>,
    refresh_token: Option<Secret>,
    scope: Option<Vec<String>>,
    redirect_uri: Option<String>,
    code_verifier: Option<Secret>,
}

/// Builds a [`CreateToken`]; `clientId`, `clientSecret` and `grantType` are required.
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct CreateTokenBuilder {
    client_id: Option<String>,
    client_secret: Option<Secret>,
    grant_type: Option<String>,
    device_code: Option<Secret>,
    code: Option<Secret>,
    refresh_token: Option<Secret>,
    scope: Option<Vec<String>>,
    redirect_uri: Option<String>,
    code_verifier: Option<Secret>,
}

/// The answer to `CreateToken`: an access token and what comes with it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Token {
    /// The bearer token for the AWS SSO portal API.
    pub access_token: Secret,
    /// The token type, `Bearer`, when the service says.
    pub token_type: Option<String>,
    /// How long the access token is valid from now.
    pub expires_in: Duration,
    /// A token for the `refresh_token` grant, when the client registered for it.
    pub refresh_token: Option<Secret>,
    /// An OpenID Connect id token, when the service sends one.
    pub id_token: Option<Secret>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WireRequest<'a> {
    client_id: &'a str,
    client_secret: &'a str,
    grant_type: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    device_code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    redirect_uri: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code_verifier: Option<&'a str>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireResponse {
    access_token: Option<String>,
    token_type: Option<String>,
    expires_in: Option<u64>,
    refresh_token: Option<String>,
    id_token: Option<String>,
}

const MEMBERS: &[&str] = &[
    "accessToken",
    "tokenType",
    "expiresIn",
    "refreshToken",
    "idToken",
];

fn exposed(secret: &Option<Secret>) -> Option<&str> {
    secret.as_ref().map(|s| s.expose().as_str())
}

impl CreateToken {
    /// A builder; set `client_id`, `client_secret`, `grant_type` and what the grant needs.
    pub fn builder() -> CreateTokenBuilder {
        CreateTokenBuilder::default()
    }

    /// The HTTP request: `POST /token` with a JSON body.
    pub fn to_http(&self, endpoint: &Endpoint) -> http::Request<Vec<u8>> {
        let body = WireRequest {
            client_id: &self.client_id,
            client_secret: self.client_secret.expose(),
            grant_type: &self.grant_type,
            device_code: exposed(&self.device_code),
            code: exposed(&self.code),
            refresh_token: exposed(&self.refresh_token),
            scope: self.scope.as_deref(),
            redirect_uri: self.redirect_uri.as_deref(),
            code_verifier: exposed(&self.code_verifier),
        };
        let strings = [
            Some(body.client_id),
            Some(body.client_secret),
            Some(body.grant_type),
            body.device_code,
            body.code,
            body.refresh_token,
            body.redirect_uri,
            body.code_verifier,
        ];
        let scopes = body.scope.unwrap_or_default().iter().map(String::as_str);
        let capacity = json_capacity(strings.into_iter().flatten().chain(scopes));
        post_json(endpoint, Operation::CreateToken, &body, capacity)
    }

    /// Parses the service's response.
    ///
    /// # Errors
    /// [`Error::Service`] when the service refused the request; while a device authorization is
    /// pending that is [`ErrorCode::AuthorizationPending`](crate::ErrorCode) or
    /// [`ErrorCode::SlowDown`](crate::ErrorCode). [`Error::Parse`] when the response cannot be
    /// understood: a body over [`MAX_RESPONSE_BODY`](crate::MAX_RESPONSE_BODY), not a JSON
    /// object, or without `accessToken` or `expiresIn`.
    pub fn parse<B: AsRef<[u8]>>(response: http::Response<B>) -> Result<Token, Error> {
        let received = Received::new(Operation::CreateToken, &response);
        let wire: WireResponse = received.json(MEMBERS)?;
        Ok(Token {
            access_token: received.required_secret("accessToken", wire.access_token)?,
            token_type: wire.token_type,
            expires_in: received.seconds("expiresIn", wire.expires_in)?,
            refresh_token: wire.refresh_token.map(Secret::new),
            id_token: wire.id_token.map(Secret::new),
        })
    }
}

impl CreateTokenBuilder {
    setters! {
        /// The client id from `RegisterClient`.
        set client_id: String;

        /// The client secret from `RegisterClient`.
        set client_secret: Secret;

        /// The grant type: a [`GrantType`], or any string the service may accept.
        set grant_type: String;

        /// The device code from `StartDeviceAuthorization`, for the device-code grant.
        set device_code: Secret;

        /// The authorization code, for the authorization-code grant.
        set code: Secret;

        /// The refresh token, for the refresh-token grant.
        set refresh_token: Secret;

        /// Adds one scope to ask for (member `scope`, a list).
        push scope => scope;

        /// Sets the whole list of scopes (an empty list is sent as `[]`).
        list scopes => scope;

        /// The redirect URI the authorization code was sent to.
        set redirect_uri: String;

        /// The PKCE code verifier (RFC 7636) for the authorization-code grant.
        set code_verifier: Secret;
    }

    /// Checks the members and builds the request.
    ///
    /// # Errors
    /// [`BuildError::MissingMember`] when `clientId`, `clientSecret` or `grantType` is not set,
    /// or a member the grant type needs is not: `deviceCode` for the device-code grant,
    /// `refreshToken` for the refresh-token grant, `code`, `redirectUri` and `codeVerifier` for
    /// the authorization-code grant. [`BuildError::BlankMember`] naming any member set to a
    /// blank value.
    pub fn build(self) -> Result<CreateToken, BuildError> {
        let request = self.build_lenient()?;
        let needs: &[(&'static str, bool)] = match GrantType::from_wire(&request.grant_type) {
            Some(GrantType::DeviceCode) => &[("deviceCode", request.device_code.is_some())],
            Some(GrantType::RefreshToken) => &[("refreshToken", request.refresh_token.is_some())],
            Some(GrantType::AuthorizationCode) => &[
                ("code", request.code.is_some()),
                ("redirectUri", request.redirect_uri.is_some()),
                ("codeVerifier", request.code_verifier.is_some()),
            ],
            None => &[],
        };
        match needs.iter().find(|(_, set)| !set) {
            Some((member, _)) => Err(BuildError::MissingMember { member }),
            None => Ok(request),
        }
    }

    /// Builds the request checking only what the service model requires, as botocore does
    /// (and so `aws sso-oidc create-token`): `clientId`, `clientSecret` and `grantType` set,
    /// and no member blank. A member the grant type needs but the model does not require
    /// (`deviceCode` for the device-code grant, say) is left for the service to refuse, with
    /// its own `InvalidRequestException`. Prefer [`build`](Self::build), which catches that
    /// before anything is sent.
    ///
    /// # Errors
    /// [`BuildError::MissingMember`] when `clientId`, `clientSecret` or `grantType` is not set;
    /// [`BuildError::BlankMember`] naming any member set to a blank value.
    pub fn build_lenient(self) -> Result<CreateToken, BuildError> {
        Ok(CreateToken {
            client_id: request::required("clientId", self.client_id)?,
            client_secret: request::required("clientSecret", self.client_secret)?,
            grant_type: request::required("grantType", self.grant_type)?,
            device_code: request::optional("deviceCode", self.device_code)?,
            code: request::optional("code", self.code)?,
            refresh_token: request::optional("refreshToken", self.refresh_token)?,
            scope: request::list("scope", self.scope)?,
            redirect_uri: request::optional("redirectUri", self.redirect_uri)?,
            code_verifier: request::optional("codeVerifier", self.code_verifier)?,
        })
    }
}
