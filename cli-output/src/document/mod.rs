//! The value to print: JSON whose objects keep their members in order.
//!
//! The AWS CLI prints a response as botocore parsed it: a Python `dict` filled in the order of
//! the output shape's members in the service model, whatever order the service sent. `serde_json`
//! without its `preserve_order` feature (which a library must not turn on: features unify across
//! a build) sorts object keys, so [`Document`] is our own small tree.

mod convert;
mod object;
mod serialize;

use serde_json::Number;

pub use object::Object;

/// A JSON value whose objects keep their members in insertion order, as Python's `dict` does.
///
/// Build one from an operation's output in the service model's member order, leaving out the
/// members the response did not have (botocore leaves them out too):
///
/// ```
/// use sso_oidc_cli_output::{Document, Object};
///
/// let document = Document::from(
///     Object::new()
///         .with("deviceCode", "device-code")
///         .with("userCode", "GPNW-SHFH")
///         .with("expiresIn", 600)
///         .with("interval", 1),
/// );
/// ```
///
/// or reorder a parsed `serde_json::Value` (whose objects are sorted by key) with
/// [`Object::ordered_by`], or deserialize JSON text straight into a `Document` (objects keep the
/// text's order).
#[derive(Debug, Clone, PartialEq)]
pub enum Document {
    /// JSON `null` (Python `None`).
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer or a float, told apart as Python tells `1` from `1.0`.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Self>),
    /// An object, in member order.
    Object(Object),
}

impl Document {
    /// Whether Python's `bool()` is false for the value (`None`, `False`, zero, empty): the AWS
    /// CLI's table formatter skips those.
    pub(crate) fn is_falsy(&self) -> bool {
        match self {
            Self::Null => true,
            Self::Bool(b) => !b,
            Self::Number(n) => n.as_f64() == Some(0.0),
            Self::String(s) => s.is_empty(),
            Self::Array(a) => a.is_empty(),
            Self::Object(o) => o.is_empty(),
        }
    }

    /// Whether the value is neither a list nor a dict, as the AWS CLI's formatters ask.
    pub(crate) fn is_scalar(&self) -> bool {
        !matches!(self, Self::Array(_) | Self::Object(_))
    }

    /// How deeply arrays and objects nest (a scalar is 0).
    pub(crate) fn depth(&self) -> usize {
        // An explicit stack: the depth check guards the recursive formatters, so it must not
        // recurse itself.
        let mut deepest = 0;
        let mut stack = vec![(self, 0usize)];
        while let Some((value, depth)) = stack.pop() {
            deepest = deepest.max(depth);
            match value {
                Self::Array(items) => stack.extend(items.iter().map(|item| (item, depth + 1))),
                Self::Object(object) => {
                    stack.extend(object.iter().map(|(_, item)| (item, depth + 1)));
                }
                _ => {}
            }
        }
        deepest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn falsy_is_python_truthiness() {
        for falsy in ["null", "false", "0", "0.0", "-0.0", "\"\"", "[]", "{}"] {
            let doc: Document = serde_json::from_str(falsy).unwrap();
            assert!(doc.is_falsy(), "{falsy}");
        }
        for truthy in ["true", "1", "0.5", "\" \"", "[0]", "{\"a\":null}"] {
            let doc: Document = serde_json::from_str(truthy).unwrap();
            assert!(!doc.is_falsy(), "{truthy}");
        }
    }

    #[test]
    fn depth_counts_nesting() {
        let doc: Document = serde_json::from_str(r#"[1, {"a": [[]]}]"#).unwrap();
        assert_eq!(doc.depth(), 3);
    }
}
