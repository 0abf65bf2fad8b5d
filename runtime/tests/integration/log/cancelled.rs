//! Attempts and calls that end early: dropped by the caller or by a panic beside
//! them, while sent, read or waiting to retry, each logged as what happened.

use super::*;

#[tokio::test]
async fn an_attempt_the_caller_stops_waiting_for_is_logged_as_cancelled() {
    let server = MockServer::start().await;
    let slow = ResponseTemplate::new(200).set_delay(std::time::Duration::from_secs(10));
    Mock::given(method("GET")).respond_with(slow).expect(1).mount(&server).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    let began = std::time::Instant::now();
    let waited = tokio::time::timeout(std::time::Duration::from_millis(200), conv.api.tickets.get_ticket(5)).await;
    let waited_for = began.elapsed();
    assert!(waited.is_err(), "the caller gave up first");
    let entries = conv.log.entries();
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0].level, Level::Warning);
    let call = entries[0].request.as_ref().expect("a request entry");
    assert_eq!((call.error_kind, call.status, call.attempt), (Some(ErrorKind::Cancelled), None, 1));
    assert!(!call.mocked, "sent to the server, not answered by mocks: {call:?}");
    assert!(call.url.ends_with("/api/v2/tickets/5"), "{}", call.url);
    assert!(!call.duration.is_zero() && call.duration <= waited_for, "{:?} of {waited_for:?}", call.duration);
    let error = call.error.as_deref().unwrap_or_default();
    // the entry names the call: its error does not again
    assert!(error.contains("stopped waiting") && !error.contains("tickets.get_ticket"), "{error}");
    // in whole milliseconds: `after 200ms`, not `after 200.731022ms`
    let after = error.split("stopped waiting after ").nth(1).and_then(|rest| rest.split("ms").next()).unwrap_or("");
    assert!(!after.is_empty() && after.bytes().all(|byte| byte.is_ascii_digit()), "{error}");
    let line: Value = serde_json::from_str(conv.log.to_jsonl().trim_end()).unwrap();
    assert_eq!(line["request"]["error_kind"], "cancelled");
    recorded(&server, 1).await;
}

#[tokio::test]
async fn an_attempt_a_panic_beside_it_drops_is_logged_as_cancelled_by_the_panic() {
    let (base, head_sent) = stalled_body_server().await;
    let conv: std::sync::Arc<Conv<TestApi>> =
        std::sync::Arc::new(sandbox_builder(base).build().unwrap().conversation());
    let task = {
        let conv = std::sync::Arc::clone(&conv);
        tokio::spawn(async move {
            let call = conv.api.tickets.get_ticket(5).timeout(std::time::Duration::from_secs(30)).send();
            let agent_bug = async {
                head_sent.notified().await;
                panic!("a bug in agent code beside the call");
            };
            tokio::join!(call, agent_bug)
        })
    };
    assert!(task.await.unwrap_err().is_panic());
    let calls = calls(&conv.log);
    assert_eq!(calls.len(), 1, "the attempt the panic dropped is in the log: {calls:?}");
    assert_eq!(calls[0].error_kind, Some(ErrorKind::Cancelled));
    let error = calls[0].error.as_deref().unwrap_or_default();
    assert!(error.contains("a panic unwinding the caller's task dropped the call's future after"), "{error}");
}

/// A panic beside a call during the wait before a retry drops no attempt that was
/// under way: the log says the panic dropped the call during that wait, not before a send.
#[tokio::test]
async fn a_retry_wait_a_panic_beside_it_drops_is_logged_as_the_wait() {
    let server = MockServer::start().await;
    let busy = ResponseTemplate::new(503).insert_header("retry-after", "20");
    Mock::given(method("GET")).respond_with(busy).expect(1).mount(&server).await;
    let builder = sandbox_builder(server.uri() + "/api/v2").retry_after_cap(std::time::Duration::from_secs(60));
    let conv: std::sync::Arc<Conv<TestApi>> = std::sync::Arc::new(builder.build().unwrap().conversation());
    let task = {
        let conv = std::sync::Arc::clone(&conv);
        tokio::spawn(async move {
            let call = conv.api.tickets.get_ticket(5).send();
            // the first attempt is logged as the wait before the second begins
            let agent_bug = async {
                while calls(&conv.log).is_empty() {
                    tokio::time::sleep(std::time::Duration::from_millis(1)).await;
                }
                panic!("a bug in agent code beside the call");
            };
            tokio::join!(call, agent_bug)
        })
    };
    assert!(task.await.unwrap_err().is_panic());
    let calls = calls(&conv.log);
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert_eq!((calls[1].error_kind, calls[1].attempt), (Some(ErrorKind::Cancelled), 2));
    let error = calls[1].error.as_deref().unwrap_or_default();
    assert!(error.starts_with("a panic unwinding the caller's task dropped the call's future after"), "{error}");
    assert!(error.ends_with(" during the wait before this attempt; this attempt was not sent"), "{error}");
}

#[tokio::test]
async fn a_call_dropped_while_its_body_is_read_keeps_the_status_that_arrived() {
    let (base, server_sees) = stalled_body_server().await;
    let conv: Conv<TestApi> = sandbox_builder(base).build().unwrap().conversation();
    let request = conv.api.tickets.get_ticket(5).timeout(std::time::Duration::from_secs(30));
    // boxed, so that dropping it drops the call's future
    let mut call = Box::pin(std::future::IntoFuture::into_future(request));
    tokio::select! {
        _ = &mut call => panic!("the body never ends, so the call cannot"),
        () = server_sees.notified() => {}
    }
    // the head is out: the call, still polled, reads it, then the caller gives up
    let waited = tokio::time::timeout(std::time::Duration::from_millis(300), &mut call).await;
    assert!(waited.is_err(), "the caller gave up first");
    drop(call);
    // the connection, half read, is closed rather than kept
    let hung_up = tokio::time::timeout(std::time::Duration::from_secs(2), server_sees.notified()).await;
    assert!(hung_up.is_ok(), "the connection of the dropped call is still open");
    let calls = calls(&conv.log);
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!((calls[0].error_kind, calls[0].status), (Some(ErrorKind::Cancelled), Some(201)));
    let error = calls[0].error.as_deref().unwrap_or_default();
    assert!(error.contains("stopped waiting") && error.contains("the body of the server's 201 answer"), "{error}");
    assert_eq!(request_id(&calls[0]), Some("stalled-1"), "the head that arrived is shown: {:?}", calls[0]);
}

/// The `x-request-id` response header of a logged call, which an API's support asks for.
fn request_id(call: &RequestRecord) -> Option<&str> {
    call.response_headers.iter().find(|(name, _)| name == "x-request-id").map(|(_, value)| value.as_str())
}

#[tokio::test]
async fn an_answer_whose_body_does_not_arrive_whole_is_logged_with_the_headers_that_did() {
    // cut off: every attempt's entry
    let (base, _) = support::raw_server(support::Misbehave::CutBody).await;
    let conv: Conv<TestApi> = sandbox_builder(base).retry(support::ONE_ATTEMPT).build().unwrap().conversation();
    assert_eq!(conv.api.tickets.get_ticket(5).await.unwrap_err().kind(), ErrorKind::Transport);
    let cut = calls(&conv.log);
    assert_eq!((cut.len(), cut[0].status, request_id(&cut[0])), (1, Some(200), Some("cut-1")), "{cut:?}");
    let line: Value = serde_json::from_str(conv.log.to_jsonl().trim_end()).unwrap();
    assert_eq!(line["request"]["response_headers"]["x-request-id"], "cut-1");
    // too slow
    let (base, _) = stalled_body_server().await;
    let conv: Conv<TestApi> = sandbox_builder(base).retry(support::ONE_ATTEMPT).build().unwrap().conversation();
    let request = conv.api.tickets.get_ticket(5).timeout(std::time::Duration::from_millis(300));
    assert_eq!(request.await.unwrap_err().kind(), ErrorKind::Timeout);
    let slow = calls(&conv.log);
    assert_eq!((slow.len(), slow[0].status, request_id(&slow[0])), (1, Some(201), Some("stalled-1")), "{slow:?}");
    // too large, by its Content-Length, and its secrets masked as a whole answer's are
    let server = MockServer::start().await;
    let large = ResponseTemplate::new(200)
        .insert_header("x-request-id", "large-1")
        .insert_header("set-cookie", "session=s3ss10n")
        .set_body_string("x".repeat(100));
    Mock::given(method("GET")).respond_with(large).mount(&server).await;
    let builder = sandbox_builder(server.uri() + "/api/v2").max_body_bytes(64);
    let conv: Conv<TestApi> = builder.build().unwrap().conversation();
    assert_eq!(conv.api.tickets.get_ticket(5).await.unwrap_err().kind(), ErrorKind::BodyTooLarge);
    let large = calls(&conv.log);
    assert_eq!((large[0].status, request_id(&large[0])), (Some(200), Some("large-1")), "{large:?}");
    assert!(large[0].response_headers.contains(&("set-cookie".into(), "***".into())), "{large:?}");
    // a call that fails before an answer has none
    let conv: Conv<TestApi> =
        sandbox_builder(support::closed_port_url()).retry(support::ONE_ATTEMPT).build().unwrap().conversation();
    assert_eq!(conv.api.tickets.get_ticket(5).await.unwrap_err().kind(), ErrorKind::Connect);
    assert_eq!(calls(&conv.log)[0].response_headers, []);
}

#[tokio::test]
async fn a_retried_attempt_dropped_before_its_answer_has_no_status_of_the_one_before() {
    let server = MockServer::start().await;
    let slow = ResponseTemplate::new(200).set_delay(std::time::Duration::from_secs(10));
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).mount(&server).await;
    Mock::given(method("GET")).respond_with(slow).mount(&server).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    // the backoff before the second attempt is at most a second
    let waited = tokio::time::timeout(std::time::Duration::from_secs(3), conv.api.tickets.get_ticket(5)).await;
    assert!(waited.is_err(), "the caller gave up during the second attempt");
    let calls = calls(&conv.log);
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert_eq!((calls[0].status, calls[0].attempt), (Some(503), 1));
    assert_eq!((calls[1].error_kind, calls[1].status, calls[1].attempt), (Some(ErrorKind::Cancelled), None, 2));
    let error = calls[1].error.as_deref().unwrap_or_default();
    assert!(error.contains("may have reached the server"), "{error}");
}

#[tokio::test]
async fn an_attempt_dropped_while_sent_is_logged_as_it_was_sent_its_credentials_masked() {
    let server = MockServer::start().await;
    let slow = ResponseTemplate::new(200).set_delay(std::time::Duration::from_secs(10));
    Mock::given(method("GET")).respond_with(slow).mount(&server).await;
    let yaml = format!(
        "api_integrations:\n\
         \x20 - name: by_query\n    environments: {{ sandbox: {{ base_url: \"{0}\", auth_type: apiKey, \
         auth: {{ location: query, name: api_key, value: {{ secret: KEY }} }} }} }}\n\
         \x20   operations: [{{ name: get_item, method: GET, resource: \"/items/{{id}}\" }}]\n\
         \x20 - name: by_header\n    environments: {{ sandbox: {{ base_url: \"{0}\", auth_type: apiKey, \
         auth: {{ location: header, name: X-API-Key, value: {{ secret: KEY }} }} }} }}\n\
         \x20   operations: [{{ name: get_item, method: GET, resource: \"/items/{{id}}\" }}]\n",
        server.uri()
    );
    let apis = DynamicApis::parse("apis.yaml", &yaml).unwrap();
    let store = conv_api_runtime::MapSecretStore::new().with("KEY", "k-0123456789abcdef");
    let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(store).build().unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    for api in ["by_query", "by_header"] {
        let call = std::future::IntoFuture::into_future(conv.api.call(api, "get_item").arg("id", 7));
        let waited = tokio::time::timeout(std::time::Duration::from_millis(300), call).await;
        assert!(waited.is_err(), "the caller gave up while the server was slow");
    }
    let calls = calls(&conv.log);
    recorded(&server, 2).await;
    assert_eq!(server.received_requests().await.unwrap().len(), 2, "both were sent");
    assert!(calls.iter().all(|call| call.error.as_deref().unwrap().contains("may have reached the server")));
    assert!(calls[0].url.ends_with("/items/7?api_key=***"), "the URL as sent: {calls:?}");
    let key = ("x-api-key".to_string(), "***".to_string());
    assert!(calls[1].request_headers.contains(&key), "the headers as sent: {calls:?}");
    assert!(!format!("{calls:?}").contains("k-0123456789abcdef"), "{calls:?}");
}

#[tokio::test]
async fn a_call_dropped_while_waiting_to_retry_ends_with_a_cancelled_entry() {
    let server = MockServer::start().await;
    // the first attempt's answer must come before the caller gives up, even on a busy machine
    let busy = ResponseTemplate::new(503).insert_header("retry-after", "10");
    Mock::given(method("GET")).respond_with(busy).expect(1).mount(&server).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    let waited = tokio::time::timeout(std::time::Duration::from_secs(2), conv.api.tickets.get_ticket(5)).await;
    assert!(waited.is_err(), "the caller gave up during the wait");
    let calls = calls(&conv.log);
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert_eq!((calls[0].status, calls[0].attempt), (Some(503), 1));
    assert_eq!((calls[1].error_kind, calls[1].status, calls[1].attempt), (Some(ErrorKind::Cancelled), None, 2));
    let error = calls[1].error.as_deref().unwrap_or_default();
    assert!(error.contains("during the wait before this attempt") && error.contains("was not sent"), "{error}");
    let waiting = std::time::Duration::from_secs(1);
    assert!(calls[1].duration < waiting, "not sent, so no call time, not the wait's: {calls:?}");
}

/// A secret store that panics after its first read (the one when a conversation
/// over new definitions starts): a bug in a user's own store.
#[derive(Default)]
struct PanickingStore(std::sync::atomic::AtomicBool);

impl conv_api_runtime::SecretStore for PanickingStore {
    fn get(&self, _name: &str) -> Option<conv_api_runtime::SecretString> {
        if self.0.swap(true, std::sync::atomic::Ordering::Relaxed) {
            panic!("the store is broken")
        }
        None
    }
}

#[tokio::test]
async fn a_panic_during_an_attempt_is_logged_as_such_not_as_a_caller_who_stopped_waiting() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&server).await;
    let yaml = format!(
        "api_integrations:\n  - name: crm\n    environments: {{ sandbox: {{ base_url: \"{}\", auth_type: apiKey }} }}\n    operations: [{{ name: get, method: GET, resource: /x }}]\n",
        server.uri()
    );
    let apis = DynamicApis::parse("apis.yaml", &yaml).unwrap();
    let runtime =
        Runtime::builder().environment(Environment::Sandbox).secrets(PanickingStore::default()).build().unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    let log = conv.log.clone();
    let task = tokio::spawn(async move { conv.api.call("crm", "get").await.map(|_| ()) });
    assert!(task.await.unwrap_err().is_panic(), "the store's panic reaches the task");
    let calls = calls(&log);
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(calls[0].error_kind, Some(ErrorKind::Cancelled));
    let error = calls[0].error.as_deref().unwrap_or_default();
    assert!(error.contains("a panic unwinding the caller's task dropped the call's future after"), "{error}");
    assert!(error.ends_with(", before this attempt was sent") && !error.contains("stopped waiting"), "{error}");
}
