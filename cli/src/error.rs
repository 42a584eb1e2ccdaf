//! How a command fails: the message for stderr and the exit code, as the AWS CLI has them.

use std::fmt;

/// The AWS CLI's exit code for a usage error (argparse's).
pub(crate) const USAGE: u8 = 2;
/// The AWS CLI's exit code for every other failure: a service error, a connection failure, a
/// bad setting.
pub(crate) const FAILURE: u8 = 255;
/// The exit code after Ctrl-C: 128 + SIGINT, as the AWS CLI and shells have it.
pub(crate) const INTERRUPTED: u8 = 130;

/// A command that failed, with what to print on stderr.
#[derive(Debug)]
pub(crate) struct CliError {
    code: u8,
    message: String,
    /// Whether a blank line comes first, as the AWS CLI prints most errors.
    set_apart: bool,
}

impl CliError {
    /// A failure (exit code 255) with this message.
    pub(crate) fn failure(message: impl fmt::Display) -> Self {
        Self {
            code: FAILURE,
            message: message.to_string(),
            set_apart: true,
        }
    }

    /// A failure (exit code 255) printed without the blank line before it, as the AWS CLI
    /// prints a missing region.
    pub(crate) fn bare(message: impl fmt::Display) -> Self {
        Self {
            set_apart: false,
            ..Self::failure(message)
        }
    }

    /// A usage error (exit code 2) with this message.
    pub(crate) fn usage(message: impl fmt::Display) -> Self {
        Self {
            code: USAGE,
            message: message.to_string(),
            set_apart: false,
        }
    }

    /// A command stopped by Ctrl-C (exit code 130), with this message.
    pub(crate) fn interrupted(message: impl fmt::Display) -> Self {
        Self {
            code: INTERRUPTED,
            message: message.to_string(),
            set_apart: true,
        }
    }

    /// The same failure, its message after `before` (which says what it stopped): a usage
    /// error or an interruption keeps its own words.
    pub(crate) fn after(mut self, before: &str) -> Self {
        if self.code == FAILURE {
            self.message.insert_str(0, before);
        }
        self
    }

    /// The exit code.
    pub(crate) fn code(&self) -> u8 {
        self.code
    }

    /// The message, without a trailing newline; empty when there is nothing to say.
    pub(crate) fn message(&self) -> &str {
        &self.message
    }

    /// What to write to stderr: the message set apart by a blank line, or a usage error in
    /// argparse's form, as the AWS CLI prints them.
    pub(crate) fn stderr(&self) -> String {
        if self.message.is_empty() {
            String::new()
        } else if self.code == USAGE {
            format!(
                "usage: sso-oidc [options] <command> [parameters]\nTo see help text, you can run:\n\n  \
                 sso-oidc --help\n  sso-oidc <command> --help\nsso-oidc: error: {}\n",
                self.message
            )
        } else if self.set_apart {
            format!("\n{}\n", self.message)
        } else {
            format!("{}\n", self.message)
        }
    }
}
