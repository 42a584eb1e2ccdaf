//! Debug logging of what goes out and comes back, every secret redacted by the core.

/// Logs a request about to be sent, at `debug` level, its body's secrets redacted.
pub(crate) fn request(request: &http::Request<Vec<u8>>) {
    tracing::debug!(
        method = %request.method(),
        uri = %request.uri(),
        headers = ?request.headers(),
        body = %sso_oidc::redact_body(request.body()),
        "sending request"
    );
}

/// Logs a response as it came, at `debug` level, its body's secrets redacted
/// ([`sso_oidc::redact_body`]). A transport calls it once it has the whole body.
pub fn log_response(response: &http::Response<Vec<u8>>) {
    tracing::debug!(
        status = response.status().as_u16(),
        headers = ?response.headers(),
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
    #[test]
    fn seeds_differ_between_flows() {
        let seeds: std::collections::HashSet<u64> = (0..8).map(|_| super::jitter_seed()).collect();
        assert_eq!(seeds.len(), 8);
    }
}
