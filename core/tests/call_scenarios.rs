//! `Call` driven through scripted answers on simulated time: a scenario table, exact instants,
//! no sleeps.

mod support;

use std::time::{Duration, Instant};

use sso_oidc::{
    Attempts, Call, CallAction, CallError, CreateToken, Error, ErrorCode, Misuse, RetryPolicy,
    Token, TransportErrorKind,
};
use support::{Answer, base_instant};

/// How long each answer takes to arrive: waits count from the answer, not the request.
const LATENCY: Duration = Duration::from_millis(100);
const SEED: u64 = 7;

fn token() -> Answer {
    Answer::token()
}

fn invalid_request() -> Answer {
    Answer::service_error(400, "InvalidRequestException", "invalid_request")
}

fn timeout() -> Answer {
    Answer::Transport(TransportErrorKind::Timeout)
}

fn call(policy: RetryPolicy) -> Call<Token> {
    let mut request = http::Request::new(b"{}".to_vec());
    *request.uri_mut() = http::Uri::from_static("https://oidc.us-east-1.amazonaws.com/token");
    Call::new(request, CreateToken::parse, policy, SEED)
}

/// What a run did: when each request went out, when each wait ended (offsets from the start),
/// and how the call ended.
#[derive(Debug)]
struct Trace {
    sends: Vec<Duration>,
    waits: Vec<Duration>,
    outcome: Result<Token, CallError>,
}

/// Runs a call against the script, the clock jumping to each `WaitUntil`. Once the script
/// runs out, the service answers with a token.
fn run(policy: RetryPolicy, script: &[Answer]) -> Trace {
    let start = base_instant();
    let mut now = start;
    let mut call = call(policy);
    let mut script = script.iter().cloned();
    let (mut sends, mut waits) = (Vec::new(), Vec::new());
    let outcome = loop {
        match call.poll(now) {
            CallAction::Send(request) => {
                assert_eq!(request.uri().path(), "/token");
                sends.push(now - start);
                now += LATENCY;
                match script.next().unwrap_or_else(token).into_response() {
                    Ok(response) => call.handle_response(response, now),
                    Err(kind) => call.handle_transport_error(kind, now),
                }
            }
            CallAction::WaitUntil(until) => {
                assert!(until > now, "a wait that is over already");
                now = until;
                waits.push(now - start);
            }
            CallAction::Done(token) => break Ok(token),
            CallAction::Failed(error) => break Err(error),
        }
    };
    // Final: asked again, later, the call says the same.
    let again = call.poll(now + Duration::from_secs(3600));
    match (&outcome, again) {
        (Ok(token), CallAction::Done(again)) => assert_eq!(token, &again),
        (Err(error), CallAction::Failed(again)) => assert_eq!(error, &again),
        (_, again) => panic!("not final: {again:?}"),
    }
    Trace {
        sends,
        waits,
        outcome,
    }
}

/// The instants a call must send at, from an independent `Attempts` with the same policy and
/// seed: each failed attempt's answer comes `LATENCY` after it, and the next attempt goes
/// after the backoff counted from there.
fn expected_sends(policy: RetryPolicy, script: &[Answer]) -> Vec<Duration> {
    let mut oracle = Attempts::new(policy, SEED);
    let mut at = Duration::ZERO;
    let mut sends = vec![at];
    for answer in script {
        let wait = match answer.clone().into_response() {
            Err(kind) => oracle.retry_after_transport_error(kind),
            Ok(response) => match CreateToken::parse(response) {
                Ok(_) => break,
                Err(error) => oracle.retry_after_error(&error),
            },
        };
        let Some(wait) = wait else { break };
        at += LATENCY + wait;
        sends.push(at);
    }
    sends
}

/// How a scenario must end.
#[derive(Debug)]
enum End {
    Token,
    /// The service's error code, and how many attempts.
    Service(ErrorCode, u32),
    /// A response that could not be read, with this status, after this many attempts.
    Parse(u16, u32),
    Transport(TransportErrorKind, u32),
}

fn check(name: &str, policy: RetryPolicy, script: &[Answer], end: End) {
    let trace = run(policy, script);
    assert_eq!(trace.sends, expected_sends(policy, script), "{name}: sends");
    assert_eq!(
        trace.waits.len(),
        trace.sends.len() - 1,
        "{name}: one wait per retry"
    );
    for (wait, send) in trace.waits.iter().zip(&trace.sends[1..]) {
        assert_eq!(wait, send, "{name}: sends the moment the wait ends");
    }
    // Every wait is within the policy's ceiling for its attempt.
    for (i, pair) in trace.sends.windows(2).enumerate() {
        let backoff = pair[1] - pair[0] - LATENCY;
        let attempt = u32::try_from(i).unwrap() + 2;
        assert!(
            backoff <= policy.backoff_ceiling(attempt),
            "{name}: {backoff:?}"
        );
    }
    let sent = u32::try_from(trace.sends.len()).unwrap();
    match (end, &trace.outcome) {
        (End::Token, Ok(token)) => assert_eq!(token.access_token.expose(), "LEAK-access-token"),
        (End::Service(code, attempts), Err(error @ CallError::Api { error: api, .. })) => {
            assert!(matches!(api, Error::Service(_)), "{name}: {api:?}");
            assert_eq!(error.code(), Some(&code), "{name}");
            assert_eq!(error.attempts(), Some(attempts), "{name}");
            assert_eq!(sent, attempts, "{name}");
        }
        (End::Parse(status, attempts), Err(error @ CallError::Api { error: api, .. })) => {
            let Error::Parse(parse) = api else {
                panic!("{name}: {api:?}")
            };
            assert_eq!(parse.status().as_u16(), status, "{name}");
            assert_eq!(error.attempts(), Some(attempts), "{name}");
            assert_eq!(sent, attempts, "{name}");
        }
        (End::Transport(kind, attempts), Err(error)) => {
            assert_eq!(error, &CallError::Transport { kind, attempts }, "{name}");
            assert_eq!(sent, attempts, "{name}");
        }
        (end, outcome) => panic!("{name}: expected {end:?}, got {outcome:?}"),
    }
}

#[test]
fn scenarios() {
    let standard = RetryPolicy::standard();
    let rows: Vec<(&str, RetryPolicy, Vec<Answer>, End)> = vec![
        ("success first time", standard, vec![token()], End::Token),
        (
            "500 then success",
            standard,
            vec![Answer::internal(), token()],
            End::Token,
        ),
        (
            "throttling until max attempts",
            standard,
            vec![Answer::throttled(); 5],
            End::Service(ErrorCode::Other("ThrottlingException".into()), 3),
        ),
        (
            "throttling until max attempts, legacy mode",
            RetryPolicy::legacy(),
            vec![Answer::throttled(); 5],
            End::Service(ErrorCode::Other("ThrottlingException".into()), 5),
        ),
        (
            "a 500 with no retries",
            RetryPolicy::none(),
            vec![Answer::internal()],
            End::Service(ErrorCode::InternalServer, 1),
        ),
        (
            "non-retryable 400",
            standard,
            vec![invalid_request()],
            End::Service(ErrorCode::InvalidRequest, 1),
        ),
        (
            "a 400 after a 500 ends it",
            standard,
            vec![Answer::internal(), invalid_request()],
            End::Service(ErrorCode::InvalidRequest, 2),
        ),
        (
            "authorization_pending is an answer, not a failure",
            standard,
            vec![Answer::pending()],
            End::Service(ErrorCode::AuthorizationPending, 1),
        ),
        (
            "slow_down is an answer, not a failure",
            standard,
            vec![Answer::slow_down()],
            End::Service(ErrorCode::SlowDown, 1),
        ),
        (
            "an HTML 502 from a proxy, then success",
            standard,
            vec![Answer::html_502(), token()],
            End::Token,
        ),
        (
            "HTML 502s until max attempts",
            standard,
            vec![Answer::html_502(); 3],
            End::Parse(502, 3),
        ),
        (
            "a 2xx that cannot be read is not retried: it may have taken effect",
            standard,
            vec![Answer::malformed_200()],
            End::Parse(200, 1),
        ),
        (
            "transport timeout then success",
            standard,
            vec![timeout(), token()],
            End::Token,
        ),
        (
            "timeouts until max attempts",
            standard,
            vec![timeout(); 3],
            End::Transport(TransportErrorKind::Timeout, 3),
        ),
        (
            "a refused connection, a broken one, then success",
            standard,
            vec![
                Answer::Transport(TransportErrorKind::Connect),
                Answer::Transport(TransportErrorKind::Io),
                token(),
            ],
            End::Token,
        ),
        (
            "an untrusted certificate is not retried",
            standard,
            vec![Answer::Transport(TransportErrorKind::Tls)],
            End::Transport(TransportErrorKind::Tls, 1),
        ),
        (
            "a body over the cap is not retried",
            standard,
            vec![
                timeout(),
                Answer::Transport(TransportErrorKind::BodyTooLarge),
            ],
            End::Transport(TransportErrorKind::BodyTooLarge, 2),
        ),
    ];
    for (name, policy, script, end) in rows {
        check(name, policy, &script, end);
    }
}

#[test]
fn retries_wait_exactly_the_jittered_backoff_from_each_answer() {
    // Backoff 1 s doubling to at most 20 s, full jitter from seed 7: the waits are the
    // policy's ceilings (1 s, 2 s, 4 s, 8 s) times the seed's fractions.
    let policy = RetryPolicy::standard().with_max_attempts(5);
    let trace = run(policy, &vec![Answer::internal(); 5]);
    let mut oracle = Attempts::new(policy, SEED);
    let error = Error::Service(
        match CreateToken::parse(Answer::internal().into_response().unwrap()) {
            Err(Error::Service(e)) => e,
            other => panic!("{other:?}"),
        },
    );
    let backoffs: Vec<Duration> = (0..4)
        .map(|_| oracle.retry_after_error(&error).unwrap())
        .collect();
    for (attempt, backoff) in (2..).zip(&backoffs) {
        assert!(*backoff <= policy.backoff_ceiling(attempt));
    }
    let mut at = Duration::ZERO;
    let mut expected = vec![at];
    for backoff in &backoffs {
        at += LATENCY + *backoff;
        expected.push(at);
    }
    assert_eq!(trace.sends, expected);
    // The same, written out: seed 7's waits are 389.8 ms, 33.6 ms, 3.603 s and 4.663 s.
    let nanos: Vec<u128> = trace.sends.iter().map(Duration::as_nanos).collect();
    assert_eq!(
        nanos,
        [0, 489_829_748, 623_406_337, 4_326_449_059, 9_089_891_403]
    );
    assert_eq!(
        trace.outcome.unwrap_err().attempts(),
        Some(5),
        "the fifth failure is final"
    );
    // Another seed spreads the same retries differently.
    let mut other = Attempts::new(policy, SEED + 1);
    assert_ne!(other.retry_after_error(&error), Some(backoffs[0]));
}

#[test]
fn a_clock_that_goes_back_neither_sends_early_nor_moves_the_wait() {
    let start = base_instant();
    let mut call = call(RetryPolicy::standard());
    assert!(matches!(call.poll(start), CallAction::Send(_)));
    let answered = start + Duration::from_secs(10);
    call.handle_response(Answer::internal().into_response().unwrap(), answered);
    let CallAction::WaitUntil(until) = call.poll(answered) else {
        panic!("waits")
    };
    // A clock behind the last `now`: still the same wait, never a send.
    assert!(matches!(call.poll(start), CallAction::WaitUntil(t) if t == until));
    assert!(matches!(call.poll(until), CallAction::Send(_)));
}

#[test]
fn cancel_ends_a_wait_and_ignores_a_late_answer() {
    let start = base_instant();
    let mut call = call(RetryPolicy::standard());
    assert!(matches!(call.poll(start), CallAction::Send(_)));
    call.handle_transport_error(TransportErrorKind::Connect, start);
    assert!(matches!(call.poll(start), CallAction::WaitUntil(_)));
    call.cancel();
    assert!(call.is_finished());
    assert!(matches!(
        call.poll(start),
        CallAction::Failed(CallError::Cancelled)
    ));

    // Cancelled while the answer is owed: the answer is ignored.
    let mut call = self::call(RetryPolicy::standard());
    assert!(matches!(call.poll(start), CallAction::Send(_)));
    call.cancel();
    call.handle_response(Answer::token().into_response().unwrap(), start);
    let CallAction::Failed(error) = call.poll(start) else {
        panic!("cancelled")
    };
    assert_eq!(error, CallError::Cancelled);
    assert_eq!(error.attempts(), None);
    assert_eq!(error.to_string(), "the call was cancelled");
}

#[test]
fn contract_misuse_fails_the_call_for_good() {
    let start = base_instant();
    let response = || Answer::token().into_response().unwrap();

    // A poll while the answer is owed.
    let mut call = call(RetryPolicy::standard());
    assert!(matches!(call.poll(start), CallAction::Send(_)));
    let misused = CallError::Misuse(Misuse::PollWhileAwaitingResponse);
    assert!(matches!(call.poll(start), CallAction::Failed(ref e) if *e == misused));
    // The answer that was owed changes nothing now.
    call.handle_response(response(), start);
    assert!(matches!(call.poll(start), CallAction::Failed(ref e) if *e == misused));
    assert!(
        misused
            .to_string()
            .starts_with("call misused: poll was called")
    );

    // An answer nobody asked for.
    let mut call = self::call(RetryPolicy::standard());
    call.handle_response(response(), start);
    assert!(matches!(
        call.poll(start),
        CallAction::Failed(CallError::Misuse(Misuse::UnexpectedResponse))
    ));

    // A transport error nobody asked for, or two for one request.
    let mut call = self::call(RetryPolicy::standard());
    call.handle_transport_error(TransportErrorKind::Io, start);
    assert!(matches!(
        call.poll(start),
        CallAction::Failed(CallError::Misuse(Misuse::UnexpectedTransportError))
    ));
    let mut call = self::call(RetryPolicy::standard());
    assert!(matches!(call.poll(start), CallAction::Send(_)));
    call.handle_transport_error(TransportErrorKind::Io, start);
    call.handle_transport_error(TransportErrorKind::Io, start);
    assert!(matches!(
        call.poll(start + Duration::from_secs(60)),
        CallAction::Failed(CallError::Misuse(Misuse::UnexpectedTransportError))
    ));

    // After the end, answers are ignored: a Done stays Done.
    let mut call = self::call(RetryPolicy::standard());
    assert!(matches!(call.poll(start), CallAction::Send(_)));
    call.handle_response(response(), start);
    call.handle_response(response(), start);
    call.handle_transport_error(TransportErrorKind::Io, start);
    call.cancel();
    assert!(matches!(call.poll(start), CallAction::Done(_)));
}

#[test]
fn messages_say_how_many_attempts_were_made() {
    let trace = run(RetryPolicy::standard(), &vec![timeout(); 3]);
    let error = trace.outcome.unwrap_err();
    assert_eq!(
        error.to_string(),
        "the endpoint did not answer in time (gave up after 3 attempts)"
    );
    assert_eq!(error.transport_kind(), Some(TransportErrorKind::Timeout));
    let trace = run(RetryPolicy::standard(), &[invalid_request()]);
    let error = trace.outcome.unwrap_err();
    assert!(!error.to_string().contains("attempts"), "{error}");
    assert_eq!(error.attempts(), Some(1));
    assert!(std::error::Error::source(&error).is_some());
}

#[test]
fn waits_are_capped_by_the_policy_and_never_overflow() {
    let start = base_instant();
    let policy = RetryPolicy::standard().with_backoff(Duration::MAX, Duration::MAX);
    let mut call = call(policy);
    assert!(matches!(call.poll(start), CallAction::Send(_)));
    call.handle_transport_error(TransportErrorKind::Io, start);
    let CallAction::WaitUntil(until) = call.poll(start) else {
        panic!("waits")
    };
    assert!(until >= start);
    let _: Instant = until;
}
