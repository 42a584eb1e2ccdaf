//! The AWS CLI's first step with any response: `Formatter._remove_request_id`.
//!
//! botocore adds a `ResponseMetadata` member to every response, and the formatters delete it
//! before the query. The check is Python's `'ResponseMetadata' in response`, which means
//! something else, or fails, on a response that is not a dict; we reproduce that too.

use std::borrow::Cow;

use crate::document::Document;
use crate::failure::{Failure, type_name};

const KEY: &str = "ResponseMetadata";

/// The response without its `ResponseMetadata`, or Python's exception.
pub(crate) fn remove(response: &Document) -> Result<Cow<'_, Document>, Failure> {
    match response {
        Document::Object(object) if object.get(KEY).is_some() => {
            // `'RequestId' in response['ResponseMetadata']` runs first (to log the request id),
            // and fails the same way on a value that is not a container.
            if let Some(metadata) = object.get(KEY) {
                contains(metadata, "RequestId")?;
            }
            Ok(Cow::Owned(Document::Object(
                object
                    .iter()
                    .filter(|(key, _)| *key != KEY)
                    .map(|(key, value)| (key, value.clone()))
                    .collect(),
            )))
        }
        Document::Array(_) | Document::String(_) if contains(response, KEY)? => {
            // `response['ResponseMetadata']` on a list or a string.
            Err(Failure(match response {
                Document::Array(_) => "list indices must be integers or slices, not str".to_owned(),
                _ => "string indices must be integers, not 'str'".to_owned(),
            }))
        }
        _ => {
            contains(response, KEY)?;
            Ok(Cow::Borrowed(response))
        }
    }
}

/// Python's `needle in container`.
fn contains(container: &Document, needle: &str) -> Result<bool, Failure> {
    match container {
        Document::Object(object) => Ok(object.get(needle).is_some()),
        Document::Array(items) => Ok(items
            .iter()
            .any(|item| matches!(item, Document::String(s) if s == needle))),
        Document::String(s) => Ok(s.contains(needle)),
        other => Err(Failure(format!(
            "argument of type '{}' is not iterable",
            type_name(other)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(json: &str) -> Document {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn removes_the_member_from_an_object() {
        let response = doc(r#"{"b":1,"ResponseMetadata":{"RequestId":"x"},"a":2}"#);
        assert_eq!(*remove(&response).unwrap(), doc(r#"{"b":1,"a":2}"#));
    }

    #[test]
    fn fails_as_python_on_other_values() {
        assert_eq!(
            remove(&doc("null")).unwrap_err().0,
            "argument of type 'NoneType' is not iterable"
        );
        assert_eq!(
            remove(&doc(r#"{"ResponseMetadata": 1}"#)).unwrap_err().0,
            "argument of type 'int' is not iterable"
        );
        assert!(remove(&doc(r#"["a"]"#)).is_ok());
    }
}
