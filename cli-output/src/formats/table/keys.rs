//! The keys the AWS CLI's `_group_scalar_keys` finds, on the shapes it was written for (a dict)
//! and on those a query can make (a list or a string where a dict was expected, which Python
//! iterates over and indexes, with the results and exceptions reproduced here).

use crate::document::{Document, Object};
use crate::failure::{Failure, type_name};

/// `_group_scalar_keys` of a dict: its keys with scalar values and the others, each sorted.
pub(super) fn group_dict(object: &Object) -> (Vec<&str>, Vec<&str>) {
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
pub(super) enum Key<'a> {
    Str(&'a str),
    /// A list element that indexes the list: an `int`, or a `bool` (which is an `int`).
    Int {
        value: i64,
        type_name: &'static str,
    },
}

/// `_group_scalar_keys` of any element of a list whose first element is a dict.
pub(super) fn group_any(item: &Document) -> Result<(Vec<Key<'_>>, Vec<Key<'_>>), Failure> {
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
pub(super) fn union_sorted<'a>(
    sets: impl Iterator<Item = Key<'a>>,
) -> Result<Vec<Key<'a>>, Failure> {
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

pub(super) fn key_text(key: &Key<'_>) -> String {
    match key {
        Key::Str(s) => (*s).to_owned(),
        Key::Int { value, type_name } => match (*type_name, *value) {
            ("bool", 0) => "False".to_owned(),
            ("bool", _) => "True".to_owned(),
            _ => value.to_string(),
        },
    }
}

/// Python's `key in element` for an element that is not a dict (a list or a string).
pub(super) fn contains(element: &Document, key: &Key<'_>) -> Result<bool, Failure> {
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
