//! Secrets the log masks wherever they show: the redactor's, a secret echoed or
//! made a header name, and every credential of the definitions, called or not,
//! however many APIs there are, rotated or learned in flight.

use super::*;

#[tokio::test]
async fn a_secret_made_a_header_name_is_masked_in_the_log_too() {
    let server = MockServer::start().await;
    let echo = |request: &wiremock::Request| {
        let key = request.headers.get("x-api-key").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        ResponseTemplate::new(200).insert_header(key.as_str(), "1")
    };
    Mock::given(method("GET")).respond_with(echo).expect(1).mount(&server).await;
    let runtime = sandbox_builder(server.uri()).build().unwrap();
    runtime.redactor().add_secret(&SecretString::from("K3y-As-A-Name"));
    let conv: Conv<TestApi> = runtime.conversation();
    let response = conv.api.tickets.get_ticket(1).header("K3y-As-A-Name", "1").header("x-api-key", "K3y-As-A-Name");
    let response = response.await.unwrap();
    assert!(response.headers().contains_key("k3y-as-a-name"), "the server made it a header name, in lower case");
    let (jsonl, debug) = (conv.log.to_jsonl(), format!("{response:?}"));
    for shown in [&jsonl, &debug] {
        assert!(!shown.to_ascii_lowercase().contains("k3y-as-a-name"), "{shown}");
    }
}

#[tokio::test]
async fn a_secret_echoed_in_upper_case_is_masked_in_the_log_and_errors() {
    let server = MockServer::start().await;
    let echo = |request: &wiremock::Request| {
        let key = request.headers.get("x-api-key").and_then(|v| v.to_str().ok()).unwrap_or_default();
        ResponseTemplate::new(500)
            .insert_header("x-key", key.to_ascii_uppercase().as_str())
            .set_body_string(format!("bad key {}", key.to_ascii_uppercase()))
    };
    Mock::given(method("GET")).respond_with(echo).expect(1).mount(&server).await;
    let runtime = sandbox_builder(server.uri()).retry(support::ONE_ATTEMPT).build().unwrap();
    runtime.redactor().add_secret(&SecretString::from("kEy-Zx9/Qw"));
    let conv: Conv<TestApi> = runtime.conversation();
    let response = conv.api.tickets.get_ticket(1).header("x-api-key", "kEy-Zx9/Qw").await.unwrap();
    let error = response.raise_for_status().unwrap_err();
    for shown in [conv.log.to_jsonl(), error.to_string()] {
        assert!(shown.contains("***") && !shown.contains("KEY-ZX9/QW"), "{shown}");
    }
}

#[tokio::test]
async fn secrets_registered_with_the_redactor_never_reach_the_log() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500).set_body_string("bad key xyzzy-42"))
        .mount(&server)
        .await;
    let runtime = runtime(&server);
    runtime.redactor().add_secret(&secrecy::SecretString::from("xyzzy-42"));
    let conv: Conv<TestApi> = runtime.conversation();
    let error = conv.api.tickets.get_ticket("xyzzy-42").await.unwrap().raise_for_status().unwrap_err();
    assert!(!error.to_string().contains("xyzzy-42"), "{error}");
    conv.log.info("the key is xyzzy-42");
    conv.log.entry(Level::Info, "fields").field("key xyzzy-42", "value xyzzy-42").record();
    assert!(!conv.log.to_jsonl().contains("xyzzy"), "{}", conv.log.to_jsonl());
    assert!(!format!("{:?}", conv.log.entries()).contains("xyzzy"), "names and values alike");
    // a URL the agent writes in a note is shown as a call's is: no user info, no key
    conv.log.info("fetched https://agent:pw-9f2@h.example/next?page=2&access_token=tok-5d1 for the caller");
    conv.log.entry(Level::Info, "next").field("url", "https://h.example/x?api_key=key-77c").record();
    let last = &conv.log.entries()[conv.log.len() - 2..];
    assert_eq!(last[0].message, "fetched https://h.example/next?page=2&access_token=*** for the caller");
    assert_eq!(last[1].fields, [("url".to_string(), "https://h.example/x?api_key=***".to_string())]);
}

#[tokio::test]
async fn a_session_token_given_to_the_redactor_after_the_answer_that_brought_it_is_masked_there_too() {
    const TOKEN: &str = "sess-7f3a9c2e41b84d0d9e6a";
    let server = MockServer::start().await;
    let login = ResponseTemplate::new(200).insert_header("x-session", TOKEN).set_body_string(TOKEN);
    Mock::given(method("GET")).respond_with(login).mount(&server).await;
    let runtime = runtime(&server);
    let conv: Conv<TestApi> = runtime.conversation();
    let response = conv.api.tickets.get_ticket(1).await.unwrap();
    let token = response.headers().get("x-session").unwrap().to_str().unwrap().to_string();
    assert!(conv.log.to_jsonl().contains(TOKEN), "not known yet: shown");
    runtime.redactor().add_secret(&SecretString::from(token.clone()));
    conv.api.tickets.get_ticket(2).header("x-session", token.as_str()).await.unwrap();
    conv.log.info(format!("logged in as {token}"));
    let jsonl = conv.log.to_jsonl();
    assert!(!jsonl.contains(TOKEN), "{jsonl}");
    let entries = conv.log.entries();
    let first = entries[0].request.as_ref().unwrap();
    assert!(first.response_headers.contains(&("x-session".to_string(), "***".to_string())), "{first:?}");
    assert_eq!(entries[2].message, "logged in as ***");
    assert!(first.url.ends_with("/api/v2/tickets/1"), "the rest of the entry as it was: {}", first.url);
}

/// A server answering every GET with a 500 whose body is `echo`, and a runtime in
/// Sandbox, one attempt a call, whose store holds `billing`'s Basic password.
async fn echoing_server_and_runtime(echo: &str, billing_password: &str) -> (MockServer, Runtime) {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(500).set_body_string(echo)).mount(&server).await;
    let store = conv_api_runtime::MapSecretStore::new()
        .with("BILLING_SANDBOX_USERNAME", "agent")
        .with("BILLING_SANDBOX_PASSWORD", billing_password);
    let runtime = sandbox_builder(server.uri()).secrets(store).retry(support::ONE_ATTEMPT).build().unwrap();
    (server, runtime)
}

#[tokio::test]
async fn a_credential_of_an_api_not_called_yet_is_masked_when_another_echoes_it() {
    // `billing` (Basic auth in Sandbox) is never called: its password is known from the store
    let echo = "upstream said: billing password pa55-w0rd-b1ll, pair agent:pa55-w0rd-b1ll";
    let (_server, runtime) = echoing_server_and_runtime(echo, "pa55-w0rd-b1ll").await;
    let conv: Conv<TestApi> = runtime.conversation();
    let response = conv.api.tickets.get_ticket(1).await.unwrap();
    let error = response.raise_for_status().unwrap_err();
    assert!(!format!("{error} {error:?}").contains("pa55"), "{error}");
    assert!(!conv.log.to_jsonl().contains("pa55"), "{}", conv.log.to_jsonl());

    // the same for definitions loaded at run time
    let (_server, runtime) = echoing_server_and_runtime("upstream said: pa55-w0rd-dyn", "pa55-w0rd-dyn").await;
    let apis = DynamicApis::parse("apis.yaml", support::YAML).unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    let response = conv.api.call("tickets", "get_ticket").arg("ticket_id", 1).await.unwrap();
    let error = response.raise_for_status().unwrap_err();
    assert!(error.to_string().contains(": `upstream said: ***`;"), "{error}");
}

/// A server answering every GET with a 500 whose body is `echo`, and a runtime in
/// Sandbox, one attempt a call, with `store`, over the definitions of an API `echo`
/// (operation `get`) and `other_apis` (YAML list items; `{uri}` is the server's URL).
async fn echo_beside(
    echo: &str,
    other_apis: &str,
    store: conv_api_runtime::MapSecretStore,
) -> (MockServer, Runtime, DynamicApis) {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(500).set_body_string(echo)).mount(&server).await;
    let echo_api = "  - name: echo
    environments: { sandbox: { base_url: \"{uri}\" } }
    operations: [{ name: get, method: GET, resource: /echo }]
";
    let yaml = format!("api_integrations:\n{echo_api}{other_apis}").replace("{uri}", &server.uri());
    let runtime = sandbox_builder(server.uri()).secrets(store).retry(support::ONE_ATTEMPT).build().unwrap();
    (server, runtime, DynamicApis::parse("apis.yaml", &yaml).unwrap())
}

/// The error of a call of `echo.get` (see [`echo_beside`]) and the log after it, as text.
async fn echoed(conv: &Conv<conv_api_runtime::DynamicApi>) -> String {
    let error = conv.api.call("echo", "get").await.unwrap().raise_for_status().unwrap_err();
    format!("{error} {}", conv.log.to_jsonl())
}

#[tokio::test]
async fn the_credentials_of_definitions_of_more_than_1024_apis_all_stay_masked() {
    // Basic auth teaches three values an API: 450 of them and 800 API keys, 2,150 values
    let mut others = String::new();
    let mut store = conv_api_runtime::MapSecretStore::new();
    for n in 0..800 {
        others.push_str(&format!(
            "  - name: keys_{n}\n    environments: {{ sandbox: {{ base_url: \"{{uri}}\", auth_type: apiKey }} }}\n"
        ));
        store = store.with(format!("KEYS_{n}_SANDBOX_API_KEY"), format!("k3y-of-api-{n:04}-x"));
    }
    for n in 0..450 {
        others.push_str(&format!(
            "  - name: basic_{n}\n    environments: {{ sandbox: {{ base_url: \"{{uri}}\", auth_type: basic }} }}\n"
        ));
        store = store
            .with(format!("BASIC_{n}_SANDBOX_USERNAME"), format!("user-token-of-api-{n:04}"))
            .with(format!("BASIC_{n}_SANDBOX_PASSWORD"), format!("pa55-of-api-{n:04}-x"));
    }
    // the first key, the last password: the values the last start would have pushed out first
    let echo = "keys k3y-of-api-0000-x and k3y-of-api-0799-x, passwords pa55-of-api-0000-x and pa55-of-api-0449-x";
    let (_server, runtime, apis) = echo_beside(echo, &others, store).await;
    for _ in 0..3 {
        let conv = runtime.dynamic_conversation(&apis);
        let shown = echoed(&conv).await;
        assert!(shown.contains("keys *** and ***, passwords *** and ***"), "{shown}");
    }
    for n in [0, 1, 400, 799] {
        let key = format!("k3y-of-api-{n:04}-x");
        assert_eq!(runtime.redactor().text(&key), "***", "{key}");
    }
    for n in [0, 225, 449] {
        let user = format!("user-token-of-api-{n:04}");
        assert_eq!(runtime.redactor().text(&user), "***", "{user}");
    }
}

#[tokio::test]
async fn the_credentials_of_two_definitions_sets_past_1024_each_all_stay_masked() {
    let apis_of = |tag: &str| {
        let mut yaml = String::new();
        for n in 0..1100 {
            yaml.push_str(&format!(
                "  - name: {tag}_{n}\n    environments: {{ sandbox: {{ base_url: \"{{uri}}\", auth_type: apiKey }} }}\n"
            ));
        }
        yaml
    };
    let mut store = conv_api_runtime::MapSecretStore::new();
    for tag in ["a", "b"] {
        for n in 0..1100 {
            store = store.with(format!("{}_{n}_SANDBOX_API_KEY", tag.to_uppercase()), format!("{tag}-k3y-{n:04}-x"));
        }
    }
    let echo = "keys a-k3y-0000-x and b-k3y-0000-x";
    let (server, runtime, first) = echo_beside(echo, &apis_of("a"), store).await;
    let second = format!("api_integrations:\n{}", apis_of("b")).replace("{uri}", &server.uri());
    let second = DynamicApis::parse("b.yaml", &second).unwrap();
    for _ in 0..2 {
        let over_first = runtime.dynamic_conversation(&first);
        let _over_second = runtime.dynamic_conversation(&second);
        let shown = echoed(&over_first).await;
        assert!(shown.contains("keys *** and ***"), "{shown}");
    }
    for key in ["a-k3y-0000-x", "a-k3y-1099-x", "b-k3y-0000-x", "b-k3y-1099-x"] {
        assert_eq!(runtime.redactor().text(key), "***", "{key}");
    }
}

#[tokio::test]
async fn the_client_secrets_of_more_than_1024_oauth_apis_all_stay_masked_after_their_token_requests() {
    // each token request teaches the secret, form-encoded too, the `id:secret` pair
    // of the `Authorization` header, and a secret of `token_params`: 4,400 values
    let mut others = String::new();
    let mut store = conv_api_runtime::MapSecretStore::new();
    for n in 0..1100 {
        others.push_str(&format!(
            "  - name: oauth_{n}
    environments:
      sandbox:
        base_url: \"{{uri}}\"
        auth_type: oauth2
        auth: {{ token_url: \"{{uri}}/token\", client_id: client-{n}, token_params: {{ audience: {{ secret: AUDIENCE_{n} }} }} }}
    operations: [{{ name: get, method: GET, resource: /echo }}]
"
        ));
        store = store
            .with(format!("OAUTH_{n}_SANDBOX_CLIENT_SECRET"), format!("s3cret+of/api-{n:04}"))
            .with(format!("AUDIENCE_{n}"), format!("aud1ence-of-api-{n:04}"));
    }
    let (server, runtime, apis) = echo_beside("nothing", &others, store).await;
    let token =
        ResponseTemplate::new(200).set_body_json(serde_json::json!({ "access_token": "t0k3n-x", "expires_in": 3600 }));
    Mock::given(method("POST")).and(path("/token")).respond_with(token).mount(&server).await;
    let conv = runtime.dynamic_conversation(&apis);
    for n in 0..1100 {
        assert_eq!(conv.api.call(&format!("oauth_{n}"), "get").await.unwrap().status_code(), 500);
    }
    // the first API's, which the last token requests would have pushed out first
    for n in [0, 1, 550, 1099] {
        for value in [
            format!("s3cret+of/api-{n:04}"),
            format!("s3cret%2Bof%2Fapi-{n:04}"),
            format!("client-{n}:s3cret%2Bof%2Fapi-{n:04}"),
            format!("aud1ence-of-api-{n:04}"),
        ] {
            assert_eq!(runtime.redactor().text(&value), "***", "{value}");
        }
    }
}

/// Tells the redactor `count` values of the caller's own (`session-TAG-N`).
fn add_sessions(runtime: &Runtime, count: usize, tag: &str) {
    for n in 0..count {
        runtime.redactor().add_secret(&SecretString::from(format!("session-{tag}-{n}")));
    }
}

#[tokio::test]
async fn every_auth_types_credential_of_apis_never_called_stays_masked_among_many_other_secrets() {
    let others = "  - name: billing
    environments: { sandbox: { base_url: \"{uri}\", auth_type: basic } }
  - name: keys
    environments: { sandbox: { base_url: \"{uri}\", auth_type: apiKey } }
  - name: tokens
    environments:
      sandbox: { base_url: \"{uri}\", auth_type: oauth2, auth: { token_url: \"{uri}/token\", client_id: agent } }
";
    let store = conv_api_runtime::MapSecretStore::new()
        .with("BILLING_SANDBOX_USERNAME", "agent")
        .with("BILLING_SANDBOX_PASSWORD", "pw-b1ll1ng-9")
        .with("KEYS_SANDBOX_API_KEY", "k3y-0f-keys-9")
        .with("TOKENS_SANDBOX_CLIENT_SECRET", "cl13nt-s3cr3t-9");
    let echo = "billing pw-b1ll1ng-9, key k3y-0f-keys-9, client secret cl13nt-s3cr3t-9";
    let (_server, runtime, apis) = echo_beside(echo, others, store).await;
    let leaks =
        |shown: &str| ["pw-b1ll1ng", "k3y-0f-keys", "cl13nt-s3cr3t"].into_iter().any(|value| shown.contains(value));
    let conv = runtime.dynamic_conversation(&apis);
    let shown = echoed(&conv).await;
    assert!(!leaks(&shown) && shown.contains("billing ***, key ***, client secret ***"), "{shown}");

    // a server adding a session token of its own for each conversation, as the README
    // suggests, adds more values than the redactor keeps: the credentials stay
    for conversation in 0..24 {
        let conv = runtime.dynamic_conversation(&apis);
        add_sessions(&runtime, 100, &conversation.to_string());
        if conversation == 23 {
            let shown = echoed(&conv).await;
            assert!(!leaks(&shown), "{shown}");
        }
    }
    assert_eq!(runtime.redactor().text("session-0-0 session-23-99"), "session-0-0 ***", "the oldest went");
}

#[tokio::test]
async fn a_basic_password_is_masked_from_the_start_whatever_its_username_holds() {
    let billing = "  - name: billing
    environments: { sandbox: { base_url: \"{uri}\", auth_type: basic } }
";
    // no username (its calls fail) or one with `:` (refused): the password is a secret all the same
    for username in [None, Some("agent:x")] {
        let store = conv_api_runtime::MapSecretStore::new().with("BILLING_SANDBOX_PASSWORD", "pw-b1ll1ng-4");
        let store = match username {
            Some(username) => store.with("BILLING_SANDBOX_USERNAME", username),
            None => store,
        };
        let (_server, runtime, apis) = echo_beside("billing pw-b1ll1ng-4", billing, store).await;
        let shown = echoed(&runtime.dynamic_conversation(&apis)).await;
        assert!(shown.contains("`billing ***`") && !shown.contains("pw-b1ll1ng"), "{username:?}: {shown}");
    }
}

#[tokio::test]
async fn a_credential_learned_again_while_still_fresh_is_not_pushed_out_later() {
    let keys = "  - name: keys
    environments: { sandbox: { base_url: \"{uri}\", auth_type: apiKey } }
    operations: [{ name: get, method: GET, resource: /keys }]
";
    let store = conv_api_runtime::MapSecretStore::new().with("KEYS_SANDBOX_API_KEY", "k3y-0f-keys-7");
    let (_server, runtime, apis) = echo_beside("key k3y-0f-keys-7", keys, store).await;
    // the key is learned, used by a call 600 values later, and learned again 100
    // after that, when it is too recent to be refreshed: a conversation 500 values
    // later must refresh it before 430 more push it out
    let first = runtime.dynamic_conversation(&apis);
    add_sessions(&runtime, 600, "a");
    first.api.call("keys", "get").await.unwrap();
    add_sessions(&runtime, 100, "b");
    runtime.dynamic_conversation(&apis);
    add_sessions(&runtime, 500, "c");
    let conv = runtime.dynamic_conversation(&apis);
    add_sessions(&runtime, 430, "d");
    let shown = echoed(&conv).await;
    assert!(shown.contains("`key ***`;") && !shown.contains("k3y-0f-keys"), "{shown}");
}

#[tokio::test]
async fn a_session_token_sent_in_a_masked_header_stays_known_while_in_use() {
    // the caller adds its session token once and sends it on every call, in a header
    // the log masks by name (so no log text shows it), while a thousand other
    // conversations add theirs; then the API echoes it
    let server = MockServer::start().await;
    let echo = ResponseTemplate::new(500).set_body_string("session sess-7f3c2a9e-0000 expired");
    Mock::given(method("GET")).and(wiremock::matchers::path("/tickets/2")).respond_with(echo).mount(&server).await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let runtime = sandbox_builder(server.uri()).retry(support::ONE_ATTEMPT).build().unwrap();
    runtime.redactor().add_secret(&SecretString::from("sess-7f3c2a9e-0000"));
    let conv: Conv<TestApi> = runtime.conversation();
    let bearer = "Bearer sess-7f3c2a9e-0000";
    for round in 0..12 {
        add_sessions(&runtime, 100, &round.to_string());
        conv.api.tickets.get_ticket(1).header("Authorization", bearer).await.unwrap();
    }
    let echoed = conv.api.tickets.get_ticket(2).header("Authorization", bearer).await.unwrap();
    let error = echoed.raise_for_status().unwrap_err();
    assert!(error.to_string().contains(": `session *** expired`;"), "{error}");
    assert!(!conv.log.to_jsonl().contains("sess-7f3c2a9e"), "{}", conv.log.to_jsonl());
}

/// A store holding one API key, which a test replaces through the mutex.
struct RotatingStore(std::sync::Mutex<&'static str>);

impl conv_api_runtime::SecretStore for RotatingStore {
    fn get(&self, name: &str) -> Option<SecretString> {
        let key = *self.0.lock().unwrap();
        (name == "KEYS_SANDBOX_API_KEY").then(|| SecretString::from(key))
    }
}

#[tokio::test]
async fn a_key_the_store_rotates_is_masked_in_conversations_started_after_the_rotation() {
    let keys = "  - name: keys
    environments: { sandbox: { base_url: \"{uri}\", auth_type: apiKey } }
";
    let store = std::sync::Arc::new(RotatingStore(std::sync::Mutex::new("k3y-b3f0r3-9")));
    let echo = "keys k3y-b3f0r3-9 and k3y-4ft3r-9";
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(500).set_body_string(echo)).mount(&server).await;
    let yaml = format!(
        "api_integrations:\n  - name: echo\n    environments: {{ sandbox: {{ base_url: \"{{uri}}\" }} }}\n    operations: [{{ name: get, method: GET, resource: /echo }}]\n{keys}"
    )
    .replace("{uri}", &server.uri());
    let apis = DynamicApis::parse("apis.yaml", &yaml).unwrap();
    let runtime = sandbox_builder(server.uri()).secrets(store.clone()).retry(support::ONE_ATTEMPT).build().unwrap();
    let before = runtime.dynamic_conversation(&apis);
    *store.0.lock().unwrap() = "k3y-4ft3r-9";
    // `keys` is never called: only a conversation's start reads its key
    let after = runtime.dynamic_conversation(&apis);
    let shown = echoed(&after).await;
    assert!(shown.contains("`keys *** and ***`") && !shown.contains("k3y-"), "{shown}");
    assert!(!echoed(&before).await.contains("k3y-"), "the old key stays known, the new one is now");
}

/// A secret first learned by one call while another call is in flight is masked in the
/// other call's response and log entry too: texts shown when it was sent are
/// cleaned again when it comes back. An OAuth 2.0 token is learned when it is fetched
/// (an API key would be known from the conversation's start).
#[tokio::test]
async fn a_secret_read_while_a_call_is_in_flight_is_masked_in_its_response_and_entry() {
    let server = MockServer::start().await;
    // long enough for the second call to fetch the token while the first one waits
    let slow = ResponseTemplate::new(200).set_delay(std::time::Duration::from_secs(2));
    Mock::given(path("/plain/items/t0k3n-0f-the-crm-api")).respond_with(slow).mount(&server).await;
    let token = serde_json::json!({ "access_token": "t0k3n-0f-the-crm-api", "expires_in": 3600 });
    Mock::given(path("/token")).respond_with(ResponseTemplate::new(200).set_body_json(token)).mount(&server).await;
    Mock::given(path("/crm/contacts")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let yaml = format!(
        "api_integrations:
  - name: plain
    environments: {{ sandbox: {{ base_url: \"{uri}/plain\" }} }}
    operations: [{{ name: get_item, method: GET, resource: \"/items/{{id}}\" }}]
  - name: crm
    environments:
      sandbox: {{ base_url: \"{uri}/crm\", auth_type: oauth2, auth: {{ token_url: \"{uri}/token\", client_id: agent }} }}
    operations: [{{ name: list, method: GET, resource: /contacts }}]
",
        uri = server.uri()
    );
    let apis = DynamicApis::parse("apis.yaml", &yaml).unwrap();
    let store = conv_api_runtime::MapSecretStore::new().with("CRM_SANDBOX_CLIENT_SECRET", "cl13nt-s3cr3t");
    let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(store).build().unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    // the token is not known yet when the first call is sent, in its path and a header
    let first = tokio::spawn({
        let conv = conv.clone();
        async move {
            let call = conv.api.call("plain", "get_item").arg("id", "t0k3n-0f-the-crm-api");
            call.header("x-item", "t0k3n-0f-the-crm-api").await.map(|r| r.url().map(str::to_string))
        }
    });
    let sent = async {
        while server.received_requests().await.unwrap().is_empty() {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(10), sent).await.expect("the first call is sent");
    assert_eq!(runtime.redactor().text("t0k3n-0f-the-crm-api"), "t0k3n-0f-the-crm-api", "not known yet");
    conv.api.call("crm", "list").await.unwrap();
    let url = first.await.unwrap().unwrap().expect("the response's URL");
    assert!(url.ends_with("/plain/items/***"), "{url}");
    let jsonl = conv.log.to_jsonl();
    assert!(!jsonl.contains("t0k3n-0f-the-crm-api"), "{jsonl}");
    let first_entry = conv.log.entries().into_iter().find_map(|entry| entry.request.filter(|r| &*r.api == "plain"));
    let first_entry = first_entry.expect("the first call's entry");
    assert!(first_entry.url.ends_with("/plain/items/***"), "{jsonl}");
    assert!(first_entry.request_headers.contains(&("x-item".to_string(), "***".to_string())), "{jsonl}");
}
