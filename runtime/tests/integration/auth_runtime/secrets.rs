//! Missing secrets: named at once and before anything is sent, at start-up
//! (`missing_secrets`, `preflight`), masked in messages; the dotenv file.

use super::*;

#[tokio::test]
async fn a_missing_secret_is_named_and_nothing_is_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&server).await;
    let conv = conversation(&server.uri(), "apiKey", "", MapSecretStore::new());
    let error = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::MissingSecret);
    assert!(error.to_string().contains("`ZENDESK_SANDBOX_API_KEY`"), "{error}");
    let call = conv.log.entries()[0].request.clone().unwrap();
    assert_eq!(call.error_kind, Some(ErrorKind::MissingSecret));
}

#[tokio::test]
async fn an_empty_setting_from_the_store_is_missing_as_missing_secrets_says() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&server).await;
    let auth = "{ prefix: { secret: KEY_PREFIX }, location: { secret: KEY_WHERE } }";
    for (empty, other) in [("KEY_PREFIX", "KEY_WHERE"), ("KEY_WHERE", "KEY_PREFIX")] {
        let store = || MapSecretStore::new().with("ZENDESK_SANDBOX_API_KEY", "k").with(empty, "").with(other, "header");
        let conv = conversation(&server.uri(), "apiKey", auth, store());
        let error = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::MissingSecret, "{error}");
        assert!(error.to_string().contains(&format!("`{empty}`")), "{error}");
        let config = auth_support::environment(&server.uri(), "apiKey", auth);
        let missing: Vec<String> =
            conv_api_runtime::missing_secrets(&config, &store()).into_iter().map(|m| m.name).collect();
        assert_eq!(missing, [empty], "what is missing at run time is what missing_secrets reports");
    }
}

#[tokio::test]
async fn a_missing_client_secret_sends_no_token_request_either() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(token_response("t", 3600)).expect(0).mount(&server).await;
    let conv = conversation(&server.uri(), "oauth2", &oauth_auth(&server, ""), MapSecretStore::new());
    let error = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::MissingSecret);
    assert!(error.to_string().contains("`CS`"), "{error}");
}

#[tokio::test]
async fn a_dotenv_file_is_asked_after_the_store() {
    let server = MockServer::start().await;
    for key in ["from-file", "from-store"] {
        Mock::given(header("x-api-key", key)).respond_with(ResponseTemplate::new(200)).expect(1).mount(&server).await;
    }
    let file = std::env::temp_dir().join(format!("conv-api-auth-{}.env", std::process::id()));
    std::fs::write(&file, "# local\nexport ZENDESK_SANDBOX_API_KEY=from-file\n").unwrap();
    let yaml = format!(
        "api_integrations:\n  - name: zendesk\n    environments:\n      sandbox: {{ base_url: \"{}\", auth_type: apiKey }}\n    operations:\n      - {{ name: get_ticket, method: GET, resource: \"/tickets/{{ticket_id}}\" }}\n",
        server.uri()
    );
    let apis = DynamicApis::parse("apis.yaml", &yaml).unwrap();
    let stores = [MapSecretStore::new(), MapSecretStore::new().with("ZENDESK_SANDBOX_API_KEY", "from-store")];
    let mut statuses = Vec::new();
    for store in stores {
        let builder = Runtime::builder().environment(Environment::Sandbox).secrets(store).dotenv(&file);
        let conv = builder.build().unwrap().dynamic_conversation(&apis);
        statuses.push(conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.map(|r| r.status_code()));
    }
    std::fs::remove_file(&file).unwrap();
    assert_eq!(statuses.into_iter().map(Result::unwrap).collect::<Vec<_>>(), [200, 200]);
}

#[test]
fn a_dotenv_file_that_cannot_be_read_fails_the_build() {
    let missing = std::env::temp_dir().join("conv-api-no-such-dir").join("secrets.env");
    let error = Runtime::builder().dotenv(&missing).build().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Config);
    assert!(error.to_string().contains("secrets.env"), "{error}");
    // a file with bad lines: the first, and how many more, on one line
    let bad = std::env::temp_dir().join(format!("conv-api-bad-{}.env", std::process::id()));
    std::fs::write(&bad, "A=1\nno pair\n=x\n").unwrap();
    let error = Runtime::builder().dotenv(&bad).build().unwrap_err();
    std::fs::remove_file(&bad).unwrap();
    let message = error.to_string();
    assert!(
        message.contains(":2: error: expected `KEY=value`")
            && message.contains("(and 1 more bad line); `conv-api secrets <definitions file> --check --dotenv /")
            && message.ends_with(".env` lists each"),
        "{message}"
    );
    assert!(!message.contains('\n'), "{message}");
}

#[test]
fn missing_secrets_at_start_up_cover_wired_and_overridden_apis_once_each() {
    let yaml = "api_integrations:
  - name: a
    environments: { live: { base_url: https://a.example, auth_type: apiKey, auth: { value: { secret: SHARED_KEY } } } }
    operations: []
  - name: b
    environments: { live: { base_url: https://b.example, auth_type: apiKey, auth: { value: { secret: SHARED_KEY } } } }
    operations: []
  - name: c
    environments: { live: { base_url: \"\", tls: { ca: { secret: C_CA } } } }
    operations: []
  - name: d
    environments: { live: { base_url: \"\", tls: { ca: { secret: D_CA } } } }
    operations: []
";
    let apis = DynamicApis::parse("apis.yaml", yaml).unwrap();
    let store = MapSecretStore::new().with("SHARED_KEY", " \n");
    let runtime = Runtime::builder()
        .environment(Environment::Live)
        .secrets(store)
        .base_url("c", "https://c.example")
        .build()
        .unwrap();
    let missing = runtime.dynamic_missing_secrets(&apis);
    let names: Vec<&str> = missing.iter().map(|m| m.name.as_str()).collect();
    // blank is missing, named once; `c` is called through its override, `d` cannot be called
    assert_eq!(names, ["SHARED_KEY", "C_CA"]);
    // each says the environment, the setting and the API it is for
    assert_eq!(missing[0].environment, Some(Environment::Live));
    assert!(
        missing[0].to_string().starts_with(
            "missing secret `SHARED_KEY` in environment `live` (named for `auth.value` of API `a` in the definitions file); "
        ),
        "{}",
        missing[0]
    );
    assert!(
        missing[1].to_string().starts_with(
            "missing secret `C_CA` in environment `live` (named for `tls.ca` of API `c` in the definitions file); "
        ),
        "{}",
        missing[1]
    );
    // what goes there, as a call's TLS error says
    assert!(missing[1].to_string().ends_with("; its value is PEM text or the path of a PEM file"), "{}", missing[1]);
    assert!(!missing[0].to_string().contains("PEM"), "{}", missing[0]);
}

/// The start-up check offers no secret the definitions read for another as a slip of
/// a missing one, nor lets it hide a real slip.
#[test]
fn missing_secrets_at_start_up_offer_no_name_the_definitions_read_as_a_slip() {
    let api = |name: &str, key: &str| {
        format!("  - name: {name}\n    environments: {{ live: {{ base_url: \"https://{name}.example\", auth_type: apiKey, auth: {{ value: {{ secret: {key} }} }} }} }}\n    operations: []\n")
    };
    let yaml = format!("api_integrations:\n{}{}", api("a", "SHOP_KEY"), api("b", "SHOP_KEYS"));
    let apis = DynamicApis::parse("apis.yaml", &yaml).unwrap();
    let similar = |store: MapSecretStore| {
        let runtime = Runtime::builder().environment(Environment::Live).secrets(store).build().unwrap();
        runtime
            .dynamic_missing_secrets(&apis)
            .into_iter()
            .map(|secret| (secret.name, secret.similar))
            .collect::<Vec<_>>()
    };
    assert_eq!(similar(MapSecretStore::new().with("SHOP_KEYS", "k")), [("SHOP_KEY".to_string(), None)]);
    let with_slip = MapSecretStore::new().with("SHOP_KEYS", "k").with("SHOP_KY", "k");
    assert_eq!(similar(with_slip), [("SHOP_KEY".to_string(), Some("SHOP_KY".to_string()))]);
}

/// A call, and the start-up checks, offer no secret another API of the conversation's
/// definitions reads as a slip of a missing one: not for auth, not for `tls:`.
#[tokio::test]
async fn a_call_offers_no_name_its_definitions_read_as_a_slip() {
    let api = |name: &str, settings: &str| {
        format!("  - name: {name}\n    environments: {{ live: {{ base_url: \"https://{name}.example\", {settings} }} }}\n    operations: [{{ name: ping, method: GET, resource: /ping }}]\n")
    };
    let key = |secret: &str| format!("auth_type: apiKey, auth: {{ value: {{ secret: {secret} }} }}");
    let ca = |secret: &str| format!("tls: {{ ca: {{ secret: {secret} }} }}");
    let yaml = format!(
        "api_integrations:\n{}{}{}{}",
        api("crm", &key("CRM_KEY")),
        api("crma", &key("CRM_KEYS")),
        api("shop", &ca("SHOP_CA")),
        api("shopa", &ca("SHOP_CAS"))
    );
    let apis = DynamicApis::parse("apis.yaml", &yaml).unwrap();
    let runtime = |store: MapSecretStore| {
        Runtime::builder()
            .environment(Environment::Live)
            .secrets(store)
            .retry(RetryPolicy { attempts: 1, ..RetryPolicy::default() })
            .build()
            .unwrap()
    };
    let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    let others = MapSecretStore::new().with("CRM_KEYS", "k").with("SHOP_CAS", pem);
    let checked = runtime(others.clone());
    let preflight: Vec<String> = checked.dynamic_preflight(&apis).iter().map(ToString::to_string).collect();
    assert!(preflight.iter().all(|problem| !problem.contains("did you mean")), "{preflight:#?}");
    let conv = runtime(others).dynamic_conversation(&apis);
    for api in ["crm", "shop"] {
        let error = conv.api.call(api, "ping").await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::MissingSecret, "{error}");
        assert!(!error.to_string().contains("did you mean"), "{error}");
    }
    // a real slip beside them is offered
    let slips =
        MapSecretStore::new().with("CRM_KEYS", "k").with("CRM_KY", "k").with("SHOP_CAS", pem).with("SHOP_C", pem);
    let conv = runtime(slips).dynamic_conversation(&apis);
    for (api, slip) in [("crm", "CRM_KY"), ("shop", "SHOP_C")] {
        let error = conv.api.call(api, "ping").await.unwrap_err();
        assert!(error.to_string().contains(&format!("did you mean `{slip}`, which the store holds?")), "{error}");
    }
}

/// The start-up check finds what fails every call of an API, each problem the error
/// the API's first call gets; an API that would work has none.
#[tokio::test]
async fn preflight_finds_each_api_whose_every_call_would_fail_as_its_call_does() {
    let ping = "operations: [{ name: ping, method: GET, resource: /ping }]";
    let yaml = format!(
        "api_integrations:
  - name: pasted_key
    environments: {{ live: {{ base_url: https://a.example, auth_type: apiKey }} }}
    {ping}
  - name: no_password
    environments: {{ live: {{ base_url: https://b.example, auth_type: basic }} }}
    {ping}
  - name: sandbox_only
    environments: {{ sandbox: {{ base_url: https://c.example }} }}
    {ping}
  - name: bad_ca
    environments: {{ live: {{ base_url: https://d.example, tls: {{ ca: {{ secret: D_CA }} }} }} }}
    {ping}
  - name: bad_token_url
    environments: {{ live: {{ base_url: https://e.example, auth_type: oauth2 }} }}
    {ping}
  - name: clear_text
    environments: {{ live: {{ base_url: https://f.example, auth_type: apiKey }} }}
    {ping}
  - name: fine
    environments: {{ live: {{ base_url: https://g.example, auth_type: apiKey }} }}
    {ping}
  - name: local
    environments: {{ live: {{ base_url: \"\" }} }}
    {ping}
"
    );
    let apis = DynamicApis::parse("apis.yaml", &yaml).unwrap();
    let store = MapSecretStore::new()
        .with("PASTED_KEY_LIVE_API_KEY", "k-1\nk-2")
        .with("NO_PASSWORD_LIVE_USERNAME", "agent")
        .with("D_CA", "see the wiki")
        .with("BAD_TOKEN_URL_LIVE_TOKEN_URL", "tokens.example/oauth")
        .with("BAD_TOKEN_URL_LIVE_CLIENT_ID", "app")
        .with("BAD_TOKEN_URL_LIVE_CLIENT_SECRET", "s3cret-of-the-app")
        .with("CLEAR_TEXT_LIVE_API_KEY", "key-over-http")
        .with("FINE_LIVE_API_KEY", "key-1");
    let runtime = Runtime::builder()
        .environment(Environment::Live)
        .secrets(store)
        .base_url("clear_text", "http://f.example")
        .base_url("local", "http://127.0.0.1:1")
        .build()
        .unwrap();
    let problems = runtime.dynamic_preflight(&apis);
    let found: Vec<(ErrorKind, String)> =
        problems.iter().map(|problem| (problem.kind(), problem.to_string())).collect();
    let expected = [
        (ErrorKind::Auth, "`pasted_key`: auth: the secret `PASTED_KEY_LIVE_API_KEY` (the auth `value`)"),
        (ErrorKind::MissingSecret, "`no_password`: missing secret `NO_PASSWORD_LIVE_PASSWORD` in environment `live` ("),
        (
            ErrorKind::NotConfigured,
            "`sandbox_only`: API `sandbox_only` is not configured for environment `live` (no base URL)",
        ),
        (ErrorKind::Config, "`bad_ca`: `tls`: secret `D_CA` (`tls.ca`) is not PEM text"),
        (ErrorKind::Auth, "`bad_token_url`: auth: "),
        (ErrorKind::Auth, "`clear_text`: auth: credentials never travel in clear text: `http://f.example/`"),
    ];
    assert_eq!(found.len(), expected.len(), "{found:#?}");
    for ((kind, text), (expected_kind, start)) in found.iter().zip(expected) {
        assert_eq!(*kind, expected_kind, "{text}");
        assert!(text.starts_with(start), "{text}");
    }
    // each names its API for code too
    let named_apis: Vec<Option<&str>> = problems.iter().map(|problem| problem.api()).collect();
    let named = ["pasted_key", "no_password", "sandbox_only", "bad_ca", "bad_token_url", "clear_text"].map(Some);
    assert_eq!(named_apis, named);
    assert!(found[4].1.contains("token_url"), "{}", found[4].1);
    for secret in ["k-1", "see the wiki", "tokens.example", "s3cret-of-the-app", "key-over-http"] {
        assert!(!found.iter().any(|(_, text)| text.contains(secret)), "{secret} shown: {found:#?}");
    }
    // each is what the API's first call fails with, before anything is sent
    let conv = runtime.dynamic_conversation(&apis);
    for (api, (kind, _)) in
        ["pasted_key", "no_password", "sandbox_only", "bad_ca", "bad_token_url", "clear_text"].iter().zip(&found)
    {
        let error = conv.api.call(api, "ping").await.unwrap_err();
        assert_eq!(error.kind(), *kind, "{api}: {error}");
    }
}

/// A `.base_url(..)` whose name is misspelt: the check says so, as the call does.
#[tokio::test]
async fn preflight_of_an_api_not_configured_names_a_misspelt_override_as_its_call_does() {
    let yaml = "api_integrations:
  - name: helpdesk
    environments: { sandbox: { base_url: https://sandbox.helpdesk.example } }
    operations: [{ name: ping, method: GET, resource: /ping }]
";
    let apis = DynamicApis::parse("apis.yaml", yaml).unwrap();
    let runtime =
        Runtime::builder().environment(Environment::Live).base_url("helpdesks", "http://127.0.0.1:1").build().unwrap();
    let call = runtime.dynamic_conversation(&apis).api.call("helpdesk", "ping").await.unwrap_err();
    let problems = runtime.dynamic_preflight(&apis);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].kind(), ErrorKind::NotConfigured);
    let hint = "; the runtime's `.base_url(\"helpdesks\", ..)` names no API (did you mean `helpdesk`?)";
    assert!(problems[0].to_string().ends_with(hint), "{}", problems[0]);
    assert_eq!(call.message(), problems[0].message(), "the call: {call}");
    assert_eq!(problems[0].api(), Some("helpdesk"));
}

#[tokio::test]
async fn a_call_names_every_secret_its_environment_lacks_at_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(token_response("t", 3600)).expect(0).mount(&server).await;
    let conv = conversation(&server.uri(), "oauth2", "", MapSecretStore::new());
    let error = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::MissingSecret);
    let message = error.to_string();
    assert!(
        message.contains(
            "environment `sandbox`: 3 secrets are missing from the secret store: (1) `ZENDESK_SANDBOX_TOKEN_URL`"
        ),
        "{message}"
    );
    for name in ["(2) `ZENDESK_SANDBOX_CLIENT_ID`", "(3) `ZENDESK_SANDBOX_CLIENT_SECRET`"] {
        assert!(message.contains(name), "{message}");
    }
    // where to add them, once, after the list
    let advice = "(3) `ZENDESK_SANDBOX_CLIENT_SECRET` (the conventional name for `auth.client_secret`, which the definitions file leaves out); add them to the secret store this runtime reads, MapSecretStore holding no secret (an empty or blank value counts as missing); nothing was sent";
    assert!(message.ends_with(advice), "{message}");
    assert_eq!(message.matches("MapSecretStore").count(), 1, "{message}");
    // the call's context names the API, once
    assert!(message.starts_with("`zendesk.get_ticket` (GET ") && !message.contains("`zendesk`"), "{message}");
    // where the message is read without the context (a log's `error`), the API is the error's
    assert_eq!((error.api(), error.operation()), (Some("zendesk"), Some("get_ticket")));
    assert!(error.message().starts_with("environment `sandbox`: 3 secrets are missing"), "{}", error.message());
}

/// A store whose description breaks `describe`'s rule and shows a value.
struct Telling(MapSecretStore);

impl SecretStore for Telling {
    fn get(&self, name: &str) -> Option<secrecy::SecretString> {
        self.0.get(name)
    }

    fn describe(&self) -> String {
        "Telling { OTHER_KEY: other-value-12345 }".to_string()
    }
}

#[tokio::test]
async fn a_stores_description_is_masked_of_known_secrets_in_a_missing_secrets_message() {
    let server = MockServer::start().await;
    let store = Telling(MapSecretStore::new().with("OTHER_KEY", "other-value-12345"));
    let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(store).build().unwrap();
    runtime.redactor().add_secret(&secrecy::SecretString::from("other-value-12345"));
    let apis = DynamicApis::parse("apis.yaml", &auth_support::definitions_yaml(&server.uri(), "apiKey", "")).unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    let error = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap_err();
    assert!(error.to_string().contains("this runtime reads, Telling { OTHER_KEY: *** }"), "{error}");
    assert!(!conv.log.to_jsonl().contains("other-value-12345"));
}

/// A name the store holds may be a value too (a key pasted where its name goes):
/// every missing secret's "did you mean", not the first one's only, is masked.
#[tokio::test]
async fn each_missing_secrets_similar_name_is_masked_when_it_is_a_known_secret() {
    let server = MockServer::start().await;
    let pasted = "ZENDESK_SANDBOX_PASSWORX";
    let store = MapSecretStore::new().with(pasted, "x").with("ZENDESK_SANDBOX_USERNAMX", "y");
    let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(store).build().unwrap();
    runtime.redactor().add_secret(&secrecy::SecretString::from(pasted));
    let apis = DynamicApis::parse("apis.yaml", &auth_support::definitions_yaml(&server.uri(), "basic", "")).unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    let error = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap_err();
    let message = error.to_string();
    assert!(message.contains("2 secrets are missing"), "{message}");
    assert!(message.contains("did you mean `ZENDESK_SANDBOX_USERNAMX`"), "{message}");
    assert!(message.contains("did you mean `***`"), "{message}");
    assert!(!message.contains(pasted), "{message}");
    assert!(!conv.log.to_jsonl().contains(pasted));
}

#[tokio::test]
async fn a_secret_that_is_a_common_word_does_not_mask_the_missing_secret_advice() {
    let server = MockServer::start().await;
    // another API's password is `secret`: masked wherever it shows, but the advice is no echo of it
    let runtime = Runtime::builder()
        .environment(Environment::Sandbox)
        .secrets(MapSecretStore::new().with("OTHER_PASSWORD", "secret"))
        .build()
        .unwrap();
    runtime.redactor().add_secret(&secrecy::SecretString::from("secret"));
    let apis = DynamicApis::parse("apis.yaml", &auth_support::definitions_yaml(&server.uri(), "apiKey", "")).unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    let error = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap_err();
    assert!(error.to_string().contains("missing secret `ZENDESK_SANDBOX_API_KEY` (the conventional name for `auth.value`, which the definitions file leaves out); add it to the secret store"), "{error}");
    let logged = conv.log.entries()[0].request.clone().and_then(|call| call.error).unwrap_or_default();
    let advice = "add it to the secret store this runtime reads, MapSecretStore holding `OTHER_PASSWORD`";
    assert!(logged.contains(advice), "and so does its log entry: {logged}");
}

#[tokio::test]
async fn a_missing_token_prefix_is_found_before_the_client_secret_goes_to_the_token_server() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token")).respond_with(token_response("tok-1", 3600)).mount(&server).await;
    Mock::given(path("/tickets/1")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let (conv, store) = rotating_oauth(&server, ", token_prefix: { secret: PREFIX }");
    let call = || conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).into_future();
    let error = call().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::MissingSecret, "{error}");
    assert!(error.to_string().contains("missing secret `PREFIX`") && error.to_string().ends_with("; nothing was sent"));
    assert_eq!(hits(&server, "/oauth/token").await, 0, "no token request, so the client secret stayed here");
    store.set("PREFIX", "Token");
    assert_eq!(call().await.unwrap().status_code(), 200);
    assert_eq!(hits(&server, "/oauth/token").await, 1);
}
