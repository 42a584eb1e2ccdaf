//! The AWS CLI v2 SSO token cache, as data.
//!
//! `aws sso login` keeps its results in `~/.aws/sso/cache/`, in JSON files named by the SHA-1
//! of what they are for: [`token_file_name`] and [`registration_file_name`].

mod json;
mod name;

pub use name::{registration_file_name, token_file_name};
