//! The AWS config file (`~/.aws/config`, or `AWS_CONFIG_FILE`), read by the core
//! ([`sso_oidc::config`]), and its errors in the command line's words.

use std::path::Path;

use sso_oidc::config::{ConfigError, ConfigFile};

use crate::error::CliError;

/// Reads `path`; a file that does not exist is an empty configuration, as for the AWS CLI.
///
/// # Errors
/// A file that cannot be read, is too large or does not parse, as the AWS CLI words it.
pub(crate) fn load(path: &Path) -> Result<ConfigFile, CliError> {
    ConfigFile::load(path).map_err(|error| CliError::failure(message(path, error)))
}

/// The text of the config file at `path`, to edit: empty when there is none yet.
///
/// # Errors
/// A file that cannot be read, is too large or is not UTF-8 text.
pub(crate) fn read_text(path: &Path) -> Result<String, CliError> {
    sso_oidc::config::read_file(path).map_err(|error| CliError::failure(message(path, error)))
}

/// Writes `text` as the config file at `path`, atomically, keeping its permissions (the core's
/// `write_file`; a missing folder is made).
///
/// # Errors
/// A folder or file that cannot be made or written.
pub(crate) fn write_text(path: &Path, text: &str) -> Result<(), CliError> {
    // The core's message names the file or folder that failed, and what the system said.
    sso_oidc::config::write_file(path, text)
        .map_err(|error| CliError::failure(format!("Unable to write the config file: {error}")))
}

/// The command line's message for a config file it cannot use.
fn message(path: &Path, error: ConfigError) -> String {
    match error {
        ConfigError::Parse { line, problem, .. } => {
            format!("Unable to parse config file: {path:?} (line {line}: {problem})")
        }
        ConfigError::TooLarge { limit, .. } => format!(
            "Unable to read the config file {path:?}: it is larger than {} MiB",
            limit >> 20
        ),
        ConfigError::Io { error, .. } => {
            format!("Unable to read the config file {path:?}: {error}")
        }
        other => format!("Unable to read the config file {path:?}: {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_in_the_command_lines_words() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        std::fs::write(&path, "[default]\n\njust words\n").unwrap();
        assert_eq!(
            load(&path).unwrap_err().message(),
            format!(
                "Unable to parse config file: {path:?} (line 3: not a section, a setting or a comment)"
            )
        );
        let file = std::fs::File::create(&path).unwrap();
        file.set_len(sso_oidc::config::MAX_CONFIG_FILE as u64 + 1)
            .unwrap();
        assert_eq!(
            load(&path).unwrap_err().message(),
            format!("Unable to read the config file {path:?}: it is larger than 4 MiB")
        );
        let error = load(dir.path()).unwrap_err();
        assert!(
            error.message().starts_with(&format!(
                "Unable to read the config file {:?}: ",
                dir.path()
            )),
            "{}",
            error.message()
        );
        assert_eq!(
            load(&dir.path().join("missing")).unwrap(),
            ConfigFile::default()
        );
    }
}
