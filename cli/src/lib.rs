//! The `sso-oidc` command line: the SSO OIDC service's operations as `aws sso-oidc` has them,
//! and `login`, `logout` and `token` as `aws sso login` works, on the blocking transport.
//!
//! The binary is [`main`]; everything else is private to the crate.

mod args;
mod config;
mod debug;
mod error;
mod login;
mod model;
mod operations;
mod settings;

use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command, GlobalArgs};
use crate::error::CliError;
use crate::settings::{Context, Env};

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
            if !error.message().is_empty() {
                // The AWS CLI v1 sets errors apart with a blank line.
                eprintln!("\n{}", error.message());
            }
            error.code()
        }
    }
}

/// Prints clap's verdict: help and version on stdout (exit 0), usage errors on stderr (2).
fn usage(error: &clap::Error) -> u8 {
    let _ = error.print();
    if error.use_stderr() { error::USAGE } else { 0 }
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
    let load = || Context::load(&global, env.clone());
    let printed = match &command {
        Command::RegisterClient(args) => {
            operations::run(&model::REGISTER_CLIENT, &args.0, &global, load)?
        }
        Command::StartDeviceAuthorization(args) => {
            operations::run(&model::START_DEVICE_AUTHORIZATION, &args.0, &global, load)?
        }
        Command::CreateToken(args) => {
            operations::run(&model::CREATE_TOKEN, &args.0, &global, load)?
        }
        Command::Login(args) => return login::login(args, &global, env.clone()),
        Command::Logout(args) => return login::logout(args, &env),
        Command::Token(args) => return login::token(args, &global, env.clone()),
        Command::Emulator(args) => return login::emulator(args),
    };
    print(&printed, &global, &env)
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

/// Prints an operation's result in the chosen format.
fn print(printed: &operations::Printed, global: &GlobalArgs, env: &Env) -> Result<(), CliError> {
    let text = output_text(printed, global, env)?;
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .or_else(|e| match e.kind() {
            // `| head` closing the pipe is not a failure.
            std::io::ErrorKind::BrokenPipe => Ok(()),
            _ => Err(CliError::failure(format!(
                "could not write the output: {e}"
            ))),
        })
}

fn output_text(
    printed: &operations::Printed,
    global: &GlobalArgs,
    env: &Env,
) -> Result<String, CliError> {
    let _format = Context::load(global, env.clone())?.output(global)?;
    let map: serde_json::Map<String, serde_json::Value> = printed.members.iter().cloned().collect();
    Ok(serde_json::to_string_pretty(&map).unwrap() + "\n")
}
