//! `Client::send` over loopback: what comes back, and how each failure is classified.

use std::io::Write;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use sso_oidc::{Operation, TransportErrorKind};
use sso_oidc_emulator::{Config, Emulator, Fault};
use sso_oidc_hyper::{Detail, Error, USER_AGENT};

mod support;
use support::{RawServer, builder, canned, client, refused_url, register};

#[tokio::test]
async fn error_statuses_come_back_as_responses_with_every_header() {
    let emulator = Emulator::start(Config::default()).await.unwrap();
    let client = client(emulator.url());
    // A poll with a device code nobody issued: the service's 400 with its error type.
    let poll = sso_oidc::CreateToken::builder()
        .client_id("nobody")
        .client_secret("nothing")
        .grant_type(sso_oidc::GrantType::DeviceCode)
        .device_code("no-such-code")
        .build()
        .unwrap();
    let response = client
        .send(poll.to_http(client.endpoint().unwrap()))
        .await
        .expect("a 4xx is a response");
    assert!(response.status().is_client_error(), "{response:?}");
    assert!(response.headers().contains_key("x-amzn-errortype"));
    assert!(response.headers().contains_key("x-amzn-requestid"));
    assert!(!response.body().is_empty());
    // The typed error is the core's to read.
    let error = client.create_token(&poll).await.unwrap_err();
    assert!(matches!(error, Error::Api { attempts: 1, .. }), "{error:?}");
    assert!(error.code().is_some());

    for fault in [Fault::InternalServerError, Fault::BadGatewayHtml] {
        emulator.inject(fault.clone().once());
        let response = client.send(register(emulator.url())).await.unwrap();
        assert!(response.status().is_server_error(), "{fault:?}");
        assert!(response.headers().contains_key("content-type"), "{fault:?}");
    }
    let log = emulator.log();
    let agent = log[0].headers.iter().find(|(k, _)| k == "user-agent");
    assert_eq!(
        agent.map(|(_, v)| v.as_str()),
        Some(format!("{USER_AGENT} {}", sso_oidc::USER_AGENT).as_str())
    );
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let server = RawServer::start(canned(
        "302 Found",
        "location: http://127.0.0.1:9/elsewhere\r\n",
        "",
    ));
    let response = client(&server.url())
        .send(register(&server.url()))
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    assert_eq!(
        response.headers()["location"],
        "http://127.0.0.1:9/elsewhere"
    );
    assert_eq!(server.requests.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn idle_connections_are_reused() {
    let server = RawServer::start(canned("200 OK", "", "{}"));
    let client = client(&server.url());
    for _ in 0..3 {
        let response = client.send(register(&server.url())).await.unwrap();
        assert_eq!(response.body(), b"{}");
    }
    assert_eq!(server.requests.load(Ordering::SeqCst), 3);
    assert_eq!(server.connections.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_connection_the_server_closed_is_replaced_without_an_error() {
    let server = RawServer::start(canned("200 OK", "connection: close\r\n", "{}"));
    let client = client(&server.url());
    for _ in 0..3 {
        client.send(register(&server.url())).await.unwrap();
    }
    assert_eq!(server.connections.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn the_user_agent_goes_in_front_of_the_core_one() {
    let emulator = Emulator::start(Config::default()).await.unwrap();
    let agents = |client: sso_oidc_hyper::Client| {
        let url = emulator.url().to_owned();
        let emulator = &emulator;
        async move {
            let before = emulator.log().len();
            client.send(register(&url)).await.unwrap();
            let log = emulator.log();
            log[before]
                .headers
                .iter()
                .filter(|(k, _)| k == "user-agent")
                .map(|(_, v)| v.clone())
                .collect::<Vec<_>>()
        }
    };
    let custom = builder(emulator.url()).user_agent("my-tool/1.2").build();
    assert_eq!(
        agents(custom.unwrap()).await,
        [format!("my-tool/1.2 {}", sso_oidc::USER_AGENT)]
    );
    let none = builder(emulator.url()).user_agent("").build();
    assert_eq!(agents(none.unwrap()).await, [sso_oidc::USER_AGENT]);
}

#[tokio::test]
async fn a_50_mib_body_is_refused_without_being_read() {
    let emulator = Emulator::start(Config::default()).await.unwrap();
    emulator.inject(Fault::HugeBody(50 << 20));
    let client = client(emulator.url());
    let started = Instant::now();
    let error = client.send(register(emulator.url())).await.unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::BodyTooLarge);
    assert!(
        error.to_string().contains("larger than 1048576 bytes"),
        "{error}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[tokio::test]
async fn a_streamed_body_stops_at_the_cap() {
    // Chunked, so no length is announced: the client must stop reading by itself.
    let server = RawServer::start(|_, out| {
        write!(out, "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")?;
        let chunk = vec![b'x'; 64 << 10];
        for _ in 0..800 {
            write!(out, "{:x}\r\n", chunk.len())?;
            out.write_all(&chunk)?;
            out.write_all(b"\r\n")?;
        }
        out.write_all(b"0\r\n\r\n")
    });
    let error = client(&server.url())
        .send(register(&server.url()))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::BodyTooLarge);
    // The client stopped at 1 MiB; what else the server got out sat in socket buffers. Of
    // the 50 MiB it meant to send, most never left.
    std::thread::sleep(Duration::from_millis(200));
    let written = server.written.load(Ordering::SeqCst);
    assert!(written < 20 << 20, "the server wrote {written} bytes");
}

#[tokio::test]
async fn an_answer_slower_than_the_read_timeout_is_a_timeout() {
    let emulator = Emulator::start(Config::default()).await.unwrap();
    emulator.inject(Fault::Delay(Duration::from_secs(5)).once());
    let client = builder(emulator.url())
        .read_timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.send(register(emulator.url())).await.unwrap_err();
    let took = started.elapsed();
    assert_eq!(error.kind(), TransportErrorKind::Timeout);
    assert!(!error.is_connect_timeout());
    assert!(
        error
            .to_string()
            .starts_with("read timeout on endpoint URL")
    );
    assert!(
        took >= Duration::from_secs(1) && took < Duration::from_secs(4),
        "{took:?}"
    );
    // The next request gets a new connection and its answer.
    client.send(register(emulator.url())).await.unwrap();
}

#[tokio::test]
async fn a_hang_is_a_timeout_too() {
    let emulator = Emulator::start(Config::default()).await.unwrap();
    emulator.inject(Fault::Hang.once());
    let client = builder(emulator.url())
        .read_timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    let error = client.send(register(emulator.url())).await.unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::Timeout);
}

#[tokio::test]
async fn a_dropped_connection_is_an_io_error() {
    let emulator = Emulator::start(Config::default()).await.unwrap();
    emulator.inject(Fault::DropConnection.once());
    let client = client(emulator.url());
    let error = client.send(register(emulator.url())).await.unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::Io);
    assert!(std::error::Error::source(&error).is_some());
    client.send(register(emulator.url())).await.unwrap();
}

#[tokio::test]
async fn a_truncated_body_is_an_io_error() {
    let emulator = Emulator::start(Config::default()).await.unwrap();
    emulator.inject(Fault::TruncatedBody.on(Operation::RegisterClient).once());
    let client = client(emulator.url());
    let error = client.send(register(emulator.url())).await.unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::Io, "{error}");
}

#[tokio::test]
async fn a_refused_connection_is_a_connect_error_naming_the_url() {
    let url = refused_url();
    let error = client(&url).send(register(&url)).await.unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::Connect);
    assert_eq!(error.url(), format!("{url}/client/register"));
    assert_eq!(
        error.to_string(),
        format!(
            "could not connect to the endpoint URL: \"{url}/client/register\": connection refused"
        )
    );
    assert_eq!(error.detail(), &Detail::Refused);
}

#[tokio::test]
async fn a_name_that_does_not_resolve_is_a_connect_error_naming_the_host() {
    // `.invalid` never resolves (RFC 6761), as a typo in a region does not.
    let url = "http://oidc.us-easst-1.invalid";
    let started = Instant::now();
    let error = client(url).send(register(url)).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "bounded by the connect timeout"
    );
    assert_eq!(error.kind(), TransportErrorKind::Connect);
    assert_eq!(
        error.to_string(),
        "could not connect to the endpoint URL: \"http://oidc.us-easst-1.invalid/client/register\": \
         could not resolve host \"oidc.us-easst-1.invalid\""
    );
}

#[tokio::test]
async fn the_read_timeout_bounds_the_whole_response_not_each_read() {
    // The head at once, then the body a byte every 300 ms: 100 bytes would take 30 s.
    let server = RawServer::start(|_, out| {
        out.write_all(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n",
        )?;
        for _ in 0..100 {
            out.write_all(b" ")?;
            std::thread::sleep(Duration::from_millis(300));
        }
        Ok(())
    });
    let client = builder(&server.url())
        .read_timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.send(register(&server.url())).await.unwrap_err();
    let took = started.elapsed();
    assert_eq!(error.detail(), &Detail::ReadTimeout, "{error}");
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(5),
        "{took:?}"
    );
}

#[tokio::test]
async fn a_connect_timeout_is_a_timeout() {
    // A listener that never accepts, with a backlog of one, filled: the kernel drops further
    // handshakes (Linux does) and the client's connect goes unanswered. Where a kernel
    // refuses them instead, the error is Connect.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(1).unwrap();
    let addr = listener.local_addr().unwrap();
    let fillers: Vec<_> = (0..4)
        .filter_map(|_| {
            std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200)).ok()
        })
        .collect();
    let url = format!("http://{addr}");
    let client = builder(&url)
        .connect_timeout(Duration::from_millis(500))
        .read_timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.send(register(&url)).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    // On Linux the handshake goes unanswered: a connect timeout. Elsewhere the kernel may
    // refuse it (Connect) or complete it for the backlog (then the read times out).
    assert!(
        matches!(
            error.kind(),
            TransportErrorKind::Timeout | TransportErrorKind::Connect
        ),
        "{error}"
    );
    if cfg!(target_os = "linux") && fillers.len() >= 2 {
        assert!(error.is_connect_timeout(), "{error}");
    }
    drop((fillers, listener));
}

#[tokio::test]
async fn operations_without_an_endpoint_are_the_core_build_error() {
    let client = sso_oidc_hyper::Client::builder().build().unwrap();
    let register = sso_oidc::RegisterClient::builder()
        .client_name("x")
        .build()
        .unwrap();
    let error = client.register_client(&register).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Api {
                error: sso_oidc::Error::Build(sso_oidc::BuildError::MissingRegion),
                attempts: 0,
            }
        ),
        "{error:?}"
    );
    assert_eq!(error.transport_kind(), None);
}

#[tokio::test]
async fn requests_that_cannot_be_sent_are_connect_errors() {
    let client = client("http://127.0.0.1:9");
    let request = http::Request::new(Vec::new());
    let error = client.send(request).await.unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::Connect);
    assert!(error.to_string().contains("not absolute"), "{error}");
}

#[tokio::test]
async fn tls_to_a_server_that_does_not_speak_it_is_a_tls_error() {
    // It answers plain HTTP the moment a client connects, as a misconfigured port would.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("https://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n");
            std::thread::sleep(Duration::from_secs(2));
        }
    });
    let error = client(&url).send(register(&url)).await.unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::Tls, "{error}");
    assert_eq!(error.detail(), &Detail::NotTls, "{error}");
    assert!(
        error
            .to_string()
            .ends_with("the server did not speak TLS (is it an http:// endpoint?)"),
        "{error}"
    );
}

#[tokio::test]
async fn roots_are_loaded_for_https_only() {
    let emulator = Emulator::start(Config::default()).await.unwrap();
    let client = client(emulator.url());
    client.send(register(emulator.url())).await.unwrap();
    assert!(
        !client.settings().tls().is_loaded(),
        "http:// reads no certificate"
    );

    let ca = sso_oidc_emulator::TestCa::generate().unwrap();
    let secure = Emulator::start_tls(Config::default(), &ca.identity())
        .await
        .unwrap();
    let client = builder(secure.url()).ca_pem(ca.ca_pem()).build().unwrap();
    assert!(
        !client.settings().tls().is_loaded(),
        "nor does building a client"
    );
    client.send(register(secure.url())).await.unwrap();
    assert!(client.settings().tls().is_loaded());
}
