//! Refreshing a cached token against the emulator: the core decides, the client sends.

use std::time::{Duration, SystemTime};

use sso_oidc::{BuildError, CachedToken, CannotRefresh, ErrorCode, RefreshPolicy, Urgency};
use sso_oidc_emulator::{BlockingEmulator, Config};
use sso_oidc_ureq::{Client, Error, Refreshed};

mod support;
use support::{HANG, client, flow_config, within};

/// An emulator whose tokens live `lifetime`, and a token record from signing in to it.
fn signed_in(lifetime: Duration) -> (BlockingEmulator, Client, CachedToken) {
    let emulator = BlockingEmulator::start(
        Config::default()
            .approve_after_polls(0)
            .with_access_token_lifetime(lifetime),
    )
    .unwrap();
    let client = client(&emulator);
    let config = flow_config(emulator.url());
    let login = {
        let client = client.clone();
        within(HANG, move || client.device_login(config, |_| {}))
    }
    .unwrap();
    let cached = CachedToken::from_login(&login, "us-east-1");
    (emulator, client, cached)
}

const TWELVE_MINUTES: Duration = Duration::from_secs(12 * 60);

#[test]
fn a_token_inside_the_window_is_renewed_and_its_refresh_token_rotates() {
    let (_emulator, client, cached) = signed_in(TWELVE_MINUTES);
    let policy = RefreshPolicy::default();
    let Refreshed::Renewed(renewed) = client.refresh(&cached, &policy, None).unwrap() else {
        panic!("12 minutes left: refresh");
    };
    assert_ne!(renewed.access_token, cached.access_token);
    assert_ne!(renewed.refresh_token, cached.refresh_token);
    assert_eq!(renewed.client_id, cached.client_id);
    let left = renewed
        .expires_at
        .duration_since(SystemTime::now())
        .unwrap();
    assert!(left > TWELVE_MINUTES - Duration::from_secs(60), "{left:?}");

    // The old refresh token is spent: the service's refusal comes back typed.
    let error = client.refresh(&cached, &policy, None).unwrap_err();
    assert!(matches!(error, Error::Api { attempts: 1, .. }), "{error:?}");
    assert_eq!(error.code(), Some(&ErrorCode::InvalidGrant));
}

#[test]
fn kept_deferred_and_unrefreshable_send_nothing() {
    let (emulator, client, cached) = signed_in(TWELVE_MINUTES);
    let requests = emulator.log().len();
    let policy = RefreshPolicy::default();

    let mut long = cached.clone();
    long.expires_at = SystemTime::now() + Duration::from_secs(8 * 3600);
    assert_eq!(
        client.refresh(&long, &policy, None).unwrap(),
        Refreshed::Kept
    );

    let just_tried = Some(SystemTime::now());
    assert!(matches!(
        client.refresh(&cached, &policy, just_tried).unwrap(),
        Refreshed::NotNow {
            urgency: Urgency::Advisory,
            ..
        }
    ));

    let mut without = cached;
    without.refresh_token = None;
    assert_eq!(
        client.refresh(&without, &policy, None).unwrap(),
        Refreshed::Cannot {
            urgency: Urgency::Advisory,
            reason: CannotRefresh::Missing("refreshToken")
        }
    );
    assert_eq!(emulator.log().len(), requests);
}

#[test]
fn without_an_endpoint_or_a_region_there_is_nowhere_to_send() {
    let (_emulator, _, cached) = signed_in(TWELVE_MINUTES);
    let mut nowhere = cached;
    nowhere.region = None;
    let client = Client::builder().no_proxy_from_env().build().unwrap();
    assert!(matches!(
        client.refresh(&nowhere, &RefreshPolicy::default(), None),
        Err(Error::Api {
            error: sso_oidc::Error::Build(BuildError::MissingRegion),
            attempts: 0,
        })
    ));
}
