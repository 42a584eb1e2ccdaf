//! `RoleCredentialsFlow` driven through scripted answers on simulated time: a scenario table
//! (fresh token, refresh then store, failing refreshes, throttling, refusals, cancel, misuse),
//! exact instants, no sleeps.

mod support;

use std::collections::VecDeque;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sso_oidc::portal::{Endpoint as PortalEndpoint, ErrorCode as PortalCode, RoleCredentials};
use sso_oidc::{
    Attempts, CachedToken, CallError, CannotRefresh, Endpoint, ErrorCode, Misuse, RefreshPolicy,
    RetryPolicy, RoleCredentialsAction, RoleCredentialsConfig, RoleCredentialsConfigBuilder,
    RoleCredentialsError, RoleCredentialsFlow, Secret, TransportErrorKind,
};
use support::{Answer, WALL_START, base_instant};

/// How long each answer takes to arrive.
const LATENCY: Duration = Duration::from_millis(100);
const SEED: u64 = 7;
const MINUTE: u64 = 60;

fn wall() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(WALL_START)
}

/// A cached token with `left` seconds to go and everything a refresh needs.
fn token(left: u64) -> CachedToken {
    let mut token = CachedToken::new(
        Secret::from("LEAK-old-access"),
        wall() + Duration::from_secs(left),
    );
    token.start_url = Some("https://d-1234567890.awsapps.com/start".to_owned());
    token.region = Some("us-east-1".to_owned());
    token.client_id = Some("client-id".to_owned());
    token.client_secret = Some(Secret::from("LEAK-client-secret"));
    token.registration_expires_at = Some(wall() + Duration::from_secs(90 * 86_400));
    token.refresh_token = Some(Secret::from("LEAK-refresh-1"));
    token
}

/// An expired token: `ago` seconds past its expiry.
fn expired(ago: u64) -> CachedToken {
    let mut token = token(0);
    token.expires_at = wall() - Duration::from_secs(ago);
    token
}

fn builder() -> RoleCredentialsConfigBuilder {
    RoleCredentialsConfig::builder()
        .oidc_endpoint(Endpoint::from_url("https://oidc.example.test").unwrap())
        .portal_endpoint(PortalEndpoint::from_url("https://portal.example.test").unwrap())
        .account_id("123456789012")
        .role_name("ReadOnly")
        .jitter_seed(SEED)
}

const CREDENTIALS: &str = r#"{"roleCredentials":{"accessKeyId":"ASIAEXAMPLE","secretAccessKey":"LEAK-secret-key","sessionToken":"LEAK-session-token","expiration":1700003600000}}"#;

fn credentials() -> Answer {
    Answer::json(200, CREDENTIALS)
}

fn refreshed() -> Answer {
    Answer::json(
        200,
        r#"{"accessToken":"LEAK-new-access","tokenType":"Bearer","expiresIn":28800,"refreshToken":"LEAK-refresh-2"}"#,
    )
}

fn portal_error(status: u16, shape: &str) -> Answer {
    Answer::Response {
        status,
        headers: vec![
            ("content-type", "application/json".to_owned()),
            (
                "x-amzn-ErrorType",
                format!(
                    "{shape}:http://internal.amazon.com/coral/com.amazonaws.switchboard.portal/"
                ),
            ),
            ("x-amzn-RequestId", "req-1".to_owned()),
        ],
        body: format!(r#"{{"message":"{shape} says no"}}"#).into_bytes(),
    }
}

/// What happened, and when (as an offset from the start).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Event {
    /// A refresh (`CreateToken`), sent.
    Refresh(Duration),
    /// `GetRoleCredentials`, sent with this bearer token.
    Fetch(Duration, String),
    /// A wait until this offset.
    Wait(Duration),
    /// The refreshed token handed out, with its access token.
    Store(Duration, String),
}

#[derive(Debug)]
struct Trace {
    events: Vec<Event>,
    stored: Vec<CachedToken>,
    outcome: Result<RoleCredentials, RoleCredentialsError>,
    flow: RoleCredentialsFlow,
}

/// Runs a flow against scripted answers: `oidc` for refreshes, `portal` for
/// `GetRoleCredentials`. The clock jumps to every `WaitUntil`; a script that runs out fails the
/// test.
fn run(
    config: RoleCredentialsConfig,
    token: CachedToken,
    oidc: &[Answer],
    portal: &[Answer],
) -> Trace {
    let start = base_instant();
    let mut flow = RoleCredentialsFlow::new(config, token, start, wall());
    let mut now = start;
    let (mut oidc, mut portal): (VecDeque<_>, VecDeque<_>) = (
        oidc.iter().cloned().collect(),
        portal.iter().cloned().collect(),
    );
    let (mut events, mut stored) = (Vec::new(), Vec::new());
    let outcome = loop {
        let action = flow.poll(now);
        let debug = format!("{action:?}");
        assert!(!debug.contains("LEAK"), "{debug}");
        match action {
            RoleCredentialsAction::Send(request) => {
                let answer = match request.uri().path() {
                    "/token" => {
                        assert_eq!(request.uri(), "https://oidc.example.test/token");
                        events.push(Event::Refresh(now - start));
                        oidc.pop_front().expect("an unscripted refresh")
                    }
                    "/federation/credentials" => {
                        assert_eq!(
                            request.uri(),
                            "https://portal.example.test/federation/credentials?role_name=ReadOnly&account_id=123456789012"
                        );
                        let bearer = request.headers()["x-amz-sso_bearer_token"]
                            .to_str()
                            .unwrap()
                            .to_owned();
                        events.push(Event::Fetch(now - start, bearer));
                        portal
                            .pop_front()
                            .expect("an unscripted GetRoleCredentials")
                    }
                    other => panic!("sent to {other}"),
                };
                now += LATENCY;
                match answer.into_response() {
                    Ok(response) => flow.handle_response(response, now),
                    Err(kind) => flow.handle_transport_error(kind, now),
                }
            }
            RoleCredentialsAction::WaitUntil(until) => {
                assert!(until > now, "a wait that is over already");
                now = until;
                events.push(Event::Wait(now - start));
            }
            RoleCredentialsAction::Store(token) => {
                events.push(Event::Store(
                    now - start,
                    token.access_token.expose().clone(),
                ));
                stored.push(token);
            }
            RoleCredentialsAction::Done(credentials) => break Ok(credentials),
            RoleCredentialsAction::Failed(error) => break Err(error),
        }
    };
    assert!(oidc.is_empty() && portal.is_empty(), "answers left over");
    assert!(flow.is_finished());
    // Final: asked again, later, the flow says the same.
    match (&outcome, flow.poll(now + Duration::from_secs(3600))) {
        (Ok(credentials), RoleCredentialsAction::Done(again)) => assert_eq!(credentials, &again),
        (Err(error), RoleCredentialsAction::Failed(again)) => assert_eq!(error, &again),
        (_, again) => panic!("not final: {again:?}"),
    }
    if let Err(error) = &outcome {
        for text in [error.to_string(), format!("{error:?}")] {
            assert!(!text.contains("LEAK"), "{text}");
        }
    }
    Trace {
        events,
        stored,
        outcome,
        flow,
    }
}

fn ms(ms: u64) -> Duration {
    Duration::from_millis(ms)
}

fn old() -> String {
    "LEAK-old-access".to_owned()
}

fn new() -> String {
    "LEAK-new-access".to_owned()
}

fn error(trace: &Trace) -> &RoleCredentialsError {
    trace
        .outcome
        .as_ref()
        .expect_err("the flow should have failed")
}

#[test]
fn a_fresh_token_makes_one_get_role_credentials() {
    let trace = run(
        builder().build().unwrap(),
        token(60 * MINUTE),
        &[],
        &[credentials()],
    );
    assert_eq!(trace.events, [Event::Fetch(ms(0), old())]);
    let credentials = trace.outcome.unwrap();
    assert_eq!(credentials.access_key_id, "ASIAEXAMPLE");
    assert_eq!(credentials.secret_access_key.expose(), "LEAK-secret-key");
    assert_eq!(
        credentials.expiration,
        UNIX_EPOCH + Duration::from_secs(1_700_003_600)
    );
    assert!(trace.stored.is_empty());
    assert_eq!(trace.flow.refresh_error(), None);
}

#[test]
fn a_due_token_is_refreshed_then_stored_then_used() {
    // 12 minutes left: an advisory refresh.
    let trace = run(
        builder().build().unwrap(),
        token(12 * MINUTE),
        &[refreshed()],
        &[credentials()],
    );
    assert_eq!(
        trace.events,
        [
            Event::Refresh(ms(0)),
            Event::Store(ms(100), new()),
            Event::Fetch(ms(100), new()),
        ]
    );
    let stored = &trace.stored[0];
    // Dated from when the refresh was sent; the registration and start URL stay.
    assert_eq!(stored.expires_at, wall() + Duration::from_secs(28_800));
    assert_eq!(
        stored.refresh_token.as_ref().map(|t| t.expose().as_str()),
        Some("LEAK-refresh-2")
    );
    assert_eq!(stored.client_id.as_deref(), Some("client-id"));
    assert_eq!(stored.start_url, token(0).start_url);
    assert_eq!(trace.flow.token(), stored);
    assert!(trace.outcome.is_ok());
}

#[test]
fn the_refresh_request_is_the_refresh_token_grant() {
    let start = base_instant();
    let mut flow =
        RoleCredentialsFlow::new(builder().build().unwrap(), token(5 * MINUTE), start, wall());
    let RoleCredentialsAction::Send(request) = flow.poll(start) else {
        panic!("a refresh first")
    };
    let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
    assert_eq!(body["grantType"], "refresh_token");
    assert_eq!(body["refreshToken"], "LEAK-refresh-1");
    assert_eq!(body["clientId"], "client-id");
}

#[test]
fn a_refresh_retried_dates_the_token_from_its_last_attempt() {
    let trace = run(
        builder().build().unwrap(),
        token(5 * MINUTE),
        &[Answer::internal(), refreshed()],
        &[credentials()],
    );
    let [
        Event::Refresh(first),
        Event::Wait(retry),
        Event::Refresh(second),
        Event::Store(..),
        Event::Fetch(_, bearer),
    ] = &trace.events[..]
    else {
        panic!("{:?}", trace.events)
    };
    assert_eq!(*first, ms(0));
    assert_eq!(retry, second);
    assert!(*second > ms(100) && *second <= ms(1100), "{second:?}");
    assert_eq!(bearer, &new());
    assert_eq!(
        trace.stored[0].expires_at,
        wall() + *second + Duration::from_secs(28_800)
    );
}

#[test]
fn a_failed_advisory_refresh_goes_on_with_the_old_token() {
    let refused = Answer::service_error(400, "InvalidGrantException", "invalid_grant");
    let trace = run(
        builder().build().unwrap(),
        token(12 * MINUTE),
        &[refused],
        &[credentials()],
    );
    assert_eq!(
        trace.events,
        [Event::Refresh(ms(0)), Event::Fetch(ms(100), old())]
    );
    assert!(trace.stored.is_empty());
    assert!(trace.outcome.is_ok());
    let refresh_error = trace
        .flow
        .refresh_error()
        .expect("the refresh error, to warn about");
    assert_eq!(refresh_error.code(), Some(&ErrorCode::InvalidGrant));
}

#[test]
fn a_token_that_cannot_be_refreshed_is_used_as_it_is_while_it_lasts() {
    for left in [12 * MINUTE, 5 * MINUTE] {
        let mut token = token(left);
        token.refresh_token = None;
        let trace = run(builder().build().unwrap(), token, &[], &[credentials()]);
        assert_eq!(trace.events, [Event::Fetch(ms(0), old())], "{left:?} left");
        assert!(trace.outcome.is_ok());
    }
}

#[test]
fn a_failed_mandatory_refresh_goes_on_with_the_old_token_while_it_lasts() {
    // As botocore's token provider and `token` do: 5 minutes left is still 5 minutes.
    let refused = Answer::service_error(400, "InvalidGrantException", "invalid_grant");
    let trace = run(
        builder().build().unwrap(),
        token(5 * MINUTE),
        &[refused],
        &[credentials()],
    );
    assert_eq!(
        trace.events,
        [Event::Refresh(ms(0)), Event::Fetch(ms(100), old())]
    );
    assert!(trace.stored.is_empty());
    assert!(trace.outcome.is_ok());
    let refresh_error = trace.flow.refresh_error().expect("the refresh error");
    assert_eq!(refresh_error.code(), Some(&ErrorCode::InvalidGrant));
}

#[test]
fn a_failed_refresh_of_an_expired_token_fails_and_asks_for_a_sign_in() {
    let refused = Answer::service_error(400, "InvalidGrantException", "invalid_grant");
    let trace = run(builder().build().unwrap(), expired(60), &[refused], &[]);
    assert_eq!(trace.events, [Event::Refresh(ms(0))]);
    let error = error(&trace);
    assert!(
        matches!(
            error,
            RoleCredentialsError::RefreshFailed(CallError::Api { attempts: 1, .. })
        ),
        "{error:?}"
    );
    assert_eq!(
        error.service_error().map(|e| e.code()),
        Some(&ErrorCode::InvalidGrant)
    );
    assert!(error.needs_sign_in());
    assert!(error.to_string().ends_with("; sign in again"), "{error}");
    assert!(trace.stored.is_empty());
}

#[test]
fn a_mandatory_refresh_without_network_fails_without_asking_for_a_sign_in() {
    let timeout = Answer::Transport(TransportErrorKind::Connect);
    let trace = run(
        builder().build().unwrap(),
        expired(60),
        &[timeout.clone(), timeout.clone(), timeout],
        &[],
    );
    let error = error(&trace);
    assert!(
        matches!(
            error,
            RoleCredentialsError::RefreshFailed(CallError::Transport {
                kind: TransportErrorKind::Connect,
                attempts: 3
            })
        ),
        "{error:?}"
    );
    assert!(!error.needs_sign_in());
    assert!(!error.to_string().contains("sign in"), "{error}");
}

#[test]
fn an_expired_token_that_cannot_be_refreshed_fails_at_once() {
    for (token, reason) in [
        (
            {
                let mut t = expired(1);
                t.refresh_token = None;
                t
            },
            CannotRefresh::Missing("refreshToken"),
        ),
        (
            {
                let mut t = expired(1);
                t.registration_expires_at = Some(wall());
                t
            },
            CannotRefresh::RegistrationExpired,
        ),
    ] {
        let trace = run(builder().build().unwrap(), token, &[], &[]);
        assert!(trace.events.is_empty(), "{:?}", trace.events);
        let error = error(&trace);
        assert_eq!(error, &RoleCredentialsError::CannotRefresh { reason });
        assert!(error.needs_sign_in());
    }
    let mut expired = expired(1);
    expired.client_secret = None;
    let error = run(builder().build().unwrap(), expired, &[], &[])
        .outcome
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "the cached token has expired and cannot be refreshed (it has no `clientSecret`); sign in again"
    );
}

#[test]
fn an_expired_token_whose_refresh_was_just_tried_fails_without_sending() {
    let config = builder()
        .last_refresh_attempt(wall() - Duration::from_secs(30))
        .build()
        .unwrap();
    let trace = run(config, expired(10), &[], &[]);
    assert!(trace.events.is_empty());
    assert_eq!(error(&trace), &RoleCredentialsError::Expired);
    // Not expired yet: used as it is until the next attempt is due.
    let config = builder()
        .last_refresh_attempt(wall() - Duration::from_secs(30))
        .build()
        .unwrap();
    let trace = run(config, token(5 * MINUTE), &[], &[credentials()]);
    assert_eq!(trace.events, [Event::Fetch(ms(0), old())]);
}

#[test]
fn throttling_is_retried_after_the_policys_backoff() {
    let throttled = portal_error(429, "TooManyRequestsException");
    let trace = run(
        builder().build().unwrap(),
        token(60 * MINUTE),
        &[],
        &[throttled.clone(), credentials()],
    );
    // The instant an independent `Attempts` with the same policy and seed gives.
    let throttled_error =
        sso_oidc::portal::GetRoleCredentials::parse(throttled.into_response().unwrap())
            .unwrap_err();
    let backoff = Attempts::new(RetryPolicy::standard(), SEED)
        .retry_after_error(&throttled_error)
        .expect("a 429 is retried");
    let again = ms(100) + backoff;
    assert_eq!(
        trace.events,
        [
            Event::Fetch(ms(0), old()),
            Event::Wait(again),
            Event::Fetch(again, old())
        ]
    );
    assert!(trace.outcome.is_ok());
}

#[test]
fn throttling_until_the_retries_run_out_fails_with_the_portals_error() {
    let throttled = portal_error(429, "TooManyRequestsException");
    let config = builder()
        .retry_policy(RetryPolicy::standard().with_max_attempts(2))
        .build()
        .unwrap();
    let trace = run(
        config,
        token(60 * MINUTE),
        &[],
        &[throttled.clone(), throttled],
    );
    let error = error(&trace);
    assert!(
        matches!(
            error,
            RoleCredentialsError::GetRoleCredentials(CallError::Api { attempts: 2, .. })
        ),
        "{error:?}"
    );
    assert_eq!(
        error.service_error().and_then(|e| e.portal_code()),
        Some(PortalCode::TooManyRequests)
    );
    assert!(!error.needs_sign_in());
}

#[test]
fn an_unauthorized_token_is_refused_and_asks_for_a_sign_in() {
    let trace = run(
        builder().build().unwrap(),
        token(60 * MINUTE),
        &[],
        &[portal_error(401, "UnauthorizedException")],
    );
    assert_eq!(trace.events, [Event::Fetch(ms(0), old())]);
    let error = error(&trace);
    let RoleCredentialsError::TokenRefused(refusal) = error else {
        panic!("{error:?}")
    };
    assert_eq!(refusal.portal_code(), Some(PortalCode::Unauthorized));
    assert!(error.needs_sign_in());
    assert!(
        error
            .to_string()
            .starts_with("the portal refused the access token (")
    );
    assert!(error.to_string().ends_with("; sign in again"), "{error}");
}

#[test]
fn a_role_the_user_may_not_use_is_not_a_sign_in_problem() {
    for answer in [
        portal_error(403, "ForbiddenException"),
        portal_error(404, "ResourceNotFoundException"),
    ] {
        let trace = run(
            builder().build().unwrap(),
            token(60 * MINUTE),
            &[],
            &[answer],
        );
        let error = error(&trace);
        assert!(
            matches!(
                error,
                RoleCredentialsError::GetRoleCredentials(CallError::Api { attempts: 1, .. })
            ),
            "{error:?}"
        );
        assert!(!error.needs_sign_in());
    }
}

#[test]
fn get_role_credentials_is_never_sent_once_the_token_has_expired() {
    // 90 s left, kept as it is (no refresh windows); the retry waits 120 s.
    let config = builder()
        .refresh_policy(RefreshPolicy::botocore().with_windows(Duration::ZERO, Duration::ZERO))
        .retry_policy(
            RetryPolicy::standard()
                .with_backoff(Duration::from_secs(120), Duration::from_secs(120)),
        )
        .jitter_seed(u64::MAX)
        .build()
        .unwrap();
    let start = base_instant();
    let mut flow = RoleCredentialsFlow::new(config, token(90), start, wall());
    assert!(matches!(flow.poll(start), RoleCredentialsAction::Send(_)));
    flow.handle_response(Answer::internal().into_response().unwrap(), start + LATENCY);
    let RoleCredentialsAction::WaitUntil(until) = flow.poll(start + LATENCY) else {
        panic!("a retry")
    };
    if until - start >= Duration::from_secs(90) {
        let action = flow.poll(until);
        assert!(
            matches!(
                action,
                RoleCredentialsAction::Failed(RoleCredentialsError::Expired)
            ),
            "{action:?}"
        );
    } else {
        // The jitter drew a short wait: poll past the expiry instead.
        let action = flow.poll(start + Duration::from_secs(90));
        assert!(
            matches!(
                action,
                RoleCredentialsAction::Failed(RoleCredentialsError::Expired)
            ),
            "{action:?}"
        );
    }
}

#[test]
fn cancel_ends_the_flow_wherever_it_is() {
    let start = base_instant();
    // While waiting to retry.
    let mut flow = RoleCredentialsFlow::new(
        builder().build().unwrap(),
        token(60 * MINUTE),
        start,
        wall(),
    );
    assert!(matches!(flow.poll(start), RoleCredentialsAction::Send(_)));
    flow.handle_response(Answer::internal().into_response().unwrap(), start);
    assert!(matches!(
        flow.poll(start),
        RoleCredentialsAction::WaitUntil(_)
    ));
    flow.cancel();
    assert!(matches!(
        flow.poll(start),
        RoleCredentialsAction::Failed(RoleCredentialsError::Cancelled)
    ));
    // An answer still owed is ignored.
    flow.handle_response(credentials().into_response().unwrap(), start);
    assert!(matches!(
        flow.poll(start),
        RoleCredentialsAction::Failed(RoleCredentialsError::Cancelled)
    ));

    // After the refreshed token was handed out: it is the driver's to store still.
    let mut flow =
        RoleCredentialsFlow::new(builder().build().unwrap(), token(5 * MINUTE), start, wall());
    assert!(matches!(flow.poll(start), RoleCredentialsAction::Send(_)));
    flow.handle_response(refreshed().into_response().unwrap(), start);
    assert!(matches!(flow.poll(start), RoleCredentialsAction::Store(_)));
    flow.cancel();
    assert!(matches!(
        flow.poll(start),
        RoleCredentialsAction::Failed(RoleCredentialsError::Cancelled)
    ));
    assert_eq!(flow.token().access_token.expose(), "LEAK-new-access");

    // A finished flow stays as it ended.
    let trace = run(
        builder().build().unwrap(),
        token(60 * MINUTE),
        &[],
        &[credentials()],
    );
    let mut flow = trace.flow;
    flow.cancel();
    assert!(matches!(flow.poll(start), RoleCredentialsAction::Done(_)));
}

#[test]
fn a_broken_contract_fails_the_flow_with_misuse() {
    let start = base_instant();
    let config = || builder().build().unwrap();
    let misuse = |flow: &mut RoleCredentialsFlow| match flow.poll(start) {
        RoleCredentialsAction::Failed(RoleCredentialsError::Misuse(misuse)) => misuse,
        other => panic!("{other:?}"),
    };

    // Polling twice while an answer is owed: in the refresh, and in GetRoleCredentials.
    for left in [5 * MINUTE, 60 * MINUTE] {
        let mut flow = RoleCredentialsFlow::new(config(), token(left), start, wall());
        assert!(matches!(flow.poll(start), RoleCredentialsAction::Send(_)));
        assert_eq!(misuse(&mut flow), Misuse::PollWhileAwaitingResponse);
        assert!(flow.is_finished());
    }

    // An answer nobody asked for: before anything was sent, and twice to one request.
    let mut flow = RoleCredentialsFlow::new(config(), token(60 * MINUTE), start, wall());
    flow.handle_response(credentials().into_response().unwrap(), start);
    assert_eq!(misuse(&mut flow), Misuse::UnexpectedResponse);
    let mut flow = RoleCredentialsFlow::new(config(), token(5 * MINUTE), start, wall());
    assert!(matches!(flow.poll(start), RoleCredentialsAction::Send(_)));
    flow.handle_response(Answer::internal().into_response().unwrap(), start);
    flow.handle_transport_error(TransportErrorKind::Timeout, start);
    assert_eq!(misuse(&mut flow), Misuse::UnexpectedTransportError);

    // An answer while the refreshed token is being stored.
    let mut flow = RoleCredentialsFlow::new(config(), token(5 * MINUTE), start, wall());
    assert!(matches!(flow.poll(start), RoleCredentialsAction::Send(_)));
    flow.handle_response(refreshed().into_response().unwrap(), start);
    assert!(matches!(flow.poll(start), RoleCredentialsAction::Store(_)));
    flow.handle_response(credentials().into_response().unwrap(), start);
    assert!(flow.is_finished());
    assert_eq!(misuse(&mut flow), Misuse::UnexpectedResponse);
    let mut flow = RoleCredentialsFlow::new(config(), token(5 * MINUTE), start, wall());
    assert!(matches!(flow.poll(start), RoleCredentialsAction::Send(_)));
    flow.handle_response(refreshed().into_response().unwrap(), start);
    assert!(matches!(flow.poll(start), RoleCredentialsAction::Store(_)));
    flow.handle_transport_error(TransportErrorKind::Io, start);
    assert_eq!(misuse(&mut flow), Misuse::UnexpectedTransportError);
}

#[test]
fn time_only_moves_forward() {
    // A clock that goes back asks for the same retry instant, never an earlier one.
    let start = base_instant() + Duration::from_secs(10);
    let mut flow = RoleCredentialsFlow::new(
        builder().build().unwrap(),
        token(60 * MINUTE),
        start,
        wall(),
    );
    assert!(matches!(flow.poll(start), RoleCredentialsAction::Send(_)));
    flow.handle_response(Answer::internal().into_response().unwrap(), start + LATENCY);
    let RoleCredentialsAction::WaitUntil(until) = flow.poll(start - Duration::from_secs(5)) else {
        panic!("a retry")
    };
    assert!(until > start + LATENCY);
    let RoleCredentialsAction::WaitUntil(same) = flow.poll(start) else {
        panic!("still waiting")
    };
    assert_eq!(same, until);
}

#[test]
fn nothing_secret_in_debug_of_the_flow_or_its_errors() {
    let start = base_instant();
    let mut flow =
        RoleCredentialsFlow::new(builder().build().unwrap(), token(5 * MINUTE), start, wall());
    let action = flow.poll(start);
    for text in [format!("{flow:?}"), format!("{action:?}")] {
        assert!(!text.contains("LEAK"), "{text}");
    }
    let errors = [
        RoleCredentialsError::Expired,
        RoleCredentialsError::CannotRefresh {
            reason: CannotRefresh::Missing("refreshToken"),
        },
        RoleCredentialsError::Cancelled,
        RoleCredentialsError::Misuse(Misuse::UnexpectedResponse),
    ];
    for error in errors {
        let text = error.to_string();
        assert!(
            text.chars().next().is_some_and(char::is_lowercase),
            "{text}"
        );
        assert!(!text.ends_with('.'), "{text}");
    }
}
