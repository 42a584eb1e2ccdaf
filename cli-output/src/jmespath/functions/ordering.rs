//! `sort`, `max` and `min`, and `sort_by`, `min_by` and `max_by`, which order by an expression.

use std::cmp::Ordering;

use serde_json::Number;

use super::super::error::{EvalError, type_error};
use super::super::interpret::interpret;
use super::super::value::{Kind, Value};
use super::jmespath_type;

/// The order `sort`, `max` and `min` use (the `jmespath` crate's, as `sso-oidc` has always had
/// it): strings by code point, numbers as floats; the arguments are all one or the other.
fn order(a: &Value<'_>, b: &Value<'_>) -> Ordering {
    match (a.kind(), b.kind()) {
        (Kind::String, Kind::String) => a.as_str().cmp(&b.as_str()),
        (Kind::Number, Kind::Number) => {
            let f = |v: &Value<'_>| v.as_number().and_then(Number::as_f64).unwrap_or(0.0);
            f(a).partial_cmp(&f(b)).unwrap_or(Ordering::Less)
        }
        _ => Ordering::Equal,
    }
}

/// `sort(array)`, stable.
pub(super) fn sort<'a>(array: &Value<'a>) -> Value<'a> {
    let mut items = array.items().unwrap_or_default();
    items.sort_by(order);
    Value::Array(items)
}

/// `max(array)`: of equal elements, the last (null for an empty array).
pub(super) fn max<'a>(array: &Value<'a>) -> Value<'a> {
    let items = array.items().unwrap_or_default();
    items
        .into_iter()
        .reduce(|best, item| {
            if order(&best, &item) == Ordering::Greater {
                best
            } else {
                item
            }
        })
        .unwrap_or(Value::Null)
}

/// `min(array)`: of equal elements, the first (null for an empty array).
pub(super) fn min<'a>(array: &Value<'a>) -> Value<'a> {
    let items = array.items().unwrap_or_default();
    items
        .into_iter()
        .reduce(|best, item| {
            if order(&best, &item) == Ordering::Greater {
                item
            } else {
                best
            }
        })
        .unwrap_or(Value::Null)
}

/// Python's `<` between two keys (numbers or strings); `None` when it raises.
fn less(a: &Value<'_>, b: &Value<'_>) -> Option<bool> {
    match (a.kind(), b.kind()) {
        (Kind::String, Kind::String) => Some(a.as_str() < b.as_str()),
        (Kind::Number, Kind::Number) => Some(a.as_number()?.as_f64()? < b.as_number()?.as_f64()?),
        _ => None,
    }
}

/// The expression (`&expression`) on `item`.
fn key<'a>(item: &Value<'a>, expression: &Value<'a>) -> Result<Value<'a>, EvalError> {
    match expression {
        Value::Expref(node) => interpret(item, node),
        _ => Ok(Value::Null),
    }
}

/// The key of `item` for `sort_by`, `min_by` and `max_by`, checked as Python's `keyfunc` does.
fn key_of<'a>(
    name: &str,
    item: &Value<'a>,
    expression: &Value<'a>,
    allowed: &[&str],
) -> Result<Value<'a>, EvalError> {
    let key = key(item, expression)?;
    let key_type = jmespath_type(key.python_type());
    if allowed.contains(&key_type) {
        Ok(key)
    } else {
        Err(type_error(name, &key, key_type, allowed))
    }
}

/// `sort_by(array, &expression)`: stable, like Python's `sorted`; the keys must all be numbers
/// or all strings, as the first one is.
pub(super) fn sort_by<'a>(
    array: &Value<'a>,
    expression: &Value<'a>,
) -> Result<Value<'a>, EvalError> {
    let items = array.items().unwrap_or_default();
    let Some(first) = items.first() else {
        return Ok(array.clone());
    };
    let first_key = key(first, expression)?;
    let required = jmespath_type(first_key.python_type());
    if !matches!(required, "number" | "string") {
        return Err(type_error(
            "sort_by",
            first,
            required,
            &["string", "number"],
        ));
    }
    let mut keyed = Vec::with_capacity(items.len());
    for item in &items {
        keyed.push((
            key_of("sort_by", item, expression, &[required])?,
            item.clone(),
        ));
    }
    keyed.sort_by(|(a, _), (b, _)| {
        if less(a, b) == Some(true) {
            Ordering::Less
        } else if less(b, a) == Some(true) {
            Ordering::Greater
        } else {
            Ordering::Equal
        }
    });
    Ok(Value::Array(
        keyed.into_iter().map(|(_, item)| item).collect(),
    ))
}

/// `min_by(array, &expression)`.
pub(super) fn min_by<'a>(
    array: &Value<'a>,
    expression: &Value<'a>,
) -> Result<Value<'a>, EvalError> {
    best_by("min_by", array, expression)
}

/// `max_by(array, &expression)`.
pub(super) fn max_by<'a>(
    array: &Value<'a>,
    expression: &Value<'a>,
) -> Result<Value<'a>, EvalError> {
    best_by("max_by", array, expression)
}

/// Python's `min(array, key=...)` / `max(...)`: the first best item; comparing a number key with
/// a string key raises.
fn best_by<'a>(
    name: &str,
    array: &Value<'a>,
    expression: &Value<'a>,
) -> Result<Value<'a>, EvalError> {
    let allowed = ["number", "string"];
    let items = array.items().unwrap_or_default();
    let Some((first, rest)) = items.split_first() else {
        return Ok(Value::Null);
    };
    let mut best = first.clone();
    let mut best_key = key_of(name, first, expression, &allowed)?;
    for item in rest {
        let key = key_of(name, item, expression, &allowed)?;
        let (op, better) = if name == "min_by" {
            ("<", less(&key, &best_key))
        } else {
            (">", less(&best_key, &key))
        };
        let better = better.ok_or_else(|| {
            EvalError(format!(
                "'{op}' not supported between instances of '{}' and '{}'",
                key.python_type(),
                best_key.python_type()
            ))
        })?;
        if better {
            best = item.clone();
            best_key = key;
        }
    }
    Ok(best)
}
