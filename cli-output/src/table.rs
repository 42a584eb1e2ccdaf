//! `--output table`: the AWS CLI's `TableFormatter` (`awscli/formatter.py`), which lays a
//! response out as [`MultiTable`] sections: the operation name as the title, an object's scalars
//! as one row under sorted headers (or as name/value rows when there is one, or when the table
//! would be wider than the terminal), and a section per nested list or object, indented.
//!
//! The formatter is written for botocore's responses; on other shapes (which a query can make)
//! it fails, or does odd things, in ways we reproduce: see [`Failure`].

use super::document::{Document, Object};
use super::failure::{Failure, type_name};
use super::multitable::MultiTable;
use super::python;

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

/// `_group_scalar_keys` of a dict: its keys with scalar values and the others, each sorted.
fn group_dict(object: &Object) -> (Vec<&str>, Vec<&str>) {
    let (mut headers, mut more): (Vec<&str>, Vec<&str>) = object
        .keys()
        .partition(|key| object.get(key).is_some_and(Document::is_scalar));
    headers.sort_unstable();
    more.sort_unstable();
    (headers, more)
}

/// A key as `_group_scalar_keys` finds it: a dict's key, or, when Python iterates over a list
/// (which it only does on shapes it was not written for), an element used as an index.
#[derive(Debug, Clone, PartialEq)]
enum Key<'a> {
    Str(&'a str),
    /// A list element that indexes the list: an `int`, or a `bool` (which is an `int`).
    Int {
        value: i64,
        type_name: &'static str,
    },
}

/// `_group_scalar_keys` of any element of a list whose first element is a dict.
fn group_any(item: &Document) -> Result<(Vec<Key<'_>>, Vec<Key<'_>>), Failure> {
    match item {
        Document::Object(object) => {
            let (headers, more) = group_dict(object);
            Ok((
                headers.into_iter().map(Key::Str).collect(),
                more.into_iter().map(Key::Str).collect(),
            ))
        }
        // `for element in a_list: a_list[element]`.
        Document::Array(items) => {
            let mut headers = Vec::new();
            let mut more = Vec::new();
            for element in items {
                let (value, type_name) = match element {
                    Document::Bool(b) => (i64::from(*b), "bool"),
                    Document::Number(n) if n.is_i64() => (n.as_i64().unwrap_or(0), "int"),
                    Document::Number(n) if n.is_u64() => {
                        return Err(Failure(
                            "cannot fit 'int' into an index-sized integer".to_owned(),
                        ));
                    }
                    other => {
                        return Err(Failure(format!(
                            "list indices must be integers or slices, not {}",
                            type_name(other)
                        )));
                    }
                };
                let len = items.len() as i64;
                let index = if value < 0 { value + len } else { value };
                let indexed = usize::try_from(index)
                    .ok()
                    .and_then(|i| items.get(i))
                    .ok_or_else(Failure::list_index_out_of_range)?;
                let key = Key::Int { value, type_name };
                if indexed.is_scalar() {
                    headers.push(key);
                } else {
                    more.push(key);
                }
            }
            // Python sorts ints stably; equal values (1 and True) keep their order.
            headers.sort_by_key(int_value);
            more.sort_by_key(int_value);
            Ok((headers, more))
        }
        // `for ch in a_str: a_str[ch]`.
        Document::String(s) if s.is_empty() => Ok((Vec::new(), Vec::new())),
        Document::String(_) => Err(Failure(
            "string indices must be integers, not 'str'".to_owned(),
        )),
        scalar => Err(Failure(format!(
            "'{}' object is not iterable",
            type_name(scalar)
        ))),
    }
}

fn int_value(key: &Key<'_>) -> i64 {
    match key {
        Key::Int { value, .. } => *value,
        Key::Str(_) => 0,
    }
}

/// Python's `set.update` (equal keys are kept once, the first one) followed by `sorted()`, which
/// fails on a set that mixes strings and numbers.
fn union_sorted<'a>(sets: impl Iterator<Item = Key<'a>>) -> Result<Vec<Key<'a>>, Failure> {
    let mut keys: Vec<Key<'a>> = Vec::new();
    for key in sets {
        let equal = |k: &Key<'a>| match (k, &key) {
            (Key::Str(a), Key::Str(b)) => a == b,
            (Key::Int { value: a, .. }, Key::Int { value: b, .. }) => a == b,
            _ => false,
        };
        if !keys.iter().any(equal) {
            keys.push(key);
        }
    }
    let str_key = keys.iter().find(|k| matches!(k, Key::Str(_)));
    let int_key = keys.iter().find_map(|k| match k {
        Key::Int { type_name, .. } => Some(*type_name),
        Key::Str(_) => None,
    });
    if let (Some(_), Some(int_type)) = (str_key, int_key) {
        // Which pair Python compares first depends on the set's hash order, which is random
        // for strings; any of these messages is what the AWS CLI may print.
        return Err(Failure(format!(
            "'<' not supported between instances of '{int_type}' and 'str'"
        )));
    }
    keys.sort_by(|a, b| match (a, b) {
        (Key::Str(a), Key::Str(b)) => a.cmp(b),
        _ => int_value(a).cmp(&int_value(b)),
    });
    Ok(keys)
}

fn key_text(key: &Key<'_>) -> String {
    match key {
        Key::Str(s) => (*s).to_owned(),
        Key::Int { value, type_name } => match (*type_name, *value) {
            ("bool", 0) => "False".to_owned(),
            ("bool", _) => "True".to_owned(),
            _ => value.to_string(),
        },
    }
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

/// Python's `key in element` for an element that is not a dict (a list or a string).
fn contains(element: &Document, key: &Key<'_>) -> Result<bool, Failure> {
    Ok(match (element, key) {
        (Document::Array(items), Key::Str(key)) => items
            .iter()
            .any(|item| matches!(item, Document::String(s) if s == key)),
        (Document::Array(items), Key::Int { value, .. }) => items.iter().any(|item| match item {
            Document::Number(n) => n.as_f64() == Some(*value as f64),
            Document::Bool(b) => i64::from(*b) == *value,
            _ => false,
        }),
        (Document::String(s), Key::Str(key)) => s.contains(key),
        (Document::String(_), Key::Int { type_name, .. }) => {
            return Err(Failure(format!(
                "'in <string>' requires string as left operand, not {type_name}"
            )));
        }
        _ => false,
    })
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
