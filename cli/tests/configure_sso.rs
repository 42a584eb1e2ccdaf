//! `sso-oidc configure sso` against the emulator: every answer from an option (no terminal),
//! the account and role taken when there is only one, chosen by number on a terminal (a
//! pseudo-terminal driven by Python), an existing sso-session reused without a question, the
//! config file's other bytes kept, and what is written read back by `sso-oidc token` and by
//! botocore (its config reading, its token provider and its SSO credential provider, which
//! gets role credentials from the emulator with the token we cached). No secret in any output.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Output, Stdio};

use serde_json::{Value, json};
use sso_oidc::{Endpoint, Operation};
use sso_oidc_emulator::{BlockingEmulator, Config, PortalAccount};

mod login_support;
use login_support::{Home, count, snapshot, text};

#[path = "../../tests/tests/support/mod.rs"]
mod python_support;
use python_support::{isolated, python, python_has};

const START_URL: &str = "https://d-1234567890.awsapps.com/start";

/// A config file with comments, blank lines, nested values and sections of every kind, none
/// of which `configure sso` may touch.
const EXISTING: &str = "\
# My AWS settings: keep this comment
[default]
region = eu-west-1
output = table

; profiles for work
[profile work]
credential_process = /usr/bin/get-creds --profile work
region = us-west-2
s3 =
  max_concurrent_requests = 20
# the end of work

[services local]
sso_oidc =
  endpoint_url = http://127.0.0.1:9

[preview]
cloudfront = true
";

/// The options of a whole run for a new session `corp`, profile `new`.
fn all_options(emulator: &BlockingEmulator) -> Vec<String> {
    [
        "configure",
        "sso",
        "--sso-session",
        "corp",
        "--sso-start-url",
        START_URL,
        "--sso-region",
        "us-east-1",
        "--sso-registration-scopes",
        "sso:account:access",
        "--account-id",
        "444455556666",
        "--role-name",
        "ReadOnly",
        "--region",
        "ap-south-1",
        "--output",
        "json",
        "--profile",
        "new",
        "--use-device-code",
        "--endpoint-url",
        emulator.url(),
    ]
    .map(str::to_owned)
    .to_vec()
}

fn approving() -> Config {
    Config::default()
        .approve_after_polls(0)
        .approve_authorizations()
}

fn home_with(config: &str) -> Home {
    let home = Home::new();
    std::fs::write(home.config(), config).unwrap();
    home
}

/// Runs `sso-oidc` in `home` with no terminal: standard input is empty.
fn run(home: &Home, args: &[String]) -> Output {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    home.sso_oidc(&args).write_stdin("").output().unwrap()
}

/// Every secret the cache folder holds: access and refresh tokens, client secrets.
fn secrets(cache: &Path) -> Vec<String> {
    snapshot(cache)
        .into_iter()
        .filter_map(|(_, bytes)| serde_json::from_slice::<Value>(&bytes).ok())
        .flat_map(|record| {
            ["accessToken", "refreshToken", "clientSecret"]
                .into_iter()
                .filter_map(move |key| record[key].as_str().map(str::to_owned))
        })
        .collect()
}

/// No secret of the cache in `printed`.
fn assert_no_secrets(home: &Home, printed: &str) {
    let secrets = secrets(&home.cache());
    assert!(!secrets.is_empty(), "a sign-in leaves secrets in the cache");
    for secret in secrets {
        assert!(
            !printed.contains(&secret),
            "a secret was printed: {printed}"
        );
    }
}

fn config(home: &Home) -> String {
    std::fs::read_to_string(home.config()).unwrap()
}

#[test]
fn every_answer_from_an_option_writes_the_two_sections_and_keeps_every_other_byte() {
    let emulator = BlockingEmulator::start(approving()).unwrap();
    let home = home_with(EXISTING);
    let output = run(&home, &all_options(&emulator));
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    assert_eq!(
        config(&home),
        format!(
            "{EXISTING}\
             \n[profile new]\n\
             sso_session = corp\n\
             sso_account_id = 444455556666\n\
             sso_role_name = ReadOnly\n\
             region = ap-south-1\n\
             output = json\n\
             \n[sso-session corp]\n\
             sso_start_url = {START_URL}\n\
             sso_region = us-east-1\n\
             sso_registration_scopes = sso:account:access\n"
        )
    );
    assert!(
        stdout.contains("Using the account ID 444455556666\nUsing the role name \"ReadOnly\"\n"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with(
            "To use this profile, specify the profile name using --profile, as shown:\n\n\
             aws sts get-caller-identity --profile new\n"
        ),
        "{stdout}"
    );
    // Cached as `login` caches it: under the session's name, with the session's scopes.
    let token = Home::token_in(&home.cache(), "corp").unwrap();
    assert_eq!(token.start_url.as_deref(), Some(START_URL));
    let registration = sso_oidc::registration_file_name(
        START_URL,
        "us-east-1",
        Some(&["sso:account:access".to_owned()]),
        Some("corp"),
    );
    assert!(home.cache().join(registration).exists());
    assert_no_secrets(&home, &format!("{stdout}{stderr}"));

    // `token` reads the profile as written, and finds the token.
    let printed = home
        .sso_oidc(&["token", "--profile", "new"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(printed.stdout).unwrap(),
        format!("{}\n", token.access_token.expose())
    );

    // Again for an existing profile: its keys are set in place, the session is reused as it
    // is, the cached token will do (no sign-in), and the rest stays.
    let before = config(&home);
    let again: Vec<String> = [
        "configure",
        "sso",
        "--sso-session",
        "corp",
        "--account-id",
        "111122223333",
        "--role-name",
        "Admin",
        "--region",
        "ca-central-1",
        "--profile",
        "work",
        "--endpoint-url",
        emulator.url(),
    ]
    .map(str::to_owned)
    .to_vec();
    let output = run(&home, &again);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stderr.contains("Using the cached SSO token for corp."),
        "{stderr}"
    );
    assert_eq!(
        count(&emulator, Operation::CreateToken),
        1,
        "no second sign-in"
    );
    assert_eq!(
        config(&home),
        before.replace(
            "region = us-west-2\ns3 =\n  max_concurrent_requests = 20\n",
            "region = ca-central-1\ns3 =\n  max_concurrent_requests = 20\n\
             sso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Admin\n"
        )
    );
}

#[test]
fn botocore_reads_what_configure_wrote_and_gets_credentials_with_our_token() {
    let python = python();
    if !python_has(&python, "botocore.tokens", "botocore") {
        return;
    }
    let emulator = BlockingEmulator::start(approving()).unwrap();
    let home = home_with(EXISTING);
    let output = run(&home, &all_options(&emulator));
    assert_eq!(output.status.code(), Some(0), "{:?}", text(&output));
    let token = Home::token_in(&home.cache(), "corp").unwrap();

    const SCRIPT: &str = r#"
import json, sys
import botocore.session
from botocore.tokens import SSOTokenProvider

spec = json.load(sys.stdin)
session = botocore.session.Session(profile=spec["profile"])
scoped = session.get_scoped_config()
token = SSOTokenProvider(session, profile_name=spec["profile"]).load_token().get_frozen_token()
credentials = session.get_credentials().get_frozen_credentials()
print(json.dumps({
    "profile": scoped,
    "session": session.full_config["sso_sessions"][scoped["sso_session"]],
    "profiles": sorted(session.available_profiles),
    "token": token.token,
    "access_key": credentials.access_key,
}))
"#;
    let mut child = isolated(&python)
        .args(["-c", SCRIPT])
        .env("HOME", home.path())
        .env("AWS_CONFIG_FILE", home.config())
        // botocore's SSO credential provider asks the emulator's portal for the role's keys.
        .env("AWS_ENDPOINT_URL_SSO", emulator.url())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(json!({"profile": "new"}).to_string().as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let read: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        read["profile"],
        json!({
            "sso_session": "corp",
            "sso_account_id": "444455556666",
            "sso_role_name": "ReadOnly",
            "region": "ap-south-1",
            "output": "json",
        })
    );
    assert_eq!(
        read["session"],
        json!({
            "sso_start_url": START_URL,
            "sso_region": "us-east-1",
            "sso_registration_scopes": "sso:account:access",
        })
    );
    assert_eq!(read["profiles"], json!(["default", "new", "work"]));
    assert_eq!(read["token"], token.access_token.expose().as_str());
    assert!(
        read["access_key"].as_str().unwrap().starts_with("ASIA"),
        "{read}"
    );
    assert_eq!(count(&emulator, Operation::GetRoleCredentials), 1);
}

#[test]
fn the_only_account_and_role_are_taken_and_said() {
    let emulator = BlockingEmulator::start(
        approving().with_portal_accounts([PortalAccount::new(
            "123456789012",
            "Sandbox",
            "sandbox@example.com",
        )
        .with_roles(["Developer"])]),
    )
    .unwrap();
    let home = home_with("");
    let args: Vec<String> = [
        "configure",
        "sso",
        "--sso-session",
        "corp",
        "--sso-start-url",
        START_URL,
        "--sso-region",
        "us-east-1",
        "--use-device-code",
        "--endpoint-url",
        emulator.url(),
    ]
    .map(str::to_owned)
    .to_vec();
    let output = run(&home, &args);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains(
            "The only AWS account available to you is: 123456789012\n\
             Using the account ID 123456789012\n\
             The only role available to you is: Developer\n\
             Using the role name \"Developer\"\n"
        ),
        "{stdout}"
    );
    // No profile named: Enter's default, the AWS CLI's `<role>-<account>`; no region or
    // output (the file had no default profile to offer one).
    assert_eq!(
        config(&home),
        format!(
            "[profile Developer-123456789012]\n\
             sso_session = corp\n\
             sso_account_id = 123456789012\n\
             sso_role_name = Developer\n\
             \n[sso-session corp]\n\
             sso_start_url = {START_URL}\n\
             sso_region = us-east-1\n\
             sso_registration_scopes = sso:account:access\n"
        )
    );
    assert!(
        stdout.ends_with("--profile Developer-123456789012\n"),
        "{stdout}"
    );
}

#[test]
fn without_a_terminal_a_missing_answer_names_its_option_and_writes_nothing() {
    let emulator = BlockingEmulator::start(approving()).unwrap();
    let home = home_with(EXISTING);
    let url = emulator.url();
    let base = [
        "configure",
        "sso",
        "--endpoint-url",
        url,
        "--use-device-code",
    ];
    let cases: &[(&[&str], &str)] = &[
        (&[], "--sso-session NAME"),
        (&["--sso-session", "corp"], "give it with --sso-start-url"),
        (
            &["--sso-session", "corp", "--sso-start-url", START_URL],
            "give it with --sso-region",
        ),
        // Two accounts and no --account-id: after the sign-in, before anything is written.
        (
            &[
                "--sso-session",
                "corp",
                "--sso-start-url",
                START_URL,
                "--sso-region",
                "us-east-1",
            ],
            "choose one with --account-id; the accounts are: Development, dev@example.com \
             (111122223333); Production, prod@example.com (444455556666)",
        ),
    ];
    for (options, expected) in cases {
        let args: Vec<String> = base
            .iter()
            .chain(*options)
            .map(|s| (*s).to_owned())
            .collect();
        let output = run(&home, &args);
        let (stdout, stderr) = text(&output);
        assert_eq!(
            output.status.code(),
            Some(255),
            "{options:?}: {stdout}{stderr}"
        );
        assert!(stderr.contains(expected), "{options:?}: {stderr}");
        assert_eq!(config(&home), EXISTING, "{options:?}");
    }
    assert_eq!(
        count(&emulator, Operation::CreateToken),
        1,
        "only the last signed in"
    );
}

#[test]
fn bad_values_are_refused_as_the_aws_cli_refuses_them_before_any_sign_in() {
    let emulator = BlockingEmulator::start(approving()).unwrap();
    let home = home_with(EXISTING);
    let cases = [
        (
            "--sso-start-url",
            "d-1234567890.awsapps.com/start",
            "Not a valid Start URL",
        ),
        (
            "--sso-start-url",
            "https://bad host/start",
            "Not a valid Start URL",
        ),
        (
            "--sso-registration-scopes",
            "sso:account:access extra",
            "Scope values must be separated by commas",
        ),
        ("--sso-region", "us east 1", "Not a valid region"),
        ("--region", "eu_west_1", "Not a valid region"),
    ];
    for (option, value, refusal) in cases {
        let mut args = all_options(&emulator);
        let at = args.iter().position(|a| a == option).unwrap();
        args[at + 1] = value.to_owned();
        let output = run(&home, &args);
        let (_, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(255), "{option}: {stderr}");
        assert_eq!(
            stderr,
            format!("\nInvalid value for {option}: {refusal}\n").replace(
                "Not a valid region\n",
                "Not a valid region (a name such as us-east-1)\n"
            ),
            "{option}"
        );
    }
    // clap knows the output formats.
    let mut args = all_options(&emulator);
    let at = args.iter().position(|a| a == "--output").unwrap();
    args[at + 1] = "yaml".to_owned();
    assert_eq!(run(&home, &args).status.code(), Some(2));
    assert!(emulator.log().is_empty(), "nothing was sent");
    assert_eq!(config(&home), EXISTING);
}

#[test]
fn an_existing_session_is_reused_and_an_option_that_contradicts_it_refused() {
    let emulator = BlockingEmulator::start(approving()).unwrap();
    let existing = format!(
        "[sso-session corp]\nsso_start_url={START_URL}\nsso_region = us-east-1 \n# corp's\n"
    );
    let home = home_with(&existing);
    let url = emulator.url();
    let args = |more: &[&str]| -> Vec<String> {
        [
            "configure",
            "sso",
            "--sso-session",
            "corp",
            "--account-id",
            "111122223333",
            "--role-name",
            "ReadOnly",
            "--profile",
            "dev",
            "--use-device-code",
            "--endpoint-url",
            url,
        ]
        .iter()
        .chain(more)
        .map(|s| (*s).to_owned())
        .collect()
    };
    let output = run(
        &home,
        &args(&["--sso-start-url", "https://other.example/start"]),
    );
    assert_eq!(output.status.code(), Some(255));
    assert!(
        text(&output).1.contains(&format!(
            "The sso-session corp has sso_start_url = {START_URL}, which --sso-start-url contradicts"
        )),
        "{:?}",
        text(&output)
    );
    assert!(emulator.log().is_empty());

    // No start URL or region asked for: the session's are used, and it stays as it was (not
    // even its spacing changes); it has no scopes, so the sign-in registers none.
    let output = run(&home, &args(&["--sso-region", "us-east-1"]));
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    assert_eq!(
        config(&home),
        format!(
            "{existing}\n[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\n\
             sso_role_name = ReadOnly\n"
        )
    );
    let token = Home::token_in(&home.cache(), "corp").unwrap();
    assert_eq!(token.start_url.as_deref(), Some(START_URL));
    let registration = sso_oidc::registration_file_name(START_URL, "us-east-1", None, Some("corp"));
    assert!(home.cache().join(registration).exists());
    assert_no_secrets(&home, &format!("{stdout}{stderr}"));
}

#[test]
fn the_legacy_format_keeps_the_start_url_in_the_profile() {
    let emulator = BlockingEmulator::start(approving()).unwrap();
    let home = home_with("");
    let args: Vec<String> = [
        "configure",
        "sso",
        "--sso-session",
        "",
        "--sso-start-url",
        START_URL,
        "--sso-region",
        "us-east-1",
        "--account-id",
        "111122223333",
        "--role-name",
        "Admin",
        "--profile",
        "old",
        "--endpoint-url",
        emulator.url(),
    ]
    .map(str::to_owned)
    .to_vec();
    let output = run(&home, &args);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stdout.starts_with("WARNING: Configuring using legacy format"),
        "{stdout}"
    );
    // The device code, as the AWS CLI signs in without a session.
    assert_eq!(count(&emulator, Operation::StartDeviceAuthorization), 1);
    assert_eq!(
        config(&home),
        format!(
            "[profile old]\nsso_start_url = {START_URL}\nsso_region = us-east-1\n\
             sso_account_id = 111122223333\nsso_role_name = Admin\n"
        )
    );
    let token = Home::token_in(&home.cache(), START_URL).unwrap();
    let printed = home
        .sso_oidc(&["token", "--profile", "old"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(printed.stdout).unwrap(),
        format!("{}\n", token.access_token.expose())
    );
}

#[test]
fn a_missing_config_file_and_folder_are_made() {
    let emulator = BlockingEmulator::start(approving()).unwrap();
    let home = Home::new();
    let path = home.path().join("elsewhere/aws/config");
    let args = all_options(&emulator);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = home
        .sso_oidc(&args)
        .env("AWS_CONFIG_FILE", &path)
        .write_stdin("")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{:?}", text(&output));
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(
        written.starts_with("[profile new]\nsso_session = corp\n"),
        "{written}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(
            mode & 0o077,
            0,
            "a new config file is the user's alone: {mode:o}"
        );
    }
}

#[test]
fn the_authorization_code_is_the_default_for_a_session() {
    let emulator = BlockingEmulator::start(approving()).unwrap();
    let home = home_with(EXISTING);
    // --debug too: every request and response is logged, and still no secret shows.
    let args: Vec<String> = all_options(&emulator)
        .into_iter()
        .filter(|a| a != "--use-device-code")
        .chain(["--debug".to_owned()])
        .collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut child = home
        .std_command(&args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // BROWSER=none: the address is printed, and "the browser" here is this GET, which the
    // emulator's scripted approval answers by following the redirect to the listener.
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut printed = String::new();
    loop {
        let mut line = String::new();
        if stdout.read_line(&mut line).unwrap() == 0 {
            break;
        }
        printed.push_str(&line);
        if line.contains("/authorize?") {
            let page = client()
                .send(http::Request::get(line.trim()).body(Vec::new()).unwrap())
                .unwrap();
            assert!(page.status().is_success(), "{page:?}");
        }
    }
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(0), "{printed}{stderr}");
    assert_eq!(count(&emulator, Operation::StartDeviceAuthorization), 0);
    assert_eq!(count(&emulator, Operation::CreateToken), 1);
    assert!(config(&home).contains("[profile new]\nsso_session = corp\n"));
    assert!(
        stderr.contains("/assignment/roles?"),
        "the debug log: {stderr}"
    );
    assert_no_secrets(&home, &format!("{printed}{stderr}"));
}

#[test]
fn a_token_the_portal_refuses_skips_the_account_and_role_as_the_aws_cli_does() {
    let emulator = BlockingEmulator::start(approving()).unwrap();
    let home = home_with(&format!(
        "[sso-session corp]\nsso_start_url = {START_URL}\nsso_region = us-east-1\n"
    ));
    // A cached token with hours left, that the emulator never issued: reused (the session is
    // not new), then refused by the portal.
    std::fs::create_dir_all(home.cache()).unwrap();
    std::fs::write(
        home.cache().join(sso_oidc::token_file_name("corp")),
        format!(
            r#"{{"startUrl": "{START_URL}", "region": "us-east-1", "accessToken": "not-issued-here", "expiresAt": "2099-01-01T00:00:00Z"}}"#
        ),
    )
    .unwrap();
    let args = |more: &[&str]| -> Vec<String> {
        [
            "configure",
            "sso",
            "--sso-session",
            "corp",
            "--profile",
            "p",
        ]
        .iter()
        .chain(more)
        .chain(&["--endpoint-url", emulator.url()])
        .map(|s| (*s).to_owned())
        .collect()
    };
    let output = run(&home, &args(&[]));
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    assert_eq!(
        stdout,
        "Unable to list AWS accounts and/or roles. Skipping configuring AWS credential \
         provider for profile.\nSuccessfully configured SSO for profile: p\n"
    );
    assert!(config(&home).ends_with("\n[profile p]\nsso_session = corp\n"));
    assert_eq!(count(&emulator, Operation::CreateToken), 0);

    // Asked for an account, the refusal is an error.
    let before = config(&home);
    let output = run(&home, &args(&["--account-id", "111122223333"]));
    assert_eq!(output.status.code(), Some(255));
    assert!(
        text(&output).1.contains(
            "An error occurred (UnauthorizedException) when calling the ListAccounts operation"
        ),
        "{:?}",
        text(&output)
    );
    assert_eq!(config(&home), before);
}

/// A plain client that follows no redirect.
fn client() -> sso_oidc_ureq::Client {
    sso_oidc_ureq::Client::builder()
        .endpoint(Endpoint::from_url("http://127.0.0.1:9").unwrap())
        .build()
        .unwrap()
}

/// Runs `sso-oidc` with its standard input a pseudo-terminal (so it asks), through Python's
/// `pty`: each step waits until `wait` shows on stderr (the questions) or stdout, then types
/// `send`; `open` GETs the address on the line that holds it, as a browser would.
const DRIVER: &str = r#"
import json, os, pty, select, subprocess, sys, termios, time, urllib.request

spec = json.load(sys.stdin)
master, slave = pty.openpty()
attributes = termios.tcgetattr(slave)
attributes[3] &= ~termios.ECHO
termios.tcsetattr(slave, termios.TCSANOW, attributes)
child = subprocess.Popen(spec["argv"], stdin=slave, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=spec["env"])
os.close(slave)
streams = {child.stdout.fileno(): "stdout", child.stderr.fileno(): "stderr"}
seen = {"stdout": "", "stderr": ""}
searched = {"stdout": 0, "stderr": 0}
steps = list(spec["steps"])
deadline = time.time() + 60
while streams and time.time() < deadline:
    ready, _, _ = select.select(list(streams), [], [], 0.1)
    for fd in ready:
        data = os.read(fd, 65536)
        if not data:
            del streams[fd]
            continue
        seen[streams[fd]] += data.decode()
    while steps:
        step = steps[0]
        stream = step.get("stream", "stderr")
        text = seen[stream]
        at = text.find(step["wait"], searched[stream])
        end = text.find("\n", at) if at >= 0 else -1
        if at < 0 or (step.get("open") and end < 0):
            break
        searched[stream] = at + len(step["wait"])
        if "send" in step:
            os.write(master, (step["send"] + "\n").encode())
        if step.get("open"):
            urllib.request.urlopen(text[text.rfind("\n", 0, at) + 1:end].strip()).read()
        steps.pop(0)
try:
    code = child.wait(timeout=max(1, deadline - time.time()))
except subprocess.TimeoutExpired:
    child.kill()
    code = None
print(json.dumps({"code": code, "stdout": seen["stdout"], "stderr": seen["stderr"],
                  "left": [step["wait"] for step in steps]}))
"#;

/// Runs `args` in `home` on a pseudo-terminal with `steps`; `None` without Python's `pty`.
fn on_terminal(home: &Home, args: &[&str], steps: &Value) -> Option<Value> {
    let python = python();
    if !python_has(&python, "pty, termios", "python3") {
        return None;
    }
    let mut argv = vec![env!("CARGO_BIN_EXE_sso-oidc").to_owned()];
    argv.extend(args.iter().map(|a| (*a).to_owned()));
    let spec = json!({
        "argv": argv,
        "env": {
            "HOME": home.path(),
            "AWS_CONFIG_FILE": home.config(),
            "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
            "BROWSER": "none",
            "PATH": std::env::var("PATH").unwrap_or_default(),
        },
        "steps": steps,
    });
    let mut child = isolated(&python)
        .args(["-c", DRIVER])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(spec.to_string().as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "the driver failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(serde_json::from_slice(&output.stdout).unwrap())
}

#[test]
fn on_a_terminal_every_question_is_asked_and_accounts_are_chosen_by_number() {
    let emulator = BlockingEmulator::start(approving()).unwrap();
    let home = home_with(EXISTING);
    let steps = json!([
        {"wait": "SSO session name (Recommended): ", "send": "corp"},
        {"wait": "SSO start URL [None]: ", "send": "not a url"},
        {"wait": "Not a valid Start URL\nSSO start URL [None]: ", "send": START_URL},
        {"wait": "SSO region [None]: ", "send": "us-east-1"},
        {"wait": "SSO registration scopes [sso:account:access]: ", "send": ""},
        {"wait": "Choose an account [1-2]: ", "send": "3"},
        {"wait": "Enter a number from 1 to 2, or the account ID\nChoose an account [1-2]: ", "send": "1"},
        {"wait": "Choose a role [1-2]: ", "send": "2"},
        // No profile named: the current values are the default profile's, as in the AWS CLI.
        {"wait": "Default client Region [eu-west-1]: ", "send": ""},
        {"wait": "CLI default output format (json if not specified) [table]: ", "send": "json"},
        {"wait": "Profile name [ReadOnly-111122223333]: ", "send": "dev"},
    ]);
    let args = [
        "configure",
        "sso",
        "--use-device-code",
        "--endpoint-url",
        emulator.url(),
    ];
    let Some(run) = on_terminal(&home, &args, &steps) else {
        return;
    };
    let (stdout, stderr) = (
        run["stdout"].as_str().unwrap(),
        run["stderr"].as_str().unwrap(),
    );
    assert_eq!(run["code"], 0, "{run}");
    assert_eq!(run["left"], json!([]));
    assert!(
        stderr.contains(
            "  1. Development, dev@example.com (111122223333)\n  \
             2. Production, prod@example.com (444455556666)\n"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("  1. Admin\n  2. ReadOnly\n"), "{stderr}");
    assert!(
        stdout.contains(
            "There are 2 AWS accounts available to you.\nUsing the account ID 111122223333\n\
             There are 2 roles available to you.\nUsing the role name \"ReadOnly\"\n"
        ),
        "{stdout}"
    );
    assert_eq!(
        config(&home),
        format!(
            "{EXISTING}\
             \n[profile dev]\n\
             sso_session = corp\n\
             sso_account_id = 111122223333\n\
             sso_role_name = ReadOnly\n\
             region = eu-west-1\n\
             output = json\n\
             \n[sso-session corp]\n\
             sso_start_url = {START_URL}\n\
             sso_region = us-east-1\n\
             sso_registration_scopes = sso:account:access\n"
        )
    );
    assert_no_secrets(&home, &format!("{stdout}{stderr}"));
}

#[test]
fn on_a_terminal_the_questions_after_a_browser_sign_in_get_their_lines() {
    // The sign-in reads standard input for a pasted address; once it is over, the lines typed
    // go to the questions that follow.
    let emulator = BlockingEmulator::start(approving()).unwrap();
    let home = home_with(&format!(
        "[profile dev]\nsso_session = corp\nregion = eu-west-1\n\n\
         [sso-session corp]\nsso_start_url = {START_URL}\nsso_region = us-east-1\n"
    ));
    let steps = json!([
        {"wait": "SSO session name [corp]: ", "send": ""},
        {"wait": "/authorize?", "stream": "stdout", "open": true},
        {"wait": "Choose an account [1-2]: ", "send": "444455556666"},
        {"wait": "Default client Region [eu-west-1]: ", "send": "us-west-1"},
        {"wait": "CLI default output format (json if not specified) [None]: ", "send": "text"},
    ]);
    let args = [
        "configure",
        "sso",
        "--profile",
        "dev",
        "--endpoint-url",
        emulator.url(),
    ];
    let Some(run) = on_terminal(&home, &args, &steps) else {
        return;
    };
    assert_eq!(run["code"], 0, "{run}");
    assert_eq!(run["left"], json!([]));
    assert_eq!(count(&emulator, Operation::StartDeviceAuthorization), 0);
    assert_eq!(
        config(&home),
        format!(
            "[profile dev]\nsso_session = corp\nregion = us-west-1\n\
             sso_account_id = 444455556666\nsso_role_name = ReadOnly\noutput = text\n\n\
             [sso-session corp]\nsso_start_url = {START_URL}\nsso_region = us-east-1\n"
        )
    );
}
