//! The config file on disk (feature `fs`): missing, unreadable and oversized files; text that
//! is not UTF-8; atomic writes that keep the file's mode and links.
#![cfg(feature = "fs")]

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use sso_oidc::config::{
    ConfigError, ConfigFile, LineProblem, MAX_CONFIG_FILE, Section, edit, read_file, write_file,
};

/// A fresh folder under the system's temporary folder, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Self {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "sso-oidc-config-fs-{}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).unwrap();
        Self(path)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

#[test]
fn missing_files_are_empty_and_unreadable_ones_are_errors() {
    let scratch = Scratch::new();
    let missing = scratch.path().join("no").join("config");
    assert_eq!(ConfigFile::load(&missing).unwrap(), ConfigFile::default());
    assert_eq!(read_file(&missing).unwrap(), "");
    let error = ConfigFile::load(scratch.path()).unwrap_err();
    assert!(
        matches!(&error, ConfigError::Io { action: "read", path, .. } if path == scratch.path()),
        "{error:?}"
    );
    assert!(read_file(scratch.path()).is_err());
}

#[test]
fn parse_errors_name_the_file_and_the_line() {
    let scratch = Scratch::new();
    let path = scratch.path().join("config");
    fs::write(&path, "[default]\nregion = x\naws_secret_access_key\n").unwrap();
    let error = ConfigFile::load(&path).unwrap_err();
    assert!(
        matches!(
            &error,
            ConfigError::Parse { path: Some(p), line: 3, problem: LineProblem::NotASetting } if *p == path
        ),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        format!(
            "unable to parse the config file \"{}\": line 3: not a section, a setting or a comment",
            path.display()
        )
    );
}

#[test]
fn files_past_the_cap_are_refused_unread() {
    let scratch = Scratch::new();
    let path = scratch.path().join("config");
    // Sparse: no disk or memory spent on the zeros, unless the whole file is read.
    let file = fs::File::create(&path).unwrap();
    file.set_len(MAX_CONFIG_FILE as u64 + 1).unwrap();
    let error = ConfigFile::load(&path).unwrap_err();
    assert!(
        matches!(
            error,
            ConfigError::TooLarge {
                limit: MAX_CONFIG_FILE,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        error.to_string().ends_with("is larger than 4 MiB"),
        "{error}"
    );
    assert!(matches!(
        read_file(&path),
        Err(ConfigError::TooLarge { .. })
    ));
    // At the cap it is read (as zeros: one line that is not a setting).
    file.set_len(MAX_CONFIG_FILE as u64).unwrap();
    assert!(matches!(
        ConfigFile::load(&path),
        Err(ConfigError::Parse { line: 1, .. })
    ));
    fs::write(&path, "[default]\nregion = eu-west-1\n").unwrap();
    assert!(ConfigFile::load(&path).is_ok());
}

#[test]
fn text_that_is_not_utf8_is_loaded_but_not_edited() {
    let scratch = Scratch::new();
    let path = scratch.path().join("config");
    fs::write(&path, b"[default]\n# caf\xe9\nregion = eu-west-1\n").unwrap();
    let config = ConfigFile::load(&path).unwrap();
    assert_eq!(config.profile("default").unwrap()["region"], "eu-west-1");
    let error = read_file(&path).unwrap_err();
    assert!(
        matches!(error, ConfigError::NotUtf8 { line: 2, .. }),
        "{error:?}"
    );
}

#[test]
fn writes_create_the_folder_and_keep_every_other_byte() {
    let scratch = Scratch::new();
    let path = scratch.path().join(".aws").join("config");
    let text = edit(
        &read_file(&path).unwrap(),
        &Section::sso_session("my-sso"),
        &[("sso_region", "us-east-1")],
    )
    .unwrap();
    write_file(&path, &text).unwrap();
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        "[sso-session my-sso]\nsso_region = us-east-1\n"
    );
    let original = "# mine\r\n[default]\r\nregion = eu-west-1\r\n";
    fs::write(&path, original).unwrap();
    let text = edit(
        &read_file(&path).unwrap(),
        &Section::profile("default"),
        &[("output", "json")],
    )
    .unwrap();
    write_file(&path, &text).unwrap();
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        "# mine\r\n[default]\r\nregion = eu-west-1\r\noutput = json\r\n"
    );
    // No temporary file is left beside it.
    let names: Vec<_> = fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(names, ["config"]);
}

#[cfg(unix)]
#[test]
fn modes_are_kept_and_new_files_are_private() {
    use std::os::unix::fs::PermissionsExt;

    let mode = |path: &Path| fs::metadata(path).unwrap().permissions().mode() & 0o7777;
    let scratch = Scratch::new();
    let folder = scratch.path().join("new");
    let path = folder.join("config");
    write_file(&path, "[default]\n").unwrap();
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&folder), 0o700);
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    write_file(&path, "[default]\nregion = a\n").unwrap();
    assert_eq!(mode(&path), 0o640);
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        "[default]\nregion = a\n"
    );
}

#[cfg(unix)]
#[test]
fn a_linked_config_file_stays_linked() {
    let scratch = Scratch::new();
    let dotfiles = scratch.path().join("dotfiles");
    fs::create_dir_all(&dotfiles).unwrap();
    let real = dotfiles.join("aws-config");
    fs::write(&real, "[default]\n").unwrap();
    let aws = scratch.path().join(".aws");
    fs::create_dir_all(&aws).unwrap();
    let link = aws.join("config");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    write_file(&link, "[default]\nregion = b\n").unwrap();
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        fs::read_to_string(&real).unwrap(),
        "[default]\nregion = b\n"
    );
}

#[test]
fn a_folder_that_cannot_be_made_is_an_error_naming_it() {
    let scratch = Scratch::new();
    let file = scratch.path().join("a-file");
    fs::write(&file, "not a folder").unwrap();
    let error = write_file(&file.join("config"), "[default]\n").unwrap_err();
    assert!(
        matches!(&error, ConfigError::Io { action: "create the folder", path, .. } if *path == file),
        "{error:?}"
    );
    assert!(error.to_string().contains("a-file"), "{error}");
    assert_eq!(fs::read_to_string(&file).unwrap(), "not a folder");
}

#[cfg(unix)]
#[test]
fn a_folder_that_cannot_be_written_is_an_error_and_the_file_stays() {
    use std::os::unix::fs::PermissionsExt;

    let scratch = Scratch::new();
    let locked = scratch.path().join("locked");
    fs::create_dir_all(&locked).unwrap();
    let path = locked.join("config");
    fs::write(&path, "[default]\n").unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o500)).unwrap();
    let applies = fs::write(locked.join("probe"), "").is_err();
    let result = write_file(&path, "[default]\nregion = x\n");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o700)).unwrap();
    if !applies {
        eprintln!("skipped: permissions do not apply to this user (root?)");
        return;
    }
    let error = result.unwrap_err();
    assert!(
        matches!(
            &error,
            ConfigError::Io {
                action: "write",
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), "[default]\n");
}
