//! How many calls a rule answers: `repeat` counts, quoted or past any integer,
//! and `forever`, allowed only where no later rule would go unanswered.

use super::*;

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
