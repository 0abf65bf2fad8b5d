//! Secret references and secret names: literals where a secret goes, the names
//! a reference may take, and what is told to whoever writes a secret in the file.

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
