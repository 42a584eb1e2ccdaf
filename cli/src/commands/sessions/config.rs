//! Which sections of the config file a token file belongs to: an `sso-session` by its name, a
//! legacy profile (`sso_start_url` with no `sso_session`) by its start URL, as the core's
//! [`SignIn`](sso_oidc::config::SignIn) names the files; and the profiles that sign in with
//! each, resolved as `login` and the SDKs resolve them.

use std::collections::{BTreeSet, HashMap};

use sso_oidc::config::Section;
use sso_oidc::token_file_name;

use crate::context::ConfigFile;

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
    let mut known: HashMap<String, Known> = HashMap::new();
    for (section, _) in config.sections() {
        match section {
            Section::SsoSession(name) => {
                // A session that lacks a setting still names its file.
                let entry = known.entry(token_file_name(name)).or_default();
                entry.sso_session = Some(name.clone());
                if let Ok(session) = config.resolve_sso_session(name) {
                    entry.start_url = Some(session.start_url);
                    entry.region = Some(session.sso_region);
                }
            }
            Section::Profile(name) => {
                // A profile that does not sign in, or that botocore would refuse, has none.
                let Ok(profile) = config.sso_profile(name) else {
                    continue;
                };
                let sign_in = profile.sign_in;
                let entry = known.entry(sign_in.token_file_name()).or_default();
                entry.sso_session = sign_in.session_name().map(str::to_owned);
                entry
                    .start_url
                    .get_or_insert_with(|| sign_in.start_url().to_owned());
                entry
                    .region
                    .get_or_insert_with(|| sign_in.sso_region().to_owned());
                entry.profiles.insert(name.clone());
            }
            _ => {}
        }
    }
    known
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "\
[default]
sso_session = main

[profile dev]
sso_session = main
sso_region = us-east-2

[profile contradicts]
sso_session = main
sso_start_url = https://other.example/start

[profile legacy]
sso_start_url = https://d-1111111111.awsapps.com/start
sso_region = eu-west-1

[profile legacy-too]
sso_start_url = https://d-1111111111.awsapps.com/start
sso_region = eu-west-1

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
        // Profiles botocore refuses (a session they contradict, or that does not exist)
        // sign in nowhere.
        assert!(!known.contains_key(&token_file_name("nope")));
        assert!(!known.contains_key(&token_file_name("https://other.example/start")));
        // A session short of a setting still names its file; nobody uses it.
        let unused = &known[&token_file_name("unused")];
        assert_eq!(unused.sso_session.as_deref(), Some("unused"));
        assert_eq!(unused.start_url, None);
        assert!(unused.profiles.is_empty());
        assert_eq!(known.len(), 3);
    }
}
