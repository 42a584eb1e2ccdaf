//! The role-credential cache the AWS CLI v2 keeps in `~/.aws/cli/cache`: file names and records
//! exactly as it writes them, lenient reading, the 15-minute reuse window, and (feature `fs`) the
//! files themselves, including what `aws sso logout` removes.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use proptest::prelude::*;
use sso_oidc::portal::RoleCredentials;
use sso_oidc::{
    CREDENTIALS_EXPIRY_WINDOW, CacheError, CachedRoleCredentials, Secret,
    role_credentials_file_name,
};

fn at(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

fn credentials(secret: &str) -> CachedRoleCredentials {
    let mut cached = CachedRoleCredentials::new(
        "ASIAEXAMPLE".to_owned(),
        Secret::from(secret),
        Secret::from(format!("{secret}-session")),
        at(1_767_229_200),
    );
    cached.account_id = Some("123456789012".to_owned());
    cached
}

#[test]
fn file_names_are_botocores_cache_keys() {
    // From botocore 1.44.8: SSOCredentialFetcher(...)._cache_key + ".json".
    let start_url = "https://d-1234567890.awsapps.com/start";
    assert_eq!(
        role_credentials_file_name("123456789012", "ReadOnly", Some("my-sso"), start_url),
        "31b260dab331b2af063485cea75f7b8b3cf54c71.json"
    );
    assert_eq!(
        role_credentials_file_name("123456789012", "ReadOnly", None, start_url),
        "30bbb2b1278a4c1fb1b943c46c1ef6501807f657.json"
    );
    assert_eq!(
        role_credentials_file_name("123456789012", "Rôle\"\\😀", Some("sëssion\n"), "x"),
        "20dda6e4bf223038907d26850647495e7e368f81.json"
    );
    // With a session, the start URL plays no part.
    assert_eq!(
        role_credentials_file_name("123456789012", "ReadOnly", Some("my-sso"), "https://other"),
        role_credentials_file_name("123456789012", "ReadOnly", Some("my-sso"), start_url),
    );
}

#[test]
fn a_record_is_byte_for_byte_what_the_aws_cli_writes() {
    // json.dumps of the dict botocore's SSOCredentialFetcher builds, for an expiration of
    // 1767229200123 ms (its `_parse_timestamp` drops the milliseconds).
    let mut cached = CachedRoleCredentials::new(
        "ASIAé".to_owned(),
        Secret::from("s/k+\"\\"),
        Secret::from("IQoJ😀\n"),
        at(1_767_229_200) + Duration::from_millis(123),
    );
    cached.account_id = Some("123456789012".to_owned());
    assert_eq!(
        String::from_utf8(cached.to_json()).unwrap(),
        r#"{"ProviderType": "sso", "Credentials": {"AccessKeyId": "ASIA\u00e9", "SecretAccessKey": "s/k+\"\\", "SessionToken": "IQoJ\ud83d\ude00\n", "Expiration": "2026-01-01T01:00:00Z", "AccountId": "123456789012"}}"#
    );
}

#[test]
fn what_get_role_credentials_returned_is_cached_with_its_account() {
    let body = br#"{"roleCredentials":{"accessKeyId":"ASIAX","secretAccessKey":"sk","sessionToken":"st","expiration":1767229200999}}"#;
    let returned =
        sso_oidc::portal::GetRoleCredentials::parse(http::Response::new(&body[..])).unwrap();
    let cached = CachedRoleCredentials::from_role_credentials(&returned, "111122223333");
    assert_eq!(
        cached.to_json(),
        br#"{"ProviderType": "sso", "Credentials": {"AccessKeyId": "ASIAX", "SecretAccessKey": "sk", "SessionToken": "st", "Expiration": "2026-01-01T01:00:00Z", "AccountId": "111122223333"}}"#
    );
    let back: RoleCredentials = CachedRoleCredentials::from_json(&cached.to_json())
        .unwrap()
        .to_role_credentials();
    assert_eq!(back.access_key_id, "ASIAX");
    assert_eq!(back.expiration, at(1_767_229_200));
}

#[test]
fn reused_while_fifteen_minutes_are_left() {
    let cached = credentials("sk");
    let expiration = cached.expiration;
    assert_eq!(CREDENTIALS_EXPIRY_WINDOW, Duration::from_secs(900));
    // botocore: expired when `seconds < 900`, so exactly 900 s left is still good.
    assert!(cached.is_fresh(expiration - Duration::from_secs(3600)));
    assert!(cached.is_fresh(expiration - Duration::from_secs(900)));
    assert!(!cached.is_fresh(expiration - Duration::from_millis(899_999)));
    assert!(!cached.is_fresh(expiration));
    assert!(!cached.is_fresh(expiration + Duration::from_secs(1)));
}

#[test]
fn keys_in_any_case_and_every_time_form_are_read() {
    for json in [
        r#"{"ProviderType": "sso", "Credentials": {"AccessKeyId": "AK", "SecretAccessKey": "SK", "SessionToken": "ST", "Expiration": "2026-01-01T01:00:00Z"}}"#,
        r#"{"credentials": {"accessKeyId": "AK", "secretAccessKey": "SK", "sessionToken": "ST", "expiration": "2026-01-01T02:00:00+01:00"}}"#,
        r#"{"CREDENTIALS": {"ACCESSKEYID": "AK", "SECRETACCESSKEY": "SK", "SESSIONTOKEN": "ST", "EXPIRATION": "2026-01-01 01:00:00UTC"}, "Other": 1}"#,
    ] {
        let cached = CachedRoleCredentials::from_json(json.as_bytes()).unwrap();
        assert_eq!(cached.access_key_id, "AK");
        assert_eq!(cached.secret_access_key.expose(), "SK");
        assert_eq!(cached.session_token.expose(), "ST");
        assert_eq!(cached.expiration, at(1_767_229_200), "{json}");
    }
}

#[test]
fn secrets_never_reach_debug_or_errors() {
    let cached = credentials("LEAK");
    for text in [format!("{cached:?}"), format!("{cached:#?}")] {
        assert!(!text.contains("LEAK"), "{text}");
        assert!(text.contains("ASIAEXAMPLE"), "{text}");
    }
    for record in [
        r#"{"Credentials": {"AccessKeyId": "LEAK", "SecretAccessKey": "LEAK", "SessionToken": "LEAK", "Expiration": "LEAK"}}"#,
        r#"{"Credentials": {"AccessKeyId": "a", "SecretAccessKey": ["LEAK"], "SessionToken": "LEAK", "Expiration": "2026-01-01T01:00:00Z"}}"#,
        r#"{"Credentials": ["LEAK"]}"#,
        r#"{"Credentials": {"SecretAccessKey": "LEAK""#,
        r#"{"LEAK": "LEAK"}"#,
    ] {
        let error = CachedRoleCredentials::from_json(record.as_bytes()).unwrap_err();
        for text in [error.to_string(), format!("{error:?}")] {
            assert!(!text.contains("LEAK"), "{record}: {text}");
        }
    }
}

#[test]
fn bad_records_are_typed_errors() {
    assert!(matches!(
        CachedRoleCredentials::from_json(b"[]"),
        Err(CacheError::NotAnObject)
    ));
    assert!(matches!(
        CachedRoleCredentials::from_json(b"{"),
        Err(CacheError::MalformedJson { .. })
    ));
    assert!(matches!(
        CachedRoleCredentials::from_json(br#"{"Credentials": {"AccessKeyId": "a", "SecretAccessKey": "s", "SessionToken": "t", "Expiration": 1767229200}}"#),
        Err(CacheError::InvalidTimestamp { key: "Expiration", .. })
    ));
    assert!(matches!(
        CachedRoleCredentials::from_json(br#"{"Credentials": {"AccessKeyId": "a", "SecretAccessKey": "s", "SessionToken": "t", "Expiration": "2026-01-01T01:00:00"}}"#),
        Err(CacheError::InvalidTimestamp { key: "Expiration", reason: "has no time zone" })
    ));
    assert!(matches!(
        CachedRoleCredentials::from_json(br#"{"Credentials": {"AccessKeyId": 1, "SecretAccessKey": "s", "SessionToken": "t", "Expiration": "2026-01-01T01:00:00Z"}}"#),
        Err(CacheError::InvalidValue { key: "AccessKeyId", .. })
    ));
}

fn whole_second() -> impl Strategy<Value = SystemTime> {
    (0..=253_402_300_799_u64).prop_map(at)
}

prop_compose! {
    fn any_credentials()(
        access_key_id in any::<String>(),
        secret_access_key in any::<String>(),
        session_token in any::<String>(),
        expiration in whole_second(),
        account_id in proptest::option::of(any::<String>()),
    ) -> CachedRoleCredentials {
        let mut cached = CachedRoleCredentials::new(
            access_key_id,
            Secret::new(secret_access_key),
            Secret::new(session_token),
            expiration,
        );
        cached.account_id = account_id;
        cached
    }
}

proptest! {
    #[test]
    fn records_round_trip(cached in any_credentials()) {
        let json = cached.to_json();
        prop_assert!(json.iter().all(|b| (0x20..=0x7e).contains(b)), "not printable ASCII");
        prop_assert_eq!(CachedRoleCredentials::from_json(&json).unwrap(), cached);
    }

    #[test]
    fn file_names_are_sha1_hex(
        account in any::<String>(),
        role in any::<String>(),
        session in proptest::option::of(any::<String>()),
        url in any::<String>(),
    ) {
        let name = role_credentials_file_name(&account, &role, session.as_deref(), &url);
        prop_assert_eq!(name.len(), 45);
        prop_assert!(name.ends_with(".json"));
        prop_assert!(name[..40].bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
    }

    #[test]
    fn reading_anything_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        let _ = CachedRoleCredentials::from_json(&bytes);
    }
}

#[cfg(feature = "fs")]
mod files {
    use std::fs;
    use std::path::PathBuf;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use sso_oidc::{CacheDir, CacheError, MAX_CACHE_FILE};

    use super::*;

    /// A fresh folder under the system's temporary folder, removed when dropped.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new() -> Self {
            static COUNT: AtomicUsize = AtomicUsize::new(0);
            let path = std::env::temp_dir().join(format!(
                "sso-oidc-role-cache-{}-{}",
                std::process::id(),
                COUNT.fetch_add(1, Ordering::Relaxed)
            ));
            let _ = fs::remove_dir_all(&path);
            fs::create_dir_all(&path).unwrap();
            Self(path)
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn name() -> String {
        role_credentials_file_name(
            "123456789012",
            "ReadOnly",
            Some("my-sso"),
            "https://d-1234567890.awsapps.com/start",
        )
    }

    #[test]
    fn credentials_are_written_under_their_aws_cli_name_and_read_back() {
        let scratch = Scratch::new();
        let cache = CacheDir::new(scratch.0.join("cli").join("cache"));
        assert_eq!(cache.read_role_credentials(&name()).unwrap(), None);
        assert!(!cache.path().exists(), "reading must not create the folder");

        let lock = cache.lock(&name()).unwrap();
        cache
            .write_role_credentials(&name(), &credentials("sk"))
            .unwrap();
        drop(lock);
        let path = cache
            .path()
            .join("31b260dab331b2af063485cea75f7b8b3cf54c71.json");
        assert_eq!(fs::read(&path).unwrap(), credentials("sk").to_json());
        assert_eq!(
            cache.read_role_credentials(&name()).unwrap(),
            Some(credentials("sk"))
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
            let mode = fs::metadata(cache.path()).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o700);
        }
    }

    #[test]
    fn damaged_and_oversized_files_are_errors() {
        let scratch = Scratch::new();
        let cache = CacheDir::new(&scratch.0);
        fs::write(scratch.0.join(name()), b"{\"Credentials\": {}}").unwrap();
        assert!(matches!(
            cache.read_role_credentials(&name()),
            Err(CacheError::MissingKey { key: "AccessKeyId" })
        ));
        fs::write(scratch.0.join(name()), vec![b' '; MAX_CACHE_FILE + 1]).unwrap();
        assert!(matches!(
            cache.read_role_credentials(&name()),
            Err(CacheError::TooLarge { .. })
        ));
        assert!(matches!(
            cache.read_role_credentials("../x.json"),
            Err(CacheError::InvalidFileName { .. })
        ));
        assert!(matches!(
            cache.write_role_credentials("a/b.json", &credentials("sk")),
            Err(CacheError::InvalidFileName { .. })
        ));
    }

    #[test]
    fn logout_removes_the_sso_records_and_nothing_else() {
        let scratch = Scratch::new();
        let cache = CacheDir::new(&scratch.0);
        cache
            .write_role_credentials(&name(), &credentials("a"))
            .unwrap();
        let other = role_credentials_file_name("111122223333", "Admin", None, "https://x/start");
        cache
            .write_role_credentials(&other, &credentials("b"))
            .unwrap();
        let _lock = cache.lock(&name()).unwrap();
        // Written by other tools or by hand: any name, as long as it is an SSO record.
        fs::write(
            scratch.0.join("by hand.txt"),
            br#"{"ProviderType":"sso","Credentials":{}}"#,
        )
        .unwrap();
        // A half-written record left by a killed write holds the same secrets.
        fs::write(
            scratch.0.join(format!(".{}.1-1.tmp", name())),
            credentials("c").to_json(),
        )
        .unwrap();
        let keep = [
            // The AWS CLI's assume-role record: no ProviderType.
            (
                "assume-role.json",
                br#"{"Credentials": {"AccessKeyId": "a"}, "AssumedRoleUser": {}}"#.to_vec(),
            ),
            (
                "other-provider.json",
                br#"{"ProviderType": "SSO"}"#.to_vec(),
            ),
            ("list.json", br#"["ProviderType", "sso"]"#.to_vec()),
            ("broken.json", br#"{"ProviderType": "sso""#.to_vec()),
            ("empty.json", Vec::new()),
            ("huge.json", {
                let mut big = br#"{"ProviderType": "sso", "x": ""#.to_vec();
                big.resize(MAX_CACHE_FILE + 1, b'x');
                big
            }),
        ];
        for (file, bytes) in &keep {
            fs::write(scratch.0.join(file), bytes).unwrap();
        }
        fs::create_dir(scratch.0.join("sub.json")).unwrap();
        fs::write(
            scratch.0.join("sub.json").join("inner.json"),
            credentials("d").to_json(),
        )
        .unwrap();

        let mut removed: Vec<String> = cache
            .remove_sso_credentials()
            .unwrap()
            .iter()
            .map(|path| path.file_name().unwrap().to_str().unwrap().to_owned())
            .collect();
        removed.sort();
        let mut expected = vec![
            name(),
            other,
            "by hand.txt".to_owned(),
            format!(".{}.1-1.tmp", name()),
        ];
        expected.sort();
        assert_eq!(removed, expected);

        let mut left: Vec<String> = fs::read_dir(&scratch.0)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        let mut expected: Vec<String> = keep.iter().map(|(f, _)| (*f).to_owned()).collect();
        expected.push(format!("{}.lock", name()));
        expected.push("sub.json".to_owned());
        expected.sort();
        assert_eq!(left, expected);
        assert!(scratch.0.join("sub.json").join("inner.json").exists());

        // Again: nothing left to remove; a missing folder has nothing either.
        assert_eq!(
            cache.remove_sso_credentials().unwrap(),
            Vec::<PathBuf>::new()
        );
        let missing = CacheDir::new(scratch.0.join("missing"));
        assert_eq!(
            missing.remove_sso_credentials().unwrap(),
            Vec::<PathBuf>::new()
        );
        assert!(!missing.path().exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_record_that_cannot_be_removed_is_reported_after_the_others_are() {
        use std::os::unix::fs::PermissionsExt;
        let scratch = Scratch::new();
        let locked = scratch.0.join("locked");
        fs::create_dir(&locked).unwrap();
        let cache = CacheDir::new(&locked);
        cache
            .write_role_credentials(&name(), &credentials("a"))
            .unwrap();
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o500)).unwrap();
        let result = cache.remove_sso_credentials();
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o700)).unwrap();
        // Root may remove files from a read-only folder.
        if locked.join(name()).exists() {
            let error = result.unwrap_err();
            assert!(
                matches!(
                    error,
                    CacheError::Io {
                        action: "remove",
                        ..
                    }
                ),
                "{error}"
            );
            assert!(!error.to_string().contains("sk"), "{error}");
        } else {
            assert_eq!(result.unwrap().len(), 1);
        }
    }
}
