//! A value that must never be printed.

use std::fmt;

/// A secret value: a client secret, device code, access, refresh or id token, authorization code
/// or PKCE code verifier.
///
/// `Debug` and `Display` print `<redacted>`, so a secret cannot leak through logs, error messages
/// or `{:?}` of a struct that holds one. Reading the value is an explicit act: [`Secret::expose`].
///
/// ```
/// use sso_oidc::Secret;
///
/// let secret = Secret::new(String::from("hunter2"));
/// assert_eq!(format!("{secret} {secret:?}"), "<redacted> Secret(<redacted>)");
/// assert_eq!(secret.expose(), "hunter2");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Secret<T = String>(T);

const REDACTED: &str = "<redacted>";

impl<T> Secret<T> {
    /// Wraps a value.
    pub const fn new(value: T) -> Self {
        Self(value)
    }

    /// The secret value. Use it only to put the secret where it belongs (a request body, a
    /// cache file), never to print it.
    pub const fn expose(&self) -> &T {
        &self.0
    }

    /// Unwraps the secret value.
    pub fn into_exposed(self) -> T {
        self.0
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({REDACTED})")
    }
}

impl<T> fmt::Display for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(REDACTED)
    }
}

impl From<String> for Secret<String> {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret<String> {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl From<&Self> for Secret<String> {
    fn from(value: &Self) -> Self {
        value.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_never_shows_the_value() {
        let secret = Secret::from("s3cr3t-value");
        for text in [
            format!("{secret}"),
            format!("{secret:?}"),
            format!("{secret:#?}"),
            format!("{:?}", Some(&secret)),
            format!("{:>40}", secret),
        ] {
            assert!(!text.contains("s3cr3t"), "{text}");
            assert!(text.contains(REDACTED), "{text}");
        }
    }

    #[test]
    fn expose_and_unwrap_give_the_value_back() {
        let secret = Secret::from(String::from("abc"));
        assert_eq!(secret.expose(), "abc");
        assert_eq!(Secret::from(&secret), secret);
        assert_eq!(secret.into_exposed(), "abc");
    }
}
