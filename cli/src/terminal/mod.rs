//! What a person at a terminal sees and does.
//!
//! - [`prompt`]: the AWS CLI's sign-in prompt, a QR code, the browser, a spinner, and the
//!   writes to stdout and stderr.
//! - [`input`]: standard input, a line at a time, shared by whatever reads it (a pasted
//!   redirect, `configure sso`'s questions).
//! - [`output`]: documents on stdout in the AWS CLI's output formats.
//! - [`interrupt`]: Ctrl-C (and SIGTERM) as the switch that cancels a sign-in, even
//!   mid-request, or waits until a token is safely written.

pub(crate) mod input;
pub(crate) mod interrupt;
pub(crate) mod output;
pub(crate) mod prompt;
