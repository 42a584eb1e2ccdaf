//! Every case captured from the real AWS CLI v1 (`cli/tests/fixtures/`, see its README) run
//! again through `sso-oidc` against the emulator set up the same way: the same exit code, and
//! byte for byte the same stdout and stderr, except where we differ on purpose (listed below,
//! each with why; the README's table says the same to users).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, UNIX_EPOCH};

use serde_json::Value;
use sso_oidc_emulator::{BlockingEmulator, Config, Fault, PortalAccount};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

/// How far a case is compared.
#[derive(Debug, PartialEq)]
enum Compare {
    /// Exit code, stdout and stderr.
    All,
    /// Exit code and stdout: the message is worded differently on purpose.
    NotStderr(&'static str),
    /// Nothing: the behaviour differs on purpose.
    Nothing(&'static str),
}

fn compare(case: &str) -> Compare {
    const USAGE: &str = "usage errors are clap's, not argparse's";
    match case {
        "register-client-stub-malformed-json"
        | "register-client-stub-malformed-json-query"
        | "register-client-stub-malformed-json-text"
        | "register-client-stub-empty-body" => Compare::Nothing(
            "a 2xx that is not JSON is an error (the AWS CLI prints nothing, exits 0)",
        ),
        "start-device-authorization-follow-urlparam" => {
            Compare::Nothing("the start URL is sent, never fetched")
        }
        "register-client-blank-client-name" | "list-account-roles-blank-account-id" => {
            Compare::NotStderr("a blank member is refused before anything is sent")
        }
        "list-accounts-max-results-too-large" | "list-accounts-page-size-too-large" => {
            Compare::NotStderr("maxResults over the model's 100 is refused before anything is sent")
        }
        "list-accounts-missing-access-token" => Compare::Nothing(
            "without --access-token, the profile's cached token is sent (tests/portal.rs)",
        ),
        "list-accounts-starting-token-invalid" => Compare::All,
        "get-role-credentials-page-size" | "list-accounts-max-items-not-a-number" => {
            Compare::NotStderr(USAGE)
        }
        "register-client-cli-input-json-invalid" => {
            Compare::NotStderr("the JSON error is serde_json's, not Python's")
        }
        "register-client-cli-input-json-missing-file" => {
            Compare::NotStderr("the I/O error is Rust's, not Python's")
        }
        case if case.contains("missing")
            || case.contains("without-options")
            || case.contains("unknown-option")
            || case.ends_with("-invalid")
            || case.contains("output-invalid") =>
        {
            Compare::NotStderr(USAGE)
        }
        _ => Compare::All,
    }
}

/// The emulator a case ran against, set up from its `emulator` options.
fn emulator(options: &[Value]) -> BlockingEmulator {
    let options: Vec<&str> = options.iter().filter_map(Value::as_str).collect();
    let mut config = Config::default();
    let mut delay = None;
    let mut accounts = Vec::new();
    for pair in options.chunks(2) {
        let number = || pair.get(1).and_then(|v| v.parse::<u64>().ok()).unwrap();
        config = match pair[0] {
            "--seed" => config.with_seed(number()),
            "--fixed-time" => {
                config.with_fixed_wall_clock(UNIX_EPOCH + Duration::from_secs(number()))
            }
            "--approve-after-polls" => config.approve_after_polls(u32::try_from(number()).unwrap()),
            "--deny-after-polls" => config.deny_after_polls(u32::try_from(number()).unwrap()),
            "--interval" => config.with_interval(Duration::from_secs(number())),
            "--expires-in" => config.with_expires_in(Duration::from_secs(number())),
            "--delay-responses" => {
                delay = Some(Duration::from_secs(number()));
                config
            }
            "--no-refresh-tokens" => config.with_refresh_tokens(false),
            "--account" => {
                accounts.push(account(pair[1]));
                config
            }
            other => panic!("an emulator option this test does not know: {other}"),
        };
    }
    // `--no-refresh-tokens` takes no value: chunks of two would pair it with the next option.
    assert!(
        !options.contains(&"--no-refresh-tokens") || options.last() == Some(&"--no-refresh-tokens"),
        "put --no-refresh-tokens last"
    );
    if !accounts.is_empty() {
        config = config.with_portal_accounts(accounts);
    }
    let emulator = BlockingEmulator::start(config).unwrap();
    if let Some(delay) = delay {
        emulator.inject(Fault::Delay(delay));
    }
    emulator
}

/// `--account ID[:NAME]=ROLE,...` as the emulator reads it: the email is `ID@example.com`.
fn account(value: &str) -> PortalAccount {
    let (account, roles) = value.split_once('=').unwrap();
    let (id, name) = account.split_once(':').unwrap_or((account, account));
    PortalAccount::new(id, name, format!("{id}@example.com")).with_roles(roles.split(','))
}

fn fault(name: &str) -> Fault {
    match name {
        "InternalServerError" => Fault::InternalServerError,
        "ServiceUnavailable" => Fault::ServiceUnavailable,
        "Throttling" => Fault::Throttling,
        "BadGatewayHtml" => Fault::BadGatewayHtml,
        "MalformedJson" => Fault::MalformedJson,
        "EmptyBody" => Fault::EmptyBody,
        other => panic!("a fault this test does not know: {other}"),
    }
}

/// Makes the case's setup requests, straight to the emulator's service: a JSON `POST`, or a
/// `GET` with headers (the portal's).
fn set_up(emulator: &BlockingEmulator, setup: &[Value]) {
    for step in setup {
        let path = step["path"].as_str().unwrap();
        let request = if step["method"] == "GET" {
            let mut request = http::Request::get(path);
            for (name, value) in step["headers"].as_object().unwrap() {
                request = request.header(name, value.as_str().unwrap());
            }
            request.body(Vec::new()).unwrap()
        } else {
            http::Request::post(path)
                .header("content-type", "application/json")
                .body(serde_json::to_vec(&step["body"]).unwrap())
                .unwrap()
        };
        emulator.with_service(|service| {
            let wall = service.config().wall_clock();
            service.handle(&request, Instant::now(), wall);
        });
    }
}

struct Case {
    name: String,
    dir: PathBuf,
    args: Value,
}

fn cases() -> Vec<Case> {
    let mut cases: Vec<Case> = std::fs::read_dir(FIXTURES)
        .unwrap()
        .filter_map(|entry| {
            let dir = entry.unwrap().path();
            let args = std::fs::read_to_string(dir.join("args.json")).ok()?;
            Some(Case {
                name: dir.file_name()?.to_str()?.to_owned(),
                args: serde_json::from_str(&args).unwrap(),
                dir,
            })
        })
        .filter(|case| case.args["compare"] != Value::Bool(false))
        .collect();
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    cases
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap()
}

/// Runs one case; the differences found, if any.
fn replay(case: &Case) -> Option<String> {
    let how = compare(&case.name);
    if let Compare::Nothing(_) = how {
        return None;
    }
    let mut _server = None;
    let endpoint = match &case.args["server"] {
        Value::String(closed) if closed == "closed" => {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            format!("http://127.0.0.1:{port}")
        }
        Value::Object(stub) => {
            let emulator = BlockingEmulator::start(Config::default()).unwrap();
            emulator.inject(fault(stub["fault"].as_str().unwrap()));
            let url = emulator.url().to_owned();
            _server = Some(emulator);
            url
        }
        _ => {
            let emulator = emulator(case.args["emulator"].as_array().unwrap());
            set_up(
                &emulator,
                case.args["setup"].as_array().map_or(&[], Vec::as_slice),
            );
            let url = emulator.url().to_owned();
            _server = Some(emulator);
            url
        }
    };
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config");
    let aws_config = case.args["aws_config"]
        .as_str()
        .unwrap_or("[default]\ncli_follow_urlparam = false\n");
    std::fs::write(&config, aws_config).unwrap();
    let argv: Vec<String> = case.args["argv"].as_array().unwrap()[1..]
        .iter()
        .map(|a| a.as_str().unwrap().replace("{endpoint}", &endpoint))
        .collect();
    let mut command = Command::new(env!("CARGO_BIN_EXE_sso-oidc"));
    command
        .args(&argv)
        .current_dir(&case.dir)
        .env_clear()
        .env("HOME", home.path())
        .env("AWS_CONFIG_FILE", &config)
        // AWS CLI v1's default: 5 attempts, so the retry counts in messages match.
        .env("AWS_RETRY_MODE", "legacy");
    // The case's own variables, as the AWS CLI ran with them.
    if let Some(vars) = case.args["env"].as_object() {
        for (name, value) in vars {
            command.env(name, value.as_str().unwrap());
        }
    }
    let output = command.output().unwrap();
    let expect = |file: &str| read(&case.dir, file).replace("{endpoint}", &endpoint);
    let mut differences = Vec::new();
    let code = output.status.code().unwrap().to_string();
    if code != read(&case.dir, "exit").trim() {
        differences.push(format!(
            "exit {code}, the AWS CLI's {}",
            read(&case.dir, "exit").trim()
        ));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    if stdout != expect("stdout") {
        differences.push(format!(
            "stdout:\n{stdout}\nthe AWS CLI's:\n{}",
            expect("stdout")
        ));
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    if how == Compare::All && stderr != expect("stderr") {
        differences.push(format!(
            "stderr:\n{stderr}\nthe AWS CLI's:\n{}",
            expect("stderr")
        ));
    }
    (!differences.is_empty())
        .then(|| format!("{} ({argv:?}):\n{}", case.name, differences.join("\n")))
}

#[test]
fn sso_oidc_prints_what_the_aws_cli_printed() {
    let cases = cases();
    assert!(cases.len() > 100, "the fixtures are missing");
    // A few at a time: some cases wait for retries or timeouts.
    let failures: Vec<String> = std::thread::scope(|scope| {
        let chunks: Vec<_> = cases.chunks(cases.len().div_ceil(8)).collect();
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| scope.spawn(move || chunk.iter().filter_map(replay).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}
