//! boto3, a real client nobody here wrote, against the emulator: every error comes back as the
//! modelled exception class with the model's status and the emulator's `error_description`.
//!
//! Runs `tests/python/boto3_against_emulator.py` with `SSO_OIDC_PYTHON` (else `python3`).
//! Without boto3 the test is skipped with a note, except in CI (`CI=true`), where `.ci/run`
//! installs it and a missing one is a failure.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::json;
use sso_oidc::Operation;
use sso_oidc_emulator::{BlockingEmulator, Config, Fault};

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
