//! No secret or token in any `Debug`, `Display` or error (RELIABILITY 16), and every value
//! in use reaches the log redactor, which masks its encoded forms too (RELIABILITY 18).

use crate::auth_support;

use std::sync::Arc;

use auth_support::{direct_client, environment, oauth_environment, token_response, url};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use conv_api_runtime::auth::{AuthContext, Authorizer, TokenSettings};
use conv_api_runtime::{
    DotenvSecretStore, DynamicApis, Environment, MapSecretStore, Redactor, Runtime, SecretStore, MASK,
};
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
    assert_clean(&format!("{context:?} {:?} {:?}", context.tokens, context.redactor));
    let dotenv = DotenvSecretStore::parse(&format!("CS={CLIENT_SECRET}\nKEY=\"{API_KEY}\"\n")).unwrap();
    assert_clean(&format!("{dotenv:?} {:?}", store()));
    assert!(dotenv.get("CS").is_some_and(|value| !format!("{value:?}").contains(CLIENT_SECRET)));
}

#[tokio::test]
async fn debug_of_a_call_its_response_and_its_error_after_oauth_shows_no_secret_or_token() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token")).respond_with(token_response(TOKEN, 3600)).mount(&server).await;
    Mock::given(path("/tickets/1")).respond_with(ResponseTemplate::new(200).set_body_string("{}")).mount(&server).await;
    Mock::given(path("/tickets/2")).respond_with(ResponseTemplate::new(401)).mount(&server).await;
    let auth =
        format!("{{ token_url: \"{}/oauth/token\", client_id: id, client_secret: {{ secret: CS }} }}", server.uri());
    let apis =
        DynamicApis::parse("apis.yaml", &auth_support::definitions_yaml(&server.uri(), "oauth2", &auth)).unwrap();
    let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(store()).build().unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    let response = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap();
    let refused = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 2).await.unwrap();
    let error = refused.raise_for_status().unwrap_err();
    assert_eq!(error.status(), Some(401), "{error}");
    let call = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 3);
    let shown =
        format!("{runtime:?} {conv:?} {call:?} {response:?} {error:?} {error:#?} {error} {:?}", conv.log.entries());
    assert_clean(&shown);
    assert_clean(&conv.log.to_jsonl());
    assert!(shown.contains("get_ticket") && shown.contains("401"), "{shown}");
}

#[test]
fn debug_of_definitions_with_url_user_info_shows_no_password() {
    // a base URL with user info is accepted (with a warning) and sent as Basic
    let yaml = format!(
        "api_integrations:\n  - name: crm\n    environments: {{ sandbox: {{ base_url: \"http://agent:{PASSWORD}@127.0.0.1:9/api\" }} }}\n    operations: [{{ name: get, method: GET, resource: /x }}]\n"
    );
    let apis = DynamicApis::parse("apis.yaml", &yaml).unwrap();
    let runtime = Runtime::builder().environment(Environment::Sandbox).build().unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    for shown in [format!("{apis:?}"), format!("{:?}", apis.definitions()), format!("{runtime:?}"), format!("{conv:?}")]
    {
        assert_clean(&shown);
    }
}

/// A store of one's own whose `Debug` shows its values (or that has no `Debug` at all).
#[derive(Debug)]
struct LeakyStore(Vec<(String, String)>);

impl SecretStore for LeakyStore {
    fn get(&self, name: &str) -> Option<secrecy::SecretString> {
        self.0.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str().into())
    }
}

#[test]
fn a_store_that_shows_its_values_is_named_not_shown() {
    let leaky = || LeakyStore(vec![("KEY".to_string(), API_KEY.to_string())]);
    assert!(format!("{:?}", leaky()).contains(API_KEY), "the store's own Debug does show it");
    let builder =
        conv_api_runtime::Runtime::builder().environment(conv_api_runtime::Environment::Sandbox).secrets(leaky());
    let context = AuthContext::new(Arc::new(leaky()), TokenSettings::default()).unwrap();
    let layered = conv_api_runtime::LayeredSecretStore::new().then(leaky()).then(store());
    let builder_shown = format!("{builder:?}");
    let shown = format!("{builder_shown} {context:?} {layered:?} {:?}", builder.build().unwrap());
    assert_clean(&shown);
    assert!(shown.contains("LeakyStore") && shown.contains("LayeredSecretStore"), "{shown}");
}

#[tokio::test]
async fn errors_show_no_secret_or_token() {
    let server = MockServer::start().await;
    // a token sent next to an error, and quoted in its description
    let description = format!("token {TOKEN} is not valid yet");
    let echo =
        serde_json::json!({ "error": "invalid_client", "error_description": description, "access_token": TOKEN });
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
    let control = MapSecretStore::new().with("ZENDESK_SANDBOX_API_KEY", format!("{API_KEY}\nx"));
    let cases = [
        (oauth_environment(&server.uri(), ""), store()),
        (html_env, store()),
        (environment(&server.uri(), "basic", ""), colon),
        (environment(&server.uri(), "apiKey", ""), control),
        (environment(&server.uri(), "apiKey", ""), MapSecretStore::new()),
    ];
    for (env, store) in cases {
        let error = auth_support::authorizer(&env, store).authorize(&target).await.unwrap_err();
        assert_clean(&format!("{error} {error:?} {error:#?}"));
    }
    let clear = auth_support::authorizer(&environment("https://api.example", "apiKey", ""), self::store());
    let error = clear.authorize(&url(&format!("http://u:{PASSWORD}@api.example"), &format!("/t?k={API_KEY}"))).await;
    assert_clean(&format!("{}", error.unwrap_err()));
}

#[tokio::test]
async fn the_redactor_masks_every_secret_and_token_in_use_with_encodings() {
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
    for expected in [CLIENT_SECRET, TOKEN, PASSWORD, API_KEY, "agent:pa55-w0rd"] {
        assert_eq!(context.redactor.text(expected), MASK, "{expected} not masked");
        assert_eq!(context.redactor.text(&STANDARD.encode(expected)), MASK, "base64 of {expected} not masked");
    }
    assert_eq!(context.redactor.text("agent%3Apa55%2Dw0rd"), MASK);
}

#[tokio::test]
async fn a_token_like_username_from_the_secret_store_is_masked_and_a_name_is_not() {
    let server = MockServer::start().await;
    let target = url(&server.uri(), "/t");
    // an API token sent as the username, as Stripe and Toggl take it
    let store = MapSecretStore::new()
        .with("ZENDESK_SANDBOX_USERNAME", "1971800d4d82861d8f2c1651fea4d212")
        .with("ZENDESK_SANDBOX_PASSWORD", "api_token");
    let context = AuthContext::new(Arc::new(store), TokenSettings::default()).unwrap();
    let from_store = environment(&server.uri(), "basic", "");
    Authorizer::new(&from_store, context.clone()).unwrap().authorize(&target).await.unwrap();
    let echoed = "token 1971800d4d82861d8f2c1651fea4d212 has no access";
    assert_eq!(context.redactor.text(echoed), "token *** has no access");
    // a short one is a name: masking it would garble every text it is part of
    let named = MapSecretStore::new().with("ZENDESK_SANDBOX_USERNAME", "api").with("ZENDESK_SANDBOX_PASSWORD", "pw-1");
    let context = AuthContext::new(Arc::new(named), TokenSettings::default()).unwrap();
    Authorizer::new(&from_store, context.clone()).unwrap().authorize(&target).await.unwrap();
    assert_eq!(context.redactor.text("https://api.example"), "https://api.example");
    let literal = MapSecretStore::new().with("ZENDESK_SANDBOX_PASSWORD", PASSWORD);
    let context = AuthContext::new(Arc::new(literal), TokenSettings::default()).unwrap();
    let written = environment(&server.uri(), "basic", "{ username: agent }");
    Authorizer::new(&written, context.clone()).unwrap().authorize(&target).await.unwrap();
    assert_eq!(context.redactor.text("agent"), "agent", "a username written in the file is no secret");
}

#[tokio::test]
async fn a_last_scan_with_the_redactor_removes_an_echoed_key() {
    let server = MockServer::start().await;
    let echoed = format!("key={API_KEY} b64={} basic={}", STANDARD.encode(API_KEY), STANDARD.encode("agent:pa55-w0rd"));
    Mock::given(path("/echo")).respond_with(ResponseTemplate::new(200).set_body_string(echoed)).mount(&server).await;
    let context = AuthContext::new(Arc::new(store()), TokenSettings::default()).unwrap();
    for env in [environment(&server.uri(), "apiKey", ""), environment(&server.uri(), "basic", "{ username: agent }")] {
        Authorizer::new(&env, context.clone()).unwrap().authorize(&url(&server.uri(), "/echo")).await.unwrap();
    }
    let body = direct_client().get(format!("{}/echo", server.uri())).send().await.unwrap().text().await.unwrap();
    assert!(body.contains(API_KEY));
    let scrubbed = context.redactor.text(&body);
    assert_clean(&scrubbed);
    assert_eq!(scrubbed, "key=*** b64=*** basic=***");
}

#[tokio::test]
async fn a_key_sent_as_latin1_and_echoed_in_those_bytes_is_masked_in_the_status_error_and_the_log() {
    const KEY: &str = "clé-secrète-0123456789abcdef";
    let latin1: Vec<u8> = KEY.chars().map(|c| u8::try_from(c).unwrap()).collect();
    let server = MockServer::start().await;
    let mut body = b"unknown API key: ".to_vec();
    body.extend_from_slice(&latin1);
    body.extend_from_slice(b" (cl%E9-secr%E8te-0123456789abcdef)");
    let refused = ResponseTemplate::new(401).set_body_raw(body, "text/plain; charset=ISO-8859-1");
    Mock::given(path("/echo")).respond_with(refused).mount(&server).await;
    let yaml = format!("api_integrations:\n  - name: meteo\n    environments: {{ sandbox: {{ base_url: \"{}\", auth_type: apiKey }} }}\n    operations: [{{ name: echo, method: GET, resource: /echo }}]\n", server.uri());
    let apis = DynamicApis::parse("apis.yaml", &yaml).unwrap();
    let store = MapSecretStore::new().with("METEO_SANDBOX_API_KEY", KEY);
    let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(store).build().unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    let response = conv.api.call("meteo", "echo").await.unwrap();
    assert_eq!(server.received_requests().await.unwrap()[0].headers["x-api-key"].as_bytes(), &latin1[..]);
    conv.log.entry(conv_api_runtime::Level::Warning, "refused").field("body", response.text()).record();
    let error = response.raise_for_status().unwrap_err().to_string();
    for shown in [error, conv.log.to_jsonl()] {
        assert!(!shown.contains("0123456789abcdef"), "the key is shown: {shown}");
    }
}

/// A password with a combining mark (`Café` typed in NFD) echoed in a body that does
/// not decode: serde's message quotes the value as Rust's `{:?}` writes it
/// (`Cafe\u{301}`), and neither the error nor the log entry of it shows the password.
#[tokio::test]
async fn a_secret_quoted_by_a_decode_error_is_masked_in_the_error_and_the_log() {
    const PASSWORD: &str = "Cafe\u{301}-Password-2024";
    #[derive(Debug, serde::Deserialize)]
    struct Account {
        #[allow(dead_code, reason = "decoded, never read: the error is the point")]
        id: u64,
    }
    let server = MockServer::start().await;
    let echo = ResponseTemplate::new(200).set_body_json(serde_json::json!({ "id": PASSWORD }));
    Mock::given(path("/v1/me")).respond_with(echo).mount(&server).await;
    let yaml = format!("api_integrations:\n  - name: shop\n    environments: {{ sandbox: {{ base_url: \"{}/v1\", auth_type: basic, auth: {{ username: agent }} }} }}\n    operations: [{{ name: me, method: GET, resource: /me }}]\n", server.uri());
    let apis = DynamicApis::parse("apis.yaml", &yaml).unwrap();
    let store = MapSecretStore::new().with("SHOP_SANDBOX_PASSWORD", PASSWORD);
    let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(store).build().unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    let error = conv.api.call("shop", "me").await.unwrap().json::<Account>().unwrap_err();
    conv.log.error(error.to_string());
    let shown = format!("{error}\n{error:?}\n{error:#?}\n{}", conv.log.to_jsonl());
    assert!(shown.contains("invalid type: string"), "the decode error is told: {shown}");
    assert!(!shown.contains("Password-2024"), "the password is shown: {shown}");
}

#[tokio::test]
async fn values_go_to_the_redactor_handed_in() {
    let redactor = Redactor::new();
    let context = AuthContext::with_redactor(Arc::new(store()), TokenSettings::default(), redactor.clone()).unwrap();
    let auth = Authorizer::new(&environment("https://api.example", "apiKey", ""), context).unwrap();
    assert_eq!(redactor.text(API_KEY), API_KEY, "not known before it is used");
    auth.authorize(&url("https://api.example", "/t")).await.unwrap();
    assert_eq!(redactor.text(&format!("k={API_KEY}")), "k=***");
}

#[test]
fn a_secret_is_masked_in_base64_of_both_alphabets_padded_and_unpadded() {
    // "also in base64 and percent-encoded form"; the encodings of `ab?>` written out by hand
    let redactor = Redactor::new();
    redactor.add_secret(&secrecy::SecretString::from("ab?>"));
    for encoded in ["YWI/Pg==", "YWI/Pg", "YWI_Pg==", "YWI_Pg"] {
        assert_eq!(redactor.text(&format!("echo {encoded} end")), format!("echo {MASK} end"), "{encoded}");
    }
}

/// README: "a Basic username from the secret store too, when it is as long as a
/// token: 16 characters or more" is masked: 16 is enough.
#[tokio::test]
async fn a_username_from_the_secret_store_of_exactly_sixteen_characters_is_masked() {
    let server = MockServer::start().await;
    let target = url(&server.uri(), "/t");
    let username = "u5er-t0ken-16chr";
    assert_eq!(username.chars().count(), 16);
    let store =
        MapSecretStore::new().with("ZENDESK_SANDBOX_USERNAME", username).with("ZENDESK_SANDBOX_PASSWORD", "api_token");
    let context = AuthContext::new(Arc::new(store), TokenSettings::default()).unwrap();
    let from_store = environment(&server.uri(), "basic", "");
    Authorizer::new(&from_store, context.clone()).unwrap().authorize(&target).await.unwrap();
    let echoed = format!("token {username} has no access");
    assert_eq!(context.redactor.text(&echoed), "token *** has no access");
}
