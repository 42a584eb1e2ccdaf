//! Turning untrusted bytes into short, printable text for error messages.

use http::{HeaderMap, HeaderName};

/// Longest header value kept for an error message (content type, request id), in bytes.
const MAX_HEADER: usize = 128;

/// A header's value as short printable text, or `None` when it is absent, not text, or blank.
pub(crate) fn header(headers: &HeaderMap, name: &HeaderName) -> Option<String> {
    let value = headers.get(name)?.to_str().ok()?;
    Some(clip(value, MAX_HEADER)).filter(|v| !v.is_empty())
}

/// At most `max` bytes of `bytes` as text: invalid UTF-8 is replaced, control characters become
/// spaces (so a response cannot move a terminal's cursor or forge log lines), and the cut falls
/// on a character boundary.
pub(crate) fn excerpt(bytes: &[u8], max: usize) -> String {
    let head = &bytes[..bytes.len().min(max)];
    let text = String::from_utf8_lossy(head);
    clip(&text, max)
}

/// At most `max` bytes of `text`, cut on a character boundary, with control characters replaced
/// by spaces and surrounding white space trimmed.
pub(crate) fn clip(text: &str, max: usize) -> String {
    let text = text.trim();
    // Printable ASCII, the usual case, is kept as it is: every byte is a character.
    let head = &text.as_bytes()[..text.len().min(max)];
    if head.iter().all(|b| (b' '..0x7f).contains(b)) {
        return text[..head.len()].trim_end().to_owned();
    }
    let mut out = String::with_capacity(text.len().min(max));
    // Control characters become spaces before the trim, so that one in front (a NUL, an
    // escape) cannot leave white space in front either.
    let printable = text
        .chars()
        .map(|ch| if ch.is_control() { ' ' } else { ch });
    for ch in printable.skip_while(|ch| ch.is_whitespace()) {
        if out.len() + ch.len_utf8() > max {
            break;
        }
        out.push(ch);
    }
    out.truncate(out.trim_end().len());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `clip` without its ASCII fast path.
    fn slow_clip(text: &str, max: usize) -> String {
        let mut out = String::new();
        let printable = text
            .chars()
            .map(|ch| if ch.is_control() { ' ' } else { ch });
        for ch in printable.skip_while(|ch| ch.is_whitespace()) {
            if out.len() + ch.len_utf8() > max {
                break;
            }
            out.push(ch);
        }
        out.truncate(out.trim_end().len());
        out
    }

    #[test]
    fn control_characters_become_spaces() {
        assert_eq!(
            excerpt(b"<html>\r\n<b>502\x1b[2J</b>", 64),
            "<html>  <b>502 [2J</b>"
        );
    }

    #[test]
    fn control_characters_at_either_end_are_trimmed_too() {
        assert_eq!(clip("\u{0}\u{1b} slow_down\u{7}", 64), "slow_down");
        assert_eq!(clip("\u{1}\u{2}", 64), "");
    }

    #[test]
    fn cut_falls_on_a_character_boundary() {
        // 'é' is two bytes: a cap of 4 keeps "aé" and drops the next 'é'.
        assert_eq!(clip("aéé", 4), "aé");
        assert_eq!(excerpt("aéé".as_bytes(), 4), "aé");
    }

    #[test]
    fn printable_ascii_is_cut_and_trimmed() {
        assert_eq!(
            clip("  Authorization is pending  ", 1024),
            "Authorization is pending"
        );
        assert_eq!(clip("abc def", 4), "abc");
        assert_eq!(clip("abc", 0), "");
        assert_eq!(clip("abcdef\u{1b}", 3), "abc");
    }

    #[test]
    fn invalid_utf8_is_replaced() {
        assert_eq!(excerpt(b"ok\xff\xfe", 64), "ok\u{fffd}\u{fffd}");
    }

    proptest! {
        #[test]
        fn excerpt_is_bounded_and_printable(bytes in proptest::collection::vec(any::<u8>(), 0..600), max in 0usize..300) {
            let text = excerpt(&bytes, max);
            prop_assert!(text.len() <= max);
            prop_assert!(!text.chars().any(char::is_control));
            prop_assert_eq!(text.trim(), &text);
        }

        #[test]
        fn clip_takes_the_fast_path_only_where_it_agrees(text in "[ -~]{0,40}|\\PC{0,40}|[\\x00-\\x7f]{0,40}", max in 0usize..50) {
            prop_assert_eq!(clip(&text, max), slow_clip(&text, max));
        }
    }
}
