//! No secret or token in any `Debug`, `Display` or error (RELIABILITY 16), and the values
//! the log redactor needs are exposed with their encoded forms (RELIABILITY 18).

mod support;

use std::sync::Arc;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use conv_api_auth_scratch::{
    AuthContext, Authorizer, DotenvSecretStore, KnownSecrets, MapSecretStore, SecretStore, TokenSettings,
};
use secrecy::ExposeSecret;
use support::{environment, oauth_environment, token_response, url};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

const CLIENT_SECRET: &str = "cl13nt-s3cret";
const TOKEN: &str = "acc3ss-t0ken";
const PASSWORD: &str = "pa55-w0rd";
const API_KEY: &str = "ap1-k3y";

fn assert_clean(text: &str) {
    for secret in [CLIENT_SECRET, TOKEN, PASSWORD, API_KEY] {
        assert!(!text.contains(secret), "`{secret}` leaked in: {text}");
        assert!(!text.contains(&STANDARD.encode(secret)), "base64 of `{secret}` leaked in: {text}");
    }
}

fn store() -> MapSecretStore {
    MapSecretStore::new()
        .with("CS", CLIENT_SECRET)
        .with("ZENDESK_SANDBOX_PASSWORD", PASSWORD)
        .with("ZENDESK_SANDBOX_API_KEY", API_KEY)
}

#[tokio::test]
async fn debug_of_every_type_shows_no_secret_or_token() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token")).respond_with(token_response(TOKEN, 3600)).mount(&server).await;
    let context = AuthContext::new(Arc::new(store()), TokenSettings::default()).unwrap();
    let target = url(&server.uri(), "/t");
    let environments = [
        oauth_environment(&server.uri(), ""),
        environment(&server.uri(), "basic", "{ username: agent }"),
        environment(&server.uri(), "apiKey", ""),
        environment(&server.uri(), "apiKey", "{ location: query, name: key }"),
    ];
    for env in &environments {
        let auth = Authorizer::new(env, context.clone()).unwrap();
        let credentials = auth.authorize(&target).await.unwrap();
        assert_clean(&format!("{auth:?} {credentials:?} {:?}", credentials.headers()));
    }
    assert_clean(&format!("{context:?} {:?} {:?}", context.tokens, context.known));
    let dotenv = DotenvSecretStore::parse(&format!("CS={CLIENT_SECRET}\nKEY=\"{API_KEY}\"\n")).unwrap();
    assert_clean(&format!("{dotenv:?} {:?}", store()));
    assert!(dotenv.get("CS").is_some_and(|value| !format!("{value:?}").contains(CLIENT_SECRET)));
}

#[tokio::test]
async fn errors_show_no_secret_or_token() {
    let server = MockServer::start().await;
    let echo = serde_json::json!({ "error": "invalid_client", "error_description": "bad" , "access_token": TOKEN });
    Mock::given(path("/oauth/token")).respond_with(ResponseTemplate::new(401).set_body_json(echo)).mount(&server).await;
    let html = ResponseTemplate::new(500).set_body_raw(format!("<html>{CLIENT_SECRET} {TOKEN}</html>"), "text/html");
    Mock::given(path("/html/token")).respond_with(html).mount(&server).await;
    let target = url(&server.uri(), "/t");
    let html_env = environment(
        &server.uri(),
        "oauth2",
        &format!("{{ token_url: \"{}/html/token\", client_id: id, client_secret: {{ secret: CS }} }}", server.uri()),
    );
    let colon = MapSecretStore::new().with("ZENDESK_SANDBOX_USERNAME", format!("{PASSWORD}:x"));
    let control = MapSecretStore::new().with("ZENDESK_SANDBOX_API_KEY", format!("{API_KEY}\n"));
    let cases = [
        (oauth_environment(&server.uri(), ""), store()),
        (html_env, store()),
        (environment(&server.uri(), "basic", ""), colon),
        (environment(&server.uri(), "apiKey", ""), control),
        (environment(&server.uri(), "apiKey", ""), MapSecretStore::new()),
    ];
    for (env, store) in cases {
        let error = support::authorizer(&env, store).authorize(&target).await.unwrap_err();
        assert_clean(&format!("{error} {error:?}"));
    }
    let clear = support::authorizer(&environment("https://api.example", "apiKey", ""), self::store());
    let error = clear.authorize(&url(&format!("http://u:{PASSWORD}@api.example"), &format!("/t?k={API_KEY}"))).await;
    assert_clean(&format!("{}", error.unwrap_err()));
}

#[tokio::test]
async fn known_values_cover_every_secret_and_token_in_use_with_encodings() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token")).respond_with(token_response(TOKEN, 3600)).mount(&server).await;
    let context = AuthContext::new(Arc::new(store()), TokenSettings::default()).unwrap();
    let target = url(&server.uri(), "/t");
    for env in [
        oauth_environment(&server.uri(), ""),
        environment(&server.uri(), "basic", "{ username: agent }"),
        environment(&server.uri(), "apiKey", ""),
    ] {
        Authorizer::new(&env, context.clone()).unwrap().authorize(&target).await.unwrap();
    }
    let known: Vec<String> = context.known.values().iter().map(|v| v.expose_secret().to_string()).collect();
    for expected in [CLIENT_SECRET, TOKEN, PASSWORD, API_KEY, "agent:pa55-w0rd"] {
        assert!(known.contains(&expected.to_string()), "{expected} missing");
        assert!(known.contains(&STANDARD.encode(expected)), "base64 of {expected} missing");
    }
    assert!(known.contains(&"agent%3Apa55%2Dw0rd".to_string()));
    assert!(known.windows(2).all(|pair| pair[0].len() >= pair[1].len()), "longest first");
}

#[tokio::test]
async fn a_last_scan_with_the_known_values_removes_an_echoed_key() {
    let server = MockServer::start().await;
    let echoed = format!("key={API_KEY} b64={} basic={}", STANDARD.encode(API_KEY), STANDARD.encode("agent:pa55-w0rd"));
    Mock::given(path("/echo")).respond_with(ResponseTemplate::new(200).set_body_string(echoed)).mount(&server).await;
    let context = AuthContext::new(Arc::new(store()), TokenSettings::default()).unwrap();
    for env in [environment(&server.uri(), "apiKey", ""), environment(&server.uri(), "basic", "{ username: agent }")] {
        Authorizer::new(&env, context.clone()).unwrap().authorize(&url(&server.uri(), "/echo")).await.unwrap();
    }
    let body = reqwest::get(format!("{}/echo", server.uri())).await.unwrap().text().await.unwrap();
    assert!(body.contains(API_KEY));
    let scrubbed = context.known.values().iter().fold(body, |text, value| text.replace(value.expose_secret(), "***"));
    assert_clean(&scrubbed);
    assert_eq!(scrubbed, "key=*** b64=*** basic=***");
}

#[test]
fn the_registry_keeps_values_once_and_ignores_empty_ones() {
    let known = KnownSecrets::new();
    known.record("");
    assert!(known.is_empty());
    known.record("abc");
    known.record("abc");
    assert_eq!(known.len(), 1);
    for n in 0..300 {
        known.record(&format!("value-{n}"));
    }
    assert_eq!(known.len(), 256);
    let values: Vec<String> = known.values().iter().map(|v| v.expose_secret().to_string()).collect();
    assert!(values.contains(&"value-299".to_string()) && !values.contains(&"abc".to_string()));
}

#[tokio::test]
async fn a_listener_gets_each_new_value_once() {
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    let known = KnownSecrets::with_listener(move |value| sink.lock().unwrap().push(value.expose_secret().to_string()));
    let context = AuthContext::with_known(Arc::new(store()), TokenSettings::default(), known).unwrap();
    let auth = Authorizer::new(&environment("https://api.example", "apiKey", ""), context.clone()).unwrap();
    for _ in 0..3 {
        auth.authorize(&url("https://api.example", "/t")).await.unwrap();
    }
    assert_eq!(*seen.lock().unwrap(), [API_KEY]);
    let raw: Vec<String> = context.known.raw_values().iter().map(|v| v.expose_secret().to_string()).collect();
    assert_eq!(raw, [API_KEY]);
}
