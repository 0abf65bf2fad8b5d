//! YAML syntax errors and how they say to fix them: empty and multi-document
//! files, duplicate keys, block scalars, values where text belongs, reserved
//! characters, Markdown fences, and line endings that keep positions.

use super::*;

#[test]
fn an_empty_file() {
    expect("empty.yaml", &[(1, 1, &["the file is empty", "`api_integrations:`"])]);
    let only_comments = parse_str("apis.yaml", "# nothing yet\n").unwrap_err();
    assert!(only_comments.to_string().starts_with("apis.yaml:1:1: error: the file is empty, or holds only comments"));
    // a `---` among them starts a document that holds nothing
    let marked = parse_str("apis.yaml", "# the APIs\n---\n# none yet\n").unwrap_err().to_string();
    assert!(marked.starts_with("apis.yaml:1:1: error: the file is empty, or holds only comments"), "{marked}");
}

#[test]
fn more_than_one_document() {
    expect("two_documents.yaml", &[(2, 1, &["more than one YAML document", "`---`"])]);
}

#[test]
fn invalid_yaml_is_a_diagnostic() {
    let diagnostics = parse_str("apis.yaml", "api_integrations:\n  - name: [unclosed\n").unwrap_err();
    let line = diagnostics.lines().next().unwrap();
    assert!(line.starts_with("apis.yaml:") && line.contains("error: invalid YAML"), "{line}");
}

/// Found by fuzzing: a blank of more than one byte (U+0085, a no-break space, an
/// ideographic space) right before a key whose value holds `: ` made the search for
/// the key's start cut the blank in two, a panic; it is an error like any other.
#[test]
fn a_blank_of_more_than_one_byte_before_a_key_is_no_panic() {
    for blank in ['\u{85}', '\u{a0}', '\u{3000}'] {
        let text = format!(
            "api_integrations:\n  - name: crm\n    {blank}description: Note: cached\n    environments:\n      live: {{}}\n"
        );
        let diagnostics = parse_str("apis.yaml", &text).unwrap_err();
        assert_eq!(diagnostics.items.len(), 1, "{diagnostics}");
        let error = diagnostics.to_string();
        assert!(error.starts_with("apis.yaml:3:23: error: invalid YAML: mapping values are not allowed"), "{error}");
        // the fuzzer's file, shrunk
        let shrunk = parse_str("apis.yaml", &format!("{blank}: :")).unwrap_err().to_string();
        assert!(shrunk.starts_with("apis.yaml:1:4: error: invalid YAML"), "{shrunk}");
    }
}

#[test]
fn duplicate_keys_are_errors() {
    let diagnostics = parse_str("apis.yaml", "api_integrations: []\napi_integrations: []\n").unwrap_err();
    assert_eq!(
        diagnostics.lines().collect::<Vec<_>>(),
        ["apis.yaml:2:1: error: duplicate key `api_integrations` in the file (first at line 1); keep one"]
    );
}

#[test]
fn yaml_syntax_errors_say_what_to_write() {
    let operation = |line: &str| {
        let yaml = format!("api_integrations:\n  - name: a\n    environments: {{ live: {{}} }}\n    operations:\n      - name: get\n        method: GET\n        {line}\n");
        parse_str("apis.yaml", &yaml).unwrap_err().to_string()
    };
    let text = operation("description: [beta] Look up a ticket");
    assert!(
        text.contains("is a mapping or list in YAML; quote it: `description: \"[beta] Look up a ticket\"`"),
        "{text}"
    );
    let text = operation("resource: {id}/comments  # the comments");
    assert!(text.contains("quote it: `resource: \"{id}/comments\"`"), "{text}");
    let text = operation("description: [beta] \"new\" a\\b isn't");
    assert!(text.contains("quote it: `description: '[beta] \"new\" a\\b isn''t'`"), "{text}");
    // a mapping nesting others ends at its own `}`: a slip inside it is no text to quote
    let nested = parse_str(
        "apis.yaml",
        "api_integrations:\n  - name: z\n     environments: { sandbox: { base_url: \"https://z.example\" } }\n",
    )
    .unwrap_err()
    .to_string();
    assert!(!nested.contains("quote it") && nested.contains("is indented more than `name:` on line 2"), "{nested}");
    let comma = "api_integrations:\n  - name: crm\n    environments:\n      live: { base_url: \"https://crm.example\", auth: { username: agent password: { secret: PW } } }\n";
    let comma = parse_str("apis.yaml", comma).unwrap_err().to_string();
    // the key named, none of the values of an `auth:` block shown
    assert!(
        comma.contains("put a `,` before `password` if it is a key of its own") && comma.contains("quote the value"),
        "{comma}"
    );
    // after a plain space, or a no-break or ideographic one
    for blank in [" ", "\u{a0}", "\u{3000}"] {
        let comma = format!("api_integrations:\n  - name: crm\n    retry: {{ attempts: 2{blank}base_delay: 1s }}\n    environments:\n      live: {{}}\n");
        let comma = parse_str("apis.yaml", &comma).unwrap_err().to_string();
        assert!(comma.contains("put a `,` before `base_delay` if it is a key of its own"), "{comma}");
    }
    // one-line JSON: a slip inside a value is not told to quote the value around it
    let env = r#""environments": {"sandbox": {"base_url": "https://h.example"}}"#;
    for json in [
        format!(
            r#"{{"api_integrations": [{{"name": "a", {env}, "operations": [{{"name": "get", "method": "GET" "resource": "/t/{{id}}"}}]}}]}}"#
        ),
        format!(r#"{{"api_integrations": [{{"name": "a", {env},, "operations": []}}]}}"#),
        format!(r#"{{"api_integrations": [{{"name": "a", {env}}}]}}}}"#),
    ] {
        let text = parse_str("apis.json", &json).unwrap_err().to_string();
        assert!(!text.contains("quote it") && !text.contains("quote the value"), "{json}: {text}");
    }
    // a quote inside a quoted value ends it: said as the quote it is, with the value as meant
    let quoted_value = |value: &str| {
        format!("api_integrations:\n  - name: a\n    description: {value}\n    environments: {{ live: {{}} }}\n")
    };
    let text = parse_str("apis.yaml", &quoted_value("'Don't worry'")).unwrap_err().to_string();
    assert!(text.starts_with("apis.yaml:3:23: error: invalid YAML: invalid trailing content after single-quoted scalar; a `'` inside single quotes is written twice: `'Don''t worry'`"), "{text}");
    let text = parse_str("apis.yaml", &quoted_value("\"say \"hi\" é\"")).unwrap_err().to_string();
    assert!(text.contains("a `\"` inside double quotes is written `\\\"`: `\"say \\\"hi\\\" é\"`"), "{text}");
    parse_str("apis.yaml", &quoted_value("'Don''t worry'")).unwrap();
    // a key glued to the bracket of its value, as JavaScript writes it
    let text = parse_str(
        "apis.json",
        "{api_integrations:[{name: a, environments: {sandbox: {base_url: 'https://h.example'}}}]}\n",
    )
    .unwrap_err()
    .to_string();
    assert!(text.starts_with("apis.json:1:18: error: ") && text.contains("put a space after the `:`"), "{text}");
    // a plain value holding brackets or `: ` in a flow mapping is told to be quoted
    for (operation, fix) in [
        ("{name: get, method: GET, resource: /tickets/{ticket_id}}", "quote it: `resource: \"/tickets/{ticket_id}\"`"),
        (
            "{name: get, method: GET, resource: /t, description: Note: cached}",
            "quote it: `description: \"Note: cached\"`",
        ),
        ("{name: get, method: GET, resource: /t?x=[1]}", "quote it: `resource: \"/t?x=[1]\"`"),
    ] {
        let yaml = format!("api_integrations:\n  - name: a\n    environments: {{ live: {{}} }}\n    operations:\n      - {operation}\n");
        let text = parse_str("apis.yaml", &yaml).unwrap_err().to_string();
        assert!(text.contains(fix), "{operation}: {text}");
    }
    // in a flow mapping, the value ends at its `,` or `}`: the fix quotes it alone, the rest kept
    let flow = |lines: &str| {
        format!("api_integrations:\n  - name: a\n    environments: {{ live: {{}} }}\n    operations:\n{lines}")
    };
    for (lines, fixed) in [
        (
            "      - { name: get, method: GET, resource: /x,\n          description: [beta] Look up a contact }\n",
            "          description: \"[beta] Look up a contact\" }",
        ),
        (
            "      - {description: [beta] Look up a contact, name: get, method: GET, resource: /x}\n",
            "      - {description: \"[beta] Look up a contact\", name: get, method: GET, resource: /x}",
        ),
    ] {
        let text = parse_str("apis.yaml", &flow(lines)).unwrap_err().to_string();
        let fix = fixed.trim_start().trim_start_matches("- {");
        assert!(text.contains(&format!("quote it: `{fix}`")), "{text}");
        let last = lines.trim_end().lines().last().unwrap();
        parse_str("apis.yaml", &flow(&lines.replace(last, fixed))).unwrap_or_else(|d| panic!("{d}"));
    }
    // a secret glued to its key is not written out in the fix
    let glued = "api_integrations:\n  - name: a\n    environments:\n      live:\n        base_url: https://a.example\n        auth_type: apiKey\n        auth:\n          name: X-Key\n          value:sk_live_SECRET123\n          location: header\n";
    let text = parse_str("apis.yaml", glued).unwrap_err().to_string();
    assert!(text.contains("put a space after `value:`") && !text.contains("sk_live_SECRET123"), "{text}");
    // `: {` in quoted text is no value to quote
    let text = parse_str(
        "apis.yaml",
        &flow("      - { name: get, description: \"see: {a} b\", method: GET, resource: {id}/x }\n"),
    )
    .unwrap_err()
    .to_string();
    assert!(text.contains("quote it: `resource: \"{id}/x\" }`"), "{text}");
    let text = operation("resource: { path: \"/a}\" }/x");
    assert!(text.contains("quote it: `resource: '{ path: \"/a}\" }/x'`"), "{text}");
    let text = parse_str("apis.yaml", "api_integrations: [\n").unwrap_err().to_string();
    assert!(text.contains("the file ends inside something still open"), "{text}");
    // the file has one line: the error points at its end, not at a line after it
    for ending in ["", "\n", "\r\n", "\n\n  \n"] {
        let text = parse_str("apis.yaml", &format!("api_integrations: [{ending}")).unwrap_err().to_string();
        assert!(text.starts_with("apis.yaml:1:20: error: invalid YAML"), "{ending:?}: {text}");
    }
    // text where a key was expected is pointed at, on its own line, not where the parser noticed
    let text = parse_str("apis.yaml", "api_integrations:\n  - name: a\n    b").unwrap_err().to_string();
    assert!(
        text.starts_with("apis.yaml:3:5: error: invalid YAML") && text.contains("this line is no `key: value`"),
        "{text}"
    );
    let operation_lines = |lines: &str| {
        format!("api_integrations:\n  - name: a\n    environments: {{ live: {{}} }}\n    operations:\n      - name: get\n{lines}")
    };
    for (lines, at, fix) in [
        ("        method:GET\n        resource: /x\n", "6:9", "put a space after `method:`"),
        ("        method: GET\n        resource: /x\n        timeout:5s\n", "8:9", "put a space after `timeout:`"),
        (
            "        method: GET\n        description: >\n        Look up a contact\n        resource: /x\n",
            "8:9",
            "indent it more than that value's key",
        ),
        (
            "        method: GET\n        resource: /x\n        description: >\n        Look up a contact\n",
            "9:9",
            "indent it more than that value's key",
        ),
        // a key of the format, then its value, without the `:`; the value is not shown
        (
            "        method GET\n        resource: /x\n",
            "6:9",
            "a `:` is missing after `method`: write `method: ` and its value",
        ),
        // a URL under its key is no key glued to its value
        (
            "        method: GET\n        resource:\n        https://crm.example/x\n",
            "8:9",
            "indent it more than that value's key",
        ),
    ] {
        let text = parse_str("apis.yaml", &operation_lines(lines)).unwrap_err().to_string();
        assert!(
            text.starts_with(&format!("apis.yaml:{at}: error: invalid YAML")) && text.contains(fix),
            "{lines}: {text}"
        );
        assert!(!text.contains("still open"), "{text}");
    }
    // the line under a key, read as that key's text
    let environment =
        "api_integrations:\n  - name: a\n    environments:\n      live:\n        base_url https://a.example\n";
    let text = parse_str("apis.yaml", environment).unwrap_err().to_string();
    assert_eq!(text, "apis.yaml:5:9: error: `api_integrations[0].environments.live` must be a mapping (`key: value` lines), found text; a `:` is missing after `base_url`: write `base_url: ` and its value");
    let auth = "api_integrations:\n  - name: a\n    environments:\n      live:\n        base_url: https://a.example\n        auth_type: apiKey\n        auth:\n          value hunter2\n";
    let text = parse_str("apis.yaml", auth).unwrap_err().to_string();
    assert!(text.contains("a `:` is missing after `value`") && !text.contains("hunter2"), "{text}");
    let text =
        parse_str("apis.yaml", &operation_lines("        description: | Look up a contact\n")).unwrap_err().to_string();
    assert!(text.contains("the text of a `|` or `>` value starts on the next line"), "{text}");
    // a value too long to show again is not written out in the fix
    let long = format!("{{id}}/{}", "x".repeat(200));
    let text = operation(&format!("resource: {long}"));
    assert!(text.ends_with("is a mapping or list in YAML; quote the value") && !text.contains(&long), "{text}");
}

#[test]
fn brackets_nested_past_the_parsers_limit_say_so_without_the_value() {
    let deep = format!("{}{}", "[".repeat(300), "]".repeat(300));
    let text = parse_str("apis.yaml", &format!("api_integrations:\n  - name: a\n    description: {deep} x\n"))
        .unwrap_err()
        .to_string();
    assert!(
        text.ends_with(
            "invalid YAML: recursion limit exceeded; the YAML nests deeper than 128 levels, and the YAML reader gave up here, deeper still; flatten it"
        ),
        "{text}"
    );
}

#[test]
fn yaml_syntax_errors_say_how_to_fix_them() {
    for (yaml, fix) in [
        ("api_integrations:\n\t- name: a\n", "indent with spaces, not tabs"),
        ("api_integrations:\n  - name: a\n   environments: {}\n", "line it up with `name:` on line 2 (column 5)"),
        ("api_integrations:\n  - name: a\n    description: note: this\n", "quote a value that holds `: `"),
        ("api_integrations: [a, b\n", "the `[` opened at line 1, column 19 is still open: close it where its items end"),
        ("api_integrations:\n  - name: a\n    operations: [a, , b]\n", "3:21: error: invalid YAML: while parsing a node, did not find expected node content; remove this `,`: two in a row leave an item out"),
        ("{\"api_integrations\": [{\"name\": \"ab\",, \"x\": 1}]}\n", "1:37: error: invalid YAML: while parsing a node, did not find expected node content; remove this `,`"),
        ("api_integrations:\n  - name: a\n    description: ,\n", "3:18: error: invalid YAML: while parsing a node, did not find expected node content; check"),
        ("api_integrations:\n- name: a\n  environments: {live: {base_url: \"https://x.example\"}}#c\n", "3:56: error: invalid YAML: comments must be separated from other tokens by whitespace; put a space before the `#` if it starts a comment"),
        ("api_integrations:\n- name: a\n  description: \"x\"#c\n", "3:19: error: invalid YAML: comments must be separated from other tokens by whitespace; put a space before the `#`"),
        // a bracket in quoted text over lines is text; one closed by lines indented too little
        (
            "api_integrations:\n  - name: a\n    environments: { live: { base_url: \"https://a.example\" },\n      sandbox: { headers: { X-Note: \"a\n          [b\" } }\n    operations: []\n",
            "the `{` opened at line 3, column 19 is still open",
        ),
        (
            "api_integrations:\n  - name: a\n    environments: { live: { base_url: \"https://a.example\" }\n    operations: []\n",
            "apis.yaml:4:5: error: invalid YAML: invalid indentation in flow construct; the `{` opened at line 3, column 19 is still open: close it where its items end, with `,` between them",
        ),
        ("api_integrations:\n  - name: \"a\n", "close the quote"),
        ("api_integrations:\n  - name: \"a\n    operations: []\n", "the quoted value starting here goes on"),
    ] {
        let errors = parse_str("apis.yaml", yaml).unwrap_err().to_string();
        assert!(errors.contains("invalid YAML") && errors.contains(fix), "{yaml:?}: {errors}");
    }
}

#[test]
fn a_block_scalar_is_pointed_at_its_indicator_as_pyyaml_marks_it() {
    // the parser marks one at its first line of content, an empty one at the token
    // after it, lines below; each position here is PyYAML 6's mark of the value
    let ops = "api_integrations:\n  - name: z\n    environments: { live: { base_url: https://z.example } }\n    operations:\n      - name: x\n";
    let cases = [
        (
            "api_integrations:\n  - name: z\n    environments:\n      live:\n        base_url: >\n        auth_type: basic\n".to_string(),
            "apis.yaml:5:19: error: `api_integrations[0].environments.live.base_url` is empty",
        ),
        (format!("{ops}        method: |\n\n  # note\n\n        resource: /b\n"), "apis.yaml:6:17: error: `api_integrations[0].operations[0].method`"),
        (format!("{ops}        method: GET\n        resource: |-  # a | comment\n\n          /a b\n"), "apis.yaml:7:19: error: `api_integrations[0].operations[0].resource`"),
        (format!("{ops}        method: GET\n        resource: &r |\n          /a b\n"), "apis.yaml:7:19: error: `api_integrations[0].operations[0].resource`"),
        // content that looks like a header line
        (format!("{ops}        method: GET\n        resource: |\n          | a | b |\n"), "apis.yaml:7:19: error: `api_integrations[0].operations[0].resource`"),
        // the byte order mark is in no column
        ("\u{feff}api_integrations: >\n  text\n".to_string(), "apis.yaml:1:19: error: `api_integrations` must be a list"),
        // the whole file one, without `---`
        ("# notes\n>-\n  text\n".to_string(), "apis.yaml:2:1: error: "),
    ];
    for (yaml, expected) in cases {
        let lines = error_lines(&yaml);
        assert!(!lines.is_empty() && lines.iter().all(|line| line.starts_with(expected)), "{yaml}\n{lines:#?}");
    }
}

#[test]
fn crlf_line_endings_keep_positions() {
    let yaml = "api_integrations:\r\n  - name: Bad\r\n    environments: { live: {} }\r\n";
    let lines: Vec<String> = parse_str("apis.yaml", yaml).unwrap_err().lines().collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with("apis.yaml:2:11: error: `api_integrations[0].name` is `Bad`"), "{}", lines[0]);
}

#[test]
fn lone_cr_line_endings_keep_positions_and_hints() {
    // a `\r` alone ends a line in YAML (old Mac files), as `\n` and `\r\n` do
    let first = |yaml: &str| parse_str("apis.yaml", yaml).unwrap_err().lines().next().unwrap_or_default();
    let name = first("api_integrations:\r  - name: Bad\r    environments: { live: {} }\r");
    assert!(name.starts_with("apis.yaml:2:11: error: `api_integrations[0].name` is `Bad`"), "{name}");
    let raw = first("api_integrations:\r  - name: a\r    description: bell\u{7}here\r    environments: { live: {} }\r");
    assert!(raw.starts_with("apis.yaml:3:22: error: invalid YAML: the character U+0007"), "{raw}");
    let syntax = first("api_integrations:\r  - name: a\r    description: [beta] Look up\r    environments: {}\r");
    assert!(syntax.contains("quote it: `description: \"[beta] Look up\"`"), "{syntax}");
}

#[test]
fn a_list_or_mapping_where_text_belongs_and_an_alias_without_anchor_say_what_to_write() {
    let yaml = "api_integrations:
  - name: crm
    description: [a, b]
    environments: { live: { base_url: https://crm.example } }
";
    let message = parse_str("apis.yaml", yaml).expect_err("a list is no description").to_string();
    assert_eq!(
        message.trim_end(),
        "apis.yaml:3:18: error: `api_integrations[0].description` must be text, found a list; write one string, quoted if it starts with `[`, `{` or `-`"
    );
    let alias = parse_str("apis.yaml", "api_integrations: *nowhere\n").expect_err("no such anchor").to_string();
    assert!(
        alias.contains("define the anchor (`&name`) before the alias (`*name`), or write the value out"),
        "{alias}"
    );
}

#[test]
fn a_value_starting_with_a_reserved_character_is_told_to_be_quoted() {
    for (yaml, named) in [
        ("api_integrations:\n  - name: @a\n", "`@`"),
        ("`api_integrations:\n", "a backtick"),
        ("api_integrations:\n  - name: a\n    description: %d items\n", "`%`"),
    ] {
        let message = parse_str("apis.yaml", yaml).expect_err("a reserved character").to_string();
        let told = format!("a key or value may not start with {named}, which YAML reserves; write it in double quotes");
        assert!(message.contains(&told), "{message}");
    }
}

/// A file pasted from a chat answer, between Markdown fence lines, is told to lose
/// them, not to quote them.
#[test]
fn a_markdown_code_fence_around_the_file_is_told_to_be_removed() {
    for yaml in ["```yaml\napi_integrations: []\n```\n", "  ```\napi_integrations: []\n"] {
        let lines = error_lines(yaml);
        assert!(
            has_line(&lines, &["apis.yaml:1:", "a Markdown code fence", "remove it, and the fence's other line"]),
            "{lines:#?}"
        );
        assert!(!lines.iter().any(|line| line.contains("double quotes")), "{lines:#?}");
    }
}
