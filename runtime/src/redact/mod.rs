//! Redaction: what a log entry, an error or a `Debug` output may show of a request.
//!
//! One [`Redactor`] per runtime masks sensitive headers (RELIABILITY 17), sensitive
//! query values, URL user info, and every known secret value wherever it appears
//! (RELIABILITY 18: auth registers each secret and token with
//! [`Redactor::add_secret`]).

mod forms;
mod known;

use std::borrow::Cow;
use std::sync::Arc;

use arc_swap::Guard;
use conv_api_definitions::urls::{masked_query, masked_query_values};
use secrecy::{ExposeSecret, SecretString};
use url::Url;

use crate::header_text::{received_text, sent_text};

use known::{Known, Lifetime, Secrets};

/// How many OAuth 2.0 tokens a redactor keeps known, the most recently used; as many
/// of other values.
pub(crate) const MAX_TOKENS: usize = known::MAX_SECRETS;

pub use conv_api_definitions::urls::MASK;

/// Headers masked in every log entry (compared ignoring case): HTTP's own credentials
/// and cookies, and the usual names of an API key or token header, which agent code
/// may set by hand (`.header("X-API-Key", key)`) on an API whose definitions
/// configure no auth.
pub const SENSITIVE_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "x-api-key",
    "api-key",
    "apikey",
    "x-auth-token",
    "x-access-token",
];

/// Query parameters whose values are masked in every logged URL (compared ignoring
/// case); the definitions warn of one written in a resource.
pub use conv_api_definitions::urls::SENSITIVE_QUERY_PARAMS;

/// Whether header `name` (any case) holds a URL, which may carry user info or a
/// credential in its query.
pub(crate) fn is_url_header(name: &str) -> bool {
    name.eq_ignore_ascii_case("location") || name.eq_ignore_ascii_case("content-location")
}

/// The bit of [`Masks::header_shapes`] for a header name of `name`'s length and first
/// byte (any case): one multiplication and shift, as each header of every call is
/// looked up.
fn shape_bit(name: &str) -> u64 {
    let first = name.as_bytes().first().map_or(0, u8::to_ascii_lowercase);
    1 << (name.len().wrapping_mul(5).wrapping_add(usize::from(first)) % 64)
}

/// Whether `text` holds what marks a URL's user info: an `@`, or one percent-encoded
/// once or twice (`%40`, `%2540`), as in a URL inside another's query. One vectorized
/// scan with no searcher to set up, as the headers of every call are looked at.
pub(crate) fn may_hold_user_info(text: &[u8]) -> bool {
    let marks =
        |at: usize| text[at] == b'@' || text[at + 1..].starts_with(b"40") || text[at + 1..].starts_with(b"2540");
    memchr::memchr2_iter(b'@', b'%', text).any(marks)
}

/// The base a relative URL header (`/login?token=..`) is read against, then left out.
const RELATIVE_BASE: &str = "http://relative.invalid";

/// Masks sensitive parts of URLs, headers and text before they are logged or shown.
///
/// Clones share the set of known secrets, so a secret added through any clone is
/// masked by all of them; the header and query names masked are each value's own
/// (a clone made later starts with them).
///
/// ```
/// # extern crate conv_api_runtime as conv_api;
/// use conv_api::Redactor;
/// let mut redactor = Redactor::new();
/// redactor.mask_query_param("sig");
/// let url = conv_api::Url::parse("https://me:pw@api.example/x?sig=abc&page=2").unwrap();
/// assert_eq!(redactor.url(&url), "https://api.example/x?sig=***&page=2");
/// assert_eq!(redactor.header_value("Authorization", "Bearer abc"), "***");
/// ```
#[derive(Clone, Default)]
pub struct Redactor {
    /// Shared until a clone masks one more name: cloning counts one reference.
    masks: Arc<Masks>,
}

/// What a redactor masks.
#[derive(Clone, Default)]
struct Masks {
    /// Lowercase.
    headers: Vec<String>,
    /// The [`shape_bit`]s of `headers`: a response's ten or twenty header names are
    /// compared with them only where a shape matches, which few do (`content-type`
    /// is as long as `x-auth-token`, `server` as `cookie`).
    header_shapes: u64,
    query_params: Vec<String>,
    /// Shared by every clone, whatever names it masks.
    secrets: Arc<Secrets>,
}

impl Redactor {
    /// A redactor masking [`SENSITIVE_HEADERS`] and [`SENSITIVE_QUERY_PARAMS`].
    pub fn new() -> Redactor {
        let masks = Masks {
            headers: SENSITIVE_HEADERS.iter().map(|name| name.to_string()).collect(),
            header_shapes: SENSITIVE_HEADERS.iter().fold(0, |shapes, name| shapes | shape_bit(name)),
            query_params: SENSITIVE_QUERY_PARAMS.iter().map(|name| name.to_string()).collect(),
            secrets: Arc::default(),
        };
        Redactor { masks: Arc::new(masks) }
    }

    /// Also masks the header `name` (such as a configured API-key header), in this
    /// value only (and clones made from it later); to mask one in a runtime's logs,
    /// use [`RuntimeBuilder::mask_header`](crate::RuntimeBuilder::mask_header).
    pub fn mask_header(&mut self, name: &str) {
        if !self.is_sensitive_header(name) {
            let masks = Arc::make_mut(&mut self.masks);
            masks.headers.push(name.to_ascii_lowercase());
            masks.header_shapes |= shape_bit(name);
        }
    }

    /// Also masks the value of the query parameter `name` (such as an API-key
    /// parameter), in this value only, as [`mask_header`](Redactor::mask_header) does;
    /// see [`RuntimeBuilder::mask_query_param`](crate::RuntimeBuilder::mask_query_param).
    pub fn mask_query_param(&mut self, name: &str) {
        if !self.is_sensitive_query_param(name) {
            Arc::make_mut(&mut self.masks).query_params.push(name.to_ascii_lowercase());
        }
    }

    /// Masks `secret` wherever it appears in text this redactor (or a clone) cleans,
    /// also percent-encoded, form-encoded and in base64; a
    /// one-character value only where it stands alone, with no letter or digit next
    /// to it (`s` is masked in `key=s`, not in `sending`). Empty secrets are ignored.
    /// Past 1,024 values, the one whose stamp is oldest is forgotten. A value's stamp
    /// is renewed when it is added, and when it is added again or masked in a text (a
    /// session token a conversation keeps sending) more than 512 additions after its
    /// stamp; auth adds the values it uses on every attempt (and, at every
    /// conversation's start, the credentials of all its APIs). So a value in use goes
    /// only when 1,024 others were stamped after it. OAuth 2.0
    /// access tokens, which replace one another, are counted apart: however many come
    /// and go, they push out only older tokens, never a value added here. Adding a
    /// known value is a read while it is recent; once it is over 512 additions old, a
    /// store of its stamp under the redactor's writers' lock: it makes no new set,
    /// however many known values are added again.
    pub fn add_secret(&self, secret: &SecretString) {
        self.add(secret, Lifetime::Lasting);
    }

    /// Masks the OAuth 2.0 access token `token` as [`add_secret`](Redactor::add_secret)
    /// masks a secret, among the tokens: a new token pushes out only older tokens. A
    /// token of fewer than 8 characters is masked only where it stands alone, as a
    /// one-character secret is.
    pub(crate) fn add_token(&self, token: &SecretString) {
        self.add(token, Lifetime::Rotating);
    }

    /// Forgets the OAuth 2.0 access token `token`, which no call carries any more;
    /// a value also added with [`add_secret`](Redactor::add_secret) stays.
    pub(crate) fn forget_token(&self, token: &SecretString) {
        self.masks.secrets.forget_rotating(token.expose_secret());
    }

    fn add(&self, secret: &SecretString, lifetime: Lifetime) {
        if !secret.expose_secret().is_empty() {
            self.masks.secrets.add(secret, lifetime);
        }
    }

    /// Learns `value`, which a caller set in a header masked by its name
    /// (`Authorization: Bearer <token>`, a session header), and the credential after
    /// its scheme (a first word of letters), as a token: the log never searches such
    /// a header's value, and an API that echoes it has it masked wherever it shows
    /// (RELIABILITY 18). A value in use again is refreshed, as a known token is; hand-set
    /// values, like OAuth 2.0 tokens, push out only older tokens.
    pub(crate) fn learn_masked_header_value(&self, value: &[u8]) {
        let value = sent_text(value);
        let value = value.trim();
        self.add_token(&SecretString::from(value));
        let scheme_and_credential =
            value.split_once(' ').filter(|(scheme, _)| scheme.bytes().all(|b| b.is_ascii_alphabetic()));
        if let Some((_, credential)) = scheme_and_credential {
            self.add_token(&SecretString::from(credential.trim()));
        }
    }

    /// Whether the header `name` is masked.
    #[inline]
    pub fn is_sensitive_header(&self, name: &str) -> bool {
        self.masks.header_shapes & shape_bit(name) != 0 && self.is_masked_header(name)
    }

    /// Whether the header `name` is one of those masked, compared name by name.
    fn is_masked_header(&self, name: &str) -> bool {
        self.masks.headers.iter().any(|masked| masked.eq_ignore_ascii_case(name))
    }

    /// Whether the value of query parameter `name` is masked.
    pub fn is_sensitive_query_param(&self, name: &str) -> bool {
        self.masks.query_params.iter().any(|masked| masked.eq_ignore_ascii_case(name))
    }

    /// The header value as it may be shown: [`MASK`] for a sensitive header, a URL of
    /// `Location` or `Content-Location` as [`url`](Redactor::url) shows one, else
    /// cleaned text without the user info of a URL in it (`Link`, `Refresh`).
    pub fn header_value(&self, name: &str, value: &str) -> String {
        self.cleaner().header_value(name, value)
    }

    /// The URL as it may be shown: no user info, sensitive query values masked (in
    /// its fragment too), secrets replaced.
    pub fn url(&self, url: &Url) -> String {
        self.cleaner().shown_url(url).into_owned()
    }

    /// `text` with every known secret (raw or encoded) replaced by [`MASK`];
    /// overlapping ones, or one inside another, are masked as one, so no part shows.
    pub fn text(&self, text: &str) -> String {
        self.cleaner().text(text)
    }

    /// [`text`](Redactor::text) in place: `text` is rewritten only when it holds a secret.
    pub fn clean(&self, text: &mut String) {
        self.cleaner().clean(text);
    }

    /// The known secrets, read once to clean the several texts of one log entry.
    pub(crate) fn cleaner(&self) -> Cleaner<'_> {
        Cleaner { redactor: self, known: self.masks.secrets.snapshot() }
    }
}

/// A [`Redactor`] with its known secrets read once (other threads may still read them).
pub(crate) struct Cleaner<'a> {
    redactor: &'a Redactor,
    known: Guard<Arc<Known>>,
}

impl Cleaner<'_> {
    /// The generation of the known secrets read (see [`Known::generation`]).
    pub(crate) fn generation(&self) -> u64 {
        self.known.generation()
    }

    /// See [`Redactor::text`].
    pub(crate) fn text(&self, text: &str) -> String {
        self.cleaned(text).into_owned()
    }

    /// See [`Redactor::clean`].
    pub(crate) fn clean(&self, text: &mut String) {
        if let Cow::Owned(cleaned) = self.cleaned(text) {
            *text = cleaned;
        }
    }

    /// See [`Redactor::header_value`].
    pub(crate) fn header_value(&self, name: &str, value: &str) -> String {
        self.shown_header_value(name, value.as_bytes()).into_owned()
    }

    /// [`header_value`](Cleaner::header_value) of a value's bytes (read as UTF-8 when
    /// they are, else as Latin-1), borrowing them when they are shown as they are; a
    /// masked value is not read.
    pub(crate) fn shown_header_value<'v>(&self, name: &str, value: &'v [u8]) -> Cow<'v, str> {
        if self.is_sensitive_header(name) {
            return Cow::Borrowed(MASK);
        }
        // `from_utf8` checks the usual ASCII value fastest
        match std::str::from_utf8(value) {
            // a redirect's target is shown as the request's URL is: no user info, no key
            Ok(text) if is_url_header(name) => self.shown_url_text(text),
            // a URL inside another header (`Link: <https://user:pw@..>`) is shown as a URL too
            Ok(text) => match self.cleaned(text) {
                Cow::Borrowed(text) => self.shown_urls_in(text),
                Cow::Owned(cleaned) => Cow::Owned(self.shown_urls_in(&cleaned).into_owned()),
            },
            // shown as a valid value is, a URL's key masked too
            Err(_) => Cow::Owned(self.shown_header_value(name, received_text(value).as_bytes()).into_owned()),
        }
    }

    /// `text`, a header's value, with each URL in it that may carry user info (an `@`,
    /// also percent-encoded, as in a URL inside its query: `%40`, `%2540`) shown as
    /// [`shown_url_text`](Cleaner::shown_url_text) shows one: the `<..>` of a `Link`,
    /// the `url=` of a `Refresh`. A URL starts with its scheme, or with a `//` after a
    /// blank, `<`, `=`, `,` or `;`, and ends before a blank, `<`, `>`, `"` or `'`.
    fn shown_urls_in<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if !may_hold_user_info(text.as_bytes()) {
            return Cow::Borrowed(text);
        }
        let is_scheme_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.');
        let ends_url = |c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'');
        let mut shown = String::new();
        let (mut copied, mut from) = (0, 0);
        while let Some(found) = text[from..].find("//").map(|at| from + at) {
            // its scheme, written before `://`, or none for `//host/..`
            let scheme = text[..found]
                .strip_suffix(':')
                .map_or(0, |before| before.len() - before.trim_end_matches(is_scheme_char).len());
            let start = match scheme {
                0 => found,
                _ => found - 1 - scheme,
            };
            let end = text[found..].find(ends_url).map_or(text.len(), |at| found + at);
            // a scheme starts a URL wherever it is; a `//` after a blank or a sign that ends a value
            let after = text[..start].chars().next_back();
            let starts_a_url = scheme > 0 || after.is_none_or(|c| ends_url(c) || matches!(c, '=' | ',' | ';'));
            if start >= copied && starts_a_url && may_hold_user_info(&text.as_bytes()[start..end]) {
                shown.push_str(&text[copied..start]);
                shown.push_str(&self.shown_url_text(&text[start..end]));
                copied = end;
            }
            from = end.max(found + 2);
        }
        if copied == 0 {
            return Cow::Borrowed(text);
        }
        shown.push_str(&text[copied..]);
        Cow::Owned(shown)
    }

    /// `text`, a URL or a relative one (`/login?token=..`, `//user:pw@host/x`,
    /// `sessions/7?token=..`), as [`shown_url`](Cleaner::shown_url) shows a URL.
    fn shown_url_text<'t>(&self, text: &'t str) -> Cow<'t, str> {
        // the secrets in the text as sent first: parsed, it may be written otherwise
        // (`'` as `%27` in a query, a space as `%20` in a path)
        match self.cleaned(text) {
            Cow::Borrowed(text) => self.shown_cleaned_url_text(text),
            Cow::Owned(cleaned) => Cow::Owned(self.shown_cleaned_url_text(&cleaned).into_owned()),
        }
    }

    /// [`shown_url_text`](Cleaner::shown_url_text) of a text with no secret left.
    fn shown_cleaned_url_text<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if let Ok(url) = Url::parse(text) {
            return Cow::Owned(self.shown_url(&url).into_owned());
        }
        let joined = Url::parse(RELATIVE_BASE).and_then(|base| base.join(text));
        let Some(url) = joined.ok().filter(|_| text.starts_with('/')) else {
            // text no URL parser reads that starts with a scheme or `//`, whose user info
            // may hold a `/`, `?` or `#`: masked whole up to its host, and its query and
            // fragment (a URL in the query of a relative one is no scheme of its own)
            if starts_as_absolute(text) && text.contains('@') {
                return conv_api_definitions::urls::shown(text);
            }
            // a relative path: its query and fragment masked as written (joined to a
            // base, `..` in it would be resolved)
            return self.masked_query_and_fragment(text);
        };
        let shown = self.shown_url(&url);
        // what the server sent: the path, or `//host/..` for a scheme-relative one
        let prefix = if text.starts_with("//") { "http:" } else { RELATIVE_BASE };
        Cow::Owned(shown.strip_prefix(prefix).unwrap_or(&shown).to_string())
    }

    /// `text` with the sensitive values of its query (after the first `?`) and of its
    /// fragment (after the first `#`, where an OAuth 2.0 redirect puts a token) masked,
    /// every other byte as it was: rewritten, a secret in them would take a form the
    /// last scan may not know.
    fn masked_query_and_fragment<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let (before_fragment, fragment) = text.split_once('#').map_or((text, None), |(rest, f)| (rest, Some(f)));
        let (path, query) = before_fragment.split_once('?').map_or((before_fragment, None), |(p, q)| (p, Some(q)));
        // sensitive values masked, and the user info of a URL in one (`next=https://agent:pw@..`)
        let masked = |params: &'t str| match masked_query(params, |name| self.redactor.is_sensitive_query_param(name)) {
            Cow::Borrowed(params) => without_user_info_of_urls_in(params),
            Cow::Owned(params) => Cow::Owned(without_user_info_of_urls_in(&params).into_owned()),
        };
        let (query, fragment) = (query.map(masked), fragment.map(masked));
        if !query.iter().chain(&fragment).any(|part| matches!(part, Cow::Owned(_))) {
            return Cow::Borrowed(text);
        }
        let mut shown = path.to_string();
        for (mark, part) in [('?', query), ('#', fragment)] {
            if let Some(part) = part {
                shown.push(mark);
                shown.push_str(&part);
            }
        }
        Cow::Owned(shown)
    }

    /// See [`Redactor::is_sensitive_header`].
    #[inline]
    pub(crate) fn is_sensitive_header(&self, name: &str) -> bool {
        self.redactor.is_sensitive_header(name)
    }

    /// Whether `text` holds a form of a known secret.
    pub(crate) fn holds_secret(&self, text: &str) -> bool {
        self.known.holds(text)
    }

    /// [`Redactor::url`], borrowing the URL's text when nothing in it is masked.
    pub(crate) fn shown_url<'u>(&self, url: &'u Url) -> Cow<'u, str> {
        if url.username().is_empty() && url.password().is_none() {
            return match self.masked_query_and_fragment(url.as_str()) {
                Cow::Borrowed(text) => self.cleaned(text),
                Cow::Owned(masked) => Cow::Owned(self.text(&masked)),
            };
        }
        let mut shown = url.clone();
        // Both setters fail only for URLs that cannot have user info, which then have none.
        let _ = shown.set_username("");
        let _ = shown.set_password(None);
        Cow::Owned(self.text(&self.masked_query_and_fragment(shown.as_str())))
    }

    /// A resource template as written (`/search?api_key=abc&q={q}`), shown as
    /// [`shown_url`](Cleaner::shown_url) shows a URL: sensitive query values written
    /// out masked (`{variables}` stay, they hold nothing yet), secrets replaced.
    pub(crate) fn shown_resource(&self, resource: &str) -> String {
        self.text(&masked_query_values(resource, |name| self.redactor.is_sensitive_query_param(name)))
    }

    /// `text` cleaned, borrowed when it holds no secret. Every occurrence of every
    /// form is masked, overlapping ones as one, so no part of a secret shows.
    pub(crate) fn cleaned<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let Some(mut cleaned) = self.masked_once(text) else { return Cow::Borrowed(text) };
        // a secret that starts or ends with `*` may be made again of a mask and the
        // text beside it (`ab**` in `abab**`); each pass masks more of the text, and a
        // secret all of `*` (which every mask shows) stops them
        for _ in 0..3 {
            match self.masked_once(&cleaned) {
                Some(again) => cleaned = again,
                None => break,
            }
        }
        Cow::Owned(cleaned)
    }

    /// `text` with every form found in it masked once; `None` when it holds none.
    fn masked_once(&self, text: &str) -> Option<String> {
        let found = self.known.find(text);
        if found.ranges.is_empty() {
            return None;
        }
        for value in &found.values {
            self.redactor.masks.secrets.refresh(value.text());
        }
        let mut cleaned = String::with_capacity(text.len());
        let mut shown = 0;
        for range in found.ranges {
            // forms are whole UTF-8 text, so each range starts and ends at a character
            cleaned.push_str(&text[shown..range.start]);
            cleaned.push_str(MASK);
            shown = range.end;
        }
        cleaned.push_str(&text[shown..]);
        Some(cleaned)
    }
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let count = self.masks.secrets.snapshot().len();
        f.debug_struct("Redactor")
            .field("headers", &self.masks.headers)
            .field("query_params", &self.masks.query_params)
            .field("secrets", &format_args!("{count} hidden"))
            .finish()
    }
}

/// Whether `text` starts as a URL with a scheme (`https:`, `mailto:`) or an authority
/// (`//host`, or `\\host`, `/\host` as a browser reads them), not as a relative path.
fn starts_as_absolute(text: &str) -> bool {
    if text.bytes().take(2).filter(|&byte| matches!(byte, b'/' | b'\\')).count() == 2 {
        return true;
    }
    let scheme_end = text.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')));
    text.starts_with(|c: char| c.is_ascii_alphabetic()) && scheme_end.is_some_and(|end| text[end..].starts_with(':'))
}

/// `text`, a query or fragment, with the user info of each URL in its values masked,
/// written out or percent-encoded (once, as the runtime builds a query value, or twice,
/// as a redirect inside a redirect is): `next=https://agent:pw@app.example/` shows
/// `next=https://***@app.example/`. The user info ends at the last `@` of the value
/// before its URL's own query or fragment (past them when the text before reads as
/// `user:password`), as a password may hold `/`, `+`, `,`, `?` or `#`: better too much
/// than part of a password. Each value is read once.
fn without_user_info_of_urls_in(text: &str) -> Cow<'_, str> {
    if !may_hold_user_info(text.as_bytes()) {
        return Cow::Borrowed(text);
    }
    // an ASCII lower-case copy has the same byte offsets
    let lower = text.to_ascii_lowercase();
    // where an authority starts: after a scheme (`https://`, `https:\\` as browsers read
    // it), or at a `//` that starts a value
    let after_scheme = ["://", ":\\\\", ":/\\", "%3a%2f%2f", "%3a%5c%5c", "%253a%252f%252f"];
    let starting_a_value = ["//", "\\\\", "/\\", "%2f%2f", "%5c%5c", "%252f%252f"];
    let starts_a_value = |at: usize| at == 0 || lower[..at].ends_with('=');
    let mut starts: Vec<usize> = after_scheme
        .into_iter()
        .flat_map(|marker| lower.match_indices(marker))
        .chain(
            starting_a_value
                .into_iter()
                .flat_map(|marker| lower.match_indices(marker))
                .filter(|&(at, _)| starts_a_value(at)),
        )
        .map(|(at, found)| at + found.len())
        .collect();
    starts.sort_unstable();
    let mut shown = String::new();
    let (mut copied, mut read) = (0, 0);
    for start in starts {
        if start < read {
            continue;
        }
        let value = &lower[start..];
        let value = &value[..value.find(['&', ' ']).unwrap_or(value.len())];
        read = start + value.len();
        // the URL's own query or fragment (`?login_hint=ops@corp.example`) holds no user info
        let authority_and_path = ["?", "#", "%3f", "%23", "%253f", "%2523"]
            .into_iter()
            .filter_map(|mark| value.find(mark))
            .min()
            .map_or(value, |end| &value[..end]);
        let last_at = |text: &str| ["@", "%40", "%2540"].into_iter().filter_map(|at| text.rfind(at)).max();
        // a password holding `?` or `#` (`agent:p?ss@`): what comes before them reads as
        // `user:password`, not `host:port`
        let written_out = authority_and_path.split('%').next().unwrap_or_default();
        let password_cut = conv_api_definitions::urls::reads_as_user_info(written_out);
        let user_info_end = last_at(authority_and_path).or_else(|| password_cut.then(|| last_at(value)).flatten());
        if let Some(end) = user_info_end {
            shown.push_str(&text[copied..start]);
            shown.push_str(MASK);
            copied = start + end;
        }
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    shown.push_str(&text[copied..]);
    Cow::Owned(shown)
}

#[cfg(test)]
mod tests {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    use base64::Engine;

    use super::forms::{base64_inside, encoded_forms, MIN_BASE64_INSIDE};
    use super::known::{is_one_character, MAX_SECRETS};
    use super::*;

    #[test]
    fn masked_headers_are_found_in_any_case_and_the_usual_response_headers_pass_their_shape_check() {
        let mut redactor = Redactor::new();
        redactor.mask_header("X-Session");
        for name in SENSITIVE_HEADERS.iter().copied().chain(["x-session"]) {
            for written in [name.to_string(), name.to_ascii_uppercase()] {
                assert!(redactor.is_sensitive_header(&written), "{written}");
            }
        }
        let usual = [
            "date",
            "server",
            "content-type",
            "content-length",
            "cache-control",
            "x-request-id",
            "vary",
            "etag",
            "x-ratelimit-limit",
            "strict-transport-security",
            "access-control-allow-origin",
            "user-agent",
        ];
        let default = Redactor::new();
        for name in usual {
            assert!(!redactor.is_sensitive_header(name), "{name}");
            let compared = default.masks.header_shapes & shape_bit(name) != 0;
            assert!(!compared || name == "x-request-id", "{name} is compared name by name");
        }
        assert!(!redactor.is_sensitive_header(""));
    }

    #[test]
    fn a_secret_is_masked_as_javascript_python_and_lowercase_hex_write_it() {
        let redactor = Redactor::new();
        redactor.add_secret(&SecretString::from("p@ss!w\u{f6}rd\""));
        for written in [
            "p%40ss!w%C3%B6rd%22",   // encodeURIComponent
            "p@ss!w%C3%B6rd%22",     // encodeURI
            "p%40ss%21w%c3%b6rd%22", // lowercase hex
            "p@ss!w\u{f6}rd\\\"",    // inside a JSON string
            "p@ss!w\\u00f6rd\\\"",   // json.dumps, ASCII only
        ] {
            assert_eq!(redactor.text(&format!("echo: {written}.")), format!("echo: {MASK}."), "{written}");
        }
        // Python's `urlencode`, as `requests` sends a form: `*` encoded, `~` not, a space as `+`
        redactor.add_secret(&SecretString::from("secret value*~1234"));
        assert_eq!(redactor.text("a=secret+value%2A~1234&b=1"), format!("a={MASK}&b=1"));
        // a URL's path segment, as browsers and the `url` crate write it, and `encodeURI`
        redactor.add_secret(&SecretString::from("Ab3/Cd4 Ef5+Gh6=Ij7&Kl8%Mn9"));
        for written in ["Ab3%2FCd4%20Ef5+Gh6=Ij7&Kl8%25Mn9", "Ab3/Cd4%20Ef5+Gh6=Ij7&Kl8%25Mn9"] {
            assert_eq!(redactor.text(&format!("/v1/{written}/x")), format!("/v1/{MASK}/x"), "{written}");
        }
    }

    #[test]
    fn a_url_in_any_other_header_is_shown_as_a_url_is() {
        let redactor = Redactor::new();
        let shown = |name: &str, value: &str| redactor.header_value(name, value);
        assert_eq!(shown("Link", "<https://u:pw@h.example/n>; rel=next"), "<https://h.example/n>; rel=next");
        assert_eq!(shown("Refresh", "5; url=//u:pw@h.example/"), "5; url=//h.example/");
        assert_eq!(shown("X-Links", "a,https://u:pw@h.example/b"), "a,https://h.example/b");
        // a URL in another's query, percent-encoded, as a redirect's target may be
        let nested = "<https://app.example/login?next=https%3A%2F%2Fagent%3Apa55%40app.example%2F>; rel=next";
        assert!(!shown("Link", nested).contains("pa55"), "{}", shown("Link", nested));
        // an `@` that is no user info: in a path, an address, a query
        for text in [
            "<https://cdn.example/npm/@fontsource/inter@5.0.0/index.css>; rel=preload",
            "<https://social.example/@alice>; rel=me",
            "<https://h.example/a>,<mailto:ops@acme.example>",
            "ops@acme.example",
            "<https://h.example/n?by=ops@acme.example>; rel=next",
        ] {
            assert_eq!(shown("Link", text), text, "no user info to remove");
        }
    }

    #[test]
    fn url_headers_are_shown_as_urls_whatever_their_form_and_case() {
        let redactor = Redactor::new();
        let shown = |name: &str, value: &str| redactor.header_value(name, value);
        assert_eq!(shown("Location", "https://u:pw@h.example/x?token=t"), "https://h.example/x?token=***");
        assert_eq!(shown("location", "/login?api_key=k&next=1"), "/login?api_key=***&next=1");
        assert_eq!(shown("CONTENT-LOCATION", "//u:pw@h.example/x"), "//h.example/x");
        assert_eq!(shown("location", "not a url ?q=t"), "not a url ?q=t", "text stays text");
        // a relative path, as a 201 may send it, and what no URL parser reads: masked as written
        assert_eq!(shown("location", "sessions/7?access_token=t&q=1"), "sessions/7?access_token=***&q=1");
        assert_eq!(shown("location", "../s/7?x=1#token=t"), "../s/7?x=1#token=***");
        assert_eq!(shown("location", "not a url ?token=t"), "not a url ?token=***");
        // an OAuth 2.0 redirect's token is in the fragment
        assert_eq!(
            shown("Location", "https://app.example/cb#access_token=t&token_type=bearer"),
            "https://app.example/cb#access_token=***&token_type=bearer"
        );
        assert_eq!(shown("location", "/cb?state=s#id_token=i"), "/cb?state=s#id_token=***");
        assert_eq!(shown("x-next", "/login?api_key=k"), "/login?api_key=k", "only URL headers");
        let url = Url::parse("https://h.example/cb?refresh_token=r&id_token=i&sig=s&X-Api-Key=k&page=2").unwrap();
        assert_eq!(
            redactor.url(&url),
            "https://h.example/cb?refresh_token=***&id_token=***&sig=s&X-Api-Key=***&page=2"
        );
    }

    #[test]
    fn a_resource_as_written_shows_credential_values_masked_and_variables_as_they_are() {
        let mut redactor = Redactor::new();
        redactor.mask_query_param("session");
        let cleaner = redactor.cleaner();
        for (resource, shown) in [
            ("/find?api_key=abc&q={q}&page=2", "/find?api_key=***&q={q}&page=2"),
            ("/find?token={t}&api%5Fkey=abc", "/find?token={t}&api%5Fkey=***"),
            ("/find?flag&session=s-1&=x&token=", "/find?flag&session=***&=x&token="),
            ("/tickets/{id}", "/tickets/{id}"),
        ] {
            assert_eq!(cleaner.shown_resource(resource), shown, "{resource}");
        }
    }

    #[test]
    fn masks_standard_headers_ignoring_case() {
        let redactor = Redactor::new();
        for name in ["Authorization", "PROXY-AUTHORIZATION", "cookie", "Set-Cookie"] {
            assert_eq!(redactor.header_value(name, "x"), MASK);
        }
        assert_eq!(redactor.header_value("Accept", "x"), "x");
    }

    #[test]
    fn configured_names_are_masked() {
        let mut redactor = Redactor::new();
        redactor.mask_header("X-Api-Key");
        redactor.mask_query_param("key");
        assert_eq!(redactor.header_value("x-api-key", "k"), MASK);
        // names of 63 bytes and more share one length bit: each is still compared whole
        let long = format!("x-{}", "a".repeat(70));
        redactor.mask_header(&long.to_ascii_uppercase());
        assert_eq!(redactor.header_value(&long, "k"), MASK);
        assert_eq!(redactor.header_value(&format!("x-{}", "b".repeat(70)), "k"), "k");
        let url = Url::parse("http://h.example/p?key=k1&q=a%20b").unwrap();
        assert_eq!(redactor.url(&url), "http://h.example/p?key=***&q=a%20b", "the rest as it was sent");
    }

    #[test]
    fn a_secret_in_a_url_header_is_masked_as_sent_before_the_url_is_parsed() {
        let redactor = Redactor::new();
        for secret in ["a'b`c-123", "pa/ss word|1"] {
            redactor.add_secret(&SecretString::from(secret));
        }
        // parsed first, `'` in the query became `%27` and the space in the path `%20`
        assert_eq!(redactor.header_value("Location", "/x?q=a'b`c-123&page=2"), "/x?q=***&page=2");
        assert_eq!(
            redactor.header_value("Location", "https://h.example/x/pa/ss word|1/y"),
            "https://h.example/x/***/y"
        );
    }

    #[test]
    fn a_url_header_no_parser_reads_shows_no_user_info() {
        let redactor = Redactor::new();
        for (location, shown) in [
            ("https://agent:pa/ss@api.example/next", "https://***@api.example/next"),
            ("https://agent:p?ss@api.example/next?page=2", "https://***@api.example/next?***"),
            ("https://agent:p#ss@api.example/next", "https://***@api.example/next"),
            ("//agent:pa/ss@api.example/next", "***@api.example/next"),
            // no user info: the query's sensitive values alone are masked, as written
            ("sessions/7?token=t&page=2", "sessions/7?token=***&page=2"),
            // a relative one has no authority: an `@` in it is no user info's end
            ("users/a@b.example?page=2", "users/a@b.example?page=2"),
            ("confirm?email=ops@corp.example&token=t", "confirm?email=ops@corp.example&token=***"),
            // a URL in its query is no scheme of its own
            (
                "confirm?email=ops@corp.example&next=https://app.example/x&token=t",
                "confirm?email=ops@corp.example&next=https://app.example/x&token=***",
            ),
            // the user info of a URL in the query, of a relative or an absolute one
            ("login?next=https://agent:pw0rd@api.example/&page=2", "login?next=https://***@api.example/&page=2"),
            (
                "https://h.example/login?next=https://agent:pw0rd@api.example/",
                "https://h.example/login?next=https://***@api.example/",
            ),
            // percent-encoded, as a query value the runtime builds; a password with a `/`; a scheme-relative URL
            (
                "/login?next=https%3A%2F%2Fagent%3Apw0rd%40api.example%2F&page=2",
                "/login?next=https%3A%2F%2F***%40api.example%2F&page=2",
            ),
            ("login?next=https://agent:pa/ss@api.example/&page=2", "login?next=https://***@api.example/&page=2"),
            ("login?next=//agent:pw0rd@api.example/&page=2", "login?next=//***@api.example/&page=2"),
            // a password may hold `+`: an e-mail address after a URL in the same value masks too much
            ("login?next=https://agent:pw+rd@api.example/&page=2", "login?next=https://***@api.example/&page=2"),
            ("search?q=see+https://app.example+or+mail+ops@corp.example", "search?q=see+https://***@corp.example"),
            // twice encoded, a redirect in a redirect; a backslash form
            (
                "cb?next=https%253A%252F%252Fagent%253Apw0rd%2540api.example%252F",
                "cb?next=https%253A%252F%252F***%2540api.example%252F",
            ),
            ("cb?next=\\\\agent:pw0rd@api.example/", "cb?next=\\\\***@api.example/"),
            // a password holding `?`
            ("cb?next=https://agent:p?ss@api.example/x&page=2", "cb?next=https://***@api.example/x&page=2"),
            // the URL's own query is no user info
            (
                "/authorize?redirect_uri=https://app.example/cb?login_hint=ops@corp.example&state=1",
                "/authorize?redirect_uri=https://app.example/cb?login_hint=ops@corp.example&state=1",
            ),
        ] {
            assert_eq!(redactor.header_value("Location", location), shown, "{location}");
        }
        // an authority after a slash and a backslash, as browsers read them
        for location in ["/\\agent:pa/ss@api.example/next", "\\/agent:pa/ss@api.example/next"] {
            let shown = redactor.header_value("Location", location);
            assert!(!shown.contains("agent") && !shown.contains("ss@"), "{location}: {shown}");
        }
        // a scheme without `//`, which browsers read as one with it
        for location in ["https:user:p/ss@host.example/x", "http:/user:p/ss@host.example/x"] {
            let shown = redactor.header_value("Location", location);
            assert!(!shown.contains("user") && !shown.contains("ss@"), "{location}: {shown}");
        }
    }

    #[test]
    fn a_masked_query_parameter_leaves_the_others_as_they_were_sent() {
        let redactor = Redactor::new();
        redactor.add_secret(&SecretString::from("Zm9v+YmFy/cXV4=="));
        let url = Url::parse("https://h.example/cb?token=t&echo=Zm9v+YmFy/cXV4==&q=a%20b+c").unwrap();
        // written again, `/` would be `%2F` and `=` `%3D`: a form of the secret no scan knows
        assert_eq!(redactor.url(&url), "https://h.example/cb?token=***&echo=***&q=a%20b+c");
    }

    #[test]
    fn a_mask_and_the_text_beside_it_do_not_make_a_secret_again() {
        let redactor = Redactor::new();
        redactor.add_secret(&SecretString::from("ab**"));
        let cleaned = redactor.text("abab** and **ab**");
        assert!(!cleaned.contains("ab**"), "{cleaned}");
    }

    #[test]
    fn a_one_character_value_is_masked_standing_alone_and_not_through_its_encodings() {
        let redactor = Redactor::new();
        redactor.add_secret(&SecretString::from("1"));
        redactor.add_secret(&SecretString::from("A"));
        assert_eq!(redactor.text("MQTT broker at MQ host, a cat"), "MQTT broker at MQ host, a cat");
        assert_eq!(redactor.text("code 1, grade A"), "code ***, grade ***");
    }

    #[test]
    fn secrets_are_replaced_raw_and_percent_encoded_across_clones() {
        let redactor = Redactor::new();
        let clone = redactor.clone();
        redactor.add_secret(&SecretString::from("s3cr et"));
        assert_eq!(clone.text("a s3cr et b s3cr%20et c s3cr+et"), "a *** b *** c ***");
        assert_eq!(clone.text("d czNjciBldA== e czNjciBldA"), "d *** e ***");
        assert!(!format!("{clone:?}").contains("s3cr"));
    }

    #[test]
    fn secrets_are_replaced_as_common_servers_escape_them() {
        let redactor = Redactor::new();
        redactor.add_secret(&SecretString::from("Zm9v+YmFy/cXV4=="));
        redactor.add_secret(&SecretString::from("pässwörd+1"));
        redactor.add_secret(&SecretString::from("kä/y<&1"));
        redactor.add_secret(&SecretString::from("del\u{7f}é-1"));
        let echoes = [
            r"kä\/y<&1",                  // PHP's json_encode with JSON_UNESCAPED_UNICODE
            r"del\u007f\u00e9-1",         // Python's json.dumps, DEL
            r"del\u007F\u00E9-1",         // .NET, DEL
            r"k\u00e4\/y<&1",             // PHP's json_encode, past ASCII and `/`
            r"kä/y\u003c\u00261",         // Go's encoding/json
            r"Zm9v+YmFy\/cXV4==",         // PHP's json_encode
            r"Zm9v\u002BYmFy/cXV4==",     // .NET's System.Text.Json
            "Zm9v%2BYmFy/cXV4%3D%3D",     // Python's urllib.parse.quote
            r"p\u00E4ssw\u00F6rd\u002B1", // .NET, past ASCII
            r"p\u00e4ssw\u00f6rd+1",      // Python's json.dumps
        ];
        for echo in echoes {
            assert_eq!(redactor.text(&format!("key {echo} refused")), "key *** refused", "{echo}");
        }
    }

    #[test]
    fn a_value_inside_a_longer_one_does_not_split_it() {
        let redactor = Redactor::new();
        redactor.add_secret(&SecretString::from("pw"));
        redactor.add_secret(&SecretString::from("agent:pw"));
        assert_eq!(redactor.text("x agent:pw y pw"), "x *** y ***");
    }

    #[test]
    fn overlapping_secrets_are_masked_as_one() {
        let redactor = Redactor::new();
        redactor.add_secret(&SecretString::from("abc"));
        redactor.add_secret(&SecretString::from("bcde"));
        assert_eq!(redactor.text("xabcdey abc bcde"), "x***y *** ***");
        assert_eq!(redactor.text("näïve ab bcd"), "näïve ab bcd", "nothing to mask, nothing changed");
    }

    #[test]
    fn a_secret_inside_a_longer_text_encoded_in_base64_is_masked() {
        let redactor = Redactor::new();
        let secret = "sk_live_51HqLyjWDarjtT1zdp7dc";
        redactor.add_secret(&SecretString::from(secret));
        for text in [format!("agent:{secret}"), format!(r#"{{"key":"{secret}","n":1}}"#), format!("ab{secret}")] {
            for encoded in [STANDARD.encode(&text), URL_SAFE_NO_PAD.encode(&text)] {
                let cleaned = redactor.text(&format!("Basic {encoded}"));
                assert!(cleaned.starts_with("Basic ") && cleaned.contains(MASK), "{text}: {cleaned}");
                // what is left of the encoding around the mask is at most the bytes
                // around the secret and the two characters that hold bits of both
                assert!(cleaned.len() - MASK.len() <= "Basic ".len() + encoded.len() - 4 * secret.len() / 3 + 2);
            }
        }
        // a short value is not looked for inside base64, where it would match by chance
        assert_eq!(base64_inside(b"abcde"), Vec::<String>::new());
        assert_eq!(base64_inside(b"abcdef"), ["YWJjZGVm"], "only where it starts a group of three bytes");
        assert_eq!(base64_inside(b"abcdef?~").len(), 5, "URL-safe too, where it differs");
    }

    proptest::proptest! {
        /// Whatever bytes are around a secret of seven bytes or more, a text holding it
        /// encoded in base64 keeps none of the characters made of the secret's bytes
        /// alone, eight in a row.
        #[test]
        fn no_secret_survives_inside_base64(
            before in proptest::collection::vec(proptest::num::u8::ANY, 0..8),
            secret in "[ -~]{7,40}",
            after in proptest::collection::vec(proptest::num::u8::ANY, 0..8),
            url_safe: bool,
            padded: bool,
        ) {
            proptest::prop_assume!(!secret.contains('*') && secret.trim().len() == secret.len());
            let redactor = Redactor::new();
            redactor.add_secret(&SecretString::from(secret.clone()));
            let bytes = [before.as_slice(), secret.as_bytes(), after.as_slice()].concat();
            let engine = match (url_safe, padded) {
                (false, true) => STANDARD,
                (false, false) => STANDARD_NO_PAD,
                (true, true) => URL_SAFE,
                (true, false) => URL_SAFE_NO_PAD,
            };
            let encoded = engine.encode(&bytes);
            let cleaned = redactor.text(&format!("data {encoded} end"));
            let (first, end) = ((8 * before.len()).div_ceil(6), 8 * (before.len() + secret.len()) / 6);
            for window in encoded.as_bytes()[first..end].windows(MIN_BASE64_INSIDE) {
                let window = std::str::from_utf8(window).unwrap_or_default();
                proptest::prop_assert!(!cleaned.contains(window), "{:?} left in {:?}", window, cleaned);
            }
        }

        /// Whatever the secrets (of two bytes or more) and the text around them, no
        /// form of any secret is left, and text with no secret comes back unchanged.
        #[test]
        fn no_form_of_a_secret_survives(
            secrets in proptest::collection::vec("[a-zA-Z0-9+/=%_ -]{2,12}|\\PC{2,6}", 1..4),
            pieces in proptest::collection::vec("\\PC{0,8}", 1..5),
        ) {
            // a secret with the mask's `*` could appear across a mask and the text after it
            proptest::prop_assume!(secrets.iter().all(|secret| !secret.contains('*')));
            let redactor = Redactor::new();
            secrets.iter().for_each(|secret| redactor.add_secret(&SecretString::from(secret.clone())));
            let all_forms: Vec<String> = secrets.iter().flat_map(|secret| encoded_forms(secret)).collect();
            // a one-character form (a value trimmed: ` .`) is masked only standing alone, tested below
            let forms: Vec<String> = all_forms.iter().filter(|form| !is_one_character(form)).cloned().collect();
            let text: String = pieces.iter().zip(forms.iter().cycle()).map(|(piece, form)| format!("{piece}{form}")).collect();
            let cleaned = redactor.text(&text);
            for form in &forms {
                proptest::prop_assert!(!cleaned.contains(form.as_str()), "{:?} left in {:?}", form, cleaned);
            }
            let plain: String = pieces.concat();
            if !all_forms.iter().any(|form| plain.contains(form.as_str())) {
                proptest::prop_assert_eq!(redactor.text(&plain), plain);
            }
        }

        /// A one-character secret is masked wherever it stands alone, between any
        /// characters that are not letters or digits.
        #[test]
        fn a_one_character_secret_standing_alone_never_survives(
            secret in "[a-zA-Z0-9]",
            pieces in proptest::collection::vec("[ ,;:=&/\"'(){}-]{1,3}", 1..5),
        ) {
            let redactor = Redactor::new();
            redactor.add_secret(&SecretString::from(secret.clone()));
            let text: String = pieces.iter().map(|piece| format!("{piece}{secret}")).collect::<String>() + " end";
            let cleaned = redactor.text(&text);
            let words: Vec<&str> = cleaned.split(|c: char| !c.is_ascii_alphanumeric()).collect();
            proptest::prop_assert!(!words.contains(&secret.as_str()), "{:?} left in {:?}", secret, cleaned);
        }
    }

    #[test]
    fn a_short_token_is_masked_standing_alone_and_a_secret_of_its_value_everywhere() {
        let redactor = Redactor::new();
        redactor.add_token(&SecretString::from("order"));
        redactor.add_token(&SecretString::from("127"));
        redactor.add_token(&SecretString::from("eyJhbGciOi.long-token"));
        // a sandbox's token server handing out short tokens garbles no other text
        assert_eq!(redactor.text("GET http://127.0.0.1/h/orders/7"), "GET http://***.0.0.1/h/orders/7");
        assert_eq!(redactor.text("order 7 confirmed; Bearer order"), "*** 7 confirmed; Bearer ***");
        assert_eq!(redactor.text("{\"t\":\"order\"} a=order&b=1"), "{\"t\":\"***\"} a=***&b=1");
        assert_eq!(redactor.text("xeyJhbGciOi.long-tokenx"), "x***x", "a token of 8 characters or more, everywhere");
        // after an escape, encoded in a URL or a JSON string, it stands alone too
        let escaped = r#"?q=a%3Dorder&auth=Bearer%20order "line\norder \u0020order""#;
        assert_eq!(redactor.text(escaped), r#"?q=a%3D***&auth=Bearer%20*** "line\n*** \u0020***""#);
        assert_eq!(redactor.text("%3Dorders %ZZorder"), "%3Dorders %ZZorder");
        assert_eq!(redactor.text("?next=%2Fh%253Ftoken%253Dorder"), "?next=%2Fh%253Ftoken%253D***", "encoded twice");
        // the same value as a credential is masked everywhere, as soon as it is added
        redactor.add_secret(&SecretString::from("order"));
        assert_eq!(redactor.text("/h/orders/7"), "/h/***s/7");
        redactor.forget_token(&SecretString::from("order"));
        assert_eq!(redactor.text("/h/orders/7"), "/h/***s/7", "a secret stays when its token goes");
    }

    #[test]
    fn a_forgotten_token_is_masked_no_more_unless_it_is_a_secret_too_or_added_again() {
        let redactor = Redactor::new();
        for value in ["old-token", "both", "newest-token"] {
            redactor.add_token(&SecretString::from(value));
        }
        redactor.add_secret(&SecretString::from("both"));
        for value in ["old-token", "both", "newest-token"] {
            redactor.forget_token(&SecretString::from(value));
        }
        assert_eq!(redactor.text("old-token both newest-token"), "old-token *** newest-token");
        // the newest value forgotten is found known no more, then added again
        redactor.add_token(&SecretString::from("newest-token"));
        assert_eq!(redactor.text("newest-token"), "***");
        assert_eq!(redactor.masks.secrets.snapshot().len(), 2);
    }

    #[test]
    fn tokens_however_many_push_out_only_older_tokens() {
        let redactor = Redactor::new();
        redactor.add_secret(&SecretString::from("agent:hunter2"));
        redactor.add_token(&SecretString::from("first-token"));
        for n in 0..3 * MAX_SECRETS {
            redactor.add_token(&SecretString::from(format!("token-{n}")));
        }
        let last = format!("token-{}", 3 * MAX_SECRETS - 1);
        let text = format!("agent:hunter2 first-token token-0 {last}");
        assert_eq!(redactor.text(&text), "*** first-token token-0 ***");
        // a token value also added as a secret is kept as a secret
        redactor.add_token(&SecretString::from("both"));
        redactor.add_secret(&SecretString::from("both"));
        for n in 0..MAX_SECRETS + 1 {
            redactor.add_token(&SecretString::from(format!("later-{n}")));
        }
        assert_eq!(redactor.text("both later-0"), "*** later-0");
        // however many tokens become lasting, each lifetime stays within the cap
        for n in 0..MAX_SECRETS + 1 {
            redactor.add_secret(&SecretString::from(format!("lasting-{n}")));
        }
        for n in 0..10 {
            redactor.add_secret(&SecretString::from(format!("later-{}", MAX_SECRETS - n)));
        }
        // the lasting values stay at the cap, and ten tokens fewer are kept as tokens
        assert_eq!(redactor.masks.secrets.snapshot().len(), MAX_SECRETS + MAX_SECRETS - 10);
    }

    #[test]
    fn past_the_cap_a_value_not_added_again_is_forgotten_first() {
        let redactor = Redactor::new();
        redactor.add_secret(&SecretString::from("first"));
        redactor.add_secret(&SecretString::from("in-use"));
        for n in 0..MAX_SECRETS - 2 {
            redactor.add_secret(&SecretString::from(format!("token-{n}")));
        }
        redactor.add_secret(&SecretString::from("in-use"));
        redactor.add_secret(&SecretString::from("one-more"));
        assert_eq!(redactor.text("first in-use one-more token-0"), "first *** *** ***");
    }

    #[test]
    fn a_value_masked_in_a_text_is_in_use_and_outlives_newer_ones() {
        // a session token added once, then sent (and logged) on every call of a long
        // conversation, while a thousand others start and add their own
        let redactor = Redactor::new();
        redactor.add_secret(&SecretString::from("sess-0000-7f3c2a9e"));
        for n in 0..3 * MAX_SECRETS {
            redactor.add_secret(&SecretString::from(format!("sess-{n:04}-other")));
            if n % 100 == 0 {
                assert_eq!(redactor.text("x-session:sess-0000-7f3c2a9e"), "x-session:***", "after {n} others");
            }
        }
        assert_eq!(redactor.text("x-session:sess-0000-7f3c2a9e"), "x-session:***");
        assert_eq!(redactor.text("sess-0001-other"), "sess-0001-other", "one neither added again nor masked goes");
    }

    #[test]
    fn a_secret_is_masked_also_without_the_whitespace_around_it() {
        // HTTP takes the whitespace around a header value off: a server echoes the key trimmed
        let redactor = Redactor::new();
        redactor.add_secret(&SecretString::from("  k3y-with-spaces "));
        assert_eq!(redactor.text("unknown key `k3y-with-spaces`"), "unknown key `***`");
        assert_eq!(redactor.text("x-seen: Bearer k3y-with-spaces"), "x-seen: Bearer ***");
    }

    #[test]
    fn url_without_query_keeps_no_question_mark() {
        let url = Url::parse("https://u:p@h.example/a/b").unwrap();
        assert_eq!(Redactor::new().url(&url), "https://h.example/a/b");
    }
}
