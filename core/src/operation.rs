//! The operations of both services by name.

use std::fmt;

/// One of the operations this crate speaks: the SSO OIDC service's ([`Operation::ALL`]) and the
/// SSO portal's ([`Operation::PORTAL`]).
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
    /// The portal's `GetRoleCredentials`: `GET /federation/credentials`.
    GetRoleCredentials,
    /// The portal's `ListAccounts`: `GET /assignment/accounts`.
    ListAccounts,
    /// The portal's `ListAccountRoles`: `GET /assignment/roles`.
    ListAccountRoles,
    /// The portal's `Logout`: `POST /logout`.
    Logout,
}

impl Operation {
    /// Every SSO OIDC operation this crate speaks (the portal's are in [`Operation::PORTAL`]).
    pub const ALL: [Self; 3] = [
        Self::RegisterClient,
        Self::StartDeviceAuthorization,
        Self::CreateToken,
    ];

    /// Every SSO portal operation (`portal.sso.<region>...`), in the model's order.
    pub const PORTAL: [Self; 4] = [
        Self::GetRoleCredentials,
        Self::ListAccountRoles,
        Self::ListAccounts,
        Self::Logout,
    ];

    /// Whether this is one of the SSO portal's operations rather than SSO OIDC's.
    pub const fn is_portal(self) -> bool {
        matches!(
            self,
            Self::GetRoleCredentials | Self::ListAccounts | Self::ListAccountRoles | Self::Logout
        )
    }

    /// The operation's name in the service model, e.g. `StartDeviceAuthorization`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::RegisterClient => "RegisterClient",
            Self::StartDeviceAuthorization => "StartDeviceAuthorization",
            Self::CreateToken => "CreateToken",
            Self::GetRoleCredentials => "GetRoleCredentials",
            Self::ListAccounts => "ListAccounts",
            Self::ListAccountRoles => "ListAccountRoles",
            Self::Logout => "Logout",
        }
    }

    /// The HTTP method from the model: `POST` for SSO OIDC's operations and the portal's
    /// `Logout`, `GET` for the portal's other three.
    pub fn method(self) -> http::Method {
        match self {
            Self::GetRoleCredentials | Self::ListAccounts | Self::ListAccountRoles => {
                http::Method::GET
            }
            Self::RegisterClient
            | Self::StartDeviceAuthorization
            | Self::CreateToken
            | Self::Logout => http::Method::POST,
        }
    }

    /// The operation of either service whose request path is `path` (as
    /// [`path`](Self::path) gives it), e.g. [`Operation::CreateToken`] for `/token`.
    pub fn from_path(path: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .chain(Self::PORTAL)
            .find(|operation| operation.path() == path)
    }

    /// The request path from the model's `requestUri`, e.g. `/device_authorization`.
    pub const fn path(self) -> &'static str {
        match self {
            Self::RegisterClient => "/client/register",
            Self::StartDeviceAuthorization => "/device_authorization",
            Self::CreateToken => "/token",
            Self::GetRoleCredentials => "/federation/credentials",
            Self::ListAccounts => "/assignment/accounts",
            Self::ListAccountRoles => "/assignment/roles",
            Self::Logout => "/logout",
        }
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_their_operations() {
        for operation in Operation::ALL.into_iter().chain(Operation::PORTAL) {
            assert_eq!(Operation::from_path(operation.path()), Some(operation));
        }
        assert_eq!(Operation::from_path("/"), None);
        assert_eq!(Operation::from_path("/token/"), None);
        assert_eq!(Operation::Logout.method(), http::Method::POST);
        assert_eq!(Operation::ListAccounts.method(), http::Method::GET);
        assert_eq!(Operation::CreateToken.method(), http::Method::POST);
    }
}
