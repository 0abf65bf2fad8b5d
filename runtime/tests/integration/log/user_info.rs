//! A URL's user info: sent as basic auth, and never in the log, an error or
//! over plain HTTP.

use super::*;

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
async fn a_username_given_alone_in_user_info_is_a_known_secret() {
    let server = MockServer::start().await;
    let refused = ResponseTemplate::new(401).set_body_string("invalid API key sk_live_abc123");
    Mock::given(method("GET")).respond_with(refused).mount(&server).await;
    let runtime = sandbox_builder(server.uri().replace("http://", "http://sk_live_abc123@")).build().unwrap();
    let conv: Conv<TestApi> = runtime.conversation();
    let error = conv.api.tickets.get_ticket(1).await.unwrap().raise_for_status().unwrap_err();
    assert!(error.to_string().contains("invalid API key") && !error.to_string().contains("sk_live"), "{error}");
}
