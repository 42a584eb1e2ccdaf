//! What the emulator's tests share: a registered client on simulated time.

#![allow(dead_code, unreachable_pub)]

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use sso_oidc::{
    CreateToken, Endpoint, ErrorCode, GrantType, RegisterClient, StartDeviceAuthorization,
};
use sso_oidc_emulator::{Config, Service};

pub const BASE: &str = "http://127.0.0.1:9";

pub fn start() -> Instant {
    Instant::now()
}

pub fn wall() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

pub fn post(path: &str, body: &str) -> http::Request<Vec<u8>> {
    http::Request::post(format!("{BASE}{path}"))
        .header("content-type", "application/json")
        .body(body.as_bytes().to_vec())
        .unwrap()
}

pub fn json(response: &http::Response<Vec<u8>>) -> serde_json::Value {
    serde_json::from_slice(response.body()).unwrap()
}

pub struct Session {
    pub service: Service,
    pub now: Instant,
    pub endpoint: Endpoint,
    pub client_id: String,
    pub client_secret: String,
}

impl Session {
    pub fn new(config: Config) -> Self {
        let mut service = Service::new(config, BASE);
        let now = start();
        let endpoint = Endpoint::from_url(BASE).unwrap();
        let register = RegisterClient::builder().client_name("t").build().unwrap();
        let client =
            RegisterClient::parse(service.handle(&register.to_http(&endpoint), now, wall()))
                .unwrap();
        Self {
            service,
            now,
            endpoint,
            client_id: client.client_id,
            client_secret: client.client_secret.expose().clone(),
        }
    }

    /// StartDeviceAuthorization for this client.
    pub fn start_request(&self) -> http::Request<Vec<u8>> {
        StartDeviceAuthorization::builder()
            .client_id(&self.client_id)
            .client_secret(self.client_secret.as_str())
            .start_url("https://d-1234567890.awsapps.com/start")
            .build()
            .unwrap()
            .to_http(&self.endpoint)
    }

    /// A device-code CreateToken for this client.
    pub fn poll_request(&self, device_code: &sso_oidc::Secret) -> http::Request<Vec<u8>> {
        CreateToken::builder()
            .client_id(&self.client_id)
            .client_secret(self.client_secret.as_str())
            .grant_type(GrantType::DeviceCode)
            .device_code(device_code)
            .build()
            .unwrap()
            .to_http(&self.endpoint)
    }

    pub fn authorize(&mut self) -> sso_oidc::DeviceAuthorization {
        let response = self.service.handle(&self.start_request(), self.now, wall());
        StartDeviceAuthorization::parse(response).unwrap()
    }

    pub fn poll(
        &mut self,
        device_code: &sso_oidc::Secret,
        after: u64,
    ) -> Result<sso_oidc::Token, sso_oidc::Error> {
        self.now += Duration::from_secs(after);
        let response = self
            .service
            .handle(&self.poll_request(device_code), self.now, wall());
        CreateToken::parse(response)
    }
}

pub fn code(result: Result<sso_oidc::Token, sso_oidc::Error>) -> ErrorCode {
    result
        .unwrap_err()
        .code()
        .cloned()
        .expect("a service error")
}
pub mod chromium;
pub mod wire;
