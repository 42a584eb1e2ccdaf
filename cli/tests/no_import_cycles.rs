//! The command line's files import in one direction: no file reaches, through its `use crate::`
//! and `use super::` lines, back to itself. A parent's `mod child;` and its re-exports (`pub(crate) use
//! child::Item`) are how Rust names things, not a use of the child; a parent that calls into a
//! child (`child::function(...)`) does use it, and counts.
//!
//! Test modules (`#[cfg(test)]` at the end of a file) are left out: a test may use anything.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `src`, by its module path (`context::endpoint`; `""` for lib.rs).
fn modules(src: &Path) -> BTreeMap<String, PathBuf> {
    fn walk(dir: &Path, prefix: &[String], out: &mut BTreeMap<String, PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                let mut inner = prefix.to_vec();
                inner.push(path.file_name().unwrap().to_string_lossy().into_owned());
                walk(&path, &inner, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let mut module = prefix.to_vec();
                if !matches!(name.as_str(), "mod" | "lib" | "main") {
                    module.push(name);
                }
                out.insert(module.join("::"), path);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(src, &[], &mut out);
    out.remove("").map(|lib| out.insert(String::new(), lib));
    out
}

/// The code of a file without its test module.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// The module that `path` (`a::b::Item`, from the crate root) lands in: the longest prefix
/// that is a module.
fn resolve(path: &str, modules: &BTreeMap<String, PathBuf>) -> Option<String> {
    let parts: Vec<&str> = path.split("::").collect();
    (1..=parts.len())
        .rev()
        .map(|n| parts[..n].join("::"))
        .find(|candidate| modules.contains_key(candidate))
}

/// The paths a `use` statement names, braces expanded one level deep at a time.
fn expand(tree: &str) -> Vec<String> {
    let tree: String = tree.split_whitespace().collect();
    let Some(open) = tree.find('{') else {
        return vec![tree.trim_end_matches("::self").to_owned()];
    };
    let (head, rest) = tree.split_at(open);
    let inner = &rest[1..rest.len() - 1];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .flat_map(|p| expand(&format!("{head}{p}")))
        .collect()
}

/// The modules each module uses.
fn edges(modules: &BTreeMap<String, PathBuf>) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph = BTreeMap::new();
    for (module, path) in modules {
        let code = code(path);
        let mut uses = BTreeSet::new();
        // `use crate::...;` and `use super::...;` statements, which may span lines.
        let parent = module.rsplit_once("::").map_or("", |(parent, _)| parent);
        for statement in code.split(';') {
            let statement = statement.trim();
            let (at, prefix, root) =
                match (statement.find("use crate::"), statement.find("use super::")) {
                    (Some(at), _) => (at, "use crate::", String::new()),
                    (None, Some(at)) => (at, "use super::", format!("{parent}::")),
                    (None, None) => continue,
                };
            if statement[..at].contains("//") {
                continue;
            }
            for used in expand(&statement[at + prefix.len()..]) {
                let path = format!("{root}{used}");
                if let Some(target) = resolve(path.trim_start_matches("::"), modules) {
                    uses.insert(target);
                }
            }
        }
        // Calls into a child module: `child::item` outside `mod`/`use` lines.
        let children: Vec<String> = code
            .lines()
            .filter_map(|l| {
                l.trim()
                    .strip_prefix("mod ")
                    .or_else(|| l.trim().strip_prefix("pub(crate) mod "))
            })
            .map(|l| l.trim_end_matches(';').to_owned())
            .collect();
        for line in code.lines().map(str::trim) {
            if line.starts_with("//") || line.contains("use ") || line.contains("mod ") {
                continue;
            }
            for child in &children {
                let needle = format!("{child}::");
                let called = line.match_indices(&needle).any(|(i, _)| {
                    i == 0
                        || !line.as_bytes()[i - 1].is_ascii_alphanumeric()
                            && line.as_bytes()[i - 1] != b'_'
                            && line.as_bytes()[i - 1] != b':'
                });
                if called {
                    let target = if module.is_empty() {
                        child.clone()
                    } else {
                        format!("{module}::{child}")
                    };
                    uses.insert(target);
                }
            }
        }
        uses.remove(module);
        graph.insert(module.clone(), uses);
    }
    graph
}

/// A cycle in `graph`, if there is one, as the modules along it.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(node.to_owned(), 1);
        stack.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            match state.get(next.as_str()) {
                Some(1) => {
                    let from = stack.iter().position(|n| n == next).unwrap();
                    let mut found = stack[from..].to_vec();
                    found.push(next.clone());
                    return Some(found);
                }
                Some(_) => {}
                None => {
                    if let Some(found) = visit(next, graph, state, stack) {
                        return Some(found);
                    }
                }
            }
        }
        stack.pop();
        state.insert(node.to_owned(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in graph.keys() {
        if !state.contains_key(node)
            && let Some(found) = visit(node, graph, &mut state, &mut Vec::new())
        {
            return Some(found);
        }
    }
    None
}

#[test]
fn no_file_imports_in_a_circle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let modules = modules(&src);
    assert!(modules.contains_key("context"), "{modules:?}");
    let graph = edges(&modules);
    if let Some(found) = cycle(&graph) {
        panic!("imports run in a circle: {}", found.join(" -> "));
    }
}

#[test]
fn the_checker_finds_a_circle() {
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a"]),
        ("d", vec![]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.into_iter().map(str::to_owned).collect()))
    .collect();
    assert_eq!(cycle(&graph).unwrap(), ["a", "b", "c", "a"]);
    assert_eq!(
        expand("args::{Cli, sso::{LoginArgs, TokenArgs}}"),
        ["args::Cli", "args::sso::LoginArgs", "args::sso::TokenArgs"]
    );
}
