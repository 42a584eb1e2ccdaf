//! [`Format`]: which of the AWS CLI's output formats, named as `--output`, `AWS_DEFAULT_OUTPUT`
//! and a profile's `output` name it.

use std::fmt;
use std::str::FromStr;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// `json`: Python's `json.dumps(indent=4, ensure_ascii=False)`.
    Json,
    /// `text`: tab-separated lines.
    Text,
    /// `table`: a box-drawn table titled with the operation's name.
    Table,
}

impl Format {
    /// Every format, in the order the AWS CLI lists them.
    pub const ALL: [Self; 3] = [Self::Json, Self::Text, Self::Table];

    /// The format's name: `json`, `text` or `table`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Text => "text",
            Self::Table => "table",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = UnknownFormat;

    /// Parses a format's name, in any case (`TABLE` from `AWS_DEFAULT_OUTPUT` is `table`).
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|format| format.as_str().eq_ignore_ascii_case(name))
            .ok_or_else(|| UnknownFormat(name.to_owned()))
    }
}

/// A name that is not a format. `Display` is the message `sso-oidc` prints for one in
/// `AWS_DEFAULT_OUTPUT` or a profile's `output` (the AWS CLI's `Unknown output type: NAME`, and
/// the valid names).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Unknown output type: {0}; valid types are json, text and table")]
pub struct UnknownFormat(String);

impl UnknownFormat {
    /// The name that was given.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_in_any_case() {
        for format in Format::ALL {
            assert_eq!(format.as_str().parse(), Ok(format));
            assert_eq!(format.as_str().to_uppercase().parse(), Ok(format));
        }
        assert_eq!(
            "Yaml".parse::<Format>().unwrap_err().to_string(),
            "Unknown output type: Yaml; valid types are json, text and table"
        );
        assert!("".parse::<Format>().is_err());
        assert!("json ".parse::<Format>().is_err());
    }
}
