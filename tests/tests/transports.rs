//! One scenario table, run through every transport against the emulator over loopback: each
//! sign-in (or single operation) ends in the right token or typed error, with no panic and no
//! hang, and the emulator's log shows how the client behaved (poll spacing, slow_down,
//! retries, URLs).

use std::time::{Duration, Instant};

use sso_oidc::{Action, DeviceFlow, MAX_RESPONSE_BODY};
use sso_oidc::{
    ClientRegistration, DeviceFlowConfig, Endpoint, FlowError, Login, Operation, RetryPolicy,
    TransportErrorKind,
};
use sso_oidc_emulator::{
    BlockingEmulator, Config, Fault, Injection, LoggedRequest, Reply, ReplyBody, Service, TestCa,
};
use sso_oidc_transport::{Cancel, Error};

/// How a client is set up for one scenario.
#[derive(Clone, Debug, Default)]
struct Setup {
    /// The read timeout, when not the default 60 s.
    read_timeout: Option<Duration>,
    /// An extra CA (PEM) to trust.
    ca_pem: Option<String>,
    /// A proxy for every request.
    proxy: Option<String>,
    /// Whether server certificates go unchecked.
    insecure: bool,
    /// How the operations retry, when not the default (standard: 3 attempts).
    retry: Option<RetryPolicy>,
}

/// A transport under test: a whole sign-in with real time, and one RegisterClient (retried as
/// the client's policy says).
trait Transport {
    fn login(setup: &Setup, config: DeviceFlowConfig) -> Result<Login, FlowError>;
    /// The sign-in, stopped when `cancel` is cancelled.
    fn login_until(
        setup: &Setup,
        config: DeviceFlowConfig,
        cancel: &Cancel,
    ) -> Result<Login, FlowError>;
    /// The operation method `register_client` at `endpoint`.
    fn register_client(setup: &Setup, endpoint: Endpoint) -> Result<ClientRegistration, Error>;

    /// RegisterClient at `endpoint`; the error's kind and message when it fails.
    fn register(setup: &Setup, endpoint: Endpoint) -> Result<(), Failure> {
        Self::register_client(setup, endpoint)
            .map(drop)
            .map_err(|e| (e.transport_kind(), e.to_string()))
    }
}

/// How a single request failed: the transport's kind (`None` for the service's refusal) and
/// the message.
type Failure = (Option<TransportErrorKind>, String);

fn register_client() -> sso_oidc::RegisterClient {
    sso_oidc::RegisterClient::builder()
        .client_name("transports")
        .build()
        .unwrap()
}

/// A client of transport crate `$krate` set up as `$setup` says: the two crates' builders have
/// the same methods but no common trait.
macro_rules! client {
    ($krate:ident, $setup:expr, $endpoint:expr) => {{
        let mut builder = $krate::Client::builder();
        if let Some(endpoint) = $endpoint {
            builder = builder.endpoint(endpoint);
        }
        if let Some(timeout) = $setup.read_timeout {
            builder = builder.read_timeout(timeout);
        }
        if let Some(pem) = &$setup.ca_pem {
            builder = builder.ca_pem(pem.as_bytes().to_vec());
        }
        if let Some(proxy) = &$setup.proxy {
            builder = builder.proxy(proxy.clone());
        }
        if $setup.insecure {
            builder = builder.danger_accept_invalid_certs(true);
        }
        if let Some(policy) = $setup.retry {
            builder = builder.retry_policy(policy);
        }
        builder.build().expect("a client")
    }};
}

struct Ureq;

impl Ureq {
    fn client(setup: &Setup, endpoint: Option<Endpoint>) -> sso_oidc_ureq::Client {
        client!(sso_oidc_ureq, setup, endpoint)
    }
}

impl Transport for Ureq {
    fn login(setup: &Setup, config: DeviceFlowConfig) -> Result<Login, FlowError> {
        Self::client(setup, None).device_login(config, |_| {})
    }

    fn login_until(
        setup: &Setup,
        config: DeviceFlowConfig,
        cancel: &Cancel,
    ) -> Result<Login, FlowError> {
        Self::client(setup, None).device_login_until(config, |_| {}, cancel)
    }

    fn register_client(setup: &Setup, endpoint: Endpoint) -> Result<ClientRegistration, Error> {
        Self::client(setup, Some(endpoint)).register_client(&register_client())
    }
}

/// Where the client is pointed.
enum Target {
    /// The emulator over HTTP.
    Plain,
    /// The emulator over HTTPS with a test CA; `trusted` says whether the client gets the CA.
    Tls { trusted: bool },
    /// A port nobody listens on.
    Refused,
    /// A host name that does not resolve (`.invalid`, RFC 6761), as a typo'd region.
    Unresolvable,
    /// An `https` URL for the emulator serving plain HTTP.
    PlainOnHttps,
}

/// What a scenario runs: a whole sign-in, or one operation method.
#[derive(Clone, Copy, Debug)]
enum Exchange {
    SignIn,
    /// `register_client`: one call, retried as the client's policy says.
    RegisterClient,
}

/// What a sign-in or an operation must end in.
#[derive(Debug)]
enum Expect {
    Token,
    Denied,
    Expired,
    Parse,
    Transport(TransportErrorKind),
    /// An operation's output.
    Registered,
    /// An operation's service error, after this many attempts.
    Service {
        attempts: u32,
    },
}

struct Scenario {
    exchange: Exchange,
    config: Config,
    /// Faults the emulator injects.
    faults: Vec<Injection>,
    setup: Setup,
    target: Target,
    expect: Expect,
    /// Extra checks on the emulator's log.
    check: fn(&[LoggedRequest]),
    /// Whether to check that the process's peak memory stays put.
    measure_memory: bool,
}

impl Scenario {
    fn new(expect: Expect) -> Self {
        Self {
            exchange: Exchange::SignIn,
            config: Config::default().approve_after_polls(2),
            faults: Vec::new(),
            setup: Setup::default(),
            target: Target::Plain,
            expect,
            check: |_| {},
            measure_memory: false,
        }
    }
}

/// The scenarios, by name; each becomes one test per transport.
mod scenario {
    use super::*;

    pub(super) fn approved_after_two_polls() -> Scenario {
        Scenario {
            check: |log| assert_eq!(polls(log).len(), 3),
            ..Scenario::new(Expect::Token)
        }
    }

    pub(super) fn slow_down_adds_five_seconds_each_time() -> Scenario {
        Scenario {
            // The two slow_down answers, then the token.
            config: Config::default().approve_after_polls(0),
            faults: vec![Fault::SlowDown.on(Operation::CreateToken).times(2)],
            check: |log| {
                let gaps: Vec<Duration> =
                    polls(log).windows(2).map(|p| p[1].at - p[0].at).collect();
                assert_eq!(gaps.len(), 2, "{gaps:?}");
                // The interval is 1 s: 6 s after the first slow_down, 11 s after the second.
                assert!(gaps[0] >= Duration::from_secs(6), "{gaps:?}");
                assert!(gaps[1] >= Duration::from_secs(11), "{gaps:?}");
            },
            ..Scenario::new(Expect::Token)
        }
    }

    pub(super) fn denied() -> Scenario {
        Scenario {
            config: Config::default().deny_after_polls(1),
            ..Scenario::new(Expect::Denied)
        }
    }

    pub(super) fn expired() -> Scenario {
        Scenario {
            config: Config::default().with_expires_in(Duration::from_secs(2)),
            ..Scenario::new(Expect::Expired)
        }
    }

    pub(super) fn internal_error_then_success() -> Scenario {
        Scenario {
            faults: vec![
                Fault::InternalServerError
                    .on(Operation::StartDeviceAuthorization)
                    .once(),
            ],
            check: |log| {
                let starts: Vec<_> = log
                    .iter()
                    .filter(|e| e.operation == Some(Operation::StartDeviceAuthorization))
                    .collect();
                assert_eq!(starts.len(), 2, "retried once");
                // Standard mode's first backoff is at most 1 s (full jitter below it).
                assert!(starts[1].at - starts[0].at <= Duration::from_secs(5));
            },
            ..Scenario::new(Expect::Token)
        }
    }

    pub(super) fn throttling_then_success() -> Scenario {
        Scenario {
            faults: vec![Fault::Throttling.on(Operation::RegisterClient).times(2)],
            check: |log| assert_eq!(count(log, Operation::RegisterClient), 3),
            ..Scenario::new(Expect::Token)
        }
    }

    pub(super) fn html_bad_gateway_then_success() -> Scenario {
        Scenario {
            faults: vec![Fault::BadGatewayHtml.on(Operation::CreateToken).once()],
            ..Scenario::new(Expect::Token)
        }
    }

    pub(super) fn malformed_json_is_a_parse_error() -> Scenario {
        Scenario {
            faults: vec![Fault::MalformedJson.on(Operation::StartDeviceAuthorization)],
            // A 2xx that cannot be read is not retried: the request may have taken effect.
            check: |log| assert_eq!(count(log, Operation::StartDeviceAuthorization), 1),
            ..Scenario::new(Expect::Parse)
        }
    }

    pub(super) fn truncated_body_is_retried() -> Scenario {
        Scenario {
            faults: vec![Fault::TruncatedBody.on(Operation::RegisterClient).once()],
            check: |log| assert_eq!(count(log, Operation::RegisterClient), 2),
            ..Scenario::new(Expect::Token)
        }
    }

    pub(super) fn huge_body_is_refused_unread() -> Scenario {
        Scenario {
            faults: vec![Fault::HugeBody(50 << 20).on(Operation::StartDeviceAuthorization)],
            check: |log| assert_eq!(count(log, Operation::StartDeviceAuthorization), 1),
            measure_memory: true,
            ..Scenario::new(Expect::Transport(TransportErrorKind::BodyTooLarge))
        }
    }

    pub(super) fn slower_than_the_read_timeout_is_retried() -> Scenario {
        Scenario {
            faults: vec![
                Fault::Delay(Duration::from_secs(4))
                    .on(Operation::RegisterClient)
                    .once(),
            ],
            setup: Setup {
                read_timeout: Some(Duration::from_secs(1)),
                ..Setup::default()
            },
            check: |log| assert_eq!(count(log, Operation::RegisterClient), 2),
            ..Scenario::new(Expect::Token)
        }
    }

    pub(super) fn dripping_body_times_out_and_is_retried() -> Scenario {
        Scenario {
            // A byte every 300 ms: the registration would take a minute to arrive.
            faults: vec![
                Fault::Drip(Duration::from_millis(300))
                    .on(Operation::RegisterClient)
                    .once(),
            ],
            setup: Setup {
                read_timeout: Some(Duration::from_secs(1)),
                ..Setup::default()
            },
            check: |log| {
                let registers: Vec<_> = log
                    .iter()
                    .filter(|e| e.operation == Some(Operation::RegisterClient))
                    .collect();
                assert_eq!(registers.len(), 2, "retried once");
                // One read timeout (1 s) and a backoff (at most 1 s), not the whole drip.
                assert!(registers[1].at - registers[0].at < Duration::from_secs(5));
            },
            ..Scenario::new(Expect::Token)
        }
    }

    pub(super) fn dropped_connection_is_retried() -> Scenario {
        Scenario {
            faults: vec![Fault::DropConnection.on(Operation::CreateToken).once()],
            ..Scenario::new(Expect::Token)
        }
    }

    pub(super) fn connection_refused() -> Scenario {
        Scenario {
            target: Target::Refused,
            ..Scenario::new(Expect::Transport(TransportErrorKind::Connect))
        }
    }

    pub(super) fn unresolvable_host() -> Scenario {
        Scenario {
            target: Target::Unresolvable,
            ..Scenario::new(Expect::Transport(TransportErrorKind::Connect))
        }
    }

    pub(super) fn plain_server_on_an_https_url() -> Scenario {
        Scenario {
            target: Target::PlainOnHttps,
            check: |log| assert!(log.is_empty(), "no request got through"),
            ..Scenario::new(Expect::Transport(TransportErrorKind::Tls))
        }
    }

    pub(super) fn tls_with_the_ca_bundle() -> Scenario {
        Scenario {
            target: Target::Tls { trusted: true },
            ..Scenario::new(Expect::Token)
        }
    }

    pub(super) fn tls_unchecked_when_insecure() -> Scenario {
        Scenario {
            target: Target::Tls { trusted: false },
            setup: Setup {
                insecure: true,
                ..Setup::default()
            },
            ..Scenario::new(Expect::Token)
        }
    }

    pub(super) fn tls_without_the_ca_is_not_trusted() -> Scenario {
        Scenario {
            target: Target::Tls { trusted: false },
            check: |log| assert!(log.is_empty(), "no request got through"),
            ..Scenario::new(Expect::Transport(TransportErrorKind::Tls))
        }
    }

    pub(super) fn operation_retries_a_500_then_succeeds() -> Scenario {
        Scenario {
            exchange: Exchange::RegisterClient,
            faults: vec![
                Fault::InternalServerError
                    .on(Operation::RegisterClient)
                    .once(),
            ],
            check: |log| {
                assert_eq!(count(log, Operation::RegisterClient), 2, "retried once");
                within_backoff(log, RetryPolicy::standard());
            },
            ..Scenario::new(Expect::Registered)
        }
    }

    pub(super) fn operation_retries_a_dropped_connection() -> Scenario {
        Scenario {
            exchange: Exchange::RegisterClient,
            faults: vec![Fault::DropConnection.on(Operation::RegisterClient).once()],
            check: |log| {
                assert_eq!(count(log, Operation::RegisterClient), 2, "retried once");
                within_backoff(log, RetryPolicy::standard());
            },
            ..Scenario::new(Expect::Registered)
        }
    }

    pub(super) fn operation_gives_up_after_max_attempts() -> Scenario {
        Scenario {
            exchange: Exchange::RegisterClient,
            faults: vec![Fault::InternalServerError.on(Operation::RegisterClient)],
            check: |log| {
                assert_eq!(
                    count(log, Operation::RegisterClient),
                    3,
                    "standard mode: 3 attempts"
                );
                within_backoff(log, RetryPolicy::standard());
            },
            ..Scenario::new(Expect::Service { attempts: 3 })
        }
    }

    pub(super) fn operation_gives_up_after_the_client_s_max_attempts() -> Scenario {
        Scenario {
            exchange: Exchange::RegisterClient,
            faults: vec![Fault::Throttling.on(Operation::RegisterClient)],
            setup: Setup {
                retry: Some(five_quick_attempts()),
                ..Setup::default()
            },
            check: |log| {
                assert_eq!(
                    count(log, Operation::RegisterClient),
                    5,
                    "the client's 5 attempts"
                );
                within_backoff(log, five_quick_attempts());
            },
            ..Scenario::new(Expect::Service { attempts: 5 })
        }
    }

    /// A client's own policy: 5 attempts, backoff from 50 ms doubling to at most 200 ms.
    fn five_quick_attempts() -> RetryPolicy {
        RetryPolicy::standard()
            .with_max_attempts(5)
            .with_backoff(Duration::from_millis(50), Duration::from_millis(200))
    }
}

/// The gaps between an operation's attempts: the backoff the policy allows before each (full
/// jitter under a ceiling that doubles), plus a moment for the request to arrive.
fn within_backoff(log: &[LoggedRequest], policy: RetryPolicy) {
    for (attempt, pair) in (2..).zip(log.windows(2)) {
        let gap = pair[1].at - pair[0].at;
        let ceiling = policy.backoff_ceiling(attempt) + Duration::from_millis(500);
        assert!(
            gap <= ceiling,
            "attempt {attempt} came {gap:?} after the one before"
        );
    }
}

/// The same sign-in on simulated time: the emulator's [`Service`] answers, the core's
/// [`DeviceFlow`] decides, and each fault ends as the failure a transport reports for it (a
/// cut-short body or a dropped connection is `Io`, an answer later than the read timeout is
/// `Timeout`, a body over the cap is `BodyTooLarge`). What the service logs is the schedule
/// the core asks for.
fn simulate(scenario: &Scenario, config: DeviceFlowConfig) -> Vec<LoggedRequest> {
    let mut service = Service::new(scenario.config.clone(), "http://emulator.test");
    for injection in &scenario.faults {
        service.inject(injection.clone());
    }
    let read_timeout = scenario
        .setup
        .read_timeout
        .unwrap_or(sso_oidc_ureq::DEFAULT_TIMEOUT);
    let start = Instant::now();
    let wall = std::time::SystemTime::now();
    let mut now = start;
    let mut flow = DeviceFlow::new(config, now, wall);
    loop {
        match flow.poll(now) {
            Action::Send(request) => match service.reply(&request, now, wall + (now - start)) {
                Reply::Send { response, after } if after < read_timeout => {
                    now += after;
                    let (parts, body) = response.into_parts();
                    let body = match body {
                        ReplyBody::Full(bytes) => bytes,
                        ReplyBody::Truncated(_) => {
                            flow.handle_transport_error(TransportErrorKind::Io, now);
                            continue;
                        }
                        ReplyBody::Padding(len) if len > MAX_RESPONSE_BODY as u64 => {
                            flow.handle_transport_error(TransportErrorKind::BodyTooLarge, now);
                            continue;
                        }
                        ReplyBody::Padding(len) => ReplyBody::padding_chunk(len, 0, usize::MAX),
                        // The read timeout bounds the whole response, not each byte.
                        ReplyBody::Drip { bytes, every } => {
                            let whole = every.saturating_mul(bytes.len() as u32);
                            if after + whole >= read_timeout {
                                now += read_timeout - after;
                                flow.handle_transport_error(TransportErrorKind::Timeout, now);
                                continue;
                            }
                            now += whole;
                            bytes
                        }
                        other => panic!("a body this table does not know: {other:?}"),
                    };
                    flow.handle_response(http::Response::from_parts(parts, body), now);
                }
                Reply::Send { .. } | Reply::Hang => {
                    now += read_timeout;
                    flow.handle_transport_error(TransportErrorKind::Timeout, now);
                }
                Reply::Drop => flow.handle_transport_error(TransportErrorKind::Io, now),
                other => panic!("a reply this table does not know: {other:?}"),
            },
            Action::WaitUntil(until) => now = until,
            Action::Prompt(_) => {}
            Action::Done(_) | Action::Failed(_) => return service.log().to_vec(),
        }
    }
}

/// The transport did what the core said, when it said: the same requests as on simulated
/// time (no retries of its own, none skipped), each gap between two requests at least the
/// simulated one (the core counts its waits from when an answer came), and not far longer.
fn follows_the_core(log: &[LoggedRequest], twin: &[LoggedRequest]) {
    let operations = |log: &[LoggedRequest]| log.iter().map(|e| e.operation).collect::<Vec<_>>();
    assert_eq!(operations(log), operations(twin), "not the core's requests");
    let gaps = |log: &[LoggedRequest]| {
        log.windows(2)
            .map(|pair| pair[1].at - pair[0].at)
            .collect::<Vec<_>>()
    };
    for (i, (real, simulated)) in gaps(log).into_iter().zip(gaps(twin)).enumerate() {
        // A request is sent a moment before it arrives, and a read timeout counts from then.
        let slack = Duration::from_millis(50);
        let context = format!(
            "request {} came {real:?} after the one before; the core said {simulated:?}",
            i + 1
        );
        assert!(real + slack >= simulated, "{context}");
        assert!(real <= simulated + Duration::from_secs(5), "{context}");
    }
}

/// The process's peak resident memory in bytes, where the platform says (Linux).
fn peak_memory() -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: usize = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

fn polls(log: &[LoggedRequest]) -> Vec<&LoggedRequest> {
    log.iter()
        .filter(|e| e.operation == Some(Operation::CreateToken))
        .collect()
}

fn count(log: &[LoggedRequest], operation: Operation) -> usize {
    log.iter()
        .filter(|e| e.operation == Some(operation))
        .count()
}

/// Runs one scenario through transport `T` and checks what every scenario must hold.
fn run<T: Transport>(scenario: Scenario) {
    let ca = TestCa::generate().unwrap();
    let emulator = match scenario.target {
        Target::Tls { .. } => BlockingEmulator::start_tls(scenario.config.clone(), &ca.identity()),
        Target::Plain | Target::Refused | Target::Unresolvable | Target::PlainOnHttps => {
            BlockingEmulator::start(scenario.config.clone())
        }
    }
    .unwrap();
    for injection in &scenario.faults {
        emulator.inject(injection.clone());
    }
    let mut setup = scenario.setup.clone();
    let url = match scenario.target {
        Target::Refused => format!("http://127.0.0.1:{}", closed_port()),
        Target::Unresolvable => UNRESOLVABLE.to_owned(),
        Target::PlainOnHttps => emulator.url().replacen("http://", "https://", 1),
        Target::Tls { trusted } => {
            if trusted {
                setup.ca_pem = Some(ca.ca_pem().to_owned());
            }
            emulator.url().to_owned()
        }
        Target::Plain => emulator.url().to_owned(),
    };
    if let Exchange::RegisterClient = scenario.exchange {
        return run_operation::<T>(&scenario, &setup, &url, &emulator);
    }
    let config = DeviceFlowConfig::builder()
        .endpoint(Endpoint::from_url(&url).unwrap())
        .start_url("https://d-1234567890.awsapps.com/start")
        .jitter_seed(7)
        .build()
        .unwrap();

    let twin = match scenario.target {
        Target::Plain | Target::Tls { trusted: true } => Some(simulate(&scenario, config.clone())),
        Target::Tls { trusted: false } if scenario.setup.insecure => {
            Some(simulate(&scenario, config.clone()))
        }
        Target::Refused
        | Target::Unresolvable
        | Target::PlainOnHttps
        | Target::Tls { trusted: false } => None,
    };

    // Only where it matters: a test that panics meanwhile (its backtrace loads debug
    // information) would raise the peak for the whole process.
    let peak_before = peak_memory().filter(|_| scenario.measure_memory);
    let started = Instant::now();
    let outcome = T::login(&setup, config);
    assert!(started.elapsed() < Duration::from_secs(90), "far too slow");
    if let (Some(before), Some(after)) = (peak_before, peak_memory()) {
        // A 50 MiB body is refused as it streams in, never held: the peak barely moves.
        let grown = after.saturating_sub(before);
        assert!(grown < 16 << 20, "peak memory grew by {grown} bytes");
    }

    match (&scenario.expect, &outcome) {
        (Expect::Token, Ok(login)) => {
            assert!(login.token.access_token.expose().starts_with("aoa"));
        }
        (Expect::Denied, Err(FlowError::Denied(_)))
        | (Expect::Expired, Err(FlowError::Expired(_)))
        | (Expect::Parse, Err(FlowError::Parse { .. })) => {}
        (Expect::Transport(expected), Err(FlowError::Transport { kind, .. }))
            if kind == expected => {}
        (expected, outcome) => panic!("expected {expected:?}, got {outcome:?}"),
    }

    let log = emulator.log();
    if let Some(twin) = twin {
        follows_the_core(&log, &twin);
    }
    for entry in &log {
        // Secrets travel in bodies only: every URI is just the operation's path.
        assert!(!entry.uri.contains('?'), "{}", entry.uri);
    }
    // Polls are never closer than the interval (1 s here, more after a slow_down).
    for pair in polls(&log).windows(2) {
        assert!(
            pair[1].at - pair[0].at >= Duration::from_secs(1),
            "polled too fast"
        );
    }
    (scenario.check)(&log);
}

/// Runs one operation scenario through transport `T`: the operation method retries as the
/// core's `Call` says, and ends in the output or the typed error with the attempts made.
fn run_operation<T: Transport>(
    scenario: &Scenario,
    setup: &Setup,
    url: &str,
    emulator: &BlockingEmulator,
) {
    let started = Instant::now();
    let outcome = T::register_client(setup, Endpoint::from_url(url).unwrap());
    assert!(started.elapsed() < Duration::from_secs(90), "far too slow");
    let log = emulator.log();
    let sent = u32::try_from(count(&log, Operation::RegisterClient)).unwrap();
    match (&scenario.expect, &outcome) {
        (Expect::Registered, Ok(registration)) => assert!(!registration.client_id.is_empty()),
        (Expect::Service { attempts }, Err(error @ Error::Api { error: last, .. })) => {
            assert!(matches!(last, sso_oidc::Error::Service(_)), "{last:?}");
            assert_eq!(error.attempts(), Some(*attempts));
            assert_eq!(sent, *attempts, "one request per attempt");
            assert!(
                error
                    .to_string()
                    .ends_with(&format!(" (gave up after {attempts} attempts)")),
                "{error}"
            );
        }
        (Expect::Transport(kind), Err(error @ Error::Transport { attempts, .. })) => {
            assert_eq!(error.transport_kind(), Some(*kind));
            assert_eq!(Some(*attempts), u32::try_from(log.len()).ok());
        }
        (expected, outcome) => panic!("expected {expected:?}, got {outcome:?}"),
    }
    (scenario.check)(&log);
}

struct Hyper;

impl Hyper {
    fn client(setup: &Setup, endpoint: Option<Endpoint>) -> sso_oidc_hyper::Client {
        client!(sso_oidc_hyper, setup, endpoint)
    }

    fn block_on<F: std::future::Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(future)
    }
}

impl Transport for Hyper {
    fn login(setup: &Setup, config: DeviceFlowConfig) -> Result<Login, FlowError> {
        Self::block_on(Self::client(setup, None).device_login(config, |_| {}))
    }

    fn login_until(
        setup: &Setup,
        config: DeviceFlowConfig,
        cancel: &Cancel,
    ) -> Result<Login, FlowError> {
        Self::block_on(Self::client(setup, None).device_login_until(config, |_| {}, cancel))
    }

    fn register_client(setup: &Setup, endpoint: Endpoint) -> Result<ClientRegistration, Error> {
        Self::block_on(async {
            Self::client(setup, Some(endpoint))
                .register_client(&register_client())
                .await
        })
    }
}

/// Without the CA, the error says the certificate is not trusted and how to fix that.
fn untrusted_certificate_is_named<T: Transport>() {
    let ca = TestCa::generate().unwrap();
    let emulator = BlockingEmulator::start_tls(Config::default(), &ca.identity()).unwrap();
    let endpoint = Endpoint::from_url(emulator.url()).unwrap();
    let (kind, message) = T::register(&Setup::default(), endpoint.clone()).unwrap_err();
    assert_eq!(kind, Some(TransportErrorKind::Tls));
    assert_eq!(
        message,
        format!(
            "SSL validation failed for \"{}/client/register\": the server's certificate is not \
             trusted (unknown issuer); add its CA with ca_bundle or AWS_CA_BUNDLE",
            emulator.url()
        )
    );
    let trusted = Setup {
        ca_pem: Some(ca.ca_pem().to_owned()),
        ..Setup::default()
    };
    assert_eq!(T::register(&trusted, endpoint), Ok(()));
}

/// A proxy that cannot be reached is named in the error, without its credentials.
fn unreachable_proxy_is_named<T: Transport>() {
    let port = closed_port();
    let setup = Setup {
        proxy: Some(format!("http://user:hunter2@127.0.0.1:{port}")),
        retry: Some(RetryPolicy::none()),
        ..Setup::default()
    };
    let endpoint = Endpoint::from_url("http://oidc.example.test").unwrap();
    let (kind, message) = T::register(&setup, endpoint).unwrap_err();
    assert_eq!(kind, Some(TransportErrorKind::Connect));
    assert_eq!(
        message,
        format!(
            "could not connect to the endpoint URL \"http://oidc.example.test/client/register\" \
             through the proxy URL: \"http://127.0.0.1:{port}\""
        )
    );
}

/// Cancelling a sign-in whose request hangs stops it at once, not at the read timeout.
fn cancel_in_the_middle_of_a_hung_request<T: Transport>() {
    let emulator = BlockingEmulator::start(Config::default()).unwrap();
    emulator.inject(Fault::Hang.on(Operation::CreateToken));
    let config = DeviceFlowConfig::builder()
        .endpoint(Endpoint::from_url(emulator.url()).unwrap())
        .start_url("https://d-1234567890.awsapps.com/start")
        .build()
        .unwrap();
    let cancel = Cancel::new();
    let switch = cancel.clone();
    let canceller = std::thread::spawn(move || {
        // The first poll goes out one interval (1 s) after the prompt, and hangs.
        std::thread::sleep(Duration::from_millis(2000));
        switch.cancel();
        Instant::now()
    });
    let outcome = T::login_until(&Setup::default(), config, &cancel);
    let stopped = Instant::now();
    let cancelled_at = canceller.join().unwrap();
    assert_eq!(outcome.unwrap_err(), FlowError::Cancelled);
    assert_eq!(polls(&emulator.log()).len(), 1, "the poll was under way");
    // About 100 ms; the bound is generous for a loaded machine, and far below the 60 s read
    // timeout the request would otherwise wait for.
    let took = stopped.saturating_duration_since(cancelled_at);
    assert!(
        took < Duration::from_secs(1),
        "stopped {took:?} after the cancel"
    );
}

/// The failures of one request, each through both transports: the same kind and the same
/// words.
#[test]
fn errors_read_the_same_in_both_transports() {
    let ca = TestCa::generate().unwrap();
    let plain = BlockingEmulator::start(Config::default()).unwrap();
    let secure = BlockingEmulator::start_tls(Config::default(), &ca.identity()).unwrap();
    let hanging = BlockingEmulator::start(Config::default()).unwrap();
    hanging.inject(Fault::Hang);
    let dripping = BlockingEmulator::start(Config::default()).unwrap();
    dripping.inject(Fault::Drip(Duration::from_millis(300)));
    let refused = format!("http://127.0.0.1:{}", closed_port());
    let plain_https = plain.url().replacen("http://", "https://", 1);
    // Each request's own words: one attempt, no retry.
    let once = Setup {
        retry: Some(RetryPolicy::none()),
        ..Setup::default()
    };
    let quick = Setup {
        read_timeout: Some(Duration::from_secs(1)),
        ..once.clone()
    };
    let cases: Vec<(&str, Setup, TransportErrorKind, String)> = vec![
        (
            &refused,
            once.clone(),
            TransportErrorKind::Connect,
            format!(
                "could not connect to the endpoint URL: \"{refused}/client/register\": connection refused"
            ),
        ),
        (
            UNRESOLVABLE,
            once.clone(),
            TransportErrorKind::Connect,
            format!(
                "could not connect to the endpoint URL: \"{UNRESOLVABLE}/client/register\": could not \
                 resolve host \"oidc.us-easst-1.invalid\""
            ),
        ),
        (
            &plain_https,
            once.clone(),
            TransportErrorKind::Tls,
            format!(
                "TLS handshake failed with endpoint URL: \"{plain_https}/client/register\": the \
                 server did not speak TLS (is it an http:// endpoint?)"
            ),
        ),
        (
            secure.url(),
            once.clone(),
            TransportErrorKind::Tls,
            format!(
                "SSL validation failed for \"{}/client/register\": the server's certificate is not \
                 trusted (unknown issuer); add its CA with ca_bundle or AWS_CA_BUNDLE",
                secure.url()
            ),
        ),
        (
            hanging.url(),
            quick.clone(),
            TransportErrorKind::Timeout,
            format!(
                "read timeout on endpoint URL: \"{}/client/register\"",
                hanging.url()
            ),
        ),
        (
            dripping.url(),
            quick.clone(),
            TransportErrorKind::Timeout,
            format!(
                "read timeout on endpoint URL: \"{}/client/register\"",
                dripping.url()
            ),
        ),
    ];
    for (url, setup, kind, message) in cases {
        let endpoint = Endpoint::from_url(url).unwrap();
        let ureq = Ureq::register(&setup, endpoint.clone()).unwrap_err();
        let hyper = Hyper::register(&setup, endpoint).unwrap_err();
        assert_eq!(ureq, (Some(kind), message), "ureq, {url}");
        assert_eq!(hyper, ureq, "hyper and ureq, {url}");
    }
}

/// A host that never resolves (RFC 6761), as a typo in a region does not.
const UNRESOLVABLE: &str = "http://oidc.us-easst-1.invalid";

/// A loopback port nobody listens on: bound, and closed again.
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

macro_rules! table {
    ($module:ident => $transport:ident: $($name:ident),* $(,)?) => {
        mod $module {
            #[test]
            fn untrusted_certificate_is_named() {
                super::untrusted_certificate_is_named::<super::$transport>();
            }

            #[test]
            fn unreachable_proxy_is_named() {
                super::unreachable_proxy_is_named::<super::$transport>();
            }

            #[test]
            fn cancel_in_the_middle_of_a_hung_request() {
                super::cancel_in_the_middle_of_a_hung_request::<super::$transport>();
            }

            $(
                #[test]
                fn $name() {
                    super::run::<super::$transport>(super::scenario::$name());
                }
            )*
        }
    };
}

macro_rules! scenarios {
    ($($module:ident => $transport:ident),*) => {
        $(
            table!($module => $transport:
                approved_after_two_polls,
                slow_down_adds_five_seconds_each_time,
                denied,
                expired,
                internal_error_then_success,
                throttling_then_success,
                html_bad_gateway_then_success,
                malformed_json_is_a_parse_error,
                truncated_body_is_retried,
                huge_body_is_refused_unread,
                slower_than_the_read_timeout_is_retried,
                dripping_body_times_out_and_is_retried,
                dropped_connection_is_retried,
                connection_refused,
                unresolvable_host,
                plain_server_on_an_https_url,
                tls_with_the_ca_bundle,
                tls_without_the_ca_is_not_trusted,
                tls_unchecked_when_insecure,
                operation_retries_a_500_then_succeeds,
                operation_retries_a_dropped_connection,
                operation_gives_up_after_max_attempts,
                operation_gives_up_after_the_client_s_max_attempts,
            );
        )*
    };
}

scenarios!(ureq => Ureq, hyper => Hyper);
