//! Which IAM Identity Center instance to sign in to, read as `aws sso login` reads it, and
//! the cache folder.
//!
//! The AWS CLI takes the `sso-session` named by `--sso-session`, else the one the profile names
//! in `sso_session`, else the profile's own `sso_start_url` and `sso_region` (a "legacy"
//! profile): the core resolves those ([`ConfigFile::sso_profile`](sso_oidc::config::ConfigFile::sso_profile)),
//! and this file words its errors as the AWS CLI does. We add a third way that needs no
//! config file: `--start-url` with `--region`.

use std::path::Path;

use sso_oidc::CacheDir;
use sso_oidc::config::{ProfileError, Section, SignIn};
use sso_oidc_transport::AwsPaths;

use crate::args::{CacheArgs, SessionArgs};
use crate::context::{Context, Env};
use crate::error::CliError;

/// What a sign-in is for, and how to name it in messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SsoSettings {
    /// The start URL and region, and the `sso-session` (with its scopes) if there is one.
    pub(crate) sign_in: SignIn,
    /// The options that choose these settings again, for the hint to sign in (e.g.
    /// ` --profile dev`; empty for the default profile), quoted for a POSIX shell.
    pub(crate) selector: String,
    /// Where the start URL was given, for messages about it: `--start-url`, or
    /// `sso_start_url in [sso-session NAME]`.
    pub(crate) start_url_setting: String,
}

impl SsoSettings {
    /// What the token file is named after: the session name, else the start URL.
    pub(crate) fn cache_key(&self) -> &str {
        self.sign_in.cache_key()
    }

    /// The token file's name in the cache folder.
    pub(crate) fn token_file_name(&self) -> String {
        self.sign_in.token_file_name()
    }

    /// The client registration file's name, as the AWS CLI v2 computes it.
    pub(crate) fn registration_file_name(&self) -> String {
        self.sign_in.registration_file_name()
    }

    /// The command that signs in with these settings, for messages.
    pub(crate) fn login_command(&self) -> String {
        format!("sso-oidc login{}", self.selector)
    }
}

impl Context {
    /// The sign-in settings (see [`resolve`]).
    ///
    /// # Errors
    /// As [`resolve`].
    pub(crate) fn sso_settings(&self, args: &SessionArgs) -> Result<SsoSettings, CliError> {
        resolve(args, self)
    }
}

/// The sign-in settings: `--start-url` (with the region), else the `sso-session` named by
/// `--sso-session` or by the profile's `sso_session`, else the profile's own.
///
/// # Errors
/// A session or profile without the settings a sign-in needs, in the AWS CLI's words.
fn resolve(args: &SessionArgs, context: &Context) -> Result<SsoSettings, CliError> {
    if let Some(start_url) = &args.start_url {
        let region = context.region().map(str::to_owned).ok_or_else(|| {
            CliError::failure(
                "--start-url needs the region of the IAM Identity Center instance: add --region REGION",
            )
        })?;
        let selector = format!(
            " --start-url {} --region {}",
            quoted(start_url),
            quoted(&region)
        );
        return Ok(SsoSettings {
            sign_in: SignIn::legacy(start_url.clone(), region),
            selector,
            start_url_setting: "--start-url".to_owned(),
        });
    }
    if let Some(name) = &args.sso_session {
        let session = context
            .config()
            .resolve_sso_session(name)
            .map_err(profile_error)?;
        return Ok(SsoSettings {
            sign_in: session.into(),
            selector: format!(" --sso-session {}", quoted(name)),
            start_url_setting: format!("sso_start_url in [sso-session {name}]"),
        });
    }
    let selector = context
        .global()
        .profile
        .as_ref()
        .map(|name| format!(" --profile {}", quoted(name)))
        .unwrap_or_default();
    let profile = match context.config().sso_profile(context.profile_name()) {
        Ok(profile) => profile,
        // The default profile need not exist (a named one must: the context checked that).
        Err(ProfileError::ProfileNotFound { .. }) => {
            return Err(legacy_missing("sso_start_url, sso_region"));
        }
        Err(error) => return Err(profile_error(error)),
    };
    let start_url_setting = match profile.sign_in.session_name() {
        Some(name) => format!("sso_start_url in [sso-session {name}]"),
        None => format!("sso_start_url in {}", context.profile_section()),
    };
    Ok(SsoSettings {
        sign_in: profile.sign_in,
        selector,
        start_url_setting,
    })
}

/// The AWS CLI's words for a profile or session that cannot be used.
fn profile_error(error: ProfileError) -> CliError {
    match error {
        ProfileError::SsoSessionNotFound { session, .. } => CliError::failure(format!(
            "The specified sso-session does not exist: \"{session}\""
        )),
        ProfileError::MissingSettings {
            section: Section::SsoSession(name),
            keys,
        } => CliError::failure(format!(
            "Missing the following required SSO configuration values: {}. \
             Add them to [sso-session {name}] in the AWS config file.",
            keys.join(", ")
        )),
        ProfileError::NoSignIn { keys, .. } => legacy_missing(&keys.join(", ")),
        // botocore's words (its SSO credential provider refuses such a profile).
        ProfileError::Inconsistent {
            key,
            profile,
            session,
            profile_value,
            session_value,
        } => CliError::failure(match (profile_value, session_value) {
            (Some(in_profile), Some(in_session)) => format!(
                "The value for {key} is inconsistent between profile ({in_profile}) and sso-session ({in_session})."
            ),
            _ => format!(
                "The value for {key} is inconsistent between {} and {}.",
                Section::profile(profile),
                Section::sso_session(session)
            ),
        }),
        other => CliError::failure(format!("Invalid SSO configuration: {other}")),
    }
}

/// A profile without an `sso_session` that lacks `missing` too: the AWS CLI's words, and then
/// ours where it says `aws configure sso`.
fn legacy_missing(missing: &str) -> CliError {
    CliError::failure(format!(
        "Missing the following required SSO configuration values: {missing}. \
         To make sure this profile is properly configured to use SSO, add them to \
         it in the AWS config file (or sso_session, naming an [sso-session] \
         section), or sign in without a profile: \
         sso-oidc login --start-url URL --region REGION"
    ))
}

/// `value` as a POSIX shell reads it back: as it is when nothing in it is special, else in
/// quotes.
pub(crate) fn quoted(value: &str) -> std::borrow::Cow<'_, str> {
    // Only a NUL byte cannot be quoted, and no argument can hold one.
    shlex::try_quote(value).unwrap_or(std::borrow::Cow::Borrowed(value))
}

/// The cache folder: `--cache-dir` (a leading `~` is the home folder), else
/// `~/.aws/sso/cache`.
///
/// # Errors
/// No `--cache-dir` and no home folder.
pub(crate) fn cache_dir(args: &CacheArgs, env: &Env) -> Result<CacheDir, CliError> {
    match &args.cache_dir {
        Some(path) => Ok(CacheDir::new(expand(path, env))),
        // Where export-credentials and the library look for it.
        None => AwsPaths::from_environment(env.environment())
            .map(|paths| CacheDir::new(paths.token_cache))
            .map_err(|_| {
                CliError::failure(
                    "Unable to find the home folder for the SSO cache (~/.aws/sso/cache): set HOME or pass --cache-dir",
                )
            }),
    }
}

/// `path` with a leading `~` replaced by the home folder.
fn expand(path: &Path, env: &Env) -> std::path::PathBuf {
    match path.to_str() {
        Some(text) => env.expand(text),
        None => path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;
    use sso_oidc::registration_file_name;

    const FILE: &str = "\
[default]
sso_session = main

[profile legacy]
sso_start_url = https://d-1111111111.awsapps.com/start
sso_region = eu-west-1
region = us-west-2

[profile half]
sso_region = eu-west-1

[profile dangling]
sso_session = nope

[sso-session main]
sso_start_url = https://d-2222222222.awsapps.com/start
sso_region = us-east-2
sso_registration_scopes = sso:account:access, ,extra:scope

[sso-session bare]
sso_start_url = https://d-3333333333.awsapps.com/start

[profile odd one]
sso_start_url = http://[::1
sso_region = eu-west-1

[profile clash]
sso_session = main
sso_region = eu-west-1
";

    fn run(argv: &[&str], env: &[(&str, &str)]) -> Result<SsoSettings, CliError> {
        let mut full = vec!["sso-oidc"];
        full.extend_from_slice(argv);
        let cli = crate::args::Cli::parse_from(full);
        let Some(crate::args::Command::Token(args)) = cli.command else {
            panic!("not the token command");
        };
        static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("sso-oidc-session-{}-{call}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("config");
        std::fs::write(&path, FILE).unwrap();
        let mut vars = vec![("AWS_CONFIG_FILE", path.to_str().unwrap())];
        vars.extend_from_slice(env);
        let context = Context::load(cli.global, Env::of(&vars))?;
        let resolved = resolve(&args.session, &context);
        let _ = std::fs::remove_dir_all(&dir);
        resolved
    }

    #[test]
    fn the_profile_names_a_session() {
        let settings = run(&["token"], &[]).unwrap();
        assert_eq!(settings.sign_in.session_name(), Some("main"));
        assert_eq!(
            settings.sign_in.start_url(),
            "https://d-2222222222.awsapps.com/start"
        );
        assert_eq!(settings.sign_in.sso_region(), "us-east-2");
        assert_eq!(
            settings.sign_in.registration_scopes(),
            Some(&["sso:account:access".to_owned(), "extra:scope".to_owned()][..])
        );
        assert_eq!(settings.cache_key(), "main");
        assert_eq!(settings.login_command(), "sso-oidc login");
        assert_eq!(
            settings.registration_file_name(),
            registration_file_name(
                "https://d-2222222222.awsapps.com/start",
                "us-east-2",
                Some(&["sso:account:access".into(), "extra:scope".into()]),
                Some("main")
            )
        );
    }

    #[test]
    fn a_legacy_profile_is_keyed_by_its_start_url() {
        let settings = run(&["token", "--profile", "legacy"], &[]).unwrap();
        assert_eq!(settings.sign_in.session_name(), None);
        assert_eq!(
            settings.sign_in.sso_region(),
            "eu-west-1",
            "sso_region, not region"
        );
        assert_eq!(
            settings.cache_key(),
            "https://d-1111111111.awsapps.com/start"
        );
        assert_eq!(settings.sign_in.registration_scopes(), None);
        assert_eq!(settings.login_command(), "sso-oidc login --profile legacy");
    }

    #[test]
    fn sso_session_and_start_url_options() {
        let settings = run(
            &["token", "--sso-session", "main", "--profile", "legacy"],
            &[],
        );
        assert_eq!(settings.unwrap().sign_in.session_name(), Some("main"));
        let settings = run(
            &["token", "--start-url", "https://x.example/start"],
            &[("AWS_REGION", "ap-south-1")],
        )
        .unwrap();
        assert_eq!(settings.sign_in.sso_region(), "ap-south-1");
        assert_eq!(settings.cache_key(), "https://x.example/start");
        assert_eq!(
            settings.login_command(),
            "sso-oidc login --start-url https://x.example/start --region ap-south-1"
        );
        let error = run(&["token", "--start-url", "https://x.example/start"], &[]).unwrap_err();
        assert!(error.message().contains("--region"), "{}", error.message());
    }

    #[test]
    fn hints_quote_for_the_shell_and_start_urls_are_named_as_given() {
        let odd = run(&["token", "--profile", "odd one"], &[]).unwrap();
        assert_eq!(odd.login_command(), "sso-oidc login --profile 'odd one'");
        assert_eq!(odd.start_url_setting, "sso_start_url in [profile odd one]");
        let given = run(
            &["token", "--start-url", "https://x.example/s?a=1&b=2"],
            &[("AWS_REGION", "eu-west-1")],
        )
        .unwrap();
        assert_eq!(
            given.login_command(),
            "sso-oidc login --start-url 'https://x.example/s?a=1&b=2' --region eu-west-1"
        );
        assert_eq!(given.start_url_setting, "--start-url");
        let session = run(&["token"], &[]).unwrap();
        assert_eq!(
            session.start_url_setting,
            "sso_start_url in [sso-session main]"
        );
        let legacy = run(&["token", "--profile", "legacy"], &[]).unwrap();
        assert_eq!(
            legacy.start_url_setting,
            "sso_start_url in [profile legacy]"
        );
        assert_eq!(quoted("it's"), r#""it's""#);
    }

    #[test]
    fn missing_settings_are_named_as_the_aws_cli_names_them() {
        let error = run(&["token", "--sso-session", "other"], &[]).unwrap_err();
        assert_eq!(
            error.message(),
            "The specified sso-session does not exist: \"other\""
        );
        let error = run(&["token", "--profile", "dangling"], &[]).unwrap_err();
        assert_eq!(
            error.message(),
            "The specified sso-session does not exist: \"nope\""
        );
        let error = run(&["token", "--sso-session", "bare"], &[]).unwrap_err();
        assert_eq!(
            error.message(),
            "Missing the following required SSO configuration values: sso_region. \
             Add them to [sso-session bare] in the AWS config file."
        );
        let error = run(&["token", "--profile", "half"], &[]).unwrap_err();
        assert!(
            error
                .message()
                .starts_with("Missing the following required SSO configuration values: sso_start_url. To make sure"),
            "{}",
            error.message()
        );
        assert!(
            error.message().ends_with(
                "sign in without a profile: sso-oidc login --start-url URL --region REGION"
            ),
            "{}",
            error.message()
        );
        assert!(
            !error.message().contains("aws configure"),
            "{}",
            error.message()
        );
        assert_eq!(error.code(), crate::error::FAILURE);
        let error = run(&["token", "--profile", "clash"], &[]).unwrap_err();
        assert_eq!(
            error.message(),
            "The value for sso_region is inconsistent between profile (eu-west-1) and sso-session (us-east-2)."
        );
        // The default profile need not exist; it then has nothing to sign in with.
        let error = run(&["token"], &[("AWS_CONFIG_FILE", "/no/such/config")]).unwrap_err();
        assert!(
            error.message().starts_with(
                "Missing the following required SSO configuration values: sso_start_url, sso_region. To make sure"
            ),
            "{}",
            error.message()
        );
    }

    #[test]
    fn cache_folder_default_and_tilde() {
        let env = Env::of(&[("HOME", "/home/me")]);
        let none = CacheArgs { cache_dir: None };
        assert_eq!(
            cache_dir(&none, &env).unwrap().path(),
            Path::new("/home/me/.aws/sso/cache")
        );
        let tilde = CacheArgs {
            cache_dir: Some("~/c".into()),
        };
        assert_eq!(
            cache_dir(&tilde, &env).unwrap().path(),
            Path::new("/home/me/c")
        );
        assert!(cache_dir(&none, &Env::of(&[])).is_err());
    }
}
