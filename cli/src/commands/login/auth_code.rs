//! The authorization-code flow with PKCE (RFC 7636) and a loopback redirect (RFC 8252), as
//! `aws sso login` signs in by default since AWS CLI 2.22: the browser on this machine opens
//! the authorize URL and comes back to a listener on 127.0.0.1.
//!
//! Beyond the AWS CLI: a browser on another machine (SSH, a container) cannot reach that
//! listener, but the address it ends on holds the code and the state; pasted on standard input
//! while the command waits, it finishes the sign-in just as well. `--redirect-port` fixes the
//! listener's port, for SSH `-L` forwarding.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use sso_oidc::{AuthCodeFlowConfig, Authorize, ClientRegistration, FlowError, Login};
use sso_oidc_ureq::{Cancel, Client, ListenerSettings, LoginError, RedirectInbox};

use crate::commands::login::plan::{CANCELLED, Plan, client_name, config_error, scopes};
use crate::error::CliError;
use crate::terminal::input::{self, Next};
use crate::terminal::prompt::{err, out};

/// Signs in with the authorization code, the listener on `redirect_port` (0: a free one).
///
/// # Errors
/// A configuration the core refuses, a port that cannot be listened on, a sign-in that failed,
/// or Ctrl-C (exit code 130).
pub(super) fn sign_in(
    plan: &Plan<'_>,
    client: &Client,
    registration: Option<ClientRegistration>,
    redirect_port: u16,
    interrupted: &Cancel,
) -> Result<Login, CliError> {
    let mut config = AuthCodeFlowConfig::builder()
        .endpoint(plan.endpoint.clone())
        .start_url(plan.settings.sign_in.start_url())
        .client_name(client_name(&plan.settings))
        .retry_policy(plan.context.retry_policy()?)
        .registration(registration);
    if let Some(scopes) = scopes(plan) {
        config = config.scopes(scopes.to_vec());
    }
    let config = config.build().map_err(|error| config_error(plan, error))?;
    let pasted = RedirectInbox::new();
    let _pasting = Pasting::start(pasted.clone());
    let browser = plan.browser;
    let outcome = client.auth_code_login_until(
        config,
        &ListenerSettings::port(redirect_port),
        |authorize| prompt(authorize, browser),
        interrupted,
        &pasted,
    );
    outcome.map_err(|error| match error {
        LoginError::Flow(FlowError::Cancelled) => CliError::interrupted(CANCELLED),
        LoginError::Bind(error) => CliError::failure(format!(
            "Unable to listen for the browser's redirect: {error}"
        )),
        error => CliError::failure(format!(
            "Unable to sign in at {}: {error}",
            plan.endpoint.url()
        )),
    })
}

/// Shows the authorize URL in the AWS CLI's words (its `OpenBrowserHandler`, or
/// `PrintOnlyHandler` without a browser) on stdout, what we add on stderr, and opens the
/// browser when there is one.
fn prompt(authorize: &Authorize, browser: bool) {
    out(&message(&authorize.url, browser));
    err(&format!(
        "This sign-in ends in a browser that can reach this machine's {}; a phone cannot \
         finish it (sign in with --use-device-code for that). If the browser is on another \
         machine, paste here the address it ends on and press Enter.\n",
        authorize.redirect_uri
    ));
    if browser && let Err(error) = webbrowser::open(&authorize.url) {
        tracing::debug!(%error, "the browser did not open");
    }
}

/// The AWS CLI's words for the authorize URL.
fn message(url: &str, browser: bool) -> String {
    if browser {
        format!(
            "Attempting to open your default browser. If the browser does not open, open the \
             following URL.\nIf you are unable to open the URL on this device, run this \
             command again with the '--use-device-code' option.\n\n{url}\n\n"
        )
    } else {
        format!(
            "Browser will not be automatically opened.\nPlease visit the following URL:\n\n{url}\n"
        )
    }
}

/// How often the reader of pasted redirects looks whether the sign-in is over.
const PASTE_CHECK: Duration = Duration::from_millis(100);

/// Hands each line of standard input to the flow as a pasted redirect, on a thread of its own,
/// until dropped: then the lines that follow are left to whatever reads next (`configure sso`
/// asks its next question). The end of the input just leaves the listener waiting.
struct Pasting {
    done: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Pasting {
    fn start(inbox: RedirectInbox) -> Self {
        let done = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&done);
        let spawned = std::thread::Builder::new()
            .name("pasted-redirect".into())
            .spawn(move || {
                while !flag.load(Ordering::SeqCst) {
                    match input::line_within(PASTE_CHECK) {
                        Next::Line(line) => inbox.push(line),
                        Next::Nothing => {}
                        Next::End => break,
                    }
                }
            });
        let thread = spawned
            .inspect_err(|error| tracing::debug!(%error, "no thread to read a pasted redirect"))
            .ok();
        Self { done, thread }
    }
}

impl Drop for Pasting {
    fn drop(&mut self) {
        self.done.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::message;

    #[test]
    fn the_aws_cli_words_with_and_without_a_browser() {
        assert_eq!(
            message("https://x/authorize?a=1", true),
            "Attempting to open your default browser. If the browser does not open, open the \
             following URL.\nIf you are unable to open the URL on this device, run this command \
             again with the '--use-device-code' option.\n\nhttps://x/authorize?a=1\n\n"
        );
        assert_eq!(
            message("https://x/authorize?a=1", false),
            "Browser will not be automatically opened.\nPlease visit the following URL:\n\n\
             https://x/authorize?a=1\n"
        );
    }
}
