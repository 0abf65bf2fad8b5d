//! The redactor on text a server controls: the input is a secret, then a header
//! value or note, separated by a NUL byte. Showing the text never panics; a known
//! secret of 8 letters and digits or more never shows (RELIABILITY 16, 18); and the
//! password of a URL, or of a URL in its query's values, written in it once, never
//! shows once its user info is removed (RELIABILITY 17), wherever the URL is shown
//! whole.
#![no_main]

use conv_api_runtime::{Redactor, SecretString};
use libfuzzer_sys::fuzz_target;
use url::Url;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else { return };
    let (secret, text) = input.split_once('\0').unwrap_or(("", input));
    let redactor = Redactor::new();
    let known = secret.len() >= 8 && secret.bytes().all(|byte| byte.is_ascii_alphanumeric());
    if known {
        redactor.add_secret(&SecretString::from(secret));
    }
    let url = Url::parse(text).ok();
    // each way but the last shows a URL without its user info
    let mut shown: Vec<String> = ["Location", "Link", "X-Note"].map(|name| redactor.header_value(name, text)).into();
    shown.extend(url.as_ref().map(|url| redactor.url(url)));
    let without_user_info = shown.len();
    shown.push(redactor.text(text));
    if known {
        for shown in &shown {
            assert!(!shown.contains(secret), "known secret {secret:?} shows in {shown:?}");
        }
    }
    let Some(url) = url else { return };
    // the URL's password, and that of each URL in its query's values (`next=https://..`)
    let inner = url.query_pairs().filter_map(|(_, value)| Some(Url::parse(&value).ok()?.password()?.to_string()));
    let passwords: Vec<String> = url.password().map(String::from).into_iter().chain(inner).collect();
    // one the URL library wrote as it was written, which no other part of the text
    // holds, also in other case (a host is written in lower case); in a URL with no
    // blank, `<`, `>` or `"` inside, which end a URL in a note as no URL holds them
    // (RFC 3986, appendix C; the URL library drops tabs and line breaks, and encodes
    // the others)
    let inside = text.trim_matches(|c: char| c <= ' ');
    let delimited = inside.contains(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"'));
    // and no known secret in it, whose mask may break the URL (a scheme holding it)
    let masked_in = known && text.contains(secret);
    if delimited || masked_in {
        return;
    }
    for password in passwords {
        let once = text.to_lowercase().matches(&password.to_lowercase()).count() == 1;
        if password.len() >= 8 && once {
            for shown in &shown[..without_user_info] {
                assert!(!shown.contains(&password), "password {password:?} shows in {shown:?}");
            }
        }
    }
});
