//! `sso-oidc login`, `token` and `logout` end to end, against the emulator over loopback.

use std::time::{Duration, Instant, SystemTime};

use predicates::prelude::*;
use sso_oidc::{Endpoint, Operation, RegisterClient, StartDeviceAuthorization};
use sso_oidc_emulator::{BlockingEmulator, Config, Service};

mod login_support;
use login_support::{Home, SESSION, START_URL, count, snapshot, text};

#[test]
fn login_with_the_embedded_emulator_needs_nothing_set_up() {
    let home = Home::new();
    std::fs::remove_file(home.config()).unwrap();
    // The system's temporary folder, here, so that what is left behind shows.
    let tmp = home.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let started = Instant::now();
    let output = home
        .sso_oidc(&["login", "--emulator"])
        .env_remove("AWS_CONFIG_FILE")
        .env("TMPDIR", &tmp)
        // No display is what keeps the browser shut (in CI too), not BROWSER=none.
        .env_remove("BROWSER")
        .output()
        .unwrap();
    let elapsed = started.elapsed();
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(elapsed < Duration::from_secs(15), "took {elapsed:?}");
    assert!(
        stdout.contains("Successfully logged into Start URL: https://emulator.invalid/start\n"),
        "{stdout}"
    );
    // The prompt of `aws sso login --no-browser`: there is no display here.
    assert!(stdout.starts_with("Browser will not be automatically opened.\n"));
    assert!(stdout.contains("\nThen enter the code:\n\n"));
    assert!(stderr.contains("Waiting for approval"), "{stderr}");

    // The token went to a new temporary folder, not to ~/.aws, and the folder went when the
    // command exited: it held a token and a client secret.
    let path = stdout
        .lines()
        .find_map(|line| line.strip_prefix("Token cached in "))
        .and_then(|rest| rest.strip_suffix(" (removed on exit; pass --cache-dir to keep it)"))
        .unwrap_or_else(|| panic!("the token file is named: {stdout}"));
    let path = std::path::Path::new(path);
    assert_eq!(
        path.file_name().unwrap().to_str(),
        Some(sso_oidc::token_file_name("https://emulator.invalid/start").as_str())
    );
    let folder = path.parent().unwrap();
    assert!(folder.starts_with(&tmp), "{}", folder.display());
    assert!(
        stderr.contains(&format!(
            "The token goes to a temporary folder, {} (removed on exit; pass --cache-dir to keep it).",
            folder.display()
        )),
        "{stderr}"
    );
    assert!(!folder.exists(), "{} is still there", folder.display());
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0);
    assert!(!home.cache().exists());
}

#[test]
fn login_with_the_emulator_into_a_given_cache_folder_keeps_the_token() {
    let home = Home::new();
    let cache = home.path().join("elsewhere");
    let tmp = home.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    home.sso_oidc(&[
        "login",
        "--emulator",
        "--cache-dir",
        cache.to_str().unwrap(),
    ])
    .env("TMPDIR", &tmp)
    .assert()
    .success()
    .stdout(predicate::str::contains(format!(
        "Token cached in {}\n",
        cache
            .join(sso_oidc::token_file_name("https://emulator.invalid/start"))
            .display()
    )))
    .stderr(predicate::str::contains("temporary folder").not());
    let token = Home::token_in(&cache, "https://emulator.invalid/start").unwrap();
    assert_eq!(
        token.start_url.as_deref(),
        Some("https://emulator.invalid/start")
    );
    assert!(!token.is_expired(SystemTime::now()));
    assert!(token.refresh_token.is_some());
    // Nothing was made in the temporary folder.
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0);
    home.sso_oidc(&[
        "login",
        "--emulator",
        "--endpoint-url",
        "http://127.0.0.1:9",
    ])
    .assert()
    .code(2)
    .stderr(predicate::str::contains("leave out --endpoint-url"));
}

#[test]
fn login_reuses_the_registration_then_token_then_logout() {
    let emulator = BlockingEmulator::start(Config::default().approve_after_polls(1)).unwrap();
    let home = Home::new();
    let url = emulator.url();

    let output = home
        .sso_oidc(&[
            "login",
            "--use-device-code",
            "--profile",
            "dev",
            "--endpoint-url",
            url,
        ])
        .output()
        .unwrap();
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    let token_file = home.cache().join(sso_oidc::token_file_name(SESSION));
    assert!(
        stdout.ends_with(&format!(
            "Successfully logged into Start URL: {START_URL}\nToken cached in {}\n",
            token_file.display()
        )),
        "{stdout}"
    );
    let first = home
        .session_token()
        .expect("a token file named after the session");
    assert_eq!(first.start_url.as_deref(), Some(START_URL));
    assert_eq!(first.region.as_deref(), Some("us-east-1"));
    let registration = home
        .session_registration()
        .expect("a registration file named as the AWS CLI names it");
    assert_eq!(first.client_id.as_ref(), Some(&registration.client_id));
    assert_eq!(
        registration.scopes,
        Some(vec!["sso:account:access".to_owned()])
    );
    assert_eq!(count(&emulator, Operation::RegisterClient), 1);

    // A second sign-in, by session name, reuses the registration.
    home.sso_oidc(&[
        "login",
        "--use-device-code",
        "--sso-session",
        SESSION,
        "--endpoint-url",
        url,
    ])
    .assert()
    .success();
    assert_eq!(count(&emulator, Operation::RegisterClient), 1);
    assert_eq!(count(&emulator, Operation::StartDeviceAuthorization), 2);
    let second = home.session_token().unwrap();
    assert_ne!(second.access_token, first.access_token);

    // `token` prints it, as it is: 8 hours left, nothing to refresh.
    home.sso_oidc(&["token", "--profile", "dev", "--endpoint-url", url])
        .assert()
        .success()
        .stdout(format!("{}\n", second.access_token.expose()));
    let creates = count(&emulator, Operation::CreateToken);

    // `logout` signs the token out at the portal (the emulator's) and removes its file, and
    // nothing else.
    home.sso_oidc(&["logout", "--endpoint-url", url])
        .assert()
        .success()
        .stdout("")
        .stderr("");
    assert_eq!(count(&emulator, Operation::Logout), 1);
    assert!(home.session_token().is_none());
    assert!(home.session_registration().is_some());

    home.sso_oidc(&["token", "--profile", "dev", "--endpoint-url", url])
        .assert()
        .code(255)
        .stdout("")
        .stderr(predicate::str::contains(
            "Error loading SSO Token: Token for my-sso does not exist. To sign in, run: sso-oidc login --profile dev",
        ));
    assert_eq!(count(&emulator, Operation::CreateToken), creates);
}

#[test]
fn login_with_a_legacy_profile_and_with_a_start_url() {
    let emulator = BlockingEmulator::start(Config::default().approve_after_polls(0)).unwrap();
    let home = Home::new();
    let url = emulator.url();
    home.sso_oidc(&[
        "login",
        "--use-device-code",
        "--profile",
        "legacy",
        "--endpoint-url",
        url,
    ])
    .assert()
    .success();
    let legacy = Home::token_in(&home.cache(), START_URL).expect("named after the start URL");
    let cache = home.path().join("direct");
    home.sso_oidc(&[
        "login",
        "--use-device-code",
        "--start-url",
        "https://d-9999999999.awsapps.com/start",
        "--region",
        "eu-west-1",
        "--endpoint-url",
        url,
        "--cache-dir",
        cache.to_str().unwrap(),
    ])
    .assert()
    .success()
    .stdout(predicate::str::contains(
        "Successfully logged into Start URL: https://d-9999999999.awsapps.com/start",
    ));
    let direct = Home::token_in(&cache, "https://d-9999999999.awsapps.com/start").unwrap();
    assert_eq!(direct.region.as_deref(), Some("eu-west-1"));
    assert_ne!(direct.access_token, legacy.access_token);
    // Both are legacy sign-ins (no session): one registration each, without scopes.
    assert_eq!(count(&emulator, Operation::RegisterClient), 2);
}

#[test]
fn login_fails_clearly() {
    let home = Home::new();
    home.sso_oidc(&["login", "--use-device-code", "--sso-session", "nope"])
        .assert()
        .code(255)
        .stderr(predicate::str::contains(
            "The specified sso-session does not exist: \"nope\"",
        ));
    // A denied sign-in writes nothing.
    let emulator = BlockingEmulator::start(Config::default().deny_after_polls(0)).unwrap();
    home.sso_oidc(&[
        "login",
        "--use-device-code",
        "--profile",
        "dev",
        "--endpoint-url",
        emulator.url(),
    ])
    .assert()
    .code(255)
    .stderr(predicate::str::contains("sign-in denied"));
    assert!(snapshot(&home.cache()).is_empty());

    // A start URL that is not one is named as the person gave it, before anything is sent.
    let before = emulator.log().len();
    let url = emulator.url();
    home.sso_oidc(&[
        "login",
        "--use-device-code",
        "--start-url",
        "http://[::1",
        "--region",
        "us-east-1",
    ])
    .args(["--endpoint-url", url])
    .assert()
    .code(255)
    .stderr(predicate::str::contains(
        "Invalid --start-url (\"http://[::1\"): it must be an http:// or https:// URL with a host",
    ));
    let config = std::fs::read_to_string(home.config()).unwrap();
    let config = config.replace(
        "sso_start_url = https://d-1234567890.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes",
        "sso_start_url = d-1234567890.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes",
    );
    std::fs::write(home.config(), config).unwrap();
    home.sso_oidc(&[
        "login",
        "--use-device-code",
        "--profile",
        "dev",
        "--endpoint-url",
        url,
    ])
    .assert()
    .code(255)
    .stderr(predicate::str::contains(
        "Invalid sso_start_url in [sso-session my-sso] (\"d-1234567890.awsapps.com/start\")",
    ));
    assert_eq!(emulator.log().len(), before);
    assert!(snapshot(&home.cache()).is_empty());
}

/// The secrets one sign-in handled: the client secret, the device code, the access and
/// refresh tokens.
fn secrets_of(home: &Home, emulator_url: &str, seed: u64) -> Vec<String> {
    let token = home.session_token().unwrap();
    let registration = home.session_registration().unwrap();
    // The device code never leaves the emulator (its log masks it), so ask a twin: the same
    // seed and the same requests give the same codes.
    let mut twin = Service::new(Config::default().with_seed(seed), emulator_url);
    let endpoint = Endpoint::from_url(emulator_url).unwrap();
    let (now, wall) = (Instant::now(), SystemTime::now());
    let register = RegisterClient::builder()
        .client_name("twin")
        .build()
        .unwrap();
    let client =
        RegisterClient::parse(twin.handle(&register.to_http(&endpoint), now, wall)).unwrap();
    assert_eq!(
        client.client_secret, registration.client_secret,
        "the twin is in step"
    );
    let start = StartDeviceAuthorization::builder()
        .client_id(&client.client_id)
        .client_secret(&client.client_secret)
        .start_url(START_URL)
        .build()
        .unwrap();
    let device =
        StartDeviceAuthorization::parse(twin.handle(&start.to_http(&endpoint), now, wall)).unwrap();
    vec![
        registration.client_secret.expose().clone(),
        device.device_code.expose().clone(),
        token.access_token.expose().clone(),
        token.refresh_token.unwrap().expose().clone(),
    ]
}

#[test]
fn no_secret_is_printed_even_with_debug() {
    for (seed, debug) in [(11, false), (12, true)] {
        let emulator =
            BlockingEmulator::start(Config::default().with_seed(seed).approve_after_polls(1))
                .unwrap();
        let home = Home::new();
        let mut args = vec![
            "login",
            "--use-device-code",
            "--profile",
            "dev",
            "--endpoint-url",
            emulator.url(),
        ];
        if debug {
            args.push("--debug");
        }
        let output = home.sso_oidc(&args).output().unwrap();
        let (stdout, stderr) = text(&output);
        assert!(output.status.success(), "{stdout}\n{stderr}");
        if debug {
            // Each operation of the sign-in is logged, request and response.
            for path in ["/client/register", "/device_authorization", "/token"] {
                assert!(stderr.contains(path), "{path} is not logged: {stderr}");
            }
            assert!(stderr.contains("<redacted>"), "{stderr}");
        }
        let secrets = secrets_of(&home, emulator.url(), seed);
        for secret in &secrets {
            assert!(secret.len() >= 20, "a real secret: {secret:?}");
            assert!(
                !stdout.contains(secret.as_str()),
                "stdout has a secret: {stdout}"
            );
            assert!(
                !stderr.contains(secret.as_str()),
                "stderr has a secret: {stderr}"
            );
        }
    }
}

#[test]
#[cfg(unix)] // SIGINT through `kill`
fn ctrl_c_stops_the_sign_in_and_leaves_the_cache_alone() {
    // Nobody approves.
    let emulator = BlockingEmulator::start(Config::default()).unwrap();
    let home = Home::new();
    let cache = home.path().join("cache");
    std::fs::create_dir_all(&cache).unwrap();
    std::fs::write(
        cache.join("unrelated.json"),
        br#"{"accessToken": "other tool"}"#,
    )
    .unwrap();
    let before = snapshot(&cache);

    let mut child = home
        .std_command(&[
            "login",
            "--use-device-code",
            "--profile",
            "dev",
            "--endpoint-url",
            emulator.url(),
            "--cache-dir",
            cache.to_str().unwrap(),
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until it polls.
    let deadline = Instant::now() + Duration::from_secs(30);
    while count(&emulator, Operation::CreateToken) == 0 {
        assert!(Instant::now() < deadline, "no poll came");
        std::thread::sleep(Duration::from_millis(50));
    }
    let sent = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("login did not stop on SIGINT");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(130), "{stdout}\n{stderr}");
    assert!(stderr.contains("Sign-in cancelled"), "{stderr}");
    assert!(!stdout.contains("Successfully"), "{stdout}");
    assert_eq!(snapshot(&cache), before, "the cache is as it was");
}

#[test]
fn a_cache_that_cannot_be_written_fails_before_anyone_is_asked_to_approve() {
    let home = Home::new();
    let emulator = BlockingEmulator::start(Config::default().approve_after_polls(0)).unwrap();
    // A file where the cache folder should be.
    let blocker = home.path().join("blocker");
    std::fs::write(&blocker, "").unwrap();
    let cache = blocker.join("cache");
    home.sso_oidc(&[
        "login",
        "--use-device-code",
        "--profile",
        "dev",
        "--endpoint-url",
        emulator.url(),
    ])
    .arg("--cache-dir")
    .arg(&cache)
    .assert()
    .code(255)
    .stdout(predicate::str::contains("verification").not())
    .stderr(predicate::str::contains(
        "Unable to write the SSO token cache: could not",
    ))
    .stderr(predicate::str::contains("Not a directory"));
    assert_eq!(count(&emulator, Operation::StartDeviceAuthorization), 0);
}

#[cfg(unix)]
#[test]
fn a_cache_folder_others_can_write_is_warned_about() {
    use std::os::unix::fs::PermissionsExt;
    let home = Home::new();
    let emulator = BlockingEmulator::start(Config::default().approve_after_polls(0)).unwrap();
    let cache = home.path().join("shared-cache");
    std::fs::create_dir(&cache).unwrap();
    std::fs::set_permissions(&cache, std::fs::Permissions::from_mode(0o777)).unwrap();
    let login = |cache: &std::path::Path| {
        let output = home
            .sso_oidc(&[
                "login",
                "--use-device-code",
                "--profile",
                "dev",
                "--endpoint-url",
                emulator.url(),
            ])
            .arg("--cache-dir")
            .arg(cache)
            .assert()
            .success()
            .get_output()
            .clone();
        text(&output).1
    };
    let stderr = login(&cache);
    assert!(
        stderr.contains("Warning: others can replace the token files")
            && stderr.contains("(mode 0777)")
            && stderr.contains("chmod 700"),
        "{stderr}"
    );
    // A warning only: the token was cached.
    assert!(Home::token_in(&cache, SESSION).is_some());
    std::fs::set_permissions(&cache, std::fs::Permissions::from_mode(0o700)).unwrap();
    assert!(!login(&cache).contains("Warning"));
}
