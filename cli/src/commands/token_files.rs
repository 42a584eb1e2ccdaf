//! The token files in the SSO cache folder, found as `aws sso logout` finds them (its
//! `SSOTokenSweeper`): each file that holds a JSON object with an `accessToken`, whoever wrote
//! it and whatever its name. `logout` removes them; `sessions` lists them.
//!
//! Files are read with the cache's cap ([`MAX_CACHE_FILE`]); what they hold is never shown,
//! as a token file is full of secrets.

use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use sso_oidc::MAX_CACHE_FILE;

use crate::error::CliError;

/// What a file in the cache folder holds.
#[derive(Debug)]
pub(crate) enum Content {
    /// A JSON object with an `accessToken` key (spelt so: the AWS CLI's test), whatever its
    /// value.
    Token(Map<String, Value>),
    /// Anything else that was read: a client registration, a lock file, other JSON.
    Other,
    /// A file that could not be read, or not as JSON: why, in words free of its content.
    Unreadable(String),
}

/// The files in `folder` (links followed, as the AWS CLI opens them), sorted by name; none
/// when there is no folder.
///
/// # Errors
/// A folder that exists but cannot be listed.
pub(crate) fn files(folder: &Path) -> Result<Vec<PathBuf>, CliError> {
    let entries = match fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            return Ok(Vec::new());
        }
        Err(e) => {
            return Err(CliError::failure(format!(
                "Unable to list the SSO token cache {}: {e}",
                folder.display()
            )));
        }
    };
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    Ok(files)
}

/// What the file at `path` holds.
pub(crate) fn read(path: &Path) -> Content {
    let bytes = match read_capped(path) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => {
            return Content::Unreadable(format!("it is larger than {} MiB", MAX_CACHE_FILE >> 20));
        }
        Err(e) => return Content::Unreadable(format!("it cannot be read: {e}")),
    };
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(record)) if record.contains_key("accessToken") => Content::Token(record),
        Ok(_) => Content::Other,
        // The position only: serde_json's message could quote what it read.
        Err(e) => Content::Unreadable(format!(
            "it is not JSON (line {}, column {})",
            e.line(),
            e.column()
        )),
    }
}

/// The whole file, or `None` when it is larger than the cap (no more than that is read).
fn read_capped(path: &Path) -> io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    File::open(path)?
        .take(MAX_CACHE_FILE as u64 + 1)
        .read_to_end(&mut bytes)?;
    Ok((bytes.len() <= MAX_CACHE_FILE).then_some(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_others_and_what_cannot_be_read() {
        let folder = tempfile::tempdir().unwrap();
        let path = |name: &str| folder.path().join(name);
        fs::create_dir(path("sub.json")).unwrap();
        let files_written = [
            (
                "token.json",
                r#"{"accessToken": "secret-a", "expiresAt": "x"}"#,
            ),
            ("other-tool", r#"{"accessToken": null}"#),
            ("registration.json", r#"{"clientId": "c"}"#),
            ("lower.json", r#"{"accesstoken": "a"}"#),
            ("list.json", r#"[{"accessToken": "a"}]"#),
            ("broken.json", r#"{"accessToken": "secret-b"#),
            ("token.json.lock", ""),
        ];
        for (name, text) in files_written {
            fs::write(path(name), text).unwrap();
        }
        fs::write(path("huge.json"), vec![b' '; MAX_CACHE_FILE + 1]).unwrap();
        let listed = files(folder.path()).unwrap();
        let names: Vec<_> = listed
            .iter()
            .map(|p| p.file_name().unwrap().to_str().unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "broken.json",
                "huge.json",
                "list.json",
                "lower.json",
                "other-tool",
                "registration.json",
                "token.json",
                "token.json.lock"
            ],
            "sorted, folders left out"
        );
        let kind = |name: &str| match read(&path(name)) {
            Content::Token(_) => "token".to_owned(),
            Content::Other => "other".to_owned(),
            Content::Unreadable(why) => why,
        };
        assert_eq!(kind("token.json"), "token");
        assert_eq!(kind("other-tool"), "token");
        for other in ["registration.json", "lower.json", "list.json"] {
            assert_eq!(kind(other), "other", "{other}");
        }
        assert_eq!(kind("token.json.lock"), "it is not JSON (line 1, column 0)");
        assert_eq!(kind("broken.json"), "it is not JSON (line 1, column 25)");
        assert_eq!(kind("huge.json"), "it is larger than 1 MiB");
        assert!(kind("missing.json").starts_with("it cannot be read: "));
        assert!(files(&path("missing")).unwrap().is_empty());
        assert!(files(&path("token.json")).unwrap().is_empty());
    }
}
