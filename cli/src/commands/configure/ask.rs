//! Questions, as the AWS CLI asks them: `Text [current value]: `, where Enter keeps the current
//! value and a refused answer says why and asks again; and a numbered list to choose from.
//!
//! Every answer may come from an option instead, taken as if it had been typed (and refused
//! with the option's name when it would be). Without a terminal nothing is asked: an answer no
//! option gave is what Enter would give, or an error that names the option.

use crate::commands::configure::check::Refusal;
use crate::error::CliError;
use crate::terminal::{input, prompt};

/// Where questions are shown and answers typed.
pub(crate) trait Terminal {
    /// Shows `text`: a question, a list, why an answer was refused.
    fn show(&mut self, text: &str);
    /// The next line typed, without its line ending; `None` once the input has ended.
    fn line(&mut self) -> Option<String>;
}

/// The process's terminal: questions on stderr, answers from standard input.
#[derive(Debug)]
pub(crate) struct Stdio;

impl Terminal for Stdio {
    fn show(&mut self, text: &str) {
        prompt::err(text);
    }

    fn line(&mut self) -> Option<String> {
        input::line()
    }
}

/// One question.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Question<'a> {
    /// What is asked, e.g. `SSO start URL`.
    pub(crate) text: &'a str,
    /// The current value, shown in brackets (`[None]` when there is none) and kept by Enter.
    pub(crate) current: Option<&'a str>,
    /// The option that answers it, e.g. `--sso-start-url`.
    pub(crate) option: &'a str,
    /// The check of an answer typed (trimmed, not empty).
    pub(crate) check: fn(&str) -> Result<(), Refusal>,
    /// Whether Enter without a current value is refused ("A value is required"); else it is
    /// no answer.
    pub(crate) required: bool,
}

impl<'a> Question<'a> {
    /// A question that needs an answer.
    pub(crate) fn required(
        text: &'a str,
        option: &'a str,
        check: fn(&str) -> Result<(), Refusal>,
    ) -> Self {
        Self {
            text,
            current: None,
            option,
            check,
            required: true,
        }
    }

    /// A question that may be left without an answer.
    pub(crate) fn optional(
        text: &'a str,
        option: &'a str,
        check: fn(&str) -> Result<(), Refusal>,
    ) -> Self {
        Self {
            required: false,
            ..Self::required(text, option, check)
        }
    }

    /// The question with this current value.
    pub(crate) fn current(self, current: Option<&'a str>) -> Self {
        Self { current, ..self }
    }

    /// The prompt, in the AWS CLI's form.
    fn prompt(&self) -> String {
        format!("{} [{}]: ", self.text, self.current.unwrap_or("None"))
    }

    /// What an answer typed amounts to: itself (trimmed and checked), or for Enter the current
    /// value, or nothing.
    fn take(&self, typed: &str) -> Result<Option<String>, Refusal> {
        let typed = typed.trim();
        if typed.is_empty() {
            return match self.current {
                Some(current) => Ok(Some(current.to_owned())),
                None if self.required => Err("A value is required"),
                None => Ok(None),
            };
        }
        (self.check)(typed)?;
        Ok(Some(typed.to_owned()))
    }
}

/// Asks questions on a terminal, or none without one.
pub(crate) struct Asker<'t> {
    terminal: Option<&'t mut dyn Terminal>,
}

impl<'t> Asker<'t> {
    /// Asks on `terminal`; `None`: there is no terminal, so nothing is asked.
    pub(crate) fn new(terminal: Option<&'t mut dyn Terminal>) -> Self {
        Self { terminal }
    }

    /// Whether there is a terminal to ask on.
    pub(crate) fn is_terminal(&self) -> bool {
        self.terminal.is_some()
    }

    /// The answer to `question`: `given` (an option's value) as if typed, else what is typed
    /// (asked again until it passes), else, without a terminal, what Enter gives. `None`: no
    /// answer, which an optional question allows.
    ///
    /// # Errors
    /// An option's value the check refuses; no terminal and no answer that Enter gives; the
    /// end of the input before an answer.
    pub(crate) fn ask(
        &mut self,
        question: &Question<'_>,
        given: Option<&str>,
    ) -> Result<Option<String>, CliError> {
        self.ask_with(question, None, given)
    }

    /// As [`ask`](Self::ask), with `prompt` shown instead of the usual one when given (the AWS
    /// CLI's `SSO session name (Recommended): ` when there is no current value).
    ///
    /// # Errors
    /// As [`ask`](Self::ask).
    pub(crate) fn ask_with(
        &mut self,
        question: &Question<'_>,
        prompt: Option<&str>,
        given: Option<&str>,
    ) -> Result<Option<String>, CliError> {
        if let Some(given) = given {
            return question
                .take(given)
                .map_err(|refusal| invalid(question.option, refusal));
        }
        let Some(terminal) = self.terminal.as_deref_mut() else {
            return question.take("").map_err(|_| not_given(question));
        };
        let prompt = prompt.map_or_else(|| question.prompt(), str::to_owned);
        loop {
            terminal.show(&prompt);
            let typed = terminal.line().ok_or_else(|| ended(question.text))?;
            match question.take(&typed) {
                Ok(answer) => return Ok(answer),
                Err(refusal) => terminal.show(&format!("{refusal}\n")),
            }
        }
    }

    /// Which of `labels` (a list of two or more) the person picks, by its number or by its
    /// `ids` entry: asked with `Choose {what} [1-N]: ` until the answer is one of them;
    /// `id_name` names the ids in the reminder (`account ID`).
    ///
    /// # Errors
    /// No terminal; the end of the input before an answer.
    pub(crate) fn pick(
        &mut self,
        what: &str,
        id_name: &str,
        labels: &[String],
        ids: &[&str],
    ) -> Result<usize, CliError> {
        let Some(terminal) = self.terminal.as_deref_mut() else {
            return Err(CliError::failure(format!(
                "No answer for \"Choose {what}\": standard input is not a terminal"
            )));
        };
        let width = labels.len().to_string().len();
        let list: String = labels
            .iter()
            .enumerate()
            .map(|(i, label)| format!("  {:>width$}. {label}\n", i + 1))
            .collect();
        terminal.show(&list);
        let prompt = format!("Choose {what} [1-{}]: ", labels.len());
        loop {
            terminal.show(&prompt);
            let typed = terminal
                .line()
                .ok_or_else(|| ended(&format!("Choose {what}")))?;
            let typed = typed.trim();
            let by_number = typed
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=labels.len()).contains(n))
                .map(|n| n - 1);
            match by_number.or_else(|| ids.iter().position(|id| *id == typed)) {
                Some(index) => return Ok(index),
                None => terminal.show(&format!(
                    "Enter a number from 1 to {}, or the {id_name}\n",
                    labels.len()
                )),
            }
        }
    }
}

/// An option's value that its question's check refuses.
pub(crate) fn invalid(option: &str, refusal: Refusal) -> CliError {
    CliError::failure(format!("Invalid value for {option}: {refusal}"))
}

/// No terminal to ask on, and no answer without one.
fn not_given(question: &Question<'_>) -> CliError {
    CliError::failure(format!(
        "No answer for \"{}\": standard input is not a terminal, so give it with {}",
        question.text, question.option
    ))
}

/// The input ended before an answer.
fn ended(what: &str) -> CliError {
    CliError::failure(format!(
        "No answer for \"{what}\": standard input ended; nothing was written"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::configure::check;
    use crate::commands::configure::script::Script;

    const URL: Question<'static> = Question {
        text: "SSO start URL",
        current: None,
        option: "--sso-start-url",
        check: check::start_url,
        required: true,
    };

    #[test]
    fn a_refused_answer_says_why_and_asks_again() {
        let mut script = Script::new(&["", "not a url", "  https://x.example/start  "]);
        let answer = Asker::new(Some(&mut script)).ask(&URL, None).unwrap();
        assert_eq!(answer.as_deref(), Some("https://x.example/start"));
        assert_eq!(
            script.shown,
            "SSO start URL [None]: A value is required\n\
             SSO start URL [None]: Not a valid Start URL\n\
             SSO start URL [None]: "
        );
    }

    #[test]
    fn enter_keeps_the_current_value_and_an_optional_question_may_stay_unanswered() {
        let mut script = Script::new(&["", " "]);
        let mut asker = Asker::new(Some(&mut script));
        let url = URL.current(Some("https://old.example/start"));
        assert_eq!(
            asker.ask(&url, None).unwrap().as_deref(),
            Some("https://old.example/start")
        );
        let region = Question::optional("Default client Region", "--region", check::region);
        assert_eq!(asker.ask(&region, None).unwrap(), None);
        assert_eq!(
            script.shown,
            "SSO start URL [https://old.example/start]: Default client Region [None]: "
        );
    }

    #[test]
    fn options_are_answers_typed_and_refused_by_name() {
        let mut script = Script::new(&[]);
        let mut asker = Asker::new(Some(&mut script));
        assert_eq!(
            asker
                .ask(&URL, Some("https://x.example"))
                .unwrap()
                .as_deref(),
            Some("https://x.example")
        );
        let error = asker.ask(&URL, Some("nope")).unwrap_err();
        assert_eq!(
            error.message(),
            "Invalid value for --sso-start-url: Not a valid Start URL"
        );
        let error = asker.ask(&URL, Some("")).unwrap_err();
        assert_eq!(
            error.message(),
            "Invalid value for --sso-start-url: A value is required"
        );
        assert_eq!(script.shown, "", "nothing asked");
    }

    #[test]
    fn without_a_terminal_enter_is_the_answer_or_the_option_is_named() {
        let mut asker = Asker::new(None);
        assert!(!asker.is_terminal());
        let url = URL.current(Some("https://old.example/start"));
        assert_eq!(
            asker.ask(&url, None).unwrap().as_deref(),
            Some("https://old.example/start")
        );
        let error = asker.ask(&URL, None).unwrap_err();
        assert_eq!(
            error.message(),
            "No answer for \"SSO start URL\": standard input is not a terminal, so give it with --sso-start-url"
        );
        let output = Question::optional("CLI default output format", "--output", check::output);
        assert_eq!(asker.ask(&output, None).unwrap(), None);
        let error = asker.pick(
            "an account",
            "account ID",
            &["a".into(), "b".into()],
            &["1", "2"],
        );
        assert!(error.is_err());
    }

    #[test]
    fn the_end_of_the_input_stops_asking() {
        let mut script = Script::new(&["bad"]);
        let error = Asker::new(Some(&mut script)).ask(&URL, None).unwrap_err();
        assert_eq!(
            error.message(),
            "No answer for \"SSO start URL\": standard input ended; nothing was written"
        );
    }

    #[test]
    fn a_custom_prompt_for_a_question_without_a_current_value() {
        let mut script = Script::new(&["my-sso"]);
        let session = Question::optional("SSO session name", "--sso-session", check::session_name);
        let answer = Asker::new(Some(&mut script))
            .ask_with(&session, Some("SSO session name (Recommended): "), None)
            .unwrap();
        assert_eq!(answer.as_deref(), Some("my-sso"));
        assert_eq!(script.shown, "SSO session name (Recommended): ");
    }

    #[test]
    fn a_pick_by_number_or_by_id() {
        let labels = vec![
            "Development, dev@example.com (111122223333)".to_owned(),
            "Production, prod@example.com (444455556666)".to_owned(),
        ];
        let ids = ["111122223333", "444455556666"];
        let mut script = Script::new(&["0", "x", "2"]);
        assert_eq!(
            Asker::new(Some(&mut script))
                .pick("an account", "account ID", &labels, &ids)
                .unwrap(),
            1
        );
        assert_eq!(
            script.shown,
            "  1. Development, dev@example.com (111122223333)\n  \
             2. Production, prod@example.com (444455556666)\n\
             Choose an account [1-2]: Enter a number from 1 to 2, or the account ID\n\
             Choose an account [1-2]: Enter a number from 1 to 2, or the account ID\n\
             Choose an account [1-2]: "
        );
        let mut script = Script::new(&[" 111122223333 "]);
        assert_eq!(
            Asker::new(Some(&mut script))
                .pick("an account", "account ID", &labels, &ids)
                .unwrap(),
            0
        );
        let mut script = Script::new(&["Admin"]);
        let roles = vec!["Admin".to_owned(), "ReadOnly".to_owned()];
        assert_eq!(
            Asker::new(Some(&mut script))
                .pick("a role", "role name", &roles, &["Admin", "ReadOnly"])
                .unwrap(),
            0
        );
        assert!(
            script.shown.ends_with("Choose a role [1-2]: "),
            "{}",
            script.shown
        );
    }
}
