//! The AWS CLI v2 token cache as data: file names, the exact bytes the AWS CLI writes, lenient
//! reads, typed errors, and no secret in any output.
//!
//! Expected bytes and hashes come from Python, as the AWS CLI v2 computes them (each test says
//! how), so a difference from the AWS CLI shows up as a failure here.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use proptest::prelude::*;
use sso_oidc::{
    CacheError, CachedRegistration, CachedToken, ClientRegistration, Secret,
    registration_file_name, token_file_name,
};

const START_URL: &str = "https://d-1234567890.awsapps.com/start";

fn at(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

fn token(json: &str) -> Result<CachedToken, CacheError> {
    CachedToken::from_json(json.as_bytes())
}

fn registration(json: &str) -> Result<CachedRegistration, CacheError> {
    CachedRegistration::from_json(json.as_bytes())
}

// --- file names --------------------------------------------------------------------------------

#[test]
fn token_file_names_are_the_sha1_of_the_session_or_start_url() {
    assert_eq!(
        token_file_name("correct-sso"),
        "29faa2f70ab0f58f60e284d585d95865572f5cbd.json"
    );
    assert_eq!(
        token_file_name("my-sso"),
        "0ad374308c5a4e22f723adf10145eafad7c4031c.json"
    );
    // python3 -c 'import hashlib; print(hashlib.sha1(START_URL.encode()).hexdigest())'
    assert_eq!(
        token_file_name(START_URL),
        "7487b5b67d5fa1132cf33fa93ae51ef38cc37752.json"
    );
    assert_eq!(
        token_file_name("séssion-😀"),
        "f231efc26f33437523aff1b16138509b16ae1144.json"
    );
}

#[test]
fn registration_file_names_are_the_aws_clis() {
    let scopes = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    // The vector from the issue.
    assert_eq!(
        registration_file_name(
            START_URL,
            "us-east-1",
            Some(&scopes(&["sso:account:access"])),
            Some("my-sso")
        ),
        "a8343d65418848d0bc13a5f25cbb32508ceec5d1.json"
    );
    // python3: hashlib.sha1(json.dumps({'tool': 'botocore', 'startUrl': s, 'region': r,
    //   'scopes': sc, 'session_name': n}, sort_keys=True).encode('utf-8')).hexdigest()
    for (region, list, session, expected) in [
        (
            "us-east-1",
            None,
            None,
            "365414a68be7c9bfc776c660981dbdbd942acea4",
        ),
        (
            "eu-west-1",
            Some(scopes(&["sso:account:access"])),
            None,
            "5c383e8e78c3b18abd0ae47b3541491e9254d004",
        ),
        (
            "us-east-1",
            None,
            Some("my-sso"),
            "8b2cedd020fb181ad4cf906d1d27b232fd31557e",
        ),
        (
            "us-east-1",
            Some(Vec::new()),
            Some("my-sso"),
            "8d72c27ea00d5059f816f34d824c9f6ce5e667e9",
        ),
        (
            "us-east-1",
            Some(scopes(&["a", "b"])),
            Some("séssion-😀"),
            "c9cd3e7746d989b159e3d7fd5e699aed17dae0c1",
        ),
    ] {
        assert_eq!(
            registration_file_name(START_URL, region, list.as_deref(), session),
            format!("{expected}.json"),
            "{region} {list:?} {session:?}"
        );
    }
}

// --- writing exactly what the AWS CLI writes ---------------------------------------------------

fn full_token() -> CachedToken {
    let mut token = CachedToken::new(
        Secret::from("aoaé€😀\"\\/\n\r\t\u{8}\u{c}\u{0}\u{1f}\u{7f} end"),
        at(1_700_000_000),
    );
    token.start_url = Some(START_URL.to_owned());
    token.region = Some("us-east-1".to_owned());
    token.client_id = Some("cid".to_owned());
    token.client_secret = Some(Secret::from("c-secret"));
    token.registration_expires_at = Some(at(253_402_300_799));
    token.refresh_token = Some(Secret::from("r-token"));
    token
}

#[test]
fn a_token_file_is_byte_for_byte_what_the_aws_cli_writes() {
    // python3 -c 'import json, datetime as d; u = d.timezone.utc; print(json.dumps({
    //   "startUrl": "https://d-1234567890.awsapps.com/start", "region": "us-east-1",
    //   "accessToken": "aoa\u00e9\u20ac\U0001F600\"\\/\n\r\t\b\f\x00\x1f\x7f end",
    //   "expiresAt": d.datetime.fromtimestamp(1700000000, u), "clientId": "cid",
    //   "clientSecret": "c-secret", "registrationExpiresAt": d.datetime(9999, 12, 31, 23, 59, 59,
    //   tzinfo=u), "refreshToken": "r-token"},
    //   default=lambda x: x.strftime("%Y-%m-%dT%H:%M:%SZ")))'
    let expected = r#"{"startUrl": "https://d-1234567890.awsapps.com/start", "region": "us-east-1", "accessToken": "aoa\u00e9\u20ac\ud83d\ude00\"\\/\n\r\t\b\f\u0000\u001f\u007f end", "expiresAt": "2023-11-14T22:13:20Z", "clientId": "cid", "clientSecret": "c-secret", "registrationExpiresAt": "9999-12-31T23:59:59Z", "refreshToken": "r-token"}"#;
    assert_eq!(String::from_utf8(full_token().to_json()).unwrap(), expected);
    assert_eq!(token(expected).unwrap(), full_token());
}

#[test]
fn absent_optional_keys_are_left_out() {
    let mut token = CachedToken::new(Secret::from("a"), at(0));
    token.region = Some("eu-west-1".to_owned());
    token.refresh_token = Some(Secret::from("r"));
    assert_eq!(
        String::from_utf8(token.to_json()).unwrap(),
        r#"{"region": "eu-west-1", "accessToken": "a", "expiresAt": "1970-01-01T00:00:00Z", "refreshToken": "r"}"#
    );
}

#[test]
fn a_registration_file_is_byte_for_byte_what_the_aws_cli_writes() {
    let mut cached =
        CachedRegistration::new("cid".to_owned(), Secret::from("cs"), at(1_709_208_000));
    cached.scopes = Some(vec![
        "sso:account:access".to_owned(),
        "codewhisperer:completions".to_owned(),
    ]);
    // python3: json.dumps({"clientId": "cid", "clientSecret": "cs", "expiresAt":
    //   d.datetime(2024, 2, 29, 12, 0, 0, tzinfo=u), "scopes": [...]}, default=...)
    let expected = r#"{"clientId": "cid", "clientSecret": "cs", "expiresAt": "2024-02-29T12:00:00Z", "scopes": ["sso:account:access", "codewhisperer:completions"]}"#;
    assert_eq!(String::from_utf8(cached.to_json()).unwrap(), expected);
    assert_eq!(registration(expected).unwrap(), cached);

    cached.scopes = None;
    cached.grant_types = Some(vec![
        "authorization_code".to_owned(),
        "refresh_token".to_owned(),
    ]);
    let written = String::from_utf8(cached.to_json()).unwrap();
    assert_eq!(
        written,
        r#"{"clientId": "cid", "clientSecret": "cs", "expiresAt": "2024-02-29T12:00:00Z", "grantTypes": ["authorization_code", "refresh_token"]}"#
    );
    assert_eq!(registration(&written).unwrap(), cached);
}

#[test]
fn a_registration_from_register_client_is_cached_as_the_aws_cli_caches_it() {
    let answer = sso_oidc::RegisterClient::parse(http::Response::new(
        br#"{"clientId":"cid","clientSecret":"cs","clientIdIssuedAt":1700000000,"clientSecretExpiresAt":1707776000}"#.to_vec(),
    ))
    .unwrap();
    let scopes = Some(vec!["sso:account:access".to_owned()]);
    let cached = CachedRegistration::from_registration(&answer, scopes);
    assert_eq!(
        cached.to_json(),
        br#"{"clientId": "cid", "clientSecret": "cs", "expiresAt": "2024-02-12T22:13:20Z", "scopes": ["sso:account:access"]}"#
    );
    let back: ClientRegistration = registration(std::str::from_utf8(&cached.to_json()).unwrap())
        .unwrap()
        .to_registration();
    assert_eq!(back.client_id, answer.client_id);
    assert_eq!(back.client_secret, answer.client_secret);
    assert_eq!(
        back.client_secret_expires_at,
        answer.client_secret_expires_at
    );
    assert_eq!(back.client_id_issued_at, None);
}

// --- reading leniently -------------------------------------------------------------------------

#[test]
fn every_timestamp_form_is_read() {
    let expected = at(1_573_704_345); // 2019-11-14T04:05:45Z
    for form in [
        "2019-11-14T04:05:45Z",
        "2019-11-14T04:05:45z",
        "2019-11-14t04:05:45Z",
        "2019-11-14 04:05:45Z",
        "2019-11-14T04:05:45UTC",
        "2019-11-14T04:05:45+00:00",
        "2019-11-14T05:05:45+01:00",
        "2019-11-13T20:05:45-0800",
        "2019-11-14T05:05:45+01",
        "2019-11-14T04:05:45.000Z",
        "2019-11-14T04:05:45.000000000000Z",
        "2019-11-14T05:05:45.0+01:00",
    ] {
        let json = format!(
            r#"{{"accessToken": "a", "expiresAt": "{form}", "registrationExpiresAt": "{form}"}}"#
        );
        let read = token(&json).unwrap_or_else(|e| panic!("{form}: {e}"));
        assert_eq!(read.expires_at, expected, "{form}");
        assert_eq!(read.registration_expires_at, Some(expected), "{form}");
    }
    let fraction = token(r#"{"accessToken": "a", "expiresAt": "2019-11-14T04:05:45.25Z"}"#);
    assert_eq!(
        fraction.unwrap().expires_at,
        expected + Duration::from_millis(250)
    );
}

#[test]
fn times_before_1970_and_up_to_9999_are_read() {
    let read = |t: &str| token(&format!(r#"{{"accessToken": "a", "expiresAt": "{t}"}}"#));
    assert_eq!(
        read("1969-12-31T23:59:59Z").unwrap().expires_at,
        UNIX_EPOCH - Duration::from_secs(1)
    );
    assert_eq!(
        read("1601-01-01T00:00:00Z").unwrap().expires_at,
        UNIX_EPOCH - Duration::from_secs(11_644_473_600)
    );
    assert_eq!(
        read("9999-12-31T23:59:59Z").unwrap().expires_at,
        at(253_402_300_799)
    );
}

#[test]
fn keys_are_matched_in_any_case() {
    let read = token(
        r#"{"StartUrl": "s", "REGION": "r", "AccessToken": "a", "expiresat": "2019-11-14T04:05:45Z",
            "ClientID": "c", "clientsecret": "cs", "RegistrationExpiresAt": "2019-11-14T04:05:45Z",
            "REFRESHTOKEN": "rt"}"#,
    )
    .unwrap();
    assert_eq!(read.start_url.as_deref(), Some("s"));
    assert_eq!(read.region.as_deref(), Some("r"));
    assert_eq!(read.access_token.expose(), "a");
    assert_eq!(read.client_id.as_deref(), Some("c"));
    assert_eq!(read.client_secret.unwrap().expose(), "cs");
    assert_eq!(read.registration_expires_at, Some(at(1_573_704_345)));
    assert_eq!(read.refresh_token.unwrap().expose(), "rt");

    let cached = registration(
        r#"{"ClientId": "c", "CLIENTSECRET": "s", "ExpiresAt": "2019-11-14T04:05:45Z",
            "Scopes": ["x"], "granttypes": ["refresh_token"]}"#,
    )
    .unwrap();
    assert_eq!(cached.client_id, "c");
    assert_eq!(cached.scopes, Some(vec!["x".to_owned()]));
    assert_eq!(cached.grant_types, Some(vec!["refresh_token".to_owned()]));
}

#[test]
fn unknown_keys_are_ignored_and_nulls_are_absent() {
    let read = token(
        r#"{"accessToken": "a", "expiresAt": "2019-11-14T04:05:45Z", "startUrl": null,
            "region": null, "clientId": null, "clientSecret": null, "registrationExpiresAt": null,
            "refreshToken": null, "issuedAt": {"nested": [1, 2]}, "provider": 7}"#,
    )
    .unwrap();
    assert_eq!(read, CachedToken::new(Secret::from("a"), at(1_573_704_345)));
    let cached = registration(
        r#"{"clientId": "c", "clientSecret": "s", "expiresAt": "2019-11-14T04:05:45Z",
            "scopes": null, "grantTypes": null, "issuedAt": "whenever"}"#,
    )
    .unwrap();
    assert_eq!(cached.scopes, None);
    assert_eq!(cached.grant_types, None);
}

// --- typed errors ------------------------------------------------------------------------------

#[test]
fn missing_keys_are_named() {
    for (json, key) in [
        (r#"{"expiresAt": "2019-11-14T04:05:45Z"}"#, "accessToken"),
        (
            r#"{"accessToken": null, "expiresAt": "2019-11-14T04:05:45Z"}"#,
            "accessToken",
        ),
        (r#"{"accessToken": "a"}"#, "expiresAt"),
        (r#"{}"#, "accessToken"),
    ] {
        match token(json) {
            Err(CacheError::MissingKey { key: missing }) => assert_eq!(missing, key, "{json}"),
            other => panic!("{json}: {other:?}"),
        }
    }
    for (json, key) in [
        (
            r#"{"clientSecret": "s", "expiresAt": "2019-11-14T04:05:45Z"}"#,
            "clientId",
        ),
        (
            r#"{"clientId": "c", "expiresAt": "2019-11-14T04:05:45Z"}"#,
            "clientSecret",
        ),
        (r#"{"clientId": "c", "clientSecret": "s"}"#, "expiresAt"),
    ] {
        match registration(json) {
            Err(CacheError::MissingKey { key: missing }) => assert_eq!(missing, key, "{json}"),
            other => panic!("{json}: {other:?}"),
        }
    }
    assert_eq!(
        token("{}").unwrap_err().to_string(),
        "the cache record has no `accessToken`"
    );
}

#[test]
fn bad_timestamps_are_typed_errors() {
    for (value, reason) in [
        (
            r#""2019-02-30T00:00:00Z""#,
            "has a day out of range for its month",
        ),
        (r#""2019-11-14T24:00:00Z""#, "has an hour out of range"),
        (r#""2019-11-14T04:05:45""#, "has no time zone"),
        (r#""tomorrow""#, "is not of the form YYYY-MM-DDTHH:MM:SSZ"),
        ("1573704345", "is not a string"),
    ] {
        let json = format!(r#"{{"accessToken": "a", "expiresAt": {value}}}"#);
        match token(&json) {
            Err(CacheError::InvalidTimestamp { key, reason: why }) => {
                assert_eq!((key, why), ("expiresAt", reason), "{value}");
            }
            other => panic!("{value}: {other:?}"),
        }
    }
    let json = r#"{"accessToken": "a", "expiresAt": "2019-11-14T04:05:45Z", "registrationExpiresAt": "2019-13-01T00:00:00Z"}"#;
    let error = token(json).unwrap_err();
    assert!(matches!(
        error,
        CacheError::InvalidTimestamp {
            key: "registrationExpiresAt",
            ..
        }
    ));
    assert_eq!(
        error.to_string(),
        "`registrationExpiresAt` in the cache record is not a valid timestamp: it has a month out of range"
    );
}

#[test]
fn values_of_the_wrong_type_are_typed_errors() {
    let error = token(r#"{"accessToken": 5, "expiresAt": "2019-11-14T04:05:45Z"}"#).unwrap_err();
    assert!(matches!(
        error,
        CacheError::InvalidValue {
            key: "accessToken",
            reason: "is not a string"
        }
    ));
    assert_eq!(
        error.to_string(),
        "`accessToken` in the cache record is not a string"
    );
    let error = registration(
        r#"{"clientId": "c", "clientSecret": "s", "expiresAt": "2019-11-14T04:05:45Z", "scopes": "x"}"#,
    )
    .unwrap_err();
    assert!(matches!(
        error,
        CacheError::InvalidValue { key: "scopes", .. }
    ));
}

#[test]
fn malformed_json_gives_only_its_position() {
    let error = token("{\n  \"accessToken\": \"a\",\n  oops").unwrap_err();
    assert!(
        matches!(error, CacheError::MalformedJson { line: 3, column: 3 }),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "the cache record is not valid JSON (line 3, column 3)"
    );
    for bytes in [
        &b""[..],
        b"{",
        b"\xff",
        b"{} {}",
        b"{\"accessToken\": \"\xff\"}",
    ] {
        assert!(
            matches!(
                CachedToken::from_json(bytes),
                Err(CacheError::MalformedJson { .. })
            ),
            "{bytes:?}"
        );
        assert!(matches!(
            CachedRegistration::from_json(bytes),
            Err(CacheError::MalformedJson { .. })
        ));
    }
}

#[test]
fn anything_but_an_object_is_not_a_record() {
    for json in ["[]", "null", "\"accessToken\"", "42", "true"] {
        assert!(
            matches!(token(json), Err(CacheError::NotAnObject)),
            "{json}"
        );
        assert!(
            matches!(registration(json), Err(CacheError::NotAnObject)),
            "{json}"
        );
    }
    assert_eq!(
        token("[]").unwrap_err().to_string(),
        "the cache record is not a JSON object"
    );
}

// --- secrets -----------------------------------------------------------------------------------

const MARK: &str = "LEAK";

#[test]
fn secrets_never_reach_debug() {
    let mut token = CachedToken::new(Secret::from("LEAK-access"), at(0));
    token.client_secret = Some(Secret::from("LEAK-client-secret"));
    token.refresh_token = Some(Secret::from("LEAK-refresh"));
    let cached = CachedRegistration::new("cid".to_owned(), Secret::from("LEAK-secret"), at(0));
    for text in [
        format!("{token:?}"),
        format!("{token:#?}"),
        format!("{cached:?}"),
        format!("{cached:#?}"),
    ] {
        assert!(!text.contains(MARK), "{text}");
        assert!(text.contains("<redacted>"), "{text}");
    }
}

#[test]
fn errors_never_repeat_the_record() {
    let records = [
        r#"{"accessToken": "LEAK", "expiresAt": "LEAK"}"#.to_owned(),
        r#"{"accessToken": "LEAK", "expiresAt": "2019-02-30T00:00:00Z LEAK"}"#.to_owned(),
        r#"{"accessToken": "LEAK", "expiresAt": ["LEAK"]}"#.to_owned(),
        r#"{"accessToken": ["LEAK"], "expiresAt": "2019-11-14T04:05:45Z"}"#.to_owned(),
        r#"{"accessToken": "LEAK", "expiresAt": "2019-11-14T04:05:45Z", "refreshToken": {"LEAK": 1}}"#.to_owned(),
        r#"{"accessToken": "LEAK", "LEAK"}"#.to_owned(),
        r#"{"accessToken": "LEAK"#.to_owned(),
        r#"["LEAK"]"#.to_owned(),
        r#"{"refreshToken": "LEAK"}"#.to_owned(),
        r#"{"clientId": "c", "clientSecret": "LEAK", "expiresAt": "LEAK", "scopes": [1]}"#.to_owned(),
        r#"{"clientId": "c", "clientSecret": "LEAK", "expiresAt": "2019-11-14T04:05:45Z", "scopes": ["LEAK", 1]}"#.to_owned(),
    ];
    let mut errors = 0;
    for record in &records {
        for error in [
            CachedToken::from_json(record.as_bytes()).err(),
            CachedRegistration::from_json(record.as_bytes()).err(),
        ]
        .into_iter()
        .flatten()
        {
            errors += 1;
            for text in [
                error.to_string(),
                format!("{error:?}"),
                format!("{error:#?}"),
            ] {
                assert!(!text.contains(MARK), "{record}: {text}");
            }
        }
    }
    assert!(
        errors >= records.len(),
        "every record should fail somewhere"
    );
}

// --- properties --------------------------------------------------------------------------------

/// Whole seconds from 1970 to the end of 9999.
fn whole_second() -> impl Strategy<Value = SystemTime> {
    (0..=253_402_300_799_u64).prop_map(at)
}

fn secret() -> impl Strategy<Value = Secret> {
    any::<String>().prop_map(Secret::new)
}

prop_compose! {
    fn any_token()(
        access_token in secret(),
        expires_at in whole_second(),
        start_url in proptest::option::of(any::<String>()),
        region in proptest::option::of(any::<String>()),
        client_id in proptest::option::of(any::<String>()),
        client_secret in proptest::option::of(secret()),
        registration_expires_at in proptest::option::of(whole_second()),
        refresh_token in proptest::option::of(secret()),
    ) -> CachedToken {
        let mut token = CachedToken::new(access_token, expires_at);
        token.start_url = start_url;
        token.region = region;
        token.client_id = client_id;
        token.client_secret = client_secret;
        token.registration_expires_at = registration_expires_at;
        token.refresh_token = refresh_token;
        token
    }
}

prop_compose! {
    fn any_registration()(
        client_id in any::<String>(),
        client_secret in secret(),
        expires_at in whole_second(),
        scopes in proptest::option::of(proptest::collection::vec(any::<String>(), 0..4)),
        grant_types in proptest::option::of(proptest::collection::vec(any::<String>(), 0..4)),
    ) -> CachedRegistration {
        let mut cached = CachedRegistration::new(client_id, client_secret, expires_at);
        cached.scopes = scopes;
        cached.grant_types = grant_types;
        cached
    }
}

proptest! {
    #[test]
    fn tokens_round_trip(token in any_token()) {
        let json = token.to_json();
        prop_assert!(json.iter().all(|b| (0x20..=0x7e).contains(b)), "not printable ASCII");
        prop_assert_eq!(CachedToken::from_json(&json).unwrap(), token);
    }

    #[test]
    fn registrations_round_trip(cached in any_registration()) {
        let json = cached.to_json();
        prop_assert!(json.iter().all(|b| (0x20..=0x7e).contains(b)), "not printable ASCII");
        prop_assert_eq!(CachedRegistration::from_json(&json).unwrap(), cached);
    }

    #[test]
    fn reading_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        let _ = CachedToken::from_json(&bytes);
        let _ = CachedRegistration::from_json(&bytes);
    }

    #[test]
    fn reading_near_records_never_panics(
        key in "(?i)(accessToken|expiresAt|clientId|clientSecret|scopes|grantTypes|registrationExpiresAt)",
        value in prop_oneof![
            Just("null".to_owned()),
            "-?[0-9]{1,25}(\\.[0-9]+)?(e[0-9]{1,4})?",
            "\"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{0,12})?( ?(Z|UTC|[+-][0-9]{2}(:?[0-9]{2})?))?\"",
            "\\[(\"[a-z]{0,3}\"|1|null)?\\]",
            "\"\\PC{0,20}\"",
        ],
    ) {
        for json in [
            format!(r#"{{"accessToken": "a", "expiresAt": "2019-11-14T04:05:45Z", "{key}": {value}}}"#),
            format!(r#"{{"clientId": "c", "clientSecret": "s", "expiresAt": "2019-11-14T04:05:45Z", "{key}": {value}}}"#),
        ] {
            let _ = CachedToken::from_json(json.as_bytes());
            let _ = CachedRegistration::from_json(json.as_bytes());
        }
    }
}
