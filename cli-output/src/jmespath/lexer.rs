//! Python jmespath's lexer, for what it decides that the `jmespath` crate decides differently:
//! the text of lexer errors, where a parse error points, and the deprecated literal without JSON
//! quotes (`` `foo` `` is the string `"foo"` in Python, an error in the crate).
//!
//! Positions are in characters, as Python's are.

/// A token: its Python type name, its text (as Python's error messages print it), and where it
/// starts, in characters and in bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub(crate) kind: &'static str,
    pub(crate) value: String,
    pub(crate) start: usize,
    pub(crate) byte: usize,
}

/// What the lexer found wrong, as Python's `LexerError` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LexError {
    pub(crate) message: String,
    pub(crate) position: usize,
}

/// The tokens, ending with `eof`, and the expression with deprecated literals rewritten as JSON
/// strings (same token positions otherwise shift, so offsets into it refer to the rewrite).
pub(crate) fn tokenize(expression: &str) -> Result<(Vec<Token>, String), LexError> {
    let chars: Vec<(usize, char)> = expression.char_indices().collect();
    let mut tokens = Vec::new();
    let mut rewritten = String::with_capacity(expression.len());
    let mut copied_to = 0; // bytes of `expression` already in `rewritten`
    let mut i = 0;
    let byte_at = |i: usize| chars.get(i).map_or(expression.len(), |&(b, _)| b);
    let mut push = |kind, value: String, start: usize| {
        tokens.push(Token {
            kind,
            value,
            start,
            byte: byte_at(start),
        });
    };
    while let Some(&(_, c)) = chars.get(i) {
        let next = chars.get(i + 1).map(|&(_, c)| c);
        let simple = match c {
            '.' => Some("dot"),
            '*' => Some("star"),
            ']' => Some("rbracket"),
            ',' => Some("comma"),
            ':' => Some("colon"),
            '@' => Some("current"),
            '(' => Some("lparen"),
            ')' => Some("rparen"),
            '{' => Some("lbrace"),
            '}' => Some("rbrace"),
            _ => None,
        };
        if let Some(kind) = simple {
            push(kind, c.to_string(), i);
            i += 1;
            continue;
        }
        match c {
            'a'..='z' | 'A'..='Z' | '_' => {
                let start = i;
                while chars
                    .get(i)
                    .is_some_and(|&(_, c)| c.is_ascii_alphanumeric() || c == '_')
                {
                    i += 1;
                }
                let value = chars[start..i].iter().map(|&(_, c)| c).collect();
                push("unquoted_identifier", value, start);
            }
            ' ' | '\t' | '\n' | '\r' => i += 1,
            '[' => match next {
                Some(']') => {
                    push("flatten", "[]".to_owned(), i);
                    i += 2;
                }
                Some('?') => {
                    push("filter", "[?".to_owned(), i);
                    i += 2;
                }
                _ => {
                    push("lbracket", "[".to_owned(), i);
                    i += 1;
                }
            },
            '|' | '&' | '<' | '>' | '!' => {
                let (second, double, single) = match c {
                    '|' => ('|', "or", "pipe"),
                    '&' => ('&', "and", "expref"),
                    '<' => ('=', "lte", "lt"),
                    '>' => ('=', "gte", "gt"),
                    _ => ('=', "ne", "not"),
                };
                if next == Some(second) {
                    push(double, format!("{c}{second}"), i);
                    i += 2;
                } else {
                    push(single, c.to_string(), i);
                    i += 1;
                }
            }
            '=' if next == Some('=') => {
                push("eq", "==".to_owned(), i);
                i += 2;
            }
            '=' => {
                return Err(LexError {
                    message: "Unknown token '='".to_owned(),
                    position: i,
                });
            }
            '0'..='9' | '-' => {
                let start = i;
                i += 1;
                while chars.get(i).is_some_and(|&(_, c)| c.is_ascii_digit()) {
                    i += 1;
                }
                let value: String = chars[start..i].iter().map(|&(_, c)| c).collect();
                if value == "-" {
                    return Err(LexError {
                        message: "Unknown token '-'".to_owned(),
                        position: start,
                    });
                }
                push("number", value, start);
            }
            '\'' | '"' | '`' => {
                let start = i;
                let (lexeme, end) = consume_until(&chars, i, c).ok_or_else(|| LexError {
                    message: format!("Unclosed {c} delimiter"),
                    position: start,
                })?;
                i = end;
                match c {
                    '\'' => push("literal", lexeme.replace("\\'", "'"), start),
                    '"' => {
                        let quoted = format!("\"{lexeme}\"");
                        match serde_json::from_str::<String>(&quoted) {
                            Ok(value) => push("quoted_identifier", value, start),
                            Err(_) => {
                                return Err(LexError {
                                    message: "Invalid \\escape".to_owned(),
                                    position: start,
                                });
                            }
                        }
                    }
                    _ => {
                        let json = lexeme.replace("\\`", "`");
                        if serde_json::from_str::<serde_json::Value>(&json).is_err() {
                            // JEP-12's deprecation period: not JSON, so a string.
                            let quoted = format!("\"{}\"", json.trim_start());
                            if serde_json::from_str::<String>(&quoted).is_err() {
                                return Err(LexError {
                                    message: format!("Bad token {json}"),
                                    position: start,
                                });
                            }
                            rewritten.push_str(&expression[copied_to..byte_at(start)]);
                            rewritten.push('`');
                            rewritten.push_str(&quoted.replace('`', "\\`"));
                            rewritten.push('`');
                            copied_to = byte_at(end);
                        }
                        push("literal", json, start);
                    }
                }
            }
            other => {
                return Err(LexError {
                    message: format!("Unknown token {other}"),
                    position: i,
                });
            }
        }
    }
    rewritten.push_str(&expression[copied_to..]);
    push("eof", String::new(), chars.len());
    Ok((tokens, rewritten))
}

/// `_consume_until`: the text between the delimiter at `open` and the next unescaped one, with
/// escapes kept, and the index after the closing delimiter.
fn consume_until(chars: &[(usize, char)], open: usize, delimiter: char) -> Option<(String, usize)> {
    let mut buffer = String::new();
    let mut i = open + 1;
    loop {
        let &(_, c) = chars.get(i)?;
        if c == delimiter {
            return Some((buffer, i + 1));
        }
        if c == '\\' {
            buffer.push('\\');
            i += 1;
        }
        let &(_, c) = chars.get(i)?;
        buffer.push(c);
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_have_python_types_and_positions() {
        let (tokens, rewritten) = tokenize("foo[?a == `1`] || 'x'").unwrap();
        let kinds: Vec<_> = tokens.iter().map(|t| (t.kind, t.start)).collect();
        assert_eq!(
            kinds,
            [
                ("unquoted_identifier", 0),
                ("filter", 3),
                ("unquoted_identifier", 5),
                ("eq", 7),
                ("literal", 10),
                ("rbracket", 13),
                ("or", 15),
                ("literal", 18),
                ("eof", 21)
            ]
        );
        assert_eq!(rewritten, "foo[?a == `1`] || 'x'");
    }

    #[test]
    fn deprecated_literals_become_json_strings() {
        let (_, rewritten) = tokenize("a == ` foo`").unwrap();
        assert_eq!(rewritten, "a == `\"foo\"`");
    }

    #[test]
    fn errors_as_python() {
        let error = tokenize("a ~ b").unwrap_err();
        assert_eq!(
            (error.message.as_str(), error.position),
            ("Unknown token ~", 2)
        );
        let error = tokenize("é").unwrap_err();
        assert_eq!(
            (error.message.as_str(), error.position),
            ("Unknown token é", 0)
        );
        let error = tokenize("x '").unwrap_err();
        assert_eq!(error.message, "Unclosed ' delimiter");
    }
}
