//! The emulator on loopback: real sockets, real time, every fault as it looks on the wire.

use std::net::TcpStream;
use std::time::{Duration, Instant, SystemTime};

use sso_oidc::{Action, DeviceFlow, DeviceFlowConfig, Endpoint, Operation};
use sso_oidc_emulator::{BlockingEmulator, Config, Emulator, Fault, MAX_REQUEST_BODY};

mod support;
use support::wire::{End, Timed, exchange, open, read_timed, send};

fn register(emulator: &BlockingEmulator) -> http::Request<Vec<u8>> {
    http::Request::post(format!("{}/client/register", emulator.url()))
        .header("content-type", "application/json")
        .body(br#"{"clientName":"wire","clientType":"public"}"#.to_vec())
        .unwrap()
}

const QUIET: Duration = Duration::from_secs(30);

#[test]
fn the_device_flow_signs_in_over_loopback_in_real_time() {
    let emulator = BlockingEmulator::start(Config::default().approve_after_polls(2)).unwrap();
    let config = DeviceFlowConfig::builder()
        .endpoint(Endpoint::from_url(emulator.url()).unwrap())
        .start_url("https://d-1234567890.awsapps.com/start")
        .build()
        .unwrap();
    let mut flow = DeviceFlow::new(config, Instant::now(), SystemTime::now());
    let login = loop {
        match flow.poll(Instant::now()) {
            Action::Send(request) => {
                let response = send(emulator.addr(), &request);
                flow.handle_response(response, Instant::now());
            }
            Action::WaitUntil(at) => {
                std::thread::sleep(at.saturating_duration_since(Instant::now()))
            }
            Action::Prompt(prompt) => {
                assert!(prompt.verification_uri.starts_with(emulator.url()));
            }
            Action::Done(login) => break login,
            Action::Failed(error) => panic!("{error}"),
        }
    };
    assert!(login.registration_is_new);
    let polls: Vec<_> = emulator
        .log()
        .into_iter()
        .filter(|entry| entry.operation == Some(Operation::CreateToken))
        .collect();
    assert_eq!(polls.len(), 3);
    for pair in polls.windows(2) {
        assert!(
            pair[1].at - pair[0].at >= Duration::from_secs(1),
            "polled too fast"
        );
    }
    assert_eq!(polls[2].status.map(|s| s.as_u16()), Some(200));
    for entry in emulator.log() {
        assert!(!entry.uri.contains('?'), "{}", entry.uri);
        assert!(entry.headers.iter().any(|(k, _)| k == "content-type"));
    }
}

#[test]
fn error_faults_arrive_whole_with_their_status_and_type() {
    let emulator = BlockingEmulator::start(Config::default()).unwrap();
    let cases = [
        (
            Fault::InternalServerError,
            500,
            "application/json",
            "server_error",
        ),
        (
            Fault::ServiceUnavailable,
            503,
            "application/json",
            "Service Unavailable",
        ),
        (Fault::Throttling, 400, "application/json", "Rate exceeded"),
        (
            Fault::BadGatewayHtml,
            502,
            "text/html",
            "<h1>502 Bad Gateway</h1>",
        ),
        (Fault::MalformedJson, 200, "application/json", "oops"),
    ];
    for (fault, status, content_type, text) in cases {
        emulator.inject(fault.clone().once());
        let raw = exchange(emulator.addr(), &register(&emulator), QUIET, usize::MAX);
        assert_eq!(raw.status(), Some(status), "{fault:?}: {raw:?}");
        assert_eq!(raw.header("content-type"), Some(content_type), "{fault:?}");
        assert!(
            String::from_utf8_lossy(&raw.body).contains(text),
            "{fault:?}: {raw:?}"
        );
        assert_eq!(raw.end, End::Closed);
    }
    emulator.inject(Fault::EmptyBody.once());
    let raw = exchange(emulator.addr(), &register(&emulator), QUIET, usize::MAX);
    assert_eq!(raw.status(), Some(200));
    assert_eq!(raw.header("content-length"), Some("0"));
    assert!(raw.body.is_empty());
    // Every fault was spent: the next request is answered as usual.
    let raw = exchange(emulator.addr(), &register(&emulator), QUIET, usize::MAX);
    assert!(String::from_utf8_lossy(&raw.body).contains("clientSecret"));
    let log = emulator.log();
    assert_eq!(log.len(), 7);
    assert_eq!(log[0].fault, Some(Fault::InternalServerError));
    assert_eq!(log[6].fault, None);
}

#[test]
fn a_truncated_body_stops_short_of_its_content_length() {
    let emulator = BlockingEmulator::start(Config::default()).unwrap();
    emulator.inject(Fault::TruncatedBody);
    let raw = exchange(emulator.addr(), &register(&emulator), QUIET, usize::MAX);
    assert_eq!(raw.status(), Some(200));
    let promised: u64 = raw.header("content-length").unwrap().parse().unwrap();
    assert_eq!(raw.body_len, promised / 2, "{raw:?}");
    assert_eq!(raw.end, End::Closed);
}

#[test]
fn a_huge_body_is_streamed_in_full() {
    let emulator = BlockingEmulator::start(Config::default()).unwrap();
    let len = 50 << 20;
    emulator.inject(Fault::HugeBody(len).on(Operation::RegisterClient));
    let raw = exchange(emulator.addr(), &register(&emulator), QUIET, 16);
    assert_eq!(raw.status(), Some(200));
    assert_eq!(raw.header("content-length"), Some("52428800"));
    assert_eq!(raw.body_len, len);
    assert_eq!(raw.body, br#"{"padding":"xxxx"#);
}

#[test]
fn a_delayed_answer_comes_late_and_a_hanging_one_never() {
    let emulator = BlockingEmulator::start(Config::default()).unwrap();
    emulator.inject(Fault::Delay(Duration::from_secs(1)).once());
    let sent = Instant::now();
    let raw = exchange(emulator.addr(), &register(&emulator), QUIET, usize::MAX);
    assert!(sent.elapsed() >= Duration::from_secs(1));
    assert_eq!(raw.status(), Some(200));

    emulator.inject(Fault::Hang.once());
    let raw = exchange(
        emulator.addr(),
        &register(&emulator),
        Duration::from_secs(1),
        usize::MAX,
    );
    assert_eq!(raw.end, End::Silent);
    assert!(raw.head.is_empty(), "{raw:?}");
    assert_eq!(emulator.log().last().unwrap().status, None);
}

#[test]
fn a_dripping_body_comes_a_byte_at_a_time_after_a_prompt_head() {
    let emulator = BlockingEmulator::start(Config::default()).unwrap();

    // 200 ms a byte: a second and a half in, the head and a few bytes, far from the body.
    let every = Duration::from_millis(200);
    emulator.inject(Fault::Drip(every).once());
    let sent = Instant::now();
    let mut stream = open(emulator.addr(), &register(&emulator));
    let slow = read_timed(&mut stream, sent, sent + Duration::from_millis(1500));
    drop(stream);
    assert_eq!(slow.status(), Some(200), "{slow:?}");
    let promised: usize = slow.header("content-length").unwrap().parse().unwrap();
    assert!(promised > 100, "{slow:?}");
    assert!(slow.head_at.unwrap() < Duration::from_secs(1), "{slow:?}");
    // Some bytes came before the last pause ended: hyper flushed each one as it came.
    assert!((1..=7).contains(&slow.body.len()), "{slow:?}");
    assert!(!slow.closed, "{slow:?}");
    paced(&slow, every);

    // 5 ms a byte: the whole answer, intact, and no sooner than all its pauses.
    let every = Duration::from_millis(5);
    emulator.inject(Fault::Drip(every).once());
    let sent = Instant::now();
    let mut stream = open(emulator.addr(), &register(&emulator));
    let fast = read_timed(&mut stream, sent, sent + QUIET);
    assert!(fast.closed, "{fast:?}");
    let promised: usize = fast.header("content-length").unwrap().parse().unwrap();
    assert_eq!(fast.body.len(), promised, "{fast:?}");
    let body: serde_json::Value = serde_json::from_slice(&fast.body).unwrap();
    assert!(body["clientSecret"].is_string(), "{body}");
    paced(&fast, every);

    let log = emulator.log();
    assert_eq!(log.len(), 2);
    assert_eq!(log[1].fault, Some(Fault::Drip(every)));
    assert_eq!(log[1].status.map(|s| s.as_u16()), Some(200));
}

/// Each body byte came no sooner than its pauses allow: byte `i` after `i + 1` of them, counted
/// from when the request went out (a millisecond spared for the timer's rounding).
fn paced(timed: &Timed, every: Duration) {
    for (i, &at) in timed.body_at.iter().enumerate() {
        let pauses = every * (i as u32 + 1);
        assert!(
            at + Duration::from_millis(1) >= pauses,
            "byte {i} came {at:?} after the request, before {pauses:?} of pauses: {timed:?}"
        );
    }
}

#[test]
fn a_dropped_connection_closes_without_a_byte() {
    let emulator = BlockingEmulator::start(Config::default()).unwrap();
    emulator.inject(Fault::DropConnection.on(Operation::RegisterClient).once());
    let raw = exchange(emulator.addr(), &register(&emulator), QUIET, usize::MAX);
    assert_eq!(raw.end, End::Closed);
    assert!(raw.head.is_empty(), "{raw:?}");
    assert_eq!(raw.body_len, 0);
}

#[test]
fn oversized_requests_get_413() {
    let emulator = BlockingEmulator::start(Config::default()).unwrap();
    let request = http::Request::post(format!("{}/client/register", emulator.url()))
        .body(vec![b' '; MAX_REQUEST_BODY + 1])
        .unwrap();
    let raw = exchange(emulator.addr(), &request, QUIET, usize::MAX);
    assert_eq!(raw.status(), Some(413));
    assert_eq!(raw.header("content-type"), Some("application/json"));
    assert_eq!(raw.header("x-amzn-requestid").map(str::len), Some(36));
}

#[test]
fn the_verification_page_is_served() {
    let emulator = BlockingEmulator::start(Config::default()).unwrap();
    let request = http::Request::get(format!("{}/device", emulator.url()))
        .body(Vec::new())
        .unwrap();
    let raw = exchange(emulator.addr(), &request, QUIET, usize::MAX);
    assert_eq!(raw.status(), Some(200));
    assert_eq!(raw.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(String::from_utf8_lossy(&raw.body).contains("<form"));
}

#[test]
fn dropping_the_blocking_emulator_closes_its_port_and_connections() {
    let emulator = BlockingEmulator::start(Config::default()).unwrap();
    let addr = emulator.addr();
    emulator.inject(Fault::Hang);
    let mut hanging = TcpStream::connect(addr).unwrap();
    std::io::Write::write_all(
        &mut hanging,
        b"POST /token HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\n\r\n{}",
    )
    .unwrap();
    // Wait until the emulator has the request, so that it is hanging for real.
    while emulator.log().is_empty() {
        std::thread::sleep(Duration::from_millis(10));
    }
    drop(emulator);
    assert!(TcpStream::connect(addr).is_err(), "still listening");
    hanging.set_read_timeout(Some(QUIET)).unwrap();
    let mut byte = [0];
    let read = std::io::Read::read(&mut hanging, &mut byte);
    assert!(matches!(read, Ok(0) | Err(_)), "{read:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_async_emulator_serves_and_shuts_down() {
    let emulator = Emulator::start(Config::default()).await.unwrap();
    let addr = emulator.addr();
    let url = emulator.url().to_owned();
    let response = tokio::task::spawn_blocking(move || {
        let request = http::Request::post(format!("{url}/client/register"))
            .body(br#"{"clientName":"a","clientType":"public"}"#.to_vec())
            .unwrap();
        send(addr, &request)
    })
    .await
    .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(emulator.log().len(), 1);
    emulator.shutdown().await;
    assert!(TcpStream::connect(addr).is_err(), "still listening");
}

#[test]
fn a_fixed_wall_clock_and_a_seed_make_every_answer_the_same_on_every_run() {
    let new_year = SystemTime::UNIX_EPOCH + Duration::from_secs(1_767_225_600);
    let config = Config::default()
        .with_seed(1)
        .with_fixed_wall_clock(new_year);
    let answers: Vec<(Option<String>, serde_json::Value)> = (0..2)
        .map(|_| {
            let emulator = BlockingEmulator::start(config.clone()).unwrap();
            let response = send(emulator.addr(), &register(&emulator));
            assert_eq!(response.status(), 200);
            let request_id = response
                .headers()
                .get("x-amzn-requestid")
                .map(|id| id.to_str().unwrap().to_owned());
            (request_id, serde_json::from_slice(response.body()).unwrap())
        })
        .collect();
    assert_eq!(answers[0], answers[1]);
    let (request_id, client) = &answers[0];
    assert!(request_id.is_some());
    assert_eq!(client["clientIdIssuedAt"], 1_767_225_600);
    assert_eq!(client["clientSecretExpiresAt"], 1_767_225_600 + 90 * 86_400);
}

#[test]
fn a_fixed_wall_clock_also_decides_when_a_client_secret_expires() {
    let long_ago = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    let emulator = BlockingEmulator::start(
        Config::default()
            .with_fixed_wall_clock(long_ago)
            .with_client_secret_lifetime(Duration::from_secs(60)),
    )
    .unwrap();
    let client: serde_json::Value =
        serde_json::from_slice(send(emulator.addr(), &register(&emulator)).body()).unwrap();
    assert_eq!(client["clientSecretExpiresAt"], 1_000_000_060);
    let start = |emulator: &BlockingEmulator| {
        http::Request::post(format!("{}/device_authorization", emulator.url()))
            .body(
                serde_json::json!({
                    "clientId": client["clientId"],
                    "clientSecret": client["clientSecret"],
                    "startUrl": "https://d-1234567890.awsapps.com/start",
                })
                .to_string()
                .into_bytes(),
            )
            .unwrap()
    };
    // The real clock is decades past the secret's expiry; the emulator's stands still.
    assert_eq!(send(emulator.addr(), &start(&emulator)).status(), 200);
    emulator.configure(|config| {
        config.fixed_wall_clock = Some(long_ago + Duration::from_secs(60));
    });
    let expired = send(emulator.addr(), &start(&emulator));
    assert_eq!(expired.status(), 401);
    assert!(
        String::from_utf8_lossy(expired.body()).contains("Client secret has expired"),
        "{expired:?}"
    );
}

#[test]
fn the_index_is_served_over_loopback() {
    let emulator = BlockingEmulator::start(Config::default()).unwrap();
    let index = http::Request::get(format!("{}/", emulator.url()))
        .body(Vec::new())
        .unwrap();
    let raw = exchange(emulator.addr(), &index, QUIET, usize::MAX);
    assert_eq!(raw.status(), Some(200), "{raw:?}");
    assert_eq!(raw.header("content-type"), Some("text/html; charset=utf-8"));
    let html = String::from_utf8(raw.body).unwrap();
    assert!(html.contains("href=\"/device\""), "{html}");
    assert!(
        html.contains(&format!("--endpoint-url {} ", emulator.url())),
        "{html}"
    );

    let nope = http::Request::get(format!("{}/nope", emulator.url()))
        .body(Vec::new())
        .unwrap();
    let raw = exchange(emulator.addr(), &nope, QUIET, usize::MAX);
    assert_eq!(raw.status(), Some(404), "{raw:?}");
    assert_eq!(raw.body, br#"{"message":null}"#);
}
