//! The bodies of the fuzz targets in `fuzz/`, shared with the corpus replay test
//! (`tests/fuzz_corpus.rs`), so the fuzzers and the normal test suite run the same checks.
//!
//! Each body takes the fuzzer's bytes and panics when an invariant breaks; see each function
//! for what it checks and how it reads its input. [`TARGETS`] lists them by their fuzz target
//! names.

pub mod cache;
mod check;
pub mod config;
pub mod endpoint;
pub mod flow;
pub mod input;
pub mod portal;
pub mod redirect;
pub mod response;

pub use cache::{cached_registration, cached_role_credentials, cached_token};
pub use config::config;
pub use endpoint::endpoint;
pub use flow::device_flow;
pub use portal::portal_response;
pub use redirect::redirect;
pub use response::{create_token, error_classifier, register_client, start_device_authorization};

/// A target's body: it panics when fuzz input breaks an invariant.
pub type Body = fn(&[u8]);

/// Every fuzz target: its name in `fuzz/fuzz_targets/` and `fuzz/seeds/`, and its body.
pub const TARGETS: &[(&str, Body)] = &[
    ("register_client", register_client),
    ("start_device_authorization", start_device_authorization),
    ("create_token", create_token),
    ("error_classifier", error_classifier),
    ("cached_token", cached_token),
    ("cached_registration", cached_registration),
    ("config", config),
    ("endpoint", endpoint),
    ("device_flow", device_flow),
    ("redirect", redirect),
    ("portal_response", portal_response),
    ("cached_role_credentials", cached_role_credentials),
];
