//! What a header value the runtime sends may hold: no control character, a tab
//! included ([`holds_control`], the definitions file's rule for header names and
//! prefixes), for the caller's headers, credentials and the prefixes put before them.

pub(crate) use conv_api_definitions::headers::holds_control;
use reqwest::header::HeaderValue;

/// `text` as a header value, or `None` when it [`holds_control`]: `HeaderValue` takes
/// a tab and the C1 controls (U+0080 to U+009F), and refuses the others itself.
pub(crate) fn header_value(text: &str) -> Option<HeaderValue> {
    // a tab and every C1 control (0xC2 0x80..=0x9F in UTF-8) have one of these bytes:
    // most values, on every attempt, skip the walk over their characters
    if memchr::memchr2(b'\t', 0xC2, text.as_bytes()).is_some() && holds_control(text) {
        return None;
    }
    HeaderValue::from_str(text).ok()
}

#[cfg(test)]
mod tests {
    use super::{header_value, holds_control};

    #[test]
    fn a_header_value_holds_no_control_character() {
        for text in ["k\r\nX-Evil: 1", "k\tx", "k\u{85}x", "k\u{9f}x", "k\u{7f}x", "k\0x", "\u{1b}[31m"] {
            assert_eq!(header_value(text), None, "{text:?}");
            assert!(holds_control(text), "{text:?}");
        }
        // 0xC2 starts more than the C1 controls: a no-break space, `£`, `¿`
        for text in ["Bearer a.b-c_~+/=", "p\u{a0}ss", "£5", "¿k?", "päss wörd", ""] {
            assert_eq!(header_value(text).as_ref().map(|value| value.as_bytes()), Some(text.as_bytes()), "{text:?}");
            assert!(!holds_control(text), "{text:?}");
        }
    }
}
