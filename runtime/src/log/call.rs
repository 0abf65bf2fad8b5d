//! The log entry of one request attempt, kept compact until it is read: every call
//! adds one, and most are never looked at, so the message and the header pairs are
//! only made when `entries()` or `to_jsonl()` asks for them, and the texts of all of
//! a log's calls share one buffer.

use std::borrow::Cow;
use std::fmt;
use std::num::NonZeroU16;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use conv_api_definitions::Method;
use reqwest::header::HeaderMap;

use super::{Level, LogEntry, RequestRecord};
use crate::display_text::shown_name;
use crate::error::ErrorKind;
use crate::http::header_text::{received_text, sent_text};
use crate::redact::{is_url_header, may_hold_user_info, Cleaner, MASK};

/// One request attempt as recorded; its texts are already cleaned of secrets.
#[derive(Debug, PartialEq)]
pub(crate) struct CallRecord {
    pub(crate) timestamp: SystemTime,
    pub(crate) api: Cow<'static, str>,
    pub(crate) operation: Cow<'static, str>,
    /// `None` for a call that names no operation.
    pub(crate) method: Option<Method>,
    /// Redacted; `None` when the call failed before a URL was built.
    pub(crate) url: Option<Arc<str>>,
    /// Where the answer came from, redacted, when the server redirected the request.
    pub(crate) redirected_to: Option<Box<str>>,
    pub(crate) status: Option<u16>,
    pub(crate) duration: Duration,
    pub(crate) attempt: u32,
    /// The error's text and kind, when the attempt failed (boxed: most attempts succeed).
    pub(crate) failure: Option<Box<(String, ErrorKind)>>,
    /// Whether and when the attempt is retried.
    pub(crate) retry: Option<Box<str>>,
    pub(crate) request_headers: ShownHeaders,
    pub(crate) response_headers: ShownHeaders,
    /// A mock rule answered the attempt, not the API.
    pub(crate) mocked: bool,
}

impl CallRecord {
    /// Error for a failed attempt; warning for one the caller stopped waiting for, or
    /// answered with a status that says the API failed, throttled or refused the
    /// credentials (5xx, 429, 401, 407), which a call returns as a `Response`; else info.
    pub(crate) fn level(&self) -> Level {
        match (&self.failure, self.status) {
            // the caller chose to stop waiting: worth a look, not a failure of the API
            (Some(failure), _) if failure.1 == ErrorKind::Cancelled => Level::Warning,
            (Some(_), _) => Level::Error,
            (None, Some(status)) if is_trouble(status) => Level::Warning,
            (None, _) => Level::Info,
        }
    }

    /// The entry as [`Log::entries`](super::Log::entries) returns it.
    pub(crate) fn to_entry(&self) -> LogEntry {
        let request = RequestRecord {
            api: self.api.clone(),
            operation: self.operation.clone(),
            method: Cow::Borrowed(self.method.map_or("", Method::as_str)),
            url: self.url.as_deref().unwrap_or_default().to_string(),
            redirected_to: self.redirected_to.as_deref().map(str::to_string),
            status: self.status,
            duration: self.duration,
            attempt: self.attempt,
            error: self.failure.as_ref().map(|failure| failure.0.clone()),
            error_kind: self.failure.as_ref().map(|failure| failure.1),
            request_headers: self.request_headers.pairs(),
            response_headers: self.response_headers.pairs(),
            mocked: self.mocked,
        };
        LogEntry {
            timestamp: self.timestamp,
            level: self.level(),
            message: self.message().to_string(),
            fields: self.fields(),
            pii: false,
            request: Some(request),
        }
    }

    /// `GET zendesk.get_ticket -> 200`, or `... failed: <error>`, then `; <retry note>`;
    /// `GET zendesk.get_ticket (mocked) -> 200` when a mock rule answered, and
    /// `-> 200 from <url> (redirected)` when the server redirected the request.
    pub(crate) fn message(&self) -> Message<'_> {
        Message(self)
    }

    /// The record with its texts cleaned through `cleaner`, which may know more
    /// secrets than when they were recorded.
    pub(crate) fn cleaned(self, cleaner: &Cleaner<'_>) -> CallRecord {
        let name = |name: Cow<'static, str>| match cleaner.holds_secret(&name) {
            true => Cow::Owned(cleaner.text(&name)),
            false => name,
        };
        CallRecord {
            api: name(self.api),
            operation: name(self.operation),
            url: self.url.map(|url| match cleaner.cleaned(&url) {
                Cow::Owned(cleaned) => cleaned.into(),
                Cow::Borrowed(_) => url,
            }),
            redirected_to: self.redirected_to.map(|url| match cleaner.cleaned(&url) {
                Cow::Owned(cleaned) => cleaned.into(),
                Cow::Borrowed(_) => url,
            }),
            failure: self.failure.map(|failure| {
                let (text, kind) = *failure;
                Box::new((failure_text(kind, &text, cleaner).into_owned(), kind))
            }),
            retry: self.retry.map(|retry| cleaner.text(&retry).into()),
            request_headers: self.request_headers.cleaned(cleaner),
            response_headers: self.response_headers.cleaned(cleaner),
            ..self
        }
    }

    /// The retry note as the entry's fields.
    pub(crate) fn fields(&self) -> Vec<(String, String)> {
        self.retry.iter().map(|note| ("retry".to_string(), note.to_string())).collect()
    }
}

/// The text of a failed attempt's error as the log keeps it: cleaned of known secrets,
/// but for a missing secret's, which holds names and advice only (masking a secret
/// that is a common word, `secret`, would garble the advice, as the error itself does not).
pub(crate) fn failure_text<'t>(kind: ErrorKind, text: &'t str, cleaner: &Cleaner<'_>) -> Cow<'t, str> {
    match kind {
        ErrorKind::MissingSecret => Cow::Borrowed(text),
        _ => cleaner.cleaned(text),
    }
}

/// Whether an answer's `status` is trouble an operator watching warnings should see:
/// the API failed (5xx), throttled the calls (429) or refused their credentials (401,
/// or 407 from a proxy). Other 4xx are answers the agent handles (no such ticket).
fn is_trouble(status: u16) -> bool {
    matches!(status, 500..=599 | 429 | 401 | 407)
}

/// The texts of a [`StoredCall`], in the order they are appended to the buffer.
const TEXTS: usize = 8;

/// A [`CallRecord`] as the log keeps it, in 64 bytes: its texts (the names, URLs,
/// error, retry note and headers) appended one after another to the text buffer all
/// the log's calls share, so that keeping a call allocates nothing of its own, and
/// its times in nanoseconds. Every call of a conversation stays in its log, so what
/// a call keeps is memory, and cache, for as long as the conversation lasts.
pub(super) struct StoredCall {
    /// Since the Unix epoch (a clock set before 1970 is recorded as the epoch).
    timestamp_nanos: u64,
    duration_nanos: u64,
    /// Where the call's texts start in the buffer.
    start: usize,
    /// Where each of the call's texts ends, counted from `start`: the API, the
    /// operation, the URL (empty when there is none), the URL redirected to (empty
    /// when there is none), the error, the retry note (empty when there is none), the
    /// request headers, the response headers.
    ends: [u32; TEXTS],
    status: Option<NonZeroU16>,
    attempt: u16,
    method: Option<Method>,
    /// The error's kind, when the attempt failed; its text is one of the texts.
    failure: Option<ErrorKind>,
    mocked: bool,
}

impl StoredCall {
    /// Appends `call`'s texts to `texts` and keeps where they are.
    ///
    /// A call's texts are its names, its URL, its error, its retry note and its
    /// headers, which hyper caps far below the 4 GiB the `u32` ends can count.
    pub(super) fn store(call: CallRecord, texts: &mut String) -> StoredCall {
        let failure = call.failure.as_deref();
        let parts: [&str; TEXTS] = [
            &call.api,
            &call.operation,
            call.url.as_deref().unwrap_or_default(),
            call.redirected_to.as_deref().unwrap_or_default(),
            failure.map_or("", |(text, _)| text),
            call.retry.as_deref().unwrap_or_default(),
            &call.request_headers.0,
            &call.response_headers.0,
        ];
        let start = texts.len();
        texts.reserve(parts.iter().map(|part| part.len()).sum());
        let ends = parts.map(|part| {
            texts.push_str(part);
            u32::try_from(texts.len() - start).unwrap_or(u32::MAX)
        });
        let since_epoch = call.timestamp.duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default();
        StoredCall {
            timestamp_nanos: nanos(since_epoch),
            duration_nanos: nanos(call.duration),
            start,
            ends,
            status: call.status.and_then(NonZeroU16::new),
            attempt: u16::try_from(call.attempt).unwrap_or(u16::MAX),
            method: call.method,
            failure: failure.map(|(_, kind)| *kind),
            mocked: call.mocked,
        }
    }

    /// Where the call's texts start in the buffer.
    pub(super) fn start(&self) -> usize {
        self.start
    }

    /// The record again, its texts read from the buffer it was stored in.
    pub(super) fn load(&self, texts: &str) -> CallRecord {
        let mut from = self.start;
        let [api, operation, url, redirected_to, failure, retry, request_headers, response_headers] =
            self.ends.map(|end| {
                let to = self.start.saturating_add(end as usize);
                let text = texts.get(from..to).unwrap_or_default();
                from = to;
                text
            });
        CallRecord {
            timestamp: SystemTime::UNIX_EPOCH + Duration::from_nanos(self.timestamp_nanos),
            api: Cow::Owned(api.to_string()),
            operation: Cow::Owned(operation.to_string()),
            method: self.method,
            url: (!url.is_empty()).then(|| url.into()),
            redirected_to: (!redirected_to.is_empty()).then(|| redirected_to.into()),
            status: self.status.map(NonZeroU16::get),
            duration: Duration::from_nanos(self.duration_nanos),
            attempt: u32::from(self.attempt),
            failure: self.failure.map(|kind| Box::new((failure.to_string(), kind))),
            retry: (!retry.is_empty()).then(|| retry.into()),
            request_headers: ShownHeaders(request_headers.to_string()),
            response_headers: ShownHeaders(response_headers.to_string()),
            mocked: self.mocked,
        }
    }
}

/// `duration` in nanoseconds; 584 years and more saturate.
fn nanos(duration: Duration) -> u64 {
    u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX)
}

/// The message of a [`CallRecord`], written only when shown. It needs no cleaning of
/// its own: its parts are the method, the API and operation names and the status,
/// which are no secrets (and which the entry's fields show as they are), and the
/// error and retry texts, cleaned when recorded. The names are shown on one line: a
/// dynamic call's come from its caller.
pub(crate) struct Message<'a>(&'a CallRecord);

impl fmt::Display for Message<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let call = self.0;
        if let Some(method) = call.method {
            write!(f, "{method} ")?;
        }
        write!(f, "{}.{}", shown_name(&call.api), shown_name(&call.operation))?;
        if call.mocked {
            f.write_str(" (mocked)")?;
        }
        match (&call.failure, call.status) {
            (Some(failure), _) => write!(f, " failed: {}", failure.0)?,
            (None, Some(status)) => write!(f, " -> {status}")?,
            (None, None) => {}
        }
        if let Some(url) = &call.redirected_to {
            write!(f, " from {url} (redirected)")?;
        }
        match &call.retry {
            Some(note) => write!(f, "; {note}"),
            None => Ok(()),
        }
    }
}

/// Headers as the log may show them (names lowercase, sensitive values masked,
/// secrets replaced), in one text of `name:value` lines: one allocation for all.
///
/// A header name never holds `:` and a header value never holds a line break, so
/// the text reads back into the same pairs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct ShownHeaders(String);

/// How the bytes of header values read as text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reading {
    /// Values the runtime sent, which it wrote as Latin-1 ([`sent_text`]).
    Sent,
    /// Values a server sent, UTF-8 or else Latin-1 ([`received_text`]).
    Received,
}

impl Reading {
    fn text(self, value: &[u8]) -> Cow<'_, str> {
        match self {
            Reading::Sent => sent_text(value),
            Reading::Received => received_text(value),
        }
    }
}

impl ShownHeaders {
    /// `headers`, read as `reading` says and shown through `cleaner`.
    pub(crate) fn of(headers: &HeaderMap, reading: Reading, cleaner: &Cleaner<'_>) -> ShownHeaders {
        if headers.is_empty() {
            return ShownHeaders::default();
        }
        let text = Self::masked(headers, reading, cleaner);
        ShownHeaders(text.unwrap_or_else(|| Self::each_cleaned(headers, reading, cleaner)))
    }

    /// The text of `headers` with the values of sensitive headers masked, when that
    /// is all it needs: it is UTF-8 (ASCII, for values the runtime sent in Latin-1), no
    /// value holds a line break, a URL's user info or a query, and no known secret is
    /// in it. Most headers are ASCII and hold no secret, and a response has ten or
    /// twenty of them, so the text is checked whole, once, not value by value.
    fn masked(headers: &HeaderMap, reading: Reading, cleaner: &Cleaner<'_>) -> Option<String> {
        if headers.keys().all(|name| cleaner.is_sensitive_header(name.as_str())) {
            return Self::names_masked(headers, cleaner);
        }
        // room for lines of 64 bytes, which most header lines fit: measuring them
        // first would walk the headers twice
        let mut bytes = Vec::with_capacity(headers.len() * 64);
        for (name, value) in headers {
            let name = name.as_str();
            let shown = if cleaner.is_sensitive_header(name) {
                MASK.as_bytes()
            } else if is_url_header(name) && value.as_bytes().iter().any(|&byte| matches!(byte, b'@' | b'?' | b'#')) {
                // a URL that may carry user info or a key (in its query or fragment): shown as a URL
                return None;
            } else {
                value.as_bytes()
            };
            bytes.reserve(name.len() + shown.len() + 2);
            bytes.extend_from_slice(name.as_bytes());
            bytes.push(b':');
            bytes.extend_from_slice(shown);
            bytes.push(b'\n');
        }
        // neither hyper nor `HeaderValue` lets a value hold a line break; if one did,
        // the text would not read back into the same pairs. One count over the text
        // (vectorized) checks every value at once.
        if memchr::memchr_iter(b'\n', &bytes).count() != headers.len() {
            return None;
        }
        // a URL that may hold user info in another header (`Link: <https://user:pw@..>`,
        // or percent-encoded in its query), or a query or fragment that may hold a key
        // (`Link: </items?access_token=..>`): shown value by value (as are headers
        // whose names hold a `%` or `#`, which HTTP allows: no harm, only slower)
        if may_hold_user_info(&bytes) || memchr::memchr2(b'?', b'#', &bytes).is_some() {
            return None;
        }
        // Latin-1 bytes may also read as other UTF-8 text (`ß§` as `ߧ`)
        if reading == Reading::Sent && !bytes.is_ascii() {
            return None;
        }
        let text = String::from_utf8(bytes).ok()?;
        (!cleaner.holds_secret(&text)).then_some(text)
    }

    /// The text of `headers` when every value is masked (a request carrying only its
    /// credentials): a header name is visible ASCII, so the text needs no check of its
    /// bytes, only the search for a secret used as a name.
    fn names_masked(headers: &HeaderMap, cleaner: &Cleaner<'_>) -> Option<String> {
        let mut text = String::with_capacity(headers.len() * 32);
        for name in headers.iter().map(|(name, _)| name.as_str()) {
            text.push_str(name);
            text.push(':');
            text.push_str(MASK);
            text.push('\n');
        }
        (!cleaner.holds_secret(&text)).then_some(text)
    }

    /// The text of `headers`, each value shown by
    /// [`shown_header_value`](Cleaner::shown_header_value), line breaks made spaces,
    /// and each name cleaned (a secret is no header name, but agent code or a server
    /// may make it one).
    fn each_cleaned(headers: &HeaderMap, reading: Reading, cleaner: &Cleaner<'_>) -> String {
        let mut text = String::with_capacity(Self::length(headers));
        for (name, value) in headers {
            let value = reading.text(value.as_bytes());
            let shown = cleaner.shown_header_value(name.as_str(), value.as_bytes());
            text.push_str(&cleaner.text(name.as_str()));
            text.push(':');
            text.push_str(&shown.replace('\n', " "));
            text.push('\n');
        }
        text
    }

    /// The headers cleaned again through `cleaner`, which may know more secrets than
    /// when they were shown.
    pub(crate) fn cleaned(self, cleaner: &Cleaner<'_>) -> ShownHeaders {
        if !cleaner.holds_secret(&self.0) {
            return self;
        }
        let mut text = String::with_capacity(self.0.len());
        for (name, value) in self.pairs() {
            text.push_str(&cleaner.text(&name));
            text.push(':');
            text.push_str(&cleaner.text(&value));
            text.push('\n');
        }
        ShownHeaders(text)
    }

    /// The length of the text of `headers` shown as they are.
    fn length(headers: &HeaderMap) -> usize {
        headers.iter().map(|(name, value)| name.as_str().len() + value.len() + 2).sum()
    }

    /// The `(name, value)` pairs, in order.
    pub(crate) fn pairs(&self) -> Vec<(String, String)> {
        self.0
            .lines()
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect()
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::redact::Redactor;
    use reqwest::header::HeaderValue;

    /// A call of `zendesk.get_ticket` answered 200, for tests to change what they test.
    pub(in crate::log) fn call() -> CallRecord {
        CallRecord {
            timestamp: SystemTime::UNIX_EPOCH,
            api: Cow::Borrowed("zendesk"),
            operation: Cow::Borrowed("get_ticket"),
            method: Some(Method::Get),
            url: Some("https://api.example/tickets/1".into()),
            redirected_to: None,
            status: Some(200),
            duration: Duration::from_millis(12),
            attempt: 1,
            failure: None,
            retry: None,
            request_headers: ShownHeaders::default(),
            response_headers: ShownHeaders::default(),
            mocked: false,
        }
    }

    fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(name, value)| (name.to_string(), value.to_string())).collect()
    }

    #[test]
    fn headers_read_back_as_shown_pairs() {
        let redactor = Redactor::new();
        let mut headers = HeaderMap::new();
        headers.insert("content-type", HeaderValue::from_static("application/json; charset=utf-8"));
        headers.insert("authorization", HeaderValue::from_static("Bearer abc"));
        headers.append("x-trace", HeaderValue::from_static("a:b:c"));
        headers.append("x-trace", HeaderValue::from_static(""));
        headers.insert("x-bytes", HeaderValue::from_bytes(b"caf\xe9").unwrap());
        let shown = ShownHeaders::of(&headers, Reading::Received, &redactor.cleaner());
        let expected = owned(&[
            ("content-type", "application/json; charset=utf-8"),
            ("authorization", "***"),
            ("x-trace", "a:b:c"),
            ("x-trace", ""),
            // a byte that is no UTF-8 is a Latin-1 character, as HTTP reads it
            ("x-bytes", "café"),
        ]);
        assert_eq!(shown.pairs(), expected);
        assert!(ShownHeaders::of(&HeaderMap::new(), Reading::Received, &redactor.cleaner()).pairs().is_empty());
    }

    #[test]
    fn headers_cleaned_again_keep_their_names_and_separators() {
        let redactor = Redactor::new();
        let mut headers = HeaderMap::new();
        headers.insert("x-request-k3y", HeaderValue::from_static("1a"));
        headers.insert("x-token", HeaderValue::from_static("k3y:1 and more"));
        let shown = ShownHeaders::of(&headers, Reading::Received, &redactor.cleaner());
        let unchanged = shown.clone().cleaned(&redactor.cleaner());
        assert_eq!(unchanged, shown, "nothing known: nothing changes");
        // learnt after they were shown; it spans a name's end and the separator
        redactor.add_secret(&secrecy::SecretString::from("k3y:1"));
        let cleaned = shown.cleaned(&redactor.cleaner());
        assert_eq!(cleaned.pairs(), owned(&[("x-request-k3y", "1a"), ("x-token", "*** and more")]));
    }

    #[test]
    fn text_headers_without_secrets_are_shown_from_one_check() {
        let redactor = Redactor::new();
        redactor.add_secret(&secrecy::SecretString::from("hunter2"));
        let mut headers = HeaderMap::new();
        headers.insert("content-type", HeaderValue::from_static("application/json"));
        headers.insert("set-cookie", HeaderValue::from_static("session=abc"));
        headers.append("x-trace", HeaderValue::from_static("a:b"));
        headers.append("x-trace", HeaderValue::from_static(""));
        let cleaner = redactor.cleaner();
        let fast = ShownHeaders::masked(&headers, Reading::Received, &cleaner).expect("text headers holding no secret");
        assert_eq!(fast, ShownHeaders::each_cleaned(&headers, Reading::Received, &cleaner));
        assert_eq!(fast, "content-type:application/json\nset-cookie:***\nx-trace:a:b\nx-trace:\n");
        headers.insert("x-echo", HeaderValue::from_static("hunter2"));
        assert_eq!(
            ShownHeaders::masked(&headers, Reading::Received, &cleaner),
            None,
            "a secret is cleaned value by value"
        );
    }

    #[test]
    fn headers_that_are_all_masked_are_shown_as_their_names() {
        let redactor = Redactor::new();
        let mut headers = HeaderMap::new();
        headers.insert("authorization", HeaderValue::from_bytes(b"Bearer \xffabc").unwrap());
        headers.append("cookie", HeaderValue::from_bytes(b"a=caf\xe9").unwrap());
        headers.append("cookie", HeaderValue::from_static("b=2"));
        let cleaner = redactor.cleaner();
        let shown = ShownHeaders::masked(&headers, Reading::Received, &cleaner).expect("masked values need no check");
        assert_eq!(shown, "authorization:***\ncookie:***\ncookie:***\n");
        assert_eq!(shown, ShownHeaders::each_cleaned(&headers, Reading::Received, &cleaner));
        // a secret used as a name is still found (and the name cleaned)
        redactor.add_secret(&secrecy::SecretString::from("cookie"));
        assert_eq!(ShownHeaders::masked(&headers, Reading::Received, &redactor.cleaner()), None);
        let shown = ShownHeaders::of(&headers, Reading::Received, &redactor.cleaner());
        assert_eq!(shown.pairs(), owned(&[("authorization", "***"), ("***", "***"), ("***", "***")]));
    }

    #[test]
    fn secrets_in_header_values_are_replaced_when_recorded() {
        let redactor = Redactor::new();
        redactor.add_secret(&secrecy::SecretString::from("hunter2"));
        let mut headers = HeaderMap::new();
        headers.insert("x-echo", HeaderValue::from_static("key=hunter2"));
        let shown = ShownHeaders::of(&headers, Reading::Received, &redactor.cleaner());
        assert_eq!(shown.pairs(), [("x-echo".to_string(), "key=***".to_string())]);
    }

    #[test]
    fn calls_stored_in_one_buffer_load_back_unchanged() {
        let records = || {
            let redactor = Redactor::new();
            let mut headers = HeaderMap::new();
            headers.insert("content-type", HeaderValue::from_static("application/json"));
            let shown = ShownHeaders::of(&headers, Reading::Received, &redactor.cleaner());
            let failed = CallRecord {
                url: None,
                status: Some(503),
                failure: Some(Box::new(("the server answered 503".into(), ErrorKind::Status))),
                retry: Some("retrying in 1s (attempt 2 of 3)".into()),
                request_headers: shown.clone(),
                ..call()
            };
            let later = CallRecord {
                timestamp: SystemTime::UNIX_EPOCH + Duration::new(1_700_000_000, 123_456_789),
                api: Cow::Owned("loaded_at_run_time".into()),
                operation: Cow::Owned("caf\u{e9}".into()),
                method: None,
                duration: Duration::new(3, 7),
                attempt: 2,
                response_headers: shown,
                mocked: true,
                ..call()
            };
            [failed, call(), later]
        };
        let mut texts = String::new();
        let stored: Vec<StoredCall> =
            records().into_iter().map(|record| StoredCall::store(record, &mut texts)).collect();
        let loaded: Vec<CallRecord> = stored.iter().map(|stored| stored.load(&texts)).collect();
        assert_eq!(loaded, records());
    }

    #[test]
    fn a_stored_call_fits_a_cache_line() {
        assert!(std::mem::size_of::<crate::log::Stored>() <= 64, "{} bytes", std::mem::size_of::<crate::log::Stored>());
    }

    #[test]
    fn an_answer_that_says_the_api_failed_throttled_or_refused_the_credentials_is_a_warning() {
        let mut record = call();
        for (status, level) in [
            (200, Level::Info),
            (302, Level::Info),
            (404, Level::Info),
            (422, Level::Info),
            (403, Level::Info),
            (401, Level::Warning),
            (407, Level::Warning),
            (429, Level::Warning),
            (500, Level::Warning),
            (503, Level::Warning),
        ] {
            record.status = Some(status);
            assert_eq!(record.level(), level, "{status}");
        }
        // a body that did not arrive whole: the attempt failed, whatever its status
        record.failure = Some(Box::new(("the connection closed".into(), ErrorKind::Connect)));
        assert_eq!(record.level(), Level::Error);
    }

    #[test]
    fn message_names_the_call_and_its_outcome() {
        let mut record = call();
        assert_eq!(record.message().to_string(), "GET zendesk.get_ticket -> 200");
        assert_eq!(record.level(), Level::Info);
        record.failure = Some(Box::new(("the server did not answer".into(), ErrorKind::Timeout)));
        record.retry = Some("retrying in 200ms (attempt 2 of 3)".into());
        assert_eq!(
            record.message().to_string(),
            "GET zendesk.get_ticket failed: the server did not answer; retrying in 200ms (attempt 2 of 3)"
        );
        let entry = record.to_entry();
        assert_eq!(entry.level, Level::Error);
        assert_eq!(entry.fields, [("retry".to_string(), "retrying in 200ms (attempt 2 of 3)".to_string())]);
        let request = entry.request.unwrap();
        assert_eq!((request.error_kind, request.method.as_ref()), (Some(ErrorKind::Timeout), "GET"));
        record.method = None;
        record.failure = None;
        record.retry = None;
        record.status = None;
        assert_eq!(record.message().to_string(), "zendesk.get_ticket");
        record.status = Some(503);
        record.mocked = true;
        assert_eq!(record.message().to_string(), "zendesk.get_ticket (mocked) -> 503");
        assert!(record.to_entry().request.unwrap().mocked);
    }

    /// A secret learnt after a call was recorded (a session token given to
    /// `add_secret` after the answer that brought it) is cleaned from every text of
    /// the call when the log is read again: names, URLs, error, retry note, headers.
    #[test]
    fn a_call_cleaned_again_holds_no_secret_in_any_of_its_texts() {
        let redactor = Redactor::new();
        let mut headers = HeaderMap::new();
        headers.insert("x-echo", HeaderValue::from_static("s3ss10n-t0k3n"));
        let shown = ShownHeaders::of(&headers, Reading::Received, &redactor.cleaner());
        let record = CallRecord {
            api: Cow::Owned("api_s3ss10n-t0k3n".into()),
            operation: Cow::Owned("op_s3ss10n-t0k3n".into()),
            url: Some("https://api.example/s3ss10n-t0k3n".into()),
            redirected_to: Some("https://api.example/next/s3ss10n-t0k3n".into()),
            failure: Some(Box::new(("the server said s3ss10n-t0k3n".into(), ErrorKind::Status))),
            retry: Some("retrying s3ss10n-t0k3n in 1s".into()),
            request_headers: shown.clone(),
            response_headers: shown,
            ..call()
        };
        redactor.add_secret(&secrecy::SecretString::from("s3ss10n-t0k3n"));
        let cleaned = record.cleaned(&redactor.cleaner());
        let texts = [
            cleaned.api.to_string(),
            cleaned.operation.to_string(),
            cleaned.url.as_deref().unwrap_or_default().to_string(),
            cleaned.redirected_to.as_deref().unwrap_or_default().to_string(),
            cleaned.failure.as_ref().map(|failure| failure.0.clone()).unwrap_or_default(),
            cleaned.retry.as_deref().unwrap_or_default().to_string(),
            format!("{:?}", cleaned.request_headers.pairs()),
            format!("{:?}", cleaned.response_headers.pairs()),
        ];
        for text in &texts {
            assert!(text.contains("***") && !text.contains("s3ss10n"), "{text:?} of {texts:?}");
        }
        assert_eq!(cleaned.failure.as_ref().map(|failure| failure.1), Some(ErrorKind::Status));
        assert_eq!(cleaned.request_headers.pairs(), owned(&[("x-echo", "***")]));
    }

    /// A missing secret's error names the secret and says how to set it: it is kept
    /// as it is, even when a known secret is a word of it, which masking would garble.
    #[test]
    fn a_missing_secrets_error_is_not_masked_when_cleaned_again() {
        let redactor = Redactor::new();
        let advice = "the secret ZENDESK_TOKEN is not set: add ZENDESK_TOKEN=... to .env";
        let record = CallRecord { failure: Some(Box::new((advice.into(), ErrorKind::MissingSecret))), ..call() };
        redactor.add_secret(&secrecy::SecretString::from("secret"));
        redactor.add_secret(&secrecy::SecretString::from("ZENDESK_TOKEN"));
        let cleaned = record.cleaned(&redactor.cleaner());
        assert_eq!(cleaned.failure.map(|failure| *failure), Some((advice.to_string(), ErrorKind::MissingSecret)));
    }

    /// The runtime sends a header's text as Latin-1, one byte a character, so the log
    /// shows a value it sent as that text, also when its bytes would read as other
    /// UTF-8 text (`Ã©` sent is not shown as `é`); a server's value is UTF-8 first.
    #[test]
    fn sent_header_values_read_as_latin1_even_where_their_bytes_are_utf8() {
        let redactor = Redactor::new();
        let mut headers = HeaderMap::new();
        headers.insert("x-name", HeaderValue::from_bytes("Ren\u{e9}e".as_bytes()).unwrap());
        let sent = ShownHeaders::of(&headers, Reading::Sent, &redactor.cleaner());
        assert_eq!(sent.pairs(), owned(&[("x-name", "Ren\u{c3}\u{a9}e")]));
        let received = ShownHeaders::of(&headers, Reading::Received, &redactor.cleaner());
        assert_eq!(received.pairs(), owned(&[("x-name", "Ren\u{e9}e")]));
    }

    /// HTTP allows a one-letter header name with an empty value: it is logged as it
    /// is, whether the headers are shown from one check or value by value.
    #[test]
    fn a_one_letter_header_with_an_empty_value_is_shown() {
        let redactor = Redactor::new();
        redactor.add_secret(&secrecy::SecretString::from("hunter2"));
        let mut headers = HeaderMap::new();
        headers.insert("x", HeaderValue::from_static(""));
        let shown = ShownHeaders::of(&headers, Reading::Received, &redactor.cleaner());
        assert_eq!(shown.pairs(), owned(&[("x", "")]));
        headers.insert("x-echo", HeaderValue::from_static("hunter2"));
        let shown = ShownHeaders::of(&headers, Reading::Received, &redactor.cleaner());
        assert_eq!(shown.pairs(), owned(&[("x", ""), ("x-echo", "***")]));
    }
}
