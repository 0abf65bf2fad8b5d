//! A token URL moved, or not, with a base URL override.

use super::*;

#[tokio::test]
async fn a_token_request_to_a_server_of_its_own_that_fails_beside_a_base_url_override_says_the_override_does_not_move_it(
) {
    let closed = support::closed_port_url();
    let error = one_oauth_attempt("https://api.example.com", &format!("{closed}/t"), Some("http://127.0.0.1:1")).await;
    assert_eq!(error.kind(), ErrorKind::Auth, "{error}");
    assert!(
        error.to_string().contains("; nothing was sent to the API; the runtime's `.base_url(..)` moves the API's calls, and its token requests only to a local server and from the server of the file's base URL: to send those elsewhere, leave `token_url` out of the file and set the secret `ZENDESK_SANDBOX_TOKEN_URL`, or name one, `token_url: { secret: NAME }`"),
        "{error}"
    );
}

#[tokio::test]
async fn a_token_url_on_the_server_of_the_files_base_url_moves_with_a_base_url_override_keeping_its_path() {
    // API.md's example: the live API at `https://acme.zendesk.example/api/v2`, its token
    // endpoint on the same server, both stood in for by a local one
    let server = MockServer::start().await;
    let token = Mock::given(method("POST")).and(path("/oauth/tokens")).respond_with(token_response("t1", 3600));
    token.expect(1).mount(&server).await;
    let ticket = Mock::given(path("/tickets/1")).and(header("authorization", "Bearer t1"));
    ticket.respond_with(ResponseTemplate::new(200)).expect(2).mount(&server).await;
    let apis = DynamicApis::parse("apis.yaml", &beside_the_api_yaml("")).unwrap();
    let runtime = runtime_beside_the_api(&server.uri());
    let problems = runtime.dynamic_preflight(&apis);
    assert!(problems.is_empty(), "{problems:?}");
    let conv = runtime.dynamic_conversation(&apis);
    for _ in 0..2 {
        let response = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap();
        assert_eq!(response.status_code(), 200);
    }
}

#[tokio::test]
async fn a_token_request_to_the_overriding_server_itself_says_nothing_of_moving_it() {
    let closed = support::closed_port_url();
    let error = one_oauth_attempt("https://api.example.com", &format!("{closed}/t"), Some(&closed)).await;
    assert_eq!(error.kind(), ErrorKind::Auth, "{error}");
    let message = error.to_string();
    let told = "auth: the oauth2 token request to ";
    assert!(message.contains(told) && message.contains("; nothing was sent to the API; not retried"), "{message}");
    assert!(!message.contains("token requests"), "the token URL is on that server already: {message}");
}

#[tokio::test]
async fn a_call_refused_in_clear_text_beside_a_base_url_override_says_nothing_of_token_requests() {
    let base_url = Some("http://10.255.255.1:8080");
    let error = one_oauth_attempt("https://api.example.com", "https://auth.example.com/t", base_url).await;
    assert!(error.kind() == ErrorKind::Auth && error.to_string().contains("clear text"), "{error}");
    assert!(!error.to_string().contains("token requests"), "no token was requested: {error}");
}

/// Definitions of API `zendesk` whose sandbox is at `https://acme.zendesk.example/api/v2`
/// with OAuth 2.0 at `https://acme.zendesk.example/oauth/tokens` (its server) and `tls`.
fn beside_the_api_yaml(tls: &str) -> String {
    let auth = "{ token_url: \"https://acme.zendesk.example/oauth/tokens\", client_id: c }";
    let yaml = auth_support::definitions_yaml("https://acme.zendesk.example/api/v2", "oauth2", auth);
    yaml.replace("        auth_type: oauth2", &format!("        auth_type: oauth2{tls}"))
}

#[tokio::test]
async fn an_override_that_is_no_local_server_does_not_move_the_token_url() {
    // the client secret goes to no server the file does not name but a local one
    let closed = support::closed_port_url();
    let error = one_oauth_attempt(&closed, &format!("{closed}/oauth/t"), Some("https://10.0.0.1:1/v2")).await;
    assert_eq!(error.kind(), ErrorKind::Auth, "{error}");
    let message = error.to_string();
    assert!(message.contains(&format!("token request to `{closed}/oauth/t` failed")), "{message}");
    assert!(message.contains("its token requests only to a local server"), "{message}");
}

/// A runtime in Sandbox whose store holds the client secret of [`beside_the_api_yaml`]
/// and that sends the calls of `zendesk` to `calls_to`.
fn runtime_beside_the_api(calls_to: &str) -> Runtime {
    let store = MapSecretStore::new().with("ZENDESK_SANDBOX_CLIENT_SECRET", "client-secret");
    Runtime::builder().environment(Environment::Sandbox).secrets(store).base_url("zendesk", calls_to).build().unwrap()
}

#[tokio::test]
async fn a_moved_token_url_is_asked_again_for_a_new_token_after_a_401() {
    let server = MockServer::start().await;
    let first = token_response("t1", 3600);
    Mock::given(path("/oauth/tokens")).respond_with(first).up_to_n_times(1).with_priority(1).mount(&server).await;
    Mock::given(path("/oauth/tokens")).respond_with(token_response("t2", 3600)).mount(&server).await;
    let refused = Mock::given(path("/tickets/1")).and(header("authorization", "Bearer t1"));
    refused.respond_with(ResponseTemplate::new(401)).expect(1).mount(&server).await;
    let served = Mock::given(path("/tickets/1")).and(header("authorization", "Bearer t2"));
    served.respond_with(ResponseTemplate::new(200)).expect(2).mount(&server).await;
    let apis = DynamicApis::parse("apis.yaml", &beside_the_api_yaml("")).unwrap();
    let conv = runtime_beside_the_api(&server.uri()).dynamic_conversation(&apis);
    for _ in 0..2 {
        let response = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap();
        assert_eq!(response.status_code(), 200);
    }
    assert_eq!(hits(&server, "/oauth/tokens").await, 2, "one token, then one after the 401, both at the moved URL");
}

/// The settings moved by an override are made once per API and settings: definitions
/// read anew (another file, the same API) get their own, not the first file's.
#[tokio::test]
async fn settings_read_anew_for_an_overridden_api_move_their_own_token_url_settings() {
    let server = MockServer::start().await;
    for (client, token) in [("c", "t-c"), ("d", "t-d")] {
        let asked = Mock::given(path("/oauth/tokens")).and(body_string_contains(format!("client_id={client}")));
        asked.respond_with(token_response(token, 3600)).expect(1).mount(&server).await;
        let ticket = Mock::given(path("/tickets/1")).and(header("authorization", format!("Bearer {token}").as_str()));
        ticket.respond_with(ResponseTemplate::new(200)).expect(1).mount(&server).await;
    }
    let runtime = runtime_beside_the_api(&server.uri());
    for client in ["c", "d"] {
        let yaml = beside_the_api_yaml("").replace("client_id: c", &format!("client_id: {client}, credentials: body"));
        let conv = runtime.dynamic_conversation(&DynamicApis::parse("apis.yaml", &yaml).unwrap());
        let response = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap();
        assert_eq!(response.status_code(), 200, "client `{client}`");
    }
}

#[tokio::test]
async fn a_moved_plain_http_token_url_needs_no_tls_secret() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/tokens")).respond_with(token_response("t1", 3600)).expect(1).mount(&server).await;
    Mock::given(path("/tickets/1")).respond_with(ResponseTemplate::new(200)).expect(1).mount(&server).await;
    let yaml = beside_the_api_yaml("\n        tls: { ca: { secret: ZENDESK_CA } }");
    let apis = DynamicApis::parse("apis.yaml", &yaml).unwrap();
    let runtime = |store: MapSecretStore| {
        let builder = Runtime::builder().environment(Environment::Sandbox).secrets(store);
        builder.base_url("zendesk", server.uri()).build().unwrap()
    };
    let with_secret = runtime(MapSecretStore::new().with("ZENDESK_SANDBOX_CLIENT_SECRET", "client-secret"));
    let missing: Vec<String> = with_secret.dynamic_missing_secrets(&apis).into_iter().map(|m| m.name).collect();
    assert!(missing.is_empty(), "every request is plain http: {missing:?}");
    assert!(with_secret.dynamic_preflight(&apis).is_empty());
    let conv = with_secret.dynamic_conversation(&apis);
    assert_eq!(conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap().status_code(), 200);
    // a call that lacks the client secret names it alone
    let without = runtime(MapSecretStore::new()).dynamic_conversation(&apis);
    let error = without.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::MissingSecret, "{error}");
    assert!(!error.to_string().contains("ZENDESK_CA"), "{error}");
}

#[tokio::test]
async fn a_moved_token_request_that_fails_names_the_moved_url_and_no_hint() {
    let closed = support::closed_port_url();
    let error = one_oauth_attempt("https://api.example.com/v2", "https://api.example.com/oauth/t", Some(&closed)).await;
    assert_eq!(error.kind(), ErrorKind::Auth, "{error}");
    let message = error.to_string();
    assert!(message.contains(&format!("{closed}/oauth/t")), "{message}");
    assert!(!message.contains("api.example.com") && !message.contains("token requests"), "{message}");
}

#[tokio::test]
async fn a_moved_token_url_keeps_its_path_on_the_local_server_whatever_the_overrides_path() {
    // the local server stands in for the API's: `/oauth/tokens` there, as on
    // `https://acme.zendesk.example`, beside the calls under the override's `/api/v2`
    let server = MockServer::start().await;
    let token = Mock::given(path("/oauth/tokens")).respond_with(token_response("t1", 3600));
    token.expect(1).mount(&server).await;
    Mock::given(path("/api/v2/tickets/1")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let apis = DynamicApis::parse("apis.yaml", &beside_the_api_yaml("")).unwrap();
    let conv = runtime_beside_the_api(&format!("{}/api/v2", server.uri())).dynamic_conversation(&apis);
    let response = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await;
    assert_eq!(response.map(|response| response.status_code()).map_err(|e| e.to_string()), Ok(200));
}

/// Two APIs whose settings read alike (two files, the same text but the name, and no
/// setting left to a secret named after the API), each stood in for by a local server
/// of its own: each API's token requests go to its own.
#[tokio::test]
async fn apis_with_settings_alike_overridden_to_two_servers_each_ask_their_own_for_tokens() {
    let (first, second) = (MockServer::start().await, MockServer::start().await);
    for (server, token) in [(&first, "t-1"), (&second, "t-2")] {
        Mock::given(path("/oauth/tokens")).respond_with(token_response(token, 3600)).expect(1).mount(server).await;
        let ticket = Mock::given(path("/tickets/1")).and(header("authorization", format!("Bearer {token}").as_str()));
        ticket.respond_with(ResponseTemplate::new(200)).expect(1).mount(server).await;
    }
    let shared = "client_id: c, client_secret: { secret: SHARED_SECRET }, scope: \"\" }";
    let zendesk = beside_the_api_yaml("").replace("client_id: c }", shared);
    // `zendesk` and `gorgias` are as long: every setting is at the same place in both files
    let gorgias = zendesk.replace("name: zendesk", "name: gorgias");
    let store = MapSecretStore::new().with("SHARED_SECRET", "client-secret");
    let builder = Runtime::builder().environment(Environment::Sandbox).secrets(store);
    let runtime = builder.base_url("zendesk", first.uri()).base_url("gorgias", second.uri()).build().unwrap();
    for (api, yaml) in [("zendesk", &zendesk), ("gorgias", &gorgias)] {
        let conv = runtime.dynamic_conversation(&DynamicApis::parse("apis.yaml", yaml).unwrap());
        let response = conv.api.call(api, "get_ticket").arg("ticket_id", 1).await.unwrap();
        assert_eq!(response.status_code(), 200, "{api}");
    }
}
