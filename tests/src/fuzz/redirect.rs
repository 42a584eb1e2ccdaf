//! The loopback redirect: `Redirect::parse` and `AuthCodeFlow::handle_redirect` on arbitrary
//! request targets.
//!
//! Input: the request target (invalid UTF-8 replaced). Checks: no panic; over
//! `MAX_REDIRECT_TARGET` bytes is refused; a code shows as redacted in `Debug`; what parses
//! re-encodes to a target that parses the same; a flow waiting for its redirect takes a code
//! only with its own state, and a rejected target leaves it waiting.

use std::time::{Duration, Instant, SystemTime};

use sso_oidc::{
    AUTH_CODE_RANDOM_BYTES, AuthCodeAction, AuthCodeFlow, AuthCodeFlowConfig, Endpoint,
    MAX_REDIRECT_TARGET, Redirect, RedirectError, RedirectOutcome,
};

fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A flow that has handed out its authorize URL, and its state.
fn waiting_flow(now: Instant) -> (AuthCodeFlow, String) {
    let config = AuthCodeFlowConfig::builder()
        .endpoint(Endpoint::from_url("http://127.0.0.1:1").expect("endpoint"))
        .start_url("https://x.example/start")
        .build()
        .expect("config");
    let random = [0u8; AUTH_CODE_RANDOM_BYTES];
    let mut flow = AuthCodeFlow::new(
        config,
        "http://127.0.0.1:2/oauth/callback",
        &random,
        now,
        SystemTime::UNIX_EPOCH,
    );
    let AuthCodeAction::Send(_) = flow.poll(now) else {
        panic!("registers first")
    };
    let body = br#"{"clientId":"id","clientSecret":"secret"}"#.to_vec();
    flow.handle_response(http::Response::new(body), now);
    let AuthCodeAction::Authorize(authorize) = flow.poll(now) else {
        panic!("authorize")
    };
    let state = authorize
        .url
        .split("&state=")
        .nth(1)
        .and_then(|s| s.split('&').next())
        .expect("state");
    (flow, state.to_owned())
}

/// The fuzz body.
pub fn redirect(data: &[u8]) {
    let target = String::from_utf8_lossy(data);
    let parsed = Redirect::parse(&target);
    if target.len() > MAX_REDIRECT_TARGET {
        assert!(
            matches!(parsed, Err(RedirectError::TooLong { .. })),
            "{parsed:?}"
        );
    }
    if let Ok(redirect) = &parsed {
        if redirect.code.is_some() {
            assert!(format!("{redirect:?}").contains("code: Some(Secret(<redacted>))"));
        }
        let mut query = Vec::new();
        for (name, value) in [
            ("code", redirect.code.as_ref().map(|c| c.expose().as_str())),
            ("state", redirect.state.as_deref()),
            ("error", redirect.error.as_deref()),
            ("error_description", redirect.error_description.as_deref()),
        ] {
            if let Some(value) = value {
                query.push(format!("{name}={}", encode(value)));
            }
        }
        let again =
            Redirect::parse(&format!("/cb?{}", query.join("&"))).expect("re-encoded parses");
        assert_eq!(again.code, redirect.code);
        assert_eq!(again.state, redirect.state);
        assert_eq!(again.error, redirect.error);
        assert_eq!(again.error_description, redirect.error_description);
    }
    #[allow(clippy::disallowed_methods)]
    let now = Instant::now();
    let (mut flow, state) = waiting_flow(now);
    let outcome = flow.handle_redirect(&target, now + Duration::from_secs(1));
    let right_state = parsed
        .as_ref()
        .is_ok_and(|r| r.state.as_deref() == Some(state.as_str()));
    match outcome {
        RedirectOutcome::Accepted | RedirectOutcome::Refused => assert!(right_state, "{target:?}"),
        RedirectOutcome::Rejected(_) => {
            assert!(flow.is_awaiting_redirect());
            assert!(matches!(flow.poll(now), AuthCodeAction::AwaitRedirect(_)));
        }
        other => panic!("{other:?} from a waiting flow"),
    }
}
