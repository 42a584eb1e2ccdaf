//! Scripted behaviour without a socket: decisions nobody clicks, injected faults, and the
//! verification page, through `Service::handle` and `Service::reply`.

use std::time::Duration;

use sso_oidc::{CreateToken, ErrorCode, Operation, StartDeviceAuthorization};
use sso_oidc_emulator::{Config, DeviceState, Fault, Reply, ReplyBody, Service};

mod support;
use support::{BASE, Session, code, json, post, start, wall};

#[test]
fn approve_after_polls_answers_that_many_pending_then_the_token() {
    let mut session = Session::new(Config::default().approve_after_polls(2));
    let device = session.authorize();
    for _ in 0..2 {
        assert_eq!(
            code(session.poll(&device.device_code, 1)),
            ErrorCode::AuthorizationPending
        );
    }
    assert!(session.poll(&device.device_code, 1).is_ok());
}

#[test]
fn deny_after_polls_and_decisions_by_time() {
    let mut session = Session::new(Config::default().deny_after_polls(0));
    let device = session.authorize();
    assert_eq!(
        code(session.poll(&device.device_code, 1)),
        ErrorCode::AccessDenied
    );

    let mut session = Session::new(Config::default().approve_after(Duration::from_secs(10)));
    let device = session.authorize();
    assert_eq!(
        code(session.poll(&device.device_code, 9)),
        ErrorCode::AuthorizationPending
    );
    assert!(session.poll(&device.device_code, 1).is_ok());

    let mut session = Session::new(Config::default().deny_after(Duration::from_secs(3)));
    let device = session.authorize();
    assert_eq!(
        code(session.poll(&device.device_code, 3)),
        ErrorCode::AccessDenied
    );
}

#[test]
fn a_decision_by_hand_comes_before_the_automatic_one() {
    let mut session = Session::new(Config::default().approve_after_polls(1));
    let device = session.authorize();
    session.service.deny(&device.user_code).unwrap();
    assert_eq!(
        code(session.poll(&device.device_code, 1)),
        ErrorCode::AccessDenied
    );
    assert_eq!(
        code(session.poll(&device.device_code, 1)),
        ErrorCode::AccessDenied
    );
}

#[test]
fn config_changes_apply_to_later_authorizations() {
    let mut session = Session::new(Config::default());
    session.service.config_mut().interval = Duration::from_secs(7);
    session.service.config_mut().expires_in = Duration::from_secs(30);
    let device = session.authorize();
    assert_eq!(device.interval, Some(Duration::from_secs(7)));
    assert_eq!(device.expires_in, Duration::from_secs(30));
}

#[test]
fn lifetimes_and_refresh_tokens_are_configurable() {
    let config = Config::default()
        .with_access_token_lifetime(Duration::from_secs(60))
        .with_client_secret_lifetime(Duration::from_secs(3600))
        .with_refresh_tokens(false)
        .approve_after_polls(0);
    let mut session = Session::new(config);
    let response = session.service.handle(
        &post(
            "/client/register",
            r#"{"clientName":"x","clientType":"public"}"#,
        ),
        session.now,
        wall(),
    );
    assert_eq!(
        json(&response)["clientSecretExpiresAt"],
        json(&response)["clientIdIssuedAt"].as_u64().unwrap() + 3600
    );
    let device = session.authorize();
    let token = session.poll(&device.device_code, 1).unwrap();
    assert_eq!(token.expires_in, Duration::from_secs(60));
    assert!(token.refresh_token.is_none());
}

/// The response of a `Reply::Send` with a whole body.
fn sent(reply: Reply) -> (http::Response<Vec<u8>>, Duration) {
    match reply {
        Reply::Send { response, after } => {
            let (parts, body) = response.into_parts();
            let ReplyBody::Full(body) = body else {
                panic!("not a whole body: {body:?}")
            };
            (http::Response::from_parts(parts, body), after)
        }
        other => panic!("not sent: {other:?}"),
    }
}

#[test]
fn modelled_and_front_end_errors_are_classified_by_the_core() {
    let cases = [
        (
            Fault::InternalServerError,
            500,
            Some(ErrorCode::InternalServer),
        ),
        (
            Fault::ServiceUnavailable,
            503,
            Some(ErrorCode::Other("ServiceUnavailableException".into())),
        ),
        (
            Fault::Throttling,
            400,
            Some(ErrorCode::Other("ThrottlingException".into())),
        ),
        // A proxy's HTML page is not the service's error: the core cannot parse it.
        (Fault::BadGatewayHtml, 502, None),
    ];
    for (fault, status, modelled) in cases {
        let mut session = Session::new(Config::default());
        session.service.inject(fault.clone());
        let (response, after) = sent(session.service.reply(
            &session.start_request(),
            session.now,
            wall(),
        ));
        assert_eq!(after, Duration::ZERO);
        assert_eq!(response.status(), status, "{fault:?}");
        let error = StartDeviceAuthorization::parse(response).unwrap_err();
        assert_eq!(error.code(), modelled.as_ref(), "{fault:?}");
        assert!(
            sso_oidc::RetryPolicy::is_retryable(&error),
            "{fault:?} should be retryable: {error}"
        );
        // The service never saw the request.
        assert!(session.service.devices().is_empty(), "{fault:?}");
    }
}

#[test]
fn broken_success_bodies_fail_to_parse_without_secrets() {
    for fault in [Fault::MalformedJson, Fault::EmptyBody] {
        let mut session = Session::new(Config::default());
        session.service.inject(fault.clone());
        let (response, _) = sent(session.service.reply(
            &session.start_request(),
            session.now,
            wall(),
        ));
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "application/json");
        let error = StartDeviceAuthorization::parse(response).unwrap_err();
        assert!(error.code().is_none(), "{fault:?}: {error}");
    }
}

#[test]
fn truncated_huge_delayed_hanging_and_dropped_replies() {
    let mut session = Session::new(Config::default());
    let request = session.start_request();
    session.service.inject(Fault::TruncatedBody.once());
    let Reply::Send { response, .. } = session.service.reply(&request, session.now, wall()) else {
        panic!("truncated bodies are sent")
    };
    let promised: usize = response.headers()["content-length"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let ReplyBody::Truncated(body) = response.body() else {
        panic!("{:?}", response.body())
    };
    assert_eq!(body.len(), promised / 2);
    // A truncated answer was still handled: the authorization exists.
    assert_eq!(session.service.devices().len(), 1);

    session.service.inject(Fault::HugeBody(50 << 20).once());
    let Reply::Send { response, .. } = session.service.reply(&request, session.now, wall()) else {
        panic!("huge bodies are sent")
    };
    assert_eq!(response.headers()["content-length"], "52428800");
    assert_eq!(response.body(), &ReplyBody::Padding(50 << 20));

    session
        .service
        .inject(Fault::Delay(Duration::from_secs(3)).once());
    let (response, after) = sent(session.service.reply(&request, session.now, wall()));
    assert_eq!(after, Duration::from_secs(3));
    assert!(StartDeviceAuthorization::parse(response).is_ok());

    session.service.inject(Fault::Hang.once());
    assert!(matches!(
        session.service.reply(&request, session.now, wall()),
        Reply::Hang
    ));
    session.service.inject(Fault::DropConnection.once());
    assert!(matches!(
        session.service.reply(&request, session.now, wall()),
        Reply::Drop
    ));
    // Every fault was spent; the next request is answered as usual.
    assert!(session.service.faults().is_empty());
    let (response, _) = sent(session.service.reply(&request, session.now, wall()));
    assert_eq!(response.status(), 200);
    assert_eq!(session.service.log().len(), 1 + 6);
}

#[test]
fn a_dripped_reply_is_the_whole_answer_and_the_pause_before_each_byte() {
    let mut session = Session::new(Config::default());
    let request = session.start_request();
    let every = Duration::from_millis(200);
    session.service.inject(Fault::Drip(every).once());
    let Reply::Send { response, after } = session.service.reply(&request, session.now, wall())
    else {
        panic!("dripped bodies are sent")
    };
    assert_eq!(after, Duration::ZERO, "the head goes at once");
    let (parts, body) = response.into_parts();
    let ReplyBody::Drip {
        bytes,
        every: pause,
    } = body
    else {
        panic!("{body:?}")
    };
    assert_eq!(pause, every);
    assert_eq!(parts.headers["content-length"], bytes.len().to_string());
    // All of the service's answer, and the service handled the request.
    let response = http::Response::from_parts(parts, bytes);
    let device = StartDeviceAuthorization::parse(response).unwrap();
    let state = session.service.device(&device.user_code).map(|d| d.state);
    assert_eq!(state, Some(DeviceState::Pending));
    let entry = session.service.log().last().unwrap();
    assert_eq!(entry.fault, Some(Fault::Drip(every)));
    assert_eq!(entry.status.map(|s| s.as_u16()), Some(200));
}

#[test]
fn faults_hit_the_chosen_operation_and_polls_only() {
    let mut session = Session::new(Config::default());
    session.service.inject(
        Fault::InternalServerError
            .on(Operation::CreateToken)
            .after(1)
            .times(2),
    );
    let device = session.authorize();
    let poll = |session: &mut Session, after: u64| {
        session.now += Duration::from_secs(after);
        let request = session.poll_request(&device.device_code);
        let (response, _) = sent(session.service.reply(&request, session.now, wall()));
        response.status().as_u16()
    };
    assert_eq!(poll(&mut session, 1), 400);
    assert_eq!(poll(&mut session, 1), 500);
    assert_eq!(poll(&mut session, 1), 500);
    assert_eq!(poll(&mut session, 1), 400);
    // The service saw only the polls the fault let through.
    assert_eq!(session.service.devices()[0].polls, 2);
}

#[test]
fn an_injected_slow_down_grows_the_interval_like_the_real_one() {
    let mut session = Session::new(Config::default());
    let device = session.authorize();
    session
        .service
        .inject(Fault::SlowDown.on(Operation::CreateToken).once());
    let request = session.poll_request(&device.device_code);
    let (response, _) = sent(session.service.reply(&request, session.now, wall()));
    let error = CreateToken::parse(response).unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::SlowDown));
    assert_eq!(
        session.service.device(&device.user_code).unwrap().interval,
        Duration::from_secs(6)
    );
}

fn get(path: &str) -> http::Request<Vec<u8>> {
    http::Request::get(format!("{BASE}{path}"))
        .body(Vec::new())
        .unwrap()
}

fn form(body: &str) -> http::Request<Vec<u8>> {
    http::Request::post(format!("{BASE}/device"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.as_bytes().to_vec())
        .unwrap()
}

fn page(service: &mut Service, request: &http::Request<Vec<u8>>) -> (u16, String) {
    let response = service.handle(request, start(), wall());
    assert_eq!(
        response.headers()["content-type"],
        "text/html; charset=utf-8"
    );
    (
        response.status().as_u16(),
        String::from_utf8(response.into_body()).unwrap(),
    )
}

#[test]
fn the_verification_page_shows_the_code_and_takes_a_decision() {
    let mut session = Session::new(Config::default());
    let device = session.authorize();
    let complete = device.verification_uri_complete.clone().unwrap();
    let path = complete.strip_prefix(BASE).unwrap();

    let (status, html) = page(&mut session.service, &get(path));
    assert_eq!(status, 200);
    assert!(html.contains(&format!(
        r#"<p class="code" id="user-code">{}</p>"#,
        device.user_code
    )));
    assert!(html.contains("https://d-1234567890.awsapps.com/start"));
    assert!(html.contains(r#"id="approve""#) && html.contains(r#"id="deny""#));

    let (status, html) = page(&mut session.service, &get("/device"));
    assert_eq!(status, 200);
    assert!(html.contains(r#"name="user_code""#));
    let (status, _) = page(&mut session.service, &get("/device?user_code=BBBB-BBBB"));
    assert_eq!(status, 404);

    let lower = device.user_code.to_lowercase();
    let (status, html) = page(
        &mut session.service,
        &form(&format!("user_code={lower}&action=approve")),
    );
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("Request approved"));
    assert_eq!(
        session.service.device(&device.user_code).unwrap().state,
        DeviceState::Approved
    );
    let (status, _) = page(
        &mut session.service,
        &form(&format!("user_code={lower}&action=deny")),
    );
    assert_eq!(status, 409);
    assert!(session.poll(&device.device_code, 1).is_ok());

    let device = session.authorize();
    let (status, html) = page(
        &mut session.service,
        &form(&format!("user_code={}&action=deny", device.user_code)),
    );
    assert_eq!(status, 200);
    assert!(html.contains("Request denied"));
    assert_eq!(
        code(session.poll(&device.device_code, 1)),
        ErrorCode::AccessDenied
    );

    let device = session.authorize();
    session.service.expire(&device.user_code, start()).unwrap();
    let (status, html) = page(
        &mut session.service,
        &form(&format!("user_code={}&action=approve", device.user_code)),
    );
    assert_eq!(status, 410, "{html}");
    let (status, _) = page(&mut session.service, &form("user_code=x&action=maybe"));
    assert_eq!(status, 400);
}

#[test]
fn unknown_paths_are_still_json_404s() {
    let mut service = Service::new(Config::default(), BASE);
    let response = service.handle(&post("/device/extra", "{}"), start(), wall());
    assert_eq!(response.status(), 404);
    assert_eq!(
        response.headers()["x-amzn-errortype"],
        "UnknownOperationException"
    );
}

#[test]
fn the_index_says_what_this_is_and_links_the_verification_page() {
    let mut service = Service::new(Config::default(), BASE);
    for request in [get("/"), get("/?from=a-bookmark")] {
        let (status, html) = page(&mut service, &request);
        assert_eq!(status, 200, "{html}");
        assert!(
            html.contains("<title>A local SSO OIDC service - SSO OIDC emulator</title>"),
            "{html}"
        );
        assert!(html.contains("It is not AWS"), "{html}");
        assert!(
            html.contains("<a id=\"device\" href=\"/device\">"),
            "{html}"
        );
        for operation in Operation::ALL {
            assert!(
                html.contains(&format!(
                    "POST {}</code>: {}",
                    operation.path(),
                    operation.name()
                )),
                "{html}"
            );
        }
        assert!(html.contains(&format!("--endpoint-url {BASE} ")), "{html}");
    }
    let head = http::Request::head(format!("{BASE}/"))
        .body(Vec::new())
        .unwrap();
    assert_eq!(page(&mut service, &head).0, 200);
    // The link leads to the page that asks for a code.
    let (status, html) = page(&mut service, &get("/device"));
    assert_eq!(status, 200);
    assert!(html.contains("id=\"user_code\""), "{html}");
}

#[test]
fn every_other_unknown_request_is_answered_as_before() {
    let mut service = Service::new(Config::default(), BASE);
    let requests = [
        get("/nope"),
        get("/index.html"),
        get("/device/"),
        post("/", "{}"),
        http::Request::delete(format!("{BASE}/"))
            .body(Vec::new())
            .unwrap(),
    ];
    for request in requests {
        let response = service.handle(&request, start(), wall());
        let what = format!("{} {}", request.method(), request.uri());
        assert_eq!(response.status(), 404, "{what}");
        assert_eq!(
            response.headers()["x-amzn-errortype"],
            "UnknownOperationException",
            "{what}"
        );
        assert_eq!(response.headers()["content-type"], "application/json");
        assert_eq!(response.body(), br#"{"message":null}"#, "{what}");
    }
}

#[test]
fn absurd_lifetimes_do_not_panic() {
    let config = Config::default()
        .with_expires_in(Duration::MAX)
        .with_client_secret_lifetime(Duration::MAX)
        .with_access_token_lifetime(Duration::MAX)
        .with_interval(Duration::MAX);
    let mut session = Session::new(config);
    let device = session.authorize();
    assert_eq!(device.expires_in.as_secs(), u64::MAX);
    assert_eq!(
        code(session.poll(&device.device_code, 1)),
        ErrorCode::AuthorizationPending
    );
}
