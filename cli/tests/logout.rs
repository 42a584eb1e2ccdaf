//! `sso-oidc logout` against the emulator: each cached token is signed out at the portal of
//! its region and removed, and so are the role credentials cached with SSO tokens in
//! `~/.aws/cli/cache`; everything else stays. A refused sign-out is said with `--debug` only,
//! an unreachable portal with a warning, and the files go either way; no bearer token shows.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use predicates::prelude::*;
use sso_oidc::{CacheDir, CachedRoleCredentials, CachedToken, Operation, Secret};
use sso_oidc_emulator::{BlockingEmulator, Config};

mod login_support;
use login_support::{Home, SESSION, START_URL, count, snapshot, text};

/// An SSO role-credential record, as AWS CLI v2 writes it.
const SSO_RECORD: &str = "sso-role.json";
/// What else `~/.aws/cli/cache` holds, and `logout` leaves: an assume-role record, a record
/// that names no provider, a lock file, something that is not JSON.
const OTHER_RECORDS: [(&str, &str); 4] = [
    (
        "assume-role.json",
        r#"{"ProviderType": "assume-role", "Credentials": {"AccessKeyId": "AKIA"}}"#,
    ),
    (
        "no-provider.json",
        r#"{"Credentials": {"AccessKeyId": "AKIA"}}"#,
    ),
    ("sso-role.json.lock", ""),
    ("notes.txt", "ProviderType sso"),
];

/// `~/.aws/cli/cache` under `home`.
fn cli_cache(home: &Home) -> PathBuf {
    home.path().join(".aws/cli/cache")
}

/// Fills a credential cache folder: one SSO record, and [`OTHER_RECORDS`].
fn fill_credential_cache(folder: &Path) {
    let credentials = CachedRoleCredentials::new(
        "ASIAEXAMPLE".into(),
        Secret::from("secret-access-key"),
        Secret::from("session-token"),
        SystemTime::now() + Duration::from_secs(3600),
    );
    CacheDir::new(folder)
        .write_role_credentials(SSO_RECORD, &credentials)
        .unwrap();
    for (name, text) in OTHER_RECORDS {
        std::fs::write(folder.join(name), text).unwrap();
    }
}

/// Whether `folder` holds exactly [`OTHER_RECORDS`].
fn holds_only_other_records(folder: &Path) -> bool {
    let mut expected: Vec<(String, Vec<u8>)> = OTHER_RECORDS
        .iter()
        .map(|(name, text)| ((*name).to_owned(), text.as_bytes().to_vec()))
        .collect();
    expected.sort();
    snapshot(folder) == expected
}

/// A home signed in to `emulator` with the profile `dev` (its sso-session) and the legacy
/// profile: two token files, each with its region.
fn signed_in(emulator: &BlockingEmulator) -> Home {
    let home = Home::new();
    for profile in ["dev", "legacy"] {
        home.sso_oidc(&[
            "login",
            "--use-device-code",
            "--profile",
            profile,
            "--endpoint-url",
            emulator.url(),
        ])
        .assert()
        .success();
    }
    home
}

/// Writes a token file named after `name` that the emulator never issued, in `region`.
fn write_token(home: &Home, name: &str, access_token: &str, region: Option<&str>) {
    let mut token = CachedToken::new(
        Secret::from(access_token),
        SystemTime::now() + Duration::from_secs(3600),
    );
    token.region = region.map(str::to_owned);
    token.start_url = Some(format!("https://{name}.example/start"));
    CacheDir::new(home.cache())
        .write_token(name, &token)
        .unwrap();
}

/// `list-accounts` with `token`, against `emulator`: whether the portal took it.
fn portal_accepts(home: &Home, emulator: &BlockingEmulator, token: &str) -> bool {
    let output = home
        .sso_oidc(&[
            "list-accounts",
            "--access-token",
            token,
            "--region",
            "us-east-1",
            "--endpoint-url",
            emulator.url(),
        ])
        .output()
        .unwrap();
    let stderr = text(&output).1;
    assert!(
        output.status.success() || stderr.contains("(UnauthorizedException)"),
        "{stderr}"
    );
    output.status.success()
}

/// A loopback URL on a port that nothing listens on.
fn refusing_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

#[test]
fn tokens_are_signed_out_at_the_portal_then_removed_with_the_sso_credentials() {
    let emulator = BlockingEmulator::start(Config::default().approve_after_polls(0)).unwrap();
    let home = signed_in(&emulator);
    let session = home.session_token().unwrap().access_token;
    let legacy = Home::token_in(&home.cache(), START_URL)
        .unwrap()
        .access_token;
    assert!(portal_accepts(&home, &emulator, session.expose()));
    assert!(portal_accepts(&home, &emulator, legacy.expose()));
    fill_credential_cache(&cli_cache(&home));
    // Besides the tokens: the registration login wrote, a lock file, other JSON, and a file
    // that is not JSON.
    let cache = home.cache();
    std::fs::write(cache.join("other.json"), r#"{"clientId": "x"}"#).unwrap();
    std::fs::write(cache.join("broken.json"), "{").unwrap();
    std::fs::write(cache.join("x.json.lock"), "").unwrap();
    let unlocked = |folder: &Path| -> Vec<(String, Vec<u8>)> {
        snapshot(folder)
            .into_iter()
            .filter(|(name, _)| !name.ends_with(".lock"))
            .collect()
    };
    let others: Vec<_> = unlocked(&cache)
        .into_iter()
        .filter(|(name, _)| {
            *name != sso_oidc::token_file_name(SESSION)
                && *name != sso_oidc::token_file_name(START_URL)
        })
        .collect();
    assert!(home.session_registration().is_some());

    home.sso_oidc(&["logout", "--endpoint-url", emulator.url()])
        .assert()
        .success()
        .stdout("")
        .stderr("");

    assert_eq!(count(&emulator, Operation::Logout), 2);
    assert!(!portal_accepts(&home, &emulator, session.expose()));
    assert!(!portal_accepts(&home, &emulator, legacy.expose()));
    // The token files went; what else was there stays, lock files included.
    assert_eq!(unlocked(&cache), others);
    assert!(cache.join("x.json.lock").exists());
    assert!(holds_only_other_records(&cli_cache(&home)));

    // Nothing left to sign out: no call, no client.
    home.sso_oidc(&["logout", "--endpoint-url", emulator.url()])
        .env("AWS_CA_BUNDLE", "/nonexistent/ca.pem")
        .assert()
        .success()
        .stdout("")
        .stderr("");
    assert_eq!(count(&emulator, Operation::Logout), 2);
}

#[test]
fn a_refused_sign_out_is_said_with_debug_only_and_no_bearer_token_shows() {
    let emulator = BlockingEmulator::start(Config::default().approve_after_polls(0)).unwrap();
    let home = signed_in(&emulator);
    let session = home.session_token().unwrap().access_token;
    // The portal never issued this one: it answers 401, as for an expired token.
    write_token(&home, "unknown", "never-issued-token", Some("us-east-1"));
    // No region: removed without a call, as the AWS CLI does.
    write_token(&home, "regionless", "regionless-token", None);

    let output = home
        .sso_oidc(&["logout", "--debug"])
        .env("AWS_ENDPOINT_URL_SSO", emulator.url())
        .assert()
        .success()
        .stdout("")
        .get_output()
        .clone();
    let stderr = text(&output).1;
    assert!(stderr.contains("/logout"), "{stderr}");
    assert!(
        stderr.contains(
            "the SSO portal refused Logout for https://unknown.example/start in us-east-1: \
             An error occurred (UnauthorizedException) when calling the Logout operation"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("warning"), "{stderr}");
    for secret in [session.expose(), "never-issued-token", "regionless-token"] {
        assert!(!stderr.contains(secret), "{secret} in {stderr}");
    }
    // One call each for the two signed-in tokens and the refused one; none without a region.
    assert_eq!(count(&emulator, Operation::Logout), 3);
    assert!(!portal_accepts(&home, &emulator, session.expose()));
    let tokens_left = snapshot(&home.cache())
        .into_iter()
        .filter(|(_, bytes)| String::from_utf8_lossy(bytes).contains("accessToken"))
        .count();
    assert_eq!(tokens_left, 0);

    // Without --debug, a refusal says nothing.
    write_token(&home, "unknown", "never-issued-token", Some("us-east-1"));
    home.sso_oidc(&["logout", "--endpoint-url", emulator.url()])
        .assert()
        .success()
        .stderr("");
    assert!(Home::token_in(&home.cache(), "unknown").is_none());
}

#[test]
fn an_unreachable_portal_is_a_warning_and_the_files_go_all_the_same() {
    let home = Home::new();
    write_token(&home, "first", "first-token", Some("eu-west-1"));
    write_token(&home, "second", "second-token", Some("eu-west-1"));
    let credentials = home.path().join("creds");
    fill_credential_cache(&credentials);
    let url = refusing_url();

    let output = home
        .sso_oidc(&[
            "logout",
            "--debug",
            "--endpoint-url",
            &url,
            "--credentials-cache-dir",
            credentials.to_str().unwrap(),
        ])
        .env("AWS_MAX_ATTEMPTS", "1")
        .assert()
        .success()
        .stdout("")
        .get_output()
        .clone();
    let stderr = text(&output).1;
    for name in ["first", "second"] {
        let warning = format!(
            "warning: Unable to sign out of the SSO portal for https://{name}.example/start in \
             eu-west-1 (Could not connect to the endpoint URL: \"{url}/logout\"); the cached \
             token was removed all the same, but may stay valid at the portal until it \
             expires.\n"
        );
        assert!(stderr.contains(&warning), "{stderr}");
        assert!(Home::token_in(&home.cache(), name).is_none());
        assert!(!stderr.contains(&format!("{name}-token")), "{stderr}");
    }
    // The second token was not sent to the endpoint that had just refused the connection.
    assert_eq!(stderr.matches("POST").count(), 1, "{stderr}");
    assert!(holds_only_other_records(&credentials));
}

#[test]
fn the_portal_is_addressed_in_the_records_region_with_fips() {
    let home = Home::new();
    write_token(&home, "fips", "fips-token", Some("eu-west-1"));
    // Every request goes to a proxy that refuses connections: the host is never looked up.
    home.sso_oidc(&["logout"])
        .env("AWS_USE_FIPS_ENDPOINT", "true")
        .env("HTTPS_PROXY", refusing_url())
        .env("AWS_MAX_ATTEMPTS", "1")
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "https://portal.sso-fips.eu-west-1.amazonaws.com/logout",
        ))
        .stderr(predicate::str::contains("fips-token").not());
    assert!(Home::token_in(&home.cache(), "fips").is_none());
}

#[test]
fn settings_that_keep_the_call_from_being_made_are_a_warning_too() {
    let home = Home::new();
    write_token(&home, "odd", "odd-token", Some("not a region"));
    write_token(&home, "good", "good-token", Some("eu-west-1"));
    home.sso_oidc(&["logout", "--endpoint-url", &refusing_url()])
        .env("AWS_CA_BUNDLE", "/nonexistent/ca.pem")
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains(
            "for https://odd.example/start in not a region (Provided region_name 'not a region' \
             doesn't match a supported format.)",
        ))
        .stderr(predicate::str::contains(
            "for https://good.example/start in eu-west-1 (",
        ))
        .stderr(predicate::str::contains("/nonexistent/ca.pem"));
    assert!(
        snapshot(&home.cache())
            .iter()
            .all(|(name, _)| name.ends_with(".lock"))
    );
}
