//! How Python writes values: `str()`, `repr()`, and the width the AWS CLI gives text in a
//! table. The formatters are Python code that calls these on parsed JSON.

use std::fmt::Write as _;

use serde_json::Number;

use super::document::Document;
use super::unicode_tables::{UNPRINTABLE, WIDE};

/// Python's `str(value)`: strings as they are, `None`, `True`/`False`, numbers as Python prints
/// them, and containers as their `repr()`.
pub(crate) fn str(value: &Document) -> String {
    match value {
        Document::String(s) => s.clone(),
        other => repr(other),
    }
}

/// Python's `repr(value)` of the `dict`s, `list`s and scalars that `json.loads` makes.
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

/// Python's `str()` of a number that `json.loads` made: an `int` in decimal, a `float` as its
/// shortest round-trip `repr()`.
pub(crate) fn number(n: &Number) -> String {
    if let Some(i) = n.as_i64() {
        i.to_string()
    } else if let Some(u) = n.as_u64() {
        u.to_string()
    } else {
        float(n.as_f64().unwrap_or(f64::NAN))
    }
}

/// Python's `repr(float)`: the shortest digits that round-trip, in positional notation when the
/// decimal exponent is in -4..16 (with `.0` if there is no fraction), else as `1.5e+16`.
pub(crate) fn float(f: f64) -> String {
    if f.is_nan() {
        return "nan".to_owned();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.to_owned();
    }
    // Rust's `{:e}` gives the shortest digits that round-trip, as `d.ddde<exp>`; when two
    // strings of that length round-trip, Python's repr takes the correctly rounded one (ties to
    // even), which Rust's exact formatting at that precision gives.
    let shortest = format!("{f:e}");
    let digits = shortest
        .split('e')
        .next()
        .map_or(1, |m| m.chars().filter(char::is_ascii_digit).count());
    let rounded = format!("{f:.*e}", digits.saturating_sub(1));
    let scientific = if rounded.parse::<f64>() == Ok(f) {
        rounded
    } else {
        shortest
    };
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    if (-4..16).contains(&exponent) {
        let point = exponent + 1; // digits before the decimal point
        let (int_part, frac_part) = if point <= 0 {
            let zeros = "0".repeat(point.unsigned_abs() as usize);
            ("0".to_owned(), format!("{zeros}{digits}"))
        } else {
            let point = point as usize;
            if digits.len() <= point {
                (format!("{digits:0<point$}"), String::new())
            } else {
                (digits[..point].to_owned(), digits[point..].to_owned())
            }
        };
        let frac_part = if frac_part.is_empty() {
            "0".to_owned()
        } else {
            frac_part
        };
        format!("{sign}{int_part}.{frac_part}")
    } else {
        let (first, rest) = digits.split_at(1.min(digits.len()));
        let exp_sign = if exponent < 0 { '-' } else { '+' };
        let exp = exponent.unsigned_abs();
        if rest.is_empty() {
            format!("{sign}{first}e{exp_sign}{exp:02}")
        } else {
            format!("{sign}{first}.{rest}e{exp_sign}{exp:02}")
        }
    }
}

fn in_ranges(table: &[(u32, u32)], c: char) -> bool {
    let c = c as u32;
    table
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

fn is_printable(c: char) -> bool {
    !in_ranges(UNPRINTABLE, c)
}

/// The AWS CLI's `get_text_length`: characters whose East Asian Width is wide, full-width or
/// ambiguous count two columns, the others one.
pub(crate) fn text_width(s: &str) -> usize {
    s.chars()
        .map(|c| if in_ranges(WIDE, c) { 2 } else { 1 })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_as_python_repr() {
        let cases = [
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (1.0, "1.0"),
            (300.5, "300.5"),
            (0.1, "0.1"),
            (1e-4, "0.0001"),
            (1.5e-5, "1.5e-05"),
            (1e16, "1e+16"),
            (1.5e16, "1.5e+16"),
            (123_456_789_012_345.6, "123456789012345.6"),
            (9_999_999_999_999_998.0, "9999999999999998.0"),
            (1e100, "1e+100"),
            (-2.5e-300, "-2.5e-300"),
            (5e-324, "5e-324"),
            (f64::MAX, "1.7976931348623157e+308"),
            (-1_257_284_253_986_719.2, "-1257284253986719.2"),
        ];
        for (f, python) in cases {
            assert_eq!(float(f), python, "{f:e}");
        }
    }

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
    fn wide_characters_count_twice() {
        assert_eq!(text_width("abc"), 3);
        assert_eq!(text_width("日本"), 4);
        assert_eq!(text_width("ñ"), 1);
        assert_eq!(text_width("é°"), 4); // ambiguous
    }
}
