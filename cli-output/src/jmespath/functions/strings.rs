//! `join`, `starts_with` and `ends_with`.

use super::super::value::Value;

/// `join(glue, strings)`.
pub(super) fn join<'a>(glue: &Value<'a>, strings: &Value<'a>) -> Value<'a> {
    let items = strings.items().unwrap_or_default();
    let parts: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
    Value::String(parts.join(glue.as_str().unwrap_or_default()))
}

/// `starts_with(subject, prefix)`.
pub(super) fn starts_with<'a>(subject: &Value<'a>, prefix: &Value<'a>) -> Value<'a> {
    match (subject.as_str(), prefix.as_str()) {
        (Some(subject), Some(prefix)) => Value::Bool(subject.starts_with(prefix)),
        _ => Value::Null,
    }
}

/// `ends_with(subject, suffix)`.
pub(super) fn ends_with<'a>(subject: &Value<'a>, suffix: &Value<'a>) -> Value<'a> {
    match (subject.as_str(), suffix.as_str()) {
        (Some(subject), Some(suffix)) => Value::Bool(subject.ends_with(suffix)),
        _ => Value::Null,
    }
}
