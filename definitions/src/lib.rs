//! The conv-api definitions file: its model, parsing, validation and diagnostics.
//!
//! One crate holds every rule of the format, so the `conv_api!` macro, the
//! `conv-api` tool and the runtime loader accept and reject exactly the same files
//! with the same messages.
//!
//! ```
//! use conv_api_definitions::{parse_str, Environment};
//!
//! let yaml = r#"
//! api_integrations:
//!   - name: zendesk
//!     environments:
//!       sandbox: { base_url: "https://sandbox.zendesk.example/api/v2" }
//!     operations:
//!       - { name: get_ticket, method: GET, resource: "/tickets/{ticket_id}" }
//! "#;
//! let checked = parse_str("apis.yaml", yaml).unwrap();
//! let api = checked.definitions.api("zendesk").unwrap();
//! assert_eq!(api.operation("get_ticket").unwrap().resource.variables.as_ref(), ["ticket_id"]);
//! assert!(api.environment(Environment::Sandbox).unwrap().is_wired());
//!
//! let broken = parse_str("apis.yaml", "api_integrations:\n  - name: Zendesk\n").unwrap_err();
//! assert!(broken.to_string().contains("apis.yaml:2:11: error: `api_integrations[0].name` is `Zendesk`"));
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(clippy::missing_errors_doc)]

mod advice;
// shared by the runtime (writing the log's times) and the tool (reading them); not an API
#[doc(hidden)]
pub mod calendar;
mod check;
mod diagnostics;
pub mod headers;
mod load;
pub mod mocks;
mod model;
pub mod names;
mod read;
mod template;
pub mod urls;
// public for the parse benchmark, which measures the YAML parse alone; not an API
#[doc(hidden)]
pub mod yaml;

pub use diagnostics::{one_line, Diagnostic, Diagnostics, MacroWarning, Severity};
pub use load::canonical_json;
pub use load::shown_path;
pub use load::{
    is_utf16, load, open_file, parse_bytes, parse_bytes_with_recovery, parse_embedded, parse_str, parse_with_recovery,
    read_file, read_limited, Checked, FileKind, LoadError, Recovered, MAX_FILE_BYTES, UTF16_PROBLEM,
};
pub use model::*;
pub use read::{conventional_secret_name, parse_duration};
pub use template::{path_value_length, Piece, Template, TemplateError};
