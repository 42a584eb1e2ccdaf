//! `export-credentials` against the emulator: credentials from the portal, then from the AWS
//! CLI's cache; 20 processes at once with an empty cache make one `GetRoleCredentials`; the
//! error without a sign-in names the command that signs in; `--debug` shows no secret; and
//! botocore, a client nobody here wrote, takes them through `credential_process`.

use std::io::Write;
use std::process::Stdio;

use serde_json::Value;
use sso_oidc::{CachedRoleCredentials, Operation};
use sso_oidc_emulator::{BlockingEmulator, Config};

mod login_support;
use login_support::{Home, SESSION, START_URL, text};

#[path = "../../tests/tests/support/mod.rs"]
mod python_support;
use python_support::{isolated, python, python_has};

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

/// `sso-oidc export-credentials ARGS` in `home`, both services at `emulator` (as a
/// `credential_process` sees them: from the environment, not from `--endpoint-url`).
fn export(home: &Home, emulator: &BlockingEmulator, args: &[&str]) -> std::process::Command {
    let mut command = home.std_command(&[&["export-credentials"], args].concat());
    command.env("AWS_ENDPOINT_URL", emulator.url());
    command
}

fn get_role_credentials(emulator: &BlockingEmulator) -> usize {
    emulator
        .log()
        .iter()
        .filter(|request| request.operation == Some(Operation::GetRoleCredentials))
        .count()
}

fn cached(home: &Home) -> Option<CachedRoleCredentials> {
    let name =
        sso_oidc::role_credentials_file_name("111122223333", "Admin", Some(SESSION), START_URL);
    let bytes = std::fs::read(home.path().join(".aws/cli/cache").join(name)).ok()?;
    Some(CachedRoleCredentials::from_json(&bytes).unwrap())
}

fn run(mut command: std::process::Command) -> (String, String) {
    let output = command.output().unwrap();
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stderr}");
    (stdout, stderr)
}

#[test]
fn from_the_portal_then_from_the_cache() {
    let emulator = BlockingEmulator::start(Config::default().approve_after_polls(0)).unwrap();
    let home = signed_in(&emulator);
    let (first, _) = run(export(&home, &emulator, &["--profile", "dev"]));
    let document: Value = serde_json::from_str(&first).unwrap();
    let keys: Vec<&str> = first
        .lines()
        .filter_map(|line| line.trim().strip_prefix('"')?.split('"').next())
        .collect();
    assert_eq!(
        keys,
        [
            "Version",
            "AccessKeyId",
            "SecretAccessKey",
            "SessionToken",
            "Expiration"
        ],
        "the AWS CLI's order"
    );
    assert_eq!(document["Version"], 1);
    let cached = cached(&home).expect("cached where the AWS CLI caches them");
    assert_eq!(document["AccessKeyId"], cached.access_key_id.as_str());
    assert_eq!(
        document["SessionToken"],
        cached.session_token.expose().as_str()
    );
    assert!(
        document["Expiration"].as_str().unwrap().ends_with("+00:00"),
        "{first}"
    );
    assert_eq!(get_role_credentials(&emulator), 1);

    let (again, _) = run(export(&home, &emulator, &["--profile", "dev"]));
    assert_eq!(again, first);
    assert_eq!(get_role_credentials(&emulator), 1, "served from the cache");

    let (env, _) = run(export(
        &home,
        &emulator,
        &["--profile", "dev", "--format", "env"],
    ));
    assert_eq!(
        env.lines().next().unwrap(),
        format!("export AWS_ACCESS_KEY_ID={}", cached.access_key_id)
    );
    assert_eq!(env.lines().count(), 4);
}

#[test]
fn twenty_at_once_make_one_get_role_credentials() {
    let emulator = BlockingEmulator::start(Config::default().approve_after_polls(0)).unwrap();
    let home = signed_in(&emulator);
    let children: Vec<_> = (0..20)
        .map(|_| {
            export(&home, &emulator, &["--profile", "dev"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outputs: Vec<String> = children
        .into_iter()
        .map(|child| {
            let output = child.wait_with_output().unwrap();
            let (stdout, stderr) = text(&output);
            assert!(output.status.success(), "{stderr}");
            stdout
        })
        .collect();
    assert_eq!(get_role_credentials(&emulator), 1);
    assert!(outputs.iter().all(|output| output == &outputs[0]));
}

#[test]
fn without_a_sign_in_the_error_names_the_command_that_signs_in() {
    let emulator = BlockingEmulator::start(Config::default()).unwrap();
    let home = Home::new();
    let output = export(&home, &emulator, &["--profile", "dev"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let (stdout, stderr) = text(&output);
    assert_eq!(stdout, "");
    assert!(
        stderr.contains(
            "Unable to retrieve credentials: no cached SSO token for profile `dev`; sign in with `sso-oidc login --profile dev`"
        ),
        "{stderr}"
    );
    assert!(emulator.log().is_empty(), "nothing sent");
    assert!(!home.path().join(".aws/cli").exists(), "no folder made");
}

#[test]
fn a_profile_without_a_role_is_refused() {
    let emulator = BlockingEmulator::start(Config::default()).unwrap();
    let home = Home::new();
    let output = export(&home, &emulator, &["--profile", "legacy"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = text(&output).1;
    assert!(
        stderr.contains("Unable to retrieve credentials: "),
        "{stderr}"
    );
    assert!(stderr.contains("sso_role_name"), "{stderr}");
}

#[test]
fn debug_shows_no_secret() {
    let emulator = BlockingEmulator::start(Config::default().approve_after_polls(0)).unwrap();
    let home = signed_in(&emulator);
    let token = home.session_token().unwrap();
    let (stdout, stderr) = run(export(&home, &emulator, &["--profile", "dev", "--debug"]));
    let document: Value = serde_json::from_str(&stdout).unwrap();
    assert!(
        stderr.contains("GetRoleCredentials") || stderr.contains("/federation/credentials"),
        "{stderr}"
    );
    for secret in [
        document["SecretAccessKey"].as_str().unwrap(),
        document["SessionToken"].as_str().unwrap(),
        token.access_token.expose(),
    ] {
        assert!(!stderr.contains(secret), "a secret in --debug: {stderr}");
    }
}

/// botocore resolves a profile whose `credential_process` is this command, and gets the
/// credentials the portal issued.
#[test]
fn botocore_takes_them_through_credential_process() {
    let python = python();
    if !python_has(&python, "botocore.credentials", "botocore") {
        return;
    }
    let emulator = BlockingEmulator::start(Config::default().approve_after_polls(0)).unwrap();
    let home = signed_in(&emulator);
    let mut config = std::fs::OpenOptions::new()
        .append(true)
        .open(home.config())
        .unwrap();
    writeln!(
        config,
        "\n[profile process]\ncredential_process = {} export-credentials --profile dev",
        env!("CARGO_BIN_EXE_sso-oidc")
    )
    .unwrap();
    let script = "import json, botocore.session\n\
        c = botocore.session.Session(profile='process').get_credentials()\n\
        f = c.get_frozen_credentials()\n\
        print(json.dumps({'method': c.method, 'key': f.access_key, 'secret': f.secret_key, \
        'token': f.token, 'expiry': c._expiry_time.isoformat()}))";
    let output = isolated(&python)
        .args(["-c", script])
        .env("HOME", home.path())
        .env("AWS_CONFIG_FILE", home.config())
        .env("AWS_ENDPOINT_URL", emulator.url())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let read: Value = serde_json::from_slice(&output.stdout).unwrap();
    let cached = cached(&home).expect("the credentials our process cached");
    assert_eq!(read["method"], "custom-process");
    assert_eq!(read["key"], cached.access_key_id.as_str());
    assert_eq!(read["secret"], cached.secret_access_key.expose().as_str());
    assert_eq!(read["token"], cached.session_token.expose().as_str());
    assert_eq!(
        read["expiry"].as_str().unwrap(),
        sso_oidc::format_time(cached.expiration).replace('Z', "+00:00")
    );
    assert_eq!(get_role_credentials(&emulator), 1);
}

/// `AWS_MAX_ATTEMPTS` bounds the retries of `GetRoleCredentials`, as for every other call.
#[test]
fn the_retry_settings_bound_get_role_credentials() {
    let emulator = BlockingEmulator::start(Config::default().approve_after_polls(0)).unwrap();
    let home = signed_in(&emulator);
    emulator
        .inject(sso_oidc_emulator::Fault::InternalServerError.on(Operation::GetRoleCredentials));
    let mut command = export(&home, &emulator, &["--profile", "dev"]);
    command.env("AWS_MAX_ATTEMPTS", "2");
    let output = command.output().unwrap();
    assert!(!output.status.success());
    assert_eq!(get_role_credentials(&emulator), 2);
    assert!(cached(&home).is_none());
}
