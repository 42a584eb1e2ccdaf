//! What the `sso-oidc` command prints: an operation's response in the AWS CLI's three output
//! formats, `json`, `text` and `table`, after its `--query`, byte for byte as `aws sso-oidc`
//! (AWS CLI v1, and v2, whose formatters are the same) prints it.
//!
//! In scope: formatting a response that has been parsed, JMESPath queries on it, and coloured
//! tables ([`render_styled`]). Out of scope: any I/O (the caller writes the text), paging and
//! YAML. [`render`] draws tables as the AWS CLI draws them when standard output is not a
//! terminal (`--color off`, or `auto` when piped).
//!
//! Build a [`Document`] from the parsed response with its members in the service model's order
//! (botocore fills its `dict` in that order, and the json format and queries keep it), then:
//!
//! ```
//! use sso_oidc_cli_output::{render, Document, Format, Object, Query};
//!
//! let response = Document::from(
//!     Object::new()
//!         .with("deviceCode", "device-code")
//!         .with("userCode", "GPNW-SHFH")
//!         .with("verificationUri", "https://device.sso.us-east-1.amazonaws.com/")
//!         .with("expiresIn", 600)
//!         .with("interval", 1),
//! );
//! let query = Query::parse("{code: userCode, every: interval}").unwrap();
//! let json = render(&response, "StartDeviceAuthorization", Format::Json, Some(&query)).unwrap();
//! assert_eq!(json, "{\n    \"code\": \"GPNW-SHFH\",\n    \"every\": 1\n}\n");
//! let text = render(&response, "StartDeviceAuthorization", Format::Text, None).unwrap();
//! assert_eq!(text, "device-code\t600\t1\tGPNW-SHFH\thttps://device.sso.us-east-1.amazonaws.com/\n");
//! ```
//!
//! On a [`RenderError`], do what the AWS CLI does: write [`RenderError::printed`] to standard
//! output, then a blank line and the error to standard error (`eprint!("\n{error}\n")`), and exit
//! with status 255. The same goes for a [`QueryError`] from [`Query::parse`], before any request
//! is sent.

mod document;
mod failure;
mod formats;
mod jmespath;
mod python;
mod request_id;

use std::fmt;
use std::str::FromStr;

pub use document::{Document, Object};
pub use jmespath::{Query, QueryError};

/// The width the AWS CLI assumes when standard output is not a terminal.
pub const DEFAULT_TERMINAL_WIDTH: usize = 80;

/// Deepest nesting of arrays and objects that we format. The formatters recurse, and the AWS CLI
/// itself fails on far shallower data than would overflow our stack (Python's recursion limit
/// is 1000 frames); no response of this service nests more than two levels.
const MAX_DEPTH: usize = 400;

/// An `--output` format.
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
    /// The name `--output` takes.
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

/// An `--output` value that is not a format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown output format {0:?}: expected json, text or table")]
pub struct UnknownFormat(String);

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "json" => Ok(Self::Json),
            "text" => Ok(Self::Text),
            "table" => Ok(Self::Table),
            other => Err(UnknownFormat(other.to_owned())),
        }
    }
}

/// Why a response could not be rendered. `Display` is the AWS CLI's message, word for word
/// (which is why these do not follow our lowercase style).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// The query failed on this response (a function given the wrong type, an unknown
    /// function, a slice step of 0); nothing was printed.
    #[error("{message}")]
    Query {
        /// Python jmespath's message.
        message: String,
    },
    /// The AWS CLI's formatter fails on this shape of (queried) data with a Python exception,
    /// e.g. `text` on a list that mixes objects and strings: `'str' object has no attribute
    /// 'items'`.
    #[error("{message}")]
    Format {
        /// The exception's text.
        message: String,
        /// What the AWS CLI had printed before it failed (`text` prints as it goes).
        printed: String,
    },
    /// The data nests deeper than we format (where the AWS CLI would fail with a Python
    /// `RecursionError`).
    #[error("maximum recursion depth exceeded")]
    TooDeep,
}

impl RenderError {
    /// What to write to standard output before reporting the error, as the AWS CLI has.
    #[must_use]
    pub fn printed(&self) -> &str {
        match self {
            Self::Format { printed, .. } => printed,
            Self::Query { .. } | Self::TooDeep => "",
        }
    }
}

/// Renders `document`, the response of `operation` (its name in the service model, e.g.
/// `StartDeviceAuthorization`, which titles a table), in `format` after `query`, as the AWS CLI
/// does when its output is not a terminal (tables at most [`DEFAULT_TERMINAL_WIDTH`] wide).
///
/// The result ends with a newline, or is empty where the AWS CLI prints nothing (json of an
/// empty object; a table of null, false, zero or empty).
///
/// # Errors
///
/// A [`RenderError`] where the AWS CLI fails too: the query fails at run time, or the formatter
/// cannot lay out what the query returned.
pub fn render(
    document: &Document,
    operation: &str,
    format: Format,
    query: Option<&Query>,
) -> Result<String, RenderError> {
    render_for_width(document, operation, format, query, DEFAULT_TERMINAL_WIDTH)
}

/// [`render`] for a terminal `terminal_width` columns wide: the AWS CLI draws a table that would
/// be wider as name/value rows instead. (It reads the width of the terminal on standard output,
/// and uses 80 when that is not a terminal.)
///
/// # Errors
///
/// As [`render`].
pub fn render_for_width(
    document: &Document,
    operation: &str,
    format: Format,
    query: Option<&Query>,
    terminal_width: usize,
) -> Result<String, RenderError> {
    render_styled(document, operation, format, query, terminal_width, false)
}

/// [`render_for_width`], with tables in colour when `colored`, as the AWS CLI draws them with
/// `--color on`, or with `--color auto` when standard output is a terminal: cells bright blue,
/// indentation bars dim yellow, and a reset after each piece the AWS CLI writes. json and text
/// are never coloured.
///
/// # Errors
///
/// As [`render`].
pub fn render_styled(
    document: &Document,
    operation: &str,
    format: Format,
    query: Option<&Query>,
    terminal_width: usize,
    colored: bool,
) -> Result<String, RenderError> {
    if document.depth() > MAX_DEPTH {
        return Err(RenderError::TooDeep);
    }
    let document = request_id::remove(document).map_err(|failure| RenderError::Format {
        message: failure.0,
        printed: String::new(),
    })?;
    let document = document.as_ref();
    let queried;
    let value = match query {
        Some(query) => {
            queried = jmespath::search(query, document)
                .map_err(|e| RenderError::Query { message: e.0 })?;
            if queried.depth() > MAX_DEPTH {
                return Err(RenderError::TooDeep);
            }
            &queried
        }
        None => document,
    };
    match format {
        Format::Json => Ok(formats::json::format(value)),
        Format::Text => {
            formats::text::format(value).map_err(|(failure, printed)| RenderError::Format {
                message: failure.0,
                printed,
            })
        }
        Format::Table => {
            formats::table::format(operation, value, terminal_width, colored).map_err(|failure| {
                RenderError::Format {
                    message: failure.0,
                    printed: String::new(),
                }
            })
        }
    }
}
