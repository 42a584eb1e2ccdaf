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
use crate::output::{Document, Object};
use crate::settings::Context;

/// Calls one operation and returns its response's members in the model's order.
///
/// # Errors
/// Bad options or input JSON, settings that cannot make a client, the service's refusal, a
/// response that cannot be understood, or a transport failure; each worded as the AWS CLI's.
pub(crate) fn run(
    spec: &'static OperationSpec,
    args: &OperationArgs,
    global: &GlobalArgs,
    context: &Context,
) -> Result<Document, CliError> {
    // Bad options fail before settings do (a missing region, say), as in the AWS CLI.
    let members = input::members(spec, args)?;
    let request = if *spec == model::REGISTER_CLIENT {
        Request::RegisterClient(input::register_client(&members)?)
    } else if *spec == model::START_DEVICE_AUTHORIZATION {
        Request::StartDeviceAuthorization(input::start_device_authorization(&members)?)
    } else {
        Request::CreateToken(input::create_token(&members)?)
    };
    let endpoint = context.endpoint(global)?;
    let client = context.client(global, endpoint.clone())?;
    let policy = context.retry_policy()?;
    let body = call::call(&client, spec.name, &request, &endpoint, policy)?;
    Ok(output_members(spec, &body))
}

/// Checks the options as a call would, without making it.
///
/// # Errors
/// As [`run`] before it sends anything.
pub(crate) fn check(spec: &OperationSpec, args: &OperationArgs) -> Result<(), CliError> {
    input::members(spec, args).map(drop)
}

/// A checked request of one of the three operations.
pub(crate) enum Request {
    RegisterClient(sso_oidc::RegisterClient),
    StartDeviceAuthorization(sso_oidc::StartDeviceAuthorization),
    CreateToken(sso_oidc::CreateToken),
}

impl Request {
    /// The HTTP request to send to `endpoint`.
    fn to_http(&self, endpoint: &sso_oidc::Endpoint) -> http::Request<Vec<u8>> {
        match self {
            Self::RegisterClient(r) => r.to_http(endpoint),
            Self::StartDeviceAuthorization(r) => r.to_http(endpoint),
            Self::CreateToken(r) => r.to_http(endpoint),
        }
    }

    /// The core's parser for this operation, as a check: what the typed API would refuse is
    /// refused (and retried, or worded as the AWS CLI words it), and what it accepts is kept
    /// as the service sent it, for the output to show every member in the model's order.
    #[expect(
        clippy::redundant_closure,
        reason = "a parser named alone would take a body of one lifetime; the closures take any"
    )]
    fn check(&self) -> sso_oidc::Parser<Vec<u8>> {
        match self {
            Self::RegisterClient(_) => |r| keep_body(r, |r| sso_oidc::RegisterClient::parse(r)),
            Self::StartDeviceAuthorization(_) => {
                |r| keep_body(r, |r| sso_oidc::StartDeviceAuthorization::parse(r))
            }
            Self::CreateToken(_) => |r| keep_body(r, |r| sso_oidc::CreateToken::parse(r)),
        }
    }
}

/// The body of a response that `parse` accepts, as it came.
fn keep_body<T>(
    response: http::Response<Vec<u8>>,
    parse: impl FnOnce(http::Response<&[u8]>) -> Result<T, sso_oidc::Error>,
) -> Result<Vec<u8>, sso_oidc::Error> {
    let (head, body) = response.into_parts();
    parse(http::Response::from_parts(head, body.as_slice()))?;
    Ok(body)
}

/// The response's members in the model's order, as botocore's parser keeps them: members the
/// model knows, present and not null.
fn output_members(spec: &OperationSpec, body: &Map<String, Value>) -> Document {
    let mut members = Object::new();
    for member in spec.output {
        if let Some(value) = body.get(member.name).filter(|v| !v.is_null()) {
            members.insert(member.name, Document::from(value.clone()));
        }
    }
    Document::from(members)
}

/// `--generate-cli-skeleton`: the request's members empty, or the response's as
/// placeholders, as the AWS CLI prints them.
pub(crate) fn skeleton(spec: &OperationSpec, which: Skeleton) -> Document {
    let members = match which {
        Skeleton::Input => spec.input,
        Skeleton::Output => spec.output,
    };
    let mut skeleton = Object::new();
    for member in members {
        let value = match (which, member.kind) {
            (_, Kind::Number) => Document::from(0),
            (Skeleton::Input, Kind::String) => Document::from(""),
            (Skeleton::Input, Kind::List) => Document::from(vec![Document::from("")]),
            // The AWS CLI fills in each string with the member's name.
            (Skeleton::Output, Kind::String) => Document::from(member.name),
            (Skeleton::Output, Kind::List) => Document::from(vec![Document::from(member.name)]),
        };
        skeleton.insert(member.name, value);
    }
    Document::from(skeleton)
}
