//! `sso-oidc emulator`, and a sign-in to it that a person approves on its verification page;
//! the emulator's options; what `login --emulator` leaves behind when it is stopped or denied.

// The emulator stops on SIGINT, sent with `kill`.
#![cfg(unix)]

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, ChildStdout, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use sso_oidc::{CreateToken, Endpoint, GrantType, RegisterClient, StartDeviceAuthorization};

mod login_support;
use login_support::{Home, text};

/// Waits for `child` to end, up to `limit`.
fn wait(mut child: Child, limit: Duration) -> std::process::Output {
    let deadline = Instant::now() + limit;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the process did not end in {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn a_person_approves_on_the_emulators_page_and_ctrl_c_stops_it() {
    let home = Home::new();
    let mut emulator = home
        .std_command(&["emulator"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut emulator_out = BufReader::new(emulator.stdout.take().unwrap());
    let mut url = String::new();
    emulator_out.read_line(&mut url).unwrap();
    let url = url.trim_end().to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url:?}");

    let cache = home.path().join("cache");
    let mut login = home
        .std_command(&[
            "login",
            "--start-url",
            "https://emulator.invalid/start",
            "--region",
            "us-east-1",
            "--endpoint-url",
            &url,
            "--cache-dir",
            cache.to_str().unwrap(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut login_out = BufReader::new(login.stdout.take().unwrap());
    let mut seen = String::new();
    let code = loop {
        let mut line = String::new();
        assert_ne!(
            login_out.read_line(&mut line).unwrap(),
            0,
            "no code in {seen}"
        );
        seen.push_str(&line);
        if let Some(rest) = seen.split("Then enter the code:\n\n").nth(1)
            && rest.ends_with('\n')
        {
            break rest.trim_end().to_owned();
        }
    };

    // Approve as a person would, with the form on the verification page.
    let endpoint = sso_oidc::Endpoint::from_url(&url).unwrap();
    let client = sso_oidc_ureq::Client::builder()
        .endpoint(endpoint)
        .build()
        .unwrap();
    let form = http::Request::post(format!("{url}/device"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("user_code={code}&action=approve").into_bytes())
        .unwrap();
    assert_eq!(client.send(form).unwrap().status(), 200);

    login_out.read_to_string(&mut seen).unwrap();
    let output = wait(login, Duration::from_secs(30));
    assert!(output.status.success(), "{seen}\n{}", text(&output).1);
    assert!(
        seen.contains("Successfully logged into Start URL: https://emulator.invalid/start"),
        "{seen}"
    );
    assert!(Home::token_in(&cache, "https://emulator.invalid/start").is_some());

    // Ctrl-C is how the emulator stops: cleanly, with each request on stderr.
    let sent = std::process::Command::new("kill")
        .args(["-INT", &emulator.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let output = wait(emulator, Duration::from_secs(10));
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("s POST /device_authorization (StartDeviceAuthorization) -> 200 OK\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains("s POST /token (CreateToken) -> 200 OK\n"),
        "{stderr}"
    );
}

/// Sends SIGINT, as Ctrl-C does.
fn interrupt(child: &Child) {
    let sent = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
}

/// `sso-oidc emulator` with `args`, and the URL on the first line of its stdout.
fn emulator(home: &Home, args: &[&str]) -> (Child, String) {
    let mut child = home
        .std_command(&[&["emulator"], args].concat())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut url = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut url)
        .unwrap();
    assert!(
        !url.is_empty(),
        "no URL: {:?}",
        wait(child, Duration::from_secs(10))
    );
    (child, url.trim_end().to_owned())
}

/// A client of the emulator at `url`, trusting `ca` besides the system's roots.
fn client(url: &str, ca: Option<&Path>) -> sso_oidc_ureq::Client {
    let mut builder = sso_oidc_ureq::Client::builder().endpoint(Endpoint::from_url(url).unwrap());
    if let Some(ca) = ca {
        builder = builder.ca_bundle(ca);
    }
    builder.build().unwrap()
}

/// RegisterClient, StartDeviceAuthorization and one CreateToken poll.
fn sign_in(client: &sso_oidc_ureq::Client) -> (sso_oidc::ClientRegistration, sso_oidc::Token) {
    let registration = client
        .register_client(
            &RegisterClient::builder()
                .client_name("options")
                .build()
                .unwrap(),
        )
        .unwrap();
    let device = client
        .start_device_authorization(
            &StartDeviceAuthorization::builder()
                .client_id(&registration.client_id)
                .client_secret(&registration.client_secret)
                .start_url("https://emulator.invalid/start")
                .build()
                .unwrap(),
        )
        .unwrap();
    let token = client
        .create_token(
            &CreateToken::builder()
                .client_id(&registration.client_id)
                .client_secret(&registration.client_secret)
                .grant_type(GrantType::DeviceCode)
                .device_code(&device.device_code)
                .build()
                .unwrap(),
        )
        .unwrap();
    (registration, token)
}

#[test]
fn the_emulator_command_takes_the_emulators_options() {
    let home = Home::new();
    let options = [
        "--quiet",
        "--port",
        "0",
        "--seed",
        "1",
        "--fixed-time",
        "1767225600",
        "--approve-after-polls",
        "0",
        "--token-lifetime",
        "60",
        "--no-refresh-tokens",
    ];
    let mut client_ids = Vec::new();
    for seed in ["1", "1", "2"] {
        let mut args = options.to_vec();
        args[4] = seed;
        let (mut child, url) = emulator(&home, &args);
        assert!(url.starts_with("http://127.0.0.1:"), "{url}");
        let (registration, token) = sign_in(&client(&url, None));
        child.kill().unwrap();
        let output = wait(child, Duration::from_secs(10));
        // --quiet: the URL only.
        assert_eq!(text(&output).1, "");
        // --fixed-time, --approve-after-polls 0 (the first poll gets the token),
        // --token-lifetime, --no-refresh-tokens.
        assert_eq!(
            registration.client_id_issued_at,
            Some(UNIX_EPOCH + Duration::from_secs(1_767_225_600))
        );
        assert_eq!(token.expires_in, Duration::from_secs(60));
        assert!(token.refresh_token.is_none());
        client_ids.push(registration.client_id);
    }
    // --seed: the same seed, the same client id; another seed, another one.
    assert_eq!(client_ids[0], client_ids[1]);
    assert_ne!(client_ids[0], client_ids[2]);
}

#[test]
fn the_emulator_command_serves_https_with_tls() {
    let home = Home::new();
    let ca = home.path().join("emulator ca.pem");
    let (child, url) = emulator(&home, &["--tls", ca.to_str().unwrap()]);
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    let pem = std::fs::read_to_string(&ca).unwrap();
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"), "{pem}");
    let started = SystemTime::now();
    let registration = client(&url, Some(&ca))
        .register_client(
            &RegisterClient::builder()
                .client_name("tls")
                .build()
                .unwrap(),
        )
        .unwrap();
    assert!(registration.client_id_issued_at.unwrap() + Duration::from_secs(5) >= started);
    // Without the CA, the client does not trust it.
    assert!(
        client(&url, None)
            .register_client(
                &RegisterClient::builder()
                    .client_name("tls")
                    .build()
                    .unwrap()
            )
            .is_err()
    );

    interrupt(&child);
    let output = wait(child, Duration::from_secs(10));
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    // The hint names the CA file, quoted for a shell.
    assert!(
        stderr.contains(&format!(
            "--endpoint-url {url} --ca-bundle '{}' ",
            ca.display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("s POST /client/register (RegisterClient) -> 200 OK\n"),
        "{stderr}"
    );
}

#[test]
fn the_emulator_command_names_a_busy_port() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let home = Home::new();
    let output = home
        .sso_oidc(&["emulator", "--port", &port])
        .output()
        .unwrap();
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(255), "{stderr}");
    assert_eq!(stdout, "");
    assert!(
        stderr.contains(&format!(
            "Unable to start the emulator: cannot listen on 127.0.0.1:{port}: "
        )),
        "{stderr}"
    );
}

/// `login --emulator` with the system's temporary folder in `home`, up to the code it shows:
/// the process, its stdout and stderr, the emulator's URL, the code, and the temporary folder
/// it named.
struct EmulatedLogin {
    child: Child,
    stdout: BufReader<ChildStdout>,
    stderr: BufReader<ChildStderr>,
    url: String,
    code: String,
    folder: PathBuf,
}

impl EmulatedLogin {
    fn start(home: &Home, tmp: &Path) -> Self {
        let mut child = home
            .std_command(&["login", "--emulator"])
            .env("TMPDIR", tmp)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        // "Signing in to a local SSO OIDC emulator at URL; ..." then where the token goes.
        let mut intro = String::new();
        while !intro.contains("pass --cache-dir to keep it).\n") {
            assert_ne!(stderr.read_line(&mut intro).unwrap(), 0, "{intro}");
        }
        let url = intro
            .split("emulator at ")
            .nth(1)
            .and_then(|rest| rest.split(';').next())
            .unwrap()
            .to_owned();
        let folder = intro
            .split("temporary folder, ")
            .nth(1)
            .and_then(|rest| rest.split(" (removed on exit").next())
            .map(PathBuf::from)
            .unwrap();
        assert!(folder.starts_with(tmp), "{intro}");
        assert!(folder.is_dir(), "{intro}");
        let mut seen = String::new();
        let code = loop {
            let mut line = String::new();
            assert_ne!(stdout.read_line(&mut line).unwrap(), 0, "no code in {seen}");
            seen.push_str(&line);
            if let Some(rest) = seen.split("Then enter the code:\n\n").nth(1)
                && rest.ends_with('\n')
            {
                break rest.trim_end().to_owned();
            }
        };
        Self {
            child,
            stdout,
            stderr,
            url,
            code,
            folder,
        }
    }

    /// Waits for the end: the exit code, and the rest of stdout and stderr.
    fn finish(mut self) -> (Option<i32>, String, String) {
        let (mut out, mut err) = (String::new(), String::new());
        self.stdout.read_to_string(&mut out).unwrap();
        self.stderr.read_to_string(&mut err).unwrap();
        let output = wait(self.child, Duration::from_secs(30));
        (output.status.code(), out, err)
    }
}

#[test]
fn ctrl_c_during_login_with_the_emulator_removes_its_temporary_folder() {
    let home = Home::new();
    let tmp = home.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let login = EmulatedLogin::start(&home, &tmp);
    // Well before the emulator approves by itself (5 s after the code was issued).
    interrupt(&login.child);
    let folder = login.folder.clone();
    let (code, stdout, stderr) = login.finish();
    assert_eq!(code, Some(130), "{stdout}\n{stderr}");
    assert!(stderr.contains("Sign-in cancelled"), "{stderr}");
    assert!(!folder.exists(), "{} is still there", folder.display());
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0);
}

#[test]
fn a_denied_login_with_the_emulator_removes_its_temporary_folder() {
    let home = Home::new();
    let tmp = home.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let login = EmulatedLogin::start(&home, &tmp);
    let deny = http::Request::post(format!("{}/device", login.url))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("user_code={}&action=deny", login.code).into_bytes())
        .unwrap();
    assert_eq!(client(&login.url, None).send(deny).unwrap().status(), 200);
    let folder = login.folder.clone();
    let (code, stdout, stderr) = login.finish();
    assert_eq!(code, Some(255), "{stdout}\n{stderr}");
    assert!(stderr.contains("denied"), "{stderr}");
    assert!(!folder.exists(), "{} is still there", folder.display());
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0);
}
