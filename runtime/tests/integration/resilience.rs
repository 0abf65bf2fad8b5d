//! Resilience (RELIABILITY 20-22, 24): which failures are retried, how many times,
//! the `Idempotency-Key`, `Retry-After`, the retry budget and transport errors,
//! with exact attempt counts on real local servers. Against wiremock (its own
//! thread, real time) backoff delays are a few milliseconds, set in the
//! definitions; the default delays and long `Retry-After` waits run on a paused
//! clock against a server on the test's own runtime (`support::scripted_server`),
//! so the clock only jumps when both ends are idle.

use crate::support;

use std::sync::atomic::Ordering;
use std::time::{Duration, SystemTime};

use conv_api_runtime::{
    Conv, DynamicApi, DynamicApis, Environment, ErrorKind, Level, Request, RetryBudget, RetryPolicy, Runtime,
    DEFAULT_RETRY_BUDGET,
};
use support::{raw_server, recorded, scripted_server, Misbehave};
use tokio::io::AsyncWriteExt;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Every method, an idempotent POST, PATCH and (redundantly) PUT, a slow operation and one with a longer
/// backoff cap; `svc` gets its base URL from the builder.
const YAML: &str = r#"
api_integrations:
  - name: svc
    retry: { attempts: 3, base_delay: 1ms, max_delay: 4ms }
    environments:
      sandbox: { base_url: "" }
    operations:
      - { name: get_item, method: GET, resource: "/items/{id}" }
      - { name: put_item, method: PUT, resource: "/items/{id}" }
      - { name: delete_item, method: DELETE, resource: "/items/{id}" }
      - { name: create_item, method: POST, resource: "/items" }
      - { name: patch_item, method: PATCH, resource: "/items/{id}" }
      - { name: create_order, method: POST, resource: "/orders", idempotent: true }
      - { name: patch_order, method: PATCH, resource: "/orders/{id}", idempotent: true }
      - { name: put_order, method: PUT, resource: "/orders/{id}", idempotent: true }
      - { name: get_slow, method: GET, resource: "/slow", timeout: 100ms }
      - { name: get_patient, method: GET, resource: "/patient", retry: { attempts: 2, max_delay: 3s } }
"#;

fn apis() -> DynamicApis {
    DynamicApis::parse("resilience.yaml", YAML).expect("the test definitions are valid")
}

fn runtime_at(url: &str) -> Runtime {
    builder_at(url).build().expect("the test runtime builds")
}

fn builder_at(url: &str) -> conv_api_runtime::RuntimeBuilder {
    Runtime::builder().environment(Environment::Sandbox).base_url("svc", url)
}

fn call(conv: &Conv<DynamicApi>, operation: &str) -> Request {
    let request = conv.api.call("svc", operation);
    let takes_id = !operation.starts_with("create_") && (operation.ends_with("_item") || operation.ends_with("_order"));
    if takes_id {
        request.arg("id", 7)
    } else {
        request
    }
}

/// The `retry` field of each request entry of `conv`'s log, in order.
fn retry_notes(conv: &Conv<DynamicApi>) -> Vec<Option<String>> {
    let entries = conv.log.entries();
    let note = |fields: &[(String, String)]| fields.iter().find(|(name, _)| name == "retry").map(|(_, v)| v.clone());
    entries.iter().filter(|entry| entry.request.is_some()).map(|entry| note(&entry.fields)).collect()
}

/// Answers every request with `status`, expecting exactly `times` of them.
async fn answering(status: u16, times: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(status).set_body_string("failed"))
        .expect(times)
        .mount(&server)
        .await;
    server
}

/// Every operation of the test API with whether it may be retried: GET, PUT, DELETE
/// and operations declared idempotent, not a plain POST or PATCH.
const RETRY_SAFE: [(&str, bool); 7] = [
    ("get_item", true),
    ("put_item", true),
    ("delete_item", true),
    ("create_order", true),
    ("patch_order", true),
    ("create_item", false),
    ("patch_item", false),
];

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
async fn a_connection_reset_is_transient_and_retried() {
    let (url, connections) = raw_server(Misbehave::Reset).await;
    let conv = runtime_at(&url).dynamic_conversation(&apis());
    let error = call(&conv, "get_item").await.unwrap_err();
    assert_eq!(connections.load(Ordering::SeqCst), 3);
    assert_eq!(error.kind(), ErrorKind::Transport, "{error}");
    assert!(error.is_retryable(), "{error:?}");
    assert!(error.to_string().contains("all 3 attempts"), "{error}");
    let error = call(&conv, "create_item").await.unwrap_err();
    assert_eq!(connections.load(Ordering::SeqCst), 4, "a POST is sent once");
    let message = error.to_string();
    assert!(message.contains("; the request may have reached the server; not retried: POST"), "{message}");
    assert!(message.contains("`idempotent: true`") && !message.contains("try again"), "{message}");
}

#[tokio::test]
async fn an_incomplete_message_is_transient_and_retried() {
    let (url, connections) = raw_server(Misbehave::CutBody).await;
    let conv = runtime_at(&url).dynamic_conversation(&apis());
    let error = call(&conv, "get_item").await.unwrap_err();
    assert_eq!(connections.load(Ordering::SeqCst), 3);
    assert_eq!(error.kind(), ErrorKind::Transport, "{error}");
    assert!(error.is_retryable(), "{error:?}");
    let statuses: Vec<Option<u16>> = conv.log.entries().iter().map(|e| e.request.as_ref().unwrap().status).collect();
    assert_eq!(statuses, [Some(200); 3], "the head arrived each time, the body did not");
    let message = error.to_string();
    let says = "the connection closed before the message was complete while the body of the server's 200 OK answer was read; no retry left: all 3 attempts were made";
    assert!(message.contains(says), "{message}");
    // a POST the server answered is not advised to be sent again
    let error = call(&conv, "create_item").await.unwrap_err();
    assert_eq!(connections.load(Ordering::SeqCst), 4, "a POST is sent once");
    let message = error.to_string();
    let says = "while the body of the server's 200 OK answer was read; not retried: POST may not be repeated";
    assert!(message.contains(says) && !message.contains("try again"), "{message}");
}

/// The connection closes before the answer is whole: after no byte, in the middle
/// of the head, after a lone `100 Continue`, or before the last chunk of a chunked
/// body (whose status, arrived, is kept).
#[tokio::test]
async fn an_answer_that_breaks_off_anywhere_is_transient_and_retried_where_safe() {
    let cases: [(&str, Option<u16>); 4] = [
        ("", None),
        ("HTTP/1.1 200 OK\r\ncontent-type: text/pl", None),
        ("HTTP/1.1 100 Continue\r\n\r\n", None),
        ("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n5\r\nwor", Some(200)),
    ];
    for (answer, status) in cases {
        let (url, answered) = scripted_server(vec![answer]).await;
        let conv = runtime_at(&url).dynamic_conversation(&apis());
        let error = call(&conv, "get_item").await.unwrap_err();
        assert_eq!((error.kind(), error.status()), (ErrorKind::Transport, status), "{answer:?}: {error}");
        assert!(error.is_retryable(), "{answer:?}: {error:?}");
        assert_eq!(answered.load(Ordering::SeqCst), 3, "{answer:?}: a GET is retried");
        call(&conv, "create_item").await.unwrap_err();
        assert_eq!(answered.load(Ordering::SeqCst), 4, "{answer:?}: a POST is sent once");
    }
}

#[tokio::test]
async fn an_answer_that_is_not_http_says_so_and_is_not_retried() {
    let many_headers: String = (0..150).map(|n| format!("x-header-{n}: {n}\r\n")).collect();
    let cases = [
        (format!("HTTP/1.1 200 OK\r\ncontent-length: 0\r\n{many_headers}\r\n"), "more than 100 headers"),
        ("HTTP/1.1 200 OK\r\nx-bad: a\x01b\r\ncontent-length: 2\r\n\r\nok".to_string(), "invalid HTTP header parsed"),
        // two lengths that differ: neither is guessed at
        (
            "HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-length: 5\r\nconnection: close\r\n\r\nhello".to_string(),
            "invalid content-length parsed",
        ),
        ("SSH-2.0-OpenSSH_9.6\r\n\r\n".to_string(), "invalid HTTP version"),
        // -1 written unsigned, as some servers say "length unknown"
        (
            "HTTP/1.1 200 OK\r\ncontent-length: 18446744073709551615\r\n\r\nok".to_string(),
            "or a `Content-Length` of 18446744073709551614 or more",
        ),
    ];
    for (answer, says) in cases {
        let (url, answered) = scripted_server(vec![answer]).await;
        let conv = runtime_at(&url).dynamic_conversation(&apis());
        let error = call(&conv, "get_item").await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Transport, "{error}");
        let message = error.to_string();
        let tells = message.contains("not HTTP the client can read") && message.contains("check that the base URL");
        assert!(tells && message.contains(says), "{message}");
        assert!(!error.is_retryable(), "{error:?}");
        assert_eq!(answered.load(Ordering::SeqCst), 1, "not retried");
    }
}

#[tokio::test]
async fn a_body_that_breaks_http_says_so_and_is_not_retried() {
    let answer = "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n".to_string();
    let (url, answered) = scripted_server(vec![answer]).await;
    let conv = runtime_at(&url).dynamic_conversation(&apis());
    let error = call(&conv, "get_item").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport, "{error}");
    let message = error.to_string();
    let says = "the body of the server's 200 OK answer is not HTTP the client can read (Invalid chunk size line";
    assert!(message.contains(says) && message.ends_with("; ask the API's owners to fix the answer"), "{message}");
    assert!(!error.is_retryable(), "{error:?}");
    assert_eq!(answered.load(Ordering::SeqCst), 1, "not retried");
}

/// A server that closes each connection right after its answer, without saying so
/// (no `connection: close`): the next call is not sent on the closed connection,
/// so even a POST, sent once, never fails for it.
#[tokio::test]
async fn a_server_closing_each_connection_after_its_answer_fails_no_call() {
    let (url, connections) = scripted_server(vec!["HTTP/1.1 201 Created\r\ncontent-length: 2\r\n\r\nok"]).await;
    let conv = runtime_at(&url).dynamic_conversation(&apis());
    for n in 0..50 {
        let response = call(&conv, "create_item").await.unwrap_or_else(|error| panic!("call {n}: {error}"));
        assert_eq!(response.status_code(), 201);
    }
    assert_eq!(connections.load(Ordering::SeqCst), 50);
}

#[tokio::test]
async fn a_slow_answer_times_out_and_is_retried() {
    let server = MockServer::start().await;
    let slow = ResponseTemplate::new(200).set_delay(Duration::from_secs(5));
    Mock::given(method("GET")).and(path("/slow")).respond_with(slow).expect(3).mount(&server).await;
    let conv = runtime_at(&server.uri()).dynamic_conversation(&apis());
    let error = call(&conv, "get_slow").await.unwrap_err();
    assert!(error.is_timeout() && error.is_retryable(), "{error}");
    assert_eq!(conv.log.len(), 3);
    recorded(&server, 3).await;
}

/// A server that sends its answer a byte every 20 ms never stops a per-read timeout:
/// the attempt's whole timeout ends it, in the head or in the body (whose status is
/// kept).
#[tokio::test(start_paused = true)]
async fn an_answer_dripped_a_byte_at_a_time_is_ended_by_the_attempts_whole_timeout() {
    let endless_head = vec![b'a'; 2000];
    let drips: [(&[u8], Vec<u8>, Option<u16>); 2] = [
        (b"HTTP/1.1 200 OK\r\nx-drip: ", endless_head, None),
        (b"HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n", vec![b'x'; 1000], Some(200)),
    ];
    for (at_once, dripped, status) in drips {
        let dripped = std::sync::Arc::new(dripped);
        let (url, _) = support::raw_connections(move |mut stream, _, _| {
            let dripped = dripped.clone();
            async move {
                let _ = stream.write_all(at_once).await;
                for byte in dripped.iter() {
                    if stream.write_all(&[*byte]).await.is_err() {
                        return;
                    }
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }
        })
        .await;
        let runtime = Runtime::builder().environment(Environment::Sandbox).base_url("quiet", &url).build().unwrap();
        let conv = runtime.dynamic_conversation(&DynamicApis::parse("quiet.yaml", QUIET).unwrap());
        let started = tokio::time::Instant::now();
        let error = conv.api.call("quiet", "ping").timeout(Duration::from_millis(500)).await.unwrap_err();
        assert_eq!((error.kind(), error.status()), (ErrorKind::Timeout, status), "{error}");
        let took = started.elapsed();
        assert!(took >= Duration::from_millis(500) && took < Duration::from_millis(600), "{status:?}: {took:?}");
    }
}

#[tokio::test]
async fn a_timeout_is_retried_only_where_it_is_safe() {
    let server = MockServer::start().await;
    let slow = ResponseTemplate::new(200).set_delay(Duration::from_secs(5));
    Mock::given(wiremock::matchers::any()).respond_with(slow).mount(&server).await;
    for (operation, safe) in RETRY_SAFE {
        // a runtime each: one runtime's retry budget would stop the later retries
        let runtime = builder_at(&server.uri()).timeout(Duration::from_millis(50)).build().unwrap();
        let conv = runtime.dynamic_conversation(&apis());
        let error = call(&conv, operation).await.unwrap_err();
        assert!(error.is_timeout(), "{operation}: {error}");
        assert_eq!(conv.log.len(), if safe { 3 } else { 1 }, "{operation}: attempts");
    }
}

#[tokio::test]
async fn a_closed_port_is_retried_as_a_connect_error_where_it_is_safe() {
    let url = support::closed_port_url();
    for (operation, safe) in RETRY_SAFE {
        // a runtime each: one runtime's retry budget would stop the later retries
        let conv = runtime_at(&url).dynamic_conversation(&apis());
        let error = call(&conv, operation).await.unwrap_err();
        assert!(error.is_connect() && error.is_retryable(), "{operation}: {error}");
        assert!(error.to_string().to_lowercase().contains("refused"), "the cause is named: {error}");
        let numbers: Vec<u32> = conv.log.entries().iter().map(|e| e.request.as_ref().unwrap().attempt).collect();
        assert_eq!(numbers, if safe { vec![1, 2, 3] } else { vec![1] }, "{operation}");
    }
}

#[tokio::test(start_paused = true)]
async fn the_connect_timeout_bounds_a_connection_that_never_completes() {
    // a server that never answers the TLS handshake: the connection is never made
    let (url, connections) = raw_server(Misbehave::Silent).await;
    let https = url.replace("http://", "https://");
    let runtime = builder_at(&https).connect_timeout(Duration::from_secs(2)).build().unwrap();
    let conv = runtime.dynamic_conversation(&apis());
    let started = tokio::time::Instant::now();
    let error = call(&conv, "get_item").await.unwrap_err();
    assert!(error.is_timeout() && error.is_retryable(), "{error}");
    assert!(error.to_string().contains("within the connect timeout of 2s (its TLS handshake included)"), "{error}");
    assert_eq!(connections.load(Ordering::SeqCst), 3, "each attempt connects anew");
    let waited = started.elapsed();
    assert!(waited >= Duration::from_secs(6) && waited < Duration::from_millis(6_100), "{waited:?}");
}

/// An API of one attempt a call and no timeout of its own; `quiet` gets its base URL
/// from the builder.
const QUIET: &str = "api_integrations:\n  - name: quiet\n    retry: { attempts: 1 }\n    \
                     environments: { sandbox: { base_url: \"\" } }\n    \
                     operations: [{ name: ping, method: GET, resource: /ping }]\n";

#[tokio::test(start_paused = true)]
async fn an_attempt_without_a_timeout_anywhere_ends_after_the_default_ten_seconds() {
    let (url, connections) = raw_server(Misbehave::Silent).await;
    let runtime = Runtime::builder().environment(Environment::Sandbox).base_url("quiet", &url).build().unwrap();
    let apis = DynamicApis::parse("quiet.yaml", QUIET).unwrap();
    let started = tokio::time::Instant::now();
    let error = runtime.dynamic_conversation(&apis).api.call("quiet", "ping").await.unwrap_err();
    assert_eq!(started.elapsed(), conv_api_runtime::DEFAULT_TIMEOUT);
    assert!(error.is_timeout() && error.to_string().contains("no complete answer within 10s"), "{error}");
    assert_eq!(connections.load(Ordering::SeqCst), 1);
}

/// A timeout shorter than the connect timeout (5 s) may end an attempt that never
/// connected (a firewall dropping the connection, a full accept queue), or one whose
/// server was only slow: its error says both, as the runtime cannot tell them apart.
#[tokio::test(start_paused = true)]
async fn a_timeout_below_the_connect_timeout_says_the_connection_may_not_have_been_made() {
    let (url, _) = raw_server(Misbehave::Silent).await;
    let runtime = Runtime::builder().environment(Environment::Sandbox).base_url("quiet", &url).build().unwrap();
    let apis = DynamicApis::parse("quiet.yaml", QUIET).unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    let error = conv.api.call("quiet", "ping").timeout(Duration::from_secs(2)).await.unwrap_err();
    assert!(error.is_timeout(), "{error}");
    let message = error.to_string();
    assert!(
        message.contains("no answer within 2s: the server took longer, or the connection was not even made (2s is shorter than the connect timeout of 5s); if the server is up and reachable, raise the timeout"),
        "{message}"
    );
    // as long as the connect timeout, the two timers race: the attempt's starts first
    let error = conv.api.call("quiet", "ping").timeout(Duration::from_secs(5)).await.unwrap_err();
    assert!(
        error
            .to_string()
            .contains("no answer within 5s: the server took longer, or the connection was not even made (5s is as long as the connect timeout of 5s)"),
        "{error}"
    );
    // longer, the connect timeout would have ended an attempt that never connected
    let error = conv.api.call("quiet", "ping").timeout(Duration::from_secs(6)).await.unwrap_err();
    assert!(error.to_string().contains("no complete answer within 6s; raise the timeout"), "{error}");
}

#[tokio::test]
async fn a_call_that_cannot_connect_names_a_base_url_override_whose_name_is_misspelt() {
    let unreachable = support::closed_port_url();
    let yaml = format!(
        "api_integrations:\n  - name: quiet\n    retry: {{ attempts: 1 }}\n    environments: {{ sandbox: {{ base_url: \"{unreachable}\" }} }}\n    operations: [{{ name: ping, method: GET, resource: /ping }}]\n"
    );
    let apis = DynamicApis::parse("quiet.yaml", &yaml).unwrap();
    let builder = Runtime::builder().environment(Environment::Sandbox);
    let runtime = builder.base_url("Quiet", "http://127.0.0.1:1").build().unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    let error = conv.api.call("quiet", "ping").await.unwrap_err();
    assert!(error.is_connect(), "{error}");
    let hint = "the runtime's `.base_url(\"Quiet\", ..)` names no API (did you mean `quiet`?), so this call went to the environment's base URL";
    assert!(error.to_string().ends_with(&format!("; {hint}")), "{error}");
    // the log says it too, where an operator looks
    let logged = conv.log.entries()[0].request.clone().unwrap().error.unwrap();
    assert!(logged.ends_with(hint), "{logged}");
    // an API not wired yet, where an override is most used, is told so before sending
    let unwired = "api_integrations:\n  - name: quiet\n    environments: { sandbox: { base_url: \"\" } }\n    operations: [{ name: ping, method: GET, resource: /ping }]\n";
    let unwired = DynamicApis::parse("quiet.yaml", unwired).unwrap();
    let error = runtime.dynamic_conversation(&unwired).api.call("quiet", "ping").await.unwrap_err();
    assert_eq!(error.kind(), conv_api_runtime::ErrorKind::NotConfigured, "{error}");
    assert!(
        error.to_string().ends_with("; the runtime's `.base_url(\"Quiet\", ..)` names no API (did you mean `quiet`?)"),
        "{error}"
    );
    // an override of another API of the definitions, or a name far from this one's, is no hint
    let runtime =
        Runtime::builder().environment(Environment::Sandbox).base_url("weather", "http://127.0.0.1:1").build().unwrap();
    let error = runtime.dynamic_conversation(&apis).api.call("quiet", "ping").await.unwrap_err();
    assert!(error.is_connect() && !error.to_string().contains("names no API"), "{error}");
}

#[tokio::test(start_paused = true)]
async fn the_default_connect_timeout_of_five_seconds_bounds_a_connection_that_never_completes() {
    // a server that never answers the TLS handshake: the connection is never made
    let (url, connections) = raw_server(Misbehave::Silent).await;
    let https = url.replace("http://", "https://");
    let runtime = Runtime::builder().environment(Environment::Sandbox).base_url("quiet", &https).build().unwrap();
    let apis = DynamicApis::parse("quiet.yaml", QUIET).unwrap();
    let started = tokio::time::Instant::now();
    let error = runtime.dynamic_conversation(&apis).api.call("quiet", "ping").await.unwrap_err();
    assert_eq!(started.elapsed(), conv_api_runtime::DEFAULT_CONNECT_TIMEOUT);
    assert_eq!(conv_api_runtime::DEFAULT_CONNECT_TIMEOUT, Duration::from_secs(5));
    assert!(error.is_timeout() && error.to_string().contains("connect timeout of 5s"), "{error}");
    assert_eq!(connections.load(Ordering::SeqCst), 1);
}

/// Answers `429` with `Retry-After: value` once, then `200`.
async fn limited_once(value: &str) -> MockServer {
    let server = MockServer::start().await;
    let limited = ResponseTemplate::new(429).insert_header("retry-after", value);
    Mock::given(wiremock::matchers::any()).respond_with(limited).up_to_n_times(1).expect(1).mount(&server).await;
    server
}

#[tokio::test]
async fn retry_after_in_seconds_is_honoured() {
    let server = limited_once("1").await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(1).mount(&server).await;
    let conv = runtime_at(&server.uri()).dynamic_conversation(&apis());
    assert_eq!(call(&conv, "get_patient").await.unwrap().status_code(), 200);
    assert_eq!(retry_notes(&conv)[0].as_deref(), Some("retrying in 1s, as `Retry-After` asks"));
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_honoured() {
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2));
    let server = limited_once(&date).await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(1).mount(&server).await;
    let conv = runtime_at(&server.uri()).dynamic_conversation(&apis());
    assert_eq!(call(&conv, "get_patient").await.unwrap().status_code(), 200);
    let note = retry_notes(&conv)[0].clone().unwrap();
    assert!(note.ends_with("as `Retry-After` asks"), "{note}");
}

/// The `Retry-After` of a retryable answer whose body did not arrive whole (over the
/// cap, or stalled past the attempt's timeout) is honoured as a whole answer's is:
/// the call waits what it asks, and is not retried when it asks past the cap.
#[tokio::test(start_paused = true)]
async fn the_retry_after_of_an_answer_whose_body_did_not_arrive_whole_is_honoured() {
    let page = "<html>".repeat(100);
    let busy = support::http_answer(503, &["retry-after: 2"], &page);
    let (url, answered) = scripted_server(vec![busy, support::http_answer(200, &[], "ok")]).await;
    let conv = builder_at(&url).max_body_bytes(64).build().unwrap().dynamic_conversation(&apis());
    let started = tokio::time::Instant::now();
    assert_eq!(call(&conv, "get_patient").await.unwrap().status_code(), 200);
    assert!(started.elapsed() >= Duration::from_secs(2), "{:?}", started.elapsed());
    assert_eq!(retry_notes(&conv)[0].as_deref(), Some("retrying in 2s, as `Retry-After` asks"));
    assert_eq!(answered.load(Ordering::SeqCst), 2);

    let closed = support::http_answer(503, &["retry-after: 3600"], &page);
    let (url, answered) = scripted_server(vec![closed, support::http_answer(200, &[], "ok")]).await;
    let conv = builder_at(&url).max_body_bytes(64).build().unwrap().dynamic_conversation(&apis());
    let error = call(&conv, "get_item").await.unwrap_err();
    assert_eq!(
        (error.kind(), error.status(), answered.load(Ordering::SeqCst)),
        (ErrorKind::BodyTooLarge, Some(503), 1)
    );
    assert!(error.to_string().contains("not retried: the server asks"), "{error}");
    assert_eq!(error.retry_after(), Some(Duration::from_secs(3600)));

    let stalled = "HTTP/1.1 429 X\r\nretry-after: 3600\r\ncontent-length: 100\r\n\r\npart";
    let (url, _) = support::stalled_answer_server(stalled).await;
    let conv = builder_at(&url).build().unwrap().dynamic_conversation(&apis());
    let error = call(&conv, "get_item").timeout(Duration::from_secs(1)).await.unwrap_err();
    assert_eq!((error.kind(), error.status(), support::calls(&conv.log).len()), (ErrorKind::Timeout, Some(429), 1));
    assert!(error.to_string().contains("not retried: the server asks"), "{error}");
    assert_eq!(error.retry_after(), Some(Duration::from_secs(3600)));
}

/// A call answered with a `Retry-After` past the cap: not retried, the answer
/// returned (a non-2xx answer is a `Response`, API.md), and its `raise_for_status()`
/// the rate-limit error.
async fn rate_limited(conv: &Conv<DynamicApi>, operation: &str) -> conv_api_runtime::Error {
    let response = call(conv, operation).await.expect("a non-2xx answer is a response");
    assert_eq!(response.status_code(), 429);
    response.raise_for_status().expect_err("a rate limit")
}

#[tokio::test]
async fn retry_after_beyond_the_cap_is_the_answer_whose_raise_for_status_is_a_rate_limited_error() {
    for value in ["120".to_string(), httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(600))] {
        let server = limited_once(&value).await;
        let conv = runtime_at(&server.uri()).dynamic_conversation(&apis());
        let error = rate_limited(&conv, "get_item").await;
        assert_eq!(error.kind(), ErrorKind::RateLimited, "{error}");
        assert!(error.is_rate_limited() && error.is_retryable());
        let wait = error.retry_after().expect("the wait is given");
        assert!(wait > Duration::from_secs(100), "{wait:?}");
        let message = error.to_string();
        assert!(message.contains("try again after") && message.contains("`Retry-After`"), "{message}");
        assert!(message.contains("`svc.get_item`"), "{message}");
        assert_eq!(error.status(), Some(429));
        assert!(retry_notes(&conv)[0].as_deref().is_some_and(|note| note.contains("longer than")));
        // the one attempt's entry is its answer, with the headers that asked to wait
        let entries = conv.log.entries();
        assert_eq!(entries.len(), 1);
        let call = entries[0].request.clone().unwrap();
        assert_eq!((entries[0].level, call.status, call.error_kind), (Level::Warning, Some(429), None));
        assert!(call.response_headers.iter().any(|(name, _)| name == "retry-after"), "{:?}", call.response_headers);
    }
}

#[tokio::test]
async fn a_rate_limited_error_after_a_retry_names_the_attempts_and_the_body() {
    let server = MockServer::start().await;
    let soon = ResponseTemplate::new(503).insert_header("retry-after", "0").set_body_string("maintenance window");
    Mock::given(wiremock::matchers::any()).respond_with(soon).up_to_n_times(1).expect(1).mount(&server).await;
    let late = ResponseTemplate::new(503).insert_header("retry-after", "120").set_body_string("maintenance window");
    Mock::given(wiremock::matchers::any()).respond_with(late).expect(1).mount(&server).await;
    let conv = runtime_at(&server.uri()).dynamic_conversation(&apis());
    let response = call(&conv, "get_item").await.expect("a response");
    let error = response.raise_for_status().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::RateLimited, "{error}");
    let said =
        "answered 503 Service Unavailable: `maintenance window`, to the last of 2 attempts and asks to wait 120s";
    assert!(error.to_string().contains(said), "{error}");
}

#[tokio::test]
async fn a_retry_after_past_the_year_9999_is_a_rate_limited_error() {
    for value in ["999999999999", "9223372036854775807"] {
        let server = limited_once(value).await;
        let conv = runtime_at(&server.uri()).dynamic_conversation(&apis());
        let error = rate_limited(&conv, "get_item").await;
        assert_eq!(error.kind(), ErrorKind::RateLimited, "{error}");
        assert_eq!(error.retry_after(), Some(Duration::from_secs(value.parse().unwrap())));
        assert!(error.to_string().contains("try again later,"), "{error}");
    }
}

#[tokio::test]
async fn the_builder_cap_applies_to_every_api() {
    let server = limited_once("1").await;
    let runtime = builder_at(&server.uri()).retry_after_cap(Duration::from_millis(500)).build().unwrap();
    let conv = runtime.dynamic_conversation(&apis());
    let error = rate_limited(&conv, "get_patient").await;
    assert_eq!(error.kind(), ErrorKind::RateLimited, "{error}");
    assert_eq!(error.retry_after(), Some(Duration::from_secs(1)));
    assert!(error.to_string().contains("asks to wait 1s (`Retry-After`), longer than the 500ms the runtime waits"));
    // no wait honoured at all: said as `0s`, as a wait of none is
    let server = limited_once("1").await;
    let runtime = builder_at(&server.uri()).retry_after_cap(Duration::ZERO).build().unwrap();
    let error = rate_limited(&runtime.dynamic_conversation(&apis()), "get_patient").await;
    assert!(error.to_string().contains("longer than the 0s the runtime waits"), "{error}");
}

#[tokio::test]
async fn a_wait_asked_for_is_said_to_the_millisecond_not_in_whole_seconds() {
    // an HTTP date two seconds on: a wait of one second and some
    let server = limited_once(&httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2))).await;
    let runtime = builder_at(&server.uri()).retry_after_cap(Duration::from_millis(200)).build().unwrap();
    let conv = runtime.dynamic_conversation(&apis());
    let error = rate_limited(&conv, "get_patient").await;
    let wait = error.retry_after().expect("the wait asked for");
    let shown = Duration::from_millis(u64::try_from(wait.as_millis()).unwrap());
    let said = format!("asks to wait {shown:?} (`Retry-After`), longer than the 200ms the runtime waits");
    assert!(error.to_string().contains(&said), "{error}");
    let entries = conv.log.entries();
    let note = entries.last().and_then(|entry| entry.fields.iter().find(|(name, _)| name == "retry"));
    let noted = format!(
        "not retried: the server asks to wait {shown:?} (`Retry-After`), longer than the 200ms the runtime waits"
    );
    assert_eq!(note.map(|(_, note)| note.as_str()), Some(noted.as_str()));
}

#[tokio::test]
async fn a_rate_limit_on_an_operation_not_retried_is_a_response() {
    // a short wait or none does not make a POST safe to send again either
    for wait in ["120", "1", "0"] {
        let server = limited_once(wait).await;
        let conv = runtime_at(&server.uri()).dynamic_conversation(&apis());
        let response = call(&conv, "create_item").await.unwrap();
        assert_eq!(response.status_code(), 429);
        assert_eq!(response.header("retry-after"), Some(wait));
        // the runtime would not have retried it, whatever the wait: a status like any other
        assert_eq!(response.raise_for_status().unwrap_err().kind(), ErrorKind::Status);
        server.verify().await;
    }
}

#[tokio::test]
async fn the_retry_budget_stops_hammering_a_dead_service() {
    // half a token a call, none from time: calls 2 and 4 may retry once each
    let server = answering(503, 6).await;
    let budget = RetryBudget { percent: 50, min_per_second: 0 };
    let runtime = builder_at(&server.uri()).retry_budget(budget).build().unwrap();
    let conv = runtime.dynamic_conversation(&apis());
    for _ in 0..4 {
        assert_eq!(call(&conv, "get_item").await.unwrap().status_code(), 503);
    }
    server.verify().await;
    let spent = retry_notes(&conv).iter().flatten().filter(|note| note.contains("retry budget is spent")).count();
    assert_eq!(spent, 4, "{:?}", retry_notes(&conv));
    assert_eq!(DEFAULT_RETRY_BUDGET, RetryBudget { percent: 20, min_per_second: 5 });
}

/// A test that fails six calls in a row on one new runtime sees every attempt
/// of each (12 retries): the bucket starts full, not at one second's floor.
#[tokio::test]
async fn a_new_runtime_retries_a_run_of_failing_calls_as_its_policy_says() {
    let server = answering(503, 18).await;
    let conv = runtime_at(&server.uri()).dynamic_conversation(&apis());
    for _ in 0..6 {
        assert_eq!(call(&conv, "get_item").await.unwrap().status_code(), 503);
    }
    server.verify().await;
    let spent = retry_notes(&conv).iter().flatten().filter(|note| note.contains("retry budget is spent")).count();
    assert_eq!(spent, 0, "{:?}", retry_notes(&conv));
}

/// A dead service is not hammered by the default budget: 100 calls failing in a row
/// ask for 200 retries; a new runtime's 50, the 20 its calls add and the floor's 5 a
/// second for the second or so they take allow about 75.
#[tokio::test]
async fn the_default_budget_stops_retrying_a_long_run_of_failing_calls() {
    let server = MockServer::start().await;
    let failing = ResponseTemplate::new(503).set_body_string("failed");
    Mock::given(wiremock::matchers::any()).respond_with(failing).mount(&server).await;
    let conv = runtime_at(&server.uri()).dynamic_conversation(&apis());
    for _ in 0..100 {
        assert_eq!(call(&conv, "get_item").await.unwrap().status_code(), 503);
    }
    let retries = server.received_requests().await.unwrap().len() - 100;
    assert!((50..200).contains(&retries), "{retries} retries");
    let spent = retry_notes(&conv).iter().flatten().filter(|note| note.contains("retry budget is spent")).count();
    assert!(spent > 0, "{:?}", retry_notes(&conv));
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

/// The default policy (3 attempts, 1 s base delay, 20 s cap) on a paused clock.
const DEFAULTS_YAML: &str = r#"
api_integrations:
  - name: plain
    environments:
      sandbox: { base_url: "http://127.0.0.1:1" }
    operations:
      - { name: get_item, method: GET, resource: "/items" }
"#;

async fn plain_call(url: &str) -> conv_api_runtime::Result<conv_api_runtime::Response> {
    let runtime = Runtime::builder().environment(Environment::Sandbox).base_url("plain", url).build().unwrap();
    let apis = DynamicApis::parse("defaults.yaml", DEFAULTS_YAML).unwrap();
    runtime.dynamic_conversation(&apis).api.call("plain", "get_item").await
}

/// A 503 asking to wait `seconds` (`Retry-After`), then a 200: the call waits that
/// long on the (paused) clock and returns the second answer.
async fn waits_the_retry_after_then_retries(seconds: u64) {
    let retry_after = format!("retry-after: {seconds}");
    let answers = vec![support::http_answer(503, &[&retry_after], ""), support::http_answer(200, &[], "late")];
    let (url, answered) = support::scripted_server(answers).await;
    let started = tokio::time::Instant::now();
    assert_eq!(plain_call(&url).await.unwrap().text(), "late");
    assert_eq!(answered.load(Ordering::SeqCst), 2);
    assert!(started.elapsed() >= Duration::from_secs(seconds), "waited {:?}", started.elapsed());
}

#[tokio::test(start_paused = true)]
async fn a_long_retry_after_is_waited_on_a_paused_clock() {
    waits_the_retry_after_then_retries(15).await;
}

#[tokio::test(start_paused = true)]
async fn default_backoff_waits_at_most_one_then_two_seconds() {
    let (url, answered) = support::scripted_server(vec![support::http_answer(503, &[], "down")]).await;
    let started = tokio::time::Instant::now();
    assert_eq!(plain_call(&url).await.unwrap().status_code(), 503);
    assert_eq!(answered.load(Ordering::SeqCst), 3);
    assert!(started.elapsed() <= Duration::from_secs(3), "waited {:?}", started.elapsed());
}

#[tokio::test(start_paused = true)]
async fn default_backoff_doubles_from_one_second_and_never_exceeds_twenty() {
    let (url, answered) = support::scripted_server(vec![support::http_answer(503, &[], "")]).await;
    // ten attempts with the default base and cap, and a budget that allows every retry
    let runtime = Runtime::builder()
        .environment(Environment::Sandbox)
        .base_url("plain", &url)
        .retry(RetryPolicy { attempts: 10, ..conv_api_runtime::DEFAULT_RETRY })
        .retry_budget(RetryBudget { percent: 100, min_per_second: 100 })
        .build()
        .unwrap();
    let conv = runtime.dynamic_conversation(&DynamicApis::parse("defaults.yaml", DEFAULTS_YAML).unwrap());
    let started = tokio::time::Instant::now();
    assert_eq!(conv.api.call("plain", "get_item").await.unwrap().status_code(), 503);
    assert_eq!(answered.load(Ordering::SeqCst), 10);
    let waits: Vec<Duration> = retry_notes(&conv)
        .into_iter()
        .flatten()
        .filter_map(|note| note.strip_prefix("retrying in ").map(parse_debug_duration))
        .collect();
    assert_eq!(waits.len(), 9, "{:?}", retry_notes(&conv));
    for (n, wait) in waits.iter().enumerate() {
        let ceiling = Duration::from_secs(20).min(Duration::from_secs(1 << n));
        assert!(*wait <= ceiling, "retry {}: {wait:?} > {ceiling:?}", n + 1);
    }
    let total: Duration = waits.iter().sum();
    assert!(started.elapsed() >= total && started.elapsed() <= total + Duration::from_millis(20));
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_date_in_the_past_retries_at_once() {
    let past = support::http_answer(503, &["retry-after: Wed, 21 Oct 2015 07:28:00 GMT"], "");
    let (url, answered) = support::scripted_server(vec![past]).await;
    let started = tokio::time::Instant::now();
    assert_eq!(plain_call(&url).await.unwrap().status_code(), 503);
    assert_eq!(answered.load(Ordering::SeqCst), 3);
    assert!(started.elapsed() < Duration::from_millis(50), "{:?}", started.elapsed());
}

/// A `Retry-After` that is neither delta-seconds nor an HTTP date (negative,
/// fractional, signed, hexadecimal, a word, empty) is no `Retry-After`: the backoff
/// is waited, and its note does not claim the server asked for it.
#[tokio::test(start_paused = true)]
async fn a_retry_after_that_is_neither_seconds_nor_a_date_is_ignored_for_the_backoff() {
    let apis = DynamicApis::parse("defaults.yaml", DEFAULTS_YAML).unwrap();
    for value in ["-5", "1.5", "+3", "0x10", "soon", ""] {
        let retry_after = format!("retry-after: {value}");
        let answers = vec![support::http_answer(503, &[&retry_after], "busy"), support::http_answer(200, &[], "ok")];
        let (url, answered) = scripted_server(answers).await;
        let runtime = Runtime::builder().environment(Environment::Sandbox).base_url("plain", &url).build().unwrap();
        let conv = runtime.dynamic_conversation(&apis);
        assert_eq!(conv.api.call("plain", "get_item").await.unwrap().status_code(), 200, "{value:?}");
        assert_eq!(answered.load(Ordering::SeqCst), 2, "{value:?}");
        let note = retry_notes(&conv)[0].clone().unwrap_or_default();
        assert!(note.starts_with("retrying in ") && !note.contains("Retry-After"), "{value:?}: {note}");
    }
}

#[tokio::test(start_paused = true)]
async fn retry_after_beyond_the_default_cap_of_twenty_seconds_is_rate_limited() {
    for status in [429, 503] {
        let answers = vec![support::http_answer(status, &["retry-after: 21"], "")];
        let (url, answered) = support::scripted_server(answers).await;
        let response = plain_call(&url).await.expect("a non-2xx answer is a response");
        assert_eq!(response.status_code(), status);
        let error = response.raise_for_status().unwrap_err();
        assert_eq!((error.kind(), error.retry_after()), (ErrorKind::RateLimited, Some(Duration::from_secs(21))));
        assert_eq!(error.status(), Some(status));
        assert!(error.to_string().contains(&format!("answered {status} ")), "{error}");
        assert!(error.to_string().contains(" with an empty body and asks to wait 21s"), "{error}");
        assert_eq!(answered.load(Ordering::SeqCst), 1);
    }
}

#[tokio::test(start_paused = true)]
async fn retry_after_of_exactly_the_default_cap_of_twenty_seconds_is_waited_and_retried() {
    // "Retry-After ... honoured up to a cap": a wait of the cap itself is honoured
    waits_the_retry_after_then_retries(20).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_to_a_dead_service_retry_at_most_the_budgets_share() {
    // 20 % of 50 calls is 10 retries; no tokens from time
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).expect(50..=60).mount(&server).await;
    let budget = RetryBudget { percent: 20, min_per_second: 0 };
    let runtime = builder_at(&server.uri()).retry_budget(budget).build().unwrap();
    let apis = apis();
    let calls: Vec<_> = (0..50)
        .map(|_| {
            let conv = runtime.dynamic_conversation(&apis);
            tokio::spawn(async move { call(&conv, "get_item").await.map(|response| response.status_code()) })
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.unwrap().unwrap(), 503);
    }
    server.verify().await;
}

#[tokio::test]
async fn the_call_timeout_is_the_calls_then_the_operations_then_the_apis() {
    let yaml = r#"
api_integrations:
  - name: timed
    timeout: 100ms
    retry: { attempts: 1 }
    environments: { sandbox: { base_url: "" } }
    operations:
      - { name: by_api, method: GET, resource: /slow }
      - { name: by_operation, method: GET, resource: /slow, timeout: 5s }
"#;
    let server = MockServer::start().await;
    let slow = ResponseTemplate::new(200).set_delay(Duration::from_millis(400));
    Mock::given(path("/slow")).respond_with(slow).expect(3).mount(&server).await;
    let apis = DynamicApis::parse("timed.yaml", yaml).unwrap();
    let runtime = Runtime::builder().environment(Environment::Sandbox).base_url("timed", server.uri()).build().unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    let error = conv.api.call("timed", "by_api").await.unwrap_err();
    assert!(error.is_timeout() && error.to_string().contains("100ms"), "{error}");
    assert_eq!(conv.api.call("timed", "by_operation").await.unwrap().status_code(), 200);
    let error = conv.api.call("timed", "by_operation").timeout(Duration::from_millis(50)).await.unwrap_err();
    assert!(error.is_timeout() && error.to_string().contains("50ms"), "{error}");
    recorded(&server, 3).await;
}

/// A call's own timeout of zero is refused, as the builder's is; one of a
/// nanosecond ends the call before anything is sent, and says so, its timeout as
/// set, blaming no secret store (an API without auth reads none).
#[tokio::test]
async fn a_zero_call_timeout_is_refused_and_one_of_a_nanosecond_sends_nothing() {
    let (url, connections) = raw_server(Misbehave::Silent).await;
    let runtime = Runtime::builder().environment(Environment::Sandbox).base_url("quiet", &url).build().unwrap();
    let conv = runtime.dynamic_conversation(&DynamicApis::parse("quiet.yaml", QUIET).unwrap());
    let error = conv.api.call("quiet", "ping").timeout(Duration::ZERO).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{error}");
    let error = conv.api.call("quiet", "ping").timeout(Duration::from_nanos(1)).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert_eq!(connections.load(Ordering::SeqCst), 0);
    let message = error.to_string();
    assert!(message.contains("the attempt's timeout of 1ns was over after "), "{message}");
    assert!(
        message.contains("before anything was sent: it is too short for the request to be made ready"),
        "{message}"
    );
    assert!(!message.contains("secret store"), "{message}");
}

/// `1.532s`, `532ms`, `800µs` or `0ns` (a `Duration`'s `Debug`) as a duration.
fn parse_debug_duration(text: &str) -> Duration {
    let number = |suffix: &str| text.strip_suffix(suffix).and_then(|n| n.parse::<f64>().ok());
    if let Some(ms) = number("ms") {
        Duration::from_secs_f64(ms / 1e3)
    } else if let Some(us) = number("µs") {
        Duration::from_secs_f64(us / 1e6)
    } else if let Some(ns) = number("ns") {
        Duration::from_secs_f64(ns / 1e9)
    } else {
        Duration::from_secs_f64(number("s").unwrap_or_else(|| panic!("not a duration: {text}")))
    }
}

#[tokio::test(start_paused = true)]
async fn the_pipeline_sleeps_the_backoff_each_log_entry_announces() {
    let (url, answered) = support::scripted_server(vec![support::http_answer(503, &[], "down")]).await;
    let runtime = Runtime::builder().environment(Environment::Sandbox).base_url("plain", &url).build().unwrap();
    let conv = runtime.dynamic_conversation(&DynamicApis::parse("defaults.yaml", DEFAULTS_YAML).unwrap());
    let started = tokio::time::Instant::now();
    assert_eq!(conv.api.call("plain", "get_item").await.unwrap().status_code(), 503);
    let waited = started.elapsed();
    assert_eq!(answered.load(Ordering::SeqCst), 3);
    let announced: Duration = retry_notes(&conv)
        .into_iter()
        .flatten()
        .filter_map(|note| note.strip_prefix("retrying in ").map(parse_debug_duration))
        .sum();
    // each announced wait is rounded down to whole milliseconds
    assert!(announced <= waited && waited <= announced + Duration::from_millis(3), "{announced:?} vs {waited:?}");
    assert!(!announced.is_zero(), "full jitter picks from (0, ceiling]: two zero waits are not credible");
}

#[tokio::test]
async fn zero_timeouts_and_policies_a_definitions_file_would_refuse_are_refused() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&server).await;
    let refused = |builder: conv_api_runtime::RuntimeBuilder, expected: &str| {
        let error = builder.build().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Config, "{error}");
        assert!(error.to_string().contains(expected), "{error}");
    };
    refused(builder_at(&server.uri()).timeout(Duration::ZERO), "`Runtime::builder().timeout(..)` is zero");
    refused(
        builder_at(&server.uri()).connect_timeout(Duration::ZERO),
        "`Runtime::builder().connect_timeout(..)` is zero",
    );
    let policy = RetryPolicy { attempts: 3, base_delay: Duration::from_secs(1), max_delay: Duration::from_secs(20) };
    refused(builder_at(&server.uri()).retry(RetryPolicy { attempts: 1000, ..policy }), "from 1 to 10");
    refused(builder_at(&server.uri()).retry(RetryPolicy { base_delay: Duration::ZERO, ..policy }), "`base_delay`");
    refused(
        builder_at(&server.uri()).retry(RetryPolicy { max_delay: Duration::from_millis(1), ..policy }),
        "`max_delay`",
    );

    let conv = runtime_at(&server.uri()).dynamic_conversation(&apis());
    let error = call(&conv, "get_item").timeout(Duration::ZERO).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{error}");
    assert!(error.to_string().contains("`.timeout(..)` is zero"), "{error}");
    // the last timeout given counts, as the last value of a header does
    let error = call(&conv, "get_item").timeout(Duration::from_secs(5)).timeout(Duration::ZERO).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{error}");
    let other = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(1).mount(&other).await;
    let conv = runtime_at(&other.uri()).dynamic_conversation(&apis());
    let corrected = call(&conv, "get_item").timeout(Duration::ZERO).timeout(Duration::from_secs(5)).await;
    assert_eq!(corrected.unwrap().status_code(), 200);
}

#[test]
fn every_problem_of_the_builders_settings_is_said_at_once() {
    let policy =
        RetryPolicy { attempts: 1000, base_delay: Duration::from_secs(1), max_delay: Duration::from_millis(10) };
    let error = Runtime::builder()
        .environment(Environment::Sandbox)
        .timeout(Duration::ZERO)
        .retry(policy)
        .base_url("shop", "ftp://shop.example")
        .base_url("crm", "https://crm.example")
        .dotenv("/nonexistent/conv-api-test.env")
        .max_body_bytes(0)
        .build()
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Config, "{error}");
    let text = error.to_string();
    assert!(
        text.starts_with("6 problems in the runtime's settings: (1) `Runtime::builder().timeout(..)` is zero"),
        "{text}"
    );
    for part in [
        "(2) `Runtime::builder().max_body_bytes(0)` lets no response body through",
        "(3) the retry policy of `Runtime::builder().retry(..)` is not valid: `attempts` must be from 1 to 10",
        "(4) the retry policy of `Runtime::builder().retry(..)` is not valid: `max_delay` (10ms) is less",
        "(5) the base URL given for API `shop` with `Runtime::builder().base_url(..)` is `ftp://shop.example`: the scheme must be `http` or `https`",
        "(6) cannot read the secrets file `/nonexistent/conv-api-test.env`: ",
        "; give `Runtime::builder().dotenv(..)` the path of a readable file",
    ] {
        assert!(text.contains(part), "{part}: {text}");
    }
    assert!(!text.contains("`crm`"), "a good base URL is no problem: {text}");
}

#[tokio::test]
async fn a_store_that_blocks_past_the_timeout_is_blamed_and_the_post_retried_as_it_sent_nothing() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(201)).expect(0).mount(&server).await;
    let apis = slow_create(&server, "\n    retry: { attempts: 2, base_delay: 1ms }");
    let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(blocking_store()).build().unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    let error = conv.api.call("slow", "create").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    let message = error.to_string();
    assert!(
        message.contains("the attempt's timeout of 50ms was over after 8")
            && message.contains(
                "ms, before anything was sent, while its credentials were made ready (read from the secret store: "
            )
            && message.contains("BlockingStore); a `SecretStore` should answer from memory"),
        "{message}"
    );
    // nothing was sent: a POST is repeated as safely as a GET
    assert_eq!(conv.log.entries().iter().filter(|entry| entry.request.is_some()).count(), 2);
}

/// A call that loose mocks passed on to the API, and whose time ran out while its
/// credentials were read, says why no mock rule answered it, as any other error of
/// an attempt passed on does.
#[tokio::test]
async fn a_call_passed_on_by_loose_mocks_that_ran_out_of_time_before_sending_says_why_no_rule_answered() {
    use conv_api_runtime::mocks::{Mocks, Rule};
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(201)).expect(0).mount(&server).await;
    let apis = slow_create(&server, "");
    let mocks = Mocks::new().with(Rule::on("slow", "create").when_header("x-mocked", "yes")).strict(false);
    let runtime = Runtime::builder()
        .environment(Environment::Sandbox)
        .secrets(blocking_store())
        .retry(support::ONE_ATTEMPT)
        .mocks(mocks)
        .build()
        .unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    let error = conv.api.call("slow", "create").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    let message = error.to_string();
    assert!(message.contains("before anything was sent"), "{message}");
    assert!(message.contains("; no mock rule answered it: rule 1 "), "{message}");
}

/// API `slow` at `server` with an API key, whose `create` (a POST) has 50 ms an
/// attempt; `retry` is put after its name (`\n    retry: ...`).
fn slow_create(server: &MockServer, retry: &str) -> DynamicApis {
    let yaml = format!("api_integrations:\n  - name: slow{retry}\n    environments:\n      sandbox: {{ base_url: \"{}\", auth_type: apiKey }}\n    operations:\n      - {{ name: create, method: POST, resource: /things, timeout: 50ms }}\n", server.uri());
    DynamicApis::parse("slow.yaml", &yaml).unwrap()
}

/// A store that answers the key 80 ms late, past `slow_create`'s timeout.
fn blocking_store() -> support::BlockingStore {
    support::BlockingStore { delay: Duration::from_millis(80), value: "key-1".into() }
}
