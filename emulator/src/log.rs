//! The request log: what each client sent, with secrets masked, for tests to assert on.

use std::time::Instant;

use http::StatusCode;
use serde_json::Value;
use sso_oidc::Operation;

use crate::fault::Fault;

/// Request members that hold secrets; the log shows `"<masked>"` in their place.
const SECRET_MEMBERS: &[&str] = &[
    "clientSecret",
    "deviceCode",
    "refreshToken",
    "code",
    "codeVerifier",
    "accessToken",
    "idToken",
];

/// One request as the emulator received it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct LoggedRequest {
    /// The operation its path names, if any.
    pub operation: Option<Operation>,
    /// When it arrived.
    pub at: Instant,
    /// Its method.
    pub method: http::Method,
    /// Its URI as sent (path and query): secrets must never be here, and tests check it.
    pub uri: String,
    /// Its headers, in order.
    pub headers: Vec<(String, String)>,
    /// Its body: compact JSON with secret members masked, or a note when it is not JSON.
    pub body: String,
    /// The status answered; `None` when no answer was sent (a hang or a dropped connection).
    pub status: Option<StatusCode>,
    /// The injected fault that answered it, if one did.
    pub fault: Option<Fault>,
}

/// The body with every secret member's value replaced by `"<masked>"`.
pub(crate) fn mask_body(body: &[u8]) -> String {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(mut map)) => {
            for member in SECRET_MEMBERS {
                if let Some(value) = map.get_mut(*member) {
                    *value = Value::String("<masked>".to_owned());
                }
            }
            Value::Object(map).to_string()
        }
        Ok(_) | Err(_) => format!("<{} bytes, not a JSON object>", body.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_masked() {
        let masked = mask_body(
            br#"{"clientId":"id","clientSecret":"s3cret","deviceCode":"dc","grantType":"g"}"#,
        );
        assert_eq!(
            masked,
            r#"{"clientId":"id","clientSecret":"<masked>","deviceCode":"<masked>","grantType":"g"}"#
        );
        assert_eq!(mask_body(b"[1]"), "<3 bytes, not a JSON object>");
        assert_eq!(mask_body(b"{"), "<1 bytes, not a JSON object>");
    }
}
