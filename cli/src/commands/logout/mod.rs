//! `logout`: signs out as `aws sso logout` (AWS CLI v2) does.
//!
//! 1. Each token file in the SSO cache folder (a JSON object with an `accessToken`, whoever
//!    wrote it: see [`token_files`]) is signed out at the SSO portal (its `Logout`) in the
//!    region its record names, then removed. A record without a `region` is removed without a
//!    call.
//! 2. The role credentials cached with SSO tokens (the records with `"ProviderType": "sso"` in
//!    `~/.aws/cli/cache`, or `--credentials-cache-dir`) are removed.
//!
//! Client registrations, lock files, other records and files that cannot be read stay. Like
//! `aws sso logout`, it prints nothing.
//!
//! Where it differs: the AWS CLI stops with a traceback when the portal cannot be reached, and
//! leaves the token file; here ([`revoke`]) that is a warning and the files go all the same,
//! as a sign-out must not be held up by a dead network. A portal that refuses (a token that
//! has expired already) is logged with `--debug` only, as in the AWS CLI. And each token file
//! is signed out and removed under the cache's lock for it, so a `token` refresh under way
//! finishes first and its new token is signed out in turn, instead of being written back after
//! the removal.

mod revoke;

use std::fs;
use std::io;
use std::path::Path;

use sso_oidc::{CacheDir, CacheLock};

use crate::args::LogoutArgs;
use crate::commands::token_files::{self, Content};
use crate::context::{Context, cache_dir, credentials_cache_dir};
use crate::error::CliError;

use revoke::Portal;

/// Runs `logout`.
///
/// # Errors
/// No home folder for a default folder; a cache folder that cannot be listed; a token file
/// or a role-credential file that cannot be removed (after every other has been tried).
pub(crate) fn logout(args: &LogoutArgs, context: &Context) -> Result<(), CliError> {
    let env = context.env();
    let cache = cache_dir(&args.cache, env)?;
    let credentials = credentials_cache_dir(args.credentials_cache_dir.as_deref(), env)?;
    let mut portal = Portal::new(context);
    let mut failures = Vec::new();
    for path in token_files::files(cache.path())? {
        if let Err(failure) = sign_out(&cache, &path, &mut portal) {
            failures.push(failure);
        }
    }
    if let Err(error) = credentials.remove_sso_credentials() {
        failures.push(format!(
            "Unable to remove the cached SSO role credentials: {error}"
        ));
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(CliError::failure(failures.join("\n")))
    }
}

/// Signs out the token in `path`, if it holds one, and removes the file.
///
/// # Errors
/// The file cannot be removed.
fn sign_out(cache: &CacheDir, path: &Path, portal: &mut Portal<'_>) -> Result<(), String> {
    match token_files::read(path) {
        Content::Token(_) => {}
        Content::Other => return Ok(()),
        Content::Unreadable(why) => {
            // As the AWS CLI: left alone, said with --debug only.
            tracing::debug!("not a token file, left alone: {} ({why})", path.display());
            return Ok(());
        }
    }
    let _lock = lock(cache, path);
    // Read again under the lock: a refresh may have replaced the token, or another logout
    // removed it.
    let Content::Token(record) = token_files::read(path) else {
        return Ok(());
    };
    portal.sign_out(&record);
    match fs::remove_file(path) {
        // Gone already: another logout got there first.
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!(
            "Unable to remove the cached token {}: {e}",
            path.display()
        )),
    }
}

/// The cache's lock on the token file, as `token` takes it around a refresh; `None` when it
/// cannot be taken (the removal then says what is wrong with the folder, if anything).
fn lock(cache: &CacheDir, path: &Path) -> Option<CacheLock> {
    let name = path.file_name()?.to_str()?;
    cache
        .lock(name)
        .inspect_err(|error| tracing::debug!(%error, "signing out without the cache lock"))
        .ok()
}
