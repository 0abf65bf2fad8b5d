//! `conv-api review` on a log the runtime wrote against a local server, and on bad logs.

mod support;

use support::TempDir;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use conv_api_runtime::{DynamicApis, Environment, ErrorKind, Level, LogEntry, RetryPolicy, Runtime, DEFAULT_RETRY};
use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const APIS: &str = "api_integrations:
  - name: zendesk
    environments:
      sandbox: { base_url: \"https://zendesk.example/api/v2\" }
    operations:
      - { name: get_ticket, method: GET, resource: \"/tickets/{ticket_id}\" }
  - name: hours
    environments:
      sandbox: { base_url: \"https://hours.example\" }
    operations:
      - { name: get_hours, method: GET, resource: /hours }
";

fn review(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_conv-api")).current_dir(dir).arg("review").args(args).output();
    decode(output.expect("the binary runs"))
}

fn decode(Output { status, stdout, stderr }: Output) -> (i32, String, String) {
    (status.code().expect("exited"), String::from_utf8(stdout).unwrap(), String::from_utf8(stderr).unwrap())
}

/// A port nothing listens on: bound but never listening, so a connection is
/// refused, and kept bound for the life of the test binary, so that no server a
/// later test starts can take it.
fn closed_port() -> u16 {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let port = socket.local_addr().unwrap().port();
    std::mem::forget(socket);
    port
}

/// A conversation against a local server: a 200, a 404, a refused connection,
/// a rejected call, notes with fields and a PII entry. Returns the log's entries and JSON Lines.
async fn conversation() -> (Vec<LogEntry>, String, String) {
    let server = MockServer::start().await;
    let ticket = ResponseTemplate::new(200).set_body_string(r#"{"status":"open"}"#);
    Mock::given(method("GET")).and(path("/tickets/42")).respond_with(ticket).mount(&server).await;
    Mock::given(method("GET")).and(path("/tickets/43")).respond_with(ResponseTemplate::new(404)).mount(&server).await;
    let closed = format!("http://127.0.0.1:{}", closed_port());
    let runtime = Runtime::builder()
        .environment(Environment::Sandbox)
        .base_url("zendesk", server.uri())
        .base_url("hours", closed.clone())
        // retried as by default, without its seconds of waiting
        .retry(RetryPolicy {
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(20),
            ..DEFAULT_RETRY
        })
        .build()
        .unwrap();
    let apis = DynamicApis::parse("apis.yaml", APIS).unwrap();
    let conv = runtime.dynamic_conversation(&apis);

    conv.log.entry(Level::Info, "looking up the ticket").field("ticket_id", 42).record();
    assert_eq!(conv.api.call("zendesk", "get_ticket").arg("ticket_id", 42).await.unwrap().status_code(), 200);
    assert_eq!(conv.api.call("zendesk", "get_ticket").arg("ticket_id", 43).await.unwrap().status_code(), 404);
    conv.log.entry(Level::Warning, "ticket not found").field("ticket_id", 43).field("reason", "no such id").record();
    conv.log.entry(Level::Warning, "caller gave a name").field("name", "Ada Lovelace").pii().record();
    assert_eq!(conv.api.call("hours", "get_hours").await.unwrap_err().kind(), ErrorKind::Connect);
    let missing = conv.api.call("zendesk", "get_ticket").await.unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::InvalidArgument, "`ticket_id` is missing: {missing}");
    conv.log.error("gave up on the opening hours");
    (conv.log.entries(), conv.log.to_jsonl(), closed)
}

/// The call's duration as the review writes it.
fn millis(entry: &LogEntry) -> String {
    duration_text(entry.request.as_ref().unwrap().duration.as_secs_f64() * 1000.0)
}

/// `12.3 ms` below a second, `1.23 s` from then on.
fn duration_text(millis: f64) -> String {
    if millis < 999.95 {
        format!("{millis:.1} ms")
    } else {
        format!("{:.2} s", millis / 1000.0)
    }
}

/// The timeline's lines for the entries, without the heading, date lines and summary.
fn timeline(stdout: &str) -> Vec<&str> {
    let lines: Vec<&str> = stdout.lines().filter(|line| !line.starts_with("-- ")).collect();
    lines[1..lines.len() - 1].to_vec()
}

#[tokio::test]
async fn a_runtime_log_reads_as_a_timeline() {
    let (entries, jsonl, closed) = conversation().await;
    let dir = TempDir::new("timeline");
    dir.file("conv.jsonl", &jsonl);
    let (code, stdout, stderr) = review(&dir.0, &["conv.jsonl"]);
    assert_eq!((code, stderr.as_str()), (0, ""), "{stdout}");

    let json: Vec<Value> = jsonl.lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    let first = json[0]["timestamp"].as_str().unwrap();
    let count = entries.len();
    assert!(stdout.starts_with(&format!("conversation log of {} (UTC): {count} entries over ", &first[..10])));
    let lines = timeline(&stdout);
    assert_eq!(lines.len(), count, "{stdout}");
    for (line, entry) in lines.iter().zip(&json) {
        let time = &entry["timestamp"].as_str().unwrap()[11..23];
        let level = entry["level"].as_str().unwrap();
        assert!(line.starts_with(time) && line.contains(&format!("  {level}  ")), "{line} for {entry}");
    }
    assert!(lines[0].starts_with(&format!("{}  +0.000s  ", &first[11..23])), "{}", lines[0]);

    for (line, entry) in lines.iter().zip(&entries) {
        assert!(line.ends_with(&expected_text(entry)), "{line}\nshould end with\n{}", expected_text(entry));
    }
    let uri = entries[1].request.as_ref().unwrap().url.replace("/tickets/42", "");
    assert!(lines[0].ends_with("  info     looking up the ticket  ticket_id=42"), "{}", lines[0]);
    let ok = format!("  info     zendesk.get_ticket GET {uri}/tickets/42 -> 200 in {}", millis(&entries[1]));
    assert!(lines[1].ends_with(&ok), "{}\nshould end with\n{ok}", lines[1]);
    let missing = format!("  info     zendesk.get_ticket GET {uri}/tickets/43 -> 404 in {}", millis(&entries[2]));
    assert!(lines[2].ends_with(&missing), "{}", lines[2]);
    let has = |text: &str| lines.iter().any(|line| line.contains(text));
    assert!(has("  warning  [pii entry hidden: use --show-pii]"), "{stdout}");
    assert!(has(&format!("  error    hours.get_hours GET {closed}/hours -> no response in ")), "{stdout}");
    assert!(has(", failed (connect): ") && has(", failed (invalid argument): "), "{stdout}");
    // a refused call's URL is the resource as written, not encoded as a URL would be
    assert!(
        has(&format!("  error    zendesk.get_ticket GET {uri}/tickets/{{ticket_id}} -> no response in ")),
        "{stdout}"
    );
    assert!(lines[count - 1].ends_with("  error    gave up on the opening hours"), "{stdout}");
    assert!(!stdout.contains("Ada") && !stdout.contains("caller gave a name"), "{stdout}");
    assert!(stdout.ends_with(&expected_summary(&entries)), "{stdout}\nshould end with\n{}", expected_summary(&entries));
}

/// What the review shows of `entry` after its time, offset and level (fields in any order).
fn expected_text(entry: &LogEntry) -> String {
    let Some(call) = &entry.request else {
        return if entry.pii { "[pii entry hidden: use --show-pii]".to_string() } else { text_and_fields(entry) };
    };
    let url = if call.url.is_empty() { "(no URL)" } else { &call.url };
    let status = call.status.map_or("no response".to_string(), |status| status.to_string());
    let mut text = format!("{}.{} {} {url} -> {status} in {}", call.api, call.operation, call.method, millis(entry));
    if call.attempt > 1 {
        text += &format!(", attempt {}", call.attempt);
    }
    if let (Some(error), Some(kind)) = (&call.error, call.error_kind) {
        text += &format!(", failed ({kind}): {error}");
    }
    let mut fields_only = entry.clone();
    fields_only.message.clear();
    let fields = text_and_fields(&fields_only);
    if fields.is_empty() {
        text
    } else {
        format!("{text}  {fields}")
    }
}

/// The message, then each field as `name=value`, in the order they were recorded.
fn text_and_fields(entry: &LogEntry) -> String {
    let fields = entry.fields.clone();
    let shown = fields.iter().map(|(name, value)| match value.contains(' ') {
        true => format!("{name}={value:?}"),
        false => format!("{name}={value}"),
    });
    std::iter::once(entry.message.clone()).chain(shown).filter(|part| !part.is_empty()).collect::<Vec<_>>().join("  ")
}

/// The summary line for `entries`, every PII entry hidden.
fn expected_summary(entries: &[LogEntry]) -> String {
    let attempts: Vec<_> = entries.iter().filter_map(|entry| entry.request.as_ref()).collect();
    let calls = attempts.iter().filter(|call| call.attempt == 1).count();
    // a call failed when its last attempt did: one not followed by a retry
    let retried =
        |entry: &LogEntry| entry.fields.iter().any(|(name, note)| name == "retry" && note.starts_with("retrying"));
    let failed = entries
        .iter()
        .filter(|entry| entry.request.as_ref().is_some_and(|call| call.error.is_some()) && !retried(entry))
        .count();
    let total: f64 = attempts.iter().map(|call| call.duration.as_secs_f64() * 1000.0).sum();
    let longest = attempts.iter().map(|call| call.duration.as_secs_f64() * 1000.0).fold(0.0, f64::max);
    let level = |level: Level| entries.iter().filter(|entry| entry.level == level).count();
    format!(
        "summary: {calls} calls ({} attempts; {failed} failed, 1 non-2xx), call time {} total, {} longest attempt; \
         {} warnings, {} errors; 1 PII entry hidden\n",
        attempts.len(),
        duration_text(total),
        duration_text(longest),
        level(Level::Warning),
        level(Level::Error)
    )
}

#[tokio::test]
async fn show_pii_shows_the_personal_data() {
    let (_, jsonl, _) = conversation().await;
    let dir = TempDir::new("show-pii");
    dir.file("conv.jsonl", &jsonl);
    let (code, stdout, _) = review(&dir.0, &["conv.jsonl", "--show-pii"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("  warning  [pii] caller gave a name  name=\"Ada Lovelace\"\n"), "{stdout}");
    assert!(!stdout.contains("hidden"), "{stdout}");
    assert!(stdout.ends_with(" errors\n"), "{stdout}");
}

#[tokio::test]
async fn reads_standard_input() {
    let (entries, jsonl, _) = conversation().await;
    let mut child = Command::new(env!("CARGO_BIN_EXE_conv-api"))
        .args(["review", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(jsonl.as_bytes()).unwrap();
    let (code, stdout, stderr) = decode(child.wait_with_output().unwrap());
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(timeline(&stdout).len(), entries.len(), "{stdout}");
    assert!(stdout.contains(" -> 404 in "), "{stdout}");
}

#[tokio::test]
async fn bad_lines_are_each_reported_and_the_rest_reviewed() {
    let (entries, jsonl, _) = conversation().await;
    let mut lines: Vec<String> = jsonl.lines().map(str::to_string).collect();
    lines.insert(1, "this is not json".to_string());
    lines.insert(3, lines[0].replace("\"level\":\"info\"", "\"level\":[\"loud\"]"));
    lines.insert(5, lines[2].replace("\"status\":200", "\"status\":\"200\""));
    lines.push(lines[0][..20].to_string());
    let dir = TempDir::new("bad-lines");
    dir.file("conv.jsonl", &(lines.join("\n") + "\n"));
    let (code, stdout, stderr) = review(&dir.0, &["conv.jsonl"]);
    assert_eq!(code, 1);
    let errors: Vec<&str> = stderr.lines().collect();
    assert_eq!(errors.len(), 4, "{stderr}");
    assert!(errors[0].starts_with("conv.jsonl:2: error: not a JSON object"), "{}", errors[0]);
    assert!(errors[1].starts_with("conv.jsonl:4: error: `level`: invalid type: sequence, expected a string"));
    assert!(errors[2].starts_with("conv.jsonl:6: error: `request.status`: invalid type: string \"200\", expected an HTTP status, a whole number such as 200"));
    let last = lines.len();
    assert!(errors[3].starts_with(&format!("conv.jsonl:{last}: error: incomplete JSON: ")), "{}", errors[3]);
    assert_eq!(timeline(&stdout).len(), entries.len(), "{stdout}");
    assert!(stdout.ends_with("; 1 PII entry hidden; 4 bad lines skipped\n"), "{stdout}");
}

#[test]
fn an_empty_log_file_exits_0_and_says_so_on_stdout_alone() {
    let dir = TempDir::new("empty");
    dir.file("empty.jsonl", "");
    let (code, stdout, stderr) = review(&dir.0, &["empty.jsonl"]);
    assert_eq!((code, stdout.as_str(), stderr.as_str()), (0, "the log is empty (no entries)\n", ""));
}

#[test]
fn a_missing_file_is_an_error() {
    let dir = TempDir::new("missing");
    let (code, stdout, stderr) = review(&dir.0, &["nope.jsonl"]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(stderr.starts_with("nope.jsonl: error: cannot read the log: "), "{stderr}");
    let (code, _, stderr) = review(&dir.0, &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("FILE"), "{stderr}");
    std::fs::create_dir(dir.0.join("logs")).unwrap();
    let (code, _, stderr) = review(&dir.0, &["logs"]);
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "logs: error: cannot read the log: it is a directory; give the path of a log file (`Log::to_jsonl`'s lines)\n"
    );
}

#[test]
fn a_call_line_with_only_the_fields_api_md_lists_is_read() {
    let dir = TempDir::new("sparse");
    let line = r#"{"timestamp":"2026-11-30T12:00:00.000Z","level":"info","message":"GET zendesk.get_ticket -> 200","request":{"api":"zendesk","operation":"get_ticket","method":"GET","url":"https://z.example/t/1","status":200,"duration_ms":12.5,"error":null}}"#;
    dir.file("sparse.jsonl", &format!("{line}\n"));
    let (code, stdout, stderr) = review(&dir.0, &["sparse.jsonl"]);
    assert_eq!((code, stderr.as_str()), (0, ""), "{stdout}");
    assert!(stdout.contains("zendesk.get_ticket GET https://z.example/t/1 -> 200 in 12.5 ms"), "{stdout}");
    assert!(stdout.contains("1 call"), "{stdout}");
}

#[test]
fn selectors_that_would_hide_text_are_escaped_and_an_emoji_is_shown() {
    let dir = TempDir::new("hidden");
    let hidden: String = ('\u{E0100}'..='\u{E0118}').collect();
    let message = format!("caller happy 👩\u{200D}💻 ✌\u{FE0F} all good{hidden}");
    let line = serde_json::json!({"timestamp": "2026-11-30T12:00:00.000Z", "level": "info", "message": message});
    dir.file("hidden.jsonl", &format!("{line}\n"));
    let (code, stdout, stderr) = review(&dir.0, &["hidden.jsonl"]);
    assert_eq!((code, stderr.as_str()), (0, ""), "{stdout}");
    assert!(stdout.contains("caller happy 👩\u{200D}💻 ✌\u{FE0F} all good\\u{e0100}\\u{e0101}"), "{stdout}");
    assert!(stdout.contains("\\u{e0118}"), "{stdout}");
    assert!(!stdout.contains(['\u{E0100}', '\u{E0118}']), "no selector after ASCII is raw: {stdout}");
}

#[test]
fn non_2xx_counts_exactly_the_statuses_outside_200_to_299() {
    // `non-2xx` answered with a status outside 2xx
    let dir = TempDir::new("non-2xx");
    let lines: String = [199, 200, 299, 300]
        .iter()
        .map(|status| {
            format!(
                r#"{{"timestamp":"2026-11-30T12:00:00.000Z","level":"info","message":"GET zendesk.get_ticket -> {status}","request":{{"api":"zendesk","operation":"get_ticket","method":"GET","url":"https://z.example/t/{status}","status":{status},"duration_ms":1.0,"error":null}}}}"#
            ) + "\n"
        })
        .collect();
    dir.file("statuses.jsonl", &lines);
    let (code, stdout, stderr) = review(&dir.0, &["statuses.jsonl"]);
    assert_eq!((code, stderr.as_str()), (0, ""), "{stdout}");
    assert!(stdout.contains("summary: 4 calls (0 failed, 2 non-2xx), "), "{stdout}");
}
