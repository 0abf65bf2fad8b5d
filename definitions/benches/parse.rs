//! Parse and validate a generated definitions file of 1,000 operations over 50 APIs,
//! next to two baselines measured in the same run: the YAML parse alone (into the
//! node tree) and `serde_json` parsing the same document written as JSON. Then
//! hostile files (one mapping of 20,000 keys, 30,000 APIs of five errors each, one
//! API of 5,000 operations, of one name or two, variables as other tools write
//! them, long values, braces that never close and names reused
//! through YAML aliases, 20,000 operations on one line of JSON) against their
//! YAML parse alone: reading them must stay linear.
//!
//! Run with `cargo bench -p conv-api-definitions`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const APIS: usize = 50;
const OPERATIONS_PER_API: usize = 20;
const ITERATIONS: usize = 60;
const WARMUP: usize = 5;

fn main() {
    let document = generate();
    let yaml = to_yaml(&document);
    let json = serde_json::to_string_pretty(&document).expect("a JSON value serializes");
    let checked = conv_api_definitions::parse_str("bench.yaml", &yaml).expect("the generated file is valid");
    assert_eq!(checked.definitions.operation_count(), APIS * OPERATIONS_PER_API);
    println!(
        "definitions file: {APIS} APIs, {} operations, {} bytes of YAML ({} bytes as JSON); {ITERATIONS} runs each",
        APIS * OPERATIONS_PER_API,
        yaml.len(),
        json.len()
    );
    let full = measure(|| conv_api_definitions::parse_str("bench.yaml", &yaml).is_ok());
    let tree = measure(|| conv_api_definitions::yaml::parse(&yaml).is_ok());
    let serde = measure(|| serde_json::from_str::<Value>(&json).is_ok());
    report("parse + validate (parse_str)", &full, yaml.len(), None);
    report("baseline: YAML to node tree (yaml::parse)", &tree, yaml.len(), Some(&full));
    report("baseline: serde_json to Value (same doc as JSON)", &serde, json.len(), Some(&full));
    for (name, text, valid) in hostile_files() {
        let checked = measure(|| conv_api_definitions::parse_str("hostile.yaml", &text).is_ok() == valid);
        let tree = measure(|| conv_api_definitions::yaml::parse(&text).is_ok());
        println!(
            "{name} ({} bytes): parse + validate mean {:.1} ms, {:.2}x the YAML parse alone",
            text.len(),
            mean(&checked).as_secs_f64() * 1e3,
            mean_ratio(&checked, &tree)
        );
    }
}

/// Files that cost the most to check for their size, and whether each is valid:
/// many keys in one mapping, many repeats, and long values whose every character or
/// variable is checked and long names each suggested in snake_case, reused through aliases.
fn hostile_files() -> [(&'static str, String, bool); 11] {
    let keys: String = (0..20_000).map(|i| format!("key_{i}: {i}\n")).collect();
    let operations: String =
        (0..5_000).map(|i| format!("      - {{ name: op_{}, method: GET, resource: /x }}\n", i % 2_500)).collect();
    // each repeat told with both methods, as the ADK tells such operations apart
    let methods = ["GET", "DELETE"];
    let by_method: String =
        (0..5_000).map(|i| format!("      - {{ name: op, method: {}, resource: /x }}\n", methods[i % 2])).collect();
    // variables as other tools write them, each found and the resource rewritten
    let other_syntax: String = (0..20_000).map(|i| format!("/${{a{i}}}/:b{i}")).collect();
    let api = "api_integrations:\n  - name: a\n    environments: { live: {} }\n    operations:\n";
    let reusing = |count: usize, first: String| {
        let rest: String =
            (1..count).map(|i| format!("      - {{ name: o{i}, method: GET, resource: *r }}\n")).collect();
        format!("{api}      - {{ name: o0, method: GET, resource: &r \"{first}\" }}\n{rest}")
    };
    let variables: String = (0..7_000).map(|i| format!("/{{a{i}}}")).collect();
    let long_key =
        format!("api_integrations:\n  - ? &k {}\n    : 1\n{}", "q".repeat(60_000), "  - { *k : 1 }\n".repeat(249));
    // names of 60,000 characters that are not snake_case: each gets a warning with the
    // name it suggests, once per API that reuses them
    let long_names: String = (0..50)
        .map(|i| match i {
            0 => format!(
                "  - {{ name: a0, environments: {{ live: {{}} }}, operations: [{{ name: &n {}{}, method: GET, resource: &v \"/{{{}}}\" }}] }}\n",
                "_".repeat(30_000),
                "A".repeat(30_000),
                "xY".repeat(30_000)
            ),
            _ => format!("  - {{ name: a{i}, environments: {{ live: {{}} }}, operations: [{{ name: *n, method: GET, resource: *v }}] }}\n"),
        })
        .collect();
    // one line of JSON, as a minified file is, whose every quoted value is compared
    // with what is written where it starts
    let one_line: Vec<String> =
        (0..20_000).map(|i| format!(r#"{{"name":"op_{i}","method":"GET","resource":"/items/{{id}}/{i}"}}"#)).collect();
    let one_line = format!(
        r#"{{"api_integrations":[{{"name":"a","environments":{{"live":{{}}}},"operations":[{}]}}]}}"#,
        one_line.join(",")
    );
    let faulty: String = (0..30_000)
        .map(|i| format!("  - {{ name: A{i}, environments: {{ prod: {{}} }}, operations: [{{ name: self, method: FOO, resource: x }}] }}\n"))
        .collect();
    [
        ("20,000 unknown keys in one mapping", format!("api_integrations: []\n{keys}"), false),
        ("30,000 APIs of five errors each", format!("api_integrations:\n{faulty}"), false),
        ("5,000 operations, each name twice", format!("{api}{operations}"), false),
        ("5,000 operations of one name, GET and DELETE in turn", format!("{api}{by_method}"), false),
        ("a resource of 20,000 `${a}` and `:b`, 50 operations", reusing(50, other_syntax), true),
        ("a resource of 60,000 bad characters, 50 operations", reusing(50, format!("/{}", "%".repeat(60_000))), false),
        ("a resource of 7,000 variables, 100 operations", reusing(100, variables), true),
        (
            "a resource of 60,000 `{` that never close, 50 operations",
            reusing(50, format!("/{}", "{".repeat(60_000))),
            false,
        ),
        ("an unknown key of 60,000 characters, 250 times", long_key, false),
        ("names of 60,000 characters, not snake_case, 50 APIs", format!("api_integrations:\n{long_names}"), true),
        ("20,000 operations on one line of JSON", one_line, true),
    ]
}

/// Times `run` over the iterations, after a warm-up; each run must succeed.
fn measure(mut run: impl FnMut() -> bool) -> Vec<Duration> {
    for _ in 0..WARMUP {
        assert!(black_box(run()));
    }
    (0..ITERATIONS)
        .map(|_| {
            let start = Instant::now();
            assert!(black_box(run()));
            start.elapsed()
        })
        .collect()
}

/// Prints mean, median, throughput and (for a baseline) how many times faster it is than `full`.
fn report(name: &str, times: &[Duration], bytes: usize, full: Option<&[Duration]>) {
    let mean = mean(times);
    let median = median(times);
    let mb_per_s = bytes as f64 / mean.as_secs_f64() / 1e6;
    let ops_per_s = (APIS * OPERATIONS_PER_API) as f64 / mean.as_secs_f64();
    let ratio = full.map(|full| format!(", parse + validate takes {:.2}x this", mean_ratio(full, times)));
    println!(
        "{name}: mean {:.3} ms, median {:.3} ms, {mb_per_s:.1} MB/s, {ops_per_s:.0} operations/s{}",
        mean.as_secs_f64() * 1e3,
        median.as_secs_f64() * 1e3,
        ratio.unwrap_or_default()
    );
}

fn mean(times: &[Duration]) -> Duration {
    times.iter().sum::<Duration>() / times.len() as u32
}

fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted[sorted.len() / 2]
}

fn mean_ratio(a: &[Duration], b: &[Duration]) -> f64 {
    mean(a).as_secs_f64() / mean(b).as_secs_f64()
}

/// The document: every auth type, resilience keys, templates with path and query variables.
fn generate() -> Value {
    let apis: Vec<Value> = (0..APIS).map(api).collect();
    json!({ "api_integrations": apis })
}

fn api(i: usize) -> Value {
    let name = format!("api_{i}");
    let operations: Vec<Value> = (0..OPERATIONS_PER_API).map(|j| operation(i, j)).collect();
    json!({
        "name": name,
        "description": format!("Generated API number {i}"),
        "timeout": "8s",
        "retry": { "attempts": 3, "base_delay": "200ms", "max_delay": "5s" },
        "environments": {
            "sandbox": environment(i, "sandbox", i % 4),
            "pre-release": environment(i, "staging", (i + 1) % 4),
            "live": environment(i, "live", (i + 2) % 4),
        },
        "operations": operations,
    })
}

fn environment(i: usize, stage: &str, auth: usize) -> Value {
    let base_url = format!("https://{stage}.api{i}.example/v2");
    match auth {
        0 => json!({ "base_url": base_url, "auth_type": "none" }),
        1 => json!({
            "base_url": base_url,
            "auth_type": "basic",
            "auth": { "username": "agent@example.com", "password": { "secret": format!("API_{i}_PASSWORD") } },
        }),
        2 => json!({
            "base_url": base_url,
            "auth_type": "apiKey",
            "auth": { "location": "header", "name": "Authorization", "prefix": "Bearer" },
        }),
        _ => json!({
            "base_url": base_url,
            "auth_type": "oauth2",
            "auth": { "token_url": format!("https://auth.api{i}.example/token"), "client_id": "agent", "scope": "read write" },
            "tls": { "ca": { "secret": format!("API_{i}_CA") } },
        }),
    }
}

fn operation(i: usize, j: usize) -> Value {
    let methods = ["GET", "POST", "PATCH", "PUT", "DELETE"];
    let mut op = json!({
        "name": format!("operation_{j}"),
        "method": methods[j % methods.len()],
        "resource": format!("/resources_{j}/{{item_id}}/parts/{{part_id}}.json?q={{term}}&limit={i}"),
        "description": format!("Operation {j} of API {i}"),
    });
    if j % 5 == 1 {
        op["idempotent"] = json!(true);
        op["timeout"] = json!("15s");
        op["retry"] = json!({ "attempts": 2 });
    }
    op
}

/// Writes a JSON value as block-style YAML (strings double-quoted, which YAML reads as JSON strings).
fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    write_yaml(value, 0, &mut out);
    out
}

fn write_yaml(value: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                out.push_str(&format!("{pad}{key}:"));
                write_nested(item, indent, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                out.push_str(&format!("{pad}-"));
                write_nested(item, indent, out);
            }
        }
        scalar => out.push_str(&format!("{pad}{scalar}\n")),
    }
}

fn write_nested(value: &Value, indent: usize, out: &mut String) {
    match value {
        Value::Object(_) | Value::Array(_) => {
            out.push('\n');
            write_yaml(value, indent + 2, out);
        }
        scalar => out.push_str(&format!(" {scalar}\n")),
    }
}
