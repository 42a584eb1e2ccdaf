//! Endpoint resolution from arbitrary regions, flags and custom URLs.
//!
//! Input: a flags byte, a custom URL (a byte string) when the flags ask for one, then the
//! region (the rest, invalid UTF-8 replaced).

use std::sync::OnceLock;

use http::Uri;
use sso_oidc::{BuildError, Endpoint, Operation};

use crate::fuzz::check;
use crate::fuzz::input::{Encoder, Input, MARKER, holds_marker};

/// Flag bits of the first byte.
pub mod flags {
    /// Use the FIPS endpoint.
    pub const FIPS: u8 = 1;
    /// Use the dual-stack endpoint.
    pub const DUAL_STACK: u8 = 1 << 1;
    /// A custom endpoint URL follows.
    pub const URL: u8 = 1 << 2;
    /// Put `user:<marker>@` in front of the custom URL's host: a password that must never be
    /// printed.
    pub const CREDENTIALS: u8 = 1 << 3;
}

/// The input for a region with these flags.
pub fn encode(flags: u8, url: Option<&str>, region: &str) -> Vec<u8> {
    let mut out = Encoder::new().byte(flags);
    if let Some(url) = url {
        out = out.bytes(url.as_bytes());
    }
    out.rest(region.as_bytes())
}

/// What botocore accepts as a region: a DNS label.
fn is_host_label(region: &str) -> bool {
    (1..=63).contains(&region.len())
        && region
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !region.starts_with('-')
        && !region.ends_with('-')
}

/// Every operation's URI is a valid `http::Uri` under the endpoint's URL, with the operation's
/// path and no user credentials, query or fragment.
fn uris(endpoint: &Endpoint) -> Uri {
    let base: Uri = endpoint.url().parse().expect("the base URL is a URI");
    for operation in Operation::ALL {
        let uri = endpoint.uri(operation);
        let reparsed: Uri = uri.to_string().parse().expect("an operation URI is a URI");
        assert_eq!(&reparsed, uri);
        assert_eq!(
            uri.to_string(),
            format!("{}{}", endpoint.url(), operation.path())
        );
        assert!(uri.path().ends_with(operation.path()), "{uri}");
        assert_eq!(uri.scheme(), base.scheme());
        assert_eq!(uri.authority(), base.authority());
        assert!(uri.query().is_none(), "{uri}");
        assert!(
            !uri.authority().expect("absolute").as_str().contains('@'),
            "{uri}"
        );
    }
    assert!(!endpoint.url().ends_with('/'), "{}", endpoint.url());
    assert_eq!(endpoint.to_string(), endpoint.url());
    base
}

/// `Endpoint::from_region` and the builder on any region, FIPS and dual-stack flags and custom
/// URL: a resolved endpoint is `https://oidc[-fips].REGION.SUFFIX` exactly when the region is a
/// DNS label, every operation URI is a valid `http::Uri` with an `https` scheme and the region in
/// the host; anything else is the typed error the rules give (blank region, invalid region with
/// a short printable excerpt, custom URL with FIPS or dual-stack, unusable URL); and no
/// password in a custom URL is ever printed.
pub fn endpoint(data: &[u8]) {
    let check_secrets = !holds_marker(data);
    let mut input = Input::new(data);
    let flags = input.byte();
    let (fips, dual_stack) = (flags & flags::FIPS != 0, flags & flags::DUAL_STACK != 0);
    let url = (flags & flags::URL != 0).then(|| {
        let url = input.text();
        if flags & flags::CREDENTIALS == 0 {
            return url;
        }
        match url.split_once("://") {
            Some((scheme, rest)) => format!("{scheme}://user:{MARKER}@{rest}"),
            None => format!("user:{MARKER}@{url}"),
        }
    });
    let region = String::from_utf8_lossy(input.rest()).into_owned();

    let mut builder = Endpoint::builder()
        .region(region.clone())
        .use_fips(fips)
        .use_dual_stack(dual_stack);
    if let Some(url) = &url {
        builder = builder.url(url.clone());
    }
    let builder_debug = format!("{builder:?}");
    if url
        .as_deref()
        .is_some_and(|u| u.contains(&format!("{MARKER}@")))
    {
        check::no_marker("EndpointBuilder Debug", &builder_debug, check_secrets);
    }
    let built = builder.build();
    if let Err(error) = &built {
        check::printed("BuildError", error, check_secrets);
        assert!(error.to_string().len() <= 300, "{error}");
    }

    if let Some(url) = &url {
        match (&built, fips, dual_stack) {
            (Err(BuildError::CustomEndpointWithFips), true, _)
            | (Err(BuildError::CustomEndpointWithDualStack), false, true)
            | (Err(BuildError::InvalidEndpointUrl { .. }), false, false) => {}
            (Ok(endpoint), false, false) => {
                assert_eq!(Endpoint::from_url(url).as_ref(), Ok(endpoint));
                let base = uris(endpoint);
                assert!(
                    matches!(base.scheme_str(), Some("http" | "https")),
                    "{base}"
                );
                assert!(!base.host().unwrap_or_default().is_empty(), "{base}");
                check::no_marker("Endpoint Debug", &format!("{endpoint:?}"), check_secrets);
            }
            (other, _, _) => panic!("custom URL {url:?} fips {fips} dual {dual_stack}: {other:?}"),
        }
        return;
    }

    let plain = Endpoint::from_region(&region);
    assert_eq!(
        plain.is_ok(),
        is_host_label(&region),
        "{region:?}: {plain:?}"
    );
    if !fips && !dual_stack {
        assert_eq!(plain, built);
    }
    match &built {
        Err(BuildError::MissingRegion) => {
            assert!(region.trim().is_empty(), "{region:?} is missing");
        }
        Err(BuildError::InvalidRegion { region: shown }) => {
            assert!(
                !region.trim().is_empty() && !is_host_label(&region),
                "{region:?}"
            );
            check::clean("InvalidRegion", shown, 64);
        }
        Ok(endpoint) => {
            assert!(
                is_host_label(&region),
                "{region:?} resolved to {endpoint:?}"
            );
            let base = uris(endpoint);
            assert_eq!(base.scheme_str(), Some("https"));
            assert_eq!(base.port(), None);
            let host = base.host().expect("a host").to_ascii_lowercase();
            let region = region.to_ascii_lowercase();
            let fips_host = format!("oidc-fips.{region}.");
            let plain_host = format!("oidc.{region}.");
            let suffix = match host.strip_prefix(&fips_host) {
                Some(suffix) if fips => suffix,
                _ => host.strip_prefix(&plain_host).unwrap_or_else(|| {
                    panic!("{region:?} fips {fips} dual {dual_stack}: host {host}")
                }),
            };
            let (dns, dual) = suffixes();
            if dual_stack {
                assert!(
                    dual.iter().any(|s| s == suffix),
                    "{host}: not a dual-stack suffix"
                );
            } else {
                assert!(dns.iter().any(|s| s == suffix), "{host}: not a DNS suffix");
            }
            if fips && host.starts_with(&plain_host) {
                // GovCloud's FIPS endpoints are its plain ones.
                assert!(
                    !dual_stack && suffix == "amazonaws.com" && region.contains("gov"),
                    "{host}"
                );
            }
        }
        Err(other) => panic!("region {region:?}: {other:?}"),
    }
}

/// Every partition's DNS suffix and dual-stack DNS suffix, from `reference/partitions.json`.
fn suffixes() -> &'static (Vec<String>, Vec<String>) {
    static SUFFIXES: OnceLock<(Vec<String>, Vec<String>)> = OnceLock::new();
    SUFFIXES.get_or_init(|| {
        let json: serde_json::Value =
            serde_json::from_str(include_str!("../../../reference/partitions.json"))
                .expect("partitions.json is JSON");
        let list = json["partitions"].as_array().expect("a list of partitions");
        let output = |key: &str| {
            list.iter()
                .map(|p| p["outputs"][key].as_str().expect("a suffix").to_owned())
                .collect()
        };
        (output("dnsSuffix"), output("dualStackDnsSuffix"))
    })
}
