//! Cross-crate integration tests for the sso-oidc workspace; the tests live in `tests/`.
//!
//! The README's Rust examples are compiled and run here as doctests, so they cannot go stale.

#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
