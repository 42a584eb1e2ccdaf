//! `token`: a valid access token from the cache, refreshed first when due, as botocore's
//! `SSOTokenProvider` gets one for the AWS SDKs.
//!
//! The refresh decision is the core's `RefreshPolicy` (botocore's: refresh with less than 15
//! minutes left). The read, the refresh and the write-back happen under the cache's lock: the
//! service rotates refresh tokens, so two processes refreshing at once would lose one. As in
//! botocore, a refresh that fails leaves the cached token in use while it has not expired. A
//! SIGINT or SIGTERM during the refresh waits until the new token is written (see
//! [`interrupt::hold`]), then ends the command with exit code 130.

use std::time::SystemTime;

use sso_oidc::{CacheDir, CacheError, CachedToken, RefreshDecision, RefreshPolicy, Refreshed};
use sso_oidc_cli_output::{Document, Format, Object, Query};

use crate::args::{CacheArgs, SessionArgs, TokenArgs};
use crate::commands::login::{cache_error, warn_if_loose};
use crate::context::{Context, SsoSettings, cache_dir};
use crate::error::CliError;
use crate::terminal::interrupt;
use crate::terminal::output::render;
use crate::terminal::prompt::{err, out};

/// What `token` prints when a signal came during the refresh.
const STOPPED: &str =
    "Interrupted: stopped once the token refresh had finished, so as not to lose the session.";

/// Runs `token`: prints the access token and a newline on stdout; with `--output` or
/// `--query`, a document of the token and when it expires (see [`print()`]).
///
/// # Errors
/// No token, an unreadable one, or an expired one that could not be refreshed: botocore's
/// "Error loading SSO Token", with the command that signs in again. A `--query` that cannot
/// be parsed, before anything else.
pub(crate) fn token(args: &TokenArgs, context: &Context) -> Result<(), CliError> {
    let query = context
        .global()
        .query
        .as_deref()
        .map(Query::parse)
        .transpose()
        .map_err(CliError::failure)?;
    let token = valid_token(&args.session, &args.cache, context)?;
    print(&token, query.as_ref(), context)
}

/// A valid access token from the cache for these sign-in settings, refreshed first when due:
/// what `token` prints, and what the portal's commands send when given no `--access-token`.
///
/// # Errors
/// As [`token`], but for the query.
pub(crate) fn valid_token(
    session: &SessionArgs,
    cache: &CacheArgs,
    context: &Context,
) -> Result<CachedToken, CliError> {
    let settings = context.sso_settings(session)?;
    let cache = cache_dir(cache, context.env())?;
    // Look before locking: taking the lock creates the folder, which a person who never signed
    // in should not find made for them.
    if read(&cache, &settings)?.is_none() {
        return Err(missing(&settings));
    }
    warn_if_loose(&cache);
    let _lock = cache
        .lock(&settings.token_file_name())
        .map_err(cache_error)?;
    let cached = read(&cache, &settings)?.ok_or_else(|| missing(&settings))?;
    let policy = RefreshPolicy::default();
    if matches!(
        policy.decide(&cached, SystemTime::now(), None),
        RefreshDecision::Keep
    ) {
        // Nothing to send: no client is built, and no certificate is read.
        return Ok(cached);
    }

    let endpoint = context.endpoint_in(settings.sign_in.sso_region())?;
    let client = context.client(endpoint)?;
    // The service spends the cached refresh token once it has answered: a SIGINT or SIGTERM
    // between its answer and the write below would leave the cache with a spent refresh token
    // and lose the session. So signals wait until the new token is written (or the refresh has
    // failed), then stop the command as they would have.
    let held = interrupt::hold();
    let token = match client.refresh(&cached, &policy, None) {
        Ok(Refreshed::Renewed(renewed)) => cache
            .write_token(settings.cache_key(), &renewed)
            .map(|()| renewed)
            .map_err(cache_error),
        Ok(Refreshed::Cannot { reason, .. }) => usable(cached, &settings, &reason),
        Ok(_) => Ok(cached),
        Err(error) => usable(cached, &settings, &error),
    };
    if held.release() {
        // Stopped as the signal asked, but a failed write is still worth knowing about.
        if let Err(error) = &token {
            err(&error.stderr());
        }
        return Err(CliError::interrupted(STOPPED));
    }
    let token = token?;
    if token.is_expired(SystemTime::now()) {
        return Err(expired(&settings, None));
    }
    Ok(token)
}

/// Prints the token alone on a line; with `--output` or `--query`, as a document in that
/// format (json by default) for scripts that also want to know when it expires:
/// `{"accessToken": "...", "expiresAt": "2026-01-01T08:00:00Z"}`, `expiresAt` as the cache
/// (and the AWS CLI) writes it.
fn print(token: &CachedToken, query: Option<&Query>, context: &Context) -> Result<(), CliError> {
    let global = context.global();
    let Some(format) = global.output.or(query.map(|_| Format::Json)) else {
        out(&format!("{}\n", token.access_token.expose()));
        return Ok(());
    };
    let mut document = Object::new();
    document.insert("accessToken", token.access_token.expose().as_str());
    document.insert("expiresAt", expires_at(token));
    render(
        &Document::from(document),
        "Token",
        format,
        query,
        global.color,
        context.env(),
    )
}

/// `expiresAt` exactly as the token file holds it (RFC 3339, UTC, `Z`).
fn expires_at(token: &CachedToken) -> String {
    serde_json::from_slice::<serde_json::Value>(&token.to_json())
        .ok()
        .and_then(|record| record.get("expiresAt")?.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The token file, if there is one.
fn read(cache: &CacheDir, settings: &SsoSettings) -> Result<Option<CachedToken>, CliError> {
    cache
        .read_token(settings.cache_key())
        .map_err(|error| match error {
            CacheError::Io { .. } => {
                CliError::failure(format!("Unable to read the SSO token cache: {error}"))
            }
            _ => CliError::failure(format!(
                "Error loading SSO Token: Token for {} is invalid ({error}). To sign in again, run: {}",
                settings.cache_key(),
                settings.login_command()
            )),
        })
}

/// The cached token after a refresh that did not happen: still good unless it has expired.
fn usable(
    cached: CachedToken,
    settings: &SsoSettings,
    why: &dyn std::fmt::Display,
) -> Result<CachedToken, CliError> {
    if cached.is_expired(SystemTime::now()) {
        return Err(expired(settings, Some(why)));
    }
    err(&format!(
        "Unable to refresh the SSO token ({why}); the cached one has not expired yet.\n"
    ));
    Ok(cached)
}

/// No token file.
fn missing(settings: &SsoSettings) -> CliError {
    CliError::failure(format!(
        "Error loading SSO Token: Token for {} does not exist. To sign in, run: {}",
        settings.cache_key(),
        settings.login_command()
    ))
}

/// An expired token, and why it could not be refreshed.
fn expired(settings: &SsoSettings, why: Option<&dyn std::fmt::Display>) -> CliError {
    let why = why
        .map(|why| format!(" and could not be refreshed ({why})"))
        .unwrap_or_default();
    CliError::failure(format!(
        "Error loading SSO Token: Token for {} is expired{why}. To sign in again, run: {}",
        settings.cache_key(),
        settings.login_command()
    ))
}
