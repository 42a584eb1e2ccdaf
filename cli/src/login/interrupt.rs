//! Ctrl-C as a cancel switch: the sign-in stops within about 100 ms, even in the middle of a
//! request, and cleanly (nothing is written to the cache before a sign-in succeeds). A second
//! Ctrl-C exits at once, in case anything else is slow to notice.

use std::sync::OnceLock;

use sso_oidc_ureq::Cancel;

use crate::error::INTERRUPTED;

/// Cancelled by the first Ctrl-C. `Some` once the handler is in place; it can be set once
/// per process.
static CANCEL: OnceLock<Cancel> = OnceLock::new();

/// Installs the Ctrl-C handler (once per process) and returns the switch it cancels. Without a
/// handler (the platform refused one), Ctrl-C ends the process as it would anyway.
pub(crate) fn cancel() -> &'static Cancel {
    CANCEL.get_or_init(|| {
        let cancel = Cancel::new();
        let switch = cancel.clone();
        if let Err(error) = ctrlc::set_handler(move || {
            if switch.is_cancelled() {
                std::process::exit(i32::from(INTERRUPTED));
            }
            switch.cancel();
        }) {
            tracing::debug!(%error, "no Ctrl-C handler");
        }
        cancel
    })
}
