//! One scenario table for a profile's role credentials (`Client::profile_credentials`), run
//! through both transports against the emulator over loopback: each test has a home folder of
//! its own with an AWS config file and a token cached from a real sign-in at the emulator, and
//! checks what was sent, what the caches hold afterwards, and that no secret shows in an error.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use sso_oidc::portal::{self, ErrorCode, Logout};
use sso_oidc::{
    CacheDir, CachedRoleCredentials, CachedToken, DeviceFlowConfig, Endpoint, Login, Operation,
    RetryPolicy, RoleCredentialsError, Secret, role_credentials_file_name,
};
use sso_oidc_emulator::{BlockingEmulator, Config, LoggedRequest};
use sso_oidc_transport::{
    Begin, Environment, FetchStep, ProfileCredentials, ProfileCredentialsError,
};

type Outcome = Result<CachedRoleCredentials, ProfileCredentialsError>;

const START_URL: &str = "https://d-1234567890.awsapps.com/start";
const SESSION: &str = "my-sso";
const REGION: &str = "eu-west-1";
const DEV: &str = "111122223333";

/// The config file of every test: `dev` has credentials at the emulator, `stranger` names an
/// account the emulator does not know, `no-role` lacks its role.
const CONFIG: &str = "\
[profile dev]
sso_session = my-sso
sso_account_id = 111122223333
sso_role_name = ReadOnly

[profile stranger]
sso_session = my-sso
sso_account_id = 999999999999
sso_role_name = ReadOnly

[profile no-role]
sso_session = my-sso
sso_account_id = 111122223333

[sso-session my-sso]
sso_start_url = https://d-1234567890.awsapps.com/start
sso_region = eu-west-1
sso_registration_scopes = sso:account:access
";

/// Quick backoff, so that a portal that cannot be reached fails fast: 3 attempts.
fn quick_retries() -> RetryPolicy {
    RetryPolicy::standard().with_backoff(Duration::from_millis(10), Duration::from_millis(40))
}

fn device_config(url: &str) -> DeviceFlowConfig {
    DeviceFlowConfig::builder()
        .endpoint(Endpoint::from_url(url).unwrap())
        .start_url(START_URL)
        .build()
        .unwrap()
}

fn logout_request(token: &Secret) -> Logout {
    Logout::builder().access_token(token).build().unwrap()
}

/// A transport under test.
trait Transport {
    /// Signs in at the emulator with the device flow.
    fn sign_in(url: &str) -> Login;
    /// Logs `token` out at the emulator's portal.
    fn logout(url: &str, token: &Secret);
    /// One call of `profile_credentials`.
    fn one(profile: &ProfileCredentials) -> Outcome;
    /// `callers` calls of `profile_credentials` at once.
    fn concurrent(profile: &ProfileCredentials, callers: usize) -> Vec<Outcome>;
}

struct Ureq;

fn ureq_client() -> sso_oidc_ureq::Client {
    sso_oidc_ureq::Client::builder()
        .retry_policy(quick_retries())
        .build()
        .unwrap()
}

impl Transport for Ureq {
    fn sign_in(url: &str) -> Login {
        ureq_client()
            .device_login(device_config(url), |_| {})
            .unwrap()
    }

    fn logout(url: &str, token: &Secret) {
        let client = sso_oidc_ureq::Client::builder()
            .portal_endpoint(portal::Endpoint::from_url(url).unwrap())
            .build()
            .unwrap();
        client.logout(&logout_request(token)).unwrap();
    }

    fn one(profile: &ProfileCredentials) -> Outcome {
        ureq_client().profile_credentials(profile)
    }

    fn concurrent(profile: &ProfileCredentials, callers: usize) -> Vec<Outcome> {
        let client = ureq_client();
        let start = std::sync::Barrier::new(callers);
        std::thread::scope(|scope| {
            let threads: Vec<_> = (0..callers)
                .map(|_| {
                    scope.spawn(|| {
                        start.wait();
                        client.profile_credentials(profile)
                    })
                })
                .collect();
            threads.into_iter().map(|t| t.join().unwrap()).collect()
        })
    }
}

struct Hyper;

fn hyper_client() -> sso_oidc_hyper::Client {
    sso_oidc_hyper::Client::builder()
        .retry_policy(quick_retries())
        .build()
        .unwrap()
}

fn current_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

impl Transport for Hyper {
    fn sign_in(url: &str) -> Login {
        current_thread().block_on(async {
            hyper_client()
                .device_login(device_config(url), |_| {})
                .await
                .unwrap()
        })
    }

    fn logout(url: &str, token: &Secret) {
        current_thread().block_on(async {
            let client = sso_oidc_hyper::Client::builder()
                .portal_endpoint(portal::Endpoint::from_url(url).unwrap())
                .build()
                .unwrap();
            client.logout(&logout_request(token)).await.unwrap();
        });
    }

    fn one(profile: &ProfileCredentials) -> Outcome {
        current_thread().block_on(async { hyper_client().profile_credentials(profile).await })
    }

    fn concurrent(profile: &ProfileCredentials, callers: usize) -> Vec<Outcome> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(4)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let client = hyper_client();
            let start = std::sync::Arc::new(tokio::sync::Barrier::new(callers));
            let tasks: Vec<_> = (0..callers)
                .map(|_| {
                    let (client, profile, start) = (client.clone(), profile.clone(), start.clone());
                    tokio::spawn(async move {
                        start.wait().await;
                        client.profile_credentials(&profile).await
                    })
                })
                .collect();
            let mut outcomes = Vec::new();
            for task in tasks {
                outcomes.push(task.await.unwrap());
            }
            outcomes
        })
    }
}

/// A home folder of its own, with `.aws/config`; removed when dropped.
struct Home(PathBuf);

impl Home {
    fn new() -> Self {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let path = std::env::temp_dir().join(format!(
            "sso-oidc-profile-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(path.join(".aws")).unwrap();
        std::fs::write(path.join(".aws/config"), CONFIG).unwrap();
        Self(path)
    }

    /// The environment the profile is loaded with: this home, both services at `url`.
    fn env(&self, url: &str) -> Environment {
        Environment::from_iter([
            ("HOME", self.0.to_str().unwrap()),
            ("AWS_ENDPOINT_URL_SSO", url),
            ("AWS_ENDPOINT_URL_SSO_OIDC", url),
        ])
    }

    fn token_folder(&self) -> PathBuf {
        self.0.join(".aws/sso/cache")
    }

    fn credential_folder(&self) -> PathBuf {
        self.0.join(".aws/cli/cache")
    }

    fn tokens(&self) -> CacheDir {
        CacheDir::new(self.token_folder())
    }

    fn credentials(&self) -> CacheDir {
        CacheDir::new(self.credential_folder())
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The token cached before the calls.
#[derive(Clone, Copy, Debug)]
enum Token {
    /// None: nobody signed in.
    None,
    /// The sign-in's, as `login` caches it, but with this long left.
    Left(Duration),
    /// The sign-in's, expired a minute ago, with no refresh token.
    ExpiredWithoutRefresh,
    /// The sign-in's, as `login` caches it, logged out at the portal since.
    LoggedOut,
}

/// Where the profile's endpoints point.
#[derive(Clone, Copy, Debug)]
enum Services {
    /// The emulator.
    Emulator,
    /// A loopback port nobody listens on.
    Closed,
}

/// How `profile_credentials` is called.
#[derive(Clone, Copy, Debug)]
enum Calls {
    /// This many times, one after the other.
    OneAfterAnother(usize),
    /// This many callers at once.
    AtOnce(usize),
}

struct Scenario {
    profile: &'static str,
    token: Token,
    /// Credentials cached before the calls, with this long left.
    cached: Option<Duration>,
    /// Whether the cached credentials' file is cut short, as a reader sees it while a writer
    /// that writes in place is at work.
    tear: bool,
    services: Services,
    calls: Calls,
    check: fn(&Run),
}

impl Scenario {
    fn new(check: fn(&Run)) -> Self {
        Self {
            profile: "dev",
            token: Token::Left(Duration::from_secs(8 * 3600)),
            cached: None,
            tear: false,
            services: Services::Emulator,
            calls: Calls::OneAfterAnother(1),
            check,
        }
    }
}

/// What a scenario's calls did.
struct Run {
    home: Home,
    login: Login,
    /// The credentials cached before the calls, if any.
    seeded: Option<CachedRoleCredentials>,
    /// One per call; a profile that could not be loaded gives its error as the only one.
    outcomes: Vec<Outcome>,
    /// The requests the calls made (not the sign-in's or the logout's).
    log: Vec<LoggedRequest>,
    started: SystemTime,
}

impl Run {
    fn operations(&self) -> Vec<Option<Operation>> {
        self.log.iter().map(|e| e.operation).collect()
    }

    fn the_error(&self) -> &ProfileCredentialsError {
        match self.outcomes.as_slice() {
            [Err(error)] => error,
            other => panic!("expected one error, got {other:?}"),
        }
    }

    fn all_ok(&self) -> Vec<&CachedRoleCredentials> {
        self.outcomes
            .iter()
            .map(|o| o.as_ref().unwrap_or_else(|e| panic!("{e}")))
            .collect()
    }

    fn cached_token(&self) -> CachedToken {
        self.home.tokens().read_token(SESSION).unwrap().unwrap()
    }

    fn credentials_file(&self) -> PathBuf {
        self.home
            .credential_folder()
            .join(role_credentials_file_name(
                DEV,
                "ReadOnly",
                Some(SESSION),
                START_URL,
            ))
    }
}

/// `time` as the AWS CLI writes it: `YYYY-MM-DDTHH:MM:SSZ`.
fn utc(time: SystemTime) -> String {
    let secs = time.duration_since(UNIX_EPOCH).unwrap().as_secs();
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Days to a civil date (Howard Hinnant's algorithm), for dates after 1970.
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Seconds from `from` to `to`, negative when `to` is earlier.
fn seconds_between(from: SystemTime, to: SystemTime) -> i64 {
    match to.duration_since(from) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap(),
        Err(e) => -i64::try_from(e.duration().as_secs()).unwrap(),
    }
}

/// Runs one scenario through transport `T`.
fn run<T: Transport>(scenario: Scenario) {
    let emulator = BlockingEmulator::start(Config::default().approve_after_polls(0)).unwrap();
    let home = Home::new();
    let login = T::sign_in(emulator.url());
    let cached_token = |left: Duration| {
        let mut token = CachedToken::from_login(&login, REGION);
        token.expires_at = SystemTime::now() + left;
        token
    };
    match scenario.token {
        Token::None => {}
        Token::Left(left) => home
            .tokens()
            .write_token(SESSION, &cached_token(left))
            .unwrap(),
        Token::ExpiredWithoutRefresh => {
            let mut token = CachedToken::from_login(&login, REGION);
            token.expires_at = SystemTime::now() - Duration::from_secs(60);
            token.refresh_token = None;
            home.tokens().write_token(SESSION, &token).unwrap();
        }
        Token::LoggedOut => {
            T::logout(emulator.url(), &login.token.access_token);
            let token = CachedToken::from_login(&login, REGION);
            home.tokens().write_token(SESSION, &token).unwrap();
        }
    }
    let seeded = scenario.cached.map(|left| {
        let record = CachedRoleCredentials::new(
            "ASIAOLDOLDOLDOLDOLD1".into(),
            Secret::from("old-secret-access-key-0123456789abcdefghij"),
            Secret::from("old-session-token"),
            SystemTime::now() + left,
        );
        let name = role_credentials_file_name(DEV, "ReadOnly", Some(SESSION), START_URL);
        home.credentials()
            .write_role_credentials(&name, &record)
            .unwrap();
        if scenario.tear {
            let path = home.credential_folder().join(&name);
            let bytes = std::fs::read(&path).unwrap();
            std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        }
        record
    });

    let url = match scenario.services {
        Services::Emulator => emulator.url().to_owned(),
        Services::Closed => {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            let port = listener.local_addr().unwrap().port();
            drop(listener);
            format!("http://127.0.0.1:{port}")
        }
    };
    let before = emulator.log().len();
    let started = SystemTime::now();
    let outcomes = match ProfileCredentials::load(Some(scenario.profile), &home.env(&url)) {
        Err(error) => vec![Err(error)],
        Ok(profile) => {
            let debug = format!("{profile:?}");
            check_no_secret(&login, &home, &debug);
            peek(&profile, &login, &home);
            match scenario.calls {
                Calls::OneAfterAnother(n) => (0..n).map(|_| T::one(&profile)).collect(),
                Calls::AtOnce(n) => T::concurrent(&profile, n),
            }
        }
    };
    let log = emulator.log()[before..].to_vec();
    let run = Run {
        home,
        login,
        seeded,
        outcomes,
        log,
        started,
    };
    for outcome in &run.outcomes {
        match outcome {
            Ok(credentials) => {
                let debug = format!("{credentials:?}");
                check_no_secret(&run.login, &run.home, &debug);
                for secret in [&credentials.secret_access_key, &credentials.session_token] {
                    assert!(!debug.contains(secret.expose().as_str()), "{debug}");
                }
            }
            Err(error) => {
                let mut text = format!("{error:?}\n{error}");
                let mut source = std::error::Error::source(error);
                while let Some(cause) = source {
                    text.push_str(&format!("\n{cause}"));
                    source = cause.source();
                }
                check_no_secret(&run.login, &run.home, &text);
            }
        }
    }
    (scenario.check)(&run);
}

/// Looks at `begin`, and at a `Fetch` after one step, without sending anything: neither's
/// `Debug` may hold a secret. The locks are let go at once.
fn peek(profile: &ProfileCredentials, login: &Login, home: &Home) {
    let begin = profile.begin(SystemTime::now(), Instant::now(), quick_retries(), 7);
    match begin {
        Ok(Begin::Fetch(mut fetch)) => {
            check_no_secret(login, home, &format!("{fetch:?}"));
            let step = fetch.poll(Instant::now());
            if let Ok(FetchStep::Send(_)) = step {
                check_no_secret(login, home, &format!("{fetch:?}"));
            }
        }
        Ok(Begin::Cached(credentials)) => {
            let debug = format!("{credentials:?}");
            assert!(!debug.contains(credentials.secret_access_key.expose().as_str()));
            assert!(!debug.contains(credentials.session_token.expose().as_str()));
        }
        Err(error) => check_no_secret(login, home, &format!("{error:?} {error}")),
    }
}

/// `text` holds none of the sign-in's secrets, nor those of the token and credentials cached
/// now.
fn check_no_secret(login: &Login, home: &Home, text: &str) {
    let mut secrets = vec![
        login.token.access_token.expose().clone(),
        login.registration.client_secret.expose().clone(),
    ];
    secrets.extend(login.token.refresh_token.iter().map(|t| t.expose().clone()));
    if let Ok(Some(token)) = home.tokens().read_token(SESSION) {
        secrets.push(token.access_token.expose().clone());
        secrets.extend(token.refresh_token.iter().map(|t| t.expose().clone()));
    }
    let name = role_credentials_file_name(DEV, "ReadOnly", Some(SESSION), START_URL);
    if let Ok(Some(credentials)) = home.credentials().read_role_credentials(&name) {
        secrets.push(credentials.secret_access_key.expose().clone());
        secrets.push(credentials.session_token.expose().clone());
    }
    for secret in secrets {
        assert!(!text.contains(&secret), "a secret in: {text}");
    }
}

/// The scenarios, by name; each becomes one test per transport.
mod scenario {
    use super::*;

    pub(super) fn credentials_are_issued_and_cached() -> Scenario {
        Scenario {
            calls: Calls::OneAfterAnother(2),
            ..Scenario::new(|run| {
                // One request for both calls: the second was served from the cache.
                assert_eq!(run.operations(), [Some(Operation::GetRoleCredentials)]);
                assert_eq!(run.log[0].status.map(|s| s.as_u16()), Some(200));
                let [first, second] = run.all_ok()[..] else {
                    panic!("two calls")
                };
                assert!(first.access_key_id.starts_with("ASIA"));
                assert_eq!(first.access_key_id, second.access_key_id);
                assert_eq!(
                    first.secret_access_key.expose(),
                    second.secret_access_key.expose()
                );
                assert_eq!(first.account_id.as_deref(), Some(DEV));
                let left = seconds_between(run.started, first.expiration);
                assert!((3500..=3600).contains(&left), "{left}");

                // The AWS CLI's file name and content, nothing else but the lock.
                let mut names: Vec<String> = std::fs::read_dir(run.home.credential_folder())
                    .unwrap()
                    .map(|e| e.unwrap().file_name().into_string().unwrap())
                    .collect();
                names.sort();
                let file = run.credentials_file();
                let file_name = file.file_name().unwrap().to_str().unwrap().to_owned();
                assert_eq!(names, [file_name.clone(), format!("{file_name}.lock")]);
                let content = std::fs::read_to_string(&file).unwrap();
                let expected = format!(
                    "{{\"ProviderType\": \"sso\", \"Credentials\": {{\"AccessKeyId\": \"{}\", \
                     \"SecretAccessKey\": \"{}\", \"SessionToken\": \"{}\", \"Expiration\": \
                     \"{}\", \"AccountId\": \"{DEV}\"}}}}",
                    first.access_key_id,
                    first.secret_access_key.expose(),
                    first.session_token.expose(),
                    utc(first.expiration),
                );
                assert_eq!(content, expected);
                // The token is left as it was: 8 hours left, no refresh.
                assert_eq!(
                    run.cached_token().access_token.expose(),
                    run.login.token.access_token.expose()
                );
            })
        }
    }

    pub(super) fn fresh_cached_credentials_are_served() -> Scenario {
        Scenario {
            cached: Some(Duration::from_secs(20 * 60)),
            ..Scenario::new(|run| {
                assert!(run.log.is_empty(), "{:?}", run.operations());
                let [served] = run.all_ok()[..] else {
                    panic!("one call")
                };
                assert_eq!(served.access_key_id, "ASIAOLDOLDOLDOLDOLD1");
            })
        }
    }

    pub(super) fn credentials_with_less_than_15_minutes_left_are_replaced() -> Scenario {
        Scenario {
            cached: Some(Duration::from_secs(14 * 60)),
            ..Scenario::new(|run| {
                assert_eq!(run.operations(), [Some(Operation::GetRoleCredentials)]);
                let [new] = run.all_ok()[..] else {
                    panic!("one call")
                };
                let old = run.seeded.as_ref().unwrap();
                assert_ne!(new.access_key_id, old.access_key_id);
                assert!(new.is_fresh(SystemTime::now()));
                let bytes = std::fs::read(run.credentials_file()).unwrap();
                let cached = CachedRoleCredentials::from_json(&bytes).unwrap();
                assert_eq!(cached.access_key_id, new.access_key_id);
                assert_eq!(cached.session_token.expose(), new.session_token.expose());
            })
        }
    }

    /// A record torn by a writer that takes no lock and writes in place (the AWS CLI) is no
    /// record, as botocore's cache takes it: fetched again and written over.
    pub(super) fn a_torn_credential_file_is_written_over() -> Scenario {
        Scenario {
            cached: Some(Duration::from_secs(3600)),
            tear: true,
            ..Scenario::new(|run| {
                assert_eq!(run.operations(), [Some(Operation::GetRoleCredentials)]);
                let [new] = run.all_ok()[..] else {
                    panic!("one call")
                };
                let bytes = std::fs::read(run.credentials_file()).unwrap();
                let cached = CachedRoleCredentials::from_json(&bytes).unwrap();
                assert_eq!(cached.access_key_id, new.access_key_id);
            })
        }
    }

    pub(super) fn a_token_with_5_minutes_left_is_refreshed_first() -> Scenario {
        Scenario {
            token: Token::Left(Duration::from_secs(300)),
            ..Scenario::new(|run| {
                assert_eq!(
                    run.operations(),
                    [
                        Some(Operation::CreateToken),
                        Some(Operation::GetRoleCredentials)
                    ]
                );
                assert!(
                    run.log[0].body.contains(r#""grantType":"refresh_token""#),
                    "{}",
                    run.log[0].body
                );
                assert!(
                    run.log
                        .iter()
                        .all(|e| e.status.map(|s| s.as_u16()) == Some(200))
                );
                run.all_ok();
                // The refreshed token and its rotated refresh token, written back.
                let token = run.cached_token();
                assert_ne!(
                    token.access_token.expose(),
                    run.login.token.access_token.expose()
                );
                let old_refresh = run.login.token.refresh_token.as_ref().unwrap();
                let new_refresh = token.refresh_token.as_ref().expect("a refresh token");
                assert_ne!(new_refresh.expose(), old_refresh.expose());
                let left = seconds_between(run.started, token.expires_at);
                assert!((8 * 3600 - 100..=8 * 3600).contains(&left), "{left}");
                assert_eq!(token.start_url.as_deref(), Some(START_URL));
                assert_eq!(token.region.as_deref(), Some(REGION));
                assert_eq!(
                    token.client_id.as_deref(),
                    Some(run.login.registration.client_id.as_str())
                );
            })
        }
    }

    pub(super) fn without_a_token_nothing_is_sent_and_nothing_created() -> Scenario {
        Scenario {
            token: Token::None,
            ..Scenario::new(|run| {
                let error = run.the_error();
                let ProfileCredentialsError::NotSignedIn { profile } = error else {
                    panic!("{error:?}")
                };
                assert_eq!(profile, "dev");
                assert!(
                    error
                        .to_string()
                        .contains("sign in with `sso-oidc login --profile dev`"),
                    "{error}"
                );
                assert!(run.log.is_empty());
                assert!(!run.home.credential_folder().exists());
                assert!(!run.home.token_folder().exists());
            })
        }
    }

    pub(super) fn an_expired_token_without_a_refresh_token_needs_a_sign_in() -> Scenario {
        Scenario {
            token: Token::ExpiredWithoutRefresh,
            ..Scenario::new(|run| {
                let error = run.the_error();
                let ProfileCredentialsError::SignInAgain { profile, source } = error else {
                    panic!("{error:?}")
                };
                assert_eq!(profile, "dev");
                assert!(
                    matches!(source, RoleCredentialsError::CannotRefresh { .. }),
                    "{source:?}"
                );
                assert!(
                    error
                        .to_string()
                        .ends_with("run `sso-oidc login --profile dev`"),
                    "{error}"
                );
                assert!(run.log.is_empty(), "{:?}", run.operations());
                assert!(
                    !run.credentials_file().exists(),
                    "no credentials are cached"
                );
            })
        }
    }

    pub(super) fn a_logged_out_token_needs_a_sign_in() -> Scenario {
        Scenario {
            token: Token::LoggedOut,
            ..Scenario::new(|run| {
                let error = run.the_error();
                let ProfileCredentialsError::SignInAgain { source, .. } = error else {
                    panic!("{error:?}")
                };
                assert!(
                    matches!(source, RoleCredentialsError::TokenRefused(e) if e.status() == 401),
                    "{source:?}"
                );
                assert_eq!(
                    error.login_command().as_deref(),
                    Some("sso-oidc login --profile dev")
                );
                assert_eq!(run.operations(), [Some(Operation::GetRoleCredentials)]);
                assert_eq!(run.log[0].status.map(|s| s.as_u16()), Some(401));
                assert!(!run.credentials_file().exists());
            })
        }
    }

    /// GetRoleCredentials for an account the user has no access to: the real portal (and so
    /// the emulator) answers 403 `ForbiddenException`, which the model does not list, where
    /// ListAccountRoles would answer 404.
    pub(super) fn an_unknown_account_is_the_portal_s_refusal() -> Scenario {
        Scenario {
            profile: "stranger",
            ..Scenario::new(|run| {
                let error = run.the_error();
                let ProfileCredentialsError::Credentials(source) = error else {
                    panic!("{error:?}")
                };
                let refusal = source.service_error().expect("the portal's refusal");
                assert_eq!(refusal.status(), 403);
                assert_eq!(
                    refusal.portal_code(),
                    Some(ErrorCode::Other("ForbiddenException".into()))
                );
                assert!(error.to_string().contains("No access"), "{error}");
                assert_eq!(error.login_command(), None);
                assert!(!error.to_string().contains("sign in"), "{error}");
                assert_eq!(run.operations(), [Some(Operation::GetRoleCredentials)]);
            })
        }
    }

    pub(super) fn an_unreachable_portal_gives_up_after_its_attempts() -> Scenario {
        Scenario {
            services: Services::Closed,
            ..Scenario::new(|run| {
                let error = run.the_error();
                let ProfileCredentialsError::Unreachable { attempts, .. } = error else {
                    panic!("{error:?}")
                };
                assert_eq!(*attempts, 3);
                assert!(
                    error.to_string().ends_with("(gave up after 3 attempts)"),
                    "{error}"
                );
                assert_eq!(error.login_command(), None);
                assert!(run.log.is_empty());
            })
        }
    }

    pub(super) fn a_profile_without_a_role_names_the_key() -> Scenario {
        Scenario {
            profile: "no-role",
            ..Scenario::new(|run| {
                let error = run.the_error();
                assert!(
                    matches!(error, ProfileCredentialsError::Profile(_)),
                    "{error:?}"
                );
                assert!(error.to_string().contains("sso_role_name"), "{error}");
                assert!(run.log.is_empty());
            })
        }
    }

    pub(super) fn twenty_callers_at_once_share_one_get_role_credentials() -> Scenario {
        Scenario {
            calls: Calls::AtOnce(20),
            ..Scenario::new(|run| {
                assert_eq!(run.operations(), [Some(Operation::GetRoleCredentials)]);
                let all = run.all_ok();
                assert_eq!(all.len(), 20);
                assert!(
                    all.iter().all(|c| c.access_key_id == all[0].access_key_id
                        && c.session_token.expose() == all[0].session_token.expose()),
                    "the same credentials for all"
                );
            })
        }
    }

    pub(super) fn twenty_callers_at_once_share_one_refresh() -> Scenario {
        Scenario {
            calls: Calls::AtOnce(20),
            token: Token::Left(Duration::from_secs(300)),
            ..Scenario::new(|run| {
                assert_eq!(
                    run.operations(),
                    [
                        Some(Operation::CreateToken),
                        Some(Operation::GetRoleCredentials)
                    ]
                );
                let all = run.all_ok();
                assert!(all.iter().all(|c| c.access_key_id == all[0].access_key_id));
                let token = run.cached_token();
                assert_ne!(
                    token.access_token.expose(),
                    run.login.token.access_token.expose()
                );
            })
        }
    }
}

macro_rules! table {
    ($module:ident => $transport:ident: $($name:ident),* $(,)?) => {
        mod $module {
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
                credentials_are_issued_and_cached,
                fresh_cached_credentials_are_served,
                credentials_with_less_than_15_minutes_left_are_replaced,
                a_torn_credential_file_is_written_over,
                a_token_with_5_minutes_left_is_refreshed_first,
                without_a_token_nothing_is_sent_and_nothing_created,
                an_expired_token_without_a_refresh_token_needs_a_sign_in,
                a_logged_out_token_needs_a_sign_in,
                an_unknown_account_is_the_portal_s_refusal,
                an_unreachable_portal_gives_up_after_its_attempts,
                a_profile_without_a_role_names_the_key,
                twenty_callers_at_once_share_one_get_role_credentials,
                twenty_callers_at_once_share_one_refresh,
            );
        )*
    };
}

scenarios!(ureq => Ureq, hyper => Hyper);

#[test]
fn the_utc_format_is_the_aws_cli_s() {
    assert_eq!(utc(UNIX_EPOCH), "1970-01-01T00:00:00Z");
    assert_eq!(
        utc(UNIX_EPOCH + Duration::from_secs(1_709_251_199)),
        "2024-02-29T23:59:59Z"
    );
}
