//! OAuth 2.0 client credentials (RFC 6749 4.4): resolve the settings, get a cached token,
//! send it as `<header_name>: <token_prefix> <token>`.

mod cache;
mod token;

use std::time::Duration;

use conv_api_definitions::urls::{check_secret_url, check_url, UrlUse};
use conv_api_definitions::{Environment, OAuth2Auth, Setting};
use reqwest::header::HeaderName;
use secrecy::{ExposeSecret, SecretString};
use tokio::time::Instant;

use super::{settings, AuthError, Credentials};
use crate::redact::Redactor;
use crate::secrets::{resolve_required, resolve_setting, MissingSecret, SecretStore};

pub use cache::TokenCache;
pub(crate) use token::TokenClientSetup;
pub use token::{TokenError, TransportError, MAX_LIFETIME, REFRESH_SKEW};

use cache::TokenKey;
use token::TokenRequest;

/// How token requests are made.
#[derive(Clone, Debug)]
pub struct TokenSettings {
    /// The whole token request, sending and reading, must finish within this (default 8 s).
    pub timeout: Duration,
    /// The lifetime of a token whose response has no readable `expires_in` (default 3600 s).
    pub default_lifetime: Duration,
    /// The largest token response body read (default 1 MiB).
    pub max_body: usize,
}

/// The default token request timeout: shorter than an attempt's default
/// ([`DEFAULT_TIMEOUT`](crate::DEFAULT_TIMEOUT)), so that a token server that does
/// not answer is told as such, once, before the attempt that waits for it times out.
pub const DEFAULT_TOKEN_TIMEOUT: Duration = Duration::from_secs(8);
/// The lifetime assumed when a token response has no `expires_in`.
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(3600);
/// The largest token response body read.
pub const MAX_TOKEN_BODY: usize = 1024 * 1024;

impl Default for TokenSettings {
    fn default() -> Self {
        TokenSettings {
            timeout: DEFAULT_TOKEN_TIMEOUT,
            default_lifetime: DEFAULT_TOKEN_LIFETIME,
            max_body: MAX_TOKEN_BODY,
        }
    }
}

/// OAuth 2.0 auth of one environment, with its header name checked.
#[derive(Debug)]
pub(crate) struct OAuth2 {
    pub environment: Environment,
    pub auth: OAuth2Auth,
    pub header: HeaderName,
    /// The client for the token endpoint when the environment has `tls:` settings.
    pub token_client: Option<reqwest::Client>,
}

impl OAuth2 {
    /// Checks the header name of `auth` (reading it, when it names a secret).
    pub fn new(environment: Environment, auth: &OAuth2Auth, store: &dyn SecretStore) -> Result<Self, AuthError> {
        let header = settings::header_name(&auth.header_name, "header_name", store)?;
        Ok(OAuth2 { environment, auth: auth.clone(), header, token_client: None })
    }

    /// A token (cached or fetched) in the configured header, for a call of `api`
    /// (named in warnings) when known; a token request under way is waited for until
    /// `deadline`, if any.
    pub async fn credentials(
        &self,
        tokens: &TokenCache,
        store: &dyn SecretStore,
        known: &Redactor,
        api: Option<&str>,
        deadline: Option<Instant>,
    ) -> Result<Credentials, AuthError> {
        let key = TokenKey::resolve(self.environment, &self.auth, store)?;
        // read before a token is asked for, so that a call it refuses sends nothing
        let prefix = settings::prefix(&self.auth.token_prefix, "token_prefix", store)?;
        let request = match self.request(&key, store, api) {
            Ok(request) => request,
            // no token can be asked for now (the client secret gone in a rotation): the
            // cached one serves while it may be sent, as after a failed refresh
            Err(refusal) => match tokens.usable_despite(&key, &refusal, known, api) {
                Some(token) => return in_header(self.header.clone(), &token, &prefix, known),
                None => return Err(refusal),
            },
        };
        let token = tokens.token(key, &request, known, deadline).await?;
        in_header(self.header.clone(), &token, &prefix, known)
    }

    /// The token request for the settings of `key`, with the other settings read
    /// and the token URL checked.
    fn request(&self, key: &TokenKey, store: &dyn SecretStore, api: Option<&str>) -> Result<TokenRequest, AuthError> {
        Ok(TokenRequest {
            token_url: token_url(&self.auth, &key.token_url)?,
            client_id: key.client_id.clone(),
            client_secret: resolve_required(&self.auth.client_secret, "client_secret", store)?,
            scope: key.scope.clone(),
            params: key.params.clone(),
            secret_params: (self.auth.token_params.iter().zip(&key.params))
                .filter(|((_, setting), _)| setting.secret().is_some())
                .map(|(_, (_, value))| SecretString::from(value.clone()))
                .collect(),
            credentials: settings::choice(&self.auth.credentials, "credentials", store)?,
            client: self.token_client.clone(),
            api: api.map(String::from),
        })
    }
}

/// The value of the token parameter `name`, set to `value`: the literal, or the
/// secret from `store`. Its field (`token_params.audience`) is named only when the
/// secret is missing, as this runs for every call.
fn token_param(name: &str, value: &Setting, store: &dyn SecretStore) -> Result<SecretString, MissingSecret> {
    resolve_required(value, "token_params", store)
        .map_err(|missing| MissingSecret { field: OAuth2Auth::token_param_field(name), ..missing })
}

/// Every setting of `auth` that a call would refuse with the values in `store`, each
/// read and checked as [`OAuth2::credentials`] reads it, on its own; no token is
/// requested.
pub(crate) fn problems(auth: &OAuth2Auth, store: &dyn SecretStore) -> Vec<AuthError> {
    let read = |setting, field| resolve_required(setting, field, store).map_err(AuthError::from);
    let checks = [
        settings::header_name(&auth.header_name, "header_name", store).map(drop),
        read(&auth.token_url, "token_url").and_then(|url| token_url(auth, url.expose_secret().trim()).map(drop)),
        read(&auth.client_id, "client_id").map(drop),
        auth.scope
            .as_ref()
            .map_or(Ok(()), |scope| resolve_setting(scope, "scope", store).map(drop).map_err(Into::into)),
        read(&auth.client_secret, "client_secret").map(drop),
        settings::choice(&auth.credentials, "credentials", store).map(drop),
        settings::prefix(&auth.token_prefix, "token_prefix", store).map(drop),
    ];
    let params = auth
        .token_params
        .iter()
        .map(|(name, value)| token_param(name, value, store).map(drop).map_err(AuthError::from));
    checks.into_iter().chain(params).filter_map(Result::err).collect()
}

/// The token URL of `auth` as a call reads it from `store`, when it is one
/// ([`problems`] says why not).
pub(crate) fn readable_token_url(auth: &OAuth2Auth, store: &dyn SecretStore) -> Option<url::Url> {
    let written = resolve_required(&auth.token_url, "token_url", store).ok()?;
    token_url(auth, written.expose_secret().trim()).ok()
}

/// `written`, the token URL of `auth` as read (trimmed), checked; one read from the
/// store is named in the error, its value never shown.
fn token_url(auth: &OAuth2Auth, written: &str) -> Result<url::Url, AuthError> {
    let secret = auth.token_url.secret();
    let checked = match secret {
        Some(_) => check_secret_url(written, UrlUse::TokenUrl),
        None => check_url(written, UrlUse::TokenUrl),
    };
    checked.map_err(|problems| {
        let from = secret.map(|secret| format!("(from secret `{}`) ", secret.name)).unwrap_or_default();
        AuthError::InvalidTokenUrl { problem: format!("{from}{}", problems.join("; it ")) }
    })
}

/// The credentials of a cached token that needs no refresh yet, or `None` when one
/// must be fetched: the path of almost every call, with no token request to build.
/// `header` is the token's header, when the call already parsed it.
pub(crate) fn fresh_credentials(
    environment: Environment,
    auth: &OAuth2Auth,
    header: Option<&HeaderName>,
    tokens: &TokenCache,
    store: &dyn SecretStore,
    known: &Redactor,
) -> Result<Option<Credentials>, AuthError> {
    let key = TokenKey::resolve(environment, auth, store)?;
    let credentials = tokens.with_fresh(&key, |token| {
        let header = match header {
            Some(header) => header.clone(),
            None => settings::header_name(&auth.header_name, "header_name", store)?,
        };
        let prefix = settings::prefix(&auth.token_prefix, "token_prefix", store)?;
        in_header(header, token, &prefix, known)
    });
    credentials.transpose()
}

/// `token` as `<header>: <token_prefix> <token>`.
fn in_header(
    header: HeaderName,
    token: &token::Token,
    prefix: &str,
    known: &Redactor,
) -> Result<Credentials, AuthError> {
    // on every use (a read when the token is known), so the redactor never forgets a token in use
    known.add_token(&token.access_token);
    Ok(Credentials::header(header, token.header_value(prefix)?).with_token(token.identity))
}
