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
/// the SSO OIDC and portal models mark sensitive (the portal's role credentials included), plus the device code, the authorization code and the
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
    "secretAccessKey",
    "sessionToken",
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

/// The replacement a secret value gets in an error excerpt (a JSON string, like the value).
const REDACTED_VALUE: &[u8] = b"\"<redacted>\"";

/// The longest string literal read as a possible member name: the longest
/// [secret member](SECRET_MEMBERS) spelled entirely in `\uXXXX` escapes fits.
const MAX_NAME_LITERAL: usize = 128;

/// The start of an error body, at least `max` bytes of it when there are that many, with the
/// value of every [secret member](SECRET_MEMBERS) replaced by `"<redacted>"`.
///
/// An error body is quoted in an error message only because it is not what the service should
/// send, so it is read leniently, as text: every `"` may open a member name (escapes decoded),
/// and a secret name followed by `:` loses its value (a string, an object or array up to its
/// end, anything else up to the next `,`, `}` or `]`), whether the body is valid JSON, cut
/// short, or JSON inside an HTML page. Everything else is copied as it is.
pub(crate) fn redact_head(body: &[u8], max: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(max.min(body.len()) + REDACTED_VALUE.len());
    let mut i = 0;
    while i < body.len() && out.len() < max {
        if body[i] != b'"' {
            out.push(body[i]);
            i += 1;
            continue;
        }
        let Some(value) = secret_value_at(body, i) else {
            out.push(b'"');
            i += 1;
            continue;
        };
        out.extend_from_slice(&body[i..value]);
        let end = value_end(body, value);
        if body[value..end].starts_with(b"null") && end - value == 4 {
            out.extend_from_slice(b"null");
        } else {
            out.extend_from_slice(REDACTED_VALUE);
        }
        i = end;
    }
    out
}

/// When a secret member's name starts at `body[at]` (a `"`) and is followed by `:`, where its
/// value starts.
fn secret_value_at(body: &[u8], at: usize) -> Option<usize> {
    let window = &body[at..body.len().min(at + MAX_NAME_LITERAL)];
    let end = string_end(window, 0)?;
    let name = decode(&window[1..end - 1])?;
    if !SECRET_MEMBERS.contains(&name.as_str()) {
        return None;
    }
    let colon = skip_space(body, at + end);
    (body.get(colon) == Some(&b':')).then(|| skip_space(body, colon + 1))
}

fn skip_space(body: &[u8], mut i: usize) -> usize {
    while body.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    i
}

/// The index just past the string literal that opens at `body[at]`, if it closes.
fn string_end(body: &[u8], at: usize) -> Option<usize> {
    let mut i = at + 1;
    while i < body.len() {
        match body[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// The index just past the value that starts at `body[at]`: a string, an object or an array
/// to its end (or the body's), anything else up to the next `,`, `}` or `]`.
fn value_end(body: &[u8], at: usize) -> usize {
    match body.get(at) {
        None => at,
        Some(b'"') => string_end(body, at).unwrap_or(body.len()),
        Some(b'{' | b'[') => {
            let mut depth = 0_usize;
            let mut i = at;
            while i < body.len() {
                match body[i] {
                    b'"' => {
                        i = string_end(body, i).unwrap_or(body.len());
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return i + 1;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            body.len()
        }
        Some(_) => body[at..]
            .iter()
            .position(|b| matches!(b, b',' | b'}' | b']'))
            .map_or(body.len(), |n| at + n),
    }
}

/// The text of a JSON string literal's contents, escapes decoded; `None` when it is not valid.
fn decode(raw: &[u8]) -> Option<String> {
    let mut out = String::with_capacity(raw.len());
    let text = std::str::from_utf8(raw).ok()?;
    let mut chars = text.chars();
    while let Some(ch) = chars.next() {
        if ch != '\\' {
            out.push(ch);
            continue;
        }
        let decoded = match chars.next()? {
            'u' => {
                let hex: String = chars.by_ref().take(4).collect();
                let unit = u32::from_str_radix(&hex, 16).ok()?;
                char::from_u32(unit).unwrap_or(char::REPLACEMENT_CHARACTER)
            }
            'b' => '\u{8}',
            'f' => '\u{c}',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            other => other,
        };
        out.push(decoded);
    }
    Some(out)
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
    fn error_heads_lose_secret_values_however_broken_the_body() {
        let head = |body: &str| String::from_utf8(redact_head(body.as_bytes(), 256)).unwrap();
        assert_eq!(
            head(r#"{"clientSecret":"s3cr3t","error":"x"}"#),
            r#"{"clientSecret":"<redacted>","error":"x"}"#
        );
        // Cut short, not JSON, inside HTML, with stray quotes, escaped names, odd values.
        for (body, kept) in [
            (
                r#"{"accessToken": "s3cr3t"#,
                r#"{"accessToken": "<redacted>""#,
            ),
            (
                r#"<p>"a" "refreshToken" : "s3cr3t", "#,
                r#"<p>"a" "refreshToken" : "<redacted>", "#,
            ),
            (
                r#"{"\u0069dToken":"s3cr3t"}"#,
                r#"{"\u0069dToken":"<redacted>"}"#,
            ),
            (
                r#"{"deviceCode":{"a":["s3cr3t}"]},"b":1}"#,
                r#"{"deviceCode":"<redacted>","b":1}"#,
            ),
            (r#"{"code": s3cr3t s3cr3t}"#, r#"{"code": "<redacted>"}"#),
            (
                r#"{"idToken":null,"clientId":"id"}"#,
                r#"{"idToken":null,"clientId":"id"}"#,
            ),
            (r#"{"accessToken""#, r#"{"accessToken""#),
            (
                r#"{"accessToken":"a\"s3cr3t"}"#,
                r#"{"accessToken":"<redacted>"}"#,
            ),
        ] {
            assert_eq!(head(body), kept, "{body}");
        }
        assert_eq!(head("plain text, no quotes"), "plain text, no quotes");
        assert!(redact_head(&[b'x'; 1000], 256).len() == 256);
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
