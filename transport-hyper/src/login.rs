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
    /// Signs in with the device flow: registers a client (or reuses the configuration's cached
    /// registration), starts the device authorization, calls `on_prompt` with what to show the
    /// person, and polls until they approve or deny, or the code expires.
    ///
    /// The core's [`DeviceFlow`] decides everything (when to poll, `slow_down`, backoff and
    /// retries, the deadline); this method sends what it says to send, tells it the real time,
    /// and sleeps on the tokio timer until it says to go on. Requests go to the
    /// configuration's endpoint, and the retry jitter gets a random seed unless the
    /// configuration has one ([`DeviceFlowConfig::or_jitter_seed`]). `on_prompt` is called once
    /// per device authorization (again only if a stale cached registration has to be replaced
    /// during the flow).
    ///
    /// **Cancelling:** drop the future (with `tokio::select!`, `tokio::time::timeout`, or by
    /// aborting the task): nothing more is sent, and a request under way is abandoned. Or use
    /// [`device_login_until`](Self::device_login_until) to get [`FlowError::Cancelled`] back.
    ///
    /// # Errors
    /// [`FlowError`]: denied, expired, a service error or a transport failure the retry
    /// policy gave up on, or a response it could not parse.
    pub async fn device_login(
        &self,
        config: DeviceFlowConfig,
        on_prompt: impl FnMut(&Prompt),
    ) -> Result<Login, FlowError> {
        self.device_login_until(config, on_prompt, &Cancel::new())
            .await
    }

    /// [`device_login`](Self::device_login) that ends with [`FlowError::Cancelled`] as soon as
    /// `cancel` is cancelled, from any thread or task: while waiting between polls, or while a
    /// request is under way (which is then abandoned).
    ///
    /// # Errors
    /// As [`device_login`](Self::device_login), and [`FlowError::Cancelled`].
    pub async fn device_login_until(
        &self,
        config: DeviceFlowConfig,
        mut on_prompt: impl FnMut(&Prompt),
        cancel: &Cancel,
    ) -> Result<Login, FlowError> {
        let config = config.or_jitter_seed(jitter_seed());
        let mut flow = DeviceFlow::new(config, Instant::now(), SystemTime::now());
        loop {
            match flow.poll(Instant::now()) {
                Action::Send(request) => tokio::select! {
                    biased;
                    () = cancel.cancelled() => flow.cancel(),
                    sent = self.send(request) => match sent {
                        Ok(response) => flow.handle_response(response, Instant::now()),
                        Err(error) => {
                            tracing::debug!(%error, "request failed");
                            flow.handle_transport_error(error.kind(), Instant::now());
                        }
                    },
                },
                Action::Prompt(prompt) => on_prompt(&prompt),
                Action::WaitUntil(at) => tokio::select! {
                    biased;
                    () = cancel.cancelled() => flow.cancel(),
                    () = tokio::time::sleep_until(at.into()) => {}
                },
                Action::Done(login) => return Ok(login),
                Action::Failed(error) => return Err(error),
            }
        }
    }

    /// Signs in with the authorization-code flow and PKCE ([`AuthCodeFlow`]), as `aws sso
    /// login` does by default: listens on 127.0.0.1 (on `settings`' port, or a random one),
    /// registers a client for the grant (or reuses the configuration's cached registration if
    /// it was made for it), calls `on_prompt` with the authorize URL to open in a browser or
    /// show, waits for the browser to come back to the listener, and exchanges the code for
    /// the token: one CreateToken round trip after the redirect, no polling. The browser's tab
    /// is answered once the flow has ended: "signed in", or what went wrong; a redirect with
    /// another `state` (an old tab) is told so, and the sign-in goes on waiting. The PKCE
    /// verifier and `state` come from the operating system's random source
    /// ([`auth_code_random`]); retries, backoff and the wait for the browser (600 s by
    /// default) are the core's policy, set in the configuration. Must run within a tokio
    /// runtime (with time and I/O enabled).
    ///
    /// **Cancelling:** drop the future: nothing more is sent, the listener closes, and a
    /// browser whose redirect was not answered yet is told the terminal stopped waiting. Or
    /// use [`auth_code_login_until`](Self::auth_code_login_until), which also takes an address
    /// pasted from a browser on another machine.
    ///
    /// # Errors
    /// [`LoginError::Flow`] with the [`FlowError`] the flow ended with:
    /// [`Refused`](FlowError::Refused) when the browser came back with an `error` (someone
    /// chose deny), [`Expired`](FlowError::Expired) when no redirect came in time, a service
    /// error (an expired or spent code is `InvalidGrant`), a response that could not be
    /// understood, or transport failures beyond the retry policy. [`LoginError::Bind`] when
    /// the listener cannot listen (a fixed port in use), [`LoginError::Listener`] when it
    /// fails while waiting, [`LoginError::Random`] without random numbers.
    pub async fn auth_code_login(
        &self,
        config: AuthCodeFlowConfig,
        settings: &ListenerSettings,
        on_prompt: impl FnMut(&Authorize),
    ) -> Result<Login, LoginError> {
        let (cancel, pasted) = (Cancel::new(), RedirectInbox::new());
        self.auth_code_login_until(config, settings, on_prompt, &cancel, &pasted)
            .await
    }

    /// [`auth_code_login`](Self::auth_code_login) that ends with [`FlowError::Cancelled`] as
    /// soon as `cancel` is cancelled, from any thread or task (while it waits for the browser,
    /// between retries, or while a request is under way, which is then abandoned), and that
    /// also takes the redirect from `pasted`: a person whose browser runs on another machine
    /// pastes its address bar (`http://127.0.0.1:<port>/oauth/callback?code=…&state=…`), and a
    /// task or thread reading standard input [`push`](RedirectInbox::push)es it. Whichever
    /// comes first, the listener's or the pasted one, is judged by the flow; one with another
    /// `state` is ignored. Pass `&RedirectInbox::new()` for none.
    ///
    /// # Errors
    /// As [`auth_code_login`](Self::auth_code_login), and [`FlowError::Cancelled`].
    pub async fn auth_code_login_until(
        &self,
        config: AuthCodeFlowConfig,
        settings: &ListenerSettings,
        mut on_prompt: impl FnMut(&Authorize),
        cancel: &Cancel,
        pasted: &RedirectInbox,
    ) -> Result<Login, LoginError> {
        let mut listener = RedirectListener::bind(settings).await?;
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
                AuthCodeAction::Send(request) => tokio::select! {
                    biased;
                    () = cancel.cancelled() => flow.cancel(),
                    sent = self.send(request) => match sent {
                        Ok(response) => flow.handle_response(response, Instant::now()),
                        Err(error) => {
                            tracing::debug!(%error, "request failed");
                            flow.handle_transport_error(error.kind(), Instant::now());
                        }
                    },
                },
                AuthCodeAction::Authorize(authorize) => on_prompt(&authorize),
                AuthCodeAction::AwaitRedirect(deadline) => {
                    match listener
                        .next_redirect_or_pasted(deadline, cancel, pasted)
                        .await
                    {
                        Ok(redirect) => {
                            match flow.handle_redirect(redirect.target(), Instant::now()) {
                                RedirectOutcome::Rejected(why) => {
                                    tracing::debug!(%why, "redirect ignored");
                                    let _ = redirect.respond(&Reply::Waiting).await;
                                }
                                _ => taken = Some(redirect),
                            }
                        }
                        Err(WaitError::TimedOut) => {} // the flow ends at its deadline
                        Err(WaitError::Cancelled) => flow.cancel(),
                        Err(error) => return Err(LoginError::Listener(error)),
                    }
                }
                AuthCodeAction::WaitUntil(at) => tokio::select! {
                    biased;
                    () = cancel.cancelled() => flow.cancel(),
                    () = tokio::time::sleep_until(at.into()) => {}
                },
                AuthCodeAction::Done(login) => {
                    if let Some(browser) = taken {
                        let _ = browser.respond(&Reply::SignedIn).await;
                    }
                    return Ok(login);
                }
                AuthCodeAction::Failed(error) => {
                    if let Some(browser) = taken {
                        let _ = browser.respond(&Reply::Failed(error.to_string())).await;
                    }
                    return Err(error.into());
                }
            }
        }
    }

    /// Refreshes a cached token if the policy says so ([`RefreshPolicy::decide`], told the
    /// wall-clock time now and when the last attempt was made; keep that: attempts are at
    /// least [`REFRESH_ATTEMPT_INTERVAL`](sso_oidc::REFRESH_ATTEMPT_INTERVAL) apart): sends
    /// the `refresh_token` grant to the client's endpoint or, without one, to the cached
    /// token's region, and returns the updated record ([`CachedToken::refreshed`]).
    ///
    /// # Errors
    /// A failed refresh: [`Error::Transport`], or [`Error::Api`] with the service's refusal
    /// (an `InvalidGrant` for a spent refresh token, say) or
    /// [`BuildError::MissingRegion`](sso_oidc::BuildError::MissingRegion) when neither the
    /// client nor the record names an endpoint. If the urgency was only
    /// [`Urgency::Advisory`](sso_oidc::Urgency::Advisory) (see [`RefreshPolicy::urgency`]), the old token is still good.
    pub async fn refresh(
        &self,
        cached: &CachedToken,
        policy: &RefreshPolicy,
        last_attempt: Option<SystemTime>,
    ) -> Result<Refreshed, Error> {
        match policy.step(cached, self.endpoint(), SystemTime::now(), last_attempt)? {
            RefreshStep::Send(request, pending) => Ok(pending.finish(self.send(*request).await?)?),
            RefreshStep::Done(refreshed) => Ok(refreshed),
            // Any step a later core adds: sending nothing is the safe reading.
            _ => Ok(Refreshed::Kept),
        }
    }
}
