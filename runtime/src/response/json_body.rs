//! What `Response::json` decodes into: any `DeserializeOwned` type, with a compile
//! error that says what to write when none is named.

use serde::de::DeserializeOwned;

/// A type [`Response::json`](crate::Response::json) decodes a body into: any type
/// that implements `serde::Deserialize` for every lifetime (`DeserializeOwned`), such
/// as `serde_json::Value` or a `#[derive(serde::Deserialize)]` struct of yours. Every
/// such type has it; it exists so that the compiler's error, when the type is left
/// for it to infer and nothing says it (`FunctionResult::content(response.json()?)`),
/// says how to name one.
///
/// ```
/// # extern crate conv_api_runtime as conv_api;
/// fn decodes<T: conv_api::JsonBody>() {}
/// decodes::<serde_json::Value>();
/// decodes::<Vec<u32>>();
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is no type a response body decodes into",
    label = "the type `json()` decodes into",
    note = "name the type: `response.json::<serde_json::Value>()?`, or a `#[derive(serde::Deserialize)]` struct of yours (`let ticket: Ticket = response.json()?;`)",
    note = "with nothing to name it, Rust picks `!` (edition 2024), which nothing decodes into, or `()` (edition 2021), which only `null` does"
)]
pub trait JsonBody: DeserializeOwned {}

impl<T: DeserializeOwned> JsonBody for T {}
