//! What the auth puts on the wire: header and query parameter names, prefixes and
//! header text, and keys that look like a header or an API key habit of other tools.

use super::*;

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
