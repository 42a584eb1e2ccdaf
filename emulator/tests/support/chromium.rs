//! Headless Chromium through chromedriver, for the tests that need a real browser (here, and
//! the command line's PKCE sign-in test, which includes this file).
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// chromedriver on a free loopback port; on drop it is asked to quit every session (which
/// closes Chromium too, even after a failed test), then killed if it lingers.
pub struct Driver {
    child: Child,
    port: u16,
    profile: PathBuf,
}

impl Driver {
    /// Starts chromedriver and waits until it listens.
    pub fn start() -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver never listened");
            thread::sleep(Duration::from_millis(50));
        }
        let profile =
            std::env::temp_dir().join(format!("sso-oidc-chromium-{}", std::process::id()));
        Self {
            child,
            port,
            profile,
        }
    }

    /// A new headless Chromium session.
    pub async fn browser(&self) -> Client {
        let serde_json::Value::Object(capabilities) = serde_json::json!({
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    format!("--user-data-dir={}", self.profile.display()),
                ],
            }
        }) else {
            unreachable!("a JSON object")
        };
        ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("a WebDriver session")
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let _ = stream.write_all(
                b"GET /shutdown HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n",
            );
            let _ = stream.read_to_end(&mut Vec::new());
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// Whether chromedriver is installed; `false` means skip (outside CI) or fail (in CI).
pub fn chromedriver_is_there() -> bool {
    let found = std::path::Path::new(CHROMEDRIVER).exists();
    if !found {
        let note =
            format!("{CHROMEDRIVER} is missing: apt-get install -y chromium chromium-driver");
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI must run the browser test: {note}"
        );
        eprintln!("skipping the browser test: {note}");
    }
    found
}
