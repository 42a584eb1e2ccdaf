//! `contains`, `length`, `map`, `not_null`, `reverse` and `to_array`.

use serde_json::Number;

use super::super::error::EvalError;
use super::super::interpret::interpret;
use super::super::value::{Kind, Value};

/// `contains(subject, search)`: an element of an array equal to `search`, or a substring.
///
/// Elements compare as the `jmespath` crate compared them, which `sso-oidc` has always used here:
/// of the same type (`1` is not `true`), numbers as floats equal within a relative epsilon
/// (`1` is `1.0`), objects in any order.
pub(super) fn contains<'a>(subject: &Value<'a>, search: &Value<'a>) -> Value<'a> {
    let found = match (subject.items(), subject.as_str()) {
        (Some(items), _) => items.iter().any(|item| same(item, search)),
        (None, Some(text)) => search.as_str().is_some_and(|s| text.contains(s)),
        (None, None) => false,
    };
    Value::Bool(found)
}

/// The `jmespath` crate's equality of two values.
fn same(a: &Value<'_>, b: &Value<'_>) -> bool {
    if a.kind() != b.kind() {
        return false;
    }
    match a.kind() {
        Kind::Null => true,
        Kind::Bool => a.as_bool() == b.as_bool(),
        Kind::Number => match (
            a.as_number().and_then(Number::as_f64),
            b.as_number().and_then(Number::as_f64),
        ) {
            (Some(a), Some(b)) => float_eq(a, b),
            _ => false,
        },
        Kind::String => a.as_str() == b.as_str(),
        Kind::Array => match (a.items(), b.items()) {
            (Some(a), Some(b)) => a.len() == b.len() && a.iter().zip(&b).all(|(a, b)| same(a, b)),
            _ => false,
        },
        Kind::Object => match (a.keys(), b.keys()) {
            (Some(keys), Some(other)) => {
                keys.len() == other.len()
                    && keys.iter().all(|key| match (a.get(key), b.get(key)) {
                        (Some(a), Some(b)) => same(&a, &b),
                        _ => false,
                    })
            }
            _ => false,
        },
        // Two references to one `&expression` of the query.
        Kind::Expref => {
            matches!((a, b), (Value::Expref(a), Value::Expref(b)) if std::ptr::eq(*a, *b))
        }
    }
}

/// Equal, or within a relative epsilon (`float_eq` of the `jmespath` crate).
fn float_eq(a: f64, b: f64) -> bool {
    let diff = (a - b).abs();
    if a == b {
        true
    } else if !a.is_normal() || !b.is_normal() {
        diff < (f64::EPSILON * f64::MIN_POSITIVE)
    } else {
        diff / (a.abs() + b.abs()) < f64::EPSILON
    }
}

/// `length(subject)`: elements, members, or characters (code points, as Python counts).
pub(super) fn length<'a>(subject: &Value<'a>) -> Value<'a> {
    let len = match (subject.items(), subject.object_len(), subject.as_str()) {
        (Some(items), _, _) => items.len(),
        (None, Some(members), _) => members,
        (None, None, Some(text)) => text.chars().count(),
        (None, None, None) => return Value::Null,
    };
    Value::Number(Number::from(len))
}

/// `map(&expression, array)`: the expression on each element, nulls kept.
pub(super) fn map<'a>(expref: &Value<'a>, array: &Value<'a>) -> Result<Value<'a>, EvalError> {
    let (Value::Expref(node), Some(items)) = (expref, array.items()) else {
        return Ok(Value::Null);
    };
    let mut results = Vec::with_capacity(items.len());
    for item in &items {
        results.push(interpret(item, node)?);
    }
    Ok(Value::Array(results))
}

/// `not_null(values...)`: the first that is not null.
pub(super) fn not_null<'a>(values: &[Value<'a>]) -> Value<'a> {
    values
        .iter()
        .find(|value| !value.is_null())
        .cloned()
        .unwrap_or(Value::Null)
}

/// `reverse(subject)`: an array's elements or a string's characters, last first.
pub(super) fn reverse<'a>(subject: &Value<'a>) -> Value<'a> {
    match (subject.items(), subject.as_str()) {
        (Some(mut items), _) => {
            items.reverse();
            Value::Array(items)
        }
        (None, Some(text)) => Value::String(text.chars().rev().collect()),
        (None, None) => Value::Null,
    }
}

/// `to_array(value)`: an array as it is, anything else in one.
pub(super) fn to_array<'a>(value: &Value<'a>) -> Value<'a> {
    match value.kind() {
        Kind::Array => value.clone(),
        _ => Value::Array(vec![value.clone()]),
    }
}
