//! Anchors, aliases and merge keys: read as PyYAML reads them, and each misuse
//! told where it is.

use super::*;

#[test]
fn adk_files_with_yaml_merge_keys_read_as_pyyaml_reads_them() {
    let yaml = "api_integrations:
  - name: crm
    environments:
      pre-release: &env
        base_url: https://crm.example/v1
        auth_type: apiKey
      sandbox:
        <<: *env
        base_url: https://sandbox.crm.example/v1
      live: { <<: *env }
    operations:
      - &get { name: get_contact, method: GET, resource: '/contacts/{id}' }
      - { <<: *get, name: delete_contact, method: DELETE }
";
    let checked = parse_str("apis.yaml", yaml).unwrap_or_else(|d| panic!("rejected:\n{d}"));
    let crm = checked.definitions.api("crm").unwrap();
    let base_url = |env| crm.environment(env).unwrap().base_url.value.clone();
    assert_eq!(base_url(Environment::Sandbox), "https://sandbox.crm.example/v1");
    assert_eq!(base_url(Environment::Live), "https://crm.example/v1");
    assert!(matches!(crm.environment(Environment::Sandbox).unwrap().auth, Auth::ApiKey(_)));
    let delete = crm.operation("delete_contact").unwrap();
    assert_eq!((delete.method, &*delete.resource.source.value), (Method::Delete, "/contacts/{id}"));
}

#[test]
fn a_merge_key_of_no_mapping_is_an_error_that_hides_no_other() {
    let yaml = "api_integrations:
  - name: Zendesk
    environments:
      sandbox:
        base_url: ftp://sandbox.example/api
    operations:
      - name: x
        <<: GET
        resource: /a
      - { name: y, method: GTE, resource: /b }
";
    let lines = error_lines(yaml);
    assert_eq!(lines.len(), 5, "{lines:#?}");
    assert!(
        has_line(
            &lines,
            &[
                "apis.yaml:8:13: error: `api_integrations[0].operations[0]`: a merge key `<<` takes a mapping",
                "not text"
            ]
        ),
        "{lines:#?}"
    );
    for element in
        ["`api_integrations[0].name`", "sandbox.base_url`", "operations[0].method` is missing", "operations[1].method`"]
    {
        assert!(has_line(&lines, &[element]), "{element} missing: {lines:#?}");
    }
}

#[test]
fn an_alias_inside_its_own_anchors_value_is_told_so_not_that_the_anchor_is_missing() {
    let merged = "api_integrations:\n  - &x\n    name: a\n    environments: {live: {}}\n    <<: *x\n";
    let inside = "api_integrations: &l\n  - name: a\n    description: *l\n    environments: {live: {}}\n";
    for (yaml, at) in [(merged, "apis.yaml:5:9"), (inside, "apis.yaml:3:18")] {
        let message = parse_str("apis.yaml", yaml).expect_err("a value cannot hold itself").to_string();
        assert_eq!(
            message.trim_end(),
            format!("{at}: error: this alias is inside the value its anchor names, which would hold itself; anchor a value that ends before the alias, or write the value out")
        );
    }
}

#[test]
fn a_duplicate_key_in_an_aliased_value_is_told_at_its_anchor_and_at_the_alias_as_a_copy() {
    let yaml = "api_integrations:
  - name: a
    environments: &envs
      live:
        base_url: https://a.example
        base_url: https://b.example
  - name: b
    environments: *envs
";
    let lines = error_lines(yaml);
    assert!(has_line(&lines, &["apis.yaml:6:9: error: duplicate key `base_url`", "(first at line 5)"]), "{lines:#?}");
    let copy = "apis.yaml:8:19: error: duplicate key `base_url` in `api_integrations[1].environments.live`, in the value this alias copies; keep one where its anchor (`&`) is";
    assert!(has_line(&lines, &[copy]), "{lines:#?}");
}

/// PyYAML reads an alias of an anchored merge key as a merge key, which it refuses
/// as a value.
#[test]
fn an_alias_of_a_merge_key_is_refused_as_a_value_as_pyyaml_refuses_it() {
    let yaml = "api_integrations:\n  - name: a\n    environments: { live: { base_url: \"https://a.example\" } }\n    operations: [ { &m <<: { name: get, method: GET }, resource: /a, description: *m } ]\n";
    let message = parse_str("apis.yaml", yaml).expect_err("a merge key as a value").to_string();
    let told = "apis.yaml:4:83: error: `api_integrations[0].operations[0].description`: invalid YAML: this alias copies a merge key (`<<`), which PyYAML (and so the ADK) cannot read as a value; write the value out, in double quotes";
    assert!(message.lines().any(|line| line == told), "{message}");
    let fine = yaml.replace("*m", "\"<<\"");
    parse_str("apis.yaml", &fine).unwrap_or_else(|d| panic!("{d}"));
}

/// PyYAML ends an alias's name before a `:`, where YAML 1.2 reads it as part of the
/// name: `{*a: 1}` names no anchor here, and the fix says so.
#[test]
fn an_alias_run_into_its_colon_is_told_to_take_a_space() {
    let yaml = |description: &str| {
        format!("api_integrations:\n  - name: &a a\n    description: {description}\n    environments: {{ live: {{ base_url: \"https://a.example\" }} }}\n")
    };
    let message = parse_str("apis.yaml", &yaml("{ *a: 1 }")).expect_err("no anchor `a:`").to_string();
    let told = "apis.yaml:3:20: error: invalid YAML: while parsing node, found unknown anchor; YAML reads the `:` right after an alias as part of its anchor's name (`a:`); put a space before the `:` (`*a :`)";
    assert!(message.lines().any(|line| line == told), "{message}");
    // no anchor `&b`: the anchor is what is missing
    let message = parse_str("apis.yaml", &yaml("{ *b: 1 }")).expect_err("no anchor `b`").to_string();
    assert!(message.contains("found unknown anchor; define the anchor (`&name`) before the alias"), "{message}");
    let message = parse_str("apis.yaml", &yaml("{ *a : 1 }")).expect_err("a mapping description").to_string();
    assert!(message.contains("must be text, found a mapping"), "{message}");
}

/// PyYAML refuses an anchor defined twice in one document, which saphyr takes
/// (the alias after it copies the second): a file `check` passes must load in the ADK.
#[test]
fn an_anchor_defined_again_is_refused_as_pyyaml_refuses_it() {
    let yaml = "api_integrations:\n  - name: a\n    environments: &envs { live: { base_url: \"https://a.example\" } }\n  - name: b\n    environments: !!map &envs { live: { base_url: \"https://b.example\" } }\n  - name: c\n    environments: *envs\n    description: &text hi\n  - name: d\n    environments: *envs\n    description: &text2 [x]\n";
    let message = parse_str("apis.yaml", yaml).expect_err("a second `&envs`").to_string();
    let told = "apis.yaml:5:19: error: `api_integrations[1].environments`: the anchor `&envs` is defined again (first at line 3, column 19), which PyYAML (and so the ADK) refuses; give this one another name, and its aliases (`*name`) too";
    assert!(message.lines().any(|line| line == told), "{message}");
    assert_eq!(message.lines().filter(|line| line.contains("defined again")).count(), 1, "{message}");
    // distinct names, in flow and block, on scalars, lists and mappings: read as PyYAML reads them
    let fine = "api_integrations:\n  - &first\n    name: a\n    description: &d1 text\n    environments: &e1 { live: { base_url: &u \"https://a.example\" } }\n    operations: &ops\n      - { name: &n get, method: GET, resource: /a }\n  - <<: *first\n    name: b\n    description: *d1\n";
    parse_str("apis.yaml", fine).unwrap_or_else(|d| panic!("{d}"));
}
