//! How Python writes the values `json.loads` makes, as the AWS CLI's formatters (Python code)
//! call it: `str()`, `repr()`, `json.dumps`, and the width the AWS CLI gives text in a table.

mod json;
mod number;
mod repr;
mod unicode_tables;
mod width;

pub use json::python_json_dumps;
pub(crate) use json::{Style as JsonStyle, dumps};
pub(crate) use repr::{repr_str, str};
pub(crate) use width::text_width;
