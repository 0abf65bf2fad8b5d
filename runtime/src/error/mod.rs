//! The one error type of the runtime: what went wrong, where, and what to do.

mod context;
mod conversions;
mod details;
mod format;
mod from_reqwest;
mod kind;
mod problems;
mod public;
mod timeouts;

use std::sync::Arc;
use std::time::Duration;

pub(crate) use context::Context;
pub(crate) use from_reqwest::from_reqwest;
pub use kind::ErrorKind;
pub(crate) use problems::{all_of, numbered, numbered_list};
pub(crate) use timeouts::{timed_out, timed_out_before_sending, timed_out_unanswered};

/// The result of every fallible runtime call.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Any error a source can carry.
pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// A source error, shared by the clones of the error that carries it.
type SharedError = Arc<dyn std::error::Error + Send + Sync + 'static>;

/// An error of the runtime, with its [`kind`](Error::kind), the call it belongs to
/// (API, operation, method, redacted URL) and a message that says what to do. Its
/// clones share its source.
///
/// ```
/// # extern crate conv_api_runtime as conv_api;
/// use conv_api::{ErrorKind, Runtime};
/// let error = Runtime::builder().base_url("zendesk", "not a url").build().unwrap_err();
/// assert_eq!(error.kind(), ErrorKind::Config);
/// assert!(error.to_string().contains("`zendesk`"));
/// ```
#[derive(Clone)]
pub struct Error {
    kind: ErrorKind,
    pub(crate) context: Box<Context>,
    message: String,
    source: Option<SharedError>,
    /// Whether the message is the source's own text ([`Error::get_ref`]): the chain
    /// then goes on with what the source wraps, so that no text is said twice.
    wrapped: bool,
    /// Whether a transport or auth failure is transient (a reset, an incomplete
    /// message, a token request that could not connect or got a 5xx).
    transient: bool,
    /// Whether the transport failed before the request was written: nothing was sent.
    pub(crate) unsent: bool,
    /// Whether a connect failure would happen again (a proxy that wants credentials).
    lasting: bool,
    /// Whether the failure may pass but was waited out already, so that the runtime
    /// does not repeat it: an OAuth 2.0 token request past its own timeout.
    pub(crate) waited_out: bool,
    /// How long the server asked to wait, for [`ErrorKind::RateLimited`] and a
    /// `Status` error whose answer said.
    retry_after: Option<Duration>,
}

impl Error {
    /// An error of `kind` with `message` (lowercase, saying what to do).
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            context: Box::default(),
            message: message.into(),
            source: None,
            wrapped: false,
            transient: false,
            unsent: false,
            lasting: false,
            waited_out: false,
            retry_after: None,
        }
    }

    /// `inner` as the error this one wraps ([`Error::get_ref`]).
    fn wrapping(mut self, inner: impl Into<BoxError>) -> Error {
        self.source = Some(Arc::from(inner.into()));
        self.wrapped = true;
        self
    }

    /// Adds the underlying cause.
    pub(crate) fn with_source(mut self, source: impl Into<BoxError>) -> Error {
        self.source = Some(Arc::from(source.into()));
        self
    }
}
