//! Two properties of characters that Python takes from its Unicode database: how wide the AWS
//! CLI draws one in a table, and whether `repr()` escapes it.

use std::cmp::Ordering;

use super::unicode_tables::{UNPRINTABLE, WIDE};

/// Whether `c` is in one of `table`'s sorted, disjoint, inclusive ranges.
fn in_ranges(table: &[(u32, u32)], c: char) -> bool {
    let c = c as u32;
    table
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                Ordering::Less
            } else if lo > c {
                Ordering::Greater
            } else {
                Ordering::Equal
            }
        })
        .is_ok()
}

/// Python's `str.isprintable()` of one character.
pub(crate) fn is_printable(c: char) -> bool {
    !in_ranges(UNPRINTABLE, c)
}

/// The columns the AWS CLI's `get_text_length` gives a character: two when its East Asian Width
/// (`unicodedata.east_asian_width`) is wide, full-width or ambiguous, else one.
pub(crate) fn char_width(c: char) -> usize {
    if in_ranges(WIDE, c) { 2 } else { 1 }
}

/// The AWS CLI's `get_text_length`: the columns a text takes in a table.
pub(crate) fn text_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_characters_count_twice() {
        assert_eq!(text_width("abc"), 3);
        assert_eq!(text_width("日本"), 4);
        assert_eq!(text_width("ñ"), 1);
        assert_eq!(text_width("é°"), 4); // ambiguous
    }

    #[test]
    fn printable_as_python() {
        assert!(is_printable('a'));
        assert!(is_printable('é'));
        assert!(!is_printable('\u{85}'));
        assert!(!is_printable('\u{200b}'));
        assert!(is_printable('😀'));
    }
}
