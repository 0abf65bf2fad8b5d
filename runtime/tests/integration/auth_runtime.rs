//! Auth end to end through the runtime: OAuth 2.0 on the wire, calls waiting for a
//! token, the 401 replay, missing secrets, clear text and redirects (RELIABILITY 1-2,
//! 4-6, 15); Basic and API keys through the runtime are in `auth_basic_api_key.rs`.

use crate::auth_support;
use crate::support;

use std::future::IntoFuture;
use std::time::Duration;

use auth_support::{advance, conversation, hits, joined, token_response};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use conv_api_runtime::auth::TransportError;
use conv_api_runtime::{
    Conv, DynamicApi, DynamicApis, Environment, ErrorKind, MapSecretStore, RetryPolicy, Runtime, RuntimeBuilder,
    SecretStore,
};
use support::calls;
use wiremock::matchers::{body_string, body_string_contains, header, header_exists, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn oauth_auth(server: &MockServer, extra: &str) -> String {
    format!(
        "{{ token_url: \"{}/oauth/token\", client_id: \"CLIENT_ID??\", client_secret: {{ secret: CS }}{extra} }}",
        server.uri()
    )
}

fn oauth_store() -> MapSecretStore {
    MapSecretStore::new().with("CS", "CLIENT_SECRET??")
}

/// Like [`conversation`] with OAuth 2.0 at `server`, retrying after 1 to 4 ms, and
/// a plain POST `create_ticket` besides `get_ticket`.
fn quick_retrying_oauth(server: &MockServer) -> Conv<DynamicApi> {
    let yaml = auth_support::definitions_yaml(&server.uri(), "oauth2", &oauth_auth(server, ""))
        + "      - { name: create_ticket, method: POST, resource: /tickets }\n";
    let apis = DynamicApis::parse("apis.yaml", &yaml).expect("the test definitions are valid");
    let quick = RetryPolicy { attempts: 3, base_delay: Duration::from_millis(1), max_delay: Duration::from_millis(4) };
    oauth_builder().retry(quick).build().expect("runtime builds").dynamic_conversation(&apis)
}

/// A builder in sandbox over the store of the OAuth 2.0 API's client secret.
fn oauth_builder() -> RuntimeBuilder {
    Runtime::builder().environment(Environment::Sandbox).secrets(oauth_store())
}

/// A conversation over the OAuth 2.0 API of `server`, from `builder`'s runtime.
fn oauth_conversation(server: &MockServer, builder: RuntimeBuilder) -> Conv<DynamicApi> {
    let yaml = auth_support::definitions_yaml(&server.uri(), "oauth2", &oauth_auth(server, ""));
    let apis = DynamicApis::parse("apis.yaml", &yaml).expect("the test definitions are valid");
    builder.build().expect("runtime builds").dynamic_conversation(&apis)
}

/// A conversation over the OAuth 2.0 API of `server` (its `auth` settings and `extra`),
/// one attempt a call, whose secrets come from a store the test changes between
/// calls, as a rotating vault would; the client secret `CS` is set.
fn rotating_oauth(server: &MockServer, extra: &str) -> (Conv<DynamicApi>, std::sync::Arc<auth_support::RotatingStore>) {
    let yaml = auth_support::definitions_yaml(&server.uri(), "oauth2", &oauth_auth(server, extra));
    let apis = DynamicApis::parse("apis.yaml", &yaml).expect("the test definitions are valid");
    let store = std::sync::Arc::new(auth_support::RotatingStore::default());
    store.set("CS", "CLIENT_SECRET??");
    let builder = Runtime::builder().environment(Environment::Sandbox).secrets(store.clone());
    (builder.retry(support::ONE_ATTEMPT).build().unwrap().dynamic_conversation(&apis), store)
}

#[tokio::test]
async fn a_token_header_named_by_the_store_that_the_client_writes_fails_each_call_and_sends_nothing() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token")).respond_with(token_response("tok-1", 3600)).mount(&server).await;
    Mock::given(path("/tickets/1"))
        .and(header("x-token", "Bearer tok-1"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let (conv, store) = rotating_oauth(&server, ", header_name: { secret: TOKEN_HEADER }");
    store.set("TOKEN_HEADER", "X-Token");
    assert_eq!(conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap().status_code(), 200);
    // with the token cached, the header rotated to one the client writes itself
    store.set("TOKEN_HEADER", "Content-Length");
    let error = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Auth);
    let says = "the secret `TOKEN_HEADER` (the auth `header_name`) must hold a valid HTTP header name";
    assert!(error.to_string().contains(says), "{error}");
}

#[tokio::test]
async fn a_client_secret_gone_from_the_store_at_refresh_time_leaves_the_valid_token_serving() {
    let server = MockServer::start().await;
    // a 4 s token: refreshed from 2 s on, sent until 4 s
    let token = serde_json::json!({ "access_token": "tok-1", "token_type": "Bearer", "expires_in": 4 });
    Mock::given(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/tickets/1"))
        .and(header("authorization", "Bearer tok-1"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let (conv, store) = rotating_oauth(&server, "");
    let call = || conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).into_future();
    assert_eq!(call().await.unwrap().status_code(), 200);
    // the vault is rotating the secret: blank for a moment, past the refresh point
    store.set("CS", "");
    advance(Duration::from_millis(2300)).await;
    let captured = support::tracing_capture::Collect::default();
    let guard = captured.set_default();
    let served = call().await.map(|response| response.status_code()).map_err(|error| error.to_string());
    drop(guard);
    assert_eq!(served, Ok(200), "the token may still be sent");
    // a warning says why no refresh was asked for, naming the API, under the target of the runtime's events
    let warned = captured.lines().into_iter().find(|line| line.contains("token refresh cannot be requested"));
    let warned = warned.unwrap_or_else(|| panic!("no warning: {:?}", captured.lines()));
    assert!(warned.starts_with("WARN") && warned.contains("api=\"zendesk\""), "{warned}");
    assert!(warned.contains("missing secret `CS`") && warned.contains("target=conv_api"), "{warned}");
    // once it expires, no token: the call names the missing secret
    advance(Duration::from_millis(1800)).await;
    let error = call().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::MissingSecret, "{error}");
}

#[tokio::test]
async fn a_failed_refresh_is_warned_of_naming_the_api_and_the_valid_token_serves() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token")).respond_with(token_response("t1", 4)).up_to_n_times(1).mount(&server).await;
    let down = ResponseTemplate::new(503).set_body_json(serde_json::json!({ "error": "temporarily_unavailable" }));
    Mock::given(path("/oauth/token")).respond_with(down).mount(&server).await;
    let with_t1 = Mock::given(path("/tickets/1")).and(header("authorization", "Bearer t1"));
    with_t1.respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let conv = oauth_conversation(&server, oauth_builder());
    let call = || conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).into_future();
    assert_eq!(call().await.unwrap().status_code(), 200);
    // past the refresh point (half the 4 s), the token server is down
    advance(Duration::from_millis(2300)).await;
    let captured = support::tracing_capture::Collect::default();
    let guard = captured.set_default();
    let served = call().await.map(|response| response.status_code()).map_err(|error| error.to_string());
    drop(guard);
    assert_eq!(served, Ok(200), "the valid token serves");
    let warned = captured.lines().into_iter().find(|line| line.contains("oauth2 token refresh failed"));
    let warned = warned.unwrap_or_else(|| panic!("no warning: {:?}", captured.lines()));
    assert!(warned.starts_with("WARN") && warned.contains("api=\"zendesk\""), "{warned}");
    assert!(warned.contains("503") && warned.contains("target=conv_api"), "{warned}");
}

#[tokio::test]
async fn a_token_type_other_than_bearer_is_warned_of_naming_the_api_and_the_token_is_used() {
    let server = MockServer::start().await;
    let mac = serde_json::json!({ "access_token": "t1", "token_type": "MAC", "expires_in": 3600 });
    Mock::given(path("/oauth/token")).respond_with(ResponseTemplate::new(200).set_body_json(mac)).mount(&server).await;
    let with_t1 = Mock::given(path("/tickets/1")).and(header("authorization", "Bearer t1"));
    with_t1.respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let conv = oauth_conversation(&server, oauth_builder());
    let captured = support::tracing_capture::Collect::default();
    let guard = captured.set_default();
    let served =
        conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.map(|response| response.status_code());
    drop(guard);
    assert_eq!(served.map_err(|error| error.to_string()), Ok(200), "sent with the configured prefix");
    let warned = captured.lines().into_iter().find(|line| line.contains("oauth2 token type is not `Bearer`"));
    let warned = warned.unwrap_or_else(|| panic!("no warning: {:?}", captured.lines()));
    assert!(warned.starts_with("WARN") && warned.contains("api=\"zendesk\""), "{warned}");
    assert!(warned.contains("token_type=MAC") && warned.contains("target=conv_api"), "{warned}");
}

/// An access token a header cannot carry (a line break, NUL, DEL, a C1 control, a
/// character beyond Latin-1) is an auth error: nothing reaches the API, and the
/// token is shown neither in the error nor in the log.
#[tokio::test]
async fn an_access_token_no_header_can_carry_is_an_auth_error_and_never_shown() {
    for token in [
        "evil-token\r\nX-Injected: 1",
        "evil-token\nX-Injected: 1",
        "evil-token\0x",
        "evil-token\u{7f}x",
        "evil-token\u{85}x",
        "evil-token\u{20ac}",
    ] {
        let server = MockServer::start().await;
        Mock::given(path("/oauth/token")).respond_with(token_response(token, 3600)).mount(&server).await;
        Mock::given(path("/tickets/1")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&server).await;
        let conv = oauth_conversation(&server, oauth_builder().retry(support::ONE_ATTEMPT));
        let error = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Auth, "{token:?}: {error}");
        let shown = format!("{error} {error:?} {}", conv.log.to_jsonl());
        assert!(!shown.contains("evil-token"), "{token:?}: {shown}");
        server.verify().await;
    }
}

#[tokio::test]
async fn a_replay_after_a_401_that_cannot_get_a_token_says_the_attempt_before_it_was_sent() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token")).respond_with(token_response("tok-1", 3600)).expect(1).mount(&server).await;
    let ok = ResponseTemplate::new(200);
    Mock::given(path("/tickets/1")).respond_with(ok).up_to_n_times(1).mount(&server).await;
    Mock::given(path("/tickets/1")).respond_with(ResponseTemplate::new(401)).mount(&server).await;
    let (conv, store) = rotating_oauth(&server, "");
    let call = || conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).into_future();
    assert_eq!(call().await.unwrap().status_code(), 200);
    // the secret goes; the API refuses the token, and its replay can get no other
    store.set("CS", "");
    let error = call().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::MissingSecret, "{error}");
    let says = "nothing was sent (an earlier attempt of this call was sent, answered 401 and replayed; the server's 401 is in the log)";
    assert!(error.to_string().contains(says), "{error}");
    let statuses: Vec<Option<u16>> =
        conv.log.entries().iter().filter_map(|e| e.request.as_ref().map(|r| r.status)).collect();
    assert_eq!(statuses, [Some(200), Some(401), None]);
}

/// The replay's own token request refused: its error, an auth error that sent nothing
/// to the API, still says that the attempt before it was sent and answered 401.
#[tokio::test]
async fn a_replay_whose_token_request_is_refused_says_the_attempt_before_it_was_sent() {
    let server = MockServer::start().await;
    let first = token_response("tok-1", 3600);
    Mock::given(path("/oauth/token")).respond_with(first).up_to_n_times(1).with_priority(1).mount(&server).await;
    let refused = ResponseTemplate::new(400).set_body_json(serde_json::json!({ "error": "invalid_client" }));
    Mock::given(path("/oauth/token")).respond_with(refused).with_priority(2).expect(1).mount(&server).await;
    Mock::given(path("/tickets/1")).respond_with(ResponseTemplate::new(401)).expect(1).mount(&server).await;
    let (conv, _store) = rotating_oauth(&server, "");
    let error = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Auth, "{error}");
    assert!(error.to_string().contains("invalid_client"), "{error}");
    let says = "nothing was sent to the API (an earlier attempt of this call was sent, answered 401 and replayed; the server's 401 is in the log)";
    assert!(error.to_string().contains(says), "{error}");
    let statuses: Vec<Option<u16>> =
        conv.log.entries().iter().filter_map(|e| e.request.as_ref().map(|r| r.status)).collect();
    assert_eq!(statuses, [Some(401), None]);
}

/// A replay that was sent and then failed (here: no answer in time) is not said to
/// have sent nothing: only an attempt that sent nothing gets the note of the 401 before it.
#[tokio::test]
async fn a_replay_that_was_sent_and_timed_out_is_not_said_to_follow_an_earlier_sent_attempt() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token")).respond_with(token_response("tok-1", 3600)).mount(&server).await;
    let refused = ResponseTemplate::new(401);
    Mock::given(path("/tickets/1")).respond_with(refused).up_to_n_times(1).with_priority(1).mount(&server).await;
    let slow = ResponseTemplate::new(200).set_delay(Duration::from_secs(2));
    Mock::given(path("/tickets/1")).respond_with(slow).with_priority(2).expect(1).mount(&server).await;
    let (conv, _store) = rotating_oauth(&server, "");
    let call = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).timeout(Duration::from_millis(300));
    let error = call.await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert!(!error.to_string().contains("an earlier attempt of this call was sent"), "{error}");
    assert_eq!(calls(&conv.log).len(), 2, "the 401, then its replay");
}

/// A server whose token endpoint gives `t1` for 120 s, then, once, `t2` after 3 s, and
/// whose `/tickets/1` answers 200 to `t1` and 201 to `t2`.
async fn server_with_a_slow_refresh() -> MockServer {
    let server = MockServer::start().await;
    let first =
        ResponseTemplate::new(200).set_body_json(serde_json::json!({ "access_token": "t1", "expires_in": 120 }));
    Mock::given(path("/oauth/token")).respond_with(first).up_to_n_times(1).with_priority(1).mount(&server).await;
    let slow = token_response("t2", 3600).set_delay(Duration::from_secs(3));
    Mock::given(path("/oauth/token")).respond_with(slow).with_priority(2).expect(1).mount(&server).await;
    for (token, status) in [("t1", 200), ("t2", 201)] {
        let with_token = Mock::given(path("/tickets/1")).and(header("authorization", format!("Bearer {token}")));
        with_token.respond_with(ResponseTemplate::new(status)).mount(&server).await;
    }
    server
}

/// A token endpoint at `server` that answers `503` once, then a token.
async fn token_endpoint_down_once(server: &MockServer) {
    let down = ResponseTemplate::new(503).set_body_json(serde_json::json!({ "error": "temporarily_unavailable" }));
    Mock::given(path("/oauth/token")).respond_with(down).up_to_n_times(1).with_priority(1).mount(server).await;
    Mock::given(path("/oauth/token")).respond_with(token_response("t1", 3600)).with_priority(2).mount(server).await;
}

/// A server whose token endpoint answers one token after `delay`, and whose ticket
/// is asked for once with it; a conversation that tries a GET three times, quickly.
async fn slow_token_for_one_ticket(delay: Duration) -> (MockServer, Conv<DynamicApi>) {
    let server = MockServer::start().await;
    let slow = token_response("t1", 3600).set_delay(delay);
    Mock::given(path("/oauth/token")).respond_with(slow).expect(1).mount(&server).await;
    let authorized = Mock::given(path("/tickets/1")).and(header("authorization", "Bearer t1"));
    authorized.respond_with(ResponseTemplate::new(200)).expect(1).mount(&server).await;
    let quick = RetryPolicy { attempts: 3, base_delay: Duration::from_millis(1), max_delay: Duration::from_millis(4) };
    let conv = oauth_conversation(&server, oauth_builder().retry(quick));
    (server, conv)
}

/// A token that outlasts the attempt's timeout is the attempt's timeout: `Timeout`,
/// as `Request::timeout` says it bounds the wait for a token too, and retried as an
/// attempt that sent nothing, for any method; each retry waits for the same request.
#[tokio::test]
async fn a_call_waits_for_a_token_only_until_its_timeout_and_the_request_goes_on_for_the_next_call() {
    let (_server, conv) = slow_token_for_one_ticket(Duration::from_secs(2)).await;

    let call = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1);
    let error = call.timeout(Duration::from_millis(200)).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert!(error.is_timeout() && error.is_retryable(), "{error}");
    let message = error.to_string();
    assert!(
        message.contains("no oauth2 token from `") && message.contains("before the attempt's timeout"),
        "{message}"
    );
    assert!(message.contains("the token request goes on") && message.contains("nothing was sent"), "{message}");
    assert!(message.contains("all 3 attempts were made"), "{message}");

    // the next call (default timeout) takes the token of the request the first one started
    let response = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap();
    assert_eq!(response.status_code(), 200);
    let calls = calls(&conv.log);
    let statuses: Vec<Option<u16>> = calls.iter().map(|call| call.status).collect();
    assert_eq!(statuses, [None, None, None, Some(200)], "three attempts, then one");
    assert!(calls[..3].iter().all(|call| call.error_kind == Some(ErrorKind::Timeout)), "{calls:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_calls_that_give_up_on_a_slow_token_request_leave_it_going_on_for_the_next_call() {
    let server = MockServer::start().await;
    let slow = token_response("t1", 3600).set_delay(Duration::from_millis(400));
    Mock::given(path("/oauth/token")).respond_with(slow).expect(1).mount(&server).await;
    Mock::given(path("/tickets/1")).respond_with(ResponseTemplate::new(200)).expect(1).mount(&server).await;
    let conv = oauth_conversation(&server, oauth_builder().retry(support::ONE_ATTEMPT));
    let call = || conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1);
    let tasks: Vec<_> = (0..200).map(|_| tokio::spawn(call().timeout(Duration::from_millis(150)).send())).collect();
    for outcome in joined(tasks).await {
        let error = outcome.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
        assert!(error.to_string().contains("nothing was sent"), "{error}");
    }
    // every call gave up on the request; it went on, and this call takes its token
    assert_eq!(call().await.unwrap().status_code(), 200);
    assert_eq!(hits(&server, "/oauth/token").await, 1);
}

/// A retry after a token wait that outlasted the attempt waits for the same request
/// and takes its token: one token request, and the call succeeds.
#[tokio::test]
async fn a_retry_after_a_token_wait_takes_the_token_of_the_same_request() {
    let (_server, conv) = slow_token_for_one_ticket(Duration::from_millis(300)).await;

    let call = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1);
    let response = call.timeout(Duration::from_millis(250)).await.unwrap();
    assert_eq!(response.status_code(), 200);
    let calls = calls(&conv.log);
    assert_eq!(calls.iter().map(|call| call.status).collect::<Vec<_>>(), [None, Some(200)], "{calls:?}");
    assert_eq!(calls[0].error_kind, Some(ErrorKind::Timeout));
}

/// An operation not safe to repeat is retried too when no attempt reached the API:
/// each one waited for a token and sent nothing.
#[tokio::test]
async fn a_post_whose_attempts_each_outlast_the_token_wait_is_retried_as_nothing_was_sent() {
    let server = MockServer::start().await;
    let slow = token_response("t1", 3600).set_delay(Duration::from_secs(2));
    Mock::given(path("/oauth/token")).respond_with(slow).expect(1).mount(&server).await;
    let quick = RetryPolicy { attempts: 2, base_delay: Duration::from_millis(1), max_delay: Duration::from_millis(4) };
    let yaml = auth_support::definitions_yaml(&server.uri(), "oauth2", &oauth_auth(&server, ""));
    let post = "\n      - { name: add_comment, method: POST, resource: \"/tickets/{ticket_id}/comments\" }\n";
    let apis = DynamicApis::parse("apis.yaml", &format!("{}{post}", yaml.trim_end())).expect("valid definitions");
    let conv = oauth_builder().retry(quick).build().expect("runtime builds").dynamic_conversation(&apis);

    let call = conv.api.call("zendesk", "add_comment").arg("ticket_id", 1);
    let error = call.timeout(Duration::from_millis(150)).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert!(error.to_string().contains("all 2 attempts were made"), "{error}");
    assert_eq!(calls(&conv.log).len(), 2, "one entry an attempt");
    assert!(server.received_requests().await.unwrap().iter().all(|request| request.url.path() == "/oauth/token"));
}

#[tokio::test]
async fn token_requests_say_the_runtimes_user_agent_too() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token"))
        .and(header("user-agent", "acme-voice-agent/2.1"))
        .respond_with(token_response("t1", 3600))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/tickets/1"))
        .and(header("user-agent", "acme-voice-agent/2.1"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let conv = oauth_conversation(&server, oauth_builder().user_agent("acme-voice-agent/2.1"));
    let response = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await;
    assert_eq!(response.map(|response| response.status_code()).map_err(|error| error.to_string()), Ok(200));
}

#[tokio::test]
async fn the_token_requests_own_timeout_is_a_builder_setting() {
    let server = MockServer::start().await;
    let slow = token_response("t1", 3600).set_delay(Duration::from_secs(2));
    Mock::given(path("/oauth/token")).respond_with(slow).expect(1).mount(&server).await;
    let conv = oauth_conversation(&server, oauth_builder().token_timeout(Duration::from_millis(300)));
    let error = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await;
    let error = error.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Auth, "{error}");
    assert!(error.to_string().contains("timed out after 300ms"), "{error}");
    // it may pass, but its own timeout was waited out: not repeated by the runtime
    assert!(error.is_retryable(), "{error}");
    assert_eq!(conv.log.len(), 1, "one attempt");
    // and the log says why, as it does for every attempt no other follows
    let note = "not retried: the token request took its whole timeout";
    let entry = &conv.log.entries()[0];
    assert!(entry.fields.iter().any(|(_, value)| value.starts_with(note)), "{:?}", entry.fields);
    assert!(error.to_string().contains(note), "{error}");

    let zero = Runtime::builder().token_timeout(Duration::ZERO).build().unwrap_err();
    assert_eq!(zero.kind(), ErrorKind::Config);
    assert!(zero.to_string().contains("`Runtime::builder().token_timeout(..)` is zero"), "{zero}");
}

/// 200 calls at once behind one token request past its timeout: each fails once with
/// the token timeout, not retried, and the next call asks again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_calls_behind_one_token_request_past_its_timeout_each_fail_once() {
    let server = MockServer::start().await;
    let slow = token_response("t1", 3600).set_delay(Duration::from_secs(1));
    Mock::given(path("/oauth/token")).respond_with(slow).mount(&server).await;
    Mock::given(path("/tickets/1")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&server).await;
    let quick = RetryPolicy { attempts: 3, base_delay: Duration::from_millis(1), max_delay: Duration::from_millis(4) };
    let conv = oauth_conversation(&server, oauth_builder().token_timeout(Duration::from_millis(300)).retry(quick));
    let call = || conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).timeout(Duration::from_secs(3));
    let tasks: Vec<_> = (0..200).map(|_| tokio::spawn(call().send())).collect();
    for outcome in joined(tasks).await {
        let error = outcome.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Auth, "{error}");
        assert!(error.to_string().contains("timed out after 300ms"), "{error}");
    }
    assert_eq!(hits(&server, "/oauth/token").await, 1, "one request for 200 calls");
    assert_eq!(calls(&conv.log).len(), 200, "one attempt each");
    assert_eq!(call().await.unwrap_err().kind(), ErrorKind::Auth);
    assert_eq!(hits(&server, "/oauth/token").await, 2, "a timeout is not cached");
}

/// A token server that never completes a connection (a TLS handshake never
/// answered) is told after the runtime's connect timeout, as a call's server is,
/// not after the token request's own timeout; and it is retried, as nothing was sent.
#[tokio::test(start_paused = true)]
async fn a_token_server_that_never_connects_is_told_after_the_connect_timeout_and_retried() {
    let server = MockServer::start().await;
    let (silent, connections) = support::raw_server(support::Misbehave::Silent).await;
    let token_url = silent.replace("http://", "https://") + "/oauth/token";
    let auth = format!("{{ token_url: \"{token_url}\", client_id: \"id\", client_secret: {{ secret: CS }} }}");
    let yaml = auth_support::definitions_yaml(&server.uri(), "oauth2", &auth);
    let apis = DynamicApis::parse("apis.yaml", &yaml).unwrap();
    let two = RetryPolicy { attempts: 2, base_delay: Duration::from_millis(1), max_delay: Duration::from_millis(1) };
    let builder = oauth_builder().connect_timeout(Duration::from_secs(2)).timeout(Duration::from_secs(30));
    let conv = builder.retry(two).build().unwrap().dynamic_conversation(&apis);
    let started = tokio::time::Instant::now();
    let error = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap_err();
    let waited = started.elapsed();
    assert!(waited >= Duration::from_secs(4) && waited < Duration::from_millis(4_100), "{waited:?}: {error}");
    assert_eq!(error.kind(), ErrorKind::Auth, "{error}");
    assert!(error.is_retryable(), "{error}");
    assert_eq!(connections.load(std::sync::atomic::Ordering::SeqCst), 2, "one token request an attempt");
    let message = error.to_string();
    let said = format!("the oauth2 token request to `{token_url}` made no connection within the connect timeout of 2s; check `token_url` and that the token server is up, or raise the timeout with `Runtime::builder().connect_timeout(..)`");
    assert!(message.contains(&said), "{message}");
    let source = std::error::Error::source(&error).and_then(|source| source.downcast_ref::<TransportError>());
    assert!(source.is_some_and(TransportError::is_connect), "{error}");
}

/// With the default timeouts, a token server that takes the request and never
/// answers is told by the token request's own timeout, shorter than the attempt's:
/// one request, an `Auth` error not retried, not an attempt's `Timeout` retried with
/// a new request each time.
#[tokio::test(start_paused = true)]
async fn with_the_default_timeouts_a_token_server_that_never_answers_is_asked_once() {
    let server = MockServer::start().await;
    let (silent, connections) = support::raw_server(support::Misbehave::Silent).await;
    let auth = format!("{{ token_url: \"{silent}/oauth/token\", client_id: \"id\", client_secret: {{ secret: CS }} }}");
    let yaml = auth_support::definitions_yaml(&server.uri(), "oauth2", &auth);
    let apis = DynamicApis::parse("apis.yaml", &yaml).unwrap();
    let conv = oauth_builder().build().unwrap().dynamic_conversation(&apis);
    let started = tokio::time::Instant::now();
    let error = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap_err();
    assert_eq!(started.elapsed(), conv_api_runtime::auth::DEFAULT_TOKEN_TIMEOUT, "{error}");
    assert!(conv_api_runtime::auth::DEFAULT_TOKEN_TIMEOUT < conv_api_runtime::DEFAULT_TIMEOUT);
    assert_eq!(error.kind(), ErrorKind::Auth, "{error}");
    assert!(error.to_string().contains("timed out after 8s"), "{error}");
    assert_eq!(connections.load(std::sync::atomic::Ordering::SeqCst), 1);
    assert_eq!(conv.log.len(), 1, "one attempt");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_request_stalled_on_a_tokio_runtime_not_running_is_given_up_after_its_timeout() {
    let server = MockServer::start().await;
    let slow = token_response("t1", 3600).set_delay(Duration::from_millis(200));
    Mock::given(path("/oauth/token")).respond_with(slow).mount(&server).await;
    Mock::given(path("/tickets/1"))
        .and(header("authorization", "Bearer t1"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let conv = oauth_conversation(&server, oauth_builder().token_timeout(Duration::from_millis(300)));

    // sync code with a tokio runtime of its own: the token request is a task of that
    // runtime, which runs only while its thread is in `block_on`; the call that started
    // it is kept, not polled, so it still counts as waiting for the request
    let idle = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let started = {
        let conv = conv.clone();
        std::thread::spawn(move || {
            let mut call = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).send();
            let polled = idle.block_on(async { tokio::time::timeout(Duration::from_millis(50), &mut call).await });
            assert!(polled.is_err(), "the call is still waiting for its token");
            (call, idle)
        })
        .join()
        .unwrap()
    };

    // another runtime's call does not wait for that request forever: past its timeout
    // (and a second of grace), the request counts as stalled and another starts
    let began = std::time::Instant::now();
    let captured = support::tracing_capture::Collect::default();
    let guard = captured.set_default();
    let response = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).timeout(Duration::from_secs(5)).await;
    drop(guard);
    assert_eq!(response.map(|response| response.status_code()).map_err(|error| error.kind()), Ok(200));
    let warned = captured.lines().into_iter().find(|line| line.contains("an oauth2 token request is not running"));
    let warned = warned.unwrap_or_else(|| panic!("no warning: {:?}", captured.lines()));
    assert!(warned.starts_with("WARN") && warned.contains("api=\"zendesk\"") && warned.contains("target=conv_api"));
    assert!(began.elapsed() < Duration::from_secs(3), "waited {:?}", began.elapsed());
    assert_eq!(hits(&server, "/oauth/token").await, 2, "the stalled request (sent, never read) and its successor");
    // a runtime is dropped outside async code
    std::thread::spawn(move || drop(started)).join().unwrap();
}

/// Sync code calls through `Handle::block_on` (or `spawn_blocking`) while the tokio
/// runtime shuts down, as at the end of `#[tokio::main]`: the token request's task ends
/// with it, and the call waiting for the token fails at once, not retried (a retry's
/// wait on a runtime that is shutting down panicked in the caller's thread).
#[test]
fn a_call_whose_token_request_ends_with_its_tokio_runtime_fails_and_is_not_retried() {
    // the API and token server outlive the runtime that shuts down
    let (sender, uri) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let server = MockServer::start().await;
            let never = token_response("t1", 3600).set_delay(Duration::from_secs(60));
            Mock::given(path("/oauth/token")).respond_with(never).mount(&server).await;
            sender.send(server.uri()).unwrap();
            std::future::pending::<()>().await
        })
    });
    let uri = uri.recv().unwrap();
    let auth = format!("{{ token_url: \"{uri}/oauth/token\", client_id: app, client_secret: {{ secret: CS }} }}");
    let yaml = auth_support::definitions_yaml(&uri, "oauth2", &auth);
    let apis = DynamicApis::parse("apis.yaml", &yaml).unwrap();
    let conv = oauth_builder().build().unwrap().dynamic_conversation(&apis);
    let tokio = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let handle = tokio.handle().clone();
    let caller = {
        let conv = conv.clone();
        std::thread::spawn(move || handle.block_on(conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).send()))
    };
    std::thread::sleep(Duration::from_millis(300));
    tokio.shutdown_background();
    let error = caller.join().expect("the caller does not panic").unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Auth, "{error}");
    assert!(error.to_string().contains("stopped before it finished"), "{error}");
    assert!(!error.is_retryable(), "{error}");
    let entries = conv.log.entries();
    assert_eq!(entries.len(), 1, "one attempt: {}", conv.log.to_jsonl());
}

/// A call retried on a token endpoint's 429 waits as its `Retry-After` asks, and one
/// asking past the runtime's cap is not asked again: the call's error says how long
/// the endpoint asked for (an identity provider throttling a tenant is not hammered).
#[tokio::test]
async fn a_token_endpoints_retry_after_is_honoured_up_to_the_cap() {
    let throttled = |wait: &str| {
        ResponseTemplate::new(429)
            .insert_header("Retry-After", wait)
            .set_body_json(serde_json::json!({ "error": "temporarily_unavailable" }))
    };
    let quick = RetryPolicy { attempts: 3, base_delay: Duration::from_millis(1), max_delay: Duration::from_secs(10) };
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token")).respond_with(throttled("1")).up_to_n_times(1).mount(&server).await;
    Mock::given(path("/oauth/token")).respond_with(token_response("t1", 3600)).mount(&server).await;
    Mock::given(path("/tickets/1")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let conv = oauth_conversation(&server, oauth_builder().retry(quick));
    let began = std::time::Instant::now();
    let response = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap();
    assert_eq!(response.status_code(), 200);
    assert!(began.elapsed() >= Duration::from_secs(1), "asked again after {:?}", began.elapsed());
    let first = &conv.log.entries()[0];
    assert!(first.message.contains("; retrying in 1s, as `Retry-After` asks"), "{}", first.message);

    let server = MockServer::start().await;
    Mock::given(path("/oauth/token")).respond_with(throttled("120")).mount(&server).await;
    let conv = oauth_conversation(&server, oauth_builder().retry(quick));
    let error = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap_err();
    assert_eq!(hits(&server, "/oauth/token").await, 1, "{error}");
    assert_eq!((error.kind(), error.retry_after()), (ErrorKind::Auth, Some(Duration::from_secs(120))));
    let message = error.to_string();
    assert!(message.contains("it asks (`Retry-After`) to be asked again in 120s"), "{message}");
    assert!(
        message.ends_with(
            "not retried: the server asks to wait 120s (`Retry-After`), longer than the 10s the runtime waits"
        ),
        "{message}"
    );
}

/// While a token endpoint's `Retry-After` lasts, no call asks it again: each is told
/// what is left of the wait (here past the cap, so not retried); once it is over, the
/// next call asks, and gets its token.
#[tokio::test]
async fn no_token_request_goes_out_while_the_endpoints_retry_after_lasts() {
    let quick = RetryPolicy { attempts: 3, base_delay: Duration::from_millis(1), max_delay: Duration::from_secs(10) };
    let server = MockServer::start().await;
    let throttled = ResponseTemplate::new(429).insert_header("Retry-After", "30");
    Mock::given(path("/oauth/token")).respond_with(throttled).up_to_n_times(1).mount(&server).await;
    Mock::given(path("/oauth/token")).respond_with(token_response("t1", 3600)).mount(&server).await;
    Mock::given(path("/tickets/1")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let conv = oauth_conversation(&server, oauth_builder().retry(quick));
    let call = || conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).into_future();
    let mut left = Duration::MAX;
    for _ in 0..20 {
        let error = call().await.unwrap_err();
        let asked = error.retry_after().expect("what is left of the wait");
        assert!(asked <= Duration::from_secs(30) && asked < left, "{asked:?} after {left:?}: {error}");
        left = asked;
        advance(Duration::from_millis(500)).await;
    }
    assert_eq!(hits(&server, "/oauth/token").await, 1, "10 s of calls while the endpoint asked for 30 s");
    advance(Duration::from_secs(21)).await;
    assert_eq!(call().await.unwrap().status_code(), 200);
    assert_eq!(hits(&server, "/oauth/token").await, 2);
}

/// A token endpoint's `Retry-After` holds also when its answer's body is over the
/// token cap (a busy page of 2 MiB): no call asks again while it lasts, each is told
/// the wait, and the advice is the status's (busy), not to check `token_url`.
#[tokio::test]
async fn a_token_endpoints_retry_after_holds_also_when_its_body_is_over_the_cap() {
    let server = MockServer::start().await;
    let busy = ResponseTemplate::new(503).insert_header("retry-after", "3600").set_body_string("x".repeat(2 << 20));
    Mock::given(path("/oauth/token")).respond_with(busy).expect(1).mount(&server).await;
    let conv = oauth_conversation(&server, oauth_builder().retry(support::ONE_ATTEMPT));
    for _ in 0..3 {
        let error = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap_err();
        assert!(error.retry_after().is_some_and(|wait| wait > Duration::from_secs(3500)), "{error}");
        let message = error.to_string();
        assert!(message.contains("answered 503 Service Unavailable with a body over 1048576 bytes"), "{message}");
        assert!(message.contains("failing or busy") && !message.contains("check that `token_url`"), "{message}");
    }
}

/// A refresh ahead of expiry answered with a `Retry-After` is not asked again before
/// it is over, the valid token serving meanwhile (not every 5 s).
#[tokio::test]
async fn a_refresh_answered_with_a_retry_after_is_not_asked_again_before_it_is_over() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token")).respond_with(token_response("t1", 3600)).up_to_n_times(1).mount(&server).await;
    let throttled = ResponseTemplate::new(429).insert_header("Retry-After", "120");
    Mock::given(path("/oauth/token")).respond_with(throttled).mount(&server).await;
    Mock::given(path("/tickets/1"))
        .and(header("authorization", "Bearer t1"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let conv = oauth_conversation(&server, oauth_builder());
    let call = || conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).into_future();
    assert_eq!(call().await.unwrap().status_code(), 200);
    advance(Duration::from_secs(3541)).await; // past the refresh point, `t1` valid until 3600 s
    for _ in 0..9 {
        assert_eq!(call().await.unwrap().status_code(), 200, "t1 serves meanwhile");
        advance(Duration::from_secs(6)).await;
    }
    assert_eq!(hits(&server, "/oauth/token").await, 2, "the fetch, then one refresh answered 429 for 120 s");
}

/// 500 calls whose one token request is answered 429 retry together, on one more
/// request, and none is refused by the retry budget: their retries shared a request.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_hundred_calls_whose_token_request_was_throttled_all_pass_under_the_default_budget() {
    let server = MockServer::start().await;
    let throttled = ResponseTemplate::new(429).insert_header("Retry-After", "1");
    Mock::given(path("/oauth/token")).respond_with(throttled).up_to_n_times(1).mount(&server).await;
    Mock::given(path("/oauth/token")).respond_with(token_response("t1", 3600)).mount(&server).await;
    Mock::given(path("/tickets/1")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let conv = oauth_conversation(&server, oauth_builder());
    let calls: Vec<_> =
        (0..500).map(|_| tokio::spawn(conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).send())).collect();
    let failed = joined(calls).await.iter().filter(|call| call.is_err()).count();
    assert_eq!(failed, 0);
    assert_eq!(hits(&server, "/oauth/token").await, 2);
}

/// 200 calls at once, three attempts each, behind a token endpoint that answers 503
/// every time or whose port is closed: each ends in an auth error, and the calls that
/// shared a failed request share the next one too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_calls_behind_a_failing_token_endpoint_each_end_in_an_auth_error() {
    let server = MockServer::start().await;
    let down = ResponseTemplate::new(503).set_body_json(serde_json::json!({ "error": "temporarily_unavailable" }));
    Mock::given(path("/oauth/token")).respond_with(down).mount(&server).await;
    Mock::given(path("/tickets/1")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&server).await;
    let quick = RetryPolicy { attempts: 3, base_delay: Duration::from_millis(1), max_delay: Duration::from_millis(4) };
    for token_server in [server.uri(), support::closed_port_url()] {
        let auth =
            format!("{{ token_url: \"{token_server}/oauth/token\", client_id: c, client_secret: {{ secret: CS }} }}");
        let yaml = auth_support::definitions_yaml(&server.uri(), "oauth2", &auth);
        let apis = DynamicApis::parse("apis.yaml", &yaml).unwrap();
        let conv = oauth_builder().retry(quick).build().unwrap().dynamic_conversation(&apis);
        let calls = (0..200).map(|_| conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).send());
        assert_eq!(statuses_of_tasks(calls).await, vec![Err(ErrorKind::Auth); 200], "{token_server}");
    }
    let token_requests = hits(&server, "/oauth/token").await;
    assert!((1..=6).contains(&token_requests), "{token_requests} token requests for 200 calls of 3 attempts");
}

/// Two APIs of one client and token URL whose `token_params` differ (Auth0
/// audiences) each get their own token, cached apart.
#[tokio::test]
async fn a_token_asked_for_with_other_token_params_is_another_token() {
    let server = MockServer::start().await;
    for (audience, token) in [("crm", "t-crm"), ("erp", "t-erp")] {
        Mock::given(path("/oauth/token"))
            .and(body_string_contains(format!("audience={audience}")))
            .respond_with(token_response(token, 3600))
            .expect(1)
            .mount(&server)
            .await;
    }
    for (api, token) in [("crm", "t-crm"), ("erp", "t-erp")] {
        Mock::given(path(format!("/{api}/ping")))
            .and(header("authorization", format!("Bearer {token}").as_str()))
            .respond_with(ResponseTemplate::new(200))
            .mount(&server)
            .await;
    }
    let api = |name: &str| {
        format!(
            "  - name: {name}\n    environments: {{ sandbox: {{ base_url: \"{uri}/{name}\", auth_type: oauth2, auth: {{ token_url: \"{uri}/oauth/token\", client_id: app, client_secret: {{ secret: CS }}, token_params: {{ audience: {name} }} }} }} }}\n    operations: [{{ name: ping, method: GET, resource: /ping }}]\n",
            uri = server.uri()
        )
    };
    let yaml = format!("api_integrations:\n{}{}", api("crm"), api("erp"));
    let apis = DynamicApis::parse("apis.yaml", &yaml).unwrap();
    let conv = oauth_builder().build().unwrap().dynamic_conversation(&apis);
    for _ in 0..2 {
        for name in ["crm", "erp"] {
            assert_eq!(conv.api.call(name, "ping").await.unwrap().status_code(), 200, "{name}");
        }
    }
}

/// Two tenants' files in one runtime name the same token URL and client id (a
/// client id is no secret), each with a secret of its own: the second file's wrong
/// secret gets no token, so the first tenant's token never goes to its base URL.
#[tokio::test]
async fn a_file_naming_another_client_secret_never_gets_the_token_of_the_same_client_id() {
    let (server, theirs) = (MockServer::start().await, MockServer::start().await);
    let right = format!("Basic {}", STANDARD.encode("app:right-secret"));
    Mock::given(path("/oauth/token"))
        .and(header("authorization", right.as_str()))
        .respond_with(token_response("tenant-a-token", 3600))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/oauth/token")).respond_with(ResponseTemplate::new(401)).expect(1).mount(&server).await;
    Mock::given(path("/tickets/1")).respond_with(ResponseTemplate::new(200)).expect(1).mount(&server).await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&theirs).await;
    let file = |base_url: &str, secret: &str| {
        let auth = format!(
            "{{ token_url: \"{}/oauth/token\", client_id: app, client_secret: {{ secret: {secret} }} }}",
            server.uri()
        );
        DynamicApis::parse("apis.yaml", &auth_support::definitions_yaml(base_url, "oauth2", &auth)).unwrap()
    };
    let (tenant_a, tenant_b) = (file(&server.uri(), "TENANT_A_SECRET"), file(&theirs.uri(), "TENANT_B_SECRET"));
    let store = MapSecretStore::new().with("TENANT_A_SECRET", "right-secret").with("TENANT_B_SECRET", "wrong");
    let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(store).build().unwrap();

    let a = runtime.dynamic_conversation(&tenant_a);
    assert_eq!(a.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap().status_code(), 200);
    let b = runtime.dynamic_conversation(&tenant_b);
    let refused = b.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Auth, "{refused}");
}

/// A server whose token endpoint gives `t1` after 300 ms, and whose `/tickets/1`
/// answers 200 to it.
async fn server_with_a_token_in_300_ms() -> MockServer {
    let server = MockServer::start().await;
    let slow = token_response("t1", 3600).set_delay(Duration::from_millis(300));
    Mock::given(path("/oauth/token")).respond_with(slow).mount(&server).await;
    Mock::given(path("/tickets/1"))
        .and(header("authorization", "Bearer t1"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    server
}

/// The outcome of a call made `calls_after` a call of sync code on a thread with a
/// tokio runtime of its own, which stops waiting after `stops_after` (a timeout around
/// it) and leaves the runtime idle (its thread does other work) until the call ends:
/// the token request that call started is a task of that runtime, which nothing runs.
async fn a_call_beside_a_token_request_left_idle(
    stops_after: Duration,
    calls_after: Duration,
) -> (MockServer, Result<u16, String>) {
    let server = server_with_a_token_in_300_ms().await;
    let conv = oauth_conversation(&server, oauth_builder());
    let (done, finished) = std::sync::mpsc::channel::<()>();
    let idle = {
        let conv = conv.clone();
        std::thread::spawn(move || {
            let idle = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            let call = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1);
            let outcome = idle.block_on(async { tokio::time::timeout(stops_after, call.into_future()).await });
            assert!(outcome.is_err(), "the call stopped waiting");
            let _ = finished.recv();
        })
    };
    tokio::time::sleep(calls_after).await;
    let call = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).timeout(Duration::from_secs(2));
    let outcome = call.await.map(|response| response.status_code()).map_err(|error| error.to_string());
    done.send(()).unwrap();
    idle.join().unwrap();
    (server, outcome)
}

/// Another tokio runtime's call does not wait for a token request that nothing runs:
/// the call that started it stopped waiting, on a runtime of a thread's own (with the
/// default token timeout, waiting for the request to stall would outlast the call).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_request_on_an_idle_tokio_runtime_that_no_call_waits_for_is_not_waited_for() {
    let (server, outcome) =
        a_call_beside_a_token_request_left_idle(Duration::from_millis(50), Duration::from_millis(100)).await;
    assert_eq!(outcome, Ok(200));
    assert_eq!(hits(&server, "/oauth/token").await, 2, "the request nothing runs, and this call's own");
}

/// The same when the other call was already waiting for the request when the call
/// that started it stopped waiting.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_waiting_for_a_token_request_stops_when_no_call_of_its_idle_runtime_waits_for_it_any_more() {
    let (_, outcome) =
        a_call_beside_a_token_request_left_idle(Duration::from_millis(150), Duration::from_millis(50)).await;
    assert_eq!(outcome, Ok(200));
}

/// A token request on a runtime of a thread's own that other calls there still wait
/// for, though the call that started it stopped, runs: a call on another tokio
/// runtime waits for it too, and no second request goes out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_request_that_calls_on_its_runtime_still_wait_for_is_waited_for_elsewhere_too() {
    let server = server_with_a_token_in_300_ms().await;
    let conv = oauth_conversation(&server, oauth_builder());
    let driven = {
        let conv = conv.clone();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            runtime.block_on(async {
                let call = || conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).send();
                let starter = tokio::time::timeout(Duration::from_millis(100), call());
                let others = async {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    statuses_of_tasks((0..5).map(|_| call())).await
                };
                let (starter, others) = tokio::join!(starter, others);
                assert!(starter.is_err(), "the call that started the request stopped waiting");
                others
            })
        })
    };
    tokio::time::sleep(Duration::from_millis(150)).await;
    let call = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).timeout(Duration::from_secs(2));
    assert_eq!(call.await.map(|response| response.status_code()).map_err(|error| error.to_string()), Ok(200));
    assert_eq!(driven.join().unwrap(), [Ok(200); 5]);
    assert_eq!(hits(&server, "/oauth/token").await, 1, "one request, which the calls on its runtime drove");
}

/// The statuses (or error kinds) of `calls`, each a task of the current runtime.
async fn statuses_of_tasks(
    calls: impl Iterator<Item = conv_api_runtime::ResponseFuture>,
) -> Vec<Result<u16, ErrorKind>> {
    let tasks: Vec<_> = calls.map(tokio::spawn).collect();
    let outcomes = joined(tasks).await.into_iter();
    outcomes.map(|outcome| outcome.map(|response| response.status_code()).map_err(|error| error.kind())).collect()
}

#[tokio::test]
async fn a_call_dropped_while_it_waits_for_a_token_is_logged_as_not_sent() {
    let server = MockServer::start().await;
    let slow = token_response("t1", 3600).set_delay(Duration::from_secs(2));
    Mock::given(path("/oauth/token")).respond_with(slow).mount(&server).await;
    Mock::given(path("/tickets/1")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&server).await;
    let conv = oauth_conversation(&server, oauth_builder());
    let call = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1);
    assert!(tokio::time::timeout(Duration::from_millis(200), call).await.is_err(), "the caller gave up first");
    let calls = calls(&conv.log);
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(calls[0].error_kind, Some(ErrorKind::Cancelled));
    let error = calls[0].error.as_deref().unwrap_or_default();
    assert!(error.contains("waited for its credentials (an OAuth 2.0 token); it was not sent"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_calls_waiting_for_a_token_request_get_its_token_when_the_call_that_started_it_is_dropped() {
    let server = MockServer::start().await;
    let slow = token_response("t1", 3600).set_delay(Duration::from_millis(300));
    Mock::given(path("/oauth/token")).respond_with(slow).expect(1).mount(&server).await;
    Mock::given(path("/tickets/1")).respond_with(ResponseTemplate::new(200)).expect(20).mount(&server).await;
    let conv = oauth_conversation(&server, oauth_builder());
    let call = || conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).send();
    let first = tokio::spawn(call());
    support::recorded(&server, 1).await;
    let others: Vec<_> = (0..20).map(|_| tokio::spawn(call())).collect();
    first.abort();
    for outcome in joined(others).await {
        assert_eq!(outcome.map(|response| response.status_code()).map_err(|error| error.to_string()), Ok(200));
    }
    let cancelled = calls(&conv.log).iter().filter(|call| call.error_kind == Some(ErrorKind::Cancelled)).count();
    assert_eq!(cancelled, 1, "the dropped call's entry says so");
}

#[tokio::test]
async fn a_token_request_that_fails_after_its_caller_gave_up_is_warned_of() {
    let captured = support::tracing_capture::Collect::default();
    let _guard = captured.set_default();
    let server = MockServer::start().await;
    let refused = ResponseTemplate::new(401).set_body_json(serde_json::json!({ "error": "invalid_client" }));
    Mock::given(path("/oauth/token")).respond_with(refused.set_delay(Duration::from_millis(500))).mount(&server).await;
    // one attempt: a retry would wait for the same request, and meet its failure
    let once = RetryPolicy { attempts: 1, ..RetryPolicy::default() };
    let conv = oauth_conversation(&server, oauth_builder().retry(once));
    let call = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1);
    let error = call.timeout(Duration::from_millis(100)).await.unwrap_err();
    assert!(error.to_string().contains("the token request goes on"), "{error}");
    let began = std::time::Instant::now();
    let warned = |lines: &[String]| {
        lines.iter().any(|line| line.contains("after the calls waiting for it on its tokio runtime stopped waiting"))
    };
    while !warned(&captured.lines()) {
        assert!(began.elapsed() < Duration::from_secs(60), "no warning: {:?}", captured.lines());
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let lines = captured.lines();
    let line = lines
        .iter()
        .find(|line| line.contains("after the calls waiting for it on its tokio runtime stopped waiting"))
        .unwrap();
    assert!(line.starts_with("WARN") && line.contains("invalid_client"), "{line}");
    assert!(line.contains("api=\"zendesk\"") && line.contains("target=conv_api"), "{line}");
}

#[tokio::test]
async fn a_late_refresh_is_awaited_half_the_tokens_last_seconds_and_an_expired_token_is_not_sent() {
    let server = server_with_a_slow_refresh().await;
    let conv = oauth_conversation(&server, oauth_builder());
    let call = || conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).timeout(Duration::from_secs(4));
    assert_eq!(call().await.unwrap().status_code(), 200);
    // one second of t1 left and a refresh that takes three: the call waits half a
    // second for t2, not half its 4 s timeout, after which it would send t1 expired
    advance(Duration::from_secs(119)).await;
    assert_eq!(call().await.unwrap().status_code(), 200, "t1, with half a second left");
    advance(Duration::from_secs(1)).await;
    assert_eq!(call().await.unwrap().status_code(), 201, "the new token, never the expired one");
}

#[tokio::test]
async fn a_slow_refresh_delays_the_call_that_starts_it_by_half_its_timeout_at_most() {
    let server = server_with_a_slow_refresh().await;
    let conv = oauth_conversation(
        &server,
        oauth_builder().retry(RetryPolicy { attempts: 1, ..conv_api_runtime::DEFAULT_RETRY }),
    );
    let status = |response: conv_api_runtime::Result<conv_api_runtime::Response>| response.unwrap().status_code();
    assert_eq!(status(conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await), 200);
    advance(Duration::from_secs(61)).await;

    // the refresh takes 3 s: the call that starts it waits 1 s, half its timeout, then
    // sends the still-valid token with the other half
    let began = std::time::Instant::now();
    let call = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).timeout(Duration::from_secs(2));
    assert_eq!(status(call.await), 200, "the still-valid token");
    assert!(began.elapsed() >= Duration::from_secs(1), "it waited for the refresh first: {:?}", began.elapsed());
    // the refresh goes on, the valid token serving meanwhile; once it is done, its token serves
    let began = std::time::Instant::now();
    while status(conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await) != 201 {
        assert!(began.elapsed() < Duration::from_secs(60), "the refresh never finished");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_token_endpoint_that_is_briefly_down_is_retried_with_the_call() {
    let server = MockServer::start().await;
    token_endpoint_down_once(&server).await;
    Mock::given(path("/tickets/1")).respond_with(ResponseTemplate::new(200)).expect(1).mount(&server).await;
    let conv = quick_retrying_oauth(&server);
    let response = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap();
    assert_eq!(response.status_code(), 200);
    assert_eq!(hits(&server, "/oauth/token").await, 2, "the failed fetch was not cached; the retry fetched again");
}

#[tokio::test]
async fn a_plain_post_is_retried_too_when_its_token_request_failed_as_nothing_was_sent() {
    let server = MockServer::start().await;
    token_endpoint_down_once(&server).await;
    Mock::given(method("POST"))
        .and(path("/tickets"))
        .respond_with(ResponseTemplate::new(201))
        .expect(1)
        .mount(&server)
        .await;
    let conv = quick_retrying_oauth(&server);
    let response = conv.api.call("zendesk", "create_ticket").await.unwrap();
    assert_eq!(response.status_code(), 201);
}

#[tokio::test]
async fn a_refused_client_is_not_retried_and_a_down_endpoint_is_retryable() {
    let server = MockServer::start().await;
    let refused = ResponseTemplate::new(401).set_body_json(serde_json::json!({ "error": "invalid_client" }));
    Mock::given(path("/oauth/token")).respond_with(refused).mount(&server).await;
    let conv = quick_retrying_oauth(&server);
    let error = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap_err();
    assert!(error.kind() == ErrorKind::Auth && !error.is_retryable(), "{error}");
    assert_eq!(hits(&server, "/oauth/token").await, 1, "refused credentials are a setup problem");

    let closed = support::closed_port_url();
    let error = one_oauth_attempt(&closed, &format!("{closed}/t"), None).await;
    assert!(
        error.kind() == ErrorKind::Auth && error.is_retryable(),
        "an unreachable token endpoint may come back: {error}"
    );
    assert!(error.to_string().contains("check `token_url`, the network"), "{error}");
    assert!(!error.to_string().contains("`.base_url(..)`"), "no override, no word of one: {error}");
    let source = std::error::Error::source(&error).and_then(|source| source.downcast_ref::<TransportError>());
    assert!(source.is_some_and(TransportError::is_connect), "the transport error is kept: {error:?}");
}

/// A call whose token endpoint answered 503 with a `Retry-After`, then broke off its
/// body, keeps both: the wait, and the transport error as its `source()`, as a call
/// whose token request broke without a wait does.
#[tokio::test]
async fn a_call_whose_token_answer_asked_to_wait_then_broke_keeps_the_wait_and_the_transport_cause() {
    let broken = "HTTP/1.1 503 Service Unavailable\r\nretry-after: 30\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n";
    let (token_server, requests) = support::scripted_server(vec![broken.to_string()]).await;
    let error = one_oauth_attempt("http://127.0.0.1:1", &format!("{token_server}/t"), None).await;
    assert_eq!(error.kind(), ErrorKind::Auth, "{error}");
    assert_eq!(error.retry_after(), Some(Duration::from_secs(30)), "{error}");
    let source = std::error::Error::source(&error).and_then(|source| source.downcast_ref::<TransportError>());
    assert!(source.is_some(), "the transport error is kept beside the wait: {error:?}");
    assert_eq!(requests.load(std::sync::atomic::Ordering::SeqCst), 1);
}

/// The error of one attempt of `zendesk.get_ticket` over OAuth 2.0 at `base_url`,
/// whose token URL is `token_url`, with `override_url` given to the runtime's
/// `base_url(..)`.
async fn one_oauth_attempt(base_url: &str, token_url: &str, override_url: Option<&str>) -> conv_api_runtime::Error {
    let auth = format!("{{ token_url: \"{token_url}\", client_id: c }}");
    let apis = DynamicApis::parse("apis.yaml", &auth_support::definitions_yaml(base_url, "oauth2", &auth)).unwrap();
    let store = MapSecretStore::new().with("ZENDESK_SANDBOX_CLIENT_SECRET", "client-secret");
    let mut builder = Runtime::builder()
        .environment(Environment::Sandbox)
        .secrets(store)
        .retry(RetryPolicy { attempts: 1, ..conv_api_runtime::DEFAULT_RETRY });
    if let Some(url) = override_url {
        builder = builder.base_url("zendesk", url);
    }
    let conv = builder.build().unwrap().dynamic_conversation(&apis);
    conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap_err()
}

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

#[tokio::test]
async fn oauth2_header_credentials_use_the_rfc_6749_encoding_then_the_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(header("authorization", "Basic Q0xJRU5UX0lEJTNGJTNGOkNMSUVOVF9TRUNSRVQlM0YlM0Y="))
        .and(body_string("grant_type=client_credentials&scope=read"))
        .respond_with(token_response("t-1", 3600))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/tickets/4"))
        .and(header("authorization", "Bearer t-1"))
        .respond_with(ResponseTemplate::new(200))
        .expect(2)
        .mount(&server)
        .await;
    let conv = conversation(&server.uri(), "oauth2", &oauth_auth(&server, ", scope: read"), oauth_store());
    for _ in 0..2 {
        assert_eq!(conv.api.call("zendesk", "get_ticket").arg("ticket_id", 4).await.unwrap().status_code(), 200);
    }
}

#[tokio::test]
async fn oauth2_body_credentials_go_in_the_form_only_and_a_custom_header_carries_the_token() {
    let server = MockServer::start().await;
    let form = "grant_type=client_credentials&scope=read&client_id=CLIENT_ID%3F%3F&client_secret=CLIENT_SECRET%3F%3F";
    // "never in a header": no header holds the id or the secret in any form, not only `Authorization`
    let in_no_header = |request: &Request| {
        let forms = [
            "CLIENT_ID??".to_string(),
            "CLIENT_ID%3F%3F".to_string(),
            "CLIENT_SECRET??".to_string(),
            "CLIENT_SECRET%3F%3F".to_string(),
            STANDARD.encode("CLIENT_SECRET??"),
            STANDARD.encode("CLIENT_ID??:CLIENT_SECRET??"),
            STANDARD.encode("CLIENT_ID%3F%3F:CLIENT_SECRET%3F%3F"),
        ];
        request.headers.iter().all(|(_, value)| {
            let value = String::from_utf8_lossy(value.as_bytes());
            forms.iter().all(|form| !value.contains(form.as_str()))
        })
    };
    Mock::given(path("/oauth/token"))
        .and(body_string(form))
        .and(in_no_header)
        .respond_with(token_response("t-2", 3600))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/oauth/token"))
        .and(header_exists("authorization"))
        .respond_with(ResponseTemplate::new(400))
        .expect(0)
        .mount(&server)
        .await;
    Mock::given(path("/tickets/5"))
        .and(header("x-auth", "Token t-2"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let extra = ", credentials: body, scope: read, header_name: X-Auth, token_prefix: Token";
    let conv = conversation(&server.uri(), "oauth2", &oauth_auth(&server, extra), oauth_store());
    assert_eq!(conv.api.call("zendesk", "get_ticket").arg("ticket_id", 5).await.unwrap().status_code(), 200);
    let call = conv.log.entries()[0].request.clone().unwrap();
    let masked: Vec<(String, String)> = call.request_headers.into_iter().filter(|(name, _)| name == "x-auth").collect();
    assert_eq!(masked, [("x-auth".to_string(), "***".to_string())], "the configured header name is masked by name");
}

#[tokio::test]
async fn a_401_refreshes_the_token_and_replays_once() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token")).respond_with(token_response("old", 3600)).up_to_n_times(1).mount(&server).await;
    Mock::given(path("/oauth/token")).respond_with(token_response("new", 3600)).mount(&server).await;
    Mock::given(path("/tickets/6"))
        .and(header("authorization", "Bearer old"))
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/tickets/6"))
        .and(header("authorization", "Bearer new"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let conv = conversation(&server.uri(), "oauth2", &oauth_auth(&server, ""), oauth_store());
    assert_eq!(conv.api.call("zendesk", "get_ticket").arg("ticket_id", 6).await.unwrap().status_code(), 200);
    assert_eq!(hits(&server, "/oauth/token").await, 2);
    let attempts: Vec<u32> = conv.log.entries().iter().filter_map(|e| e.request.as_ref().map(|r| r.attempt)).collect();
    assert_eq!(attempts, [1, 2]);
    // the log says why the 401 was not the last word, as a retry's note does
    let notes: Vec<Vec<(String, String)>> = conv.log.entries().iter().map(|entry| entry.fields.clone()).collect();
    let replaying = ("retry".to_string(), "replaying once after a 401, with the token asked for again".to_string());
    assert_eq!(notes, [vec![replaying], vec![]]);
}

/// A 401 whose body did not arrive whole, over the cap (a gateway's error page) or
/// cut off, is a 401 still: the token is asked for again and the call replayed once,
/// not failed (or retried with the refused token), and the next call keeps the new
/// token.
#[tokio::test]
async fn a_401_whose_body_is_over_the_cap_or_cut_off_is_replayed_once_with_a_new_token() {
    let over_the_cap = support::http_answer(401, &[], &"<html>".repeat(100));
    let cut_off = "HTTP/1.1 401 Unauthorized\r\ncontent-length: 50\r\n\r\nonly part".to_string();
    for (refused, kind) in [(over_the_cap, ErrorKind::BodyTooLarge), (cut_off, ErrorKind::Transport)] {
        let tokens = MockServer::start().await;
        Mock::given(path("/oauth/token"))
            .respond_with(token_response("old", 3600))
            .up_to_n_times(1)
            .mount(&tokens)
            .await;
        Mock::given(path("/oauth/token")).respond_with(token_response("new", 3600)).mount(&tokens).await;
        let ok = support::http_answer(200, &[], "ok");
        let (api, answered) = support::scripted_server(vec![refused, ok]).await;
        let yaml = auth_support::definitions_yaml(&api, "oauth2", &oauth_auth(&tokens, ""));
        let apis = DynamicApis::parse("apis.yaml", &yaml).expect("the test definitions are valid");
        let conv = oauth_builder().max_body_bytes(64).build().unwrap().dynamic_conversation(&apis);
        let call = || conv.api.call("zendesk", "get_ticket").arg("ticket_id", 6);
        assert_eq!(call().await.unwrap().status_code(), 200, "{kind:?}");
        assert_eq!(call().await.unwrap().status_code(), 200, "{kind:?}");
        assert_eq!((hits(&tokens, "/oauth/token").await, answered.load(std::sync::atomic::Ordering::SeqCst)), (2, 3));
        let first = &conv.log.entries()[0];
        let attempt = first.request.clone().unwrap();
        assert_eq!((attempt.status, attempt.error_kind), (Some(401), Some(kind)));
        let replaying = ("retry".to_string(), "replaying once after a 401, with the token asked for again".to_string());
        assert_eq!(first.fields, [replaying]);
    }
}

/// A token server at `server` whose first token the ticket endpoint refuses with a
/// 401 (tokens named so that no text of the log looks like them).
async fn token_refused_once(server: &MockServer) {
    let first = Mock::given(path("/oauth/token")).respond_with(token_response("expired-token", 3600));
    first.up_to_n_times(1).mount(server).await;
    Mock::given(path("/oauth/token")).respond_with(token_response("renewed-token", 3600)).mount(server).await;
    let expired = Mock::given(path("/tickets/9")).and(header("authorization", "Bearer expired-token"));
    expired.respond_with(ResponseTemplate::new(401)).with_priority(1).mount(server).await;
}

/// A conversation over OAuth 2.0 at `server` whose `get_ticket` makes two attempts.
fn two_attempts(server: &MockServer) -> Conv<DynamicApi> {
    let yaml = auth_support::definitions_yaml(&server.uri(), "oauth2", &oauth_auth(server, "")).replace(
        "resource: \"/tickets/{ticket_id}\" }",
        "resource: \"/tickets/{ticket_id}\", retry: { attempts: 2, base_delay: 1ms } }",
    );
    let apis = DynamicApis::parse("apis.yaml", &yaml).expect("valid");
    let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(oauth_store()).build().unwrap();
    runtime.dynamic_conversation(&apis)
}

#[tokio::test]
async fn a_replayed_401_does_not_use_up_an_attempt_of_the_retry_policy() {
    let server = MockServer::start().await;
    token_refused_once(&server).await;
    let ticket = || Mock::given(path("/tickets/9"));
    ticket().respond_with(ResponseTemplate::new(503)).up_to_n_times(1).with_priority(2).mount(&server).await;
    ticket().respond_with(ResponseTemplate::new(200)).with_priority(3).mount(&server).await;
    // two attempts: the 503 and the retry that answers 200; the replay is not one of them
    let conv = two_attempts(&server);
    let response = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 9).await.unwrap();
    let statuses: Vec<Option<u16>> =
        conv.log.entries().iter().filter_map(|e| e.request.as_ref().map(|r| r.status)).collect();
    assert_eq!(statuses, [Some(401), Some(503), Some(200)]);
    assert_eq!(response.status_code(), 200);
}

#[tokio::test]
async fn after_a_replay_the_last_note_counts_the_replay_as_its_entry_numbers_it() {
    let server = MockServer::start().await;
    token_refused_once(&server).await;
    Mock::given(path("/tickets/9")).respond_with(ResponseTemplate::new(503)).with_priority(2).mount(&server).await;
    let conv = two_attempts(&server);
    let response = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 9).await.unwrap();
    assert_eq!(response.status_code(), 503);
    let calls = calls(&conv.log);
    let numbered: Vec<(u32, Option<u16>)> = calls.iter().map(|call| (call.attempt, call.status)).collect();
    assert_eq!(numbered, [(1, Some(401)), (2, Some(503)), (3, Some(503))]);
    let last = conv.log.entries().pop().unwrap();
    let note = last.fields.iter().find(|(name, _)| name == "retry").map(|(_, note)| note.as_str());
    assert_eq!(
        note,
        Some("no retry left: all 2 attempts were made, besides the one replayed with new credentials after a 401")
    );
}

/// Each call's first 401 drops its token and replays the call once with a new one
/// (RELIABILITY 6), also when the token it dropped was itself fetched after a 401:
/// a token revoked soon after a refresh is mended by the next call. An API that
/// refuses every token so costs each call one token request and one replay.
#[tokio::test]
async fn every_calls_first_401_gets_a_new_token_and_one_replay() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token")).respond_with(token_response("t1", 3600)).mount(&server).await;
    Mock::given(path("/tickets/1")).respond_with(ResponseTemplate::new(401)).mount(&server).await;
    let conv = oauth_conversation(&server, oauth_builder());
    for _ in 0..3 {
        assert_eq!(conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap().status_code(), 401);
    }
    assert_eq!(hits(&server, "/oauth/token").await, 4, "the first token, then one after each call's first 401");
    assert_eq!(hits(&server, "/tickets/1").await, 6, "each call replayed once");
    let notes: Vec<Vec<(String, String)>> = conv.log.entries().iter().map(|entry| entry.fields.clone()).collect();
    let replaying =
        vec![("retry".to_string(), "replaying once after a 401, with the token asked for again".to_string())];
    assert_eq!(notes, [replaying.clone(), vec![], replaying.clone(), vec![], replaying, vec![]]);
}

#[tokio::test]
async fn a_second_401_goes_back_to_the_caller() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token")).respond_with(token_response("t", 3600)).expect(2).mount(&server).await;
    Mock::given(path("/tickets/7")).respond_with(ResponseTemplate::new(401)).expect(2).mount(&server).await;
    let conv = conversation(&server.uri(), "oauth2", &oauth_auth(&server, ""), oauth_store());
    assert_eq!(conv.api.call("zendesk", "get_ticket").arg("ticket_id", 7).await.unwrap().status_code(), 401);
}

#[tokio::test]
async fn a_401_on_a_retry_after_the_replay_goes_back_to_the_caller() {
    let server = MockServer::start().await;
    token_refused_once(&server).await;
    // the replay with the new token answers 503, its retry 401: no second replay
    let ticket = || Mock::given(path("/tickets/9"));
    ticket().respond_with(ResponseTemplate::new(503)).up_to_n_times(1).with_priority(2).mount(&server).await;
    ticket().respond_with(ResponseTemplate::new(401)).with_priority(3).mount(&server).await;
    let conv = quick_retrying_oauth(&server);
    let response = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 9).await.unwrap();
    assert_eq!(response.status_code(), 401);
    assert_eq!(hits(&server, "/tickets/9").await, 3, "401, replay 503, retry 401");
    assert_eq!(hits(&server, "/oauth/token").await, 2, "one refresh after the first 401 only");
}

#[tokio::test]
async fn a_401_without_a_token_is_not_replayed() {
    let server = MockServer::start().await;
    Mock::given(path("/tickets/8")).respond_with(ResponseTemplate::new(401)).expect(1).mount(&server).await;
    let store = MapSecretStore::new().with("ZENDESK_SANDBOX_API_KEY", "k");
    let conv = conversation(&server.uri(), "apiKey", "", store);
    assert_eq!(conv.api.call("zendesk", "get_ticket").arg("ticket_id", 8).await.unwrap().status_code(), 401);
}

#[tokio::test]
async fn concurrent_calls_without_a_token_share_one_token_request() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token")).respond_with(token_response("shared", 3600)).expect(1).mount(&server).await;
    Mock::given(path("/tickets/9"))
        .and(header("authorization", "Bearer shared"))
        .respond_with(ResponseTemplate::new(200))
        .expect(50)
        .mount(&server)
        .await;
    let conv = conversation(&server.uri(), "oauth2", &oauth_auth(&server, ""), oauth_store());
    let calls: Vec<_> = (0..50).map(|_| conv.api.call("zendesk", "get_ticket").arg("ticket_id", 9)).collect();
    let tasks: Vec<_> = calls.into_iter().map(|call| tokio::spawn(async move { call.await })).collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap().status_code(), 200);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_calls_wait_for_one_slow_token_request() {
    let server = MockServer::start().await;
    let slow = token_response("t1", 3600).set_delay(Duration::from_millis(600));
    Mock::given(path("/oauth/token")).respond_with(slow).expect(1).mount(&server).await;
    let authorized = Mock::given(path("/tickets/1")).and(header("authorization", "Bearer t1"));
    authorized.respond_with(ResponseTemplate::new(200)).expect(200).mount(&server).await;
    let conv = oauth_conversation(&server, oauth_builder());
    let calls = (0..200).map(|_| conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).send());
    assert_eq!(statuses_of_tasks(calls).await, vec![Ok(200); 200]);
}

#[tokio::test]
async fn concurrent_calls_after_the_token_expired_share_one_refresh() {
    let server = server_with_a_slow_refresh().await;
    let conv = oauth_conversation(&server, oauth_builder());
    assert_eq!(conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap().status_code(), 200);
    advance(Duration::from_secs(121)).await; // t1 has expired: every caller must wait
    let calls: Vec<_> = (0..100).map(|_| conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1)).collect();
    let tasks: Vec<_> = calls.into_iter().map(|call| tokio::spawn(async move { call.await })).collect();
    for response in joined(tasks).await {
        assert_eq!(response.unwrap().status_code(), 201, "the new token, never the expired one");
    }
    assert_eq!(hits(&server, "/oauth/token").await, 2, "one fetch, then exactly one refresh for 100 callers");
}

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

#[tokio::test]
async fn fifty_concurrent_401s_cause_one_refresh() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token")).respond_with(token_response("old", 3600)).up_to_n_times(1).mount(&server).await;
    Mock::given(path("/oauth/token")).respond_with(token_response("new", 3600)).mount(&server).await;
    // each call is refused once with the old token and replayed once with the new one
    for (token, status) in [("Bearer old", 401), ("Bearer new", 200)] {
        let answer = ResponseTemplate::new(status);
        Mock::given(header("authorization", token)).respond_with(answer).expect(50).mount(&server).await;
    }
    let conv = conversation(&server.uri(), "oauth2", &oauth_auth(&server, ""), oauth_store());
    let calls: Vec<_> = (0..50).map(|_| conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1)).collect();
    let tasks: Vec<_> = calls.into_iter().map(|call| tokio::spawn(async move { call.await })).collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap().status_code(), 200);
    }
    assert_eq!(hits(&server, "/oauth/token").await, 2);
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

/// A 401 that no fresh credentials can mend (an API key), whose body was cut off,
/// is the caller's, as a whole one is: not retried as a transport error, and not
/// said to have been replayed.
#[tokio::test]
async fn a_cut_off_401_of_an_api_key_is_the_callers_and_not_said_to_be_replayed() {
    let cut_off = "HTTP/1.1 401 Unauthorized\r\ncontent-length: 50\r\n\r\nonly part".to_string();
    let (url, answered) = support::scripted_server(vec![cut_off]).await;
    let yaml = auth_support::definitions_yaml(&url, "apiKey", "");
    let apis = DynamicApis::parse("apis.yaml", &yaml).expect("the test definitions are valid");
    let store = MapSecretStore::new().with("ZENDESK_SANDBOX_API_KEY", "k-123");
    let quick = RetryPolicy { attempts: 3, base_delay: Duration::from_millis(1), max_delay: Duration::from_millis(2) };
    let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(store).retry(quick).build().unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    let error = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap_err();
    assert_eq!((error.kind(), error.status()), (ErrorKind::Transport, Some(401)), "{error}");
    assert_eq!(answered.load(std::sync::atomic::Ordering::SeqCst), 1);
    let first = conv.log.entries()[0].clone();
    assert!(!first.fields.iter().any(|(_, note)| note.starts_with("replaying")), "{:?}", first.fields);
    assert!(!error.to_string().contains("replayed"), "no attempt was replayed: {error}");
}

/// A 401 whose body stalls past the attempt's timeout (a `Timeout` that
/// keeps the status) is replayed once with a new token, as one over the cap or cut
/// off is.
#[tokio::test]
async fn a_401_whose_body_stalls_is_replayed_once_with_a_new_token() {
    let tokens = MockServer::start().await;
    Mock::given(path("/oauth/token")).respond_with(token_response("old", 3600)).up_to_n_times(1).mount(&tokens).await;
    Mock::given(path("/oauth/token")).respond_with(token_response("new", 3600)).mount(&tokens).await;
    let (api, _) = support::raw_connections(|mut stream, number, _| async move {
        use tokio::io::AsyncWriteExt;
        match number {
            0 => {
                let _ = stream.write_all(b"HTTP/1.1 401 Unauthorized\r\ncontent-length: 50\r\n\r\npart").await;
                let _ = stream.flush().await;
                tokio::time::sleep(Duration::from_secs(30)).await;
            }
            _ => {
                let _ = stream.write_all(support::http_answer(200, &[], "ok").as_bytes()).await;
                let _ = stream.shutdown().await;
            }
        }
    })
    .await;
    let yaml = auth_support::definitions_yaml(&api, "oauth2", &oauth_auth(&tokens, ""));
    let apis = DynamicApis::parse("apis.yaml", &yaml).expect("the test definitions are valid");
    let conv = oauth_builder().retry(support::ONE_ATTEMPT).build().unwrap().dynamic_conversation(&apis);
    let call = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 6).timeout(Duration::from_millis(300));
    assert_eq!(call.await.unwrap().status_code(), 200);
    assert_eq!(hits(&tokens, "/oauth/token").await, 2);
    let first = conv.log.entries()[0].request.clone().unwrap();
    assert_eq!((first.status, first.error_kind), (Some(401), Some(ErrorKind::Timeout)));
}

/// A second 401 goes back to the caller (RELIABILITY 6), also one whose body was cut
/// off: it is not retried with the token the server just refused, as a transport
/// error would be, at the cost of attempts, retry budget and waits for the same 401.
#[tokio::test]
async fn a_second_cut_off_401_goes_back_to_the_caller_without_retries() {
    let tokens = MockServer::start().await;
    Mock::given(path("/oauth/token")).respond_with(token_response("t1", 3600)).mount(&tokens).await;
    let cut_off = "HTTP/1.1 401 Unauthorized\r\ncontent-length: 50\r\n\r\nonly part".to_string();
    let (api, answered) = support::scripted_server(vec![cut_off]).await;
    let yaml = auth_support::definitions_yaml(&api, "oauth2", &oauth_auth(&tokens, ""));
    let apis = DynamicApis::parse("apis.yaml", &yaml).expect("the test definitions are valid");
    let quick = RetryPolicy { attempts: 3, base_delay: Duration::from_millis(1), max_delay: Duration::from_millis(2) };
    let conv = oauth_builder().retry(quick).build().unwrap().dynamic_conversation(&apis);
    let error = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 6).await.unwrap_err();
    assert_eq!(error.status(), Some(401), "{error}");
    assert_eq!(answered.load(std::sync::atomic::Ordering::SeqCst), 2, "the 401 and its one replay: {error}");
}

/// The log entry of a replayed attempt, not the call's last, names no misspelt
/// `base_url` override, as a retried attempt's does not: only the last entry does, as
/// the call's error would (a replayed cut-off 401 is a `Transport` error, which the
/// hint covers).
#[tokio::test]
async fn a_replayed_attempt_entry_names_no_misspelt_override() {
    let tokens = MockServer::start().await;
    Mock::given(path("/oauth/token")).respond_with(token_response("t1", 3600)).mount(&tokens).await;
    let cut_off = "HTTP/1.1 401 Unauthorized\r\ncontent-length: 50\r\n\r\nonly part".to_string();
    let (api, _) = support::scripted_server(vec![cut_off, support::http_answer(200, &[], "ok")]).await;
    let yaml = auth_support::definitions_yaml(&api, "oauth2", &oauth_auth(&tokens, ""));
    let apis = DynamicApis::parse("apis.yaml", &yaml).expect("the test definitions are valid");
    let builder = oauth_builder().retry(support::ONE_ATTEMPT).base_url("zendesks", "http://127.0.0.1:1");
    let conv = builder.build().unwrap().dynamic_conversation(&apis);
    assert_eq!(conv.api.call("zendesk", "get_ticket").arg("ticket_id", 6).await.unwrap().status_code(), 200);
    let first = conv.log.entries()[0].request.clone().unwrap();
    assert_eq!(first.error_kind, Some(ErrorKind::Transport));
    let error = first.error.unwrap_or_default();
    assert!(!error.contains("names no API"), "{error}");
}
