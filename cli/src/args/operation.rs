//! The options of an operation command, made from the model table: one option per request
//! member, plus `--cli-input-json` and `--generate-cli-skeleton`.

use clap::{Arg, ArgAction, ArgMatches, Args, FromArgMatches};
use serde_json::{Map, Value};

use crate::model::{Kind, OperationSpec};

/// What `--generate-cli-skeleton` asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Skeleton {
    /// The request's members, empty: a template for `--cli-input-json`.
    Input,
    /// The response's members, as placeholders.
    Output,
}

/// The parsed options of one operation command.
#[derive(Clone, Debug, Default)]
pub(crate) struct OperationArgs {
    /// The members given as options, by wire name.
    pub(crate) members: Map<String, Value>,
    /// `--cli-input-json`: JSON text, or `file://PATH`.
    pub(crate) cli_input_json: Option<String>,
    /// `--generate-cli-skeleton`.
    pub(crate) skeleton: Option<Skeleton>,
}

impl OperationArgs {
    /// Adds the options of `spec` to a command.
    fn augment(spec: &'static OperationSpec, mut command: clap::Command) -> clap::Command {
        for member in spec.input {
            // Not required as clap sees it (--cli-input-json may hold the member), but marked
            // so in the help, as the AWS CLI's synopsis shows it.
            let help = if member.required {
                format!("{} [required]", member.help)
            } else {
                member.help.to_owned()
            };
            let mut arg = Arg::new(member.name)
                .long(member.option)
                .help(help)
                .value_name("value");
            if member.kind == Kind::List {
                arg = arg.num_args(1..).action(ArgAction::Append);
            }
            command = command.arg(arg);
        }
        // The synopsis names the required options, as the AWS CLI's does.
        let required: Vec<String> = spec
            .input
            .iter()
            .filter(|m| m.required)
            .map(|m| format!("--{} <value>", m.option))
            .collect();
        let usage = format!(
            "sso-oidc {} {} [OPTIONS]",
            command.get_name(),
            required.join(" ")
        );
        command
            .override_usage(usage.replace("  ", " "))
            .arg(
                Arg::new("cli-input-json")
                    .long("cli-input-json")
                    .value_name("JSON")
                    .help(
                        "The request as JSON (or file://PATH to read it from a file); options \
                         on the command line win over its members.",
                    ),
            )
            .arg(
                Arg::new("generate-cli-skeleton")
                    .long("generate-cli-skeleton")
                    .value_name("input|output")
                    .num_args(0..=1)
                    .default_missing_value("input")
                    .value_parser(["input", "output"])
                    .help(
                        "Print a JSON template of the request (input, the default) or the \
                         response (output) instead of calling the service.",
                    ),
            )
    }

    /// Reads the options of `spec` from what clap matched.
    fn read(spec: &OperationSpec, matches: &ArgMatches) -> Self {
        let mut members = Map::new();
        for member in spec.input {
            match member.kind {
                Kind::List => {
                    if let Some(values) = matches.get_many::<String>(member.name) {
                        members.insert(member.name.to_owned(), list(values.cloned().collect()));
                    }
                }
                Kind::String | Kind::Number => {
                    if let Some(value) = matches.get_one::<String>(member.name) {
                        members.insert(member.name.to_owned(), Value::String(value.clone()));
                    }
                }
            }
        }
        let skeleton =
            matches
                .get_one::<String>("generate-cli-skeleton")
                .map(|s| match s.as_str() {
                    "output" => Skeleton::Output,
                    _ => Skeleton::Input,
                });
        Self {
            members,
            cli_input_json: matches.get_one::<String>("cli-input-json").cloned(),
            skeleton,
        }
    }
}

/// A list option's value: its words, or one JSON list (`--scopes '["a","b"]'`), as the AWS
/// CLI takes either.
fn list(words: Vec<String>) -> Value {
    if let [only] = words.as_slice()
        && only.trim_start().starts_with('[')
        && let Ok(Value::Array(items)) = serde_json::from_str(only)
    {
        return Value::Array(items);
    }
    Value::Array(words.into_iter().map(Value::String).collect())
}

/// A clap `Args` type for each operation, each made from its model table.
macro_rules! operation_args {
    ($($(#[$doc:meta])* $name:ident => $spec:path;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Debug, Default)]
        pub(crate) struct $name(pub(crate) OperationArgs);

        impl FromArgMatches for $name {
            fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
                Ok(Self(OperationArgs::read(&$spec, matches)))
            }

            fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
                *self = Self::from_arg_matches(matches)?;
                Ok(())
            }
        }

        impl Args for $name {
            fn augment_args(command: clap::Command) -> clap::Command {
                OperationArgs::augment(&$spec, command)
            }

            fn augment_args_for_update(command: clap::Command) -> clap::Command {
                Self::augment_args(command)
            }
        }
    )*};
}

operation_args! {
    /// The options of `register-client`.
    RegisterClientArgs => crate::model::REGISTER_CLIENT;
    /// The options of `start-device-authorization`.
    StartDeviceAuthorizationArgs => crate::model::START_DEVICE_AUTHORIZATION;
    /// The options of `create-token`.
    CreateTokenArgs => crate::model::CREATE_TOKEN;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::{Cli, Command};
    use clap::Parser;
    use serde_json::json;

    fn parse(args: &[&str]) -> OperationArgs {
        let mut argv = vec!["sso-oidc"];
        argv.extend_from_slice(args);
        match Cli::try_parse_from(argv).unwrap().command {
            Some(Command::RegisterClient(a)) => a.0,
            Some(Command::StartDeviceAuthorization(a)) => a.0,
            Some(Command::CreateToken(a)) => a.0,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn members_lists_and_skeletons() {
        let args = parse(&[
            "register-client",
            "--client-name",
            "demo",
            "--scopes",
            "a",
            "b",
            "--client-type",
            "public",
        ]);
        assert_eq!(
            Value::Object(args.members),
            json!({"clientName": "demo", "clientType": "public", "scopes": ["a", "b"]})
        );
        let args = parse(&["create-token", "--scope", r#"["x","y"]"#]);
        assert_eq!(args.members["scope"], json!(["x", "y"]));
        assert_eq!(
            parse(&["create-token", "--generate-cli-skeleton"]).skeleton,
            Some(Skeleton::Input)
        );
        assert_eq!(
            parse(&["create-token", "--generate-cli-skeleton", "output"]).skeleton,
            Some(Skeleton::Output)
        );
        let args = parse(&["start-device-authorization", "--cli-input-json", "{}"]);
        assert_eq!(args.cli_input_json.as_deref(), Some("{}"));
        assert!(
            Cli::try_parse_from(["sso-oidc", "create-token", "--generate-cli-skeleton", "x"])
                .is_err()
        );
    }
}
