//! JSON exactly as the AWS CLI v2 writes it: Python's `json.dumps(obj)` with its defaults, or
//! with `separators=(",", ":")` for the role-credential cache key.
//!
//! Those defaults are `separators=(", ", ": ")`, no indent and `ensure_ascii=True`: every
//! character outside `0x20..=0x7E` is written as `\uXXXX` (lowercase hex, UTF-16 surrogate pairs
//! above U+FFFF), except the short escapes `\"`, `\\`, `\n`, `\r`, `\t`, `\b` and `\f`.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{CharEscape, Formatter, Serializer};

/// A [`Formatter`] that writes what Python's `json.dumps` writes with `ensure_ascii=True` and
/// the given separators.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PythonFormatter {
    /// Written before every item but the first: `", "` by default.
    item: &'static [u8],
    /// Written between a key and its value: `": "` by default.
    key: &'static [u8],
}

impl PythonFormatter {
    /// `json.dumps`'s defaults, `separators=(", ", ": ")`.
    const DEFAULT: Self = Self {
        item: b", ",
        key: b": ",
    };

    /// `separators=(",", ":")`, no white space at all.
    const COMPACT: Self = Self {
        item: b",",
        key: b":",
    };

    fn item_separator<W: ?Sized + Write>(&self, writer: &mut W, first: bool) -> io::Result<()> {
        if first {
            Ok(())
        } else {
            writer.write_all(self.item)
        }
    }
}

impl Formatter for PythonFormatter {
    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.item_separator(writer, first)
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.item_separator(writer, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(self.key)
    }

    // serde_json hands over runs without `"`, `\` and C0 controls; Python also escapes DEL and
    // everything beyond ASCII (`ensure_ascii`).
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (index, ch) in fragment.char_indices() {
            if (' '..='~').contains(&ch) {
                continue;
            }
            writer.write_all(&fragment.as_bytes()[start..index])?;
            let mut units = [0_u16; 2];
            for unit in ch.encode_utf16(&mut units) {
                write!(writer, "\\u{unit:04x}")?;
            }
            start = index + ch.len_utf8();
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    fn write_char_escape<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        char_escape: CharEscape,
    ) -> io::Result<()> {
        let short: &[u8] = match char_escape {
            CharEscape::Quote => b"\\\"",
            CharEscape::ReverseSolidus => b"\\\\",
            // Python never escapes `/`; serde_json never asks, but answer as Python would.
            CharEscape::Solidus => b"/",
            CharEscape::Backspace => b"\\b",
            CharEscape::FormFeed => b"\\f",
            CharEscape::LineFeed => b"\\n",
            CharEscape::CarriageReturn => b"\\r",
            CharEscape::Tab => b"\\t",
            CharEscape::AsciiControl(byte) => return write!(writer, "\\u{byte:04x}"),
        };
        writer.write_all(short)
    }
}

/// `value` as Python's `json.dumps(value)` would write it.
///
/// Only for the crate's own wire structs, whose serialization cannot fail (string keys, no
/// floats, no custom `Serialize` that errs).
pub(crate) fn to_vec<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    dumps(value, PythonFormatter::DEFAULT)
}

/// `value` as Python's `json.dumps(value, separators=(",", ":"))` would write it; the same
/// caveat as [`to_vec`].
pub(crate) fn to_vec_compact<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    dumps(value, PythonFormatter::COMPACT)
}

fn dumps<T: Serialize + ?Sized>(value: &T, formatter: PythonFormatter) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    let mut serializer = Serializer::with_formatter(&mut out, formatter);
    value
        .serialize(&mut serializer)
        .expect("the cache's wire structs always serialize to a Vec");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn dumps(value: &serde_json::Value) -> String {
        String::from_utf8(to_vec(value)).unwrap()
    }

    #[test]
    fn separators_are_pythons() {
        // python3 -c 'import json; print(json.dumps({"a": [1, None, True], "b": {}}))'
        assert_eq!(
            dumps(&json!({"a": [1, null, true], "b": {}, "c": []})),
            r#"{"a": [1, null, true], "b": {}, "c": []}"#
        );
    }

    #[test]
    fn strings_are_escaped_as_with_ensure_ascii() {
        // python3 -c 'import json; print(json.dumps("q\" b\\ /\n\r\t\b\f\x00\x1f\x7f é€😀"))'
        assert_eq!(
            dumps(&json!("q\" b\\ /\n\r\t\u{8}\u{c}\u{0}\u{1f}\u{7f} é€😀")),
            r#""q\" b\\ /\n\r\t\b\f\u0000\u001f\u007f \u00e9\u20ac\ud83d\ude00""#
        );
    }

    #[test]
    fn compact_separators_have_no_white_space() {
        // python3 -c 'import json; print(json.dumps({"a": [1, None], "b": "é"}, separators=(",", ":")))'
        assert_eq!(
            String::from_utf8(to_vec_compact(&json!({"a": [1, null], "b": "é"}))).unwrap(),
            r#"{"a":[1,null],"b":"\u00e9"}"#
        );
    }

    #[test]
    fn keys_are_escaped_too() {
        assert_eq!(dumps(&json!({"ké\n": "v"})), r#"{"k\u00e9\n": "v"}"#);
    }

    #[test]
    fn output_is_printable_ascii() {
        let all: String = (0..=0x2_0000_u32).filter_map(char::from_u32).collect();
        let out = to_vec(&all);
        assert!(out.iter().all(|b| (0x20..=0x7e).contains(b)));
        let back: String = serde_json::from_slice(&out).unwrap();
        assert_eq!(back, all);
    }
}
