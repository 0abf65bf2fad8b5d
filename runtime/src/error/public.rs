//! The public methods of an error: one made of your own code's, the error it wraps,
//! its kind, message and call, the predicates (`is_timeout()`...) and whether it may pass.

use std::time::Duration;

use conv_api_definitions::Method;

use super::{Error, ErrorKind};

impl Error {
    /// An error of your own code, of kind [`ErrorKind::Other`], so that an agent
    /// function returning [`Result`](crate::Result) can fail with it: `.map_err(Error::other)?`.
    /// `error` gives the message; [`get_ref`](Error::get_ref) gives `error` itself, to
    /// downcast back to its type, and the [`source`](std::error::Error::source) is
    /// its source, as `std::io::Error::other` does.
    ///
    /// ```
    /// # extern crate conv_api_runtime as conv_api;
    /// use conv_api::{Error, ErrorKind, FunctionResult};
    /// fn seats(text: &str) -> conv_api::Result<FunctionResult> {
    ///     let seats: u32 = text.parse().map_err(Error::other)?;
    ///     Ok(FunctionResult::content(format!("{seats} seats are free")))
    /// }
    /// let error = seats("many").unwrap_err();
    /// assert_eq!(error.kind(), ErrorKind::Other);
    /// assert_eq!(error.to_string(), "invalid digit found in string");
    /// // an error chain (anyhow's `{:#}`) says the text once
    /// assert!(std::error::Error::source(&error).is_none());
    /// assert!(error.get_ref().is_some_and(|inner| inner.is::<std::num::ParseIntError>()));
    /// assert_eq!(Error::other("the booking has no date").message(), "the booking has no date");
    /// ```
    pub fn other(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Error {
        let error = error.into();
        Error::new(ErrorKind::Other, error.to_string()).wrapping(error)
    }

    /// The error this one wraps, whose text its message holds: the one given to
    /// [`Error::other`], or the operating system's error of a definitions or mocks
    /// file that could not be read; downcast it to its type.
    ///
    /// ```
    /// # extern crate conv_api_runtime as conv_api;
    /// let error = conv_api::Error::other(std::fmt::Error);
    /// assert!(error.get_ref().is_some_and(|inner| inner.is::<std::fmt::Error>()));
    /// ```
    pub fn get_ref(&self) -> Option<&(dyn std::error::Error + Send + Sync + 'static)> {
        self.source.as_deref().filter(|_| self.wrapped)
    }

    /// What kind of problem this is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The message without the call's context.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The API the call was for, when the error belongs to a call.
    pub fn api(&self) -> Option<&str> {
        self.context.api.as_deref()
    }

    /// The operation called, when the error belongs to a call.
    pub fn operation(&self) -> Option<&str> {
        self.context.operation.as_deref()
    }

    /// The HTTP method of the call.
    pub fn method(&self) -> Option<Method> {
        self.context.method
    }

    /// The request URL with user info removed and sensitive query values masked. For
    /// a call refused before its URL could be built (a path variable left out), the
    /// base URL and the resource as written: `https://x.example/tickets/{ticket_id}`.
    pub fn url(&self) -> Option<&str> {
        self.context.url.as_deref()
    }

    /// The response status, for [`ErrorKind::Status`] and errors about a response.
    pub fn status(&self) -> Option<u16> {
        self.context.status
    }

    /// Whether a timeout expired (connect or total).
    pub fn is_timeout(&self) -> bool {
        self.kind == ErrorKind::Timeout
    }

    /// Whether the server could not be reached.
    pub fn is_connect(&self) -> bool {
        self.kind == ErrorKind::Connect
    }

    /// Whether this is a status other than 2xx, from `raise_for_status`.
    pub fn is_status(&self) -> bool {
        self.kind == ErrorKind::Status
    }

    /// Whether the API has no base URL in the chosen environment.
    pub fn is_not_configured(&self) -> bool {
        self.kind == ErrorKind::NotConfigured
    }

    /// Whether an argument was rejected before anything was sent.
    pub fn is_invalid_argument(&self) -> bool {
        self.kind == ErrorKind::InvalidArgument
    }

    /// Whether the body could not be decoded.
    pub fn is_decode(&self) -> bool {
        self.kind == ErrorKind::Decode
    }

    /// Whether the body was larger than the cap.
    pub fn is_body_too_large(&self) -> bool {
        self.kind == ErrorKind::BodyTooLarge
    }

    /// Whether authentication failed.
    pub fn is_auth(&self) -> bool {
        self.kind == ErrorKind::Auth
    }

    /// Whether a secret was missing.
    pub fn is_missing_secret(&self) -> bool {
        self.kind == ErrorKind::MissingSecret
    }

    /// Whether the server asked to wait longer than the runtime waits.
    pub fn is_rate_limited(&self) -> bool {
        self.kind == ErrorKind::RateLimited
    }

    /// Whether the TLS handshake failed (certificate or protocol).
    pub fn is_tls(&self) -> bool {
        self.kind == ErrorKind::Tls
    }

    /// How long the server asked to wait before trying again (`Retry-After`), for
    /// [`ErrorKind::RateLimited`], a [`Status`](ErrorKind::Status) error of an
    /// answer that said it, an [`Auth`](ErrorKind::Auth) error whose OAuth 2.0
    /// token endpoint said it, and the error of an answer whose body did not arrive
    /// whole (over the cap, cut off, too slow) that asked for longer than the runtime
    /// waits, so that the call was not retried.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// Whether the failure is transient, so the same request may succeed later:
    /// connect errors (but for an HTTPS proxy that wants credentials), timeouts, a
    /// connection reset or closed mid-message (or before the request was written), a
    /// rate limit, statuses 408, 429, 500, 502, 503, 504 (from `raise_for_status`, or an
    /// answer of one whose body was over the cap, `BodyTooLarge`), and an
    /// OAuth 2.0 token request that could not connect, got one of those statuses or
    /// took no answer within its own timeout (that one the runtime does not repeat:
    /// it waited it out already). TLS and
    /// certificate errors, bad arguments, refused credentials and configuration
    /// problems are permanent. The runtime itself retries what is safe to repeat: an
    /// attempt of GET, PUT, DELETE or an operation declared `idempotent: true`, and an
    /// attempt of any method that sent nothing (its token request failed, its kept-alive
    /// connection was found closed); [`RetryPolicy`](crate::RetryPolicy) says how often
    /// and how long apart.
    pub fn is_retryable(&self) -> bool {
        match self.kind {
            ErrorKind::Connect => !self.lasting,
            ErrorKind::Timeout | ErrorKind::RateLimited => true,
            ErrorKind::Transport | ErrorKind::Auth => self.transient,
            // the status says the server may answer otherwise next time, its body aside
            ErrorKind::Status | ErrorKind::BodyTooLarge => self.status().is_some_and(crate::retry::is_retryable_status),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retryable_kinds_and_statuses() {
        let retryable = |kind| Error::new(kind, "x").is_retryable();
        assert!(retryable(ErrorKind::Connect) && retryable(ErrorKind::Timeout) && retryable(ErrorKind::RateLimited));
        for kind in [ErrorKind::Tls, ErrorKind::Auth, ErrorKind::InvalidArgument, ErrorKind::Transport] {
            assert!(!retryable(kind), "{kind}");
        }
        assert!(Error::new(ErrorKind::Status, "x").with_status(503).is_retryable());
        assert!(!Error::new(ErrorKind::Status, "x").with_status(404).is_retryable());
        let limited = Error::new(ErrorKind::RateLimited, "wait").with_retry_after(Duration::from_secs(90));
        assert_eq!(limited.retry_after(), Some(Duration::from_secs(90)));
        assert!(format!("{limited:#?}").contains("retry_after: 90s"));
    }
}
