//! Headers, query values and URLs in headers the log masks: sensitive names, the
//! names the builder adds, credentials in a URL inside another header.

use super::*;

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
