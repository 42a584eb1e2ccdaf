//! `login` and `token` reach the IAM Identity Center instance's FIPS endpoint when
//! `AWS_USE_FIPS_ENDPOINT` (or the profile's `use_fips_endpoint`) asks for it, as the
//! operations do: one resolver for every command; the SSO portal's commands reach its own FIPS
//! and dual-stack hosts (`portal.sso-fips.REGION...`) in the operations' region. Nothing leaves the machine: every request
//! goes to an HTTPS proxy on a loopback port that refuses connections, so the host name is
//! never even looked up, and the URL is read from the error or the debug log.

use std::net::TcpListener;
use std::time::Duration;

use predicates::prelude::*;
use sso_oidc_emulator::{BlockingEmulator, Config};

mod login_support;
use login_support::Home;

/// A loopback proxy URL on a port that nothing listens on.
fn refusing_proxy() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

#[test]
fn login_addresses_the_fips_endpoint_of_the_sso_region() {
    let home = Home::new();
    home.sso_oidc(&["login", "--profile", "dev"])
        .env("AWS_USE_FIPS_ENDPOINT", "true")
        .env("HTTPS_PROXY", refusing_proxy())
        .assert()
        .code(255)
        .stderr(predicate::str::contains(
            "Unable to sign in at https://oidc-fips.us-east-1.amazonaws.com:",
        ));
    // The profile's setting does the same; dual-stack too.
    let config = std::fs::read_to_string(home.config()).unwrap();
    let config = config.replace(
        "[profile dev]\n",
        "[profile dev]\nuse_fips_endpoint = true\nuse_dualstack_endpoint = true\n",
    );
    std::fs::write(home.config(), config).unwrap();
    home.sso_oidc(&["login", "--use-device-code", "--profile", "dev"])
        .env("HTTPS_PROXY", refusing_proxy())
        .assert()
        .code(255)
        .stderr(predicate::str::contains(
            "Unable to sign in at https://oidc-fips.us-east-1.api.aws:",
        ));
}

#[test]
fn token_refreshes_at_the_fips_endpoint_of_the_sso_region() {
    // A token that is due for a refresh: signed in at the emulator, living 5 minutes.
    let emulator = BlockingEmulator::start(
        Config::default()
            .approve_after_polls(0)
            .with_access_token_lifetime(Duration::from_secs(300)),
    )
    .unwrap();
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
    let output = home
        .sso_oidc(&["token", "--profile", "dev", "--debug"])
        .env("AWS_USE_FIPS_ENDPOINT", "true")
        .env("HTTPS_PROXY", refusing_proxy())
        .assert()
        .success()
        .stderr(predicate::str::contains("Unable to refresh the SSO token"))
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("https://oidc-fips.us-east-1.amazonaws.com/token"),
        "{stderr}"
    );
    assert!(!stderr.contains("https://oidc.us-east-1"), "{stderr}");
}

#[test]
fn the_portal_is_reached_at_its_fips_and_dual_stack_hosts() {
    let home = Home::new();
    let url = |output: &std::process::Output| {
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        let at = stderr
            .find("https://")
            .unwrap_or_else(|| panic!("{stderr}"));
        stderr[at..]
            .split(['"', '?', ' '])
            .next()
            .unwrap()
            .to_owned()
    };
    let output = home
        .sso_oidc(&[
            "list-accounts",
            "--access-token",
            "t",
            "--region",
            "us-east-2",
        ])
        .env("AWS_USE_FIPS_ENDPOINT", "true")
        .env("AWS_MAX_ATTEMPTS", "1")
        .env("HTTPS_PROXY", refusing_proxy())
        .assert()
        .code(255)
        .get_output()
        .clone();
    assert_eq!(
        url(&output),
        "https://portal.sso-fips.us-east-2.amazonaws.com/assignment/accounts"
    );
    // The profile's settings and region (dev: eu-west-1), dual-stack too.
    let config = std::fs::read_to_string(home.config()).unwrap();
    let config = config.replace(
        "[profile dev]\n",
        "[profile dev]\nuse_fips_endpoint = true\nuse_dualstack_endpoint = true\n",
    );
    std::fs::write(home.config(), config).unwrap();
    let output = home
        .sso_oidc(&[
            "get-role-credentials",
            "--access-token",
            "t",
            "--account-id",
            "111122223333",
            "--role-name",
            "ReadOnly",
            "--profile",
            "dev",
        ])
        .env("AWS_MAX_ATTEMPTS", "1")
        .env("HTTPS_PROXY", refusing_proxy())
        .assert()
        .code(255)
        .get_output()
        .clone();
    assert_eq!(
        url(&output),
        "https://portal.sso-fips.eu-west-1.api.aws/federation/credentials"
    );
    // AWS_ENDPOINT_URL_SSO_OIDC is SSO OIDC's: the portal keeps its own host.
    let output = home
        .sso_oidc(&["list-accounts", "--access-token", "t", "--profile", "dev"])
        .env("AWS_ENDPOINT_URL_SSO_OIDC", "http://127.0.0.1:9")
        .env("AWS_MAX_ATTEMPTS", "1")
        .env("HTTPS_PROXY", refusing_proxy())
        .assert()
        .code(255)
        .get_output()
        .clone();
    assert_eq!(
        url(&output),
        "https://portal.sso-fips.eu-west-1.api.aws/assignment/accounts"
    );
}
