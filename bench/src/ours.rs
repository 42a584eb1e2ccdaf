//! This project's side: the core's builder, `to_http` and `parse`, and the two transports.

use std::hint::black_box;

use sso_oidc::{CreateToken, Endpoint, ErrorCode, GrantType, StartDeviceAuthorization};

use crate::Op;
use crate::canned::{self, CLIENT_ID, CLIENT_SECRET, DEVICE_CODE, START_URL};

pub fn start_request() -> StartDeviceAuthorization {
    StartDeviceAuthorization::builder()
        .client_id(CLIENT_ID)
        .client_secret(CLIENT_SECRET)
        .start_url(START_URL)
        .build()
        .expect("a valid request")
}

pub fn pending_request() -> CreateToken {
    CreateToken::builder()
        .client_id(CLIENT_ID)
        .client_secret(CLIENT_SECRET)
        .grant_type(GrantType::DeviceCode)
        .device_code(DEVICE_CODE)
        .build()
        .expect("a valid request")
}

/// One in-process call: the request built from its members (as the SDK's fluent builder does
/// on every call), `to_http`, then `parse` of the canned response.
pub fn call(op: Op, endpoint: &Endpoint) {
    match op {
        Op::Start => {
            let http = start_request().to_http(endpoint);
            black_box(&http);
            let authorization = StartDeviceAuthorization::parse(canned::response(Op::Start, |b| b))
                .expect("the canned 200 parses");
            black_box(authorization);
        }
        Op::Pending => {
            let http = pending_request().to_http(endpoint);
            black_box(&http);
            let error = CreateToken::parse(canned::response(Op::Pending, |b| b))
                .expect_err("the canned 400 is an error");
            assert_eq!(error.code(), Some(&ErrorCode::AuthorizationPending));
            black_box(error);
        }
    }
}

/// The endpoint both in-process sides are given (nothing is sent to it).
pub fn endpoint() -> Endpoint {
    Endpoint::from_region("us-east-1").expect("a valid region")
}

/// One call through `sso-oidc-ureq` to the loopback server.
pub fn ureq_call(op: Op, client: &sso_oidc_ureq::Client) {
    match op {
        Op::Start => {
            let authorization = client
                .start_device_authorization(&start_request())
                .expect("the canned 200 parses");
            black_box(authorization);
        }
        Op::Pending => {
            let error = client
                .create_token(&pending_request())
                .expect_err("the canned 400 is an error");
            assert_eq!(error.code(), Some(&ErrorCode::AuthorizationPending));
        }
    }
}

/// One call through `sso-oidc-hyper` to the loopback server.
pub async fn hyper_call(op: Op, client: &sso_oidc_hyper::Client) {
    match op {
        Op::Start => {
            let authorization = client
                .start_device_authorization(&start_request())
                .await
                .expect("the canned 200 parses");
            black_box(authorization);
        }
        Op::Pending => {
            let error = client
                .create_token(&pending_request())
                .await
                .expect_err("the canned 400 is an error");
            assert_eq!(error.code(), Some(&ErrorCode::AuthorizationPending));
        }
    }
}
