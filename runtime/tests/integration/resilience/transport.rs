//! Transport failures: resets, answers that break off or are no HTTP, slow and
//! dripped answers, closed ports and connections that never complete, each
//! retried only where it is safe and said as what it is.

use super::*;

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
