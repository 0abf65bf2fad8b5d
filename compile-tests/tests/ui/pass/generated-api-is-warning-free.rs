//! The generated code passes `#![deny(warnings)]` in the user's crate, and every
//! form of call type-checks: positional, named, keywords, numbers and strings.
#![deny(warnings)]

mod integrations {
    conv_api::conv_api!("../macros/tests/fixtures/realistic.yaml");
}

use conv_api::Conv;
use integrations::{zendesk, Api};

#[allow(dead_code, reason = "only type-checked")]
async fn calls(conv: &Conv<Api>) -> conv_api::Result<()> {
    let _ticket = conv.api.zendesk.get_ticket(42).await?;
    let _found = conv.api.zendesk.search_tickets("printer on fire").query(&[("sort", "asc")]).await?;
    let _created = conv.api.zendesk.create_ticket().json(&[("subject", "Help")]).await?;
    let _comment = conv.api.zendesk.getComment("T-1", 7u64).await?;
    let _removed = conv.api.zendesk.r#type("x").await?;
    let ticket_id = String::from("T-2");
    let named = zendesk::args::GetComment { ticket_id: &ticket_id, commentId: 3 };
    let _named = conv.api.zendesk.named.getComment(named).await?;
    let _slots = conv.api.bookings.list_slots(5, "2026-12-24").await?;
    Ok(())
}

fn main() {}
