//! Which sections of the config file a token file belongs to: an `sso-session` by its name, a
//! legacy profile (`sso_start_url` with no `sso_session`) by its start URL, hashed as
//! [`token_file_name`] names the files; and the profiles that sign in with each.

use std::collections::{BTreeSet, HashMap};

use sso_oidc::token_file_name;

use crate::context::{ConfigFile, Section};

/// What the config file says about one token file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Known {
    /// The `sso-session` it is named after; `None` for a legacy profile's.
    pub(super) sso_session: Option<String>,
    /// The `sso_start_url` of the session, or the legacy profiles'.
    pub(super) start_url: Option<String>,
    /// The `sso_region` of the session, or the legacy profiles'.
    pub(super) region: Option<String>,
    /// The profiles that sign in with it.
    pub(super) profiles: BTreeSet<String>,
}

impl Known {
    /// What the token file is named after: the session name, else the start URL.
    pub(super) fn cache_key(&self) -> Option<&str> {
        self.sso_session.as_deref().or(self.start_url.as_deref())
    }
}

/// What the config file says about each token file it names, by file name.
pub(super) fn by_file_name(config: &ConfigFile) -> HashMap<String, Known> {
    let [profiles, sso_sessions, _] = config.clone().into_sections();
    let mut known: HashMap<String, Known> = HashMap::new();
    for (name, section) in &sso_sessions {
        let entry = known.entry(token_file_name(name)).or_default();
        entry.sso_session = Some(name.clone());
        entry.start_url = setting(section, "sso_start_url");
        entry.region = setting(section, "sso_region");
    }
    for (profile, section) in &profiles {
        // As `login` reads a profile: its sso_session first, else its own start URL.
        if let Some(session) = setting(section, "sso_session") {
            let entry = known.entry(token_file_name(&session)).or_default();
            entry.sso_session.get_or_insert(session);
            entry.profiles.insert(profile.clone());
        } else if let Some(start_url) = setting(section, "sso_start_url") {
            let entry = known.entry(token_file_name(&start_url)).or_default();
            entry.region = entry
                .region
                .take()
                .or_else(|| setting(section, "sso_region"));
            entry.start_url = Some(start_url);
            entry.profiles.insert(profile.clone());
        }
    }
    known
}

/// A setting, when set and not blank.
fn setting(section: &Section, key: &str) -> Option<String> {
    section
        .get(key)
        .map(|value| value.trim())
        .filter(|value| !value.is_empty())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "\
[default]
sso_session = main

[profile dev]
sso_session = main
sso_start_url = https://ignored.example/start

[profile legacy]
sso_start_url = https://d-1111111111.awsapps.com/start
sso_region = eu-west-1

[profile legacy-too]
sso_start_url = https://d-1111111111.awsapps.com/start

[profile dangling]
sso_session = nope

[profile plain]
region = us-west-2

[sso-session main]
sso_start_url = https://d-2222222222.awsapps.com/start
sso_region = us-east-2

[sso-session unused]
sso_start_url = https://d-3333333333.awsapps.com/start
";

    #[test]
    fn sessions_and_legacy_profiles_by_the_file_they_sign_in_to() {
        let known = by_file_name(&ConfigFile::parse(FILE).unwrap());
        let profiles = |names: &[&str]| names.iter().map(|&n| n.to_owned()).collect();
        assert_eq!(
            known[&token_file_name("main")],
            Known {
                sso_session: Some("main".into()),
                start_url: Some("https://d-2222222222.awsapps.com/start".into()),
                region: Some("us-east-2".into()),
                profiles: profiles(&["default", "dev"]),
            }
        );
        let legacy = &known[&token_file_name("https://d-1111111111.awsapps.com/start")];
        assert_eq!(
            *legacy,
            Known {
                sso_session: None,
                start_url: Some("https://d-1111111111.awsapps.com/start".into()),
                region: Some("eu-west-1".into()),
                profiles: profiles(&["legacy", "legacy-too"]),
            }
        );
        assert_eq!(
            legacy.cache_key(),
            Some("https://d-1111111111.awsapps.com/start")
        );
        let dangling = &known[&token_file_name("nope")];
        assert_eq!(dangling.cache_key(), Some("nope"));
        assert_eq!(dangling.start_url, None);
        assert_eq!(dangling.profiles, profiles(&["dangling"]));
        assert!(known[&token_file_name("unused")].profiles.is_empty());
        assert!(!known.contains_key(&token_file_name("https://ignored.example/start")));
        assert_eq!(known.len(), 4);
    }
}
