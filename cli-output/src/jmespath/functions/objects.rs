//! `keys`, `values` and `merge`, in Python's `dict` order.

use indexmap::IndexMap;

use super::super::error::{EvalError, crate_type_error};
use super::super::value::{Kind, Value};

/// `keys(object)`, in order.
pub(super) fn keys<'a>(object: &Value<'a>) -> Value<'a> {
    let keys = object.keys().unwrap_or_default();
    Value::Array(
        keys.into_iter()
            .map(|key| Value::String(key.to_owned()))
            .collect(),
    )
}

/// `values(object)`, in order.
pub(super) fn values<'a>(object: &Value<'a>) -> Value<'a> {
    Value::Array(object.values().unwrap_or_default())
}

/// `merge(objects...)`: `dict.update` with each in turn, so a key stays where it first appears
/// and takes its last value.
///
/// # Errors
///
/// An argument after the first that is not an object. (Python checks only the first, and then
/// fails in `dict.update`; `sso-oidc` has always refused it as the `jmespath` crate did.)
pub(super) fn merge<'a>(objects: &[Value<'a>]) -> Result<Value<'a>, EvalError> {
    let mut merged = IndexMap::new();
    for object in objects {
        if object.kind() != Kind::Object {
            return Err(crate_type_error("merge", object, "object"));
        }
        for key in object.keys().unwrap_or_default() {
            if let Some(value) = object.get(key) {
                merged.insert(key.to_owned(), value);
            }
        }
    }
    Ok(Value::Object(merged))
}
