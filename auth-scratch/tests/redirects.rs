//! Credentials never follow a redirect to another origin (RELIABILITY 15).

mod support;

use conv_api_auth_scratch::{same_origin_redirects, MapSecretStore, DEFAULT_MAX_REDIRECTS};
use support::{authorizer, environment, url};
use wiremock::matchers::{header as has_header, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(same_origin_redirects(DEFAULT_MAX_REDIRECTS)).build().unwrap()
}

fn moved_to(location: String) -> ResponseTemplate {
    ResponseTemplate::new(302).insert_header("location", location)
}

#[tokio::test]
async fn a_cross_origin_redirect_is_not_followed_so_custom_headers_stay_home() {
    let api = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(path("/t")).respond_with(moved_to(format!("{}/steal", elsewhere.uri()))).expect(1).mount(&api).await;
    Mock::given(path("/steal")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&elsewhere).await;
    let env = environment(&api.uri(), "apiKey", "{ name: X-Custom-Key }");
    let auth = authorizer(&env, MapSecretStore::new().with("ZENDESK_SANDBOX_API_KEY", "k-1"));
    let target = url(&api.uri(), "/t");
    let credentials = auth.authorize(&target).await.unwrap();
    let response = credentials.apply(client().get(target)).send().await.unwrap();
    assert_eq!(response.status(), 302);
}

#[tokio::test]
async fn a_same_origin_redirect_is_followed() {
    let api = MockServer::start().await;
    Mock::given(path("/old")).respond_with(moved_to(format!("{}/new", api.uri()))).expect(1).mount(&api).await;
    Mock::given(path("/new"))
        .and(has_header("x-custom-key", "k-1"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&api)
        .await;
    let env = environment(&api.uri(), "apiKey", "{ name: X-Custom-Key }");
    let auth = authorizer(&env, MapSecretStore::new().with("ZENDESK_SANDBOX_API_KEY", "k-1"));
    let target = url(&api.uri(), "/old");
    let credentials = auth.authorize(&target).await.unwrap();
    assert_eq!(credentials.apply(client().get(target)).send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn a_query_key_is_not_carried_to_another_origin() {
    let api = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    let location = format!("{}/steal?key=k-1", elsewhere.uri());
    Mock::given(query_param("key", "k-1")).respond_with(moved_to(location)).expect(1).mount(&api).await;
    Mock::given(path("/steal")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&elsewhere).await;
    let env = environment(&api.uri(), "apiKey", "{ location: query, name: key }");
    let auth = authorizer(&env, MapSecretStore::new().with("ZENDESK_SANDBOX_API_KEY", "k-1"));
    let target = url(&api.uri(), "/t");
    let response = auth.authorize(&target).await.unwrap().apply(client().get(target)).send().await.unwrap();
    assert_eq!(response.status(), 302);
}

#[tokio::test]
async fn a_redirect_loop_stops_with_an_error() {
    let api = MockServer::start().await;
    Mock::given(path("/loop")).respond_with(moved_to(format!("{}/loop", api.uri()))).expect(3).mount(&api).await;
    let client = reqwest::Client::builder().redirect(same_origin_redirects(2)).build().unwrap();
    let error = client.get(format!("{}/loop", api.uri())).send().await.unwrap_err();
    assert!(error.is_redirect(), "{error}");
}
