//! Which names a cache file may have (feature `fs`): ones that stay inside the folder.

use crate::cache::error::CacheError;

/// A name must stay inside the cache folder on every platform: one plain file name of
/// letters, digits, `.`, `_` and `-` (no separators, no drive prefix like `C:`, no NTFS stream
/// `x:y`), and not a Windows device name (`CON`, `NUL.json`, ...).
pub(crate) fn check_file_name(name: &str) -> Result<(), CacheError> {
    let stem = name
        .split('.')
        .next()
        .unwrap_or_default()
        .to_ascii_uppercase();
    let device = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || (stem.len() == 4
            && (stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.as_bytes()[3].is_ascii_digit());
    let reason = if name.is_empty() {
        "it is empty"
    } else if name == "." || name == ".." {
        "it names a folder"
    } else if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
    {
        "it is not a plain file name (letters, digits, '.', '_' and '-' only)"
    } else if device {
        "it is a Windows device name"
    } else {
        return Ok(());
    };
    Err(CacheError::InvalidFileName {
        name: name.to_owned(),
        reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_names_are_accepted() {
        for bad in [
            "",
            ".",
            "..",
            "../x.json",
            "a/b.json",
            "a\\b.json",
            "/etc/passwd",
            "a\0b",
            "C:evil.json",
            "x.json:stream",
            "a b.json",
            "CON",
            "nul.json",
            "com1.json",
            "LPT9",
        ] {
            assert!(
                matches!(
                    check_file_name(bad),
                    Err(CacheError::InvalidFileName { .. })
                ),
                "{bad:?}"
            );
        }
        for good in [
            "0ad374308c5a4e22f723adf10145eafad7c4031c.json",
            "0ad374308c5a4e22f723adf10145eafad7c4031c.json.lock",
            "..json",
            "console.json",
            "com10.json",
            "my_cache-1.json",
        ] {
            assert!(check_file_name(good).is_ok(), "{good:?}");
        }
    }
}
