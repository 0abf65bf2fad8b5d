//! The one request pipeline: resolve the environment, build the URL, apply auth,
//! send, read the capped body, and log every attempt.
//!
//! Every call, generated or dynamic, goes through [`send`]; nothing here is
//! generic, so each operation costs one small function in the user's binary.
//! [`prepare`](mod@prepare) checks the arguments and builds the request once; the
//! loop here replays and retries; [`attempt`] makes one attempt; [`cancel`] logs one
//! the caller stopped waiting for; [`record`](mod@record) writes an attempt's log entry.
//!
//! The steps that await return `impl Future` from one `async move` block instead of
//! being `async fn`s: an `async fn` keeps its arguments twice in its future (as
//! given and as moved into its body), and every call allocates the whole nest of
//! futures, so each byte of it is paid by every call, in memory and in cache.

mod attempt;
mod cancel;
mod prepare;
mod record;

pub(crate) use prepare::{base_url, not_read_back};

use std::future::Future;
use std::pin::Pin;
use std::time::SystemTime;

use conv_api_definitions::names::did_you_mean;
use conv_api_definitions::{Api, Auth, Definitions};
use reqwest::StatusCode;
use tokio::time::Instant;
use tracing::Instrument;

use crate::auth::{Replay, TokenIdentity};
use crate::conversation::ApiHandle;
use crate::deadline::LONGEST_WAIT;
use crate::error::{Context, Error, ErrorKind, Result};
use crate::log::ShownHeaders;
use crate::request::Builder;
use crate::response::{Advising, Answer, Response};
use crate::retry::{is_retryable_status, retry_after, Failure, Next, RateLimit, Retrier};
use crate::runtime::Shared;

use attempt::{send_once, Sent};
use cancel::{AnswerHead, Unfinished};
use prepare::{call_context, prepare, resolve};
use record::{record, Attempt};

pub(crate) use attempt::Outgoing;

/// Sends `request` and returns the response, logging every attempt.
///
/// The arguments are checked and the URL built before the future is made, so that
/// the future (boxed for every call) holds only what sending needs, once. The call's
/// `tracing` events go out in the span current here, when the request is first
/// polled (or `.send()` is called): also when it is then dropped. The call counts as
/// under way from here.
pub(crate) fn send(mut request: Builder) -> Pin<Box<dyn Future<Output = Result<Response>> + Send>> {
    let span = tracing::Span::current();
    let under_way = request.handle.log.call_under_way();
    let context = call_context(&request.handle, request.operation);
    let prepared = prepare(&mut request);
    // moved, not cloned: a clone would touch counts every conversation's calls share
    let handle = request.handle;
    match prepared {
        // the block uses what it captures in place: an `async fn` taking them would
        // hold a second copy of each across every await
        Ok(prepared) => {
            let mut context = context;
            let sending = async move {
                // dropped last, after the call's last entry is stored (also when cancelled)
                let _under_way = under_way;
                execute(&handle, &prepared, &mut context).await
            };
            Box::pin(sending.instrument(span))
        }
        // logged when awaited, as a sent call is: in the order of the conversation
        Err(error) => {
            let error = match resolve(&handle, request.operation) {
                Ok((api, _)) => with_override_hint(error, &handle.shared, &handle.definitions, api),
                Err(_) => error,
            };
            let refused = async move {
                let _under_way = under_way;
                // the names and messages of a refused call may hold what its caller passed
                let error = error.with_context(&context).cleaned(handle.log.redactor());
                let attempt = Attempt {
                    number: 1,
                    started: Instant::now(),
                    redactor: handle.log.redactor(),
                    request_headers: ShownHeaders::default(),
                    answer: None,
                    head: None,
                    error: Some(&error),
                    note: None,
                    mocked: false,
                };
                // the error's context: a dynamic call keeps the names it asked for there
                record(&handle, &error.context, attempt);
                Err(error)
            };
            Box::pin(refused.instrument(span))
        }
    }
}

/// A checked request: the operation, and the request before auth.
pub(super) struct Prepared {
    pub(super) operation: usize,
    pub(super) outgoing: Outgoing,
    /// Path variables and their values, for mocks (empty without mocks).
    pub(super) path: Vec<(String, String)>,
    /// The environment has no base URL: only mocks can answer (`mock://<api>` in the log).
    pub(super) unconfigured: bool,
}

/// Authenticates and sends, replaying once after a 401 when auth refreshed
/// credentials, and retrying transient failures of retry-safe operations.
#[allow(
    clippy::manual_async_fn,
    reason = "an `async fn` would keep its arguments twice in every call's future (see `send`'s module doc)"
)]
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
            let Sent { outcome, shown, token, mocked, passed_on } = sent;
            let shown = shown.cleaned(&redactor);
            let (started, head) = unfinished.finish();
            // no URL for the error that the API has no base URL: `mock://<api>` is only
            // where mocks answer it
            let not_configured = outcome.as_ref().is_err_and(|error| error.kind() == ErrorKind::NotConfigured);
            context.url = (!prepared.unconfigured || !not_configured).then_some(shown.url);
            // the error of an attempt loose mocks passed on says why none of its operation's rules answered
            let outcome = outcome.map_err(|error| {
                let error = error.with_context(context);
                match &passed_on {
                    Some(note) => error.with_note(note),
                    None => error,
                }
            });
            let method = prepared.outgoing.method.as_str();
            let Decision { next, replay, note } =
                decide(shared, (&outcome, head.as_ref()), mocked, &mut retrier, &mut replayed, token, method);
            // the last attempt's entry names a misspelt override, as the call's error will
            let hinted = match &outcome {
                Err(error) if !shared.base_urls.is_empty() && !replay && !matches!(next, Next::Retry { .. }) => {
                    Some(with_override_hint(error.clone(), shared, &handle.definitions, api))
                }
                _ => None,
            };
            let attempt = Attempt {
                number,
                started,
                redactor: &redactor,
                request_headers: shown.headers,
                answer: outcome.as_ref().ok(),
                head: head.as_ref(),
                error: hinted.as_ref().or(outcome.as_ref().err()),
                note: note.as_deref(),
                mocked,
            };
            record(handle, context, attempt);
            number += 1;
            if replay {
                continue;
            }
            if let Next::Retry { wait, .. } = next {
                drop(outcome);
                let waiting = Unfinished::waiting(handle, prepared, &redactor, number);
                tokio::time::sleep(wait.min(LONGEST_WAIT)).await;
                let _ = waiting.finish();
                continue;
            }
            let answer = outcome.map_err(|error| call_error(error, replayed, next, note, handle, api))?;
            // a wait longer than the runtime's is the caller's to know of, through the
            // response (`raise_for_status`): a non-2xx answer is a `Response`
            let rate_limit = match next {
                Next::RateLimited { wait, cap } => Some(RateLimit { wait, cap, answered: SystemTime::now() }),
                _ => None,
            };
            // `number` counts on from the attempt logged last
            let without_auth = config.is_none_or(|config| matches!(config.auth, Auth::None));
            // a plain `http` request goes to its proxy whole, so a 407 may be the proxy's;
            // an `https` one's came through the tunnel the proxy opened: looked up for that
            // status only, not for every answer
            let proxy = match answer.status {
                StatusCode::PROXY_AUTHENTICATION_REQUIRED if !mocked => {
                    shared.proxy_routes.route(&prepared.outgoing.url)
                }
                _ => None,
            };
            let advising = Advising { environment: shared.environment, without_auth, proxy };
            let context = std::mem::take(context);
            return Ok(Response::new(answer, context, redactor, rate_limit, number - 1, advising));
        }
    }
}

/// The error a call returns: its last attempt's, with what the retrier says of the
/// attempts (`note`), and that a 401 before it was replayed when it sent nothing.
fn call_error(error: Error, replayed: bool, next: Next, note: Option<String>, handle: &ApiHandle, api: &Api) -> Error {
    // an attempt that sent nothing may follow one that was sent: say so
    let unsent = error.nothing_sent() || error.kind() == ErrorKind::MissingSecret;
    let error = if replayed && unsent { error.with_note(AFTER_REPLAY_NOTE) } else { error };
    with_override_hint(with_attempts(error, next, note), &handle.shared, &handle.definitions, api)
}

/// What follows an attempt.
struct Decision {
    /// Retry, or return the outcome.
    next: Next,
    /// The outcome is a 401 sent again, with fresh credentials.
    replay: bool,
    /// The log's note on the attempt: why another follows, or why none does.
    note: Option<String>,
}

/// What follows an attempt with `outcome`, and the `head` of its answer when the body
/// did not arrive whole: a 401, whole or not (too large, cut off, too slow), is
/// replayed once (`replayed` says whether one was) when auth has fresh credentials to
/// send instead of `token`, and is the caller's otherwise; a mocked answer is the
/// call's; the retrier decides on any other.
fn decide(
    shared: &Shared,
    (outcome, head): (&Result<Answer>, Option<&AnswerHead>),
    mocked: bool,
    retrier: &mut Retrier<'_>,
    replayed: &mut bool,
    token: Option<TokenIdentity>,
    method: &str,
) -> Decision {
    let status = match outcome {
        Ok(answer) => Some(answer.status.as_u16()),
        Err(error) => error.status(),
    };
    let unauthorized = status == Some(StatusCode::UNAUTHORIZED.as_u16());
    if unauthorized && !*replayed && shared.auth.on_unauthorized(token) == Replay::Once {
        *replayed = true;
        retrier.replaying();
        return Decision { next: Next::Return, replay: true, note: Some(REPLAY_NOTE.to_string()) };
    }
    // any other 401 is the caller's, whole or not: a second one, or one that no fresh
    // credentials can mend, would be refused again
    let failure = if unauthorized { Failure::Final } else { failure(outcome, head) };
    let next = match mocked {
        // each call takes one rule's answer, as in the ADK: the agent sees what it scripts
        true => Next::after_mock(failure),
        false => retrier.next(failure),
    };
    Decision { next, replay: false, note: next.note(method) }
}

/// The log's note on a 401 that is sent again, once, with the OAuth 2.0 token asked
/// for again (the token server may give the same one back).
pub(crate) const REPLAY_NOTE: &str = "replaying once after a 401, with the token asked for again";

/// How a replay's note starts, in this version and those before it (`replaying once
/// with new credentials after a 401`), whose logs `conv-api review` reads too.
pub(crate) const REPLAYING: &str = "replaying";

/// What the error of an attempt that sent nothing says when an earlier attempt of the
/// call, sent, was answered 401 and replayed.
const AFTER_REPLAY_NOTE: &str =
    " (an earlier attempt of this call was sent, answered 401 and replayed; the server's 401 is in the log)";

/// What an attempt's outcome means for retrying: a retryable status (with its
/// `Retry-After`, also in the `head` of an answer whose body did not arrive whole) or a
/// transient error.
fn failure(outcome: &Result<Answer>, head: Option<&AnswerHead>) -> Failure {
    match outcome {
        Ok(answer) if is_retryable_status(answer.status.as_u16()) => {
            Failure::Transient(retry_after(&answer.headers, SystemTime::now()))
        }
        Err(error) if error.waited_out => Failure::TokenWaitedOut,
        // a retryable auth error is a token request's
        Err(error) if error.is_retryable() && error.kind() == ErrorKind::Auth => {
            Failure::TokenRequest(error.retry_after())
        }
        Err(error) if error.is_retryable() && error.nothing_sent() => Failure::Unsent,
        Err(error) if error.is_retryable() => {
            let asked = error.status().is_some_and(is_retryable_status);
            Failure::Transient(head.filter(|_| asked).and_then(|head| retry_after(&head.headers, SystemTime::now())))
        }
        _ => Failure::Final,
    }
}

/// The error of the last attempt, saying why it was not retried, and, when that was
/// for a wait past the cap (`Retry-After`), how long the server asked to wait.
fn with_attempts(error: Error, next: Next, note: Option<String>) -> Error {
    let error = match next {
        Next::RateLimited { wait, .. } => error.with_retry_after(wait),
        _ => error,
    };
    match (next, note) {
        (
            Next::AttemptsUsed { .. }
            | Next::BudgetSpent
            | Next::NotSafe
            | Next::RateLimited { .. }
            | Next::Mocked
            | Next::TokenWaitedOut,
            Some(note),
        ) => error.with_note(&format!("; {note}")),
        _ => error,
    }
}

/// The error of a call that could not reach the environment's base URL of `api`, or
/// found none, with the runtime's [`base_url`](crate::RuntimeBuilder::base_url)
/// override whose name is a likely misspelling of `api`'s: the `tracing` warning of it
/// goes unseen where no subscriber is set up, as in most tests.
pub(crate) fn with_override_hint(error: Error, shared: &Shared, definitions: &Definitions, api: &Api) -> Error {
    let overrides = &shared.base_urls;
    let so = match error.kind() {
        ErrorKind::NotConfigured => "",
        ErrorKind::Connect | ErrorKind::Timeout | ErrorKind::Tls | ErrorKind::Transport => {
            ", so this call went to the environment's base URL"
        }
        _ => return error,
    };
    if overrides.is_empty() || overrides.contains_key(api.name()) {
        return error;
    }
    let unmatched = |name: &&String| definitions.api(name).is_none();
    let misspelt = overrides.keys().filter(unmatched).find(|name| did_you_mean(name, [api.name()]).is_some());
    match misspelt {
        Some(name) => error.with_note(&format!(
            "; the runtime's `.base_url({name:?}, ..)` names no API (did you mean `{}`?){so}",
            api.name()
        )),
        None => error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_transient_failure_before_anything_was_sent_may_be_repeated_by_any_method() {
        let mut unsent = Error::new(ErrorKind::Transport, "closed").with_transient(true);
        unsent.unsent = true;
        assert!(matches!(failure(&Err(unsent), None), Failure::Unsent));
        let reset = Error::new(ErrorKind::Transport, "reset").with_transient(true);
        assert!(matches!(failure(&Err(reset), None), Failure::Transient(None)));
        let token_server_down = Error::new(ErrorKind::Auth, "down").with_transient(true);
        assert!(matches!(failure(&Err(token_server_down), None), Failure::TokenRequest(None)));
        let refused = Error::new(ErrorKind::Auth, "invalid_client");
        assert!(matches!(failure(&Err(refused), None), Failure::Final));
    }
}
