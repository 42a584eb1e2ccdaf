//! The cache folder on disk (feature `fs`): atomic writes, owner-only permissions and an
//! advisory lock around read-refresh-write.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

#[cfg(unix)]
use std::os::unix::fs::OpenOptionsExt;

use crate::cache::atomic::{self, IoFailure};
use crate::cache::error::CacheError;
use crate::cache::file_name::check_file_name;
use crate::cache::name::token_file_name;
use crate::cache::permissions::{self, LoosePermissions};
use crate::cache::registration::CachedRegistration;
use crate::cache::role_credentials::{CachedRoleCredentials, is_sso_record};
use crate::cache::token::CachedToken;

/// The largest cache file [`CacheDir`] reads, in bytes: 1 MiB. A token or registration record
/// is under 4 KiB; the cap keeps a huge or endless file in the folder from taking as much memory.
pub const MAX_CACHE_FILE: usize = 1 << 20;

/// A folder of AWS CLI cache files, usually `~/.aws/sso/cache` (tokens and client
/// registrations) or `~/.aws/cli/cache` (role credentials).
///
/// Token files are named from the `sso-session` name (or, for a legacy profile, the start URL)
/// as [`token_file_name`](crate::token_file_name) does; registration files by the name
/// [`registration_file_name`](crate::registration_file_name) gives; role-credential files by
/// the name [`role_credentials_file_name`](crate::role_credentials_file_name) gives. Other files
/// in the folder are left alone, save the stale temporary files of its own writes (below) and,
/// when asked, the SSO role-credential records ([`remove_sso_credentials`](Self::remove_sso_credentials)).
///
/// - Reads of a missing file give `Ok(None)`; a file larger than [`MAX_CACHE_FILE`] is an
///   error, and no more of it than that is read.
/// - Writes are atomic: a temporary file in the same folder is written, flushed to disk and
///   renamed over the target, so a reader sees the old record or the new one, never half of one.
/// - A write killed half-way leaves its temporary file, `.<file name>.<process id>-<n>.tmp`,
///   which holds a token. Each write removes those that have not changed for ten minutes
///   (younger ones may be another process's write under way), and nothing else.
/// - On Unix, files are written with mode `0600`, and a folder this creates gets `0700`.
/// - [`lock`](Self::lock) takes an advisory lock to hold around read-refresh-write: the service
///   rotates refresh tokens, so two processes refreshing at once would otherwise lose one.
///
/// The store reads no clock; whether a token is still good is the caller's call.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use sso_oidc::{CacheDir, CachedToken, Secret};
///
/// # let folder = std::env::temp_dir().join(format!("sso-oidc-doctest-{}", std::process::id()));
/// let cache = CacheDir::new(&folder); // e.g. ~/.aws/sso/cache
/// let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000); // from your clock
///
/// // Read, refresh and write back under the lock, so no rotated refresh token is lost.
/// let lock = cache.lock(&sso_oidc::token_file_name("my-sso"))?;
/// let token = match cache.read_token("my-sso")? {
///     Some(token) if token.expires_at > now => token,
///     _ => {
///         // ... log in or refresh with CreateToken here ...
///         CachedToken::new(Secret::from("new-access-token"), now + Duration::from_secs(3600))
///     }
/// };
/// cache.write_token("my-sso", &token)?;
/// drop(lock);
///
/// assert_eq!(cache.read_token("my-sso")?, Some(token));
/// assert_eq!(cache.read_token("another-session")?, None);
/// # std::fs::remove_dir_all(&folder)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CacheDir {
    path: PathBuf,
}

/// An advisory lock on one cache file, held until this guard is dropped.
///
/// The lock is on a sidecar file, `<file name>.lock`, because an atomic write replaces the cache
/// file itself with a new one. Sidecar files are kept, not removed on release: removing one
/// while another process waits on it would let a third lock a new file of the same name.
/// Only processes that take the lock are excluded; the AWS CLI does not take it.
#[derive(Debug)]
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct CacheLock {
    _file: File,
    path: PathBuf,
}

impl CacheLock {
    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl CacheDir {
    /// A store for the cache folder at `path`, which need not exist yet: the first write creates
    /// it.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// The cache folder.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the token file for an `sso-session` name (or a legacy profile's start URL).
    ///
    /// # Errors
    /// [`CacheError::Io`] when the file exists but cannot be read;
    /// [`CacheError::TooLarge`] when it is larger than [`MAX_CACHE_FILE`]; the errors of
    /// [`CachedToken::from_json`] when it does not hold a token record.
    pub fn read_token(
        &self,
        session_name_or_start_url: &str,
    ) -> Result<Option<CachedToken>, CacheError> {
        self.read(&token_file_name(session_name_or_start_url))?
            .map(|bytes| CachedToken::from_json(&bytes))
            .transpose()
    }

    /// Writes the token file for an `sso-session` name (or a legacy profile's start URL),
    /// atomically, creating the folder if needed.
    ///
    /// # Errors
    /// [`CacheError::Io`] when the folder cannot be created or the file cannot be written.
    pub fn write_token(
        &self,
        session_name_or_start_url: &str,
        token: &CachedToken,
    ) -> Result<(), CacheError> {
        self.write(
            &token_file_name(session_name_or_start_url),
            &token.to_json(),
        )
    }

    /// Removes the token file for an `sso-session` name (or a legacy profile's start URL), as
    /// `aws sso logout` does; `false` when there was none.
    ///
    /// # Errors
    /// [`CacheError::Io`] when the file exists but cannot be removed.
    pub fn remove_token(&self, session_name_or_start_url: &str) -> Result<bool, CacheError> {
        let path = self.path.join(token_file_name(session_name_or_start_url));
        match fs::remove_file(&path) {
            Ok(()) => Ok(true),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(error) => Err(io_error("remove", path)(error)),
        }
    }

    /// Reads a registration file, by the name
    /// [`registration_file_name`](crate::registration_file_name) gives.
    ///
    /// # Errors
    /// [`CacheError::InvalidFileName`] when `file_name` is not a plain file name;
    /// [`CacheError::Io`] when the file exists but cannot be read;
    /// [`CacheError::TooLarge`] when it is larger than [`MAX_CACHE_FILE`]; the errors of
    /// [`CachedRegistration::from_json`] when it does not hold a registration record.
    pub fn read_registration(
        &self,
        file_name: &str,
    ) -> Result<Option<CachedRegistration>, CacheError> {
        self.read(file_name)?
            .map(|bytes| CachedRegistration::from_json(&bytes))
            .transpose()
    }

    /// Writes a registration file, by the name
    /// [`registration_file_name`](crate::registration_file_name) gives, atomically, creating
    /// the folder if needed.
    ///
    /// # Errors
    /// [`CacheError::InvalidFileName`] when `file_name` is not a plain file name;
    /// [`CacheError::Io`] when the folder cannot be created or the file cannot be written.
    pub fn write_registration(
        &self,
        file_name: &str,
        registration: &CachedRegistration,
    ) -> Result<(), CacheError> {
        self.write(file_name, &registration.to_json())
    }

    /// Reads a role-credential file (in `~/.aws/cli/cache`), by the name
    /// [`role_credentials_file_name`](crate::role_credentials_file_name) gives. Whether the
    /// credentials are still worth using is [`CachedRoleCredentials::is_fresh`]'s call.
    ///
    /// # Errors
    /// [`CacheError::InvalidFileName`] when `file_name` is not a plain file name;
    /// [`CacheError::Io`] when the file exists but cannot be read;
    /// [`CacheError::TooLarge`] when it is larger than [`MAX_CACHE_FILE`]; the errors of
    /// [`CachedRoleCredentials::from_json`] when it does not hold a role-credential record
    /// (botocore then fetches new credentials and writes them over it).
    pub fn read_role_credentials(
        &self,
        file_name: &str,
    ) -> Result<Option<CachedRoleCredentials>, CacheError> {
        self.read(file_name)?
            .map(|bytes| CachedRoleCredentials::from_json(&bytes))
            .transpose()
    }

    /// Writes a role-credential file (in `~/.aws/cli/cache`), by the name
    /// [`role_credentials_file_name`](crate::role_credentials_file_name) gives, atomically,
    /// creating the folder if needed. Hold [`lock`](Self::lock) on the same name around the
    /// read, the `GetRoleCredentials` and this write, so that callers started together make one
    /// call to the portal between them.
    ///
    /// # Errors
    /// [`CacheError::InvalidFileName`] when `file_name` is not a plain file name;
    /// [`CacheError::Io`] when the folder cannot be created or the file cannot be written.
    pub fn write_role_credentials(
        &self,
        file_name: &str,
        credentials: &CachedRoleCredentials,
    ) -> Result<(), CacheError> {
        self.write(file_name, &credentials.to_json())
    }

    /// Removes every SSO role-credential record in the folder, as `aws sso logout` (v2) does in
    /// `~/.aws/cli/cache`: each file whose content is a JSON object with `"ProviderType":
    /// "sso"`, whatever its name (a temporary file of a write killed half-way included, as it
    /// holds the same secrets). Everything else stays: assume-role and web-identity records,
    /// lock files, folders, files that cannot be read, and files larger than
    /// [`MAX_CACHE_FILE`]. A missing folder has nothing to remove.
    ///
    /// Returns the files removed, in the order found.
    ///
    /// # Errors
    /// [`CacheError::Io`] when the folder cannot be listed, or when a record cannot be removed:
    /// the first such failure, after every other record has been tried.
    pub fn remove_sso_credentials(&self) -> Result<Vec<PathBuf>, CacheError> {
        let entries = match fs::read_dir(&self.path) {
            Ok(entries) => entries,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(error) => return Err(io_error("list", &self.path)(error)),
        };
        let mut removed = Vec::new();
        let mut first_error = None;
        for entry in entries {
            let entry = entry.map_err(io_error("list", &self.path))?;
            let path = entry.path();
            // Followed, as the AWS CLI opens it: a link to a record is removed (the link only).
            if !path.is_file() {
                continue;
            }
            let Ok(Some(bytes)) = read_capped(&path) else {
                continue;
            };
            if !is_sso_record(&bytes) {
                continue;
            }
            match fs::remove_file(&path) {
                Ok(()) => removed.push(path),
                // Gone already: another logout got there first.
                Err(error) if error.kind() == io::ErrorKind::NotFound => {}
                Err(error) => {
                    first_error.get_or_insert_with(|| io_error("remove", path)(error));
                }
            }
        }
        match first_error {
            Some(error) => Err(error),
            None => Ok(removed),
        }
    }

    /// Checks that cache files can be written in the folder, as a write would: creates the
    /// folder when missing (`0700` on Unix), then creates and removes an empty temporary file
    /// in it.
    ///
    /// Call it before something costly whose result goes into the cache, such as asking a
    /// person to approve a sign-in, so that a folder that cannot be written is reported before
    /// the approval rather than after it. A later write can still fail (a full disk, a changed
    /// folder); this only catches what is wrong already.
    ///
    /// # Errors
    /// [`CacheError::Io`], with what the operating system said, when the folder cannot be
    /// created or a file cannot be created or removed in it.
    pub fn check_writable(&self) -> Result<(), CacheError> {
        self.create_folder()?;
        let probe = atomic::write_temp(&self.path, "write-check", b"", 0o600)?;
        fs::remove_file(&probe).map_err(io_error("remove", probe))
    }

    /// A warning to show when users other than the folder's owner may write the cache folder
    /// (its mode has the group or world write bit, e.g. `0777`): they could replace its token
    /// files. `None` when the folder is private enough, does not exist yet (a write creates it
    /// `0700`) or cannot be examined, and always `None` off Unix.
    ///
    /// Only a warning: every other method works the same whatever it says.
    pub fn permission_warning(&self) -> Option<LoosePermissions> {
        permissions::check(&self.path)
    }

    /// Takes the advisory lock for the cache file `file_name` (e.g.
    /// [`token_file_name`](crate::token_file_name)`("my-sso")`), waiting while another
    /// [`CacheLock`] holds it, in this process or another. The folder is created if needed.
    ///
    /// # Errors
    /// [`CacheError::InvalidFileName`] when `file_name` is not a plain file name;
    /// [`CacheError::Io`] when the lock file cannot be created or locked.
    pub fn lock(&self, file_name: &str) -> Result<CacheLock, CacheError> {
        let (file, path) = self.lock_file(file_name)?;
        match file.lock() {
            Ok(()) => Ok(CacheLock { _file: file, path }),
            Err(error) => Err(io_error("lock", path)(error)),
        }
    }

    /// Takes the advisory lock like [`lock`](Self::lock), but gives `None` at once instead of
    /// waiting when another holder has it.
    ///
    /// # Errors
    /// As [`lock`](Self::lock).
    pub fn try_lock(&self, file_name: &str) -> Result<Option<CacheLock>, CacheError> {
        let (file, path) = self.lock_file(file_name)?;
        match file.try_lock() {
            Ok(()) => Ok(Some(CacheLock { _file: file, path })),
            Err(fs::TryLockError::WouldBlock) => Ok(None),
            Err(fs::TryLockError::Error(error)) => Err(io_error("lock", path)(error)),
        }
    }

    fn lock_file(&self, file_name: &str) -> Result<(File, PathBuf), CacheError> {
        check_file_name(file_name)?;
        self.create_folder()?;
        let path = self.path.join(format!("{file_name}.lock"));
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        options.mode(0o600);
        match options.open(&path) {
            Ok(file) => Ok((file, path)),
            Err(error) => Err(io_error("open", path)(error)),
        }
    }

    fn read(&self, file_name: &str) -> Result<Option<Vec<u8>>, CacheError> {
        check_file_name(file_name)?;
        read_capped(&self.path.join(file_name))
    }

    fn write(&self, file_name: &str, bytes: &[u8]) -> Result<(), CacheError> {
        check_file_name(file_name)?;
        self.create_folder()?;
        Ok(atomic::replace(&self.path, file_name, bytes, 0o600)?)
    }

    /// Creates the cache folder (and its parents) when missing, `0700` on Unix.
    fn create_folder(&self) -> Result<(), CacheError> {
        Ok(atomic::create_folder(&self.path)?)
    }
}

impl From<IoFailure> for CacheError {
    fn from(failure: IoFailure) -> Self {
        Self::Io {
            action: failure.action,
            path: failure.path,
            error: failure.error,
        }
    }
}

/// The file at `path`, read up to [`MAX_CACHE_FILE`] bytes; `None` when it does not exist.
fn read_capped(path: &Path) -> Result<Option<Vec<u8>>, CacheError> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(io_error("read", path)(error)),
    };
    // One byte past the cap tells a file at the cap from a larger one.
    let mut capped = file.take(MAX_CACHE_FILE as u64 + 1);
    let mut bytes = Vec::new();
    if let Err(error) = capped.read_to_end(&mut bytes) {
        return Err(io_error("read", path)(error));
    }
    if capped.limit() == 0 {
        return Err(CacheError::TooLarge {
            path: path.to_owned(),
            limit: MAX_CACHE_FILE,
        });
    }
    Ok(Some(bytes))
}

/// Wraps what the operating system said about `action` on `path`.
fn io_error(
    action: &'static str,
    path: impl Into<PathBuf>,
) -> impl FnOnce(io::Error) -> CacheError {
    let path = path.into();
    move |error| CacheError::Io {
        action,
        path,
        error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::atomic::TEMP_COUNTER;
    use std::sync::atomic::Ordering;

    #[test]
    fn temporary_files_left_by_a_crashed_process_with_our_id_are_stepped_over() {
        // The only test in this binary that writes, so the counter moves only here.
        let folder = std::env::temp_dir().join(format!("sso-oidc-stale-{}", std::process::id()));
        let _ = fs::remove_dir_all(&folder);
        fs::create_dir_all(&folder).unwrap();
        let next = TEMP_COUNTER.load(Ordering::Relaxed);
        let stale: Vec<_> = (next..next + 3)
            .map(|count| folder.join(format!(".r.json.{}-{count}.tmp", std::process::id())))
            .collect();
        for path in &stale {
            fs::write(path, b"stale").unwrap();
        }
        CacheDir::new(&folder).write("r.json", b"{}").unwrap();
        assert_eq!(fs::read(folder.join("r.json")).unwrap(), b"{}");
        for path in &stale {
            assert_eq!(fs::read(path).unwrap(), b"stale");
        }

        // When every name it tries is taken, the write fails and leaves all of them alone.
        let next = TEMP_COUNTER.load(Ordering::Relaxed);
        let taken: Vec<_> = (next..next + 100)
            .map(|count| folder.join(format!(".r.json.{}-{count}.tmp", std::process::id())))
            .collect();
        for path in &taken {
            fs::write(path, b"taken").unwrap();
        }
        let error = CacheDir::new(&folder).write("r.json", b"[]").unwrap_err();
        assert!(matches!(error, CacheError::Io { .. }), "{error:?}");
        for path in &taken {
            assert_eq!(fs::read(path).unwrap(), b"taken", "{path:?}");
        }
        assert_eq!(fs::read(folder.join("r.json")).unwrap(), b"{}");
        fs::remove_dir_all(&folder).unwrap();
    }
}
