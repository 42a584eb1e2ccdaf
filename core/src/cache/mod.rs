//! The AWS CLI v2 SSO token cache and its role-credential cache, as data; and, with the `fs`
//! feature, as files.
//!
//! `aws sso login` keeps its results in `~/.aws/sso/cache/` (on Windows
//! `%USERPROFILE%\.aws\sso\cache\`), where the AWS CLI, the AWS SDKs and many other tools look
//! for them. The folder holds two kinds of JSON file:
//!
//! - A **token file** per `sso-session`, or per start URL for a legacy profile without one,
//!   named by [`token_file_name`] (the SHA-1 of the name or URL), holding a [`CachedToken`]: the
//!   access token, when it expires, and what a refresh needs (the client registration and the
//!   refresh token).
//! - A **client registration file**, named by [`registration_file_name`] (the SHA-1 of the
//!   start URL, region, scopes and session name, dumped as Python dumps them), holding a
//!   [`CachedRegistration`]: the client id and secret from `RegisterClient`, so that later
//!   logins skip registering.
//!
//! Role credentials from the portal's `GetRoleCredentials` go elsewhere, in `~/.aws/cli/cache/`
//! (beside the AWS CLI's assume-role records): a file per account, role and `sso-session` (or
//! start URL), named by [`role_credentials_file_name`], holding a [`CachedRoleCredentials`],
//! reused while at least 15 minutes are left ([`CachedRoleCredentials::is_fresh`]).
//!
//! Records are written byte for byte as the AWS CLI v2 writes them (Python's `json.dumps`, times
//! as `YYYY-MM-DDTHH:MM:SSZ`) and read as leniently as the AWS SDKs read them: keys in any case,
//! unknown keys ignored, `null` as absent, and timestamps with `Z` or `z`, numeric offsets
//! (`+01:00`, `-0800`, `+01`), fractional seconds, a `T`, `t` or space separator, or the `UTC`
//! suffix old botocore wrote (`2019-11-14T04:05:45UTC`).
//!
//! This part is pure: bytes in, records out. With the `fs` feature, `CacheDir` reads and writes
//! the files in a cache folder: atomic writes (a temporary file, flushed, renamed over the
//! target), mode `0600` files in a `0700` folder, and `CacheDir::lock`, an advisory lock to hold
//! around read-refresh-write so that two processes refreshing at once cannot lose a rotated
//! refresh token. Neither reads the clock: expiry times are compared with the `now` the caller
//! passes in.

#[cfg(feature = "fs")]
pub(crate) mod atomic;
#[cfg(feature = "fs")]
mod dir;
mod error;
#[cfg(feature = "fs")]
mod file_name;
mod json;
mod name;
#[cfg(feature = "fs")]
mod permissions;
mod read;
mod registration;
mod role_credentials;
#[cfg(feature = "fs")]
mod temp;
mod time;
mod token;

#[cfg(feature = "fs")]
pub use dir::{CacheDir, CacheLock, MAX_CACHE_FILE};
pub use error::CacheError;
pub use name::{registration_file_name, role_credentials_file_name, token_file_name};
#[cfg(feature = "fs")]
pub use permissions::LoosePermissions;
pub use registration::CachedRegistration;
pub use role_credentials::{CREDENTIALS_EXPIRY_WINDOW, CachedRoleCredentials};
pub use token::CachedToken;

/// `time` as the AWS CLI writes times in its caches: `YYYY-MM-DDTHH:MM:SSZ` in UTC, sub-seconds
/// dropped (years outside 0001 to 9999 written as the nearest end of that range).
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// let time = UNIX_EPOCH + Duration::from_millis(1_700_000_000_999);
/// assert_eq!(sso_oidc::format_time(time), "2023-11-14T22:13:20Z");
/// ```
pub fn format_time(time: std::time::SystemTime) -> String {
    time::format(time)
}
