//! Auth and secrets for the conv-api runtime (built apart, merged into `conv-api-runtime`).
//!
//! ```
//! use std::sync::Arc;
//! use conv_api_auth_scratch::{AuthContext, MapSecretStore, TokenSettings};
//! let store = MapSecretStore::new().with("ZENDESK_LIVE_API_KEY", "k-123");
//! let context = AuthContext::new(Arc::new(store), TokenSettings::default()).unwrap();
//! assert!(context.known.is_empty());
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
