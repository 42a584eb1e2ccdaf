//! Proxies: plain HTTP forwarded in absolute form, HTTPS through a `CONNECT` tunnel, and the
//! environment variables that choose them. The proxy is a small one on loopback that records
//! what it is asked; nothing leaves the machine.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use sso_oidc::TransportErrorKind;
use sso_oidc_emulator::{Config, Emulator};
use sso_oidc_hyper::Client;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

mod support;
use support::{builder, register};

/// The head of the first request on each connection the proxy got.
type Heads = Arc<Mutex<Vec<String>>>;

/// A proxy on loopback: forwards every absolute-form request to `upstream` (whatever host it
/// names: the client never resolves it), and answers `CONNECT` with `connect_status`, then
/// closes (it tunnels nowhere).
async fn proxy(connect_status: &'static str, upstream: std::net::SocketAddr) -> (String, Heads) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let heads = Heads::default();
    let seen = heads.clone();
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            let seen = seen.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                while !head.ends_with(b"\r\n\r\n") {
                    let mut byte = [0];
                    if client.read_exact(&mut byte).await.is_err() {
                        return;
                    }
                    head.push(byte[0]);
                }
                let head = String::from_utf8_lossy(&head).into_owned();
                seen.lock().unwrap().push(head.clone());
                if head.starts_with("CONNECT ") {
                    let answer = format!("HTTP/1.1 {connect_status}\r\ncontent-length: 0\r\n\r\n");
                    let _ = client.write_all(answer.as_bytes()).await;
                    return;
                }
                let Ok(mut upstream) = TcpStream::connect(upstream).await else {
                    return;
                };
                if upstream.write_all(head.as_bytes()).await.is_ok() {
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
                }
            });
        }
    });
    (url, heads)
}

/// An upstream for proxies that never forward.
fn unused() -> std::net::SocketAddr {
    "127.0.0.1:9".parse().unwrap()
}

#[tokio::test]
async fn plain_http_goes_to_the_proxy_in_absolute_form_with_its_credentials() {
    let emulator = Emulator::start(Config::default()).await.unwrap();
    let (proxy, heads) = proxy("200 OK", emulator.addr()).await;
    let with_credentials = proxy.replace("http://", "http://user:pass@");
    let client = builder(emulator.url())
        .proxy(with_credentials)
        .build()
        .unwrap();
    let response = client.send(register(emulator.url())).await.unwrap();
    assert_eq!(response.status(), 200);
    let heads = heads.lock().unwrap().clone();
    assert_eq!(heads.len(), 1);
    let first_line = heads[0].lines().next().unwrap();
    assert_eq!(
        first_line,
        format!("POST {}/client/register HTTP/1.1", emulator.url())
    );
    // base64("user:pass")
    assert!(
        heads[0]
            .to_ascii_lowercase()
            .contains("proxy-authorization: basic dxnlcjpwyxnz"),
        "{}",
        heads[0]
    );
    assert_eq!(emulator.log().len(), 1);
}

#[tokio::test]
async fn https_goes_through_a_connect_tunnel() {
    let (proxy, heads) = proxy("200 Connection established", unused()).await;
    let url = "https://oidc.us-east-1.amazonaws.com";
    let client = builder(url)
        .proxy(proxy.replace("http://", "http://user:pass@"))
        .connect_timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let error = client.send(register(url)).await.unwrap_err();
    // The proxy opened the tunnel and closed it: the TLS handshake found nobody there.
    assert_eq!(error.kind(), TransportErrorKind::Connect, "{error}");
    let heads = heads.lock().unwrap().clone();
    assert_eq!(heads.len(), 1);
    assert!(
        heads[0].starts_with("CONNECT oidc.us-east-1.amazonaws.com:443 HTTP/1.1\r\n"),
        "{}",
        heads[0]
    );
    assert!(
        heads[0]
            .to_ascii_lowercase()
            .contains("proxy-authorization: basic dxnlcjpwyxnz")
    );
}

#[tokio::test]
async fn a_proxy_that_refuses_the_tunnel_is_named_in_the_error() {
    let (proxy, _) = proxy("407 Proxy Authentication Required", unused()).await;
    let url = "https://oidc.us-east-1.amazonaws.com";
    let client = builder(url)
        .proxy(proxy.replace("http://", "http://user:secret@"))
        .build()
        .unwrap();
    let error = client.send(register(url)).await.unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::Connect);
    let message = error.to_string();
    assert!(
        message.contains(&format!("through the proxy URL: \"{proxy}\"")),
        "{message}"
    );
    assert!(!message.contains("secret"));
    let cause = std::error::Error::source(&error).unwrap().to_string();
    assert!(cause.contains("407"), "{cause}");
}

/// Runs one of the `child_*` tests below in a new process with these variables, so that the
/// proxy environment is read as a program reads it (this process's is left alone).
fn run_child(test: &str, vars: &[(&str, &str)]) {
    let mut command = std::process::Command::new(std::env::current_exe().unwrap());
    command.args([test, "--exact", "--nocapture", "--test-threads=1"]);
    for name in [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
        "REQUEST_METHOD",
    ] {
        command.env_remove(name);
    }
    command.env("SSO_OIDC_HYPER_CHILD", "1");
    command.envs(vars.iter().copied());
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{test}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// In a child process: sends one request to `TARGET` with a default client.
#[tokio::test]
async fn child_sends_with_the_environment() {
    if std::env::var_os("SSO_OIDC_HYPER_CHILD").is_none() {
        return;
    }
    let target = std::env::var("TARGET").unwrap();
    let client = Client::builder()
        .endpoint(sso_oidc::Endpoint::from_url(&target).unwrap())
        .build()
        .unwrap();
    let response = client.send(register(&target)).await.unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn http_proxy_is_read_from_the_environment_except_for_loopback() {
    let emulator = Emulator::start(Config::default()).await.unwrap();
    let (proxy, heads) = proxy("200 OK", emulator.addr()).await;
    // The child blocks this runtime's thread while the proxy and the emulator serve it.
    let child = |vars: Vec<(&'static str, String)>| {
        tokio::task::spawn_blocking(move || {
            let vars: Vec<_> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
            run_child("child_sends_with_the_environment", &vars);
        })
    };
    // A name nobody resolves: only the proxy can take it to the emulator.
    let far = format!("http://sso-oidc-emulator.test:{}", emulator.addr().port());
    child(vec![("TARGET", far.clone()), ("HTTP_PROXY", proxy.clone())])
        .await
        .unwrap();
    let seen = heads.lock().unwrap().clone();
    assert_eq!(seen.len(), 1, "HTTP_PROXY is honoured");
    assert!(seen[0].starts_with(&format!("POST {far}/client/register ")));

    let near = emulator.url().to_owned();
    child(vec![("TARGET", near), ("http_proxy", proxy.clone())])
        .await
        .unwrap();
    assert_eq!(heads.lock().unwrap().len(), 1, "loopback goes direct");
    assert_eq!(emulator.log().len(), 2);
}
