//! The portal's requests, made by the core's builders from checked members, as calls the
//! transport runs.

use serde_json::{Map, Value};
use sso_oidc::portal::{Endpoint, GetRoleCredentials, ListAccountRoles, ListAccounts};
use sso_oidc::{Call, Parser, RetryPolicy, Secret};
use sso_oidc_transport::jitter_seed;

use crate::commands::operation::input::build_error;
use crate::commands::operation::request::keep_body;
use crate::error::CliError;
use crate::model::{GET_ROLE_CREDENTIALS, LIST_ACCOUNT_ROLES, LIST_ACCOUNTS, OperationSpec};

/// The call of `spec` with `members` and the access token, to `endpoint`: its parser checks
/// the answer as the typed API would, and keeps the body for the output.
///
/// # Errors
/// A request the core will not build (a blank member, `maxResults` over 100), worded as
/// botocore's parameter validation.
#[expect(
    clippy::redundant_closure,
    reason = "a parser named alone would take a body of one lifetime; the closures take any"
)]
pub(crate) fn call(
    spec: &OperationSpec,
    members: &Map<String, Value>,
    token: &Secret,
    endpoint: &Endpoint,
    policy: RetryPolicy,
) -> Result<Call<Vec<u8>>, CliError> {
    let text = |name: &str| members.get(name).and_then(Value::as_str).map(str::to_owned);
    // The model's bounds are the core's to check: a number past u32 is past them too.
    let max_results = members
        .get("maxResults")
        .and_then(Value::as_i64)
        .map(|n| u32::try_from(n).unwrap_or(u32::MAX));
    let (request, parser): (_, Parser<Vec<u8>>) = if *spec == LIST_ACCOUNTS {
        let mut builder = ListAccounts::builder().access_token(token);
        if let Some(next) = text("nextToken") {
            builder = builder.next_token(next);
        }
        if let Some(max) = max_results {
            builder = builder.max_results(max);
        }
        let request = builder.build().map_err(build_error)?;
        (request.to_http(endpoint), |r| {
            keep_body(r, |r| ListAccounts::parse(r))
        })
    } else if *spec == LIST_ACCOUNT_ROLES {
        let mut builder = ListAccountRoles::builder().access_token(token);
        if let Some(account) = text("accountId") {
            builder = builder.account_id(account);
        }
        if let Some(next) = text("nextToken") {
            builder = builder.next_token(next);
        }
        if let Some(max) = max_results {
            builder = builder.max_results(max);
        }
        let request = builder.build().map_err(build_error)?;
        (request.to_http(endpoint), |r| {
            keep_body(r, |r| ListAccountRoles::parse(r))
        })
    } else {
        debug_assert_eq!(*spec, GET_ROLE_CREDENTIALS);
        let mut builder = GetRoleCredentials::builder().access_token(token);
        if let Some(role) = text("roleName") {
            builder = builder.role_name(role);
        }
        if let Some(account) = text("accountId") {
            builder = builder.account_id(account);
        }
        let request = builder.build().map_err(build_error)?;
        (request.to_http(endpoint), |r| {
            keep_body(r, |r| GetRoleCredentials::parse(r))
        })
    };
    Ok(Call::new(request, parser, policy, jitter_seed()))
}
