//! Cross-crate integration tests for the sso-oidc workspace; the tests live in `tests/`.
//!
//! The README's Rust examples are compiled and run here as doctests, so they cannot go stale.
//! [`fuzz`] holds the bodies of the fuzz targets in `fuzz/`, which the test suite replays on
//! every committed seed.

pub mod fuzz;

#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
