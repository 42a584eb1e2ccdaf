//! [`Object`]: the members of a JSON object in insertion order, as a Python `dict` keeps them.

use indexmap::IndexMap;

use super::Document;

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

    /// The values, in order.
    pub fn values(&self) -> impl ExactSizeIterator<Item = &Document> {
        self.members.values()
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn a_repeated_key_keeps_its_place_and_takes_the_new_value() {
        let object: Object = [("b", 1), ("a", 2), ("b", 3)].into_iter().collect();
        assert_eq!(object.keys().collect::<Vec<_>>(), ["b", "a"]);
        assert_eq!(object.get("b"), Some(&Document::from(3)));
    }
}
