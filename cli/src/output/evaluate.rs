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
//! An object made inside an expression reference (`map(&{b: x, a: y}, ...)`, evaluated by the
//! crate) takes the order of the first multi-select hash of the expression with the same keys,
//! or else sorted keys. The crate's functions are used, with Python's results where they differ:
//! `keys`, `values`, `merge` and `to_string` follow object order, and `abs`, `ceil`, `floor`,
//! `sum` and `to_number` give integers where Python does.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use jmespath::ast::Ast;
use jmespath::{
    Context, DEFAULT_RUNTIME, ErrorReason, JmespathError, Rcvar, RuntimeError, Variable,
};
use serde_json::Number;

use super::document::{Document, Object};
use super::python;
use super::query::Query;

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
            left.compare(comparator, &right)
                .map_or_else(null, |b| Rcvar::new(Variable::Bool(b)))
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

/// Calls a builtin function, then makes its result Python's where they differ.
fn call(
    name: &str,
    args: &[Rcvar],
    ctx: &mut Context<'_>,
    state: &mut State,
) -> Result<Rcvar, EvalError> {
    let Some(function) = DEFAULT_RUNTIME.get_function(name) else {
        return Err(EvalError(format!("Unknown function: {name}()")));
    };
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
            let text = compact_json(&state.document_of(first.unwrap_or(&result)));
            Rcvar::new(Variable::String(text))
        }
        ("abs", Some(Variable::Number(n))) => match n.as_i64() {
            Some(i) => number(Number::from(i.unsigned_abs())),
            None if n.is_u64() => number(n.clone()),
            None => result,
        },
        ("ceil" | "floor", _) => match result.as_number() {
            Some(f) if f.is_finite() && f.abs() < 9.0e15 => number(Number::from(f as i64)),
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

/// Python's `json.dumps(value, separators=(',', ':'))`: compact, ASCII only.
fn compact_json(value: &Document) -> String {
    let mut out = String::new();
    write_compact(value, &mut out);
    out
}

fn write_compact(value: &Document, out: &mut String) {
    match value {
        Document::Null => out.push_str("null"),
        Document::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Document::Number(n) => out.push_str(&python::number(n)),
        Document::String(s) => write_ascii_string(s, out),
        Document::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_compact(item, out);
            }
            out.push(']');
        }
        Document::Object(object) => {
            out.push('{');
            for (i, (key, item)) in object.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_ascii_string(key, out);
                out.push(':');
                write_compact(item, out);
            }
            out.push('}');
        }
    }
}

fn write_ascii_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
        }
    }
    out.push('"');
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
