//! Log entries are also emitted as `tracing` events; PII entries without their text.

mod support;

use conv_api_runtime::{DynamicApis, Level, Runtime};
use support::tracing_capture::Collect;

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
    let events = collect.lines();
    assert_eq!(events.len(), 3, "{events:?}");
    assert!(events[0].starts_with("INFO") && events[0].contains("ticket found"), "{}", events[0]);
    assert!(events[1].starts_with("WARN") && events[1].contains("slow"), "{}", events[1]);
    assert!(events[2].starts_with("ERROR") && events[2].contains("pii=true"), "{}", events[2]);
    assert!(!events[2].contains("Ada") && !events[2].contains("555-0100"), "{}", events[2]);
    assert!(conv.log.entries()[2].message.contains("Ada"), "the log itself keeps the text");
}
