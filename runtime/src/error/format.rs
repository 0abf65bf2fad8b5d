//! How an error is written: `Display` (the call, then the message), `Debug` and
//! the `source()` chain.

use std::fmt;

use super::Error;

/// `{:?}` writes what `main() -> Result<(), Box<dyn Error>>` and `unwrap()` print: the
/// message as `Display` writes it, its lines as they are (a definitions file's
/// diagnostics stay one `FILE:LINE:COL` line each), then the source's texts after
/// `Caused by:`. `{:#?}` writes the fields: kind, message, call, status, source.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !f.alternate() {
            write!(f, "{self}")?;
            if let Some(source) = std::error::Error::source(self) {
                write!(f, "\n\nCaused by:\n    {}", crate::http::transport::chain_text(source))?;
            }
            return Ok(());
        }
        let mut debug = f.debug_struct("Error");
        debug.field("kind", &self.kind).field("message", &self.message);
        let context = &self.context;
        let names = [("api", context.api.as_deref()), ("operation", context.operation.as_deref())];
        for (name, value) in names.into_iter().chain([("url", context.url.as_deref())]) {
            if let Some(value) = value {
                debug.field(name, &value);
            }
        }
        if let Some(method) = context.method {
            debug.field("method", &method);
        }
        if let Some(status) = context.status {
            debug.field("status", &status);
        }
        if let Some(wait) = self.retry_after {
            debug.field("retry_after", &wait);
        }
        if let Some(source) = std::error::Error::source(self) {
            debug.field("source", &format_args!("{}", crate::http::transport::chain_text(source)));
        }
        debug.finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.context, self.message)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        let source = self.source.as_deref()?;
        match self.wrapped {
            // its text is the message already
            true => source.source(),
            false => Some(source),
        }
    }
}
