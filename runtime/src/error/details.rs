//! What the runtime adds to an error on its way up: the call, notes and advice,
//! the status, whether it may pass; and the known secrets masked out.

use std::borrow::Cow;
use std::time::Duration;

use super::{Context, Error, ErrorKind};
use crate::redact::Redactor;

impl Error {
    /// Sets where the error happened, keeping what is already known.
    pub(crate) fn with_context(mut self, context: &Context) -> Error {
        let own = &mut self.context;
        own.api = own.api.take().or_else(|| context.api.clone());
        own.operation = own.operation.take().or_else(|| context.operation.clone());
        own.method = own.method.or(context.method);
        own.url = own.url.take().or_else(|| context.url.clone());
        own.status = own.status.or(context.status);
        self
    }

    /// Whether the attempt failed before anything was sent, so that repeating it is
    /// safe for any method: auth, which runs before the request is written (a wait
    /// for a token that outlasted the attempt too), or a connection that closed
    /// before it was.
    pub(crate) fn nothing_sent(&self) -> bool {
        self.unsent || self.kind == ErrorKind::Auth
    }

    /// Marks the failure as one that may pass (see [`Error::is_retryable`]).
    pub(crate) fn with_transient(mut self, transient: bool) -> Error {
        self.transient = transient;
        self
    }

    /// Sets how long the server asked to wait before trying again.
    pub(crate) fn with_retry_after(mut self, wait: Duration) -> Error {
        self.retry_after = Some(wait);
        self
    }

    /// Adds `note` to the message, such as how many attempts were made.
    pub(crate) fn with_note(mut self, note: &str) -> Error {
        self.message.push_str(note);
        self
    }

    /// The error with every known secret masked in its message and in the names of
    /// its call, which a dynamic call takes from its caller (`conv.api.call(name, ..)`),
    /// as are a refused call's argument and header names in its message.
    pub(crate) fn cleaned(mut self, redactor: &Redactor) -> Error {
        let cleaner = redactor.cleaner();
        cleaner.clean(&mut self.message);
        for name in [&mut self.context.api, &mut self.context.operation].into_iter().flatten() {
            if let Cow::Owned(cleaned) = cleaner.cleaned(name) {
                *name = Cow::Owned(cleaned);
            }
        }
        self
    }

    /// Puts `prefix` before the message, such as where the failing settings belong.
    pub(crate) fn with_prefix(mut self, prefix: &str) -> Error {
        self.message.insert_str(0, prefix);
        self
    }

    /// Adds `suffix` to the message (more advice).
    pub(crate) fn with_suffix(mut self, suffix: &str) -> Error {
        self.message.push_str(suffix);
        self
    }

    /// Names the API the error is about, when no call of it does: [`Error::api`]
    /// gives it, and the message starts with it.
    pub(crate) fn with_api(mut self, api: &str) -> Error {
        self.context.api.get_or_insert_with(|| Cow::Owned(api.to_string()));
        self
    }

    /// Sets the status code of the response the error is about.
    pub(crate) fn with_status(mut self, status: u16) -> Error {
        self.context.status = Some(status);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_does_not_overwrite_known_fields() {
        let first = Context { api: Some("a".into()), ..Context::default() };
        let second = Context { api: Some("b".into()), operation: Some("op".into()), ..Context::default() };
        let error = Error::new(ErrorKind::Auth, "no").with_context(&first).with_context(&second);
        assert_eq!((error.api(), error.operation()), (Some("a"), Some("op")));
    }
}
