//! The config file on disk (feature `fs`): read with a cap, written atomically.

use std::fs::{self, File};
use std::io::{self, Read};
use std::path::Path;

use crate::cache::atomic::{self, IoFailure, failure};
use crate::config::error::ConfigError;
use crate::config::file::ConfigFile;

/// The largest config file read, in bytes: 4 MiB. Hundreds of profiles take a few hundred KiB;
/// a file past this is a mistake (or a device) that would otherwise be read whole into memory.
pub const MAX_CONFIG_FILE: usize = 4 << 20;

impl ConfigFile {
    /// Reads and parses the config file at `path` (usually `~/.aws/config`, or
    /// `AWS_CONFIG_FILE`). A file that does not exist is an empty configuration, as for the
    /// AWS CLI; bytes that are not UTF-8 are read as U+FFFD.
    ///
    /// # Errors
    /// [`ConfigError::Io`] when the file exists but cannot be read (it is a folder, say);
    /// [`ConfigError::TooLarge`] when it holds more than [`MAX_CONFIG_FILE`] bytes (no more
    /// than that is read); [`ConfigError::Parse`] naming the file and the line that does not
    /// parse.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let Some(bytes) = read_capped(path)? else {
            return Ok(Self::default());
        };
        Self::parse(&String::from_utf8_lossy(&bytes)).map_err(|error| match error {
            ConfigError::Parse { line, problem, .. } => ConfigError::Parse {
                path: Some(path.to_owned()),
                line,
                problem,
            },
            other => other,
        })
    }
}

/// The text of the config file at `path`, to [`edit`](crate::config::edit) and
/// [`write_file`] back; empty when there is no file yet.
///
/// # Errors
/// [`ConfigError::Io`] when the file exists but cannot be read; [`ConfigError::TooLarge`] as
/// for [`ConfigFile::load`]; [`ConfigError::NotUtf8`] when it is not UTF-8 text (an edit would
/// change bytes nobody asked to change).
pub fn read_file(path: &Path) -> Result<String, ConfigError> {
    let Some(bytes) = read_capped(path)? else {
        return Ok(String::new());
    };
    String::from_utf8(bytes).map_err(|error| {
        let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
        ConfigError::NotUtf8 {
            path: path.to_owned(),
            line: valid.iter().filter(|b| **b == b'\n').count() + 1,
        }
    })
}

/// Writes `text` as the config file at `path`, atomically: a temporary file beside it is
/// written, flushed to disk and renamed over it, so that no reader (the AWS CLI, an SDK) ever
/// sees half a file.
///
/// The file keeps its permissions (on Unix; a new file gets `0600`), and a symbolic link keeps
/// pointing where it did: the file it points to is the one replaced. A missing folder is
/// created (`0700` on Unix), as for `~/.aws` on a new machine.
///
/// ```
/// # #[cfg(feature = "fs")] {
/// use sso_oidc::config::{ConfigFile, Section, edit, read_file, write_file};
///
/// # let home = std::env::temp_dir().join(format!("sso-oidc-config-doc-{}", std::process::id()));
/// let path = home.join(".aws").join("config");
/// let text = read_file(&path)?; // "" when there is none yet
/// let text = edit(&text, &Section::profile("dev"), &[("sso_session", "my-sso")])?;
/// write_file(&path, &text)?;
/// assert_eq!(ConfigFile::load(&path)?.profile("dev").unwrap()["sso_session"], "my-sso");
/// # std::fs::remove_dir_all(&home)?;
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`ConfigError::Io`] when the folder cannot be created, or the file cannot be written or
/// replaced; it is left as it was then.
pub fn write_file(path: &Path, text: &str) -> Result<(), ConfigError> {
    // A link is followed (a folder on the way needs no care: the rename happens inside it).
    let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let target = if is_link {
        fs::canonicalize(path).map_err(failure("follow the link", path))?
    } else {
        path.to_owned()
    };
    let folder = match target.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    let Some(file_name) = target.file_name().and_then(|name| name.to_str()) else {
        let error = io::Error::new(
            io::ErrorKind::InvalidInput,
            "the file name is missing or not UTF-8",
        );
        return Err(failure("write", path)(error).into());
    };
    atomic::create_folder(folder)?;
    atomic::replace(folder, file_name, text.as_bytes(), mode(&target))?;
    Ok(())
}

/// The permission bits to give the file: its own, or `0600` for a new one (a config file may
/// hold credentials).
fn mode(path: &Path) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path).map_or(0o600, |metadata| metadata.permissions().mode() & 0o7777)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        0o600
    }
}

/// The file's bytes, `None` when it does not exist; at most one byte past the cap is read.
fn read_capped(path: &Path) -> Result<Option<Vec<u8>>, ConfigError> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(failure("read", path)(error).into()),
    };
    let mut capped = file.take(MAX_CONFIG_FILE as u64 + 1);
    let mut bytes = Vec::new();
    capped
        .read_to_end(&mut bytes)
        .map_err(failure("read", path))?;
    if bytes.len() > MAX_CONFIG_FILE {
        return Err(ConfigError::TooLarge {
            path: path.to_owned(),
            limit: MAX_CONFIG_FILE,
        });
    }
    Ok(Some(bytes))
}

impl From<IoFailure> for ConfigError {
    fn from(failure: IoFailure) -> Self {
        Self::Io {
            action: failure.action,
            path: failure.path,
            error: failure.error,
        }
    }
}
