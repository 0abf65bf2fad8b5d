mod integrations {
    conv_api::conv_api!("tests/ui/valid.yaml");
}

use conv_api::Conv;
use integrations::{zendesk, Api};

fn call(conv: &Conv<Api>, id: Option<u64>) {
    struct TicketId;
    let _ = conv.api.zendesk.named.get_ticket(zendesk::args::GetTicket { ticket_id: TicketId });
    let _ = conv.api.zendesk.get_ticket(id);
}

fn main() {}
