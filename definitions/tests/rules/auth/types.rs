//! Auth types and the keys of their blocks: unknown or misspelt types and
//! settings, another type's keys, and the words other formats and tools use.

use super::*;

/// Other formats key the scheme inside the auth block (`type: basic`); here it is
/// the environment's `auth_type`, beside `auth:`.
#[test]
fn an_auth_type_keyed_inside_the_auth_block_is_told_it_is_the_environments_auth_type() {
    let yaml = |environment: &str| {
        format!("api_integrations:\n  - name: crm\n    environments:\n      live:\n        base_url: https://a.example\n{environment}")
    };
    let at = "`api_integrations[0].environments.live.auth`";
    let lines = error_lines(&yaml("        auth: { type: basic, username: agent }\n"));
    // the one error: the block's settings are read for the type it names
    assert_eq!(lines, [format!("apis.yaml:6:17: error: unknown key `type` in {at}; the auth type is the environment's `auth_type`, beside `auth:`: write `auth_type: basic` there")]);
    let lines = error_lines(&yaml("        auth: { type: oauth2, username: agent }\n"));
    assert!(
        has_line(&lines, &["auth.username` belongs to auth type `basic`, but `auth_type` is `oauth2`"]),
        "{lines:?}"
    );
    let lines = error_lines(&yaml("        auth_type: basic\n        auth: { type: basic }\n"));
    assert_eq!(lines, [format!("apis.yaml:7:17: error: unknown key `type` in {at}; the environment's `auth_type` says it already: remove it")]);
    let lines = error_lines(&yaml("        auth_type: apiKey\n        auth: { kind: basic }\n"));
    assert!(
        has_line(&lines, &["unknown key `kind`", "which is `apiKey`: remove it, or change `auth_type`"]),
        "{lines:?}"
    );
    let lines = error_lines(&yaml("        auth_type: oauth2\n        auth: { type: client_credentials }\n"));
    assert!(has_line(&lines, &["unknown key `type`", "which is `oauth2`: remove it"]), "{lines:?}");
    let lines = error_lines(&yaml("        auth: { scheme: digest }\n"));
    assert!(
        has_line(&lines, &["unknown key `scheme`", "write it there, as `none`, `basic`, `apiKey` or `oauth2`"]),
        "{lines:?}"
    );
    // in any case, and as a word of another of the type's settings: that setting
    let lines = error_lines(&yaml("        auth: { Authentication: oauth2 }\n"));
    assert!(has_line(&lines, &["unknown key `Authentication`", "write `auth_type: oauth2` there"]), "{lines:?}");
    let lines = error_lines(&yaml("        auth_type: apiKey\n        auth: { scheme: Bearer, type: header }\n"));
    assert!(has_line(&lines, &["unknown key `scheme`", "write `prefix: Bearer`"]), "{lines:?}");
    assert!(has_line(&lines, &["unknown key `type`", "write `location: header`"]), "{lines:?}");
    let lines = error_lines(&yaml("        auth_type: oauth2\n        auth: { type: Bearer }\n"));
    assert!(has_line(&lines, &["unknown key `type`", "write `token_prefix: Bearer`"]), "{lines:?}");
    let lines = error_lines(&yaml("        auth: { type: bearer }\n"));
    assert!(has_line(&lines, &["unknown key `type`", "a fixed bearer token is `auth_type: apiKey`"]), "{lines:?}");
}

#[test]
fn fields_of_another_auth_type() {
    expect(
        "auth_field_of_other_type.yaml",
        &[(
            8,
            11,
            &[
                "`api_integrations[0].environments.live.auth.client_id`",
                "belongs to auth type `oauth2`",
                "`auth_type` is `basic`",
            ],
        )],
    );
}

#[test]
fn another_types_word_for_the_same_setting_says_to_rename_it() {
    let yaml = |auth_type: &str, auth: &str| {
        format!("api_integrations:\n  - name: crm\n    environments:\n      live:\n        base_url: https://crm.example\n        auth_type: {auth_type}\n        auth: {{ {auth} }}\n")
    };
    for (auth_type, written, same) in [
        ("apiKey", "header_name", "name"),
        ("apiKey", "token_prefix", "prefix"),
        ("oauth2", "name", "header_name"),
        ("oauth2", "prefix", "token_prefix"),
    ] {
        let lines = error_lines(&yaml(auth_type, &format!("{written}: X-Key")));
        let expected = format!("belongs to auth type `{}`, but `auth_type` is `{auth_type}`; `{auth_type}` calls this setting `{same}`: rename it, or change `auth_type`", if auth_type == "apiKey" { "oauth2" } else { "apiKey" });
        assert!(lines.len() == 1 && lines[0].contains(&expected), "{lines:?}");
        // renamed as told, it says what it said
        parse_str("apis.yaml", &yaml(auth_type, &format!("{same}: X-Key"))).unwrap_or_else(|d| panic!("{d}"));
    }
    // beside the setting it means, it is told to go: renamed, it would be a duplicate key
    let lines = error_lines(&yaml("apiKey", "name: X-Key, header_name: X-Other"));
    assert!(
        lines.len() == 1 && lines[0].contains("`apiKey` calls this setting `name`, which is given: remove it"),
        "{lines:?}"
    );
    // its value is checked as the setting it means
    let lines = error_lines(&yaml("apiKey", "header_name: \"X Key\""));
    assert!(lines.len() == 2 && lines[1].contains("not a valid HTTP header name"), "{lines:?}");
}

#[test]
fn unknown_auth_field_suggests_the_closest() {
    expect(
        "auth_unknown_field.yaml",
        &[(
            8,
            11,
            &[
                "unknown key `client_secrt`",
                "`api_integrations[0].environments.live.auth`",
                "did you mean `client_secret`?",
            ],
        )],
    );
}

#[test]
fn unknown_auth_type_suggests_the_closest() {
    expect(
        "auth_type_unknown.yaml",
        &[(
            6,
            20,
            &["`api_integrations[0].environments.live.auth_type` is `apikey`", "did you mean `apiKey`?", "`oauth2`"],
        )],
    );
}

#[test]
fn an_auth_type_written_as_agent_studio_labels_it_suggests_its_word() {
    for (written, meant) in [
        ("noAuth", "none"),
        ("\"No auth\"", "none"),
        ("API_KEY", "apiKey"),
        ("\"OAuth 2.0\"", "oauth2"),
        ("basic-auth", "basic"),
    ] {
        let yaml = format!(
            "api_integrations:\n  - name: crm\n    environments:\n      live:\n        base_url: https://crm.example\n        auth_type: {written}\n"
        );
        let lines = error_lines(&yaml);
        assert!(lines.len() == 1 && lines[0].contains(&format!("did you mean `{meant}`?")), "{written}: {lines:?}");
    }
}

#[test]
fn the_auth_types_of_newer_adk_versions_say_what_this_format_writes() {
    let file = |auth_type: &str, auth: &str| {
        format!("api_integrations:\n  - name: crm\n    environments:\n      live:\n        base_url: https://crm.example\n        auth_type: {auth_type}\n        auth: {auth}\n")
    };
    // read as `oauth2`, so its settings get no second error, but for a real mistake
    let lines = error_lines(&file("oauth2_client_credentials", "{ client_id: agent, scpoe: read }"));
    assert_eq!(
        lines,
        [
            "apis.yaml:6:20: error: `api_integrations[0].environments.live.auth_type` is `oauth2_client_credentials`, an ADK name of OAuth 2.0 client credentials, which this format writes `oauth2`; write `auth_type: oauth2`",
            "apis.yaml:7:35: error: unknown key `scpoe` in `api_integrations[0].environments.live.auth`; did you mean `scope`? the `oauth2` settings are `token_url`, `client_id`, `client_secret`, `scope`, `credentials`, `header_name`, `token_prefix` and `token_params`",
        ]
    );
    let lines = error_lines(&file("jwt_client_assertion", "{ client_id: agent }"));
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with("apis.yaml:6:20: error: `api_integrations[0].environments.live.auth_type` is `jwt_client_assertion`, the ADK's OAuth 2.0 with a signed JWT client assertion (RFC 7523), which conv-api cannot send; the auth types are `none`, `basic`, `apiKey` and `oauth2`"), "{lines:?}");
}

#[test]
fn a_bearer_auth_type_says_it_is_an_api_key_in_authorization_and_its_block_is_read_by_its_keys() {
    let file = |auth_type: &str, auth: &str| {
        format!("api_integrations:\n  - name: crm\n    environments:\n      live:\n        base_url: https://crm.example\n        auth_type: {auth_type}\n        auth: {auth}\n")
    };
    for written in ["bearer", "Bearer Token", "bearer_token", "JWT"] {
        let lines = error_lines(&file(written, "{ name: Authorization, prefix: Bearer, location: cookie }"));
        assert_eq!(
            lines,
            [
                format!("apis.yaml:6:20: error: `api_integrations[0].environments.live.auth_type` is `{written}`, not an auth type; a fixed bearer token is `auth_type: apiKey` with `auth: {{ name: Authorization, prefix: Bearer }}` (the token from the secret store), and one fetched with a client id and secret is `oauth2`"),
                // the block is checked as the type its keys name, so its settings get no second error
                "apis.yaml:7:64: error: `api_integrations[0].environments.live.auth.location` is `cookie`; use `header` or `query`".to_string(),
            ],
            "{written}"
        );
    }
    // the advice, followed
    let checked = parse_str("apis.yaml", &file("apiKey", "{ name: Authorization, prefix: Bearer }")).unwrap();
    let Auth::ApiKey(key) = &checked.definitions.apis[0].environment(Environment::Live).unwrap().auth else {
        panic!("not apiKey")
    };
    assert_eq!(
        (key.name.literal_str(), key.prefix.as_ref()),
        (Some("Authorization"), Some(&Setting::Literal("Bearer".into())))
    );
}

#[test]
fn auth_settings_as_other_formats_name_them_say_this_formats_word() {
    let file = |auth_type: &str, auth: &str| {
        format!("api_integrations:\n  - name: crm\n    environments:\n      live:\n        base_url: https://crm.example\n        auth_type: {auth_type}\n        auth: {{ {auth} }}\n")
    };
    let at = "`api_integrations[0].environments.live.auth`";
    let api_key = "the `apiKey` settings are `location`, `name`, `prefix` and `value`";
    let lines = error_lines(&file("apiKey", "in: query, param: appid, key: { secret: CRM_KEY }"));
    assert_eq!(
        lines,
        [
            format!("apis.yaml:7:17: error: unknown key `in` in {at}; this format calls it `location`; {api_key}"),
            format!("apis.yaml:7:28: error: unknown key `param` in {at}; this format calls it `name`; {api_key}"),
            format!("apis.yaml:7:42: error: unknown key `key` in {at}; this format calls it `value`; {api_key}"),
        ]
    );
    // each value is read as the setting meant: the advice followed is the whole fix
    let fixed = file("apiKey", "location: query, name: appid, value: { secret: CRM_KEY }");
    assert!(parse_str("apis.yaml", &fixed).is_ok());
    let lines = error_lines(&file("apiKey", "in: cookie"));
    assert!(has_line(&lines, &["auth.location` is `cookie`; use `header` or `query`"]), "{lines:#?}");
}

#[test]
fn location_and_credentials_take_their_words_only() {
    expect(
        "auth_choices.yaml",
        &[
            (7, 27, &["`api_integrations[0].environments.sandbox.auth.location` is `cookie`", "`header` or `query`"]),
            (11, 30, &["`api_integrations[0].environments.live.auth.credentials` is `query`", "`header` or `body`"]),
        ],
    );
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
    let found = error_lines(yaml);
    let has = |words: &[&str]| has_line(&found, words);
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
fn the_auth_block_of_an_unknown_auth_type_is_checked_as_the_type_its_keys_belong_to() {
    let yaml = "api_integrations:
  - name: a
    environments:
      live:
        base_url: https://a.example
        auth_type: bearer
        auth: { password: hunter2, token: abc }
      sandbox:
        base_url: https://a.example
        auth_type: jwt
        auth: { password: hunter2, value: { secret: A_KEY } }
      pre-release:
        base_url: https://a.example
        auth_type: client_credentials
        auth: { client_id: a, client_secret: { secret: S }, username: u, password: hunter2 }
    operations: []
";
    let found = error_lines(yaml);
    let has = |words: &[&str]| has_line(&found, words);
    assert!(has(&["apis.yaml:6:20:", "live.auth_type` is `bearer`, not an auth type"]), "{found:#?}");
    assert!(has(&["apis.yaml:7:27:", "live.auth.password` is a secret"]), "{found:#?}");
    assert!(has(&["apis.yaml:7:36:", "unknown key `token`", "no auth type has this setting"]), "{found:#?}");
    // keys of two types as much as each other: read as no type, but for its secrets
    assert!(has(&["apis.yaml:10:20:", "sandbox.auth_type` is `jwt`"]), "{found:#?}");
    assert!(has(&["apis.yaml:11:27:", "sandbox.auth.password` is a secret"]), "{found:#?}");
    // read as oauth2's, the block's `username` is not blamed on an `auth_type` the file does not say
    assert!(has(&["apis.yaml:14:20:", "pre-release.auth_type` is `client_credentials`"]), "{found:#?}");
    // nor is a literal secret of another type left unreported
    assert!(has(&["apis.yaml:15:84:", "pre-release.auth.password` is a secret"]), "{found:#?}");
    assert_eq!(found.len(), 7, "{found:#?}");
}

#[test]
fn a_choice_or_token_field_as_other_tools_write_it_is_told_this_formats_word() {
    let file = |auth_type: &str, auth: &str| {
        format!("api_integrations:\n  - name: crm\n    environments:\n      live:\n        base_url: https://crm.example\n        auth_type: {auth_type}\n        auth: {{ {auth} }}\n")
    };
    let at = "api_integrations[0].environments.live.auth";
    for (auth_type, auth, told) in [
        ("oauth2", "credentials: client_secret_basic", format!("`{at}.credentials` is `client_secret_basic`, an HTTP Basic `Authorization` header with the client's id and secret, which this format calls `header`: write `credentials: header`")),
        ("oauth2", "credentials: post", format!("`{at}.credentials` is `post`, the client's id and secret in the token request's form, which this format calls `body`: write `credentials: body`")),
        ("oauth2", "credentials: Body", format!("`{at}.credentials` is `Body`, and the words are lower case: write `credentials: body`")),
        ("apiKey", "location: Header", format!("`{at}.location` is `Header`, and the words are lower case: write `location: header`")),
        ("apiKey", "location: query-string", format!("`{at}.location` is `query-string`, a query parameter, which this format calls `query`: write `location: query`")),
        ("oauth2", "expires_in: 3600", format!("unknown key `expires_in` in `{at}`; a token's lifetime is read from each token response's `expires_in` (an hour when a response has none), and a token is renewed before it ends: remove it")),
        ("oauth2", "token_type: Bearer", format!("unknown key `token_type` in `{at}`; the token's type comes with each token response; the word sent before the token is `token_prefix` (default `Bearer`)")),
    ] {
        let lines = error_lines(&file(auth_type, auth));
        assert!(has_line(&lines, &[&told]), "{lines:#?}");
        assert_eq!(lines.len(), 1, "{lines:#?}");
    }
    // a word that means nothing known keeps the list of words
    let lines = error_lines(&file("apiKey", "location: cookie"));
    assert!(has_line(&lines, &["location` is `cookie`; use `header` or `query`"]), "{lines:#?}");
}

/// Agent Studio's labels of basic auth that no spelling distance reaches: `HTTP
/// Basic`, `Basic Auth` (the existing test's `basic-auth` is found by "did you
/// mean" alone, so deleting the arm changes nothing it sees).
#[test]
fn agent_studio_labels_far_from_the_word_still_suggest_it() {
    for (written, meant) in [("\"HTTP Basic\"", "basic"), ("httpBasic", "basic"), ("\"Basic Auth\"", "basic")] {
        let yaml = format!(
            "api_integrations:\n  - name: crm\n    environments:\n      live:\n        base_url: https://crm.example\n        auth_type: {written}\n"
        );
        let lines = error_lines(&yaml);
        assert!(lines.len() == 1 && lines[0].contains(&format!("did you mean `{meant}`?")), "{written}: {lines:?}");
    }
}

/// An API key's `location` written as other formats write it is told the word this
/// format uses: `headers`, `httpHeader`, `request_header` mean `header` (the existing
/// tests hold the `query` and `credentials` words only).
#[test]
fn an_api_key_location_written_as_headers_is_told_header() {
    for word in ["headers", "httpHeader", "request_header"] {
        let yaml = format!("api_integrations:\n  - name: crm\n    environments:\n      live:\n        base_url: https://crm.example\n        auth_type: apiKey\n        auth: {{ location: {word} }}\n");
        let lines = error_lines(&yaml);
        assert_eq!(
            lines,
            [format!("apis.yaml:7:27: error: `api_integrations[0].environments.live.auth.location` is `{word}`, which this format calls `header`: write `location: header`")]
        );
    }
}

/// Only a setting's own name glued to its value (`location:header`) is told "put a
/// space after the colon"; a key whose left part is no setting is an unknown key,
/// not shown when it is like no setting (it may be a secret that lost its key).
/// glued-key test of `check_auth_keys`).
#[test]
fn a_key_with_a_colon_whose_left_part_is_no_setting_is_an_unknown_key() {
    let file = |auth: &str| {
        format!("api_integrations:\n  - name: crm\n    environments:\n      live:\n        base_url: https://crm.example\n        auth_type: apiKey\n        auth: {auth}\n")
    };
    assert_eq!(
        error_lines(&file("{ \"nosuch:thing\": x }")),
        ["apis.yaml:7:17: error: unknown key (not shown: it may be a secret) in `api_integrations[0].environments.live.auth`; the `apiKey` settings are `location`, `name`, `prefix` and `value`"]
    );
    let lines = error_lines(&file("{ \"pass:word\": hunter2xyz }"));
    assert_eq!(
        lines[0],
        "apis.yaml:7:17: error: unknown key `pass:...` in `api_integrations[0].environments.live.auth`; did you mean `password` (a setting of auth type `basic`)? the `apiKey` settings are `location`, `name`, `prefix` and `value`"
    );
}

/// A key inside `auth:` gives the block's auth type only when it is a key other
/// formats write for one (`type`, `authType`) AND its value names a type: `type:
/// header` names none (it is told it means `location`), and a setting whose value
/// happens to be a type's word (`username: basic`) names none either.
#[test]
fn only_a_type_key_whose_value_is_an_auth_type_names_the_blocks_type() {
    let file = |auth: &str| {
        format!("api_integrations:\n  - name: crm\n    environments:\n      live:\n        base_url: https://crm.example\n        auth: {auth}\n")
    };
    assert_eq!(
        error_lines(&file("{ type: header }")),
        ["apis.yaml:6:17: error: unknown key `type` in `api_integrations[0].environments.live.auth`; where an API key goes is its `location`: write `location: header` (auth type `apiKey`)"]
    );
    assert_eq!(
        error_lines(&file("{ username: basic }")),
        ["apis.yaml:6:17: error: `api_integrations[0].environments.live.auth.username` belongs to auth type `basic`, but `auth_type` is `none`; remove it or change `auth_type`"]
    );
}

/// `type: basic` inside `auth:` where the environment's `auth_type` is no type
/// (`nosuch`) is told to be the environment's `auth_type: basic`, not "remove it, or
/// change `auth_type`" as where the environment names another type.
#[test]
fn a_type_key_inside_auth_under_an_unknown_auth_type_is_told_to_be_the_auth_type() {
    let yaml = "api_integrations:\n  - name: crm\n    environments:\n      live:\n        base_url: https://crm.example\n        auth_type: nosuch\n        auth: { type: basic }\n";
    let lines = error_lines(yaml);
    assert_eq!(
        lines.last().map(String::as_str),
        Some("apis.yaml:7:17: error: unknown key `type` in `api_integrations[0].environments.live.auth`; the auth type is the environment's `auth_type`, beside `auth:`: write `auth_type: basic` there"),
        "{lines:#?}"
    );
}
