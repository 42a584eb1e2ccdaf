//! `--output table`: the AWS CLI's `TableFormatter` (`awscli/formatter.py`), which lays a
//! response out as [`MultiTable`] sections: the operation name as the title, an object's scalars
//! as one row under sorted headers (or as name/value rows when there is one, or when the table
//! would be wider than the terminal), and a section per nested list or object, indented.
//!
//! The formatter is written for botocore's responses; on other shapes (which a query can make)
//! it fails, or does odd things, in ways we reproduce: see [`Failure`].

mod draw;
mod keys;
mod multitable;

use self::keys::{Key, contains, group_any, group_dict, key_text, union_sorted};
use self::multitable::MultiTable;
use crate::document::{Document, Object};
use crate::failure::Failure;
use crate::python;

/// Formats a (queried) response under the title `title`; a falsy response (null, false, zero,
/// empty) prints nothing. In colour when `colored`, as the AWS CLI draws it with `--color on`
/// (or `auto` on a terminal).
pub(crate) fn format(
    title: &str,
    value: &Document,
    terminal_width: usize,
    colored: bool,
) -> Result<String, Failure> {
    let mut table = MultiTable::default();
    if build(&mut table, Some(title), value, 0)? {
        Ok(table.render(terminal_width, colored))
    } else {
        Ok(String::new())
    }
}

/// `_build_table`: whether there was anything to draw.
fn build(
    table: &mut MultiTable,
    title: Option<&str>,
    current: &Document,
    indent_level: usize,
) -> Result<bool, Failure> {
    if current.is_falsy() {
        return Ok(false);
    }
    if let Some(title) = title {
        table.new_section(Some(title), indent_level);
    }
    match current {
        Document::Array(items) => {
            if matches!(items.first(), Some(Document::Object(_))) {
                build_from_list(table, items, indent_level, title)?;
            } else {
                for item in items {
                    match item {
                        scalar if scalar.is_scalar() => table.add_row(vec![python::str(scalar)])?,
                        // Iterating over a dict gives its keys: strings, so "all scalar".
                        Document::Object(object) => {
                            table.add_row(object.keys().map(str::to_owned).collect())?;
                        }
                        Document::Array(row) if row.iter().all(Document::is_scalar) => {
                            table.add_row(row.iter().map(python::str).collect())?;
                        }
                        nested => {
                            build(table, None, nested, 0)?;
                        }
                    }
                }
            }
        }
        Document::Object(object) => build_from_dict(table, object, indent_level)?,
        _ => {}
    }
    Ok(true)
}

/// `_build_sub_table_from_dict`.
fn build_from_dict(
    table: &mut MultiTable,
    object: &Object,
    indent_level: usize,
) -> Result<(), Failure> {
    let (headers, more) = group_dict(object);
    match headers.as_slice() {
        [] => {}
        [only] => {
            let value = object.get(only).map(python::str).unwrap_or_default();
            table.add_row(vec![(*only).to_owned(), value])?;
        }
        _ => {
            table.add_row_header(headers.iter().map(|h| (*h).to_owned()).collect())?;
            table.add_row(
                headers
                    .iter()
                    .map(|h| object.get(h).map(python::str).unwrap_or_default())
                    .collect(),
            )?;
        }
    }
    for key in more {
        if let Some(value) = object.get(key) {
            build(table, Some(key), value, indent_level + 1)?;
        }
    }
    Ok(())
}

/// `_build_sub_table_from_list`: a list whose first element is a dict; one header row with the
/// scalar keys of all elements, a row per element, and each element's nested values after it
/// (in a new section per element when there are any).
fn build_from_list(
    table: &mut MultiTable,
    items: &[Document],
    indent_level: usize,
    title: Option<&str>,
) -> Result<(), Failure> {
    let mut all_headers = Vec::new();
    let mut all_more = Vec::new();
    for item in items {
        let (headers, more) = group_any(item)?;
        all_headers.extend(headers);
        all_more.extend(more);
    }
    let headers = union_sorted(all_headers.into_iter())?;
    let more = union_sorted(all_more.into_iter())?;
    let header_texts: Vec<String> = headers.iter().map(key_text).collect();
    table.add_row_header(header_texts.clone())?;
    for (i, element) in items.iter().enumerate() {
        if i > 0 && !more.is_empty() {
            table.new_section(title, indent_level);
            table.add_row_header(header_texts.clone())?;
        }
        let Document::Object(object) = element else {
            // Python's `[element.get(header, '') for header in headers]` only looks for `get`
            // when there are headers; elements that got this far without are `[]` and `""`.
            if !headers.is_empty() {
                return Err(Failure::no_attribute(element, "get"));
            }
            table.add_row(Vec::new())?;
            for key in &more {
                if contains(element, key)? {
                    return Err(Failure(
                        match element {
                            Document::String(_) => "string indices must be integers, not 'str'",
                            _ => "list indices must be integers or slices, not str",
                        }
                        .to_owned(),
                    ));
                }
            }
            continue;
        };
        table.add_row(
            headers
                .iter()
                .map(|header| match header {
                    Key::Str(key) => object.get(key).map(python::str).unwrap_or_default(),
                    Key::Int { .. } => String::new(),
                })
                .collect(),
        )?;
        for key in &more {
            if let Key::Str(key) = key
                && let Some(value) = object.get(key)
            {
                build(table, Some(key), value, indent_level + 1)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(json: &str) -> Result<String, Failure> {
        format("Op", &serde_json::from_str(json).unwrap(), 80, false)
    }

    #[test]
    fn one_scalar_is_a_name_value_row() {
        assert_eq!(
            table(r#"{"a":"x"}"#).unwrap(),
            "------------\n|    Op    |\n+----+-----+\n|  a |  x  |\n+----+-----+\n"
        );
    }

    #[test]
    fn falsy_prints_nothing() {
        for falsy in ["null", "0", "false", "\"\"", "[]", "{}"] {
            assert_eq!(table(falsy).unwrap(), "", "{falsy}");
        }
    }

    #[test]
    fn list_starting_with_a_dict_and_a_string_fails() {
        assert_eq!(
            table(r#"[{"a":1},"b"]"#).unwrap_err().0,
            "string indices must be integers, not 'str'"
        );
    }
}
