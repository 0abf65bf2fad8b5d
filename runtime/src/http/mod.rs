//! The HTTP clients a runtime sends through: how they are set up (TLS, proxies,
//! timeouts, `User-Agent`), how header values become bytes, and what a transport
//! failure means.

pub(crate) mod call_client;
pub(crate) mod clients;
pub(crate) mod header_text;
pub(crate) mod proxy;
pub(crate) mod tls;
pub(crate) mod transport;

pub use tls::{check_tls, TlsProblem};
