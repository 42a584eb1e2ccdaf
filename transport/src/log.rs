//! Debug logging of what goes out and comes back, every secret redacted: bodies by the core,
//! headers here.

use std::fmt;

use http::HeaderMap;

/// Headers whose values are secrets, whether or not the request marked them sensitive: the SSO
/// portal's bearer token (the access token), and any credentials a request or a proxy carries.
const SECRET_HEADERS: &[&str] = &[
    "x-amz-sso_bearer_token",
    "authorization",
    "proxy-authorization",
    "x-amz-security-token",
    "cookie",
    "set-cookie",
];

/// What a secret header's value shows in the log.
const REDACTED: &str = "<redacted>";

/// Headers as the log shows them: names and values, the value of each secret header (named in
/// [`SECRET_HEADERS`], or marked sensitive) replaced by `<redacted>`.
struct Headers<'a>(&'a HeaderMap);

impl fmt::Debug for Headers<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.0 {
            if value.is_sensitive() || SECRET_HEADERS.contains(&name.as_str()) {
                map.entry(&name.as_str(), &REDACTED);
            } else {
                map.entry(&name.as_str(), value);
            }
        }
        map.finish()
    }
}

/// Logs a request about to be sent, at `debug` level, its secrets redacted.
pub(crate) fn request(request: &http::Request<Vec<u8>>) {
    tracing::debug!(
        method = %request.method(),
        uri = %request.uri(),
        headers = ?Headers(request.headers()),
        body = %sso_oidc::redact_body(request.body()),
        "sending request"
    );
}

/// Logs a response as it came, at `debug` level, its secrets redacted: the body's secret
/// members ([`sso_oidc::redact_body`]: tokens, the secret access key, the session token) and
/// the values of secret headers. A transport calls it once it has the whole body.
pub fn log_response(response: &http::Response<Vec<u8>>) {
    tracing::debug!(
        status = response.status().as_u16(),
        headers = ?Headers(response.headers()),
        body = %sso_oidc::redact_body(response.body()),
        "received response"
    );
}

/// A seed for a flow's retry jitter when its configuration has none, so that flows started
/// together do not retry in lockstep: std's `RandomState` is keyed randomly per process and
/// anew per instance.
pub fn jitter_seed() -> u64 {
    use std::hash::BuildHasher;
    std::collections::hash_map::RandomState::new().hash_one(std::time::SystemTime::now())
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    #[test]
    fn seeds_differ_between_flows() {
        let seeds: std::collections::HashSet<u64> = (0..8).map(|_| super::jitter_seed()).collect();
        assert_eq!(seeds.len(), 8);
    }

    #[test]
    fn secret_headers_show_no_value() {
        let mut headers = HeaderMap::new();
        // Not marked sensitive: redacted by name.
        headers.insert(
            "x-amz-sso_bearer_token",
            HeaderValue::from_static("aoa-token-1"),
        );
        headers.insert(
            "authorization",
            HeaderValue::from_static("Bearer aoa-token-2"),
        );
        let mut marked = HeaderValue::from_static("aoa-token-3");
        marked.set_sensitive(true);
        headers.insert("x-custom", marked);
        headers.insert("user-agent", HeaderValue::from_static("sso-oidc/0.1.0"));
        let shown = format!("{:?}", Headers(&headers));
        for secret in ["aoa-token-1", "aoa-token-2", "aoa-token-3"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert_eq!(
            shown,
            "{\"x-amz-sso_bearer_token\": \"<redacted>\", \"authorization\": \"<redacted>\", \
             \"x-custom\": \"<redacted>\", \"user-agent\": \"sso-oidc/0.1.0\"}"
        );
    }
}
