//! Ctrl-C (and SIGTERM, SIGHUP), handled in two ways.
//!
//! - [`cancel`], for `login`: a cancel switch. The sign-in stops within about 100 ms, even in
//!   the middle of a request, and cleanly (nothing is written to the cache before a sign-in
//!   succeeds). A second signal exits at once, in case anything else is slow to notice.
//! - [`hold`], for `token`'s refresh: the service spends the cached refresh token as soon as it
//!   answers, so a signal between its answer and the write of the new token would lose the
//!   session. While a [`Held`] window is open, signals are only remembered; the caller ends the
//!   window once the cache is written and then stops as the signal asked. A signal outside the
//!   window exits at once, as the default action would.
//! - [`exit_on_signal`], once a sign-in is over and the command goes on: signals exit at once.
//!
//! There is one handler per process (the `ctrlc` crate allows one, and runs it on a thread of
//! its own); it is installed by the first call to either function, so a command that calls
//! neither keeps the platform's default actions. `ctrlc` does not say which signal came, so every
//! one of them ends with [`INTERRUPTED`] (130), Ctrl-C's code.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

use sso_oidc_ureq::Cancel;

use crate::error::INTERRUPTED;

/// Cancelled by the first signal outside a [`Held`] window; set by [`cancel`].
static CANCEL: OnceLock<Cancel> = OnceLock::new();
/// Whether the handler is in place (`false`: the platform refused one).
static INSTALLED: OnceLock<bool> = OnceLock::new();
/// Where [`hold`] stands: [`OPEN`], [`HOLDING`] or [`HELD`].
static WINDOW: AtomicU8 = AtomicU8::new(OPEN);
/// No window: a signal cancels or exits.
const OPEN: u8 = 0;
/// A window with no signal yet.
const HOLDING: u8 = 1;
/// A window in which a signal came.
const HELD: u8 = 2;

/// Installs the handler (once per process) and returns the switch it cancels. Without a
/// handler (the platform refused one), Ctrl-C ends the process as it would anyway.
pub(crate) fn cancel() -> &'static Cancel {
    let cancel = CANCEL.get_or_init(Cancel::new);
    install();
    cancel
}

/// From now on the first signal ends the process, as the default action would: for a command
/// that goes on once its sign-in is over (`configure sso` asks more questions), when a switch
/// that nothing watches any more would otherwise take the first Ctrl-C.
pub(crate) fn exit_on_signal() {
    if let Some(cancel) = CANCEL.get() {
        cancel.cancel();
    }
}

/// Opens a window in which signals do not end the process, until [`Held::release`] (or the
/// drop of the [`Held`]). Windows do not nest: `token` opens one per run.
pub(crate) fn hold() -> Held {
    install();
    WINDOW.store(HOLDING, Ordering::SeqCst);
    Held { _private: () }
}

/// An open [`hold`] window.
#[derive(Debug)]
#[must_use = "the window ends when this is dropped; `release` says whether a signal came"]
pub(crate) struct Held {
    _private: (),
}

impl Held {
    /// Ends the window: whether a signal came while it was open (the caller then stops with
    /// [`INTERRUPTED`]). A signal from now on exits at once.
    pub(crate) fn release(self) -> bool {
        // One swap, so a signal lands either before (and is reported here) or after (and the
        // handler exits): never lost between a load and a store.
        WINDOW.swap(OPEN, Ordering::SeqCst) == HELD
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        WINDOW.store(OPEN, Ordering::SeqCst);
    }
}

/// Puts the handler in place, once per process.
fn install() {
    INSTALLED.get_or_init(|| match ctrlc::set_handler(on_signal) {
        Ok(()) => true,
        Err(error) => {
            tracing::debug!(%error, "no Ctrl-C handler");
            false
        }
    });
}

/// The handler, on `ctrlc`'s thread: remembered in a window, else the cancel switch's first
/// signal, else the end of the process.
fn on_signal() {
    match WINDOW.compare_exchange(HOLDING, HELD, Ordering::SeqCst, Ordering::SeqCst) {
        Ok(_) | Err(HELD) => return,
        Err(_) => {}
    }
    match CANCEL.get() {
        Some(cancel) if !cancel.is_cancelled() => cancel.cancel(),
        _ => std::process::exit(i32::from(INTERRUPTED)),
    }
}
