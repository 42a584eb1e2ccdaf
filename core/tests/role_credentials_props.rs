//! Property tests: `RoleCredentialsFlow` fed arbitrary tokens, answers from both services,
//! transport errors, latencies, early and backward clocks, and misuse keeps its promises on every
//! step: it never panics, never sends `GetRoleCredentials` with an expired token, sends nothing
//! before a wait is over, hands out a refreshed token once and then uses it, ends for good, and
//! never shows a secret (the bearer token above all) in the `Debug` of an action or an error.

mod support;

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use proptest::prelude::*;
use sso_oidc::portal::Endpoint as PortalEndpoint;
use sso_oidc::{
    CachedToken, Endpoint, Misuse, RetryPolicy, RoleCredentialsAction, RoleCredentialsConfig,
    RoleCredentialsError, RoleCredentialsFlow, Secret, TransportErrorKind,
};
use support::{Answer, WALL_START, base_instant};

#[derive(Clone, Copy, Debug)]
enum Kind {
    Token,
    TokenShortLived,
    InvalidGrant,
    Credentials,
    Unauthorized,
    Forbidden,
    Throttled,
    Internal,
    Html502,
    Malformed,
    Transport(TransportErrorKind),
}

#[derive(Clone, Copy, Debug)]
enum Clock {
    Honour,
    Early(u64),
    Back(u64),
    Late(u64),
}

#[derive(Clone, Copy, Debug)]
enum Misstep {
    None,
    PollTwice,
    AnswerTwice,
    Cancel,
    AnswerUnasked,
}

#[derive(Clone, Debug)]
struct Step {
    kind: Kind,
    latency_ms: u64,
    clock: Clock,
    misstep: Misstep,
}

#[derive(Clone, Debug)]
struct Setup {
    /// Seconds the token has left at the start (negative: expired that long ago).
    left: i64,
    refresh_token: bool,
    registration_left: i64,
    last_attempt_ago: Option<u64>,
    max_attempts: u32,
    base_ms: u64,
    seed: u64,
    steps: Vec<Step>,
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        3 => Just(Kind::Token),
        1 => Just(Kind::TokenShortLived),
        1 => Just(Kind::InvalidGrant),
        4 => Just(Kind::Credentials),
        1 => Just(Kind::Unauthorized),
        1 => Just(Kind::Forbidden),
        2 => Just(Kind::Throttled),
        2 => Just(Kind::Internal),
        1 => Just(Kind::Html502),
        1 => Just(Kind::Malformed),
        2 => prop_oneof![
            Just(TransportErrorKind::Connect),
            Just(TransportErrorKind::Timeout),
            Just(TransportErrorKind::Io),
            Just(TransportErrorKind::Tls),
        ]
        .prop_map(Kind::Transport),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    (
        kind(),
        prop_oneof![3 => Just(0u64), 1 => 0u64..700_000],
        prop_oneof![
            6 => Just(Clock::Honour),
            1 => (1u64..30_000).prop_map(Clock::Early),
            1 => (1u64..100_000).prop_map(Clock::Back),
            1 => (1u64..900_000).prop_map(Clock::Late),
        ],
        prop_oneof![
            40 => Just(Misstep::None),
            1 => Just(Misstep::PollTwice),
            1 => Just(Misstep::AnswerTwice),
            1 => Just(Misstep::Cancel),
            1 => Just(Misstep::AnswerUnasked),
        ],
    )
        .prop_map(|(kind, latency_ms, clock, misstep)| Step {
            kind,
            latency_ms,
            clock,
            misstep,
        })
}

fn setup() -> impl Strategy<Value = Setup> {
    (
        prop_oneof![
            -3_600i64..-1,
            Just(0i64),
            1i64..600,
            600i64..900,
            900i64..7_200,
        ],
        prop::bool::weighted(0.8),
        prop_oneof![9 => Just(86_400i64), 1 => -10i64..10],
        proptest::option::weighted(0.2, 0u64..120),
        1u32..5,
        0u64..200_000,
        any::<u64>(),
        prop::collection::vec(step(), 1..10),
    )
        .prop_map(
            |(
                left,
                refresh_token,
                registration_left,
                last_attempt_ago,
                max_attempts,
                base_ms,
                seed,
                steps,
            )| Setup {
                left,
                refresh_token,
                registration_left,
                last_attempt_ago,
                max_attempts,
                base_ms,
                seed,
                steps,
            },
        )
}

fn answer(kind: Kind) -> Answer {
    let portal_error = |status: u16, shape: &str| Answer::Response {
        status,
        headers: vec![("x-amzn-ErrorType", shape.to_owned())],
        body: br#"{"message":"no"}"#.to_vec(),
    };
    match kind {
        Kind::Token => Answer::json(
            200,
            r#"{"accessToken":"LEAK-new-access","expiresIn":28800,"refreshToken":"LEAK-refresh-2"}"#,
        ),
        Kind::TokenShortLived => Answer::json(200, r#"{"accessToken":"LEAK-brief","expiresIn":1}"#),
        Kind::InvalidGrant => Answer::service_error(400, "InvalidGrantException", "invalid_grant"),
        Kind::Credentials => Answer::json(
            200,
            r#"{"roleCredentials":{"accessKeyId":"ASIAX","secretAccessKey":"LEAK-sk","sessionToken":"LEAK-st","expiration":1700003600000}}"#,
        ),
        Kind::Unauthorized => portal_error(401, "UnauthorizedException"),
        Kind::Forbidden => portal_error(403, "ForbiddenException"),
        Kind::Throttled => portal_error(429, "TooManyRequestsException"),
        Kind::Internal => Answer::internal(),
        Kind::Html502 => Answer::html_502(),
        Kind::Malformed => Answer::json(200, r#"{"roleCredentials":{"accessKeyId":"LEAK"#),
        Kind::Transport(kind) => Answer::Transport(kind),
    }
}

fn wall_start() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(WALL_START)
}

fn offset(seconds: i64) -> SystemTime {
    let magnitude = Duration::from_secs(seconds.unsigned_abs());
    if seconds >= 0 {
        wall_start() + magnitude
    } else {
        wall_start() - magnitude
    }
}

fn token(setup: &Setup) -> CachedToken {
    let mut token = CachedToken::new(Secret::from("LEAK-old-access"), offset(setup.left));
    token.client_id = Some("client-id".to_owned());
    token.client_secret = Some(Secret::from("LEAK-client-secret"));
    token.registration_expires_at = Some(offset(setup.registration_left));
    token.refresh_token = setup.refresh_token.then(|| Secret::from("LEAK-refresh-1"));
    token
}

fn feed(flow: &mut RoleCredentialsFlow, answer: Answer, now: Instant) {
    match answer.into_response() {
        Ok(response) => flow.handle_response(response, now),
        Err(kind) => flow.handle_transport_error(kind, now),
    }
}

fn no_secret(what: &str, text: &str) -> Result<(), TestCaseError> {
    prop_assert!(!text.contains("LEAK"), "{what} shows a secret: {text}");
    Ok(())
}

fn run(setup: &Setup) -> Result<(), TestCaseError> {
    let config = RoleCredentialsConfig::builder()
        .oidc_endpoint(Endpoint::from_url("https://oidc.example.test").unwrap())
        .portal_endpoint(PortalEndpoint::from_url("https://portal.example.test").unwrap())
        .account_id("123456789012")
        .role_name("ReadOnly")
        .retry_policy(
            RetryPolicy::standard()
                .with_max_attempts(setup.max_attempts)
                .with_backoff(
                    Duration::from_millis(setup.base_ms),
                    Duration::from_millis(setup.base_ms * 4),
                ),
        )
        .jitter_seed(setup.seed);
    let config = match setup.last_attempt_ago {
        Some(ago) => config.last_refresh_attempt(wall_start() - Duration::from_secs(ago)),
        None => config,
    }
    .build()
    .unwrap();
    let cached = token(setup);
    let start = base_instant();
    let mut flow = RoleCredentialsFlow::new(config, cached.clone(), start, wall_start());
    no_secret("the flow's Debug", &format!("{flow:?}"))?;
    let wall = |at: Instant| wall_start() + (at - start);

    let mut steps = setup.steps.iter().cycle();
    let mut now = start;
    // The latest instant the flow was told: its idea of now.
    let mut told = start;
    let mut in_use = cached;
    let mut stored = 0;
    let mut refreshes_sent = 0;
    let mut wait_until: Option<Instant> = None;
    let mut misused = false;
    let mut cancelled = false;
    let mut answered_twice = false;
    for _ in 0..300 {
        told = told.max(now);
        let action = flow.poll(now);
        no_secret("an action's Debug", &format!("{action:?}"))?;
        if std::mem::take(&mut answered_twice)
            && matches!(
                action,
                RoleCredentialsAction::Failed(RoleCredentialsError::Misuse(_))
            )
        {
            misused = true;
        }
        match action {
            RoleCredentialsAction::Send(request) => {
                if let Some(until) = wait_until.take() {
                    prop_assert!(told >= until, "sent before the wait was over");
                }
                prop_assert!(!misused && !cancelled);
                no_secret("a request URI", &request.uri().to_string())?;
                let step = steps.next().unwrap();
                match request.uri().path() {
                    "/token" => {
                        prop_assert_eq!(stored, 0, "a refresh after the store");
                        refreshes_sent += 1;
                    }
                    "/federation/credentials" => {
                        let bearer = request.headers()["x-amz-sso_bearer_token"]
                            .to_str()
                            .unwrap();
                        prop_assert_eq!(bearer, in_use.access_token.expose().as_str());
                        prop_assert!(
                            in_use.expires_at > wall(told),
                            "GetRoleCredentials with an expired token"
                        );
                    }
                    other => prop_assert!(false, "sent to {other}"),
                }
                match step.misstep {
                    Misstep::PollTwice => {
                        let again = flow.poll(now);
                        prop_assert!(
                            matches!(
                                again,
                                RoleCredentialsAction::Failed(RoleCredentialsError::Misuse(
                                    Misuse::PollWhileAwaitingResponse
                                ))
                            ),
                            "{again:?}"
                        );
                        misused = true;
                        continue;
                    }
                    Misstep::Cancel => {
                        flow.cancel();
                        cancelled = true;
                    }
                    _ => {}
                }
                now = match step.clock {
                    Clock::Back(ms) => now.checked_sub(Duration::from_millis(ms)).unwrap_or(now),
                    _ => now + Duration::from_millis(step.latency_ms),
                };
                feed(&mut flow, answer(step.kind), now);
                told = told.max(now);
                if let Misstep::AnswerTwice = step.misstep {
                    // Misuse, unless the first answer ended the request: then, as with
                    // `Call`, the second is ignored.
                    feed(&mut flow, answer(step.kind), now);
                    answered_twice = true;
                }
            }
            RoleCredentialsAction::WaitUntil(until) => {
                prop_assert!(until > told, "a wait that is over already");
                wait_until = Some(until);
                let step = steps.next().unwrap();
                now = match step.clock {
                    Clock::Honour => until,
                    Clock::Early(ms) => until
                        .checked_sub(Duration::from_millis(ms))
                        .unwrap_or(until),
                    Clock::Back(ms) => now.checked_sub(Duration::from_millis(ms)).unwrap_or(now),
                    Clock::Late(ms) => until + Duration::from_millis(ms),
                };
                if let Misstep::Cancel = step.misstep {
                    flow.cancel();
                    cancelled = true;
                }
            }
            RoleCredentialsAction::Store(token) => {
                prop_assert_eq!(stored, 0, "stored twice");
                prop_assert!(refreshes_sent > 0, "stored without a refresh");
                prop_assert_ne!(token.access_token.expose(), "LEAK-old-access");
                prop_assert_eq!(&token.client_id, &in_use.client_id);
                stored += 1;
                in_use = token;
                let step = steps.next().unwrap();
                if let Misstep::AnswerUnasked = step.misstep {
                    feed(&mut flow, answer(step.kind), now);
                    let next = flow.poll(now);
                    prop_assert!(
                        matches!(
                            next,
                            RoleCredentialsAction::Failed(RoleCredentialsError::Misuse(_))
                        ),
                        "{next:?}"
                    );
                    misused = true;
                }
            }
            RoleCredentialsAction::Done(credentials) => {
                prop_assert!(!misused && !cancelled);
                prop_assert_eq!(credentials.access_key_id.as_str(), "ASIAX");
                return finished(&mut flow, now, RoleCredentialsAction::Done(credentials));
            }
            RoleCredentialsAction::Failed(error) => {
                no_secret("an error's Display", &error.to_string())?;
                prop_assert!(!error.to_string().ends_with('.'), "{error}");
                if cancelled {
                    prop_assert_eq!(&error, &RoleCredentialsError::Cancelled);
                }
                if misused {
                    prop_assert!(
                        matches!(error, RoleCredentialsError::Misuse(_)),
                        "{error:?}"
                    );
                }
                if error.needs_sign_in() {
                    prop_assert!(error.to_string().ends_with("; sign in again"), "{error}");
                }
                return finished(&mut flow, now, RoleCredentialsAction::Failed(error));
            }
        }
    }
    Ok(())
}

/// A finished flow says the same on every later poll, whatever it is told.
fn finished(
    flow: &mut RoleCredentialsFlow,
    now: Instant,
    end: RoleCredentialsAction,
) -> Result<(), TestCaseError> {
    prop_assert!(flow.is_finished());
    flow.handle_response(answer(Kind::Credentials).into_response().unwrap(), now);
    flow.handle_transport_error(TransportErrorKind::Io, now);
    flow.cancel();
    let again = flow.poll(now + Duration::from_secs(86_400));
    let same = match (&end, &again) {
        (RoleCredentialsAction::Done(a), RoleCredentialsAction::Done(b)) => a == b,
        (RoleCredentialsAction::Failed(a), RoleCredentialsAction::Failed(b)) => a == b,
        _ => false,
    };
    prop_assert!(same, "{end:?} then {again:?}");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_run_keeps_the_flows_promises(setup in setup()) {
        run(&setup)?;
    }
}
