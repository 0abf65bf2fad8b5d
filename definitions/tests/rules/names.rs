//! API and operation names: identifiers, uniqueness, case.

use super::*;

#[test]
fn api_name_must_match_the_pattern() {
    expect(
        "api_name_pattern.yaml",
        &[(2, 11, &["`api_integrations[0].name`", "`Zendesk`", "not a valid API name", "`zendesk`"])],
    );
}

#[test]
fn an_empty_name_or_one_with_a_space_around_it_is_told_so() {
    let file = |api: &str, op: &str| {
        format!("api_integrations:\n  - name: \"{api}\"\n    environments: {{ live: {{ base_url: https://a.example }} }}\n    operations:\n      - {{ name: \"{op}\", method: GET, resource: /x }}\n")
    };
    let lines = error_lines(&file("", " get_ticket"));
    assert!(
        has_line(
            &lines,
            &["apis.yaml:2:11: error: `api_integrations[0].name` is empty; give it a value, like `name: my_api`"]
        ),
        "{lines:?}"
    );
    let spaced = "`api_integrations[0].operations[0].name` is ` get_ticket`, with a blank (space, tab, line break) before or after the name; remove it: `get_ticket`";
    assert!(has_line(&lines, &[spaced]), "{lines:?}");
    let lines = error_lines(&file("urls ", "  "));
    assert!(
        has_line(
            &lines,
            &["`api_integrations[0].name` is `urls `, with a blank (space, tab, line break) before or after the name; remove it: `urls`"]
        ),
        "{lines:?}"
    );
    assert!(
        has_line(
            &lines,
            &["`api_integrations[0].operations[0].name` is empty; give it a value, like `name: get_ticket`"]
        ),
        "{lines:?}"
    );
}

#[test]
fn operation_name_must_be_an_identifier() {
    expect(
        "operation_name_not_identifier.yaml",
        &[(6, 15, &["`api_integrations[0].operations[0].name`", "`get-ticket`", "not an identifier", "`get_ticket`"])],
    );
}

#[test]
fn path_variable_must_be_an_identifier() {
    expect(
        "variable_name_not_identifier.yaml",
        &[(
            8,
            28,
            &[
                "`api_integrations[0].operations[0].resource`",
                "at character 10 of the resource",
                "variable `1st`",
                "not a valid identifier",
            ],
        )],
    );
}

#[test]
fn reserved_names_are_rejected() {
    let never = "is reserved and can never be a Rust identifier, not even a raw one";
    expect(
        "reserved_names.yaml",
        &[
            (2, 11, &["`api_integrations[0].name`", "`crate`", never, "(like `crate_`)"]),
            (9, 17, &["`api_integrations[1].operations[0].name`", "`self`", never, "(like `self_`)"]),
            (10, 17, &["`api_integrations[1].operations[1].name`", "`super`", never]),
            (11, 17, &["`api_integrations[1].operations[2].name`", "`crate`", never]),
            // `self_` is suggested for `self`: renaming both to it would make a duplicate
            (12, 17, &["`api_integrations[1].operations[3].name`", "`Self`", never, "(like `self_2`)"]),
            (13, 17, &["`api_integrations[1].operations[4].name`", "`_`", never, "(like `call`)"]),
            (14, 60, &["`api_integrations[1].operations[5].resource`", "at character 9", "variable `self`", never]),
        ],
    );
}

#[test]
fn a_name_suggested_for_a_bad_one_is_none_the_file_has_already() {
    let yaml = r#"api_integrations:
  - name: api
    environments: { sandbox: {} }
    operations:
      - { name: call, method: GET, resource: "/a" }
      - { name: _, method: GET, resource: "/b/{_}/{value}" }
      - { name: get_ticket, method: GET, resource: "/c" }
      - { name: get_ticket_2, method: GET, resource: "/d" }
      - { name: Get-Ticket, method: GET, resource: "/e" }
  - name: _
    environments: { sandbox: {} }
  - name: Bad-Name
    environments: { sandbox: {} }
  - name: bad_name
    environments: { sandbox: {} }
"#;
    let lines = error_lines(yaml);
    assert!(has_line(&lines, &["operations[1].name`: `_` is reserved", "(like `call_2`)"]), "{lines:#?}");
    assert!(has_line(&lines, &["variable `_` is reserved", "(like `value_2`)"]), "{lines:#?}");
    assert!(has_line(&lines, &["`Get-Ticket`, which is not an identifier", "(like `get_ticket_3`)"]), "{lines:#?}");
    assert!(has_line(&lines, &["api_integrations[1].name`: `_` is reserved", "(like `api_2`)"]), "{lines:#?}");
    assert!(has_line(&lines, &["`Bad-Name`, not a valid API name", "(like `bad_name_2`)"]), "{lines:#?}");
}

/// Every message of a scope suggests names from one list: an invalid name's error,
/// a reserved one's and a warning of snake_case never suggest one name twice, so
/// following them all makes no duplicate.
#[test]
fn no_two_messages_of_a_scope_suggest_the_same_name() {
    let yaml = r#"api_integrations:
  - name: _
    environments: { live: { base_url: "https://a.example", auth_type: apiKey, auth: { value: k } } }
    operations:
      - { name: getTicket, method: GET, resource: "/a" }
      - { name: Get-Ticket, method: GET, resource: "/b" }
      - { name: self, method: GET, resource: "/c" }
      - { name: self, method: GET, resource: "/d" }
  - name: _
    environments: { sandbox: {} }
  - name: Bad-Name
    environments: { live: { base_url: "https://b.example", auth_type: apiKey, auth: { value: k } } }
  - name: bad_name
    environments: { sandbox: {} }
"#;
    let diagnostics = parse_str("apis.yaml", yaml).unwrap_err().to_string();
    let lines: Vec<&str> = diagnostics.lines().collect();
    let has = |parts: &[&str]| lines.iter().any(|line| parts.iter().all(|part| line.contains(part)));
    assert!(has(&["apis.yaml:2:11:", "`_` is reserved", "(like `api`)"]), "{lines:#?}");
    assert!(has(&["apis.yaml:9:11:", "`_` is reserved", "(like `api_2`)"]), "{lines:#?}");
    // in the order of the file, whether a name's message is an error or a warning
    assert!(has(&["apis.yaml:5:17:", "operation `getTicket` is not snake_case; consider `get_ticket`"]), "{lines:#?}");
    assert!(
        has(&["apis.yaml:6:17:", "`Get-Ticket`, which is not an identifier", "(like `get_ticket_2`)"]),
        "{lines:#?}"
    );
    assert!(has(&["apis.yaml:7:17:", "`self` is reserved", "(like `self_`)"]), "{lines:#?}");
    assert!(has(&["apis.yaml:8:17:", "`self` is reserved", "(like `self_2`)"]), "{lines:#?}");
    // a secret left out is named after the name the API's error suggests
    assert!(has(&["apis.yaml:3:", "to read `API_LIVE_API_KEY`"]), "{lines:#?}");
    assert!(has(&["apis.yaml:11:11:", "`Bad-Name`, not a valid API name", "(like `bad_name_2`)"]), "{lines:#?}");
    assert!(has(&["apis.yaml:12:", "to read `BAD_NAME_2_LIVE_API_KEY`"]), "{lines:#?}");
}

/// A name with blanks around it is told to be the name without them: no other
/// message suggests that name, nor names secrets after it.
#[test]
fn a_name_with_blanks_around_it_keeps_its_trimmed_form_from_other_suggestions() {
    let yaml = r#"api_integrations:
  - name: crm
    environments: { sandbox: {} }
    operations:
      - { name: " get_ticket", method: GET, resource: "/a" }
      - { name: getTicket, method: GET, resource: "/b" }
  - name: Bad-Name
    environments: { live: { base_url: "https://b.example", auth_type: apiKey, auth: { value: k } } }
  - name: " bad_name"
    environments: { live: { base_url: "https://c.example", auth_type: apiKey, auth: { value: k } } }
"#;
    let diagnostics = parse_str("apis.yaml", yaml).unwrap_err().to_string();
    let lines: Vec<&str> = diagnostics.lines().collect();
    let has = |parts: &[&str]| lines.iter().any(|line| parts.iter().all(|part| line.contains(part)));
    assert!(has(&["apis.yaml:6:", "`get_ticket` is taken, so consider `get_ticket_2`"]), "{lines:#?}");
    assert!(has(&["apis.yaml:7:11:", "(like `bad_name_2`)"]), "{lines:#?}");
    assert!(has(&["apis.yaml:8:", "to read `BAD_NAME_2_LIVE_API_KEY`"]), "{lines:#?}");
    assert!(has(&["apis.yaml:10:", "to read `BAD_NAME_LIVE_API_KEY`"]), "{lines:#?}");
}

#[test]
fn a_bad_name_written_twice_is_told_taken_at_once_not_once_both_are_mended() {
    let yaml = r#"api_integrations:
  - name: Bad-Name
    environments: { sandbox: {} }
    operations:
      - { name: self, method: GET, resource: "/a" }
      - { name: self, method: GET, resource: "/b" }
  - name: Bad-Name
    environments: { sandbox: {} }
"#;
    let lines = error_lines(yaml);
    assert!(has_line(&lines, &["apis.yaml:7:11:", "API name `Bad-Name` is already used at line 2"]), "{lines:#?}");
    assert!(has_line(&lines, &["apis.yaml:6:17:", "operation `self` is already defined at line 5"]), "{lines:#?}");
    assert_eq!(lines.len(), 6, "two bad API names, two bad operation names, two taken: {lines:#?}");
}

#[test]
fn a_name_of_two_lines_is_told_a_name_without_blanks_not_one_still_of_two() {
    let yaml = "api_integrations:\n  - name: |\n      block\n      text\n    environments: { sandbox: {} }\n";
    let lines = error_lines(yaml);
    assert!(has_line(&lines, &["not a valid API name", "(like `block_text`)"]), "{lines:#?}");
    assert!(!lines.iter().any(|line| line.contains("remove it")), "{lines:#?}");
}

#[test]
fn raw_keywords_are_accepted_as_names() {
    let checked = good("names_and_resources.yaml");
    let api = checked.definitions.api("_internal").unwrap();
    assert_eq!(api.operation("type").unwrap().resource.variables.as_ref(), ["match"]);
    assert!(api.operation("move").is_some());
    assert_eq!(checked.warnings.items.len(), 0, "{}", checked.warnings);
}

/// A keyword written in Rust's raw form (`r#async`) is no name of the file, which
/// takes the keyword as it is: the suggestion is the keyword, not `r_async`.
#[test]
fn a_raw_identifier_is_told_to_drop_its_prefix() {
    let lines = error_lines(
        "api_integrations:\n  - name: r#type\n    environments: { live: { base_url: https://a.example } }\n    operations:\n      - { name: r#async, method: GET, resource: \"/{r#match}\" }\n",
    );
    assert!(has_line(&lines, &["`r#type`, not a valid API name", "(like `type`)"]), "{lines:#?}");
    assert!(has_line(&lines, &["is `r#async`, which is not an identifier", "(like `async`)"]), "{lines:#?}");
    assert!(has_line(&lines, &["variable `r#match` is not a valid identifier", ": write `{match}`"]), "{lines:#?}");
}

#[test]
fn camel_case_names_are_a_warning_not_an_error() {
    let yaml = "api_integrations:\n  - name: crm\n    environments: { sandbox: {} }\n    operations:\n      - { name: getContact, method: GET, resource: \"/c/{contactId}\" }\n";
    let checked = parse_str("apis.yaml", yaml).unwrap();
    let lines: Vec<String> = checked.warnings.lines().collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].starts_with("apis.yaml:5:17: warning: "), "{}", lines[0]);
    assert!(lines[0].contains("`get_contact`"), "{}", lines[0]);
    assert!(lines[1].contains("`contactId`") && lines[1].contains("`contact_id`"), "{}", lines[1]);
    assert!(checked.definitions.api("crm").unwrap().operation("getContact").is_some());
}

#[test]
fn an_operation_named_like_a_method_every_value_has_gets_a_warning_saying_how_to_call_it() {
    let yaml = "api_integrations:\n  - name: shop\n    environments: { sandbox: {} }\n    operations:\n      - { name: into, method: GET, resource: /into }\n      - { name: try_into, method: GET, resource: /try }\n      - { name: intos, method: GET, resource: /x }\n";
    let checked = parse_str("apis.yaml", yaml).unwrap();
    let lines: Vec<String> = checked.warnings.lines().collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(
        lines[0],
        "apis.yaml:5:17: warning: `api_integrations[0].operations[0].name`: in Rust, `conv.api.shop.into(..)` calls `Into::into`, which every value has, not this operation; call it as `shop::Client::into(&conv.api.shop, ..)` (named: `shop::Named::into(&conv.api.shop.named, ..)`), or rename it"
    );
    assert!(lines[1].contains("`conv.api.shop.try_into(..)` calls `TryInto::try_into`"), "{lines:?}");
    assert!(checked.definitions.api("shop").unwrap().operation("into").is_some());
    // an API named like a keyword is written raw, as the call must be
    let keyword = yaml.replace("name: shop", "name: type");
    let lines: Vec<String> = parse_str("apis.yaml", &keyword).unwrap().warnings.lines().collect();
    assert!(lines[0].contains("`conv.api.r#type.into(..)` calls `Into::into`, which every value has, not this operation; call it as `r#type::Client::into(&conv.api.r#type, ..)` (named: `r#type::Named::into(&conv.api.r#type.named, ..)`)"), "{lines:?}");
    // the API named as this crate has its types in `conv_api_`, or `conv_api__` beside an API of that name
    let crate_named = yaml.replace("name: shop", "name: conv_api");
    let lines: Vec<String> = parse_str("apis.yaml", &crate_named).unwrap().warnings.lines().collect();
    assert!(lines[0].contains("call it as `conv_api_::Client::into(&conv.api.conv_api, ..)` (named: `conv_api_::Named::into(&conv.api.conv_api.named, ..)`)"), "{lines:?}");
    let beside = format!("{crate_named}  - name: conv_api_\n    environments: {{ sandbox: {{}} }}\n");
    let lines: Vec<String> = parse_str("apis.yaml", &beside).unwrap().warnings.lines().collect();
    assert!(lines[0].contains("call it as `conv_api__::Client::into(&conv.api.conv_api, ..)`"), "{lines:?}");
}

/// `tracing::Instrument`, which agent code imports to instrument a call, gives every
/// value `instrument` and `in_current_span` as `Into` gives `into`.
#[test]
fn an_operation_named_like_a_method_tracing_gives_every_value_gets_a_warning_naming_the_import() {
    let yaml = "api_integrations:\n  - name: shop\n    environments: { sandbox: {} }\n    operations:\n      - { name: instrument, method: GET, resource: /a }\n      - { name: with_subscriber, method: GET, resource: /b }\n";
    let lines = warning_lines(yaml);
    let others = yaml
        .replace("name: instrument", "name: in_current_span")
        .replace("name: with_subscriber", "name: with_current_subscriber");
    let other_lines = warning_lines(&others);
    assert!(
        other_lines[0].contains("calls `Instrument::in_current_span`, which it gives every value"),
        "{other_lines:?}"
    );
    assert!(
        other_lines[1].contains("calls `WithSubscriber::with_current_subscriber`, which it gives every value"),
        "{other_lines:?}"
    );
    assert_eq!(
        lines,
        [
            "apis.yaml:5:17: warning: `api_integrations[0].operations[0].name`: in Rust where `tracing::Instrument` is imported, `conv.api.shop.instrument(..)` calls `Instrument::instrument`, which it gives every value, not this operation; call it as `shop::Client::instrument(&conv.api.shop, ..)` (named: `shop::Named::instrument(&conv.api.shop.named, ..)`), or rename it",
            "apis.yaml:6:17: warning: `api_integrations[0].operations[1].name`: in Rust where `tracing::instrument::WithSubscriber` is imported, `conv.api.shop.with_subscriber(..)` calls `WithSubscriber::with_subscriber`, which it gives every value, not this operation; call it as `shop::Client::with_subscriber(&conv.api.shop, ..)` (named: `shop::Named::with_subscriber(&conv.api.shop.named, ..)`), or rename it",
        ]
    );
}

/// rustc's `non_snake_case` lint says a name with `__` between its words is not
/// snake_case; so does the check.
#[test]
fn a_double_underscore_between_words_is_not_snake_case() {
    let yaml = "api_integrations:\n  - name: crm__v2\n    environments: { sandbox: {} }\n    operations:\n      - { name: get__ticket, method: GET, resource: \"/t/{ticket__id}/{_private}\" }\n";
    let lines = warning_lines(yaml);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].ends_with("operation `get__ticket` is not snake_case; consider `get_ticket`"), "{lines:?}");
    assert!(lines[1].ends_with("path variable `ticket__id` is not snake_case; consider `ticket_id`"), "{lines:?}");
}

#[test]
fn a_suggested_snake_case_name_is_never_one_already_taken() {
    let yaml = "api_integrations:\n  - name: crm\n    environments: { sandbox: {} }\n    operations:\n      - { name: get, method: GET, resource: /a }\n      - { name: Get, method: GET, resource: \"/c/{userId}/{user_id}\" }\n";
    let lines = warning_lines(yaml);
    assert!(lines[0].contains("operation `Get` is not snake_case; `get` is taken, so consider `get_2`"), "{lines:?}");
    assert!(
        lines[1].contains("variable `userId` is not snake_case; `user_id` is taken, so consider `user_id_2`"),
        "{lines:?}"
    );
}

#[test]
fn a_resource_warns_of_ten_variables_not_in_snake_case_and_counts_the_rest() {
    let resource: String = (0..12).map(|i| format!("/{{itemId{i}}}")).collect();
    let yaml = format!("api_integrations:\n  - name: crm\n    environments: {{ sandbox: {{}} }}\n    operations:\n      - {{ name: get, method: GET, resource: \"{resource}\" }}\n");
    let lines = warning_lines(&yaml);
    assert_eq!(lines.len(), 11, "{lines:?}");
    // each at its variable, the count at the first not listed
    assert!(lines[0].starts_with("apis.yaml:5:47: warning: "), "{lines:?}");
    assert!(lines[9].ends_with("path variable `itemId9` is not snake_case; consider `item_id9`"), "{lines:?}");
    assert!(lines[10].starts_with("apis.yaml:5:147: warning: "), "{lines:?}");
    assert!(
        lines[10].ends_with(
            "`api_integrations[0].operations[0].resource`: and 2 more path variables not in snake_case, not listed"
        ),
        "{lines:?}"
    );
}

#[test]
fn api_names_are_unique() {
    expect(
        "duplicate_api_names.yaml",
        &[(5, 11, &["`api_integrations[1].name`", "`zendesk`", "already used at line 2", "rename one"])],
    );
}

#[test]
fn operation_names_are_unique_within_an_api() {
    expect(
        "duplicate_operation_names.yaml",
        &[(
            9,
            15,
            &[
                "`api_integrations[0].operations[1].name`",
                "`ticket`",
                "already defined at line 6, for `GET`",
                "like `post_ticket`",
            ],
        )],
    );
}

#[test]
fn an_adk_file_whose_operations_differ_only_by_method_is_told_to_rename_one_after_its_method() {
    let yaml = "api_integrations:\n  - name: a\n    environments: { live: {} }\n    operations:\n      - { name: ticket, method: GET, resource: \"/tickets/{id}\" }\n      - { name: ticket, method: delete, resource: \"/tickets/{id}\" }\n";
    assert_eq!(
        error_lines(yaml),
        ["apis.yaml:6:17: error: `api_integrations[0].operations[1].name`: operation `ticket` is already defined at line 5, for `GET`; the ADK tells the two apart by method, but a name here becomes one function: rename this one, like `delete_ticket`"]
    );
    assert!(parse_str(
        "apis.yaml",
        &yaml.replacen("name: ticket, method: delete", "name: delete_ticket, method: delete", 1)
    )
    .is_ok());
}

#[test]
fn names_are_unique_even_when_an_entry_has_errors() {
    expect(
        "duplicate_names_with_errors.yaml",
        &[
            (9, 15, &["`api_integrations[0].operations[1].name`", "`get`", "already defined at line 6", "rename one"]),
            (10, 17, &["`api_integrations[0].operations[1].method` is `FETCH`", "not a supported method"]),
            (12, 5, &["`api_integrations[1].environments` is missing", "add it"]),
            (12, 11, &["`api_integrations[1].name`", "`shop`", "already used at line 2", "rename one"]),
        ],
    );
}

#[test]
fn the_same_operation_name_in_two_apis_is_fine() {
    let yaml = "api_integrations:\n  - name: a\n    environments: { live: {} }\n    operations: [{ name: get, method: GET, resource: / }]\n  - name: b\n    environments: { live: {} }\n    operations: [{ name: get, method: GET, resource: / }]\n";
    assert_eq!(parse_str("apis.yaml", yaml).unwrap().definitions.operation_count(), 2);
}

#[test]
fn an_operation_with_errors_still_hears_about_its_names_case() {
    let yaml = "api_integrations:\n  - name: a\n    environments: { live: {} }\n    operations:\n      - { name: getTicket, method: FETCH, resource: /t }\n";
    let diagnostics = parse_str("apis.yaml", yaml).unwrap_err();
    let text = diagnostics.to_string();
    assert!(
        text.contains("warning: `api_integrations[0].operations[0].name`: operation `getTicket` is not snake_case"),
        "{text}"
    );
    assert!(text.contains("error: `api_integrations[0].operations[0].method` is `FETCH`"), "{text}");
}

#[test]
fn an_operation_with_errors_still_hears_about_its_path_variables_case() {
    let operations = [
        "{ name: get, method: GETT, resource: \"/t/{ticketId}\" }",
        "{ name: self, method: GET, resource: \"/t/{ticketId}\" }",
        "{ name: get, method: GET, resource: \"/t/{ticketId}\", idempotent: maybe }",
        "{ name: get, resource: \"/t/{ticketId}\" }",
    ];
    for operation in operations {
        let yaml =
            format!("api_integrations:\n  - name: a\n    environments: {{ live: {{}} }}\n    operations:\n      - {operation}\n");
        let text = parse_str("apis.yaml", &yaml).unwrap_err().to_string();
        assert!(
            text.contains(
                "warning: `api_integrations[0].operations[0].resource`: path variable `ticketId` is not snake_case; consider `ticket_id`"
            ),
            "{operation}:\n{text}"
        );
    }
}

#[test]
fn no_two_names_are_suggested_the_same_snake_case_name() {
    let yaml = "api_integrations:\n  - name: crm\n    environments: { sandbox: {} }\n    operations:\n      - { name: getTicket, method: GET, resource: \"/a/{userId}/{UserId}\" }\n      - { name: GetTicket, method: GET, resource: /b }\n      - { name: get_ticket_2, method: GET, resource: /c }\n";
    let lines = warning_lines(yaml);
    assert_eq!(lines.len(), 4, "{lines:?}");
    assert!(lines[0].ends_with("operation `getTicket` is not snake_case; consider `get_ticket`"), "{lines:?}");
    assert!(lines[1].ends_with("variable `userId` is not snake_case; consider `user_id`"), "{lines:?}");
    assert!(
        lines[2].ends_with(
            "variable `UserId` is not snake_case; `user_id` is suggested for `userId`, so consider `user_id_2`"
        ),
        "{lines:?}"
    );
    assert!(
        lines[3].ends_with(
            "operation `GetTicket` is not snake_case; `get_ticket` is suggested for `getTicket`, so consider `get_ticket_3`"
        ),
        "{lines:?}"
    );
}

#[test]
fn a_suggested_snake_case_name_is_never_a_reserved_one() {
    let yaml = "api_integrations:\n  - name: crm\n    environments: { sandbox: {} }\n    operations:\n      - { name: SELF, method: GET, resource: \"/a/{CRATE}\" }\n      - { name: Super, method: GET, resource: /b }\n";
    let lines = warning_lines(yaml);
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(
        lines[0].ends_with("operation `SELF` is not snake_case; `self` is reserved, so consider `self_`"),
        "{lines:?}"
    );
    assert!(
        lines[1].ends_with("path variable `CRATE` is not snake_case; `crate` is reserved, so consider `crate_`"),
        "{lines:?}"
    );
    assert!(
        lines[2].ends_with("operation `Super` is not snake_case; `super` is reserved, so consider `super_`"),
        "{lines:?}"
    );
}

#[test]
fn a_name_in_another_script_is_told_that_names_are_ascii_and_given_a_latin_one_where_it_has_one() {
    let yaml = "api_integrations:
  - name: réservations
    environments: { sandbox: { base_url: \"https://x.example\" } }
    operations:
      - { name: réserverUneTable, method: GET, resource: /a }
      - { name: 予約, method: GET, resource: /b }
      - { name: حجز, method: GET, resource: /c }
  - name: 予約
";
    let lines = error_lines(yaml);
    assert!(
        has_line(
            &lines,
            &["`api_integrations[0].name` is `réservations`", "lowercase ASCII letters", "(like `reservations`)"]
        ),
        "{lines:?}"
    );
    assert!(
        has_line(
            &lines,
            &["`api_integrations[0].operations[0].name`", "ASCII letters (a-z, A-Z)", "(like `reserver_une_table`)"]
        ),
        "{lines:?}"
    );
    let no_latin = "(written in Latin letters, like `book_table`)";
    assert!(has_line(&lines, &["`api_integrations[0].operations[1].name` is `予約`", no_latin]), "{lines:?}");
    assert!(has_line(&lines, &["`api_integrations[0].operations[2].name` is `حجز`", no_latin]), "{lines:?}");
    assert!(
        has_line(&lines, &["`api_integrations[1].name` is `予約`", "write it in Latin letters, like `reservations`"]),
        "{lines:?}"
    );
    assert!(!lines.iter().any(|line| line.contains("`__`") || line.contains("`___`")), "{lines:?}");
}

#[test]
fn a_name_in_central_european_or_turkish_letters_is_given_its_ascii_form() {
    let yaml = "api_integrations:
  - name: płatności
    environments: { sandbox: { base_url: \"https://x.example\" } }
    operations:
      - { name: pobierzPłatność, method: GET, resource: /a }
      - { name: Ñandú, method: GET, resource: /b }
      - { name: ödemeAl, method: GET, resource: /c }
";
    let lines = error_lines(yaml);
    assert!(has_line(&lines, &["`api_integrations[0].name` is `płatności`", "(like `platnosci`)"]), "{lines:?}");
    assert!(has_line(&lines, &["`api_integrations[0].operations[0].name`", "(like `pobierz_platnosc`)"]), "{lines:?}");
    assert!(has_line(&lines, &["`api_integrations[0].operations[1].name`", "(like `nandu`)"]), "{lines:?}");
    assert!(has_line(&lines, &["`api_integrations[0].operations[2].name`", "(like `odeme_al`)"]), "{lines:?}");
}

/// rustdoc writes a file named after an API (its module) and an operation (its
/// `args` struct): past 255 bytes `cargo doc` fails, so long names are told.
#[test]
fn a_name_over_200_characters_is_warned_of() {
    let long_api = "a".repeat(201);
    let long_operation = format!("get_{}", "b".repeat(197));
    let quiet = format!("get_{}", "c".repeat(196));
    let yaml = format!("api_integrations:\n  - name: {long_api}\n    environments: {{ sandbox: {{}} }}\n    operations:\n      - {{ name: {long_operation}, method: GET, resource: /a }}\n      - {{ name: {quiet}, method: GET, resource: /b }}\n");
    let lines = warning_lines(&yaml);
    assert_eq!(
        lines,
        [
            "apis.yaml:2:11: warning: `api_integrations[0].name`: the name is 201 characters long; `cargo doc` writes a file named after it and fails past about 240 (file names stop at 255 bytes), so shorten it to 200 or fewer",
            "apis.yaml:5:17: warning: `api_integrations[0].operations[0].name`: the name is 201 characters long; `cargo doc` writes a file named after it and fails past about 240 (file names stop at 255 bytes), so shorten it to 200 or fewer",
        ]
    );
}

/// Two operations of one name and one method get the plain uniqueness message; the
/// ADK's "tells the two apart by method" is only for different methods.
#[test]
fn a_repeated_operation_name_of_the_same_method_is_not_told_about_methods() {
    let yaml = "api_integrations:
  - name: zendesk
    environments: { sandbox: { base_url: \"https://sandbox.example\" } }
    operations:
      - { name: ticket, method: GET, resource: \"/tickets/{id}\" }
      - { name: ticket, method: GET, resource: /tickets }
";
    assert_eq!(
        error_lines(yaml),
        ["apis.yaml:6:17: error: `api_integrations[0].operations[1].name`: operation `ticket` is already defined at line 5; operation names are unique within an API (each becomes one function), so rename one"]
    );
}

/// An API name of ASCII with nothing to keep (`---`) is told the valid characters
/// alone, one of digits (`9`) gets a `_` before them, as an operation's name does;
/// only a name beyond ASCII (`予約`) is told to write it in Latin letters.
#[test]
fn only_an_api_name_beyond_ascii_is_told_to_use_latin_letters() {
    let file = |name: &str| format!("api_integrations:\n  - name: {name}\n    environments: {{ live: {{}} }}\n");
    assert_eq!(
        error_lines(&file("\"---\"")),
        ["apis.yaml:2:11: error: `api_integrations[0].name` is `---`, not a valid API name; use lowercase ASCII letters (a-z), digits and `_`, starting with a letter or `_`"]
    );
    assert_eq!(
        error_lines(&file("\"9\"")),
        ["apis.yaml:2:11: error: `api_integrations[0].name` is `9`, not a valid API name; use lowercase ASCII letters (a-z), digits and `_`, starting with a letter or `_` (like `_9`)"]
    );
    assert_eq!(
        error_lines(&file("予約")),
        ["apis.yaml:2:11: error: `api_integrations[0].name` is `予約`, not a valid API name; use lowercase ASCII letters (a-z), digits and `_`, starting with a letter or `_` (the name is `conv.api.<name>` in Rust code: write it in Latin letters, like `reservations`)"]
    );
}

/// A mock rule has no name: an entry of a rules list keyed by a word (`- banana:`)
/// is an unknown key of the rule, never told "write `- name: banana`" as an API or
/// an operation named by its key is.
#[test]
fn a_mock_rule_keyed_by_a_word_is_an_unknown_key_not_a_name() {
    let definitions =
        parse_str("apis.yaml", include_str!("../fixtures/adk/booking-apis.yaml")).expect("valid").definitions;
    for rule in ["banana:", "banana: { status: 200 }"] {
        let case = format!("api_mocks:\n  reservations:\n    book:\n      - {rule}\n");
        let found = conv_api_definitions::mocks::parse_str("case.yaml", &case, &definitions).expect_err("invalid");
        let lines: Vec<String> = found.lines().map(|line| line.to_string()).collect();
        assert_eq!(
            lines,
            [
                "case.yaml:4:9: error: unknown key `banana` in `api_mocks.reservations.book[0]`; the keys are `respond`, `repeat`, `when`, `delay` and `fail`",
                "case.yaml:4:9: error: `api_mocks.reservations.book[0].respond` is missing; add it, like `respond: { status: 200 }`",
            ],
            "{rule}"
        );
    }
}

/// An operation entry whose first key is a misspelt key of an operation
/// (`- resorce:`) is told "did you mean `resource`?", never taken for an operation
/// named by its key ("write `- name: resorce`").
#[test]
fn an_entry_keyed_by_a_misspelt_key_is_told_the_key_not_a_name() {
    let lines = error_lines(
        "api_integrations:\n  - name: crm\n    environments: { live: {} }\n    operations:\n      - resorce:\n",
    );
    assert_eq!(
        lines.first().map(String::as_str),
        Some("apis.yaml:5:9: error: unknown key `resorce` in `api_integrations[0].operations[0]`; did you mean `resource`?"),
        "{lines:#?}"
    );
    assert!(!lines.iter().any(|line| line.contains("named by its key")), "{lines:#?}");
}

/// `list_first` is "[`list_choices`] listing the first `at_most`, then how many more
/// there are": with `at_most` 1 the one shown is followed by the count of the rest
/// (the runtime lists held secret names so).
#[test]
fn a_list_cut_after_its_first_choice_still_counts_the_rest() {
    use conv_api_definitions::names::list_first;
    assert_eq!(list_first(["a", "b", "c"], 1), "`a` and 2 more");
    assert_eq!(list_first(["a"], 1), "`a`");
}

/// A secret name is compared only up to `SUGGESTED_UP_TO` (128) bytes, as
/// `did_you_mean` is ("none for a word longer than 128 bytes"): one of 128 bytes
/// with a slip still gets its suggestion, one of 129 none.
#[test]
fn a_secret_name_of_128_bytes_gets_a_suggestion_and_a_longer_one_none() {
    use conv_api_definitions::names::similar_secret_name;
    let (held, missing) = (format!("{}X", "K".repeat(127)), "K".repeat(128));
    assert_eq!(similar_secret_name(&missing, [held.as_str()]), Some(held.as_str()));
    let (held, missing) = (format!("{}X", "K".repeat(128)), "K".repeat(129));
    assert_eq!(similar_secret_name(&missing, [held.as_str()]), None, "past 128 bytes no name is compared");
}

/// `similar_secret_name` offers a name that differs "by a slip: the same letters in
/// another case, or one edit (two past 20 characters)": a name of 23 characters is
/// offered one two edits away, never one three edits away (the doc's examples are
/// all of 20 characters or fewer, or vetoed by their parts).
#[test]
fn a_secret_name_past_20_characters_is_offered_two_edits_away_and_not_three() {
    use conv_api_definitions::names::similar_secret_name;
    let missing = "ZENDESK_SANDBOX_API_KEY";
    assert_eq!(similar_secret_name(missing, ["ZENDESK_SANDBOX_APIKEY"]), Some("ZENDESK_SANDBOX_APIKEY"));
    assert_eq!(similar_secret_name(missing, ["ZENDESK_SANDBOX_APIKY"]), Some("ZENDESK_SANDBOX_APIKY"));
    assert_eq!(similar_secret_name(missing, ["ZENDESK_SANDBOXAPIKY"]), None, "three edits is no slip");
}

/// A name offered "differs by a slip": the missing name itself, if the store holds
/// it under that very name, is no suggestion.
#[test]
fn a_secret_name_is_never_offered_for_itself() {
    use conv_api_definitions::names::similar_secret_name;
    assert_eq!(similar_secret_name("CRM_LIVE_API_KEY", ["CRM_LIVE_API_KEY"]), None);
}

/// An operation or variable name suggested for one that is no identifier is an
/// identifier: one starting with a digit gets a `_` before it ("`_` before a digit
/// first"), for an operation as for a path variable.
#[test]
fn a_name_starting_with_a_digit_is_suggested_with_a_leading_underscore() {
    let lines = error_lines(
        "api_integrations:\n  - name: crm\n    environments: { live: { base_url: https://a.example } }\n    operations:\n      - { name: 2fa-check, method: GET, resource: \"/codes/{2nd-id}\" }\n",
    );
    assert!(
        has_line(
            &lines,
            &[
                "`api_integrations[0].operations[0].name` is `2fa-check`, which is not an identifier",
                "(like `_2fa_check`)"
            ]
        ),
        "{lines:?}"
    );
    assert!(has_line(&lines, &["variable `2nd-id` is not a valid identifier", ": write `{_2nd_id}`"]), "{lines:?}");
}

/// `to_snake_case` folds "a Latin letter with a mark of the European languages and
/// Turkish": the letters folded to two (`ß`, `æ`, `œ`, `þ`, `ŋ`, `ĳ`) and the old
/// `ĸ` and `ſ`, which the table of marked letters does not hold, each as its doc's
/// match says (the doctest holds only `ß` and `ĳ`).
#[test]
fn every_letter_folded_apart_from_the_table_is_folded() {
    use conv_api_definitions::names::to_snake_case;
    let folded = [
        ('ß', "ss"),
        ('æ', "ae"),
        ('Æ', "ae"),
        ('œ', "oe"),
        ('Œ', "oe"),
        ('þ', "th"),
        ('Þ', "th"),
        ('ŋ', "ng"),
        ('Ŋ', "ng"),
        ('ĳ', "ij"),
        ('Ĳ', "ij"),
        ('ĸ', "k"),
        ('ſ', "s"),
    ];
    for (letter, plain) in folded {
        assert_eq!(to_snake_case(&letter.to_string()), plain, "{letter}");
    }
}

/// `to_snake_case` gives "`name` in snake_case": a `-` or a space between words is
/// a `_` (`Get-Ticket`, `get ticket`), as `api_name_like` and the snake_case
/// warnings rely on.
#[test]
fn dashes_and_spaces_between_words_become_underscores_in_snake_case() {
    use conv_api_definitions::names::to_snake_case;
    assert_eq!(to_snake_case("Get-Ticket"), "get_ticket");
    assert_eq!(to_snake_case("get ticket"), "get_ticket");
}
