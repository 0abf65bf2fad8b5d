//! Where YAML 1.2 and PyYAML (and so the ADK) read a file otherwise: numbers, a
//! value ending the file, raw control characters, tabs and Unicode line breaks,
//! plain values and tags; the file is read as PyYAML reads it, or refused.

use super::*;

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
