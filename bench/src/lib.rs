//! What the comparison binary (`src/main.rs`) and its callgrind mode share: the canned
//! responses both sides parse, the calls each side makes, the loopback server, and a median.
//!
//! Both sides get the same bytes: the core's test vectors (`core/tests/responses.rs`) with the
//! headers the emulator sends (`content-type`, `x-amzn-requestid`, and `x-amzn-errortype` on an
//! error).
#![deny(unsafe_code)]

pub mod canned;
pub mod ours;
pub mod sdk;
pub mod server;

use std::time::Duration;

/// The median of `samples` (sorted in place); the upper one of an even count.
pub fn median(samples: &mut [f64]) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

/// A duration in nanoseconds, as a float.
pub fn nanos(d: Duration) -> f64 {
    d.as_secs_f64() * 1e9
}

/// The two calls compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `StartDeviceAuthorization`, answered with a 200.
    Start,
    /// `CreateToken` with the device-code grant, answered with `AuthorizationPendingException`.
    Pending,
}

impl Op {
    pub const ALL: [Self; 2] = [Self::Start, Self::Pending];

    pub fn name(self) -> &'static str {
        match self {
            Self::Start => "StartDeviceAuthorization",
            Self::Pending => "CreateToken (pending)",
        }
    }

    pub fn arg(self) -> &'static str {
        match self {
            Self::Start => "start",
            Self::Pending => "pending",
        }
    }

    pub fn from_arg(arg: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|op| op.arg() == arg)
    }
}
