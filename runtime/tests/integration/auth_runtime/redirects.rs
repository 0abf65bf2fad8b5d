//! Credentials never sent in clear text to another host, cross-origin redirects not
//! followed, `localhost` as this machine.

use super::*;

#[tokio::test]
async fn credentials_are_never_sent_over_clear_text_to_another_host() {
    let yaml = r#"
api_integrations:
  - name: zendesk
    environments:
      sandbox: { base_url: "https://zendesk.example", auth_type: apiKey }
    operations:
      - { name: get_ticket, method: GET, resource: "/tickets/{ticket_id}" }
"#;
    let apis = DynamicApis::parse("apis.yaml", yaml).unwrap();
    let store = MapSecretStore::new().with("ZENDESK_SANDBOX_API_KEY", "k-clear");
    let runtime = Runtime::builder()
        .environment(Environment::Sandbox)
        .base_url("zendesk", "http://zendesk.example")
        .secrets(store)
        .build()
        .unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    let error = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Auth);
    assert!(error.to_string().contains("clear text"), "{error}");
    assert!(!error.to_string().contains("k-clear"), "{error}");
}

fn moved_to(location: String) -> ResponseTemplate {
    ResponseTemplate::new(302).insert_header("location", location)
}

#[tokio::test]
async fn a_cross_origin_redirect_of_a_get_or_a_post_is_not_followed_so_a_custom_key_header_stays_home() {
    let api = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    let location = format!("{}/steal", elsewhere.uri());
    Mock::given(path("/tickets/1")).respond_with(moved_to(location.clone())).expect(1).mount(&api).await;
    // a 307 keeps the method and the body: a POST would go on as a POST
    let kept = ResponseTemplate::new(307).insert_header("location", location);
    Mock::given(method("POST")).and(path("/tickets")).respond_with(kept).expect(1).mount(&api).await;
    Mock::given(wiremock::matchers::any()).respond_with(ResponseTemplate::new(200)).expect(0).mount(&elsewhere).await;
    let yaml = auth_support::definitions_yaml(&api.uri(), "apiKey", "{ name: X-Custom-Key }")
        + "      - { name: create_ticket, method: POST, resource: /tickets }\n";
    let apis = DynamicApis::parse("apis.yaml", &yaml).expect("the test definitions are valid");
    let store = MapSecretStore::new().with("ZENDESK_SANDBOX_API_KEY", "k-1");
    let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(store).build().unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    assert_eq!(conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap().status_code(), 302);
    let posted = conv.api.call("zendesk", "create_ticket").json(&serde_json::json!({ "a": 1 })).await.unwrap();
    assert_eq!(posted.status_code(), 307);
}

#[tokio::test]
async fn a_redirect_to_another_host_or_scheme_on_the_same_port_is_not_followed() {
    let api = MockServer::start().await;
    let port = api.address().port();
    Mock::given(path("/steal")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&api).await;
    for location in [format!("http://localhost:{port}/steal"), format!("https://127.0.0.1:{port}/steal")] {
        let moved = Mock::given(path("/tickets/1")).respond_with(moved_to(location.clone())).expect(1);
        let _guard = moved.mount_as_scoped(&api).await;
        let store = MapSecretStore::new().with("ZENDESK_SANDBOX_API_KEY", "k-1");
        let conv = conversation(&api.uri(), "apiKey", "{ name: X-Custom-Key }", store);
        let response = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap();
        assert_eq!(response.status_code(), 302, "{location}");
    }
}

#[tokio::test]
async fn a_cross_origin_redirect_carries_neither_a_query_key_nor_a_custom_token_header() {
    let api = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(path("/oauth/token")).respond_with(token_response("t-x", 3600)).mount(&api).await;
    Mock::given(path("/tickets/1")).respond_with(moved_to(format!("{}/steal", elsewhere.uri()))).mount(&api).await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&elsewhere).await;
    let extra = ", header_name: X-Auth";
    let conv = conversation(&api.uri(), "oauth2", &oauth_auth(&api, extra), oauth_store());
    assert_eq!(conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap().status_code(), 302);
    let store = MapSecretStore::new().with("ZENDESK_SANDBOX_API_KEY", "k-q");
    let conv = conversation(&api.uri(), "apiKey", "{ location: query, name: key }", store);
    assert_eq!(conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap().status_code(), 302);
}

#[tokio::test]
async fn a_same_origin_redirect_is_followed_with_the_credentials() {
    let api = MockServer::start().await;
    Mock::given(path("/tickets/1")).respond_with(moved_to(format!("{}/moved", api.uri()))).expect(1).mount(&api).await;
    Mock::given(path("/moved"))
        .and(header("x-custom-key", "k-1"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&api)
        .await;
    let store = MapSecretStore::new().with("ZENDESK_SANDBOX_API_KEY", "k-1");
    let conv = conversation(&api.uri(), "apiKey", "{ name: X-Custom-Key }", store);
    assert_eq!(conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap().status_code(), 200);
}

#[tokio::test]
async fn a_same_origin_redirect_copies_no_query_key_into_a_referer() {
    let api = MockServer::start().await;
    Mock::given(path("/tickets/1")).respond_with(moved_to(format!("{}/moved", api.uri()))).expect(1).mount(&api).await;
    Mock::given(path("/moved")).respond_with(ResponseTemplate::new(200)).expect(1).mount(&api).await;
    let store = MapSecretStore::new().with("ZENDESK_SANDBOX_API_KEY", "k-q");
    let conv = conversation(&api.uri(), "apiKey", "{ location: query, name: key }", store);
    assert_eq!(conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap().status_code(), 200);
    let requests = api.received_requests().await.unwrap();
    assert!(requests.iter().all(|request| !request.headers.contains_key("referer")), "{requests:?}");
    assert_eq!(requests[0].url.query(), Some("key=k-q"));
}

#[tokio::test]
async fn localhost_fully_qualified_or_not_is_this_machine_for_calls_and_token_requests_without_dns() {
    let api = MockServer::start().await;
    Mock::given(path("/oauth/token")).respond_with(token_response("t-local", 3600)).expect(2).mount(&api).await;
    Mock::given(path("/tickets/1"))
        .and(header("authorization", "Bearer t-local"))
        .respond_with(ResponseTemplate::new(200))
        .expect(2)
        .mount(&api)
        .await;
    let port = api.address().port();
    // this machine's resolver may send `localhost.` to DNS, which could answer with any host
    for host in ["localhost", "localhost."] {
        let base = format!("http://{host}:{port}");
        let auth = format!("{{ token_url: \"{base}/oauth/token\", client_id: c, client_secret: {{ secret: CS }} }}");
        let conv = conversation(&base, "oauth2", &auth, oauth_store());
        let response = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await;
        assert_eq!(response.map(|response| response.status_code()).unwrap(), 200, "{host}");
    }
}
