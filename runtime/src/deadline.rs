//! Waiting until a deadline that may be absent (a timeout too long to have one).

use std::future::Future;
use std::time::Duration;

use tokio::time::Instant;

/// The longest wait handed to tokio's timer: a century, which no call waits out. The
/// timer panics on a deadline within a millisecond of the latest `Instant`, which a
/// timeout of nearly `Duration::MAX` reaches; a longer wait is this one.
pub(crate) const LONGEST_WAIT: Duration = Duration::from_secs(100 * 365 * 24 * 60 * 60);

/// The deadline `timeout` from now; `None` (none at all) for one longer than
/// [`LONGEST_WAIT`].
pub(crate) fn deadline_after(timeout: Duration) -> Option<Instant> {
    (timeout <= LONGEST_WAIT).then(|| Instant::now() + timeout)
}

/// `future`'s output, or `None` once `deadline` passes first; with no deadline,
/// the output whenever it comes.
pub(crate) async fn until<F: Future>(deadline: Option<Instant>, future: F) -> Option<F::Output> {
    match deadline {
        Some(deadline) => tokio::time::timeout_at(deadline, future).await.ok(),
        None => Some(future.await),
    }
}
