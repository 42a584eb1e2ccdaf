//! Cross-crate integration tests for the sso-oidc workspace; the tests live in `tests/`.
