//! JSON decoding and what its errors say: the field, the body on one line, a
//! charset, a compressed body, a redirect not followed.

use super::*;

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
