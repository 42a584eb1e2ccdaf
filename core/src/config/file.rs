//! A parsed config file: its profiles, `sso-session` and `services` sections.

use std::collections::BTreeMap;

use crate::config::error::ConfigError;
use crate::config::scan::{Kind, Scanner};
use crate::config::section::Section;

/// The settings of one section, by key (in lower case), each value trimmed; a nested setting's
/// value holds its indented lines, one per line (read them with [`nested`]).
pub type Settings = BTreeMap<String, String>;

/// An AWS config file (`~/.aws/config`), parsed as botocore parses it.
///
/// The syntax is Python's `RawConfigParser`, as botocore reads it: `[section]` headers,
/// `key = value` or `key: value` settings (split at the first `=` or `:`), whole-line comments
/// starting with `#` or `;` (a `#` or `;` later in a line is part of the value: there are no
/// inline comments), keys folded to lower case, values trimmed, and indented lines after a
/// setting continuing its value, which is how nested settings such as `s3 =` are written. A
/// line that is none of these is an error naming the line, as the AWS CLI refuses such a file.
///
/// Of the sections, only three kinds are kept ([`Section`]): profiles (`[default]` and
/// `[profile NAME]`), `[sso-session NAME]` and `[services NAME]`. When two sections name the
/// same one, the later one wins whole, as in botocore; `[default]` and `[profile default]` both
/// name the profile `default`, so of those two the later one is the default profile too.
///
/// Two things botocore refuses are read here: a key repeated in a section (the later value
/// wins) and a header repeated word for word (the later section wins). A name with white space
/// is read as written (`[profile my profile]`), where botocore drops the section unless the name
/// is quoted (`[profile "my profile"]`, read here too).
///
/// ```
/// use sso_oidc::config::{ConfigFile, nested};
///
/// let config = ConfigFile::parse(
///     "[default]\nregion = eu-west-1\n\n[profile dev]\nservices = local\n\n\
///      [services local]\nsso_oidc =\n  endpoint_url = http://127.0.0.1:8080\n",
/// )?;
/// assert_eq!(config.profile("default").unwrap()["region"], "eu-west-1");
/// let services = config.services(&config.profile("dev").unwrap()["services"]).unwrap();
/// assert_eq!(nested(&services["sso_oidc"], "endpoint_url"), Some("http://127.0.0.1:8080"));
/// # Ok::<(), sso_oidc::config::ConfigError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConfigFile {
    sections: BTreeMap<Section, Settings>,
}

impl ConfigFile {
    /// Parses the text of a config file.
    ///
    /// # Errors
    /// [`ConfigError::Parse`] naming the first line that is not a header, a setting, a comment,
    /// a blank line or a continuation, and what is wrong with it.
    pub fn parse(text: &str) -> Result<Self, ConfigError> {
        let mut sections = BTreeMap::new();
        // The section being read (`None` for one this crate does not keep) and its settings.
        let mut current: Option<(Option<Section>, Settings)> = None;
        let mut last_key = String::new();
        for line in Scanner::new(text) {
            match line.map_err(ConfigError::parse)?.kind {
                Kind::Blank | Kind::Comment => {}
                Kind::Header(header) => {
                    if let Some((Some(section), settings)) = current.take() {
                        sections.insert(section, settings);
                    }
                    current = Some((Section::from_header(header), Settings::new()));
                }
                Kind::Setting { key, value } => {
                    if let Some((_, settings)) = &mut current {
                        settings.insert(key.clone(), value.to_owned());
                        last_key = key;
                    }
                }
                Kind::Continuation(more) => {
                    if let Some((_, settings)) = &mut current {
                        let value = settings.entry(last_key.clone()).or_default();
                        value.push('\n');
                        value.push_str(more);
                    }
                }
            }
        }
        if let Some((Some(section), settings)) = current {
            sections.insert(section, settings);
        }
        Ok(Self { sections })
    }

    /// The settings of a section, if the file has it.
    pub fn section(&self, section: &Section) -> Option<&Settings> {
        self.sections.get(section)
    }

    /// The settings of profile `name` (`[profile NAME]`, or `[default]` for `default`), if the
    /// file has it.
    pub fn profile(&self, name: &str) -> Option<&Settings> {
        self.section(&Section::profile(name))
    }

    /// The settings of `[sso-session NAME]`, if the file has it. To resolve it for a sign-in,
    /// see [`resolve_sso_session`](Self::resolve_sso_session).
    pub fn sso_session(&self, name: &str) -> Option<&Settings> {
        self.section(&Section::sso_session(name))
    }

    /// The settings of `[services NAME]`, if the file has it.
    pub fn services(&self, name: &str) -> Option<&Settings> {
        self.section(&Section::services(name))
    }

    /// Every section kept, with its settings: profiles first, then `sso-session` sections, then
    /// `services` sections, each kind by name.
    pub fn sections(&self) -> impl Iterator<Item = (&Section, &Settings)> {
        self.sections.iter()
    }
}

/// The value of `key` in a nested setting: a value written as `parent =` followed by indented
/// `key = value` lines (how `services` sections and `s3 =` are written). Keys are compared
/// without regard to ASCII case; the value is trimmed.
///
/// ```
/// let value = "\nendpoint_url = http://127.0.0.1:8080\nregion = eu-west-1";
/// assert_eq!(sso_oidc::config::nested(value, "Endpoint_URL"), Some("http://127.0.0.1:8080"));
/// assert_eq!(sso_oidc::config::nested(value, "profile"), None);
/// ```
pub fn nested<'a>(value: &'a str, key: &str) -> Option<&'a str> {
    value.lines().find_map(|line| {
        let (k, v) = line.split_once('=')?;
        (k.trim().eq_ignore_ascii_case(key)).then(|| v.trim())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::error::LineProblem;

    const FILE: &str = "\
# a comment
[default]
region = eu-west-1
output=text

[profile dev]
sso_session = my-sso
sso_account_id = 111122223333
Region : us-east-2
s3 =
    max_concurrent_requests = 20
; another comment

[sso-session my-sso]
sso_start_url = https://d-1234567890.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[services local]
sso_oidc =
  endpoint_url = http://127.0.0.1:8080
";

    fn problem(text: &str) -> (usize, LineProblem) {
        match ConfigFile::parse(text) {
            Err(ConfigError::Parse {
                path: None,
                line,
                problem,
            }) => (line, problem),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn profiles_sessions_and_nested_values() {
        let config = ConfigFile::parse(FILE).unwrap();
        let default = config.profile("default").unwrap();
        assert_eq!(default["region"], "eu-west-1");
        assert_eq!(default["output"], "text");
        let dev = config.profile("dev").unwrap();
        assert_eq!(dev["region"], "us-east-2", "keys fold to lower case");
        assert_eq!(dev["sso_session"], "my-sso");
        assert_eq!(nested(&dev["s3"], "max_concurrent_requests"), Some("20"));
        let session = config.sso_session("my-sso").unwrap();
        assert_eq!(session["sso_region"], "us-east-1");
        assert!(config.profile("local").is_none());
        let local = config.services("local").unwrap();
        assert_eq!(
            nested(&local["sso_oidc"], "endpoint_url"),
            Some("http://127.0.0.1:8080")
        );
        assert!(config.sso_session("dev").is_none());
        let names: Vec<String> = config.sections().map(|(s, _)| s.to_string()).collect();
        assert_eq!(
            names,
            [
                "[default]",
                "[profile dev]",
                "[sso-session my-sso]",
                "[services local]"
            ]
        );
    }

    #[test]
    fn the_later_of_default_and_profile_default_wins_whole_as_in_botocore() {
        // botocore 1.44: {'default': {'region': 'b', 'output': 'c'}} and {'default': {'region': 'a'}}.
        let config =
            ConfigFile::parse("[profile default]\nregion = a\n[default]\nregion = b\noutput = c\n")
                .unwrap();
        let default = config.profile("default").unwrap();
        assert_eq!(default["region"], "b");
        assert_eq!(default["output"], "c");
        let config =
            ConfigFile::parse("[default]\nregion = b\noutput = c\n[profile default]\nregion = a\n")
                .unwrap();
        let default = config.profile("default").unwrap();
        assert_eq!(default["region"], "a");
        assert_eq!(default.get("output"), None);
    }

    #[test]
    fn repeated_sections_and_keys_the_later_wins() {
        let config =
            ConfigFile::parse("[profile dev]\na = 1\nb = 2\n[profile  dev]\na = 3\na = 4\n")
                .unwrap();
        let dev = config.profile("dev").unwrap();
        assert_eq!(dev.get("a").map(String::as_str), Some("4"));
        assert_eq!(dev.get("b"), None);
    }

    #[test]
    fn values_are_kept_as_written() {
        let config = ConfigFile::parse(
            "[profile dev]\nregion = a ; not a comment\nx = y # nor this\nq = \"quoted\"\n\
             e =\nc = a = b\nk: v: w\n[profile \"my profile\"]\nregion = b\n",
        )
        .unwrap();
        let dev = config.profile("dev").unwrap();
        assert_eq!(dev["region"], "a ; not a comment");
        assert_eq!(dev["x"], "y # nor this");
        assert_eq!(dev["q"], "\"quoted\"");
        assert_eq!(dev["e"], "");
        assert_eq!(dev["c"], "a = b");
        assert_eq!(dev["k"], "v: w");
        assert_eq!(config.profile("my profile").unwrap()["region"], "b");
    }

    #[test]
    fn continuations_skip_comments_and_blank_lines() {
        let config =
            ConfigFile::parse("[profile dev]\r\ns3 =\r\n  a = 1\r\n\r\n  # c\r\n  b = 2\r\n")
                .unwrap();
        assert_eq!(config.profile("dev").unwrap()["s3"], "\na = 1\nb = 2");
        // The first setting of a section may be indented: it is not a continuation.
        let config = ConfigFile::parse("[profile dev]\n  region = a\n  more\n").unwrap();
        assert_eq!(config.profile("dev").unwrap()["region"], "a\nmore");
    }

    #[test]
    fn other_sections_are_skipped_but_must_parse() {
        let config =
            ConfigFile::parse("[preview]\ncloudsearch = true\n[plugins]\nx = y\n").unwrap();
        assert_eq!(config, ConfigFile::default());
        assert_eq!(
            problem("[preview]\nnonsense\n"),
            (2, LineProblem::NotASetting)
        );
    }

    #[test]
    fn bad_lines_are_named() {
        assert_eq!(
            problem("region = x\n"),
            (1, LineProblem::SettingBeforeSection)
        );
        assert_eq!(
            problem("[default]\n\njust words\n"),
            (3, LineProblem::NotASetting)
        );
        assert_eq!(problem("[default\n"), (1, LineProblem::UnclosedHeader));
        assert_eq!(
            problem("[default]\n= x\n"),
            (2, LineProblem::UnnamedSetting)
        );
        assert_eq!(
            problem("  indented = before\n"),
            (1, LineProblem::SettingBeforeSection)
        );
        assert_eq!(
            problem("[default] trailing\n"),
            (1, LineProblem::UnclosedHeader)
        );
    }

    #[test]
    fn nested_values() {
        assert_eq!(nested("\na = 1\nB = 2 = 3", "b"), Some("2 = 3"));
        assert_eq!(nested("no equals", "no equals"), None);
        assert_eq!(nested("", "a"), None);
    }
}
