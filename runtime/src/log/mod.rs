//! The conversation log: what the agent noted, and one entry per attempt of a call, in order.

mod call;
mod time;
mod trace;
mod under_way;

use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::display_text::text_of;
use crate::error::ErrorKind;
use crate::redact::{Cleaner, Redactor};

use call::StoredCall;
pub(crate) use call::{failure_text, CallRecord, Reading, ShownHeaders};
use time::rfc3339;
use trace::{resume, trace_call, trace_note, traced};
pub(crate) use under_way::CallUnderWay;
use under_way::UnderWay;

/// Whether a request entry's `retry` note says that another attempt of the call
/// follows (`retrying in 1.2s`, `replaying once after a 401, ..`), not why none
/// does (`not retried: ..`, `no retry left: ..`): for tools that read the log's JSON
/// lines, as `conv-api review` does.
///
/// ```
/// # extern crate conv_api_runtime as conv_api;
/// assert!(conv_api::announces_next_attempt("retrying in 1.2s"));
/// assert!(!conv_api::announces_next_attempt("no retry left: all 3 attempts were made"));
/// ```
pub fn announces_next_attempt(note: &str) -> bool {
    note.starts_with(crate::retry::RETRYING) || note.starts_with(crate::send::REPLAYING)
}

/// How important a log entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Level {
    /// Normal progress.
    Info,
    /// Something unexpected the conversation can go on with.
    Warning,
    /// Something failed.
    Error,
}

impl Level {
    /// `info`, `warning` or `error`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// As the log's JSON writes it: `"info"`, `"warning"` or `"error"`.
impl Serialize for Level {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One entry of the conversation log; it may gain fields, so it is made by the
/// runtime and read by your code.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct LogEntry {
    /// When the entry was recorded: for a call's attempt, when it ended (it started
    /// its `duration` earlier).
    pub timestamp: SystemTime,
    /// How important it is.
    pub level: Level,
    /// The message.
    pub message: String,
    /// Structured fields, in the order given.
    pub fields: Vec<(String, String)>,
    /// Whether the message or fields hold personal data; such entries are not
    /// written to `tracing` with their text.
    pub pii: bool,
    /// The call, for entries the runtime adds for each request attempt.
    pub request: Option<RequestRecord>,
}

/// What the log keeps of one request attempt; URLs and headers are redacted. It may
/// gain fields, as [`LogEntry`] may.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct RequestRecord {
    /// The API's name.
    pub api: Cow<'static, str>,
    /// The operation's name.
    pub operation: Cow<'static, str>,
    /// The HTTP method, such as `GET`; empty for a call, by name, to an API or
    /// operation the definitions do not have.
    pub method: Cow<'static, str>,
    /// The URL, redacted. For a call refused before its URL could be built (a path
    /// variable left out), the base URL and the resource as written
    /// (`https://x.example/tickets/{ticket_id}`); empty without a base URL.
    pub url: String,
    /// Where the answer came from, redacted, when the server redirected the request
    /// (within its origin); `None` when it answered the request itself (or redirected
    /// it back to the very URL sent).
    pub redirected_to: Option<String>,
    /// The response status, when a response arrived.
    pub status: Option<u16>,
    /// From the start of the attempt to the end of the body (or the error).
    pub duration: Duration,
    /// The attempt number, from 1.
    pub attempt: u32,
    /// The error, when the attempt failed.
    pub error: Option<String>,
    /// The error's kind, when the attempt failed.
    pub error_kind: Option<ErrorKind>,
    /// The headers the runtime set (user and auth headers), sensitive values masked.
    pub request_headers: Vec<(String, String)>,
    /// The response headers, sensitive values masked; also those of an answer whose
    /// body did not arrive whole (cut off, too large or too slow), for its request id.
    pub response_headers: Vec<(String, String)>,
    /// A mock rule answered the attempt (with a response or the failure it plays),
    /// not the API: see [`Mocks`](crate::mocks::Mocks).
    pub mocked: bool,
}

impl LogEntry {
    /// The entry as one JSON object, with an RFC 3339 `timestamp` and the `level`;
    /// fields and headers are objects, the values of a repeated name joined with `", "`.
    pub fn to_json(&self) -> Value {
        let mut object = Map::new();
        object.insert("timestamp".into(), Value::String(rfc3339(self.timestamp)));
        object.insert("level".into(), Value::String(self.level.as_str().into()));
        object.insert("message".into(), Value::String(self.message.clone()));
        object.insert("pii".into(), Value::Bool(self.pii));
        if !self.fields.is_empty() {
            object.insert("fields".into(), pairs_to_json(&self.fields));
        }
        if let Some(request) = &self.request {
            object.insert("request".into(), request.to_json());
        }
        Value::Object(object)
    }
}

/// Serialized as [`LogEntry::to_json`] shows it, one line of
/// [`to_jsonl`](Log::to_jsonl): to keep entries inside a record of one's own.
///
/// ```
/// # extern crate conv_api_runtime as conv_api;
/// use conv_api::{Environment, Runtime};
/// # let runtime = Runtime::builder().environment(Environment::Sandbox).build().unwrap();
/// # let apis = conv_api::DynamicApis::parse("apis.yaml", "api_integrations: []").unwrap();
/// let conv = runtime.dynamic_conversation(&apis);
/// conv.log.info("hello");
/// let kept = serde_json::json!({ "conversation": "c-1", "log": conv.log.entries() });
/// assert_eq!(kept["log"][0]["message"], "hello");
/// ```
impl Serialize for LogEntry {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

/// Serialized as the `request` object of [`LogEntry::to_json`].
impl Serialize for RequestRecord {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

impl RequestRecord {
    /// The record as one JSON object, as [`LogEntry::to_json`] nests it under `request`.
    pub fn to_json(&self) -> Value {
        let mut record = json!({
            "api": &*self.api,
            "operation": &*self.operation,
            "method": &*self.method,
            "url": self.url,
            "status": self.status,
            "duration_ms": milliseconds(self.duration),
            "attempt": self.attempt,
            "error": self.error,
            "error_kind": self.error_kind.map(ErrorKind::as_str),
            "request_headers": pairs_to_json(&self.request_headers),
            "response_headers": pairs_to_json(&self.response_headers),
            "mocked": self.mocked,
        });
        // only where the server redirected, as most calls are answered where they ask
        if let (Some(url), Value::Object(record)) = (&self.redirected_to, &mut record) {
            record.insert("redirected_to".into(), Value::String(url.clone()));
        }
        record
    }
}

/// `duration` in milliseconds, rounded once (`34.898014`, where seconds times 1000
/// gave `34.898013999999996`): exact to the nanosecond for any call's duration.
pub(crate) fn milliseconds(duration: std::time::Duration) -> f64 {
    duration.as_nanos() as f64 / 1_000_000.0
}

/// `json` with U+0085, U+2028 and U+2029 written as JSON escapes, which `serde_json`
/// writes raw: they can be only in its strings, where an escape means the same.
fn with_line_breaks_escaped(json: String) -> String {
    const BREAKS: [char; 3] = ['\u{85}', '\u{2028}', '\u{2029}'];
    if !json.contains(BREAKS) {
        return json;
    }
    let mut escaped = String::with_capacity(json.len() + 8);
    for c in json.chars() {
        match c {
            '\u{85}' => escaped.push_str("\\u0085"),
            '\u{2028}' => escaped.push_str("\\u2028"),
            '\u{2029}' => escaped.push_str("\\u2029"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// Name-value pairs as one JSON object; the values of a name that repeats (`via`,
/// `link`, a field recorded twice) are joined with `", "`, as HTTP joins repeated
/// header fields, so that none is lost.
fn pairs_to_json(pairs: &[(String, String)]) -> Value {
    let mut object = Map::new();
    for (name, value) in pairs {
        match object.get_mut(name) {
            Some(Value::String(joined)) => {
                joined.push_str(", ");
                joined.push_str(value);
            }
            _ => {
                object.insert(name.clone(), Value::String(value.clone()));
            }
        }
    }
    Value::Object(object)
}

/// The log of one conversation; clones share the same entries.
///
/// ```
/// # extern crate conv_api_runtime as conv_api;
/// use conv_api::{Environment, Level, Runtime};
/// let runtime = Runtime::builder().environment(Environment::Sandbox).build().unwrap();
/// let conv = runtime.dynamic_conversation(&conv_api::DynamicApis::default());
/// conv.log.info("looking up the ticket");
/// conv.log.entry(Level::Warning, "caller gave a name").field("name", "Ada").pii().record();
/// let entries = conv.log.entries();
/// assert_eq!(entries[1].fields, [("name".to_string(), "Ada".to_string())]);
/// assert!(entries[1].pii);
/// assert_eq!(conv.log.to_jsonl().lines().count(), 2);
/// ```
#[derive(Clone)]
pub struct Log {
    inner: Arc<LogInner>,
}

struct LogInner {
    entries: Mutex<Entries>,
    redactor: Redactor,
    under_way: UnderWay,
}

/// The entries in order, and the texts of their calls.
#[derive(Default)]
struct Entries {
    stored: Vec<Stored>,
    /// The URLs, headers, errors and retry notes of every [`StoredCall`].
    texts: String,
    /// How many of the entries were last checked for known secrets when read...
    checked: usize,
    /// ...and under which generation of the known secrets.
    checked_generation: u64,
}

impl Entries {
    /// Cleans the entries again of secrets the redactor learned after they were
    /// stored (a session token given to `add_secret` after the answer that brought
    /// it), so that what is read holds none it knows. Entries checked under the same
    /// generation are not checked again.
    fn clean_again(&mut self, cleaner: &Cleaner<'_>) {
        let generation = cleaner.generation();
        let from = if generation == self.checked_generation { self.checked } else { 0 };
        let mut first_call = None;
        for stored in &mut self.stored[from..] {
            match stored {
                Stored::Note(entry) => {
                    cleaner.clean(&mut entry.message);
                    for (name, value) in &mut entry.fields {
                        cleaner.clean(name);
                        cleaner.clean(value);
                    }
                }
                Stored::Call(call) => {
                    first_call.get_or_insert(call.start());
                }
            }
        }
        // the calls' texts follow one another in the buffer: one search for them all
        if let Some(start) = first_call.filter(|&start| cleaner.holds_secret(&self.texts[start..])) {
            let old = std::mem::take(&mut self.texts);
            self.texts.push_str(&old[..start]);
            for stored in &mut self.stored[from..] {
                if let Stored::Call(call) = stored {
                    *call = StoredCall::store(call.load(&old).cleaned(cleaner), &mut self.texts);
                }
            }
        }
        (self.checked, self.checked_generation) = (self.stored.len(), generation);
    }

    /// The entries from the `start`th on, as [`Log::entries`] returns them.
    fn public(&self, start: usize) -> impl Iterator<Item = LogEntry> + '_ {
        self.stored.iter().skip(start).map(|stored| match stored {
            Stored::Note(entry) => LogEntry::clone(entry),
            Stored::Call(call) => call.load(&self.texts).to_entry(),
        })
    }
}

/// An entry as the log keeps it.
enum Stored {
    /// Written by the agent; never carries a call. Boxed: an entry with room for
    /// a call is larger than a stored call.
    Note(Box<LogEntry>),
    /// Added by the runtime for a request attempt.
    Call(StoredCall),
}

impl Log {
    /// An empty log whose entries `redactor` cleans of known secrets.
    pub(crate) fn new(redactor: Redactor) -> Log {
        Log { inner: Arc::new(LogInner { entries: Mutex::default(), redactor, under_way: UnderWay::default() }) }
    }

    /// Counts a call of this log under way until the guard is dropped, after the
    /// call's last entry is stored.
    pub(crate) fn call_under_way(&self) -> CallUnderWay {
        CallUnderWay::start(&self.inner)
    }

    /// How many calls of the conversation are under way: their futures made (by
    /// `.await` or `.send()`), and neither ended nor dropped; and the work given to
    /// [`track`](Self::track) that has not ended.
    pub fn calls_under_way(&self) -> usize {
        self.inner.under_way.count()
    }

    /// `work` (a task's body, say), counted as under way from now until it ends or is
    /// dropped, so that [`idle`](Self::idle) waits for the calls it makes: a task
    /// spawned with `tokio::spawn(async move { .. conv.api.crm.get_contact(id).await .. })`
    /// makes its call only when it first runs, and between its calls none of its own
    /// is under way.
    ///
    /// ```
    /// # extern crate conv_api_runtime as conv_api;
    /// # use conv_api::{DynamicApis, Environment, Runtime};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// # let runtime = Runtime::builder().environment(Environment::Sandbox).build().unwrap();
    /// # let conv = runtime.dynamic_conversation(&DynamicApis::default());
    /// let task = conv.clone();
    /// tokio::spawn(conv.log.track(async move {
    ///     // calls of `task.api`, awaited one after another
    ///     task.log.info("follow-up done");
    /// }));
    /// assert_eq!(conv.log.calls_under_way(), 1);
    /// conv.log.idle().await;
    /// assert_eq!(conv.log.len(), 1);
    /// # }
    /// ```
    pub fn track<F: Future>(&self, work: F) -> impl Future<Output = F::Output> {
        let under_way = self.call_under_way();
        async move {
            // dropped after `work`, whose calls' entries are then stored
            let _under_way = under_way;
            work.await
        }
    }

    /// Waits until no call of the conversation is under way, so that an export at the
    /// conversation's end holds the entries of calls still running, such as one
    /// spawned (`tokio::spawn(request.send())`) and not awaited, or the calls of work
    /// given to [`track`](Self::track). A call whose future is kept and never awaited
    /// keeps it waiting: bound the wait with `tokio::time::timeout`.
    ///
    /// ```
    /// # extern crate conv_api_runtime as conv_api;
    /// # use conv_api::{DynamicApis, Environment, Runtime};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// # let runtime = Runtime::builder().environment(Environment::Sandbox).build().unwrap();
    /// # let conv = runtime.dynamic_conversation(&DynamicApis::default());
    /// // at the conversation's end
    /// let _ = tokio::time::timeout(std::time::Duration::from_secs(10), conv.log.idle()).await;
    /// let jsonl = conv.log.to_jsonl();
    /// # assert_eq!(conv.log.calls_under_way(), 0);
    /// # }
    /// ```
    pub async fn idle(&self) {
        self.inner.under_way.none_left().await;
    }

    /// Records `message` at [`Level::Info`].
    pub fn info(&self, message: impl Into<String>) {
        self.entry(Level::Info, message).record();
    }

    /// Records `message` at [`Level::Warning`].
    pub fn warning(&self, message: impl Into<String>) {
        self.entry(Level::Warning, message).record();
    }

    /// Records `message` at [`Level::Error`].
    pub fn error(&self, message: impl Into<String>) {
        self.entry(Level::Error, message).record();
    }

    /// Starts an entry that can take fields and the PII flag; call `record()` to add it.
    pub fn entry(&self, level: Level, message: impl Into<String>) -> EntryBuilder<'_> {
        EntryBuilder { log: self, level, message: message.into(), fields: Vec::new(), pii: false }
    }

    /// Every entry so far, in the order recorded, cleaned of every secret the runtime
    /// knows now (also of one it learned after the entry was recorded).
    pub fn entries(&self) -> Vec<LogEntry> {
        self.entries_since(0)
    }

    /// The entries from the `start`th on (counted from 0), as [`entries`](Self::entries)
    /// returns them: to export a log as it grows, read from how many were read before.
    /// Count what was read, not [`len`](Self::len) after the read: calls in flight may
    /// add entries in between, which reading from `len()` would skip.
    ///
    /// ```
    /// # extern crate conv_api_runtime as conv_api;
    /// # use conv_api::{Environment, Runtime};
    /// # let runtime = Runtime::builder().environment(Environment::Sandbox).build().unwrap();
    /// # let conv = runtime.dynamic_conversation(&conv_api::DynamicApis::default());
    /// let mut read = 0;
    /// conv.log.info("one");
    /// read += conv.log.entries_since(read).len();
    /// conv.log.info("two");
    /// let new = conv.log.entries_since(read);
    /// read += new.len();
    /// assert_eq!((new[0].message.as_str(), read), ("two", 2));
    /// ```
    pub fn entries_since(&self, start: usize) -> Vec<LogEntry> {
        let cleaner = self.inner.redactor.cleaner();
        let mut entries = self.lock();
        entries.clean_again(&cleaner);
        entries.public(start).collect()
    }

    /// How many entries the log has.
    pub fn len(&self) -> usize {
        self.lock().stored.len()
    }

    /// Whether the log has no entries.
    pub fn is_empty(&self) -> bool {
        self.lock().stored.is_empty()
    }

    /// Every entry as one JSON object a line (JSON Lines), each ending with `\n`; the
    /// line breaks of Unicode beyond ASCII (U+0085, U+2028, U+2029) are written escaped,
    /// so that readers splitting text at any line break read the same lines.
    pub fn to_jsonl(&self) -> String {
        self.to_jsonl_since(0)
    }

    /// The lines of [`to_jsonl`](Self::to_jsonl) from the `start`th entry on (counted
    /// from 0), as [`entries_since`](Self::entries_since) reads them: one line an
    /// entry, so the next read starts its line count later.
    ///
    /// ```
    /// # extern crate conv_api_runtime as conv_api;
    /// # use conv_api::{Environment, Runtime};
    /// # let runtime = Runtime::builder().environment(Environment::Sandbox).build().unwrap();
    /// # let conv = runtime.dynamic_conversation(&conv_api::DynamicApis::default());
    /// let (mut exported, mut read) = (String::new(), 0);
    /// conv.log.info("one");
    /// for _ in 0..2 {
    ///     let lines = conv.log.to_jsonl_since(read);
    ///     read += lines.lines().count(); // not `conv.log.len()`: calls in flight add entries meanwhile
    ///     exported += &lines;
    ///     conv.log.info("two");
    /// }
    /// assert_eq!(read, 2);
    /// assert_eq!(exported + &conv.log.to_jsonl_since(read), conv.log.to_jsonl());
    /// ```
    pub fn to_jsonl_since(&self, start: usize) -> String {
        // written out of the lock: calls and notes that add entries meanwhile do not wait for it
        let entries = self.entries_since(start);
        entries.iter().map(|entry| with_line_breaks_escaped(entry.to_json().to_string()) + "\n").collect()
    }

    /// Cleans, stores and traces `entry`, which carries no call.
    fn push(&self, mut entry: LogEntry) {
        let cleaner = self.inner.redactor.cleaner();
        cleaner.clean_written(&mut entry.message);
        for (name, value) in &mut entry.fields {
            cleaner.clean(name);
            cleaner.clean_written(value);
        }
        drop(cleaner);
        // traced out of the lock: a subscriber may read this log
        let panicked = traced(|| trace_note(entry.level, entry.pii, &entry.message, &entry.fields));
        {
            let mut entries = self.lock();
            // stamped in the lock: concurrent entries' times follow their order
            entry.timestamp = SystemTime::now();
            entries.stored.push(Stored::Note(Box::new(entry)));
        }
        resume(panicked);
    }

    /// Stores and traces the record of a request attempt, whose texts are already
    /// cleaned of secrets; its timestamp is when it is stored.
    pub(crate) fn push_call(&self, mut call: CallRecord) {
        let panicked = traced(|| trace_call(&call));
        {
            let mut entries = self.lock();
            call.timestamp = SystemTime::now();
            let call = StoredCall::store(call, &mut entries.texts);
            entries.stored.push(Stored::Call(call));
        }
        resume(panicked);
    }

    /// The redactor that cleans this log's entries.
    pub(crate) fn redactor(&self) -> &Redactor {
        &self.inner.redactor
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.inner.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for Log {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Log").field("entries", &self.len()).finish()
    }
}

/// A log entry being written: add fields, mark it as PII, then [`record`](EntryBuilder::record) it.
#[must_use = "the entry is only added by `.record()`"]
#[derive(Debug)]
pub struct EntryBuilder<'a> {
    log: &'a Log,
    level: Level,
    message: String,
    fields: Vec<(String, String)>,
    pii: bool,
}

impl EntryBuilder<'_> {
    /// Adds the structured field `name` with `value`; a value whose `Display` fails
    /// keeps what it wrote, and says that it failed there.
    pub fn field(mut self, name: impl Into<String>, value: impl fmt::Display) -> Self {
        let value = text_of(&value)
            .unwrap_or_else(|written| written + " (its `Display` implementation returned an error here)");
        self.fields.push((name.into(), value));
        self
    }

    /// Marks the entry as holding personal data.
    pub fn pii(mut self) -> Self {
        self.pii = true;
        self
    }

    /// Adds the entry to the log.
    pub fn record(self) {
        let entry = LogEntry {
            // set when stored
            timestamp: SystemTime::UNIX_EPOCH,
            level: self.level,
            message: self.message,
            fields: self.fields,
            pii: self.pii,
            request: None,
        };
        self.log.push(entry);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_duration_is_shown_in_milliseconds_rounded_once() {
        for (nanos, millis) in [(34_898_014, 34.898014), (7_197_034, 7.197034), (1, 0.000001), (12_300_000, 12.3)] {
            assert_eq!(milliseconds(std::time::Duration::from_nanos(nanos)), millis, "{nanos} ns");
        }
    }

    #[test]
    fn entries_keep_order_and_fields() {
        let log = Log::new(Redactor::new());
        log.info("one");
        log.entry(Level::Error, "two").field("n", 2).record();
        let levels: Vec<Level> = log.entries().iter().map(|e| e.level).collect();
        assert_eq!(levels, [Level::Info, Level::Error]);
        let second: Value = serde_json::from_str(log.to_jsonl().lines().nth(1).unwrap()).unwrap();
        assert_eq!(second["fields"]["n"], "2");
        assert_eq!(second["level"], "error");
    }

    #[test]
    fn a_secret_learned_after_an_entry_is_masked_when_the_entry_is_read() {
        let redactor = Redactor::new();
        let log = Log::new(redactor.clone());
        log.entry(Level::Info, "session sess-7f3a9c2e41b8").field("session", "sess-7f3a9c2e41b8").record();
        log.info("before");
        redactor.add_secret(&secrecy::SecretString::from("sess-7f3a9c2e41b8"));
        let jsonl = log.to_jsonl();
        assert!(!jsonl.contains("sess-7f3a9c2e41b8") && jsonl.contains("session ***"), "{jsonl}");
        log.info("sess-7f3a9c2e41b8 again");
        assert_eq!(log.entries()[2].message, "*** again");
    }

    #[test]
    fn entries_since_an_index_are_the_rest() {
        let log = Log::new(Redactor::new());
        for message in ["one", "two", "three"] {
            log.info(message);
        }
        let messages = |start| log.entries_since(start).into_iter().map(|entry| entry.message).collect::<Vec<_>>();
        assert_eq!((messages(1), messages(3), messages(9)), (vec!["two".to_string(), "three".into()], vec![], vec![]));
        assert_eq!(log.to_jsonl_since(2), log.to_jsonl().lines().nth(2).unwrap().to_string() + "\n");
    }

    #[test]
    fn an_export_that_counts_what_it_read_misses_no_entry_added_meanwhile() {
        let log = Log::new(Redactor::new());
        let (mut exported, mut read) = (String::new(), 0);
        std::thread::scope(|scope| {
            for writer in 0..4 {
                let log = &log;
                scope.spawn(move || (0..500).for_each(|n| log.info(format!("{writer}-{n}"))));
            }
            while read < 2_000 {
                let lines = log.to_jsonl_since(read);
                read += lines.lines().count();
                exported += &lines;
            }
        });
        assert_eq!(exported, log.to_jsonl());
    }

    #[test]
    fn unicode_line_breaks_are_escaped_in_jsonl() {
        let log = Log::new(Redactor::new());
        log.entry(Level::Info, "a\u{2028}b\u{85}c").field("k\u{2029}", "v").record();
        let jsonl = log.to_jsonl();
        assert_eq!(jsonl.lines().count(), 1);
        assert!(jsonl.contains(r#""a\u2028b\u0085c""#) && jsonl.contains(r#""k\u2029":"v""#), "{jsonl}");
        let read: Value = serde_json::from_str(&jsonl).unwrap();
        assert_eq!(read["message"], "a\u{2028}b\u{85}c");
    }

    #[test]
    fn known_secrets_never_reach_an_entry() {
        let redactor = Redactor::new();
        let log = Log::new(redactor.clone());
        redactor.add_secret(&secrecy::SecretString::from("hunter2"));
        log.entry(Level::Info, "key hunter2").field("k", "hunter2").record();
        assert!(!log.to_jsonl().contains("hunter2"));
    }

    /// A call whose names hold a known secret (a dynamic call's names come from its
    /// caller, and are cleaned when read) is cleaned again when read after other
    /// calls were read: those read before read back as they were.
    #[test]
    fn calls_read_before_a_later_call_is_cleaned_read_back_unchanged() {
        let redactor = Redactor::new();
        redactor.add_secret(&secrecy::SecretString::from("s3ss10n-t0k3n"));
        let log = Log::new(redactor);
        let record = |api: &str| call::CallRecord { api: Cow::Owned(api.to_string()), ..call::tests::call() };
        log.push_call(record("zendesk"));
        let first = log.entries();
        log.push_call(record("api_s3ss10n-t0k3n"));
        let entries = log.entries();
        assert_eq!(entries[0], first[0]);
        assert_eq!(entries[0].message, "GET zendesk.get_ticket -> 200");
        assert_eq!(entries[1].message, "GET api_***.get_ticket -> 200");
        assert_eq!(entries[1].request.as_ref().unwrap().url, "https://api.example/tickets/1");
    }
}
