//! Evaluating a compiled expression on a value, as Python jmespath's `TreeInterpreter` visits
//! each node.

use indexmap::IndexMap;

use super::compare::compare;
use super::error::EvalError;
use super::functions;
use super::node::{Comparator, Node};
use super::value::Value;

/// `node` applied to `data`.
///
/// Each kind of node has its own function, so that this one, which every level of a nested
/// expression goes through, keeps a small stack frame.
pub(crate) fn interpret<'a>(data: &Value<'a>, node: &'a Node) -> Result<Value<'a>, EvalError> {
    match node {
        Node::Identity => Ok(data.clone()),
        Node::Field(name) => Ok(data.field(name)),
        Node::Index(index) => Ok(data.index(*index)),
        Node::Slice { start, stop, step } => slice(data, *start, *stop, *step),
        Node::Literal(document) => Ok(Value::Ref(document)),
        Node::Subexpr(chain) => subexpression(data, chain),
        Node::Projection(lhs, rhs) => projection(data, lhs, rhs),
        Node::ObjectValues(node) => Ok(interpret(data, node)?
            .values()
            .map_or(Value::Null, Value::Array)),
        Node::Flatten(node) => flatten(data, node),
        Node::MultiList(elements) => multi_list(data, elements),
        Node::MultiHash(pairs) => multi_hash(data, pairs),
        Node::Or(lhs, rhs) => or(data, lhs, rhs),
        Node::And(lhs, rhs) => and(data, lhs, rhs),
        Node::Not(node) => Ok(Value::Bool(!interpret(data, node)?.is_truthy())),
        Node::Condition { predicate, then } => condition(data, predicate, then),
        Node::Comparison {
            comparator,
            lhs,
            rhs,
        } => comparison(data, *comparator, lhs, rhs),
        Node::Function { name, args } => function(data, name, args),
        Node::Expref(node) => Ok(Value::Expref(node)),
    }
}

/// `a.b.c` and `a | b | c`: each link on the last one's result.
fn subexpression<'a>(data: &Value<'a>, chain: &'a [Node]) -> Result<Value<'a>, EvalError> {
    let mut value = data.clone();
    for node in chain {
        value = interpret(&value, node)?;
    }
    Ok(value)
}

fn projection<'a>(data: &Value<'a>, lhs: &'a Node, rhs: &'a Node) -> Result<Value<'a>, EvalError> {
    let Some(items) = interpret(data, lhs)?.items() else {
        return Ok(Value::Null);
    };
    let mut collected = Vec::with_capacity(items.len());
    for item in &items {
        let value = interpret(item, rhs)?;
        if !value.is_null() {
            collected.push(value);
        }
    }
    Ok(Value::Array(collected))
}

fn flatten<'a>(data: &Value<'a>, node: &'a Node) -> Result<Value<'a>, EvalError> {
    let Some(items) = interpret(data, node)?.items() else {
        return Ok(Value::Null);
    };
    let mut collected = Vec::with_capacity(items.len());
    for item in items {
        match item.items() {
            Some(inner) => collected.extend(inner),
            None => collected.push(item),
        }
    }
    Ok(Value::Array(collected))
}

fn multi_list<'a>(data: &Value<'a>, elements: &'a [Node]) -> Result<Value<'a>, EvalError> {
    if data.is_null() {
        return Ok(Value::Null);
    }
    let mut collected = Vec::with_capacity(elements.len());
    for element in elements {
        collected.push(interpret(data, element)?);
    }
    Ok(Value::Array(collected))
}

fn multi_hash<'a>(data: &Value<'a>, pairs: &'a [(String, Node)]) -> Result<Value<'a>, EvalError> {
    if data.is_null() {
        return Ok(Value::Null);
    }
    let mut object = IndexMap::with_capacity(pairs.len());
    for (key, value) in pairs {
        object.insert(key.clone(), interpret(data, value)?);
    }
    Ok(Value::Object(object))
}

fn or<'a>(data: &Value<'a>, lhs: &'a Node, rhs: &'a Node) -> Result<Value<'a>, EvalError> {
    let left = interpret(data, lhs)?;
    if left.is_truthy() {
        Ok(left)
    } else {
        interpret(data, rhs)
    }
}

fn and<'a>(data: &Value<'a>, lhs: &'a Node, rhs: &'a Node) -> Result<Value<'a>, EvalError> {
    let left = interpret(data, lhs)?;
    if left.is_truthy() {
        interpret(data, rhs)
    } else {
        Ok(left)
    }
}

fn condition<'a>(
    data: &Value<'a>,
    predicate: &'a Node,
    then: &'a Node,
) -> Result<Value<'a>, EvalError> {
    if interpret(data, predicate)?.is_truthy() {
        interpret(data, then)
    } else {
        Ok(Value::Null)
    }
}

fn comparison<'a>(
    data: &Value<'a>,
    comparator: Comparator,
    lhs: &'a Node,
    rhs: &'a Node,
) -> Result<Value<'a>, EvalError> {
    let left = interpret(data, lhs)?;
    let right = interpret(data, rhs)?;
    compare(comparator, &left, &right)
}

fn function<'a>(data: &Value<'a>, name: &str, args: &'a [Node]) -> Result<Value<'a>, EvalError> {
    let mut values = Vec::with_capacity(args.len());
    for arg in args {
        values.push(interpret(data, arg)?);
    }
    functions::call(name, &values)
}

/// `[start:stop:step]`: null for what is not an array.
fn slice<'a>(
    data: &Value<'a>,
    start: Option<i32>,
    stop: Option<i32>,
    step: i32,
) -> Result<Value<'a>, EvalError> {
    match data.items() {
        // Python checks the type before the step.
        None => Ok(Value::Null),
        Some(_) if step == 0 => Err(EvalError("slice step cannot be zero".to_owned())),
        Some(items) => Ok(Value::Array(slice_items(items, start, stop, step))),
    }
}

/// Python's `list[start:stop:step]` for a step that is not zero.
fn slice_items(
    items: Vec<Value<'_>>,
    start: Option<i32>,
    stop: Option<i32>,
    step: i32,
) -> Vec<Value<'_>> {
    let len = items.len() as i64;
    let step = i64::from(step);
    let adjust = |endpoint: i32| {
        let endpoint = i64::from(endpoint);
        if endpoint < 0 {
            let from_end = endpoint + len;
            if from_end >= 0 {
                from_end
            } else if step < 0 {
                -1
            } else {
                0
            }
        } else if endpoint < len {
            endpoint
        } else if step < 0 {
            len - 1
        } else {
            len
        }
    };
    let first = match start {
        Some(start) => adjust(start),
        None if step < 0 => len - 1,
        None => 0,
    };
    let end = match stop {
        Some(stop) => adjust(stop),
        None if step < 0 => -1,
        None => len,
    };
    let mut taken = Vec::new();
    let mut i = first;
    while (step > 0 && i < end) || (step < 0 && i > end) {
        if let Some(item) = usize::try_from(i).ok().and_then(|i| items.get(i)) {
            taken.push(item.clone());
        }
        i += step;
    }
    taken
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;

    fn sliced(start: Option<i32>, stop: Option<i32>, step: i32) -> String {
        let document: Document = serde_json::from_str("[0, 1, 2, 3, 4]").unwrap();
        let items = Value::Ref(&document).items().unwrap();
        let taken: Vec<Document> = slice_items(items, start, stop, step)
            .iter()
            .map(Value::to_document)
            .collect();
        serde_json::to_string(&taken).unwrap()
    }

    #[test]
    fn slices_as_python() {
        assert_eq!(sliced(None, None, 1), "[0,1,2,3,4]");
        assert_eq!(sliced(None, None, -1), "[4,3,2,1,0]");
        assert_eq!(sliced(Some(1), Some(-1), 2), "[1,3]");
        assert_eq!(sliced(Some(-10), Some(10), 1), "[0,1,2,3,4]");
        assert_eq!(sliced(Some(10), Some(-10), -2), "[4,2,0]");
        assert_eq!(sliced(Some(1), None, i32::MAX), "[1]");
        assert_eq!(sliced(Some(-2), None, i32::MIN), "[3]");
    }
}
