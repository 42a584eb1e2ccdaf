//! Scenarios for `AuthCodeFlow` on simulated time: each jumps to the instant the flow names,
//! and the browser comes back 10 s after every `AwaitRedirect`.

mod support;

use std::collections::VecDeque;
use std::time::Duration;

use sso_oidc::{
    AUTH_CODE_RANDOM_BYTES, AuthCodeAction, AuthCodeFlow, AuthCodeFlowConfig, CachedRegistration,
    ClientRegistration, DEFAULT_REDIRECT_TIMEOUT, FlowError, GrantType, Login, Misuse, Operation,
    RedirectError, RedirectOutcome, TransportErrorKind,
};
use support::{
    Answer, WALL_START, base_instant, cached_registration, endpoint, operation_of, wall_start,
};

const REDIRECT_URI: &str = "http://127.0.0.1:4321/oauth/callback";
const RANDOM: [u8; AUTH_CODE_RANDOM_BYTES] = [0x5a; AUTH_CODE_RANDOM_BYTES];

/// What the browser does at each `AwaitRedirect`.
#[derive(Clone, Copy, Debug)]
enum Browser {
    Approve,
    Deny,
    WrongState,
    NoState,
    /// Nothing comes back: time runs to the deadline.
    Silent,
}

#[derive(Debug)]
struct Trace {
    sends: Vec<(Operation, Duration, String)>,
    urls: Vec<String>,
    redirects: Vec<RedirectOutcome>,
    end: Result<Login, FlowError>,
    elapsed: Duration,
}

fn config(registration: Option<ClientRegistration>) -> AuthCodeFlowConfig {
    AuthCodeFlowConfig::builder()
        .endpoint(endpoint())
        .start_url("https://d-1234567890.awsapps.com/start")
        .client_name("botocore-client-dev")
        .registration(registration)
        .jitter_seed(3)
        .build()
        .unwrap()
}

fn state_of(url: &str) -> &str {
    url.split("&state=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
}

fn run(config: AuthCodeFlowConfig, answers: Vec<Answer>, browser: Vec<Browser>) -> Trace {
    let start = base_instant();
    let mut flow = AuthCodeFlow::new(config, REDIRECT_URI, &RANDOM, start, wall_start());
    let mut answers = VecDeque::from(answers);
    let mut browser = VecDeque::from(browser);
    let mut trace = Trace {
        sends: Vec::new(),
        urls: Vec::new(),
        redirects: Vec::new(),
        end: Err(FlowError::Cancelled),
        elapsed: Duration::ZERO,
    };
    let mut now = start;
    for _ in 0..100 {
        match flow.poll(now) {
            AuthCodeAction::Send(request) => {
                let body = String::from_utf8(request.body().clone()).unwrap();
                trace
                    .sends
                    .push((operation_of(&request), now - start, body));
                match answers.pop_front().expect("an answer").into_response() {
                    Ok(response) => flow.handle_response(response, now),
                    Err(kind) => flow.handle_transport_error(kind, now),
                }
            }
            AuthCodeAction::Authorize(authorize) => {
                assert_eq!(authorize.deadline, now + DEFAULT_REDIRECT_TIMEOUT);
                trace.urls.push(authorize.url);
            }
            AuthCodeAction::AwaitRedirect(deadline) => {
                let state = state_of(trace.urls.last().unwrap()).to_owned();
                let target = match browser.pop_front().unwrap_or(Browser::Silent) {
                    Browser::Approve => format!("/oauth/callback?code=LEAK-code&state={state}"),
                    Browser::Deny => format!(
                        "/oauth/callback?error=access_denied&error_description=User+denied&state={state}"
                    ),
                    Browser::WrongState => "/oauth/callback?code=LEAK-code&state=forged".to_owned(),
                    Browser::NoState => "/oauth/callback?code=LEAK-code".to_owned(),
                    Browser::Silent => {
                        now = deadline;
                        continue;
                    }
                };
                now += Duration::from_secs(10);
                trace.redirects.push(flow.handle_redirect(&target, now));
            }
            AuthCodeAction::WaitUntil(t) => {
                assert!(t > now, "waits forward");
                now = t;
            }
            AuthCodeAction::Done(login) => {
                trace.end = Ok(login);
                break;
            }
            AuthCodeAction::Failed(error) => {
                trace.end = Err(error);
                break;
            }
        }
    }
    assert!(answers.is_empty(), "unused answers: {answers:?}");
    trace.elapsed = now - start;
    trace
}

fn ops(trace: &Trace) -> Vec<Operation> {
    trace.sends.iter().map(|(op, ..)| *op).collect()
}

fn expiring() -> u64 {
    WALL_START + 90 * 24 * 3600
}

/// A registration cached for the authorization-code grant.
fn cached_for_auth_code(seconds: u64) -> ClientRegistration {
    let mut record = CachedRegistration::from_registration(&cached_registration(seconds), None);
    record.grant_types = Some(vec!["authorization_code".into(), "refresh_token".into()]);
    record.to_registration()
}

#[test]
fn approve() {
    let trace = run(
        config(None),
        vec![Answer::registered(expiring()), Answer::token()],
        vec![Browser::Approve],
    );
    assert_eq!(
        ops(&trace),
        [Operation::RegisterClient, Operation::CreateToken]
    );
    let register = &trace.sends[0].2;
    assert!(register.contains(r#""grantTypes":["authorization_code","refresh_token"]"#));
    assert!(register.contains(r#""redirectUris":["http://127.0.0.1/oauth/callback"]"#));
    assert!(register.contains(r#""issuerUrl":"https://d-1234567890.awsapps.com/start""#));
    let (_, at, create) = &trace.sends[1];
    assert_eq!(
        *at,
        Duration::from_secs(10),
        "the code is exchanged at once"
    );
    for member in [
        r#""grantType":"authorization_code""#,
        r#""code":"LEAK-code""#,
        r#""redirectUri":"http://127.0.0.1:4321/oauth/callback""#,
        r#""clientId":"client-id-1""#,
        r#""clientSecret":"LEAK-client-secret""#,
    ] {
        assert!(create.contains(member), "{member} in {create}");
    }
    // The verifier sent is the one whose challenge went to /authorize.
    let verifier = create
        .split(r#""codeVerifier":""#)
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert_eq!(verifier.len(), 64);
    let url = &trace.urls[0];
    assert!(url.starts_with(
        "https://oidc.example.test/authorize?response_type=code&client_id=client-id-1\
         &redirect_uri=http%3A%2F%2F127.0.0.1%3A4321%2Foauth%2Fcallback&state="
    ));
    assert!(
        url.contains("&code_challenge_method=S256&scopes=sso%3Aaccount%3Aaccess&code_challenge=")
    );
    assert_eq!(state_of(url).len(), 36);
    assert_eq!(trace.redirects, [RedirectOutcome::Accepted]);
    let login = trace.end.unwrap();
    assert!(login.registration_is_new);
    assert!(
        login
            .registration
            .has_grant_type(GrantType::AuthorizationCode)
    );
    assert_eq!(login.token.access_token.expose(), "LEAK-access-token");
    // The registration to cache records the grant types, as the AWS CLI's does.
    let record = CachedRegistration::from_registration(&login.registration, None);
    let json = String::from_utf8(record.to_json()).unwrap();
    assert!(
        json.ends_with(r#""grantTypes": ["authorization_code", "refresh_token"]}"#),
        "{json}"
    );
}

#[test]
fn deny_in_the_browser() {
    let trace = run(
        config(None),
        vec![Answer::registered(expiring())],
        vec![Browser::Deny],
    );
    assert_eq!(ops(&trace), [Operation::RegisterClient]);
    assert_eq!(trace.redirects, [RedirectOutcome::Refused]);
    let error = trace.end.unwrap_err();
    assert_eq!(
        error,
        FlowError::Refused {
            error: "access_denied".into(),
            description: Some("User denied".into())
        }
    );
    assert!(
        error
            .to_string()
            .starts_with("sign-in refused in the browser: access_denied (User denied)")
    );
}

#[test]
fn a_wrong_state_is_refused_and_the_flow_waits_for_the_right_one() {
    let trace = run(
        config(None),
        vec![Answer::registered(expiring()), Answer::token()],
        vec![Browser::WrongState, Browser::NoState, Browser::Approve],
    );
    assert_eq!(
        trace.redirects,
        [
            RedirectOutcome::Rejected(RedirectError::StateMismatch),
            RedirectOutcome::Rejected(RedirectError::MissingState),
            RedirectOutcome::Accepted
        ]
    );
    assert_eq!(
        ops(&trace),
        [Operation::RegisterClient, Operation::CreateToken]
    );
    assert_eq!(trace.sends[1].1, Duration::from_secs(30));
    assert!(trace.end.is_ok());
}

#[test]
fn no_redirect_before_the_deadline() {
    let trace = run(config(None), vec![Answer::registered(expiring())], vec![]);
    assert_eq!(trace.end.unwrap_err(), FlowError::Expired(None));
    assert_eq!(trace.elapsed, DEFAULT_REDIRECT_TIMEOUT);
}

#[test]
fn a_500_on_create_token_then_success() {
    let trace = run(
        config(None),
        vec![
            Answer::registered(expiring()),
            Answer::internal(),
            Answer::Transport(TransportErrorKind::Connect),
            Answer::token(),
        ],
        vec![Browser::Approve],
    );
    assert_eq!(
        ops(&trace),
        [
            Operation::RegisterClient,
            Operation::CreateToken,
            Operation::CreateToken,
            Operation::CreateToken
        ]
    );
    // Backoff with jitter: at most 1 s, then at most 2 s.
    let at: Vec<Duration> = trace.sends.iter().map(|s| s.1).collect();
    assert!(
        at[2] > at[1] && at[2] <= at[1] + Duration::from_secs(1),
        "{at:?}"
    );
    assert!(
        at[3] > at[2] && at[3] <= at[2] + Duration::from_secs(2),
        "{at:?}"
    );
    assert!(trace.end.is_ok());
}

#[test]
fn a_cached_registration_is_reused_and_re_registered_once_when_stale() {
    let reused = run(
        config(Some(cached_for_auth_code(90 * 24 * 3600))),
        vec![Answer::token()],
        vec![Browser::Approve],
    );
    assert_eq!(ops(&reused), [Operation::CreateToken]);
    assert!(!reused.end.unwrap().registration_is_new);

    let trace = run(
        config(Some(cached_for_auth_code(90 * 24 * 3600))),
        vec![
            Answer::invalid_client(),
            Answer::registered(expiring()),
            Answer::token(),
        ],
        vec![Browser::Approve, Browser::Approve],
    );
    assert_eq!(
        ops(&trace),
        [
            Operation::CreateToken,
            Operation::RegisterClient,
            Operation::CreateToken
        ]
    );
    // The person goes to the authorize page again, for the new client.
    assert_eq!(trace.urls.len(), 2);
    assert!(trace.urls[0].contains("client_id=cached-id&"));
    assert!(trace.urls[1].contains("client_id=client-id-1&"));
    assert!(trace.end.unwrap().registration_is_new);

    // Only once: a fresh registration rejected too ends the flow.
    let twice = run(
        config(Some(cached_for_auth_code(90 * 24 * 3600))),
        vec![
            Answer::invalid_client(),
            Answer::registered(expiring()),
            Answer::invalid_client(),
        ],
        vec![Browser::Approve, Browser::Approve],
    );
    assert!(
        matches!(twice.end, Err(FlowError::Service { .. })),
        "{:?}",
        twice.end
    );
}

#[test]
fn a_device_registration_is_not_reused_nor_one_about_to_expire() {
    for cached in [
        cached_registration(90 * 24 * 3600),
        cached_for_auth_code(10 * 60),
    ] {
        let trace = run(
            config(Some(cached)),
            vec![Answer::registered(expiring()), Answer::token()],
            vec![Browser::Approve],
        );
        assert_eq!(
            ops(&trace),
            [Operation::RegisterClient, Operation::CreateToken]
        );
    }
    // And the device flow does not reuse one for the authorization-code grant.
    let device = sso_oidc::DeviceFlowConfig::builder()
        .endpoint(endpoint())
        .start_url("https://d-1234567890.awsapps.com/start")
        .registration(cached_for_auth_code(90 * 24 * 3600))
        .build()
        .unwrap();
    let mut flow = sso_oidc::DeviceFlow::new(device, base_instant(), wall_start());
    let sso_oidc::Action::Send(request) = flow.poll(base_instant()) else {
        panic!("sends")
    };
    assert_eq!(operation_of(&request), Operation::RegisterClient);
}

#[test]
fn access_denied_and_expired_from_create_token() {
    let denied = run(
        config(None),
        vec![Answer::registered(expiring()), Answer::denied()],
        vec![Browser::Approve],
    );
    assert!(matches!(denied.end, Err(FlowError::Denied(_))));
    let expired = run(
        config(None),
        vec![Answer::registered(expiring()), Answer::expired()],
        vec![Browser::Approve],
    );
    assert!(matches!(expired.end, Err(FlowError::Expired(Some(_)))));
}

#[test]
fn nothing_is_sent_at_or_after_the_deadline() {
    // Throttled until the backoff would cross the deadline: the flow waits up to it and stops.
    let config = AuthCodeFlowConfig::builder()
        .endpoint(endpoint())
        .start_url("https://x.example/start")
        .timeout(Duration::from_secs(11))
        .retry_policy(
            sso_oidc::RetryPolicy::standard()
                .with_max_attempts(50)
                .with_backoff(Duration::from_secs(5), Duration::from_secs(5)),
        )
        .jitter_seed(1)
        .build()
        .unwrap();
    let mut answers = vec![Answer::registered(expiring())];
    answers.extend(std::iter::repeat_n(Answer::throttled(), 3));
    let start = base_instant();
    let mut flow = AuthCodeFlow::new(config, REDIRECT_URI, &RANDOM, start, wall_start());
    let mut answers = VecDeque::from(answers);
    let mut now = start;
    let mut deadline = None;
    loop {
        match flow.poll(now) {
            AuthCodeAction::Send(r) => {
                if let Some(d) = deadline {
                    assert!(now < d, "sent at or after the deadline");
                }
                let _ = operation_of(&r);
                flow.handle_response(answers.pop_front().unwrap().into_response().unwrap(), now);
            }
            AuthCodeAction::Authorize(a) => deadline = Some(a.deadline),
            AuthCodeAction::AwaitRedirect(_) => {
                now += Duration::from_secs(10);
                let state = flow_state(&flow);
                assert_eq!(flow.handle_redirect(&state, now), RedirectOutcome::Accepted);
            }
            AuthCodeAction::WaitUntil(t) => {
                assert!(deadline.is_none_or(|d| t <= d));
                now = t;
            }
            AuthCodeAction::Done(_) => panic!("no token"),
            AuthCodeAction::Failed(error) => {
                assert_eq!(error, FlowError::Expired(None));
                break;
            }
        }
    }
}

/// A redirect with the right state, read back from the flow's `Debug` (the state is not a
/// secret; the verifier is).
fn flow_state(flow: &AuthCodeFlow) -> String {
    let debug = format!("{flow:?}");
    let state = debug
        .split("state: \"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    format!("/oauth/callback?code=c&state={state}")
}

#[test]
fn cancel_and_misuse_are_sticky_and_nothing_leaks() {
    let start = base_instant();
    let mut flow = AuthCodeFlow::new(config(None), REDIRECT_URI, &RANDOM, start, wall_start());
    // A redirect before the authorize URL is out: misuse.
    assert_eq!(
        flow.handle_redirect("/oauth/callback?code=c&state=s", start),
        RedirectOutcome::NotWaiting
    );
    assert!(matches!(
        flow.poll(start),
        AuthCodeAction::Failed(FlowError::Misuse(Misuse::UnexpectedRedirect))
    ));

    let mut flow = AuthCodeFlow::new(config(None), REDIRECT_URI, &RANDOM, start, wall_start());
    flow.handle_response(Answer::token().into_response().unwrap(), start);
    assert!(matches!(
        flow.poll(start),
        AuthCodeAction::Failed(FlowError::Misuse(Misuse::UnexpectedResponse))
    ));

    let mut flow = AuthCodeFlow::new(config(None), REDIRECT_URI, &RANDOM, start, wall_start());
    let AuthCodeAction::Send(_) = flow.poll(start) else {
        panic!()
    };
    assert!(matches!(
        flow.poll(start),
        AuthCodeAction::Failed(FlowError::Misuse(Misuse::PollWhileAwaitingResponse))
    ));

    let mut flow = AuthCodeFlow::new(config(None), REDIRECT_URI, &RANDOM, start, wall_start());
    let AuthCodeAction::Send(_) = flow.poll(start) else {
        panic!()
    };
    flow.handle_response(
        Answer::registered(expiring()).into_response().unwrap(),
        start,
    );
    let AuthCodeAction::Authorize(_) = flow.poll(start) else {
        panic!()
    };
    let target = flow_state(&flow);
    assert_eq!(
        flow.handle_redirect(&target, start),
        RedirectOutcome::Accepted
    );
    // A reload of the page once the code is taken is ignored.
    assert_eq!(
        flow.handle_redirect(&target, start),
        RedirectOutcome::NotWaiting
    );
    let action = flow.poll(start);
    let debug = format!("{action:?} {flow:?}");
    assert!(
        !debug.contains("LEAK") && !debug.contains("code: \"c\""),
        "{debug}"
    );
    let AuthCodeAction::Send(request) = action else {
        panic!()
    };
    let verifier = String::from_utf8(request.body().clone()).unwrap();
    let verifier = verifier
        .split(r#""codeVerifier":""#)
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    assert!(!debug.contains(&verifier));
    flow.cancel();
    assert!(matches!(
        flow.poll(start),
        AuthCodeAction::Failed(FlowError::Cancelled)
    ));
    flow.handle_response(Answer::token().into_response().unwrap(), start);
    assert!(matches!(
        flow.poll(start + Duration::from_secs(1)),
        AuthCodeAction::Failed(FlowError::Cancelled)
    ));
    assert!(flow.is_finished());
}
