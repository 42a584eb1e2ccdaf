//! One scenario table for the SSO portal, run through both transports against the emulator
//! over loopback: each operation ends in the right output or typed error (with the HTTP status
//! and the attempts made), retries what is transient and nothing else, follows every page, and
//! never puts the bearer token in a URL.

use std::collections::HashSet;
use std::time::{Duration, SystemTime};

use sso_oidc::portal::{
    self, AccountInfo, Accounts, ErrorCode, GetRoleCredentials, ListAccountRoles, ListAccounts,
    Logout, RoleCredentials, RoleInfo,
};
use sso_oidc::{DeviceFlowConfig, Endpoint, Operation, RetryPolicy, Secret};
use sso_oidc_emulator::{BlockingEmulator, Config, Fault, Injection, LoggedRequest, PortalAccount};
use sso_oidc_transport::Error;

/// How the client is set up for one scenario.
#[derive(Clone, Debug)]
struct Setup {
    /// The portal endpoint, if the client has one.
    portal: Option<portal::Endpoint>,
    /// How the operations retry, when not the default (standard: 3 attempts).
    retry: Option<RetryPolicy>,
}

/// What a scenario asks of the portal.
#[derive(Clone, Copy, Debug)]
enum Op {
    /// `get_role_credentials` for this account and role.
    Credentials {
        account: &'static str,
        role: &'static str,
    },
    /// `list_accounts_all`, with this page size and first next token.
    AccountsAll {
        max: Option<u32>,
        next_token: Option<&'static str>,
    },
    /// `list_accounts_pages`, each page kept.
    AccountPages { max: u32 },
    /// `list_account_roles_all` for this account, with this page size.
    RolesAll {
        account: &'static str,
        max: Option<u32>,
    },
    /// `logout`.
    Logout,
}

/// What an operation gave.
#[derive(Debug)]
enum Output {
    Credentials(RoleCredentials),
    Accounts(Vec<AccountInfo>),
    Pages(Vec<Accounts>),
    Roles(Vec<RoleInfo>),
    LoggedOut,
}

/// A transport under test: a sign-in for a token, and the portal's operations.
trait Transport {
    /// Signs in at the emulator with the device flow; the access token.
    fn sign_in(url: &str) -> Secret;
    /// Runs `op` with `token`, through a client set up as `setup` says.
    fn run(setup: &Setup, op: Op, token: &Secret) -> Result<Output, Error>;
}

fn device_config(url: &str) -> DeviceFlowConfig {
    DeviceFlowConfig::builder()
        .endpoint(Endpoint::from_url(url).unwrap())
        .start_url("https://d-1234567890.awsapps.com/start")
        .build()
        .unwrap()
}

fn credentials(account: &str, role: &str, token: &Secret) -> GetRoleCredentials {
    GetRoleCredentials::builder()
        .account_id(account)
        .role_name(role)
        .access_token(token)
        .build()
        .unwrap()
}

fn accounts(max: Option<u32>, next_token: Option<&str>, token: &Secret) -> ListAccounts {
    let mut builder = ListAccounts::builder().access_token(token);
    if let Some(max) = max {
        builder = builder.max_results(max);
    }
    if let Some(next) = next_token {
        builder = builder.next_token(next);
    }
    builder.build().unwrap()
}

fn roles(account: &str, max: Option<u32>, token: &Secret) -> ListAccountRoles {
    let mut builder = ListAccountRoles::builder()
        .access_token(token)
        .account_id(account);
    if let Some(max) = max {
        builder = builder.max_results(max);
    }
    builder.build().unwrap()
}

fn logout(token: &Secret) -> Logout {
    Logout::builder().access_token(token).build().unwrap()
}

/// A client of transport crate `$krate` set up as `$setup` says: the two crates' builders have
/// the same methods but no common trait.
macro_rules! client {
    ($krate:ident, $setup:expr) => {{
        let mut builder = $krate::Client::builder();
        if let Some(endpoint) = &$setup.portal {
            builder = builder.portal_endpoint(endpoint.clone());
        }
        if let Some(policy) = $setup.retry {
            builder = builder.retry_policy(policy);
        }
        builder.build().expect("a client")
    }};
}

struct Ureq;

impl Transport for Ureq {
    fn sign_in(url: &str) -> Secret {
        let client = sso_oidc_ureq::Client::builder().build().unwrap();
        let login = client.device_login(device_config(url), |_| {}).unwrap();
        login.token.access_token
    }

    fn run(setup: &Setup, op: Op, token: &Secret) -> Result<Output, Error> {
        let client = client!(sso_oidc_ureq, setup);
        Ok(match op {
            Op::Credentials { account, role } => Output::Credentials(
                client.get_role_credentials(&credentials(account, role, token))?,
            ),
            Op::AccountsAll { max, next_token } => {
                Output::Accounts(client.list_accounts_all(&accounts(max, next_token, token))?)
            }
            Op::AccountPages { max } => Output::Pages(
                client
                    .list_accounts_pages(&accounts(Some(max), None, token))
                    .collect::<Result<_, _>>()?,
            ),
            Op::RolesAll { account, max } => {
                Output::Roles(client.list_account_roles_all(&roles(account, max, token))?)
            }
            Op::Logout => {
                client.logout(&logout(token))?;
                Output::LoggedOut
            }
        })
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
    fn sign_in(url: &str) -> Secret {
        Self::block_on(async {
            let client = sso_oidc_hyper::Client::builder().build().unwrap();
            let login = client
                .device_login(device_config(url), |_| {})
                .await
                .unwrap();
            login.token.access_token
        })
    }

    fn run(setup: &Setup, op: Op, token: &Secret) -> Result<Output, Error> {
        let client = client!(sso_oidc_hyper, setup);
        Self::block_on(async {
            Ok(match op {
                Op::Credentials { account, role } => Output::Credentials(
                    client
                        .get_role_credentials(&credentials(account, role, token))
                        .await?,
                ),
                Op::AccountsAll { max, next_token } => Output::Accounts(
                    client
                        .list_accounts_all(&accounts(max, next_token, token))
                        .await?,
                ),
                Op::AccountPages { max } => {
                    let mut pages = client.list_accounts_pages(&accounts(Some(max), None, token));
                    let mut all = Vec::new();
                    while let Some(page) = pages.next().await {
                        all.push(page?);
                    }
                    Output::Pages(all)
                }
                Op::RolesAll { account, max } => Output::Roles(
                    client
                        .list_account_roles_all(&roles(account, max, token))
                        .await?,
                ),
                Op::Logout => {
                    client.logout(&logout(token)).await?;
                    Output::LoggedOut
                }
            })
        })
    }
}

/// Which token the operation is given.
#[derive(Clone, Copy, Debug)]
enum Token {
    /// The one the sign-in gave.
    Issued,
    /// One the emulator never issued.
    Unknown,
    /// The sign-in's, logged out (through the same transport) before the operation.
    LoggedOut,
}

/// What the operation must end in.
#[derive(Debug)]
enum Expect {
    /// Its output, checked by this.
    Output(fn(&Output)),
    /// The portal's refusal: code, HTTP status, attempts made.
    Refused {
        code: ErrorCode,
        status: u16,
        attempts: u32,
    },
    /// No portal endpoint: nothing sent.
    MissingEndpoint,
}

struct Scenario {
    config: Config,
    /// Faults the emulator injects once the sign-in is done.
    faults: Vec<Injection>,
    retry: Option<RetryPolicy>,
    /// Whether the client has a portal endpoint.
    portal: bool,
    token: Token,
    op: Op,
    expect: Expect,
    /// Checks on the portal requests in the emulator's log.
    check: fn(&[LoggedRequest]),
}

impl Scenario {
    fn new(op: Op, expect: Expect) -> Self {
        Self {
            config: Config::default(),
            faults: Vec::new(),
            retry: None,
            portal: true,
            token: Token::Issued,
            op,
            expect,
            check: |_| {},
        }
    }
}

const DEV: &str = "111122223333";

/// Seven accounts, `00000000000N` for N from 1 to 7, each with roles R1 to R5.
fn seven_accounts() -> Config {
    Config::default().with_portal_accounts((1..=7).map(|i| {
        PortalAccount::new(format!("00000000000{i}"), format!("a{i}"), "a@example.com")
            .with_roles(["R1", "R2", "R3", "R4", "R5"])
    }))
}

/// A client's own policy: 5 attempts, backoff from 50 ms doubling to at most 200 ms.
fn five_quick_attempts() -> RetryPolicy {
    RetryPolicy::standard()
        .with_max_attempts(5)
        .with_backoff(Duration::from_millis(50), Duration::from_millis(200))
}

/// The portal requests in a log, the sign-in's left out.
fn portal_requests(log: &[LoggedRequest]) -> Vec<&LoggedRequest> {
    log.iter()
        .filter(|e| e.operation.is_some_and(Operation::is_portal))
        .collect()
}

fn count(log: &[LoggedRequest], operation: Operation) -> usize {
    log.iter()
        .filter(|e| e.operation == Some(operation))
        .count()
}

/// The scenarios, by name; each becomes one test per transport.
mod scenario {
    use super::*;

    pub(super) fn credentials_are_issued() -> Scenario {
        Scenario {
            config: Config::default().with_role_credentials_lifetime(Duration::from_secs(900)),
            check: |log| {
                assert_eq!(log.len(), 1);
                assert!(
                    log[0].uri.ends_with(
                        "/federation/credentials?role_name=ReadOnly&account_id=111122223333"
                    ),
                    "{}",
                    log[0].uri
                );
            },
            ..Scenario::new(
                Op::Credentials {
                    account: DEV,
                    role: "ReadOnly",
                },
                Expect::Output(|output| {
                    let Output::Credentials(credentials) = output else {
                        panic!("{output:?}")
                    };
                    assert!(credentials.access_key_id.starts_with("ASIA"));
                    assert_eq!(credentials.secret_access_key.expose().len(), 40);
                    assert!(!credentials.session_token.expose().is_empty());
                    // The emulator's lifetime, from about now.
                    let left = credentials
                        .expiration
                        .duration_since(SystemTime::now())
                        .unwrap();
                    assert!(
                        left > Duration::from_secs(800) && left <= Duration::from_secs(900),
                        "{left:?}"
                    );
                }),
            )
        }
    }

    pub(super) fn every_account_of_every_page_exactly_once() -> Scenario {
        Scenario {
            config: seven_accounts(),
            check: |log| {
                let uris: Vec<&str> = log.iter().map(|e| e.uri.as_str()).collect();
                assert_eq!(uris.len(), 4, "{uris:?}");
                assert!(uris[0].ends_with("/assignment/accounts?max_result=2"));
                for uri in &uris[1..] {
                    assert!(uri.contains("next_token=") && uri.ends_with("max_result=2"));
                }
                let distinct: HashSet<&str> = uris.iter().copied().collect();
                assert_eq!(distinct.len(), 4, "a new token for each page");
            },
            ..Scenario::new(
                Op::AccountsAll {
                    max: Some(2),
                    next_token: None,
                },
                Expect::Output(|output| {
                    let Output::Accounts(accounts) = output else {
                        panic!("{output:?}")
                    };
                    let ids: Vec<&str> = accounts.iter().map(|a| a.account_id.as_str()).collect();
                    let expected: Vec<String> =
                        (1..=7).map(|i| format!("00000000000{i}")).collect();
                    assert_eq!(ids, expected, "each once, in order");
                    assert_eq!(accounts[6].account_name.as_deref(), Some("a7"));
                }),
            )
        }
    }

    pub(super) fn one_call_per_page() -> Scenario {
        Scenario {
            config: seven_accounts(),
            check: |log| assert_eq!(count(log, Operation::ListAccounts), 3),
            ..Scenario::new(
                Op::AccountPages { max: 3 },
                Expect::Output(|output| {
                    let Output::Pages(pages) = output else {
                        panic!("{output:?}")
                    };
                    let sizes: Vec<usize> = pages.iter().map(|p| p.accounts.len()).collect();
                    assert_eq!(sizes, [3, 3, 1]);
                    assert!(pages[2].next_token.is_none());
                    assert!(pages[0].next_token.is_some());
                }),
            )
        }
    }

    pub(super) fn every_role_of_every_page() -> Scenario {
        Scenario {
            config: seven_accounts(),
            check: |log| {
                assert_eq!(count(log, Operation::ListAccountRoles), 3);
                assert!(
                    log.iter()
                        .all(|e| e.uri.contains("account_id=000000000004"))
                );
            },
            ..Scenario::new(
                Op::RolesAll {
                    account: "000000000004",
                    max: Some(2),
                },
                Expect::Output(|output| {
                    let Output::Roles(roles) = output else {
                        panic!("{output:?}")
                    };
                    let names: Vec<&str> = roles.iter().map(|r| r.role_name.as_str()).collect();
                    assert_eq!(names, ["R1", "R2", "R3", "R4", "R5"]);
                    assert!(roles.iter().all(|r| r.account_id == "000000000004"));
                }),
            )
        }
    }

    pub(super) fn an_unknown_token_is_unauthorized() -> Scenario {
        Scenario {
            token: Token::Unknown,
            check: |log| assert_eq!(log.len(), 1, "not retried"),
            ..Scenario::new(
                Op::Credentials {
                    account: DEV,
                    role: "ReadOnly",
                },
                unauthorized(),
            )
        }
    }

    pub(super) fn an_expired_token_is_unauthorized() -> Scenario {
        Scenario {
            // The access token expires as it is issued.
            config: Config::default().with_access_token_lifetime(Duration::ZERO),
            check: |log| assert_eq!(log.len(), 1, "not retried"),
            ..Scenario::new(
                Op::AccountsAll {
                    max: None,
                    next_token: None,
                },
                unauthorized(),
            )
        }
    }

    pub(super) fn logout_then_the_token_is_refused() -> Scenario {
        Scenario {
            token: Token::LoggedOut,
            check: |log| {
                assert_eq!(count(log, Operation::Logout), 1);
                assert_eq!(log[0].status.map(|s| s.as_u16()), Some(200));
                assert_eq!(count(log, Operation::GetRoleCredentials), 1);
            },
            ..Scenario::new(
                Op::Credentials {
                    account: DEV,
                    role: "ReadOnly",
                },
                unauthorized(),
            )
        }
    }

    pub(super) fn logout_succeeds_once() -> Scenario {
        Scenario {
            token: Token::LoggedOut,
            check: |log| {
                assert_eq!(count(log, Operation::Logout), 2);
                let statuses: Vec<_> = log.iter().map(|e| e.status.map(|s| s.as_u16())).collect();
                assert_eq!(statuses, [Some(200), Some(401)]);
            },
            ..Scenario::new(Op::Logout, unauthorized())
        }
    }

    pub(super) fn logout() -> Scenario {
        Scenario {
            check: |log| {
                assert_eq!(log.len(), 1);
                assert_eq!(log[0].method, http::Method::POST);
                assert!(log[0].uri.ends_with("/logout"));
            },
            ..Scenario::new(
                Op::Logout,
                Expect::Output(|output| assert!(matches!(output, Output::LoggedOut))),
            )
        }
    }

    pub(super) fn an_unknown_account_is_not_found() -> Scenario {
        Scenario {
            check: |log| assert_eq!(log.len(), 1, "not retried"),
            ..Scenario::new(
                Op::RolesAll {
                    account: "999999999999",
                    max: None,
                },
                Expect::Refused {
                    code: ErrorCode::ResourceNotFound,
                    status: 404,
                    attempts: 1,
                },
            )
        }
    }

    pub(super) fn an_unassigned_role_is_forbidden() -> Scenario {
        Scenario {
            check: |log| assert_eq!(log.len(), 1, "not retried"),
            ..Scenario::new(
                Op::Credentials {
                    account: "444455556666",
                    role: "Admin",
                },
                Expect::Refused {
                    code: ErrorCode::Other("ForbiddenException".into()),
                    status: 403,
                    attempts: 1,
                },
            )
        }
    }

    pub(super) fn a_bad_next_token_is_an_invalid_request() -> Scenario {
        Scenario {
            check: |log| {
                assert_eq!(log.len(), 1, "not retried");
                assert!(
                    log[0]
                        .uri
                        .ends_with("/assignment/accounts?next_token=bogus")
                );
            },
            ..Scenario::new(
                Op::AccountsAll {
                    max: None,
                    next_token: Some("bogus"),
                },
                Expect::Refused {
                    code: ErrorCode::InvalidRequest,
                    status: 400,
                    attempts: 1,
                },
            )
        }
    }

    pub(super) fn throttled_twice_then_listed() -> Scenario {
        Scenario {
            config: seven_accounts(),
            faults: vec![Fault::Throttling.on(Operation::ListAccounts).times(2)],
            check: |log| {
                let statuses: Vec<_> = log.iter().map(|e| e.status.map(|s| s.as_u16())).collect();
                assert_eq!(statuses, [Some(429), Some(429), Some(200)]);
                within_backoff(log, RetryPolicy::standard());
            },
            ..Scenario::new(
                Op::AccountsAll {
                    max: None,
                    next_token: None,
                },
                Expect::Output(|output| {
                    assert!(
                        matches!(output, Output::Accounts(a) if a.len() == 7),
                        "{output:?}"
                    );
                }),
            )
        }
    }

    pub(super) fn a_500_then_credentials() -> Scenario {
        Scenario {
            faults: vec![
                Fault::InternalServerError
                    .on(Operation::GetRoleCredentials)
                    .once(),
            ],
            check: |log| {
                let statuses: Vec<_> = log.iter().map(|e| e.status.map(|s| s.as_u16())).collect();
                assert_eq!(statuses, [Some(500), Some(200)]);
                within_backoff(log, RetryPolicy::standard());
            },
            ..Scenario::new(
                Op::Credentials {
                    account: DEV,
                    role: "Admin",
                },
                Expect::Output(|output| assert!(matches!(output, Output::Credentials(_)))),
            )
        }
    }

    pub(super) fn a_dropped_connection_is_retried() -> Scenario {
        Scenario {
            faults: vec![Fault::DropConnection.on(Operation::ListAccountRoles).once()],
            check: |log| assert_eq!(count(log, Operation::ListAccountRoles), 2),
            ..Scenario::new(
                Op::RolesAll {
                    account: DEV,
                    max: None,
                },
                Expect::Output(|output| {
                    assert!(
                        matches!(output, Output::Roles(r) if r.len() == 2),
                        "{output:?}"
                    );
                }),
            )
        }
    }

    pub(super) fn gives_up_after_max_attempts() -> Scenario {
        Scenario {
            faults: vec![Fault::InternalServerError.on(Operation::GetRoleCredentials)],
            check: |log| {
                assert_eq!(log.len(), 3, "standard mode: 3 attempts");
                within_backoff(log, RetryPolicy::standard());
            },
            ..Scenario::new(
                Op::Credentials {
                    account: DEV,
                    role: "ReadOnly",
                },
                Expect::Refused {
                    code: ErrorCode::Other("InternalServerException".into()),
                    status: 500,
                    attempts: 3,
                },
            )
        }
    }

    pub(super) fn gives_up_after_the_client_s_max_attempts() -> Scenario {
        Scenario {
            faults: vec![Fault::Throttling.on(Operation::ListAccounts)],
            retry: Some(five_quick_attempts()),
            check: |log| {
                assert_eq!(log.len(), 5, "the client's 5 attempts");
                within_backoff(log, five_quick_attempts());
            },
            ..Scenario::new(
                Op::AccountsAll {
                    max: None,
                    next_token: None,
                },
                Expect::Refused {
                    code: ErrorCode::TooManyRequests,
                    status: 429,
                    attempts: 5,
                },
            )
        }
    }

    pub(super) fn a_page_that_fails_ends_the_listing() -> Scenario {
        Scenario {
            config: seven_accounts(),
            // The first page comes; every later request is throttled.
            faults: vec![Fault::Throttling.on(Operation::ListAccounts).after(1)],
            retry: Some(five_quick_attempts()),
            check: |log| {
                let statuses: Vec<_> = log.iter().map(|e| e.status.map(|s| s.as_u16())).collect();
                assert_eq!(
                    statuses,
                    [
                        Some(200),
                        Some(429),
                        Some(429),
                        Some(429),
                        Some(429),
                        Some(429)
                    ]
                );
            },
            ..Scenario::new(
                Op::AccountsAll {
                    max: Some(2),
                    next_token: None,
                },
                Expect::Refused {
                    code: ErrorCode::TooManyRequests,
                    status: 429,
                    attempts: 5,
                },
            )
        }
    }

    pub(super) fn without_a_portal_endpoint_nothing_is_sent() -> Scenario {
        Scenario {
            portal: false,
            check: |log| assert!(log.is_empty()),
            ..Scenario::new(Op::AccountPages { max: 1 }, Expect::MissingEndpoint)
        }
    }

    fn unauthorized() -> Expect {
        Expect::Refused {
            code: ErrorCode::Unauthorized,
            status: 401,
            attempts: 1,
        }
    }
}

/// The gaps between an operation's attempts: at most the backoff the policy allows before each
/// (full jitter under a ceiling that doubles), plus a moment for the request to arrive.
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

/// Runs one scenario through transport `T`.
fn run<T: Transport>(scenario: Scenario) {
    let emulator = BlockingEmulator::start(scenario.config.approve_after_polls(0)).unwrap();
    let token = match scenario.token {
        Token::Unknown => Secret::from("aoaNotATokenTheEmulatorIssued"),
        Token::Issued | Token::LoggedOut => T::sign_in(emulator.url()),
    };
    let setup = Setup {
        portal: scenario
            .portal
            .then(|| portal::Endpoint::from_url(emulator.url()).unwrap()),
        retry: scenario.retry,
    };
    if let Token::LoggedOut = scenario.token {
        assert!(matches!(
            T::run(&setup, Op::Logout, &token),
            Ok(Output::LoggedOut)
        ));
    }
    for injection in &scenario.faults {
        emulator.inject(injection.clone());
    }

    let outcome = T::run(&setup, scenario.op, &token);
    let log = emulator.log();
    let portal = portal_requests(&log);
    match (&scenario.expect, &outcome) {
        (Expect::Output(check), Ok(output)) => check(output),
        (
            Expect::Refused {
                code,
                status,
                attempts,
            },
            Err(error @ Error::Api { .. }),
        ) => {
            assert_eq!(error.portal_code().as_ref(), Some(code), "{error}");
            assert_eq!(error.status().map(|s| s.as_u16()), Some(*status), "{error}");
            assert_eq!(error.attempts(), Some(*attempts), "{error}");
            let message = error.to_string();
            if *attempts > 1 {
                assert!(
                    message.ends_with(&format!(" (gave up after {attempts} attempts)")),
                    "{message}"
                );
            }
            assert!(!message.contains(token.expose().as_str()), "{message}");
        }
        (Expect::MissingEndpoint, Err(error @ Error::MissingPortalEndpoint)) => {
            assert_eq!(error.attempts(), Some(0));
        }
        (expected, outcome) => panic!("expected {expected:?}, got {outcome:?}"),
    }

    for entry in &portal {
        // The token travels in its header only, which the emulator saw (and masks in its log).
        assert!(
            !entry.uri.contains(token.expose().as_str()),
            "{}",
            entry.uri
        );
        assert!(
            entry
                .headers
                .iter()
                .any(|(name, value)| name == "x-amz-sso_bearer_token" && value == "<masked>"),
            "{:?}",
            entry.headers
        );
    }
    let portal: Vec<LoggedRequest> = portal.into_iter().cloned().collect();
    (scenario.check)(&portal);
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
                credentials_are_issued,
                every_account_of_every_page_exactly_once,
                one_call_per_page,
                every_role_of_every_page,
                an_unknown_token_is_unauthorized,
                an_expired_token_is_unauthorized,
                logout_then_the_token_is_refused,
                logout_succeeds_once,
                logout,
                an_unknown_account_is_not_found,
                an_unassigned_role_is_forbidden,
                a_bad_next_token_is_an_invalid_request,
                throttled_twice_then_listed,
                a_500_then_credentials,
                a_dropped_connection_is_retried,
                gives_up_after_max_attempts,
                gives_up_after_the_client_s_max_attempts,
                a_page_that_fails_ends_the_listing,
                without_a_portal_endpoint_nothing_is_sent,
            );
        )*
    };
}

scenarios!(ureq => Ureq, hyper => Hyper);
