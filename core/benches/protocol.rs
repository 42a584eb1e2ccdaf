//! What the core costs per call, with no I/O: `to_http` and `parse` of each operation (a
//! success and, for `CreateToken`, a pending authorization), the classification of every
//! modelled error, one step of a polling `DeviceFlow`, and a `Call` answered at once.
//!
//! `cargo bench -p sso-oidc` (criterion). `cargo test --benches` runs each once, untimed:
//! timings are for benchmarks, never for tests. BENCHMARKS.md at the repository root compares
//! the same calls with aws-sdk-ssooidc.

use std::hint::black_box;
use std::time::{Duration, Instant, UNIX_EPOCH};

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use sso_oidc::{
    Action, Call, CallAction, CreateToken, DeviceFlow, DeviceFlowConfig, Endpoint, ErrorCode,
    GrantType, RegisterClient, RetryPolicy, StartDeviceAuthorization,
};

const REGISTERED: &str = r#"{"authorizationEndpoint":null,"clientId":"cid-123","clientIdIssuedAt":1763712000,"clientSecret":"eyJraWQiOiJrZXktMTU2NDAyODA5OSIsImFsZyI6IkhTMzg0In0.secret","clientSecretExpiresAt":1771488000,"tokenEndpoint":null}"#;
const AUTHORIZED: &str = r#"{"deviceCode":"dc-AbCd0123456789","expiresIn":600,"interval":1,"userCode":"GPNW-SHFH","verificationUri":"https://device.sso.us-east-1.amazonaws.com/","verificationUriComplete":"https://device.sso.us-east-1.amazonaws.com/?user_code=GPNW-SHFH"}"#;
const TOKEN: &str = r#"{"accessToken":"aoa-0123456789abcdef","expiresIn":28800,"idToken":null,"refreshToken":"aor-0123456789abcdef","tokenType":"Bearer"}"#;
const PENDING: &str =
    r#"{"error":"authorization_pending","error_description":"Authorization is still pending"}"#;
const NAMESPACE: &str = "http://internal.amazon.com/coral/com.amazonaws.sso.oidc/";

/// A response as a transport hands it over, the body borrowed.
fn response(
    status: u16,
    error_type: Option<&str>,
    body: &'static str,
) -> http::Response<&'static [u8]> {
    let mut builder = http::Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .header("x-amzn-requestid", "0d6b7e7a-1111-4222-8333-944445555666");
    if let Some(error_type) = error_type {
        builder = builder.header("x-amzn-errortype", error_type);
    }
    builder.body(body.as_bytes()).expect("a valid response")
}

fn pending() -> http::Response<&'static [u8]> {
    let error_type = format!("AuthorizationPendingException:{NAMESPACE}");
    response(400, Some(&error_type), PENDING)
}

fn operations(c: &mut Criterion) {
    let endpoint = Endpoint::from_region("us-east-1").expect("a region");
    let register = RegisterClient::builder()
        .client_name("sso-oidc")
        .scope("sso:account:access")
        .build()
        .expect("a request");
    let start = StartDeviceAuthorization::builder()
        .client_id("cid-123")
        .client_secret("eyJraWQiOiJrZXktMTU2NDAyODA5OSIsImFsZyI6IkhTMzg0In0.secret")
        .start_url("https://d-1234567890.awsapps.com/start")
        .build()
        .expect("a request");
    let token = CreateToken::builder()
        .client_id("cid-123")
        .client_secret("eyJraWQiOiJrZXktMTU2NDAyODA5OSIsImFsZyI6IkhTMzg0In0.secret")
        .grant_type(GrantType::DeviceCode)
        .device_code("dc-AbCd0123456789")
        .build()
        .expect("a request");

    c.bench_function("RegisterClient/to_http", |b| {
        b.iter(|| register.to_http(black_box(&endpoint)))
    });
    c.bench_function("RegisterClient/parse", |b| {
        b.iter_batched(
            || response(200, None, REGISTERED),
            |r| RegisterClient::parse(r).expect("parses"),
            BatchSize::SmallInput,
        )
    });
    c.bench_function("StartDeviceAuthorization/to_http", |b| {
        b.iter(|| start.to_http(black_box(&endpoint)))
    });
    c.bench_function("StartDeviceAuthorization/parse", |b| {
        b.iter_batched(
            || response(200, None, AUTHORIZED),
            |r| StartDeviceAuthorization::parse(r).expect("parses"),
            BatchSize::SmallInput,
        )
    });
    c.bench_function("CreateToken/to_http", |b| {
        b.iter(|| token.to_http(black_box(&endpoint)))
    });
    c.bench_function("CreateToken/parse", |b| {
        b.iter_batched(
            || response(200, None, TOKEN),
            |r| CreateToken::parse(r).expect("parses"),
            BatchSize::SmallInput,
        )
    });
    c.bench_function("CreateToken/parse_pending", |b| {
        b.iter_batched(
            pending,
            |r| CreateToken::parse(r).expect_err("pending"),
            BatchSize::SmallInput,
        )
    });
}

/// Each modelled error as the service sends it (`x-amzn-ErrorType`, the model's status, an
/// OAuth body), parsed into a `ServiceError` with its code.
fn classification(c: &mut Criterion) {
    let mut group = c.benchmark_group("classify");
    for code in ErrorCode::MODELED {
        let error_type: &'static str = format!("{}:{NAMESPACE}", code.shape_name()).leak();
        let body: &'static str = format!(
            r#"{{"error":"{}","error_description":"Something about {}"}}"#,
            code.oauth_error().unwrap_or_default(),
            code.shape_name()
        )
        .leak();
        let status = code.http_status().map_or(400, |s| s.as_u16());
        group.bench_function(code.shape_name(), |b| {
            b.iter_batched(
                || response(status, Some(error_type), body),
                |r| {
                    let error = CreateToken::parse(r).expect_err("an error");
                    assert_eq!(error.code(), Some(code));
                    error
                },
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

/// A flow that has shown its prompt, and the instant its first `CreateToken` is due.
fn polling_flow(start: Instant) -> (DeviceFlow, Instant) {
    let registration = RegisterClient::parse(response(200, None, REGISTERED)).expect("parses");
    let config = DeviceFlowConfig::builder()
        .endpoint(Endpoint::from_region("us-east-1").expect("a region"))
        .start_url("https://d-1234567890.awsapps.com/start")
        .registration(registration)
        .build()
        .expect("a config");
    // Wall-clock time only judges the cached registration (issued 2025-11-21, 90 days).
    let wall_clock = UNIX_EPOCH + Duration::from_secs(1_763_712_000 + 86_400);
    let mut flow = DeviceFlow::new(config, start, wall_clock);
    loop {
        match flow.poll(start) {
            Action::Send(_) => flow.handle_response(response(200, None, AUTHORIZED), start),
            Action::Prompt(_) => {}
            Action::WaitUntil(due) => return (flow, due),
            other => panic!("unexpected {other:?}"),
        }
    }
}

/// One polling step: `poll` builds the `CreateToken` request, `handle_response` takes the
/// pending answer and schedules the next poll.
fn flow_step(c: &mut Criterion) {
    // The flow reads no clock; a benchmark needs one instant to start from.
    #[allow(clippy::disallowed_methods)]
    let start = Instant::now();
    let (_, at) = polling_flow(start);
    c.bench_function("DeviceFlow/poll_and_handle_pending", |b| {
        b.iter_batched(
            || polling_flow(start).0,
            |mut flow| {
                let Action::Send(request) = flow.poll(at) else {
                    panic!("the poll is due")
                };
                black_box(request);
                flow.handle_response(pending(), at);
                flow
            },
            BatchSize::SmallInput,
        )
    });
}

/// What the machine adds to one operation answered at once: `poll` hands out a copy of the
/// request (a retry needs the original), `handle_response` parses, and the last `poll` hands
/// out a copy of the output. The request and the response are made outside the timing.
fn call(c: &mut Criterion) {
    let endpoint = Endpoint::from_region("us-east-1").expect("a region");
    let start = StartDeviceAuthorization::builder()
        .client_id("cid-123")
        .client_secret("eyJraWQiOiJrZXktMTU2NDAyODA5OSIsImFsZyI6IkhTMzg0In0.secret")
        .start_url("https://d-1234567890.awsapps.com/start")
        .build()
        .expect("a request");
    // The machine reads no clock; a benchmark needs one instant to start from.
    #[allow(clippy::disallowed_methods)]
    let now = Instant::now();
    let answer = || response(200, None, AUTHORIZED).map(<[u8]>::to_vec);
    c.bench_function("Call/StartDeviceAuthorization", |b| {
        b.iter_batched(
            || (start.to_http(&endpoint), answer()),
            |(request, response)| {
                let parse = StartDeviceAuthorization::parse;
                let mut call = Call::new(request, parse, RetryPolicy::standard(), 7);
                let CallAction::Send(request) = call.poll(now) else {
                    panic!("sends at once")
                };
                black_box(request);
                call.handle_response(response, now);
                match call.poll(now) {
                    CallAction::Done(authorization) => authorization,
                    other => panic!("unexpected {other:?}"),
                }
            },
            BatchSize::SmallInput,
        )
    });
    c.bench_function("StartDeviceAuthorization/parse_owned", |b| {
        b.iter_batched(
            answer,
            |r| StartDeviceAuthorization::parse(r).expect("parses"),
            BatchSize::SmallInput,
        )
    });
}

criterion_group!(benches, operations, classification, flow_step, call);
criterion_main!(benches);
