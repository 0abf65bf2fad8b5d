//! Auth end to end through the runtime (RELIABILITY 1-2, 4-6, 15), one module per
//! concern; Basic and API keys through the runtime are in `auth_basic_api_key.rs`.
//! Here: what the modules share.

mod moved_token_url;
mod oauth2_wire;
mod redirects;
mod replay;
mod secrets;
mod token_wait;

use crate::auth_support;
use crate::support;

use std::future::IntoFuture;
use std::time::Duration;

use auth_support::{advance, conversation, hits, joined, token_response};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use conv_api_runtime::auth::TransportError;
use conv_api_runtime::{
    Conv, DynamicApi, DynamicApis, Environment, ErrorKind, MapSecretStore, RetryPolicy, Runtime, RuntimeBuilder,
    SecretStore,
};
use support::calls;
use wiremock::matchers::{body_string, body_string_contains, header, header_exists, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

pub(super) fn oauth_auth(server: &MockServer, extra: &str) -> String {
    format!(
        "{{ token_url: \"{}/oauth/token\", client_id: \"CLIENT_ID??\", client_secret: {{ secret: CS }}{extra} }}",
        server.uri()
    )
}

pub(super) fn oauth_store() -> MapSecretStore {
    MapSecretStore::new().with("CS", "CLIENT_SECRET??")
}

/// Like [`conversation`] with OAuth 2.0 at `server`, retrying after 1 to 4 ms, and
/// a plain POST `create_ticket` besides `get_ticket`.
pub(super) fn quick_retrying_oauth(server: &MockServer) -> Conv<DynamicApi> {
    let yaml = auth_support::definitions_yaml(&server.uri(), "oauth2", &oauth_auth(server, ""))
        + "      - { name: create_ticket, method: POST, resource: /tickets }\n";
    let apis = DynamicApis::parse("apis.yaml", &yaml).expect("the test definitions are valid");
    let quick = RetryPolicy { attempts: 3, base_delay: Duration::from_millis(1), max_delay: Duration::from_millis(4) };
    oauth_builder().retry(quick).build().expect("runtime builds").dynamic_conversation(&apis)
}

/// A builder in sandbox over the store of the OAuth 2.0 API's client secret.
pub(super) fn oauth_builder() -> RuntimeBuilder {
    Runtime::builder().environment(Environment::Sandbox).secrets(oauth_store())
}

/// A conversation over the OAuth 2.0 API of `server`, from `builder`'s runtime.
pub(super) fn oauth_conversation(server: &MockServer, builder: RuntimeBuilder) -> Conv<DynamicApi> {
    let yaml = auth_support::definitions_yaml(&server.uri(), "oauth2", &oauth_auth(server, ""));
    let apis = DynamicApis::parse("apis.yaml", &yaml).expect("the test definitions are valid");
    builder.build().expect("runtime builds").dynamic_conversation(&apis)
}

/// A conversation over the OAuth 2.0 API of `server` (its `auth` settings and `extra`),
/// one attempt a call, whose secrets come from a store the test changes between
/// calls, as a rotating vault would; the client secret `CS` is set.
pub(super) fn rotating_oauth(
    server: &MockServer,
    extra: &str,
) -> (Conv<DynamicApi>, std::sync::Arc<auth_support::RotatingStore>) {
    let yaml = auth_support::definitions_yaml(&server.uri(), "oauth2", &oauth_auth(server, extra));
    let apis = DynamicApis::parse("apis.yaml", &yaml).expect("the test definitions are valid");
    let store = std::sync::Arc::new(auth_support::RotatingStore::default());
    store.set("CS", "CLIENT_SECRET??");
    let builder = Runtime::builder().environment(Environment::Sandbox).secrets(store.clone());
    (builder.retry(support::ONE_ATTEMPT).build().unwrap().dynamic_conversation(&apis), store)
}

/// A server whose token endpoint gives `t1` for 120 s, then, once, `t2` after 3 s, and
/// whose `/tickets/1` answers 200 to `t1` and 201 to `t2`.
pub(super) async fn server_with_a_slow_refresh() -> MockServer {
    let server = MockServer::start().await;
    let first =
        ResponseTemplate::new(200).set_body_json(serde_json::json!({ "access_token": "t1", "expires_in": 120 }));
    Mock::given(path("/oauth/token")).respond_with(first).up_to_n_times(1).with_priority(1).mount(&server).await;
    let slow = token_response("t2", 3600).set_delay(Duration::from_secs(3));
    Mock::given(path("/oauth/token")).respond_with(slow).with_priority(2).expect(1).mount(&server).await;
    for (token, status) in [("t1", 200), ("t2", 201)] {
        let with_token = Mock::given(path("/tickets/1")).and(header("authorization", format!("Bearer {token}")));
        with_token.respond_with(ResponseTemplate::new(status)).mount(&server).await;
    }
    server
}

/// The statuses (or error kinds) of `calls`, each a task of the current runtime.
pub(super) async fn statuses_of_tasks(
    calls: impl Iterator<
        Item = impl std::future::Future<Output = conv_api_runtime::Result<conv_api_runtime::Response>> + Send + 'static,
    >,
) -> Vec<Result<u16, ErrorKind>> {
    let tasks: Vec<_> = calls.map(tokio::spawn).collect();
    let outcomes = joined(tasks).await.into_iter();
    outcomes.map(|outcome| outcome.map(|response| response.status_code()).map_err(|error| error.kind())).collect()
}

/// The error of one attempt of `zendesk.get_ticket` over OAuth 2.0 at `base_url`,
/// whose token URL is `token_url`, with `override_url` given to the runtime's
/// `base_url(..)`.
pub(super) async fn one_oauth_attempt(
    base_url: &str,
    token_url: &str,
    override_url: Option<&str>,
) -> conv_api_runtime::Error {
    let auth = format!("{{ token_url: \"{token_url}\", client_id: c }}");
    let apis = DynamicApis::parse("apis.yaml", &auth_support::definitions_yaml(base_url, "oauth2", &auth)).unwrap();
    let store = MapSecretStore::new().with("ZENDESK_SANDBOX_CLIENT_SECRET", "client-secret");
    let mut builder = Runtime::builder()
        .environment(Environment::Sandbox)
        .secrets(store)
        .retry(RetryPolicy { attempts: 1, ..conv_api_runtime::DEFAULT_RETRY });
    if let Some(url) = override_url {
        builder = builder.base_url("zendesk", url);
    }
    let conv = builder.build().unwrap().dynamic_conversation(&apis);
    conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).await.unwrap_err()
}
