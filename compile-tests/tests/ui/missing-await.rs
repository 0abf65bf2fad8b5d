//! A `.await` left out before `?` gets rustc's hint to await the request, which is a
//! future itself.

mod integrations {
    conv_api::conv_api!("tests/ui/valid.yaml");
}

use conv_api::Conv;
use integrations::Api;

async fn status(conv: &Conv<Api>) -> conv_api::Result<u16> {
    let response = conv.api.zendesk.get_ticket(42)?;
    Ok(response.status_code())
}

fn main() {
    let _ = status;
}
