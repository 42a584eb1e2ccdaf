//! `Client::device_login` against the emulator in real time: each scenario ends in a token or
//! the right typed error, without a panic or a hang, and the log shows a polite client.

use std::time::{Duration, Instant};

use sso_oidc::{FlowError, Operation, ParseErrorKind, TransportErrorKind};
use sso_oidc_emulator::{Config, Emulator, Fault};
use sso_oidc_hyper::Cancel;

mod support;
use support::{assert_polite, builder, client, flow, polls, refused_url};

const INTERVAL: Duration = Duration::from_secs(1);

/// Nothing here should take longer than this.
const GENEROUS: Duration = Duration::from_secs(30);

#[tokio::test]
async fn signs_in_once_approved_after_a_few_polls() {
    let emulator = Emulator::start(Config::default().approve_after_polls(2))
        .await
        .unwrap();
    let mut prompts = Vec::new();
    let login = client(emulator.url())
        .device_login(flow(emulator.url()), |prompt| prompts.push(prompt.clone()))
        .await
        .unwrap();
    assert!(!login.token.access_token.expose().is_empty());
    assert!(login.registration_is_new);
    assert_eq!(prompts.len(), 1);
    assert!(prompts[0].link().starts_with(emulator.url()));
    let log = emulator.log();
    assert_eq!(polls(&log).len(), 3);
    assert_polite(&log, INTERVAL);
}

#[tokio::test]
async fn slow_down_adds_five_seconds_to_the_interval() {
    let emulator = Emulator::start(Config::default().approve_after_polls(0))
        .await
        .unwrap();
    emulator.inject(Fault::SlowDown.on(Operation::CreateToken).once());
    let login = client(emulator.url())
        .device_login(flow(emulator.url()), |_| {})
        .await;
    assert!(login.is_ok(), "{login:?}");
    let log = emulator.log();
    let polls = polls(&log);
    assert_eq!(polls.len(), 2, "{polls:?}");
    assert!(polls[1].at - polls[0].at >= INTERVAL + Duration::from_secs(5));
    assert_polite(&log, INTERVAL);
}

#[tokio::test]
async fn a_denial_ends_the_flow() {
    let emulator = Emulator::start(Config::default().deny_after_polls(1))
        .await
        .unwrap();
    let error = client(emulator.url())
        .device_login(flow(emulator.url()), |_| {})
        .await
        .unwrap_err();
    assert!(matches!(error, FlowError::Denied(_)), "{error:?}");
    assert_polite(&emulator.log(), INTERVAL);
}

#[tokio::test]
async fn an_expired_code_ends_the_flow() {
    let emulator = Emulator::start(Config::default().with_expires_in(Duration::from_secs(2)))
        .await
        .unwrap();
    let started = Instant::now();
    let error = client(emulator.url())
        .device_login(flow(emulator.url()), |_| {})
        .await
        .unwrap_err();
    assert!(matches!(error, FlowError::Expired(_)), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_polite(&emulator.log(), INTERVAL);
}

#[tokio::test]
async fn a_500_then_success() {
    let emulator = Emulator::start(Config::default().approve_after_polls(1))
        .await
        .unwrap();
    emulator.inject(Fault::InternalServerError.on(Operation::CreateToken).once());
    let login = client(emulator.url())
        .device_login(flow(emulator.url()), |_| {})
        .await;
    assert!(login.is_ok(), "{login:?}");
    let log = emulator.log();
    assert_eq!(polls(&log)[0].status.map(|s| s.as_u16()), Some(500));
    assert_polite(&log, INTERVAL);
}

#[tokio::test]
async fn throttling_then_success() {
    let emulator = Emulator::start(Config::default().approve_after_polls(1))
        .await
        .unwrap();
    emulator.inject(
        Fault::Throttling
            .on(Operation::StartDeviceAuthorization)
            .once(),
    );
    emulator.inject(Fault::Throttling.on(Operation::CreateToken).once());
    let login = client(emulator.url())
        .device_login(flow(emulator.url()), |_| {})
        .await;
    assert!(login.is_ok(), "{login:?}");
    let log = emulator.log();
    assert_eq!(
        log.iter()
            .filter(|r| r.fault == Some(Fault::Throttling))
            .count(),
        2
    );
    assert_polite(&log, INTERVAL);
}

#[tokio::test]
async fn an_html_502_is_retried_then_reported_as_a_parse_error() {
    let emulator = Emulator::start(Config::default().approve_after_polls(1))
        .await
        .unwrap();
    emulator.inject(Fault::BadGatewayHtml.on(Operation::RegisterClient).once());
    let login = client(emulator.url())
        .device_login(flow(emulator.url()), |_| {})
        .await;
    assert!(login.is_ok(), "one 502 is retried: {login:?}");

    emulator.inject(Fault::BadGatewayHtml.on(Operation::RegisterClient));
    let error = client(emulator.url())
        .device_login(flow(emulator.url()), |_| {})
        .await
        .unwrap_err();
    let FlowError::Parse { error, attempts } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(*attempts, 3);
    assert_eq!(error.status(), 502);
    assert!(error.content_type().unwrap().starts_with("text/html"));
}

#[tokio::test]
async fn malformed_json_is_a_parse_error() {
    let emulator = Emulator::start(Config::default()).await.unwrap();
    emulator.inject(Fault::MalformedJson.on(Operation::RegisterClient));
    let error = client(emulator.url())
        .device_login(flow(emulator.url()), |_| {})
        .await
        .unwrap_err();
    let FlowError::Parse { error, attempts } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(*attempts, 1, "a 200 that is not JSON is not retried");
    assert!(
        matches!(error.kind(), ParseErrorKind::MalformedJson { .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_truncated_body_is_retried() {
    let emulator = Emulator::start(Config::default().approve_after_polls(1))
        .await
        .unwrap();
    emulator.inject(Fault::TruncatedBody.on(Operation::RegisterClient).once());
    let login = client(emulator.url())
        .device_login(flow(emulator.url()), |_| {})
        .await;
    assert!(login.is_ok(), "{login:?}");
    let registrations = emulator
        .log()
        .iter()
        .filter(|r| r.operation == Some(Operation::RegisterClient))
        .count();
    assert_eq!(registrations, 2);
}

#[tokio::test]
async fn a_50_mib_body_ends_the_flow_without_being_read() {
    let emulator = Emulator::start(Config::default()).await.unwrap();
    emulator.inject(Fault::HugeBody(50 << 20).on(Operation::RegisterClient));
    let error = client(emulator.url())
        .device_login(flow(emulator.url()), |_| {})
        .await
        .unwrap_err();
    assert_eq!(
        error,
        FlowError::Transport {
            kind: TransportErrorKind::BodyTooLarge,
            attempts: 1
        }
    );
}

#[tokio::test]
async fn an_answer_slower_than_the_read_timeout_is_retried() {
    let emulator = Emulator::start(Config::default().approve_after_polls(2))
        .await
        .unwrap();
    // The first poll is answered (pending) too late; the flow waits longer and polls again.
    emulator.inject(
        Fault::Delay(Duration::from_secs(3))
            .on(Operation::CreateToken)
            .once(),
    );
    let client = builder(emulator.url())
        .read_timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    let login = client.device_login(flow(emulator.url()), |_| {}).await;
    assert!(login.is_ok(), "{login:?}");
    assert_polite(&emulator.log(), INTERVAL);
}

#[tokio::test]
async fn a_dropped_connection_is_retried() {
    let emulator = Emulator::start(Config::default().approve_after_polls(1))
        .await
        .unwrap();
    emulator.inject(Fault::DropConnection.on(Operation::CreateToken).once());
    let login = client(emulator.url())
        .device_login(flow(emulator.url()), |_| {})
        .await;
    assert!(login.is_ok(), "{login:?}");
    let log = emulator.log();
    assert_eq!(polls(&log)[0].status, None);
    assert_polite(&log, INTERVAL);
}

#[tokio::test]
async fn a_refused_connection_ends_the_flow_after_the_retries() {
    let url = refused_url();
    let started = Instant::now();
    let error = client(&url)
        .device_login(flow(&url), |_| {})
        .await
        .unwrap_err();
    assert_eq!(
        error,
        FlowError::Transport {
            kind: TransportErrorKind::Connect,
            attempts: 3
        }
    );
    assert!(started.elapsed() < GENEROUS);
}

#[tokio::test]
async fn cancelling_stops_the_flow_promptly() {
    // Nobody approves: without cancelling, this would poll for ten minutes.
    let emulator = Emulator::start(Config::default()).await.unwrap();
    let client = client(emulator.url());
    let started = Instant::now();
    let cancel = Cancel::new();
    let switch = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(1500)).await;
        switch.cancel();
    });
    let error = client
        .device_login_until(flow(emulator.url()), |_| {}, &cancel)
        .await
        .unwrap_err();
    assert_eq!(error, FlowError::Cancelled);
    let took = started.elapsed();
    assert!(took < Duration::from_millis(2500), "{took:?}");
    let requests = emulator.log().len();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        emulator.log().len(),
        requests,
        "nothing is sent after cancelling"
    );
}

#[tokio::test]
async fn cancelling_abandons_a_request_under_way() {
    let emulator = Emulator::start(Config::default()).await.unwrap();
    emulator.inject(Fault::Hang.on(Operation::CreateToken));
    let client = client(emulator.url());
    let cancel = Cancel::new();
    let switch = cancel.clone();
    let login = tokio::spawn(async move {
        client
            .device_login_until(flow(emulator.url()), |_| {}, &switch)
            .await
    });
    // The prompt comes at once, the first poll one interval later, and it hangs.
    tokio::time::sleep(Duration::from_millis(2000)).await;
    let cancelled_at = Instant::now();
    cancel.cancel();
    let error = login.await.unwrap().unwrap_err();
    assert_eq!(error, FlowError::Cancelled);
    assert!(cancelled_at.elapsed() < Duration::from_millis(500));
}

#[tokio::test]
async fn dropping_the_future_stops_the_flow() {
    let emulator = Emulator::start(Config::default()).await.unwrap();
    let client = client(emulator.url());
    let login = client.device_login(flow(emulator.url()), |_| {});
    let outcome = tokio::time::timeout(Duration::from_millis(2500), login).await;
    assert!(outcome.is_err(), "nobody approved");
    let requests = emulator.log().len();
    assert!(!polls(&emulator.log()).is_empty());
    tokio::time::sleep(Duration::from_millis(2000)).await;
    assert_eq!(
        emulator.log().len(),
        requests,
        "nothing is sent once dropped"
    );
}
