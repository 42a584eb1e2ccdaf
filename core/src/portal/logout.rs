//! `Logout`: end the user's sign-in session at the portal.

use http::HeaderValue;

use crate::error::{BuildError, Error};
use crate::operation::Operation;
use crate::portal::Endpoint;
use crate::portal::request::{access_token, portal_request};
use crate::request::setters;
use crate::response::Received;
use crate::secret::Secret;

/// A `Logout` request: `POST /logout` with no body, the access token in the
/// `x-amz-sso_bearer_token` header. Role sessions already issued run until they expire.
///
/// ```
/// use sso_oidc::portal::{Endpoint, Logout};
///
/// let request = Logout::builder().access_token("my-access-token").build()?;
/// let http = request.to_http(&Endpoint::from_region("us-east-1")?);
/// assert_eq!(http.method(), "POST");
/// assert_eq!(http.uri(), "https://portal.sso.us-east-1.amazonaws.com/logout");
/// assert_eq!(Logout::parse(http::Response::new(Vec::new())), Ok(()));
/// # Ok::<(), sso_oidc::BuildError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Logout {
    access_token: Secret<HeaderValue>,
}

/// Builds a [`Logout`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct LogoutBuilder {
    access_token: Option<Secret>,
}

impl Logout {
    /// A builder for the request.
    pub fn builder() -> LogoutBuilder {
        LogoutBuilder::default()
    }

    /// The HTTP request to send to `endpoint`.
    pub fn to_http(&self, endpoint: &Endpoint) -> http::Request<Vec<u8>> {
        portal_request(endpoint, Operation::Logout, &[], &self.access_token)
    }

    /// Parses the service's response: any 2xx is a success, whatever its body.
    ///
    /// # Errors
    /// [`Error::Service`] when the portal refused the request (see [`Error::portal_code`]);
    /// [`Error::Parse`] for a body over [`MAX_RESPONSE_BODY`](crate::MAX_RESPONSE_BODY) or a
    /// non-2xx response that names no error code.
    pub fn parse<B: AsRef<[u8]>>(response: http::Response<B>) -> Result<(), Error> {
        Received::new(Operation::Logout, &response).success()
    }
}

impl LogoutBuilder {
    setters! {
        /// The access token from `CreateToken` (`accessToken`).
        set access_token: Secret;
    }

    /// Checks the access token and builds the request.
    ///
    /// # Errors
    /// [`BuildError::MissingMember`] or [`BuildError::BlankMember`] for an access token that
    /// is not set or blank; [`BuildError::InvalidMember`] for one a header cannot hold.
    pub fn build(self) -> Result<Logout, BuildError> {
        Ok(Logout {
            access_token: access_token(self.access_token)?,
        })
    }
}
