//! The forms a secret value may take in a text: as it is, percent-encoded, in base64,
//! escaped inside a JSON string, as servers, URLs and programs write it.

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::http::header_text::latin1_bytes;

/// Characters a URL leaves as they are (RFC 3986 unreserved).
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');
/// Characters JavaScript's `encodeURIComponent` leaves as they are.
const URI_COMPONENT: &AsciiSet = &UNRESERVED.remove(b'!').remove(b'*').remove(b'\'').remove(b'(').remove(b')');
/// Characters Python's `urllib.parse.quote` leaves as they are (`/` by default).
const PATH_SAFE: &AsciiSet = &UNRESERVED.remove(b'/');
/// Characters JavaScript's `encodeURI` leaves as they are: those of
/// `encodeURIComponent` and the reserved ones.
const URI: &AsciiSet = &URI_COMPONENT
    .remove(b';')
    .remove(b',')
    .remove(b'/')
    .remove(b'?')
    .remove(b':')
    .remove(b'@')
    .remove(b'&')
    .remove(b'=')
    .remove(b'+')
    .remove(b'$')
    .remove(b'#');
/// What the URL standard percent-encodes in a path segment (`new URL(..)`, the `url`
/// crate): controls, space, ``"#<>?`{}``, `/` and `%`; the rest as it is.
const PATH_SEGMENT: &AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/')
    .add(b'%');

/// The forms a secret may take in text, none empty, some maybe more than once (the
/// searcher keeps one of each): those of [`forms_of`] the value, and of the value
/// without the whitespace around it, when it has some: HTTP takes that off a header
/// value, so a server sees, and may echo, the value trimmed; and the value in lower
/// case, as a header name made of it is written, and in upper case, as a server
/// that normalizes codes or keys echoes it. A value of one character (trimmed)
/// is no secret: only that character is masked where it stands alone, not its
/// encodings, which are common words (`1` is `MQ` in base64, `A` is `a` in lower case).
pub(super) fn encoded_forms(raw: &str) -> Vec<String> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return forms_of(raw);
    }
    if trimmed.chars().nth(1).is_none() {
        return vec![trimmed.to_string()];
    }
    let mut forms = forms_of(raw);
    if trimmed.len() != raw.len() {
        forms.extend(forms_of(trimmed));
    }
    forms.push(trimmed.to_ascii_lowercase());
    // in Unicode's upper case, as Python's `upper()` writes it (`straße` as `STRASSE`)
    forms.push(trimmed.to_uppercase());
    forms
}

/// The forms of `raw`, some maybe alike: raw; percent-encoded six ways (every byte not
/// alphanumeric, RFC 3986, `encodeURIComponent`, `encodeURI`, Python's `quote`, a URL
/// path segment) and form-encoded
/// two (WHATWG's, Python's), each with upper- and lowercase hex; base64 (standard and URL-safe, with and
/// without padding), alone and inside a longer text ([`base64_inside`]); inside a
/// JSON string, as serde_json, Python, PHP, Go and .NET write it ([`JsonEscapes`]);
/// and inside a string Rust's `{:?}` writes.
fn forms_of(raw: &str) -> Vec<String> {
    let mut forms = vec![raw.to_string()];
    let percent = [NON_ALPHANUMERIC, UNRESERVED, URI_COMPONENT, PATH_SAFE, URI, PATH_SEGMENT]
        .map(|set| utf8_percent_encode(raw, set).to_string());
    let form: String = url::form_urlencoded::byte_serialize(raw.as_bytes()).collect();
    // Python's `urlencode` and `quote_plus` (what `requests` sends for `data=`): RFC 3986
    // with a space as `+`
    let python_form = raw.contains(' ').then(|| percent[1].replace("%20", "+"));
    for encoded in percent.into_iter().chain([form]).chain(python_form) {
        forms.push(lowercase_hex(&encoded));
        forms.push(encoded);
    }
    forms.extend([STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD].map(|engine| engine.encode(raw)));
    forms.extend(base64_inside(raw.as_bytes()));
    let json = serde_json::to_string(raw).unwrap_or_default();
    if let Some(inside) = json.get(1..json.len().saturating_sub(1)) {
        // PHP's `json_encode` with `JSON_UNESCAPED_UNICODE`: `/` escaped, the rest as serde_json
        forms.push(inside.replace('/', "\\/"));
        forms.push(inside.to_string());
    }
    let writers = [JsonEscapes::Python, JsonEscapes::Php, JsonEscapes::Go, JsonEscapes::DotNet];
    forms.extend(writers.map(|escapes| escaped_json(raw, escapes)));
    // Rust's `{:?}`, as serde's "invalid type: string .." of a body that does not
    // decode quotes a value: a combining mark or a control as `\u{301}`
    let debug = format!("{raw:?}");
    if let Some(inside) = debug.get(1..debug.len().saturating_sub(1)) {
        forms.push(inside.to_string());
    }
    forms.extend(latin1_forms(raw));
    forms
}

/// The forms of `raw` sent as Latin-1 (header values are, as Python `requests` sends
/// them) and echoed in those bytes, by a PHP or Java server: as `Response::text()`
/// reads them (a byte that is no UTF-8 a U+FFFD: `clé` is `cl\u{FFFD}`) and
/// percent-encoded (`cl%E9`); none for ASCII, or text beyond Latin-1, which no header
/// carries.
fn latin1_forms(raw: &str) -> Vec<String> {
    if raw.is_ascii() {
        return Vec::new();
    }
    let Ok(bytes) = latin1_bytes(raw) else { return Vec::new() };
    let encoded = percent_encoding::percent_encode(&bytes, UNRESERVED).to_string();
    vec![String::from_utf8_lossy(&bytes).into_owned(), lowercase_hex(&encoded), encoded]
}

/// The shortest base64 [`base64_inside`] looks for: shorter runs of base64 are common
/// in text holding no secret.
pub(super) const MIN_BASE64_INSIDE: usize = 8;

/// The base64 `raw` leaves inside a longer text encoded whole (`Basic` credentials with
/// the secret as password, a JWT's claims, a server's own encoding of a header), in
/// the standard and URL-safe alphabets: at each of the three places in a group of
/// three bytes it may start, the characters made of its bytes alone, as those that
/// also hold bits of the bytes around it change with them. None shorter than
/// [`MIN_BASE64_INSIDE`] characters: a secret of six bytes has one, starting a group;
/// one of fewer has none.
pub(super) fn base64_inside(raw: &[u8]) -> Vec<String> {
    let mut forms = Vec::new();
    for offset in 0..3 {
        let mut shifted = vec![0u8; offset];
        shifted.extend_from_slice(raw);
        // a character is 6 bits: those from the first starting at or after the secret's
        // first bit, to the last ending at or before its last
        let (first, end) = ((8 * offset).div_ceil(6), 8 * shifted.len() / 6);
        if end < first + MIN_BASE64_INSIDE {
            continue;
        }
        let standard = STANDARD_NO_PAD.encode(&shifted)[first..end].to_string();
        let url_safe = standard.replace('+', "-").replace('/', "_");
        if url_safe != standard {
            forms.push(url_safe);
        }
        forms.push(standard);
    }
    forms
}

/// `encoded` with the hex digits of its `%XX` escapes in lowercase.
fn lowercase_hex(encoded: &str) -> String {
    let mut out = String::with_capacity(encoded.len());
    let mut digits_left = 0;
    for c in encoded.chars() {
        if digits_left > 0 {
            out.push(c.to_ascii_lowercase());
            digits_left -= 1;
        } else {
            out.push(c);
            if c == '%' {
                digits_left = 2;
            }
        }
    }
    out
}

/// Which characters a JSON writer escapes as `\uXXXX`, beyond those it must, and
/// the case of its hex digits.
#[derive(Clone, Copy, PartialEq)]
enum JsonEscapes {
    /// Python's `json.dumps`: everything past ASCII and DEL, lowercase.
    Python,
    /// PHP's `json_encode`: that, and `/` as `\/`.
    Php,
    /// Go's `encoding/json`: `<`, `>`, `&`, U+2028 and U+2029, lowercase; the rest
    /// past ASCII as it is.
    Go,
    /// .NET's `System.Text.Json`: everything past ASCII, DEL and HTML's
    /// characters, uppercase.
    DotNet,
}

/// `raw` inside a JSON string as `escapes` writes it: quotes, backslashes and
/// control characters escaped, and its own choice of characters as `\uXXXX` (UTF-16).
fn escaped_json(raw: &str, escapes: JsonEscapes) -> String {
    let as_code = |c: char| match escapes {
        JsonEscapes::Python => !c.is_ascii() || c == '\u{7f}',
        JsonEscapes::Php => !c.is_ascii(),
        JsonEscapes::Go => matches!(c, '<' | '>' | '&' | '\u{2028}' | '\u{2029}'),
        JsonEscapes::DotNet => !c.is_ascii() || matches!(c, '\u{7f}' | '"' | '&' | '\'' | '+' | '<' | '>' | '`'),
    };
    let code = |unit: u16| match escapes {
        JsonEscapes::DotNet => format!("\\u{unit:04X}"),
        _ => format!("\\u{unit:04x}"),
    };
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            _ if as_code(c) => c.encode_utf16(&mut [0u16; 2]).iter().for_each(|&unit| out.push_str(&code(unit))),
            '/' if escapes == JsonEscapes::Php => out.push_str("\\/"),
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            _ if c < ' ' => out.push_str(&code(c as u16)),
            _ => out.push(c),
        }
    }
    out
}
