//! What HTTP header text may hold: one rule for the definitions file's header names
//! and prefixes, the mock responses' header names and what the runtime sends (a mock
//! response's header value may hold a tab, as a server's may).

/// Whether `text` holds a control character (C0, a tab included, DEL, C1): no header
/// name, prefix or credential in a definitions file or sent by the runtime may.
///
/// ```
/// use conv_api_definitions::headers::holds_control;
/// assert!(holds_control("key\r\nX-Evil: 1") && holds_control("a\tb") && holds_control("a\u{85}b"));
/// assert!(!holds_control("Bearer a.b-c_~+/=") && !holds_control("päss wörd"));
/// ```
pub fn holds_control(text: &str) -> bool {
    text.chars().any(char::is_control)
}

/// The first character of `text` beyond Latin-1 (ISO-8859-1, U+0000 to U+00FF),
/// which a header cannot carry: header values are sent as Latin-1 bytes, as Python
/// `requests` sends them (and as WSGI, Node and Java servers read them), so `é` is
/// one byte, `0xE9`, and `€` is none.
///
/// ```
/// use conv_api_definitions::headers::beyond_latin1;
/// assert_eq!(beyond_latin1("Jos\u{e9} M\u{fc}ller, \u{a3}5"), None);
/// assert_eq!(beyond_latin1("5 \u{20ac}"), Some('\u{20ac}'));
/// ```
pub fn beyond_latin1(text: &str) -> Option<char> {
    text.chars().find(|&c| u32::from(c) > 0xFF)
}

/// What a header value holding `c`, [beyond Latin-1](beyond_latin1), is told: the
/// end of a sentence about it, with the fix.
///
/// ```
/// use conv_api_definitions::headers::not_latin1;
/// assert!(not_latin1('\u{20ac}').starts_with("holds `\u{20ac}` (U+20AC), a character beyond Latin-1"));
/// ```
pub fn not_latin1(c: char) -> String {
    format!(
        "holds `{c}` (U+{:04X}), a character beyond Latin-1 (ISO-8859-1), which an HTTP header cannot carry: \
         header values are sent as Latin-1, as Python `requests` sends them; send it in the body, or percent-encode it",
        u32::from(c)
    )
}

/// Whether a header `value` holds a control character other than a tab, which a
/// value, unlike a name, may hold (a mock response's, as a server's).
///
/// ```
/// use conv_api_definitions::headers::value_holds_control;
/// assert!(value_holds_control("a\r\nb") && !value_holds_control("a\tb"));
/// ```
pub fn value_holds_control(value: &str) -> bool {
    value.chars().any(|c| c.is_control() && c != '\t')
}

/// The longest header name the HTTP client sends (the `http` crate's limit; servers
/// take far less, commonly 8 KiB for a whole header line).
pub const MAX_HEADER_NAME_BYTES: usize = 65_535;

/// Whether `name` is a valid HTTP header name: RFC 9110 `tchar`s, at least one and
/// at most [`MAX_HEADER_NAME_BYTES`].
///
/// ```
/// use conv_api_definitions::headers::is_header_name;
/// assert!(is_header_name("X-Api-Key") && !is_header_name("X Api Key") && !is_header_name(""));
/// assert!(!is_header_name(&"x".repeat(65_536)));
/// ```
pub fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_HEADER_NAME_BYTES
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Why `name`, not a [header name](is_header_name), is none, with the fix, as the
/// end of a sentence about it: it is too long, or holds other characters.
///
/// ```
/// use conv_api_definitions::headers::not_a_header_name;
/// assert_eq!(not_a_header_name("X Key"), "is not a valid HTTP header name; use letters, digits and `-`");
/// assert!(not_a_header_name(&"x".repeat(70_000)).starts_with("is 70000 bytes long"));
/// ```
pub fn not_a_header_name(name: &str) -> String {
    if name.len() > MAX_HEADER_NAME_BYTES {
        format!(
            "is {} bytes long, more than an HTTP header name may be ({MAX_HEADER_NAME_BYTES}); shorten it",
            name.len()
        )
    } else {
        "is not a valid HTTP header name; use letters, digits and `-`".to_string()
    }
}

/// Headers the HTTP client writes from the request itself (its URL, its body) or that
/// frame the connection: set otherwise, they would contradict it (a `Content-Length`
/// that cuts the body short, a `Host` other than the URL's) or, holding a credential,
/// send it where every proxy reads it. Neither agent code nor auth may set them.
pub const CLIENT_HEADERS: [&str; 9] = [
    "content-length",
    "transfer-encoding",
    "host",
    "connection",
    "te",
    "trailer",
    "upgrade",
    "keep-alive",
    "proxy-connection",
];

/// Whether `name` (any case) is one of the [`CLIENT_HEADERS`].
///
/// ```
/// use conv_api_definitions::headers::is_client_header;
/// assert!(is_client_header("Host") && is_client_header("TRANSFER-ENCODING"));
/// assert!(!is_client_header("X-Api-Key") && !is_client_header("Authorization"));
/// ```
pub fn is_client_header(name: &str) -> bool {
    CLIENT_HEADERS.iter().any(|client| client.eq_ignore_ascii_case(name))
}
