//! What a file with errors still gives the macro (`parse_with_recovery`): every API
//! and operation whose call could be read, and whether one could not.

use conv_api_definitions::{parse_str, parse_with_recovery, Method, Recovered};

fn recovered(operations: &str) -> Recovered {
    let yaml = format!(
        "api_integrations:\n  - name: crm\n    environments: {{ sandbox: {{ base_url: \"https://crm.example\" }} }}\n    operations:{operations}\n"
    );
    parse_with_recovery("apis.yaml", &yaml)
}

#[test]
fn a_wrong_method_or_idempotent_keeps_the_operation_with_stand_ins() {
    let found = recovered("\n      - { name: get, method: GTE, resource: \"/a/{id}\", idempotent: maybe }");
    assert!(found.diagnostics.has_errors() && !found.lost_calls);
    let op = &found.definitions.apis[0].operations[0];
    assert_eq!((op.name(), op.method, op.idempotent, op.resource.variables.len()), ("get", Method::Get, false, 1));
}

#[test]
fn wrong_environments_keep_the_api_without_them() {
    let yaml = "api_integrations:\n  - name: crm\n    environments: { prod: {} }\n    operations: [{ name: get, method: GET, resource: /a }]\n";
    let found = parse_with_recovery("apis.yaml", yaml);
    assert!(found.diagnostics.has_errors() && !found.lost_calls);
    assert_eq!(found.definitions.apis[0].operations[0].name(), "get");
}

#[test]
fn an_operation_or_list_that_cannot_be_read_is_a_lost_call() {
    for operations in [
        // a wrong resource or name
        "\n      - { name: get, method: GET, resource: \"a/{id}\" }",
        "\n      - { name: 9get, method: GET, resource: /a }",
        // a list that is none
        " get_ticket",
        "\n      color: blue",
    ] {
        let found = recovered(operations);
        assert!(found.diagnostics.has_errors() && found.lost_calls, "{operations}: {}", found.diagnostics);
    }
    for file in ["- name: crm\n", "api_integrations: crm\n", ""] {
        let found = parse_with_recovery("apis.yaml", file);
        assert!(found.diagnostics.has_errors() && found.lost_calls, "{file}: {}", found.diagnostics);
    }
}

#[test]
fn a_valid_file_loses_nothing() {
    let found = recovered(" []");
    assert!(!found.diagnostics.has_errors() && !found.lost_calls);
    let found = recovered("\n      - { name: get, method: GET, resource: /a }");
    assert!(!found.lost_calls && found.definitions.apis[0].operations.len() == 1);
}

/// An environment that cannot be read (a base URL that is no URL, an auth setting
/// that is wrong, environments that are no mapping) changes no call: the recovered
/// model keeps the API and its operations, and no call is lost (read/mod.rs: "the
/// recovered model keeps the API, without them, for the macro's best effort"). The
/// existing test's `prod:` is read as an empty list, so never reaches the stand-in.
#[test]
fn environments_that_cannot_be_read_keep_the_api_and_its_operations() {
    for environments in [
        "{ live: { base_url: \"ftp://crm.example\" } }",
        "{ live: { base_url: \"https://crm.example\", auth_type: basic, auth: { password: hunter2xyz } } }",
        "sandbox",
    ] {
        let yaml = format!("api_integrations:\n  - name: crm\n    environments: {environments}\n    operations: [{{ name: get, method: GET, resource: /a }}]\n");
        let found = conv_api_definitions::parse_with_recovery("apis.yaml", &yaml);
        assert!(found.diagnostics.has_errors() && !found.lost_calls, "{environments}: {}", found.diagnostics);
        assert_eq!(found.definitions.apis.len(), 1, "{environments}");
        assert_eq!(found.definitions.apis[0].operations[0].name(), "get", "{environments}");
    }
}

/// A name used twice is an error, and the recovered model keeps the first entry of
/// each name, so that the macro's best-effort `Api` has one field or method a name;
/// an API dropped so may hold operations code calls, an operation leaves its name.
#[test]
fn a_repeated_name_keeps_its_first_entry_and_only_a_dropped_api_loses_calls() {
    let found = recovered(
        "\n      - { name: get, method: GET, resource: /a }\n      - { name: get, method: POST, resource: /b }\n      - { name: put, method: PUT, resource: /c }",
    );
    assert!(found.diagnostics.has_errors() && !found.lost_calls, "{}", found.diagnostics);
    let operations: Vec<(&str, Method)> =
        found.definitions.apis[0].operations.iter().map(|op| (op.name(), op.method)).collect();
    assert_eq!(operations, [("get", Method::Get), ("put", Method::Put)]);
    let api = "  - name: crm\n    environments: { sandbox: { base_url: \"https://crm.example\" } }\n    operations: [{ name: OP, method: GET, resource: /a }]\n";
    let yaml = format!("api_integrations:\n{}{}", api.replace("OP", "first"), api.replace("OP", "second"));
    let found = parse_with_recovery("apis.yaml", &yaml);
    assert!(found.diagnostics.has_errors() && found.lost_calls, "{}", found.diagnostics);
    assert_eq!(found.definitions.apis.len(), 1);
    assert_eq!(found.definitions.apis[0].operations[0].name(), "first");
}

/// A file without errors reads as `parse_str` reads it: every API and operation, in
/// the file's order, nothing dropped nor lost (one operation name in two APIs is no
/// repeat).
#[test]
fn a_valid_file_is_read_whole_and_in_order() {
    let yaml = "api_integrations:
  - name: zeta
    environments: { sandbox: { base_url: \"https://z.example\" } }
    operations:
      - { name: get, method: GET, resource: /a }
      - { name: post, method: POST, resource: /b }
      - { name: get_all, method: GET, resource: /c }
  - name: alpha
    environments: { sandbox: { base_url: \"https://a.example\" } }
    operations: [{ name: get, method: GET, resource: /a }]
  - name: mid
    environments: { sandbox: { base_url: \"https://b.example\" } }
";
    let found = parse_with_recovery("apis.yaml", yaml);
    assert!(!found.diagnostics.has_errors() && !found.lost_calls, "{}", found.diagnostics);
    assert_eq!(found.definitions, parse_str("apis.yaml", yaml).unwrap().definitions);
    let apis: Vec<(&str, Vec<&str>)> = (found.definitions.apis.iter())
        .map(|api| (api.name(), api.operations.iter().map(|op| op.name()).collect()))
        .collect();
    assert_eq!(apis, [("zeta", vec!["get", "post", "get_all"]), ("alpha", vec!["get"]), ("mid", vec![])]);
}

/// The first entry of a name that could be read is kept: one written before it that
/// could not be read is a lost call, and leaves no second entry of that name.
#[test]
fn an_unreadable_first_entry_of_a_name_is_lost_and_the_next_one_kept_once() {
    let found = recovered(
        "\n      - { name: get, method: GET, resource: \"a/{id}\" }\n      - { name: get, method: POST, resource: /b }\n      - { name: get, method: PUT, resource: /c }",
    );
    assert!(found.diagnostics.has_errors() && found.lost_calls, "{}", found.diagnostics);
    let operations: Vec<(&str, Method)> =
        found.definitions.apis[0].operations.iter().map(|op| (op.name(), op.method)).collect();
    assert_eq!(operations, [("get", Method::Post)]);
}
