//! The AWS CLI's `MultiTable` (`awscli/table.py`) as it is built: sections of rows, each with
//! the widths of its columns. [`draw`](super::draw::draw) draws it.
//!
//! Arithmetic follows the Python: floor division, `round()` to even, and negative repeat counts
//! that give empty strings.

use super::draw;
use crate::failure::Failure;
use crate::python::text_width;

/// One titled block of the table: a header row and rows, or a title alone.
#[derive(Debug, Default)]
pub(crate) struct Section {
    /// `None` is Python's `None`, which a nested list of lists gives: not drawn, yet counted as
    /// the four characters of `"None"` when sizing the table.
    pub(super) title: Option<String>,
    pub(super) headers: Vec<String>,
    pub(super) rows: Vec<Vec<String>>,
    pub(super) indent_level: usize,
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
    pub(super) fn column_widths(&self, padding: usize, max_width: Option<i64>) -> Vec<i64> {
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
        draw::draw(&self.sections, max_width, colored)
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
    fn rows_of_another_length_fail() {
        let mut section = Section::default();
        section.add_row(vec!["a".into()]).unwrap();
        assert_eq!(
            section.add_row(vec![]).unwrap_err().0,
            "Row should have 1 elements, instead it has 0"
        );
    }
}
