//! The AWS CLI's automatic pagination (botocore's `PageIterator`), as a machine that is told
//! each page and says what to ask for next; it sends nothing itself.
//!
//! Each page is asked for with the last page's `nextToken`, until there is none. `--page-size`
//! sets `maxResults` on every request. `--max-items N` stops once N items are in: the page that
//! goes past N is cut, and the output ends with a `NextToken` of botocore's own making (base64
//! of the JSON `{"nextToken": ..., "boto_truncate_amount": ...}`, the amount being how many
//! items of that page were printed), which `--starting-token` takes to resume exactly there.
//! Quirks kept on purpose, because the AWS CLI's users have tokens and scripts that rely on
//! them: a token of `None` is no token, a `--starting-token` that is not botocore's base64 is
//! taken as the service's own token (or `TOKEN___N`, the old form), and non-positive
//! `--max-items` slice as Python slices.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value};
use sso_oidc_cli_output::{Document, Object, python_json_dumps};

use crate::args::Paging;
use crate::commands::operation::python::repr as python_repr;
use crate::error::CliError;
use crate::model::Paginator;

/// botocore's key for how many items of the page a `NextToken` points into.
const TRUNCATE_AMOUNT: &str = "boto_truncate_amount";

/// botocore's paging token: the request members to set for the next page, in order (here only
/// the paginator's input token, `nextToken`), `null` for none.
pub(crate) type Token = Vec<(String, Value)>;

/// What to do after a page.
#[derive(Debug, PartialEq)]
pub(crate) enum Next {
    /// Ask for the next page with this token.
    Page(Token),
    /// That was the last page to print.
    Done,
}

/// One run of automatic pagination.
#[derive(Debug)]
pub(crate) struct Pager {
    paginator: Paginator,
    max_items: Option<i64>,
    page_size: Option<i64>,
    /// The starting token's members, and how many items of its page to skip.
    start: Option<(Token, i64)>,
    /// The token the current page was asked with (botocore's `next_token`).
    token: Token,
    /// The token the page before was asked with, to catch a service that repeats itself.
    previous: Option<Token>,
    /// Items printed so far.
    total: i64,
    first: bool,
    /// The `NextToken` to print, once the output was cut short.
    resume: Option<String>,
}

impl Pager {
    /// A run with the paging options.
    ///
    /// # Errors
    /// A `--starting-token` botocore would refuse: `Bad starting token: ...`.
    pub(crate) fn new(paginator: Paginator, paging: &Paging) -> Result<Self, CliError> {
        let start = paging
            .starting_token
            .as_deref()
            .map(|token| decode(token, paginator.input_token))
            .transpose()?;
        let token = match &start {
            Some((token, _)) => token.clone(),
            None => vec![(paginator.input_token.to_owned(), Value::Null)],
        };
        Ok(Self {
            paginator,
            max_items: paging.max_items,
            page_size: paging.page_size,
            start,
            token,
            previous: None,
            total: 0,
            first: true,
            resume: None,
        })
    }

    /// Sets the first request's members: the starting token's and the page size.
    pub(crate) fn start(&self, members: &mut Map<String, Value>) {
        if let Some((token, _)) = &self.start {
            inject(members, token);
        }
        if let Some(size) = self.page_size {
            members.insert(self.paginator.limit_key.to_owned(), Value::from(size));
        }
    }

    /// Takes a page: its items (`None` when it had none at all) and its next token. Returns
    /// the items to print, and what comes next.
    ///
    /// # Errors
    /// The service sent the same token twice in a row, which would loop forever: botocore's
    /// `PaginationError`.
    pub(crate) fn handle(
        &mut self,
        items: Option<Vec<Document>>,
        next_token: Option<&str>,
    ) -> Result<(Option<Vec<Document>>, Next), CliError> {
        let mut items = items;
        let mut skipped = 0;
        if std::mem::take(&mut self.first)
            && let Some((_, skip)) = &self.start
        {
            items = items.map(|items| from(items, *skip));
            skipped = *skip;
        }
        let count = items.as_ref().map_or(0, |items| length(items.len()));
        let excess = self.max_items.map_or(0, |max| {
            self.total.saturating_add(count).saturating_sub(max)
        });
        if excess > 0 {
            let keep = count - excess;
            self.resume = Some(encode(&self.token, Some(keep.saturating_add(skipped))));
            return Ok((Some(to(items.unwrap_or_default(), keep)), Next::Done));
        }
        self.total = self.total.saturating_add(count);
        // An empty token is no token.
        let token: Token = vec![(
            self.paginator.input_token.to_owned(),
            next_token
                .filter(|t| !t.is_empty())
                .map_or(Value::Null, Value::from),
        )];
        self.token.clone_from(&token);
        if token.iter().all(|(_, value)| value.is_null()) {
            return Ok((items, Next::Done));
        }
        if self.max_items == Some(self.total) {
            self.resume = Some(encode(&token, None));
            return Ok((items, Next::Done));
        }
        if self.previous.as_ref() == Some(&token) {
            return Err(CliError::failure(format!(
                "Error during pagination: The same next token was received twice: {}",
                python_dict(&token)
            )));
        }
        self.previous = Some(token.clone());
        Ok((items, Next::Page(token)))
    }

    /// The `NextToken` to print at the end, when `--max-items` cut the output short.
    pub(crate) fn resume_token(&self) -> Option<&str> {
        self.resume.as_deref()
    }
}

/// Sets the token's members on the request, or removes them where the token has none (`null`
/// or the text `None`, as botocore reads its own tokens).
pub(crate) fn inject(members: &mut Map<String, Value>, token: &Token) {
    for (name, value) in token {
        match value {
            Value::Null => drop(members.remove(name)),
            Value::String(text) if text == "None" => drop(members.remove(name)),
            other => drop(members.insert(name.clone(), other.clone())),
        }
    }
}

fn length(len: usize) -> i64 {
    i64::try_from(len).unwrap_or(i64::MAX)
}

/// Python's `items[start:]`.
fn from(mut items: Vec<Document>, start: i64) -> Vec<Document> {
    let start = slice_index(items.len(), start);
    items.drain(..start);
    items
}

/// Python's `items[:end]`.
fn to(mut items: Vec<Document>, end: i64) -> Vec<Document> {
    let end = slice_index(items.len(), end);
    items.truncate(end);
    items
}

/// Where a Python slice bound falls in a list of `len` items: counted from the end when
/// negative, and within the list.
fn slice_index(len: usize, index: i64) -> usize {
    if index < 0 {
        let back = usize::try_from(index.unsigned_abs()).unwrap_or(usize::MAX);
        len.saturating_sub(back)
    } else {
        usize::try_from(index).unwrap_or(usize::MAX).min(len)
    }
}

/// botocore's `TokenEncoder`: base64 of `json.dumps` of the token, with the amount last.
fn encode(token: &Token, amount: Option<i64>) -> String {
    let mut members = Object::new();
    for (name, value) in token {
        members.insert(name.as_str(), Document::from(value.clone()));
    }
    if let Some(amount) = amount {
        members.insert(TRUNCATE_AMOUNT, amount);
    }
    STANDARD.encode(python_json_dumps(&Document::from(members)))
}

/// A `--starting-token`: botocore's base64 JSON object, else the old `TOKEN___N` form or the
/// service's own token as it is. The token's members, and how many items to skip.
fn decode(text: &str, input_token: &str) -> Result<(Token, i64), CliError> {
    let decoded = STANDARD
        .decode(text)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|json| serde_json::from_str::<Value>(&json).ok());
    match decoded {
        Some(Value::Object(mut members)) => {
            let skip = members
                .remove(TRUNCATE_AMOUNT)
                .and_then(|amount| amount.as_i64())
                .unwrap_or(0);
            // Which of its members botocore base64-encoded: none of ours is binary.
            members.remove("boto_encoded_keys");
            Ok((members.into_iter().collect(), skip))
        }
        Some(_) => Err(bad(text)),
        None => deprecated(text, input_token),
    }
}

/// botocore's `_parse_starting_token_deprecated`, for one input token: `TOKEN___N` skips N
/// items of TOKEN's page; anything else is the service's token, `None` being none.
fn deprecated(text: &str, input_token: &str) -> Result<(Token, i64), CliError> {
    let mut parts: Vec<&str> = text.split("___").collect();
    let mut skip = 0;
    if parts.len() == 2 {
        match parts[1].trim().parse::<i64>() {
            Ok(n) => {
                skip = n;
                parts.pop();
            }
            Err(_) => parts = vec![text],
        }
    }
    let [part] = parts.as_slice() else {
        return Err(bad(text));
    };
    let value = if *part == "None" {
        Value::Null
    } else {
        Value::from(*part)
    };
    Ok((vec![(input_token.to_owned(), value)], skip))
}

fn bad(text: &str) -> CliError {
    CliError::failure(format!("Bad starting token: {text}"))
}

/// Python's `repr()` of the token as a `dict` of strings and `None`.
fn python_dict(token: &Token) -> String {
    let members: Vec<String> = token
        .iter()
        .map(|(name, value)| {
            let value = match value {
                Value::String(text) => python_repr(text),
                Value::Null => "None".to_owned(),
                other => other.to_string(),
            };
            format!("{}: {value}", python_repr(name))
        })
        .collect();
    format!("{{{}}}", members.join(", "))
}

#[cfg(test)]
mod tests;
