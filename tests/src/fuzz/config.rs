//! The AWS config file reader of the command line.
//!
//! Input: the file (invalid UTF-8 replaced, as the command line reads it).

use std::collections::BTreeMap;
use std::fmt::Write;

use sso_oidc_cli::fuzzing::{Config, Settings, nested, parse_config};

/// Writes `config` back as a config file.
fn write(config: &Config) -> String {
    let mut out = String::new();
    for (kind, sections) in [
        ("profile", &config.profiles),
        ("sso-session", &config.sso_sessions),
        ("services", &config.services),
    ] {
        for (name, settings) in sections {
            writeln!(out, "[{kind} {name}]").expect("writing to a String");
            for (key, value) in settings {
                let mut lines = value.split('\n');
                let first = lines.next().unwrap_or_default();
                writeln!(out, "{key} = {first}").expect("writing to a String");
                for line in lines {
                    writeln!(out, "  {line}").expect("writing to a String");
                }
            }
        }
    }
    out
}

fn names(what: &str, sections: &BTreeMap<String, Settings>) {
    for (name, settings) in sections {
        assert!(
            !name.is_empty() && name.trim() == name && !name.contains('\n'),
            "{what} name {name:?}"
        );
        for (key, value) in settings {
            assert!(!key.is_empty() && key.trim() == key, "key {key:?}");
            assert_eq!(key, &key.to_lowercase(), "keys fold to lower case");
            assert!(!key.contains(['=', ':', '\n']), "key {key:?}");
            assert!(!key.starts_with(['#', ';', '[']), "key {key:?}");
            let mut lines = value.split('\n');
            let first = lines.next().unwrap_or_default();
            assert_eq!(first.trim(), first, "value {value:?}");
            for line in lines {
                assert!(!line.is_empty() && line.trim() == line, "value {value:?}");
                assert!(!line.starts_with(['#', ';']), "a comment kept in {value:?}");
            }
            // Nested settings: every `k = v` line of a value is found, trimmed.
            for line in value.lines() {
                if let Some((k, _)) = line.split_once('=') {
                    let found = nested(value, k.trim()).expect("a nested key is found");
                    assert_eq!(found.trim(), found);
                }
            }
        }
    }
}

/// `parse_config` on any text: an error names a line of the file; a parsed file has trimmed
/// names, lower-case keys without separators, values whose continuation lines are trimmed and
/// not comments, nested keys that `nested` finds; and, written back as a config file, it parses
/// to the same configuration.
pub fn cli_config(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let parsed = parse_config(&text);
    assert_eq!(parsed, parse_config(&text), "parsing is not repeatable");
    let config = match parsed {
        Ok(config) => config,
        Err((line, reason)) => {
            assert!(
                (1..=text.lines().count()).contains(&line),
                "line {line} of {}: {reason}",
                text.lines().count()
            );
            assert!(!reason.is_empty());
            return;
        }
    };
    names("profile", &config.profiles);
    names("sso-session", &config.sso_sessions);
    names("services", &config.services);
    let written = write(&config);
    let again = parse_config(&written)
        .unwrap_or_else(|(line, reason)| panic!("written back: line {line}: {reason}\n{written}"));
    assert_eq!(again, config, "written back as\n{written}");
    // An arbitrary key is looked up without panicking.
    let key = text.lines().next().unwrap_or_default();
    for value in config.profiles.values().flat_map(BTreeMap::values) {
        let _ = nested(value, key);
    }
}
