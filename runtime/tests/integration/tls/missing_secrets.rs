//! Missing TLS secrets: needed only where a request may go over TLS, read once,
//! and each named once, alike by a call and the start-up checks.

use super::*;

#[tokio::test]
async fn a_missing_tls_secret_fails_before_connecting() {
    let pki = pki();
    let (url, accepted) = https_server(&pki, false).await;
    let error = ping(&runtime("private", &url, MapSecretStore::new()), "private").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::MissingSecret, "{error}");
    assert!(error.to_string().contains("`PRIVATE_CA`") && error.to_string().contains("`tls.ca`"), "{error}");
    assert_eq!(accepted.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_plain_http_server_in_place_of_the_base_url_needs_no_tls_secret() {
    let server = wiremock::MockServer::start().await;
    let ok = wiremock::ResponseTemplate::new(200);
    wiremock::Mock::given(wiremock::matchers::any()).respond_with(ok).expect(1).mount(&server).await;
    let response = ping(&runtime("private", &server.uri(), MapSecretStore::new()), "private").await;
    assert_eq!(response.map(|response| response.status_code()).map_err(|error| error.to_string()), Ok(200));
}

#[tokio::test]
async fn a_plain_http_token_server_in_place_needs_no_tls_secret_either() {
    let server = wiremock::MockServer::start().await;
    let token = serde_json::json!({ "access_token": "t-1", "expires_in": 3600 });
    let token = wiremock::ResponseTemplate::new(200).set_body_json(token);
    wiremock::Mock::given(wiremock::matchers::path("/token")).respond_with(token).expect(1).mount(&server).await;
    let ok = wiremock::ResponseTemplate::new(200);
    wiremock::Mock::given(wiremock::matchers::path("/ping")).respond_with(ok).expect(1).mount(&server).await;
    let secrets = MapSecretStore::new()
        .with("SECURED_SANDBOX_TOKEN_URL", format!("{}/token", server.uri()))
        .with("SECURED_SANDBOX_CLIENT_ID", "agent")
        .with("SECURED_SANDBOX_CLIENT_SECRET", "s3cret");
    let response = ping(&runtime("secured", &server.uri(), secrets), "secured").await;
    assert_eq!(response.map(|response| response.status_code()).map_err(|error| error.to_string()), Ok(200));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_first_calls_read_the_tls_secrets_once() {
    let pki = pki();
    let (url, _) = https_server(&pki, false).await;
    let reads = Arc::new(AtomicUsize::new(0));
    let store = CountingStore { ca: pki.ca.pem(), reads: Arc::clone(&reads) };
    let runtime =
        Runtime::builder().environment(Environment::Sandbox).base_url("private", &url).secrets(store).build().unwrap();
    let apis = DynamicApis::parse("tls.yaml", YAML).unwrap();
    let calls = (0..20).map(|_| {
        let conv = runtime.dynamic_conversation(&apis);
        tokio::spawn(async move { conv.api.call("private", "ping").await.map(|response| response.status_code()).ok() })
    });
    for call in calls.collect::<Vec<_>>() {
        assert_eq!(call.await.unwrap(), Some(200));
    }
    assert_eq!(reads.load(Ordering::SeqCst), 1, "one read of `PRIVATE_CA` for the API");
}

/// A store holding the CA under `PRIVATE_CA`, counting its reads.
struct CountingStore {
    ca: String,
    reads: Arc<AtomicUsize>,
}

impl conv_api_runtime::SecretStore for CountingStore {
    fn get(&self, name: &str) -> Option<conv_api_runtime::SecretString> {
        (name == "PRIVATE_CA").then(|| {
            self.reads.fetch_add(1, Ordering::SeqCst);
            conv_api_runtime::SecretString::from(self.ca.clone())
        })
    }
}

#[tokio::test]
async fn every_missing_tls_secret_is_named_at_once() {
    let (url, accepted) = https_server(&pki(), true).await;
    let error = ping(&runtime("mutual", &url, MapSecretStore::new()), "mutual").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::MissingSecret, "{error}");
    let text = error.to_string();
    assert!(
        text.contains("environment `sandbox`: 3 secrets are missing from the secret store: (1) `MUTUAL_CA` (named for `tls.ca` in the definitions file) (2) `MUTUAL_CERT` (named for `tls.client_cert` in the definitions file) (3) `MUTUAL_KEY` (named for `tls.client_key` in the definitions file); add them to the secret store this runtime reads, MapSecretStore holding no secret (an empty or blank value counts as missing); a `tls:` secret's value is PEM text or the path of a PEM file"),
        "{text}"
    );
    assert_eq!(text.matches("MapSecretStore").count(), 1, "the store is described once: {text}");
    assert_eq!(accepted.load(Ordering::SeqCst), 0);
}

/// A missing `tls:` secret is told in the words of a missing auth secret, by a call,
/// by `missing_secrets` and by `preflight`, the start-up checks with its environment.
#[tokio::test]
async fn a_missing_tls_secret_is_told_alike_by_a_call_and_the_start_up_checks() {
    let pki = pki();
    let (url, _) = https_server(&pki, true).await;
    let secrets = MapSecretStore::new().with("MUTUAL_CERT", pki.client.pem());
    let runtime = runtime("mutual", &url, secrets.with("MUTUAL_KEY", pki.client_key.serialize_pem()));
    let apis = DynamicApis::parse("tls.yaml", YAML).unwrap();
    let what = "missing secret `MUTUAL_CA` in environment `sandbox` (named for `tls.ca` in the definitions file); add it to the secret store this runtime reads, MapSecretStore holding `MUTUAL_CERT` and `MUTUAL_KEY` (an empty or blank value counts as missing); its value is PEM text or the path of a PEM file";
    let missing = runtime.dynamic_missing_secrets(&apis);
    let missing = missing.iter().find(|secret| secret.name == "MUTUAL_CA").map(ToString::to_string);
    assert_eq!(missing.as_deref(), Some(what.replace("`tls.ca`", "`tls.ca` of API `mutual`").as_str()));
    let problems = runtime.dynamic_preflight(&apis);
    let preflight = problems.iter().find(|problem| problem.api() == Some("mutual")).map(ToString::to_string);
    assert_eq!(preflight, Some(format!("`mutual`: {what}")), "{problems:?}");
    // a call names the environment first, as for its other `tls:` problems
    let call = runtime.dynamic_conversation(&apis).api.call("mutual", "ping").await.unwrap_err().to_string();
    let in_call = what.replace(" in environment `sandbox`", "");
    assert!(call.ends_with(&format!("environment `sandbox`: {in_call}; nothing was sent")), "{call}");
    assert!(call.starts_with("`mutual.ping` (GET ") && !call.contains("`mutual`"), "the API named once: {call}");
}

/// One secret named for an auth setting and a `tls:` one is told once, naming both,
/// by a call, `missing_secrets` and `preflight`.
#[tokio::test]
async fn a_missing_secret_that_auth_and_tls_both_name_is_told_once_with_both_settings() {
    let yaml = "api_integrations:\n  - name: same\n    environments:\n      sandbox:\n        base_url: https://same.example\n        auth_type: basic\n        auth: { username: agent, password: { secret: SAME_PEM } }\n        tls: { ca: { secret: SAME_PEM } }\n    operations:\n      - { name: ping, method: GET, resource: /ping }\n";
    let apis = DynamicApis::parse("tls.yaml", yaml).unwrap();
    let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(MapSecretStore::new()).build().unwrap();
    let both = "missing secret `SAME_PEM` (named for `auth.password` and `tls.ca` in the definitions file)";
    let call = runtime.dynamic_conversation(&apis).api.call("same", "ping").await.unwrap_err().to_string();
    assert!(call.contains(both) && call.matches("SAME_PEM").count() == 1, "{call}");
    assert!(call.contains("its value is PEM text or the path of a PEM file"), "{call}");
    let missing = runtime.dynamic_missing_secrets(&apis);
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert_eq!(missing[0].also_for(), ["tls.ca"]);
    let problems = runtime.dynamic_preflight(&apis);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    let once = both.replace("`SAME_PEM` (", "`SAME_PEM` in environment `sandbox` (");
    assert!(problems[0].to_string().contains(&once), "{}", problems[0]);
}

#[tokio::test]
async fn a_missing_secret_that_two_tls_fields_name_is_told_once() {
    let yaml = "api_integrations:\n  - name: shop\n    environments:\n      sandbox:\n        base_url: https://shop.example\n        tls: { client_cert: { secret: SHOP_TLS }, client_key: { secret: SHOP_TLS } }\n    operations:\n      - { name: ping, method: GET, resource: /ping }\n";
    let apis = DynamicApis::parse("tls.yaml", yaml).unwrap();
    let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(MapSecretStore::new()).build().unwrap();
    let error = runtime.dynamic_conversation(&apis).api.call("shop", "ping").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::MissingSecret, "{error}");
    let text = error.to_string();
    assert!(
        text.contains("missing secret `SHOP_TLS` (named for `tls.client_cert` and `tls.client_key` in the definitions file); add it to the secret store this runtime reads, MapSecretStore holding no secret"),
        "{text}"
    );
    assert_eq!(text.matches("SHOP_TLS").count(), 1, "{text}");
    // read once, and told of once, when it holds no PEM either
    let runtime = Runtime::builder()
        .environment(Environment::Sandbox)
        .secrets(MapSecretStore::new().with("SHOP_TLS", "see the wiki"))
        .build()
        .unwrap();
    let error = runtime.dynamic_conversation(&apis).api.call("shop", "ping").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Config, "{error}");
    let text = error.to_string();
    assert!(text.contains("secret `SHOP_TLS` (`tls.client_cert`, `tls.client_key`) is not PEM text"), "{text}");
    assert_eq!(text.matches("SHOP_TLS").count(), 1, "{text}");
}

/// A store whose description, against the rule, shows a value it holds.
struct TellingStore;

impl conv_api_runtime::SecretStore for TellingStore {
    fn get(&self, name: &str) -> Option<conv_api_runtime::SecretString> {
        (name == "OTHER_KEY").then(|| conv_api_runtime::SecretString::from("other-value-12345"))
    }

    fn describe(&self) -> String {
        "TellingStore { OTHER_KEY: other-value-12345 }".to_string()
    }
}

#[tokio::test]
async fn a_store_description_holding_a_known_secret_is_masked_where_missing_tls_secrets_are_told() {
    let (url, accepted) = https_server(&pki(), true).await;
    let runtime = Runtime::builder()
        .environment(Environment::Sandbox)
        .base_url("mutual", &url)
        .secrets(TellingStore)
        .build()
        .unwrap();
    runtime.redactor().add_secret(&conv_api_runtime::SecretString::from("other-value-12345"));
    let apis = DynamicApis::parse("tls.yaml", YAML).unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    let error = conv.api.call("mutual", "ping").await.unwrap_err();
    let text = error.to_string();
    assert!(
        text.contains("add them to the secret store this runtime reads, TellingStore { OTHER_KEY: *** }"),
        "{text}"
    );
    let log = conv.log.to_jsonl();
    assert!(log.contains("TellingStore { OTHER_KEY: *** }") && !log.contains("other-value"), "{log}");
    let missing = runtime.dynamic_missing_secrets(&apis);
    assert!(!missing.is_empty());
    for secret in missing {
        assert!(!secret.to_string().contains("other-value"), "{secret}");
    }
    assert_eq!(accepted.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_missing_secret_every_tls_field_names_is_named_once_in_a_calls_error() {
    let yaml = "api_integrations:
  - name: desk
    environments:
      sandbox:
        base_url: https://desk.example
        auth_type: basic
        auth: { username: bot }
        tls: { ca: { secret: DESK_PEM }, client_cert: { secret: DESK_PEM }, client_key: { secret: DESK_PEM } }
    operations:
      - { name: get_ticket, method: GET, resource: \"/tickets/{id}\" }
";
    let apis = DynamicApis::parse("apis.yaml", yaml).unwrap();
    let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(MapSecretStore::new()).build().unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    let error = conv.api.call("desk", "get_ticket").arg("id", 1).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::MissingSecret);
    let message = error.to_string();
    assert_eq!(message.matches("`DESK_PEM`").count(), 1, "{message}");
    assert!(message.contains("2 secrets are missing from the secret store"), "two secrets are missing: {message}");
}

#[tokio::test]
async fn tls_secrets_are_needed_only_where_a_request_may_go_over_tls() {
    let server = wiremock::MockServer::start().await;
    let ok = wiremock::ResponseTemplate::new(200);
    wiremock::Mock::given(wiremock::matchers::method("GET")).respond_with(ok).mount(&server).await;
    let yaml = |base: &str| {
        format!(
            "api_integrations:
  - name: desk
    environments:
      sandbox:
        base_url: {base}
        auth_type: basic
        auth: {{ username: bot }}
        tls: {{ ca: {{ secret: DESK_CA }} }}
    operations:
      - {{ name: get_ticket, method: GET, resource: \"/tickets/{{id}}\" }}
"
        )
    };
    let names = |missing: Vec<conv_api_runtime::MissingSecret>| missing.into_iter().map(|m| m.name).collect::<Vec<_>>();
    let store = || MapSecretStore::new().with("DESK_SANDBOX_PASSWORD", "pw");
    // a plain `http` base URL: no call reads the CA
    let local = DynamicApis::parse("apis.yaml", &yaml(&server.uri())).unwrap();
    let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(store()).build().unwrap();
    assert_eq!(names(runtime.dynamic_missing_secrets(&local)), Vec::<String>::new());
    let sandbox = |apis: &DynamicApis| apis.definitions().apis[0].environment(Environment::Sandbox).unwrap().clone();
    assert!(conv_api_runtime::check_tls(&sandbox(&local), &store()).is_empty(), "no call reads the CA");
    let conv = runtime.dynamic_conversation(&local);
    assert_eq!(conv.api.call("desk", "get_ticket").arg("id", 1).await.unwrap().status_code(), 200);
    // an `https` one needs it, but not where the runtime sends the calls to a local server
    let remote = DynamicApis::parse("apis.yaml", &yaml("https://desk.example")).unwrap();
    assert_eq!(names(runtime.dynamic_missing_secrets(&remote)), ["DESK_CA"]);
    assert_eq!(conv_api_runtime::check_tls(&sandbox(&remote), &store())[0].error.kind(), ErrorKind::MissingSecret);
    let overridden = Runtime::builder().environment(Environment::Sandbox).base_url("desk", server.uri());
    let runtime = overridden.secrets(MapSecretStore::new()).build().unwrap();
    assert_eq!(names(runtime.dynamic_missing_secrets(&remote)), ["DESK_SANDBOX_PASSWORD"]);
    let error = runtime.dynamic_conversation(&remote).api.call("desk", "get_ticket").arg("id", 1).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::MissingSecret, "{error}");
    assert!(error.to_string().contains("`DESK_SANDBOX_PASSWORD`") && !error.to_string().contains("DESK_CA"), "{error}");
    // an OAuth 2.0 token URL read from the store: its scheme decides
    let oauth = format!(
        "api_integrations:
  - name: desk
    environments:
      sandbox:
        base_url: {}
        auth_type: oauth2
        auth: {{ token_url: {{ secret: DESK_TOKEN_URL }}, client_id: bot, client_secret: {{ secret: DESK_SECRET }} }}
        tls: {{ ca: {{ secret: DESK_CA }} }}
    operations: []
",
        server.uri()
    );
    let oauth = DynamicApis::parse("apis.yaml", &oauth).unwrap();
    for (token_url, missing) in [
        (format!("{}/token", server.uri()), vec![]),
        ("https://login.desk.example/token".to_string(), vec!["DESK_CA"]),
        (String::new(), vec!["DESK_TOKEN_URL", "DESK_CA"]),
    ] {
        let store = MapSecretStore::new().with("DESK_SECRET", "s").with("DESK_TOKEN_URL", &token_url);
        let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(store).build().unwrap();
        assert_eq!(names(runtime.dynamic_missing_secrets(&oauth)), missing, "token URL {token_url:?}");
    }
}

/// An API without auth whose `tls:` CA comes from a store that blocks past
/// the attempt's timeout ends before anything is sent; the store was read (for the
/// `tls:` client's first build), so the error names it, as for auth secrets, and does
/// not blame a timeout too short or a busy tokio runtime alone.
#[tokio::test]
async fn a_tls_store_that_blocks_past_the_timeout_without_auth_is_named() {
    let pki = pki();
    let yaml = "api_integrations:\n  - name: slowtls\n    retry: { attempts: 1 }\n    environments:\n      sandbox:\n        base_url: \"https://127.0.0.1:1\"\n        tls: { ca: { secret: SLOW_CA } }\n    operations:\n      - { name: ping, method: GET, resource: /ping, timeout: 50ms }\n";
    let apis = DynamicApis::parse("slow.yaml", yaml).unwrap();
    let store = support::BlockingStore { delay: std::time::Duration::from_millis(120), value: pki.ca.pem() };
    let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(store).build().unwrap();
    let error = runtime.dynamic_conversation(&apis).api.call("slowtls", "ping").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    let message = error.to_string();
    assert!(message.contains("before anything was sent"), "{message}");
    assert!(message.contains("secret store"), "the store was read and blocked: {message}");
}
