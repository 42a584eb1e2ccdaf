//! `sso-oidc token`: refreshing through the emulator, and failing clearly when only a new
//! sign-in helps.

use std::time::{Duration, Instant, SystemTime};

use predicates::prelude::*;
use sso_oidc::{CacheDir, CachedToken, Operation, Secret};
use sso_oidc_emulator::{BlockingEmulator, Config, Fault};

mod login_support;
use login_support::{Home, SESSION, count, text};

#[test]
fn token_refreshes_a_token_that_is_due_and_writes_it_back() {
    // Tokens live 5 minutes: inside botocore's 10 minute mandatory window at once.
    let emulator = BlockingEmulator::start(
        Config::default()
            .approve_after_polls(0)
            .with_access_token_lifetime(Duration::from_secs(300)),
    )
    .unwrap();
    let home = Home::new();
    let url = emulator.url();
    home.sso_oidc(&[
        "login",
        "--use-device-code",
        "--profile",
        "dev",
        "--endpoint-url",
        url,
    ])
    .assert()
    .success();
    let signed_in = home.session_token().unwrap();
    let creates = count(&emulator, Operation::CreateToken);

    let output = home
        .sso_oidc(&["token", "--profile", "dev", "--endpoint-url", url])
        .assert()
        .success()
        .get_output()
        .clone();
    let refreshed = home.session_token().unwrap();
    assert_ne!(refreshed.access_token, signed_in.access_token);
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        format!("{}\n", refreshed.access_token.expose())
    );
    // The refresh token rotated, and the new one was kept; the rest stays.
    assert_ne!(refreshed.refresh_token, signed_in.refresh_token);
    assert!(refreshed.refresh_token.is_some());
    assert_eq!(refreshed.client_id, signed_in.client_id);
    assert_eq!(refreshed.start_url, signed_in.start_url);
    assert!(refreshed.expires_at > SystemTime::now() + Duration::from_secs(200));
    assert_eq!(count(&emulator, Operation::CreateToken), creates + 1);
    let last = emulator.log().pop().unwrap();
    assert!(last.body.contains("refresh_token"), "{}", last.body);
    // Nothing secret on stderr.
    assert!(output.stderr.is_empty());
}

#[test]
fn token_fails_when_only_a_new_sign_in_helps() {
    let home = Home::new();
    let cache = CacheDir::new(home.cache());

    // Expired, and nothing to refresh it with.
    let past = SystemTime::now() - Duration::from_secs(60);
    cache
        .write_token(SESSION, &CachedToken::new(Secret::from("stale"), past))
        .unwrap();
    home.sso_oidc(&["token", "--sso-session", SESSION])
        .assert()
        .code(255)
        .stdout("")
        .stderr(predicate::str::contains(
            "Error loading SSO Token: Token for my-sso is expired and could not be refreshed \
             (the cached token has no `refreshToken`; sign in again). To sign in again, run: \
             sso-oidc login --sso-session my-sso",
        ))
        .stderr(predicate::str::contains("stale").not());

    // Still good for 12 minutes, without a refresh token: used as it is, with a warning.
    let soon = SystemTime::now() + Duration::from_secs(12 * 60);
    cache
        .write_token(SESSION, &CachedToken::new(Secret::from("still-good"), soon))
        .unwrap();
    home.sso_oidc(&["token", "--sso-session", SESSION])
        .assert()
        .success()
        .stdout("still-good\n")
        .stderr(predicate::str::contains("Unable to refresh the SSO token"));

    // Not a token record.
    std::fs::write(home.cache().join(sso_oidc::token_file_name(SESSION)), "{").unwrap();
    home.sso_oidc(&["token", "--profile", "dev"])
        .assert()
        .code(255)
        .stderr(predicate::str::contains(
            "Error loading SSO Token: Token for my-sso is invalid",
        ));

    // A legacy profile's token is named after its start URL.
    home.sso_oidc(&["token", "--profile", "legacy"])
        .assert()
        .code(255)
        .stderr(predicate::str::contains(
            "Token for https://d-1234567890.awsapps.com/start does not exist. To sign in, run: sso-oidc login --profile legacy",
        ));
}

#[test]
fn token_does_not_create_the_cache_folder() {
    let home = Home::new();
    home.sso_oidc(&["token", "--profile", "dev"])
        .assert()
        .code(255);
    assert!(!home.cache().exists());
}

#[test]
fn a_valid_cached_token_needs_no_client() {
    let home = Home::new();
    let later = SystemTime::now() + Duration::from_secs(8 * 60 * 60);
    CacheDir::new(home.cache())
        .write_token(SESSION, &CachedToken::new(Secret::from("fresh"), later))
        .unwrap();
    // A client would read this CA bundle, and this proxy setting, and fail on both: a token
    // with hours left is printed without building one.
    home.sso_oidc(&["token", "--sso-session", SESSION])
        .env("AWS_CA_BUNDLE", "/nonexistent/ca.pem")
        .env("HTTPS_PROXY", "socks5://proxy.invalid:1080")
        .assert()
        .success()
        .stdout("fresh\n")
        .stderr("");
    // Due for a refresh, it does build one, and says what is wrong with its settings.
    let soon = SystemTime::now() + Duration::from_secs(12 * 60);
    CacheDir::new(home.cache())
        .write_token(SESSION, &CachedToken::new(Secret::from("due"), soon))
        .unwrap();
    home.sso_oidc(&["token", "--sso-session", SESSION])
        .env("AWS_CA_BUNDLE", "/nonexistent/ca.pem")
        .assert()
        .code(255)
        .stderr(predicate::str::contains("/nonexistent/ca.pem"));
}

/// A SIGINT or SIGTERM while the refresh is in flight (the service has already rotated the
/// refresh token, its answer is 2 s away) waits until the new token is written, then ends the
/// command with exit code 130; the session survives, so the next `token` refreshes again.
#[cfg(unix)]
fn a_signal_during_the_refresh_keeps_the_session(signal: &str) {
    // Tokens live 5 minutes: due for a refresh at once.
    let emulator = BlockingEmulator::start(
        Config::default()
            .approve_after_polls(0)
            .with_access_token_lifetime(Duration::from_secs(300)),
    )
    .unwrap();
    let home = Home::new();
    let url = emulator.url();
    home.sso_oidc(&[
        "login",
        "--use-device-code",
        "--profile",
        "dev",
        "--endpoint-url",
        url,
    ])
    .assert()
    .success();
    let signed_in = home.session_token().unwrap();
    let creates = count(&emulator, Operation::CreateToken);

    emulator.inject(
        Fault::Delay(Duration::from_secs(2))
            .on(Operation::CreateToken)
            .once(),
    );
    let mut child = home
        .std_command(&["token", "--profile", "dev", "--endpoint-url", url])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Signal once the service has the request (and so has spent the refresh token): its answer
    // is still 2 s away.
    let deadline = Instant::now() + Duration::from_secs(10);
    while count(&emulator, Operation::CreateToken) == creates {
        assert!(Instant::now() < deadline, "no refresh request");
        std::thread::sleep(Duration::from_millis(10));
    }
    let sent = std::process::Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("`token` did not end after {signal}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(130), "{signal}: {stderr}");
    assert_eq!(stdout, "");
    assert!(stderr.contains("Interrupted"), "{stderr}");

    // The rotated refresh token was written back before the command stopped.
    let written = home.session_token().unwrap();
    assert_ne!(written.access_token, signed_in.access_token);
    assert_ne!(written.refresh_token, signed_in.refresh_token);
    assert!(written.refresh_token.is_some());

    // And it is the one the service now takes: the session was not lost.
    home.sso_oidc(&["token", "--profile", "dev", "--endpoint-url", url])
        .assert()
        .success()
        .stderr("");
    let refreshed = home.session_token().unwrap();
    assert_ne!(refreshed.refresh_token, written.refresh_token);
    assert_eq!(count(&emulator, Operation::CreateToken), creates + 2);
}

#[cfg(unix)]
#[test]
fn sigint_during_the_refresh_waits_for_the_new_token_to_be_written() {
    a_signal_during_the_refresh_keeps_the_session("-INT");
}

#[cfg(unix)]
#[test]
fn sigterm_during_the_refresh_waits_for_the_new_token_to_be_written() {
    a_signal_during_the_refresh_keeps_the_session("-TERM");
}

#[test]
fn cache_files_are_read_with_a_cap_and_io_errors_say_why() {
    let home = Home::new();
    std::fs::create_dir_all(home.cache()).unwrap();
    // 100 MiB, sparse: read whole, it would cost 100 MB of memory.
    let file =
        std::fs::File::create(home.cache().join(sso_oidc::token_file_name(SESSION))).unwrap();
    file.set_len(100 << 20).unwrap();
    home.sso_oidc(&["token", "--sso-session", SESSION])
        .assert()
        .code(255)
        .stderr(predicate::str::contains("Token for my-sso is invalid"))
        .stderr(predicate::str::contains("too large for a cache record"));

    // A file where the cache folder should be: the OS's reason.
    let blocker = home.path().join("blocker");
    std::fs::write(&blocker, "").unwrap();
    home.sso_oidc(&["token", "--sso-session", SESSION])
        .arg("--cache-dir")
        .arg(blocker.join("cache"))
        .assert()
        .code(255)
        .stderr(predicate::str::contains(
            "Unable to read the SSO token cache: could not read",
        ))
        .stderr(predicate::str::contains("Not a directory"));
}

#[test]
fn token_prints_a_document_with_output_or_query() {
    let home = Home::new();
    // 2100-01-01T00:00:00Z: hours left, so nothing is refreshed.
    let expires = SystemTime::UNIX_EPOCH + Duration::from_secs(4_102_444_800);
    CacheDir::new(home.cache())
        .write_token(SESSION, &CachedToken::new(Secret::from("tok"), expires))
        .unwrap();
    let run = |args: &[&str]| {
        let mut argv = vec!["token", "--sso-session", SESSION];
        argv.extend_from_slice(args);
        let output = home
            .sso_oidc(&argv)
            .env("AWS_DEFAULT_OUTPUT", "table")
            .assert()
            .success()
            .get_output()
            .clone();
        String::from_utf8(output.stdout).unwrap()
    };
    // Without either, the token alone (the profile's output format is the operations').
    assert_eq!(run(&[]), "tok\n");
    assert_eq!(
        run(&["--output", "json"]),
        "{\n    \"accessToken\": \"tok\",\n    \"expiresAt\": \"2100-01-01T00:00:00Z\"\n}\n"
    );
    assert_eq!(
        run(&["--query", "expiresAt", "--output", "text"]),
        "2100-01-01T00:00:00Z\n"
    );
    assert_eq!(run(&["--query", "expiresAt"]), "\"2100-01-01T00:00:00Z\"\n");
    assert_eq!(run(&["--output", "text"]), "tok\t2100-01-01T00:00:00Z\n");
    // A query that cannot be parsed fails before the cache is read.
    home.sso_oidc(&["token", "--sso-session", "nope", "--query", "[["])
        .assert()
        .code(255)
        .stderr(predicate::str::contains("sso-session").not());
}
