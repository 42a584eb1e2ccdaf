//! The token-cache and registration-file readers.
//!
//! Input: a flags byte, then the file. Flags ask for the marker in a secret key and for a cut.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sso_oidc::{CacheError, CachedRegistration, CachedToken};

use crate::fuzz::check;
use crate::fuzz::input::{Encoder, Input, holds_marker};
use crate::fuzz::response::with_marker;

/// The secret keys of the cache records a marker can be placed in.
pub const SECRET_KEYS: [&str; 3] = ["accessToken", "refreshToken", "clientSecret"];

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

/// Reads `flags`, the marker selector, the cut, then the file.
fn read(data: &[u8]) -> (Vec<u8>, bool) {
    let mut input = Input::new(data);
    let flags = input.byte();
    let key = (flags & flags::MARKER != 0).then(|| {
        let selector = usize::from(input.byte());
        let key = SECRET_KEYS[(selector / 2) % SECRET_KEYS.len()];
        if selector % 2 == 1 {
            key.to_ascii_uppercase()
        } else {
            key.to_owned()
        }
    });
    let cut = (flags & flags::CUT != 0).then(|| usize::from(input.u16()));
    let file = input.rest();
    let mut file = match key {
        Some(key) => with_marker(file, &key),
        None => file.to_vec(),
    };
    if let Some(cut) = cut {
        file.truncate(cut % (file.len() + 1));
    }
    (file, !holds_marker(data))
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
