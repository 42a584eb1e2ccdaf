//! The refresh decision (botocore's windows) and the record it produces.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sso_oidc::{
    CachedToken, CannotRefresh, CreateToken, Endpoint, GrantType, RefreshDecision, RefreshPolicy,
    Secret, Urgency,
};

fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

fn minutes(m: u64) -> Duration {
    Duration::from_secs(m * 60)
}

/// A refreshable token with `left` until it expires.
fn cached(left: Duration) -> CachedToken {
    let mut token = CachedToken::new(Secret::from("old-access"), now() + left);
    token.start_url = Some("https://d-1234567890.awsapps.com/start".into());
    token.region = Some("us-east-1".into());
    token.client_id = Some("client-id".into());
    token.client_secret = Some(Secret::from("client-secret"));
    token.registration_expires_at = Some(now() + Duration::from_secs(30 * 86_400));
    token.refresh_token = Some(Secret::from("old-refresh"));
    token
}

fn urgency(decision: &RefreshDecision) -> Option<Urgency> {
    match decision {
        RefreshDecision::Keep => None,
        RefreshDecision::Refresh { urgency, .. }
        | RefreshDecision::Deferred { urgency, .. }
        | RefreshDecision::Unrefreshable { urgency, .. } => Some(*urgency),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn windows_are_botocores() {
    let policy = RefreshPolicy::default();
    let expect = [
        (minutes(60), None),
        // botocore compares with `<`: exactly 15 minutes left is not yet in the window.
        (minutes(15), None),
        (
            minutes(15) - Duration::from_secs(1),
            Some(Urgency::Advisory),
        ),
        (minutes(10), Some(Urgency::Advisory)),
        (
            minutes(10) - Duration::from_secs(1),
            Some(Urgency::Mandatory),
        ),
        (minutes(1), Some(Urgency::Mandatory)),
        (Duration::ZERO, Some(Urgency::Mandatory)),
    ];
    for (left, want) in expect {
        let decision = policy.decide(&cached(left), now(), None);
        assert_eq!(urgency(&decision), want, "{left:?} left");
        if want.is_some() {
            assert!(matches!(decision, RefreshDecision::Refresh { .. }));
        }
    }
    // Already expired: still a refresh, which a valid refresh token can do.
    let mut expired = cached(Duration::ZERO);
    expired.expires_at = now() - minutes(30);
    assert!(expired.is_expired(now()));
    assert!(matches!(
        policy.decide(&expired, now(), None),
        RefreshDecision::Refresh {
            urgency: Urgency::Mandatory,
            ..
        }
    ));
}

#[test]
fn the_request_is_a_refresh_token_grant() {
    let RefreshDecision::Refresh { request, .. } =
        RefreshPolicy::default().decide(&cached(minutes(5)), now(), None)
    else {
        panic!("expected a refresh")
    };
    let expected = CreateToken::builder()
        .client_id("client-id")
        .client_secret("client-secret")
        .grant_type(GrantType::RefreshToken)
        .refresh_token("old-refresh")
        .build()
        .unwrap();
    assert_eq!(request, expected);
    let http = request.to_http(&Endpoint::from_region("us-east-1").unwrap());
    assert_eq!(
        http.body(),
        br#"{"clientId":"client-id","clientSecret":"client-secret","grantType":"refresh_token","refreshToken":"old-refresh"}"#
    );
}

#[test]
fn attempts_are_at_least_a_minute_apart() {
    let policy = RefreshPolicy::default();
    let token = cached(minutes(5));
    let last = now() - Duration::from_secs(59);
    assert_eq!(
        policy.decide(&token, now(), Some(last)),
        RefreshDecision::Deferred {
            urgency: Urgency::Mandatory,
            next_attempt: last + Duration::from_secs(60),
        }
    );
    let last = now() - Duration::from_secs(60);
    assert!(matches!(
        policy.decide(&token, now(), Some(last)),
        RefreshDecision::Refresh { .. }
    ));
    // A fresh token is kept whatever the last attempt.
    assert_eq!(
        policy.decide(&cached(minutes(60)), now(), Some(now())),
        RefreshDecision::Keep
    );
}

#[test]
fn only_while_the_registration_is_valid_and_complete() {
    let policy = RefreshPolicy::default();
    let mut token = cached(minutes(12));
    token.registration_expires_at = Some(now());
    assert_eq!(
        policy.decide(&token, now(), None),
        RefreshDecision::Unrefreshable {
            urgency: Urgency::Advisory,
            reason: CannotRefresh::RegistrationExpired,
        }
    );
    type Strip = fn(&mut CachedToken);
    let strips: [(Strip, &str); 4] = [
        (|t| t.refresh_token = None, "refreshToken"),
        (|t| t.client_id = None, "clientId"),
        (|t| t.client_secret = None, "clientSecret"),
        (
            |t| t.registration_expires_at = None,
            "registrationExpiresAt",
        ),
    ];
    for (strip, member) in strips {
        let mut token = cached(minutes(2));
        strip(&mut token);
        assert_eq!(
            policy.decide(&token, now(), None),
            RefreshDecision::Unrefreshable {
                urgency: Urgency::Mandatory,
                reason: CannotRefresh::Missing(member),
            }
        );
    }
    // The same verdict, asked at any time: a token with hours left included.
    assert_eq!(cached(minutes(600)).refreshable(now()), Ok(()));
    for (strip, member) in strips {
        let mut token = cached(minutes(600));
        strip(&mut token);
        assert_eq!(
            token.refreshable(now()),
            Err(CannotRefresh::Missing(member))
        );
    }
    let mut expired = cached(minutes(600));
    expired.registration_expires_at = Some(now());
    assert_eq!(
        expired.refreshable(now()),
        Err(CannotRefresh::RegistrationExpired)
    );
    assert_eq!(
        expired.refreshable(now() - Duration::from_secs(1)),
        Ok(()),
        "a registration is good until the instant it expires"
    );
    let mut blank = cached(minutes(2));
    blank.client_id = Some(" ".into());
    assert!(matches!(
        policy.decide(&blank, now(), None),
        RefreshDecision::Unrefreshable {
            reason: CannotRefresh::Missing("clientId"),
            ..
        }
    ));
    assert_eq!(
        CannotRefresh::Missing("refreshToken").to_string(),
        "the cached token has no `refreshToken`; sign in again"
    );
}

#[test]
fn the_refreshed_record_keeps_the_old_refresh_token_when_none_comes_back() {
    let old = cached(minutes(5));
    let later = now() + Duration::from_secs(7);
    let answer = |body: &str| CreateToken::parse(http::Response::new(body.to_owned())).unwrap();

    let without = old.refreshed(&answer(r#"{"accessToken":"new","expiresIn":28800}"#), later);
    assert_eq!(without.access_token.expose(), "new");
    assert_eq!(without.expires_at, later + Duration::from_secs(28_800));
    assert_eq!(without.refresh_token, old.refresh_token);

    let rotated = old.refreshed(
        &answer(r#"{"accessToken":"new","expiresIn":28800,"refreshToken":"rotated"}"#),
        later,
    );
    assert_eq!(rotated.refresh_token, Some(Secret::from("rotated")));
    // Everything else is as it was.
    let mut expected = old.clone();
    expected.access_token = Secret::from("new");
    expected.expires_at = later + Duration::from_secs(28_800);
    expected.refresh_token = Some(Secret::from("rotated"));
    assert_eq!(rotated, expected);
    // And it survives the file format.
    assert_eq!(CachedToken::from_json(&rotated.to_json()).unwrap(), rotated);
}

#[test]
fn custom_windows() {
    let policy = RefreshPolicy::default()
        .with_windows(minutes(30), minutes(5))
        .with_attempt_interval(Duration::ZERO);
    assert_eq!(
        urgency(&policy.decide(&cached(minutes(20)), now(), None)),
        Some(Urgency::Advisory)
    );
    assert_eq!(
        urgency(&policy.decide(&cached(minutes(6)), now(), None)),
        Some(Urgency::Advisory)
    );
    assert!(matches!(
        policy.decide(&cached(minutes(6)), now(), Some(now())),
        RefreshDecision::Refresh { .. }
    ));
    // A mandatory window wider than the advisory one widens the advisory one.
    let odd = RefreshPolicy::default().with_windows(minutes(1), minutes(20));
    assert_eq!(
        urgency(&odd.decide(&cached(minutes(19)), now(), None)),
        Some(Urgency::Mandatory)
    );
}

#[test]
fn decisions_and_records_show_no_secret() {
    let token = cached(minutes(5));
    let decision = RefreshPolicy::default().decide(&token, now(), None);
    let shown = format!("{decision:?} {token:?}");
    assert!(shown.contains("Refresh"), "{shown}");
    for secret in ["old-access", "old-refresh", "client-secret"] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
}

#[test]
fn the_refresh_step_sends_to_the_endpoint_or_the_records_region_and_reads_the_answer() {
    use sso_oidc::{BuildError, Error, RefreshStep, Refreshed};
    let policy = RefreshPolicy::default();

    let kept = policy
        .step(&cached(minutes(60)), None, now(), None)
        .unwrap();
    assert!(
        matches!(kept, RefreshStep::Done(Refreshed::Kept)),
        "{kept:?}"
    );
    let deferred = policy
        .step(&cached(minutes(5)), None, now(), Some(now()))
        .unwrap();
    assert!(
        matches!(
            deferred,
            RefreshStep::Done(Refreshed::NotNow {
                urgency: Urgency::Mandatory,
                ..
            })
        ),
        "{deferred:?}"
    );

    // No endpoint: the record's region names one.
    let RefreshStep::Send(request, _) =
        policy.step(&cached(minutes(5)), None, now(), None).unwrap()
    else {
        panic!("a refresh is due")
    };
    assert_eq!(request.uri(), "https://oidc.us-east-1.amazonaws.com/token");
    let mut regionless = cached(minutes(5));
    regionless.region = None;
    let error = policy.step(&regionless, None, now(), None).unwrap_err();
    assert!(
        matches!(error, Error::Build(BuildError::MissingRegion)),
        "{error:?}"
    );

    // The given endpoint wins, and the answer becomes the renewed record, dated from `now`.
    let endpoint = Endpoint::from_url("http://127.0.0.1:9").unwrap();
    let RefreshStep::Send(request, pending) = policy
        .step(&regionless, Some(&endpoint), now(), None)
        .unwrap()
    else {
        panic!("a refresh is due")
    };
    assert_eq!(request.uri(), "http://127.0.0.1:9/token");
    assert!(
        !format!("{pending:?}").contains("old-refresh"),
        "{pending:?}"
    );
    let answer = http::Response::new(
        br#"{"accessToken":"new-access","expiresIn":3600,"tokenType":"Bearer"}"#.to_vec(),
    );
    let Refreshed::Renewed(renewed) = pending.finish(answer).unwrap() else {
        panic!("renewed")
    };
    assert_eq!(renewed.access_token.expose(), "new-access");
    assert_eq!(renewed.expires_at, now() + minutes(60));
    assert_eq!(renewed.refresh_token.unwrap().expose(), "old-refresh");
}
