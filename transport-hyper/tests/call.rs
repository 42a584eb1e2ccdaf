//! The operations retried in real time on the tokio timer: the core's `Call` decides what to
//! retry and when, the client sends and sleeps; `call_until` stops at a cancel.

use std::time::{Duration, Instant};

use sso_oidc::{
    Attempts, Call, CreateToken, Endpoint, ErrorCode, GrantType, Operation, RegisterClient,
    RetryPolicy, StartDeviceAuthorization, TransportErrorKind,
};
use sso_oidc_emulator::{Config, Emulator, Fault};
use sso_oidc_hyper::{Cancel, Client, Error};

mod support;
use support::START_URL;

fn register() -> RegisterClient {
    RegisterClient::builder()
        .client_name("call-test")
        .build()
        .unwrap()
}

/// A client with the default retry policy (standard: 3 attempts) unless told otherwise.
fn client(emulator: &Emulator, policy: Option<RetryPolicy>) -> Client {
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

fn count(emulator: &Emulator, operation: Operation) -> usize {
    emulator
        .log()
        .iter()
        .filter(|r| r.operation == Some(operation))
        .count()
}

#[tokio::test]
async fn a_500_then_success_is_retried_after_the_backoff() {
    let emulator = Emulator::start(Config::default()).await.unwrap();
    emulator.inject(Fault::InternalServerError.once());
    let registration = client(&emulator, None)
        .register_client(&register())
        .await
        .unwrap();
    assert!(!registration.client_id.is_empty());
    let log = emulator.log();
    assert_eq!(log.len(), 2, "retried once");
    // Standard mode waits at most 1 s before the second attempt.
    assert!(log[1].at - log[0].at < Duration::from_secs(2));
}

#[tokio::test]
async fn retries_run_out_and_the_error_says_after_how_many_attempts() {
    let emulator = Emulator::start(Config::default()).await.unwrap();
    emulator.inject(Fault::Throttling.times(10));
    let error = client(&emulator, Some(eager(4)))
        .register_client(&register())
        .await
        .unwrap_err();
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

#[tokio::test]
async fn transport_failures_are_retried_and_run_out_keeping_the_last_error() {
    let emulator = Emulator::start(Config::default()).await.unwrap();
    emulator.inject(Fault::DropConnection.once());
    client(&emulator, Some(eager(3)))
        .register_client(&register())
        .await
        .unwrap();
    assert_eq!(count(&emulator, Operation::RegisterClient), 2);

    let emulator = Emulator::start(Config::default()).await.unwrap();
    emulator.inject(Fault::DropConnection.times(10));
    let error = client(&emulator, Some(eager(2)))
        .register_client(&register())
        .await
        .unwrap_err();
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

#[tokio::test]
async fn authorization_pending_is_an_answer_and_is_not_retried() {
    let emulator = Emulator::start(Config::default()).await.unwrap();
    let client = client(&emulator, None);
    let registration = client.register_client(&register()).await.unwrap();
    let start = StartDeviceAuthorization::builder()
        .client_id(&registration.client_id)
        .client_secret(&registration.client_secret)
        .start_url(START_URL)
        .build()
        .unwrap();
    let device = client.start_device_authorization(&start).await.unwrap();
    let poll = CreateToken::builder()
        .client_id(&registration.client_id)
        .client_secret(&registration.client_secret)
        .grant_type(GrantType::DeviceCode)
        .device_code(&device.device_code)
        .build()
        .unwrap();
    let error = client.create_token(&poll).await.unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::AuthorizationPending));
    assert_eq!(error.attempts(), Some(1));
    assert_eq!(count(&emulator, Operation::CreateToken), 1);
}

#[tokio::test]
async fn call_until_stops_a_wait_between_attempts() {
    let emulator = Emulator::start(Config::default()).await.unwrap();
    emulator.inject(Fault::InternalServerError.times(10));
    let client = client(&emulator, None);
    // A minute between attempts, and a seed whose first wait is long: only the cancel ends
    // it early.
    let policy =
        RetryPolicy::standard().with_backoff(Duration::from_secs(60), Duration::from_secs(60));
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
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(500)).await;
        switch.cancel();
    });
    let started = Instant::now();
    let outcome = client.call_until(call, &cancel).await;
    assert!(matches!(outcome, Err(Error::Cancelled)), "{outcome:?}");
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(count(&emulator, Operation::RegisterClient), 1);
}

#[tokio::test]
async fn call_until_stops_a_hung_request() {
    let emulator = Emulator::start(Config::default()).await.unwrap();
    emulator.inject(Fault::Hang);
    let client = client(&emulator, None);
    let call = client.settings().call_for(
        register().to_http(client.endpoint().unwrap()),
        RegisterClient::parse,
    );
    let cancel = Cancel::new();
    let switch = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        switch.cancel();
    });
    let started = Instant::now();
    let outcome = client.call_until(call, &cancel).await;
    assert!(matches!(outcome, Err(Error::Cancelled)), "{outcome:?}");
    // Far below the 60 s read timeout the request would otherwise wait for.
    assert!(started.elapsed() < Duration::from_secs(5));
}
