//! Whole sign-ins over loopback against the emulator, in real time: each ends in a token or the
//! right typed error, without a panic or a hang, and the emulator's log shows polls at least
//! the interval apart and no secret in any URL.

use std::time::{Duration, Instant};

use sso_oidc::{FlowError, Login, Operation, ParseErrorKind, TransportErrorKind};
use sso_oidc_emulator::{BlockingEmulator, Config, Fault};
use sso_oidc_ureq::{Cancel, Client};

mod support;
use support::{HANG, check_log, client, closed_port, flow_config, polls, within};

const SECOND: Duration = Duration::from_secs(1);

/// Signs in with `client` against `url`, counting prompts; fails the test on a hang.
fn sign_in(client: Client, url: &str) -> (Result<Login, FlowError>, u32) {
    let config = flow_config(url);
    within(HANG, move || {
        let mut prompts = 0;
        let result = client.device_login(config, |prompt| {
            assert!(!prompt.user_code.is_empty());
            prompts += 1;
        });
        (result, prompts)
    })
}

fn emulator(config: Config) -> BlockingEmulator {
    BlockingEmulator::start(config).unwrap()
}

fn statuses(emulator: &BlockingEmulator) -> Vec<Option<u16>> {
    polls(emulator)
        .iter()
        .map(|r| r.status.map(|s| s.as_u16()))
        .collect()
}

#[test]
fn approved_after_a_few_polls() {
    let emulator = emulator(Config::default().approve_after_polls(2));
    let started = Instant::now();
    let (result, prompts) = sign_in(client(&emulator), emulator.url());
    let login = result.unwrap();
    assert_eq!(prompts, 1);
    assert!(!login.token.access_token.expose().is_empty());
    assert!(login.token.refresh_token.is_some());
    assert!(login.registration_is_new);
    assert_eq!(statuses(&emulator), [Some(400), Some(400), Some(200)]);
    // First poll one interval after the prompt, then one per interval.
    assert!(started.elapsed() >= 3 * SECOND);
    check_log(&emulator, SECOND);
}

#[test]
fn slow_down_adds_five_seconds_to_the_interval() {
    let emulator = emulator(Config::default().approve_after_polls(0));
    emulator.inject(Fault::SlowDown.on(Operation::CreateToken).once());
    let (result, _) = sign_in(client(&emulator), emulator.url());
    result.unwrap();
    let polls = polls(&emulator);
    assert_eq!(polls.len(), 2);
    assert!(polls[1].at - polls[0].at >= 6 * SECOND);
    check_log(&emulator, SECOND);
}

#[test]
fn denied() {
    let emulator = emulator(Config::default().deny_after_polls(1));
    let (result, prompts) = sign_in(client(&emulator), emulator.url());
    let error = result.unwrap_err();
    assert!(matches!(error, FlowError::Denied(_)), "{error:?}");
    assert_eq!(prompts, 1);
    check_log(&emulator, SECOND);
}

#[test]
fn expired() {
    let emulator = emulator(Config::default().with_expires_in(2 * SECOND));
    let started = Instant::now();
    let (result, _) = sign_in(client(&emulator), emulator.url());
    let error = result.unwrap_err();
    assert!(matches!(error, FlowError::Expired(_)), "{error:?}");
    // Nothing is sent at or after the deadline, and the flow does not linger past it.
    assert!(started.elapsed() < 10 * SECOND);
    check_log(&emulator, SECOND);
}

/// A transient failure on the first poll is retried and the sign-in completes.
fn recovers_from(fault: Fault, expected_status: Option<u16>) {
    let emulator = emulator(Config::default().approve_after_polls(1));
    emulator.inject(fault.clone().on(Operation::CreateToken).once());
    let (result, prompts) = sign_in(client(&emulator), emulator.url());
    if let Err(error) = &result {
        panic!("{fault:?}: {error}");
    }
    assert_eq!(prompts, 1);
    let polls = polls(&emulator);
    assert_eq!(polls[0].fault.as_ref(), Some(&fault));
    assert_eq!(polls[0].status.map(|s| s.as_u16()), expected_status);
    assert_eq!(
        polls.last().unwrap().status.map(|s| s.as_u16()),
        Some(200),
        "{fault:?}"
    );
    check_log(&emulator, SECOND);
}

#[test]
fn a_500_then_success() {
    recovers_from(Fault::InternalServerError, Some(500));
}

#[test]
fn throttling_then_success() {
    recovers_from(Fault::Throttling, Some(400));
}

#[test]
fn an_html_502_then_success() {
    recovers_from(Fault::BadGatewayHtml, Some(502));
}

#[test]
fn a_truncated_body_then_success() {
    recovers_from(Fault::TruncatedBody, Some(400));
}

#[test]
fn a_dropped_connection_then_success() {
    recovers_from(Fault::DropConnection, None);
}

#[test]
fn an_answer_slower_than_the_read_timeout_then_success() {
    let emulator = emulator(Config::default().approve_after_polls(1));
    emulator.inject(Fault::Delay(3 * SECOND).on(Operation::CreateToken).once());
    let client = support::builder(&emulator)
        .read_timeout(SECOND)
        .build()
        .unwrap();
    let (result, _) = sign_in(client, emulator.url());
    result.unwrap();
    let polls = polls(&emulator);
    // The timed-out poll doubles the interval (RFC 8628 3.5): the next comes 2 s later.
    assert!(polls[1].at - polls[0].at >= 2 * SECOND);
    check_log(&emulator, SECOND);
}

#[test]
fn malformed_json_is_a_parse_error() {
    let emulator = emulator(Config::default().approve_after_polls(0));
    emulator.inject(Fault::MalformedJson.on(Operation::CreateToken).once());
    let (result, _) = sign_in(client(&emulator), emulator.url());
    match result.unwrap_err() {
        FlowError::Parse { error, attempts } => {
            assert!(
                matches!(error.kind(), ParseErrorKind::MalformedJson { .. }),
                "{error:?}"
            );
            assert_eq!(attempts, 1);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_50_mib_body_is_too_large() {
    let emulator = emulator(Config::default());
    emulator.inject(Fault::HugeBody(50 << 20).on(Operation::CreateToken).once());
    let started = Instant::now();
    let (result, _) = sign_in(client(&emulator), emulator.url());
    assert_eq!(
        result.unwrap_err(),
        FlowError::Transport {
            kind: TransportErrorKind::BodyTooLarge,
            attempts: 1
        }
    );
    assert!(started.elapsed() < 10 * SECOND);
}

#[test]
fn connection_refused_after_the_retries() {
    let url = format!("http://127.0.0.1:{}", closed_port());
    let client = Client::builder().no_proxy_from_env().build().unwrap();
    let (result, prompts) = sign_in(client, &url);
    assert_eq!(
        result.unwrap_err(),
        FlowError::Transport {
            kind: TransportErrorKind::Connect,
            attempts: 3
        }
    );
    assert_eq!(prompts, 0);
}

/// A sign-in against `emulator`, cancelled from another thread `after` it starts: how it
/// ended, how long it took, and how long after the cancel it stopped.
fn cancelled_after(
    emulator: &BlockingEmulator,
    after: Duration,
) -> (Result<Login, FlowError>, Duration, Duration) {
    let client = client(emulator);
    let config = flow_config(emulator.url());
    let cancel = Cancel::new();
    let switch = cancel.clone();
    let started = Instant::now();
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(after);
        switch.cancel();
        Instant::now()
    });
    let (result, ended) = within(HANG, move || {
        let result = client.device_login_until(config, |_| {}, &cancel);
        (result, Instant::now())
    });
    let cancelled_at = canceller.join().unwrap();
    (
        result,
        ended - started,
        ended.saturating_duration_since(cancelled_at),
    )
}

#[test]
fn cancellation_stops_a_login_promptly() {
    // Nobody approves, and a slow_down on the first poll makes the next wait 6 s: a
    // cancellation in the middle of that wait must not sit it out.
    let emulator = emulator(Config::default());
    emulator.inject(Fault::SlowDown.on(Operation::CreateToken).once());
    let (result, _, late) = cancelled_after(&emulator, 3 * SECOND);
    assert_eq!(result.unwrap_err(), FlowError::Cancelled);
    assert!(late < 2 * SECOND, "stopped {late:?} after cancellation");
    assert_eq!(
        polls(&emulator).len(),
        1,
        "nothing polled after the slow_down"
    );
}

#[test]
fn cancellation_abandons_a_request_under_way() {
    // The first request (RegisterClient) never gets an answer: only the 60 s read timeout
    // would end it.
    let emulator = emulator(Config::default());
    emulator.inject(Fault::Hang.once());
    let (result, took, late) = cancelled_after(&emulator, SECOND / 2);
    assert_eq!(result.unwrap_err(), FlowError::Cancelled);
    assert!(late < 2 * SECOND, "stopped {late:?} after cancellation");
    assert!(took < 10 * SECOND, "did not wait for the read timeout");
    let log = emulator.log();
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0].fault, Some(Fault::Hang), "it was under way");
}

#[test]
fn an_already_cancelled_switch_sends_nothing() {
    let emulator = emulator(Config::default());
    let client = client(&emulator);
    let cancel = Cancel::new();
    cancel.cancel();
    let result = client.device_login_until(flow_config(emulator.url()), |_| {}, &cancel);
    assert_eq!(result.unwrap_err(), FlowError::Cancelled);
    assert!(emulator.log().is_empty());
}
