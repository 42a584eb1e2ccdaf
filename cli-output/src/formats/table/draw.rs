//! Drawing a [`MultiTable`](super::multitable::MultiTable) as the AWS CLI's `MultiTable` and
//! `IndentedStream` write it: `|`, `+` and `-`, every section as wide as the widest.
//!
//! Coloured, as `ColorizedStyler` draws it: cells bright blue, indentation bars dim yellow, and,
//! as colorama (`autoreset=True`) wraps standard output, a reset (`ESC[0m`) after every write
//! the Python makes, empty ones included.

use super::multitable::Section;
use crate::python::text_width;

/// The whole table, `max_width` columns wide: a line of dashes, then each section.
pub(super) fn draw(sections: &[Section], max_width: usize, colored: bool) -> String {
    let mut out = Out {
        text: String::new(),
        colored,
    };
    out.write(&format!("{}\n", "-".repeat(max_width)));
    for section in sections {
        render_section(section, max_width as i64, &mut out);
    }
    out.text
}

fn spaces(n: i64) -> String {
    " ".repeat(n.max(0) as usize)
}

fn dashes(n: i64) -> String {
    "-".repeat(n.max(0) as usize)
}

/// ANSI: reset, as colorama's `Style.RESET_ALL`.
const RESET: &str = "\x1b[0m";
/// ANSI: a cell (`Style.BRIGHT + Fore.BLUE`).
const CELL: &str = "\x1b[1m\x1b[34m";
/// ANSI: an indentation bar (`Style.DIM + Fore.YELLOW`).
const BAR: &str = "\x1b[2m\x1b[33m";

/// The text drawn so far, written as the Python writes it.
struct Out {
    text: String,
    /// Whether standard output is colorama's, which resets after every write.
    colored: bool,
}

impl Out {
    /// One `stream.write`.
    fn write(&mut self, text: &str) {
        self.text.push_str(text);
        if self.colored {
            self.text.push_str(RESET);
        }
    }

    /// `style_row_element`.
    fn cell(&self, text: &str) -> String {
        self.styled(CELL, text)
    }

    /// `style_indentation_char('|')`.
    fn bar(&self) -> String {
        self.styled(BAR, "|")
    }

    fn styled(&self, style: &str, text: &str) -> String {
        if self.colored {
            format!("{style}{text}{RESET}")
        } else {
            text.to_owned()
        }
    }

    /// Writes one line of a section inside its indentation bars, in the four writes
    /// `IndentedStream.write` makes.
    fn line(&mut self, indent_level: usize, line: &str) {
        let bars = self.bar().repeat(indent_level);
        self.write(&bars);
        self.write(line);
        self.write(&bars);
        self.write("\n");
    }
}

fn render_section(section: &Section, max_width: i64, out: &mut Out) {
    let max_width = max_width - 2 * section.indent_level as i64;
    let indent = section.indent_level;
    if let Some(title) = section.title.as_deref().filter(|t| !t.is_empty()) {
        out.line(indent, &center_text(title, max_width, "|", "|"));
        if section.headers.is_empty() && section.rows.is_empty() {
            out.line(indent, &format!("+{}+", dashes(max_width - 2)));
        }
    }
    if !section.headers.is_empty() {
        let widths = section.column_widths(4, Some(max_width));
        let mut line = String::new();
        for (i, (&width, header)) in widths.iter().zip(&section.headers).enumerate() {
            let left = if i == 0 { "|" } else { "" };
            line.push_str(&center_text(header, width, left, "|"));
        }
        out.line(indent, &line_break(&widths));
        out.line(indent, &line);
    }
    if !section.rows.is_empty() {
        let widths = section.column_widths(4, Some(max_width));
        if widths.is_empty() {
            return;
        }
        out.line(indent, &line_break(&widths));
        for row in &section.rows {
            let mut line = String::new();
            for (i, (&width, cell)) in widths.iter().zip(row).enumerate() {
                let left = if i == 0 { "|" } else { "" };
                line.push_str(&align_left(
                    &out.cell(cell),
                    text_width(cell),
                    width,
                    left,
                    "|",
                ));
            }
            out.line(indent, &line);
        }
        out.line(indent, &line_break(&widths));
    }
}

/// `+-----+------+`, without the newline.
fn line_break(widths: &[i64]) -> String {
    let mut line = String::new();
    for (i, &width) in widths.iter().enumerate() {
        if i == 0 {
            line.push_str(&format!("+{}+", dashes(width - 2)));
        } else {
            line.push_str(&format!("{}+", dashes(width - 1)));
        }
    }
    line
}

fn center_text(text: &str, length: i64, left: &str, right: &str) -> String {
    let text_length = text_width(text) as i64;
    let char_start = length.div_euclid(2) - text_length.div_euclid(2) - 1;
    let so_far = text_width(left) as i64 + char_start + text_length;
    let right_spaces = length - text_width(right) as i64 - so_far;
    format!(
        "{left}{}{text}{}{right}",
        spaces(char_start),
        spaces(right_spaces)
    )
}

/// `align_left` of `text`, which is `text_length` columns wide once drawn (without its colour).
fn align_left(text: &str, text_length: usize, length: i64, left: &str, right: &str) -> String {
    let text_length = text_length as i64;
    let computed = text_length + 2 + text_width(left) as i64 + text_width(right) as i64;
    let padding = if length - computed >= 0 { 2 } else { 0 };
    let so_far = left.len() as i64 + padding + text_length;
    format!(
        "{left}{}{text}{}{right}",
        spaces(padding),
        spaces(length - so_far - right.len() as i64)
    )
}

#[cfg(test)]
mod tests {
    use super::super::multitable::MultiTable;
    use super::*;

    #[test]
    fn colour_only_adds_escapes() {
        let table = || {
            let mut table = MultiTable::default();
            table.new_section(Some("Title"), 0);
            table
                .add_row_header(vec!["name".into(), "value".into()])
                .unwrap();
            table
                .add_row(vec!["a".into(), "ünïcode 全角".into()])
                .unwrap();
            table.new_section(Some("nested"), 1);
            table.add_row(vec!["x".repeat(90)]).unwrap();
            table
        };
        let plain = table().render(80, false);
        let colored = table().render(80, true);
        assert!(!plain.contains('\x1b'));
        assert!(colored.contains("\x1b[1m\x1b[34ma\x1b[0m"), "{colored:?}");
        assert!(colored.contains("\x1b[2m\x1b[33m|\x1b[0m"), "{colored:?}");
        let stripped = [RESET, CELL, BAR]
            .iter()
            .fold(colored, |text, code| text.replace(code, ""));
        assert_eq!(stripped, plain);
    }
}
