//! The device-authorization sign-in, driven in real time: the core decides, this loop obeys.

use std::time::{Duration, Instant, SystemTime};

use sso_oidc::{Action, DeviceFlow, DeviceFlowConfig, FlowError, Login, Prompt};

use crate::client::Client;

/// The longest a wait goes without asking whether the sign-in was cancelled.
const CANCEL_CHECK: Duration = Duration::from_millis(100);

impl Client {
    /// Signs in with the device-authorization flow ([`DeviceFlow`]) in real time: registers a
    /// client (or reuses `config`'s cached registration), starts the device authorization,
    /// calls `on_prompt` once with the code to show, and polls until the person approves,
    /// denies, or the code expires. Retries, backoff and the poll interval are the core's
    /// policy, set in `config`; the retry jitter gets a random seed unless `config` has one
    /// ([`DeviceFlowConfig::or_jitter_seed`]). The requests go to `config`'s endpoint, not the
    /// client's.
    ///
    /// To stop it from another thread, or on Ctrl-C, use
    /// [`device_login_with_cancel`](Self::device_login_with_cancel).
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
        self.device_login_with_cancel(config, on_prompt, || false)
    }

    /// [`device_login`](Self::device_login), stopped when `cancelled` returns `true`: it is
    /// asked before each request and at least every 100 ms while waiting. A request already
    /// sent is not interrupted (it ends within the read timeout).
    ///
    /// # Errors
    /// As [`device_login`](Self::device_login), and [`FlowError::Cancelled`] once
    /// `cancelled` says so.
    pub fn device_login_with_cancel(
        &self,
        config: DeviceFlowConfig,
        mut on_prompt: impl FnMut(&Prompt),
        cancelled: impl Fn() -> bool,
    ) -> Result<Login, FlowError> {
        let config = config.or_jitter_seed(random_seed());
        let mut flow = DeviceFlow::new(config, Instant::now(), SystemTime::now());
        loop {
            if cancelled() {
                flow.cancel();
            }
            match flow.poll(Instant::now()) {
                Action::Send(request) => match self.send(request) {
                    Ok(response) => flow.handle_response(response, Instant::now()),
                    Err(error) => {
                        tracing::debug!(%error, "request failed");
                        flow.handle_transport_error(error.kind(), Instant::now());
                    }
                },
                Action::Prompt(prompt) => on_prompt(&prompt),
                Action::WaitUntil(until) => sleep_until(until, &cancelled),
                Action::Done(login) => return Ok(login),
                Action::Failed(error) => return Err(error),
            }
        }
    }
}

/// A seed for the retry jitter when `config` has none, so that flows started together do not
/// retry in lockstep: std's `RandomState` is keyed randomly per process and anew per instance.
fn random_seed() -> u64 {
    use std::hash::BuildHasher;
    std::collections::hash_map::RandomState::new().hash_one(SystemTime::now())
}

/// Sleeps until `until` in slices, returning early once `cancelled` says so.
fn sleep_until(until: Instant, cancelled: &impl Fn() -> bool) {
    loop {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() || cancelled() {
            return;
        }
        std::thread::sleep(left.min(CANCEL_CHECK));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn seeds_differ_between_flows() {
        let seeds: std::collections::HashSet<u64> = (0..8).map(|_| super::random_seed()).collect();
        assert_eq!(seeds.len(), 8);
    }
}
