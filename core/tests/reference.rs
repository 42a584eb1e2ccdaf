//! The service model, endpoint rule set and partitions the tests read travel with the crate,
//! in `tests/reference/`, so that they run from the published package too. They are copies:
//! this checks that each still matches the workspace's `reference/` (which other crates read)
//! and the shared upstream copy, where a checkout has them beside it.

use std::path::Path;

const FILES: [&str; 3] = [
    "partitions.json",
    "sso-oidc/endpoint-rule-set-1.json",
    "sso-oidc/service-2.json",
];

/// The portal's model, which only the shared reference holds so far.
const PORTAL_FILES: [&str; 3] = [
    "sso/endpoint-rule-set-1.json",
    "sso/paginators-1.json",
    "sso/service-2.json",
];

fn same_as(other: &str) {
    same_files(other, &FILES);
}

fn same_files(other: &str, files: &[&str]) {
    let ours = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/reference");
    let other = Path::new(env!("CARGO_MANIFEST_DIR")).join(other);
    // Only a checkout has these folders; the published package does not.
    if !other.exists() {
        eprintln!("skipped: no {}", other.display());
        return;
    }
    for file in files {
        let read = |path: &Path| std::fs::read(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
        assert!(
            read(&Path::new(ours).join(file)) == read(&other.join(file)),
            "core/tests/reference/{file} differs from {}",
            other.join(file).display()
        );
    }
}

#[test]
fn the_copies_match_the_workspace_reference() {
    same_as("../reference");
}

#[test]
fn the_copies_match_the_shared_reference() {
    same_as("../../shared/reference");
}

#[test]
fn the_portal_copies_match_the_shared_reference() {
    same_files("../../shared/reference", &PORTAL_FILES);
}
