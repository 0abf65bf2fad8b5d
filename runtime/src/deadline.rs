//! Waiting until a deadline that may be absent (a timeout too long to have one).

use std::future::Future;

use tokio::time::Instant;

/// `future`'s output, or `None` once `deadline` passes first; with no deadline,
/// the output whenever it comes.
pub(crate) async fn until<F: Future>(deadline: Option<Instant>, future: F) -> Option<F::Output> {
    match deadline {
        Some(deadline) => tokio::time::timeout_at(deadline, future).await.ok(),
        None => Some(future.await),
    }
}
