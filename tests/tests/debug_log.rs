//! Each transport logs every request and response at `debug` level, and the log never holds a
//! secret: a whole sign-in and a refresh, and the SSO portal's operations (the bearer token,
//! the secret access key, the session token), through a `tracing` subscriber that keeps
//! everything.

use std::io::Write;
use std::sync::{Arc, Mutex};

use sso_oidc::portal::{
    self, GetRoleCredentials, ListAccountRoles, ListAccounts, Logout, RoleCredentials,
};
use sso_oidc::{CreateToken, DeviceFlowConfig, Endpoint, Login, Secret, Token};
use sso_oidc_emulator::{BlockingEmulator, Config};

/// Everything written to the log.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

/// Runs `f` with a debug-level subscriber on this thread; what it logged.
fn logged(f: impl FnOnce()) -> String {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    tracing::subscriber::with_default(subscriber, f);
    captured.text()
}

fn config(emulator: &BlockingEmulator) -> DeviceFlowConfig {
    DeviceFlowConfig::builder()
        .endpoint(Endpoint::from_url(emulator.url()).unwrap())
        .start_url("https://d-1234567890.awsapps.com/start")
        .build()
        .unwrap()
}

fn refresh_request(login: &Login) -> CreateToken {
    CreateToken::builder()
        .client_id(login.registration.client_id.clone())
        .client_secret(login.registration.client_secret.clone())
        .grant_type("refresh_token")
        .refresh_token(login.token.refresh_token.clone().expect("a refresh token"))
        .build()
        .unwrap()
}

/// The log shows each operation, and no secret of the sign-in or the refresh.
fn check(log: &str, login: &Login, refreshed: &Token) {
    for path in ["/client/register", "/device_authorization", "/token"] {
        assert!(log.contains(path), "{path} is not logged:\n{log}");
    }
    assert!(log.contains("sending request") && log.contains("received response"));
    assert!(
        log.contains("status=200") && log.contains("status=400"),
        "{log}"
    );
    assert!(log.contains("<redacted>"), "{log}");
    let secrets = [
        login.registration.client_secret.expose(),
        login.token.access_token.expose(),
        login.token.refresh_token.as_ref().unwrap().expose(),
        refreshed.access_token.expose(),
        refreshed.refresh_token.as_ref().unwrap().expose(),
    ];
    for secret in secrets {
        assert!(secret.len() >= 20, "a real secret");
        assert!(!log.contains(secret.as_str()), "a secret is logged:\n{log}");
    }
}

#[test]
fn ureq_logs_requests_without_secrets() {
    let emulator = BlockingEmulator::start(Config::default().approve_after_polls(1)).unwrap();
    let mut result = None;
    let log = logged(|| {
        let client = sso_oidc_ureq::Client::builder()
            .endpoint(Endpoint::from_url(emulator.url()).unwrap())
            .build()
            .unwrap();
        let login = client.device_login(config(&emulator), |_| {}).unwrap();
        let refreshed = client.create_token(&refresh_request(&login)).unwrap();
        result = Some((login, refreshed));
    });
    let (login, refreshed) = result.unwrap();
    check(&log, &login, &refreshed);
}

#[test]
fn hyper_logs_requests_without_secrets() {
    let emulator = BlockingEmulator::start(Config::default().approve_after_polls(1)).unwrap();
    let mut result = None;
    let log = logged(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        result = Some(runtime.block_on(async {
            let client = sso_oidc_hyper::Client::builder()
                .endpoint(Endpoint::from_url(emulator.url()).unwrap())
                .build()
                .unwrap();
            let login = client
                .device_login(config(&emulator), |_| {})
                .await
                .unwrap();
            let refreshed = client.create_token(&refresh_request(&login)).await.unwrap();
            (login, refreshed)
        }));
    });
    let (login, refreshed) = result.unwrap();
    check(&log, &login, &refreshed);
}

/// What the portal gave one signed-in user: the access token and the role credentials.
struct PortalSecrets {
    access_token: Secret,
    credentials: RoleCredentials,
}

fn portal_client_requests(
    token: &Secret,
) -> (GetRoleCredentials, ListAccounts, ListAccountRoles, Logout) {
    (
        GetRoleCredentials::builder()
            .account_id("111122223333")
            .role_name("ReadOnly")
            .access_token(token)
            .build()
            .unwrap(),
        ListAccounts::builder()
            .access_token(token)
            .max_results(1)
            .build()
            .unwrap(),
        ListAccountRoles::builder()
            .access_token(token)
            .account_id("111122223333")
            .build()
            .unwrap(),
        Logout::builder().access_token(token).build().unwrap(),
    )
}

/// The log shows each portal operation, their answers (a refusal too), and neither the bearer
/// token nor the role credentials' secrets; nor does the refusal's message.
fn check_portal(log: &str, secrets: &PortalSecrets, refused: &sso_oidc_transport::Error) {
    for path in [
        "/federation/credentials",
        "/assignment/accounts",
        "/assignment/roles",
        "/logout",
    ] {
        assert!(log.contains(path), "{path} is not logged:\n{log}");
    }
    assert!(
        log.contains("status=200") && log.contains("status=401"),
        "{log}"
    );
    assert!(
        log.contains(r#""x-amz-sso_bearer_token": "<redacted>""#),
        "the header is logged, without its value:\n{log}"
    );
    assert!(log.contains(r#""secretAccessKey":"<redacted>""#), "{log}");
    assert!(log.contains(r#""sessionToken":"<redacted>""#), "{log}");
    let values = [
        secrets.access_token.expose(),
        secrets.credentials.secret_access_key.expose(),
        secrets.credentials.session_token.expose(),
    ];
    let message = format!("{refused} {refused:?}");
    for secret in values {
        assert!(secret.len() >= 20, "a real secret");
        assert!(!log.contains(secret.as_str()), "a secret is logged:\n{log}");
        assert!(!message.contains(secret.as_str()), "a secret in the error");
    }
    // The credentials' key id is not a secret: the log shows it.
    assert!(log.contains(&secrets.credentials.access_key_id), "{log}");
}

#[test]
fn ureq_logs_the_portal_without_secrets() {
    let emulator = BlockingEmulator::start(Config::default().approve_after_polls(0)).unwrap();
    let mut result = None;
    let log = logged(|| {
        let client = sso_oidc_ureq::Client::builder()
            .portal_endpoint(portal::Endpoint::from_url(emulator.url()).unwrap())
            .build()
            .unwrap();
        let login = client.device_login(config(&emulator), |_| {}).unwrap();
        let token = login.token.access_token;
        let (credentials, accounts, roles, logout) = portal_client_requests(&token);
        let issued = client.get_role_credentials(&credentials).unwrap();
        assert_eq!(client.list_accounts_all(&accounts).unwrap().len(), 2);
        assert_eq!(client.list_account_roles_all(&roles).unwrap().len(), 2);
        client.logout(&logout).unwrap();
        let refused = client.get_role_credentials(&credentials).unwrap_err();
        result = Some((
            PortalSecrets {
                access_token: token,
                credentials: issued,
            },
            refused,
        ));
    });
    let (secrets, refused) = result.unwrap();
    check_portal(&log, &secrets, &refused);
}

#[test]
fn hyper_logs_the_portal_without_secrets() {
    let emulator = BlockingEmulator::start(Config::default().approve_after_polls(0)).unwrap();
    let mut result = None;
    let log = logged(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        result = Some(runtime.block_on(async {
            let client = sso_oidc_hyper::Client::builder()
                .portal_endpoint(portal::Endpoint::from_url(emulator.url()).unwrap())
                .build()
                .unwrap();
            let login = client
                .device_login(config(&emulator), |_| {})
                .await
                .unwrap();
            let token = login.token.access_token;
            let (credentials, accounts, roles, logout) = portal_client_requests(&token);
            let issued = client.get_role_credentials(&credentials).await.unwrap();
            assert_eq!(client.list_accounts_all(&accounts).await.unwrap().len(), 2);
            assert_eq!(
                client.list_account_roles_all(&roles).await.unwrap().len(),
                2
            );
            client.logout(&logout).await.unwrap();
            let refused = client.get_role_credentials(&credentials).await.unwrap_err();
            (
                PortalSecrets {
                    access_token: token,
                    credentials: issued,
                },
                refused,
            )
        }));
    });
    let (secrets, refused) = result.unwrap();
    check_portal(&log, &secrets, &refused);
}
