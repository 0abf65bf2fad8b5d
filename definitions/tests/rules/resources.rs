//! Resource templates: paths, queries and variables.

use super::*;

#[test]
fn resource_rules() {
    let at = |j: usize| format!("`api_integrations[0].operations[{j}].resource`");
    let paths: Vec<String> = (0..8).map(at).collect();
    expect(
        "resource_rules.yaml",
        &[
            (8, 19, &[&paths[0], "must start with `/`", "`/items`"]),
            // an error is at its character, in a value quoted without escapes too
            (11, 25, &[&paths[1], "at character 7 of the resource, `#` is not allowed"]),
            (14, 28, &[&paths[2], "at character 9 of the resource, spaces are not allowed", "`%20`"]),
            (17, 26, &[&paths[3], "at character 8 of the resource, unbalanced `{`"]),
            (20, 28, &[&paths[4], "at character 10 of the resource, unbalanced `}`"]),
            (23, 26, &[&paths[5], "at character 8 of the resource, nested braces", "like `{ticket_id}`"]),
            (26, 26, &[&paths[6], "at character 8 of the resource, empty variable `{}`"]),
            (29, 26, &[&paths[7], "at character 8 of the resource", "`%XX`", "`%25`"]),
        ],
    );
}

#[test]
fn a_variable_written_as_flask_or_postman_write_it_is_one_error_that_shows_this_formats_way() {
    let file = |resource: &str| {
        format!("api_integrations:\n  - name: a\n    environments: {{ live: {{ base_url: https://a.example }} }}\n    operations:\n      - name: get\n        method: GET\n        resource: {resource}\n")
    };
    for (resource, expected) in [
        ("/tickets/<id>", "at character 10 of the resource, `<id>` is no variable here (Flask's way); a path variable is written `{id}`"),
        ("/tickets/<int:id>/x", "at character 10 of the resource, `<int:id>` is no variable here (Flask's way); a path variable is written `{id}`"),
        ("/tickets/{{id}}", "at character 10 of the resource, `{{id}}` has two pairs of braces (Postman's way); a variable is written with one: `{id}`"),
    ] {
        let lines = error_lines(&file(resource));
        assert_eq!(lines, [format!("apis.yaml:7:{}: error: `api_integrations[0].operations[0].resource`: {expected}", 19 + 9)], "{resource}");
    }
    // angle brackets around no name are still two characters to encode
    assert_eq!(error_lines(&file("/a/<b c>")).len(), 3);
}

#[test]
fn a_variable_written_as_express_or_javascript_write_it_is_a_warning_with_the_resource_rewritten() {
    let file = |resource: &str| {
        format!("api_integrations:\n  - name: a\n    environments: {{ live: {{ base_url: https://a.example }} }}\n    operations:\n      - name: get\n        method: GET\n        resource: \"{resource}\"\n")
    };
    for (resource, expected) in [
        ("/tickets/:id", "has `:id` (Express's way), which is sent as written, not filled in: a variable is written `{id}`; write `/tickets/{id}`"),
        ("/tickets/${id}", "has `${id}` (JavaScript's way), which sends a `$` before the value: a variable is written `{id}`; write `/tickets/{id}`"),
        ("/search?at=<day>", "has `<day>` (Flask's way), which is sent as written, not filled in: a variable is written `{day}`; write `/search?at={day}`"),
        (
            "/users/:user/orders/${order}?q={q}",
            "has `:user` and `${order}`, variables as other tools write them: a variable is written `{user}`; write `/users/{user}/orders/{order}?q={q}`",
        ),
    ] {
        let lines = warning_lines(&file(resource));
        assert_eq!(lines, [format!("apis.yaml:7:19: warning: `api_integrations[0].operations[0].resource` {expected}")], "{resource}");
        let fixed = expected.rsplit_once("write `").unwrap().1.trim_end_matches('`');
        assert!(warning_lines(&file(fixed)).is_empty(), "{fixed}");
    }
    // the macro reports these too: every request sends them other than meant
    let checked = parse_str("apis.yaml", &file("/tickets/:id")).unwrap();
    assert!(checked.warnings.items.iter().all(|d| d.macro_warning == Some(MacroWarning::ForeignVariable)));
    // a colon in a segment (Google's custom methods) or in a query value is text
    assert!(warning_lines(&file("/v1/{name}:publish?since=:today")).is_empty());
    // each form is named once, and a resource too long to read in a message is not shown
    let long = format!("/a/${{id}}/{}/${{id}}", "b".repeat(200));
    assert_eq!(
        warning_lines(&file(&long)),
        ["apis.yaml:7:19: warning: `api_integrations[0].operations[0].resource` has `${id}` (JavaScript's way), which sends a `$` before the value: a variable is written `{id}`"]
    );
}

/// `$ACCOUNT_ID`, as curl and shell scripts write a variable, is sent as written: a
/// warning rewrites it in snake_case; a credential's variable is told to go in
/// `auth:`; OData's own `$filter` and `$metadata` are no variables.
/// Another tool's template expression in a resource (Insomnia's `{{ _.order_id }}`,
/// Zapier's `{{bundle.inputData.id}}`) is told the variable its last name makes.
#[test]
fn a_template_expression_of_another_tool_in_a_resource_is_told_the_variable_to_write() {
    for (resource, written, variable) in [
        ("/orders/{{ _.order_id }}", "{{ _.order_id }}", "{order_id}"),
        ("/items/{{bundle.inputData.id}}", "{{bundle.inputData.id}}", "{id}"),
    ] {
        let lines = error_lines(&with_quoted_resource(resource));
        let told = format!("`{written}` is another tool's template, which this format does not fill in; a variable is one name in one pair of braces: `{variable}`");
        assert!(has_line(&lines, &[&told]), "{lines:?}");
    }
}

/// An RFC 6570 query expansion (`{?q,limit}`, as URL templates in API descriptions
/// write one) is told the query to write, not "unbalanced" braces.
#[test]
fn an_rfc_6570_query_expansion_is_told_the_query_to_write() {
    for (resource, told) in [
        ("/search{?q,limit}", "`{?q,limit}` is an RFC 6570 form-style query expansion, which this format does not read; write `?q={q}&limit={limit}`"),
        ("/search?q={q}{&page}", "`{&page}` is an RFC 6570 form-style query expansion, which this format does not read; write `&page={page}`"),
        // the first parameter opens the query, whichever the operator
        ("/items{&page}", "`{&page}` is an RFC 6570 form-style query expansion, which this format does not read; write `?page={page}`"),
    ] {
        let lines = error_lines(&with_quoted_resource(resource));
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(has_line(&lines, &[told]), "{lines:?}");
    }
    // the resource's other errors show beside it, not after it is mended
    let lines = error_lines(&with_quoted_resource("/users/{user id}/repos{?type,page}"));
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(has_line(&lines, &["apis.yaml:7:27:", "variable `user id` is not a valid identifier"]), "{lines:?}");
    assert!(has_line(&lines, &["`{?type,page}` is an RFC 6570"]), "{lines:?}");
}

#[test]
fn a_shell_variable_in_a_resource_is_a_warning_and_odata_words_are_not() {
    let lines = warning_lines(&with_quoted_resource("/accounts/$ACCOUNT_ID/invoices"));
    assert_eq!(
        lines,
        ["apis.yaml:7:19: warning: `api_integrations[0].operations[0].resource` has `$ACCOUNT_ID` (a shell's way), which is sent as written, not filled in: a variable is written `{account_id}`; write `/accounts/{account_id}/invoices`; where `$ACCOUNT_ID` is the API's own word, write its `$` as `%24` (`%24ACCOUNT_ID`), which sends the same"]
    );
    // AWS Lambda's own `$LATEST`, written as told, checks clean and sends `$LATEST`
    assert!(warning_lines(&with_quoted_resource("/functions/orders/invocations?Qualifier=%24LATEST")).is_empty());
    assert!(warning_lines(&with_quoted_resource("/accounts/{account_id}/invoices")).is_empty());
    let checked = parse_str("apis.yaml", &with_quoted_resource("/accounts/$ACCOUNT_ID")).unwrap();
    assert!(checked.warnings.items.iter().all(|d| d.macro_warning == Some(MacroWarning::ForeignVariable)));
    let lines = warning_lines(&with_quoted_resource("/weather?q={city}&appid=$OPENWEATHER_KEY"));
    assert!(
        has_line(
            &lines,
            &["`$OPENWEATHER_KEY` names a credential, which is no call's argument", "`auth_type: apiKey`"]
        ),
        "{lines:?}"
    );
    // a password or secret is one after any word; Azure's primary key is a subscription's
    for resource in [
        "/me?access_token=$ACCESS_TOKEN",
        "/geocode?key=$MAPS_API_KEY",
        "/x?t=$TOKEN",
        "/f?p=$FILE_PASSWORD",
        "/x?k=$APIM_PRIMARY_KEY",
    ] {
        let lines = warning_lines(&with_quoted_resource(resource));
        assert!(lines.iter().any(|line| line.contains("names a credential")), "{lines:?}");
    }
    for resource in ["/odata/$metadata", "/People?$filter={name}&$top=2", "/prices/US$AMOUNT"] {
        assert!(warning_lines(&with_quoted_resource(resource)).is_empty(), "{resource}");
    }
    // an argument named like a credential's word is no credential (paging tokens, keys of rows)
    for resource in [
        "/items?pageToken=${pageToken}",
        "/tables/:partition_key/rows",
        "/issue/:issueKey",
        "/x?n=$NEXT_PAGE",
        "/items?next=$NEXT_TOKEN",
        "/changes?token=$NEXT_PAGE_TOKEN",
        "/buckets/{bucket}/objects/$OBJECT_KEY",
        "/tables/t/rows/$PARTITION_KEY",
    ] {
        let lines = warning_lines(&with_quoted_resource(resource));
        assert!(!lines.is_empty() && !lines.iter().any(|line| line.contains("names a credential")), "{lines:?}");
    }
}

/// OpenAPI's `paths:` (resources as keys, each holding its methods) is no list of
/// operations keyed by name: the fix writes each path and method as an operation,
/// not `- name: /pets/{petId}`.
#[test]
fn openapi_paths_in_place_of_operations_are_told_to_be_written_as_operations() {
    let yaml = "api_integrations:\n  - name: pets\n    environments: { live: { base_url: https://pets.example } }\n    paths:\n      /pets/{petId}:\n        get: { operationId: getPet }\n";
    let lines = error_lines(yaml);
    assert!(
        has_line(
            &lines,
            &[
                "apis.yaml:5:7:",
                "found a mapping keyed by resources, as OpenAPI's `paths:` writes them",
                "resource: \"/pets/{petId}\""
            ]
        ),
        "{lines:?}"
    );
    assert!(!lines.iter().any(|line| line.contains("- name: /pets")), "{lines:?}");
}

#[test]
fn query_variables_and_repeated_variables_are_one_argument_each() {
    let checked = good("names_and_resources.yaml");
    let api = checked.definitions.api("_internal").unwrap();
    let search = &api.operation("search").unwrap().resource;
    assert_eq!(search.variables.as_ref(), ["term"]);
    assert!(!search.in_path(0));
    let query = search.render_query(&["a&b"]).unwrap();
    assert_eq!(query, "q=a%26b&limit=10&term2=a%26b");
    let copy = &api.operation("copy").unwrap().resource;
    assert_eq!(copy.variables.as_ref(), ["from", "to"]);
    assert_eq!(copy.render_path(&["x", "y"]).unwrap(), "/copy/x/to/y/x");
    let moved = &api.operation("move").unwrap().resource;
    assert_eq!(moved.render_path(&["report"]).unwrap(), "/files/report.json");
    assert_eq!(api.operation("escaped").unwrap().resource.render_path(&[]).unwrap(), "/a%20b/c:d@e");
}

#[test]
fn a_credential_written_in_a_resource_query_is_a_warning() {
    let yaml = "api_integrations:
  - name: a
    environments: { live: { base_url: https://a.example } }
    operations:
      - { name: get, method: GET, resource: \"/x?API_KEY=abc123&q={q}&token={t}&password=\" }
";
    let checked = parse_str("apis.yaml", yaml).expect("a warning, as the ADK accepts it");
    let warnings: Vec<&str> = checked.warnings.items.iter().map(|w| w.message.as_str()).collect();
    assert_eq!(warnings.len(), 1, "only the value written out: {warnings:?}");
    assert!(warnings[0].contains("the query parameter `API_KEY`, a credential"), "{warnings:?}");
    assert!(warnings[0].contains("use `auth_type: apiKey` with `location: query`"), "{warnings:?}");
}

#[test]
fn a_credential_written_in_a_query_is_a_credential_warning_which_the_macro_reports_too() {
    let yaml = "api_integrations:
  - name: legacy
    environments:
      live: { base_url: \"https://agent:hunter2@legacy.example/v1\" }
    operations:
      - { name: pingNow, method: GET, resource: \"/ping?API_KEY=abc123&q={q}&token=\" }
";
    let checked = parse_str("apis.yaml", yaml).unwrap_or_else(|d| panic!("warnings only:\n{d}"));
    let warnings: Vec<(bool, String)> = checked
        .warnings
        .items
        .iter()
        .map(|d| (d.macro_warning == Some(MacroWarning::WrittenCredential), d.render("apis.yaml")))
        .collect();
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    assert!(
        warnings[0].0
            && warnings[0].1.starts_with(
                "apis.yaml:4:25: warning: `api_integrations[0].environments.live.base_url` holds a password"
            ),
        "{warnings:?}"
    );
    let shown = format!("{:?}", checked.definitions);
    assert!(shown.contains("https://***@legacy.example/v1") && !shown.contains("hunter2"), "{shown}");
    // done as it says, the file is valid
    assert!(warnings[0].1.ends_with("remove it, and give the environment `auth_type: basic` (or `apiKey`, for a key) with the credentials in `auth:` as `{ secret: NAME }`"), "{warnings:?}");
    let fixed = yaml.replace(
        "{ base_url: \"https://agent:hunter2@legacy.example/v1\" }",
        "{ base_url: \"https://legacy.example/v1\", auth_type: basic, auth: { username: agent, password: { secret: LEGACY_PASSWORD } } }",
    );
    parse_str("apis.yaml", &fixed).unwrap_or_else(|d| panic!("{d}"));
    let key_as_user = yaml.replace("agent:hunter2@", "sk_live_abc123@");
    let checked = parse_str("apis.yaml", &key_as_user).unwrap_or_else(|d| panic!("warnings only:\n{d}"));
    let first = checked.warnings.items[0].render("apis.yaml");
    assert!(
        checked.warnings.items[0].macro_warning == Some(MacroWarning::WrittenCredential)
            && first.starts_with("apis.yaml:4:25: warning: `api_integrations[0].environments.live.base_url` holds a username (`user@`), often an API key, and secrets never go in the definitions file"),
        "{first}"
    );
    // an empty value writes nothing: one credential warning for the query
    assert!(!warnings[1].0 && warnings[1].1.contains("operation `pingNow` is not snake_case"), "{warnings:?}");
    assert!(
        warnings[2].0 && warnings[2].1.contains("writes a value for the query parameter `API_KEY`, a credential"),
        "{warnings:?}"
    );
}

#[test]
fn a_character_that_shows_as_nothing_is_an_error_in_a_base_url_and_anywhere_in_a_resource() {
    let file = |base_url: &str, resource: &str| {
        format!("api_integrations:\n  - name: a\n    environments:\n      sandbox:\n        base_url: {base_url}\n    operations:\n      - {{ name: get, method: GET, resource: {resource} }}\n")
    };
    let told = "a character that shows as nothing (or reorders the text around it); remove it";
    for invisible in ["\u{feff}", "\u{200b}", "\u{2060}", "\u{202e}"] {
        let escaped = invisible.escape_default().to_string();
        for base_url in [format!("https://a.example/api{invisible}/v2"), format!("https://a{invisible}.example")] {
            let lines = error_lines(&file(&base_url, "/x"));
            assert!(has_line(&lines, &["apis.yaml:5:19: error: ", &format!("holds `{escaped}`, {told}")]), "{lines:?}");
            assert!(!lines.iter().any(|line| line.contains(invisible)), "{lines:?}");
        }
        // the query, which otherwise percent-encodes what a browser would, too
        for (resource, at) in [(format!("/x{invisible}"), 3), (format!("/x?q=a{invisible}"), 7)] {
            let lines = error_lines(&file("https://a.example", &resource));
            let said = format!("at character {at} of the resource, there is `{escaped}`, {told}");
            // the value starts at column 45, and the error is at its character
            assert!(has_line(&lines, &[&format!("apis.yaml:7:{}: error: ", 44 + at), &said]), "{lines:?}");
        }
    }
}

#[test]
fn a_variation_selector_or_a_joiner_beside_ascii_is_an_error_in_a_base_url() {
    let told = "a character that shows as nothing (or reorders the text around it); remove it";
    for (base_url, escaped) in [
        ("https://a.example/api\u{fe0f}", "\\u{fe0f}"),
        ("https://a.example/ok\u{e0100}\u{e0101}", "\\u{e0100}"),
        ("https://a\u{200d}b.example", "\\u{200d}"),
        ("https://a.example/v1\u{200c}", "\\u{200c}"),
    ] {
        let yaml = format!("api_integrations:\n  - name: a\n    environments:\n      sandbox:\n        base_url: {base_url}\n    operations:\n      - {{ name: get, method: GET, resource: /x }}\n");
        let lines = error_lines(&yaml);
        assert!(has_line(&lines, &["apis.yaml:5:19: error: ", &format!("holds `{escaped}`, {told}")]), "{lines:?}");
    }
}

#[test]
fn a_domain_name_that_needs_its_zero_width_non_joiner_is_a_base_url() {
    // Persian between joining letters, Hindi after a virama: the joiner makes another domain
    for host in [
        "\u{0645}\u{06CC}\u{200C}\u{062E}\u{0648}\u{0627}\u{0647}\u{0645}.example",
        "\u{0915}\u{094D}\u{200C}\u{0937}.example",
    ] {
        let yaml = format!("api_integrations:\n  - name: a\n    environments:\n      sandbox:\n        base_url: https://{host}/api\n    operations:\n      - {{ name: get, method: GET, resource: /x }}\n");
        assert!(parse_str("apis.yaml", &yaml).is_ok(), "{host}");
    }
}

#[test]
fn an_error_is_at_its_character_where_the_resource_is_written_as_read() {
    let yaml = r#"api_integrations:
  - name: a
    environments: { sandbox: { base_url: "https://a.example" } }
    operations:
      - name: plain
        method: GET
        resource: /t/{id
      - { name: quoted, method: GET, resource: "/t/{id" }
      - { name: single, method: GET, resource: '/t/{id' }
      - { name: escaped, method: GET, resource: "/\u0074/{id" }
      - { name: doubled, method: GET, resource: '/''t/{id' }
      - name: anchored
        method: GET
        resource: &r /t/{id
      - { name: aliased, method: GET, resource: *r }
      - name: tagged
        method: GET
        resource: !!str /t/{id
      - name: folded
        method: GET
        resource: /t/{a}
          /{id
"#;
    let lines = error_lines(yaml);
    let column_of =
        |line: usize, text: &str| yaml.lines().nth(line - 1).and_then(|written| written.find(text)).unwrap() + 1;
    let expected = [
        // the `{`, where the text is as read
        (7, column_of(7, "{id")),
        (8, column_of(8, "{id")),
        (9, column_of(9, "{id")),
        // else the value's start: its quote, anchor, alias or tag
        (10, column_of(10, "\"/")),
        (11, column_of(11, "'/")),
        (14, column_of(14, "&r")),
        (15, column_of(15, "*r")),
        (18, column_of(18, "!!str")),
        (21, column_of(21, "/t/")),
    ];
    for (line, column) in expected {
        let at = format!("apis.yaml:{line}:{column}: error: ");
        assert!(has_line(&lines, &[&at, "unbalanced `{`"]), "{at}\n{lines:#?}");
    }
    // and the folded value's line break, read as a space
    assert_eq!(lines.len(), expected.len() + 1, "{lines:#?}");
}

#[test]
fn the_line_counting_a_resources_unlisted_errors_comes_after_the_listed_ones() {
    // twelve `%` each; in the last, the first is written as an escape
    for resource in ["/%%%%%%%%%%%%", "\"/%%%%%%%%%%%%\"", "\"/\\u0025%%%%%%%%%%%\""] {
        let yaml = format!(
            "api_integrations:\n  - name: a\n    environments: {{ sandbox: {{ base_url: \"https://a.example\" }} }}\n    operations:\n      - name: x\n        method: GET\n        resource: {resource}\n"
        );
        let lines = error_lines(&yaml);
        assert_eq!(lines.len(), 11, "{lines:#?}");
        assert!(
            lines[10].contains("and 2 more problems in the resource, not listed; fix the ones above"),
            "{lines:#?}"
        );
    }
    // a `..` that climbs out is checked before the characters, and a query's `=` before
    // its values: listed, they still come above the count
    for resource in ["/%%%%%%%%%%%%/../..", "/x?a=%%%%%%%%%%%%&=b"] {
        let yaml = format!(
            "api_integrations:\n  - name: a\n    environments: {{ sandbox: {{ base_url: \"https://a.example\" }} }}\n    operations:\n      - name: x\n        method: GET\n        resource: {resource}\n"
        );
        let lines = error_lines(&yaml);
        assert!(lines.last().is_some_and(|line| line.contains("not listed; fix the ones above")), "{lines:#?}");
    }
}

#[test]
fn an_error_in_a_resource_on_a_long_line_of_json_is_at_its_character() {
    // one line of JSON, as a minified file is (the parse benchmark times a longer one)
    let operations: Vec<String> =
        (0..2_000).map(|i| format!(r#"{{"name":"op_{i}","method":"GET","resource":"/items/{i}"}}"#)).collect();
    let yaml = format!(
        r#"{{"api_integrations":[{{"name":"a","environments":{{"sandbox":{{"base_url":"https://a.example"}}}},"operations":[{}, {{"name":"bad","method":"GET","resource":"/x/{{id"}}]}}]}}"#,
        operations.join(",")
    );
    let lines = error_lines(&yaml);
    let column = yaml.find("{id").unwrap() + 1;
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(lines[0].starts_with(&format!("apis.yaml:1:{column}: error: ")), "{}", lines[0]);
}

#[test]
fn a_resource_that_repeats_its_base_urls_path_is_a_warning_with_the_path_to_write() {
    let file = |live: &str, resource: &str| {
        format!("api_integrations:\n  - name: a\n    environments:\n      sandbox: {{ base_url: \"http://localhost:8080\" }}\n      live: {{ base_url: \"{live}\" }}\n    operations:\n      - {{ name: get, method: GET, resource: \"{resource}\" }}\n")
    };
    let lines = warning_lines(&file("https://a.example/api/v2/", "/api/v2/users/{id}"));
    assert_eq!(
        lines,
        ["apis.yaml:7:45: warning: `api_integrations[0].operations[0].resource` repeats `/api/v2`, the path of the `live` base URL, which calls start with: they go to `/api/v2/api/v2/users/{id}`; write `/users/{id}`, unless the server does repeat the path"]
    );
    let lines = warning_lines(&file("https://a.example/v1", "/v1?page=1"));
    assert!(has_line(&lines, &["go to `/v1/v1?page=1`; write `/?page=1`"]), "{lines:?}");
    // only whole segments repeat; a base URL without a path repeats none
    assert!(warning_lines(&file("https://a.example/api/v2", "/api/v20/users")).is_empty());
    assert!(warning_lines(&file("https://a.example/api/v2", "/users/api/v2")).is_empty());
    assert!(warning_lines(&file("https://a.example/", "/api/v2/users")).is_empty());
}

#[test]
fn a_variable_that_is_no_identifier_is_shown_the_one_it_seems_to_mean() {
    let file = |resource: &str| {
        format!("api_integrations:\n  - name: a\n    environments: {{ live: {{ base_url: https://a.example }} }}\n    operations:\n      - {{ name: get, method: GET, resource: \"{resource}\" }}\n")
    };
    let rule = "use ASCII letters (a-z, A-Z), digits and `_`, not starting with a digit";
    for (resource, told) in [
        ("/tickets/{ticket-id}", "variable `ticket-id` is not a valid identifier; RULE: write `{ticket_id}`"),
        ("/tickets/{ id }", "variable ` id ` is not a valid identifier; RULE: write `{id}`"),
        (
            "/tickets/{ticketId.value}",
            "variable `ticketId.value` is not a valid identifier; RULE: write `{ticket_id_value}`",
        ),
        // Python's positional `{0}` means no name to suggest
        ("/tickets/{0}", "variable `0` is not a valid identifier; RULE (like `ticket_id`)"),
    ] {
        let lines = error_lines(&file(resource));
        assert!(has_line(&lines, &[&told.replace("RULE", rule)]), "{lines:#?}");
    }
}

#[test]
fn a_resource_wrapped_onto_another_line_is_told_to_be_one_line() {
    let file = |resource: &str| {
        format!("api_integrations:\n  - name: crm\n    environments: {{ live: {{ base_url: \"https://crm.example\" }} }}\n    operations:\n      - name: search\n        method: GET\n        resource: {resource}\n")
    };
    let wrapped = "YAML reads each line break in it as a space: if this is one, write the resource on one line)";
    for resource in ["/search?q={term}&fields=a,b\n          &limit=10", "\"/search?q={term}\n          &limit=10\""] {
        let lines = error_lines(&file(resource));
        assert_eq!(lines.len(), 1, "{lines:#?}");
        assert!(
            lines[0].contains("spaces are not allowed in a resource; write `%20` (the resource is written over more"),
            "{lines:#?}"
        );
        assert!(lines[0].ends_with(wrapped), "{lines:#?}");
    }
    // a space written on one line is told as it is, also in a `>` block of one line
    for resource in ["/search?q=a b", "\"/search?q=a b\"", ">-\n          /search?q=a b"] {
        let lines = error_lines(&file(resource));
        assert!(
            lines.len() == 1 && lines[0].ends_with("spaces are not allowed in a resource; write `%20`"),
            "{lines:#?}"
        );
    }
}

/// `render_path` and `render_query` give "[`TemplateError::ArgumentCount`] unless
/// `values` has one value per variable": too many values is that error too, not a
/// call with the extra ones dropped (the existing tests give too few, which the
/// lookup of a missing value refuses anyway).
#[test]
fn a_template_given_more_values_than_variables_is_an_argument_count_error() {
    use conv_api_definitions::{Span, Template, TemplateError};
    let template = Template::parse("/tickets/{id}?full={full}", Span::new(1, 1)).unwrap();
    let too_many = TemplateError::ArgumentCount { expected: 2, got: 3 };
    assert_eq!(template.render_path(&["7", "yes", "extra"]), Err(too_many.clone()));
    assert_eq!(template.render_query(&["7", "yes", "extra"]), Err(too_many));
    let too_few = TemplateError::ArgumentCount { expected: 2, got: 1 };
    assert_eq!(template.render_path(&["7"]), Err(too_few.clone()), "the count is checked before the path is written");
    assert_eq!(template.render_query(&["7"]), Err(too_few));
}

/// An API `a` with one operation whose `resource:` is written `resource` (on line 7,
/// the value from column 19).
fn with_resource(resource: &str) -> String {
    format!("api_integrations:\n  - name: a\n    environments: {{ live: {{ base_url: https://a.example }} }}\n    operations:\n      - name: get\n        method: GET\n        resource: {resource}\n")
}

/// DEFINITIONS.md: "Every error is reported, not only the first". After a variable
/// written another tool's way (`{{id}}`, `<id>`), which is skipped as one error,
/// the character right after it is read: a `#` there is an error too.
#[test]
fn the_character_right_after_a_foreign_variable_is_checked_too() {
    for (resource, foreign) in [
        ("/t/{{id}}#x", "at character 4 of the resource, `{{id}}` has two pairs of braces"),
        ("/t/<id>#x", "at character 4 of the resource, `<id>` is no variable here"),
    ] {
        let lines = error_lines(&with_resource(resource));
        let fragment = format!(
            "at character {} of the resource, `#` is not allowed in a resource",
            resource.find('#').unwrap() + 1
        );
        assert_eq!(lines.len(), 2, "{resource}: {lines:?}");
        assert!(has_line(&lines, &[foreign]) && has_line(&lines, &[&fragment]), "{resource}: {lines:?}");
    }
}

/// A line break or another control character in a resource is told at its
/// character, as every other character's error is (the existing tests of them are
/// at character 1, or only in the query).
#[test]
fn a_line_break_or_tab_in_a_resource_is_told_at_its_character() {
    let lines = error_lines(&with_resource("\"/ab\\nc\""));
    assert!(has_line(&lines, &["at character 4 of the resource, a resource is one line"]), "{lines:?}");
    let lines = error_lines(&with_resource("\"/ab\\tc\""));
    assert!(has_line(&lines, &["at character 4 of the resource, `\\t` is not allowed in a resource; remove it, or write it percent-encoded (%09)"]), "{lines:?}");
}

/// A control character is "not allowed in a resource" in the query as in the path:
/// it is an error, not percent-encoded as a character a URL cannot hold is.
#[test]
fn a_control_character_in_the_query_is_an_error() {
    let lines = error_lines(&with_resource("\"/a?q=x\\a\""));
    assert!(has_line(&lines, &["at character 7 of the resource, `\\u{7}` is not allowed in a resource; remove it, or write it percent-encoded (%07)"]), "{lines:?}");
}

/// Past ten errors one line counts the rest, placed "at the last place of those it
/// counts or follows": with one error not listed, at that error's character (the
/// eleventh space, character 23, column 19 + 22), not at the tenth's.
#[test]
fn the_line_counting_errors_not_listed_is_at_the_first_of_them() {
    let lines = error_lines(&with_resource("/a b c d e f g h i j k l"));
    assert_eq!(lines.len(), 11, "{lines:?}");
    assert!(
        has_line(&lines, &["apis.yaml:7:41: error: ", "and 1 more problem in the resource, not listed"]),
        "{lines:?}"
    );
}

/// A resource written as a whole URL with user info and a query right after the
/// host (no path) is split there: the base URL without the credentials, the query
/// as the resource, the password never shown.
#[test]
fn a_whole_url_with_credentials_and_a_query_after_the_host_is_split_at_the_query() {
    let lines = error_lines(&with_resource("\"https://agent:Pw7qXz3k@crm.example?x=1\""));
    let told = "is a whole URL with credentials in it, but a resource is the path after the base URL; put `https://crm.example` in the environment's `base_url`, the credentials in its `auth` (never in a URL), and write `/?x=1`";
    assert!(has_line(&lines, &[told]), "{lines:?}");
    assert!(lines.iter().all(|line| !line.contains("Pw7qXz3k")), "{lines:?}");
}

/// An `@` in the path of a whole URL without user info (`/users/@me`) is the path's:
/// the URL is split as any other, not told to hold credentials.
#[test]
fn an_at_sign_in_the_path_of_a_whole_url_is_no_credential() {
    let lines = error_lines(&with_resource("https://api.example/users/@me"));
    let told = "is a whole URL, but a resource is the path after the base URL; put `https://api.example` in the environment's `base_url` and write `/users/@me`";
    assert!(has_line(&lines, &[told]), "{lines:?}");
}

/// An API with one operation whose resource is `resource`.
fn with_quoted_resource(resource: &str) -> String {
    format!("api_integrations:\n  - name: a\n    environments: {{ live: {{ base_url: https://a.example }} }}\n    operations:\n      - name: get\n        method: GET\n        resource: \"{resource}\"\n")
}

/// Flask writes a variable `<name>` or `<converter:name>`, its converter a word (`int`,
/// `uuid`): `<int:day>` in a query is warned of as sent as written, but `<10am:noon>`,
/// whose "converter" is no identifier, is text and checks clean.
#[test]
fn angle_brackets_are_a_flask_variable_only_after_a_converter_that_is_a_word() {
    let lines = warning_lines(&with_quoted_resource("/slots?since=<int:day>"));
    assert!(has_line(&lines, &["has `<int:day>` (Flask's way)", "write `/slots?since={day}`"]), "{lines:?}");
    assert_eq!(warning_lines(&with_quoted_resource("/slots?between=<10am:noon>")), Vec::<String>::new());
}

/// A resource's warning shows "the whole resource rewritten": a `<` in the query that
/// opens no variable (`q=a<b`) is kept as written, and what follows it is still read.
#[test]
fn a_stray_angle_bracket_in_the_query_is_kept_in_the_resource_to_write() {
    let lines = warning_lines(&with_quoted_resource("/users/:user_id?q=a<b&since=<int:day>"));
    assert!(has_line(&lines, &["write `/users/{user_id}?q=a<b&since={day}`"]), "{lines:?}");
}
