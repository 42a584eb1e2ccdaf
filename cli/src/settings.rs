//! Where each setting comes from, in the AWS CLI's order: the command line, then the
//! environment, then the profile in the config file, then the default.

use std::path::PathBuf;
use std::time::Duration;

use sso_oidc::{Endpoint, RetryPolicy};
use sso_oidc_cli_output::Format;
use sso_oidc_ureq::Environment;

use crate::args::GlobalArgs;
use crate::config::{ConfigFile, Settings, nested};
use crate::error::CliError;

/// The AWS CLI's message when no region is set anywhere.
pub(crate) const NO_REGION: &str =
    "You must specify a region. You can also configure your region by running \"aws configure\".";

/// The environment, read once at start (tests pass their own): the same snapshot the
/// transport reads its CA bundle and proxies from.
#[derive(Clone, Default)]
pub(crate) struct Env {
    vars: Environment,
}

impl std::fmt::Debug for Env {
    /// The variables' names only: values such as `AWS_SECRET_ACCESS_KEY`'s are secrets.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.vars.fmt(f)
    }
}

impl Env {
    /// The process's environment.
    pub(crate) fn from_process() -> Self {
        Self {
            vars: Environment::from_process(),
        }
    }

    /// An environment with just these variables.
    #[cfg(test)]
    pub(crate) fn of(vars: &[(&str, &str)]) -> Self {
        Self {
            vars: vars.iter().copied().collect(),
        }
    }

    /// A variable's value, when set and not blank.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name)
    }

    /// The snapshot, for the transport.
    pub(crate) fn environment(&self) -> &Environment {
        &self.vars
    }

    /// The home folder (`HOME`, or `USERPROFILE` on Windows).
    pub(crate) fn home(&self) -> Option<PathBuf> {
        self.get("HOME")
            .or_else(|| self.get("USERPROFILE"))
            .map(PathBuf::from)
    }

    /// `path` with a leading `~` replaced by the home folder.
    pub(crate) fn expand(&self, path: &str) -> PathBuf {
        match (path.strip_prefix('~'), self.home()) {
            (Some(rest), Some(home)) if rest.is_empty() || rest.starts_with(['/', '\\']) => {
                home.join(rest.trim_start_matches(['/', '\\']))
            }
            _ => PathBuf::from(path),
        }
    }
}

/// The settings a command runs with: the environment, the config file and the profile.
#[derive(Debug)]
pub(crate) struct Context {
    /// The environment.
    pub(crate) env: Env,
    /// The whole config file.
    pub(crate) config: ConfigFile,
    /// The profile's settings (empty when the file has no such profile and none was asked
    /// for by name).
    pub(crate) profile: Settings,
}

impl Context {
    /// Reads the config file and picks the profile: `--profile`, `AWS_PROFILE`,
    /// `AWS_DEFAULT_PROFILE`, else `default`.
    ///
    /// # Errors
    /// A config file that cannot be read or parsed; a profile named on the command line or in
    /// the environment that the file does not have (the AWS CLI's "The config profile (NAME)
    /// could not be found").
    pub(crate) fn load(global: &GlobalArgs, env: Env) -> Result<Self, CliError> {
        let path = env.get("AWS_CONFIG_FILE").map_or_else(
            || env.home().unwrap_or_default().join(".aws").join("config"),
            |p| env.expand(p),
        );
        let config = ConfigFile::load(&path).map_err(CliError::failure)?;
        let named = global
            .profile
            .clone()
            .or_else(|| env.get("AWS_PROFILE").map(str::to_owned))
            .or_else(|| env.get("AWS_DEFAULT_PROFILE").map(str::to_owned));
        let profile = match (
            config.profile(named.as_deref().unwrap_or("default")),
            &named,
        ) {
            (Some(settings), _) => settings.clone(),
            (None, Some(name)) if name != "default" => {
                return Err(CliError::failure(format!(
                    "The config profile ({name}) could not be found"
                )));
            }
            (None, _) => Settings::new(),
        };
        Ok(Self {
            env,
            config,
            profile,
        })
    }

    /// A setting of the profile.
    pub(crate) fn setting(&self, key: &str) -> Option<&str> {
        self.profile
            .get(key)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// The region: `--region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`.
    pub(crate) fn region(&self, global: &GlobalArgs) -> Option<String> {
        global
            .region
            .as_deref()
            .or_else(|| self.env.get("AWS_REGION"))
            .or_else(|| self.env.get("AWS_DEFAULT_REGION"))
            .or_else(|| self.setting("region"))
            .map(str::to_owned)
    }

    /// The endpoint URL set for this service, if any: `--endpoint-url`,
    /// `AWS_ENDPOINT_URL_SSO_OIDC`, `AWS_ENDPOINT_URL`, then the profile's `services` section
    /// (`sso_oidc = endpoint_url = ...`) and `endpoint_url`, unless
    /// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` or `ignore_configured_endpoint_urls` is true.
    pub(crate) fn endpoint_url(&self, global: &GlobalArgs) -> Option<String> {
        if let Some(url) = &global.endpoint_url {
            return Some(url.clone());
        }
        let ignore = self
            .env
            .get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
            .or_else(|| self.setting("ignore_configured_endpoint_urls"))
            .is_some_and(|v| v.eq_ignore_ascii_case("true"));
        if ignore {
            return None;
        }
        let from_services = || {
            let section = self.config.services(self.setting("services")?)?;
            nested(section.get("sso_oidc")?, "endpoint_url").map(str::to_owned)
        };
        self.env
            .get("AWS_ENDPOINT_URL_SSO_OIDC")
            .or_else(|| self.env.get("AWS_ENDPOINT_URL"))
            .map(str::to_owned)
            .or_else(from_services)
            .or_else(|| self.setting("endpoint_url").map(str::to_owned))
    }

    /// The endpoint: the URL set for the service, else the region's (with FIPS and dual-stack
    /// from `AWS_USE_FIPS_ENDPOINT`/`use_fips_endpoint` and
    /// `AWS_USE_DUALSTACK_ENDPOINT`/`use_dualstack_endpoint`).
    ///
    /// # Errors
    /// No region (the AWS CLI's "You must specify a region."), or one the resolver rejects.
    pub(crate) fn endpoint(&self, global: &GlobalArgs) -> Result<Endpoint, CliError> {
        // The AWS CLI asks for a region even with an endpoint URL.
        let region = self
            .region(global)
            .ok_or_else(|| CliError::bare(NO_REGION))?;
        if let Some(url) = self.endpoint_url(global) {
            return Endpoint::from_url(&url)
                .map_err(|e| CliError::failure(format!("Invalid endpoint: {url} ({e})")));
        }
        let flag = |env: &str, key: &str| {
            self.env
                .get(env)
                .or_else(|| self.setting(key))
                .is_some_and(|v| v.eq_ignore_ascii_case("true"))
        };
        Endpoint::builder()
            .region(region.clone())
            .use_fips(flag("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint"))
            .use_dual_stack(flag("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint"))
            .build()
            .map_err(|e| CliError::failure(format!("Invalid region: {region} ({e})")))
    }

    /// The output format: `--output`, `AWS_DEFAULT_OUTPUT`, the profile's `output`, json.
    ///
    /// # Errors
    /// A format from the environment or the profile that is not json, text or table.
    pub(crate) fn output(&self, global: &GlobalArgs) -> Result<Format, CliError> {
        if let Some(format) = global.output {
            return Ok(format);
        }
        match self
            .env
            .get("AWS_DEFAULT_OUTPUT")
            .or_else(|| self.setting("output"))
        {
            None => Ok(Format::Json),
            Some(name) => name.parse().map_err(CliError::failure),
        }
    }

    /// The retry policy: `AWS_RETRY_MODE` or the profile's `retry_mode` (`standard`, the
    /// default, as AWS CLI v2; `legacy`; `adaptive` is taken as `standard`), and
    /// `AWS_MAX_ATTEMPTS` or the profile's `max_attempts`.
    ///
    /// # Errors
    /// A mode or a number of attempts that cannot be read.
    pub(crate) fn retry_policy(&self) -> Result<RetryPolicy, CliError> {
        let mode = self
            .env
            .get("AWS_RETRY_MODE")
            .or_else(|| self.setting("retry_mode"));
        let policy = match mode.map(str::to_ascii_lowercase).as_deref() {
            None | Some("standard" | "adaptive") => RetryPolicy::standard(),
            Some("legacy") => RetryPolicy::legacy(),
            Some(other) => {
                return Err(CliError::failure(format!(
                    "Invalid value for retry_mode: {other}; valid values are legacy, standard and adaptive"
                )));
            }
        };
        match self
            .env
            .get("AWS_MAX_ATTEMPTS")
            .or_else(|| self.setting("max_attempts"))
        {
            None => Ok(policy),
            Some(text) => text
                .parse::<u32>()
                .ok()
                .filter(|n| *n > 0)
                .map(|n| policy.with_max_attempts(n))
                .ok_or_else(|| {
                    CliError::failure(format!(
                        "Invalid value for max_attempts: {text}; it must be a whole number above 0"
                    ))
                }),
        }
    }

    /// A client for `endpoint` with the connection settings: `--ca-bundle` (else the
    /// profile's `ca_bundle`; `AWS_CA_BUNDLE` is the transport's own fallback),
    /// `--no-verify-ssl`, `--cli-connect-timeout`, `--cli-read-timeout`.
    ///
    /// # Errors
    /// A CA bundle that cannot be read, or a bad proxy setting.
    pub(crate) fn client(
        &self,
        global: &GlobalArgs,
        endpoint: Endpoint,
    ) -> Result<sso_oidc_ureq::Client, CliError> {
        let mut builder = sso_oidc_ureq::Client::builder()
            .endpoint(endpoint)
            .environment(self.env.environment().clone())
            .user_agent(concat!("sso-oidc-cli/", env!("CARGO_PKG_VERSION")));
        if let Some(seconds) = global.cli_connect_timeout {
            builder = builder.connect_timeout(timeout(seconds));
        }
        if let Some(seconds) = global.cli_read_timeout {
            builder = builder.read_timeout(timeout(seconds));
        }
        let bundle = global
            .ca_bundle
            .clone()
            .or_else(|| self.setting("ca_bundle").map(|p| self.env.expand(p)));
        if let Some(path) = bundle {
            builder = builder.ca_bundle(path);
        }
        if global.no_verify_ssl {
            builder = builder.danger_accept_invalid_certs(true);
        }
        builder.build().map_err(CliError::failure)
    }
}

/// A timeout in seconds; 0 is "no limit", as in the AWS CLI (a day is as good as none here).
fn timeout(seconds: u64) -> Duration {
    if seconds == 0 {
        Duration::from_secs(24 * 60 * 60)
    } else {
        Duration::from_secs(seconds)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn global(args: &[&str]) -> GlobalArgs {
        let mut argv = vec!["sso-oidc"];
        argv.extend_from_slice(args);
        crate::args::Cli::parse_from(argv).global
    }

    fn context(args: &[&str], env: &[(&str, &str)], file: &str) -> Result<Context, CliError> {
        // One file per call: tests run in parallel, and a file rewritten under a reader is
        // read half written.
        static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("sso-oidc-settings-{}-{call}", std::process::id(),));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("config");
        std::fs::write(&path, file).unwrap();
        let mut vars = vec![("AWS_CONFIG_FILE", path.to_str().unwrap())];
        vars.extend_from_slice(env);
        let context = Context::load(&global(args), Env::of(&vars));
        let _ = std::fs::remove_dir_all(&dir);
        context
    }

    const FILE: &str = "[default]\nregion = eu-west-1\noutput = table\n\
        [profile dev]\nregion = us-west-2\nmax_attempts = 7\nretry_mode = legacy\n\
        services = local\n[services local]\nsso_oidc =\n  endpoint_url = http://127.0.0.1:9\n";

    #[test]
    fn debug_shows_names_not_values() {
        let env = Env::of(&[
            ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI"),
            ("HOME", "/home/me"),
        ]);
        assert_eq!(format!("{env:?}"), r#"{"AWS_SECRET_ACCESS_KEY", "HOME"}"#);
    }

    #[test]
    fn region_command_line_then_environment_then_profile() {
        let g = global(&["--region", "ap-south-1"]);
        let c = context(&[], &[("AWS_REGION", "ca-central-1")], FILE).unwrap();
        assert_eq!(c.region(&g).as_deref(), Some("ap-south-1"));
        assert_eq!(c.region(&global(&[])).as_deref(), Some("ca-central-1"));
        let c = context(&[], &[("AWS_DEFAULT_REGION", "sa-east-1")], FILE).unwrap();
        assert_eq!(c.region(&global(&[])).as_deref(), Some("sa-east-1"));
        let c = context(&[], &[], FILE).unwrap();
        assert_eq!(c.region(&global(&[])).as_deref(), Some("eu-west-1"));
        let c = context(&[], &[], "").unwrap();
        assert_eq!(c.region(&global(&[])), None);
        assert_eq!(c.endpoint(&global(&[])).unwrap_err().message(), NO_REGION);
    }

    #[test]
    fn endpoint_url_order() {
        let c = context(&["--profile", "dev"], &[], FILE).unwrap();
        let g = global(&["--profile", "dev"]);
        assert_eq!(c.endpoint(&g).unwrap().url(), "http://127.0.0.1:9");
        let c = context(&[], &[("AWS_ENDPOINT_URL", "http://127.0.0.1:2")], FILE).unwrap();
        assert_eq!(
            c.endpoint(&global(&[])).unwrap().url(),
            "http://127.0.0.1:2"
        );
        let c = context(
            &[],
            &[
                ("AWS_ENDPOINT_URL", "http://127.0.0.1:2"),
                ("AWS_ENDPOINT_URL_SSO_OIDC", "http://127.0.0.1:3"),
            ],
            FILE,
        )
        .unwrap();
        assert_eq!(
            c.endpoint(&global(&[])).unwrap().url(),
            "http://127.0.0.1:3"
        );
        let g = global(&["--endpoint-url", "http://127.0.0.1:4"]);
        assert_eq!(c.endpoint(&g).unwrap().url(), "http://127.0.0.1:4");
        let c = context(&[], &[], FILE).unwrap();
        assert_eq!(
            c.endpoint(&global(&[])).unwrap().url(),
            "https://oidc.eu-west-1.amazonaws.com"
        );
        let c = context(&[], &[("AWS_USE_FIPS_ENDPOINT", "true")], FILE).unwrap();
        assert_eq!(
            c.endpoint(&global(&[])).unwrap().url(),
            "https://oidc-fips.eu-west-1.amazonaws.com"
        );
    }

    #[test]
    fn profiles_named_must_exist() {
        let error = context(&["--profile", "nope"], &[], FILE).unwrap_err();
        assert_eq!(
            error.message(),
            "The config profile (nope) could not be found"
        );
        assert_eq!(error.code(), 255);
        assert!(context(&[], &[("AWS_PROFILE", "nope")], FILE).is_err());
        assert!(context(&["--profile", "default"], &[], "").is_ok());
        let c = context(&[], &[("AWS_PROFILE", "dev")], FILE).unwrap();
        assert_eq!(c.setting("max_attempts"), Some("7"));
    }

    #[test]
    fn output_and_retries() {
        let c = context(&[], &[], FILE).unwrap();
        assert_eq!(c.output(&global(&[])).unwrap(), Format::Table);
        assert_eq!(
            c.output(&global(&["--output", "text"])).unwrap(),
            Format::Text
        );
        assert_eq!(c.retry_policy().unwrap(), RetryPolicy::standard());
        let dev = context(&["--profile", "dev"], &[], FILE).unwrap();
        assert_eq!(
            dev.retry_policy().unwrap(),
            RetryPolicy::legacy().with_max_attempts(7)
        );
        let env = context(&[], &[("AWS_MAX_ATTEMPTS", "1")], FILE).unwrap();
        assert_eq!(env.retry_policy().unwrap().max_attempts(), 1);
        assert!(
            context(&[], &[("AWS_MAX_ATTEMPTS", "x")], FILE)
                .unwrap()
                .retry_policy()
                .is_err()
        );
        assert!(
            context(&[], &[("AWS_DEFAULT_OUTPUT", "yaml")], FILE)
                .unwrap()
                .output(&global(&[]))
                .is_err()
        );
    }
}
