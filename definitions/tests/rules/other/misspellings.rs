//! Unknown and misspelt keys: what is suggested, the errors a misspelling does
//! not hide, and every error reported in file order.

use super::*;

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

#[test]
fn unknown_operation_key_suggests_method() {
    expect(
        "unknown_key_metod.yaml",
        &[(7, 9, &["unknown key `metod`", "`api_integrations[0].operations[0]`", "did you mean `method`?"])],
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
