//! What can go wrong reading a cache record, or (with the `fs` feature) a cache file.

#[cfg(feature = "fs")]
use std::path::PathBuf;

/// A cache record could not be read, or (with the `fs` feature) a cache file could not be read
/// or written.
///
/// Keys are named as the AWS CLI writes them (`accessToken`, `expiresAt`, ...). No message
/// repeats anything from the file itself, not even a timestamp: cache files hold access tokens,
/// refresh tokens and client secrets.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CacheError {
    /// The bytes are not valid JSON (or not UTF-8, or followed by more than white space).
    #[error("the cache record is not valid JSON (line {line}, column {column})")]
    MalformedJson {
        /// 1-based line of the first error.
        line: usize,
        /// 1-based column of the first error (0 when the input is empty).
        column: usize,
    },
    /// The JSON is valid but not an object (an array, a string, `null`, ...).
    #[error("the cache record is not a JSON object")]
    NotAnObject,
    /// A key the record needs is absent or `null`.
    #[error("the cache record has no `{key}`")]
    MissingKey {
        /// The key as the AWS CLI writes it, e.g. `accessToken`.
        key: &'static str,
    },
    /// A timestamp cannot be read: not a string, not of a known form, or not a real instant
    /// (February 30, hour 24, ...).
    #[error("`{key}` in the cache record is not a valid timestamp: it {reason}")]
    InvalidTimestamp {
        /// The key as the AWS CLI writes it, e.g. `expiresAt`.
        key: &'static str,
        /// What is wrong with it, e.g. `has a day out of range for its month`.
        reason: &'static str,
    },
    /// A value is of the wrong type, e.g. a number where a string belongs.
    #[error("`{key}` in the cache record {reason}")]
    InvalidValue {
        /// The key as the AWS CLI writes it, e.g. `clientId`.
        key: &'static str,
        /// What is wrong with it, e.g. `is not a string`.
        reason: &'static str,
    },
    /// A file name given to [`CacheDir`](crate::CacheDir) is not a plain file name in the
    /// cache folder (it is empty, has a path separator, or is `.` or `..`).
    #[cfg(feature = "fs")]
    #[error("invalid cache file name {name:?}: {reason}")]
    InvalidFileName {
        /// The name as given.
        name: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A cache file is larger than [`MAX_CACHE_FILE`](crate::MAX_CACHE_FILE), far more than
    /// any token, registration or role-credential record (under 4 KiB), so it was not read.
    #[cfg(feature = "fs")]
    #[error("the cache file \"{}\" is larger than {limit} bytes, too large for a cache record", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The most a cache file may hold, in bytes.
        limit: usize,
    },
    /// Creating the folder, or reading, writing, replacing, removing or locking a cache file,
    /// failed.
    ///
    /// `Display` ends with what the operating system said, e.g. `could not write
    /// "/home/me/.aws/sso/cache/x.json": Permission denied (os error 13)`, so the message alone
    /// tells a person what to fix. For that reason the [`std::io::Error`] is not also the
    /// [`source`](std::error::Error::source): reporters that print the chain would say it twice.
    /// It is in `error`, and [`CacheError::io_error`] gives it.
    #[cfg(feature = "fs")]
    #[error("could not {action} \"{}\": {error}", path.display())]
    Io {
        /// What was being done, e.g. `read`, `write`, `replace`, `create the folder`.
        action: &'static str,
        /// The file or folder the operation was on.
        path: PathBuf,
        /// What the operating system said.
        error: std::io::Error,
    },
}

impl CacheError {
    /// The operating system's error, for [`CacheError::Io`]; `None` for the other variants.
    ///
    /// ```
    /// # #[cfg(all(unix, feature = "fs"))] {
    /// let folder = std::env::temp_dir().join(format!("sso-oidc-io-error-{}", std::process::id()));
    /// std::fs::write(&folder, b"a file where the cache folder should be")?;
    /// let cache = sso_oidc::CacheDir::new(folder.join("cache"));
    /// let error = cache.read_token("my-sso").unwrap_err();
    /// assert!(error.to_string().ends_with(&error.io_error().unwrap().to_string()));
    /// # std::fs::remove_file(&folder)?;
    /// # }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "fs")]
    pub fn io_error(&self) -> Option<&std::io::Error> {
        match self {
            Self::Io { error, .. } => Some(error),
            _ => None,
        }
    }
}
