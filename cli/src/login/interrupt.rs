//! Ctrl-C as a flag: the sign-in asks it between requests and while waiting, and stops
//! cleanly (nothing is written to the cache before a sign-in succeeds). A second Ctrl-C exits
//! at once, for a request that hangs until its read timeout.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::INTERRUPTED;

/// Set by the first Ctrl-C.
static FLAG: AtomicBool = AtomicBool::new(false);

/// Whether the handler is in place; it can be set once per process.
static INSTALLED: OnceLock<bool> = OnceLock::new();

/// Installs the Ctrl-C handler (once per process) and returns the flag it sets. Without a
/// handler (the platform refused one), Ctrl-C ends the process as it would anyway.
pub(crate) fn flag() -> &'static AtomicBool {
    INSTALLED.get_or_init(|| {
        ctrlc::set_handler(|| {
            if FLAG.swap(true, Ordering::SeqCst) {
                std::process::exit(i32::from(INTERRUPTED));
            }
        })
        .map_err(|error| tracing::debug!(%error, "no Ctrl-C handler"))
        .is_ok()
    });
    &FLAG
}

/// Whether Ctrl-C was pressed.
pub(crate) fn is_set(flag: &AtomicBool) -> bool {
    flag.load(Ordering::SeqCst)
}
