//! The client registration record the AWS CLI keeps beside the token, so that one registration
//! serves many logins.

use std::time::SystemTime;

use serde::Serialize;

use crate::cache::error::CacheError;
use crate::cache::read::Record;
use crate::cache::{json, time};
use crate::register_client::ClientRegistration;
use crate::secret::Secret;

/// A cached client registration, as the AWS CLI v2 keeps it: the client id and secret from
/// `RegisterClient`, when they expire, and the scopes (and, for the authorization-code flow, the
/// grant types) they were registered with.
///
/// The file it goes in is named by [`registration_file_name`](crate::registration_file_name).
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use sso_oidc::{CachedRegistration, Secret};
///
/// let expires_at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
/// let mut registration = CachedRegistration::new("client-id".into(), Secret::from("secret"), expires_at);
/// registration.scopes = Some(vec!["sso:account:access".to_owned()]);
/// assert_eq!(
///     registration.to_json(),
///     br#"{"clientId": "client-id", "clientSecret": "secret", "expiresAt": "2023-11-14T22:13:20Z", "scopes": ["sso:account:access"]}"#
/// );
/// assert_eq!(CachedRegistration::from_json(&registration.to_json())?, registration);
/// # Ok::<(), sso_oidc::CacheError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct CachedRegistration {
    /// The client id (`clientId`).
    pub client_id: String,
    /// The client secret (`clientSecret`).
    pub client_secret: Secret,
    /// When the client secret expires (`expiresAt`); written in whole seconds.
    pub expires_at: SystemTime,
    /// The scopes the client was registered with (`scopes`), when any were asked for.
    pub scopes: Option<Vec<String>>,
    /// The grant types the client was registered with (`grantTypes`), which the AWS CLI writes
    /// for the authorization-code flow only.
    pub grant_types: Option<Vec<String>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Wire<'a> {
    client_id: &'a str,
    client_secret: &'a str,
    expires_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    scopes: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    grant_types: Option<&'a [String]>,
}

impl CachedRegistration {
    /// A record with the client's credentials and their expiry; set the other fields as needed.
    pub fn new(client_id: String, client_secret: Secret, expires_at: SystemTime) -> Self {
        Self {
            client_id,
            client_secret,
            expires_at,
            scopes: None,
            grant_types: None,
        }
    }

    /// The record to cache for a fresh `RegisterClient` answer and the scopes it was asked for;
    /// the grant types are the registration's own ([`ClientRegistration::grant_types`], which
    /// [`AuthCodeFlow`](crate::AuthCodeFlow) fills in and the device flow leaves out, as the AWS
    /// CLI writes them).
    ///
    /// A secret that never expires (`client_secret_expires_at == None`) is written as
    /// `9999-12-31T23:59:59Z`, the latest time the AWS CLI can read. Like the AWS CLI, an empty
    /// list of scopes is not recorded.
    pub fn from_registration(
        registration: &ClientRegistration,
        scopes: Option<Vec<String>>,
    ) -> Self {
        Self {
            client_id: registration.client_id.clone(),
            client_secret: registration.client_secret.clone(),
            expires_at: registration
                .client_secret_expires_at
                .unwrap_or_else(time::never),
            scopes: scopes.filter(|scopes| !scopes.is_empty()),
            grant_types: registration.grant_types.clone(),
        }
    }

    /// The registration to use for `StartDeviceAuthorization` and `CreateToken`.
    ///
    /// The issue time and endpoints are not cached, so they are `None`; so is the expiry of a
    /// registration written as never expiring (`9999-12-31T23:59:59Z` or later). The grant
    /// types are the record's: they decide which flow may use it.
    pub fn to_registration(&self) -> ClientRegistration {
        ClientRegistration {
            client_id: self.client_id.clone(),
            client_secret: self.client_secret.clone(),
            client_id_issued_at: None,
            client_secret_expires_at: Some(self.expires_at).filter(|at| *at < time::never()),
            authorization_endpoint: None,
            token_endpoint: None,
            grant_types: self.grant_types.clone(),
        }
    }

    /// Reads a registration record, leniently (see [`CachedToken::from_json`](crate::CachedToken::from_json)).
    ///
    /// # Errors
    /// [`CacheError::MalformedJson`] or [`CacheError::NotAnObject`] when `bytes` are not a JSON
    /// object; [`CacheError::MissingKey`] without `clientId`, `clientSecret` or `expiresAt`;
    /// [`CacheError::InvalidTimestamp`] or [`CacheError::InvalidValue`] when a key holds
    /// something unusable.
    pub fn from_json(bytes: &[u8]) -> Result<Self, CacheError> {
        let record = Record::parse(bytes)?;
        Ok(Self {
            client_id: record.required_string("clientId")?,
            client_secret: record.required_secret("clientSecret")?,
            expires_at: record.required_time("expiresAt")?,
            scopes: record.strings("scopes")?,
            grant_types: record.strings("grantTypes")?,
        })
    }

    /// The record as the AWS CLI v2 writes it: Python's `json.dumps` of `clientId`,
    /// `clientSecret`, `expiresAt`, then `scopes` and `grantTypes` when present.
    pub fn to_json(&self) -> Vec<u8> {
        json::to_vec(&Wire {
            client_id: &self.client_id,
            client_secret: self.client_secret.expose(),
            expires_at: time::format(self.expires_at),
            scopes: self.scopes.as_deref(),
            grant_types: self.grant_types.as_deref(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn answer(expires: Option<SystemTime>) -> ClientRegistration {
        ClientRegistration {
            client_id: "cid".to_owned(),
            client_secret: Secret::from("cs"),
            client_id_issued_at: Some(SystemTime::UNIX_EPOCH),
            client_secret_expires_at: expires,
            authorization_endpoint: Some("https://example.com/authorize".to_owned()),
            token_endpoint: Some("https://example.com/token".to_owned()),
            grant_types: None,
        }
    }

    #[test]
    fn a_secret_that_never_expires_is_written_as_year_9999() {
        let cached = CachedRegistration::from_registration(&answer(None), None);
        assert_eq!(
            cached.to_json(),
            br#"{"clientId": "cid", "clientSecret": "cs", "expiresAt": "9999-12-31T23:59:59Z"}"#
        );
        let back = CachedRegistration::from_json(&cached.to_json()).unwrap();
        assert_eq!(back.to_registration().client_secret_expires_at, None);
    }

    #[test]
    fn a_fresh_answer_round_trips_to_what_a_flow_needs() {
        let expires = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let cached =
            CachedRegistration::from_registration(&answer(Some(expires)), Some(vec!["s".into()]));
        assert_eq!(cached.scopes.as_deref(), Some(&["s".to_owned()][..]));
        let registration = cached.to_registration();
        assert_eq!(registration.client_id, "cid");
        assert_eq!(registration.client_secret.expose(), "cs");
        assert_eq!(registration.client_secret_expires_at, Some(expires));
        assert_eq!(registration.client_id_issued_at, None);
        assert_eq!(registration.authorization_endpoint, None);
        assert_eq!(registration.token_endpoint, None);
    }

    #[test]
    fn empty_scopes_are_not_recorded() {
        let cached = CachedRegistration::from_registration(&answer(None), Some(Vec::new()));
        assert_eq!(cached.scopes, None);
    }
}
