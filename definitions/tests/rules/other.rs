//! Everything else: unknown keys, YAML syntax, messages that suggest fixes.

use super::*;

#[test]
fn unknown_top_level_key_suggests_api_integrations() {
    // The misspelt key stands for the missing one, which is not reported missing;
    // what is under it is read as if spelt right, so its own errors show too.
    expect(
        "unknown_keys.yaml",
        &[
            (1, 1, &["unknown key `api_integration`", "did you mean `api_integrations`?"]),
            (2, 5, &["`api_integrations[0]` is missing `environments`"]),
        ],
    );
    let missing = parse_str("apis.yaml", "apis: []\n").unwrap_err();
    let lines: Vec<String> = missing.lines().collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].starts_with("apis.yaml:1:1: error: unknown key `apis` in the file"), "{}", lines[0]);
    assert!(
        lines[1].starts_with("apis.yaml:1:1: error: the file is missing `api_integrations`; add it"),
        "{}",
        lines[1]
    );
}

#[test]
fn unknown_operation_key_suggests_method() {
    expect(
        "unknown_key_metod.yaml",
        &[(7, 9, &["unknown key `metod`", "`api_integrations[0].operations[0]`", "did you mean `method`?"])],
    );
}

#[test]
fn a_scalar_where_a_list_should_be() {
    expect(
        "scalar_for_list.yaml",
        &[(5, 17, &["`api_integrations[0].operations` must be a list of operations", "found text"])],
    );
    let diagnostics = parse_str("apis.yaml", "api_integrations: zendesk\n").unwrap_err();
    assert_eq!(
        diagnostics.lines().collect::<Vec<_>>(),
        ["apis.yaml:1:19: error: `api_integrations` must be a list of APIs (`- name: ...`), found text"]
    );
}

#[test]
fn a_list_where_a_mapping_should_be() {
    expect(
        "list_for_mapping.yaml",
        &[(3, 19, &["`api_integrations[0].environments` must be a mapping", "found a list"])],
    );
}

#[test]
fn an_empty_file() {
    expect("empty.yaml", &[(1, 1, &["the file is empty", "`api_integrations:`"])]);
    let only_comments = parse_str("apis.yaml", "# nothing yet\n").unwrap_err();
    assert!(only_comments.to_string().starts_with("apis.yaml:1:1: error: the file is empty"));
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
fn more_than_one_document() {
    expect("two_documents.yaml", &[(2, 1, &["more than one YAML document", "`---`"])]);
}

#[test]
fn missing_keys_are_reported_at_the_entry() {
    expect(
        "missing_keys.yaml",
        &[
            (2, 5, &["`api_integrations[0]` is missing `name`", "`name: my_api`"]),
            (5, 5, &["`api_integrations[1]` is missing `environments`", "add it"]),
            (7, 9, &["`api_integrations[1].operations[0]` is missing `resource`", "`resource: /tickets/{ticket_id}`"]),
        ],
    );
}

#[test]
fn every_error_of_a_file_is_reported() {
    expect(
        "many_errors.yaml",
        &[
            (1, 1, &["unknown key `api_integration`"]),
            (3, 11, &["`api_integrations[0].name` is `Zendesk`"]),
            (5, 7, &["unknown environment `sandbx`"]),
            (7, 15, &["`api_integrations[0].operations[0].name` is `get ticket`"]),
            (8, 9, &["unknown key `metod`"]),
            (9, 19, &["`api_integrations[0].operations[0].resource`", "must start with `/`"]),
        ],
    );
    let (file, bytes) = fixture("bad", "many_errors.yaml");
    let rendered = parse_bytes(&file, &bytes).unwrap_err().to_string();
    assert!(rendered.lines().all(|line| line.starts_with("many_errors.yaml:") && line.contains(": error: ")));
}

#[test]
fn invalid_yaml_is_a_diagnostic() {
    let diagnostics = parse_str("apis.yaml", "api_integrations:\n  - name: [unclosed\n").unwrap_err();
    let line = diagnostics.lines().next().unwrap();
    assert!(line.starts_with("apis.yaml:") && line.contains("error: invalid YAML"), "{line}");
}

#[test]
fn duplicate_keys_are_errors() {
    let diagnostics = parse_str("apis.yaml", "api_integrations: []\napi_integrations: []\n").unwrap_err();
    assert_eq!(
        diagnostics.lines().collect::<Vec<_>>(),
        ["apis.yaml:2:1: error: duplicate key `api_integrations` in the file (first at line 1); keep one"]
    );
}
