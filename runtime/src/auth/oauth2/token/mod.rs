//! One OAuth 2.0 client credentials token request (RFC 6749 4.4) and its response.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime};

use conv_api_definitions::CredentialsLocation;
use reqwest::header::{HeaderValue, ACCEPT, AUTHORIZATION};
use reqwest::{Client, Response};
use secrecy::{ExposeSecret, SecretString};
use tokio::time::Instant;
use url::Url;

use super::TokenSettings;
use crate::auth::api_key::with_prefix;
use crate::auth::basic::basic_header;
use crate::auth::error::display_url;
use crate::auth::{AuthError, TokenIdentity};
use crate::deadline::LONGEST_WAIT;
use crate::http::header_text::header_value;
use crate::http::proxy::{environment_proxies, EnvironmentProxies, ProxyRoutes};
use crate::redact::Redactor;
use crate::retry::{is_retryable_status, retry_after};

mod answer;
mod error;

use answer::{content_encoding, content_type, is_form, parse};
pub use error::{TokenError, TransportError};

/// Lifetimes longer than this are shortened to it (a huge `expires_in` cannot overflow).
pub const MAX_LIFETIME: Duration = Duration::from_secs(365 * 24 * 60 * 60);

/// How far ahead of expiry a token is refreshed, at most (and at most half its lifetime).
pub const REFRESH_SKEW: Duration = Duration::from_secs(60);

/// A token request, with every setting resolved.
#[derive(Clone)]
pub(crate) struct TokenRequest {
    /// Where tokens are requested (checked: `https` unless loopback).
    pub token_url: Url,
    /// The client id.
    pub client_id: String,
    /// The client secret.
    pub client_secret: SecretString,
    /// The requested scope, if any.
    pub scope: Option<String>,
    /// More parameters of the form (`token_params`).
    pub params: Vec<(String, String)>,
    /// The values of those read from the secret store, masked as secrets.
    pub secret_params: Vec<SecretString>,
    /// Where the client id and secret go.
    pub credentials: CredentialsLocation,
    /// The client of the environment's `tls:` settings, when it has any; else the
    /// cache's own.
    pub client: Option<Client>,
    /// The API whose call asks for the token, named in warnings.
    pub api: Option<String>,
}

/// A token from the endpoint, with its times on the tokio clock.
pub(crate) struct Token {
    /// The access token.
    pub access_token: SecretString,
    /// Which token this is, for the 401 compare-and-swap.
    pub identity: TokenIdentity,
    /// From this instant it is never served.
    pub expires_at: Instant,
    /// From this instant a caller refreshes it.
    pub refresh_at: Instant,
    /// `<prefix> <token>` as a header value, made for the first prefix used (a prefix
    /// read from the store may change; another one is made on each use).
    header: OnceLock<(String, HeaderValue)>,
}

impl Token {
    /// `<prefix> <token>` (the token alone for an empty prefix) as a header value.
    pub fn header_value(&self, prefix: &str) -> Result<HeaderValue, AuthError> {
        if let Some((made_for, value)) = self.header.get() {
            if made_for == prefix {
                return Ok(value.clone());
            }
        }
        let value = with_prefix(Some(prefix), &self.access_token);
        let value =
            header_value(value.expose_secret()).map_err(|_| AuthError::InvalidHeaderValue { field: "access_token" })?;
        // a concurrent call may have made it first, for the same or another prefix
        let _ = self.header.set((prefix.to_string(), value.clone()));
        Ok(value)
    }

    /// Whether the token is good and not due for refresh at `now`.
    pub fn is_fresh(&self, now: Instant) -> bool {
        now < self.refresh_at
    }

    /// Whether the token may still be sent at `now`.
    pub fn is_usable(&self, now: Instant) -> bool {
        now < self.expires_at
    }
}

/// How a token request reaches its endpoint, for the errors of one that does not.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Route {
    /// The variable naming the environment's proxy it goes through, if any.
    pub(crate) proxy: Option<&'static str>,
    /// The client's connect timeout.
    pub(crate) connect_timeout: Duration,
}

/// Requests a token: one POST, no redirects, a capped body, within the token timeout.
pub(crate) async fn fetch(
    client: &Client,
    request: &TokenRequest,
    settings: &TokenSettings,
    known: &Redactor,
    route: Route,
) -> Result<Token, TokenError> {
    let proxy = route.proxy;
    let url = display_url(&request.token_url);
    // `expires_in` counts from when the server issued the token, which is after this
    // and before its answer arrives: counted from here, a slow answer cannot make a
    // token outlive its lifetime
    let sent = Instant::now();
    let exchange = async {
        let response = build(client, request, known).send().await.map_err(|e| transport(&url, e, route))?;
        let status = response.status();
        let content_type = content_type(&response, known);
        let encoding = content_encoding(&response, known);
        let form = is_form(&response);
        let wait = match is_retryable_status(status.as_u16()) {
            true => retry_after(response.headers(), SystemTime::now()),
            false => None,
        };
        // a body too large or cut off does not take back the wait the head asked for
        let body =
            read_capped(response, settings.max_body, &url).await.map_err(|answer| asked_to_wait(answer, wait))?;
        Ok::<_, TokenError>((status, (content_type, encoding, form), body, wait))
    };
    let (status, described, body, wait) =
        tokio::time::timeout(settings.timeout.min(LONGEST_WAIT), exchange)
            .await
            .map_err(|_| TokenError::Timeout { url: url.clone(), after: settings.timeout, proxy })??;
    if status.is_redirection() {
        return Err(TokenError::Redirect { url, status });
    }
    let token = parse(status, described, &body, &url, known).map_err(|mut answer| {
        if let TokenError::NotJson { proxy: through, .. } = &mut answer {
            *through = proxy;
        }
        asked_to_wait(answer, wait)
    })?;
    if let Some(token_type) = &token.unusual_type {
        // used as configured: the API, not the token endpoint, says whether it takes it
        tracing::warn!(target: "conv_api", api = request.api.as_deref(), token_type = %token_type, "oauth2 token type is not `Bearer`; the token is sent after the auth settings' `token_prefix` (`Bearer` unless set): set `token_prefix` if the API wants another");
    }
    let token = token.into_token(sent, settings.default_lifetime);
    let lifetime = token.expires_at.saturating_duration_since(Instant::now());
    // the time a call's duration spent on its token, for the operator who wonders
    let duration_ms = sent.elapsed().as_secs_f64() * 1000.0;
    let api = request.api.as_deref();
    tracing::debug!(target: "conv_api", api, url = %url, duration_ms, lifetime_secs = lifetime.as_secs(), "oauth2 token fetched");
    Ok(token)
}

fn build(client: &Client, request: &TokenRequest, known: &Redactor) -> reqwest::RequestBuilder {
    let mut form: Vec<(&str, &str)> = vec![("grant_type", "client_credentials")];
    if let Some(scope) = &request.scope {
        form.push(("scope", scope));
    }
    form.extend(request.params.iter().map(|(name, value)| (name.as_str(), value.as_str())));
    known.add_secret(&request.client_secret);
    request.secret_params.iter().for_each(|value| known.add_secret(value));
    // user info in the token URL would become a second `Authorization` header (or a
    // header where `credentials: body` sends none): the client credentials are
    // `client_id` and `client_secret`, so it is left out
    let mut token_url = request.token_url.clone();
    let _ = token_url.set_username("");
    let _ = token_url.set_password(None);
    let builder = client.post(token_url).header(ACCEPT, "application/json");
    match request.credentials {
        CredentialsLocation::Header => {
            let mut value = client_basic(request, known);
            value.set_sensitive(true);
            builder.header(AUTHORIZATION, value).form(&form)
        }
        CredentialsLocation::Body => {
            form.push(("client_id", &request.client_id));
            form.push(("client_secret", request.client_secret.expose_secret()));
            builder.form(&form)
        }
    }
}

/// RFC 6749 2.3.1: id and secret each form-urlencoded, then HTTP Basic.
fn client_basic(request: &TokenRequest, known: &Redactor) -> HeaderValue {
    let encode =
        |text: &str| SecretString::from(url::form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>());
    let id = encode(&request.client_id);
    let secret = encode(request.client_secret.expose_secret());
    let header = basic_header(&id, &secret, known);
    // base64 and `Basic ` are always valid header text.
    HeaderValue::from_str(header.expose_secret()).unwrap_or_else(|_| HeaderValue::from_static("Basic"))
}

/// What every token endpoint client of a runtime is built with, read once: its
/// `User-Agent` and the environment's proxies, as the runtime's clients have them,
/// with the hosts those serve.
#[derive(Clone)]
pub(crate) struct TokenClientSetup {
    pub(crate) user_agent: HeaderValue,
    pub(crate) proxies: Vec<reqwest::Proxy>,
    pub(crate) routes: Arc<ProxyRoutes>,
    /// The runtime's connect timeout, as its calls have it: a token server that
    /// never completes a connection is a connect error, retried as one.
    pub(crate) connect_timeout: Duration,
}

impl TokenClientSetup {
    /// [`USER_AGENT`](crate::USER_AGENT), the environment's proxies as they are now and
    /// [`DEFAULT_CONNECT_TIMEOUT`](crate::DEFAULT_CONNECT_TIMEOUT).
    pub(crate) fn from_environment() -> TokenClientSetup {
        let EnvironmentProxies { proxies, routes, .. } = environment_proxies();
        TokenClientSetup {
            user_agent: HeaderValue::from_static(crate::USER_AGENT),
            proxies,
            routes: Arc::new(routes),
            connect_timeout: crate::DEFAULT_CONNECT_TIMEOUT,
        }
    }

    /// The settings of a token endpoint client, before an environment's TLS material:
    /// [those of every client](crate::http::call_client::runtime_client), and
    /// redirects never followed (RFC 6749 does not allow them).
    pub(crate) fn builder(&self) -> reqwest::ClientBuilder {
        crate::http::call_client::runtime_client(self.connect_timeout, &self.proxies, &self.user_agent)
            .redirect(reqwest::redirect::Policy::none())
    }
}

fn transport(url: &str, error: reqwest::Error, Route { proxy, connect_timeout }: Route) -> TokenError {
    let url = url.to_string();
    match error.is_connect() && error.is_timeout() {
        true => TokenError::ConnectTimeout { url, after: connect_timeout, source: TransportError::new(error), proxy },
        false => TokenError::Transport { url, source: TransportError::new(error), proxy },
    }
}

/// The failure `answer` is, with the `wait` its answer's `Retry-After` asked for.
fn asked_to_wait(answer: TokenError, wait: Option<Duration>) -> TokenError {
    match wait {
        Some(wait) => TokenError::AskedToWait { answer: Box::new(answer), wait },
        None => answer,
    }
}

async fn read_capped(mut response: Response, limit: usize, url: &str) -> Result<Vec<u8>, TokenError> {
    let status = response.status();
    let too_large = || TokenError::TooLarge { url: url.to_string(), status, limit };
    if response.content_length().is_some_and(|length| length > limit as u64) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    let broken = |error: reqwest::Error| TokenError::BodyBroken {
        url: url.to_string(),
        status,
        source: TransportError::new(error),
    };
    while let Some(chunk) = response.chunk().await.map_err(broken)? {
        if body.len() + chunk.len() > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

impl Token {
    /// `access_token`, requested at `now`, expiring after `lifetime` (at most
    /// [`MAX_LIFETIME`]) and refreshed [`REFRESH_SKEW`] ahead, or half-way for short lifetimes.
    pub(crate) fn new(access_token: SecretString, now: Instant, lifetime: Duration) -> Token {
        let lifetime = lifetime.min(MAX_LIFETIME);
        // With the one-year cap the additions cannot overflow; should they, the token is
        // treated as expired, which is safe.
        let at = |after: Duration| now.checked_add(after).unwrap_or(now);
        let refresh_after = lifetime - REFRESH_SKEW.min(lifetime / 2);
        Token {
            access_token,
            identity: next_identity(),
            expires_at: at(lifetime),
            refresh_at: at(refresh_after),
            header: OnceLock::new(),
        }
    }
}

fn next_identity() -> TokenIdentity {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    TokenIdentity(NEXT.fetch_add(1, Ordering::Relaxed))
}

#[cfg(test)]
mod tests;
