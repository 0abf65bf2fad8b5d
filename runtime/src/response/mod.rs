//! A response whose body was read once, completely, within the size cap.

mod json_body;
mod status_advice;

pub use json_body::JsonBody;

use std::fmt;
use std::sync::OnceLock;
use std::time::SystemTime;

use conv_api_definitions::one_line;
use reqwest::header::{HeaderMap, CONTENT_ENCODING, CONTENT_TYPE, LOCATION};
use reqwest::StatusCode;
use serde_path_to_error::{Path, Segment};
use url::Url;

use crate::display_text::{cut_name_to, shown_name};
use crate::error::{Context, Error, ErrorKind, Result};
use crate::redact::Redactor;
use crate::retry::{retry_after, RateLimit};
use status_advice::status_advice;
pub(crate) use status_advice::Advising;

/// How much of the body a status error shows.
const EXCERPT_CHARS: usize = 200;

/// How much of a map key a decode error's field shows.
const PATH_KEY_CHARS: usize = 40;

/// An HTTP response: any status, the headers and the whole body.
///
/// A non-2xx status is a response, not an error; turn it into one with
/// [`raise_for_status`](Response::raise_for_status). A clone copies the body, for
/// one lookup shared by several functions (`future.shared()`, a broadcast channel).
///
/// ```no_run
/// # extern crate conv_api_runtime as conv_api;
/// use conv_api::{Conv, DynamicApi, FunctionResult};
/// async fn lookup(conv: &Conv<DynamicApi>, id: u64) -> conv_api::Result<FunctionResult> {
///     let response = conv.api.call("helpdesk", "get_ticket").arg("ticket_id", id).await?;
///     if response.status_code() == 404 {
///         return Ok(FunctionResult::utterance("I couldn't find that ticket."));
///     }
///     let ticket: serde_json::Value = response.raise_for_status()?.json()?;
///     // `as_str`: a JSON value's `Display` would keep the quotes (`"open"`)
///     let status = ticket["status"].as_str().unwrap_or("unknown");
///     Ok(FunctionResult::content(format!("Ticket status: {status}")))
/// }
/// ```
#[derive(Clone)]
pub struct Response {
    status: StatusCode,
    /// The reason phrase the server sent (trimmed), when it is not the status's own nor
    /// blank (`499 Client Closed Request`); hyper keeps no other.
    reason: Option<Box<str>>,
    headers: HeaderMap,
    body: Vec<u8>,
    /// The body as text, made when `text()` first finds it is not UTF-8 (else
    /// `text()` borrows `body`): most callers read JSON or the status, not text.
    lossy: OnceLock<String>,
    context: Context,
    redactor: Redactor,
    /// The wait the server asked for past the runtime's cap, on a call it would have
    /// retried (boxed: rare, and every response carries the field).
    rate_limit: Option<Box<RateLimit>>,
    /// The attempts the call made, this answer's the last.
    attempts: u32,
    /// What the advice of its status error depends on: the environment, the API's
    /// auth, the proxy that got the request.
    advising: Advising,
    /// Where the answer came from, redacted, when the server redirected the request.
    redirected_to: Option<Box<str>>,
}

/// What an attempt brought back before it becomes a [`Response`].
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    /// The server's reason phrase, when not the status's own.
    pub(crate) reason: Option<Box<str>>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
    /// Where the answer came from when the server redirected the request (within
    /// its origin); boxed, as most answers come from where they were asked.
    pub(crate) redirected_to: Option<Box<Url>>,
}

impl Response {
    /// The response of a call whose last attempt, number `attempts`, brought `answer`;
    /// `rate_limit`: the call was not retried because the server asked to wait longer
    /// than the runtime waits; `advising`: what the advice of its status error depends
    /// on. Made once, in place: a response is large to move.
    pub(crate) fn new(
        answer: Answer,
        context: Context,
        redactor: Redactor,
        rate_limit: Option<RateLimit>,
        attempts: u32,
        advising: Advising,
    ) -> Self {
        let Answer { status, reason, headers, body, redirected_to } = answer;
        let rate_limit = rate_limit.map(Box::new);
        let lossy = OnceLock::new();
        let redirected_to = redirected_to.map(|url| redactor.url(&url).into_boxed_str());
        Response {
            status,
            reason,
            headers,
            body,
            lossy,
            context,
            redactor,
            rate_limit,
            attempts,
            advising,
            redirected_to,
        }
    }

    /// The status code, such as `200` or `404`.
    pub fn status_code(&self) -> u16 {
        self.status.as_u16()
    }

    /// The status as a [`StatusCode`].
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The reason phrase, as in `requests`: the server's own (`Client Closed Request`
    /// after `499`, `Ticket Gone` after `404`) when it is ASCII (the HTTP parser drops
    /// one with other bytes), else the status's standard one (`Not Found`), else empty.
    pub fn reason(&self) -> &str {
        self.reason.as_deref().or(self.status.canonical_reason()).unwrap_or_default()
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        self.status.is_success()
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The first value of header `name` (any case) as text, if present and valid
    /// UTF-8 (`für` too, which `HeaderValue::to_str` refuses as not ASCII).
    pub fn header(&self, name: &str) -> Option<&str> {
        std::str::from_utf8(self.headers.get(name)?.as_bytes()).ok()
    }

    /// The body as text; invalid UTF-8 sequences become `U+FFFD`.
    pub fn text(&self) -> &str {
        match std::str::from_utf8(&self.body) {
            Ok(text) => text,
            Err(_) => self.lossy.get_or_init(|| String::from_utf8_lossy(&self.body).into_owned()),
        }
    }

    /// The raw body.
    pub fn bytes(&self) -> &[u8] {
        &self.body
    }

    /// The API the call was for.
    pub fn api(&self) -> Option<&str> {
        self.context.api.as_deref()
    }

    /// The operation called.
    pub fn operation(&self) -> Option<&str> {
        self.context.operation.as_deref()
    }

    /// The request URL, redacted as in the log. A response a call gives always has one
    /// (`mock://<api>/..` where mocks answered an API without a base URL); it is an
    /// `Option` as [`Error::url`](crate::Error::url) is, which an error before any URL lacks.
    pub fn url(&self) -> Option<&str> {
        self.context.url.as_deref()
    }

    /// The URL the response came from, redacted as in the log, when the server
    /// redirected the request (within its origin: see the README's redirects): what
    /// Python `requests` has in `r.url`. `None` when the server answered the request
    /// itself (or redirected it back to the very URL sent). A `303`, or a `301` or
    /// `302` after a POST, was followed as a GET.
    pub fn redirected_to(&self) -> Option<&str> {
        self.redirected_to.as_deref()
    }

    /// The body decoded from JSON into `T` (`serde_json::Value` for any JSON); a
    /// UTF-8 byte order mark before it is skipped.
    ///
    /// # Errors
    ///
    /// The error, of kind [`Decode`](ErrorKind::Decode), on one line, says what came
    /// instead: an empty body; a redirect the client did not follow, and where it
    /// points; a compressed body (`Content-Encoding`), which is kept as sent;
    /// JSON in a charset other than UTF-8, as its `Content-Type` says (`Shift_JIS`,
    /// `UTF-16`), which it does not decode; text that is no JSON, with its content type and its
    /// start (an HTML page from a wrong base URL, a proxy or a login); an object or
    /// list the API broke (not UTF-8, cut short, a number past `f64`'s range); or JSON of
    /// another shape, the field of `T` it failed at (`tickets[1].id`), where in the
    /// text, and why. All of it is cleaned of known
    /// secrets (serde_json quotes the values it rejects, and an API may echo a
    /// credential), and it has no source, since the source would show them uncleaned.
    pub fn json<T: JsonBody>(&self) -> Result<T> {
        // a UTF-8 byte order mark, which some servers send, is no JSON: requests skips it too
        let body = self.body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&self.body);
        serde_json::from_slice(body).map_err(|error| {
            let field = field_decoding_fails_at::<T>(body);
            self.decode_error(body, &error, std::any::type_name::<T>(), field.as_ref())
        })
    }

    /// The error of `json()` for `body`, which serde_json could not decode into the
    /// type `target`, failing at `field` (`ticket.assignee_id`) where it is known: what
    /// came instead, as [`json`](Response::json) says. Not generic: one copy serves
    /// every type decoded into.
    fn decode_error(&self, body: &[u8], error: &serde_json::Error, target: &str, field: Option<&Path>) -> Error {
        let status = self.status.as_u16();
        let empty = body.iter().all(u8::is_ascii_whitespace);
        let not_json = error.is_syntax() || error.is_eof();
        // serde_json's reason, which may quote the body
        let why = || one_line(&self.redactor.text(&error.to_string())).into_owned();
        let message = if empty && self.status.is_success() {
            // a 201 or 204 without a body is a success: the mistake is asking for JSON
            format!("the response body (status {status}) is empty, where JSON was expected: the API answered success without a body; check `is_success()` or `status_code()` instead of decoding it")
        } else if let Some(advice) = self.unfollowed_redirect().filter(|_| not_json) {
            // where `raise_for_status()` was not asked first: the advice is where it points
            let what = if empty { "is empty" } else { "is not JSON" };
            format!("the response body (status {status}) {what}: {advice}")
        } else if empty {
            format!("the response body (status {status}) is empty, where JSON was expected; check the status first (`raise_for_status()?`), then the operation's method and resource")
        } else if let Some(encoding) = self.content_encoding().filter(|_| not_json) {
            format!("the response body (status {status}) is `{encoding}`-encoded (`Content-Encoding`), which the client does not decode, and kept as sent: decode `bytes()` yourself, or have the API send it unencoded (a request without `Accept-Encoding` asks for that)")
        } else if let Some(charset) =
            self.charset_not_utf8().filter(|charset| not_json && looks_like_json_in_another_charset(body, charset))
        {
            let advice = format!(
                "decode `bytes()` from `{charset}` yourself (the `encoding_rs` crate does), or ask the API for UTF-8"
            );
            format!(
                "the response body (status {status}) is in `{charset}`, as its `Content-Type` says, which `json()` does not decode: it reads UTF-8, as JSON is sent (RFC 8259); {}",
                self.check_first(&advice)
            )
        } else if not_json {
            let content_type = match self.headers.get(CONTENT_TYPE).map(|value| value.to_str()) {
                // a media type is short; a server's nonsense is cut
                Some(Ok(value)) => format!(", {}", self.server_text(value)),
                _ => String::new(),
            };
            // an object or a list that goes wrong inside came from the API, broken
            let (what, advice) = match body.iter().find(|byte| !byte.is_ascii_whitespace()) {
                Some(b'{' | b'[') if std::str::from_utf8(body).is_err() => ("JSON that is not UTF-8", "decode `bytes()` yourself (from Latin-1, if a byte such as `é` is one byte), or ask the API for UTF-8, as JSON is sent (RFC 8259)"),
                Some(b'{' | b'[') if error.is_eof() => ("JSON cut short", "the API sent part of it: try again, or ask the API's owners"),
                Some(b'{' | b'[') => ("broken JSON", "read `text()` yourself, or ask the API's owners to fix it"),
                _ => ("not JSON", "check the base URL and the resource"),
            };
            format!(
                "the response body (status {status}{content_type}) is {what} ({}): `{}`; {}",
                why(),
                self.excerpt(),
                self.check_first(advice)
            )
        } else if target == "()" {
            // `FunctionResult::content(response.json()?)` in edition 2021 decodes into `()`
            format!(
                "the response body (status {status}) is not `null`, which is all `()` decodes: {}; name the type to decode into, `response.json::<serde_json::Value>()` or a struct of yours (Rust picks `()` when nothing names it)",
                why()
            )
        } else if holds_json_text(body) {
            format!(
                "the response body (status {status}) is one JSON string holding JSON text, not that JSON: `{}`; a mock rule's `body:` written in quotes gives one (remove the quotes: JSON is YAML), as does an API that encodes its JSON twice (decode `response.json::<String>()?` again, with `serde_json::from_str`)",
                self.excerpt()
            )
        } else {
            // serde_json says where in the text, which the caller does not see: the field
            // says where in the type
            let at = field.map(|field| format!("at `{}`: ", self.shown_path(field))).unwrap_or_default();
            format!(
                "the response body (status {status}) is not the JSON expected: {at}{}; {}",
                why(),
                self.check_first("check the API's documentation for the response shape")
            )
        };
        Error::new(ErrorKind::Decode, message).with_status(status).with_context(&self.context)
    }

    /// `advice` for a body that is not the JSON expected; for a 4xx or 5xx answer, the
    /// status first: an error page or error object is what such an answer holds.
    fn check_first(&self, advice: &str) -> String {
        match self.status.is_client_error() || self.status.is_server_error() {
            true => "the API answered an error: check the status first (`raise_for_status()?`)".to_string(),
            false => advice.to_string(),
        }
    }

    /// The response, if its status is 2xx (as [`is_success`](Response::is_success)
    /// says): as PolyAI's APIs tab has it, an error on any other. A 3xx is a redirect
    /// the client did not follow (to another origin, which Python `requests` would have
    /// followed, so agent code there never met it) or a `304 Not Modified` to a
    /// conditional request: check `status_code()` first to take a 304.
    ///
    /// It takes the response and gives it back. Where Python calls
    /// `r.raise_for_status()` on a line of its own and reads `r` after it, rebind the
    /// name; rustc's hint for the moved value, `response.clone().raise_for_status()`,
    /// builds too, but copies the body:
    ///
    /// ```no_run
    /// # extern crate conv_api_runtime as conv_api;
    /// use conv_api::{Conv, DynamicApi, FunctionResult};
    /// async fn lookup(conv: &Conv<DynamicApi>, id: u64) -> conv_api::Result<FunctionResult> {
    ///     let response = conv.api.call("helpdesk", "get_ticket").arg("ticket_id", id).await?;
    ///     let response = response.raise_for_status()?;
    ///     let ticket: serde_json::Value = response.json()?;
    ///     conv.log.info(format!("ticket {id}: {}", response.text()));
    ///     Ok(FunctionResult::content(ticket))
    /// }
    /// ```
    ///
    /// # Errors
    ///
    /// A [`Status`](ErrorKind::Status) error with the status and the start of the body
    /// (cleaned of known secrets), and where an unfollowed redirect points, if the
    /// status is not 2xx; a
    /// [`RateLimited`](ErrorKind::RateLimited) one, saying when to try again, for an
    /// answer the runtime would have retried but for its `Retry-After`, which asked to
    /// wait longer than the runtime waits.
    pub fn raise_for_status(self) -> Result<Response> {
        if self.status.is_success() {
            return Ok(self);
        }
        let excerpt = self.excerpt();
        let reason = match self.reason.as_deref() {
            // the server's text: cleaned of known secrets, cut and on one line
            Some(reason) => self.server_text(reason),
            None => self.status.canonical_reason().unwrap_or("unknown status").to_string(),
        };
        let body = if excerpt.is_empty() { " with an empty body".to_string() } else { format!(": `{excerpt}`") };
        let attempts = match self.attempts {
            ..=1 => String::new(),
            attempts => format!(", to the last of {attempts} attempts"),
        };
        // an answer from where a redirect led is not the URL the error names
        let from = match &self.redirected_to {
            Some(url) => format!(" from {url} (redirected)"),
            None => String::new(),
        };
        let answered = format!("{} {reason}{from}{body}{attempts}", self.status.as_u16());
        if let Some(limit) = &self.rate_limit {
            return Err(limit.error(self.status.as_u16(), &answered).with_context(&self.context));
        }
        let now = SystemTime::now();
        let wait = retry_after(&self.headers, now);
        let advice = match self.unfollowed_redirect() {
            Some(advice) => format!("; {advice}"),
            // the server chose the URL: the call's own may be right
            None if self.redirected_to.is_some() && self.status == StatusCode::NOT_FOUND => {
                "; the server redirected the call to a URL where it has nothing: check the call's path variables, then ask the API's owners where the resource went".to_string()
            }
            None => match status_advice(self.status.as_u16(), wait, now, self.advising) {
                advice if advice.is_empty() => advice,
                advice => format!("; {advice}"),
            },
        };
        let message = format!("the server answered {answered}{advice}");
        let error =
            Error::new(ErrorKind::Status, message).with_status(self.status.as_u16()).with_context(&self.context);
        Err(match wait {
            Some(wait) => error.with_retry_after(wait),
            None => error,
        })
    }

    /// The advice for a 3xx answer, a redirect the client did not follow: where it
    /// leads, masked as the log shows a `Location` and cut after [`EXCERPT_CHARS`] as a
    /// body is (a server may send a `Location` of hundreds of kilobytes), and what to do.
    fn unfollowed_redirect(&self) -> Option<String> {
        let location = self.headers.get(LOCATION).filter(|_| self.status.is_redirection())?;
        let cleaner = self.redactor.cleaner();
        let shown = cleaner.shown_header_value(LOCATION.as_str(), location.as_bytes());
        // cut before it is escaped, so that the cut splits no escape
        let shown = one_line(&cut_name_to(&shown, EXCERPT_CHARS)).into_owned();
        Some(redirect_advice(&shown, std::str::from_utf8(location.as_bytes()).is_ok()))
    }

    /// The body's `Content-Encoding` other than `identity` (the client asks for none,
    /// so a compressed body is kept as sent), cleaned and on one line.
    fn content_encoding(&self) -> Option<String> {
        let encoding = String::from_utf8_lossy(self.headers.get(CONTENT_ENCODING)?.as_bytes()).trim().to_string();
        let unencoded = encoding.is_empty() || encoding.eq_ignore_ascii_case("identity");
        (!unencoded).then(|| self.server_text(&encoding))
    }

    /// The `charset` the `Content-Type` declares, when it is not UTF-8 (nor US-ASCII,
    /// which UTF-8 reads alike), cleaned and on one line: `Shift_JIS`, `ISO-8859-1`.
    fn charset_not_utf8(&self) -> Option<String> {
        let content_type = String::from_utf8_lossy(self.headers.get(CONTENT_TYPE)?.as_bytes()).into_owned();
        let charset = content_type.split(';').skip(1).find_map(|parameter| {
            let (name, value) = parameter.split_once('=')?;
            name.trim().eq_ignore_ascii_case("charset").then(|| value.trim().trim_matches('"').to_string())
        })?;
        let utf8 = ["utf-8", "utf8", "us-ascii", "ascii", ""].iter().any(|name| charset.eq_ignore_ascii_case(name));
        (!utf8).then(|| self.server_text(&charset))
    }

    /// A short text of the server's (a media type, an encoding, a reason phrase) as
    /// messages show it: cleaned of known secrets (and of URLs' credentials) first, so
    /// that no secret is cut, then cut and on one line.
    fn server_text(&self, text: &str) -> String {
        shown_name(&self.redactor.text_and_urls(text)).into_owned()
    }

    /// `path` as a message shows it (`tickets[1].id`): each of the body's map keys
    /// cleaned of known secrets, then cut, so that a long key (a URL) keeps the field
    /// names after it; on one line.
    fn shown_path(&self, path: &Path) -> String {
        let mut shown = String::new();
        for segment in path {
            let name = match segment {
                Segment::Seq { index } => {
                    shown.push_str(&format!("[{index}]"));
                    continue;
                }
                Segment::Map { key } => cut_name_to(&self.redactor.text(key), PATH_KEY_CHARS).into_owned(),
                Segment::Enum { variant } => variant.clone(),
                Segment::Unknown => "?".to_string(),
            };
            if !shown.is_empty() {
                shown.push('.');
            }
            shown.push_str(&name);
        }
        one_line(&shown).into_owned()
    }

    /// The start of the body, cleaned of known secrets and of URLs' credentials (a
    /// `?token=..` it quotes), on one line (control characters escaped), for messages.
    /// The body is cleaned before it is cut: a secret the cut split would no longer be
    /// found.
    fn excerpt(&self) -> String {
        let text = self.redactor.text_and_urls(self.text());
        let mut excerpt: String = text.chars().take(EXCERPT_CHARS).collect();
        if excerpt.len() < text.len() {
            excerpt.push_str("...");
        }
        one_line(&excerpt).into_owned()
    }
}

/// The field of `T` (`ticket.assignee_id`, `items[2].id`) at which decoding `body`
/// fails, found by decoding it again with the path kept: only when the first decode
/// failed, so that a call decoding what it expects pays nothing for it.
fn field_decoding_fails_at<T: JsonBody>(body: &[u8]) -> Option<Path> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let error = serde_path_to_error::deserialize::<_, T>(&mut deserializer).err()?;
    let path = error.path().clone();
    (path.iter().next().is_some()).then_some(path)
}

/// Whether `body` is a JSON string whose text is a JSON object or list: JSON sent as
/// text, which a mock's quoted `body:` and an API encoding twice give.
fn holds_json_text(body: &[u8]) -> bool {
    serde_json::from_slice::<String>(body).is_ok_and(|text| {
        text.trim_start().starts_with(['{', '[']) && serde_json::from_str::<serde::de::IgnoredAny>(&text).is_ok()
    })
}

/// Whether `body` may be JSON in `charset`, which its `Content-Type` declares: in
/// UTF-16 or UTF-32, a body with a zero byte in its first four (every ASCII character
/// has one there) or a byte order mark; else one that starts as JSON does (`{` or `[`)
/// but is no UTF-8, not a page (an HTML error page in ISO-8859-1, a wrong base URL's,
/// is no JSON whatever its charset, nor is a UTF-8 page labelled UTF-16).
fn looks_like_json_in_another_charset(body: &[u8], charset: &str) -> bool {
    let wide = ["utf-16", "utf16", "utf-32", "utf32"]
        .iter()
        .any(|wide| charset.get(..wide.len()).is_some_and(|start| start.eq_ignore_ascii_case(wide)));
    if wide {
        let start = &body[..body.len().min(4)];
        return start.contains(&0) || start.starts_with(b"\xFE\xFF") || start.starts_with(b"\xFF\xFE");
    }
    let starts_as_json = matches!(body.iter().find(|byte| !byte.is_ascii_whitespace()), Some(b'{' | b'['));
    starts_as_json && std::str::from_utf8(body).is_err()
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // the known secrets read once for every header
        let cleaner = self.redactor.cleaner();
        let headers: Vec<(String, String)> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let value = cleaner.shown_header_value(name.as_str(), value.as_bytes()).into_owned();
                (cleaner.text(name.as_str()), value)
            })
            .collect();
        f.debug_struct("Response")
            .field("status", &self.status.as_u16())
            .field("api", &self.context.api)
            .field("operation", &self.context.operation)
            .field("url", &self.context.url)
            .field("headers", &headers)
            .field("body_bytes", &self.body.len())
            .finish()
    }
}

/// What an unfollowed redirect to `location` (as shown) means, and what to do; `utf8`
/// tells whether the server wrote it in UTF-8, the only text the client reads as a URL.
fn redirect_advice(location: &str, utf8: bool) -> String {
    if utf8 {
        format!("the server redirected to `{location}`, which is not followed (another origin, not `http`/`https`, or not a URL); correct the base URL or the resource to where it points")
    } else {
        format!("the server redirected to `{location}` (shown as Latin-1), which is not followed: its `Location` holds bytes that are not UTF-8 (a character in another charset), which no URL is read from; ask the API's owners to fix the redirect, or correct the base URL or the resource to where it points")
    }
}
