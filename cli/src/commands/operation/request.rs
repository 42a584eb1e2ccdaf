//! A checked request of one of the three operations, and the check of its response.

/// A checked request of one of the three operations.
pub(crate) enum Request {
    RegisterClient(sso_oidc::RegisterClient),
    StartDeviceAuthorization(sso_oidc::StartDeviceAuthorization),
    CreateToken(sso_oidc::CreateToken),
}

impl Request {
    /// The HTTP request to send to `endpoint`.
    pub(crate) fn to_http(&self, endpoint: &sso_oidc::Endpoint) -> http::Request<Vec<u8>> {
        match self {
            Self::RegisterClient(r) => r.to_http(endpoint),
            Self::StartDeviceAuthorization(r) => r.to_http(endpoint),
            Self::CreateToken(r) => r.to_http(endpoint),
        }
    }

    /// Checks the response with the core's parser for this operation, as the typed API would.
    pub(crate) fn parse(&self, response: http::Response<Vec<u8>>) -> Result<(), sso_oidc::Error> {
        match self {
            Self::RegisterClient(_) => sso_oidc::RegisterClient::parse(response).map(drop),
            Self::StartDeviceAuthorization(_) => {
                sso_oidc::StartDeviceAuthorization::parse(response).map(drop)
            }
            Self::CreateToken(_) => sso_oidc::CreateToken::parse(response).map(drop),
        }
    }
}
