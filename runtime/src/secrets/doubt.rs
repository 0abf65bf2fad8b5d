//! What looks amiss in a credential that calls still send as it is: quotes around
//! it, or a blank or invisible character at one of its ends.

use secrecy::ExposeSecret;

use super::{usable_value, SecretStore};

/// Quotes a value may be wrapped in: opening, closing, and their name.
const QUOTES: [(char, char, &str); 5] = [
    ('"', '"', "double quotes"),
    ('\'', '\'', "single quotes"),
    ('`', '`', "backticks"),
    ('\u{201c}', '\u{201d}', "typographic double quotes"),
    ('\u{2018}', '\u{2019}', "typographic single quotes"),
];

/// What looks amiss in the value of secret `name` in `store`, although calls send it
/// as it is: quotes around it (`"k-1"`, which a shell or a `.env` file would have
/// removed, as Docker's `--env-file` and Compose's lists keep them; or typographic
/// ones, from a document or a chat), or a space, tab, line break, no-break space or
/// zero-width character at its start or end. `None` when it is not set or looks like
/// a credential. For credentials (`auth` settings), not for PEM text or URLs. The
/// value itself is never shown.
///
/// ```
/// # extern crate conv_api_runtime as conv_api;
/// use conv_api::{secret_doubt, MapSecretStore};
/// let store = MapSecretStore::new().with("KEY", "\"k-1\"").with("PASTED", "k-1\u{a0}").with("OTHER", "k-1");
/// assert!(secret_doubt(&store, "KEY").unwrap().starts_with("its value is in double quotes (\"…\")"));
/// assert!(secret_doubt(&store, "PASTED").unwrap().starts_with("its value ends with a no-break space (U+00A0)"));
/// assert_eq!(secret_doubt(&store, "OTHER"), None);
/// ```
pub fn secret_doubt(store: &dyn SecretStore, name: &str) -> Option<String> {
    let value = usable_value(store, name)?;
    let text = value.expose_secret();
    quotes_doubt(text).or_else(|| ends_doubt(text))
}

/// The fewest characters of a masked credential that [`short_secret_doubt`] takes
/// as a real one.
const SHORT_CREDENTIAL: usize = 8;

/// What looks amiss in the value of secret `name` in `store`, a credential logs
/// mask (a password, an API key, a client secret): fewer than 8 characters. Such a
/// value (of two characters or more) is masked wherever it shows, inside words too
/// (a password `test` turns `latest` into `la***`), so it garbles logs and errors, and
/// the gaps tell it. Counted without the quotes or blank ends [`secret_doubt`] tells
/// of, as the value will be once they are taken off: a quoted `"k-1-9Qz"` is short
/// too. `None` when it is not set or longer. The value itself is never shown.
///
/// ```
/// # extern crate conv_api_runtime as conv_api;
/// use conv_api::{short_secret_doubt, MapSecretStore};
/// let store = MapSecretStore::new().with("PASSWORD", "test").with("SEVEN", "k-1-9Qz").with("KEY", "k-1-9Qz4");
/// assert!(short_secret_doubt(&store, "PASSWORD").unwrap().starts_with("its value has 4 characters"));
/// assert!(short_secret_doubt(&store, "SEVEN").unwrap().starts_with("its value has 7 characters"));
/// assert_eq!(short_secret_doubt(&store, "KEY"), None);
/// let one = MapSecretStore::new().with("PIN", "7");
/// assert!(short_secret_doubt(&one, "PIN").unwrap().starts_with("its value has 1 character, "));
/// let quoted = MapSecretStore::new().with("KEY", "\"k-1-9Qz\"");
/// assert!(short_secret_doubt(&quoted, "KEY").unwrap().starts_with("its value has 7 characters once"));
/// ```
pub fn short_secret_doubt(store: &dyn SecretStore, name: &str) -> Option<String> {
    let value = usable_value(store, name)?;
    let text = value.expose_secret();
    let credential = bare(text);
    let once = match credential.len() == text.len() {
        true => "",
        false => " once the quotes or blanks at its ends are taken off",
    };
    match credential.chars().count() {
        // nothing but quotes or blanks: `secret_doubt` says so
        0 => None,
        // masked only where it stands alone: a letter inside a word is no secret
        1 => Some(format!("its value has 1 character{once}, which no real credential has")),
        length if length < SHORT_CREDENTIAL => Some(format!(
            "its value has {length} characters{once}: logs and errors mask a credential wherever it shows, inside words too (a password `test` turns `latest` into `la***`), so one this short garbles them and its gaps tell it; a real credential is longer"
        )),
        _ => None,
    }
}

/// `text` without the blank or invisible characters at its ends and the quotes
/// around it, which [`secret_doubt`] tells of one at a time.
fn bare(text: &str) -> &str {
    fn trimmed(text: &str) -> &str {
        text.trim_matches(|c| stray(c).is_some())
    }
    let text = trimmed(text);
    match quotes_around(text) {
        Some((open, close, _)) => trimmed(&text[open.len_utf8()..text.len() - close.len_utf8()]),
        None => text,
    }
}

/// The pair of [`QUOTES`] around `text`, if any: opening, closing, and their name.
fn quotes_around(text: &str) -> Option<(char, char, &'static str)> {
    let length = text.chars().count();
    QUOTES.into_iter().find(|&(open, close, _)| length >= 2 && text.starts_with(open) && text.ends_with(close))
}

/// Quotes around `text`, or `text` that is nothing but a pair of quotes.
fn quotes_doubt(text: &str) -> Option<String> {
    let (open, close, quotes) = quotes_around(text)?;
    let why = match open.is_ascii() {
        true => "a shell or a `.env` file removes them, Docker's `--env-file` keeps them",
        false => "a document or a chat may have put them in when it was copied",
    };
    if text.chars().count() == 2 {
        return Some(format!(
            "its value is nothing but a pair of {quotes} ({open}{close}), which calls send as the credential; set the credential itself, or leave the secret unset if it is optional ({why})"
        ));
    }
    Some(format!(
        "its value is in {quotes} ({open}\u{2026}{close}), which calls send as part of it; remove them unless the credential holds them ({why})"
    ))
}

/// A blank or invisible character at the start or end of `text`.
fn ends_doubt(text: &str) -> Option<String> {
    let first = text.chars().next().and_then(stray);
    let last = text.chars().next_back().and_then(stray);
    let (place, them) = match (first, last) {
        (None, None) => return None,
        (Some(first), Some(last)) if first == last => (format!("starts and ends with {first}"), "them"),
        (Some(first), Some(last)) => (format!("starts with {first} and ends with {last}"), "them"),
        (Some(first), None) => (format!("starts with {first}"), "it"),
        (None, Some(last)) => (format!("ends with {last}"), "it"),
    };
    Some(format!("its value {place}, which calls send as part of it; remove {them} unless the credential holds {them}"))
}

/// What `c` is called when it is a character a credential hardly starts or ends
/// with: whitespace, or one that shows as nothing.
fn stray(c: char) -> Option<String> {
    let named = match c {
        ' ' => "a space",
        '\t' => "a tab",
        '\n' | '\r' => "a line break",
        '\u{a0}' => "a no-break space (U+00A0)",
        '\u{200b}' => "a zero-width space (U+200B)",
        '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}' => {
            return Some(format!("an invisible character (U+{:04X})", u32::from(c)))
        }
        c if c.is_whitespace() => return Some(format!("a blank character (U+{:04X})", u32::from(c))),
        _ => return None,
    };
    Some(named.to_string())
}
