//! The `conv_api!` macro's expansion: typed per-operation functions from a
//! definitions file.
//!
//! Use it through the `conv-api` crate, as `conv_api::conv_api!`, whose documentation
//! shows a definitions file and the code it expands to; that macro hands this one the
//! path of its crate, so generated code finds it however a crate names it.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod codegen;
mod expand;
mod input;

use proc_macro::TokenStream;

/// The expansion of `conv_api::conv_api!("apis.yaml")`, which calls it as
/// `conv_api!($crate; "apis.yaml")`: generated code names the crate by that path, so
/// that one which renames `conv-api`, or reaches it through a crate that re-exports
/// it, needs nothing more. Called without the path, as this crate's tests do, the
/// code names `::conv_api`. Use `conv_api::conv_api!`, documented there.
#[proc_macro]
pub fn conv_api(input: TokenStream) -> TokenStream {
    let (krate, input) = input::crate_path(input.into());
    let literal = match input::path_literal(input) {
        Ok(literal) => literal,
        Err(error) => return error.to_compile_error().into(),
    };
    expand::expand(&literal, &krate).into()
}
