//! The blocking redirect listener against raw `std::net` clients standing in for a browser.

use std::io::{ErrorKind, Read, Write};
use std::net::{Ipv6Addr, SocketAddr, TcpStream};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use sso_oidc_ureq::{BindError, Cancel, ListenerSettings, RedirectListener, Reply, WaitError};

/// Generous: these waits end early when all is well.
const LONG: Duration = Duration::from_secs(30);

fn listener() -> RedirectListener {
    RedirectListener::bind(&ListenerSettings::default()).unwrap()
}

fn connect(listener: &RedirectListener) -> TcpStream {
    let stream = TcpStream::connect(listener.local_addr()).unwrap();
    stream.set_read_timeout(Some(LONG)).unwrap();
    stream
}

/// Sends `request` on `stream` and reads the whole answer (what came before a reset, if the
/// listener resets).
fn exchange(mut stream: TcpStream, request: &[u8]) -> String {
    let _ = stream.write_all(request);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

/// Sends `request` on a new connection from another thread, and reads the whole answer.
fn browser(listener: &RedirectListener, request: impl Into<Vec<u8>>) -> JoinHandle<String> {
    let stream = connect(listener);
    let request = request.into();
    thread::spawn(move || exchange(stream, &request))
}

/// Runs `client` on another thread while the listener waits (and answers what is not a
/// redirect), then ends the wait: what `client` returned.
fn while_serving<T: Send>(listener: &mut RedirectListener, client: impl FnOnce() -> T + Send) -> T {
    let cancel = Cancel::new();
    thread::scope(|scope| {
        let client = scope.spawn(|| {
            let out = client();
            cancel.cancel();
            out
        });
        let waited = listener.next_redirect_until(deadline(), &cancel);
        assert!(matches!(waited, Err(WaitError::Cancelled)), "{waited:?}");
        client.join().unwrap()
    })
}

fn get(path: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\n\r\n")
}

fn deadline() -> Instant {
    Instant::now() + LONG
}

#[test]
fn a_favicon_is_not_found_and_the_callback_comes_back_exactly() {
    let mut listener = listener();
    assert!(listener.redirect_uri().starts_with("http://127.0.0.1:"));
    assert_eq!(
        listener.redirect_uri(),
        format!(
            "http://127.0.0.1:{}/oauth/callback",
            listener.local_addr().port()
        )
    );

    let stream = connect(&listener);
    let favicon = while_serving(&mut listener, || {
        exchange(stream, get("/favicon.ico").as_bytes())
    });
    assert!(
        favicon.starts_with("HTTP/1.1 404 Not Found\r\n"),
        "{favicon}"
    );

    let target = "/oauth/callback?code=c&state=s";
    let mut waiting = connect(&listener);
    waiting.write_all(get(target).as_bytes()).unwrap();
    let redirect = listener.next_redirect(deadline()).unwrap();
    assert_eq!(redirect.target(), target);
    // The code is a secret: Debug shows the path only.
    assert_eq!(
        format!("{redirect:?}"),
        r#"Redirect { target: "/oauth/callback?<redacted>", pasted: false }"#
    );

    // Nothing reaches the browser before the flow has judged the redirect.
    waiting
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let error = waiting.read(&mut [0; 16]).unwrap_err();
    assert!(matches!(
        error.kind(),
        ErrorKind::WouldBlock | ErrorKind::TimedOut
    ));

    redirect.respond(&Reply::SignedIn).unwrap();
    waiting.set_read_timeout(Some(LONG)).unwrap();
    let mut page = String::new();
    waiting.read_to_string(&mut page).unwrap();
    assert!(page.starts_with("HTTP/1.1 200 OK\r\n"), "{page}");
    assert!(page.contains("Content-Type: text/html; charset=utf-8\r\n"));
    assert!(page.contains("You can close this tab and return to the terminal"));
    assert!(!page.contains("code=c") && !page.contains("state=s"));
}

#[test]
fn the_flow_chooses_the_page() {
    let mut listener = listener();
    let wrong = browser(&listener, get("/oauth/callback?code=c&state=old"));
    listener
        .next_redirect(deadline())
        .unwrap()
        .respond(&Reply::Waiting)
        .unwrap();
    assert!(
        wrong
            .join()
            .unwrap()
            .contains("The terminal is still waiting")
    );

    let denied = browser(
        &listener,
        get("/oauth/callback?error=access_denied&state=s"),
    );
    listener
        .next_redirect(deadline())
        .unwrap()
        .respond(&Reply::Failed("access denied".into()))
        .unwrap();
    assert!(
        denied
            .join()
            .unwrap()
            .contains("The sign-in failed: access denied.")
    );

    let dropped = browser(&listener, get("/oauth/callback?code=c&state=s"));
    drop(listener.next_redirect(deadline()).unwrap());
    assert!(
        dropped
            .join()
            .unwrap()
            .contains("The terminal stopped waiting")
    );
}

#[test]
fn other_methods_are_not_allowed() {
    let mut listener = listener();
    let stream = connect(&listener);
    let post = while_serving(&mut listener, || {
        let request = b"POST /oauth/callback HTTP/1.1\r\nContent-Length: 6\r\n\r\ncode=c";
        exchange(stream, request)
    });
    assert!(
        post.starts_with("HTTP/1.1 405 Method Not Allowed\r\n"),
        "{post}"
    );
    assert!(post.contains("\r\nAllow: GET, HEAD\r\n"));
}

#[test]
fn an_oversized_head_is_refused_and_the_listener_goes_on() {
    let mut listener = listener();
    let huge = format!(
        "GET /oauth/callback?code={} HTTP/1.1\r\n\r\n",
        "a".repeat(64 * 1024)
    );
    let refused = browser(&listener, huge);
    let fine = browser(&listener, get("/oauth/callback?code=c&state=s"));
    let redirect = listener.next_redirect(deadline()).unwrap();
    assert_eq!(redirect.target(), "/oauth/callback?code=c&state=s");
    redirect.respond(&Reply::SignedIn).unwrap();
    assert!(fine.join().unwrap().starts_with("HTTP/1.1 200 OK"));
    // Not necessarily answered yet: answered, or closed, by the next wait or the drop.
    drop(listener);
    // A 431, or a reset when the listener closed with the rest of the head unread.
    let refused = refused.join().unwrap();
    assert!(
        refused.is_empty() || refused.starts_with("HTTP/1.1 431 "),
        "{refused}"
    );
}

#[test]
fn a_silent_connection_does_not_hold_up_the_next() {
    let mut settings = ListenerSettings::default();
    settings.connection_timeout = Duration::from_secs(120);
    let mut listener = RedirectListener::bind(&settings).unwrap();
    let _silent = connect(&listener);
    let mut half = connect(&listener);
    half.write_all(b"GET /oauth/callback?code=x").unwrap();
    let fine = browser(&listener, get("/oauth/callback?code=c&state=s"));
    let redirect = listener.next_redirect(deadline()).unwrap();
    assert_eq!(redirect.target(), "/oauth/callback?code=c&state=s");
    redirect.respond(&Reply::SignedIn).unwrap();
    assert!(fine.join().unwrap().starts_with("HTTP/1.1 200 OK"));
}

#[test]
fn a_connection_out_of_time_is_closed() {
    let mut settings = ListenerSettings::default();
    settings.connection_timeout = Duration::from_millis(100);
    let mut listener = RedirectListener::bind(&settings).unwrap();
    let mut silent = connect(&listener);
    let read = while_serving(&mut listener, || silent.read_to_end(&mut Vec::new()));
    // An end of stream while the listener is still there (not a read timeout): its closing.
    assert_eq!(read.unwrap(), 0, "closed, no answer");
}

#[test]
fn a_port_in_use_is_a_typed_error() {
    let first = listener();
    let port = first.local_addr().port();
    let error = RedirectListener::bind(&ListenerSettings::port(port)).unwrap_err();
    assert!(
        matches!(error, BindError::InUse { port: p, .. } if p == port),
        "{error:?}"
    );
    assert!(error.to_string().contains(&format!("port {port} ")));
    assert!(error.to_string().contains("--redirect-port"));

    let std = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = std.local_addr().unwrap().port();
    assert!(matches!(
        RedirectListener::bind(&ListenerSettings::port(port)),
        Err(BindError::InUse { .. })
    ));
}

#[test]
fn a_fixed_port_serves_again_right_after_a_sign_in() {
    let mut listener = listener();
    let port = listener.local_addr().port();
    let page = browser(&listener, get("/oauth/callback?code=c&state=s"));
    listener
        .next_redirect(deadline())
        .unwrap()
        .respond(&Reply::SignedIn)
        .unwrap();
    page.join().unwrap();
    drop(listener);
    // The listener closed first, so its side of that connection lingers in TIME_WAIT.
    let again = RedirectListener::bind(&ListenerSettings::port(port)).unwrap();
    assert_eq!(again.local_addr().port(), port);
}

#[test]
fn it_listens_on_127_0_0_1_only_and_closes_when_dropped() {
    let listener = listener();
    let address = listener.local_addr();
    assert_eq!(address.ip(), std::net::Ipv4Addr::LOCALHOST);
    let v6 = SocketAddr::from((Ipv6Addr::LOCALHOST, address.port()));
    assert!(TcpStream::connect_timeout(&v6, Duration::from_secs(5)).is_err());
    drop(listener);
    assert!(TcpStream::connect_timeout(&address, Duration::from_secs(5)).is_err());
}

#[test]
fn cancel_ends_the_wait() {
    let mut listener = listener();
    let cancel = Cancel::new();
    let switch = cancel.clone();
    let canceller = thread::spawn(move || {
        thread::sleep(Duration::from_millis(100));
        switch.cancel();
    });
    let started = Instant::now();
    let far = Instant::now() + Duration::from_secs(600);
    assert!(matches!(
        listener.next_redirect_until(far, &cancel),
        Err(WaitError::Cancelled)
    ));
    assert!(started.elapsed() < LONG);
    canceller.join().unwrap();
    // Still cancelled: it does not wait at all.
    assert!(matches!(
        listener.next_redirect_until(far, &cancel),
        Err(WaitError::Cancelled)
    ));
}

#[test]
fn the_deadline_ends_the_wait() {
    let mut listener = listener();
    let started = Instant::now();
    let error = listener
        .next_redirect(Instant::now() + Duration::from_millis(100))
        .unwrap_err();
    assert!(matches!(error, WaitError::TimedOut));
    assert_eq!(
        error.to_string(),
        "no redirect came back from the browser in time"
    );
    assert!(started.elapsed() >= Duration::from_millis(100));
    assert!(matches!(
        listener.next_redirect(started),
        Err(WaitError::TimedOut)
    ));
}
