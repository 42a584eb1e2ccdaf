//! What a command prints on stdout: a document in the AWS CLI's output formats, sized and
//! coloured for where it goes.

use std::io::{IsTerminal, Write};

use sso_oidc_cli_output::{DEFAULT_TERMINAL_WIDTH, Document, Format, Options, Query};

use crate::args::Color;
use crate::context::Env;
use crate::error::CliError;

/// Renders a document and writes it to stdout; on a formatting error, what the AWS CLI had
/// printed by then, and the error.
pub(crate) fn render(
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

/// Writes to stdout; a closed pipe (`| head`) is not a failure.
pub(crate) fn write(text: &str) -> Result<(), CliError> {
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
