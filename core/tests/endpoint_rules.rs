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

// ---------------------------------------------------------------------------------------------
// The interpreter
// ---------------------------------------------------------------------------------------------

/// The rule set's root object.
static RULES: LazyLock<Value> = LazyLock::new(|| load(RULE_SET));

/// The partitions of `partitions.json` in order, each with its compiled `regionRegex`.
static PARTITION_LIST: LazyLock<Vec<(Value, Regex)>> = LazyLock::new(|| {
    let json = load(PARTITIONS);
    let regex = |p: &Value| Regex::new(string(&p["regionRegex"], "regex")).expect("bad regex");
    let list = array(&json["partitions"], "`partitions`").iter();
    list.map(|p| (p.clone(), regex(p))).collect()
});

fn load(path: &str) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Panics: `value` is not what the interpreter expects as `what`.
fn unexpected(what: &str, value: &Value) -> ! {
    panic!("{what}: unexpected {value}")
}

fn string<'a>(value: &'a Value, what: &str) -> &'a str {
    value.as_str().unwrap_or_else(|| unexpected(what, value))
}

fn array<'a>(value: &'a Value, what: &str) -> &'a Vec<Value> {
    value.as_array().unwrap_or_else(|| unexpected(what, value))
}

fn object<'a>(value: &'a Value, what: &str) -> &'a Map<String, Value> {
    value.as_object().unwrap_or_else(|| unexpected(what, value))
}

/// Panics if the object `value` has a key other than the space-separated `known`.
fn check_keys(value: &Value, known: &str) {
    let mut keys = object(value, "rule part").keys();
    if let Some(key) = keys.find(|k| !known.split(' ').any(|known| known == *k)) {
        panic!("unknown key `{key}` in {value}");
    }
}

/// The rule set's inputs; `None` leaves a parameter unset.
#[derive(Clone, Debug)]
struct Params {
    region: Option<String>,
    fips: bool,
    dual_stack: bool,
    endpoint: Option<String>,
}

/// Parameters and the variables that conditions `assign`.
type Scope = HashMap<String, Value>;

/// What a matching rule gives: `Ok(url)` for an endpoint rule, `Err(message)` for an error rule.
type Outcome = Result<String, String>;

/// Evaluates the rule set.
fn resolve(params: &Params) -> Outcome {
    assert_eq!(RULES["version"], "1.0", "unknown rule set version");
    let mut given: HashMap<&str, Value> = HashMap::from([
        ("Region", params.region.clone().into()),
        ("UseFIPS", params.fips.into()),
        ("UseDualStack", params.dual_stack.into()),
        ("Endpoint", params.endpoint.clone().into()),
    ]);
    let mut scope = Scope::new();
    for (name, decl) in object(&RULES["parameters"], "`parameters`") {
        let value = given.remove(name.as_str());
        let value = value.unwrap_or_else(|| panic!("parameter `{name}` is new to the resolver"));
        let value = match value {
            Value::Null => decl.get("default").cloned().unwrap_or(Value::Null),
            value => value,
        };
        let fits = match (decl["type"].as_str(), &value) {
            (_, Value::Null) => decl["required"] != true,
            (Some("string"), Value::String(_)) | (Some("boolean"), Value::Bool(_)) => true,
            _ => false,
        };
        assert!(fits, "parameter `{name}` = {value} does not fit {decl}");
        scope.insert(name.clone(), value);
    }
    assert!(given.is_empty(), "not in the rule set: {given:?}");
    eval_rules(&RULES["rules"], &scope).expect("no top-level rule matched")
}

/// The outcome of the first rule of `rules` whose conditions hold, or `None`.
fn eval_rules(rules: &Value, scope: &Scope) -> Option<Outcome> {
    let mut rules = array(rules, "`rules`").iter();
    rules.find_map(|rule| eval_rule(rule, scope.clone()))
}

fn eval_rule(rule: &Value, mut scope: Scope) -> Option<Outcome> {
    check_keys(rule, "type conditions rules endpoint error documentation");
    for condition in array(&rule["conditions"], "`conditions`") {
        check_keys(condition, "fn argv assign");
        let value = call(condition, &scope);
        // A condition holds when it is `true`, or any other value that is set.
        if value.is_null() || value == false {
            return None;
        }
        if let Some(name) = condition.get("assign") {
            let name = string(name, "`assign`");
            assert!(!scope.contains_key(name), "`assign` shadows `{name}`");
            scope.insert(name.to_owned(), value);
        }
    }
    Some(match rule["type"].as_str() {
        Some("tree") => eval_rules(&rule["rules"], &scope)
            .unwrap_or_else(|| panic!("a tree rule matched but none of its rules did: {rule}")),
        Some("error") => Err(eval_string(&rule["error"], &scope)),
        Some("endpoint") => {
            let endpoint = &rule["endpoint"];
            check_keys(endpoint, "url properties headers");
            // The resolver only gives a URL: properties (e.g. auth schemes) or headers are new.
            for extra in ["properties", "headers"] {
                let extra = endpoint.get(extra).map(|v| object(v, extra));
                assert!(extra.is_none_or(Map::is_empty), "unsupported: {endpoint}");
            }
            Ok(eval_string(&endpoint["url"], &scope))
        }
        other => panic!("unknown rule type {other:?}"),
    })
}

fn eval_string(expr: &Value, scope: &Scope) -> String {
    match eval(expr, scope) {
        Value::String(s) => s,
        other => unexpected(&format!("{expr} (a string)"), &other),
    }
}

/// An expression: a literal (strings are templates), a `ref`, or a function call.
fn eval(expr: &Value, scope: &Scope) -> Value {
    match expr {
        Value::String(s) => Value::String(template(s, scope)),
        Value::Bool(_) => expr.clone(),
        Value::Object(o) if o.contains_key("ref") => {
            check_keys(expr, "ref");
            lookup(string(&o["ref"], "`ref`"), scope).clone()
        }
        Value::Object(o) if o.contains_key("fn") => {
            check_keys(expr, "fn argv");
            call(expr, scope)
        }
        _ => unexpected("expression", expr),
    }
}

fn lookup<'a>(name: &str, scope: &'a Scope) -> &'a Value {
    let value = scope.get(name);
    value.unwrap_or_else(|| panic!("unknown reference `{name}`"))
}

fn call(call: &Value, scope: &Scope) -> Value {
    let argv = array(&call["argv"], "`argv`");
    let args: Vec<Value> = argv.iter().map(|arg| eval(arg, scope)).collect();
    match (string(&call["fn"], "`fn`"), args.as_slice()) {
        ("isSet", [value]) => Value::Bool(!value.is_null()),
        ("not", [Value::Bool(b)]) => Value::Bool(!b),
        ("booleanEquals", [Value::Bool(a), Value::Bool(b)]) => Value::Bool(a == b),
        ("stringEquals", [Value::String(a), Value::String(b)]) => Value::Bool(a == b),
        ("getAttr", [object, Value::String(path)]) => get_attr(object, path),
        ("aws.partition", [Value::String(region)]) => aws_partition(region),
        _ => panic!("unsupported function or argument types: {call} with {args:?}"),
    }
}

/// `getAttr` for a plain attribute name (not `a.b` or `a[0]` paths, which this rule set lacks).
fn get_attr(object: &Value, path: &str) -> Value {
    let plain = path.chars().all(|c| c.is_ascii_alphanumeric());
    assert!(plain, "unsupported getAttr path `{path}`");
    let value = object.get(path);
    value.unwrap_or_else(|| unexpected(path, object)).clone()
}

/// Fills in `{Name}` and `{Name#attr}`; `{{` and `}}` stand for `{` and `}`.
fn template(text: &str, scope: &Scope) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
            continue;
        }
        let end = tail.find('}').filter(|_| tail.starts_with('{'));
        let end = end.unwrap_or_else(|| panic!("unbalanced braces in template {text:?}"));
        let value = match tail[1..end].split_once('#') {
            Some((name, attr)) => get_attr(lookup(name, scope), attr),
            None => lookup(&tail[1..end], scope).clone(),
        };
        out.push_str(string(&value, text));
        rest = &tail[end + 1..];
    }
    out + rest
}

/// `aws.partition`: the partition listing the region by name, else the first whose regex
/// matches, else `aws`; its `outputs` with the region's own overrides.
fn aws_partition(region: &str) -> Value {
    let list = &*PARTITION_LIST;
    let (partition, _) = list
        .iter()
        .find(|(p, _)| p["regions"].get(region).is_some())
        .or_else(|| list.iter().find(|(_, regex)| regex.is_match(region)))
        .or_else(|| list.iter().find(|(p, _)| p["id"] == "aws"))
        .expect("partitions.json has no `aws` partition");
    let mut outputs = partition["outputs"].clone();
    if let Some(overrides) = partition["regions"].get(region) {
        let overrides = object(overrides, region).iter();
        for (key, value) in overrides.filter(|(key, _)| *key != "description") {
            outputs[key] = value.clone();
        }
    }
    outputs
}

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
