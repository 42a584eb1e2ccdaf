//! `abs`, `avg`, `ceil`, `floor` and `sum`: Python's arithmetic on `int`s and `float`s (an
//! `int` stays exact, `math.ceil` gives an `int`).

use serde_json::Number;

use super::super::error::EvalError;
use super::super::value::Value;

fn float<'a>(f: f64) -> Value<'a> {
    Number::from_f64(f).map_or(Value::Null, Value::Number)
}

fn as_f64(value: &Value<'_>) -> f64 {
    value.as_number().and_then(Number::as_f64).unwrap_or(0.0)
}

/// `abs(number)`.
pub(super) fn abs<'a>(value: &Value<'a>) -> Value<'a> {
    match value.as_number() {
        Some(n) => match n.as_i64() {
            Some(i) => Value::Number(Number::from(i.unsigned_abs())),
            None if n.is_u64() => Value::Number(n.clone()),
            None => float(as_f64(value).abs()),
        },
        None => Value::Null,
    }
}

/// `avg(numbers)`: a float, summed in floating point; null for an empty array, where Python
/// returns `None` rather than divide by zero.
///
/// # Errors
///
/// A sum too large for a float, as `sso-oidc` has always reported it.
pub(super) fn avg<'a>(numbers: &Value<'a>) -> Result<Value<'a>, EvalError> {
    let items = numbers.items().unwrap_or_default();
    if items.is_empty() {
        return Ok(Value::Null);
    }
    let sum = items.iter().fold(0.0, |sum, item| sum + as_f64(item));
    Number::from_f64(sum / items.len() as f64)
        .map(Value::Number)
        .ok_or_else(|| EvalError("Expected to be a valid f64".to_owned()))
}

/// `ceil(number)` and `floor(number)`, with `round` the float operation: `math.ceil` and
/// `math.floor` return an `int`, the argument itself when it is one.
pub(super) fn rounded<'a>(value: &Value<'a>, round: fn(f64) -> f64) -> Value<'a> {
    match value.as_number() {
        Some(n) if !n.is_f64() => Value::Number(n.clone()),
        Some(_) => {
            let f = round(as_f64(value));
            // Exact: a float this large has no fraction.
            if (-9.2e18..9.2e18).contains(&f) {
                Value::Number(Number::from(f as i64))
            } else if (0.0..1.8e19).contains(&f) {
                Value::Number(Number::from(f as u64))
            } else {
                float(f)
            }
        }
        None => Value::Null,
    }
}

/// `sum(numbers)`: exact when all are `int`s (and the total fits 64 bits), else a float.
///
/// # Errors
///
/// A sum too large for a float, as `sso-oidc` has always reported it.
pub(super) fn sum<'a>(numbers: &Value<'a>) -> Result<Value<'a>, EvalError> {
    let items = numbers.items().unwrap_or_default();
    let total = items.iter().fold(0.0, |sum, item| sum + as_f64(item));
    let total = Number::from_f64(total)
        .ok_or_else(|| EvalError("Expected to be a valid number".to_owned()))?;
    let exact = items.iter().try_fold(0i128, |sum, item| {
        let n = item.as_number().filter(|n| !n.is_f64())?;
        let n = n.as_i64().map(i128::from).or(n.as_u64().map(i128::from))?;
        sum.checked_add(n)
    });
    let exact = exact.and_then(|exact| {
        i64::try_from(exact)
            .map(Number::from)
            .or_else(|_| u64::try_from(exact).map(Number::from))
            .ok()
    });
    Ok(Value::Number(exact.unwrap_or(total)))
}
