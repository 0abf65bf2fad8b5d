//! Resilience (RELIABILITY 20-22, 24): which failures are retried, how many times,
//! the `Idempotency-Key`, `Retry-After`, the retry budget and transport errors,
//! with exact attempt counts on real local servers. Against wiremock (its own
//! thread, real time) backoff delays are a few milliseconds, set in the
//! definitions; the default delays and long `Retry-After` waits run on a paused
//! clock against a server on the test's own runtime (`support::scripted_server`),
//! so the clock only jumps when both ends are idle. A module per subject, sharing
//! the test API and helpers below.

use crate::support;

use std::sync::atomic::Ordering;
use std::time::{Duration, SystemTime};

use conv_api_runtime::{
    Conv, DynamicApi, DynamicApis, Environment, ErrorKind, Level, Request, RetryBudget, RetryPolicy, Runtime,
    DEFAULT_RETRY_BUDGET,
};
use support::{raw_server, recorded, scripted_server, Misbehave};
use tokio::io::AsyncWriteExt;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod budget;
mod default_backoff;
mod policy;
mod retry_after;
mod timeouts;
mod transport;

/// Every method, an idempotent POST, PATCH and (redundantly) PUT, a slow operation and one with a longer
/// backoff cap; `svc` gets its base URL from the builder.
const YAML: &str = r#"
api_integrations:
  - name: svc
    retry: { attempts: 3, base_delay: 1ms, max_delay: 4ms }
    environments:
      sandbox: { base_url: "" }
    operations:
      - { name: get_item, method: GET, resource: "/items/{id}" }
      - { name: put_item, method: PUT, resource: "/items/{id}" }
      - { name: delete_item, method: DELETE, resource: "/items/{id}" }
      - { name: create_item, method: POST, resource: "/items" }
      - { name: patch_item, method: PATCH, resource: "/items/{id}" }
      - { name: create_order, method: POST, resource: "/orders", idempotent: true }
      - { name: patch_order, method: PATCH, resource: "/orders/{id}", idempotent: true }
      - { name: put_order, method: PUT, resource: "/orders/{id}", idempotent: true }
      - { name: get_slow, method: GET, resource: "/slow", timeout: 100ms }
      - { name: get_patient, method: GET, resource: "/patient", retry: { attempts: 2, max_delay: 3s } }
"#;

fn apis() -> DynamicApis {
    DynamicApis::parse("resilience.yaml", YAML).expect("the test definitions are valid")
}

fn runtime_at(url: &str) -> Runtime {
    builder_at(url).build().expect("the test runtime builds")
}

fn builder_at(url: &str) -> conv_api_runtime::RuntimeBuilder {
    Runtime::builder().environment(Environment::Sandbox).base_url("svc", url)
}

fn call(conv: &Conv<DynamicApi>, operation: &str) -> Request {
    let request = conv.api.call("svc", operation);
    let takes_id = !operation.starts_with("create_") && (operation.ends_with("_item") || operation.ends_with("_order"));
    if takes_id {
        request.arg("id", 7)
    } else {
        request
    }
}

/// The `retry` field of each request entry of `conv`'s log, in order.
fn retry_notes(conv: &Conv<DynamicApi>) -> Vec<Option<String>> {
    let entries = conv.log.entries();
    let note = |fields: &[(String, String)]| fields.iter().find(|(name, _)| name == "retry").map(|(_, v)| v.clone());
    entries.iter().filter(|entry| entry.request.is_some()).map(|entry| note(&entry.fields)).collect()
}

/// Answers every request with `status`, expecting exactly `times` of them.
async fn answering(status: u16, times: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(status).set_body_string("failed"))
        .expect(times)
        .mount(&server)
        .await;
    server
}

/// Every operation of the test API with whether it may be retried: GET, PUT, DELETE
/// and operations declared idempotent, not a plain POST or PATCH.
const RETRY_SAFE: [(&str, bool); 7] = [
    ("get_item", true),
    ("put_item", true),
    ("delete_item", true),
    ("create_order", true),
    ("patch_order", true),
    ("create_item", false),
    ("patch_item", false),
];

/// An API of one attempt a call and no timeout of its own; `quiet` gets its base URL
/// from the builder.
const QUIET: &str = "api_integrations:\n  - name: quiet\n    retry: { attempts: 1 }\n    \
                     environments: { sandbox: { base_url: \"\" } }\n    \
                     operations: [{ name: ping, method: GET, resource: /ping }]\n";

#[tokio::test(start_paused = true)]
async fn an_attempt_without_a_timeout_anywhere_ends_after_the_default_ten_seconds() {
    let (url, connections) = raw_server(Misbehave::Silent).await;
    let runtime = Runtime::builder().environment(Environment::Sandbox).base_url("quiet", &url).build().unwrap();
    let apis = DynamicApis::parse("quiet.yaml", QUIET).unwrap();
    let started = tokio::time::Instant::now();
    let error = runtime.dynamic_conversation(&apis).api.call("quiet", "ping").await.unwrap_err();
    assert_eq!(started.elapsed(), conv_api_runtime::DEFAULT_TIMEOUT);
    assert!(error.is_timeout() && error.to_string().contains("no complete answer within 10s"), "{error}");
    assert_eq!(connections.load(Ordering::SeqCst), 1);
}
