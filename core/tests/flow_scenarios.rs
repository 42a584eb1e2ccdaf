//! `DeviceFlow` driven through scripted sign-ins on simulated time: exact instants, no sleeps.

mod support;

use std::time::{Duration, UNIX_EPOCH};

use sso_oidc::{
    Action, CachedRegistration, CachedToken, DeviceFlow, ErrorCode, FlowError, Misuse, Operation,
    RetryPolicy, TransportErrorKind,
};
use support::{Answer, Event, Scenario, WALL_START, base_instant, cached_registration};

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

#[test]
fn registers_authorizes_prompts_then_polls_once_per_interval() {
    let trace = Scenario::new().pending(2).approve().run();
    assert_eq!(
        trace.events,
        [
            Event::Sent(Operation::RegisterClient, secs(0)),
            Event::Sent(Operation::StartDeviceAuthorization, secs(0)),
            Event::Prompted(secs(0)),
            Event::Waited(secs(1)),
            Event::Sent(Operation::CreateToken, secs(1)),
            Event::Waited(secs(2)),
            Event::Sent(Operation::CreateToken, secs(2)),
            Event::Waited(secs(3)),
            Event::Sent(Operation::CreateToken, secs(3)),
        ]
    );
    let login = trace.login();
    assert_eq!(login.token.access_token.expose(), "LEAK-access-token");
    assert_eq!(login.registration.client_id, "client-id-1");
    assert!(login.registration_is_new);
    assert_eq!(login.start_url, "https://d-1234567890.awsapps.com/start");
    // The wall clock at start, plus 3 s of polling, plus the token's 8 hours.
    assert_eq!(login.expires_at, UNIX_EPOCH + secs(WALL_START + 3 + 28_800));
    let prompt = &trace.prompts[0];
    assert_eq!(prompt.user_code, "GPNW-SHFH");
    assert_eq!(
        prompt.link(),
        "https://device.sso.us-east-1.amazonaws.com/?user_code=GPNW-SHFH"
    );
    assert_eq!(prompt.deadline - trace.start, secs(600));
    assert_eq!(prompt.expires_in, secs(600));
}

#[test]
fn each_slow_down_adds_five_seconds_to_this_and_every_later_poll() {
    let trace = Scenario::new()
        .pending(1)
        .slow_down()
        .pending(1)
        .slow_down()
        .pending(1)
        .approve()
        .run();
    // Interval 1 s: +1, +2; slow_down makes it 6 s: +8, +14; another makes it 11 s: +25, +36.
    assert_eq!(trace.poll_seconds(), [1, 2, 8, 14, 25, 36]);
    assert_eq!(trace.flow.interval(), Some(secs(11)));
    assert!(trace.outcome.is_ok());
}

#[test]
fn the_interval_is_five_seconds_when_the_service_sends_none() {
    let mut scenario = Scenario::new()
        .authorization(None, 600)
        .pending(1)
        .approve();
    scenario.latency = Duration::ZERO;
    let trace = scenario.run();
    assert_eq!(trace.poll_seconds(), [5, 10]);
}

#[test]
fn an_interval_of_zero_is_taken_as_one_second() {
    let trace = Scenario::new()
        .authorization(Some(0), 600)
        .pending(2)
        .approve()
        .run();
    assert_eq!(trace.poll_seconds(), [1, 2, 3]);
}

#[test]
fn polls_are_spaced_from_the_answer_not_the_request() {
    let mut scenario = Scenario::new().pending(1).approve();
    scenario.latency = Duration::from_millis(300);
    let trace = scenario.run();
    let polls = trace.sends(Operation::CreateToken);
    // Register and authorize take 0.3 s each; the prompt at 0.6 s; polls 1 s after each answer.
    assert_eq!(
        polls,
        [Duration::from_millis(1600), Duration::from_millis(2900)]
    );
}

#[test]
fn the_service_saying_expired_ends_the_flow() {
    let trace = Scenario::new().pending(1).then(Answer::expired()).run();
    let error = trace.error();
    assert!(matches!(error, FlowError::Expired(Some(_))), "{error:?}");
    assert_eq!(error.code(), Some(&ErrorCode::ExpiredToken));
    assert!(error.to_string().contains("start a new sign-in"), "{error}");
}

#[test]
fn denial_ends_the_flow_and_says_what_to_do() {
    let trace = Scenario::new().pending(3).then(Answer::denied()).run();
    let error = trace.error();
    assert!(matches!(error, FlowError::Denied(_)), "{error:?}");
    assert_eq!(error.code(), Some(&ErrorCode::AccessDenied));
    assert!(error.to_string().starts_with("sign-in denied"), "{error}");
    assert_eq!(trace.poll_seconds(), [1, 2, 3, 4]);
}

#[test]
fn nothing_is_sent_at_or_after_the_deadline() {
    // expiresIn 3, interval 1, never approved: polls at +1 and +2; at +3 the code is dead.
    let trace = Scenario::new().authorization(Some(1), 3).run();
    assert_eq!(trace.poll_seconds(), [1, 2]);
    assert!(matches!(trace.error(), FlowError::Expired(None)));
    assert_eq!(trace.end, secs(3));
}

#[test]
fn waits_are_capped_at_the_deadline() {
    // Interval 5, expiresIn 7: one poll at +5, then the wait for +10 stops at +7.
    let trace = Scenario::new().authorization(Some(5), 7).run();
    assert_eq!(trace.poll_seconds(), [5]);
    assert_eq!(trace.events.last(), Some(&Event::Waited(secs(7))));
    assert!(matches!(trace.error(), FlowError::Expired(None)));
}

#[test]
fn a_slow_down_past_the_deadline_expires_instead_of_polling() {
    let trace = Scenario::new()
        .authorization(Some(1), 10)
        .pending(1)
        .slow_down()
        .run();
    // +1, +2 (slow_down: 6 s), next would be +8, then +14 > 10.
    assert_eq!(trace.poll_seconds(), [1, 2, 8]);
    assert_eq!(trace.end, secs(10));
    assert!(matches!(trace.error(), FlowError::Expired(None)));
}

#[test]
fn three_transient_failures_in_a_row_end_the_flow() {
    let trace = Scenario::new()
        .then(Answer::internal())
        .then(Answer::html_502())
        .then(Answer::throttled())
        .pending(1)
        .approve()
        .run();
    // Standard mode allows 3 attempts in a row: 500, an HTML 502, then throttling ends it,
    // before the pending answer and the token in the script are reached.
    let polls = trace.sends(Operation::CreateToken);
    assert_eq!(polls.len(), 3);
    assert!(
        polls.windows(2).all(|p| p[1] - p[0] >= secs(1)),
        "{polls:?}"
    );
    let error = trace.error();
    assert!(
        matches!(error, FlowError::Service { attempts: 3, .. }),
        "{error:?}"
    );
    assert_eq!(
        error.code(),
        Some(&ErrorCode::Other("ThrottlingException".into()))
    );
}

#[test]
fn transient_failures_while_polling_recover_and_keep_the_interval() {
    let trace = Scenario::new()
        .then(Answer::internal())
        .then(Answer::html_502())
        .pending(1)
        .then(Answer::throttled())
        .approve()
        .run();
    let polls = trace.sends(Operation::CreateToken);
    assert_eq!(polls.len(), 5);
    for pair in polls.windows(2) {
        assert!(pair[1] - pair[0] >= secs(1), "{polls:?}");
    }
    // Backoff before attempt 2 is at most 1 s, before attempt 3 at most 2 s (full jitter),
    // never under the 1 s interval.
    assert!(polls[2] - polls[1] <= secs(2), "{polls:?}");
    assert_eq!(trace.flow.interval(), Some(secs(1)));
    assert!(trace.outcome.is_ok());
}

#[test]
fn registration_failures_back_off_with_jitter_then_give_up() {
    let mut scenario = Scenario::new();
    scenario
        .register
        .extend([Answer::internal(), Answer::internal(), Answer::internal()]);
    let trace = scenario.run();
    let sends = trace.sends(Operation::RegisterClient);
    assert_eq!(sends.len(), 3);
    assert!(sends[1] - sends[0] <= secs(1), "{sends:?}");
    assert!(sends[2] - sends[1] <= secs(2), "{sends:?}");
    let error = trace.error();
    assert!(
        matches!(error, FlowError::Service { attempts: 3, .. }),
        "{error:?}"
    );
    assert_eq!(error.code(), Some(&ErrorCode::InternalServer));
    assert!(
        error.to_string().ends_with("(gave up after 3 attempts)"),
        "{error}"
    );
}

#[test]
fn the_retry_policy_sets_the_number_of_attempts() {
    let mut scenario = Scenario::new().approve();
    scenario.config = |b| b.retry_policy(RetryPolicy::standard().with_max_attempts(5));
    scenario.register.extend((0..4).map(|_| Answer::internal()));
    let trace = scenario.run();
    assert_eq!(trace.sends(Operation::RegisterClient).len(), 5);
    assert!(trace.outcome.is_ok());
}

#[test]
fn a_refusal_that_retrying_cannot_fix_is_final_at_once() {
    let mut scenario = Scenario::new();
    scenario.register.push_back(Answer::service_error(
        400,
        "InvalidScopeException",
        "invalid_scope",
    ));
    let trace = scenario.run();
    assert_eq!(trace.sends(Operation::RegisterClient).len(), 1);
    assert!(matches!(
        trace.error(),
        FlowError::Service { attempts: 1, .. }
    ));
    assert_eq!(trace.error().code(), Some(&ErrorCode::InvalidScope));
}

#[test]
fn a_malformed_token_answer_is_not_retried() {
    // The device code may already be spent; asking again would only get invalid_grant.
    let trace = Scenario::new().then(Answer::malformed_200()).run();
    assert_eq!(trace.poll_seconds(), [1]);
    assert!(matches!(
        trace.error(),
        FlowError::Parse { attempts: 1, .. }
    ));
    assert!(!format!("{:?} {}", trace.error(), trace.error()).contains("LEAK"));
}

#[test]
fn transport_errors_are_retried_then_reported() {
    let mut scenario = Scenario::new();
    scenario.register.extend(
        [
            TransportErrorKind::Connect,
            TransportErrorKind::Io,
            TransportErrorKind::Connect,
        ]
        .map(Answer::Transport),
    );
    let trace = scenario.run();
    assert_eq!(trace.sends(Operation::RegisterClient).len(), 3);
    assert_eq!(
        trace.error(),
        &FlowError::Transport {
            kind: TransportErrorKind::Connect,
            attempts: 3
        }
    );
}

#[test]
fn tls_failures_and_oversized_bodies_are_not_retried() {
    for kind in [TransportErrorKind::Tls, TransportErrorKind::BodyTooLarge] {
        let mut scenario = Scenario::new();
        scenario.authorize.push_back(Answer::Transport(kind));
        let trace = scenario.run();
        assert_eq!(trace.sends(Operation::StartDeviceAuthorization).len(), 1);
        assert_eq!(trace.error(), &FlowError::Transport { kind, attempts: 1 });
    }
}

#[test]
fn a_timeout_while_polling_doubles_the_interval_up_to_the_cap() {
    let mut scenario = Scenario::new();
    scenario.config = |b| b.max_interval(Duration::from_secs(4));
    let timeout = || Answer::Transport(TransportErrorKind::Timeout);
    scenario.token.extend([
        timeout(),
        Answer::pending(),
        timeout(),
        Answer::pending(),
        timeout(),
        Answer::pending(),
        Answer::token(),
    ]);
    let trace = scenario.run();
    // Intervals: 1 -> 2 -> 4 -> 4 (cap). Each wait is max(backoff <= 1 s, interval).
    assert_eq!(trace.poll_seconds(), [1, 3, 5, 9, 13, 17, 21]);
    assert_eq!(trace.flow.interval(), Some(secs(4)));
}

#[test]
fn the_timeout_cap_never_lowers_an_interval_the_service_asked_for() {
    let mut scenario = Scenario::new().authorization(Some(10), 600);
    scenario.config = |b| b.max_interval(Duration::from_secs(4));
    scenario.token.extend([
        Answer::Transport(TransportErrorKind::Timeout),
        Answer::token(),
    ]);
    let trace = scenario.run();
    assert_eq!(trace.poll_seconds(), [10, 20]);
    assert_eq!(trace.flow.interval(), Some(secs(10)));
}

#[test]
fn a_valid_cached_registration_is_reused() {
    let trace = Scenario::new()
        .cached(cached_registration(30 * 86_400))
        .approve()
        .run();
    assert!(trace.sends(Operation::RegisterClient).is_empty());
    let login = trace.login();
    assert!(!login.registration_is_new);
    assert_eq!(login.registration.client_id, "cached-id");
}

#[test]
fn a_cached_registration_expiring_within_15_minutes_is_replaced() {
    for (seconds_left, registers) in [(14 * 60, 1), (15 * 60, 1), (15 * 60 + 1, 0)] {
        let trace = Scenario::new()
            .cached(cached_registration(seconds_left))
            .approve()
            .run();
        assert_eq!(
            trace.sends(Operation::RegisterClient).len(),
            registers,
            "{seconds_left} s left"
        );
        assert_eq!(trace.login().registration_is_new, registers == 1);
    }
}

#[test]
fn invalid_client_on_a_cached_registration_registers_again_once() {
    let mut scenario = Scenario::new()
        .cached(cached_registration(30 * 86_400))
        .approve();
    scenario.authorize.push_back(Answer::invalid_client());
    let trace = scenario.run();
    assert_eq!(
        trace.events[..3],
        [
            Event::Sent(Operation::StartDeviceAuthorization, secs(0)),
            Event::Sent(Operation::RegisterClient, secs(0)),
            Event::Sent(Operation::StartDeviceAuthorization, secs(0)),
        ]
    );
    let login = trace.login();
    assert!(login.registration_is_new);
    assert_eq!(login.registration.client_id, "client-id-1");
}

#[test]
fn invalid_client_while_polling_starts_over_with_a_new_prompt() {
    let trace = Scenario::new()
        .cached(cached_registration(30 * 86_400))
        .pending(1)
        .then(Answer::invalid_client())
        .approve()
        .run();
    assert_eq!(trace.prompts.len(), 2);
    assert_eq!(trace.sends(Operation::RegisterClient), [secs(2)]);
    assert_eq!(trace.poll_seconds(), [1, 2, 3]);
    assert!(trace.outcome.is_ok());
}

#[test]
fn invalid_client_is_final_for_a_fresh_registration_or_the_second_time() {
    // Fresh registration: no retry.
    let mut fresh = Scenario::new();
    fresh.authorize.push_back(Answer::invalid_client());
    let trace = fresh.run();
    assert_eq!(trace.error().code(), Some(&ErrorCode::InvalidClient));
    assert_eq!(trace.sends(Operation::RegisterClient).len(), 1);

    // Cached, then the new one is rejected too: one re-registration only.
    let mut twice = Scenario::new().cached(cached_registration(30 * 86_400));
    twice
        .authorize
        .extend([Answer::invalid_client(), Answer::invalid_client()]);
    let trace = twice.run();
    assert_eq!(trace.error().code(), Some(&ErrorCode::InvalidClient));
    assert_eq!(trace.sends(Operation::RegisterClient).len(), 1);
    assert_eq!(trace.sends(Operation::StartDeviceAuthorization).len(), 2);
}

fn started_flow() -> (DeviceFlow, std::time::Instant) {
    let start = base_instant();
    (Scenario::new().flow(start), start)
}

#[test]
fn polling_while_an_answer_is_owed_is_a_sticky_misuse() {
    let (mut flow, now) = started_flow();
    assert!(matches!(flow.poll(now), Action::Send(_)));
    let misuse = FlowError::Misuse(Misuse::PollWhileAwaitingResponse);
    assert!(matches!(flow.poll(now), Action::Failed(e) if e == misuse));
    // Sticky: a late answer is ignored, and every poll says the same.
    flow.handle_response(http::Response::new(Vec::<u8>::new()), now);
    for _ in 0..3 {
        assert!(matches!(flow.poll(now + secs(9)), Action::Failed(e) if e == misuse));
    }
    assert!(flow.is_finished());
}

#[test]
fn answers_nobody_asked_for_are_misuse() {
    let (mut flow, now) = started_flow();
    flow.handle_response(http::Response::new(b"{}".to_vec()), now);
    assert!(matches!(
        flow.poll(now),
        Action::Failed(FlowError::Misuse(Misuse::UnexpectedResponse))
    ));

    let (mut flow, now) = started_flow();
    flow.handle_transport_error(TransportErrorKind::Io, now);
    assert!(matches!(
        flow.poll(now),
        Action::Failed(FlowError::Misuse(Misuse::UnexpectedTransportError))
    ));

    // A second answer to one request is misuse too.
    let (mut flow, now) = started_flow();
    let Action::Send(_) = flow.poll(now) else {
        panic!("expected a request")
    };
    let answer = || http::Response::new(Vec::<u8>::new());
    flow.handle_transport_error(TransportErrorKind::Io, now);
    flow.handle_response(answer(), now);
    assert!(matches!(
        flow.poll(now),
        Action::Failed(FlowError::Misuse(Misuse::UnexpectedResponse))
    ));
}

#[test]
fn time_never_runs_backwards() {
    let start = base_instant() + secs(3600);
    let mut flow = Scenario::new().flow(start);
    let mut now = start;
    let mut script = Scenario::new().pending(1).approve();
    let mut polls = Vec::new();
    loop {
        match flow.poll(now) {
            Action::Send(request) => {
                let operation = support::operation_of(&request);
                if operation == Operation::CreateToken {
                    polls.push(now - start);
                }
                let answer = match operation {
                    Operation::RegisterClient => Answer::registered(WALL_START + 90 * 86_400),
                    Operation::StartDeviceAuthorization => Answer::authorized(Some(1), 600),
                    _ => script.token.pop_front().unwrap(),
                };
                let response = answer.into_response().unwrap();
                // The answer claims to come an hour before the request: taken as "now".
                flow.handle_response(response, now - secs(3600));
            }
            Action::WaitUntil(t) => {
                // A clock that jumped back asks again: the wait is still the same instant.
                assert!(matches!(flow.poll(now - secs(100)), Action::WaitUntil(u) if u == t));
                now = t;
            }
            Action::Prompt(_) => {}
            Action::Done(_) => break,
            Action::Failed(e) => panic!("{e}"),
        }
    }
    assert_eq!(polls, [secs(1), secs(2)]);
}

#[test]
fn cancel_ends_the_flow_and_later_answers_are_ignored() {
    let (mut flow, now) = started_flow();
    assert!(matches!(flow.poll(now), Action::Send(_)));
    flow.cancel();
    flow.handle_response(http::Response::new(b"{}".to_vec()), now);
    assert!(matches!(
        flow.poll(now),
        Action::Failed(FlowError::Cancelled)
    ));
    assert!(matches!(
        flow.poll(now),
        Action::Failed(FlowError::Cancelled)
    ));
    assert_eq!(
        FlowError::Cancelled.to_string(),
        "the sign-in was cancelled"
    );
}

#[test]
fn done_stays_done() {
    let trace = Scenario::new().approve().run();
    let mut flow = trace.flow;
    let first = trace.outcome.unwrap();
    flow.cancel();
    for _ in 0..2 {
        match flow.poll(trace.start + secs(10_000)) {
            Action::Done(login) => assert_eq!(login, first),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn debug_output_shows_no_secret() {
    let (mut flow, mut now) = started_flow();
    let mut seen = String::new();
    let mut script = Scenario::new().pending(1).approve();
    loop {
        let action = flow.poll(now);
        seen += &format!("{action:?}\n{flow:?}\n");
        match action {
            Action::Send(request) => {
                let operation = support::operation_of(&request);
                let answer = match operation {
                    Operation::RegisterClient => Answer::registered(WALL_START + 90 * 86_400),
                    Operation::StartDeviceAuthorization => Answer::authorized(Some(1), 600),
                    _ => script.token.pop_front().unwrap(),
                };
                flow.handle_response(answer.into_response().unwrap(), now);
            }
            Action::Done(login) => {
                seen += &format!("{login:?}");
                break;
            }
            Action::Failed(e) => panic!("{e}"),
            Action::WaitUntil(t) => now = t,
            Action::Prompt(_) => {}
        }
    }
    assert!(seen.contains("Send"), "{seen}");
    assert!(!seen.contains("LEAK"), "{seen}");
    // Nor the bytes of a request body: "LEAK" is [76, 69, 65, 75].
    assert!(!seen.contains("76, 69, 65, 75"), "{seen}");
}

#[test]
fn a_finished_sign_in_becomes_the_records_aws_sso_login_writes() {
    let trace = Scenario::new().approve().run();
    let login = trace.login();
    let token = CachedToken::from_login(login, "us-east-1");
    assert_eq!(
        String::from_utf8(token.to_json()).unwrap(),
        concat!(
            r#"{"startUrl": "https://d-1234567890.awsapps.com/start", "region": "us-east-1", "#,
            r#""accessToken": "LEAK-access-token", "expiresAt": "2023-11-15T06:13:21Z", "#,
            r#""clientId": "client-id-1", "clientSecret": "LEAK-client-secret", "#,
            r#""registrationExpiresAt": "2024-02-12T22:13:20Z", "refreshToken": "LEAK-refresh-token"}"#
        )
    );
    let scopes = Some(vec!["sso:account:access".to_owned()]);
    let registration = CachedRegistration::from_registration(&login.registration, scopes);
    assert_eq!(
        String::from_utf8(registration.to_json()).unwrap(),
        r#"{"clientId": "client-id-1", "clientSecret": "LEAK-client-secret", "expiresAt": "2024-02-12T22:13:20Z", "scopes": ["sso:account:access"]}"#
    );
    // Read back, the registration is what the next flow starts from.
    let again = CachedRegistration::from_json(&registration.to_json()).unwrap();
    let trace = Scenario::new()
        .cached(again.to_registration())
        .approve()
        .run();
    assert!(trace.sends(Operation::RegisterClient).is_empty());
    assert_eq!(trace.login().registration.client_id, "client-id-1");
}
