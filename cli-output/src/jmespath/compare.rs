//! Python jmespath's comparisons: `==` is Python's, except that 0 and 1 never equal a boolean;
//! ordering compares two numbers or two strings, gives null for other types, and raises for a
//! number and a string. Numbers compare exactly, as Python compares `int` and `float`.

use std::cmp::Ordering;

use serde_json::Number;

use super::error::EvalError;
use super::node::Comparator;
use super::value::{Kind, Value};

/// `left <comparator> right`.
pub(crate) fn compare<'a>(
    comparator: Comparator,
    left: &Value<'_>,
    right: &Value<'_>,
) -> Result<Value<'a>, EvalError> {
    let op = match comparator {
        Comparator::Equal => return Ok(Value::Bool(equal_top(left, right))),
        Comparator::NotEqual => return Ok(Value::Bool(!equal_top(left, right))),
        Comparator::LessThan => "<",
        Comparator::LessThanEqual => "<=",
        Comparator::GreaterThan => ">",
        Comparator::GreaterThanEqual => ">=",
    };
    let ordering = match (left.kind(), right.kind()) {
        (Kind::String, Kind::String) => left.as_str().cmp(&right.as_str()),
        (Kind::Number, Kind::Number) => match (left.as_number(), right.as_number()) {
            (Some(a), Some(b)) => match number_cmp(a, b) {
                Some(ordering) => ordering,
                None => return Ok(Value::Bool(false)),
            },
            _ => return Ok(Value::Null),
        },
        (Kind::String, Kind::Number) | (Kind::Number, Kind::String) => {
            return Err(EvalError(format!(
                "'{op}' not supported between instances of '{}' and '{}'",
                left.python_type(),
                right.python_type()
            )));
        }
        _ => return Ok(Value::Null),
    };
    Ok(Value::Bool(match comparator {
        Comparator::LessThan => ordering.is_lt(),
        Comparator::LessThanEqual => ordering.is_le(),
        Comparator::GreaterThan => ordering.is_gt(),
        _ => ordering.is_ge(),
    }))
}

/// A number as Python holds it: an exact integer or a float.
enum PyNumber {
    Int(i128),
    Float(f64),
}

fn py_number(n: &Number) -> PyNumber {
    match (n.as_i64(), n.as_u64()) {
        (Some(i), _) => PyNumber::Int(i128::from(i)),
        (None, Some(u)) => PyNumber::Int(i128::from(u)),
        _ => PyNumber::Float(n.as_f64().unwrap_or(f64::NAN)),
    }
}

/// Python's exact comparison of two numbers (`None` involves NaN).
pub(crate) fn number_cmp(a: &Number, b: &Number) -> Option<Ordering> {
    let int_float = |i: i128, f: f64| -> Option<Ordering> {
        if f.is_nan() {
            None
        } else if f >= 1.7e38 {
            Some(Ordering::Less)
        } else if f <= -1.7e38 {
            Some(Ordering::Greater)
        } else {
            let whole = f.trunc() as i128;
            Some(i.cmp(&whole).then(if f > whole as f64 {
                Ordering::Less
            } else if f < whole as f64 {
                Ordering::Greater
            } else {
                Ordering::Equal
            }))
        }
    };
    match (py_number(a), py_number(b)) {
        (PyNumber::Int(a), PyNumber::Int(b)) => Some(a.cmp(&b)),
        (PyNumber::Float(a), PyNumber::Float(b)) => a.partial_cmp(&b),
        (PyNumber::Int(a), PyNumber::Float(b)) => int_float(a, b),
        (PyNumber::Float(a), PyNumber::Int(b)) => int_float(b, a).map(Ordering::reverse),
    }
}

/// `_equals`: Python's `==`, except that the numbers 0 and 1 never equal a boolean.
fn equal_top(left: &Value<'_>, right: &Value<'_>) -> bool {
    let zero_or_one = |v: &Value<'_>| {
        v.as_number()
            .and_then(Number::as_f64)
            .is_some_and(|f| f == 0.0 || f == 1.0)
    };
    let boolean = |v: &Value<'_>| v.kind() == Kind::Bool;
    if (zero_or_one(left) && boolean(right)) || (zero_or_one(right) && boolean(left)) {
        return false;
    }
    python_equal(left, right)
}

/// Python's `==` on values from `json.loads` (`True == 1`, `1 == 1.0`, dicts in any order).
pub(crate) fn python_equal(left: &Value<'_>, right: &Value<'_>) -> bool {
    let as_number = |v: &Value<'_>| match v.as_bool() {
        Some(b) => Some(Number::from(u8::from(b))),
        None => v.as_number().cloned(),
    };
    match (left.kind(), right.kind()) {
        (Kind::Null, Kind::Null) => true,
        (Kind::String, Kind::String) => left.as_str() == right.as_str(),
        (Kind::Array, Kind::Array) => match (left.items(), right.items()) {
            (Some(a), Some(b)) => {
                a.len() == b.len() && a.iter().zip(&b).all(|(a, b)| python_equal(a, b))
            }
            _ => false,
        },
        (Kind::Object, Kind::Object) => {
            match (left.keys(), left.object_len(), right.object_len()) {
                (Some(keys), Some(a), Some(b)) => {
                    a == b
                        && keys
                            .iter()
                            .all(|key| match (left.get(key), right.get(key)) {
                                (Some(a), Some(b)) => python_equal(&a, &b),
                                _ => false,
                            })
                }
                _ => false,
            }
        }
        _ => match (as_number(left), as_number(right)) {
            (Some(a), Some(b)) => number_cmp(&a, &b) == Some(Ordering::Equal),
            _ => false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;

    fn doc(json: &str) -> Document {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn equality_as_python() {
        let (one, one_float, yes) = (doc("1"), doc("1.0"), doc("true"));
        let (a, b) = (doc(r#"{"x":1,"y":[true]}"#), doc(r#"{"y":[1.0],"x":1}"#));
        assert!(python_equal(&Value::Ref(&one), &Value::Ref(&one_float)));
        assert!(python_equal(&Value::Ref(&one), &Value::Ref(&yes)));
        assert!(!equal_top(&Value::Ref(&one), &Value::Ref(&yes)));
        assert!(python_equal(&Value::Ref(&a), &Value::Ref(&b)));
    }

    #[test]
    fn numbers_compare_exactly() {
        let big = Number::from(u64::MAX);
        let float = Number::from_f64(18_446_744_073_709_551_615.0).unwrap();
        assert_eq!(number_cmp(&big, &float), Some(Ordering::Less));
        let max = Number::from(i64::MAX);
        let less = Number::from(i64::MAX - 1);
        assert_eq!(number_cmp(&less, &max), Some(Ordering::Less));
    }
}
