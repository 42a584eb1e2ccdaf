//! The SSO portal's four response parsers: `GetRoleCredentials`, `ListAccounts`,
//! `ListAccountRoles` and `Logout`.
//!
//! Input: as the SSO OIDC parsers' ([`Case::read`](crate::fuzz::response::Case::read)), with the
//! portal's error shapes, suffix and namespace in `x-amzn-ErrorType`; a marker for
//! `secretAccessKey` or `sessionToken` goes into `roleCredentials` too.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};
use sso_oidc::portal::{
    AccountRoles, Accounts, ErrorCode, GetRoleCredentials, ListAccountRoles, ListAccounts, Logout,
    RoleCredentials,
};
use sso_oidc::{Error, Operation, RetryPolicy};

use crate::fuzz::check;
use crate::fuzz::response::{Case, Service, ok, parse, retryable_status, shape_of};

/// What the real portal appends to a shape name in `x-amzn-ErrorType`.
pub const ERROR_TYPE_SUFFIX: &str =
    ":http://internal.amazon.com/coral/com.amazonaws.switchboard.portal/";

/// The portal as [`Case::read_for`] reads it.
pub const PORTAL: Service<'static> = Service {
    shapes: &[
        "InvalidRequestException",
        "ResourceNotFoundException",
        "TooManyRequestsException",
        "UnauthorizedException",
    ],
    suffix: ERROR_TYPE_SUFFIX,
    namespace: "com.amazonaws.switchboard.portal",
};

/// Milliseconds from the Unix epoch, as the model's `expiration` (a `long`).
fn epoch_millis(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_millis()).expect("parsed from an i64"),
        Err(before) => -i64::try_from(before.duration().as_millis()).expect("parsed from an i64"),
    }
}

fn credentials_round_trip(out: &RoleCredentials) {
    let body = json!({"roleCredentials": {
        "accessKeyId": out.access_key_id,
        "secretAccessKey": out.secret_access_key.expose(),
        "sessionToken": out.session_token.expose(),
        "expiration": epoch_millis(out.expiration),
    }});
    let again = GetRoleCredentials::parse(ok(body)).expect("written credentials");
    assert_eq!(&again, out);
}

fn accounts_round_trip(out: &Accounts) {
    let list: Vec<Value> = out
        .accounts
        .iter()
        .map(|a| {
            json!({"accountId": a.account_id, "accountName": a.account_name, "emailAddress": a.email_address})
        })
        .collect();
    let again = ListAccounts::parse(ok(
        json!({"accountList": list, "nextToken": out.next_token}),
    ))
    .expect("a written page");
    assert_eq!(&again, out);
}

fn roles_round_trip(out: &AccountRoles) {
    let list: Vec<Value> = out
        .roles
        .iter()
        .map(|r| json!({"roleName": r.role_name, "accountId": r.account_id}))
        .collect();
    let mut body = Map::new();
    body.insert("roleList".into(), Value::Array(list));
    if let Some(token) = &out.next_token {
        body.insert("nextToken".into(), json!(token));
    }
    let again = ListAccountRoles::parse(ok(Value::Object(body))).expect("a written page");
    assert_eq!(&again, out);
}

/// What a portal error promises beyond any parser error's: a portal code, modelled (named by a
/// modelled shape in `x-amzn-ErrorType`, and round-tripping through its names) or `Other` with
/// a short printable name; retried when the status or code says throttling or a transient
/// failure, and a modelled refusal of the request never.
fn portal_error(case: &Case, error: &Error) {
    let Error::Service(service) = error else {
        assert_eq!(error.portal_code(), None);
        return;
    };
    let code = service
        .portal_code()
        .expect("a portal operation's refusal has a portal code");
    assert_eq!(error.portal_code().as_ref(), Some(&code));
    match &code {
        ErrorCode::Other(name) => {
            check::clean_trimmed("portal ErrorCode::Other", name, check::MAX_CODE);
            assert!(
                !ErrorCode::MODELED.iter().any(|m| m.shape_name() == name),
                "a modelled shape name read as Other: {name}"
            );
            assert_eq!(code.http_status(), None);
        }
        modeled => {
            assert!(ErrorCode::MODELED.contains(modeled), "{modeled:?}");
            assert_eq!(&ErrorCode::from_shape_name(modeled.shape_name()), modeled);
            assert!(modeled.http_status().is_some());
        }
    }
    if let Some(shape) = case.error_type.as_deref().and_then(shape_of) {
        let named = ErrorCode::from_shape_name(shape);
        if ErrorCode::MODELED.contains(&named) {
            assert_eq!(code, named, "x-amzn-ErrorType {shape}");
        }
    }
    let retryable = RetryPolicy::is_retryable(error);
    if retryable_status(service.status()) || code == ErrorCode::TooManyRequests {
        assert!(retryable, "{service:?} is not retried");
    } else if ErrorCode::MODELED.contains(&code) {
        assert!(!retryable, "{service:?} is retried");
    }
}

/// The portal's four parsers on any response: for each, what
/// [`register_client`](crate::fuzz::register_client) checks of SSO OIDC's (the same result
/// twice; success only for 2xx; errors that keep the status and operation, refuse a body over
/// the cap, quote a non-2xx body only in a short printable excerpt, and print no secret; outputs
/// whose `Debug` holds no secret and which round-trip), and of every refusal a portal code as
/// the model names it (see `portal_error`). An error status fails all four alike, with the same
/// code; `Logout` accepts every 2xx.
pub fn portal_response(data: &[u8]) {
    let case = Case::read_for(data, &PORTAL);
    let credentials = parse(&case, Operation::GetRoleCredentials, |r| {
        GetRoleCredentials::parse(r)
    });
    if let Ok(out) = &credentials {
        assert!(!out.access_key_id.is_empty());
        assert!(!out.secret_access_key.expose().is_empty());
        assert!(!out.session_token.expose().is_empty());
        credentials_round_trip(out);
    }
    let accounts = parse(&case, Operation::ListAccounts, ListAccounts::parse);
    if let Ok(out) = &accounts {
        assert!(out.accounts.iter().all(|a| !a.account_id.is_empty()));
        assert!(out.next_token.as_deref() != Some(""));
        accounts_round_trip(out);
    }
    let roles = parse(&case, Operation::ListAccountRoles, |r| {
        ListAccountRoles::parse(r)
    });
    if let Ok(out) = &roles {
        assert!(
            out.roles
                .iter()
                .all(|r| !r.role_name.is_empty() && !r.account_id.is_empty())
        );
        roles_round_trip(out);
    }
    let logout = parse(&case, Operation::Logout, Logout::parse);
    let too_large = case.response.body().len() > sso_oidc::MAX_RESPONSE_BODY;
    assert_eq!(
        logout.is_ok(),
        case.status().is_success() && !too_large,
        "{logout:?}"
    );

    let errors = [credentials.err(), accounts.err(), roles.err(), logout.err()];
    for error in errors.iter().flatten() {
        portal_error(&case, error);
    }
    if !case.status().is_success() {
        let codes: Vec<_> = errors
            .iter()
            .map(|e| {
                e.as_ref()
                    .expect("an error status fails every parser")
                    .portal_code()
            })
            .collect();
        assert!(codes.iter().all(|c| *c == codes[0]), "{codes:?}");
    }
}
