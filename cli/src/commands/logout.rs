//! `logout`: removes every cached access token, as `aws sso logout` does (its
//! `SSOTokenSweeper`): each file in the cache folder that holds a JSON object with an
//! `accessToken`, whoever wrote it. Client registrations, lock files and anything that cannot
//! be read as JSON stay. Like `aws sso logout`, it prints nothing.
//!
//! Not done: `aws sso logout` also calls the SSO portal's `Logout` to revoke each token first,
//! and clears the AWS credentials it cached from them (`~/.aws/cli/cache`); neither the portal
//! service nor those credentials are part of this tool.

use std::fs;
use std::io;
use std::path::Path;

use crate::args::LogoutArgs;
use crate::context::Env;
use crate::context::cache_dir;
use crate::error::CliError;

/// Runs `logout`.
///
/// # Errors
/// A cache folder that cannot be listed, or a token file that cannot be removed.
pub(crate) fn logout(args: &LogoutArgs, env: &Env) -> Result<(), CliError> {
    let cache = cache_dir(&args.cache, env)?;
    sweep(cache.path()).map(|_| ())
}

/// Removes the token files in `folder`; how many. A folder that does not exist has none.
fn sweep(folder: &Path) -> Result<usize, CliError> {
    let entries = match fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            return Ok(0);
        }
        Err(e) => {
            return Err(CliError::failure(format!(
                "Unable to list the SSO token cache {}: {e}",
                folder.display()
            )));
        }
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        if !path.is_file() || !holds_token(&path) {
            continue;
        }
        match fs::remove_file(&path) {
            Ok(()) => removed += 1,
            // Another logout got there first.
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(CliError::failure(format!(
                    "Unable to remove the cached token {}: {e}",
                    path.display()
                )));
            }
        }
    }
    Ok(removed)
}

/// Whether the file is a JSON object with an `accessToken` (the AWS CLI's test, key case
/// included). What cannot be read is left alone, and what is read is not shown: it may hold
/// secrets.
fn holds_token(path: &Path) -> bool {
    fs::read(path)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
        .is_some_and(|value| value.get("accessToken").is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_token_files_go() {
        let folder = std::env::temp_dir().join(format!("sso-oidc-logout-{}", std::process::id()));
        let _ = fs::remove_dir_all(&folder);
        fs::create_dir_all(folder.join("sub.json")).unwrap();
        let files = [
            (
                "token.json",
                r#"{"accessToken": "a", "expiresAt": "x"}"#,
                false,
            ),
            ("other-tool", r#"{"accessToken": null}"#, false),
            ("registration.json", r#"{"clientId": "c"}"#, true),
            ("lower.json", r#"{"accesstoken": "a"}"#, true),
            ("list.json", r#"[{"accessToken": "a"}]"#, true),
            ("broken.json", r#"{"accessToken": "#, true),
            ("token.json.lock", "", true),
        ];
        for (name, text, _) in files {
            fs::write(folder.join(name), text).unwrap();
        }
        assert_eq!(sweep(&folder).unwrap(), 2);
        for (name, _, stays) in files {
            assert_eq!(folder.join(name).exists(), stays, "{name}");
        }
        assert!(folder.join("sub.json").is_dir());
        assert_eq!(sweep(&folder).unwrap(), 0);
        fs::remove_dir_all(&folder).unwrap();
        assert_eq!(sweep(&folder).unwrap(), 0, "no folder, nothing to do");
    }
}
