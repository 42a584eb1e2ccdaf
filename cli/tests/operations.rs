//! The operation commands against the emulator over loopback: results, the AWS CLI's error
//! messages and exit codes, retries, timeouts, and what `--debug` shows.

use std::net::TcpListener;
use std::process::{Command, Output};
use std::time::Duration;

use sso_oidc::Operation;
use sso_oidc_emulator::{BlockingEmulator, Config, Fault};

/// The `sso-oidc` binary with an empty environment but for a region: no config file, no other
/// AWS variables.
fn sso_oidc(args: &[&str]) -> Command {
    let home = std::env::temp_dir().join("sso-oidc-cli-operations-home");
    let mut command = Command::new(env!("CARGO_BIN_EXE_sso-oidc"));
    command
        .args(args)
        .env_clear()
        .env("HOME", &home)
        .env("AWS_CONFIG_FILE", home.join("no-such-config"))
        .env("AWS_REGION", "us-east-1");
    command
}

fn run(command: &mut Command) -> (u8, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = command.output().expect("the binary runs");
    (
        u8::try_from(status.code().expect("an exit code")).unwrap(),
        String::from_utf8(stdout).unwrap(),
        String::from_utf8(stderr).unwrap(),
    )
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// A registration with the emulator: (client id, client secret).
fn register(url: &str) -> (String, String) {
    let (code, stdout, stderr) = run(&mut sso_oidc(&[
        "register-client",
        "--client-name",
        "demo",
        "--client-type",
        "public",
        "--endpoint-url",
        url,
    ]));
    assert_eq!(code, 0, "{stderr}");
    let registration = json(&stdout);
    (
        registration["clientId"].as_str().unwrap().to_owned(),
        registration["clientSecret"].as_str().unwrap().to_owned(),
    )
}

#[test]
fn a_whole_device_authorization_by_hand() {
    // No least time between polls: the second poll need not wait for the interval.
    let emulator =
        BlockingEmulator::start(Config::default().with_interval(Duration::ZERO)).unwrap();
    let url = emulator.url();
    let (id, secret) = register(url);
    let (code, stdout, stderr) = run(&mut sso_oidc(&[
        "start-device-authorization",
        "--client-id",
        &id,
        "--client-secret",
        &secret,
        "--start-url",
        "https://d-1234567890.awsapps.com/start",
        "--endpoint-url",
        url,
    ]));
    assert_eq!(code, 0, "{stderr}");
    let device = json(&stdout);
    let device_code = device["deviceCode"].as_str().unwrap().to_owned();
    let user_code = device["userCode"].as_str().unwrap().to_owned();
    let poll = [
        "create-token",
        "--client-id",
        &id,
        "--client-secret",
        &secret,
        "--grant-type",
        "urn:ietf:params:oauth:grant-type:device_code",
        "--device-code",
        &device_code,
        "--endpoint-url",
        url,
    ];
    let (code, stdout, stderr) = run(&mut sso_oidc(&poll));
    assert_eq!((code, stdout.as_str()), (255, ""));
    assert_eq!(
        stderr,
        "\nAn error occurred (AuthorizationPendingException) when calling the CreateToken \
         operation: Authorization is still pending\n"
    );

    emulator.approve(&user_code).unwrap();
    let (code, stdout, stderr) = run(&mut sso_oidc(&poll));
    assert_eq!(code, 0, "{stderr}");
    let token = json(&stdout);
    assert!(token["accessToken"].as_str().unwrap().starts_with("aoa"));
    assert_eq!(token["tokenType"], "Bearer");
    assert!(stderr.is_empty(), "{stderr}");
}

#[test]
fn a_500_then_success_recovers_and_retries_run_out() {
    let emulator = BlockingEmulator::start(Config::default()).unwrap();
    emulator.inject(
        Fault::InternalServerError
            .on(Operation::RegisterClient)
            .once(),
    );
    register(emulator.url());
    let attempts = |log: &[sso_oidc_emulator::LoggedRequest]| {
        log.iter()
            .filter(|e| e.operation == Some(Operation::RegisterClient))
            .count()
    };
    assert_eq!(attempts(&emulator.log()), 2);

    let emulator = BlockingEmulator::start(Config::default()).unwrap();
    emulator.inject(Fault::InternalServerError.on(Operation::RegisterClient));
    let (code, _, stderr) = run(sso_oidc(&[
        "register-client",
        "--client-name",
        "demo",
        "--client-type",
        "public",
        "--endpoint-url",
        emulator.url(),
    ])
    .env("AWS_MAX_ATTEMPTS", "2"));
    assert_eq!(code, 255);
    assert!(
        stderr.starts_with(
            "\nAn error occurred (InternalServerException) when calling the RegisterClient \
             operation (reached max retries: 1): "
        ),
        "{stderr}"
    );
    assert_eq!(attempts(&emulator.log()), 2);
}

#[test]
fn global_options_of_aws_cli_v2_are_accepted() {
    let emulator = BlockingEmulator::start(Config::default()).unwrap();
    let (code, stdout, stderr) = run(&mut sso_oidc(&[
        "register-client",
        "--client-name",
        "demo",
        "--client-type",
        "public",
        "--no-cli-pager",
        "--endpoint-url",
        emulator.url(),
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert!(json(&stdout)["clientId"].is_string());
    // On the commands of our own too, as every global option is.
    let (code, _, stderr) = run(&mut sso_oidc(&[
        "token",
        "--no-cli-pager",
        "--profile",
        "nope",
    ]));
    assert_eq!(code, 255, "{stderr}");
    assert!(!stderr.contains("--no-cli-pager"), "{stderr}");
}

#[test]
fn a_read_timeout_is_named_with_the_url() {
    let emulator = BlockingEmulator::start(Config::default()).unwrap();
    emulator.inject(Fault::Delay(Duration::from_secs(5)).on(Operation::RegisterClient));
    let (code, stdout, stderr) = run(sso_oidc(&[
        "register-client",
        "--client-name",
        "demo",
        "--client-type",
        "public",
        "--endpoint-url",
        emulator.url(),
        "--cli-read-timeout",
        "1",
    ])
    .env("AWS_MAX_ATTEMPTS", "1"));
    assert_eq!((code, stdout.as_str()), (255, ""));
    assert_eq!(
        stderr,
        format!(
            "\nRead timeout on endpoint URL: \"{}/client/register\"\n",
            emulator.url()
        )
    );
}

#[test]
fn connection_refused_and_no_region() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let args = [
        "register-client",
        "--client-name",
        "demo",
        "--client-type",
        "public",
    ];
    let (code, _, stderr) = run(sso_oidc(&args)
        .args(["--endpoint-url", &url])
        .env("AWS_MAX_ATTEMPTS", "1"));
    assert_eq!(code, 255);
    assert_eq!(
        stderr,
        format!("\nCould not connect to the endpoint URL: \"{url}/client/register\"\n")
    );
    // A name that does not resolve (a typo in the region) says so after the AWS CLI's words.
    let (code, _, stderr) = run(sso_oidc(&args)
        .args(["--endpoint-url", "http://oidc.us-easst-1.invalid"])
        .env("AWS_MAX_ATTEMPTS", "1"));
    assert_eq!(code, 255);
    assert_eq!(
        stderr,
        "\nCould not connect to the endpoint URL: \"http://oidc.us-easst-1.invalid/client/register\": \
         could not resolve host \"oidc.us-easst-1.invalid\"\n"
    );
    // The AWS CLI wants a region even with an endpoint URL, and says so without a blank line.
    let (code, _, stderr) = run(sso_oidc(&args)
        .args(["--endpoint-url", &url])
        .env_remove("AWS_REGION"));
    assert_eq!(code, 255);
    assert_eq!(
        stderr,
        "You must specify a region. You can also configure your region by running \"aws configure\".\n"
    );
}

/// The AWS CLI prints nothing and exits 0 for a 2xx it cannot parse; we say so and fail.
#[test]
fn a_2xx_that_is_not_json_is_an_error() {
    let emulator = BlockingEmulator::start(Config::default()).unwrap();
    emulator.inject(Fault::MalformedJson.on(Operation::RegisterClient));
    let (code, stdout, stderr) = run(&mut sso_oidc(&[
        "register-client",
        "--client-name",
        "demo",
        "--client-type",
        "public",
        "--endpoint-url",
        emulator.url(),
    ]));
    assert_eq!((code, stdout.as_str()), (255, ""));
    assert!(
        stderr.starts_with("\nThe RegisterClient operation's response could not be read: "),
        "{stderr}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let (code, stdout, stderr) = run(&mut sso_oidc(&["create-token", "--client-id", "a"]));
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(stderr.starts_with("usage: sso-oidc "), "{stderr}");
    assert!(
        stderr.ends_with(
            "\nsso-oidc: error: the following arguments are required: --client-secret, --grant-type\n"
        ),
        "{stderr}"
    );
    // argparse's "Unknown options" is the AWS CLI's general failure.
    let (code, _, _) = run(&mut sso_oidc(&["create-token", "--no-such-option"]));
    assert_eq!(code, 255);
    let (code, _, _) = run(&mut sso_oidc(&["no-such-command"]));
    assert_eq!(code, 2);
    let (code, stdout, _) = run(&mut sso_oidc(&["--version"]));
    assert_eq!(code, 0);
    assert!(stdout.starts_with("sso-oidc/"), "{stdout}");
}

/// AWS CLI v1 downloads any `http(s)://` parameter value; the start URL is only ever sent.
#[test]
fn the_start_url_is_never_fetched() {
    let emulator = BlockingEmulator::start(Config::default()).unwrap();
    let portal = TcpListener::bind("127.0.0.1:0").unwrap();
    portal.set_nonblocking(true).unwrap();
    let start_url = format!("http://{}/start", portal.local_addr().unwrap());
    let (id, secret) = register(emulator.url());
    let (code, _, stderr) = run(&mut sso_oidc(&[
        "start-device-authorization",
        "--client-id",
        &id,
        "--client-secret",
        &secret,
        "--start-url",
        &start_url,
        "--endpoint-url",
        emulator.url(),
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        portal.accept().is_err(),
        "something connected to the start URL"
    );
}

#[test]
fn debug_logs_requests_and_responses_without_secrets() {
    let emulator = BlockingEmulator::start(Config::default()).unwrap();
    let (id, secret) = register(emulator.url());
    let (code, stdout, stderr) = run(&mut sso_oidc(&[
        "start-device-authorization",
        "--client-id",
        &id,
        "--client-secret",
        &secret,
        "--start-url",
        "https://d-1234567890.awsapps.com/start",
        "--endpoint-url",
        emulator.url(),
        "--debug",
    ]));
    assert_eq!(code, 0, "{stderr}");
    let device_code = json(&stdout)["deviceCode"].as_str().unwrap().to_owned();
    assert!(stderr.contains("/device_authorization"), "{stderr}");
    assert!(stderr.contains(&id), "the client id is not a secret");
    assert!(!stderr.contains(&secret), "{stderr}");
    assert!(!stderr.contains(&device_code), "{stderr}");
}

#[test]
fn help_lists_the_commands_own_options_apart_and_marks_the_required_ones() {
    for (command, required, optional) in [
        (
            "create-token",
            &["--client-id", "--client-secret", "--grant-type"][..],
            &["--device-code", "--refresh-token"][..],
        ),
        (
            "start-device-authorization",
            &["--client-id", "--client-secret", "--start-url"][..],
            &[][..],
        ),
        (
            "register-client",
            &["--client-name", "--client-type"][..],
            &["--scopes"][..],
        ),
        // The portal's: the access token is ours to find, and the AWS CLI's paging options
        // take the place of the model's own (still accepted, out of the help).
        (
            "list-accounts",
            &[][..],
            &[
                "--access-token",
                "--starting-token",
                "--page-size",
                "--max-items",
            ][..],
        ),
        (
            "list-account-roles",
            &["--account-id"][..],
            &["--access-token", "--max-items"][..],
        ),
        (
            "get-role-credentials",
            &["--role-name", "--account-id"][..],
            &["--access-token"][..],
        ),
    ] {
        let (code, stdout, _) = run(&mut sso_oidc(&[command, "--help"]));
        assert_eq!(code, 0);
        let (own, global) = stdout
            .split_once("Global options:")
            .unwrap_or_else(|| panic!("{stdout}"));
        let usage = own.lines().find(|l| l.starts_with("Usage:")).unwrap();
        // The line after an option's own line is its help.
        let help = |option: &str| {
            let lines: Vec<&str> = own.lines().collect();
            let at = lines
                .iter()
                .position(|l| l.trim_start().starts_with(&format!("{option} <value>")))
                .unwrap_or_else(|| panic!("{option}: {own}"));
            lines[at + 1].trim().to_owned()
        };
        for option in required {
            assert!(usage.contains(&format!("{option} <value>")), "{usage}");
            assert!(help(option).ends_with("[required]"), "{option}");
        }
        for option in optional {
            assert!(!usage.contains(option), "{usage}");
            assert!(!help(option).contains("[required]"), "{option}");
        }
        for hidden in ["--next-token", "--max-results"] {
            assert!(!own.contains(hidden), "{command}: {hidden}");
        }
        if command == "get-role-credentials" {
            assert!(!own.contains("--page-size"), "not paginated");
        }
        for global_option in ["--endpoint-url", "--region", "--output", "--query"] {
            assert!(global.contains(global_option), "{command}: {global_option}");
            assert!(!own.contains(global_option), "{command}: {global_option}");
        }
    }
    let (_, stdout, _) = run(&mut sso_oidc(&["login", "--help"]));
    let (own, global) = stdout.split_once("Global options:").unwrap();
    assert!(own.contains("--sso-session") && own.contains("--no-browser"));
    assert!(global.contains("--profile") && !own.contains("--profile"));
}
