//! Replays every committed fuzz seed (`fuzz/seeds/<target>/*`) through the very function the
//! fuzz target calls (`sso_oidc_tests::fuzz`), on stable: a crash the fuzzers once found, once
//! its input is committed as a seed, can never come back unnoticed, and CI needs no nightly.

use std::collections::BTreeSet;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use sso_oidc_tests::fuzz::TARGETS;

const FUZZ: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../fuzz");

/// The files of a seed directory, sorted; a missing or empty one fails the test, so that it
/// cannot pass by replaying nothing.
fn seeds(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(FUZZ).join("seeds").join(target);
    let entries = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("no seed directory {}: {e}", dir.display()));
    let mut files: Vec<PathBuf> = entries
        .map(|entry| entry.expect("a readable directory entry").path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no seeds in {}", dir.display());
    files
}

fn message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "a panic without a message".to_owned())
}

#[test]
fn every_seed_replays_without_breaking_an_invariant() {
    let mut failures = Vec::new();
    let mut replayed = 0;
    for (target, body) in TARGETS {
        for file in seeds(target) {
            let data = std::fs::read(&file)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
            if let Err(panic) = panic::catch_unwind(AssertUnwindSafe(|| body(&data))) {
                failures.push(format!("{}: {}", file.display(), message(&*panic)));
            }
            replayed += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {replayed} seeds failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every target in `fuzz/fuzz_targets/` has a body and seeds here, and every body a target.
#[test]
fn the_targets_are_the_bodies() {
    let dir = Path::new(FUZZ).join("fuzz_targets");
    let files: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a readable directory entry").path())
        .filter_map(|path| Some(path.file_stem()?.to_str()?.to_owned()))
        .collect();
    let bodies: BTreeSet<String> = TARGETS.iter().map(|(name, _)| (*name).to_owned()).collect();
    assert_eq!(files, bodies);
    let manifest =
        std::fs::read_to_string(Path::new(FUZZ).join("Cargo.toml")).expect("fuzz/Cargo.toml");
    for name in &bodies {
        let source = std::fs::read_to_string(dir.join(format!("{name}.rs"))).expect("a target");
        assert!(
            source.contains(&format!("sso_oidc_tests::fuzz::{name}(data)")),
            "fuzz_targets/{name}.rs does not call its body"
        );
        assert!(
            manifest.contains(&format!("name = \"{name}\"")),
            "{name} not in fuzz/Cargo.toml"
        );
    }
}
