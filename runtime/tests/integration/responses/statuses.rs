//! Statuses: non-success ones are responses, `raise_for_status`, the reason
//! phrase, informational answers, and statuses that have no body.

use super::*;

#[tokio::test]
async fn non_success_statuses_are_responses() {
    for status in [301, 400, 401, 404, 429, 500, 503] {
        let server = serving(ResponseTemplate::new(status).set_body_string("nope")).await;
        let conv: Conv<TestApi> = support::runtime_without_retries(&server).conversation();
        let response = conv.api.tickets.get_ticket(1).await.unwrap();
        assert_eq!(response.status_code(), status);
        assert_eq!(response.status(), conv_api_runtime::StatusCode::from_u16(status).unwrap());
        assert!(!response.is_success());
        assert_eq!(response.text(), "nope");
    }
}

#[tokio::test]
async fn informational_answers_before_the_final_one_are_skipped() {
    let final_answer = "HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok";
    for before in [
        "HTTP/1.1 100 Continue\r\n\r\n",
        "HTTP/1.1 103 Early Hints\r\nlink: </a.css>; rel=preload\r\n\r\nHTTP/1.1 100 Continue\r\n\r\n",
    ] {
        let (url, _) = support::scripted_server(vec![format!("{before}{final_answer}")]).await;
        let conv: Conv<TestApi> = sandbox_builder(url).retry(ONE_ATTEMPT).build().unwrap().conversation();
        let response = conv.api.tickets.get_ticket(1).await.unwrap_or_else(|error| panic!("{before:?}: {error}"));
        assert_eq!((response.status_code(), response.text()), (200, "ok"), "{before:?}");
    }
}

/// A `101 Switching Protocols` no request asked for ends the call at once: it does not
/// wait out its timeout on a connection that speaks something else.
#[tokio::test(start_paused = true)]
async fn an_unexpected_101_ends_the_call_without_waiting_for_its_timeout() {
    let (url, _) = support::raw_connections(|mut stream, _, _| async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let switching = "HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n\r\n";
        let _ = stream.write_all(switching.as_bytes()).await;
        let mut sink = [0u8; 64];
        while stream.read(&mut sink).await.is_ok_and(|read| read > 0) {}
    })
    .await;
    let conv: Conv<TestApi> = sandbox_builder(url).retry(ONE_ATTEMPT).build().unwrap().conversation();
    let started = tokio::time::Instant::now();
    let outcome = conv.api.tickets.get_ticket(1).timeout(Duration::from_secs(10)).await;
    assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
    assert!(
        outcome.as_ref().is_ok_and(|response| response.status_code() == 101),
        "{:?}",
        outcome.map(|r| r.status_code())
    );
}

#[tokio::test]
async fn raise_for_status_reports_client_and_server_errors_only() {
    let server = serving(ResponseTemplate::new(200).set_body_string("fine")).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    let response = conv.api.tickets.get_ticket(1).await.unwrap().raise_for_status().unwrap();
    assert_eq!(response.text(), "fine");

    let server = serving(ResponseTemplate::new(404).set_body_string("ticket 1 not found")).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    let error = conv.api.tickets.get_ticket(1).await.unwrap().raise_for_status().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Status);
    assert!(error.is_status());
    assert_eq!(error.status(), Some(404));
    assert_eq!((error.api(), error.operation()), (Some("tickets"), Some("get_ticket")));
    assert_eq!(error.method().map(|m| m.as_str()), Some("GET"));
    assert!(error.url().unwrap().ends_with("/api/v2/tickets/1"));
    let message = error.to_string();
    assert!(message.contains("404") && message.contains("ticket 1 not found"), "{message}");
    // a URL the body quotes is shown without its credentials, as the log shows one
    let quoted = "ticket 1 is at https://agent:pw-7@desk.example/t/1?access_token=tok-9&v=2";
    let server = serving(ResponseTemplate::new(404).set_body_string(quoted)).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    let error = conv.api.tickets.get_ticket(1).await.unwrap().raise_for_status().unwrap_err();
    assert!(error.to_string().contains("ticket 1 is at https://desk.example/t/1?access_token=***&v=2"), "{error}");

    // as PolyAI's APIs tab has it, and as `is_success()` says: a non-2xx is an error
    for status in [200, 204, 299] {
        let server = serving(ResponseTemplate::new(status)).await;
        let conv: Conv<TestApi> = support::runtime_without_retries(&server).conversation();
        let response = conv.api.tickets.get_ticket(1).await.unwrap().raise_for_status().unwrap();
        assert_eq!(response.status_code(), status);
    }
    for (status, says) in [
        (300, "a redirect the client did not follow (no usable `Location`)"),
        (304, "check `status_code()` for 304 before `raise_for_status()`"),
        (307, "a redirect the client did not follow"),
    ] {
        let server = serving(ResponseTemplate::new(status)).await;
        let conv: Conv<TestApi> = support::runtime_without_retries(&server).conversation();
        let response = conv.api.tickets.get_ticket(1).await.unwrap();
        assert!(!response.is_success());
        let error = response.raise_for_status().unwrap_err();
        assert_eq!((error.kind(), error.status()), (ErrorKind::Status, Some(status)), "{error}");
        assert!(error.to_string().contains(says), "{error}");
    }
    for status in [400, 451, 500, 599] {
        let server = serving(ResponseTemplate::new(status)).await;
        let conv: Conv<TestApi> = support::runtime_without_retries(&server).conversation();
        let error = conv.api.tickets.get_ticket(1).await.unwrap().raise_for_status().unwrap_err();
        assert_eq!(error.status(), Some(status));
        assert!(error.to_string().contains(&format!("answered {status} ")), "{error}");
        assert!(error.to_string().contains(" with an empty body"), "{error}");
    }
    // a status with nothing more to say ends with what came
    let server = serving(ResponseTemplate::new(451).set_body_string("no")).await;
    let conv: Conv<TestApi> = support::runtime_without_retries(&server).conversation();
    let error = conv.api.tickets.get_ticket(1).await.unwrap().raise_for_status().unwrap_err();
    assert!(error.to_string().ends_with("answered 451 Unavailable For Legal Reasons: `no`"), "{error}");
    // a long body is shown by its start, said to be cut
    let server =
        serving(ResponseTemplate::new(404).set_body_string(format!("{}{}", "a".repeat(200), "b".repeat(50)))).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    let error = conv.api.tickets.get_ticket(1).await.unwrap().raise_for_status().unwrap_err();
    assert!(error.to_string().contains(&format!(": `{}...`;", "a".repeat(200))), "{error}");
    // a status that says more than its number says what to do
    for (status, advice) in [
        (400, "the API refused the request as sent: check the arguments, query and body of this call"),
        // `tickets` has no auth: the API wants some
        (401, "the API wants credentials, and its definitions give environment `sandbox` none (`auth_type: none`)"),
        (403, "the API refuses this call, and its definitions give environment `sandbox` no credentials"),
        (404, "the API has nothing at this URL: check the path variables, the operation's resource and the base URL"),
        (429, "the API limits how often this client calls it: try again later"),
        (500, "the API, or a gateway before it, is failing or unavailable: try again later, or tell its owners"),
        (
            999,
            "a status HTTP does not define (its statuses end at 599): the API's own documentation says what it means",
        ),
    ] {
        let server = serving(ResponseTemplate::new(status).set_body_string("no")).await;
        let conv: Conv<TestApi> = support::runtime_without_retries(&server).conversation();
        let error = conv.api.tickets.get_ticket(1).await.unwrap().raise_for_status().unwrap_err();
        assert!(error.to_string().contains(": `no`; ") && error.to_string().contains(advice), "{error}");
    }
    // the environment named is the one the call was made in
    let server = serving(ResponseTemplate::new(401)).await;
    let live = conv_api_runtime::Runtime::builder().environment(conv_api_runtime::Environment::Live);
    let runtime = live.base_url("tickets", server.uri() + "/api/v2").retry(ONE_ATTEMPT).build().unwrap();
    let error = runtime.conversation::<TestApi>().api.tickets.get_ticket(1).await.unwrap().raise_for_status();
    let error = error.unwrap_err().to_string();
    assert!(error.contains("its definitions give environment `live` none"), "{error}");

    // the body's line breaks and escape codes are escaped: the message stays one line
    let server = serving(ResponseTemplate::new(500).set_body_string("boom\n\u{1b}[31mred")).await;
    let conv: Conv<TestApi> = support::runtime_without_retries(&server).conversation();
    let error = conv.api.tickets.get_ticket(1).await.unwrap().raise_for_status().unwrap_err();
    assert!(error.to_string().contains("`boom\\n\\u{1b}[31mred`"), "{error}");
}

#[tokio::test]
async fn raise_for_status_says_when_the_server_asks_to_try_again_and_how_many_attempts_were_made() {
    // a POST is not retried: its 429's `Retry-After` is the caller's to honour
    let server = MockServer::start().await;
    let limited = ResponseTemplate::new(429).insert_header("retry-after", "60");
    Mock::given(method("POST")).respond_with(limited).expect(1).mount(&server).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    let error = conv.api.tickets.create_ticket().await.unwrap().raise_for_status().unwrap_err();
    assert_eq!((error.kind(), error.retry_after()), (ErrorKind::Status, Some(Duration::from_secs(60))));
    let message = error.to_string();
    assert!(message.contains("the API limits how often this client calls it: try again after "), "{message}");
    assert!(message.ends_with(" GMT (`Retry-After` asks to wait 60s)"), "{message}");

    // a GET retried to its last attempt says so
    let policy = conv_api_runtime::RetryPolicy {
        attempts: 3,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(2),
    };
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(500)).expect(3).mount(&server).await;
    let conv: Conv<TestApi> = sandbox_builder(server.uri() + "/api/v2").retry(policy).build().unwrap().conversation();
    let error = conv.api.tickets.get_ticket(1).await.unwrap().raise_for_status().unwrap_err();
    assert_eq!(error.retry_after(), None);
    let said =
        "answered 500 Internal Server Error with an empty body, to the last of 3 attempts; the API, or a gateway";
    assert!(error.to_string().contains(said), "{error}");
}

#[tokio::test]
async fn the_reason_phrase_is_the_servers_own_as_in_requests() {
    let answers = [
        "HTTP/1.1 499 Client Closed Request\r\ncontent-length: 4\r\n\r\ngone",
        "HTTP/1.1 404 Ticket Gone\r\ncontent-length: 0\r\n\r\n",
        "HTTP/1.1 404 \r\ncontent-length: 0\r\n\r\n",
        "HTTP/1.1 520 \r\ncontent-length: 0\r\n\r\n",
        "HTTP/1.1 404 N\u{e3}o encontrado\r\ncontent-length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n",
    ];
    let (url, _) = support::scripted_server(answers.iter().map(|answer| answer.to_string()).collect()).await;
    let conv: Conv<TestApi> = sandbox_builder(url).retry(ONE_ATTEMPT).build().unwrap().conversation();
    let mut said = Vec::new();
    for _ in &answers[..5] {
        let response = conv.api.tickets.get_ticket(1).await.unwrap();
        let reason = response.reason().to_string();
        said.push((reason, response.raise_for_status().unwrap_err().to_string()));
    }
    assert_eq!(said[0].0, "Client Closed Request");
    assert!(said[0].1.contains("the server answered 499 Client Closed Request: `gone`"), "{}", said[0].1);
    assert_eq!(said[1].0, "Ticket Gone");
    assert!(said[1].1.contains("the server answered 404 Ticket Gone with an empty body"), "{}", said[1].1);
    // none sent: the status's own, if it has one
    assert_eq!(said[2].0, "Not Found");
    assert!(said[2].1.contains("the server answered 404 Not Found with an empty body"), "{}", said[2].1);
    assert_eq!(said[3].0, "");
    assert!(said[3].1.contains("the server answered 520 unknown status with an empty body"), "{}", said[3].1);
    // one with other than ASCII, which the HTTP parser drops (requests reads it as Latin-1)
    assert_eq!(said[4].0, "Not Found");
    assert_eq!(conv.api.tickets.get_ticket(1).await.unwrap().reason(), "OK");
}

#[tokio::test]
async fn a_reason_phrase_echoing_a_secret_is_masked_in_the_error() {
    let (url, _) =
        support::scripted_server(vec!["HTTP/1.1 401 bad key k-s3cr3t-1\r\ncontent-length: 0\r\n\r\n".to_string()])
            .await;
    let yaml = format!(
        "api_integrations:\n  - name: remote\n    environments: {{ sandbox: {{ base_url: \"{url}\", auth_type: apiKey }} }}\n    operations: [{{ name: ping, method: GET, resource: /ping }}]\n"
    );
    let apis = conv_api_runtime::DynamicApis::parse("apis.yaml", &yaml).unwrap();
    let store = conv_api_runtime::MapSecretStore::new().with("REMOTE_SANDBOX_API_KEY", "k-s3cr3t-1");
    let runtime = sandbox_builder("http://unused.example").secrets(store).retry(ONE_ATTEMPT).build().unwrap();
    let response = runtime.dynamic_conversation(&apis).api.call("remote", "ping").await.unwrap();
    let error = response.raise_for_status().unwrap_err().to_string();
    assert!(error.contains("the server answered 401 bad key *** with an empty body"), "{error}");
}

#[tokio::test]
async fn a_204_or_304_has_no_body_whatever_its_content_length_says() {
    for status in [204, 304] {
        let answer = format!("HTTP/1.1 {status} X\r\ncontent-length: 50000000\r\nconnection: close\r\n\r\n");
        let (url, _) = support::scripted_server(vec![answer]).await;
        let runtime = sandbox_builder(url).max_body_bytes(1000).retry(ONE_ATTEMPT).build().unwrap();
        let conv: Conv<TestApi> = runtime.conversation();
        let response = conv.api.tickets.get_ticket(1).await.unwrap_or_else(|error| panic!("{status}: {error}"));
        assert_eq!((response.status_code(), response.bytes().len()), (status, 0));
    }
}
