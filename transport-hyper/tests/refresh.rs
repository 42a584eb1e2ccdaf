//! `Client::refresh` against the emulator: the core decides, the client sends.

use std::time::{Duration, SystemTime};

use sso_oidc::{CachedToken, CannotRefresh, ErrorCode, Operation, RefreshPolicy, Urgency};
use sso_oidc_emulator::{Config, Emulator};
use sso_oidc_hyper::{Error, Refreshed};

mod support;
use support::{client, flow};

/// Refreshes any token with less than 9 hours left: every fresh 8-hour token, advisory.
fn eager() -> RefreshPolicy {
    RefreshPolicy::botocore().with_windows(Duration::from_secs(9 * 3600), Duration::from_secs(600))
}

#[tokio::test]
async fn refresh_follows_the_core_decision() {
    let emulator = Emulator::start(Config::default().approve_after_polls(0))
        .await
        .unwrap();
    let client = client(emulator.url());
    let login = client
        .device_login(flow(emulator.url()), |_| {})
        .await
        .unwrap();
    let cached = CachedToken::from_login(&login, "us-east-1");

    // Eight hours left: nothing to do, nothing sent.
    let sent = emulator.log().len();
    let kept = client
        .refresh(&cached, &RefreshPolicy::default(), None)
        .await;
    assert_eq!(kept.unwrap(), Refreshed::Kept);

    // Tried a moment ago: not now.
    let now = SystemTime::now();
    let Refreshed::NotNow {
        urgency,
        next_attempt,
    } = client.refresh(&cached, &eager(), Some(now)).await.unwrap()
    else {
        panic!("deferred");
    };
    assert_eq!(urgency, Urgency::Advisory);
    assert!(next_attempt > now);
    assert_eq!(emulator.log().len(), sent);

    // Renewed: a new access token and a rotated refresh token, the rest as it was.
    let Refreshed::Renewed(renewed) = client.refresh(&cached, &eager(), None).await.unwrap() else {
        panic!("renewed");
    };
    assert_ne!(renewed.access_token, cached.access_token);
    assert_ne!(renewed.refresh_token, cached.refresh_token);
    assert_eq!(renewed.client_id, cached.client_id);
    assert_eq!(renewed.start_url, cached.start_url);
    let left = renewed
        .expires_at
        .duration_since(SystemTime::now())
        .unwrap();
    assert!(left > Duration::from_secs(7 * 3600), "{left:?}");
    let log = emulator.log();
    assert_eq!(log.len(), sent + 1);
    assert_eq!(log[sent].operation, Some(Operation::CreateToken));

    // The old refresh token was single-use: refreshing with it again is the service's error.
    let error = client.refresh(&cached, &eager(), None).await.unwrap_err();
    assert!(matches!(error, Error::Api { attempts: 1, .. }), "{error:?}");
    assert_eq!(error.code(), Some(&ErrorCode::InvalidGrant));

    // Without an endpoint, the client uses the record's region; without either, the core's
    // error says so.
    let nowhere = sso_oidc_hyper::Client::builder()
        .no_proxy_from_env()
        .build()
        .unwrap();
    let mut regionless = cached.clone();
    regionless.region = None;
    let error = nowhere
        .refresh(&regionless, &eager(), None)
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Api {
                error: sso_oidc::Error::Build(sso_oidc::BuildError::MissingRegion),
                attempts: 0,
            }
        ),
        "{error:?}"
    );

    // Without a refresh token there is nothing to send.
    let mut bare = cached.clone();
    bare.refresh_token = None;
    assert_eq!(
        client.refresh(&bare, &eager(), None).await.unwrap(),
        Refreshed::Cannot {
            urgency: Urgency::Advisory,
            reason: CannotRefresh::Missing("refreshToken")
        }
    );
}
