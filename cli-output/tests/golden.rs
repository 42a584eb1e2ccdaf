//! `render` prints what the AWS CLI prints, for this service's responses and a few queries: the
//! golden files under `tests/data/golden/` were written by the real AWS CLI
//! (`tests/data/capture.py`, which says how to regenerate them). No Python is needed here.

use std::fs;
use std::path::{Path, PathBuf};

use sso_oidc_cli_output::{Document, Format, Options, Query, render};

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

fn read(path: &Path) -> Option<String> {
    fs::read_to_string(path).ok()
}

/// What `sso-oidc` prints for a case: standard output and, on failure, the error message.
fn run(
    document: &Document,
    operation: &str,
    format: Format,
    query: Option<&str>,
) -> (String, Option<String>) {
    let query = match query.map(Query::parse) {
        None => None,
        Some(Ok(query)) => Some(query),
        Some(Err(error)) => return (String::new(), Some(error.to_string())),
    };
    match render(
        document,
        &Options::new(format, operation).query(query.as_ref()),
    ) {
        Ok(stdout) => (stdout, None),
        Err(error) => (error.printed().to_owned(), Some(error.to_string())),
    }
}

#[test]
fn render_matches_the_aws_cli_golden_files() {
    let index: serde_json::Value =
        serde_json::from_str(&read(&data().join("golden/queries.json")).expect("queries.json"))
            .expect("index");
    let documents = index["documents"].as_object().expect("documents");
    let mut checked = 0;
    let mut failures = Vec::new();
    for (name, entry) in documents {
        let text = read(&data().join(format!("documents/{name}.json"))).expect("document");
        let document: Document = serde_json::from_str(&text).expect("document JSON");
        let operation = entry["operation"].as_str().expect("operation");
        for (slug, query) in entry["queries"].as_object().expect("queries") {
            for format in [Format::Json, Format::Text, Format::Table] {
                let path = data().join(format!("golden/{name}/{slug}.{format}"));
                let expected_stdout = read(&path).expect("golden file");
                let expected_error = read(&path.with_extension(format!("{format}.err")));
                let (stdout, error) = run(&document, operation, format, query.as_str());
                checked += 1;
                if (&stdout, &error) != (&expected_stdout, &expected_error) {
                    failures.push(format!(
                        "{name} {format} --query {query}\n--- aws\n{expected_stdout}{}\n--- ours\n{stdout}{}\n",
                        expected_error.as_deref().map(|e| format!("[error] {e}")).unwrap_or_default(),
                        error.as_deref().map(|e| format!("[error] {e}")).unwrap_or_default(),
                    ));
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} golden cases");
    assert!(
        failures.is_empty(),
        "{} of {checked} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
