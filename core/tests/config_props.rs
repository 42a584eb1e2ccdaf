//! The config file parser and editor on generated files: the parser agrees with a plain model
//! of the syntax; an edit sets what it was asked to and changes nothing else; and neither
//! panics on any text.

use std::collections::BTreeMap;

use proptest::prelude::*;
use sso_oidc::config::{ConfigError, ConfigFile, EditError, Section, Settings, edit};

/// Section headers as people write them, and the section each names (`None`: not kept).
const HEADERS: &[(&str, Option<(&str, &str)>)] = &[
    ("[default]", Some(("profile", "default"))),
    ("[ default ]", None),
    ("[profile default]", Some(("profile", "default"))),
    ("[profile dev]", Some(("profile", "dev"))),
    // Not indented: an indented line after a setting continues it, header or not.
    ("[profile\tdev ]  ", Some(("profile", "dev"))),
    ("[profile \"dev\"]", Some(("profile", "dev"))),
    ("[profile a b]", Some(("profile", "a b"))),
    ("[profile \"a b\"]", Some(("profile", "a b"))),
    ("[sso-session s]", Some(("sso-session", "s"))),
    ("[services s]", Some(("services", "s"))),
    ("[preview]", None),
    ("[profile]", None),
];

const KEYS: &[&str] = &["region", "Region", "sso_region", "s3", "x y", "output"];

fn section(kind: &str, name: &str) -> Section {
    match kind {
        "profile" => Section::profile(name),
        "sso-session" => Section::sso_session(name),
        _ => Section::services(name),
    }
}

/// A setting: key, separator, value, continuation lines; whether its line is indented.
#[derive(Clone, Debug)]
struct GenSetting {
    key: &'static str,
    separator: &'static str,
    value: String,
    continuation: Vec<String>,
}

#[derive(Clone, Debug)]
enum GenLine {
    Setting(GenSetting),
    Comment(String),
    Blank(String),
}

#[derive(Clone, Debug)]
struct GenSection {
    header: usize,
    /// Whether the first line, when a setting, is indented (only the first may be: an
    /// indented line after a setting continues it).
    indent_first: bool,
    lines: Vec<GenLine>,
}

#[derive(Clone, Debug)]
struct GenFile {
    preamble: Vec<GenLine>,
    sections: Vec<GenSection>,
    crlf: bool,
    final_newline: bool,
}

fn value() -> impl Strategy<Value = String> {
    "[a-z0-9 #;=:\\[\\]\"/.-]{0,10}"
}

fn gen_line() -> impl Strategy<Value = GenLine> {
    let continuation = "[a-z0-9=:\\[\\] -]{0,8}[a-z0-9=:\\]-]".prop_map(String::from);
    prop_oneof![
        4 => (
            prop::sample::select(KEYS),
            prop::sample::select(&[" = ", "=", ": ", " :", "\t=\t"][..]),
            value(),
            prop::collection::vec(continuation, 0..3),
        )
            .prop_map(|(key, separator, value, continuation)| GenLine::Setting(GenSetting {
                key,
                separator,
                value,
                continuation,
            })),
        1 => ("[#;]", "[a-z =\\[\\]]{0,8}").prop_map(|(p, t)| GenLine::Comment(format!("{p}{t}"))),
        1 => "[ \t]{0,2}".prop_map(GenLine::Blank),
    ]
}

fn gen_file() -> impl Strategy<Value = GenFile> {
    let comment_or_blank = prop_oneof![
        ("[#;]", "[a-z =]{0,8}").prop_map(|(p, t)| GenLine::Comment(format!("{p}{t}"))),
        "[ \t]{0,2}".prop_map(GenLine::Blank),
    ];
    let section = (
        0..HEADERS.len(),
        any::<bool>(),
        prop::collection::vec(gen_line(), 0..6),
    )
        .prop_map(|(header, indent_first, lines)| GenSection {
            header,
            indent_first,
            lines,
        });
    (
        prop::collection::vec(comment_or_blank, 0..3),
        prop::collection::vec(section, 0..6),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(preamble, sections, crlf, final_newline)| GenFile {
            preamble,
            sections,
            crlf,
            final_newline,
        })
}

impl GenFile {
    fn text(&self) -> String {
        let mut lines: Vec<String> = Vec::new();
        let push_line = |line: &GenLine, indent: bool, lines: &mut Vec<String>| match line {
            GenLine::Setting(s) => {
                let pad = if indent { "  " } else { "" };
                lines.push(format!("{pad}{}{}{}", s.key, s.separator, s.value));
                for more in &s.continuation {
                    lines.push(format!("    {more}"));
                }
            }
            GenLine::Comment(text) => lines.push(text.clone()),
            GenLine::Blank(space) => lines.push(space.clone()),
        };
        for line in &self.preamble {
            push_line(line, false, &mut lines);
        }
        for section in &self.sections {
            lines.push(HEADERS[section.header].0.to_owned());
            for (i, line) in section.lines.iter().enumerate() {
                push_line(line, i == 0 && section.indent_first, &mut lines);
            }
        }
        let newline = if self.crlf { "\r\n" } else { "\n" };
        let mut text = lines.join(newline);
        if self.final_newline && !text.is_empty() {
            text.push_str(newline);
        }
        text
    }

    /// The configuration as the syntax defines it: keys trimmed and in lower case, values
    /// trimmed, continuation lines appended; the later of two sections with one name wins.
    fn model(&self) -> BTreeMap<Section, Settings> {
        let mut model = BTreeMap::new();
        for section in &self.sections {
            let Some((kind, name)) = HEADERS[section.header].1 else {
                continue;
            };
            let mut settings = Settings::new();
            for line in &section.lines {
                if let GenLine::Setting(s) = line {
                    let mut value = s.value.trim().to_owned();
                    for more in &s.continuation {
                        value.push('\n');
                        value.push_str(more.trim());
                    }
                    settings.insert(s.key.trim().to_lowercase(), value);
                }
            }
            model.insert(self::section(kind, name), settings);
        }
        model
    }
}

fn parsed(text: &str) -> BTreeMap<Section, Settings> {
    ConfigFile::parse(text)
        .unwrap_or_else(|e| panic!("{e}\n{text}"))
        .sections()
        .map(|(section, settings)| (section.clone(), settings.clone()))
        .collect()
}

fn target() -> impl Strategy<Value = Section> {
    prop::sample::select(vec![
        Section::profile("default"),
        Section::profile("dev"),
        Section::profile("a b"),
        Section::sso_session("s"),
        Section::services("s"),
        Section::profile("new"),
        Section::sso_session("new one"),
    ])
}

fn settings() -> impl Strategy<Value = Vec<(&'static str, String)>> {
    prop::collection::vec(
        (
            prop::sample::select(&["region", "sso_region", "s3", "x y", "sso_session", "new"][..]),
            "([a-z0-9:/._-][a-z0-9 :/._#;=-]{0,8}[a-z0-9:/._-])?",
        ),
        0..4,
    )
}

fn comments(text: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = text
        .lines()
        .filter(|line| line.trim_start().starts_with(['#', ';']))
        .collect();
    lines.sort_unstable();
    lines
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_parser_agrees_with_the_model(file in gen_file()) {
        let text = file.text();
        prop_assert_eq!(parsed(&text), file.model(), "{}", text);
    }

    #[test]
    fn an_edit_sets_what_it_was_asked_and_nothing_else(
        file in gen_file(),
        section in target(),
        settings in settings(),
    ) {
        let text = file.text();
        let given: Vec<(&str, &str)> = settings.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let edited = edit(&text, &section, &given).unwrap_or_else(|e| panic!("{e}\n{text}"));
        let before = parsed(&text);
        let mut after = parsed(&edited);

        // The section has every value set (the last one given for a key repeated), and its
        // other keys as they were.
        let mut expected = before.get(&section).cloned().unwrap_or_default();
        for (key, value) in &given {
            expected.insert((*key).to_owned(), (*value).to_owned());
        }
        if given.is_empty() && !before.contains_key(&section) {
            prop_assert!(!after.contains_key(&section));
        } else {
            prop_assert_eq!(after.remove(&section), Some(expected), "{}\n---\n{}", text, edited);
        }
        // Every other section is untouched.
        let mut others = before.clone();
        others.remove(&section);
        prop_assert_eq!(after, others, "{}\n---\n{}", text, edited);

        // Bytes: comments survive, line endings stay, and a new section only adds at the end.
        prop_assert_eq!(comments(&text), comments(&edited));
        if file.crlf && text.contains('\n') {
            prop_assert!(!edited.replace("\r\n", "").contains('\n'), "{:?}", edited);
        }
        if !before.contains_key(&section) {
            prop_assert!(edited.starts_with(&text));
        }
        if given.is_empty() {
            prop_assert_eq!(&edited, &text);
        }
        // Editing again with the same settings changes nothing more.
        prop_assert_eq!(edit(&edited, &section, &given).unwrap(), edited.clone());
    }

    #[test]
    fn any_text_parses_or_names_a_line(text in "(\\PC|[\r\n\t \\[\\]=:#;])*") {
        match ConfigFile::parse(&text) {
            Ok(_) => {}
            Err(ConfigError::Parse { line, path: None, .. }) => {
                prop_assert!(line >= 1 && line <= text.split('\n').count(), "line {}", line);
            }
            Err(other) => prop_assert!(false, "{other}"),
        }
    }

    #[test]
    fn any_edit_of_any_text_either_reads_back_or_is_refused(
        text in "(\\PC|[\r\n\t \\[\\]=:#;])*",
        name in "(\\PC|[\r\n\t \"\\]])*",
        key in "(\\PC|[\r\n\t =:#;])*",
        value in "(\\PC|[\r\n\t =:#;])*",
    ) {
        let section = Section::profile(name);
        match edit(&text, &section, &[(&key, &value)]) {
            Ok(edited) => {
                let config = ConfigFile::parse(&edited).unwrap();
                prop_assert_eq!(config.section(&section).unwrap().get(&key), Some(&value));
            }
            Err(EditError::Parse(_)) => prop_assert!(ConfigFile::parse(&text).is_err()),
            Err(_) => {}
        }
    }
}
