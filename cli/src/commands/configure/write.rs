//! What `configure sso` writes to the config file, as the AWS CLI writes it (the profile, then
//! the sso-session), through the core's editor, which leaves every other byte as it was; and
//! what it prints at the end.

use sso_oidc::config::{Section, edit};

use crate::context::quoted;
use crate::error::CliError;

/// The settings to write.
#[derive(Debug)]
pub(crate) struct Changes<'a> {
    /// The profile's name.
    pub(crate) profile: &'a str,
    /// Its settings, in the order the AWS CLI writes them.
    pub(crate) profile_settings: &'a [(&'static str, String)],
    /// The sso-session's name, and what to set in it (nothing to set: it is left alone).
    pub(crate) session: Option<(&'a str, &'a [(&'static str, String)])>,
}

/// `text` with the changes made.
///
/// # Errors
/// A text the core cannot edit (it does not parse), or a value it cannot write (which the
/// checks of the answers have ruled out).
pub(crate) fn apply(text: &str, changes: &Changes<'_>) -> Result<String, CliError> {
    let failed = |error| CliError::failure(format!("Unable to update the config file: {error}"));
    let mut text = edit(
        text,
        &Section::profile(changes.profile),
        &pairs(changes.profile_settings),
    )
    .map_err(failed)?;
    if let Some((name, settings)) = changes.session {
        text = edit(&text, &Section::sso_session(name), &pairs(settings)).map_err(failed)?;
    }
    Ok(text)
}

/// The settings as the editor takes them.
fn pairs<'a>(settings: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    settings.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// What the AWS CLI prints once the profile is written: how to use it, or, when the portal
/// would not list accounts and roles, only that the profile is there.
pub(crate) fn conclusion(profile: &str, with_role: bool) -> String {
    if !with_role {
        return format!("Successfully configured SSO for profile: {profile}\n");
    }
    if profile.eq_ignore_ascii_case("default") {
        "The AWS CLI is now configured to use the default profile.\n\
         Run the following command to verify your configuration:\n\n\
         aws sts get-caller-identity\n"
            .to_owned()
    } else {
        format!(
            "To use this profile, specify the profile name using --profile, as shown:\n\n\
             aws sts get-caller-identity --profile {}\n",
            quoted(profile)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_profile_then_the_session_and_nothing_else() {
        let text = "# mine\n[profile other]\nregion = eu-west-1 ; kept\n";
        let profile = [
            ("sso_session", "my-sso".to_owned()),
            ("sso_account_id", "111122223333".to_owned()),
            ("sso_role_name", "ReadOnly".to_owned()),
        ];
        let session = [
            (
                "sso_start_url",
                "https://d-1234567890.awsapps.com/start".to_owned(),
            ),
            ("sso_region", "us-east-1".to_owned()),
        ];
        let changes = Changes {
            profile: "dev",
            profile_settings: &profile,
            session: Some(("my-sso", &session)),
        };
        assert_eq!(
            apply(text, &changes).unwrap(),
            "# mine\n[profile other]\nregion = eu-west-1 ; kept\n\
             \n[profile dev]\nsso_session = my-sso\nsso_account_id = 111122223333\n\
             sso_role_name = ReadOnly\n\
             \n[sso-session my-sso]\nsso_start_url = https://d-1234567890.awsapps.com/start\n\
             sso_region = us-east-1\n"
        );
        // A session with nothing to set is left alone, to the byte.
        let existing = "[sso-session my-sso]\nsso_start_url=https://x.example\n";
        let changes = Changes {
            profile: "default",
            profile_settings: &profile[..1],
            session: Some(("my-sso", &[])),
        };
        assert_eq!(
            apply(existing, &changes).unwrap(),
            "[sso-session my-sso]\nsso_start_url=https://x.example\n\
             \n[default]\nsso_session = my-sso\n"
        );
    }

    #[test]
    fn the_aws_cli_words_at_the_end() {
        assert_eq!(
            conclusion("dev", true),
            "To use this profile, specify the profile name using --profile, as shown:\n\n\
             aws sts get-caller-identity --profile dev\n"
        );
        assert!(conclusion("my profile", true).ends_with("--profile 'my profile'\n"));
        assert!(conclusion("default", true).starts_with("The AWS CLI is now configured"));
        assert_eq!(
            conclusion("dev", false),
            "Successfully configured SSO for profile: dev\n"
        );
    }
}
