//! A request is a `Future` that is `Send`, `Sync` and `Unpin`: taken as it is where a
//! future is wanted (spawned, joined, boxed, polled by `&mut`), as API.md's "request
//! futures" are.
#![deny(warnings)]

mod integrations {
    conv_api::conv_api!("tests/ui/valid.yaml");
}

use std::future::Future;
use std::pin::Pin;

use conv_api::Conv;
use integrations::Api;

/// Takes what `tokio::spawn` takes.
fn spawn_like<F: Future + Send + 'static>(future: F) -> F {
    future
}

fn check<F: Future + Send + Sync + Unpin>(_: &F) {}

type Call = Pin<Box<dyn Future<Output = conv_api::Result<conv_api::Response>> + Send>>;

async fn calls(conv: Conv<Api>) -> conv_api::Result<()> {
    let mut request = conv.api.zendesk.get_ticket(1);
    check(&request);
    (&mut request).await?;
    spawn_like(conv.api.zendesk.get_ticket(2)).await?;
    let boxed: Call = Box::pin(conv.api.zendesk.get_ticket(3));
    boxed.await?;
    Ok(())
}

fn main() {
    let _ = calls;
}
