//! The AWS CLI's three `--output` formats, each a function from a (queried) document to text.

pub(crate) mod json;
pub(crate) mod table;
pub(crate) mod text;
