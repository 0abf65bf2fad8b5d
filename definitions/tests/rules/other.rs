//! The file's shape, unknown and misspelt keys, and messages that suggest valid fixes.

use super::*;

use conv_api_definitions::names::did_you_mean;

#[test]
fn a_key_glued_to_its_value_says_to_add_a_space() {
    let yaml = "api_integrations:\n  - name: a\n    environments: { live: { base_url:\"https://a.example\" } }\n    operations: []\n";
    let message = parse_str("apis.yaml", yaml).unwrap_err().to_string();
    assert!(
        message.contains("YAML reads `base_url:\"https://a.example\"` as one key; put a space after the colon: `base_url: \"https://a.example\"`"),
        "{message}"
    );
    // a colon later in the line makes the rest a value: the fix keeps it, quoted
    let operation = |line: &str| {
        format!("api_integrations:\n  - name: a\n    environments: {{ live: {{}} }}\n    operations:\n      - name: get\n        method: GET\n        resource: /x\n        {line}\n")
    };
    let message =
        parse_str("apis.yaml", &operation("description:Note: cached for 10 minutes")).unwrap_err().to_string();
    let fix = "put a space after the first colon and quote the value: `description: \"Note: cached for 10 minutes\"`";
    assert!(message.contains(fix), "{message}");
    let checked = parse_str("apis.yaml", &operation("description: \"Note: cached for 10 minutes\"")).unwrap();
    let described = checked.definitions.apis[0].operations[0].description.as_deref();
    assert_eq!(described, Some("Note: cached for 10 minutes"));
}

#[test]
fn a_javascript_comment_in_yaml_is_pointed_at_with_how_to_write_one() {
    let fix =
        "`//` and `/* */` start no comment in YAML: start a comment with `#`, on a line of its own or after a space";
    let api = "  - name: a\n    environments: { sandbox: { base_url: \"https://x.example\" } }\n    operations: []\n";
    let cases = [
        // on a line of its own, read as the start of a value the next `key:` breaks
        ("api_integrations:\n  - name: a\n    environments:\n      sandbox:\n        // the URL\n        base_url: \"https://x.example\"\n    operations: []\n".to_string(), "5:9"),
        (format!("// the APIs\napi_integrations:\n{api}"), "1:1"),
        (format!("api_integrations:\n  /* the list */\n{api}"), "2:3"),
        // after a value
        ("api_integrations:\n  - name: \"a\" // the API\n    operations: []\n".to_string(), "2:15"),
        ("api_integrations:\n  - name: a\n    environments: { sandbox: { base_url: \"https://x.example\" } } // envs\n    operations: []\n".to_string(), "3:66"),
        // in a flow list, read as an item
        ("api_integrations: [ // the APIs\n]\n".to_string(), "1:21"),
    ];
    for (yaml, at) in cases {
        let lines = error_lines(&yaml);
        assert_eq!(lines.len(), 1, "{yaml}\n{lines:?}");
        assert!(
            lines[0].starts_with(&format!("apis.yaml:{at}: error: ")) && lines[0].ends_with(fix),
            "{yaml}\n{lines:?}"
        );
    }
}

#[test]
fn json_written_as_javascript_is_told_what_yaml_reads() {
    // a `//` comment is no comment: it is read into the key after it
    let json = "{\n  // exported from Postman\n  \"api_integrations\": [\n    {\"name\": \"a\", \"environments\": {\"sandbox\": {\"base_url\": \"https://h.example\"}}}\n  ]\n}\n";
    let lines = error_lines(json);
    assert!(
        lines.iter().any(|line| line.contains("`//` and `/* */` start no comment in YAML: start a comment with `#`")),
        "{lines:?}"
    );
    // a key repeated on one line says the column of the first
    let json = r#"{"api_integrations":[{"name":"helpdesk","environments":{"sandbox":{"base_url":"https://a.example","base_url":"https://b.example"}}}]}"#;
    let lines = error_lines(json);
    assert!(
        lines.len() == 1
            && lines[0].starts_with("apis.yaml:1:99: error: duplicate key `base_url`")
            && lines[0].contains("(first at line 1, column 68)"),
        "{lines:?}"
    );
}

#[test]
fn errors_under_a_misspelt_key_or_environment_are_reported_too() {
    let yaml = "api_integrations:
  - name: a
    environment:
      live: { base_url: https://a.example }
      draft: { base_url: ftp://a.example, auth_type: wrong }
    operation:
      - { nmae: get, method: FETCH, resource: /x }
";
    let errors = parse_str("apis.yaml", yaml).expect_err("several errors");
    let found: Vec<String> = errors.errors().map(|d| d.render("apis.yaml")).collect();
    let has = |at: &str, words: &str| found.iter().any(|m| m.starts_with(at) && m.contains(words));
    assert!(has("apis.yaml:3:5:", "unknown key `environment`"), "{found:#?}");
    assert!(has("apis.yaml:5:7:", "unknown environment `draft`"), "{found:#?}");
    assert!(has("apis.yaml:5:26:", "environments.draft.base_url` is `ftp://a.example`"), "{found:#?}");
    assert!(has("apis.yaml:5:54:", "`wrong`, not an auth type"), "{found:#?}");
    assert!(has("apis.yaml:6:5:", "unknown key `operation`"), "{found:#?}");
    assert!(has("apis.yaml:7:11:", "unknown key `nmae`"), "{found:#?}");
    assert!(has("apis.yaml:7:30:", "operations[0].method` is `FETCH`"), "{found:#?}");
    assert_eq!(found.len(), 7, "{found:#?}");
}

#[test]
fn a_key_as_another_format_names_it_says_this_formats_word_and_its_value_is_read() {
    let yaml = "api_integrations:
  - name: a
    endpoints:
      - { name: get, verb: FETCH, path: \"tickets/{id}\", summary: Get one }
      - { name: put, method: PUT, resource: /x, url: /y }
    environments:
      live: { url: \"ftp://a.example\", type: oauth2 }
";
    assert_eq!(
        error_lines(yaml),
        [
            "apis.yaml:3:5: error: unknown key `endpoints` in `api_integrations[0]`; this format calls it `operations`",
            "apis.yaml:4:22: error: unknown key `verb` in `api_integrations[0].operations[0]`; this format calls it `method`",
            "apis.yaml:4:28: error: `api_integrations[0].operations[0].method` is `FETCH`, not a supported method; use one of `GET`, `POST`, `PATCH`, `PUT` or `DELETE`",
            "apis.yaml:4:35: error: unknown key `path` in `api_integrations[0].operations[0]`; this format calls it `resource`",
            "apis.yaml:4:41: error: `api_integrations[0].operations[0].resource`: must start with `/`; write `/tickets/{id}`",
            "apis.yaml:4:57: error: unknown key `summary` in `api_integrations[0].operations[0]`; this format calls it `description`",
            "apis.yaml:5:49: error: unknown key `url` in `api_integrations[0].operations[1]`; it means `resource` here, which is already given; remove one",
            "apis.yaml:7:15: error: unknown key `url` in `api_integrations[0].environments.live`; this format calls it `base_url`",
            "apis.yaml:7:20: error: `api_integrations[0].environments.live.base_url` is `ftp://a.example`: the scheme must be `http` or `https`, not `ftp`",
            "apis.yaml:7:39: error: unknown key `type` in `api_integrations[0].environments.live`; this format calls it `auth_type`",
        ]
    );
    // OpenAPI's `operationId` is read as the name, which is then not missing
    let yaml =
        "api_integrations:\n  - name: a\n    environments: { live: {} }\n    operations: [{ operationId: get_ticket, method: GET, resource: /t }]\n";
    assert_eq!(
        error_lines(yaml),
        ["apis.yaml:4:20: error: unknown key `operationId` in `api_integrations[0].operations[0]`; this format calls it `name`"]
    );
}

#[test]
fn a_key_whose_name_holds_a_unit_or_a_count_is_written_out_in_this_format() {
    let yaml = "api_integrations:
  - name: a
    timeout_ms: 500
    retries: 3
    environments: { live: { base_url: https://a.example } }
    operations:
      - { name: get, method: GET, resource: /x, timeoutSeconds: 1.5, max_attempts: 2 }
      - { name: put, method: PUT, resource: /x, max_retries: 0, retry: { retries: 12 } }
      - { name: del, method: DELETE, resource: /x, retries: 1, timeout_ms: soon }
";
    let at = "api_integrations[0]";
    assert_eq!(
        error_lines(yaml),
        [
            format!("apis.yaml:3:5: error: unknown key `timeout_ms` in `{at}`; the unit goes with the number in this format: write `timeout: 500ms`"),
            format!("apis.yaml:4:5: error: unknown key `retries` in `{at}`; 3 retries after the first attempt are 4 attempts in all, as this format counts them: write `retry: {{ attempts: 4 }}`"),
            format!("apis.yaml:7:49: error: unknown key `timeoutSeconds` in `{at}.operations[0]`; the unit goes with the number in this format: write `timeout: 1.5s`"),
            format!("apis.yaml:7:70: error: unknown key `max_attempts` in `{at}.operations[0]`; attempts are counted in `retry:`: write `retry: {{ attempts: 2 }}`"),
            format!("apis.yaml:8:49: error: unknown key `max_retries` in `{at}.operations[1]`; no retry after the first attempt is 1 attempt in all, as this format counts them: write `retry: {{ attempts: 1 }}`"),
            format!("apis.yaml:8:74: error: unknown key `retries` in `{at}.operations[1].retry`; this format counts attempts in all, the first included, up to 10 (9 retries): write `attempts: 10` for the most"),
            format!("apis.yaml:9:52: error: unknown key `retries` in `{at}.operations[2]`; 1 retry after the first attempt is 2 attempts in all, as this format counts them: write `retry: {{ attempts: 2 }}`"),
            // a value that makes no duration with the unit: read as `timeout`, whose error says why
            format!("apis.yaml:9:64: error: unknown key `timeout_ms` in `{at}.operations[2]`; did you mean `timeout`?"),
            format!("apis.yaml:9:76: error: `{at}.operations[2].timeout` is `soon`: write a number and a unit, `ms`, `s` or `m` (like `250ms`, `8s`, `1m`)"),
        ]
    );
}

#[test]
fn a_key_this_file_has_no_place_for_says_where_what_it_says_goes() {
    let yaml = "openapi: 3.0.0
version: 1
api_integrations:
  - name: a
    url: https://a.example
    headers: { Accept: application/json }
    environments: { live: { base_url: https://a.example, query: { region: eu } } }
    operations:
      - name: create
        method: POST
        resource: /tickets
        parameters: [{ name: id, in: path }]
        requestBody: { content: {} }
        responses: { 201: {} }
        content_type: application/json
";
    let at = "api_integrations[0]";
    assert_eq!(
        error_lines(yaml),
        [
            "apis.yaml:1:1: error: unknown key `openapi` in the file; this format is not OpenAPI: list each API under `api_integrations:`, with each environment's `base_url` (from `servers:`), and each path and method of `paths:` as an operation, like `- { name: get_ticket, method: GET, resource: \"/tickets/{id}\" }`".to_string(),
            "apis.yaml:2:1: error: unknown key `version` in the file; the file has no version key (later versions of the format only add optional keys): remove it".to_string(),
            format!("apis.yaml:5:5: error: unknown key `url` in `{at}`; an API's URL is set per environment, as its `base_url` (like `environments: {{ sandbox: {{ base_url: \"https://...\" }} }}`), and each operation's path as its `resource`"),
            format!("apis.yaml:6:5: error: unknown key `headers` in `{at}`; the file sets no headers: send one on the call, with `.header(name, value)`; a header that carries a credential is an `apiKey` auth, like `auth: {{ name: X-Api-Key, value: {{ secret: NAME }} }}`"),
            format!("apis.yaml:7:58: error: unknown key `query` in `{at}.environments.live`; a fixed query parameter goes in the resource after `?` (`resource: /tickets?limit=10`), one from an argument as a `{{name}}` there (`?q={{term}}`), and any other on the call, with `.query(..)`"),
            format!("apis.yaml:12:9: error: unknown key `parameters` in `{at}.operations[0]`; each `{{name}}` in the resource is an argument of the call and needs no declaration; query parameters go in the resource after `?` (`?q={{term}}`), or on the call, with `.query(..)`"),
            format!("apis.yaml:13:9: error: unknown key `requestBody` in `{at}.operations[0]`; the file holds no request body: give it on the call, with `.json(..)`, `.form(..)` or `.body(..)`"),
            format!("apis.yaml:14:9: error: unknown key `responses` in `{at}.operations[0]`; the file does not describe responses: read one on the call's response, with `.json::<T>()` or `.text()`"),
            format!("apis.yaml:15:9: error: unknown key `content_type` in `{at}.operations[0]`; a request's `Content-Type` comes with its body on the call: `.json(..)` sends `application/json`, `.form(..)` a form, and `.body(..)` with `.header(\"Content-Type\", ..)` any other"),
        ]
    );
}

#[test]
fn an_endpoint_written_as_api_docs_write_it_says_which_part_goes_where() {
    let file = |method: &str, resource: &str| {
        format!("api_integrations:\n  - name: a\n    environments: {{ live: {{ base_url: https://a.example }} }}\n    operations:\n      - name: get_ticket\n        method: {method}\n        resource: {resource}\n")
    };
    let at = "`api_integrations[0].operations[0]";
    assert_eq!(
        error_lines(&file("GET /tickets/{id}", "/tickets/{id}")),
        [format!("apis.yaml:6:17: error: {at}.method` is `GET /tickets/{{id}}`, a method and a resource in one; write `method: GET` and `resource: /tickets/{{id}}`")]
    );
    assert_eq!(
        error_lines(&file("GET", "get  /tickets/{id}")),
        [format!("apis.yaml:7:19: error: {at}.resource` starts with the method `GET`, which goes in `method:`; write `resource: /tickets/{{id}}`")]
    );
    assert!(parse_str("apis.yaml", &file("GET", "/tickets/{id}")).is_ok());
    // a word that is no method before a path is only a resource without its `/`
    let lines = error_lines(&file("GET", "FETCH /tickets"));
    assert!(has_line(&lines, &["resource`: must start with `/`"]), "{lines:?}");
}

#[test]
fn an_operation_name_written_as_a_call_suggests_the_name_alone() {
    for (written, like) in
        [("get_ticket()", "get_ticket"), ("get ticket!", "get_ticket"), ("get  -  ticket", "get_ticket")]
    {
        let yaml = format!("api_integrations:\n  - name: a\n    environments: {{ live: {{}} }}\n    operations:\n      - {{ name: \"{written}\", method: GET, resource: /t }}\n");
        let lines = error_lines(&yaml);
        assert!(lines.len() == 1 && lines[0].ends_with(&format!("(like `{like}`)")), "{written}: {lines:?}");
    }
}

#[test]
fn messages_suggest_fixes_that_are_valid() {
    let yaml = "api_integrations:
  - name: shop
    retry: { attempts: \"3\" }
    environments:
      sandbox:
        base_url: https://sandbox.shop.example
        auth_type: oauth2
        auth: { usernam: me, client_secret: { secret: \"\" } }
      live:
        base_url: https://shop.example
        auth_type: apiKey
        auth: { name: \"\", value: { secret: 12 } }
";
    let errors = parse_str("apis.yaml", yaml).expect_err("every line has an error");
    let messages: Vec<String> = errors.errors().map(|d| d.message.clone()).collect();
    let has = |words: &[&str]| messages.iter().any(|m| words.iter().all(|w| m.contains(w)));
    assert!(has(&["attempts`", "found the text `3`"]), "{errors}");
    assert!(has(&["unknown key `usernam`", "did you mean `username` (a setting of auth type `basic`)?"]), "{errors}");
    assert!(
        has(&["client_secret.secret` is empty; write the secret's name", "(like `SHOP_SANDBOX_CLIENT_SECRET`)"]),
        "{errors}"
    );
    assert!(has(&["auth.name` is empty; give a value, or leave the key out for its default"]), "{errors}");
    // digits alone may be a PIN: not shown
    assert!(
        has(&["value.secret` is not a valid secret name", "(like `SHOP_LIVE_API_KEY`)", "is not shown"]),
        "{errors}"
    );
    assert_eq!(messages.len(), 5, "{errors}");
}

/// An empty value is told empty, with what to write, not shown as `` nor "fixed" to
/// a value seldom meant; a list where one value goes says why one.
#[test]
fn empty_values_and_lists_of_one_value_are_told_so() {
    let yaml = |operation: &str| {
        format!("api_integrations:\n  - name: shop\n    environments: {{ live: {{}} }}\n    operations:\n      - {operation}\n")
    };
    let lines = error_lines(&yaml("{ name: get, method: \"\", resource: /a }"));
    assert_eq!(lines, ["apis.yaml:5:30: error: `api_integrations[0].operations[0].method` is empty; use one of `GET`, `POST`, `PATCH`, `PUT` or `DELETE`"]);
    let lines = error_lines(&yaml("{ name: get, method: [GET, POST], resource: /a }"));
    assert!(
        has_line(
            &lines,
            &["method` must be one method, found a list; an operation has one method", "write one operation for each"]
        ),
        "{lines:?}"
    );
    let lines = error_lines(&yaml("{ name: get, method: GET, resource: \"\" }"));
    assert!(
        has_line(&lines, &["resource`: is empty; write the path after the base URL, starting with `/`"]),
        "{lines:?}"
    );
    let base_url = |port: &str| {
        format!("api_integrations:\n  - name: shop\n    environments: {{ live: {{ base_url: \"https://shop.example:{port}/v1\" }} }}\n")
    };
    let lines = error_lines(&base_url("99999"));
    assert!(
        has_line(
            &lines,
            &["is `https://shop.example:99999/v1`, whose port is not a number from 1 to 65535; write it like"]
        ),
        "{lines:?}"
    );
    let lines = error_lines(&base_url("0"));
    assert!(has_line(&lines, &["whose port is 0, which no server can listen on"]), "{lines:?}");
    assert!(parse_str("apis.yaml", &base_url("65535")).is_ok());
}

#[test]
fn unknown_top_level_key_suggests_api_integrations() {
    // The misspelt key stands for the missing one, which is not reported missing;
    // what is under it is read as if spelt right, so its own errors show too.
    expect(
        "unknown_keys.yaml",
        &[
            (1, 1, &["unknown key `api_integration`", "did you mean `api_integrations`?"]),
            (2, 5, &["`api_integrations[0].environments` is missing"]),
        ],
    );
    // another format's word for it stands in for it too
    let lines: Vec<String> = parse_str("apis.yaml", "apis: []\n").unwrap_err().lines().collect();
    assert_eq!(
        lines,
        ["apis.yaml:1:1: error: unknown key `apis` in the file; this format calls it `api_integrations`"]
    );
    let missing = parse_str("apis.yaml", "catalogue: []\n").unwrap_err();
    let lines: Vec<String> = missing.lines().collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].starts_with("apis.yaml:1:1: error: unknown key `catalogue` in the file"), "{}", lines[0]);
    assert!(
        lines[1].starts_with("apis.yaml:1:1: error: the file is missing `api_integrations`; add it"),
        "{}",
        lines[1]
    );
}

#[test]
fn unknown_operation_key_suggests_method() {
    expect(
        "unknown_key_metod.yaml",
        &[(7, 9, &["unknown key `metod`", "`api_integrations[0].operations[0]`", "did you mean `method`?"])],
    );
}

#[test]
fn a_scalar_where_a_list_should_be() {
    expect(
        "scalar_for_list.yaml",
        &[(5, 17, &["`api_integrations[0].operations` must be a list of operations", "found text"])],
    );
    for (value, found) in [("zendesk", "text"), ("5", "a number")] {
        let diagnostics = parse_str("apis.yaml", &format!("api_integrations: {value}\n")).unwrap_err();
        assert_eq!(
            diagnostics.lines().collect::<Vec<_>>(),
            [format!(
                "apis.yaml:1:19: error: `api_integrations` must be a list of APIs (`- name: ...`), found {found}"
            )]
        );
    }
}

#[test]
fn a_list_where_a_mapping_should_be() {
    expect(
        "list_for_mapping.yaml",
        &[(3, 19, &["`api_integrations[0].environments` must be a mapping", "found a list"])],
    );
}

#[test]
fn an_api_or_operation_written_without_its_dash_is_read_as_the_lists_one_entry() {
    let broken = "api_integrations:\n  name: crm\n  environments:\n    live: { base_url: https://crm.example }\n  operations:\n    name: find\n    method: FETCH\n    resource: /people/{id}\n";
    assert_eq!(
        error_lines(broken),
        [
            "apis.yaml:2:3: error: `api_integrations` must be a list of APIs (`- name: ...`), found one API written as a mapping, not as a list entry: put `- ` before `name:` and indent the API's other keys two more spaces, to line up with `name:`",
            "apis.yaml:6:5: error: `api_integrations[0].operations` must be a list of operations (`- name: ...`), found one operation written as a mapping, not as a list entry: put `- ` before `name:` and indent the operation's other keys two more spaces, to line up with `name:`",
            "apis.yaml:7:13: error: `api_integrations[0].operations[0].method` is `FETCH`, not a supported method; use one of `GET`, `POST`, `PATCH`, `PUT` or `DELETE`",
        ]
    );
    // the advice, followed to the letter
    let fixed = "api_integrations:\n  - name: crm\n    environments:\n      live: { base_url: https://crm.example }\n    operations:\n      - name: find\n        method: GET\n        resource: /people/{id}\n";
    assert_eq!(parse_str("apis.yaml", fixed).unwrap().definitions.apis[0].operations.len(), 1);
    // in flow style, the list is brackets
    let flow = "api_integrations: { name: crm, environments: { live: {} } }\n";
    let lines = error_lines(flow);
    assert_eq!(lines, ["apis.yaml:1:19: error: `api_integrations` must be a list of APIs (`- name: ...`), found one API written as a mapping, not as a list entry: put it in a list: `[{ name: ... }]`"]);
    assert!(parse_str("apis.yaml", "api_integrations: [{ name: crm, environments: { live: {} } }]\n").is_ok());
}

/// `-name: crm` where an API's `- name: crm` goes is valid YAML, a mapping with the
/// key `-name`: told the space it lacks, and read as the entry it was meant to be.
#[test]
fn an_api_whose_dash_has_no_space_is_read_as_the_lists_one_entry() {
    let broken = "api_integrations:\n  -name: crm\n  environments:\n    live: { base_url: https://crm.example }\n  operations: [{ name: find, method: FETCH, resource: /x }]\n";
    assert_eq!(
        error_lines(broken),
        [
            "apis.yaml:2:3: error: `api_integrations` must be a list of APIs (`- name: ...`), found one API written as a mapping: `-name:` has no space after its `-`, so YAML reads `-name` as a key, not as the `- ` that starts a list entry: write `- name:` and indent the API's other keys two more spaces, to line up with `name:`",
            "apis.yaml:5:38: error: `api_integrations[0].operations[0].method` is `FETCH`, not a supported method; use one of `GET`, `POST`, `PATCH`, `PUT` or `DELETE`",
        ]
    );
}

/// `- get_ticket:` names a list's entry by a key, as a mapping keyed by names would:
/// with its keys under it, or beside it with no value. Told to write `- name:`, and
/// read as the entry it was meant to be, so no key is reported missing.
#[test]
fn an_entry_named_by_its_key_is_read_as_the_entry_of_that_name() {
    let broken = "api_integrations:\n  - crm:\n    environments:\n      live: { base_url: https://crm.example }\n    operations:\n      - get_contact:\n          method: FETCH\n          resource: /people/{id}\n        description: One person\n      - nmae: find\n        method: GET\n        resource: /people\n";
    assert_eq!(
        error_lines(broken),
        [
            "apis.yaml:2:5: error: `api_integrations[0]` is named by its key `crm:`, but an API holds its name: write `- name: crm` in place of `- crm:`",
            "apis.yaml:6:9: error: `api_integrations[0].operations[0]` is named by its key `get_contact:`, but an operation holds its name: write `- name: get_contact` in place of `- get_contact:`, and its keys under it lined up with `name:`",
            "apis.yaml:7:19: error: `api_integrations[0].operations[0].method` is `FETCH`, not a supported method; use one of `GET`, `POST`, `PATCH`, `PUT` or `DELETE`",
            // a misspelt key is no name
            "apis.yaml:10:9: error: unknown key `nmae` in `api_integrations[0].operations[1]`; did you mean `name`?",
        ]
    );
    let fixed = "api_integrations:\n  - name: crm\n    environments:\n      live: { base_url: https://crm.example }\n    operations:\n      - name: get_contact\n        method: GET\n        resource: /people/{id}\n        description: One person\n";
    assert!(parse_str("apis.yaml", fixed).is_ok());
    // a key a message of its own places, or no name at all, is not read as a name
    let head = "api_integrations:\n  - name: crm\n    environments:\n      live: { base_url: https://crm.example }\n    operations:\n";
    for (first, told) in [
        ("base_url", "`base_url` is set per environment of the API, not per operation"),
        ("sandbox", "`sandbox` is an environment, not a key of an operation"),
        ("responses", "the file does not describe responses"),
        ("~", "unknown key `~`"),
        ("12", "unknown key `12`"),
    ] {
        let lines = error_lines(&format!("{head}      - {first}:\n        method: GET\n        resource: /x\n"));
        assert!(has_line(&lines, &[told]) && !has_line(&lines, &["is named by its key"]), "{first}: {lines:?}");
    }
}

/// `-name:` after an entry's keys is the next entry's `- ` without its space.
#[test]
fn a_second_entry_whose_dash_has_no_space_is_told_to_start_its_own() {
    let broken = "api_integrations:\n  - name: crm\n    environments:\n      live: { base_url: https://crm.example }\n    operations:\n      - name: get\n        method: GET\n        resource: /x\n        -name: put\n";
    assert_eq!(
        error_lines(broken),
        ["apis.yaml:9:9: error: unknown key `-name` in `api_integrations[0].operations[0]`; `-name:` has no space after its `-`, so YAML reads `-name` as a key, not as the `- ` that starts a list entry: write `- name:` to start an entry of its own"]
    );
}

#[test]
fn a_mapping_keyed_by_names_is_read_as_entries_named_after_its_keys() {
    let broken = "api_integrations:\n  - name: crm\n    environments:\n      live: { base_url: https://crm.example }\n    operations:\n      find person:\n        method: GET\n        resource: /people/{id}\n      create:\n        method: POST\n";
    assert_eq!(
        error_lines(broken),
        [
            "apis.yaml:6:7: error: `api_integrations[0].operations` must be a list of operations (`- name: ...`), found a mapping keyed by operation names; an operation is a list entry that holds its name: write `- name: find person` in place of `find person:`, with the keys under it where they are, and so for each operation",
            "apis.yaml:6:7: error: `api_integrations[0].operations[0].name` is `find person`, which is not an identifier; use ASCII letters (a-z, A-Z), digits and `_`, not starting with a digit, as the name is a Rust method's (like `find_person`)",
            "apis.yaml:9:7: error: `api_integrations[0].operations[1].resource` is missing; add it, like `resource: \"/tickets/{ticket_id}\"`",
        ]
    );
    let fixed = "api_integrations:\n  - name: crm\n    environments:\n      live: { base_url: https://crm.example }\n    operations:\n      - name: find_person\n        method: GET\n        resource: /people/{id}\n      - name: create\n        method: POST\n        resource: /people\n";
    assert_eq!(parse_str("apis.yaml", fixed).unwrap().definitions.apis[0].operations.len(), 2);
    // the APIs keyed by name, one of them: no "and so for each"
    let lines =
        error_lines("api_integrations:\n  crm:\n    environments:\n      live: { base_url: ftp://crm.example }\n");
    assert_eq!(
        lines,
        [
            "apis.yaml:2:3: error: `api_integrations` must be a list of APIs (`- name: ...`), found a mapping keyed by API names; an API is a list entry that holds its name: write `- name: crm` in place of `crm:`, with the keys under it where they are",
            "apis.yaml:4:25: error: `api_integrations[0].environments.live.base_url` is `ftp://crm.example`: the scheme must be `http` or `https`, not `ftp`",
        ]
    );
    // in flow style (JSON), the list is brackets
    let lines = error_lines("{\"api_integrations\": {\"crm\": {\"environments\": {\"live\": {}}}}}\n");
    assert_eq!(lines, ["apis.yaml:1:22: error: `api_integrations` must be a list of APIs (`- name: ...`), found a mapping keyed by API names; an API is a list entry that holds its name: write `[{ name: crm, ... }]`, each API an entry of the list"]);
    // entries that name themselves, or values that are no entries: the mapping is only told
    for mapping in ["  crm: { name: crm, environments: { live: {} } }\n", "  crm: 5\n", "  ? [a]\n  : {}\n"] {
        let lines = error_lines(&format!("api_integrations:\n{mapping}"));
        assert_eq!(
            lines,
            ["apis.yaml:2:3: error: `api_integrations` must be a list of APIs (`- name: ...`), found a mapping"],
            "{mapping}"
        );
    }
}

#[test]
fn an_empty_api_list_is_valid() {
    assert_eq!(parse_str("apis.yaml", "api_integrations: []\n").unwrap().definitions.apis.len(), 0);
}

#[test]
fn a_null_api_list_is_an_empty_list() {
    // every entry commented out leaves nothing after the colon
    let checked = good("no_apis_yet.yaml");
    assert!(checked.definitions.apis.is_empty());
    assert!(checked.warnings.items.is_empty(), "{}", checked.warnings);
    assert_eq!(parse_str("apis.yaml", "api_integrations: ~\n").unwrap().definitions.apis.len(), 0);
    // the key itself is still required
    let missing = parse_str("apis.yaml", "{}\n").unwrap_err();
    assert_eq!(
        missing.lines().collect::<Vec<_>>(),
        ["apis.yaml:1:1: error: the file is missing `api_integrations`; add it, like `api_integrations: [{ name: my_api, ... }]`"]
    );
}

#[test]
fn missing_keys_are_reported_at_the_entry() {
    expect(
        "missing_keys.yaml",
        &[
            (2, 5, &["`api_integrations[0].name` is missing", "`name: my_api`"]),
            (5, 5, &["`api_integrations[1].environments` is missing", "add it"]),
            (
                7,
                9,
                &["`api_integrations[1].operations[0].resource` is missing", "`resource: \"/tickets/{ticket_id}\"`"],
            ),
        ],
    );
}

#[test]
fn every_error_of_a_file_is_reported() {
    expect(
        "many_errors.yaml",
        &[
            (1, 1, &["unknown key `api_integration`"]),
            (3, 11, &["`api_integrations[0].name` is `Zendesk`"]),
            (5, 7, &["unknown environment `sandbx`"]),
            (7, 15, &["`api_integrations[0].operations[0].name` is `get ticket`"]),
            (8, 9, &["unknown key `metod`"]),
            (9, 19, &["`api_integrations[0].operations[0].resource`", "must start with `/`"]),
        ],
    );
    let (file, bytes) = fixture("bad", "many_errors.yaml");
    let rendered = parse_bytes(&file, &bytes).unwrap_err().to_string();
    assert!(rendered.lines().all(|line| line.starts_with("many_errors.yaml:") && line.contains(": error: ")));
}

#[test]
fn a_misspelling_too_many_edits_away_but_alike_enough_is_suggested() {
    // five edits from `base_url`, too many to count as a typo, but alike enough (Jaro-Winkler 0.92)
    assert_eq!(did_you_mean("base_url_path", ["base_url", "auth_type", "auth", "tls"]), Some("base_url"));
}

#[test]
fn of_two_keys_as_many_edits_away_the_more_alike_is_suggested() {
    // three edits from each: `client_secret` shares the longer start
    for choices in [["client_id", "client_secret"], ["client_secret", "client_id"]] {
        assert_eq!(did_you_mean("client_sec", choices), Some("client_secret"), "{choices:?}");
    }
}

#[test]
fn warnings_and_errors_are_reported_in_file_order() {
    // every diagnostic of one file, errors and warnings, in file order
    let yaml = "api_integrations:\n  - name: crm\n    environments: { sandbox: {} }\n    operations:\n      - { name: getContact, method: GET, resource: / }\n      - { name: list, method: FETCH, resource: / }\n";
    let lines: Vec<String> = parse_str("apis.yaml", yaml).unwrap_err().lines().collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].starts_with("apis.yaml:5:17: warning: "), "{lines:?}");
    assert!(lines[1].starts_with("apis.yaml:6:") && lines[1].contains(": error: "), "{lines:?}");
}

#[test]
fn a_plural_key_is_taken_for_its_singular_and_checked() {
    let yaml = "api_integrations:\n  - name: a\n    retries: { attempts: 99 }\n    environments: { live: {} }\n";
    let lines: Vec<String> = parse_str("apis.yaml", yaml).unwrap_err().lines().collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].contains("unknown key `retries`") && lines[0].contains("did you mean `retry`?"), "{lines:?}");
    assert!(lines[1].contains("`api_integrations[0].retry.attempts` must be a whole number from 1 to 10"), "{lines:?}");
}

/// A file that is the list of APIs alone lacks the key that holds it.
#[test]
fn a_file_that_is_a_list_says_to_put_it_under_api_integrations() {
    let yaml = "- name: a\n  environments: { live: {} }\n";
    let lines: Vec<String> = parse_str("apis.yaml", yaml).unwrap_err().lines().collect();
    assert_eq!(
        lines,
        ["apis.yaml:1:1: error: the file must be a mapping, found a list; the list of APIs goes under a top-level `api_integrations:` key: write that line first and indent the list under it"]
    );
}

/// A test case given for the definitions is one error that says which file is which,
/// not one for each of its keys and another for the missing `api_integrations`.
#[test]
fn a_test_case_given_as_definitions_says_it_is_a_test_case() {
    let yaml = "name: Books a table\nscenario: Book for two.\napi_mocks:\n  reservations: {}\n";
    let lines: Vec<String> = parse_str("case.yaml", yaml).unwrap_err().lines().collect();
    assert_eq!(
        lines,
        ["case.yaml:3:1: error: this is a test case file (its `api_mocks:` holds mocks), not a definitions file, which holds `api_integrations:`; a test case is checked beside the definitions it mocks, with `conv-api check DEFINITIONS --mocks TEST_CASE`"]
    );
    // beside `api_integrations`, `api_mocks` is an unknown key like any other
    let yaml = "api_integrations: []\napi_mocks: {}\n";
    let lines: Vec<String> = parse_str("apis.yaml", yaml).unwrap_err().lines().collect();
    assert!(lines.len() == 1 && lines[0].contains("unknown key `api_mocks`"), "{lines:?}");
}

/// A conversation's log given for the definitions is one error that says what it is,
/// not one for each key of its first entry (or the YAML error of its second line),
/// also past the size a definitions file may have.
#[test]
fn a_conversation_log_given_as_definitions_says_it_is_a_log() {
    let entry = r#"{"timestamp":"2026-11-30T12:00:00.000Z","level":"info","message":"m","pii":false}"#;
    let expected = ["conv.jsonl:1:1: error: this is a conversation log (one JSON entry a line, as `Log::to_jsonl` writes it), not a definitions file; show it with `conv-api review LOG`"];
    for log in [format!("{entry}\n"), format!("{entry}\n{entry}\n")] {
        let lines: Vec<String> = parse_str("conv.jsonl", &log).unwrap_err().lines().collect();
        assert_eq!(lines, expected);
    }
    let large = format!("{entry}\n").repeat(conv_api_definitions::MAX_FILE_BYTES / entry.len() + 1);
    let lines: Vec<String> = parse_bytes("conv.jsonl", large.as_bytes()).unwrap_err().lines().collect();
    assert_eq!(lines, expected);
}

/// A file of one value (a word, a number) is told what a definitions file starts with.
#[test]
fn a_file_that_is_one_value_says_to_start_with_api_integrations() {
    for (yaml, found) in [("hello\n", "text"), ("42\n", "a number")] {
        let lines: Vec<String> = parse_str("apis.yaml", yaml).unwrap_err().lines().collect();
        assert_eq!(
            lines,
            [format!("apis.yaml:1:1: error: the file must be a mapping (`key: value` lines), found {found}; a definitions file starts with a top-level `api_integrations:` key holding the list of APIs, like `api_integrations: [{{ name: my_api, ... }}]`")]
        );
    }
}

#[test]
fn a_list_in_a_secret_field_and_an_unquoted_resource_say_what_to_write() {
    let yaml = "api_integrations:
  - name: a
    environments:
      live: { base_url: \"https://a.example\", auth_type: apiKey, auth: { value: [KEY] } }
    operations:
      - { name: get, method: GET, resource: {id} }
";
    let text = parse_str("apis.yaml", yaml).unwrap_err().to_string();
    // a wrong shape, not a secret written out
    assert!(
        text.contains("`api_integrations[0].environments.live.auth.value` must be `{ secret: A_LIVE_API_KEY }`, found a list; a secret is named in the file and its value kept in the secret store"),
        "{text}"
    );
    assert!(
        text.contains("(YAML reads unquoted `{...}` as one); write it like `resource: \"/tickets/{ticket_id}\"`"),
        "{text}"
    );
}

#[test]
fn a_misspelt_auth_type_or_environment_hides_no_other_error() {
    let yaml = "api_integrations:
  - name: a
    environments:
      live:
        base_url: https://x.example
        auth_type: basik
        auth: { password: hunter2, foo: 1 }
      qa: { base_url: \"ftp://x.example\" }
";
    let lines: Vec<String> = parse_str("apis.yaml", yaml).unwrap_err().lines().collect();
    assert_eq!(lines.len(), 5, "{lines:?}");
    assert!(lines[0].contains("`basik`, not an auth type; did you mean `basic`?"), "{lines:?}");
    assert!(lines[1].contains("auth.password` is a secret") && !lines[1].contains("hunter2"), "{lines:?}");
    // a key like no setting in an `auth:` block may be a secret that lost its key: not shown
    assert!(lines[2].contains("unknown key (not shown: it may be a secret)"), "{lines:?}");
    assert!(lines[3].contains("unknown environment `qa`"), "{lines:?}");
    assert!(lines[4].contains("`api_integrations[0].environments.qa.base_url` is `ftp://x.example`"), "{lines:?}");
}

#[test]
fn a_misspelt_auth_type_has_the_base_url_checked_for_the_type_it_means() {
    let yaml = "api_integrations:
  - name: crm
    environments:
      live: { base_url: \"http://api.crm.example\", auth_type: Basic }
      sandbox: { base_url: \"\", auth_type: oauth }
";
    let lines = error_lines(yaml);
    assert_eq!(lines.len(), 4, "{lines:?}");
    assert!(
        lines[0].starts_with("apis.yaml:4:25: error: ")
            && lines[0].contains("but `auth_type` is `Basic`, read as `basic`: credentials never travel in clear text"),
        "{lines:?}"
    );
    assert!(lines[1].starts_with("apis.yaml:4:62: error: ") && lines[1].contains("did you mean `basic`?"), "{lines:?}");
    assert!(lines[2].contains("`api_integrations[0].environments.sandbox.base_url` is empty, but `auth_type` is `oauth`, read as `oauth2`;"), "{lines:?}");
    assert!(lines[3].contains("is `oauth`, not an auth type; did you mean `oauth2`?"), "{lines:?}");
}

#[test]
fn an_auth_block_under_an_unknown_auth_type_is_still_checked() {
    let yaml = "api_integrations:
  - name: a
    environments:
      live:
        base_url: https://a.example
        auth_type: bogus
        auth: { nosuch_field: 1, pasword: { secret: BAD-NAME }, username: me, client_secret: hunter2 }
    operations: []
";
    // `username` (basic) and `client_secret` (oauth2) tie: the block is read as no type
    let lines = error_lines(yaml);
    let expected = [
        "apis.yaml:6:20: error: `api_integrations[0].environments.live.auth_type` is `bogus`, not an auth type",
        "apis.yaml:7:17: error: unknown key `nosuch_field` in `api_integrations[0].environments.live.auth`; no auth type has this setting; remove it",
        "apis.yaml:7:34: error: unknown key `pasword` in `api_integrations[0].environments.live.auth`; did you mean `password` (a setting of auth type `basic`)? no auth type has this setting",
        "apis.yaml:7:53: error: `api_integrations[0].environments.live.auth.pasword.secret` is `BAD-NAME`",
        "apis.yaml:7:94: error: `api_integrations[0].environments.live.auth.client_secret` is a secret",
    ];
    assert_eq!(lines.len(), expected.len(), "{lines:#?}");
    for (line, start) in lines.iter().zip(expected) {
        assert!(line.starts_with(start), "{line}\n does not start with\n{start}");
    }
}

#[test]
fn an_operation_written_as_its_name_or_endpoint_alone_shows_the_operation_to_write() {
    let yaml = "api_integrations:\n  - name: a\n    environments: { live: {} }\n    operations:\n      - get_ticket\n      - GET /tickets/{id}\n      - 42\n      - null\n";
    let must = "must be a mapping (`key: value` lines), found";
    let write = "an operation has a name, a method and a resource: write";
    assert_eq!(
        error_lines(yaml),
        [
            format!("apis.yaml:5:9: error: `api_integrations[0].operations[0]` {must} text; {write} `- {{ name: get_ticket, method: GET, resource: \"/...\" }}`"),
            format!("apis.yaml:6:9: error: `api_integrations[0].operations[1]` {must} text; {write} `- {{ name: ..., method: GET, resource: \"/tickets/{{id}}\" }}`"),
            format!("apis.yaml:7:9: error: `api_integrations[0].operations[2]` {must} a number"),
            // YAML's null is no name
            format!("apis.yaml:8:9: error: `api_integrations[0].operations[3]` {must} nothing"),
        ]
    );
}

#[test]
fn an_empty_path_is_told_as_one() {
    let error = conv_api_definitions::load("").unwrap_err().to_string();
    assert_eq!(error, "\"\": error: cannot read the definitions file: the path is empty; name the file");
}

/// What `main() -> Result<(), Box<dyn Error>>` prints of a file with errors: its
/// diagnostics one line each, as `check` prints them, not a struct on one line.
#[test]
fn a_load_errors_debug_is_its_message() {
    let errors = parse_str("apis.yaml", "api_integrations:\n  - name: Bad\n  - name: worse-too\n").unwrap_err();
    let error = conv_api_definitions::LoadError::Invalid(errors);
    assert_eq!(format!("{error:?}"), error.to_string());
    assert!(format!("{error:?}").lines().count() >= 2 && format!("{error:?}").starts_with("apis.yaml:2:"), "{error:?}");
}

/// A service (systemd, a container) may run elsewhere than its files: a relative
/// path not found names the working directory it was read from; an absolute one
/// needs none.
#[test]
fn a_relative_path_not_found_names_the_working_directory() {
    let error = conv_api_definitions::load("config/no-such-apis.yaml").unwrap_err().to_string();
    let directory = std::env::current_dir().unwrap();
    let says = format!("; the path is relative to the working directory, `{}`", directory.display());
    assert!(error.starts_with("config/no-such-apis.yaml: error: cannot read the definitions file: "), "{error}");
    assert!(error.ends_with(&says), "{error}");
    let absolute = conv_api_definitions::load(directory.join("no-such-apis.yaml")).unwrap_err().to_string();
    assert!(!absolute.contains("working directory"), "{absolute}");
}

#[test]
fn a_directory_given_for_the_file_names_the_yaml_files_in_it() {
    let dir = std::env::temp_dir().join(format!("conv-api-directory-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("config")).unwrap();
    let error = |path: &std::path::Path| conv_api_definitions::load(path).unwrap_err().to_string();
    let shown = dir.display();
    assert_eq!(
        error(&dir),
        format!("{shown}: error: cannot read the definitions file: it is a directory, with no YAML file in it; give the file's path")
    );
    // an ADK project's root: its definitions first, then the directory's own YAML files
    std::fs::write(dir.join("config").join("api_integrations.yaml"), "api_integrations: []\n").unwrap();
    std::fs::write(dir.join("b.yml"), "").unwrap();
    std::fs::write(dir.join("a.yaml"), "").unwrap();
    std::fs::write(dir.join("notes.txt"), "").unwrap();
    let such_as =
        ["config/api_integrations.yaml", "a.yaml", "b.yml"].map(|file| format!("`{}`", dir.join(file).display()));
    assert_eq!(
        error(&dir),
        format!(
            "{shown}: error: cannot read the definitions file: it is a directory; give a file's path, such as {}",
            such_as.join(" or ")
        )
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_adk_id_in_agent_studio_is_told_to_go() {
    let yaml = "api_integrations:
  - name: crm
    resource_id: API-INTEGRATION-1
    environments: { live: { base_url: \"https://crm.example\" } }
    operations:
      - { id: OP-123, name: get, method: GET, resource: /a }
      - { resource_id: OP-124, name: put, method: PUT, resource: /b }
";
    let told = "which a definitions file does not use: remove it";
    let lines = error_lines(yaml);
    assert_eq!(lines.len(), 3, "{lines:#?}");
    assert!(
        lines[0].starts_with(
            "apis.yaml:3:5: error: unknown key `resource_id` in `api_integrations[0]`; `resource_id` is the ADK's id"
        ),
        "{lines:#?}"
    );
    assert!(
        lines[1].starts_with("apis.yaml:6:11: error: unknown key `id` in `api_integrations[0].operations[0]`"),
        "{lines:#?}"
    );
    assert!(lines[2].starts_with("apis.yaml:7:11: error: unknown key `resource_id`"), "{lines:#?}");
    assert!(lines.iter().all(|line| line.ends_with(told)), "{lines:#?}");
}

/// DEFINITIONS.md: "Every error is reported, not only the first". A misspelt key
/// stands in for the one it means (`metod` for `method`), and only for it: another
/// required key left out of the same operation (`resource`) is still told missing.
#[test]
fn a_misspelt_key_stands_in_only_for_the_key_it_means() {
    let lines = error_lines(
        "api_integrations:\n  - name: a\n    environments: { live: { base_url: https://a.example } }\n    operations:\n      - name: get\n        metod: GET\n",
    );
    assert!(
        has_line(&lines, &["unknown key `metod` in `api_integrations[0].operations[0]`; did you mean `method`?"]),
        "{lines:?}"
    );
    assert!(has_line(&lines, &["`api_integrations[0].operations[0].resource` is missing"]), "{lines:?}");
}
