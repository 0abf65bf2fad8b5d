//! Reading YAML: syntax errors and their fixes, numbers, merge keys, duplicate keys, line endings.

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
fn numbers_are_read_as_yaml_1_2_reads_them() {
    let attempts = |written: &str| {
        let yaml =
            format!("api_integrations:\n  - name: a\n    retry: {{ attempts: {written} }}\n    environments: {{ live: {{}} }}\n    operations: []\n");
        parse_str("apis.yaml", &yaml).map(|checked| checked.definitions.api("a").unwrap().retry.attempts)
    };
    assert_eq!(attempts("0x3").unwrap(), Some(3));
    assert_eq!(attempts("0o5").unwrap(), Some(5));
    // a sign after the prefix makes text, as in every YAML loader
    for text in ["0x+3", "0o-5", "0x", "0xg"] {
        let errors = attempts(text).unwrap_err().to_string();
        assert!(errors.contains(&format!("found the text `{text}`")), "{errors}");
    }
    // a whole number too large for 64 bits is still a number
    for number in ["99999999999999999999", "-99999999999999999999", "0xFFFFFFFFFFFFFFFFFF"] {
        let errors = attempts(number).unwrap_err().to_string();
        assert!(errors.contains(&format!("found `{number}`")), "{errors}");
    }
}

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

/// An entry written without its `- ` repeats the keys of the entry above: one error
/// says to write the `- `, not one per key to delete.
#[test]
fn an_entry_without_its_dash_is_told_to_take_one_once() {
    let yaml = "api_integrations:
  - name: zendesk
    environments: { sandbox: { base_url: https://z.example } }
    operations:
      - name: get_ticket
        method: GET
        resource: /tickets/{ticket_id}
        name: list_tickets
        method: GET
        resource: /tickets
  - name: crm
    environments: { sandbox: { base_url: https://c.example } }
    name: erp
    environments: { sandbox: { base_url: https://e.example } }
";
    let lines: Vec<String> = parse_str("apis.yaml", yaml).unwrap_err().lines().collect();
    assert_eq!(
        lines,
        [
            "apis.yaml:8:9: error: duplicate key `name` in `api_integrations[0].operations[0]` (first at line 5); if line 8 starts another entry of `api_integrations[0].operations`, write `- ` before `name:` there; else keep one",
            "apis.yaml:13:5: error: duplicate key `name` in `api_integrations[1]` (first at line 11); if line 13 starts another entry of `api_integrations`, write `- ` before `name:` there; else keep one",
        ]
    );
    // a key repeated before it is told on its own
    let yaml = "api_integrations:\n  - name: a\n    description: x\n    description: y\n    name: b\n    environments: { live: { base_url: https://a.example } }\n";
    let lines: Vec<String> = parse_str("apis.yaml", yaml).unwrap_err().lines().collect();
    assert_eq!(lines.len(), 2, "{lines:#?}");
    assert!(lines[0].ends_with("duplicate key `description` in `api_integrations[0]` (first at line 3); keep one"));
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

/// PyYAML (and so the ADK) checks no indentation inside a quoted value or a bracket
/// that goes on over lines; YAML 1.2 wants those lines indented more than their key.
#[test]
fn lines_inside_a_quoted_value_or_a_bracket_are_read_whatever_their_indentation() {
    let api = "api_integrations:\n  - name: crm\n    environments: { sandbox: { base_url: \"https://x.example\" } }\n";
    let description = |checked: &Checked| checked.definitions.apis[0].operations[0].description.clone();
    for wrapped in [
        "\"Look up a contact by\n        its id\"",
        "'Look up a contact by\n        its id'",
        "\"Look up a contact by\nits id\"",
        "\"Look up a contact by\n  its id\"",
    ] {
        let file = format!("{api}    operations:\n      - name: get\n        method: GET\n        resource: /c\n        description: {wrapped}\n");
        let checked = parse_str("apis.yaml", &file).unwrap_or_else(|e| panic!("{wrapped}: {e}"));
        assert_eq!(description(&checked).as_deref(), Some("Look up a contact by its id"), "{wrapped}");
    }
    for operations in [
        "    operations: [\n{ name: get, method: GET, resource: /c }\n    ]\n",
        "    operations: [\n      { name: get, method: GET, resource: /c },\n]\n",
        "    operations:\n      - { name: get,\n      method: GET, resource: /c }\n",
        "    operations: [\n{ name: get,\nmethod: GET,\n  resource: /c }]\n",
    ] {
        let checked =
            parse_str("apis.yaml", &format!("{api}{operations}")).unwrap_or_else(|e| panic!("{operations}: {e}"));
        assert_eq!(checked.definitions.apis[0].operations[0].resource.source.value, "/c", "{operations}");
    }
    // told where it is written, not where the parser read it, beside a warning that
    // other YAML tools refuse those lines
    let errors =
        parse_str("apis.yaml", &format!("{api}    operations: [\n{{ name: get, method: GETT, resource: /c }}\n]\n"))
            .unwrap_err();
    let lines: Vec<String> = errors.lines().collect();
    assert_eq!(lines[0], "apis.yaml:4:17: warning: the `{ }` or `[ ]` opened here goes on to line 6, on lines indented no more than its key: PyYAML (and so the ADK) reads them so, other YAML tools refuse them; indent them more than the key");
    assert!(
        lines[1].starts_with("apis.yaml:5:22: error: `api_integrations[0].operations[0].method` is `GETT`"),
        "{errors}"
    );
    let errors =
        parse_str("apis.yaml", &format!("{api}    operations: [\n{{ name: get, method: GET resource: /c }}\n]\n"))
            .unwrap_err();
    assert!(errors.to_string().starts_with("apis.yaml:5:34: error: invalid YAML: while parsing a flow mapping, did not find expected ',' or '}'; put a `,` before `resource`"), "{errors}");
    // past 64 such values, the next is told to indent, with why
    let wrapped = "      - name: get_{n}\n        method: GET\n        resource: /c\n        description: \"Look up\n        a contact\"\n";
    let operations: String = (0..65).map(|n| wrapped.replace("{n}", &n.to_string())).collect();
    let errors = parse_str("apis.yaml", &format!("{api}    operations:\n{operations}")).unwrap_err().to_string();
    assert!(errors.starts_with("apis.yaml:328:22: error: invalid YAML: invalid indentation in quoted scalar;") && errors.contains("indent those lines more than its key (PyYAML reads it so, but a file has only its first 64 such values read so here"), "{errors}");
    let operations: String = (0..64).map(|n| wrapped.replace("{n}", &n.to_string())).collect();
    let checked = parse_str("apis.yaml", &format!("{api}    operations:\n{operations}")).unwrap();
    assert_eq!(checked.warnings.items.len(), 64);
    // a problem on a bracket's last line is its own
    let errors =
        parse_str("apis.yaml", &format!("{api}    operations: [\n{{ name: get, method: GET resource: /c }}]\n"))
            .unwrap_err();
    assert!(
        errors.to_string().starts_with(
            "apis.yaml:5:34: error: invalid YAML: while parsing a flow mapping, did not find expected ',' or '}'"
        ),
        "{errors}"
    );
    let errors = parse_str("apis.yaml", "x_a:\n  b: [1,\n*nope]\napi_integrations: []\n").unwrap_err();
    assert!(
        errors.to_string().starts_with("apis.yaml:3:1: error: invalid YAML: while parsing node, found unknown anchor"),
        "{errors}"
    );
    // one on a quoted value's last line is that of the quote, left open, of that value
    let operation = "    operations:\n      - name: get\n        description: \"Look up\na contact\"\n";
    let errors = parse_str("apis.yaml", &format!("{api}{operation}        method: \"GET\n        resource: \"/c\"\n"))
        .unwrap_err();
    assert!(errors.to_string().starts_with("apis.yaml:8:17: error: invalid YAML: invalid indentation in quoted scalar; the quoted value starting here goes on"), "{errors}");
    // a quote left open and closed by a later value's is read as PyYAML reads it, and told
    let swallowed = "    operations:\n      - name: get\n        description: 'Look up\n        method: GET\n        resource: /c\n      - name: list\n        description: Lists the users'\n        method: GET\n        resource: /u\n";
    let checked = parse_str("apis.yaml", &format!("{api}{swallowed}")).unwrap();
    let warnings: Vec<String> = checked.warnings.lines().collect();
    assert_eq!(warnings, ["apis.yaml:6:22: warning: the quoted value starting here goes on to line 10, on lines indented no more than its key: PyYAML (and so the ADK) reads them so, other YAML tools refuse them; indent them more than the key, or close the quote on this line if the value ends here"]);
    // a quote never closed, or closed only by the next value's: told as before
    for open in ["description: \"Looks up\n    operations: []\n", "description: \"Looks up\n    operations: \"x\"\n"] {
        let errors = parse_str("apis.yaml", &format!("{api}    {open}")).unwrap_err().to_string();
        assert!(errors.contains("apis.yaml:4:18: error: invalid YAML: invalid indentation in quoted scalar; the quoted value starting here goes on"), "{open}: {errors}");
    }
}

/// Where YAML 1.2 and PyYAML read a file otherwise, the file is read as PyYAML
/// reads it, or refused.
#[test]
fn a_block_value_ending_the_file_without_a_line_break_has_none_and_a_question_mark_in_a_flow_value_is_refused() {
    let api = "api_integrations:\n  - name: crm\n    environments: { sandbox: { base_url: \"https://x.example\" } }\n    operations:\n      - name: get\n        method: GET\n";
    for (end, description) in [
        ("|\n          by", "by"),
        ("|\n          by\n", "by\n"),
        (">+\n          by", "by"),
        ("|-\n          by\n", "by"),
    ] {
        let checked =
            parse_str("apis.yaml", &format!("{api}        resource: /c\n        description: {end}")).unwrap();
        assert_eq!(checked.definitions.apis[0].operations[0].description.as_deref(), Some(description), "{end:?}");
    }
    let checked = parse_str("apis.yaml", &format!("{api}        resource: >\n          /tickets/{{id}}")).unwrap();
    assert_eq!(checked.definitions.apis[0].operations[0].resource.source.value, "/tickets/{id}");
    let flow = |description: &str| {
        format!("api_integrations: [{{name: a, description: {description}, environments: {{live: {{base_url: \"https://x.example\"}}}}}}]\n")
    };
    let errors = parse_str("apis.yaml", &flow("Is it open? Yes")).unwrap_err();
    assert_eq!(errors.to_string(), "apis.yaml:1:43: error: `api_integrations[0].description`: invalid YAML: a value without quotes inside `{ }` or `[ ]` holds a `?`, where PyYAML (and so the ADK) ends it and then refuses the file; quote the value");
    parse_str("apis.yaml", &flow("\"Is it open? Yes\"")).unwrap();
    // an anchor's name of other characters than PyYAML reads in one
    let anchored = |name: &str| {
        format!("api_integrations:\n  - name: a\n    environments: &{name} {{ live: {{ base_url: \"https://x.example\" }} }}\n  - name: b\n    environments: *{name}\n")
    };
    parse_str("apis.yaml", &anchored("env-defaults_2")).unwrap();
    let errors = parse_str("apis.yaml", &anchored("env.defaults")).unwrap_err();
    assert_eq!(errors.to_string(), "apis.yaml:3:19: error: `api_integrations[0].environments`: the anchor `&env.defaults` holds a character PyYAML (and so the ADK) refuses in an anchor's name; name it with letters, digits, `-` and `_` only, and its aliases (`*name`) too");
    parse_str("apis.yaml", "api_integrations:\n  - name: a\n    description: Is it open? Yes\n    environments: { live: { base_url: \"https://x.example\" } }\n").unwrap();
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

/// A key out of line with the keys above it is the commonest slip in a hand-written
/// file: the fix names the keys it could line up with, by line and column.
#[test]
fn a_key_indented_out_of_line_names_the_keys_it_could_line_up_with() {
    let head = "api_integrations:\n  - name: a\n    environments:\n      live:\n        base_url: https://a.example\n    operations:\n      - name: b\n        method: GET\n        resource: /x/{id}\n";
    let first =
        |tail: &str| parse_str("apis.yaml", &format!("{head}{tail}")).unwrap_err().lines().next().unwrap_or_default();
    assert_eq!(
        first("      description: hi\n"),
        "apis.yaml:10:7: error: invalid YAML: while parsing a block collection, did not find expected '-' indicator; `description:` lines up with the `- ` on line 7 that starts an entry of a list, but starts no entry itself; YAML nests by indentation: indent it as `resource:` on line 9 (column 9) to be a key of that entry, or write `- ` before it to start an entry"
    );
    assert!(
        first("       description: hi\n").ends_with("`description:` starts at column 8, in line with no key above it; YAML nests by indentation: line it up with `resource:` on line 9 (column 9) to be a key beside it, or with `operations:` on line 6 (column 5)")
    );
    assert!(
        first("         description: hi\n").starts_with("apis.yaml:10:10: error: invalid YAML: mapping values are not allowed in this context; `description:` is indented more than `resource:` on line 9, so YAML reads this line as more of that key's value; YAML nests by indentation: line it up with `resource:` (column 9)")
    );
    assert!(first("     - name: c\n        method: GET\n").ends_with("this entry's `- ` is at column 6, in line with no `- ` above it; YAML nests by indentation: line it up with the `- ` on line 7 (column 7) to be an entry of that list"));
    // an entry one level out of its list is told the `- ` to line up with, not to drop it
    assert!(first("    - name: c\n      method: GET\n")
        .ends_with("line it up with the `- ` on line 7 (column 7) to be an entry of that list"));
    // in line with a mapping's keys, the `- ` is what is wrong
    let environment = "api_integrations:\n  - name: a\n    environments:\n      sandbox:\n        base_url: https://s.example\n      - live:\n        base_url: https://a.example\n";
    assert_eq!(
        error_lines(environment),
        ["apis.yaml:6:7: error: invalid YAML: while parsing a block mapping, did not find expected key; this entry's `- ` is in line with `sandbox:` on line 4 (column 7), a key of a mapping, and a mapping's keys take no `- `: remove it"]
    );
    // in an `auth:` block, keys are named but no value is shown
    let auth = "api_integrations:\n  - name: a\n    environments:\n      live:\n        base_url: https://a.example\n        auth_type: basic\n        auth:\n          password: Kv4sWn8j\n         username: agent\n";
    let lines = error_lines(auth);
    assert!(
        lines.len() == 1 && lines[0].contains("`username:` starts at column 10") && !lines[0].contains("Kv4sWn8j"),
        "{lines:?}"
    );
}

/// `-name:`, a list entry's `- ` without its space, is a key to YAML: the lines under
/// it then nest under nothing, and the fix is the space, not their indentation.
#[test]
fn a_dash_without_its_space_is_told_to_take_one() {
    let head = "api_integrations:\n  - name: a\n    environments:\n      live:\n        base_url: https://a.example\n    operations:\n";
    let fix = "`-name:` has no space after its `-`, so YAML reads `-name` as a key, not as the `- ` that starts a list entry; write `- name:`";
    for (tail, at) in [
        // the keys under it are read as more of its value
        ("      -name: b\n        method: GET\n", "apis.yaml:7:7"),
        // a second entry, out of line with the first's `- `
        (
            "      - name: b\n        method: GET\n        resource: /b\n      -name: c\n        method: GET\n",
            "apis.yaml:10:7",
        ),
    ] {
        let lines = error_lines(&format!("{head}{tail}"));
        assert!(lines.len() == 1 && lines[0].starts_with(at) && lines[0].ends_with(fix), "{tail:?}: {lines:?}");
    }
    // `auth:` holds no list, and its keys may be secrets: another fix, which shows none
    let auth = "api_integrations:\n  - name: a\n    environments:\n      live:\n        auth:\n          -Kv4sWn8j: x\n            y: z\n";
    let lines = error_lines(auth);
    assert!(lines.len() == 1 && !lines[0].contains("no space after") && !lines[0].contains("Kv4sWn8j"), "{lines:?}");
    // nor when the line after it, out of the block, is the one the parser marks
    let out_of_auth = "api_integrations:\n  - name: a\n    environments:\n      live:\n        auth_type: apiKey\n        auth:\n          -sk_live_51Habc:\n     operations: []\n";
    let lines = error_lines(out_of_auth);
    assert!(
        lines.len() == 1 && lines[0].contains("`operations:` starts at column 6") && !lines[0].contains("sk_live"),
        "{lines:?}"
    );
    // `---`, a document's start, is no entry
    assert!(parse_str("apis.yaml", "---\napi_integrations: []\n").is_ok());
}

/// YAML reads a key of at most 1024 characters; the parser marks the line of a longer
/// one as expecting a `:`, which reads as if the line above were wrong.
#[test]
fn a_key_longer_than_yaml_reads_is_pointed_at_and_its_length_told() {
    for length in [1100, 200_000] {
        let yaml = format!(
            "api_integrations:\n  - name: a\n    environments: {{ live: {{}} }}\n    {}: 1\n",
            "x".repeat(length)
        );
        let lines = error_lines(&yaml);
        assert_eq!(
            lines,
            [format!("apis.yaml:4:5: error: invalid YAML: simple key expect ':'; this key is {length} characters long, and YAML reads a key of at most 1024: check what this line is meant to be")]
        );
    }
}

#[test]
fn a_tab_in_the_indentation_is_pointed_at_where_it_is() {
    let first = |yaml: &str| parse_str("apis.yaml", yaml).unwrap_err().lines().next().unwrap_or_default();
    for (yaml, at) in [
        // the parser stops in the value before the tab, on the line above
        ("api_integrations:\n  - name: a\n\tenvironments: {}\n", "apis.yaml:3:1:"),
        ("api_integrations:\r\n  - name: caf\u{e9}\r\n  \t  environments: {}\r\n", "apis.yaml:3:3:"),
        ("api_integrations:\n\t- name: a\n", "apis.yaml:2:1:"),
        // a tab after a value, or inside one, is not the one complained of
        ("api_integrations:\n  - name: a\t\n\tenvironments: {}\n", "apis.yaml:3:1:"),
        ("api_integrations:\n  - name: a\tb\n\tenvironments: {}\n", "apis.yaml:3:1:"),
    ] {
        let error = first(yaml);
        assert!(error.starts_with(at) && error.contains("indent with spaces, not tabs"), "{yaml:?}: {error}");
    }
}

#[test]
fn a_tab_between_a_key_or_dash_and_its_value_is_pointed_at_with_the_space_to_write() {
    let first = |yaml: &str| parse_str("apis.yaml", yaml).unwrap_err().lines().next().unwrap_or_default();
    for (yaml, expected) in [
        (
            "api_integrations:\n  - name: a\n    operations:\n      - method:\tGET\n",
            "apis.yaml:4:16: error: invalid YAML: ':' must be followed by a valid YAML whitespace; write a space after `method:`, not a tab",
        ),
        (
            "api_integrations:\n  - name: a\n    operations:\n      -   method:\tGET\n",
            "apis.yaml:4:18: error: invalid YAML: ':' must be followed by a valid YAML whitespace; write a space after `method:`, not a tab",
        ),
        (
            "api_integrations:\n  - name: a\n    operations:\n      - name:  \t get\n        method:\tGET\n",
            "apis.yaml:5:16: error: invalid YAML: ':' must be followed by a valid YAML whitespace; write a space after `method:`, not a tab",
        ),
        // on a line of flow style, the key alone: not the settings before it
        (
            "api_integrations:\n  - name: a\n    environments:\n      live: { auth: { password: hunter2 }, base_url:\thttps://a.example }\n",
            "apis.yaml:4:53: error: invalid YAML: ':' must be followed by a valid YAML whitespace; write a space after `base_url:`, not a tab",
        ),
        (
            "api_integrations:\n  - name: a\n    operations: [{ name: b, method:\tGET }]\n",
            "apis.yaml:3:36: error: invalid YAML: ':' must be followed by a valid YAML whitespace; write a space after `method:`, not a tab",
        ),
        // in an `auth:` block, a key may be a secret written where its name goes
        (
            "api_integrations:\n  - name: a\n    environments:\n      live:\n        auth:\n          s3cr3t:\tabc\n",
            "apis.yaml:6:18: error: invalid YAML: ':' must be followed by a valid YAML whitespace; write a space after the `:`, not a tab",
        ),
        (
            "api_integrations:\n  -\t- a\n",
            "apis.yaml:2:4: error: invalid YAML: '-' must be followed by a valid YAML whitespace; write a space after the `-`, not a tab",
        ),
    ] {
        assert_eq!(first(yaml), expected, "{yaml:?}");
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
fn a_byte_order_mark_inside_a_value_is_text_as_pyyaml_reads_it() {
    // text copied from web pages carries the invisible U+FEFF: PyYAML keeps it in
    // plain, block and quoted values alike
    let yaml = "api_integrations:\n  - name: a\n    description: Support\u{feff} tickets\n    environments: { sandbox: {} }\n    operations:\n      - name: get\n        method: GET\n        resource: /x\n        description: |\n          Look\u{feff} up\n      - { name: put, method: PUT, resource: \"/y\u{feff}\" }\n";
    let lines = error_lines(yaml);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with("apis.yaml:11:48: error: `api_integrations[0].operations[1].resource`: at character 3 of the resource, there is `\\u{feff}`, a character that shows as nothing"),
        "{}",
        lines[0]
    );
    let checked = parse_str("apis.yaml", &yaml.replace("/y\u{feff}", "/y")).unwrap();
    let api = checked.definitions.api("a").unwrap();
    assert_eq!(api.description.as_deref(), Some("Support\u{feff} tickets"));
    assert_eq!(api.operation("get").unwrap().description.as_deref(), Some("Look\u{feff} up\n"));
}

#[test]
fn a_byte_order_mark_out_of_place_is_pointed_at_and_named_as_the_thing_to_remove() {
    let remove = "remove the invisible character U+FEFF (a byte order mark) at this point";
    let head = "api_integrations:\n  - name: a\n    environments:\n";
    for yaml in [
        // between a value and its comment, where PyYAML refuses it too
        format!("{head}      sandbox: {{ base_url: \"https://a.example\" }}   \u{feff}# note\n"),
        // beside a U+FDD0, which the parser's stand-in for it is not then
        format!("{head}      sandbox: {{ base_url: \"https://a.example\" }}   \u{feff}# note \u{fdd0}\n"),
    ] {
        let lines = error_lines(&yaml);
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(lines[0].starts_with("apis.yaml:4:52: error: invalid YAML: "), "{}", lines[0]);
        assert!(lines[0].contains(remove) && !lines[0].contains("quote"), "{}", lines[0]);
    }
    // at the start of a line, where files joined by `cat` leave it: that line, not the
    // one the parser stumbles on
    let entry = "  - name: b\n    environments: { sandbox: { base_url: \"https://b.example\" } }\n";
    let head = format!("{head}      sandbox: {{ base_url: \"https://a.example\" }}\n");
    for yaml in [format!("{head}\u{feff}{entry}"), format!("{head}\u{feff}\n{entry}")] {
        let lines = error_lines(&yaml);
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(lines[0].starts_with("apis.yaml:5:1: error: invalid YAML: "), "{}", lines[0]);
        assert!(lines[0].contains(remove) && !lines[0].contains("key: value"), "{}", lines[0]);
    }
    // one the parser reads past, before the error that is: not blamed
    for (yaml, told) in [
        (
            "api_integrations: []\n\u{feff}x_owner: 2\ny: 3\nx_bad: a: b\n",
            "apis.yaml:4:9: error: invalid YAML: mapping values are not allowed",
        ),
        ("api_integrations: []\n\u{feff}y: 2\n\tz: 3\n", "indent with spaces, not tabs"),
    ] {
        let lines = error_lines(yaml);
        assert!(
            lines.iter().any(|line| line.contains(told)) && !lines.iter().any(|line| line.contains(remove)),
            "{lines:?}"
        );
    }
}

#[test]
fn a_byte_order_mark_in_a_tag_or_a_block_header_is_pointed_at() {
    for (yaml, at) in [
        ("api_integrations: !!seq\u{feff} []\n".to_string(), "apis.yaml:1:24: error: invalid YAML: "),
        (
            "api_integrations:\n  - name: a\n    description: |\u{feff}\n      text\n    environments: { sandbox: {} }\n".to_string(),
            "apis.yaml:3:19: error: invalid YAML: ",
        ),
    ] {
        let lines = error_lines(&yaml);
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(lines[0].starts_with(at), "{}", lines[0]);
        assert!(lines[0].contains("remove the invisible character U+FEFF"), "{}", lines[0]);
    }
}

#[test]
fn a_byte_order_mark_after_an_alias_is_blamed_not_the_anchor() {
    let yaml = "api_integrations:\n  - name: a\n    environments: &envs { sandbox: {} }\n  - name: b\n    environments: *envs\u{feff}\n";
    let lines = error_lines(yaml);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with("apis.yaml:5:24: error: invalid YAML: "), "{}", lines[0]);
    assert!(lines[0].contains("remove the invisible character U+FEFF"), "{}", lines[0]);
}

#[test]
fn the_stand_in_for_a_byte_order_mark_is_one_the_file_does_not_hold() {
    let yaml = "api_integrations:\n  - name: a\n    description: \"marker \\uFDD0 and \u{fdd1}\"\n    environments: { sandbox: {} }\n    operations:\n      - { name: get, method: GET, resource: /x, description: Look\u{feff} \u{fdd0}up }\n";
    let checked = parse_str("apis.yaml", yaml).unwrap();
    let api = checked.definitions.api("a").unwrap();
    assert_eq!(api.description.as_deref(), Some("marker \u{fdd0} and \u{fdd1}"));
    assert_eq!(api.operation("get").unwrap().description.as_deref(), Some("Look\u{feff} \u{fdd0}up"));
}

#[test]
fn a_json_surrogate_pair_escape_is_pointed_at_with_the_one_escape_yaml_reads() {
    let yaml = "api_integrations:\n  - name: a\n    description: \"Caf\\u00e9 \\ud83d\\ude00\"\n";
    let lines = error_lines(yaml);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with("apis.yaml:3:29: error: invalid YAML: "), "{}", lines[0]);
    assert!(
        lines[0].ends_with("YAML does not read `\\ud83d\\ude00`, the two UTF-16 halves of `\u{1f600}` (as JSON escapes it): write it as one, `\\U0001F600`, or write `\u{1f600}` itself"),
        "{}",
        lines[0]
    );
    let lone = error_lines("api_integrations:\n  - name: a\n    description: \"x \\udc00\"\n");
    assert!(
        lone[0].starts_with("apis.yaml:3:21: error: ") && lone[0].contains("`\\udc00` is half of a UTF-16 pair"),
        "{}",
        lone[0]
    );
    // written as YAML writes it, it is read
    let fixed = format!("{}    environments: {{ sandbox: {{}} }}\n", yaml.replace("\\ud83d\\ude00", "\\U0001F600"));
    let checked = parse_str("apis.yaml", &fixed).unwrap();
    assert_eq!(checked.definitions.api("a").unwrap().description.as_deref(), Some("Caf\u{e9} \u{1f600}"));
}

#[test]
fn an_error_on_a_line_that_keeps_a_byte_order_mark_in_a_value_is_not_blamed_on_it() {
    let head = "api_integrations:\n  - name: a\n";
    for (yaml, at, fix) in [
        (format!("{head}    description: \"Look\u{feff}up\n"), "apis.yaml:3:18: ", "close the quote"),
        (
            format!("{head}    environments: {{ sandbox: {{}} \"x\u{feff}\" }}\n"),
            "apis.yaml:3:33: ",
            "did not find expected ','",
        ),
    ] {
        let lines = error_lines(&yaml);
        assert!(lines[0].starts_with(at) && lines[0].contains(fix), "{}", lines[0]);
        assert!(!lines[0].contains("U+FEFF"), "{}", lines[0]);
    }
    // hex text (a hash, an id) does not keep a stand-in from being chosen
    let hex: String = (0xfdd0..=0xfdefu32).map(|code| format!("{code:x} ")).collect();
    let yaml = format!("{head}    description: Look\u{feff}up {hex}\n    environments: {{ sandbox: {{}} }}\n");
    assert!(parse_str("apis.yaml", &yaml).is_ok());
}

#[test]
fn escape_errors_in_double_quotes_point_at_the_escape() {
    let head = "api_integrations:\n  - name: a\n";
    let tail = "    environments: { sandbox: {} }\n";
    for (yaml, at, says) in [
        // `\\` is a backslash: the lone low half after it is the fault
        (
            format!("{head}    description: \"x \\\\ud83d\\ude00\"\n{tail}"),
            "apis.yaml:3:28: ",
            "`\\ude00` is half of a UTF-16 pair",
        ),
        // on the second line of the value, and before a U+FEFF on its line
        (
            format!("{head}    description: \"A long text\n      goes on \\ud83d\\ude00 \u{feff}\"\n{tail}"),
            "apis.yaml:4:15: ",
            "`\\U0001F600`",
        ),
        // a Windows path: `\u` takes four hex digits
        (format!("{head}    description: \"C:\\users\\me\"\n{tail}"), "apis.yaml:3:", "write `\\\\` for a backslash"),
        // an escape YAML does not know, pointed at
        (format!("{head}    description: \"C:\\data\"\n{tail}"), "apis.yaml:3:21: ", "write `\\\\` for a backslash"),
        // too few hex digits, on the value's second line
        (
            format!("{head}    description: \"line one\n      goes on \\xZ1 here\"\n{tail}"),
            "apis.yaml:4:15: ",
            "`\\x` takes two hex digits",
        ),
        // a code past the last character, before a surrogate
        (
            format!("{head}    description: \"\\U00110000 \\uD83D\"\n{tail}"),
            "apis.yaml:3:19: ",
            "`\\U00110000` is past U+10FFFF",
        ),
        // a backslash before the closing quote escapes it (a comment after it too)
        (
            format!("{head}    description: \"C:\\temp\\\"  # scratch\n{tail}"),
            "apis.yaml:3:26: ",
            "`\\\"` is an escaped quote, not the end of the value",
        ),
        // a backslash before the closing quote escapes it
        (
            format!("{head}    description: \"C:\\temp\\\"\n{tail}"),
            "apis.yaml:3:26: ",
            "`\\\"` is an escaped quote, not the end of the value",
        ),
        // a surrogate in the long escape too
        (
            format!("{head}    description: \"x \\U0000D83D y\"\n{tail}"),
            "apis.yaml:3:21: ",
            "`\\U0000D83D` is half of a UTF-16 pair",
        ),
    ] {
        let lines = error_lines(&yaml);
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(lines[0].starts_with(at) && lines[0].contains(says), "{}", lines[0]);
        assert!(!lines[0].contains("check this line's indentation"), "{}", lines[0]);
    }
}

#[test]
fn an_escaped_closing_quote_after_paired_ones_or_before_a_comment_holding_some_is_named() {
    for line in ["description: \"say \\\"hi\\\" in C:\\temp\\\"", "description: \"C:\\temp\\\"  # the \\\"tmp\\\" dir"]
    {
        let yaml = format!("api_integrations:\n  - name: a\n    {line}\n    environments: {{ sandbox: {{}} }}\n");
        let lines = error_lines(&yaml);
        assert!(lines[0].contains("is an escaped quote, not the end of the value"), "{}", lines[0]);
    }
}

#[test]
fn escaped_quotes_inside_a_value_whose_closing_quote_is_missing_are_not_blamed() {
    let yaml = "api_integrations:\n  - name: a\n    description: \"Returns the \\\"id\\\"\n    environments: { sandbox: {} }\n";
    let lines = error_lines(yaml);
    assert!(lines[0].starts_with("apis.yaml:3:18: ") && lines[0].contains("close its quote"), "{}", lines[0]);
    assert!(!lines[0].contains("escaped quote"), "{}", lines[0]);
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
fn control_characters_written_raw_are_refused_as_pyyaml_refuses_them() {
    let file = |description: &str| {
        format!("api_integrations:\n  - name: a\n    description: {description}\n    environments: {{ live: {{}} }}\n")
    };
    let lines: Vec<String> = parse_str("apis.yaml", &file("bell\u{7}here")).unwrap_err().lines().collect();
    assert_eq!(
        lines,
        ["apis.yaml:3:22: error: invalid YAML: the character U+0007 may not be written in a YAML file; remove it, or write it escaped in a double-quoted text (`\"\\u0007\"`)"]
    );
    for raw in ["\u{7f}", "\u{9b}", "\u{fffe}"] {
        let error = parse_str("apis.yaml", &file(&format!("x{raw}y"))).unwrap_err().to_string();
        assert!(error.contains("may not be written in a YAML file"), "{raw:?}: {error}");
    }
    // escaped, or printable beyond ASCII (a right-to-left mark), they are text
    for fine in ["\"bell\\ahere\"", "caf\u{e9} \u{202e}"] {
        assert!(parse_str("apis.yaml", &file(fine)).is_ok(), "{fine:?}");
    }
}

/// PyYAML takes only a space between tokens and in a plain value, and ends a line
/// at U+0085, U+2028 and U+2029: a file `check` passes must load in the ADK.
#[test]
fn tabs_and_unicode_line_breaks_pyyaml_refuses_are_refused_where_they_are() {
    let between =
        "invalid YAML: a tab outside quotes and comments, which PyYAML (and so the ADK) refuses; write spaces instead";
    let in_value = "invalid YAML: a tab inside a value written without quotes, which PyYAML (and so the ADK) refuses; write a space, or double-quote the value and write the tab as `\\t`";
    let separator = "invalid YAML: the character U+2028 (a line separator), which PyYAML (and so the ADK) reads as a line break; remove it, or write it escaped in a double-quoted text (`\"\\u2028\"`)";
    for (line, at, told) in [
        ("    description: a\tb\n", "3:19", in_value),
        ("    description: a\n      \tb\n", "4:7", in_value),
        ("    description: a\t\n", "3:19", between),
        ("    description: \"a\"\t# note\n", "3:21", between),
        ("    description: a\n\t\n", "4:1", between),
        ("    description: a\u{2028}b\n", "3:19", separator),
        ("    # a note\u{2028}b\n", "3:13", separator),
    ] {
        let yaml = format!("api_integrations:\n  - name: a\n{line}    environments: {{ live: {{ base_url: \"https://a.example\" }} }}\n");
        let message = parse_str("apis.yaml", &yaml).expect_err("PyYAML refuses it").to_string();
        let told = format!("apis.yaml:{at}: error: {told}");
        assert!(message.lines().any(|shown| shown == told), "{line:?}: {message}");
    }
    // around a block text's header, after quotes whose comment holds one, or where
    // PyYAML reads the value otherwise (folded, or without the blank beside it)
    for (line, at) in [
        ("    description: |\t\n      a\n", "3:19"),
        ("    description: | \t# note\n      a\n", "3:20"),
        ("    description: \"a\"\t# the \"main\" API\n", "3:21"),
        ("    description: 'a'\t# it's\n", "3:21"),
        ("    description: \"Loading\u{85} please wait\"\n", "3:26"),
        ("    description: \"a \u{2028}b\"\n", "3:21"),
        ("    description: \"a\u{2028}\n      b\"\n", "3:20"),
        ("    description: |\n      a\u{2029}\n", "4:8"),
    ] {
        let yaml = format!("api_integrations:\n  - name: a\n{line}    environments: {{ live: {{ base_url: \"https://a.example\" }} }}\n");
        let message = parse_str("apis.yaml", &yaml).expect_err("PyYAML refuses or reads it otherwise").to_string();
        assert!(
            message.lines().any(|shown| shown.starts_with(&format!("apis.yaml:{at}: error: invalid YAML: "))),
            "{line:?}: {message}"
        );
    }
    // in quotes, in block text or in a comment, as PyYAML reads them; one problem a line
    let fine = "# from the wiki\u{2028}\napi_integrations:\n  - name: a # a\tnote\n    description: \"a\tb\u{2028}c\"\n    environments: { live: { base_url: 'https://a.example' } }\n  - name: b\n    description: |  # a\tnote\n      a\tb\n      c\n    environments: { live: { base_url: \"https://b.example\" } }\n";
    parse_str("apis.yaml", fine).unwrap_or_else(|d| panic!("{d}"));
    let twice = fine.replace("description: |  # a\tnote\n      a\tb\n      c", "description: a\tb\tc");
    let message = parse_str("apis.yaml", &twice).expect_err("a tab in a plain value").to_string();
    assert_eq!(message.matches("a tab inside a value").count(), 1, "{message}");
    // past ten lines, one problem counts the others
    let trailing: String = (0..14).map(|n| format!("  - name: a{n}\t\n    environments: {{ live: {{}} }}\n")).collect();
    let message = parse_str("apis.yaml", &format!("api_integrations:\n{trailing}")).expect_err("tabs").to_string();
    assert_eq!(message.matches("a tab outside quotes").count(), 10, "{message}");
    let more = "apis.yaml:22:14: error: invalid YAML: 4 more lines, from this one on, hold a tab or a Unicode line break where PyYAML (and so the ADK) refuses one";
    assert!(message.lines().any(|shown| shown.starts_with(more)), "{message}");
    let eleven: String = (0..11).map(|n| format!("  - name: a{n}\t\n    environments: {{ live: {{}} }}\n")).collect();
    let message = parse_str("apis.yaml", &format!("api_integrations:\n{eleven}")).expect_err("tabs").to_string();
    assert_eq!(message.matches("a tab outside quotes").count(), 11, "one line past ten is told itself: {message}");
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

/// saphyr reads these as text; PyYAML, and so the ADK, refuses them: a file that
/// `check` passes must load there.
#[test]
fn plain_values_pyyaml_cannot_read_are_told_to_be_quoted() {
    let block_text = "block text; write it in double quotes";
    for (yaml, at, told) in [
        ("    description: { x: | hi }\n", "3:23", format!("may not start with `|`, which YAML reserves for {block_text}")),
        ("    description: [ \"a\", > b ]\n", "3:25", format!("may not start with `>`, which YAML reserves for {block_text}")),
        ("    description: =\n", "3:18", "a plain `=` is YAML's `value` type, which PyYAML (and so the ADK) cannot read as a value; write it in double quotes".to_string()),
        ("    description: [ !!str >x ]\n", "3:20", format!("may not start with `>`, which YAML reserves for {block_text}")),
        // the non-specific tag `!` resolves as if untagged
        ("    description: ! =\n", "3:18", "a plain `=` is YAML's `value` type, which PyYAML (and so the ADK) cannot read as a value; write it in double quotes".to_string()),
        ("    description: <<\n", "3:18", "a plain `<<` is a merge key, which PyYAML (and so the ADK) cannot read as a value; write it in double quotes".to_string()),
    ] {
        let yaml = format!("api_integrations:\n  - name: a\n{yaml}    environments: {{ live: {{ base_url: \"https://a.example\" }} }}\n");
        let message = parse_str("apis.yaml", &yaml).expect_err("PyYAML refuses it").to_string();
        assert!(message.contains(&format!("apis.yaml:{at}: error: `api_integrations[0].description")), "{message}");
        assert!(message.contains(&told), "{message}");
    }
    // quoted, as block text, inside text, tagged text, or `<<` as a merge key: read as
    // PyYAML reads them (`=` as a key too: the mocks' tests try it in a body)
    let fine = "api_integrations:\n  - &a\n    name: a\n    description: \"| hi\"\n    environments: { live: { base_url: \"https://a.example\" } }\n  - <<: *a\n    name: b\n    description: |\n      > quoted\n  - <<: *a\n    name: c\n    description: a > b = c\n  - <<: *a\n    name: d\n    description: !!str =\n  - <<: *a\n    name: e\n    description: !!str <<\n";
    parse_str("apis.yaml", fine).unwrap_or_else(|d| panic!("{d}"));
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

/// PyYAML reads a tag up to a space or a line break: `[!!str]` holds the tag
/// `!!str]`, and a `}` or a tab right after a tag is an error there. saphyr ends a
/// tag at a flow indicator and reads a tab as a space.
#[test]
fn a_tag_not_followed_by_a_space_is_refused_as_pyyaml_refuses_it() {
    let told = |found: &str| {
        format!("invalid YAML: a tag (the `!` part of a value) must be followed by a space or a line break, not {found}, for PyYAML (and so the ADK) to read it; put a space after the tag")
    };
    for (value, at, path, found) in [
        ("[ !!str]", "3:20", "description[0]", "`]`"),
        ("[ &a !!str, b ]", "3:20", "description[0]", "`,`"),
        ("{ a: !!str}", "3:23", "description.a", "`}`"),
        ("[ !]", "3:20", "description[0]", "`]`"),
        ("[ !<tag:yaml.org,2002:str>]", "3:20", "description[0]", "`]`"),
        ("!!str\ta b", "3:18", "description", "a tab"),
    ] {
        let yaml = format!("api_integrations:\n  - name: a\n    description: {value}\n    environments: {{ live: {{ base_url: \"https://a.example\" }} }}\n");
        let message = parse_str("apis.yaml", &yaml).expect_err("PyYAML refuses it").to_string();
        let line = format!("apis.yaml:{at}: error: `api_integrations[0].{path}`: {}", told(found));
        assert!(message.lines().any(|shown| shown == line), "{value}: {message}");
    }
    // in a block, the parser refuses it
    let yaml = "api_integrations:\n  - name: a\n    description: !!str]\n";
    let message = parse_str("apis.yaml", yaml).expect_err("no space after the tag").to_string();
    let told = "apis.yaml:3:18: error: invalid YAML: while scanning a tag, did not find expected whitespace or line break; put a space after the tag (the `!` part of a value), or double-quote a value that starts with `!`";
    assert!(message.lines().any(|shown| shown == told), "{message}");
    // a space or a line break after the tag, or an anchor right after a flow value: as PyYAML reads them
    let fine = "api_integrations:\n  - name: a\n    description: !!str &d a\n    environments: { live: { base_url: !!str \"https://a.example\" } }\n    operations: [ { name: !!str\n        get, method: !<tag:yaml.org,2002:str> GET, resource: !!str /a } ]\n  - name: b\n    description: *d\n    environments: { live: { base_url: [ &u ] } }\n";
    let message = parse_str("apis.yaml", fine).expect_err("the list base URL").to_string();
    assert!(!message.contains("tag"), "{message}");
    assert!(message.contains("`api_integrations[1].environments.live.base_url` must be text"), "{message}");
}

#[test]
fn tags_not_read_are_errors_reported_with_the_rest_and_str_makes_text() {
    let yaml = "api_integrations:
  - name: crm
    description: !!str 2024-01-31
    environments:
      live:
        base_url: !env CRM_BASE_URL
        auth_type: apiKey
        auth: !!python/object:os.system { value: { secret: CRM_KEY } }
    operations:
      - { name: get_contact, method: GET, resource: '/contacts/{id}', timeout: 0s }
";
    let lines = error_lines(yaml);
    assert_eq!(lines.len(), 3, "{lines:#?}");
    assert!(
        has_line(
            &lines,
            &["apis.yaml:6:19: error: `api_integrations[0].environments.live.base_url`: the YAML tag `!env` is not supported", "remove it"]
        ),
        "{lines:#?}"
    );
    assert!(has_line(&lines, &["apis.yaml:8:15: error: `api_integrations[0].environments.live.auth`: the YAML tag `!!python/object:os.system`"]), "{lines:#?}");
    // a scalar's text without its tag is not what was meant (`CRM_BASE_URL` is no
    // URL): nothing more is told of it; a tagged mapping's values are checked
    assert_eq!(lines.iter().filter(|line| line.contains("apis.yaml:6:19")).count(), 1, "{lines:#?}");
    assert!(has_line(&lines, &["timeout"]), "{lines:#?}");
    let resource = "api_integrations:\n  - name: crm\n    environments: { live: {} }\n    operations: [{ name: get, method: GET, resource: !env RES }]\n";
    assert_eq!(error_lines(resource).len(), 1, "{:#?}", error_lines(resource));

    // `!!str` and its long form make text, as in PyYAML
    for tagged in ["!!str 2024-01-31", "!<tag:yaml.org,2002:str> 2024-01-31"] {
        let yaml = format!(
            "api_integrations:\n  - name: crm\n    description: {tagged}\n    environments: {{ live: {{ base_url: https://crm.example }} }}\n    operations: !!seq []\n"
        );
        let checked = parse_str("apis.yaml", &yaml).unwrap_or_else(|d| panic!("{tagged}: rejected:\n{d}"));
        let description = checked.definitions.api("crm").unwrap().description.as_deref();
        assert_eq!(description, Some("2024-01-31"), "{tagged}");
    }
}

#[test]
fn a_value_in_typographic_quotes_is_told_to_use_straight_ones_but_a_description_may_be_quoted() {
    let yaml = "api_integrations:\n  - name: a\n    description: “The helpdesk”\n    environments: { live: { base_url: “https://a.example” } }\n    operations:\n      - name: ‘get’\n        method: «GET»\n        resource: „/x“\n";
    let quoted = "is written in typographic quotes";
    let fix = "which YAML reads as part of the value: use straight quotes (`\"`) or none";
    assert_eq!(
        error_lines(yaml),
        [
            format!("apis.yaml:4:39: error: `api_integrations[0].environments.live.base_url` {quoted} (`“ ”`), {fix}"),
            format!("apis.yaml:6:15: error: `api_integrations[0].operations[0].name` {quoted} (`‘ ’`), {fix}"),
            format!("apis.yaml:7:17: error: `api_integrations[0].operations[0].method` {quoted} (`« »`), {fix}"),
            format!("apis.yaml:8:19: error: `api_integrations[0].operations[0].resource` {quoted} (`„ “`), {fix}"),
        ]
    );
    let straight = "api_integrations:\n  - name: a\n    description: “The helpdesk”\n    environments: { live: { base_url: \"https://a.example\" } }\n    operations:\n      - name: 'get'\n        method: GET\n        resource: \"/x\"\n";
    let checked = parse_str("apis.yaml", straight).unwrap();
    assert_eq!(checked.definitions.apis[0].description.as_deref(), Some("“The helpdesk”"));
}

/// "a quote inside a quoted value ends it: said as the quote it is": the parser
/// calls either quote double, and only a single-quoted value's message is reworded;
/// a double-quoted one's says `double-quoted`, with the `\"` fix.
#[test]
fn a_double_quoted_value_ended_early_is_said_to_be_double_quoted() {
    let file = "api_integrations:\n  - name: a\n    description: \"say \"hi\" now\"\n    environments: { live: {} }\n";
    let text = parse_str("apis.yaml", file).unwrap_err().to_string();
    assert!(
        text.starts_with("apis.yaml:3:24: error: invalid YAML: invalid trailing content after double-quoted scalar; a `\"` inside double quotes is written `\\\"`: `\"say \\\"hi\\\" now\"`"),
        "{text}"
    );
}

/// A key longer than YAML reads is pointed at and its length told also when it ends
/// its line, its value a block under it (`key:` and nothing after the `:`), and when
/// a `:` inside it is followed by no blank (`https://..`), which ends no key.
#[test]
fn a_key_longer_than_yaml_reads_that_ends_its_line_is_pointed_at_too() {
    for key in ["x".repeat(1100), format!("https://{}", "x".repeat(1100))] {
        let yaml =
            format!("api_integrations:\n  - name: a\n    environments: {{ live: {{}} }}\n    {key}:\n      x: 1\n");
        let length = key.chars().count();
        assert_eq!(
            error_lines(&yaml),
            [format!("apis.yaml:4:5: error: invalid YAML: simple key expect ':'; this key is {length} characters long, and YAML reads a key of at most 1024: check what this line is meant to be")]
        );
    }
}

/// YAML "reads a key of at most 1024" characters: one of exactly 1024 on a line the
/// parser refuses for another reason (a value above it, `oops`, read on into it) is
/// no key too long, and its message never says "this key is 1024 characters long".
#[test]
fn a_key_of_exactly_1024_characters_is_not_told_it_is_too_long() {
    let yaml = format!("api_integrations:\n  oops\n  {}: 1\n", "k".repeat(1024));
    let lines = error_lines(&yaml);
    assert!(
        has_line(&lines, &["apis.yaml:3:1027: error: invalid YAML: mapping values are not allowed in this context"]),
        "{lines:?}"
    );
    assert!(lines.iter().all(|line| !line.contains("characters long")), "{lines:?}");
}
