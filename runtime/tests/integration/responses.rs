//! Responses: statuses, bodies, decoding, the body cap, timeouts and connection errors.

use crate::support;

use std::time::Duration;

use conv_api_runtime::{Conv, ErrorKind, FunctionResult};
use serde_json::{json, Value};
use support::{closed_port_url, recorded, runtime, sandbox_builder, TestApi, ONE_ATTEMPT};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn serving(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path("/api/v2/tickets/1")).respond_with(template).expect(1).mount(&server).await;
    server
}

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
async fn text_is_lossy_utf8() {
    let server = serving(ResponseTemplate::new(200).set_body_bytes(vec![b'o', b'k', 0xff])).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    let response = conv.api.tickets.get_ticket(1).await.unwrap();
    assert_eq!(response.text(), "ok\u{fffd}");
    assert!(std::ptr::eq(response.text(), response.text()), "the lossy text is made once");
    assert_eq!(response.bytes(), [b'o', b'k', 0xff]);
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
async fn invalid_json_is_a_decode_error() {
    let server = serving(ResponseTemplate::new(200).set_body_string("<html>oops</html>")).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    let response = conv.api.tickets.get_ticket(1).await.unwrap();
    let error = response.json::<Value>().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode);
    assert_eq!((error.operation(), error.status()), (Some("get_ticket"), Some(200)));
    assert_eq!(response.text(), "<html>oops</html>");
    assert!(
        error.to_string().contains(
            "the response body (status 200, text/plain) is not JSON (expected value at line 1 column 1): `<html>oops</html>`; check the base URL and the resource"
        ),
        "{error}"
    );
    // an error page, or an error object of another shape: the status comes first
    let server = serving(ResponseTemplate::new(503).set_body_string("<html>Service Unavailable</html>")).await;
    let conv: Conv<TestApi> = support::runtime_without_retries(&server).conversation();
    let error = conv.api.tickets.get_ticket(1).await.unwrap().json::<Value>().unwrap_err();
    assert!(
        error.to_string().ends_with("`<html>Service Unavailable</html>`; the API answered an error: check the status first (`raise_for_status()?`)"),
        "{error}"
    );
    let server = serving(ResponseTemplate::new(404).set_body_json(serde_json::json!({ "error": "not found" }))).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code, reason = "deserialized to test the decoding; never read")]
    struct Ticket {
        id: u64,
    }
    let error = conv.api.tickets.get_ticket(1).await.unwrap().json::<Ticket>().unwrap_err();
    assert!(
        error.to_string().contains("(status 404) is not the JSON expected: missing field `id`")
            && error.to_string().ends_with("the API answered an error: check the status first (`raise_for_status()?`)"),
        "{error}"
    );
}

#[tokio::test]
async fn a_decode_error_quotes_the_body_on_one_line() {
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code, reason = "deserialized to test the decoding; never read")]
    enum Status {
        #[serde(rename = "open")]
        Open,
    }
    let body = r#"{"status":"\u001b[2J\u001b]0;pwned\u0007open\nINFO payment accepted\u202e"}"#;
    let server = serving(ResponseTemplate::new(200).set_body_raw(body, "application/json")).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code, reason = "deserialized to test the decoding; never read")]
    struct Ticket {
        status: Status,
    }
    let error = conv.api.tickets.get_ticket(1).await.unwrap().json::<Ticket>().unwrap_err();
    let message = error.to_string();
    assert!(!message.contains(['\n', '\u{1b}', '\u{7}', '\u{202e}']), "{message}");
    assert!(message.contains("unknown variant `\\u{1b}[2J"), "{message}");
}

#[tokio::test]
async fn an_empty_body_or_json_of_another_shape_says_so() {
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code, reason = "deserialized to test the decoding; never read")]
    struct Ticket {
        id: u64,
    }
    let server = serving(ResponseTemplate::new(204)).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    let error = conv.api.tickets.get_ticket(1).await.unwrap().json::<Value>().unwrap_err();
    assert!(
        error.to_string().contains("the response body (status 204) is empty, where JSON was expected: the API answered success without a body; check `is_success()` or `status_code()` instead of decoding it"),
        "{error}"
    );
    let server = serving(ResponseTemplate::new(404)).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    let error = conv.api.tickets.get_ticket(1).await.unwrap().json::<Value>().unwrap_err();
    assert!(
        error.to_string().contains("the response body (status 404) is empty, where JSON was expected; check the status first (`raise_for_status()?`), then the operation's method and resource"),
        "{error}"
    );

    let server = serving(ResponseTemplate::new(200).set_body_json(serde_json::json!({ "ticket": 1 }))).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    let response = conv.api.tickets.get_ticket(1).await.unwrap();
    let error = response.json::<Ticket>().unwrap_err();
    assert!(
        error.to_string().contains("the response body (status 200) is not the JSON expected: missing field `id` at line 1 column 12; check the API's documentation for the response shape"),
        "{error}"
    );
    // what `FunctionResult::content(response.json()?)` decodes into in edition 2021
    let error = response.json::<()>().unwrap_err();
    assert!(
        error.to_string().contains("is not `null`, which is all `()` decodes: invalid type: map, expected unit"),
        "{error}"
    );
    assert!(
        error.to_string().contains("name the type to decode into, `response.json::<serde_json::Value>()`"),
        "{error}"
    );

    // cut short: the position says where, and the start shows what came
    let server = serving(ResponseTemplate::new(200).set_body_raw("{\"id\": 4", "application/json")).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    let error = conv.api.tickets.get_ticket(1).await.unwrap().json::<Ticket>().unwrap_err();
    assert!(
        error.to_string().contains(
            "(status 200, application/json) is JSON cut short (EOF while parsing an object at line 1 column 8): `{\"id\": 4`; the API sent part of it"
        ),
        "{error}"
    );
    // JSON the API broke: what is wrong with it, not the base URL
    for (body, told) in [
        (&b"{\"name\": \"caf\xe9\"}"[..], "is JSON that is not UTF-8 (invalid unicode code point at line 1 column 14): `{\"name\": \"caf\u{fffd}\"}`; decode `bytes()` yourself (from Latin-1"),
        (b"{\"total\": 1e400}", "is broken JSON (number out of range at line 1 column 15): `{\"total\": 1e400}`; read `text()` yourself, or ask the API's owners to fix it"),
        (b"[1, 2,]", "is broken JSON (trailing comma at line 1 column 7): `[1, 2,]`; read `text()` yourself"),
    ] {
        let server = serving(ResponseTemplate::new(200).set_body_raw(body, "application/json")).await;
        let conv: Conv<TestApi> = runtime(&server).conversation();
        let error = conv.api.tickets.get_ticket(1).await.unwrap().json::<serde_json::Value>().unwrap_err();
        assert!(error.to_string().contains(told), "{error}");
        assert!(!error.to_string().contains("base URL"), "{error}");
    }
}

#[tokio::test]
async fn a_decode_error_names_the_field_it_failed_at() {
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code, reason = "deserialized to test the decoding; never read")]
    struct Page {
        tickets: Vec<Ticket>,
        assignees: std::collections::HashMap<String, Assignee>,
    }
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code, reason = "deserialized to test the decoding; never read")]
    struct Ticket {
        id: u64,
        requester: Option<Requester>,
    }
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code, reason = "deserialized to test the decoding; never read")]
    struct Requester {
        email: String,
    }
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code, reason = "deserialized to test the decoding; never read")]
    struct Assignee {
        team: String,
    }
    let body = |second: Value| json!({ "tickets": [{ "id": 1, "requester": null }, second], "assignees": {} });
    for (second, assignees, field) in [
        (json!({ "id": null }), json!({}), "at `tickets[1].id`: invalid type: null, expected u64 at line 1 column"),
        (json!({ "id": 2, "requester": {} }), json!({}), "at `tickets[1].requester`: missing field `email`"),
        // a map's keys are the body's: one echoing a credential is masked
        (
            json!({ "id": 2 }),
            json!({ "test-key": { "team": 7 } }),
            "at `assignees.***.team`: invalid type: integer `7`",
        ),
        // a long key (a URL) is cut, not the field after it
        (
            json!({ "id": 2 }),
            json!({ "https://api.example.com/v2/teams/0f5c1d9e/members?page=2": { "team": null } }),
            "at `assignees.https://api.example.com/v2/teams/0f5c1d9....team`: invalid type: null",
        ),
    ] {
        let mut page = body(second);
        page["assignees"] = assignees;
        let server = serving(ResponseTemplate::new(200).set_body_json(page)).await;
        let yaml = format!(
            "api_integrations:\n  - name: remote\n    environments: {{ sandbox: {{ base_url: \"{}\", auth_type: apiKey }} }}\n    operations: [{{ name: page, method: GET, resource: /api/v2/tickets/1 }}]\n",
            server.uri()
        );
        let apis = conv_api_runtime::DynamicApis::parse("apis.yaml", &yaml).unwrap();
        let store = conv_api_runtime::MapSecretStore::new().with("REMOTE_SANDBOX_API_KEY", "test-key");
        let runtime = sandbox_builder("http://unused.example").secrets(store).build().unwrap();
        let response = runtime.dynamic_conversation(&apis).api.call("remote", "page").await.unwrap();
        let error = response.json::<Page>().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Decode);
        assert!(error.to_string().contains(&format!("(status 200) is not the JSON expected: {field}")), "{error}");
    }
}

#[tokio::test]
async fn a_json_body_after_a_utf8_byte_order_mark_decodes() {
    let server =
        serving(ResponseTemplate::new(200).set_body_bytes(b"\xEF\xBB\xBF{\"status\":\"open\"}".to_vec())).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    let response = conv.api.tickets.get_ticket(1).await.unwrap();
    assert_eq!(response.json::<Value>().unwrap(), serde_json::json!({ "status": "open" }));
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
async fn json_in_a_charset_other_than_utf8_says_so_and_json_that_reads_as_utf8_is_decoded() {
    // `{"city":"東京"}` in Shift_JIS
    let mut body = b"{\"city\":\"".to_vec();
    body.extend_from_slice(b"\x93\x8c\x8b\x9e");
    body.extend_from_slice(b"\"}");
    let server = serving(ResponseTemplate::new(200).set_body_raw(body, "application/json; charset=Shift_JIS")).await;
    let response = runtime(&server).conversation::<TestApi>().api.tickets.get_ticket(1).await.unwrap();
    let error = response.json::<Value>().unwrap_err().to_string();
    let says = "the response body (status 200) is in `Shift_JIS`, as its `Content-Type` says, which `json()` does not decode: it reads UTF-8";
    assert!(error.contains(says) && error.contains("decode `bytes()` from `Shift_JIS` yourself"), "{error}");
    // a charset whose text is ASCII here reads as UTF-8 does
    let ascii =
        ResponseTemplate::new(200).set_body_raw("{\"city\":\"Paris\"}", "application/json; charset=\"ISO-8859-1\"");
    let server = serving(ascii).await;
    let response = runtime(&server).conversation::<TestApi>().api.tickets.get_ticket(1).await.unwrap();
    assert_eq!(response.json::<Value>().unwrap()["city"], "Paris");
    // a page in such a charset is no JSON whatever its charset: a wrong base URL's
    let page = "<html><body>Not Found: caf\u{e9}</body></html>".chars().map(|c| c as u8).collect::<Vec<u8>>();
    let server = serving(ResponseTemplate::new(200).set_body_raw(page, "text/html; charset=iso-8859-1")).await;
    let response = runtime(&server).conversation::<TestApi>().api.tickets.get_ticket(1).await.unwrap();
    let error = response.json::<Value>().unwrap_err().to_string();
    assert!(error.contains("is not JSON") && error.contains("check the base URL and the resource"), "{error}");
    // UTF-16, whose `{` is two bytes
    let utf16: Vec<u8> = "{\"city\":\"Paris\"}".encode_utf16().flat_map(u16::to_le_bytes).collect();
    let server = serving(ResponseTemplate::new(200).set_body_raw(utf16, "application/json; charset=UTF-16LE")).await;
    let response = runtime(&server).conversation::<TestApi>().api.tickets.get_ticket(1).await.unwrap();
    let error = response.json::<Value>().unwrap_err().to_string();
    assert!(error.contains("is in `UTF-16LE`, as its `Content-Type` says"), "{error}");
    // an error object in such a charset is told to check the status first
    let problem = "{\"title\":\"Introuvable: caf\u{e9}\"}".chars().map(|c| c as u8).collect::<Vec<u8>>();
    let not_found = ResponseTemplate::new(404).set_body_raw(problem, "application/problem+json; charset=iso-8859-1");
    let server = serving(not_found).await;
    let response = runtime(&server).conversation::<TestApi>().api.tickets.get_ticket(1).await.unwrap();
    let error = response.json::<Value>().unwrap_err().to_string();
    assert!(
        error.contains("is in `iso-8859-1`") && error.ends_with("check the status first (`raise_for_status()?`)"),
        "{error}"
    );
    // a UTF-8 page labelled UTF-16 is no JSON in any charset
    let page = ResponseTemplate::new(200).set_body_raw("<html>Not Found</html>", "text/html; charset=utf-16");
    let server = serving(page).await;
    let response = runtime(&server).conversation::<TestApi>().api.tickets.get_ticket(1).await.unwrap();
    let error = response.json::<Value>().unwrap_err().to_string();
    assert!(error.contains("is not JSON") && error.contains("check the base URL and the resource"), "{error}");
}

#[tokio::test]
async fn json_of_a_redirect_not_followed_says_where_it_points() {
    // another origin: not followed; `raise_for_status()` says where it points, as `json()` does
    let moved = ResponseTemplate::new(301).insert_header("location", "https://api.example/v2/tickets/1?token=s3cr3t");
    let server = serving(moved).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    let response = conv.api.tickets.get_ticket(1).await.unwrap();
    let error = response.json::<Value>().unwrap_err().to_string();
    let says = "the response body (status 301) is empty: the server redirected to `https://api.example/v2/tickets/1?token=***`, which is not followed";
    assert!(
        error.contains(says) && error.ends_with("correct the base URL or the resource to where it points"),
        "{error}"
    );
    let raised = response.raise_for_status().unwrap_err().to_string();
    let says = "the server answered 301 Moved Permanently with an empty body; the server redirected to `https://api.example/v2/tickets/1?token=***`, which is not followed";
    assert!(raised.contains(says), "{raised}");
    let page = ResponseTemplate::new(302).insert_header("location", "https://login.example/").set_body_string("<html>");
    let server = serving(page).await;
    let error = runtime(&server).conversation::<TestApi>().api.tickets.get_ticket(1).await.unwrap().json::<Value>();
    let error = error.unwrap_err().to_string();
    assert!(error.contains("(status 302) is not JSON: the server redirected to `https://login.example/`"), "{error}");
    // a `Location` of 200 KB is cut as a body is
    let far = format!("https://elsewhere.example/{}", "a".repeat(200_000));
    let server = serving(ResponseTemplate::new(302).insert_header("location", far.as_str())).await;
    let error = runtime(&server).conversation::<TestApi>().api.tickets.get_ticket(1).await.unwrap().json::<Value>();
    let error = error.unwrap_err().to_string();
    let cut = format!("redirected to `https://elsewhere.example/{}...`, which", "a".repeat(200 - 26));
    assert!(error.contains(&cut) && error.len() < 1_000, "{} bytes: {}", error.len(), &error[..300]);
    // a `Location` not in UTF-8, even one within the origin, is no URL to follow
    let latin1 = wiremock::http::HeaderValue::from_bytes(b"/v2/l\xFCnd").unwrap();
    let server = serving(ResponseTemplate::new(302).insert_header("location", latin1)).await;
    let response = runtime(&server).conversation::<TestApi>().api.tickets.get_ticket(1).await.unwrap();
    let raised = response.raise_for_status().unwrap_err().to_string();
    let says = "the server redirected to `/v2/l%C3%BCnd` (shown as Latin-1), which is not followed: its `Location` holds bytes that are not UTF-8";
    assert!(raised.contains(says) && raised.contains("ask the API's owners to fix the redirect"), "{raised}");
    // JSON of another shape is said so, redirect or not
    let json = ResponseTemplate::new(301)
        .insert_header("location", "https://api.example/")
        .set_body_string("{\"error\":\"moved\"}");
    let server = serving(json).await;
    let response = runtime(&server).conversation::<TestApi>().api.tickets.get_ticket(1).await.unwrap();
    let error = response.json::<Vec<u32>>().unwrap_err().to_string();
    assert!(error.contains("(status 301) is not the JSON expected: invalid type: map"), "{error}");
}

#[tokio::test]
async fn json_of_a_compressed_body_names_its_encoding() {
    let gzip_of_id_1 =
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xabV\xcaLQ\xb22\xac\x05\x00\x8f\xb9\xb8\x1b\x08\x00\x00\x00"
            .to_vec();
    let compressed = ResponseTemplate::new(200)
        .insert_header("content-encoding", "gzip")
        .insert_header("content-type", "application/json")
        .set_body_bytes(gzip_of_id_1.clone());
    let server = serving(compressed).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    let response = conv.api.tickets.get_ticket(1).await.unwrap();
    assert_eq!(response.bytes(), gzip_of_id_1, "kept as sent");
    let asked = &server.received_requests().await.unwrap()[0];
    assert!(!asked.headers.contains_key("accept-encoding"), "no encoding is asked for: {:?}", asked.headers);
    let error = response.json::<Value>().unwrap_err().to_string();
    let says = "the response body (status 200) is `gzip`-encoded (`Content-Encoding`), which the client does not decode, and kept as sent: decode `bytes()` yourself";
    assert!(error.contains(says), "{error}");
    // a wrong `Content-Encoding` on JSON: the JSON's own error is said
    let mislabelled =
        ResponseTemplate::new(200).insert_header("content-encoding", "utf-8").set_body_string("{\"name\":\"x\"}");
    let server = serving(mislabelled).await;
    let response = runtime(&server).conversation::<TestApi>().api.tickets.get_ticket(1).await.unwrap();
    let error = response.json::<Vec<u32>>().unwrap_err().to_string();
    assert!(error.contains("is not the JSON expected") && !error.contains("-encoded"), "{error}");
    // `identity` is no encoding: a page sent as such is not JSON, as without the header
    let unencoded = ResponseTemplate::new(200).insert_header("content-encoding", "identity").set_body_string("<html>");
    let server = serving(unencoded).await;
    let response = runtime(&server).conversation::<TestApi>().api.tickets.get_ticket(1).await.unwrap();
    let error = response.json::<Value>().unwrap_err().to_string();
    assert!(error.contains("(status 200, text/plain) is not JSON (") && !error.contains("-encoded"), "{error}");
}

#[tokio::test]
async fn bodies_over_the_cap_are_body_too_large() {
    let server = serving(ResponseTemplate::new(200).set_body_string("x".repeat(100))).await;
    let runtime = sandbox_builder(server.uri() + "/api/v2").max_body_bytes(64).build().unwrap();
    let conv: Conv<TestApi> = runtime.conversation();
    let error = conv.api.tickets.get_ticket(1).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::BodyTooLarge);
    assert!(error.is_body_too_large());
    assert_eq!(error.status(), Some(200));
    let told = "the body of the server's 200 OK answer is larger than the 64 bytes allowed; raise the cap with `Runtime::builder().max_body_bytes(..)` or ask the API for less";
    assert!(error.to_string().contains(told), "{error}");
}

#[tokio::test]
async fn a_retryable_status_with_a_body_over_the_cap_is_retried_as_that_status() {
    let server = MockServer::start().await;
    let error_page = ResponseTemplate::new(503).set_body_string("<html>".repeat(100));
    Mock::given(method("GET")).respond_with(error_page).up_to_n_times(1).expect(1).mount(&server).await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(1).mount(&server).await;
    let quick = conv_api_runtime::RetryPolicy {
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(4),
        ..conv_api_runtime::DEFAULT_RETRY
    };
    let builder = sandbox_builder(server.uri() + "/api/v2").max_body_bytes(64).retry(quick);
    let conv: Conv<TestApi> = builder.build().unwrap().conversation();
    assert_eq!(conv.api.tickets.get_ticket(1).await.unwrap().status_code(), 200, "retried, as the 503 is");
    // not retried (one attempt): the error says the server may answer otherwise later
    let server = serving(ResponseTemplate::new(503).set_body_string("<html>".repeat(100))).await;
    let builder = sandbox_builder(server.uri() + "/api/v2").max_body_bytes(64).retry(support::ONE_ATTEMPT);
    let error = builder.build().unwrap().conversation::<TestApi>().api.tickets.get_ticket(1).await.unwrap_err();
    assert_eq!((error.kind(), error.status(), error.is_retryable()), (ErrorKind::BodyTooLarge, Some(503), true));
    let server = serving(ResponseTemplate::new(404).set_body_string("<html>".repeat(100))).await;
    let builder = sandbox_builder(server.uri() + "/api/v2").max_body_bytes(64);
    let error = builder.build().unwrap().conversation::<TestApi>().api.tickets.get_ticket(1).await.unwrap_err();
    assert_eq!((error.kind(), error.status(), error.is_retryable()), (ErrorKind::BodyTooLarge, Some(404), false));
    // the status is the news, not the page that came with it
    let told = "the server answered 404 Not Found, an error, with a body larger than the 64 bytes allowed (most often an error page): the status says what went wrong";
    assert!(error.to_string().contains(told), "{error}");
}

#[tokio::test]
async fn a_timeout_too_long_to_end_is_no_deadline_even_near_the_latest_instant() {
    /// The longest timeout whose deadline an `Instant` can hold from now, less half a
    /// millisecond: tokio's timer panicked on such a deadline.
    fn nearly_the_longest() -> Duration {
        let now = tokio::time::Instant::now();
        let (mut fits, mut overflows) = (Duration::ZERO, Duration::MAX);
        while overflows - fits > Duration::from_micros(1) {
            let middle = fits + (overflows - fits) / 2;
            if now.checked_add(middle).is_some() {
                fits = middle;
            } else {
                overflows = middle;
            }
        }
        fits - Duration::from_micros(500)
    }
    for timeout in [None, Some(Duration::MAX), Some(Duration::from_secs(1 << 40))] {
        let server = serving(ResponseTemplate::new(200)).await;
        let conv: Conv<TestApi> = runtime(&server).conversation();
        let call = conv.api.tickets.get_ticket(1);
        let response = call.timeout(timeout.unwrap_or_else(nearly_the_longest)).await;
        assert_eq!(response.map(|response| response.status_code()).ok(), Some(200), "{timeout:?}");
    }
}

#[tokio::test]
async fn bodies_at_the_cap_are_read() {
    let server = serving(ResponseTemplate::new(200).set_body_string("x".repeat(64))).await;
    let runtime = sandbox_builder(server.uri() + "/api/v2").max_body_bytes(64).build().unwrap();
    let conv: Conv<TestApi> = runtime.conversation();
    assert_eq!(conv.api.tickets.get_ticket(1).await.unwrap().text().len(), 64);
}

/// A body of a `Content-Length`, chunked in pieces of seven bytes (so the cap falls
/// inside a read), or ending where the connection does, of `len` bytes.
fn framed_answer(framing: &str, len: usize) -> String {
    let body = "x".repeat(len);
    match framing {
        "content-length" => support::http_answer(200, &[], &body),
        "chunked" => {
            let chunks: String = body
                .as_bytes()
                .chunks(7)
                .map(|piece| format!("{:x}\r\n{}\r\n", piece.len(), "x".repeat(piece.len())))
                .collect();
            format!("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n{chunks}0\r\n\r\n")
        }
        _ => format!("HTTP/1.1 200 OK\r\nconnection: close\r\n\r\n{body}"),
    }
}

#[tokio::test]
async fn the_cap_is_exact_to_the_byte_however_the_body_is_framed() {
    for framing in ["content-length", "chunked", "until the connection closes"] {
        let (url, _) = support::scripted_server(vec![framed_answer(framing, 1000), framed_answer(framing, 1001)]).await;
        let runtime = sandbox_builder(url).max_body_bytes(1000).retry(ONE_ATTEMPT).build().unwrap();
        let conv: Conv<TestApi> = runtime.conversation();
        let at_the_cap = conv.api.tickets.get_ticket(1).await.unwrap_or_else(|error| panic!("{framing}: {error}"));
        assert_eq!(at_the_cap.bytes().len(), 1000, "{framing}");
        let error = conv.api.tickets.get_ticket(1).await.unwrap_err();
        assert_eq!((error.kind(), error.status()), (ErrorKind::BodyTooLarge, Some(200)), "{framing}: {error}");
    }
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

#[tokio::test]
async fn the_default_body_cap_is_ten_mebibytes_read_to_the_byte() {
    const CAP: usize = conv_api_runtime::DEFAULT_MAX_BODY_BYTES;
    assert_eq!(CAP, 10 * 1024 * 1024);
    let at = serving(ResponseTemplate::new(200).set_body_string("x".repeat(CAP))).await;
    let conv: Conv<TestApi> = runtime(&at).conversation();
    assert_eq!(conv.api.tickets.get_ticket(1).await.unwrap().text().len(), CAP);
    let over = serving(ResponseTemplate::new(200).set_body_string("x".repeat(CAP + 1))).await;
    let conv: Conv<TestApi> = runtime(&over).conversation();
    let error = conv.api.tickets.get_ticket(1).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::BodyTooLarge, "{error}");
}

#[tokio::test]
async fn a_slow_answer_times_out_per_call() {
    let server = serving(ResponseTemplate::new(200).set_delay(Duration::from_secs(10))).await;
    let conv: Conv<TestApi> = support::runtime_without_retries(&server).conversation();
    let error = conv.api.tickets.get_ticket(1).timeout(Duration::from_millis(50)).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout);
    assert!(error.is_timeout());
    assert!(error.to_string().contains(".timeout("), "{error}");
    recorded(&server, 1).await;
}

/// A server that answers `200` with headers promising ten bytes, sends three, then stalls.
async fn stalling_mid_body() -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = [0; 4096];
        let _ = socket.read(&mut request).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-length: 10\r\nx-request-id: r-1\r\n\r\nabc";
        socket.write_all(head.as_bytes()).await.unwrap();
        tokio::time::sleep(Duration::from_secs(10)).await;
    });
    format!("http://{address}/api/v2")
}

// the server runs on the test's runtime: its clock, paused, runs the timeout at once
#[tokio::test(start_paused = true)]
async fn a_body_that_stalls_times_out_and_the_log_keeps_the_status_that_arrived() {
    let runtime = sandbox_builder(stalling_mid_body().await).retry(ONE_ATTEMPT).build().unwrap();
    let conv: Conv<TestApi> = runtime.conversation();
    let error = conv.api.tickets.get_ticket(1).timeout(Duration::from_secs(1)).await.unwrap_err();
    assert_eq!((error.kind(), error.status()), (ErrorKind::Timeout, Some(200)), "{error}");
    let call = conv.log.entries()[0].request.clone().unwrap();
    assert_eq!((call.status, call.error_kind), (Some(200), Some(ErrorKind::Timeout)));
}

#[tokio::test]
async fn a_slow_answer_times_out_with_the_runtime_default() {
    let server = serving(ResponseTemplate::new(200).set_delay(Duration::from_secs(10))).await;
    let runtime = sandbox_builder(server.uri() + "/api/v2")
        .timeout(Duration::from_millis(50))
        .retry(ONE_ATTEMPT)
        .build()
        .unwrap();
    let conv: Conv<TestApi> = runtime.conversation();
    assert!(conv.api.tickets.get_ticket(1).await.unwrap_err().is_timeout());
    recorded(&server, 1).await;
}

#[tokio::test]
async fn a_closed_port_is_a_connect_error() {
    let builder = sandbox_builder(closed_port_url()).connect_timeout(Duration::from_secs(2));
    // one attempt: the connect error is what is checked, not the retries after it
    let runtime = builder.retry(ONE_ATTEMPT).build().unwrap();
    let conv: Conv<TestApi> = runtime.conversation();
    let error = conv.api.tickets.get_ticket(1).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Connect, "{error}");
    assert!(error.is_connect());
    assert!(error.url().unwrap().ends_with("/tickets/1"));
    let source = std::error::Error::source(&error).expect("the reqwest error is kept as the source");
    assert!(!source.to_string().contains("127.0.0.1"), "the source has no URL: {source}");
    // what `main() -> Result<(), Box<dyn Error>>` prints: the message, then the
    // source's texts, not its types
    let debug = format!("{error:?}");
    assert!(debug.starts_with(&format!("{error}\n\nCaused by:\n    error sending request: ")), "{debug}");
    assert!(debug.contains("Connection refused"), "{debug}");
    assert!(!debug.contains("reqwest::Error") && !debug.contains("ConnectError("), "{debug}");
    // and the fields, asked for
    let fields = format!("{error:#?}");
    assert!(
        fields.starts_with("Error {\n    kind: Connect,\n    message: \"cannot connect to the server ("),
        "{fields}"
    );
    assert!(fields.contains("source: error sending request: ") && !fields.contains("reqwest::Error"), "{fields}");
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

#[tokio::test]
async fn reading_an_endless_body_stops_at_the_cap() {
    let runtime = sandbox_builder(support::endless_body_server()).max_body_bytes(256 * 1024).build().unwrap();
    let conv: Conv<TestApi> = runtime.conversation();
    let error = conv.api.tickets.get_ticket(1).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::BodyTooLarge, "{error}");
    assert_eq!(error.status(), Some(200));
    // neither chunked nor of a length: the body would end only with the connection
    let (url, _) = support::raw_connections(|mut stream, _, _| async move {
        use tokio::io::AsyncWriteExt;
        let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nconnection: close\r\n\r\n").await;
        while stream.write_all(&[b'x'; 16 * 1024]).await.is_ok() {}
    })
    .await;
    let runtime = sandbox_builder(url).max_body_bytes(256 * 1024).retry(ONE_ATTEMPT).build().unwrap();
    let error = runtime.conversation::<TestApi>().api.tickets.get_ticket(1).await.unwrap_err();
    assert_eq!((error.kind(), error.status()), (ErrorKind::BodyTooLarge, Some(200)), "{error}");
}

#[tokio::test]
async fn bytes_past_the_content_length_are_not_read_into_the_body() {
    // no `connection: close`: the bytes after the body must not be taken for the next answer
    let lie = "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello world HTTP/1.1 500 X\r\n\r\n".to_string();
    let (url, answered) = support::scripted_server(vec![lie]).await;
    let conv: Conv<TestApi> = sandbox_builder(url).build().unwrap().conversation();
    for _ in 0..2 {
        let response = conv.api.tickets.get_ticket(1).await.unwrap();
        assert_eq!((response.status_code(), response.text()), (200, "hello"));
    }
    assert_eq!(answered.load(std::sync::atomic::Ordering::SeqCst), 2);
}

/// `Transfer-Encoding: chunked` beside a `Content-Length`: the chunks frame the body
/// (RFC 9112 6.3), not the length.
#[tokio::test]
async fn a_chunked_answer_with_a_content_length_too_is_read_by_its_chunks() {
    let both = "HTTP/1.1 200 OK\r\ncontent-length: 100\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n2\r\nok\r\n0\r\n\r\n";
    let (url, _) = support::scripted_server(vec![both]).await;
    let conv: Conv<TestApi> = sandbox_builder(url).retry(ONE_ATTEMPT).build().unwrap().conversation();
    let response = conv.api.tickets.get_ticket(1).await.unwrap();
    assert_eq!((response.status_code(), response.text()), (200, "ok"));
}

#[tokio::test]
async fn a_content_length_larger_than_memory_is_not_reserved_up_front() {
    // with the cap raised out of the way, the server's claim alone must not size the buffer
    let lie = "HTTP/1.1 200 OK\r\ncontent-length: 1000000000000\r\nconnection: close\r\n\r\n{}".to_string();
    let (url, _) = support::scripted_server(vec![lie]).await;
    let runtime = sandbox_builder(url).max_body_bytes(usize::MAX).retry(support::ONE_ATTEMPT).build().unwrap();
    let conv: Conv<TestApi> = runtime.conversation();
    let error = conv.api.tickets.get_ticket(1).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport, "the body ended early: {error}");
    assert!(error.is_retryable(), "{error:?}");
    assert_eq!(error.status(), Some(200));
}
