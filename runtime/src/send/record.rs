//! The log entry of one attempt.

use std::borrow::Cow;
use std::time::SystemTime;

use tokio::time::Instant;

use crate::conversation::ApiHandle;
use crate::error::{Context, Error};
use crate::log::{failure_text, CallRecord, Reading, ShownHeaders};
use crate::redact::Redactor;

use super::cancel::AnswerHead;
use crate::response::Answer;

/// What the log keeps of one attempt.
pub(super) struct Attempt<'a> {
    pub(super) number: u32,
    /// On tokio's clock, which the attempt's timeout and a mock's delay run on (a
    /// test's paused clock too).
    pub(super) started: Instant,
    /// The redactor of the call's API.
    pub(super) redactor: &'a Redactor,
    /// The headers of the request, as [`Shown`](super::attempt::Shown); none when nothing was prepared.
    pub(super) request_headers: ShownHeaders,
    /// The response, when one came back.
    pub(super) answer: Option<&'a Answer>,
    /// Without one, the head of an answer whose body did not arrive whole.
    pub(super) head: Option<&'a AnswerHead>,
    /// Why the attempt failed, also with an answer (one asking to wait too long).
    pub(super) error: Option<&'a Error>,
    /// Whether and when the attempt is retried, for the log.
    pub(super) note: Option<&'a str>,
    /// A mock rule answered the attempt, not the API.
    pub(super) mocked: bool,
}

/// Adds the log entry of one attempt, cleaned of secrets under one read of them.
pub(super) fn record(handle: &ApiHandle, context: &Context, attempt: Attempt<'_>) {
    let cleaner = attempt.redactor.cleaner();
    let name = |value: &Option<Cow<'static, str>>| value.clone().unwrap_or(Cow::Borrowed("<unknown>"));
    let status = attempt.answer.map(|answer| answer.status.as_u16()).or_else(|| attempt.error?.status());
    let response_headers = attempt.answer.map(|answer| &answer.headers).or(attempt.head.map(|head| &head.headers));
    let redirected_to = match attempt.answer {
        Some(answer) => answer.redirected_to.as_deref(),
        None => attempt.head.and_then(|head| head.redirected_to.as_deref()),
    };
    let response_headers = response_headers
        .map_or_else(ShownHeaders::default, |headers| ShownHeaders::of(headers, Reading::Received, &cleaner));
    let failure = attempt.error.map(|error| {
        // the entry names the call (API, operation, method, URL) already
        let text = failure_text(error.kind(), error.message(), &cleaner).into_owned();
        Box::new((text, error.kind()))
    });
    let call = CallRecord {
        // set when stored
        timestamp: SystemTime::UNIX_EPOCH,
        api: name(&context.api),
        operation: name(&context.operation),
        method: context.method,
        url: context.url.clone(),
        redirected_to: redirected_to.map(|url| cleaner.shown_url(url).into()),
        status,
        duration: attempt.started.elapsed(),
        attempt: attempt.number,
        failure,
        retry: attempt.note.map(|note| cleaner.text(note).into_boxed_str()),
        request_headers: attempt.request_headers,
        response_headers,
        mocked: attempt.mocked,
    };
    drop(cleaner);
    handle.log.push_call(call);
}
