//! `sso-oidc-emulator`: a local AWS IAM Identity Center OIDC service for tests and demos.
//!
//! Prints its base URL on the first line of standard output, then one line per request on
//! standard error, until Ctrl-C. The options and the loop are the library's
//! `sso_oidc_emulator::command`, shared with `sso-oidc emulator`.

use std::process::ExitCode;
use std::sync::mpsc;

use clap::Parser;
use sso_oidc_emulator::command::{Options, Server};

/// A local AWS IAM Identity Center OIDC (SSO OIDC) service, for tests and demos.
///
/// Point a client at the URL it prints (e.g. `aws sso-oidc ... --endpoint-url URL`), then
/// approve or deny each sign-in on its verification page, URL/device.
#[derive(Debug, Parser)]
#[command(name = "sso-oidc-emulator", version)]
struct Args {
    #[command(flatten)]
    options: Options,
}

fn main() -> ExitCode {
    let args = Args::parse();
    // In place before the URL is out: whoever reads it may send Ctrl-C at once.
    let (signal, signalled) = mpsc::channel();
    let handled = ctrlc::set_handler(move || {
        let _ = signal.send(());
    })
    .is_ok();
    let server = match Server::start(&args.options) {
        Ok(server) => server,
        Err(error) => {
            eprintln!("sso-oidc-emulator: {error}");
            return ExitCode::FAILURE;
        }
    };
    let url = server.url();
    #[cfg(feature = "tls")]
    let ca_bundle = server
        .ca_file()
        .map(|file| format!(" --ca-bundle {}", file.display()))
        .unwrap_or_default();
    #[cfg(not(feature = "tls"))]
    let ca_bundle = "";
    let intro = format!(
        "SSO OIDC emulator on {url}\n  verification page: {url}/device\n  \
         e.g. aws sso-oidc register-client --client-name demo --client-type public \
         --endpoint-url {url} --region us-east-1{ca_bundle}\nCtrl-C stops it.\n"
    );
    server.run(&intro, |wait| {
        if handled {
            signalled.recv_timeout(wait).is_ok()
        } else {
            // No handler (the platform refused one): Ctrl-C ends the process as it would anyway.
            std::thread::sleep(wait);
            false
        }
    });
    ExitCode::SUCCESS
}
