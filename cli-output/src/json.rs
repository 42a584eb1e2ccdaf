//! `--output json`: the AWS CLI's `JSONFormatter`, which is Python's
//! `json.dump(value, indent=4, ensure_ascii=False)` and a newline.

use std::fmt::Write as _;

use super::document::Document;
use super::python;

/// Formats a (queried) response; an empty object prints nothing, as in the AWS CLI, where that
/// is what an operation without a response body gives.
pub(crate) fn format(value: &Document) -> String {
    if matches!(value, Document::Object(object) if object.is_empty()) {
        return String::new();
    }
    let mut out = String::new();
    write_value(value, 0, &mut out);
    out.push('\n');
    out
}

fn newline_indent(level: usize, out: &mut String) {
    out.push('\n');
    for _ in 0..level {
        out.push_str("    ");
    }
}

fn write_value(value: &Document, level: usize, out: &mut String) {
    match value {
        Document::Null => out.push_str("null"),
        Document::Bool(true) => out.push_str("true"),
        Document::Bool(false) => out.push_str("false"),
        Document::Number(n) => out.push_str(&python::number(n)),
        Document::String(s) => write_string(s, out),
        Document::Array(items) if items.is_empty() => out.push_str("[]"),
        Document::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline_indent(level + 1, out);
                write_value(item, level + 1, out);
            }
            newline_indent(level, out);
            out.push(']');
        }
        Document::Object(object) if object.is_empty() => out.push_str("{}"),
        Document::Object(object) => {
            out.push('{');
            for (i, (key, item)) in object.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline_indent(level + 1, out);
                write_string(key, out);
                out.push_str(": ");
                write_value(item, level + 1, out);
            }
            newline_indent(level, out);
            out.push('}');
        }
    }
}

/// Python's `json.encoder.py_encode_basestring`: only `"`, `\` and the C0 controls are escaped
/// (`ensure_ascii=False` keeps everything else, DEL and U+2028 included), in lowercase hex.
fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(json: &str) -> Document {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn indents_like_python() {
        assert_eq!(
            format(&doc(
                r#"{"a":[],"b":{},"c":[1,{"d":"\u0000\u001f\u007f\u2028é\"\\"}]}"#
            )),
            "{\n    \"a\": [],\n    \"b\": {},\n    \"c\": [\n        1,\n        {\n            \
             \"d\": \"\\u0000\\u001f\u{7f}\u{2028}é\\\"\\\\\"\n        }\n    ]\n}\n"
        );
    }

    #[test]
    fn scalars_and_the_empty_object() {
        assert_eq!(format(&doc("null")), "null\n");
        assert_eq!(format(&doc("\"\"")), "\"\"\n");
        assert_eq!(format(&doc("1.0")), "1.0\n");
        assert_eq!(format(&doc("[]")), "[]\n");
        assert_eq!(format(&doc("{}")), "");
    }
}
