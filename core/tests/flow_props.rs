//! Property tests: `DeviceFlow` fed arbitrary answers, transport errors, latencies, early
//! and backward clocks, and misuse keeps its promises on every step.

mod support;

use std::time::{Duration, Instant};

use proptest::prelude::*;
use sso_oidc::{
    Action, DeviceFlow, DeviceFlowConfig, FlowError, Misuse, Operation, RetryPolicy,
    SLOW_DOWN_STEP, TransportErrorKind,
};
use support::{Answer, WALL_START, base_instant, cached_registration, endpoint, wall_start};

#[derive(Clone, Copy, Debug)]
enum Kind {
    Success,
    Pending,
    SlowDown,
    Expired,
    Denied,
    InvalidClient,
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
    /// Jump to the instant the flow asked for.
    Honour,
    /// Poll this many ms before it: the flow must ask to wait again.
    Early(u64),
    /// Poll with a clock this many ms behind the last one.
    Back(u64),
}

#[derive(Clone, Copy, Debug)]
enum Misstep {
    None,
    PollTwice,
    AnswerTwice,
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
    interval: Option<u64>,
    expires_in: u64,
    cached_for: Option<u64>,
    max_attempts: u32,
    max_interval: u64,
    seed: u64,
    steps: Vec<Step>,
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        4 => Just(Kind::Pending),
        2 => Just(Kind::SlowDown),
        2 => Just(Kind::Success),
        1 => Just(Kind::Expired),
        1 => Just(Kind::Denied),
        1 => Just(Kind::InvalidClient),
        1 => Just(Kind::InvalidRequest),
        2 => Just(Kind::Internal),
        1 => Just(Kind::Throttled),
        1 => Just(Kind::Html502),
        1 => Just(Kind::Malformed),
        1 => Just(Kind::Empty500),
        2 => prop_oneof![
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
        prop_oneof![3 => Just(0u64), 1 => 0u64..4_000],
        prop_oneof![
            6 => Just(Clock::Honour),
            1 => (1u64..10_000).prop_map(Clock::Early),
            1 => (1u64..100_000).prop_map(Clock::Back),
        ],
        prop_oneof![
            40 => Just(Misstep::None),
            1 => Just(Misstep::PollTwice),
            1 => Just(Misstep::AnswerTwice),
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
        prop::option::of(0u64..12),
        0u64..200,
        prop::option::of(0u64..7_200),
        1u32..6,
        1u64..40,
        any::<u64>(),
        prop::collection::vec(step(), 0..60),
    )
        .prop_map(
            |(interval, expires_in, cached_for, max_attempts, max_interval, seed, steps)| Setup {
                interval,
                expires_in,
                cached_for,
                max_attempts,
                max_interval,
                seed,
                steps,
            },
        )
}

fn answer(kind: Kind, operation: Operation, setup: &Setup) -> Answer {
    // The device-flow answers make no sense to RegisterClient or StartDeviceAuthorization:
    // there they stand for success, so that most cases get as far as polling.
    let kind = match (operation, kind) {
        (
            Operation::RegisterClient | Operation::StartDeviceAuthorization,
            Kind::Pending | Kind::SlowDown | Kind::Expired | Kind::Denied,
        ) => Kind::Success,
        _ => kind,
    };
    match kind {
        Kind::Success => match operation {
            Operation::RegisterClient => Answer::registered(WALL_START + 90 * 86_400),
            Operation::StartDeviceAuthorization => {
                Answer::authorized(setup.interval, setup.expires_in)
            }
            _ => Answer::token(),
        },
        Kind::Pending => Answer::pending(),
        Kind::SlowDown => Answer::slow_down(),
        Kind::Expired => Answer::expired(),
        Kind::Denied => Answer::denied(),
        Kind::InvalidClient => Answer::invalid_client(),
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

/// Feeds one answer.
fn feed(flow: &mut DeviceFlow, answer: Answer, now: Instant) {
    match answer.into_response() {
        Ok(response) => flow.handle_response(response, now),
        Err(kind) => flow.handle_transport_error(kind, now),
    }
}

fn same(a: &Action, b: &Action) -> bool {
    match (a, b) {
        (Action::Done(x), Action::Done(y)) => x == y,
        (Action::Failed(x), Action::Failed(y)) => x == y,
        (Action::WaitUntil(x), Action::WaitUntil(y)) => x == y,
        _ => false,
    }
}

fn run(setup: &Setup) -> Result<(), TestCaseError> {
    let start = base_instant();
    let config = DeviceFlowConfig::builder()
        .endpoint(endpoint())
        .start_url("https://d-1234567890.awsapps.com/start")
        .registration(setup.cached_for.map(cached_registration))
        .retry_policy(RetryPolicy::standard().with_max_attempts(setup.max_attempts))
        .max_interval(Duration::from_secs(setup.max_interval))
        .jitter_seed(setup.seed)
        .build()
        .unwrap();
    let mut flow = DeviceFlow::new(config, start, wall_start());
    let mut steps = setup.steps.iter();
    let mut now = start;
    let mut earliest_poll: Option<Instant> = None;
    let mut misused = false;

    for _ in 0..10_000 {
        let action = flow.poll(now);
        if let Some(deadline) = flow.deadline() {
            // Ends by the deadline: at or past it, with nothing in flight, the flow is over.
            if now >= deadline {
                prop_assert!(
                    matches!(action, Action::Done(_) | Action::Failed(_)),
                    "{action:?} at or after the deadline"
                );
            }
        }
        match action {
            Action::Send(request) => {
                let operation = support::operation_of(&request);
                prop_assert!(
                    !request.uri().to_string().contains("LEAK"),
                    "a secret in a URL"
                );
                prop_assert!(now >= flow.next_send(), "sent before the scheduled instant");
                if operation == Operation::CreateToken {
                    let deadline = flow.deadline().unwrap();
                    prop_assert!(now < deadline, "sent at or after the deadline");
                    prop_assert!(
                        now >= earliest_poll.unwrap(),
                        "polled {:?} early",
                        earliest_poll.unwrap() - now
                    );
                }
                let step = steps.next().cloned().unwrap_or(Step {
                    kind: Kind::Pending,
                    latency_ms: 0,
                    clock: Clock::Honour,
                    misstep: Misstep::None,
                });
                if let Misstep::PollTwice = step.misstep {
                    let again = flow.poll(now);
                    prop_assert!(
                        matches!(
                            again,
                            Action::Failed(FlowError::Misuse(Misuse::PollWhileAwaitingResponse))
                        ),
                        "{again:?}"
                    );
                    misused = true;
                }
                now += Duration::from_millis(step.latency_ms);
                let before = flow.interval();
                let live = !flow.is_finished();
                let given = answer(step.kind, operation, setup);
                feed(&mut flow, given.clone(), now);
                if let Misstep::AnswerTwice = step.misstep
                    && !flow.is_finished()
                {
                    feed(&mut flow, given, now);
                    prop_assert!(flow.is_finished(), "a second answer was accepted");
                    misused = true;
                }
                let after = flow.interval();
                if let (Some(before), Some(after)) = (before, after) {
                    prop_assert!(after >= before, "interval shrank: {before:?} -> {after:?}");
                    if live
                        && operation == Operation::CreateToken
                        && matches!(step.kind, Kind::SlowDown)
                    {
                        prop_assert_eq!(after, before + SLOW_DOWN_STEP);
                    }
                }
                if operation == Operation::CreateToken {
                    earliest_poll = after.map(|i| now + i);
                }
            }
            Action::Prompt(prompt) => {
                prop_assert!(now < prompt.deadline);
                prop_assert_eq!(Some(prompt.deadline), flow.deadline());
                earliest_poll = flow.interval().map(|i| now + i);
            }
            Action::WaitUntil(t) => {
                prop_assert!(t > now, "WaitUntil is not in the future");
                if let Some(deadline) = flow.deadline() {
                    prop_assert!(t <= deadline, "a wait past the deadline");
                }
                // An early or backward clock is told to wait for the same instant.
                let clock = setup
                    .steps
                    .get(now.duration_since(start).as_millis() as usize % 7);
                match clock.map(|s| s.clock) {
                    Some(Clock::Early(ms)) => {
                        let early = t
                            .checked_sub(Duration::from_millis(ms))
                            .unwrap_or(now)
                            .max(now);
                        let again = flow.poll(early);
                        prop_assert!(same(&again, &Action::WaitUntil(t)), "{again:?}");
                    }
                    Some(Clock::Back(ms)) => {
                        let back = now.checked_sub(Duration::from_millis(ms)).unwrap_or(now);
                        let again = flow.poll(back);
                        prop_assert!(same(&again, &Action::WaitUntil(t)), "{again:?}");
                    }
                    _ => {}
                }
                now = t;
            }
            terminal @ (Action::Done(_) | Action::Failed(_)) => {
                if misused {
                    prop_assert!(
                        matches!(terminal, Action::Failed(FlowError::Misuse(_))),
                        "{terminal:?} after misuse"
                    );
                }
                // Terminal states stay terminal, whatever comes after.
                flow.handle_response(http::Response::new(b"{}".to_vec()), now);
                flow.handle_transport_error(TransportErrorKind::Io, now);
                flow.cancel();
                for later in [now, now + Duration::from_secs(1_000_000)] {
                    let again = flow.poll(later);
                    prop_assert!(same(&again, &terminal), "{terminal:?} became {again:?}");
                }
                let shown = format!("{terminal:?}");
                prop_assert!(!shown.contains("LEAK"), "a secret in {}", shown);
                return Ok(());
            }
        }
    }
    Err(TestCaseError::fail("the flow did not end"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    #[test]
    fn the_flow_keeps_its_promises(setup in setup()) {
        run(&setup)?;
    }
}
