//! Python's `json.dumps` of the values `json.loads` makes, in the two forms the AWS CLI uses.

use std::fmt::Write as _;

use super::number::number;
use crate::document::Document;

/// Which `json.dumps` call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// `json.dumps(value, indent=4, ensure_ascii=False)`: `--output json`.
    Indented,
    /// `json.dumps(value, separators=(',', ':'))`, ASCII only: JMESPath's `to_string()`.
    Compact,
    /// `json.dumps(value)`: `, ` and `: ` between items, ASCII only: botocore's pagination
    /// token encoder.
    Plain,
}

/// Python's `json.dumps(value, ...)` in `style`, without a trailing newline.
pub(crate) fn dumps(value: &Document, style: Style) -> String {
    let mut out = String::new();
    write_value(value, 0, style, &mut out);
    out
}

fn newline_indent(level: usize, style: Style, out: &mut String) {
    if style == Style::Indented {
        out.push('\n');
        for _ in 0..level {
            out.push_str("    ");
        }
    }
}

fn write_value(value: &Document, level: usize, style: Style, out: &mut String) {
    match value {
        Document::Null => out.push_str("null"),
        Document::Bool(true) => out.push_str("true"),
        Document::Bool(false) => out.push_str("false"),
        Document::Number(n) => out.push_str(&number(n)),
        Document::String(s) => write_string(s, style, out),
        Document::Array(items) if items.is_empty() => out.push_str("[]"),
        Document::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(item_separator(style));
                }
                newline_indent(level + 1, style, out);
                write_value(item, level + 1, style, out);
            }
            newline_indent(level, style, out);
            out.push(']');
        }
        Document::Object(object) if object.is_empty() => out.push_str("{}"),
        Document::Object(object) => {
            out.push('{');
            for (i, (key, item)) in object.iter().enumerate() {
                if i > 0 {
                    out.push_str(item_separator(style));
                }
                newline_indent(level + 1, style, out);
                write_string(key, style, out);
                out.push_str(match style {
                    Style::Indented | Style::Plain => ": ",
                    Style::Compact => ":",
                });
                write_value(item, level + 1, style, out);
            }
            newline_indent(level, style, out);
            out.push('}');
        }
    }
}

/// What goes between two items: `,` before a newline or in the compact form, `, ` otherwise.
fn item_separator(style: Style) -> &'static str {
    match style {
        Style::Plain => ", ",
        Style::Indented | Style::Compact => ",",
    }
}

/// Python's `json.dumps(value)` with its defaults: `, ` and `: ` between items, everything
/// outside ASCII escaped. What botocore's paginator writes into its `NextToken`.
///
/// ```
/// use sso_oidc_cli_output::{Document, python_json_dumps};
///
/// let value: Document = serde_json::from_str(r#"{"nextToken": "é", "n": [1, null]}"#)?;
/// assert_eq!(python_json_dumps(&value), r#"{"nextToken": "\u00e9", "n": [1, null]}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn python_json_dumps(value: &Document) -> String {
    dumps(value, Style::Plain)
}

/// Python's `py_encode_basestring` (`ensure_ascii=False`: only `"`, `\` and the C0 controls are
/// escaped, DEL and U+2028 kept) or `py_encode_basestring_ascii` (everything outside `' '..='~'`
/// escaped, as UTF-16 units), in lowercase hex.
fn write_string(s: &str, style: Style, out: &mut String) {
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
            ' '..='~' => out.push(c),
            c if style == Style::Indented && (c as u32) >= 0x20 => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
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
    fn indented_as_python() {
        assert_eq!(
            dumps(
                &doc(r#"{"a":[],"b":{},"c":[1,{"d":"\u0000\u001f\u007f\u2028é\"\\"}]}"#),
                Style::Indented
            ),
            "{\n    \"a\": [],\n    \"b\": {},\n    \"c\": [\n        1,\n        {\n            \
             \"d\": \"\\u0000\\u001f\u{7f}\u{2028}é\\\"\\\\\"\n        }\n    ]\n}"
        );
    }

    #[test]
    fn compact_ascii_as_python() {
        assert_eq!(
            dumps(
                &doc(r#"{"b":[1,2.5,null],"a":"é😀\u007f\n","c":{}}"#),
                Style::Compact
            ),
            r#"{"b":[1,2.5,null],"a":"\u00e9\ud83d\ude00\u007f\n","c":{}}"#
        );
    }

    #[test]
    fn plain_ascii_as_python() {
        assert_eq!(
            dumps(
                &doc(r#"{"b":[1,"é",{}],"a":{"c":null,"d":[]}}"#),
                Style::Plain
            ),
            r#"{"b": [1, "\u00e9", {}], "a": {"c": null, "d": []}}"#
        );
    }
}
