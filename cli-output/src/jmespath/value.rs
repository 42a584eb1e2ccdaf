//! What an expression works on and gives: parts of the document (borrowed, in their order), and
//! the arrays, objects, scalars and expression references the expression makes.
//!
//! Objects keep Python's `dict` order by construction: the document's and literals' own order,
//! a multi-select hash's in the expression, and `merge()`'s where each key first appears.

use indexmap::IndexMap;
use serde_json::Number;

use super::node::Node;
use crate::document::{Document, Object};

/// A value during evaluation.
#[derive(Debug, Clone)]
pub(crate) enum Value<'a> {
    /// Part of the document, or of a literal in the expression.
    Ref(&'a Document),
    /// `null`, made by the expression.
    Null,
    /// A boolean made by the expression.
    Bool(bool),
    /// A number made by the expression.
    Number(Number),
    /// A string made by the expression.
    String(String),
    /// An array made by the expression.
    Array(Vec<Self>),
    /// An object made by the expression; inserting a key again keeps its place, as in Python.
    Object(IndexMap<String, Self>),
    /// `&expression`, given to a function.
    Expref(&'a Node),
}

/// The type of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
    Expref,
}

impl Kind {
    /// The type's JMESPath name, as `type()` gives it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Null => "null",
            Self::Bool => "boolean",
            Self::Number => "number",
            Self::String => "string",
            Self::Array => "array",
            Self::Object => "object",
            Self::Expref => "expref",
        }
    }
}

impl<'a> Value<'a> {
    /// The value's type.
    pub(crate) fn kind(&self) -> Kind {
        match self {
            Self::Ref(Document::Null) | Self::Null => Kind::Null,
            Self::Ref(Document::Bool(_)) | Self::Bool(_) => Kind::Bool,
            Self::Ref(Document::Number(_)) | Self::Number(_) => Kind::Number,
            Self::Ref(Document::String(_)) | Self::String(_) => Kind::String,
            Self::Ref(Document::Array(_)) | Self::Array(_) => Kind::Array,
            Self::Ref(Document::Object(_)) | Self::Object(_) => Kind::Object,
            Self::Expref(_) => Kind::Expref,
        }
    }

    /// Python's `type(value).__name__`.
    pub(crate) fn python_type(&self) -> &'static str {
        match self.kind() {
            Kind::Null => "NoneType",
            Kind::Bool => "bool",
            Kind::Number if self.as_number().is_some_and(Number::is_f64) => "float",
            Kind::Number => "int",
            Kind::String => "str",
            Kind::Array => "list",
            Kind::Object => "dict",
            Kind::Expref => "_Expression",
        }
    }

    pub(crate) fn is_null(&self) -> bool {
        self.kind() == Kind::Null
    }

    /// Whether the value counts as true in `||`, `&&`, `!` and filters: not null, false, or an
    /// empty string, array or object. (Numbers are always true, as JMESPath has it.)
    pub(crate) fn is_truthy(&self) -> bool {
        match self {
            Self::Ref(Document::Bool(b)) | Self::Bool(b) => *b,
            Self::Ref(Document::String(s)) => !s.is_empty(),
            Self::String(s) => !s.is_empty(),
            Self::Ref(Document::Array(items)) => !items.is_empty(),
            Self::Array(items) => !items.is_empty(),
            Self::Ref(Document::Object(object)) => !object.is_empty(),
            Self::Object(object) => !object.is_empty(),
            Self::Ref(Document::Number(_)) | Self::Number(_) => true,
            Self::Ref(Document::Null) | Self::Null | Self::Expref(_) => false,
        }
    }

    pub(crate) fn as_bool(&self) -> Option<bool> {
        match self {
            Self::Ref(Document::Bool(b)) | Self::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub(crate) fn as_number(&self) -> Option<&Number> {
        match self {
            Self::Ref(Document::Number(n)) | Self::Number(n) => Some(n),
            _ => None,
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Self::Ref(Document::String(s)) | Self::String(s) => Some(s),
            _ => None,
        }
    }

    /// The elements of an array.
    pub(crate) fn items(&self) -> Option<Vec<Self>> {
        match self {
            Self::Ref(Document::Array(items)) => Some(items.iter().map(Self::Ref).collect()),
            Self::Array(items) => Some(items.clone()),
            _ => None,
        }
    }

    /// The element at `index` of an array (from its end when negative), else null.
    pub(crate) fn index(&self, index: i32) -> Self {
        let len = match self {
            Self::Ref(Document::Array(items)) => items.len(),
            Self::Array(items) => items.len(),
            _ => return Self::Null,
        };
        let position = if index >= 0 {
            Some(index.unsigned_abs() as usize)
        } else {
            len.checked_sub(index.unsigned_abs() as usize)
        };
        match (self, position) {
            (Self::Ref(Document::Array(items)), Some(i)) => {
                items.get(i).map_or(Self::Null, Self::Ref)
            }
            (Self::Array(items), Some(i)) => items.get(i).cloned().unwrap_or(Self::Null),
            _ => Self::Null,
        }
    }

    /// The keys of an object, in order.
    pub(crate) fn keys(&self) -> Option<Vec<&str>> {
        match self {
            Self::Ref(Document::Object(object)) => Some(object.keys().collect()),
            Self::Object(object) => Some(object.keys().map(String::as_str).collect()),
            _ => None,
        }
    }

    /// The values of an object, in order.
    pub(crate) fn values(&self) -> Option<Vec<Self>> {
        match self {
            Self::Ref(Document::Object(object)) => Some(object.values().map(Self::Ref).collect()),
            Self::Object(object) => Some(object.values().cloned().collect()),
            _ => None,
        }
    }

    /// The member `key` of an object.
    pub(crate) fn get(&self, key: &str) -> Option<Self> {
        match self {
            Self::Ref(Document::Object(object)) => object.get(key).map(Self::Ref),
            Self::Object(object) => object.get(key).cloned(),
            _ => None,
        }
    }

    /// `value.key`: the member of an object, null for anything else.
    pub(crate) fn field(&self, key: &str) -> Self {
        self.get(key).unwrap_or(Self::Null)
    }

    /// How many members an object has.
    pub(crate) fn object_len(&self) -> Option<usize> {
        match self {
            Self::Ref(Document::Object(object)) => Some(object.len()),
            Self::Object(object) => Some(object.len()),
            _ => None,
        }
    }

    /// The value as a document; an expression reference becomes null.
    pub(crate) fn to_document(&self) -> Document {
        match self {
            Self::Ref(document) => (*document).clone(),
            Self::Null | Self::Expref(_) => Document::Null,
            Self::Bool(b) => Document::Bool(*b),
            Self::Number(n) => Document::Number(n.clone()),
            Self::String(s) => Document::String(s.clone()),
            Self::Array(items) => Document::Array(items.iter().map(Self::to_document).collect()),
            Self::Object(object) => Document::Object(
                object
                    .iter()
                    .map(|(key, value)| (key.as_str(), value.to_document()))
                    .collect::<Object>(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_from_either_end() {
        let document: Document = serde_json::from_str("[1, 2, 3]").unwrap();
        let value = Value::Ref(&document);
        assert_eq!(value.index(0).to_document(), Document::from(1));
        assert_eq!(value.index(-1).to_document(), Document::from(3));
        assert_eq!(value.index(-4).to_document(), Document::Null);
        assert_eq!(value.index(3).to_document(), Document::Null);
        assert_eq!(Value::Null.index(0).to_document(), Document::Null);
    }

    #[test]
    fn truthiness_as_jmespath() {
        let document: Document = serde_json::from_str(r#"[0, "", [], {}, false, null]"#).unwrap();
        let truthy: Vec<bool> = Value::Ref(&document)
            .items()
            .unwrap()
            .iter()
            .map(Value::is_truthy)
            .collect();
        assert_eq!(truthy, [true, false, false, false, false, false]);
    }
}
