//! One bad fixture per rule of DEFINITIONS.md, with its exact diagnostics, and
//! good fixtures (the spec's example, every auth type, the ADK shape) with their model.

use std::path::PathBuf;
use std::time::Duration;

use conv_api_definitions::{
    parse_bytes, parse_str, Auth, Checked, Configured, CredentialsLocation, Diagnostic, Environment, KeyLocation,
    Method, SecretRef, SecretSource, Setting,
};

fn fixture(kind: &str, name: &str) -> (String, Vec<u8>) {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "fixtures", kind, name].iter().collect();
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    (name.to_string(), bytes)
}

/// The errors of a bad fixture, in file order.
fn errors(name: &str) -> Vec<Diagnostic> {
    let (file, bytes) = fixture("bad", name);
    match parse_bytes(&file, &bytes) {
        Ok(_) => panic!("{name} was accepted, but it breaks a rule"),
        Err(diagnostics) => diagnostics.errors().cloned().collect(),
    }
}

/// A good fixture, checked.
fn good(name: &str) -> Checked {
    let (file, bytes) = fixture("good", name);
    parse_bytes(&file, &bytes).unwrap_or_else(|d| panic!("{name} was rejected:\n{d}"))
}

/// Asserts the fixture's errors are exactly `expected`: line, column and words of each message.
fn expect(name: &str, expected: &[(u32, u32, &[&str])]) {
    let found = errors(name);
    let shown: Vec<String> = found.iter().map(|d| d.render(name)).collect();
    assert_eq!(found.len(), expected.len(), "{name}: expected {} errors, found:\n{}", expected.len(), shown.join("\n"));
    for (diagnostic, (line, column, words)) in found.iter().zip(expected) {
        let rendered = diagnostic.render(name);
        assert_eq!((diagnostic.span.line, diagnostic.span.column), (*line, *column), "{rendered}");
        for word in *words {
            assert!(diagnostic.message.contains(word), "`{word}` is not in: {rendered}");
        }
    }
}

// ---- Names ----

#[test]
fn api_name_must_match_the_pattern() {
    expect(
        "api_name_pattern.yaml",
        &[(2, 11, &["`api_integrations[0].name`", "`Zendesk`", "not a valid API name", "`zendesk`"])],
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
            19,
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
            (12, 17, &["`api_integrations[1].operations[3].name`", "`Self`", never, "(like `self_`)"]),
            (13, 17, &["`api_integrations[1].operations[4].name`", "`_`", never, "(like `call`)"]),
            (14, 51, &["`api_integrations[1].operations[5].resource`", "at character 9", "variable `self`", never]),
        ],
    );
}

#[test]
fn raw_keywords_are_accepted_as_names() {
    let checked = good("names_and_resources.yaml");
    let api = checked.definitions.api("_internal").unwrap();
    assert_eq!(api.operation("type").unwrap().resource.variables.as_ref(), ["match"]);
    assert!(api.operation("move").is_some());
    assert_eq!(checked.warnings.items.len(), 0, "{}", checked.warnings);
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
fn a_suggested_snake_case_name_is_never_one_already_taken() {
    let yaml = "api_integrations:\n  - name: crm\n    environments: { sandbox: {} }\n    operations:\n      - { name: get, method: GET, resource: /a }\n      - { name: Get, method: GET, resource: \"/c/{userId}/{user_id}\" }\n";
    let checked = parse_str("apis.yaml", yaml).unwrap();
    let lines: Vec<String> = checked.warnings.lines().collect();
    assert!(lines[0].contains("operation `Get` is not snake_case; `get` is taken, so consider `get_2`"), "{lines:?}");
    assert!(
        lines[1].contains("variable `userId` is not snake_case; `user_id` is taken, so consider `user_id_2`"),
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
            &["`api_integrations[0].operations[1].name`", "`ticket`", "already defined at line 6", "rename one"],
        )],
    );
}

#[test]
fn names_are_unique_even_when_an_entry_has_errors() {
    expect(
        "duplicate_names_with_errors.yaml",
        &[
            (9, 15, &["`api_integrations[0].operations[1].name`", "`get`", "already defined at line 6", "rename one"]),
            (10, 17, &["`api_integrations[0].operations[1].method` is `FETCH`", "not a supported method"]),
            (12, 5, &["`api_integrations[1]` is missing `environments`", "add it"]),
            (12, 11, &["`api_integrations[1].name`", "`shop`", "already used at line 2", "rename one"]),
        ],
    );
}

#[test]
fn the_same_operation_name_in_two_apis_is_fine() {
    let yaml = "api_integrations:\n  - name: a\n    environments: { live: {} }\n    operations: [{ name: get, method: GET, resource: / }]\n  - name: b\n    environments: { live: {} }\n    operations: [{ name: get, method: GET, resource: / }]\n";
    assert_eq!(parse_str("apis.yaml", yaml).unwrap().definitions.operation_count(), 2);
}

// ---- Environments ----

#[test]
fn unknown_environment_names_the_valid_ones() {
    let valid = "`sandbox`, `pre-release` and `live`";
    expect(
        "unknown_environment.yaml",
        &[
            (
                4,
                7,
                &[
                    "unknown environment `sandbx`",
                    "`api_integrations[0].environments`",
                    "did you mean `sandbox`?",
                    valid,
                ],
            ),
            (6, 7, &["unknown environment `production`", "did you mean `live`?", valid]),
        ],
    );
}

#[test]
fn draft_is_not_a_key() {
    expect("draft_environment.yaml", &[(4, 7, &["unknown environment `draft`", "write `sandbox`"])]);
}

#[test]
fn pre_release_with_underscore_is_accepted() {
    let checked = good("adk_reference.yaml");
    let zendesk = checked.definitions.api("zendesk").unwrap();
    let pre_release = zendesk.environment(Environment::PreRelease).unwrap();
    assert_eq!(pre_release.base_url.value, "https://staging.zendesk.example/api/v2");
}

#[test]
fn pre_release_twice_is_an_error() {
    expect(
        "duplicate_pre_release.yaml",
        &[(6, 7, &["`api_integrations[0].environments`", "`pre-release` twice", "first at line 4", "keep one"])],
    );
}

#[test]
fn pre_release_twice_is_an_error_even_when_an_entry_has_errors() {
    expect(
        "duplicate_pre_release_with_errors.yaml",
        &[
            (4, 32, &["`api_integrations[0].environments.pre-release.base_url`", "not `ftp`"]),
            (5, 7, &["`api_integrations[0].environments`", "`pre-release` twice", "first at line 4", "keep one"]),
            // the entry that repeats the environment is still checked
            (7, 20, &["`api_integrations[0].environments.pre_release.auth_type` is `bearer`"]),
        ],
    );
}

#[test]
fn every_error_of_an_environment_is_reported() {
    expect(
        "environment_errors_together.yaml",
        &[
            (5, 19, &["`api_integrations[0].environments.sandbox.base_url`", "not `ftp`"]),
            (6, 20, &["`api_integrations[0].environments.sandbox.auth_type` is `bearer`", "the auth types are"]),
            (7, 20, &["`api_integrations[0].environments.sandbox.tls.ca`", "only a secret reference"]),
            (9, 19, &["`api_integrations[0].environments.live.base_url`", "clear text", "use `https`"]),
            (11, 27, &["`api_integrations[0].environments.live.auth.password` is a secret", "never go in"]),
        ],
    );
}

#[test]
fn base_url_must_be_absolute_http_without_query_or_fragment() {
    expect(
        "base_url_forms.yaml",
        &[
            (
                4,
                28,
                &[
                    "`api_integrations[0].environments.sandbox.base_url`",
                    "`/api/v2`",
                    "not an absolute URL",
                    "https://",
                ],
            ),
            (7, 28, &["`api_integrations[1].environments.sandbox.base_url`", "`http` or `https`", "not `ftp`"]),
            (10, 28, &["`api_integrations[2].environments.sandbox.base_url`", "`?` query", "`resource`"]),
            (13, 28, &["`api_integrations[3].environments.sandbox.base_url`", "`#` fragment", "remove it"]),
            // what the URL library would read anyway, but is not written as a URL
            (16, 28, &["`https:api.example`", "does not start with `http://` or `https://`"]),
            (17, 32, &["pre-release.base_url`", "holds a space, tab or line break"]),
            (18, 25, &["live.base_url`", "holds a space", "`%20`"]),
            (21, 28, &["holds `\\`", "with `/`"]),
            (22, 32, &["holds `{` or `}`", "`resource`"]),
            (23, 25, &["a `%` that does not start a `%XX` escape", "`%25`"]),
        ],
    );
}

#[test]
fn trailing_slash_is_ignored_and_empty_means_not_wired() {
    let checked = good("names_and_resources.yaml");
    let api = checked.definitions.api("_internal").unwrap();
    assert_eq!(api.environment(Environment::Sandbox).unwrap().base_url.value, "https://internal.example/v1");
    let live = api.environment(Environment::Live).unwrap();
    assert!(!live.is_wired());
    assert_eq!(live.auth, Auth::None);
    assert!(api.environment(Environment::PreRelease).is_none());
}

#[test]
fn base_url_may_not_be_empty_with_auth() {
    expect(
        "base_url_empty_with_auth.yaml",
        &[(5, 19, &["`api_integrations[0].environments.live.base_url` is empty", "`basic`", "`auth_type: none`"])],
    );
}

#[test]
fn auth_over_plain_http_needs_a_loopback_host() {
    expect(
        "http_with_auth.yaml",
        &[(5, 19, &["`api_integrations[0].environments.live.base_url`", "clear text", "use `https`"])],
    );
    let checked = good("every_auth.yaml");
    let crm = checked.definitions.api("crm").unwrap();
    let hosts: Vec<&str> = crm.environments.iter().map(|e| e.base_url.value.as_ref()).collect();
    assert_eq!(hosts, ["http://localhost:9000/api", "http://127.0.0.5:9000/api", "http://[::1]:9000/api"]);
}

#[test]
fn token_url_needs_https_unless_loopback() {
    expect(
        "token_url_http.yaml",
        &[(8, 22, &["`api_integrations[0].environments.live.auth.token_url`", "clear text", "use `https`"])],
    );
}

// ---- Resources ----

#[test]
fn resource_rules() {
    let at = |j: usize| format!("`api_integrations[0].operations[{j}].resource`");
    let paths: Vec<String> = (0..8).map(at).collect();
    expect(
        "resource_rules.yaml",
        &[
            (8, 19, &[&paths[0], "must start with `/`", "`/items`"]),
            (11, 19, &[&paths[1], "at character 7 of the resource, `#` is not allowed"]),
            // a quoted value is reported at its opening quote
            (14, 19, &[&paths[2], "at character 9 of the resource, spaces are not allowed", "`%20`"]),
            (17, 19, &[&paths[3], "at character 8 of the resource, unbalanced `{`"]),
            (20, 19, &[&paths[4], "at character 10 of the resource, unbalanced `}`"]),
            (23, 19, &[&paths[5], "at character 8 of the resource, unbalanced `{`", "do not nest"]),
            (23, 19, &[&paths[5], "at character 13 of the resource, unbalanced `}`"]),
            (26, 19, &[&paths[6], "at character 8 of the resource, empty variable `{}`"]),
            (29, 19, &[&paths[7], "at character 8 of the resource", "`%XX`", "`%25`"]),
        ],
    );
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

// ---- Auth ----

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
                "`zendesk-key`",
                "not a valid secret name",
                "`ZENDESK_KEY`",
            ],
        )],
    );
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
    let secrets: Vec<&str> =
        zendesk.environment(Environment::Live).unwrap().auth.secrets().iter().map(|(f, _)| *f).collect();
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
    let secret_fields = |environment| -> Vec<(&'static str, String)> {
        let auth = &tickets.environment(environment).unwrap().auth;
        auth.secrets().into_iter().map(|(field, secret)| (field, secret.name.to_string())).collect()
    };
    let named = |pairs: &[(&'static str, &str)]| -> Vec<(&'static str, String)> {
        pairs.iter().map(|(field, name)| (*field, name.to_string())).collect()
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
    assert!(errors.to_string().contains("auth.location.secret` is `lower`, not a valid secret name"), "{errors}");
    assert!(errors.to_string().contains("(like `TICKETS_LIVE_PREFIX`)"), "{errors}");
}

// ---- Resilience ----

#[test]
fn durations_need_a_unit_and_must_be_positive() {
    let form = "`ms`, `s` or `m`";
    expect(
        "durations.yaml",
        &[
            (3, 14, &["`api_integrations[0].timeout` is `5h`", "`h` is not a unit", form]),
            (5, 19, &["`api_integrations[0].retry.base_delay` is `0s`", "more than zero"]),
            (6, 18, &["`api_integrations[0].retry.max_delay` is `-1s`", "negative"]),
            (13, 18, &["`api_integrations[0].operations[0].timeout` is `15`", "needs a unit", form]),
        ],
    );
}

#[test]
fn a_duration_below_a_microsecond_is_refused_as_such() {
    let yaml = "api_integrations:\n  - name: a\n    timeout: 0.0001ms\n    environments: { live: {} }\n";
    let lines: Vec<String> = parse_str("apis.yaml", yaml).unwrap_err().lines().collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with(
        "apis.yaml:3:14: error: `api_integrations[0].timeout` is `0.0001ms`: a duration must be at least a microsecond (`0.001ms`)"
    ), "{lines:?}");
    let fractional = "api_integrations:\n  - name: a\n    timeout: 1.5s\n    environments: { live: {} }\n";
    assert_eq!(
        parse_str("apis.yaml", fractional).unwrap().definitions.apis[0].timeout,
        Some(Duration::from_millis(1500))
    );
}

#[test]
fn any_positive_duration_is_accepted_however_long() {
    let timeout = |written: &str| {
        let yaml =
            format!("api_integrations:\n  - name: a\n    timeout: {written}\n    environments: {{ live: {{}} }}\n");
        parse_str("apis.yaml", &yaml).unwrap_or_else(|d| panic!("`{written}` rejected:\n{d}")).definitions.apis[0]
            .timeout
    };
    assert_eq!(timeout("1500m"), Some(Duration::from_secs(25 * 3600)));
    assert_eq!(timeout("99999999999999999999999999s"), Some(Duration::from_micros(u64::MAX)));
}

#[test]
fn delays_below_a_millisecond_are_shown_as_written() {
    let yaml = "api_integrations:\n  - name: a\n    retry: { base_delay: 0.5ms, max_delay: 0.25ms }\n    environments: { live: {} }\n";
    let errors = parse_str("apis.yaml", yaml).unwrap_err().to_string();
    assert!(errors.contains("(0.25ms) is less than `base_delay` (0.5ms)"), "{errors}");
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
fn a_plural_key_is_taken_for_its_singular_and_checked() {
    let yaml = "api_integrations:\n  - name: a\n    retries: { attempts: 99 }\n    environments: { live: {} }\n";
    let lines: Vec<String> = parse_str("apis.yaml", yaml).unwrap_err().lines().collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].contains("unknown key `retries`") && lines[0].contains("did you mean `retry`?"), "{lines:?}");
    assert!(lines[1].contains("`api_integrations[0].retry.attempts` must be a whole number from 1 to 10"), "{lines:?}");
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
fn yaml_syntax_errors_say_what_to_write() {
    let operation = |line: &str| {
        let yaml = format!("api_integrations:\n  - name: a\n    environments: {{ live: {{}} }}\n    operations:\n      - name: get\n        method: GET\n        {line}\n");
        parse_str("apis.yaml", &yaml).unwrap_err().to_string()
    };
    let text = operation("description: [beta] Look up a ticket");
    assert!(
        text.contains("is a mapping or list in YAML; quote it: `description: \"[beta] Look up a ticket\"`"),
        "{text}"
    );
    let text = operation("resource: {id}/comments  # the comments");
    assert!(text.contains("quote it: `resource: \"{id}/comments\"`"), "{text}");
    let text = parse_str("apis.yaml", "api_integrations: [\n").unwrap_err().to_string();
    assert!(text.contains("the file ends inside something still open"), "{text}");
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
    assert!(
        text.contains("`api_integrations[0].environments.live.auth.value` is a secret")
            && text.contains("{ secret: A_LIVE_API_KEY }"),
        "{text}"
    );
    assert!(
        text.contains("(YAML reads unquoted `{...}` as one); write it like `resource: \"/tickets/{ticket_id}\"`"),
        "{text}"
    );
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
    assert!(lines[2].contains("unknown key `foo`"), "{lines:?}");
    assert!(lines[3].contains("unknown environment `qa`"), "{lines:?}");
    assert!(lines[4].contains("`api_integrations[0].environments.qa.base_url` is `ftp://x.example`"), "{lines:?}");
}

#[test]
fn yaml_syntax_errors_say_how_to_fix_them() {
    for (yaml, fix) in [
        ("api_integrations:\n\t- name: a\n", "indent with spaces, not tabs"),
        ("api_integrations:\n  - name: a\n   environments: {}\n", "check this line's indentation"),
        ("api_integrations:\n  - name: a\n    description: note: this\n", "quote a value that holds `: `"),
        ("api_integrations: [a, b\n", "close the `[` or `{` opened before this point"),
        ("api_integrations:\n  - name: \"a\n", "close the quote"),
    ] {
        let errors = parse_str("apis.yaml", yaml).unwrap_err().to_string();
        assert!(errors.contains("invalid YAML") && errors.contains(fix), "{yaml:?}: {errors}");
    }
}

#[test]
fn crlf_line_endings_keep_positions() {
    let yaml = "api_integrations:\r\n  - name: Bad\r\n    environments: { live: {} }\r\n";
    let lines: Vec<String> = parse_str("apis.yaml", yaml).unwrap_err().lines().collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with("apis.yaml:2:11: error: `api_integrations[0].name` is `Bad`"), "{}", lines[0]);
}

#[test]
fn attempts_are_one_to_ten() {
    expect(
        "attempts.yaml",
        &[
            (3, 24, &["`api_integrations[0].retry.attempts`", "from 1 to 10", "found `0`"]),
            (10, 28, &["`api_integrations[0].operations[0].retry.attempts`", "from 1 to 10", "found `11`"]),
        ],
    );
}

#[test]
fn max_delay_is_at_least_base_delay() {
    expect(
        "max_below_base.yaml",
        &[
            (5, 18, &["`api_integrations[0].retry.max_delay` (500ms)", "less than `base_delay` (2s)", "at least"]),
            // an operation's block that sets no delay does not repeat the API's error
            (10, 78, &["`api_integrations[0].operations[1].retry.max_delay` (1s)", "less than `base_delay` (2s)"]),
            (
                11,
                83,
                &[
                    "`api_integrations[0].operations[2].retry.base_delay` (1s)",
                    "more than the API's `max_delay` (500ms)",
                ],
            ),
        ],
    );
}

#[test]
fn a_default_delay_yields_to_a_written_one() {
    let yaml = |retry: &str| {
        format!(
            "api_integrations:
  - name: a
    retry: {retry}
    environments: {{ live: {{ base_url: \"https://a.example\" }} }}
    operations: [{{ name: op, method: GET, resource: /x }}]
"
        )
    };
    let policy = |retry: &str| {
        let checked = parse_str("apis.yaml", &yaml(retry)).unwrap_or_else(|d| panic!("rejected:\n{d}"));
        let api = checked.definitions.api("a").unwrap();
        let policy = api.operation("op").unwrap().effective_retry(api);
        (policy.base_delay, policy.max_delay)
    };
    let ms = Duration::from_millis;
    assert_eq!(policy("{ max_delay: 100ms }"), (ms(100), ms(100)));
    assert_eq!(policy("{ base_delay: 30s }"), (ms(30_000), ms(30_000)));
    assert_eq!(policy("{ base_delay: 200ms }"), (ms(200), ms(20_000)));
    assert_eq!(policy("{ attempts: 2 }"), (ms(1_000), ms(20_000)));
}

#[test]
fn idempotent_is_a_boolean() {
    expect(
        "idempotent_not_boolean.yaml",
        &[(9, 21, &["`api_integrations[0].operations[0].idempotent`", "`true` or `false`", "found text"])],
    );
}

#[test]
fn tls_takes_secrets_and_cert_with_key() {
    expect(
        "tls_rules.yaml",
        &[
            (7, 15, &["`api_integrations[0].environments.sandbox.tls.ca`", "only a secret reference"]),
            (11, 11, &["`api_integrations[0].environments.live.tls.client_cert` needs `client_key`", "go together"]),
            // one wrong field hides no other error of the block
            (14, 20, &["`api_integrations[0].environments.pre-release.tls.ca`", "only a secret reference"]),
            (14, 30, &["`api_integrations[0].environments.pre-release.tls.client_key` needs `client_cert`"]),
        ],
    );
}

#[test]
fn no_key_turns_certificate_checks_off() {
    let tls = "`api_integrations[0].environments.sandbox.tls`";
    let live_tls = "`api_integrations[0].environments.live.tls`";
    let keys = "the keys are `ca`, `client_cert` and `client_key`";
    expect(
        "tls_checks_cannot_be_turned_off.yaml",
        &[
            (6, 16, &["unknown key `insecure`", tls, keys]),
            (10, 11, &["unknown key `verify`", live_tls, keys]),
            (11, 11, &["unknown key `danger_accept_invalid_certs`", live_tls, keys]),
        ],
    );
}

#[test]
fn resilience_keys_are_read() {
    let checked = good("full.yaml");
    let bookings = checked.definitions.api("bookings").unwrap();
    let create = bookings.operation("create_booking").unwrap();
    assert!(create.idempotent && create.is_retry_safe());
    assert_eq!(create.effective_timeout(bookings), Duration::from_secs(15));
    let policy = create.effective_retry(bookings);
    assert_eq!(
        (policy.attempts, policy.base_delay, policy.max_delay),
        (2, Duration::from_millis(200), Duration::from_secs(5))
    );
    let tls = &bookings.environment(Environment::Live).unwrap().tls;
    assert_eq!(tls.ca.as_ref().unwrap().name, "BOOKINGS_CA_PEM");
    assert_eq!(tls.client_key.as_ref().unwrap().name, "BOOKINGS_KEY_PEM");
}

// ---- Anything else ----

#[test]
fn unknown_top_level_key_suggests_api_integrations() {
    // The misspelt key stands for the missing one, which is not reported missing;
    // what is under it is read as if spelt right, so its own errors show too.
    expect(
        "unknown_keys.yaml",
        &[
            (1, 1, &["unknown key `api_integration`", "did you mean `api_integrations`?"]),
            (2, 5, &["`api_integrations[0]` is missing `environments`"]),
        ],
    );
    let missing = parse_str("apis.yaml", "apis: []\n").unwrap_err();
    let lines: Vec<String> = missing.lines().collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].starts_with("apis.yaml:1:1: error: unknown key `apis` in the file"), "{}", lines[0]);
    assert!(
        lines[1].starts_with("apis.yaml:1:1: error: the file is missing `api_integrations`; add it"),
        "{}",
        lines[1]
    );
}

#[test]
fn unknown_operation_key_suggests_method() {
    expect(
        "unknown_key_metod.yaml",
        &[(7, 9, &["unknown key `metod`", "`api_integrations[0].operations[0]`", "did you mean `method`?"])],
    );
}

#[test]
fn a_scalar_where_a_list_should_be() {
    expect(
        "scalar_for_list.yaml",
        &[(5, 17, &["`api_integrations[0].operations` must be a list of operations", "found text"])],
    );
    let diagnostics = parse_str("apis.yaml", "api_integrations: zendesk\n").unwrap_err();
    assert_eq!(
        diagnostics.lines().collect::<Vec<_>>(),
        ["apis.yaml:1:19: error: `api_integrations` must be a list of APIs (`- name: ...`), found text"]
    );
}

#[test]
fn a_list_where_a_mapping_should_be() {
    expect(
        "list_for_mapping.yaml",
        &[(3, 19, &["`api_integrations[0].environments` must be a mapping", "found a list"])],
    );
}

#[test]
fn an_empty_file() {
    expect("empty.yaml", &[(1, 1, &["the file is empty", "`api_integrations:`"])]);
    let only_comments = parse_str("apis.yaml", "# nothing yet\n").unwrap_err();
    assert!(only_comments.to_string().starts_with("apis.yaml:1:1: error: the file is empty"));
}

#[test]
fn an_empty_api_list_is_valid() {
    assert_eq!(parse_str("apis.yaml", "api_integrations: []\n").unwrap().definitions.apis.len(), 0);
}

#[test]
fn a_null_api_list_is_an_empty_list() {
    // every entry commented out leaves nothing after the colon
    let checked = good("no_apis_yet.yaml");
    assert!(checked.definitions.apis.is_empty());
    assert!(checked.warnings.items.is_empty(), "{}", checked.warnings);
    assert_eq!(parse_str("apis.yaml", "api_integrations: ~\n").unwrap().definitions.apis.len(), 0);
    // the key itself is still required
    let missing = parse_str("apis.yaml", "{}\n").unwrap_err();
    assert_eq!(
        missing.lines().collect::<Vec<_>>(),
        ["apis.yaml:1:1: error: the file is missing `api_integrations`; add it, like `api_integrations: [{ name: my_api, ... }]`"]
    );
}

#[test]
fn more_than_one_document() {
    expect("two_documents.yaml", &[(2, 1, &["more than one YAML document", "`---`"])]);
}

#[test]
fn missing_keys_are_reported_at_the_entry() {
    expect(
        "missing_keys.yaml",
        &[
            (2, 5, &["`api_integrations[0]` is missing `name`", "`name: my_api`"]),
            (5, 5, &["`api_integrations[1]` is missing `environments`", "add it"]),
            (7, 9, &["`api_integrations[1].operations[0]` is missing `resource`", "`resource: /tickets/{ticket_id}`"]),
        ],
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
fn invalid_yaml_is_a_diagnostic() {
    let diagnostics = parse_str("apis.yaml", "api_integrations:\n  - name: [unclosed\n").unwrap_err();
    let line = diagnostics.lines().next().unwrap();
    assert!(line.starts_with("apis.yaml:") && line.contains("error: invalid YAML"), "{line}");
}

#[test]
fn duplicate_keys_are_errors() {
    let diagnostics = parse_str("apis.yaml", "api_integrations: []\napi_integrations: []\n").unwrap_err();
    assert_eq!(
        diagnostics.lines().collect::<Vec<_>>(),
        ["apis.yaml:2:1: error: duplicate key `api_integrations` in the file (first at line 1); keep one"]
    );
}

// ---- Good fixtures ----

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
