//! Property tests: `Call` fed arbitrary answers, transport errors, latencies, early and
//! backward clocks, and misuse keeps its promises on every step.

mod support;

use std::time::{Duration, Instant};

use proptest::prelude::*;
use sso_oidc::{
    Call, CallAction, CallError, CreateToken, Misuse, RetryPolicy, Token, TransportErrorKind,
};
use support::{Answer, base_instant};

#[derive(Clone, Copy, Debug)]
enum Kind {
    Success,
    Pending,
    InvalidRequest,
    Internal,
    Throttled,
    Html502,
    Malformed,
    Empty500,
    Transport(TransportErrorKind),
}

#[derive(Clone, Copy, Debug)]
enum Clock {
    /// Jump to the instant the call asked for.
    Honour,
    /// Poll this many ms before it: the call must ask to wait again, for the same instant.
    Early(u64),
    /// Poll with a clock this many ms behind the last one.
    Back(u64),
    /// Poll this many ms after it: late is fine.
    Late(u64),
}

#[derive(Clone, Copy, Debug)]
enum Misstep {
    None,
    PollTwice,
    AnswerTwice,
    Cancel,
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
    max_attempts: u32,
    base_ms: u64,
    cap_ms: u64,
    seed: u64,
    steps: Vec<Step>,
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        2 => Just(Kind::Success),
        1 => Just(Kind::Pending),
        1 => Just(Kind::InvalidRequest),
        3 => Just(Kind::Internal),
        2 => Just(Kind::Throttled),
        1 => Just(Kind::Html502),
        1 => Just(Kind::Malformed),
        1 => Just(Kind::Empty500),
        3 => prop_oneof![
            Just(TransportErrorKind::Connect),
            Just(TransportErrorKind::Timeout),
            Just(TransportErrorKind::Io),
            Just(TransportErrorKind::Tls),
            Just(TransportErrorKind::BodyTooLarge),
        ]
        .prop_map(Kind::Transport),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    (
        kind(),
        prop_oneof![3 => Just(0u64), 1 => 0u64..120_000],
        prop_oneof![
            6 => Just(Clock::Honour),
            1 => (1u64..30_000).prop_map(Clock::Early),
            1 => (1u64..100_000).prop_map(Clock::Back),
            1 => (1u64..100_000).prop_map(Clock::Late),
        ],
        prop_oneof![
            40 => Just(Misstep::None),
            1 => Just(Misstep::PollTwice),
            1 => Just(Misstep::AnswerTwice),
            1 => Just(Misstep::Cancel),
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
        1u32..8,
        0u64..5_000,
        0u64..60_000,
        any::<u64>(),
        prop::collection::vec(step(), 0..12),
    )
        .prop_map(|(max_attempts, base_ms, cap_ms, seed, steps)| Setup {
            max_attempts,
            base_ms,
            cap_ms,
            seed,
            steps,
        })
}

fn answer(kind: Kind) -> Answer {
    match kind {
        Kind::Success => Answer::token(),
        Kind::Pending => Answer::pending(),
        Kind::InvalidRequest => {
            Answer::service_error(400, "InvalidRequestException", "invalid_request")
        }
        Kind::Internal => Answer::internal(),
        Kind::Throttled => Answer::throttled(),
        Kind::Html502 => Answer::html_502(),
        Kind::Malformed => Answer::malformed_200(),
        Kind::Empty500 => Answer::json(500, ""),
        Kind::Transport(kind) => Answer::Transport(kind),
    }
}

fn feed(call: &mut Call<Token>, answer: Answer, now: Instant) {
    match answer.into_response() {
        Ok(response) => call.handle_response(response, now),
        Err(kind) => call.handle_transport_error(kind, now),
    }
}

fn same(a: &CallAction<Token>, b: &CallAction<Token>) -> bool {
    match (a, b) {
        (CallAction::Done(x), CallAction::Done(y)) => x == y,
        (CallAction::Failed(x), CallAction::Failed(y)) => x == y,
        (CallAction::WaitUntil(x), CallAction::WaitUntil(y)) => x == y,
        _ => false,
    }
}

/// Passes `t` on to the call, keeping `told` as the call's idea of now: the latest instant it
/// was told.
fn tell(told: &mut Instant, t: Instant) -> Instant {
    *told = (*told).max(t);
    t
}

fn run(setup: &Setup) -> Result<(), TestCaseError> {
    let start = base_instant();
    let policy = RetryPolicy::standard()
        .with_max_attempts(setup.max_attempts)
        .with_backoff(
            Duration::from_millis(setup.base_ms),
            Duration::from_millis(setup.cap_ms),
        );
    let mut request = http::Request::new(b"{\"deviceCode\":\"LEAK-device-code\"}".to_vec());
    *request.uri_mut() = http::Uri::from_static("https://oidc.us-east-1.amazonaws.com/token");
    let mut call = Call::new(request, CreateToken::parse, policy, setup.seed);
    let mut steps = setup.steps.iter().cycle();
    let mut now = start;
    // The latest instant the driver told the call: the call's idea of now.
    let mut told = start;
    let mut sends = 0u32;
    let mut answered_at: Option<Instant> = None;
    let mut last_wait: Option<Instant> = None;
    let mut misused = false;
    let mut cancelled = false;

    for _ in 0..1_000 {
        let action = call.poll(tell(&mut told, now));
        match action {
            CallAction::Send(request) => {
                sends += 1;
                prop_assert!(
                    sends <= setup.max_attempts,
                    "attempt {sends} of {}",
                    setup.max_attempts
                );
                prop_assert_eq!(request.uri().path(), "/token");
                if let Some(wait) = last_wait {
                    prop_assert!(told >= wait, "sent before the wait was over");
                }
                let step = steps.next().cloned().unwrap_or(Step {
                    kind: Kind::Success,
                    latency_ms: 0,
                    clock: Clock::Honour,
                    misstep: Misstep::None,
                });
                if let Misstep::PollTwice = step.misstep {
                    let again = call.poll(tell(&mut told, now));
                    prop_assert!(
                        matches!(
                            again,
                            CallAction::Failed(CallError::Misuse(
                                Misuse::PollWhileAwaitingResponse
                            ))
                        ),
                        "{again:?}"
                    );
                    misused = true;
                }
                if let Misstep::Cancel = step.misstep
                    && !call.is_finished()
                {
                    call.cancel();
                    cancelled = true;
                }
                now += Duration::from_millis(step.latency_ms);
                let given = answer(step.kind);
                feed(&mut call, given.clone(), tell(&mut told, now));
                answered_at = Some(told);
                if let Misstep::AnswerTwice = step.misstep
                    && !call.is_finished()
                {
                    feed(&mut call, given, tell(&mut told, now));
                    prop_assert!(call.is_finished(), "a second answer was accepted");
                    misused = true;
                }
                match step.clock {
                    Clock::Back(ms) => {
                        now = now.checked_sub(Duration::from_millis(ms)).unwrap_or(now)
                    }
                    Clock::Late(ms) => now += Duration::from_millis(ms),
                    Clock::Honour | Clock::Early(_) => {}
                }
            }
            CallAction::WaitUntil(t) => {
                prop_assert!(t > told, "WaitUntil is not in the future");
                // The wait, counted from the answer, is within the ceiling for this attempt,
                // and so within the policy's cap.
                let answered = answered_at.expect("a wait follows an answer");
                let wait = t - answered;
                prop_assert!(
                    wait <= policy.backoff_ceiling(sends + 1),
                    "waited {wait:?} before attempt {}",
                    sends + 1
                );
                prop_assert!(wait <= Duration::from_millis(setup.cap_ms));
                if let Some(earlier) = last_wait {
                    prop_assert!(t >= earlier, "a wait ended before the last one");
                }
                prop_assert_eq!(call.next_send(), Some(t));
                // An early clock is told to wait for the same instant.
                if let Some(Clock::Early(ms)) = setup.steps.first().map(|s| s.clock) {
                    let early = t
                        .checked_sub(Duration::from_millis(ms))
                        .unwrap_or(now)
                        .max(now);
                    let again = call.poll(tell(&mut told, early));
                    prop_assert!(same(&again, &CallAction::WaitUntil(t)), "{again:?}");
                }
                last_wait = Some(t);
                now = now.max(t);
            }
            terminal @ (CallAction::Done(_) | CallAction::Failed(_)) => {
                if misused {
                    prop_assert!(
                        matches!(terminal, CallAction::Failed(CallError::Misuse(_))),
                        "{terminal:?} after misuse"
                    );
                } else if cancelled {
                    prop_assert!(
                        matches!(terminal, CallAction::Failed(CallError::Cancelled)),
                        "{terminal:?} after cancel"
                    );
                }
                if let CallAction::Failed(error) = &terminal
                    && let Some(attempts) = error.attempts()
                {
                    prop_assert_eq!(attempts, sends, "attempts counted wrong");
                    prop_assert!(attempts <= setup.max_attempts);
                }
                // Terminal states stay terminal, whatever comes after.
                call.handle_response(http::Response::new(b"{}".to_vec()), now);
                call.handle_transport_error(TransportErrorKind::Io, now);
                call.cancel();
                for later in [now, start, now + Duration::from_secs(1_000_000)] {
                    let again = call.poll(later);
                    prop_assert!(same(&again, &terminal), "{terminal:?} became {again:?}");
                }
                let shown = format!("{terminal:?} {call:?}");
                prop_assert!(!shown.contains("LEAK"), "a secret in {}", shown);
                return Ok(());
            }
        }
    }
    prop_assert!(false, "the call never ended");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn a_call_keeps_its_promises(setup in setup()) {
        run(&setup)?;
    }
}
