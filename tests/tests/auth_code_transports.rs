//! The authorization-code sign-in (`auth_code_login`, `auth_code_login_until`) through both
//! transports against the emulator: approved, denied, a redirect with the wrong state, an
//! expired code, a 500 on CreateToken, registrations reused or not, a pasted redirect, a fixed
//! port in use, a cancel. The "browser" is a thread the prompt starts: it opens the authorize
//! URL with a plain HTTP client (no redirect followed) and, where the emulator does not follow
//! the redirect itself, chooses on the approval page and takes the redirect's address.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use sso_oidc::{
    AuthCodeFlowConfig, Authorize, ClientRegistration, DeviceFlowConfig, Endpoint, ErrorCode,
    FlowError, Login, Operation,
};
use sso_oidc_emulator::{BlockingEmulator, Config, Fault, LoggedRequest};
use sso_oidc_transport::redirect::{BindError, ListenerSettings};
use sso_oidc_transport::{Cancel, LoginError, RedirectInbox};

const START_URL: &str = "https://d-1234567890.awsapps.com/start";

/// A transport under test: both sign-ins in real time.
trait Transport {
    fn login_until(
        config: AuthCodeFlowConfig,
        settings: &ListenerSettings,
        on_prompt: &mut dyn FnMut(&Authorize),
        cancel: &Cancel,
        pasted: &RedirectInbox,
    ) -> Result<Login, LoginError>;
    fn login(
        config: AuthCodeFlowConfig,
        settings: &ListenerSettings,
        on_prompt: &mut dyn FnMut(&Authorize),
    ) -> Result<Login, LoginError>;
    fn device_login(config: DeviceFlowConfig) -> Result<Login, FlowError>;
}

struct Ureq;

impl Transport for Ureq {
    fn login_until(
        config: AuthCodeFlowConfig,
        settings: &ListenerSettings,
        on_prompt: &mut dyn FnMut(&Authorize),
        cancel: &Cancel,
        pasted: &RedirectInbox,
    ) -> Result<Login, LoginError> {
        let client = sso_oidc_ureq::Client::builder().build().unwrap();
        client.auth_code_login_until(config, settings, on_prompt, cancel, pasted)
    }

    fn login(
        config: AuthCodeFlowConfig,
        settings: &ListenerSettings,
        on_prompt: &mut dyn FnMut(&Authorize),
    ) -> Result<Login, LoginError> {
        let client = sso_oidc_ureq::Client::builder().build().unwrap();
        client.auth_code_login(config, settings, on_prompt)
    }

    fn device_login(config: DeviceFlowConfig) -> Result<Login, FlowError> {
        let client = sso_oidc_ureq::Client::builder().build().unwrap();
        client.device_login(config, |_| {})
    }
}

struct Hyper;

impl Hyper {
    fn block_on<F: std::future::Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(future)
    }
}

impl Transport for Hyper {
    fn login_until(
        config: AuthCodeFlowConfig,
        settings: &ListenerSettings,
        on_prompt: &mut dyn FnMut(&Authorize),
        cancel: &Cancel,
        pasted: &RedirectInbox,
    ) -> Result<Login, LoginError> {
        Self::block_on(async {
            let client = sso_oidc_hyper::Client::builder().build().unwrap();
            client
                .auth_code_login_until(config, settings, on_prompt, cancel, pasted)
                .await
        })
    }

    fn login(
        config: AuthCodeFlowConfig,
        settings: &ListenerSettings,
        on_prompt: &mut dyn FnMut(&Authorize),
    ) -> Result<Login, LoginError> {
        Self::block_on(async {
            let client = sso_oidc_hyper::Client::builder().build().unwrap();
            client.auth_code_login(config, settings, on_prompt).await
        })
    }

    fn device_login(config: DeviceFlowConfig) -> Result<Login, FlowError> {
        Self::block_on(async {
            let client = sso_oidc_hyper::Client::builder().build().unwrap();
            client.device_login(config, |_| {}).await
        })
    }
}

fn config(
    emulator: &BlockingEmulator,
    registration: Option<ClientRegistration>,
) -> AuthCodeFlowConfig {
    AuthCodeFlowConfig::builder()
        .endpoint(Endpoint::from_url(emulator.url()).unwrap())
        .start_url(START_URL)
        .registration(registration)
        .jitter_seed(7)
        .build()
        .unwrap()
}

fn device_config(
    emulator: &BlockingEmulator,
    registration: Option<ClientRegistration>,
) -> DeviceFlowConfig {
    DeviceFlowConfig::builder()
        .endpoint(Endpoint::from_url(emulator.url()).unwrap())
        .start_url(START_URL)
        .registration(registration)
        .jitter_seed(7)
        .build()
        .unwrap()
}

/// A plain HTTP GET or POST, no redirect followed: what the test's "browser" sends to the
/// emulator.
fn http(request: http::Request<Vec<u8>>) -> http::Response<Vec<u8>> {
    sso_oidc_ureq::Client::builder()
        .build()
        .unwrap()
        .send(request)
        .unwrap()
}

fn text(response: &http::Response<Vec<u8>>) -> String {
    String::from_utf8_lossy(response.body()).into_owned()
}

/// Opens the authorize URL: with scripted decisions the emulator follows the redirect itself,
/// and its page says what the listener answered.
fn open(url: &str) -> String {
    text(&http(http::Request::get(url).body(Vec::new()).unwrap()))
}

/// Opens the authorize URL, chooses `action` on the approval page, and returns where the
/// emulator redirects to (`http://127.0.0.1:<port>/oauth/callback?code=…&state=…`), without
/// going there.
fn decide(emulator_url: &str, url: &str, action: &str) -> String {
    let page = open(url);
    let id = page
        .split("name=\"request\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("an approval page: {page}"));
    let answer = http(
        http::Request::post(format!("{emulator_url}/authorize"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("request={id}&action={action}").into_bytes())
            .unwrap(),
    );
    assert_eq!(answer.status(), 302, "{}", text(&answer));
    answer.headers()["location"].to_str().unwrap().to_owned()
}

/// Goes to `location` on the loopback listener as a browser would, and returns the page.
fn visit(location: &str) -> String {
    let rest = location.strip_prefix("http://127.0.0.1:").unwrap();
    let (port, target) = rest.split_at(rest.find('/').unwrap());
    let mut stream = TcpStream::connect(("127.0.0.1", port.parse::<u16>().unwrap())).unwrap();
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut page = String::new();
    stream.read_to_string(&mut page).unwrap();
    page
}

/// Runs `browser` on the authorize URL in a thread of its own, once, and keeps the thread to
/// join.
fn prompt<F>(browser: F) -> (impl FnMut(&Authorize), impl FnOnce() -> String)
where
    F: FnOnce(Authorize) -> String + Send + 'static,
{
    let handle: std::sync::Arc<std::sync::Mutex<Option<JoinHandle<String>>>> =
        std::sync::Arc::default();
    let mut browser = Some(browser);
    let slot = std::sync::Arc::clone(&handle);
    let on_prompt = move |authorize: &Authorize| {
        let browser = browser.take().expect("one prompt");
        let authorize = authorize.clone();
        *slot.lock().unwrap() = Some(std::thread::spawn(move || browser(authorize)));
    };
    let join = move || {
        let thread = handle.lock().unwrap().take().expect("prompted");
        thread.join().unwrap()
    };
    (on_prompt, join)
}

fn count(log: &[LoggedRequest], operation: Operation) -> usize {
    log.iter()
        .filter(|e| e.operation == Some(operation))
        .count()
}

/// What every sign-in must hold: no secret in a URI the emulator saw.
fn no_secrets_in_uris(log: &[LoggedRequest]) {
    for entry in log {
        assert!(!entry.uri.contains("code_verifier"), "{}", entry.uri);
        // SSO OIDC's operations have no query; the portal's carry account and role names.
        if entry
            .operation
            .is_some_and(|operation| !operation.is_portal())
        {
            assert!(!entry.uri.contains('?'), "{}", entry.uri);
        }
    }
}

/// The emulator approves and follows the redirect; the listener answers "signed in" once the
/// token is there: one RegisterClient, one CreateToken.
fn approved<T: Transport>() {
    let emulator = BlockingEmulator::start(Config::default().approve_authorizations()).unwrap();
    let (mut on_prompt, browser) = prompt(|authorize| open(&authorize.url));
    let started = Instant::now();
    let login = T::login(
        config(&emulator, None),
        &ListenerSettings::default(),
        &mut on_prompt,
    )
    .unwrap();
    assert!(started.elapsed() < Duration::from_secs(30));
    assert!(login.token.access_token.expose().starts_with("aoa"));
    assert!(login.registration_is_new);
    assert!(
        browser().contains("which answered HTTP 200"),
        "the listener answered the emulator's redirect"
    );
    let log = emulator.log();
    assert_eq!(count(&log, Operation::RegisterClient), 1);
    assert_eq!(count(&log, Operation::CreateToken), 1, "no polling");
    no_secrets_in_uris(&log);
}

/// The emulator denies: the browser comes back with `error=access_denied`, and no code is
/// exchanged.
fn denied<T: Transport>() {
    let emulator = BlockingEmulator::start(Config::default().deny_authorizations()).unwrap();
    let (mut on_prompt, browser) = prompt(|authorize| open(&authorize.url));
    let error = T::login(
        config(&emulator, None),
        &ListenerSettings::default(),
        &mut on_prompt,
    )
    .unwrap_err();
    match error {
        LoginError::Flow(FlowError::Refused { error, .. }) => assert_eq!(error, "access_denied"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(browser().contains("which answered HTTP 200"));
    assert_eq!(count(&emulator.log(), Operation::CreateToken), 0);
}

/// A redirect with another state (an old tab) is told so and ignored; the right one signs in
/// and its tab is told so, after the token.
fn wrong_state_then_the_right_one<T: Transport>() {
    let emulator = BlockingEmulator::start(Config::default()).unwrap();
    let url = emulator.url().to_owned();
    let (mut on_prompt, browser) = prompt(move |authorize| {
        let location = decide(&url, &authorize.url, "approve");
        let (base, _) = location.split_once("&state=").unwrap();
        let stale = visit(&format!(
            "{base}&state=00000000-0000-4000-8000-000000000000"
        ));
        assert!(stale.contains("Not this sign-in"), "{stale}");
        visit(&location)
    });
    let login = T::login(
        config(&emulator, None),
        &ListenerSettings::default(),
        &mut on_prompt,
    )
    .unwrap();
    assert!(login.token.access_token.expose().starts_with("aoa"));
    let page = browser();
    assert!(page.contains("Signed in"), "{page}");
    assert_eq!(count(&emulator.log(), Operation::CreateToken), 1);
}

/// A code that expired before it was exchanged: CreateToken refuses it (`invalid_grant`), the
/// flow ends with that service error, and the tab is told the sign-in failed.
fn expired_code<T: Transport>() {
    let config_ = Config::default()
        .approve_authorizations()
        .with_authorization_code_lifetime(Duration::ZERO);
    let emulator = BlockingEmulator::start(config_).unwrap();
    let (mut on_prompt, browser) = prompt(|authorize| open(&authorize.url));
    let error = T::login(
        config(&emulator, None),
        &ListenerSettings::default(),
        &mut on_prompt,
    )
    .unwrap_err();
    let flow = error.flow_error().expect("the flow's error");
    assert_eq!(flow.code(), Some(&ErrorCode::InvalidGrant), "{flow:?}");
    assert!(matches!(flow, FlowError::Service { attempts: 1, .. }));
    assert!(browser().contains("which answered HTTP 200"));
    assert_eq!(
        count(&emulator.log(), Operation::CreateToken),
        1,
        "not retried"
    );
}

/// A 500 on CreateToken is retried with the same code, which then signs in.
fn internal_error_then_success<T: Transport>() {
    let emulator = BlockingEmulator::start(Config::default().approve_authorizations()).unwrap();
    emulator.inject(Fault::InternalServerError.on(Operation::CreateToken).once());
    let (mut on_prompt, browser) = prompt(|authorize| open(&authorize.url));
    let login = T::login(
        config(&emulator, None),
        &ListenerSettings::default(),
        &mut on_prompt,
    )
    .unwrap();
    assert!(login.token.access_token.expose().starts_with("aoa"));
    assert!(browser().contains("which answered HTTP 200"));
    let log = emulator.log();
    let statuses: Vec<_> = log
        .iter()
        .filter(|e| e.operation == Some(Operation::CreateToken))
        .map(|e| e.status.map(|s| s.as_u16()))
        .collect();
    assert_eq!(statuses, [Some(500), Some(200)]);
}

/// A second sign-in with the first one's registration registers nothing.
fn registration_reused<T: Transport>() {
    let emulator = BlockingEmulator::start(Config::default().approve_authorizations()).unwrap();
    let (mut on_prompt, browser) = prompt(|authorize| open(&authorize.url));
    let first = T::login(
        config(&emulator, None),
        &ListenerSettings::default(),
        &mut on_prompt,
    )
    .unwrap();
    browser();
    let (mut on_prompt, browser) = prompt(|authorize| open(&authorize.url));
    let second = T::login(
        config(&emulator, Some(first.registration.clone())),
        &ListenerSettings::default(),
        &mut on_prompt,
    )
    .unwrap();
    browser();
    assert!(!second.registration_is_new);
    assert_eq!(second.registration.client_id, first.registration.client_id);
    assert_eq!(count(&emulator.log(), Operation::RegisterClient), 1);
}

/// A device-flow registration is not used for PKCE, nor a PKCE one for the device flow: each
/// registers again, as the AWS CLI does.
fn device_registration_not_reused_for_pkce_and_back<T: Transport>() {
    let config_ = Config::default()
        .approve_after_polls(0)
        .approve_authorizations();
    let emulator = BlockingEmulator::start(config_).unwrap();
    let device = T::device_login(device_config(&emulator, None)).unwrap();
    let (mut on_prompt, browser) = prompt(|authorize| open(&authorize.url));
    let pkce = T::login(
        config(&emulator, Some(device.registration.clone())),
        &ListenerSettings::default(),
        &mut on_prompt,
    )
    .unwrap();
    browser();
    assert!(
        pkce.registration_is_new,
        "the device registration was not used"
    );
    assert_ne!(pkce.registration.client_id, device.registration.client_id);
    let again = T::device_login(device_config(&emulator, Some(pkce.registration.clone()))).unwrap();
    assert!(
        again.registration_is_new,
        "the PKCE registration was not used"
    );
    assert_eq!(count(&emulator.log(), Operation::RegisterClient), 3);
}

/// The browser is on another machine: its redirect never reaches the listener, and the
/// address it shows is pasted instead. A pasted address with a wrong state goes first and is
/// ignored.
fn pasted_redirect<T: Transport>() {
    let emulator = BlockingEmulator::start(Config::default()).unwrap();
    let url = emulator.url().to_owned();
    let pasted = RedirectInbox::new();
    let paste = pasted.clone();
    let (mut on_prompt, browser) = prompt(move |authorize| {
        let location = decide(&url, &authorize.url, "approve");
        let (base, _) = location.split_once("&state=").unwrap();
        paste.push(format!("{base}&state=not-this-one\n"));
        // As typed on standard input: the whole address, with its line end.
        paste.push(format!("{location}\n"));
        location
    });
    let login = T::login_until(
        config(&emulator, None),
        &ListenerSettings::default(),
        &mut on_prompt,
        &Cancel::new(),
        &pasted,
    )
    .unwrap();
    assert!(login.token.access_token.expose().starts_with("aoa"));
    browser();
    assert_eq!(pasted.take(), None, "both taken");
    assert_eq!(count(&emulator.log(), Operation::CreateToken), 1);
}

/// A fixed port another program holds: a typed error naming it, and nothing is sent.
fn fixed_port_in_use<T: Transport>() {
    let emulator = BlockingEmulator::start(Config::default()).unwrap();
    let holder = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = holder.local_addr().unwrap().port();
    let error = T::login(
        config(&emulator, None),
        &ListenerSettings::port(port),
        &mut |_| panic!("no prompt"),
    )
    .unwrap_err();
    assert!(
        matches!(error, LoginError::Bind(BindError::InUse { port: p, .. }) if p == port),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .contains(&format!("port {port} on 127.0.0.1 is already in use"))
    );
    assert!(emulator.log().is_empty(), "nothing sent");
}

/// A free fixed port is the one in the redirect URI.
fn fixed_free_port<T: Transport>() {
    let emulator = BlockingEmulator::start(Config::default().approve_authorizations()).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (mut on_prompt, browser) = prompt(move |authorize| {
        assert_eq!(
            authorize.redirect_uri,
            format!("http://127.0.0.1:{port}/oauth/callback")
        );
        open(&authorize.url)
    });
    T::login(
        config(&emulator, None),
        &ListenerSettings::port(port),
        &mut on_prompt,
    )
    .unwrap();
    browser();
}

/// Cancelled while it waits for the browser: it ends at once with `Cancelled`.
fn cancel_while_waiting_for_the_browser<T: Transport>() {
    let emulator = BlockingEmulator::start(Config::default()).unwrap();
    let cancel = Cancel::new();
    let switch = cancel.clone();
    let mut cancelled_at = None;
    let mut on_prompt = |_: &Authorize| {
        let switch = switch.clone();
        cancelled_at = Some(std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            switch.cancel();
            Instant::now()
        }));
    };
    let error = T::login_until(
        config(&emulator, None),
        &ListenerSettings::default(),
        &mut on_prompt,
        &cancel,
        &RedirectInbox::new(),
    )
    .unwrap_err();
    let stopped = Instant::now();
    assert_eq!(error.flow_error(), Some(&FlowError::Cancelled));
    let took = stopped.saturating_duration_since(cancelled_at.unwrap().join().unwrap());
    assert!(
        took < Duration::from_secs(1),
        "stopped {took:?} after the cancel"
    );
}

macro_rules! table {
    ($($module:ident => $transport:ident),*) => {
        $(
            mod $module {
                table!(@tests $transport:
                    approved,
                    denied,
                    wrong_state_then_the_right_one,
                    expired_code,
                    internal_error_then_success,
                    registration_reused,
                    device_registration_not_reused_for_pkce_and_back,
                    pasted_redirect,
                    fixed_port_in_use,
                    fixed_free_port,
                    cancel_while_waiting_for_the_browser,
                );
            }
        )*
    };
    (@tests $transport:ident: $($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                super::$name::<super::$transport>();
            }
        )*
    };
}

table!(ureq => Ureq, hyper => Hyper);
