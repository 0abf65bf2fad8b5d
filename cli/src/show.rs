//! `conv-api show FILE`: a readable table per API, its operations and environments.

use conv_api_definitions::names::is_plain_word;
use conv_api_definitions::{one_line, urls};
use conv_api_definitions::{
    Api, Auth, Choice, Configured, Definitions, Environment, KeyLocation, OAuth2Auth, Operation, Setting, Text, Tls,
    DEFAULT_TOKEN_HEADER, DEFAULT_TOKEN_PREFIX,
};

use crate::table::layout;

/// The whole text `show` prints for `definitions`.
pub fn render(definitions: &Definitions) -> String {
    if definitions.apis.is_empty() {
        return "no APIs (`api_integrations` is empty)\n".to_string();
    }
    let blocks: Vec<String> = definitions.apis.iter().map(render_api).collect();
    blocks.join("\n")
}

/// One API: a heading, its operations, and its environments.
fn render_api(api: &Api) -> String {
    let mut lines = vec![heading(api), "  operations:".to_string()];
    if api.operations.is_empty() {
        lines.push("    none".to_string());
    } else {
        lines.extend(layout(&api.operations.iter().map(operation_row).collect::<Vec<_>>(), "    "));
    }
    lines.push("  environments:".to_string());
    let rows: Vec<Vec<String>> = Environment::ALL.iter().map(|&e| environment_row(api, e)).collect();
    lines.extend(layout(&rows, "    "));
    lines.join("\n") + "\n"
}

fn heading(api: &Api) -> String {
    match api.description.as_deref().map(str::trim) {
        // on the heading's line, and safe for a terminal
        Some(description) if !description.is_empty() => {
            let words: Vec<&str> = description.split_whitespace().collect();
            format!("{}: {}", api.name(), one_line(&words.join(" ")))
        }
        _ => api.name().to_string(),
    }
}

/// Method, name, resource and variables of one operation (the function's arguments, in order).
fn operation_row(op: &Operation) -> Vec<String> {
    let names: Vec<&str> = op.resource.variables.iter().map(|v| v.as_ref()).collect();
    let variables = if names.is_empty() { "-".to_string() } else { format!("({})", names.join(", ")) };
    // the query part may hold any character but blanks: escaped like every text of the
    // file, and a credential written in it (which `check` warns of) masked
    let resource = urls::masked_query_values(&op.resource.source.value, urls::is_credential_query_param);
    vec![op.method.to_string(), op.name().to_string(), one_line(&resource).into_owned(), variables]
}

/// The environment's key, base URL (or "not configured"), auth and `tls:` secrets.
fn environment_row(api: &Api, environment: Environment) -> Vec<String> {
    let key = environment.key().to_string();
    match api.environment(environment) {
        Some(config) if config.is_wired() => {
            let mut auth = describe_auth(&config.auth);
            if urls::has_user_info(&config.base_url.value) {
                auth.push_str(&format!(", and {}", urls::USER_INFO_AS_BASIC));
            }
            match config.may_use_tls(&config.base_url.value, None) {
                true => auth.push_str(&describe_tls(&config.tls)),
                false if config.tls.is_set() => auth.push_str("; tls: unused, every request is plain `http`"),
                false => {}
            }
            vec![key, one_line(&urls::shown(&config.base_url.value)).into_owned(), auth]
        }
        _ => vec![key, "not configured".to_string()],
    }
}

/// The auth type and its key settings; secrets only by name, never a value.
pub fn describe_auth(auth: &Auth) -> String {
    match auth {
        Auth::None => "no auth".to_string(),
        Auth::Basic(basic) => format!(
            "basic (username {}, password {})",
            describe_setting(&basic.username),
            describe_setting(&basic.password)
        ),
        Auth::ApiKey(key) => {
            let place = match &key.location {
                Configured::Literal(KeyLocation::Header) => format!("header {}", describe_setting(&key.name)),
                Configured::Literal(KeyLocation::Query) => format!("query parameter {}", describe_setting(&key.name)),
                Configured::Secret(secret) => {
                    format!("location from secret `{}`, name {}", secret.name, describe_setting(&key.name))
                }
            };
            let prefix = key.prefix.as_ref().map(|p| format!(", prefix {}", describe_setting(p))).unwrap_or_default();
            format!("apiKey ({place}{prefix}, key {})", describe_setting(&key.value))
        }
        Auth::OAuth2(oauth) => describe_oauth2(oauth),
    }
}

/// The token URL, client, scope and token parameters of OAuth 2.0, and where the
/// client's credentials and the token go when not where they go by default.
fn describe_oauth2(oauth: &OAuth2Auth) -> String {
    let credentials = match &oauth.credentials {
        Configured::Literal(location) => format!("in {}", location.word()),
        Configured::Secret(secret) => format!("placed by secret `{}`", secret.name),
    };
    let token_url = match &oauth.token_url {
        Setting::Literal(url) => format!("`{}`", one_line(&urls::shown(url))),
        secret => describe_setting(secret),
    };
    // where the token goes, when not `Authorization: Bearer <token>`
    let header = match &oauth.header_name {
        Setting::Literal(name) if name.eq_ignore_ascii_case(DEFAULT_TOKEN_HEADER) => String::new(),
        name => format!(", token in header {}", describe_setting(name)),
    };
    let prefix = match &oauth.token_prefix {
        Setting::Literal(prefix) if prefix == DEFAULT_TOKEN_PREFIX => String::new(),
        Setting::Literal(prefix) if prefix.is_empty() => ", no token prefix".to_string(),
        prefix => format!(", token prefix {}", describe_setting(prefix)),
    };
    let client = format!(
        "client id {}, client secret {}",
        describe_setting(&oauth.client_id),
        describe_setting(&oauth.client_secret)
    );
    let (scope, params) = (describe_scope(oauth.scope.as_ref()), describe_token_params(&oauth.token_params));
    format!("oauth2 (token URL {token_url}, {client}{scope}{params}, client credentials {credentials}{header}{prefix})")
}

/// `` , scope `read` ``, or nothing when none is asked for.
fn describe_scope(scope: Option<&Setting>) -> String {
    match scope {
        None => String::new(),
        Some(Setting::Literal(scope)) if scope.is_empty() => String::new(),
        Some(Setting::Secret(secret)) if !secret.required => format!(", scope from secret `{}` if set", secret.name),
        Some(scope) => format!(", scope {}", describe_setting(scope)),
    }
}

/// `` , token params: audience `https://..` ``, or nothing without any.
fn describe_token_params(params: &[(Text, Setting)]) -> String {
    if params.is_empty() {
        return String::new();
    }
    let described: Vec<String> = params
        .iter()
        .map(|(name, value)| match is_plain_word(name) {
            true => format!("{name} {}", describe_setting(value)),
            // it may be a key pasted where a name goes
            false => "a parameter whose name is not shown".to_string(),
        })
        .collect();
    format!(", token params: {}", described.join(", "))
}

/// `; tls: CA from secret `SHOP_CA`, ..`, the secrets of the `tls:` settings, or
/// nothing without them.
fn describe_tls(tls: &Tls) -> String {
    let settings = [("CA", &tls.ca), ("client certificate", &tls.client_cert), ("client key", &tls.client_key)];
    let described: Vec<String> = (settings.into_iter())
        .filter_map(|(what, secret)| secret.as_ref().map(|secret| format!("{what} from secret `{}`", secret.name)))
        .collect();
    match described.is_empty() {
        true => String::new(),
        false => format!("; tls: {}", described.join(", ")),
    }
}

/// A literal as written; a secret as the name it is read from.
fn describe_setting(setting: &Setting) -> String {
    match setting {
        Setting::Literal(text) => format!("`{}`", one_line(text)),
        Setting::Secret(secret) => format!("from secret `{}`", secret.name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use conv_api_definitions::parse_str;

    #[test]
    fn a_password_in_a_base_url_is_not_shown_and_an_empty_description_adds_nothing() {
        let yaml = "api_integrations:
  - name: legacy
    description: ''
    environments:
      live: { base_url: \"https://agent:s3cr3t@legacy.example/v1\" }
      sandbox:
        base_url: https://sandbox.legacy.example
        auth_type: oauth2
        auth: { token_url: \"https://id:t0ken@auth.legacy.example/token\" }
    operations: []
";
        let checked = parse_str("apis.yaml", yaml).expect("a warning, not an error");
        assert!(
            checked.warnings.items.iter().any(|w| w.message.contains("holds a password")),
            "{:?}",
            checked.warnings
        );
        let shown = render(&checked.definitions);
        assert!(!shown.contains("s3cr3t") && !shown.contains("agent:") && !shown.contains("t0ken"), "{shown}");
        assert!(shown.contains("token URL `https://***@auth.legacy.example/token`"), "{shown}");
        assert!(shown.starts_with("legacy\n") && shown.contains("https://***@legacy.example/v1"), "{shown}");
        let sent = "no auth, and the base URL's user info as Basic auth where no `Authorization` header is set";
        assert!(shown.contains(sent), "what a call sends: {shown}");
    }

    #[test]
    fn oauth2_shows_its_client_id_scope_and_token_params_and_no_secret() {
        let yaml = "api_integrations:
  - name: booking
    environments:
      live:
        base_url: https://booking.example
        auth_type: oauth2
        auth:
          token_url: https://id.example/token
          client_id: agent-7
          client_secret: { secret: BOOKING_SECRET }
          scope: bookings.read
          token_params: { audience: https://booking.example, resource: { secret: BOOKING_RESOURCE }, sk9x_live_4f3a9b: a }
      sandbox:
        base_url: https://sandbox.booking.example
        auth_type: oauth2
        auth: { token_url: https://id.example/token }
    operations: []
";
        let shown = render(&parse_str("apis.yaml", yaml).expect("valid").definitions);
        let live = "oauth2 (token URL `https://id.example/token`, client id `agent-7`, client secret from secret `BOOKING_SECRET`, scope `bookings.read`, \
            token params: audience `https://booking.example`, resource from secret `BOOKING_RESOURCE`, \
            a parameter whose name is not shown, client credentials in header)";
        assert!(shown.contains(live), "{shown}");
        let sandbox =
            "oauth2 (token URL `https://id.example/token`, client id from secret `BOOKING_SANDBOX_CLIENT_ID`, \
            client secret from secret `BOOKING_SANDBOX_CLIENT_SECRET`, scope from secret `BOOKING_SANDBOX_SCOPE` if set, client credentials in header)";
        assert!(shown.contains(sandbox), "{shown}");
        assert!(!shown.contains("sk9x"), "{shown}");
    }

    #[test]
    fn a_credential_written_in_a_resource_is_not_shown() {
        let yaml = "api_integrations:
  - name: crm
    environments: { live: { base_url: https://crm.example } }
    operations:
      - { name: find, method: GET, resource: \"/people?token=abc123&q={q}\" }
";
        let checked = parse_str("apis.yaml", yaml).expect("a warning, not an error");
        let shown = render(&checked.definitions);
        assert!(shown.contains("/people?token=***&q={q}") && !shown.contains("abc123"), "{shown}");
    }

    #[test]
    fn text_of_the_file_reaches_the_terminal_escaped_and_a_description_on_one_line() {
        let yaml = "api_integrations:
  - name: evil
    description: \"red \\e[31mALERT\\n\u{202e}gnp.exe\"
    environments:
      live:
        base_url: https://evil.example
        auth_type: basic
        auth: { username: \"bob\\e[2J\\rtrusted\" }
    operations:
      - { name: search, method: GET, resource: /s }
";
        let shown = render(&parse_str("apis.yaml", yaml).expect("valid").definitions);
        assert!(shown.starts_with("evil: red \\u{1b}[31mALERT \\u{202e}gnp.exe\n"), "{shown}");
        assert!(
            shown.contains("basic (username `bob\\u{1b}[2J\\rtrusted`, password from secret `EVIL_LIVE_PASSWORD`)"),
            "{shown}"
        );
        assert!(!shown.chars().any(|c| (c.is_control() && c != '\n') || c == '\u{202e}'), "{shown:?}");
    }

    #[test]
    fn renders_operations_and_environments() {
        let yaml = "api_integrations:
  - name: zendesk
    description: Support tickets
    environments:
      sandbox: { base_url: \"http://localhost:8080\", auth_type: basic }
      live:
        base_url: https://z.example/api
        auth_type: apiKey
        auth: { name: Authorization, prefix: Bearer, value: { secret: Z_KEY } }
    operations:
      - { name: get_ticket, method: GET, resource: \"/tickets/{ticket_id}?full={full}\" }
      - { name: list, method: get, resource: /tickets }
";
        let checked = parse_str("apis.yaml", yaml).unwrap();
        let text = render(&checked.definitions);
        let expected = "zendesk: Support tickets
  operations:
    GET  get_ticket  /tickets/{ticket_id}?full={full}  (ticket_id, full)
    GET  list        /tickets                          -
  environments:
    sandbox      http://localhost:8080  basic (username from secret `ZENDESK_SANDBOX_USERNAME`, password from secret `ZENDESK_SANDBOX_PASSWORD`)
    pre-release  not configured
    live         https://z.example/api  apiKey (header `Authorization`, prefix `Bearer`, key from secret `Z_KEY`)
";
        assert_eq!(text, expected);
    }

    #[test]
    fn oauth2_shows_the_token_url() {
        let yaml = "api_integrations:
  - name: crm
    environments:
      live:
        base_url: https://crm.example
        auth_type: oauth2
        auth: { token_url: \"https://crm.example/token\", credentials: body }
";
        let text = render(&parse_str("apis.yaml", yaml).unwrap().definitions);
        assert!(
            text.contains(
                "oauth2 (token URL `https://crm.example/token`, client id from secret `CRM_LIVE_CLIENT_ID`, \
            client secret from secret `CRM_LIVE_CLIENT_SECRET`, scope from secret `CRM_LIVE_SCOPE` if set, client credentials in body)"
            ),
            "{text}"
        );
        assert!(text.contains("    none\n"), "{text}");
    }

    #[test]
    fn oauth2_shows_where_the_token_goes_when_not_the_default() {
        let file = |settings: &str| {
            let yaml = format!(
                "api_integrations:\n  - name: crm\n    environments:\n      live:\n        base_url: https://crm.example\n        auth_type: oauth2\n        auth: {{ token_url: \"https://crm.example/token\"{settings} }}\n"
            );
            render(&parse_str("apis.yaml", &yaml).unwrap().definitions)
        };
        let default = "client credentials in header)";
        assert!(
            file("").contains(default) && file(", header_name: authorization, token_prefix: Bearer").contains(default)
        );
        let custom = file(", header_name: X-Auth-Token, token_prefix: Token");
        assert!(
            custom.contains("client credentials in header, token in header `X-Auth-Token`, token prefix `Token`)"),
            "{custom}"
        );
        let bare = file(", token_prefix: \"\"");
        assert!(bare.contains("client credentials in header, no token prefix)"), "{bare}");
    }

    #[test]
    fn settings_read_from_secrets_show_the_secret_names() {
        let yaml = "api_integrations:
  - name: crm
    environments:
      sandbox:
        base_url: https://sandbox.crm.example
        auth_type: apiKey
        auth: { location: { secret: WHERE }, name: { secret: NAME }, prefix: Token }
      live:
        base_url: https://crm.example
        auth_type: oauth2
        auth: { credentials: { secret: HOW } }
";
        let text = render(&parse_str("apis.yaml", yaml).unwrap().definitions);
        let key = "apiKey (location from secret `WHERE`, name from secret `NAME`, prefix `Token`, key from secret `CRM_SANDBOX_API_KEY`)";
        assert!(text.contains(key), "{text}");
        assert!(text.contains("client credentials placed by secret `HOW`)"), "{text}");
    }

    #[test]
    fn tls_settings_show_their_secret_names() {
        let yaml = "api_integrations:
  - name: shop
    environments:
      sandbox: { base_url: https://sandbox.shop.example, tls: { ca: { secret: SHOP_CA } } }
      live:
        base_url: https://shop.example
        tls: { ca: { secret: SHOP_CA }, client_cert: { secret: SHOP_CERT }, client_key: { secret: SHOP_KEY } }
";
        let text = render(&parse_str("apis.yaml", yaml).unwrap().definitions);
        assert!(text.contains("no auth; tls: CA from secret `SHOP_CA`\n"), "{text}");
        let live = "no auth; tls: CA from secret `SHOP_CA`, client certificate from secret `SHOP_CERT`, client key from secret `SHOP_KEY`\n";
        assert!(text.contains(live), "{text}");
        // as `secrets` leaves them out where no request goes over TLS
        let local = render(
            &parse_str("apis.yaml", &yaml.replace("https://sandbox.shop.example", "http://127.0.0.1:8080"))
                .unwrap()
                .definitions,
        );
        assert!(local.contains("no auth; tls: unused, every request is plain `http`\n"), "{local}");
    }

    #[test]
    fn empty_file_says_so() {
        let checked = parse_str("apis.yaml", "api_integrations: []\n").unwrap();
        assert_eq!(render(&checked.definitions), "no APIs (`api_integrations` is empty)\n");
    }
}
