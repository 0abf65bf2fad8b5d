//! conv-api: call external HTTP APIs from declarative definitions, checked at
//! compile time. Built for conversational agents: every call lands in the
//! conversation's log, credentials come from a secret store per environment, and
//! the same code runs in sandbox and live.
//!
//! # Tutorial
//!
//! 1. Describe the APIs in a definitions file (a superset of PolyAI ADK's
//!    `config/api_integrations.yaml`), here `examples/apis/helpdesk.yaml` (its
//!    `description:` lines left out; they become the generated methods' docs):
//!
//! ```yaml
//! api_integrations:
//!   - name: helpdesk
//!     environments:
//!       sandbox:
//!         base_url: https://sandbox.helpdesk.example/api/v2
//!     operations:
//!       - name: get_ticket
//!         method: GET
//!         resource: /tickets/{ticket_id}
//!       - name: add_comment
//!         method: POST
//!         resource: /tickets/{ticket_id}/comments
//! ```
//!
//! 2. Generate the typed `Api` with [`conv_api!`] (the path is relative to your
//!    `Cargo.toml`; a mistake in the file is a compile error pointing at its line),
//!    build a [`Runtime`] once per process and a [`Conv`] per conversation, and call
//!    operations as methods. This runs against a local stand-in for the help desk:
//!
//! ```
//! mod integrations {
//!     conv_api::conv_api!("examples/apis/helpdesk.yaml");
//! }
//! use conv_api::{Conv, Environment, FunctionResult, Runtime};
//! use integrations::Api;
//!
//! /// An agent function: what to tell the caller about a ticket.
//! async fn lookup_ticket(conv: &Conv<Api>, ticket_id: &str) -> conv_api::Result<FunctionResult> {
//!     let response = conv.api.helpdesk.get_ticket(ticket_id)
//!         .query(&[("include", "users")])
//!         .header("X-Request-Source", "agent")
//!         .await?;                                   // a 404 is a Response, not an error
//!     if response.status_code() == 404 {
//!         conv.log.warning(format!("no ticket {ticket_id}"));
//!         return Ok(FunctionResult::utterance("I couldn't find that ticket."));
//!     }
//!     let ticket: serde_json::Value = response.raise_for_status()?.json()?;
//!     conv.log.info("ticket found");
//!     let status = ticket["status"].as_str().unwrap_or("unknown");
//!     Ok(FunctionResult::content(format!("Ticket status: {status}")))
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # use wiremock::{matchers::path, Mock, MockServer, ResponseTemplate};
//! # let server = MockServer::start().await;
//! # Mock::given(path("/tickets/42")).respond_with(ResponseTemplate::new(200)
//! #     .set_body_string(r#"{"status": "open"}"#)).mount(&server).await;
//! # let local_demo_url = server.uri();
//! // once per process: connections, token caches, secrets
//! let runtime = Runtime::builder()
//!     .environment(Environment::Sandbox)             // default: CONV_ENV, else sandbox
//!     .base_url("helpdesk", local_demo_url)          // here: the local stand-in
//!     .build()?;
//!
//! // once per conversation: its own log
//! let conv: Conv<Api> = runtime.conversation();
//! let found = lookup_ticket(&conv, "42").await?;
//! let missing = lookup_ticket(&conv, "7").await?;
//! assert_eq!(serde_json::to_string(&found)?, r#"{"content":"Ticket status: open"}"#);
//! assert_eq!(serde_json::to_string(&missing)?, r#"{"utterance":"I couldn't find that ticket."}"#);
//!
//! // every call is in the log, with its status and duration
//! let calls: Vec<_> = conv.log.entries().into_iter().filter_map(|entry| entry.request).collect();
//! assert_eq!(calls.iter().map(|call| call.status).collect::<Vec<_>>(), [Some(200), Some(404)]);
//! # Ok(()) }
//! ```
//!
//! 3. Where next: [`Request`] (query, body, headers, timeout), [`Response`],
//!    [`Error`] and [`ErrorKind`], the conversation [`Log`], secrets
//!    ([`SecretStore`]), [`mocks`] for testing agent code, and [`DynamicApis`] for
//!    definitions loaded at run time:
//!    `conv.api.call("helpdesk", "get_ticket").arg("ticket_id", 42).await?`.
//!    The `conv-api` command-line tool checks files (`conv-api check`), shows their
//!    operations and environments (`show`), lists and checks the secrets an
//!    environment needs (`secrets --check`), and reviews logs (`review`).
//!
//! Defaults (environment, timeouts, retries, body cap) and every setting:
//! [`RuntimeBuilder`].
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub use conv_api_definitions as definitions;
pub use conv_api_runtime::*;

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
///         pub fn get_ticket(&self, ticket_id: impl PathValue) -> conv_api::Request { /* one line */ }
///     }
///     pub struct Named { /* a handle to the conversation */ }
///     impl Named {
///         pub fn get_ticket(&self, args: args::GetTicket<impl PathValue>) -> conv_api::Request { /* ... */ }
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
///
/// Generated code names this crate as the macro does, so a crate that renames the
/// dependency (`apis = { package = "conv-api" }`, then `apis::conv_api!(..)`) or
/// reaches it through a crate of its own that re-exports it needs nothing more.
#[macro_export]
macro_rules! conv_api {
    ($($input:tt)*) => {
        $crate::__private::conv_api! { $crate; $($input)* }
    };
}

/// Support for code generated by `conv_api!`; not a stable API.
#[doc(hidden)]
pub mod __private {
    pub use conv_api_macros::conv_api;
    pub use conv_api_runtime::__private::*;
}
