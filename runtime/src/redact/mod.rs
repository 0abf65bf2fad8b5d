//! Redaction: what a log entry, an error or a `Debug` output may show of a request.
//!
//! One [`Redactor`] per runtime masks sensitive headers (RELIABILITY 17), sensitive
//! query values, URL user info, and every known secret value wherever it appears
//! (RELIABILITY 18: auth registers each secret and token with
//! [`Redactor::add_secret`]).

mod forms;
mod known;

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use arc_swap::Guard;
use conv_api_definitions::urls::{masked_query, masked_query_values};
use secrecy::{ExposeSecret, SecretString};
use url::Url;

use crate::http::header_text::{received_text, sent_text};

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
    /// Past 1,024 values (and room for the credentials of every API a runtime's
    /// conversations start over), the one whose stamp is oldest is forgotten. A value's stamp
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

    /// Keeps room for `count` credentials past the 1,024 values [`add_secret`]
    /// keeps: those of the APIs of every definitions set conversations start over,
    /// which every start adds again, so that however many they are, adding them
    /// forgets none of them (nor any other value in use).
    ///
    /// [`add_secret`]: Redactor::add_secret
    pub(crate) fn make_room_for_credentials(&self, count: usize) {
        self.masks.secrets.make_room(count);
    }

    fn add(&self, secret: &SecretString, lifetime: Lifetime) {
        if !secret.expose_secret().is_empty() {
            self.masks.secrets.add(secret, lifetime);
        }
    }

    /// Learns `value`, which a caller set in a header masked by its name
    /// (`Authorization: Bearer <token>`, a session header), and the credential after
    /// its scheme (a first word of letters), as hand-set values: the log never searches
    /// such a header's value, and an API that echoes it has it masked wherever it shows
    /// (RELIABILITY 18). A value in use again is refreshed, as a known token is.
    /// Hand-set values, which a caller may send any number of, are counted apart: they
    /// push out only older hand-set values, never an OAuth 2.0 token or a secret. One
    /// shorter than 8 characters is masked only where it stands alone, as a short
    /// token is.
    pub(crate) fn learn_masked_header_value(&self, value: &[u8]) {
        let value = sent_text(value);
        let value = value.trim();
        self.learn_hand_set(value);
        let scheme_and_credential =
            value.split_once(' ').filter(|(scheme, _)| scheme.bytes().all(|b| b.is_ascii_alphabetic()));
        if let Some((_, credential)) = scheme_and_credential {
            self.add(&SecretString::from(credential.trim()), Lifetime::HandSet);
        }
    }

    /// Learns `value`, which a caller set under a name masked by it (a query's
    /// `api_key`), as a hand-set value: an API that echoes it has it masked wherever
    /// it shows. One shorter than 8 characters is masked only where it stands alone.
    pub(crate) fn learn_hand_set(&self, value: &str) {
        self.add(&SecretString::from(value), Lifetime::HandSet);
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

    /// `text` from elsewhere (a server's body, shown in an error) as a note is shown:
    /// known secrets masked, and the user info and credential query values of the
    /// URLs in it.
    pub(crate) fn text_and_urls(&self, text: &str) -> String {
        let mut text = text.to_string();
        self.cleaner().clean_written(&mut text);
        text
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

    /// Cleans `text`, written by the agent (a note, a field of one), as a header's
    /// value is shown: known secrets masked, and the URLs in it without user info,
    /// their credential query parameters masked (RELIABILITY 17).
    pub(crate) fn clean_written(&self, text: &mut String) {
        self.clean(text);
        if let Cow::Owned(shown) = self.shown_urls_in(text) {
            *text = shown;
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
            // (also after a `?` in its fragment: `/#/reset?token=..`)
            Ok(text) if is_url_header(name) => chained(self.shown_url_text(text), |text| self.masked_queries_in(text)),
            // a URL inside another header (`Link: <https://user:pw@..>`) is shown as a URL too
            Ok(text) => chained(self.cleaned(text), |text| self.shown_urls_in(text)),
            // shown as a valid value is, a URL's key masked too
            Err(_) => Cow::Owned(self.shown_header_value(name, received_text(value).as_bytes()).into_owned()),
        }
    }

    /// `text`, a header's value or a note, with each URL in it that may carry user
    /// info shown as [`shown_url_text`](Cleaner::shown_url_text) shows one, then the
    /// values of sensitive parameters masked in every query or fragment left (a
    /// `Link` to the next page with its `access_token`, absolute or relative).
    fn shown_urls_in<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let without_user_info =
            chained(self.without_user_info_in(text), |text| self.without_user_info_of_slashless_urls_in(text));
        chained(without_user_info, |text| self.masked_queries_in(text))
    }

    /// `text` with each query or fragment in it (after a `?` or `#`, up to the next
    /// one, a blank, `<`, `>` or a quote, punctuation that ends a sentence left out)
    /// shown with the values of its sensitive parameters masked, and the user info of
    /// a URL in a value, also percent-encoded ([`without_user_info_of_urls_in`]); every
    /// other byte as it was. Each `?` starts one, also in a fragment
    /// (`/#/reset?token=..`) or in a value (`?next=/login?token=..`).
    fn masked_queries_in<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let bytes = text.as_bytes();
        let ends = |c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'' | '?' | '#');
        let (mut shown, mut from) = (Rewrite::of(text), 0);
        while let Some(mark) = memchr::memchr2(b'?', b'#', &bytes[from..]).map(|at| from + at) {
            let start = mark + 1;
            let end = text[start..].find(ends).map_or(text.len(), |at| start + at);
            let params = text[start..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')']);
            let masked = masked_query(params, |name| self.hides_value_of(name));
            if let Cow::Owned(masked) = chained(masked, without_user_info_of_urls_in) {
                shown.replace(start..start + params.len(), &masked);
            }
            from = end;
        }
        shown.done()
    }

    /// `text` with each URL in it that may carry user info (an `@`, also
    /// percent-encoded, as in a URL inside its query: `%40`, `%2540`) shown as
    /// [`shown_url_text`](Cleaner::shown_url_text) shows one: the `<..>` of a `Link`,
    /// the `url=` of a `Refresh`. A URL starts with its scheme, or with a `//` after a
    /// blank, `<`, `=`, `,` or `;`, and ends before a blank, `<`, `>`, `"` or `'`.
    fn without_user_info_in<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if !may_hold_user_info(text.as_bytes()) {
            return Cow::Borrowed(text);
        }
        let (mut shown, mut from) = (Rewrite::of(text), 0);
        while let Some(found) = text[from..].find("//").map(|at| from + at) {
            // its scheme, written before `://`, or none for `//host/..`
            let scheme = text[..found].strip_suffix(':').map_or(0, scheme_length_before_end);
            let start = match scheme {
                0 => found,
                _ => found - 1 - scheme,
            };
            let end = url_end(text, found + 2);
            // a scheme starts a URL wherever it is; a `//` after a blank or a sign that ends a value
            let after = text[..start].chars().next_back();
            let starts_a_url = scheme > 0 || after.is_none_or(|c| ends_url(c) || matches!(c, '=' | ',' | ';'));
            if start >= shown.copied && starts_a_url && may_hold_user_info(&text.as_bytes()[start..end]) {
                shown.replace(start..end, &self.shown_url_text(&text[start..end]));
            }
            from = end.max(found + 2);
        }
        shown.done()
    }

    /// `text` with each URL in it of a special scheme (`http`, `https`, `ws`, `wss`,
    /// `ftp`) written without its `//` that may carry user info shown as
    /// [`shown_url_text`](Cleaner::shown_url_text) shows one: the URL library and
    /// browsers read `https:/u:pw@h.example`, `https:u:pw@..` and `https:\\u:pw@..` as
    /// `https://u:pw@..`.
    fn without_user_info_of_slashless_urls_in<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if !may_hold_user_info(text.as_bytes()) {
            return Cow::Borrowed(text);
        }
        let (mut shown, mut from) = (Rewrite::of(text), 0);
        while let Some(colon) = memchr::memchr(b':', &text.as_bytes()[from..]).map(|at| from + at) {
            let start = colon - scheme_length_before_end(&text[..colon]);
            let special = SPECIAL_SCHEMES.iter().any(|name| text[start..colon].eq_ignore_ascii_case(name));
            let rest = &text[colon + 1..];
            if !special || rest.starts_with("//") || start < shown.copied {
                from = colon + 1;
                continue;
            }
            let end = url_end(text, colon + 1);
            if may_hold_user_info(&text.as_bytes()[start..end]) {
                shown.replace(start..end, &self.shown_url_text(&text[start..end]));
            }
            from = end.max(colon + 1);
        }
        shown.done()
    }

    /// `text`, a URL or a relative one (`/login?token=..`, `//user:pw@host/x`,
    /// `sessions/7?token=..`), as [`shown_url`](Cleaner::shown_url) shows a URL.
    fn shown_url_text<'t>(&self, text: &'t str) -> Cow<'t, str> {
        // the secrets in the text as sent first: parsed, it may be written otherwise
        // (`'` as `%27` in a query, a space as `%20` in a path)
        chained(self.cleaned(text), |text| self.shown_cleaned_url_text(text))
    }

    /// [`shown_url_text`](Cleaner::shown_url_text) of a text with no secret left.
    fn shown_cleaned_url_text<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if let Ok(url) = Url::parse(text) {
            return Cow::Owned(self.shown_url(&url).into_owned());
        }
        let joined = Url::parse(RELATIVE_BASE).and_then(|base| base.join(text));
        // as the URL library reads it: without the control characters and spaces around
        let read = text.trim_matches(|c: char| c <= ' ');
        let Some(url) = joined.ok().filter(|_| read.starts_with('/')) else {
            // text no URL parser reads that starts with a scheme or `//`, whose user info
            // may hold a `/`, `?` or `#`: masked whole up to its host, and its query and
            // fragment (a URL in the query of a relative one is no scheme of its own)
            if starts_as_absolute(read) && text.contains('@') {
                return conv_api_definitions::urls::shown(text);
            }
            // a relative path: its query and fragment masked as written (joined to a
            // base, `..` in it would be resolved)
            return self.masked_query_and_fragment(text);
        };
        let shown = self.shown_url(&url);
        // what the server sent: the path, or `//host/..` for a scheme-relative one
        let prefix = if read.starts_with("//") { "http:" } else { RELATIVE_BASE };
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
        let masked = |params: &'t str| {
            let masked = masked_query(params, |name| self.hides_value_of(name));
            chained(masked, without_user_info_of_urls_in)
        };
        let (query, fragment) = (query.map(masked), fragment.map(masked));
        let path = without_user_info_of_urls_in_path(path);
        if !query.iter().chain(&fragment).chain([&path]).any(|part| matches!(part, Cow::Owned(_))) {
            return Cow::Borrowed(text);
        }
        let mut shown = path.into_owned();
        for (mark, part) in [('?', query), ('#', fragment)] {
            if let Some(part) = part {
                shown.push(mark);
                shown.push_str(&part);
            }
        }
        Cow::Owned(shown)
    }

    /// Whether the value of the query parameter `name`, as a text shows it, is masked:
    /// a sensitive name, or one that a known secret was masked in (`t***en=..` for a
    /// secret `ok`), which no longer reads as the name it was.
    fn hides_value_of(&self, name: &str) -> bool {
        name.contains(MASK) || self.redactor.is_sensitive_query_param(name)
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

/// A text shown with parts of it replaced, left to right, every other byte as it was;
/// borrowed when no part was.
struct Rewrite<'t> {
    text: &'t str,
    shown: String,
    /// Where the text is shown as written from: the end of the last part replaced.
    copied: usize,
    replaced: bool,
}

impl<'t> Rewrite<'t> {
    fn of(text: &'t str) -> Self {
        Rewrite { text, shown: String::new(), copied: 0, replaced: false }
    }

    /// Shows `with` in place of `range`, which starts at or after the end of the last
    /// part replaced.
    fn replace(&mut self, range: Range<usize>, with: &str) {
        self.shown.push_str(&self.text[self.copied..range.start]);
        self.shown.push_str(with);
        self.copied = range.end;
        self.replaced = true;
    }

    /// The text as shown.
    fn done(mut self) -> Cow<'t, str> {
        if !self.replaced {
            return Cow::Borrowed(self.text);
        }
        self.shown.push_str(&self.text[self.copied..]);
        Cow::Owned(self.shown)
    }
}

/// `text`, shown by a step, shown by the step `next` too: borrowed while neither
/// changed it, and the first step's text itself, not a copy, when only it did.
fn chained<'t>(text: Cow<'t, str>, next: impl for<'a> Fn(&'a str) -> Cow<'a, str>) -> Cow<'t, str> {
    match text {
        Cow::Borrowed(text) => next(text),
        Cow::Owned(shown) => {
            let again = match next(&shown) {
                Cow::Owned(again) => Some(again),
                Cow::Borrowed(_) => None,
            };
            Cow::Owned(again.unwrap_or(shown))
        }
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

/// Whether `c` ends a URL written in a text: a blank, `<`, `>`, `"` or `'`.
fn ends_url(c: char) -> bool {
    c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'')
}

/// Where the URL whose authority `text` holds from `authority` on (after its `//`, or
/// after the `:` of a scheme written without it) ends: at the first character that
/// [`ends_url`]; but a quote in its authority before an `@` (`https://u:p'ss@h`,
/// `https://o'brien@h`, `https://ops@corp.example:p'ss@h`: the last `@` ends the user
/// info) is part of its user info, and the URL ends at the next blank, `<` or `>`:
/// better too much than part of a password. The `@` is looked for in the
/// [`USER_INFO_PAST_A_QUOTE`] bytes after the quote, so that a text of many quoted
/// URLs is read in time in proportion to its length.
fn url_end(text: &str, authority: usize) -> usize {
    let end = text[authority..].find(ends_url).map_or(text.len(), |at| authority + at);
    let before = text[authority..end].trim_start_matches(['/', '\\']);
    if !text[end..].starts_with(['"', '\'']) || before.contains(['/', '\\']) {
        return end;
    }
    let ends_past_quotes = |byte: &u8| byte.is_ascii_whitespace() || matches!(byte, b'<' | b'>');
    let window = &text.as_bytes()[end..text.len().min(end + USER_INFO_PAST_A_QUOTE)];
    match window.iter().position(|byte| *byte == b'@' || ends_past_quotes(byte)) {
        Some(at) if window[at] == b'@' => {
            let at = end + at;
            text.as_bytes()[at..].iter().position(ends_past_quotes).map_or(text.len(), |past| at + past)
        }
        _ => end,
    }
}

/// How far past a quote in a URL's authority [`url_end`] looks for the `@` that ends
/// its user info: longer than any user name and password.
const USER_INFO_PAST_A_QUOTE: usize = 256;

/// The length of the scheme `before`, the text before a `:`, ends with, from its first
/// letter on (`1.https` and `...https` end with `https` after a number or dots); 0
/// when it ends with none.
fn scheme_length_before_end(before: &str) -> usize {
    let is_scheme_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.');
    let run = &before[before.trim_end_matches(is_scheme_char).len()..];
    run.find(|c: char| c.is_ascii_alphabetic()).map_or(0, |letter| run.len() - letter)
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

/// `text`, the part of a URL before its query, with the user info of each URL in its
/// path masked as [`without_user_info_of_urls_in`] masks one in a query value
/// (`/fetch/https://agent:pw@b.example/`, `https://a.example/,https://agent:pw@..`);
/// the URL's own scheme and authority, whose user info is gone, as written.
fn without_user_info_of_urls_in_path(text: &str) -> Cow<'_, str> {
    if !may_hold_user_info(text.as_bytes()) {
        return Cow::Borrowed(text);
    }
    let authority = text.find("://").filter(|_| starts_as_absolute(text)).map(|at| at + 3);
    let path_start = authority.map_or(0, |from| text[from..].find('/').map_or(text.len(), |at| from + at));
    match without_user_info_of_urls_in(&text[path_start..]) {
        Cow::Borrowed(_) => Cow::Borrowed(text),
        Cow::Owned(path) => Cow::Owned(format!("{}{path}", &text[..path_start])),
    }
}

/// The schemes with user info the URL library reads an authority after, with their
/// `//` or without (`https:u:pw@h` is `https://u:pw@h`).
const SPECIAL_SCHEMES: [&str; 5] = ["http", "https", "ws", "wss", "ftp"];

/// Whether `text`, lower case, ends with one of the [`SPECIAL_SCHEMES`] that no other
/// scheme character comes before.
fn ends_with_special_scheme(text: &str) -> bool {
    SPECIAL_SCHEMES.iter().any(|scheme| {
        text.strip_suffix(scheme).is_some_and(|before| {
            !before.ends_with(|c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        })
    })
}

/// Where an authority starts in `text`, a query, fragment or path in lower case, in
/// order: after each scheme's `://` (also `:\\`, as browsers read it, and
/// percent-encoded), each `//` that starts a value, and each special scheme's `:`
/// written without its `//`.
fn authority_starts(text: &str) -> Vec<usize> {
    let after_scheme = ["://", ":\\\\", ":/\\", "%3a%2f%2f", "%3a%5c%5c", "%253a%252f%252f"];
    let starting_a_value = ["//", "\\\\", "/\\", "%2f%2f", "%5c%5c", "%252f%252f"];
    let starts_a_value = |at: usize| at == 0 || text[..at].ends_with('=');
    // a special scheme's `:` followed by none of the `//` the markers above take
    let slashless =
        [(":", ["//", "\\\\", "/\\"]), ("%3a", ["%2f%2f", "%5c%5c", "%5c%5c"]), ("%253a", ["%252f%252f"; 3])];
    let after_slashless_scheme = slashless.into_iter().flat_map(|(colon, with_slashes)| {
        text.match_indices(colon).filter(move |&(at, _)| {
            let after = &text[at + colon.len()..];
            ends_with_special_scheme(&text[..at]) && !with_slashes.iter().any(|slashes| after.starts_with(slashes))
        })
    });
    let mut starts: Vec<usize> = after_scheme
        .into_iter()
        .flat_map(|marker| text.match_indices(marker))
        .chain(
            starting_a_value
                .into_iter()
                .flat_map(|marker| text.match_indices(marker))
                .filter(|&(at, _)| starts_a_value(at)),
        )
        .chain(after_slashless_scheme)
        .map(|(at, found)| at + found.len())
        .collect();
    starts.sort_unstable();
    starts
}

/// How many URLs of one query value [`without_user_info_of_urls_in`] reads, each in
/// the query of the one before (`next=https://a.example/cb?r=https://b.example/..`):
/// more than a real link nests. Reading each takes time in proportion to the value's
/// length, so a bound keeps a server's header of many `://` from taking time in
/// proportion to its square.
const URLS_READ_IN_A_VALUE: usize = 8;

/// `text`, a query, fragment or path, with the user info of each URL in its values
/// masked, written out or percent-encoded (once, as the runtime builds a query value,
/// or twice, as a redirect inside a redirect is): `next=https://agent:pw@app.example/`
/// shows `next=https://***@app.example/`. The user info ends at the last `@` of the value
/// before its URL's own query or fragment (past them when the text before reads as
/// `user:password`), as a password may hold `/`, `+`, `,`, `?` or `#`: better too much
/// than part of a password. A URL inside another's query (`next=https://a.example/cb
/// ?r=https://u:pw@b.example/`) is read too, but none inside user info already masked,
/// and past [`URLS_READ_IN_A_VALUE`] the rest of the value is hidden.
fn without_user_info_of_urls_in(text: &str) -> Cow<'_, str> {
    if !may_hold_user_info(text.as_bytes()) {
        return Cow::Borrowed(text);
    }
    // an ASCII lower-case copy has the same byte offsets
    let lower = text.to_ascii_lowercase();
    let starts = authority_starts(&lower);
    let mut shown = Rewrite::of(text);
    // before `passed`, no URL is read
    let mut passed = 0;
    let (mut value_end, mut read_in_value) = (0, 0);
    for start in starts {
        if start < shown.copied.max(passed) {
            continue;
        }
        if start >= value_end {
            value_end = lower[start..].find(['&', ' ']).map_or(lower.len(), |end| start + end);
            read_in_value = 0;
        }
        let value = &lower[start..value_end];
        read_in_value += 1;
        if read_in_value > URLS_READ_IN_A_VALUE {
            if may_hold_user_info(value.as_bytes()) {
                shown.replace(start..value_end, MASK);
            }
            passed = value_end;
            continue;
        }
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
            shown.replace(start..start + end, MASK);
        }
    }
    shown.done()
}

#[cfg(test)]
mod tests;
