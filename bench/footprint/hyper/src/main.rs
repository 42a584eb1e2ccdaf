//! One StartDeviceAuthorization through sso-oidc-hyper on a current-thread tokio runtime.
//! `footprint-hyper http://127.0.0.1:PORT`.

use sso_oidc::{Endpoint, StartDeviceAuthorization};

fn main() {
    let url = std::env::args().nth(1).expect("URL of the loopback server");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let client = sso_oidc_hyper::Client::builder()
            .endpoint(Endpoint::from_url(&url).expect("an http URL"))
            .build()
            .expect("a client");
        let request = StartDeviceAuthorization::builder()
            .client_id("cid-123")
            .client_secret("secret")
            .start_url("https://d-1234567890.awsapps.com/start")
            .build()
            .expect("a valid request");
        let authorization = client
            .start_device_authorization(&request)
            .await
            .expect("an answer");
        println!("{}", authorization.user_code);
    });
}
