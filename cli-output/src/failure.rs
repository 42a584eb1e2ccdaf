//! The exceptions the AWS CLI's formatters raise on some shapes of data, which we reproduce.
//!
//! The formatters are written for the responses botocore parses, and a query can hand them
//! other shapes: `aws sso-oidc ... --output text --query '[@, deviceCode]'` fails with
//! `'str' object has no attribute 'items'`. The AWS CLI then prints a blank line and the
//! exception's text to standard error and exits with 255, so we keep the exact text.

use crate::document::Document;

/// A Python exception's `str()`, raised by a formatter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure(pub(crate) String);

/// Python's `type(value).__name__` for a value that `json.loads` made.
pub(crate) fn type_name(value: &Document) -> &'static str {
    match value {
        Document::Null => "NoneType",
        Document::Bool(_) => "bool",
        Document::Number(n) if n.is_f64() => "float",
        Document::Number(_) => "int",
        Document::String(_) => "str",
        Document::Array(_) => "list",
        Document::Object(_) => "dict",
    }
}

impl Failure {
    /// `AttributeError`: `value.attribute` on a value that lacks it.
    pub(crate) fn no_attribute(value: &Document, attribute: &str) -> Self {
        Self(format!(
            "'{}' object has no attribute '{attribute}'",
            type_name(value)
        ))
    }

    /// `IndexError` from indexing a list out of its range.
    pub(crate) fn list_index_out_of_range() -> Self {
        Self("list index out of range".to_owned())
    }
}
