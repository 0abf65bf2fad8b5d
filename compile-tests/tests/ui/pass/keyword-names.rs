//! Names that are Rust keywords become raw identifiers; camelCase names need no
//! allowances in the user's crate, even under `#![deny(warnings)]`; nor do an API
//! without path variables or an operation with more than three. An API may share
//! its name with a crate (`core`), even with `conv_api`, whose types are in the module
//! `conv_api_` (`conv_api__` beside an API named `conv_api_`), so that the macro is
//! called as the docs write it; and the macro expands inside a function body too.
#![deny(warnings)]

mod integrations {
    conv_api::conv_api!("tests/ui/pass/keywords.yaml");
}

use conv_api::Conv;
use integrations::{r#match, r#static, Api};

#[allow(dead_code, reason = "only type-checked")]
async fn calls(conv: &Conv<Api>) -> conv_api::Result<()> {
    let _moved = conv.api.r#match.r#move("knight", 2).await?;
    let _tried = conv.api.r#match.r#try().await?;
    let _named = conv.api.r#match.named.r#move(r#match::args::Move { r#type: "rook", r#async: 1 }).await?;
    let _thing = conv.api._private.getHTTPThing("T-1", true).await?;
    let _pong = conv.api.r#static.ping().await?;
    let _cell = conv.api.r#static.cell("s", 1, 2u8, "v7").await?;
    let args = r#static::args::Cell { sheet: "s", row: 1, col: 2, version: "v7" };
    let _named = conv.api.r#static.named.cell(args).await?;
    let _account = conv.api.core.get_account(7).await?;
    Ok(())
}

#[allow(dead_code, reason = "only type-checked")]
async fn in_a_function_body(runtime: &conv_api::Runtime) -> conv_api::Result<()> {
    conv_api::conv_api!("tests/ui/pass/keywords.yaml");
    let conv: Conv<Api> = runtime.conversation();
    let _account = conv.api.core.get_account(7).await?;
    let _named = conv.api.r#match.named.r#move(r#match::args::Move { r#type: "rook", r#async: 1 }).await?;
    Ok(())
}

/// An API named `conv_api`: the macro called as the docs write it, then this crate
/// named in the same module.
mod crate_named_api {
    conv_api::conv_api!("tests/ui/pass/conv-api-name.yaml");

    #[allow(dead_code, reason = "only type-checked")]
    async fn call(conv: &conv_api::Conv<Api>) -> conv_api::Result<()> {
        let _pong = conv.api.conv_api.ping(1).await?;
        let _named = conv.api.conv_api.named.ping(conv_api_::args::Ping { id: 2 }).await?;
        Ok(())
    }
}

/// Beside an API named `conv_api_`, the macro named from the root.
mod crate_named_apis_from_the_root {
    ::conv_api::conv_api!("tests/ui/pass/conv-api-names.yaml");

    #[allow(dead_code, reason = "only type-checked")]
    async fn call(conv: &::conv_api::Conv<Api>) -> ::conv_api::Result<()> {
        let _named = conv.api.conv_api.named.ping(conv_api__::args::Ping { id: 2 }).await?;
        let _status = conv.api.conv_api_.named.status().await?;
        let _status = conv_api_::Client::status(&conv.api.conv_api_).await?;
        Ok(())
    }
}

fn main() {}
