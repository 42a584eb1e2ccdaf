//! Proves that the portal's endpoint resolver (`portal::Endpoint::builder()`) gives the same
//! answers as the portal's Smithy endpoint rule set, `tests/reference/sso/endpoint-rule-set-1.json`,
//! read with the partitions of `tests/reference/partitions.json`, using the interpreter that
//! `endpoint_rules.rs` checks SSO OIDC's resolver with. The rule set carries no test cases of its
//! own: every listed region with every flag, regions found only by regex, unknown regions, custom
//! endpoints and a missing region stand in for them.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::{Map, Value};
use sso_oidc::BuildError;
use sso_oidc::portal::Endpoint;

const RULE_SET: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/reference/sso/endpoint-rule-set-1.json"
);
const PARTITIONS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/reference/partitions.json"
);

include!("support/rules.rs");

/// Plain, FIPS, dual-stack, both.
const FLAGS: [(bool, bool); 4] = [(false, false), (true, false), (false, true), (true, true)];

fn params(region: Option<&str>, fips: bool, dual_stack: bool, url: Option<&str>) -> Params {
    Params {
        region: region.map(str::to_owned),
        fips,
        dual_stack,
        endpoint: url.map(str::to_owned),
    }
}

fn ours(params: &Params) -> Result<String, BuildError> {
    let mut builder = Endpoint::builder()
        .use_fips(params.fips)
        .use_dual_stack(params.dual_stack);
    if let Some(region) = &params.region {
        builder = builder.region(region);
    }
    if let Some(url) = &params.endpoint {
        builder = builder.url(url);
    }
    builder.build().map(|endpoint| endpoint.url().to_owned())
}

fn build_error(message: String) -> BuildError {
    match message.as_str() {
        "Invalid Configuration: FIPS and custom endpoint are not supported" => {
            BuildError::CustomEndpointWithFips
        }
        "Invalid Configuration: Dualstack and custom endpoint are not supported" => {
            BuildError::CustomEndpointWithDualStack
        }
        "Invalid Configuration: Missing Region" => BuildError::MissingRegion,
        other => panic!("no BuildError for the rule set's error {other:?}"),
    }
}

fn assert_agree(params: &Params) {
    assert_eq!(
        ours(params),
        resolve(params).map_err(build_error),
        "{params:?}"
    );
}

#[test]
fn every_region_resolves_as_the_rule_set_says() {
    let listed = PARTITION_LIST
        .iter()
        .flat_map(|(p, _)| object(&p["regions"], "`regions`").keys().cloned());
    let unlisted = [
        "us-gov-central-7",
        "cn-south-3",
        "us-isob-north-9",
        "eusc-de-west-2",
        "eu-isoe-north-5",
        "us-isof-west-2",
        "ap-future-9",
        "mars-north-1",
    ]
    .map(String::from);
    for name in listed.chain(unlisted) {
        for (fips, dual_stack) in FLAGS {
            let params = params(Some(&name), fips, dual_stack, None);
            assert!(resolve(&params).is_ok(), "rule set refuses {params:?}");
            assert_agree(&params);
        }
    }
}

#[test]
fn literal_urls() {
    for (region, fips, dual_stack, url) in [
        (
            "us-east-1",
            false,
            false,
            "https://portal.sso.us-east-1.amazonaws.com",
        ),
        (
            "us-east-1",
            true,
            false,
            "https://portal.sso-fips.us-east-1.amazonaws.com",
        ),
        (
            "us-east-1",
            false,
            true,
            "https://portal.sso.us-east-1.api.aws",
        ),
        (
            "us-east-1",
            true,
            true,
            "https://portal.sso-fips.us-east-1.api.aws",
        ),
        (
            "us-gov-west-1",
            true,
            false,
            "https://portal.sso.us-gov-west-1.amazonaws.com",
        ),
        (
            "cn-north-1",
            false,
            false,
            "https://portal.sso.cn-north-1.amazonaws.com.cn",
        ),
        (
            "us-isob-east-1",
            false,
            false,
            "https://portal.sso.us-isob-east-1.sc2s.sgov.gov",
        ),
    ] {
        let params = params(Some(region), fips, dual_stack, None);
        assert_eq!(resolve(&params).as_deref(), Ok(url), "rule set, {params:?}");
        assert_eq!(ours(&params).as_deref(), Ok(url), "resolver, {params:?}");
    }
}

#[test]
fn custom_endpoints_and_a_missing_region() {
    for (fips, dual_stack) in FLAGS {
        assert_agree(&params(
            Some("us-east-1"),
            fips,
            dual_stack,
            Some("https://example.com"),
        ));
        assert_agree(&params(None, fips, dual_stack, Some("https://example.com")));
    }
    assert_agree(&params(None, false, false, None));
}
