//! `sso-oidc emulator`, and a sign-in to it that a person approves on its verification page.

// The emulator stops on SIGINT, sent with `kill`.
#![cfg(unix)]

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

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
    assert!(stderr.contains("POST /device_authorization (StartDeviceAuthorization): 200 OK"));
    assert!(
        stderr.contains("POST /token (CreateToken): 200 OK"),
        "{stderr}"
    );
}
