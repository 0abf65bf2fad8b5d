//! The canonical JSON form reads back into the same model as the file it came from.

use std::borrow::Cow;

use conv_api_definitions::{canonical_json, parse_str, Definitions, Span};

/// The model with every position cleared: the canonical form keeps values, not places.
fn without_spans(definitions: &Definitions) -> Definitions {
    let mut definitions = definitions.clone();
    let apis: Vec<_> = definitions
        .apis
        .iter()
        .cloned()
        .map(|mut api| {
            api.name.span = Span::default();
            let environments: Vec<_> = api
                .environments
                .iter()
                .cloned()
                .map(|mut e| {
                    e.span = Span::default();
                    e.base_url.span = Span::default();
                    e
                })
                .collect();
            api.environments = Cow::Owned(environments);
            let operations: Vec<_> = api
                .operations
                .iter()
                .cloned()
                .map(|mut op| {
                    op.name.span = Span::default();
                    op.resource.source.span = Span::default();
                    op
                })
                .collect();
            api.operations = Cow::Owned(operations);
            api
        })
        .collect();
    definitions.apis = Cow::Owned(apis);
    definitions
}

fn round_trips(name: &str, yaml: &str) {
    let original = parse_str(name, yaml).unwrap_or_else(|e| panic!("{name} is valid: {e}")).definitions;
    let json = canonical_json(&original);
    let read_back =
        parse_str("canonical", &json).unwrap_or_else(|e| panic!("canonical form of {name} is valid: {e}\n{json}"));
    assert_eq!(without_spans(&read_back.definitions), without_spans(&original), "{name}\n{json}");
}

#[test]
fn every_good_fixture_round_trips() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/good");
    let mut count = 0;
    for entry in std::fs::read_dir(dir).expect("good fixtures exist") {
        let path = entry.expect("a directory entry").path();
        let yaml = std::fs::read_to_string(&path).expect("fixture is readable");
        round_trips(&path.display().to_string(), &yaml);
        count += 1;
    }
    assert!(count >= 4, "only {count} fixtures");
}

#[test]
fn the_macro_fixture_round_trips() {
    let yaml = include_str!("../../macros/tests/fixtures/realistic.yaml");
    round_trips("realistic.yaml", yaml);
}

#[test]
fn comments_stay_out_and_unicode_escapes_and_durations_survive() {
    let yaml = "# password: hunter2 (a comment never reaches the canonical form)
api_integrations:
  - name: cafe
    description: \"Caf\u{e9} \\\"quotes\\\" and\\nlines\"
    environments:
      sandbox:
        base_url: https://caf\u{e9}.example/v1
    operations:
      - { name: menu, method: get, resource: \"/men%C3%BC/{day}?lang=fr&q={q}\", timeout: 1.5ms }
";
    let checked = parse_str("apis.yaml", yaml).expect("valid");
    let json = canonical_json(&checked.definitions);
    assert!(!json.contains("hunter2"), "{json}");
    assert!(json.contains(r#""timeout":"1.5ms""#), "{json}");
    round_trips("unicode", yaml);
}
