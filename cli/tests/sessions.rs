//! `sso-oidc sessions` on fixed token files: what each sign-in is (the sso-session or start
//! URL, its profiles, its region), how long its token and its refresh last, in the AWS CLI's
//! output formats, sorted; files it cannot use are skipped with a warning; no secret shows.

use std::time::{Duration, SystemTime};

use serde_json::{Value, json};
use sso_oidc::{CacheDir, CachedToken, Secret};

mod login_support;
use login_support::{Home, SESSION, START_URL, text};

const HOUR: u64 = 3600;
const DAY: u64 = 24 * HOUR;

/// Every secret the fixtures hold, and the client ids: none may be printed.
const SECRETS: [&str; 7] = [
    "fresh-access-token",
    "fresh-refresh-token",
    "fresh-client-secret",
    "fresh-client-id",
    "expired-access-token",
    "bare-access-token",
    "unusable-access-token",
];

/// A time `seconds` from now (in the past when negative).
fn from_now(seconds: i64) -> SystemTime {
    let offset = Duration::from_secs(seconds.unsigned_abs());
    if seconds < 0 {
        SystemTime::now() - offset
    } else {
        SystemTime::now() + offset
    }
}

/// The cache holds:
/// - the sso-session's token: fresh for 8 hours, refreshable for 90 days;
/// - the legacy profile's (named after the start URL): expired, no refresh token;
/// - one no config section names, with its start URL: fresh, no refresh token;
/// - one that is not JSON, one with an unusable record, a registration and a lock file.
fn fixtures(home: &Home) {
    let cache = CacheDir::new(home.cache());
    let mut fresh = CachedToken::new(
        Secret::from("fresh-access-token"),
        from_now(8 * HOUR as i64 + 30),
    );
    fresh.start_url = Some(START_URL.into());
    fresh.region = Some("us-east-1".into());
    fresh.client_id = Some("fresh-client-id".into());
    fresh.client_secret = Some(Secret::from("fresh-client-secret"));
    fresh.registration_expires_at = Some(from_now(90 * DAY as i64 + 30));
    fresh.refresh_token = Some(Secret::from("fresh-refresh-token"));
    cache.write_token(SESSION, &fresh).unwrap();

    let mut expired = CachedToken::new(Secret::from("expired-access-token"), from_now(-60));
    expired.start_url = Some(START_URL.into());
    expired.region = Some("us-east-1".into());
    cache.write_token(START_URL, &expired).unwrap();

    let mut bare = CachedToken::new(
        Secret::from("bare-access-token"),
        from_now(HOUR as i64 + 30),
    );
    bare.start_url = Some("https://d-9999999999.awsapps.com/start".into());
    bare.region = Some("eu-west-1".into());
    cache.write_token("somebody-else", &bare).unwrap();

    let folder = home.cache();
    std::fs::write(folder.join("broken.json"), "{\"accessToken\": \"").unwrap();
    std::fs::write(
        folder.join("unusable.json"),
        r#"{"accessToken": "unusable-access-token"}"#,
    )
    .unwrap();
    std::fs::write(folder.join("registration.json"), r#"{"clientId": "x"}"#).unwrap();
    std::fs::write(folder.join("broken.json.lock"), "").unwrap();
}

fn run(home: &Home, args: &[&str]) -> (String, String) {
    let output = home.sso_oidc(args).assert().success().get_output().clone();
    let (stdout, stderr) = text(&output);
    for secret in SECRETS {
        assert!(!stdout.contains(secret), "{secret} in {stdout}");
        assert!(!stderr.contains(secret), "{secret} in {stderr}");
    }
    (stdout, stderr)
}

#[test]
fn each_sign_in_with_its_profiles_and_how_long_it_lasts() {
    let home = Home::new();
    fixtures(&home);
    let (stdout, stderr) = run(&home, &["sessions"]);
    let listed: Value = serde_json::from_str(&stdout).unwrap();
    let cache = home.cache();
    let file = |name: &str| sso_oidc::token_file_name(name);
    let expires_at = |name: &str| {
        let bytes = std::fs::read(cache.join(file(name))).unwrap();
        serde_json::from_slice::<Value>(&bytes).unwrap()["expiresAt"].clone()
    };
    let registration_expires_at = {
        let bytes = std::fs::read(cache.join(file(SESSION))).unwrap();
        serde_json::from_slice::<Value>(&bytes).unwrap()["registrationExpiresAt"].clone()
    };
    // Sorted by session: the start URLs ("https://...") before "my-sso".
    assert_eq!(
        listed,
        json!({"sessions": [
            {
                "session": "https://d-1234567890.awsapps.com/start",
                "startUrl": START_URL,
                "region": "us-east-1",
                "profiles": ["legacy"],
                "expiresAt": expires_at(START_URL),
                "expiresIn": "expired",
                "expired": true,
                "refreshable": false,
                "refreshableUntil": null,
                "refreshableFor": null,
                "cacheFile": file(START_URL),
            },
            {
                "session": "https://d-9999999999.awsapps.com/start",
                "startUrl": "https://d-9999999999.awsapps.com/start",
                "region": "eu-west-1",
                "profiles": [],
                "expiresAt": expires_at("somebody-else"),
                "expiresIn": "1h 0m",
                "expired": false,
                "refreshable": false,
                "refreshableUntil": null,
                "refreshableFor": null,
                "cacheFile": file("somebody-else"),
            },
            {
                "session": SESSION,
                "startUrl": START_URL,
                "region": "us-east-1",
                "profiles": ["dev"],
                "expiresAt": expires_at(SESSION),
                "expiresIn": "8h 0m",
                "expired": false,
                "refreshable": true,
                "refreshableUntil": registration_expires_at,
                "refreshableFor": "90d 0h",
                "cacheFile": file(SESSION),
            },
        ]})
    );
    // The files it could not use, and only those, are named on stderr.
    let broken = cache.join("broken.json");
    let unusable = cache.join("unusable.json");
    assert_eq!(
        stderr,
        format!(
            "warning: Skipped {}: it is not JSON (line 1, column 17)\n\
             warning: Skipped {}: the cache record has no `expiresAt`\n",
            broken.display(),
            unusable.display()
        )
    );
}

#[test]
fn text_table_and_query() {
    let home = Home::new();
    fixtures(&home);
    let (text, _) = run(
        &home,
        &[
            "sessions",
            "--output",
            "text",
            "--query",
            "sessions[].[session, region, expiresIn, refreshableFor]",
        ],
    );
    assert_eq!(
        text,
        "https://d-1234567890.awsapps.com/start\tus-east-1\texpired\tNone\n\
         https://d-9999999999.awsapps.com/start\teu-west-1\t1h 0m\tNone\n\
         my-sso\tus-east-1\t8h 0m\t90d 0h\n"
    );
    let (table, _) = run(&home, &["sessions", "--output", "table"]);
    let title = table.lines().nth(1).unwrap_or_default();
    assert_eq!(title.trim_matches('|').trim(), "Sessions", "{table}");
    for line in [
        "||  session          |  my-sso",
        "||  expiresIn        |  8h 0m",
        "||  refreshableFor   |  90d 0h",
        "|||  dev ",
    ] {
        assert!(table.contains(line), "{line} in\n{table}");
    }
    let (json_text, _) = run(
        &home,
        &["sessions", "--query", "sessions[?expired].session"],
    );
    assert_eq!(
        serde_json::from_str::<Value>(&json_text).unwrap(),
        json!(["https://d-1234567890.awsapps.com/start"])
    );
    // The output setting applies, as for the other commands.
    home.sso_oidc(&["sessions", "--query", "sessions[?refreshable].profiles[]"])
        .env("AWS_DEFAULT_OUTPUT", "text")
        .assert()
        .success()
        .stdout("dev\n");
}

#[test]
fn an_empty_or_missing_cache_is_an_empty_list() {
    let home = Home::new();
    let empty = "{\n    \"sessions\": []\n}\n";
    assert_eq!(run(&home, &["sessions"]), (empty.to_owned(), String::new()));
    assert!(!home.cache().exists(), "nothing is created");
    std::fs::create_dir_all(home.cache()).unwrap();
    assert_eq!(run(&home, &["sessions"]), (empty.to_owned(), String::new()));
    // --cache-dir is read instead.
    fixtures(&home);
    let elsewhere = home.path().join("elsewhere");
    let (stdout, _) = run(
        &home,
        &["sessions", "--cache-dir", elsewhere.to_str().unwrap()],
    );
    assert_eq!(stdout, empty);
}

#[test]
fn help_says_what_it_lists_and_which_folders() {
    let home = Home::new();
    let (help, _) = run(&home, &["--help"]);
    assert!(
        help.contains(
            "  sessions                    List the cached SSO sign-ins: start URL, region, and \
             how long each token and its refresh are good for\n"
        ),
        "{help}"
    );
    let (own, _) = run(&home, &["sessions", "--help"]);
    let (own, global) = own.split_once("Global options:").unwrap();
    assert!(own.contains("--cache-dir <PATH>"), "{own}");
    assert!(global.contains("--output") && global.contains("--query"));
    let (own, _) = run(&home, &["logout", "--help"]);
    let own = own.split_once("Global options:").unwrap().0;
    assert!(own.contains("--cache-dir <PATH>"), "{own}");
    assert!(
        own.contains("--credentials-cache-dir <PATH>")
            && own.contains("[default: ~/.aws/cli/cache]"),
        "{own}"
    );
}
