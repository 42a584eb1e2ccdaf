//! Serving until told to stop: the URL on stdout, then one line per request on stderr.

use std::io::{self, Write};
use std::net::SocketAddr;
use std::ops::Deref;
#[cfg(feature = "tls")]
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::Options;
use crate::fault::Fault;
use crate::log::LoggedRequest;
use crate::server::{BlockingEmulator, Control};

/// How often [`Server::run`] asks whether to stop, and shows the requests that came meanwhile.
const TICK: Duration = Duration::from_millis(100);

/// A standalone emulator, started from [`Options`] on a thread of its own; it stops when
/// [`Server::run`] returns, or when dropped. It derefs to [`Control`], for the URL and for
/// decisions and faults by hand.
#[derive(Debug)]
pub struct Server {
    emulator: BlockingEmulator,
    /// What the times of the request lines count from.
    started: Instant,
    quiet: bool,
    #[cfg(feature = "tls")]
    ca_file: Option<PathBuf>,
}

impl Server {
    /// Starts the emulator `options` describe: binds the address, makes and writes the test
    /// CA for `--tls`, and injects `--delay-responses`. Nothing is printed yet.
    ///
    /// # Errors
    /// [`StartError`]: an address that cannot be bound, or (with `--tls`) a test CA that cannot
    /// be made or written.
    pub fn start(options: &Options) -> Result<Self, StartError> {
        let addr = options.addr();
        let listen = |source| StartError::Listen { addr, source };
        #[cfg(feature = "tls")]
        let emulator = match options.tls() {
            None => BlockingEmulator::bind(addr, options.config()).map_err(listen)?,
            Some(path) => {
                let ca = crate::TestCa::generate()?;
                let emulator = BlockingEmulator::bind_tls(addr, options.config(), &ca.identity())
                    .map_err(listen)?;
                // Once the port is ours: a busy port leaves no file behind.
                std::fs::write(path, ca.ca_pem()).map_err(|source| StartError::WriteCa {
                    path: path.to_owned(),
                    source,
                })?;
                emulator
            }
        };
        #[cfg(not(feature = "tls"))]
        let emulator = BlockingEmulator::bind(addr, options.config()).map_err(listen)?;
        if let Some(delay) = options.delay_responses() {
            emulator.inject(Fault::Delay(delay));
        }
        Ok(Self {
            emulator,
            started: Instant::now(),
            quiet: options.is_quiet(),
            #[cfg(feature = "tls")]
            ca_file: options.tls().map(Path::to_owned),
        })
    }

    /// The file the test CA was written to, when serving HTTPS: what clients should trust.
    #[cfg(feature = "tls")]
    pub fn ca_file(&self) -> Option<&Path> {
        self.ca_file.as_deref()
    }

    /// Serves until `stop` says so: prints the URL as the first line of stdout, then, unless
    /// `--quiet`, `intro` on stderr (what it is, how to use it; written as given) and one line
    /// per request as it is answered.
    ///
    /// `stop` is called about every 100 ms with how long it may wait: it waits for the signal
    /// to stop up to that long (a Ctrl-C handler's channel, say) and returns whether it came.
    /// The requests answered meanwhile are shown before it returns, the last time too. Output
    /// that cannot be written (a closed pipe) is dropped.
    pub fn run(self, intro: &str, mut stop: impl FnMut(Duration) -> bool) {
        let mut stdout = io::stdout().lock();
        let _ = writeln!(stdout, "{}", self.url()).and_then(|()| stdout.flush());
        drop(stdout);
        if !self.quiet {
            let _ = io::stderr().write_all(intro.as_bytes());
        }
        let mut shown = 0;
        loop {
            let stopping = stop(TICK);
            if !self.quiet {
                let new: Vec<LoggedRequest> =
                    self.with_service(|service| service.log().get(shown..).unwrap_or(&[]).to_vec());
                shown += new.len();
                let mut stderr = io::stderr().lock();
                for request in &new {
                    let _ = writeln!(stderr, "{}", line(request, self.started));
                }
            }
            if stopping {
                return;
            }
        }
    }
}

impl Deref for Server {
    type Target = Control;

    fn deref(&self) -> &Control {
        &self.emulator
    }
}

/// Why a standalone emulator could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// The address cannot be bound: in use, not this machine's, or not allowed.
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        /// The address.
        addr: SocketAddr,
        /// What the operating system said.
        #[source]
        source: io::Error,
    },
    /// No test CA could be made for `--tls`.
    #[cfg(feature = "tls")]
    #[error(transparent)]
    Tls(#[from] crate::TlsError),
    /// The test CA's certificate cannot be written to the file `--tls` names.
    #[cfg(feature = "tls")]
    #[error("cannot write the CA certificate to {}: {source}", path.display())]
    WriteCa {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: io::Error,
    },
}

/// One request as a line: when (seconds since the start), what, and how it was answered,
/// e.g. `    0.012s POST /token (CreateToken) -> 400 Bad Request`.
fn line(request: &LoggedRequest, started: Instant) -> String {
    let at = request.at.saturating_duration_since(started).as_secs_f64();
    let operation = request
        .operation
        .map(|operation| operation.name())
        .map_or_else(String::new, |name| format!(" ({name})"));
    let answer = request
        .status
        .map_or_else(|| "no answer".to_owned(), |status| status.to_string());
    let fault = request
        .fault
        .as_ref()
        .map_or_else(String::new, |fault| format!(" (injected {fault:?})"));
    format!(
        "{at:9.3}s {} {}{operation} -> {answer}{fault}",
        request.method, request.uri
    )
}

#[cfg(test)]
mod tests {
    use http::{Method, StatusCode};
    use sso_oidc::Operation;

    use super::*;

    fn request(operation: Option<Operation>, uri: &str) -> LoggedRequest {
        LoggedRequest {
            operation,
            at: Instant::now(),
            method: Method::POST,
            uri: uri.to_owned(),
            headers: Vec::new(),
            body: String::new(),
            status: Some(StatusCode::OK),
            fault: None,
        }
    }

    #[test]
    fn a_line_names_a_portal_operation_too() {
        let mut entry = request(Some(Operation::ListAccounts), "/assignment/accounts");
        entry.method = Method::GET;
        assert_eq!(
            line(&entry, entry.at),
            "    0.000s GET /assignment/accounts (ListAccounts) -> 200 OK"
        );
    }

    #[test]
    fn a_line_says_when_what_and_how_it_was_answered() {
        let mut entry = request(Some(Operation::CreateToken), "/token");
        let started = entry.at - Duration::from_millis(1500);
        assert_eq!(
            line(&entry, started),
            "    1.500s POST /token (CreateToken) -> 200 OK"
        );
        entry.status = None;
        entry.fault = Some(Fault::Hang);
        assert_eq!(
            line(&entry, started),
            "    1.500s POST /token (CreateToken) -> no answer (injected Hang)"
        );
        let mut page = request(None, "/device?user_code=ABCD-EFGH");
        page.method = Method::GET;
        // A request from before the start (it cannot be, but the clock is not ours) is at 0.
        assert_eq!(
            line(&page, page.at + Duration::from_secs(1)),
            "    0.000s GET /device?user_code=ABCD-EFGH -> 200 OK"
        );
    }

    #[test]
    fn a_busy_port_names_the_address() {
        let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = taken.local_addr().unwrap().port();
        let options = Options::try_parse(&["--port", &port.to_string()]).unwrap();
        let error = Server::start(&options).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with(&format!("cannot listen on 127.0.0.1:{port}: ")),
            "{error}"
        );
    }
}
