//! Whatever the input, parsing a definitions or mocks file never panics and every
//! problem is a diagnostic; whatever the argument values, a rendered URL stays under
//! its base URL. The checks and the generators of inputs are below; the tests are
//! in a module per kind of input.

use std::sync::LazyLock;

use conv_api_definitions::{mocks, parse_bytes, parse_str, Definitions, Diagnostics, Span, Template};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use url::Url;

mod hostile;
mod properties;
mod resilience;

/// Every diagnostic has a 1-based position and a message.
fn assert_positioned(diagnostics: &Diagnostics) {
    for diagnostic in &diagnostics.items {
        assert!(diagnostic.span.line >= 1 && diagnostic.span.column >= 1, "{diagnostic:?}");
        assert!(!diagnostic.message.is_empty());
    }
}

/// A rejected file has an error, and every diagnostic a position and a message.
fn assert_well_formed(diagnostics: &Diagnostics) {
    assert!(diagnostics.has_errors(), "rejected without an error: {diagnostics}");
    assert_positioned(diagnostics);
}

/// A rejected file is told with well-formed errors; an accepted one has only warnings,
/// each with a position and a message too.
fn check_bytes(bytes: &[u8]) {
    match parse_bytes("fuzz.yaml", bytes) {
        Ok(checked) => {
            assert!(!checked.warnings.has_errors(), "accepted with an error: {}", checked.warnings);
            assert_positioned(&checked.warnings);
        }
        Err(diagnostics) => assert_well_formed(&diagnostics),
    }
}

// ---- YAML-ish documents built from a grammar ----

const KEYS: &[&str] = &[
    "api_integrations",
    "name",
    "description",
    "environments",
    "sandbox",
    "pre-release",
    "pre_release",
    "live",
    "draft",
    "base_url",
    "auth_type",
    "auth",
    "tls",
    "operations",
    "method",
    "resource",
    "idempotent",
    "timeout",
    "retry",
    "attempts",
    "base_delay",
    "max_delay",
    "secret",
    "username",
    "password",
    "location",
    "value",
    "prefix",
    "token_url",
    "client_id",
    "client_secret",
    "scope",
    "credentials",
    "header_name",
    "token_prefix",
    "ca",
    "client_cert",
    "client_key",
    "metod",
];

const SCALARS: &[&str] = &[
    "zendesk",
    "get_ticket",
    "GET",
    "post",
    "/tickets/{id}",
    "/a?q={x}&b=1",
    "/{",
    "https://api.example/v2",
    "http://localhost:1",
    "ftp://x",
    "\"\"",
    "basic",
    "apiKey",
    "oauth2",
    "none",
    "header",
    "query",
    "body",
    "8s",
    "0s",
    "-1m",
    "250ms",
    "3",
    "11",
    "true",
    "~",
    "ZENDESK_KEY",
    "{ secret: X_Y }",
    "&a anchored",
    "*a",
    "'quoted: text'",
    "\"tab\\there\"",
    "!!str 42",
    "200",
    "503",
    "600",
    "-1",
    "0",
    "2024-01-31",
    "connection",
    "1.5",
    "12345678901234567890",
    "a\u{85}b: c: d",
    "\u{a0}x: y: z",
    "Self",
];

#[derive(Clone, Debug)]
enum Doc {
    Scalar(String),
    List(Vec<Doc>),
    Map(Vec<(String, Doc)>),
}

fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(SCALARS).prop_map(str::to_string),
        1 => "[a-zA-Z0-9_/{}%?&=:. -]{0,12}",
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![5 => proptest::sample::select(KEYS).prop_map(str::to_string), 1 => "[a-z_]{1,8}"]
}

fn doc() -> impl Strategy<Value = Doc> {
    scalar().prop_map(Doc::Scalar).prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Doc::List),
            proptest::collection::vec((key(), inner), 0..6).prop_map(Doc::Map),
        ]
    })
}

/// Writes `doc` in block style at `indent`; a scalar or empty collection in flow style.
fn write_block(doc: &Doc, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match doc {
        Doc::Scalar(text) => out.push_str(&format!(" {text}\n")),
        Doc::List(items) if items.is_empty() => out.push_str(" []\n"),
        Doc::Map(entries) if entries.is_empty() => out.push_str(" {}\n"),
        Doc::List(items) => {
            out.push('\n');
            for item in items {
                out.push_str(&format!("{pad}-"));
                write_block(item, indent + 2, out);
            }
        }
        Doc::Map(entries) => {
            out.push('\n');
            for (key, value) in entries {
                out.push_str(&format!("{pad}{key}:"));
                write_block(value, indent + 2, out);
            }
        }
    }
}

/// Writes `doc` in flow style.
fn write_flow(doc: &Doc) -> String {
    match doc {
        Doc::Scalar(text) => text.clone(),
        Doc::List(items) => format!("[{}]", items.iter().map(write_flow).collect::<Vec<_>>().join(", ")),
        Doc::Map(entries) => {
            let pairs: Vec<String> = entries.iter().map(|(k, v)| format!("{k}: {}", write_flow(v))).collect();
            format!("{{{}}}", pairs.join(", "))
        }
    }
}

/// `{<key>: <value>}` as YAML text, in block or flow style.
fn render(key: &str, value: Doc, block: bool) -> String {
    let root = Doc::Map(vec![(key.to_string(), value)]);
    if block {
        let mut out = String::new();
        write_block(&root, 0, &mut out);
        out.trim_start().to_string()
    } else {
        write_flow(&root)
    }
}

fn document() -> impl Strategy<Value = String> {
    (doc(), any::<bool>()).prop_map(|(doc, block)| render("api_integrations", doc, block))
}

// ---- Documents shaped like definitions files, mostly valid values ----

/// One of `good` most of the time, else one of `bad`.
fn pick(good: &'static [&'static str], bad: &'static [&'static str]) -> impl Strategy<Value = Doc> {
    let scalar = |choices| proptest::sample::select(choices).prop_map(|s: &str| Doc::Scalar(s.to_string()));
    prop_oneof![8 => scalar(good), 1 => scalar(bad)]
}

/// Usually present (for required keys), sometimes left out.
fn usually<S: Strategy>(strategy: S) -> impl Strategy<Value = Option<S::Value>> {
    proptest::option::weighted(0.9, strategy)
}

/// Sometimes present (for optional keys).
fn sometimes<S: Strategy>(strategy: S) -> impl Strategy<Value = Option<S::Value>> {
    proptest::option::weighted(0.2, strategy)
}

/// A mapping of the keys whose values were generated (`None` leaves the key out).
fn fields(entries: Vec<(&str, Option<Doc>)>) -> Doc {
    Doc::Map(entries.into_iter().filter_map(|(k, v)| v.map(|v| (k.to_string(), v))).collect())
}

/// A mapping whose keys are picked scalars.
fn keyed(pairs: Vec<(Doc, Doc)>) -> Doc {
    Doc::Map(pairs.into_iter().map(|(key, value)| (write_flow(&key), value)).collect())
}

fn secret() -> impl Strategy<Value = Doc> {
    pick(&["A_SECRET", "B_2"], &["bad-name", "\"\"", "[X]"])
        .prop_map(|name| Doc::Map(vec![("secret".to_string(), name)]))
}

fn auth() -> impl Strategy<Value = Doc> {
    let field = pick(&["password", "value", "client_secret", "client_id", "username"], &["usrname", "location"]);
    let setting = prop_oneof![4 => secret(), 1 => scalar().prop_map(Doc::Scalar), 1 => doc()];
    proptest::collection::vec((field, setting), 0..3).prop_map(keyed)
}

fn environment() -> impl Strategy<Value = Doc> {
    let url =
        pick(&["https://a.example/v1/", "http://localhost:1", "\"\""], &["http://a.example", "ftp://x", "https://a?b"]);
    let auth_type = pick(&["none", "basic", "apiKey", "oauth2"], &["apikey", "Basic"]);
    let tls = (pick(&["ca", "client_cert"], &["crt"]), prop_oneof![4 => secret(), 1 => doc()])
        .prop_map(|pair| keyed(vec![pair]));
    let optional_auth = proptest::option::weighted(0.3, auth());
    let optional_tls = proptest::option::weighted(0.2, tls);
    (usually(url), usually(auth_type), optional_auth, optional_tls).prop_map(|(url, auth_type, auth, tls)| {
        fields(vec![("base_url", url), ("auth_type", auth_type), ("auth", auth), ("tls", tls)])
    })
}

fn retry_block() -> impl Strategy<Value = Doc> {
    const DELAYS: &[&str] = &["100ms", "1s", "2m"];
    const BAD_DELAYS: &[&str] = &["0s", "5", "-1s"];
    let attempts = pick(&["1", "3", "10"], &["0", "11", "x"]);
    (
        proptest::option::of(attempts),
        proptest::option::of(pick(DELAYS, BAD_DELAYS)),
        proptest::option::of(pick(DELAYS, BAD_DELAYS)),
    )
        .prop_map(|(a, b, m)| fields(vec![("attempts", a), ("base_delay", b), ("max_delay", m)]))
}

fn operation_entry() -> impl Strategy<Value = Doc> {
    let name = pick(&["get", "get_ticket", "type", "list_all"], &["getTicket", "self", "1x", "a-b"]);
    let method = pick(&["GET", "post", "Patch", "PUT", "delete"], &["FETCH"]);
    let resource =
        prop_oneof![4 => valid_template(), 1 => template_text()].prop_map(|t| Doc::Scalar(format!("\"{t}\"")));
    (
        usually(name),
        usually(method),
        usually(resource),
        sometimes(pick(&["true", "false"], &["yes", "1"])),
        sometimes(pick(&["8s", "250ms"], &["0s", "1h"])),
        sometimes(retry_block()),
    )
        .prop_map(|(n, m, r, i, t, retry)| {
            fields(vec![
                ("name", n),
                ("method", m),
                ("resource", r),
                ("idempotent", i),
                ("timeout", t),
                ("retry", retry),
            ])
        })
}

fn api_entry() -> impl Strategy<Value = Doc> {
    let name = pick(&["zendesk", "crm", "a_1", "_x"], &["Zendesk", "_"]);
    let env_key = pick(&["sandbox", "pre-release", "pre_release", "live"], &["draft", "prod"]);
    let environments = proptest::collection::vec((env_key, environment()), 1..3).prop_map(keyed);
    let operations = proptest::collection::vec(operation_entry(), 0..4).prop_map(Doc::List);
    (
        usually(name),
        usually(environments),
        usually(operations),
        proptest::option::weighted(0.2, pick(&["10s"], &["0ms"])),
        proptest::option::weighted(0.2, retry_block()),
    )
        .prop_map(|(n, e, o, t, r)| {
            fields(vec![("name", n), ("environments", e), ("operations", o), ("timeout", t), ("retry", r)])
        })
}

fn definitions_document() -> impl Strategy<Value = String> {
    (proptest::collection::vec(api_entry(), 0..3), any::<bool>())
        .prop_map(|(apis, block)| render("api_integrations", Doc::List(apis), block))
}

// ---- Mocks files shaped like MOCKS.md's, against its example's definitions ----

fn check_mocks(bytes: &[u8], definitions: &Definitions) {
    if let Err(diagnostics) = mocks::parse_bytes("case.yaml", bytes, definitions) {
        assert_well_formed(&diagnostics);
    }
}

/// The APIs of MOCKS.md's example, read once for every case.
static MOCKED_APIS: LazyLock<Definitions> = LazyLock::new(|| {
    parse_str("apis.yaml", include_str!("../fixtures/adk/booking-apis.yaml")).expect("the fixture is valid").definitions
});

fn mock_response() -> impl Strategy<Value = Doc> {
    let status = pick(&["200", "201", "404", "503"], &["600", "99", "\"200\"", "ok"]);
    let header = (
        pick(&["content-type", "x-count"], &["bad name", "\"\""]),
        pick(&["\"5\"", "text/plain"], &["5", "yes", "[a]"]),
    )
        .prop_map(|pair| keyed(vec![pair]));
    let body = pick(
        &["{ confirmation: \"R-1042\" }", "[1, 2.5, null]", "\"text\"", "7", "true", "~", "{ a: { b: [x] } }"],
        &["2024-01-31", "*a", "{ 1: a, \"1\": b }", "!!binary aGk="],
    );
    (usually(status), sometimes(body), sometimes(header))
        .prop_map(|(s, b, h)| fields(vec![("status", s), ("body", b), ("headers", h)]))
}

fn mock_failure() -> impl Strategy<Value = Doc> {
    pick(&["timeout", "connection"], &["refused"])
}

fn mock_rule() -> impl Strategy<Value = Doc> {
    let value = pick(&["{ venue_id: \"7\" }", "{ q: x, n: \"2\" }", "{}"], &["[a]", "x", "{ venue: 7 }"]);
    let condition =
        (pick(&["path", "query", "headers", "body"], &["bdy", "json"]), value).prop_map(|pair| keyed(vec![pair]));
    // one or the other, as a rule must; both or neither now and then
    let outcome = prop_oneof![
        16 => mock_response().prop_map(|respond| (Some(respond), None)),
        4 => mock_failure().prop_map(|fail| (None, Some(fail))),
        1 => (mock_response(), mock_failure()).prop_map(|(respond, fail)| (Some(respond), Some(fail))),
        1 => Just((None, None)),
    ];
    (
        outcome,
        sometimes(pick(&["1", "2", "-1"], &["0", "-2", "x", "2024-01-31"])),
        sometimes(condition),
        sometimes(pick(&["250ms", "1s"], &["0s", "5"])),
    )
        .prop_map(|((respond, fail), repeat, when, delay)| {
            fields(vec![("respond", respond), ("repeat", repeat), ("when", when), ("delay", delay), ("fail", fail)])
        })
}

fn mocks_document() -> impl Strategy<Value = String> {
    let rules = proptest::collection::vec(mock_rule(), 0..3).prop_map(Doc::List);
    let operation = pick(&["check_availability", "book"], &["get_ticket", "bok"]);
    let operations = proptest::collection::vec((operation, rules), 1..3).prop_map(keyed);
    let api = pick(&["reservations"], &["reservation", "zendesk"]);
    let apis = proptest::collection::vec((api, operations), 1..3).prop_map(keyed);
    (apis, any::<bool>()).prop_map(|(apis, block)| render("api_mocks", apis, block))
}

// ---- Resource templates ----

fn template_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[a-z0-9]{1,6}",
        Just("/".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        "\\{[a-zA-Z_0-9]{0,5}\\}",
        Just("?".to_string()),
        Just("&".to_string()),
        Just("=".to_string()),
        "%[0-9a-fA-Fg-z]{0,2}",
        Just("#".to_string()),
        Just(" ".to_string()),
        "[^a-z]",
    ];
    proptest::collection::vec(piece, 0..12).prop_map(|pieces| pieces.concat())
}

/// A valid template: segments of safe text and variables, an optional query with variables.
fn valid_template() -> impl Strategy<Value = String> {
    let segment_piece = prop_oneof!["[a-z0-9_~-]{1,5}", "\\{v[0-3]\\}"];
    let segment = proptest::collection::vec(segment_piece, 1..3).prop_map(|p| p.concat());
    let segments = proptest::collection::vec(segment, 0..5);
    // static text with characters kept as written in a query (`filter[a]=x,y`)
    let param = ("[a-z\\[\\]]{1,4}", prop_oneof!["[a-z0-9,:@!\\[\\]]{0,4}", "\\{v[0-3]\\}"])
        .prop_map(|(k, v)| format!("{k}={v}"));
    let query = proptest::option::of(proptest::collection::vec(param, 1..3));
    (segments, query).prop_map(|(segments, query)| {
        let path = format!("/{}", segments.join("/"));
        match query {
            Some(params) => format!("{path}?{}", params.join("&")),
            None => path,
        }
    })
}

const BASES: &[&str] =
    &["https://api.example", "http://127.0.0.1:8080/v2", "https://h.example:8443/a/b", "https://x.example/%7Euser"];

/// The base URL joined with a rendered path and query, as the runtime builds a request URL.
fn request_url(base: &str, path: &str, query: &str) -> Url {
    let mut url = Url::parse(&format!("{base}{path}")).expect("a rendered URL parses");
    if !query.is_empty() {
        url.set_query(Some(query));
    }
    url
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "(.|\n){1,12}",
        1 => proptest::sample::select(&[".", "..", "%2e%2E", "/", "../..", "?x=1", "#f", "a/../../b", "%", "@evil.example", "\\"][..])
            .prop_map(str::to_string),
    ]
}
