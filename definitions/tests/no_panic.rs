//! Whatever the input, parsing a definitions or mocks file never panics and every
//! problem is a diagnostic; whatever the argument values, a rendered URL stays under
//! its base URL.

use std::sync::LazyLock;

use conv_api_definitions::{mocks, parse_bytes, parse_str, Definitions, Diagnostics, Span, Template};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use url::Url;

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
    parse_str("apis.yaml", include_str!("fixtures/adk/booking-apis.yaml")).expect("the fixture is valid").definitions
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

/// The grammar writes mocks files with rules that are accepted as well as files that
/// are rejected, so the properties reach the checks of a rule's every key.
#[test]
fn the_mocks_grammar_makes_accepted_rules_and_rejected_files() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let (mut with_rules, mut rejected) = (0, 0);
    for _ in 0..200 {
        let text = mocks_document().new_tree(&mut runner).expect("a document").current();
        match mocks::parse_str("case.yaml", &text, &MOCKED_APIS) {
            Ok(found) if found.apis.iter().flat_map(|api| &api.operations).any(|op| !op.rules.is_empty()) => {
                with_rules += 1
            }
            Ok(_) => {}
            Err(_) => rejected += 1,
        }
    }
    assert!(with_rules >= 10 && rejected >= 10, "{with_rules} accepted with rules, {rejected} rejected of 200");
}

/// What a checked model promises: unique names, auth only where wired, renderable templates.
fn assert_model_invariants(checked: &conv_api_definitions::Checked) {
    let apis = &checked.definitions.apis;
    for (i, api) in apis.iter().enumerate() {
        assert!(apis[..i].iter().all(|other| other.name.value != api.name.value), "duplicate API {}", api.name());
        for environment in api.environments.iter() {
            assert!(environment.auth == conv_api_definitions::Auth::None || environment.is_wired());
            assert!(!environment.base_url.value.ends_with('/'));
        }
        for (j, op) in api.operations.iter().enumerate() {
            assert!(api.operations[..j].iter().all(|other| other.name.value != op.name.value));
            let values: Vec<&str> = op.resource.variables.iter().map(|_| "x").collect();
            assert!(op.resource.render_path(&values).is_ok(), "{:?}", op.resource.source);
        }
    }
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

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        check_bytes(&bytes);
    }

    #[test]
    fn random_text_never_panics(text in any::<String>()) {
        check_bytes(text.as_bytes());
    }

    #[test]
    fn random_yaml_documents_never_panic(text in document()) {
        check_bytes(text.as_bytes());
    }

    #[test]
    fn documents_shaped_like_definitions_never_panic(text in definitions_document()) {
        match parse_bytes("fuzz.yaml", text.as_bytes()) {
            Ok(checked) => assert_model_invariants(&checked),
            Err(diagnostics) => assert_well_formed(&diagnostics),
        }
    }

    #[test]
    fn random_bytes_as_mocks_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        check_mocks(&bytes, &MOCKED_APIS);
    }

    #[test]
    fn random_yaml_documents_as_mocks_never_panic(text in document()) {
        check_mocks(text.replacen("api_integrations", "api_mocks", 1).as_bytes(), &MOCKED_APIS);
    }

    #[test]
    fn documents_shaped_like_mocks_never_panic(text in mocks_document()) {
        check_mocks(text.as_bytes(), &MOCKED_APIS);
    }

    #[test]
    fn random_templates_never_panic(text in template_text(), line in 1usize..1000, column in 1usize..200) {
        match Template::parse(&text, Span::new(line, column)) {
            Ok(template) => {
                let values: Vec<&str> = template.variables.iter().map(|_| "v").collect();
                prop_assert!(template.render_path(&values).is_ok());
                prop_assert!(template.render_query(&values).is_ok());
            }
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                for (span, _) in errors {
                    prop_assert_eq!(span.line as usize, line);
                    prop_assert!(span.column as usize >= column);
                }
            }
        }
    }

    #[test]
    fn rendered_urls_keep_scheme_host_port_and_base_path(
        text in valid_template(),
        base in proptest::sample::select(BASES),
        values in proptest::collection::vec(value(), 4),
    ) {
        let template = Template::parse(&text, Span::new(1, 1)).expect("the generator makes valid templates");
        let values: Vec<&str> = template.variables.iter().enumerate().map(|(i, _)| values[i % 4].as_str()).collect();
        let (Ok(path), Ok(query)) = (template.render_path(&values), template.render_query(&values)) else {
            return Ok(());
        };
        let base_url = Url::parse(base).unwrap();
        let url = request_url(base, &path, &query);
        prop_assert_eq!(url.scheme(), base_url.scheme());
        prop_assert_eq!(url.host_str(), base_url.host_str());
        prop_assert_eq!(url.port_or_known_default(), base_url.port_or_known_default());
        let base_path = base_url.path().trim_end_matches('/');
        prop_assert_eq!(url.path(), format!("{base_path}{path}"));
        let template_segments = text.split('?').next().unwrap().split('/').count();
        prop_assert_eq!(url.path_segments().unwrap().count(), base_path.matches('/').count() + template_segments - 1);
        prop_assert_eq!(url.fragment(), None);
        // the rendered query is valid as it is, and each pair decodes to its name and
        // its literal or value: no value adds, splits or changes a pair
        prop_assert_eq!(url.query().unwrap_or_default(), query.as_str());
        let written = text.split_once('?').map_or("", |(_, query)| query);
        let expected: Vec<(String, String)> = written
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                let value = match value.strip_prefix('{').and_then(|rest| rest.strip_suffix('}')) {
                    Some(variable) => values[template.variables.iter().position(|v| v == variable).unwrap()],
                    None => value,
                };
                (name.to_string(), value.to_string())
            })
            .collect();
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        prop_assert_eq!(pairs, expected);
    }
}

// ---- Deterministic hostile inputs ----

fn operation(i: usize) -> String {
    format!(
        "      - name: op_{i}\n        method: POST\n        resource: /items/{{item_id}}/parts/{{part}}?q={{term}}&n={i}\n        description: operation number {i}, with some text to make the file larger\n"
    )
}

#[test]
fn a_ten_megabyte_file_is_read() {
    let mut text = String::with_capacity(10 * 1024 * 1024 + 1024);
    text.push_str("api_integrations:\n");
    let (mut api, mut ops) = (0, 0);
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(&format!(
            "  - name: api_{api}\n    environments:\n      live: {{ base_url: \"https://api{api}.example\", auth_type: apiKey }}\n    operations:\n"
        ));
        for _ in 0..200 {
            text.push_str(&operation(ops));
            ops += 1;
        }
        api += 1;
    }
    let checked = parse_str("big.yaml", &text).unwrap_or_else(|d| panic!("{}", d.lines().next().unwrap_or_default()));
    assert_eq!(checked.definitions.apis.len(), api);
    assert_eq!(checked.definitions.operation_count(), ops);
}

#[test]
fn a_file_over_the_limit_is_refused_with_a_diagnostic() {
    let bytes = vec![b'#'; conv_api_definitions::MAX_FILE_BYTES + 1];
    let diagnostics = parse_bytes("huge.yaml", &bytes).unwrap_err();
    assert_eq!(diagnostics.items.len(), 1);
    assert!(diagnostics.items[0].message.contains("split it"), "{diagnostics}");
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    for text in ["[".repeat(200_000), "{a: ".repeat(50_000), "- ".repeat(50_000), nested_mappings(5_000)] {
        let diagnostics = parse_str("deep.yaml", &text).unwrap_err();
        assert_well_formed(&diagnostics);
        assert!(diagnostics.to_string().contains("nests"), "says what is wrong: {diagnostics}");
    }
    let diagnostics = parse_str("deep.yaml", &format!("api_integrations:\n{}", nested_mappings(200))).unwrap_err();
    assert!(diagnostics.to_string().contains("nests deeper than"), "{diagnostics}");
}

fn nested_mappings(depth: usize) -> String {
    (0..depth).map(|i| format!("{}a:\n", " ".repeat(i + 1))).collect()
}

#[test]
fn anchors_and_aliases_are_expanded() {
    let text = "api_integrations:
  - name: a
    environments:
      sandbox: &env { base_url: \"https://a.example\", auth_type: basic }
      live: *env
    operations:
      - &op { name: get, method: GET, resource: / }
  - name: b
    environments: { sandbox: *env }
    operations: [*op]
";
    let checked = parse_str("apis.yaml", text).unwrap();
    assert_eq!(checked.definitions.operation_count(), 2);
    assert!(checked.definitions.api("b").unwrap().operation("get").is_some());
}

#[test]
fn a_problem_in_an_alias_copy_is_reported_at_the_alias() {
    let text = "api_integrations:
  - name: a
    environments: &envs
      live: { base_url: \"http://x.example\", auth_type: basic }
    operations:
      - &op { name: get, method: GET, resource: / }
      - { <<: *op, resource: /other }
  - name: b
    environments: *envs
";
    let lines: Vec<String> = parse_str("apis.yaml", text).unwrap_err().lines().collect();
    assert_eq!(lines.len(), 3, "{lines:#?}");
    assert!(
        lines[0].starts_with("apis.yaml:4:25: error: `api_integrations[0].environments.live.base_url`"),
        "{lines:#?}"
    );
    // the merged name comes from the alias on line 7, and repeats the one on line 6
    assert!(lines[1].starts_with("apis.yaml:7:15: error: `api_integrations[0].operations[1].name`"), "{lines:#?}");
    assert!(lines[1].contains("already defined at line 6"), "{lines:#?}");
    assert!(
        lines[2].starts_with("apis.yaml:9:19: error: `api_integrations[1].environments.live.base_url`"),
        "{lines:#?}"
    );
}

#[test]
fn billion_laughs_is_bounded() {
    let mut text = String::from("x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..10 {
        let refs = vec![format!("*a{}", level - 1); 10].join(", ");
        text.push_str(&format!("x{level}: &a{level} [{refs}]\n"));
    }
    let diagnostics = parse_str("lol.yaml", &text).unwrap_err();
    assert!(diagnostics.to_string().contains("expands to more than"), "{diagnostics}");
    assert!(diagnostics.to_string().contains(" through its aliases (`*name`), "), "{diagnostics}");
}

#[test]
fn a_file_of_more_values_than_one_file_may_have_says_so_without_blaming_aliases() {
    // 2 MB, no alias: the values alone are past the budget
    let text = format!("api_integrations: []\nx: [{}]\n", vec!["0"; 1_000_000].join(","));
    let diagnostics = parse_str("many.yaml", &text).unwrap_err().to_string();
    let says = "the YAML has more than 1,000,000 values (keys, items and texts), the most one file may have; split its APIs over several files";
    assert!(diagnostics.contains(says) && !diagnostics.contains("aliases"), "{diagnostics}");
    // a few aliases of shared settings do not make the values theirs
    let text = format!("d: &d [0, 1]\ny: *d\nx: [{}]\n", vec!["0"; 1_000_000].join(","));
    let diagnostics = parse_str("many.yaml", &text).unwrap_err().to_string();
    assert!(diagnostics.contains(says), "{diagnostics}");
}

#[test]
fn aliases_of_a_long_scalar_are_bounded_by_their_text() {
    // 100,001 nodes, under the node budget, but 100 GB of text once expanded
    let text = format!("a: &a \"{}\"\nb: [{}]\n", "x".repeat(1_000_000), vec!["*a"; 100_000].join(", "));
    let diagnostics = parse_str("long.yaml", &text).unwrap_err();
    assert!(diagnostics.to_string().contains("expands to more than 32 MiB of text"), "{diagnostics}");
}

#[test]
fn the_copies_nested_anchors_keep_count_against_the_text_budget() {
    // one list of aliases holds 29 MiB of text; each anchored level around it keeps a copy
    let aliases = vec!["*s"; 1_000].join(", ");
    let nested = (1..=20).map(|level| format!("&a{level} [")).collect::<String>();
    let text = format!("s: &s \"{}\"\nb: {nested}{aliases}{}\n", "x".repeat(30_720), "]".repeat(20));
    let diagnostics = parse_str("nested.yaml", &text).unwrap_err();
    assert!(diagnostics.to_string().contains("expands to more than 32 MiB of text"), "{diagnostics}");
}

#[test]
fn a_file_near_the_size_limit_whose_one_anchor_spans_it_is_read() {
    // 15 MiB of text once, with the copy its anchor keeps: within the budget
    let description = "d".repeat(15 << 20);
    let yaml = format!(
        "api_integrations: &all\n  - {{ name: a, description: \"{description}\", environments: {{ live: {{}} }} }}\n"
    );
    let checked = parse_str("big.yaml", &yaml)
        .unwrap_or_else(|d| panic!("{}", d.to_string().chars().take(300).collect::<String>()));
    assert_eq!(checked.definitions.apis[0].description.as_deref().map(str::len), Some(15 << 20));
}

#[test]
fn aliases_cannot_nest_deeper_than_the_limit() {
    // each anchor nests 100 levels; the second holds the first: 200 in all
    let nest = |inner: &str| format!("{}{inner}{}", "[".repeat(100), "]".repeat(100));
    let text = format!("a0: &a0 {}\na1: &a1 {}\n", nest("x"), nest("*a0"));
    let diagnostics = parse_str("deep.yaml", &text).unwrap_err();
    assert!(diagnostics.to_string().contains("through this alias, the YAML nests deeper than 128"), "{diagnostics}");
    // at the limit it is fine: 28 levels around an alias of 100
    let text = format!("a0: &a0 {}\na1: {}*a0{}\n", nest("x"), "[".repeat(27), "]".repeat(27));
    assert!(parse_str("deep.yaml", &text).unwrap_err().to_string().contains("api_integrations"));
}

#[test]
fn invalid_utf8_is_a_diagnostic_with_line_and_column() {
    let bytes = b"api_integrations:\n  - name: caf\xc3\xa9\xff\n";
    let diagnostics = parse_bytes("latin1.yaml", bytes).unwrap_err();
    assert_eq!(
        diagnostics.lines().collect::<Vec<_>>(),
        ["latin1.yaml:2:15: error: the file is not valid UTF-8; save it as UTF-8"]
    );
    // a byte order mark takes no column, as in valid text
    let diagnostics = parse_bytes("bom.yaml", b"\xef\xbb\xbfab\xff: 1\n").unwrap_err();
    assert_eq!(
        diagnostics.lines().next(),
        Some("bom.yaml:1:3: error: the file is not valid UTF-8; save it as UTF-8".to_string())
    );
    // only the file's own mark: one on a later line is a character like any other
    let diagnostics = parse_bytes("bom.yaml", b"a: 1\n\xef\xbb\xbfab\xff: 1\n").unwrap_err();
    assert_eq!(
        diagnostics.lines().next(),
        Some("bom.yaml:2:4: error: the file is not valid UTF-8; save it as UTF-8".to_string())
    );
    // UTF-16, by its byte order mark, either way round
    for bom in [[0xFF, 0xFE], [0xFE, 0xFF]] {
        let bytes: Vec<u8> =
            bom.into_iter().chain("api_integrations: []\n".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let diagnostics = parse_bytes("utf16.yaml", &bytes).unwrap_err();
        assert_eq!(
            diagnostics.lines().collect::<Vec<_>>(),
            ["utf16.yaml:1:1: error: the file is UTF-16 text (as PowerShell's `>` and some Windows editors write it); save it as UTF-8"]
        );
    }
}

#[test]
fn a_nul_byte_says_to_save_as_utf8_not_to_indent_with_spaces() {
    let utf16: Vec<u8> = "api_integrations: []\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
    let message = parse_bytes("utf16.yaml", &utf16).unwrap_err().to_string();
    assert!(message.contains("save it as UTF-8") && !message.contains("tabs"), "{message}");
}

#[test]
fn nul_bytes_and_control_characters_are_diagnostics() {
    for (bytes, character) in [
        (&b"api_integrations:\n  - name: a\0b\n"[..], "U+0000"),
        (b"\x00\x01\x02", "U+0000"),
        ("api_integrations: [\u{7}]".as_bytes(), "U+0007"),
    ] {
        let diagnostics = parse_bytes("fuzz.yaml", bytes).expect_err("a control character is refused");
        assert_well_formed(&diagnostics);
        let told = format!("the character {character} may not be written");
        assert!(diagnostics.to_string().contains(&told), "{diagnostics}");
    }
}

// ---- Resilience keys with hostile values ----

/// Duration-like text: numbers of any size and sign, fractions, units right and wrong.
fn duration_text() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => "[1-9][0-9]{0,3}(ms|s|m)",
        4 => "-?[0-9]{0,22}(\\.[0-9]{1,3})?(ms|s|m|h|us|S|MS)?",
        1 => "\\PC{0,8}",
        1 => proptest::sample::select(&["1ms", "0ms", "0.0001ms", "18446744073709551616s", "1e3s", "~", "\"\""][..])
            .prop_map(str::to_string),
    ]
}

/// A one-API file whose `timeout`, `retry`, `idempotent` and `tls` values are `values`.
fn resilience_document(values: &[String; 8], with_key: bool) -> String {
    let [timeout, attempts, base, max, op_timeout, op_attempts, op_max, idempotent] = values;
    let key = if with_key { "\n          client_key: { secret: K }" } else { "" };
    format!(
        "api_integrations:
  - name: svc
    timeout: {timeout}
    retry: {{ attempts: {attempts}, base_delay: {base}, max_delay: {max} }}
    environments:
      sandbox:
        base_url: https://svc.example
        tls:
          client_cert: {{ secret: C }}{key}
    operations:
      - name: op
        method: POST
        resource: /x
        idempotent: {idempotent}
        timeout: {op_timeout}
        retry: {{ attempts: {op_attempts}, max_delay: {op_max} }}
"
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Whatever the resilience values, parsing never panics; an accepted file has
    /// attempts 1 to 10, positive durations, `max_delay` at least `base_delay`, and
    /// a client certificate only with its key.
    #[test]
    fn resilience_keys_never_panic_and_keep_their_bounds(
        durations in proptest::collection::vec(duration_text(), 5),
        attempts in proptest::collection::vec(prop_oneof![6 => "[1-9]|10", 1 => "-?[0-9]{1,21}", 1 => "\\PC{0,4}"], 2),
        idempotent in prop_oneof![3 => Just("true".to_string()), 3 => Just("false".to_string()), 1 => "\\PC{0,5}"],
        with_key in any::<bool>(),
    ) {
        let values = [
            durations[0].clone(), attempts[0].clone(), durations[1].clone(), durations[2].clone(),
            durations[3].clone(), attempts[1].clone(), durations[4].clone(), idempotent,
        ];
        let text = resilience_document(&values, with_key);
        match parse_str("resilience.yaml", &text) {
            Ok(checked) => {
                prop_assert!(with_key, "a client certificate without its key was accepted");
                let api = checked.definitions.api("svc").unwrap();
                let op = api.operation("op").unwrap();
                let policy = op.effective_retry(api);
                prop_assert!((1..=10).contains(&policy.attempts), "{:?}", policy);
                prop_assert!(!policy.base_delay.is_zero() && policy.max_delay >= policy.base_delay, "{:?}", policy);
                prop_assert!(!op.effective_timeout(api).is_zero());
                prop_assert!(op.is_retry_safe() == op.idempotent);
            }
            Err(diagnostics) => assert_well_formed(&diagnostics),
        }
    }
}

#[test]
fn the_resilience_template_with_good_values_is_accepted() {
    let good = ["8s", "3", "200ms", "5s", "15s", "2", "1m", "true"].map(str::to_string);
    let checked = parse_str("resilience.yaml", &resilience_document(&good, true)).unwrap();
    let api = checked.definitions.api("svc").unwrap();
    let op = api.operation("op").unwrap();
    assert_eq!(op.effective_retry(api).attempts, 2);
    assert!(op.is_retry_safe());
    let diagnostics = parse_str("resilience.yaml", &resilience_document(&good, false)).unwrap_err();
    assert!(diagnostics.to_string().contains("client_key"), "{diagnostics}");
}
