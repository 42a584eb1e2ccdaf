//! A compiled expression: the `jmespath` crate's syntax tree, with each JSON literal read again
//! from the expression's text so that its objects keep their order (the crate's are sorted).

use jmespath::Variable;
use jmespath::ast::{Ast, Comparator as AstComparator};

use crate::document::Document;

/// A node of a compiled expression, as Python's jmespath visits it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    /// `@`.
    Identity,
    /// `name` or `"quoted name"`.
    Field(String),
    /// `[n]`, negative from the end.
    Index(i32),
    /// `[start:stop:step]`.
    Slice {
        start: Option<i32>,
        stop: Option<i32>,
        step: i32,
    },
    /// `` `json` `` or `'raw string'`, objects in the text's order.
    Literal(Document),
    /// `a.b.c` and `a | b | c`: each link on the last one's result. (The crate nests a chain to
    /// the left; Python's parser keeps a dotted chain flat, and so do we, pipes included.)
    Subexpr(Vec<Self>),
    /// `lhs[*].rhs` and the other projections: `rhs` on each element of `lhs`'s array.
    Projection(Box<Self>, Box<Self>),
    /// `*` on an object: its values.
    ObjectValues(Box<Self>),
    /// `[]`: one level of nested arrays flattened.
    Flatten(Box<Self>),
    /// `[a, b]`.
    MultiList(Vec<Self>),
    /// `{k: a, l: b}`, in the expression's order.
    MultiHash(Vec<(String, Self)>),
    /// `lhs || rhs`.
    Or(Box<Self>, Box<Self>),
    /// `lhs && rhs`.
    And(Box<Self>, Box<Self>),
    /// `!node`.
    Not(Box<Self>),
    /// `[?predicate]`'s test: `then` where `predicate` holds, else null.
    Condition {
        predicate: Box<Self>,
        then: Box<Self>,
    },
    /// `lhs == rhs` and the other comparisons.
    Comparison {
        comparator: Comparator,
        lhs: Box<Self>,
        rhs: Box<Self>,
    },
    /// `name(args...)`.
    Function { name: String, args: Vec<Self> },
    /// `&node`: an expression passed to a function.
    Expref(Box<Self>),
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Comparator {
    Equal,
    NotEqual,
    LessThan,
    LessThanEqual,
    GreaterThan,
    GreaterThanEqual,
}

impl Node {
    /// How deeply evaluating this node recurses: 1 for a leaf.
    pub(crate) fn depth(&self) -> usize {
        // An explicit stack: this guards the recursive evaluation, so it must not recurse.
        let mut deepest = 0;
        let mut stack = vec![(self, 1usize)];
        while let Some((node, depth)) = stack.pop() {
            deepest = deepest.max(depth);
            stack.extend(node.children().into_iter().map(|child| (child, depth + 1)));
        }
        deepest
    }

    /// The nodes this one evaluates.
    fn children(&self) -> Vec<&Self> {
        match self {
            Self::Identity | Self::Field(_) | Self::Index(_) | Self::Slice { .. } => Vec::new(),
            Self::Literal(_) => Vec::new(),
            Self::Subexpr(nodes) | Self::MultiList(nodes) | Self::Function { args: nodes, .. } => {
                nodes.iter().collect()
            }
            Self::MultiHash(pairs) => pairs.iter().map(|(_, node)| node).collect(),
            Self::Projection(lhs, rhs)
            | Self::Or(lhs, rhs)
            | Self::And(lhs, rhs)
            | Self::Comparison { lhs, rhs, .. } => vec![lhs, rhs],
            Self::Condition { predicate, then } => vec![predicate, then],
            Self::ObjectValues(node)
            | Self::Flatten(node)
            | Self::Not(node)
            | Self::Expref(node) => {
                vec![node]
            }
        }
    }

    /// Converts the crate's tree; `text` is the expression the crate parsed, whose byte offsets
    /// its literals carry.
    pub(crate) fn from_ast(ast: &Ast, text: &str) -> Self {
        let node = |ast: &Ast| Box::new(Self::from_ast(ast, text));
        match ast {
            Ast::Identity { .. } => Self::Identity,
            Ast::Field { name, .. } => Self::Field(name.clone()),
            Ast::Index { idx, .. } => Self::Index(*idx),
            Ast::Slice {
                start, stop, step, ..
            } => Self::Slice {
                start: *start,
                stop: *stop,
                step: *step,
            },
            Ast::Literal { value, offset } => {
                Self::Literal(literal(text, *offset).unwrap_or_else(|| document_of(value)))
            }
            Ast::Subexpr { .. } => Self::Subexpr(chain(ast, text)),
            Ast::Projection { lhs, rhs, .. } => Self::Projection(node(lhs), node(rhs)),
            Ast::ObjectValues { node: inner, .. } => Self::ObjectValues(node(inner)),
            Ast::Flatten { node: inner, .. } => Self::Flatten(node(inner)),
            Ast::MultiList { elements, .. } => Self::MultiList(
                elements
                    .iter()
                    .map(|element| Self::from_ast(element, text))
                    .collect(),
            ),
            Ast::MultiHash { elements, .. } => Self::MultiHash(
                elements
                    .iter()
                    .map(|element| (element.key.clone(), Self::from_ast(&element.value, text)))
                    .collect(),
            ),
            Ast::Or { lhs, rhs, .. } => Self::Or(node(lhs), node(rhs)),
            Ast::And { lhs, rhs, .. } => Self::And(node(lhs), node(rhs)),
            Ast::Not { node: inner, .. } => Self::Not(node(inner)),
            Ast::Condition {
                predicate, then, ..
            } => Self::Condition {
                predicate: node(predicate),
                then: node(then),
            },
            Ast::Comparison {
                comparator,
                lhs,
                rhs,
                ..
            } => Self::Comparison {
                comparator: match comparator {
                    AstComparator::Equal => Comparator::Equal,
                    AstComparator::NotEqual => Comparator::NotEqual,
                    AstComparator::LessThan => Comparator::LessThan,
                    AstComparator::LessThanEqual => Comparator::LessThanEqual,
                    AstComparator::GreaterThan => Comparator::GreaterThan,
                    AstComparator::GreaterThanEqual => Comparator::GreaterThanEqual,
                },
                lhs: node(lhs),
                rhs: node(rhs),
            },
            Ast::Function { name, args, .. } => Self::Function {
                name: name.clone(),
                args: args.iter().map(|arg| Self::from_ast(arg, text)).collect(),
            },
            Ast::Expref { ast, .. } => Self::Expref(node(ast)),
        }
    }
}

/// The links of a chain of subexpressions, `((a.b).c).d`, first to last, without recursing
/// down its left side.
fn chain(ast: &Ast, text: &str) -> Vec<Node> {
    let mut rights = Vec::new();
    let mut left = ast;
    while let Ast::Subexpr { lhs, rhs, .. } = left {
        rights.push(rhs);
        left = lhs;
    }
    let mut links = vec![Node::from_ast(left, text)];
    links.extend(rights.iter().rev().map(|rhs| Node::from_ast(rhs, text)));
    links
}

/// Re-reads the JSON literal that starts (with a backtick) at byte `offset`, in order, as the
/// crate's lexer reads it: up to the next backtick not escaped by a backslash, with `` \` ``
/// standing for a backtick.
fn literal(text: &str, offset: usize) -> Option<Document> {
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

/// A literal the text does not give again: a raw string (`'...'`), which has no objects.
fn document_of(value: &Variable) -> Document {
    match value {
        Variable::String(s) => Document::String(s.clone()),
        other => serde_json::to_value(other).map_or(Document::Null, Document::from),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compile(text: &str) -> Node {
        Node::from_ast(&jmespath::parse(text).unwrap(), text)
    }

    #[test]
    fn literals_keep_the_text_order() {
        let Node::Literal(Document::Array(items)) = compile(r#"`[{"b": 1, "a": "\`"}]`"#) else {
            panic!("not an array literal")
        };
        let Document::Object(object) = &items[0] else {
            panic!("not an object")
        };
        assert_eq!(object.keys().collect::<Vec<_>>(), ["b", "a"]);
        assert_eq!(object.get("a"), Some(&Document::from("`")));
        assert_eq!(compile("'raw'"), Node::Literal(Document::from("raw")));
    }

    #[test]
    fn hashes_keep_the_expression_order() {
        let Node::MultiHash(pairs) = compile("{b: x, a: y}") else {
            panic!("not a hash")
        };
        let keys: Vec<&str> = pairs.iter().map(|(key, _)| key.as_str()).collect();
        assert_eq!(keys, ["b", "a"]);
    }
}
