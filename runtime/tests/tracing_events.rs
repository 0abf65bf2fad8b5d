//! Log entries are also emitted as `tracing` events; PII entries without their text.

use std::fmt::Debug;
use std::sync::{Arc, Mutex};

use conv_api_runtime::{DynamicApis, Level, Runtime};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Keeps each event as `LEVEL message pii=..`.
#[derive(Clone, Default)]
struct Collect(Arc<Mutex<Vec<String>>>);

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
    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields(event.metadata().level().to_string());
        event.record(&mut fields);
        self.0.lock().unwrap().push(fields.0);
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[test]
fn entries_are_traced_and_pii_text_is_kept_out() {
    let collect = Collect::default();
    let runtime = Runtime::builder().build().unwrap();
    let conv = runtime.dynamic_conversation(&DynamicApis::default());
    tracing::subscriber::with_default(collect.clone(), || {
        conv.log.info("ticket found");
        conv.log.warning("slow");
        conv.log.entry(Level::Error, "caller Ada Lovelace").field("phone", "555-0100").pii().record();
    });
    let events = collect.0.lock().unwrap().clone();
    assert_eq!(events.len(), 3, "{events:?}");
    assert!(events[0].starts_with("INFO") && events[0].contains("ticket found"), "{}", events[0]);
    assert!(events[1].starts_with("WARN") && events[1].contains("slow"), "{}", events[1]);
    assert!(events[2].starts_with("ERROR") && events[2].contains("pii=true"), "{}", events[2]);
    assert!(!events[2].contains("Ada") && !events[2].contains("555-0100"), "{}", events[2]);
    assert!(conv.log.entries()[2].message.contains("Ada"), "the log itself keeps the text");
}
