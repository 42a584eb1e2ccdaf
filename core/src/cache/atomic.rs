//! Atomic file writes (feature `fs`), shared by the cache folder and the config file: a
//! temporary file in the same folder is written, flushed to disk and renamed over the target,
//! so a reader sees the old file or the new one, never half of one.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

#[cfg(unix)]
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};

use crate::cache::temp;

/// Makes temporary file names unique within this process; the process id makes them unique
/// across processes, with no randomness needed.
pub(crate) static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// What the operating system refused: `action` on `path`. Each caller wraps it in its own
/// error type.
#[derive(Debug)]
pub(crate) struct IoFailure {
    /// What was being done, e.g. `write`, `replace`, `create the folder`.
    pub(crate) action: &'static str,
    /// The file or folder.
    pub(crate) path: PathBuf,
    /// What the operating system said.
    pub(crate) error: io::Error,
}

/// Wraps what the operating system said about `action` on `path`.
pub(crate) fn failure(
    action: &'static str,
    path: impl Into<PathBuf>,
) -> impl FnOnce(io::Error) -> IoFailure {
    let path = path.into();
    move |error| IoFailure {
        action,
        path,
        error,
    }
}

/// Replaces `file_name` in `folder` (which exists) with `bytes`, atomically; the file gets
/// `mode` on Unix. Then sweeps away the stale temporary files of writes that were killed.
pub(crate) fn replace(
    folder: &Path,
    file_name: &str,
    bytes: &[u8],
    mode: u32,
) -> Result<(), IoFailure> {
    let target = folder.join(file_name);
    let temp = write_temp(folder, file_name, bytes, mode)?;
    // The file system's time, read from the file it just wrote: the core reads no clock.
    let now = fs::metadata(&temp).and_then(|metadata| metadata.modified());
    if let Err(error) = fs::rename(&temp, &target) {
        let _ = fs::remove_file(&temp);
        return Err(failure("replace", target)(error));
    }
    sync_folder(folder);
    if let Ok(now) = now {
        temp::sweep(folder, now);
    }
    Ok(())
}

/// Writes `bytes` to a new temporary file for `file_name` in the (existing) `folder`, with
/// `mode` on Unix; its path.
pub(crate) fn write_temp(
    folder: &Path,
    file_name: &str,
    bytes: &[u8],
    mode: u32,
) -> Result<PathBuf, IoFailure> {
    let mut attempts = 0;
    loop {
        attempts += 1;
        let count = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
        let temp = folder.join(temp::temp_name(file_name, std::process::id(), count));
        match write_new(&temp, bytes, mode) {
            Ok(()) => return Ok(temp),
            // Left by a crashed process that had the same id: take the next name, and
            // leave that file alone (it may belong to a process in another pid namespace;
            // the sweep removes it once it is stale).
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists && attempts < 100 => {}
            Err(error) => return Err(failure("write", temp)(error)),
        }
    }
}

/// Creates `path` (and its parents) when missing; the folder itself gets `0700` on Unix. An
/// existing folder is left as it is.
pub(crate) fn create_folder(path: &Path) -> Result<(), IoFailure> {
    if path.is_dir() {
        return Ok(());
    }
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    builder.mode(0o700);
    builder
        .create(path)
        .map_err(failure("create the folder", path))?;
    // The mode above is filtered by the umask; the folder holds secrets, so say it exactly.
    #[cfg(unix)]
    fs::set_permissions(path, fs::Permissions::from_mode(0o700))
        .map_err(failure("set the permissions of", path))?;
    Ok(())
}

/// Writes `bytes` to a new file at `path` (`mode` on Unix) and flushes it to disk. When
/// the file cannot be created, nothing is touched (the name may be another process's); when it
/// was created but not written, it is removed.
fn write_new(path: &Path, bytes: &[u8], mode: u32) -> io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(mode);
    #[cfg(not(unix))]
    let _ = mode;
    let mut file = options.open(path)?;
    let written = (|| {
        // The mode given to open is filtered by the umask; say it exactly.
        #[cfg(unix)]
        file.set_permissions(fs::Permissions::from_mode(mode))?;
        file.write_all(bytes)?;
        file.sync_all()
    })();
    if written.is_err() {
        let _ = fs::remove_file(path);
    }
    written
}

/// Flushes the folder entry of a rename to disk, where the platform allows it. A failure is
/// not reported: the data is already safe in the file, and some file systems refuse to sync
/// a folder.
fn sync_folder(path: &Path) {
    #[cfg(unix)]
    if let Ok(folder) = File::open(path) {
        let _ = folder.sync_all();
    }
    #[cfg(not(unix))]
    let _ = path;
}
