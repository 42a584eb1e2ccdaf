//! The `sso-oidc` command line: the SSO OIDC service's operations as `aws sso-oidc` has them,
//! and `login`, `logout` and `token` as `aws sso login` works, on the blocking transport.
//!
//! The binary is [`main`]. The AWS CLI's output formats are the `sso-oidc-cli-output` crate.

mod args;
mod commands;
mod context;
mod debug;
mod error;
mod model;
mod terminal;

/// Ways in for the fuzz targets in `fuzz/` and their replay test: **not part of the stable
/// API**, and it may change or go away in any release.
#[doc(hidden)]
pub mod fuzzing {
    use std::collections::BTreeMap;

    /// The settings of one config file section, keys in lower case.
    pub type Settings = BTreeMap<String, String>;

    /// A config file as the command line reads it.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    #[non_exhaustive]
    pub struct Config {
        /// `[default]` and `[profile NAME]`, by profile name.
        pub profiles: BTreeMap<String, Settings>,
        /// `[sso-session NAME]`, by session name.
        pub sso_sessions: BTreeMap<String, Settings>,
        /// `[services NAME]`, by name.
        pub services: BTreeMap<String, Settings>,
    }

    /// Parses the text of an AWS config file as `sso-oidc` reads `~/.aws/config`.
    ///
    /// # Errors
    /// The line number (from 1) and what is wrong with it, for a file the AWS CLI would refuse.
    pub fn parse_config(text: &str) -> Result<Config, (usize, &'static str)> {
        let [profiles, sso_sessions, services] =
            crate::context::ConfigFile::parse(text)?.into_sections();
        Ok(Config {
            profiles,
            sso_sessions,
            services,
        })
    }

    /// The value of `key` in a nested setting (`parent =` followed by indented `key = value`
    /// lines), as the command line reads `services` sections.
    pub fn nested<'a>(value: &'a str, key: &str) -> Option<&'a str> {
        crate::context::nested(value, key)
    }
}

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use sso_oidc_cli_output::{DEFAULT_TERMINAL_WIDTH, Document, Format, Options, Query};

use crate::args::{Cli, Color, Command, GlobalArgs, OperationArgs, Skeleton};
use crate::commands::{emulator, login, logout, operation};
use crate::context::{Context, Env};
use crate::error::CliError;

/// Runs the command line of this process and returns its exit code.
pub fn main() -> ExitCode {
    let code = run(std::env::args_os(), Env::from_process());
    ExitCode::from(code)
}

/// Runs one command line; what it prints goes to stdout and stderr.
fn run(argv: impl IntoIterator<Item = OsString>, env: Env) -> u8 {
    let cli = match Cli::try_parse_from(argv) {
        Ok(cli) => cli,
        Err(error) => return usage(&error),
    };
    debug::init(cli.global.debug);
    match execute(cli, env) {
        Ok(()) => 0,
        Err(error) => {
            eprint!("{}", error.stderr());
            error.code()
        }
    }
}

/// Prints clap's verdict: help and version on stdout (exit 0), usage errors on stderr (2).
fn usage(error: &clap::Error) -> u8 {
    let _ = error.print();
    match error.kind() {
        // argparse takes unknown options as "Unknown options: ...", which the AWS CLI turns
        // into its general failure.
        clap::error::ErrorKind::UnknownArgument => error::FAILURE,
        _ if error.use_stderr() => error::USAGE,
        _ => 0,
    }
}

fn execute(cli: Cli, env: Env) -> Result<(), CliError> {
    let global = cli.global;
    if global.version {
        println!("{}", version());
        return Ok(());
    }
    let Some(command) = cli.command else {
        return Err(CliError::usage(
            "a command is required: login, logout, token, emulator, register-client, start-device-authorization or create-token (see --help)",
        ));
    };
    match command {
        Command::RegisterClient(args) => {
            run_operation(&model::REGISTER_CLIENT, &args.0, global, env)
        }
        Command::StartDeviceAuthorization(args) => {
            run_operation(&model::START_DEVICE_AUTHORIZATION, &args.0, global, env)
        }
        Command::CreateToken(args) => run_operation(&model::CREATE_TOKEN, &args.0, global, env),
        // The config file plays no part: the emulator is the endpoint, the start URL made up.
        Command::Login(args) if args.emulator => {
            emulator::login(&args, &Context::without_config(global, env))
        }
        Command::Login(args) => login::login(&args, &Context::load(global, env)?),
        Command::Logout(args) => logout::logout(&args, &env),
        Command::Token(args) => commands::token::token(&args, &Context::load(global, env)?),
        Command::Emulator(args) => emulator::serve(&args),
    }
}

/// An operation command: its skeleton, or the call, printed in the chosen format.
fn run_operation(
    spec: &'static model::OperationSpec,
    args: &OperationArgs,
    global: GlobalArgs,
    env: Env,
) -> Result<(), CliError> {
    if args.skeleton == Some(Skeleton::Input) {
        // Always JSON, without --query, and no option is required: it is a template to edit.
        let skeleton = operation::skeleton(spec, Skeleton::Input);
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
            operation::check(spec, args)?;
            operation::skeleton(spec, which)
        }
        None => operation::run(spec, args, &context)?,
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

/// Renders a document and writes it to stdout; on a formatting error, what the AWS CLI had
/// printed by then, and the error.
fn render(
    document: &Document,
    operation: &str,
    format: Format,
    query: Option<&Query>,
    color: Color,
    env: &Env,
) -> Result<(), CliError> {
    let terminal = std::io::stdout().is_terminal();
    // The AWS CLI sizes tables to the terminal; piped, to 80 columns.
    let width = if terminal {
        env.get("COLUMNS")
            .and_then(|c| c.parse().ok())
            .unwrap_or(DEFAULT_TERMINAL_WIDTH)
    } else {
        DEFAULT_TERMINAL_WIDTH
    };
    let options = Options::new(format, operation)
        .query(query)
        .terminal_width(width)
        .colored(colored(color, terminal, env));
    match sso_oidc_cli_output::render(document, &options) {
        Ok(text) => write(&text),
        Err(error) => {
            write(error.printed())?;
            Err(CliError::failure(error))
        }
    }
}

/// Whether tables are coloured: as the AWS CLI decides (`auto` is on for a terminal), except
/// that a non-empty `NO_COLOR` (no-color.org) turns `auto` off.
fn colored(color: Color, terminal: bool, env: &Env) -> bool {
    match color {
        Color::On => true,
        Color::Off => false,
        Color::Auto => terminal && env.get("NO_COLOR").is_none(),
    }
}

/// `--version`, in the AWS CLI's `tool/version` form.
fn version() -> String {
    format!(
        "sso-oidc/{} sso-oidc-ureq/{} {}/{}",
        env!("CARGO_PKG_VERSION"),
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

/// Writes to stdout; a closed pipe (`| head`) is not a failure.
fn write(text: &str) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .or_else(|e| match e.kind() {
            std::io::ErrorKind::BrokenPipe => Ok(()),
            _ => Err(CliError::failure(format!(
                "could not write the output: {e}"
            ))),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_coloured_as_the_aws_cli_decides_unless_no_color() {
        let plain = Env::of(&[]);
        let no_color = Env::of(&[("NO_COLOR", "1")]);
        let blank = Env::of(&[("NO_COLOR", "")]);
        for (color, terminal, env, expected) in [
            (Color::On, false, &plain, true),
            (Color::On, true, &no_color, true),
            (Color::Off, true, &plain, false),
            (Color::Auto, true, &plain, true),
            (Color::Auto, false, &plain, false),
            (Color::Auto, true, &no_color, false),
            (Color::Auto, true, &blank, true),
        ] {
            assert_eq!(
                colored(color, terminal, env),
                expected,
                "{color:?} {terminal}"
            );
        }
    }
}
