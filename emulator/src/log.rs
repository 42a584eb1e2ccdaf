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
    "secretAccessKey",
    "sessionToken",
];

/// Query parameters that hold secrets (OAuth's names for them); the log's URIs show
/// `<masked>` as their values. The PKCE `code_challenge` is public by design and stays.
const SECRET_PARAMETERS: &[&str] = &[
    "code",
    "code_verifier",
    "client_secret",
    "device_code",
    "refresh_token",
    "access_token",
    "id_token",
];

/// Request headers that hold secrets (the portal's bearer token, and any `Authorization`);
/// the log shows `<masked>` as their values.
const SECRET_HEADERS: &[&str] = &["x-amz-sso_bearer_token", "authorization"];

/// One request as the emulator received it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct LoggedRequest {
    /// The operation its path names, if any: an SSO OIDC one or an SSO portal one
    /// ([`Operation::is_portal`]).
    pub operation: Option<Operation>,
    /// When it arrived.
    pub at: Instant,
    /// Its method.
    pub method: http::Method,
    /// Its URI as sent (path and query): secrets must never be here, and tests check it. A
    /// query parameter that holds one anyway (`code`, `code_verifier`, `client_secret`, ...)
    /// shows `<masked>` as its value.
    pub uri: String,
    /// Its headers, in order; a secret one (`x-amz-sso_bearer_token`, `authorization`) shows
    /// `<masked>` as its value.
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

/// A header's value as the log shows it: `<masked>` for a secret header.
pub(crate) fn mask_header(name: &str, value: &[u8]) -> String {
    if SECRET_HEADERS
        .iter()
        .any(|secret| name.eq_ignore_ascii_case(secret))
    {
        "<masked>".to_owned()
    } else {
        String::from_utf8_lossy(value).into_owned()
    }
}

/// The URI with the value of every secret query parameter replaced by `<masked>`; the rest
/// as sent, byte for byte.
pub(crate) fn mask_uri(uri: &str) -> String {
    let Some((path, query)) = uri.split_once('?') else {
        return uri.to_owned();
    };
    let masked: Vec<String> = query
        .split('&')
        .map(|pair| {
            let name = pair.split('=').next().unwrap_or("");
            let decoded = form_urlencoded::parse(name.as_bytes())
                .next()
                .map(|(name, _)| name.into_owned())
                .unwrap_or_default();
            if SECRET_PARAMETERS.contains(&decoded.as_str()) {
                format!("{name}=<masked>")
            } else {
                pair.to_owned()
            }
        })
        .collect();
    format!("{path}?{}", masked.join("&"))
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
        // Role credentials, should a client ever send them back.
        assert_eq!(
            mask_body(br#"{"accessKeyId":"ASIA","secretAccessKey":"sk","sessionToken":"st"}"#),
            r#"{"accessKeyId":"ASIA","secretAccessKey":"<masked>","sessionToken":"<masked>"}"#
        );
        assert_eq!(mask_body(b"[1]"), "<3 bytes, not a JSON object>");
        assert_eq!(mask_body(b"{"), "<1 bytes, not a JSON object>");
    }

    #[test]
    fn secret_query_parameters_are_masked() {
        assert_eq!(mask_uri("/token"), "/token");
        assert_eq!(
            mask_uri("/authorize?client_id=c&code_challenge=x&state=s"),
            "/authorize?client_id=c&code_challenge=x&state=s"
        );
        assert_eq!(
            mask_uri("/cb?code=abc&state=s&code%5Fverifier=v&client_secret"),
            "/cb?code=<masked>&state=s&code%5Fverifier=<masked>&client_secret=<masked>"
        );
    }
}
