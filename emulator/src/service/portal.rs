//! The SSO portal (`portal.sso.<region>.amazonaws.com`) on the same port as SSO OIDC:
//! GetRoleCredentials, ListAccounts, ListAccountRoles and Logout, answered from the model
//! (`sso/service-2.json`, restJson1) with `serde_json`, as the service answers them.
//!
//! The access token travels in the `x-amz-sso_bearer_token` header and must be one this
//! emulator issued, unexpired and not logged out.

use std::collections::HashMap;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use http::StatusCode;
use serde_json::{Value, json};
use sso_oidc::Operation;

use super::{Service, later, respond};

/// The header that carries the access token.
pub(super) const BEARER_HEADER: &str = "x-amz-sso_bearer_token";

/// The namespace the real portal appends to `x-amzn-ErrorType` and puts before `#` in
/// `__type` (`com.amazonaws.switchboard.portal#UnauthorizedException` in its bodies).
const ERROR_NAMESPACE: &str = "http://internal.amazon.com/coral/com.amazonaws.switchboard.portal/";
const TYPE_PREFIX: &str = "com.amazonaws.switchboard.portal#";

/// What the real portal says of a token it does not know, has expired or was logged out.
const INVALID_SESSION: &str = "Session token not found or invalid";

/// The page size when a request names none. The model only bounds `max_result` (1 to 100).
const DEFAULT_PAGE_SIZE: usize = 20;
/// The model's bounds of `max_result` (`MaxResultType`).
const MAX_PAGE_SIZE: usize = 100;

/// An access token the emulator issued (CreateToken), as the portal knows it.
pub(super) struct Session {
    pub(super) expires_at: Instant,
    /// The sign-in it belongs to (refreshes continue one): Logout ends the sign-in session,
    /// so every access and refresh token of it stops working.
    pub(super) sign_in: u64,
}

/// Where a page left off, by its opaque `nextToken`.
pub(super) struct PageToken {
    operation: Operation,
    /// The account a ListAccountRoles page was for.
    account_id: Option<String>,
    offset: usize,
}

/// The portal's modelled errors (and the one it sends that the model does not list).
#[derive(Clone, Copy, Debug)]
enum PortalError {
    InvalidRequest,
    Unauthorized,
    ResourceNotFound,
    /// Not in the model, but what the real portal answers (403, `No access`) for a role or
    /// account the user is not assigned: botocore shows it as a plain `ClientError` with code
    /// `ForbiddenException`.
    Forbidden,
    MethodNotAllowed,
}

impl PortalError {
    fn shape(self) -> &'static str {
        match self {
            Self::InvalidRequest => "InvalidRequestException",
            Self::Unauthorized => "UnauthorizedException",
            Self::ResourceNotFound => "ResourceNotFoundException",
            Self::Forbidden => "ForbiddenException",
            Self::MethodNotAllowed => "MethodNotAllowedException",
        }
    }

    fn status(self) -> StatusCode {
        match self {
            Self::InvalidRequest => StatusCode::BAD_REQUEST,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::ResourceNotFound => StatusCode::NOT_FOUND,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        }
    }
}

struct Refusal(PortalError, String);

fn refuse(error: PortalError, message: impl Into<String>) -> Refusal {
    Refusal(error, message.into())
}

/// A portal error as the real portal shapes it (restJson1): the model's status, an
/// `x-amzn-ErrorType` header, and a body with the single `message` member plus `__type`.
pub(crate) fn error_response(
    status: StatusCode,
    shape: &str,
    message: &str,
    request_id: &str,
) -> http::Response<Vec<u8>> {
    respond(
        status,
        Some(&format!("{shape}:{ERROR_NAMESPACE}")),
        json!({"message": message, "__type": format!("{TYPE_PREFIX}{shape}")}),
        request_id,
    )
}

/// The query's parameters; the first value of each name wins.
fn query(request_query: &str) -> HashMap<String, String> {
    let mut parameters = HashMap::new();
    for (name, value) in form_urlencoded::parse(request_query.as_bytes()) {
        parameters
            .entry(name.into_owned())
            .or_insert_with(|| value.into_owned());
    }
    parameters
}

/// A required query parameter, present and not blank.
fn required<'a>(parameters: &'a HashMap<String, String>, name: &str) -> Result<&'a str, Refusal> {
    match parameters.get(name) {
        Some(value) if !value.trim().is_empty() => Ok(value),
        _ => Err(refuse(
            PortalError::InvalidRequest,
            format!("Missing required parameter: {name}"),
        )),
    }
}

fn epoch_millis(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

impl Service {
    /// Answers a request to one of the portal's paths (`operation` is one of
    /// [`Operation::PORTAL`]).
    pub(super) fn portal<B: AsRef<[u8]>>(
        &mut self,
        operation: Operation,
        request: &http::Request<B>,
        now: Instant,
        wall: SystemTime,
        request_id: &str,
    ) -> http::Response<Vec<u8>> {
        match self.portal_answer(operation, request, now, wall) {
            Ok(None) => {
                // Logout has no output shape: restJson1 answers 200 with an empty body.
                let mut response = respond(StatusCode::OK, None, Value::Null, request_id);
                response.body_mut().clear();
                response.headers_mut().remove(http::header::CONTENT_TYPE);
                response
            }
            Ok(Some(output)) => respond(StatusCode::OK, None, output, request_id),
            Err(Refusal(error, message)) => {
                error_response(error.status(), error.shape(), &message, request_id)
            }
        }
    }

    fn portal_answer<B>(
        &mut self,
        operation: Operation,
        request: &http::Request<B>,
        now: Instant,
        wall: SystemTime,
    ) -> Result<Option<Value>, Refusal> {
        if request.method() != operation.method() {
            return Err(refuse(
                PortalError::MethodNotAllowed,
                format!("{} is not allowed here", request.method()),
            ));
        }
        // The header is required by the model, yet a missing one is answered 401 like an
        // unknown token, not 400: clients that follow the model (botocore) refuse to send
        // the request at all, and AWS front ends authenticate before they validate input,
        // so a request without a token is one whose session cannot be found.
        let token = request
            .headers()
            .get(BEARER_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let session_ok = self
            .sessions
            .get(&token)
            .is_some_and(|session| now < session.expires_at);
        if !session_ok {
            return Err(refuse(PortalError::Unauthorized, INVALID_SESSION));
        }
        let parameters = query(request.uri().query().unwrap_or(""));
        match operation {
            Operation::GetRoleCredentials => self.get_role_credentials(&parameters, wall).map(Some),
            Operation::ListAccounts => self.list_accounts(&parameters).map(Some),
            Operation::ListAccountRoles => self.list_account_roles(&parameters).map(Some),
            Operation::Logout => {
                if let Some(session) = self.sessions.remove(&token) {
                    self.sessions
                        .retain(|_, other| other.sign_in != session.sign_in);
                    self.refresh_tokens
                        .retain(|_, (_, sign_in)| *sign_in != session.sign_in);
                }
                Ok(None)
            }
            // `Service::answer` sends only the portal's operations here.
            other => Err(refuse(
                PortalError::InvalidRequest,
                format!("{other} is not an operation of the portal"),
            )),
        }
    }

    fn get_role_credentials(
        &mut self,
        parameters: &HashMap<String, String>,
        wall: SystemTime,
    ) -> Result<Value, Refusal> {
        let role_name = required(parameters, "role_name")?;
        let account_id = required(parameters, "account_id")?;
        let assigned = self.config.portal_accounts.iter().any(|account| {
            account.account_id == account_id && account.roles.iter().any(|r| r == role_name)
        });
        if !assigned {
            // What the real portal answers for a role or account the user may not use.
            return Err(refuse(PortalError::Forbidden, "No access"));
        }
        let expiration = later(
            wall,
            self.config.role_credentials_lifetime,
            |time, lifetime| time.checked_add(lifetime),
        );
        Ok(json!({
            "roleCredentials": {
                "accessKeyId": self.random.key_id("ASIA", 16),
                "secretAccessKey": self.random.token("", 40),
                "sessionToken": self.random.token("IQoJb3JpZ2luX2Vj", 340),
                "expiration": epoch_millis(expiration),
            }
        }))
    }

    fn list_accounts(&mut self, parameters: &HashMap<String, String>) -> Result<Value, Refusal> {
        let accounts: Vec<Value> = self
            .config
            .portal_accounts
            .iter()
            .map(|account| {
                json!({
                    "accountId": account.account_id,
                    "accountName": account.account_name,
                    "emailAddress": account.email_address,
                })
            })
            .collect();
        let (page, next_token) =
            self.portal_page(Operation::ListAccounts, None, parameters, accounts)?;
        // The portal, like SSO OIDC, writes absent members as `null`.
        Ok(json!({"accountList": page, "nextToken": next_token}))
    }

    fn list_account_roles(
        &mut self,
        parameters: &HashMap<String, String>,
    ) -> Result<Value, Refusal> {
        let account_id = required(parameters, "account_id")?.to_owned();
        let Some(account) = self
            .config
            .portal_accounts
            .iter()
            .find(|account| account.account_id == account_id)
        else {
            return Err(refuse(
                PortalError::ResourceNotFound,
                "The specified account was not found",
            ));
        };
        let roles: Vec<Value> = account
            .roles
            .iter()
            .map(|role| json!({"roleName": role, "accountId": account.account_id}))
            .collect();
        let (page, next_token) = self.portal_page(
            Operation::ListAccountRoles,
            Some(account_id),
            parameters,
            roles,
        )?;
        Ok(json!({"nextToken": next_token, "roleList": page}))
    }

    /// The page `next_token` and `max_result` ask for, and the token of the next one.
    fn portal_page(
        &mut self,
        operation: Operation,
        account_id: Option<String>,
        parameters: &HashMap<String, String>,
        items: Vec<Value>,
    ) -> Result<(Vec<Value>, Option<String>), Refusal> {
        let size = match parameters.get("max_result") {
            None => DEFAULT_PAGE_SIZE,
            Some(value) => value
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=MAX_PAGE_SIZE).contains(n))
                .ok_or_else(|| {
                    refuse(
                        PortalError::InvalidRequest,
                        format!("max_result must be an integer from 1 to {MAX_PAGE_SIZE}"),
                    )
                })?,
        };
        let offset = match parameters.get("next_token") {
            None => 0,
            Some(token) => match self.page_tokens.get(token) {
                Some(page) if page.operation == operation && page.account_id == account_id => {
                    page.offset
                }
                _ => {
                    return Err(refuse(
                        PortalError::InvalidRequest,
                        "Invalid next token provided",
                    ));
                }
            },
        };
        let end = offset.saturating_add(size).min(items.len());
        let page = items.get(offset..end).unwrap_or_default().to_vec();
        let next_token = (end < items.len()).then(|| {
            let token = self.random.token("", 48);
            self.page_tokens.insert(
                token.clone(),
                PageToken {
                    operation,
                    account_id,
                    offset: end,
                },
            );
            token
        });
        Ok((page, next_token))
    }
}
