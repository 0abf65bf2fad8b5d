//! Names that are Rust keywords become raw identifiers; camelCase names need no
//! allowances in the user's crate, even under `#![deny(warnings)]`.
#![deny(warnings)]

mod integrations {
    conv_api::conv_api!("tests/ui/pass/keywords.yaml");
}

use conv_api::Conv;
use integrations::{r#match, Api};

#[allow(dead_code, reason = "only type-checked")]
async fn calls(conv: &Conv<Api>) -> conv_api::Result<()> {
    let _moved = conv.api.r#match.r#move("knight", 2).await?;
    let _tried = conv.api.r#match.r#try().await?;
    let _named = conv.api.r#match.named.r#move(r#match::args::Move { r#type: "rook", r#async: 1 }).await?;
    let _thing = conv.api._private.getHTTPThing("T-1", true).await?;
    let _pong = conv.api.r#static.ping().await?;
    Ok(())
}

fn main() {}
