//! What a header value the runtime sends may hold, and how its text becomes bytes:
//! Latin-1 (ISO-8859-1), one byte a character, as Python `requests` sends header
//! values and as WSGI, Node and Java servers read them. No control character, a tab
//! included ([`holds_control`], the definitions file's rule for header names and
//! prefixes), and nothing [beyond Latin-1](beyond_latin1), for the caller's headers,
//! credentials and the prefixes put before them.

use std::borrow::Cow;

use conv_api_definitions::headers::not_latin1;
pub(crate) use conv_api_definitions::headers::{beyond_latin1, holds_control};
use reqwest::header::HeaderValue;

/// Why a text cannot be a header value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NotHeaderText {
    /// It holds a control character (a line break, a tab).
    Control,
    /// It holds this character, beyond Latin-1.
    BeyondLatin1(char),
}

impl NotHeaderText {
    /// The end of a sentence about a value that is no header text, with the fix.
    pub(crate) fn says(self) -> String {
        match self {
            NotHeaderText::Control => "has a line break or another control character; remove it".to_string(),
            NotHeaderText::BeyondLatin1(c) => not_latin1(c),
        }
    }
}

/// `text` as a header value: ASCII as it is, other Latin-1 characters one byte each
/// (`é` is `0xE9`, not UTF-8's `0xC3 0xA9`).
///
/// # Errors
///
/// [`NotHeaderText`] when `text` holds a control character or one beyond Latin-1.
pub(crate) fn header_value(text: &str) -> Result<HeaderValue, NotHeaderText> {
    if text.is_ascii() {
        // `HeaderValue` refuses the other controls itself, but takes a tab
        if memchr::memchr(b'\t', text.as_bytes()).is_some() {
            return Err(NotHeaderText::Control);
        }
        return HeaderValue::from_str(text).map_err(|_| NotHeaderText::Control);
    }
    // the C1 controls (U+0080 to U+009F) are Latin-1 too
    if holds_control(text) {
        return Err(NotHeaderText::Control);
    }
    let bytes = latin1_bytes(text).map_err(NotHeaderText::BeyondLatin1)?;
    HeaderValue::from_bytes(&bytes).map_err(|_| NotHeaderText::Control)
}

/// `text` as Latin-1 bytes, one a character, as a header value is sent; `Err` with
/// the first character beyond Latin-1.
pub(crate) fn latin1_bytes(text: &str) -> Result<Vec<u8>, char> {
    text.chars().map(|c| u8::try_from(c).map_err(|_| c)).collect()
}

/// The text of a header value the runtime made with [`header_value`]: each byte a
/// Latin-1 character.
pub(crate) fn sent_text(value: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(value) {
        Ok(text) if text.is_ascii() => Cow::Borrowed(text),
        _ => Cow::Owned(latin1(value)),
    }
}

/// The text of a header value a server sent: UTF-8 when it is (as many servers
/// write non-ASCII text), else Latin-1, as HTTP reads a header's other bytes; never
/// a replacement character.
pub(crate) fn received_text(value: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(value) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => Cow::Owned(latin1(value)),
    }
}

/// `bytes` read as Latin-1, each byte the character of its value.
fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&byte| char::from(byte)).collect()
}

#[cfg(test)]
mod tests {
    use super::{header_value, holds_control, received_text, sent_text, NotHeaderText};

    #[test]
    fn a_header_value_holds_no_control_character() {
        for text in ["k\r\nX-Evil: 1", "k\tx", "k\u{85}x", "k\u{9f}x", "k\u{7f}x", "k\0x", "\u{1b}[31m", "é\n"] {
            assert_eq!(header_value(text), Err(NotHeaderText::Control), "{text:?}");
            assert!(holds_control(text), "{text:?}");
        }
    }

    #[test]
    fn a_header_value_is_sent_as_latin1_as_requests_sends_it() {
        for (text, bytes) in [
            ("Bearer a.b-c_~+/=", &b"Bearer a.b-c_~+/="[..]),
            ("", b""),
            ("José", b"Jos\xe9"),
            ("p\u{a0}ss", b"p\xa0ss"),
            ("£5 ¿k? ÿ", b"\xa35 \xbfk? \xff"),
        ] {
            let value = header_value(text).unwrap_or_else(|problem| panic!("{text:?}: {problem:?}"));
            assert_eq!(value.as_bytes(), bytes, "{text:?}");
            assert_eq!(sent_text(value.as_bytes()), text, "read back");
        }
        assert_eq!(header_value("5 €"), Err(NotHeaderText::BeyondLatin1('€')));
        assert_eq!(header_value("Ζωή"), Err(NotHeaderText::BeyondLatin1('Ζ')));
        assert!(NotHeaderText::BeyondLatin1('€').says().contains("send it in the body, or percent-encode it"));
    }

    #[test]
    fn a_received_value_reads_as_utf8_when_it_is_and_else_as_latin1() {
        assert_eq!(received_text("café €".as_bytes()), "café €");
        assert_eq!(received_text(b"caf\xe9"), "café");
        assert_eq!(received_text(b"plain"), "plain");
        // what the runtime sent reads back exactly, though it reads as UTF-8
        assert_eq!(sent_text(b"\xc3\xa9"), "Ã©");
    }
}
