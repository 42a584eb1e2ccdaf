//! The `aws-sdk-ssooidc` side: a client whose HTTP client answers with the canned bytes without
//! any I/O, and one with the SDK's default HTTP client for the loopback server.

use std::hint::black_box;

use aws_sdk_ssooidc::config::retry::RetryConfig;
use aws_sdk_ssooidc::config::{
    BehaviorVersion, HttpClient, IntoShared, Region, RuntimeComponents, SharedHttpClient,
};
use aws_sdk_ssooidc::{Client, Config};
use aws_smithy_runtime_api::client::http::{
    HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_types::body::SdkBody;
use bytes::Bytes;

use crate::Op;
use crate::canned::{self, CLIENT_ID, CLIENT_SECRET, DEVICE_CODE, DEVICE_GRANT, START_URL};

/// An HTTP client that answers every request with the canned response for its path, built per
/// call as the SDK's own hyper client hands one over: an `http` 1.x response converted with
/// `HttpResponse::try_from`, its body the static bytes (no copy).
#[derive(Clone, Debug)]
struct Canned;

impl HttpConnector for Canned {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let uri = request.uri();
        let rest = uri.split_once("://").map_or(uri, |(_, rest)| rest);
        let path = &rest[rest.find('/').unwrap_or(rest.len())..];
        let op = canned::op_of_path(path).expect("a path the bench answers");
        let response = canned::response(op, |bytes| SdkBody::from(Bytes::from_static(bytes)));
        let response = HttpResponse::try_from(response).expect("a valid response");
        HttpConnectorFuture::ready(Ok(response))
    }
}

impl HttpClient for Canned {
    fn http_connector(
        &self,
        _settings: &HttpConnectorSettings,
        _components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        self.clone().into_shared()
    }
}

/// The configuration both SDK clients share: latest behavior, a region, retries off. The
/// three operations are unsigned (`authtype: none`): no credentials are configured.
fn config() -> aws_sdk_ssooidc::config::Builder {
    Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .retry_config(RetryConfig::disabled())
}

/// A client that answers in-process with the canned bytes; it resolves the real endpoint
/// (`https://oidc.us-east-1.amazonaws.com`), but nothing is sent.
pub fn canned_client() -> Client {
    let http: SharedHttpClient = Canned.into_shared();
    Client::from_conf(config().http_client(http).build())
}

/// A client with the SDK's default HTTP client (hyper, rustls, a connection pool), pointed at
/// the loopback server.
pub fn loopback_client(url: &str) -> Client {
    Client::from_conf(config().endpoint_url(url).build())
}

/// One call: the fluent builder, `send`, and a check of the outcome.
pub async fn call(op: Op, client: &Client) {
    match op {
        Op::Start => {
            let output = client
                .start_device_authorization()
                .client_id(CLIENT_ID)
                .client_secret(CLIENT_SECRET)
                .start_url(START_URL)
                .send()
                .await
                .expect("the canned 200 parses");
            black_box(output);
        }
        Op::Pending => {
            let error = client
                .create_token()
                .client_id(CLIENT_ID)
                .client_secret(CLIENT_SECRET)
                .grant_type(DEVICE_GRANT)
                .device_code(DEVICE_CODE)
                .send()
                .await
                .expect_err("the canned 400 is an error");
            assert!(
                error
                    .as_service_error()
                    .is_some_and(|e| e.is_authorization_pending_exception()),
                "{error:?}"
            );
            black_box(error);
        }
    }
}
