//! What the person signing in sees.
//!
//! The prompt goes to stdout in the AWS CLI's words (`aws sso login` prints all of it to
//! stdout, success included), so scripts that read its output keep working. What we add goes
//! to stderr, and only on a terminal: the link as a QR code, to approve on a phone, and a
//! spinner with the time left. Off a terminal, one plain line says that we are waiting.

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use qrcode::render::unicode::Dense1x2;
use qrcode::{EcLevel, QrCode};
use sso_oidc::Prompt;

use crate::context::Env;

/// How often the spinner moves.
const TICK: Duration = Duration::from_millis(100);

/// The spinner's frames.
const FRAMES: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/// Erases the current line of a terminal.
const CLEAR_LINE: &str = "\r\x1b[2K";

/// Whether to try a browser: not with `--no-browser`, not with `BROWSER=none`, and on Linux
/// and the BSDs not without a display (there a browser would be a text one that takes over the
/// terminal, or nothing at all).
pub(crate) fn should_open_browser(no_browser: bool, env: &Env) -> bool {
    if no_browser
        || env
            .get("BROWSER")
            .is_some_and(|b| b.eq_ignore_ascii_case("none"))
    {
        return false;
    }
    cfg!(any(target_os = "macos", target_os = "windows"))
        || env.get("DISPLAY").is_some()
        || env.get("WAYLAND_DISPLAY").is_some()
}

/// The prompt as the AWS CLI words it: `OpenBrowserHandler` when a browser is tried,
/// `PrintOnlyHandler` when not.
pub(crate) fn message(prompt: &Prompt, browser: bool) -> String {
    let (uri, code) = (&prompt.verification_uri, &prompt.user_code);
    if browser {
        format!(
            "Attempting to automatically open the SSO authorization page in your default browser.\n\
             If the browser does not open or you wish to use a different device to authorize this \
             request, open the following URL:\n\n{uri}\n\nThen enter the code:\n\n{code}\n"
        )
    } else {
        let mut text = format!(
            "Browser will not be automatically opened.\nPlease visit the following URL:\n\n\
             {uri}\n\nThen enter the code:\n\n{code}\n"
        );
        if let Some(complete) = &prompt.verification_uri_complete {
            text.push_str(&format!(
                "\nAlternatively, you may visit the following URL which will autofill the code \
                 upon loading:\n{complete}\n"
            ));
        }
        text
    }
}

/// `link` as a QR code of Unicode half blocks, two rows of modules per line, light on dark (as
/// `qrencode -t UTF8` draws it: the usual terminal has a dark background).
pub(crate) fn qr_code(link: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(link.as_bytes(), EcLevel::L).ok()?;
    Some(
        code.render::<Dense1x2>()
            .dark_color(Dense1x2::Light)
            .light_color(Dense1x2::Dark)
            .quiet_zone(true)
            .build(),
    )
}

/// `left` as `m:ss`.
pub(crate) fn clock(left: Duration) -> String {
    let seconds = left.as_secs();
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

/// Writes to stdout; a closed stdout is not worth failing a sign-in for.
pub(crate) fn out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
}

/// Writes to stderr, ignoring failures.
pub(crate) fn err(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// The prompt, and what shows while the flow waits for the person.
#[derive(Debug)]
pub(crate) struct Progress {
    browser: bool,
    terminal: bool,
    spinner: Option<Spinner>,
}

impl Progress {
    /// Shows prompts on this process's stdout and stderr; `browser`: open the link.
    pub(crate) fn new(browser: bool) -> Self {
        Self {
            browser,
            terminal: std::io::stderr().is_terminal(),
            spinner: None,
        }
    }

    /// Shows a prompt (again, should the flow start a new device authorization) and starts
    /// waiting.
    pub(crate) fn prompt(&mut self, prompt: &Prompt) {
        self.finish();
        out(&message(prompt, self.browser));
        if self.terminal
            && let Some(code) = qr_code(prompt.link())
        {
            err(&format!("\nOr scan this code on a phone:\n{code}\n"));
        }
        if self.browser {
            let link = prompt.link().to_owned();
            // Opening can block (xdg-open waits on some desktops): never hold up the polling.
            let _ = std::thread::Builder::new()
                .name("browser".into())
                .spawn(move || {
                    if let Err(error) = webbrowser::open(&link) {
                        tracing::debug!(%error, "could not open a browser");
                    }
                });
        }
        if self.terminal {
            self.spinner = Some(Spinner::start(prompt.deadline));
        } else {
            err(&format!(
                "Waiting for approval (the code expires in {})...\n",
                clock(prompt.expires_in)
            ));
        }
    }

    /// Stops the spinner and clears its line.
    pub(crate) fn finish(&mut self) {
        if let Some(spinner) = self.spinner.take() {
            spinner.stop();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// A line on stderr that turns and counts down, on a thread of its own.
#[derive(Debug)]
struct Spinner {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Spinner {
    fn start(deadline: Instant) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("spinner".into())
            .spawn(move || {
                for frame in FRAMES.iter().cycle() {
                    if flag.load(Ordering::SeqCst) {
                        break;
                    }
                    let left = deadline.saturating_duration_since(Instant::now());
                    err(&format!(
                        "{CLEAR_LINE}{frame} Waiting for approval... {} left",
                        clock(left)
                    ));
                    std::thread::sleep(TICK);
                }
                err(CLEAR_LINE);
            })
            .ok();
        Self { stop, thread }
    }

    fn stop(mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prompt(complete: Option<&str>) -> Prompt {
        let mut prompt = flow_prompt();
        prompt.verification_uri_complete = complete.map(str::to_owned);
        prompt
    }

    /// A prompt as the flow makes one; built through the flow, since `Prompt` is
    /// non-exhaustive.
    fn flow_prompt() -> Prompt {
        use sso_oidc::{Action, DeviceFlow, DeviceFlowConfig, Endpoint};
        let endpoint = Endpoint::from_url("http://127.0.0.1:9").unwrap();
        let config = DeviceFlowConfig::builder()
            .endpoint(endpoint)
            .start_url("https://d-1234567890.awsapps.com/start")
            .registration(
                sso_oidc::CachedRegistration::new(
                    "id".into(),
                    sso_oidc::Secret::from("secret"),
                    std::time::SystemTime::now() + Duration::from_secs(86_400),
                )
                .to_registration(),
            )
            .build()
            .unwrap();
        let now = Instant::now();
        let mut flow = DeviceFlow::new(config, now, std::time::SystemTime::now());
        let Action::Send(_) = flow.poll(now) else {
            panic!("a request first");
        };
        let body = br#"{"deviceCode":"dc","expiresIn":600,"interval":1,"userCode":"GPNW-SHFH",
            "verificationUri":"https://device.sso.us-east-1.amazonaws.com/",
            "verificationUriComplete":"https://device.sso.us-east-1.amazonaws.com/?user_code=GPNW-SHFH"}"#;
        flow.handle_response(http::Response::new(body.to_vec()), now);
        match flow.poll(now) {
            Action::Prompt(prompt) => prompt,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_aws_cli_words_with_a_browser() {
        let text = message(&prompt(Some("https://x/?user_code=GPNW-SHFH")), true);
        assert_eq!(
            text,
            "Attempting to automatically open the SSO authorization page in your default browser.\n\
             If the browser does not open or you wish to use a different device to authorize this request, open the following URL:\n\
             \n\
             https://device.sso.us-east-1.amazonaws.com/\n\
             \n\
             Then enter the code:\n\
             \n\
             GPNW-SHFH\n"
        );
    }

    #[test]
    fn the_aws_cli_words_without_a_browser() {
        let text = message(&prompt(Some("https://x/?user_code=GPNW-SHFH")), false);
        assert_eq!(
            text,
            "Browser will not be automatically opened.\n\
             Please visit the following URL:\n\
             \n\
             https://device.sso.us-east-1.amazonaws.com/\n\
             \n\
             Then enter the code:\n\
             \n\
             GPNW-SHFH\n\
             \n\
             Alternatively, you may visit the following URL which will autofill the code upon loading:\n\
             https://x/?user_code=GPNW-SHFH\n"
        );
        assert!(!message(&prompt(None), false).contains("Alternatively"));
    }

    #[test]
    fn browsers_need_a_display_on_linux() {
        let env = |vars: &[(&str, &str)]| Env::of(vars);
        assert!(!should_open_browser(true, &env(&[("DISPLAY", ":0")])));
        assert!(!should_open_browser(
            false,
            &env(&[("DISPLAY", ":0"), ("BROWSER", "none")])
        ));
        if cfg!(target_os = "linux") {
            assert!(!should_open_browser(false, &env(&[])));
            assert!(!should_open_browser(false, &env(&[("DISPLAY", " ")])));
            assert!(should_open_browser(false, &env(&[("DISPLAY", ":0")])));
            assert!(should_open_browser(
                false,
                &env(&[("WAYLAND_DISPLAY", "wayland-0")])
            ));
        }
    }

    #[test]
    fn qr_codes_are_half_blocks() {
        let code =
            qr_code("https://device.sso.us-east-1.amazonaws.com/?user_code=GPNW-SHFH").unwrap();
        let lines: Vec<&str> = code.lines().collect();
        // Version 4 at level L: 33 modules and a quiet zone of 4 on each side, 2 rows a line.
        assert_eq!(lines[0].chars().count(), 41);
        assert_eq!(lines.len(), 21);
        assert!(
            code.chars()
                .all(|c| matches!(c, ' ' | '█' | '▀' | '▄' | '\n'))
        );
        // The quiet zone is light, and light is drawn as a full block.
        assert!(lines[0].chars().all(|c| c == '█'));
    }

    #[test]
    fn clocks() {
        assert_eq!(clock(Duration::from_secs(600)), "10:00");
        assert_eq!(clock(Duration::from_millis(59_999)), "0:59");
        assert_eq!(clock(Duration::ZERO), "0:00");
    }
}
