//! The log's entries: notes and calls in order, their records and JSON lines,
//! one log per conversation, and the entries of work still under way.

use super::*;

#[tokio::test]
async fn notes_and_calls_are_logged_in_order() {
    let server = server_answering(200).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    conv.log.info("looking up");
    conv.api.tickets.get_ticket(7).await.unwrap();
    conv.log.warning("slow caller");
    let _ = conv.api.tickets.get_ticket("..").await.unwrap_err();
    conv.log.error("gave up");

    let entries = conv.log.entries();
    let levels: Vec<Level> = entries.iter().map(|entry| entry.level).collect();
    assert_eq!(levels, [Level::Info, Level::Info, Level::Warning, Level::Error, Level::Error]);
    assert_eq!(entries[0].message, "looking up");
    assert!(entries[0].request.is_none());

    let call = entries[1].request.as_ref().expect("a request entry");
    assert_eq!((&*call.api, &*call.operation, &*call.method), ("tickets", "get_ticket", "GET"));
    assert_eq!(call.status, Some(200));
    assert_eq!(call.attempt, 1);
    assert!(call.url.ends_with("/api/v2/tickets/7"), "{}", call.url);
    assert_eq!(call.error, None);

    let failed = entries[3].request.as_ref().expect("a request entry for the rejected call");
    assert_eq!(failed.error_kind, Some(ErrorKind::InvalidArgument));
    assert_eq!(failed.status, None);
    assert!(failed.url.ends_with("/api/v2/tickets/{ticket_id}"), "{}", failed.url);
    assert!(failed.error.as_deref().unwrap().contains("`ticket_id`"));
}

#[tokio::test]
async fn a_request_record_its_level_and_error_kind_serialize_as_the_log_writes_them() {
    let server = server_answering(200).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    let _ = conv.api.tickets.get_ticket("..").await.unwrap_err();
    let entry = &conv.log.entries()[0];
    let record = entry.request.as_ref().expect("a request entry");
    let line: Value = serde_json::from_str(&conv.log.to_jsonl()).unwrap();

    assert_eq!(serde_json::to_value(record).unwrap(), line["request"]);
    assert_eq!(serde_json::to_value(entry.level).unwrap(), line["level"]);
    assert_eq!(serde_json::to_value(record.error_kind).unwrap(), line["request"]["error_kind"]);
    assert_eq!(line["request"]["error_kind"], "invalid argument");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn entries_written_at_once_from_many_threads_are_in_time_order() {
    let server = server_answering(200).await;
    let conv: std::sync::Arc<Conv<TestApi>> = std::sync::Arc::new(runtime(&server).conversation());
    let tasks: Vec<_> = (0..8)
        .map(|task| {
            let conv = std::sync::Arc::clone(&conv);
            tokio::spawn(async move {
                for note in 0..300 {
                    conv.log.entry(Level::Info, "note").field("task", task).field("note", note).record();
                    if note % 60 == 0 {
                        conv.api.tickets.get_ticket(task).await.unwrap();
                    }
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let entries = conv.log.entries();
    assert_eq!(entries.len(), 8 * (300 + 5));
    let out_of_order = entries.windows(2).filter(|pair| pair[1].timestamp < pair[0].timestamp).count();
    assert_eq!(out_of_order, 0, "every entry's time is at or after the one before it");
}

/// The log read in every way while 64 calls write to it: each read is a prefix of
/// the final log, and reads from where the last one ended see each entry once, in
/// order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_log_read_while_calls_write_to_it_shows_each_entry_once_in_order() {
    let server = MockServer::start().await;
    let answer = ResponseTemplate::new(200).set_delay(std::time::Duration::from_millis(5));
    Mock::given(method("GET")).respond_with(answer).expect(64).mount(&server).await;
    let conv: std::sync::Arc<Conv<TestApi>> = std::sync::Arc::new(runtime(&server).conversation());
    let tasks: Vec<_> = (0..64)
        .map(|n| {
            let conv = std::sync::Arc::clone(&conv);
            tokio::spawn(async move {
                conv.log.info(format!("before {n}"));
                conv.api.tickets.get_ticket(n).await.unwrap();
                conv.log.info(format!("after {n}"));
            })
        })
        .collect();
    let (mut read, mut snapshots) = (Vec::new(), Vec::new());
    while tasks.iter().any(|task| !task.is_finished()) {
        read.extend(conv.log.entries_since(read.len()));
        snapshots.push(conv.log.entries());
        let _ = conv.log.to_jsonl();
        tokio::task::yield_now().await;
    }
    for task in tasks {
        task.await.unwrap();
    }
    read.extend(conv.log.entries_since(read.len()));
    let all = conv.log.entries();
    assert_eq!(all.len(), 64 * 3);
    assert_eq!(read, all, "each entry once, in order");
    for snapshot in snapshots {
        assert_eq!(snapshot[..], all[..snapshot.len()], "each read is a prefix of the log");
    }
}

#[tokio::test]
async fn a_call_is_logged_when_awaited_whether_it_is_sent_or_refused() {
    let server = server_answering(200).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    let (sent, refused) = (conv.api.tickets.get_ticket(7).send(), conv.api.tickets.get_ticket("..").send());
    let unawaited = conv.api.tickets.get_ticket("").send();
    conv.log.info("before the calls");
    let _ = refused.await.unwrap_err();
    sent.await.unwrap();
    drop(unawaited);
    let order: Vec<String> = conv
        .log
        .entries()
        .iter()
        .map(|entry| entry.request.as_ref().map_or("note".to_string(), |call| format!("{:?}", call.error_kind)))
        .collect();
    assert_eq!(order, ["note", "Some(InvalidArgument)", "None"], "a call never awaited was never made");
}

#[tokio::test]
async fn to_jsonl_is_one_json_object_a_line() {
    let server = server_answering(404).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    conv.log.entry(Level::Info, "caller named").field("name", "Ada").field("turn", 3).pii().record();
    conv.api.tickets.get_ticket(9).await.unwrap();
    let jsonl = conv.log.to_jsonl();
    let lines: Vec<Value> = jsonl.lines().map(|line| serde_json::from_str(line).expect("a JSON object")).collect();
    assert_eq!(lines.len(), 2);
    assert!(jsonl.ends_with('\n'));
    assert_eq!(lines[0]["level"], "info");
    assert_eq!(lines[0]["pii"], true);
    assert_eq!(lines[0]["fields"]["name"], "Ada");
    assert_eq!(lines[0]["fields"]["turn"], "3");
    let timestamp = lines[0]["timestamp"].as_str().unwrap();
    assert_eq!((timestamp.len(), &timestamp[4..5], &timestamp[10..11]), (24, "-", "T"));
    assert!(timestamp.ends_with('Z'));
    assert_eq!(lines[1]["request"]["status"], 404);
    assert_eq!(lines[1]["request"]["operation"], "get_ticket");
    assert!(lines[1]["request"]["duration_ms"].is_number());
}

#[tokio::test]
async fn every_jsonl_line_says_whether_it_is_pii() {
    let server = server_answering(200).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    conv.log.info("looking up");
    conv.log.entry(Level::Info, "caller named").field("name", "Ada").pii().record();
    conv.api.tickets.get_ticket(9).await.unwrap();
    let lines: Vec<Value> = conv.log.to_jsonl().lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    let pii: Vec<Option<bool>> = lines.iter().map(|line| line["pii"].as_bool()).collect();
    assert_eq!(pii, [Some(false), Some(true), Some(false)], "a note, a PII note and a call");
}

#[tokio::test]
async fn to_jsonl_joins_the_values_of_a_repeated_name() {
    let server = MockServer::start().await;
    let template = ResponseTemplate::new(200)
        .append_header("via", "1.1 edge")
        .append_header("via", "1.1 origin")
        .append_header("set-cookie", "a=1")
        .append_header("set-cookie", "b=2");
    Mock::given(method("GET")).respond_with(template).mount(&server).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    conv.log.entry(Level::Info, "tags").field("tag", "vip").field("tag", "late").record();
    conv.api.tickets.get_ticket(9).await.unwrap();
    let entries = conv.log.entries();
    let response_headers = &entries[1].request.as_ref().unwrap().response_headers;
    assert_eq!(response_headers.iter().filter(|(name, _)| name == "via").count(), 2);
    let lines: Vec<Value> = conv.log.to_jsonl().lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    assert_eq!(lines[0]["fields"]["tag"], "vip, late");
    assert_eq!(lines[1]["request"]["response_headers"]["via"], "1.1 edge, 1.1 origin");
    assert_eq!(lines[1]["request"]["response_headers"]["set-cookie"], "***, ***");
}

#[tokio::test]
async fn each_conversation_has_its_own_log() {
    let server = server_answering(200).await;
    let runtime = runtime(&server);
    let first: Conv<TestApi> = runtime.conversation();
    let second: Conv<TestApi> = runtime.conversation();
    first.api.tickets.get_ticket(1).await.unwrap();
    second.log.info("only a note");
    assert_eq!((first.log.len(), second.log.len()), (1, 1));
    assert!(second.log.entries()[0].request.is_none());
}

#[test]
fn a_field_whose_display_fails_keeps_what_it_wrote() {
    struct FailsAfterWriting;
    impl std::fmt::Display for FailsAfterWriting {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("part")?;
            Err(std::fmt::Error)
        }
    }
    let runtime = Runtime::builder().environment(Environment::Sandbox).build().unwrap();
    let conv = runtime.dynamic_conversation(&DynamicApis::default());
    conv.log.entry(Level::Info, "noted").field("value", FailsAfterWriting).record();
    let fields = &conv.log.entries()[0].fields;
    assert_eq!(fields[0].1, "part (its `Display` implementation returned an error here)");
}

/// A level reads the same in text (`{level}`) as in the log's JSON, where code that
/// filters or prints entries finds it.
#[test]
fn a_level_shows_as_the_log_writes_it() {
    for (level, text) in [(Level::Info, "info"), (Level::Warning, "warning"), (Level::Error, "error")] {
        assert_eq!(level.to_string(), text);
        assert_eq!(serde_json::to_value(level).unwrap(), text);
    }
}

/// What a log says of itself without a read of its entries: whether it has any, how
/// many, and, printed with `{:?}`, their count only, never an entry's (personal) text.
#[test]
fn a_log_tells_whether_it_has_entries_and_its_debug_shows_only_their_count() {
    let runtime = Runtime::builder().environment(Environment::Sandbox).build().unwrap();
    let conv = runtime.dynamic_conversation(&DynamicApis::default());
    assert!(conv.log.is_empty());
    assert_eq!(conv.log.len(), 0);
    conv.log.entry(Level::Info, "caller gave a name").field("name", "Ada").pii().record();
    assert!(!conv.log.is_empty());
    assert_eq!(conv.log.len(), 1);
    let shown = format!("{:?}", conv.log);
    assert!(shown.contains("entries: 1") && !shown.contains("Ada"), "{shown}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_end_of_a_conversation_may_wait_for_the_entries_of_calls_under_way() {
    let server = MockServer::start().await;
    let slow = ResponseTemplate::new(200).set_delay(std::time::Duration::from_millis(200));
    Mock::given(method("GET")).respond_with(slow).mount(&server).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    // nothing under way: at once
    conv.log.idle().await;
    // made, not yet polled, then dropped: counted while it lives
    let (spawned, dropped) = (conv.api.tickets.get_ticket(1).send(), conv.api.tickets.get_ticket(2).send());
    assert_eq!(conv.log.calls_under_way(), 2);
    drop(dropped);
    assert_eq!(conv.log.calls_under_way(), 1);
    // fire and forget, and one given up while it waits for its answer
    drop(tokio::spawn(spawned));
    let abandoned = tokio::spawn(conv.api.tickets.get_ticket(3).send());
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    abandoned.abort();
    conv.log.idle().await;
    assert_eq!(conv.log.calls_under_way(), 0);
    let statuses: Vec<Option<u16>> = conv.log.entries().iter().map(|entry| entry.request.as_ref()?.status).collect();
    assert_eq!(statuses.len(), 2, "the spawned call's and the abandoned one's: {statuses:?}");
    assert!(statuses.contains(&Some(200)) && statuses.contains(&None), "{statuses:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tracked_work_is_under_way_from_its_spawn_through_every_call_it_makes() {
    let server = MockServer::start().await;
    let slow = ResponseTemplate::new(200).set_delay(std::time::Duration::from_millis(100));
    Mock::given(method("GET")).respond_with(slow).mount(&server).await;
    let conv: std::sync::Arc<Conv<TestApi>> = std::sync::Arc::new(runtime(&server).conversation());
    let task = std::sync::Arc::clone(&conv);
    // two calls with other work between them, in a task that waits for the test's go
    // (however long a busy machine keeps the test from its next line)
    let (go, ready) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(conv.log.track(async move {
        ready.await.unwrap();
        task.api.tickets.get_ticket(1).await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        task.api.tickets.get_ticket(2).await.unwrap();
    }));
    assert_eq!(conv.log.calls_under_way(), 1);
    go.send(()).unwrap();
    conv.log.idle().await;
    assert_eq!(conv.log.entries().len(), 2, "both calls' entries");
    assert_eq!(conv.log.calls_under_way(), 0);
    // dropped before it ran: no longer under way
    drop(conv.log.track(std::future::pending::<()>()));
    assert_eq!(conv.log.calls_under_way(), 0);
}
