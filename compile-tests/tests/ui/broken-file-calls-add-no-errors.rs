// A file with errors adds none at the calls of its operations: no `Api` is made
// when a call could not be read (a YAML syntax error, a wrong resource, a list of
// operations that is none, an API written twice), and a best-effort one has the
// operation whose method is wrong.
mod unreadable {
    conv_api::conv_api!("tests/ui/broken-file-calls-add-no-errors.yaml");
}

mod lost_operation {
    conv_api::conv_api!("tests/ui/broken-resource-calls-add-no-errors.yaml");
}

mod wrong_method {
    conv_api::conv_api!("tests/ui/broken-method-calls-add-no-errors.yaml");
}

mod no_list {
    conv_api::conv_api!("tests/ui/broken-list-calls-add-no-errors.yaml");
}

mod api_twice {
    conv_api::conv_api!("tests/ui/duplicate-api-calls-add-no-errors.yaml");
}

use conv_api::Conv;

async fn calls(a: &Conv<unreadable::Api>, b: &Conv<lost_operation::Api>, c: &Conv<wrong_method::Api>) {
    let _ = a.api.zendesk.get_ticket(1).await;
    let _ = b.api.zendesk.get_ticket(1).await;
    let _ = b.api.zendesk.named.get_ticket(lost_operation::zendesk::args::GetTicket { ticket_id: 1 }).await;
    let _ = b.api.zendesk.list_tickets().await;
    let _ = c.api.zendesk.get_ticket(1).await;
}

async fn more_calls(d: &Conv<no_list::Api>, e: &Conv<api_twice::Api>) {
    let _ = d.api.zendesk.get_ticket(1).await;
    let _ = e.api.zendesk.get_ticket(1).await;
    let _ = e.api.zendesk.list_tickets().await;
}

fn main() {
    let _ = (calls, more_calls);
}
