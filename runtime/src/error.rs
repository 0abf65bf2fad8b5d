//! The one error type of the runtime: what went wrong, where, and what to do.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use conv_api_definitions::Method;

use crate::display_text::shown_name;
use crate::http::call_client::MAX_REDIRECTS;
use crate::http::proxy::{environment_proxy, ProxyRoutes};
use crate::http::transport::Cause;
use crate::redact::Redactor;
use crate::retry::shown_duration;

/// The result of every fallible runtime call.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Any error a source can carry.
pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// A source error, shared by the clones of the error that carries it.
type SharedError = Arc<dyn std::error::Error + Send + Sync + 'static>;

/// What kind of problem an [`Error`] is; match on it to decide what to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The API has no base URL in the chosen environment.
    NotConfigured,
    /// A secret the auth or the `tls:` settings need is not in the secret store.
    MissingSecret,
    /// An argument of the call (path variable, header, query, body) is not valid; nothing was sent.
    InvalidArgument,
    /// Authentication failed or is not possible.
    Auth,
    /// The connection or the whole attempt took longer than its timeout (a wait for
    /// its OAuth 2.0 token included: nothing was sent to the API then).
    Timeout,
    /// The server could not be reached.
    Connect,
    /// The server answered with a status other than 2xx (from `raise_for_status`).
    Status,
    /// The response body is not what was expected (such as invalid JSON).
    Decode,
    /// The response body is larger than the configured cap.
    BodyTooLarge,
    /// The connection failed while sending or receiving, or the answer is not HTTP
    /// the client reads (too many headers, an invalid status line).
    Transport,
    /// The runtime's configuration is not valid: builder settings, `CONV_ENV`, an
    /// environment's `tls:` material, or a mock rule (a status outside 100-599, a
    /// rule for zero calls), said by every call of the rule's API; a proxy variable
    /// that is no usable proxy URL, said by each call it would serve (one whose token
    /// request it would serve is [`Auth`](ErrorKind::Auth)); or a call awaited outside
    /// a tokio runtime.
    Config,
    /// A definitions or ADK mocks file loaded at run time cannot be read or has errors (or the
    /// definitions `conv_api!` embedded do not read back: the macro and runtime
    /// crates differ).
    Definitions,
    /// The server asked to wait longer than the runtime waits before trying again
    /// (`Retry-After` beyond the cap), from [`Response::raise_for_status`](crate::Response::raise_for_status)
    /// on the answer of a call the runtime would have retried; [`Error::retry_after`]
    /// says how long.
    RateLimited,
    /// The TLS handshake failed: an untrusted or invalid certificate, or a
    /// certificate the server required and did not get. Permanent: a retry fails the same way.
    Tls,
    /// Strict mocks are installed and no rule answers the call; nothing was sent.
    Unmocked,
    /// The caller stopped waiting for an attempt (its future was dropped, as by
    /// `tokio::time::timeout` or `select!`): while it was sent, and the request may
    /// have reached the server (the entry has the status if the answer's head had
    /// arrived), or while it waited for its OAuth 2.0 token or before a retry, and it
    /// was not sent. Only log entries have this kind: no call returns it.
    Cancelled,
    /// An error of the caller's own code, made with [`Error::other`]; the runtime
    /// never returns it.
    Other,
}

impl ErrorKind {
    /// A short lowercase name, such as `not configured`, used in logs.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorKind::NotConfigured => "not configured",
            ErrorKind::MissingSecret => "missing secret",
            ErrorKind::InvalidArgument => "invalid argument",
            ErrorKind::Auth => "auth",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Connect => "connect",
            ErrorKind::Status => "status",
            ErrorKind::Decode => "decode",
            ErrorKind::BodyTooLarge => "body too large",
            ErrorKind::Transport => "transport",
            ErrorKind::Config => "config",
            ErrorKind::Definitions => "definitions",
            ErrorKind::RateLimited => "rate limited",
            ErrorKind::Tls => "tls",
            ErrorKind::Unmocked => "unmocked",
            ErrorKind::Cancelled => "cancelled",
            ErrorKind::Other => "other",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// As the log's JSON writes it (`error_kind`): `"missing secret"`, `"timeout"`...
impl serde::Serialize for ErrorKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Where an error happened: the call it belongs to, if any.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Context {
    /// Borrowed from embedded definitions, so the response, the log and errors
    /// take the names without copying.
    pub(crate) api: Option<Cow<'static, str>>,
    pub(crate) operation: Option<Cow<'static, str>>,
    pub(crate) method: Option<Method>,
    /// Already redacted.
    pub(crate) url: Option<Arc<str>>,
    pub(crate) status: Option<u16>,
}

/// The longest URL an error's message shows whole; [`Error::url`] gives any whole.
const SHOWN_URL_BYTES: usize = 512;

impl fmt::Display for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // a dynamic call's names come from its caller
        match (&self.api, &self.operation) {
            (Some(api), Some(operation)) => write!(f, "`{}.{}`", shown_name(api), shown_name(operation))?,
            (Some(api), None) => write!(f, "`{}`", shown_name(api))?,
            _ => return Ok(()),
        }
        match (self.method, &self.url) {
            (Some(method), Some(url)) if url.len() > SHOWN_URL_BYTES => {
                // a URL made of long values would bury the message: its start is enough
                let end = (0..=SHOWN_URL_BYTES).rev().find(|&at| url.is_char_boundary(at)).unwrap_or(0);
                write!(f, " ({method} {}... ({} bytes))", &url[..end], url.len())?;
            }
            (Some(method), Some(url)) => write!(f, " ({method} {url})")?,
            (Some(method), None) => write!(f, " ({method})")?,
            _ => {}
        }
        f.write_str(": ")
    }
}

/// An error of the runtime, with its [`kind`](Error::kind), the call it belongs to
/// (API, operation, method, redacted URL) and a message that says what to do. Its
/// clones share its source.
///
/// ```
/// # extern crate conv_api_runtime as conv_api;
/// use conv_api::{ErrorKind, Runtime};
/// let error = Runtime::builder().base_url("zendesk", "not a url").build().unwrap_err();
/// assert_eq!(error.kind(), ErrorKind::Config);
/// assert!(error.to_string().contains("`zendesk`"));
/// ```
#[derive(Clone)]
pub struct Error {
    kind: ErrorKind,
    pub(crate) context: Box<Context>,
    message: String,
    source: Option<SharedError>,
    /// Whether the message is the source's own text ([`Error::get_ref`]): the chain
    /// then goes on with what the source wraps, so that no text is said twice.
    wrapped: bool,
    /// Whether a transport or auth failure is transient (a reset, an incomplete
    /// message, a token request that could not connect or got a 5xx).
    transient: bool,
    /// Whether the transport failed before the request was written: nothing was sent.
    pub(crate) unsent: bool,
    /// Whether a connect failure would happen again (a proxy that wants credentials).
    lasting: bool,
    /// Whether the failure may pass but was waited out already, so that the runtime
    /// does not repeat it: an OAuth 2.0 token request past its own timeout.
    pub(crate) waited_out: bool,
    /// How long the server asked to wait, for [`ErrorKind::RateLimited`] and a
    /// `Status` error whose answer said.
    retry_after: Option<Duration>,
}

/// An environment name that does not parse, as in `"prod".parse::<Environment>()?`
/// in a function returning [`Result`]: a [`Config`](ErrorKind::Config) error.
///
/// ```
/// # extern crate conv_api_runtime as conv_api;
/// use conv_api::{Environment, ErrorKind};
/// fn environment(name: &str) -> conv_api::Result<Environment> {
///     Ok(name.parse::<Environment>()?)
/// }
/// assert_eq!(environment("prod").unwrap_err().kind(), ErrorKind::Config);
/// ```
impl From<conv_api_definitions::UnknownEnvironment> for Error {
    fn from(error: conv_api_definitions::UnknownEnvironment) -> Error {
        Error::new(ErrorKind::Config, error.to_string())
    }
}

/// A dotenv file that could not be read or parsed, as in
/// `DotenvSecretStore::from_path(".env")?` in a function returning [`Result`]: a
/// [`Config`](ErrorKind::Config) error, its message the
/// [`summary`](crate::DotenvError::summary) of the [`DotenvError`](crate::DotenvError)
/// (which shows no value); for a file that could not be read, [`Error::get_ref`]
/// gives the `std::io::Error`.
///
/// ```
/// # extern crate conv_api_runtime as conv_api;
/// use conv_api::{DotenvSecretStore, ErrorKind};
/// fn store() -> conv_api::Result<DotenvSecretStore> {
///     Ok(DotenvSecretStore::from_path("/nonexistent/.env")?)
/// }
/// let error = store().unwrap_err();
/// assert_eq!(error.kind(), ErrorKind::Config);
/// assert!(error.to_string().starts_with("cannot read the secrets file `/nonexistent/.env`: "));
/// let io = error.get_ref().and_then(|inner| inner.downcast_ref::<std::io::Error>());
/// assert!(io.is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound), "a missing file may be optional");
/// ```
impl From<crate::DotenvError> for Error {
    fn from(error: crate::DotenvError) -> Error {
        let config_error = Error::new(ErrorKind::Config, error.summary());
        match error {
            crate::DotenvError::Read { error, .. } => config_error.wrapping(error),
            _ => config_error,
        }
    }
}

impl Error {
    /// An error of `kind` with `message` (lowercase, saying what to do).
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            context: Box::default(),
            message: message.into(),
            source: None,
            wrapped: false,
            transient: false,
            unsent: false,
            lasting: false,
            waited_out: false,
            retry_after: None,
        }
    }

    /// An error of your own code, of kind [`ErrorKind::Other`], so that an agent
    /// function returning [`Result`] can fail with it: `.map_err(Error::other)?`.
    /// `error` gives the message; [`get_ref`](Error::get_ref) gives `error` itself, to
    /// downcast back to its type, and the [`source`](std::error::Error::source) is
    /// its source, as `std::io::Error::other` does.
    ///
    /// ```
    /// # extern crate conv_api_runtime as conv_api;
    /// use conv_api::{Error, ErrorKind, FunctionResult};
    /// fn seats(text: &str) -> conv_api::Result<FunctionResult> {
    ///     let seats: u32 = text.parse().map_err(Error::other)?;
    ///     Ok(FunctionResult::content(format!("{seats} seats are free")))
    /// }
    /// let error = seats("many").unwrap_err();
    /// assert_eq!(error.kind(), ErrorKind::Other);
    /// assert_eq!(error.to_string(), "invalid digit found in string");
    /// // an error chain (anyhow's `{:#}`) says the text once
    /// assert!(std::error::Error::source(&error).is_none());
    /// assert!(error.get_ref().is_some_and(|inner| inner.is::<std::num::ParseIntError>()));
    /// assert_eq!(Error::other("the booking has no date").message(), "the booking has no date");
    /// ```
    pub fn other(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Error {
        let error = error.into();
        Error::new(ErrorKind::Other, error.to_string()).wrapping(error)
    }

    /// The error this one wraps, whose text its message holds: the one given to
    /// [`Error::other`], or the operating system's error of a definitions or mocks
    /// file that could not be read; downcast it to its type.
    ///
    /// ```
    /// # extern crate conv_api_runtime as conv_api;
    /// let error = conv_api::Error::other(std::fmt::Error);
    /// assert!(error.get_ref().is_some_and(|inner| inner.is::<std::fmt::Error>()));
    /// ```
    pub fn get_ref(&self) -> Option<&(dyn std::error::Error + Send + Sync + 'static)> {
        self.source.as_deref().filter(|_| self.wrapped)
    }

    /// `inner` as the error this one wraps ([`Error::get_ref`]).
    fn wrapping(mut self, inner: impl Into<BoxError>) -> Error {
        self.source = Some(Arc::from(inner.into()));
        self.wrapped = true;
        self
    }

    /// Adds the underlying cause.
    pub(crate) fn with_source(mut self, source: impl Into<BoxError>) -> Error {
        self.source = Some(Arc::from(source.into()));
        self
    }

    /// Sets where the error happened, keeping what is already known.
    pub(crate) fn with_context(mut self, context: &Context) -> Error {
        let own = &mut self.context;
        own.api = own.api.take().or_else(|| context.api.clone());
        own.operation = own.operation.take().or_else(|| context.operation.clone());
        own.method = own.method.or(context.method);
        own.url = own.url.take().or_else(|| context.url.clone());
        own.status = own.status.or(context.status);
        self
    }

    /// Whether the attempt failed before anything was sent, so that repeating it is
    /// safe for any method: auth, which runs before the request is written (a wait
    /// for a token that outlasted the attempt too), or a connection that closed
    /// before it was.
    pub(crate) fn nothing_sent(&self) -> bool {
        self.unsent || self.kind == ErrorKind::Auth
    }

    /// Marks the failure as one that may pass (see [`Error::is_retryable`]).
    pub(crate) fn with_transient(mut self, transient: bool) -> Error {
        self.transient = transient;
        self
    }

    /// Sets how long the server asked to wait before trying again.
    pub(crate) fn with_retry_after(mut self, wait: Duration) -> Error {
        self.retry_after = Some(wait);
        self
    }

    /// Adds `note` to the message, such as how many attempts were made.
    pub(crate) fn with_note(mut self, note: &str) -> Error {
        self.message.push_str(note);
        self
    }

    /// The error with every known secret masked in its message and in the names of
    /// its call, which a dynamic call takes from its caller (`conv.api.call(name, ..)`),
    /// as are a refused call's argument and header names in its message.
    pub(crate) fn cleaned(mut self, redactor: &Redactor) -> Error {
        let cleaner = redactor.cleaner();
        cleaner.clean(&mut self.message);
        for name in [&mut self.context.api, &mut self.context.operation].into_iter().flatten() {
            if let Cow::Owned(cleaned) = cleaner.cleaned(name) {
                *name = Cow::Owned(cleaned);
            }
        }
        self
    }

    /// Puts `prefix` before the message, such as where the failing settings belong.
    pub(crate) fn with_prefix(mut self, prefix: &str) -> Error {
        self.message.insert_str(0, prefix);
        self
    }

    /// Adds `suffix` to the message (more advice).
    pub(crate) fn with_suffix(mut self, suffix: &str) -> Error {
        self.message.push_str(suffix);
        self
    }

    /// Names the API the error is about, when no call of it does: [`Error::api`]
    /// gives it, and the message starts with it.
    pub(crate) fn with_api(mut self, api: &str) -> Error {
        self.context.api.get_or_insert_with(|| Cow::Owned(api.to_string()));
        self
    }

    /// Sets the status code of the response the error is about.
    pub(crate) fn with_status(mut self, status: u16) -> Error {
        self.context.status = Some(status);
        self
    }

    /// What kind of problem this is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The message without the call's context.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The API the call was for, when the error belongs to a call.
    pub fn api(&self) -> Option<&str> {
        self.context.api.as_deref()
    }

    /// The operation called, when the error belongs to a call.
    pub fn operation(&self) -> Option<&str> {
        self.context.operation.as_deref()
    }

    /// The HTTP method of the call.
    pub fn method(&self) -> Option<Method> {
        self.context.method
    }

    /// The request URL with user info removed and sensitive query values masked. For
    /// a call refused before its URL could be built (a path variable left out), the
    /// base URL and the resource as written: `https://x.example/tickets/{ticket_id}`.
    pub fn url(&self) -> Option<&str> {
        self.context.url.as_deref()
    }

    /// The response status, for [`ErrorKind::Status`] and errors about a response.
    pub fn status(&self) -> Option<u16> {
        self.context.status
    }

    /// Whether a timeout expired (connect or total).
    pub fn is_timeout(&self) -> bool {
        self.kind == ErrorKind::Timeout
    }

    /// Whether the server could not be reached.
    pub fn is_connect(&self) -> bool {
        self.kind == ErrorKind::Connect
    }

    /// Whether this is a status other than 2xx, from `raise_for_status`.
    pub fn is_status(&self) -> bool {
        self.kind == ErrorKind::Status
    }

    /// Whether the API has no base URL in the chosen environment.
    pub fn is_not_configured(&self) -> bool {
        self.kind == ErrorKind::NotConfigured
    }

    /// Whether an argument was rejected before anything was sent.
    pub fn is_invalid_argument(&self) -> bool {
        self.kind == ErrorKind::InvalidArgument
    }

    /// Whether the body could not be decoded.
    pub fn is_decode(&self) -> bool {
        self.kind == ErrorKind::Decode
    }

    /// Whether the body was larger than the cap.
    pub fn is_body_too_large(&self) -> bool {
        self.kind == ErrorKind::BodyTooLarge
    }

    /// Whether authentication failed.
    pub fn is_auth(&self) -> bool {
        self.kind == ErrorKind::Auth
    }

    /// Whether a secret was missing.
    pub fn is_missing_secret(&self) -> bool {
        self.kind == ErrorKind::MissingSecret
    }

    /// Whether the server asked to wait longer than the runtime waits.
    pub fn is_rate_limited(&self) -> bool {
        self.kind == ErrorKind::RateLimited
    }

    /// Whether the TLS handshake failed (certificate or protocol).
    pub fn is_tls(&self) -> bool {
        self.kind == ErrorKind::Tls
    }

    /// How long the server asked to wait before trying again (`Retry-After`), for
    /// [`ErrorKind::RateLimited`], a [`Status`](ErrorKind::Status) error of an
    /// answer that said it, an [`Auth`](ErrorKind::Auth) error whose OAuth 2.0
    /// token endpoint said it, and the error of an answer whose body did not arrive
    /// whole (over the cap, cut off, too slow) that asked for longer than the runtime
    /// waits, so that the call was not retried.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// Whether the failure is transient, so the same request may succeed later:
    /// connect errors (but for an HTTPS proxy that wants credentials), timeouts, a
    /// connection reset or closed mid-message (or before the request was written), a
    /// rate limit, statuses 408, 429, 500, 502, 503, 504 (from `raise_for_status`, or an
    /// answer of one whose body was over the cap, `BodyTooLarge`), and an
    /// OAuth 2.0 token request that could not connect, got one of those statuses or
    /// took no answer within its own timeout (that one the runtime does not repeat:
    /// it waited it out already). TLS and
    /// certificate errors, bad arguments, refused credentials and configuration
    /// problems are permanent. The runtime itself retries what is safe to repeat: an
    /// attempt of GET, PUT, DELETE or an operation declared `idempotent: true`, and an
    /// attempt of any method that sent nothing (its token request failed, its kept-alive
    /// connection was found closed); [`RetryPolicy`](crate::RetryPolicy) says how often
    /// and how long apart.
    pub fn is_retryable(&self) -> bool {
        match self.kind {
            ErrorKind::Connect => !self.lasting,
            ErrorKind::Timeout | ErrorKind::RateLimited => true,
            ErrorKind::Transport | ErrorKind::Auth => self.transient,
            // the status says the server may answer otherwise next time, its body aside
            ErrorKind::Status | ErrorKind::BodyTooLarge => self.status().is_some_and(crate::retry::is_retryable_status),
            _ => false,
        }
    }
}

/// `{:?}` writes what `main() -> Result<(), Box<dyn Error>>` and `unwrap()` print: the
/// message as `Display` writes it, its lines as they are (a definitions file's
/// diagnostics stay one `FILE:LINE:COL` line each), then the source's texts after
/// `Caused by:`. `{:#?}` writes the fields: kind, message, call, status, source.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !f.alternate() {
            write!(f, "{self}")?;
            if let Some(source) = std::error::Error::source(self) {
                write!(f, "\n\nCaused by:\n    {}", crate::http::transport::chain_text(source))?;
            }
            return Ok(());
        }
        let mut debug = f.debug_struct("Error");
        debug.field("kind", &self.kind).field("message", &self.message);
        let context = &self.context;
        let names = [("api", context.api.as_deref()), ("operation", context.operation.as_deref())];
        for (name, value) in names.into_iter().chain([("url", context.url.as_deref())]) {
            if let Some(value) = value {
                debug.field(name, &value);
            }
        }
        if let Some(method) = context.method {
            debug.field("method", &method);
        }
        if let Some(status) = context.status {
            debug.field("status", &status);
        }
        if let Some(wait) = self.retry_after {
            debug.field("retry_after", &wait);
        }
        if let Some(source) = std::error::Error::source(self) {
            debug.field("source", &format_args!("{}", crate::http::transport::chain_text(source)));
        }
        debug.finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.context, self.message)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        let source = self.source.as_deref()?;
        match self.wrapped {
            // its text is the message already
            true => source.source(),
            false => Some(source),
        }
    }
}

/// Turns a reqwest error into an [`Error`], its URL removed (RELIABILITY 19);
/// `connect_timeout` and `timeout` are the limits the attempt had, for the message
/// (which names the proxy a connection went through: `routes` say which);
/// `answered`, the status of the answer whose body was being read, if any.
/// TLS failures (reported by reqwest as connect errors) become [`ErrorKind::Tls`];
/// a reset or a message cut short is a transient [`ErrorKind::Transport`] (RELIABILITY 24),
/// and one before the request was written says that nothing was sent.
pub(crate) fn from_reqwest(
    error: reqwest::Error,
    (connect_timeout, routes): (Duration, &ProxyRoutes),
    timeout: Duration,
    answered: Option<reqwest::StatusCode>,
) -> Error {
    let error_proxy_variable = error.url().and_then(|url| routes.proxy_for(url));
    let proxy = error_proxy_variable.map(environment_proxy);
    // a connection to an `https` URL is made once its TLS handshake is done
    let handshake = match error.url().is_some_and(|url| url.scheme() == "https") {
        true => " (its TLS handshake included)",
        false => "",
    };
    let error = error.without_url();
    let cause = crate::http::transport::classify(&error);
    let connect_timeout = shown_duration(connect_timeout);
    let during = match answered {
        Some(status) => format!("while the body of the server's {status} answer was read"),
        None => "while sending the request or reading the response".to_string(),
    };
    let (kind, message) = match (error.is_timeout(), error.is_connect(), &cause) {
        (_, _, Cause::Tls(failure)) => {
            (ErrorKind::Tls, format!("the TLS handshake failed ({}); {}", failure.reason, failure.advice))
        }
        (true, true, _) if proxy.is_some() => (
            ErrorKind::Timeout,
            format!(
                "no connection through {} within the connect timeout of {connect_timeout}; check that the proxy is up and lets the host through, or list the host in `NO_PROXY`, or raise the timeout with `Runtime::builder().connect_timeout(..)`",
                proxy.unwrap_or_default()
            ),
        ),
        (true, true, _) => (
            ErrorKind::Timeout,
            format!(
                "no connection within the connect timeout of {connect_timeout}{handshake}; check that the server is up, or raise it with `Runtime::builder().connect_timeout(..)`"
            ),
        ),
        (true, false, _) => (ErrorKind::Timeout, timeout_message(timeout)),
        (false, true, Cause::Proxy(failure)) => (
            ErrorKind::Connect,
            format!(
                "cannot connect through the proxy ({}); {}",
                crate::http::transport::innermost(&error),
                failure.advice(error_proxy_variable)
            ),
        ),
        (false, true, _) if proxy.is_some() => (
            ErrorKind::Connect,
            format!(
                "cannot connect through {} ({}); check that the proxy is up and its address right, or list the host in `NO_PROXY`",
                proxy.unwrap_or_default(),
                crate::http::transport::innermost(&error)
            ),
        ),
        (false, true, _) => (
            ErrorKind::Connect,
            format!(
                "cannot connect to the server ({}); check the base URL, the network and that the server is up",
                crate::http::transport::innermost(&error)
            ),
        ),
        (false, false, _) if error.is_redirect() => (
            ErrorKind::Transport,
            format!("the server redirected more than {MAX_REDIRECTS} times within its origin (a redirect loop?); check the base URL and the resource"),
        ),
        (false, false, Cause::Malformed(what)) => (
            ErrorKind::Transport,
            match answered {
                Some(status) => format!("the body of the server's {status} answer is not HTTP the client can read ({what}); ask the API's owners to fix the answer"),
                None => format!("the server's answer is not HTTP the client can read ({what}); check that the base URL is the API's (scheme, host and port), or ask its owners to fix the answer"),
            },
        ),
        // no "try again": the request may have been acted on, and whether a call may be
        // sent again is the retry policy's to say (a POST's error says why it was not)
        (false, false, Cause::Transient(what)) => (
            ErrorKind::Transport,
            match answered {
                Some(_) => format!("the connection {what} {during}"),
                None => format!("the connection {what} {during}; the request may have reached the server"),
            },
        ),
        (false, false, Cause::Unsent) => (
            ErrorKind::Transport,
            "the connection closed before the request could be written, so nothing was sent; try again".to_string(),
        ),
        (false, false, _) => (
            ErrorKind::Transport,
            format!("the connection failed {during} ({})", crate::http::transport::innermost(&error)),
        ),
    };
    let transient = matches!(cause, Cause::Transient(_) | Cause::Unsent);
    let (unsent, lasting) = (cause == Cause::Unsent, cause.lasts());
    Error { transient, unsent, lasting, ..Error::new(kind, message).with_source(error) }
}

/// Several problems as one message: `N problems <what>: (1) .. (2) ..`, numbered, as
/// each may hold its own `;`.
pub(crate) fn numbered<T: fmt::Display>(what: &str, problems: &[T]) -> String {
    format!("{} problems {what}: {}", problems.len(), numbered_list(problems))
}

/// `items` numbered in one line: `(1) first (2) second`.
pub(crate) fn numbered_list<T: fmt::Display>(items: &[T]) -> String {
    let listed: Vec<String> = items.iter().enumerate().map(|(index, item)| format!("({}) {item}", index + 1)).collect();
    listed.join(" ")
}

/// The one error of `problems`: none for none, the problem itself when there is one
/// (with its source), else one error saying them all, [`numbered`], as
/// `N problems <what>: ..`: of their kind when they share one, else
/// [`ErrorKind::Config`], so that code matching one kind (`MissingSecret`: "set the
/// secret") is not told of only part of what is wrong.
pub(crate) fn all_of(mut problems: Vec<Error>, what: &str) -> Option<Error> {
    let first = problems.first()?.kind();
    if problems.len() == 1 {
        return problems.pop();
    }
    let kind = if problems.iter().all(|problem| problem.kind() == first) { first } else { ErrorKind::Config };
    Some(Error::new(kind, numbered(what, &problems)))
}

/// A definitions or mocks file that cannot be read or has errors: [`ErrorKind::Definitions`],
/// whose message names the file and says what is wrong (one `FILE:LINE:COL` line
/// per problem). A file that cannot be read wraps the operating system's error
/// ([`Error::get_ref`]), so that code can tell a file not deployed yet from one it may
/// not read:
///
/// ```
/// # extern crate conv_api_runtime as conv_api;
/// let error = conv_api::DynamicApis::load("no/such/apis.yaml").unwrap_err();
/// let io = error.get_ref().and_then(|inner| inner.downcast_ref::<std::io::Error>());
/// assert_eq!(io.map(|io| io.kind()), Some(std::io::ErrorKind::NotFound));
/// assert!(std::error::Error::source(&error).is_none(), "the OS's text is in the message once");
/// ```
impl From<conv_api_definitions::LoadError> for Error {
    fn from(error: conv_api_definitions::LoadError) -> Error {
        let definitions_error = Error::new(ErrorKind::Definitions, error.to_string());
        match error {
            conv_api_definitions::LoadError::Io { error, .. } => definitions_error.wrapping(error),
            // the diagnostics are the message
            _ => definitions_error,
        }
    }
}

/// The error of an attempt without a complete answer within `timeout`.
pub(crate) fn timed_out(timeout: Duration) -> Error {
    Error::new(ErrorKind::Timeout, timeout_message(timeout))
}

/// The error of an attempt whose `timeout` ended before a status arrived: when it is
/// no longer than the `connect_timeout` (equal, the two timers race: the attempt's
/// starts first), the connection itself may be what never came, or the server was slow:
/// which, the runtime cannot tell.
pub(crate) fn timed_out_unanswered(timeout: Duration, connect_timeout: Duration) -> Error {
    if timeout > connect_timeout {
        return timed_out(timeout);
    }
    let than = if timeout == connect_timeout { "as long as" } else { "shorter than" };
    let (timeout, connect_timeout) = (shown_duration(timeout), shown_duration(connect_timeout));
    Error::new(
        ErrorKind::Timeout,
        format!(
            "no answer within {timeout}: the server took longer, or the connection was not even made ({timeout} is {than} the connect timeout of {connect_timeout}); if the server is up and reachable, {RAISE_THE_TIMEOUT}"
        ),
    )
}

/// The error of an attempt whose `timeout` ran out `spent` after it started, before
/// anything was sent, which the server is not to be blamed for: while its credentials
/// were made ready, mostly by the secret store `store` (as it describes itself)
/// blocking (`oauth`: the attempt may have waited for an OAuth 2.0 token too); or,
/// with no store read (`None`: no auth and no `tls:` secrets), by a timeout too short
/// or a busy tokio runtime. Repeating it is safe for any method.
pub(crate) fn timed_out_before_sending(timeout: Duration, spent: Duration, store: Option<&str>, oauth: bool) -> Error {
    let (timeout, spent) = (shown_duration(timeout), shown_duration(spent));
    let message = match store {
        Some(store) => {
            let token = if oauth { ", or an OAuth 2.0 token waited for" } else { "" };
            format!(
                "the attempt's timeout of {timeout} was over after {spent}, before anything was sent, while its credentials were made ready (read from the secret store: {store}{token}); a `SecretStore` should answer from memory (fetch and refresh values in a task of its own), or {RAISE_THE_TIMEOUT}"
            )
        }
        None => format!(
            "the attempt's timeout of {timeout} was over after {spent}, before anything was sent: it is too short for the request to be made ready, or the tokio runtime was too busy to run the call in time; {RAISE_THE_TIMEOUT}"
        ),
    };
    let mut error = Error::new(ErrorKind::Timeout, message).with_transient(true);
    error.unsent = true;
    error
}

fn timeout_message(timeout: Duration) -> String {
    format!("no complete answer within {}; {RAISE_THE_TIMEOUT}", shown_duration(timeout))
}

/// Where an attempt's timeout is set, as the advice of a timeout error.
const RAISE_THE_TIMEOUT: &str = "raise the timeout with `.timeout(..)` on the call, the API's or operation's `timeout:` key, or `Runtime::builder().timeout(..)`";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_puts_the_call_before_the_message() {
        let context = Context {
            api: Some("zendesk".into()),
            operation: Some("get_ticket".into()),
            method: Some(Method::Get),
            url: Some("https://x.example/tickets/1".into()),
            status: None,
        };
        let error = Error::new(ErrorKind::Decode, "the body is not JSON").with_context(&context);
        assert_eq!(error.to_string(), "`zendesk.get_ticket` (GET https://x.example/tickets/1): the body is not JSON");
        assert_eq!(error.api(), Some("zendesk"));
        assert_eq!(error.method(), Some(crate::Method::Get));
        assert!(error.method().is_some_and(|method| method == "GET" && method != "get"));
        assert!(error.is_decode());
    }

    #[test]
    fn all_of_keeps_a_shared_kind_and_says_config_for_mixed_ones() {
        assert!(all_of(Vec::new(), "x").is_none());
        let missing = |name: &str| Error::new(ErrorKind::MissingSecret, format!("`{name}` is not set"));
        let one = all_of(vec![missing("A")], "with tls").expect("one problem");
        assert_eq!((one.kind(), one.to_string()), (ErrorKind::MissingSecret, "`A` is not set".to_string()));
        let shared = all_of(vec![missing("A"), missing("B")], "with tls").expect("two problems");
        assert_eq!(shared.kind(), ErrorKind::MissingSecret);
        assert_eq!(shared.to_string(), "2 problems with tls: (1) `A` is not set (2) `B` is not set");
        let mixed = all_of(vec![missing("A"), Error::new(ErrorKind::Config, "`B` is no PEM")], "with tls");
        let mixed = mixed.expect("two problems");
        assert_eq!(mixed.kind(), ErrorKind::Config);
        assert_eq!(mixed.to_string(), "2 problems with tls: (1) `A` is not set (2) `B` is no PEM");
    }

    #[test]
    fn retryable_kinds_and_statuses() {
        let retryable = |kind| Error::new(kind, "x").is_retryable();
        assert!(retryable(ErrorKind::Connect) && retryable(ErrorKind::Timeout) && retryable(ErrorKind::RateLimited));
        for kind in [ErrorKind::Tls, ErrorKind::Auth, ErrorKind::InvalidArgument, ErrorKind::Transport] {
            assert!(!retryable(kind), "{kind}");
        }
        assert!(Error::new(ErrorKind::Status, "x").with_status(503).is_retryable());
        assert!(!Error::new(ErrorKind::Status, "x").with_status(404).is_retryable());
        let limited = Error::new(ErrorKind::RateLimited, "wait").with_retry_after(Duration::from_secs(90));
        assert_eq!(limited.retry_after(), Some(Duration::from_secs(90)));
        assert!(format!("{limited:#?}").contains("retry_after: 90s"));
    }

    #[test]
    fn context_does_not_overwrite_known_fields() {
        let first = Context { api: Some("a".into()), ..Context::default() };
        let second = Context { api: Some("b".into()), operation: Some("op".into()), ..Context::default() };
        let error = Error::new(ErrorKind::Auth, "no").with_context(&first).with_context(&second);
        assert_eq!((error.api(), error.operation()), (Some("a"), Some("op")));
    }
}
