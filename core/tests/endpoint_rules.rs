//! Proves that the hand-written endpoint resolver (`Endpoint::builder()`) gives the same answers as
//! the service's Smithy endpoint rule set, `tests/reference/sso-oidc/endpoint-rule-set-1.json`,
//! read with the partitions of `tests/reference/partitions.json`.
//!
//! The first half of the file is a small interpreter of the rule-set JSON. It panics on anything it
//! does not understand, so a changed rule set cannot pass unnoticed. The second half compares it
//! with our resolver for every listed region, regions found only by regex, unknown regions,
//! custom endpoints, a missing region and arbitrary region names. (`tests/reference.rs` checks
//! that these copies match the workspace's.)

use std::collections::HashMap;
use std::sync::LazyLock;

use proptest::prelude::*;
use regex::Regex;
use serde_json::{Map, Value};
use sso_oidc::{BuildError, Endpoint};

const RULE_SET: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/reference/sso-oidc/endpoint-rule-set-1.json"
);
const PARTITIONS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/reference/partitions.json"
);

// The interpreter, shared with `portal_endpoint_rules.rs`: it reads `RULE_SET` and `PARTITIONS`.
include!("support/rules.rs");

// ---------------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------------

/// Plain, FIPS, dual-stack, both.
const FLAGS: [(bool, bool); 4] = [(false, false), (true, false), (false, true), (true, true)];

fn params(region: Option<&str>, fips: bool, dual_stack: bool, url: Option<&str>) -> Params {
    let region = region.map(str::to_owned);
    let endpoint = url.map(str::to_owned);
    Params {
        region,
        fips,
        dual_stack,
        endpoint,
    }
}

fn region(region: &str, fips: bool, dual_stack: bool) -> Params {
    params(Some(region), fips, dual_stack, None)
}

/// The regions `partition` lists by name.
fn listed(partition: &Value) -> impl Iterator<Item = &String> {
    object(&partition["regions"], "`regions`").keys()
}

/// Our resolver's answer for the same parameters.
fn ours(params: &Params) -> Result<String, BuildError> {
    let mut builder = Endpoint::builder().use_fips(params.fips);
    builder = builder.use_dual_stack(params.dual_stack);
    if let Some(region) = &params.region {
        builder = builder.region(region);
    }
    if let Some(url) = &params.endpoint {
        builder = builder.url(url);
    }
    builder.build().map(|endpoint| endpoint.url().to_owned())
}

/// The `BuildError` our resolver should give for one of the rule set's error messages.
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

/// Asserts that both resolvers agree on `params`, whether on a URL or an error.
fn assert_agree(params: &Params) {
    assert_eq!(
        ours(params),
        resolve(params).map_err(build_error),
        "{params:?}"
    );
}

#[test]
fn every_listed_region_resolves_as_the_rule_set_says() {
    for (partition, _) in PARTITION_LIST.iter() {
        for name in listed(partition) {
            for (fips, dual_stack) in FLAGS {
                let params = region(name, fips, dual_stack);
                assert!(resolve(&params).is_ok(), "rule set refuses {params:?}");
                assert_agree(&params);
            }
        }
    }
}

#[test]
fn regex_only_and_unknown_regions_resolve_as_the_rule_set_says() {
    let cases = [
        ("us-gov-central-7", "aws-us-gov"),
        ("cn-south-3", "aws-cn"),
        ("us-isob-north-9", "aws-iso-b"),
        ("us-iso-south-4", "aws-iso"),
        ("eusc-de-west-2", "aws-eusc"),
        ("eu-isoe-north-5", "aws-iso-e"),
        ("us-isof-west-2", "aws-iso-f"),
        ("ap-future-9", "aws"),
        // `aws`'s `^(us|...)\-\w+\-\d+$` comes first; `us-gov`'s regex would not match anyway.
        ("us-gov-1", "aws"),
        // Not listed and matching no regex: the `aws` fallback.
        ("mars-north-1", "aws"),
        ("local", "aws"),
        ("cn-north-1a", "aws"),
        ("eusc-fr-east-1", "aws"),
        ("CN-NORTH-1", "aws"),
    ];
    for (name, partition) in cases {
        let mut all_listed = PARTITION_LIST.iter().flat_map(|(p, _)| listed(p));
        assert!(!all_listed.any(|r| r == name), "{name} is listed by name");
        assert_eq!(
            aws_partition(name)["name"],
            partition,
            "aws.partition({name})"
        );
        for (fips, dual_stack) in FLAGS {
            assert_agree(&region(name, fips, dual_stack));
        }
    }
}

#[test]
fn literal_urls() {
    let check = |region_name, fips, dual_stack, url: &str| {
        let params = region(region_name, fips, dual_stack);
        assert_eq!(resolve(&params).as_deref(), Ok(url), "rule set, {params:?}");
        assert_eq!(ours(&params).as_deref(), Ok(url), "resolver, {params:?}");
    };
    let plain = [
        ("us-east-1", "https://oidc.us-east-1.amazonaws.com"),
        ("cn-north-1", "https://oidc.cn-north-1.amazonaws.com.cn"),
        ("eusc-de-east-1", "https://oidc.eusc-de-east-1.amazonaws.eu"),
        ("us-iso-east-1", "https://oidc.us-iso-east-1.c2s.ic.gov"),
        (
            "us-isob-east-1",
            "https://oidc.us-isob-east-1.sc2s.sgov.gov",
        ),
        (
            "eu-isoe-west-1",
            "https://oidc.eu-isoe-west-1.cloud.adc-e.uk",
        ),
        (
            "us-isof-south-1",
            "https://oidc.us-isof-south-1.csp.hci.ic.gov",
        ),
        ("us-gov-west-1", "https://oidc.us-gov-west-1.amazonaws.com"),
    ];
    for (region_name, url) in plain {
        check(region_name, false, false, url);
    }
    // GovCloud's FIPS endpoint is its plain host name, except with dual-stack.
    check(
        "us-gov-west-1",
        true,
        false,
        "https://oidc.us-gov-west-1.amazonaws.com",
    );
    check(
        "us-gov-west-1",
        true,
        true,
        "https://oidc-fips.us-gov-west-1.api.aws",
    );
    check(
        "us-east-1",
        true,
        false,
        "https://oidc-fips.us-east-1.amazonaws.com",
    );
}

#[test]
fn custom_endpoint_refuses_fips_and_dual_stack_and_is_used_as_is() {
    let url = "http://127.0.0.1:8080/prefix";
    for with_region in [None, Some("us-east-1")] {
        for (fips, dual_stack) in FLAGS {
            assert_agree(&params(with_region, fips, dual_stack, Some(url)));
        }
        let plain = params(with_region, false, false, Some(url));
        assert_eq!(resolve(&plain).as_deref(), Ok(url));
        assert_eq!(ours(&plain).as_deref(), Ok(url));
        let fips = params(with_region, true, true, Some(url));
        assert_eq!(ours(&fips), Err(BuildError::CustomEndpointWithFips));
        let dual_stack = params(with_region, false, true, Some(url));
        assert_eq!(
            ours(&dual_stack),
            Err(BuildError::CustomEndpointWithDualStack)
        );
    }
}

#[test]
fn missing_region_is_an_error() {
    for (fips, dual_stack) in FLAGS {
        let params = params(None, fips, dual_stack, None);
        let missing = "Invalid Configuration: Missing Region";
        assert_eq!(resolve(&params).unwrap_err(), missing);
        assert_eq!(ours(&params), Err(BuildError::MissingRegion));
    }
}

#[test]
fn every_partition_is_exercised_with_its_dns_suffixes() {
    assert!(
        !PARTITION_LIST.is_empty(),
        "partitions.json lists no partitions"
    );
    for (partition, _) in PARTITION_LIST.iter() {
        let name = listed(partition).next();
        let name = name.unwrap_or_else(|| panic!("{} lists no region", partition["id"]));
        let outputs = aws_partition(name);
        assert_eq!(
            outputs["name"], partition["id"],
            "{name} resolves elsewhere"
        );
        for (dual_stack, suffix) in [(false, "dnsSuffix"), (true, "dualStackDnsSuffix")] {
            let suffix = string(&outputs[suffix], suffix);
            let expected = format!("https://oidc.{name}.{suffix}");
            assert_eq!(ours(&region(name, false, dual_stack)), Ok(expected));
        }
    }
}

/// Region names that are DNS labels, half of them built on a partition's prefix so that the
/// regexes are exercised and not only the `aws` fallback.
fn region_name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9]{1,6}(-[a-z0-9]{1,6}){0,3}",
        "(us|eu|ap|cn|us-gov|us-iso|us-isob|us-isof|eu-isoe|eusc-de)-[a-z0-9]{1,6}-[0-9a]{1,3}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_regions_resolve_as_the_rule_set_says(
        name in region_name(),
        fips: bool,
        dual_stack: bool,
    ) {
        let params = region(&name, fips, dual_stack);
        prop_assert_eq!(ours(&params), resolve(&params).map_err(build_error), "{:?}", params);
    }
}
