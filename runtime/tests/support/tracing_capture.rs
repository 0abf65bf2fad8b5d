//! A `tracing` subscriber that keeps every event and span, fields included, as text.

use std::cell::RefCell;
use std::fmt::Debug;
use std::sync::{Arc, Mutex, OnceLock};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Dispatch, Event, Metadata, Subscriber};
use tracing_core::span::Current;

/// Keeps each event as `LEVEL message field=.. target=TARGET` (and ` in=SPAN`, the
/// name of the span the thread is in, when it is in one), and each span's fields, in
/// order.
#[derive(Clone, Default)]
pub struct Collect {
    lines: Arc<Mutex<Vec<String>>>,
    spans: Arc<Mutex<Vec<&'static Metadata<'static>>>>,
}

thread_local! {
    /// The spans this thread entered and has not left, innermost last.
    static ENTERED: RefCell<Vec<Id>> = const { RefCell::new(Vec::new()) };
}

impl Collect {
    /// Makes this the subscriber of the current thread until the guard is dropped.
    ///
    /// tracing caches whether each call site is wanted when the site is first hit.
    /// With one subscriber alive, it asks only the thread that hits it, so a test
    /// on another thread hitting a site first (tests of a binary run in parallel)
    /// caches "never" for this one too (tokio-rs/tracing#2874). An [`AskEachTime`]
    /// kept alive for the whole binary makes every site ask each thread's own
    /// subscriber at each event; the rebuild makes the sites hit before it ask too.
    pub fn set_default(&self) -> tracing::subscriber::DefaultGuard {
        static ASK_EACH_TIME: OnceLock<Dispatch> = OnceLock::new();
        ASK_EACH_TIME.get_or_init(|| Dispatch::new(AskEachTime));
        let guard = tracing::subscriber::set_default(self.clone());
        tracing::callsite::rebuild_interest_cache();
        guard
    }

    /// Everything kept so far.
    pub fn lines(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }

    fn keep(&self, line: String) {
        self.lines.lock().unwrap().push(line);
    }
}

/// A subscriber that wants no event but wants to be asked at each one (see
/// [`Collect::set_default`]).
struct AskEachTime;

impl Subscriber for AskEachTime {
    fn register_callsite(&self, _: &'static Metadata<'static>) -> Interest {
        Interest::sometimes()
    }
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        false
    }
    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, _: &Event<'_>) {}
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.0.push_str(&format!(" {}={:?}", field.name(), value));
    }
}

impl Subscriber for Collect {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut fields = Fields(span.metadata().name().to_string());
        span.record(&mut fields);
        self.keep(fields.0);
        let mut spans = self.spans.lock().unwrap();
        spans.push(span.metadata());
        Id::from_u64(spans.len() as u64)
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut fields = Fields(String::new());
        values.record(&mut fields);
        self.keep(fields.0);
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields(event.metadata().level().to_string());
        event.record(&mut fields);
        fields.0.push_str(&format!(" target={}", event.metadata().target()));
        if let Some(span) = ENTERED.with(|entered| entered.borrow().last().cloned()) {
            let spans = self.spans.lock().unwrap();
            fields.0.push_str(&format!(" in={}", spans[span.into_u64() as usize - 1].name()));
        }
        self.keep(fields.0);
    }
    fn enter(&self, span: &Id) {
        ENTERED.with(|entered| entered.borrow_mut().push(span.clone()));
    }
    fn exit(&self, _: &Id) {
        ENTERED.with(|entered| entered.borrow_mut().pop());
    }
    /// The span the thread is in, as `Span::current()` asks it (`tracing-subscriber`'s
    /// registry tells it too).
    fn current_span(&self) -> Current {
        match ENTERED.with(|entered| entered.borrow().last().cloned()) {
            Some(span) => {
                let metadata = self.spans.lock().unwrap()[span.into_u64() as usize - 1];
                Current::new(span, metadata)
            }
            None => Current::none(),
        }
    }
}
