//! The AWS config file (`~/.aws/config`, or `AWS_CONFIG_FILE`), read as botocore reads it.
//!
//! botocore parses it with Python's `RawConfigParser`: `[section]` headers, `key = value` or
//! `key: value` lines, whole-line comments starting with `#` or `;`, keys folded to lower
//! case, values trimmed, and indented lines continuing the value above (how nested settings
//! such as `s3 =` are written). Profiles are `[default]` and `[profile NAME]`; sign-in
//! settings are `[sso-session NAME]`. A file that cannot be parsed is an error that names the
//! line, as the AWS CLI refuses to start on one.
//!
//! No crate reads this dialect as botocore does (INI crates differ on inline comments,
//! quoting and continuation lines), so this is a small parser of our own, fuzzed in `fuzz/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The settings of one section, keys in lower case.
pub(crate) type Section = BTreeMap<String, String>;

/// The largest config file read: hundreds of profiles take a few hundred KiB, and a file past
/// this is a mistake (or a device) that would otherwise be read whole into memory.
pub(crate) const MAX_SIZE: u64 = 4 << 20;

/// A parsed config file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct ConfigFile {
    /// `[default]` and `[profile NAME]`, by profile name.
    profiles: BTreeMap<String, Section>,
    /// `[sso-session NAME]`, by session name.
    sso_sessions: BTreeMap<String, Section>,
    /// `[services NAME]`, by name: per-service settings a profile's `services` names.
    services: BTreeMap<String, Section>,
}

/// Why a config file could not be used.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ConfigFileError {
    /// The file exists but could not be read.
    #[error("Unable to read the config file {path:?}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is larger than any config file written by hand: it is not read.
    #[error("Unable to read the config file {path:?}: it is larger than {} MiB", MAX_SIZE >> 20)]
    TooLarge {
        /// The file.
        path: PathBuf,
    },
    /// A line is neither a section, a setting, a comment nor a continuation.
    #[error("Unable to parse config file: {path:?} (line {line}: {reason})")]
    Parse {
        /// The file.
        path: PathBuf,
        /// The line number, from 1.
        line: usize,
        /// What is wrong with it.
        reason: &'static str,
    },
}

impl ConfigFile {
    /// Reads `path`; a file that does not exist is an empty configuration, as for the AWS CLI.
    pub(crate) fn load(path: &Path) -> Result<Self, ConfigFileError> {
        match read_capped(path) {
            Ok(None) => Err(ConfigFileError::TooLarge {
                path: path.to_owned(),
            }),
            Ok(Some(bytes)) => {
                Self::parse(&String::from_utf8_lossy(&bytes)).map_err(|(line, reason)| {
                    ConfigFileError::Parse {
                        path: path.to_owned(),
                        line,
                        reason,
                    }
                })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(source) => Err(ConfigFileError::Read {
                path: path.to_owned(),
                source,
            }),
        }
    }

    /// Parses the text of a config file; the error is the line number and what is wrong.
    pub(crate) fn parse(text: &str) -> Result<Self, (usize, &'static str)> {
        let sections = sections(text)?;
        let mut config = Self::default();
        for (header, settings) in sections {
            let header = header.trim();
            if header == "default" {
                // `[profile default]` wins over `[default]` in botocore; merge, keeping it.
                let entry = config.profiles.entry("default".to_owned()).or_default();
                for (key, value) in settings {
                    entry.entry(key).or_insert(value);
                }
            } else if let Some(name) = prefixed(header, "profile") {
                config.profiles.insert(name.to_owned(), settings);
            } else if let Some(name) = prefixed(header, "sso-session") {
                config.sso_sessions.insert(name.to_owned(), settings);
            } else if let Some(name) = prefixed(header, "services") {
                config.services.insert(name.to_owned(), settings);
            }
        }
        Ok(config)
    }

    /// The settings of profile `name`, if the file has it.
    pub(crate) fn profile(&self, name: &str) -> Option<&Section> {
        self.profiles.get(name)
    }

    /// The settings of `[sso-session name]`, if the file has it.
    pub(crate) fn sso_session(&self, name: &str) -> Option<&Section> {
        self.sso_sessions.get(name)
    }

    /// The settings of `[services name]`, if the file has it.
    pub(crate) fn services(&self, name: &str) -> Option<&Section> {
        self.services.get(name)
    }

    /// The profiles, sso-sessions and services sections, for the fuzz targets.
    pub(crate) fn into_sections(self) -> [BTreeMap<String, Section>; 3] {
        [self.profiles, self.sso_sessions, self.services]
    }
}

/// `profile NAME` → `NAME`, as botocore splits section names (on whitespace, name not blank).
/// The file's bytes, or `None` when it holds more than [`MAX_SIZE`]; at most one byte more is
/// read to tell.
fn read_capped(path: &Path) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_SIZE + 1)
        .read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= MAX_SIZE).then_some(bytes))
}

fn prefixed<'a>(header: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = header.strip_prefix(prefix)?;
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    let name = rest.trim();
    (!name.is_empty()).then_some(name)
}

/// The sections in order, each with its settings; a later duplicate key wins, as in
/// `RawConfigParser` with `strict=False`.
fn sections(text: &str) -> Result<Vec<(String, Section)>, (usize, &'static str)> {
    let mut sections: Vec<(String, Section)> = Vec::new();
    // The key a continuation line adds to.
    let mut last_key: Option<String> = None;
    for (index, raw) in text.lines().enumerate() {
        let number = index + 1;
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with(['#', ';']) {
            continue;
        }
        let indented = line.len() != trimmed.len();
        if indented && let Some(key) = &last_key {
            let (_, settings) = sections.last_mut().ok_or((number, "no section"))?;
            let value = settings.entry(key.clone()).or_default();
            value.push('\n');
            value.push_str(trimmed);
            continue;
        }
        if let Some(header) = trimmed.strip_prefix('[') {
            let header = header
                .strip_suffix(']')
                .ok_or((number, "a section header must end with ]"))?;
            sections.push((header.to_owned(), Section::new()));
            last_key = None;
            continue;
        }
        let (_, settings) = sections
            .last_mut()
            .ok_or((number, "a setting before any [section]"))?;
        let split = trimmed
            .find(['=', ':'])
            .ok_or((number, "not a section, a setting or a comment"))?;
        let key = trimmed[..split].trim().to_lowercase();
        if key.is_empty() {
            return Err((number, "a setting without a name"));
        }
        let value = trimmed[split + 1..].trim().to_owned();
        settings.insert(key.clone(), value);
        last_key = Some(key);
    }
    Ok(sections)
}

/// The value of a nested setting (`parent =` followed by indented `key = value` lines).
pub(crate) fn nested<'a>(value: &'a str, key: &str) -> Option<&'a str> {
    value.lines().find_map(|line| {
        let (k, v) = line.split_once('=')?;
        (k.trim().eq_ignore_ascii_case(key)).then(|| v.trim())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let session = &config.sso_sessions["my-sso"];
        assert_eq!(session["sso_region"], "us-east-1");
        assert!(config.profile("local").is_none());
        let local = config.services("local").unwrap();
        assert_eq!(
            nested(&local["sso_oidc"], "endpoint_url"),
            Some("http://127.0.0.1:8080")
        );
        assert!(!config.sso_sessions.contains_key("dev"));
    }

    #[test]
    fn profile_default_wins_over_default() {
        let config =
            ConfigFile::parse("[profile default]\nregion = a\n[default]\nregion = b\noutput = c\n")
                .unwrap();
        let default = config.profile("default").unwrap();
        assert_eq!(default["region"], "a");
        assert_eq!(default["output"], "c");
    }

    #[test]
    fn bad_lines_are_named() {
        assert_eq!(
            ConfigFile::parse("region = x\n"),
            Err((1, "a setting before any [section]"))
        );
        assert_eq!(
            ConfigFile::parse("[default]\n\njust words\n"),
            Err((3, "not a section, a setting or a comment"))
        );
        assert_eq!(
            ConfigFile::parse("[default\n"),
            Err((1, "a section header must end with ]"))
        );
        assert_eq!(
            ConfigFile::parse("[default]\n= x\n"),
            Err((2, "a setting without a name"))
        );
    }

    #[test]
    fn missing_files_are_empty_and_unreadable_ones_are_errors() {
        let missing = ConfigFile::load(Path::new("/no/such/aws/config")).unwrap();
        assert_eq!(missing, ConfigFile::default());
        let directory = std::env::temp_dir();
        assert!(matches!(
            ConfigFile::load(&directory),
            Err(ConfigFileError::Read { .. })
        ));
    }

    #[test]
    fn files_past_the_cap_are_refused_unread() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        // Sparse: no disk or memory spent on the zeros, unless the whole file is read.
        let file = std::fs::File::create(&path).unwrap();
        file.set_len(MAX_SIZE + 1).unwrap();
        let error = ConfigFile::load(&path).unwrap_err();
        assert!(matches!(error, ConfigFileError::TooLarge { .. }));
        assert!(
            error.to_string().ends_with("it is larger than 4 MiB"),
            "{error}"
        );
        // At the cap it is read (as zeros: one line that is not a setting).
        file.set_len(MAX_SIZE).unwrap();
        assert!(matches!(
            ConfigFile::load(&path),
            Err(ConfigFileError::Parse { line: 1, .. })
        ));
        std::fs::write(&path, "[default]\nregion = eu-west-1\n").unwrap();
        assert!(ConfigFile::load(&path).is_ok());
    }
}
