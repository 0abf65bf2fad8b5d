//! A request's future that is never awaited sends nothing: the compiler says so.
#![deny(unused_must_use)]

mod integrations {
    conv_api::conv_api!("tests/ui/valid.yaml");
}

use conv_api::Conv;
use integrations::Api;

async fn notify(conv: &Conv<Api>) {
    conv.api.zendesk.get_ticket(42).send();
}

fn main() {
    let _ = notify;
}
