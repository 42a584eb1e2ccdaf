//! One StartDeviceAuthorization through aws-sdk-ssooidc (default features: its hyper client,
//! rustls, tokio) on a current-thread runtime. `footprint-sdk http://127.0.0.1:PORT`.

use aws_sdk_ssooidc::config::retry::RetryConfig;
use aws_sdk_ssooidc::config::{BehaviorVersion, Region};

fn main() {
    let url = std::env::args().nth(1).expect("URL of the loopback server");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let config = aws_sdk_ssooidc::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .endpoint_url(url)
            .retry_config(RetryConfig::disabled())
            .build();
        let client = aws_sdk_ssooidc::Client::from_conf(config);
        let output = client
            .start_device_authorization()
            .client_id("cid-123")
            .client_secret("secret")
            .start_url("https://d-1234567890.awsapps.com/start")
            .send()
            .await
            .expect("an answer");
        println!("{}", output.user_code().unwrap_or_default());
    });
}
