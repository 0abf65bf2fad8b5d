//! Auth types and their settings, literals and secret references.

use super::*;

#[test]
fn literal_in_a_secret_field() {
    expect(
        "auth_literal_secret.yaml",
        &[(
            9,
            21,
            &[
                "`api_integrations[0].environments.live.auth.password` is a secret",
                "never go in the definitions file",
                "`{ secret: ZENDESK_LIVE_PASSWORD }`",
            ],
        )],
    );
}

#[test]
fn secret_names_are_upper_case() {
    expect(
        "auth_bad_secret_name.yaml",
        &[(
            8,
            28,
            &[
                "`api_integrations[0].environments.live.auth.value.secret`",
                "`ZENDESK-KEY`",
                "not a valid secret name",
                "`ZENDESK_KEY`",
            ],
        )],
    );
}

#[test]
fn secret_names_may_hold_digits_but_not_start_with_one() {
    // `NAME` matches `^[A-Z][A-Z0-9_]*$`
    let yaml = |name: &str| {
        format!("api_integrations:\n  - name: a\n    environments:\n      live:\n        base_url: https://a.example\n        auth_type: apiKey\n        auth: {{ value: {{ secret: {name} }} }}\n")
    };
    for name in ["API_KEY_2", "OAUTH2_SECRET"] {
        parse_str("apis.yaml", &yaml(name)).unwrap_or_else(|d| panic!("`{name}` is a secret name:\n{d}"));
    }
    assert_eq!(
        error_lines(&yaml("2KEY")),
        ["apis.yaml:7:34: error: `api_integrations[0].environments.live.auth.value.secret` is `2KEY`, not a valid secret name; use upper-case letters, digits and `_`, starting with a letter (like `A_LIVE_API_KEY`)"]
    );
}

#[test]
fn a_key_written_where_the_secret_name_goes_is_not_shown() {
    let yaml = |name: &str| {
        format!("api_integrations:\n  - name: zendesk\n    environments:\n      live:\n        base_url: https://a.example\n        auth_type: apiKey\n        auth: {{ value: {{ secret: {name} }} }}\n")
    };
    // a key's mixed case, a long run of letters and digits, a password's word: no name's
    let keys = [
        "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
        "9f86d081884c7d659a2feaa0c55ad015",
        "a23e4567-e89b-12d3-a456-426614174000",
        "Password1",
        "zendesk_live_key_2",
        "Zendesk_Live_Key",
    ];
    for key in keys {
        assert_eq!(
            error_lines(&yaml(key)),
            ["apis.yaml:7:34: error: `api_integrations[0].environments.live.auth.value.secret` is not a valid secret name, which is upper-case letters, digits and `_`, starting with a letter (like `ZENDESK_LIVE_API_KEY`): write the name the store has the secret under, and put its value there (what is written is not shown: it may be the secret itself)"],
            "{key}"
        );
    }
    // a name in capitals is shown, with the name it could be (one with small letters
    // has a password's shape)
    for (name, like) in [("ZENDESK-LIVE-KEY-2", "ZENDESK_LIVE_KEY_2"), ("ZENDESK.LIVE.KEY", "ZENDESK_LIVE_KEY")] {
        assert_eq!(
            error_lines(&yaml(name)),
            [format!("apis.yaml:7:34: error: `api_integrations[0].environments.live.auth.value.secret` is `{name}`, not a valid secret name; use upper-case letters, digits and `_`, starting with a letter (like `{like}`)")]
        );
    }
}

/// Other tools name an environment variable or a secret under `env:`, `name:` or
/// `key:`: such a key is a word, not a secret, so it is shown with the reference to write.
#[test]
fn a_secret_reference_keyed_as_other_tools_key_it_is_told_to_write_secret() {
    let yaml = |reference: &str| {
        format!("api_integrations:\n  - name: zendesk\n    environments:\n      live:\n        base_url: https://a.example\n        auth_type: apiKey\n        auth: {{ value: {reference} }}\n")
    };
    let at = "apis.yaml:7:26: error: unknown key";
    let path = "in `api_integrations[0].environments.live.auth.value`";
    for key in ["env", "env_var", "fromEnv", "ENV"] {
        assert_eq!(
            error_lines(&yaml(&format!("{{ {key}: ZENDESK_KEY }}"))),
            [format!("{at} `{key}` {path}: the environment variable is named under `secret`; write `{{ secret: ZENDESK_KEY }}`, which the default secret store reads from the environment variable `ZENDESK_KEY`")]
        );
    }
    for key in ["name", "secret_name", "key"] {
        assert_eq!(
            error_lines(&yaml(&format!("{{ {key}: ZENDESK_KEY }}"))),
            [format!("{at} `{key}` {path}: the secret's name goes under `secret`; write `{{ secret: ZENDESK_KEY }}`")]
        );
    }
    // what is no secret's name is not shown: it is read as the secret's name, and told so
    let lines = error_lines(&yaml("{ key: sk_live_4eC39HqLyjWDarjtT1zdp7dc }"));
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines[0].ends_with("write `{ secret: NAME }`")
            && lines[1].contains("(what is written is not shown: it may be the secret itself)")
    );
    assert!(!lines.iter().any(|line| line.contains("sk_live")), "{lines:?}");
    // beside `secret`, or a key read as it, another is told to go
    let remove = "a reference names one secret, under `secret`, and another key here names it already: remove this one";
    let lines = error_lines(&yaml("{ env: OTHER, secret: ZENDESK_KEY }"));
    assert!(lines.len() == 1 && lines[0].contains("unknown key `env`") && lines[0].ends_with(remove), "{lines:?}");
    let lines = error_lines(&yaml("{ env: ZENDESK_KEY, name: OTHER }"));
    assert!(lines.len() == 2 && lines[1].contains("unknown key `name`") && lines[1].ends_with(remove), "{lines:?}");
    // a name in capitals may be a key's value too (`AKIA..`): not shown
    let lines = error_lines(&yaml("{ key: AKIAIOSFODNN7EXAMPLE }"));
    assert!(
        lines[0].ends_with("write `{ secret: NAME }`") && !lines.iter().any(|line| line.contains("AKIA")),
        "{lines:?}"
    );
}

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
fn a_literal_secret_of_another_auth_type_is_reported_with_its_key() {
    // no `auth_type` (so `none`), and another type's: the literal is said in the same run
    for auth_type in ["", "        auth_type: apiKey\n"] {
        let yaml = format!("api_integrations:\n  - name: crm\n    environments:\n      live:\n        base_url: https://crm.example\n{auth_type}        auth: {{ username: agent, password: hunter2 }}\n");
        let lines = error_lines(&yaml);
        let secret = "`api_integrations[0].environments.live.auth.password` is a secret, and secrets never go in the definitions file";
        assert!(
            lines.iter().any(|line| line
                .contains("`api_integrations[0].environments.live.auth.password` belongs to auth type `basic`")),
            "{lines:?}"
        );
        assert!(lines.iter().any(|line| line.contains(secret) && !line.contains("hunter2")), "{lines:?}");
    }
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
fn a_secret_reference_written_as_the_auth_block_says_which_setting_it_goes_under() {
    let file = |auth_type: &str, auth: &str| {
        format!("api_integrations:\n  - name: crm\n    environments:\n      live:\n        base_url: https://crm.example\n        auth_type: {auth_type}\n        auth: {{ {auth} }}\n")
    };
    let fix = "unknown key `secret` in `api_integrations[0].environments.live.auth`; a secret reference is the value of the setting it is for: write";
    for (auth_type, setting) in [("apiKey", "value"), ("basic", "password"), ("oauth2", "client_secret")] {
        let lines = error_lines(&file(auth_type, "secret: CRM_KEY"));
        assert_eq!(lines, [format!("apis.yaml:7:17: error: {fix} `auth: {{ {setting}: {{ secret: CRM_KEY }} }}`")]);
        assert!(parse_str("apis.yaml", &file(auth_type, &format!("{setting}: {{ secret: CRM_KEY }}"))).is_ok());
    }
    // a value in the name's place is not shown
    let lines = error_lines(&file("apiKey", "secret: hunter2"));
    assert_eq!(lines, [format!("apis.yaml:7:17: error: {fix} `auth: {{ value: {{ secret: NAME }} }}`")]);
}

#[test]
fn oauth2_token_request_fields_written_as_settings_say_where_they_go() {
    let file = |auth: &str| {
        format!("api_integrations:\n  - name: crm\n    environments:\n      live:\n        base_url: https://crm.example\n        auth_type: oauth2\n        auth: {{ {auth} }}\n")
    };
    let at = "`api_integrations[0].environments.live.auth`";
    let lines =
        error_lines(&file("grant_type: client_credentials, audience: https://api.crm.example, resource: api://crm"));
    assert_eq!(
        lines,
        [
            format!("apis.yaml:7:17: error: unknown key `grant_type` in {at}; the grant is always `client_credentials`, sent without a setting: remove it"),
            format!("apis.yaml:7:49: error: unknown key `audience` in {at}; a parameter of the token request goes under `token_params:`: write `token_params: {{ audience: ... }}`"),
            format!("apis.yaml:7:84: error: unknown key `resource` in {at}; a parameter of the token request goes under `token_params:`: write `token_params: {{ resource: ... }}`"),
        ]
    );
    let fixed = file("token_params: { audience: https://api.crm.example, resource: api://crm }");
    assert!(parse_str("apis.yaml", &fixed).is_ok());
    // scopes as a list: RFC 6749 writes them in one text
    let lines = error_lines(&file("scope: [tickets:read, tickets:write]"));
    assert_eq!(lines, ["apis.yaml:7:24: error: `api_integrations[0].environments.live.auth.scope` must be text or a `{ secret: NAME }`, found a list; OAuth 2.0 scopes are one text, separated by spaces: write `scope: tickets:read tickets:write`"]);
    assert!(parse_str("apis.yaml", &file("scope: tickets:read tickets:write")).is_ok());
}

#[test]
fn header_texts_reject_cr_lf() {
    expect(
        "auth_header_crlf.yaml",
        &[
            (8, 17, &["`api_integrations[0].environments.live.auth.name`", "control character", "HTTP header"]),
            (9, 19, &["`api_integrations[0].environments.live.auth.prefix`", "control character"]),
        ],
    );
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

fn conventional(name: &str) -> Setting {
    Setting::Secret(SecretRef { name: name.to_string().into(), source: SecretSource::Conventional, required: true })
}

fn explicit(name: &str) -> Setting {
    Setting::Secret(SecretRef { name: name.to_string().into(), source: SecretSource::Explicit, required: true })
}

#[test]
fn auth_left_out_resolves_to_conventional_secret_names() {
    let checked = good("adk_reference.yaml");
    let salesforce = checked.definitions.api("salesforce").unwrap();
    let Auth::OAuth2(live) = &salesforce.environment(Environment::Live).unwrap().auth else { panic!("not oauth2") };
    assert_eq!(live.client_secret, conventional("SALESFORCE_LIVE_CLIENT_SECRET"));
    assert_eq!(live.client_id, conventional("SALESFORCE_LIVE_CLIENT_ID"));
    assert_eq!(live.token_url, conventional("SALESFORCE_LIVE_TOKEN_URL"));
    let Some(Setting::Secret(scope)) = &live.scope else { panic!("scope is not a secret") };
    assert_eq!((scope.name.as_ref(), scope.required), ("SALESFORCE_LIVE_SCOPE", false));
    assert_eq!(live.credentials, Configured::Literal(CredentialsLocation::Header));
    assert_eq!(
        (live.header_name.literal_str(), live.token_prefix.literal_str()),
        (Some("Authorization"), Some("Bearer"))
    );

    let zendesk = checked.definitions.api("zendesk").unwrap();
    let Auth::ApiKey(key) = &zendesk.environment(Environment::PreRelease).unwrap().auth else { panic!("not apiKey") };
    assert_eq!(key.value, conventional("ZENDESK_PRE_RELEASE_API_KEY"));
    assert_eq!(
        (key.location.literal(), key.name.literal_str(), &key.prefix),
        (Some(&KeyLocation::Header), Some("X-API-Key"), &None)
    );
    let Auth::Basic(basic) = &zendesk.environment(Environment::Sandbox).unwrap().auth else { panic!("not basic") };
    assert_eq!(basic.username, conventional("ZENDESK_SANDBOX_USERNAME"));
    assert_eq!(basic.password, conventional("ZENDESK_SANDBOX_PASSWORD"));
}

#[test]
fn explicit_settings_are_kept() {
    let checked = good("full.yaml");
    let zendesk = checked.definitions.api("zendesk").unwrap();
    let Auth::Basic(basic) = &zendesk.environment(Environment::Sandbox).unwrap().auth else { panic!("not basic") };
    assert_eq!(basic.username, Setting::Literal("agent@acme.example".into()));
    assert_eq!(basic.password, explicit("ZENDESK_SANDBOX_PASSWORD"));
    let Auth::ApiKey(key) = &zendesk.environment(Environment::PreRelease).unwrap().auth else { panic!("not apiKey") };
    assert_eq!((key.name.literal_str(), &key.value), (Some("X-Api-Key"), &explicit("ZENDESK_STAGING_KEY")));
    let Auth::OAuth2(oauth) = &zendesk.environment(Environment::Live).unwrap().auth else { panic!("not oauth2") };
    assert_eq!(oauth.token_url, Setting::Literal("https://acme.zendesk.example/oauth/tokens".into()));
    assert_eq!(oauth.scope, Some(Setting::Literal("tickets:read tickets:write".into())));
    assert_eq!(oauth.credentials, Configured::Literal(CredentialsLocation::Body));
    let secrets: Vec<String> =
        zendesk.environment(Environment::Live).unwrap().auth.secrets().iter().map(|(f, _)| f.to_string()).collect();
    assert_eq!(secrets, ["client_secret"]);
}

#[test]
fn empty_prefixes_and_scope_mean_none() {
    let yaml = "api_integrations:
  - name: crm
    environments:
      sandbox:
        base_url: https://sandbox.crm.example
        auth_type: apiKey
        auth: { name: X-Key, prefix: \"\" }
      live:
        base_url: https://crm.example
        auth_type: oauth2
        auth: { header_name: X-Access-Token, token_prefix: \"\", scope: \"\" }
    operations: []
";
    let checked = parse_str("apis.yaml", yaml).unwrap_or_else(|d| panic!("a bare key or token is allowed:\n{d}"));
    let crm = checked.definitions.api("crm").unwrap();
    let Auth::ApiKey(key) = &crm.environment(Environment::Sandbox).unwrap().auth else { panic!("not apiKey") };
    assert_eq!(key.prefix.as_ref().and_then(Setting::literal_str), Some(""));
    let Auth::OAuth2(oauth) = &crm.environment(Environment::Live).unwrap().auth else { panic!("not oauth2") };
    assert_eq!(
        (oauth.token_prefix.literal_str(), oauth.scope.as_ref().and_then(Setting::literal_str)),
        (Some(""), Some(""))
    );
}

#[test]
fn every_auth_type_with_its_settings() {
    let checked = good("every_auth.yaml");
    let crm = checked.definitions.api("crm").unwrap();
    let Auth::ApiKey(key) = &crm.environment(Environment::PreRelease).unwrap().auth else { panic!("not apiKey") };
    assert_eq!((key.location.literal(), key.name.literal_str()), (Some(&KeyLocation::Query), Some("api_key")));
    assert_eq!(key.value, conventional("CRM_PRE_RELEASE_API_KEY"));
    let Auth::OAuth2(oauth) = &crm.environment(Environment::Live).unwrap().auth else { panic!("not oauth2") };
    assert_eq!(oauth.client_id, explicit("CRM_CLIENT"));
    assert_eq!(
        (oauth.header_name.literal_str(), oauth.token_prefix.literal_str()),
        (Some("X-Access-Token"), Some("Token"))
    );
    assert_eq!(oauth.client_secret, conventional("CRM_LIVE_CLIENT_SECRET"));
    let payments = checked.definitions.api("payments").unwrap();
    assert_eq!(payments.environment(Environment::Sandbox).unwrap().auth, Auth::None);
    let Auth::ApiKey(key) = &payments.environment(Environment::Live).unwrap().auth else { panic!("not apiKey") };
    assert_eq!(
        (key.name.literal_str(), key.prefix.as_ref().and_then(Setting::literal_str)),
        (Some("Authorization"), Some("Bearer"))
    );
}

#[test]
fn settings_that_are_not_credentials_may_name_secrets_too() {
    let checked = good("every_auth.yaml");
    let tickets = checked.definitions.api("tickets").unwrap();
    let secret_fields = |environment| -> Vec<(String, String)> {
        let auth = &tickets.environment(environment).unwrap().auth;
        auth.secrets().into_iter().map(|(field, secret)| (field.into_owned(), secret.name.to_string())).collect()
    };
    let named = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs.iter().map(|(field, name)| (field.to_string(), name.to_string())).collect()
    };
    assert_eq!(
        secret_fields(Environment::PreRelease),
        named(&[
            ("location", "TICKETS_KEY_LOCATION"),
            ("name", "TICKETS_KEY_NAME"),
            ("prefix", "TICKETS_KEY_PREFIX"),
            ("value", "TICKETS_PRE_RELEASE_API_KEY"),
        ])
    );
    let live = secret_fields(Environment::Live);
    assert_eq!(
        live[4..],
        named(&[
            ("credentials", "TICKETS_CREDENTIALS"),
            ("header_name", "TICKETS_HEADER"),
            ("token_prefix", "TICKETS_TOKEN_PREFIX"),
        ])
    );
    // a secret reference to a setting is checked like any other
    let bad = "api_integrations:
  - name: tickets
    environments:
      live:
        base_url: https://tickets.example
        auth_type: apiKey
        auth: { location: { secret: lower }, prefix: { secret: \"\" } }
";
    let errors = parse_str("apis.yaml", bad).expect_err("bad secret names");
    assert!(
        errors.to_string().contains("auth.location.secret` is not a valid secret name, which is upper-case"),
        "{errors}"
    );
    assert!(errors.to_string().contains("(like `TICKETS_LIVE_PREFIX`)"), "{errors}");
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
fn a_header_name_longer_than_the_http_client_sends_is_an_error() {
    // the runtime could never send it: every call would fail
    let name = "X".repeat(70_000);
    let yaml = format!(
        "api_integrations:
  - name: shop
    environments:
      live:
        base_url: https://shop.example
        auth_type: apiKey
        auth: {{ name: {name} }}
"
    );
    let errors = conv_api_definitions::parse_str("apis.yaml", &yaml).expect_err("too long to send");
    let message = errors.to_string();
    assert!(
        message.contains("is 70000 bytes long, more than an HTTP header name may be (65535); shorten it"),
        "{}",
        &message[..200]
    );
    let longest = yaml.replace(&name, &"X".repeat(65_535));
    conv_api_definitions::parse_str("apis.yaml", &longest).expect("the longest name the client sends");
}

#[test]
fn auth_may_not_name_a_header_the_http_client_writes() {
    // a key sent as `Host` or `Transfer-Encoding` would go where every proxy reads it, or frame the request
    let yaml = |auth_type: &str, auth: &str| {
        format!("api_integrations:\n  - name: a\n    environments:\n      live:\n        base_url: https://a.example\n        auth_type: {auth_type}\n        auth: {auth}\n")
    };
    assert_eq!(
        error_lines(&yaml("apiKey", "{ name: Host }")),
        ["apis.yaml:7:23: error: `api_integrations[0].environments.live.auth.name` is `Host`, a header the HTTP client writes from the request itself; name another one, like `X-API-Key`"]
    );
    assert_eq!(
        error_lines(&yaml("oauth2", "{ header_name: transfer-encoding }")),
        ["apis.yaml:7:30: error: `api_integrations[0].environments.live.auth.header_name` is `transfer-encoding`, a header the HTTP client writes from the request itself; name another one, like `Authorization`"]
    );
    // a query parameter may be called `host`
    parse_str("apis.yaml", &yaml("apiKey", "{ location: query, name: host }")).expect("a query parameter name");
}

#[test]
fn a_basic_username_with_a_colon_is_an_error() {
    let yaml = "api_integrations:
  - name: a
    environments:
      live: { base_url: \"https://a.example\", auth_type: basic, auth: { username: \"team:ops\" } }
    operations: []
";
    let lines: Vec<String> = parse_str("apis.yaml", yaml).unwrap_err().lines().collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with("apis.yaml:4:82: error: `api_integrations[0].environments.live.auth.username` holds `:`"),
        "{lines:?}"
    );
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
fn an_api_without_a_name_names_its_conventional_secrets_with_a_placeholder() {
    let yaml = "api_integrations:
  - environments:
      live:
        base_url: https://a.example
        auth_type: oauth2
        auth: { scope: [] }
    operations: []
";
    let found = error_lines(yaml);
    assert!(has_line(&found, &["auth.scope` must be text", "leave it out to read `<API>_LIVE_SCOPE`"]), "{found:#?}");
    assert!(!found.iter().any(|line| line.contains("`_LIVE")), "{found:#?}");
}

#[test]
fn a_character_that_shows_as_nothing_in_an_auth_name_or_prefix_is_an_error() {
    let file = |auth: &str| {
        format!("api_integrations:\n  - name: crm\n    environments:\n      sandbox:\n        base_url: https://sandbox.crm.example\n        auth_type: apiKey\n        auth: {auth}\n")
    };
    let told = "a character that shows as nothing (or reorders the text around it); remove it";
    for invisible in ['\u{200b}', '\u{feff}', '\u{202e}'] {
        let escaped = invisible.escape_default().to_string();
        for (auth, key) in [
            // in the query, where a name is not checked as a header's
            (format!("{{ location: query, name: \"api_key{invisible}\" }}"), "name"),
            (format!("{{ name: \"X-Key{invisible}\" }}"), "name"),
            (format!("{{ name: X-Key, prefix: \"Token{invisible}\" }}"), "prefix"),
        ] {
            let lines = error_lines(&file(&auth));
            let path = format!("`api_integrations[0].environments.sandbox.auth.{key}` holds `{escaped}`, {told}");
            assert!(has_line(&lines, &[&path]), "{lines:?}");
            assert!(!lines.iter().any(|line| line.contains(invisible)), "{lines:?}");
        }
    }
}

#[test]
fn a_prefix_beyond_latin1_is_an_error_as_no_header_can_carry_it() {
    let file = |auth: &str| {
        format!("api_integrations:\n  - name: crm\n    environments:\n      sandbox:\n        base_url: https://sandbox.crm.example\n        auth_type: apiKey\n        auth: {auth}\n")
    };
    let lines = error_lines(&file("{ name: X-Key, prefix: \"Ключ\" }"));
    let told = "`api_integrations[0].environments.sandbox.auth.prefix` holds `К` (U+041A), a character beyond Latin-1 (ISO-8859-1), which an HTTP header cannot carry";
    assert!(has_line(&lines, &[told]), "{lines:?}");
    // Latin-1 is one byte a character: sent as `requests` sends it
    assert!(parse_str("apis.yaml", &file("{ name: X-Key, prefix: \"Clé\" }")).is_ok());
}

/// `token_params:` adds parameters to the token request's form (Auth0's `audience`,
/// Entra ID v1's `resource`), literals or secret references, in the file's order.
#[test]
fn token_params_are_read_in_order_and_may_name_secrets() {
    let yaml = "api_integrations:\n  - name: crm\n    environments:\n      live:\n        base_url: https://crm.example\n        auth_type: oauth2\n        auth:\n          token_url: https://tenant.auth0.example/oauth/token\n          token_params: { audience: \"https://api.crm.example\", resource: { secret: CRM_RESOURCE } }\n    operations: []\n";
    let checked = parse_str("apis.yaml", yaml).unwrap_or_else(|d| panic!("{d}"));
    let live = checked.definitions.apis[0].environment(Environment::Live).unwrap();
    let Auth::OAuth2(oauth) = &live.auth else { panic!("{:?}", live.auth) };
    assert_eq!(oauth.token_params.len(), 2);
    assert_eq!(
        (oauth.token_params[0].0.as_ref(), &oauth.token_params[0].1),
        ("audience", &Setting::Literal("https://api.crm.example".into()))
    );
    assert_eq!((oauth.token_params[1].0.as_ref(), &oauth.token_params[1].1), ("resource", &explicit("CRM_RESOURCE")));
    let field = "token_params.resource".into();
    assert!(live.auth.secrets().contains(&(field, oauth.token_params[1].1.secret().unwrap())));
    // the model reads back as the macro embeds it
    let embedded = conv_api_definitions::canonical_json(&checked.definitions);
    let (again, diagnostics) = conv_api_definitions::parse_embedded("apis.yaml", &embedded);
    assert!(!diagnostics.has_errors(), "{diagnostics}");
    assert_eq!(again.apis[0].environment(Environment::Live).unwrap().auth, live.auth);
}

#[test]
fn token_params_may_not_set_the_forms_own_parameters_nor_hold_control_characters() {
    let file = |params: &str| {
        format!("api_integrations:\n  - name: crm\n    environments:\n      live:\n        base_url: https://crm.example\n        auth_type: oauth2\n        auth: {{ token_params: {params} }}\n")
    };
    let lines = error_lines(&file("{ grant_type: password, scope: read, audience: \"a\\nb\" }"));
    assert!(has_line(&lines, &["`api_integrations[0].environments.live.auth.token_params.grant_type`: the token request's `grant_type` is always `client_credentials`; remove it here"]), "{lines:?}");
    assert!(
        has_line(
            &lines,
            &["token_params.scope`: the token request's `scope` comes from the setting `scope`; set it there"]
        ),
        "{lines:?}"
    );
    assert!(has_line(&lines, &["token_params.audience` holds a control character; remove it"]), "{lines:?}");
    let lines = error_lines(&file("audience"));
    assert!(
        has_line(&lines, &["`api_integrations[0].environments.live.auth.token_params` must be a mapping"]),
        "{lines:?}"
    );
    // in another case or spelling too
    for (params, own) in
        [("{ Scope: read }", "scope"), ("{ GRANT_TYPE: password }", "grant_type"), ("{ client-id: a }", "client_id")]
    {
        assert!(has_line(&error_lines(&file(params)), &[&format!("the token request's `{own}`")]), "{params}");
    }
    // a credential goes in the store, its value never shown
    for (params, name) in [
        ("{ password: hunter2xyz }", "password"),
        ("{ Token: s3cr3tValue99 }", "Token"),
        ("{ api_key: abc123def456 }", "api_key"),
    ] {
        let lines = error_lines(&file(params));
        let told = format!("token_params.{name}` is named like a credential, and credentials never go in the definitions file; write `{{ secret: ");
        assert!(has_line(&lines, &[&told]), "{lines:?}");
        assert!(
            !lines.iter().any(|line| line.contains("hunter2xyz") || line.contains("s3cr3t") || line.contains("abc123")),
            "{lines:?}"
        );
    }
    assert!(parse_str("apis.yaml", &file("{ api_key: { secret: KEY } }")).is_ok());
    // nothing to leave out and read instead: a value is given, or the parameter removed
    for (params, told) in [
        ("{ audience: \"\" }", "token_params.audience` is empty; give it a value, or remove the parameter"),
        ("{ audience: ~ }", "token_params.audience` is null; give it a value, or remove the parameter"),
        ("{ audience: null }", "token_params.audience` is null"),
        ("{ audience: [a, b] }", "token_params.audience` must be text or a `{ secret: NAME }`, found a list"),
    ] {
        assert!(has_line(&error_lines(&file(params)), &[told]), "{:?}", error_lines(&file(params)));
    }
    // a key pasted where a name goes is never shown
    let pasted = "sk_live_51HqLyjWDarjtT1zdp7dc";
    let lines = error_lines(&file(&format!("{{ {pasted}: }}")));
    assert!(has_line(&lines, &["token_params.<a name not shown: it may be a secret>` is null"]), "{lines:?}");
    assert!(!lines.iter().any(|line| line.to_ascii_lowercase().contains("51hqlyj")), "{lines:?}");
    let lines = error_lines(&file("{ AKIAIOSFODNN7EXAMPLE: }"));
    assert!(has_line(&lines, &["token_params.<a name not shown: it may be a secret>` is null"]), "{lines:?}");
    // a name's version number is no key
    let lines = error_lines(&file("{ api_version2: ~, oauth2-v1: ~, _private: ~ }"));
    for name in ["api_version2", "oauth2-v1", "_private"] {
        assert!(has_line(&lines, &[&format!("token_params.{name}` is null")]), "{lines:?}");
    }
    // another type's setting
    let basic = file("{ audience: a }").replace("auth_type: oauth2", "auth_type: basic");
    assert!(has_line(&error_lines(&basic), &["token_params"]), "{:?}", error_lines(&basic));
}

/// A secret written in the file is told to be a reference, named as the field left
/// out would be read; an API without a valid name has no such name, and is told to
/// write one of its own, never one built from a placeholder (`API__LIVE_API_KEY`).
#[test]
fn a_written_secret_is_told_a_reference_it_can_write() {
    let file = |name: &str| {
        format!("api_integrations:\n  - {name}environments:\n      live: {{ base_url: \"https://x.example\", auth_type: apiKey, auth: {{ value: k }} }}\n")
    };
    let own = "write `{ secret: NAME }` (NAME of your own: capitals, digits and `_`, from a capital) and put the value in the secret store";
    // an invalid name is read as the valid one it is told to be, else it is a placeholder
    let lines = error_lines(&file("name: \"---\"\n    "));
    assert!(has_line(&lines, &[own, "or leave the field out to read `<API>_LIVE_API_KEY`"]), "{lines:?}");
    let lines = error_lines(&file("name: 9crm\n    "));
    assert!(has_line(&lines, &["(like `_9crm`)"]), "{lines:?}");
    assert!(has_line(&lines, &[own, "or leave the field out to read `_9CRM_LIVE_API_KEY`"]), "{lines:?}");
    let lines = error_lines(&file("name: Zen-desk\n    "));
    assert!(has_line(&lines, &["(like `zen_desk`)"]), "{lines:?}");
    assert!(has_line(&lines, &["`{ secret: ZEN_DESK_LIVE_API_KEY }`", "to read `ZEN_DESK_LIVE_API_KEY`"]), "{lines:?}");
    let lines = error_lines(&file("name: _\n    "));
    assert!(has_line(&lines, &["`{ secret: API_LIVE_API_KEY }`", "to read `API_LIVE_API_KEY`"]), "{lines:?}");
    let lines = error_lines(&file("name: \"ftp://x.example\"\n    "));
    assert!(!lines.iter().any(|line| line.contains("FTP://")), "{lines:?}");
    let lines = error_lines(&file(""));
    assert!(has_line(&lines, &[own, "or leave the field out to read `<API>_LIVE_API_KEY`"]), "{lines:?}");
    assert!(!lines.iter().any(|line| line.contains("API__LIVE")), "{lines:?}");
    let lines = error_lines(&file("name: crm\n    "));
    assert!(has_line(&lines, &["write `{ secret: CRM_LIVE_API_KEY }` and put the value in the secret store, or leave the field out to read `CRM_LIVE_API_KEY`"]), "{lines:?}");
}

#[test]
fn a_token_url_that_is_no_url_is_shown_how_a_token_url_is_written() {
    let yaml = "api_integrations:\n  - name: crm\n    environments:\n      live:\n        base_url: https://crm.example\n        auth_type: oauth2\n        auth: { token_url: /oauth/token }\n";
    let lines = error_lines(yaml);
    let told = "`api_integrations[0].environments.live.auth.token_url` is `/oauth/token`, not an absolute URL (no scheme such as `https://`); write it like `https://auth.example.com/oauth/token`";
    assert!(has_line(&lines, &[told]), "{lines:?}");
}

/// `name` defaults to `X-API-Key`, a header's name, in the query too: valid, as
/// DEFINITIONS.md says, but seldom what an API reads there.
#[test]
fn an_api_key_in_the_query_without_a_name_gets_a_warning() {
    let file = |auth: &str| {
        format!("api_integrations:\n  - name: maps\n    environments:\n      live:\n        base_url: https://maps.example\n        auth_type: apiKey\n        auth: {{ {auth} }}\n")
    };
    assert_eq!(
        warning_lines(&file("location: query")),
        ["apis.yaml:7:27: warning: `api_integrations[0].environments.live.auth.location` is `query` and `name` is left out, so the key is sent as `?X-API-Key=..`, the default name of a header, which few APIs read in a query; give the query parameter's `name` (like `api_key` or `key`)"]
    );
    for named in ["location: query, name: key", "location: query, name: { secret: MAPS_KEY_NAME }", "location: header"]
    {
        assert!(warning_lines(&file(named)).is_empty(), "{named}");
    }
}

#[test]
fn an_environment_variable_written_as_a_setting_is_told_the_secret_reference_that_reads_it() {
    let file = |auth_type: &str, auth: &str| {
        format!("api_integrations:\n  - name: crm\n    environments:\n      live:\n        base_url: https://crm.example\n        auth_type: {auth_type}\n        auth: {{ {auth} }}\n")
    };
    let at = "`api_integrations[0].environments.live.auth";
    let reads = |name: &str| {
        format!(
            "write `{{ secret: {name} }}`, which the default secret store reads from the environment variable `{name}`"
        )
    };
    // a secret's setting: an error, which may show the variable, a name and not a value
    let lines = error_lines(&file("basic", "password: \"${CRM_PASSWORD}\""));
    let told = format!("apis.yaml:7:27: error: {at}.password` is `${{CRM_PASSWORD}}`, an environment variable, which the file does not expand; {}", reads("CRM_PASSWORD"));
    assert_eq!(lines, [told]);
    let lines = error_lines(&file("apiKey", "value: $CRM_KEY"));
    assert!(has_line(&lines, &["is `$CRM_KEY`, an environment variable", &reads("CRM_KEY")]), "{lines:?}");
    // a token URL is no URL so: an error
    let lines = error_lines(&file("oauth2", "token_url: \"${CRM_TOKEN_URL}\""));
    let told = format!("apis.yaml:7:28: error: {at}.token_url` is `${{CRM_TOKEN_URL}}`, an environment variable, which the file does not expand; {}", reads("CRM_TOKEN_URL"));
    assert_eq!(lines, [told]);
    // another setting is valid text, sent as written: a warning
    let warnings = warning_lines(&file("oauth2", "client_id: \"${CRM_CLIENT}\", scope: $CRM_SCOPE"));
    assert_eq!(
        warnings,
        [
            format!("apis.yaml:7:28: warning: {at}.client_id` is `${{CRM_CLIENT}}`, which is sent as written: the file expands no environment variable; {}", reads("CRM_CLIENT")),
            format!("apis.yaml:7:52: warning: {at}.scope` is `$CRM_SCOPE`, which is sent as written: the file expands no environment variable; {}", reads("CRM_SCOPE")),
        ]
    );
    // header text too: an API key's name and prefix, a token's header and prefix
    let warnings = warning_lines(&file("apiKey", "name: $CRM_HEADER, prefix: \"${CRM_PREFIX}\""));
    assert!(
        has_line(&warnings, &["auth.name` is `$CRM_HEADER`, which is sent as written", &reads("CRM_HEADER")]),
        "{warnings:?}"
    );
    assert!(
        has_line(&warnings, &["auth.prefix` is `${CRM_PREFIX}`, which is sent as written", &reads("CRM_PREFIX")]),
        "{warnings:?}"
    );
    let warnings = warning_lines(&file("oauth2", "token_prefix: $CRM_TOKEN_PREFIX"));
    assert!(has_line(&warnings, &["auth.token_prefix` is `$CRM_TOKEN_PREFIX`"]), "{warnings:?}");
    // a `$` before what is no secret's name is not a variable, nor one in a value's middle
    let lines = error_lines(&file("basic", "password: \"$hunter2\""));
    assert!(has_line(&lines, &["is a secret, and secrets never go in the definitions file"]), "{lines:?}");
    assert!(!lines.iter().any(|line| line.contains("hunter2")), "{lines:?}");
    assert!(warning_lines(&file("basic", "username: \"agent$CRM\""))[..].is_empty());
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

/// Latin-1 ends at U+00FF: `ÿ` is the last character a header carries, `Ā` (U+0100)
/// the first it cannot (the existing tests use `é` and `К`, far from the edge).
#[test]
fn latin1_ends_at_u_00ff_in_a_prefix() {
    let file = |prefix: &str| {
        format!("api_integrations:\n  - name: crm\n    environments:\n      sandbox:\n        base_url: https://sandbox.crm.example\n        auth_type: apiKey\n        auth: {{ name: X-Key, prefix: \"{prefix}\" }}\n")
    };
    assert!(parse_str("apis.yaml", &file("Key\u{ff}")).is_ok());
    let lines = error_lines(&file("Key\u{100}"));
    assert!(has_line(&lines, &["`api_integrations[0].environments.sandbox.auth.prefix` holds `\u{100}` (U+0100), a character beyond Latin-1"]), "{lines:?}");
}

/// A header name of exactly 65535 bytes is not too long: when it is no header name,
/// the reason is its characters, not its length.
#[test]
fn a_header_name_at_the_length_limit_is_told_of_its_characters() {
    let name = format!("{} X", "X".repeat(65_533));
    assert_eq!(name.len(), 65_535);
    let yaml = format!("api_integrations:\n  - name: crm\n    environments:\n      sandbox:\n        base_url: https://sandbox.crm.example\n        auth_type: apiKey\n        auth: {{ name: \"{name}\" }}\n");
    let lines = error_lines(&yaml);
    assert!(
        lines.len() == 1 && lines[0].contains("is not a valid HTTP header name"),
        "{:?}",
        lines.iter().map(|l| l.chars().take(300).collect::<String>()).collect::<Vec<_>>()
    );
    assert!(!lines[0].contains("bytes long"));
}

/// An `oauth2` environment of API `crm` whose `auth:` is `auth` (flow style).
fn oauth2_with(auth: &str) -> String {
    format!("api_integrations:\n  - name: crm\n    environments:\n      live:\n        base_url: https://crm.example\n        auth_type: oauth2\n        auth: {auth}\n")
}

/// The `live` auth of the file's first API.
fn live_auth(yaml: &str) -> Auth {
    let checked = parse_str("apis.yaml", yaml).unwrap_or_else(|d| panic!("rejected:\n{d}"));
    checked.definitions.apis[0].environment(Environment::Live).unwrap().auth.clone()
}

/// A `token_params:` name that is empty, or holds a control character, is an error
/// (each alone: the check is "empty OR holds a control character").
#[test]
fn a_token_param_name_that_is_empty_or_holds_a_control_character_is_an_error() {
    for params in ["{ \"\": audience }", "{ \"aud\\tience\": x }"] {
        let lines = error_lines(&oauth2_with(&format!("{{ token_params: {params} }}")));
        assert!(
            has_line(&lines, &["`api_integrations[0].environments.live.auth.token_params` has a parameter name that is empty or holds a control character; name it like `audience`"]),
            "{params}: {lines:?}"
        );
    }
}

/// model/auth.rs: `required` is "Whether the runtime fails without it (only an unset
/// `scope` is optional)"; DEFINITIONS.md marks only the conventional name of `scope`
/// "(optional)". A `scope: { secret: NAME }` written in the file is required.
#[test]
fn a_scope_named_in_the_file_is_a_required_secret() {
    let Auth::OAuth2(oauth) = live_auth(&oauth2_with("{ scope: { secret: CRM_SCOPE } }")) else { panic!("not oauth2") };
    assert_eq!(
        oauth.scope,
        Some(Setting::Secret(SecretRef {
            name: "CRM_SCOPE".to_string().into(),
            source: SecretSource::Explicit,
            required: true
        }))
    );
}

/// A token parameter named like a credential takes only a secret reference, by
/// either test: a known credential query parameter (`password`, `api_key`: the
/// existing test's names are both), or a name holding a secret's word, like
/// RFC 8693's `subject_token` or a `private_key`, which no query list holds.
#[test]
fn a_token_param_holding_a_secrets_word_takes_only_a_secret_reference() {
    for name in ["subject_token", "private_key"] {
        let lines = error_lines(&oauth2_with(&format!("{{ token_params: {{ {name}: Zq8Wc3Lm5Tn7 }} }}")));
        let told = format!("`api_integrations[0].environments.live.auth.token_params.{name}` is named like a credential, and credentials never go in the definitions file; write `{{ secret: CRM_LIVE_");
        assert!(has_line(&lines, &[&told]), "{lines:?}");
        assert!(!lines.iter().any(|line| line.contains("Zq8Wc3Lm5Tn7")), "{lines:?}");
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

/// "secrets never go in the file, whatever the type" (read/auth/keys.rs): a key
/// that seems to mean another type's secret setting is checked as that secret even
/// when it holds a `:` (`pass:word`, a slip for `password`) whose left part is no
/// setting, so is no setting glued to its value.
/// glued-key test of `check_other_types_secrets`).
#[test]
fn a_key_with_a_colon_that_means_another_types_secret_is_checked_as_that_secret() {
    let yaml = "api_integrations:\n  - name: crm\n    environments:\n      live:\n        base_url: https://crm.example\n        auth_type: apiKey\n        auth: { \"pass:word\": hunter2xyz }\n";
    let lines = error_lines(yaml);
    assert!(
        has_line(&lines, &["`api_integrations[0].environments.live.auth.pass:word` is a secret, and secrets never go in the definitions file"]),
        "{lines:#?}"
    );
    assert!(!lines.iter().any(|line| line.contains("hunter2xyz")), "{lines:#?}");
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

/// A header's name written as a key of an `oauth2` block (`X-Auth-Token: ..`) is
/// told where a header's name goes, as in an `apiKey` block; in a `basic` block it
/// is an unknown key, not shown. The fix told for `oauth2` is its own (`header_name`),
/// not the `apiKey` one, which would give two errors more.
#[test]
fn a_header_name_written_as_a_key_of_an_oauth2_block_is_told_where_it_goes() {
    let lines = error_lines(&oauth2_with("{ X-Auth-Token: abc }"));
    assert_eq!(
        lines,
        ["apis.yaml:7:17: error: unknown key `X-Auth-Token` in `api_integrations[0].environments.live.auth`; the header that carries the token is named by `header_name`: write `header_name: X-Auth-Token` (for a fixed key in that header, write `auth_type: apiKey` and `name: X-Auth-Token`)"]
    );
    // as told, it is valid
    let told = oauth2_with("{ header_name: X-Auth-Token }");
    assert!(parse_str("apis.yaml", &told).is_ok(), "{told}");
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

/// An unknown key of an `apiKey` block is told "a header's name goes in `name`" only
/// when it reads like a header's name (`Authorization`, or capitalized words of
/// letters joined by `-`); any other key like no setting is never shown, as it may be
/// a secret that lost its key: one word (`Passphrase`), letters and digits
/// (`Kv4sWn8jHd2yQe`, `Kv4s-Wn8j`).
/// :295 `key == "Authorization"` -> `!=`, :295 `key.contains('-') && ..` -> `||`.
#[test]
fn only_a_key_like_a_header_name_is_shown_and_told_to_go_in_name() {
    let file = |key: &str| {
        format!("api_integrations:\n  - name: crm\n    environments:\n      live:\n        base_url: https://crm.example\n        auth_type: apiKey\n        auth: {{ {key}: x }}\n")
    };
    for key in ["Kv4sWn8jHd2yQe", "Kv4s-Wn8j", "Passphrase"] {
        assert_eq!(
            error_lines(&file(key)),
            ["apis.yaml:7:17: error: unknown key (not shown: it may be a secret) in `api_integrations[0].environments.live.auth`; the `apiKey` settings are `location`, `name`, `prefix` and `value`"],
            "{key}"
        );
    }
    for key in ["Authorization", "X-Api-Key"] {
        assert_eq!(
            error_lines(&file(key)),
            [format!("apis.yaml:7:17: error: unknown key `{key}` in `api_integrations[0].environments.live.auth`; a header's name goes in `name`: write `name: {key}`, and the key as `value: {{ secret: NAME }}`")]
        );
    }
}

/// A non-secret setting holding another tool's placeholder (`{{username}}`, `${{
/// secrets.X }}`, `%X%`, `Bearer $TOKEN`), or a secret reference in quotes, is sent as
/// written: a warning, which the macro reports too; a URL holding one is an error.
#[test]
fn a_placeholder_of_another_tool_in_a_setting_is_told_it_is_sent_as_written() {
    let file = |auth: &str| {
        format!("api_integrations:\n  - name: crm\n    environments:\n      live:\n        base_url: https://crm.example\n        {auth}\n")
    };
    let basic = |username: &str| file(&format!("auth_type: basic\n        auth: {{ username: \"{username}\" }}"));
    for (username, shown) in [
        ("{{username}}", "{{username}}"),
        ("${{ secrets.CRM_USER }}", "${{ secrets.CRM_USER }}"),
        ("%CRM_USER%", "%CRM_USER%"),
    ] {
        let checked = parse_str("apis.yaml", &basic(username)).unwrap();
        let lines: Vec<String> = checked.warnings.lines().collect();
        let told = format!("`api_integrations[0].environments.live.auth.username` holds `{shown}`, a variable as another tool writes it, which is sent as written");
        assert!(has_line(&lines, &[&told, "`{ secret: NAME }`"]), "{lines:?}");
        assert!(checked.warnings.items.iter().all(|d| d.macro_warning == Some(MacroWarning::ForeignVariable)));
    }
    assert!(warning_lines(&basic("agent-7")).is_empty());
    // the `:` of a reference in quotes or a default is that warning's, not Basic auth's error
    for username in ["{ secret: CRM_USER }", "${CRM_USER:-agent}"] {
        let checked = parse_str("apis.yaml", &basic(username)).unwrap_or_else(|d| panic!("{username}: {d}"));
        assert_eq!(checked.warnings.items.len(), 1, "{username}");
    }
    // a shell's `$LATEST` in a URL may be the API's own word: written `%24LATEST`
    let lambda =
        file("auth_type: none").replace("https://crm.example", "https://lambda.example/functions/orders:$LATEST");
    assert!(has_line(
        &error_lines(&lambda),
        &["holds `$LATEST`, a variable to fill in", "write its `$` as `%24` (`%24LATEST`)"]
    ));
    assert!(parse_str("apis.yaml", &lambda.replace("$LATEST", "%24LATEST")).is_ok());
    // percent-encoded text is no `%NAME%`
    let encoded = file("auth_type: none").replace("https://crm.example", "https://crm.example/%E5%B9%B42024%E5%B9%B4/");
    assert!(parse_str("apis.yaml", &encoded).is_ok());
    let oauth = |settings: &str| {
        file(&format!("auth_type: oauth2\n        auth: {{ token_url: \"https://id.example/token\", client_secret: {{ secret: CS }}, {settings} }}"))
    };
    let lines = warning_lines(&oauth("client_id: \"{ secret: CRM_CLIENT_ID }\""));
    assert!(
        has_line(
            &lines,
            &["auth.client_id` is a secret reference in quotes", "remove the quotes: `{ secret: CRM_CLIENT_ID }`"]
        ),
        "{lines:?}"
    );
    let lines = warning_lines(&oauth("client_id: agent, token_params: { audience: \"${AUDIENCE}\" }"));
    assert!(
        has_line(&lines, &["auth.token_params.audience` is `${AUDIENCE}`", "write `{ secret: AUDIENCE }`"]),
        "{lines:?}"
    );
    let key = file("auth_type: apiKey\n        auth: { name: Authorization, prefix: Bearer $TOKEN }");
    assert!(has_line(&warning_lines(&key), &["auth.prefix` holds `$TOKEN`"]), "{:?}", warning_lines(&key));
    // a URL holding one cannot work
    let lines = error_lines(
        &oauth("client_id: agent, token_url: \"{{tokenUrl}}\"")
            .replace("token_url: \"https://id.example/token\", ", ""),
    );
    assert!(has_line(&lines, &["auth.token_url` holds `{{tokenUrl}}`, a variable to fill in"]), "{lines:?}");
    let lines = error_lines(&file("auth_type: none").replace("https://crm.example", "https://${{ env.HOST }}/v1"));
    assert!(
        has_line(&lines, &["base_url` holds `${{ env.HOST }}`, a variable to fill in", "`.base_url(api, url)`"]),
        "{lines:?}"
    );
}

/// An API key written with its scheme, as curl sends it (`Bearer sk_..`), is told to
/// keep the scheme in `prefix`; Postman's `key:` beside a `value` is the header's
/// `name`; `token` under a bearer `auth_type` is an API key's `value`.
#[test]
fn api_key_habits_of_curl_and_postman_are_told_where_each_part_goes() {
    let file = |auth_type: &str, auth: &str| {
        format!("api_integrations:\n  - name: gh\n    environments:\n      live:\n        base_url: https://api.gh.example\n        auth_type: {auth_type}\n        auth: {auth}\n")
    };
    let lines =
        error_lines(&file("apiKey", "{ name: Authorization, value: Bearer ghp_16C7e42F292c6912E7710c838347Ae178B4a }"));
    assert!(
        has_line(&lines, &["auth.value` is a secret", "the `Bearer` before the key goes in `prefix: Bearer`"]),
        "{lines:?}"
    );
    assert!(!lines.iter().any(|line| line.contains("ghp_")), "{lines:?}");
    let lines = error_lines(&file("apiKey", "{ key: X-Api-Key, value: { secret: GH_KEY }, in: header }"));
    assert!(has_line(&lines, &["unknown key `key`", "this format calls it `name`"]), "{lines:?}");
    // so under an auth type that takes no settings
    let lines = error_lines(&file("none", "{ key: X-Api-Key, value: { secret: GH_KEY } }"));
    assert!(has_line(&lines, &["unknown key `key`", "did you mean `name` (a setting of auth type"]), "{lines:?}");
    let lines = error_lines(&file("bearer", "{ token: { secret: GH_TOKEN } }"));
    assert!(
        has_line(&lines, &["unknown key `token`", "did you mean `value` (a setting of auth type `apiKey`)?"]),
        "{lines:?}"
    );
    // Postman keys a block's settings by its type's name, which is no secret to hide
    let postman = file("none", "{ type: bearer, bearer: [{ key: token, value: \"{{token}}\" }] }");
    assert!(has_line(&error_lines(&postman), &["unknown key `bearer`"]), "{:?}", error_lines(&postman));
}

/// A `basic` environment of API `crm` whose password is `{ secret: "<name>" }`.
fn password_secret_named(name: &str) -> String {
    format!("api_integrations:\n  - name: crm\n    environments:\n      live:\n        base_url: https://crm.example\n        auth_type: basic\n        auth: {{ username: agent, password: {{ secret: \"{name}\" }} }}\n")
}

/// names/mod.rs `may_be_a_secret_value`: hidden are "upper-case ones of digits alone
/// (a PIN), a quarter or more digits (a UUID, a licence key ...)"; "Shown are the
/// names of an environment variable's style that break the rule otherwise": a
/// one-digit name (digits alone), a name with a quarter of digits in short words
/// (no key-like word), each by one test alone, and an environment variable's name
/// with a long word of letters alone (shown).
#[test]
fn which_invalid_secret_names_are_shown_and_which_may_be_the_secret_itself() {
    let hidden = "`api_integrations[0].environments.live.auth.password.secret` is not a valid secret name, which is upper-case letters, digits and `_`, starting with a letter (like `CRM_LIVE_PASSWORD`): write the name the store has the secret under, and put its value there (what is written is not shown: it may be the secret itself)";
    for name in ["7", "AB12-CD34-EF"] {
        let lines = error_lines(&password_secret_named(name));
        assert!(has_line(&lines, &[hidden]), "{name}: {lines:?}");
        assert!(lines.iter().all(|line| !line.contains(&format!("`{name}`"))), "{name} is shown: {lines:?}");
    }
    let lines = error_lines(&password_secret_named("ZENDESK-PRERELEASEAPIKEY"));
    let shown = "`api_integrations[0].environments.live.auth.password.secret` is `ZENDESK-PRERELEASEAPIKEY`, not a valid secret name; use upper-case letters, digits and `_`, starting with a letter (like `ZENDESK_PRERELEASEAPIKEY`)";
    assert!(has_line(&lines, &[shown]), "{lines:?}");
}

/// names/mod.rs `is_plain_word`: "parts joined by `_`, `-` or `.`, each letters then
/// maybe digits; anything else (`sk_live_51Hq..`) may be a key pasted where a name
/// goes, never shown": a part of digits alone is no word, so a token parameter named
/// `acct_51234567` is not shown.
#[test]
fn a_token_param_name_with_a_part_of_digits_alone_is_not_shown() {
    use conv_api_definitions::names::is_plain_word;
    use conv_api_definitions::OAuth2Auth;
    assert!(!is_plain_word("acct_51234567"));
    assert_eq!(OAuth2Auth::token_param_field("acct_51234567"), "token_params");
    assert_eq!(OAuth2Auth::token_param_field("api-version2"), "token_params.api-version2");
}

/// An OAuth2 API whose `auth:` holds `settings` besides its token URL and client
/// secret.
fn oauth2_beside_client(settings: &str) -> String {
    format!("api_integrations:\n  - name: crm\n    environments:\n      live:\n        base_url: https://crm.example\n        auth_type: oauth2\n        auth: {{ token_url: \"https://id.example/token\", client_id: agent, client_secret: {{ secret: CS }}, {settings} }}\n")
}

/// docs/diagnostics.md: a setting holding "another tool's placeholder anywhere in it
/// (`{{username}}`, ...)" is warned of; a placeholder in braces opens with two. A JSON
/// value (OpenID Connect's `claims` token parameter) ends in `}}` but opens with one
/// brace: it is sent as written, with no warning.
#[test]
fn a_json_value_in_a_setting_is_no_placeholder() {
    let json = oauth2_beside_client(r#"token_params: { claims: '{"userinfo":{"email":null}}' }"#);
    assert_eq!(warning_lines(&json), Vec::<String>::new());
    // while `{{name}}` anywhere in it still is one
    let postman = oauth2_beside_client(r#"token_params: { claims: '{"userinfo":{{claims}}}' }"#);
    assert!(
        has_line(&warning_lines(&postman), &["token_params.claims` holds `{{claims}}`"]),
        "{:?}",
        warning_lines(&postman)
    );
}

/// A placeholder names what fills it in (`${NAME}`, `${NAME:-default}`): empty braces
/// after a `$` name nothing, as `{}` and `{{}}` do not (variable_syntax's own test),
/// and a setting holding them is sent as written without a warning.
#[test]
fn empty_dollar_braces_in_a_setting_are_no_placeholder() {
    assert_eq!(warning_lines(&oauth2_beside_client("scope: \"read ${}\"")), Vec::<String>::new());
    let named = warning_lines(&oauth2_beside_client("scope: \"read ${SCOPE:-all}\""));
    assert!(has_line(&named, &["auth.scope` holds `${SCOPE:-all}`"]), "{named:?}");
}

/// Windows' `%X%` is a placeholder when `X` is a secret's kind of name of two
/// characters or more, as a shell's `$X` is; text between two `%` signs that is no
/// such name (`50% off, 20% more`, `%ab%`) is none, and is sent as written.
#[test]
fn text_between_two_percent_signs_is_a_placeholder_only_when_it_is_a_name() {
    for scope in ["50% off, 20% more", "%ab% and %cd%"] {
        assert_eq!(
            warning_lines(&oauth2_beside_client(&format!("scope: \"{scope}\""))),
            Vec::<String>::new(),
            "{scope}"
        );
    }
    for name in ["CRM_SCOPE", "ID"] {
        let windows = warning_lines(&oauth2_beside_client(&format!("scope: \"%{name}%\"")));
        assert!(has_line(&windows, &[&format!("auth.scope` holds `%{name}%`")]), "{windows:?}");
    }
}

/// The `%24` hint is for "a shell's `$NAME` among what is told a variable" (an API's
/// own word, AWS Lambda's `$LATEST`), "else nothing": a URL holding `{{tokenUrl}}`,
/// `${{ env.HOST }}` or `${HOST}` is told only to write the URL.
#[test]
fn only_a_shell_variable_in_a_url_is_told_it_may_be_the_apis_own_word() {
    let none = |url: &str| {
        format!("api_integrations:\n  - name: crm\n    environments:\n      live:\n        base_url: \"{url}\"\n        auth_type: none\n")
    };
    for (url, shown) in
        [("https://${{ env.HOST }}/v1", "${{ env.HOST }}"), ("https://crm.example/${VERSION}/x", "${VERSION}")]
    {
        let lines = error_lines(&none(url));
        assert!(has_line(&lines, &[&format!("holds `{shown}`, a variable to fill in")]), "{lines:?}");
        assert!(lines.iter().all(|line| !line.contains("%24")), "{lines:?}");
    }
    let lines = error_lines(&none("https://lambda.example/functions/orders:$LATEST"));
    assert!(has_line(&lines, &["holds `$LATEST`", "write its `$` as `%24` (`%24LATEST`)"]), "{lines:?}");
    let token_url = oauth2_beside_client("scope: all").replace("\"https://id.example/token\"", "\"{{tokenUrl}}\"");
    let lines = error_lines(&token_url);
    assert!(has_line(&lines, &["auth.token_url` holds `{{tokenUrl}}`, a variable to fill in"]), "{lines:?}");
    assert!(lines.iter().all(|line| !line.contains("%24")), "{lines:?}");
}
