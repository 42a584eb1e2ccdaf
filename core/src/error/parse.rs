//! We could not understand what came back.

use std::fmt;

use http::StatusCode;

use crate::operation::Operation;

/// What was wrong with a response this crate could not understand.
///
/// None of these repeats a value from a 2xx body: such a body holds secrets.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// The body is longer than the cap, so it was not parsed.
    TooLarge {
        /// The cap, in bytes ([`MAX_RESPONSE_BODY`](crate::MAX_RESPONSE_BODY)).
        limit: usize,
        /// The body's length, in bytes.
        len: usize,
    },
    /// The body is empty (or only white space).
    Empty,
    /// The body is not valid JSON.
    MalformedJson {
        /// 1-based line of the first error.
        line: usize,
        /// 1-based column of the first error.
        column: usize,
    },
    /// The body ends in the middle of a JSON value: it was cut short.
    Truncated,
    /// The body is JSON, but not a single object of the expected shape (an array, `null`, a
    /// member given twice).
    UnexpectedShape,
    /// A member the output needs is absent or `null`.
    MissingMember {
        /// The model's name for the member, e.g. `accessToken`.
        member: &'static str,
    },
    /// A member is present but its value is unusable.
    InvalidMember {
        /// The model's name for the member, e.g. `expiresIn`.
        member: &'static str,
        /// What is wrong with it, e.g. `is not a non-negative integer`.
        reason: &'static str,
    },
    /// The status is not a success, yet the response names no error code (no
    /// `x-amzn-ErrorType`, `__type`, `code` or `error`): an HTML page from a proxy, an empty 503.
    UnrecognizedError,
}

impl fmt::Display for ParseErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLarge { limit, len } => {
                write!(f, "the body is {len} bytes, over the {limit}-byte cap")
            }
            Self::Empty => f.write_str("the body is empty"),
            Self::MalformedJson { line, column } => {
                write!(
                    f,
                    "the body is not valid JSON (line {line}, column {column})"
                )
            }
            Self::Truncated => f.write_str("the body ends in the middle of a JSON value"),
            Self::UnexpectedShape => f.write_str("the body is not the expected JSON object"),
            Self::MissingMember { member } => write!(f, "member `{member}` is missing"),
            Self::InvalidMember { member, reason } => write!(f, "member `{member}` {reason}"),
            Self::UnrecognizedError => {
                f.write_str("the status is an error but the response names no error code")
            }
        }
    }
}

/// A response this crate could not understand: what was wrong ([`ParseErrorKind`]), with the
/// status, the content type, the request id and, for non-2xx responses only, a short excerpt of
/// the body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError(Box<Details>);

#[derive(Clone, Debug, PartialEq, Eq)]
struct Details {
    operation: Operation,
    kind: ParseErrorKind,
    status: StatusCode,
    content_type: Option<String>,
    excerpt: Option<String>,
    request_id: Option<String>,
}

impl ParseError {
    pub(crate) fn new(
        operation: Operation,
        kind: ParseErrorKind,
        status: StatusCode,
        content_type: Option<String>,
        excerpt: Option<String>,
        request_id: Option<String>,
    ) -> Self {
        Self(Box::new(Details {
            operation,
            kind,
            status,
            content_type,
            excerpt,
            request_id,
        }))
    }

    /// The operation whose response this was.
    pub fn operation(&self) -> Operation {
        self.0.operation
    }

    /// What was wrong.
    pub fn kind(&self) -> &ParseErrorKind {
        &self.0.kind
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> StatusCode {
        self.0.status
    }

    /// The `content-type` header, if any.
    pub fn content_type(&self) -> Option<&str> {
        self.0.content_type.as_deref()
    }

    /// The start of the body (at most 256 bytes, control characters replaced, the values of
    /// [secret members](crate::SECRET_MEMBERS) redacted) when the status was not a success;
    /// never for a 2xx response, whose body holds secrets.
    pub fn excerpt(&self) -> Option<&str> {
        self.0.excerpt.as_deref()
    }

    /// The `x-amzn-RequestId` header, for AWS support.
    pub fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.0;
        write!(
            f,
            "unreadable {} response (HTTP {}",
            d.operation,
            d.status.as_u16()
        )?;
        if let Some(content_type) = &d.content_type {
            write!(f, ", {content_type}")?;
        }
        if let Some(id) = &d.request_id {
            write!(f, ", request id {id}")?;
        }
        write!(f, "): {}", d.kind)?;
        match &d.excerpt {
            Some(excerpt) if !excerpt.is_empty() => write!(f, "; the body starts {excerpt:?}"),
            _ => Ok(()),
        }
    }
}

impl std::error::Error for ParseError {}
