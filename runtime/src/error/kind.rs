//! What kind of problem an error is, and its name in logs.

use std::fmt;

/// What kind of problem an [`Error`](crate::Error) is; match on it to decide what to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The API has no base URL in the chosen environment.
    NotConfigured,
    /// A secret the auth or the `tls:` settings need is not in the secret store.
    MissingSecret,
    /// An argument of the call (path variable, header, query, body) is not valid; nothing was sent.
    InvalidArgument,
    /// Authentication failed or is not possible.
    Auth,
    /// The connection or the whole attempt took longer than its timeout (a wait for
    /// its OAuth 2.0 token included: nothing was sent to the API then).
    Timeout,
    /// The server could not be reached.
    Connect,
    /// The server answered with a status other than 2xx (from `raise_for_status`).
    Status,
    /// The response body is not what was expected (such as invalid JSON).
    Decode,
    /// The response body is larger than the configured cap.
    BodyTooLarge,
    /// The connection failed while sending or receiving, or the answer is not HTTP
    /// the client reads (too many headers, an invalid status line).
    Transport,
    /// The runtime's configuration is not valid: builder settings, `CONV_ENV`, an
    /// environment's `tls:` material, or a mock rule (a status outside 100-599, a
    /// rule for zero calls), said by every call of the rule's API; a proxy variable
    /// that is no usable proxy URL, said by each call it would serve (one whose token
    /// request it would serve is [`Auth`](ErrorKind::Auth)); a call awaited outside
    /// a tokio runtime; or a request polled again after it returned its result.
    Config,
    /// A definitions or ADK mocks file loaded at run time cannot be read or has errors (or the
    /// definitions `conv_api!` embedded do not read back: the macro and runtime
    /// crates differ).
    Definitions,
    /// The server asked to wait longer than the runtime waits before trying again
    /// (`Retry-After` beyond the cap), from [`Response::raise_for_status`](crate::Response::raise_for_status)
    /// on the answer of a call the runtime would have retried; [`Error::retry_after`](crate::Error::retry_after)
    /// says how long.
    RateLimited,
    /// The TLS handshake failed: an untrusted or invalid certificate, or a
    /// certificate the server required and did not get. Permanent: a retry fails the same way.
    Tls,
    /// Strict mocks are installed and no rule answers the call; nothing was sent.
    Unmocked,
    /// The caller stopped waiting for an attempt (its future was dropped, as by
    /// `tokio::time::timeout` or `select!`): while it was sent, and the request may
    /// have reached the server (the entry has the status if the answer's head had
    /// arrived), or while it waited for its OAuth 2.0 token or before a retry, and it
    /// was not sent. Only log entries have this kind: no call returns it.
    Cancelled,
    /// An error of the caller's own code, made with [`Error::other`](crate::Error::other); the runtime
    /// never returns it.
    Other,
}

impl ErrorKind {
    /// A short lowercase name, such as `not configured`, used in logs.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorKind::NotConfigured => "not configured",
            ErrorKind::MissingSecret => "missing secret",
            ErrorKind::InvalidArgument => "invalid argument",
            ErrorKind::Auth => "auth",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Connect => "connect",
            ErrorKind::Status => "status",
            ErrorKind::Decode => "decode",
            ErrorKind::BodyTooLarge => "body too large",
            ErrorKind::Transport => "transport",
            ErrorKind::Config => "config",
            ErrorKind::Definitions => "definitions",
            ErrorKind::RateLimited => "rate limited",
            ErrorKind::Tls => "tls",
            ErrorKind::Unmocked => "unmocked",
            ErrorKind::Cancelled => "cancelled",
            ErrorKind::Other => "other",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// As the log's JSON writes it (`error_kind`): `"missing secret"`, `"timeout"`...
impl serde::Serialize for ErrorKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}
