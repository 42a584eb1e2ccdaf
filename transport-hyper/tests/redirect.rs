//! The async redirect listener against raw tokio clients standing in for a browser.

use std::net::{Ipv6Addr, SocketAddr};
use std::time::{Duration, Instant};

use sso_oidc_hyper::{BindError, Cancel, ListenerSettings, RedirectListener, Reply, WaitError};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::task::JoinHandle;

/// Generous: these waits end early when all is well.
const LONG: Duration = Duration::from_secs(30);

async fn listener() -> RedirectListener {
    RedirectListener::bind(&ListenerSettings::default())
        .await
        .unwrap()
}

async fn connect(listener: &RedirectListener) -> TcpStream {
    TcpStream::connect(listener.local_addr()).await.unwrap()
}

async fn read_all(stream: &mut TcpStream) -> String {
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(LONG, stream.read_to_end(&mut answer)).await;
    String::from_utf8_lossy(&answer).into_owned()
}

/// Sends `request` on a new connection from a task of its own, and reads the whole answer
/// (what came before a reset, if the listener resets).
async fn browser(listener: &RedirectListener, request: impl Into<Vec<u8>>) -> JoinHandle<String> {
    let mut stream = connect(listener).await;
    let request = request.into();
    tokio::spawn(async move {
        let _ = stream.write_all(&request).await;
        read_all(&mut stream).await
    })
}

/// Runs `client` while the listener waits (and answers what is not a redirect), then ends
/// the wait: what `client` returned.
async fn while_serving<T>(listener: &mut RedirectListener, client: impl Future<Output = T>) -> T {
    tokio::select! {
        waited = listener.next_redirect(deadline()) => panic!("{waited:?}"),
        out = client => out,
    }
}

fn get(path: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\n\r\n")
}

fn deadline() -> Instant {
    Instant::now() + LONG
}

#[tokio::test]
async fn a_favicon_is_not_found_and_the_callback_comes_back_exactly() {
    let mut listener = listener().await;
    assert_eq!(
        listener.redirect_uri(),
        format!(
            "http://127.0.0.1:{}/oauth/callback",
            listener.local_addr().port()
        )
    );

    let favicon = browser(&listener, get("/favicon.ico")).await;
    let favicon = while_serving(&mut listener, favicon).await.unwrap();
    let target = "/oauth/callback?code=c&state=s";
    let mut waiting = connect(&listener).await;
    waiting.write_all(get(target).as_bytes()).await.unwrap();

    let redirect = listener.next_redirect(deadline()).await.unwrap();
    assert_eq!(redirect.target(), target);
    // The code is a secret: Debug shows the path only.
    assert_eq!(
        format!("{redirect:?}"),
        r#"Redirect { target: "/oauth/callback?<redacted>", pasted: false }"#
    );
    assert!(
        favicon.starts_with("HTTP/1.1 404 Not Found\r\n"),
        "{favicon}"
    );

    // Nothing reaches the browser before the flow has judged the redirect.
    let early = tokio::time::timeout(Duration::from_millis(200), waiting.read(&mut [0; 16])).await;
    assert!(early.is_err(), "{early:?}");

    redirect.respond(&Reply::SignedIn).await.unwrap();
    let page = read_all(&mut waiting).await;
    assert!(page.starts_with("HTTP/1.1 200 OK\r\n"), "{page}");
    assert!(page.contains("Content-Type: text/html; charset=utf-8\r\n"));
    assert!(page.contains("You can close this tab and return to the terminal"));
    assert!(!page.contains("code=c") && !page.contains("state=s"));
}

#[tokio::test]
async fn the_flow_chooses_the_page() {
    let mut listener = listener().await;
    let wrong = browser(&listener, get("/oauth/callback?code=c&state=old")).await;
    let redirect = listener.next_redirect(deadline()).await.unwrap();
    redirect.respond(&Reply::Waiting).await.unwrap();
    assert!(
        wrong
            .await
            .unwrap()
            .contains("The terminal is still waiting")
    );

    let denied = browser(
        &listener,
        get("/oauth/callback?error=access_denied&state=s"),
    )
    .await;
    let redirect = listener.next_redirect(deadline()).await.unwrap();
    redirect
        .respond(&Reply::Failed("access denied".into()))
        .await
        .unwrap();
    assert!(
        denied
            .await
            .unwrap()
            .contains("The sign-in failed: access denied.")
    );

    let dropped = browser(&listener, get("/oauth/callback?code=c&state=s")).await;
    drop(listener.next_redirect(deadline()).await.unwrap());
    assert!(
        dropped
            .await
            .unwrap()
            .contains("The terminal stopped waiting")
    );
}

#[tokio::test]
async fn other_methods_are_not_allowed() {
    let mut listener = listener().await;
    let post = browser(
        &listener,
        "POST /oauth/callback HTTP/1.1\r\nContent-Length: 6\r\n\r\ncode=c",
    )
    .await;
    let post = while_serving(&mut listener, post).await.unwrap();
    assert!(
        post.starts_with("HTTP/1.1 405 Method Not Allowed\r\n"),
        "{post}"
    );
    assert!(post.contains("\r\nAllow: GET, HEAD\r\n"));
}

#[tokio::test]
async fn an_oversized_head_is_refused_and_the_listener_goes_on() {
    let mut listener = listener().await;
    let huge = format!(
        "GET /oauth/callback?code={} HTTP/1.1\r\n\r\n",
        "a".repeat(64 * 1024)
    );
    let refused = browser(&listener, huge).await;
    let fine = browser(&listener, get("/oauth/callback?code=c&state=s")).await;
    let redirect = listener.next_redirect(deadline()).await.unwrap();
    assert_eq!(redirect.target(), "/oauth/callback?code=c&state=s");
    redirect.respond(&Reply::SignedIn).await.unwrap();
    assert!(fine.await.unwrap().starts_with("HTTP/1.1 200 OK"));
    // A 431, or a reset when the listener closed with the rest of the head unread.
    let refused = refused.await.unwrap();
    assert!(
        refused.is_empty() || refused.starts_with("HTTP/1.1 431 "),
        "{refused}"
    );
}

#[tokio::test]
async fn a_silent_connection_does_not_hold_up_the_next() {
    let mut settings = ListenerSettings::default();
    settings.connection_timeout = Duration::from_secs(120);
    let mut listener = RedirectListener::bind(&settings).await.unwrap();
    let _silent = connect(&listener).await;
    let mut half = connect(&listener).await;
    half.write_all(b"GET /oauth/callback?code=x").await.unwrap();
    let fine = browser(&listener, get("/oauth/callback?code=c&state=s")).await;
    let redirect = listener.next_redirect(deadline()).await.unwrap();
    assert_eq!(redirect.target(), "/oauth/callback?code=c&state=s");
    redirect.respond(&Reply::SignedIn).await.unwrap();
    assert!(fine.await.unwrap().starts_with("HTTP/1.1 200 OK"));
}

#[tokio::test]
async fn a_connection_out_of_time_is_closed() {
    let mut settings = ListenerSettings::default();
    settings.connection_timeout = Duration::from_millis(100);
    let mut listener = RedirectListener::bind(&settings).await.unwrap();
    let mut silent = connect(&listener).await;
    let mut answer = Vec::new();
    let read = while_serving(&mut listener, silent.read_to_end(&mut answer)).await;
    // An end of stream while the listener is still there (not a timeout): its closing.
    assert_eq!(read.unwrap(), 0, "closed, no answer");
}

#[tokio::test]
async fn a_port_in_use_is_a_typed_error() {
    let first = listener().await;
    let port = first.local_addr().port();
    let error = RedirectListener::bind(&ListenerSettings::port(port))
        .await
        .unwrap_err();
    assert!(
        matches!(error, BindError::InUse { port: p, .. } if p == port),
        "{error:?}"
    );
    assert!(error.to_string().contains(&format!("port {port} ")));
    assert!(error.to_string().contains("--redirect-port"));

    let std = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = std.local_addr().unwrap().port();
    assert!(matches!(
        RedirectListener::bind(&ListenerSettings::port(port)).await,
        Err(BindError::InUse { .. })
    ));
}

#[tokio::test]
async fn a_fixed_port_serves_again_right_after_a_sign_in() {
    let mut listener = listener().await;
    let port = listener.local_addr().port();
    let page = browser(&listener, get("/oauth/callback?code=c&state=s")).await;
    let redirect = listener.next_redirect(deadline()).await.unwrap();
    redirect.respond(&Reply::SignedIn).await.unwrap();
    page.await.unwrap();
    drop(listener);
    // The listener closed first, so its side of that connection lingers in TIME_WAIT.
    let again = RedirectListener::bind(&ListenerSettings::port(port))
        .await
        .unwrap();
    assert_eq!(again.local_addr().port(), port);
}

#[tokio::test]
async fn it_listens_on_127_0_0_1_only_and_closes_when_dropped() {
    let listener = listener().await;
    let address = listener.local_addr();
    assert_eq!(address.ip(), std::net::Ipv4Addr::LOCALHOST);
    let v6 = SocketAddr::from((Ipv6Addr::LOCALHOST, address.port()));
    assert!(!matches!(
        tokio::time::timeout(LONG, TcpStream::connect(v6)).await,
        Ok(Ok(_))
    ));
    drop(listener);
    assert!(TcpStream::connect(address).await.is_err());
}

#[tokio::test]
async fn cancel_ends_the_wait() {
    let mut listener = listener().await;
    let cancel = Cancel::new();
    let switch = cancel.clone();
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(100));
        switch.cancel();
    });
    let started = Instant::now();
    let far = Instant::now() + Duration::from_secs(600);
    assert!(matches!(
        listener.next_redirect_until(far, &cancel).await,
        Err(WaitError::Cancelled)
    ));
    assert!(started.elapsed() < LONG);
    canceller.join().unwrap();
    assert!(matches!(
        listener.next_redirect_until(far, &cancel).await,
        Err(WaitError::Cancelled)
    ));
}

#[tokio::test]
async fn the_deadline_ends_the_wait() {
    let mut listener = listener().await;
    let started = Instant::now();
    let error = listener
        .next_redirect(Instant::now() + Duration::from_millis(100))
        .await
        .unwrap_err();
    assert!(matches!(error, WaitError::TimedOut));
    assert!(started.elapsed() >= Duration::from_millis(100));
    assert!(matches!(
        listener.next_redirect(started).await,
        Err(WaitError::TimedOut)
    ));
}
