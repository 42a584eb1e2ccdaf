//! What the state machines ([`DeviceFlow`](crate::DeviceFlow), [`Call`](crate::Call)) share:
//! the contract they hold their driver to, time that only moves forward, waits that never
//! overflow, and how they show a request without its secrets.

use std::fmt;
use std::time::{Duration, Instant};

/// How the driver of a state machine ([`DeviceFlow`](crate::DeviceFlow) or
/// [`Call`](crate::Call)) broke its contract: after each `Send` action exactly one `handle_*`
/// call must follow, and no other. A machine misused once stays failed with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Misuse {
    /// `poll` was called while the answer to the last request was still owed.
    #[error(
        "poll was called before the last request's answer was handled (call handle_response or handle_transport_error after each Send)"
    )]
    PollWhileAwaitingResponse,
    /// `handle_response` was called, but no request was waiting for an answer.
    #[error("handle_response was called, but no request was waiting for an answer")]
    UnexpectedResponse,
    /// `handle_transport_error` was called, but no request was waiting for an answer.
    #[error("handle_transport_error was called, but no request was waiting for an answer")]
    UnexpectedTransportError,
    /// [`AuthCodeFlow::handle_redirect`](crate::AuthCodeFlow::handle_redirect) was called
    /// before the flow handed out the authorize URL.
    #[error("handle_redirect was called before the authorize URL was handed out")]
    UnexpectedRedirect,
}

/// The latest `now` a machine was told: an earlier one counts as this one, so time inside a
/// machine only moves forward whatever clock its driver reads.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Clock {
    /// `None` until the machine is first told the time.
    last: Option<Instant>,
}

impl Clock {
    /// A clock that starts at `now`.
    pub(crate) const fn new(now: Instant) -> Self {
        Self { last: Some(now) }
    }

    /// `now`, or the last instant when `now` is earlier.
    pub(crate) fn advance(&mut self, now: Instant) -> Instant {
        let now = self.last.map_or(now, |last| last.max(now));
        self.last = Some(now);
        now
    }
}

/// `t + d`, or the latest instant this platform can represent beyond `t`: never earlier than
/// `t + e` for a shorter `e`, so a longer wait never ends sooner.
pub(crate) fn later(t: Instant, d: Duration) -> Instant {
    t.checked_add(d).unwrap_or_else(|| latest(t))
}

/// The latest instant this platform can represent, reached from `t` by adding the longest
/// durations that still fit.
fn latest(t: Instant) -> Instant {
    let mut latest = t;
    let mut step = Duration::MAX;
    while !step.is_zero() {
        match latest.checked_add(step) {
            Some(next) => latest = next,
            None => step /= 2,
        }
    }
    latest
}

/// What an error message adds when retries ran out: ` (gave up after 3 attempts)`, and
/// nothing after a single attempt.
pub(crate) fn gave_up_after(attempts: u32) -> String {
    if attempts > 1 {
        format!(" (gave up after {attempts} attempts)")
    } else {
        String::new()
    }
}

/// A `Send` action in `Debug` output: the request's method and URI, never its body, which
/// holds secrets.
pub(crate) fn debug_send(
    f: &mut fmt::Formatter<'_>,
    request: &http::Request<Vec<u8>>,
) -> fmt::Result {
    f.debug_struct("Send")
        .field("method", request.method())
        .field("uri", request.uri())
        .field("body_len", &request.body().len())
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_saturates_at_the_latest_instant_and_never_goes_back() {
        #[allow(clippy::disallowed_methods)]
        let now = Instant::now();
        let end = latest(now);
        assert_eq!(later(now, Duration::MAX), end);
        assert!(end.checked_add(Duration::from_nanos(1)).is_none());
        let near = later(now, end - now - Duration::from_secs(15));
        // Halving the overflowing wait instead (what `later` once did) gives near + 10 s here.
        assert_eq!(later(near, Duration::from_secs(20)), end);
        assert_eq!(
            later(near, Duration::from_secs(14)),
            near + Duration::from_secs(14)
        );
    }

    #[test]
    fn the_clock_never_goes_back() {
        #[allow(clippy::disallowed_methods)]
        let start = Instant::now();
        let later = start + Duration::from_secs(2);
        let mut clock = Clock::new(start);
        assert_eq!(clock.advance(later), later);
        assert_eq!(clock.advance(start), later);
        let mut fresh = Clock::default();
        assert_eq!(fresh.advance(later), later);
        assert_eq!(fresh.advance(start), later);
        assert_eq!(gave_up_after(1), "");
        assert_eq!(gave_up_after(3), " (gave up after 3 attempts)");
    }
}
