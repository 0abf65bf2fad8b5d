//! The OAuth 2.0 token request and response (RELIABILITY 1, 2, 5, 7, 8, 9).

use crate::auth_support;
use crate::support;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use auth_support::{
    authorizer, context_with, environment, header, oauth_environment, oauth_store, token_response, url,
};
use conv_api_runtime::auth::{AuthError, TokenError, TokenSettings, MAX_TOKEN_BODY};
use conv_api_runtime::MapSecretStore;
use serde_json::json;
use wiremock::matchers::{body_string, header as has_header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const GOLDEN: &str = "Basic Q0xJRU5UX0lEJTNGJTNGOkNMSUVOVF9TRUNSRVQlM0YlM0Y=";

#[tokio::test]
async fn header_credentials_are_form_encoded_then_basic_golden_vector() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(has_header("authorization", GOLDEN))
        .and(has_header("content-type", "application/x-www-form-urlencoded"))
        .and(has_header("user-agent", conv_api_runtime::USER_AGENT))
        .and(body_string("grant_type=client_credentials&scope=read+write"))
        .respond_with(token_response("tok-1", 3600))
        .expect(1)
        .mount(&server)
        .await;
    let auth =
        format!("{{ token_url: \"{}/oauth/token\", client_id: \"CLIENT_ID??\", scope: read write }}", server.uri());
    let env = environment(&server.uri(), "oauth2", &auth);
    let store = MapSecretStore::new().with("ZENDESK_SANDBOX_CLIENT_SECRET", "CLIENT_SECRET??");
    let authorizer = authorizer(&env, store);
    let credentials = authorizer.authorize(&url(&server.uri(), "/t")).await.unwrap();
    assert_eq!(header(&credentials, "authorization").as_deref(), Some("Bearer tok-1"));
    // the cached token serves the next request: the same identity, no second fetch
    let again = authorizer.authorize(&url(&server.uri(), "/t")).await.unwrap();
    assert!(credentials.token_identity().is_some_and(|identity| again.token_identity() == Some(identity)));
}

#[tokio::test]
async fn body_credentials_go_only_in_the_form() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token"))
        .and(body_string("grant_type=client_credentials&client_id=my-client&client_secret=s%3Dcr%26t+x"))
        .and(|request: &Request| !request.headers.contains_key("authorization"))
        .respond_with(token_response("tok-b", 3600))
        .expect(1)
        .mount(&server)
        .await;
    let env = oauth_environment(&server.uri(), ", credentials: body, header_name: X-Token, token_prefix: Token");
    let store = MapSecretStore::new().with("CS", "s=cr&t x");
    let credentials = authorizer(&env, store).authorize(&url(&server.uri(), "/t")).await.unwrap();
    assert_eq!(header(&credentials, "x-token").as_deref(), Some("Token tok-b"));
    assert!(header(&credentials, "authorization").is_none());
}

async fn token_error(response: ResponseTemplate) -> AuthError {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token")).respond_with(response).expect(1).mount(&server).await;
    let env = oauth_environment(&server.uri(), "");
    authorizer(&env, oauth_store()).authorize(&url(&server.uri(), "/t")).await.unwrap_err()
}

#[tokio::test]
async fn rfc_6749_error_responses_are_parsed() {
    let body = json!({ "error": "invalid_client", "error_description": "client\nauthentication failed" });
    let error = token_error(ResponseTemplate::new(401).set_body_json(body)).await;
    let AuthError::Token(TokenError::Rejected { status, error: code, description, .. }) = &error else {
        panic!("expected a rejection, got {error}")
    };
    assert_eq!((status.as_u16(), code.as_str()), (401, "invalid_client"));
    assert_eq!(description.as_deref(), Some("clientauthentication failed"));
    let message = error.to_string();
    assert!(message.contains("401 Unauthorized") && message.contains("`invalid_client`"), "{message}");
    assert!(message.contains("/oauth/token"), "{message}");
    assert!(message.ends_with("check the client id and client secret, and `credentials:` (`header` sends them as HTTP Basic, `body` in the form; some servers take only one)"), "{message}");
    // each code says what to look at
    for (code, advice) in [
        ("invalid_scope", "check `scope`: the token server does not grant it to this client"),
        ("unauthorized_client", "this client may not use the client credentials grant"),
        ("unsupported_grant_type", "the token server does not offer the client credentials grant at `token_url`"),
        ("temporarily_unavailable", "the token server is failing or busy, so try again later"),
        ("invalid_request", "check the client id, client secret and scope"),
    ] {
        let message = token_error(ResponseTemplate::new(400).set_body_json(json!({ "error": code }))).await.to_string();
        assert!(message.contains(&format!("with error `{code}`; {advice}")), "{message}");
    }
    // Keycloak's answer to a wrong client secret: the secret first
    let keycloak =
        json!({ "error": "unauthorized_client", "error_description": "Invalid client or Invalid client credentials" });
    let message = token_error(ResponseTemplate::new(401).set_body_json(keycloak)).await.to_string();
    assert!(message.contains("with error `unauthorized_client` (Invalid client or Invalid client credentials); the token server did not accept the client: check the client id and client secret"), "{message}");
}

#[tokio::test]
async fn a_client_secret_echoed_by_the_token_endpoint_is_masked_in_the_error() {
    let body = json!({ "error": "invalid_client the-client-secret", "error_description": "secret the-client-secret is wrong" });
    let error = token_error(ResponseTemplate::new(401).set_body_json(body)).await;
    for shown in [error.to_string(), format!("{error:?}")] {
        assert!(!shown.contains("the-client-secret"), "{shown}");
        assert!(shown.contains("secret *** is wrong"), "{shown}");
    }
}

#[tokio::test]
async fn an_echoed_client_secret_holding_a_control_character_is_masked_and_marks_are_escaped() {
    let server = MockServer::start().await;
    let body = json!({ "error": "invalid_client", "error_description": "unknown secret Zq8\tVw3nLp0sKx7 \u{2028}[INFO] ok \u{202e}gnp.exe" });
    Mock::given(path("/oauth/token")).respond_with(ResponseTemplate::new(401).set_body_json(body)).mount(&server).await;
    let store = MapSecretStore::new().with("CS", "Zq8\tVw3nLp0sKx7");
    let error = authorizer(&oauth_environment(&server.uri(), ""), store).authorize(&url(&server.uri(), "/t")).await;
    let message = error.unwrap_err().to_string();
    assert!(message.contains("(unknown secret *** \\u{2028}[INFO] ok \\u{202e}gnp.exe)"), "{message}");
    assert!(
        !message.contains("Vw3nLp0sKx7") && !message.contains('\u{2028}') && !message.contains('\u{202e}'),
        "{message}"
    );
}

#[tokio::test]
async fn a_200_with_an_error_field_is_an_auth_error_with_the_status() {
    let body = json!({ "error": "invalid_scope", "access_token": "ignored" });
    let error = token_error(ResponseTemplate::new(200).set_body_json(body)).await;
    assert!(matches!(&error, AuthError::Token(TokenError::Rejected { status, .. }) if status.as_u16() == 200));
    assert!(error.to_string().contains("200 OK") && error.to_string().contains("invalid_scope"), "{error}");
}

#[tokio::test]
async fn a_200_whose_error_is_null_empty_or_false_is_a_token() {
    for error in [json!(null), json!(""), json!(false)] {
        let server = MockServer::start().await;
        let body = json!({ "access_token": "tok-n", "expires_in": 3600, "error": error });
        let token = ResponseTemplate::new(200).set_body_json(body);
        Mock::given(path("/oauth/token")).respond_with(token).mount(&server).await;
        let credentials = authorizer(&oauth_environment(&server.uri(), ""), oauth_store())
            .authorize(&url(&server.uri(), "/t"))
            .await
            .unwrap_or_else(|rejected| panic!("{error}: a token, not {rejected}"));
        assert_eq!(header(&credentials, "authorization").as_deref(), Some("Bearer tok-n"));
    }
}

#[tokio::test]
async fn user_info_in_the_token_url_adds_no_second_authorization_header() {
    let server = MockServer::start().await;
    let one_authorization = |request: &Request| request.headers.get_all("authorization").iter().count() <= 1;
    Mock::given(path("/oauth/token"))
        .and(one_authorization)
        .and(has_header("authorization", GOLDEN))
        .respond_with(token_response("tok-h", 3600))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/oauth/token"))
        .and(body_string("grant_type=client_credentials&client_id=my-client&client_secret=s3cr3t"))
        .and(|request: &Request| !request.headers.contains_key("authorization"))
        .respond_with(token_response("tok-b", 3600))
        .expect(1)
        .mount(&server)
        .await;
    let with_user = server.uri().replace("http://", "http://someone:else@");
    let target = url(&server.uri(), "/t");
    let bearer = |auth: String, store: MapSecretStore| {
        let authorizer = authorizer(&environment(&server.uri(), "oauth2", &auth), store);
        let target = target.clone();
        async move { header(&authorizer.authorize(&target).await.unwrap(), "authorization") }
    };
    let auth = format!("{{ token_url: \"{with_user}/oauth/token\", client_id: \"CLIENT_ID??\" }}");
    let store = MapSecretStore::new().with("ZENDESK_SANDBOX_CLIENT_SECRET", "CLIENT_SECRET??");
    assert_eq!(bearer(auth, store).await.as_deref(), Some("Bearer tok-h"));
    let auth = format!(
        "{{ token_url: \"{with_user}/oauth/token\", client_id: my-client, client_secret: {{ secret: CS }}, credentials: body }}"
    );
    assert_eq!(bearer(auth, MapSecretStore::new().with("CS", "s3cr3t")).await.as_deref(), Some("Bearer tok-b"));
}

#[tokio::test]
async fn a_missing_empty_or_blank_access_token_is_an_auth_error() {
    let error = token_error(ResponseTemplate::new(200).set_body_json(json!({ "token_type": "Bearer" }))).await;
    assert!(matches!(error, AuthError::Token(TokenError::MissingAccessToken { .. })), "{error}");
    assert!(error.to_string().contains("200 OK without an `access_token`"), "{error}");
    for body in [json!({ "access_token": "" }), json!({ "access_token": " \t " })] {
        let error = token_error(ResponseTemplate::new(200).set_body_json(body)).await;
        assert!(matches!(error, AuthError::Token(TokenError::EmptyAccessToken { .. })), "{error}");
        assert!(
            error.to_string().contains("200 OK with an empty `access_token`; the token server gave no token"),
            "{error}"
        );
    }
    // one of another type says so
    let error = token_error(ResponseTemplate::new(200).set_body_json(json!({ "access_token": 5 }))).await;
    assert!(matches!(error, AuthError::Token(TokenError::AccessTokenNotText { .. })), "{error}");
}

#[tokio::test]
async fn an_html_error_page_is_an_auth_error_with_status_and_content_type() {
    let page = ResponseTemplate::new(502).set_body_raw("<html><body>Bad gateway</body></html>", "text/html");
    let error = token_error(page).await;
    let message = error.to_string();
    assert!(matches!(error, AuthError::Token(TokenError::NotJson { .. })), "{message}");
    assert!(message.contains("502 Bad Gateway with `text/html`, which is no token response (a JSON object with an `access_token`); the token server is failing or busy, so try again later"), "{message}");
    // a page that is no error: the URL may not be the token endpoint
    let page = ResponseTemplate::new(200).set_body_raw("<html><body>Welcome</body></html>", "text/html");
    let message = token_error(page).await.to_string();
    assert!(message.ends_with("200 OK with `text/html`, which is no token response (a JSON object with an `access_token`); check `token_url`"), "{message}");
    // JSON, but no object: a list is named for what it is not
    let list = ResponseTemplate::new(200).set_body_json(json!([{ "access_token": "t" }]));
    let message = token_error(list).await.to_string();
    assert!(message.ends_with("200 OK with `application/json`, which is no token response (a JSON object with an `access_token`); check `token_url`"), "{message}");
    let error = token_error(ResponseTemplate::new(500).set_body_json(json!({ "message": "boom" }))).await;
    assert!(error.to_string().contains("500 Internal Server Error with error `(none given)` (boom); the token server is failing or busy, so try again later"), "{error}");
    let blank =
        ResponseTemplate::new(400).set_body_json(json!({ "error": " ", "error_description": "client disabled" }));
    let error = token_error(blank).await;
    assert!(error.to_string().contains("400 Bad Request with error `(none given)` (client disabled)"), "{error}");
    // a 401 without a JSON body refuses the client's credentials, not the URL
    let refused = ResponseTemplate::new(401).insert_header("www-authenticate", "Basic realm=\"token\"");
    let message = token_error(refused).await.to_string();
    assert!(message.ends_with("401 Unauthorized with no content type, which is no token response (a JSON object with an `access_token`); the token server refused the client: check the client id and client secret, and `credentials:` (`header` or `body`)"), "{message}");
}

/// The client asks for no compression and decodes none: a token answer compressed
/// anyway says so, rather than that `token_url` may be wrong.
#[tokio::test]
async fn a_compressed_token_answer_names_its_encoding() {
    // `{"access_token":` gzipped, cut short: what it holds does not matter
    let gzipped = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xab, 0x56, 0x4a, 0x4c, 0x4e];
    let compressed = |status| {
        ResponseTemplate::new(status)
            .insert_header("content-encoding", "gzip")
            .set_body_raw(gzipped, "application/json")
    };
    let error = token_error(compressed(200)).await;
    let message = error.to_string();
    assert!(matches!(error, AuthError::Token(TokenError::NotJson { .. })), "{message}");
    assert!(message.ends_with("200 OK with `application/json`, which is no token response (a JSON object with an `access_token`); its body is compressed (`Content-Encoding: gzip`), which the client neither asks for nor decodes: ask the token server's owners to answer uncompressed"), "{message}");
    // a status that says more keeps its advice too
    let message = token_error(compressed(503)).await.to_string();
    assert!(
        message.ends_with(
            "which the client neither asks for nor decodes; the token server is failing or busy, so try again later"
        ),
        "{message}"
    );
}

#[tokio::test]
async fn a_token_response_led_by_a_byte_order_mark_is_read() {
    let server = MockServer::start().await;
    let body = format!("\u{feff}{}", json!({ "access_token": "tok-bom", "expires_in": 3600 }));
    let response = ResponseTemplate::new(200).set_body_raw(body, "application/json");
    Mock::given(path("/oauth/token")).respond_with(response).expect(1).mount(&server).await;
    let env = oauth_environment(&server.uri(), "");
    let credentials = authorizer(&env, oauth_store()).authorize(&url(&server.uri(), "/t")).await.unwrap();
    assert_eq!(header(&credentials, "authorization").as_deref(), Some("Bearer tok-bom"));
}

/// Older endpoints (GitHub's, unless asked for JSON) answer form-encoded; an error
/// so answered reads as one too, as does a form sent as `text/plain` (old Facebook
/// Graph endpoints) when it names an `access_token` or an `error`.
#[tokio::test]
async fn a_form_encoded_token_response_is_read() {
    let form = |status: u16, body: &str, content_type: &str| {
        ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), content_type)
    };
    let server = MockServer::start().await;
    let body = "access_token=tok%2Fform&token_type=bearer&expires_in=3600&scope=repo";
    let response = form(200, body, "application/x-www-form-urlencoded; charset=utf-8");
    Mock::given(path("/oauth/token")).respond_with(response).expect(1).mount(&server).await;
    let env = oauth_environment(&server.uri(), "");
    let credentials = authorizer(&env, oauth_store()).authorize(&url(&server.uri(), "/t")).await.unwrap();
    assert_eq!(header(&credentials, "authorization").as_deref(), Some("Bearer tok/form"));

    let refused = "error=invalid_client&error_description=bad+secret";
    let error = token_error(form(401, refused, "application/x-www-form-urlencoded")).await.to_string();
    assert!(error.contains("with error `invalid_client` (bad secret)"), "{error}");
    let error = token_error(form(401, refused, "text/plain; charset=utf-8")).await.to_string();
    assert!(error.contains("with error `invalid_client` (bad secret)"), "{error}");
    // declared a form, it is read as one even when it gives no token: an empty one, not an unreadable answer
    let blank = form(200, "access_token=&token_type=bearer", "application/x-www-form-urlencoded");
    let error = token_error(blank).await.to_string();
    assert!(error.contains("200 OK with an empty `access_token`"), "{error}");
    // one line only: a page of several is no such form, whatever a line of it says
    for undeclared in ["token=abc&expires=3600", "error", "access_token=&x=1", "error=upstream timeout\nrequest_id=7"] {
        let error = token_error(form(500, undeclared, "text/plain")).await.to_string();
        assert!(
            error.contains("which is no token response (a JSON object with an `access_token`)"),
            "{undeclared}: {error}"
        );
    }

    let server = MockServer::start().await;
    Mock::given(path("/oauth/token")).respond_with(form(200, body, "text/plain")).expect(1).mount(&server).await;
    let env = oauth_environment(&server.uri(), "");
    let credentials = authorizer(&env, oauth_store()).authorize(&url(&server.uri(), "/t")).await.unwrap();
    assert_eq!(header(&credentials, "authorization").as_deref(), Some("Bearer tok/form"));
}

#[tokio::test]
async fn expires_in_as_number_string_absent_or_huge_and_token_type_absent() {
    let bodies = [
        json!({ "access_token": "a", "expires_in": 3600 }),
        json!({ "access_token": "a", "expires_in": "3600" }),
        json!({ "access_token": "a", "expires_in": 3599.5 }),
        json!({ "access_token": "a" }),
        json!({ "access_token": "a", "expires_in": "soon" }),
        json!({ "access_token": "a", "expires_in": 1e300 }),
        json!({ "access_token": "a", "expires_in": u64::MAX }),
        json!({ "access_token": "a", "expires_in": -5 }),
    ];
    for body in bodies {
        let server = MockServer::start().await;
        let response = ResponseTemplate::new(200).set_body_json(&body);
        Mock::given(path("/oauth/token")).respond_with(response).expect(1).mount(&server).await;
        let env = oauth_environment(&server.uri(), "");
        let credentials = authorizer(&env, oauth_store()).authorize(&url(&server.uri(), "/t")).await;
        assert_eq!(header(&credentials.unwrap(), "authorization").as_deref(), Some("Bearer a"), "{body}");
    }
}

#[tokio::test]
async fn redirects_from_the_token_endpoint_are_not_followed() {
    let server = MockServer::start().await;
    let moved = ResponseTemplate::new(302).insert_header("location", format!("{}/elsewhere", server.uri()));
    Mock::given(path("/oauth/token")).respond_with(moved).expect(1).mount(&server).await;
    Mock::given(path("/elsewhere")).respond_with(token_response("stolen", 60)).expect(0).mount(&server).await;
    let env = oauth_environment(&server.uri(), "");
    let error = authorizer(&env, oauth_store()).authorize(&url(&server.uri(), "/t")).await.unwrap_err();
    assert!(matches!(&error, AuthError::Token(TokenError::Redirect { status, .. }) if status.as_u16() == 302));
    assert!(error.to_string().contains("not followed"), "{error}");
}

#[tokio::test]
async fn token_responses_over_one_mebibyte_are_refused() {
    let padding = "x".repeat(MAX_TOKEN_BODY);
    let body = json!({ "access_token": "a", "padding": padding });
    let error = token_error(ResponseTemplate::new(200).set_body_json(body)).await;
    assert!(matches!(error, AuthError::Token(TokenError::TooLarge { limit: MAX_TOKEN_BODY, .. })), "{error}");
    assert!(error.to_string().ends_with("check that `token_url` is the client credentials token endpoint"), "{error}");
    let fits = json!({ "access_token": "a", "padding": "x".repeat(MAX_TOKEN_BODY - 100) });
    let server = MockServer::start().await;
    let response = ResponseTemplate::new(200).set_body_json(fits);
    Mock::given(path("/oauth/token")).respond_with(response).expect(1).mount(&server).await;
    let env = oauth_environment(&server.uri(), "");
    let credentials = authorizer(&env, oauth_store()).authorize(&url(&server.uri(), "/t")).await.unwrap();
    assert_eq!(header(&credentials, "authorization").as_deref(), Some("Bearer a"));
}

#[tokio::test]
async fn a_token_endpoint_that_cannot_be_reached_is_named_with_the_cause() {
    let closed = support::closed_port_url();
    let error = authorizer(&oauth_environment(&closed, ""), oauth_store()).authorize(&url(&closed, "/t")).await;
    let error = error.unwrap_err();
    assert!(matches!(error, AuthError::Token(TokenError::Transport { .. })), "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains(&format!("`{closed}/oauth/token`")) && message.to_lowercase().contains("refused"),
        "{message}"
    );
    // the cause's chain, down to the operating system's error, without the URL
    let AuthError::Token(TokenError::Transport { source, .. }) = &error else { unreachable!() };
    assert!(source.is_connect(), "{source:?}");
    let chain: Vec<String> = std::iter::successors(Some(source as &dyn std::error::Error), |error| error.source())
        .map(ToString::to_string)
        .collect();
    assert!(chain.last().is_some_and(|os| os.to_lowercase().contains("refused")), "{chain:?}");
    assert!(!chain.iter().any(|text| text.contains(&closed)), "{chain:?}");
}

#[tokio::test]
async fn a_token_endpoint_that_answers_what_is_not_http_is_a_lasting_error_that_says_to_check_the_url() {
    // another server's port (SSH's greeting), as the API's own such answer is
    let message = lasting_transport_error("SSH-2.0-OpenSSH_8.9\r\n".to_string()).await;
    let advice = "the answer is not HTTP the client can read: check that `token_url` is the token endpoint's (scheme, host and port)";
    assert!(message.ends_with(advice), "{message}");
    // one that cannot be reached may come up: it stays transient
    let closed = support::closed_port_url();
    let error = authorizer(&oauth_environment(&closed, ""), oauth_store()).authorize(&url(&closed, "/t")).await;
    assert!(error.unwrap_err().is_transient());
}

/// A head too large to read says the limits, as an API call's error does, not only
/// hyper's "message head is too large".
#[tokio::test]
async fn a_token_answer_whose_head_is_too_large_names_the_limits() {
    let large = format!("HTTP/1.1 200 OK\r\nx-large: {}\r\ncontent-length: 2\r\n\r\n{{}}", "v".repeat(500 * 1024));
    let message = lasting_transport_error(large).await;
    let says = "failed: message head is too large; the answer is not HTTP the client can read (more than 100 headers, a status line and headers over 408 KiB, or a `Content-Length` of 18446744073709551614 or more): check that `token_url` is the token endpoint's (scheme, host and port)";
    assert!(message.ends_with(says), "{message}");
}

/// The message of the token request's error from a server whose one answer is
/// `answer`: a transport error, asked once, that another request would repeat.
async fn lasting_transport_error(answer: String) -> String {
    let (server, answered) = support::scripted_server(vec![answer]).await;
    let env = oauth_environment(&server, "");
    let error = authorizer(&env, oauth_store()).authorize(&url(&server, "/t")).await.unwrap_err();
    assert!(matches!(error, AuthError::Token(TokenError::Transport { .. })), "{error:?}");
    assert!(!error.is_transient(), "the same endpoint answers the same: {error}");
    assert_eq!(answered.load(Ordering::SeqCst), 1);
    error.to_string()
}

#[tokio::test]
async fn a_token_answer_whose_body_breaks_is_told_apart_from_a_url_that_is_no_token_endpoints() {
    let broken =
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n";
    let (server, _) = support::scripted_server(vec![broken.to_string()]).await;
    let env = oauth_environment(&server, "");
    let error = authorizer(&env, oauth_store()).authorize(&url(&server, "/t")).await.unwrap_err();
    assert!(matches!(error, AuthError::Token(TokenError::BodyBroken { .. })), "{error:?}");
    let message = error.to_string();
    assert!(message.contains("answered 200 OK, then its body could not be read: "), "{message}");
    assert!(message.ends_with("try again later, or ask its owners to fix the answer"), "{message}");
    assert!(!message.contains("scheme, host and port"), "{message}");
}

#[tokio::test]
async fn a_token_endpoint_that_resets_or_cuts_its_answer_is_asked_again_by_the_next_caller() {
    for misbehave in [support::Misbehave::Reset, support::Misbehave::CutBody] {
        let (server, connections) = support::raw_server(misbehave).await;
        let auth = authorizer(&oauth_environment(&server, ""), oauth_store());
        for _ in 0..2 {
            let error = auth.authorize(&url(&server, "/t")).await.unwrap_err();
            assert!(matches!(error, AuthError::Token(_)), "{misbehave:?}: {error:?}");
        }
        assert_eq!(connections.load(Ordering::SeqCst), 2, "{misbehave:?}: a failed request is not cached");
    }
}

#[tokio::test]
async fn a_chunked_token_response_is_refused_once_it_passes_the_cap() {
    // no Content-Length to refuse up front: the cap holds while the body is read
    let endless = support::endless_body_server();
    let env = oauth_environment(&endless, "");
    let error = authorizer(&env, oauth_store()).authorize(&url(&endless, "/t")).await.unwrap_err();
    assert!(matches!(error, AuthError::Token(TokenError::TooLarge { limit: MAX_TOKEN_BODY, .. })), "{error}");
}

/// A JSON token response of exactly `size` bytes: `access_token` `a`, padded with a `pad` field.
fn token_body_of(size: usize) -> String {
    let empty = r#"{"access_token":"a","pad":""}"#;
    let body = format!(r#"{{"access_token":"a","pad":"{}"}}"#, "x".repeat(size - empty.len()));
    assert_eq!(body.len(), size);
    body
}

#[tokio::test]
async fn the_token_response_cap_is_exactly_1_048_576_bytes_with_or_without_a_content_length() {
    // "response capped (1 MiB)": sizes written out, not taken from `MAX_TOKEN_BODY`
    let answer = |size: usize| ResponseTemplate::new(200).set_body_raw(token_body_of(size), "application/json");
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token")).respond_with(answer(1_048_576)).expect(1).mount(&server).await;
    let env = oauth_environment(&server.uri(), "");
    let credentials = authorizer(&env, oauth_store()).authorize(&url(&server.uri(), "/t")).await.unwrap();
    assert_eq!(header(&credentials, "authorization").as_deref(), Some("Bearer a"), "a body of exactly 1 MiB fits");
    let error = token_error(answer(1_048_577)).await;
    assert!(matches!(error, AuthError::Token(TokenError::TooLarge { limit: 1_048_576, .. })), "{error}");
    // chunked, no Content-Length: the bytes read count
    let chunked = |size: usize| async move {
        let body = token_body_of(size);
        let chunks: String = (0..body.len())
            .step_by(64 * 1024)
            .map(|start| &body[start..body.len().min(start + 64 * 1024)])
            .map(|chunk| format!("{:x}\r\n{chunk}\r\n", chunk.len()))
            .collect();
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
        let (server, _) = support::scripted_server(vec![format!("{head}{chunks}0\r\n\r\n")]).await;
        authorizer(&oauth_environment(&server, ""), oauth_store()).authorize(&url(&server, "/t")).await
    };
    let credentials = chunked(1_048_576).await.unwrap();
    assert_eq!(header(&credentials, "authorization").as_deref(), Some("Bearer a"), "chunked, exactly 1 MiB fits");
    let error = chunked(1_048_577).await.unwrap_err();
    assert!(matches!(error, AuthError::Token(TokenError::TooLarge { limit: 1_048_576, .. })), "{error}");
}

/// A token endpoint that answers after an hour while the flag is set, else at once.
struct SlowWhile(Arc<AtomicBool>);

impl Respond for SlowWhile {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        if self.0.load(Ordering::SeqCst) {
            token_response("late", 3600).set_delay(Duration::from_secs(3600))
        } else {
            token_response("on-time", 3600)
        }
    }
}

#[tokio::test(start_paused = true)]
async fn the_token_request_has_its_own_timeout_and_a_timeout_is_not_cached() {
    let server = MockServer::start().await;
    // slow until the first fetch has failed: the paused clock may fire the timeout
    // before the first request even reaches the server
    let slow = Arc::new(AtomicBool::new(true));
    let answer = SlowWhile(Arc::clone(&slow));
    Mock::given(path("/oauth/token")).respond_with(answer).mount(&server).await;
    let env = oauth_environment(&server.uri(), "");
    let settings = TokenSettings { timeout: Duration::from_secs(5), ..TokenSettings::default() };
    let auth = conv_api_runtime::auth::Authorizer::new(&env, context_with(oauth_store(), settings)).unwrap();
    let error = auth.authorize(&url(&server.uri(), "/t")).await.unwrap_err();
    assert!(matches!(error, AuthError::Token(TokenError::Timeout { after, .. }) if after == Duration::from_secs(5)));
    assert!(error.to_string().contains("timed out after 5s"), "{error}");
    assert!(!error.is_transient(), "the token timeout was waited out: a call does not wait it again");
    slow.store(false, Ordering::SeqCst);
    tokio::time::resume();
    let credentials = auth.authorize(&url(&server.uri(), "/t")).await.unwrap();
    assert_eq!(header(&credentials, "authorization").as_deref(), Some("Bearer on-time"));
}

/// The token request's timeout bounds its whole answer: a body dripped a byte every
/// 20 ms ends at the timeout too.
#[tokio::test(start_paused = true)]
async fn a_token_answer_dripped_a_byte_at_a_time_is_ended_by_the_token_requests_timeout() {
    let (server, connections) = support::raw_connections(|mut stream, _, _| async move {
        use tokio::io::AsyncWriteExt;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{";
        let _ = stream.write_all(head.as_bytes()).await;
        for _ in 0..500 {
            tokio::time::sleep(Duration::from_millis(20)).await;
            if stream.write_all(b" ").await.is_err() {
                return;
            }
        }
    })
    .await;
    let settings = TokenSettings { timeout: Duration::from_millis(300), ..TokenSettings::default() };
    let env = oauth_environment(&server, "");
    let auth = conv_api_runtime::auth::Authorizer::new(&env, context_with(oauth_store(), settings)).unwrap();
    let started = tokio::time::Instant::now();
    let error = auth.authorize(&url(&server, "/t")).await.unwrap_err();
    assert!(matches!(error, AuthError::Token(TokenError::Timeout { .. })), "{error:?}");
    assert!(started.elapsed() < Duration::from_millis(400), "{:?}", started.elapsed());
    assert_eq!(connections.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_token_url_from_the_store_must_not_be_clear_text() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(token_response("t", 60)).expect(0).mount(&server).await;
    let env = environment(&server.uri(), "oauth2", "{ client_id: my-client }");
    let store = oauth_store()
        .with("ZENDESK_SANDBOX_CLIENT_SECRET", "cs")
        .with("ZENDESK_SANDBOX_TOKEN_URL", "http://auth.example/token");
    let error = authorizer(&env, store).authorize(&url(&server.uri(), "/t")).await.unwrap_err();
    assert!(matches!(error, AuthError::InvalidTokenUrl { .. }), "{error}");
    assert!(error.to_string().contains("credentials never travel in clear text"), "{error}");
    // the message names the secret to fix, never its value (API.md: a secret's value never appears in an error)
    let says = "the oauth2 `token_url` (from secret `ZENDESK_SANDBOX_TOKEN_URL`) is set to a plain `http` URL to a host that is not loopback: credentials never travel in clear text, so use `https`";
    assert!(error.to_string().starts_with(says), "{error}");
    assert!(!error.to_string().contains("auth.example"), "{error}");
    // nor where it cannot be read as a URL at all
    let env = environment(&server.uri(), "oauth2", "{ client_id: my-client }");
    let store = oauth_store()
        .with("ZENDESK_SANDBOX_CLIENT_SECRET", "cs")
        .with("ZENDESK_SANDBOX_TOKEN_URL", "s3cr3t-host:8443/t");
    let error = authorizer(&env, store).authorize(&url(&server.uri(), "/t")).await.unwrap_err();
    let says = "(from secret `ZENDESK_SANDBOX_TOKEN_URL`) is set to text, which has no scheme: write it with `http://` before the host";
    assert!(error.to_string().contains(says) && !error.to_string().contains("s3cr3t"), "{error}");
}

#[tokio::test]
async fn the_whole_wiring_can_come_from_the_store() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token"))
        .and(body_string("grant_type=client_credentials&scope=tickets%3Aread"))
        .respond_with(token_response("from-store", 60))
        .expect(1)
        .mount(&server)
        .await;
    let env = environment(&server.uri(), "oauth2", "");
    let store = MapSecretStore::new()
        .with("ZENDESK_SANDBOX_TOKEN_URL", format!("{}/oauth/token", server.uri()))
        .with("ZENDESK_SANDBOX_CLIENT_ID", "id")
        .with("ZENDESK_SANDBOX_CLIENT_SECRET", "cs")
        .with("ZENDESK_SANDBOX_SCOPE", "tickets:read");
    let credentials = authorizer(&env, store).authorize(&url(&server.uri(), "/t")).await.unwrap();
    assert_eq!(header(&credentials, "authorization").as_deref(), Some("Bearer from-store"));
}

#[tokio::test]
async fn credentials_header_name_and_token_prefix_may_come_from_the_store() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token"))
        .and(body_string("grant_type=client_credentials&client_id=my-client&client_secret=the-client-secret"))
        .respond_with(token_response("tok-s", 3600))
        .expect(1)
        .mount(&server)
        .await;
    let extra = ", credentials: { secret: WHERE }, header_name: { secret: HEADER }, token_prefix: { secret: PREFIX }";
    let env = oauth_environment(&server.uri(), extra);
    let store = oauth_store().with("WHERE", "body").with("HEADER", "X-Token").with("PREFIX", "Token");
    let credentials = authorizer(&env, store).authorize(&url(&server.uri(), "/t")).await.unwrap();
    assert_eq!(header(&credentials, "x-token").as_deref(), Some("Token tok-s"));
}

#[tokio::test]
async fn a_token_prefix_from_the_store_with_a_control_character_is_rejected() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token")).respond_with(token_response("tok-s", 3600)).mount(&server).await;
    let env = oauth_environment(&server.uri(), ", token_prefix: { secret: PREFIX }");
    let store = oauth_store().with("PREFIX", "Token\u{9b}x");
    let error = authorizer(&env, store).authorize(&url(&server.uri(), "/t")).await.unwrap_err();
    assert!(matches!(error, AuthError::InvalidSetting { field: "token_prefix", .. }), "{error}");
    assert!(
        error
            .to_string()
            .contains("the secret `PREFIX` (the auth `token_prefix`) must hold text with no control character"),
        "{error}"
    );
}

/// `token_params` go in the form after the grant and scope, a secret's value read
/// from the store; one the store lacks fails before anything is sent.
#[tokio::test]
async fn token_params_go_in_the_form() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token"))
        .and(body_string(
            "grant_type=client_credentials&scope=read&audience=https%3A%2F%2Fapi.crm.example&resource=res+1&client_id=my-client&client_secret=cs",
        ))
        .respond_with(token_response("tok-a", 3600))
        .expect(1)
        .mount(&server)
        .await;
    let params = ", credentials: body, scope: read, token_params: { audience: \"https://api.crm.example\", resource: { secret: RESOURCE } }";
    let env = oauth_environment(&server.uri(), params);
    let store = MapSecretStore::new().with("CS", "cs").with("RESOURCE", "res 1");
    let credentials = authorizer(&env, store).authorize(&url(&server.uri(), "/t")).await;
    assert_eq!(header(&credentials.unwrap(), "authorization").as_deref(), Some("Bearer tok-a"));
    let error = authorizer(&env, MapSecretStore::new().with("CS", "cs")).authorize(&url(&server.uri(), "/t")).await;
    let message = error.unwrap_err().to_string();
    assert!(message.starts_with("missing secret `RESOURCE` (named for `auth.token_params.resource`"), "{message}");
    // one read from the store is masked as secrets are, the written one not
    let server = MockServer::start().await;
    let echo =
        json!({ "error": "invalid_target", "error_description": "no resource rsrc-9f3k2 for https://api.crm.example" });
    Mock::given(path("/oauth/token")).respond_with(ResponseTemplate::new(400).set_body_json(echo)).mount(&server).await;
    let env = oauth_environment(&server.uri(), params);
    let store = MapSecretStore::new().with("CS", "cs").with("RESOURCE", "rsrc-9f3k2");
    let message = authorizer(&env, store).authorize(&url(&server.uri(), "/t")).await.unwrap_err().to_string();
    assert!(message.contains("(no resource *** for https://api.crm.example)"), "{message}");
}

#[tokio::test]
async fn body_credentials_with_a_scope_send_it_in_the_form_too() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token"))
        .and(body_string(
            "grant_type=client_credentials&scope=tickets%3Aread+users&client_id=my-client&client_secret=cs",
        ))
        .and(|request: &Request| !request.headers.contains_key("authorization"))
        .respond_with(token_response("tok-s", 3600))
        .expect(1)
        .mount(&server)
        .await;
    let env = oauth_environment(&server.uri(), ", credentials: body, scope: \"tickets:read users\"");
    let credentials =
        authorizer(&env, MapSecretStore::new().with("CS", "cs")).authorize(&url(&server.uri(), "/t")).await;
    assert_eq!(header(&credentials.unwrap(), "authorization").as_deref(), Some("Bearer tok-s"));
}

/// A token answer that says "not now" with a `Retry-After` and whose body then
/// breaks keeps its wait (AskedToWait) and, as without the wait, the transport
/// error as its cause: the wrapping must not cut the `source()` chain.
#[tokio::test]
async fn a_broken_token_body_with_retry_after_keeps_its_transport_cause() {
    let broken = "HTTP/1.1 503 Service Unavailable\r\nretry-after: 30\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n";
    let (server, _) = support::scripted_server(vec![broken.to_string()]).await;
    let env = oauth_environment(&server, "");
    let error = authorizer(&env, oauth_store()).authorize(&url(&server, "/t")).await.unwrap_err();
    assert_eq!(error.retry_after(), Some(Duration::from_secs(30)), "{error:?}");
    let chain: Vec<&dyn std::error::Error> =
        std::iter::successors(Some(&error as &dyn std::error::Error), |error| error.source()).collect();
    assert!(
        chain.iter().any(|cause| cause.downcast_ref::<conv_api_runtime::auth::TransportError>().is_some()),
        "{error:?}"
    );
}
