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

/// Whether `name` is a valid HTTP header name: RFC 9110 `tchar`s, at least one.
///
/// ```
/// use conv_api_definitions::headers::is_header_name;
/// assert!(is_header_name("X-Api-Key") && !is_header_name("X Api Key") && !is_header_name(""));
/// ```
pub fn is_header_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
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
