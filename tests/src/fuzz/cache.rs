//! The token-cache, registration-file and role-credential-file readers.
//!
//! Input: a flags byte, then the file. Flags ask for the marker in a secret key and for a cut.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;
use sso_oidc::{
    CREDENTIALS_EXPIRY_WINDOW, CacheError, CachedRegistration, CachedRoleCredentials, CachedToken,
};

use crate::fuzz::check;
use crate::fuzz::input::{Encoder, Input, MARKER, holds_marker};
use crate::fuzz::response::with_marker;

/// The secret keys of the cache records a marker can be placed in.
pub const SECRET_KEYS: [&str; 3] = ["accessToken", "refreshToken", "clientSecret"];

/// The secret keys of a role-credential record, inside its `Credentials` object.
pub const CREDENTIAL_SECRET_KEYS: [&str; 2] = ["SecretAccessKey", "SessionToken"];

/// Flag bits of the first byte.
pub mod flags {
    /// A selector byte follows: put the marker in that secret key (its spelling upper-cased
    /// when the selector is odd, as the readers match keys in any case).
    pub const MARKER: u8 = 1;
    /// Two bytes follow: cut the file there (modulo its length + 1).
    pub const CUT: u8 = 1 << 1;
}

/// The earliest and latest times a record is written with, in seconds from the Unix epoch:
/// `0001-01-01T00:00:00Z` and `9999-12-31T23:59:59Z`.
const WRITTEN_RANGE: (i64, i64) = (-62_135_596_800, 253_402_300_799);

/// Reads `flags`, the marker selector (a key of `keys`), the cut, then the file; `mark` puts
/// the marker in the file.
fn read_with(data: &[u8], keys: &[&str], mark: fn(&[u8], &str) -> Vec<u8>) -> (Vec<u8>, bool) {
    let mut input = Input::new(data);
    let flags = input.byte();
    let key = (flags & flags::MARKER != 0).then(|| {
        let selector = usize::from(input.byte());
        let key = keys[(selector / 2) % keys.len()];
        if selector % 2 == 1 {
            key.to_ascii_uppercase()
        } else {
            key.to_owned()
        }
    });
    let cut = (flags & flags::CUT != 0).then(|| usize::from(input.u16()));
    let file = input.rest();
    let mut file = match key {
        Some(key) => mark(file, &key),
        None => file.to_vec(),
    };
    if let Some(cut) = cut {
        file.truncate(cut % (file.len() + 1));
    }
    (file, !holds_marker(data))
}

/// Reads a token or registration file: the marker in one of [`SECRET_KEYS`].
fn read(data: &[u8]) -> (Vec<u8>, bool) {
    read_with(data, &SECRET_KEYS, with_marker)
}

/// `file` with `key` set to the marker inside its `Credentials` object (made when missing) when
/// it is a JSON object, else as [`with_marker`] does.
fn with_credentials_marker(file: &[u8], key: &str) -> Vec<u8> {
    match serde_json::from_slice::<Value>(file) {
        Ok(Value::Object(mut object)) => {
            let credentials = object
                .entry("Credentials")
                .or_insert_with(|| Value::Object(serde_json::Map::new()));
            if let Value::Object(credentials) = credentials {
                credentials.insert(key.to_owned(), Value::from(MARKER));
            }
            Value::Object(object).to_string().into_bytes()
        }
        _ => with_marker(file, key),
    }
}

/// The input that reads back as this file, unchanged.
pub fn encode(file: &[u8]) -> Vec<u8> {
    Encoder::new().byte(0).rest(file)
}

/// A time as written: whole seconds (rounded down), within years 1 to 9999.
fn as_written(time: SystemTime) -> SystemTime {
    let seconds = match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => {
            let before = before.duration();
            let whole = i64::try_from(before.as_secs()).unwrap_or(i64::MAX);
            -whole - i64::from(before.subsec_nanos() > 0)
        }
    };
    let seconds = seconds.clamp(WRITTEN_RANGE.0, WRITTEN_RANGE.1);
    let offset = Duration::from_secs(seconds.unsigned_abs());
    if seconds >= 0 {
        UNIX_EPOCH + offset
    } else {
        UNIX_EPOCH - offset
    }
}

fn cache_error(error: &CacheError, check_secrets: bool) {
    check::printed("CacheError", error, check_secrets);
    assert!(error.to_string().len() <= 200, "{error}");
}

/// What `to_json` writes is printable ASCII (Python's `ensure_ascii`), as the AWS CLI writes.
fn printable_ascii(json: &[u8]) {
    assert!(
        json.iter().all(|b| (0x20..=0x7e).contains(b)),
        "{}",
        String::from_utf8_lossy(json)
    );
}

/// `CachedToken::from_json` on any file: a typed error that repeats nothing from the file, or
/// a record whose `Debug` holds no secret and that round-trips: what `to_json` writes reads
/// back as the record (times in whole seconds, within years 1 to 9999), and is written again
/// byte for byte.
pub fn cached_token(data: &[u8]) {
    let (file, check_secrets) = read(data);
    let token = match CachedToken::from_json(&file) {
        Ok(token) => token,
        Err(error) => return cache_error(&error, check_secrets),
    };
    check::no_marker("CachedToken Debug", &format!("{token:?}"), check_secrets);
    let json = token.to_json();
    printable_ascii(&json);
    let again = CachedToken::from_json(&json).expect("what to_json writes reads back");
    let mut expected = token.clone();
    expected.expires_at = as_written(token.expires_at);
    expected.registration_expires_at = token.registration_expires_at.map(as_written);
    assert_eq!(again, expected);
    assert_eq!(again.to_json(), json, "writing is not stable");
}

/// `CachedRegistration::from_json` on any file, as [`cached_token`]; and the registration a
/// flow would use from it keeps its id, secret and expiry (none for 9999-12-31T23:59:59Z).
pub fn cached_registration(data: &[u8]) {
    let (file, check_secrets) = read(data);
    let cached = match CachedRegistration::from_json(&file) {
        Ok(cached) => cached,
        Err(error) => return cache_error(&error, check_secrets),
    };
    check::no_marker(
        "CachedRegistration Debug",
        &format!("{cached:?}"),
        check_secrets,
    );
    let json = cached.to_json();
    printable_ascii(&json);
    let again = CachedRegistration::from_json(&json).expect("what to_json writes reads back");
    let mut expected = cached.clone();
    expected.expires_at = as_written(cached.expires_at);
    assert_eq!(again, expected);
    assert_eq!(again.to_json(), json, "writing is not stable");

    let registration = cached.to_registration();
    assert_eq!(registration.client_id, cached.client_id);
    assert_eq!(registration.client_secret, cached.client_secret);
    let never = UNIX_EPOCH + Duration::from_secs(WRITTEN_RANGE.1.unsigned_abs());
    let expected_expiry = Some(cached.expires_at).filter(|at| *at < never);
    assert_eq!(registration.client_secret_expires_at, expected_expiry);
    check::no_marker(
        "ClientRegistration Debug",
        &format!("{registration:?}"),
        check_secrets,
    );
}

/// `CachedRoleCredentials::from_json` on any file, as [`cached_token`] (the marker goes into
/// `Credentials`); and the freshness decision is botocore's (at least 15 minutes left), and the
/// credentials a caller gets from the record are the record's.
pub fn cached_role_credentials(data: &[u8]) {
    let (file, check_secrets) = read_with(data, &CREDENTIAL_SECRET_KEYS, with_credentials_marker);
    let cached = match CachedRoleCredentials::from_json(&file) {
        Ok(cached) => cached,
        Err(error) => return cache_error(&error, check_secrets),
    };
    check::no_marker(
        "CachedRoleCredentials Debug",
        &format!("{cached:?}"),
        check_secrets,
    );
    let json = cached.to_json();
    printable_ascii(&json);
    let again = CachedRoleCredentials::from_json(&json).expect("what to_json writes reads back");
    let mut expected = cached.clone();
    expected.expiration = as_written(cached.expiration);
    assert_eq!(again, expected);
    assert_eq!(again.to_json(), json, "writing is not stable");

    for before in [0, 1, 899, 900, 901, 3_600] {
        let Some(now) = cached.expiration.checked_sub(Duration::from_secs(before)) else {
            continue;
        };
        assert_eq!(
            cached.is_fresh(now),
            before >= 900,
            "{before} s before expiry"
        );
    }
    if let Some(later) = cached.expiration.checked_add(CREDENTIALS_EXPIRY_WINDOW) {
        assert!(!cached.is_fresh(later));
    }
    let credentials = cached.to_role_credentials();
    assert_eq!(credentials.access_key_id, cached.access_key_id);
    assert_eq!(credentials.secret_access_key, cached.secret_access_key);
    assert_eq!(credentials.session_token, cached.session_token);
    assert_eq!(credentials.expiration, cached.expiration);
    check::no_marker(
        "RoleCredentials Debug",
        &format!("{credentials:?}"),
        check_secrets,
    );
}
