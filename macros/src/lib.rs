//! The `conv_api!` macro: typed per-operation functions from a definitions file.
//!
//! Use it through the `conv-api` crate, which re-exports it as `conv_api::conv_api!`;
//! see that crate's documentation for the tutorial.
//!
//! [`conv_api!`]'s own documentation shows a definitions file and the code it
//! expands to.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod codegen;
mod expand;
mod input;

use proc_macro::TokenStream;

/// Generates the typed `Api` of a definitions file.
///
/// The path is relative to the crate's `CARGO_MANIFEST_DIR` (absolute paths are
/// refused); editing the file rebuilds the crate. Under trybuild, which builds a
/// test's source file as a crate of its own under `target/`, a file not found there
/// is read beside the Cargo.toml above that source file, the user's crate (set
/// `CONV_API_MANIFEST_DIR` to a folder to read the files from there instead).
/// Every problem in the file is reported as a compile error on the path, one
/// `FILE:LINE:COL: error: MESSAGE` line each, and those are the only errors the file
/// causes: next to them is a best-effort `Api` with every API and operation (an
/// operation whose method is wrong has `GET` there), or, when one of them could not
/// be read (a YAML syntax error, a wrong name or resource), no `Api` at all, and
/// rustc (1.95 or later) then reports no use of it. Warnings stay with `conv-api
/// check`, but for two, each a compiler warning on the path, the use of a
/// deprecated constant whose note is the diagnostic: a credential written in the
/// file (a password in a URL, `?api_key=abc123`), which would be built into the
/// binary (`written_credential`), and a resource variable written as another tool
/// writes it (`/tickets/:ticket_id`, `${id}`), which every request sends other than
/// meant: as written, so that the method takes no argument for it, or with a `$`
/// before the value (`foreign_variable`).
///
/// Given `config/api_integrations.yaml`:
///
/// ```yaml
/// api_integrations:
///   - name: zendesk
///     description: Support tickets
///     environments:
///       sandbox: { base_url: "https://sandbox.zendesk.example/api/v2" }
///     operations:
///       - { name: get_ticket, method: GET, resource: "/tickets/{ticket_id}" }
/// ```
///
/// `conv_api!("config/api_integrations.yaml")` expands to (abridged). Every item
/// has a doc comment: each operation's method, resource, path variables and the
/// environments its API is wired in; each API's description and environments;
/// `Api`'s list of the APIs:
///
/// ```ignore
/// pub struct Api {
///     /// Support tickets
///     pub zendesk: zendesk::Client,
/// }
/// pub mod zendesk {
///     pub struct Client { pub named: Named }
///     impl Client {
///         /// `GET /tickets/{ticket_id}` ...
///         pub fn get_ticket(&self, ticket_id: impl PathValue) -> ::conv_api::Request { /* one line */ }
///     }
///     pub struct Named { /* a handle to the conversation */ }
///     impl Named {
///         pub fn get_ticket(&self, args: args::GetTicket<impl PathValue>) -> ::conv_api::Request { /* ... */ }
///     }
///     pub mod args {
///         pub struct GetTicket<T0> { pub ticket_id: T0 }
///     }
/// }
/// // plus the checked definitions as a static string in canonical form (secret
/// // names, never their values, though a credential written in the file, warned
/// // of, is kept as written; no comments of the file), read once at run time,
/// // `impl ApiSet for Api`, `Clone` and `Debug` for `Api` (not for each client:
/// // that would cost every build; clone or print `conv.api` or `conv`), and an
/// // `include_bytes!` of the file in a function never called, so that editing it
/// // rebuilds the crate while its bytes stay out of the crate's metadata
/// ```
///
/// Calls: `conv.api.zendesk.get_ticket(42)`, or with every path variable named,
/// `conv.api.zendesk.named.get_ticket(zendesk::args::GetTicket { ticket_id: 42 })`.
/// A path variable takes any `Display` value (`conv_api::PathValue`, which every
/// `Display` type is, names that in the signatures, so that the compiler's error for
/// another type says what to pass).
/// Names are used verbatim (keywords as raw identifiers, `r#type`; an operation
/// named `into` or `try_into` is called as `zendesk::Client::into(&conv.api.zendesk)`,
/// since `conv.api.zendesk.into()` finds `Into::into` first, as it finds
/// `tracing::Instrument`'s `instrument` where that is imported; a path variable
/// named `None`, `Some`, `Ok` or `Err` is the parameter `None_`..., which positional
/// calls never name). An operation with path variables has an `args` struct, its
/// name in UpperCamelCase, with its position appended when two operations of an
/// API would share one; it lives in the module named after the API, beside `Api`
/// (bring it in with `use integrations::{zendesk, Api};`), but for an API named
/// `conv_api`, whose module is `conv_api_` so that `conv_api::conv_api!` still names
/// this crate where the macro expands. An operation without
/// path variables has none: its named method takes no argument.
#[proc_macro]
pub fn conv_api(input: TokenStream) -> TokenStream {
    let literal = match input::path_literal(input.into()) {
        Ok(literal) => literal,
        Err(error) => return error.to_compile_error().into(),
    };
    expand::expand(&literal).into()
}
