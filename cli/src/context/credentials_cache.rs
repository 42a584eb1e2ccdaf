//! The AWS CLI's credential cache folder, `~/.aws/cli/cache`: where AWS CLI v2 keeps the role
//! credentials it gets with an SSO token (beside its assume-role records), and where
//! `aws sso logout` clears them from.

use std::path::Path;

use sso_oidc::CacheDir;
use sso_oidc_transport::AwsPaths;

use crate::context::Env;
use crate::error::CliError;

/// The credential cache folder: `path` (a leading `~` is the home folder), else
/// `~/.aws/cli/cache` under the same home as the token cache's (the AWS CLI's
/// `os.path.expanduser`), as the transport's `AwsPaths` finds it for `export-credentials`.
///
/// # Errors
/// No `path` and no home folder.
pub(crate) fn credentials_cache_dir(path: Option<&Path>, env: &Env) -> Result<CacheDir, CliError> {
    match path {
        Some(path) => Ok(CacheDir::new(match path.to_str() {
            Some(text) => env.expand(text),
            None => path.to_owned(),
        })),
        // Where export-credentials and the library cache them.
        None => AwsPaths::from_environment(env.environment())
            .map(|paths| CacheDir::new(paths.credential_cache))
            .map_err(|_| {
                CliError::failure(
                    "Unable to find the home folder for the AWS CLI's credential cache \
                     (~/.aws/cli/cache): set HOME or pass --credentials-cache-dir",
                )
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_home_folders_cli_cache_unless_given() {
        let env = Env::of(&[("HOME", "/home/me")]);
        assert_eq!(
            credentials_cache_dir(None, &env).unwrap().path(),
            Path::new("/home/me/.aws/cli/cache")
        );
        assert_eq!(
            credentials_cache_dir(Some(Path::new("~/creds")), &env)
                .unwrap()
                .path(),
            Path::new("/home/me/creds")
        );
        assert_eq!(
            credentials_cache_dir(Some(Path::new("/x")), &Env::of(&[]))
                .unwrap()
                .path(),
            Path::new("/x")
        );
        let error = credentials_cache_dir(None, &Env::of(&[])).unwrap_err();
        assert!(error.message().contains("--credentials-cache-dir"));
    }
}
