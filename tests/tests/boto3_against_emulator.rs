//! boto3, a real client nobody here wrote, against the emulator: every error comes back as the
//! modelled exception class with the model's status and the emulator's message, for SSO OIDC
//! (the `sso-oidc` client) and the SSO portal (the `sso` client) alike.
//!
//! Runs `tests/python/boto3_against_emulator.py` and `tests/python/boto3_sso_against_emulator.py`
//! with `SSO_OIDC_PYTHON` (else `python3`).
//! Without boto3 the test is skipped with a note, except in CI (`CI=true`), where `.ci/run`
//! installs it and a missing one is a failure.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::json;
use sso_oidc::Operation;
use sso_oidc_emulator::{BlockingEmulator, Config, Fault, PortalAccount};

mod support;
use support::{python, python_has, run_script};

#[test]
fn boto3_raises_the_modelled_exception_for_every_error() {
    let python = python();
    if !python_has(&python, "boto3", "boto3") {
        return;
    }
    let main = BlockingEmulator::start(Config::default()).unwrap();
    let expired =
        BlockingEmulator::start(Config::default().with_expires_in(Duration::ZERO)).unwrap();
    let failing = BlockingEmulator::start(Config::default()).unwrap();
    failing.inject(Fault::InternalServerError);

    let spec = json!({"main": main.url(), "expired": expired.url(), "failing": failing.url()});
    let report = run_script(&python, "boto3_against_emulator.py", &spec);

    // case: (exception class, status, OAuth error, error_description)
    let expected: BTreeMap<&str, (&str, u16, &str, &str)> = BTreeMap::from([
        (
            "pending",
            (
                "AuthorizationPendingException",
                400,
                "authorization_pending",
                "Authorization is still pending",
            ),
        ),
        (
            "pending_again",
            (
                "AuthorizationPendingException",
                400,
                "authorization_pending",
                "Authorization is still pending",
            ),
        ),
        (
            "slow_down",
            (
                "SlowDownException",
                400,
                "slow_down",
                "Client is polling too fast",
            ),
        ),
        (
            "used_device_code",
            (
                "InvalidGrantException",
                400,
                "invalid_grant",
                "Device code has already been used",
            ),
        ),
        (
            "spent_refresh_token",
            (
                "InvalidGrantException",
                400,
                "invalid_grant",
                "Invalid refresh token provided",
            ),
        ),
        (
            "denied",
            (
                "AccessDeniedException",
                400,
                "access_denied",
                "The user denied the authorization request",
            ),
        ),
        (
            "wrong_secret",
            (
                "InvalidClientException",
                401,
                "invalid_client",
                "Invalid client provided",
            ),
        ),
        (
            "missing_member",
            (
                "InvalidRequestException",
                400,
                "invalid_request",
                "Missing required parameter: startUrl",
            ),
        ),
        (
            "blank_member",
            (
                "InvalidRequestException",
                400,
                "invalid_request",
                "Invalid request: clientName must not be blank",
            ),
        ),
        (
            "confidential_client",
            (
                "InvalidClientMetadataException",
                400,
                "invalid_client_metadata",
                "Invalid client type: confidential",
            ),
        ),
        (
            "password_grant",
            (
                "UnsupportedGrantTypeException",
                400,
                "unsupported_grant_type",
                "Unsupported grant type: password",
            ),
        ),
        (
            "expired",
            (
                "ExpiredTokenException",
                400,
                "expired_token",
                "Device code has expired",
            ),
        ),
        (
            "internal_server",
            (
                "InternalServerException",
                500,
                "server_error",
                "An internal server error occurred",
            ),
        ),
    ]);
    let cases = report.as_array().expect("a list of cases");
    assert_eq!(cases.len(), expected.len(), "{report:#}");
    for case in cases {
        let name = case["case"].as_str().unwrap();
        let (class, status, error, description) = expected[name];
        assert_eq!(case["class"], class, "{name}");
        assert_eq!(case["code"], class, "{name}");
        assert_eq!(case["status"], status, "{name}");
        assert_eq!(case["error"], error, "{name}");
        assert_eq!(case["error_description"], description, "{name}");
    }
    // botocore's standard retry mode retried the 500: three attempts reached the emulator.
    assert_eq!(cases.last().unwrap()["retry_attempts"], json!(2));
    let attempts = failing
        .log()
        .iter()
        .filter(|entry| entry.operation == Some(Operation::RegisterClient))
        .count();
    assert_eq!(attempts, 3);

    // What boto3 sent: no secret in a URL, and no signature on these unsigned operations.
    for entry in main.log() {
        assert!(!entry.uri.contains('?'), "{}", entry.uri);
        assert!(
            !entry
                .headers
                .iter()
                .any(|(name, _)| name == "authorization"),
            "{:?}",
            entry.headers
        );
    }
}

/// boto3's `sso` client (the SSO portal) against the emulator: GetRoleCredentials,
/// ListAccounts and ListAccountRoles with their paginators, Logout, and each modelled
/// exception as its class with the model's status.
///
/// Runs `tests/python/boto3_sso_against_emulator.py`.
#[test]
fn boto3_sso_client_gets_credentials_pages_and_every_modelled_exception() {
    let python = python();
    if !python_has(&python, "boto3", "boto3") {
        return;
    }
    let mut config = Config::default().approve_after_polls(0);
    config.portal_accounts.extend((1..=5).map(|i| {
        PortalAccount::new(format!("00000000000{i}"), format!("a{i}"), "a@example.com")
            .with_roles(["R1", "R2", "R3"])
    }));
    let main = BlockingEmulator::start(config).unwrap();
    let throttled = BlockingEmulator::start(Config::default().approve_after_polls(0)).unwrap();
    throttled.inject(Fault::Throttling.on(Operation::ListAccounts));

    let spec = json!({"main": main.url(), "throttled": throttled.url()});
    let report = run_script(&python, "boto3_sso_against_emulator.py", &spec);

    let credentials = &report["credentials"];
    assert!(
        credentials["accessKeyId"]
            .as_str()
            .unwrap()
            .starts_with("ASIA")
    );
    assert_eq!(credentials["secret_length"], 40);
    assert!(credentials["session_token_length"].as_u64().unwrap() > 100);
    // Epoch milliseconds read as such: an hour from now.
    let expires_in = credentials["expires_in"].as_f64().unwrap();
    assert!((3500.0..=3600.0).contains(&expires_in), "{expires_in}");

    // Seven accounts in pages of two; each once, in order.
    assert_eq!(report["account_pages"], 4);
    let mut accounts = vec!["111122223333".to_owned(), "444455556666".to_owned()];
    accounts.extend((1..=5).map(|i| format!("00000000000{i}")));
    assert_eq!(report["accounts"], json!(accounts));
    assert_eq!(report["role_pages"], 3);
    assert_eq!(report["roles"], json!(["R1", "R2", "R3"]));

    let unauthorized = (
        "UnauthorizedException",
        401,
        "Session token not found or invalid",
    );
    let throttling = ("TooManyRequestsException", 429, "Too many requests");
    // case: (exception class, status, message)
    let expected: BTreeMap<&str, (&str, u16, &str)> = BTreeMap::from([
        ("unknown_token", unauthorized),
        ("logged_out", unauthorized),
        ("logged_out_again", unauthorized),
        (
            "unknown_account",
            (
                "ResourceNotFoundException",
                404,
                "The specified account was not found",
            ),
        ),
        (
            "bad_next_token",
            (
                "InvalidRequestException",
                400,
                "Invalid next token provided",
            ),
        ),
        (
            "bad_max_results",
            (
                "InvalidRequestException",
                400,
                "max_result must be an integer from 1 to 100",
            ),
        ),
        // Not in the model: a plain ClientError with the code the portal sent.
        ("unassigned_role", ("ClientError", 403, "No access")),
        ("throttled", throttling),
        ("throttled_retried", throttling),
    ]);
    let cases = report["errors"].as_array().expect("a list of cases");
    assert_eq!(cases.len(), expected.len(), "{report:#}");
    for case in cases {
        let name = case["case"].as_str().unwrap();
        let (class, status, message) = expected[name];
        assert_eq!(case["class"], class, "{name}");
        let code = if class == "ClientError" {
            "ForbiddenException"
        } else {
            class
        };
        assert_eq!(case["code"], code, "{name}");
        assert_eq!(case["status"], status, "{name}");
        assert_eq!(case["message"], message, "{name}");
    }
    // botocore's standard retry mode retried the 429 (throttling): three attempts, after the
    // one without retries.
    let retried = cases.iter().find(|c| c["case"] == "throttled_retried");
    assert_eq!(retried.unwrap()["retry_attempts"], json!(2));
    let attempts = throttled
        .log()
        .iter()
        .filter(|entry| entry.operation == Some(Operation::ListAccounts))
        .count();
    assert_eq!(attempts, 1 + 3);

    // What boto3 sent: the token in its header (masked in the log), never in a URL.
    let portal: Vec<_> = main
        .log()
        .into_iter()
        .filter(|entry| entry.operation.is_some_and(Operation::is_portal))
        .collect();
    assert!(portal.len() >= 10, "{portal:?}");
    for entry in &portal {
        assert!(!entry.uri.contains("aoa"), "{}", entry.uri);
        let bearer = entry
            .headers
            .iter()
            .find(|(name, _)| name == "x-amz-sso_bearer_token");
        assert_eq!(
            bearer.map(|(_, value)| value.as_str()),
            Some("<masked>"),
            "{entry:?}"
        );
    }
}
