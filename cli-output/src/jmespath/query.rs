//! `--query`: a JMESPath expression, compiled once, with the AWS CLI's messages for one that
//! does not compile.

use std::fmt;

use super::lexer::{self, Token};
use super::node::Node;

/// Deepest nesting of brackets, braces, parentheses and `!` that we parse: the `jmespath` crate
/// parses recursively, and a deeper expression could overflow the stack (Python's parser gives
/// up too, with a `RecursionError`, at about four times this).
const MAX_NESTING: usize = 256;

/// Most tokens in an expression: chains like `a || b || c` nest the AST one level per link (and
/// it is walked and dropped recursively), so a cap on length is also a cap on depth.
const MAX_TOKENS: usize = 2048;

/// Most projections (`[*]`, `[]`, `[?...]`, `*`) in an expression: the `jmespath` crate parses
/// what follows each one inside it, recursively. (Python gives up at about 250.)
const MAX_PROJECTIONS: usize = 256;

/// Deepest compiled expression that we run: evaluation recurses once per level. Python gives up,
/// with a `RecursionError`, at about 500 (dotted and piped chains aside, which nest in neither).
const MAX_DEPTH: usize = 500;

/// A compiled `--query` expression.
#[derive(Debug, Clone)]
pub struct Query {
    /// The expression as given.
    text: String,
    node: Node,
}

/// A `--query` that does not compile; its `Display` is what the AWS CLI prints (after a blank
/// line, on standard error, exiting with 255), e.g.
///
/// ```text
/// Bad value for --query [: Invalid jmespath expression: Incomplete expression:
/// "["
///   ^
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Bad value for --query {expression}: {reason}")]
pub struct QueryError {
    expression: String,
    reason: String,
}

impl QueryError {
    /// The expression that did not compile.
    #[must_use]
    pub fn expression(&self) -> &str {
        &self.expression
    }

    /// What Python's jmespath says about it (the text after `Bad value for --query EXPR: `).
    #[must_use]
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl Query {
    /// Compiles an expression.
    ///
    /// # Errors
    ///
    /// A [`QueryError`] for an empty expression, one that does not lex or parse, or one too
    /// deep to run safely: brackets, braces, parentheses and `!` nested deeper than 256 levels,
    /// more than 256 projections, more than 2048 tokens, or operators nested deeper than 500
    /// levels (where the AWS CLI would fail with a Python `RecursionError`, or nearly). The message is the AWS CLI's for lexer errors and for incomplete
    /// expressions; for other parse errors it has the AWS CLI's form and position, and may word
    /// the reason differently.
    pub fn parse(text: &str) -> Result<Self, QueryError> {
        let error = |reason: String| QueryError {
            expression: text.to_owned(),
            reason,
        };
        if text.is_empty() {
            return Err(error(
                "Invalid JMESPath expression: cannot be empty.".to_owned(),
            ));
        }
        let (tokens, parsed) = lexer::tokenize(text).map_err(|e| {
            error(format!(
                "Bad jmespath expression: {}:\n{text}\n{}^",
                e.message,
                " ".repeat(e.position)
            ))
        })?;
        if nesting(&tokens) > MAX_NESTING {
            return Err(error(format!(
                "Invalid jmespath expression: nested deeper than {MAX_NESTING} levels"
            )));
        }
        if tokens.len() > MAX_TOKENS {
            return Err(error(format!(
                "Invalid jmespath expression: longer than {MAX_TOKENS} tokens"
            )));
        }
        let projections = tokens
            .iter()
            .filter(|token| matches!(token.kind, "star" | "flatten" | "filter"))
            .count();
        if projections > MAX_PROJECTIONS {
            return Err(error(format!(
                "Invalid jmespath expression: more than {MAX_PROJECTIONS} projections"
            )));
        }
        let ast = jmespath::parse(&parsed)
            .map_err(|e| error(parse_error(text, &parsed, &tokens, e.offset)))?;
        let node = Node::from_ast(&ast, &parsed);
        if node.depth() > MAX_DEPTH {
            return Err(error(format!(
                "Invalid jmespath expression: nested deeper than {MAX_DEPTH} levels"
            )));
        }
        Ok(Self {
            text: text.to_owned(),
            node,
        })
    }

    /// The expression as given.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The compiled expression.
    pub(crate) fn node(&self) -> &Node {
        &self.node
    }
}

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

fn nesting(tokens: &[Token]) -> usize {
    let mut depth = 0usize;
    let mut deepest = 0;
    for token in tokens {
        match token.kind {
            "lbracket" | "filter" | "lbrace" | "lparen" | "not" | "expref" => depth += 1,
            "rbracket" | "rbrace" | "rparen" => depth = depth.saturating_sub(1),
            _ => {}
        }
        deepest = deepest.max(depth);
    }
    deepest
}

/// Python's `ParseError` message for the token at `offset` (bytes into `parsed`), or its
/// `IncompleteExpressionError` when the parser ran out of tokens.
fn parse_error(text: &str, parsed: &str, tokens: &[Token], offset: usize) -> String {
    // The offsets of `parsed` match `text`'s unless a literal was rewritten; then the token
    // positions are approximate, which only moves the caret.
    let index = tokens
        .iter()
        .position(|t| t.byte >= offset.min(parsed.len()))
        .unwrap_or(tokens.len().saturating_sub(1));
    let Some(token) = tokens.get(index) else {
        return incomplete(text);
    };
    if token.kind == "eof" {
        return incomplete(text);
    }
    let previous = index.checked_sub(1).and_then(|i| tokens.get(i));
    let reason = if previous.is_some_and(|p| p.kind == "dot") {
        format!(
            "Expecting: ['quoted_identifier', 'unquoted_identifier', 'lbracket', 'lbrace'], got: {}",
            token.kind
        )
    } else if index == 0 {
        "invalid token".to_owned()
    } else {
        format!("Unexpected token: {}", token.value)
    };
    format!(
        "{reason}: Parse error at column {}, token \"{}\" ({}), for expression:\n\"{text}\"\n{}^",
        token.start,
        token.value,
        token.kind.to_uppercase(),
        " ".repeat(token.start + 1)
    )
}

fn incomplete(text: &str) -> String {
    format!(
        "Invalid jmespath expression: Incomplete expression:\n\"{text}\"\n{}^",
        " ".repeat(text.chars().count() + 1)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(text: &str) -> String {
        Query::parse(text).unwrap_err().to_string()
    }

    #[test]
    fn incomplete_expressions_as_the_aws_cli() {
        assert_eq!(
            message("["),
            "Bad value for --query [: Invalid jmespath expression: Incomplete expression:\n\"[\"\n  ^"
        );
        assert_eq!(
            message("foo[0"),
            "Bad value for --query foo[0: Invalid jmespath expression: Incomplete \
             expression:\n\"foo[0\"\n      ^"
        );
    }

    #[test]
    fn lexer_errors_as_the_aws_cli() {
        assert_eq!(
            message("foo ="),
            "Bad value for --query foo =: Bad jmespath expression: Unknown token '=':\nfoo =\n    ^"
        );
        assert_eq!(
            message(""),
            "Bad value for --query : Invalid JMESPath expression: cannot be empty."
        );
    }

    #[test]
    fn parse_errors_point_where_python_does() {
        assert_eq!(
            message("foo]"),
            "Bad value for --query foo]: Unexpected token: ]: Parse error at column 3, token \
             \"]\" (RBRACKET), for expression:\n\"foo]\"\n    ^"
        );
    }

    #[test]
    fn deep_nesting_is_refused_not_a_stack_overflow() {
        let deep = "[".repeat(100_000);
        assert!(message(&deep).contains("nested deeper than 256 levels"));
        let long = vec!["a"; 100_000].join(".");
        assert!(message(&long).contains("longer than 2048 tokens"));
        let deepest = format!("{}a{}", "[".repeat(256), "]".repeat(256));
        Query::parse(&deepest).unwrap();
        let longest = vec!["a"; 1024].join(".");
        Query::parse(&longest).unwrap();
    }
}
