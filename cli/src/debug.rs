//! `--debug`: every request and response on stderr through `tracing`, with every secret
//! masked (the AWS CLI prints the client secret and the device code there).

use serde_json::Value;

/// The members whose values are secrets, in requests and responses alike.
const SECRETS: &[&str] = &[
    "clientSecret",
    "deviceCode",
    "accessToken",
    "refreshToken",
    "idToken",
    "code",
    "codeVerifier",
];

/// What stands in for a secret.
const MASK: &str = "****";

/// Starts logging at debug level to stderr when `on`.
pub(crate) fn init(on: bool) {
    if on {
        let _ = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_writer(std::io::stderr)
            .with_target(false)
            .try_init();
    }
}

/// Logs a request about to be sent.
pub(crate) fn request(request: &http::Request<Vec<u8>>) {
    tracing::debug!(
        method = %request.method(),
        uri = %request.uri(),
        headers = ?request.headers(),
        body = %mask(request.body()),
        "sending request"
    );
}

/// Logs a response as it came.
pub(crate) fn response(response: &http::Response<Vec<u8>>) {
    tracing::debug!(
        status = response.status().as_u16(),
        headers = ?response.headers(),
        body = %mask(response.body()),
        "received response"
    );
}

/// The body as text with the values of secret members masked; a body that is not JSON is
/// shown by its length only, as it could hold anything.
pub(crate) fn mask(body: &[u8]) -> String {
    match serde_json::from_slice::<Value>(body) {
        Ok(mut value) => {
            mask_value(&mut value);
            value.to_string()
        }
        Err(_) if body.is_empty() => String::new(),
        Err(_) => format!("<{} bytes, not JSON>", body.len()),
    }
}

fn mask_value(value: &mut Value) {
    match value {
        Value::Object(members) => {
            for (name, member) in members.iter_mut() {
                if SECRETS.contains(&name.as_str()) && member.is_string() {
                    *member = Value::from(MASK);
                } else {
                    mask_value(member);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask_value),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_masked_wherever_they_are() {
        let body = br#"{"clientId":"id","clientSecret":"s3cr3t","nested":[{"refreshToken":"rt"}],"deviceCode":"dc"}"#;
        let masked = mask(body);
        for secret in ["s3cr3t", "rt", "dc"] {
            assert!(!masked.contains(&format!("\"{secret}\"")), "{masked}");
        }
        assert!(masked.contains("\"clientId\":\"id\""), "{masked}");
        assert_eq!(mask(b"<html>secret</html>"), "<19 bytes, not JSON>");
        assert_eq!(mask(b""), "");
    }
}
