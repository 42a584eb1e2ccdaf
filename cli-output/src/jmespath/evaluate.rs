//! Applies a [`Query`] to a [`Document`] as Python's jmespath does, keeping object order.
//!
//! The `jmespath` crate's objects are `BTreeMap`s, while Python's are insertion-ordered `dict`s:
//! `--query '@'` prints the response in the model's order, `{b: userCode, a: interval}` prints
//! `b` first, and `*`, `keys()` and `values()` follow the document's order. So this module runs
//! the crate's AST with its own copy of the crate's interpreter (it is short) that remembers the
//! key order of each object it can return, by address:
//!
//! - objects of the document and of JSON literals in the expression: their own order;
//! - objects made by a multi-select hash: the expression's order;
//! - objects made by `merge()`: each key where it first appears, as `dict.update` does.
//!
//! Objects of unknown origin (none should remain) take the order of the first multi-select hash
//! of the expression with the same keys, else sorted keys.
//!
//! Functions follow Python's jmespath: its argument checks and messages (`pysignature`), its
//! comparisons (exact numbers, strings ordered, `0 != false`), our own `map`, `sort_by`, `min_by`
//! and `max_by` (so that expression references run here too), and the crate's other builtins
//! with Python's results where they differ: `keys`, `values`, `merge` and `to_string` follow
//! object order, and `abs`, `ceil`, `floor`, `sum`, `avg` and `to_number` give integers and
//! nulls where Python does.

use std::collections::{BTreeMap, HashMap};

use jmespath::ast::{Ast, Comparator};
use jmespath::{
    Context, DEFAULT_RUNTIME, ErrorReason, JmespathError, Rcvar, RuntimeError, Variable,
};
use serde_json::Number;

use super::query::Query;
use super::signature::{self as pysignature, Mismatch};
use crate::document::{Document, Object};
use crate::python;

/// Python's `str()` of a JMESPath runtime error: what the AWS CLI prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EvalError(pub(crate) String);

/// Runs `query` on `document`.
pub(crate) fn search(query: &Query, document: &Document) -> Result<Document, EvalError> {
    let mut state = State {
        orders: HashMap::new(),
        keep: Vec::new(),
        hashes: Vec::new(),
    };
    collect_ast(query.ast(), query.parsed_text(), &mut state);
    let data = state.variable_of(document);
    let mut ctx = Context::new(query.parsed_text(), &DEFAULT_RUNTIME);
    let result = interpret(&data, query.ast(), &mut ctx, &mut state)?;
    Ok(state.document_of(&result))
}

struct State {
    /// Key order of objects, by the address of their `Variable`.
    orders: HashMap<usize, Vec<String>>,
    /// Every object in `orders`, kept alive so that no other object can take its address.
    keep: Vec<Rcvar>,
    /// The key lists of the expression's multi-select hashes, in expression order.
    hashes: Vec<Vec<String>>,
}

fn address(value: &Rcvar) -> usize {
    std::rc::Rc::as_ptr(value) as usize
}

impl State {
    fn remember(&mut self, value: &Rcvar, order: Vec<String>) {
        self.orders.insert(address(value), order);
        self.keep.push(value.clone());
    }

    fn variable_of(&mut self, document: &Document) -> Rcvar {
        let variable = match document {
            Document::Null => Variable::Null,
            Document::Bool(b) => Variable::Bool(*b),
            Document::Number(n) => Variable::Number(n.clone()),
            Document::String(s) => Variable::String(s.clone()),
            Document::Array(items) => {
                Variable::Array(items.iter().map(|item| self.variable_of(item)).collect())
            }
            Document::Object(object) => {
                let map = object
                    .iter()
                    .map(|(key, value)| (key.to_owned(), self.variable_of(value)))
                    .collect();
                let value = Rcvar::new(Variable::Object(map));
                self.remember(&value, object.keys().map(str::to_owned).collect());
                return value;
            }
        };
        Rcvar::new(variable)
    }

    /// The keys of an object in Python's order.
    fn keys_of<'a>(&self, value: &Rcvar, map: &'a BTreeMap<String, Rcvar>) -> Vec<&'a str> {
        let known = self.orders.get(&address(value)).or_else(|| {
            self.hashes
                .iter()
                .find(|keys| keys.len() == map.len() && keys.iter().all(|k| map.contains_key(k)))
        });
        let mut keys: Vec<&str> = Vec::with_capacity(map.len());
        if let Some(order) = known {
            keys.extend(
                order
                    .iter()
                    .filter_map(|k| map.get_key_value(k).map(|(k, _)| k.as_str())),
            );
        }
        if keys.len() != map.len() {
            // Not a known object: the crate's (sorted) order.
            keys = map.keys().map(String::as_str).collect();
        }
        keys
    }

    fn document_of(&self, value: &Rcvar) -> Document {
        match &**value {
            Variable::Null | Variable::Expref(_) => Document::Null,
            Variable::Bool(b) => Document::Bool(*b),
            Variable::Number(n) => Document::Number(n.clone()),
            Variable::String(s) => Document::String(s.clone()),
            Variable::Array(items) => {
                Document::Array(items.iter().map(|item| self.document_of(item)).collect())
            }
            Variable::Object(map) => {
                let object: Object = self
                    .keys_of(value, map)
                    .into_iter()
                    .filter_map(|key| map.get(key).map(|item| (key, self.document_of(item))))
                    .collect();
                Document::Object(object)
            }
        }
    }
}

/// Finds the expression's multi-select hashes and the objects in its JSON literals.
fn collect_ast(ast: &Ast, text: &str, state: &mut State) {
    // Depth first, left to right: the order in which `hashes` is searched.
    let mut stack = vec![ast];
    while let Some(node) = stack.pop() {
        match node {
            Ast::MultiHash { elements, .. } => {
                let mut keys: Vec<String> = Vec::new();
                for element in elements {
                    if !keys.contains(&element.key) {
                        keys.push(element.key.clone());
                    }
                }
                stack.extend(elements.iter().rev().map(|element| &element.value));
                state.hashes.push(keys);
            }
            Ast::Literal { value, offset } => {
                if let Some(document) = literal_document(text, *offset) {
                    remember_literal(value, &document, state);
                }
            }
            Ast::Comparison { lhs, rhs, .. }
            | Ast::And { lhs, rhs, .. }
            | Ast::Or { lhs, rhs, .. }
            | Ast::Projection { lhs, rhs, .. }
            | Ast::Subexpr { lhs, rhs, .. } => {
                stack.push(rhs);
                stack.push(lhs);
            }
            Ast::Condition {
                predicate, then, ..
            } => {
                stack.push(then);
                stack.push(predicate);
            }
            Ast::Expref { ast, .. } => stack.push(ast),
            Ast::Flatten { node, .. } | Ast::Not { node, .. } | Ast::ObjectValues { node, .. } => {
                stack.push(node);
            }
            Ast::Function { args, .. } => stack.extend(args.iter().rev()),
            Ast::MultiList { elements, .. } => stack.extend(elements.iter().rev()),
            Ast::Identity { .. } | Ast::Field { .. } | Ast::Index { .. } | Ast::Slice { .. } => {}
        }
    }
}

/// Re-reads the JSON literal that starts (with a backtick) at byte `offset`, in order.
fn literal_document(text: &str, offset: usize) -> Option<Document> {
    let rest = text.get(offset..)?.strip_prefix('`')?;
    let mut raw = String::new();
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match c {
            '`' => return serde_json::from_str(&raw.replace("\\`", "`")).ok(),
            '\\' => {
                raw.push(c);
                raw.push(chars.next()?);
            }
            c => raw.push(c),
        }
    }
    None
}

fn remember_literal(value: &Rcvar, document: &Document, state: &mut State) {
    match (&**value, document) {
        (Variable::Object(map), Document::Object(object)) => {
            state.remember(value, object.keys().map(str::to_owned).collect());
            for (key, item) in object.iter() {
                if let Some(child) = map.get(key) {
                    remember_literal(child, item, state);
                }
            }
        }
        (Variable::Array(items), Document::Array(documents)) => {
            for (child, item) in items.iter().zip(documents) {
                remember_literal(child, item, state);
            }
        }
        _ => {}
    }
}

fn null() -> Rcvar {
    Rcvar::new(Variable::Null)
}

/// The crate's `interpret`, with Python's object order and slice rule.
fn interpret(
    data: &Rcvar,
    node: &Ast,
    ctx: &mut Context<'_>,
    state: &mut State,
) -> Result<Rcvar, EvalError> {
    Ok(match node {
        Ast::Field { name, .. } => data.get_field(name),
        Ast::Subexpr { lhs, rhs, .. } => {
            let left = interpret(data, lhs, ctx, state)?;
            interpret(&left, rhs, ctx, state)?
        }
        Ast::Identity { .. } => data.clone(),
        Ast::Literal { value, .. } => value.clone(),
        Ast::Index { idx, .. } => {
            if *idx >= 0 {
                data.get_index(idx.unsigned_abs() as usize)
            } else {
                data.get_negative_index(idx.unsigned_abs() as usize)
            }
        }
        Ast::Or { lhs, rhs, .. } => {
            let left = interpret(data, lhs, ctx, state)?;
            if left.is_truthy() {
                left
            } else {
                interpret(data, rhs, ctx, state)?
            }
        }
        Ast::And { lhs, rhs, .. } => {
            let left = interpret(data, lhs, ctx, state)?;
            if left.is_truthy() {
                interpret(data, rhs, ctx, state)?
            } else {
                left
            }
        }
        Ast::Not { node, .. } => {
            let value = interpret(data, node, ctx, state)?;
            Rcvar::new(Variable::Bool(!value.is_truthy()))
        }
        Ast::Condition {
            predicate, then, ..
        } => {
            if interpret(data, predicate, ctx, state)?.is_truthy() {
                interpret(data, then, ctx, state)?
            } else {
                null()
            }
        }
        Ast::Comparison {
            comparator,
            lhs,
            rhs,
            ..
        } => {
            let left = interpret(data, lhs, ctx, state)?;
            let right = interpret(data, rhs, ctx, state)?;
            compare(comparator, &left, &right)?
        }
        Ast::ObjectValues { node, .. } => {
            let subject = interpret(data, node, ctx, state)?;
            match &*subject {
                Variable::Object(map) => Rcvar::new(Variable::Array(
                    state
                        .keys_of(&subject, map)
                        .into_iter()
                        .filter_map(|key| map.get(key).cloned())
                        .collect(),
                )),
                _ => null(),
            }
        }
        Ast::Projection { lhs, rhs, .. } => match interpret(data, lhs, ctx, state)?.as_array() {
            None => null(),
            Some(items) => {
                let mut collected = Vec::new();
                for item in items {
                    let value = interpret(item, rhs, ctx, state)?;
                    if !value.is_null() {
                        collected.push(value);
                    }
                }
                Rcvar::new(Variable::Array(collected))
            }
        },
        Ast::Flatten { node, .. } => match interpret(data, node, ctx, state)?.as_array() {
            None => null(),
            Some(items) => {
                let mut collected = Vec::new();
                for item in items {
                    match item.as_array() {
                        Some(inner) => collected.extend(inner.iter().cloned()),
                        None => collected.push(item.clone()),
                    }
                }
                Rcvar::new(Variable::Array(collected))
            }
        },
        Ast::MultiList { elements, .. } => {
            if data.is_null() {
                null()
            } else {
                let mut collected = Vec::with_capacity(elements.len());
                for element in elements {
                    collected.push(interpret(data, element, ctx, state)?);
                }
                Rcvar::new(Variable::Array(collected))
            }
        }
        Ast::MultiHash { elements, .. } => {
            if data.is_null() {
                null()
            } else {
                let mut map = BTreeMap::new();
                let mut order: Vec<String> = Vec::with_capacity(elements.len());
                for element in elements {
                    let value = interpret(data, &element.value, ctx, state)?;
                    if map.insert(element.key.clone(), value).is_none() {
                        order.push(element.key.clone());
                    }
                }
                let value = Rcvar::new(Variable::Object(map));
                state.remember(&value, order);
                value
            }
        }
        Ast::Function { name, args, offset } => {
            let mut values = Vec::with_capacity(args.len());
            for arg in args {
                values.push(interpret(data, arg, ctx, state)?);
            }
            ctx.offset = *offset;
            call(name, &values, ctx, state)?
        }
        Ast::Expref { ast, .. } => Rcvar::new(Variable::Expref((**ast).clone())),
        Ast::Slice {
            start, stop, step, ..
        } => match data.as_array() {
            // Python checks the type before the step.
            None => null(),
            Some(_) if *step == 0 => {
                return Err(EvalError("slice step cannot be zero".to_owned()));
            }
            Some(_) => data
                .slice(*start, *stop, *step)
                .map_or_else(null, |items| Rcvar::new(Variable::Array(items))),
        },
    })
}

/// Python jmespath's comparators: `==` is Python's, except that 0 and 1 never equal a boolean;
/// ordering compares two numbers or two strings, gives null for other types, and raises for a
/// number and a string.
fn compare(comparator: &Comparator, left: &Variable, right: &Variable) -> Result<Rcvar, EvalError> {
    let op = match comparator {
        Comparator::Equal => return Ok(boolean(py_equal_top(left, right))),
        Comparator::NotEqual => return Ok(boolean(!py_equal_top(left, right))),
        Comparator::LessThan => "<",
        Comparator::LessThanEqual => "<=",
        Comparator::GreaterThan => ">",
        Comparator::GreaterThanEqual => ">=",
    };
    let ordering = match (left, right) {
        (Variable::String(a), Variable::String(b)) => a.cmp(b),
        (Variable::Number(a), Variable::Number(b)) => match num_cmp(a, b) {
            Some(ordering) => ordering,
            None => return Ok(boolean(false)),
        },
        (Variable::String(_), Variable::Number(_)) | (Variable::Number(_), Variable::String(_)) => {
            return Err(EvalError(format!(
                "'{op}' not supported between instances of '{}' and '{}'",
                pysignature::python_type(left),
                pysignature::python_type(right)
            )));
        }
        _ => return Ok(null()),
    };
    Ok(boolean(match comparator {
        Comparator::LessThan => ordering.is_lt(),
        Comparator::LessThanEqual => ordering.is_le(),
        Comparator::GreaterThan => ordering.is_gt(),
        _ => ordering.is_ge(),
    }))
}

fn boolean(b: bool) -> Rcvar {
    Rcvar::new(Variable::Bool(b))
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
fn num_cmp(a: &Number, b: &Number) -> Option<std::cmp::Ordering> {
    let int_float = |i: i128, f: f64| -> Option<std::cmp::Ordering> {
        if f.is_nan() {
            None
        } else if f >= 1.7e38 {
            Some(std::cmp::Ordering::Less)
        } else if f <= -1.7e38 {
            Some(std::cmp::Ordering::Greater)
        } else {
            let whole = f.trunc() as i128;
            Some(i.cmp(&whole).then(if f > whole as f64 {
                std::cmp::Ordering::Less
            } else if f < whole as f64 {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }))
        }
    };
    match (py_number(a), py_number(b)) {
        (PyNumber::Int(a), PyNumber::Int(b)) => Some(a.cmp(&b)),
        (PyNumber::Float(a), PyNumber::Float(b)) => a.partial_cmp(&b),
        (PyNumber::Int(a), PyNumber::Float(b)) => int_float(a, b),
        (PyNumber::Float(a), PyNumber::Int(b)) => int_float(b, a).map(std::cmp::Ordering::reverse),
    }
}

/// `_equals`: Python's `==`, except that the numbers 0 and 1 never equal a boolean.
fn py_equal_top(left: &Variable, right: &Variable) -> bool {
    let zero_or_one = |v: &Variable| match v {
        Variable::Number(n) => n.as_f64().is_some_and(|f| f == 0.0 || f == 1.0),
        _ => false,
    };
    if (zero_or_one(left) && right.is_boolean()) || (zero_or_one(right) && left.is_boolean()) {
        return false;
    }
    py_equal(left, right)
}

/// Python's `==` on values from `json.loads` (`True == 1`, `1 == 1.0`).
fn py_equal(left: &Variable, right: &Variable) -> bool {
    let as_number = |v: &Variable| match v {
        Variable::Number(n) => Some(n.clone()),
        Variable::Bool(b) => Some(Number::from(u8::from(*b))),
        _ => None,
    };
    match (left, right) {
        (Variable::Null, Variable::Null) => true,
        (Variable::String(a), Variable::String(b)) => a == b,
        (Variable::Array(a), Variable::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| py_equal(a, b))
        }
        (Variable::Object(a), Variable::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(key, value)| b.get(key).is_some_and(|other| py_equal(value, other)))
        }
        _ => match (as_number(left), as_number(right)) {
            (Some(a), Some(b)) => num_cmp(&a, &b) == Some(std::cmp::Ordering::Equal),
            _ => false,
        },
    }
}

/// Calls a builtin function as Python's jmespath does: its argument checks, its own versions
/// of the functions that take an expression reference, and the crate's for the others with
/// their results made Python's where they differ.
fn call(
    name: &str,
    args: &[Rcvar],
    ctx: &mut Context<'_>,
    state: &mut State,
) -> Result<Rcvar, EvalError> {
    let unknown = || EvalError(format!("Unknown function: {name}()"));
    let function = DEFAULT_RUNTIME.get_function(name).ok_or_else(unknown)?;
    match pysignature::check(name, args).ok_or_else(unknown)? {
        Ok(()) => {}
        Err(Mismatch::Arity(message)) => return Err(EvalError(message)),
        Err(Mismatch::Type {
            value,
            actual,
            allowed,
        }) => {
            let allowed: Vec<&str> = allowed.iter().map(String::as_str).collect();
            return Err(type_error(name, &value, &actual, &allowed, state));
        }
    }
    if let (Some(Variable::Array(items)), Some(Variable::Expref(ast))) =
        (args.first().map(|a| &**a), args.get(1).map(|a| &**a))
    {
        match name {
            "sort_by" => return sort_by(&args[0], items, ast, ctx, state),
            "min_by" | "max_by" => return min_max_by(name, items, ast, ctx, state),
            _ => {}
        }
    }
    if let (Some(Variable::Expref(ast)), Some(Variable::Array(items))) =
        (args.first().map(|a| &**a), args.get(1).map(|a| &**a))
        && name == "map"
    {
        let mut results = Vec::with_capacity(items.len());
        for item in items {
            results.push(interpret(item, ast, ctx, state)?);
        }
        return Ok(Rcvar::new(Variable::Array(results)));
    }
    if name == "avg" && args[0].as_array().is_some_and(Vec::is_empty) {
        // Python returns None rather than dividing by zero.
        return Ok(null());
    }
    let result = function
        .evaluate(args, ctx)
        .map_err(|e| function_error(name, args, &e, state))?;
    let first = args.first();
    Ok(match (name, first.map(|a| &**a)) {
        ("keys", Some(Variable::Object(map))) => Rcvar::new(Variable::Array(
            state
                .keys_of(first.unwrap_or(&result), map)
                .into_iter()
                .map(|k| Rcvar::new(Variable::String(k.to_owned())))
                .collect(),
        )),
        ("values", Some(Variable::Object(map))) => Rcvar::new(Variable::Array(
            state
                .keys_of(first.unwrap_or(&result), map)
                .into_iter()
                .filter_map(|k| map.get(k).cloned())
                .collect(),
        )),
        ("merge", _) => {
            let mut order: Vec<String> = Vec::new();
            for arg in args {
                if let Variable::Object(map) = &**arg {
                    for key in state.keys_of(arg, map) {
                        if !order.iter().any(|k| k == key) {
                            order.push(key.to_owned());
                        }
                    }
                }
            }
            state.remember(&result, order);
            result
        }
        ("to_string", Some(arg)) if !arg.is_string() => {
            let text = python::dumps(
                &state.document_of(first.unwrap_or(&result)),
                python::JsonStyle::Compact,
            );
            Rcvar::new(Variable::String(text))
        }
        ("abs", Some(Variable::Number(n))) => match n.as_i64() {
            Some(i) => number(Number::from(i.unsigned_abs())),
            None if n.is_u64() => number(n.clone()),
            None => result,
        },
        // `math.ceil` and `math.floor` return an `int`: the argument itself when it is one.
        ("ceil" | "floor", Some(Variable::Number(n))) if !n.is_f64() => number(n.clone()),
        ("ceil" | "floor", _) => match result.as_number() {
            // Exact: a float this large has no fraction.
            Some(f) if (-9.2e18..9.2e18).contains(&f) => number(Number::from(f as i64)),
            Some(f) if (0.0..1.8e19).contains(&f) => number(Number::from(f as u64)),
            _ => result,
        },
        ("sum", Some(Variable::Array(items))) => {
            let ints: Option<Vec<i128>> = items
                .iter()
                .map(|item| match &**item {
                    Variable::Number(n) if !n.is_f64() => {
                        n.as_i64().map(i128::from).or(n.as_u64().map(i128::from))
                    }
                    _ => None,
                })
                .collect();
            match ints.map(|ints| ints.into_iter().sum::<i128>()) {
                Some(total) => i64::try_from(total)
                    .map(Number::from)
                    .or_else(|_| u64::try_from(total).map(Number::from))
                    .map_or(result, number),
                None => result,
            }
        }
        ("to_number", Some(Variable::String(s))) => to_number(s),
        _ => result,
    })
}

fn number(n: Number) -> Rcvar {
    Rcvar::new(Variable::Number(n))
}

/// Python's `to_number` on a string: `int(s)`, else `float(s)`, else null.
fn to_number(s: &str) -> Rcvar {
    let trimmed = s.trim_matches(|c: char| c.is_whitespace());
    if let Ok(i) = trimmed.parse::<i64>() {
        return number(Number::from(i));
    }
    if let Ok(u) = trimmed.parse::<u64>() {
        return number(Number::from(u));
    }
    let is_float_text = trimmed
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'));
    match trimmed.parse::<f64>() {
        Ok(f) if is_float_text => Number::from_f64(f).map_or_else(null, number),
        _ => null(),
    }
}

/// `JMESPathTypeError`'s message.
fn type_error(
    name: &str,
    value: &Rcvar,
    actual: &str,
    allowed: &[&str],
    state: &State,
) -> EvalError {
    let value = match &**value {
        // Python prints the object's default repr, with an address.
        Variable::Expref(_) => "<jmespath.visitor._Expression object>".to_owned(),
        _ => python::str(&state.document_of(value)),
    };
    let allowed: Vec<String> = allowed.iter().map(|t| python::repr_str(t)).collect();
    EvalError(format!(
        "In function {name}(), invalid type for value: {value}, expected one of: [{}], \
         received: \"{actual}\"",
        allowed.join(", ")
    ))
}

/// The key of `item` for `sort_by`, `min_by` and `max_by`, checked as Python's `keyfunc` does.
fn key_of(
    name: &str,
    item: &Rcvar,
    ast: &Ast,
    allowed: &[&str],
    ctx: &mut Context<'_>,
    state: &mut State,
) -> Result<Rcvar, EvalError> {
    let key = interpret(item, ast, ctx, state)?;
    let key_type = pysignature::jmespath_type(pysignature::python_type(&key));
    if allowed.contains(&key_type) {
        Ok(key)
    } else {
        Err(type_error(name, &key, key_type, allowed, state))
    }
}

/// Python's `<` between two keys (numbers or strings); `None` when it raises.
fn less(a: &Variable, b: &Variable) -> Option<bool> {
    match (a, b) {
        (Variable::String(a), Variable::String(b)) => Some(a < b),
        (Variable::Number(a), Variable::Number(b)) => Some(a.as_f64()? < b.as_f64()?),
        _ => None,
    }
}

fn sort_by(
    array: &Rcvar,
    items: &[Rcvar],
    ast: &Ast,
    ctx: &mut Context<'_>,
    state: &mut State,
) -> Result<Rcvar, EvalError> {
    let Some(first) = items.first() else {
        return Ok(array.clone());
    };
    let first_key = interpret(first, ast, ctx, state)?;
    let required = pysignature::jmespath_type(pysignature::python_type(&first_key));
    if !matches!(required, "number" | "string") {
        return Err(type_error(
            "sort_by",
            first,
            required,
            &["string", "number"],
            state,
        ));
    }
    let mut keyed = Vec::with_capacity(items.len());
    for item in items {
        keyed.push((
            key_of("sort_by", item, ast, &[required], ctx, state)?,
            item.clone(),
        ));
    }
    // Stable, like Python's `sorted`; the keys are all numbers or all strings.
    keyed.sort_by(|(a, _), (b, _)| {
        if less(a, b) == Some(true) {
            std::cmp::Ordering::Less
        } else if less(b, a) == Some(true) {
            std::cmp::Ordering::Greater
        } else {
            std::cmp::Ordering::Equal
        }
    });
    Ok(Rcvar::new(Variable::Array(
        keyed.into_iter().map(|(_, item)| item).collect(),
    )))
}

/// Python's `min(array, key=...)` / `max(...)`: the first best item; comparing a number key with
/// a string key raises.
fn min_max_by(
    name: &str,
    items: &[Rcvar],
    ast: &Ast,
    ctx: &mut Context<'_>,
    state: &mut State,
) -> Result<Rcvar, EvalError> {
    let allowed = ["number", "string"];
    let Some(first) = items.first() else {
        return Ok(null());
    };
    let mut best = first.clone();
    let mut best_key = key_of(name, first, ast, &allowed, ctx, state)?;
    for item in &items[1..] {
        let key = key_of(name, item, ast, &allowed, ctx, state)?;
        let (op, better) = if name == "min_by" {
            ("<", less(&key, &best_key))
        } else {
            (">", less(&best_key, &key))
        };
        let better = better.ok_or_else(|| {
            EvalError(format!(
                "'{op}' not supported between instances of '{}' and '{}'",
                pysignature::python_type(&key),
                pysignature::python_type(&best_key)
            ))
        })?;
        if better {
            best = item.clone();
            best_key = key;
        }
    }
    Ok(best)
}

/// The message Python's jmespath gives for a function's error (the argument checks of the two
/// libraries agree; their wording does not).
fn function_error(name: &str, args: &[Rcvar], error: &JmespathError, state: &State) -> EvalError {
    let variadic = matches!(name, "merge" | "not_null");
    let plural = |n: usize| if n == 1 { "argument" } else { "arguments" };
    let message = match &error.reason {
        ErrorReason::Runtime(RuntimeError::NotEnoughArguments { expected, actual }) if variadic => {
            format!(
                "Expected at least {expected} {} for function {name}(), received {actual}",
                plural(*expected)
            )
        }
        ErrorReason::Runtime(
            RuntimeError::NotEnoughArguments { expected, actual }
            | RuntimeError::TooManyArguments { expected, actual },
        ) => format!(
            "Expected {expected} {} for function {name}(), received {actual}",
            plural(*expected)
        ),
        ErrorReason::Runtime(RuntimeError::InvalidType {
            expected,
            actual,
            position,
        }) => {
            let value = args.get(*position).map_or_else(
                || "None".to_owned(),
                |arg| python::str(&state.document_of(arg)),
            );
            format!(
                "In function {name}(), invalid type for value: {value}, expected one of: {}, \
                 received: \"{actual}\"",
                python_types(expected)
            )
        }
        ErrorReason::Runtime(RuntimeError::InvalidReturnType {
            expected, actual, ..
        }) => {
            let value = if actual == "null" { "None" } else { actual };
            format!(
                "In function {name}(), invalid type for value: {value}, expected one of: {}, \
                 received: \"{actual}\"",
                python_types(expected)
            )
        }
        ErrorReason::Runtime(other) => other.to_string(),
        ErrorReason::Parse(text) => text.clone(),
    };
    EvalError(message)
}

/// `number|array[string]` as Python lists them: `['number', 'array-string']`.
fn python_types(expected: &str) -> String {
    let names: Vec<String> = expected
        .split('|')
        .map(|t| {
            let t = t.replace("array[", "array-").replace(']', "");
            python::repr_str(&t)
        })
        .collect();
    format!("[{}]", names.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn search_json(expression: &str, json: &str) -> String {
        let document: Document = serde_json::from_str(json).unwrap();
        let query = Query::parse(expression).unwrap();
        serde_json::to_string(&search(&query, &document).unwrap()).unwrap()
    }

    const DOC: &str = r#"{"z":1,"y":{"b":1,"a":2},"x":[{"d":1,"c":2}]}"#;

    #[test]
    fn identity_and_fields_keep_document_order() {
        assert_eq!(search_json("@", DOC), DOC);
        assert_eq!(search_json("y", DOC), r#"{"b":1,"a":2}"#);
        assert_eq!(search_json("x[0]", DOC), r#"{"d":1,"c":2}"#);
    }

    #[test]
    fn multi_select_hashes_keep_expression_order() {
        assert_eq!(
            search_json("{q: z, p: y}", DOC),
            r#"{"q":1,"p":{"b":1,"a":2}}"#
        );
        assert_eq!(search_json("x[].{q: d, p: c}", DOC), r#"[{"q":1,"p":2}]"#);
        assert_eq!(
            search_json("map(&{q: d, p: c}, x)", DOC),
            r#"[{"q":1,"p":2}]"#
        );
    }

    #[test]
    fn literals_keys_values_and_merge_keep_python_order() {
        assert_eq!(search_json("`{\"b\":1,\"a\":2}`", DOC), r#"{"b":1,"a":2}"#);
        assert_eq!(search_json("keys(@)", DOC), r#"["z","y","x"]"#);
        assert_eq!(search_json("values(y)", DOC), "[1,2]");
        assert_eq!(
            search_json("*", DOC),
            r#"[1,{"b":1,"a":2},[{"d":1,"c":2}]]"#
        );
        assert_eq!(
            search_json("merge(y, `{\"c\":3,\"b\":4}`)", DOC),
            r#"{"b":4,"a":2,"c":3}"#
        );
        assert_eq!(search_json("to_string(y)", DOC), r#""{\"b\":1,\"a\":2}""#);
    }

    #[test]
    fn numbers_as_python() {
        assert_eq!(search_json("sum([z, z])", DOC), "2");
        assert_eq!(search_json("ceil(`1.5`)", DOC), "2");
        assert_eq!(search_json("abs(`-3`)", DOC), "3");
        assert_eq!(search_json("avg([z, z])", DOC), "1.0");
        assert_eq!(search_json("to_number('12')", DOC), "12");
        assert_eq!(search_json("to_number('1e5')", DOC), "100000.0");
    }

    #[test]
    fn runtime_errors_as_python() {
        let document: Document = serde_json::from_str(DOC).unwrap();
        let error = |e: &str| search(&Query::parse(e).unwrap(), &document).unwrap_err().0;
        assert_eq!(error("nope(@)"), "Unknown function: nope()");
        assert_eq!(
            error("abs(`1`, `2`)"),
            "Expected 1 argument for function abs(), received 2"
        );
        assert_eq!(
            error("abs('x')"),
            "In function abs(), invalid type for value: x, expected one of: ['number'], \
             received: \"string\""
        );
        assert_eq!(error("x[::0]"), "slice step cannot be zero");
        assert_eq!(search_json("y[::0]", DOC), "null");
    }
}
