//! The token record: what `aws sso login` keeps in `~/.aws/sso/cache/<sha1>.json`.

use std::time::SystemTime;

use serde::Serialize;

use crate::cache::error::CacheError;
use crate::cache::read::Record;
use crate::cache::{json, time};
use crate::secret::Secret;

/// A cached access token, as the AWS CLI v2 keeps it: the token, when it expires, and what is
/// needed to refresh it (the client registration and the refresh token).
///
/// [`to_json`](Self::to_json) writes byte for byte what the AWS CLI v2 writes;
/// [`from_json`](Self::from_json) reads what any tool wrote (keys in any case, unknown keys,
/// `null`s, timestamps with offsets or fractions). The file it goes in is named by
/// [`token_file_name`](crate::token_file_name).
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use sso_oidc::{CachedToken, Secret};
///
/// let expires_at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
/// let mut token = CachedToken::new(Secret::from("access-token"), expires_at);
/// token.start_url = Some("https://d-1234567890.awsapps.com/start".to_owned());
/// token.region = Some("us-east-1".to_owned());
/// token.refresh_token = Some(Secret::from("refresh-token"));
///
/// let json = token.to_json();
/// assert_eq!(
///     String::from_utf8(json.clone())?,
///     r#"{"startUrl": "https://d-1234567890.awsapps.com/start", "region": "us-east-1", "accessToken": "access-token", "expiresAt": "2023-11-14T22:13:20Z", "refreshToken": "refresh-token"}"#
/// );
/// assert_eq!(CachedToken::from_json(&json)?, token);
///
/// // Secrets stay out of Debug output.
/// assert!(!format!("{token:?}").contains("access-token"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct CachedToken {
    /// The AWS access portal URL the token is for (`startUrl`).
    pub start_url: Option<String>,
    /// The region of the IAM Identity Center instance (`region`).
    pub region: Option<String>,
    /// The access token (`accessToken`).
    pub access_token: Secret,
    /// When the access token expires (`expiresAt`); written in whole seconds.
    pub expires_at: SystemTime,
    /// The id of the client registration that got the token (`clientId`), needed to refresh it.
    pub client_id: Option<String>,
    /// That registration's secret (`clientSecret`).
    pub client_secret: Option<Secret>,
    /// When that registration expires (`registrationExpiresAt`).
    pub registration_expires_at: Option<SystemTime>,
    /// The refresh token (`refreshToken`). The service rotates it: write back the new one.
    pub refresh_token: Option<Secret>,
}

/// The record in the AWS CLI's key order: the order it builds its `dict` in.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Wire<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    start_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<&'a str>,
    access_token: &'a str,
    expires_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_secret: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    registration_expires_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<&'a str>,
}

impl CachedToken {
    /// A record with just the access token and its expiry; set the other fields as needed.
    pub fn new(access_token: Secret, expires_at: SystemTime) -> Self {
        Self {
            start_url: None,
            region: None,
            access_token,
            expires_at,
            client_id: None,
            client_secret: None,
            registration_expires_at: None,
            refresh_token: None,
        }
    }

    /// Reads a token record, leniently, as the AWS SDKs do: keys in any case (`AccessToken`),
    /// unknown keys ignored, `null` taken as absent. Timestamps may end in `Z` or `z`, a numeric
    /// offset (`+01:00`, `-0800`, `+01`) or the `UTC` old botocore wrote, may have fractional
    /// seconds, and may separate date and time with `T`, `t` or a space.
    ///
    /// # Errors
    /// [`CacheError::MalformedJson`] or [`CacheError::NotAnObject`] when `bytes` are not a JSON
    /// object; [`CacheError::MissingKey`] without `accessToken` or `expiresAt` (the two keys
    /// botocore requires); [`CacheError::InvalidTimestamp`] or [`CacheError::InvalidValue`]
    /// when a key holds something unusable.
    pub fn from_json(bytes: &[u8]) -> Result<Self, CacheError> {
        let record = Record::parse(bytes)?;
        Ok(Self {
            start_url: record.string("startUrl")?,
            region: record.string("region")?,
            access_token: record.required_secret("accessToken")?,
            expires_at: record.required_time("expiresAt")?,
            client_id: record.string("clientId")?,
            client_secret: record.secret("clientSecret")?,
            registration_expires_at: record.time("registrationExpiresAt")?,
            refresh_token: record.secret("refreshToken")?,
        })
    }

    /// The record as the AWS CLI v2 writes it: Python's `json.dumps` of the keys `startUrl`,
    /// `region`, `accessToken`, `expiresAt`, `clientId`, `clientSecret`,
    /// `registrationExpiresAt`, `refreshToken` in that order, absent ones left out, times as
    /// `YYYY-MM-DDTHH:MM:SSZ`.
    pub fn to_json(&self) -> Vec<u8> {
        json::to_vec(&Wire {
            start_url: self.start_url.as_deref(),
            region: self.region.as_deref(),
            access_token: self.access_token.expose(),
            expires_at: time::format(self.expires_at),
            client_id: self.client_id.as_deref(),
            client_secret: self.client_secret.as_ref().map(|s| s.expose().as_str()),
            registration_expires_at: self.registration_expires_at.map(time::format),
            refresh_token: self.refresh_token.as_ref().map(|s| s.expose().as_str()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn only_the_required_keys() {
        let token = CachedToken::new(Secret::from("a"), SystemTime::UNIX_EPOCH);
        assert_eq!(
            token.to_json(),
            br#"{"accessToken": "a", "expiresAt": "1970-01-01T00:00:00Z"}"#
        );
        assert_eq!(CachedToken::from_json(&token.to_json()).unwrap(), token);
    }

    #[test]
    fn sub_seconds_are_dropped_on_write() {
        let at = SystemTime::UNIX_EPOCH + Duration::from_millis(1_999);
        let token = CachedToken::new(Secret::from("a"), at);
        let back = CachedToken::from_json(&token.to_json()).unwrap();
        assert_eq!(
            back.expires_at,
            SystemTime::UNIX_EPOCH + Duration::from_secs(1)
        );
    }
}
