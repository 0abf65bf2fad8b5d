//! Shared test helpers: environments from YAML, authorizers over a map store.
#![allow(dead_code, reason = "each test file uses a different part of the support module")]

use std::sync::Arc;

use conv_api_definitions::{parse_str, Environment, EnvironmentConfig};
use conv_api_runtime::auth::{AuthContext, Authorizer, Credentials, TokenSettings};
use conv_api_runtime::{Conv, DynamicApi, DynamicApis, MapSecretStore, Runtime};
use url::Url;

/// Definitions of one API `zendesk` whose sandbox is at `base_url`, with `auth_type`
/// and the `auth` flow map (empty: none).
pub fn definitions_yaml(base_url: &str, auth_type: &str, auth: &str) -> String {
    let auth_line = if auth.is_empty() { String::new() } else { format!("\n        auth: {auth}") };
    format!(
        r#"
api_integrations:
  - name: zendesk
    environments:
      sandbox:
        base_url: "{base_url}"
        auth_type: {auth_type}{auth_line}
    operations:
      - {{ name: get_ticket, method: GET, resource: "/tickets/{{ticket_id}}" }}
"#
    )
}

/// A runtime in Sandbox over `store` and a conversation over API `zendesk` at
/// `base_url` with `auth_type` and the `auth` flow map (empty: none).
pub fn conversation(base_url: &str, auth_type: &str, auth: &str, store: MapSecretStore) -> Conv<DynamicApi> {
    let yaml = definitions_yaml(base_url, auth_type, auth);
    let apis = DynamicApis::parse("apis.yaml", &yaml).expect("the test definitions are valid");
    let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(store).build().expect("runtime builds");
    runtime.dynamic_conversation(&apis)
}

/// The sandbox environment of [`definitions_yaml`].
pub fn environment(base_url: &str, auth_type: &str, auth: &str) -> EnvironmentConfig {
    let yaml = definitions_yaml(base_url, auth_type, auth);
    let checked = parse_str("apis.yaml", &yaml).unwrap_or_else(|e| panic!("test yaml is invalid: {e}\n{yaml}"));
    checked.definitions.api("zendesk").unwrap().environment(Environment::Sandbox).unwrap().clone()
}

/// A context over `store` with default token settings.
pub fn context(store: MapSecretStore) -> AuthContext {
    context_with(store, TokenSettings::default())
}

/// A context over `store` with `settings`.
pub fn context_with(store: MapSecretStore, settings: TokenSettings) -> AuthContext {
    AuthContext::new(Arc::new(store), settings).expect("token client builds")
}

/// The authorizer of `environment` over `store`.
pub fn authorizer(environment: &EnvironmentConfig, store: MapSecretStore) -> Authorizer {
    Authorizer::new(environment, context(store)).expect("authorizer builds")
}

/// A plain client for the tests' own requests to their local servers: no proxy,
/// whatever the environment says.
pub fn direct_client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

/// `base` joined with `path`.
pub fn url(base: &str, path: &str) -> Url {
    Url::parse(&format!("{base}{path}")).unwrap()
}

/// The value of header `name` in `credentials`, as text.
pub fn header(credentials: &Credentials, name: &str) -> Option<String> {
    credentials
        .headers()
        .iter()
        .find(|(header, _)| header.as_str().eq_ignore_ascii_case(name))
        .map(|(_, value)| value.to_str().unwrap().to_string())
}

/// Sends GET `target` the way the runtime pipeline does: authorize, send, and on a 401
/// with a token invalidate it and replay once. Returns the final status.
pub async fn send_with_replay(authorizer: &Authorizer, client: &reqwest::Client, target: &Url) -> u16 {
    let credentials = authorizer.authorize(target).await.expect("authorized");
    let status = send(&credentials, client, target).await;
    let Some(identity) = credentials.token_identity().filter(|_| status == 401) else {
        return status;
    };
    authorizer.invalidate(identity);
    let credentials = authorizer.authorize(target).await.expect("authorized again");
    send(&credentials, client, target).await
}

/// The status of GET `target` with `credentials` in its headers and URL.
pub async fn send(credentials: &Credentials, client: &reqwest::Client, target: &Url) -> u16 {
    let (mut url, mut headers) = (target.clone(), conv_api_runtime::HeaderMap::new());
    credentials.apply_to_url(&mut url);
    credentials.apply_to_headers(&mut headers);
    client.get(url).headers(headers).send().await.unwrap().status().as_u16()
}

/// An oauth2 environment whose token URL is `<server>/oauth/token`, client id `my-client`,
/// client secret from `CS`, plus the `extra` flow-map entries (start them with `, `).
pub fn oauth_environment(server: &str, extra: &str) -> EnvironmentConfig {
    let auth = format!(
        "{{ token_url: \"{server}/oauth/token\", client_id: my-client, client_secret: {{ secret: CS }}{extra} }}"
    );
    environment(server, "oauth2", &auth)
}

/// A store with the client secret `CS`.
pub fn oauth_store() -> MapSecretStore {
    MapSecretStore::new().with("CS", "the-client-secret")
}

/// A token response with `access_token` and `expires_in` seconds.
pub fn token_response(access_token: &str, expires_in: u64) -> wiremock::ResponseTemplate {
    let body = serde_json::json!({ "access_token": access_token, "token_type": "Bearer", "expires_in": expires_in });
    wiremock::ResponseTemplate::new(200).set_body_json(body)
}

/// Moves the tokio clock forward by `by`; the clock runs on afterwards, so requests work.
pub async fn advance(by: std::time::Duration) {
    tokio::time::pause();
    tokio::time::advance(by).await;
    tokio::time::resume();
}

/// The outputs of `tasks`, in order, awaited outside tokio's cooperative budget:
/// awaiting a hundred finished tasks spends the test task's budget, and a `MockServer`
/// dropped when none is left spins forever (its drop waits on a tokio lock from
/// another executor, which tokio keeps answering "not yet").
pub async fn joined<T: Send + 'static>(tasks: Vec<tokio::task::JoinHandle<T>>) -> Vec<T> {
    tokio::task::unconstrained(async {
        let mut outputs = Vec::with_capacity(tasks.len());
        for task in tasks {
            outputs.push(task.await.expect("the task panicked"));
        }
        outputs
    })
    .await
}

/// How many requests `server` received on `path`.
pub async fn hits(server: &wiremock::MockServer, path: &str) -> usize {
    let requests = server.received_requests().await.unwrap_or_default();
    requests.iter().filter(|request| request.url.path() == path).count()
}

/// A store whose values a test changes between calls, as a rotating vault would.
#[derive(Default)]
pub struct RotatingStore(std::sync::Mutex<std::collections::HashMap<String, String>>);

impl RotatingStore {
    pub fn set(&self, name: &str, value: &str) {
        self.0.lock().unwrap().insert(name.to_string(), value.to_string());
    }
}

impl conv_api_runtime::SecretStore for RotatingStore {
    fn get(&self, name: &str) -> Option<secrecy::SecretString> {
        self.0.lock().unwrap().get(name).map(|value| secrecy::SecretString::from(value.clone()))
    }
}
