//! Deterministic hostile inputs: huge files, deep nesting, aliases that multiply,
//! invalid UTF-8, NUL bytes and control characters.

use super::*;

fn operation(i: usize) -> String {
    format!(
        "      - name: op_{i}\n        method: POST\n        resource: /items/{{item_id}}/parts/{{part}}?q={{term}}&n={i}\n        description: operation number {i}, with some text to make the file larger\n"
    )
}

#[test]
fn a_ten_megabyte_file_is_read() {
    let mut text = String::with_capacity(10 * 1024 * 1024 + 1024);
    text.push_str("api_integrations:\n");
    let (mut api, mut ops) = (0, 0);
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(&format!(
            "  - name: api_{api}\n    environments:\n      live: {{ base_url: \"https://api{api}.example\", auth_type: apiKey }}\n    operations:\n"
        ));
        for _ in 0..200 {
            text.push_str(&operation(ops));
            ops += 1;
        }
        api += 1;
    }
    let checked = parse_str("big.yaml", &text).unwrap_or_else(|d| panic!("{}", d.lines().next().unwrap_or_default()));
    assert_eq!(checked.definitions.apis.len(), api);
    assert_eq!(checked.definitions.operation_count(), ops);
}

#[test]
fn a_file_over_the_limit_is_refused_with_a_diagnostic() {
    let bytes = vec![b'#'; conv_api_definitions::MAX_FILE_BYTES + 1];
    let diagnostics = parse_bytes("huge.yaml", &bytes).unwrap_err();
    assert_eq!(diagnostics.items.len(), 1);
    assert!(diagnostics.items[0].message.contains("split it"), "{diagnostics}");
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    for text in ["[".repeat(200_000), "{a: ".repeat(50_000), "- ".repeat(50_000), nested_mappings(5_000)] {
        let diagnostics = parse_str("deep.yaml", &text).unwrap_err();
        assert_well_formed(&diagnostics);
        assert!(diagnostics.to_string().contains("nests"), "says what is wrong: {diagnostics}");
    }
    let diagnostics = parse_str("deep.yaml", &format!("api_integrations:\n{}", nested_mappings(200))).unwrap_err();
    assert!(diagnostics.to_string().contains("nests deeper than"), "{diagnostics}");
}

fn nested_mappings(depth: usize) -> String {
    (0..depth).map(|i| format!("{}a:\n", " ".repeat(i + 1))).collect()
}

#[test]
fn anchors_and_aliases_are_expanded() {
    let text = "api_integrations:
  - name: a
    environments:
      sandbox: &env { base_url: \"https://a.example\", auth_type: basic }
      live: *env
    operations:
      - &op { name: get, method: GET, resource: / }
  - name: b
    environments: { sandbox: *env }
    operations: [*op]
";
    let checked = parse_str("apis.yaml", text).unwrap();
    assert_eq!(checked.definitions.operation_count(), 2);
    assert!(checked.definitions.api("b").unwrap().operation("get").is_some());
}

#[test]
fn a_problem_in_an_alias_copy_is_reported_at_the_alias() {
    let text = "api_integrations:
  - name: a
    environments: &envs
      live: { base_url: \"http://x.example\", auth_type: basic }
    operations:
      - &op { name: get, method: GET, resource: / }
      - { <<: *op, resource: /other }
  - name: b
    environments: *envs
";
    let lines: Vec<String> = parse_str("apis.yaml", text).unwrap_err().lines().collect();
    assert_eq!(lines.len(), 3, "{lines:#?}");
    assert!(
        lines[0].starts_with("apis.yaml:4:25: error: `api_integrations[0].environments.live.base_url`"),
        "{lines:#?}"
    );
    // the merged name comes from the alias on line 7, and repeats the one on line 6
    assert!(lines[1].starts_with("apis.yaml:7:15: error: `api_integrations[0].operations[1].name`"), "{lines:#?}");
    assert!(lines[1].contains("already defined at line 6"), "{lines:#?}");
    assert!(
        lines[2].starts_with("apis.yaml:9:19: error: `api_integrations[1].environments.live.base_url`"),
        "{lines:#?}"
    );
}

#[test]
fn billion_laughs_is_bounded() {
    let mut text = String::from("x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..10 {
        let refs = vec![format!("*a{}", level - 1); 10].join(", ");
        text.push_str(&format!("x{level}: &a{level} [{refs}]\n"));
    }
    let diagnostics = parse_str("lol.yaml", &text).unwrap_err();
    assert!(diagnostics.to_string().contains("expands to more than"), "{diagnostics}");
    assert!(diagnostics.to_string().contains(" through its aliases (`*name`), "), "{diagnostics}");
}

#[test]
fn a_file_of_more_values_than_one_file_may_have_says_so_without_blaming_aliases() {
    // 2 MB, no alias: the values alone are past the budget
    let text = format!("api_integrations: []\nx: [{}]\n", vec!["0"; 1_000_000].join(","));
    let diagnostics = parse_str("many.yaml", &text).unwrap_err().to_string();
    let says = "the YAML has more than 1,000,000 values (keys, items and texts), the most one file may have; split its APIs over several files";
    assert!(diagnostics.contains(says) && !diagnostics.contains("aliases"), "{diagnostics}");
    // a few aliases of shared settings do not make the values theirs
    let text = format!("d: &d [0, 1]\ny: *d\nx: [{}]\n", vec!["0"; 1_000_000].join(","));
    let diagnostics = parse_str("many.yaml", &text).unwrap_err().to_string();
    assert!(diagnostics.contains(says), "{diagnostics}");
}

#[test]
fn aliases_of_a_long_scalar_are_bounded_by_their_text() {
    // 100,001 nodes, under the node budget, but 100 GB of text once expanded
    let text = format!("a: &a \"{}\"\nb: [{}]\n", "x".repeat(1_000_000), vec!["*a"; 100_000].join(", "));
    let diagnostics = parse_str("long.yaml", &text).unwrap_err();
    assert!(diagnostics.to_string().contains("expands to more than 32 MiB of text"), "{diagnostics}");
}

#[test]
fn the_copies_nested_anchors_keep_count_against_the_text_budget() {
    // one list of aliases holds 29 MiB of text; each anchored level around it keeps a copy
    let aliases = vec!["*s"; 1_000].join(", ");
    let nested = (1..=20).map(|level| format!("&a{level} [")).collect::<String>();
    let text = format!("s: &s \"{}\"\nb: {nested}{aliases}{}\n", "x".repeat(30_720), "]".repeat(20));
    let diagnostics = parse_str("nested.yaml", &text).unwrap_err();
    assert!(diagnostics.to_string().contains("expands to more than 32 MiB of text"), "{diagnostics}");
}

#[test]
fn a_file_near_the_size_limit_whose_one_anchor_spans_it_is_read() {
    // 15 MiB of text once, with the copy its anchor keeps: within the budget
    let description = "d".repeat(15 << 20);
    let yaml = format!(
        "api_integrations: &all\n  - {{ name: a, description: \"{description}\", environments: {{ live: {{}} }} }}\n"
    );
    let checked = parse_str("big.yaml", &yaml)
        .unwrap_or_else(|d| panic!("{}", d.to_string().chars().take(300).collect::<String>()));
    assert_eq!(checked.definitions.apis[0].description.as_deref().map(str::len), Some(15 << 20));
}

#[test]
fn aliases_cannot_nest_deeper_than_the_limit() {
    // each anchor nests 100 levels; the second holds the first: 200 in all
    let nest = |inner: &str| format!("{}{inner}{}", "[".repeat(100), "]".repeat(100));
    let text = format!("a0: &a0 {}\na1: &a1 {}\n", nest("x"), nest("*a0"));
    let diagnostics = parse_str("deep.yaml", &text).unwrap_err();
    assert!(diagnostics.to_string().contains("through this alias, the YAML nests deeper than 128"), "{diagnostics}");
    // at the limit it is fine: 28 levels around an alias of 100
    let text = format!("a0: &a0 {}\na1: {}*a0{}\n", nest("x"), "[".repeat(27), "]".repeat(27));
    assert!(parse_str("deep.yaml", &text).unwrap_err().to_string().contains("api_integrations"));
}

#[test]
fn invalid_utf8_is_a_diagnostic_with_line_and_column() {
    let bytes = b"api_integrations:\n  - name: caf\xc3\xa9\xff\n";
    let diagnostics = parse_bytes("latin1.yaml", bytes).unwrap_err();
    assert_eq!(
        diagnostics.lines().collect::<Vec<_>>(),
        ["latin1.yaml:2:15: error: the file is not valid UTF-8; save it as UTF-8"]
    );
    // a byte order mark takes no column, as in valid text
    let diagnostics = parse_bytes("bom.yaml", b"\xef\xbb\xbfab\xff: 1\n").unwrap_err();
    assert_eq!(
        diagnostics.lines().next(),
        Some("bom.yaml:1:3: error: the file is not valid UTF-8; save it as UTF-8".to_string())
    );
    // only the file's own mark: one on a later line is a character like any other
    let diagnostics = parse_bytes("bom.yaml", b"a: 1\n\xef\xbb\xbfab\xff: 1\n").unwrap_err();
    assert_eq!(
        diagnostics.lines().next(),
        Some("bom.yaml:2:4: error: the file is not valid UTF-8; save it as UTF-8".to_string())
    );
    // UTF-16, by its byte order mark, either way round
    for bom in [[0xFF, 0xFE], [0xFE, 0xFF]] {
        let bytes: Vec<u8> =
            bom.into_iter().chain("api_integrations: []\n".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let diagnostics = parse_bytes("utf16.yaml", &bytes).unwrap_err();
        assert_eq!(
            diagnostics.lines().collect::<Vec<_>>(),
            ["utf16.yaml:1:1: error: the file is UTF-16 text (as PowerShell's `>` and some Windows editors write it); save it as UTF-8"]
        );
    }
}

#[test]
fn a_nul_byte_says_to_save_as_utf8_not_to_indent_with_spaces() {
    let utf16: Vec<u8> = "api_integrations: []\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
    let message = parse_bytes("utf16.yaml", &utf16).unwrap_err().to_string();
    assert!(message.contains("save it as UTF-8") && !message.contains("tabs"), "{message}");
}

#[test]
fn nul_bytes_and_control_characters_are_diagnostics() {
    for (bytes, character) in [
        (&b"api_integrations:\n  - name: a\0b\n"[..], "U+0000"),
        (b"\x00\x01\x02", "U+0000"),
        ("api_integrations: [\u{7}]".as_bytes(), "U+0007"),
    ] {
        let diagnostics = parse_bytes("fuzz.yaml", bytes).expect_err("a control character is refused");
        assert_well_formed(&diagnostics);
        let told = format!("the character {character} may not be written");
        assert!(diagnostics.to_string().contains(&told), "{diagnostics}");
    }
}
