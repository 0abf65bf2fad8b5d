//! Auth: turns an environment's `Auth` into the credentials of each request attempt.
//!
//! The runtime does all of this for every call; these building blocks are public for
//! programs that authenticate requests the runtime does not send. For every attempt:
//! 1. `authorize(&url)` -> [`Credentials`] (or an [`AuthError`]: nothing is sent);
//! 2. adds them to the request ([`Credentials::apply_to_headers`] and
//!    [`Credentials::apply_to_url`], or the header and query accessors);
//! 3. on a 401 with a token ([`Credentials::token_identity`]), calls
//!    [`Authorizer::invalidate`] and replays once with fresh credentials.
//!
//! ```
//! # extern crate conv_api_runtime as conv_api;
//! use std::sync::Arc;
//! use conv_api::auth::{AuthContext, Authorizer, TokenSettings};
//! use conv_api::{DynamicApis, Environment, MapSecretStore, Runtime};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let apis = DynamicApis::parse("apis.yaml", r#"
//! api_integrations:
//!   - name: zendesk
//!     environments:
//!       sandbox: { base_url: "https://zendesk.example/api/v2", auth_type: apiKey }
//! "#).unwrap();
//! let environment = apis.definitions().api("zendesk").unwrap().environment(Environment::Sandbox).unwrap();
//! let runtime = Runtime::builder().environment(Environment::Sandbox).build().unwrap();
//!
//! // once: the store, a token cache, and the runtime's redactor (so logs mask the values)
//! let store = MapSecretStore::new().with("ZENDESK_SANDBOX_API_KEY", "k-123");
//! let context = AuthContext::with_redactor(Arc::new(store), TokenSettings::default(), runtime.redactor().clone())
//!     .unwrap();
//! // every attempt
//! let authorizer = Authorizer::new(environment, context).unwrap();
//! let target = conv_api::Url::parse("https://zendesk.example/api/v2/tickets/1").unwrap();
//! let credentials = authorizer.authorize(&target).await.unwrap();
//! let mut headers = conv_api::HeaderMap::new();
//! credentials.apply_to_headers(&mut headers);
//! assert_eq!(headers["x-api-key"], "k-123");
//! assert_eq!(runtime.redactor().text("key k-123"), "key ***");
//! # }
//! ```

mod api_key;
mod authenticator;
pub(crate) mod basic;
mod credentials;
mod error;
mod oauth2;
mod settings;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use conv_api_definitions::urls::credentials_allowed;
use conv_api_definitions::{Auth, CredentialsLocation, EnvironmentConfig};
use reqwest::header::{HeaderName, AUTHORIZATION};
use secrecy::ExposeSecret;
use url::Url;

use crate::redact::Redactor;
use crate::secrets::{setting_value, SecretStore};

pub use crate::secrets::{resolve_required, resolve_setting};
pub(crate) use authenticator::{AuthTarget, Authenticator, Replay};
pub use credentials::{Credentials, TokenIdentity};
pub(crate) use error::display_url;
pub use error::AuthError;
pub(crate) use oauth2::readable_token_url;
pub(crate) use oauth2::TokenClientSetup;
pub use oauth2::{
    TokenCache, TokenError, TokenSettings, TransportError, DEFAULT_TOKEN_LIFETIME, DEFAULT_TOKEN_TIMEOUT, MAX_LIFETIME,
    MAX_TOKEN_BODY, REFRESH_SKEW,
};

/// What every authorizer of a runtime shares: the secret store, the token cache and the
/// redactor that learns every secret and token value in use.
#[derive(Clone)]
pub struct AuthContext {
    /// Where secrets are read.
    pub secrets: Arc<dyn SecretStore>,
    /// OAuth 2.0 tokens.
    pub tokens: Arc<TokenCache>,
    /// Learns every secret and token value used, so logs and messages never show them.
    pub redactor: Redactor,
}

impl fmt::Debug for AuthContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthContext")
            .field("secrets", &self.secrets.describe())
            .field("tokens", &self.tokens)
            .field("redactor", &self.redactor)
            .finish()
    }
}

impl AuthContext {
    /// A context reading secrets from `secrets`, with a token cache following `settings`.
    ///
    /// # Errors
    ///
    /// [`AuthError::Client`] when the HTTP client for token requests cannot be built.
    pub fn new(secrets: Arc<dyn SecretStore>, settings: TokenSettings) -> Result<Self, AuthError> {
        AuthContext::with_redactor(secrets, settings, Redactor::new())
    }

    /// Like [`AuthContext::new`], registering every value used with `redactor` (such as
    /// the runtime's, [`Runtime::redactor`](crate::Runtime::redactor)).
    ///
    /// # Errors
    ///
    /// [`AuthError::Client`] when the HTTP client for token requests cannot be built.
    pub fn with_redactor(
        secrets: Arc<dyn SecretStore>,
        settings: TokenSettings,
        redactor: Redactor,
    ) -> Result<Self, AuthError> {
        Ok(AuthContext { secrets, tokens: Arc::new(TokenCache::new(settings)?), redactor })
    }

    /// Like [`AuthContext::with_redactor`], its token requests made by clients of `setup`.
    pub(crate) fn with_setup(
        secrets: Arc<dyn SecretStore>,
        settings: TokenSettings,
        redactor: Redactor,
        setup: TokenClientSetup,
    ) -> Result<Self, AuthError> {
        Ok(AuthContext { secrets, tokens: Arc::new(TokenCache::with_setup(settings, setup)?), redactor })
    }
}

/// The error of credentials that would go to `target` in clear text, where
/// [`credentials_allowed`] refuses them.
pub(crate) fn clear_text(target: &Url) -> AuthError {
    AuthError::ClearText { url: error::display_url(target) }
}

/// The credentials of `environment` for one attempt at `target`, read now, without
/// building an [`Authorizer`]; `None` when an OAuth 2.0 token must be fetched first.
/// `header` is the API key's or token's header, when the call already parsed it.
pub(crate) fn immediate_credentials(
    environment: &EnvironmentConfig,
    context: &AuthContext,
    target: &Url,
    header: Option<&HeaderName>,
) -> Option<Result<Credentials, AuthError>> {
    let (store, known) = (context.secrets.as_ref(), &context.redactor);
    let credentials = match &environment.auth {
        Auth::None => Ok(Credentials::none()),
        _ if !credentials_allowed(target) => Err(clear_text(target)),
        Auth::Basic(basic) => basic::credentials(basic, store, known),
        Auth::ApiKey(key) => {
            let place = match header {
                Some(header) => Ok(api_key::KeyPlace::Header(header.clone())),
                None => api_key::place(key, store),
            };
            place.and_then(|place| api_key::credentials(key, place, store, known))
        }
        Auth::OAuth2(oauth) => {
            oauth2::fresh_credentials(environment.environment, oauth, header, &context.tokens, store, known)
                .transpose()?
        }
    };
    Some(credentials)
}

/// Reads the credentials and auth settings of `environment` from `store` and checks
/// them as a call does, sending nothing (an OAuth 2.0 token is not requested, only
/// its request's settings checked): every problem that would fail the environment's
/// calls, each setting checked on its own, so that one fix does not reveal the next
/// (but an API key's header checks, which wait for a `location` that names a place).
/// `conv-api secrets --check` runs it.
///
/// ```
/// # extern crate conv_api_runtime as conv_api;
/// use conv_api::{auth::check_credentials, auth::AuthError, DynamicApis, Environment, MapSecretStore};
/// let yaml = "api_integrations:
///   - name: zendesk
///     environments:
///       live: { base_url: https://z.example, auth_type: apiKey, auth: { prefix: { secret: KEY_PREFIX } } }
///     operations: []
/// ";
/// let apis = DynamicApis::parse("apis.yaml", yaml).unwrap();
/// let live = apis.definitions().apis[0].environment(Environment::Live).unwrap();
/// let pasted = MapSecretStore::new().with("ZENDESK_LIVE_API_KEY", "k-1\nk-2").with("KEY_PREFIX", "Token\tx");
/// let problems = check_credentials(live, &pasted);
/// assert_eq!(problems.len(), 2);
/// assert!(problems[0].to_string().starts_with("the secret `ZENDESK_LIVE_API_KEY` (the auth `value`) must hold text with no control character"));
/// assert!(matches!(&problems[1], AuthError::InvalidSetting { secret, .. } if secret == "KEY_PREFIX"));
/// let good = MapSecretStore::new().with("ZENDESK_LIVE_API_KEY", "k-1").with("KEY_PREFIX", "Token");
/// assert!(check_credentials(live, &good).is_empty());
/// ```
///
/// Each problem is an [`AuthError`]: [`MissingSecret`](AuthError::MissingSecret),
/// [`InvalidSetting`](AuthError::InvalidSetting) (naming the secret),
/// [`InvalidTokenUrl`](AuthError::InvalidTokenUrl); in the order of the settings.
#[must_use]
pub fn check_credentials(environment: &EnvironmentConfig, store: &dyn SecretStore) -> Vec<AuthError> {
    match &environment.auth {
        Auth::None => Vec::new(),
        Auth::Basic(basic) => basic::problems(basic, store),
        Auth::ApiKey(key) => api_key::problems(key, store),
        Auth::OAuth2(oauth) => oauth2::problems(oauth, store),
    }
}

/// Tells the redactor of `context` the credentials of `environment` that its store
/// holds now (the same values a call's credentials teach it), so that a log entry or
/// an error masks them before any call of this API has read them: another API may
/// echo them first. What the store lacks is left to the call, which fails then.
fn learn_credentials(environment: &EnvironmentConfig, context: &AuthContext) {
    let (store, known) = (context.secrets.as_ref(), &context.redactor);
    // read without making the error of a missing one, which would describe the
    // store and list its names at every start
    let read = |setting| setting_value(setting, store);
    let value = match &environment.auth {
        Auth::None => None,
        // the `user:password` pair, the password and a token-like username, when the
        // username reads; else the password alone, whatever the username holds
        Auth::Basic(basic) => {
            let password = read(&basic.password);
            let username = read(&basic.username).filter(|username| !username.expose_secret().contains(':'));
            match username.zip(password.as_ref()) {
                Some((username, password)) if basic::credentials_of(basic, &username, password, known).is_ok() => None,
                _ => password,
            }
        }
        Auth::ApiKey(key) => read(&key.value),
        Auth::OAuth2(oauth) => read(&oauth.client_secret),
    };
    if let Some(value) = value {
        known.add_secret(&value);
    }
}

/// How many values the credentials of `environment` teach the redactor at most
/// ([`learn_credentials`], and the token requests): Basic auth's password, its
/// `user:password` pair and a token-like username; an API key; OAuth 2.0's client
/// secret, each secret of its `token_params`, and with the client credentials in a
/// header (or a secret that may say so) the secret form-encoded and the
/// `id:secret` pair. User info in the base URL (`https://user:pw@..`, which the
/// definitions file warns of) adds its password and its `user:password` pair.
pub(crate) fn credential_values(environment: &EnvironmentConfig) -> usize {
    let of_auth = match &environment.auth {
        Auth::None => 0,
        Auth::Basic(_) => 3,
        Auth::ApiKey(_) => 1,
        Auth::OAuth2(oauth) => {
            let secret_params = oauth.token_params.iter().filter(|(_, setting)| setting.secret().is_some()).count();
            let in_header = oauth.credentials.literal().is_none_or(|location| *location == CredentialsLocation::Header);
            1 + secret_params + if in_header { 2 } else { 0 }
        }
    };
    let of_base_url = if environment.base_url.value.contains('@') { 2 } else { 0 };
    of_auth + of_base_url
}

/// The auth of one environment of one API.
#[derive(Debug)]
pub struct Authorizer {
    method: Method,
    context: AuthContext,
}

#[derive(Debug)]
enum Method {
    None,
    Basic(conv_api_definitions::BasicAuth),
    ApiKey(conv_api_definitions::ApiKeyAuth),
    OAuth2(oauth2::OAuth2),
}

impl Authorizer {
    /// The authorizer of `environment`; checks the configured header names (reading
    /// those that name a secret).
    ///
    /// # Errors
    ///
    /// For an API key or OAuth 2.0 only: [`AuthError::MissingSecret`] when the key's
    /// `location` or `name`, or the token's `header_name`, names a secret that is not
    /// set; [`AuthError::InvalidSetting`] when it holds no valid value;
    /// [`AuthError::InvalidHeaderName`] when the header name, written in the file, is
    /// not one.
    pub fn new(environment: &EnvironmentConfig, context: AuthContext) -> Result<Self, AuthError> {
        let store = context.secrets.as_ref();
        let method = match &environment.auth {
            Auth::None => Method::None,
            Auth::Basic(basic) => Method::Basic(basic.clone()),
            Auth::ApiKey(key) => {
                api_key::place(key, store)?;
                Method::ApiKey(key.clone())
            }
            Auth::OAuth2(oauth) => Method::OAuth2(oauth2::OAuth2::new(environment.environment, oauth, store)?),
        };
        Ok(Authorizer { method, context })
    }

    /// The credentials for one attempt at `target` (the full request URL).
    ///
    /// Secrets are read from the store on every call; OAuth 2.0 tokens come from the
    /// cache. Credentials go only to `https` or loopback targets. A token request made
    /// here uses the default TLS roots: the environment's `tls:` settings apply to
    /// token requests made by the [`Runtime`](crate::Runtime), which builds their client.
    /// It runs as a task on the current tokio runtime, so call this within one.
    ///
    /// # Errors
    ///
    /// None with auth `none`. Else [`AuthError::ClearText`] for a target neither
    /// `https` nor loopback; [`AuthError::MissingSecret`] or
    /// [`AuthError::InvalidSetting`] for a secret not set or of a value its setting
    /// cannot take; [`AuthError::UsernameWithColon`] or
    /// [`AuthError::InvalidHeaderValue`] for credentials a header cannot carry; with
    /// OAuth 2.0, [`AuthError::InvalidTokenUrl`], or [`AuthError::Token`] when the
    /// token request fails.
    pub async fn authorize(&self, target: &Url) -> Result<Credentials, AuthError> {
        self.authorize_until(target, None, None).await
    }

    /// [`authorize`](Self::authorize) for a call of `api` (named in warnings),
    /// waiting for a token request under way until `deadline` (an attempt's end), if any.
    pub(crate) async fn authorize_until(
        &self,
        target: &Url,
        api: Option<&str>,
        deadline: Option<tokio::time::Instant>,
    ) -> Result<Credentials, AuthError> {
        if matches!(self.method, Method::None) {
            return Ok(Credentials::none());
        }
        if !credentials_allowed(target) {
            return Err(clear_text(target));
        }
        let (store, known) = (self.context.secrets.as_ref(), &self.context.redactor);
        match &self.method {
            Method::None => Ok(Credentials::none()),
            Method::Basic(basic) => basic::credentials(basic, store, known),
            Method::ApiKey(key) => api_key::credentials(key, api_key::place(key, store)?, store, known),
            Method::OAuth2(oauth) => oauth.credentials(&self.context.tokens, store, known, api, deadline).await,
        }
    }

    /// The token goes in `header`, the name the call already read (OAuth 2.0).
    pub(crate) fn with_token_header(mut self, header: HeaderName) -> Self {
        if let Method::OAuth2(oauth) = &mut self.method {
            oauth.header = header;
        }
        self
    }

    /// Token requests (OAuth 2.0) go through `client`: the environment's TLS settings.
    pub(crate) fn with_token_client(mut self, client: reqwest::Client) -> Self {
        if let Method::OAuth2(oauth) = &mut self.method {
            oauth.token_client = Some(client);
        }
        self
    }

    /// Says that requests carrying this API's OAuth 2.0 tokens may take up to
    /// `timeout`: a token a newer one replaced stays known to the redactor, so masked
    /// in logs, until such a request is over; 15 minutes after it expired, without
    /// this (the runtime's own calls tell their timeouts themselves), and a day at most.
    pub fn note_request_timeout(&self, timeout: Duration) {
        self.context.tokens.note_attempt(timeout);
    }

    /// After a 401: drops the token `identity` unless it was already dropped or
    /// replaced (compare-and-swap: concurrent 401s with one token drop it once);
    /// whether it did.
    pub fn invalidate(&self, identity: TokenIdentity) -> bool {
        self.context.tokens.invalidate(identity)
    }

    /// The header the credentials go in, whose value a log masks; without an API
    /// key's header when its `location` or `name` cannot be read from the store (then
    /// [`authorize`](Self::authorize) fails too, and nothing is sent). Redirects to
    /// another origin are never followed, so no header needs dropping for one.
    pub fn sensitive_headers(&self) -> Vec<HeaderName> {
        match &self.method {
            Method::None => Vec::new(),
            Method::Basic(_) => vec![AUTHORIZATION],
            Method::ApiKey(key) => match api_key::place(key, self.context.secrets.as_ref()) {
                Ok(api_key::KeyPlace::Header(name)) => vec![name],
                _ => Vec::new(),
            },
            Method::OAuth2(oauth) => vec![oauth.header.clone()],
        }
    }

    /// Query parameters whose values a log masks (the API key in the query); empty
    /// when the key's `location` or `name` cannot be read from the store (then
    /// [`authorize`](Self::authorize) fails too).
    pub fn sensitive_query_params(&self) -> Vec<String> {
        match &self.method {
            Method::ApiKey(key) => match api_key::place(key, self.context.secrets.as_ref()) {
                Ok(api_key::KeyPlace::Query(name)) => vec![name.into_owned()],
                _ => Vec::new(),
            },
            _ => Vec::new(),
        }
    }

    /// The shared context (secret store, token cache, redactor).
    pub fn context(&self) -> &AuthContext {
        &self.context
    }
}

#[cfg(test)]
mod tests {
    use conv_api_definitions::{parse_str, Environment};

    use super::credential_values;

    /// The counts of the sandbox environments of `apis`, YAML list items.
    fn counts(apis: &str) -> Vec<usize> {
        let checked = parse_str("apis.yaml", &format!("api_integrations:\n{apis}")).unwrap();
        let environments = checked.definitions.apis.iter().filter_map(|api| api.environment(Environment::Sandbox));
        environments.map(credential_values).collect()
    }

    #[test]
    fn every_value_a_credential_teaches_the_redactor_is_counted() {
        let apis = "  - name: none
    environments: { sandbox: { base_url: \"https://a.example\" } }
  - name: in_url
    environments: { sandbox: { base_url: \"https://agent:pw@a.example\", auth_type: apiKey } }
  - name: basic
    environments: { sandbox: { base_url: \"https://a.example\", auth_type: basic } }
  - name: header
    environments: { sandbox: { base_url: \"https://a.example\", auth_type: oauth2, auth: { token_url: \"https://t.example\" } } }
  - name: body
    environments:
      sandbox:
        base_url: \"https://a.example\"
        auth_type: oauth2
        auth: { token_url: \"https://t.example\", credentials: body, token_params: { audience: { secret: AUD }, resource: r } }
";
        assert_eq!(counts(apis), [0, 3, 3, 3, 2]);
    }
}
