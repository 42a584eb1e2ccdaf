//! Building a [`Document`] from Rust values and from a `serde_json::Value`.

use serde_json::Number;

use super::{Document, Object};

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
