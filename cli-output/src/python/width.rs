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

    /// FNV-1a (64 bits) over one byte per code point from 0 to U+10FFFF: bit 0 set when the
    /// character is two columns wide, bit 1 when it is not printable, and 0xFF for a surrogate.
    fn fingerprint(width: impl Fn(char) -> usize, printable: impl Fn(char) -> bool) -> u64 {
        (0..=0x10_FFFF_u32).fold(0xcbf2_9ce4_8422_2325, |hash, code_point| {
            let byte = char::from_u32(code_point).map_or(0xFF, |c| {
                u64::from(width(c) == 2) | u64::from(!printable(c)) << 1
            });
            (hash ^ byte).wrapping_mul(0x0100_0000_01b3)
        })
    }

    /// Every code point, against the tables as they were before they were packed (one range
    /// per line, 1,562 lines): the same fingerprint, which `gen_unicode.py` also computes from
    /// Python 3.11's `unicodedata` (Unicode 14.0.0), the AWS CLI's.
    #[test]
    fn every_code_point_as_python_3_11() {
        assert_eq!(
            fingerprint(char_width, is_printable),
            0x8416_f225_3bd8_283d,
            "the tables changed: regenerate them with gen_unicode.py, from the Python the AWS \
             CLI runs on, and update this fingerprint"
        );
    }

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
