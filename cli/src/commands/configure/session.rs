//! The questions before the sign-in, in the AWS CLI's order: the sso-session's name, then for
//! a new session its start URL, region and registration scopes. A session the config file has
//! is reused as it is (nothing about it is asked, and an option that contradicts it is
//! refused); only what it lacks is asked. No name is the legacy format: the start URL and
//! region go to the profile itself.

use sso_oidc::config::{ConfigFile, Section, Settings, SignIn, edit};

use crate::args::ConfigureSsoArgs;
use crate::commands::configure::ask::{Asker, Question, invalid};
use crate::commands::configure::check;
use crate::error::CliError;
use crate::terminal::prompt;

/// The scope a new session registers for unless told otherwise, as in the AWS CLI.
pub(crate) const DEFAULT_SCOPE: &str = "sso:account:access";

/// What the AWS CLI prints when no session is named.
const LEGACY_WARNING: &str = "WARNING: Configuring using legacy format (e.g. without an SSO \
    session).\nConsider re-running \"configure sso\" command and providing a session name.\n";

/// Where to sign in, and what that means for the config file.
#[derive(Debug)]
pub(crate) struct SignInAnswers {
    /// What to sign in to: the session as the config file will have it, or a legacy start URL
    /// and region.
    pub(crate) sign_in: SignIn,
    /// Whether to sign in even with a cached token: the session is new, or changes (the AWS
    /// CLI's `force_refresh`).
    pub(crate) fresh: bool,
    /// What to set in `[sso-session NAME]`: only what it lacks (nothing for a legacy sign-in).
    pub(crate) session: Vec<(&'static str, String)>,
    /// What to set in the profile: `sso_session`, or a legacy profile's `sso_start_url` and
    /// `sso_region`.
    pub(crate) profile: Vec<(&'static str, String)>,
}

/// Asks (or takes from the options) where to sign in. `text` is the config file's text,
/// `profile` the current values of the profile being configured.
///
/// # Errors
/// An answer refused or missing (see [`Asker::ask`]); an option that contradicts an existing
/// session; `--sso-registration-scopes` for the legacy format.
pub(crate) fn ask(
    asker: &mut Asker<'_>,
    args: &ConfigureSsoArgs,
    text: &str,
    profile: &Settings,
) -> Result<SignInAnswers, CliError> {
    let current = |key: &str| value(profile, key);
    let question = Question::optional("SSO session name", "--sso-session", check::session_name)
        .current(current("sso_session"));
    // Enter here means the legacy format, which no script should get by leaving an option out.
    if args.sso_session.is_none() && !asker.is_terminal() && question.current.is_none() {
        return Err(CliError::failure(
            "No answer for \"SSO session name\": standard input is not a terminal, so give it \
             with --sso-session NAME (or --sso-session '' for the legacy format, without a \
             session)",
        ));
    }
    let prompt = question
        .current
        .is_none()
        .then_some("SSO session name (Recommended): ");
    match asker.ask_with(&question, prompt, args.sso_session.as_deref())? {
        None => legacy(asker, args, profile),
        Some(name) => session(asker, args, text, profile, name),
    }
}

/// The legacy format: the start URL and region, kept in the profile.
fn legacy(
    asker: &mut Asker<'_>,
    args: &ConfigureSsoArgs,
    profile: &Settings,
) -> Result<SignInAnswers, CliError> {
    if args.sso_registration_scopes.is_some() {
        return Err(CliError::failure(
            "--sso-registration-scopes needs an sso-session: the legacy format (without one) \
             registers no scopes",
        ));
    }
    prompt::out(LEGACY_WARNING);
    let start_url = start_url_question().current(value(profile, "sso_start_url"));
    let start_url = required(asker.ask(&start_url, args.sso_start_url.as_deref())?);
    let region = region_question().current(value(profile, "sso_region"));
    let region = required(asker.ask(&region, args.sso_region.as_deref())?);
    Ok(SignInAnswers {
        sign_in: SignIn::legacy(start_url.clone(), region.clone()),
        fresh: false,
        session: Vec::new(),
        profile: vec![("sso_start_url", start_url), ("sso_region", region)],
    })
}

/// A session: reused as the config file has it, what it lacks asked for.
fn session(
    asker: &mut Asker<'_>,
    args: &ConfigureSsoArgs,
    text: &str,
    profile: &Settings,
    name: String,
) -> Result<SignInAnswers, CliError> {
    let config = ConfigFile::parse(text).map_err(CliError::failure)?;
    let section = config.sso_session(&name);
    let mut writes: Vec<(&'static str, String)> = Vec::new();
    for (key, question, given) in [
        (
            "sso_start_url",
            start_url_question(),
            args.sso_start_url.as_deref(),
        ),
        ("sso_region", region_question(), args.sso_region.as_deref()),
    ] {
        match section.and_then(|s| value(s, key)) {
            Some(kept) => agree(&name, key, question.option, kept, given)?,
            // A legacy profile's values are the defaults for its new session, as in the AWS CLI.
            None => {
                let question = question.current(value(profile, key));
                writes.push((key, required(asker.ask(&question, given)?)));
            }
        }
    }
    let given = args.sso_registration_scopes.as_deref();
    let option = "--sso-registration-scopes";
    match section.map(|s| s.get("sso_registration_scopes")) {
        // Asked of a new session only, as the AWS CLI does.
        None => {
            let question = Question::optional("SSO registration scopes", option, check::scopes)
                .current(Some(DEFAULT_SCOPE));
            if let Some(scopes) = asker.ask(&question, given)? {
                writes.push(("sso_registration_scopes", scopes));
            }
        }
        Some(Some(kept)) => {
            if let Some(given) = given.filter(|g| !g.trim().is_empty())
                && scope_list(given) != scope_list(kept)
            {
                return Err(contradiction(
                    &name,
                    "sso_registration_scopes",
                    option,
                    kept,
                ));
            }
        }
        Some(None) => {
            if let Some(given) = given.filter(|g| !g.trim().is_empty()) {
                check::scopes(given.trim()).map_err(|r| invalid(option, r))?;
                writes.push(("sso_registration_scopes", given.trim().to_owned()));
            }
        }
    }
    // The session as the file will have it, resolved as `login` will resolve it.
    let written: Vec<(&str, &str)> = writes.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let edited = edit(text, &Section::sso_session(name.as_str()), &written)
        .map_err(|error| CliError::failure(format!("Unable to configure the session: {error}")))?;
    let resolved = ConfigFile::parse(&edited)
        .map_err(CliError::failure)?
        .resolve_sso_session(&name)
        .map_err(|error| CliError::failure(format!("Unable to use the session: {error}")))?;
    Ok(SignInAnswers {
        sign_in: resolved.into(),
        fresh: !writes.is_empty(),
        session: writes,
        profile: vec![("sso_session", name)],
    })
}

fn start_url_question() -> Question<'static> {
    Question::required("SSO start URL", "--sso-start-url", check::start_url)
}

fn region_question() -> Question<'static> {
    Question::required("SSO region", "--sso-region", check::region)
}

/// A setting's value, trimmed; `None` when absent or blank.
fn value<'a>(settings: &'a Settings, key: &str) -> Option<&'a str> {
    settings
        .get(key)
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
}

/// A required question's answer (`ask` gives one, or fails).
fn required(answer: Option<String>) -> String {
    answer.unwrap_or_default()
}

/// An option for a setting the session has must say the same (or be empty: Enter).
fn agree(
    session: &str,
    key: &str,
    option: &str,
    kept: &str,
    given: Option<&str>,
) -> Result<(), CliError> {
    match given.map(str::trim) {
        Some(given) if !given.is_empty() && given != kept => {
            Err(contradiction(session, key, option, kept))
        }
        _ => Ok(()),
    }
}

fn contradiction(session: &str, key: &str, option: &str, kept: &str) -> CliError {
    CliError::failure(format!(
        "The sso-session {session} has {key} = {kept}, which {option} contradicts: configure \
         sso uses an existing session as it is (change it in the config file, or give another \
         session name)"
    ))
}

/// Scopes as a list, to compare: separated by commas, trimmed, blanks dropped.
fn scope_list(raw: &str) -> Vec<&str> {
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::configure::script::Script;
    use clap::Parser;

    fn script(lines: &[&str]) -> Script {
        Script::new(lines)
    }

    fn args(options: &[&str]) -> ConfigureSsoArgs {
        let mut argv = vec!["sso-oidc", "configure", "sso"];
        argv.extend_from_slice(options);
        match crate::args::Cli::parse_from(argv).command {
            Some(crate::args::Command::Configure(configure)) => match configure.command {
                crate::args::ConfigureCommand::Sso(args) => args,
            },
            _ => panic!("not configure sso"),
        }
    }

    const FILE: &str = "\
[profile legacy]
sso_start_url = https://d-1111111111.awsapps.com/start
sso_region = eu-west-1

[profile dev]
sso_session = main

[sso-session main]
sso_start_url = https://d-2222222222.awsapps.com/start
sso_region = us-east-2
sso_registration_scopes = sso:account:access

[sso-session bare]
sso_start_url = https://d-3333333333.awsapps.com/start
";

    fn profile(name: &str) -> Settings {
        ConfigFile::parse(FILE)
            .unwrap()
            .profile(name)
            .cloned()
            .unwrap_or_default()
    }

    #[test]
    fn a_new_session_asks_for_everything_with_the_aws_cli_defaults() {
        let mut terminal = script(&[
            "new",
            "https://d-9999999999.awsapps.com/start",
            "ap-south-1",
            "",
        ]);
        let answers = ask(
            &mut Asker::new(Some(&mut terminal)),
            &args(&[]),
            FILE,
            &profile("none"),
        )
        .unwrap();
        assert_eq!(
            terminal.shown,
            "SSO session name (Recommended): SSO start URL [None]: SSO region [None]: \
             SSO registration scopes [sso:account:access]: "
        );
        assert!(answers.fresh);
        assert_eq!(
            answers.session,
            [
                (
                    "sso_start_url",
                    "https://d-9999999999.awsapps.com/start".to_owned()
                ),
                ("sso_region", "ap-south-1".to_owned()),
                ("sso_registration_scopes", "sso:account:access".to_owned()),
            ]
        );
        assert_eq!(answers.profile, [("sso_session", "new".to_owned())]);
        assert_eq!(answers.sign_in.session_name(), Some("new"));
        assert_eq!(
            answers.sign_in.registration_scopes(),
            Some(&["sso:account:access".to_owned()][..])
        );
    }

    #[test]
    fn an_existing_session_is_reused_without_a_question() {
        // dev's session is the current value: Enter keeps it.
        let mut terminal = script(&[""]);
        let answers = ask(
            &mut Asker::new(Some(&mut terminal)),
            &args(&[]),
            FILE,
            &profile("dev"),
        )
        .unwrap();
        assert_eq!(terminal.shown, "SSO session name [main]: ");
        assert!(!answers.fresh);
        assert!(answers.session.is_empty());
        assert_eq!(
            answers.sign_in.start_url(),
            "https://d-2222222222.awsapps.com/start"
        );
        assert_eq!(answers.sign_in.sso_region(), "us-east-2");
        // Options that agree are fine; one that does not is refused.
        let same = args(&[
            "--sso-session",
            "main",
            "--sso-region",
            "us-east-2",
            "--sso-registration-scopes",
            " sso:account:access ,",
        ]);
        assert!(ask(&mut Asker::new(None), &same, FILE, &profile("none")).is_ok());
        let other = args(&[
            "--sso-session",
            "main",
            "--sso-start-url",
            "https://x.example",
        ]);
        let error = ask(&mut Asker::new(None), &other, FILE, &profile("none")).unwrap_err();
        assert!(
            error.message().starts_with(
                "The sso-session main has sso_start_url = https://d-2222222222.awsapps.com/start, which --sso-start-url contradicts"
            ),
            "{}",
            error.message()
        );
    }

    #[test]
    fn what_a_session_lacks_is_asked_and_a_legacy_profile_gives_the_defaults() {
        let mut terminal = script(&["bare", ""]);
        let answers = ask(
            &mut Asker::new(Some(&mut terminal)),
            &args(&[]),
            FILE,
            &profile("legacy"),
        )
        .unwrap();
        assert_eq!(
            terminal.shown,
            "SSO session name (Recommended): SSO region [eu-west-1]: "
        );
        assert_eq!(answers.session, [("sso_region", "eu-west-1".to_owned())]);
        assert!(answers.fresh);
        assert_eq!(answers.sign_in.registration_scopes(), None);
    }

    #[test]
    fn no_name_is_the_legacy_format() {
        let mut terminal = script(&["", "", "eu-central-1"]);
        let answers = ask(
            &mut Asker::new(Some(&mut terminal)),
            &args(&[]),
            FILE,
            &profile("legacy"),
        )
        .unwrap();
        assert_eq!(
            terminal.shown,
            "SSO session name (Recommended): \
             SSO start URL [https://d-1111111111.awsapps.com/start]: SSO region [eu-west-1]: "
        );
        assert_eq!(answers.sign_in.session_name(), None);
        assert_eq!(answers.sign_in.sso_region(), "eu-central-1");
        assert_eq!(
            answers.profile,
            [
                (
                    "sso_start_url",
                    "https://d-1111111111.awsapps.com/start".to_owned()
                ),
                ("sso_region", "eu-central-1".to_owned()),
            ]
        );
        let scoped = args(&["--sso-session", "", "--sso-registration-scopes", "a"]);
        assert!(ask(&mut Asker::new(None), &scoped, FILE, &profile("none")).is_err());
    }

    #[test]
    fn without_a_terminal_the_session_name_must_be_given() {
        let error = ask(&mut Asker::new(None), &args(&[]), FILE, &profile("none")).unwrap_err();
        assert!(
            error.message().contains("--sso-session NAME"),
            "{}",
            error.message()
        );
        // A profile that names one answers it.
        let answers = ask(&mut Asker::new(None), &args(&[]), FILE, &profile("dev")).unwrap();
        assert_eq!(answers.sign_in.session_name(), Some("main"));
        // A new session without its start URL names the option.
        let error = ask(
            &mut Asker::new(None),
            &args(&["--sso-session", "new"]),
            FILE,
            &profile("none"),
        )
        .unwrap_err();
        assert_eq!(
            error.message(),
            "No answer for \"SSO start URL\": standard input is not a terminal, so give it with --sso-start-url"
        );
    }
}
