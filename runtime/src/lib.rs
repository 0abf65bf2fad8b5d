//! The conv-api runtime: environments, requests, responses and the conversation log.
//!
//! Most programs use it through the `conv-api` crate and its `conv_api!` macro, which
//! re-exports all of it: the examples here name it `conv_api`, as such a program
//! does. The same runtime serves definitions loaded at run time, shown here against
//! a local server:
//!
//! ```no_run
//! # extern crate conv_api_runtime as conv_api;
//! use conv_api::{DynamicApis, Environment, FunctionResult, Runtime};
//!
//! # async fn run() -> conv_api::Result<()> {
//! let apis = DynamicApis::parse("apis.yaml", r#"
//! api_integrations:
//!   - name: zendesk
//!     environments:
//!       sandbox: { base_url: "http://127.0.0.1:8080/api/v2" }
//!     operations:
//!       - { name: get_ticket, method: GET, resource: "/tickets/{ticket_id}" }
//! "#)?;
//!
//! // once per process: shares connections and settings
//! let runtime = Runtime::builder().environment(Environment::Sandbox).build()?;
//!
//! // once per conversation: its own log
//! let conv = runtime.dynamic_conversation(&apis);
//! let response = conv.api.call("zendesk", "get_ticket")
//!     .arg("ticket_id", 42)
//!     .query(&[("include", "users")])
//!     .header("X-Request-Source", "agent")
//!     .await?;                          // non-2xx is a Response, not an error
//! let result = if response.status_code() == 404 {
//!     conv.log.warning("no ticket 42");
//!     FunctionResult::utterance("I couldn't find that ticket.")
//! } else {
//!     let ticket: serde_json::Value = response.raise_for_status()?.json()?;
//!     FunctionResult::content(&ticket["status"])
//! };
//! print!("{}", conv.log.to_jsonl());    // one entry per call, and the notes
//! # let _ = result; Ok(()) }
//! ```
//!
//! Defaults: environment from `CONV_ENV` else Sandbox; connect timeout
//! [`DEFAULT_CONNECT_TIMEOUT`]; total time of one attempt from the call's
//! `.timeout(..)`, else the operation's or API's `timeout:`, else the builder's
//! `.timeout(..)`, else [`DEFAULT_TIMEOUT`]; response bodies capped at
//! [`DEFAULT_MAX_BODY_BYTES`]. Transient failures of GET, PUT, DELETE and operations
//! declared `idempotent: true` are retried per the operation's `retry:`, else the
//! API's, else the builder's `.retry(..)`, else [`DEFAULT_RETRY`] (full-jitter backoff,
//! `Retry-After` honoured up to the policy's `max_delay` or the builder's
//! `.retry_after_cap(..)`) within a per-runtime [`RetryBudget`]; see
//! [`Error::is_retryable`]. A call asked to wait longer is not retried: it returns
//! the answer, whose `raise_for_status()` is [`RateLimited`](ErrorKind::RateLimited).
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(clippy::missing_errors_doc)]

pub mod auth;
mod call_client;
mod clients;
mod conversation;
mod deadline;
mod definitions_in_use;
mod display_text;
mod dynamic;
mod embedded;
mod error;
mod form_pairs;
mod function_result;
mod header_text;
mod json_body;
mod json_request;
mod log;
pub mod mocks;
mod path_value;
mod preflight;
mod proxy;
mod redact;
mod request;
mod response;
mod retry;
mod runtime;
mod secrets;
mod send;
mod status_advice;
mod tls;
mod transport;
mod url_build;

pub use conv_api_definitions::{Environment, UnknownEnvironment};
/// The method of an operation, as [`Error::method`] returns it; compares with text:
/// `error.method() == Some(Method::Get)`, `Method::Get == "GET"`.
pub use conv_api_definitions::{Method, UnknownMethod};
pub use conv_api_definitions::{RetryPolicy, DEFAULT_RETRY};
pub use conversation::{ApiSet, Conv};
pub use dynamic::{DynamicApi, DynamicApis};
pub use error::{Error, ErrorKind, Result};
pub use function_result::FunctionResult;
pub use json_body::JsonBody;
pub use log::{announces_next_attempt, EntryBuilder, Level, Log, LogEntry, RequestRecord};
pub use path_value::PathValue;
pub use redact::{Redactor, MASK, SENSITIVE_HEADERS, SENSITIVE_QUERY_PARAMS};
pub use request::{Request, ResponseFuture};
pub use response::Response;
pub use retry::{RetryBudget, DEFAULT_RETRY_BUDGET, IDEMPOTENCY_KEY, RETRYABLE_STATUSES};
pub use runtime::{
    Runtime, RuntimeBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_BODY_BYTES, DEFAULT_TIMEOUT, ENVIRONMENT_VARIABLE,
    USER_AGENT,
};
pub use secrets::{
    held_names_not_read, is_set, may_use_tls, missing_secrets, needed_secrets, needed_secrets_in, secret_doubt,
    secret_names_read, DotenvError, DotenvSecretStore, EnvSecretStore, LayeredSecretStore, MapSecretStore,
    MissingSecret, NeededSecret, SecretStore, StoreForChecks, MAX_DOTENV_BYTES, MAX_DOTENV_PROBLEMS,
};
pub use tls::check_tls;

/// What [`SecretStore::get`] returns, so a store of your own needs no other crate:
/// `SecretString::from(value)`, read back with `expose_secret()`.
pub use secrecy::{ExposeSecret, SecretString};

/// The types of [`Response::headers`] and of the [`auth`] API's headers, so a
/// function of yours can name them.
pub use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

/// The type of [`Response::status`], so a function of yours can name it.
pub use reqwest::StatusCode;

/// The URL type of [`Redactor::url`] and of the [`auth`] API.
pub use url::Url;

/// Support for code generated by `conv_api!`; not a stable API.
#[doc(hidden)]
pub mod __private {
    pub use crate::conversation::{fmt_api_set, ApiHandle, ApiSet, Bindings};
    pub use crate::embedded::EmbeddedDefinitions;
    pub use crate::request::Request;
    pub use conv_api_definitions::Definitions;
}
