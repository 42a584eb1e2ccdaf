//! botocore reads config files as `sso_oidc::config` does, and resolves their profiles for SSO
//! as it does: the same sections and values, the same files refused, the same sign-in for each
//! profile (its `sso-session` or its own start URL and region), and the same account and role,
//! or an error where botocore's providers raise one.
//!
//! Runs `tests/python/botocore_reads_config.py` with the interpreter named by `SSO_OIDC_PYTHON`
//! (else `python3`). Without botocore the test is skipped with a note, except in CI.
//!
//! The files avoid what the two read differently on purpose (see `ConfigFile`): keys and
//! headers repeated within a file, unquoted names with spaces, blank values.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::{Value, json};
use sso_oidc::config::{ConfigFile, ProfileError, Section, SignIn, edit};

mod support;
use support::{python, python_has, run_script};

const FILES: &[&str] = &[
    // A profile with an sso-session, one without, and one for credentials.
    "# comment\n\
     [default]\n\
     sso_session = main\n\
     \n\
     [profile legacy]\n\
     sso_start_url = https://d-1111111111.awsapps.com/start\n\
     sso_region = eu-west-1\n\
     sso_account_id = 111122223333\n\
     sso_role_name = Admin\n\
     region = us-west-2\n\
     \n\
     [profile dev]\n\
     sso_session = main\n\
     sso_account_id = 444455556666\n\
     sso_role_name = ReadOnly\n\
     \n\
     [profile \"my profile\"]\n\
     sso_session = main\n\
     sso_account_id = 444455556666\n\
     \n\
     [sso-session main]\n\
     sso_start_url = https://d-2222222222.awsapps.com/start\n\
     sso_region = us-east-2\n\
     sso_registration_scopes = sso:account:access\n",
    // What is missing, dangling or contradictory.
    "[profile half]\n\
     sso_region = eu-west-1\n\
     sso_role_name = Admin\n\
     [profile dangling]\n\
     sso_session = nope\n\
     sso_account_id = 1\n\
     [profile bare]\n\
     sso_session = bare\n\
     [profile clash]\n\
     sso_session = main\n\
     sso_region = eu-west-1\n\
     sso_account_id = 1\n\
     sso_role_name = R\n\
     [profile agrees]\n\
     sso_session = main\n\
     sso_region = us-east-2\n\
     sso_account_id = 1\n\
     sso_role_name = R\n\
     [profile plain]\n\
     region = eu-west-1\n\
     [sso-session bare]\n\
     sso_start_url = https://d-3333333333.awsapps.com/start\n\
     [sso-session main]\n\
     sso_start_url = https://d-2222222222.awsapps.com/start\n\
     sso_region = us-east-2\n",
    // [default] and [profile default], both orders: the later wins whole.
    "[profile default]\nregion = a\n[default]\nregion = b\noutput = c\n",
    "[default]\nregion = b\noutput = c\n[profile default]\nregion = a\n",
    // The syntax: separators, case, comments, values kept whole, nesting, other sections, CRLF.
    "[profile x]\r\nRegion : eu-west-1\r\nq = \"quoted\" ; not a comment\r\na = b = c\r\n\
     ; comment\r\n  # indented comment\r\ns3 =\r\n  max = 20\r\n  # c\r\n  addressing_style = path\r\n\
     [preview]\r\ncloudsearch = true\r\n[services local]\r\nsso_oidc =\r\n  endpoint_url = http://127.0.0.1:8080\r\n\
     [profile\ty]\r\n  region = indented first\r\n[ default ]\r\nregion = z\r\n",
    // Files both refuse.
    "region = x\n",
    "[default\n",
    "[default]\njust words\n",
    "[default]\n= x\n",
];

/// What `configure sso` would write into some of the files: a new session and a profile with a
/// space in its name, an edited default profile, a key replaced in place.
fn edited() -> Vec<String> {
    let session = [
        ("sso_start_url", "https://d-9999999999.awsapps.com/start"),
        ("sso_region", "ap-south-1"),
        ("sso_registration_scopes", "sso:account:access"),
    ];
    let profile = [
        ("sso_session", "new"),
        ("sso_account_id", "777788889999"),
        ("sso_role_name", "Dev"),
        ("region", "eu-central-1"),
    ];
    let mut out = Vec::new();
    for text in &FILES[..4] {
        let text = edit(text, &Section::sso_session("new"), &session).unwrap();
        let text = edit(&text, &Section::profile("new one"), &profile).unwrap();
        let text = edit(&text, &Section::profile("default"), &profile).unwrap();
        out.push(
            edit(
                &text,
                &Section::profile("clash"),
                &[("sso_region", "us-east-2")],
            )
            .unwrap(),
        );
    }
    out
}

struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Our sections of one kind as botocore's JSON: name to settings.
fn ours(config: &ConfigFile, kind: fn(&Section) -> bool) -> Value {
    let map: BTreeMap<&str, _> = config
        .sections()
        .filter(|(section, _)| kind(section))
        .map(|(section, settings)| (section.name(), settings))
        .collect();
    json!(map)
}

/// botocore's token provider, compared with ours: a session's settings, none for a profile
/// without `sso_session`, or an error.
fn check_token(config: &ConfigFile, name: &str, theirs: &Value) {
    let resolved = config.sso_profile(name);
    match theirs {
        Value::Null => assert!(
            matches!(
                &resolved,
                Ok(p) if matches!(p.sign_in, SignIn::Legacy { .. })
            ) || matches!(resolved, Err(ProfileError::NoSignIn { .. })),
            "{name}: botocore sees no sso_session, we see {resolved:?}"
        ),
        Value::Object(map) if map.contains_key("error") => assert!(
            matches!(
                resolved,
                Err(ProfileError::SsoSessionNotFound { .. } | ProfileError::MissingSettings { .. })
            ),
            "{name}: botocore says {theirs}, we say {resolved:?}"
        ),
        _ => match resolved {
            Ok(profile) => {
                let SignIn::SsoSession(session) = &profile.sign_in else {
                    panic!("{name}: not a session: {profile:?}");
                };
                assert_eq!(theirs["session_name"], json!(session.name), "{name}");
                assert_eq!(theirs["sso_start_url"], json!(session.start_url), "{name}");
                assert_eq!(theirs["sso_region"], json!(session.sso_region), "{name}");
            }
            // The token provider does not compare a profile with its session; the
            // credential provider does (below), and so do we, for both.
            Err(ProfileError::Inconsistent { .. }) => {}
            Err(error) => panic!("{name}: botocore resolves {theirs}, we say {error}"),
        },
    }
}

/// botocore's credential provider, compared with ours: nothing to do (no account or role),
/// the settings credentials need, or an error.
fn check_credentials(config: &ConfigFile, name: &str, theirs: &Value) {
    let resolved = config.sso_profile(name);
    let settings = config.profile(name).unwrap();
    if theirs.is_null() {
        assert!(
            !settings.contains_key("sso_account_id") && !settings.contains_key("sso_role_name"),
            "{name}"
        );
        return;
    }
    if theirs.get("error").is_some() {
        let refused = match &resolved {
            Err(_) => true,
            Ok(profile) => profile.role().is_err(),
        };
        assert!(
            refused,
            "{name}: botocore says {theirs}, we resolve {resolved:?}"
        );
        return;
    }
    let profile = resolved.unwrap_or_else(|e| panic!("{name}: botocore resolves {theirs}: {e}"));
    let role = profile.role().unwrap();
    assert_eq!(theirs["sso_account_id"], json!(role.account_id), "{name}");
    assert_eq!(theirs["sso_role_name"], json!(role.role_name), "{name}");
    assert_eq!(
        theirs["sso_start_url"],
        json!(profile.sign_in.start_url()),
        "{name}"
    );
    assert_eq!(
        theirs["sso_region"],
        json!(profile.sign_in.sso_region()),
        "{name}"
    );
}

#[test]
fn botocore_reads_config_files_and_resolves_profiles_as_we_do() {
    let python = python();
    if !python_has(&python, "botocore.tokens", "botocore") {
        return;
    }
    let scratch = Scratch(
        std::env::temp_dir().join(format!("sso-oidc-botocore-config-{}", std::process::id())),
    );
    let _ = std::fs::remove_dir_all(&scratch.0);
    std::fs::create_dir_all(&scratch.0).unwrap();
    let files: Vec<String> = FILES
        .iter()
        .map(|text| (*text).to_owned())
        .chain(edited())
        .collect();
    let output = run_script(
        &python,
        "botocore_reads_config.py",
        &json!({ "dir": scratch.0, "files": files }),
    );
    let mut resolved = 0;
    for (i, text) in files.iter().enumerate() {
        let theirs = &output[i];
        let config = match ConfigFile::parse(text) {
            Ok(config) => config,
            Err(error) => {
                assert!(
                    theirs.get("error").is_some(),
                    "file {i}: we refuse it ({error}), botocore reads {theirs}"
                );
                continue;
            }
        };
        assert!(
            theirs.get("error").is_none(),
            "file {i}: botocore refuses it: {theirs}"
        );
        assert_eq!(
            ours(&config, |s| matches!(s, Section::Profile(_))),
            theirs["profiles"],
            "file {i}"
        );
        assert_eq!(
            ours(&config, |s| matches!(s, Section::SsoSession(_))),
            theirs["sso_sessions"],
            "file {i}"
        );
        assert_eq!(
            ours(&config, |s| matches!(s, Section::Services(_))),
            theirs["services"],
            "file {i}"
        );
        for (name, token) in theirs["token"].as_object().unwrap() {
            check_token(&config, name, token);
            check_credentials(&config, name, &theirs["credentials"][name]);
            resolved += 1;
        }
    }
    // 14 in the files, 20 in the edited ones (each gains "new one", and "clash" or "default").
    assert_eq!(resolved, 34, "profiles compared");
    // The edits are read as written: by botocore (above) and by us.
    for text in edited() {
        let config = ConfigFile::parse(&text).unwrap();
        let new = config.sso_profile("new one").unwrap();
        assert_eq!(new.sign_in.cache_key(), "new");
        assert_eq!(new.role().unwrap().role_name, "Dev");
        assert_eq!(
            config.sso_profile("default").unwrap().sign_in.sso_region(),
            "ap-south-1"
        );
    }
}
