mod integrations {
    conv_api::conv_api!("tests/ui/valid.yaml");
}

use conv_api::Conv;
use integrations::Api;

fn call(conv: &Conv<Api>) {
    use integrations::zendesk::args::GetComment;
    let _ = conv.api.zendesk.named.get_comment(GetComment { ticket_id: 42 });
}

fn main() {}
