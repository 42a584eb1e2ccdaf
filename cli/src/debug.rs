//! `--debug`: every request and response on stderr through `tracing`, with every secret
//! redacted (the AWS CLI prints the client secret and the device code there).
//!
//! The transport logs each request and response at `debug` level, its body passed through
//! [`sso_oidc::redact_body`]; this turns those events on, for the operations and for `login`,
//! `token` and `logout` alike.

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
