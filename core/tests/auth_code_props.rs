//! Property tests: `AuthCodeFlow` fed arbitrary answers, redirects, time jumps and misuse
//! never panics, never sends `CreateToken` without a redirect carrying its state, and sends
//! nothing at or after its deadline.

mod support;

use std::time::Duration;

use proptest::prelude::*;
use sso_oidc::{
    AUTH_CODE_RANDOM_BYTES, AuthCodeAction, AuthCodeFlow, AuthCodeFlowConfig, Operation,
    RedirectOutcome, TransportErrorKind,
};
use support::{Answer, WALL_START, base_instant, endpoint, operation_of, wall_start};

#[derive(Clone, Debug)]
enum Step {
    Poll,
    Answer(u8),
    Transport,
    /// A redirect: with the right state or not, a code or an error, or arbitrary text.
    Redirect {
        right_state: bool,
        error: bool,
    },
    Garbage(String),
    Jump(u16),
    Back(u16),
    Cancel,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => Just(Step::Poll),
        3 => (0u8..6).prop_map(Step::Answer),
        1 => Just(Step::Transport),
        2 => (any::<bool>(), any::<bool>()).prop_map(|(r, e)| Step::Redirect { right_state: r, error: e }),
        1 => ".{0,40}".prop_map(Step::Garbage),
        2 => (0u16..700).prop_map(Step::Jump),
        1 => (0u16..100).prop_map(Step::Back),
        1 => Just(Step::Cancel),
    ]
}

fn answer(n: u8) -> Answer {
    match n {
        0 => Answer::registered(WALL_START + 90 * 24 * 3600),
        1 => Answer::token(),
        2 => Answer::internal(),
        3 => Answer::invalid_client(),
        4 => Answer::denied(),
        _ => Answer::malformed_200(),
    }
}

proptest! {
    #[test]
    fn keeps_its_promises(steps in proptest::collection::vec(step(), 0..60), seed in any::<u8>()) {
        let config = AuthCodeFlowConfig::builder()
            .endpoint(endpoint())
            .start_url("https://x.example/start")
            .timeout(Duration::from_secs(300))
            .build()
            .unwrap();
        let random = [seed; AUTH_CODE_RANDOM_BYTES];
        let start = base_instant();
        let mut flow = AuthCodeFlow::new(config, "http://127.0.0.1:1/oauth/callback", &random, start, wall_start());
        let mut now = start;
        let mut latest = start;
        let mut state: Option<String> = None;
        let mut deadline = None;
        let mut accepted = false;
        for step in steps {
            match step {
                Step::Poll => match flow.poll(now) {
                    AuthCodeAction::Send(request) => {
                        if let Some(d) = deadline { prop_assert!(latest < d, "sent at or after the deadline"); }
                        if operation_of(&request) == Operation::CreateToken {
                            prop_assert!(accepted, "CreateToken without a redirect with the right state");
                        }
                    }
                    AuthCodeAction::Authorize(a) => {
                        state = Some(a.url.split("&state=").nth(1).unwrap().split('&').next().unwrap().to_owned());
                        deadline = Some(a.deadline);
                        accepted = false;
                    }
                    AuthCodeAction::WaitUntil(t) | AuthCodeAction::AwaitRedirect(t) => prop_assert!(deadline.is_none_or(|d| t <= d)),
                    AuthCodeAction::Done(_) => prop_assert!(accepted),
                    AuthCodeAction::Failed(_) => {}
                },
                Step::Answer(n) => match answer(n).into_response() {
                    Ok(r) => flow.handle_response(r, now),
                    Err(k) => flow.handle_transport_error(k, now),
                },
                Step::Transport => flow.handle_transport_error(TransportErrorKind::Timeout, now),
                Step::Redirect { right_state, error } => {
                    let s = match (&state, right_state) { (Some(s), true) => s.clone(), _ => "not-it".to_owned() };
                    let target = if error {
                        format!("/oauth/callback?error=access_denied&state={s}")
                    } else {
                        format!("/oauth/callback?code=c&state={s}")
                    };
                    let outcome = flow.handle_redirect(&target, now);
                    if outcome == RedirectOutcome::Accepted {
                        prop_assert!(right_state && state.is_some() && !error);
                        accepted = true;
                    }
                }
                Step::Garbage(text) => {
                    prop_assert_ne!(flow.handle_redirect(&text, now), RedirectOutcome::Accepted);
                }
                Step::Jump(s) => now += Duration::from_secs(u64::from(s)),
                Step::Back(s) => now = now.checked_sub(Duration::from_secs(u64::from(s))).unwrap_or(now),
                Step::Cancel => flow.cancel(),
            }
            latest = latest.max(now);
            let _ = format!("{flow:?}");
        }
    }
}
