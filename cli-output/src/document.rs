//! The value to print: JSON whose objects keep their members in order.
//!
//! The AWS CLI prints a response as botocore parsed it: a Python `dict` filled in the order of
//! the output shape's members in the service model, whatever order the service sent. `serde_json`
//! without its `preserve_order` feature (which we must not turn on: features unify across the
//! workspace) sorts object keys, so [`Document`] is our own small tree.

use std::fmt;

use indexmap::IndexMap;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Number;

/// A JSON value whose objects keep their members in insertion order, as Python's `dict` does.
///
/// Build one from an operation's output in the service model's member order, leaving out the
/// members the response did not have (botocore leaves them out too):
///
/// ```
/// use sso_oidc_cli_output::{Document, Object};
///
/// let document = Document::from(
///     Object::new()
///         .with("deviceCode", "device-code")
///         .with("userCode", "GPNW-SHFH")
///         .with("expiresIn", 600)
///         .with("interval", 1),
/// );
/// ```
///
/// or reorder a parsed `serde_json::Value` (whose objects are sorted by key) with
/// [`Object::ordered_by`], or deserialize JSON text straight into a `Document` (objects keep the
/// text's order).
#[derive(Debug, Clone, PartialEq)]
pub enum Document {
    /// JSON `null` (Python `None`).
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer or a float, told apart as Python tells `1` from `1.0`.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Self>),
    /// An object, in member order.
    Object(Object),
}

/// The members of a JSON object in insertion order.
///
/// Inserting a key that is already there replaces its value and keeps its place, as assigning
/// to a Python `dict` does.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Object {
    members: IndexMap<String, Document>,
}

impl Object {
    /// An empty object.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) a member; a new key goes last.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<Document>) {
        self.members.insert(key.into(), value.into());
    }

    /// [`Object::insert`] for building in one expression.
    #[must_use]
    pub fn with(mut self, key: impl Into<String>, value: impl Into<Document>) -> Self {
        self.insert(key, value);
        self
    }

    /// Adds the member when there is a value: optional output members that the response did not
    /// have are absent from what the AWS CLI prints, not `null`.
    #[must_use]
    pub fn with_some(self, key: impl Into<String>, value: Option<impl Into<Document>>) -> Self {
        match value {
            Some(value) => self.with(key, value),
            None => self,
        }
    }

    /// The value of a member.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Document> {
        self.members.get(key)
    }

    /// The members, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &Document)> {
        self.members
            .iter()
            .map(|(key, value)| (key.as_str(), value))
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &str> {
        self.members.keys().map(String::as_str)
    }

    /// How many members there are.
    #[must_use]
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether there are no members.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// Moves the members named in `order` to the front, in that order; the others follow in
    /// their current order. Names that are not members are ignored.
    ///
    /// This is how to put a parsed response in the service model's member order:
    ///
    /// ```
    /// use sso_oidc_cli_output::{Document, Object};
    ///
    /// let body: serde_json::Value =
    ///     serde_json::from_str(r#"{"interval":1,"userCode":"GPNW-SHFH"}"#).unwrap();
    /// let Document::Object(object) = Document::from(body) else { unreachable!() };
    /// let object = object.ordered_by(&["deviceCode", "userCode", "interval"]);
    /// assert_eq!(object.keys().collect::<Vec<_>>(), ["userCode", "interval"]);
    /// ```
    #[must_use]
    pub fn ordered_by(mut self, order: &[&str]) -> Self {
        let mut members = IndexMap::with_capacity(self.members.len());
        for key in order {
            if let Some((key, value)) = self.members.shift_remove_entry(*key) {
                members.insert(key, value);
            }
        }
        members.extend(self.members);
        Self { members }
    }
}

impl<K: Into<String>, V: Into<Document>> FromIterator<(K, V)> for Object {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut object = Self::new();
        for (key, value) in iter {
            object.insert(key, value);
        }
        object
    }
}

impl Document {
    /// Whether Python's `bool()` is false for the value (`None`, `False`, zero, empty): the AWS
    /// CLI's table and json formatters skip some of those.
    pub(crate) fn is_falsy(&self) -> bool {
        match self {
            Self::Null => true,
            Self::Bool(b) => !b,
            Self::Number(n) => n.as_f64() == Some(0.0),
            Self::String(s) => s.is_empty(),
            Self::Array(a) => a.is_empty(),
            Self::Object(o) => o.is_empty(),
        }
    }

    /// Whether the value is neither a list nor a dict, as the AWS CLI's formatters ask.
    pub(crate) fn is_scalar(&self) -> bool {
        !matches!(self, Self::Array(_) | Self::Object(_))
    }

    /// How deeply arrays and objects nest (a scalar is 0).
    pub(crate) fn depth(&self) -> usize {
        // An explicit stack: the depth check guards the recursive formatters, so it must not
        // recurse itself.
        let mut deepest = 0;
        let mut stack = vec![(self, 0usize)];
        while let Some((value, depth)) = stack.pop() {
            deepest = deepest.max(depth);
            match value {
                Self::Array(items) => stack.extend(items.iter().map(|item| (item, depth + 1))),
                Self::Object(object) => {
                    stack.extend(object.members.values().map(|item| (item, depth + 1)));
                }
                _ => {}
            }
        }
        deepest
    }
}

impl From<Object> for Document {
    fn from(object: Object) -> Self {
        Self::Object(object)
    }
}

impl From<Vec<Self>> for Document {
    fn from(items: Vec<Self>) -> Self {
        Self::Array(items)
    }
}

impl From<&str> for Document {
    fn from(s: &str) -> Self {
        Self::String(s.to_owned())
    }
}

impl From<String> for Document {
    fn from(s: String) -> Self {
        Self::String(s)
    }
}

impl From<bool> for Document {
    fn from(b: bool) -> Self {
        Self::Bool(b)
    }
}

impl From<Number> for Document {
    fn from(n: Number) -> Self {
        Self::Number(n)
    }
}

macro_rules! from_integer {
    ($($t:ty),*) => {$(
        impl From<$t> for Document {
            fn from(n: $t) -> Self {
                Self::Number(Number::from(n))
            }
        }
    )*};
}
from_integer!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

impl From<f64> for Document {
    /// A float; NaN and the infinities, which JSON cannot hold, become `Null`.
    fn from(f: f64) -> Self {
        Number::from_f64(f).map_or(Self::Null, Self::Number)
    }
}

impl<T: Into<Self>> From<Option<T>> for Document {
    fn from(value: Option<T>) -> Self {
        value.map_or(Self::Null, Into::into)
    }
}

impl From<serde_json::Value> for Document {
    /// Converts a `serde_json::Value`; its objects come in `serde_json`'s order (sorted by key
    /// in this workspace), so reorder them with [`Object::ordered_by`].
    fn from(value: serde_json::Value) -> Self {
        match value {
            serde_json::Value::Null => Self::Null,
            serde_json::Value::Bool(b) => Self::Bool(b),
            serde_json::Value::Number(n) => Self::Number(n),
            serde_json::Value::String(s) => Self::String(s),
            serde_json::Value::Array(items) => {
                Self::Array(items.into_iter().map(Self::from).collect())
            }
            serde_json::Value::Object(map) => Self::Object(map.into_iter().collect()),
        }
    }
}

impl Serialize for Document {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Null => serializer.serialize_unit(),
            Self::Bool(b) => serializer.serialize_bool(*b),
            Self::Number(n) => n.serialize(serializer),
            Self::String(s) => serializer.serialize_str(s),
            Self::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Self::Object(object) => object.serialize(serializer),
        }
    }
}

impl Serialize for Object {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (key, value) in self.iter() {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Document {
    /// Deserializes any self-describing format; objects keep the input's order, and a repeated
    /// key keeps its first place and its last value, as Python's `json.loads` does.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DocumentVisitor)
    }
}

struct DocumentVisitor;

impl<'de> Visitor<'de> for DocumentVisitor {
    type Value = Document;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Document, E> {
        Ok(Document::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Document, E> {
        Ok(Document::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Document, D::Error> {
        Document::deserialize(deserializer)
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Document, E> {
        Ok(Document::Bool(b))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Document, E> {
        Ok(Document::from(n))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Document, E> {
        Ok(Document::from(n))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Document, E> {
        Ok(Document::from(n))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Document, E> {
        Ok(Document::from(s))
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Document, E> {
        Ok(Document::String(s))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Document, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Document::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Document, A::Error> {
        let mut object = Object::new();
        while let Some((key, value)) = map.next_entry::<String, Document>()? {
            object.insert(key, value);
        }
        Ok(Document::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deserializing_keeps_the_text_order_and_python_duplicate_rules() {
        let doc: Document = serde_json::from_str(r#"{"b":1,"a":{"z":1,"y":2},"b":3}"#).unwrap();
        let Document::Object(object) = &doc else {
            panic!("not an object")
        };
        assert_eq!(object.keys().collect::<Vec<_>>(), ["b", "a"]);
        assert_eq!(object.get("b"), Some(&Document::from(3)));
        assert_eq!(
            serde_json::to_string(&doc).unwrap(),
            r#"{"b":3,"a":{"z":1,"y":2}}"#
        );
    }

    #[test]
    fn ordered_by_puts_named_members_first() {
        let object = Object::new()
            .with("c", 1)
            .with("a", 2)
            .with("b", 3)
            .ordered_by(&["b", "x", "c"]);
        assert_eq!(object.keys().collect::<Vec<_>>(), ["b", "c", "a"]);
    }

    #[test]
    fn falsy_is_python_truthiness() {
        for falsy in ["null", "false", "0", "0.0", "-0.0", "\"\"", "[]", "{}"] {
            let doc: Document = serde_json::from_str(falsy).unwrap();
            assert!(doc.is_falsy(), "{falsy}");
        }
        for truthy in ["true", "1", "0.5", "\" \"", "[0]", "{\"a\":null}"] {
            let doc: Document = serde_json::from_str(truthy).unwrap();
            assert!(!doc.is_falsy(), "{truthy}");
        }
    }

    #[test]
    fn depth_counts_nesting() {
        let doc: Document = serde_json::from_str(r#"[1, {"a": [[]]}]"#).unwrap();
        assert_eq!(doc.depth(), 3);
    }
}
