//! What can go wrong reading a cache record.

/// A cache record could not be read.
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
}
