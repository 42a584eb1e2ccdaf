//! The service's operations by name.

use std::fmt;

/// One of the SSO OIDC operations this crate speaks.
///
/// `CreateTokenWithIAM` is not here: it is signed with SigV4 by AWS credentials, which this
/// unsigned device-flow client never holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operation {
    /// `RegisterClient`: `POST /client/register`.
    RegisterClient,
    /// `StartDeviceAuthorization`: `POST /device_authorization`.
    StartDeviceAuthorization,
    /// `CreateToken`: `POST /token`.
    CreateToken,
}

impl Operation {
    /// Every operation this crate speaks.
    pub const ALL: [Self; 3] = [
        Self::RegisterClient,
        Self::StartDeviceAuthorization,
        Self::CreateToken,
    ];

    /// The operation's name in the service model, e.g. `StartDeviceAuthorization`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::RegisterClient => "RegisterClient",
            Self::StartDeviceAuthorization => "StartDeviceAuthorization",
            Self::CreateToken => "CreateToken",
        }
    }

    /// The request path from the model's `requestUri`, e.g. `/device_authorization`.
    pub const fn path(self) -> &'static str {
        match self {
            Self::RegisterClient => "/client/register",
            Self::StartDeviceAuthorization => "/device_authorization",
            Self::CreateToken => "/token",
        }
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}
