//! [`render`]: a document, after a query, in a format, as the AWS CLI prints it.

use crate::document::Document;
use crate::format::Format;
use crate::jmespath::{self, Query};
use crate::{formats, request_id};

/// The width the AWS CLI assumes when standard output is not a terminal.
pub const DEFAULT_TERMINAL_WIDTH: usize = 80;

/// Deepest nesting of arrays and objects that we format. The formatters recurse, and the AWS CLI
/// itself fails on far shallower data than would overflow our stack (Python's recursion limit
/// is 1000 frames); no response of this service nests more than two levels.
const MAX_DEPTH: usize = 400;

/// How to render a document: the format, the operation whose response it is, and what the AWS
/// CLI takes from its other options and from the terminal.
///
/// The defaults are the AWS CLI's when standard output is not a terminal: no query, tables at
/// most [`DEFAULT_TERMINAL_WIDTH`] columns wide, no colour.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    format: Format,
    operation: &'a str,
    query: Option<&'a Query>,
    terminal_width: usize,
    colored: bool,
}

impl<'a> Options<'a> {
    /// Renders in `format` the response of `operation`, named as in the service model (e.g.
    /// `StartDeviceAuthorization`): a table's title.
    #[must_use]
    pub fn new(format: Format, operation: &'a str) -> Self {
        Self {
            format,
            operation,
            query: None,
            terminal_width: DEFAULT_TERMINAL_WIDTH,
            colored: false,
        }
    }

    /// Applies `--query` first (`None`: none).
    #[must_use]
    pub fn query(mut self, query: impl Into<Option<&'a Query>>) -> Self {
        self.query = query.into();
        self
    }

    /// The width of the terminal: the AWS CLI draws a table that would be wider as name/value
    /// rows instead. (It reads the width of the terminal on standard output, and uses
    /// [`DEFAULT_TERMINAL_WIDTH`] when that is not a terminal.)
    #[must_use]
    pub fn terminal_width(mut self, columns: usize) -> Self {
        self.terminal_width = columns;
        self
    }

    /// Draws tables in colour, as the AWS CLI does with `--color on`, or with `--color auto`
    /// when standard output is a terminal: cells bright blue, indentation bars dim yellow, and a
    /// reset after each piece the AWS CLI writes. json and text are never coloured.
    #[must_use]
    pub fn colored(mut self, colored: bool) -> Self {
        self.colored = colored;
        self
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

/// Renders `document`, after the query, in the format, as the AWS CLI prints an operation's
/// response.
///
/// The result ends with a newline, or is empty where the AWS CLI prints nothing (json of an
/// empty object; a table of null, false, zero or empty).
///
/// # Errors
///
/// A [`RenderError`] where the AWS CLI fails too: the query fails at run time, or the formatter
/// cannot lay out what the query returned.
pub fn render(document: &Document, options: &Options<'_>) -> Result<String, RenderError> {
    if document.depth() > MAX_DEPTH {
        return Err(RenderError::TooDeep);
    }
    let document = request_id::remove(document).map_err(|failure| RenderError::Format {
        message: failure.0,
        printed: String::new(),
    })?;
    let document = document.as_ref();
    let queried;
    let value = match options.query {
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
    match options.format {
        Format::Json => Ok(formats::json::format(value)),
        Format::Text => {
            formats::text::format(value).map_err(|(failure, printed)| RenderError::Format {
                message: failure.0,
                printed,
            })
        }
        Format::Table => formats::table::format(
            options.operation,
            value,
            options.terminal_width,
            options.colored,
        )
        .map_err(|failure| RenderError::Format {
            message: failure.0,
            printed: String::new(),
        }),
    }
}
