//! `--query`: JMESPath as Python's jmespath runs it in the AWS CLI.
//!
//! The `jmespath` crate parses ([`query`]); everything the AWS CLI shows is Python's: the
//! lexer's decisions and messages ([`lexer`]), the evaluation ([`interpret`]) with Python's
//! comparisons ([`compare`]) and functions ([`functions`]), and its errors ([`error`]).
//!
//! Evaluation works on the [`Document`] itself ([`value`]), whose objects keep their order,
//! so results keep Python's `dict` order: `--query '@'` prints the response in the model's
//! order, `{b: userCode, a: interval}` prints `b` first, and `*`, `keys()`, `values()` and
//! `merge()` follow the objects' order.

mod compare;
mod error;
mod functions;
mod interpret;
mod lexer;
mod node;
mod query;
mod value;

pub use query::{Query, QueryError};

pub(crate) use self::error::EvalError;
use self::value::Value;
use crate::document::Document;

/// Runs `query` on `document`.
pub(crate) fn search(query: &Query, document: &Document) -> Result<Document, EvalError> {
    interpret::interpret(&Value::Ref(document), query.node()).map(|value| value.to_document())
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
        assert_eq!(
            search_json("{a: z, b: z, a: y}", DOC),
            r#"{"a":{"b":1,"a":2},"b":1}"#
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
    fn expression_references_are_values() {
        assert_eq!(
            search_json("sort_by(x, [&c][0])", DOC),
            r#"[{"d":1,"c":2}]"#
        );
        assert_eq!(search_json("[&a]", DOC), "[null]");
        assert_eq!(search_json("type(&a)", DOC), r#""expref""#);
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
        assert_eq!(
            error("sum(['x'])"),
            "In function sum(), invalid type for value: x, expected one of: ['array-number'], \
             received: \"str\""
        );
        assert_eq!(error("x[::0]"), "slice step cannot be zero");
        assert_eq!(search_json("y[::0]", DOC), "null");
    }

    #[test]
    fn refusals_kept_from_the_jmespath_crate() {
        let document: Document = serde_json::from_str(DOC).unwrap();
        let error = |e: &str| search(&Query::parse(e).unwrap(), &document).unwrap_err().0;
        assert_eq!(
            error("merge(y, `1`)"),
            "In function merge(), invalid type for value: 1, expected one of: ['object'], \
             received: \"number\""
        );
        assert_eq!(
            error("to_string(&a)"),
            "In function to_string(), invalid type for value: None, expected one of: \
             ['object', 'array', 'boolean', 'number', 'string', 'null'], received: \"expref\""
        );
    }

    /// Nested `{"a": ...}` (with `leaf` innermost) and `[...]` alternately, `levels` deep.
    fn nested(levels: usize, leaf: Document) -> Document {
        (0..levels).fold(leaf, |inner, level| {
            if level % 2 == 0 {
                Document::from(vec![inner])
            } else {
                Document::from(crate::Object::new().with("a", inner))
            }
        })
    }

    #[test]
    fn the_deepest_expressions_run_on_a_small_stack() {
        let chain = |link: &str, n: usize, separator: &str| vec![link; n].join(separator);
        let wrapped = |open: &str, inner: &str, close: &str, n: usize| {
            format!("{}{inner}{}", open.repeat(n), close.repeat(n))
        };
        let cases = [
            (chain("a", 1024, "."), false),
            (chain("a", 1024, "|"), false),
            (chain("a", 500, "||"), false),
            (chain("a", 500, "&&"), false),
            (chain("a", 500, "<"), false),
            (wrapped("[", "@", "]", 256), false),
            (wrapped("{a: ", "@", "}", 256), false),
            (wrapped("not_null(", "@", ")", 256), false),
            (wrapped("!", "@", "", 256), false),
            (wrapped("", "@", "[*]", 256), true),
            (wrapped("", "@", "[]", 240), true),
            (format!("a[*]{}", chain(".a[*]", 198, "")), false),
            (format!("a[?a]{}", chain(".a[?a]", 198, "")), false),
            (
                wrapped("not_null(", &chain("a", 300, "||"), ")", 200),
                false,
            ),
        ];
        // The test threads' default stack, whatever RUST_MIN_STACK says.
        let handle = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || {
                let objects = nested(400, Document::from(1));
                let arrays =
                    (0..256).fold(Document::from(1), |inner, _| Document::from(vec![inner]));
                for (expression, on_arrays) in cases {
                    let query = Query::parse(&expression).unwrap();
                    let document = if on_arrays { &arrays } else { &objects };
                    assert!(search(&query, document).is_ok(), "{expression}");
                }
            })
            .unwrap();
        handle.join().unwrap();
    }

    #[test]
    fn deeper_expressions_are_refused() {
        let message = |text: &str| Query::parse(text).unwrap_err().reason().to_owned();
        assert_eq!(
            message(&vec!["a"; 501].join("||")),
            "Invalid jmespath expression: nested deeper than 500 levels"
        );
        assert_eq!(
            message(&"[*]".repeat(257)),
            "Invalid jmespath expression: more than 256 projections"
        );
    }
}
