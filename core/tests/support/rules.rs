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
