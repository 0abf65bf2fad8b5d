//! Building and sending requests: URLs, query, bodies, headers, environments.

use crate::support;

use conv_api_runtime::{Conv, Environment, ErrorKind, MapSecretStore, Runtime};
use serde_json::json;
use support::{received, runtime, TestApi};
use wiremock::matchers::{body_json, body_string, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server_expecting(http_method: &str, url_path: &str, times: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(http_method))
        .and(path(url_path))
        .respond_with(ResponseTemplate::new(200))
        .expect(times)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn path_variables_are_percent_encoded() {
    let server = server_expecting("GET", "/api/v2/tickets/Hello%20World%21", 1).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    let response = conv.api.tickets.get_ticket("Hello World!").await.unwrap();
    assert_eq!(response.status_code(), 200);
}

#[tokio::test]
async fn reserved_characters_cannot_change_the_url_shape() {
    let server = server_expecting("GET", "/api/v2/tickets/a%2Fb%3Fc%23d%25e%40f%3Ag/comments/..x", 1).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    let response = conv.api.tickets.get_comment("a/b?c#d%e@f:g", "..x").await.unwrap();
    assert_eq!(response.status_code(), 200);
    // `\` and spaces too (`\` is a path separator to the URL standard for http)
    let backslashes = "/api/v2/tickets/a%5Cb%20c%5C..%5C/comments/%5C%5Cevil.example";
    Mock::given(method("GET"))
        .and(path(backslashes))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let response = conv.api.tickets.get_comment("a\\b c\\..\\", "\\\\evil.example").await.unwrap();
    assert_eq!(response.status_code(), 200);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.iter().map(|request| request.url.query()).collect::<Vec<_>>(), [None, None]);
}

#[tokio::test]
async fn numbers_and_other_display_values_are_path_variables() {
    let server = server_expecting("GET", "/api/v2/tickets/42/comments/7", 1).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    assert!(conv.api.tickets.get_comment(42, 7u8).await.unwrap().is_success());
}

#[tokio::test]
async fn dot_segments_and_empty_values_are_rejected_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&server).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    for value in [".", "..", "%2e", "%2E", "%2E%2e", "%2e%2e", ".%2e", "%2e.", ".%2E", "%2E.", ""] {
        let error = conv.api.tickets.get_ticket(value).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{value:?}: {error}");
        assert!(error.to_string().contains("`ticket_id`"), "{error}");
        assert!(error.to_string().ends_with("; nothing was sent"), "{error}");
        assert_eq!((error.api(), error.operation()), (Some("tickets"), Some("get_ticket")));
        // no URL was sent: the base URL and the resource as written stand for it
        let expected = format!("{}/api/v2/tickets/{{ticket_id}}", server.uri());
        assert_eq!(error.url(), Some(expected.as_str()), "{value:?}");
    }
    let missing = conv.api.tickets.get_comment(1, "").await.unwrap_err();
    let expected = format!("{}/api/v2/tickets/{{ticket_id}}/comments/{{comment_id}}", server.uri());
    assert_eq!(missing.url(), Some(expected.as_str()));
    assert_eq!(received(&server).await, 0);
}

/// A resource's own dot segments (a warning in the definitions) are resolved as
/// Python `requests` resolves them: the call goes to the path they stand for, under
/// the base URL's path, and the log and errors show that URL.
#[tokio::test]
async fn a_resource_with_its_own_dot_segments_goes_to_the_path_they_stand_for() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/items/7/"))
        .respond_with(ResponseTemplate::new(200))
        .expect(2)
        .mount(&server)
        .await;
    let yaml = format!(
        "api_integrations:\n  - name: shop\n    environments: {{ sandbox: {{ base_url: \"{}/api\" }} }}\n    operations:\n      - {{ name: get_item, method: GET, resource: \"/v1/../v2/./items/{{id}}/%2e\" }}\n",
        server.uri()
    );
    let apis = conv_api_runtime::DynamicApis::parse("apis.yaml", &yaml).unwrap();
    let warnings = apis.warnings().map(ToString::to_string).unwrap_or_default();
    assert!(warnings.contains("calls go to `/v2/items/{id}/` under the base URL"), "{warnings}");
    let conv = Runtime::builder().environment(Environment::Sandbox).build().unwrap().dynamic_conversation(&apis);
    for _ in 0..2 {
        let response = conv.api.call("shop", "get_item").arg("id", 7).await.unwrap();
        assert_eq!(response.status_code(), 200);
    }
    let logged = conv.log.entries().into_iter().filter_map(|entry| entry.request).next_back().unwrap();
    assert_eq!(logged.url, format!("{}/api/v2/items/7/", server.uri()));
}

#[tokio::test]
async fn template_and_user_query_pairs_are_encoded_by_the_url_library() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/search"))
        .and(query_param("q", "a&b=c d"))
        .and(query_param("limit", "10"))
        .and(query_param("include", "users"))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    let response = conv.api.tickets.search("a&b=c d").query(&[("include", "users")]).query(&[("page", 2)]).await;
    assert_eq!(response.unwrap().status_code(), 200);
    // keys too, not only values: each pair arrives as given
    Mock::given(method("GET"))
        .and(path("/api/v2/tickets/1"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let pairs = [("a&b=c", "d#e"), ("f g", "h+i%j"), ("k", "")];
    conv.api.tickets.get_ticket(1).query(&pairs).await.unwrap();
    let received = server.received_requests().await.unwrap();
    let got: Vec<(String, String)> = received[1].url.query_pairs().into_owned().collect();
    let expected: Vec<(String, String)> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    assert_eq!(got, expected);
}

#[tokio::test]
async fn json_bodies_are_sent_with_their_content_type() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/tickets"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"subject": "help", "priority": 2})))
        .respond_with(ResponseTemplate::new(201))
        .expect(1)
        .mount(&server)
        .await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    let response = conv.api.tickets.create_ticket().json(&json!({"subject": "help", "priority": 2})).await.unwrap();
    assert_eq!(response.status_code(), 201);
}

#[tokio::test]
async fn a_content_type_set_as_a_header_is_kept_whichever_comes_first() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("content-type", "application/merge-patch+json"))
        .and(body_json(json!({"priority": 3})))
        .respond_with(ResponseTemplate::new(200))
        .expect(2)
        .mount(&server)
        .await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    let patch = json!({"priority": 3});
    let before = conv.api.tickets.create_ticket().header("Content-Type", "application/merge-patch+json").json(&patch);
    assert_eq!(before.await.unwrap().status_code(), 200);
    let after = conv.api.tickets.create_ticket().json(&patch).header("content-type", "application/merge-patch+json");
    assert_eq!(after.await.unwrap().status_code(), 200);
}

#[tokio::test]
async fn form_bodies_are_urlencoded() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string("subject=need+help&tag=a%26b"))
        .respond_with(ResponseTemplate::new(201))
        .expect(1)
        .mount(&server)
        .await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    let response = conv.api.tickets.create_ticket().form(&[("subject", "need help"), ("tag", "a&b")]).await.unwrap();
    assert_eq!(response.status_code(), 201);
}

/// A conversation over an API at `server` with a `POST`, a `PUT`, a `DELETE` and a
/// `GET`, retried at once.
fn bookings(server: &MockServer) -> Conv<conv_api_runtime::DynamicApi> {
    let yaml = format!(
        "api_integrations:\n  - name: bookings\n    environments: {{ sandbox: {{ base_url: \"{}\" }} }}\n    operations:\n      - {{ name: create, method: POST, resource: /bookings }}\n      - {{ name: update, method: PUT, resource: \"/bookings/{{id}}\" }}\n      - {{ name: cancel, method: DELETE, resource: \"/bookings/{{id}}\" }}\n      - {{ name: get, method: GET, resource: \"/bookings/{{id}}\" }}\n",
        server.uri()
    );
    let apis = conv_api_runtime::DynamicApis::parse("apis.yaml", &yaml).unwrap();
    let quick = conv_api_runtime::RetryPolicy {
        attempts: 2,
        base_delay: std::time::Duration::from_millis(1),
        max_delay: std::time::Duration::from_millis(2),
    };
    let runtime = Runtime::builder().environment(Environment::Sandbox).retry(quick).build().unwrap();
    runtime.dynamic_conversation(&apis)
}

#[tokio::test]
async fn raw_bodies_are_sent_as_they_are_with_the_content_type_the_caller_sets() {
    let server = MockServer::start().await;
    let xml = format!("<booking><guest>{}</guest></booking>", "Ada &amp; Bo");
    Mock::given(method("POST"))
        .and(header("content-type", "application/xml"))
        .and(body_string(xml.as_str()))
        .respond_with(ResponseTemplate::new(201))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("PUT")).respond_with(ResponseTemplate::new(200)).expect(1).mount(&server).await;
    let conv = bookings(&server);
    let text = conv.api.call("bookings", "create").header("Content-Type", "application/xml").body(&xml);
    assert_eq!(text.await.unwrap().status_code(), 201);
    let owned = conv.api.call("bookings", "create").body(xml).header("content-type", "application/xml");
    assert_eq!(owned.await.unwrap().status_code(), 201);
    let bytes: &[u8] = &[0, 159, 146, 150];
    let response = conv.api.call("bookings", "update").arg("id", 7).body(bytes).await.unwrap();
    assert_eq!(response.status_code(), 200);
    let requests = server.received_requests().await.unwrap();
    let put = requests.iter().find(|request| request.method.as_str() == "PUT").unwrap();
    assert_eq!(put.body, bytes, "bytes as they are");
    assert!(put.headers.get("content-type").is_none(), "no type the caller did not set: {:?}", put.headers);
}

#[tokio::test]
async fn a_request_without_a_body_but_a_get_says_its_length_is_zero_as_requests_does() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any()).respond_with(ResponseTemplate::new(200)).expect(6).mount(&server).await;
    let conv = bookings(&server);
    conv.api.call("bookings", "create").await.unwrap();
    conv.api.call("bookings", "create").body("").await.unwrap();
    conv.api.call("bookings", "update").arg("id", 7).await.unwrap();
    conv.api.call("bookings", "update").arg("id", 7).body("x").await.unwrap();
    conv.api.call("bookings", "cancel").arg("id", 7).await.unwrap();
    conv.api.call("bookings", "get").arg("id", 7).await.unwrap();
    let lengths: Vec<Option<String>> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|request| request.headers.get("content-length").map(|value| value.to_str().unwrap().to_string()))
        .collect();
    let length = |text: &str| Some(text.to_string());
    assert_eq!(lengths, [length("0"), length("0"), length("0"), length("1"), length("0"), None]);
}

#[tokio::test]
async fn a_redirect_keeps_the_length_of_a_post_it_repeats_and_drops_it_for_a_get() {
    let server = MockServer::start().await;
    let to = |status: u16, location: &str| ResponseTemplate::new(status).insert_header("location", location);
    Mock::given(method("POST")).and(path("/bookings")).respond_with(to(303, "/bookings/7")).mount(&server).await;
    Mock::given(method("PUT")).and(path("/bookings/7")).respond_with(to(307, "/bookings/8")).mount(&server).await;
    Mock::given(wiremock::matchers::any()).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let conv = bookings(&server);
    let created = conv.api.call("bookings", "create").await.unwrap();
    let updated = conv.api.call("bookings", "update").arg("id", 7).await.unwrap();
    // where each answer came from, in the response and in the log
    let at = |path: &str| format!("{}{path}", server.uri());
    assert_eq!(created.redirected_to(), Some(at("/bookings/7").as_str()));
    assert_eq!(created.url(), Some(at("/bookings").as_str()));
    assert_eq!(updated.redirected_to(), Some(at("/bookings/8").as_str()));
    let entries = conv.log.entries();
    let request = entries[0].request.as_ref().unwrap();
    assert_eq!(request.redirected_to.as_deref(), Some(at("/bookings/7").as_str()));
    assert_eq!(entries[0].message, format!("POST bookings.create -> 200 from {} (redirected)", at("/bookings/7")));
    assert_eq!(entries[0].to_json()["request"]["redirected_to"], at("/bookings/7"));
    // a call answered where it asked has none
    let plain = conv.api.call("bookings", "update").arg("id", 9).await.unwrap();
    assert_eq!(plain.redirected_to(), None);
    assert!(conv.log.entries()[2].to_json()["request"].get("redirected_to").is_none());
    let sent: Vec<(String, String, Option<String>)> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|request| {
            let length = request.headers.get("content-length").map(|value| value.to_str().unwrap().to_string());
            (request.method.to_string(), request.url.path().to_string(), length)
        })
        .collect();
    let zero = || Some("0".to_string());
    let expected = [
        ("POST", "/bookings", zero()),
        ("GET", "/bookings/7", None),
        ("PUT", "/bookings/7", zero()),
        ("PUT", "/bookings/8", zero()),
        ("PUT", "/bookings/9", zero()),
    ]
    .map(|(method, path, length)| (method.to_string(), path.to_string(), length));
    assert_eq!(sent, expected);
}

/// A redirect to the same path with another query is one too, and an error status
/// from there says where it came from; so is one whose answer's body does not
/// arrive whole, whose status and headers the log keeps.
#[tokio::test]
async fn a_redirect_to_another_query_or_to_an_answer_cut_short_is_told() {
    let server = MockServer::start().await;
    let to = |location: &str| ResponseTemplate::new(302).insert_header("location", location);
    Mock::given(path("/bookings/1"))
        .and(query_param("page", "1"))
        .respond_with(to("/bookings/1?page=2"))
        .mount(&server)
        .await;
    Mock::given(path("/bookings/1"))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    Mock::given(path("/bookings/2")).respond_with(to("/bookings/3")).mount(&server).await;
    Mock::given(path("/bookings/3"))
        .respond_with(ResponseTemplate::new(200).set_body_string("x".repeat(64)))
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::any()).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let yaml = format!(
        "api_integrations:\n  - name: bookings\n    environments: {{ sandbox: {{ base_url: \"{}\" }} }}\n    operations:\n      - {{ name: get, method: GET, resource: \"/bookings/{{id}}\" }}\n",
        server.uri()
    );
    let apis = conv_api_runtime::DynamicApis::parse("apis.yaml", &yaml).unwrap();
    let runtime = Runtime::builder().environment(Environment::Sandbox).max_body_bytes(10).build().unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    let paged = conv.api.call("bookings", "get").arg("id", 1).query(&[("page", 1)]).await.unwrap();
    assert_eq!(paged.redirected_to(), Some(format!("{}/bookings/1?page=2", server.uri()).as_str()));
    // an error from where the redirect led names that place, not only the URL sent
    let gone = paged.raise_for_status().unwrap_err();
    let from = format!("the server answered 404 Not Found from {}/bookings/1?page=2 (redirected) with an empty body; the server redirected the call to a URL where it has nothing: check the call's path variables, then ask the API's owners where the resource went", server.uri());
    assert!(gone.to_string().contains(&from), "{gone}");
    let error = conv.api.call("bookings", "get").arg("id", 2).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::BodyTooLarge, "{error}");
    let entries = conv.log.entries();
    let cut = entries.last().and_then(|entry| entry.request.as_ref()).unwrap();
    assert_eq!((cut.status, cut.redirected_to.clone()), (Some(200), Some(format!("{}/bookings/3", server.uri()))));
}

#[tokio::test]
async fn a_retried_call_sends_its_raw_body_on_every_attempt() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(body_string("status=closed"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(body_string("status=closed"))
        .respond_with(ResponseTemplate::new(200))
        .with_priority(2)
        .expect(1)
        .mount(&server)
        .await;
    let response = bookings(&server).api.call("bookings", "update").arg("id", 7).body("status=closed").await;
    assert_eq!(response.unwrap().status_code(), 200);
}

#[tokio::test]
async fn headers_are_sent() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(header("x-request-source", "agent"))
        .and(header("x-attempt-budget", "2"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    let source = String::from("agent");
    let response =
        conv.api.tickets.delete_ticket(1).header("X-Request-Source", &source).header("X-Attempt-Budget", 2).await;
    assert_eq!(response.unwrap().status_code(), 204);
}

#[tokio::test]
async fn header_values_are_sent_as_latin1_as_requests_sends_them_and_logged_as_the_text_given() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE")).respond_with(ResponseTemplate::new(204)).expect(2).mount(&server).await;
    let runtime = runtime(&server);
    let conv: Conv<TestApi> = runtime.conversation();
    let response = conv.api.tickets.delete_ticket(1).header("X-Caller", "José Müller").await.unwrap();
    assert_eq!(response.status_code(), 204);
    let sent = server.received_requests().await.unwrap();
    // what Python's `http.server`, WSGI, Node and servlets read as `José Müller`; UTF-8's
    // `Jos\xc3\xa9` they read as `JosÃ©`
    assert_eq!(sent[0].headers["x-caller"].as_bytes(), b"Jos\xe9 M\xfcller");
    let call = conv.log.entries()[0].request.clone().unwrap();
    let logged = call.request_headers.iter().find(|(name, _)| name == "x-caller").map(|(_, value)| value.as_str());
    assert_eq!(logged, Some("José Müller"));
    // Latin-1 bytes that also read as UTF-8 (`É®` is `0xC9 0xAE`, UTF-8's `ɮ`) are
    // logged as the text given, and a known secret among them is masked
    let partner = "Straß§-partner-k3y";
    runtime.redactor().add_secret(&conv_api_runtime::SecretString::from(partner));
    let call = conv.api.tickets.delete_ticket(2).header("X-Brand", "NESCAFÉ®").header("X-Partner", partner);
    call.await.unwrap();
    let logged = conv.log.entries()[1].request.clone().unwrap().request_headers;
    let shown = |name: &str| logged.iter().find(|(key, _)| key == name).map(|(_, value)| value.clone());
    assert_eq!((shown("x-brand").as_deref(), shown("x-partner").as_deref()), (Some("NESCAFÉ®"), Some("***")));

    // no byte of Latin-1 is `€`: refused, as requests refuses it, before anything is sent
    let error = conv.api.tickets.delete_ticket(1).header("X-Price", "5 €").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    let says = "the value of header `X-Price` holds `€` (U+20AC), a character beyond Latin-1 (ISO-8859-1), which an HTTP header cannot carry";
    assert!(error.to_string().contains(says), "{error}");
    assert!(error.to_string().contains("send it in the body, or percent-encode it"), "{error}");
    let error = Runtime::builder().user_agent("agent ☎").build().unwrap_err();
    assert!(error.to_string().contains("`Runtime::builder().user_agent(..)` holds `☎` (U+260E)"), "{error}");
}

#[tokio::test]
async fn every_call_says_who_calls_in_its_user_agent_unless_the_call_sets_one() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(2).mount(&server).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    conv.api.tickets.get_ticket(1).await.unwrap();
    conv.api.tickets.get_ticket(2).header("user-agent", "acme-voice-agent/2.1").await.unwrap();
    let agents: Vec<Vec<String>> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|request| {
            let values = request.headers.get_all("user-agent").iter();
            values.map(|value| value.to_str().unwrap().to_string()).collect()
        })
        .collect();
    let ours = format!("conv-api/{}", env!("CARGO_PKG_VERSION"));
    assert_eq!(conv_api_runtime::USER_AGENT, ours);
    assert_eq!(agents, [vec![ours], vec!["acme-voice-agent/2.1".to_string()]]);
}

#[tokio::test]
async fn the_runtime_can_say_another_user_agent_and_a_call_still_sets_its_own() {
    let server = MockServer::start().await;
    Mock::given(header("user-agent", "acme-voice-agent/2.1"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(header("user-agent", "probe/1"))
        .respond_with(ResponseTemplate::new(203))
        .expect(1)
        .mount(&server)
        .await;
    let runtime =
        support::sandbox_builder(server.uri() + "/api/v2").user_agent("acme-voice-agent/2.1").build().unwrap();
    let conv: Conv<TestApi> = runtime.conversation();
    assert_eq!(conv.api.tickets.get_ticket(1).await.unwrap().status_code(), 200);
    assert_eq!(conv.api.tickets.get_ticket(1).header("User-Agent", "probe/1").await.unwrap().status_code(), 203);

    let error = Runtime::builder().user_agent("acme\r\nX-Injected: 1").build().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Config);
    assert!(
        error.to_string().contains("`Runtime::builder().user_agent(..)` has a line break or another control character"),
        "{error}"
    );
}

#[tokio::test]
async fn a_header_set_twice_keeps_its_last_value() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(1).mount(&server).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    conv.api.tickets.get_ticket(1).header("X-Tag", "first").header("x-tag", "second").await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let values: Vec<&str> = requests[0].headers.get_all("x-tag").iter().map(|v| v.to_str().unwrap()).collect();
    assert_eq!(values, ["second"]);
}

#[tokio::test]
async fn headers_the_client_writes_from_the_request_are_refused_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&server).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    // a `Content-Length: 3` cut a JSON body short, and a GET's never came
    for (name, value) in
        [("Content-Length", "3"), ("transfer-encoding", "chunked"), ("Host", "evil.example"), ("Connection", "close")]
    {
        let call = conv.api.tickets.create_ticket().json(&serde_json::json!({ "subject": "0123456789" }));
        let error = call.header(name, value).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{name}: {error}");
        let message = error.to_string();
        assert!(
            message.contains("is written by the HTTP client from the request itself")
                && message.contains("nothing was sent"),
            "{message}"
        );
    }
}

#[tokio::test]
async fn headers_with_line_breaks_or_other_controls_are_rejected_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&server).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    let cases = [
        ("X-A", "v\r\nInjected: yes"),
        ("X-A", "v\nw"),
        ("X-A", "v\u{7}"),
        ("X-A", "v\0"),
        ("X-A", "v\u{7f}"),
        ("X-A", "v\tw"),
        ("X-A", "v\u{85}w"),
        ("X-A", "v\u{1b}[31m"),
        ("X-A", "v\u{b}"),
        ("X-A", "v\u{c}"),
        ("X-A", "\r"),
        ("X-A\r\nB", "v"),
        ("X-\u{1b}A", "v"),
        ("X-A\0", "v"),
        ("bad name", "v"),
    ];
    for (name, value) in cases {
        let error = conv.api.tickets.get_ticket(1).header(name, value).query(&[("page", "2")]).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{name:?}: {error}");
        assert!(error.to_string().contains("nothing was sent"), "{error}");
        // the URL the call would have gone to: its path variables were fine
        assert_eq!(error.url(), Some(format!("{}/api/v2/tickets/1?page=2", server.uri()).as_str()));
    }
    assert_eq!(received(&server).await, 0);
}

/// A server drops a value's leading spaces (RFC 9110 5.5): it would read `Ada` where
/// the log says ` Ada` was sent. Python `requests` refuses such values too; a space
/// at the end it sends, and so does the runtime.
#[tokio::test]
async fn a_header_value_starting_with_a_space_is_refused_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    for (value, said) in [(" Ada", "starts with a space"), (" Ada ", "starts with a space"), ("   ", "is only spaces")]
    {
        let error = conv.api.tickets.get_ticket(1).header("X-Name", value).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{value:?}: {error}");
        let message = error.to_string();
        assert!(message.contains(&format!("the value of header `X-Name` {said}")), "{message}");
        assert!(message.contains("nothing was sent"), "{message}");
    }
    // with another problem, both are told at once
    let error = conv.api.tickets.get_ticket(1).header("X-Name", " Ada €").await.unwrap_err().to_string();
    assert!(error.contains("starts with a space, which a server drops"), "{error}");
    assert!(error.contains(", and it holds `€`"), "{error}");
    assert_eq!(received(&server).await, 0);
    conv.api.tickets.get_ticket(1).header("X-Name", "Ada ").header("X-Empty", "").await.unwrap();
    let sent = &server.received_requests().await.unwrap()[0];
    assert_eq!(sent.headers["x-name"], "Ada", "a space at the end is sent, and dropped by the server");
    assert_eq!(sent.headers["x-empty"], "");
}

/// A value whose `Display` writes a little, then fails, as no well-made one does.
struct FailingDisplay;

impl std::fmt::Display for FailingDisplay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("part")?;
        Err(std::fmt::Error)
    }
}

#[tokio::test]
async fn a_value_whose_display_fails_is_an_invalid_argument_not_a_panic() {
    let server = MockServer::start().await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    let failed = "its `Display` implementation returned an error";
    let error = conv.api.tickets.get_comment(1, FailingDisplay).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    assert!(error.to_string().contains(&format!("path variable `comment_id`: {failed}")), "{error}");
    let error = conv.api.tickets.get_ticket(1).header("X-Tag", FailingDisplay).await.unwrap_err();
    assert!(error.to_string().contains(&format!("the value of header `X-Tag`: {failed}")), "{error}");
    let apis = conv_api_runtime::DynamicApis::parse("apis.yaml", support::YAML).unwrap();
    let dynamic = runtime(&server).dynamic_conversation(&apis);
    let error = dynamic.api.call("tickets", "get_ticket").arg("ticket_id", FailingDisplay).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    assert!(error.to_string().contains(&format!("path variable `ticket_id`: {failed}")), "{error}");
    assert_eq!(received(&server).await, 0);
    assert_eq!(conv.log.entries().len(), 2, "each refused call is logged");
}

#[tokio::test]
async fn a_url_too_long_to_send_is_an_invalid_argument_with_a_short_message() {
    let server = MockServer::start().await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    let error = conv.api.tickets.get_ticket("x".repeat(100_000)).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{error}");
    assert!(error.to_string().contains("more than the 65534 an HTTP request can carry"), "{error}");
    assert!(error.to_string().len() < 1_000, "{} bytes", error.to_string().len());
    let error = conv.api.tickets.search("y".repeat(100_000)).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{error}");
    assert_eq!(received(&server).await, 0);
}

#[tokio::test]
async fn a_body_that_cannot_be_serialized_is_an_invalid_argument() {
    let server = MockServer::start().await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    let nested = json!({"a": {"b": 1}});
    let error = conv.api.tickets.create_ticket().form(&nested).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    assert!(error.to_string().contains("the form body's `a` is a map or struct, which has no text to send"), "{error}");
    let error = conv.api.tickets.get_ticket(1).query(&nested).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    assert!(error.to_string().contains("the query's `a` is a map or struct"), "{error}");
    // a float JSON cannot carry, which serde_json would send as `null`, as requests refuses it
    let prices = std::collections::BTreeMap::from([("total", vec![12.5, f64::NAN])]);
    let error = conv.api.tickets.create_ticket().json(&prices).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    assert!(error.to_string().contains("the JSON body holds `NaN` at `total[1]`, which JSON cannot carry"), "{error}");
    // a map keyed by what no JSON object's key can be is told how to key it
    let pairs = std::collections::BTreeMap::from([((1, 2), "a pair as a key")]);
    let error = conv.api.tickets.create_ticket().json(&pairs).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    let told = "the JSON body cannot be serialized: key must be a string; a JSON object's keys are text: key the map by strings";
    assert!(error.to_string().contains(told), "{error}");
    assert_eq!(received(&server).await, 0);
}

#[tokio::test]
async fn query_and_form_fields_leave_out_nulls_and_repeat_the_name_of_a_list_as_requests_does() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(1).mount(&server).await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(201)).expect(1).mount(&server).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    // the port of `params={"status": status, "tags": tags}` with `status` None
    let fields = json!({ "status": null, "tags": ["vip", "late"], "page": 2 });
    conv.api.tickets.get_ticket(1).query(&fields).await.unwrap();
    conv.api.tickets.create_ticket().form(&fields).await.unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(received[0].url.query(), Some("tags=vip&tags=late&page=2"));
    assert_eq!(String::from_utf8_lossy(&received[1].body), "tags=vip&tags=late&page=2");
}

#[tokio::test]
async fn an_environment_without_base_url_is_not_configured() {
    let runtime = Runtime::builder().environment(Environment::Sandbox).build().unwrap();
    let conv: Conv<TestApi> = runtime.conversation();
    let error = conv.api.tickets.get_ticket(1).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NotConfigured);
    let message = error.to_string();
    // `base_url: ""` is written: it is set, not added (a second one is a duplicate key)
    assert!(
        message.contains("API `tickets` is not configured for environment `sandbox` (its `base_url` is empty: not wired up yet); set `base_url` under `environments: sandbox:`"),
        "{message}"
    );

    let live = Runtime::builder().environment(Environment::Live).build().unwrap();
    let error = live.conversation::<TestApi>().api.tickets.get_ticket(1).await.unwrap_err();
    let message = error.to_string();
    assert!(
        error.is_not_configured()
            && message.contains("`live` (no base URL); add `base_url` under `environments: live:`"),
        "{message}"
    );
}

#[tokio::test]
async fn the_base_url_override_wins_in_every_environment() {
    let server = server_expecting("GET", "/api/v2/tickets/1", 1).await;
    let runtime = Runtime::builder()
        .environment(Environment::PreRelease)
        .base_url("tickets", format!("{}/api/v2/", server.uri()))
        .build()
        .unwrap();
    let conv: Conv<TestApi> = runtime.conversation();
    assert_eq!(conv.api.tickets.get_ticket(1).await.unwrap().status_code(), 200);
}

#[test]
fn a_base_url_override_with_a_character_that_shows_as_nothing_is_refused_with_it_escaped() {
    // U+202E would reorder the rest of a terminal's line, U+200B hide itself
    for invisible in ['\u{200b}', '\u{202e}', '\u{feff}'] {
        let url = format!("http://127.0.0.1:1/api{invisible}/v2");
        let error = Runtime::builder().base_url("tickets", &url).build().expect_err("an invisible character");
        let message = error.to_string();
        let escaped = invisible.escape_default().to_string();
        assert!(
            message.contains(&format!("`http://127.0.0.1:1/api{escaped}/v2`, which holds `{escaped}`")),
            "{message}"
        );
        assert!(!message.contains(invisible), "{message:?}");
    }
}

/// URL resolution removes a `..` segment with the one before it: calls to
/// `/api/../admin` would go to `/admin`, as the definitions file's base URL is told.
#[test]
fn a_base_url_override_with_a_dot_segment_is_refused() {
    for url in ["http://127.0.0.1:1/api/../admin", "http://127.0.0.1:1/api/%2e%2E/admin", "http://127.0.0.1:1/./v2"] {
        let error = Runtime::builder().base_url("tickets", url).build().expect_err("a dot segment");
        assert_eq!(error.kind(), ErrorKind::Config);
        assert!(error.to_string().contains("a `.` or `..` segment in its path"), "{error}");
        assert!(error.to_string().contains("requests go to `http://127.0.0.1:1/"), "{error}");
    }
}

#[tokio::test]
async fn auth_without_its_secrets_fails_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&server).await;
    let runtime = Runtime::builder()
        .environment(Environment::Sandbox)
        .base_url("billing", server.uri())
        .secrets(MapSecretStore::new())
        .build()
        .unwrap();
    let conv: Conv<TestApi> = runtime.conversation();
    let error = conv.api.billing.get_invoice(1).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::MissingSecret);
    assert!(error.to_string().contains("`BILLING_SANDBOX_USERNAME`"), "{error}");
    assert_eq!(received(&server).await, 0);
}

#[test]
fn the_secrets_a_generated_api_lacks_can_be_checked_at_start_up() {
    // `billing` is wired in Sandbox with Basic auth; `tickets` has no auth
    let store = conv_api_runtime::MapSecretStore::new().with("BILLING_SANDBOX_USERNAME", "agent");
    let runtime = support::sandbox_builder("http://127.0.0.1:9").secrets(store).build().unwrap();
    let missing: Vec<String> = runtime.missing_secrets::<TestApi>().iter().map(ToString::to_string).collect();
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert!(missing[0].starts_with("missing secret `BILLING_SANDBOX_PASSWORD`"), "{missing:?}");
    let live = conv_api_runtime::Runtime::builder().environment(conv_api_runtime::Environment::Live).build().unwrap();
    assert!(live.missing_secrets::<TestApi>().is_empty(), "no API is wired in Live");
}

/// An `Api` whose `get_ticket` is made with no value for its variable, as generated
/// code of another version might make it.
struct Skewed {
    api: conv_api_runtime::__private::ApiHandle,
}

impl conv_api_runtime::__private::ApiSet for Skewed {
    fn definitions() -> &'static conv_api_runtime::__private::Definitions {
        <TestApi as conv_api_runtime::__private::ApiSet>::definitions()
    }

    fn bind(bindings: &conv_api_runtime::__private::Bindings) -> Self {
        Skewed { api: bindings.api(0) }
    }
}

#[tokio::test]
async fn a_value_given_by_name_to_a_request_made_without_its_place_is_an_error() {
    let server = wiremock::MockServer::start().await;
    let conv: conv_api_runtime::Conv<Skewed> = runtime(&server).conversation();
    let error = conv.api.api.request(0, &[]).arg("ticket_id", 7).await.unwrap_err();
    assert_eq!(error.kind(), conv_api_runtime::ErrorKind::InvalidArgument, "{error}");
    assert!(error.to_string().contains("made with 0 value(s) for 1 variable(s)"), "{error}");
    assert_eq!(received(&server).await, 0);
}
