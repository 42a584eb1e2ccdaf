//! What a person at a terminal sees and does.
//!
//! - [`prompt`]: the AWS CLI's sign-in prompt, a QR code, the browser, a spinner, and the
//!   writes to stdout and stderr.
//! - [`output`]: documents on stdout in the AWS CLI's output formats.
//! - [`interrupt`]: Ctrl-C (and SIGTERM) as the switch that cancels a sign-in, even
//!   mid-request, or waits until a token is safely written.

pub(crate) mod interrupt;
pub(crate) mod output;
pub(crate) mod prompt;
