//! botocore reads the cache files we write, and the AWS CLI v2 would write the same bytes and
//! compute the same file names.
//!
//! Runs `tests/python/botocore_reads_our_cache.py` with the interpreter named by
//! `SSO_OIDC_PYTHON` (else `python3`). Without botocore the test is skipped with a note, except
//! in CI (`CI=true`), where `.ci/run` installs botocore and a missing one is a failure.

use std::path::PathBuf;
use std::time::{Duration, UNIX_EPOCH};

use serde_json::json;
use sso_oidc::{
    CacheDir, CachedRegistration, CachedToken, Secret, registration_file_name, token_file_name,
};

mod support;
use support::{python, python_has, run_script};

const START_URL: &str = "https://d-1234567890.awsapps.com/start";
const SESSIONS: [&str; 2] = ["my-sso", "séssion-😀"];
const EXPIRES_AT: u64 = 1_700_000_000;
const REGISTRATION_EXPIRES_AT: u64 = 253_402_300_799; // 9999-12-31T23:59:59Z
/// Non-ASCII, quotes, backslashes and control characters, all of which Python escapes.
const ACCESS_TOKEN: &str = "aoa-é€😀-\"q\"-\\-/-\n\r\t\u{8}\u{c}\u{0}\u{1f}\u{7f}-end";

struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn token() -> CachedToken {
    let mut token = CachedToken::new(
        Secret::from(ACCESS_TOKEN),
        UNIX_EPOCH + Duration::from_secs(EXPIRES_AT),
    );
    token.start_url = Some(START_URL.to_owned());
    token.region = Some("us-east-1".to_owned());
    token.client_id = Some("client-id-ü".to_owned());
    token.client_secret = Some(Secret::from("client-secret"));
    token.registration_expires_at = Some(UNIX_EPOCH + Duration::from_secs(REGISTRATION_EXPIRES_AT));
    token.refresh_token = Some(Secret::from("refresh-token"));
    token
}

/// The inputs of a registration cache key.
struct Key {
    start_url: &'static str,
    region: &'static str,
    scopes: Option<Vec<String>>,
    session: Option<&'static str>,
}

impl Key {
    fn new(
        start_url: &'static str,
        region: &'static str,
        scopes: Option<&[&str]>,
        session: Option<&'static str>,
    ) -> Self {
        let scopes = scopes.map(|list| list.iter().map(|s| (*s).to_owned()).collect());
        Self {
            start_url,
            region,
            scopes,
            session,
        }
    }

    fn file_name(&self) -> String {
        registration_file_name(
            self.start_url,
            self.region,
            self.scopes.as_deref(),
            self.session,
        )
    }
}

fn registration_keys() -> Vec<Key> {
    vec![
        Key::new(
            START_URL,
            "us-east-1",
            Some(&["sso:account:access"]),
            Some("my-sso"),
        ),
        Key::new(START_URL, "eu-west-1", None, None),
        Key::new(
            "https://ü.example/start",
            "us-east-1",
            Some(&["a", "ö:😀"]),
            Some("séssion-😀"),
        ),
        Key::new(START_URL, "us-east-1", Some(&[]), None),
        Key::new(START_URL, "ap-southeast-2", None, Some("q\"\\\n")),
    ]
}

#[test]
fn botocore_reads_our_cache() {
    let python = python();
    if !python_has(&python, "botocore.utils", "botocore") {
        return;
    }
    let scratch =
        Scratch(std::env::temp_dir().join(format!("sso-oidc-botocore-{}", std::process::id())));
    let _ = std::fs::remove_dir_all(&scratch.0);
    let cache = CacheDir::new(scratch.0.join("sso/cache"));

    // Token files by session name and, for a legacy profile, by start URL.
    for name in SESSIONS.into_iter().chain([START_URL]) {
        cache.write_token(name, &token()).unwrap();
    }
    // Registration files under our names for each key.
    let keys = registration_keys();
    for (i, key) in keys.iter().enumerate() {
        let mut cached = CachedRegistration::new(
            format!("client-{i}"),
            Secret::from("secret-é"),
            UNIX_EPOCH + Duration::from_secs(EXPIRES_AT),
        );
        cached.scopes.clone_from(&key.scopes);
        cache.write_registration(&key.file_name(), &cached).unwrap();
    }

    let spec = json!({
        "dir": cache.path(),
        "start_url": START_URL,
        "sessions": SESSIONS,
        "record": {
            "startUrl": START_URL,
            "region": "us-east-1",
            "accessToken": ACCESS_TOKEN,
            "expiresAt": EXPIRES_AT,
            "clientId": "client-id-ü",
            "clientSecret": "client-secret",
            "registrationExpiresAt": REGISTRATION_EXPIRES_AT,
            "refreshToken": "refresh-token",
        },
        "registration_keys": keys.iter().map(|key| json!({
            "startUrl": key.start_url,
            "region": key.region,
            "scopes": key.scopes,
            "session_name": key.session,
        })).collect::<Vec<_>>(),
    });
    let output = run_script(&python, "botocore_reads_our_cache.py", &spec);

    // botocore's SSOTokenLoader finds and reads every token file.
    let expected_token = json!({
        "startUrl": START_URL,
        "region": "us-east-1",
        "accessToken": ACCESS_TOKEN,
        "expiresAt": "2023-11-14T22:13:20Z",
        "clientId": "client-id-ü",
        "clientSecret": "client-secret",
        "registrationExpiresAt": "9999-12-31T23:59:59Z",
        "refreshToken": "refresh-token",
    });
    let loaded = SESSIONS
        .iter()
        .map(|name| (format!("session {name}"), &output["by_session"][name]))
        .chain([("start URL".to_owned(), &output["by_start_url"])]);
    for (what, loaded) in loaded {
        assert_eq!(loaded["token"], expected_token, "by {what}");
        assert_eq!(loaded["expiresAt"], json!(EXPIRES_AT as f64), "by {what}");
        assert_eq!(
            loaded["registrationExpiresAt"],
            json!(REGISTRATION_EXPIRES_AT as f64),
            "by {what}"
        );
    }

    // The AWS CLI v2 would have written exactly our bytes.
    let ours = std::fs::read(cache.path().join(token_file_name("my-sso"))).unwrap();
    assert_eq!(
        String::from_utf8(ours).unwrap(),
        output["aws_cli_v2_bytes"].as_str().unwrap()
    );

    // The AWS CLI v2 computes our registration file names, and finds our files under them.
    for (i, key) in keys.iter().enumerate() {
        let theirs = output["registration_keys"][i].as_str().unwrap();
        assert_eq!(key.file_name(), format!("{theirs}.json"), "key {i}");
        let mut expected = json!({
            "clientId": format!("client-{i}"),
            "clientSecret": "secret-é",
            "expiresAt": "2023-11-14T22:13:20Z",
        });
        if let Some(scopes) = &key.scopes {
            expected["scopes"] = json!(scopes);
        }
        assert_eq!(output["registrations"][i], expected, "registration {i}");
    }
}
