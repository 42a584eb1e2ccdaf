//! One operation call: the transport runs the core's retried [`Call`], and this file words
//! how it ended as the AWS CLI does.

use serde_json::{Map, Value};
use sso_oidc::{Call, Endpoint, RetryPolicy, TransportErrorKind};
use sso_oidc_transport::jitter_seed;
use sso_oidc_ureq::{Client, Detail, Error, TransportError};

use crate::commands::operation::request::Request;
use crate::error::CliError;

/// Sends `request` to `endpoint` until it succeeds or the policy gives up (the core's
/// [`Call`] decides, the client waits), and returns the response's members.
///
/// # Errors
/// The last failure, worded as the AWS CLI words it.
pub(crate) fn call(
    client: &Client,
    operation: &str,
    request: &Request,
    endpoint: &Endpoint,
    policy: RetryPolicy,
) -> Result<Map<String, Value>, CliError> {
    let call = Call::new(
        request.to_http(endpoint),
        request.check(),
        policy,
        jitter_seed(),
    );
    run(client, operation, call)
}

/// Runs `call` of `operation` (a parser that keeps the body, such as
/// [`Request::check`]'s) and returns the response's members.
///
/// # Errors
/// The last failure, worded as the AWS CLI words it.
pub(crate) fn run(
    client: &Client,
    operation: &str,
    call: Call<Vec<u8>>,
) -> Result<Map<String, Value>, CliError> {
    client
        .call(call)
        .map(|body| members(&body))
        .map_err(|error| failed(operation, error))
}

/// How a call of `operation` (the client's own, such as `list_accounts_all`, or a [`Call`])
/// ended, worded as the AWS CLI words it.
pub(crate) fn failed(operation: &str, error: Error) -> CliError {
    match error {
        Error::Api { error, attempts } => api_error(operation, &error, attempts),
        Error::Transport { error, .. } => transport_error(&error),
        // A new call that nothing cancels ends in neither of the others.
        other => CliError::failure(capitalized(&other.to_string())),
    }
}

/// The members of a body the core has parsed (so it is a JSON object).
fn members(body: &[u8]) -> Map<String, Value> {
    match serde_json::from_slice(body) {
        Ok(Value::Object(members)) => members,
        _ => Map::new(),
    }
}

/// The AWS CLI's message for an error the service returned, or ours for an answer it could
/// not understand (where the AWS CLI would print nothing and exit 0).
fn api_error(operation: &str, error: &sso_oidc::Error, attempts: u32) -> CliError {
    match error {
        sso_oidc::Error::Service(e) => CliError::failure(format!(
            "An error occurred ({}) when calling the {} operation{}: {}",
            e.code().shape_name(),
            operation,
            retries(error, attempts),
            e.error_description().unwrap_or_default()
        )),
        // botocore names an error without a code by its status, and tells the reason phrase.
        sso_oidc::Error::Parse(e) if !e.status().is_success() => CliError::failure(format!(
            "An error occurred ({}) when calling the {} operation{}: {}",
            e.status().as_u16(),
            operation,
            retries(error, attempts),
            e.status().canonical_reason().unwrap_or_default()
        )),
        other => CliError::failure(format!(
            "The {operation} operation's response could not be read: {other}"
        )),
    }
}

/// What botocore adds to the message when it gave up on an error it would have retried: the
/// retries it made, none at all with `AWS_MAX_ATTEMPTS=1` ("(reached max retries: 0)"). An
/// error it never retries gets nothing, whatever came before it.
fn retries(error: &sso_oidc::Error, attempts: u32) -> String {
    if RetryPolicy::is_retryable(error) {
        format!(" (reached max retries: {})", attempts.saturating_sub(1))
    } else {
        String::new()
    }
}

/// The AWS CLI's message for a request that got no usable response.
fn transport_error(error: &TransportError) -> CliError {
    let url = error.url();
    CliError::failure(match error.kind() {
        // The AWS CLI's words, and for a name that does not resolve (a typo in the region)
        // ours after them: botocore says only that it could not connect.
        TransportErrorKind::Connect if error.proxy().is_none() => match error.detail() {
            Detail::Resolve { .. } => capitalized(&error.to_string()),
            _ => format!("Could not connect to the endpoint URL: \"{url}\""),
        },
        TransportErrorKind::Timeout if error.is_connect_timeout() => {
            format!("Connect timeout on endpoint URL: \"{url}\"")
        }
        TransportErrorKind::Timeout => format!("Read timeout on endpoint URL: \"{url}\""),
        TransportErrorKind::Io => format!(
            "Connection was closed before we received a valid response from endpoint URL: \"{url}\"."
        ),
        _ => capitalized(&error.to_string()),
    })
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_start_with_a_capital() {
        assert_eq!(capitalized("ssl validation"), "Ssl validation");
        assert_eq!(capitalized(""), "");
    }
}
