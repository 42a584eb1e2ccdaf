//! The `sso-oidc` binary.

fn main() {}
