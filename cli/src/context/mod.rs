//! One resolved invocation: the global options, the environment snapshot, the config file and
//! the profile, and every setting read from them in the AWS CLI's order (the command line,
//! then the environment, then the profile, then the default).
//!
//! - [`env`](mod@env): the environment, read once; the transport gets the same snapshot.
//! - [`config_file`]: the AWS config file, as the core parses it, with the command line's
//!   words for its errors.
//! - [`endpoint`]: the region and the endpoints (SSO OIDC's, the portal's), resolved in one
//!   place for every command.
//! - [`sso`]: which IAM Identity Center instance a sign-in is for, and the cache folder.
//! - [`credentials_cache`]: the AWS CLI's credential cache folder (`~/.aws/cli/cache`).

mod config_file;
mod credentials_cache;
mod endpoint;
mod env;
mod sso;

pub(crate) use config_file::{read_text, write_text};
pub(crate) use credentials_cache::credentials_cache_dir;
pub(crate) use endpoint::is_region;
pub(crate) use env::Env;
pub(crate) use sso::{SsoSettings, cache_dir, quoted};
pub(crate) use sso_oidc::config::{ConfigFile, Settings};

use std::path::{Path, PathBuf};
use std::time::Duration;

use sso_oidc::{Endpoint, RetryPolicy};
use sso_oidc_cli_output::Format;

use crate::args::GlobalArgs;
use crate::error::CliError;

/// What a command runs with: the global options, the environment, the config file and the
/// profile.
#[derive(Debug)]
pub(crate) struct Context {
    global: GlobalArgs,
    env: Env,
    config: ConfigFile,
    /// Where the config file is (whether or not there is one).
    config_path: PathBuf,
    /// The profile's name (`default` when none was asked for).
    profile_name: String,
    /// Whether the profile was asked for by name (the command line or the environment).
    profile_named: bool,
    /// The profile's settings (empty when the file has no such profile).
    profile: Settings,
}

impl Context {
    /// Reads the config file and picks the profile: `--profile`, `AWS_PROFILE`,
    /// `AWS_DEFAULT_PROFILE`, else `default`.
    ///
    /// # Errors
    /// A config file that cannot be read or parsed; a profile named on the command line or in
    /// the environment that the file does not have (the AWS CLI's "The config profile (NAME)
    /// could not be found").
    pub(crate) fn load(global: GlobalArgs, env: Env) -> Result<Self, CliError> {
        Self::load_with(global, env, true)
    }

    /// As [`load`](Self::load), for a command that writes the profile (`configure sso`): a
    /// profile named that the file does not have yet is taken as empty.
    ///
    /// # Errors
    /// A config file that cannot be read or parsed.
    pub(crate) fn load_to_write(global: GlobalArgs, env: Env) -> Result<Self, CliError> {
        Self::load_with(global, env, false)
    }

    fn load_with(global: GlobalArgs, env: Env, must_exist: bool) -> Result<Self, CliError> {
        let path = env.get("AWS_CONFIG_FILE").map_or_else(
            || env.home().unwrap_or_default().join(".aws").join("config"),
            |p| env.expand(p),
        );
        let config = config_file::load(&path)?;
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
            (None, Some(name)) if must_exist && name != "default" => {
                return Err(CliError::failure(format!(
                    "The config profile ({name}) could not be found"
                )));
            }
            (None, _) => Settings::new(),
        };
        Ok(Self {
            global,
            env,
            config,
            config_path: path,
            profile_named: named.is_some(),
            profile_name: named.unwrap_or_else(|| "default".to_owned()),
            profile,
        })
    }

    /// A context that reads no config file: for what the file plays no part in (the
    /// emulator, a skeleton).
    pub(crate) fn without_config(global: GlobalArgs, env: Env) -> Self {
        Self {
            global,
            env,
            config: ConfigFile::default(),
            config_path: PathBuf::new(),
            profile_name: "default".to_owned(),
            profile_named: false,
            profile: Settings::new(),
        }
    }

    /// The global options.
    pub(crate) fn global(&self) -> &GlobalArgs {
        &self.global
    }

    /// The environment.
    pub(crate) fn env(&self) -> &Env {
        &self.env
    }

    /// The whole config file.
    pub(crate) fn config(&self) -> &ConfigFile {
        &self.config
    }

    /// Where the config file is: `AWS_CONFIG_FILE`, else `~/.aws/config` (empty for a
    /// context without one).
    pub(crate) fn config_path(&self) -> &Path {
        &self.config_path
    }

    /// The profile's name (`default` when none was asked for).
    pub(crate) fn profile_name(&self) -> &str {
        &self.profile_name
    }

    /// The profile's name when one was asked for (`--profile`, `AWS_PROFILE`,
    /// `AWS_DEFAULT_PROFILE`).
    pub(crate) fn named_profile(&self) -> Option<&str> {
        self.profile_named.then_some(self.profile_name.as_str())
    }

    /// The profile's settings (empty when the file has no such profile).
    pub(crate) fn profile(&self) -> &Settings {
        &self.profile
    }

    /// The profile's section as the config file heads it: `[default]`, `[profile NAME]`.
    pub(crate) fn profile_section(&self) -> String {
        match self.profile_name.as_str() {
            "default" => "[default]".to_owned(),
            name => format!("[profile {name}]"),
        }
    }

    /// A setting of the profile, when set and not blank.
    pub(crate) fn setting(&self, key: &str) -> Option<&str> {
        self.profile
            .get(key)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// The output format: `--output`, `AWS_DEFAULT_OUTPUT`, the profile's `output`, json.
    ///
    /// # Errors
    /// A format from the environment or the profile that is not json, text or table.
    pub(crate) fn output(&self) -> Result<Format, CliError> {
        if let Some(format) = self.global.output {
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
    pub(crate) fn client(&self, endpoint: Endpoint) -> Result<sso_oidc_ureq::Client, CliError> {
        self.builder()
            .endpoint(endpoint)
            .build()
            .map_err(CliError::failure)
    }

    /// A client for the SSO portal's calls, which name their URL themselves: as
    /// [`client`](Self::client), without an SSO OIDC endpoint, and with the
    /// [retry policy](Self::retry_policy) for the calls it makes itself
    /// ([`Settings::call_for`](sso_oidc_transport::Settings::call_for),
    /// `profile_credentials`).
    ///
    /// # Errors
    /// As [`client`](Self::client) and [`retry_policy`](Self::retry_policy).
    pub(crate) fn portal_client(&self) -> Result<sso_oidc_ureq::Client, CliError> {
        self.builder()
            .retry_policy(self.retry_policy()?)
            .build()
            .map_err(CliError::failure)
    }

    /// A client for the transport's own portal calls (`list_accounts_all`, ...) at `portal`:
    /// [`portal_client`](Self::portal_client)'s settings with that portal endpoint.
    ///
    /// # Errors
    /// As [`portal_client`](Self::portal_client).
    pub(crate) fn portal_client_at(
        &self,
        portal: sso_oidc::portal::Endpoint,
    ) -> Result<sso_oidc_ureq::Client, CliError> {
        self.builder()
            .portal_endpoint(portal)
            .retry_policy(self.retry_policy()?)
            .build()
            .map_err(CliError::failure)
    }

    /// A client builder with the connection settings.
    fn builder(&self) -> sso_oidc_ureq::ClientBuilder {
        let global = &self.global;
        let mut builder = sso_oidc_ureq::Client::builder()
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
        builder
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
    use super::endpoint::NO_REGION;
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
        let context = Context::load(global(args), Env::of(&vars));
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
        let env = [("AWS_REGION", "ca-central-1")];
        let c = context(&["--region", "ap-south-1"], &env, FILE).unwrap();
        assert_eq!(c.region(), Some("ap-south-1"));
        let c = context(&[], &env, FILE).unwrap();
        assert_eq!(c.region(), Some("ca-central-1"));
        let c = context(&[], &[("AWS_DEFAULT_REGION", "sa-east-1")], FILE).unwrap();
        assert_eq!(c.region(), Some("sa-east-1"));
        let c = context(&[], &[], FILE).unwrap();
        assert_eq!(c.region(), Some("eu-west-1"));
        let c = context(&[], &[], "").unwrap();
        assert_eq!(c.region(), None);
        assert_eq!(c.endpoint().unwrap_err().message(), NO_REGION);
    }

    #[test]
    fn endpoint_url_order() {
        let c = context(&["--profile", "dev"], &[], FILE).unwrap();
        assert_eq!(c.endpoint().unwrap().url(), "http://127.0.0.1:9");
        let c = context(&[], &[("AWS_ENDPOINT_URL", "http://127.0.0.1:2")], FILE).unwrap();
        assert_eq!(c.endpoint().unwrap().url(), "http://127.0.0.1:2");
        let both = [
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:2"),
            ("AWS_ENDPOINT_URL_SSO_OIDC", "http://127.0.0.1:3"),
        ];
        let c = context(&[], &both, FILE).unwrap();
        assert_eq!(c.endpoint().unwrap().url(), "http://127.0.0.1:3");
        let c = context(&["--endpoint-url", "http://127.0.0.1:4"], &both, FILE).unwrap();
        assert_eq!(c.endpoint().unwrap().url(), "http://127.0.0.1:4");
        let c = context(&[], &[], FILE).unwrap();
        assert_eq!(
            c.endpoint().unwrap().url(),
            "https://oidc.eu-west-1.amazonaws.com"
        );
        let c = context(&[], &[("AWS_USE_FIPS_ENDPOINT", "true")], FILE).unwrap();
        assert_eq!(
            c.endpoint().unwrap().url(),
            "https://oidc-fips.eu-west-1.amazonaws.com"
        );
    }

    #[test]
    fn one_resolver_for_every_region_fips_and_dual_stack_included() {
        // `login` and `token` ask for the IAM Identity Center instance's region; the same
        // settings apply as for the operations'.
        let fips = [("AWS_USE_FIPS_ENDPOINT", "true")];
        let c = context(&[], &fips, FILE).unwrap();
        assert_eq!(
            c.endpoint_in("us-east-2").unwrap().url(),
            "https://oidc-fips.us-east-2.amazonaws.com"
        );
        let file = "[default]\nuse_fips_endpoint = true\nuse_dualstack_endpoint = TRUE\n";
        let c = context(&[], &[], file).unwrap();
        assert_eq!(
            c.endpoint_in("eu-west-1").unwrap().url(),
            "https://oidc-fips.eu-west-1.api.aws"
        );
        let c = context(&["--profile", "dev"], &fips, FILE).unwrap();
        assert_eq!(
            c.endpoint_in("us-east-2").unwrap().url(),
            "http://127.0.0.1:9",
            "an endpoint URL wins over FIPS"
        );
    }

    #[test]
    fn the_portal_has_its_own_endpoint_settings() {
        let url = |c: &Context| c.portal_endpoint().unwrap().url().to_owned();
        // `sso_oidc` in the services section is SSO OIDC's alone.
        let dev = context(&["--profile", "dev"], &[], FILE).unwrap();
        assert_eq!(url(&dev), "https://portal.sso.us-west-2.amazonaws.com");
        assert_eq!(dev.endpoint().unwrap().url(), "http://127.0.0.1:9");
        // botocore's names for the service id `SSO`.
        let both = [
            ("AWS_ENDPOINT_URL_SSO", "http://127.0.0.1:5"),
            ("AWS_ENDPOINT_URL_SSO_OIDC", "http://127.0.0.1:3"),
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:2"),
        ];
        let c = context(&[], &both, FILE).unwrap();
        assert_eq!(url(&c), "http://127.0.0.1:5");
        assert_eq!(c.endpoint().unwrap().url(), "http://127.0.0.1:3");
        let c = context(&[], &both[2..], FILE).unwrap();
        assert_eq!(url(&c), "http://127.0.0.1:2");
        let c = context(&["--endpoint-url", "http://127.0.0.1:4"], &both, FILE).unwrap();
        assert_eq!(url(&c), "http://127.0.0.1:4");
        let file = "[default]\nregion = eu-west-1\nservices = s\nendpoint_url = http://127.0.0.1:8\n\
            [services s]\nsso =\n  endpoint_url = http://127.0.0.1:6\n";
        let c = context(&[], &[], file).unwrap();
        assert_eq!(url(&c), "http://127.0.0.1:6");
        assert_eq!(c.endpoint().unwrap().url(), "http://127.0.0.1:8");
        let ignore = [("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")];
        let c = context(&[], &ignore, file).unwrap();
        assert_eq!(url(&c), "https://portal.sso.eu-west-1.amazonaws.com");
        // The operations' region, FIPS and dual-stack, as for SSO OIDC.
        let c = context(
            &["--region", "us-east-2"],
            &[("AWS_USE_FIPS_ENDPOINT", "true")],
            FILE,
        );
        assert_eq!(
            url(&c.unwrap()),
            "https://portal.sso-fips.us-east-2.amazonaws.com"
        );
        let file = "[default]\nregion = eu-west-1\nuse_fips_endpoint = true\nuse_dualstack_endpoint = true\n";
        let c = context(&[], &[], file).unwrap();
        assert_eq!(url(&c), "https://portal.sso-fips.eu-west-1.api.aws");
        let c = context(&[], &[("AWS_USE_DUALSTACK_ENDPOINT", "true")], FILE).unwrap();
        assert_eq!(url(&c), "https://portal.sso.eu-west-1.api.aws");
        assert_eq!(
            c.portal_endpoint_in("cn-north-1").unwrap().url(),
            "https://portal.sso.cn-north-1.api.amazonwebservices.com.cn"
        );
        // No region, or one that is no DNS label: the AWS CLI's words.
        let c = context(&[], &[], "").unwrap();
        assert_eq!(c.portal_endpoint().unwrap_err().message(), NO_REGION);
        let c = context(
            &[
                "--region",
                "us east 1",
                "--endpoint-url",
                "http://127.0.0.1:4",
            ],
            &[],
            "",
        );
        assert_eq!(
            c.unwrap().portal_endpoint().unwrap_err().message(),
            "Provided region_name 'us east 1' doesn't match a supported format."
        );
    }

    #[test]
    fn regions_are_checked_even_with_an_endpoint_url() {
        let c = context(&["--endpoint-url", "http://127.0.0.1:4"], &[], FILE).unwrap();
        let error = c.endpoint_in("us east 1").unwrap_err();
        assert_eq!(
            error.message(),
            "Provided region_name 'us east 1' doesn't match a supported format."
        );
        let c = context(&["--region=x-"], &[], FILE).unwrap();
        assert!(c.endpoint().is_err());
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
        assert_eq!(c.output().unwrap(), Format::Table);
        let c = context(&["--output", "text"], &[], FILE).unwrap();
        assert_eq!(c.output().unwrap(), Format::Text);
        let c = context(&[], &[], FILE).unwrap();
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
                .output()
                .is_err()
        );
    }
}
