//! Reading an answer: its text, JSON and headers, by one caller or several, the
//! redirects followed or not, and function results.

use super::*;

#[tokio::test]
async fn one_call_awaited_by_several_gives_each_its_response_or_its_error() {
    use futures::FutureExt;
    let server = serving(ResponseTemplate::new(200).set_body_string(r#"{"status":"open"}"#)).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    let lookup = conv.api.tickets.get_ticket(1).send().shared();
    let (first, second) = tokio::join!(lookup.clone(), lookup);
    let (first, second) = (first.unwrap(), second.unwrap());
    assert_eq!((first.status_code(), first.text()), (second.status_code(), second.text()));
    assert_eq!(first.json::<Value>().unwrap(), json!({"status": "open"}));
    assert_eq!(conv.log.len(), 1, "one call");

    let unreachable = support::sandbox_builder(closed_port_url()).retry(ONE_ATTEMPT).build().unwrap();
    let conv: Conv<TestApi> = unreachable.conversation();
    let lookup = conv.api.tickets.get_ticket(1).send().shared();
    let (first, second) = tokio::join!(lookup.clone(), lookup);
    let (first, second) = (first.unwrap_err(), second.unwrap_err());
    assert_eq!((first.kind(), first.to_string()), (second.kind(), second.to_string()));
    assert_eq!(first.kind(), ErrorKind::Connect);
    // the clones share the source
    let sources = [&first, &second].map(|error| std::error::Error::source(error).map(ToString::to_string));
    assert!(sources[0].is_some() && sources[0] == sources[1], "{sources:?}");
}

#[tokio::test]
async fn text_json_and_headers_can_all_be_read() {
    let template =
        ResponseTemplate::new(200).insert_header("x-rate-remaining", "9").set_body_json(json!({"status": "open"}));
    let template = template.insert_header("x-note", "für Kunde");
    let server = serving(template).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    let response = conv.api.tickets.get_ticket(1).await.unwrap();
    assert!(response.is_success());
    assert_eq!((response.api(), response.operation()), (Some("tickets"), Some("get_ticket")));
    assert_eq!(response.headers()["x-rate-remaining"], "9");
    assert_eq!(response.header("X-Rate-Remaining"), Some("9"));
    assert_eq!(response.header("x-missing"), None);
    assert_eq!(response.header("x-note"), Some("für Kunde"), "UTF-8 beyond ASCII is text too");
    let ticket: Value = response.json().unwrap();
    assert_eq!(ticket["status"], "open");
    assert_eq!(response.text(), r#"{"status":"open"}"#);
    assert_eq!(response.bytes(), br#"{"status":"open"}"#);
    let shown = format!("{response:?}");
    assert!(shown.contains("200") && shown.contains("get_ticket"), "{shown}");
}

#[tokio::test]
async fn a_header_value_that_is_not_utf8_is_kept_as_its_bytes_and_logged() {
    let answer = b"HTTP/1.1 200 OK\r\nx-odd: caf\xe9 \xff\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok";
    let (url, _) = support::scripted_server(vec![answer]).await;
    let conv: Conv<TestApi> = sandbox_builder(url).retry(ONE_ATTEMPT).build().unwrap().conversation();
    let response = conv.api.tickets.get_ticket(1).await.unwrap();
    assert_eq!(response.text(), "ok");
    assert_eq!(response.headers()["x-odd"].as_bytes(), b"caf\xe9 \xff");
    assert_eq!(response.header("x-odd"), None, "not text");
    let jsonl = conv.log.to_jsonl();
    assert!(jsonl.contains("x-odd"), "{jsonl}");
}

#[tokio::test]
async fn text_is_lossy_utf8() {
    let server = serving(ResponseTemplate::new(200).set_body_bytes(vec![b'o', b'k', 0xff])).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    let response = conv.api.tickets.get_ticket(1).await.unwrap();
    assert_eq!(response.text(), "ok\u{fffd}");
    assert!(std::ptr::eq(response.text(), response.text()), "the lossy text is made once");
    assert_eq!(response.bytes(), [b'o', b'k', 0xff]);
}

#[test]
fn function_results_serialize_as_content_or_utterance() {
    let content = serde_json::to_value(FunctionResult::content("Ticket status: open")).unwrap();
    assert_eq!(content, json!({"content": "Ticket status: open"}));
    let structured = serde_json::to_value(FunctionResult::content(json!({"status": "open"}))).unwrap();
    assert_eq!(structured, json!({"content": {"status": "open"}}));
    let utterance = serde_json::to_value(FunctionResult::utterance("I couldn't find that ticket.")).unwrap();
    assert_eq!(utterance, json!({"utterance": "I couldn't find that ticket."}));
}

#[tokio::test]
async fn same_origin_redirects_are_followed() {
    let server = MockServer::start().await;
    let moved = ResponseTemplate::new(302).insert_header("location", "/api/v2/tickets/2");
    Mock::given(method("GET")).and(path("/api/v2/tickets/1")).respond_with(moved).expect(1).mount(&server).await;
    let target = ResponseTemplate::new(200).set_body_string("two");
    Mock::given(method("GET")).and(path("/api/v2/tickets/2")).respond_with(target).expect(1).mount(&server).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    let response = conv.api.tickets.get_ticket(1).await.unwrap();
    assert_eq!(response.text(), "two");
    assert_eq!(response.api(), Some("tickets"));
}

#[tokio::test]
async fn a_redirect_loop_is_named_as_one() {
    let server = MockServer::start().await;
    let location = format!("{}/api/v2/tickets/1", server.uri());
    let back = ResponseTemplate::new(302).insert_header("location", location.as_str());
    Mock::given(method("GET")).respond_with(back).expect(11).mount(&server).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    let error = conv.api.tickets.get_ticket(1).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport, "{error}");
    assert!(error.to_string().contains("redirected more than 10 times"), "{error}");
    assert!(!error.is_retryable(), "a loop is not retried: {error:?}");
}

#[tokio::test]
async fn redirects_to_another_origin_are_not_followed() {
    let elsewhere = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&elsewhere).await;
    // the same host on another port, written in full or scheme-relative
    let port = elsewhere.address().port();
    for location in [format!("{}/steal", elsewhere.uri()), format!("//127.0.0.1:{port}/steal")] {
        let server = serving(ResponseTemplate::new(307).insert_header("location", location.as_str())).await;
        let conv: Conv<TestApi> = runtime(&server).conversation();
        let response = conv.api.tickets.get_ticket(1).header("X-Api-Key", "k").await.unwrap();
        assert_eq!(response.status_code(), 307);
        assert_eq!(response.headers()["location"], location.as_str());
    }
}
