//! The `sso-oidc` command line: the SSO OIDC service's operations as `aws sso-oidc` has them,
//! the SSO portal's as `aws sso` has them, `login` and `logout` as `aws sso login` and `aws sso
//! logout` work, `token` and `sessions` on the same cache, on the blocking transport.
//!
//! The binary is [`main`]. The AWS CLI's output formats are the `sso-oidc-cli-output` crate.
//!
//! # Layout
//!
//! A command line goes one way through four folders; no file imports in a circle (the test
//! `tests/no_import_cycles.rs` holds that).
//!
//! ```text
//! src/
//!   lib.rs             run: parse, then hand each command its resolved context
//!   args/              the command line as clap reads it; reads no setting, runs nothing
//!     mod.rs             Cli, the global options, the commands
//!     operation.rs       an operation's options, made from the model table
//!     sso.rs             login, logout, sessions, token and emulator's options
//!   context/           one resolved invocation: options, environment, config file, profile
//!     mod.rs             Context: output format, retry policy, the client
//!     env.rs             the environment snapshot the transport gets too
//!     config_file.rs     ~/.aws/config, read by the core (sso_oidc::config)
//!     endpoint.rs        the region and the endpoints (SSO OIDC, portal), resolved once
//!     sso.rs             which IAM Identity Center instance (the core resolves the
//!                        profile, this words its errors); the cache folder
//!     credentials_cache.rs  the AWS CLI's credential cache folder (~/.aws/cli/cache)
//!   commands/          one module per command
//!     operation/         register-client, start-device-authorization, create-token:
//!                        the members (input.rs), the request (request.rs), the call and
//!                        its AWS CLI wording (call.rs; the transport runs the core's Call)
//!     portal/            list-accounts, list-account-roles, get-role-credentials: the
//!                        requests (request.rs), the AWS CLI's pagination (paginate.rs);
//!                        members and output shapes are operation/'s, and the access
//!                        token, when none is given, token.rs's
//!     login.rs           the device flow, then the cache files
//!     token.rs           a cached token, refreshed when due (for the portal's commands too)
//!     token_files.rs     the token files in the cache, found as aws sso logout finds them
//!     logout/            signs each token out at the portal (revoke.rs), removes it and the
//!                        SSO role credentials
//!     sessions/          lists the cached sign-ins: the config sections naming each token
//!                        file (config.rs), one sign-in as printed (entry.rs)
//!     emulator.rs        emulator, and login --emulator
//!     configure/         configure sso: the questions (or their options), login's sign-in,
//!                        the account and role, the config file edited by the core
//!   terminal/          what a person sees: the prompt, documents on stdout, signals
//!   model.rs model/    the operations' members, from the service models
//!   error.rs debug.rs  exit codes and messages; --debug logging
//! ```

mod args;
mod commands;
mod context;
mod debug;
mod error;
mod model;
mod terminal;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command, ConfigureCommand};
use crate::commands::{configure, emulator, login, logout, operation, portal, sessions};
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
            "a command is required: login, logout, sessions, token, configure sso, emulator, \
             register-client, start-device-authorization, create-token, list-accounts, \
             list-account-roles, get-role-credentials or export-credentials (see --help)",
        ));
    };
    match command {
        Command::RegisterClient(args) => {
            operation::main(&model::REGISTER_CLIENT, &args.0, global, env)
        }
        Command::StartDeviceAuthorization(args) => {
            operation::main(&model::START_DEVICE_AUTHORIZATION, &args.0, global, env)
        }
        Command::CreateToken(args) => operation::main(&model::CREATE_TOKEN, &args.0, global, env),
        Command::ListAccounts(args) => portal::main(&model::LIST_ACCOUNTS, &args.0, global, env),
        Command::ListAccountRoles(args) => {
            portal::main(&model::LIST_ACCOUNT_ROLES, &args.0, global, env)
        }
        Command::GetRoleCredentials(args) => {
            portal::main(&model::GET_ROLE_CREDENTIALS, &args.0, global, env)
        }
        // The config file plays no part: the emulator is the endpoint, the start URL made up.
        Command::Login(args) if args.emulator => {
            emulator::login(&args, &Context::without_config(global, env))
        }
        Command::Login(args) => login::login(&args, &Context::load(global, env)?),
        Command::Logout(args) => logout::logout(&args, &Context::load(global, env)?),
        Command::Sessions(args) => sessions::sessions(&args, &Context::load(global, env)?),
        Command::Token(args) => commands::token::token(&args, &Context::load(global, env)?),
        Command::ExportCredentials(args) => {
            commands::export_credentials::export_credentials(&args, &Context::load(global, env)?)
        }
        Command::Emulator(args) => emulator::serve(&args),
        Command::Configure(args) => match args.command {
            ConfigureCommand::Sso(args) => configure::sso(&args, global, env),
        },
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
