//! Why a profile or an `sso-session` cannot be used to sign in or to get role credentials.

use crate::config::section::Section;

/// A profile or an `sso-session` of the config file lacks what a sign-in, or role credentials,
/// need; each message names the section and the keys to add or fix.
///
/// Values from the file are repeated only for the `sso_*` keys (start URL, region, account,
/// role), never for others, which may be secrets.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProfileError {
    /// The config file has no such profile.
    #[error("the config file has no profile {} ({})", quoted(profile), Section::profile(profile.as_str()))]
    ProfileNotFound {
        /// The profile asked for.
        profile: String,
    },
    /// The `sso-session` asked for, or named by a profile's `sso_session`, has no section.
    #[error("the config file has no [sso-session {session}] section{}", named_by(profile.as_deref()))]
    SsoSessionNotFound {
        /// The session's name.
        session: String,
        /// The profile whose `sso_session` names it, if a profile was asked for.
        profile: Option<String>,
    },
    /// A section lacks keys that are needed (blank values count as missing): an
    /// `sso-session`'s `sso_start_url` or `sso_region`, or (for role credentials,
    /// [`SsoProfile::role`](crate::config::SsoProfile::role)) a profile's `sso_account_id` or
    /// `sso_role_name`.
    #[error("{section} is missing {}", keys.join(", "))]
    MissingSettings {
        /// The section.
        section: Section,
        /// The keys it lacks, in the order the AWS CLI names them.
        keys: Vec<&'static str>,
    },
    /// A profile with no `sso_session` lacks the legacy sign-in settings, `sso_start_url` or
    /// `sso_region`.
    #[error("{} has no sso_session and is missing {}", Section::profile(profile.as_str()), keys.join(", "))]
    NoSignIn {
        /// The profile.
        profile: String,
        /// The keys it lacks: `sso_start_url`, `sso_region` or both.
        keys: Vec<&'static str>,
    },
    /// A key set in both a profile and the `sso-session` it names has two different values
    /// (botocore refuses such a profile for credentials).
    #[error("{}", inconsistent(key, profile, session, profile_value.as_deref(), session_value.as_deref()))]
    Inconsistent {
        /// The profile.
        profile: String,
        /// The session.
        session: String,
        /// The key, e.g. `sso_region`.
        key: String,
        /// The profile's value, for an `sso_*` key; `None` for others.
        profile_value: Option<String>,
        /// The session's value, for an `sso_*` key; `None` for others.
        session_value: Option<String>,
    },
}

/// Whether a key's value may be repeated in a message: the `sso_*` settings say where to
/// sign in and which role to take, none of them a secret.
pub(crate) fn is_shown(key: &str) -> bool {
    key.starts_with("sso_")
}

fn quoted(name: &str) -> String {
    format!("\"{name}\"")
}

fn named_by(profile: Option<&str>) -> String {
    profile
        .map(|profile| {
            format!(
                " (sso_session in {} names it)",
                Section::profile(profile.to_owned())
            )
        })
        .unwrap_or_default()
}

fn inconsistent(
    key: &str,
    profile: &str,
    session: &str,
    profile_value: Option<&str>,
    session_value: Option<&str>,
) -> String {
    let profile = Section::profile(profile);
    let session = Section::sso_session(session);
    match (profile_value, session_value) {
        (Some(in_profile), Some(in_session)) => format!(
            "{key} is {} in {profile} but {} in {session}",
            quoted(in_profile),
            quoted(in_session)
        ),
        _ => format!("{key} differs between {profile} and {session}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_sections_and_keys() {
        let cases = [
            (
                ProfileError::ProfileNotFound {
                    profile: "dev".into(),
                },
                "the config file has no profile \"dev\" ([profile dev])",
            ),
            (
                ProfileError::SsoSessionNotFound {
                    session: "nope".into(),
                    profile: Some("default".into()),
                },
                "the config file has no [sso-session nope] section (sso_session in [default] names it)",
            ),
            (
                ProfileError::SsoSessionNotFound {
                    session: "nope".into(),
                    profile: None,
                },
                "the config file has no [sso-session nope] section",
            ),
            (
                ProfileError::MissingSettings {
                    section: Section::sso_session("bare"),
                    keys: vec!["sso_start_url", "sso_region"],
                },
                "[sso-session bare] is missing sso_start_url, sso_region",
            ),
            (
                ProfileError::NoSignIn {
                    profile: "half".into(),
                    keys: vec!["sso_start_url"],
                },
                "[profile half] has no sso_session and is missing sso_start_url",
            ),
            (
                ProfileError::Inconsistent {
                    profile: "dev".into(),
                    session: "s".into(),
                    key: "sso_region".into(),
                    profile_value: Some("eu-west-1".into()),
                    session_value: Some("us-east-1".into()),
                },
                "sso_region is \"eu-west-1\" in [profile dev] but \"us-east-1\" in [sso-session s]",
            ),
            (
                ProfileError::Inconsistent {
                    profile: "dev".into(),
                    session: "s".into(),
                    key: "aws_secret_access_key".into(),
                    profile_value: None,
                    session_value: None,
                },
                "aws_secret_access_key differs between [profile dev] and [sso-session s]",
            ),
        ];
        for (error, message) in cases {
            assert_eq!(error.to_string(), message);
        }
    }
}
