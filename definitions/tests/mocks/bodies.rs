//! Response bodies, typed as PyYAML types them: dates, tags, numbers, keys and
//! JSON written as text.

use super::*;

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
