//! When a rule answers: `when` conditions on the query, headers and path
//! variables, and our extensions (`delay`, `fail`, `strict`).

use super::*;

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
