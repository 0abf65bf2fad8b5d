//! APIs, operations and rules and where each goes: unknown names, parts of the
//! wrong shape, missing levels, and rules written as other formats write them.

use super::*;

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
