//! An HTTP client for each tokio runtime a `Runtime`'s requests run on: the calls'
//! client, each `tls:` setting's, and the token endpoints'.
//!
//! A pooled connection is a task of the tokio runtime that opened it. Reused by a call
//! on another tokio runtime, it fails that call when its own runtime shuts down ("runtime
//! dropped the dispatch task"), as tests sharing a `static` `Runtime`, each on a tokio
//! runtime of its own, would see. So each tokio runtime gets a client, and a pool, of its
//! own: a server's one tokio runtime keeps the client built first. The
//! client of any other is kept while that tokio runtime lives: a task of the runtime's
//! own removes it when the runtime shuts down, as a runtime that shuts down drops its
//! tasks (the task ends with the client's entry too, so that a `Runtime` dropped
//! leaves no task behind).

use std::borrow::Cow;
use std::sync::{Arc, Mutex, OnceLock, PoisonError, Weak};

use arc_swap::ArcSwap;
use tokio::runtime::{Handle, Id};
use tokio::sync::oneshot;

use crate::error::Result;

/// The clients of one setting, one for each tokio runtime that made requests.
pub(crate) struct Clients {
    /// Built first (so that a setting it cannot take fails there, with its own
    /// message), and the client of the first tokio runtime that makes a request.
    first: reqwest::Client,
    first_owner: OnceLock<Id>,
    /// The clients of the living tokio runtimes after the first.
    others: Arc<ArcSwap<Vec<Owned>>>,
    /// Held while a client is made, so that concurrent first calls make one.
    building: Mutex<()>,
    build: Box<dyn Fn() -> Result<reqwest::Client> + Send + Sync>,
}

/// The client of a tokio runtime after the first.
#[derive(Clone)]
struct Owned {
    owner: Id,
    client: reqwest::Client,
    /// Dropped with the last copy of the entry, which ends the watching task.
    _watched: Arc<oneshot::Sender<()>>,
}

/// Removes the client of the tokio runtime `owner` from `others` when dropped, with
/// that runtime's tasks.
struct RemovedOnDrop {
    owner: Id,
    others: Weak<ArcSwap<Vec<Owned>>>,
}

impl Drop for RemovedOnDrop {
    fn drop(&mut self) {
        if let Some(others) = self.others.upgrade() {
            others.rcu(|others| others.iter().filter(|owned| owned.owner != self.owner).cloned().collect::<Vec<_>>());
        }
    }
}

impl Clients {
    /// A client of `build` now (its error is the caller's), and one for each further
    /// tokio runtime.
    pub(crate) fn new(build: impl Fn() -> Result<reqwest::Client> + Send + Sync + 'static) -> Result<Clients> {
        Ok(Clients::with_first(build()?, build))
    }

    /// `first`, and a client of `build` for each further tokio runtime.
    pub(crate) fn with_first(
        first: reqwest::Client,
        build: impl Fn() -> Result<reqwest::Client> + Send + Sync + 'static,
    ) -> Clients {
        Clients {
            first,
            first_owner: OnceLock::new(),
            others: Arc::default(),
            building: Mutex::default(),
            build: Box::new(build),
        }
    }

    /// The client of the tokio runtime running the caller (the first client outside one).
    pub(crate) fn current(&self) -> Result<Cow<'_, reqwest::Client>> {
        let Ok(handle) = Handle::try_current() else {
            return Ok(Cow::Borrowed(&self.first));
        };
        let id = handle.id();
        if *self.first_owner.get_or_init(|| id) == id {
            return Ok(Cow::Borrowed(&self.first));
        }
        let kept = |others: &[Owned]| others.iter().find(|owned| owned.owner == id).map(|owned| owned.client.clone());
        if let Some(client) = kept(&self.others.load()) {
            return Ok(Cow::Owned(client));
        }
        let _building = self.building.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(client) = kept(&self.others.load()) {
            return Ok(Cow::Owned(client));
        }
        let client = (self.build)()?;
        let (watched, entry_dropped) = oneshot::channel::<()>();
        let owned = Owned { owner: id, client: client.clone(), _watched: Arc::new(watched) };
        // added before the task that removes it starts: a runtime shutting down drops
        // that task at once
        self.others.rcu(|others| others.iter().cloned().chain([owned.clone()]).collect::<Vec<_>>());
        let removed = RemovedOnDrop { owner: id, others: Arc::downgrade(&self.others) };
        handle.spawn(async move {
            let _removed = removed;
            // never sent: the task waits until the entry goes, or the runtime drops it
            let _ = entry_dropped.await;
        });
        Ok(Cow::Owned(client))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clients() -> Clients {
        Clients::new(|| Ok(reqwest::Client::new())).unwrap()
    }

    fn on_new_tokio_runtime<T>(run: impl FnOnce() -> T) -> T {
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let _entered = runtime.enter();
        run()
    }

    #[test]
    fn the_first_tokio_runtime_keeps_the_first_client_and_each_other_gets_its_own() {
        let clients = clients();
        assert!(matches!(on_new_tokio_runtime(|| clients.current().unwrap()), Cow::Borrowed(_)));
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let entered = runtime.enter();
        assert!(matches!(clients.current().unwrap(), Cow::Owned(_)));
        assert_eq!(clients.others.load().len(), 1);
        let _again = clients.current().unwrap();
        assert_eq!(clients.others.load().len(), 1, "a tokio runtime's client is made once");
        drop(entered);
        assert!(matches!(clients.current().unwrap(), Cow::Borrowed(_)), "outside tokio: the first client");
    }

    #[test]
    fn the_task_watching_a_tokio_runtime_ends_with_the_clients() {
        let long_lived = tokio::runtime::Builder::new_current_thread().build().unwrap();
        for _ in 0..20 {
            let clients = clients();
            on_new_tokio_runtime(|| clients.current().unwrap());
            let _entered = long_lived.enter();
            let _ = clients.current().unwrap();
        }
        long_lived.block_on(tokio::task::yield_now());
        assert_eq!(long_lived.metrics().num_alive_tasks(), 0, "no task outlives its clients");
    }

    #[test]
    fn living_tokio_runtimes_keep_their_clients_and_those_that_shut_down_do_not() {
        let clients = clients();
        on_new_tokio_runtime(|| clients.current().unwrap());
        let living: Vec<_> = (0..40).map(|_| tokio::runtime::Builder::new_current_thread().build().unwrap()).collect();
        for _ in 0..3 {
            for runtime in &living {
                let _entered = runtime.enter();
                let _ = clients.current().unwrap();
            }
        }
        assert_eq!(clients.others.load().len(), 40, "one client each, kept while they live");
        for _ in 0..5 {
            on_new_tokio_runtime(|| clients.current().unwrap());
        }
        assert_eq!(clients.others.load().len(), 40, "those that shut down went with them");
        drop(living);
        assert!(clients.others.load().is_empty(), "{} clients left", clients.others.load().len());
    }
}
