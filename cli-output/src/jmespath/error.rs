//! Run-time errors, in Python jmespath's words: what the AWS CLI prints when a query fails on a
//! response.

use super::value::{Kind, Value};
use crate::python;

/// Python's `str()` of a JMESPath runtime error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EvalError(pub(crate) String);

/// Python's `JMESPathTypeError(function, value, actual, allowed)`.
pub(crate) fn type_error(
    name: &str,
    value: &Value<'_>,
    actual: &str,
    allowed: &[&str],
) -> EvalError {
    let value = match value.kind() {
        // Python prints the object's default repr, with an address.
        Kind::Expref => "<jmespath.visitor._Expression object>".to_owned(),
        _ => python::str(&value.to_document()),
    };
    let allowed: Vec<String> = allowed.iter().map(|t| python::repr_str(t)).collect();
    EvalError(format!(
        "In function {name}(), invalid type for value: {value}, expected one of: [{}], \
         received: \"{actual}\"",
        allowed.join(", ")
    ))
}

/// Python's `JMESPathTypeError` for an argument that Python's signature check lets through and
/// the `jmespath` crate's refuses (`sso-oidc` has always checked both): `expected` is the crate's
/// list of types, `object|array`, printed as Python prints its own, `['object', 'array']`.
pub(crate) fn crate_type_error(name: &str, value: &Value<'_>, expected: &str) -> EvalError {
    let allowed: Vec<String> = expected.split('|').map(python::repr_str).collect();
    EvalError(format!(
        "In function {name}(), invalid type for value: {}, expected one of: [{}], received: \
         \"{}\"",
        python::str(&value.to_document()),
        allowed.join(", "),
        value.kind().name()
    ))
}
