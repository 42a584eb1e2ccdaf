//! The AWS config file (`~/.aws/config`): parsed as botocore parses it, profiles resolved as
//! botocore resolves them for SSO, and edited without losing a comment.
//!
//! - [`ConfigFile::parse`] reads the text ([`ConfigFile`] says exactly how); [`ConfigFile::profile`],
//!   [`sso_session`](ConfigFile::sso_session) and [`services`](ConfigFile::services) give a
//!   section's [`Settings`], and [`nested`] a value inside a nested setting.
//! - [`ConfigFile::sso_profile`] resolves a profile for SSO ([`SsoProfile`]): where it signs in
//!   ([`SignIn`]: its `sso-session`, or a legacy profile's own start URL and region), the names
//!   of its cache files, and the account and role it takes ([`SsoProfile::role`]).
//!   [`ConfigFile::resolve_sso_session`] resolves an `sso-session` alone. What is missing or
//!   contradictory is a [`ProfileError`] that names the section and the keys.
//! - [`ConfigFile::endpoint_settings`] says where a profile's SSO requests go
//!   ([`EndpointSettings`]: the endpoint URLs set for each [`Service`], FIPS, dual-stack).
//! - [`edit`] sets keys in a section of the text, as `aws configure sso` does, and leaves every
//!   other byte alone.
//! - With the `fs` feature: `ConfigFile::load` reads a file with a cap (`MAX_CONFIG_FILE`,
//!   4 MiB; a missing file is an empty configuration), and `read_file` and `write_file` read
//!   the text to edit and write it back atomically.
//!
//! Which file, and which profile, is the caller's choice: the AWS CLI takes `AWS_CONFIG_FILE`,
//! else `~/.aws/config`, and `--profile`, else `AWS_PROFILE`, else `default`. Nothing here
//! reads the environment.
//!
//! ```
//! use sso_oidc::config::{ConfigFile, SignIn};
//!
//! let config = ConfigFile::parse(
//!     "[profile dev]\n\
//!      sso_session = my-sso\n\
//!      sso_account_id = 111122223333\n\
//!      sso_role_name = ReadOnly\n\
//!      region = eu-west-1\n\
//!      \n\
//!      [sso-session my-sso]\n\
//!      sso_start_url = https://d-1234567890.awsapps.com/start\n\
//!      sso_region = us-east-1\n\
//!      sso_registration_scopes = sso:account:access\n",
//! )?;
//! let dev = config.sso_profile("dev")?;
//! let SignIn::SsoSession(session) = &dev.sign_in else { unreachable!() };
//! assert_eq!(session.start_url, "https://d-1234567890.awsapps.com/start");
//! assert_eq!(dev.sign_in.sso_region(), "us-east-1");
//! // The token is cached under the session's name, where `aws sso login` puts it.
//! assert_eq!(dev.sign_in.token_file_name(), sso_oidc::token_file_name("my-sso"));
//! let role = dev.role()?;
//! assert_eq!((role.account_id, role.role_name), ("111122223333", "ReadOnly"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod edit;
mod endpoints;
mod error;
mod file;
#[cfg(feature = "fs")]
mod fs;
mod profile;
mod profile_error;
mod scan;
mod section;
mod sign_in;

pub use edit::{EditError, edit};
pub use endpoints::{EndpointSettings, Service};
pub use error::{ConfigError, LineProblem};
pub use file::{ConfigFile, Settings, nested};
#[cfg(feature = "fs")]
pub use fs::{MAX_CONFIG_FILE, read_file, write_file};
pub use profile::{SsoProfile, SsoRole};
pub use profile_error::ProfileError;
pub use section::Section;
pub use sign_in::{SignIn, SsoSession};
