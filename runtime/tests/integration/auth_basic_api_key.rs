//! Basic and API-key auth against a local server, through an authorizer and through
//! the runtime; clear text and bad values send nothing, keys are masked in the log.

use crate::auth_support;

use std::sync::Arc;
use std::time::Duration;

use auth_support::{authorizer, conversation, direct_client, environment, header, send, url, RotatingStore};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use conv_api_runtime::auth::AuthError;
use conv_api_runtime::{Conv, DynamicApi, DynamicApis, Environment, ErrorKind, MapSecretStore, RetryPolicy, Runtime};
use wiremock::matchers::{header as has_header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn basic_sends_username_and_password() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/tickets/1"))
        .and(has_header("authorization", "Basic YWdlbnRAYWNtZS5leGFtcGxlOnDDpHNzIHfDtnJk"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let env = environment(&server.uri(), "basic", "{ username: agent@acme.example }");
    let auth = authorizer(&env, MapSecretStore::new().with("ZENDESK_SANDBOX_PASSWORD", "päss wörd"));
    let target = url(&server.uri(), "/tickets/1");
    let credentials = auth.authorize(&target).await.unwrap();
    assert_eq!(send(&credentials, &direct_client(), &target).await, 200);
}

#[tokio::test]
async fn basic_username_with_a_colon_is_rejected() {
    // a written one is a definitions error (definitions/tests/rules/auth/headers.rs); one from the store fails the call
    let from_store = environment("https://api.example", "basic", "");
    let store = MapSecretStore::new().with("ZENDESK_SANDBOX_USERNAME", "x:y").with("ZENDESK_SANDBOX_PASSWORD", "pw");
    let error = authorizer(&from_store, store).authorize(&url("https://api.example", "/x")).await.unwrap_err();
    assert!(
        matches!(&error, AuthError::InvalidSetting { field: "username", secret, .. } if secret == "ZENDESK_SANDBOX_USERNAME")
    );
    let says = "the secret `ZENDESK_SANDBOX_USERNAME` (the auth `username`) must hold a username without `:`, which HTTP Basic cannot carry (RFC 7617); fix its value in the secret store";
    assert_eq!(error.to_string(), says);
}

#[tokio::test]
async fn api_key_goes_in_the_named_header_with_its_prefix() {
    let server = MockServer::start().await;
    Mock::given(has_header("x-custom-key", "Token k-123"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let env = environment(&server.uri(), "apiKey", "{ name: X-Custom-Key, prefix: Token }");
    let auth = authorizer(&env, MapSecretStore::new().with("ZENDESK_SANDBOX_API_KEY", "k-123"));
    let target = url(&server.uri(), "/tickets/1");
    let credentials = auth.authorize(&target).await.unwrap();
    assert_eq!(header(&credentials, "x-custom-key").as_deref(), Some("Token k-123"));
    assert!(credentials.headers()[0].1.is_sensitive());
    assert_eq!(send(&credentials, &direct_client(), &target).await, 200);
    assert_eq!(auth.sensitive_headers(), ["x-custom-key"]);
}

#[tokio::test]
async fn api_key_default_header_is_x_api_key_without_prefix() {
    let env = environment("https://api.example", "apiKey", "");
    let auth = authorizer(&env, MapSecretStore::new().with("ZENDESK_SANDBOX_API_KEY", "k-9"));
    let credentials = auth.authorize(&url("https://api.example", "/t")).await.unwrap();
    assert_eq!(header(&credentials, "X-API-Key").as_deref(), Some("k-9"));
    assert_eq!(credentials.query_pairs().count(), 0);
    assert!(credentials.token_identity().is_none());
}

#[tokio::test]
async fn api_key_in_the_query_is_encoded_by_the_url_library() {
    let server = MockServer::start().await;
    Mock::given(query_param("api_key", "k&1 =?"))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let env = environment(&server.uri(), "apiKey", "{ location: query, name: api_key }");
    let auth = authorizer(&env, MapSecretStore::new().with("ZENDESK_SANDBOX_API_KEY", "k&1 =?"));
    let target = url(&server.uri(), "/tickets?page=2");
    let credentials = auth.authorize(&target).await.unwrap();
    assert!(credentials.headers().is_empty());
    assert_eq!(send(&credentials, &direct_client(), &target).await, 200);
    let mut with_key = target;
    credentials.apply_to_url(&mut with_key);
    assert_eq!(with_key.query(), Some("page=2&api_key=k%261+%3D%3F"));
    assert_eq!(auth.sensitive_query_params(), ["api_key"]);
    // a pair of the key's name, in any case, is replaced; the others stay as written
    let mut replaced = url(&server.uri(), "/tickets?name=caf%E9&api%5Fkey=old&flag&f[a]=1&API_Key=x");
    credentials.apply_to_url(&mut replaced);
    assert_eq!(replaced.query(), Some("name=caf%E9&flag&f[a]=1&api_key=k%261+%3D%3F"));
}

#[tokio::test]
async fn a_missing_secret_fails_before_anything_is_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&server).await;
    let env = environment(&server.uri(), "apiKey", "");
    let error = authorizer(&env, MapSecretStore::new()).authorize(&url(&server.uri(), "/t")).await.unwrap_err();
    let AuthError::MissingSecret(missing) = &error else { panic!("expected a missing secret, got {error}") };
    assert_eq!(missing.name, "ZENDESK_SANDBOX_API_KEY");
    assert!(error.to_string().contains("add it to the secret store this runtime reads, MapSecretStore"), "{error}");
}

#[tokio::test]
async fn credentials_never_go_over_clear_text_except_to_loopback() {
    let env = environment("https://api.example", "apiKey", "");
    let auth = authorizer(&env, MapSecretStore::new().with("ZENDESK_SANDBOX_API_KEY", "k-1"));
    for target in
        ["http://api.example/t?token=abc", "http://user:pw@10.0.0.1/x", "http://[::ffff:10.0.0.1]/t?token=abc"]
    {
        let error = auth.authorize(&url(target, "")).await.unwrap_err();
        assert!(matches!(error, AuthError::ClearText { .. }), "{error}");
        let message = error.to_string();
        assert!(message.contains("never travel in clear text") && !message.contains("abc") && !message.contains("pw@"));
    }
    let loopback =
        ["http://localhost:1/t", "http://127.0.0.1:1/t", "http://[::1]:1/t", "http://[::ffff:127.0.0.1]:1/t"];
    for target in loopback.into_iter().chain(["https://api.example/t"]) {
        assert!(auth.authorize(&url(target, "")).await.is_ok(), "{target}");
    }
    let none = environment("http://api.example", "none", "");
    let credentials = authorizer(&none, MapSecretStore::new()).authorize(&url("http://api.example", "/t")).await;
    assert!(credentials.unwrap().headers().is_empty());
}

#[tokio::test]
async fn control_characters_in_a_secret_are_rejected() {
    let env = environment("https://api.example", "apiKey", "");
    // a tab and the C1 controls too, which an HTTP header value could carry
    for key in ["k\r\nX-Evil: 1", "k\tEvil", "k\u{85}Evil", "k\u{7f}Evil", "k\0Evil"] {
        let auth = authorizer(&env, MapSecretStore::new().with("ZENDESK_SANDBOX_API_KEY", key));
        let error = auth.authorize(&url("https://api.example", "/t")).await.unwrap_err();
        // the secret is named, never its value
        let says = "the secret `ZENDESK_SANDBOX_API_KEY` (the auth `value`) must hold text with no control character and nothing beyond Latin-1, which an HTTP header cannot carry (it holds a control character, such as CR, LF or a tab); fix its value in the secret store";
        assert_eq!(error.to_string(), says, "{key:?}");
        assert!(matches!(error, AuthError::InvalidSetting { field: "value", .. }), "{key:?}: {error}");
    }
    // a character no header can carry is told apart from a control character, and not shown
    let auth = authorizer(&env, MapSecretStore::new().with("ZENDESK_SANDBOX_API_KEY", "k-Ключ"));
    let error = auth.authorize(&url("https://api.example", "/t")).await.unwrap_err().to_string();
    assert!(
        error.contains("(it holds a character beyond Latin-1 (ISO-8859-1, in which header values are sent))"),
        "{error}"
    );
    assert!(!error.contains('К'), "{error}");
}

#[tokio::test]
async fn a_prefix_from_the_store_with_a_control_character_is_rejected() {
    let env = environment("https://api.example", "apiKey", "{ prefix: { secret: KEY_PREFIX } }");
    let store = MapSecretStore::new().with("KEY_PREFIX", "Key\tEvil").with("ZENDESK_SANDBOX_API_KEY", "k-7");
    let error = authorizer(&env, store).authorize(&url("https://api.example", "/t")).await.unwrap_err();
    assert!(matches!(error, AuthError::InvalidSetting { field: "prefix", .. }), "{error}");
    let message = error.to_string();
    assert!(
        message.contains("the secret `KEY_PREFIX` (the auth `prefix`) must hold text with no control character"),
        "{message}"
    );
    assert!(!message.contains("Evil"), "{message}");
}

#[tokio::test]
async fn api_key_location_name_and_prefix_may_come_from_the_store() {
    let server = MockServer::start().await;
    Mock::given(has_header("x-vendor-key", "Key k-7"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let auth = "{ location: { secret: KEY_WHERE }, name: { secret: KEY_NAME }, prefix: { secret: KEY_PREFIX } }";
    let env = environment(&server.uri(), "apiKey", auth);
    let store = || {
        MapSecretStore::new()
            .with("KEY_WHERE", "header\n")
            .with("KEY_NAME", "X-Vendor-Key")
            .with("KEY_PREFIX", "Key")
            .with("ZENDESK_SANDBOX_API_KEY", "k-7")
    };
    let authorizer_in_header = authorizer(&env, store());
    let target = url(&server.uri(), "/tickets/1");
    let credentials = authorizer_in_header.authorize(&target).await.unwrap();
    assert_eq!(send(&credentials, &direct_client(), &target).await, 200);
    assert_eq!(authorizer_in_header.sensitive_headers(), ["x-vendor-key"]);

    let in_query = authorizer(&env, store().with("KEY_WHERE", "query").with("KEY_NAME", "key[0]"));
    let credentials = in_query.authorize(&url("https://api.example", "/t")).await.unwrap();
    assert_eq!(credentials.query_pairs().collect::<Vec<_>>(), [("key[0]", "Key k-7")]);
    assert_eq!(in_query.sensitive_query_params(), ["key[0]"]);
}

#[tokio::test]
async fn a_setting_from_the_store_is_checked_without_showing_its_value() {
    let env = environment("https://api.example", "apiKey", "{ location: { secret: KEY_WHERE } }");
    let store = MapSecretStore::new().with("KEY_WHERE", "cookie-jar").with("ZENDESK_SANDBOX_API_KEY", "k");
    let error = auth_support::context(store);
    let error = conv_api_runtime::auth::Authorizer::new(&env, error).unwrap_err();
    assert!(matches!(error, AuthError::InvalidSetting { field: "location", .. }), "{error}");
    let message = error.to_string();
    assert!(
        message.contains("the secret `KEY_WHERE` (the auth `location`) must hold one of `header`, `query`"),
        "{message}"
    );
    assert!(!message.contains("cookie-jar"), "{message}");

    let env = environment("https://api.example", "apiKey", "{ name: { secret: KEY_NAME } }");
    let store = MapSecretStore::new().with("KEY_NAME", "not a header").with("ZENDESK_SANDBOX_API_KEY", "k");
    let error = conv_api_runtime::auth::Authorizer::new(&env, auth_support::context(store)).unwrap_err();
    assert!(error.to_string().contains("must hold a valid HTTP header name"), "{error}");
    assert!(!error.to_string().contains("not a header"), "{error}");
    // a key sent as `Host` would go where every proxy reads it
    let store = MapSecretStore::new().with("KEY_NAME", "Host").with("ZENDESK_SANDBOX_API_KEY", "k");
    let error = conv_api_runtime::auth::Authorizer::new(&env, auth_support::context(store)).unwrap_err();
    assert!(error.to_string().contains("other than those the HTTP client writes itself (`Host`"), "{error}");

    let store = MapSecretStore::new().with("ZENDESK_SANDBOX_API_KEY", "k");
    let error = conv_api_runtime::auth::Authorizer::new(&env, auth_support::context(store)).unwrap_err();
    assert!(matches!(error, AuthError::MissingSecret(_)), "{error}");
    assert!(error.to_string().contains("KEY_NAME"), "{error}");
}

#[tokio::test]
async fn basic_sends_the_username_and_the_password_from_the_store() {
    let server = MockServer::start().await;
    let expected = format!("Basic {}", STANDARD.encode("agent@acme.example:pa55"));
    Mock::given(path("/tickets/1"))
        .and(has_header("authorization", expected.as_str()))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let store = MapSecretStore::new().with("ZENDESK_SANDBOX_PASSWORD", "pa55");
    let conv = conversation(&server.uri(), "basic", "{ username: agent@acme.example }", store);
    let response = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap();
    assert_eq!(response.status_code(), 200);
}

#[tokio::test]
async fn a_password_from_a_file_ending_in_a_line_break_is_sent_without_it() {
    let server = MockServer::start().await;
    let expected = format!("Basic {}", STANDARD.encode("agent:pa55"));
    Mock::given(has_header("authorization", expected.as_str()))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let store = MapSecretStore::new().with("ZENDESK_SANDBOX_PASSWORD", "pa55\n");
    let conv = conversation(&server.uri(), "basic", "{ username: agent }", store);
    assert_eq!(conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap().status_code(), 200);
}

#[tokio::test]
async fn a_username_with_a_colon_is_rejected_and_nothing_is_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&server).await;
    // from the store: a written one is a definitions error
    let store = MapSecretStore::new().with("ZENDESK_SANDBOX_USERNAME", "a:b").with("ZENDESK_SANDBOX_PASSWORD", "pa55");
    let conv = conversation(&server.uri(), "basic", "", store);
    let error = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Auth);
    assert!(error.to_string().contains("`:`"), "{error}");
}

#[tokio::test]
async fn an_api_key_goes_in_its_header_with_the_prefix() {
    let server = MockServer::start().await;
    Mock::given(path("/tickets/2"))
        .and(has_header("x-custom-key", "Token k-123"))
        .respond_with(ResponseTemplate::new(200))
        .expect(2)
        .mount(&server)
        .await;
    let store = MapSecretStore::new().with("ZENDESK_SANDBOX_API_KEY", "k-123");
    let conv = conversation(&server.uri(), "apiKey", "{ name: X-Custom-Key, prefix: Token }", store.clone());
    assert_eq!(conv.api.call("zendesk", "get_ticket").arg("ticket_id", 2).await.unwrap().status_code(), 200);
    // a prefix written with its space joins the key with one space, as one read from the store does
    let spaced = conversation(&server.uri(), "apiKey", "{ name: X-Custom-Key, prefix: \"Token \" }", store);
    assert_eq!(spaced.api.call("zendesk", "get_ticket").arg("ticket_id", 2).await.unwrap().status_code(), 200);
    let call = conv.log.entries()[0].request.clone().unwrap();
    let shown = call.request_headers.iter().find(|(name, _)| name == "x-custom-key").map(|(_, value)| value.clone());
    assert_eq!(shown.as_deref(), Some("***"));
}

#[tokio::test]
async fn an_api_key_goes_in_the_query_and_is_masked_in_the_log() {
    let server = MockServer::start().await;
    Mock::given(path("/tickets/3"))
        .and(query_param("key", "k 1/2"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let store = MapSecretStore::new().with("ZENDESK_SANDBOX_API_KEY", "k 1/2");
    let conv = conversation(&server.uri(), "apiKey", "{ location: query, name: key }", store);
    assert_eq!(conv.api.call("zendesk", "get_ticket").arg("ticket_id", 3).await.unwrap().status_code(), 200);
    let call = conv.log.entries()[0].request.clone().unwrap();
    assert!(call.url.ends_with("/tickets/3?key=***"), "{}", call.url);
}

#[tokio::test]
async fn a_url_the_query_key_makes_too_long_is_an_invalid_argument_and_nothing_is_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&server).await;
    let store = MapSecretStore::new().with("ZENDESK_SANDBOX_API_KEY", "the-key");
    let conv = conversation(&server.uri(), "apiKey", "{ location: query, name: key }", store);
    // a URL of exactly the 65,534 bytes a request can carry, until the key is added
    let id = "x".repeat(65_534 - format!("{}/tickets/", server.uri()).len());
    let error = conv.api.call("zendesk", "get_ticket").arg("ticket_id", id).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{error}");
    let message = error.to_string();
    assert!(message.contains("with the API key in its query, more than the 65534"), "{message}");
    assert!(!message.contains("the-key"), "{message}");
    assert!(message.len() < 1_000, "the URL's start only: {} bytes", message.len());
    assert!(message.contains("xxx... (65534 bytes))"), "{message}");
    assert_eq!(error.url().map(str::len), Some(65_534), "whole, without the key");
}

/// A call that loose mocks passed on to the API, whose URL the query key then makes too
/// long, says why no mock rule answered it, as any other error of an attempt passed on does.
#[tokio::test]
async fn a_call_passed_on_by_loose_mocks_that_the_query_key_makes_too_long_says_why_no_rule_answered() {
    use conv_api_runtime::mocks::{Mocks, Rule};
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&server).await;
    let yaml = auth_support::definitions_yaml(&server.uri(), "apiKey", "{ location: query, name: key }");
    let apis = DynamicApis::parse("apis.yaml", &yaml).unwrap();
    let mocks = Mocks::new().with(Rule::on("zendesk", "get_ticket").when_header("x-mocked", "yes")).strict(false);
    let store = MapSecretStore::new().with("ZENDESK_SANDBOX_API_KEY", "the-key");
    let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(store).mocks(mocks).build().unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    let id = "x".repeat(65_534 - format!("{}/tickets/", server.uri()).len());
    let error = conv.api.call("zendesk", "get_ticket").arg("ticket_id", id).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{error}");
    let message = error.to_string();
    assert!(message.contains("with the API key in its query"), "{message}");
    assert!(message.contains("; no mock rule answered it: rule 1 "), "{message}");
}

#[tokio::test]
async fn an_api_key_in_the_query_replaces_a_pair_of_its_name() {
    let server = MockServer::start().await;
    let one_key = |request: &wiremock::Request| request.url.query() == Some("page=2&key=the-key");
    Mock::given(path("/tickets/4"))
        .and(one_key)
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let store = MapSecretStore::new().with("ZENDESK_SANDBOX_API_KEY", "the-key");
    let conv = conversation(&server.uri(), "apiKey", "{ location: query, name: key }", store);
    let call = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 4).query(&[("key", "x"), ("page", "2")]);
    assert_eq!(call.await.unwrap().status_code(), 200, "the caller's `key` does not go out next to the API key");
}

/// As `requests`' `auth=` replaces an `Authorization` header: the credentials the
/// environment configures go out alone, whatever header the caller set.
#[tokio::test]
async fn the_configured_credentials_replace_a_header_of_their_name_the_call_sets() {
    let server = MockServer::start().await;
    let alone = |name: &'static str, value: String| {
        move |request: &wiremock::Request| {
            let values: Vec<_> = request.headers.get_all(name).iter().map(|value| value.as_bytes().to_vec()).collect();
            values == [value.as_bytes().to_vec()]
        }
    };
    let basic = format!("Basic {}", STANDARD.encode("agent:pa55"));
    Mock::given(path("/tickets/5"))
        .and(alone("authorization", basic))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/tickets/6"))
        .and(alone("x-api-key", "k-6".into()))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let store = MapSecretStore::new().with("ZENDESK_SANDBOX_PASSWORD", "pa55");
    let conv = conversation(&server.uri(), "basic", "{ username: agent }", store);
    let own = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 5).header("Authorization", "Bearer own-token");
    assert_eq!(own.await.unwrap().status_code(), 200);
    let store = MapSecretStore::new().with("ZENDESK_SANDBOX_API_KEY", "k-6");
    let conv = conversation(&server.uri(), "apiKey", "", store);
    let own = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 6).header("x-api-key", "own-key");
    assert_eq!(own.await.unwrap().status_code(), 200);
}

#[tokio::test]
async fn an_api_key_placed_by_settings_from_the_store_is_masked_in_the_log() {
    let server = MockServer::start().await;
    Mock::given(path("/tickets/4"))
        .and(query_param("vendor_key", "k-4"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let store = MapSecretStore::new()
        .with("KEY_WHERE", "query")
        .with("KEY_NAME", "vendor_key")
        .with("ZENDESK_SANDBOX_API_KEY", "k-4");
    let auth = "{ location: { secret: KEY_WHERE }, name: { secret: KEY_NAME } }";
    let conv = conversation(&server.uri(), "apiKey", auth, store);
    assert_eq!(conv.api.call("zendesk", "get_ticket").arg("ticket_id", 4).await.unwrap().status_code(), 200);
    let call = conv.log.entries()[0].request.clone().unwrap();
    assert!(call.url.ends_with("/tickets/4?vendor_key=***"), "{}", call.url);
}

/// A conversation over API `zendesk` at `base_url` whose API key goes in the header
/// the secret `KEY_NAME` names; GETs are retried fast.
fn keyed_by_store(base_url: &str, store: Arc<RotatingStore>) -> Conv<DynamicApi> {
    let yaml = auth_support::definitions_yaml(base_url, "apiKey", "{ name: { secret: KEY_NAME } }");
    let apis = DynamicApis::parse("apis.yaml", &yaml).expect("the test definitions are valid");
    let retry = RetryPolicy { attempts: 2, base_delay: Duration::from_millis(1), max_delay: Duration::from_millis(2) };
    let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(store).retry(retry).build();
    runtime.expect("runtime builds").dynamic_conversation(&apis)
}

/// The value the log shows for the request header `name` of entry `index`.
fn logged_header(conv: &Conv<DynamicApi>, index: usize, name: &str) -> Option<String> {
    let call = conv.log.entries()[index].request.clone().unwrap();
    call.request_headers.into_iter().find(|(shown, _)| shown == name).map(|(_, value)| value)
}

#[tokio::test]
async fn a_key_header_named_by_the_store_follows_a_rotation_and_is_masked_under_each_name() {
    let server = MockServer::start().await;
    for (name, call) in [("x-first", "/tickets/1"), ("x-second", "/tickets/2")] {
        Mock::given(path(call))
            .and(has_header(name, "k-1"))
            .respond_with(ResponseTemplate::new(200))
            .expect(1)
            .mount(&server)
            .await;
    }
    let store = Arc::new(RotatingStore::default());
    store.set("KEY_NAME", "X-First");
    store.set("ZENDESK_SANDBOX_API_KEY", "k-1");
    let conv = keyed_by_store(&server.uri(), store.clone());
    assert_eq!(conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap().status_code(), 200);
    store.set("KEY_NAME", "X-Second");
    assert_eq!(conv.api.call("zendesk", "get_ticket").arg("ticket_id", 2).await.unwrap().status_code(), 200);
    assert_eq!(logged_header(&conv, 0, "x-first").as_deref(), Some("***"));
    assert_eq!(logged_header(&conv, 1, "x-second").as_deref(), Some("***"));
}

#[tokio::test]
async fn every_attempt_of_a_retried_call_carries_the_key_header() {
    let server = MockServer::start().await;
    let unavailable = ResponseTemplate::new(503);
    Mock::given(has_header("x-key", "k-2")).respond_with(unavailable).up_to_n_times(1).expect(1).mount(&server).await;
    Mock::given(has_header("x-key", "k-2")).respond_with(ResponseTemplate::new(200)).expect(1).mount(&server).await;
    let store = Arc::new(RotatingStore::default());
    store.set("KEY_NAME", "X-Key");
    store.set("ZENDESK_SANDBOX_API_KEY", "k-2");
    let conv = keyed_by_store(&server.uri(), store);
    assert_eq!(conv.api.call("zendesk", "get_ticket").arg("ticket_id", 3).await.unwrap().status_code(), 200);
    assert_eq!(conv.log.len(), 2, "two attempts");
    for attempt in 0..2 {
        assert_eq!(logged_header(&conv, attempt, "x-key").as_deref(), Some("***"), "attempt {attempt}");
    }
}

#[tokio::test]
async fn a_key_header_name_the_store_lacks_or_spells_wrong_fails_each_call_and_sends_nothing() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&server).await;
    let store = Arc::new(RotatingStore::default());
    store.set("ZENDESK_SANDBOX_API_KEY", "k-3");
    let conv = keyed_by_store(&server.uri(), store.clone());
    let error = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 4).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::MissingSecret);
    assert!(error.to_string().contains("KEY_NAME"), "{error}");
    store.set("KEY_NAME", "x key");
    for _ in 0..2 {
        let error = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 4).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Auth);
        assert!(error.to_string().contains("valid HTTP header name"), "{error}");
    }
    // a header the client writes itself: the key would frame the request
    for written in ["Content-Length", "host", "Transfer-Encoding"] {
        store.set("KEY_NAME", written);
        let error = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 4).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Auth);
        assert!(error.to_string().contains("other than those the HTTP client writes itself"), "{written}: {error}");
    }
}

/// A store that counts each name it is asked for.
struct Counting {
    inner: MapSecretStore,
    reads: std::sync::Mutex<Vec<String>>,
}

impl conv_api_runtime::SecretStore for Counting {
    fn get(&self, name: &str) -> Option<conv_api_runtime::SecretString> {
        self.reads.lock().unwrap().push(name.to_string());
        self.inner.get(name)
    }
}

#[test]
fn a_conversations_start_reads_a_basic_password_once_and_knows_it_also_without_a_username() {
    let conversation_over = |auth: &str, store: Arc<Counting>| {
        let yaml = auth_support::definitions_yaml("https://z.example", "basic", auth);
        let apis = DynamicApis::parse("apis.yaml", &yaml).unwrap();
        let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(store).build().unwrap();
        drop(runtime.dynamic_conversation(&apis));
        runtime
    };
    let password = MapSecretStore::new().with("ZENDESK_SANDBOX_PASSWORD", "pa55-word-1");
    let store = Arc::new(Counting { inner: password.clone(), reads: Default::default() });
    conversation_over("{ username: agent }", Arc::clone(&store));
    let reads = store.reads.lock().unwrap().clone();
    assert_eq!(reads.iter().filter(|name| *name == "ZENDESK_SANDBOX_PASSWORD").count(), 1, "{reads:?}");
    // no username anywhere: the password is read and known all the same
    let store = Arc::new(Counting { inner: password, reads: Default::default() });
    let runtime = conversation_over("", store);
    assert_eq!(runtime.redactor().text("echo pa55-word-1"), "echo ***");
}

/// A store that counts how often it is described or listed, which only a missing
/// secret's message needs.
#[derive(Default)]
struct Described {
    inner: MapSecretStore,
    described: std::sync::atomic::AtomicUsize,
}

impl conv_api_runtime::SecretStore for Described {
    fn get(&self, name: &str) -> Option<conv_api_runtime::SecretString> {
        self.inner.get(name)
    }

    fn describe(&self) -> String {
        self.described.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        "Described".to_string()
    }

    fn secret_names(&self) -> Vec<String> {
        self.described.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Vec::new()
    }
}

/// A store that counts how often it lists its names.
#[derive(Default)]
struct Listed {
    listed: std::sync::atomic::AtomicUsize,
}

impl conv_api_runtime::SecretStore for Listed {
    fn get(&self, _: &str) -> Option<conv_api_runtime::SecretString> {
        None
    }

    fn secret_names(&self) -> Vec<String> {
        self.listed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        vec!["UNRELATED".to_string()]
    }
}

/// The start-up checks list a store's names (which may cost a remote call) once,
/// however many secrets of however many APIs are missing.
#[test]
fn the_start_up_checks_list_the_store_once() {
    let yaml = "api_integrations:
  - name: basic
    environments: { sandbox: { base_url: \"https://b.example\", auth_type: basic } }
  - name: keyed
    environments: { sandbox: { base_url: \"https://k.example\", auth_type: apiKey } }
  - name: secured
    environments: { sandbox: { base_url: \"https://s.example\", auth_type: oauth2, tls: { ca: { secret: S_CA } } } }
";
    let apis = DynamicApis::parse("apis.yaml", yaml).unwrap();
    let store = Arc::new(Listed::default());
    let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(Arc::clone(&store)).build().unwrap();
    let listed = || store.listed.swap(0, std::sync::atomic::Ordering::Relaxed);
    assert_eq!(runtime.dynamic_missing_secrets(&apis).len(), 7);
    assert_eq!(listed(), 1, "missing_secrets");
    let problems = runtime.dynamic_preflight(&apis);
    assert_eq!(problems.len(), 7, "{problems:#?}");
    assert_eq!(listed(), 1, "preflight");
}

/// A conversation's start learns the credentials the store holds: one it lacks makes
/// no error there (describing a large store, and listing its names, at every start).
#[test]
fn a_conversations_start_over_apis_lacking_secrets_neither_describes_nor_lists_the_store() {
    for (auth_type, auth) in [
        ("basic", ""),
        ("basic", "{ username: agent }"),
        ("apiKey", ""),
        ("oauth2", "{ token_url: \"https://t.example/token\" }"),
    ] {
        let yaml = auth_support::definitions_yaml("https://z.example", auth_type, auth);
        let apis = DynamicApis::parse("apis.yaml", &yaml).unwrap();
        let store = Arc::new(Described::default());
        let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(Arc::clone(&store)).build().unwrap();
        drop(runtime.dynamic_conversation(&apis));
        assert_eq!(store.described.load(std::sync::atomic::Ordering::Relaxed), 0, "{auth_type} {auth}");
    }
}

/// Two APIs of one runtime that put their keys under the same name, one in a header
/// and one in the query: each key goes where its own API's settings say.
#[tokio::test]
async fn keys_of_two_apis_under_one_name_go_one_in_a_header_and_one_in_the_query() {
    let server = MockServer::start().await;
    let in_header = Mock::given(path("/header/1")).and(has_header("apikey", "k-h"));
    in_header.respond_with(ResponseTemplate::new(200)).expect(1).mount(&server).await;
    let in_query = Mock::given(path("/query/1")).and(query_param("apikey", "k-q"));
    in_query.respond_with(ResponseTemplate::new(200)).expect(1).mount(&server).await;
    let api = |name: &str, place: &str, auth: &str| {
        format!("  - name: {name}\n    environments:\n      sandbox:\n        base_url: \"{}/{place}\"\n        auth_type: apiKey\n        auth: {auth}\n    operations:\n      - {{ name: get, method: GET, resource: \"/{{id}}\" }}\n", server.uri())
    };
    let yaml = format!(
        "api_integrations:\n{}{}",
        api("inheader", "header", "{ name: apikey }"),
        api("inquery", "query", "{ location: query, name: apikey }")
    );
    let store = MapSecretStore::new().with("INHEADER_SANDBOX_API_KEY", "k-h").with("INQUERY_SANDBOX_API_KEY", "k-q");
    let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(store).build().unwrap();
    let conv = runtime.dynamic_conversation(&DynamicApis::parse("apis.yaml", &yaml).unwrap());
    for api in ["inheader", "inquery"] {
        let response = conv.api.call(api, "get").arg("id", 1).await.unwrap();
        assert_eq!(response.status_code(), 200, "{api}");
    }
}
