//! The AWS partitions (`reference/partitions.json`) and the rule set's `aws.partition` function.
//!
//! `core/tests/endpoint_rules.rs` checks this table against the JSON and the resolver built on it
//! against an interpreter of `endpoint-rule-set-1.json`.

/// What the SSO OIDC endpoint rules read from a partition.
#[derive(Debug)]
pub(crate) struct Partition {
    /// The partition's name, e.g. `aws-us-gov`.
    pub(crate) name: &'static str,
    pub(crate) dns_suffix: &'static str,
    pub(crate) dual_stack_dns_suffix: &'static str,
    /// The region regex `^(p1|p2|...)\-\w+\-\d+$` as its list of prefixes.
    region_prefixes: &'static [&'static str],
    /// Regions listed by name, which match even when the regex does not (`aws-global`).
    regions: &'static [&'static str],
}

const AWS: usize = 0;

static PARTITIONS: [Partition; 8] = [
    Partition {
        name: "aws",
        dns_suffix: "amazonaws.com",
        dual_stack_dns_suffix: "api.aws",
        region_prefixes: &["us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx"],
        regions: &[
            "af-south-1",
            "ap-east-1",
            "ap-east-2",
            "ap-northeast-1",
            "ap-northeast-2",
            "ap-northeast-3",
            "ap-south-1",
            "ap-south-2",
            "ap-southeast-1",
            "ap-southeast-2",
            "ap-southeast-3",
            "ap-southeast-4",
            "ap-southeast-5",
            "ap-southeast-6",
            "ap-southeast-7",
            "aws-global",
            "ca-central-1",
            "ca-west-1",
            "eu-central-1",
            "eu-central-2",
            "eu-north-1",
            "eu-south-1",
            "eu-south-2",
            "eu-west-1",
            "eu-west-2",
            "eu-west-3",
            "il-central-1",
            "me-central-1",
            "me-south-1",
            "me-west-1",
            "mx-central-1",
            "sa-east-1",
            "sa-west-1",
            "us-east-1",
            "us-east-2",
            "us-west-1",
            "us-west-2",
        ],
    },
    Partition {
        name: "aws-cn",
        dns_suffix: "amazonaws.com.cn",
        dual_stack_dns_suffix: "api.amazonwebservices.com.cn",
        region_prefixes: &["cn"],
        regions: &["aws-cn-global", "cn-north-1", "cn-northwest-1"],
    },
    Partition {
        name: "aws-eusc",
        dns_suffix: "amazonaws.eu",
        dual_stack_dns_suffix: "api.amazonwebservices.eu",
        region_prefixes: &["eusc-de"],
        regions: &["eusc-de-east-1"],
    },
    Partition {
        name: "aws-iso",
        dns_suffix: "c2s.ic.gov",
        dual_stack_dns_suffix: "api.aws.ic.gov",
        region_prefixes: &["us-iso"],
        regions: &["aws-iso-global", "us-iso-east-1", "us-iso-west-1"],
    },
    Partition {
        name: "aws-iso-b",
        dns_suffix: "sc2s.sgov.gov",
        dual_stack_dns_suffix: "api.aws.scloud",
        region_prefixes: &["us-isob"],
        regions: &["aws-iso-b-global", "us-isob-east-1", "us-isob-west-1"],
    },
    Partition {
        name: "aws-iso-e",
        dns_suffix: "cloud.adc-e.uk",
        dual_stack_dns_suffix: "api.cloud-aws.adc-e.uk",
        region_prefixes: &["eu-isoe"],
        regions: &["aws-iso-e-global", "eu-isoe-west-1"],
    },
    Partition {
        name: "aws-iso-f",
        dns_suffix: "csp.hci.ic.gov",
        dual_stack_dns_suffix: "api.aws.hci.ic.gov",
        region_prefixes: &["us-isof"],
        regions: &["aws-iso-f-global", "us-isof-east-1", "us-isof-south-1"],
    },
    Partition {
        name: "aws-us-gov",
        dns_suffix: "amazonaws.com",
        dual_stack_dns_suffix: "api.aws",
        region_prefixes: &["us-gov"],
        regions: &["aws-us-gov-global", "us-gov-east-1", "us-gov-west-1"],
    },
];

/// The rules engine's `aws.partition`: a partition that lists the region by name, else the first
/// whose regex matches, else `aws`.
pub(crate) fn partition(region: &str) -> &'static Partition {
    PARTITIONS
        .iter()
        .find(|p| p.regions.contains(&region))
        .or_else(|| PARTITIONS.iter().find(|p| p.matches_regex(region)))
        .unwrap_or(&PARTITIONS[AWS])
}

impl Partition {
    /// `^(prefix)\-\w+\-\d+$` without a regex engine: `\w` cannot match `-`, so what follows the
    /// prefix must be exactly one word, a hyphen, and digits.
    fn matches_regex(&self, region: &str) -> bool {
        self.region_prefixes.iter().any(|prefix| {
            region
                .strip_prefix(prefix)
                .and_then(|rest| rest.strip_prefix('-'))
                .and_then(|rest| rest.split_once('-'))
                .is_some_and(|(word, digits)| {
                    !word.is_empty()
                        && word.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                        && !digits.is_empty()
                        && digits.bytes().all(|b| b.is_ascii_digit())
                })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_regions_then_regex_then_aws() {
        assert_eq!(partition("us-gov-west-1").name, "aws-us-gov");
        assert_eq!(partition("aws-cn-global").name, "aws-cn");
        assert_eq!(partition("us-gov-central-7").name, "aws-us-gov");
        assert_eq!(partition("us-isob-north-9").name, "aws-iso-b");
        assert_eq!(partition("eusc-de-west-2").name, "aws-eusc");
        assert_eq!(partition("cn-south-3").name, "aws-cn");
        assert_eq!(partition("mars-north-1").name, "aws");
        assert_eq!(partition("us-east-1a").name, "aws");
    }
}
