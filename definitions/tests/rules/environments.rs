//! Environments: which are known, base URLs, wiring.

use super::*;

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
fn a_misspelt_environment_beside_the_one_it_means_is_a_copy_to_remove_and_not_read() {
    let file = |copy: &str, meant: &str| {
        format!("api_integrations:\n  - name: z\n    environments:\n      {copy}:\n        base_url: ftp://old.example\n      {meant}:\n        base_url: https://x.example\n")
    };
    let valid = "(the environments are `sandbox`, `pre-release` and `live`)";
    for (copy, meant, hint) in [
        ("sandbx", "sandbox", "; it looks like `sandbox`, which is given too: remove `sandbx`, or merge it into `sandbox` (nothing under `sandbx` is checked until then)"),
        ("prod", "live", "; it looks like `live`, which is given too: remove `prod`, or merge it into `live` (nothing under `prod` is checked until then)"),
        ("draft", "sandbox", "; `draft` runs on the `sandbox` entry, which is given too: remove `draft`, or merge it into `sandbox`"),
    ] {
        assert_eq!(
            error_lines(&file(copy, meant)),
            [format!("apis.yaml:4:7: error: unknown environment `{copy}` in `api_integrations[0].environments`{hint} {valid}")]
        );
    }
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
            (6, 20, &["`api_integrations[0].environments.sandbox.auth_type` is `digest`", "the auth types are"]),
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
                    "not an absolute URL (no scheme such as `https://`)",
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
            // an empty query or fragment is one still
            (26, 28, &["`api_integrations[6].environments.sandbox.base_url`", "`?` query", "`resource`"]),
            (27, 25, &["`api_integrations[6].environments.live.base_url`", "`#` fragment", "remove it"]),
        ],
    );
}

/// A host with an empty label (`api..example`, a lone `.`) is no host a connection
/// can reach, though the URL library reads it: an error for a base URL and a token
/// URL alike; one `.` that ends a name written in full (`localhost.`) is no label.
#[test]
fn a_host_with_an_empty_label_is_an_error() {
    let file = |base_url: &str, token_url: &str| {
        format!(
            "api_integrations:\n  - name: a\n    environments:\n      live:\n        base_url: \"{base_url}\"\n        auth_type: oauth2\n        auth: {{ token_url: \"{token_url}\" }}\n"
        )
    };
    for (host, shown) in [
        ("api..example", "api..example"),
        (".", "."),
        (".api.example", ".api.example"),
        ("api.example..", "api.example.."),
    ] {
        let lines = error_lines(&file(&format!("https://{host}/v1"), &format!("https://{host}/token")));
        assert_eq!(
            lines,
            [
                format!("apis.yaml:5:19: error: `api_integrations[0].environments.live.base_url` is `https://{host}/v1`, whose host `{shown}` has an empty label (a lone `.`, or two in a row); write the host's name in full, like `https://api.example.com/v1`"),
                format!("apis.yaml:7:28: error: `api_integrations[0].environments.live.auth.token_url` is `https://{host}/token`, whose host `{shown}` has an empty label (a lone `.`, or two in a row); write the host's name in full, like `https://auth.example.com/oauth/token`"),
            ],
            "{host}"
        );
    }
    for (base_url, token_url) in [
        ("http://localhost.:8080/v1", "http://localhost./token"),
        ("https://api.example./v1", "https://auth.example./token"),
    ] {
        parse_str("apis.yaml", &file(base_url, token_url)).unwrap_or_else(|d| panic!("{base_url} was rejected:\n{d}"));
    }
}

/// A host written without its scheme is shown with it: `https://` for a domain,
/// `http://` for a loopback host; a path or a word is shown an example.
#[test]
fn a_url_without_its_scheme_is_shown_with_it() {
    let told = |url: &str| {
        let yaml = format!("api_integrations:\n  - name: a\n    environments: {{ live: {{ base_url: \"{url}\" }} }}\n");
        let lines = error_lines(&yaml);
        assert_eq!(lines.len(), 1, "{lines:?}");
        lines[0].rsplit_once("write it").map(|(_, fix)| format!("write it{fix}")).unwrap_or_default()
    };
    assert_eq!(told("api.acme.example/v1"), "write it `https://api.acme.example/v1`");
    assert_eq!(told("localhost/v1"), "write it `http://localhost/v1` (`https://` for TLS)");
    assert_eq!(told("127.0.0.1/v1"), "write it `http://127.0.0.1/v1` (`https://` for TLS)");
    assert_eq!(told("127.0.0.1:8080/v1"), "write it `http://127.0.0.1:8080/v1` (`https://` for TLS)");
    // a host and port read as a scheme and a path
    assert_eq!(told("api.acme.example:8443/v1"), "write it `https://api.acme.example:8443/v1`");
    // a URL so written would be refused in turn
    for not_a_host in [
        "/api/v2",
        "api",
        "v1.2/x",
        ".example",
        "a..b/x",
        "a.example?token=abc",
        "a.example/{tenant}",
        "a.example%2Fv1",
    ] {
        assert_eq!(told(not_a_host), "write it like `https://api.example.com/v1`", "{not_a_host}");
    }
}

/// A variable in a URL is one the user meant to fill per account or tenant: in a base
/// URL's host each environment's own host is the fix, in its path a resource, and a
/// token URL has no variables at all.
#[test]
fn a_variable_in_a_url_is_told_what_to_write_where_it_is() {
    let file = |environment: &str| {
        format!("api_integrations:\n  - name: a\n    environments:\n      live:\n{environment}    operations: []\n")
    };
    for host in ["{subdomain}.zendesk.com", "api.{region}.example.com", "acme-{tenant}.zendesk.com"] {
        let lines = error_lines(&file(&format!("        base_url: https://{host}/api/v2\n")));
        assert!(lines.len() == 1 && lines[0].contains("in its host, which cannot be a variable"), "{lines:?}");
    }
    let lines = error_lines(&file("        base_url: https://{subdomain}.zendesk.com/api/v2\n"));
    assert!(
        lines.len() == 1
            && lines[0].contains("in its host, which cannot be a variable")
            && lines[0].contains("write this environment's host in full"),
        "{lines:?}"
    );
    let lines = error_lines(&file("        base_url: https://api.example/{version}\n"));
    assert!(lines.len() == 1 && lines[0].contains("variables belong in an operation's `resource`"), "{lines:?}");
    let token_url = "        base_url: https://api.example\n        auth_type: oauth2\n        auth: { token_url: \"https://login.example/{tenant}/oauth2/token\" }\n";
    let lines = error_lines(&file(token_url));
    assert!(
        lines.len() == 1
            && lines[0].contains("auth.token_url")
            && lines[0].contains("a token URL cannot take, as it has no variables"),
        "{lines:?}"
    );
}

/// DEFINITIONS.md allows RFC 3986 path characters, and the ADK takes dot segments:
/// Python `requests` resolves them away, as the URL library does here. A warning says
/// where calls go; a `..` that would climb out of a resource into the base URL's
/// path is an error, as a call never leaves that path.
#[test]
fn dot_segments_are_warnings_that_say_where_calls_go_unless_a_resource_climbs_out() {
    let yaml = r#"
api_integrations:
  - name: dots
    environments:
      sandbox: { base_url: "https://api.example/v1/../admin" }
      pre-release: { base_url: "https://api.example/v1/%2E%2e/admin/" }
      live:
        base_url: "https://agent:pw@api.example/v1/./x"
        auth_type: oauth2
        auth: { token_url: "https://auth.example/a/../token", client_id: c, client_secret: { secret: S } }
    operations:
      - { name: get_item, method: GET, resource: "/v1/../v2/items/{id}?q=./.." }
      - { name: get_last, method: GET, resource: "/items/{id}/." }
      - { name: plain, method: GET, resource: "/a..b/.c/...d" }
"#;
    let lines = warning_lines(yaml);
    let said = |words: &[&str]| assert!(has_line(&lines, words), "{words:?} in {lines:#?}");
    let removes = "a `.` or `..` segment in its path (also written `%2e`), which URL resolution removes, as Python `requests` does";
    said(&[
        "5:28: warning: `api_integrations[0].environments.sandbox.base_url` has ",
        removes,
        "requests go to `https://api.example/admin`; write that",
    ]);
    said(&["6:32: warning: ", "pre-release.base_url", "requests go to `https://api.example/admin/`"]);
    said(&["8:19: warning: ", "live.base_url", "requests go to `https://***@api.example/v1/x`"]);
    said(&["10:28: warning: ", "live.auth.token_url", "requests go to `https://auth.example/token`"]);
    said(&[
        "12:50: warning: `api_integrations[0].operations[0].resource` has a `.` or `..` segment",
        "calls go to `/v2/items/{id}` under the base URL; write that",
    ]);
    said(&["13:50: warning: ", "operations[1].resource", "calls go to `/items/{id}/`"]);
    assert!(!lines.iter().any(|line| line.contains("operations[2]")), "{lines:#?}");
    assert_eq!(lines.iter().filter(|line| line.contains("segment")).count(), 6, "{lines:#?}");

    let climbing = yaml.replace("/v1/../v2/items/{id}", "/v1/../../items/{id}");
    let error = parse_str("apis.yaml", &climbing).unwrap_err().to_string();
    assert!(
        error.contains("12:58: error: `api_integrations[0].operations[0].resource`: at character 8 of the resource, `..` climbs above the resource's first segment, into the base URL's path, which a call never leaves; remove it"),
        "{error}"
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
        &[
            (5, 19, &["`api_integrations[0].environments.live.base_url` is empty", "`basic`", "`auth_type: none`"]),
            // a missing key is reported at the entry that lacks it
            (7, 7, &["`api_integrations[0].environments.sandbox` has no `base_url`", "`apiKey`", "`auth_type: none`"]),
            (10, 9, &["`api_integrations[0].environments.pre-release.base_url` is empty", "`basic`"]),
        ],
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
    // fully qualified, `localhost.` is the same host; `localhost.example` is not loopback
    let yaml = |host: &str| {
        format!("api_integrations:\n  - name: a\n    environments: {{ live: {{ base_url: \"http://{host}:8080\", auth_type: basic }} }}\n    operations: []\n")
    };
    assert!(parse_str("apis.yaml", &yaml("LOCALHOST.")).is_ok());
    let error = parse_str("apis.yaml", &yaml("localhost.example")).unwrap_err().to_string();
    assert!(error.contains("https"), "{error}");
}

#[test]
fn plain_http_with_auth_is_reported_beside_a_query_or_fragment() {
    let file = |environment: &str| {
        format!("api_integrations:\n  - name: a\n    environments:\n      live:\n{environment}    operations: []\n")
    };
    let lines = error_lines(&file("        base_url: http://api.example/v1?key=1\n        auth_type: basic\n"));
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].starts_with("apis.yaml:5:19: error: `api_integrations[0].environments.live.base_url` is `http://api.example/v1?***`, which has a `?` query"), "{lines:?}");
    assert!(lines[1].starts_with("apis.yaml:5:19: error: `api_integrations[0].environments.live.base_url` is `http://api.example/v1?***`, but `auth_type` is `basic`: credentials never travel in clear text"), "{lines:?}");
    let lines = error_lines(&file("        base_url: http://api.example/v1#f\n        auth_type: apiKey\n"));
    assert!(
        has_line(&lines, &["5:19", "`#` fragment"]) && has_line(&lines, &["5:19", "`auth_type` is `apiKey`"]),
        "{lines:?}"
    );
    // an empty query is shown empty: a mask would say it holds something
    let lines = error_lines(&file("        base_url: https://api.example/v1/?\n"));
    assert!(has_line(&lines, &["is `https://api.example/v1/?`, which has a `?` query"]), "{lines:?}");
    // a host and port without a scheme read as the scheme `localhost`
    let lines = error_lines(&file("        base_url: localhost:8080/v1\n"));
    assert!(
        lines.len() == 1
            && lines[0].ends_with(
                "is `localhost:8080/v1`, which has no scheme: write it `http://localhost:8080/v1` (`https://` for TLS)"
            ),
        "{lines:?}"
    );
    // a scheme that is not `http` or `https` is no question of clear text; its fragment is one
    let lines = error_lines(&file("        base_url: ftp://api.example/v1#f\n        auth_type: basic\n"));
    assert!(
        lines.len() == 2 && lines[0].contains("the scheme must be") && lines[1].contains("`#` fragment"),
        "{lines:?}"
    );
    // no second word on a URL whose user info is the problem already
    let lines = error_lines(&file("        base_url: http://me:pw@api.example/v1\n        auth_type: basic\n"));
    assert!(lines.len() == 1 && lines[0].contains("holds credentials"), "{lines:?}");
    // a token URL says both of its problems
    let token = "        base_url: https://api.example\n        auth_type: oauth2\n        auth: { token_url: \"http://t.example/token#f\" }\n";
    let lines = error_lines(&file(token));
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].starts_with("apis.yaml:7:28: error: `api_integrations[0].environments.live.auth.token_url` is `http://t.example/token#***`, which has a `#` fragment"), "{lines:?}");
    assert!(
        lines[1].starts_with("apis.yaml:7:28: error:") && lines[1].contains("credentials never travel in clear text"),
        "{lines:?}"
    );
}

#[test]
fn token_url_needs_https_unless_loopback() {
    expect(
        "token_url_http.yaml",
        &[(8, 22, &["`api_integrations[0].environments.live.auth.token_url`", "clear text", "use `https`"])],
    );
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
    let shown = format!("{:?}", checked.definitions);
    assert!(shown.contains("https://***@auth.example/token") && !shown.contains("pw@"), "{shown}");
}

#[test]
fn a_credential_written_in_a_token_urls_query_is_named() {
    let yaml = "api_integrations:
  - name: a
    environments:
      live:
        base_url: https://a.example
        auth_type: oauth2
        auth: { token_url: \"https://auth.example/token?api-version=2&client_secret=abc123\" }
";
    let checked = parse_str("apis.yaml", yaml).unwrap_or_else(|d| panic!("a warning only:\n{d}"));
    let warnings: Vec<String> = checked.warnings.items.iter().map(|warning| warning.render("apis.yaml")).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(checked.warnings.items[0].macro_warning, Some(MacroWarning::WrittenCredential));
    assert!(
        warnings[0].starts_with(
            "apis.yaml:7:28: warning: `api_integrations[0].environments.live.auth.token_url` writes a value for the \
             query parameter `client_secret`, a credential; secrets are named in the file, never written: remove it \
             from the URL"
        ),
        "{warnings:?}"
    );
    // a parameter that is no credential is fine
    let fine = yaml.replace("&client_secret=abc123", "");
    assert!(parse_str("apis.yaml", &fine).unwrap().warnings.items.is_empty());
}

#[test]
fn a_control_character_in_a_base_url_is_named_as_one() {
    let yaml = "api_integrations:\n  - name: a\n    environments:\n      sandbox: { base_url: \"https://a.example/\\e[31m\" }\n";
    let errors = parse_str("apis.yaml", yaml).expect_err("an escape in a URL").to_string();
    let expected = "apis.yaml:4:28: error: `api_integrations[0].environments.sandbox.base_url` is `https://a.example/\\u{1b}[31m`, which holds a control character (such as an escape); remove it";
    assert_eq!(errors, expected);
}

#[test]
fn environments_written_as_list_entries_are_told_to_drop_the_dash_and_still_checked() {
    let file = |environments: &str| {
        format!("api_integrations:\n  - name: crm\n    environments:\n{environments}    operations: []\n")
    };
    let lines = error_lines(&file(
        "      - sandbox:\n          base_url: ftp://crm.example\n      - live: { base_url: https://crm.example }\n",
    ));
    assert_eq!(
        lines,
        [
            "apis.yaml:4:7: error: `api_integrations[0].environments` must be a mapping (`key: value` lines), found a list; the environments are its keys, not list entries: remove the `- ` before `sandbox:` and each other environment",
            "apis.yaml:5:21: error: `api_integrations[0].environments.sandbox.base_url` is `ftp://crm.example`: the scheme must be `http` or `https`, not `ftp`",
        ]
    );
    // one environment, and one listed twice
    let lines = error_lines(&file("      - live: {}\n"));
    assert_eq!(lines, ["apis.yaml:4:7: error: `api_integrations[0].environments` must be a mapping (`key: value` lines), found a list; the environments are its keys, not list entries: remove the `- ` before `live:`"]);
    let lines = error_lines(&file("      - live: {}\n      - live: {}\n"));
    assert!(has_line(&lines, &["apis.yaml:5:9:", "configures `live` twice (first at line 4); keep one"]), "{lines:#?}");
    // a list of anything else is the shape error it was
    let lines = error_lines(&file("      - https://crm.example\n"));
    assert_eq!(lines, ["apis.yaml:4:7: error: `api_integrations[0].environments` must be a mapping (`key: value` lines), found a list"]);
}

#[test]
fn a_base_url_written_as_the_environment_or_left_to_fill_in_says_how_to_write_it() {
    let file = |environment: &str| format!("api_integrations:\n  - name: crm\n    environments:\n{environment}");
    assert_eq!(
        error_lines(&file("      live: ftp://crm.example\n")),
        [
            "apis.yaml:4:13: error: `api_integrations[0].environments.live` must be a mapping (`key: value` lines), found text; the URL goes under `base_url:`, like `live: { base_url: ftp://crm.example }`",
            "apis.yaml:4:13: error: `api_integrations[0].environments.live.base_url` is `ftp://crm.example`: the scheme must be `http` or `https`, not `ftp`",
        ]
    );
    assert!(parse_str("apis.yaml", &file("      live: { base_url: https://crm.example }\n")).is_ok());
    let at_run_time = "the file reads no environment variables and no secret store for it; write the URL, or give it at run time with the runtime's `.base_url(api, url)`";
    for (written, column, found) in [
        ("${CRM_URL}", 19, "is `${CRM_URL}`, a variable to fill in"),
        ("\"{{crm_url}}\"", 19, "is `{{crm_url}}`, a variable to fill in"),
        ("{ secret: CRM_URL }", 19, "is a secret reference, but a base URL is no secret"),
    ] {
        let lines = error_lines(&file(&format!("      live:\n        base_url: {written}\n")));
        assert_eq!(
            lines,
            [format!(
                "apis.yaml:5:{column}: error: `api_integrations[0].environments.live.base_url` {found}: {at_run_time}"
            )],
            "{written}"
        );
    }
}

#[test]
fn environments_listed_by_name_are_shown_as_the_mapping_to_write() {
    let yaml = "api_integrations:\n  - name: a\n    environments: [sandbox, live, sandbox]\n";
    assert_eq!(
        error_lines(yaml),
        ["apis.yaml:3:19: error: `api_integrations[0].environments` must be a mapping (`key: value` lines), found a list naming environments; each environment is a key with its settings under it: write `environments: { sandbox: { base_url: \"https://...\" }, live: { base_url: \"https://...\" } }`"]
    );
    // entries that hold their name, as other tools list environments
    let named =
        "api_integrations:\n  - name: a\n    environments:\n      - name: live\n        base_url: https://a.example\n";
    let lines = error_lines(named);
    assert!(
        has_line(&lines, &["found a list naming environments", "write `environments: { live: { base_url:"]),
        "{lines:?}"
    );
    // a list that names no environment keeps the general error
    let lines = error_lines("api_integrations:\n  - name: a\n    environments: [a, b]\n");
    assert_eq!(lines, ["apis.yaml:3:19: error: `api_integrations[0].environments` must be a mapping (`key: value` lines), found a list"]);
}

#[test]
fn an_environment_named_as_other_tools_name_theirs_is_told_the_one_it_is() {
    for (written, meant) in [("development", "sandbox"), ("test", "sandbox"), ("UAT", "pre-release"), ("prod", "live")]
    {
        let yaml = format!(
            "api_integrations:\n  - name: a\n    environments:\n      {written}: {{ base_url: https://a.example }}\n"
        );
        let lines = error_lines(&yaml);
        assert!(
            has_line(&lines, &[&format!("unknown environment `{written}`"), &format!("did you mean `{meant}`?")]),
            "{lines:?}"
        );
    }
}

/// `pre-release` and `pre_release` are one environment: the error names both keys,
/// and a key listed twice is told "keep one" alone (the existing tests match only
/// the words "keep one", which both messages hold).
#[test]
fn an_environment_given_twice_names_the_two_keys_only_when_they_differ() {
    let (file, bytes) = fixture("bad", "duplicate_pre_release.yaml");
    let errors = parse_bytes(&file, &bytes).expect_err("pre-release twice");
    let lines: Vec<String> = errors.errors().map(|d| d.render(&file)).collect();
    assert_eq!(
        lines,
        ["duplicate_pre_release.yaml:6:7: error: `api_integrations[0].environments` configures `pre-release` twice (first at line 4); keep one of `pre-release` and `pre_release`"]
    );
    let listed = "api_integrations:\n  - name: crm\n    environments:\n      - live: {}\n      - live: {}\n";
    let lines = error_lines(listed);
    assert!(
        lines.iter().any(|line| line.ends_with("configures `live` twice (first at line 4); keep one")),
        "{lines:#?}"
    );
}

/// DEFINITIONS.md: "an environment with `auth_type` other than `none` needs an
/// `https` base URL unless its host is loopback": with no auth, plain `http` to any
/// host is accepted (no test had a non-loopback `http` base URL without auth).
#[test]
fn plain_http_to_any_host_is_accepted_without_auth() {
    for environment in ["{ base_url: http://api.example/v1 }", "{ base_url: http://api.example/v1, auth_type: none }"] {
        let yaml = format!("api_integrations:\n  - name: crm\n    environments:\n      live: {environment}\n");
        let checked = parse_str("apis.yaml", &yaml).unwrap_or_else(|d| panic!("{environment} was rejected:\n{d}"));
        assert_eq!(checked.definitions.apis[0].environments[0].base_url.value, "http://api.example/v1");
    }
}

/// A user name alone (`http://KEY@host`, often an API key) over plain `http` is
/// told once, as credentials in the URL, not also as auth in clear text (the
/// existing test writes `me:pw@`, which the mutant still tells once).
#[test]
fn a_user_name_alone_over_plain_http_is_told_once() {
    for url in ["http://me@api.example/v1", "http://:pw@api.example/v1"] {
        let yaml = format!("api_integrations:\n  - name: crm\n    environments:\n      live:\n        base_url: {url}\n        auth_type: basic\n");
        let lines = error_lines(&yaml);
        assert!(lines.len() == 1 && lines[0].contains("holds credentials"), "{url}: {lines:?}");
    }
}

/// A variable in the host of a plain `http` base URL is told as one in its host, as
/// for `https` (the existing test writes only `https` URLs, whose scheme is one
/// byte longer, so a wrong offset past the scheme still lands in the host).
#[test]
fn a_variable_in_the_host_of_an_http_base_url_is_told_as_in_its_host() {
    for host in ["{subdomain}.zendesk.com", "api.{region}.example.com"] {
        let yaml = format!("api_integrations:\n  - name: a\n    environments:\n      live:\n        base_url: http://{host}/api/v2\n    operations: []\n");
        let lines = error_lines(&yaml);
        assert!(lines.len() == 1 && lines[0].contains("in its host, which cannot be a variable"), "{host}: {lines:?}");
    }
}

/// A URL of another scheme whose text after the `:` is no port (`mailto:`, `urn:`)
/// is told its scheme; only digits after the `:` read as a host and port written
/// without a scheme.
#[test]
fn a_url_of_another_scheme_without_a_port_is_told_its_scheme_not_a_missing_one() {
    for (url, scheme) in [("mailto:ops@example.com", "mailto"), ("urn:isbn:0451450523", "urn")] {
        let yaml = format!("api_integrations:\n  - name: a\n    environments: {{ live: {{ base_url: \"{url}\" }} }}\n");
        let lines = error_lines(&yaml);
        assert!(
            lines.len() == 1 && lines[0].ends_with(&format!("the scheme must be `http` or `https`, not `{scheme}`")),
            "{url}: {lines:?}"
        );
    }
}

/// Clear text is a question only for `http`: a URL of another scheme is told its
/// scheme alone, with credentials in a base URL and as a token URL alike.
#[test]
fn a_url_of_another_scheme_is_not_also_told_it_is_clear_text() {
    let file = |environment: &str| {
        format!("api_integrations:\n  - name: a\n    environments:\n      live:\n{environment}    operations: []\n")
    };
    let lines = error_lines(&file("        base_url: ftp://me:pw@api.example/v1\n        auth_type: basic\n"));
    assert!(lines.len() == 1 && lines[0].contains("the scheme must be `http` or `https`, not `ftp`"), "{lines:?}");
    let token = "        base_url: https://api.example\n        auth_type: oauth2\n        auth: { token_url: \"ftp://auth.example/token\" }\n";
    let lines = error_lines(&file(token));
    assert_eq!(
        lines,
        ["apis.yaml:7:28: error: `api_integrations[0].environments.live.auth.token_url` is `ftp://auth.example/token`: the scheme must be `http` or `https`, not `ftp`"]
    );
}

/// A variable in the path of a base URL whose host is one short name (`crm`) is told
/// as one in its path, not in its host.
#[test]
fn a_variable_after_a_short_host_is_told_as_in_the_path() {
    let yaml = "api_integrations:\n  - name: a\n    environments: { live: { base_url: \"http://crm/{tenant}/v1\" } }\n";
    let lines = error_lines(yaml);
    assert!(lines.len() == 1 && lines[0].contains("variables belong in an operation's `resource`"), "{lines:?}");
}

/// The run-time names (`CONV_ENV`, `--env`) in an unknown one's message: `draft` too,
/// joined by "and" as the definitions file's keys are.
#[test]
fn an_unknown_run_time_environment_lists_every_run_time_name() {
    let error = "qa".parse::<conv_api_definitions::Environment>().unwrap_err();
    assert_eq!(
        error.to_string(),
        "unknown environment `qa`; the environments are `draft`, `sandbox`, `pre-release` and `live`"
    );
    let error = "prod".parse::<conv_api_definitions::Environment>().unwrap_err();
    assert_eq!(
        error.to_string(),
        "unknown environment `prod` (did you mean `live`?); the environments are `draft`, `sandbox`, `pre-release` and `live`"
    );
}

/// README: a key with no value (`api_integrations:`, `operations:` or `live:` with
/// every line under it commented out) is an empty list or mapping; an environment
/// left so is not wired.
#[test]
fn a_key_whose_lines_are_all_commented_out_is_empty_and_its_environment_not_wired() {
    let yaml = "api_integrations:
  - name: a
    environments:
      sandbox: { base_url: \"https://a.example\" }
      live:
        # base_url: https://live.a.example
    operations:
      # - { name: get, method: GET, resource: /a }
";
    let checked = parse_str("apis.yaml", yaml).unwrap_or_else(|d| panic!("{d}"));
    let api = &checked.definitions.apis[0];
    assert!(api.operations.is_empty());
    assert!(api.is_wired_in(conv_api_definitions::Environment::Sandbox));
    assert!(!api.is_wired_in(conv_api_definitions::Environment::Live));
    let empty = parse_str("apis.yaml", "api_integrations:\n  # - name: a\n").unwrap_or_else(|d| panic!("{d}"));
    assert!(empty.definitions.apis.is_empty());
}
