//! Setting keys in a section of a config file's text, changing nothing else.
//!
//! What `aws configure sso` and `aws configure set` do (the AWS CLI's `ConfigFileWriter`):
//! a key already in the section is rewritten in place as `key = value`, a new key goes after
//! the section's last setting (before the comments and blank lines that end it), and a missing
//! section is added at the end of the file. Unlike that writer, this one edits the section that
//! wins when a name is repeated (the last one), matches keys as the parser does (in any case, not
//! inside nested values or comments), drops the indented continuation lines of a value it
//! replaces (which would otherwise continue the new value), keeps the file's line endings and a
//! setting's indentation, and separates a new section from the text above by a blank line.

use std::collections::BTreeSet;

use crate::config::error::ConfigError;
use crate::config::scan::{Kind, Line, Scanner, ending};
use crate::config::section::Section;

/// Why a config file's text could not be edited.
///
/// No message repeats a value: a value may be a secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EditError {
    /// The text does not parse, so where a section ends is unknown; it is left alone.
    #[error(transparent)]
    Parse(#[from] ConfigError),
    /// The section's name cannot be written in a header that reads back as the same section:
    /// it is empty or holds a line break, or (written as it must be) would read as another name.
    #[error("the section {section} cannot be written in a config file")]
    InvalidSection {
        /// The section asked for.
        section: Section,
    },
    /// The key cannot be written so that it reads back the same: it is empty, not lower case,
    /// has white space at either end, holds a line break, `=` or `:`, or starts with `#`, `;`
    /// or `[`.
    #[error("the key {key:?} cannot be written in a config file")]
    InvalidKey {
        /// The key asked for.
        key: String,
    },
    /// The value cannot be written so that it reads back the same: it holds a line break, or
    /// white space at either end.
    #[error(
        "the value for {key} cannot be written in a config file (a line break, or white space at either end)"
    )]
    InvalidValue {
        /// The key whose value it is.
        key: String,
    },
}

/// Sets `settings` (key, value) in `section` of the config file `text`, and gives the new text.
///
/// - A key the section has (in any case) is rewritten in place as `key = value`, with the
///   line's indentation and line ending; the indented lines that continued its old value go.
/// - The other keys are added, in the order given, after the section's last setting.
/// - A missing section is added at the end of the file, after a blank line.
/// - When sections repeat a name, the last one (the one that is read) is edited. The profile
///   `default` is the last of `[default]` and `[profile default]`, else a new `[default]`.
///
/// Every other byte stays as it was (but one: a section that had no settings and is followed by
/// an indented header gets settings, and that header loses its indentation, or it would read as
/// part of the last value): comments, blank lines, other sections, other keys, and
/// `\r\n` line endings (added lines take the file's first line ending). A key given twice is
/// set to its last value; no settings at all change nothing (no empty section is added).
///
/// ```
/// use sso_oidc::config::{ConfigFile, Section, edit};
///
/// let text = "# my settings\n[profile dev]\nregion = eu-west-1 \n# keep me\n";
/// let text = edit(text, &Section::profile("dev"), &[("region", "us-east-1"), ("output", "json")])?;
/// let text = edit(&text, &Section::sso_session("my-sso"), &[("sso_region", "us-east-1")])?;
/// assert_eq!(
///     text,
///     "# my settings\n[profile dev]\nregion = us-east-1\noutput = json\n# keep me\n\
///      \n[sso-session my-sso]\nsso_region = us-east-1\n"
/// );
/// assert_eq!(ConfigFile::parse(&text)?.sso_session("my-sso").unwrap()["sso_region"], "us-east-1");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`EditError::Parse`] when `text` does not parse; [`EditError::InvalidSection`],
/// [`EditError::InvalidKey`] or [`EditError::InvalidValue`] for what cannot be written so that
/// it reads back as given. Nothing is changed then.
pub fn edit(text: &str, section: &Section, settings: &[(&str, &str)]) -> Result<String, EditError> {
    check_section(section)?;
    for (key, value) in settings {
        check_setting(key, value)?;
    }
    // Each key once, at its first place, with its last value.
    let mut wanted: Vec<(&str, &str)> = Vec::new();
    for &(key, value) in settings {
        match wanted.iter_mut().find(|(k, _)| *k == key) {
            Some(entry) => entry.1 = value,
            None => wanted.push((key, value)),
        }
    }
    let lines = Scanner::new(text)
        .collect::<Result<Vec<Line<'_>>, _>>()
        .map_err(ConfigError::parse)?;
    let newline = match text.find('\n') {
        Some(i) if text[..i].ends_with('\r') => "\r\n",
        _ => "\n",
    };
    if wanted.is_empty() {
        return Ok(text.to_owned());
    }
    let Some((start, end)) = span(&lines, section) else {
        return Ok(append(text, &lines, newline, section, &wanted));
    };

    let mut out: Vec<String> = lines[..start].iter().map(|l| l.raw.to_owned()).collect();
    let mut found = BTreeSet::new();
    // Where new keys go: after the last header, setting or continuation kept.
    let mut insert_at = 0;
    // Whether the lines are continuing a value just replaced (they go).
    let mut replacing = false;
    for line in &lines[start..end] {
        match &line.kind {
            Kind::Setting { key, .. } => {
                replacing = false;
                if let Some((key, value)) = wanted.iter().find(|(k, _)| k == key) {
                    let content = line.raw.trim_end_matches(['\r', '\n']);
                    let indent = &content[..content.len() - content.trim_start().len()];
                    out.push(format!(
                        "{indent}{}{}",
                        setting(key, value),
                        ending(line.raw)
                    ));
                    found.insert(*key);
                    replacing = true;
                } else {
                    out.push(line.raw.to_owned());
                }
                insert_at = out.len();
            }
            Kind::Continuation(_) if replacing => {}
            Kind::Header(_) | Kind::Continuation(_) => {
                out.push(line.raw.to_owned());
                insert_at = out.len();
            }
            Kind::Blank | Kind::Comment => out.push(line.raw.to_owned()),
        }
    }
    let new: Vec<String> = wanted
        .iter()
        .filter(|(key, _)| !found.contains(key))
        .map(|(key, value)| format!("{}{newline}", setting(key, value)))
        .collect();
    let inserted = !new.is_empty();
    if inserted {
        if let Some(before) = out.get_mut(insert_at - 1)
            && !before.ends_with('\n')
        {
            before.push_str(newline);
        }
        out.splice(insert_at..insert_at, new);
    }
    let mut rest = lines[end..].iter().map(|l| l.raw.to_owned());
    if let Some(next) = rest.next() {
        // An indented header after a section without settings is a header; after the ones
        // just added it would continue their value. Unindented, it stays a header.
        if inserted {
            out.push(next.trim_start().to_owned());
        } else {
            out.push(next);
        }
    }
    out.extend(rest);
    Ok(out.concat())
}

/// The line range of the last section named `section`: its header's index and the index after
/// its last line.
fn span(lines: &[Line<'_>], section: &Section) -> Option<(usize, usize)> {
    let headers: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, line)| matches!(line.kind, Kind::Header(_)))
        .map(|(i, _)| i)
        .collect();
    headers.iter().enumerate().rev().find_map(|(n, &i)| {
        let Kind::Header(header) = lines[i].kind else {
            return None;
        };
        (Section::from_header(header).as_ref() == Some(section))
            .then(|| (i, headers.get(n + 1).copied().unwrap_or(lines.len())))
    })
}

/// `text` with a new section at the end, after a blank line.
fn append(
    text: &str,
    lines: &[Line<'_>],
    newline: &str,
    section: &Section,
    settings: &[(&str, &str)],
) -> String {
    let mut out = text.to_owned();
    if let Some(last) = lines.last() {
        if !last.raw.ends_with('\n') {
            out.push_str(newline);
        }
        if last.kind != Kind::Blank {
            out.push_str(newline);
        }
    }
    out.push_str(&format!("{section}{newline}"));
    for (key, value) in settings {
        out.push_str(&format!("{}{newline}", setting(key, value)));
    }
    out
}

/// A setting's line, without its ending.
fn setting(key: &str, value: &str) -> String {
    if value.is_empty() {
        format!("{key} =")
    } else {
        format!("{key} = {value}")
    }
}

/// The section's header must read back as the section.
fn check_section(section: &Section) -> Result<(), EditError> {
    let header = section.to_string();
    let reads_back = !section.name().contains(['\n', '\r'])
        && matches!(
            Scanner::new(&header).next(),
            Some(Ok(Line { kind: Kind::Header(inner), .. }))
                if Section::from_header(inner).as_ref() == Some(section)
        );
    if reads_back {
        Ok(())
    } else {
        Err(EditError::InvalidSection {
            section: section.clone(),
        })
    }
}

/// The setting's line must read back as the key and the value, in a section.
fn check_setting(key: &str, value: &str) -> Result<(), EditError> {
    let key_error = || EditError::InvalidKey {
        key: key.to_owned(),
    };
    if key.contains(['\n', '\r']) {
        return Err(key_error());
    }
    if value.contains(['\n', '\r']) {
        return Err(EditError::InvalidValue {
            key: key.to_owned(),
        });
    }
    let text = format!("[s]\n{}\n", setting(key, value));
    match Scanner::new(&text).nth(1) {
        Some(Ok(Line {
            kind: Kind::Setting { key: k, value: v },
            ..
        })) if k == key => {
            if v == value {
                Ok(())
            } else {
                Err(EditError::InvalidValue {
                    key: key.to_owned(),
                })
            }
        }
        _ => Err(key_error()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::file::ConfigFile;

    fn set(text: &str, section: &Section, settings: &[(&str, &str)]) -> String {
        edit(text, section, settings).unwrap()
    }

    #[test]
    fn keys_are_replaced_in_place_and_added_after_the_last_setting() {
        let text = "\
# top
[default]
region = eu-west-1

[profile dev]
  Region = a   
output = text
; trailing comment

[profile other]
region = b
";
        let edited = set(
            text,
            &Section::profile("dev"),
            &[("region", "us-east-1"), ("sso_session", "my-sso")],
        );
        assert_eq!(
            edited,
            "\
# top
[default]
region = eu-west-1

[profile dev]
  region = us-east-1
output = text
sso_session = my-sso
; trailing comment

[profile other]
region = b
"
        );
    }

    #[test]
    fn a_missing_section_goes_at_the_end_after_a_blank_line() {
        let section = Section::sso_session("my-sso");
        let settings = [("sso_start_url", "https://x"), ("sso_region", "us-east-1")];
        let added = "[sso-session my-sso]\nsso_start_url = https://x\nsso_region = us-east-1\n";
        assert_eq!(set("", &section, &settings), added);
        assert_eq!(
            set("[default]\nregion = a", &section, &settings),
            format!("[default]\nregion = a\n\n{added}")
        );
        assert_eq!(
            set("[default]\nregion = a\n\n", &section, &settings),
            format!("[default]\nregion = a\n\n{added}")
        );
        assert_eq!(
            set("# only a comment\n", &section, &settings),
            format!("# only a comment\n\n{added}")
        );
    }

    #[test]
    fn crlf_files_stay_crlf() {
        let text = "[profile dev]\r\nregion = a\r\n\r\n[default]\r\noutput = json";
        let edited = set(
            text,
            &Section::profile("dev"),
            &[("region", "b"), ("x", "y")],
        );
        assert_eq!(
            edited,
            "[profile dev]\r\nregion = b\r\nx = y\r\n\r\n[default]\r\noutput = json"
        );
        let edited = set(text, &Section::profile("default"), &[("x", "y")]);
        assert_eq!(
            edited,
            "[profile dev]\r\nregion = a\r\n\r\n[default]\r\noutput = json\r\nx = y\r\n"
        );
        let edited = set(text, &Section::services("s"), &[("x", "y")]);
        assert!(edited.ends_with("output = json\r\n\r\n[services s]\r\nx = y\r\n"));
    }

    #[test]
    fn a_replaced_value_loses_its_continuation_lines_and_keeps_comments() {
        let text = "[profile dev]\ns3 =\n  a = 1\n  # note\n  b = 2\nregion = x\n";
        let edited = set(text, &Section::profile("dev"), &[("s3", "off")]);
        assert_eq!(edited, "[profile dev]\ns3 = off\n  # note\nregion = x\n");
        // The last setting's continuation lines go, and new keys follow what is left.
        let text = "[profile dev]\ns3 =\n  a = 1\n# end\n";
        let edited = set(text, &Section::profile("dev"), &[("s3", "off"), ("n", "1")]);
        assert_eq!(edited, "[profile dev]\ns3 = off\nn = 1\n# end\n");
        // Continuation lines of other keys, and nested keys of the same name, stay.
        let text = "[services s]\nsso_oidc =\n  endpoint_url = http://a\n";
        let edited = set(
            text,
            &Section::services("s"),
            &[("endpoint_url", "http://b")],
        );
        assert_eq!(
            edited,
            "[services s]\nsso_oidc =\n  endpoint_url = http://a\nendpoint_url = http://b\n"
        );
    }

    #[test]
    fn the_section_that_is_read_is_the_one_edited() {
        let text = "[profile default]\nregion = a\n[default]\nregion = b\n[profile x]\n";
        let edited = set(text, &Section::profile("default"), &[("region", "c")]);
        assert_eq!(
            edited,
            "[profile default]\nregion = a\n[default]\nregion = c\n[profile x]\n"
        );
        let text = "[profile dev]\nregion = a\n[profile \"dev\"]\n# empty\n";
        let edited = set(text, &Section::profile("dev"), &[("region", "c")]);
        assert_eq!(
            edited,
            "[profile dev]\nregion = a\n[profile \"dev\"]\nregion = c\n# empty\n"
        );
        let config = ConfigFile::parse(&edited).unwrap();
        assert_eq!(config.profile("dev").unwrap()["region"], "c");
        // A section name with white space is written as botocore reads it.
        let edited = set("", &Section::profile("my profile"), &[("region", "c")]);
        assert_eq!(edited, "[profile \"my profile\"]\nregion = c\n");
        // Headers in comments are not sections.
        let text = "# [profile dev]\n[profile dev]\n";
        assert_eq!(
            set(text, &Section::profile("dev"), &[("a", "b")]),
            "# [profile dev]\n[profile dev]\na = b\n"
        );
    }

    #[test]
    fn an_indented_header_after_an_empty_section_stays_a_header() {
        let text = "[profile dev]\n# nothing yet\n  [profile next]\nregion = b\n";
        let edited = set(text, &Section::profile("dev"), &[("region", "a")]);
        assert_eq!(
            edited,
            "[profile dev]\nregion = a\n# nothing yet\n[profile next]\nregion = b\n"
        );
        let config = ConfigFile::parse(&edited).unwrap();
        assert_eq!(config.profile("next").unwrap()["region"], "b");
        // Nothing added, nothing moved.
        assert_eq!(set(text, &Section::profile("dev"), &[]), text);
    }

    #[test]
    fn every_occurrence_of_a_repeated_key_is_set() {
        let text = "[default]\nregion = a\nregion = b\n";
        let edited = set(text, &Section::profile("default"), &[("region", "c")]);
        assert_eq!(edited, "[default]\nregion = c\nregion = c\n");
        let edited = set(
            "[default]\n",
            &Section::profile("default"),
            &[("a", "1"), ("a", "2")],
        );
        assert_eq!(edited, "[default]\na = 2\n");
        assert_eq!(
            set("[default]\na = 1", &Section::profile("default"), &[]),
            "[default]\na = 1"
        );
        assert_eq!(
            set(
                "[default]\na = 1",
                &Section::profile("default"),
                &[("a", "")]
            ),
            "[default]\na ="
        );
    }

    #[test]
    fn what_cannot_be_written_is_refused() {
        let dev = Section::profile("dev");
        for key in [
            "", " a", "a ", "A", "a=b", "a:b", "#a", ";a", "[a", "a\nb", "a\rb",
        ] {
            assert!(
                matches!(
                    edit("", &dev, &[(key, "v")]),
                    Err(EditError::InvalidKey { .. })
                ),
                "{key:?}"
            );
        }
        for value in [" s3cr3t", "s3cr3t ", "s3cr3t\nw", "s3cr3t\r", "\ts3cr3t"] {
            let error = edit("", &dev, &[("k", value)]).unwrap_err();
            assert!(matches!(error, EditError::InvalidValue { .. }), "{value:?}");
            assert!(!error.to_string().contains("s3cr3t"), "{error}");
        }
        for name in ["", "a\nb", "\"x\"", "a\rb"] {
            assert!(
                matches!(
                    edit("", &Section::profile(name), &[("k", "v")]),
                    Err(EditError::InvalidSection { .. })
                ),
                "{name:?}"
            );
        }
        let error = edit("[default]\nnonsense\n", &dev, &[("k", "v")]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "unable to parse the config file: line 2: not a section, a setting or a comment"
        );
        // Values with = : # ; [ are fine.
        let edited = set("", &dev, &[("k", "a = b : # ; [x]")]);
        assert_eq!(
            ConfigFile::parse(&edited).unwrap().profile("dev").unwrap()["k"],
            "a = b : # ; [x]"
        );
    }
}
