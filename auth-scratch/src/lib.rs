//! Auth and secrets for the conv-api runtime (built apart, merged into `conv-api-runtime`).
//!
//! One [`AuthContext`] per runtime (secret store, OAuth 2.0 token cache, the values the
//! log redactor scrubs); one [`Authorizer`] per API environment; for every request
//! attempt `authorize`, add the [`Credentials`], send, and after a 401 that carried a
//! token `invalidate` it and replay once.
//!
//! ```
//! use std::sync::Arc;
//! use conv_api_auth_scratch::{same_origin_redirects, AuthContext, Authorizer, MapSecretStore, TokenSettings};
//! use conv_api_definitions::{parse_str, Environment};
//! use wiremock::{matchers, Mock, MockServer, ResponseTemplate};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let server = MockServer::start().await;
//! Mock::given(matchers::header("x-api-key", "k-123"))
//!     .respond_with(ResponseTemplate::new(200))
//!     .expect(1)
//!     .mount(&server)
//!     .await;
//! let yaml = format!(
//!     "api_integrations:\n  - name: zendesk\n    environments:\n      sandbox: {{ base_url: \"{}\", auth_type: apiKey }}\n",
//!     server.uri()
//! );
//! let definitions = parse_str("apis.yaml", &yaml).unwrap().definitions;
//! let environment = definitions.api("zendesk").unwrap().environment(Environment::Sandbox).unwrap();
//!
//! // once per runtime
//! let store = MapSecretStore::new().with("ZENDESK_SANDBOX_API_KEY", "k-123");
//! let context = AuthContext::new(Arc::new(store), TokenSettings::default()).unwrap();
//! let client = reqwest::Client::builder().redirect(same_origin_redirects(10)).build().unwrap();
//! // once per API environment
//! let authorizer = Authorizer::new(environment, context.clone()).unwrap();
//! // every attempt
//! let target = url::Url::parse(&format!("{}/tickets/1", server.uri())).unwrap();
//! let credentials = authorizer.authorize(&target).await.unwrap();
//! let response = credentials.apply(client.get(target.clone())).send().await.unwrap();
//! assert_eq!(response.status(), 200);
//! if let (401, Some(token)) = (response.status().as_u16(), credentials.token_identity()) {
//!     authorizer.invalidate(token); // then authorize again and replay once
//! }
//! // the log redactor's last scan
//! assert!(!context.known.values().is_empty());
//! # }
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod auth;
mod secrets;

pub use auth::{
    same_origin_redirects, AuthContext, AuthError, Authorizer, Credentials, TokenCache, TokenError, TokenIdentity,
    TokenSettings, TooManyRedirects, DEFAULT_MAX_REDIRECTS, DEFAULT_TOKEN_LIFETIME, DEFAULT_TOKEN_TIMEOUT,
    MAX_LIFETIME, MAX_TOKEN_BODY, REFRESH_SKEW,
};
pub use secrets::{
    missing_secrets, needed_secrets, resolve_required, resolve_setting, DotenvError, DotenvSecretStore, EnvSecretStore,
    KnownSecrets, LayeredSecretStore, MapSecretStore, MissingSecret, NeededSecret, SecretStore,
};
