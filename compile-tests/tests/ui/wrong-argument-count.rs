mod integrations {
    conv_api::conv_api!("tests/ui/valid.yaml");
}

use conv_api::Conv;
use integrations::Api;

fn call(conv: &Conv<Api>) {
    let _ = conv.api.zendesk.get_comment(42);
}

fn main() {}
