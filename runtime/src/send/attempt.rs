//! One attempt: answered by the mocks, or authenticated, sent and its capped body read.

use std::borrow::Cow;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use conv_api_definitions::{Api, Auth, Operation};
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, CONTENT_LENGTH, USER_AGENT};
use reqwest::StatusCode;
use url::Url;

use crate::auth::{basic, AuthTarget, Credentials, TokenIdentity};
use crate::conversation::ApiHandle;
use crate::deadline::deadline_after;
use crate::error::{from_reqwest, timed_out, timed_out_before_sending, timed_out_unanswered, Error, ErrorKind, Result};
use crate::http::header_text::sent_text;
use crate::http::proxy::{environment_proxy, ProxyRoute};
use crate::log::{Reading, ShownHeaders};
use crate::mocks::{RecordedCall, Reply};
use crate::redact::Redactor;
use crate::request::url_build::check_length_with_api_key;
use crate::request::Body;
use crate::response::Answer;
use crate::runtime::Shared;
use crate::secrets::needed_secrets;

use super::cancel::{AnswerHead, Progress, Reached};
use super::prepare::not_configured;
use super::Prepared;

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

/// What one attempt brought back, the request as the log shows it, the OAuth 2.0
/// token it carried, and whether a mock rule answered it in place of the API.
pub(super) struct Sent {
    pub(super) outcome: Result<Answer>,
    pub(super) shown: Shown,
    pub(super) token: Option<TokenIdentity>,
    pub(super) mocked: bool,
    /// Why no mock rule of its operation answered an attempt loose mocks passed on to
    /// the API, for its error, should it fail; starts `; `.
    pub(super) passed_on: Option<Box<str>>,
}

impl Sent {
    /// The end of an attempt that sent no request to the API (refused before, or
    /// answered by the mocks): `outcome`, with the request as `outgoing` holds it.
    fn unsent(outcome: Result<Answer>, outgoing: &Outgoing, redactor: &Redactor) -> Sent {
        let shown = Shown::of(&outgoing.url, &outgoing.headers, redactor);
        Sent { outcome, shown, token: None, mocked: false, passed_on: None }
    }
}

/// The URL and headers of an attempt as the log and errors may show them.
pub(super) struct Shown {
    pub(super) url: Arc<str>,
    pub(super) headers: ShownHeaders,
    /// The generation of the known secrets they were cleaned of.
    pub(super) generation: u64,
}

impl Shown {
    /// `url` and `headers` cleaned through `redactor`, as they may be shown now.
    pub(super) fn of(url: &Url, headers: &HeaderMap, redactor: &Redactor) -> Shown {
        let cleaner = redactor.cleaner();
        let (url, headers) =
            (cleaner.shown_url(url).as_ref().into(), ShownHeaders::of(headers, Reading::Sent, &cleaner));
        Shown { url, headers, generation: cleaner.generation() }
    }

    /// Cleaned again, when a secret became known after they were shown (another call
    /// read it while this attempt was in flight): before the URL goes into the
    /// response, an error or the log.
    pub(super) fn cleaned(self, redactor: &Redactor) -> Shown {
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
#[allow(
    clippy::manual_async_fn,
    reason = "an `async fn` would keep its arguments twice in every call's future (see `send`'s module doc)"
)]
pub(super) fn send_once<'a>(
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
        let done = |outcome| Sent::unsent(outcome, outgoing, redactor);
        // the HTTP client, the timers and the token requests are tokio's: outside a
        // tokio runtime they would panic
        if tokio::runtime::Handle::try_current().is_err() {
            return done(Err(outside_tokio()));
        }
        let mut passed_on = None;
        if shared.mocks.is_some() {
            // to the mocks; sent on to the API, should no rule answer it
            progress.mark(Reached::Mocks);
            // boxed: only tests install mocks, and their future would size every call's
            match Box::pin(mocked(handle, (api, op), prepared, redactor, progress)).await {
                Mocked::Answered(outcome) => return Sent { mocked: true, ..done(outcome) },
                Mocked::Refused(error) => return done(Err(error)),
                Mocked::PassedOn(note) => passed_on = note,
            }
            progress.mark(Reached::Nowhere);
        }
        if prepared.unconfigured {
            return Sent { passed_on, ..done(Err(not_configured(shared, api, target.config))) };
        }
        if let Some(problem) = shared.proxy_routes.unusable_proxy(&outgoing.url) {
            return Sent { passed_on, ..done(Err(Error::new(ErrorKind::Config, problem))) };
        }
        // the attempt's timeout bounds it all: a wait for an OAuth 2.0 token, then the exchange
        let deadline = deadline_after(outgoing.timeout);
        let credentials = match shared.auth.apply(target, outgoing, deadline).await {
            Ok(credentials) => credentials,
            Err(error) => return Sent { passed_on, ..done(Err(error)) },
        };
        // in a block, so that the credentials, request and client take no room across the last await
        let (token, sending) = match authenticated(shared, target, outgoing, credentials, redactor) {
            // a store that blocks (for credentials, or a `tls:` client's first build) may
            // have used the attempt's time up before anything is sent
            Authenticated::Ready(_) if deadline.is_some_and(|deadline| tokio::time::Instant::now() >= deadline) => {
                let error = out_of_time_before_sending(shared, target, outgoing.timeout, deadline);
                return Sent { passed_on, ..done(Err(error)) };
            }
            Authenticated::Ready(Ready { shown, token, client, request }) => {
                // where the log finds it, should the attempt not finish
                progress.sending(shown);
                let sent_to = fingerprint(request.url());
                (token, (sent_to, client.execute(request)))
            }
            Authenticated::Ended(sent) => return Sent { passed_on, ..sent },
        };
        // the runtime's timer rather than reqwest's per-request one, which costs three allocations
        let (sent_to, sending) = sending;
        let exchanged = exchange(shared, sending, sent_to, outgoing.timeout, progress);
        // matched here rather than through `until`: the exchange's future, large, is moved once
        let answer = match deadline {
            Some(deadline) => tokio::time::timeout_at(deadline, exchanged).await.ok(),
            None => Some(exchanged.await),
        };
        let outcome = match answer {
            Some(answer) => answer,
            // the body may be what was slow: the status that arrived is kept
            None => Err(out_of_time(shared, &outgoing.url, outgoing.timeout, progress.status())),
        };
        // put there above: the prepared request only stands in for what is always found
        let shown = progress.take_request().unwrap_or_else(|| Shown::of(&outgoing.url, &outgoing.headers, redactor));
        Sent { outcome, shown, token, mocked: false, passed_on }
    }
}

/// The error of an attempt to `url` that ran out of `timeout`, with the `status` that
/// arrived, if one did (the body may be what was slow), naming the proxy on the way
/// where it may be what never answered: a plain `http` request's, which answers for
/// the API; an `https` request's, when no status came within a timeout no longer than
/// the connect timeout, the tunnel it opens then not known to be open.
fn out_of_time(shared: &Shared, url: &Url, timeout: Duration, status: Option<u16>) -> Error {
    let error = match status {
        Some(status) => timed_out(timeout).with_status(status),
        None => timed_out_unanswered(timeout, shared.connect_timeout),
    };
    let note = match shared.proxy_routes.route(url) {
        Some(ProxyRoute::Forwarded(variable)) => format!(
            "; the request went through {}, which answers for the API: check that the proxy is up and reaches the host, or list the host in `NO_PROXY`",
            environment_proxy(variable)
        ),
        Some(ProxyRoute::Tunnelled(variable)) if status.is_none() && timeout <= shared.connect_timeout => format!(
            "; the connection goes through a tunnel of {}, which may not have opened it: check that the proxy is up and lets the host through, or list the host in `NO_PROXY`",
            environment_proxy(variable)
        ),
        _ => return error,
    };
    error.with_note(&note)
}

/// The error of an attempt whose `deadline`, `timeout` after it started, passed
/// while its credentials were made ready for `target`.
fn out_of_time_before_sending(
    shared: &Shared,
    target: &AuthTarget<'_>,
    timeout: Duration,
    deadline: Option<tokio::time::Instant>,
) -> Error {
    let late =
        deadline.map_or(Duration::ZERO, |deadline| tokio::time::Instant::now().saturating_duration_since(deadline));
    // the store is read for credentials, and for `tls:` secrets when the client is built
    let reads_store = target.config.is_some_and(|config| !needed_secrets(config).is_empty());
    let store = reads_store.then(|| shared.auth.store().describe());
    let oauth = target.config.is_some_and(|config| matches!(config.auth, Auth::OAuth2(_)));
    timed_out_before_sending(timeout, timeout + late, store.as_deref(), oauth)
}

/// The error of a call awaited where no tokio runtime runs; nothing was sent.
fn outside_tokio() -> Error {
    Error::new(
        ErrorKind::Config,
        "the call was awaited outside a tokio runtime, whose HTTP client and timers it needs; \
         await it in `#[tokio::main]`, `#[tokio::test]`, a tokio task or `Handle::block_on(..)`",
    )
}

/// An attempt with its credentials: ready to send, or ended before.
enum Authenticated<'a> {
    Ready(Ready<'a>),
    Ended(Sent),
}

/// An attempt's request with its credentials, ready to send.
struct Ready<'a> {
    /// The request as the log shows it.
    shown: Shown,
    /// The OAuth 2.0 token it carries.
    token: Option<TokenIdentity>,
    /// The environment's client.
    client: Cow<'a, reqwest::Client>,
    request: reqwest::Request,
}

/// The request of `outgoing` with `credentials` added to its own URL and headers,
/// and the client of the environment that sends it; or the attempt's end, when it
/// cannot be sent.
fn authenticated<'a>(
    shared: &'a Shared,
    target: &AuthTarget<'_>,
    outgoing: &Outgoing,
    credentials: Option<Credentials>,
    redactor: &Redactor,
) -> Authenticated<'a> {
    let (mut url, mut headers) = (outgoing.url.clone(), outgoing.headers.clone());
    let token = credentials.and_then(|credentials| credentials.add_to(&mut url, &mut headers));
    // as reqwest's request builder does, user info in the URL becomes Basic auth,
    // unless auth set an `Authorization` header (its credentials told to the
    // redactor again); before the request is shown, so that the log has it masked
    if let Some(basic) = basic::take_url_user_info(&mut url, redactor) {
        headers.entry(AUTHORIZATION).or_insert(basic);
    }
    if let Err(error) = check_length_with_api_key(&url) {
        return Authenticated::Ended(Sent::unsent(Err(error), outgoing, redactor));
    }
    let shown = Shown::of(&url, &headers, redactor);
    // the environment's client (its `tls:` settings, read only when a request is
    // really sent, so mocks need no TLS secrets, nor a plain `http` URL, such as a
    // local server's in place of the base URL: redirects keep the origin)
    let client = shared.clients.current().and_then(|own| match url.scheme() {
        "http" => Ok(own),
        _ => shared.tls.client(own, target.api, shared.environment, target.config),
    });
    match client {
        Ok(client) => {
            Authenticated::Ready(Ready { shown, token, client, request: reqwest_request(outgoing, url, headers) })
        }
        Err(error) => Authenticated::Ended(Sent { outcome: Err(error), shown, token, mocked: false, passed_on: None }),
    }
}

/// What the mocks make of an attempt.
enum Mocked {
    /// A rule answered it: the response, or the failure the rule plays.
    Answered(Result<Answer>),
    /// Strict mocks had no rule for it, or a rule of its API is wrong.
    Refused(Error),
    /// No rule answered it and the mocks are not strict (or there are none): it goes to
    /// the API; with why its operation's rules did not answer, when it has some.
    PassedOn(Option<Box<str>>),
}

/// What the mocks make of this attempt; the head of an answer whose body is over
/// the cap is left in `progress`, as a server's is.
async fn mocked(
    handle: &ApiHandle,
    (api, op): (&Api, &Operation),
    prepared: &Prepared,
    redactor: &Redactor,
    progress: &Progress,
) -> Mocked {
    let Some(mocks) = handle.shared.mocks.as_ref() else {
        return Mocked::PassedOn(None);
    };
    let outgoing = &prepared.outgoing;
    let mut call = RecordedCall::new(api.name(), op.name(), redactor);
    call.path = prepared.path.clone();
    call.query = outgoing.url.query_pairs().map(|(name, value)| (name.into_owned(), value.into_owned())).collect();
    call.headers = recorded_headers(&outgoing.headers, &handle.shared.user_agent);
    call.body = outgoing.body.as_ref().map(|body| String::from_utf8_lossy(&body.bytes).into_owned());
    let answer = match mocks.answer(call, &handle.definitions, redactor) {
        Ok(Reply::Answer(answer)) => answer,
        Ok(Reply::PassOn(note)) => return Mocked::PassedOn(note),
        Err(error) => return Mocked::Refused(error),
    };
    let answer = answer.play(outgoing.timeout).await.and_then(|(status, headers, body)| {
        // the same cap as a real answer's (RELIABILITY 23)
        if body.len() > handle.shared.max_body_bytes {
            progress.answered(status, AnswerHead { headers, redirected_to: None });
            return Err(body_too_large(handle.shared.max_body_bytes, status));
        }
        Ok(Answer { status, reason: None, headers, body, redirected_to: None })
    });
    Mocked::Answered(answer)
}

/// The headers of a call the mocks answer, as a server would get them before auth:
/// with the runtime's `user_agent` unless the call set one.
fn recorded_headers(headers: &HeaderMap, user_agent: &HeaderValue) -> Vec<(String, String)> {
    let text = |value: &HeaderValue| sent_text(value.as_bytes()).into_owned();
    let mut recorded: Vec<(String, String)> =
        headers.iter().map(|(name, value)| (name.as_str().to_string(), text(value))).collect();
    if !headers.contains_key(USER_AGENT) {
        recorded.push((USER_AGENT.as_str().to_string(), text(user_agent)));
    }
    recorded
}

/// The most a body's buffer reserves from its `Content-Length` before the bytes
/// arrive; a longer body grows it as it is read.
const BODY_RESERVED_UP_FRONT: usize = 1 << 20;

/// One attempt's exchange: the response to `sending` and its whole body, read chunk
/// by chunk; stops with `BodyTooLarge` as soon as the body passes the cap. The
/// caller bounds it by `timeout`, which its errors name, and finds the status in
/// `progress` as soon as it arrives.
#[allow(
    clippy::manual_async_fn,
    reason = "an `async fn` would keep its arguments twice in every call's future (see `send`'s module doc)"
)]
fn exchange<'a>(
    shared: &'a Shared,
    sending: impl Future<Output = reqwest::Result<reqwest::Response>> + Send + 'a,
    sent_to: u64,
    timeout: Duration,
    progress: &'a Progress,
) -> impl Future<Output = Result<Answer>> + Send + 'a {
    async move {
        // when first polled: reqwest's future sends nothing before (a tokio runtime
        // without timers panics between, in the attempt's timeout)
        progress.mark(Reached::Api);
        let connect = (shared.connect_timeout, &*shared.proxy_routes);
        let mut response = sending.await.map_err(|error| from_reqwest(error, connect, timeout, None))?;
        let status = response.status();
        // an answer from another URL than the one sent: a redirect was followed
        let redirected_to = (fingerprint(response.url()) != sent_to).then(|| Box::new(response.url().clone()));
        // tabs, spaces and visible ASCII, which hyper checked (it drops a phrase with
        // obs-text); a blank one is none
        let reason = response.extensions().get::<hyper::ext::ReasonPhrase>().and_then(|reason| {
            let reason = String::from_utf8_lossy(reason.as_bytes());
            (!reason.trim().is_empty()).then(|| reason.trim().into())
        });
        // kept where the log finds them, should the body not arrive whole
        progress.answered(status, AnswerHead { headers: std::mem::take(response.headers_mut()), redirected_to });
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
            .map_err(|error| from_reqwest(error, connect, timeout, Some(status)).with_status(status.as_u16()))?
        {
            if body.len() + chunk.len() > shared.max_body_bytes {
                return Err(body_too_large(shared.max_body_bytes, status));
            }
            body.extend_from_slice(&chunk);
        }
        let AnswerHead { headers, redirected_to } = progress.take_head().unwrap_or_default();
        Ok(Answer { status, reason, headers, body, redirected_to })
    }
}

/// A hash of `url`, to tell whether an answer came from the URL sent without keeping
/// a copy of it for every call.
fn fingerprint(url: &Url) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::default().hash_one(url.as_str())
}

/// The error of an answer of status `code` whose body is larger than `cap` bytes: for
/// an error status, the status is what matters, not the page that came with it. The
/// status's standard reason, not the server's phrase, which is its text to clean of
/// secrets, as `raise_for_status` does, and no redactor is at hand here.
pub(super) fn body_too_large(cap: usize, code: StatusCode) -> Error {
    let raise = "`Runtime::builder().max_body_bytes(..)`";
    // `StatusCode`'s own text says `<unknown status code>` for a code without a name
    let status = match code.canonical_reason() {
        Some(reason) => format!("{} {reason}", code.as_u16()),
        None => code.as_u16().to_string(),
    };
    let message = match code.is_client_error() || code.is_server_error() {
        true => format!("the server answered {status}, an error, with a body larger than the {cap} bytes allowed (most often an error page): the status says what went wrong; raise the cap with {raise} only to read the body"),
        false => format!("the body of the server's {status} answer is larger than the {cap} bytes allowed; raise the cap with {raise} or ask the API for less (paging, filters)"),
    };
    Error::new(ErrorKind::BodyTooLarge, message).with_status(code.as_u16())
}

/// The request of `outgoing` with its attempt's `url` and `headers`, which it takes
/// (a `RequestBuilder` would copy the headers one by one).
fn reqwest_request(outgoing: &Outgoing, url: Url, mut headers: HeaderMap) -> reqwest::Request {
    // a request without a body says so, but for a GET, as `requests` does: the client
    // writes no length for an empty body, and some servers answer a POST without one
    // 411 Length Required
    let may_have_a_body = outgoing.method != reqwest::Method::GET;
    if may_have_a_body && outgoing.body.as_ref().is_none_or(|body| body.bytes.is_empty()) {
        headers.insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
    }
    let mut request = reqwest::Request::new(outgoing.method.clone(), url);
    *request.headers_mut() = headers;
    *request.body_mut() = outgoing.body.as_ref().map(|body| body.bytes.clone().into());
    request
}
