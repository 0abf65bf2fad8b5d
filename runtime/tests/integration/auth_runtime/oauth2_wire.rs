//! OAuth 2.0 on the wire: the client's credentials as the token endpoint gets them,
//! and token answers the runtime warns of or refuses.

use super::*;

#[tokio::test]
async fn a_token_header_named_by_the_store_that_the_client_writes_fails_each_call_and_sends_nothing() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token")).respond_with(token_response("tok-1", 3600)).mount(&server).await;
    Mock::given(path("/tickets/1"))
        .and(header("x-token", "Bearer tok-1"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let (conv, store) = rotating_oauth(&server, ", header_name: { secret: TOKEN_HEADER }");
    store.set("TOKEN_HEADER", "X-Token");
    assert_eq!(conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap().status_code(), 200);
    // with the token cached, the header rotated to one the client writes itself
    store.set("TOKEN_HEADER", "Content-Length");
    let error = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Auth);
    let says = "the secret `TOKEN_HEADER` (the auth `header_name`) must hold a valid HTTP header name";
    assert!(error.to_string().contains(says), "{error}");
}

#[tokio::test]
async fn a_client_secret_gone_from_the_store_at_refresh_time_leaves_the_valid_token_serving() {
    let server = MockServer::start().await;
    // a 4 s token: refreshed from 2 s on, sent until 4 s
    let token = serde_json::json!({ "access_token": "tok-1", "token_type": "Bearer", "expires_in": 4 });
    Mock::given(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/tickets/1"))
        .and(header("authorization", "Bearer tok-1"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let (conv, store) = rotating_oauth(&server, "");
    let call = || conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).into_future();
    assert_eq!(call().await.unwrap().status_code(), 200);
    // the vault is rotating the secret: blank for a moment, past the refresh point
    store.set("CS", "");
    advance(Duration::from_millis(2300)).await;
    let captured = support::tracing_capture::Collect::default();
    let guard = captured.set_default();
    let served = call().await.map(|response| response.status_code()).map_err(|error| error.to_string());
    drop(guard);
    assert_eq!(served, Ok(200), "the token may still be sent");
    // a warning says why no refresh was asked for, naming the API, under the target of the runtime's events
    let warned = captured.lines().into_iter().find(|line| line.contains("token refresh cannot be requested"));
    let warned = warned.unwrap_or_else(|| panic!("no warning: {:?}", captured.lines()));
    assert!(warned.starts_with("WARN") && warned.contains("api=\"zendesk\""), "{warned}");
    assert!(warned.contains("missing secret `CS`") && warned.contains("target=conv_api"), "{warned}");
    // once it expires, no token: the call names the missing secret
    advance(Duration::from_millis(1800)).await;
    let error = call().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::MissingSecret, "{error}");
}

#[tokio::test]
async fn a_failed_refresh_is_warned_of_naming_the_api_and_the_valid_token_serves() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token")).respond_with(token_response("t1", 4)).up_to_n_times(1).mount(&server).await;
    let down = ResponseTemplate::new(503).set_body_json(serde_json::json!({ "error": "temporarily_unavailable" }));
    Mock::given(path("/oauth/token")).respond_with(down).mount(&server).await;
    let with_t1 = Mock::given(path("/tickets/1")).and(header("authorization", "Bearer t1"));
    with_t1.respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let conv = oauth_conversation(&server, oauth_builder());
    let call = || conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).into_future();
    assert_eq!(call().await.unwrap().status_code(), 200);
    // past the refresh point (half the 4 s), the token server is down
    advance(Duration::from_millis(2300)).await;
    let captured = support::tracing_capture::Collect::default();
    let guard = captured.set_default();
    let served = call().await.map(|response| response.status_code()).map_err(|error| error.to_string());
    drop(guard);
    assert_eq!(served, Ok(200), "the valid token serves");
    let warned = captured.lines().into_iter().find(|line| line.contains("oauth2 token refresh failed"));
    let warned = warned.unwrap_or_else(|| panic!("no warning: {:?}", captured.lines()));
    assert!(warned.starts_with("WARN") && warned.contains("api=\"zendesk\""), "{warned}");
    assert!(warned.contains("503") && warned.contains("target=conv_api"), "{warned}");
}

#[tokio::test]
async fn a_token_type_other_than_bearer_is_warned_of_naming_the_api_and_the_token_is_used() {
    let server = MockServer::start().await;
    let mac = serde_json::json!({ "access_token": "t1", "token_type": "MAC", "expires_in": 3600 });
    Mock::given(path("/oauth/token")).respond_with(ResponseTemplate::new(200).set_body_json(mac)).mount(&server).await;
    let with_t1 = Mock::given(path("/tickets/1")).and(header("authorization", "Bearer t1"));
    with_t1.respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let conv = oauth_conversation(&server, oauth_builder());
    let captured = support::tracing_capture::Collect::default();
    let guard = captured.set_default();
    let served =
        conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.map(|response| response.status_code());
    drop(guard);
    assert_eq!(served.map_err(|error| error.to_string()), Ok(200), "sent with the configured prefix");
    let warned = captured.lines().into_iter().find(|line| line.contains("oauth2 token type is not `Bearer`"));
    let warned = warned.unwrap_or_else(|| panic!("no warning: {:?}", captured.lines()));
    assert!(warned.starts_with("WARN") && warned.contains("api=\"zendesk\""), "{warned}");
    assert!(warned.contains("token_type=MAC") && warned.contains("target=conv_api"), "{warned}");
}

/// An access token a header cannot carry (a line break, NUL, DEL, a C1 control, a
/// character beyond Latin-1) is an auth error: nothing reaches the API, and the
/// token is shown neither in the error nor in the log.
#[tokio::test]
async fn an_access_token_no_header_can_carry_is_an_auth_error_and_never_shown() {
    for token in [
        "evil-token\r\nX-Injected: 1",
        "evil-token\nX-Injected: 1",
        "evil-token\0x",
        "evil-token\u{7f}x",
        "evil-token\u{85}x",
        "evil-token\u{20ac}",
    ] {
        let server = MockServer::start().await;
        Mock::given(path("/oauth/token")).respond_with(token_response(token, 3600)).mount(&server).await;
        Mock::given(path("/tickets/1")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&server).await;
        let conv = oauth_conversation(&server, oauth_builder().retry(support::ONE_ATTEMPT));
        let error = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Auth, "{token:?}: {error}");
        let shown = format!("{error} {error:?} {}", conv.log.to_jsonl());
        assert!(!shown.contains("evil-token"), "{token:?}: {shown}");
        server.verify().await;
    }
}

#[tokio::test]
async fn oauth2_header_credentials_use_the_rfc_6749_encoding_then_the_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(header("authorization", "Basic Q0xJRU5UX0lEJTNGJTNGOkNMSUVOVF9TRUNSRVQlM0YlM0Y="))
        .and(body_string("grant_type=client_credentials&scope=read"))
        .respond_with(token_response("t-1", 3600))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/tickets/4"))
        .and(header("authorization", "Bearer t-1"))
        .respond_with(ResponseTemplate::new(200))
        .expect(2)
        .mount(&server)
        .await;
    let conv = conversation(&server.uri(), "oauth2", &oauth_auth(&server, ", scope: read"), oauth_store());
    for _ in 0..2 {
        assert_eq!(conv.api.call("zendesk", "get_ticket").arg("ticket_id", 4).await.unwrap().status_code(), 200);
    }
}

#[tokio::test]
async fn oauth2_body_credentials_go_in_the_form_only_and_a_custom_header_carries_the_token() {
    let server = MockServer::start().await;
    let form = "grant_type=client_credentials&scope=read&client_id=CLIENT_ID%3F%3F&client_secret=CLIENT_SECRET%3F%3F";
    // "never in a header": no header holds the id or the secret in any form, not only `Authorization`
    let in_no_header = |request: &Request| {
        let forms = [
            "CLIENT_ID??".to_string(),
            "CLIENT_ID%3F%3F".to_string(),
            "CLIENT_SECRET??".to_string(),
            "CLIENT_SECRET%3F%3F".to_string(),
            STANDARD.encode("CLIENT_SECRET??"),
            STANDARD.encode("CLIENT_ID??:CLIENT_SECRET??"),
            STANDARD.encode("CLIENT_ID%3F%3F:CLIENT_SECRET%3F%3F"),
        ];
        request.headers.iter().all(|(_, value)| {
            let value = String::from_utf8_lossy(value.as_bytes());
            forms.iter().all(|form| !value.contains(form.as_str()))
        })
    };
    Mock::given(path("/oauth/token"))
        .and(body_string(form))
        .and(in_no_header)
        .respond_with(token_response("t-2", 3600))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/oauth/token"))
        .and(header_exists("authorization"))
        .respond_with(ResponseTemplate::new(400))
        .expect(0)
        .mount(&server)
        .await;
    Mock::given(path("/tickets/5"))
        .and(header("x-auth", "Token t-2"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let extra = ", credentials: body, scope: read, header_name: X-Auth, token_prefix: Token";
    let conv = conversation(&server.uri(), "oauth2", &oauth_auth(&server, extra), oauth_store());
    assert_eq!(conv.api.call("zendesk", "get_ticket").arg("ticket_id", 5).await.unwrap().status_code(), 200);
    let call = conv.log.entries()[0].request.clone().unwrap();
    let masked: Vec<(String, String)> = call.request_headers.into_iter().filter(|(name, _)| name == "x-auth").collect();
    assert_eq!(masked, [("x-auth".to_string(), "***".to_string())], "the configured header name is masked by name");
}
