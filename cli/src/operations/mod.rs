//! `register-client`, `start-device-authorization` and `create-token`: the service's
//! operations as `aws sso-oidc` has them.

mod args;
mod call;
mod input;

pub(crate) use args::{
    CreateTokenArgs, OperationArgs, RegisterClientArgs, Skeleton, StartDeviceAuthorizationArgs,
};

use serde_json::{Map, Value};

use crate::args::GlobalArgs;
use crate::error::CliError;
use crate::model::{self, Kind, OperationSpec};
use crate::settings::Context;

/// What an operation command prints: members in the model's order.
#[derive(Debug, PartialEq)]
pub(crate) struct Printed {
    /// The operation, e.g. `CreateToken` (the table's title).
    pub(crate) operation: &'static str,
    /// The members, in the order to print them.
    pub(crate) members: Vec<(String, Value)>,
    /// Whether `--query` and the output format apply (not to a skeleton, always JSON).
    pub(crate) formatted: bool,
}

/// Runs one operation command: a skeleton, or the call with its response's members.
///
/// # Errors
/// Bad options or input JSON, settings that cannot make a client, the service's refusal, a
/// response that cannot be understood, or a transport failure; each worded as the AWS CLI's.
pub(crate) fn run(
    spec: &'static OperationSpec,
    args: &OperationArgs,
    global: &GlobalArgs,
    context: impl FnOnce() -> Result<Context, CliError>,
) -> Result<Printed, CliError> {
    if let Some(which) = args.skeleton {
        return Ok(skeleton(spec, which));
    }
    // Bad options fail before settings do (a missing region, say), as in the AWS CLI.
    let members = input::members(spec, args)?;
    let request = if *spec == model::REGISTER_CLIENT {
        Request::RegisterClient(input::register_client(&members)?)
    } else if *spec == model::START_DEVICE_AUTHORIZATION {
        Request::StartDeviceAuthorization(input::start_device_authorization(&members)?)
    } else {
        Request::CreateToken(input::create_token(&members)?)
    };
    let context = context()?;
    let endpoint = context.endpoint(global)?;
    let client = context.client(global, endpoint.clone())?;
    let policy = context.retry_policy()?;
    let body = call::call(&client, spec, &request.to_http(&endpoint), policy)?;
    Ok(Printed {
        operation: spec.name,
        members: output_members(spec, &body),
        formatted: true,
    })
}

/// A checked request of one of the three operations.
enum Request {
    RegisterClient(sso_oidc::RegisterClient),
    StartDeviceAuthorization(sso_oidc::StartDeviceAuthorization),
    CreateToken(sso_oidc::CreateToken),
}

impl Request {
    fn to_http(&self, endpoint: &sso_oidc::Endpoint) -> http::Request<Vec<u8>> {
        match self {
            Self::RegisterClient(r) => r.to_http(endpoint),
            Self::StartDeviceAuthorization(r) => r.to_http(endpoint),
            Self::CreateToken(r) => r.to_http(endpoint),
        }
    }
}

/// The response's members in the model's order, as botocore's parser keeps them: members the
/// model knows, present and not null.
fn output_members(spec: &OperationSpec, body: &Map<String, Value>) -> Vec<(String, Value)> {
    spec.output
        .iter()
        .filter_map(|m| {
            let value = body.get(m.name)?;
            (!value.is_null()).then(|| (m.name.to_owned(), value.clone()))
        })
        .collect()
}

/// `--generate-cli-skeleton`: the request's members empty, or the response's as
/// placeholders, as the AWS CLI prints them.
fn skeleton(spec: &OperationSpec, which: Skeleton) -> Printed {
    let members = match which {
        Skeleton::Input => spec.input,
        Skeleton::Output => spec.output,
    };
    Printed {
        operation: spec.name,
        members: members
            .iter()
            .map(|m| {
                let value = match (which, m.kind) {
                    (_, Kind::Number) => Value::from(0),
                    (Skeleton::Input, Kind::String) => Value::from(""),
                    (Skeleton::Input, Kind::List) => Value::from(vec![""]),
                    (Skeleton::Output, Kind::String) => Value::from("string"),
                    (Skeleton::Output, Kind::List) => Value::from(vec!["string"]),
                };
                (m.name.to_owned(), value)
            })
            .collect(),
        formatted: false,
    }
}
