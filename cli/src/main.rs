//! The `sso-oidc` binary: see the `sso_oidc_cli` crate.

fn main() -> std::process::ExitCode {
    sso_oidc_cli::main()
}
