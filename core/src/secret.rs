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

/// The JSON members whose values are secrets, in requests and responses alike: every member
/// the service model marks sensitive, plus the device code, the authorization code and the
/// grant's assertion and subject token, which it does not mark but which sign a person in.
pub const SECRET_MEMBERS: &[&str] = &[
    "accessToken",
    "assertion",
    "clientSecret",
    "code",
    "codeVerifier",
    "deviceCode",
    "idToken",
    "refreshToken",
    "subjectToken",
];

/// A request or response body as text for a log, with the value of every
/// [secret member](SECRET_MEMBERS), at any depth, replaced by `<redacted>`.
///
/// A body that is not JSON is shown by its length only, as it could hold anything; an empty
/// body is empty. Transports log through this at `debug` level, so a `tracing` subscriber never
/// sees a secret.
///
/// ```
/// let body = br#"{"clientId":"abc","clientSecret":"hunter2"}"#;
/// assert_eq!(
///     sso_oidc::redact_body(body),
///     r#"{"clientId":"abc","clientSecret":"<redacted>"}"#
/// );
/// assert_eq!(sso_oidc::redact_body(b"<html>hunter2</html>"), "<20 bytes, not JSON>");
/// ```
#[must_use]
pub fn redact_body(body: &[u8]) -> String {
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(mut value) => {
            redact_value(&mut value);
            value.to_string()
        }
        Err(_) if body.is_empty() => String::new(),
        Err(_) => format!("<{} bytes, not JSON>", body.len()),
    }
}

fn redact_value(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(members) => {
            for (name, member) in members.iter_mut() {
                if SECRET_MEMBERS.contains(&name.as_str()) && !member.is_null() {
                    *member = Value::from(REDACTED);
                } else {
                    redact_value(member);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact_value),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_lose_every_secret_wherever_it_is() {
        let body = br#"{"clientId":"id","clientSecret":"s3cr3t","nested":[{"refreshToken":"rt-1"}],"deviceCode":"dc-1","code":{"odd":"shape"},"interval":5}"#;
        let redacted = redact_body(body);
        for secret in ["s3cr3t", "rt-1", "dc-1", "shape"] {
            assert!(!redacted.contains(secret), "{redacted}");
        }
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&redacted).unwrap(),
            serde_json::json!({"clientId":"id","clientSecret":"<redacted>","nested":[{"refreshToken":"<redacted>"}],"deviceCode":"<redacted>","code":"<redacted>","interval":5})
        );
        assert_eq!(redact_body(br#"{"idToken":null}"#), r#"{"idToken":null}"#);
        assert_eq!(redact_body(b"accessToken=abc"), "<15 bytes, not JSON>");
        assert_eq!(redact_body(b""), "");
    }

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
