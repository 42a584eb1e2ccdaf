//! `--output json`: the AWS CLI's `JSONFormatter`, which is Python's
//! `json.dump(value, indent=4, ensure_ascii=False)` and a newline.

use crate::document::Document;
use crate::python::{self, JsonStyle};

/// Formats a (queried) response; an empty object prints nothing, as in the AWS CLI, where that
/// is what an operation without a response body gives.
pub(crate) fn format(value: &Document) -> String {
    if matches!(value, Document::Object(object) if object.is_empty()) {
        return String::new();
    }
    let mut out = python::dumps(value, JsonStyle::Indented);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(json: &str) -> Document {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn scalars_and_the_empty_object() {
        assert_eq!(format(&doc("null")), "null\n");
        assert_eq!(format(&doc("\"\"")), "\"\"\n");
        assert_eq!(format(&doc("1.0")), "1.0\n");
        assert_eq!(format(&doc("[]")), "[]\n");
        assert_eq!(format(&doc("{}")), "");
        assert_eq!(format(&doc(r#"{"a":1}"#)), "{\n    \"a\": 1\n}\n");
    }
}
