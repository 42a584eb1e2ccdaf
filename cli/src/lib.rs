//! The `sso-oidc` command line: the SSO OIDC service's operations as `aws sso-oidc` has them,
//! and `login`, `logout` and `token` as `aws sso login` works, on the blocking transport.
//!
//! The binary is a thin `main` around [`run`]; the modules are public to the crate's own
//! tests only through what `run` does.
