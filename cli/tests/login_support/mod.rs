//! What the `login`, `logout` and `token` tests share: a scratch home folder with a config
//! file, and the `sso-oidc` binary run in it with none of this machine's AWS settings.

#![allow(dead_code, unreachable_pub)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use sso_oidc::{CachedRegistration, CachedToken, Operation};
use sso_oidc_emulator::BlockingEmulator;

/// The start URL of the config file's `sso-session`.
pub const START_URL: &str = "https://d-1234567890.awsapps.com/start";
/// The session's name.
pub const SESSION: &str = "my-sso";
/// The session's region.
pub const SSO_REGION: &str = "us-east-1";
/// The session's registration scopes.
pub const SCOPES: &str = "sso:account:access";

/// A profile `dev` that names the session `my-sso`, and a legacy profile `legacy`.
pub const CONFIG: &str = "\
[profile dev]
sso_session = my-sso
sso_account_id = 111122223333
sso_role_name = Admin
region = eu-west-1

[profile legacy]
sso_start_url = https://d-1234567890.awsapps.com/start
sso_region = us-east-1

[sso-session my-sso]
sso_start_url = https://d-1234567890.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access
";

/// Longest any command may take; the sign-ins here take a second or two.
pub const TIMEOUT: Duration = Duration::from_secs(60);

/// A scratch home folder, removed when dropped, with `.aws/config` holding [`CONFIG`].
pub struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    /// A new home folder.
    pub fn new() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("sso-oidc-cli-test-")
            .tempdir()
            .unwrap();
        std::fs::create_dir_all(dir.path().join(".aws")).unwrap();
        std::fs::write(dir.path().join(".aws/config"), CONFIG).unwrap();
        Self { dir }
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The config file.
    pub fn config(&self) -> PathBuf {
        self.path().join(".aws/config")
    }

    /// The default cache folder, `~/.aws/sso/cache`.
    pub fn cache(&self) -> PathBuf {
        self.path().join(".aws/sso/cache")
    }

    /// `sso-oidc` with `args`, run with this home and config file, no display and no AWS
    /// settings of this machine.
    pub fn sso_oidc(&self, args: &[&str]) -> assert_cmd::Command {
        let mut command = assert_cmd::Command::from_std(self.std_command(args));
        command.timeout(TIMEOUT);
        command
    }

    /// The same, as a plain `std::process::Command` (for tests that signal it).
    pub fn std_command(&self, args: &[&str]) -> std::process::Command {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_sso-oidc"));
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("AWS_") {
                command.env_remove(key);
            }
        }
        command
            .args(args)
            .env("HOME", self.path())
            .env("AWS_CONFIG_FILE", self.config())
            .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
            .env_remove("USERPROFILE")
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .env("BROWSER", "none");
        command
    }

    /// The token file named after `name` (a session name or a start URL) in `cache`.
    pub fn token_in(cache: &Path, name: &str) -> Option<CachedToken> {
        let bytes = std::fs::read(cache.join(sso_oidc::token_file_name(name))).ok()?;
        Some(CachedToken::from_json(&bytes).unwrap())
    }

    /// The session's token file in the default cache folder.
    pub fn session_token(&self) -> Option<CachedToken> {
        Self::token_in(&self.cache(), SESSION)
    }

    /// The session's registration file in the default cache folder, named as the AWS CLI
    /// names it.
    pub fn session_registration(&self) -> Option<CachedRegistration> {
        let name = sso_oidc::registration_file_name(
            START_URL,
            SSO_REGION,
            Some(&[SCOPES.to_owned()]),
            Some(SESSION),
        );
        let bytes = std::fs::read(self.cache().join(name)).ok()?;
        Some(CachedRegistration::from_json(&bytes).unwrap())
    }
}

/// How many requests for `operation` the emulator has seen.
pub fn count(emulator: &BlockingEmulator, operation: Operation) -> usize {
    emulator
        .log()
        .iter()
        .filter(|request| request.operation == Some(operation))
        .count()
}

/// stdout and stderr of a finished command, as text.
pub fn text(output: &std::process::Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Every file in `folder` with its bytes, sorted by name; empty when there is no folder.
pub fn snapshot(folder: &Path) -> Vec<(String, Vec<u8>)> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).unwrap_or_default())
        })
        .collect();
    files.sort();
    files
}
