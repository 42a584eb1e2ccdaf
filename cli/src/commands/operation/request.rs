//! A checked request of one of the three operations, and the check of its response (which
//! the portal's operations share: [`keep_body`]).

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

    /// The core's parser for this operation, as a check: what the typed API would refuse is
    /// refused (and retried, or worded as the AWS CLI words it), and what it accepts is kept
    /// as the service sent it, for the output to show every member in the model's order.
    #[expect(
        clippy::redundant_closure,
        reason = "a parser named alone would take a body of one lifetime; the closures take any"
    )]
    pub(crate) fn check(&self) -> sso_oidc::Parser<Vec<u8>> {
        match self {
            Self::RegisterClient(_) => |r| keep_body(r, |r| sso_oidc::RegisterClient::parse(r)),
            Self::StartDeviceAuthorization(_) => {
                |r| keep_body(r, |r| sso_oidc::StartDeviceAuthorization::parse(r))
            }
            Self::CreateToken(_) => |r| keep_body(r, |r| sso_oidc::CreateToken::parse(r)),
        }
    }
}

/// The body of a response that `parse` accepts, as it came.
pub(crate) fn keep_body<T>(
    response: http::Response<Vec<u8>>,
    parse: impl FnOnce(http::Response<&[u8]>) -> Result<T, sso_oidc::Error>,
) -> Result<Vec<u8>, sso_oidc::Error> {
    let (head, body) = response.into_parts();
    parse(http::Response::from_parts(head, body.as_slice()))?;
    Ok(body)
}
