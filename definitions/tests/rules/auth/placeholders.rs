//! Placeholders of other tools (`${VAR}`, `{{var}}`, `%VAR%`...) in a setting or
//! URL, told they are sent as written, and the text that is no placeholder.

use super::*;

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
