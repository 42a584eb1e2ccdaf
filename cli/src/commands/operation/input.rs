//! The request's members: `--cli-input-json` first, the options on top, checked as botocore
//! checks parameters, then handed to the core's request builders.

use serde_json::{Map, Value};
use sso_oidc::{CreateToken, RegisterClient, StartDeviceAuthorization};

use crate::args::OperationArgs;
use crate::commands::operation::python;
use crate::error::CliError;
use crate::model::{Kind, OperationSpec};

/// The members of the request, from `--cli-input-json` and the options, checked as botocore
/// checks them ([`merged`], then [`validate`]).
///
/// # Errors
/// As [`merged`] and [`validate`].
pub(crate) fn members(
    spec: &OperationSpec,
    args: &OperationArgs,
) -> Result<Map<String, Value>, CliError> {
    let members = merged(spec, args)?;
    validate(spec, &members)?;
    Ok(members)
}

/// The members of the request, from `--cli-input-json` and the options on top, each number
/// option read as the AWS CLI reads it.
///
/// # Errors
/// `--cli-input-json` that is not a JSON object or names an unknown member, a file that
/// cannot be read, a number option that is no whole number (Python's `int()` message), or a
/// member the command line requires missing: with no `--cli-input-json`, a usage error naming
/// the options (as argparse does); with it, botocore's parameter validation message.
pub(crate) fn merged(
    spec: &OperationSpec,
    args: &OperationArgs,
) -> Result<Map<String, Value>, CliError> {
    let mut members = match &args.cli_input_json {
        None => Map::new(),
        Some(text) => cli_input_json(spec, text)?,
    };
    for (name, value) in &args.members {
        let number = spec
            .input
            .iter()
            .any(|m| m.name == name.as_str() && m.kind == Kind::Number);
        let value = match value {
            Value::String(text) if number => integer(text)?,
            other => other.clone(),
        };
        members.insert(name.clone(), value);
    }
    let missing: Vec<_> = spec
        .input
        .iter()
        .filter(|m| spec.requires(m) && !members.contains_key(m.name))
        .collect();
    if !missing.is_empty() {
        if args.cli_input_json.is_none() {
            let options: Vec<String> = missing.iter().map(|m| format!("--{}", m.option)).collect();
            return Err(CliError::usage(format!(
                "the following arguments are required: {}",
                options.join(", ")
            )));
        }
        let lines: Vec<String> = missing
            .iter()
            .map(|m| format!("Missing required parameter in input: \"{}\"", m.name))
            .collect();
        return Err(validation(&lines));
    }
    Ok(members)
}

/// A number option as the AWS CLI reads it, with Python's `int()`.
fn integer(text: &str) -> Result<Value, CliError> {
    text.trim().parse::<i64>().map(Value::from).map_err(|_| {
        CliError::failure(format!(
            "invalid literal for int() with base 10: {}",
            python::repr(text)
        ))
    })
}

/// Checks the members' types and ranges as botocore's parameter validation does, before each
/// request is sent.
///
/// # Errors
/// botocore's `Parameter validation failed:` with a line for each problem.
pub(crate) fn validate(spec: &OperationSpec, members: &Map<String, Value>) -> Result<(), CliError> {
    let names: Vec<&str> = spec.input.iter().map(|m| m.name).collect();
    let mut problems: Vec<String> = members
        .keys()
        .filter(|name| !names.contains(&name.as_str()))
        .map(|name| {
            format!(
                "Unknown parameter in input: \"{name}\", must be one of: {}",
                names.join(", ")
            )
        })
        .collect();
    for member in spec.input {
        let Some(value) = members.get(member.name) else {
            continue;
        };
        let fits = match member.kind {
            Kind::String => value.is_string(),
            Kind::List => value
                .as_array()
                .is_some_and(|items| items.iter().all(Value::is_string)),
            Kind::Number => value.is_i64() || value.is_u64(),
            Kind::Structure(_) => value.is_object(),
            Kind::Structures(_) => value
                .as_array()
                .is_some_and(|items| items.iter().all(Value::is_object)),
        };
        if !fits {
            problems.push(format!(
                "Invalid type for parameter {}, value: {}, type: {}, valid types: {}",
                member.name,
                python::str(value),
                python::type_name(value),
                match member.kind {
                    Kind::String => "<class 'str'>",
                    Kind::List => "<class 'list'>, <class 'tuple'> of <class 'str'>",
                    Kind::Number => "<class 'int'>",
                    Kind::Structure(_) => "<class 'dict'>",
                    Kind::Structures(_) => "<class 'list'>, <class 'tuple'>",
                }
            ));
        } else if let (Some(min), Some(number)) = (member.min, value.as_i64())
            && number < min
        {
            problems.push(format!(
                "Invalid value for parameter {}, value: {number}, valid min value: {min}",
                member.name
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(validation(&problems))
    }
}

/// botocore's `ParamValidationError` text.
fn validation(lines: &[String]) -> CliError {
    CliError::failure(format!(
        "Parameter validation failed:\n{}",
        lines.join("\n")
    ))
}

/// Reads `--cli-input-json`: inline JSON, or `file://PATH`.
fn cli_input_json(spec: &OperationSpec, text: &str) -> Result<Map<String, Value>, CliError> {
    let owned;
    let json = match text.strip_prefix("file://") {
        Some(path) => {
            owned = std::fs::read_to_string(path).map_err(|e| {
                CliError::failure(format!(
                    "Error parsing parameter '--cli-input-json': Unable to load paramfile {text}: {e}"
                ))
            })?;
            owned.as_str()
        }
        None => text,
    };
    let value: Value = serde_json::from_str(json).map_err(|e| {
        CliError::failure(format!(
            "Error parsing parameter 'cli-input-json': Invalid JSON received: {e}"
        ))
    })?;
    let Value::Object(object) = value else {
        return Err(CliError::failure(
            "Error parsing parameter 'cli-input-json': the JSON must be an object of the request's members",
        ));
    };
    let unknown: Vec<String> = object
        .keys()
        .filter(|k| !spec.input.iter().any(|m| m.name == k.as_str()))
        .map(|k| {
            let names: Vec<&str> = spec.input.iter().map(|m| m.name).collect();
            format!(
                "Unknown parameter in input: \"{k}\", must be one of: {}",
                names.join(", ")
            )
        })
        .collect();
    if unknown.is_empty() {
        Ok(object)
    } else {
        Err(validation(&unknown))
    }
}

fn text(members: &Map<String, Value>, name: &str) -> Option<String> {
    members.get(name).and_then(Value::as_str).map(str::to_owned)
}

fn list(members: &Map<String, Value>, name: &str) -> Option<Vec<String>> {
    members.get(name).and_then(Value::as_array).map(|items| {
        items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect()
    })
}

/// The core's error for a request it will not build, worded as botocore's validation.
pub(crate) fn build_error(error: sso_oidc::BuildError) -> CliError {
    validation(&[error.to_string()])
}

/// A `RegisterClient` request from checked members.
pub(crate) fn register_client(members: &Map<String, Value>) -> Result<RegisterClient, CliError> {
    let mut builder = RegisterClient::builder();
    if let Some(v) = text(members, "clientName") {
        builder = builder.client_name(v);
    }
    if let Some(v) = text(members, "clientType") {
        builder = builder.client_type(v);
    }
    if let Some(v) = list(members, "scopes") {
        builder = builder.scopes(v);
    }
    if let Some(v) = list(members, "redirectUris") {
        builder = builder.redirect_uris(v);
    }
    if let Some(v) = list(members, "grantTypes") {
        builder = builder.grant_types(v);
    }
    if let Some(v) = text(members, "issuerUrl") {
        builder = builder.issuer_url(v);
    }
    if let Some(v) = text(members, "entitledApplicationArn") {
        builder = builder.entitled_application_arn(v);
    }
    builder.build().map_err(build_error)
}

/// A `StartDeviceAuthorization` request from checked members.
pub(crate) fn start_device_authorization(
    members: &Map<String, Value>,
) -> Result<StartDeviceAuthorization, CliError> {
    let mut builder = StartDeviceAuthorization::builder();
    if let Some(v) = text(members, "clientId") {
        builder = builder.client_id(v);
    }
    if let Some(v) = text(members, "clientSecret") {
        builder = builder.client_secret(v);
    }
    if let Some(v) = text(members, "startUrl") {
        builder = builder.start_url(v);
    }
    builder.build().map_err(build_error)
}

/// A `CreateToken` request from checked members, checked as botocore checks it.
pub(crate) fn create_token(members: &Map<String, Value>) -> Result<CreateToken, CliError> {
    let mut builder = CreateToken::builder();
    if let Some(v) = text(members, "clientId") {
        builder = builder.client_id(v);
    }
    if let Some(v) = text(members, "clientSecret") {
        builder = builder.client_secret(v);
    }
    if let Some(v) = text(members, "grantType") {
        builder = builder.grant_type(v);
    }
    if let Some(v) = text(members, "deviceCode") {
        builder = builder.device_code(v);
    }
    if let Some(v) = text(members, "code") {
        builder = builder.code(v);
    }
    if let Some(v) = text(members, "refreshToken") {
        builder = builder.refresh_token(v);
    }
    if let Some(v) = list(members, "scope") {
        builder = builder.scopes(v);
    }
    if let Some(v) = text(members, "redirectUri") {
        builder = builder.redirect_uri(v);
    }
    if let Some(v) = text(members, "codeVerifier") {
        builder = builder.code_verifier(v);
    }
    // What the model requires, and no more: the service refuses a grant without its members.
    builder.build_lenient().map_err(build_error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CREATE_TOKEN, START_DEVICE_AUTHORIZATION};
    use serde_json::json;

    fn args(members: Value, input: Option<&str>) -> OperationArgs {
        OperationArgs {
            members: members.as_object().unwrap().clone(),
            cli_input_json: input.map(str::to_owned),
            ..OperationArgs::default()
        }
    }

    #[test]
    fn options_win_over_input_json() {
        let merged = members(
            &START_DEVICE_AUTHORIZATION,
            &args(
                json!({"clientId": "cli"}),
                Some(r#"{"clientId": "json", "clientSecret": "s", "startUrl": "https://x"}"#),
            ),
        )
        .unwrap();
        assert_eq!(merged["clientId"], "cli");
        assert_eq!(merged["clientSecret"], "s");
        assert!(start_device_authorization(&merged).is_ok());
    }

    #[test]
    fn missing_members_are_usage_errors_without_input_json() {
        let error = members(&CREATE_TOKEN, &args(json!({"clientId": "c"}), None)).unwrap_err();
        assert_eq!(error.code(), 2);
        assert_eq!(
            error.message(),
            "the following arguments are required: --client-secret, --grant-type"
        );
        let error = members(
            &CREATE_TOKEN,
            &args(json!({}), Some(r#"{"clientId": "c"}"#)),
        )
        .unwrap_err();
        assert_eq!(error.code(), 255);
        assert_eq!(
            error.message(),
            "Parameter validation failed:\nMissing required parameter in input: \"clientSecret\"\n\
             Missing required parameter in input: \"grantType\""
        );
    }

    #[test]
    fn bad_input_json_is_named() {
        let bad = |text: &str| {
            members(&START_DEVICE_AUTHORIZATION, &args(json!({}), Some(text)))
                .unwrap_err()
                .message()
                .to_owned()
        };
        assert!(bad("{").starts_with("Error parsing parameter 'cli-input-json': Invalid JSON"));
        assert!(bad("[]").contains("must be an object"));
        assert!(bad(r#"{"nope": 1, "clientId": "a", "clientSecret": "b", "startUrl": "c"}"#)
            .contains("Unknown parameter in input: \"nope\", must be one of: clientId, clientSecret, startUrl"));
        assert!(
            bad(r#"{"clientId": 1, "clientSecret": "b", "startUrl": "c"}"#)
                .contains("Invalid type for parameter clientId, value: 1")
        );
        assert!(bad("file:///no/such/file.json").contains("Unable to load paramfile"));
    }
}
