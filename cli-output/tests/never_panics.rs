//! `render` and `Query::parse` return, never panic, whatever the document and the expression:
//! nested values of every kind, and expressions made of JMESPath's tokens in any order.

use proptest::prelude::*;
use sso_oidc_cli_output::{Document, Format, Object, Options, Query, render};

fn documents() -> impl Strategy<Value = Document> {
    let leaf = prop_oneof![
        Just(Document::Null),
        any::<bool>().prop_map(Document::Bool),
        any::<i64>().prop_map(Document::from),
        any::<u64>().prop_map(Document::from),
        any::<f64>().prop_map(Document::from),
        ".{0,8}".prop_map(Document::String),
        prop::sample::select(vec!["a", "b", "0", "1", "ResponseMetadata", "RequestId"])
            .prop_map(Document::from),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Document::Array),
            prop::collection::vec(("[abc]|ResponseMetadata|RequestId|.{0,3}", inner), 0..6)
                .prop_map(|members| Document::Object(members.into_iter().collect::<Object>())),
        ]
    })
}

/// Expressions from JMESPath's tokens, so that most of them lex and many parse.
fn expressions() -> impl Strategy<Value = String> {
    let token = prop::sample::select(vec![
        "a",
        "b",
        "@",
        ".",
        "*",
        "[",
        "]",
        "[]",
        "[?",
        "{",
        "}",
        "(",
        ")",
        ",",
        ":",
        "|",
        "||",
        "&&",
        "&",
        "!",
        "==",
        "!=",
        "<",
        ">=",
        "0",
        "-1",
        "2",
        "'s'",
        "`1`",
        "`{\"b\":1}`",
        "`[1,\"x\"]`",
        "\"q\"",
        "abs",
        "sort_by",
        "max_by",
        "map",
        "merge",
        "keys",
        "length",
        "to_string",
        "not_null",
        "sum",
        "avg",
        "sort",
        " ",
        "k: ",
        "`",
        "'",
        "é",
        "=",
    ]);
    prop::collection::vec(token, 0..14).prop_map(|tokens| tokens.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn render_never_panics(
        document in documents(),
        expression in prop::option::of(expressions()),
        width in 0usize..300,
    ) {
        let query = expression.as_deref().map(Query::parse).and_then(Result::ok);
        for format in [Format::Json, Format::Text, Format::Table] {
            let options = Options::new(format, "Op")
                .query(query.as_ref())
                .terminal_width(width);
            let _ = render(&document, &options);
        }
    }

    #[test]
    fn parse_never_panics(expression in ".{0,40}") {
        let _ = Query::parse(&expression);
    }
}
