//! An attempt, or the wait before it, that the caller stops waiting for: logged as
//! cancelled when its future is dropped.

use std::sync::atomic::{AtomicU16, AtomicU8, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use tokio::time::Instant;
use url::Url;

use crate::conversation::ApiHandle;
use crate::error::{Error, ErrorKind};
use crate::redact::Redactor;
use crate::retry::shown_duration;

use super::attempt::Shown;
use super::prepare::call_context;
use super::record::{record, Attempt};
use super::Prepared;

/// An attempt under way, or the wait before it: logged as
/// [`Cancelled`](ErrorKind::Cancelled) if the call's future is dropped before it
/// finishes (the caller stopped waiting), so that every request the runtime may have
/// sent has its log entry, and a "retrying in" note is never the last word.
pub(super) struct Unfinished<'a> {
    pub(super) handle: &'a ApiHandle,
    pub(super) prepared: &'a Prepared,
    pub(super) redactor: &'a Redactor,
    pub(super) number: u32,
    pub(super) started: Instant,
    /// The attempt is under way; else the runtime waits before it.
    pub(super) sending: bool,
    /// How far the attempt got.
    pub(super) progress: Progress,
}

/// How far an attempt got: for its log entry should the call's future be dropped,
/// and for the status a timeout keeps.
#[derive(Default)]
pub(super) struct Progress {
    /// Where the attempt's request has gone, a [`Reached`]; before it goes, it waits
    /// for its credentials (an OAuth 2.0 token).
    reached: AtomicU8,
    /// The status of the answer whose head arrived (its body may still be read); 0
    /// before.
    pub(super) status: AtomicU16,
    /// What the log shows of the attempt should it not finish.
    unfinished: Mutex<Unlogged>,
}

/// What the log shows of an attempt that does not finish, kept while it is under way.
#[derive(Default)]
struct Unlogged {
    /// The request as it is sent, its credentials added (shown masked).
    request: Option<Shown>,
    /// The head of the answer that arrived, while its body is read: the log shows it
    /// should the body not arrive whole (cut off, too large, too slow, or no longer
    /// awaited).
    answer_head: Option<AnswerHead>,
}

/// What an answer's head tells the log: its headers, and where it came from when the
/// server redirected the request.
#[derive(Debug, Default)]
pub(crate) struct AnswerHead {
    pub(crate) headers: HeaderMap,
    /// Boxed: most answers come from where they were asked.
    pub(crate) redirected_to: Option<Box<Url>>,
}

/// Where an attempt's request has gone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub(super) enum Reached {
    /// Nowhere yet.
    Nowhere,
    /// A mock rule is answering it.
    Mocks,
    /// The server.
    Api,
}

impl Progress {
    /// The attempt's request has gone to `reached` (or back: the mocks passed it on).
    pub(super) fn mark(&self, reached: Reached) {
        self.reached.store(reached as u8, Ordering::Relaxed);
    }

    pub(super) fn reached(&self) -> Reached {
        match self.reached.load(Ordering::Relaxed) {
            1 => Reached::Mocks,
            2 => Reached::Api,
            _ => Reached::Nowhere,
        }
    }

    /// The request is sent as `shown`, kept until the attempt ends.
    pub(super) fn sending(&self, shown: Shown) {
        self.unlogged().request = Some(shown);
    }

    /// The request as it was sent, taken back; none before it was sent or once taken.
    pub(super) fn take_request(&self) -> Option<Shown> {
        self.unlogged().request.take()
    }

    /// The head of the answer arrived: its `status`, and its `head`, kept until its body is read.
    pub(super) fn answered(&self, status: StatusCode, head: AnswerHead) {
        self.status.store(status.as_u16(), Ordering::Relaxed);
        self.unlogged().answer_head = Some(head);
    }

    /// The head of the answer that arrived, taken back; none before it arrived or
    /// once taken.
    pub(super) fn take_head(&self) -> Option<AnswerHead> {
        self.unlogged().answer_head.take()
    }

    fn unlogged(&self) -> std::sync::MutexGuard<'_, Unlogged> {
        self.unfinished.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The status of the answer whose head arrived, if one did.
    pub(super) fn status(&self) -> Option<u16> {
        Some(self.status.load(Ordering::Relaxed)).filter(|&status| status != 0)
    }
}

impl<'a> Unfinished<'a> {
    /// Attempt `number`, being sent from now.
    pub(super) fn sending(handle: &'a ApiHandle, prepared: &'a Prepared, redactor: &'a Redactor, number: u32) -> Self {
        Unfinished::new(handle, prepared, redactor, number, true)
    }

    /// The wait before attempt `number`, from now.
    pub(super) fn waiting(handle: &'a ApiHandle, prepared: &'a Prepared, redactor: &'a Redactor, number: u32) -> Self {
        Unfinished::new(handle, prepared, redactor, number, false)
    }

    fn new(handle: &'a ApiHandle, prepared: &'a Prepared, redactor: &'a Redactor, number: u32, sending: bool) -> Self {
        let started = Instant::now();
        Unfinished { handle, prepared, redactor, number, started, sending, progress: Progress::default() }
    }

    /// The attempt (logged by its caller) or the wait finished; when it started, and
    /// the head (status, headers, where it came from) of an answer whose body did not
    /// arrive whole.
    pub(super) fn finish(self) -> (Instant, Option<AnswerHead>) {
        let Unlogged { answer_head, .. } = std::mem::take(&mut *self.progress.unlogged());
        // with its request and headers taken, it holds only references, copies and an
        // empty lock: forgetting it frees nothing
        let started = self.started;
        std::mem::forget(self);
        (started, answer_head)
    }
}

/// What the log says of an attempt dropped `elapsed` after its start: while the body of a
/// `status` answer was read, or, `sending` it or not, how far it had `reached`. A
/// panic unwinding the task (agent code beside the call, or a store's code within
/// it) drops the future too: said so.
fn cancelled_message(elapsed: Duration, status: Option<u16>, sending: bool, reached: Reached) -> String {
    let after = shown_duration(elapsed);
    let panicking = std::thread::panicking();
    let stopped = if panicking {
        format!("a panic unwinding the caller's task dropped the call's future after {after}")
    } else {
        format!("the caller stopped waiting after {after} (the call's future was dropped)")
    };
    if let Some(status) = status {
        format!("{stopped} while the body of the server's {status} answer was read")
    } else if sending && reached == Reached::Api {
        format!("{stopped}; the request may have reached the server")
    } else if sending && reached == Reached::Mocks {
        format!("{stopped} while a mock rule answered it (its `delay`); nothing reached the server")
    } else if sending && panicking {
        format!("{stopped}, before this attempt was sent")
    } else if sending {
        format!("{stopped} while this attempt waited for its credentials (an OAuth 2.0 token); it was not sent")
    } else {
        format!("{stopped} during the wait before this attempt; this attempt was not sent")
    }
}

impl Drop for Unfinished<'_> {
    fn drop(&mut self) {
        let mut context = call_context(self.handle, self.prepared.operation);
        let outgoing = &self.prepared.outgoing;
        // as sent, with its credentials, once it was; else as prepared
        let shown = match self.progress.take_request() {
            Some(sent) => sent.cleaned(self.redactor),
            None => Shown::of(&outgoing.url, &outgoing.headers, self.redactor),
        };
        context.url = Some(shown.url);
        let status = self.progress.status();
        let head = self.progress.take_head();
        let reached = self.progress.reached();
        let message = cancelled_message(self.started.elapsed(), status, self.sending, reached);
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
            head: head.as_ref(),
            error: Some(&error),
            note: None,
            mocked: self.sending && reached == Reached::Mocks,
        };
        record(self.handle, &context, attempt);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dropped_attempt_says_how_far_it_got() {
        let second = Duration::from_secs(1);
        let told = |status, sending, reached| cancelled_message(second, status, sending, reached);
        let stopped = "the caller stopped waiting after 1s (the call's future was dropped)";
        let cases = [
            (told(Some(200), true, Reached::Api), " while the body of the server's 200 answer was read"),
            (told(None, true, Reached::Api), "; the request may have reached the server"),
            (
                told(None, true, Reached::Mocks),
                " while a mock rule answered it (its `delay`); nothing reached the server",
            ),
            (
                told(None, true, Reached::Nowhere),
                " while this attempt waited for its credentials (an OAuth 2.0 token); it was not sent",
            ),
            (told(None, false, Reached::Nowhere), " during the wait before this attempt; this attempt was not sent"),
        ];
        for (message, ending) in cases {
            assert_eq!(message, format!("{stopped}{ending}"));
        }
    }
}
