//! `list-accounts`, `list-account-roles` and `get-role-credentials` against the emulator, for
//! what the captured AWS CLI fixtures cannot show: without `--access-token`, the profile's
//! cached token is sent (refreshed first when due, once per command), and an error names the
//! sign-in when there is none; `--debug` shows no bearer token, secret access key or session
//! token. (The portal's FIPS and dual-stack hosts are in `fips.rs`.)

use std::time::Duration;

use serde_json::Value;
use sso_oidc::Operation;
use sso_oidc_emulator::{BlockingEmulator, Config};

mod login_support;
use login_support::{Home, count, text};

/// A home signed in to `emulator` with the profile `dev` (its `sso-session`).
fn signed_in(emulator: &BlockingEmulator) -> Home {
    let home = Home::new();
    home.sso_oidc(&[
        "login",
        "--use-device-code",
        "--profile",
        "dev",
        "--endpoint-url",
        emulator.url(),
    ])
    .assert()
    .success();
    home
}

fn approving() -> Config {
    Config::default().approve_after_polls(0)
}

/// How many requests for a portal operation the emulator has seen.
fn portal_count(emulator: &BlockingEmulator, operation: Operation) -> usize {
    emulator
        .log()
        .iter()
        .filter(|request| request.operation == Some(operation))
        .count()
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn the_cached_token_is_sent_when_access_token_is_left_out() {
    let emulator = BlockingEmulator::start(approving()).unwrap();
    let home = signed_in(&emulator);
    let token = home.session_token().unwrap().access_token;
    let url = emulator.url();

    let output = home
        .sso_oidc(&["list-accounts", "--profile", "dev", "--endpoint-url", url])
        .assert()
        .success()
        .get_output()
        .clone();
    let (stdout, stderr) = text(&output);
    let accounts = json(&stdout);
    let ids: Vec<&str> = accounts["accountList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|account| account["accountId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["111122223333", "444455556666"]);
    assert!(!stdout.contains(token.expose()) && !stderr.contains(token.expose()));

    home.sso_oidc(&[
        "list-account-roles",
        "--account-id",
        "111122223333",
        "--profile",
        "dev",
        "--endpoint-url",
        url,
        "--output",
        "text",
    ])
    .assert()
    .success()
    .stdout("ROLELIST\t111122223333\tReadOnly\nROLELIST\t111122223333\tAdmin\n");

    let output = home
        .sso_oidc(&[
            "get-role-credentials",
            "--account-id",
            "111122223333",
            "--role-name",
            "Admin",
            "--profile",
            "dev",
            "--endpoint-url",
            url,
        ])
        .assert()
        .success()
        .get_output()
        .clone();
    let credentials = json(&text(&output).0)["roleCredentials"].clone();
    assert!(
        credentials["accessKeyId"]
            .as_str()
            .unwrap()
            .starts_with("ASIA")
    );
    assert!(credentials["expiration"].as_u64().unwrap() > 0);
    // Read from the cache: nothing was refreshed.
    assert_eq!(count(&emulator, Operation::CreateToken), 1);
    assert_eq!(portal_count(&emulator, Operation::GetRoleCredentials), 1);
}

#[test]
fn an_access_token_given_wins_over_the_cache() {
    let emulator = BlockingEmulator::start(approving()).unwrap();
    let home = signed_in(&emulator);
    home.sso_oidc(&[
        "list-accounts",
        "--access-token",
        "not-the-cached-one",
        "--profile",
        "dev",
        "--endpoint-url",
        emulator.url(),
    ])
    .assert()
    .code(255)
    .stderr(
        "\nAn error occurred (UnauthorizedException) when calling the ListAccounts operation: \
         Session token not found or invalid\n",
    );
}

#[test]
fn without_a_cached_token_the_error_names_the_sign_in() {
    let emulator = BlockingEmulator::start(approving()).unwrap();
    let home = Home::new();
    let output = home
        .sso_oidc(&[
            "list-accounts",
            "--profile",
            "dev",
            "--endpoint-url",
            emulator.url(),
        ])
        .assert()
        .code(255)
        .stdout("")
        .get_output()
        .clone();
    let stderr = text(&output).1;
    assert!(
        stderr.starts_with("\nWithout --access-token, the profile's cached SSO token is sent. "),
        "{stderr}"
    );
    assert!(
        stderr.contains("To sign in, run: sso-oidc login --profile dev\n"),
        "{stderr}"
    );
    // A profile with no SSO settings at all.
    let output = home
        .sso_oidc(&[
            "get-role-credentials",
            "--account-id",
            "1",
            "--role-name",
            "r",
            "--region",
            "us-east-1",
            "--endpoint-url",
            emulator.url(),
        ])
        .assert()
        .code(255)
        .get_output()
        .clone();
    let stderr = text(&output).1;
    assert!(stderr.contains("Without --access-token"), "{stderr}");
    assert!(
        stderr.contains("sso-oidc login --start-url URL --region REGION"),
        "{stderr}"
    );
    assert!(emulator.log().is_empty(), "nothing was sent");
}

#[test]
fn a_token_due_for_refresh_is_refreshed_once_first() {
    let emulator =
        BlockingEmulator::start(approving().with_access_token_lifetime(Duration::from_secs(300)))
            .unwrap();
    let home = signed_in(&emulator);
    let before = home.session_token().unwrap().access_token;
    // Two pages, one refresh.
    home.sso_oidc(&[
        "list-accounts",
        "--page-size",
        "1",
        "--profile",
        "dev",
        "--endpoint-url",
        emulator.url(),
        "--query",
        "length(accountList)",
    ])
    .assert()
    .success()
    .stdout("2\n");
    assert_eq!(count(&emulator, Operation::CreateToken), 2);
    assert_eq!(portal_count(&emulator, Operation::ListAccounts), 2);
    let after = home.session_token().unwrap().access_token;
    assert_ne!(
        before.expose(),
        after.expose(),
        "the refreshed token was cached"
    );
}

#[test]
fn debug_shows_no_bearer_token_or_role_credentials() {
    let emulator = BlockingEmulator::start(approving()).unwrap();
    let home = signed_in(&emulator);
    let token = home.session_token().unwrap().access_token;
    for given in [true, false] {
        let mut args = vec![
            "get-role-credentials",
            "--account-id",
            "111122223333",
            "--role-name",
            "ReadOnly",
            "--profile",
            "dev",
            "--endpoint-url",
            emulator.url(),
            "--debug",
        ];
        if given {
            args.extend(["--access-token", token.expose()]);
        }
        let output = home.sso_oidc(&args).assert().success().get_output().clone();
        let (stdout, stderr) = text(&output);
        let credentials = json(&stdout)["roleCredentials"].clone();
        let secret = credentials["secretAccessKey"].as_str().unwrap();
        let session = credentials["sessionToken"].as_str().unwrap();
        assert!(
            stderr.contains("/federation/credentials?role_name=ReadOnly"),
            "{stderr}"
        );
        assert!(stderr.contains(credentials["accessKeyId"].as_str().unwrap()));
        for (what, value) in [
            ("bearer token", token.expose().as_str()),
            ("secret access key", secret),
            ("session token", session),
        ] {
            assert!(
                !stderr.contains(value),
                "the {what} is in --debug: {stderr}"
            );
        }
        assert!(
            stderr.contains("\"x-amz-sso_bearer_token\": \"<redacted>\""),
            "{stderr}"
        );
    }
}
