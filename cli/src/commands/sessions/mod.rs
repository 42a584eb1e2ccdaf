//! `sessions`: what is signed in. For each token file in the SSO cache folder (found as
//! `logout` finds them: see [`token_files`]), its sign-in: the `sso-session` (or, for a legacy
//! profile, the start URL) the config file names it after, and the profiles that use it; the
//! start URL and region; when the access token expires and how long it has left; and whether it
//! can be refreshed, until when (its client registration's expiry). No secret is shown: no
//! token, client secret or client id.
//!
//! - [`config`]: which sections of the config file name which token file.
//! - [`entry`]: one sign-in, as printed.
//!
//! Printed as `{"sessions": [...]}` in `--output` (json unless set), after `--query`, sorted
//! by session, then region, then file name. A `.json` file that cannot be read, or holds an
//! unusable token record, is skipped with a warning on stderr; other files (registrations,
//! locks, temporary files of a write) are not sessions. An empty or missing cache folder is an
//! empty list.

mod config;
mod entry;

use std::time::SystemTime;

use serde_json::Value;
use sso_oidc::CachedToken;
use sso_oidc_cli_output::{Document, Object, Query};

use crate::args::SessionsArgs;
use crate::commands::token_files::{self, Content};
use crate::context::{Context, cache_dir};
use crate::error::CliError;
use crate::terminal::output::render;
use crate::terminal::prompt::err;

use entry::Entry;

/// Runs `sessions`.
///
/// # Errors
/// A `--query` that cannot be parsed or an output format that cannot be used; no home folder
/// and no `--cache-dir`; a cache folder that cannot be listed.
pub(crate) fn sessions(args: &SessionsArgs, context: &Context) -> Result<(), CliError> {
    let query = context
        .global()
        .query
        .as_deref()
        .map(Query::parse)
        .transpose()
        .map_err(CliError::failure)?;
    let format = context.output()?;
    let cache = cache_dir(&args.cache, context.env())?;
    let known = config::by_file_name(context.config());
    let now = SystemTime::now();
    let mut entries = Vec::new();
    for path in token_files::files(cache.path())? {
        let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            continue;
        };
        // A write's temporary file (`.NAME.PID-N.tmp`) holds a token too, but is no session.
        if name.starts_with('.') {
            continue;
        }
        let skipped = |why: &dyn std::fmt::Display| {
            err(&format!("warning: Skipped {}: {why}\n", path.display()));
        };
        match token_files::read(&path) {
            Content::Token(record) => {
                // A Value always serializes.
                let bytes = serde_json::to_vec(&Value::Object(record)).unwrap_or_default();
                match CachedToken::from_json(&bytes) {
                    Ok(token) => {
                        let known = known.get(&name);
                        entries.push(Entry::new(name, &token, known, now));
                    }
                    Err(error) => skipped(&error),
                }
            }
            Content::Unreadable(why) if name.ends_with(".json") => skipped(&why),
            Content::Unreadable(_) | Content::Other => {}
        }
    }
    entries.sort_by(|a, b| {
        (&a.session, &a.region, &a.file_name).cmp(&(&b.session, &b.region, &b.file_name))
    });
    let list: Vec<Document> = entries.into_iter().map(Entry::into_document).collect();
    render(
        &Document::from(Object::new().with("sessions", list)),
        "Sessions",
        format,
        query.as_ref(),
        context.global().color,
        context.env(),
    )
}
