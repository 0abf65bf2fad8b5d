//! The calls of a conversation under way: counted from when a call's future is made
//! until it ends or is dropped, so that the conversation's end can wait for their
//! entries ([`Log::idle`](super::Log::idle)).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::sync::Notify;

/// How many calls of a log are under way, and the waiters for none to be.
#[derive(Default)]
pub(super) struct UnderWay {
    count: AtomicUsize,
    none_left: Notify,
}

impl UnderWay {
    /// How many calls are under way now.
    pub(super) fn count(&self) -> usize {
        self.count.load(Ordering::Acquire)
    }

    /// Waits until no call is under way; at once when none is.
    pub(super) async fn none_left(&self) {
        loop {
            // asked for before the count is read, so that a call ending in between wakes it
            let notified = self.none_left.notified();
            let mut notified = std::pin::pin!(notified);
            notified.as_mut().enable();
            if self.count() == 0 {
                return;
            }
            notified.await;
        }
    }
}

/// One call under way, counted while this lives.
pub(crate) struct CallUnderWay(Arc<super::LogInner>);

impl CallUnderWay {
    /// Counts a call of `log` under way.
    pub(super) fn start(log: &Arc<super::LogInner>) -> CallUnderWay {
        log.under_way.count.fetch_add(1, Ordering::AcqRel);
        CallUnderWay(Arc::clone(log))
    }
}

impl Drop for CallUnderWay {
    fn drop(&mut self) {
        let under_way = &self.0.under_way;
        if under_way.count.fetch_sub(1, Ordering::AcqRel) == 1 {
            under_way.none_left.notify_waiters();
        }
    }
}
