//! Standard input, a line at a time, for everything in the process that reads it.
//!
//! One thread reads standard input for the whole process and hands its lines out in order:
//! a sign-in's pasted redirect and `configure sso`'s questions both take their lines from it,
//! so a reader that is done (the sign-in) leaves the next line to the next one (the question
//! that follows) instead of holding the input, or a buffer of it, for good. A blocked read of a
//! terminal cannot be interrupted; the end of the process ends the thread.

use std::io::BufRead;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

/// The lines read so far and not yet taken; started by the first call.
static LINES: OnceLock<Mutex<Receiver<String>>> = OnceLock::new();

/// What came within a wait.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Next {
    /// A line, without its line ending.
    Line(String),
    /// Nothing yet.
    Nothing,
    /// The input has ended (or cannot be read): no line will come.
    End,
}

/// The next line, without its line ending, waiting as long as it takes; `None` once the input
/// has ended.
pub(crate) fn line() -> Option<String> {
    let lines = lines().lock().ok()?;
    lines
        .recv()
        .ok()
        .map(|line| without_ending(&line).to_owned())
}

/// The next line if one comes within `wait`.
pub(crate) fn line_within(wait: Duration) -> Next {
    let Ok(lines) = lines().lock() else {
        return Next::End;
    };
    match lines.recv_timeout(wait) {
        Ok(line) => Next::Line(without_ending(&line).to_owned()),
        Err(RecvTimeoutError::Timeout) => Next::Nothing,
        Err(RecvTimeoutError::Disconnected) => Next::End,
    }
}

/// The reader thread's lines, the thread started on the first call.
fn lines() -> &'static Mutex<Receiver<String>> {
    LINES.get_or_init(|| {
        let (sender, receiver) = mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("stdin".into())
            .spawn(move || {
                let stdin = std::io::stdin();
                loop {
                    let mut line = String::new();
                    // The end of the input, or input that is not text, ends the lines.
                    match stdin.lock().read_line(&mut line) {
                        Ok(0) | Err(_) => break,
                        Ok(_) if sender.send(line).is_err() => break,
                        Ok(_) => {}
                    }
                }
            });
        // Without the thread the sender is gone: every read sees the end of the input.
        if let Err(error) = spawned {
            tracing::debug!(%error, "no thread to read standard input");
        }
        Mutex::new(receiver)
    })
}

/// `line` without its `\n` or `\r\n`.
fn without_ending(line: &str) -> &str {
    let line = line.strip_suffix('\n').unwrap_or(line);
    line.strip_suffix('\r').unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::without_ending;

    #[test]
    fn line_endings_go_and_nothing_else() {
        assert_eq!(without_ending("a b \r\n"), "a b ");
        assert_eq!(without_ending("x\n"), "x");
        assert_eq!(without_ending("last"), "last");
        assert_eq!(without_ending("\r"), "");
    }
}
