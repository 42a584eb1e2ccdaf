//! `--output text`: the AWS CLI's `TextFormatter` (`awscli/text.py`, `format_text`).
//!
//! Scalars of an object go on one tab-separated line in key order, each nested list or object
//! follows with its key, upper-cased, as the first column; the members of a list of objects
//! share the columns that any of them has.

use std::collections::BTreeSet;

use crate::document::{Document, Object};
use crate::failure::{Failure, type_name};
use crate::python;

/// Formats a (queried) response. On failure, the AWS CLI has already printed part of the
/// output, which is returned along with the exception.
pub(crate) fn format(value: &Document) -> Result<String, (Failure, String)> {
    let mut out = String::new();
    match format_value(value, None, None, &mut out) {
        Ok(()) => Ok(out),
        Err(failure) => Err((failure, out)),
    }
}

fn format_value(
    item: &Document,
    identifier: Option<&str>,
    scalar_keys: Option<&[&str]>,
    out: &mut String,
) -> Result<(), Failure> {
    match item {
        Document::Object(object) => format_dict(scalar_keys, object, identifier, out),
        Document::Array(items) => format_list(items, identifier, out),
        scalar => {
            out.push_str(&python::str(scalar));
            out.push('\n');
            Ok(())
        }
    }
}

fn format_list(
    items: &[Document],
    identifier: Option<&str>,
    out: &mut String,
) -> Result<(), Failure> {
    if items.is_empty() {
        return Ok(());
    }
    if items.iter().any(|item| matches!(item, Document::Object(_))) {
        let all_keys = all_scalar_keys(items)?;
        for item in items {
            format_value(item, identifier, Some(&all_keys), out)?;
        }
    } else if items.iter().any(|item| matches!(item, Document::Array(_))) {
        let (scalars, non_scalars): (Vec<&Document>, Vec<&Document>) =
            items.iter().partition(|item| item.is_scalar());
        if !scalars.is_empty() {
            format_scalar_list(&scalars, identifier, out);
        }
        for non_scalar in non_scalars {
            format_value(non_scalar, identifier, None, out)?;
        }
    } else {
        format_scalar_list(&items.iter().collect::<Vec<_>>(), identifier, out);
    }
    Ok(())
}

fn format_scalar_list(elements: &[&Document], identifier: Option<&str>, out: &mut String) {
    match identifier {
        Some(identifier) => {
            let identifier = identifier.to_uppercase();
            for element in elements {
                out.push_str(&identifier);
                out.push('\t');
                out.push_str(&python::str(element));
                out.push('\n');
            }
        }
        None => {
            let line: Vec<String> = elements.iter().map(|e| python::str(e)).collect();
            out.push_str(&line.join("\t"));
            out.push('\n');
        }
    }
}

fn format_dict(
    scalar_keys: Option<&[&str]>,
    object: &Object,
    identifier: Option<&str>,
    out: &mut String,
) -> Result<(), Failure> {
    let (mut scalars, non_scalars) = partition_dict(object, scalar_keys);
    if !scalars.is_empty() {
        if let Some(identifier) = identifier {
            scalars.insert(0, identifier.to_uppercase());
        }
        out.push_str(&scalars.join("\t"));
        out.push('\n');
    }
    for (key, value) in non_scalars {
        format_value(value, Some(key), None, out)?;
    }
    Ok(())
}

/// The keys with a scalar value in any of the objects, sorted; Python calls `.items()` on every
/// element, so a list that mixes objects with anything else fails here.
fn all_scalar_keys(items: &[Document]) -> Result<Vec<&str>, Failure> {
    let mut seen = BTreeSet::new();
    for item in items {
        let Document::Object(object) = item else {
            return Err(Failure(format!(
                "'{}' object has no attribute 'items'",
                type_name(item)
            )));
        };
        seen.extend(
            object
                .iter()
                .filter(|(_, value)| value.is_scalar())
                .map(|(key, _)| key),
        );
    }
    Ok(seen.into_iter().collect())
}

/// The scalar values as text (in `scalar_keys` order, or sorted by key) and the other members
/// sorted by key. With `scalar_keys`, a key the object lacks gives an empty column and a key
/// whose value here is a list or an object gives its Python `repr()`.
fn partition_dict<'a>(
    object: &'a Object,
    scalar_keys: Option<&[&str]>,
) -> (Vec<String>, Vec<(&'a str, &'a Document)>) {
    let mut sorted: Vec<(&str, &Document)> = object.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    match scalar_keys {
        None => {
            let mut scalars = Vec::new();
            let mut non_scalars = Vec::new();
            for (key, value) in sorted {
                if value.is_scalar() {
                    scalars.push(python::str(value));
                } else {
                    non_scalars.push((key, value));
                }
            }
            (scalars, non_scalars)
        }
        Some(keys) => {
            let scalars = keys
                .iter()
                .map(|key| object.get(key).map(python::str).unwrap_or_default())
                .collect();
            let non_scalars = sorted
                .into_iter()
                .filter(|(key, _)| !keys.contains(key))
                .collect();
            (scalars, non_scalars)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(json: &str) -> Result<String, (Failure, String)> {
        format(&serde_json::from_str(json).unwrap())
    }

    #[test]
    fn object_scalars_sorted_then_nested_with_identifiers() {
        assert_eq!(
            text(r#"{"b":1,"a":"x","l":[1,2],"o":{"z":null,"y":true}}"#).unwrap(),
            "x\t1\nL\t1\nL\t2\nO\tTrue\tNone\n"
        );
    }

    #[test]
    fn list_of_objects_shares_columns() {
        assert_eq!(
            text(r#"[{"a":1},{"b":2,"c":[3]}]"#).unwrap(),
            "1\t\n\t2\nC\t3\n"
        );
    }

    #[test]
    fn mixed_list_fails_as_python_does() {
        let (failure, printed) = text(r#"{"a":"x","b":[{"c":1},2]}"#).unwrap_err();
        assert_eq!(failure.0, "'int' object has no attribute 'items'");
        assert_eq!(printed, "x\n");
    }
}
