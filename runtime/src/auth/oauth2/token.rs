//! One OAuth 2.0 client credentials token request (RFC 6749 4.4) and its response.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime};

use conv_api_definitions::{one_line, CredentialsLocation};
use reqwest::header::{HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Client, Response, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use tokio::time::Instant;
use url::Url;

use super::TokenSettings;
use crate::auth::api_key::with_prefix;
use crate::auth::basic::basic_header;
use crate::auth::error::display_url;
use crate::auth::{AuthError, TokenIdentity};
use crate::deadline::LONGEST_WAIT;
use crate::header_text::header_value;
use crate::proxy::{environment_proxies, environment_proxy, EnvironmentProxies, ProxyRoutes};
use crate::redact::Redactor;
use crate::retry::{is_retryable_status, retry_after, shown_duration};

/// Lifetimes longer than this are shortened to it (a huge `expires_in` cannot overflow).
pub const MAX_LIFETIME: Duration = Duration::from_secs(365 * 24 * 60 * 60);

/// How far ahead of expiry a token is refreshed, at most (and at most half its lifetime).
pub const REFRESH_SKEW: Duration = Duration::from_secs(60);

/// The longest `error_description` kept in a message.
const MAX_DESCRIPTION: usize = 300;

/// Why a token request failed; no variant holds a secret or a token. Clones share
/// one failure: the callers that waited for the same fetch each get it.
#[derive(Clone, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    /// The token endpoint did not answer within the token timeout.
    #[error("the oauth2 token request to `{url}` timed out after {}; {}, or give it longer with `Runtime::builder().token_timeout(..)`", shown_duration(*.after), timeout_advice(*.proxy))]
    #[non_exhaustive]
    Timeout {
        /// The token URL (no user info, no query).
        url: String,
        /// The token timeout.
        after: Duration,
        /// The environment variable naming the proxy the request went through
        /// (`HTTPS_PROXY`, `https_proxy`, `ALL_PROXY` ...), if it went through one.
        proxy: Option<&'static str>,
    },
    /// No connection to the token endpoint was made within the runtime's connect
    /// timeout (a TLS handshake included); retried with the call, as a call's
    /// connect error is.
    #[error("the oauth2 token request to `{url}` made no connection within the connect timeout of {}; {}, or raise the timeout with `Runtime::builder().connect_timeout(..)`", shown_duration(*.after), timeout_advice(*.proxy))]
    #[non_exhaustive]
    ConnectTimeout {
        /// The token URL (no user info, no query).
        url: String,
        /// The connect timeout.
        after: Duration,
        /// The transport error, without its URL.
        source: TransportError,
        /// The environment variable naming the proxy the request went through, if
        /// it went through one.
        proxy: Option<&'static str>,
    },
    /// The token endpoint could not be reached, or its answer's head not read.
    #[error("the oauth2 token request to `{url}` failed: {}; {}", crate::transport::innermost(.source), transport_advice(&.source.0, *.proxy))]
    #[non_exhaustive]
    Transport {
        /// The token URL (no user info, no query).
        url: String,
        /// The transport error, without its URL.
        source: TransportError,
        /// The environment variable naming the proxy the request went through, if
        /// it went through one.
        proxy: Option<&'static str>,
    },
    /// The token endpoint answered, then its body broke off or was not HTTP the
    /// client reads (a broken chunked body): the endpoint is the right one.
    #[error("the oauth2 token endpoint `{url}` answered {status}, then its body could not be read: {}; {}, or ask its owners to fix the answer", crate::transport::innermost(.source), FAILING_OR_BUSY)]
    #[non_exhaustive]
    BodyBroken {
        /// The token URL (no user info, no query).
        url: String,
        /// The status.
        status: StatusCode,
        /// The transport error, without its URL.
        source: TransportError,
    },
    /// The token endpoint answered with a redirect, which is never followed.
    #[error("the oauth2 token endpoint `{url}` answered {status} with a redirect, which is not followed for token requests; set `token_url` to the final URL")]
    #[non_exhaustive]
    Redirect {
        /// The token URL (no user info, no query).
        url: String,
        /// The status.
        status: StatusCode,
    },
    /// The response body is larger than the cap.
    #[error("the oauth2 token endpoint `{url}` answered {status} with a body over {limit} bytes, which is not a token response; {}", too_large_advice(*status))]
    #[non_exhaustive]
    TooLarge {
        /// The token URL (no user info, no query).
        url: String,
        /// The status.
        status: StatusCode,
        /// The cap, in bytes.
        limit: usize,
    },
    /// The token endpoint refused the request (RFC 6749 5.2).
    #[error("the oauth2 token endpoint `{url}` answered {status} with error `{error}`{}; {}", describe(.description), rejected_advice(.error, *.status))]
    #[non_exhaustive]
    Rejected {
        /// The token URL (no user info, no query).
        url: String,
        /// The status.
        status: StatusCode,
        /// The `error` code, such as `invalid_client`.
        error: String,
        /// The `error_description`, shortened, when given.
        description: Option<String>,
    },
    /// The response is a JSON object without a usable `access_token`.
    #[error("the oauth2 token endpoint `{url}` answered {status} without an `access_token`; check that `token_url` is the client credentials token endpoint")]
    #[non_exhaustive]
    MissingAccessToken {
        /// The token URL (no user info, no query).
        url: String,
        /// The status.
        status: StatusCode,
    },
    /// The `access_token` is empty or blank. Never cached.
    #[error("the oauth2 token endpoint `{url}` answered {status} with an empty `access_token`; the token server gave no token: check the client's settings there")]
    #[non_exhaustive]
    EmptyAccessToken {
        /// The token URL (no user info, no query).
        url: String,
        /// The status.
        status: StatusCode,
    },
    /// The `access_token` is no JSON string (a number, an object). Never cached.
    #[error("the oauth2 token endpoint `{url}` answered {status} with an `access_token` that is not a JSON string; the token server must send the token as a string")]
    #[non_exhaustive]
    AccessTokenNotText {
        /// The token URL (no user info, no query).
        url: String,
        /// The status.
        status: StatusCode,
    },
    /// The `access_token` cannot be sent in a header: it holds a control character,
    /// such as a line break, or a character beyond Latin-1. Never cached.
    #[error("the oauth2 token endpoint `{url}` answered {status} with an `access_token` that cannot be sent in a header (it holds a control character, such as a line break, or a character beyond Latin-1); the token server must send the token alone")]
    #[non_exhaustive]
    InvalidAccessToken {
        /// The token URL (no user info, no query).
        url: String,
        /// The status.
        status: StatusCode,
    },
    /// The caller's attempt timed out while the token request was under way; the
    /// request goes on, and its token serves the calls that follow. The call's
    /// error is a `Timeout`, and a retry waits for the same request.
    #[error("no oauth2 token from `{url}` before the attempt's timeout, after waiting {} for it: the token request goes on, and its token serves the calls that follow; check that the token server is up, or give the call a longer timeout", shown_duration(*.after))]
    #[non_exhaustive]
    NotYet {
        /// The token URL (no user info, no query).
        url: String,
        /// How long the caller waited for the token.
        after: Duration,
    },
    /// The token request stopped before it finished: its task ended, as when the
    /// tokio runtime shuts down.
    #[error("the oauth2 token request to `{url}` stopped before it finished (its task ended, as when the tokio runtime shuts down)")]
    #[non_exhaustive]
    Interrupted {
        /// The token URL (no user info, no query).
        url: String,
    },
    /// No HTTP client for token requests could be built on the tokio runtime of the
    /// call (each tokio runtime has its own, as connections belong to the runtime that
    /// opened them).
    #[error("cannot build the HTTP client for the oauth2 token request to `{url}` on this tokio runtime: {reason}")]
    #[non_exhaustive]
    Client {
        /// The token URL (no user info, no query).
        url: String,
        /// Why the client could not be built.
        reason: String,
    },
    /// The proxy variable that would serve the token URL is no usable proxy URL
    /// (`socks5://`, `htpp://`); nothing was sent.
    #[error("the oauth2 token request to `{url}` cannot be sent: {problem}")]
    #[non_exhaustive]
    Proxy {
        /// The token URL (no user info, no query).
        url: String,
        /// Which variable, why it cannot be used and what to do.
        problem: String,
    },
    /// The response is not a JSON object (an HTML error page, say).
    #[error("the oauth2 token endpoint `{url}` answered {status} with {content_type}, which is no token response (a JSON object with an `access_token`); {}", not_json_advice(*status))]
    #[non_exhaustive]
    NotJson {
        /// The token URL (no user info, no query).
        url: String,
        /// The status.
        status: StatusCode,
        /// The `Content-Type`, or `no content type`.
        content_type: String,
    },
    /// The token endpoint answered a status that says "not now" (429, 503...) as
    /// `answer` says, and asked (`Retry-After`) to be asked again no sooner than
    /// `wait`: a call that may be retried waits that long, up to the runtime's cap.
    #[error("{answer}; it asks (`Retry-After`) to be asked again in {}", shown_duration(*.wait))]
    #[non_exhaustive]
    AskedToWait {
        /// The failure the answer is (its cause, so that a transport error stays in
        /// the chain of sources).
        #[source]
        answer: Box<TokenError>,
        /// How long the endpoint asked to wait.
        wait: Duration,
    },
}

impl TokenError {
    /// Whether a token request made again at once may succeed: the endpoint could
    /// not be reached or answered a status that says "not now" (408, 429, 500, 502,
    /// 503, 504). Not a refusal of the credentials, a TLS or certificate failure, a
    /// misconfigured endpoint, a timeout (the token request's own; or the attempt's
    /// while it waited for one, [`NotYet`](TokenError::NotYet), which a call reports
    /// as its attempt's `Timeout` and retries as one that sent nothing), nor a
    /// request whose task ended with its tokio runtime.
    pub fn is_transient(&self) -> bool {
        match self {
            TokenError::AskedToWait { answer, .. } => answer.is_transient(),
            // a new request would not be sooner: the one under way goes on
            TokenError::Timeout { .. } | TokenError::NotYet { .. } => false,
            // the tokio runtime is shutting down: a retry's wait would panic on it
            TokenError::Interrupted { .. } => false,
            TokenError::Transport { source, .. } | TokenError::BodyBroken { source, .. } => {
                !crate::transport::classify(&source.0).lasts()
            }
            TokenError::ConnectTimeout { .. } => true,
            TokenError::Rejected { status, .. }
            | TokenError::MissingAccessToken { status, .. }
            | TokenError::EmptyAccessToken { status, .. }
            | TokenError::InvalidAccessToken { status, .. }
            | TokenError::AccessTokenNotText { status, .. }
            | TokenError::NotJson { status, .. }
            | TokenError::TooLarge { status, .. } => is_retryable_status(status.as_u16()),
            TokenError::Redirect { .. } | TokenError::Client { .. } | TokenError::Proxy { .. } => false,
        }
    }

    /// How long the token endpoint asked to wait before it is asked again
    /// (`Retry-After`, on an answer that says "not now").
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            TokenError::AskedToWait { wait, .. } => Some(*wait),
            _ => None,
        }
    }

    /// The error with `left` of the wait its endpoint asked for: a call made during
    /// the wait is told what is left of it.
    pub(crate) fn waiting(&self, left: Duration) -> TokenError {
        match self {
            TokenError::AskedToWait { answer, .. } => TokenError::AskedToWait { answer: answer.clone(), wait: left },
            other => other.clone(),
        }
    }
}

/// The advice for a token server whose answer says it is failing or busy.
const FAILING_OR_BUSY: &str = "the token server is failing or busy, so try again later";

/// What to do about a token request that failed in transport: a TLS failure's or a
/// proxy's own advice (the proxy named by its `proxy` variable), else to check the
/// endpoint.
fn transport_advice(source: &reqwest::Error, proxy: Option<&str>) -> Cow<'static, str> {
    match crate::transport::classify(source) {
        crate::transport::Cause::Tls(failure) => Cow::Borrowed(failure.advice),
        crate::transport::Cause::Proxy(failure) => Cow::Owned(failure.advice(proxy)),
        crate::transport::Cause::Malformed(_) => Cow::Borrowed(
            "the answer is not HTTP the client can read: check that `token_url` is the token endpoint's (scheme, host and port)",
        ),
        _ => Cow::Borrowed("check `token_url`, the network and that the token server is up"),
    }
}

/// What to do about a token response of `status` with a body over the cap: an error
/// status says what went wrong (most often with an error page), a success one that
/// the URL is not the token endpoint.
fn too_large_advice(status: StatusCode) -> &'static str {
    match status.is_success() {
        true => "check that `token_url` is the client credentials token endpoint",
        false => not_json_advice(status),
    }
}

/// What to do about an answer that is no token response: check the client's
/// credentials after a 401 or 403; wait, when its status says the server is failing
/// or busy (a 503 error page); else the URL may not be the token endpoint.
fn not_json_advice(status: StatusCode) -> &'static str {
    match status {
        // RFC 6749 5.2: a 401 is how a token server refuses the client's credentials
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => "the token server refused the client: check the client id and client secret, and `credentials:` (`header` or `body`)",
        _ if is_retryable_status(status.as_u16()) => FAILING_OR_BUSY,
        _ => "check `token_url`",
    }
}

/// What to do about a token request refused with the RFC 6749 (5.2) code `error`
/// and `status`: wait, when either says the server is failing or busy.
fn rejected_advice(error: &str, status: StatusCode) -> &'static str {
    if matches!(error, "temporarily_unavailable" | "server_error") || is_retryable_status(status.as_u16()) {
        return FAILING_OR_BUSY;
    }
    // no token endpoint there: a wrong path, or a gateway's page
    if matches!(status.as_u16(), 404 | 405 | 410) {
        return "no token endpoint answers at `token_url`: check `token_url` (its path, and that it is the client credentials token endpoint)";
    }
    match error {
        "invalid_client" => "the token server did not accept the client: check the client id and client secret, and `credentials:` (`header` sends them as HTTP Basic, `body` in the form; some servers take only one)",
        "invalid_scope" => "check `scope`: the token server does not grant it to this client",
        // RFC 6749 5.2 says `invalid_client` (401) for a failed client authentication,
        // yet Keycloak answers a wrong client secret with `unauthorized_client` and 401
        "unauthorized_client" if status == StatusCode::UNAUTHORIZED => "the token server did not accept the client: check the client id and client secret (some servers, Keycloak among them, answer a wrong secret so), and that the client may use the client credentials grant",
        "unauthorized_client" => "this client may not use the client credentials grant: allow it on the token server",
        "unsupported_grant_type" => "the token server does not offer the client credentials grant at `token_url`; check `token_url`",
        _ => "check the client id, client secret and scope",
    }
}

fn describe(description: &Option<String>) -> String {
    description.as_ref().map(|d| format!(" ({d})")).unwrap_or_default()
}

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
        let form = is_form(&response);
        let wait = match is_retryable_status(status.as_u16()) {
            true => retry_after(response.headers(), SystemTime::now()),
            false => None,
        };
        // a body too large or cut off does not take back the wait the head asked for
        let body =
            read_capped(response, settings.max_body, &url).await.map_err(|answer| asked_to_wait(answer, wait))?;
        Ok::<_, TokenError>((status, content_type, form, body, wait))
    };
    let (status, content_type, form, body, wait) = tokio::time::timeout(settings.timeout.min(LONGEST_WAIT), exchange)
        .await
        .map_err(|_| TokenError::Timeout { url: url.clone(), after: settings.timeout, proxy })??;
    if status.is_redirection() {
        return Err(TokenError::Redirect { url, status });
    }
    let token =
        parse(status, (content_type, form), &body, &url, known).map_err(|answer| asked_to_wait(answer, wait))?;
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
    /// redirects are never followed (RFC 6749 does not allow them), TLS 1.2 at least,
    /// `localhost` [on this machine](crate::call_client::localhost_here).
    pub(crate) fn builder(&self) -> reqwest::ClientBuilder {
        crate::call_client::localhost_here(crate::proxy::with_proxies(Client::builder(), &self.proxies))
            .connect_timeout(self.connect_timeout)
            .user_agent(self.user_agent.clone())
            .use_rustls_tls()
            .min_tls_version(reqwest::tls::Version::TLS_1_2)
            .redirect(reqwest::redirect::Policy::none())
    }
}

/// The transport error of a token request (connecting, TLS, HTTP), without its URL:
/// its text and [`source`](std::error::Error::source) chain say what failed. Clones
/// share it. A call whose token request failed so has it as its error's `source()`:
///
/// ```no_run
/// # extern crate conv_api_runtime as conv_api;
/// # async fn example(conv: conv_api::Conv<conv_api::DynamicApi>) {
/// use conv_api::auth::TransportError;
/// let error = conv.api.call("bookings", "get_booking").arg("booking_id", 7).await.unwrap_err();
/// let token_server_down = std::error::Error::source(&error)
///     .and_then(|source| source.downcast_ref::<TransportError>())
///     .is_some_and(TransportError::is_connect);
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct TransportError(Arc<reqwest::Error>);

impl TransportError {
    fn new(error: reqwest::Error) -> TransportError {
        TransportError(Arc::new(error.without_url()))
    }

    /// Whether the token server could not be reached: the connection was refused or
    /// timed out, or its name did not resolve.
    pub fn is_connect(&self) -> bool {
        self.0.is_connect()
    }
}

impl std::fmt::Display for TransportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

fn transport(url: &str, error: reqwest::Error, Route { proxy, connect_timeout }: Route) -> TokenError {
    let url = url.to_string();
    match error.is_connect() && error.is_timeout() {
        true => TokenError::ConnectTimeout { url, after: connect_timeout, source: TransportError::new(error), proxy },
        false => TokenError::Transport { url, source: TransportError::new(error), proxy },
    }
}

fn content_type(response: &Response, known: &Redactor) -> String {
    response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map_or_else(|| "no content type".to_string(), |value| format!("`{}`", shown(value, 80, known)))
}

/// What to check when a token request timed out: the proxy first, when it went through one.
fn timeout_advice(proxy: Option<&str>) -> Cow<'static, str> {
    if let Some(variable) = proxy {
        Cow::Owned(format!("it went through {}: check that the proxy is up and lets the token host through (or list the host in `NO_PROXY`), then `token_url` and that the token server is up", environment_proxy(variable)))
    } else {
        Cow::Borrowed("check `token_url` and that the token server is up")
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

/// A successful token response, before it gets its times.
struct Parsed {
    access_token: SecretString,
    expires_in: Option<Duration>,
    /// A `token_type` other than Bearer, as shown in a warning (masked, cut).
    unusual_type: Option<String>,
}

/// The token response, its `access_token` told to `known`: texts from the endpoint
/// that an error keeps have every known secret masked (an endpoint may echo the
/// client secret or the token in its `error_description`). `content_type` is as
/// messages show it, with whether it says the body is form-encoded.
fn parse(
    status: StatusCode,
    (content_type, form): (String, bool),
    body: &[u8],
    url: &str,
    known: &Redactor,
) -> Result<Parsed, TokenError> {
    // RFC 8259 lets a reader skip a byte order mark, which some servers put first
    let body = body.strip_prefix("\u{feff}".as_bytes()).unwrap_or(body);
    let fields = json_fields(body).or_else(|| form.then(|| form_fields(body))).or_else(|| token_form_fields(body));
    let Some(fields) = fields else {
        return Err(TokenError::NotJson { url: url.to_string(), status, content_type });
    };
    // a blank one is none: sent as `Bearer `, the API's 401 would be blamed on it;
    // blanks around one no header value can carry (`Bearer  abc` would be read as
    // the token ` abc`, or as no token)
    let access_token = fields
        .get("access_token")
        .and_then(Value::as_str)
        .map(|token| token.trim_matches([' ', '\t']))
        .filter(|token| !token.trim().is_empty());
    // known before any error is made: one sent next to an error, never used, may be
    // quoted in its description
    if let Some(token) = access_token {
        known.add_token(&SecretString::from(token));
    }
    // `"error": null` (or `""`, `false`) in a 200 is no error: RFC 6749 5.2 error codes are words
    let no_error = |error: &Value| matches!(error, Value::Null | Value::Bool(false)) || error.as_str() == Some("");
    if fields.get("error").is_some_and(|error| !no_error(error)) || !status.is_success() {
        return Err(rejected(&fields, status, url, known));
    }
    let Some(access_token) = access_token else {
        let url = url.to_string();
        return Err(match fields.get("access_token") {
            Some(Value::String(_)) => TokenError::EmptyAccessToken { url, status },
            Some(token) if !token.is_null() => TokenError::AccessTokenNotText { url, status },
            _ => TokenError::MissingAccessToken { url, status },
        });
    };
    // caught here, not when the header is made, so that such a token is never cached
    if header_value(access_token).is_err() {
        return Err(TokenError::InvalidAccessToken { url: url.to_string(), status });
    }
    Ok(Parsed {
        access_token: SecretString::from(access_token),
        expires_in: expires_in(fields.get("expires_in")),
        unusual_type: unusual_type(&fields, known),
    })
}

/// Whether `response` says its body is form-encoded, as older endpoints answer
/// (GitHub's, unless asked for JSON).
fn is_form(response: &Response) -> bool {
    let content_type = response.headers().get(CONTENT_TYPE).and_then(|value| value.to_str().ok()).unwrap_or_default();
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/x-www-form-urlencoded")
}

/// The fields of a form-encoded answer (`access_token=..&token_type=bearer`), as text.
fn form_fields(body: &[u8]) -> Map<String, Value> {
    let pairs = url::form_urlencoded::parse(body);
    pairs.map(|(name, value)| (name.into_owned(), Value::String(value.into_owned()))).collect()
}

/// The fields of a body that reads as a token answer form-encoded, though not declared
/// so (`text/plain`, as some older endpoints send it): one line of `name=value` pairs
/// that gives an `access_token` or an `error`.
fn token_form_fields(body: &[u8]) -> Option<Map<String, Value>> {
    let text = std::str::from_utf8(body).ok()?.trim();
    if !text.contains('=') || text.contains(['\n', '<', '{']) {
        return None;
    }
    let fields = form_fields(text.as_bytes());
    let given = |key: &str| fields.get(key).and_then(Value::as_str).is_some_and(|value| !value.trim().is_empty());
    (given("access_token") || given("error")).then_some(fields)
}

/// The fields of a JSON object. A number past `f64`'s range (`"expires_in": 1e400`),
/// which `serde_json` refuses, is kept as its text, so that the rest still reads
/// (RELIABILITY 8: a huge `expires_in` is capped, not an unreadable response).
fn json_fields(body: &[u8]) -> Option<Map<String, Value>> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(fields)) => Some(fields),
        Ok(_) => None,
        Err(_) => {
            let raw = serde_json::from_slice::<BTreeMap<String, Box<RawValue>>>(body).ok()?;
            let read =
                |raw: &RawValue| serde_json::from_str(raw.get()).unwrap_or_else(|_| Value::String(raw.get().into()));
            Some(raw.into_iter().map(|(name, value)| (name, read(&value))).collect())
        }
    }
}

/// RFC 6749 5.2: `error` and `error_description`; a JSON error without them says so.
/// A gateway's error of another shape is shown as it is, cut (`"error": {"code": ..}`),
/// with its `message` for a description.
fn rejected(fields: &Map<String, Value>, status: StatusCode, url: &str, known: &Redactor) -> TokenError {
    let text = |key: &str| fields.get(key).and_then(Value::as_str).map(|s| shown(s, MAX_DESCRIPTION, known));
    let error = match fields.get("error") {
        Some(Value::String(error)) if !error.trim().is_empty() => shown(error, MAX_DESCRIPTION, known),
        // blank, as absent: `` ` ` `` would say nothing
        None | Some(Value::Null | Value::String(_)) => "(none given)".to_string(),
        Some(other) => shown(&other.to_string(), MAX_DESCRIPTION, known),
    };
    TokenError::Rejected {
        url: url.to_string(),
        status,
        error,
        description: text("error_description").or_else(|| text("message")),
    }
}

/// A `token_type` other than Bearer, as a warning shows it; an absent one means Bearer.
fn unusual_type(fields: &Map<String, Value>, known: &Redactor) -> Option<String> {
    let token_type = fields.get("token_type").and_then(Value::as_str).unwrap_or("Bearer");
    (!token_type.eq_ignore_ascii_case("bearer")).then(|| shown(token_type, 40, known))
}

/// `expires_in` as a number or a numeric string, in seconds; `None` when absent or unreadable
/// (then the default lifetime applies). Negative values count as 0 (the token serves the
/// request that fetched it and is not reused); values over [`MAX_LIFETIME`] (`1e400`,
/// which reads as infinite, too) are capped.
fn expires_in(value: Option<&Value>) -> Option<Duration> {
    let seconds = match value? {
        Value::Number(number) => number.as_f64()?,
        Value::String(text) => text.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    if seconds.is_nan() {
        return None;
    }
    Some(Duration::from_secs_f64(seconds.clamp(0.0, MAX_LIFETIME.as_secs_f64())))
}

impl Parsed {
    /// The token as cached, requested at `sent`: expiring `expires_in` (or
    /// `default_lifetime`) after that, refreshed [`REFRESH_SKEW`] ahead, or half-way
    /// for short lifetimes.
    fn into_token(self, sent: Instant, default_lifetime: Duration) -> Token {
        Token::new(self.access_token, sent, self.expires_in.unwrap_or(default_lifetime))
    }
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

/// `text` from the token endpoint, to show in an error: every known secret masked,
/// as sent (a secret may hold a control character) and once more without control
/// characters (which could split one); cut to `max` characters (after the masking,
/// so that a cut cannot leave part of a secret); then line and direction marks
/// escaped (after the cut, so that it splits no escape), so that it reads as it is.
fn shown(text: &str, max: usize, known: &Redactor) -> String {
    let without_controls: String = known.text(text).chars().filter(|c| !c.is_control()).collect();
    let cut: String = known.text(&without_controls).chars().take(max).collect();
    one_line(&cut).into_owned()
}

#[cfg(test)]
mod tests;
