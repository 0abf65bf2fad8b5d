//! The log entry of one request attempt, kept compact until it is read: every call
//! adds one, and most are never looked at, so the message and the header pairs are
//! only made when `entries()` or `to_jsonl()` asks for them, and the texts of all of
//! a log's calls share one buffer.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use conv_api_definitions::Method;
use reqwest::header::HeaderMap;

use super::{Level, LogEntry, RequestRecord};
use crate::error::ErrorKind;
use crate::redact::Cleaner;

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
    pub(crate) status: Option<u16>,
    pub(crate) duration: Duration,
    pub(crate) attempt: u32,
    /// The error's text and kind, when the attempt failed (boxed: most attempts succeed).
    pub(crate) failure: Option<Box<(String, ErrorKind)>>,
    /// Whether and when the attempt is retried.
    pub(crate) retry: Option<Box<str>>,
    pub(crate) request_headers: ShownHeaders,
    pub(crate) response_headers: ShownHeaders,
}

impl CallRecord {
    /// Error for a failed attempt, else info.
    pub(crate) fn level(&self) -> Level {
        if self.failure.is_some() {
            Level::Error
        } else {
            Level::Info
        }
    }

    /// The entry as [`Log::entries`](super::Log::entries) returns it.
    pub(crate) fn to_entry(&self) -> LogEntry {
        let request = RequestRecord {
            api: self.api.clone(),
            operation: self.operation.clone(),
            method: Cow::Borrowed(self.method.map_or("", Method::as_str)),
            url: self.url.as_deref().unwrap_or_default().to_string(),
            status: self.status,
            duration: self.duration,
            attempt: self.attempt,
            error: self.failure.as_ref().map(|failure| failure.0.clone()),
            error_kind: self.failure.as_ref().map(|failure| failure.1),
            request_headers: self.request_headers.pairs(),
            response_headers: self.response_headers.pairs(),
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

    /// `GET zendesk.get_ticket -> 200`, or `... failed: <error>`, then `; <retry note>`.
    pub(crate) fn message(&self) -> Message<'_> {
        Message(self)
    }

    /// The retry note as the entry's fields, for `tracing`.
    pub(crate) fn fields(&self) -> Vec<(String, String)> {
        self.retry.iter().map(|note| ("retry".to_string(), note.to_string())).collect()
    }
}

/// A [`CallRecord`] as the log keeps it: its texts moved to the end of the text
/// buffer all the log's calls share, so that keeping a call allocates nothing of its
/// own and a conversation's calls are freed at once.
pub(super) struct StoredCall {
    timestamp: SystemTime,
    api: Cow<'static, str>,
    operation: Cow<'static, str>,
    method: Option<Method>,
    status: Option<u16>,
    duration: Duration,
    attempt: u32,
    url: Option<Range<usize>>,
    failure: Option<(Range<usize>, ErrorKind)>,
    retry: Option<Range<usize>>,
    request_headers: Range<usize>,
    response_headers: Range<usize>,
}

impl StoredCall {
    /// Moves `call`'s texts to the end of `texts`.
    pub(super) fn store(call: CallRecord, texts: &mut String) -> StoredCall {
        let mut append = |text: &str| {
            let start = texts.len();
            texts.push_str(text);
            start..texts.len()
        };
        StoredCall {
            url: call.url.as_deref().map(&mut append),
            failure: call.failure.map(|failure| (append(&failure.0), failure.1)),
            retry: call.retry.as_deref().map(&mut append),
            request_headers: append(&call.request_headers.0),
            response_headers: append(&call.response_headers.0),
            timestamp: call.timestamp,
            api: call.api,
            operation: call.operation,
            method: call.method,
            status: call.status,
            duration: call.duration,
            attempt: call.attempt,
        }
    }

    /// The record again, its texts read from the buffer it was stored in.
    pub(super) fn load(&self, texts: &str) -> CallRecord {
        let text = |range: &Range<usize>| texts.get(range.clone()).unwrap_or_default();
        CallRecord {
            timestamp: self.timestamp,
            api: self.api.clone(),
            operation: self.operation.clone(),
            method: self.method,
            url: self.url.as_ref().map(|range| text(range).into()),
            status: self.status,
            duration: self.duration,
            attempt: self.attempt,
            failure: self.failure.as_ref().map(|(range, kind)| Box::new((text(range).to_string(), *kind))),
            retry: self.retry.as_ref().map(|range| text(range).into()),
            request_headers: ShownHeaders(text(&self.request_headers).to_string()),
            response_headers: ShownHeaders(text(&self.response_headers).to_string()),
        }
    }
}

/// The message of a [`CallRecord`], written only when shown. It needs no cleaning of
/// its own: its parts are the method, the names the definitions give and the status,
/// which are no secrets (and which the entry's fields show as they are), and the
/// error and retry texts, cleaned when recorded.
pub(crate) struct Message<'a>(&'a CallRecord);

impl fmt::Display for Message<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let call = self.0;
        if let Some(method) = call.method {
            write!(f, "{method} ")?;
        }
        write!(f, "{}.{}", call.api, call.operation)?;
        match (&call.failure, call.status) {
            (Some(failure), _) => write!(f, " failed: {}", failure.0)?,
            (None, Some(status)) => write!(f, " -> {status}")?,
            (None, None) => {}
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

impl ShownHeaders {
    /// `headers`, shown through `cleaner`.
    pub(crate) fn of(headers: &HeaderMap, cleaner: &Cleaner<'_>) -> ShownHeaders {
        if headers.is_empty() {
            return ShownHeaders::default();
        }
        let length = headers.iter().map(|(name, value)| name.as_str().len() + value.len() + 2).sum();
        let mut text = String::with_capacity(length);
        for (name, value) in headers {
            let shown = cleaner.shown_header_value(name.as_str(), value.as_bytes());
            text.push_str(name.as_str());
            text.push(':');
            if shown.contains('\n') {
                text.push_str(&shown.replace('\n', " "));
            } else {
                text.push_str(&shown);
            }
            text.push('\n');
        }
        ShownHeaders(text)
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
mod tests {
    use super::*;
    use crate::redact::Redactor;
    use reqwest::header::HeaderValue;

    fn call() -> CallRecord {
        CallRecord {
            timestamp: SystemTime::UNIX_EPOCH,
            api: Cow::Borrowed("zendesk"),
            operation: Cow::Borrowed("get_ticket"),
            method: Some(Method::Get),
            url: Some("https://api.example/tickets/1".into()),
            status: Some(200),
            duration: Duration::from_millis(12),
            attempt: 1,
            failure: None,
            retry: None,
            request_headers: ShownHeaders::default(),
            response_headers: ShownHeaders::default(),
        }
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
        let shown = ShownHeaders::of(&headers, &redactor.cleaner());
        let pairs: Vec<(&str, &str)> = vec![
            ("content-type", "application/json; charset=utf-8"),
            ("authorization", "***"),
            ("x-trace", "a:b:c"),
            ("x-trace", ""),
            ("x-bytes", "caf\u{fffd}"),
        ];
        let expected: Vec<(String, String)> = pairs.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect();
        assert_eq!(shown.pairs(), expected);
        assert!(ShownHeaders::of(&HeaderMap::new(), &redactor.cleaner()).pairs().is_empty());
    }

    #[test]
    fn secrets_in_header_values_are_replaced_when_recorded() {
        let redactor = Redactor::new();
        redactor.add_secret(&secrecy::SecretString::from("hunter2"));
        let mut headers = HeaderMap::new();
        headers.insert("x-echo", HeaderValue::from_static("key=hunter2"));
        let shown = ShownHeaders::of(&headers, &redactor.cleaner());
        assert_eq!(shown.pairs(), [("x-echo".to_string(), "key=***".to_string())]);
    }

    #[test]
    fn calls_stored_in_one_buffer_load_back_unchanged() {
        let records = || {
            let redactor = Redactor::new();
            let mut headers = HeaderMap::new();
            headers.insert("content-type", HeaderValue::from_static("application/json"));
            let shown = ShownHeaders::of(&headers, &redactor.cleaner());
            let failed = CallRecord {
                url: None,
                status: Some(503),
                failure: Some(Box::new(("the server answered 503".into(), ErrorKind::Status))),
                retry: Some("retrying in 1s (attempt 2 of 3)".into()),
                request_headers: shown.clone(),
                ..call()
            };
            [failed, call(), CallRecord { attempt: 2, response_headers: shown, ..call() }]
        };
        let mut texts = String::new();
        let stored: Vec<StoredCall> =
            records().into_iter().map(|record| StoredCall::store(record, &mut texts)).collect();
        let loaded: Vec<CallRecord> = stored.iter().map(|stored| stored.load(&texts)).collect();
        assert_eq!(loaded, records());
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
    }
}
