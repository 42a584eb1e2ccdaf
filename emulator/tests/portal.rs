//! The SSO portal on the emulator: its four operations, their errors, pagination, expiry and
//! Logout, on simulated time. Written from the model (`sso/service-2.json`) with serde_json.

use std::time::Duration;

use serde_json::{Value, json};
use sso_oidc::{Action, CreateToken, DeviceFlow, DeviceFlowConfig, Endpoint, GrantType, Operation};
use sso_oidc_emulator::{
    BlockingEmulator, Config, Fault, PortalAccount, Reply, ReplyBody, Service,
};
use std::time::{Instant, SystemTime};

mod support;
use support::{BASE, Session, json, wall};

const BEARER: &str = "x-amz-sso_bearer_token";

/// A session with one signed-in user: its access and refresh tokens.
fn signed_in(config: Config) -> (Session, String, String) {
    let mut session = Session::new(config);
    let device = session.authorize();
    session.service.approve(&device.user_code).unwrap();
    let token = session.poll(&device.device_code, 1).unwrap();
    let access = token.access_token.expose().clone();
    let refresh = token.refresh_token.unwrap().expose().clone();
    (session, access, refresh)
}

fn get(uri: &str, token: Option<&str>) -> http::Request<Vec<u8>> {
    let mut builder = http::Request::get(format!("{BASE}{uri}"));
    if let Some(token) = token {
        builder = builder.header(BEARER, token);
    }
    builder.body(Vec::new()).unwrap()
}

fn logout(token: &str) -> http::Request<Vec<u8>> {
    http::Request::post(format!("{BASE}/logout"))
        .header(BEARER, token)
        .body(Vec::new())
        .unwrap()
}

fn call(session: &mut Session, request: &http::Request<Vec<u8>>) -> http::Response<Vec<u8>> {
    session.service.handle(request, session.now, wall())
}

/// The error's status, `x-amzn-ErrorType` shape and `message`.
fn error(response: &http::Response<Vec<u8>>) -> (u16, String, String) {
    let header = response.headers()["x-amzn-errortype"].to_str().unwrap();
    let shape = header.split(':').next().unwrap().to_owned();
    let body = json(response);
    assert_eq!(
        body["__type"],
        format!("com.amazonaws.switchboard.portal#{shape}")
    );
    (
        response.status().as_u16(),
        shape,
        body["message"].as_str().unwrap().to_owned(),
    )
}

#[test]
fn get_role_credentials_answers_the_models_shape() {
    let (mut session, access, _) = signed_in(Config::default());
    let response = call(
        &mut session,
        &get(
            "/federation/credentials?role_name=ReadOnly&account_id=111122223333",
            Some(&access),
        ),
    );
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(response.headers()["x-amzn-requestid"].len(), 36);
    let body = json(&response);
    let credentials = body["roleCredentials"].as_object().unwrap();
    let mut members: Vec<&str> = credentials.keys().map(String::as_str).collect();
    members.sort_unstable();
    assert_eq!(
        members,
        [
            "accessKeyId",
            "expiration",
            "secretAccessKey",
            "sessionToken"
        ]
    );
    let key_id = credentials["accessKeyId"].as_str().unwrap();
    assert!(key_id.starts_with("ASIA") && key_id.len() == 20, "{key_id}");
    assert_eq!(credentials["secretAccessKey"].as_str().unwrap().len(), 40);
    assert!(!credentials["sessionToken"].as_str().unwrap().is_empty());
    // Epoch milliseconds, one hour after the wall clock the service was told.
    assert_eq!(credentials["expiration"], (1_700_000_000u64 + 3600) * 1000);
}

#[test]
fn credentials_are_reproducible_from_the_seed_and_expire_after_the_configured_lifetime() {
    let run = |config: Config| {
        let (mut session, access, _) = signed_in(config);
        json(&call(
            &mut session,
            &get(
                "/federation/credentials?role_name=Admin&account_id=111122223333",
                Some(&access),
            ),
        ))
    };
    assert_eq!(run(Config::default()), run(Config::default()));
    assert_ne!(
        run(Config::default())["roleCredentials"]["accessKeyId"],
        run(Config::default().with_seed(7))["roleCredentials"]["accessKeyId"]
    );
    let short = run(Config::default().with_role_credentials_lifetime(Duration::from_secs(900)));
    assert_eq!(
        short["roleCredentials"]["expiration"],
        (1_700_000_000u64 + 900) * 1000
    );
}

#[test]
fn list_accounts_and_roles_answer_the_configured_assignments() {
    let (mut session, access, _) = signed_in(Config::default());
    let accounts = json(&call(
        &mut session,
        &get("/assignment/accounts", Some(&access)),
    ));
    assert_eq!(
        accounts,
        json!({
            "accountList": [
                {"accountId": "111122223333", "accountName": "Development", "emailAddress": "dev@example.com"},
                {"accountId": "444455556666", "accountName": "Production", "emailAddress": "prod@example.com"},
            ],
            "nextToken": null,
        })
    );
    let roles = json(&call(
        &mut session,
        &get("/assignment/roles?account_id=111122223333", Some(&access)),
    ));
    assert_eq!(
        roles,
        json!({
            "nextToken": null,
            "roleList": [
                {"roleName": "ReadOnly", "accountId": "111122223333"},
                {"roleName": "Admin", "accountId": "111122223333"},
            ],
        })
    );
}

#[test]
fn pages_follow_max_result_and_the_opaque_next_token() {
    let accounts = (0..5).map(|i| {
        PortalAccount::new(format!("00000000000{i}"), format!("a{i}"), "a@example.com")
            .with_roles(["R1", "R2", "R3"])
    });
    let (mut session, access, _) = signed_in(Config::default().with_portal_accounts(accounts));

    let mut seen = Vec::new();
    let mut next: Option<String> = None;
    let mut pages = 0;
    loop {
        let uri = match &next {
            None => "/assignment/accounts?max_result=2".to_owned(),
            Some(token) => format!("/assignment/accounts?max_result=2&next_token={token}"),
        };
        let body = json(&call(&mut session, &get(&uri, Some(&access))));
        pages += 1;
        for account in body["accountList"].as_array().unwrap() {
            seen.push(account["accountId"].as_str().unwrap().to_owned());
        }
        match &body["nextToken"] {
            Value::String(token) => next = Some(token.clone()),
            Value::Null => break,
            other => panic!("nextToken {other}"),
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(
        seen,
        (0..5)
            .map(|i| format!("00000000000{i}"))
            .collect::<Vec<_>>()
    );

    let first = json(&call(
        &mut session,
        &get(
            "/assignment/roles?account_id=000000000002&max_result=1",
            Some(&access),
        ),
    ));
    assert_eq!(
        first["roleList"],
        json!([{"roleName": "R1", "accountId": "000000000002"}])
    );
    let token = first["nextToken"].as_str().unwrap().to_owned();
    let second = json(&call(
        &mut session,
        &get(
            &format!("/assignment/roles?account_id=000000000002&next_token={token}"),
            Some(&access),
        ),
    ));
    assert_eq!(
        second["roleList"],
        json!([
            {"roleName": "R2", "accountId": "000000000002"},
            {"roleName": "R3", "accountId": "000000000002"},
        ])
    );
    assert_eq!(second["nextToken"], Value::Null);

    // A token is for the listing that gave it: another account's or another operation's is
    // invalid, as is one the emulator never gave.
    for uri in [
        format!("/assignment/roles?account_id=000000000003&next_token={token}"),
        format!("/assignment/accounts?next_token={token}"),
        "/assignment/accounts?next_token=bogus".to_owned(),
    ] {
        let response = call(&mut session, &get(&uri, Some(&access)));
        let (status, shape, _) = error(&response);
        assert_eq!(
            (status, shape.as_str()),
            (400, "InvalidRequestException"),
            "{uri}"
        );
    }
}

#[test]
fn bad_input_is_an_invalid_request() {
    let (mut session, access, _) = signed_in(Config::default());
    for uri in [
        "/assignment/accounts?max_result=0",
        "/assignment/accounts?max_result=101",
        "/assignment/accounts?max_result=two",
        "/assignment/roles",
        "/assignment/roles?account_id=",
        "/federation/credentials?account_id=111122223333",
        "/federation/credentials?role_name=ReadOnly",
    ] {
        let response = call(&mut session, &get(uri, Some(&access)));
        let (status, shape, message) = error(&response);
        assert_eq!(
            (status, shape.as_str()),
            (400, "InvalidRequestException"),
            "{uri}"
        );
        assert!(!message.is_empty());
    }
    let response = call(
        &mut session,
        &get("/assignment/accounts?max_result=100", Some(&access)),
    );
    assert_eq!(response.status(), 200);
}

#[test]
fn unassigned_accounts_and_roles_are_refused() {
    let (mut session, access, _) = signed_in(Config::default());
    // The real portal's answer for a role the user may not use: 403 "No access".
    for uri in [
        "/federation/credentials?role_name=Admin&account_id=444455556666",
        "/federation/credentials?role_name=ReadOnly&account_id=999999999999",
    ] {
        let response = call(&mut session, &get(uri, Some(&access)));
        assert_eq!(
            error(&response),
            (403, "ForbiddenException".into(), "No access".into())
        );
    }
    let response = call(
        &mut session,
        &get("/assignment/roles?account_id=999999999999", Some(&access)),
    );
    let (status, shape, _) = error(&response);
    assert_eq!((status, shape.as_str()), (404, "ResourceNotFoundException"));
}

#[test]
fn a_missing_unknown_or_expired_token_is_unauthorized() {
    let (mut session, access, _) = signed_in(Config::default());
    let unauthorized = (
        401,
        "UnauthorizedException".to_owned(),
        "Session token not found or invalid".to_owned(),
    );
    for operation in Operation::PORTAL {
        let uri = match operation {
            Operation::GetRoleCredentials => {
                "/federation/credentials?role_name=ReadOnly&account_id=111122223333"
            }
            Operation::ListAccountRoles => "/assignment/roles?account_id=111122223333",
            _ => operation.path(),
        };
        for token in [None, Some(""), Some("aoaNotOneTheEmulatorIssued")] {
            let mut request = get(uri, token);
            *request.method_mut() = operation.method();
            let response = call(&mut session, &request);
            assert_eq!(error(&response), unauthorized, "{operation:?} {token:?}");
        }
    }

    // Eight hours later the access token has expired.
    session.now += Duration::from_secs(8 * 3600);
    let response = call(&mut session, &get("/assignment/accounts", Some(&access)));
    assert_eq!(error(&response), unauthorized);
}

#[test]
fn the_wrong_method_is_not_allowed() {
    let (mut session, access, _) = signed_in(Config::default());
    let response = call(&mut session, &get("/logout", Some(&access)));
    assert_eq!(error(&response).0, 405);
    let mut request = get("/assignment/accounts", Some(&access));
    *request.method_mut() = http::Method::POST;
    assert_eq!(
        error(&call(&mut session, &request)).1,
        "MethodNotAllowedException"
    );
}

#[test]
fn logout_revokes_the_token_and_its_refresh_token() {
    let (mut session, access, refresh) = signed_in(Config::default());
    let response = call(&mut session, &logout(&access));
    assert_eq!(response.status(), 200);
    assert!(response.body().is_empty());
    assert_eq!(response.headers()["x-amzn-requestid"].len(), 36);

    for request in [
        get("/assignment/accounts", Some(&access)),
        get(
            "/federation/credentials?role_name=ReadOnly&account_id=111122223333",
            Some(&access),
        ),
        logout(&access),
    ] {
        assert_eq!(error(&call(&mut session, &request)).0, 401);
    }

    let refresh_request = CreateToken::builder()
        .client_id(&session.client_id)
        .client_secret(session.client_secret.as_str())
        .grant_type(GrantType::RefreshToken)
        .refresh_token(refresh.as_str())
        .build()
        .unwrap()
        .to_http(&session.endpoint);
    let refused = CreateToken::parse(call(&mut session, &refresh_request)).unwrap_err();
    assert_eq!(refused.code(), Some(&sso_oidc::ErrorCode::InvalidGrant));
}

#[test]
fn a_refreshed_token_works_at_the_portal() {
    let (mut session, _, refresh) = signed_in(Config::default());
    let refresh_request = CreateToken::builder()
        .client_id(&session.client_id)
        .client_secret(session.client_secret.as_str())
        .grant_type(GrantType::RefreshToken)
        .refresh_token(refresh.as_str())
        .build()
        .unwrap()
        .to_http(&session.endpoint);
    let token = CreateToken::parse(call(&mut session, &refresh_request)).unwrap();
    let response = call(
        &mut session,
        &get("/assignment/accounts", Some(token.access_token.expose())),
    );
    assert_eq!(response.status(), 200);
}

#[test]
fn nothing_secret_reaches_the_log() {
    let (mut session, access, _) = signed_in(Config::default());
    let response = call(
        &mut session,
        &get(
            "/federation/credentials?role_name=ReadOnly&account_id=111122223333",
            Some(&access),
        ),
    );
    let credentials = json(&response)["roleCredentials"].clone();
    call(&mut session, &get("/assignment/accounts", Some(&access)));
    call(&mut session, &logout(&access));

    let log = format!("{:?}", session.service.log());
    for secret in [
        access.as_str(),
        credentials["secretAccessKey"].as_str().unwrap(),
        credentials["sessionToken"].as_str().unwrap(),
    ] {
        assert!(!log.contains(secret), "a secret in the log");
    }
    let entries = session.service.log();
    let last = &entries[entries.len() - 1];
    assert_eq!(last.operation, Some(Operation::Logout));
    assert!(
        last.headers
            .iter()
            .any(|(name, value)| name == BEARER && value == "<masked>")
    );
    assert!(
        entries[entries.len() - 3]
            .uri
            .ends_with("/federation/credentials?role_name=ReadOnly&account_id=111122223333")
    );
}

#[test]
fn portal_paths_do_not_shadow_sso_oidc() {
    let mut service = Service::new(Config::default(), BASE);
    let response = service.handle(&get("/assignment", None), support::start(), wall());
    assert_eq!(response.status(), 404);
    assert_eq!(
        response.headers()["x-amzn-errortype"],
        "UnknownOperationException"
    );
}

/// What a server would send for `request`, faults included.
fn reply(session: &mut Session, request: &http::Request<Vec<u8>>) -> http::Response<Vec<u8>> {
    match session.service.reply(request, session.now, wall()) {
        Reply::Send { response, .. } => {
            let (parts, body) = response.into_parts();
            let ReplyBody::Full(bytes) = body else {
                panic!("a whole body")
            };
            http::Response::from_parts(parts, bytes)
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn throttling_on_a_portal_operation_is_its_modelled_429() {
    let (mut session, access, _) = signed_in(Config::default());
    session.service.inject(
        Fault::Throttling
            .on(Operation::ListAccounts)
            .after(1)
            .once(),
    );
    let accounts = get("/assignment/accounts", Some(&access));
    let roles = get("/assignment/roles?account_id=111122223333", Some(&access));
    assert_eq!(reply(&mut session, &accounts).status(), 200);
    assert_eq!(reply(&mut session, &roles).status(), 200);
    let (status, shape, _) = error(&reply(&mut session, &accounts));
    assert_eq!((status, shape.as_str()), (429, "TooManyRequestsException"));
    assert_eq!(reply(&mut session, &accounts).status(), 200);

    session.service.inject(
        Fault::InternalServerError
            .on(Operation::GetRoleCredentials)
            .once(),
    );
    let response = reply(
        &mut session,
        &get(
            "/federation/credentials?role_name=ReadOnly&account_id=111122223333",
            Some(&access),
        ),
    );
    assert_eq!(error(&response).0, 500);
    let log = session.service.log();
    assert_eq!(log[log.len() - 1].fault, Some(Fault::InternalServerError));
}

#[test]
fn the_portal_answers_on_the_emulators_port_for_a_token_signed_in_there() {
    let emulator = BlockingEmulator::start(Config::default().approve_after_polls(0)).unwrap();
    let config = DeviceFlowConfig::builder()
        .endpoint(Endpoint::from_url(emulator.url()).unwrap())
        .start_url("https://d-1234567890.awsapps.com/start")
        .build()
        .unwrap();
    let mut flow = DeviceFlow::new(config, Instant::now(), SystemTime::now());
    let login = loop {
        match flow.poll(Instant::now()) {
            Action::Send(request) => {
                let response = support::wire::send(emulator.addr(), &request);
                flow.handle_response(response, Instant::now());
            }
            Action::WaitUntil(at) => {
                std::thread::sleep(at.saturating_duration_since(Instant::now()));
            }
            Action::Prompt(_) => {}
            Action::Done(login) => break login,
            Action::Failed(error) => panic!("{error}"),
        }
    };
    let access = login.token.access_token.expose().clone();
    let at = |uri: &str, token: &str| {
        http::Request::get(format!("{}{uri}", emulator.url()))
            .header(BEARER, token)
            .body(Vec::new())
            .unwrap()
    };
    let response = support::wire::send(
        emulator.addr(),
        &at(
            "/federation/credentials?role_name=ReadOnly&account_id=111122223333",
            &access,
        ),
    );
    assert_eq!(response.status(), 200);
    let body: Value = serde_json::from_slice(response.body()).unwrap();
    assert!(body["roleCredentials"]["accessKeyId"].is_string());
    let response = support::wire::send(emulator.addr(), &at("/assignment/accounts", "nope"));
    assert_eq!(response.status(), 401);
    assert!(
        emulator
            .log()
            .iter()
            .flat_map(|request| &request.headers)
            .all(|(_, value)| *value != access)
    );
}

#[test]
fn logout_ends_the_whole_sign_in_and_only_it() {
    let (mut session, first, refresh) = signed_in(Config::default());
    let refresh_with = |session: &Session, token: &str| {
        CreateToken::builder()
            .client_id(&session.client_id)
            .client_secret(session.client_secret.as_str())
            .grant_type(GrantType::RefreshToken)
            .refresh_token(token)
            .build()
            .unwrap()
            .to_http(&session.endpoint)
    };
    // A refresh continues the sign-in: a second access token and a rotated refresh token.
    let request = refresh_with(&session, &refresh);
    let second = CreateToken::parse(call(&mut session, &request)).unwrap();
    // Another sign-in of the same client.
    let device = session.authorize();
    session.service.approve(&device.user_code).unwrap();
    let other = session.poll(&device.device_code, 1).unwrap();

    assert_eq!(call(&mut session, &logout(&first)).status(), 200);
    let accounts = |token: &str| get("/assignment/accounts", Some(token));
    assert_eq!(call(&mut session, &accounts(&first)).status(), 401);
    assert_eq!(
        call(&mut session, &accounts(second.access_token.expose())).status(),
        401
    );
    let request = refresh_with(&session, second.refresh_token.as_ref().unwrap().expose());
    assert!(CreateToken::parse(call(&mut session, &request)).is_err());
    assert_eq!(
        call(&mut session, &accounts(other.access_token.expose())).status(),
        200
    );
    let request = refresh_with(&session, other.refresh_token.as_ref().unwrap().expose());
    assert!(CreateToken::parse(call(&mut session, &request)).is_ok());
}
