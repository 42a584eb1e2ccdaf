//! One request at a time over loopback: what `send` and the operations give back for every
//! kind of answer and failure, against the emulator and tiny raw servers.

use std::io::Write;
use std::net::TcpListener;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use sso_oidc::{
    BuildError, CreateToken, ErrorCode, GrantType, MAX_RESPONSE_BODY, Operation, ParseErrorKind,
    RegisterClient, RetryPolicy, StartDeviceAuthorization, TransportErrorKind,
};
use sso_oidc_emulator::{BlockingEmulator, Config, Fault, TestCa};
use sso_oidc_ureq::{Client, Detail, Error};

mod support;
use support::{HANG, client, closed_port, serve, within, write_counted};

const SECOND: Duration = Duration::from_secs(1);

fn emulator() -> BlockingEmulator {
    BlockingEmulator::start(Config::default()).unwrap()
}

fn register() -> RegisterClient {
    RegisterClient::builder()
        .client_name("transport-test")
        .build()
        .unwrap()
}

fn post(url: &str) -> http::Request<Vec<u8>> {
    http::Request::post(url)
        .header("content-type", "application/json")
        .body(br#"{"clientName":"raw","clientType":"public"}"#.to_vec())
        .unwrap()
}

/// Sends `request` on a thread, failing the test on a hang.
fn send(
    client: &Client,
    request: http::Request<Vec<u8>>,
) -> Result<http::Response<Vec<u8>>, sso_oidc_ureq::TransportError> {
    let client = client.clone();
    within(HANG, move || client.send(request))
}

#[test]
fn the_three_operations_return_the_cores_outputs() {
    let emulator = emulator();
    let client = client(&emulator);
    let registration = client.register_client(&register()).unwrap();
    let start = StartDeviceAuthorization::builder()
        .client_id(&registration.client_id)
        .client_secret(&registration.client_secret)
        .start_url(support::START_URL)
        .build()
        .unwrap();
    let device = client.start_device_authorization(&start).unwrap();
    assert_eq!(device.interval, Some(SECOND));
    let poll = CreateToken::builder()
        .client_id(&registration.client_id)
        .client_secret(&registration.client_secret)
        .grant_type(GrantType::DeviceCode)
        .device_code(&device.device_code)
        .build()
        .unwrap();
    let pending = client.create_token(&poll).unwrap_err();
    assert_eq!(pending.code(), Some(&ErrorCode::AuthorizationPending));
    emulator.approve(&device.user_code).unwrap();
    std::thread::sleep(SECOND);
    let token = client.create_token(&poll).unwrap();
    assert!(!token.access_token.expose().is_empty());
}

#[test]
fn a_4xx_is_a_response_with_its_status_and_every_header() {
    let emulator = emulator();
    let client = client(&emulator);
    let request = http::Request::post(format!("{}/token", emulator.url()))
        .header("content-type", "application/json")
        .body(br#"{"clientId":"nobody","clientSecret":"x","grantType":"urn:ietf:params:oauth:grant-type:device_code","deviceCode":"nope"}"#.to_vec())
        .unwrap();
    // An unknown client: 401 InvalidClientException.
    let response = send(&client, request).unwrap();
    assert_eq!(response.status(), 401);
    let headers = response.headers();
    assert!(headers.contains_key("x-amzn-requestid"), "{headers:?}");
    assert!(headers.contains_key("x-amzn-errortype"), "{headers:?}");
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(
        CreateToken::parse(response).unwrap_err().code(),
        Some(&ErrorCode::InvalidClient)
    );
}

#[test]
fn a_5xx_html_page_is_a_response_too() {
    let emulator = emulator();
    emulator.inject(Fault::BadGatewayHtml.once());
    let client = client(&emulator);
    let response = send(&client, register().to_http(client.endpoint().unwrap())).unwrap();
    assert_eq!(response.status(), 502);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let error = RegisterClient::parse(response).unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(502));
}

#[test]
fn the_user_agent_goes_in_front_of_the_cores() {
    let emulator = emulator();
    let client = support::builder(&emulator)
        .user_agent("my-tool/1.2")
        .build()
        .unwrap();
    client.register_client(&register()).unwrap();
    let log = emulator.log();
    let user_agent = log[0]
        .headers
        .iter()
        .find(|(name, _)| name == "user-agent")
        .map(|(_, value)| value.as_str());
    assert_eq!(
        user_agent,
        Some(format!("my-tool/1.2 {}", sso_oidc::USER_AGENT).as_str())
    );
}

#[test]
fn redirects_are_not_followed() {
    let server = serve(|stream, _| {
        let _ = stream.write_all(
            b"HTTP/1.1 307 Temporary Redirect\r\nlocation: http://127.0.0.1:9/elsewhere\r\nx-extra: kept\r\ncontent-length: 0\r\n\r\n",
        );
    });
    let client = Client::builder().no_proxy_from_env().build().unwrap();
    let response = send(&client, post(&format!("{}/client/register", server.url()))).unwrap();
    assert_eq!(response.status(), 307);
    assert_eq!(
        response.headers()["location"],
        "http://127.0.0.1:9/elsewhere"
    );
    assert_eq!(response.headers()["x-extra"], "kept");
}

#[test]
fn a_50_mib_body_is_refused_without_reading_it() {
    let emulator = emulator();
    emulator.inject(Fault::HugeBody(50 << 20).once());
    let client = client(&emulator);
    let started = Instant::now();
    let error = client.register_client(&register()).unwrap_err();
    assert_eq!(
        error.transport_kind(),
        Some(TransportErrorKind::BodyTooLarge)
    );
    assert!(started.elapsed() < 5 * SECOND);
    // The connection was dropped, not drained: the next request is answered at once.
    client.register_client(&register()).unwrap();
}

/// A chunked body (no Content-Length) of `len` bytes, counting what was sent.
fn chunked(len: u64) -> support::RawServer {
    serve(move |stream, written: &AtomicU64| {
        let head = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
        if !write_counted(stream, &AtomicU64::new(0), head) {
            return;
        }
        let chunk = vec![b' '; 64 << 10];
        let mut left = len;
        while left > 0 {
            let n = left.min(chunk.len() as u64) as usize;
            let mut frame = format!("{n:x}\r\n").into_bytes();
            frame.extend_from_slice(&chunk[..n]);
            frame.extend_from_slice(b"\r\n");
            let _ = stream.flush();
            if !write_counted(stream, written, &frame) {
                return;
            }
            left -= n as u64;
        }
        let _ = stream.write_all(b"0\r\n\r\n");
    })
}

#[test]
fn a_streamed_body_over_the_cap_stops_the_read() {
    let server = chunked(50 << 20);
    let client = Client::builder().no_proxy_from_env().build().unwrap();
    let error = send(&client, post(&format!("{}/token", server.url()))).unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::BodyTooLarge);
    assert!(
        error.to_string().contains("larger than 1048576 bytes"),
        "{error}"
    );
    // Give the server a moment to notice the closed connection.
    std::thread::sleep(SECOND / 2);
    let sent = server.written.load(Ordering::SeqCst);
    // The cap plus what socket buffers hold: nowhere near the whole 50 MiB.
    assert!(sent < 40 << 20, "the client read {sent} bytes");
}

#[test]
fn a_body_of_exactly_the_cap_is_read_whole() {
    let server = chunked(MAX_RESPONSE_BODY as u64);
    let client = Client::builder().no_proxy_from_env().build().unwrap();
    let response = send(&client, post(&format!("{}/token", server.url()))).unwrap();
    assert_eq!(response.body().len(), MAX_RESPONSE_BODY);
}

#[test]
fn an_answer_slower_than_the_read_timeout_times_out() {
    let emulator = emulator();
    emulator.inject(Fault::Delay(3 * SECOND).once());
    let client = support::builder(&emulator)
        .read_timeout(SECOND)
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.register_client(&register()).unwrap_err();
    let elapsed = started.elapsed();
    let Error::Transport { error, attempts: 1 } = error else {
        panic!("{error:?}")
    };
    assert_eq!(error.kind(), TransportErrorKind::Timeout);
    assert!(!error.is_connect_timeout());
    assert_eq!(
        error.to_string(),
        format!(
            "read timeout on endpoint URL: \"{}/client/register\"",
            emulator.url()
        )
    );
    assert!(
        elapsed >= SECOND * 9 / 10 && elapsed < 3 * SECOND,
        "{elapsed:?}"
    );
}

#[test]
fn a_dropped_connection_is_an_io_error() {
    let emulator = emulator();
    emulator.inject(Fault::DropConnection.once());
    let client = client(&emulator);
    let error = client.register_client(&register()).unwrap_err();
    assert_eq!(error.transport_kind(), Some(TransportErrorKind::Io));
}

#[test]
fn a_truncated_body_is_an_io_error() {
    let emulator = emulator();
    emulator.inject(Fault::TruncatedBody.once());
    let client = client(&emulator);
    let error = client.register_client(&register()).unwrap_err();
    assert_eq!(error.transport_kind(), Some(TransportErrorKind::Io));
}

#[test]
fn malformed_json_is_the_cores_parse_error() {
    let emulator = emulator();
    emulator.inject(Fault::MalformedJson.once());
    let client = client(&emulator);
    match client.register_client(&register()).unwrap_err() {
        Error::Api {
            error: sso_oidc::Error::Parse(error),
            attempts: 1,
        } => {
            assert!(matches!(error.kind(), ParseErrorKind::MalformedJson { .. }));
            assert_eq!(error.operation(), Operation::RegisterClient);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn connection_refused_is_a_connect_error() {
    let port = closed_port();
    let client = Client::builder()
        .endpoint(sso_oidc::Endpoint::from_url(&format!("http://127.0.0.1:{port}")).unwrap())
        .no_proxy_from_env()
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let error = client.register_client(&register()).unwrap_err();
    let Error::Transport { error, attempts: 1 } = error else {
        panic!("{error:?}")
    };
    assert_eq!(error.kind(), TransportErrorKind::Connect);
    assert_eq!(
        error.url(),
        format!("http://127.0.0.1:{port}/client/register")
    );
    assert_eq!(
        error.to_string(),
        format!(
            "could not connect to the endpoint URL: \"http://127.0.0.1:{port}/client/register\": \
             connection refused"
        )
    );
    assert_eq!(error.detail(), &Detail::Refused);
    assert!(std::error::Error::source(&error).is_some());
}

#[test]
fn https_to_a_server_that_does_not_speak_tls_is_a_tls_error() {
    let emulator = emulator();
    let url = emulator.url().replace("http://", "https://");
    let client = Client::builder().no_proxy_from_env().build().unwrap();
    let error = send(&client, post(&format!("{url}/client/register"))).unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::Tls, "{error:?}");
    assert!(
        error.to_string().starts_with("TLS handshake failed"),
        "{error}"
    );
    assert_eq!(error.detail(), &Detail::NotTls, "{error}");
}

#[test]
fn https_to_a_plain_http_answer_is_not_tls() {
    // It answers plain HTTP the moment a client connects, as a misconfigured port would.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("https://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n");
            std::thread::sleep(2 * SECOND);
        }
    });
    let client = Client::builder().no_proxy_from_env().build().unwrap();
    let error = send(&client, post(&format!("{url}/client/register"))).unwrap_err();
    assert_eq!(error.detail(), &Detail::NotTls, "{error}");
    assert_eq!(
        error.to_string(),
        format!(
            "TLS handshake failed with endpoint URL: \"{url}/client/register\": the server did \
             not speak TLS (is it an http:// endpoint?)"
        )
    );
}

#[test]
fn roots_are_loaded_for_https_only() {
    let emulator = emulator();
    let client = client(&emulator);
    client.register_client(&register()).unwrap();
    assert!(
        !client.settings().tls().is_loaded(),
        "http:// reads no certificate"
    );

    let ca = TestCa::generate().unwrap();
    let secure = BlockingEmulator::start_tls(Config::default(), &ca.identity()).unwrap();
    let client = support::builder(&secure)
        .ca_pem(ca.ca_pem())
        .build()
        .unwrap();
    assert!(
        !client.settings().tls().is_loaded(),
        "nor does building a client"
    );
    client.register_client(&register()).unwrap();
    assert!(client.settings().tls().is_loaded());
}

#[test]
fn an_untrusted_certificate_is_named_as_such() {
    let ca = TestCa::generate().unwrap();
    let secure = BlockingEmulator::start_tls(Config::default(), &ca.identity()).unwrap();
    let error = client(&secure).register_client(&register()).unwrap_err();
    let Error::Transport { error, attempts: 1 } = error else {
        panic!("{error:?}")
    };
    assert_eq!(
        error.detail(),
        &Detail::Untrusted("unknown issuer"),
        "{error}"
    );
    // Insecure: any certificate will do.
    let insecure = support::builder(&secure)
        .danger_accept_invalid_certs(true)
        .build()
        .unwrap();
    assert!(insecure.is_insecure());
    insecure.register_client(&register()).unwrap();
}

#[test]
fn a_name_that_does_not_resolve_is_a_connect_error_naming_the_host() {
    // `.invalid` never resolves (RFC 6761), as a typo in a region does not.
    let client = Client::builder()
        .endpoint(sso_oidc::Endpoint::from_url("http://oidc.us-easst-1.invalid").unwrap())
        .no_proxy_from_env()
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let error = within(HANG, move || client.register_client(&register())).unwrap_err();
    let Error::Transport { error, attempts: 1 } = error else {
        panic!("{error:?}")
    };
    assert_eq!(error.kind(), TransportErrorKind::Connect);
    assert_eq!(
        error.to_string(),
        "could not connect to the endpoint URL: \"http://oidc.us-easst-1.invalid/client/register\": \
         could not resolve host \"oidc.us-easst-1.invalid\""
    );
}

/// A server that sends the head of a 100-byte answer at once, then its body one byte every
/// 300 ms.
fn dripping() -> support::RawServer {
    serve(|stream, _| {
        let head =
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n";
        if stream.write_all(head).is_err() {
            return;
        }
        for _ in 0..100 {
            if stream.write_all(b" ").is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(300));
        }
    })
}

#[test]
fn the_read_timeout_bounds_the_whole_response_not_each_read() {
    let server = dripping();
    let client = Client::builder()
        .no_proxy_from_env()
        .read_timeout(SECOND)
        .build()
        .unwrap();
    let started = Instant::now();
    let error = send(&client, post(&format!("{}/token", server.url()))).unwrap_err();
    let took = started.elapsed();
    assert_eq!(error.detail(), &Detail::ReadTimeout, "{error}");
    assert!(took >= SECOND * 9 / 10 && took < 5 * SECOND, "{took:?}");
}

#[test]
fn the_wait_for_the_head_counts_against_the_body() {
    // The head after 1.5 s, then a byte every 300 ms: with a budget for the head and another
    // for the body, a 2 s read timeout would end only at 3.5 s.
    let server = serve(|stream, _| {
        std::thread::sleep(3 * SECOND / 2);
        let head = b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n";
        let _ = stream.write_all(head);
        for _ in 0..100 {
            if stream.write_all(b" ").is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(300));
        }
    });
    let client = Client::builder()
        .no_proxy_from_env()
        .read_timeout(2 * SECOND)
        .build()
        .unwrap();
    let started = Instant::now();
    let error = send(&client, post(&format!("{}/token", server.url()))).unwrap_err();
    let took = started.elapsed();
    assert_eq!(error.detail(), &Detail::ReadTimeout, "{error}");
    assert!(took >= 2 * SECOND * 9 / 10 && took < 3 * SECOND, "{took:?}");
}

#[test]
fn a_slow_answer_inside_the_read_timeout_is_read_whole() {
    let emulator = emulator();
    emulator.inject(Fault::Drip(Duration::from_millis(2)).once());
    let client = support::builder(&emulator)
        .read_timeout(10 * SECOND)
        .build()
        .unwrap();
    let started = Instant::now();
    let registration = client.register_client(&register()).unwrap();
    assert!(!registration.client_id.is_empty());
    assert!(
        started.elapsed() > Duration::from_millis(100),
        "it did drip"
    );
}

#[test]
fn a_dripping_emulator_answer_times_out_too() {
    let emulator = emulator();
    emulator.inject(Fault::Drip(Duration::from_millis(300)).once());
    let client = support::builder(&emulator)
        .read_timeout(SECOND)
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.register_client(&register()).unwrap_err();
    let took = started.elapsed();
    let Error::Transport { error, attempts: 1 } = error else {
        panic!("{error:?}")
    };
    assert_eq!(error.detail(), &Detail::ReadTimeout, "{error}");
    assert!(took < 5 * SECOND, "{took:?}");
}

#[test]
fn requests_that_cannot_be_sent_are_connect_errors() {
    let client = Client::builder().no_proxy_from_env().build().unwrap();
    let error = send(&client, http::Request::new(Vec::new())).unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::Connect);
    assert!(error.to_string().contains("not absolute"), "{error}");
}

#[test]
fn operations_need_an_endpoint() {
    let client = Client::builder().no_proxy_from_env().build().unwrap();
    assert!(matches!(
        client.register_client(&register()),
        Err(Error::Api {
            error: sso_oidc::Error::Build(BuildError::MissingRegion),
            attempts: 0,
        })
    ));
}

#[test]
fn an_explicit_proxy_tunnels_every_request() {
    let emulator = emulator();
    let proxy = support::connect_proxy();
    let client = support::builder(&emulator)
        .proxy(format!("http://{}", proxy.addr))
        .build()
        .unwrap();
    client.register_client(&register()).unwrap();
    let requests = proxy.requests.lock().unwrap();
    let first = support::first_line(&requests[0]);
    assert_eq!(first, format!("CONNECT {} HTTP/1.1", emulator.addr()));
}

#[test]
fn https_goes_through_the_tunnel_with_the_proxy_credentials() {
    let ca = TestCa::generate().unwrap();
    let secure = BlockingEmulator::start_tls(Config::default(), &ca.identity()).unwrap();
    let proxy = support::connect_proxy();
    let client = support::builder(&secure)
        .ca_pem(ca.ca_pem())
        .proxy(format!("http://user:p%40ss@{}", proxy.addr))
        .user_agent("my-tool/1.2")
        .build()
        .unwrap();
    client.register_client(&register()).unwrap();
    let requests = proxy.requests.lock().unwrap();
    let head = &requests[0];
    assert_eq!(
        support::first_line(head),
        format!("CONNECT {} HTTP/1.1", secure.addr())
    );
    // base64("user:p@ss"), and our product, not ureq's.
    assert!(
        head.contains("Proxy-Authorization: Basic dXNlcjpwQHNz\r\n"),
        "{head}"
    );
    assert!(head.contains("User-Agent: my-tool/1.2\r\n"), "{head}");
}

#[test]
fn a_proxy_nobody_listens_on_is_a_connect_error() {
    let emulator = emulator();
    let port = closed_port();
    let client = support::builder(&emulator)
        .proxy(format!("http://127.0.0.1:{port}"))
        .build()
        .unwrap();
    let error = client.register_client(&register()).unwrap_err();
    assert_eq!(error.transport_kind(), Some(TransportErrorKind::Connect));
    let Error::Transport { error, attempts: 1 } = error else {
        panic!("{error:?}")
    };
    assert_eq!(
        error.proxy(),
        Some(format!("http://127.0.0.1:{port}").as_str())
    );
}

#[test]
fn a_bodiless_answer_is_not_judged_by_its_content_length() {
    let server = serve(|stream, _| {
        let _ = stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 52428800\r\n\r\n");
    });
    let client = Client::builder().no_proxy_from_env().build().unwrap();
    let request = http::Request::head(format!("{}/token", server.url()))
        .body(Vec::new())
        .unwrap();
    let response = send(&client, request).unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.body().is_empty());
}
