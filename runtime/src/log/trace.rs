//! A log's entries as `tracing` events.
//!
//! The events go out through call sites of this module's own, which ask the thread's
//! subscriber whether it wants each event. `tracing`'s macros cache that answer per call
//! site when the site is first reached and, while one subscriber exists, ask only the
//! subscriber of the thread that reached it (tokio-rs/tracing#3611): a thread with none
//! would silence the site for every thread, such as a test that captures events with
//! `tracing::subscriber::set_default` while another test, on another thread, makes the
//! first call.

use std::any::Any;
use std::fmt;
use std::sync::Once;

use tracing::level_filters::STATIC_MAX_LEVEL;
use tracing_core::callsite::{self, Callsite};
use tracing_core::field::{display, FieldSet, Value};
use tracing_core::{dispatcher, identify_callsite, Event, Interest, Kind, LevelFilter, Metadata};

use super::{CallRecord, Level};

/// The events of one kind at one level.
struct Site {
    metadata: &'static Metadata<'static>,
    registered: Once,
}

impl Callsite for Site {
    /// Not kept: the subscriber is asked at each event instead.
    fn set_interest(&self, _: Interest) {}

    fn metadata(&self) -> &Metadata<'_> {
        self.metadata
    }
}

impl Site {
    /// Whether the site's level passes the levels compiled in (`tracing`'s
    /// `max_level_*` features) and the most verbose any subscriber wants, as
    /// `tracing`'s macros check first.
    fn level_enabled(&self) -> bool {
        let level = self.metadata.level();
        *level <= STATIC_MAX_LEVEL && *level <= LevelFilter::current()
    }

    /// Gives the thread's subscriber an event of `values`, one for each of the site's
    /// fields in order, if the subscriber wants it; the caller checked
    /// [`level_enabled`](Self::level_enabled) before working the values out.
    fn emit(&'static self, values: &[Option<&dyn Value>]) {
        // subscribers learn of the site, as of any, before its first event
        self.registered.call_once(|| callsite::register(self));
        dispatcher::get_default(|subscriber| {
            if subscriber.enabled(self.metadata) {
                subscriber.event(&Event::new(self.metadata, &self.metadata.fields().value_set_all(values)));
            }
        });
    }
}

/// The fields of a note's event.
const NOTE_FIELDS: &[&str] = &["message", "pii", "fields"];

/// The fields of a call's event.
const CALL_FIELDS: &[&str] = &[
    "message",
    "pii",
    "api",
    "operation",
    "method",
    "url",
    "redirected_to",
    "status",
    "duration_ms",
    "attempt",
    "error",
    "error_kind",
    "retry",
    "mocked",
];

/// A site named `name` with `fields`, one for each of the log's levels.
macro_rules! sites {
    ($name:literal, $fields:expr, $($site:ident, $metadata:ident, $level:ident;)+) => {
        $(
            static $site: Site = Site { metadata: &$metadata, registered: Once::new() };
            static $metadata: Metadata<'static> = Metadata::new(
                $name,
                "conv_api",
                tracing_core::Level::$level,
                Some(file!()),
                Some(line!()),
                Some(module_path!()),
                FieldSet::new($fields, identify_callsite!(&$site)),
                Kind::EVENT,
            );
        )+
    };
}

sites!("conv_api note", NOTE_FIELDS,
    NOTE_INFO, NOTE_INFO_METADATA, INFO;
    NOTE_WARNING, NOTE_WARNING_METADATA, WARN;
    NOTE_ERROR, NOTE_ERROR_METADATA, ERROR;
);
sites!("conv_api call", CALL_FIELDS,
    CALL_INFO, CALL_INFO_METADATA, INFO;
    CALL_WARNING, CALL_WARNING_METADATA, WARN;
    CALL_ERROR, CALL_ERROR_METADATA, ERROR;
);

/// Runs `trace`, which runs the subscriber's code, catching a panic of the
/// subscriber's own: the caller stores its entry, then [`resume`]s it, so that no
/// entry is lost to it. While the thread unwinds from a panic already (an attempt the
/// panic dropped, a note a drop guard logs), the subscriber's is dropped: one escaping
/// a destructor during unwinding would abort the process, and this event may be the
/// only record of the call that leaves it.
pub(super) fn traced(trace: impl FnOnce()) -> Option<Box<dyn Any + Send>> {
    let panic = std::panic::catch_unwind(std::panic::AssertUnwindSafe(trace)).err();
    panic.filter(|_| !std::thread::panicking())
}

/// Goes on with the subscriber's panic [`traced`] caught, if any.
pub(super) fn resume(panicked: Option<Box<dyn Any + Send>>) {
    if let Some(panic) = panicked {
        std::panic::resume_unwind(panic);
    }
}

/// Emits a note as a `tracing` event; PII notes without their message and fields.
pub(super) fn trace_note(level: Level, pii: bool, message: &dyn fmt::Display, fields: &[(String, String)]) {
    let site = match level {
        Level::Info => &NOTE_INFO,
        Level::Warning => &NOTE_WARNING,
        Level::Error => &NOTE_ERROR,
    };
    if !site.level_enabled() {
        return;
    }
    let hidden: &dyn fmt::Display = &"(personal data, see the conversation log)";
    let message = display(if pii { hidden } else { message });
    // an option left `None` is no field of the event
    let fields = (!pii && !fields.is_empty()).then(|| display(NoteFields(fields)));
    site.emit(&[Some(&message), Some(&pii), Some(&fields)]);
}

/// Emits a call's entry as a `tracing` event, each part of the call a field of its
/// own (`method`, `url`, `redirected_to`, `status`, `error`, `error_kind` and `retry`
/// only when the call has them, `mocked` only when a mock rule answered), for a subscriber that
/// writes JSON or filters on them.
pub(super) fn trace_call(call: &CallRecord) {
    let site = match call.level() {
        Level::Info => &CALL_INFO,
        Level::Warning => &CALL_WARNING,
        Level::Error => &CALL_ERROR,
    };
    // the fields are worked out only when a subscriber may take the event: not on every call
    if !site.level_enabled() {
        return;
    }
    let message = display(call.message());
    let api: &str = &call.api;
    let operation: &str = &call.operation;
    let method = call.method.map(|method| method.as_str());
    let url = call.url.as_deref();
    let redirected_to = call.redirected_to.as_deref();
    let status = call.status.map(u64::from);
    let duration_ms = super::milliseconds(call.duration);
    let error = call.failure.as_ref().map(|failure| failure.0.as_str());
    let error_kind = call.failure.as_ref().map(|failure| failure.1.as_str());
    let retry = call.retry.as_deref();
    let mocked = call.mocked.then_some(true);
    // an option left `None` is no field of the event
    site.emit(&[
        Some(&message),
        Some(&false),
        Some(&api),
        Some(&operation),
        Some(&method),
        Some(&url),
        Some(&redirected_to),
        Some(&status),
        Some(&duration_ms),
        Some(&call.attempt),
        Some(&error),
        Some(&error_kind),
        Some(&retry),
        Some(&mocked),
    ]);
}

/// A note's fields as a JSON object, as the log exports them (`{"order_id":"42"}`,
/// a repeated name's values joined):
/// `tracing` names an event's fields where its call site is compiled, so a note's
/// own names are in this one field's text, which a log pipeline can parse. Formatted
/// only if a subscriber records it.
struct NoteFields<'a>(&'a [(String, String)]);

impl fmt::Display for NoteFields<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", super::pairs_to_json(self.0))
    }
}
