//! What can go wrong reading a config file, or (with the `fs` feature) reading or writing one.

use std::fmt;
#[cfg(feature = "fs")]
use std::path::PathBuf;

/// Why a line of a config file could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LineProblem {
    /// A setting comes before the first `[section]` header.
    SettingBeforeSection,
    /// A line starts with `[` but does not end with `]`.
    UnclosedHeader,
    /// A line is neither a header, a setting (`key = value`), a comment nor a continuation.
    NotASetting,
    /// A setting has nothing before its `=` or `:`.
    UnnamedSetting,
}

impl fmt::Display for LineProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::SettingBeforeSection => "a setting before any [section]",
            Self::UnclosedHeader => "a section header must end with ]",
            Self::NotASetting => "not a section, a setting or a comment",
            Self::UnnamedSetting => "a setting without a name",
        })
    }
}

/// A config file could not be parsed, or (with the `fs` feature) read or written.
///
/// No message repeats the file's contents: a config file may hold secrets (an
/// `aws_secret_access_key`, a `credential_process` with a password in it). A line that cannot
/// be parsed is named by its number.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A line is none of the things a config file holds; the AWS CLI refuses such a file too.
    #[error("unable to parse the config file{}: line {line}: {problem}", in_file(path.as_deref()))]
    Parse {
        /// The file, when the text came from one (`ConfigFile::load`, with the `fs` feature).
        path: Option<std::path::PathBuf>,
        /// The line number, from 1.
        line: usize,
        /// What is wrong with it.
        problem: LineProblem,
    },
    /// The file is larger than [`MAX_CONFIG_FILE`](crate::config::MAX_CONFIG_FILE): far more
    /// than hundreds of profiles take, so a mistake (or a device), and not read.
    #[cfg(feature = "fs")]
    #[error("the config file \"{}\" is larger than {} MiB", path.display(), limit >> 20)]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The most a config file may hold, in bytes.
        limit: usize,
    },
    /// The file is not UTF-8 text, so it cannot be edited without changing bytes nobody asked
    /// to change ([`read_file`](crate::config::read_file); [`ConfigFile::load`](crate::config::ConfigFile::load)
    /// reads such a file with the bad bytes replaced).
    #[cfg(feature = "fs")]
    #[error("the config file \"{}\" is not UTF-8 text (line {line})", path.display())]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// The line of the first byte that is not UTF-8, from 1.
        line: usize,
    },
    /// Reading, writing or replacing the file, or creating its folder, failed.
    ///
    /// `Display` ends with what the operating system said, so the [`std::io::Error`] is not
    /// also the [`source`](std::error::Error::source) (reporters that print the chain would say
    /// it twice); it is in `error`.
    #[cfg(feature = "fs")]
    #[error("could not {action} \"{}\": {error}", path.display())]
    Io {
        /// What was being done, e.g. `read`, `write`, `replace`, `create the folder`.
        action: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// What the operating system said.
        error: std::io::Error,
    },
}

impl ConfigError {
    /// A parse error at `line`, in no file.
    pub(crate) fn parse((line, problem): (usize, LineProblem)) -> Self {
        Self::Parse {
            path: None,
            line,
            problem,
        }
    }
}

/// ` "path"` for a message about a file, nothing for text.
fn in_file(path: Option<&std::path::Path>) -> String {
    path.map(|path| format!(" \"{}\"", path.display()))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_line_and_the_file() {
        let error = ConfigError::parse((3, LineProblem::NotASetting));
        assert_eq!(
            error.to_string(),
            "unable to parse the config file: line 3: not a section, a setting or a comment"
        );
        let error = ConfigError::Parse {
            path: Some("/home/me/.aws/config".into()),
            line: 1,
            problem: LineProblem::UnclosedHeader,
        };
        assert_eq!(
            error.to_string(),
            "unable to parse the config file \"/home/me/.aws/config\": line 1: a section header must end with ]"
        );
    }
}
