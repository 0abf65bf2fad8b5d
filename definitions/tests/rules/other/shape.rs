//! The file's shape: its top-level key, lists and mappings where the other goes,
//! entries without their dash or named by a key, empty and missing values.

use super::*;

/// An empty value is told empty, with what to write, not shown as `` nor "fixed" to
/// a value seldom meant; a list where one value goes says why one.
#[test]
fn empty_values_and_lists_of_one_value_are_told_so() {
    let yaml = |operation: &str| {
        format!("api_integrations:\n  - name: shop\n    environments: {{ live: {{}} }}\n    operations:\n      - {operation}\n")
    };
    let lines = error_lines(&yaml("{ name: get, method: \"\", resource: /a }"));
    assert_eq!(lines, ["apis.yaml:5:30: error: `api_integrations[0].operations[0].method` is empty; use one of `GET`, `POST`, `PATCH`, `PUT` or `DELETE`"]);
    let lines = error_lines(&yaml("{ name: get, method: [GET, POST], resource: /a }"));
    assert!(
        has_line(
            &lines,
            &["method` must be one method, found a list; an operation has one method", "write one operation for each"]
        ),
        "{lines:?}"
    );
    let lines = error_lines(&yaml("{ name: get, method: GET, resource: \"\" }"));
    assert!(
        has_line(&lines, &["resource`: is empty; write the path after the base URL, starting with `/`"]),
        "{lines:?}"
    );
    let base_url = |port: &str| {
        format!("api_integrations:\n  - name: shop\n    environments: {{ live: {{ base_url: \"https://shop.example:{port}/v1\" }} }}\n")
    };
    let lines = error_lines(&base_url("99999"));
    assert!(
        has_line(
            &lines,
            &["is `https://shop.example:99999/v1`, whose port is not a number from 1 to 65535; write it like"]
        ),
        "{lines:?}"
    );
    let lines = error_lines(&base_url("0"));
    assert!(has_line(&lines, &["whose port is 0, which no server can listen on"]), "{lines:?}");
    assert!(parse_str("apis.yaml", &base_url("65535")).is_ok());
}

#[test]
fn unknown_top_level_key_suggests_api_integrations() {
    // The misspelt key stands for the missing one, which is not reported missing;
    // what is under it is read as if spelt right, so its own errors show too.
    expect(
        "unknown_keys.yaml",
        &[
            (1, 1, &["unknown key `api_integration`", "did you mean `api_integrations`?"]),
            (2, 5, &["`api_integrations[0].environments` is missing"]),
        ],
    );
    // another format's word for it stands in for it too
    let lines: Vec<String> = parse_str("apis.yaml", "apis: []\n").unwrap_err().lines().collect();
    assert_eq!(
        lines,
        ["apis.yaml:1:1: error: unknown key `apis` in the file; this format calls it `api_integrations`"]
    );
    let missing = parse_str("apis.yaml", "catalogue: []\n").unwrap_err();
    let lines: Vec<String> = missing.lines().collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].starts_with("apis.yaml:1:1: error: unknown key `catalogue` in the file"), "{}", lines[0]);
    assert!(
        lines[1].starts_with("apis.yaml:1:1: error: the file is missing `api_integrations`; add it"),
        "{}",
        lines[1]
    );
}

#[test]
fn a_scalar_where_a_list_should_be() {
    expect(
        "scalar_for_list.yaml",
        &[(5, 17, &["`api_integrations[0].operations` must be a list of operations", "found text"])],
    );
    for (value, found) in [("zendesk", "text"), ("5", "a number")] {
        let diagnostics = parse_str("apis.yaml", &format!("api_integrations: {value}\n")).unwrap_err();
        assert_eq!(
            diagnostics.lines().collect::<Vec<_>>(),
            [format!(
                "apis.yaml:1:19: error: `api_integrations` must be a list of APIs (`- name: ...`), found {found}"
            )]
        );
    }
}

#[test]
fn a_list_where_a_mapping_should_be() {
    expect(
        "list_for_mapping.yaml",
        &[(3, 19, &["`api_integrations[0].environments` must be a mapping", "found a list"])],
    );
}

#[test]
fn an_api_or_operation_written_without_its_dash_is_read_as_the_lists_one_entry() {
    let broken = "api_integrations:\n  name: crm\n  environments:\n    live: { base_url: https://crm.example }\n  operations:\n    name: find\n    method: FETCH\n    resource: /people/{id}\n";
    assert_eq!(
        error_lines(broken),
        [
            "apis.yaml:2:3: error: `api_integrations` must be a list of APIs (`- name: ...`), found one API written as a mapping, not as a list entry: put `- ` before `name:` and indent the API's other keys two more spaces, to line up with `name:`",
            "apis.yaml:6:5: error: `api_integrations[0].operations` must be a list of operations (`- name: ...`), found one operation written as a mapping, not as a list entry: put `- ` before `name:` and indent the operation's other keys two more spaces, to line up with `name:`",
            "apis.yaml:7:13: error: `api_integrations[0].operations[0].method` is `FETCH`, not a supported method; use one of `GET`, `POST`, `PATCH`, `PUT` or `DELETE`",
        ]
    );
    // the advice, followed to the letter
    let fixed = "api_integrations:\n  - name: crm\n    environments:\n      live: { base_url: https://crm.example }\n    operations:\n      - name: find\n        method: GET\n        resource: /people/{id}\n";
    assert_eq!(parse_str("apis.yaml", fixed).unwrap().definitions.apis[0].operations.len(), 1);
    // in flow style, the list is brackets
    let flow = "api_integrations: { name: crm, environments: { live: {} } }\n";
    let lines = error_lines(flow);
    assert_eq!(lines, ["apis.yaml:1:19: error: `api_integrations` must be a list of APIs (`- name: ...`), found one API written as a mapping, not as a list entry: put it in a list: `[{ name: ... }]`"]);
    assert!(parse_str("apis.yaml", "api_integrations: [{ name: crm, environments: { live: {} } }]\n").is_ok());
}

/// `-name: crm` where an API's `- name: crm` goes is valid YAML, a mapping with the
/// key `-name`: told the space it lacks, and read as the entry it was meant to be.
#[test]
fn an_api_whose_dash_has_no_space_is_read_as_the_lists_one_entry() {
    let broken = "api_integrations:\n  -name: crm\n  environments:\n    live: { base_url: https://crm.example }\n  operations: [{ name: find, method: FETCH, resource: /x }]\n";
    assert_eq!(
        error_lines(broken),
        [
            "apis.yaml:2:3: error: `api_integrations` must be a list of APIs (`- name: ...`), found one API written as a mapping: `-name:` has no space after its `-`, so YAML reads `-name` as a key, not as the `- ` that starts a list entry: write `- name:` and indent the API's other keys two more spaces, to line up with `name:`",
            "apis.yaml:5:38: error: `api_integrations[0].operations[0].method` is `FETCH`, not a supported method; use one of `GET`, `POST`, `PATCH`, `PUT` or `DELETE`",
        ]
    );
}

/// `- get_ticket:` names a list's entry by a key, as a mapping keyed by names would:
/// with its keys under it, or beside it with no value. Told to write `- name:`, and
/// read as the entry it was meant to be, so no key is reported missing.
#[test]
fn an_entry_named_by_its_key_is_read_as_the_entry_of_that_name() {
    let broken = "api_integrations:\n  - crm:\n    environments:\n      live: { base_url: https://crm.example }\n    operations:\n      - get_contact:\n          method: FETCH\n          resource: /people/{id}\n        description: One person\n      - nmae: find\n        method: GET\n        resource: /people\n";
    assert_eq!(
        error_lines(broken),
        [
            "apis.yaml:2:5: error: `api_integrations[0]` is named by its key `crm:`, but an API holds its name: write `- name: crm` in place of `- crm:`",
            "apis.yaml:6:9: error: `api_integrations[0].operations[0]` is named by its key `get_contact:`, but an operation holds its name: write `- name: get_contact` in place of `- get_contact:`, and its keys under it lined up with `name:`",
            "apis.yaml:7:19: error: `api_integrations[0].operations[0].method` is `FETCH`, not a supported method; use one of `GET`, `POST`, `PATCH`, `PUT` or `DELETE`",
            // a misspelt key is no name
            "apis.yaml:10:9: error: unknown key `nmae` in `api_integrations[0].operations[1]`; did you mean `name`?",
        ]
    );
    let fixed = "api_integrations:\n  - name: crm\n    environments:\n      live: { base_url: https://crm.example }\n    operations:\n      - name: get_contact\n        method: GET\n        resource: /people/{id}\n        description: One person\n";
    assert!(parse_str("apis.yaml", fixed).is_ok());
    // a key a message of its own places, or no name at all, is not read as a name
    let head = "api_integrations:\n  - name: crm\n    environments:\n      live: { base_url: https://crm.example }\n    operations:\n";
    for (first, told) in [
        ("base_url", "`base_url` is set per environment of the API, not per operation"),
        ("sandbox", "`sandbox` is an environment, not a key of an operation"),
        ("responses", "the file does not describe responses"),
        ("~", "unknown key `~`"),
        ("12", "unknown key `12`"),
    ] {
        let lines = error_lines(&format!("{head}      - {first}:\n        method: GET\n        resource: /x\n"));
        assert!(has_line(&lines, &[told]) && !has_line(&lines, &["is named by its key"]), "{first}: {lines:?}");
    }
}

/// `-name:` after an entry's keys is the next entry's `- ` without its space.
#[test]
fn a_second_entry_whose_dash_has_no_space_is_told_to_start_its_own() {
    let broken = "api_integrations:\n  - name: crm\n    environments:\n      live: { base_url: https://crm.example }\n    operations:\n      - name: get\n        method: GET\n        resource: /x\n        -name: put\n";
    assert_eq!(
        error_lines(broken),
        ["apis.yaml:9:9: error: unknown key `-name` in `api_integrations[0].operations[0]`; `-name:` has no space after its `-`, so YAML reads `-name` as a key, not as the `- ` that starts a list entry: write `- name:` to start an entry of its own"]
    );
}

#[test]
fn a_mapping_keyed_by_names_is_read_as_entries_named_after_its_keys() {
    let broken = "api_integrations:\n  - name: crm\n    environments:\n      live: { base_url: https://crm.example }\n    operations:\n      find person:\n        method: GET\n        resource: /people/{id}\n      create:\n        method: POST\n";
    assert_eq!(
        error_lines(broken),
        [
            "apis.yaml:6:7: error: `api_integrations[0].operations` must be a list of operations (`- name: ...`), found a mapping keyed by operation names; an operation is a list entry that holds its name: write `- name: find person` in place of `find person:`, with the keys under it where they are, and so for each operation",
            "apis.yaml:6:7: error: `api_integrations[0].operations[0].name` is `find person`, which is not an identifier; use ASCII letters (a-z, A-Z), digits and `_`, not starting with a digit, as the name is a Rust method's (like `find_person`)",
            "apis.yaml:9:7: error: `api_integrations[0].operations[1].resource` is missing; add it, like `resource: \"/tickets/{ticket_id}\"`",
        ]
    );
    let fixed = "api_integrations:\n  - name: crm\n    environments:\n      live: { base_url: https://crm.example }\n    operations:\n      - name: find_person\n        method: GET\n        resource: /people/{id}\n      - name: create\n        method: POST\n        resource: /people\n";
    assert_eq!(parse_str("apis.yaml", fixed).unwrap().definitions.apis[0].operations.len(), 2);
    // the APIs keyed by name, one of them: no "and so for each"
    let lines =
        error_lines("api_integrations:\n  crm:\n    environments:\n      live: { base_url: ftp://crm.example }\n");
    assert_eq!(
        lines,
        [
            "apis.yaml:2:3: error: `api_integrations` must be a list of APIs (`- name: ...`), found a mapping keyed by API names; an API is a list entry that holds its name: write `- name: crm` in place of `crm:`, with the keys under it where they are",
            "apis.yaml:4:25: error: `api_integrations[0].environments.live.base_url` is `ftp://crm.example`: the scheme must be `http` or `https`, not `ftp`",
        ]
    );
    // in flow style (JSON), the list is brackets
    let lines = error_lines("{\"api_integrations\": {\"crm\": {\"environments\": {\"live\": {}}}}}\n");
    assert_eq!(lines, ["apis.yaml:1:22: error: `api_integrations` must be a list of APIs (`- name: ...`), found a mapping keyed by API names; an API is a list entry that holds its name: write `[{ name: crm, ... }]`, each API an entry of the list"]);
    // entries that name themselves, or values that are no entries: the mapping is only told
    for mapping in ["  crm: { name: crm, environments: { live: {} } }\n", "  crm: 5\n", "  ? [a]\n  : {}\n"] {
        let lines = error_lines(&format!("api_integrations:\n{mapping}"));
        assert_eq!(
            lines,
            ["apis.yaml:2:3: error: `api_integrations` must be a list of APIs (`- name: ...`), found a mapping"],
            "{mapping}"
        );
    }
}

#[test]
fn an_empty_api_list_is_valid() {
    assert_eq!(parse_str("apis.yaml", "api_integrations: []\n").unwrap().definitions.apis.len(), 0);
}

#[test]
fn a_null_api_list_is_an_empty_list() {
    // every entry commented out leaves nothing after the colon
    let checked = good("no_apis_yet.yaml");
    assert!(checked.definitions.apis.is_empty());
    assert!(checked.warnings.items.is_empty(), "{}", checked.warnings);
    assert_eq!(parse_str("apis.yaml", "api_integrations: ~\n").unwrap().definitions.apis.len(), 0);
    // the key itself is still required
    let missing = parse_str("apis.yaml", "{}\n").unwrap_err();
    assert_eq!(
        missing.lines().collect::<Vec<_>>(),
        ["apis.yaml:1:1: error: the file is missing `api_integrations`; add it, like `api_integrations: [{ name: my_api, ... }]`"]
    );
}

#[test]
fn missing_keys_are_reported_at_the_entry() {
    expect(
        "missing_keys.yaml",
        &[
            (2, 5, &["`api_integrations[0].name` is missing", "`name: my_api`"]),
            (5, 5, &["`api_integrations[1].environments` is missing", "add it"]),
            (
                7,
                9,
                &["`api_integrations[1].operations[0].resource` is missing", "`resource: \"/tickets/{ticket_id}\"`"],
            ),
        ],
    );
}

/// A file that is the list of APIs alone lacks the key that holds it.
#[test]
fn a_file_that_is_a_list_says_to_put_it_under_api_integrations() {
    let yaml = "- name: a\n  environments: { live: {} }\n";
    let lines: Vec<String> = parse_str("apis.yaml", yaml).unwrap_err().lines().collect();
    assert_eq!(
        lines,
        ["apis.yaml:1:1: error: the file must be a mapping, found a list; the list of APIs goes under a top-level `api_integrations:` key: write that line first and indent the list under it"]
    );
}

/// A file of one value (a word, a number) is told what a definitions file starts with.
#[test]
fn a_file_that_is_one_value_says_to_start_with_api_integrations() {
    for (yaml, found) in [("hello\n", "text"), ("42\n", "a number")] {
        let lines: Vec<String> = parse_str("apis.yaml", yaml).unwrap_err().lines().collect();
        assert_eq!(
            lines,
            [format!("apis.yaml:1:1: error: the file must be a mapping (`key: value` lines), found {found}; a definitions file starts with a top-level `api_integrations:` key holding the list of APIs, like `api_integrations: [{{ name: my_api, ... }}]`")]
        );
    }
}
