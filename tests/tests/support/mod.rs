//! What the integration tests share: the Python interpreter that runs the real AWS clients.

#![allow(dead_code, unreachable_pub)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The interpreter named by `SSO_OIDC_PYTHON`, else `python3`.
pub fn python() -> String {
    std::env::var("SSO_OIDC_PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

/// A script under `tests/python/`.
pub fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("python")
        .join(name)
}

/// Whether `python` can import `module`. `false` means skip the test, with a note, except in
/// CI (`CI=true`), where `.ci/run` installs the module and a missing one fails the test.
pub fn python_has(python: &str, module: &str, package: &str) -> bool {
    let probe = Command::new(python)
        .args(["-c", &format!("import {module}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    let found = matches!(probe, Ok(status) if status.success());
    if !found {
        let note = format!(
            "`{python} -c 'import {module}'` failed; set SSO_OIDC_PYTHON to a Python with \
             {package} (`python3 -m venv v && v/bin/pip install {package}`)"
        );
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI must run this test: {note}"
        );
        eprintln!("skipping: {note}");
    }
    found
}

/// A command for `python` that sees no AWS configuration or credentials of this machine.
pub fn isolated(python: &str) -> Command {
    let mut command = Command::new(python);
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("AWS_") {
            command.env_remove(key);
        }
    }
    command
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_EC2_METADATA_DISABLED", "true");
    command
}

/// Runs `tests/python/<name>` with `spec` as JSON on stdin; the JSON it prints. Fails the test
/// with Python's stderr when the script fails.
pub fn run_script(python: &str, name: &str, spec: &serde_json::Value) -> serde_json::Value {
    use std::io::Write;
    let mut child = isolated(python)
        .arg(script(name))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(spec.to_string().as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{python} {name} failed ({}): {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "{name} printed no JSON ({error}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}
