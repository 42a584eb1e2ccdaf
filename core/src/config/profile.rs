//! A profile resolved as botocore resolves it for SSO: where it signs in, and which account and
//! role it takes.
//!
//! botocore's `SSOTokenProvider` and `aws sso login` take the `sso-session` a profile names in
//! `sso_session` (its `sso_start_url` and `sso_region` are required), else the profile's own
//! `sso_start_url` and `sso_region` (a "legacy" profile). botocore's `SSOProvider`, for role
//! credentials, also needs `sso_account_id` and `sso_role_name`, and refuses a profile that sets
//! a key of its session to another value. Blank values count as missing here (botocore would
//! only fail later, on an empty URL or region).

use crate::config::file::{ConfigFile, Settings};
use crate::config::profile_error::{ProfileError, is_shown};
use crate::config::section::Section;
use crate::config::sign_in::{SignIn, SsoSession, parse_scopes};

/// The keys of a sign-in, in the order the AWS CLI names them when they are missing.
const SIGN_IN_KEYS: [&str; 2] = ["sso_start_url", "sso_region"];

/// The keys of role credentials, in the order botocore names them when they are missing.
const ROLE_KEYS: [&str; 2] = ["sso_role_name", "sso_account_id"];

/// A profile that signs in with IAM Identity Center, resolved from the config file
/// ([`ConfigFile::sso_profile`]).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SsoProfile {
    /// The profile's name.
    pub name: String,
    /// Where it signs in: its `sso-session`, or its own start URL and region.
    pub sign_in: SignIn,
    /// The AWS account of its role (`sso_account_id`), if set.
    pub account_id: Option<String>,
    /// The role to take in that account (`sso_role_name`), if set.
    pub role_name: Option<String>,
    /// The profile's `region`, for the AWS services it calls (not where it signs in: that is
    /// the sign-in's `sso_region`).
    pub region: Option<String>,
}

/// The account and role a profile's credentials are for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SsoRole<'a> {
    /// The AWS account id (`sso_account_id`).
    pub account_id: &'a str,
    /// The role name (`sso_role_name`).
    pub role_name: &'a str,
}

impl SsoProfile {
    /// The account and role to get credentials for.
    ///
    /// A profile used only to sign in (for a token) needs neither, so they are checked here,
    /// when credentials are wanted.
    ///
    /// # Errors
    /// [`ProfileError::MissingSettings`] naming the profile's section and the keys it lacks,
    /// `sso_role_name`, `sso_account_id` or both.
    pub fn role(&self) -> Result<SsoRole<'_>, ProfileError> {
        match (&self.account_id, &self.role_name) {
            (Some(account_id), Some(role_name)) => Ok(SsoRole {
                account_id,
                role_name,
            }),
            (account_id, role_name) => Err(ProfileError::MissingSettings {
                section: Section::profile(self.name.as_str()),
                keys: missing(&ROLE_KEYS, |key| match key {
                    "sso_role_name" => role_name.is_none(),
                    _ => account_id.is_none(),
                }),
            }),
        }
    }
}

impl ConfigFile {
    /// Resolves profile `name` for SSO: its `sso-session` (named by `sso_session`) or its own
    /// `sso_start_url` and `sso_region`, its account and role if set, and its `region`.
    ///
    /// ```
    /// use sso_oidc::config::{ConfigFile, ProfileError};
    ///
    /// let config = ConfigFile::parse(
    ///     "[profile dev]\nsso_session = my-sso\nsso_account_id = 111122223333\n\
    ///      sso_role_name = ReadOnly\nregion = eu-west-1\n\n\
    ///      [sso-session my-sso]\nsso_start_url = https://d-1234567890.awsapps.com/start\n\
    ///      sso_region = us-east-1\nsso_registration_scopes = sso:account:access\n\n\
    ///      [profile half]\nsso_region = us-east-1\n",
    /// )?;
    /// let dev = config.sso_profile("dev")?;
    /// assert_eq!(dev.sign_in.cache_key(), "my-sso");
    /// assert_eq!(dev.sign_in.sso_region(), "us-east-1");
    /// assert_eq!(dev.region.as_deref(), Some("eu-west-1"));
    /// assert_eq!(dev.role()?.role_name, "ReadOnly");
    ///
    /// let error = config.sso_profile("half").unwrap_err();
    /// assert_eq!(error.to_string(), "[profile half] has no sso_session and is missing sso_start_url");
    /// assert!(matches!(config.sso_profile("prod"), Err(ProfileError::ProfileNotFound { .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// - [`ProfileError::ProfileNotFound`]: no such profile.
    /// - [`ProfileError::SsoSessionNotFound`]: its `sso_session` names no section.
    /// - [`ProfileError::Inconsistent`]: it sets a key of its session to another value.
    /// - [`ProfileError::MissingSettings`]: its session lacks `sso_start_url` or `sso_region`.
    /// - [`ProfileError::NoSignIn`]: it has no `sso_session`, and lacks `sso_start_url` or
    ///   `sso_region` itself.
    pub fn sso_profile(&self, name: &str) -> Result<SsoProfile, ProfileError> {
        let settings = self
            .profile(name)
            .ok_or_else(|| ProfileError::ProfileNotFound {
                profile: name.to_owned(),
            })?;
        let sign_in = match value(settings, "sso_session") {
            Some(session) => {
                let section =
                    self.sso_session(session)
                        .ok_or_else(|| ProfileError::SsoSessionNotFound {
                            session: session.to_owned(),
                            profile: Some(name.to_owned()),
                        })?;
                consistent(name, settings, session, section)?;
                SignIn::SsoSession(session_sign_in(session, section)?)
            }
            None => match (
                value(settings, SIGN_IN_KEYS[0]),
                value(settings, SIGN_IN_KEYS[1]),
            ) {
                (Some(start_url), Some(sso_region)) => SignIn::legacy(start_url, sso_region),
                _ => {
                    return Err(ProfileError::NoSignIn {
                        profile: name.to_owned(),
                        keys: missing(&SIGN_IN_KEYS, |key| value(settings, key).is_none()),
                    });
                }
            },
        };
        let owned = |key| value(settings, key).map(str::to_owned);
        Ok(SsoProfile {
            name: name.to_owned(),
            sign_in,
            account_id: owned("sso_account_id"),
            role_name: owned("sso_role_name"),
            region: owned("region"),
        })
    }

    /// Resolves `[sso-session NAME]` for a sign-in, as `aws sso login --sso-session NAME` does.
    ///
    /// # Errors
    /// [`ProfileError::SsoSessionNotFound`] when the file has no such section;
    /// [`ProfileError::MissingSettings`] when it lacks `sso_start_url` or `sso_region`.
    pub fn resolve_sso_session(&self, name: &str) -> Result<SsoSession, ProfileError> {
        let section = self
            .sso_session(name)
            .ok_or_else(|| ProfileError::SsoSessionNotFound {
                session: name.to_owned(),
                profile: None,
            })?;
        session_sign_in(name, section)
    }
}

/// A session's sign-in settings.
fn session_sign_in(name: &str, settings: &Settings) -> Result<SsoSession, ProfileError> {
    match (
        value(settings, SIGN_IN_KEYS[0]),
        value(settings, SIGN_IN_KEYS[1]),
    ) {
        (Some(start_url), Some(sso_region)) => Ok(SsoSession {
            name: name.to_owned(),
            start_url: start_url.to_owned(),
            sso_region: sso_region.to_owned(),
            // Present, even blank, is a list (maybe empty): it names another registration file.
            registration_scopes: settings
                .get("sso_registration_scopes")
                .map(|raw| parse_scopes(raw)),
        }),
        _ => Err(ProfileError::MissingSettings {
            section: Section::sso_session(name),
            keys: missing(&SIGN_IN_KEYS, |key| value(settings, key).is_none()),
        }),
    }
}

/// botocore's `_resolve_sso_session_reference`: every key the session sets that the profile
/// sets too must have the same value.
fn consistent(
    profile: &str,
    profile_settings: &Settings,
    session: &str,
    session_settings: &Settings,
) -> Result<(), ProfileError> {
    for (key, in_session) in session_settings {
        match profile_settings.get(key) {
            Some(in_profile) if in_profile != in_session => {
                let shown = |value: &String| is_shown(key).then(|| value.clone());
                return Err(ProfileError::Inconsistent {
                    profile: profile.to_owned(),
                    session: session.to_owned(),
                    key: key.clone(),
                    profile_value: shown(in_profile),
                    session_value: shown(in_session),
                });
            }
            _ => {}
        }
    }
    Ok(())
}

/// A setting, trimmed, when set and not blank.
fn value<'a>(settings: &'a Settings, key: &str) -> Option<&'a str> {
    settings
        .get(key)
        .map(|value| value.trim())
        .filter(|value| !value.is_empty())
}

/// The keys of `keys` that `is_missing`.
fn missing(keys: &[&'static str], is_missing: impl Fn(&str) -> bool) -> Vec<&'static str> {
    keys.iter().copied().filter(|key| is_missing(key)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "\
[default]
sso_session = main

[profile legacy]
sso_start_url = https://d-1111111111.awsapps.com/start
sso_region = eu-west-1
region = us-west-2
sso_account_id = 111122223333

[profile half]
sso_region = eu-west-1

[profile empty]

[profile blank]
sso_start_url =
sso_region = eu-west-1
sso_session =

[profile dangling]
sso_session = nope

[profile dev]
sso_session = main
sso_account_id = 111122223333
sso_role_name = ReadOnly
region = ap-south-1

[profile same]
sso_session = main
sso_region = us-east-2

[profile clash]
sso_session = main
sso_region = eu-west-1

[profile secret clash]
sso_session = main
extra = mine

[sso-session main]
sso_start_url = https://d-2222222222.awsapps.com/start
sso_region = us-east-2
sso_registration_scopes = sso:account:access, ,extra:scope
extra = theirs

[sso-session bare]
sso_start_url = https://d-3333333333.awsapps.com/start

[sso-session blank-scopes]
sso_start_url = https://d-4444444444.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes =
";

    fn config() -> ConfigFile {
        ConfigFile::parse(FILE).unwrap()
    }

    #[test]
    fn a_profile_names_its_session() {
        let default = config().sso_profile("default").unwrap();
        assert_eq!(default.name, "default");
        let SignIn::SsoSession(session) = &default.sign_in else {
            panic!("{default:?}");
        };
        assert_eq!(session.name, "main");
        assert_eq!(session.start_url, "https://d-2222222222.awsapps.com/start");
        assert_eq!(session.sso_region, "us-east-2");
        assert_eq!(
            session.registration_scopes,
            Some(vec!["sso:account:access".into(), "extra:scope".into()])
        );
        assert_eq!(default.sign_in.cache_key(), "main");
        assert_eq!(default.region, None);
        assert_eq!(
            default.role(),
            Err(ProfileError::MissingSettings {
                section: Section::profile("default"),
                keys: vec!["sso_role_name", "sso_account_id"],
            })
        );
        let dev = config().sso_profile("dev").unwrap();
        assert_eq!(dev.sign_in, default.sign_in);
        assert_eq!(dev.region.as_deref(), Some("ap-south-1"));
        let role = dev.role().unwrap();
        assert_eq!(role.account_id, "111122223333");
        assert_eq!(role.role_name, "ReadOnly");
    }

    #[test]
    fn a_legacy_profile_signs_in_with_its_own_settings() {
        let legacy = config().sso_profile("legacy").unwrap();
        assert_eq!(
            legacy.sign_in,
            SignIn::legacy("https://d-1111111111.awsapps.com/start", "eu-west-1")
        );
        assert_eq!(legacy.sign_in.sso_region(), "eu-west-1", "not region");
        assert_eq!(legacy.region.as_deref(), Some("us-west-2"));
        assert_eq!(
            legacy.sign_in.cache_key(),
            "https://d-1111111111.awsapps.com/start"
        );
        assert_eq!(
            legacy.role().unwrap_err().to_string(),
            "[profile legacy] is missing sso_role_name"
        );
    }

    #[test]
    fn what_is_missing_is_named() {
        let config = config();
        assert_eq!(
            config.sso_profile("half"),
            Err(ProfileError::NoSignIn {
                profile: "half".into(),
                keys: vec!["sso_start_url"],
            })
        );
        assert_eq!(
            config.sso_profile("empty"),
            Err(ProfileError::NoSignIn {
                profile: "empty".into(),
                keys: vec!["sso_start_url", "sso_region"],
            })
        );
        // Blank is missing, and a blank sso_session names none.
        assert_eq!(
            config.sso_profile("blank"),
            Err(ProfileError::NoSignIn {
                profile: "blank".into(),
                keys: vec!["sso_start_url"],
            })
        );
        assert_eq!(
            config.sso_profile("dangling"),
            Err(ProfileError::SsoSessionNotFound {
                session: "nope".into(),
                profile: Some("dangling".into()),
            })
        );
        assert_eq!(
            config.sso_profile("nope"),
            Err(ProfileError::ProfileNotFound {
                profile: "nope".into()
            })
        );
        assert_eq!(
            config.resolve_sso_session("bare"),
            Err(ProfileError::MissingSettings {
                section: Section::sso_session("bare"),
                keys: vec!["sso_region"],
            })
        );
        assert_eq!(
            config.resolve_sso_session("other"),
            Err(ProfileError::SsoSessionNotFound {
                session: "other".into(),
                profile: None,
            })
        );
    }

    #[test]
    fn a_profile_may_repeat_its_sessions_settings_but_not_contradict_them() {
        let config = config();
        assert!(config.sso_profile("same").is_ok());
        let clash = config.sso_profile("clash").unwrap_err();
        assert_eq!(
            clash,
            ProfileError::Inconsistent {
                profile: "clash".into(),
                session: "main".into(),
                key: "sso_region".into(),
                profile_value: Some("eu-west-1".into()),
                session_value: Some("us-east-2".into()),
            }
        );
        let secret = config.sso_profile("secret clash").unwrap_err();
        assert_eq!(
            secret.to_string(),
            "extra differs between [profile \"secret clash\"] and [sso-session main]"
        );
        assert!(!format!("{secret:?}").contains("mine"), "{secret:?}");
    }

    #[test]
    fn sessions_resolve_alone() {
        let main = config().resolve_sso_session("main").unwrap();
        assert_eq!(main.name, "main");
        let blank = config().resolve_sso_session("blank-scopes").unwrap();
        assert_eq!(blank.registration_scopes, Some(vec![]));
        assert_ne!(
            SignIn::from(blank.clone()).registration_file_name(),
            SignIn::from(SsoSession {
                registration_scopes: None,
                ..blank
            })
            .registration_file_name(),
            "an empty list and no list name different registrations"
        );
    }
}
