//! Good fixtures (the spec's example, every auth type, the ADK shape) and their model.

use super::*;

#[test]
fn the_spec_example_is_valid() {
    let checked = good("full.yaml");
    assert_eq!(checked.definitions.apis.len(), 2);
    let zendesk = checked.definitions.api("zendesk").unwrap();
    assert_eq!(zendesk.description.as_deref(), Some("Support tickets"));
    let get = zendesk.operation("get_ticket").unwrap();
    assert_eq!((get.method, get.description.as_deref()), (Method::Get, Some("Look up a ticket")));
    assert_eq!(get.name.span.line, 25);
    assert!(checked.warnings.items.is_empty());
}

#[test]
fn the_adk_reference_shape_is_valid_unchanged() {
    let checked = good("adk_reference.yaml");
    assert_eq!(checked.definitions.apis.len(), 3);
    assert_eq!(checked.definitions.operation_count(), 5);
    let salesforce = checked.definitions.api("salesforce").unwrap();
    assert_eq!(salesforce.operation("search_contacts").unwrap().method, Method::Get);
    let hours = checked.definitions.api("opening_hours").unwrap();
    assert_eq!(hours.wired_environments().count(), 2);
    assert_eq!(hours.environment(Environment::Live).unwrap().base_url.value, "https://hours.acme.example");
}

#[test]
fn a_suggested_secret_name_is_always_a_valid_one() {
    let yaml = "api_integrations:
  - name: _internal
    environments:
      pre-release:
        base_url: https://internal.example
        auth_type: basic
        auth: { username: agent, password: hunter2 }
    operations: []
";
    let errors = parse_str("apis.yaml", yaml).expect_err("a literal password");
    let message = errors.errors().next().unwrap().message.clone();
    assert!(message.contains("write `{ secret: INTERNAL_PRE_RELEASE_PASSWORD }`"), "{message}");
    assert!(message.contains("leave the field out to read `_INTERNAL_PRE_RELEASE_PASSWORD`"), "{message}");
    let fixed = yaml.replace("hunter2", "{ secret: INTERNAL_PRE_RELEASE_PASSWORD }");
    parse_str("apis.yaml", &fixed).unwrap_or_else(|d| panic!("the suggested fix is accepted:\n{d}"));
    let wrong = yaml.replace("hunter2", "{ secret: _INTERNAL_PRE_RELEASE_PASSWORD }");
    let errors = parse_str("apis.yaml", &wrong).expect_err("not a secret name");
    assert!(errors.to_string().contains("(like `INTERNAL_PRE_RELEASE_PASSWORD`)"), "{errors}");
}

#[test]
fn a_password_in_a_base_url_is_a_warning_and_over_http_an_error() {
    let yaml = "api_integrations:
  - name: legacy
    environments:
      live: { base_url: \"https://agent:s3cr3t@legacy.example/v1\" }
      sandbox: { base_url: \"http://agent:s3cr3t@legacy.example/v1\" }
      pre-release: { base_url: \"http://agent:s3cr3t@127.0.0.1:8080\" }
    operations: []
";
    let errors = parse_str("apis.yaml", yaml).expect_err("a password over plain http");
    let messages: Vec<String> = errors.errors().map(|d| d.render("apis.yaml")).collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0]
            .starts_with("apis.yaml:5:28: error: `api_integrations[0].environments.sandbox.base_url` is `http://***@legacy.example/v1`, which holds credentials"),
        "{messages:?}"
    );
    assert!(messages[0].contains("clear text") && !messages[0].contains("s3cr3t"), "{messages:?}");
    let https_only = yaml.replace("http://agent:s3cr3t@legacy", "https://legacy");
    let checked = parse_str("apis.yaml", &https_only).unwrap_or_else(|d| panic!("only warnings:\n{d}"));
    let warnings: Vec<&str> = checked.warnings.items.iter().map(|w| w.message.as_str()).collect();
    assert_eq!(warnings.len(), 2, "https and loopback: {warnings:?}");
    assert!(warnings.iter().all(|w| w.contains("secrets never go in the definitions file")), "{warnings:?}");
}

#[test]
fn a_password_with_a_hash_in_an_unparsable_base_url_is_masked_whole() {
    // `#` cuts the URL before the `@`, so it fails to parse: the message still masks it
    let yaml = "api_integrations:
  - name: legacy
    environments:
      live: { base_url: \"https://agent:s3cr#et@legacy.example/v1\" }
    operations: []
";
    let errors = parse_str("apis.yaml", yaml).expect_err("not a URL");
    let message = errors.to_string();
    assert!(message.contains("`https://***@legacy.example/v1`"), "{message}");
    assert!(!message.contains("s3cr"), "{message}");
}

#[test]
fn a_key_glued_to_its_value_says_to_add_a_space() {
    let yaml = "api_integrations:\n  - name: a\n    environments: { live: { base_url:\"https://a.example\" } }\n    operations: []\n";
    let message = parse_str("apis.yaml", yaml).unwrap_err().to_string();
    assert!(
        message.contains("YAML reads `base_url:\"https://a.example\"` as one key; put a space after the colon: `base_url: \"https://a.example\"`"),
        "{message}"
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
fn misspelt_auth_settings_are_read_and_a_misspelling_of_a_given_key_says_so() {
    let yaml = "api_integrations:
  - name: a
    environments:
      sandbox:
        base_url: https://a.example
        auth_type: basic
        auth: { passwrod: plain }
      live:
        base_url: https://a.example
        auth_type: oauth2
        auth: { tokn_url: \"http://a.example/t\", token_url: \"\" }
    operations: []
    operation: []
";
    let errors = parse_str("apis.yaml", yaml).expect_err("several errors");
    let found: Vec<String> = errors.errors().map(|d| d.render("apis.yaml")).collect();
    let has = |words: &[&str]| found.iter().any(|m| words.iter().all(|w| m.contains(w)));
    assert!(has(&["unknown key `passwrod`", "did you mean `password`?"]), "{found:#?}");
    assert!(has(&["auth.password` is a secret, and secrets never go in the definitions file"]), "{found:#?}");
    assert!(
        has(&["unknown key `tokn_url`", "it looks like `token_url`, which is already given; remove one"]),
        "{found:#?}"
    );
    assert!(has(&["auth.token_url` is empty"]), "{found:#?}");
    assert!(has(&["unknown key `operation`", "it looks like `operations`, which is already given"]), "{found:#?}");
    assert_eq!(found.len(), 5, "an empty token URL is one error, not two: {found:#?}");
}

#[test]
fn a_url_with_three_slashes_or_a_password_in_a_token_url_is_named() {
    let yaml = "api_integrations:
  - name: a
    environments:
      sandbox: { base_url: \"https:///a.example/v1\" }
      live:
        base_url: https://a.example
        auth_type: oauth2
        auth: { token_url: \"https://id:pw@auth.example/token\" }
";
    let errors = parse_str("apis.yaml", yaml).expect_err("three slashes");
    assert!(errors.to_string().contains("has more than two `/` before its host"), "{errors}");
    let fixed = yaml.replace("https:///a.example", "https://a.example");
    let checked = parse_str("apis.yaml", &fixed).unwrap_or_else(|d| panic!("a warning only:\n{d}"));
    assert!(checked.warnings.items[0].message.contains("token_url` holds a password"), "{:?}", checked.warnings);
}

#[test]
fn an_empty_auth_type_is_none_as_the_adk_reads_it() {
    let yaml = "api_integrations:
  - name: hours
    description: ''
    environments:
      sandbox: { base_url: '', auth_type: '' }
      live: { base_url: https://hours.example, auth_type: '' }
    operations:
      - { name: get_hours, method: GET, resource: /hours }
";
    let checked = parse_str("apis.yaml", yaml).unwrap_or_else(|d| panic!("the ADK writes such files:\n{d}"));
    let hours = checked.definitions.api("hours").unwrap();
    assert_eq!(hours.environment(Environment::Live).unwrap().auth, Auth::None);
    assert_eq!(hours.wired_environments().count(), 1);
}

#[test]
fn api_key_query_parameter_names_follow_query_rules_not_header_rules() {
    let yaml = "api_integrations:
  - name: maps
    environments:
      live:
        base_url: https://maps.example
        auth_type: apiKey
        auth: { location: query, name: \"key[0]\" }
";
    let checked = conv_api_definitions::parse_str("apis.yaml", yaml).expect("a query parameter name may hold brackets");
    let api = checked.definitions.api("maps").expect("api is read");
    let live = api.environment(conv_api_definitions::Environment::Live).expect("live is configured");
    let conv_api_definitions::Auth::ApiKey(key) = &live.auth else { panic!("api key auth") };
    assert_eq!(key.name.literal_str(), Some("key[0]"));
    let header = yaml.replace("location: query", "location: header");
    let errors = conv_api_definitions::parse_str("apis.yaml", &header).expect_err("not a header name");
    assert!(errors.to_string().contains("is not a valid HTTP header name"), "{errors}");
}

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
    assert!(has(&["unknown key `usernam`", "did you mean `username` (a setting of another auth type)?"]), "{errors}");
    assert!(has(&["client_secret.secret` is ``", "(like `SHOP_SANDBOX_CLIENT_SECRET`)"]), "{errors}");
    assert!(has(&["auth.name` is empty; give a value, or leave the key out for its default"]), "{errors}");
    assert!(has(&["value.secret` is `12`", "(like `SHOP_LIVE_API_KEY`)"]), "{errors}");
    assert_eq!(messages.len(), 5, "{errors}");
}
