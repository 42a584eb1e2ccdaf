//! The role-credential record: what the AWS CLI v2 keeps in `~/.aws/cli/cache/<sha1>.json` after
//! a `GetRoleCredentials`, so that the next command within the hour skips the portal.

use std::time::{Duration, SystemTime};

use serde::Serialize;

use crate::cache::error::CacheError;
use crate::cache::read::Record;
use crate::cache::{json, time};
use crate::portal::RoleCredentials;
use crate::secret::Secret;

/// Cached role credentials are reused while they have at least this long left, as botocore's
/// `CachedCredentialFetcher` does (its expiry window); with less, fetch new ones.
pub const CREDENTIALS_EXPIRY_WINDOW: Duration = Duration::from_secs(15 * 60);

/// The `ProviderType` the AWS CLI writes in the records of its SSO credential provider, and by
/// which `aws sso logout` tells them from the other records of the folder.
pub(crate) const SSO_PROVIDER_TYPE: &str = "sso";

/// Role credentials as the AWS CLI v2 caches them in `~/.aws/cli/cache` (on Windows
/// `%USERPROFILE%\.aws\cli\cache`), where botocore's SSO credential provider, and so every AWS
/// SDK for Python and the AWS CLI itself, looks for them before calling the portal.
///
/// The file is named by [`role_credentials_file_name`](crate::role_credentials_file_name).
/// [`to_json`](Self::to_json) writes byte for byte what the AWS CLI v2 writes:
/// `{"ProviderType": "sso", "Credentials": {"AccessKeyId": …, "SecretAccessKey": …,
/// "SessionToken": …, "Expiration": …, "AccountId": …}}`, the expiry in whole seconds as
/// `YYYY-MM-DDTHH:MM:SSZ`. [`from_json`](Self::from_json) reads what any tool wrote, as
/// botocore does: `ProviderType` is not needed, keys may be in any case, unknown keys are ignored
/// and times may carry offsets or fractions. [`is_fresh`](Self::is_fresh) says whether to reuse
/// them.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use sso_oidc::{CachedRoleCredentials, Secret};
///
/// let expiration = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
/// let mut cached = CachedRoleCredentials::new(
///     "ASIAEXAMPLE".to_owned(),
///     Secret::from("secret-access-key"),
///     Secret::from("session-token"),
///     expiration,
/// );
/// cached.account_id = Some("123456789012".to_owned());
/// assert_eq!(
///     String::from_utf8(cached.to_json())?,
///     r#"{"ProviderType": "sso", "Credentials": {"AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "secret-access-key", "SessionToken": "session-token", "Expiration": "2023-11-14T22:13:20Z", "AccountId": "123456789012"}}"#
/// );
/// assert_eq!(CachedRoleCredentials::from_json(&cached.to_json())?, cached);
///
/// // Reused while at least 15 minutes are left.
/// assert!(cached.is_fresh(expiration - Duration::from_secs(15 * 60)));
/// assert!(!cached.is_fresh(expiration - Duration::from_secs(15 * 60 - 1)));
///
/// // Secrets stay out of Debug output.
/// assert!(!format!("{cached:?}").contains("secret-access-key"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct CachedRoleCredentials {
    /// The access key id (`AccessKeyId`), e.g. `ASIA...`.
    pub access_key_id: String,
    /// The secret access key (`SecretAccessKey`).
    pub secret_access_key: Secret,
    /// The session token (`SessionToken`).
    pub session_token: Secret,
    /// When the credentials expire (`Expiration`); written in whole seconds.
    pub expiration: SystemTime,
    /// The account the credentials are for (`AccountId`), which the AWS CLI writes since 2.25
    /// (older records lack it).
    pub account_id: Option<String>,
}

/// The record in the AWS CLI's key order: the order it builds its `dict` in.
#[derive(Serialize)]
struct Wire<'a> {
    #[serde(rename = "ProviderType")]
    provider_type: &'static str,
    #[serde(rename = "Credentials")]
    credentials: WireCredentials<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct WireCredentials<'a> {
    access_key_id: &'a str,
    secret_access_key: &'a str,
    session_token: &'a str,
    expiration: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    account_id: Option<&'a str>,
}

impl CachedRoleCredentials {
    /// A record of the credentials alone; set [`account_id`](Self::account_id) as the AWS CLI
    /// does, or build it with [`from_role_credentials`](Self::from_role_credentials).
    pub fn new(
        access_key_id: String,
        secret_access_key: Secret,
        session_token: Secret,
        expiration: SystemTime,
    ) -> Self {
        Self {
            access_key_id,
            secret_access_key,
            session_token,
            expiration,
            account_id: None,
        }
    }

    /// The record the AWS CLI writes for what `GetRoleCredentials` returned for `account_id`.
    pub fn from_role_credentials(
        credentials: &RoleCredentials,
        account_id: impl Into<String>,
    ) -> Self {
        Self {
            access_key_id: credentials.access_key_id.clone(),
            secret_access_key: credentials.secret_access_key.clone(),
            session_token: credentials.session_token.clone(),
            expiration: credentials.expiration,
            account_id: Some(account_id.into()),
        }
    }

    /// The credentials, as `GetRoleCredentials` returns them.
    pub fn to_role_credentials(&self) -> RoleCredentials {
        RoleCredentials {
            access_key_id: self.access_key_id.clone(),
            secret_access_key: self.secret_access_key.clone(),
            session_token: self.session_token.clone(),
            expiration: self.expiration,
        }
    }

    /// Whether to reuse the credentials at wall-clock time `now`: they have at least
    /// [`CREDENTIALS_EXPIRY_WINDOW`] (15 minutes) left, as botocore decides.
    pub fn is_fresh(&self, now: SystemTime) -> bool {
        self.lasts_at_least(now, CREDENTIALS_EXPIRY_WINDOW)
    }

    /// Whether the credentials are still good `window` after `now`.
    pub fn lasts_at_least(&self, now: SystemTime, window: Duration) -> bool {
        self.expiration
            .duration_since(now)
            .is_ok_and(|left| left >= window)
    }

    /// Reads a role-credential record, leniently, as botocore does: the `Credentials` object's
    /// keys are what it needs, `ProviderType` and unknown keys are ignored, keys may be in any
    /// case (`accessKeyId`), `null` is taken as absent, and `Expiration` may take any form
    /// [`CachedToken::from_json`](crate::CachedToken::from_json) reads.
    ///
    /// # Errors
    /// [`CacheError::MalformedJson`] or [`CacheError::NotAnObject`] when `bytes` are not a JSON
    /// object; [`CacheError::MissingKey`] without `Credentials` or one of `AccessKeyId`,
    /// `SecretAccessKey`, `SessionToken` and `Expiration` in it (the keys botocore reads);
    /// [`CacheError::InvalidTimestamp`] or [`CacheError::InvalidValue`] when a key holds
    /// something unusable.
    pub fn from_json(bytes: &[u8]) -> Result<Self, CacheError> {
        let record = Record::parse(bytes)?;
        let credentials = record
            .object("Credentials")?
            .ok_or(CacheError::MissingKey { key: "Credentials" })?;
        Ok(Self {
            access_key_id: credentials.required_string("AccessKeyId")?,
            secret_access_key: credentials.required_secret("SecretAccessKey")?,
            session_token: credentials.required_secret("SessionToken")?,
            expiration: credentials.required_time("Expiration")?,
            account_id: credentials.string("AccountId")?,
        })
    }

    /// The record as the AWS CLI v2 writes it: Python's `json.dumps` of `ProviderType` (`sso`)
    /// and `Credentials`, which holds `AccessKeyId`, `SecretAccessKey`, `SessionToken`,
    /// `Expiration` (`YYYY-MM-DDTHH:MM:SSZ`) and, when known, `AccountId`, in that order.
    pub fn to_json(&self) -> Vec<u8> {
        json::to_vec(&Wire {
            provider_type: SSO_PROVIDER_TYPE,
            credentials: WireCredentials {
                access_key_id: &self.access_key_id,
                secret_access_key: self.secret_access_key.expose(),
                session_token: self.session_token.expose(),
                expiration: time::format(self.expiration),
                account_id: self.account_id.as_deref(),
            },
        })
    }
}

/// Whether a cache file's bytes are a record of the AWS CLI's SSO credential provider: a JSON
/// object whose `ProviderType` is `"sso"`, exactly as `aws sso logout` tells (its
/// `SSOCredentialSweeper`). Other records in `~/.aws/cli/cache` (assume-role, web identity)
/// have no `ProviderType`.
#[cfg(feature = "fs")]
pub(crate) fn is_sso_record(bytes: &[u8]) -> bool {
    match serde_json::from_slice::<serde_json::Value>(bytes) {
        Ok(serde_json::Value::Object(map)) => {
            map.get("ProviderType").and_then(serde_json::Value::as_str) == Some(SSO_PROVIDER_TYPE)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE_HOUR: Duration = Duration::from_secs(3600);

    fn at(seconds: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(seconds)
    }

    #[test]
    fn older_records_without_account_id_and_other_spellings_are_read() {
        // What AWS CLI 2.24 and earlier wrote: no AccountId.
        let old = br#"{"ProviderType": "sso", "Credentials": {"AccessKeyId": "AK", "SecretAccessKey": "SK", "SessionToken": "ST", "Expiration": "2023-11-14T22:13:20UTC"}}"#;
        let cached = CachedRoleCredentials::from_json(old).unwrap();
        assert_eq!(cached.account_id, None);
        assert_eq!(cached.expiration, at(1_700_000_000));
        assert_eq!(
            cached.to_json(),
            br#"{"ProviderType": "sso", "Credentials": {"AccessKeyId": "AK", "SecretAccessKey": "SK", "SessionToken": "ST", "Expiration": "2023-11-14T22:13:20Z"}}"#
        );

        let other = br#"{"credentials": {"accessKeyId": "AK", "secretAccessKey": "SK", "sessionToken": "ST", "expiration": "2023-11-14T23:13:20.5+01:00", "accountId": null, "x": 1}}"#;
        let cached = CachedRoleCredentials::from_json(other).unwrap();
        assert_eq!(
            cached.expiration,
            at(1_700_000_000) + Duration::from_millis(500)
        );
        assert_eq!(cached.account_id, None);
    }

    #[test]
    fn what_is_missing_is_named() {
        for (json, key) in [
            (&br#"{"ProviderType": "sso"}"#[..], "Credentials"),
            (br#"{"Credentials": {}}"#, "AccessKeyId"),
            (br#"{"Credentials": {"AccessKeyId": "a"}}"#, "SecretAccessKey"),
            (
                br#"{"Credentials": {"AccessKeyId": "a", "SecretAccessKey": "s"}}"#,
                "SessionToken",
            ),
            (
                br#"{"Credentials": {"AccessKeyId": "a", "SecretAccessKey": "s", "SessionToken": "t"}}"#,
                "Expiration",
            ),
        ] {
            assert!(
                matches!(CachedRoleCredentials::from_json(json), Err(CacheError::MissingKey { key: k }) if k == key),
                "{key}"
            );
        }
        assert!(matches!(
            CachedRoleCredentials::from_json(br#"{"Credentials": "x"}"#),
            Err(CacheError::InvalidValue {
                key: "Credentials",
                ..
            })
        ));
    }

    #[test]
    fn fresh_while_fifteen_minutes_are_left() {
        let cached = CachedRoleCredentials::new(
            "AK".into(),
            Secret::from("SK"),
            Secret::from("ST"),
            at(10_000),
        );
        assert!(cached.is_fresh(at(10_000 - 15 * 60)));
        assert!(!cached.is_fresh(at(10_000 - 15 * 60 + 1)));
        assert!(!cached.is_fresh(at(20_000)));
        assert!(cached.lasts_at_least(at(10_000), Duration::ZERO));
        assert!(!cached.lasts_at_least(at(10_000 - 60), ONE_HOUR));
    }

    #[test]
    fn round_trips_through_role_credentials() {
        let credentials = RoleCredentials {
            access_key_id: "AK".into(),
            secret_access_key: Secret::from("SK"),
            session_token: Secret::from("ST"),
            expiration: at(1_700_000_000) + Duration::from_millis(999),
        };
        let cached = CachedRoleCredentials::from_role_credentials(&credentials, "123456789012");
        assert_eq!(cached.account_id.as_deref(), Some("123456789012"));
        assert_eq!(cached.to_role_credentials(), credentials);
        // Written as the AWS CLI writes `expiration / 1000.0` with strftime: seconds only.
        let back = CachedRoleCredentials::from_json(&cached.to_json()).unwrap();
        assert_eq!(back.expiration, at(1_700_000_000));
    }

    #[cfg(feature = "fs")]
    #[test]
    fn sso_records_are_told_as_aws_sso_logout_tells_them() {
        assert!(is_sso_record(br#"{"ProviderType": "sso"}"#));
        assert!(is_sso_record(
            br#"{"Credentials": {}, "ProviderType": "sso"}"#
        ));
        for other in [
            &br#"{"ProviderType": "SSO"}"#[..],
            br#"{"providertype": "sso"}"#,
            br#"{"ProviderType": ["sso"]}"#,
            br#"{"Credentials": {"AccessKeyId": "a"}}"#,
            br#"["ProviderType", "sso"]"#,
            b"",
            b"not json",
        ] {
            assert!(!is_sso_record(other), "{}", String::from_utf8_lossy(other));
        }
    }
}
