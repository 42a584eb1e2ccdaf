//! The cache folder on disk (feature `fs`): atomic writes, permissions, missing and unrelated
//! files, and the lock around read-refresh-write.
#![cfg(feature = "fs")]

use std::fs::{self, File, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sso_oidc::{
    CacheDir, CacheError, CachedRegistration, CachedToken, MAX_CACHE_FILE, Secret,
    registration_file_name, token_file_name,
};

/// A fresh folder under the system's temporary folder, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Self {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "sso-oidc-cache-fs-{}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).unwrap();
        Self(path)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn at(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

fn token(access: &str) -> CachedToken {
    let mut token = CachedToken::new(Secret::from(access), at(1_700_000_000));
    token.start_url = Some("https://d-1234567890.awsapps.com/start".to_owned());
    token.region = Some("us-east-1".to_owned());
    token.refresh_token = Some(Secret::from("refresh-0"));
    token
}

fn names(folder: &Path) -> Vec<String> {
    let mut names: Vec<_> = fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

#[test]
fn a_token_is_written_under_its_aws_cli_name_and_read_back() {
    let scratch = Scratch::new();
    let cache = CacheDir::new(&scratch.0);
    assert_eq!(cache.path(), scratch.0);
    cache.write_token("my-sso", &token("a")).unwrap();
    let path = scratch
        .0
        .join("0ad374308c5a4e22f723adf10145eafad7c4031c.json");
    assert_eq!(fs::read(&path).unwrap(), token("a").to_json());
    assert_eq!(cache.read_token("my-sso").unwrap(), Some(token("a")));

    // Overwriting replaces the whole record.
    let mut shorter = CachedToken::new(Secret::from("b"), at(0));
    shorter.region = Some("eu".to_owned());
    cache.write_token("my-sso", &shorter).unwrap();
    assert_eq!(cache.read_token("my-sso").unwrap(), Some(shorter));
}

#[test]
fn missing_files_read_as_none_and_remove_says_whether_there_was_one() {
    let scratch = Scratch::new();
    let cache = CacheDir::new(scratch.0.join("not-yet-created"));
    assert_eq!(cache.read_token("my-sso").unwrap(), None);
    assert_eq!(cache.read_registration("x.json").unwrap(), None);
    assert!(!cache.remove_token("my-sso").unwrap());
    assert!(!cache.path().exists(), "reading must not create the folder");

    cache.write_token("my-sso", &token("a")).unwrap();
    assert!(cache.remove_token("my-sso").unwrap());
    assert_eq!(cache.read_token("my-sso").unwrap(), None);
}

#[test]
fn registrations_are_stored_by_their_aws_cli_name() {
    let scratch = Scratch::new();
    let cache = CacheDir::new(&scratch.0);
    let scopes = vec!["sso:account:access".to_owned()];
    let name = registration_file_name(
        "https://d-1234567890.awsapps.com/start",
        "us-east-1",
        Some(&scopes),
        Some("my-sso"),
    );
    let mut cached =
        CachedRegistration::new("cid".to_owned(), Secret::from("cs"), at(1_800_000_000));
    cached.scopes = Some(scopes);
    cache.write_registration(&name, &cached).unwrap();
    assert_eq!(
        names(&scratch.0),
        ["a8343d65418848d0bc13a5f25cbb32508ceec5d1.json"]
    );
    assert_eq!(cache.read_registration(&name).unwrap(), Some(cached));
}

#[test]
fn writes_leave_no_temporary_files() {
    let scratch = Scratch::new();
    let cache = CacheDir::new(&scratch.0);
    for round in 0..20 {
        cache
            .write_token("my-sso", &token(&format!("a-{round}")))
            .unwrap();
        cache
            .write_token("https://x.example/start", &token("b"))
            .unwrap();
    }
    assert_eq!(
        names(&scratch.0),
        [
            token_file_name("my-sso"),
            token_file_name("https://x.example/start")
        ]
        .into_iter()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect::<Vec<_>>()
    );
    assert_eq!(cache.read_token("my-sso").unwrap(), Some(token("a-19")));
}

#[test]
fn unrelated_files_are_left_alone() {
    let scratch = Scratch::new();
    fs::write(
        scratch.0.join("botocore-client-id-us-east-1.json"),
        b"{not json",
    )
    .unwrap();
    fs::write(scratch.0.join("notes.txt"), b"hello").unwrap();
    fs::create_dir(scratch.0.join("kiro")).unwrap();
    let cache = CacheDir::new(&scratch.0);
    assert_eq!(cache.read_token("my-sso").unwrap(), None);
    cache.write_token("my-sso", &token("a")).unwrap();
    assert_eq!(cache.read_token("my-sso").unwrap(), Some(token("a")));
    assert_eq!(
        fs::read(scratch.0.join("botocore-client-id-us-east-1.json")).unwrap(),
        b"{not json"
    );
    assert_eq!(fs::read(scratch.0.join("notes.txt")).unwrap(), b"hello");
    assert_eq!(names(&scratch.0).len(), 4);
}

#[test]
fn a_damaged_token_file_is_an_error_not_a_missing_one() {
    let scratch = Scratch::new();
    fs::write(
        scratch.0.join(token_file_name("my-sso")),
        b"{\"accessToken\": \"LEAK",
    )
    .unwrap();
    let error = CacheDir::new(&scratch.0).read_token("my-sso").unwrap_err();
    assert!(
        matches!(error, CacheError::MalformedJson { .. }),
        "{error:?}"
    );
    assert!(!error.to_string().contains("LEAK"));
}

#[test]
fn names_that_leave_the_folder_are_refused() {
    let scratch = Scratch::new();
    let cache = CacheDir::new(scratch.0.join("cache"));
    let cached = CachedRegistration::new("c".to_owned(), Secret::from("s"), at(0));
    for name in ["../escape.json", "", "..", "a/b.json"] {
        assert!(matches!(
            cache.write_registration(name, &cached),
            Err(CacheError::InvalidFileName { .. })
        ));
        assert!(matches!(
            cache.read_registration(name),
            Err(CacheError::InvalidFileName { .. })
        ));
        assert!(matches!(
            cache.lock(name),
            Err(CacheError::InvalidFileName { .. })
        ));
    }
    assert_eq!(names(&scratch.0), Vec::<String>::new());
}

#[test]
fn io_errors_name_the_path_and_say_the_os_reason() {
    let scratch = Scratch::new();
    // A file where a folder should be.
    let blocker = scratch.0.join("cache");
    fs::write(&blocker, b"").unwrap();
    let cache = CacheDir::new(blocker.join("sso"));
    let written = cache.write_token("my-sso", &token("LEAK")).unwrap_err();
    let read = cache.read_token("my-sso").unwrap_err();
    for error in [&written, &read] {
        match error {
            CacheError::Io { path, .. } => assert!(path.starts_with(&blocker), "{path:?}"),
            other => panic!("{other:?}"),
        }
        let printed = error.to_string();
        assert!(printed.contains(&*blocker.to_string_lossy()), "{printed}");
        assert!(!printed.contains("LEAK"), "{printed}");
        // The reason is in the message itself, which is all a command line prints...
        let reason = error.io_error().unwrap();
        assert!(printed.ends_with(&format!(": {reason}")), "{printed}");
        #[cfg(unix)]
        assert!(printed.contains("Not a directory"), "{printed}");
        // ... and so not again as the source, which reporters would print a second time.
        assert!(std::error::Error::source(error).is_none());
    }
    assert!(
        written
            .to_string()
            .starts_with("could not create the folder \""),
        "{written}"
    );
    assert!(read.to_string().starts_with("could not read \""), "{read}");
}

/// Makes `folder` read-only (`0500`) and says whether that keeps this process out, which it
/// does not when the tests run as root.
#[cfg(unix)]
fn read_only(folder: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;

    fs::set_permissions(folder, fs::Permissions::from_mode(0o500)).unwrap();
    let probe = folder.join("probe");
    match fs::write(&probe, b"") {
        Ok(()) => {
            fs::remove_file(&probe).unwrap();
            false
        }
        Err(_) => true,
    }
}

#[cfg(unix)]
#[test]
fn a_read_only_folder_is_reported_as_the_os_says() {
    use std::os::unix::fs::PermissionsExt;

    let scratch = Scratch::new();
    let folder = scratch.0.join("cache");
    fs::create_dir(&folder).unwrap();
    if !read_only(&folder) {
        eprintln!("skipped: permissions do not apply to this user (root?)");
        return;
    }
    let error = CacheDir::new(&folder)
        .write_token("my-sso", &token("LEAK"))
        .unwrap_err();
    let printed = error.to_string();
    assert!(printed.starts_with("could not write \""), "{printed}");
    assert!(
        printed.ends_with("Permission denied (os error 13)"),
        "{printed}"
    );
    assert!(!printed.contains("LEAK"), "{printed}");
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o700)).unwrap();
}

#[cfg(unix)]
#[test]
fn files_are_0600_and_a_created_folder_0700() {
    use std::os::unix::fs::PermissionsExt;

    let mode = |path: &Path| fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let scratch = Scratch::new();
    let folder = scratch.0.join("home/.aws/sso/cache");
    let cache = CacheDir::new(&folder);
    cache.write_token("my-sso", &token("a")).unwrap();
    assert_eq!(mode(&folder), 0o700);
    assert_eq!(mode(&folder.join(token_file_name("my-sso"))), 0o600);

    // A file someone left world-readable is replaced by a private one.
    let registration = folder.join("r.json");
    fs::write(&registration, b"{}").unwrap();
    fs::set_permissions(&registration, fs::Permissions::from_mode(0o644)).unwrap();
    let cached = CachedRegistration::new("c".to_owned(), Secret::from("s"), at(0));
    cache.write_registration("r.json", &cached).unwrap();
    assert_eq!(mode(&registration), 0o600);

    let lock = cache.lock("r.json").unwrap();
    assert_eq!(mode(lock.path()), 0o600);

    // A folder that already exists keeps its mode.
    let shared = scratch.0.join("shared");
    fs::create_dir(&shared).unwrap();
    fs::set_permissions(&shared, fs::Permissions::from_mode(0o750)).unwrap();
    CacheDir::new(&shared)
        .write_token("x", &token("a"))
        .unwrap();
    assert_eq!(mode(&shared), 0o750);
}

#[test]
fn the_lock_excludes_a_second_locker_until_dropped() {
    let scratch = Scratch::new();
    let cache = CacheDir::new(&scratch.0);
    let name = token_file_name("my-sso");
    let lock = cache.lock(&name).unwrap();
    assert_eq!(lock.path(), scratch.0.join(format!("{name}.lock")));

    // Another open of the lock file, as another process would make, cannot take it...
    let other = File::options().write(true).open(lock.path()).unwrap();
    assert!(matches!(other.try_lock(), Err(TryLockError::WouldBlock)));
    assert!(cache.try_lock(&name).unwrap().is_none());
    // ... whatever is written meanwhile: the rename replaces the token file, not the lock file.
    cache.write_token("my-sso", &token("a")).unwrap();
    assert!(matches!(other.try_lock(), Err(TryLockError::WouldBlock)));
    // Locks on other files are independent.
    let unrelated = cache.try_lock(&token_file_name("other")).unwrap();
    assert!(unrelated.is_some());

    drop(lock);
    other.try_lock().unwrap();
    other.unlock().unwrap();
    assert!(cache.try_lock(&name).unwrap().is_some());
}

#[test]
fn a_waiting_locker_goes_on_once_the_lock_is_dropped() {
    let scratch = Scratch::new();
    let cache = CacheDir::new(&scratch.0);
    let name = token_file_name("my-sso");
    let lock = cache.lock(&name).unwrap();
    let (locked_tx, locked_rx) = mpsc::channel();
    std::thread::scope(|scope| {
        let waiter = scope.spawn(|| {
            let lock = cache.lock(&name).unwrap();
            locked_tx.send(()).unwrap();
            drop(lock);
        });
        // While held, the waiter cannot have got it.
        assert!(locked_rx.try_recv().is_err());
        drop(lock);
        locked_rx.recv().unwrap();
        waiter.join().unwrap();
    });
}

#[test]
fn concurrent_refreshes_under_the_lock_lose_no_rotated_token() {
    let scratch = Scratch::new();
    let cache = CacheDir::new(&scratch.0);
    cache.write_token("my-sso", &token("a")).unwrap();
    let name = token_file_name("my-sso");
    const THREADS: usize = 8;
    const ROUNDS: usize = 25;
    std::thread::scope(|scope| {
        for _ in 0..THREADS {
            scope.spawn(|| {
                for _ in 0..ROUNDS {
                    // Read, "refresh" (the service rotates the refresh token), write back.
                    let _lock = cache.lock(&name).unwrap();
                    let mut token = cache.read_token("my-sso").unwrap().unwrap();
                    let refresh = token.refresh_token.take().unwrap();
                    let generation: usize = refresh
                        .expose()
                        .strip_prefix("refresh-")
                        .unwrap()
                        .parse()
                        .unwrap();
                    token.refresh_token = Some(Secret::from(format!("refresh-{}", generation + 1)));
                    cache.write_token("my-sso", &token).unwrap();
                }
            });
        }
    });
    let last = cache.read_token("my-sso").unwrap().unwrap();
    assert_eq!(
        last.refresh_token.unwrap().expose(),
        &format!("refresh-{}", THREADS * ROUNDS)
    );
}

#[test]
fn a_write_sweeps_away_stale_temporary_files_and_nothing_else() {
    let scratch = Scratch::new();
    let long_ago = at(1_000_000_000);
    let old = |name: &str| {
        let path = scratch.0.join(name);
        File::create(&path).unwrap().set_modified(long_ago).unwrap();
        path
    };
    // Left by writes that were killed half-way, an hour or years ago.
    let stale = [
        old(&format!(".{}.4242-0.tmp", token_file_name("my-sso"))),
        old(".r.json.1-99.tmp"),
        old(".write-check.7-3.tmp"),
    ];
    // Another process's write under way.
    let fresh = scratch.0.join(".r.json.4243-0.tmp");
    fs::write(&fresh, b"half a token").unwrap();
    // Not ours, however old.
    let unrelated = [
        old("notes.tmp"),
        old(".r.json.tmp"),
        old("r.json.1-2.tmp"),
        old(".r.json.1-2.tmp.bak"),
        old(".r.json.x-2.tmp"),
        old(&format!("{}.lock", token_file_name("my-sso"))),
        old("botocore-client-id-us-east-1.json"),
    ];
    let folder_like_ours = scratch.0.join(".kiro.1-2.tmp");
    fs::create_dir(&folder_like_ours).unwrap();
    // (Windows opens no folder as a `File`.)
    #[cfg(unix)]
    File::open(&folder_like_ours)
        .unwrap()
        .set_modified(long_ago)
        .unwrap();

    CacheDir::new(&scratch.0)
        .write_token("my-sso", &token("a"))
        .unwrap();
    for path in &stale {
        assert!(!path.exists(), "{path:?} is still there");
    }
    assert_eq!(fs::read(&fresh).unwrap(), b"half a token");
    for path in unrelated.iter().chain([&folder_like_ours]) {
        assert!(path.exists(), "{path:?} was removed");
    }
    assert_eq!(names(&scratch.0).len(), 1 + 1 + unrelated.len() + 1);
}

#[test]
fn check_writable_creates_the_folder_and_leaves_nothing_in_it() {
    let scratch = Scratch::new();
    let folder = scratch.0.join("home/.aws/sso/cache");
    let cache = CacheDir::new(&folder);
    cache.check_writable().unwrap();
    assert!(folder.is_dir());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&folder).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
    }
    assert_eq!(names(&folder), Vec::<String>::new());
    // Again, on the folder that now exists.
    cache.check_writable().unwrap();
    assert_eq!(names(&folder), Vec::<String>::new());
}

#[test]
fn check_writable_says_why_not() {
    let scratch = Scratch::new();
    let blocker = scratch.0.join("cache");
    fs::write(&blocker, b"").unwrap();
    let error = CacheDir::new(blocker.join("sso"))
        .check_writable()
        .unwrap_err();
    let reason = error.io_error().expect("an i/o error");
    assert!(
        error.to_string().ends_with(&format!(": {reason}")),
        "{error}"
    );
    #[cfg(unix)]
    assert!(error.to_string().contains("Not a directory"), "{error}");

    #[cfg(unix)]
    {
        let folder = scratch.0.join("read-only");
        fs::create_dir(&folder).unwrap();
        if read_only(&folder) {
            let error = CacheDir::new(&folder).check_writable().unwrap_err();
            assert!(
                error
                    .to_string()
                    .ends_with("Permission denied (os error 13)"),
                "{error}"
            );
        } else {
            eprintln!("read-only folder skipped: permissions do not apply to this user (root?)");
        }
    }
}

#[test]
fn reads_stop_at_the_size_cap() {
    let scratch = Scratch::new();
    let cache = CacheDir::new(&scratch.0);
    let limit = u64::try_from(MAX_CACHE_FILE).unwrap();
    let sparse = |name: &str, len: u64| {
        // Sparse: no disk blocks, so the test stays cheap.
        File::create(scratch.0.join(name))
            .unwrap()
            .set_len(len)
            .unwrap();
    };

    // At the cap the file is read (and, being zero bytes, is not JSON).
    sparse(&token_file_name("at-cap"), limit);
    assert!(matches!(
        cache.read_token("at-cap"),
        Err(CacheError::MalformedJson { .. })
    ));

    // One byte over, and far over, it is refused without reading it all.
    for (name, len) in [("over", limit + 1), ("huge", 100 << 20)] {
        sparse(&token_file_name(name), len);
        let error = cache.read_token(name).unwrap_err();
        match &error {
            CacheError::TooLarge { path, limit } => {
                assert_eq!(*path, scratch.0.join(token_file_name(name)));
                assert_eq!(*limit, MAX_CACHE_FILE);
            }
            other => panic!("{other:?}"),
        }
        let printed = error.to_string();
        assert!(
            printed.contains(&format!("larger than {MAX_CACHE_FILE} bytes")),
            "{printed}"
        );
        assert!(printed.contains(&token_file_name(name)), "{printed}");
    }
    sparse("r.json", limit + 1);
    assert!(matches!(
        cache.read_registration("r.json"),
        Err(CacheError::TooLarge { .. })
    ));

    // A real record, padded with white space up to the cap, reads.
    let mut padded = token("a").to_json();
    padded.resize(MAX_CACHE_FILE, b' ');
    fs::write(scratch.0.join(token_file_name("padded")), &padded).unwrap();
    assert_eq!(cache.read_token("padded").unwrap(), Some(token("a")));
}

#[cfg(unix)]
#[test]
fn a_folder_others_can_write_is_warned_about_and_still_used() {
    use std::os::unix::fs::PermissionsExt;

    let scratch = Scratch::new();
    let folder = scratch.0.join("cache");
    let cache = CacheDir::new(&folder);
    assert_eq!(cache.permission_warning(), None, "no folder yet");
    cache.check_writable().unwrap();
    assert_eq!(cache.permission_warning(), None, "created 0700");

    for (mode, loose) in [
        (0o777, true),
        (0o1777, true),
        (0o770, true),
        (0o702, true),
        (0o700, false),
        (0o755, false),
        (0o500, false),
    ] {
        fs::set_permissions(&folder, fs::Permissions::from_mode(mode)).unwrap();
        let warning = cache.permission_warning();
        assert_eq!(warning.is_some(), loose, "{mode:o}");
        if let Some(warning) = warning {
            assert_eq!(warning.path, folder);
            assert_eq!(warning.mode, mode);
            let printed = warning.to_string();
            assert!(printed.contains(&format!("(mode {mode:04o})")), "{printed}");
            assert!(
                printed.ends_with(&format!("run: chmod 700 {}", folder.display())),
                "{printed}"
            );
            // Only a warning.
            cache.write_token("my-sso", &token("a")).unwrap();
            assert_eq!(cache.read_token("my-sso").unwrap(), Some(token("a")));
        }
    }
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o700)).unwrap();

    // A file is not a folder to warn about.
    let file = scratch.0.join("file");
    fs::write(&file, b"").unwrap();
    fs::set_permissions(&file, fs::Permissions::from_mode(0o777)).unwrap();
    assert_eq!(CacheDir::new(&file).permission_warning(), None);
}

#[cfg(not(unix))]
#[test]
fn no_permission_warning_off_unix() {
    let scratch = Scratch::new();
    assert_eq!(CacheDir::new(&scratch.0).permission_warning(), None);
}
