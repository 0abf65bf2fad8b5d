//! The one request pipeline: resolve the environment, build the URL, apply auth,
//! send, read the capped body, and log every attempt.
//!
//! Every call, generated or dynamic, goes through [`send`]; nothing here is
//! generic, so each operation costs one small function in the user's binary.
//!
//! The steps that await return `impl Future` from one `async move` block instead of
//! being `async fn`s: an `async fn` keeps its arguments twice in its future (as
//! given and as moved into its body), and every call allocates the whole nest of
//! futures, so each byte of it is paid by every call, in memory and in cache.

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU16, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use conv_api_definitions::{Api, EnvironmentConfig, Operation};
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use reqwest::StatusCode;
use url::Url;

use crate::auth::{basic, AuthTarget, Replay, TokenIdentity};
use crate::conversation::ApiHandle;
use crate::error::{from_reqwest, timed_out, Context, Error, ErrorKind, Result};
use crate::log::{CallRecord, ShownHeaders};
use crate::mocks::RecordedCall;
use crate::redact::Redactor;
use crate::request::{list_variables, Body, Request};
use crate::response::Response;
use crate::retry::{idempotency_key, is_retryable_status, retry_after, Failure, Next, IDEMPOTENCY_KEY};
use crate::runtime::{Shared, DEFAULT_TIMEOUT};
use crate::url_build::build_url;

/// A request ready to be authenticated and sent.
#[derive(Debug)]
pub(crate) struct Outgoing {
    /// The HTTP method.
    pub(crate) method: reqwest::Method,
    /// The full URL; auth may append query pairs.
    pub(crate) url: Url,
    /// The headers set by the caller; auth may add more.
    pub(crate) headers: HeaderMap,
    /// The body, if any.
    pub(crate) body: Option<Body>,
    /// The total time of one attempt.
    pub(crate) timeout: Duration,
}

/// What an attempt brought back before it becomes a [`Response`].
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

/// Sends `request` and returns the response, logging every attempt.
///
/// The arguments are checked and the URL built before the future is made, so that
/// the future (boxed for every call) holds only what sending needs, once.
pub(crate) fn send(mut request: Request) -> Pin<Box<dyn Future<Output = Result<Response>> + Send>> {
    let context = call_context(&request.handle, request.operation);
    let prepared = prepare(&mut request);
    // moved, not cloned: a clone would touch counts every conversation's calls share
    let handle = request.handle;
    match prepared {
        // the block uses what it captures in place: an `async fn` taking them would
        // hold a second copy of each across every await
        Ok(prepared) => {
            let mut context = context;
            Box::pin(async move { execute(&handle, &prepared, &mut context).await })
        }
        // logged when awaited, as a sent call is: in the order of the conversation
        Err(error) => Box::pin(async move {
            let error = error.with_context(&context);
            let attempt = Attempt {
                number: 1,
                started: Instant::now(),
                redactor: handle.log.redactor(),
                request_headers: ShownHeaders::default(),
                answer: None,
                error: Some(&error),
                note: None,
            };
            // the error's context: a dynamic call keeps the names it asked for there
            record(&handle, &error.context, attempt);
            Err(error)
        }),
    }
}

/// A checked request: the operation, and the request before auth.
struct Prepared {
    operation: usize,
    outgoing: Outgoing,
    /// Path variables and their values, for mocks (empty without mocks).
    path: Vec<(String, String)>,
    /// The environment has no base URL: only mocks can answer (`mock://<api>` in the log).
    unconfigured: bool,
}

/// The API, operation and method of a call, for errors and the log.
fn call_context(handle: &ApiHandle, operation: usize) -> Context {
    let (api, operation_name) = handle.names(operation);
    Context {
        api,
        operation: operation_name,
        method: handle.operation(operation).map(|op| op.method),
        url: None,
        status: None,
    }
}

/// Checks the arguments and builds the URL, taking the headers and body of `request`;
/// nothing is sent when this fails.
fn prepare(request: &mut Request) -> Result<Prepared> {
    if let Some(failure) = request.failure.take() {
        return Err(failure);
    }
    let mut problems = std::mem::take(&mut request.problems);
    if request.timeout.is_some_and(|timeout| timeout.is_zero()) {
        problems.push(
            "the call's `.timeout(..)` is zero, so no attempt could succeed; give it a duration above zero".into(),
        );
    }
    let handle = &request.handle;
    let (api, op) = resolve(handle, request.operation)?;
    let args = match complete_args(op, &request.args) {
        Ok(args) if problems.is_empty() => args,
        Ok(_) => return Err(invalid_arguments(problems)),
        Err(problem) => {
            problems.push(problem);
            return Err(invalid_arguments(problems));
        }
    };
    let config = api.environment(handle.shared.environment);
    let (base, unconfigured) = match base_url(&handle.shared, api, config) {
        Ok(base) => (base, false),
        Err(error) => (Arc::new(mock_base_url(&handle.shared, api).ok_or(error)?), true),
    };
    let url = build_url(&base, &op.resource, &args, &request.query)?;
    let path = match handle.shared.mocks {
        Some(_) => {
            op.resource.variables.iter().zip(&args).map(|(name, value)| (name.to_string(), value.to_string())).collect()
        }
        None => Vec::new(),
    };
    let mut headers = HeaderMap::new();
    // inserted, not appended: a header set twice keeps its last value, as a dict would
    for (name, value) in std::mem::take(&mut request.headers) {
        headers.insert(name, value);
    }
    if let Some(body) = &request.body {
        // as reqwest does: a type the caller set (`application/merge-patch+json`) stays
        if !headers.contains_key(CONTENT_TYPE) {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(body.content_type));
        }
    }
    if op.sends_idempotency_key() && !headers.contains_key(IDEMPOTENCY_KEY) {
        // the same key on every attempt: each sends a copy of these headers
        if let Ok(key) = HeaderValue::from_str(&idempotency_key()) {
            headers.insert(IDEMPOTENCY_KEY, key);
        }
    }
    let timeout =
        request.timeout.unwrap_or_else(|| op.timeout_over(api, handle.shared.timeout.unwrap_or(DEFAULT_TIMEOUT)));
    let method = http_method(op.method);
    let outgoing = Outgoing { method, url, headers, body: request.body.take(), timeout };
    Ok(Prepared { operation: request.operation, outgoing, path, unconfigured })
}

/// The HTTP method of an operation's `method`.
fn http_method(method: conv_api_definitions::Method) -> reqwest::Method {
    use conv_api_definitions::Method;
    match method {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
        Method::Patch => reqwest::Method::PATCH,
        Method::Put => reqwest::Method::PUT,
        Method::Delete => reqwest::Method::DELETE,
    }
}

/// `mock://<api>`: the base of calls mocks may answer in an environment without a base URL.
fn mock_base_url(shared: &Shared, api: &Api) -> Option<Url> {
    shared.mocks.as_ref()?;
    Url::parse(&format!("mock://{}", api.name())).ok()
}

fn resolve(handle: &ApiHandle, operation: usize) -> Result<(&Api, &Operation)> {
    // generated calls name both by position: only definitions that did not read back lack them
    let invalid = || {
        Error::new(
            ErrorKind::Definitions,
            "the call names an API or operation the definitions do not have: the definitions embedded by `conv_api!` did not read back (are conv-api-macros and conv-api-runtime the same version? a `tracing` error says what did not read)",
        )
    };
    let api = handle.definition().ok_or_else(invalid)?;
    Ok((api, handle.operation(operation).ok_or_else(invalid)?))
}

/// Every path variable's value, or an error naming the missing ones.
fn complete_args<'a>(op: &Operation, args: &'a [Option<String>]) -> std::result::Result<Vec<&'a str>, String> {
    let variables = &op.resource.variables;
    let values: Vec<&str> = args.iter().flatten().map(String::as_str).collect();
    if values.len() == args.len() && args.len() == variables.len() {
        return Ok(values);
    }
    if args.len() != variables.len() {
        return Err(format!("{} path variable value(s) given; {}", args.len(), list_variables(variables)));
    }
    let missing: Vec<String> =
        variables.iter().zip(args).filter(|(_, value)| value.is_none()).map(|(name, _)| format!("`{name}`")).collect();
    Err(format!("path variable(s) {} not given; set them with `.arg(name, value)`", missing.join(", ")))
}

/// The [`ErrorKind::InvalidArgument`] error of one or more `problems` with a call's
/// arguments, each said in full.
fn invalid_arguments(problems: Vec<String>) -> Error {
    let message = match problems.as_slice() {
        [one] => format!("{one}; nothing was sent"),
        many => {
            let numbered: Vec<String> =
                many.iter().enumerate().map(|(index, problem)| format!("({}) {problem}", index + 1)).collect();
            format!("{} problems with the arguments: {}; nothing was sent", many.len(), numbered.join("; "))
        }
    };
    Error::new(ErrorKind::InvalidArgument, message)
}

/// The base URL: the builder's override, else the environment's, else `NotConfigured`.
fn base_url(shared: &Shared, api: &Api, config: Option<&EnvironmentConfig>) -> Result<Arc<Url>> {
    if let Some(url) = shared.base_urls.get(api.name()) {
        return Ok(Arc::clone(url));
    }
    let environment = shared.environment;
    let not_configured = || {
        let message = format!(
            "API `{}` is not configured for environment `{environment}` (no base URL); add `base_url` under `environments: {environment}:` in the definitions file, or call `Runtime::builder().base_url(\"{}\", ..)`",
            api.name(),
            api.name()
        );
        Error::new(ErrorKind::NotConfigured, message)
    };
    let text = config.filter(|config| config.is_wired()).ok_or_else(not_configured)?.base_url.value.as_ref();
    shared.parsed_base_urls.get(text, &shared.redactor).map_err(|error| not_configured().with_source(error))
}

/// Authenticates and sends, replaying once after a 401 when auth refreshed
/// credentials, and retrying transient failures of retry-safe operations.
#[allow(clippy::manual_async_fn)] // see the module's doc
fn execute<'a>(
    handle: &'a ApiHandle,
    prepared: &'a Prepared,
    context: &'a mut Context,
) -> impl Future<Output = Result<Response>> + Send + 'a {
    async move {
        let shared = &handle.shared;
        let (api, op) = resolve(handle, prepared.operation)?;
        let config = api.environment(shared.environment);
        let (target, redactor) = shared.auth.target(api.name(), config);
        let mut retrier = shared.retries.start(op, api);
        let (mut number, mut replayed) = (1, false);
        loop {
            let unfinished = Unfinished::sending(handle, prepared, &redactor, number);
            let sent = send_once(handle, (api, op), &target, prepared, &redactor, &unfinished.progress).await;
            let Sent { outcome, shown, token } = sent;
            let shown = shown.cleaned(&redactor);
            let started = unfinished.finish();
            context.url = Some(shown.url);
            let outcome = outcome.map_err(|error| error.with_context(context));
            let next = retrier.next(failure(&outcome));
            // a 401 is replayed once, when auth has fresh credentials to send
            let replay = next == Next::Return
                && matches!(&outcome, Ok(answer) if answer.status == StatusCode::UNAUTHORIZED)
                && !std::mem::replace(&mut replayed, true)
                && shared.auth.on_unauthorized(token) == Replay::Once;
            let note = match replay {
                true => Some(REPLAY_NOTE.to_string()),
                false => next.note(prepared.outgoing.method.as_str()),
            };
            let refused = refusal(next, &outcome, context);
            let attempt = Attempt {
                number,
                started,
                redactor: &redactor,
                request_headers: shown.headers,
                answer: outcome.as_ref().ok(),
                error: refused.as_ref().or(outcome.as_ref().err()),
                note: note.as_deref(),
            };
            record(handle, context, attempt);
            number += 1;
            if let Some(error) = refused {
                return Err(error);
            }
            if let Next::Retry { wait, .. } = next {
                drop(outcome);
                let waiting = Unfinished::waiting(handle, prepared, &redactor, number);
                tokio::time::sleep(wait).await;
                waiting.finish();
                continue;
            }
            let answer = outcome.map_err(|error| with_attempts(error, next, note))?;
            if !replay {
                return Ok(Response::new(answer.status, answer.headers, answer.body, context.clone(), redactor));
            }
            retrier.uncount_last();
        }
    }
}

/// The log's note on a 401 that is sent again, once, with the fresh credentials
/// auth got after it.
pub(crate) const REPLAY_NOTE: &str = "replaying once with new credentials after a 401";

/// The error that ends a call whose answer asks to wait longer than the runtime
/// waits (`Retry-After` past the cap): its log entry says so too.
fn refusal(next: Next, outcome: &Result<Answer>, context: &Context) -> Option<Error> {
    match (next, outcome) {
        (Next::RateLimited { wait, cap }, Ok(answer)) => {
            Some(rate_limited(wait, cap, answer.status).with_context(context))
        }
        _ => None,
    }
}

/// An attempt under way, or the wait before it: logged as
/// [`Cancelled`](ErrorKind::Cancelled) if the call's future is dropped before it
/// finishes (the caller stopped waiting), so that every request the runtime may have
/// sent has its log entry, and a "retrying in" note is never the last word.
struct Unfinished<'a> {
    handle: &'a ApiHandle,
    prepared: &'a Prepared,
    redactor: &'a Redactor,
    number: u32,
    started: Instant,
    /// The attempt is under way; else the runtime waits before it.
    sending: bool,
    /// How far the attempt got.
    progress: Progress,
}

/// How far an attempt got: for its log entry should the call's future be dropped,
/// and for the status a timeout keeps.
#[derive(Default)]
struct Progress {
    /// The attempt's request has gone out (to the server, or to the mocks); before,
    /// it waits for its credentials (an OAuth 2.0 token).
    sent: AtomicBool,
    /// The status of the answer whose head arrived (its body may still be read); 0
    /// before.
    status: AtomicU16,
}

impl Progress {
    fn mark_sent(&self, sent: bool) {
        self.sent.store(sent, Ordering::Relaxed);
    }

    fn was_sent(&self) -> bool {
        self.sent.load(Ordering::Relaxed)
    }

    fn answered(&self, status: StatusCode) {
        self.status.store(status.as_u16(), Ordering::Relaxed);
    }

    /// The status of the answer whose head arrived, if one did.
    fn status(&self) -> Option<u16> {
        Some(self.status.load(Ordering::Relaxed)).filter(|&status| status != 0)
    }
}

impl<'a> Unfinished<'a> {
    /// Attempt `number`, being sent from now.
    fn sending(handle: &'a ApiHandle, prepared: &'a Prepared, redactor: &'a Redactor, number: u32) -> Self {
        Unfinished::new(handle, prepared, redactor, number, true)
    }

    /// The wait before attempt `number`, from now.
    fn waiting(handle: &'a ApiHandle, prepared: &'a Prepared, redactor: &'a Redactor, number: u32) -> Self {
        Unfinished::new(handle, prepared, redactor, number, false)
    }

    fn new(handle: &'a ApiHandle, prepared: &'a Prepared, redactor: &'a Redactor, number: u32, sending: bool) -> Self {
        let started = Instant::now();
        Unfinished { handle, prepared, redactor, number, started, sending, progress: Progress::default() }
    }

    /// The attempt (logged by its caller) or the wait finished; when it started.
    fn finish(self) -> Instant {
        let started = self.started;
        // it holds only references and copies: forgetting it frees nothing
        std::mem::forget(self);
        started
    }
}

impl Drop for Unfinished<'_> {
    fn drop(&mut self) {
        // dropped by a panic unwinding, not by a caller who stopped waiting
        if std::thread::panicking() {
            return;
        }
        let mut context = call_context(self.handle, self.prepared.operation);
        let outgoing = &self.prepared.outgoing;
        let shown = Shown::of(&outgoing.url, &outgoing.headers, self.redactor);
        context.url = Some(shown.url);
        let status = self.progress.status();
        let message = if let Some(status) = status {
            format!(
                "the caller stopped waiting after {:?} (the call's future was dropped) while the body of the server's {status} answer was read",
                self.started.elapsed()
            )
        } else if self.sending && self.progress.was_sent() {
            format!(
                "the caller stopped waiting after {:?} (the call's future was dropped); the request may have reached the server",
                self.started.elapsed()
            )
        } else if self.sending {
            format!(
                "the caller stopped waiting after {:?} (the call's future was dropped) while this attempt waited for its credentials (an OAuth 2.0 token); it was not sent",
                self.started.elapsed()
            )
        } else {
            format!(
                "the caller stopped waiting during the wait before this attempt, after {:?} (the call's future was dropped); this attempt was not sent",
                self.started.elapsed()
            )
        };
        let mut error = Error::new(ErrorKind::Cancelled, message).with_context(&context);
        if let Some(status) = status {
            error = error.with_status(status);
        }
        let attempt = Attempt {
            number: self.number,
            // an attempt never sent took no time: the wait is not call time
            started: if self.sending { self.started } else { Instant::now() },
            redactor: self.redactor,
            request_headers: shown.headers,
            answer: None,
            error: Some(&error),
            note: None,
        };
        record(self.handle, &context, attempt);
    }
}

/// What one attempt brought back, the request as the log shows it, and the OAuth
/// 2.0 token it carried.
struct Sent {
    outcome: Result<Answer>,
    shown: Shown,
    token: Option<TokenIdentity>,
}

/// The URL and headers of an attempt as the log and errors may show them.
struct Shown {
    url: Arc<str>,
    headers: ShownHeaders,
    /// The generation of the known secrets they were cleaned of.
    generation: u64,
}

impl Shown {
    fn of(url: &Url, headers: &HeaderMap, redactor: &Redactor) -> Shown {
        let cleaner = redactor.cleaner();
        let (url, headers) = (cleaner.shown_url(url).as_ref().into(), ShownHeaders::of(headers, &cleaner));
        Shown { url, headers, generation: cleaner.generation() }
    }

    /// Cleaned again, when a secret became known after they were shown (another call
    /// read it while this attempt was in flight): before the URL goes into the
    /// response, an error or the log.
    fn cleaned(self, redactor: &Redactor) -> Shown {
        let cleaner = redactor.cleaner();
        if cleaner.generation() == self.generation {
            return self;
        }
        let url = cleaner.text(&self.url).into();
        Shown { url, headers: self.headers.cleaned(&cleaner), generation: cleaner.generation() }
    }
}

/// One attempt: answered by the mocks, or authenticated and sent. The credentials
/// are added to the attempt's own URL and headers, which go to reqwest without a copy.
#[allow(clippy::manual_async_fn)] // see the module's doc
fn send_once<'a>(
    handle: &'a ApiHandle,
    (api, op): (&'a Api, &'a Operation),
    target: &'a AuthTarget<'a>,
    prepared: &'a Prepared,
    redactor: &'a Redactor,
    progress: &'a Progress,
) -> impl Future<Output = Sent> + Send + 'a {
    async move {
        let shared = &handle.shared;
        let outgoing = &prepared.outgoing;
        let done =
            |outcome| Sent { outcome, shown: Shown::of(&outgoing.url, &outgoing.headers, redactor), token: None };
        if shared.mocks.is_some() {
            // to the mocks; sent on to the API, should no rule answer it
            progress.mark_sent(true);
            // boxed: only tests install mocks, and their future would size every call's
            if let Some(outcome) = Box::pin(mocked(handle, (api, op), prepared, redactor)).await {
                return done(outcome);
            }
            progress.mark_sent(false);
        }
        if prepared.unconfigured {
            return done(Err(not_configured(shared, api, target.config)));
        }
        // the attempt's timeout bounds it all: a wait for an OAuth 2.0 token, then the exchange
        let deadline = tokio::time::Instant::now().checked_add(outgoing.timeout);
        // in a block, so that the credentials, URL and headers take no room across the last await
        let (shown, token, sending) = {
            let credentials = match shared.auth.apply(target, outgoing, deadline).await {
                Ok(credentials) => credentials,
                Err(error) => return done(Err(error)),
            };
            let (mut url, mut headers) = (outgoing.url.clone(), outgoing.headers.clone());
            let token = credentials.and_then(|credentials| credentials.add_to(&mut url, &mut headers));
            let shown = Shown::of(&url, &headers, redactor);
            // the environment's client (its `tls:` settings, read only when a request is
            // really sent, so mocks need no TLS secrets)
            let client = match shared.tls.client(&shared.client, target.api, shared.environment, target.config) {
                Ok(client) => client,
                Err(error) => return Sent { outcome: Err(error), shown, token },
            };
            progress.mark_sent(true);
            (shown, token, client.execute(reqwest_request(outgoing, url, headers, redactor)))
        };
        // the runtime's timer rather than reqwest's per-request one, which costs three allocations
        let exchanged = exchange(shared, sending, outgoing.timeout, progress);
        // matched here rather than through `until`: the exchange's future, large, is moved once
        let answer = match deadline {
            Some(deadline) => tokio::time::timeout_at(deadline, exchanged).await.ok(),
            None => Some(exchanged.await),
        };
        let outcome = match answer {
            Some(answer) => answer,
            // the body may be what was slow: the status that arrived is kept
            None => match progress.status() {
                Some(status) => Err(timed_out(outgoing.timeout).with_status(status)),
                None => Err(timed_out(outgoing.timeout)),
            },
        };
        Sent { outcome, shown, token }
    }
}

/// The mocks' answer to this attempt, if mocks are installed and do not send it on.
async fn mocked(
    handle: &ApiHandle,
    (api, op): (&Api, &Operation),
    prepared: &Prepared,
    redactor: &Redactor,
) -> Option<Result<Answer>> {
    let mocks = handle.shared.mocks.as_ref()?;
    let outgoing = &prepared.outgoing;
    let call = RecordedCall {
        api: api.name().to_string(),
        operation: op.name().to_string(),
        path: prepared.path.clone(),
        query: outgoing.url.query_pairs().map(|(name, value)| (name.into_owned(), value.into_owned())).collect(),
        headers: outgoing
            .headers
            .iter()
            .map(|(name, value)| (name.as_str().to_string(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
            .collect(),
        body: outgoing.body.as_ref().map(|body| String::from_utf8_lossy(&body.bytes).into_owned()),
    };
    let answer = match mocks.answer(call, &handle.definitions, redactor) {
        Ok(answer) => answer?,
        Err(error) => return Some(Err(error)),
    };
    let answer = answer.play(outgoing.timeout).await.and_then(|(status, headers, body)| {
        // the same cap as a real answer's (RELIABILITY 23)
        if body.len() > handle.shared.max_body_bytes {
            return Err(body_too_large(handle.shared.max_body_bytes, status));
        }
        Ok(Answer { status, headers, body })
    });
    Some(answer)
}

/// The `NotConfigured` error of an environment without a base URL.
fn not_configured(shared: &Shared, api: &Api, config: Option<&EnvironmentConfig>) -> Error {
    match base_url(shared, api, config) {
        Err(error) => error,
        Ok(_) => Error::new(ErrorKind::NotConfigured, format!("API `{}` is not configured (no base URL)", api.name())),
    }
}

/// What an attempt's outcome means for retrying: a retryable status (with its
/// `Retry-After`) or a transient error.
fn failure(outcome: &Result<Answer>) -> Failure {
    match outcome {
        Ok(answer) if is_retryable_status(answer.status.as_u16()) => {
            Failure::Transient(retry_after(&answer.headers, SystemTime::now()))
        }
        // an auth error stops an attempt before it sends anything
        Err(error) if error.is_retryable() && error.kind() == ErrorKind::Auth => Failure::Unsent,
        Err(error) if error.is_retryable() => Failure::Transient(None),
        _ => Failure::Final,
    }
}

/// The error of the last attempt, saying why it was not retried.
fn with_attempts(error: Error, next: Next, note: Option<String>) -> Error {
    match (next, note) {
        (Next::AttemptsUsed { .. } | Next::BudgetSpent | Next::NotSafe, Some(note)) => {
            error.with_note(&format!("; {note}"))
        }
        _ => error,
    }
}

/// 9999-12-31 23:59:59 UTC, the last moment an HTTP date can show, after the epoch.
const LAST_HTTP_DATE: Duration = Duration::from_secs(253_402_300_799);

/// The error when a `status` answer's `Retry-After` asks for `wait`, longer than `cap`.
fn rate_limited(wait: Duration, cap: Duration, status: StatusCode) -> Error {
    let when = try_again_at(SystemTime::now(), wait);
    let message = format!(
        "the server answered {} and asks to wait {}s (`Retry-After`), longer than the {cap:?} the runtime waits; try again {when}, or raise the cap with `Runtime::builder().retry_after_cap(..)`",
        status.as_u16(),
        wait.as_secs()
    );
    Error::new(ErrorKind::RateLimited, message).with_retry_after(wait).with_status(status.as_u16())
}

/// When to try again, `wait` after `now`: `after` an HTTP date, or `later` where no
/// HTTP date can say it (four digits of year from 1970: a clock set before 1970, a
/// wait past 9999; `fmt_http_date` panics outside them).
fn try_again_at(now: SystemTime, wait: Duration) -> String {
    let dates = SystemTime::UNIX_EPOCH..=SystemTime::UNIX_EPOCH + LAST_HTTP_DATE;
    match now.checked_add(wait).filter(|at| dates.contains(at)) {
        Some(at) => format!("after {}", httpdate::fmt_http_date(at)),
        None => "later".to_string(),
    }
}

/// The most a body's buffer reserves from its `Content-Length` before the bytes
/// arrive; a longer body grows it as it is read.
const BODY_RESERVED_UP_FRONT: usize = 1 << 20;

/// One attempt's exchange: the response to `sending` and its whole body, read chunk
/// by chunk; stops with `BodyTooLarge` as soon as the body passes the cap. The
/// caller bounds it by `timeout`, which its errors name, and finds the status in
/// `progress` as soon as it arrives.
#[allow(clippy::manual_async_fn)] // see the module's doc
fn exchange<'a>(
    shared: &'a Shared,
    sending: impl Future<Output = reqwest::Result<reqwest::Response>> + Send + 'a,
    timeout: Duration,
    progress: &'a Progress,
) -> impl Future<Output = Result<Answer>> + Send + 'a {
    async move {
        let mut response = sending.await.map_err(|error| from_reqwest(error, shared.connect_timeout, timeout))?;
        let status = response.status();
        progress.answered(status);
        let length = response.content_length();
        if length.is_some_and(|length| length > shared.max_body_bytes as u64) {
            return Err(body_too_large(shared.max_body_bytes, status));
        }
        // the declared length, up to a bound: a server may claim more than it sends
        let reserved = length.map_or(0, |length| length.min(BODY_RESERVED_UP_FRONT as u64) as usize);
        let mut body = Vec::with_capacity(reserved);
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|error| from_reqwest(error, shared.connect_timeout, timeout).with_status(status.as_u16()))?
        {
            if body.len() + chunk.len() > shared.max_body_bytes {
                return Err(body_too_large(shared.max_body_bytes, status));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Answer { status, headers: std::mem::take(response.headers_mut()), body })
    }
}

/// The error of a `status` answer whose body is larger than `cap` bytes.
fn body_too_large(cap: usize, status: StatusCode) -> Error {
    let message = format!("the response body is larger than the {cap} bytes allowed; raise the cap with `Runtime::builder().max_body_bytes(..)` or ask the API for less (paging, filters)");
    Error::new(ErrorKind::BodyTooLarge, message).with_status(status.as_u16())
}

/// The request of `outgoing` with its attempt's `url` and `headers`, which it takes
/// (a `RequestBuilder` would copy the headers one by one). As that builder does, user
/// info in the URL becomes Basic auth, unless auth set an `Authorization` header
/// (its credentials told to `redactor` again).
fn reqwest_request(outgoing: &Outgoing, mut url: Url, mut headers: HeaderMap, redactor: &Redactor) -> reqwest::Request {
    if let Some(basic) = basic::take_url_user_info(&mut url, redactor) {
        headers.entry(AUTHORIZATION).or_insert(basic);
    }
    let mut request = reqwest::Request::new(outgoing.method.clone(), url);
    *request.headers_mut() = headers;
    *request.body_mut() = outgoing.body.as_ref().map(|body| body.bytes.clone().into());
    request
}

/// What the log keeps of one attempt.
struct Attempt<'a> {
    number: u32,
    started: Instant,
    /// The redactor of the call's API.
    redactor: &'a Redactor,
    /// The headers of the request, as [`Shown`]; none when nothing was prepared.
    request_headers: ShownHeaders,
    /// The response, when one came back.
    answer: Option<&'a Answer>,
    /// Why the attempt failed, also with an answer (one asking to wait too long).
    error: Option<&'a Error>,
    /// Whether and when the attempt is retried, for the log.
    note: Option<&'a str>,
}

/// Adds the log entry of one attempt, cleaned of secrets under one read of them.
fn record(handle: &ApiHandle, context: &Context, attempt: Attempt<'_>) {
    let cleaner = attempt.redactor.cleaner();
    let name = |value: &Option<Cow<'static, str>>| value.clone().unwrap_or(Cow::Borrowed("<unknown>"));
    let status = attempt.answer.map(|answer| answer.status.as_u16()).or_else(|| attempt.error?.status());
    let response_headers =
        attempt.answer.map_or_else(ShownHeaders::default, |answer| ShownHeaders::of(&answer.headers, &cleaner));
    let failure = attempt.error.map(|error| Box::new((cleaner.text(&error.to_string()), error.kind())));
    let call = CallRecord {
        // set when stored
        timestamp: SystemTime::UNIX_EPOCH,
        api: name(&context.api),
        operation: name(&context.operation),
        method: context.method,
        url: context.url.clone(),
        status,
        duration: attempt.started.elapsed(),
        attempt: attempt.number,
        failure,
        retry: attempt.note.map(|note| cleaner.text(note).into_boxed_str()),
        request_headers: attempt.request_headers,
        response_headers,
    };
    drop(cleaner);
    handle.log.push_call(call);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn try_again_at_shows_a_date_only_where_http_dates_reach() {
        let epoch = SystemTime::UNIX_EPOCH;
        assert_eq!(try_again_at(epoch, Duration::from_secs(60)), "after Thu, 01 Jan 1970 00:01:00 GMT");
        let before_1970 = epoch - Duration::from_secs(86_400);
        assert_eq!(try_again_at(before_1970, Duration::from_secs(60)), "later");
        assert_eq!(try_again_at(epoch, LAST_HTTP_DATE + Duration::from_secs(1)), "later");
        assert_eq!(try_again_at(epoch, Duration::MAX), "later");
    }
}
