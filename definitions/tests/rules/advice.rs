//! Fixes that messages show: applied as written, they make progress, and they never
//! write out a secret.

use super::*;

use conv_api_definitions::Span;

/// The diagnostics of `yaml`, which must be rejected, and their lines.
fn rejected(yaml: &str) -> (Vec<Span>, Vec<String>) {
    let diagnostics = parse_str("apis.yaml", yaml).expect_err("the file has errors");
    (diagnostics.items.iter().map(|d| d.span).collect(), diagnostics.lines().collect())
}

#[test]
fn a_fix_that_would_show_a_secret_does_not() {
    let (_, lines) = rejected(
        "api_integrations:\n  - name: crm\n    environments:\n      sandbox:\n        base_url: https://x.example\n        auth_type: basic\n        auth: { username: agent, password: Tr0ub4dor: horse[1] }\n",
    );
    assert!(lines.iter().all(|line| !line.contains("Tr0ub4dor")) && lines[0].contains("quote the value"), "{lines:#?}");
    let (_, lines) = rejected(
        "api_integrations:\n  - name: crm\n    environments:\n      sandbox:\n        base_url: https://x.example\n        auth_type: basic\n        auth: { username: agent, password: 'Tr0ub4dor's horse' }\n",
    );
    assert!(
        lines.iter().all(|line| !line.contains("Tr0ub4dor")) && lines[0].contains("is written twice (`''`)"),
        "{lines:#?}"
    );
}

#[test]
fn a_missing_comma_is_told_as_one() {
    // after a quoted JSON value
    let json = "api_integrations: [ { \"name\": \"crm\" \"environments\": { \"live\": {} }, \"operations\": [] } ]\n";
    let (_, lines) = rejected(json);
    assert!(
        lines[0].contains("put a `,` between this value and the next") && !lines[0].contains("inside double quotes"),
        "{lines:#?}"
    );
    // after a mapping in a flow mapping
    let (_, lines) = rejected("api_integrations:\n  - { name: crm, environments: { live: {} } operations: [] }\n");
    assert!(
        lines[0].contains("put a `,` between the `{ }` value of `environments` and `operations`, a key of its own"),
        "{lines:#?}"
    );
    // a value with keys in it is no text to quote
    assert!(!lines[0].contains("quote"), "{lines:#?}");
    let (_, lines) = rejected("api_integrations:\n  - { name: crm, environments: {\"live\":{}} operations: [] }\n");
    assert!(lines[0].contains("put a `,` between the `{ }` value of `environments` and `operations`"), "{lines:#?}");
    // a value without keys may be text: a path, say
    let (_, lines) = rejected("api_integrations:\n  - { name: crm, resource: {id} operations: [] }\n");
    assert!(lines[0].contains("put a `,` before `operations` if it is a key of its own; else"), "{lines:#?}");
}

#[test]
fn a_quote_inside_a_quoted_value_is_fixed_up_to_the_value_s_end() {
    let (_, lines) = rejected("api_integrations:\n  - { description: 'Don't', name: 'crm', operations: [] }\n");
    assert!(lines[0].contains("written twice: `'Don''t'`"), "{lines:#?}");
    let json = "api_integrations: [{\"name\": \"crm\", \"description\": \"a \"b\" c\", \"environments\": {\"live\": {}}, \"operations\": []}]\n";
    let (_, lines) = rejected(json);
    assert!(lines[0].contains(r#"written `\"`: `"a \"b\" c"`"#), "{lines:#?}");
}

#[test]
fn a_second_reading_tells_no_problem_again_in_other_words() {
    // the base URL is told of once, for the first `auth_type`
    let (spans, lines) = rejected(
        "api_integrations:\n  - name: crm\n    environments:\n      sandbox:\n        base_url: http://crm.example/v1\n        auth_type: basic\n        auth_type: apiKey\n",
    );
    assert_eq!(spans.iter().filter(|&&span| span == Span::new(5, 19)).count(), 1, "{lines:#?}");
    let checked = parse_str(
        "apis.yaml",
        "api_integrations:\n  - name: crm\n    environments: { live: {} }\n    operations:\n      - { name: getTicket, method: GET, resource: /a }\n      - { name: x, name: get_ticket, method: GET, resource: /b }\n",
    );
    let diagnostics = checked.expect_err("a repeated key");
    let advice = diagnostics.items.iter().filter(|d| d.span == Span::new(5, 17)).count();
    assert_eq!(advice, 1, "{diagnostics}");
}

#[test]
fn an_auth_type_written_as_no_text_is_said_as_what_it_is() {
    let (_, lines) = rejected(
        "api_integrations:\n  - name: crm\n    environments:\n      live:\n        auth_type: [basic]\n        auth: { username: agent }\n",
    );
    assert!(lines.iter().any(|line| line.contains("but `auth_type` is a list, read as `basic`")), "{lines:#?}");
}

const LIVE: &str =
    "api_integrations:\n  - name: helpdesk\n    environments:\n      live:\n        base_url: https://x.example\n";

#[test]
fn a_mapping_glued_to_its_key_is_not_shown_when_it_holds_a_secrets_key() {
    let tls = format!("{LIVE}        tls:{{ client_key: MIIEvQIBADANBgkqhkiG9w0B }}\n");
    let scope = format!(
        "{LIVE}        auth_type: oauth2\n        auth:\n          token_url: https://x.example/token\n          scope:{{ client_secret: Cs5tRb1mGx6uZp }}\n"
    );
    for (yaml, key, secret) in [(tls, "tls", "MIIEvQIBADAN"), (scope, "scope", "Cs5tRb1mGx6uZp")] {
        let (_, lines) = rejected(&yaml);
        assert!(lines.iter().any(|line| line.contains(&format!("put a space after `{key}:`"))), "{lines:#?}");
        assert!(lines.iter().all(|line| !line.contains(secret)), "{lines:#?}");
    }
    // a mapping without one is shown, as the fix to write, under `tls:` too; and so
    // is a reference to a secret by its name
    let shown = [
        (format!("{LIVE}        tls:{{ insecure: true }}\n"), "`tls: { insecure: true }`"),
        (
            format!("{LIVE}        auth_type: apiKey\n        auth:\n          location:{{ secret: LOC }}\n"),
            "`location: { secret: LOC }`",
        ),
    ];
    for (yaml, fix) in shown {
        let (_, lines) = rejected(&yaml);
        assert!(lines.iter().any(|line| line.contains(fix)), "{lines:#?}");
    }
}

#[test]
fn an_unknown_key_is_named_in_full_unless_a_value_may_follow_a_secret_s_word() {
    let auth = "        auth_type: oauth2\n        auth:\n          token_url: https://x.example/token\n";
    let named = [
        (format!("{LIVE}{auth}          client id: voice-agent\n"), "unknown key `client id`"),
        (format!("{LIVE}    idempotency key: true\n"), "unknown key `idempotency key`"),
        (format!("{LIVE}{auth}          client_secret hunter2: x\n"), "unknown key `client_secret ...`"),
    ];
    for (yaml, told) in named {
        let (_, lines) = rejected(&yaml);
        assert!(lines.iter().any(|line| line.contains(told)), "{lines:#?}");
    }
}

#[test]
fn a_tag_under_tls_on_no_secret_s_setting_is_named() {
    let (_, lines) = rejected(&format!("{LIVE}        tls:\n          insecure: !flag true\n"));
    assert!(lines.iter().any(|line| line.contains("the YAML tag `!flag` is not supported")), "{lines:#?}");
}

#[test]
fn a_setting_glued_to_its_value_is_told_to_take_a_space_its_secret_unshown() {
    let (_, lines) = rejected(&format!(
        "{LIVE}        auth_type: apiKey\n        auth: {{ name: X-Api-Key, value:abc123secret }}\n"
    ));
    assert!(
        lines.len() == 1
            && lines[0].contains("unknown key `value:...`")
            && lines[0].contains("put a space after `value:`"),
        "{lines:#?}"
    );
    assert!(lines.iter().all(|line| !line.contains("abc123secret")), "{lines:#?}");
    let (_, lines) =
        rejected(&format!("{LIVE}        auth_type: apiKey\n        auth: {{ location:header, name:X-Api-Key }}\n"));
    assert!(lines.len() == 2 && lines[0].contains("put a space after the colon: `location: header`"), "{lines:#?}");
    assert!(lines[1].contains("put a space after the colon: `name: X-Api-Key`"), "{lines:#?}");
    // a secret's reference glued to its key is no secret written in the file: shown
    let glued =
        format!("{LIVE}        auth_type: basic\n        auth:\n          password:{{ secret: HELPDESK_PW }}\n");
    let (_, lines) = rejected(&glued);
    assert!(lines.iter().all(|line| !line.contains("secrets never go in")), "{lines:#?}");
    let fix = "put a space after the colon: `password: { secret: HELPDESK_PW }`";
    assert!(lines.iter().any(|line| line.contains(fix)), "{lines:#?}");
    // unless its name is no secret's name, but maybe the secret
    let (_, lines) = rejected(&glued.replace("HELPDESK_PW", "hunter2"));
    assert!(lines.iter().any(|line| line.contains("put a space after `password:`")), "{lines:#?}");
    assert!(lines.iter().all(|line| !line.contains("hunter2")), "{lines:#?}");
    // a mapping glued to its key needs the space alone: quoted, it would be text
    let (_, lines) = rejected(&format!("{LIVE}    retry:{{ attempts: 2 }}\n"));
    assert!(lines[0].contains("put a space after the colon: `retry: { attempts: 2 }`"), "{lines:#?}");
    parse_str("apis.yaml", &format!("{LIVE}    retry: {{ attempts: 2 }}\n")).unwrap_or_else(|d| panic!("{d}"));
}

#[test]
fn a_bracket_left_open_in_a_flow_value_is_told_as_one() {
    let operations = "api_integrations:\n  - name: helpdesk\n    environments:\n      sandbox: { base_url: \"https://x.example\" }\n    operations:\n      - { name: get_ticket, method: GET, resource: /tickets/{ticket_id, description: Look up a ticket }\n";
    let (_, lines) = rejected(operations);
    assert!(
        lines[0].contains(
            "a `{` or `[` in the value of `resource` is still open where the mapping or list around it closes"
        ),
        "{lines:#?}"
    );
    // a secret later on the line is not quoted into the fix
    let (_, lines) = rejected(&format!(
        "{LIVE}        auth_type: apiKey\n        auth: {{ name: X-Api{{Key, value: abc123secret }}\n"
    ));
    assert!(lines.iter().all(|line| !line.contains("abc123secret")), "{lines:#?}");
    // nor is a comment read as part of the value
    let (_, lines) = rejected(&format!("{LIVE}        auth_type: apiKey\n        auth: {{ name: Authorization, prefix: Bearer{{ }}   # value: HELPDESK_LIVE_API_KEY\n"));
    assert!(lines.iter().all(|line| !line.contains("before `value`") && !line.contains("# value")), "{lines:#?}");
}

#[test]
fn a_bracket_a_line_leaves_open_is_pointed_at_on_its_line() {
    let file = |operation: &str| {
        format!("api_integrations:\n  - name: helpdesk\n    environments:\n      sandbox: {{ base_url: \"https://x.example\" }}\n    operations:\n      - {operation}\n      - {{ name: other, method: GET, resource: /o }}\n")
    };
    let (_, lines) = rejected(&file("{ name: get_ticket, method: GET, resource: \"/tickets/{ticket_id}\""));
    assert!(
        lines[0].starts_with("apis.yaml:6:9: error: ")
            && lines[0].contains("this `{` or `[` is not closed on its line"),
        "{lines:#?}"
    );
    // a `#` after a blank is a comment, which took the closing bracket with it
    let (_, lines) = rejected(&file("{ name: get, method: GET, resource: /t, description: see #42 first }"));
    assert!(
        lines[0].starts_with("apis.yaml:6:9: error: ") && lines[0].contains("quote the value that holds the `#`"),
        "{lines:#?}"
    );
    parse_str("apis.yaml", &file("{ name: get, method: GET, resource: /t, description: \"see #42 first\" }")).unwrap();
}

#[test]
fn a_bracket_left_open_before_a_less_indented_line_is_pointed_at_not_that_lines_indentation() {
    let open = "api_integrations:\n  - name: z\n    environments: { live: { base_url: \"https://x.example\" }\n";
    // the marked line may open (and a later line close) a bracket of its own
    for next in ["  - name: y\n", "other: 1\n", "  - operations: [\n      a ]\n"] {
        let (_, lines) = rejected(&format!("{open}{next}"));
        assert_eq!(
            lines,
            ["apis.yaml:3:19: error: invalid YAML: invalid indentation; this `{` or `[` is not closed on its line, so the entries after it are read inside it: close it"],
            "{next:?}"
        );
    }
    // one a line above closes is not blamed for a line after it
    let closed = "api_integrations:\n  - name: z\n    environments: {\n      live: { base_url: \"https://x.example\" }\n    }\n      operations: []\n";
    let (_, lines) = rejected(closed);
    assert!(!lines[0].contains("is not closed") && !lines[0].starts_with("apis.yaml:3:"), "{lines:#?}");
    // nor is one the marked line closes, indented less than its key: PyYAML reads it
    for closed in [
        "api_integrations:\n  - name: z\n    environments: {\n      live: { base_url: \"https://x.example\" }\n  }\n",
        "api_integrations:\n  - name: z\n    environments: {\n  live: { base_url: \"https://x.example\" } }\n",
    ] {
        parse_str("apis.yaml", closed).unwrap();
    }
}

#[test]
fn a_colon_too_many_a_str_tag_on_a_boolean_and_a_second_document_are_told_how_to_mend() {
    let operation = format!("{SANDBOX}    operations:\n      - name: get\n        resource: /c\n");
    for written in ["method:: GET", "\"method:\": GET"] {
        let lines = lines_of(&format!("{operation}        {written}\n"));
        assert!(
            lines.iter().any(|line| line.ends_with("YAML reads `method:` as one key; write one colon: `method: GET`")),
            "{written}: {lines:#?}"
        );
    }
    let lines = lines_of(&format!("{operation}        method: GET\n        description:: \"Note: #1\"\n"));
    assert!(lines.iter().any(|line| line.ends_with("write one colon: `description: \"Note: #1\"`")), "{lines:#?}");
    let lines = lines_of(&format!("{operation}        method: GET\n        idempotent: !!str true\n"));
    assert!(
        lines[0].ends_with("found `true` tagged `!!str`, which makes it text; write `true` without the tag"),
        "{lines:#?}"
    );
    let lines = lines_of(&format!("{operation}        method: GET\n...\nother: 1\n"));
    assert!(
        lines[0]
            .ends_with("more than one YAML document; keep one (remove the `---` or `...` line that ends the first)"),
        "{lines:#?}"
    );
}

/// Every diagnostic line of `yaml`, which must be rejected.
fn lines_of(yaml: &str) -> Vec<String> {
    rejected(yaml).1
}

const SANDBOX: &str =
    "api_integrations:\n  - name: crm\n    environments:\n      sandbox:\n        base_url: https://x.example\n";

// a secret written where its reference goes is never shown in a fix

#[test]
fn json_password_with_a_quote_inside_is_not_shown() {
    // JSON (which YAML reads): a password holding a `"`
    let json = "{\"api_integrations\": [{\"name\": \"crm\", \"environments\": {\"live\": {\"base_url\": \"https://x.example\", \"auth_type\": \"basic\", \"auth\": {\"username\": \"agent\", \"password\": \"Tr0u\"b4dor\"}}}}]}\n";
    let lines = lines_of(json);
    assert!(lines.iter().all(|line| !line.contains("b4dor")), "{lines:#?}");
}

#[test]
fn json_api_key_starting_with_a_bracket_is_not_shown() {
    let json = "{\"api_integrations\": [{\"name\": \"crm\", \"environments\": {\"live\": {\"base_url\": \"https://x.example\", \"auth_type\": \"apiKey\", \"auth\": {\"value\": [Tr0ub]4dor}}}}]}\n";
    let lines = lines_of(json);
    assert!(lines.iter().all(|line| !line.contains("4dor")), "{lines:#?}");
}

#[test]
fn quoted_password_with_colon_and_apostrophe_is_not_shown() {
    let yaml = format!(
        "{SANDBOX}        auth_type: basic\n        auth: {{ username: agent, password: 'Tr0ub: it's[42]' }}\n"
    );
    let lines = lines_of(&yaml);
    assert!(lines.iter().all(|line| !line.contains("Tr0ub")), "{lines:#?}");
}

// nor is a word of it named as a key

#[test]
fn no_word_of_a_password_is_named_as_a_key() {
    let yaml =
        format!("{SANDBOX}        auth_type: basic\n        auth: {{ username: agent, password: [Tr0ub]4dor: x }}\n");
    let lines1 = lines_of(&yaml);
    let yaml = format!("{SANDBOX}        auth_type: basic\n        auth: {{ username: agent, password: correct horse: battery staple }}\n");
    let lines2 = lines_of(&yaml);
    assert!(lines1.iter().all(|line| !line.contains("4dor")), "{lines1:#?}");
    assert!(lines2.iter().all(|line| !line.contains("horse")), "{lines2:#?}");
}

// nor a setting glued to it, however spelt

#[test]
fn a_glued_password_of_another_case_is_not_shown() {
    let yaml = format!("{SANDBOX}        auth_type: basic\n        auth: {{ username: agent, Password:hunter2 }}\n");
    let lines = lines_of(&yaml);
    assert!(lines.iter().all(|line| !line.contains("hunter2")), "{lines:#?}");
}

// the last copy of a repeated key is checked, at the repeat's own place too

#[test]
fn the_last_copy_of_a_repeated_environment_is_checked() {
    let yaml = "api_integrations:\n  - name: crm\n    environments:\n      live:\n        base_url: https://crm.example\n      live:\n        auth_type: basic\n";
    let lines = lines_of(yaml);
    // PyYAML (the ADK) reads the last `live`: basic auth and no base URL
    assert!(lines.iter().any(|line| line.contains("has no `base_url`")), "{lines:#?}");
}

// where a quoted or flow value ends, and how its fix reads

#[test]
fn a_closing_quote_before_a_blank_in_flow_is_no_missing_comma() {
    let bad = format!("{SANDBOX}    operations:\n      - {{ name: list, method: GET, resource: /a, description: 'Lists customers' tickets' }}\n");
    let lines = lines_of(&bad);
    assert!(lines[0].contains("'Lists customers'' tickets'"), "{lines:#?}");
}

#[test]
fn a_single_quoted_value_in_block_style_is_told_as_one() {
    let bad = format!("{SANDBOX}    operations:\n      - name: list\n        method: GET\n        resource: /a\n        description: 'Lists customers' tickets'\n");
    let lines = lines_of(&bad);
    assert!(lines[0].contains("single-quoted") && lines[0].contains("'Lists customers'' tickets'"), "{lines:#?}");
}

#[test]
fn a_comma_ends_no_value_in_block_style() {
    let bad = format!("{SANDBOX}    operations:\n      - name: list\n        method: GET\n        resource: /a\n        description: \"Sets status to \"open\", \"closed\" or \"pending\"\"\n");
    let lines = lines_of(&bad);
    assert!(lines[0].contains(r#"`"Sets status to \"open\", \"closed\" or \"pending\""`"#), "{lines:#?}");
}

#[test]
fn a_bracket_closed_later_is_not_said_still_open() {
    let bad = format!("{SANDBOX}    operations:\n      - {{ name: list, method: GET, resource: /a, description: Lists [open, closed] tickets }}\n");
    let lines = lines_of(&bad);
    assert!(!lines[0].contains("still open"), "{lines:#?}");
}

#[test]
fn a_quote_inside_is_told_before_a_value_to_quote() {
    let bad = format!("{SANDBOX}    operations:\n      - {{ name: get, method: GET, resource: /a/{{id}}, description: 'Note: don't send {{id}} twice' }}\n");
    let lines = lines_of(&bad);
    assert!(lines[0].contains("'Note: don''t send {id} twice'"), "{lines:#?}");
}

#[test]
fn a_secret_a_slip_moved_out_of_its_place_is_not_shown() {
    for auth in [
        "        auth: { name: X-Api-Key, value Kv4sWn8jHd2yQe }\n",
        "        auth: { name: X-Api-Key, value, Kv4sWn8jHd2yQe }\n",
        "        auth: { location: header, name: X-Api-Key, va}lue: Kv4sWn8jHd2yQe }\n",
        "        auth:username: a\n        password:Kv4sWn8jHd2yQe\n",
    ] {
        let (_, lines) = rejected(&format!("{SANDBOX}        auth_type: apiKey\n{auth}"));
        assert!(lines.iter().all(|line| !line.contains("Kv4sWn8j")), "{auth}: {lines:#?}");
    }
}

/// Every line `conv-api check` prints for `yaml`: its errors, or its warnings.
fn messages_of(yaml: &str) -> Vec<String> {
    match parse_str("apis.yaml", yaml) {
        Ok(checked) => checked.warnings.lines().collect(),
        Err(diagnostics) => diagnostics.to_string().lines().map(String::from).collect(),
    }
}

fn live(auth_type: &str, body: &str) -> String {
    format!("api_integrations:\n  - name: crm\n    environments:\n      live:\n        base_url: https://x.example\n        auth_type: {auth_type}\n{body}    operations: []\n")
}

fn assert_not_shown(yaml: &str, secret: &str) {
    let lines = messages_of(yaml);
    assert!(lines.iter().all(|line| !line.contains(secret)), "`{secret}` is shown:\n{yaml}\n{}", lines.join("\n"));
}

// secrets a slip puts where a message may show text

#[test]
fn a_secret_starting_with_an_exclamation_mark_is_not_shown() {
    for (auth_type, body) in [
        ("basic", "        auth:\n          username: agent\n          password: !Qaz2wsx9\n"),
        ("basic", "        auth: { username: agent, password: !Qaz2wsx9 }\n"),
        ("apiKey", "        auth:\n          value: !Qaz2wsx9\n"),
        ("oauth2", "        auth:\n          client_secret: !Qaz2wsx9\n"),
    ] {
        assert_not_shown(&live(auth_type, body), "Qaz2wsx9");
        // and is told where a secret goes, not to write the value without its `!`
        let lines = messages_of(&live(auth_type, body));
        let told = "a secret never goes in the definitions file: write `{ secret: NAME }`";
        assert!(lines.iter().any(|line| line.contains(told)), "{}", lines.join("\n"));
        assert!(!lines.iter().any(|line| line.contains("write the value itself")), "{}", lines.join("\n"));
    }
    // a setting that takes no secret is told to quote its text, still not shown
    let lines = messages_of(&live("oauth2", "        auth:\n          scope: !Qaz2wsx9\n"));
    assert!(lines.iter().any(|line| line.contains("write text starting with `!` in quotes")), "{}", lines.join("\n"));
    assert!(
        lines.iter().all(|line| !line.contains("Qaz2wsx9") && !line.contains("secret: NAME")),
        "{}",
        lines.join("\n")
    );
}

#[test]
fn a_secret_put_in_braces_is_not_shown() {
    for (auth_type, body) in [
        ("basic", "        auth:\n          username: agent\n          password: { Tr0ub4dor3 }\n"),
        ("apiKey", "        auth: { name: X-Api-Key, value: {Tr0ub4dor3} }\n"),
        ("oauth2", "        auth:\n          client_secret: { Tr0ub4dor3 }\n"),
        ("oauth2", "        tls:\n          ca: { Tr0ub4dor3 }\n"),
    ] {
        assert_not_shown(&live(auth_type, body), "Tr0ub4dor3");
    }
}

#[test]
fn a_secret_on_the_line_after_its_key_is_not_shown() {
    for body in [
        "        auth:\n          name: X-Api-Key\n          value:\n            \"Kv4sWn8j\"Hd2\"\n",
        "        auth:\n          name: X-Api-Key\n          value:\n            'Kv4sWn8j's'\n",
        "        auth: {\n          name: X-Api-Key,\n          value:\n            \"Kv4sWn8j\"Hd2\"\n        }\n",
    ] {
        assert_not_shown(&live("apiKey", body), "Kv4sWn8j");
    }
}

#[test]
fn a_secret_that_lost_its_key_is_not_shown_whatever_its_case() {
    assert_not_shown(&live("apiKey", "        auth: { name: X-Api-Key, value, sunshinebeach }\n"), "sunshinebeach");
}

#[test]
fn a_secret_under_a_key_names_a_secret_does_not_know_is_not_shown() {
    // under `auth:`, an API key written under the header's name, `key`, or a misspelt
    // `value`/`password`: `names_a_secret` knows none of these words
    let leaking: Vec<String> = ["key", "X-Api-Key", "Authorization", "pwd", "valeu", "vaule", "pssword"]
        .into_iter()
        .filter_map(|key| {
            let body = format!("        auth:\n          name: X-Api-Key\n          {key}: 'Kv4sWn8j'Hd'\n");
            let lines = messages_of(&live("apiKey", &body));
            lines.iter().any(|line| line.contains("Kv4sWn8j")).then(|| format!("{key}: {}", lines.join(" | ")))
        })
        .collect();
    assert!(leaking.is_empty(), "shown under:\n{}", leaking.join("\n"));
}

// advice given where no secret is near

fn first_line(yaml: &str) -> String {
    messages_of(yaml).into_iter().next().expect("a diagnostic")
}

#[test]
fn a_missing_comma_in_an_auth_line_is_told() {
    let line =
        first_line(&format!("{SANDBOX}        auth_type: apiKey\n        auth: {{ location: query name: appid }}\n"));
    assert!(line.contains("put a `,` before `name`"), "{line}");
    let line =
        first_line(&format!("{SANDBOX}        auth_type: oauth2\n        auth: {{ client_id: abc scope: read }}\n"));
    assert!(line.contains("put a `,` before `scope`"), "{line}");
    let line = first_line(&format!("{SANDBOX}        tls: {{ ca: {{ secret: CA }} client_cert: {{ secret: C }} }}\n"));
    assert!(line.contains("put a `,` between the `{ }` value of `ca` and `client_cert`, a key of its own"), "{line}");
}

#[test]
fn an_operation_about_tokens_gets_its_value_quoted() {
    let line = first_line(&format!(
        "{SANDBOX}    operations:\n      - {{ name: get, method: GET, resource: /oauth/token/{{id}}/x }}\n"
    ));
    assert!(line.contains("quote it: `resource: \"/oauth/token/{id}/x\"`"), "{line}");
    let line = first_line(&format!("{SANDBOX}    operations:\n      - {{ name: get, method: GET, resource: /a, description: Note: returns the passenger }}\n"));
    assert!(line.contains("quote it: `description: \"Note: returns the passenger\"`"), "{line}");
    let line = first_line(&format!("{SANDBOX}    operations:\n      - name: get\n        method: GET\n        resource: /a\n        description: 'Don't share the token'\n"));
    assert!(line.contains("`'Don''t share the token'`"), "{line}");
}

#[test]
fn a_one_line_json_file_with_an_auth_block_gets_its_fixes() {
    let json = "{\"api_integrations\": [{\"name\": \"crm\", \"environments\": {\"live\": {\"base_url\": \"https://x.example\", \"auth_type\": \"basic\", \"auth\": {\"username\": \"u\"}}}, \"operations\": [{\"name\": \"get\", \"method\": \"GET\", \"resource\": \"/a\", \"description\": \"it\"s\"}]}]}\n";
    let line = first_line(json);
    assert!(line.contains(r#"`"it\"s"`"#), "{line}");
}

#[test]
fn a_header_name_written_as_a_key_in_auth_is_named() {
    let line = first_line(&format!(
        "{SANDBOX}        auth_type: apiKey\n        auth:\n          X-Api-Key: {{ secret: K }}\n"
    ));
    assert!(line.contains("`X-Api-Key`"), "{line}");
}

#[test]
fn a_single_quoted_value_in_block_style_is_not_called_double_quoted() {
    let line = first_line(&format!("{SANDBOX}    operations:\n      - name: get\n        method: GET\n        resource: /a\n        description: 'It's done', he said\n"));
    assert!(!line.contains("double-quoted"), "{line}");
}

// secrets a slip moves away from their key, and fixes shown where no secret is near

/// The lines of the diagnostics of `yaml` that show `secret`.
fn showing(yaml: &str, secret: &str) -> Vec<String> {
    let (_, lines) = rejected(yaml);
    lines.into_iter().filter(|line| line.contains(secret)).collect()
}

#[test]
fn a_secret_on_the_line_after_its_key_in_a_flow_mapping_is_not_shown() {
    let cases = [
        // YAML: a flow mapping broken after `password:`
        "api_integrations:\n  - name: crm\n    environments:\n      sandbox: { base_url: \"https://x.example\", auth_type: basic, auth: { username: agent, password:\n        \"Tr0ub4dor\"s horse\" } }\n    operations: []\n",
        // the same with an anchor on the value
        "api_integrations:\n  - name: crm\n    environments:\n      sandbox: { base_url: \"https://x.example\", auth_type: basic, auth: { username: agent, password: &p\n        \"Tr0ub4dor\"s horse\" } }\n    operations: []\n",
        // JSON written over two lines, the second not indented
        "{\"api_integrations\": [{\"name\": \"crm\", \"environments\": {\"sandbox\": {\"base_url\": \"https://x.example\", \"auth_type\": \"basic\", \"auth\": {\"username\": \"agent\", \"password\":\n\"Tr0ub4dor\"s horse\"}}}, \"operations\": []}]}\n",
        // tls.ca
        "api_integrations:\n  - name: crm\n    environments:\n      sandbox: { base_url: \"https://x.example\", tls: { ca:\n        \"Tr0ub4dor\"s\" } }\n    operations: []\n",
    ];
    let shown: Vec<Vec<String>> = cases.iter().map(|yaml| showing(yaml, "Tr0ub4dor")).collect();
    assert!(shown.iter().all(Vec::is_empty), "{shown:#?}");
}

/// A definitions file whose API `crm` has basic auth with the `auth` text given
/// (`auth: { .. }`, or a block).
fn basic_auth(auth: &str) -> String {
    format!("api_integrations:\n  - name: crm\n    environments:\n      sandbox:\n        base_url: https://x.example\n        auth_type: basic\n        {auth}\n    operations: []\n")
}

#[test]
fn a_passphrase_that_took_a_key_s_place_in_auth_is_not_shown() {
    // `password:` forgotten before an xkcd-style passphrase
    let yaml = &basic_auth("auth: { username: agent, correct-horse-battery-staple }");
    let shown = showing(yaml, "correct-horse-battery-staple");
    assert!(shown.is_empty(), "{shown:#?}");
    // capitalized, it reads as a header's name, which only an API key or token is sent under
    let shown = showing(&yaml.replace("correct-horse-battery-staple", "Correct-Horse-Battery"), "Correct-Horse");
    assert!(shown.is_empty(), "{shown:#?}");
}

#[test]
fn a_password_like_secret_in_place_of_a_reference_is_not_shown() {
    // `password: { Secret1 }`: the password written in the braces, close to `secret`
    let yaml = &basic_auth("auth: { username: agent, password: { Secret1 } }");
    let shown = showing(yaml, "Secret1");
    assert!(shown.is_empty(), "{shown:#?}");
}

#[test]
fn a_password_written_as_the_secret_s_name_is_not_shown() {
    // `{ secret: <the password> }`: the secret itself where its name goes
    let yaml = &basic_auth("auth:\n          username: agent\n          password: { secret: Tr0ub4dor&3 }");
    let shown = showing(yaml, "Tr0ub4dor");
    assert!(shown.is_empty(), "{shown:#?}");
}

#[test]
fn a_mock_s_fix_is_not_hidden_by_its_operation_s_name() {
    // mock bodies are test data (tree.rs shows their tags)
    let definitions = parse_str(
        "apis.yaml",
        "api_integrations:\n  - name: crm\n    environments: { live: { base_url: \"https://x.example\" } }\n    operations:\n      - { name: get_ticket, method: GET, resource: /t }\n      - { name: reset_password, method: POST, resource: /p }\n  - name: auth_service\n    environments: { live: { base_url: \"https://x.example\" } }\n    operations:\n      - { name: get_token, method: POST, resource: /t }\n",
    )
    .expect("valid definitions")
    .definitions;
    let message = |mocks: &str| {
        conv_api_definitions::mocks::parse_str("mocks.yaml", mocks, &definitions).expect_err("a slip").to_string()
    };
    let token = message("name: t\nscenario: s\napi_mocks:\n  auth_service:\n    get_token:\n      - respond: { status: 200, body: { note: Issued: now } }\n");
    let password = message("name: t\nscenario: s\napi_mocks:\n  crm:\n    reset_password:\n      - respond: { status: 200, body: 'Don't' }\n");
    assert!(
        token.contains("quote it: `note: \"Issued: now\"`") && password.contains("`'Don''t'`"),
        "{token}\n{password}"
    );
}

#[test]
fn a_description_s_quote_fix_is_not_hidden_by_the_word_key() {
    // no secret is on this line
    let (_, lines) = rejected(
        "api_integrations:\n  - name: crm\n    environments:\n      live: { base_url: \"https://x.example\" }\n    operations:\n      - { name: get_ticket, method: GET, resource: /t, description: 'Don't send the idempotency key: ever' }\n",
    );
    assert!(lines[0].contains("`'Don''t send the idempotency key: ever'`"), "{lines:#?}");
}

// secrets after a key line with a comment, a tag or an anchor, beside a stray `api_mocks`, or as a passphrase

#[test]
fn a_password_after_a_commented_tagged_or_anchored_key_line_is_not_shown() {
    // `auth: {` opened a line above; `password:` alone on its line, its value on the next
    let head = "api_integrations:\n  - name: crm\n    environments:\n      sandbox: { base_url: \"https://x.example\", auth_type: basic, auth: { username: agent,\n";
    let tail = "        \"Tr0ub4dor\"s horse\" } }\n    operations: []\n";
    let key_lines = [
        "        password: # note: rotated monthly\n", // a comment holding a `:`
        "        password:\t# from the vault\n",       // a comment after a tab
        "        password: !!str\n",                   // a tag on the value
        "        password: &pw\n",                     // an anchor on the value
    ];
    let shown: Vec<(&str, Vec<String>)> = key_lines
        .iter()
        .map(|key_line| (*key_line, showing(&format!("{head}{key_line}{tail}"), "Tr0ub4dor")))
        .filter(|(_, lines)| !lines.is_empty())
        .collect();
    assert!(shown.is_empty(), "{shown:#?}");
}

#[test]
fn an_api_mocks_key_in_a_definitions_file_does_not_show_its_password() {
    // a definitions file (JSON over three lines), not a mocks file: the password is auth.password
    let json = "{\"api_integrations\": [{\"name\": \"crm\", \"environments\": {\"sandbox\": {\"base_url\": \"https://x.example\", \"auth_type\": \"basic\", \"auth\": {\n\"api_mocks\": 1,\n \"username\": \"agent\", \"password\": \"Tr0ub4dor\"s horse\"}}}, \"operations\": []}]}\n";
    let shown = showing(json, "Tr0ub4dor");
    assert!(shown.is_empty(), "{shown:#?}");
}

#[test]
fn a_capitalized_passphrase_that_took_a_key_s_place_in_basic_auth_is_not_shown() {
    // basic auth has no header name to set; `password:` forgotten before the passphrase
    let yaml = &basic_auth("auth: { username: agent, Correct-Horse-Battery-Staple }");
    let shown = showing(yaml, "Correct-Horse-Battery-Staple");
    assert!(shown.is_empty(), "{shown:#?}");
}

#[test]
fn a_spaced_passphrase_written_as_the_secret_s_name_is_not_shown() {
    // `{ secret: <the password> }`, the passphrase being words and blanks
    let yaml =
        &basic_auth("auth:\n          username: agent\n          password: { secret: correct horse battery staple }");
    let shown: Vec<String> = rejected(yaml)
        .1
        .into_iter()
        .filter(|line| line.to_ascii_lowercase().contains("horse battery") || line.contains("HORSE_BATTERY"))
        .collect();
    assert!(shown.is_empty(), "{shown:#?}");
}
