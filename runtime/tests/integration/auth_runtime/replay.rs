//! The 401 replay: a new token and one replay (one refresh for many calls), what
//! the log and errors say of it, and 401s whose body is cut off or stalls.

use super::*;

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
    let tasks: Vec<_> = calls.into_iter().map(tokio::spawn).collect();
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
    let tasks: Vec<_> = calls.into_iter().map(tokio::spawn).collect();
    for response in joined(tasks).await {
        assert_eq!(response.unwrap().status_code(), 201, "the new token, never the expired one");
    }
    assert_eq!(hits(&server, "/oauth/token").await, 2, "one fetch, then exactly one refresh for 100 callers");
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
    let tasks: Vec<_> = calls.into_iter().map(tokio::spawn).collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap().status_code(), 200);
    }
    assert_eq!(hits(&server, "/oauth/token").await, 2);
}
