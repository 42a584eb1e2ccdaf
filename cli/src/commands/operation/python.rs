//! How Python shows a JSON value in the messages botocore words: `str()`, `repr()` and
//! `type()`.

use serde_json::Value;

/// Python's `str()` of the value as `json.loads` makes it: a string as it is, `None`,
/// `True`/`False`, a list or dict as its `repr()`.
pub(crate) fn str(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => repr_value(other),
    }
}

/// Python's `repr()` of a string: in single quotes, unless it holds one and no double quote.
pub(crate) fn repr(text: &str) -> String {
    let quote = if text.contains('\'') && !text.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::from(quote);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

fn repr_value(value: &Value) -> String {
    match value {
        Value::Null => "None".to_owned(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        Value::Number(number) => number.to_string(),
        Value::String(text) => repr(text),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(repr_value).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(members) => {
            let members: Vec<String> = members
                .iter()
                .map(|(key, value)| format!("{}: {}", repr(key), repr_value(value)))
                .collect();
            format!("{{{}}}", members.join(", "))
        }
    }
}

/// Python's `type()` of the value as `json.loads` makes it, as `str()` shows it.
pub(crate) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "<class 'NoneType'>",
        Value::Bool(_) => "<class 'bool'>",
        Value::Number(n) if n.is_f64() => "<class 'float'>",
        Value::Number(_) => "<class 'int'>",
        Value::String(_) => "<class 'str'>",
        Value::Array(_) => "<class 'list'>",
        Value::Object(_) => "<class 'dict'>",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_show_as_python_shows_them() {
        assert_eq!(str(&json!("3")), "3");
        assert_eq!(str(&json!(null)), "None");
        assert_eq!(str(&json!([true, "a", 1.5])), "[True, 'a', 1.5]");
        assert_eq!(str(&json!({"k": [false]})), "{'k': [False]}");
        assert_eq!(repr("it's"), "\"it's\"");
        assert_eq!(repr("a'\"\\\n"), "'a\\'\"\\\\\\n'");
        assert_eq!(type_name(&json!("3")), "<class 'str'>");
        assert_eq!(type_name(&json!(3)), "<class 'int'>");
        assert_eq!(type_name(&json!(3.0)), "<class 'float'>");
        assert_eq!(type_name(&json!({})), "<class 'dict'>");
    }
}
