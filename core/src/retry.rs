//! Which failures are worth another try, and how long to wait before it.
//!
//! The policy is the AWS SDKs' "standard" retry mode: transient errors (HTTP 500, 502, 503,
//! 504, `InternalServerException`, request timeouts) and throttling (HTTP 429 and the
//! throttling error codes) are retried, up to a number of attempts, after an exponential
//! backoff with full jitter. The randomness comes from the caller as a seed, so the same seed
//! gives the same delays: the core never draws random numbers of its own.

use std::time::Duration;

use crate::error::{Error, ErrorCode};
use crate::transport::TransportErrorKind;

/// How often and how patiently to retry a request that failed for a transient reason.
///
/// ```
/// use sso_oidc::RetryPolicy;
/// use std::time::Duration;
///
/// let policy = RetryPolicy::standard().with_max_attempts(5);
/// assert_eq!(policy.max_attempts(), 5);
/// // The ceiling of the wait before the third attempt: 1 s x 2^(3 - 2), below the 20 s cap.
/// assert_eq!(policy.backoff_ceiling(3), Duration::from_secs(2));
/// // The wait itself is that ceiling times a random fraction (full jitter).
/// assert_eq!(policy.backoff(3, 0.25), Duration::from_millis(500));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self::standard()
    }
}

impl RetryPolicy {
    /// The AWS SDKs' standard mode: 3 attempts in all, backoff from 1 s doubling to at most 20 s.
    pub const fn standard() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
        }
    }

    /// The AWS CLI's legacy mode: 5 attempts in all, with the same backoff as
    /// [`standard`](Self::standard).
    pub const fn legacy() -> Self {
        Self {
            max_attempts: 5,
            ..Self::standard()
        }
    }

    /// No retries: every failure is final.
    pub const fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::standard()
        }
    }

    /// Sets how many attempts one request gets in all, the first included (`AWS_MAX_ATTEMPTS`,
    /// `max_attempts` in the config file). `0` is taken as `1`.
    #[must_use]
    pub const fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = if max_attempts == 0 { 1 } else { max_attempts };
        self
    }

    /// Sets the first backoff ceiling and the cap the doubling stops at.
    #[must_use]
    pub const fn with_backoff(mut self, base_delay: Duration, max_backoff: Duration) -> Self {
        self.base_delay = base_delay;
        self.max_backoff = max_backoff;
        self
    }

    /// How many attempts one request gets in all, the first included.
    pub const fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Whether another attempt may follow `attempts_made` failed attempts in a row.
    pub const fn allows_another(&self, attempts_made: u32) -> bool {
        attempts_made < self.max_attempts
    }

    /// The longest wait before attempt number `attempt` (2 for the first retry):
    /// `base x 2^(attempt - 2)`, at most the cap.
    pub fn backoff_ceiling(&self, attempt: u32) -> Duration {
        let doublings = attempt.saturating_sub(2).min(31);
        self.base_delay
            .checked_mul(1 << doublings)
            .map_or(self.max_backoff, |d| d.min(self.max_backoff))
    }

    /// The wait before attempt number `attempt`, given a random `fraction` in `[0, 1)`: the
    /// ceiling times the fraction ("full jitter"). A fraction outside `[0, 1]` is clamped.
    pub fn backoff(&self, attempt: u32, fraction: f64) -> Duration {
        let fraction = if fraction.is_nan() {
            0.0
        } else {
            fraction.clamp(0.0, 1.0)
        };
        let ceiling = self.backoff_ceiling(attempt);
        // Through f64 a ceiling near Duration::MAX can round above it: never past the ceiling.
        Duration::try_from_secs_f64(ceiling.as_secs_f64() * fraction)
            .map_or(ceiling, |d| d.min(ceiling))
    }

    /// Whether a failed operation is worth another attempt: a transient service error or
    /// throttling, or a response that could not be understood but came with a 5xx or 429
    /// status (an HTML error page from a proxy, say). Errors in the request itself, and every
    /// other error the service names, are final.
    pub fn is_retryable(error: &Error) -> bool {
        match error {
            Error::Service(e) => {
                is_retryable_status(e.status().as_u16()) || is_retryable_code(e.code())
            }
            Error::Parse(e) => !e.status().is_success() && is_retryable_status(e.status().as_u16()),
            Error::Build(_) => false,
        }
    }
}

fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 500 | 502 | 503 | 504)
}

/// The error codes the AWS SDKs' standard mode treats as transient or throttling. The
/// device flow's own `SlowDownException` is not among them: it is an answer, not a failure.
fn is_retryable_code(code: &ErrorCode) -> bool {
    match code {
        ErrorCode::InternalServer => true,
        ErrorCode::Other(name) => matches!(
            name.as_str(),
            "RequestTimeout"
                | "RequestTimeoutException"
                | "PriorRequestNotComplete"
                | "InternalError"
                | "ServiceUnavailable"
                | "Throttling"
                | "ThrottlingException"
                | "ThrottledException"
                | "RequestThrottledException"
                | "TooManyRequestsException"
                | "ProvisionedThroughputExceededException"
                | "TransactionInProgressException"
                | "RequestLimitExceeded"
                | "BandwidthLimitExceeded"
                | "LimitExceededException"
                | "RequestThrottled"
                | "EC2ThrottledException"
        ),
        _ => false,
    }
}

/// The attempts at one request under a [`RetryPolicy`]: it counts the failures in a row and,
/// after each, says whether to try again and how long to wait first (full jitter, drawn from
/// a seed: the same seed gives the same waits). [`DeviceFlow`](crate::DeviceFlow) keeps one
/// for its requests, and [`Call`](crate::Call) one for its single request.
///
/// ```
/// use sso_oidc::{Attempts, RetryPolicy, TransportErrorKind};
///
/// let mut attempts = Attempts::new(RetryPolicy::standard(), 42);
/// // A timeout is worth another try: wait at most 1 s, then at most 2 s.
/// let first = attempts.retry_after_transport_error(TransportErrorKind::Timeout).unwrap();
/// assert!(first.as_secs_f64() <= 1.0);
/// let second = attempts.retry_after_transport_error(TransportErrorKind::Timeout).unwrap();
/// assert!(second.as_secs_f64() <= 2.0);
/// // The third failure ends it: standard mode makes 3 attempts in all.
/// assert_eq!(attempts.retry_after_transport_error(TransportErrorKind::Timeout), None);
/// assert_eq!(attempts.failed(), 3);
/// // An untrusted certificate fails the same way again: never retried.
/// attempts.reset();
/// assert_eq!(attempts.retry_after_transport_error(TransportErrorKind::Tls), None);
/// ```
#[derive(Clone, Debug)]
pub struct Attempts {
    policy: RetryPolicy,
    jitter: Jitter,
    failed: u32,
}

impl Attempts {
    /// No attempt made yet, with this policy and jitter seed.
    pub const fn new(policy: RetryPolicy, seed: u64) -> Self {
        Self {
            policy,
            jitter: Jitter::new(seed),
            failed: 0,
        }
    }

    /// Failed attempts in a row so far.
    pub const fn failed(&self) -> u32 {
        self.failed
    }

    /// An attempt got an answer (one that is not a failure, a pending poll included): the
    /// count starts again.
    pub fn reset(&mut self) {
        self.failed = 0;
    }

    /// Counts an attempt that failed with `error`: the wait before the next attempt, or `None`
    /// when the failure is final (not [retryable](RetryPolicy::is_retryable), or no attempt
    /// left).
    pub fn retry_after_error(&mut self, error: &Error) -> Option<Duration> {
        self.retry_if(RetryPolicy::is_retryable(error))
    }

    /// Counts an attempt that got no response: the wait before the next attempt, or `None`
    /// when the failure is final ([`TransportErrorKind::is_retryable`], or no attempt left).
    pub fn retry_after_transport_error(&mut self, kind: TransportErrorKind) -> Option<Duration> {
        self.retry_if(kind.is_retryable())
    }

    fn retry_if(&mut self, retryable: bool) -> Option<Duration> {
        self.failed += 1;
        if !retryable || !self.policy.allows_another(self.failed) {
            return None;
        }
        let fraction = self.jitter.next_fraction();
        Some(self.policy.backoff(self.failed + 1, fraction))
    }
}

/// A small, fast pseudo-random sequence (SplitMix64) seeded by the caller: enough to spread
/// retries apart, and reproducible in tests. Not for anything secret.
#[derive(Clone, Debug)]
pub(crate) struct Jitter(u64);

impl Jitter {
    pub(crate) const fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next fraction in `[0, 1)`.
    pub(crate) fn next_fraction(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        // The top 53 bits fill an f64 mantissa exactly.
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let policy = RetryPolicy::standard();
        let ceilings: Vec<u64> = (2..=8)
            .map(|a| policy.backoff_ceiling(a).as_secs())
            .collect();
        assert_eq!(ceilings, [1, 2, 4, 8, 16, 20, 20]);
        assert_eq!(policy.backoff_ceiling(u32::MAX), Duration::from_secs(20));
        assert_eq!(policy.backoff(4, 0.5), Duration::from_secs(2));
        assert_eq!(policy.backoff(4, f64::NAN), Duration::ZERO);
        assert_eq!(policy.backoff(4, 7.0), Duration::from_secs(4));
        let huge = RetryPolicy::standard().with_backoff(Duration::MAX, Duration::MAX);
        assert_eq!(huge.backoff(2, 1.0), Duration::MAX);
        assert!(huge.backoff(9, 0.5) <= Duration::MAX);
    }

    #[test]
    fn attempts_count_the_first_one() {
        let policy = RetryPolicy::standard();
        assert!(policy.allows_another(1));
        assert!(policy.allows_another(2));
        assert!(!policy.allows_another(3));
        assert!(!RetryPolicy::none().allows_another(1));
        assert_eq!(
            RetryPolicy::standard().with_max_attempts(0).max_attempts(),
            1
        );
        assert_eq!(RetryPolicy::legacy().max_attempts(), 5);
    }

    #[test]
    fn jitter_is_reproducible_and_in_range() {
        let mut a = Jitter::new(7);
        let mut b = Jitter::new(7);
        let mut c = Jitter::new(8);
        let xs: Vec<f64> = (0..1000).map(|_| a.next_fraction()).collect();
        let ys: Vec<f64> = (0..1000).map(|_| b.next_fraction()).collect();
        let zs: Vec<f64> = (0..1000).map(|_| c.next_fraction()).collect();
        assert_eq!(xs, ys);
        assert_ne!(xs, zs);
        assert!(xs.iter().all(|x| (0.0..1.0).contains(x)));
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        assert!((0.4..0.6).contains(&mean), "mean {mean}");
    }
}
