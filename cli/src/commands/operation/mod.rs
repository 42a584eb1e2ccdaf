//! `register-client`, `start-device-authorization` and `create-token`: the service's
//! operations as `aws sso-oidc` has them.

pub(crate) mod call;
pub(crate) mod input;
pub(crate) mod python;
pub(crate) mod request;

use request::Request;

use serde_json::{Map, Value};
use sso_oidc_cli_output::{Document, Format, Object, Query};

use crate::args::{Color, GlobalArgs, OperationArgs, Skeleton};
use crate::context::{Context, Env};
use crate::error::CliError;
use crate::model::{self, Kind, Member, OperationSpec};
use crate::terminal::output::render;

/// An operation command: its skeleton, or the call, printed in the chosen format.
///
/// # Errors
/// As [`run`], and a `--query` or an output format that cannot be used.
pub(crate) fn main(
    spec: &'static model::OperationSpec,
    args: &OperationArgs,
    global: GlobalArgs,
    env: Env,
) -> Result<(), CliError> {
    if args.skeleton == Some(Skeleton::Input) {
        // Always JSON, without --query, and no option is required: it is a template to edit.
        let skeleton = skeleton(spec, Skeleton::Input);
        return render(&skeleton, spec.name, Format::Json, None, Color::Off, &env);
    }
    let query = global
        .query
        .as_deref()
        .map(Query::parse)
        .transpose()
        .map_err(CliError::failure)?;
    let context = Context::load(global, env)?;
    let format = context.output()?;
    let response = match args.skeleton {
        // A sample response, formatted as one would be: the options are checked first.
        Some(which) => {
            check(spec, args)?;
            skeleton(spec, which)
        }
        None => run(spec, args, &context)?,
    };
    render(
        &response,
        spec.name,
        format,
        query.as_ref(),
        context.global().color,
        context.env(),
    )
}

/// Calls one operation and returns its response's members in the model's order.
///
/// # Errors
/// Bad options or input JSON, settings that cannot make a client, the service's refusal, a
/// response that cannot be understood, or a transport failure; each worded as the AWS CLI's.
pub(crate) fn run(
    spec: &'static OperationSpec,
    args: &OperationArgs,
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
    let endpoint = context.endpoint()?;
    let client = context.client(endpoint.clone())?;
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

/// The response's members in the model's order, as botocore's parser keeps them: members the
/// model knows, present and not null, nested structures alike.
pub(crate) fn output_members(spec: &OperationSpec, body: &Map<String, Value>) -> Document {
    Document::from(shaped(spec.output, body))
}

/// The members of `object` that `members` names, in their order, nested structures shaped
/// alike.
fn shaped(members: &[Member], object: &Map<String, Value>) -> Object {
    let mut out = Object::new();
    for member in members {
        let Some(value) = object.get(member.name).filter(|v| !v.is_null()) else {
            continue;
        };
        let value = match (member.kind, value) {
            (Kind::Structure(fields), Value::Object(inner)) => {
                Document::from(shaped(fields, inner))
            }
            (Kind::Structures(fields), Value::Array(items)) => Document::from(
                items
                    .iter()
                    .map(|item| match item {
                        Value::Object(inner) => Document::from(shaped(fields, inner)),
                        other => Document::from(other.clone()),
                    })
                    .collect::<Vec<_>>(),
            ),
            (_, other) => Document::from(other.clone()),
        };
        out.insert(member.name, value);
    }
    out
}

/// `--generate-cli-skeleton`: the request's members empty, or the response's as
/// placeholders, as the AWS CLI prints them.
pub(crate) fn skeleton(spec: &OperationSpec, which: Skeleton) -> Document {
    match which {
        Skeleton::Input => Document::from(placeholders(spec.input, which)),
        Skeleton::Output => Document::from(placeholders(spec.output, which)),
    }
}

fn placeholders(members: &[Member], which: Skeleton) -> Object {
    let mut skeleton = Object::new();
    for member in members {
        let value = match (which, member.kind) {
            (_, Kind::Number) => Document::from(0),
            (Skeleton::Input, Kind::String) => Document::from(""),
            (Skeleton::Input, Kind::List) => Document::from(vec![Document::from("")]),
            // The AWS CLI fills in each string with the member's name.
            (Skeleton::Output, Kind::String) => Document::from(member.name),
            (Skeleton::Output, Kind::List) => Document::from(vec![Document::from(member.name)]),
            (_, Kind::Structure(fields)) => Document::from(placeholders(fields, which)),
            (_, Kind::Structures(fields)) => {
                Document::from(vec![Document::from(placeholders(fields, which))])
            }
        };
        skeleton.insert(member.name, value);
    }
    skeleton
}
