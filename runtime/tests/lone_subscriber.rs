//! The log's events reach a thread's subscriber while it is the process's only one:
//! a binary of its own, so that no other test sets one.

mod support;

use conv_api_runtime::{DynamicApis, Environment, Runtime};

/// While a thread's subscriber is the only one, a thread with none that reaches the
/// log's events first does not keep them from it, as it would `tracing`'s own call
/// sites (tokio-rs/tracing#3611): tests running side by side, one capturing events.
#[test]
fn a_threads_subscriber_gets_the_events_a_thread_without_one_reached_first() {
    let collect = support::tracing_capture::Collect::default();
    let yaml = "api_integrations:\n  - name: zendesk\n    environments: { live: { base_url: \"https://z.example\" } }\n    operations: [{ name: get_ticket, method: GET, resource: \"/tickets/{id}\" }]\n";
    let apis = DynamicApis::parse("apis.yaml", yaml).unwrap();
    let runtime = Runtime::builder().environment(Environment::Sandbox).build().unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    let tokio = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let refused_call = || tokio.block_on(conv.api.call("zendesk", "get_ticket").send()).unwrap_err();
    let _traced = tracing::subscriber::set_default(collect.clone());
    std::thread::scope(|scope| {
        scope.spawn(|| {
            conv.log.info("first, on a thread without a subscriber");
            refused_call();
        });
    });
    conv.log.info("then here");
    refused_call();
    let events = collect.lines();
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(events[0].starts_with("INFO") && events[0].contains("then here"), "{}", events[0]);
    assert!(events[1].contains(" api=\"zendesk\" operation=\"get_ticket\""), "{}", events[1]);
}
