//! The options of an operation command, made from the model table: one option per request
//! member, plus `--cli-input-json` and `--generate-cli-skeleton`, and for a paginated
//! operation the AWS CLI's `--starting-token`, `--page-size` and `--max-items`.

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
    /// The AWS CLI's paging options, for a paginated operation.
    pub(crate) paging: Paging,
}

/// The AWS CLI's paging options (`aws help topics pagination`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Paging {
    /// `--starting-token`: a `NextToken` printed by an earlier, truncated command.
    pub(crate) starting_token: Option<String>,
    /// `--page-size`: the page size asked of the service.
    pub(crate) page_size: Option<i64>,
    /// `--max-items`: the most items to print.
    pub(crate) max_items: Option<i64>,
}

impl OperationArgs {
    /// Adds the options of `spec` to a command.
    fn augment(spec: &'static OperationSpec, mut command: clap::Command) -> clap::Command {
        for member in spec.input {
            // Not required as clap sees it (--cli-input-json may hold the member), but marked
            // so in the help, as the AWS CLI's synopsis shows it.
            let help = if spec.requires(member) {
                format!("{} [required]", member.help)
            } else {
                member.help.to_owned()
            };
            let mut arg =
                Arg::new(member.name)
                    .long(member.option)
                    .help(help)
                    .value_name("value")
                    // The AWS CLI keeps the service's own paging members working but out of its
                    // help: --starting-token, --page-size and --max-items take their place.
                    .hide(spec.paginator.is_some_and(|p| {
                        p.input_token == member.name || p.limit_key == member.name
                    }));
            if member.kind == Kind::List {
                arg = arg.num_args(1..).action(ArgAction::Append);
            }
            command = command.arg(arg);
        }
        if spec.paginator.is_some() {
            command = command
                .arg(
                    Arg::new("starting-token")
                        .long("starting-token")
                        .value_name("value")
                        .help(
                            "Where to start: the NextToken an earlier command printed when \
                             --max-items cut its output short.",
                        ),
                )
                .arg(
                    Arg::new("page-size")
                        .long("page-size")
                        .value_name("value")
                        .allow_negative_numbers(true)
                        .value_parser(clap::value_parser!(i64))
                        .help(
                            "How many items to ask the service for in each call; the output \
                             still holds them all, from more calls.",
                        ),
                )
                .arg(
                    Arg::new("max-items")
                        .long("max-items")
                        .value_name("value")
                        .allow_negative_numbers(true)
                        .value_parser(clap::value_parser!(i64))
                        .help(
                            "The most items to print; when there are more, the output ends \
                             with a NextToken to pass to --starting-token.",
                        ),
                );
        }
        // The synopsis names the required options, as the AWS CLI's does.
        let required: Vec<String> = spec
            .input
            .iter()
            .filter(|m| spec.requires(m))
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
                // A number stays text until the request is checked: the AWS CLI reads it
                // then, and says what it could not read.
                _ => {
                    if let Some(value) = matches.get_one::<String>(member.name) {
                        members.insert(member.name.to_owned(), Value::String(value.clone()));
                    }
                }
            }
        }
        let paging = if spec.paginator.is_some() {
            Paging {
                starting_token: matches.get_one::<String>("starting-token").cloned(),
                page_size: matches.get_one::<i64>("page-size").copied(),
                max_items: matches.get_one::<i64>("max-items").copied(),
            }
        } else {
            Paging::default()
        };
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
            paging,
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
    /// The options of `list-accounts`.
    ListAccountsArgs => crate::model::LIST_ACCOUNTS;
    /// The options of `list-account-roles`.
    ListAccountRolesArgs => crate::model::LIST_ACCOUNT_ROLES;
    /// The options of `get-role-credentials`.
    GetRoleCredentialsArgs => crate::model::GET_ROLE_CREDENTIALS;
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
            Some(Command::ListAccounts(a)) => a.0,
            Some(Command::ListAccountRoles(a)) => a.0,
            Some(Command::GetRoleCredentials(a)) => a.0,
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

    #[test]
    fn paginated_operations_take_the_aws_clis_paging_options() {
        let args = parse(&[
            "list-accounts",
            "--starting-token",
            "abc",
            "--page-size",
            "2",
            "--max-items",
            "-1",
            "--max-results",
            "7",
        ]);
        assert_eq!(
            args.paging,
            Paging {
                starting_token: Some("abc".into()),
                page_size: Some(2),
                max_items: Some(-1),
            }
        );
        // Read as the AWS CLI reads it, later.
        assert_eq!(args.members["maxResults"], json!("7"));
        let args = parse(&["list-account-roles", "--account-id", "1"]);
        assert_eq!(args.paging, Paging::default());
        for bad in [
            &["list-accounts", "--page-size", "x"][..],
            &["list-accounts", "--max-items", "1.5"],
            &["get-role-credentials", "--page-size", "1"],
        ] {
            let mut argv = vec!["sso-oidc"];
            argv.extend_from_slice(bad);
            assert!(Cli::try_parse_from(argv).is_err(), "{bad:?}");
        }
    }
}
