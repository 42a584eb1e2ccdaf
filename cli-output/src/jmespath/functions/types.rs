//! `to_number`, `to_string` and `type`.

use serde_json::Number;

use super::super::error::{EvalError, crate_type_error};
use super::super::value::{Kind, Value};
use crate::python::{self, JsonStyle};

/// `to_number(value)`: a number as it is, a string as Python's `int(s)`, else `float(s)`, else
/// null; null for anything else.
pub(super) fn to_number<'a>(value: &Value<'a>) -> Value<'a> {
    match (value.as_number(), value.as_str()) {
        (Some(n), _) => Value::Number(n.clone()),
        (None, Some(text)) => parse_number(text),
        (None, None) => Value::Null,
    }
}

fn parse_number<'a>(text: &str) -> Value<'a> {
    let trimmed = text.trim_matches(|c: char| c.is_whitespace());
    if let Ok(i) = trimmed.parse::<i64>() {
        return Value::Number(Number::from(i));
    }
    if let Ok(u) = trimmed.parse::<u64>() {
        return Value::Number(Number::from(u));
    }
    let is_float_text = trimmed
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'));
    match trimmed.parse::<f64>() {
        Ok(f) if is_float_text => Number::from_f64(f).map_or(Value::Null, Value::Number),
        _ => Value::Null,
    }
}

/// `to_string(value)`: a string as it is, anything else as Python's
/// `json.dumps(value, separators=(',', ':'))`.
///
/// # Errors
///
/// An expression reference. (Python would fail in `json.dumps`; `sso-oidc` has always refused
/// it as the `jmespath` crate did.)
pub(super) fn to_string<'a>(value: &Value<'a>) -> Result<Value<'a>, EvalError> {
    match value.kind() {
        Kind::String => Ok(value.clone()),
        Kind::Expref => Err(crate_type_error(
            "to_string",
            value,
            "object|array|boolean|number|string|null",
        )),
        _ => Ok(Value::String(python::dumps(
            &value.to_document(),
            JsonStyle::Compact,
        ))),
    }
}

/// `type(value)`: its JMESPath type's name.
pub(super) fn type_of<'a>(value: &Value<'a>) -> Value<'a> {
    Value::String(value.kind().name().to_owned())
}
