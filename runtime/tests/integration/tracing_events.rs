//! Log entries are also emitted as `tracing` events; PII entries without their text.

use crate::support;

use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use conv_api_runtime::{DynamicApis, Environment, Level, Runtime};
use support::tracing_capture::Collect;

#[test]
fn entries_are_traced_and_pii_text_is_kept_out() {
    let collect = Collect::default();
    let runtime = Runtime::builder().environment(Environment::Sandbox).build().unwrap();
    let conv = runtime.dynamic_conversation(&DynamicApis::default());
    {
        let _traced = collect.set_default();
        conv.log.info("ticket found");
        conv.log.warning("slow");
        conv.log.entry(Level::Error, "caller Ada Lovelace").field("phone", "555-0100").pii().record();
    }
    let events = collect.lines();
    assert_eq!(events.len(), 3, "{events:?}");
    assert!(events[0].starts_with("INFO") && events[0].contains("ticket found"), "{}", events[0]);
    assert!(events[1].starts_with("WARN") && events[1].contains("slow"), "{}", events[1]);
    assert!(events[2].starts_with("ERROR") && events[2].contains("pii=true"), "{}", events[2]);
    assert!(!events[2].contains("Ada") && !events[2].contains("555-0100"), "{}", events[2]);
    assert!(conv.log.entries()[2].message.contains("Ada"), "the log itself keeps the text");
}

#[test]
fn a_notes_fields_are_one_json_object_as_the_log_exports_them() {
    let collect = Collect::default();
    let runtime = Runtime::builder().environment(Environment::Sandbox).build().unwrap();
    let conv = runtime.dynamic_conversation(&DynamicApis::default());
    {
        let _traced = collect.set_default();
        conv.log.entry(Level::Info, "order placed").field("order_id", 42).field("note", "a \"b\"").record();
        conv.log.info("no fields");
    }
    let events = collect.lines();
    assert_eq!(
        events,
        [
            r#"INFO message=order placed pii=false fields={"order_id":"42","note":"a \"b\""} target=conv_api"#,
            "INFO message=no fields pii=false target=conv_api"
        ]
    );
    let exported: serde_json::Value = serde_json::from_str(conv.log.to_jsonl().lines().next().unwrap()).unwrap();
    assert_eq!(exported["fields"], serde_json::json!({ "order_id": "42", "note": "a \"b\"" }));
}

/// Reads the log it is given at each event of the runtime's, or panics.
struct TouchesTheLog {
    log: Mutex<Option<conv_api_runtime::Log>>,
    exported: Mutex<Vec<String>>,
    panics: bool,
}

impl tracing::Subscriber for TouchesTheLog {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        if event.metadata().target() != "conv_api" {
            return;
        }
        if self.panics {
            panic!("a subscriber's bug");
        }
        if let Some(log) = self.log.lock().unwrap().as_ref() {
            self.exported.lock().unwrap().push(log.to_jsonl());
        }
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[test]
fn a_subscriber_may_read_the_log_whose_entry_it_is_given() {
    let runtime = Runtime::builder().environment(Environment::Sandbox).build().unwrap();
    let conv = runtime.dynamic_conversation(&DynamicApis::default());
    let subscriber =
        Arc::new(TouchesTheLog { log: Mutex::new(Some(conv.log.clone())), exported: Mutex::default(), panics: false });
    let dispatch = tracing::Dispatch::from(Arc::clone(&subscriber));
    tracing::callsite::rebuild_interest_cache();
    let (done, finished) = mpsc::channel();
    let log = conv.log.clone();
    std::thread::spawn(move || {
        tracing::dispatcher::with_default(&dispatch, || log.info("ticket found"));
        let _ = done.send(());
    });
    // a wait for a deadlock, not a measure of time: the note returns at once or never
    assert!(finished.recv_timeout(Duration::from_secs(30)).is_ok(), "conv.log.info never returned");
    assert_eq!(*subscriber.exported.lock().unwrap(), [""], "the event goes out before its entry is stored");
    subscriber.log.lock().unwrap().take();
}

#[test]
fn a_panicking_subscriber_loses_no_entry_and_its_panic_goes_on() {
    let runtime = Runtime::builder().environment(Environment::Sandbox).build().unwrap();
    let conv = runtime.dynamic_conversation(&DynamicApis::default());
    let subscriber = Arc::new(TouchesTheLog { log: Mutex::new(None), exported: Mutex::default(), panics: true });
    let dispatch = tracing::Dispatch::from(Arc::clone(&subscriber));
    tracing::callsite::rebuild_interest_cache();
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        tracing::dispatcher::with_default(&dispatch, || conv.log.warning("payment declined"))
    }));
    assert!(panicked.is_err(), "the subscriber's panic reaches the caller");
    let messages: Vec<String> = conv.log.entries().into_iter().map(|entry| entry.message).collect();
    assert_eq!(messages, ["payment declined"], "the entry is stored though its event's subscriber failed");
}

/// An operator reading a deployment's start-up sees the environment it chose, and why.
#[test]
fn building_a_runtime_says_its_environment_and_what_chose_it() {
    let collect = Collect::default();
    {
        let _traced = collect.set_default();
        Runtime::builder().environment(Environment::Live).build().unwrap();
    }
    let events = collect.lines();
    assert_eq!(events.len(), 1, "{events:?}");
    let event = &events[0];
    assert!(event.starts_with("INFO") && event.contains("runtime built for environment `live`"), "{event}");
    assert!(event.contains("chosen_by=\"the builder's `.environment(..)`\""), "{event}");
}

#[test]
fn a_base_url_override_for_no_api_is_warned_about_once() {
    let collect = Collect::default();
    let yaml =
        "api_integrations:\n  - name: zendesk\n    environments: { sandbox: { base_url: \"https://z.example\" } }\n";
    let apis = DynamicApis::parse("apis.yaml", yaml).unwrap();
    let runtime = Runtime::builder()
        .environment(Environment::Sandbox)
        .base_url("zendsk", "http://127.0.0.1:1")
        .base_url("zendesk", "http://127.0.0.1:2")
        .build()
        .unwrap();
    {
        let _traced = collect.set_default();
        runtime.dynamic_conversation(&apis);
        runtime.dynamic_conversation(&apis);
    }
    let events = collect.lines();
    assert_eq!(events.len(), 1, "{events:?}");
    assert!(events[0].starts_with("WARN"), "{}", events[0]);
    assert!(
        events[0]
            .contains("`zendsk` matches no API of these definitions (they have `zendesk`); did you mean `zendesk`?"),
        "{}",
        events[0]
    );
}

#[test]
fn a_base_url_override_for_no_api_lists_the_first_apis_of_a_large_file() {
    let collect = Collect::default();
    let mut yaml = String::from("api_integrations:\n");
    for i in 0..1_000 {
        yaml.push_str(&format!(
            "  - {{ name: api_{i}, environments: {{ sandbox: {{ base_url: \"https://t{i}.example\" }} }} }}\n"
        ));
    }
    let apis = DynamicApis::parse("apis.yaml", &yaml).unwrap();
    let runtime =
        Runtime::builder().environment(Environment::Sandbox).base_url("crm", "http://127.0.0.1:1").build().unwrap();
    {
        let _traced = collect.set_default();
        runtime.dynamic_conversation(&apis);
    }
    let events = collect.lines();
    assert_eq!(events.len(), 1, "{events:?}");
    assert!(
        events[0].contains("(they have `api_0`, `api_1`, ") && events[0].contains(", `api_19` and 980 more)"),
        "{}",
        events[0]
    );
}

/// Definitions of one API with the two operations the call tests make.
const ZENDESK: &str = "api_integrations:
  - name: zendesk
    environments: { sandbox: { base_url: \"https://z.example\" } }
    operations:
      - { name: get_ticket, method: GET, resource: \"/tickets/{id}\" }
      - { name: create, method: POST, resource: /tickets }
";

/// The `tracing` events of one call of `operation` (with `args`) that `rule` answers,
/// and the call's outcome.
fn traced_call(
    rule: conv_api_runtime::mocks::Rule,
    operation: &str,
    args: &[(&str, &str)],
) -> (conv_api_runtime::Result<conv_api_runtime::Response>, Vec<String>) {
    let collect = Collect::default();
    let apis = DynamicApis::parse("apis.yaml", ZENDESK).unwrap();
    let mocks = conv_api_runtime::mocks::Mocks::new().with(rule);
    let runtime = Runtime::builder().environment(Environment::Sandbox).mocks(mocks).build().unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    let request =
        args.iter().fold(conv.api.call("zendesk", operation), |request, (name, value)| request.arg(name, value));
    let tokio = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let outcome = {
        let _traced = collect.set_default();
        tokio.block_on(request.send())
    };
    (outcome, collect.lines())
}

#[test]
fn a_calls_entry_is_traced_with_its_api_operation_and_status() {
    use conv_api_runtime::mocks::Rule;
    let (response, events) = traced_call(Rule::on("zendesk", "get_ticket").status(404), "get_ticket", &[("id", "42")]);
    assert_eq!(response.unwrap().status_code(), 404);
    assert_eq!(events.len(), 1, "{events:?}");
    let event = &events[0];
    assert!(event.starts_with("INFO"), "{event}");
    for part in ["GET zendesk.get_ticket (mocked) -> 404", "https://z.example/tickets/42"] {
        assert!(event.contains(part), "{part} in {event}");
    }
    // each part of the call is a field of its own, for a subscriber that writes JSON
    let fields = [
        "api=\"zendesk\"",
        "operation=\"get_ticket\"",
        "method=\"GET\"",
        "status=404",
        "attempt=1",
        "duration_ms=",
        "mocked=true",
    ];
    for field in fields {
        assert!(event.contains(&format!(" {field}")), "{field} in {event}");
    }
    assert!(!event.contains("error") && !event.contains("retry="), "only what the call has: {event}");
}

#[test]
fn a_failed_calls_event_has_its_error_kind_and_no_status() {
    use conv_api_runtime::mocks::{Failure, Rule};
    let (outcome, events) = traced_call(Rule::on("zendesk", "create").fail(Failure::Connection), "create", &[]);
    outcome.unwrap_err();
    assert_eq!(events.len(), 1, "{events:?}");
    let event = &events[0];
    assert!(event.starts_with("ERROR") && event.contains(" error_kind=\"connect\""), "{event}");
    // the error's text too, as the message has it, for a subscriber that writes JSON
    // (the call is in the event's other fields)
    let error = "cannot connect to the server (a mock rule said `fail: connection`)";
    assert!(event.contains(&format!(" error=\"{error}\" error_kind=")), "{event}");
    assert!(!event.contains("status="), "no answer, no status: {event}");
}

#[test]
fn an_attempt_a_panic_drops_is_traced_as_it_is_logged() {
    use conv_api_runtime::mocks::Rule;
    let collect = Collect::default();
    let apis = DynamicApis::parse("apis.yaml", ZENDESK).unwrap();
    let mocks = conv_api_runtime::mocks::Mocks::new()
        .with(Rule::on("zendesk", "create").delay(std::time::Duration::from_secs(30)));
    let runtime = Runtime::builder().environment(Environment::Sandbox).mocks(mocks).build().unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    let tokio = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let panicked = {
        let _traced = collect.set_default();
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            tokio.block_on(async {
                let mut call = std::pin::pin!(conv.api.call("zendesk", "create").send());
                let under_way = tokio::time::timeout(std::time::Duration::from_millis(50), &mut call).await;
                assert!(under_way.is_err(), "the mock answers after 30 s");
                // the unwinding drops the call under way
                panic!("a bug in agent code beside the call");
            })
        }))
    };
    assert!(panicked.is_err());
    assert_eq!(conv.log.len(), 1);
    // the event is the one record that leaves the process, whose handler panicked
    let events = collect.lines();
    assert_eq!(events.len(), 1, "{events:?}");
    assert!(events[0].starts_with("WARN") && events[0].contains(" error_kind=\"cancelled\""), "{}", events[0]);
    assert!(events[0].contains("a panic unwinding the caller's task dropped the call's future"), "{}", events[0]);
}

#[test]
fn a_call_refused_before_it_had_a_url_has_no_url_field() {
    let collect = Collect::default();
    let yaml = "api_integrations:\n  - name: zendesk\n    environments: { live: { base_url: \"https://z.example\" } }\n    operations: [{ name: get_ticket, method: GET, resource: \"/tickets/{id}\" }]\n";
    let apis = DynamicApis::parse("apis.yaml", yaml).unwrap();
    let runtime = Runtime::builder().environment(Environment::Sandbox).build().unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    let tokio = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    {
        let _traced = collect.set_default();
        tokio.block_on(conv.api.call("zendesk", "get_ticket").send()).unwrap_err();
    }
    let events = collect.lines();
    assert_eq!(events.len(), 1, "{events:?}");
    assert!(events[0].contains(" method=\"GET\"") && !events[0].contains(" url="), "{}", events[0]);
}

#[test]
fn a_spawned_or_cancelled_calls_events_are_in_the_span_its_future_was_made_in() {
    use conv_api_runtime::mocks::{Mocks, Rule};
    let collect = Collect::default();
    let apis = DynamicApis::parse("apis.yaml", ZENDESK).unwrap();
    let mocks = Mocks::new()
        .with(Rule::on("zendesk", "get_ticket").status(200))
        .with(Rule::on("zendesk", "create").delay(Duration::from_secs(30)));
    let runtime = Runtime::builder().environment(Environment::Sandbox).mocks(mocks).build().unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    let tokio = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    {
        let _traced = collect.set_default();
        tokio.block_on(async {
            let span = tracing::info_span!("conversation", id = "c-9");
            let (answered, under_way) = span.in_scope(|| {
                (
                    conv.api.call("zendesk", "get_ticket").arg("id", "42").send(),
                    conv.api.call("zendesk", "create").send(),
                )
            });
            // each task runs in no span of its own
            assert_eq!(tokio::spawn(answered).await.unwrap().unwrap().status_code(), 200);
            let task = tokio::spawn(under_way);
            tokio::time::sleep(Duration::from_millis(20)).await;
            task.abort();
            assert!(task.await.unwrap_err().is_cancelled());
        });
    }
    let events: Vec<String> = collect.lines().into_iter().filter(|line| line.contains(" api=")).collect();
    assert_eq!(events.len(), 2, "the answer and the cancelled call: {events:?}");
    assert!(events[1].contains(" error_kind=\"cancelled\""), "{}", events[1]);
    for event in &events {
        assert!(event.ends_with(" in=conversation"), "{event}");
    }
}

#[test]
fn a_calls_events_are_in_the_callers_span_also_after_a_retry() {
    use tracing::Instrument;
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let tokio = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let server = tokio.block_on(MockServer::start());
    tokio.block_on(Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).mount(&server));
    tokio.block_on(Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).mount(&server));
    let yaml = format!("{ZENDESK}    retry: {{ attempts: 2, base_delay: 1ms }}\n");
    let apis = DynamicApis::parse("apis.yaml", &yaml).unwrap();
    let runtime =
        Runtime::builder().environment(Environment::Sandbox).base_url("zendesk", server.uri()).build().unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    let collect = Collect::default();
    let response = {
        let _traced = collect.set_default();
        let call = conv.api.call("zendesk", "get_ticket").arg("id", "42").send();
        tokio.block_on(call.instrument(tracing::info_span!("conversation", id = "c-7")))
    };
    assert_eq!(response.unwrap().status_code(), 200);
    let events: Vec<String> = collect.lines().into_iter().filter(|line| line.contains("zendesk.get_ticket")).collect();
    assert_eq!(events.len(), 2, "the 503 and the 200: {events:?}");
    // a subscriber ties them to the conversation through the span the agent runs it in
    for event in &events {
        assert!(event.ends_with(" in=conversation"), "{event}");
    }
}

#[test]
fn a_mocks_files_warnings_are_traced_and_it_still_loads() {
    let apis = DynamicApis::parse(
        "apis.yaml",
        "api_integrations:\n  - name: crm\n    environments: { sandbox: {} }\n    operations: [{ name: get, method: GET, resource: /x }]\n",
    )
    .unwrap();
    let collect = Collect::default();
    let mocks = {
        let _traced = collect.set_default();
        let yaml = "api_mocks:\n  crm:\n    get:\n      - respond: { status: 200, body: '{\"id\": 1}' }\n";
        conv_api_runtime::mocks::Mocks::parse_for("case.yaml", yaml, &apis)
    };
    assert!(mocks.is_ok(), "{mocks:?}");
    let events = collect.lines();
    assert_eq!(events.len(), 1, "{events:?}");
    let told = "WARN message=case.yaml:4:39: warning: `api_mocks.crm.get[0].respond.body` is JSON written as text";
    assert!(events[0].starts_with(told), "{}", events[0]);
}

/// A token request is a `debug` event of its own, with the API and how long it took,
/// which the call that waited for it counts in its duration.
#[test]
fn a_token_request_is_traced_with_its_api_and_duration() {
    use wiremock::matchers::path;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let tokio = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let server = tokio.block_on(MockServer::start());
    let token = crate::auth_support::token_response("t-1", 3600);
    tokio.block_on(Mock::given(path("/oauth/token")).respond_with(token).mount(&server));
    tokio.block_on(Mock::given(path("/tickets/1")).respond_with(ResponseTemplate::new(200)).mount(&server));
    let auth =
        format!("{{ token_url: \"{}/oauth/token\", client_id: app, client_secret: {{ secret: CS }} }}", server.uri());
    let store = conv_api_runtime::MapSecretStore::new().with("CS", "s");
    let conv = crate::auth_support::conversation(&server.uri(), "oauth2", &auth, store);
    let collect = Collect::default();
    let response = {
        let _traced = collect.set_default();
        tokio.block_on(conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).send())
    };
    assert_eq!(response.unwrap().status_code(), 200);
    let events = collect.lines();
    let fetched = events.iter().find(|line| line.contains("oauth2 token fetched")).expect("a token event");
    assert!(fetched.starts_with("DEBUG") && fetched.contains("api=\"zendesk\""), "{fetched}");
    assert!(fetched.contains("duration_ms=") && fetched.contains("lifetime_secs="), "{fetched}");
}
