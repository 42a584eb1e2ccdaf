//! The AWS CLI's output, without Python: an operation's response in its three output formats,
//! `json`, `text` and `table`, after its `--query` (JMESPath), byte for byte as the AWS CLI (v1,
//! and v2, whose formatters are the same) prints it, errors included.
//!
//! In scope: formatting a response that has been parsed, JMESPath queries on it, and coloured
//! tables. Out of scope: any I/O (the caller writes the text and decides whether standard output
//! is a terminal), paging, and `yaml`.
//!
//! Build a [`Document`] from the parsed response with its members in the service model's order
//! (botocore fills its `dict` in that order, and the formats and queries keep it), then
//! [`render()`] it with [`Options`]:
//!
//! ```
//! use sso_oidc_cli_output::{render, Document, Format, Object, Options, Query};
//!
//! let response = Document::from(
//!     Object::new()
//!         .with("userCode", "GPNW-SHFH")
//!         .with("verificationUri", "https://device.sso.us-east-1.amazonaws.com/")
//!         .with("expiresIn", 600),
//! );
//! let operation = "StartDeviceAuthorization";
//! let query = Query::parse("{code: userCode, seconds: expiresIn}")?;
//!
//! let json = render(&response, &Options::new(Format::Json, operation).query(&query))?;
//! assert_eq!(json, "{\n    \"code\": \"GPNW-SHFH\",\n    \"seconds\": 600\n}\n");
//!
//! let text = render(&response, &Options::new(Format::Text, operation))?;
//! assert_eq!(text, "600\tGPNW-SHFH\thttps://device.sso.us-east-1.amazonaws.com/\n");
//!
//! let table = render(&response, &Options::new("table".parse()?, operation).query(&query))?;
//! assert_eq!(
//!     table,
//!     "--------------------------\n\
//!      |StartDeviceAuthorization|\n\
//!      +------------+-----------+\n\
//!      |    code    |  seconds  |\n\
//!      +------------+-----------+\n\
//!      |  GPNW-SHFH |  600      |\n\
//!      +------------+-----------+\n"
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! On a [`RenderError`], do what the AWS CLI does: write [`RenderError::printed`] to standard
//! output, then a blank line and the error to standard error (`eprint!("\n{error}\n")`), and exit
//! with status 255. The same goes for a [`QueryError`] from [`Query::parse`], before any request
//! is sent.

mod document;
mod failure;
mod format;
mod formats;
mod jmespath;
mod python;
mod render;
mod request_id;

pub use document::{Document, Object};
pub use format::{Format, UnknownFormat};
pub use jmespath::{Query, QueryError};
pub use python::python_json_dumps;
pub use render::{DEFAULT_TERMINAL_WIDTH, Options, RenderError, render};
