//! The golden expansion of `macros/tests/fixtures/realistic.yaml` compiles, and
//! works: it is the macro's snapshot file, included verbatim.

#[allow(dead_code, reason = "the golden file defines every operation; the tests call a few")]
// included, the code is this crate's own, whose names rustc lints; from the macro it is not
#[allow(non_snake_case, reason = "the fixture's names are used as written")]
mod expanded {
    include!("../macros/src/codegen/snapshots/conv_api_macros__codegen__tests__realistic.snap.rs");
}

use conv_api::{Conv, Environment, MapSecretStore, Runtime};
use expanded::{bookings, Api};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A sandbox runtime whose `bookings` API is `server`.
fn bookings_runtime(server: &MockServer) -> Runtime {
    Runtime::builder()
        .environment(Environment::Sandbox)
        .base_url("bookings", server.uri())
        .build()
        .expect("runtime builds")
}

#[tokio::test]
async fn golden_expansion_calls_the_api() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/venues/V%201/slots"))
        .and(query_param("date", "2026-12-24"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{\"slots\": [7]}"))
        .expect(2)
        .mount(&server)
        .await;
    let runtime = bookings_runtime(&server);
    let conv: Conv<Api> = runtime.conversation();

    let positional = conv.api.bookings.list_slots("V 1", "2026-12-24").await.expect("call succeeds");
    let named = conv
        .api
        .bookings
        .named
        .list_slots(bookings::args::ListSlots { venue_id: "V 1", date: "2026-12-24" })
        .await
        .expect("call succeeds");

    assert_eq!(positional.status_code(), 200);
    assert_eq!(named.text(), "{\"slots\": [7]}");
}

#[tokio::test]
async fn golden_expansion_authenticates_zendesk_in_sandbox_with_basic_auth() {
    let server = MockServer::start().await;
    // base64("agent@acme.example:s3cret pw")
    Mock::given(method("GET"))
        .and(path("/tickets/42"))
        .and(header("authorization", "Basic YWdlbnRAYWNtZS5leGFtcGxlOnMzY3JldCBwdw=="))
        .respond_with(ResponseTemplate::new(200).set_body_string("{\"status\": \"open\"}"))
        .expect(1)
        .mount(&server)
        .await;
    let runtime = Runtime::builder()
        .environment(Environment::Sandbox)
        .base_url("zendesk", server.uri())
        .secrets(MapSecretStore::new().with("ZENDESK_SANDBOX_PASSWORD", "s3cret pw"))
        .build()
        .expect("runtime builds");
    let conv: Conv<Api> = runtime.conversation();

    let response = conv.api.zendesk.get_ticket(42).await.expect("call succeeds");
    assert_eq!(response.status_code(), 200);
    assert!(!conv.log.to_jsonl().contains("s3cret"));
}

#[tokio::test]
async fn a_cloned_api_calls_into_the_same_conversation_log() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/venues/V1/slots"))
        .respond_with(ResponseTemplate::new(200))
        .expect(2)
        .mount(&server)
        .await;
    let runtime = bookings_runtime(&server);
    let conv: Conv<Api> = runtime.conversation();
    let other: Conv<Api> = runtime.conversation();

    let cloned = conv.api.clone();
    cloned.bookings.list_slots("V1", "today").await.expect("call succeeds");
    conv.api.bookings.list_slots("V1", "tomorrow").await.expect("call succeeds");

    let urls: Vec<String> =
        conv.log.entries().iter().filter_map(|entry| entry.request.as_ref().map(|call| call.url.clone())).collect();
    assert_eq!(urls.len(), 2, "both calls are in the conversation's log: {urls:?}");
    assert!(urls[0].ends_with("date=today") && urls[1].ends_with("date=tomorrow"), "{urls:?}");
    assert!(other.log.entries().is_empty(), "another conversation's log is untouched");
}

#[test]
fn api_debug_names_each_api_and_its_operation_count() {
    let runtime = Runtime::builder().environment(Environment::Sandbox).build().expect("runtime builds");
    let conv: Conv<Api> = runtime.conversation();
    assert_eq!(
        format!("{:?}", conv.api),
        "Api { zendesk: Client { operations: 5, .. }, bookings: Client { operations: 1, .. } }"
    );
}
