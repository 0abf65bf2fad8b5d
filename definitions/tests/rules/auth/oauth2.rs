//! The OAuth 2.0 token request: `token_params:`, the token URL, the scope, and
//! its fields written where settings go.

use super::*;

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

#[test]
fn a_token_url_that_is_no_url_is_shown_how_a_token_url_is_written() {
    let yaml = "api_integrations:\n  - name: crm\n    environments:\n      live:\n        base_url: https://crm.example\n        auth_type: oauth2\n        auth: { token_url: /oauth/token }\n";
    let lines = error_lines(yaml);
    let told = "`api_integrations[0].environments.live.auth.token_url` is `/oauth/token`, not an absolute URL (no scheme such as `https://`); write it like `https://auth.example.com/oauth/token`";
    assert!(has_line(&lines, &[told]), "{lines:?}");
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
