//! The AWS config file: the core's parser (`sso_oidc::config`), profile resolution and editor.
//!
//! Input: the file (invalid UTF-8 replaced, as `ConfigFile::load` reads it). The edits are
//! derived from the file itself, so the seeds stay plain config files.

use std::collections::BTreeMap;
use std::fmt::Write;

use sso_oidc::config::{
    ConfigError, ConfigFile, EditError, ProfileError, Section, Settings, SignIn, edit, nested,
};

/// Writes `config` back as a config file.
fn write(config: &ConfigFile) -> String {
    let mut out = String::new();
    for (section, settings) in config.sections() {
        writeln!(out, "{section}").expect("writing to a String");
        for (key, value) in settings {
            let mut lines = value.split('\n');
            let first = lines.next().unwrap_or_default();
            writeln!(out, "{key} = {first}").expect("writing to a String");
            for line in lines {
                writeln!(out, "  {line}").expect("writing to a String");
            }
        }
    }
    out
}

fn names(section: &Section, settings: &Settings) {
    let name = section.name();
    assert!(
        !name.is_empty() && !name.contains('\n'),
        "section name {name:?}"
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

/// Every profile and session resolves or says why, consistently with the file.
fn resolve(config: &ConfigFile) {
    for (section, settings) in config.sections() {
        match section {
            Section::Profile(name) => match config.sso_profile(name) {
                Ok(profile) => {
                    assert_eq!(&profile.name, name);
                    assert!(!profile.sign_in.start_url().is_empty());
                    assert!(!profile.sign_in.sso_region().is_empty());
                    assert!(!profile.sign_in.cache_key().is_empty());
                    assert_eq!(profile.sign_in.token_file_name().len(), 45);
                    if let SignIn::SsoSession(session) = &profile.sign_in {
                        assert!(config.sso_session(&session.name).is_some());
                        assert_eq!(
                            Some(session.name.as_str()),
                            settings.get("sso_session").map(|s| s.trim())
                        );
                    }
                    match profile.role() {
                        Ok(role) => {
                            assert_eq!(Some(role.account_id), profile.account_id.as_deref());
                            assert_eq!(Some(role.role_name), profile.role_name.as_deref());
                        }
                        Err(error) => assert!(
                            profile.account_id.is_none() || profile.role_name.is_none(),
                            "{error}"
                        ),
                    }
                }
                Err(ProfileError::ProfileNotFound { .. }) => {
                    panic!("profile {name:?} is in the file")
                }
                Err(error) => assert!(!error.to_string().is_empty()),
            },
            Section::SsoSession(name) => {
                if let Err(error) = config.resolve_sso_session(name) {
                    assert!(
                        matches!(error, ProfileError::MissingSettings { .. }),
                        "{error:?}"
                    );
                }
            }
            _ => {}
        }
    }
}

/// Edits each of a few sections (the file's first ones, and ones it may lack) and checks that
/// exactly the keys set change.
fn edits(text: &str, config: &ConfigFile) {
    let mut targets: Vec<Section> = config.sections().map(|(s, _)| s.clone()).take(3).collect();
    targets.extend([
        Section::profile("default"),
        Section::profile("fuzz new"),
        Section::sso_session("fuzz"),
    ]);
    for section in targets {
        let existing = config
            .section(&section)
            .and_then(|settings| settings.keys().next().cloned());
        let mut settings = vec![
            ("region", "us-east-1"),
            ("sso_start_url", "https://d-1234567890.awsapps.com/start"),
        ];
        if let Some(key) = &existing {
            settings.push((key, "edited"));
        }
        let edited = match edit(text, &section, &settings) {
            Ok(edited) => edited,
            // A key or a name with a lone `\r` is read here, but botocore (Python's universal
            // newlines) would read two lines: the editor writes neither.
            Err(EditError::InvalidKey { key }) => {
                assert_eq!(Some(&key), existing.as_ref());
                assert!(key.contains('\r'), "{key:?}");
                continue;
            }
            Err(EditError::InvalidSection { section }) if section.name().contains('\r') => continue,
            Err(error) => panic!("{section}: {error}"),
        };
        let after = ConfigFile::parse(&edited)
            .unwrap_or_else(|e| panic!("the edit does not parse: {e}\n{edited}"));
        let mut expected = config.section(&section).cloned().unwrap_or_default();
        for (key, value) in &settings {
            expected.insert((*key).to_owned(), (*value).to_owned());
        }
        assert_eq!(after.section(&section), Some(&expected), "{edited}");
        let others = |config: &ConfigFile| -> BTreeMap<Section, Settings> {
            config
                .sections()
                .filter(|(s, _)| **s != section)
                .map(|(s, v)| (s.clone(), v.clone()))
                .collect()
        };
        assert_eq!(others(&after), others(config), "{edited}");
        let comments = |text: &str| -> usize {
            text.lines()
                .filter(|line| line.trim_start().starts_with(['#', ';']))
                .count()
        };
        assert_eq!(comments(&edited), comments(text), "{edited}");
    }
}

/// `ConfigFile::parse` on any text: an error names a line of the file; a parsed file has
/// names without line breaks, lower-case keys without separators, values whose continuation
/// lines are trimmed and not comments, nested keys that `nested` finds; written back as a
/// config file, it parses to the same configuration; every profile resolves or says why;
/// and edits set exactly what they were asked to (and refuse a file that does not parse).
pub fn config(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let parsed = ConfigFile::parse(&text);
    let config = match parsed {
        Ok(config) => config,
        Err(ConfigError::Parse {
            path: None,
            line,
            problem,
        }) => {
            let lines = text.split_inclusive('\n').count();
            assert!(
                (1..=lines).contains(&line),
                "line {line} of {lines}: {problem}"
            );
            assert!(matches!(
                edit(&text, &Section::profile("default"), &[("region", "x")]),
                Err(EditError::Parse(_))
            ));
            return;
        }
        Err(other) => panic!("not a parse error: {other:?}"),
    };
    assert_eq!(
        ConfigFile::parse(&text).ok().as_ref(),
        Some(&config),
        "parsing is not repeatable"
    );
    for (section, settings) in config.sections() {
        names(section, settings);
    }
    let written = write(&config);
    let again = ConfigFile::parse(&written)
        .unwrap_or_else(|error| panic!("written back: {error}\n{written}"));
    assert_eq!(again, config, "written back as\n{written}");
    // An arbitrary key is looked up without panicking.
    let key = text.lines().next().unwrap_or_default();
    for (_, settings) in config.sections() {
        for value in settings.values() {
            let _ = nested(value, key);
        }
    }
    resolve(&config);
    edits(&text, &config);
}
