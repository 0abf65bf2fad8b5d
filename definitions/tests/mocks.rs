//! The ADK `api_mocks` format and our additions, checked against definitions.

use conv_api_definitions::mocks::{self, MockBody, MockFailure, MockOutcome, Repeat};
use conv_api_definitions::{parse_str, Definitions};
use serde_json::json;

/// The APIs the MOCKS.md example mocks.
const DEFINITIONS: &str = include_str!("fixtures/adk/booking-apis.yaml");

/// The example of MOCKS.md (PolyAI ADK's `api_mocks`), unchanged.
const ADK_TEST_CASE: &str = include_str!("fixtures/adk/booking-test-case.yaml");

fn definitions() -> Definitions {
    parse_str("apis.yaml", DEFINITIONS).expect("definitions are valid").definitions
}

fn errors(mocks_yaml: &str) -> Vec<String> {
    let found = mocks::parse_str("case.yaml", mocks_yaml, &definitions()).expect_err("mocks are invalid");
    found.lines().collect()
}

/// The body of the first rule of `mocks_yaml`, which must be valid and answer with a response.
fn first_body(mocks_yaml: &str) -> Option<MockBody> {
    let found = mocks::parse_str("case.yaml", mocks_yaml, &definitions()).unwrap_or_else(|d| panic!("{d}"));
    let MockOutcome::Respond(response) = &found.apis[0].operations[0].rules[0].outcome else { panic!("a response") };
    response.body.clone()
}

#[test]
fn adk_example_loads_unchanged() {
    let found = mocks::parse_str("case.yaml", ADK_TEST_CASE, &definitions()).expect("ADK example is valid");
    let api = &found.apis[0];
    assert_eq!(api.api, "reservations");
    let availability = &api.operations[0];
    assert_eq!(availability.operation, "check_availability");
    assert_eq!(availability.rules.len(), 2);
    assert_eq!(availability.rules[0].repeat, Repeat::Times(2));
    let MockOutcome::Respond(ok) = &availability.rules[1].outcome else { panic!("expected a response") };
    assert_eq!(ok.status, 200);
    assert_eq!(ok.body, Some(MockBody::Json(json!({"available": true, "table_id": 7}))));
    assert_eq!(ok.headers, [("content-type".to_string(), "application/json".to_string())]);
    assert_eq!(api.operations[1].rules[0].repeat, Repeat::Forever);
    assert_eq!(found.strict, None);
}

/// A test case the ADK's PyYAML cannot load is refused here too.
#[test]
fn a_body_pyyaml_cannot_read_is_refused() {
    let case = "api_mocks:\n  reservations:\n    book:\n      - respond: { status: 200, body: | hi }\n";
    let told = "case.yaml:4:39: error: `api_mocks.reservations.book[0].respond.body`: invalid YAML: a key or value inside `{ }` or `[ ]` may not start with `|`";
    assert!(errors(case).iter().any(|line| line.starts_with(told)), "{:#?}", errors(case));
    // `=` as a key is text to PyYAML
    let case =
        "api_mocks:\n  reservations:\n    book:\n      - respond: { status: 200, body: { =: 1, a: [ { =: 2 } ] } }\n";
    assert_eq!(first_body(case), Some(MockBody::Json(json!({ "=": 1, "a": [{ "=": 2 }] }))));
}

/// A part of the wrong shape is shown written right.
#[test]
fn an_empty_api_a_rule_or_headers_of_the_wrong_shape_show_how_they_are_written() {
    let empty_api = errors("api_mocks:\n  reservations:\n");
    assert_eq!(empty_api, ["case.yaml:2:15: error: `api_mocks.reservations` is empty; under an API go the operations it mocks, each with its list of rules, like `reservations: { check_availability: [{ respond: { status: 200 } }] }`; or remove it"]);
    // a misspelt API has its one error
    let misspelt = errors("api_mocks:\n  reservation:\n");
    assert!(misspelt.len() == 1 && misspelt[0].contains("did you mean `reservations`?"), "{misspelt:#?}");
    let rule = errors("api_mocks:\n  reservations:\n    book:\n      - 200\n");
    assert_eq!(rule, ["case.yaml:4:9: error: `api_mocks.reservations.book[0]` must be a mapping (`key: value` lines), found a number; write it like `- respond: { status: 200, body: { id: 1 } }`"]);
    let headers = errors("api_mocks:\n  reservations:\n    book:\n      - respond: { status: 200, headers: [a] }\n");
    assert_eq!(headers, ["case.yaml:4:42: error: `api_mocks.reservations.book[0].respond.headers` must be a mapping (`key: value` lines), found a list; write it like `headers: { content-type: application/json }`"]);
}

#[test]
fn unknown_api_and_operation_are_reported_with_suggestions() {
    let found = errors("api_mocks:\n  reservation:\n    book: [{ respond: { status: 200 } }]\n  reservations:\n    bok: [{ respond: { status: 200 } }]\n");
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found[0].starts_with("case.yaml:2:3: error: `api_mocks.reservation`: no API `reservation`"),
        "{}",
        found[0]
    );
    assert!(found[0].contains("did you mean `reservations`?"));
    assert!(
        found[1].starts_with(
            "case.yaml:5:5: error: `api_mocks.reservations.bok`: API `reservations` has no operation `bok`"
        ),
        "{}",
        found[1]
    );
    assert!(found[1].contains("did you mean `book`?"));
}

#[test]
fn an_api_without_operations_and_definitions_without_apis_say_so() {
    let mocks_with = |definitions: &str, yaml: &str| {
        let definitions = parse_str("apis.yaml", definitions).expect("definitions are valid").definitions;
        let found = mocks::parse_str("case.yaml", yaml, &definitions).expect_err("mocks are invalid");
        found.lines().collect::<Vec<String>>()
    };
    let mocks_of =
        |definitions: &str| mocks_with(definitions, "api_mocks:\n  empty:\n    book: [{ respond: { status: 200 } }]\n");
    let no_operations = "api_integrations:\n  - name: empty\n    environments: { live: {} }\n    operations: []\n";
    assert_eq!(
        mocks_of(no_operations),
        ["case.yaml:3:5: error: `api_mocks.empty.book`: API `empty` has no operation `book`; `empty` has no operations"]
    );
    assert_eq!(
        mocks_with(no_operations, "api_mocks:\n  empty:\n"),
        ["case.yaml:2:8: error: `api_mocks.empty` is empty, and `empty` has no operations to mock; remove it"]
    );
    assert_eq!(
        mocks_of("api_integrations: []\n"),
        ["case.yaml:2:3: error: `api_mocks.empty`: no API `empty` in the definitions; they have no APIs"]
    );
}

#[test]
fn a_condition_query_written_as_a_query_string_is_shown_as_its_mapping() {
    let rule = |query: &str| {
        format!("api_mocks:\n  reservations:\n    check_availability:\n      - when: {{ query: {query} }}\n        respond: {{ status: 200 }}\n")
    };
    let at = "case.yaml:4:24: error: `api_mocks.reservations.check_availability[0].when.query`";
    assert_eq!(
        errors(&rule("\"party=2&size=4\"")),
        [format!("{at} is `party=2&size=4`, a query string; a condition's query is a mapping of its parameters: write `query: {{ party: \"2\", size: \"4\" }}`")]
    );
    assert!(errors(&rule("\"?party=2\""))[0].ends_with("write `query: { party: \"2\" }`"));
    // text that is no query string is told the mapping it must be
    assert_eq!(errors(&rule("party")), [format!("{at} must be a mapping (`key: value` lines), found text")]);
}

#[test]
fn a_failure_written_as_a_mapping_or_list_is_told_the_words() {
    let found =
        errors("api_mocks:\n  reservations:\n    book:\n      - fail: { kind: connect }\n      - fail: [timeout]\n");
    assert_eq!(
        found,
        [
            "case.yaml:4:15: error: `api_mocks.reservations.book[0].fail` must be `timeout` or `connection`, found a mapping; write `fail: timeout` or `fail: connection`",
            "case.yaml:5:15: error: `api_mocks.reservations.book[1].fail` must be `timeout` or `connection`, found a list; write `fail: timeout` or `fail: connection`",
        ]
    );
}

#[test]
fn an_operation_of_another_api_and_an_empty_respond_say_so() {
    let definitions = parse_str(
        "apis.yaml",
        &format!(
            "{DEFINITIONS}  - name: helpdesk\n    environments: {{ live: {{}} }}\n    operations: [{{ name: get_ticket, method: GET, resource: /t }}]\n"
        ),
    )
    .expect("definitions are valid")
    .definitions;
    let yaml =
        "api_mocks:\n  reservations:\n    get_ticket: [{ respond: { status: 200 } }]\n    book:\n      - respond:\n      - fail:\n";
    let found: Vec<String> =
        mocks::parse_str("case.yaml", yaml, &definitions).expect_err("mocks are invalid").lines().collect();
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found[2].starts_with("case.yaml:6:9: error: `api_mocks.reservations.book[1].fail` is empty; write `fail: timeout` or `fail: connection`"), "{}", found[2]);
    assert!(
        found[0].contains("API `reservations` has no operation `get_ticket`, which is an operation of API `helpdesk`; the operations of `reservations` are `check_availability` and `book`"),
        "{}",
        found[0]
    );
    assert!(
        found[1]
            .starts_with("case.yaml:5:9: error: `api_mocks.reservations.book[0].respond` is empty; give it a status"),
        "{}",
        found[1]
    );
}

#[test]
fn rules_under_an_unknown_api_or_operation_are_still_checked() {
    let yaml = "api_mocks:
  reservation:
    book: [{ respond: { status: 700 } }]
  reservations:
    bok:
      - { when: { path: { venue: v1 } }, respond: { status: 200 }, repeat: 0 }
";
    let found = errors(yaml);
    let expected = [
        "case.yaml:2:3: error: `api_mocks.reservation`: no API `reservation`",
        "case.yaml:3:33: error: `api_mocks.reservation.book[0].respond.status`",
        "case.yaml:5:5: error: `api_mocks.reservations.bok`: API `reservations` has no operation `bok`",
        "case.yaml:6:76: error: `api_mocks.reservations.bok[0].repeat`",
    ];
    assert_eq!(found.len(), expected.len(), "{found:?}");
    for (error, start) in found.iter().zip(expected) {
        assert!(error.starts_with(start), "{error} does not start with {start}");
    }
    // the path variables of an operation that does not exist are not judged
    assert!(!found.iter().any(|error| error.contains("venue")), "{found:?}");
}

#[test]
fn response_headers_a_server_could_not_send_are_errors_when_loaded() {
    let found = errors(
        "api_mocks:\n  reservations:\n    book:\n      - respond:\n          status: 200\n          headers: { \"bad name\": x, x-note: \"a\\nb\", x-city: café }\n",
    );
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].starts_with("case.yaml:6:22: error: `api_mocks.reservations.book[0].respond.headers` has `bad name`, which is not a valid HTTP header name"), "{}", found[0]);
    assert!(
        found[1].starts_with(
            "case.yaml:6:45: error: `api_mocks.reservations.book[0].respond.headers.x-note` holds a control character"
        ),
        "{}",
        found[1]
    );
}

/// Null is no text: PyYAML, and so the ADK, reads `x-a: ~` as `None`, not `"null"`.
#[test]
fn a_null_header_or_condition_value_is_an_error_not_the_text_null() {
    let found = errors(
        "api_mocks:\n  reservations:\n    book:\n      - when: { headers: { x-source: ~ } }\n        respond:\n          status: 200\n          headers: { x-a: null, x-b: ~, x-c:, x-d: \"null\", x-e: \"\" }\n",
    );
    let told = |at: &str, name: &str| {
        format!("case.yaml:{at}: error: `api_mocks.reservations.book[0].{name}` is null, not text; write `\"\"` for an empty value, or remove it")
    };
    assert_eq!(
        found,
        [
            told("4:38", "when.headers.x-source"),
            told("7:27", "respond.headers.x-a"),
            told("7:38", "respond.headers.x-b"),
            // left out: at the key, where something is written
            told("7:41", "respond.headers.x-c"),
        ]
    );
}

/// MOCKS.md: header values are text. PyYAML, and so the ADK, reads `5`, `yes` or a
/// date unquoted as other types; each is told to quote it, whatever its name.
#[test]
fn a_response_header_value_yaml_reads_as_no_text_is_an_error_that_says_to_quote_it() {
    let found = errors(
        "api_mocks:\n  reservations:\n    book:\n      - respond:\n          status: 200\n          headers: { x-count: 5, x-flag: yes, x-rate: 1.5, x-e: 1.5e3, x-day: 2024-01-31, \"bad name\": 0x10, x-text: \"5\", x-tagged: !!str 6, x-word: five, x-id: 12345678901234567890 }\n",
    );
    let told = |at: &str, name: &str, written: &str, what: &str| {
        format!("case.yaml:6:{at}: error: `api_mocks.reservations.book[0].respond.headers.{name}` must be text, found `{written}`, which the ADK's YAML reads as {what}; quote it: `{name}: \"{written}\"`")
    };
    assert_eq!(
        found,
        [
            told("31", "x-count", "5", "a number"),
            told("42", "x-flag", "yes", "a boolean"),
            told("55", "x-rate", "1.5", "a number"),
            // `1.5e3` is text in YAML 1.1, whose exponent has a sign
            told("79", "x-day", "2024-01-31", "a date"),
            "case.yaml:6:91: error: `api_mocks.reservations.book[0].respond.headers` has `bad name`, which is not a valid HTTP header name; use letters, digits and `-`".to_string(),
            told("103", "bad name", "0x10", "a number"),
            // past 64 bits
            told("161", "x-id", "12345678901234567890", "a number"),
        ]
    );
}

#[test]
fn a_response_header_name_too_long_to_send_is_an_error_that_does_not_quote_it() {
    let name = "x".repeat(70_000);
    let found = errors(&format!(
        "api_mocks:\n  reservations:\n    book:\n      - respond:\n          status: 200\n          headers: {{ {name}: v }}\n"
    ));
    assert_eq!(
        found,
        ["case.yaml:6:22: error: `api_mocks.reservations.book[0].respond.headers` has a header name, which is 70000 bytes long, more than an HTTP header name may be (65535); shorten it"]
    );
}

#[test]
fn a_byte_order_mark_is_in_no_column_of_a_mocks_file() {
    for text in ["api_mocks: [", "api_mocks:\n  x: \u{7}"] {
        let with_mark = errors(&format!("\u{feff}{text}"));
        assert_eq!(with_mark, errors(text), "{text:?}");
    }
    // a second one, which a YAML reader takes for text, is refused
    let twice = errors("\u{feff}\u{feff}api_mocks: {}");
    assert!(twice.len() == 1 && twice[0].contains("two byte order marks"), "{twice:?}");
}

#[test]
fn bodies_are_typed_as_pyyaml_types_them() {
    // each scalar next to what PyYAML 6's safe_load gives, as JSON (checked with it)
    let cases = [
        ("yes", json!(true)),
        ("No", json!(false)),
        ("ON", json!(true)),
        ("off", json!(false)),
        ("y", json!("y")),
        ("~", json!(null)),
        ("0777", json!(511)),
        ("-0777", json!(-511)),
        ("0b101", json!(5)),
        ("0x_1F", json!(31)),
        ("1_000", json!(1000)),
        ("1__0", json!(10)),
        ("1_", json!(1)),
        ("-0", json!(0)),
        ("08", json!("08")),
        ("0o17", json!("0o17")),
        ("1:30", json!(90)),
        ("-1:30:00", json!(-5400)),
        ("1:60", json!("1:60")),
        ("1.", json!(1.0)),
        ("-1.", json!(-1.0)),
        ("+.5", json!("+.5")),
        (".5", json!(0.5)),
        ("-.5", json!("-.5")),
        ("1e3", json!("1e3")),
        ("1.5e3", json!("1.5e3")),
        ("1.5e+3", json!(1500.0)),
        ("1.5E-3", json!(0.0015)),
        ("12.5_5", json!(12.55)),
        ("1:30.5", json!(90.5)),
        ("-.nan", json!("-.nan")),
        ("12abc", json!("12abc")),
        ("9223372036854775808", json!(9_223_372_036_854_775_808_u64)),
        ("0xFFFFFFFFFFFFFFFF", json!(u64::MAX)),
        ("01777777777777777777777", json!(u64::MAX)),
        ("\"yes\"", json!("yes")),
    ];
    let body: Vec<&str> = cases.iter().map(|(written, _)| *written).collect();
    let yaml = format!(
        "api_mocks:\n  reservations:\n    book:\n      - respond: {{ status: 200, body: [{}] }}\n",
        body.join(", ")
    );
    let parsed = first_body(&yaml);
    let expected: Vec<serde_json::Value> = cases.iter().map(|(_, value)| value.clone()).collect();
    assert_eq!(parsed, Some(MockBody::Json(serde_json::Value::Array(expected))));
}

#[test]
fn body_keys_the_adk_reads_as_one_are_a_duplicate_key() {
    // PyYAML builds a Python dict, where `1 == 1.0 == true` and `0 == -0.0 == false`
    for (keys, first, second) in [
        ("1: a, 1.0: b", "1", "1.0"),
        ("true: a, 0x1: b", "true", "0x1"),
        ("0: a, -0.0: b", "0", "-0.0"),
        ("~: a, null: b", "~", "null"),
        ("off: a, 0: b", "off", "0"),
    ] {
        let yaml =
            format!("api_mocks:\n  reservations:\n    book:\n      - respond: {{ status: 200, body: {{ {keys} }} }}\n");
        let found = errors(&yaml);
        assert_eq!(found.len(), 1, "{found:?}");
        let expected = format!("`api_mocks.reservations.book[0].respond.body` has the keys `{first}` and `{second}`, which are one key in the JSON the ADK sends (the ADK's Python reads both as the same value); keep one");
        assert!(found[0].contains(&expected), "{}", found[0]);
    }
    // a merged key gives way to an explicit one, as PyYAML reads them: its value under the merged key
    let yaml = "api_mocks:\n  reservations:\n    book:\n      - respond: { status: 200, body: &base { 1: a, 2: b } }\n      - respond: { status: 200, body: { <<: *base, 1.0: c, true: d } }\n";
    let found = errors(yaml);
    assert!(found.len() == 1 && found[0].contains("has the keys `1.0` and `true`"), "{found:?}");
    let yaml = "api_mocks:\n  reservations:\n    book:\n      - respond: { status: 200, body: &base { 1: a, 2: b } }\n      - respond: { status: 200, body: { <<: *base, 1.0: c } }\n";
    let parsed = mocks::parse_str("case.yaml", yaml, &definitions()).unwrap_or_else(|d| panic!("{d}"));
    let MockOutcome::Respond(response) = &parsed.apis[0].operations[0].rules[1].outcome else { panic!("a response") };
    assert_eq!(response.body, Some(MockBody::Json(json!({"1": "c", "2": "b"}))));
    // keys Python tells apart that `json.dumps` writes alike: the agent's JSON reader keeps one
    for (keys, first, second) in
        [("1: a, '1': b", "1", "'1'"), ("yes: a, 'true': b", "yes", "'true'"), ("~: a, \"null\": b", "~", "'null'")]
    {
        let yaml =
            format!("api_mocks:\n  reservations:\n    book:\n      - respond: {{ status: 200, body: {{ {keys} }} }}\n");
        let found = errors(&yaml);
        let expected = format!("`api_mocks.reservations.book[0].respond.body` has the keys `{first}` and `{second}`, which are one key in the JSON the ADK sends (JSON writes both as the same text); keep one");
        assert!(found.len() == 1 && found[0].contains(&expected), "{found:?}");
    }
    let found = errors("api_mocks:\n  reservations:\n    book:\n      - respond:\n          status: 200\n          body: { a: 1, 'a': 2, b: 3, b: 4 }\n");
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found[0].starts_with("case.yaml:6:25: error: ")
            && found[0].contains("has the keys `a` and `'a'`, which are one key"),
        "{found:?}"
    );
    assert_eq!(found[1], "case.yaml:6:39: error: duplicate key `b` in `api_mocks.reservations.book[0].respond.body` (first at line 6, column 33); keep one");
    // different to Python too: kept apart
    let yaml = "api_mocks:\n  reservations:\n    book:\n      - respond: { status: 200, body: { 1: a, \"1.0\": b, 1.5: c, 2: d } }\n";
    assert_eq!(first_body(yaml), Some(MockBody::Json(json!({"1": "a", "1.0": "b", "1.5": "c", "2": "d"}))));
}

#[test]
fn a_rule_written_without_its_dash_is_read_as_the_operations_one_rule() {
    let found = errors("api_mocks:\n  reservations:\n    book:\n      respond: { status: 99 }\n      repeat: 2\n");
    assert_eq!(
        found,
        [
            "case.yaml:4:7: error: `api_mocks.reservations.book` must be a list of rules (`- respond: { status: 200 }`), found one rule written as a mapping, not as a list entry: put `- ` before `respond:` and indent the rule's other keys two more spaces, to line up with `respond:`",
            "case.yaml:4:26: error: `api_mocks.reservations.book[0].respond.status` must be an HTTP status from 100 to 599, found `99`",
        ]
    );
    let fixed = "api_mocks:\n  reservations:\n    book:\n      - respond: { status: 201 }\n        repeat: 2\n";
    assert!(mocks::parse_str("case.yaml", fixed, &definitions()).is_ok());
    // `-respond:`, its `- ` without the space, is told the space and read as the rule
    let found = errors("api_mocks:\n  reservations:\n    book:\n      -respond: { status: 99 }\n");
    assert!(found[0].contains("`-respond:` has no space after its `-`"), "{found:?}");
    assert!(found.len() == 2 && found[1].ends_with("must be an HTTP status from 100 to 599, found `99`"), "{found:?}");
}

#[test]
fn a_rule_key_as_another_format_names_it_says_this_formats_word() {
    let found = errors("api_mocks:\n  reservations:\n    book:\n      - respond: { code: 700, json: { ok: true } }\n        times: 2\n");
    assert_eq!(
        found,
        [
            "case.yaml:4:20: error: unknown key `code` in `api_mocks.reservations.book[0].respond`; this format calls it `status`",
            "case.yaml:4:26: error: `api_mocks.reservations.book[0].respond.status` must be an HTTP status from 100 to 599, found `700`",
            "case.yaml:4:31: error: unknown key `json` in `api_mocks.reservations.book[0].respond`; this format calls it `body`",
            "case.yaml:5:9: error: unknown key `times` in `api_mocks.reservations.book[0]`; this format calls it `repeat`",
        ]
    );
    let found = errors("api_mocks:\n  reservations:\n    book:\n      - match: { query: { party: '2' } }\n        error: timeout\n        latency: 2s\n");
    let keys = [
        "`match` in `api_mocks.reservations.book[0]`; this format calls it `when`",
        "`error` in `api_mocks.reservations.book[0]`; this format calls it `fail`",
        "`latency` in `api_mocks.reservations.book[0]`; this format calls it `delay`",
    ];
    assert_eq!(found.len(), 3, "{found:?}");
    for (line, key) in found.iter().zip(keys) {
        assert!(line.ends_with(&format!("unknown key {key}")), "{line}");
    }
}

#[test]
fn a_status_alone_as_the_response_and_a_word_for_forever_say_what_to_write() {
    let found = errors("api_mocks:\n  reservations:\n    book:\n      - respond: 201\n        repeat: Forever\n");
    assert_eq!(
        found,
        [
            "case.yaml:4:18: error: `api_mocks.reservations.book[0].respond` must be a mapping (`key: value` lines), found a number; a status goes under `status:`, like `respond: { status: 201 }`",
            "case.yaml:5:17: error: `api_mocks.reservations.book[0].repeat` must be a number of calls, 1 or more, or `-1` for forever, found the text `Forever`; write `-1` for forever",
        ]
    );
    let fixed = "api_mocks:\n  reservations:\n    book:\n      - respond: { status: 201 }\n        repeat: -1\n";
    assert!(mocks::parse_str("case.yaml", fixed, &definitions()).is_ok());
    // a number that is no status is not shown as one
    let found = errors("api_mocks:\n  reservations:\n    book:\n      - respond: 2001\n");
    assert!(found[0].ends_with("like `respond: { status: 200 }`"), "{found:?}");
}

#[test]
fn apis_or_operations_written_as_list_entries_are_told_to_drop_the_dash_and_still_checked() {
    let found = errors("api_mocks:\n  - reservations:\n      book:\n        - respond: { status: 99 }\n");
    assert_eq!(
        found,
        [
            "case.yaml:2:3: error: `api_mocks` must be a mapping (`key: value` lines), found a list; the APIs are its keys, not list entries: remove the `- ` before `reservations:`",
            "case.yaml:4:30: error: `api_mocks.reservations.book[0].respond.status` must be an HTTP status from 100 to 599, found `99`",
        ]
    );
    let found = errors("api_mocks:\n  reservations:\n    - book: [{ respond: { status: 201 } }]\n    - check_availability: [{ respond: { status: 200 } }]\n");
    assert_eq!(found, ["case.yaml:3:5: error: `api_mocks.reservations` must be a mapping (`key: value` lines), found a list; the operations are its keys, not list entries: remove the `- ` before `book:` and each other operation"]);
    // rules written right under the API are no operations: they are told to go under one
    let found = errors("api_mocks:\n  reservations:\n    - respond: { status: 201 }\n");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with("case.yaml:3:5: error: `api_mocks.reservations` is a list of rules, with no operation")
    );
}

/// Rules listed right under `api_mocks:`, without their API and operation, are told
/// where rules go, once: not told to drop their `- ` as if `respond:` named an API.
#[test]
fn rules_listed_right_under_api_mocks_are_not_told_their_keys_are_apis() {
    let found = errors("api_mocks:\n  - respond: { status: 200 }\n  - fail: timeout\n");
    assert_eq!(found, ["case.yaml:2:3: error: `api_mocks` is a list of rules, with no API or operation: it must be a mapping (`key: value` lines) of API names, each holding its operations, each of those the list of its rules: `api_mocks: { reservations: { check_availability: [ { respond: { status: 200 } } ] } }`"]);
}

/// Mocks written as records that name their API and operation in fields, as other
/// mock tools write them, are told the mapping this format reads, once: not told to
/// drop a `- `, nor each field called an API the definitions lack.
#[test]
fn mocks_written_as_records_are_told_the_mapping_once() {
    let found = errors("api_mocks:\n  - api: reservations\n    operation: book\n    response: { status: 200 }\n  - api: reservations\n    operation: check_availability\n    response: { status: 503 }\n");
    assert_eq!(
        found,
        ["case.yaml:2:3: error: `api_mocks` must be a mapping (`key: value` lines) of API names, found a list of records that name their API and operation in fields; each API is a key under `api_mocks:`, each of its operations a key under it, holding the operation's rules: `api_mocks: { reservations: { book: [ { respond: { status: 200 } } ] } }`"]
    );
    // names the definitions lack are not offered
    let found = errors("api_mocks:\n  - service: billing\n    endpoint: pay\n");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].ends_with("`api_mocks: { my_api: { my_operation: [ { respond: { status: 200 } } ] } }`"),
        "{found:?}"
    );
    // no records: an empty list, operations or misspelt APIs listed, keep their own messages
    let empty = errors("api_mocks: []\n");
    assert!(
        empty.len() == 1 && empty[0].ends_with("`api_mocks` must be a mapping (`key: value` lines), found a list"),
        "{empty:?}"
    );
    let operations = errors("api_mocks:\n  - book: [{ respond: { status: 201 } }]\n    check_availability: [{ respond: { status: 200 } }]\n");
    assert!(
        operations.iter().any(|line| line.contains("`book` is an operation of API `reservations`")),
        "{operations:?}"
    );
    let misspelt = errors(
        "api_mocks:\n  - reservation: { book: [{ respond: { status: 201 } }] }\n    reservatons: { book: [] }\n",
    );
    assert!(misspelt.iter().any(|line| line.contains("did you mean `reservations`")), "{misspelt:?}");
    assert!(!misspelt.iter().any(|line| line.contains("list of records")), "{misspelt:?}");
}

/// A list under `api_mocks:` whose entries name a rule's keys, an API or an operation
/// is no list of records, though an entry has two keys and one of text; nor is a list
/// of one-key entries: each keeps its own message.
#[test]
fn a_list_of_rule_keys_apis_operations_or_single_keys_is_not_told_it_is_records() {
    for list in [
        "  - respond: { status: 200 }\n    repeat: 2\n",
        "  - reservations: { book: [{ respond: { status: 201 } }] }\n    note: booked\n",
        "  - book: [{ respond: { status: 201 } }]\n    note: booked\n",
        "  - note: booked\n",
    ] {
        let found = errors(&format!("api_mocks:\n{list}"));
        assert!(!found.iter().any(|line| line.contains("list of records")), "{list}: {found:#?}");
    }
}

#[test]
fn bad_status_and_repeat_values_are_errors() {
    let found = errors(
        "api_mocks:\n  reservations:\n    book:\n      - respond: { status: 99 }\n      - respond: { status: 200 }\n        repeat: 0\n      - respond: { status: 200 }\n        repeat: -2\n",
    );
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found[0].contains("4:28: error: `api_mocks.reservations.book[0].respond.status` must be an HTTP status from 100 to 599, found `99`"), "{}", found[0]);
    assert!(found[1].contains("6:17: error: `api_mocks.reservations.book[1].repeat` must be a number of calls, 1 or more, or `-1` for forever, found `0`"), "{}", found[1]);
    assert!(found[2].contains("found `-2`"));
    for (written, found) in [("2.5", "`2.5`"), ("-99999999999999999999", "`-99999999999999999999`"), ("1e3", "`1e3`")] {
        let yaml = format!(
            "api_mocks:\n  reservations:\n    book:\n      - respond: {{ status: 200 }}\n        repeat: {written}\n"
        );
        let wrong = errors(&yaml);
        assert!(wrong[0].contains(&format!("or `-1` for forever, found {found}")), "{wrong:?}");
    }
}

#[test]
fn any_countable_repeat_is_a_count_as_the_adk_reads_it() {
    for (written, times) in [
        ("4294967296", 4_294_967_296),
        ("1000000000000", 1_000_000_000_000),
        ("18446744073709551615", u64::MAX),
        ("0x10", 16),
        // PyYAML's YAML 1.1: a leading zero is octal, `_` groups digits
        ("010", 8),
        ("1_000", 1000),
    ] {
        let yaml = format!(
            "api_mocks:\n  reservations:\n    book:\n      - respond: {{ status: 200 }}\n        repeat: {written}\n"
        );
        let found = mocks::parse_str("case.yaml", &yaml, &definitions()).unwrap_or_else(|d| panic!("{written}: {d}"));
        assert_eq!(found.apis[0].operations[0].rules[0].repeat, Repeat::Times(times), "{written}");
    }
    let yaml = "api_mocks:\n  reservations:\n    book:\n      - respond: { status: 200 }\n        repeat: 18446744073709551616\n";
    let past = errors(yaml);
    assert_eq!(past.len(), 1, "{past:?}");
    assert!(
        past[0].contains("5:17: error: `api_mocks.reservations.book[0].repeat` is `18446744073709551616`, more calls than can be counted (at most 18446744073709551615); `-1` answers forever"),
        "{past:?}"
    );
}

#[test]
fn a_status_is_typed_as_the_adk_types_it() {
    let yaml = "api_mocks:\n  reservations:\n    book:\n      - respond: { status: 0310 }\n";
    let found = mocks::parse_str("case.yaml", yaml, &definitions()).expect("octal 310 is 200");
    let rule = &found.apis[0].operations[0].rules[0];
    assert!(matches!(&rule.outcome, MockOutcome::Respond(response) if response.status == 200), "{rule:?}");
}

#[test]
fn a_body_with_an_error_hides_no_error_of_the_headers() {
    let found = errors(
        "api_mocks:\n  reservations:\n    book:\n      - respond:\n          status: 200\n          body: { day: 2024-01-31 }\n          headers: { \"bad header\": x }\n",
    );
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].contains("6:"), "the date: {found:?}");
    assert!(found[1].contains("7:22: error:") && found[1].contains("not a valid HTTP header name"), "{found:?}");
}

#[test]
fn a_quoted_status_or_repeat_is_found_as_text() {
    let found = errors(
        "api_mocks:\n  reservations:\n    book:\n      - respond: { status: \"404\" }\n        repeat: '2'\n      - respond: { status: 200 }\n",
    );
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found[0].ends_with(
            "status` must be an HTTP status from 100 to 599, found the text `404`; write `404` without the quotes"
        ),
        "{}",
        found[0]
    );
    assert!(
        found[1].ends_with("repeat` must be a number of calls, 1 or more, or `-1` for forever, found the text `2`; write `2` without the quotes"),
        "{}",
        found[1]
    );
    // text that would be no status or count unquoted either is not told to be unquoted
    let found = errors(
        "api_mocks:\n  reservations:\n    book:\n      - respond: { status: \"99\" }\n        repeat: ' 2'\n      - respond: { status: 200 }\n",
    );
    assert!(found.iter().all(|line| !line.contains("without the quotes")), "{found:?}");
}

#[test]
fn forever_is_allowed_only_on_the_last_rule() {
    let found = errors(
        "api_mocks:\n  reservations:\n    book:\n      - respond: { status: 500 }\n        repeat: -1\n      - respond: { status: 200 }\n",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("5:17: error: `api_mocks.reservations.book[0].repeat` is `-1` (forever)"),
        "{}",
        found[0]
    );
    let written_long = errors(
        "api_mocks:\n  reservations:\n    book:\n      - respond: { status: 500 }\n        repeat: -01\n      - respond: { status: 200 }\n",
    );
    assert!(written_long.len() == 1 && written_long[0].contains("(forever)"), "`-01` is -1: {written_long:?}");
    // rules with errors of their own still count, and keep their place in the list
    let found = errors(
        "api_mocks:\n  reservations:\n    book:\n      - respond: { status: 200, body: { day: 2026-12-24 } }\n      - respond: { status: 500 }\n        repeat: -1\n      - respond: { status: 200 }\n        repeat: -2\n",
    );
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(
        found.iter().any(|e| e.contains("6:17: error: `api_mocks.reservations.book[1].repeat` is `-1`")),
        "{found:?}"
    );
    assert!(found.iter().any(|e| e.contains("book[2].repeat")), "{found:?}");
}

#[test]
fn forever_is_allowed_before_other_rules_on_a_rule_with_when() {
    let yaml = "api_mocks:\n  reservations:\n    check_availability:\n      - when: { path: { venue_id: 5 } }\n        respond: { status: 200 }\n        repeat: -1\n      - respond: { status: 404 }\n";
    let found = mocks::parse_str("case.yaml", yaml, &definitions()).expect("the later rule answers other venues");
    let rules = &found.apis[0].operations[0].rules;
    assert_eq!((rules.len(), rules[0].repeat), (2, Repeat::Forever));
}

#[test]
fn a_when_without_a_condition_leaves_forever_to_the_last_rule() {
    // a condition that is null (`headers:` with nothing under it) is none either
    let whens = [
        "when:",
        "when: {}",
        "when: { headers: {} }",
        "when: { query: {}, path: {} }",
        "when: { headers: }",
        "when: { query: ~ }",
    ];
    for when in whens {
        let yaml = format!("api_mocks:\n  reservations:\n    book:\n      - {when}\n        respond: {{ status: 503 }}\n        repeat: -1\n      - respond: {{ status: 201 }}\n");
        let found =
            mocks::parse_str("case.yaml", &yaml, &definitions()).err().map(|d| d.to_string()).unwrap_or_default();
        assert!(
            found.contains("6:17: error: `api_mocks.reservations.book[0].repeat` is `-1` (forever)"),
            "{when}: {found}"
        );
    }
    // a body to match, even `{}`, leaves calls without a JSON object body to the rules after
    let yaml = "api_mocks:\n  reservations:\n    book:\n      - when: { body: {} }\n        respond: { status: 503 }\n        repeat: -1\n      - respond: { status: 201 }\n";
    assert!(mocks::parse_str("case.yaml", yaml, &definitions()).is_ok());
}

/// Whether a rule answers every call of its operation forever, which the runtime asks
/// of the rules built in code to tell that the rules after one never answer: `repeat:
/// -1` with no condition (`when: { headers: {} }` is none); any one condition, a body
/// `{}` too, leaves calls to the rules after it.
#[test]
fn a_rule_answers_every_call_forever_only_when_it_repeats_forever_without_a_condition() {
    let yaml = "api_mocks:
  reservations:
    check_availability:
      - { when: { path: { venue_id: 5 } }, respond: { status: 200 }, repeat: -1 }
      - { when: { query: { day: mon } }, respond: { status: 200 }, repeat: -1 }
      - { when: { headers: { x-tenant: acme } }, respond: { status: 200 }, repeat: -1 }
      - { when: { headers: {} }, respond: { status: 503 }, repeat: -1 }
    book:
      - { when: { body: {} }, respond: { status: 200 }, repeat: -1 }
      - { respond: { status: 201 }, repeat: 2 }
      - { respond: { status: 503 }, repeat: -1 }
";
    let found = mocks::parse_str("case.yaml", yaml, &definitions()).unwrap_or_else(|d| panic!("{d}"));
    let forever = |op: usize| -> Vec<bool> {
        found.apis[0].operations[op].rules.iter().map(|rule| rule.answers_every_call_forever()).collect()
    };
    assert_eq!(forever(0), [false, false, false, true], "a path, query or header condition, then none");
    assert_eq!(forever(1), [false, false, true], "a body condition, a count, then forever without a condition");
    let conditions: Vec<bool> = found.apis[0].operations[0]
        .rules
        .iter()
        .map(|rule| rule.when.as_ref().is_some_and(|when| !when.matches_every_call()))
        .collect();
    assert_eq!(conditions, [true, true, true, false]);
}

#[test]
fn unquoted_dates_in_bodies_are_rejected() {
    let found =
        errors("api_mocks:\n  reservations:\n    book:\n      - respond: { status: 200, body: { day: 2026-12-24 } }\n");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("`api_mocks.reservations.book[0].respond.body.day` is the unquoted date `2026-12-24`"));
    assert!(found[0].contains("quote it"));
}

#[test]
fn tags_in_bodies_are_read_as_pyyaml_reads_them_or_reported_with_the_other_errors() {
    let yaml = "api_mocks:
  reservations:
    book:
      - respond: { status: 200, body: { flag: !!bool yes, id: !!str 7, seats: ! 2 } }
      - respond: { status: 200, body: { token: !env TOKEN, day: 2026-12-24 } }
";
    let found = errors(yaml);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].starts_with("case.yaml:5:48: error: `api_mocks.reservations.book[1].respond.body.token`: the YAML tag `!env` is not supported"), "{found:?}");
    assert!(found[1].contains("the unquoted date `2026-12-24`"), "{found:?}");

    let fine = yaml.lines().take(4).collect::<Vec<_>>().join("\n");
    let parsed = first_body(&fine);
    assert_eq!(parsed, Some(MockBody::Json(json!({"flag": true, "id": "7", "seats": 2}))));
}

/// `!!float` makes a float of what PyYAML's constructor reads as one, whatever the
/// text is untagged: `1e3` (text in YAML 1.1) and `1` (an integer) are `1000.0` and
/// `1.0`, as the ADK's JSON has them; what it cannot read is an error.
#[test]
fn a_float_tag_in_a_body_gives_the_float_pyyaml_constructs() {
    let body = |written: &str| {
        first_body(&format!(
            "api_mocks:\n  reservations:\n    book:\n      - respond: {{ status: 200, body: {written} }}\n"
        ))
    };
    let floats =
        "{ e: !!float 1e3, one: !!float 1, grouped: !!float 1_0, quoted: !!float '2.5', sixty: !!float '1:30' }";
    assert_eq!(
        body(floats),
        Some(MockBody::Json(json!({"e": 1000.0, "one": 1.0, "grouped": 10.0, "quoted": 2.5, "sixty": 90.0})))
    );
    let Some(MockBody::Json(keyed)) = body("{ !!float 1: x }") else { panic!("a JSON body") };
    assert_eq!(serde_json::to_string(&keyed).unwrap(), r#"{"1.0":"x"}"#);
    let found =
        errors("api_mocks:\n  reservations:\n    book:\n      - respond: { status: 200, body: !!float 0x10 }\n");
    assert!(found.len() == 1 && found[0].contains("the YAML tag `!!float`"), "{found:?}");
    // a status must be a whole number, tagged or not
    let found = errors("api_mocks:\n  reservations:\n    book:\n      - respond: { status: !!float 200 }\n");
    assert!(found.len() == 1 && found[0].ends_with("found `!!float 200`, a float"), "{found:?}");
}

#[test]
fn unquoted_dates_as_body_keys_are_rejected_where_they_are_written() {
    let found = errors(
        "api_mocks:\n  reservations:\n    book:\n      - when: { body: { 2026-12-23: any } }\n        respond:\n          status: 200\n          body:\n            '2026-12-24': booked\n            2026-12-25: full\n",
    );
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].starts_with("case.yaml:4:25: error: `api_mocks.reservations.book[0].when.body` has the unquoted date `2026-12-23` as a key"), "{found:?}");
    assert!(found[1].starts_with("case.yaml:9:13: error: `api_mocks.reservations.book[0].respond.body` has the unquoted date `2026-12-25` as a key"), "{found:?}");
    assert!(found[1].contains("quote it: `\"2026-12-25\"`"), "{found:?}");
}

#[test]
fn an_unknown_path_variable_is_reported_at_its_key() {
    let found = errors(
        "api_mocks:\n  reservations:\n    check_availability:\n      - when:\n          path:\n            venue_id: 1\n            venue: 2\n        respond: { status: 200 }\n",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("case.yaml:7:13: error: `api_mocks.reservations.check_availability[0].when.path.venue`"),
        "{found:?}"
    );
}

#[test]
fn a_path_variable_no_call_can_have_is_an_error_at_its_value() {
    let rule = |value: &str| {
        format!("api_mocks:\n  reservations:\n    check_availability:\n      - when: {{ path: {{ venue_id: {value} }} }}\n        respond: {{ status: 200 }}\n")
    };
    let at = "case.yaml:4:35: error: `api_mocks.reservations.check_availability[0].when.path.venue_id` is";
    let fix = "so this rule would match no call; write the value to match, like `venue_id: \"42\"`";
    for (value, told) in [("\"\"", "empty"), ("..", "`..`"), ("\"%2e\"", "`%2e`")] {
        let found = errors(&rule(value));
        assert_eq!(found.len(), 1, "{value}: {found:?}");
        assert!(found[0].starts_with(&format!("{at} {told}, and a call")) && found[0].ends_with(fix), "{found:?}");
    }
    let found = errors(&rule("null"));
    assert_eq!(found, [format!("{at} null, which no call's path variable is; write the value to match, like `venue_id: \"42\"`, or remove it")]);
}

#[test]
fn text_that_only_starts_like_a_date_is_text_and_big_numbers_stay_numbers() {
    let body = "{ phone: 0207-555-1234, ref: 2023-12-A7, big: 12345678901234567890 }";
    let yaml = format!("api_mocks:\n  reservations:\n    book:\n      - respond: {{ status: 200, body: {body} }}\n");
    let parsed = first_body(&yaml);
    let expected = json!({"phone": "0207-555-1234", "ref": "2023-12-A7", "big": 12345678901234567890u64});
    assert_eq!(parsed, Some(MockBody::Json(expected)));
    let found = errors(
        "api_mocks:\n  reservations:\n    book:\n      - respond: { status: 200, body: 123456789012345678901 }\n",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("past the 64-bit integers the agent's JSON values hold; quote it"), "{found:?}");
    for big in ["0x1FFFFFFFFFFFFFFFF", &format!("0x{}", "F".repeat(40)), "-9223372036854775809"] {
        let found = errors(&format!(
            "api_mocks:\n  reservations:\n    book:\n      - respond: {{ status: 200, body: {big} }}\n"
        ));
        assert!(found.len() == 1 && found[0].contains("past the 64-bit integers"), "{big}: {found:?}");
    }
}

#[test]
fn quoted_dates_and_every_json_kind_are_kept() {
    let yaml = "api_mocks:\n  reservations:\n    book:\n      - respond:\n          status: 200\n          body: { day: \"2026-12-24\", n: 1.5, list: [1, null, true, text], nested: { a: [] } }\n";
    let parsed = first_body(yaml);
    assert_eq!(
        parsed,
        Some(MockBody::Json(
            json!({"day": "2026-12-24", "n": 1.5, "list": [1, null, true, "text"], "nested": {"a": []}})
        ))
    );
}

#[test]
fn extensions_when_delay_fail_and_strict() {
    let yaml = "strict: true\napi_mocks:\n  reservations:\n    check_availability:\n      - when:\n          path: { venue_id: 7 }\n          query: { party: 2 }\n          headers: { x-source: agent }\n        respond: { status: 200, body: full }\n        delay: 250ms\n      - fail: timeout\n      - fail: connection\n";
    let found = mocks::parse_str("case.yaml", yaml, &definitions()).expect("mocks are valid");
    assert_eq!(found.strict, Some(true));
    // typed as PyYAML types the rest of the file
    let yes = mocks::parse_str("case.yaml", &yaml.replace("strict: true", "strict: yes"), &definitions());
    assert_eq!(yes.expect("valid").strict, Some(true));
    let rules = &found.apis[0].operations[0].rules;
    let when = rules[0].when.as_ref().expect("first rule matches");
    assert_eq!(when.path, [("venue_id".to_string(), "7".to_string())]);
    assert_eq!(when.query, [("party".to_string(), "2".to_string())]);
    assert_eq!(rules[0].delay, Some(std::time::Duration::from_millis(250)));
    assert_eq!(rules[1].outcome, MockOutcome::Fail(MockFailure::Timeout));
    assert_eq!(rules[2].outcome, MockOutcome::Fail(MockFailure::Connection));
}

#[test]
fn extension_mistakes_are_reported() {
    let found = errors(
        "api_mocks:\n  reservations:\n    check_availability:\n      - when: { path: { venue: 7 } }\n        respond: { status: 200 }\n      - fail: timout\n      - respond: { status: 200 }\n        fail: timeout\n      - repeat: 2\n      - respond: { status: 200 }\n        dealy: 1s\n",
    );
    assert_eq!(found.len(), 5, "{found:?}");
    assert!(found[0].contains(
        "`check_availability` has no path variable `venue`; did you mean `venue_id`? the path variables are `venue_id`"
    ));
    assert!(found[1].contains("did you mean `timeout`?"));
    assert!(found[2].contains("has both `respond` and `fail`"));
    assert!(found[3].contains(".respond` is missing; add it, like `respond: { status: 200 }`"));
    assert!(found[4].contains("unknown key `dealy`") && found[4].contains("did you mean `delay`?"));
}

#[test]
fn a_rule_with_both_respond_and_fail_still_has_each_read() {
    let found = errors("api_mocks:\n  reservations:\n    check_availability:\n      - respond: { status: 700 }\n        fail: tiemout\n");
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(
        found[0].starts_with("case.yaml:4:9: error: ") && found[0].contains("has both `respond` and `fail`"),
        "{found:?}"
    );
    assert!(found[1].starts_with("case.yaml:4:28: error: ") && found[1].contains("found `700`"), "{found:?}");
    assert!(
        found[2].starts_with("case.yaml:5:15: error: ") && found[2].contains("did you mean `timeout`?"),
        "{found:?}"
    );
}

#[test]
fn a_test_case_without_api_mocks_mocks_nothing_unless_a_key_looks_like_a_typo() {
    for case in ["name: a test\nscenario: no API is called\n", "name: a test\napi_mocks:\n"] {
        let found = mocks::parse_str("case.yaml", case, &definitions()).expect("a test case may carry no mocks");
        assert!(found.apis.is_empty(), "{case}");
    }
    for slip in ["api_mock", "apiMocks", "API-MOCKS", "api_mokcs", "api_mocsk", "apimocks"] {
        let found = errors(&format!("name: a test\n{slip}:\n  reservations: {{}}\n"));
        assert_eq!(found.len(), 1, "{slip}: {found:?}");
        assert!(found[0].contains(&format!("no `api_mocks` key (is `{slip}` a typo?)")), "{}", found[0]);
        assert!(found[0].starts_with("case.yaml:2:1: error:"), "at the key: {}", found[0]);
    }
    // a character that shows as nothing, pasted into the key, shown escaped
    for invisible in ['\u{200b}', '\u{2060}', '\u{200e}', '\u{feff}'] {
        let found = errors(&format!("name: a test\napi_{invisible}mocks:\n  reservations: {{}}\n"));
        let shown = format!("(is `api_{}mocks` a typo?)", invisible.escape_default());
        assert!(found.len() == 1 && found[0].contains(&shown), "{found:?}");
    }
}

/// A key with a letter too many (`api_mockss`, `apis_mocks`) is a slip of `api_mocks`
/// as one with a letter too few or two swapped is: refused, not ignored.
#[test]
fn a_key_with_a_letter_too_many_is_a_slip_of_api_mocks() {
    for slip in ["api_mockss", "apis_mocks"] {
        let found = errors(&format!("name: a test\n{slip}:\n  reservations: {{}}\n"));
        assert!(found.len() == 1 && found[0].contains(&format!("(is `{slip}` a typo?)")), "{slip}: {found:?}");
    }
}

/// The two files given the other way round: definitions as a test case mock nothing,
/// which a warning says; a test case as definitions is one error (in `rules`).
#[test]
fn a_definitions_file_given_as_a_test_case_is_warned_that_it_mocks_nothing() {
    let found = mocks::parse_str("apis.yaml", DEFINITIONS, &definitions()).expect("a test case may carry no mocks");
    assert!(found.apis.is_empty());
    let warnings: Vec<String> = found.warnings.iter().map(|warning| warning.render("apis.yaml")).collect();
    assert_eq!(
        warnings,
        ["apis.yaml:1:1: warning: this is a definitions file (its `api_integrations:` holds APIs), not a test case, so nothing is mocked; a test case holds `api_mocks:`, and is checked beside the definitions it mocks, with `conv-api check DEFINITIONS --mocks TEST_CASE`"]
    );
}

#[test]
fn a_test_case_key_further_from_api_mocks_than_a_slip_is_its_own_and_ignored() {
    for key in ["api_notes", "api_docs", "api_tools", "api_tasks", "api_hooks", "api_mocks_v2", "mocks"] {
        let case = format!("name: Greets the caller\nscenario: Say hello.\n{key}: anything\n");
        let found = mocks::parse_str("case.yaml", &case, &definitions());
        assert!(found.is_ok_and(|found| found.apis.is_empty()), "{key}");
    }
}

#[test]
fn a_mocks_file_is_read_as_a_definitions_file_is_utf16_and_size_told() {
    let dir = std::env::temp_dir().join(format!("conv-api-mocks-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let utf16 = dir.join("utf16.yaml");
    let bytes: Vec<u8> =
        [0xFF, 0xFE].into_iter().chain("api_mocks: {}\n".encode_utf16().flat_map(u16::to_le_bytes)).collect();
    std::fs::write(&utf16, bytes).unwrap();
    let large = dir.join("large.yaml");
    std::fs::write(&large, "#".repeat(conv_api_definitions::MAX_FILE_BYTES + 1)).unwrap();
    let error = |path: &std::path::Path| mocks::load(path, &definitions()).unwrap_err().to_string();
    assert!(error(&utf16).ends_with(":1:1: error: the file is UTF-16 text (as PowerShell's `>` and some Windows editors write it); save it as UTF-8"), "{}", error(&utf16));
    assert!(
        error(&large).ends_with(
            ":1:1: error: the file is larger than the 16 MiB a mocks file may have; split it into smaller files"
        ),
        "{}",
        error(&large)
    );
    let absent = mocks::load(dir.join("absent.yaml"), &definitions()).unwrap_err();
    assert!(absent.to_string().contains("absent.yaml: error: cannot read the mocks file: "), "{absent}");
    assert!(std::error::Error::source(&absent).is_none(), "the reason is in the message: a chain would say it twice");
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let odd = dir.join(std::ffi::OsStr::from_bytes(b"m\xff.yaml"));
        std::fs::write(&odd, "api_mocks: [\n").unwrap();
        assert!(error(&odd).contains("/m\\xff.yaml:"), "escaped, as a definitions file's name: {}", error(&odd));
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_test_cases_other_keys_are_ignored_even_repeated_but_api_mocks_twice_is_an_error() {
    let repeated = format!("{ADK_TEST_CASE}prompt_assertions:\n  - The agent says goodbye\nname: again\n");
    let found =
        mocks::parse_str("case.yaml", &repeated, &definitions()).expect("the others are not read, even repeated");
    assert_eq!(found.apis[0].operations.len(), 2);
    let twice = format!("{ADK_TEST_CASE}api_mocks:\n  reservations: {{}}\n");
    let found = errors(&twice);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("duplicate key `api_mocks`"), "{}", found[0]);
}

#[test]
fn a_yaml_tag_pyyaml_reads_in_a_key_not_read_is_ignored_with_the_key() {
    let case = format!("created: !!timestamp 2024-01-31\nblob: !!binary aGVsbG8=\n{ADK_TEST_CASE}");
    let found = mocks::parse_str("case.yaml", &case, &definitions()).expect("the other keys are not read");
    assert_eq!(found.apis[0].operations.len(), 2);
    // in a key that is read, the tag is still an error
    let tagged = "api_mocks:\n  reservations:\n    book:\n      - respond: { status: 200, body: !!binary aGVsbG8= }\n";
    let found = errors(tagged);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("4:39: error: `api_mocks.reservations.book[0].respond.body`: the YAML tag `!!binary`"),
        "{found:?}"
    );
}

/// A YAML tag in a key this loader does not read is ignored wherever the key is
/// written: after `api_mocks:` as before it.
#[test]
fn a_yaml_tag_in_a_key_not_read_after_api_mocks_is_ignored_too() {
    let case = format!("{ADK_TEST_CASE}created: !!timestamp 2024-01-31\n");
    let found = mocks::parse_str("case.yaml", &case, &definitions()).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(found.apis[0].operations.len(), 2);
}

#[test]
fn a_byte_order_mark_takes_no_column_as_in_a_definitions_file() {
    for first_line in ["api_mock: {}\n", "api_mocks: { reservation: 3 }\n"] {
        let plain = errors(first_line);
        assert!(!plain.is_empty() && plain.iter().all(|error| error.contains("case.yaml:1:")), "{plain:?}");
        assert_eq!(errors(&format!("\u{feff}{first_line}")), plain);
    }
}

#[test]
fn body_keys_are_the_json_text_pyyaml_and_json_dumps_give() {
    let body = "{ yes: 1, 2: a, 0x10: b, ~: c, 1.5: d, 1.0e+20: e, 0.00001: f, .inf: h, 1_000: i, 010: j, 99999999999999999999: k, Off: l, 1:30: m, 1.0e+16: p, 1.0e+15: q, 0.0001: r, \"quoted\": n, name: o }";
    let yaml = format!("api_mocks:\n  reservations:\n    book:\n      - respond: {{ status: 200, body: {body} }}\n");
    let parsed = first_body(&yaml);
    // python3 -c 'import yaml, json; print(json.dumps(yaml.safe_load(BODY)))', with `"quoted"` and `name` added
    let expected = json!({
        "true": 1, "2": "a", "16": "b", "null": "c", "1.5": "d", "1e+20": "e", "1e-05": "f", "Infinity": "h",
        "1000": "i", "8": "j", "99999999999999999999": "k", "false": "l", "90": "m", "quoted": "n", "name": "o",
        // the bounds of Python's float text: positional from 1e-4, with an exponent from 1e16
        "1e+16": "p", "1000000000000000.0": "q", "0.0001": "r"
    });
    assert_eq!(parsed, Some(MockBody::Json(expected)));
}

/// A mocks file of one value or a list is told what such a file holds.
#[test]
fn a_mocks_file_that_is_no_mapping_says_to_start_with_api_mocks() {
    for (yaml, found) in [("hello\n", "text"), ("- reservations\n", "a list")] {
        assert_eq!(
            errors(yaml),
            [format!("case.yaml:1:1: error: the file must be a mapping (`key: value` lines), found {found}; a test case or mocks file holds a top-level `api_mocks:` mapping of API names, like `api_mocks: {{ my_api: {{ my_operation: [...] }} }}`")]
        );
    }
}

#[test]
fn a_key_written_in_the_wrong_block_of_a_rule_says_where_it_goes() {
    let found = errors(
        "api_mocks:
  reservations:
    book:
      - status: 503
        repeat: 2
      - respond:
          status: 201
          repeat: -1
          path: { id: 7 }
      - when:
          query: { party: '2' }
          status: 409
        respond: { status: 200 }
",
    );
    assert_eq!(
        found,
        [
            // the one fix: `respond:` is not also said to be missing
            "case.yaml:4:9: error: unknown key `status` in `api_mocks.reservations.book[0]`; `status` is a key of the response: indent it under `respond:` (like `respond: { status: ... }`)",
            "case.yaml:8:11: error: unknown key `repeat` in `api_mocks.reservations.book[1].respond`; `repeat` is a key of the rule, beside `respond:`, not inside it: move it out one level",
            "case.yaml:9:11: error: unknown key `path` in `api_mocks.reservations.book[1].respond`; `path` is a condition of the rule: it goes under `when:`, beside `respond:`",
            "case.yaml:12:11: error: unknown key `status` in `api_mocks.reservations.book[2].when`; `status` is a key of the response: it goes under `respond:`, beside `when:`",
        ]
    );
    // a condition written on the rule
    let found = errors(
        "api_mocks:\n  reservations:\n    book:\n      - query: { party: '2' }\n        respond: { status: 200 }\n",
    );
    assert_eq!(found, ["case.yaml:4:9: error: unknown key `query` in `api_mocks.reservations.book[0]`; `query` is a condition of the rule: indent it under `when:` (like `when: { query: ... }`)"]);
    // written before the empty block it belongs under, which indenting could not mend
    let found = errors("api_mocks:\n  reservations:\n    book:\n      - status: 201\n        respond:\n");
    let moved = "case.yaml:4:9: error: unknown key `status` in `api_mocks.reservations.book[0]`; `status` goes under `respond:`, which is written empty below it, on line 5: move it there, indented under it";
    assert!(found.iter().any(|line| line == moved), "{found:#?}");
}

#[test]
fn rules_written_without_their_api_or_operation_say_which_level_is_missing() {
    // the operation right under `api_mocks:`: its rules are still checked
    let found = errors("api_mocks:\n  book:\n    - respond: { status: 2000 }\n");
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(found[0], "case.yaml:2:3: error: `api_mocks.book`: no API `book` in the definitions; `book` is an operation of API `reservations`: indent it under `reservations:`, which goes under `api_mocks:`");
    assert!(found[1].starts_with("case.yaml:3:26: error: `api_mocks.book[0].respond.status`"), "{found:#?}");
    // a rule right under the API
    let found = errors("api_mocks:\n  reservations:\n    respond: { status: 200 }\n");
    assert_eq!(found, ["case.yaml:3:5: error: `api_mocks.reservations.respond`: API `reservations` has no operation `respond`; `respond` is a key of a mock rule, and the rules go in a list under the operation they mock, like `check_availability: [{ respond: ... }]`"]);
    // a list of rules right under the API: still checked
    let found = errors("api_mocks:\n  reservations:\n    - respond: { status: 2000 }\n");
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(found[0], "case.yaml:3:5: error: `api_mocks.reservations` is a list of rules, with no operation: rules go in a list under the operation they mock, like `reservations: { check_availability: [...] }`; the operations of `reservations` are `check_availability` and `book`");
    assert!(found[1].starts_with("case.yaml:3:26: error: `api_mocks.reservations[0].respond.status`"), "{found:#?}");
    // of an API with one operation, read as that operation's, whose path variables are known
    let one = parse_str(
        "apis.yaml",
        "api_integrations:\n  - name: crm\n    environments: { live: {} }\n    operations: [{ name: get_contact, method: GET, resource: '/contacts/{id}' }]\n",
    )
    .expect("definitions are valid")
    .definitions;
    let yaml = "api_mocks:\n  crm:\n    - when: { path: { name: x } }\n      respond: { status: 200 }\n";
    let found: Vec<String> =
        mocks::parse_str("case.yaml", yaml, &one).expect_err("mocks are invalid").lines().collect();
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(found[0], "case.yaml:3:5: error: `api_mocks.crm` is a list of rules, with no operation: rules go in a list under the operation they mock, like `crm: { get_contact: [...] }`, its one operation");
    assert!(found[1].contains("`name`"), "{found:#?}");
}

#[test]
fn an_api_and_its_operation_in_one_key_are_told_to_be_two_and_their_rules_are_checked() {
    for key in ["reservations.book", "conv.api.reservations.book"] {
        let found = errors(&format!("api_mocks:\n  {key}:\n    - respond: {{ status: 2000 }}\n"));
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(found[0], format!("case.yaml:2:3: error: `api_mocks.{key}`: no API `{key}` in the definitions; an API and its operation are two keys: write `reservations:` with `book:` indented under it"));
        assert!(
            found[1].contains("`api_mocks.reservations.book[0].respond.status` must be an HTTP status"),
            "{found:#?}"
        );
    }
    // an operation the API does not have: an unknown API, as before
    let found = errors("api_mocks:\n  reservations.cancel:\n    - respond: { status: 200 }\n");
    assert!(
        found[0].contains("no API `reservations.cancel` in the definitions; did you mean `reservations`?"),
        "{found:#?}"
    );
}

#[test]
fn json_written_as_text_in_a_json_body_is_a_warning_that_says_to_drop_the_quotes() {
    let case = |body: &str, headers: &str| {
        format!("api_mocks:\n  reservations:\n    book:\n      - respond:\n          status: 201\n          body: {body}\n{headers}")
    };
    let warnings = |yaml: &str| {
        let mocks = mocks::parse_str("case.yaml", yaml, &definitions()).unwrap_or_else(|d| panic!("{d}"));
        mocks.warnings.iter().map(|warning| warning.render("case.yaml")).collect::<Vec<_>>()
    };
    let told = "is JSON written as text, so the response's body is one JSON string, not that JSON; remove the quotes";
    let found = warnings(&case("'{\"confirmation\": \"R-1042\"}'", ""));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("case.yaml:6:17: warning: `api_mocks.reservations.book[0].respond.body` "),
        "{}",
        found[0]
    );
    assert!(found[0].contains(told), "{}", found[0]);
    // a block of text too, and a JSON content type
    let json = "          headers: { content-type: application/problem+json }\n";
    assert_eq!(warnings(&case("|\n            [1, 2]", json)).len(), 1);
    // text sent as it is under another content type, text that is no JSON, and JSON itself: no warning
    let text = "          headers: { Content-Type: text/plain }\n";
    assert!(warnings(&case("'{\"a\": 1}'", text)).is_empty());
    assert!(warnings(&case("'{not json'", "")).is_empty());
    assert!(warnings(&case("{\"confirmation\": \"R-1042\"}", "")).is_empty());
    assert!(warnings(&case("'\"quoted\"'", "")).is_empty());
}

#[test]
fn a_condition_on_the_method_or_url_says_a_rule_answers_its_operations_calls() {
    let found = errors("api_mocks:\n  reservations:\n    book:\n      - when: { method: POST, url: /bookings }\n        respond: { status: 201 }\n");
    let at = "`api_mocks.reservations.book[0].when`";
    assert_eq!(
        found,
        [
            format!("case.yaml:4:17: error: unknown key `method` in {at}; a rule answers the calls of the operation it is listed under, which has one method: remove it"),
            format!("case.yaml:4:31: error: unknown key `url` in {at}; a rule answers the calls of the operation it is listed under; to answer some of them, match their path variables, like `path: {{ ticket_id: \"42\" }}`"),
        ]
    );
}

/// A count past even 128 bits is more calls than can be counted; a negative one is
/// no count at all.
#[test]
fn a_repeat_past_any_integer_is_too_many_calls_and_a_negative_one_no_count() {
    let repeat = |written: &str| {
        errors(&format!(
            "api_mocks:\n  reservations:\n    book:\n      - respond: {{ status: 200 }}\n        repeat: {written}\n"
        ))
    };
    let huge = "1000000000000000000000000000000000000000000";
    let found = repeat(huge);
    assert!(
        found.len() == 1 && found[0].contains(&format!("is `{huge}`, more calls than can be counted")),
        "{found:?}"
    );
    let found = repeat(&format!("-{huge}"));
    assert!(found.len() == 1 && found[0].contains("must be a number of calls, 1 or more"), "{found:?}");
}

/// A quoted `-1` is told to be written without its quotes, as a quoted count is; a
/// quoted `0` is no count unquoted either, so it is not.
#[test]
fn a_quoted_forever_is_told_to_drop_the_quotes_and_a_quoted_zero_is_not() {
    let repeat = |written: &str| {
        errors(&format!(
            "api_mocks:\n  reservations:\n    book:\n      - respond: {{ status: 200 }}\n        repeat: {written}\n"
        ))
    };
    let found = repeat("'-1'");
    assert!(found.len() == 1 && found[0].ends_with("found the text `-1`; write `-1` without the quotes"), "{found:?}");
    let found = repeat("'0'");
    assert!(found.len() == 1 && found[0].ends_with("found the text `0`"), "{found:?}");
}

/// Text that is no query string (a parameter without a name) is not shown as a
/// mapping: it is told the mapping a condition's query is.
#[test]
fn a_condition_query_with_a_nameless_parameter_is_not_shown_as_a_mapping() {
    let yaml = "api_mocks:\n  reservations:\n    check_availability:\n      - when: { query: \"=2\" }\n        respond: { status: 200 }\n";
    assert_eq!(
        errors(yaml),
        ["case.yaml:4:24: error: `api_mocks.reservations.check_availability[0].when.query` must be a mapping (`key: value` lines), found text"]
    );
}

/// An integer key past 64 bits is the decimal text `json.dumps` writes for it, and
/// two such keys of one value are one key to the ADK's Python.
#[test]
fn a_body_key_past_64_bits_is_written_in_decimal_and_equal_ones_are_one_key() {
    let yaml =
        "api_mocks:\n  reservations:\n    book:\n      - respond: { status: 200, body: { 0x10000000000000000: a } }\n";
    assert_eq!(first_body(yaml), Some(MockBody::Json(json!({ "18446744073709551616": "a" }))));
    let yaml = "api_mocks:\n  reservations:\n    book:\n      - respond: { status: 200, body: { 18446744073709551616: a, 0x10000000000000000: b } }\n";
    let found = errors(yaml);
    assert!(
        found.len() == 1
            && found[0].contains(
                "which are one key in the JSON the ADK sends (the ADK's Python reads both as the same value)"
            ),
        "{found:?}"
    );
}
