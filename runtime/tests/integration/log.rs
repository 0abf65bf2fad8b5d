//! The conversation log: notes and one entry per call, in order, with secrets masked.

use crate::support;

use base64::Engine;
use conv_api_runtime::{Conv, DynamicApis, Environment, ErrorKind, Level, RequestRecord, Runtime, SecretString};
use serde_json::Value;
use support::{calls, recorded, runtime, sandbox_builder, stalled_body_server, TestApi};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server_answering(status: u16) -> MockServer {
    let server = MockServer::start().await;
    let template =
        ResponseTemplate::new(status).insert_header("set-cookie", "session=s3ss10n").insert_header("x-trace", "t1");
    Mock::given(method("GET")).respond_with(template).mount(&server).await;
    server
}

#[tokio::test]
async fn notes_and_calls_are_logged_in_order() {
    let server = server_answering(200).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    conv.log.info("looking up");
    conv.api.tickets.get_ticket(7).await.unwrap();
    conv.log.warning("slow caller");
    let _ = conv.api.tickets.get_ticket("..").await.unwrap_err();
    conv.log.error("gave up");

    let entries = conv.log.entries();
    let levels: Vec<Level> = entries.iter().map(|entry| entry.level).collect();
    assert_eq!(levels, [Level::Info, Level::Info, Level::Warning, Level::Error, Level::Error]);
    assert_eq!(entries[0].message, "looking up");
    assert!(entries[0].request.is_none());

    let call = entries[1].request.as_ref().expect("a request entry");
    assert_eq!((&*call.api, &*call.operation, &*call.method), ("tickets", "get_ticket", "GET"));
    assert_eq!(call.status, Some(200));
    assert_eq!(call.attempt, 1);
    assert!(call.url.ends_with("/api/v2/tickets/7"), "{}", call.url);
    assert_eq!(call.error, None);

    let failed = entries[3].request.as_ref().expect("a request entry for the rejected call");
    assert_eq!(failed.error_kind, Some(ErrorKind::InvalidArgument));
    assert_eq!(failed.status, None);
    assert!(failed.url.ends_with("/api/v2/tickets/{ticket_id}"), "{}", failed.url);
    assert!(failed.error.as_deref().unwrap().contains("`ticket_id`"));
}

#[tokio::test]
async fn a_request_record_its_level_and_error_kind_serialize_as_the_log_writes_them() {
    let server = server_answering(200).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    let _ = conv.api.tickets.get_ticket("..").await.unwrap_err();
    let entry = &conv.log.entries()[0];
    let record = entry.request.as_ref().expect("a request entry");
    let line: Value = serde_json::from_str(&conv.log.to_jsonl()).unwrap();

    assert_eq!(serde_json::to_value(record).unwrap(), line["request"]);
    assert_eq!(serde_json::to_value(entry.level).unwrap(), line["level"]);
    assert_eq!(serde_json::to_value(record.error_kind).unwrap(), line["request"]["error_kind"]);
    assert_eq!(line["request"]["error_kind"], "invalid argument");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn entries_written_at_once_from_many_threads_are_in_time_order() {
    let server = server_answering(200).await;
    let conv: std::sync::Arc<Conv<TestApi>> = std::sync::Arc::new(runtime(&server).conversation());
    let tasks: Vec<_> = (0..8)
        .map(|task| {
            let conv = std::sync::Arc::clone(&conv);
            tokio::spawn(async move {
                for note in 0..300 {
                    conv.log.entry(Level::Info, "note").field("task", task).field("note", note).record();
                    if note % 60 == 0 {
                        conv.api.tickets.get_ticket(task).await.unwrap();
                    }
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let entries = conv.log.entries();
    assert_eq!(entries.len(), 8 * (300 + 5));
    let out_of_order = entries.windows(2).filter(|pair| pair[1].timestamp < pair[0].timestamp).count();
    assert_eq!(out_of_order, 0, "every entry's time is at or after the one before it");
}

/// The log read in every way while 64 calls write to it: each read is a prefix of
/// the final log, and reads from where the last one ended see each entry once, in
/// order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_log_read_while_calls_write_to_it_shows_each_entry_once_in_order() {
    let server = MockServer::start().await;
    let answer = ResponseTemplate::new(200).set_delay(std::time::Duration::from_millis(5));
    Mock::given(method("GET")).respond_with(answer).expect(64).mount(&server).await;
    let conv: std::sync::Arc<Conv<TestApi>> = std::sync::Arc::new(runtime(&server).conversation());
    let tasks: Vec<_> = (0..64)
        .map(|n| {
            let conv = std::sync::Arc::clone(&conv);
            tokio::spawn(async move {
                conv.log.info(format!("before {n}"));
                conv.api.tickets.get_ticket(n).await.unwrap();
                conv.log.info(format!("after {n}"));
            })
        })
        .collect();
    let (mut read, mut snapshots) = (Vec::new(), Vec::new());
    while tasks.iter().any(|task| !task.is_finished()) {
        read.extend(conv.log.entries_since(read.len()));
        snapshots.push(conv.log.entries());
        let _ = conv.log.to_jsonl();
        tokio::task::yield_now().await;
    }
    for task in tasks {
        task.await.unwrap();
    }
    read.extend(conv.log.entries_since(read.len()));
    let all = conv.log.entries();
    assert_eq!(all.len(), 64 * 3);
    assert_eq!(read, all, "each entry once, in order");
    for snapshot in snapshots {
        assert_eq!(snapshot[..], all[..snapshot.len()], "each read is a prefix of the log");
    }
}

#[tokio::test]
async fn a_call_is_logged_when_awaited_whether_it_is_sent_or_refused() {
    let server = server_answering(200).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    let (sent, refused) = (conv.api.tickets.get_ticket(7).send(), conv.api.tickets.get_ticket("..").send());
    let unawaited = conv.api.tickets.get_ticket("").send();
    conv.log.info("before the calls");
    let _ = refused.await.unwrap_err();
    sent.await.unwrap();
    drop(unawaited);
    let order: Vec<String> = conv
        .log
        .entries()
        .iter()
        .map(|entry| entry.request.as_ref().map_or("note".to_string(), |call| format!("{:?}", call.error_kind)))
        .collect();
    assert_eq!(order, ["note", "Some(InvalidArgument)", "None"], "a call never awaited was never made");
}

#[tokio::test]
async fn sensitive_headers_and_query_values_are_masked() {
    // the API echoes the listed headers back: each is masked by name in the request and the response
    let server = MockServer::start().await;
    let echo = |request: &wiremock::Request| {
        let mut answer = ResponseTemplate::new(200)
            .insert_header("set-cookie", "session=s3ss10n")
            .append_header("set-cookie", "other=s3ss10n-2")
            .insert_header("x-trace", "t1");
        for name in ["authorization", "proxy-authorization", "cookie", "x-custom-key"] {
            if let Some(value) = request.headers.get(name) {
                answer = answer.insert_header(name, value.to_str().unwrap());
            }
        }
        answer
    };
    Mock::given(method("GET")).respond_with(echo).expect(1).mount(&server).await;
    // an API key in a header of the API's own naming, after a prefix the redactor alone would leave
    let yaml = format!(
        "api_integrations:\n  - name: crm\n    environments: {{ sandbox: {{ base_url: \"{}\", auth_type: apiKey, auth: {{ name: X-Custom-Key, prefix: Key }} }} }}\n    operations: [{{ name: get, method: GET, resource: /x }}]\n",
        server.uri()
    );
    let apis = DynamicApis::parse("apis.yaml", &yaml).unwrap();
    let store = conv_api_runtime::MapSecretStore::new().with("CRM_SANDBOX_API_KEY", "cust0m-k3y");
    let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(store).build().unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    conv.api
        .call("crm", "get")
        .header("Authorization", "Bearer t0k3n")
        .header("Proxy-Authorization", "Basic cHJveHk=")
        .header("Cookie", "id=c00k13")
        .header("X-Trace", "visible")
        .query(&[("api_key", "k3y"), ("page", "2")])
        .await
        .unwrap();
    let jsonl = conv.log.to_jsonl();
    let debug = format!("{:?}", conv.log.entries());
    for secret in ["t0k3n", "cHJveHk=", "c00k13", "s3ss10n", "k3y"] {
        assert!(!jsonl.contains(secret), "`{secret}` leaked: {jsonl}");
        assert!(!debug.contains(secret), "`{secret}` leaked: {debug}");
    }
    let call = conv.log.entries()[0].request.clone().unwrap();
    let header = |headers: &[(String, String)], name: &str| {
        headers.iter().find(|(key, _)| key == name).map(|(_, value)| value.clone())
    };
    assert_eq!(header(&call.request_headers, "x-trace").as_deref(), Some("visible"));
    assert_eq!(header(&call.response_headers, "x-trace").as_deref(), Some("t1"));
    let listed = ["authorization", "proxy-authorization", "cookie", "x-custom-key", "set-cookie"];
    for (headers, which, names) in
        [(&call.request_headers, "request", &listed[..4]), (&call.response_headers, "response", &listed[..])]
    {
        for name in names {
            let shown: Vec<&String> = headers.iter().filter(|(n, _)| n == name).map(|(_, v)| v).collect();
            assert!(!shown.is_empty(), "{which} {name} is missing from {headers:?}");
            assert!(shown.iter().all(|v| v.as_str() == "***"), "{which} {name}: {shown:?}");
        }
    }
    assert!(call.url.ends_with("?api_key=***&page=2"), "{}", call.url);
}

#[tokio::test]
async fn an_api_key_or_token_header_set_by_hand_on_an_api_without_auth_is_masked() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(1).mount(&server).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    let mut request = conv.api.tickets.get_ticket(1);
    let by_hand = ["X-API-Key", "Api-Key", "apikey", "X-Auth-Token", "X-Access-Token"];
    for (number, name) in by_hand.iter().enumerate() {
        request = request.header(*name, format!("h4nd-s3t-{number}"));
    }
    request.await.unwrap();
    assert!(!conv.log.to_jsonl().contains("h4nd-s3t"), "{}", conv.log.to_jsonl());
    let call = conv.log.entries()[0].request.clone().unwrap();
    let masked: Vec<&str> = call.request_headers.iter().filter(|(_, v)| v == "***").map(|(n, _)| n.as_str()).collect();
    assert_eq!(masked, ["x-api-key", "api-key", "apikey", "x-auth-token", "x-access-token"], "{call:?}");
}

#[tokio::test]
async fn a_redirect_target_in_a_response_header_is_shown_as_a_url_is() {
    let server = MockServer::start().await;
    let moved = ResponseTemplate::new(303)
        .insert_header("location", "https://agent:pa55@elsewhere.example/t?token=t0k3n&page=2")
        .insert_header("content-location", "/login?access_token=t0k3n&next=%2Fhome");
    Mock::given(method("GET")).respond_with(moved).mount(&server).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    assert_eq!(conv.api.tickets.get_ticket(1).await.unwrap().status_code(), 303);
    let call = conv.log.entries()[0].request.clone().unwrap();
    let shown = |name: &str| call.response_headers.iter().find(|(key, _)| key == name).map(|(_, value)| value.clone());
    assert_eq!(shown("location").as_deref(), Some("https://elsewhere.example/t?token=***&page=2"));
    assert_eq!(shown("content-location").as_deref(), Some("/login?access_token=***&next=%2Fhome"), "relative too");
    assert!(!conv.log.to_jsonl().contains("pa55") && !conv.log.to_jsonl().contains("t0k3n"));
}

/// A credential in the query of a URL inside another header (a `Link` to the next
/// page, relative or not), or of a hand-set request header, is masked in the log,
/// however the other headers look (no `@` among them to send them value by value).
#[tokio::test]
async fn a_credential_in_the_query_of_a_url_inside_any_header_is_masked() {
    let server = MockServer::start().await;
    let paged = ResponseTemplate::new(200)
        .insert_header("link", "</items?access_token=rel-tok-111&page=2>; rel=\"next\", <https://h.example/items?access_token=abs-tok-222&page=9>; rel=\"last\"")
        .insert_header("x-csp", "default-src 'self'; report-uri https://csp.example/r?api_key=csp-key-666");
    Mock::given(method("GET")).respond_with(paged).mount(&server).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    let request = conv.api.tickets.get_ticket(1).header("Referer", "https://app.example/page?access_token=ref-tok-888");
    request.await.unwrap();
    let call = conv.log.entries()[0].request.clone().unwrap();
    let shown = |name: &str| call.response_headers.iter().find(|(key, _)| key == name).map(|(_, value)| value.clone());
    let link = "</items?access_token=***&page=2>; rel=\"next\", <https://h.example/items?access_token=***&page=9>; rel=\"last\"";
    assert_eq!(shown("link").as_deref(), Some(link));
    assert_eq!(shown("x-csp").as_deref(), Some("default-src 'self'; report-uri https://csp.example/r?api_key=***"));
    let jsonl = conv.log.to_jsonl();
    for secret in ["rel-tok-111", "abs-tok-222", "csp-key-666", "ref-tok-888"] {
        assert!(!jsonl.contains(secret), "{secret}: {jsonl}");
    }
}

#[tokio::test]
async fn a_url_inside_another_response_header_is_shown_without_its_user_info() {
    let server = MockServer::start().await;
    let moved = ResponseTemplate::new(200)
        .insert_header("link", "<https://admin:pa55-link@other.example/z?page=2>; rel=next")
        .insert_header("refresh", "0; url=http://admin:pa55-refresh@other.example/w")
        .insert_header("x-contact", "ops@acme.example");
    Mock::given(method("GET")).respond_with(moved).mount(&server).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    let response = conv.api.tickets.get_ticket(1).await.unwrap();
    let call = conv.log.entries()[0].request.clone().unwrap();
    let shown = |name: &str| call.response_headers.iter().find(|(key, _)| key == name).map(|(_, value)| value.clone());
    assert_eq!(shown("link").as_deref(), Some("<https://other.example/z?page=2>; rel=next"));
    assert_eq!(shown("refresh").as_deref(), Some("0; url=http://other.example/w"));
    assert_eq!(shown("x-contact").as_deref(), Some("ops@acme.example"), "an address is no URL");
    assert!(!format!("{response:?}").contains("pa55"), "{response:?}");
    assert!(!conv.log.to_jsonl().contains("pa55"), "{}", conv.log.to_jsonl());
}

#[tokio::test]
async fn a_url_percent_encoded_in_another_headers_query_shows_no_user_info() {
    let server = MockServer::start().await;
    // no `@` in any header: only its percent-encoded form marks the user info
    let next = "https://app.example/login?next=https%3A%2F%2Fagent%3Apa55-nested%40app.example%2F";
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).insert_header("x-next", next))
        .mount(&server)
        .await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    conv.api.tickets.get_ticket(1).await.unwrap();
    let call = conv.log.entries()[0].request.clone().unwrap();
    let (_, shown) = call.response_headers.iter().find(|(key, _)| key == "x-next").unwrap();
    assert!(shown.starts_with("https://app.example/login?next=") && !shown.contains("pa55"), "{shown}");
}

#[tokio::test]
async fn a_redirect_targets_token_is_masked_in_a_relative_path_a_fragment_and_a_value_not_utf8() {
    let cases: [(&[u8], &str); 3] = [
        // a 201's `Location` may be relative to the request's path
        (b"sessions/7?access_token=t0k3n&q=1", "sessions/7?access_token=***&q=1"),
        // an OAuth 2.0 redirect (RFC 6749 4.2.2) puts the token in the fragment
        (
            b"https://app.example/cb#access_token=t0k3n&token_type=bearer",
            "https://app.example/cb#access_token=***&token_type=bearer",
        ),
        // a byte past ASCII that is no UTF-8 (obs-text, RFC 9110 5.5) is read as Latin-1
        // (`é`), in a URL encoded
        (b"/caf\xe9/7?token=t0k3n", "/caf%C3%A9/7?token=***"),
    ];
    let server = MockServer::start().await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    for (location, _) in cases {
        server.reset().await;
        let location = reqwest::header::HeaderValue::from_bytes(location).unwrap();
        let created = ResponseTemplate::new(201).insert_header("location", location);
        Mock::given(method("GET")).respond_with(created).mount(&server).await;
        assert_eq!(conv.api.tickets.get_ticket(1).await.unwrap().status_code(), 201);
    }
    let location = |call: RequestRecord| call.response_headers.into_iter().find(|(name, _)| name == "location");
    let logged: Vec<_> = calls(&conv.log).into_iter().filter_map(location).map(|(_, value)| value).collect();
    assert_eq!(logged, cases.map(|(_, shown)| shown));
    assert!(!conv.log.to_jsonl().contains("t0k3n"), "{}", conv.log.to_jsonl());
}

#[tokio::test]
async fn url_user_info_is_sent_as_basic_auth_and_removed_from_the_log() {
    let server = server_answering(200).await;
    let with_user = server.uri().replace("http://", "http://agent:pa55%20word@");
    let runtime = sandbox_builder(with_user).build().unwrap();
    let conv: Conv<TestApi> = runtime.conversation();
    conv.api.tickets.get_ticket(1).await.unwrap();
    let received = server.received_requests().await.unwrap_or_default();
    let authorization = received[0].headers.get("authorization").map(|value| value.to_str().unwrap().to_string());
    let expected = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode("agent:pa55 word"));
    assert_eq!(authorization, Some(expected), "user info goes on the wire as Basic auth, decoded");
    let jsonl = conv.log.to_jsonl();
    assert!(!jsonl.contains("pa55") && !jsonl.contains("agent@"), "{jsonl}");
    assert!(!format!("{runtime:?}").contains("pa55"));
    let sent = &calls(&conv.log)[0].request_headers;
    assert_eq!(sent, &[("authorization".to_string(), "***".to_string())], "the log shows the header, masked");
    // a user name alone (an API key written `KEY@host`, as curl takes it) has an empty password
    let server = server_answering(200).await;
    let runtime = sandbox_builder(server.uri().replace("http://", "http://key_1@")).build().unwrap();
    runtime.conversation::<TestApi>().api.tickets.get_ticket(1).await.unwrap();
    let received = server.received_requests().await.unwrap_or_default();
    let authorization = received[0].headers.get("authorization").map(|value| value.to_str().unwrap().to_string());
    let expected = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode("key_1:"));
    assert_eq!(authorization, Some(expected));
}

#[tokio::test]
async fn user_info_is_removed_from_a_connect_errors_url_message_and_entry() {
    let with_user = support::closed_port_url().replace("http://", "http://agent:Pw-17-secret@") + "/api";
    // user info from a definitions file, and from the builder
    let yaml = format!(
        "api_integrations:\n  - name: crm\n    environments: {{ sandbox: {{ base_url: \"{with_user}\" }} }}\n    operations: [{{ name: get, method: GET, resource: /x }}]\n"
    );
    let apis = DynamicApis::parse("apis.yaml", &yaml).unwrap();
    let runtime = sandbox_builder(&with_user).retry(support::ONE_ATTEMPT).build().unwrap();
    let (dynamic, typed) = (runtime.dynamic_conversation(&apis), runtime.conversation::<TestApi>());
    let failed = [
        (dynamic.api.call("crm", "get").await.unwrap_err(), &dynamic.log),
        (typed.api.tickets.get_ticket(1).await.unwrap_err(), &typed.log),
    ];
    for (error, log) in failed {
        assert!(error.is_connect(), "{error}");
        let shown = format!("{error} | {error:?} | {error:#?} | {:?} | {}", error.url(), log.to_jsonl());
        assert!(!shown.contains("Pw-17-secret") && !shown.contains("agent:"), "{shown}");
    }
}

/// A server answering every GET 200 with the request's `Authorization` in `x-echo`.
async fn server_echoing_authorization() -> MockServer {
    let server = MockServer::start().await;
    let echo = |request: &wiremock::Request| {
        let authorization = request.headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default();
        ResponseTemplate::new(200).insert_header("x-echo", authorization)
    };
    Mock::given(method("GET")).respond_with(echo).mount(&server).await;
    server
}

#[tokio::test]
async fn user_info_an_api_echoes_is_masked_and_never_goes_over_plain_http() {
    let server = server_echoing_authorization().await;
    let with_user = server.uri().replace("http://", "http://agent:pa55w0rd@");
    let runtime = sandbox_builder(with_user).build().unwrap();
    let conv: Conv<TestApi> = runtime.conversation();
    let response = conv.api.tickets.get_ticket(1).await.unwrap();
    let pair = base64::engine::general_purpose::STANDARD.encode("agent:pa55w0rd");
    assert_eq!(response.header("x-echo"), Some(format!("Basic {pair}").as_str()), "the API echoes the header");
    let jsonl = conv.log.to_jsonl();
    assert!(!jsonl.contains("pa55w0rd") && !jsonl.contains(&pair), "{jsonl}");

    // the same from a definitions file (a warning there: a secret written in the file)
    let yaml = format!(
        "api_integrations:\n  - name: crm\n    environments: {{ sandbox: {{ base_url: \"{}\" }} }}\n    operations: [{{ name: get, method: GET, resource: /x }}]\n",
        server.uri().replace("http://", "http://agent:s3cr3tw0rd@")
    );
    let apis = DynamicApis::parse("apis.yaml", &yaml).unwrap();
    let dynamic = Runtime::builder().environment(Environment::Sandbox).build().unwrap();
    let conv = dynamic.dynamic_conversation(&apis);
    conv.api.call("crm", "get").await.unwrap();
    let pair = base64::engine::general_purpose::STANDARD.encode("agent:s3cr3tw0rd");
    let jsonl = conv.log.to_jsonl();
    assert!(jsonl.contains("x-echo") && !jsonl.contains("s3cr3tw0rd") && !jsonl.contains(&pair), "{jsonl}");

    let error = sandbox_builder("http://agent:pa55w0rd@crm.example/api").build().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Config);
    assert!(error.to_string().contains("clear text") && !error.to_string().contains("pa55w0rd"), "{error}");
}

#[tokio::test]
async fn user_info_stays_masked_however_many_secrets_are_added_after_it() {
    let server = server_echoing_authorization().await;
    let runtime = sandbox_builder(server.uri().replace("http://", "http://agent:pa55w0rd@")).build().unwrap();
    let conv: Conv<TestApi> = runtime.conversation();
    conv.api.tickets.get_ticket(1).await.unwrap();
    // more values than the redactor keeps (1,024 lasting ones): the oldest not in use go
    for n in 0..2_100 {
        runtime.redactor().add_secret(&SecretString::from(format!("customer-secret-{n}")));
    }
    let conv: Conv<TestApi> = runtime.conversation();
    conv.api.tickets.get_ticket(2).await.unwrap();
    let pair = base64::engine::general_purpose::STANDARD.encode("agent:pa55w0rd");
    let jsonl = conv.log.to_jsonl();
    assert!(jsonl.contains("x-echo"), "{jsonl}");
    assert!(!jsonl.contains("pa55w0rd") && !jsonl.contains(&pair), "user info in use is kept: {jsonl}");
}

#[tokio::test]
async fn a_secret_made_a_header_name_is_masked_in_the_log_too() {
    let server = MockServer::start().await;
    let echo = |request: &wiremock::Request| {
        let key = request.headers.get("x-api-key").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        ResponseTemplate::new(200).insert_header(key.as_str(), "1")
    };
    Mock::given(method("GET")).respond_with(echo).expect(1).mount(&server).await;
    let runtime = sandbox_builder(server.uri()).build().unwrap();
    runtime.redactor().add_secret(&SecretString::from("K3y-As-A-Name"));
    let conv: Conv<TestApi> = runtime.conversation();
    let response = conv.api.tickets.get_ticket(1).header("K3y-As-A-Name", "1").header("x-api-key", "K3y-As-A-Name");
    let response = response.await.unwrap();
    assert!(response.headers().contains_key("k3y-as-a-name"), "the server made it a header name, in lower case");
    let (jsonl, debug) = (conv.log.to_jsonl(), format!("{response:?}"));
    for shown in [&jsonl, &debug] {
        assert!(!shown.to_ascii_lowercase().contains("k3y-as-a-name"), "{shown}");
    }
}

#[tokio::test]
async fn a_secret_echoed_in_upper_case_is_masked_in_the_log_and_errors() {
    let server = MockServer::start().await;
    let echo = |request: &wiremock::Request| {
        let key = request.headers.get("x-api-key").and_then(|v| v.to_str().ok()).unwrap_or_default();
        ResponseTemplate::new(500)
            .insert_header("x-key", key.to_ascii_uppercase().as_str())
            .set_body_string(format!("bad key {}", key.to_ascii_uppercase()))
    };
    Mock::given(method("GET")).respond_with(echo).expect(1).mount(&server).await;
    let runtime = sandbox_builder(server.uri()).retry(support::ONE_ATTEMPT).build().unwrap();
    runtime.redactor().add_secret(&SecretString::from("kEy-Zx9/Qw"));
    let conv: Conv<TestApi> = runtime.conversation();
    let response = conv.api.tickets.get_ticket(1).header("x-api-key", "kEy-Zx9/Qw").await.unwrap();
    let error = response.raise_for_status().unwrap_err();
    for shown in [conv.log.to_jsonl(), error.to_string()] {
        assert!(shown.contains("***") && !shown.contains("KEY-ZX9/QW"), "{shown}");
    }
}

#[tokio::test]
async fn a_username_given_alone_in_user_info_is_a_known_secret() {
    let server = MockServer::start().await;
    let refused = ResponseTemplate::new(401).set_body_string("invalid API key sk_live_abc123");
    Mock::given(method("GET")).respond_with(refused).mount(&server).await;
    let runtime = sandbox_builder(server.uri().replace("http://", "http://sk_live_abc123@")).build().unwrap();
    let conv: Conv<TestApi> = runtime.conversation();
    let error = conv.api.tickets.get_ticket(1).await.unwrap().raise_for_status().unwrap_err();
    assert!(error.to_string().contains("invalid API key") && !error.to_string().contains("sk_live"), "{error}");
}

#[tokio::test]
async fn to_jsonl_is_one_json_object_a_line() {
    let server = server_answering(404).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    conv.log.entry(Level::Info, "caller named").field("name", "Ada").field("turn", 3).pii().record();
    conv.api.tickets.get_ticket(9).await.unwrap();
    let jsonl = conv.log.to_jsonl();
    let lines: Vec<Value> = jsonl.lines().map(|line| serde_json::from_str(line).expect("a JSON object")).collect();
    assert_eq!(lines.len(), 2);
    assert!(jsonl.ends_with('\n'));
    assert_eq!(lines[0]["level"], "info");
    assert_eq!(lines[0]["pii"], true);
    assert_eq!(lines[0]["fields"]["name"], "Ada");
    assert_eq!(lines[0]["fields"]["turn"], "3");
    let timestamp = lines[0]["timestamp"].as_str().unwrap();
    assert_eq!((timestamp.len(), &timestamp[4..5], &timestamp[10..11]), (24, "-", "T"));
    assert!(timestamp.ends_with('Z'));
    assert_eq!(lines[1]["request"]["status"], 404);
    assert_eq!(lines[1]["request"]["operation"], "get_ticket");
    assert!(lines[1]["request"]["duration_ms"].is_number());
}

#[tokio::test]
async fn every_jsonl_line_says_whether_it_is_pii() {
    let server = server_answering(200).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    conv.log.info("looking up");
    conv.log.entry(Level::Info, "caller named").field("name", "Ada").pii().record();
    conv.api.tickets.get_ticket(9).await.unwrap();
    let lines: Vec<Value> = conv.log.to_jsonl().lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    let pii: Vec<Option<bool>> = lines.iter().map(|line| line["pii"].as_bool()).collect();
    assert_eq!(pii, [Some(false), Some(true), Some(false)], "a note, a PII note and a call");
}

#[tokio::test]
async fn to_jsonl_joins_the_values_of_a_repeated_name() {
    let server = MockServer::start().await;
    let template = ResponseTemplate::new(200)
        .append_header("via", "1.1 edge")
        .append_header("via", "1.1 origin")
        .append_header("set-cookie", "a=1")
        .append_header("set-cookie", "b=2");
    Mock::given(method("GET")).respond_with(template).mount(&server).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    conv.log.entry(Level::Info, "tags").field("tag", "vip").field("tag", "late").record();
    conv.api.tickets.get_ticket(9).await.unwrap();
    let entries = conv.log.entries();
    let response_headers = &entries[1].request.as_ref().unwrap().response_headers;
    assert_eq!(response_headers.iter().filter(|(name, _)| name == "via").count(), 2);
    let lines: Vec<Value> = conv.log.to_jsonl().lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    assert_eq!(lines[0]["fields"]["tag"], "vip, late");
    assert_eq!(lines[1]["request"]["response_headers"]["via"], "1.1 edge, 1.1 origin");
    assert_eq!(lines[1]["request"]["response_headers"]["set-cookie"], "***, ***");
}

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

#[tokio::test]
async fn each_conversation_has_its_own_log() {
    let server = server_answering(200).await;
    let runtime = runtime(&server);
    let first: Conv<TestApi> = runtime.conversation();
    let second: Conv<TestApi> = runtime.conversation();
    first.api.tickets.get_ticket(1).await.unwrap();
    second.log.info("only a note");
    assert_eq!((first.log.len(), second.log.len()), (1, 1));
    assert!(second.log.entries()[0].request.is_none());
}

#[tokio::test]
async fn secrets_registered_with_the_redactor_never_reach_the_log() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500).set_body_string("bad key xyzzy-42"))
        .mount(&server)
        .await;
    let runtime = runtime(&server);
    runtime.redactor().add_secret(&secrecy::SecretString::from("xyzzy-42"));
    let conv: Conv<TestApi> = runtime.conversation();
    let error = conv.api.tickets.get_ticket("xyzzy-42").await.unwrap().raise_for_status().unwrap_err();
    assert!(!error.to_string().contains("xyzzy-42"), "{error}");
    conv.log.info("the key is xyzzy-42");
    conv.log.entry(Level::Info, "fields").field("key xyzzy-42", "value xyzzy-42").record();
    assert!(!conv.log.to_jsonl().contains("xyzzy"), "{}", conv.log.to_jsonl());
    assert!(!format!("{:?}", conv.log.entries()).contains("xyzzy"), "names and values alike");
    // a URL the agent writes in a note is shown as a call's is: no user info, no key
    conv.log.info("fetched https://agent:pw-9f2@h.example/next?page=2&access_token=tok-5d1 for the caller");
    conv.log.entry(Level::Info, "next").field("url", "https://h.example/x?api_key=key-77c").record();
    let last = &conv.log.entries()[conv.log.len() - 2..];
    assert_eq!(last[0].message, "fetched https://h.example/next?page=2&access_token=*** for the caller");
    assert_eq!(last[1].fields, [("url".to_string(), "https://h.example/x?api_key=***".to_string())]);
}

#[tokio::test]
async fn a_session_token_given_to_the_redactor_after_the_answer_that_brought_it_is_masked_there_too() {
    const TOKEN: &str = "sess-7f3a9c2e41b84d0d9e6a";
    let server = MockServer::start().await;
    let login = ResponseTemplate::new(200).insert_header("x-session", TOKEN).set_body_string(TOKEN);
    Mock::given(method("GET")).respond_with(login).mount(&server).await;
    let runtime = runtime(&server);
    let conv: Conv<TestApi> = runtime.conversation();
    let response = conv.api.tickets.get_ticket(1).await.unwrap();
    let token = response.headers().get("x-session").unwrap().to_str().unwrap().to_string();
    assert!(conv.log.to_jsonl().contains(TOKEN), "not known yet: shown");
    runtime.redactor().add_secret(&SecretString::from(token.clone()));
    conv.api.tickets.get_ticket(2).header("x-session", token.as_str()).await.unwrap();
    conv.log.info(format!("logged in as {token}"));
    let jsonl = conv.log.to_jsonl();
    assert!(!jsonl.contains(TOKEN), "{jsonl}");
    let entries = conv.log.entries();
    let first = entries[0].request.as_ref().unwrap();
    assert!(first.response_headers.contains(&("x-session".to_string(), "***".to_string())), "{first:?}");
    assert_eq!(entries[2].message, "logged in as ***");
    assert!(first.url.ends_with("/api/v2/tickets/1"), "the rest of the entry as it was: {}", first.url);
}

/// A server answering every GET with a 500 whose body is `echo`, and a runtime in
/// Sandbox, one attempt a call, whose store holds `billing`'s Basic password.
async fn echoing_server_and_runtime(echo: &str, billing_password: &str) -> (MockServer, Runtime) {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(500).set_body_string(echo)).mount(&server).await;
    let store = conv_api_runtime::MapSecretStore::new()
        .with("BILLING_SANDBOX_USERNAME", "agent")
        .with("BILLING_SANDBOX_PASSWORD", billing_password);
    let runtime = sandbox_builder(server.uri()).secrets(store).retry(support::ONE_ATTEMPT).build().unwrap();
    (server, runtime)
}

#[tokio::test]
async fn a_credential_of_an_api_not_called_yet_is_masked_when_another_echoes_it() {
    // `billing` (Basic auth in Sandbox) is never called: its password is known from the store
    let echo = "upstream said: billing password pa55-w0rd-b1ll, pair agent:pa55-w0rd-b1ll";
    let (_server, runtime) = echoing_server_and_runtime(echo, "pa55-w0rd-b1ll").await;
    let conv: Conv<TestApi> = runtime.conversation();
    let response = conv.api.tickets.get_ticket(1).await.unwrap();
    let error = response.raise_for_status().unwrap_err();
    assert!(!format!("{error} {error:?}").contains("pa55"), "{error}");
    assert!(!conv.log.to_jsonl().contains("pa55"), "{}", conv.log.to_jsonl());

    // the same for definitions loaded at run time
    let (_server, runtime) = echoing_server_and_runtime("upstream said: pa55-w0rd-dyn", "pa55-w0rd-dyn").await;
    let apis = DynamicApis::parse("apis.yaml", support::YAML).unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    let response = conv.api.call("tickets", "get_ticket").arg("ticket_id", 1).await.unwrap();
    let error = response.raise_for_status().unwrap_err();
    assert!(error.to_string().contains(": `upstream said: ***`;"), "{error}");
}

/// A server answering every GET with a 500 whose body is `echo`, and a runtime in
/// Sandbox, one attempt a call, with `store`, over the definitions of an API `echo`
/// (operation `get`) and `other_apis` (YAML list items; `{uri}` is the server's URL).
async fn echo_beside(
    echo: &str,
    other_apis: &str,
    store: conv_api_runtime::MapSecretStore,
) -> (MockServer, Runtime, DynamicApis) {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(500).set_body_string(echo)).mount(&server).await;
    let echo_api = "  - name: echo
    environments: { sandbox: { base_url: \"{uri}\" } }
    operations: [{ name: get, method: GET, resource: /echo }]
";
    let yaml = format!("api_integrations:\n{echo_api}{other_apis}").replace("{uri}", &server.uri());
    let runtime = sandbox_builder(server.uri()).secrets(store).retry(support::ONE_ATTEMPT).build().unwrap();
    (server, runtime, DynamicApis::parse("apis.yaml", &yaml).unwrap())
}

/// The error of a call of `echo.get` (see [`echo_beside`]) and the log after it, as text.
async fn echoed(conv: &Conv<conv_api_runtime::DynamicApi>) -> String {
    let error = conv.api.call("echo", "get").await.unwrap().raise_for_status().unwrap_err();
    format!("{error} {}", conv.log.to_jsonl())
}

#[tokio::test]
async fn the_credentials_of_definitions_of_more_than_1024_apis_all_stay_masked() {
    // Basic auth teaches three values an API: 450 of them and 800 API keys, 2,150 values
    let mut others = String::new();
    let mut store = conv_api_runtime::MapSecretStore::new();
    for n in 0..800 {
        others.push_str(&format!(
            "  - name: keys_{n}\n    environments: {{ sandbox: {{ base_url: \"{{uri}}\", auth_type: apiKey }} }}\n"
        ));
        store = store.with(format!("KEYS_{n}_SANDBOX_API_KEY"), format!("k3y-of-api-{n:04}-x"));
    }
    for n in 0..450 {
        others.push_str(&format!(
            "  - name: basic_{n}\n    environments: {{ sandbox: {{ base_url: \"{{uri}}\", auth_type: basic }} }}\n"
        ));
        store = store
            .with(format!("BASIC_{n}_SANDBOX_USERNAME"), format!("user-token-of-api-{n:04}"))
            .with(format!("BASIC_{n}_SANDBOX_PASSWORD"), format!("pa55-of-api-{n:04}-x"));
    }
    // the first key, the last password: the values the last start would have pushed out first
    let echo = "keys k3y-of-api-0000-x and k3y-of-api-0799-x, passwords pa55-of-api-0000-x and pa55-of-api-0449-x";
    let (_server, runtime, apis) = echo_beside(echo, &others, store).await;
    for _ in 0..3 {
        let conv = runtime.dynamic_conversation(&apis);
        let shown = echoed(&conv).await;
        assert!(shown.contains("keys *** and ***, passwords *** and ***"), "{shown}");
    }
    for n in [0, 1, 400, 799] {
        let key = format!("k3y-of-api-{n:04}-x");
        assert_eq!(runtime.redactor().text(&key), "***", "{key}");
    }
    for n in [0, 225, 449] {
        let user = format!("user-token-of-api-{n:04}");
        assert_eq!(runtime.redactor().text(&user), "***", "{user}");
    }
}

#[tokio::test]
async fn the_credentials_of_two_definitions_sets_past_1024_each_all_stay_masked() {
    let apis_of = |tag: &str| {
        let mut yaml = String::new();
        for n in 0..1100 {
            yaml.push_str(&format!(
                "  - name: {tag}_{n}\n    environments: {{ sandbox: {{ base_url: \"{{uri}}\", auth_type: apiKey }} }}\n"
            ));
        }
        yaml
    };
    let mut store = conv_api_runtime::MapSecretStore::new();
    for tag in ["a", "b"] {
        for n in 0..1100 {
            store = store.with(format!("{}_{n}_SANDBOX_API_KEY", tag.to_uppercase()), format!("{tag}-k3y-{n:04}-x"));
        }
    }
    let echo = "keys a-k3y-0000-x and b-k3y-0000-x";
    let (server, runtime, first) = echo_beside(echo, &apis_of("a"), store).await;
    let second = format!("api_integrations:\n{}", apis_of("b")).replace("{uri}", &server.uri());
    let second = DynamicApis::parse("b.yaml", &second).unwrap();
    for _ in 0..2 {
        let over_first = runtime.dynamic_conversation(&first);
        let _over_second = runtime.dynamic_conversation(&second);
        let shown = echoed(&over_first).await;
        assert!(shown.contains("keys *** and ***"), "{shown}");
    }
    for key in ["a-k3y-0000-x", "a-k3y-1099-x", "b-k3y-0000-x", "b-k3y-1099-x"] {
        assert_eq!(runtime.redactor().text(key), "***", "{key}");
    }
}

#[tokio::test]
async fn the_client_secrets_of_more_than_1024_oauth_apis_all_stay_masked_after_their_token_requests() {
    // each token request teaches the secret, form-encoded too, the `id:secret` pair
    // of the `Authorization` header, and a secret of `token_params`: 4,400 values
    let mut others = String::new();
    let mut store = conv_api_runtime::MapSecretStore::new();
    for n in 0..1100 {
        others.push_str(&format!(
            "  - name: oauth_{n}
    environments:
      sandbox:
        base_url: \"{{uri}}\"
        auth_type: oauth2
        auth: {{ token_url: \"{{uri}}/token\", client_id: client-{n}, token_params: {{ audience: {{ secret: AUDIENCE_{n} }} }} }}
    operations: [{{ name: get, method: GET, resource: /echo }}]
"
        ));
        store = store
            .with(format!("OAUTH_{n}_SANDBOX_CLIENT_SECRET"), format!("s3cret+of/api-{n:04}"))
            .with(format!("AUDIENCE_{n}"), format!("aud1ence-of-api-{n:04}"));
    }
    let (server, runtime, apis) = echo_beside("nothing", &others, store).await;
    let token =
        ResponseTemplate::new(200).set_body_json(serde_json::json!({ "access_token": "t0k3n-x", "expires_in": 3600 }));
    Mock::given(method("POST")).and(path("/token")).respond_with(token).mount(&server).await;
    let conv = runtime.dynamic_conversation(&apis);
    for n in 0..1100 {
        assert_eq!(conv.api.call(&format!("oauth_{n}"), "get").await.unwrap().status_code(), 500);
    }
    // the first API's, which the last token requests would have pushed out first
    for n in [0, 1, 550, 1099] {
        for value in [
            format!("s3cret+of/api-{n:04}"),
            format!("s3cret%2Bof%2Fapi-{n:04}"),
            format!("client-{n}:s3cret%2Bof%2Fapi-{n:04}"),
            format!("aud1ence-of-api-{n:04}"),
        ] {
            assert_eq!(runtime.redactor().text(&value), "***", "{value}");
        }
    }
}

/// Tells the redactor `count` values of the caller's own (`session-TAG-N`).
fn add_sessions(runtime: &Runtime, count: usize, tag: &str) {
    for n in 0..count {
        runtime.redactor().add_secret(&SecretString::from(format!("session-{tag}-{n}")));
    }
}

#[tokio::test]
async fn every_auth_types_credential_of_apis_never_called_stays_masked_among_many_other_secrets() {
    let others = "  - name: billing
    environments: { sandbox: { base_url: \"{uri}\", auth_type: basic } }
  - name: keys
    environments: { sandbox: { base_url: \"{uri}\", auth_type: apiKey } }
  - name: tokens
    environments:
      sandbox: { base_url: \"{uri}\", auth_type: oauth2, auth: { token_url: \"{uri}/token\", client_id: agent } }
";
    let store = conv_api_runtime::MapSecretStore::new()
        .with("BILLING_SANDBOX_USERNAME", "agent")
        .with("BILLING_SANDBOX_PASSWORD", "pw-b1ll1ng-9")
        .with("KEYS_SANDBOX_API_KEY", "k3y-0f-keys-9")
        .with("TOKENS_SANDBOX_CLIENT_SECRET", "cl13nt-s3cr3t-9");
    let echo = "billing pw-b1ll1ng-9, key k3y-0f-keys-9, client secret cl13nt-s3cr3t-9";
    let (_server, runtime, apis) = echo_beside(echo, others, store).await;
    let leaks =
        |shown: &str| ["pw-b1ll1ng", "k3y-0f-keys", "cl13nt-s3cr3t"].into_iter().any(|value| shown.contains(value));
    let conv = runtime.dynamic_conversation(&apis);
    let shown = echoed(&conv).await;
    assert!(!leaks(&shown) && shown.contains("billing ***, key ***, client secret ***"), "{shown}");

    // a server adding a session token of its own for each conversation, as the README
    // suggests, adds more values than the redactor keeps: the credentials stay
    for conversation in 0..24 {
        let conv = runtime.dynamic_conversation(&apis);
        add_sessions(&runtime, 100, &conversation.to_string());
        if conversation == 23 {
            let shown = echoed(&conv).await;
            assert!(!leaks(&shown), "{shown}");
        }
    }
    assert_eq!(runtime.redactor().text("session-0-0 session-23-99"), "session-0-0 ***", "the oldest went");
}

#[tokio::test]
async fn a_basic_password_is_masked_from_the_start_whatever_its_username_holds() {
    let billing = "  - name: billing
    environments: { sandbox: { base_url: \"{uri}\", auth_type: basic } }
";
    // no username (its calls fail) or one with `:` (refused): the password is a secret all the same
    for username in [None, Some("agent:x")] {
        let store = conv_api_runtime::MapSecretStore::new().with("BILLING_SANDBOX_PASSWORD", "pw-b1ll1ng-4");
        let store = match username {
            Some(username) => store.with("BILLING_SANDBOX_USERNAME", username),
            None => store,
        };
        let (_server, runtime, apis) = echo_beside("billing pw-b1ll1ng-4", billing, store).await;
        let shown = echoed(&runtime.dynamic_conversation(&apis)).await;
        assert!(shown.contains("`billing ***`") && !shown.contains("pw-b1ll1ng"), "{username:?}: {shown}");
    }
}

#[tokio::test]
async fn a_credential_learned_again_while_still_fresh_is_not_pushed_out_later() {
    let keys = "  - name: keys
    environments: { sandbox: { base_url: \"{uri}\", auth_type: apiKey } }
    operations: [{ name: get, method: GET, resource: /keys }]
";
    let store = conv_api_runtime::MapSecretStore::new().with("KEYS_SANDBOX_API_KEY", "k3y-0f-keys-7");
    let (_server, runtime, apis) = echo_beside("key k3y-0f-keys-7", keys, store).await;
    // the key is learned, used by a call 600 values later, and learned again 100
    // after that, when it is too recent to be refreshed: a conversation 500 values
    // later must refresh it before 430 more push it out
    let first = runtime.dynamic_conversation(&apis);
    add_sessions(&runtime, 600, "a");
    first.api.call("keys", "get").await.unwrap();
    add_sessions(&runtime, 100, "b");
    runtime.dynamic_conversation(&apis);
    add_sessions(&runtime, 500, "c");
    let conv = runtime.dynamic_conversation(&apis);
    add_sessions(&runtime, 430, "d");
    let shown = echoed(&conv).await;
    assert!(shown.contains("`key ***`;") && !shown.contains("k3y-0f-keys"), "{shown}");
}

#[tokio::test]
async fn a_session_token_sent_in_a_masked_header_stays_known_while_in_use() {
    // the caller adds its session token once and sends it on every call, in a header
    // the log masks by name (so no log text shows it), while a thousand other
    // conversations add theirs; then the API echoes it
    let server = MockServer::start().await;
    let echo = ResponseTemplate::new(500).set_body_string("session sess-7f3c2a9e-0000 expired");
    Mock::given(method("GET")).and(wiremock::matchers::path("/tickets/2")).respond_with(echo).mount(&server).await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let runtime = sandbox_builder(server.uri()).retry(support::ONE_ATTEMPT).build().unwrap();
    runtime.redactor().add_secret(&SecretString::from("sess-7f3c2a9e-0000"));
    let conv: Conv<TestApi> = runtime.conversation();
    let bearer = "Bearer sess-7f3c2a9e-0000";
    for round in 0..12 {
        add_sessions(&runtime, 100, &round.to_string());
        conv.api.tickets.get_ticket(1).header("Authorization", bearer).await.unwrap();
    }
    let echoed = conv.api.tickets.get_ticket(2).header("Authorization", bearer).await.unwrap();
    let error = echoed.raise_for_status().unwrap_err();
    assert!(error.to_string().contains(": `session *** expired`;"), "{error}");
    assert!(!conv.log.to_jsonl().contains("sess-7f3c2a9e"), "{}", conv.log.to_jsonl());
}

/// A store holding one API key, which a test replaces through the mutex.
struct RotatingStore(std::sync::Mutex<&'static str>);

impl conv_api_runtime::SecretStore for RotatingStore {
    fn get(&self, name: &str) -> Option<SecretString> {
        let key = *self.0.lock().unwrap();
        (name == "KEYS_SANDBOX_API_KEY").then(|| SecretString::from(key))
    }
}

#[tokio::test]
async fn a_key_the_store_rotates_is_masked_in_conversations_started_after_the_rotation() {
    let keys = "  - name: keys
    environments: { sandbox: { base_url: \"{uri}\", auth_type: apiKey } }
";
    let store = std::sync::Arc::new(RotatingStore(std::sync::Mutex::new("k3y-b3f0r3-9")));
    let echo = "keys k3y-b3f0r3-9 and k3y-4ft3r-9";
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(500).set_body_string(echo)).mount(&server).await;
    let yaml = format!(
        "api_integrations:\n  - name: echo\n    environments: {{ sandbox: {{ base_url: \"{{uri}}\" }} }}\n    operations: [{{ name: get, method: GET, resource: /echo }}]\n{keys}"
    )
    .replace("{uri}", &server.uri());
    let apis = DynamicApis::parse("apis.yaml", &yaml).unwrap();
    let runtime = sandbox_builder(server.uri()).secrets(store.clone()).retry(support::ONE_ATTEMPT).build().unwrap();
    let before = runtime.dynamic_conversation(&apis);
    *store.0.lock().unwrap() = "k3y-4ft3r-9";
    // `keys` is never called: only a conversation's start reads its key
    let after = runtime.dynamic_conversation(&apis);
    let shown = echoed(&after).await;
    assert!(shown.contains("`keys *** and ***`") && !shown.contains("k3y-"), "{shown}");
    assert!(!echoed(&before).await.contains("k3y-"), "the old key stays known, the new one is now");
}

#[tokio::test]
async fn headers_and_query_parameters_the_builder_names_are_masked_everywhere() {
    let server = MockServer::start().await;
    let answer = ResponseTemplate::new(500).insert_header("X-Session", "s-123").set_body_string("down");
    Mock::given(method("GET")).respond_with(answer).mount(&server).await;
    let runtime = sandbox_builder(server.uri() + "/api/v2")
        .retry(support::ONE_ATTEMPT)
        // as a line of a config file gives them: whitespace around a name is no part of it
        .mask_header("x-session\n")
        .mask_query_param(" Session ")
        .build()
        .unwrap();
    let conv: Conv<TestApi> = runtime.conversation();
    let response = conv.api.tickets.get_ticket(7).query(&[("session", "q-456"), ("page", "2")]).await.unwrap();
    let shown_response = format!("{response:?}");
    let error = response.raise_for_status().unwrap_err().to_string();
    let call = conv.log.entries()[0].request.clone().unwrap();
    assert!(call.url.ends_with("/tickets/7?session=***&page=2"), "{}", call.url);
    assert!(
        call.response_headers.contains(&("x-session".to_string(), "***".to_string())),
        "{:?}",
        call.response_headers
    );
    let shown = format!("{} {error} {shown_response}", conv.log.to_jsonl());
    assert!(!shown.contains("q-456") && !shown.contains("s-123"), "{shown}");
}

/// A caller looked up by phone number, a variable of the resource's query: the name
/// the builder masks hides its value there too (README, "URLs are shown").
#[tokio::test]
async fn a_masked_query_parameter_of_the_resource_hides_its_variables_value() {
    let server = MockServer::start().await;
    Mock::given(path("/customers")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let yaml = format!(
        "api_integrations:\n  - name: crm\n    environments: {{ sandbox: {{ base_url: \"{}\" }} }}\n    operations:\n      - {{ name: find_customer, method: GET, resource: \"/customers?phone={{phone}}\" }}\n",
        server.uri()
    );
    let apis = DynamicApis::parse("apis.yaml", &yaml).unwrap();
    let runtime = Runtime::builder().environment(Environment::Sandbox).mask_query_param("phone").build().unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    let response = conv.api.call("crm", "find_customer").arg("phone", "+14155550100").await.unwrap();
    assert_eq!(response.status_code(), 200);
    let call = conv.log.entries()[0].request.clone().unwrap();
    assert!(call.url.ends_with("/customers?phone=***"), "{}", call.url);
    let shown = format!("{} {response:?}", conv.log.to_jsonl());
    assert!(!shown.contains("4155550100"), "{shown}");
    assert_eq!(server.received_requests().await.unwrap()[0].url.query(), Some("phone=%2B14155550100"));
}

#[test]
fn a_masked_name_that_names_nothing_fails_build_with_every_such_name() {
    let error = Runtime::builder()
        .mask_header("X Session")
        .mask_header("  ")
        .mask_query_param("\t")
        .mask_header("x".repeat(70_000))
        .build()
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Config);
    let text = error.to_string();
    assert!(text.starts_with("4 problems in the runtime's settings"), "{text}");
    assert!(
        text.contains("is 70000 bytes long, more than an HTTP header name may be (65535); shorten it")
            && text.len() < 2_000,
        "{text}"
    );
    assert!(text.contains("`Runtime::builder().mask_header(\"X Session\")` names no header, so it would mask nothing; give a header name (letters, digits and `-`)"), "{text}");
    assert!(text.contains("`Runtime::builder().mask_header(\"\")` names no header"), "{text}");
    assert!(text.contains("`Runtime::builder().mask_query_param(..)` is given an empty name"), "{text}");
}

/// A secret first learned by one call while another call is in flight is masked in the
/// other call's response and log entry too: texts shown when it was sent are
/// cleaned again when it comes back. An OAuth 2.0 token is learned when it is fetched
/// (an API key would be known from the conversation's start).
#[tokio::test]
async fn a_secret_read_while_a_call_is_in_flight_is_masked_in_its_response_and_entry() {
    let server = MockServer::start().await;
    // long enough for the second call to fetch the token while the first one waits
    let slow = ResponseTemplate::new(200).set_delay(std::time::Duration::from_secs(2));
    Mock::given(path("/plain/items/t0k3n-0f-the-crm-api")).respond_with(slow).mount(&server).await;
    let token = serde_json::json!({ "access_token": "t0k3n-0f-the-crm-api", "expires_in": 3600 });
    Mock::given(path("/token")).respond_with(ResponseTemplate::new(200).set_body_json(token)).mount(&server).await;
    Mock::given(path("/crm/contacts")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let yaml = format!(
        "api_integrations:
  - name: plain
    environments: {{ sandbox: {{ base_url: \"{uri}/plain\" }} }}
    operations: [{{ name: get_item, method: GET, resource: \"/items/{{id}}\" }}]
  - name: crm
    environments:
      sandbox: {{ base_url: \"{uri}/crm\", auth_type: oauth2, auth: {{ token_url: \"{uri}/token\", client_id: agent }} }}
    operations: [{{ name: list, method: GET, resource: /contacts }}]
",
        uri = server.uri()
    );
    let apis = DynamicApis::parse("apis.yaml", &yaml).unwrap();
    let store = conv_api_runtime::MapSecretStore::new().with("CRM_SANDBOX_CLIENT_SECRET", "cl13nt-s3cr3t");
    let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(store).build().unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    // the token is not known yet when the first call is sent, in its path and a header
    let first = tokio::spawn({
        let conv = conv.clone();
        async move {
            let call = conv.api.call("plain", "get_item").arg("id", "t0k3n-0f-the-crm-api");
            call.header("x-item", "t0k3n-0f-the-crm-api").await.map(|r| r.url().map(str::to_string))
        }
    });
    let sent = async {
        while server.received_requests().await.unwrap().is_empty() {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(10), sent).await.expect("the first call is sent");
    assert_eq!(runtime.redactor().text("t0k3n-0f-the-crm-api"), "t0k3n-0f-the-crm-api", "not known yet");
    conv.api.call("crm", "list").await.unwrap();
    let url = first.await.unwrap().unwrap().expect("the response's URL");
    assert!(url.ends_with("/plain/items/***"), "{url}");
    let jsonl = conv.log.to_jsonl();
    assert!(!jsonl.contains("t0k3n-0f-the-crm-api"), "{jsonl}");
    let first_entry = conv.log.entries().into_iter().find_map(|entry| entry.request.filter(|r| &*r.api == "plain"));
    let first_entry = first_entry.expect("the first call's entry");
    assert!(first_entry.url.ends_with("/plain/items/***"), "{jsonl}");
    assert!(first_entry.request_headers.contains(&("x-item".to_string(), "***".to_string())), "{jsonl}");
}

#[test]
fn a_field_whose_display_fails_keeps_what_it_wrote() {
    struct FailsAfterWriting;
    impl std::fmt::Display for FailsAfterWriting {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("part")?;
            Err(std::fmt::Error)
        }
    }
    let runtime = Runtime::builder().environment(Environment::Sandbox).build().unwrap();
    let conv = runtime.dynamic_conversation(&DynamicApis::default());
    conv.log.entry(Level::Info, "noted").field("value", FailsAfterWriting).record();
    let fields = &conv.log.entries()[0].fields;
    assert_eq!(fields[0].1, "part (its `Display` implementation returned an error here)");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_end_of_a_conversation_may_wait_for_the_entries_of_calls_under_way() {
    let server = MockServer::start().await;
    let slow = ResponseTemplate::new(200).set_delay(std::time::Duration::from_millis(200));
    Mock::given(method("GET")).respond_with(slow).mount(&server).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    // nothing under way: at once
    conv.log.idle().await;
    // made, not yet polled, then dropped: counted while it lives
    let (spawned, dropped) = (conv.api.tickets.get_ticket(1).send(), conv.api.tickets.get_ticket(2).send());
    assert_eq!(conv.log.calls_under_way(), 2);
    drop(dropped);
    assert_eq!(conv.log.calls_under_way(), 1);
    // fire and forget, and one given up while it waits for its answer
    drop(tokio::spawn(spawned));
    let abandoned = tokio::spawn(conv.api.tickets.get_ticket(3).send());
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    abandoned.abort();
    conv.log.idle().await;
    assert_eq!(conv.log.calls_under_way(), 0);
    let statuses: Vec<Option<u16>> = conv.log.entries().iter().map(|entry| entry.request.as_ref()?.status).collect();
    assert_eq!(statuses.len(), 2, "the spawned call's and the abandoned one's: {statuses:?}");
    assert!(statuses.contains(&Some(200)) && statuses.contains(&None), "{statuses:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tracked_work_is_under_way_from_its_spawn_through_every_call_it_makes() {
    let server = MockServer::start().await;
    let slow = ResponseTemplate::new(200).set_delay(std::time::Duration::from_millis(100));
    Mock::given(method("GET")).respond_with(slow).mount(&server).await;
    let conv: std::sync::Arc<Conv<TestApi>> = std::sync::Arc::new(runtime(&server).conversation());
    let task = std::sync::Arc::clone(&conv);
    // two calls with other work between them, in a task that waits for the test's go
    // (however long a busy machine keeps the test from its next line)
    let (go, ready) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(conv.log.track(async move {
        ready.await.unwrap();
        task.api.tickets.get_ticket(1).await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        task.api.tickets.get_ticket(2).await.unwrap();
    }));
    assert_eq!(conv.log.calls_under_way(), 1);
    go.send(()).unwrap();
    conv.log.idle().await;
    assert_eq!(conv.log.entries().len(), 2, "both calls' entries");
    assert_eq!(conv.log.calls_under_way(), 0);
    // dropped before it ran: no longer under way
    drop(conv.log.track(std::future::pending::<()>()));
    assert_eq!(conv.log.calls_under_way(), 0);
}
