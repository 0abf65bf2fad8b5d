//! Mocks in the runtime: the ADK example unchanged, every rule kind, strict misses,
//! recorded calls, and a log that reads as with a real server.

use std::time::Duration;

use conv_api_runtime::mocks::{Failure, Mocks, Rule};
use conv_api_runtime::{DynamicApis, Environment, ErrorKind, RetryPolicy, Runtime};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const DEFINITIONS: &str = "api_integrations:
  - name: reservations
    environments: { sandbox: { base_url: \"http://127.0.0.1:9/r\" } }
    operations:
      - { name: check_availability, method: GET, resource: \"/venues/{venue_id}/availability\" }
      - { name: book, method: POST, resource: /bookings }
";

/// The example of PolyAI's ADK `api_mocks` documentation (MOCKS.md), unchanged.
const ADK_TEST_CASE: &str = include_str!("../../definitions/tests/fixtures/adk/booking-test-case.yaml");

fn apis() -> DynamicApis {
    DynamicApis::parse("apis.yaml", DEFINITIONS).expect("definitions are valid")
}

/// Fast retries, so that a call that falls through to the real API and is retried
/// does not wait the default backoff.
const QUICK_RETRY: RetryPolicy =
    RetryPolicy { attempts: 3, base_delay: Duration::from_millis(1), max_delay: Duration::from_millis(2) };

fn runtime(mocks: &Mocks, real: Option<&MockServer>) -> Runtime {
    let mut builder = Runtime::builder().environment(Environment::Sandbox).retry(QUICK_RETRY).mocks(mocks.clone());
    if let Some(server) = real {
        builder = builder.base_url("reservations", server.uri());
    }
    builder.build().expect("runtime builds")
}

fn adk_mocks(dir: &tempfile::TempDir) -> Mocks {
    let file = dir.path().join("booking.yaml");
    std::fs::write(&file, ADK_TEST_CASE).expect("test case is written");
    Mocks::load_for(&file, apis().definitions()).expect("the ADK example loads")
}

#[tokio::test]
async fn the_adk_example_works_unchanged_and_falls_through_when_used_up() {
    let real = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/venues/9/availability"))
        .respond_with(ResponseTemplate::new(200).set_body_string("from the real API"))
        .expect(1)
        .mount(&real)
        .await;
    let dir = tempfile::tempdir().expect("temp dir");
    let mocks = adk_mocks(&dir);
    let apis = apis();
    let conv = runtime(&mocks, Some(&real)).dynamic_conversation(&apis);
    let check =
        || conv.api.call("reservations", "check_availability").arg("venue_id", 9).timeout(Duration::from_secs(5));

    // each call takes one answer, as in the ADK: the agent code sees the two 503s
    let mut statuses = Vec::new();
    for _ in 0..2 {
        statuses.push(check().await.expect("a mocked response").status_code());
    }
    let answered = check().await.expect("a mocked response");
    statuses.push(answered.status_code());
    assert_eq!(statuses, [503, 503, 200], "a mocked 503 is not retried: its rule answers calls");
    assert_eq!(answered.json::<serde_json::Value>().expect("JSON body"), json!({"available": true, "table_id": 7}));
    assert_eq!(answered.header("content-type"), Some("application/json"));
    let entries = conv.log.entries();
    let logged: Vec<(Option<u16>, u32)> =
        entries.iter().filter_map(|e| e.request.as_ref()).map(|r| (r.status, r.attempt)).collect();
    assert_eq!(logged, [(Some(503), 1), (Some(503), 1), (Some(200), 1)], "each call logged as one attempt");
    let note = entries[0].fields.iter().find(|(name, _)| name == "retry").map(|(_, value)| value.to_string());
    let says = "not retried: a mock rule answered it, and a mocked answer is the call's, as in the ADK";
    assert!(note.as_deref().is_some_and(|note| note.contains(says)), "{:?}", entries[0]);
    let booked = conv.api.call("reservations", "book").await.expect("a mocked response");
    let again = conv.api.call("reservations", "book").await.expect("repeat -1 answers forever");
    assert_eq!((booked.status_code(), again.status_code()), (201, 201));
    assert_eq!(again.json::<serde_json::Value>().expect("JSON"), json!({"confirmation": "R-1042"}));

    let real_answer = check().await.expect("used-up rules fall through to the real API");
    assert_eq!(real_answer.text(), "from the real API");
    assert_eq!(mocks.calls_to("reservations", "check_availability").len(), 4);
    // the log tells the mocks' answers from the real API's
    let mocked: Vec<bool> = conv.log.entries().iter().filter_map(|e| e.request.as_ref()).map(|r| r.mocked).collect();
    assert_eq!(mocked, [true, true, true, true, true, false]);
    let jsonl = conv.log.to_jsonl();
    let last = jsonl.lines().last().expect("the real call's line");
    assert!(last.contains(r#""mocked":false"#) && !last.contains("(mocked)"), "{last}");
    assert!(jsonl.lines().next().expect("a line").contains(r#""mocked":true"#), "{jsonl}");
}

#[tokio::test]
async fn rules_match_on_path_query_headers_and_json_body() {
    let mocks = Mocks::new()
        .with(
            Rule::on("reservations", "check_availability")
                .when_path("venue_id", 7)
                .when_query("party", 2)
                .json(json!({"available": false})),
        )
        .with(Rule::on("reservations", "check_availability").when_header("x-source", "agent").text("for agents"))
        .with(Rule::on("reservations", "book").when_json(json!({"party": 2})).status(201).forever())
        .with(Rule::on("reservations", "book").status(422).forever());
    let apis = apis();
    let conv = runtime(&mocks, None).dynamic_conversation(&apis);

    let full = conv.api.call("reservations", "check_availability").arg("venue_id", 7).query(&[("party", "2")]).await;
    assert_eq!(full.expect("matched").text(), "{\"available\":false}");
    let agent =
        conv.api.call("reservations", "check_availability").arg("venue_id", 1).header("X-Source", "agent").await;
    assert_eq!(agent.expect("matched").text(), "for agents");
    let two = conv.api.call("reservations", "book").json(&json!({"party": 2, "time": "20:00"})).await;
    let four = conv.api.call("reservations", "book").json(&json!({"party": 4})).await;
    assert_eq!((two.expect("matched").status_code(), four.expect("matched").status_code()), (201, 422));

    let calls = mocks.calls();
    assert_eq!(calls.len(), 4);
    assert_eq!(calls[0].path, [("venue_id".to_string(), "7".to_string())]);
    assert_eq!(calls[0].query, [("party".to_string(), "2".to_string())]);
    assert!(calls[1].headers.contains(&("x-source".to_string(), "agent".to_string())), "{:?}", calls[1].headers);
    assert_eq!(calls[2].body.as_deref(), Some("{\"party\":2,\"time\":\"20:00\"}"));
    // taken, the record starts again
    assert_eq!(mocks.take_calls(), calls);
    assert!(mocks.calls().is_empty());
    conv.api.call("reservations", "book").json(&json!({"party": 4})).await.expect("matched");
    assert_eq!(mocks.calls_to("reservations", "book").len(), 1);
}

#[tokio::test]
async fn a_rule_matches_a_header_beyond_ascii_by_the_text_the_call_gave() {
    // sent as Latin-1 bytes, a value is still the text the code wrote to a rule
    let mocks = Mocks::new().with(Rule::on("reservations", "book").when_header("x-caller", "José").status(201));
    let apis = apis();
    let conv = runtime(&mocks, None).dynamic_conversation(&apis);
    let response = conv.api.call("reservations", "book").header("X-Caller", "José").await;
    assert_eq!(response.unwrap().status_code(), 201);
    let caller = mocks.calls()[0].headers.iter().find(|(name, _)| name == "x-caller").cloned();
    assert_eq!(caller, Some(("x-caller".to_string(), "José".to_string())));
}

#[tokio::test]
async fn mocks_see_the_user_agent_a_server_would() {
    let agent = conv_api_runtime::USER_AGENT;
    let mocks = Mocks::new()
        .with(Rule::on("reservations", "book").when_header("user-agent", agent).status(201))
        .with(Rule::on("reservations", "book").when_header("user-agent", "acme/2").status(202));
    let apis = apis();
    let conv = runtime(&mocks, None).dynamic_conversation(&apis);
    assert_eq!(conv.api.call("reservations", "book").await.unwrap().status_code(), 201);
    let own = conv.api.call("reservations", "book").header("User-Agent", "acme/2").await;
    assert_eq!(own.unwrap().status_code(), 202);
    let agents: Vec<Vec<(String, String)>> = mocks
        .calls()
        .iter()
        .map(|call| call.headers.iter().filter(|(name, _)| name == "user-agent").cloned().collect())
        .collect();
    let one = |value: &str| vec![("user-agent".to_string(), value.to_string())];
    assert_eq!(agents, [one(agent), one("acme/2")]);

    let mocks = Mocks::new().with(Rule::on("reservations", "book").when_header("user-agent", "acme/3").status(201));
    let runtime = Runtime::builder().environment(Environment::Sandbox).user_agent("acme/3").mocks(mocks).build();
    let response = runtime.unwrap().dynamic_conversation(&apis).api.call("reservations", "book").await;
    assert_eq!(response.unwrap().status_code(), 201, "the runtime's own User-Agent");
}

#[tokio::test]
async fn bodies_are_json_unless_the_rule_declares_another_content_type() {
    let adk = "api_mocks:
  reservations:
    book:
      - respond: { status: 200, body: hello }
      - respond: { status: 200, body: hello, headers: { Content-Type: text/plain, X-City: café } }
      - respond: { status: 200, body: hi, headers: { Content-Type: application/json, content-type: text/plain } }
";
    let mocks = Mocks::from_format(
        conv_api_definitions::mocks::parse_str("case.yaml", adk, apis().definitions()).expect("valid"),
    )
    .with(Rule::on("reservations", "check_availability").json("hello"))
    .with(Rule::on("reservations", "check_availability").text("<p>hi</p>").header("content-type", "text/html"))
    .with(
        Rule::on("reservations", "check_availability")
            .header("content-type", "application/json")
            .text(r#"{"ok":true}"#),
    )
    .with(Rule::on("reservations", "check_availability").text("replaced").json(json!({ "ok": 1 })));
    let apis = apis();
    let conv = runtime(&mocks, None).dynamic_conversation(&apis);

    let json = conv.api.call("reservations", "book").await.expect("mocked");
    assert_eq!((json.text(), json.header("content-type")), ("\"hello\"", Some("application/json")));
    assert_eq!(json.json::<String>().expect("a JSON string"), "hello");
    let text = conv.api.call("reservations", "book").await.expect("mocked");
    assert_eq!((text.text(), text.header("content-type")), ("hello", Some("text/plain")));
    assert_eq!(text.headers()["x-city"].as_bytes(), "café".as_bytes(), "a UTF-8 value is sent as it is");
    let retyped = conv.api.call("reservations", "book").await.expect("mocked");
    assert_eq!(retyped.headers().get_all("content-type").iter().count(), 1, "one content type, the last");
    assert_eq!((retyped.text(), retyped.header("content-type")), ("hi", Some("text/plain")));

    let check = || conv.api.call("reservations", "check_availability").arg("venue_id", 1);
    assert_eq!(check().await.expect("mocked").json::<String>().expect("Rule::json of text is JSON"), "hello");
    let html = check().await.expect("mocked");
    assert_eq!(html.text(), "<p>hi</p>");
    assert_eq!(html.headers().get_all("content-type").iter().count(), 1, "the rule's header replaced text/plain");
    assert_eq!(html.header("content-type"), Some("text/html"));
    let fixture = check().await.expect("mocked");
    assert_eq!((fixture.text(), fixture.header("content-type")), (r#"{"ok":true}"#, Some("application/json")));
    let last = check().await.expect("mocked");
    assert_eq!(
        (last.text(), last.header("content-type")),
        (r#"{"ok":1}"#, Some("application/json")),
        "the last body wins"
    );
}

#[tokio::test]
async fn strict_mocks_refuse_unanswered_calls_and_say_which_rules_missed() {
    // rules of another operation first: the rules are numbered within their operation
    let mocks = Mocks::new()
        .with(Rule::on("reservations", "book").status(201))
        .with(Rule::on("reservations", "check_availability").when_path("venue_id", 7).status(200));
    let apis = apis();
    let conv = runtime(&mocks, None).dynamic_conversation(&apis);

    let missed =
        conv.api.call("reservations", "check_availability").arg("venue_id", 8).await.expect_err("no rule answers");
    assert_eq!(missed.kind(), ErrorKind::Unmocked);
    assert!(
        missed.to_string().contains("rule 1 (respond 200) does not match: path variable `venue_id` is `8`, not `7`"),
        "{missed}"
    );
    conv.api.call("reservations", "book").await.expect("the rule for book answers once");
    let none = conv.api.call("reservations", "book").await.expect_err("used up");
    assert!(none.to_string().contains("rule 1 (respond 201) is used up after answering 1 call; let a rule answer more calls with `.times(n)` or `.forever()`"), "{none}");
    // used up, and it would not match anyway: the mismatch is what to fix
    conv.api.call("reservations", "check_availability").arg("venue_id", 7).await.expect("the rule answers 7 once");
    let missed = conv.api.call("reservations", "check_availability").arg("venue_id", 8).await.unwrap_err();
    assert!(
        missed.to_string().contains("rule 1 (respond 200) does not match: path variable `venue_id` is `8`"),
        "{missed}"
    );
    let conv = runtime(&Mocks::new(), None).dynamic_conversation(&apis);
    let none = conv.api.call("reservations", "book").await.expect_err("no rule for book");
    assert!(none.to_string().contains("no mock rule answers `reservations.book`"), "{none}");
}

#[tokio::test(start_paused = true)]
async fn rules_can_delay_and_fail() {
    let mocks = Mocks::new()
        .with(Rule::on("reservations", "book").fail(Failure::Connection))
        .with(Rule::on("reservations", "book").delay(Duration::from_secs(30)).status(201))
        .with(Rule::on("reservations", "check_availability").fail(Failure::Timeout).forever());
    let apis = apis();
    let conv = runtime(&mocks, None).dynamic_conversation(&apis);

    let down = conv.api.call("reservations", "book").await.expect_err("connection fails");
    assert_eq!(down.kind(), ErrorKind::Connect);
    let slow = conv.api.call("reservations", "book").timeout(Duration::from_secs(2)).await.expect_err("too slow");
    assert_eq!(slow.kind(), ErrorKind::Timeout);
    // a real timeout's message, not `fail: timeout`, which no rule said
    let message = slow.to_string();
    assert!(message.contains("no complete answer within 2s; raise the timeout"), "{message}");
    assert!(message.contains("(the mock rule answering waits 30s)") && !message.contains("fail: timeout"), "{message}");
    let timeout = conv.api.call("reservations", "check_availability").arg("venue_id", 1).await.expect_err("times out");
    assert_eq!(timeout.kind(), ErrorKind::Timeout);
}

#[tokio::test(start_paused = true)]
async fn a_delay_as_long_as_the_timeout_times_out() {
    let mocks = Mocks::new().with(Rule::on("reservations", "book").delay(Duration::from_secs(1)).status(201));
    let apis = apis();
    let conv = runtime(&mocks, None).dynamic_conversation(&apis);
    let slow = conv.api.call("reservations", "book").timeout(Duration::from_secs(1)).await.expect_err("too slow");
    assert_eq!(slow.kind(), ErrorKind::Timeout, "{slow}");
    assert!(slow.to_string().contains("(the mock rule answering waits 1s)"), "{slow}");
}

#[tokio::test(start_paused = true)]
async fn a_call_dropped_while_a_rule_delays_its_answer_is_logged_as_mocked_and_never_sent() {
    let mocks = Mocks::new().with(Rule::on("reservations", "book").delay(Duration::from_secs(5)).status(201));
    let apis = apis();
    let conv = runtime(&mocks, None).dynamic_conversation(&apis);
    let call = conv.api.call("reservations", "book").timeout(Duration::from_secs(10)).send();
    tokio::time::timeout(Duration::from_millis(100), call).await.expect_err("the caller stops waiting");
    let entries = conv.log.entries();
    let cancelled = entries[0].request.as_ref().expect("a request entry");
    assert_eq!(cancelled.error_kind, Some(ErrorKind::Cancelled));
    assert!(cancelled.mocked, "{cancelled:?}");
    let error = cancelled.error.as_deref().unwrap_or_default();
    assert!(error.contains("while a mock rule answered it (its `delay`); nothing reached the server"), "{error}");
    assert!(entries[0].message.starts_with("POST reservations.book (mocked) failed: "), "{}", entries[0].message);
}

#[tokio::test(start_paused = true)]
async fn logged_durations_run_on_the_clock_of_the_delays_and_timeouts_a_paused_one_too() {
    let mocks = Mocks::new()
        .with(Rule::on("reservations", "book").delay(Duration::from_secs(3)).status(201))
        .with(Rule::on("reservations", "book").delay(Duration::from_secs(30)).status(201));
    let apis = apis();
    let conv = runtime(&mocks, None).dynamic_conversation(&apis);
    conv.api.call("reservations", "book").await.expect("answered after its delay");
    let slow = conv.api.call("reservations", "book").timeout(Duration::from_secs(2)).await.expect_err("too slow");
    assert_eq!(slow.kind(), ErrorKind::Timeout);
    let durations: Vec<Duration> =
        conv.log.entries().iter().filter_map(|entry| Some(entry.request.as_ref()?.duration)).collect();
    // the paused clock moves only by the waits: to the millisecond
    let near = |duration: Duration, expected: u64| duration.as_millis().abs_diff(expected.into()) <= 1;
    assert!(near(durations[0], 3_000) && near(durations[1], 2_000), "{durations:?}");
}

#[tokio::test]
async fn the_log_reads_as_with_a_real_server() {
    let mocks = Mocks::new().with(Rule::on("reservations", "book").status(201).json(json!({"confirmation": "R-1"})));
    let apis = apis();
    let conv = runtime(&mocks, None).dynamic_conversation(&apis);
    conv.api.call("reservations", "book").json(&json!({"party": 2})).await.expect("mocked");

    let entries = conv.log.entries();
    let call = entries[0].request.as_ref().expect("a request entry");
    assert_eq!((&*call.api, &*call.operation, &*call.method), ("reservations", "book", "POST"));
    assert_eq!(call.url, "http://127.0.0.1:9/r/bookings");
    assert_eq!(call.status, Some(201));
    assert!(call.mocked);
    assert_eq!(entries[0].message, "POST reservations.book (mocked) -> 201");
}

/// A value whose `Display` fails.
struct FailingDisplay;

impl std::fmt::Display for FailingDisplay {
    fn fmt(&self, _: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        Err(std::fmt::Error)
    }
}

#[tokio::test]
async fn invalid_rules_fail_the_first_call_with_every_problem() {
    let mocks = Mocks::new()
        .with(Rule::on("reservations", "bok").status(200))
        .with(Rule::on("reservations", "book").status(99).times(0))
        .with(Rule::on("reservations", "check_availability").when_path("venue", 1))
        .with(Rule::on("reservations", "book").header("bad name", "x").header("x-ok", "line\nbreak"))
        // longer than the HTTP client takes: shown cut
        .with(Rule::on("reservations", "book").header("y".repeat(70_000), "x"))
        // the rule a mocks file's headers follow: a tab is fine, a C1 control is not
        .with(Rule::on("reservations", "book").header("x-tab", "a\tb").header("x-c1", "a\u{85}b"))
        // answers every call forever: the rule after it never answers
        .with(Rule::on("reservations", "check_availability").status(503).forever())
        .with(Rule::on("reservations", "check_availability").status(200))
        // a value whose `Display` fails, which `to_string` would panic on
        .with(Rule::on("reservations", "check_availability").when_path("venue_id", FailingDisplay));
    let apis = apis();
    let conv = runtime(&mocks, None).dynamic_conversation(&apis);
    let error = conv.api.call("reservations", "book").await.expect_err("mocks are invalid");
    assert_eq!(error.kind(), ErrorKind::Config);
    let message = error.to_string();
    let problems = [
        "a mock rule names `reservations.bok`: API `reservations` has no operation `bok`; did you mean `book`? the operations of `reservations` are",
        "status 99",
        "`times(0)`",
        "path variable `venue`",
        "`bad name`",
        "is 70000 bytes long, more than an HTTP header name may be (65535); shorten it",
        "`x-ok`",
        "`x-c1`",
        "rule for `reservations.check_availability`: an earlier rule of the operation answers every call forever",
        "the path variable value to match: its `Display` implementation returned an error",
    ];
    for problem in problems {
        assert!(message.contains(problem), "{problem} missing from {message}");
    }
    assert!(!message.contains("x-tab") && message.len() < 2_000, "{message}");
    assert_eq!(mocks.calls().len(), 1, "the attempt is recorded, answered or not");
}

#[tokio::test]
async fn rules_for_apis_of_other_definitions_do_not_fail_this_conversations_calls() {
    // one runtime's mocks serve conversations over different definitions
    let mocks = Mocks::new()
        .with(Rule::on("reservations", "book").status(201))
        .with(Rule::on("crm", "get_contact").status(200))
        .with(Rule::on("billing", "get_invoice").status(200))
        .with(Rule::on("crm", "list_contacts").status(200));
    let apis = apis();
    let conv = runtime(&mocks, None).dynamic_conversation(&apis);
    let booked = conv.api.call("reservations", "book").await.expect("the rule for this API answers");
    assert_eq!(booked.status_code(), 201);
    let error = conv.api.call("reservations", "check_availability").arg("venue_id", 1).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Unmocked, "{error}");
    assert!(
        error.to_string().contains("rules name APIs these definitions do not have: `crm` and `billing`"),
        "{error}"
    );
    // how to add a rule, in code and in a test case's mocks file
    let add = "no mock rule answers `reservations.check_availability` (strict mocks); add one with `Rule::on(\"reservations\", \"check_availability\")` (in a mocks file, `reservations: { check_availability: [{ respond: { status: 200 } }] }` under `api_mocks:`), or make the mocks non-strict";
    assert!(error.to_string().contains(add), "{error}");
    assert_eq!(mocks.calls().len(), 2, "every attempt is recorded");
}

#[tokio::test]
async fn a_rule_for_a_misspelt_api_or_a_path_value_no_call_has_fails_the_calls_it_meant() {
    // loose mocks: a call no rule answers would go to the real API, unmocked
    let mocks = Mocks::new()
        .strict(false)
        .with(Rule::on("reservation", "book").status(418))
        .with(Rule::on("crm", "get_contact").status(200));
    let apis = apis();
    let conv = runtime(&mocks, None).dynamic_conversation(&apis);
    let error = conv.api.call("reservations", "book").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Config, "{error}");
    let told = "a mock rule names API `reservation`, which the definitions do not have; did you mean `reservations`?";
    assert!(error.to_string().contains(told), "{error}");
    assert!(!error.to_string().contains("`crm`"), "a rule for other definitions is theirs: {error}");

    let mocks =
        Mocks::new().with(Rule::on("reservations", "check_availability").when_path("venue_id", "..").status(200));
    let conv = runtime(&mocks, None).dynamic_conversation(&apis);
    let error = conv.api.call("reservations", "check_availability").arg("venue_id", 7).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Config, "{error}");
    let told = "a mock rule of `reservations.check_availability`: path variable `venue_id` is `..`, and a call whose path variable is `.` or `..` is refused before it is sent, so this rule would match no call; match the value a call gives";
    assert!(error.to_string().contains(told), "{error}");
}

#[tokio::test]
async fn a_rule_built_wrong_fails_the_calls_of_its_own_api_only() {
    let mocks = Mocks::new()
        .with(Rule::on("reservations", "book").status(201))
        .with(Rule::on("crm", "get_contact").status(700))
        .with(Rule::on("crm", "list_contacts").times(0));
    let apis = apis();
    let conv = runtime(&mocks, None).dynamic_conversation(&apis);
    let booked = conv.api.call("reservations", "book").await.expect("the other API's rules are not this call's");
    assert_eq!(booked.status_code(), 201);

    let crm = "api_integrations:\n  - name: crm\n    environments: { sandbox: { base_url: \"https://crm.example\" } }\n    operations:\n      - { name: get_contact, method: GET, resource: /contacts }\n      - { name: list_contacts, method: GET, resource: /contacts/all }\n";
    let crm = DynamicApis::parse("crm.yaml", crm).unwrap();
    let conv = runtime(&mocks, None).dynamic_conversation(&crm);
    // a call of the API names every problem of its rules, its own operation's or not
    let error = conv.api.call("crm", "list_contacts").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Config, "{error}");
    for problem in ["status 700 is not an HTTP status", "`times(0)` answers no call"] {
        assert!(error.to_string().contains(problem), "{problem} missing from {error}");
    }
}

#[tokio::test]
async fn a_mocked_body_over_the_cap_is_body_too_large_as_a_real_one() {
    let mocks = Mocks::new().with(Rule::on("reservations", "book").text("x".repeat(65)).times(2));
    let apis = apis();
    let builder = Runtime::builder().environment(Environment::Sandbox).mocks(mocks.clone());
    let conv = builder.max_body_bytes(64).build().unwrap().dynamic_conversation(&apis);
    let error = conv.api.call("reservations", "book").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::BodyTooLarge, "{error}");
    // the log keeps the head that arrived, as a server's: the request id support asks for
    let logged = conv.log.entries()[0].request.clone().unwrap();
    assert_eq!(logged.status, Some(200), "{logged:?}");
    assert!(logged.response_headers.iter().any(|(name, value)| name == "content-length" && value == "65"));
    let conv = runtime(&mocks, None).dynamic_conversation(&apis);
    assert_eq!(conv.api.call("reservations", "book").await.unwrap().text().len(), 65, "under the default cap");
    // "larger than" the cap: a body of exactly the cap is read, as a server's is
    let mocks = Mocks::new().with(Rule::on("reservations", "book").text("x".repeat(64)));
    let builder = Runtime::builder().environment(Environment::Sandbox).mocks(mocks);
    let conv = builder.max_body_bytes(64).build().unwrap().dynamic_conversation(&apis);
    assert_eq!(conv.api.call("reservations", "book").await.unwrap().text().len(), 64, "at the cap");
    // a status without a name of its own is told by its number
    let mocks = Mocks::new().with(Rule::on("reservations", "book").status(599).text("x".repeat(65)));
    let builder = Runtime::builder().environment(Environment::Sandbox).mocks(mocks);
    let conv = builder.max_body_bytes(64).build().unwrap().dynamic_conversation(&apis);
    let error = conv.api.call("reservations", "book").await.unwrap_err().to_string();
    assert!(
        error.contains(": the server answered 599, an error, with a body larger than the 64 bytes allowed"),
        "{error}"
    );
}

/// What a server's answer has, a mock's has: a `Content-Length`, no body after a 204
/// or a 304, header values without the blanks around them.
#[tokio::test]
async fn a_mocked_answer_reads_as_a_servers_would() {
    let mocks = Mocks::new()
        .with(Rule::on("reservations", "book").status(201).json(json!({"id": 7})).header("x-id", "  r-7 \t"))
        .with(Rule::on("reservations", "book").status(204).json(json!({"id": 8})))
        .with(Rule::on("reservations", "book").status(304).text("cached"));
    let apis = apis();
    let conv = runtime(&mocks, None).dynamic_conversation(&apis);
    let created = conv.api.call("reservations", "book").await.unwrap();
    assert_eq!(created.header("content-length"), Some("8"));
    assert_eq!(created.header("x-id"), Some("r-7"));
    let chunked = Mocks::new().with(Rule::on("reservations", "book").text("ok").header("Transfer-Encoding", "chunked"));
    let answer = runtime(&chunked, None).dynamic_conversation(&apis).api.call("reservations", "book").await.unwrap();
    assert_eq!(answer.header("content-length"), None, "a chunked answer says no length");
    for status in [204, 304] {
        let empty = conv.api.call("reservations", "book").await.unwrap();
        assert_eq!((empty.status_code(), empty.text(), empty.header("content-length")), (status, "", None));
        assert_eq!(empty.json::<serde_json::Value>().unwrap_err().kind(), ErrorKind::Decode);
    }
}

/// A mocked 401 is the answer, for an API with OAuth 2.0 tokens too: the mocks answer
/// before auth, so no token is dropped or fetched, and a test of how the agent takes a
/// refused token gets its 401 (a replay would find the rule used up, or the real API).
#[tokio::test]
async fn a_mocked_401_is_the_answer_for_an_oauth2_api_too() {
    let yaml = "api_integrations:
  - name: crm
    environments: { sandbox: { base_url: \"https://crm.example\", auth_type: oauth2, auth: { token_url: \"https://crm.example/token\", client_id: agent } } }
    operations: [{ name: get, method: GET, resource: /contacts }]
";
    let apis = DynamicApis::parse("apis.yaml", yaml).unwrap();
    let mocks = Mocks::new().with(Rule::on("crm", "get").status(401)).with(Rule::on("crm", "get").status(200));
    let conv = runtime(&mocks, None).dynamic_conversation(&apis);
    assert_eq!(conv.api.call("crm", "get").await.unwrap().status_code(), 401);
    assert_eq!(mocks.calls().len(), 1);
}

#[tokio::test]
async fn a_miss_masks_the_apis_own_key_header_as_its_log_does() {
    let yaml = "api_integrations:
  - name: keyed
    environments:
      sandbox: { base_url: \"https://keyed.example\", auth_type: apiKey, auth: { name: X-Custom-Key } }
    operations:
      - { name: ping, method: GET, resource: /ping }
";
    let apis = DynamicApis::parse("keyed.yaml", yaml).unwrap();
    let mocks = Mocks::new().with(Rule::on("keyed", "ping").when_header("x-custom-key", "expected"));
    let conv = runtime(&mocks, None).dynamic_conversation(&apis);
    let error = conv.api.call("keyed", "ping").header("X-Custom-Key", "k3y-by-hand").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Unmocked, "{error}");
    assert!(error.to_string().contains("header `x-custom-key` is `***`"), "{error}");
    assert!(!conv.log.to_jsonl().contains("k3y-by-hand"));
}

/// An API `keyed` with an API key from the store and an operation `ping` of a path variable `id`.
fn keyed_api() -> DynamicApis {
    let yaml = "api_integrations:
  - name: keyed
    environments:
      sandbox: { base_url: \"https://keyed.example\", auth_type: apiKey }
    operations:
      - { name: ping, method: GET, resource: \"/ping/{id}\" }
";
    DynamicApis::parse("keyed.yaml", yaml).unwrap()
}

#[tokio::test]
async fn a_miss_masks_a_known_secret_the_call_passed_as_a_value() {
    let apis = keyed_api();
    let mocks = Mocks::new()
        .with(Rule::on("keyed", "ping").when_path("id", 1).when_query("q", "1").when_header("x-forward", "1"))
        .strict(true);
    let store = conv_api_runtime::MapSecretStore::new().with("KEYED_SANDBOX_API_KEY", "s3cr3t-k3y-value-42");
    let runtime =
        Runtime::builder().environment(Environment::Sandbox).secrets(store).mocks(mocks.clone()).build().unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    let key = "s3cr3t-k3y-value-42";
    let call = conv.api.call("keyed", "ping").arg("id", key).query(&[("q", key)]).header("X-Forward", key);
    let error = call.await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Unmocked, "{error}");
    let message = error.to_string();
    assert!(message.contains("path variable `id` is `***`") && !message.contains(key), "{message}");
    // the record keeps what was sent, for assertions; printing it shows no secret
    let calls = mocks.calls();
    assert_eq!(calls[0].path, [("id".to_string(), key.to_string())]);
    let printed = format!("{calls:?}");
    assert!(printed.contains(r#"("x-forward", "***")"#) && !printed.contains(key), "{printed}");
}

#[tokio::test]
async fn a_call_passed_on_that_the_api_rate_limits_is_the_api_answer() {
    let real = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "3600"))
        .expect(1)
        .mount(&real)
        .await;
    let mocks = Mocks::new().with(Rule::on("reservations", "check_availability").status(200)).strict(false);
    let apis = apis();
    let conv = runtime(&mocks, Some(&real)).dynamic_conversation(&apis);
    let check = || conv.api.call("reservations", "check_availability").arg("venue_id", 9);
    check().await.expect("mocked");
    let answer = check().await.expect("the API's answer");
    assert_eq!(answer.status_code(), 429);
    let error = answer.raise_for_status().expect_err("asked to wait an hour");
    assert_eq!(error.kind(), ErrorKind::RateLimited, "{error}");
    let logged = conv.log.entries()[1].request.clone().expect("a request entry");
    assert!(logged.status == Some(429) && !logged.mocked, "{logged:?}");
}

#[tokio::test]
async fn a_call_loose_mocks_pass_on_says_why_no_rule_answered_with_secrets_masked() {
    let apis = keyed_api();
    let mocks = Mocks::new().with(Rule::on("keyed", "ping").when_path("id", 1)).strict(false);
    let runtime = Runtime::builder()
        .environment(Environment::Sandbox)
        .secrets(conv_api_runtime::MapSecretStore::new())
        .mocks(mocks)
        .build()
        .unwrap();
    let key = "s3cr3t-k3y-value-42";
    runtime.redactor().add_secret(&conv_api_runtime::SecretString::from(key));
    let conv = runtime.dynamic_conversation(&apis);
    // no rule matches: on to the API, whose key the store lacks
    let error = conv.api.call("keyed", "ping").arg("id", key).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::MissingSecret, "{error}");
    let message = error.to_string();
    assert!(message.contains("KEYED_SANDBOX_API_KEY"), "{message}");
    assert!(
        message
            .contains("; no mock rule answered it: rule 1 (respond 200) does not match: path variable `id` is `***`"),
        "{message}"
    );
    assert!(!message.contains(key), "{message}");
}

#[tokio::test]
async fn mocks_parsed_from_text_are_the_mocks_of_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let from_file = format!("{:?}", adk_mocks(&dir));
    let from_text = Mocks::parse_for("booking.yaml", ADK_TEST_CASE, &apis()).expect("the ADK example");
    assert_eq!(format!("{from_text:?}"), from_file, "strictness and rules alike");
    assert_eq!(from_file, "Mocks { strict: false, rules: 3, calls: 0 }", "an ADK file falls through to the API");
    let loaded = apis();
    let conv = runtime(&from_text, None).dynamic_conversation(&loaded);
    let booked = conv.api.call("reservations", "book").await.expect("a mocked response");
    assert_eq!(booked.status_code(), 201);
    let error = Mocks::parse_for("case.yaml", "api_mocks:\n  reservations:\n    bok: []\n", apis().definitions())
        .expect_err("unknown operation");
    assert_eq!(error.kind(), ErrorKind::Definitions);
    assert!(error.to_string().contains("case.yaml:3:5: error: `api_mocks.reservations.bok`"), "{error}");
    let huge = format!("api_mocks: {{}}\n#{}\n", "x".repeat(16 << 20));
    let error = Mocks::parse_for("huge.yaml", &huge, apis().definitions()).expect_err("over the file limit");
    assert!(
        error.to_string().contains("huge.yaml:1:1: error: the file is larger than the 16 MiB a mocks file may have"),
        "{error}"
    );
}

/// A `body:` of JSON written in quotes is one JSON string (the file's check warns of
/// it, as a `tracing` warning most tests never show): decoding it says so, and how to fix it.
#[tokio::test]
async fn a_quoted_json_body_is_told_as_json_text_when_decoded() {
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code, reason = "decoding it is the test: the field is never read")]
    struct Booking {
        id: u64,
    }
    let yaml = "api_mocks:\n  reservations:\n    book:\n      - respond: { status: 201, body: '{\"id\": 7}' }\n";
    let mocks = Mocks::parse_for("case.yaml", yaml, apis().definitions()).expect("valid, with a warning");
    let loaded = apis();
    let conv = runtime(&mocks, None).dynamic_conversation(&loaded);
    let booked = conv.api.call("reservations", "book").await.expect("mocked");
    assert_eq!(booked.json::<String>().unwrap(), r#"{"id": 7}"#, "JSON text, as the file says");
    let error = booked.json::<Booking>().unwrap_err().to_string();
    let says = r#"the response body (status 201) is one JSON string holding JSON text, not that JSON: `"{\"id\": 7}"`; a mock rule's `body:` written in quotes gives one (remove the quotes"#;
    assert!(error.contains(says), "{error}");
    // a string that holds no JSON is only a string of the wrong type
    let text = Mocks::new().with(Rule::on("reservations", "book").json(json!("{ not json")));
    let answer = runtime(&text, None).dynamic_conversation(&loaded).api.call("reservations", "book").await.unwrap();
    let error = answer.json::<Booking>().unwrap_err().to_string();
    assert!(error.contains("is not the JSON expected: invalid type: string"), "{error}");
}

#[tokio::test]
async fn a_repeat_past_u32_answers_as_a_count() {
    let yaml = "api_mocks:\n  reservations:\n    book:\n      - respond: { status: 201 }\n        repeat: 5000000000\n";
    let mocks = Mocks::parse_for("case.yaml", yaml, apis().definitions()).expect("any count the ADK takes");
    let loaded = apis();
    let conv = runtime(&mocks.strict(true), None).dynamic_conversation(&loaded);
    for _ in 0..3 {
        assert_eq!(conv.api.call("reservations", "book").await.expect("mocked").status_code(), 201);
    }
}

#[test]
fn adk_files_with_mistakes_give_file_line_column_diagnostics() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("case.yaml");
    std::fs::write(&file, "api_mocks:\n  reservations:\n    bok:\n      - respond: { status: 200 }\n")
        .expect("written");
    let error = Mocks::load_for(&file, apis().definitions()).expect_err("unknown operation");
    assert_eq!(error.kind(), ErrorKind::Definitions);
    assert!(error.to_string().contains("case.yaml:3:5: error: `api_mocks.reservations.bok`"), "{error}");
    let missing = Mocks::load_for(dir.path().join("absent.yaml"), apis().definitions()).expect_err("no such file");
    assert_eq!(missing.kind(), ErrorKind::Definitions, "as a definitions file that cannot be read is");
    assert!(missing.to_string().contains("absent.yaml: error: cannot read the mocks file: "), "{missing}");
}

#[tokio::test]
async fn a_forever_rule_with_when_leaves_other_calls_to_the_rules_after_it() {
    let yaml = "api_mocks:\n  reservations:\n    check_availability:\n      - when: { path: { venue_id: 5 } }\n        respond: { status: 200 }\n        repeat: -1\n      - respond: { status: 404 }\n        repeat: -1\n";
    let mocks = Mocks::parse_for("case.yaml", yaml, &apis()).expect("valid mocks");
    let loaded = apis();
    let conv = runtime(&mocks, None).dynamic_conversation(&loaded);
    let status = |venue: u32| {
        let call = conv.api.call("reservations", "check_availability").arg("venue_id", venue);
        async move { call.await.expect("mocked").status_code() }
    };
    assert_eq!((status(5).await, status(6).await, status(5).await, status(7).await), (200, 404, 200, 404));
}

#[tokio::test]
async fn mocks_answer_an_api_without_a_base_url_and_its_error_after_shows_no_mock_url() {
    let yaml = "api_integrations:\n  - name: shop\n    environments: { sandbox: { base_url: \"\" } }\n    operations: [{ name: get_item, method: GET, resource: /items }]\n";
    let apis = DynamicApis::parse("apis.yaml", yaml).expect("definitions are valid");
    let mocks = Mocks::new().strict(false).with(Rule::on("shop", "get_item").status(200));
    let conv = runtime(&mocks, None).dynamic_conversation(&apis);
    assert_eq!(conv.api.call("shop", "get_item").await.expect("mocked").status_code(), 200);
    // the rule used up, the call goes on to an API that is not configured, and its error says why
    let error = conv.api.call("shop", "get_item").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NotConfigured, "{error}");
    let why = "; no mock rule answered it: rule 1 (respond 200) is used up after answering 1 call";
    assert!(error.to_string().ends_with(why), "{error}");
    let logged = conv.log.entries()[1].request.clone().expect("a request entry");
    assert!(logged.error.is_some_and(|text| text.ends_with(why)) && !logged.mocked);
    assert_eq!(error.url(), None, "{error}");
    assert!(!error.to_string().contains("mock://"), "{error}");
    // a failure a rule answers keeps the URL the mocks answered at
    let mocks = Mocks::new().with(Rule::on("shop", "get_item").fail(Failure::Connection).forever());
    let conv = runtime(&mocks, None).dynamic_conversation(&apis);
    let error = conv.api.call("shop", "get_item").await.unwrap_err();
    assert_eq!(error.url(), Some("mock://shop/items"), "{error}");
    let entries = conv.log.entries();
    assert!(entries[0].request.as_ref().is_some_and(|call| call.mocked), "a failure a rule plays is mocked");
    // a miss of strict mocks is no answer of theirs
    let strict = Mocks::new();
    let conv = runtime(&strict, None).dynamic_conversation(&apis);
    let error = conv.api.call("shop", "get_item").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Unmocked, "{error}");
    assert!(conv.log.entries()[0].request.as_ref().is_some_and(|call| !call.mocked));
}

#[tokio::test]
async fn a_mocked_failure_is_not_retried_and_a_used_up_rule_says_how_many_calls_it_answered() {
    let yaml = "api_integrations:
  - name: desk
    environments:
      sandbox: { base_url: \"\" }
    operations:
      - { name: get_ticket, method: GET, resource: \"/tickets/{id}\" }
";
    let apis = DynamicApis::parse("apis.yaml", yaml).unwrap();
    let case = "api_mocks:\n  desk:\n    get_ticket:\n      - respond: { status: 503 }\n        repeat: 2\n";
    let mocks = Mocks::parse_for("case.yaml", case, &apis)
        .unwrap()
        .with(Rule::on("desk", "get_ticket").fail(Failure::Connection));
    // the default policy: three attempts, a second of backoff, for a server's answers
    let runtime = Runtime::builder().environment(Environment::Sandbox).mocks(mocks.clone()).build().unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    let call = || conv.api.call("desk", "get_ticket").arg("id", 1);
    assert_eq!((call().await.unwrap().status_code(), call().await.unwrap().status_code()), (503, 503));
    let failed = call().await.unwrap_err();
    assert_eq!(failed.kind(), ErrorKind::Connect, "{failed}");
    assert!(failed.to_string().contains("not retried: a mock rule answered it"), "{failed}");
    assert_eq!(mocks.calls().len(), 3, "one attempt a call");
    let error = call().await.unwrap_err();
    let says = "; no mock rule answered it: rule 1 (respond 503) is used up after answering 2 calls; rule 2 (fail: connection) is used up after answering 1 call";
    assert!(error.to_string().contains(says), "{error}");
}

/// `when_json` answers only calls whose body contains the whole subset: every key it
/// names, not any one of them.
#[tokio::test]
async fn a_json_rule_answers_only_calls_whose_body_has_every_key_it_names() {
    let mocks = Mocks::new()
        .with(Rule::on("reservations", "book").when_json(json!({"party": 2, "time": "20:00"})).status(201).forever())
        .with(Rule::on("reservations", "book").status(422).forever());
    let apis = apis();
    let conv = runtime(&mocks, None).dynamic_conversation(&apis);
    let other_time = conv.api.call("reservations", "book").json(&json!({"party": 2, "time": "21:00"})).await;
    assert_eq!(
        other_time.expect("matched").status_code(),
        422,
        "`party` is 2 but `time` differs: the first rule must not answer"
    );
    let both = conv.api.call("reservations", "book").json(&json!({"party": 2, "time": "20:00", "name": "Ada"})).await;
    assert_eq!(both.expect("matched").status_code(), 201);
}

/// A forever rule leaves the rules of the API's other operations alone: it is only
/// the later rules of its own operation that it keeps from answering.
#[tokio::test]
async fn a_forever_rule_leaves_the_rules_of_other_operations_of_its_api_alone() {
    let mocks = Mocks::new()
        .with(Rule::on("reservations", "book").status(201).forever())
        .with(Rule::on("reservations", "check_availability").json(json!({ "available": true })));
    let apis = apis();
    let conv = runtime(&mocks, None).dynamic_conversation(&apis);
    let check = conv.api.call("reservations", "check_availability").arg("venue_id", 9).await;
    assert_eq!(check.expect("the rule of `check_availability` answers").status_code(), 200);
    assert_eq!(conv.api.call("reservations", "book").await.expect("the forever rule answers").status_code(), 201);
}

/// A call that loose mocks pass on with no rule for its operation at all has an
/// error of the API's own: no word of rules that did not answer.
#[tokio::test]
async fn a_call_passed_on_with_no_rule_for_its_operation_has_the_apis_error_alone() {
    let yaml = "api_integrations:\n  - name: shop\n    environments: { sandbox: { base_url: \"\" } }\n    operations: [{ name: get_item, method: GET, resource: /items }, { name: list, method: GET, resource: /list }]\n";
    let apis = DynamicApis::parse("apis.yaml", yaml).expect("definitions are valid");
    let mocks = Mocks::new().strict(false).with(Rule::on("shop", "list").status(200).forever());
    let conv = runtime(&mocks, None).dynamic_conversation(&apis);
    let error = conv.api.call("shop", "get_item").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NotConfigured, "{error}");
    assert!(!error.to_string().contains("mock rule"), "{error}");
}

/// A content type set on a rule replaces the one set before it, and no other header.
#[tokio::test]
async fn a_rules_content_type_keeps_the_headers_set_before_it() {
    let rule = Rule::on("reservations", "book")
        .header("X-Request-Id", "r-7")
        .header("Content-Type", "text/csv")
        .header("content-type", "text/plain")
        .text("a,b");
    let mocks = Mocks::new().with(rule);
    let apis = apis();
    let answer = runtime(&mocks, None).dynamic_conversation(&apis).api.call("reservations", "book").await;
    let answer = answer.expect("mocked");
    assert_eq!(answer.header("x-request-id"), Some("r-7"));
    assert_eq!(answer.header("content-type"), Some("text/plain"));
}
