//! The examples run as the README says: each starts its own local servers, exits 0
//! and prints what an agent would say. `cargo test` builds the examples (to check
//! that they compile) before it runs any test; these tests run the binaries it built.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime};

/// How long an example may run: each takes well under a second, so one past this
/// hangs, and the test says so rather than waiting with it.
const EXAMPLE_TIMEOUT: Duration = Duration::from_secs(120);

/// The binary `cargo test` built for the example `name`, which must be newer than
/// every source cargo builds it from.
fn example(name: &str) -> PathBuf {
    // this test is `target/<profile>/deps/examples-<hash>`; examples are uplifted to
    // `target/<profile>/examples/`
    let test = std::env::current_exe().expect("the test knows its own path");
    let profile = test.parent().and_then(|deps| deps.parent()).expect("the test runs from a target directory");
    let binary = profile.join("examples").join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    let built = std::fs::metadata(&binary).and_then(|metadata| metadata.modified());
    let how = "`cargo test` builds the examples, but not when one test target is chosen (`--test examples`); \
               run `cargo build --examples` first";
    let built = built.unwrap_or_else(|_| panic!("the example `{name}` is not built at {}: {how}", binary.display()));
    if let Some((changed, source)) = newest_source(&binary.with_extension("d")) {
        assert!(changed <= built, "the example `{name}` is older than {}: {how}", source.display());
    }
    binary
}

/// The newest of the sources that the dep-info file `dep_info` lists (cargo's
/// `binary: source source ..`, a space in a path written `\ `), with the time it was
/// changed.
fn newest_source(dep_info: &Path) -> Option<(SystemTime, PathBuf)> {
    let text = std::fs::read_to_string(dep_info).ok()?;
    let (_, sources) = text.lines().next()?.split_once(": ")?;
    let sources = sources.replace("\\ ", "\0");
    let paths = sources.split(' ').filter(|path| !path.is_empty()).map(|path| PathBuf::from(path.replace('\0', " ")));
    paths.filter_map(|path| Some((std::fs::metadata(&path).ok()?.modified().ok()?, path))).max()
}

/// Runs the example `name` with `args`, away from the caller's `CONV_ENV`; kills it
/// past [`EXAMPLE_TIMEOUT`].
fn run(name: &str, args: &[&str]) -> Output {
    let mut child = Command::new(example(name))
        .args(args)
        .env_remove("CONV_ENV")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the example starts");
    // read while it runs, so that a full pipe never stops it
    let read = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            pipe.read_to_end(&mut bytes).map(|_| bytes)
        })
    };
    let stdout = read(Box::new(child.stdout.take().expect("stdout is piped")));
    let stderr = read(Box::new(child.stderr.take().expect("stderr is piped")));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("the example can be waited for") {
            break status;
        }
        if started.elapsed() > EXAMPLE_TIMEOUT {
            child.kill().ok();
            panic!("`cargo run --example {name}` still runs after {EXAMPLE_TIMEOUT:?}; it was stopped");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let collected = |reader: std::thread::JoinHandle<std::io::Result<Vec<u8>>>| {
        reader.join().expect("the reader thread ends").expect("the example's output reads")
    };
    Output { status, stdout: collected(stdout), stderr: collected(stderr) }
}

/// Runs the example `name`, which must exit 0, and returns what it printed.
fn run_ok(name: &str) -> String {
    let output = run(name, &[]);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "`cargo run --example {name}` failed ({}):\n{stdout}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

#[test]
fn quickstart_answers_three_turns_and_prints_the_conversation_log() {
    let out = run_ok("quickstart");
    assert!(out.contains(r#"agent function returned {"content":"Ticket 1042 is open: Printer on fire."}"#), "{out}");
    assert!(out.contains(r#"{"utterance":"I couldn't find that ticket."#), "{out}");
    assert!(out.contains(r#"{"content":"I've added a note for the team."}"#), "{out}");
    let log = out.split_once("conversation log:").expect("the log follows the answers").1;
    let calls: Vec<&str> = log.lines().filter(|line| line.contains(" -> ")).collect();
    assert_eq!(calls.len(), 3, "one entry per call: {log}");
    assert!(calls[0].contains("helpdesk.get_ticket GET http://127.0.0.1:") && calls[0].contains("-> 200"), "{log}");
    assert!(calls[1].contains("-> 404") && calls[2].contains("helpdesk.add_comment POST"), "{log}");
    assert!(log.contains("warning no ticket 9999"), "{log}");
}

#[test]
fn the_support_agent_gives_content_and_utterances_and_masks_its_key_in_the_log() {
    let out = run_ok("support_agent");
    assert!(out.contains(r#"status of T-17   -> {"content":{"ticket":"T-17""#), "{out}");
    assert!(out.contains(r#"status of T-99   -> {"utterance":"#), "{out}");
    assert!(out.contains(r#"open a ticket    -> {"utterance":"I've opened ticket T-18."#), "{out}");
    let entries: Vec<serde_json::Value> = out
        .lines()
        .filter(|line| line.starts_with('{'))
        .map(|line| serde_json::from_str(line).expect("each log line is JSON"))
        .collect();
    let calls: Vec<&serde_json::Value> = entries.iter().filter(|entry| entry.get("request").is_some()).collect();
    assert_eq!(calls.len(), 4, "{out}");
    assert!(calls.iter().all(|call| call["request"]["request_headers"]["x-api-key"] == "***"), "{out}");
    assert!(!out.contains("demo-key-123"), "the key never shows: {out}");
}

#[test]
fn the_booking_flow_makes_one_token_request_for_two_conversations() {
    let out = run_ok("booking_oauth");
    assert!(out.contains("You're booked for 2 at 20:00 on 2026-12-24"), "{out}");
    assert!(out.contains("Sorry, nothing is free on 2026-12-31 for 8."), "{out}");
    assert!(out.contains("token requests for both conversations: 1 "), "{out}");
}

#[test]
fn promotion_changes_only_conv_env_and_live_without_its_key_sends_nothing() {
    let out = run_ok("promotion");
    assert!(out.contains(r#"[sandbox] agent: {"content":"The balance is 100 TEST."}"#), "{out}");
    assert!(out.contains(r#"[live] agent: {"content":"The balance is 1234.5 GBP."}"#), "{out}");
    assert!(out.contains("[live] start-up check: `accounts`: missing secret `ACCOUNTS_LIVE_API_KEY`"), "{out}");
    assert!(out.contains("[live] error (MissingSecret)") && out.contains("nothing was sent"), "{out}");
}

#[test]
fn dynamic_loading_calls_by_name_and_tells_a_misspelt_operation_and_a_missing_variable() {
    let out = run_ok("dynamic");
    assert!(out.contains("loaded `helpdesk`: get_ticket, add_comment"), "{out}");
    assert!(out.contains(r#"helpdesk.get_ticket(ticket_id = 1042) -> 200 {"status":"open"}"#), "{out}");
    assert!(out.contains("did you mean `get_ticket`?"), "{out}");
    assert!(out.contains("path variable `ticket_id` is not given"), "{out}");
}

#[test]
fn dynamic_loading_of_a_file_that_is_not_there_exits_1_and_names_it() {
    let missing = std::env::temp_dir().join("conv-api-no-such-file/apis.yaml");
    let output = run("dynamic", &[missing.to_str().expect("a UTF-8 temp dir")]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("conv-api-no-such-file"), "the error names the file: {stderr}");
}
