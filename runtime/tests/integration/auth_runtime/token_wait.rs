//! Calls waiting for a token: the token request's timeout and the call's, a token
//! endpoint's `Retry-After`, tokio runtimes that stop or idle, callers that give
//! up, and retries after a token request failed.

use super::*;

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
/// the token timeout, not retried, and the next call asks again. The timeout leaves
/// room for all 200 to start waiting on that request on a loaded machine: a call
/// that starts after it failed asks again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_calls_behind_one_token_request_past_its_timeout_each_fail_once() {
    let server = MockServer::start().await;
    let slow = token_response("t1", 3600).set_delay(Duration::from_secs(4));
    Mock::given(path("/oauth/token")).respond_with(slow).mount(&server).await;
    Mock::given(path("/tickets/1")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&server).await;
    let quick = RetryPolicy { attempts: 3, base_delay: Duration::from_millis(1), max_delay: Duration::from_millis(4) };
    let conv = oauth_conversation(&server, oauth_builder().token_timeout(Duration::from_millis(1500)).retry(quick));
    let call = || conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).timeout(Duration::from_secs(3));
    let tasks: Vec<_> = (0..200).map(|_| tokio::spawn(call().send())).collect();
    for outcome in joined(tasks).await {
        let error = outcome.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Auth, "{error}");
        assert!(error.to_string().contains("timed out after 1.5s"), "{error}");
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
    let server = server_with_a_token_after(Duration::from_millis(200)).await;
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

/// A token endpoint whose `Retry-After` is past what a clock can count (more seconds
/// than 64 bits hold) is not asked again either: a longer wait holds no less than a
/// shorter one, and each call is told the whole wait, as the first was.
#[tokio::test]
async fn a_token_endpoints_retry_after_past_counting_holds_as_a_long_one_does() {
    let server = MockServer::start().await;
    let throttled = ResponseTemplate::new(429).insert_header("Retry-After", "99999999999999999999999");
    Mock::given(path("/oauth/token")).respond_with(throttled).expect(1).mount(&server).await;
    let conv = oauth_conversation(&server, oauth_builder().retry(support::ONE_ATTEMPT));
    for _ in 0..3 {
        let error = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap_err();
        assert_eq!(
            (error.kind(), error.retry_after()),
            (ErrorKind::Auth, Some(Duration::from_secs(u64::MAX))),
            "{error}"
        );
    }
    assert_eq!(hits(&server, "/oauth/token").await, 1, "the endpoint asked not to be asked again");
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
    // a call that starts after a shared request failed asks again: how many do depends
    // on how the 200 tasks are scheduled, but never near one a call or an attempt
    assert!((1..=20).contains(&token_requests), "{token_requests} token requests for 200 calls of 3 attempts");
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

/// A server whose token endpoint gives `t1` after `delay`, and whose `/tickets/1`
/// answers 200 to it.
async fn server_with_a_token_after(delay: Duration) -> MockServer {
    let server = MockServer::start().await;
    let slow = token_response("t1", 3600).set_delay(delay);
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
    let server = server_with_a_token_after(Duration::from_millis(300)).await;
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
    let server = server_with_a_token_after(Duration::from_millis(300)).await;
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
