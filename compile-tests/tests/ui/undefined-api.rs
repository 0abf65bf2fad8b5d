mod integrations {
    conv_api::conv_api!("tests/ui/valid.yaml");
}

use conv_api::Conv;
use integrations::Api;

fn call(conv: &Conv<Api>) {
    let _ = conv.api.salesforce.get_contact(1);
}

fn main() {}
