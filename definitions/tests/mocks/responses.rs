//! A rule's response and failure besides its body: the status, the headers a
//! server could send, and failures.

use super::*;

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
