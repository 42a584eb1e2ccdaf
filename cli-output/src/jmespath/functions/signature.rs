//! Python jmespath's argument checks (`Functions._validate_arguments`), run before each builtin
//! so that a wrong call fails with the AWS CLI's message.

use super::super::value::Value;

/// The signature of a builtin as Python declares it: each argument's allowed types (empty:
/// any), and whether the last one repeats. `None` for a function Python does not have.
fn signature(name: &str) -> Option<(&'static [&'static [&'static str]], bool)> {
    const NUMBER: &[&str] = &["number"];
    const ANY: &[&str] = &[];
    const STRING: &[&str] = &["string"];
    const OBJECT: &[&str] = &["object"];
    const ARRAY: &[&str] = &["array"];
    const EXPREF: &[&str] = &["expref"];
    Some(match name {
        "abs" | "ceil" | "floor" => (&[NUMBER], false),
        "avg" | "sum" => (&[&["array-number"]], false),
        "not_null" => (&[ANY], true),
        "to_array" | "to_string" | "to_number" | "type" => (&[ANY], false),
        "contains" => (&[&["array", "string"], ANY], false),
        "length" => (&[&["string", "array", "object"]], false),
        "ends_with" | "starts_with" => (&[STRING, STRING], false),
        "reverse" => (&[&["array", "string"]], false),
        "join" => (&[STRING, &["array-string"]], false),
        "map" => (&[EXPREF, ARRAY], false),
        "max" | "min" => (&[&["array-number", "array-string"]], false),
        "merge" => (&[OBJECT], true),
        "sort" => (&[&["array-string", "array-number"]], false),
        "keys" | "values" => (&[OBJECT], false),
        "sort_by" | "min_by" | "max_by" => (&[ARRAY, EXPREF], false),
        _ => return None,
    })
}

/// Python's `TYPES_MAP`: a Python type name as a JMESPath type name.
pub(crate) fn jmespath_type(python_type: &str) -> &'static str {
    match python_type {
        "bool" => "boolean",
        "list" => "array",
        "dict" => "object",
        "NoneType" => "null",
        "str" => "string",
        "float" | "int" => "number",
        "_Expression" => "expref",
        _ => "unknown",
    }
}

/// The Python types a JMESPath type name allows (`REVERSE_TYPES_MAP`).
fn python_types(jmespath_type: &str) -> &'static [&'static str] {
    match jmespath_type {
        "boolean" => &["bool"],
        "array" => &["list"],
        "object" => &["dict"],
        "null" => &["NoneType"],
        "string" => &["str"],
        "number" => &["float", "int"],
        "expref" => &["_Expression"],
        _ => &[],
    }
}

/// A failed check.
#[derive(Debug)]
pub(crate) enum Mismatch<'a> {
    /// `Expected N argument(s) for function f(), received M` (`at least` when variadic).
    Arity(String),
    /// `JMESPathTypeError(function, value, actual, allowed)`.
    Type {
        value: Value<'a>,
        actual: &'static str,
        allowed: &'static [&'static str],
    },
}

/// Checks the arguments of builtin `name`; `None` for a function Python does not have.
pub(crate) fn check<'a>(name: &str, args: &[Value<'a>]) -> Option<Result<(), Mismatch<'a>>> {
    let (signature, variadic) = signature(name)?;
    let plural = |n: usize| if n == 1 { "argument" } else { "arguments" };
    if variadic && args.len() < signature.len() {
        return Some(Err(Mismatch::Arity(format!(
            "Expected at least {} {} for function {name}(), received {}",
            signature.len(),
            plural(signature.len()),
            args.len()
        ))));
    }
    if !variadic && args.len() != signature.len() {
        return Some(Err(Mismatch::Arity(format!(
            "Expected {} {} for function {name}(), received {}",
            signature.len(),
            plural(signature.len()),
            args.len()
        ))));
    }
    // Python checks only as many arguments as the signature has (not the variadic rest).
    for (types, arg) in signature.iter().zip(args) {
        if !types.is_empty()
            && let Err(mismatch) = check_single(arg, types)
        {
            return Some(Err(mismatch));
        }
    }
    Some(Ok(()))
}

fn check_single<'a>(
    current: &Value<'a>,
    types: &'static [&'static str],
) -> Result<(), Mismatch<'a>> {
    // Python reports the argument's JMESPath type, but an element's Python type.
    let mismatch = |value: &Value<'a>, actual: &'static str| Mismatch::Type {
        value: value.clone(),
        actual,
        allowed: types,
    };
    let mut allowed_types: Vec<&str> = Vec::new();
    let mut allowed_subtypes: Vec<&[&str]> = Vec::new();
    for t in types {
        match t.split_once('-') {
            Some((base, sub)) => {
                allowed_subtypes.push(python_types(sub));
                allowed_types.extend(python_types(base));
            }
            None => allowed_types.extend(python_types(t)),
        }
    }
    let actual = current.python_type();
    if !allowed_types.contains(&actual) {
        return Err(mismatch(current, jmespath_type(actual)));
    }
    let Some(items) = current.items() else {
        return Ok(());
    };
    let allowed_elements = match allowed_subtypes.as_slice() {
        [] => return Ok(()),
        [only] => *only,
        several => {
            let Some(first) = items.first() else {
                return Ok(());
            };
            let first_type = first.python_type();
            match several
                .iter()
                .find(|subtypes| subtypes.contains(&first_type))
            {
                Some(subtypes) => *subtypes,
                None => return Err(mismatch(first, first_type)),
            }
        }
    };
    for item in &items {
        let item_type = item.python_type();
        if !allowed_elements.contains(&item_type) {
            return Err(mismatch(item, item_type));
        }
    }
    Ok(())
}
