//! Which answers are retried, by status and method, and what every attempt
//! carries: the same `Idempotency-Key`, the API key, same-origin redirects only.

use super::*;

#[tokio::test]
async fn the_failure_table_by_status_and_method() {
    let retried = [408, 429, 500, 502, 503, 504];
    let mut table: Vec<(&str, u16, u64)> = Vec::new();
    for (operation, safe) in RETRY_SAFE {
        for status in retried.into_iter().chain([400, 401, 404, 409, 501]) {
            table.push((operation, status, if safe && retried.contains(&status) { 3 } else { 1 }));
        }
    }
    let apis = apis();
    for (operation, status, attempts) in table {
        let server = answering(status, attempts).await;
        let conv = runtime_at(&server.uri()).dynamic_conversation(&apis);
        let response = call(&conv, operation).await.expect("a non-2xx answer is a response");
        assert_eq!(response.status_code(), status, "{operation} {status}");
        assert_eq!(response.text(), "failed");
        server.verify().await;
        let numbers: Vec<u32> =
            conv.log.entries().iter().filter_map(|e| e.request.as_ref()).map(|r| r.attempt).collect();
        assert_eq!(numbers, (1..=attempts as u32).collect::<Vec<_>>(), "{operation} {status}: one entry per attempt");
    }
}

#[tokio::test]
async fn a_retried_call_returns_the_first_success_and_logs_each_attempt() {
    let server = MockServer::start().await;
    let failing = ResponseTemplate::new(503);
    Mock::given(method("GET")).respond_with(failing).up_to_n_times(2).expect(2).mount(&server).await;
    let ok = ResponseTemplate::new(200).set_body_string("item");
    Mock::given(method("GET")).and(path("/items/7")).respond_with(ok).expect(1).mount(&server).await;
    let conv = runtime_at(&server.uri()).dynamic_conversation(&apis());
    let response = call(&conv, "get_item").await.unwrap();
    assert_eq!((response.status_code(), response.text()), (200, "item"));
    let notes = retry_notes(&conv);
    assert_eq!(notes.len(), 3);
    assert!(notes[0].as_deref().is_some_and(|note| note.starts_with("retrying in")), "{notes:?}");
    assert!(notes[1].as_deref().is_some_and(|note| note.starts_with("retrying in")), "{notes:?}");
    assert_eq!(notes[2], None);
    let first = &conv.log.entries()[0];
    assert!(first.message.contains("-> 503; retrying in"), "{}", first.message);
}

#[tokio::test]
async fn an_idempotent_post_or_patch_sends_the_same_key_on_every_attempt() {
    for (operation, verb) in [("create_order", "POST"), ("patch_order", "PATCH")] {
        let server = MockServer::start().await;
        Mock::given(method(verb)).respond_with(ResponseTemplate::new(502)).up_to_n_times(2).mount(&server).await;
        Mock::given(method(verb)).respond_with(ResponseTemplate::new(201)).mount(&server).await;
        let conv = runtime_at(&server.uri()).dynamic_conversation(&apis());
        let response = call(&conv, operation).json(&serde_json::json!({"seats": 2})).await.unwrap();
        assert_eq!(response.status_code(), 201);
        call(&conv, operation).await.unwrap();
        let requests = server.received_requests().await.unwrap();
        let keys: Vec<String> = requests
            .iter()
            .map(|request| {
                request.headers.get("idempotency-key").expect("the key is sent").to_str().unwrap().to_string()
            })
            .collect();
        assert_eq!(keys.len(), 4, "{operation}");
        assert!(keys[0] == keys[1] && keys[1] == keys[2], "{operation}: one call, one key: {keys:?}");
        assert_ne!(keys[2], keys[3], "{operation}: each call has its own key");
        assert_eq!(keys[0].len(), 36, "a UUID: {}", keys[0]);
        assert!(requests.iter().all(|request| request.body == br#"{"seats":2}"# || request.body.is_empty()));
    }
}

/// An API over OAuth 2.0 at `server` with a declared-idempotent POST, retrying after 1 to 2 ms.
fn oauth_orders(server: &MockServer) -> Conv<DynamicApi> {
    let yaml = format!(
        r#"
api_integrations:
  - name: orders
    environments:
      sandbox:
        base_url: "{uri}"
        auth_type: oauth2
        auth: {{ token_url: "{uri}/oauth/token", client_id: my-client-id, client_secret: {{ secret: CS }} }}
    operations:
      - {{ name: create_order, method: POST, resource: /orders, idempotent: true, retry: {{ attempts: 3, base_delay: 1ms, max_delay: 2ms }} }}
"#,
        uri = server.uri()
    );
    let apis = DynamicApis::parse("orders.yaml", &yaml).expect("the test definitions are valid");
    let store = conv_api_runtime::MapSecretStore::new().with("CS", "cs");
    Runtime::builder().environment(Environment::Sandbox).secrets(store).build().unwrap().dynamic_conversation(&apis)
}

#[tokio::test]
async fn an_idempotent_post_keeps_its_key_on_the_replay_after_a_401_and_on_the_retries() {
    use wiremock::matchers::header;
    let server = MockServer::start().await;
    let token = |access_token: &str| {
        let body = serde_json::json!({ "access_token": access_token, "token_type": "Bearer", "expires_in": 3600 });
        ResponseTemplate::new(200).set_body_json(body)
    };
    Mock::given(path("/oauth/token")).respond_with(token("t1")).up_to_n_times(1).with_priority(1).mount(&server).await;
    Mock::given(path("/oauth/token")).respond_with(token("t2")).with_priority(2).mount(&server).await;
    // the first token is refused (401), the replay with the new one answers 503, its retry 201
    let order = |token: &str| Mock::given(path("/orders")).and(header("authorization", format!("Bearer {token}")));
    order("t1").respond_with(ResponseTemplate::new(401)).expect(1).mount(&server).await;
    order("t2").respond_with(ResponseTemplate::new(503)).up_to_n_times(1).with_priority(1).mount(&server).await;
    order("t2").respond_with(ResponseTemplate::new(201)).with_priority(2).mount(&server).await;
    let conv = oauth_orders(&server);
    let response = conv.api.call("orders", "create_order").json(&serde_json::json!({"n": 1})).await.unwrap();
    assert_eq!(response.status_code(), 201);
    let keys: Vec<Option<String>> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|request| request.url.path() == "/orders")
        .map(|request| request.headers.get("idempotency-key").map(|v| v.to_str().unwrap().to_string()))
        .collect();
    assert_eq!(keys.len(), 3, "{keys:?}");
    assert!(keys[0].is_some() && keys.iter().all(|key| *key == keys[0]), "{keys:?}");
}

#[tokio::test]
async fn the_callers_idempotency_key_is_kept_and_plain_posts_and_declared_puts_send_none() {
    let server = answering(200, 3).await;
    let conv = runtime_at(&server.uri()).dynamic_conversation(&apis());
    call(&conv, "create_order").header("Idempotency-Key", "order-42").await.unwrap();
    call(&conv, "create_item").await.unwrap();
    // `idempotent: true` is redundant on a PUT: it changes nothing
    call(&conv, "put_order").await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let keys: Vec<Option<&str>> =
        requests.iter().map(|r| r.headers.get("idempotency-key").map(|v| v.to_str().unwrap())).collect();
    assert_eq!(keys, [Some("order-42"), None, None]);
}

#[tokio::test]
async fn status_errors_know_whether_they_are_retryable() {
    for (status, retryable) in [(503, true), (429, true), (408, true), (404, false), (400, false), (501, false)] {
        let server = answering(status, 1).await;
        let conv = runtime_at(&server.uri()).dynamic_conversation(&apis());
        let error = call(&conv, "create_item").await.unwrap().raise_for_status().unwrap_err();
        assert_eq!(error.is_retryable(), retryable, "{status}");
    }
}

#[tokio::test]
async fn bad_arguments_are_not_retryable_and_send_nothing() {
    let server = answering(200, 0).await;
    let conv = runtime_at(&server.uri()).dynamic_conversation(&apis());
    let error = conv.api.call("svc", "get_item").arg("id", "..").await.unwrap_err();
    assert!(!error.is_retryable(), "{error}");
}

#[tokio::test]
async fn a_redirect_chain_stops_where_it_leaves_the_origin() {
    let elsewhere = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&elsewhere).await;
    let server = MockServer::start().await;
    let hop = ResponseTemplate::new(302).insert_header("location", "/items/8");
    Mock::given(method("GET")).and(path("/items/7")).respond_with(hop).expect(1).mount(&server).await;
    let away = ResponseTemplate::new(302).insert_header("location", format!("{}/steal", elsewhere.uri()).as_str());
    Mock::given(method("GET")).and(path("/items/8")).respond_with(away).expect(1).mount(&server).await;
    let conv = runtime_at(&server.uri()).dynamic_conversation(&apis());
    let response = call(&conv, "get_item").header("X-Api-Key", "secret").await.unwrap();
    assert_eq!(response.status_code(), 302);
}

/// An API whose key goes in a custom header, read from the secret store.
const KEYED_YAML: &str = r#"
api_integrations:
  - name: keyed
    retry: { attempts: 2, base_delay: 1ms, max_delay: 2ms }
    environments:
      sandbox:
        base_url: "http://127.0.0.1:1"
        auth_type: apiKey
        auth: { location: header, name: X-Api-Key, value: { secret: KEYED_KEY } }
    operations:
      - { name: get_item, method: GET, resource: "/items/{id}" }
"#;

async fn keyed_call(server: &MockServer, id: u32) -> conv_api_runtime::Result<conv_api_runtime::Response> {
    let secrets = conv_api_runtime::MapSecretStore::new().with("KEYED_KEY", "k-123");
    let runtime = Runtime::builder()
        .environment(Environment::Sandbox)
        .base_url("keyed", server.uri())
        .secrets(secrets)
        .build()
        .unwrap();
    let apis = DynamicApis::parse("keyed.yaml", KEYED_YAML).unwrap();
    runtime.dynamic_conversation(&apis).api.call("keyed", "get_item").arg("id", id).await
}

#[tokio::test]
async fn every_attempt_and_same_origin_redirect_carries_the_key_and_no_other_origin_sees_it() {
    use wiremock::matchers::header;
    let elsewhere = MockServer::start().await;
    Mock::given(wiremock::matchers::any()).respond_with(ResponseTemplate::new(200)).expect(0).mount(&elsewhere).await;
    let server = MockServer::start().await;
    let keyed = || Mock::given(header("x-api-key", "k-123"));
    keyed().and(path("/items/1")).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).mount(&server).await;
    let hop = ResponseTemplate::new(302).insert_header("location", "/items/2");
    keyed().and(path("/items/1")).respond_with(hop).expect(1).mount(&server).await;
    keyed().and(path("/items/2")).respond_with(ResponseTemplate::new(200).set_body_string("two")).mount(&server).await;
    let away = ResponseTemplate::new(307).insert_header("location", format!("{}/steal", elsewhere.uri()).as_str());
    keyed().and(path("/items/3")).respond_with(away).expect(1).mount(&server).await;
    assert_eq!(keyed_call(&server, 1).await.unwrap().text(), "two");
    assert_eq!(keyed_call(&server, 3).await.unwrap().status_code(), 307);
    let without_key =
        server.received_requests().await.unwrap().iter().filter(|r| !r.headers.contains_key("x-api-key")).count();
    assert_eq!(without_key, 0);
}
