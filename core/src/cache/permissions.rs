//! A warning for a cache folder that others can write (feature `fs`).

use std::fmt;
use std::path::{Path, PathBuf};

/// The cache folder can be written by users other than its owner: its group or everyone.
///
/// They could then replace the token and registration files in it, say with a token for an
/// account of theirs, or remove them. [`CacheDir::permission_warning`](crate::CacheDir::permission_warning)
/// gives this as a warning to show; nothing refuses to work because of it. `Display` names the
/// folder, its mode in octal and the command that fixes it:
///
/// ```text
/// others can replace the token files in the cache folder "/home/me/.aws/sso/cache" (mode 0777); to allow only you, run: chmod 700 /home/me/.aws/sso/cache
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct LoosePermissions {
    /// The cache folder.
    pub path: PathBuf,
    /// Its permission bits, e.g. `0o777` (with the set-id and sticky bits, e.g. `0o1777`).
    pub mode: u32,
}

impl fmt::Display for LoosePermissions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "others can replace the token files in the cache folder \"{}\" (mode {:04o}); \
             to allow only you, run: chmod 700 {}",
            self.path.display(),
            self.mode,
            shell_quoted(&self.path)
        )
    }
}

/// `Some` when the folder at `path` exists and its group or everyone may write it (Unix);
/// always `None` elsewhere, where access is not told by mode bits.
pub(crate) fn check(path: &Path) -> Option<LoosePermissions> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;

        let metadata = std::fs::metadata(path).ok()?;
        let mode = metadata.permissions().mode() & 0o7777;
        (metadata.is_dir() && mode & 0o022 != 0).then(|| LoosePermissions {
            path: path.to_path_buf(),
            mode,
        })
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// `path` as one word for a POSIX shell: as it is when it holds only characters no shell
/// treats specially, else in single quotes; never read as an option.
fn shell_quoted(path: &Path) -> String {
    let mut text = path.to_string_lossy();
    if text.starts_with('-') {
        text = format!("./{text}").into();
    }
    let plain = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/._-+,:@%".contains(&b));
    if plain {
        text.into_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_warning_says_the_mode_and_a_command_to_paste() {
        let warning = LoosePermissions {
            path: PathBuf::from("/home/me/.aws/sso/cache"),
            mode: 0o777,
        };
        assert_eq!(
            warning.to_string(),
            "others can replace the token files in the cache folder \"/home/me/.aws/sso/cache\" \
             (mode 0777); to allow only you, run: chmod 700 /home/me/.aws/sso/cache"
        );
        let warning = LoosePermissions {
            path: PathBuf::from("/tmp/it's mine"),
            mode: 0o1777,
        };
        assert!(
            warning
                .to_string()
                .ends_with(r"(mode 1777); to allow only you, run: chmod 700 '/tmp/it'\''s mine'"),
            "{warning}"
        );
        assert_eq!(shell_quoted(Path::new("")), "''");
        assert_eq!(shell_quoted(Path::new("-x")), "./-x");
    }
}
