//! Reading a cache record leniently, as the AWS SDKs do: keys in any case, unknown keys ignored,
//! `null` as absent.

use std::time::SystemTime;

use serde_json::{Map, Value};

use crate::cache::error::CacheError;
use crate::cache::time;
use crate::secret::Secret;

/// A cache record: a JSON object whose keys are looked up ignoring ASCII case.
pub(crate) struct Record(Map<String, Value>);

impl Record {
    /// Parses `bytes` as a JSON object.
    pub(crate) fn parse(bytes: &[u8]) -> Result<Self, CacheError> {
        match serde_json::from_slice(bytes) {
            Ok(Value::Object(map)) => Ok(Self(map)),
            Ok(_) => Err(CacheError::NotAnObject),
            // Only the position: serde_json's message may quote the input, which holds secrets.
            Err(error) => Err(CacheError::MalformedJson {
                line: error.line(),
                column: error.column(),
            }),
        }
    }

    /// The non-null value under `key` spelled exactly so, else under the first key equal to it
    /// ignoring ASCII case (`AccessToken`, `accesstoken`), else `None`.
    fn get(&self, key: &str) -> Option<&Value> {
        let present = |value: &&Value| !value.is_null();
        self.0.get(key).filter(present).or_else(|| {
            self.0
                .iter()
                .filter(|(name, _)| name.eq_ignore_ascii_case(key))
                .map(|(_, value)| value)
                .find(present)
        })
    }

    /// The object under `key`, itself a record read the same way.
    pub(crate) fn object(&self, key: &'static str) -> Result<Option<Self>, CacheError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(Self(map.clone()))),
            Some(_) => Err(CacheError::InvalidValue {
                key,
                reason: "is not an object",
            }),
        }
    }

    pub(crate) fn string(&self, key: &'static str) -> Result<Option<String>, CacheError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.clone())),
            Some(_) => Err(CacheError::InvalidValue {
                key,
                reason: "is not a string",
            }),
        }
    }

    pub(crate) fn required_string(&self, key: &'static str) -> Result<String, CacheError> {
        self.string(key)?.ok_or(CacheError::MissingKey { key })
    }

    pub(crate) fn secret(&self, key: &'static str) -> Result<Option<Secret>, CacheError> {
        Ok(self.string(key)?.map(Secret::new))
    }

    pub(crate) fn required_secret(&self, key: &'static str) -> Result<Secret, CacheError> {
        self.required_string(key).map(Secret::new)
    }

    pub(crate) fn time(&self, key: &'static str) -> Result<Option<SystemTime>, CacheError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(text)) => time::parse(text)
                .map(Some)
                .map_err(|reason| CacheError::InvalidTimestamp { key, reason }),
            Some(_) => Err(CacheError::InvalidTimestamp {
                key,
                reason: "is not a string",
            }),
        }
    }

    pub(crate) fn required_time(&self, key: &'static str) -> Result<SystemTime, CacheError> {
        self.time(key)?.ok_or(CacheError::MissingKey { key })
    }

    pub(crate) fn strings(&self, key: &'static str) -> Result<Option<Vec<String>>, CacheError> {
        let invalid = CacheError::InvalidValue {
            key,
            reason: "is not a list of strings",
        };
        match self.get(key) {
            None => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| item.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .map(Some)
                .ok_or(invalid),
            Some(_) => Err(invalid),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(json: &str) -> Record {
        Record::parse(json.as_bytes()).unwrap()
    }

    #[test]
    fn exact_spelling_wins_then_any_case() {
        let r =
            record(r#"{"ACCESSTOKEN": "upper", "accessToken": "exact", "AccessToken": "pascal"}"#);
        assert_eq!(r.string("accessToken").unwrap().as_deref(), Some("exact"));
        let r = record(r#"{"AccessToken": "pascal"}"#);
        assert_eq!(r.string("accessToken").unwrap().as_deref(), Some("pascal"));
    }

    #[test]
    fn null_is_absent_even_under_the_exact_spelling() {
        let r = record(r#"{"accessToken": null, "AccessToken": "pascal", "region": null}"#);
        assert_eq!(r.string("accessToken").unwrap().as_deref(), Some("pascal"));
        assert_eq!(r.string("region").unwrap(), None);
        assert!(matches!(
            r.required_string("region"),
            Err(CacheError::MissingKey { key: "region" })
        ));
    }

    #[test]
    fn wrong_types_are_named() {
        let r = record(r#"{"a": 1, "b": ["x", 2], "c": true, "d": 5}"#);
        assert!(matches!(
            r.string("a"),
            Err(CacheError::InvalidValue {
                key: "a",
                reason: "is not a string"
            })
        ));
        assert!(matches!(
            r.strings("b"),
            Err(CacheError::InvalidValue { key: "b", .. })
        ));
        assert!(matches!(
            r.strings("c"),
            Err(CacheError::InvalidValue { key: "c", .. })
        ));
        assert!(matches!(
            r.object("a"),
            Err(CacheError::InvalidValue {
                key: "a",
                reason: "is not an object"
            })
        ));
        assert!(matches!(
            r.time("d"),
            Err(CacheError::InvalidTimestamp {
                key: "d",
                reason: "is not a string"
            })
        ));
    }
}
