//! Python's `str()` and `repr()` of the `dict`s, `list`s and scalars that `json.loads` makes: what
//! the text and table formats print for a cell, and what error messages quote.

use std::fmt::Write as _;

use super::number::number;
use super::width::is_printable;
use crate::document::Document;

/// Python's `str(value)`: strings as they are, `None`, `True`/`False`, numbers as Python prints
/// them, and containers as their `repr()`.
pub(crate) fn str(value: &Document) -> String {
    match value {
        Document::String(s) => s.clone(),
        other => repr(other),
    }
}

/// Python's `repr(value)`.
pub(crate) fn repr(value: &Document) -> String {
    let mut out = String::new();
    write_repr(value, &mut out);
    out
}

fn write_repr(value: &Document, out: &mut String) {
    match value {
        Document::Null => out.push_str("None"),
        Document::Bool(true) => out.push_str("True"),
        Document::Bool(false) => out.push_str("False"),
        Document::Number(n) => out.push_str(&number(n)),
        Document::String(s) => out.push_str(&repr_str(s)),
        Document::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_repr(item, out);
            }
            out.push(']');
        }
        Document::Object(object) => {
            out.push('{');
            for (i, (key, item)) in object.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&repr_str(key));
                out.push_str(": ");
                write_repr(item, out);
            }
            out.push('}');
        }
    }
}

/// Python's `repr()` of a string (CPython's `unicode_repr`): single quotes unless the text has a
/// single quote and no double quote, and escapes for what is not printable.
pub(crate) fn repr_str(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if c.is_ascii() || is_printable(c) => out.push(c),
            c if (c as u32) <= 0xff => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (c as u32) <= 0xffff => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push(quote);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_repr_as_python() {
        assert_eq!(repr_str("a"), "'a'");
        assert_eq!(repr_str("it's"), "\"it's\"");
        assert_eq!(repr_str("'\""), "'\\'\"'");
        assert_eq!(
            repr_str("\u{0}\u{7f}\u{85}\u{a0}é\u{200b}😀"),
            "'\\x00\\x7f\\x85\\xa0é\\u200b😀'"
        );
        assert_eq!(repr_str("\\\t\n\r"), "'\\\\\\t\\n\\r'");
    }

    #[test]
    fn containers_repr_as_python() {
        let value: Document =
            serde_json::from_str(r#"{"b": [null, true, 1.0, "x"], "a": {}}"#).unwrap();
        assert_eq!(str(&value), "{'b': [None, True, 1.0, 'x'], 'a': {}}");
        assert_eq!(str(&Document::from("x")), "x");
    }
}
