//! The lines of a config file, classified as botocore's `RawConfigParser` reads them; the parser
//! and the editor both walk a file with this, so they cannot disagree on what a line is.
//!
//! `[section]` headers; `key = value` or `key: value` settings (split at the first `=` or `:`,
//! the key trimmed and folded to lower case, the value trimmed); whole-line comments starting
//! with `#` or `;` (a `#` later in a line is part of the value); blank lines; and indented
//! lines after a setting, which continue its value (how nested settings such as `s3 =` are
//! written; comments and blank lines between them do not end the value).

use crate::config::error::LineProblem;

/// One line of a config file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Line<'a> {
    /// The whole line, with its line ending (`\n`, `\r\n`, or none on a last line without one).
    pub(crate) raw: &'a str,
    /// What it is.
    pub(crate) kind: Kind<'a>,
}

/// What a line is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Kind<'a> {
    /// Empty or white space only.
    Blank,
    /// A whole-line comment.
    Comment,
    /// A section header: the text between the brackets, untrimmed.
    Header(&'a str),
    /// A setting: its key, trimmed and in lower case, and its value, trimmed.
    Setting {
        /// The key.
        key: String,
        /// The value on this line.
        value: &'a str,
    },
    /// An indented line that continues the value of the setting before it, trimmed.
    Continuation(&'a str),
}

/// Walks a config file line by line.
#[derive(Clone, Debug)]
pub(crate) struct Scanner<'a> {
    rest: &'a str,
    number: usize,
    /// Whether a section header has been seen.
    in_section: bool,
    /// Whether a setting has been seen since the last header (so an indented line continues it).
    after_setting: bool,
    /// Set after an error: the scan ends.
    failed: bool,
}

impl<'a> Scanner<'a> {
    /// A scan of `text`.
    pub(crate) fn new(text: &'a str) -> Self {
        Self {
            rest: text,
            number: 0,
            in_section: false,
            after_setting: false,
            failed: false,
        }
    }

    fn classify(&mut self, content: &'a str) -> Result<Kind<'a>, LineProblem> {
        let line = content.trim_end();
        let trimmed = line.trim_start();
        if trimmed.is_empty() {
            return Ok(Kind::Blank);
        }
        if trimmed.starts_with(['#', ';']) {
            return Ok(Kind::Comment);
        }
        if line.len() != trimmed.len() && self.after_setting {
            return Ok(Kind::Continuation(trimmed));
        }
        if let Some(header) = trimmed.strip_prefix('[') {
            let header = header
                .strip_suffix(']')
                .ok_or(LineProblem::UnclosedHeader)?;
            self.in_section = true;
            self.after_setting = false;
            return Ok(Kind::Header(header));
        }
        if !self.in_section {
            return Err(LineProblem::SettingBeforeSection);
        }
        let split = trimmed.find(['=', ':']).ok_or(LineProblem::NotASetting)?;
        let key = trimmed[..split].trim().to_lowercase();
        if key.is_empty() {
            return Err(LineProblem::UnnamedSetting);
        }
        self.after_setting = true;
        Ok(Kind::Setting {
            key,
            value: trimmed[split + 1..].trim(),
        })
    }
}

impl<'a> Iterator for Scanner<'a> {
    /// A line, or the number of the first line that is none of the above and why.
    type Item = Result<Line<'a>, (usize, LineProblem)>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() || self.failed {
            return None;
        }
        let end = self.rest.find('\n').map_or(self.rest.len(), |i| i + 1);
        let (raw, rest) = self.rest.split_at(end);
        self.rest = rest;
        self.number += 1;
        // As `str::lines`: the line ends at `\n`, and a `\r` before it is part of the ending.
        let content = raw.strip_suffix('\n').unwrap_or(raw);
        let content = content.strip_suffix('\r').unwrap_or(content);
        match self.classify(content) {
            Ok(kind) => Some(Ok(Line { raw, kind })),
            Err(problem) => {
                self.failed = true;
                Some(Err((self.number, problem)))
            }
        }
    }
}

/// The line ending of a line as scanned: `\r\n`, `\n` or none.
pub(crate) fn ending(raw: &str) -> &str {
    if raw.ends_with("\r\n") {
        "\r\n"
    } else if raw.ends_with('\n') {
        "\n"
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Result<Kind<'_>, (usize, LineProblem)>> {
        Scanner::new(text)
            .map(|line| line.map(|line| line.kind))
            .collect()
    }

    #[test]
    fn lines_are_classified() {
        let text = "# c\n[profile dev]\r\n  region = a\n  more\n\n; c\n  still\nx: y = z\n[s]";
        assert_eq!(
            kinds(text),
            vec![
                Ok(Kind::Comment),
                Ok(Kind::Header("profile dev")),
                Ok(Kind::Setting {
                    key: "region".into(),
                    value: "a"
                }),
                Ok(Kind::Continuation("more")),
                Ok(Kind::Blank),
                Ok(Kind::Comment),
                Ok(Kind::Continuation("still")),
                Ok(Kind::Setting {
                    key: "x".into(),
                    value: "y = z"
                }),
                Ok(Kind::Header("s")),
            ]
        );
        let raws: Vec<_> = Scanner::new(text).map(|l| l.unwrap().raw).collect();
        assert_eq!(raws.concat(), text, "the lines are the whole text");
        assert_eq!(ending(raws[1]), "\r\n");
        assert_eq!(ending(raws[0]), "\n");
        assert_eq!(ending(raws[8]), "");
    }

    #[test]
    fn the_scan_stops_at_the_first_bad_line() {
        assert_eq!(
            kinds("[a]\nb\nc = d\n"),
            vec![Ok(Kind::Header("a")), Err((2, LineProblem::NotASetting))]
        );
        assert_eq!(kinds(""), vec![]);
        assert_eq!(kinds("\n"), vec![Ok(Kind::Blank)]);
    }
}
