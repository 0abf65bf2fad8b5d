//! Where an error happened: the call it belongs to, shown before its message.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use conv_api_definitions::Method;

use crate::display_text::shown_name;

/// Where an error happened: the call it belongs to, if any.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Context {
    /// Borrowed from embedded definitions, so the response, the log and errors
    /// take the names without copying.
    pub(crate) api: Option<Cow<'static, str>>,
    pub(crate) operation: Option<Cow<'static, str>>,
    pub(crate) method: Option<Method>,
    /// Already redacted.
    pub(crate) url: Option<Arc<str>>,
    pub(crate) status: Option<u16>,
}

/// The longest URL an error's message shows whole; [`Error::url`](crate::Error::url) gives any whole.
const SHOWN_URL_BYTES: usize = 512;

impl fmt::Display for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // a dynamic call's names come from its caller
        match (&self.api, &self.operation) {
            (Some(api), Some(operation)) => write!(f, "`{}.{}`", shown_name(api), shown_name(operation))?,
            (Some(api), None) => write!(f, "`{}`", shown_name(api))?,
            _ => return Ok(()),
        }
        match (self.method, &self.url) {
            (Some(method), Some(url)) if url.len() > SHOWN_URL_BYTES => {
                // a URL made of long values would bury the message: its start is enough
                let end = (0..=SHOWN_URL_BYTES).rev().find(|&at| url.is_char_boundary(at)).unwrap_or(0);
                write!(f, " ({method} {}... ({} bytes))", &url[..end], url.len())?;
            }
            (Some(method), Some(url)) => write!(f, " ({method} {url})")?,
            (Some(method), None) => write!(f, " ({method})")?,
            _ => {}
        }
        f.write_str(": ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Error, ErrorKind};

    #[test]
    fn display_puts_the_call_before_the_message() {
        let context = Context {
            api: Some("zendesk".into()),
            operation: Some("get_ticket".into()),
            method: Some(Method::Get),
            url: Some("https://x.example/tickets/1".into()),
            status: None,
        };
        let error = Error::new(ErrorKind::Decode, "the body is not JSON").with_context(&context);
        assert_eq!(error.to_string(), "`zendesk.get_ticket` (GET https://x.example/tickets/1): the body is not JSON");
        assert_eq!(error.api(), Some("zendesk"));
        assert_eq!(error.method(), Some(crate::Method::Get));
        assert!(error.method().is_some_and(|method| method == "GET" && method != "get"));
        assert!(error.is_decode());
    }
}
