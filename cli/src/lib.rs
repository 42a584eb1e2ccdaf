//! The `sso-oidc` command line: the SSO OIDC service's operations as `aws sso-oidc` has them,
//! and `login`, `logout` and `token` as `aws sso login` works, on the blocking transport.

pub mod output;
