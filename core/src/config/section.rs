//! Which section of the config file: a profile, an `sso-session` or a `services` section; how a
//! header names one, and how one is written as a header.

use std::fmt;

/// A section of the AWS config file that this crate reads, by kind and name.
///
/// Headers are read as botocore reads them: `[default]` and `[profile NAME]` are profiles (the
/// two name the same profile, `default`), `[sso-session NAME]` and `[services NAME]` the other
/// two kinds; the kind starts right after the `[` and is separated from the name by spaces or
/// tabs, the name is trimmed, and a name wholly in double quotes (`[profile "my profile"]`) is
/// read without them. Other sections (`[preview]`, `[plugins]`, a `[profile]` without a name,
/// `[ default ]`) are skipped.
///
/// `Display` is the header as [`edit`](crate::config::edit) writes it: `[default]`,
/// `[profile dev]`, `[sso-session my-sso]`, and a name with white space in double quotes,
/// `[profile "my profile"]`, which is how botocore reads such a name (it drops the section
/// otherwise).
///
/// ```
/// use sso_oidc::config::Section;
///
/// assert_eq!(Section::profile("default").to_string(), "[default]");
/// assert_eq!(Section::profile("my profile").to_string(), r#"[profile "my profile"]"#);
/// assert_eq!(Section::sso_session("my-sso").to_string(), "[sso-session my-sso]");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Section {
    /// A profile: `[default]` (named `default`) or `[profile NAME]`.
    Profile(String),
    /// `[sso-session NAME]`: where and how to sign in, shared by profiles.
    SsoSession(String),
    /// `[services NAME]`: per-service settings (endpoint URLs) that a profile's `services` names.
    Services(String),
}

impl Section {
    /// A profile, by name: `default` is `[default]`.
    pub fn profile(name: impl Into<String>) -> Self {
        Self::Profile(name.into())
    }

    /// An `[sso-session NAME]` section.
    pub fn sso_session(name: impl Into<String>) -> Self {
        Self::SsoSession(name.into())
    }

    /// A `[services NAME]` section.
    pub fn services(name: impl Into<String>) -> Self {
        Self::Services(name.into())
    }

    /// The section's name (the profile's name for a profile).
    pub fn name(&self) -> &str {
        match self {
            Self::Profile(name) | Self::SsoSession(name) | Self::Services(name) => name,
        }
    }

    /// The section a header names, given the text between its brackets; `None` for a section
    /// this crate does not read.
    pub(crate) fn from_header(header: &str) -> Option<Self> {
        // botocore takes the text between the brackets as it is: `[ default ]` and
        // `[ profile dev]` are other sections, while a name is trimmed (`shlex.split`).
        if header == "default" {
            return Some(Self::profile("default"));
        }
        let (kind, rest) = header.split_once([' ', '\t'])?;
        let name = unquoted(rest.trim());
        if name.is_empty() {
            return None;
        }
        let name = name.to_owned();
        match kind {
            "profile" => Some(Self::Profile(name)),
            "sso-session" => Some(Self::SsoSession(name)),
            "services" => Some(Self::Services(name)),
            _ => None,
        }
    }

    /// The kind's word in a header.
    fn kind(&self) -> &'static str {
        match self {
            Self::Profile(_) => "profile",
            Self::SsoSession(_) => "sso-session",
            Self::Services(_) => "services",
        }
    }
}

impl fmt::Display for Section {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if matches!(self, Self::Profile(name) if name == "default") {
            return f.write_str("[default]");
        }
        let name = self.name();
        // botocore splits a header with shlex: a name with white space is read only in quotes.
        // A name that holds a quote is written as it is (it cannot be quoted), and so is read
        // back by this crate, not by botocore.
        if name.contains(char::is_whitespace) && !name.contains('"') {
            write!(f, "[{} \"{name}\"]", self.kind())
        } else {
            write!(f, "[{} {name}]", self.kind())
        }
    }
}

/// `name` without the double quotes around it, when it is wholly quoted and holds no other
/// quote; as it is otherwise (botocore's `shlex.split`, for the one form people write).
fn unquoted(name: &str) -> &str {
    match name
        .strip_prefix('"')
        .and_then(|inner| inner.strip_suffix('"'))
    {
        Some(inner) if !inner.is_empty() && !inner.contains('"') => inner,
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_name_sections_as_botocore_reads_them() {
        let cases = [
            ("default", Some(Section::profile("default"))),
            (" default ", None),
            ("default ", None),
            (" profile dev", None),
            ("profile default", Some(Section::profile("default"))),
            ("profile dev", Some(Section::profile("dev"))),
            ("profile  dev ", Some(Section::profile("dev"))),
            ("profile\tdev", Some(Section::profile("dev"))),
            (
                "profile \"my profile\"",
                Some(Section::profile("my profile")),
            ),
            ("profile odd one", Some(Section::profile("odd one"))),
            ("profile \"\"", Some(Section::profile("\"\""))),
            ("profile \"a\"b\"", Some(Section::profile("\"a\"b\""))),
            ("sso-session my-sso", Some(Section::sso_session("my-sso"))),
            ("services local", Some(Section::services("local"))),
            ("profile", None),
            ("profile ", None),
            ("profiledev", None),
            ("Profile dev", None),
            ("preview", None),
            ("plugins x", None),
            ("", None),
        ];
        for (header, section) in cases {
            assert_eq!(Section::from_header(header), section, "{header:?}");
        }
    }

    #[test]
    fn written_headers_read_back() {
        for section in [
            Section::profile("default"),
            Section::profile("dev"),
            Section::profile("my profile"),
            Section::profile("a \"b\""),
            Section::profile("\"\""),
            Section::sso_session("my sso"),
            Section::services("local"),
        ] {
            let header = section.to_string();
            let inner = &header[1..header.len() - 1];
            assert_eq!(Section::from_header(inner), Some(section), "{header}");
        }
        assert_eq!(Section::profile("a \"b\"").to_string(), "[profile a \"b\"]");
        assert_eq!(Section::profile("x").name(), "x");
    }
}
