//! `StartDeviceAuthorization`: ask for a device code and the user code a person approves.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::endpoint::Endpoint;
use crate::error::{BuildError, Error};
use crate::operation::Operation;
use crate::request::{self, json_capacity, post_json, setters};
use crate::response::Received;
use crate::secret::Secret;

/// A `StartDeviceAuthorization` request: the registered client and the IAM Identity Center start
/// URL (the access portal) the person signs in to.
///
/// ```
/// use sso_oidc::{Endpoint, StartDeviceAuthorization};
///
/// let request = StartDeviceAuthorization::builder()
///     .client_id("my-client-id")
///     .client_secret("my-client-secret")
///     .start_url("https://d-1234567890.awsapps.com/start")
///     .build()?;
/// let http = request.to_http(&Endpoint::from_region("us-east-1")?);
/// assert_eq!(http.uri(), "https://oidc.us-east-1.amazonaws.com/device_authorization");
/// # Ok::<(), sso_oidc::BuildError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StartDeviceAuthorization {
    client_id: String,
    client_secret: Secret,
    start_url: String,
}

/// Builds a [`StartDeviceAuthorization`]; every member is required.
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct StartDeviceAuthorizationBuilder {
    client_id: Option<String>,
    client_secret: Option<Secret>,
    start_url: Option<String>,
}

/// The answer to `StartDeviceAuthorization`: the codes and where the person approves them.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeviceAuthorization {
    /// The device code `CreateToken` polls with.
    pub device_code: Secret,
    /// The code the person confirms on the verification page, e.g. `GPNW-SHFH`.
    pub user_code: String,
    /// The verification page.
    pub verification_uri: String,
    /// The verification page with the user code filled in, when the service sends it.
    pub verification_uri_complete: Option<String>,
    /// How long the codes are valid from now.
    pub expires_in: Duration,
    /// How long to wait between polls, when the service says (RFC 8628 3.2: 5 s when absent).
    pub interval: Option<Duration>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WireRequest<'a> {
    client_id: &'a str,
    client_secret: &'a str,
    start_url: &'a str,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireResponse {
    device_code: Option<String>,
    user_code: Option<String>,
    verification_uri: Option<String>,
    verification_uri_complete: Option<String>,
    expires_in: Option<u64>,
    interval: Option<u64>,
}

const MEMBERS: &[&str] = &[
    "deviceCode",
    "userCode",
    "verificationUri",
    "verificationUriComplete",
    "expiresIn",
    "interval",
];

impl StartDeviceAuthorization {
    /// A builder; set `client_id`, `client_secret` and `start_url`.
    pub fn builder() -> StartDeviceAuthorizationBuilder {
        StartDeviceAuthorizationBuilder::default()
    }

    /// The HTTP request: `POST /device_authorization` with a JSON body.
    pub fn to_http(&self, endpoint: &Endpoint) -> http::Request<Vec<u8>> {
        let body = WireRequest {
            client_id: &self.client_id,
            client_secret: self.client_secret.expose(),
            start_url: &self.start_url,
        };
        let capacity = json_capacity([body.client_id, body.client_secret, body.start_url]);
        post_json(
            endpoint,
            Operation::StartDeviceAuthorization,
            &body,
            capacity,
        )
    }

    /// Parses the service's response.
    ///
    /// # Errors
    /// [`Error::Service`] when the service refused the request (any non-2xx status that names
    /// an error code); [`Error::Parse`] when the response cannot be understood: a body over
    /// [`MAX_RESPONSE_BODY`](crate::MAX_RESPONSE_BODY), not a JSON object, or without
    /// `deviceCode`, `userCode`, `verificationUri` or `expiresIn`.
    pub fn parse<B: AsRef<[u8]>>(
        response: http::Response<B>,
    ) -> Result<DeviceAuthorization, Error> {
        let received = Received::new(Operation::StartDeviceAuthorization, &response);
        let wire: WireResponse = received.json(MEMBERS)?;
        Ok(DeviceAuthorization {
            device_code: received.required_secret("deviceCode", wire.device_code)?,
            user_code: received.required("userCode", wire.user_code)?,
            verification_uri: received.required("verificationUri", wire.verification_uri)?,
            verification_uri_complete: wire.verification_uri_complete,
            expires_in: received.seconds("expiresIn", wire.expires_in)?,
            interval: wire.interval.map(Duration::from_secs),
        })
    }
}

impl StartDeviceAuthorizationBuilder {
    setters! {
        /// The client id from `RegisterClient`.
        set client_id: String;

        /// The client secret from `RegisterClient`.
        set client_secret: Secret;

        /// The start URL of the AWS access portal, e.g. `https://d-1234567890.awsapps.com/start`.
        set start_url: String;
    }

    /// Checks the members and builds the request.
    ///
    /// # Errors
    /// [`BuildError::MissingMember`] or [`BuildError::BlankMember`] naming `clientId`,
    /// `clientSecret` or `startUrl`; [`BuildError::InvalidMember`] when `startUrl` is not an
    /// `http` or `https` URL.
    pub fn build(self) -> Result<StartDeviceAuthorization, BuildError> {
        let client_id = request::required("clientId", self.client_id)?;
        let client_secret = request::required("clientSecret", self.client_secret)?;
        let start_url = request::required("startUrl", self.start_url)?;
        request::http_url("startUrl", &start_url)?;
        Ok(StartDeviceAuthorization {
            client_id,
            client_secret,
            start_url,
        })
    }
}
