//! The runtime's HTTP client for each tokio runtime its calls run on.
//!
//! A pooled connection is a task of the tokio runtime that opened it. Reused by a call
//! on another tokio runtime, it fails that call when its own runtime shuts down ("runtime
//! dropped the dispatch task"), as tests sharing a `static` `Runtime`, each on a tokio
//! runtime of its own, would see. So each tokio runtime gets a client, and a pool, of its
//! own: a server's one tokio runtime keeps the client built with the `Runtime`.

use std::borrow::Cow;
use std::sync::{Mutex, OnceLock, PoisonError};

use arc_swap::ArcSwap;
use tokio::runtime::{Handle, Id};

use crate::error::Result;

/// How many tokio runtimes past the first keep their client: the most recent, as a
/// test suite starts one a test; an older one's client is made again if it calls.
const KEPT: usize = 32;

/// The runtime's clients, one for each tokio runtime that made calls.
pub(crate) struct Clients {
    /// Built with the runtime (so that a setting it cannot take fails `build`), and
    /// the client of the first tokio runtime that makes a call.
    first: reqwest::Client,
    first_owner: OnceLock<Id>,
    /// The clients of the tokio runtimes after the first, oldest first.
    others: ArcSwap<Vec<(Id, reqwest::Client)>>,
    /// Held while a client is made, so that concurrent first calls make one.
    building: Mutex<()>,
    build: Box<dyn Fn() -> Result<reqwest::Client> + Send + Sync>,
}

impl Clients {
    /// `first` and, for each further tokio runtime, a client of `build`.
    pub(crate) fn new(
        first: reqwest::Client,
        build: impl Fn() -> Result<reqwest::Client> + Send + Sync + 'static,
    ) -> Clients {
        Clients {
            first,
            first_owner: OnceLock::new(),
            others: ArcSwap::default(),
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
        let kept =
            |others: &[(Id, reqwest::Client)]| others.iter().find(|(owner, _)| *owner == id).map(|(_, c)| c.clone());
        if let Some(client) = kept(&self.others.load()) {
            return Ok(Cow::Owned(client));
        }
        let _building = self.building.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(client) = kept(&self.others.load()) {
            return Ok(Cow::Owned(client));
        }
        let client = (self.build)()?;
        let mut others = Vec::clone(&self.others.load());
        if others.len() >= KEPT {
            others.remove(0);
        }
        others.push((id, client.clone()));
        self.others.store(std::sync::Arc::new(others));
        Ok(Cow::Owned(client))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clients() -> Clients {
        let build = || Ok(reqwest::Client::new());
        Clients::new(reqwest::Client::new(), build)
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
    fn only_the_most_recent_tokio_runtimes_keep_their_clients() {
        let clients = clients();
        for _ in 0..KEPT + 5 {
            on_new_tokio_runtime(|| clients.current().unwrap());
        }
        assert_eq!(clients.others.load().len(), KEPT);
    }
}
