//! The sign-ins (device flow, authorization code) and the refresh step in real time: the core
//! decides, this file waits, listens and sends.

use std::time::{Instant, SystemTime};

use sso_oidc::{
    Action, AuthCodeAction, AuthCodeFlow, AuthCodeFlowConfig, Authorize, CachedToken, DeviceFlow,
    DeviceFlowConfig, FlowError, Login, Prompt, RedirectOutcome, RefreshPolicy, RefreshStep,
    Refreshed,
};
use sso_oidc_transport::redirect::{ListenerSettings, Reply, WaitError};
use sso_oidc_transport::{Cancel, Error, LoginError, RedirectInbox, auth_code_random, jitter_seed};

use crate::client::Client;
use crate::redirect::{Redirect, RedirectListener};

impl Client {
    /// Signs in with the device flow ([`DeviceFlow`]) in real time: registers a client (or
    /// reuses `config`'s cached registration), starts the device authorization, calls
    /// `on_prompt` once with the code to show, and polls until the person approves, denies,
    /// or the code expires. Retries, backoff and the poll interval are the core's policy, set
    /// in `config`; the retry jitter gets a random seed unless `config` has one
    /// ([`DeviceFlowConfig::or_jitter_seed`]). The requests go to `config`'s endpoint, not the
    /// client's.
    ///
    /// To stop it from another thread, or on Ctrl-C, use
    /// [`device_login_until`](Self::device_login_until).
    ///
    /// # Errors
    /// The [`FlowError`] the flow ended with: [`Denied`](FlowError::Denied),
    /// [`Expired`](FlowError::Expired), a service error, a response that could not be
    /// understood, or transport failures beyond the retry policy
    /// ([`Transport`](FlowError::Transport), with the kind; the full error of each failed
    /// attempt is logged with `tracing` at debug level).
    pub fn device_login(
        &self,
        config: DeviceFlowConfig,
        on_prompt: impl FnMut(&Prompt),
    ) -> Result<Login, FlowError> {
        self.device_login_until(config, on_prompt, &Cancel::new())
    }

    /// [`device_login`](Self::device_login) that ends with [`FlowError::Cancelled`] within
    /// about 100 ms of [`Cancel::cancel`] on `cancel` (from another thread, or a Ctrl-C
    /// handler): while it waits between polls, and while a request is under way. Each request
    /// runs on a thread of its own so that it can be abandoned: once cancelled, nothing more is
    /// sent, and a request under way ends on its own within the client's timeouts.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sso_oidc_ureq::sso_oidc::{DeviceFlowConfig, Endpoint, FlowError};
    /// use sso_oidc_ureq::{Cancel, Client};
    /// use sso_oidc_emulator::{BlockingEmulator, Config};
    ///
    /// let service = BlockingEmulator::start(Config::default())?; // nobody approves
    /// let config = DeviceFlowConfig::builder()
    ///     .endpoint(Endpoint::from_url(service.url())?)
    ///     .start_url("https://d-1234567890.awsapps.com/start")
    ///     .build()?;
    /// let cancel = Cancel::new();
    /// let on_ctrl_c = cancel.clone(); // what a Ctrl-C handler would hold
    /// std::thread::spawn(move || {
    ///     std::thread::sleep(Duration::from_millis(200));
    ///     on_ctrl_c.cancel();
    /// });
    /// let client = Client::builder().build()?;
    /// let outcome = client.device_login_until(config, |_| {}, &cancel);
    /// assert_eq!(outcome.unwrap_err(), FlowError::Cancelled);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// As [`device_login`](Self::device_login), and [`FlowError::Cancelled`].
    pub fn device_login_until(
        &self,
        config: DeviceFlowConfig,
        mut on_prompt: impl FnMut(&Prompt),
        cancel: &Cancel,
    ) -> Result<Login, FlowError> {
        let config = config.or_jitter_seed(jitter_seed());
        let mut flow = DeviceFlow::new(config, Instant::now(), SystemTime::now());
        loop {
            match flow.poll(Instant::now()) {
                Action::Send(request) => match self.send_until(request, cancel) {
                    None => flow.cancel(),
                    Some(Ok(response)) => flow.handle_response(response, Instant::now()),
                    Some(Err(error)) => {
                        tracing::debug!(%error, "request failed");
                        flow.handle_transport_error(error.kind(), Instant::now());
                    }
                },
                Action::Prompt(prompt) => on_prompt(&prompt),
                Action::WaitUntil(at) => {
                    if cancel.wait_timeout(at.saturating_duration_since(Instant::now())) {
                        flow.cancel();
                    }
                }
                Action::Done(login) => return Ok(login),
                Action::Failed(error) => return Err(error),
            }
        }
    }

    /// Signs in with the authorization-code flow and PKCE ([`AuthCodeFlow`]), as `aws sso
    /// login` does by default: listens on 127.0.0.1 (on `settings`' port, or a random one),
    /// registers a client for the grant (or reuses `config`'s cached registration if it was
    /// made for it), calls `on_prompt` with the authorize URL to open in a browser or show,
    /// waits for the browser to come back to the listener, and exchanges the code for the
    /// token: one CreateToken round trip after the redirect, no polling. The browser's tab is
    /// answered once the flow has ended: "signed in", or what went wrong; a redirect with
    /// another `state` (an old tab) is told so, and the sign-in goes on waiting. The PKCE
    /// verifier and `state` come from the operating system's random source
    /// ([`auth_code_random`]); retries, backoff and the wait for the browser (600 s by
    /// default) are the core's policy, set in `config`.
    ///
    /// To stop it, or to take an address pasted from a browser on another machine, use
    /// [`auth_code_login_until`](Self::auth_code_login_until).
    ///
    /// ```
    /// use sso_oidc_ureq::sso_oidc::{AuthCodeFlowConfig, Endpoint};
    /// use sso_oidc_ureq::{Client, ListenerSettings};
    /// use sso_oidc_emulator::{BlockingEmulator, Config};
    ///
    /// // The emulator approves and follows the redirect itself, as a browser would.
    /// let service = BlockingEmulator::start(Config::default().approve_authorizations())?;
    /// let config = AuthCodeFlowConfig::builder()
    ///     .endpoint(Endpoint::from_url(service.url())?)
    ///     .start_url("https://d-1234567890.awsapps.com/start")
    ///     .build()?;
    /// let client = Client::builder().build()?;
    /// let login = client.auth_code_login(config, &ListenerSettings::default(), |authorize| {
    ///     // A program opens `authorize.url` in a browser, or prints it. Here: a "browser".
    ///     let (client, url) = (client.clone(), authorize.url.clone());
    ///     std::thread::spawn(move || client.send(http::Request::get(url).body(Vec::new()).unwrap()));
    /// })?;
    /// assert!(login.registration_is_new); // cache it, with the token
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`LoginError::Flow`] with the [`FlowError`] the flow ended with:
    /// [`Refused`](FlowError::Refused) when the browser came back with an `error` (someone
    /// chose deny), [`Expired`](FlowError::Expired) when no redirect came in time, a service
    /// error (an expired or spent code is `InvalidGrant`), a response that could not be
    /// understood, or transport failures beyond the retry policy. [`LoginError::Bind`] when
    /// the listener cannot listen (a fixed port in use), [`LoginError::Listener`] when it
    /// fails while waiting, [`LoginError::Random`] without random numbers.
    pub fn auth_code_login(
        &self,
        config: AuthCodeFlowConfig,
        settings: &ListenerSettings,
        on_prompt: impl FnMut(&Authorize),
    ) -> Result<Login, LoginError> {
        self.auth_code_login_until(
            config,
            settings,
            on_prompt,
            &Cancel::new(),
            &RedirectInbox::new(),
        )
    }

    /// [`auth_code_login`](Self::auth_code_login) that ends with [`FlowError::Cancelled`]
    /// within about 100 ms of [`Cancel::cancel`] on `cancel` (while it waits for the browser,
    /// between retries, and while a request is under way), and that also takes the redirect
    /// from `pasted`: a person whose browser runs on another machine pastes its address bar
    /// (`http://127.0.0.1:<port>/oauth/callback?code=…&state=…`), and a thread reading
    /// standard input [`push`](RedirectInbox::push)es it. Whichever comes first, the listener's
    /// or the pasted one, is judged by the flow; one with another `state` is ignored. Pass
    /// `&RedirectInbox::new()` for none.
    ///
    /// # Errors
    /// As [`auth_code_login`](Self::auth_code_login), and [`FlowError::Cancelled`].
    pub fn auth_code_login_until(
        &self,
        config: AuthCodeFlowConfig,
        settings: &ListenerSettings,
        mut on_prompt: impl FnMut(&Authorize),
        cancel: &Cancel,
        pasted: &RedirectInbox,
    ) -> Result<Login, LoginError> {
        let mut listener = RedirectListener::bind(settings)?;
        let config = config.or_jitter_seed(jitter_seed());
        let (random, now) = (auth_code_random()?, Instant::now());
        let mut flow = AuthCodeFlow::new(
            config,
            listener.redirect_uri(),
            &random,
            now,
            SystemTime::now(),
        );
        // The redirect the flow took, answered once the flow has ended.
        let mut taken: Option<Redirect> = None;
        loop {
            match flow.poll(Instant::now()) {
                AuthCodeAction::Send(request) => match self.send_until(request, cancel) {
                    None => flow.cancel(),
                    Some(Ok(response)) => flow.handle_response(response, Instant::now()),
                    Some(Err(error)) => {
                        tracing::debug!(%error, "request failed");
                        flow.handle_transport_error(error.kind(), Instant::now());
                    }
                },
                AuthCodeAction::Authorize(authorize) => on_prompt(&authorize),
                AuthCodeAction::AwaitRedirect(deadline) => {
                    match listener.next_redirect_or_pasted(deadline, cancel, pasted) {
                        Ok(redirect) => {
                            match flow.handle_redirect(redirect.target(), Instant::now()) {
                                RedirectOutcome::Rejected(why) => {
                                    tracing::debug!(%why, "redirect ignored");
                                    let _ = redirect.respond(&Reply::Waiting);
                                }
                                _ => taken = Some(redirect),
                            }
                        }
                        Err(WaitError::TimedOut) => {} // the flow ends at its deadline
                        Err(WaitError::Cancelled) => flow.cancel(),
                        Err(error) => return Err(LoginError::Listener(error)),
                    }
                }
                AuthCodeAction::WaitUntil(at) => {
                    if cancel.wait_timeout(at.saturating_duration_since(Instant::now())) {
                        flow.cancel();
                    }
                }
                AuthCodeAction::Done(login) => {
                    if let Some(browser) = taken {
                        let _ = browser.respond(&Reply::SignedIn);
                    }
                    return Ok(login);
                }
                AuthCodeAction::Failed(error) => {
                    if let Some(browser) = taken {
                        let _ = browser.respond(&Reply::Failed(error.to_string()));
                    }
                    return Err(error.into());
                }
            }
        }
    }

    /// Refreshes `cached` if the core's [`RefreshPolicy::decide`] says so, at the current
    /// wall-clock time, given when the last attempt was made (keep that: attempts are at
    /// least [`REFRESH_ATTEMPT_INTERVAL`](sso_oidc::REFRESH_ATTEMPT_INTERVAL) apart). The
    /// request goes to the client's endpoint or, without one, to the cached token's region.
    ///
    /// # Errors
    /// A failed refresh: [`Error::Transport`], or [`Error::Api`] with the service's refusal
    /// (an `InvalidGrant` for a spent refresh token, say) or
    /// [`BuildError::MissingRegion`](sso_oidc::BuildError::MissingRegion) when neither the
    /// client nor the record names an endpoint. If the urgency was only
    /// [`Urgency::Advisory`](sso_oidc::Urgency::Advisory) (see [`RefreshPolicy::urgency`]), the
    /// old token is still good.
    pub fn refresh(
        &self,
        cached: &CachedToken,
        policy: &RefreshPolicy,
        last_attempt: Option<SystemTime>,
    ) -> Result<Refreshed, Error> {
        match policy.step(cached, self.endpoint(), SystemTime::now(), last_attempt)? {
            RefreshStep::Send(request, pending) => Ok(pending.finish(self.send(*request)?)?),
            RefreshStep::Done(refreshed) => Ok(refreshed),
            // Any step a later core adds: sending nothing is the safe reading.
            _ => Ok(Refreshed::Kept),
        }
    }
}
