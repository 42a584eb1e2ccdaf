//! Reading fuzz input, and writing it (for the seed corpora).
//!
//! Every target reads its input through [`Input`], which takes only one-byte selectors,
//! little-endian integers, length-prefixed byte strings and the rest of the data from an
//! [`arbitrary::Unstructured`]. [`Encoder`] writes the same forms, so a seed can be built from
//! a test vector and reads back as that vector.

use std::time::{Duration, Instant};

use arbitrary::{Arbitrary, Unstructured};

/// A marker placed in secret members of fuzz input: if it shows up in an error, a `Debug`
/// string or a URL, a secret leaked.
pub const MARKER: &str = "FUZZ-SECRET-7f3a9c1e5b2d4086";

/// Fuzz input, read front to back. Reading past the end gives zeros and empty strings, never
/// an error: every byte string is a valid input.
#[derive(Debug)]
pub struct Input<'a>(Unstructured<'a>);

impl<'a> Input<'a> {
    /// Input over `data`.
    pub fn new(data: &'a [u8]) -> Self {
        Self(Unstructured::new(data))
    }

    /// Whether everything has been read.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// One byte (0 at the end).
    pub fn byte(&mut self) -> u8 {
        u8::arbitrary(&mut self.0).unwrap_or(0)
    }

    /// Two bytes, little-endian.
    pub fn u16(&mut self) -> u16 {
        u16::arbitrary(&mut self.0).unwrap_or(0)
    }

    /// Four bytes, little-endian.
    pub fn u32(&mut self) -> u32 {
        u32::arbitrary(&mut self.0).unwrap_or(0)
    }

    /// Eight bytes, little-endian.
    pub fn u64(&mut self) -> u64 {
        u64::arbitrary(&mut self.0).unwrap_or(0)
    }

    /// A byte string: one length byte, then that many bytes (fewer at the end).
    pub fn bytes(&mut self) -> &'a [u8] {
        let len = usize::from(self.byte()).min(self.0.len());
        self.0.bytes(len).unwrap_or_default()
    }

    /// A byte string as text, invalid UTF-8 replaced.
    pub fn text(&mut self) -> String {
        String::from_utf8_lossy(self.bytes()).into_owned()
    }

    /// Everything not read yet.
    pub fn rest(self) -> &'a [u8] {
        self.0.take_rest()
    }
}

/// Writes what [`Input`] reads.
#[derive(Debug, Default)]
pub struct Encoder(Vec<u8>);

impl Encoder {
    /// An empty input.
    pub fn new() -> Self {
        Self::default()
    }

    /// One byte.
    pub fn byte(mut self, byte: u8) -> Self {
        self.0.push(byte);
        self
    }

    /// Two bytes, little-endian.
    pub fn u16(mut self, value: u16) -> Self {
        self.0.extend_from_slice(&value.to_le_bytes());
        self
    }

    /// Four bytes, little-endian.
    pub fn u32(mut self, value: u32) -> Self {
        self.0.extend_from_slice(&value.to_le_bytes());
        self
    }

    /// A byte string of at most 255 bytes (longer ones are cut).
    pub fn bytes(mut self, bytes: &[u8]) -> Self {
        let bytes = &bytes[..bytes.len().min(255)];
        self.0.push(bytes.len() as u8);
        self.0.extend_from_slice(bytes);
        self
    }

    /// The rest of the input.
    pub fn rest(mut self, bytes: &[u8]) -> Vec<u8> {
        self.0.extend_from_slice(bytes);
        self.0
    }

    /// The input so far.
    pub fn finish(self) -> Vec<u8> {
        self.0
    }
}

/// `t + d`, or the latest instant the platform holds: the harness itself must not panic on
/// huge time jumps, and a longer wait must never end sooner.
pub fn later(t: Instant, d: Duration) -> Instant {
    t.checked_add(d).unwrap_or_else(|| {
        let mut latest = t;
        let mut step = Duration::MAX;
        while !step.is_zero() {
            match latest.checked_add(step) {
                Some(next) => latest = next,
                None => step /= 2,
            }
        }
        latest
    })
}

/// `t - d`, or `t` when the platform cannot go that far back.
pub fn earlier(t: Instant, d: Duration) -> Instant {
    t.checked_sub(d).unwrap_or(t)
}

/// Whether fuzz input holds the marker itself, in which case finding it in output proves
/// nothing.
pub fn holds_marker(data: &[u8]) -> bool {
    data.windows(MARKER.len()).any(|w| w == MARKER.as_bytes())
}
