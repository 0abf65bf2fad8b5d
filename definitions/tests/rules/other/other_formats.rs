//! What other formats and habits write, told as this format writes it: keys glued
//! to values, JavaScript comments and JSON, other formats' keys, endpoints written
//! as API docs write them, Agent Studio's ids.

use super::*;

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
