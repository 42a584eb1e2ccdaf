//! The emulated service's wire behaviour, on simulated time.

use std::time::Duration;

use proptest::prelude::*;
use sso_oidc::{
    Action, CreateToken, DeviceFlow, DeviceFlowConfig, Endpoint, ErrorCode, FlowError, GrantType,
    RegisterClient, StartDeviceAuthorization,
};
use sso_oidc_emulator::{Config, DeviceState, Service};

mod support;
use support::{BASE, Session, code, json, post, start, wall};

#[test]
fn answers_look_like_the_real_service() {
    let mut session = Session::new(Config::default());
    let device = session.authorize();
    assert_eq!(device.interval, Some(Duration::from_secs(1)));
    assert_eq!(device.expires_in, Duration::from_secs(600));
    assert_eq!(device.verification_uri, format!("{BASE}/device"));
    assert_eq!(
        device.verification_uri_complete.as_deref(),
        Some(format!("{BASE}/device?user_code={}", device.user_code).as_str())
    );

    let response = session.service.handle(
        &post(
            "/client/register",
            r#"{"clientName":"x","clientType":"public","unknown":[1]}"#,
        ),
        session.now,
        wall(),
    );
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(response.headers()["x-amzn-requestid"].len(), 36);
    let body = json(&response);
    assert_eq!(body["clientIdIssuedAt"], 1_700_000_000);
    assert_eq!(body["clientSecretExpiresAt"], 1_700_000_000 + 90 * 86_400);
    assert!(
        !String::from_utf8_lossy(response.body()).contains(": "),
        "compact JSON"
    );
}

#[test]
fn errors_carry_the_models_status_header_and_oauth_body() {
    let mut service = Service::new(Config::default(), BASE);
    let now = start();
    for body in [
        r#"{"clientType":"public"}"#,
        r#"{"clientName":null,"clientType":"public"}"#,
        r#"{"clientName":"  ","clientType":"public"}"#,
        r#"{"clientName":7,"clientType":"public"}"#,
        "not json",
        "[]",
    ] {
        let response = service.handle(&post("/client/register", body), now, wall());
        assert_eq!(response.status(), 400, "{body}");
        assert_eq!(
            response.headers()["x-amzn-errortype"],
            "InvalidRequestException:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/"
        );
        assert_eq!(json(&response)["error"], "invalid_request");
        let error = RegisterClient::parse(response).unwrap_err();
        assert_eq!(error.code(), Some(&ErrorCode::InvalidRequest), "{body}");
    }
    let response = service.handle(
        &post(
            "/device_authorization",
            r#"{"clientId":"nope","clientSecret":"nope","startUrl":"https://x"}"#,
        ),
        now,
        wall(),
    );
    assert_eq!(response.status(), 401);
    assert_eq!(json(&response)["error"], "invalid_client");

    let response = service.handle(&post("/nowhere", "{}"), now, wall());
    assert_eq!(response.status(), 404);
    let get = http::Request::get(format!("{BASE}/token"))
        .body(Vec::new())
        .unwrap();
    assert_eq!(service.handle(&get, now, wall()).status(), 404);
}

#[test]
fn pending_until_approved_then_single_use() {
    let mut session = Session::new(Config::default());
    let device = session.authorize();
    assert_eq!(
        code(session.poll(&device.device_code, 1)),
        ErrorCode::AuthorizationPending
    );
    session
        .service
        .approve(&device.user_code.to_lowercase())
        .unwrap();
    let token = session.poll(&device.device_code, 1).unwrap();
    assert!(token.access_token.expose().starts_with("aoa"));
    assert!(token.refresh_token.is_some());
    assert_eq!(
        code(session.poll(&device.device_code, 1)),
        ErrorCode::InvalidGrant
    );
    let state = session.service.device(&device.user_code).unwrap();
    assert_eq!(state.state, DeviceState::Used);
    assert_eq!(state.polls, 3);
}

#[test]
fn polling_too_fast_earns_slow_down_and_five_more_seconds() {
    let mut session = Session::new(Config::default());
    let device = session.authorize();
    assert_eq!(
        code(session.poll(&device.device_code, 1)),
        ErrorCode::AuthorizationPending
    );
    assert_eq!(
        code(session.poll(&device.device_code, 0)),
        ErrorCode::SlowDown
    );
    let interval = session.service.device(&device.user_code).unwrap().interval;
    assert_eq!(interval, Duration::from_secs(6));
    assert_eq!(
        code(session.poll(&device.device_code, 5)),
        ErrorCode::SlowDown
    );
    assert_eq!(
        code(session.poll(&device.device_code, 11)),
        ErrorCode::AuthorizationPending
    );
}

#[test]
fn denied_is_final_and_codes_expire() {
    let mut session = Session::new(Config::default());
    let device = session.authorize();
    session.service.deny(&device.user_code).unwrap();
    session.service.approve(&device.user_code).unwrap();
    assert_eq!(
        code(session.poll(&device.device_code, 1)),
        ErrorCode::AccessDenied
    );
    assert_eq!(
        code(session.poll(&device.device_code, 1)),
        ErrorCode::AccessDenied
    );

    let device = session.authorize();
    assert_eq!(
        code(session.poll(&device.device_code, 600)),
        ErrorCode::ExpiredToken
    );
    let device = session.authorize();
    session
        .service
        .expire(&device.user_code, session.now)
        .unwrap();
    assert_eq!(
        code(session.poll(&device.device_code, 1)),
        ErrorCode::ExpiredToken
    );
    assert!(session.service.approve("ZZZZ-ZZZZ").is_err());
}

#[test]
fn refresh_tokens_rotate_and_secrets_expire() {
    let mut session = Session::new(Config::default());
    let device = session.authorize();
    session.service.approve(&device.user_code).unwrap();
    let token = session.poll(&device.device_code, 1).unwrap();
    let refresh = |session: &mut Session, refresh_token: &sso_oidc::Secret| {
        let request = CreateToken::builder()
            .client_id(&session.client_id)
            .client_secret(session.client_secret.as_str())
            .grant_type(GrantType::RefreshToken)
            .refresh_token(refresh_token)
            .build()
            .unwrap();
        CreateToken::parse(session.service.handle(
            &request.to_http(&session.endpoint),
            session.now,
            wall(),
        ))
    };
    let old = token.refresh_token.unwrap();
    let renewed = refresh(&mut session, &old).unwrap();
    assert_ne!(renewed.access_token, token.access_token);
    assert_eq!(code(refresh(&mut session, &old)), ErrorCode::InvalidGrant);
    assert!(refresh(&mut session, &renewed.refresh_token.unwrap()).is_ok());

    let unsupported = session.service.handle(
        &post(
            "/token",
            &format!(
                r#"{{"clientId":"{}","clientSecret":"{}","grantType":"password"}}"#,
                session.client_id, session.client_secret
            ),
        ),
        session.now,
        wall(),
    );
    assert_eq!(json(&unsupported)["error"], "unsupported_grant_type");

    let later = wall() + Duration::from_secs(91 * 86_400);
    let request = StartDeviceAuthorization::builder()
        .client_id(&session.client_id)
        .client_secret(session.client_secret.as_str())
        .start_url("https://x.example/start")
        .build()
        .unwrap();
    let response = session
        .service
        .handle(&request.to_http(&session.endpoint), session.now, later);
    assert_eq!(
        StartDeviceAuthorization::parse(response)
            .unwrap_err()
            .code(),
        Some(&ErrorCode::InvalidClient)
    );
}

#[test]
fn the_log_and_debug_hide_secrets() {
    let mut session = Session::new(Config::default());
    let device = session.authorize();
    let _ = session.poll(&device.device_code, 1);
    let log = session.service.log();
    assert_eq!(log.len(), 3);
    for entry in log {
        assert!(
            !entry.body.contains(&session.client_secret),
            "{}",
            entry.body
        );
        assert!(!entry.body.contains(device.device_code.expose().as_str()));
        assert!(!entry.uri.contains('?'));
    }
    let debug = format!("{:?}", session.service);
    assert!(debug.contains(&device.user_code), "{debug}");
    assert!(!debug.contains(&session.client_secret), "{debug}");
    assert!(
        !debug.contains(device.device_code.expose().as_str()),
        "{debug}"
    );
    assert!(
        log[2].body.contains(r#""deviceCode":"<masked>""#),
        "{}",
        log[2].body
    );
}

#[test]
fn the_core_device_flow_signs_in_against_it() {
    let mut service = Service::new(Config::default(), BASE);
    let start = start();
    let config = DeviceFlowConfig::builder()
        .endpoint(Endpoint::from_url(BASE).unwrap())
        .start_url("https://d-1234567890.awsapps.com/start")
        .build()
        .unwrap();
    let mut flow = DeviceFlow::new(config, start, wall());
    let mut now = start;
    let mut polls = 0;
    let outcome = loop {
        match flow.poll(now) {
            Action::Send(request) => {
                if request.uri().path() == "/token" {
                    polls += 1;
                    if polls == 3 {
                        let user_code = service.devices()[0].user_code.clone();
                        service.approve(&user_code).unwrap();
                    }
                }
                let response = service.handle(&request, now, wall());
                flow.handle_response(response, now);
            }
            Action::WaitUntil(t) => now = t,
            Action::Prompt(_) => {}
            Action::Done(login) => break Ok(login),
            Action::Failed(error) => break Err(error),
        }
    };
    let login = outcome.unwrap();
    assert!(login.token.refresh_token.is_some());
    assert_eq!(now - start, Duration::from_secs(3));
    // It never polled too fast: no slow_down.
    assert_eq!(service.devices()[0].interval, Duration::from_secs(1));

    // And a denial reaches the flow as FlowError::Denied.
    let config = DeviceFlowConfig::builder()
        .endpoint(Endpoint::from_url(BASE).unwrap())
        .start_url("https://d-1234567890.awsapps.com/start")
        .build()
        .unwrap();
    let mut flow = DeviceFlow::new(config, now, wall());
    let error = loop {
        match flow.poll(now) {
            Action::Send(request) => {
                let response = service.handle(&request, now, wall());
                flow.handle_response(response, now);
            }
            Action::Prompt(prompt) => service.deny(&prompt.user_code).unwrap(),
            Action::WaitUntil(t) => now = t,
            Action::Done(_) => panic!("signed in after a denial"),
            Action::Failed(error) => break error,
        }
    };
    assert!(matches!(error, FlowError::Denied(_)), "{error:?}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    /// Whatever comes in, the service answers with JSON and never panics.
    #[test]
    fn bad_requests_never_panic(
        path in prop_oneof![
            Just("/client/register".to_owned()),
            Just("/device_authorization".to_owned()),
            Just("/token".to_owned()),
            "/[a-z_/]{0,12}",
        ],
        body in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..64),
            prop::collection::btree_map(
                prop_oneof![
                    Just("clientName".to_owned()), Just("clientType".to_owned()),
                    Just("clientId".to_owned()), Just("clientSecret".to_owned()),
                    Just("startUrl".to_owned()), Just("grantType".to_owned()),
                    Just("deviceCode".to_owned()), Just("refreshToken".to_owned()),
                    "[a-zA-Z]{1,8}",
                ],
                prop_oneof![
                    Just(serde_json::Value::Null),
                    any::<i64>().prop_map(serde_json::Value::from),
                    ".{0,8}".prop_map(serde_json::Value::from),
                    Just(serde_json::Value::from("public")),
                ],
                0..6,
            ).prop_map(|m| serde_json::to_vec(&m).unwrap()),
        ],
    ) {
        let mut service = Service::new(Config::default(), BASE);
        let request = http::Request::post(format!("{BASE}{path}")).body(body).unwrap();
        let response = service.handle(&request, start(), wall());
        prop_assert!(serde_json::from_slice::<serde_json::Value>(response.body()).is_ok());
        prop_assert!(response.headers().contains_key("x-amzn-requestid"));
        if !response.status().is_success() && response.status() != 404 {
            prop_assert!(response.headers().contains_key("x-amzn-errortype"));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Whatever reaches the verification page, it answers a page or a 404, and never panics.
    #[test]
    fn page_requests_never_panic(
        post in any::<bool>(),
        real_code in any::<bool>(),
        action in prop_oneof![Just("approve".to_owned()), Just("deny".to_owned()), "[a-z]{0,6}"],
        query in "[a-zA-Z0-9_=&%+.-]{0,24}",
        form in prop::collection::vec(any::<u8>(), 0..48),
    ) {
        let mut session = Session::new(Config::default());
        let device = session.authorize();
        let (uri, body) = if real_code {
            (
                format!("{BASE}/device?user_code={}&{query}", device.user_code),
                format!("user_code={}&action={action}", device.user_code).into_bytes(),
            )
        } else {
            (format!("{BASE}/device?{query}"), form)
        };
        let method = if post { http::Method::POST } else { http::Method::GET };
        let Ok(request) = http::Request::builder().method(method).uri(uri).body(body) else {
            return Ok(());
        };
        let response = session.service.handle(&request, session.now, wall());
        let status = response.status().as_u16();
        prop_assert!([200, 400, 404, 409, 410].contains(&status), "{status}");
        prop_assert!(String::from_utf8(response.into_body()).is_ok());
    }
}
