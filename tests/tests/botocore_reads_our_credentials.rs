//! botocore's own SSO credential provider, given the role-credential cache folder the AWS CLI v2
//! gives it (`~/.aws/cli/cache`), takes the credentials we cached there, under the names we
//! computed, without calling the portal: for a profile with an `sso-session` and for a legacy
//! one, with non-ASCII names.
//!
//! Runs `tests/python/botocore_reads_our_credentials.py` with the interpreter named by
//! `SSO_OIDC_PYTHON` (else `python3`). Without botocore the test is skipped with a note, except
//! in CI (`CI=true`), where a missing one is a failure.

use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::json;
use sso_oidc::{CacheDir, CachedRoleCredentials, Secret, role_credentials_file_name};

mod support;
use support::{python, python_has, run_script};

const START_URL: &str = "https://d-1234567890.awsapps.com/start";

struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A profile, what identifies its credentials, and the secret access key we cache for it.
struct Profile {
    name: &'static str,
    session: Option<&'static str>,
    account_id: &'static str,
    role_name: &'static str,
    secret: &'static str,
}

const PROFILES: [Profile; 3] = [
    Profile {
        name: "dev",
        session: Some("my-sso"),
        account_id: "111122223333",
        role_name: "ReadOnly",
        secret: "secret-dev",
    },
    Profile {
        name: "legacy",
        session: None,
        account_id: "444455556666",
        role_name: "Admin",
        secret: "secret-legacy",
    },
    Profile {
        name: "unicode",
        session: Some("séssion-😀"),
        account_id: "111122223333",
        role_name: "Rôle",
        secret: "secret-é€😀-\"q\"-\\",
    },
];

fn config() -> String {
    let mut file = String::new();
    for profile in &PROFILES {
        file.push_str(&format!("[profile {}]\n", profile.name));
        match profile.session {
            Some(session) => file.push_str(&format!("sso_session = {session}\n")),
            None => file.push_str(&format!(
                "sso_start_url = {START_URL}\nsso_region = us-east-1\n"
            )),
        }
        file.push_str(&format!(
            "sso_account_id = {}\nsso_role_name = {}\n\n",
            profile.account_id, profile.role_name
        ));
    }
    for session in ["my-sso", "séssion-😀"] {
        file.push_str(&format!(
            "[sso-session {session}]\nsso_start_url = {START_URL}\nsso_region = us-east-1\n\n"
        ));
    }
    file
}

#[test]
fn botocore_takes_our_cached_role_credentials_without_calling_the_portal() {
    let python = python();
    if !python_has(&python, "botocore.session", "botocore") {
        return;
    }
    let scratch = Scratch(
        std::env::temp_dir().join(format!("sso-oidc-botocore-creds-{}", std::process::id())),
    );
    let _ = std::fs::remove_dir_all(&scratch.0);
    std::fs::create_dir_all(&scratch.0).unwrap();
    let config_file = scratch.0.join("config");
    std::fs::write(&config_file, config()).unwrap();
    let cache = CacheDir::new(scratch.0.join("cli").join("cache"));

    // An hour from now: botocore compares with its own clock, and reuses what has more than
    // 15 minutes left.
    #[allow(clippy::disallowed_methods)]
    let now = SystemTime::now();
    let expiration = UNIX_EPOCH
        + Duration::from_secs(
            (now + Duration::from_secs(3600))
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .as_secs(),
        );
    for profile in &PROFILES {
        let mut cached = CachedRoleCredentials::new(
            format!("ASIA{}", profile.name.to_uppercase()),
            Secret::from(profile.secret),
            Secret::from(format!("token-{}", profile.name)),
            expiration,
        );
        cached.account_id = Some(profile.account_id.to_owned());
        let name = role_credentials_file_name(
            profile.account_id,
            profile.role_name,
            profile.session,
            START_URL,
        );
        cache.write_role_credentials(&name, &cached).unwrap();
    }

    let spec = json!({
        "config_file": config_file,
        "cache_dir": cache.path(),
        "profiles": PROFILES.iter().map(|p| p.name).collect::<Vec<_>>(),
    });
    let output = run_script(&python, "botocore_reads_our_credentials.py", &spec);
    let expiry = expiration.duration_since(UNIX_EPOCH).unwrap().as_secs();
    for profile in &PROFILES {
        let got = &output[profile.name];
        assert_eq!(
            got["error"],
            serde_json::Value::Null,
            "{}: {got}",
            profile.name
        );
        assert_eq!(
            got["access_key"],
            format!("ASIA{}", profile.name.to_uppercase())
        );
        assert_eq!(got["secret_key"], profile.secret);
        assert_eq!(got["token"], format!("token-{}", profile.name));
        assert_eq!(got["expiry"], json!(expiry as f64), "{}", profile.name);
        assert_eq!(got["method"], "sso");
        if !got["account_id"].is_null() {
            assert_eq!(got["account_id"], profile.account_id);
        }
    }
}
