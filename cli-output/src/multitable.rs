//! The AWS CLI's `MultiTable` (`awscli/table.py`): sections of rows drawn with `|`, `+` and `-`,
//! all as wide as the widest, columns scaled to fill it.
//!
//! Arithmetic follows the Python: floor division, `round()` to even, and negative repeat counts
//! that give empty strings.
//!
//! Coloured, as `ColorizedStyler` draws it: cells bright blue, indentation bars dim yellow, and,
//! as colorama (`autoreset=True`) wraps standard output, a reset (`ESC[0m`) after every write
//! the Python makes, empty ones included.

use super::failure::Failure;
use super::python::text_width;

/// One titled block of the table: a header row and rows, or a title alone.
#[derive(Debug, Default)]
pub(crate) struct Section {
    /// `None` is Python's `None`, which a nested list of lists gives: not drawn, yet counted as
    /// the four characters of `"None"` when sizing the table.
    title: Option<String>,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    indent_level: usize,
    num_cols: Option<usize>,
    max_widths: Vec<usize>,
}

impl Section {
    fn title_width(&self) -> usize {
        self.title.as_deref().map_or(4, text_width)
    }

    fn add_header(&mut self, headers: Vec<String>) -> Result<(), Failure> {
        self.update_max_widths(&headers)?;
        if self.num_cols.is_none() {
            self.num_cols = Some(headers.len());
        }
        self.headers = headers;
        Ok(())
    }

    fn add_row(&mut self, row: Vec<String>) -> Result<(), Failure> {
        let num_cols = *self.num_cols.get_or_insert(row.len());
        if row.len() != num_cols {
            return Err(Failure(format!(
                "Row should have {num_cols} elements, instead it has {}",
                row.len()
            )));
        }
        self.update_max_widths(&row)?;
        self.rows.push(row);
        Ok(())
    }

    fn update_max_widths(&mut self, row: &[String]) -> Result<(), Failure> {
        if self.max_widths.is_empty() {
            self.max_widths = row.iter().map(|cell| text_width(cell)).collect();
            return Ok(());
        }
        for (i, cell) in row.iter().enumerate() {
            let width = self
                .max_widths
                .get_mut(i)
                .ok_or_else(Failure::list_index_out_of_range)?;
            *width = (*width).max(text_width(cell));
        }
        Ok(())
    }

    /// `calculate_column_widths`: the widest cell of each column plus `padding`, scaled to sum
    /// to `max_width` when given.
    fn column_widths(&self, padding: usize, max_width: Option<i64>) -> Vec<i64> {
        let unscaled: Vec<i64> = self
            .max_widths
            .iter()
            .map(|w| (w + padding) as i64)
            .collect();
        let Some(max_width) = max_width else {
            return unscaled;
        };
        if unscaled.is_empty() {
            return unscaled;
        }
        let scale = max_width as f64 / unscaled.iter().sum::<i64>() as f64;
        let mut scaled: Vec<i64> = unscaled
            .iter()
            .map(|&w| (scale * w as f64).round_ties_even() as i64)
            .collect();
        let mut off_by = scaled.iter().sum::<i64>() - max_width;
        while off_by != 0 {
            let order: Box<dyn Iterator<Item = usize>> = if off_by < 0 {
                Box::new((0..scaled.len()).rev())
            } else {
                Box::new(0..scaled.len())
            };
            for i in order {
                if off_by > 0 {
                    scaled[i] -= 1;
                    off_by -= 1;
                } else {
                    scaled[i] += 1;
                    off_by += 1;
                }
                if off_by == 0 {
                    break;
                }
            }
        }
        scaled
    }

    /// `total_width(padding=4, with_border=True, outer_padding=indent_level)`.
    fn total_width(&self) -> usize {
        let indent = 2 * self.indent_level;
        let columns: usize = self.max_widths.iter().map(|w| w + 4).sum();
        (self.title_width() + 2 + indent).max(columns + 2 + indent)
    }
}

/// The table being built: sections in order, rows going to the last one.
#[derive(Debug, Default)]
pub(crate) struct MultiTable {
    sections: Vec<Section>,
}

impl MultiTable {
    fn current(&mut self, method: &str) -> Result<&mut Section, Failure> {
        self.sections
            .last_mut()
            .ok_or_else(|| Failure(format!("'NoneType' object has no attribute '{method}'")))
    }

    /// Starts a section; `None` is a Python `None` title.
    pub(crate) fn new_section(&mut self, title: Option<&str>, indent_level: usize) {
        self.sections.push(Section {
            title: title.map(str::to_owned),
            indent_level,
            ..Section::default()
        });
    }

    /// Sets the current section's column headers.
    pub(crate) fn add_row_header(&mut self, headers: Vec<String>) -> Result<(), Failure> {
        self.current("add_header")?.add_header(headers)
    }

    /// Adds a row (already `str()`-ed cells) to the current section.
    pub(crate) fn add_row(&mut self, row: Vec<String>) -> Result<(), Failure> {
        self.current("add_row")?.add_row(row)
    }

    /// Draws the table, in colour when `colored`; one wider than `terminal_width` first turns
    /// every section of one row into a two-column (header, value) section, as the AWS CLI does.
    pub(crate) fn render(mut self, terminal_width: usize, colored: bool) -> String {
        let mut max_width = self.max_width();
        if max_width > terminal_width {
            self.convert_to_vertical();
            max_width = self.max_width();
        }
        let mut out = Out {
            text: String::new(),
            colored,
        };
        out.write(&format!("{}\n", "-".repeat(max_width)));
        for section in &self.sections {
            render_section(section, max_width as i64, &mut out);
        }
        out.text
    }

    fn max_width(&self) -> usize {
        self.sections
            .iter()
            .map(Section::total_width)
            .max()
            .unwrap_or(0)
    }

    fn convert_to_vertical(&mut self) {
        for section in &mut self.sections {
            if section.rows.len() == 1 && !section.headers.is_empty() {
                let mut vertical = Section {
                    title: section.title.take(),
                    indent_level: section.indent_level,
                    ..Section::default()
                };
                for (header, cell) in section.headers.iter().zip(&section.rows[0]) {
                    // Two cells each time: this cannot fail.
                    let _ = vertical.add_row(vec![header.clone(), cell.clone()]);
                }
                *section = vertical;
            }
        }
    }
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
    use super::*;

    #[test]
    fn scaled_widths_sum_to_the_table_width() {
        let mut section = Section::default();
        section
            .add_row(vec!["a".into(), "bb".into(), "ccc".into()])
            .unwrap();
        for max_width in 20..60 {
            let widths = section.column_widths(4, Some(max_width));
            assert_eq!(widths.iter().sum::<i64>(), max_width);
        }
    }

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

    #[test]
    fn rows_of_another_length_fail() {
        let mut section = Section::default();
        section.add_row(vec!["a".into()]).unwrap();
        assert_eq!(
            section.add_row(vec![]).unwrap_err().0,
            "Row should have 1 elements, instead it has 0"
        );
    }
}
