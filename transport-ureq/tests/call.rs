//! The operations retried in real time: the core's `Call` decides what to retry and when, the
//! client sends and sleeps; `call_until` stops at a cancel.

use std::time::{Duration, Instant};

use sso_oidc::{
    Attempts, Call, CreateToken, Endpoint, ErrorCode, GrantType, Operation, RegisterClient,
    RetryPolicy, StartDeviceAuthorization, TransportErrorKind,
};
use sso_oidc_emulator::{BlockingEmulator, Config, Fault};
use sso_oidc_ureq::{Cancel, Client, Error};

mod support;
use support::{HANG, START_URL, within};

fn register() -> RegisterClient {
    RegisterClient::builder()
        .client_name("call-test")
        .build()
        .unwrap()
}

/// A client with the default retry policy (standard: 3 attempts) unless told otherwise.
fn client(emulator: &BlockingEmulator, policy: Option<RetryPolicy>) -> Client {
    let builder = Client::builder()
        .endpoint(Endpoint::from_url(emulator.url()).unwrap())
        .no_proxy_from_env();
    match policy {
        Some(policy) => builder.retry_policy(policy),
        None => builder,
    }
    .build()
    .unwrap()
}

/// Retries with no wait between them.
fn eager(max_attempts: u32) -> RetryPolicy {
    RetryPolicy::standard()
        .with_max_attempts(max_attempts)
        .with_backoff(Duration::ZERO, Duration::ZERO)
}

fn count(emulator: &BlockingEmulator, operation: Operation) -> usize {
    emulator
        .log()
        .iter()
        .filter(|r| r.operation == Some(operation))
        .count()
}

#[test]
fn a_500_then_success_is_retried_after_the_backoff() {
    let emulator = BlockingEmulator::start(Config::default()).unwrap();
    emulator.inject(Fault::InternalServerError.once());
    let client = client(&emulator, None);
    let registration = within(HANG, move || client.register_client(&register())).unwrap();
    assert!(!registration.client_id.is_empty());
    let log = emulator.log();
    assert_eq!(log.len(), 2, "retried once");
    // Standard mode waits at most 1 s before the second attempt.
    assert!(log[1].at - log[0].at < Duration::from_secs(2));
}

#[test]
fn a_dropped_connection_is_retried() {
    let emulator = BlockingEmulator::start(Config::default()).unwrap();
    emulator.inject(Fault::DropConnection.once());
    let client = client(&emulator, Some(eager(3)));
    client.register_client(&register()).unwrap();
    assert_eq!(count(&emulator, Operation::RegisterClient), 2);
}

#[test]
fn retries_run_out_and_the_error_says_after_how_many_attempts() {
    let emulator = BlockingEmulator::start(Config::default()).unwrap();
    emulator.inject(Fault::Throttling.times(10));
    let client = client(&emulator, Some(eager(4)));
    let error = client.register_client(&register()).unwrap_err();
    let Error::Api {
        error: last,
        attempts,
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(*attempts, 4);
    assert_eq!(
        last.code(),
        Some(&ErrorCode::Other("ThrottlingException".into()))
    );
    assert!(
        error.to_string().ends_with(" (gave up after 4 attempts)"),
        "{error}"
    );
    assert_eq!(count(&emulator, Operation::RegisterClient), 4);
}

#[test]
fn transport_failures_run_out_too_and_keep_the_last_error() {
    let emulator = BlockingEmulator::start(Config::default()).unwrap();
    emulator.inject(Fault::DropConnection.times(10));
    let client = client(&emulator, Some(eager(2)));
    let error = client.register_client(&register()).unwrap_err();
    let Error::Transport {
        error: last,
        attempts: 2,
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(last.kind(), TransportErrorKind::Io);
    assert!(last.url().ends_with("/client/register"), "{last}");
    assert_eq!(count(&emulator, Operation::RegisterClient), 2);
}

#[test]
fn authorization_pending_is_an_answer_and_is_not_retried() {
    let emulator = BlockingEmulator::start(Config::default()).unwrap();
    let client = client(&emulator, None);
    let registration = client.register_client(&register()).unwrap();
    let start = StartDeviceAuthorization::builder()
        .client_id(&registration.client_id)
        .client_secret(&registration.client_secret)
        .start_url(START_URL)
        .build()
        .unwrap();
    let device = client.start_device_authorization(&start).unwrap();
    let poll = CreateToken::builder()
        .client_id(&registration.client_id)
        .client_secret(&registration.client_secret)
        .grant_type(GrantType::DeviceCode)
        .device_code(&device.device_code)
        .build()
        .unwrap();
    let error = client.create_token(&poll).unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::AuthorizationPending));
    assert_eq!(error.attempts(), Some(1));
    assert_eq!(count(&emulator, Operation::CreateToken), 1);
}

#[test]
fn a_call_of_ones_own_keeps_the_raw_answer() {
    let emulator = BlockingEmulator::start(Config::default()).unwrap();
    emulator.inject(Fault::InternalServerError.once());
    let client = client(&emulator, None);
    let endpoint = client.endpoint().unwrap().clone();
    // A parser that checks the answer as the core's does, and keeps its body.
    let call = Call::new(
        register().to_http(&endpoint),
        |response| {
            let (parts, body) = response.into_parts();
            RegisterClient::parse(http::Response::from_parts(parts, body.as_slice()))?;
            Ok(body)
        },
        eager(2),
        1,
    );
    let body = client.call(call).unwrap();
    assert!(body.starts_with(b"{"), "{body:?}");
    assert_eq!(count(&emulator, Operation::RegisterClient), 2);
}

#[test]
fn call_until_stops_a_wait_between_attempts() {
    let emulator = BlockingEmulator::start(Config::default()).unwrap();
    emulator.inject(Fault::InternalServerError.times(10));
    let client = client(&emulator, None);
    // A minute between attempts: only the cancel ends it early.
    let policy =
        RetryPolicy::standard().with_backoff(Duration::from_secs(60), Duration::from_secs(60));
    // A seed whose first wait is long (full jitter could make it short).
    let seed = 3;
    let first = Attempts::new(policy, seed).retry_after_transport_error(TransportErrorKind::Io);
    assert!(first.unwrap() > Duration::from_secs(5), "{first:?}");
    let call = Call::new(
        register().to_http(client.endpoint().unwrap()),
        RegisterClient::parse,
        policy,
        seed,
    );
    let cancel = Cancel::new();
    let switch = cancel.clone();
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(500));
        switch.cancel();
        Instant::now()
    });
    let outcome = within(HANG, move || client.call_until(call, &cancel));
    let stopped = Instant::now();
    let cancelled_at = canceller.join().unwrap();
    assert!(matches!(outcome, Err(Error::Cancelled)), "{outcome:?}");
    assert!(stopped.saturating_duration_since(cancelled_at) < Duration::from_secs(1));
    assert_eq!(count(&emulator, Operation::RegisterClient), 1);
}

#[test]
fn call_until_stops_a_hung_request() {
    let emulator = BlockingEmulator::start(Config::default()).unwrap();
    emulator.inject(Fault::Hang);
    let client = client(&emulator, None);
    let call = client.settings().call_for(
        register().to_http(client.endpoint().unwrap()),
        RegisterClient::parse,
    );
    let cancel = Cancel::new();
    let switch = cancel.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        switch.cancel();
    });
    let started = Instant::now();
    let outcome = within(HANG, move || client.call_until(call, &cancel));
    assert!(matches!(outcome, Err(Error::Cancelled)), "{outcome:?}");
    // Far below the 60 s read timeout the request would otherwise wait for.
    assert!(started.elapsed() < Duration::from_secs(5));
}
