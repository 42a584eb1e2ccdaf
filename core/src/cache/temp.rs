//! The temporary files of atomic writes (feature `fs`): their names, and sweeping away the ones
//! that writes killed half-way left behind.

use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

use crate::cache::file_name::check_file_name;

/// How long a temporary file must have gone unmodified before a write sweeps it away.
///
/// A write creates, fills, flushes and renames its temporary file within moments, so one this
/// old was left by a write that was killed (and holds a token); ten minutes leaves room for a
/// slow disk or a process stopped for a while, whose file must not vanish under it.
pub(crate) const STALE_AFTER: Duration = Duration::from_secs(10 * 60);

/// The temporary file name for writing `file_name`: unique within the process by `count`,
/// across processes by `pid`. The leading dot keeps tools that list `*.json` away from a
/// half-written file.
pub(crate) fn temp_name(file_name: &str, pid: u32, count: u64) -> String {
    format!(".{file_name}.{pid}-{count}.tmp")
}

/// Whether `name` is one [`temp_name`] gives, for a file name the cache accepts.
pub(crate) fn is_temp_name(name: &str) -> bool {
    let Some(inner) = name
        .strip_prefix('.')
        .and_then(|name| name.strip_suffix(".tmp"))
    else {
        return false;
    };
    let Some((file_name, unique)) = inner.rsplit_once('.') else {
        return false;
    };
    let Some((pid, count)) = unique.split_once('-') else {
        return false;
    };
    let number = |text: &str| !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    number(pid) && number(count) && check_file_name(file_name).is_ok()
}

/// Removes the temporary files in `folder` that were last modified [`STALE_AFTER`] or longer
/// before `now`: regular files named as [`temp_name`] names them, nothing else (no links, no
/// folders, no other names).
///
/// `now` is the modification time of a file just written in the same folder, not a clock
/// reading: the core reads no clock, and that time comes from the same clock (the file
/// server's, on a network share) as the times it is compared with. Best effort: a file that
/// cannot be examined or removed is left, and the write that called this goes on.
pub(crate) fn sweep(folder: &Path, now: SystemTime) {
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        if !entry.file_name().to_str().is_some_and(is_temp_name) {
            continue;
        }
        // Not followed: the metadata of a link is the link's.
        let Ok(metadata) = entry.metadata() else {
            continue;
        };
        let stale = metadata
            .modified()
            .ok()
            .and_then(|modified| now.duration_since(modified).ok())
            .is_some_and(|age| age >= STALE_AFTER);
        if metadata.is_file() && stale {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_temporary_names_are_recognised() {
        for ours in [
            temp_name("0ad374308c5a4e22f723adf10145eafad7c4031c.json", 4242, 0),
            temp_name("r.json", u32::MAX, u64::MAX),
            temp_name("write-check", 1, 2),
            ".x.1-2.tmp".to_owned(),
        ] {
            assert!(is_temp_name(&ours), "{ours:?}");
        }
        for other in [
            "x.json",
            "x.json.lock",
            "x.json.1-2.tmp",
            ".x.json.tmp",
            ".x.json.1-.tmp",
            ".x.json.-2.tmp",
            ".x.json.1-2-3.tmp",
            ".x.json.a-2.tmp",
            ".x.json.1-2.tmp.bak",
            ".x.json.1-2.TMP",
            "..1-2.tmp",
            ".a b.1-2.tmp",
            ".1-2.tmp",
            ".tmp",
            "",
        ] {
            assert!(!is_temp_name(other), "{other:?}");
        }
    }
}
