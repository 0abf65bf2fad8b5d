//! Indentation, dashes, tabs and key lengths: the slips of a hand-written file,
//! each pointed at where it is with the fix to write.

use super::*;

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
