//! One operation call: send, retry as the policy allows, and word failures as the AWS CLI.

use serde_json::{Map, Value};
use sso_oidc::{
    CreateToken, RegisterClient, RetryPolicy, StartDeviceAuthorization, TransportErrorKind,
};
use sso_oidc_ureq::{Client, TransportError};

use crate::debug;
use crate::error::CliError;
use crate::model::OperationSpec;

/// Sends `request` until it succeeds or the policy gives up, and returns the response's
/// members.
///
/// # Errors
/// The last failure, worded as the AWS CLI words it.
pub(crate) fn call(
    client: &Client,
    spec: &OperationSpec,
    request: &http::Request<Vec<u8>>,
    policy: RetryPolicy,
) -> Result<Map<String, Value>, CliError> {
    let mut attempts = 0;
    loop {
        attempts += 1;
        debug::request(request);
        let failure = match client.send(request.clone()) {
            Ok(response) => {
                debug::response(&response);
                let body = response.body().clone();
                match parse(spec, response) {
                    Ok(()) => return Ok(members(&body)),
                    Err(error) if RetryPolicy::is_retryable(&error) => Failure::Api(error),
                    Err(error) => return Err(api_error(spec, &error, attempts)),
                }
            }
            Err(error) if error.kind().is_retryable() => Failure::Transport(error),
            Err(error) => return Err(transport_error(&error)),
        };
        if !policy.allows_another(attempts) {
            return Err(match failure {
                Failure::Api(error) => api_error(spec, &error, attempts),
                Failure::Transport(error) => transport_error(&error),
            });
        }
        let wait = policy.backoff(attempts + 1, random_fraction());
        tracing::debug!(attempt = attempts, ?wait, "retrying");
        std::thread::sleep(wait);
    }
}

/// A failure another attempt may get past.
enum Failure {
    Api(sso_oidc::Error),
    Transport(TransportError),
}

/// The core's parser for the operation: it checks the response as the typed API would.
fn parse(spec: &OperationSpec, response: http::Response<Vec<u8>>) -> Result<(), sso_oidc::Error> {
    match spec.name {
        "RegisterClient" => RegisterClient::parse(response).map(drop),
        "StartDeviceAuthorization" => StartDeviceAuthorization::parse(response).map(drop),
        _ => CreateToken::parse(response).map(drop),
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
fn api_error(spec: &OperationSpec, error: &sso_oidc::Error, attempts: u32) -> CliError {
    match error {
        sso_oidc::Error::Service(e) => CliError::failure(format!(
            "An error occurred ({}) when calling the {} operation{}: {}",
            e.code().shape_name(),
            spec.name,
            retries(attempts),
            e.error_description().unwrap_or_default()
        )),
        // botocore names an error without a code by its status, and tells the reason phrase.
        sso_oidc::Error::Parse(e) if !e.status().is_success() => CliError::failure(format!(
            "An error occurred ({}) when calling the {} operation{}: {}",
            e.status().as_u16(),
            spec.name,
            retries(attempts),
            e.status().canonical_reason().unwrap_or_default()
        )),
        other => CliError::failure(format!(
            "The {} operation's response could not be read: {other}",
            spec.name
        )),
    }
}

/// What botocore adds to the message once retries were spent.
fn retries(attempts: u32) -> String {
    if attempts > 1 {
        format!(" (reached max retries: {})", attempts - 1)
    } else {
        String::new()
    }
}

/// The AWS CLI's message for a request that got no usable response.
fn transport_error(error: &TransportError) -> CliError {
    let url = error.url();
    CliError::failure(match error.kind() {
        TransportErrorKind::Connect if !error.to_string().contains("proxy") => {
            format!("Could not connect to the endpoint URL: \"{url}\"")
        }
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

/// A fraction in `[0, 1)` for the retry jitter (std's randomly keyed hasher is random enough
/// to spread retries apart).
fn random_fraction() -> f64 {
    use std::hash::BuildHasher;
    let bits =
        std::collections::hash_map::RandomState::new().hash_one(std::time::SystemTime::now());
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fractions_are_in_range_and_vary() {
        let fractions: Vec<f64> = (0..16).map(|_| random_fraction()).collect();
        assert!(fractions.iter().all(|f| (0.0..1.0).contains(f)));
        assert!(fractions.windows(2).any(|w| w[0] != w[1]));
    }

    #[test]
    fn messages_start_with_a_capital() {
        assert_eq!(capitalized("ssl validation"), "Ssl validation");
        assert_eq!(capitalized(""), "");
    }
}
