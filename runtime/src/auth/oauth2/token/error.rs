//! Why a token request failed ([`TokenError`], [`TransportError`]) and what to do
//! about each failure.

use std::borrow::Cow;
use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;

use crate::http::proxy::{closed_in_tunnel_advice, environment_proxy, tunnelled_credentials_advice};
use crate::retry::{is_retryable_status, shown_duration};

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
    #[error("the oauth2 token request to `{url}` failed: {}; {}", crate::http::transport::innermost(.source), transport_advice(&.source.0, *.proxy))]
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
    #[error("the oauth2 token endpoint `{url}` answered {status}, then its body could not be read: {}; {}, or ask its owners to fix the answer", crate::http::transport::innermost(.source), FAILING_OR_BUSY)]
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
    #[error("the oauth2 token endpoint `{url}` answered {status} with {content_type}, which is no token response (a JSON object with an `access_token`); {}", not_json_advice(*status, encoding.as_deref(), *proxy))]
    #[non_exhaustive]
    NotJson {
        /// The token URL (no user info, no query).
        url: String,
        /// The status.
        status: StatusCode,
        /// The `Content-Type`, or `no content type`.
        content_type: String,
        /// The body's `Content-Encoding` other than `identity` (`gzip`), which the
        /// client neither asks for nor decodes.
        encoding: Option<String>,
        /// The environment variable naming the proxy whose tunnel the request went
        /// through, if it went through one: a 407 then came from beyond that proxy.
        proxy: Option<&'static str>,
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
                !crate::http::transport::classify(&source.0).lasts()
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
/// proxy's own advice (the proxy named by its `proxy` variable), that the proxy opened
/// its tunnel when the connection failed past it, else to check the endpoint.
fn transport_advice(source: &reqwest::Error, proxy: Option<&str>) -> Cow<'static, str> {
    match crate::http::transport::classify(source) {
        // the handshake with an `https://` proxy itself, before any tunnel
        crate::http::transport::Cause::Tls(failure) => {
            match proxy.filter(|_| crate::http::transport::proxy_connection_failed(source)) {
                Some(variable) => Cow::Owned(format!(
                    "the handshake was with the proxy the environment variable `{variable}` names, not the token server: {}",
                    failure.proxy_advice(variable)
                )),
                None => Cow::Borrowed(failure.advice),
            }
        }
        crate::http::transport::Cause::Proxy(failure) => Cow::Owned(failure.advice(proxy)),
        // the message shows the failure already: only what may cause it is added
        crate::http::transport::Cause::Malformed(malformed) => {
            let cause = malformed.likely_cause.map(|cause| format!(" ({cause})")).unwrap_or_default();
            Cow::Owned(format!("the answer is not HTTP the client can read{cause}: check that `token_url` is the token endpoint's (scheme, host and port)"))
        }
        // a connection through the proxy's tunnel that failed past the proxy's own: the
        // proxy opened the tunnel (else its failure is a tunnel error); a token URL a
        // proxy serves is `https`, as a plain `http` one must be loopback, never proxied
        _ => match proxy.filter(|_| source.is_connect() && !crate::http::transport::proxy_connection_failed(source)) {
            Some(variable) => {
                Cow::Owned(closed_in_tunnel_advice(variable, "the token server", "", "`token_url`'s port"))
            }
            None => Cow::Borrowed("check `token_url`, the network and that the token server is up"),
        },
    }
}

/// What to do about a token response of `status` with a body over the cap: an error
/// status says what went wrong (most often with an error page), a success one that
/// the URL is not the token endpoint.
fn too_large_advice(status: StatusCode) -> &'static str {
    match status.is_success() {
        true => "check that `token_url` is the client credentials token endpoint",
        false => status_advice(status).unwrap_or(CHECK_TOKEN_URL),
    }
}

/// What to do about an answer that is no token response: have the server answer
/// uncompressed, when its body is compressed (`encoding`); check the client's
/// credentials after a 401 or 403; wait, when its status says the server is failing
/// or busy (a 503 error page); else the URL may not be the token endpoint.
fn not_json_advice(status: StatusCode, encoding: Option<&str>, proxy: Option<&str>) -> String {
    if status == StatusCode::PROXY_AUTHENTICATION_REQUIRED {
        return proxy_credentials_advice(proxy);
    }
    let advice = status_advice(status);
    match (encoding, advice) {
        (Some(encoding), None) => format!("its body is compressed (`Content-Encoding: {encoding}`), which the client neither asks for nor decodes: ask the token server's owners to answer uncompressed"),
        (Some(encoding), Some(advice)) => format!("its body is compressed (`Content-Encoding: {encoding}`), which the client neither asks for nor decodes; {advice}"),
        (None, advice) => advice.unwrap_or(CHECK_TOKEN_URL).to_string(),
    }
}

/// What to do about a 407 (Proxy Authentication Required) that is no token response:
/// the token URL is `https` (or a loopback host's, reached directly), so the request
/// went through the tunnel of the proxy `proxy` names, if any, and one beyond it (or
/// on a network without a proxy named) wants credentials.
fn proxy_credentials_advice(proxy: Option<&str>) -> String {
    match proxy {
        Some(variable) => tunnelled_credentials_advice(variable, "the token server"),
        None => "a proxy or gateway before the token server wants credentials, not the token server itself: ask the token server's owners for them; if your network lets requests out only through a proxy, set `HTTPS_PROXY` to its URL with them: `http://user:password@proxy.example:3128`".to_string(),
    }
}

/// The advice for an answer that is no token response and says nothing of use.
const CHECK_TOKEN_URL: &str = "check `token_url`";

/// What the status of an answer that is no token response says to do, when it says.
fn status_advice(status: StatusCode) -> Option<&'static str> {
    match status {
        // RFC 6749 5.2: a 401 is how a token server refuses the client's credentials
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => Some("the token server refused the client: check the client id and client secret, and `credentials:` (`header` or `body`)"),
        _ if is_retryable_status(status.as_u16()) => Some(FAILING_OR_BUSY),
        _ => None,
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
    /// `error` without its URL, which may hold a secret.
    pub(super) fn new(error: reqwest::Error) -> TransportError {
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

/// What to check when a token request timed out: the proxy first, when it went through one.
fn timeout_advice(proxy: Option<&str>) -> Cow<'static, str> {
    if let Some(variable) = proxy {
        Cow::Owned(format!("it went through {}: check that the proxy is up and lets the token host through (or list the host in `NO_PROXY`), then `token_url` and that the token server is up", environment_proxy(variable)))
    } else {
        Cow::Borrowed("check `token_url` and that the token server is up")
    }
}
