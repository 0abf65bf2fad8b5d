//! A valid key at the wrong level (a line indented one level off, or written on the
//! wrong element) is told where it goes; following the advice makes the file valid.

use std::collections::BTreeSet;

use super::*;

/// An API around `environment` (the lines of its `sandbox:` environment) and
/// `operation` (the lines of its one operation), both indented for their place.
fn api(environment: &str, operation: &str) -> String {
    format!(
        "api_integrations:
  - name: crm
    environments:
      sandbox:
        base_url: https://crm.example.com
{environment}    operations:
      - name: get_ticket
        method: GET
        resource: /tickets/{{id}}
{operation}"
    )
}

/// The one error of `broken`, which must hold every one of `words`; `fixed`, the
/// file as the error says to write it, must be valid.
fn assert_moved(broken: &str, fixed: &str, words: &[&str]) {
    let lines = error_lines(broken);
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(has_line(&lines, words), "{lines:#?}\nwithout {words:?}");
    if let Err(errors) = parse_str("apis.yaml", fixed) {
        panic!("the fix of {:?} is not valid:\n{errors}\n{fixed}", lines[0]);
    }
}

#[test]
fn an_auth_setting_beside_auth_goes_under_it() {
    let broken = api("        auth_type: apiKey\n        location: header\n        name: X-Key\n", "");
    let lines = error_lines(&broken);
    assert_eq!(
        lines,
        [
            "apis.yaml:7:9: error: unknown key `location` in `api_integrations[0].environments.sandbox`; `location` is a setting of an environment's `auth:` block (auth type `apiKey`): indent it under `auth:`",
            "apis.yaml:8:9: error: unknown key `name` in `api_integrations[0].environments.sandbox`; `name` is a setting of an environment's `auth:` block (auth type `apiKey`): indent it under `auth:`",
        ]
    );
    let fixed =
        api("        auth_type: apiKey\n        auth:\n          location: header\n          name: X-Key\n", "");
    parse_str("apis.yaml", &fixed).unwrap_or_else(|d| panic!("{d}"));
}

#[test]
fn a_credential_beside_auth_is_told_to_be_a_secret_reference_and_not_shown() {
    let broken = api("        auth_type: basic\n        auth: { username: bob }\n        password: hunter2\n", "");
    let fixed =
        api("        auth_type: basic\n        auth: { username: bob, password: { secret: CRM_PASSWORD } }\n", "");
    assert_moved(&broken, &fixed, &["apis.yaml:8:9:", "indent it under `auth:`, as `password: { secret: NAME }`"]);
    assert!(!error_lines(&broken)[0].contains("hunter2"));
}

#[test]
fn auth_type_inside_auth_goes_beside_it_and_the_block_is_read_for_it() {
    let broken =
        api("        auth:\n          auth_type: apiKey\n          location: header\n          name: X-Key\n", "");
    let fixed =
        api("        auth_type: apiKey\n        auth:\n          location: header\n          name: X-Key\n", "");
    // one error: the settings are not also told they belong to `apiKey`, not `none`
    assert_moved(
        &broken,
        &fixed,
        &[
            "apis.yaml:7:11:",
            "unknown key `auth_type` in `api_integrations[0].environments.sandbox.auth`",
            "`auth_type` is a key of the environment, beside `auth:`, not inside it: move it out one level",
        ],
    );
    // a bad type there is said too
    let lines = error_lines(&api("        auth:\n          auth_type: apikee\n          location: header\n", ""));
    assert!(has_line(&lines, &["sandbox.auth.auth_type", "`apikee`"]), "{lines:#?}");
}

#[test]
fn an_environments_key_written_in_the_wrong_place_says_where_it_goes() {
    let cases = [
        // written on the API
        (
            "api_integrations:\n  - name: crm\n    base_url: https://crm.example.com\n    environments:\n      sandbox: {}\n",
            "api_integrations:\n  - name: crm\n    environments:\n      sandbox: { base_url: https://crm.example.com }\n",
            &["apis.yaml:3:5:", "`base_url` is set per environment: move it into each environment under `environments:` (like `environments: { sandbox: { base_url: ... } }`)"][..],
        ),
        // right under `environments:`, where only environments go
        (
            "api_integrations:\n  - name: crm\n    environments:\n      base_url: https://crm.example.com\n",
            "api_integrations:\n  - name: crm\n    environments:\n      sandbox:\n        base_url: https://crm.example.com\n",
            &["apis.yaml:4:7:", "unknown environment `base_url` in `api_integrations[0].environments`; `base_url` is a key of one environment: indent it under the environment it is for (`sandbox:`, `pre-release:` or `live:`)"],
        ),
        // on an operation
        (
            &api("", "        auth_type: none\n"),
            &api("        auth_type: none\n", ""),
            &["apis.yaml:10:9:", "`auth_type` is set per environment of the API, not per operation"],
        ),
        // inside `tls:`
        (
            &api("        tls:\n          base_url: https://crm.example.com\n", ""),
            &api("        tls: {}\n", ""),
            &["apis.yaml:7:11:", "`base_url` is a key of the environment, beside `tls:`, not inside it"],
        ),
        // `auth:` twice
        (
            &api("        auth_type: basic\n        auth:\n          auth:\n            username: bob\n", ""),
            &api("        auth_type: basic\n        auth:\n          username: bob\n", ""),
            &["apis.yaml:8:11:", "`auth` is written twice, one `auth:` inside the other: remove the inner `auth:` line"],
        ),
    ];
    for (broken, fixed, words) in cases {
        assert_moved(broken, fixed, words);
    }
}

#[test]
fn api_and_operation_keys_written_in_the_wrong_place_say_where_they_go() {
    let cases = [
        (
            api("        timeout: 5s\n", ""),
            api("", "        timeout: 5s\n"),
            &["apis.yaml:6:9:", "`timeout` is not set per environment; it is a key of the API or of an operation: move it out of `environments:`"][..],
        ),
        (
            api("        idempotent: true\n", ""),
            api("", "        idempotent: true\n"),
            &["apis.yaml:6:9:", "`idempotent` is set per operation: move it into the operation under the API's `operations:`"],
        ),
        (
            api("        ca: { secret: CRM_CA }\n", ""),
            api("        tls: { ca: { secret: CRM_CA } }\n", ""),
            &["apis.yaml:6:9:", "`ca` is a setting of an environment's `tls:` block: indent it under `tls:`, as `ca: { secret: NAME }`"],
        ),
        // merged into the API's own
        (
            api("", "        environments: {}\n"),
            api("", ""),
            &["apis.yaml:10:9:", "`environments` is set on the API, not per operation: move it to the API, beside `operations:`"],
        ),
        (
            api("", "        attempts: 3\n"),
            api("", "        retry: { attempts: 3 }\n"),
            &["apis.yaml:10:9:", "`attempts` is a setting of `retry:`: write it there, like `retry: { attempts: ... }`"],
        ),
        (
            api("", "        retry: { attempts: 3, timeout: 5s }\n"),
            api("", "        retry: { attempts: 3 }\n        timeout: 5s\n"),
            &["apis.yaml:10:31:", "`timeout` is a key of the operation or API, beside `retry:`, not inside it"],
        ),
    ];
    for (broken, fixed, words) in cases {
        assert_moved(&broken, &fixed, words);
    }
    let lines = error_lines(&api("", "        operations: []\n"));
    assert_eq!(lines, ["apis.yaml:10:9: error: unknown key `operations` in `api_integrations[0].operations[0]`; `operations` is no key of an operation, as operations do not nest: list each one under the API's `operations:`"]);
    let lines =
        error_lines("api_integrations:\n  - name: crm\n    environments: { sandbox: {} }\n    resource: /tickets\n");
    assert!(
        has_line(
            &lines,
            &["apis.yaml:4:5:", "`resource` is set per operation: move it into each operation under `operations:`"]
        ),
        "{lines:#?}"
    );
}

#[test]
fn an_api_written_without_its_list_is_told_to_go_under_api_integrations() {
    let lines = error_lines("name: crm\nenvironments:\n  sandbox: {}\n");
    let under_the_list = "is a key of an API: the APIs go in the list under `api_integrations:`, each an entry (`- name: ...`) indented under it";
    assert!(has_line(&lines, &["apis.yaml:1:1:", "unknown key `name` in the file", under_the_list]), "{lines:#?}");
    assert!(
        has_line(&lines, &["apis.yaml:2:1:", "unknown key `environments` in the file", under_the_list]),
        "{lines:#?}"
    );
    assert!(has_line(&lines, &["the file is missing `api_integrations`"]), "{lines:#?}");
    assert_eq!(lines.len(), 3, "{lines:#?}");
}

#[test]
fn a_key_of_no_level_still_lists_the_keys_of_its_own() {
    let lines = error_lines(&api("        colour: blue\n", ""));
    assert_eq!(lines, ["apis.yaml:6:9: error: unknown key `colour` in `api_integrations[0].environments.sandbox`; the keys are `base_url`, `auth_type`, `auth` and `tls`"]);
}

#[test]
fn a_blank_that_yaml_takes_as_part_of_a_key_is_named() {
    // a no-break or ideographic space pasted before a key, a zero-width space after it
    let cases = [
        ("    \u{a0}description: Notes\n", "the key starts with U+00A0, which YAML reads as part of the key, not as a space: replace it with plain spaces"),
        ("    \u{3000}description: Notes\n", "the key starts with U+3000, which YAML reads as part of the key, not as a space"),
        ("    description\u{200b}: Notes\n", "the key ends with U+200B, which YAML reads as part of the key: remove it"),
    ];
    for (line, named) in cases {
        let yaml = format!("api_integrations:\n  - name: crm\n{line}    environments: {{ sandbox: {{}} }}\n");
        let lines = error_lines(&yaml);
        assert!(has_line(&lines, &["apis.yaml:3:5:", "did you mean `description`?", named]), "{lines:#?}");
        assert_eq!(lines.len(), 1, "{lines:#?}");
    }
    // in an `auth:` block, where the list of settings follows
    let lines = error_lines(&api("        auth_type: apiKey\n        auth:\n          \u{a0}location: header\n", ""));
    let named = "did you mean `location`? the key starts with U+00A0, which YAML reads as part of the key, not as a space: replace it with plain spaces; the `apiKey` settings are";
    assert!(has_line(&lines, &["apis.yaml:8:11:", named]), "{lines:#?}");
    // a misspelling with no blank says nothing of one
    let lines =
        error_lines("api_integrations:\n  - name: crm\n    descripton: Notes\n    environments: { sandbox: {} }\n");
    assert!(has_line(&lines, &["did you mean `description`?"]) && !has_line(&lines, &["U+"]), "{lines:#?}");
    // a key of another level is told where it goes, and of its blank
    let lines =
        error_lines("api_integrations:\n  - name: crm\n    environments: { sandbox: {} }\n    method\u{a0}: GET\n");
    let named =
        "`method` is set per operation: move it into each operation under `operations:`; the key ends with U+00A0";
    assert!(has_line(&lines, &["apis.yaml:4:5:", named]), "{lines:#?}");
    // after a key's colon, where YAML wants a space, the blank is no key's part
    let lines = error_lines(
        "api_integrations:\n  - name: crm\n    description:\u{a0}Notes\n    environments: { sandbox: {} }\n",
    );
    let named = "the character after `description:` is U+00A0, which YAML does not read as a space: replace it with a plain space";
    assert!(has_line(&lines, &["apis.yaml:3:5:", named]), "{lines:#?}");
}

/// The settings of the auth types other than the file's (an `apiKey`, see [`TAKEN`]).
const OTHER_AUTH_SETTINGS: [&[&str]; 2] = [
    &["username", "password"],
    &["token_url", "client_id", "client_secret", "scope", "credentials", "header_name", "token_prefix", "token_params"],
];

/// The keys each level of [`with_a_key_at_each_level`] takes (its `auth:` is an `apiKey`'s).
const TAKEN: [(&str, &[&str]); 8] = [
    ("file", &["api_integrations"]),
    ("API", &["name", "description", "environments", "operations", "timeout", "retry"]),
    ("environments", &["sandbox", "pre-release", "pre_release", "live"]),
    ("environment", &["base_url", "auth_type", "auth", "tls"]),
    ("auth", &["location", "name", "prefix", "value"]),
    ("tls", &["ca", "client_cert", "client_key"]),
    ("operation", &["name", "method", "resource", "description", "idempotent", "timeout", "retry"]),
    ("retry", &["attempts", "base_delay", "max_delay"]),
];

/// A file with a line `KEY: 1` written at each level: what the level is, and the file.
fn with_a_key_at_each_level(key: &str) -> Vec<(&'static str, String)> {
    let line = |indent: usize| format!("{:indent$}{key}: 1\n", "");
    let file = |[top, api, environments, environment, auth, tls, operation, retry]: [String; 8]| {
        format!(
            "{top}api_integrations:
  - name: crm
{api}    environments:
{environments}      sandbox:
{environment}        base_url: https://crm.example.com
        auth_type: apiKey
        auth:
{auth}          location: header
        tls:
{tls}          ca: {{ secret: CRM_CA }}
    operations:
      - name: get_ticket
{operation}        method: GET
        resource: /tickets/{{id}}
        retry:
{retry}          attempts: 2
"
        )
    };
    let levels = TAKEN.map(|(level, _)| level);
    let indents = [0, 4, 6, 8, 10, 10, 8, 10];
    (0..levels.len())
        .map(|at| {
            let lines = std::array::from_fn(|i| if i == at { line(indents[i]) } else { String::new() });
            (levels[at], file(lines))
        })
        .collect()
}

#[test]
fn every_key_at_every_level_where_it_is_unknown_gets_one_error_that_reads_right() {
    let every_key: BTreeSet<&str> =
        TAKEN.iter().map(|(_, keys)| *keys).chain(OTHER_AUTH_SETTINGS).flatten().copied().collect();
    assert_eq!(every_key.len(), 37);
    for key in every_key {
        for ((level, yaml), (_, taken)) in with_a_key_at_each_level(key).into_iter().zip(TAKEN) {
            if taken.contains(&key) {
                continue;
            }
            let line = yaml.lines().position(|line| line.trim_start().starts_with(&format!("{key}: 1"))).unwrap();
            let column = yaml.lines().nth(line).unwrap().find(key).unwrap();
            let diagnostics = parse_str("apis.yaml", &yaml).expect_err("an unknown key");
            let at_the_key: Vec<&Diagnostic> = diagnostics
                .errors()
                .filter(|d| (d.span.line, d.span.column) == (line as u32 + 1, column as u32 + 1))
                .collect();
            let context = format!("`{key}` in the {level}:\n{diagnostics}");
            assert_eq!(at_the_key.len(), 1, "{context}");
            let message = &at_the_key[0].message;
            let unknown = [format!("unknown key `{key}` in "), format!("unknown environment `{key}` in ")];
            let another_types = message.contains(&format!(".{key}` belongs to auth type"));
            assert!(unknown.iter().any(|start| message.starts_with(start)) || another_types, "{context}");
            // where it goes, said as a sentence about the key
            if let Some((_, placed)) = message.split_once(&format!("; `{key}` ")) {
                assert!(placed.starts_with("is "), "{context}");
            }
        }
    }
}

#[test]
fn a_block_inside_itself_or_a_retry_setting_far_off_says_so() {
    let lines = error_lines(&api("", "        retry:\n          retry: { attempts: 2 }\n"));
    assert_eq!(lines, ["apis.yaml:11:11: error: unknown key `retry` in `api_integrations[0].operations[0].retry`; `retry` is written twice, one `retry:` inside the other: remove the inner `retry:` line and keep what is under it"]);
    let lines = error_lines(&api("        attempts: 2\n", ""));
    assert_eq!(lines, ["apis.yaml:6:9: error: unknown key `attempts` in `api_integrations[0].environments.sandbox`; `attempts` is a setting of the `retry:` of the API or of an operation, not of an environment: move it there"]);
    let lines =
        error_lines("api_integrations:\n  - name: crm\n    environments:\n      environments: { sandbox: {} }\n");
    assert!(
        has_line(
            &lines,
            &["apis.yaml:4:7: error: unknown environment `environments`", "`environments` is written twice"]
        ),
        "{lines:#?}"
    );
}

#[test]
fn an_environment_beside_an_empty_environments_is_one_error_saying_to_indent_it() {
    let broken = "api_integrations:
  - name: crm
    environments:
    sandbox:
      base_url: https://crm.example.com
    operations:
      - { name: get_ticket, method: GET, resource: /tickets }
";
    let fixed = broken.replace("    sandbox:\n      base_url", "      sandbox:\n        base_url");
    // not also told that `environments` is empty, which would have it filled in anew
    assert_moved(
        broken,
        &fixed,
        &["apis.yaml:4:5:", "unknown key `sandbox`", "indent it under the API's `environments:`"],
    );
    // an empty `environments:` with nothing meant under it is still told, as is one
    // after the environment, which indenting could not put under it
    let lines = error_lines(&broken.replace("    sandbox:\n      base_url: https://crm.example.com\n", ""));
    assert!(has_line(&lines, &["apis.yaml:3:5:", "`api_integrations[0].environments` is empty"]), "{lines:#?}");
    let before = broken.replace(
        "    environments:\n    sandbox:\n      base_url: https://crm.example.com\n",
        "    sandbox:\n      base_url: https://crm.example.com\n    environments:\n",
    );
    let lines = error_lines(&before);
    assert!(has_line(&lines, &["apis.yaml:5:5:", "`api_integrations[0].environments` is empty"]), "{lines:#?}");
    let moved = "`sandbox` goes under `environments:`, which is written empty below it, on line 5: move it there, indented under it";
    assert!(has_line(&lines, &["apis.yaml:3:5:", "unknown key `sandbox`", moved]), "{lines:#?}");
}

#[test]
fn a_credential_written_before_its_empty_auth_block_is_told_to_move_there_as_a_secret() {
    let broken = api("        auth_type: basic\n        password: hunter2\n        auth:\n", "");
    let lines = error_lines(&broken);
    let moved = "`password` goes under `auth:`, which is written empty below it, on line 8: move it there, indented under it, as `password: { secret: NAME }`: a credential never goes in the file";
    assert!(has_line(&lines, &["apis.yaml:7:9:", moved]), "{lines:#?}");
    assert!(!lines.iter().any(|line| line.contains("hunter2")), "{lines:#?}");
}
