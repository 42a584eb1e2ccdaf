//! The loopback redirect listener's request handling, without sockets: both transports'
//! `RedirectListener` run it.
//!
//! In the authorization-code sign-in (RFC 7636 PKCE, RFC 8252 loopback redirect) the browser
//! comes back to `http://127.0.0.1:<port>/oauth/callback?code=…&state=…`. The listener:
//!
//! - reads each connection's request head within a size cap ([`HeadReader`],
//!   [`MAX_HEAD_BYTES`]) and a time cap ([`ListenerSettings::connection_timeout`]);
//! - answers any other path (a browser asks for `/favicon.ico`) with 404, other methods with
//!   405, a malformed head or a body with 400, an oversized one with 431 ([`Exchange`]);
//! - hands a `GET` of [`CALLBACK_PATH`] to the caller as its request target, untouched: the
//!   flow reads `code`, `state` or `error`, not the listener;
//! - answers that browser only once the flow has judged the redirect ([`Reply`]): signed in,
//!   failed (with the flow's short reason), or "not this sign-in, still waiting" for a wrong
//!   `state`.
//!
//! Every page is a small self-contained HTML page (no script, nothing fetched from elsewhere,
//! `Cache-Control: no-store`, `Connection: close`) that shows nothing from the request.

mod exchange;
mod head;
mod inbox;
mod page;
mod settings;

pub use exchange::{CALLBACK_PATH, Exchange, Step};
pub use head::{HeadError, HeadReader, MAX_HEAD_BYTES, RequestHead};
pub use inbox::{Pushed, RedirectInbox};
pub use page::Reply;
pub use settings::{BindError, ListenerSettings, WaitError, redirect_uri};

/// `target` with its query hidden (`/oauth/callback?<redacted>`), for `Debug` output and logs:
/// the query of a redirect holds the authorization code, a secret.
///
/// ```
/// use sso_oidc_transport::redirect::redacted_target;
/// assert_eq!(redacted_target("/oauth/callback?code=c&state=s"), "/oauth/callback?<redacted>");
/// assert_eq!(redacted_target("/favicon.ico"), "/favicon.ico");
/// ```
pub fn redacted_target(target: &str) -> String {
    match target.split_once('?') {
        Some((path, _)) => format!("{path}?<redacted>"),
        None => target.to_owned(),
    }
}
