//! The request builder: arguments, query, body, headers and timeout of one call.

pub(crate) mod form_pairs;
pub(crate) mod json_request;
mod path_value;
pub(crate) mod url_build;

pub use path_value::PathValue;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use conv_api_definitions::headers::{is_client_header, not_a_header_name};
use conv_api_definitions::names::{did_you_mean, hint};
use reqwest::header::{HeaderName, HeaderValue};
use serde::Serialize;

use crate::conversation::ApiHandle;
use crate::display_text::{shown_name, text_of, DISPLAY_FAILED};
use crate::error::{Error, ErrorKind, Result};
use crate::http::header_text::header_value;
use crate::response::Response;

/// One call being prepared, and the [`Future`] that sends it: `.await` it to send it
/// and get the [`Response`], or hand it to what takes a future (`tokio::spawn`,
/// `join_all`, `select!` by `&mut request`, `Box::pin`).
///
/// Problems with the arguments (a header with a line break, a body that cannot be
/// serialized, a path variable named wrong or left out) are reported when it is
/// first polled, all of them in one
/// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) error, and
/// nothing is sent; a value the URL cannot take (a path variable that is `..`) is
/// reported once they are fixed, when the URL is built.
///
/// Its first poll starts the call: from then it counts in
/// [`Log::calls_under_way`](crate::Log::calls_under_way), and its `tracing` events go
/// out in the span current then (for a request given to `tokio::spawn`, the spawned
/// task's). A request dropped before it is polled sends nothing and logs nothing.
/// Once polled, it is under way: the builder methods (`arg`, `header`, ..) no longer
/// change it. Polled again after it returned its result, it sends nothing and returns
/// an [`ErrorKind::Config`](crate::ErrorKind::Config) error saying to make the call
/// again.
///
/// Awaited outside a tokio runtime, whose HTTP client and timers it needs, it fails
/// with [`ErrorKind::Config`](crate::ErrorKind::Config) and sends nothing: await it in
/// `#[tokio::main]`, `#[tokio::test]`, a tokio task or `Handle::block_on(..)`.
///
/// # Panics
///
/// On a tokio runtime built without its timers (a `Builder` without `enable_all()`
/// or `enable_time()`), whose absence tokio offers no way to check: tokio panics,
/// saying to enable them; the log entry says the attempt was not sent.
#[must_use = "a request is sent only when awaited"]
pub struct Request {
    state: State,
}

/// Where a [`Request`] is: still taking arguments, or sent by its first poll.
#[allow(
    clippy::large_enum_variant,
    reason = "boxing the builder would allocate once more for every call; the request was this size before"
)]
enum State {
    Building(Builder),
    Sending(ResponseFuture),
}

/// What a [`Request`] is given before it is sent: the operation and its arguments.
pub(crate) struct Builder {
    pub(crate) handle: ApiHandle,
    pub(crate) operation: usize,
    /// One value per template variable; `None` while a named call lacks it.
    pub(crate) args: Vec<Option<String>>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) body: Option<Body>,
    pub(crate) timeout: Option<Duration>,
    /// The problems with the arguments found while building; reported, all of them,
    /// when awaited.
    pub(crate) problems: Vec<String>,
    /// A path variable was named wrong or given twice: the values given do not say
    /// the URL meant.
    pub(crate) args_refused: bool,
    /// The variables a problem already told of: suggested for a name that is none
    /// (`tiket_id`: did you mean `ticket_id`?), or given a value whose `Display`
    /// failed; not reported again as not given.
    pub(crate) told: Vec<usize>,
    /// Each variable given more than once: its index, its problem's place in
    /// `problems`, and how many times it was given, so that one problem says it.
    repeated: Vec<(usize, usize, u32)>,
    /// Why the request cannot be made at all (an operation the API lacks); reported
    /// when awaited, before any problem with the arguments.
    pub(crate) failure: Option<Error>,
}

/// A request body and its content type, if the way it was given says one.
#[derive(Clone, Debug)]
pub(crate) struct Body {
    /// Shared by the attempts of a retried call.
    pub(crate) bytes: bytes::Bytes,
    pub(crate) content_type: Option<&'static str>,
}

impl Request {
    /// A request with every path variable given, in template order.
    pub(crate) fn positional(handle: ApiHandle, operation: usize, values: &[&dyn fmt::Display]) -> Request {
        let mut request = Builder::with_args(handle, operation, Vec::with_capacity(values.len()));
        for (index, value) in values.iter().enumerate() {
            let text = text_of(*value).map_err(|_| {
                let name = request.handle.operation(operation).and_then(|op| op.resource.variables.get(index));
                let name = name.map_or_else(|| format!("number {}", index + 1), |name| format!("`{name}`"));
                request.fail(format!("path variable {name}: {DISPLAY_FAILED}"));
                request.told.push(index);
            });
            request.args.push(text.ok());
        }
        Request::new(request)
    }

    /// A request whose path variables are given by name with [`arg`](Request::arg).
    pub(crate) fn named(handle: ApiHandle, operation: usize) -> Request {
        let count = handle.operation(operation).map_or(0, |op| op.resource.variables.len());
        Request::new(Builder::with_args(handle, operation, vec![None; count]))
    }

    /// A request that fails with `problem` when awaited.
    pub(crate) fn failed(handle: ApiHandle, operation: usize, problem: Error) -> Request {
        let mut request = Builder::with_args(handle, operation, Vec::new());
        request.failure = Some(problem);
        Request::new(request)
    }

    fn new(builder: Builder) -> Request {
        Request { state: State::Building(builder) }
    }

    /// Changes what is sent, while the request is not polled yet.
    fn building(mut self, change: impl FnOnce(&mut Builder)) -> Self {
        if let State::Building(builder) = &mut self.state {
            change(builder);
        }
        self
    }

    /// Sets the path variable `name` to `value` (calls by name; see
    /// [`DynamicApi::call`](crate::DynamicApi::call)).
    pub fn arg(self, name: &str, value: impl fmt::Display) -> Self {
        self.building(|request| request.arg(name, value))
    }

    /// Adds query parameters: pairs (`&[("include", "users")]`), a map or a struct,
    /// as Python `requests` reads `params=`: a `None` (or JSON `null`) is left out, a
    /// list sends its name once for each item (`tags=a&tags=b`); a `bool` is `true` or
    /// `false`, where Python writes `True` (pass the text where a server wants that).
    /// They follow the resource's own query parameters, encoded by the URL library; a
    /// pair named like the API key auth puts in the query, in any ASCII case, is
    /// replaced by the key.
    pub fn query<T: Serialize + ?Sized>(self, query: &T) -> Self {
        self.building(|request| request.query(query))
    }

    /// Sends `body` as JSON (`Content-Type: application/json`, unless a
    /// `Content-Type` is set with [`header`](Request::header)); by reference, as
    /// reqwest takes it: `.json(&ticket)`, `.json(&serde_json::json!({..}))`. A request
    /// has one body: this replaces one set before by `json`, [`form`](Request::form)
    /// or [`body`](Request::body), as reqwest does. A NaN or infinite float, which
    /// serde_json would write as `null`, is an [`InvalidArgument`](crate::ErrorKind::InvalidArgument)
    /// error naming where it is, as Python `requests` refuses one: nothing is sent.
    pub fn json<T: Serialize + ?Sized>(self, body: &T) -> Self {
        self.building(|request| request.json(body))
    }

    /// Sends `body` as a form (`Content-Type: application/x-www-form-urlencoded`,
    /// unless a `Content-Type` is set with [`header`](Request::header)), its fields
    /// read as [`query`](Request::query) reads them. It replaces a body set before.
    pub fn form<T: Serialize + ?Sized>(self, body: &T) -> Self {
        self.building(|request| request.form(body))
    }

    /// Sends `body` as it is (text or bytes: an XML document, a CSV file), with the
    /// `Content-Type` set by [`header`](Request::header), or none, as reqwest does. It
    /// replaces a body set before.
    ///
    /// ```no_run
    /// # extern crate conv_api_runtime as conv_api;
    /// # async fn run(conv: conv_api::Conv<conv_api::DynamicApi>) -> conv_api::Result<()> {
    /// let xml = "<booking><guest>Ada</guest></booking>";
    /// let response = conv.api.call("bookings", "create_booking")
    ///     .header("Content-Type", "application/xml")
    ///     .body(xml)
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn body(self, body: impl AsRef<[u8]>) -> Self {
        self.building(|request| request.body(body))
    }

    /// Sets the header `name: value` (any text or number: `.header("X-Retry", 2)`),
    /// replacing a value set before under the same name, in any case; names and
    /// values with CR, LF or other control characters (a tab too) are refused, and so
    /// is a value starting with a space, which a server would drop. A value is sent as
    /// Latin-1, as Python `requests` sends it (`é` is one byte, `0xE9`); one holding a
    /// character beyond Latin-1 (`€`) is refused.
    /// A header auth sets (`Authorization`, the API key's) replaces one of the same name.
    pub fn header(self, name: impl AsRef<str>, value: impl fmt::Display) -> Self {
        self.building(|request| request.header(name, value))
    }

    /// The total time of each attempt of this call (a wait for its OAuth 2.0 token
    /// included), over the definitions' and the runtime's; the last one given
    /// counts, and zero is an invalid argument.
    pub fn timeout(self, timeout: Duration) -> Self {
        self.building(|request| request.timeout(timeout))
    }

    /// The future that sends the request when polled, as the request itself does,
    /// under the name reqwest users look for. Unlike the request, it starts the call
    /// here: the arguments are checked, the call counts in
    /// [`Log::calls_under_way`](crate::Log::calls_under_way) and its `tracing`
    /// events go out in the span current here; a bad argument is logged, and
    /// returned, when the future is awaited, and nothing is sent.
    ///
    /// ```no_run
    /// # extern crate conv_api_runtime as conv_api;
    /// # async fn run(conv: conv_api::Conv<conv_api::DynamicApi>) {
    /// let calls = ["1", "2"].map(|id| conv.api.call("zendesk", "get_ticket").arg("ticket_id", id).send());
    /// let handles = calls.map(tokio::spawn);
    /// # }
    /// ```
    pub fn send(self) -> ResponseFuture {
        match self.state {
            State::Building(builder) => ResponseFuture::new(builder),
            State::Sending(sending) => sending,
        }
    }
}

impl Builder {
    fn with_args(handle: ApiHandle, operation: usize, args: Vec<Option<String>>) -> Builder {
        Builder {
            handle,
            operation,
            args,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            timeout: None,
            problems: Vec::new(),
            args_refused: false,
            told: Vec::new(),
            repeated: Vec::new(),
            failure: None,
        }
    }

    fn arg(&mut self, name: &str, value: impl fmt::Display) {
        let Some(op) = self.handle.operation(self.operation) else { return };
        let variables = &op.resource.variables;
        let place = match variables.iter().position(|variable| variable == name) {
            Some(index) if index < self.args.len() => Ok(index),
            // made by generated code of another version, with fewer values than variables
            Some(_) => Err(format!(
                "path variable `{name}` has no place in this request, made with {} value(s) for {} variable(s); are conv-api-macros and conv-api-runtime the same version?",
                self.args.len(),
                variables.len()
            )),
            None => {
                let meant = did_you_mean(name, variables.iter().map(AsRef::as_ref));
                let hint = hint(meant);
                let message =
                    format!("there is no path variable `{}`; {hint}{}", shown_name(name), op.resource.variables_listed());
                self.told.extend(meant.and_then(|meant| variables.iter().position(|variable| variable == meant)));
                Err(message)
            }
        };
        match place {
            Ok(index) if self.args[index].is_some() => {
                self.args_refused = true;
                self.given_again(index, name);
            }
            Ok(index) => match text_of(&value) {
                Ok(text) => self.args[index] = Some(text),
                Err(_) => {
                    self.args[index] = None;
                    self.told.push(index);
                    self.fail(format!("path variable `{name}`: {DISPLAY_FAILED}"))
                }
            },
            Err(message) => {
                self.args_refused = true;
                self.fail(message)
            }
        }
    }

    fn query<T: Serialize + ?Sized>(&mut self, query: &T) {
        match form_pairs::pairs(query, "the query") {
            Ok(pairs) => self.query.extend(pairs),
            Err(problems) => self.problems.extend(problems),
        }
    }

    fn json<T: Serialize + ?Sized>(&mut self, body: &T) {
        match json_request::json_bytes(body) {
            Ok(bytes) => self.body = Some(Body { bytes: bytes.into(), content_type: Some("application/json") }),
            Err(problem) => self.fail(problem),
        }
    }

    fn form<T: Serialize + ?Sized>(&mut self, body: &T) {
        match form_pairs::pairs(body, "the form body") {
            Ok(pairs) => {
                let text = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
                let content_type = Some("application/x-www-form-urlencoded");
                self.body = Some(Body { bytes: text.into_bytes().into(), content_type })
            }
            Err(problems) => self.problems.extend(problems),
        }
    }

    fn body(&mut self, body: impl AsRef<[u8]>) {
        self.body = Some(Body { bytes: bytes::Bytes::copy_from_slice(body.as_ref()), content_type: None });
    }

    fn header(&mut self, name: impl AsRef<str>, value: impl fmt::Display) {
        let Ok(value) = text_of(&value) else {
            self.fail(format!("the value of header `{}`: {DISPLAY_FAILED}", shown_name(name.as_ref())));
            return;
        };
        match check_header(name.as_ref(), &value) {
            Ok(header) => self.headers.push(header),
            Err(message) => self.fail(message),
        }
    }

    fn timeout(&mut self, timeout: Duration) {
        self.timeout = Some(timeout);
    }

    /// Keeps a problem with the arguments, to report with the others.
    fn fail(&mut self, message: String) {
        self.problems.push(message);
    }

    /// Path variable `name` (number `index`) given once more: one problem says how
    /// many times.
    fn given_again(&mut self, index: usize, name: &str) {
        if let Some((_, problem, times)) = self.repeated.iter_mut().find(|(variable, ..)| *variable == index) {
            *times += 1;
            self.problems[*problem] = format!("path variable `{name}` is given {times} times; give it once");
            return;
        }
        self.repeated.push((index, self.problems.len(), 2));
        self.fail(format!("path variable `{name}` is given twice; give it once"));
    }
}

fn check_header(name: &str, value: &str) -> std::result::Result<(HeaderName, HeaderValue), String> {
    let header_name = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| format!("header name `{}` {}", shown_name(name), not_a_header_name(name)))?;
    if is_client_header(header_name.as_str()) {
        return Err(format!(
            "header `{header_name}` is written by the HTTP client from the request itself (its URL, its body from `.json(..)`, `.form(..)` or `.body(..)`); remove it"
        ));
    }
    // a server drops a value's leading spaces, and would read another value than
    // the log shows (Python `requests` refuses them too); a tab `header_value` refuses
    let leading_space = match value.trim_start_matches(' ') {
        _ if !value.starts_with(' ') => None,
        "" => Some("is only spaces, which a server reads as an empty value; send `\"\"` or leave the header out".to_string()),
        _ => Some("starts with a space, which a server drops, so it would read another value than the log shows; trim it (`value.trim()`)".to_string()),
    };
    match (leading_space, header_value(value)) {
        (None, Ok(header_value)) => Ok((header_name, header_value)),
        (leading_space, value) => {
            let problems: Vec<String> =
                leading_space.into_iter().chain(value.err().map(|problem| problem.says())).collect();
            Err(format!("the value of header `{}` {}", shown_name(name), problems.join(", and it ")))
        }
    }
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let State::Building(request) = &self.state else {
            return f.debug_struct("Request").field("sent", &true).finish_non_exhaustive();
        };
        let api = request.handle.definition().map(|api| api.name());
        let operation = request.handle.operation(request.operation).map(|op| op.name());
        f.debug_struct("Request")
            .field("api", &api)
            .field("operation", &operation)
            .field("args", &request.args.len())
            .field("timeout", &request.timeout)
            .finish_non_exhaustive()
    }
}

impl Future for Request {
    type Output = Result<Response>;

    /// The first poll starts the call, as [`send`](Request::send) does, and each
    /// poll drives it.
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<Response>> {
        let this = self.get_mut();
        if let State::Building(_) = this.state {
            // the builder is moved out, not cloned: `send` takes its handle
            if let State::Building(builder) = std::mem::replace(&mut this.state, State::Sending(ResponseFuture::done()))
            {
                this.state = State::Sending(ResponseFuture::new(builder));
            }
        }
        match &mut this.state {
            State::Sending(sending) => Pin::new(sending).poll(cx),
            State::Building(_) => unreachable!("a request is sending once polled"),
        }
    }
}

/// The future of a [`Request`] from [`send`](Request::send), which starts the call
/// where it is made and sends it when first polled; `Send`, `Sync` and `Unpin`.
///
/// Polled again after it returned its result, it sends nothing and returns an
/// [`ErrorKind::Config`](crate::ErrorKind::Config) error saying to make the call again.
#[must_use = "a request is sent only when awaited"]
pub struct ResponseFuture {
    /// The call, until it returned its result. The mutex only makes the future
    /// `Sync`: it is reached through `&mut self` (`get_mut`), so it is never locked.
    inner: Mutex<Option<Call>>,
}

/// A call under way, boxed by [`crate::send::send`].
type Call = Pin<Box<dyn Future<Output = Result<Response>> + Send>>;

impl ResponseFuture {
    /// Starts the call `request` describes (see [`crate::send::send`]).
    fn new(request: Builder) -> ResponseFuture {
        ResponseFuture { inner: Mutex::new(Some(crate::send::send(request))) }
    }

    /// A future whose call already returned its result.
    fn done() -> ResponseFuture {
        ResponseFuture { inner: Mutex::new(None) }
    }
}

impl Future for ResponseFuture {
    type Output = Result<Response>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<Response>> {
        let call = self.get_mut().inner.get_mut().unwrap_or_else(PoisonError::into_inner);
        let Some(future) = call else {
            return Poll::Ready(Err(Error::new(ErrorKind::Config, RETURNED_ALREADY)));
        };
        let outcome = std::task::ready!(future.as_mut().poll(cx));
        *call = None;
        Poll::Ready(outcome)
    }
}

/// The error of a request polled again after it returned its result.
const RETURNED_ALREADY: &str = "this request was polled again after it returned its response (or error), and sent nothing: a request sends one call and returns its result once; to send the call again, make the request again (`conv.api.<api>.<operation>(..)`)";

impl fmt::Debug for ResponseFuture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseFuture").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_with_control_characters_are_rejected() {
        assert!(check_header("X-Ok", "fine value").is_ok());
        for (name, value) in [("X-A", "a\r\nInjected: 1"), ("X-A", "a\nb"), ("X-A", "a\0"), ("X\r\nB", "v"), ("", "v")]
        {
            assert!(check_header(name, value).is_err(), "{name:?}: {value:?}");
        }
    }

    #[test]
    fn header_errors_never_show_the_value() {
        let message = check_header("Authorization", "Bearer secret\n").unwrap_err();
        assert!(!message.contains("secret"), "{message}");
    }
}
