//! botocore reads what `sso-oidc login` cached: its `SSOTokenProvider` (what the AWS CLI v2
//! and the SDKs use for an `sso-session` profile) finds the token through the config file in
//! `~/.aws/sso/cache`, its `SSOTokenLoader` finds a legacy sign-in's by start URL, and the
//! registration sits under the name the AWS CLI v2 computes.
//!
//! Runs Python with botocore, as `tests/tests/botocore_reads_our_cache.rs` does (the same
//! `SSO_OIDC_PYTHON` and the same rule: skipped without botocore, except in CI).

use std::io::Write;
use std::process::Stdio;

use serde_json::json;
use sso_oidc_emulator::{BlockingEmulator, Config};

mod login_support;
use login_support::{Home, SCOPES, SESSION, SSO_REGION, START_URL};

#[path = "../../tests/tests/support/mod.rs"]
mod python_support;
use python_support::{isolated, python, python_has};

const SCRIPT: &str = r#"
import hashlib, json, sys
import botocore.session
from botocore.tokens import SSOTokenProvider
from botocore.utils import JSONFileCache, SSOTokenLoader

spec = json.load(sys.stdin)
session = botocore.session.Session(profile=spec["profile"])
frozen = SSOTokenProvider(session, profile_name=spec["profile"]).load_token().get_frozen_token()

legacy = SSOTokenLoader(JSONFileCache(spec["legacy_cache"]))(spec["legacy_start_url"])

# awscli's SSOTokenFetcher._registration_cache_key
args = {"tool": "botocore", "startUrl": spec["start_url"], "region": spec["region"],
        "scopes": spec["scopes"], "session_name": spec["session"]}
key = hashlib.sha1(json.dumps(args, sort_keys=True).encode("utf-8")).hexdigest()
cache = JSONFileCache(spec["cache"])
print(json.dumps({
    "token": frozen.token,
    "expiration": frozen.expiration.timestamp(),
    "legacy_token": legacy["accessToken"],
    "legacy_start_url": legacy["startUrl"],
    "registration_client_id": cache[key]["clientId"] if key in cache else None,
}))
"#;

#[test]
fn botocore_reads_what_login_cached() {
    let python = python();
    if !python_has(&python, "botocore.tokens", "botocore") {
        return;
    }
    let emulator = BlockingEmulator::start(Config::default().approve_after_polls(0)).unwrap();
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
    let legacy_cache = home.path().join("legacy-cache");
    home.sso_oidc(&[
        "login",
        "--emulator",
        "--cache-dir",
        legacy_cache.to_str().unwrap(),
    ])
    .assert()
    .success();
    let ours = home.session_token().unwrap();
    let legacy = Home::token_in(&legacy_cache, "https://emulator.invalid/start").unwrap();

    let spec = json!({
        "profile": "dev",
        "cache": home.cache(),
        "start_url": START_URL,
        "region": SSO_REGION,
        "scopes": [SCOPES],
        "session": SESSION,
        "legacy_cache": legacy_cache,
        "legacy_start_url": "https://emulator.invalid/start",
    });
    let mut child = isolated(&python)
        .args(["-c", SCRIPT])
        .env("HOME", home.path())
        .env("AWS_CONFIG_FILE", home.config())
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
        "python failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let read: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();

    assert_eq!(read["token"], ours.access_token.expose().as_str());
    let expires = ours
        .expires_at
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    assert_eq!(read["expiration"].as_f64(), Some(expires));
    assert_eq!(read["legacy_token"], legacy.access_token.expose().as_str());
    assert_eq!(read["legacy_start_url"], "https://emulator.invalid/start");
    assert_eq!(
        read["registration_client_id"].as_str(),
        ours.client_id.as_deref()
    );
}
