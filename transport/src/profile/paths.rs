//! Where the AWS CLI keeps its files, from the environment.

use std::path::PathBuf;

use crate::env::Environment;
use crate::profile::ProfileCredentialsError;

/// The files and folders the AWS CLI v2 and the SDKs share, and that a profile's credentials
/// are read from and cached in:
/// - the config file: `AWS_CONFIG_FILE` (a leading `~` is the home folder), else
///   `~/.aws/config`;
/// - the token cache: `~/.aws/sso/cache`, where `aws sso login` caches tokens;
/// - the credential cache: `~/.aws/cli/cache`, where AWS CLI v2 caches role credentials.
///
/// The home folder is `HOME`, else `USERPROFILE`.
///
/// ```
/// use sso_oidc_transport::{AwsPaths, Environment};
/// use std::path::Path;
///
/// let env = Environment::from_iter([("HOME", "/home/me"), ("AWS_CONFIG_FILE", "~/work/config")]);
/// let paths = AwsPaths::from_environment(&env)?;
/// assert_eq!(paths.config_file, Path::new("/home/me/work/config"));
/// assert_eq!(paths.token_cache, Path::new("/home/me/.aws/sso/cache"));
/// assert_eq!(paths.credential_cache, Path::new("/home/me/.aws/cli/cache"));
/// # Ok::<(), sso_oidc_transport::ProfileCredentialsError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct AwsPaths {
    /// The AWS config file.
    pub config_file: PathBuf,
    /// The folder of cached SSO tokens and client registrations.
    pub token_cache: PathBuf,
    /// The folder of cached role credentials.
    pub credential_cache: PathBuf,
}

impl AwsPaths {
    /// The paths the environment gives.
    ///
    /// # Errors
    /// [`ProfileCredentialsError::NoHome`] when neither `HOME` nor `USERPROFILE` is set.
    pub fn from_environment(env: &Environment) -> Result<Self, ProfileCredentialsError> {
        let aws = env
            .home()
            .ok_or(ProfileCredentialsError::NoHome)?
            .join(".aws");
        Ok(Self {
            config_file: env
                .get("AWS_CONFIG_FILE")
                .map_or_else(|| aws.join("config"), |path| env.expand(path)),
            token_cache: aws.join("sso").join("cache"),
            credential_cache: aws.join("cli").join("cache"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn home_from_userprofile_and_no_home_at_all() {
        let env = Environment::from_iter([("USERPROFILE", "/users/me")]);
        let paths = AwsPaths::from_environment(&env).unwrap();
        assert_eq!(paths.config_file, Path::new("/users/me/.aws/config"));
        let none = AwsPaths::from_environment(&Environment::from_iter([("HOME", " ")]));
        assert!(matches!(none, Err(ProfileCredentialsError::NoHome)));
    }

    #[test]
    fn only_a_leading_tilde_is_the_home() {
        let env = Environment::from_iter([("HOME", "/h")]);
        assert_eq!(env.expand("~"), Path::new("/h"));
        assert_eq!(env.expand("~/c"), Path::new("/h/c"));
        assert_eq!(env.expand("~other/c"), Path::new("~other/c"));
        assert_eq!(env.expand("/etc/aws"), Path::new("/etc/aws"));
        assert_eq!(Environment::default().expand("~/c"), Path::new("~/c"));
    }
}
