//! Writes the seed corpora in `fuzz/seeds/<target>/` from the project's test vectors: the
//! response bodies in `core/tests/responses.rs` and `core/tests/portal.rs`, the emulator's
//! answers (and faults) of both services, the AWS CLI's captured output in
//! `cli/tests/fixtures/*/stdout`, the cache records in `core/tests/cache.rs` and
//! `core/tests/role_credentials_cache.rs`, the config files of the command line's tests and README, the regions
//! of `reference/partitions.json`, and scripted sign-ins like `core/tests/flow_scenarios.rs`.
//!
//! Ignored: run it by hand after changing a vector or a target's input format, then commit:
//!
//! ```sh
//! cargo test -p sso-oidc-tests --test fuzz_seeds -- --ignored
//! ```
//!
//! It replaces the files it wrote before (`vector-*`) and leaves every other seed (minimised
//! corpus entries, crash regressions) alone.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::Value;
use sso_oidc::portal::{
    Endpoint as PortalEndpoint, ErrorCode as PortalCode, GetRoleCredentials, ListAccountRoles,
    ListAccounts, Logout,
};
use sso_oidc::{
    CachedRegistration, CachedRoleCredentials, CachedToken, CreateToken, Endpoint, ErrorCode,
    GrantType, Operation, RegisterClient, Secret, StartDeviceAuthorization,
};
use sso_oidc_emulator::{Config, Fault, Reply, ReplyBody, Service};
use sso_oidc_tests::fuzz::{cache, endpoint, flow, portal, response};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

fn read(path: &str) -> String {
    let path = Path::new(ROOT).join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Seeds by target, by name; the same bytes are kept once per target.
#[derive(Default)]
struct Seeds(BTreeMap<&'static str, BTreeMap<String, Vec<u8>>>);

impl Seeds {
    fn add(&mut self, target: &'static str, label: &str, data: Vec<u8>) {
        let seeds = self.0.entry(target).or_default();
        if seeds.values().any(|d| *d == data) {
            return;
        }
        let label: String = label
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let mut name = format!("vector-{label}");
        let mut n = 1;
        while seeds.contains_key(&name) {
            n += 1;
            name = format!("vector-{label}-{n}");
        }
        seeds.insert(name, data);
    }

    /// A response for the parser of `operation`, and for the classifier when it is an error.
    fn response(&mut self, operation: Option<Operation>, label: &str, r: &http::Response<Vec<u8>>) {
        let headers: Vec<(&str, &[u8])> = r
            .headers()
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_bytes()))
            .collect();
        let data = response::encode(r.status().as_u16(), &headers, r.body());
        let targets: &[&'static str] = match operation {
            Some(Operation::RegisterClient) => &["register_client"],
            Some(Operation::StartDeviceAuthorization) => &["start_device_authorization"],
            Some(_) => &["create_token"],
            None => &[
                "register_client",
                "start_device_authorization",
                "create_token",
            ],
        };
        for target in targets {
            self.add(target, label, data.clone());
        }
        if !r.status().is_success() {
            self.add("error_classifier", label, data);
        }
    }

    /// A response for the portal's parsers.
    fn portal(&mut self, label: &str, r: &http::Response<Vec<u8>>) {
        let headers: Vec<(&str, &[u8])> = r
            .headers()
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_bytes()))
            .collect();
        let data = response::encode(r.status().as_u16(), &headers, r.body());
        self.add("portal_response", label, data);
    }

    fn write(&self) {
        for (target, seeds) in &self.0 {
            let dir = Path::new(ROOT).join("fuzz/seeds").join(target);
            std::fs::create_dir_all(&dir).expect("a seed directory");
            for entry in std::fs::read_dir(&dir).expect("a seed directory") {
                let path = entry.expect("an entry").path();
                let name = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or_default();
                if name.starts_with("vector-") {
                    std::fs::remove_file(&path).expect("an old seed removed");
                }
            }
            for (name, data) in seeds {
                std::fs::write(dir.join(name), data).expect("a seed written");
            }
            println!("{target}: {} seeds", seeds.len());
        }
    }
}

/// The raw string literals (`r#"..."#`) of a Rust source file.
fn raw_strings(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = source;
    while let Some(start) = rest.find("r#\"") {
        let after = &rest[start + 3..];
        let Some(end) = after.find("\"#") else { break };
        out.push(after[..end].to_owned());
        rest = &after[end + 2..];
    }
    out
}

/// The multi-line string constants (`= "\` newline ... `";`) of a Rust source file.
fn text_blocks(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = source;
    while let Some(start) = rest.find("= \"\\\n") {
        let after = &rest[start + 5..];
        let Some(end) = after.find("\";") else { break };
        out.push(after[..end].replace("\\\"", "\""));
        rest = &after[end + 2..];
    }
    out
}

fn json_response(status: u16, headers: &[(&str, &str)], body: &str) -> http::Response<Vec<u8>> {
    let mut builder = http::Response::builder().status(status);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder
        .body(body.as_bytes().to_vec())
        .expect("a valid response")
}

/// The bodies in `core/tests/responses.rs`, as 2xx answers or, when they name an error, 400s.
fn core_responses(seeds: &mut Seeds) {
    for (i, body) in raw_strings(&read("core/tests/responses.rs"))
        .iter()
        .enumerate()
    {
        if !body.trim_start().starts_with(['{', '[']) {
            continue;
        }
        let label = format!("core-{i}");
        let operation = if body.contains("accessToken") {
            Some(Operation::CreateToken)
        } else if body.contains("deviceCode") {
            Some(Operation::StartDeviceAuthorization)
        } else if body.contains("clientSecret") {
            Some(Operation::RegisterClient)
        } else {
            None
        };
        let is_error = ["\"error\"", "__type", "\"code\"", "message"]
            .iter()
            .any(|m| body.contains(m));
        let status = if is_error { 400 } else { 200 };
        let r = json_response(status, &[("content-type", "application/json")], body);
        seeds.response(operation, &label, &r);
    }
}

fn full(reply: Reply) -> Option<http::Response<Vec<u8>>> {
    match reply {
        Reply::Send { response, .. } => {
            let (parts, body) = response.into_parts();
            let body = match body {
                ReplyBody::Full(bytes) | ReplyBody::Truncated(bytes) => bytes,
                _ => return None,
            };
            Some(http::Response::from_parts(parts, body))
        }
        _ => None,
    }
}

/// The emulator's answers to a sign-in, to bad requests and with faults injected.
fn emulator(seeds: &mut Seeds) -> (CachedToken, CachedRegistration, CachedRoleCredentials) {
    let wall = UNIX_EPOCH + Duration::from_secs(1_767_225_600);
    #[allow(clippy::disallowed_methods)]
    let start = Instant::now();
    // Every request 2 s after the last: the emulator answers slow_down to faster polls.
    let clock = std::cell::Cell::new(start);
    let tick = || {
        clock.set(clock.get() + Duration::from_secs(2));
        clock.get()
    };
    let mut service = Service::new(Config::default().with_seed(1), "http://127.0.0.1:8080");
    let endpoint = Endpoint::from_url("http://127.0.0.1:8080").expect("an endpoint");
    let mut send = |service: &mut Service, request: &http::Request<Vec<u8>>, label: &str| {
        let operation = match request.uri().path() {
            "/client/register" => Operation::RegisterClient,
            "/device_authorization" => Operation::StartDeviceAuthorization,
            _ => Operation::CreateToken,
        };
        let response = service.handle(request, tick(), wall);
        seeds.response(Some(operation), &format!("emulator-{label}"), &response);
        response
    };
    let register = RegisterClient::builder()
        .client_name("fuzz-seeds")
        .scope("sso:account:access")
        .build()
        .expect("a request");
    let registration = RegisterClient::parse(send(
        &mut service,
        &register.to_http(&endpoint),
        "registered",
    ))
    .expect("registered");
    let authorize = |secret: &str| {
        StartDeviceAuthorization::builder()
            .client_id(&registration.client_id)
            .client_secret(secret)
            .start_url("https://d-1234567890.awsapps.com/start")
            .build()
            .expect("a request")
            .to_http(&endpoint)
    };
    let authorization = StartDeviceAuthorization::parse(send(
        &mut service,
        &authorize(registration.client_secret.expose()),
        "authorized",
    ))
    .expect("authorized");
    send(&mut service, &authorize("wrong-secret"), "invalid-client");
    let poll = |device_code: &str| {
        CreateToken::builder()
            .client_id(&registration.client_id)
            .client_secret(&registration.client_secret)
            .grant_type(GrantType::DeviceCode)
            .device_code(device_code)
            .build()
            .expect("a request")
            .to_http(&endpoint)
    };
    send(
        &mut service,
        &poll(authorization.device_code.expose()),
        "pending",
    );
    send(&mut service, &poll("no-such-code"), "invalid-grant");
    let unsupported = CreateToken::builder()
        .client_id(&registration.client_id)
        .client_secret(&registration.client_secret)
        .grant_type("urn:example:unsupported")
        .build()
        .expect("a request")
        .to_http(&endpoint);
    send(&mut service, &unsupported, "unsupported-grant");
    let mut blank = register.to_http(&endpoint);
    *blank.body_mut() = b"{}".to_vec();
    send(&mut service, &blank, "invalid-request");
    service
        .approve(&authorization.user_code)
        .expect("a known user code");
    let token = CreateToken::parse(send(
        &mut service,
        &poll(authorization.device_code.expose()),
        "token",
    ))
    .expect("a token");
    send(
        &mut service,
        &poll(authorization.device_code.expose()),
        "used",
    );

    for (fault, operation) in [
        (Fault::InternalServerError, Operation::CreateToken),
        (Fault::ServiceUnavailable, Operation::RegisterClient),
        (Fault::Throttling, Operation::StartDeviceAuthorization),
        (Fault::SlowDown, Operation::CreateToken),
        (Fault::BadGatewayHtml, Operation::CreateToken),
        (Fault::MalformedJson, Operation::StartDeviceAuthorization),
        (Fault::EmptyBody, Operation::RegisterClient),
        (Fault::TruncatedBody, Operation::RegisterClient),
    ] {
        let label = format!("emulator-fault-{fault:?}");
        service.inject(fault.on(operation).once());
        let request = match operation {
            Operation::RegisterClient => register.to_http(&endpoint),
            Operation::StartDeviceAuthorization => authorize(registration.client_secret.expose()),
            _ => poll(authorization.device_code.expose()),
        };
        if let Some(response) = full(service.reply(&request, tick(), wall)) {
            seeds.response(Some(operation), &label, &response);
        }
    }

    // After the faults, so that the portal's calls leave the SSO OIDC seeds as they were.
    let role_credentials = emulator_portal(seeds, &mut service, &token.access_token, wall);

    let mut cached_token = CachedToken::new(token.access_token.clone(), wall + token.expires_in);
    cached_token.start_url = Some("https://d-1234567890.awsapps.com/start".to_owned());
    cached_token.region = Some("us-east-1".to_owned());
    cached_token.client_id = Some(registration.client_id.clone());
    cached_token.client_secret = Some(registration.client_secret.clone());
    cached_token.registration_expires_at = registration.client_secret_expires_at;
    cached_token.refresh_token = token.refresh_token.clone();
    let cached_registration = CachedRegistration::from_registration(
        &registration,
        Some(vec!["sso:account:access".into()]),
    );
    (cached_token, cached_registration, role_credentials)
}

/// The emulator's portal answers: each operation, pages, its refusals and its faults; and the
/// role credentials it issued, as the AWS CLI would cache them.
fn emulator_portal(
    seeds: &mut Seeds,
    service: &mut Service,
    access_token: &Secret,
    wall: SystemTime,
) -> CachedRoleCredentials {
    #[allow(clippy::disallowed_methods)]
    let now = Instant::now();
    let endpoint = PortalEndpoint::from_url("http://127.0.0.1:8080").expect("an endpoint");
    let ask =
        |seeds: &mut Seeds, service: &mut Service, request: http::Request<Vec<u8>>, label: &str| {
            let response = service.handle(&request, now, wall);
            seeds.portal(&format!("emulator-{label}"), &response);
            response
        };
    let credentials = |account: &str, role: &str, token: &Secret| {
        GetRoleCredentials::builder()
            .account_id(account)
            .role_name(role)
            .access_token(token)
            .build()
            .expect("a request")
            .to_http(&endpoint)
    };
    let issued = GetRoleCredentials::parse(ask(
        seeds,
        service,
        credentials("111122223333", "ReadOnly", access_token),
        "credentials",
    ))
    .expect("credentials");
    ask(
        seeds,
        service,
        credentials("111122223333", "NoSuchRole", access_token),
        "forbidden",
    );
    ask(
        seeds,
        service,
        credentials("111122223333", "ReadOnly", &Secret::from("not-a-token")),
        "unauthorized",
    );
    let accounts = ListAccounts::builder()
        .access_token(access_token)
        .max_results(1)
        .build()
        .expect("a request");
    let page = ListAccounts::parse(ask(seeds, service, accounts.to_http(&endpoint), "accounts"))
        .expect("a page");
    if let Some(next) = accounts.next_page(&page) {
        ask(seeds, service, next.to_http(&endpoint), "accounts-last");
    }
    let roles = |account: &str| {
        ListAccountRoles::builder()
            .account_id(account)
            .access_token(access_token)
            .build()
            .expect("a request")
            .to_http(&endpoint)
    };
    ask(seeds, service, roles("111122223333"), "roles");
    ask(seeds, service, roles("000000000000"), "roles-not-found");
    let mut bad_page = roles("111122223333");
    *bad_page.uri_mut() = format!("{}&next_token=bogus", bad_page.uri())
        .parse()
        .expect("a URI");
    ask(seeds, service, bad_page, "invalid-request");
    for (fault, label) in [
        (Fault::Throttling, "throttled"),
        (Fault::InternalServerError, "internal"),
        (Fault::BadGatewayHtml, "bad-gateway"),
        (Fault::MalformedJson, "malformed"),
        (Fault::EmptyBody, "empty"),
    ] {
        service.inject(fault.on(Operation::GetRoleCredentials).once());
        let request = credentials("111122223333", "ReadOnly", access_token);
        if let Some(response) = full(service.reply(&request, now, wall)) {
            seeds.portal(&format!("emulator-fault-{label}"), &response);
        }
    }
    let logout = Logout::builder()
        .access_token(access_token)
        .build()
        .expect("a request");
    ask(seeds, service, logout.to_http(&endpoint), "logout");
    ask(
        seeds,
        service,
        credentials("111122223333", "ReadOnly", access_token),
        "logged-out",
    );
    CachedRoleCredentials::from_role_credentials(&issued, "111122223333")
}

/// The bodies in `core/tests/portal.rs`, as 2xx answers or, when they name an error, 400s; and
/// every modelled portal error the ways the portal and its front ends send them.
fn portal_responses(seeds: &mut Seeds) {
    for (i, body) in raw_strings(&read("core/tests/portal.rs"))
        .iter()
        .enumerate()
    {
        if !body.trim_start().starts_with('{') || body.contains("\\") {
            continue;
        }
        let status = if body.contains("message") { 400 } else { 200 };
        let r = json_response(status, &[("content-type", "application/json")], body);
        seeds.portal(&format!("core-{i}"), &r);
    }
    for code in PortalCode::MODELED {
        let status = code.http_status().map_or(400, |s| s.as_u16());
        let shape = code.shape_name();
        let header = format!("{shape}{}", portal::ERROR_TYPE_SUFFIX);
        for (label, headers, body) in [
            (
                "header",
                vec![
                    ("x-amzn-ErrorType", header.as_str()),
                    ("x-amzn-RequestId", "6c3a7b1e-0000-4000-8000-000000000000"),
                    ("content-type", "application/json"),
                ],
                format!(r#"{{"message":"{shape} says no"}}"#),
            ),
            (
                "type",
                vec![],
                format!(
                    r#"{{"__type":"com.amazonaws.switchboard.portal#{shape}","message":"no"}}"#
                ),
            ),
            (
                "code",
                vec![],
                format!(r#"{{"code":"{shape}","message":"no"}}"#),
            ),
        ] {
            let r = json_response(status, &headers, &body);
            seeds.portal(&format!("error-{label}-{shape}"), &r);
        }
    }
    let r = json_response(200, &[], "");
    seeds.portal("logout-empty", &r);
}

/// The AWS CLI's output of each operation, which has the members of the response.
fn aws_cli_fixtures(seeds: &mut Seeds) {
    let dir = Path::new(ROOT).join("cli/tests/fixtures");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the fixtures")
        .map(|e| e.expect("an entry").path())
        .collect();
    names.sort();
    let mut shapes = BTreeSet::new();
    for path in names {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        let Ok(stdout) = std::fs::read_to_string(path.join("stdout")) else {
            continue;
        };
        let operation = if name.starts_with("register-client") {
            Operation::RegisterClient
        } else if name.starts_with("start-device-authorization") {
            Operation::StartDeviceAuthorization
        } else if name.starts_with("create-token") {
            Operation::CreateToken
        } else {
            continue;
        };
        let stdout = stdout.replace("{endpoint}", "http://127.0.0.1:8080");
        let Ok(Value::Object(object)) = serde_json::from_str::<Value>(&stdout) else {
            continue;
        };
        // One seed per operation and set of members.
        let keys: Vec<String> = object.keys().cloned().collect();
        if !shapes.insert((name[..6].to_owned(), keys)) {
            continue;
        }
        let r = json_response(200, &[], &stdout);
        seeds.response(Some(operation), &format!("aws-cli-{name}"), &r);
    }
}

/// Errors the way the service and its front ends send them: every modelled code, and others.
fn errors(seeds: &mut Seeds) {
    for code in ErrorCode::MODELED {
        let status = code.http_status().map_or(400, |s| s.as_u16());
        let header = format!("{}{}", code.shape_name(), response::ERROR_TYPE_SUFFIX);
        let body = format!(
            r#"{{"error":"{}","error_description":"{} says no"}}"#,
            code.oauth_error().unwrap_or_default(),
            code.shape_name()
        );
        let r = json_response(
            status,
            &[
                ("x-amzn-ErrorType", &header),
                ("x-amzn-RequestId", "6c3a7b1e-0000-4000-8000-000000000000"),
                ("content-type", "application/json"),
            ],
            &body,
        );
        seeds.response(
            Some(Operation::CreateToken),
            &format!("error-{}", code.shape_name()),
            &r,
        );
        let typed = json_response(
            status,
            &[],
            &format!(
                r#"{{"__type":"com.amazonaws.sso.oidc#{}","message":"no"}}"#,
                code.shape_name()
            ),
        );
        seeds.response(None, &format!("error-type-{}", code.shape_name()), &typed);
    }
    for (status, body) in [
        (429, r#"{"message":"Too Many Requests"}"#),
        (503, ""),
        (502, "<html><body>Bad Gateway</body></html>"),
        (500, r#"{"code":"InternalError","Message":"oops"}"#),
        (400, r#"{"error":"temporarily_unavailable"}"#),
    ] {
        let r = json_response(status, &[], body);
        seeds.response(None, &format!("error-{status}"), &r);
    }
}

/// The role-credential records of `core/tests/role_credentials_cache.rs`, and the one the
/// emulator's credentials make.
fn role_credential_files(seeds: &mut Seeds, credentials: &CachedRoleCredentials) {
    for (i, record) in raw_strings(&read("core/tests/role_credentials_cache.rs"))
        .iter()
        .enumerate()
    {
        if !record.trim_start().starts_with('{')
            || !record.to_ascii_lowercase().contains("credentials")
        {
            continue;
        }
        seeds.add(
            "cached_role_credentials",
            &format!("core-{i}"),
            cache::encode(record.as_bytes()),
        );
    }
    seeds.add(
        "cached_role_credentials",
        "emulator",
        cache::encode(&credentials.to_json()),
    );
    let mut old = credentials.clone();
    old.account_id = None;
    seeds.add(
        "cached_role_credentials",
        "no-account-id",
        cache::encode(&old.to_json()),
    );
}

/// The cache records of `core/tests/cache.rs`, and those a sign-in against the emulator writes.
fn cache_files(seeds: &mut Seeds, token: &CachedToken, registration: &CachedRegistration) {
    for (i, record) in raw_strings(&read("core/tests/cache.rs")).iter().enumerate() {
        if !record.trim_start().starts_with('{') {
            continue;
        }
        let lower = record.to_ascii_lowercase();
        let target = if lower.contains("accesstoken") {
            "cached_token"
        } else if lower.contains("clientid") || lower.contains("clientsecret") {
            "cached_registration"
        } else {
            continue;
        };
        seeds.add(
            target,
            &format!("core-{i}"),
            cache::encode(record.as_bytes()),
        );
    }
    seeds.add(
        "cached_token",
        "emulator-login",
        cache::encode(&token.to_json()),
    );
    seeds.add(
        "cached_registration",
        "emulator-login",
        cache::encode(&registration.to_json()),
    );
    let minimal = CachedToken::new(Secret::from("a"), SystemTime::UNIX_EPOCH);
    seeds.add("cached_token", "minimal", cache::encode(&minimal.to_json()));
}

/// The config files of the core's and the command line's tests and README, and a few edge
/// cases.
fn config_files(seeds: &mut Seeds) {
    let mut files = Vec::new();
    for source in [
        "core/src/config/file.rs",
        "core/src/config/profile.rs",
        "core/src/config/edit.rs",
        "cli/src/context/sso.rs",
        "cli/tests/login_support/mod.rs",
    ] {
        files.extend(text_blocks(&read(source)));
    }
    let readme = read("README.md");
    for block in readme.split("```ini\n").skip(1) {
        files.push(block.split("```").next().unwrap_or_default().to_owned());
    }
    files.extend(
        [
            "[default]\ncli_follow_urlparam = false\n",
            "[profile default]\nregion = a\n[default]\nregion = b\noutput = c\n",
            "[default]\r\nregion = eu-west-1\r\n\r\n[services local]\r\nsso_oidc =\r\n  endpoint_url = http://127.0.0.1:8080\r\n",
            "# comment\n; comment\n[profile x]\nKey : Value\n  continued = yes\n",
            "region = x\n",
            "[default\n",
            "[default]\n= x\n",
            "[profile dev]\nsso_session = s\nsso_region = eu-west-1\n[sso-session s]\nsso_start_url = https://x\nsso_region = us-east-1\n",
            "[profile \"my profile\"]\nregion = a\n[profile a \"b\"]\n[profile dev]\n",
            "[default]\ns3 =\n  a = 1\n  # c\n  b = 2\nregion = x",
        ]
        .map(str::to_owned),
    );
    for (i, file) in files.iter().enumerate() {
        seeds.add("config", &format!("config-{i}"), file.as_bytes().to_vec());
    }
}

/// Every region of `reference/partitions.json`; one per partition with FIPS, dual-stack and
/// both; and regions and custom URLs that must be refused.
fn regions(seeds: &mut Seeds) {
    let json: Value = serde_json::from_str(&read("reference/partitions.json")).expect("JSON");
    let fips = endpoint::flags::FIPS;
    let dual = endpoint::flags::DUAL_STACK;
    for partition in json["partitions"].as_array().expect("partitions") {
        let regions = partition["regions"].as_object().expect("regions");
        for (i, region) in regions.keys().enumerate() {
            seeds.add(
                "endpoint",
                &format!("region-{region}"),
                endpoint::encode(0, None, region),
            );
            if i == 0 {
                for flags in [fips, dual, fips | dual] {
                    let data = endpoint::encode(flags, None, region);
                    seeds.add("endpoint", &format!("region-{region}-{flags}"), data);
                }
            }
        }
    }
    for region in [
        "",
        " ",
        "us-east-1.evil.com",
        "-us",
        "us-",
        "us east",
        "a/b",
        "é",
        "us-gov-central-7",
        "mars-north-1",
    ] {
        seeds.add(
            "endpoint",
            "invalid-region",
            endpoint::encode(0, None, region),
        );
    }
    let url = endpoint::flags::URL;
    for (flags, custom) in [
        (url, "http://127.0.0.1:8080/oidc/"),
        (url, "https://proxy.example/a/b//"),
        (url, "HTTP://[::1]:9/x"),
        (url | endpoint::flags::CREDENTIALS, "http://host:1/p"),
        (url, "http://host/?a=b"),
        (url | fips, "http://127.0.0.1:1"),
        (url | dual, "http://127.0.0.1:1"),
    ] {
        seeds.add(
            "endpoint",
            "custom-url",
            endpoint::encode(flags, Some(custom), "us-east-1"),
        );
    }
}

/// Sign-ins like those of `core/tests/flow_scenarios.rs`.
fn flows(seeds: &mut Seeds) {
    use flow::{Script, kind};
    let fresh = || {
        Script::new(0, 3, 60, 42, 0)
            .registered(2)
            .authorized(1, 600)
    };
    let scripts = [
        ("approve", fresh().token(28_800)),
        (
            "pending-slow-down-approve",
            fresh()
                .answer(kind::PENDING)
                .byte(0)
                .answer(kind::SLOW_DOWN)
                .byte(0)
                .answer(kind::PENDING)
                .byte(0)
                .token(3_600),
        ),
        (
            "no-interval",
            Script::new(0, 3, 60, 1, 0)
                .registered(1)
                .authorized(255, 600)
                .answer(kind::PENDING)
                .byte(0)
                .token(60),
        ),
        ("expired", fresh().answer(kind::EXPIRED)),
        ("denied", fresh().answer(kind::DENIED)),
        (
            "deadline",
            Script::new(0, 3, 60, 1, 0)
                .registered(0)
                .authorized(5, 12)
                .answer(kind::PENDING)
                .byte(0)
                .answer(kind::SLOW_DOWN)
                .byte(0),
        ),
        (
            "transient-failures",
            Script::new(0, 3, 60, 7, 0)
                .answer(kind::INTERNAL)
                .byte(0)
                .answer(kind::THROTTLED)
                .byte(0)
                .registered(2)
                .authorized(1, 600)
                .answer(kind::HTML_502)
                .byte(0)
                .token(1),
        ),
        (
            "three-failures",
            Script::new(0, 3, 60, 7, 0)
                .answer(kind::INTERNAL)
                .byte(0)
                .answer(kind::INTERNAL)
                .byte(0)
                .answer(kind::INTERNAL),
        ),
        (
            "timeouts-double-the-interval",
            Script::new(0, 5, 4, 3, 0)
                .registered(2)
                .authorized(1, 600)
                .transport(1)
                .byte(0)
                .transport(1)
                .byte(0)
                .transport(1)
                .byte(0)
                .token(10),
        ),
        ("tls", Script::new(0, 3, 60, 1, 0).transport(3)),
        (
            "cached",
            Script::new(2, 3, 60, 1, 0).authorized(1, 600).token(28_800),
        ),
        (
            "cached-expiring",
            Script::new(3, 3, 60, 1, 0)
                .registered(2)
                .authorized(1, 600)
                .token(1),
        ),
        (
            "cached-invalid-client",
            Script::new(2, 3, 60, 1, 0)
                .answer(kind::INVALID_CLIENT)
                .registered(2)
                .authorized(1, 600)
                .answer(kind::INVALID_CLIENT),
        ),
        (
            "poll-twice",
            Script::new(0, 3, 60, 1, 0)
                .answer(kind::SUCCESS | 0x40)
                .byte(2),
        ),
        (
            "answer-twice",
            Script::new(0, 3, 60, 1, 0)
                .answer(kind::SUCCESS | 0x80)
                .byte(2),
        ),
        (
            "cancel-while-waiting",
            fresh().answer(kind::PENDING).byte(5),
        ),
        ("malformed-token", fresh().answer(kind::TRUNCATED).byte(9)),
        ("huge-jump", fresh().answer(kind::PENDING).byte(4).byte(0)),
        (
            "early-and-back",
            fresh()
                .answer(kind::PENDING)
                .byte(1)
                .byte(3)
                .answer(kind::PENDING)
                .byte(2)
                .byte(9)
                .token(5),
        ),
        (
            "garbage",
            fresh()
                .answer(kind::GARBAGE)
                .u16_bytes(318)
                .byte(3)
                .byte(b'{')
                .byte(b'}')
                .byte(b' '),
        ),
    ];
    for (label, script) in scripts {
        seeds.add("device_flow", label, script.finish());
    }
}

/// Request targets the loopback listener may see: a code, an error, a wrong state, a
/// duplicate, bad escapes, a browser's favicon request, and a whole URL pasted by hand.
fn redirects(seeds: &mut Seeds) {
    for (label, target) in [
        ("bad-escape", "/oauth/callback?state=%zz&code=%"),
        (
            "code",
            "/oauth/callback?code=abc&state=00000000-0000-4000-8000-000000000000",
        ),
        ("duplicate", "/oauth/callback?code=a&code=b&state=s"),
        (
            "error",
            "/oauth/callback?error=access_denied&error_description=User+denied+it%21&state=00000000-0000-4000-8000-000000000000",
        ),
        ("favicon", "/favicon.ico"),
        (
            "pasted-url",
            "http://127.0.0.1:4321/oauth/callback?code=a%2Bb&state=x#frag",
        ),
        (
            "wrong-state",
            "/oauth/callback?code=abc&state=00000000-0000-4000-8000-000000000001",
        ),
    ] {
        seeds.add("redirect", label, target.as_bytes().to_vec());
    }
}

/// Two-byte little-endian values in a script.
trait U16Bytes {
    fn u16_bytes(self, value: u16) -> Self;
}

impl U16Bytes for flow::Script {
    fn u16_bytes(self, value: u16) -> Self {
        let [a, b] = value.to_le_bytes();
        self.byte(a).byte(b)
    }
}

#[test]
#[ignore = "writes fuzz/seeds/; run by hand (see the module docs)"]
fn write_seeds() {
    let mut seeds = Seeds::default();
    core_responses(&mut seeds);
    let (token, registration, role_credentials) = emulator(&mut seeds);
    aws_cli_fixtures(&mut seeds);
    errors(&mut seeds);
    portal_responses(&mut seeds);
    cache_files(&mut seeds, &token, &registration);
    role_credential_files(&mut seeds, &role_credentials);
    config_files(&mut seeds);
    regions(&mut seeds);
    flows(&mut seeds);
    redirects(&mut seeds);
    for (target, _) in sso_oidc_tests::fuzz::TARGETS {
        assert!(seeds.0.contains_key(target), "no seeds for {target}");
    }
    // Written even when one breaks an invariant: the replay test (fuzz_corpus.rs) names it.
    seeds.write();
}
