//! The command line of a standalone emulator, written once for the two commands that serve
//! one: the `sso-oidc-emulator` binary and `sso-oidc emulator` (feature `command`).
//!
//! [`Options`] are its options, for clap to flatten into a command; [`Server::start`] starts
//! the emulator they describe, and [`Server::run`] serves until told to stop, with the URL on
//! stdout and one line per request on stderr. How to stop (a Ctrl-C handler) and what to say
//! first are the caller's.
//!
//! ```no_run
//! use std::sync::mpsc;
//!
//! use clap::Parser;
//! use sso_oidc_emulator::command::{Options, Server};
//!
//! /// A local SSO OIDC service.
//! #[derive(Parser)]
//! struct Command {
//!     #[command(flatten)]
//!     options: Options,
//! }
//!
//! let command = Command::parse();
//! let server = Server::start(&command.options)?;
//! let intro = format!("Point a client at {}; Ctrl-C stops it.\n", server.url());
//! let (signal, signalled) = mpsc::channel::<()>();
//! // ... hand `signal` to a Ctrl-C handler ...
//! # drop(signal);
//! // Stops on the signal, or when the handler is gone.
//! server.run(&intro, |wait| {
//!     signalled.recv_timeout(wait) != Err(mpsc::RecvTimeoutError::Timeout)
//! });
//! # Ok::<(), sso_oidc_emulator::command::StartError>(())
//! ```

mod options;
mod serve;

pub use options::Options;
pub use serve::{Server, StartError};
