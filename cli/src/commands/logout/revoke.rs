//! Signing a cached token out at the SSO portal, as `aws sso logout` does before it removes
//! the file: `Logout` in the region the record names, at the endpoint the portal's commands
//! would use there (`--endpoint-url`, `AWS_ENDPOINT_URL_SSO`, the profile's `services` and
//! `endpoint_url`, FIPS and dual-stack).
//!
//! How it ends decides what is said, never whether the file goes:
//! - the portal signed the token out: nothing;
//! - the portal refused (a 4xx that retrying would not change, such as the 401 for a token
//!   that has expired already): logged with `--debug`, as the AWS CLI logs its `ClientError`;
//! - the portal could not be reached, kept failing, or the settings kept the call from being
//!   made: a warning on stderr (where the AWS CLI stops with a traceback). An endpoint that
//!   could not be reached is not tried again for the next token.
//!
//! The client is built for the first call, so a cache with nothing to sign out builds none.

use std::collections::HashMap;

use serde_json::{Map, Value};
use sso_oidc::RetryPolicy;
use sso_oidc::portal::Logout;
use sso_oidc_ureq::{Client, Error};

use crate::commands::operation::call;
use crate::context::Context;
use crate::terminal::prompt::err;

/// The operation's name, for the AWS CLI's wording of its errors.
const OPERATION: &str = "Logout";

/// Why a token was not signed out.
enum Failure {
    /// The portal said no, and would say it again: nothing to warn about.
    Refused(String),
    /// No answer, or no call: the token may still be valid at the portal.
    Failed(String),
}

/// The portal's `Logout` calls of one `logout`.
pub(super) struct Portal<'a> {
    context: &'a Context,
    /// The client (with the retry policy), once a call needed it; or why there is none.
    client: Option<Result<Client, String>>,
    /// The endpoints that could not be reached, and how it failed.
    unreachable: HashMap<String, String>,
}

impl<'a> Portal<'a> {
    /// Calls to come, with the settings of `context`.
    pub(super) fn new(context: &'a Context) -> Self {
        Self {
            context,
            client: None,
            unreachable: HashMap::new(),
        }
    }

    /// Signs out the token of a token file's `record` when it names a `region` (the AWS CLI's
    /// test: set and not empty), saying so when that failed (see the module's docs).
    pub(super) fn sign_out(&mut self, record: &Map<String, Value>) {
        let Some(region) = text(record, "region") else {
            return;
        };
        let who = text(record, "startUrl").map_or_else(
            || format!("a cached token in {region}"),
            |url| format!("{url} in {region}"),
        );
        let request = match Logout::builder()
            .access_token(text(record, "accessToken").unwrap_or_default())
            .build()
        {
            Ok(request) => request,
            // A blank or unusable token is valid nowhere.
            Err(error) => {
                tracing::debug!(%error, "no Logout for {who}: no usable access token");
                return;
            }
        };
        match self.send(region, &request) {
            Ok(()) => {}
            Err(Failure::Refused(why)) => {
                tracing::debug!("the SSO portal refused Logout for {who}: {why}");
            }
            Err(Failure::Failed(why)) => err(&warning(&who, &why)),
        }
    }

    /// Sends `request` to the portal in `region`.
    fn send(&mut self, region: &str, request: &Logout) -> Result<(), Failure> {
        let endpoint = self
            .context
            .portal_endpoint_in(region)
            .map_err(|error| Failure::Failed(error.message().to_owned()))?;
        if let Some(why) = self.unreachable.get(endpoint.url()) {
            return Err(Failure::Failed(why.clone()));
        }
        let client = self.client()?;
        let call = client
            .settings()
            .call_for(request.to_http(&endpoint), Logout::parse);
        let Err(error) = client.call(call) else {
            return Ok(());
        };
        let why = call::failure(OPERATION, &error).message().to_owned();
        match &error {
            Error::Api { error, .. } if !RetryPolicy::is_retryable(error) => {
                Err(Failure::Refused(why))
            }
            Error::Transport { .. } => {
                self.unreachable
                    .insert(endpoint.url().to_owned(), why.clone());
                Err(Failure::Failed(why))
            }
            _ => Err(Failure::Failed(why)),
        }
    }

    /// The client, made for the first call.
    fn client(&mut self) -> Result<Client, Failure> {
        let context = self.context;
        self.client
            .get_or_insert_with(|| {
                context
                    .portal_client()
                    .map_err(|error| error.message().to_owned())
            })
            .clone()
            .map_err(Failure::Failed)
    }
}

/// A string member of the record, when set and not empty.
fn text<'r>(record: &'r Map<String, Value>, key: &str) -> Option<&'r str> {
    record
        .get(key)
        .and_then(Value::as_str)
        .filter(|value| !value.is_empty())
}

/// The warning for a token that may still be valid at the portal.
fn warning(who: &str, why: &str) -> String {
    format!(
        "warning: Unable to sign out of the SSO portal for {who} ({why}); the cached token was \
         removed all the same, but may stay valid at the portal until it expires.\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_name_their_region_and_start_url_as_strings() {
        let record: Map<String, Value> = serde_json::from_str(
            r#"{"region": "eu-west-1", "startUrl": "", "accessToken": 7, "x": null}"#,
        )
        .unwrap();
        assert_eq!(text(&record, "region"), Some("eu-west-1"));
        assert_eq!(text(&record, "startUrl"), None, "empty");
        assert_eq!(text(&record, "accessToken"), None, "not a string");
        assert_eq!(text(&record, "x"), None);
        assert_eq!(text(&record, "missing"), None);
        assert_eq!(
            warning("https://x.example/start in eu-west-1", "Could not connect"),
            "warning: Unable to sign out of the SSO portal for https://x.example/start in \
             eu-west-1 (Could not connect); the cached token was removed all the same, but may \
             stay valid at the portal until it expires.\n"
        );
    }
}
