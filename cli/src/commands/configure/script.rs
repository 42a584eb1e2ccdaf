//! For the tests: a terminal that types the lines it is given and keeps what it is shown.

use std::collections::VecDeque;

use crate::commands::configure::ask::Terminal;

/// A terminal that types `lines`, one per question, and keeps what is shown.
pub(crate) struct Script {
    lines: VecDeque<String>,
    /// Everything shown so far.
    pub(crate) shown: String,
}

impl Script {
    /// A terminal that will type these lines, then end its input.
    pub(crate) fn new(lines: &[&str]) -> Self {
        Self {
            lines: lines.iter().map(|l| (*l).to_owned()).collect(),
            shown: String::new(),
        }
    }
}

impl Terminal for Script {
    fn show(&mut self, text: &str) {
        self.shown.push_str(text);
    }

    fn line(&mut self) -> Option<String> {
        self.lines.pop_front()
    }
}
