//! Names that collide with the generated items, their methods, parameters and
//! generics, or with the caller's own items (a `str`, `String` or `Result` of its
//! own, `#![no_implicit_prelude]`), and names that rustc (`get__order`, an API `crm__v2`) or clippy
//! (seven path variables and `&self`) would lint: all compile without a warning.
#![deny(warnings)]

mod integrations {
    conv_api::conv_api!("tests/ui/pass/colliding-names.yaml");
}

#[allow(non_camel_case_types, dead_code, unused_imports, reason = "the caller's own items shadow the prelude")]
mod shadowed {
    type Result = ();
    struct String;
    struct Option;
    struct Display;
    mod std {}
    mod core {}
    ::conv_api::conv_api!("tests/ui/pass/colliding-names.yaml");
}

#[allow(non_camel_case_types, dead_code, reason = "the caller's own `str`")]
mod shadowed_str {
    struct str;
    ::conv_api::conv_api!("../macros/tests/fixtures/realistic.yaml");
}

// a unit struct or constant named as a parameter of the generated code, beside it;
// a trailing comma, as `include_str!` takes one
#[allow(non_camel_case_types, non_upper_case_globals, dead_code, reason = "the caller's own items")]
mod shadowed_locals {
    struct f;
    const bindings: () = ();
    ::conv_api::conv_api!("../macros/tests/fixtures/realistic.yaml",);
}

mod bare {
    #![no_implicit_prelude]
    ::conv_api::conv_api!("tests/ui/pass/colliding-names.yaml");
}

use conv_api::Conv;
use integrations::{bindings, conv, union, Api};

#[allow(dead_code, reason = "only type-checked")]
async fn calls(c: &Conv<Api>) -> conv_api::Result<()> {
    let a = &c.api;
    a.conv.named("x").await?;
    a.conv.named.named(conv::args::Named { args: "x" }).await?;
    a.conv.new().await?;
    a.conv.clone(1).await?;
    a.conv.into_future(1, 2, 3).await?;
    a.conv.named.into_future(conv::args::IntoFuture { Display: 1, Request: 2, T0: 3 }).await?;
    a.conv.api(1).await?;
    a.conv.t0(1, 2).await?;
    a.conv.named.t0(conv::args::T0 { T0: 1, T1: 2 }).await?;
    a.conv.Display("f").await?;
    a.conv.union(1, 2, 3, 4, 5).await?;
    a.conv.getX(1, 2, 3).await?;
    a.bindings.args("v").await?;
    a.bindings.named.args(bindings::args::Args { args: "v" }).await?;
    a.union.macro_rules(1, 2, 3, 4, 5, 6, 7, 8).await?;
    a.union.named.macro_rules(union::args::MacroRules { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8 }).await?;
    a.f.fmt().await?;
    a.str.r#gen(1, 2, 3).await?;
    a.shop.get__order(1).await?;
    a.crm__v2.get_contact(1).await?;
    let _named = crate::integrations::crm__v2::args::GetContact { id: 1 };
    a.shop.seven(1, 2, 3, 4, 5, 6, 7).await?;
    let _ = (&a.api, &a.macro_rules, a.clone(), format!("{a:?}"));
    Ok(())
}

fn main() {}
