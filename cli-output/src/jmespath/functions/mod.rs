//! JMESPath's builtin functions as Python's jmespath runs them: its argument checks and their
//! messages ([`signature`]), then each function with Python's results where the JMESPath
//! specification leaves room (object order, `int` or `float`, `None`).
//!
//! Where Python's checks let an argument through that the `jmespath` crate's refused
//! (`to_string(&expr)`, `merge()`'s arguments after the first), `sso-oidc` has always failed as
//! the crate did, in Python's words; that is kept, and the functions say so where it happens.

mod collections;
mod math;
mod objects;
mod ordering;
mod signature;
mod strings;
mod types;

use self::signature::Mismatch;
use super::error::{EvalError, type_error};
use super::value::Value;

pub(crate) use self::signature::jmespath_type;

/// Calls builtin `name` on `args`.
pub(crate) fn call<'a>(name: &str, args: &[Value<'a>]) -> Result<Value<'a>, EvalError> {
    let unknown = || EvalError(format!("Unknown function: {name}()"));
    match signature::check(name, args).ok_or_else(unknown)? {
        Ok(()) => {}
        Err(Mismatch::Arity(message)) => return Err(EvalError(message)),
        Err(Mismatch::Type {
            value,
            actual,
            allowed,
        }) => return Err(type_error(name, &value, actual, allowed)),
    }
    // The arguments are as many, and of the types, that each signature says.
    Ok(match (name, args) {
        ("abs", [number]) => math::abs(number),
        ("avg", [numbers]) => math::avg(numbers)?,
        ("ceil", [number]) => math::rounded(number, f64::ceil),
        ("floor", [number]) => math::rounded(number, f64::floor),
        ("sum", [numbers]) => math::sum(numbers)?,
        ("contains", [subject, search]) => collections::contains(subject, search),
        ("length", [subject]) => collections::length(subject),
        ("map", [expref, array]) => collections::map(expref, array)?,
        ("not_null", values) => collections::not_null(values),
        ("reverse", [subject]) => collections::reverse(subject),
        ("to_array", [value]) => collections::to_array(value),
        ("join", [glue, strings]) => strings::join(glue, strings),
        ("starts_with", [subject, prefix]) => strings::starts_with(subject, prefix),
        ("ends_with", [subject, suffix]) => strings::ends_with(subject, suffix),
        ("keys", [object]) => objects::keys(object),
        ("values", [object]) => objects::values(object),
        ("merge", objects) => objects::merge(objects)?,
        ("sort", [array]) => ordering::sort(array),
        ("max", [array]) => ordering::max(array),
        ("min", [array]) => ordering::min(array),
        ("sort_by", [array, expref]) => ordering::sort_by(array, expref)?,
        ("min_by", [array, expref]) => ordering::min_by(array, expref)?,
        ("max_by", [array, expref]) => ordering::max_by(array, expref)?,
        ("to_number", [value]) => types::to_number(value),
        ("to_string", [value]) => types::to_string(value)?,
        ("type", [value]) => types::type_of(value),
        _ => return Err(unknown()),
    })
}
