//! The core crate does no I/O: nothing in its normal dependency tree, on any target and with any
//! feature, opens sockets or runs an async runtime, and the tree stays small.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

const FORBIDDEN: &[&str] = &[
    "tokio",
    "hyper",
    "hyper-util",
    "ureq",
    "mio",
    "socket2",
    "reqwest",
    "async-std",
    "smol",
];

/// The crate names in `cargo tree -p sso-oidc -e normal` with the given extra arguments.
fn tree(extra: &[&str]) -> BTreeSet<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let output = Command::new(cargo)
        .current_dir(workspace)
        .args(["tree", "-p", "sso-oidc", "-e", "normal", "--prefix", "none"])
        .args(["--target", "all"])
        .args(extra)
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn no_io_crates_in_the_core() {
    for extra in [&[][..], &["--all-features"][..]] {
        let crates = tree(extra);
        assert!(crates.contains("sso-oidc"), "{crates:?}");
        let found: Vec<_> = FORBIDDEN
            .iter()
            .filter(|name| crates.contains(**name))
            .collect();
        assert!(
            found.is_empty(),
            "the core depends on {found:?} ({extra:?})"
        );
    }
}

#[test]
fn the_core_tree_stays_small() {
    // The budget from the project's footprint target: at most 20 crates with default features.
    let crates = tree(&[]);
    assert!(crates.len() <= 20, "{} crates: {crates:?}", crates.len());
}
