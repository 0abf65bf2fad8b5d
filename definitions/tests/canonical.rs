//! The canonical JSON form reads back into the same model as the file it came from.

use std::borrow::Cow;

use conv_api_definitions::{canonical_json, parse_embedded, parse_str, parse_with_recovery, Definitions, Span};

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
fn embedded_text_is_read_without_the_budgets_of_a_file() {
    // the canonical form of a file read within the budgets may hold more values and
    // text than the file (every default written out); here, past the 32 MiB of text
    let description = "d".repeat(1 << 20);
    let mut yaml = format!(
        "api_integrations:\n  - {{ name: a0, description: &d {description}, environments: {{ live: {{}} }} }}\n"
    );
    for n in 1..34 {
        yaml.push_str(&format!("  - {{ name: a{n}, description: *d, environments: {{ live: {{}} }} }}\n"));
    }
    let diagnostics = parse_with_recovery("apis.yaml", &yaml).diagnostics;
    assert!(diagnostics.to_string().contains("expands to more than 32 MiB of text"), "{diagnostics}");
    let (read_back, diagnostics) = parse_embedded("apis.yaml", &yaml);
    assert!(!diagnostics.has_errors(), "{diagnostics}");
    assert_eq!(read_back.apis.len(), 34);
    assert_eq!(read_back.apis[33].description.as_deref().map(str::len), Some(1 << 20));
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

#[test]
fn characters_yaml_may_hold_only_escaped_are_escaped() {
    // DEL, C1 controls (U+0085 among them), U+FFFE and U+FFFF: the file holds them
    // escaped, and so must the canonical form, or it would not read back
    let yaml = r#"api_integrations:
  - name: odd
    description: "a\x7fb\x85c\x9bd\uFFFEe\uFFFFf\u00A0g"
    environments:
      sandbox:
        base_url: https://odd.example
        auth_type: basic
        auth: { username: "bot\x80", password: { secret: ODD_PASSWORD } }
    operations:
      - { name: get, method: GET, resource: /x }
"#;
    let checked = parse_str("apis.yaml", yaml).expect("valid");
    assert_eq!(
        checked.definitions.apis[0].description.as_deref(),
        Some("a\u{7f}b\u{85}c\u{9b}d\u{fffe}e\u{ffff}f\u{a0}g")
    );
    let json = canonical_json(&checked.definitions);
    for escape in ["\\u007f", "\\u0085", "\\u009b", "\\ufffe", "\\uffff", "\\u0080"] {
        assert!(json.contains(escape), "{escape} in {json}");
    }
    assert!(json.contains("f\u{a0}g"), "printable characters stay as they are: {json}");
    round_trips("unprintable", yaml);
}

/// `text` as a YAML double-quoted string, every character but printable ASCII escaped.
fn yaml_quoted(text: &str) -> String {
    let mut quoted = String::from("\"");
    for c in text.chars() {
        match c {
            ' '..='~' if c != '"' && c != '\\' => quoted.push(c),
            _ if u32::from(c) <= 0xFFFF => quoted.push_str(&format!("\\u{:04X}", u32::from(c))),
            _ => quoted.push_str(&format!("\\U{:08X}", u32::from(c))),
        }
    }
    quoted + "\""
}

proptest::proptest! {
    /// Any text a file can hold in its literal fields, escaped as YAML allows, comes
    /// back from the canonical form unchanged.
    #[test]
    fn any_literal_text_round_trips(description in "\\PC*|[\\x00-\\x{ff}\\x{fff0}-\\x{ffff}]{0,12}", username in "[^\\x00]{1,12}") {
        let yaml = format!(
            "api_integrations:\n  - name: odd\n    description: {}\n    environments:\n      sandbox:\n        base_url: https://odd.example\n        auth_type: basic\n        auth: {{ username: {}, password: {{ secret: ODD_PASSWORD }} }}\n",
            yaml_quoted(&description),
            yaml_quoted(&username),
        );
        // texts the rules refuse (a blank username, say) are not this test's concern
        if parse_str("apis.yaml", &yaml).is_ok() {
            round_trips("literal text", &yaml);
        }
    }
}
