use super::entry::BAD_LINES_KEPT;
use super::*;

#[test]
fn a_file_that_is_not_a_log_reports_twenty_bad_lines_then_a_count() {
    let review = review("notes.txt", "not a log\n".repeat(25).as_bytes(), false);
    assert_eq!(review.stderr.len(), BAD_LINES_KEPT + 1);
    assert_eq!(
            review.stderr[BAD_LINES_KEPT],
            "notes.txt: error: 5 more bad lines not shown; a conv-api log has one JSON object a line, as `Log::to_jsonl` writes it (`jq -c .` puts pretty-printed objects back on single lines, `jq -c '.[]'` the entries of an array)"
        );
    assert!(review.failed && review.stdout.contains("25 bad lines"), "{}", review.stdout);
    // a few lines, none a log entry: one's own record holding a log's entries
    let review = super::review("kept.json", b"{\"conversation\":\"c-1\",\"log\":[]}\n", false);
    assert_eq!(
            review.stderr,
            [
                "kept.json:1: error: missing field `timestamp` (column 31)",
                "kept.json: error: no line could be read as a log entry; a conv-api log has one JSON object a line, as `Log::to_jsonl` writes it (`jq -c .` puts pretty-printed objects back on single lines, `jq -c '.[]'` the entries of an array)"
            ]
        );
    let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain("{}\n".encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let review = super::review("log.jsonl", &utf16, false);
    assert_eq!(
        review.stderr,
        ["log.jsonl: error: the log is UTF-16 text (as PowerShell's `>` writes it); save it as UTF-8"]
    );
}

#[test]
fn a_definitions_file_or_test_case_given_for_a_log_is_told_the_command_that_checks_it() {
    let definitions = "# the APIs\napi_integrations:\n  - name: a\n";
    let review = review("apis.yaml", definitions.as_bytes(), false);
    // one line, as `check` says of a log, not one per line of the file
    assert_eq!(
        review.stderr,
        ["apis.yaml: error: this is no conversation log: it is a definitions file (`api_integrations:`): check it with `conv-api check FILE`"]
    );
    // saved with a byte order mark
    let review = super::review("apis.yaml", "\u{feff}api_integrations: []\n".as_bytes(), false);
    assert_eq!(review.stderr.len(), 1, "{:?}", review.stderr);
    let review = super::review("apis.json", br#"{"api_integrations": []}"#, false);
    assert!(review.stderr.last().is_some_and(|line| line.ends_with("check it with `conv-api check FILE`")));
    let review = super::review("case.yaml", b"name: t\napi_mocks:\n  a: {}\n", false);
    assert!(
        review
            .stderr
            .last()
            .is_some_and(|line| line.ends_with("check it with `conv-api check DEFINITIONS --mocks FILE`")),
        "{:?}",
        review.stderr
    );
    assert!(review.failed);
}

#[test]
fn a_log_listed_newest_first_is_shown_oldest_first_with_a_note() {
    let entry = |time: &str, message: &str| {
        format!(r#"{{"timestamp":"2024-05-01T12:00:{time}Z","level":"info","message":"{message}","pii":false}}"#)
    };
    let oldest_first = [entry("00.000", "one"), entry("00.500", "two"), entry("02.000", "three")].join("\n");
    let newest_first = [entry("02.000", "three"), entry("00.500", "two"), entry("00.000", "one")].join("\n");
    let (read, reversed) =
        (review("log.jsonl", oldest_first.as_bytes(), false), review("log.jsonl", newest_first.as_bytes(), false));
    assert_eq!(
        reversed.stdout,
        format!("note: the log lists its entries newest first; shown oldest first\n{}", read.stdout)
    );
    assert!(
        !read.stdout.contains("newest first") && !reversed.stdout.contains("time goes back"),
        "{}",
        reversed.stdout
    );
    // one step back, after entries of one millisecond: two logs joined, not reversed
    let joined = [entry("05.000", "b1"), entry("05.000", "b2"), entry("01.000", "a1")].join("\n");
    let text = review("log.jsonl", joined.as_bytes(), false).stdout;
    assert!(!text.contains("newest first") && text.find("b1") < text.find("b2"), "{text}");
}

#[test]
fn tracing_output_given_for_a_log_is_told_apart() {
    let event = r#"{"timestamp":"2026-12-06T16:33:49.775Z","level":"INFO","fields":{"message":"crm.get_customer -> 200"},"target":"conv_api"}"#;
    // flattened (`.flatten_event(true)`), it has every key an entry needs
    let flattened = r#"{"timestamp":"2026-12-06T16:33:49.775Z","level":"INFO","message":"crm.get_customer -> 200","target":"conv_api"}"#;
    let review = review("trace.jsonl", format!("{event}\n{flattened}\n").as_bytes(), false);
    let told = "error: a `tracing` event (JSON output of `tracing-subscriber`: it has a `target`), not a conversation log's entry; review the log the conversation keeps, as `conv.log.to_jsonl()` writes it";
    assert_eq!(
        review.stderr[..2],
        [format!("trace.jsonl:1: {told}"), format!("trace.jsonl:2: {told}")],
        "{:?}",
        review.stderr
    );
    assert!(review.failed);
}

/// A call entry of `url` and `error`, each JSON text already.
fn failed_call(url: &str, error: &str) -> String {
    format!(
        r#"{{"timestamp":"2024-05-01T12:00:00Z","level":"error","message":"m","pii":false,"request":{{"api":"a","operation":"o","method":"GET","url":{url},"status":null,"duration_ms":1.0,"attempt":1,"error":{error},"error_kind":"connect"}}}}"#
    )
}

#[test]
fn a_url_written_by_other_means_is_masked_in_the_error_that_names_it_too() {
    let url = "http://user:hunter2pw@x.example/?api_key=abc123secret";
    let line = failed_call(&format!("\"{url}\""), &format!("\"`a.o` (GET {url}): cannot connect\""));
    let review = review("log.jsonl", line.as_bytes(), false);
    assert!(review.stdout.contains("GET http://x.example/?api_key=*** -> no response"), "{}", review.stdout);
    assert!(
        review.stdout.contains("failed (connect): `a.o` (GET http://x.example/?api_key=***): cannot connect"),
        "{}",
        review.stdout
    );
    assert!(!review.stdout.contains("hunter2pw") && !review.stdout.contains("abc123secret"), "{}", review.stdout);
    // spelt otherwise in the error, as the HTTP library writes it
    let error = "\"error sending request for url (HTTP://user:hunter2pw@x.example/?api_key=abc123secret)\"";
    let line = failed_call("\"http://user:hunter2pw@x.example?api_key=abc123secret\"", error);
    let review = super::review("log.jsonl", line.as_bytes(), false);
    assert!(
        review.stdout.contains("error sending request for url (http://x.example/?api_key=***)"),
        "{}",
        review.stdout
    );
    assert!(!review.stdout.contains("hunter2pw") && !review.stdout.contains("abc123secret"), "{}", review.stdout);
}

#[test]
fn a_password_or_query_holding_a_parenthesis_or_quote_is_masked_in_an_error() {
    let masked = |error: &str| {
        let line = failed_call("\"http://x.example/\"", &serde_json::to_string(error).unwrap());
        review("log.jsonl", line.as_bytes(), false).stdout
    };
    let shown = masked("error sending request for url (http://user:hunt)er2pw@x.example/)");
    assert!(shown.contains("for url (http://x.example/)"), "{shown}");
    let shown = masked("cannot reach 'http://user:hunt'er2pw@x.example/' now");
    assert!(shown.contains("cannot reach 'http://x.example/'"), "{shown}");
    let shown = masked("error sending request for url (http://x.example/t?q=(open)&api_key=abc123secret)");
    assert!(shown.contains("for url (http://x.example/t?q=(open)&api_key=***)"), "{shown}");
    let shown = masked("at http://x.example/?q=it's&api_key=abc123secret: refused");
    assert!(shown.contains("?q=it%27s&api_key=***: refused"), "{shown}");
    for secret in ["er2pw", "abc123secret"] {
        assert!(!shown.contains(secret), "{shown}");
    }
}

#[test]
fn a_line_break_in_a_url_is_shown_escaped_not_dropped() {
    let review =
        review("log.jsonl", failed_call(r#""http://h.example/tickets/4\n2?key=k1""#, "null").as_bytes(), false);
    assert!(review.stdout.contains(r"GET http://h.example/tickets/4\n2?*** -> no response"), "{}", review.stdout);
}

#[test]
fn a_log_of_entries_and_many_cut_lines_is_not_asked_whether_it_is_a_log() {
    let good = r#"{"timestamp":"2024-05-01T12:00:00Z","level":"info","message":"ok","pii":false}"#;
    let cut = r#"{"timestamp":"2024-05-01T12:00:00Z","level":"info","message":"cu"#;
    let log = format!("{}{}", format!("{good}\n").repeat(100), format!("{cut}\n").repeat(25));
    let review = review("log.jsonl", log.as_bytes(), false);
    assert_eq!(review.stderr.last().map(String::as_str), Some("log.jsonl: error: 5 more bad lines not shown"));
    assert!(review.failed && review.stdout.contains("100 entries"), "{}", review.stdout);
}

#[test]
fn long_spans_are_shown_in_minutes_and_hours() {
    assert_eq!(seconds(12_345), "12.345s");
    assert_eq!(seconds(-125_123), "2m05.123s");
    assert_eq!(seconds(36_999_963), "10h16m39.963s");
}

#[test]
fn call_times_past_a_minute_are_shown_in_minutes_and_hours() {
    assert_eq!(
        (milliseconds(12.34), milliseconds(1_500.0), milliseconds(59_994.0)),
        ("12.3 ms".into(), "1.50 s".into(), "59.99 s".into())
    );
    assert_eq!(
        (milliseconds(2_460_000.0), milliseconds(1e300)),
        ("41m00.000s".into(), "2562047788015h12m55.807s".into())
    );
}

#[test]
fn time_going_back_is_noted_as_logs_joined_and_a_clock_step_is_not() {
    let entry =
        |time: &str| format!(r#"{{"timestamp":"2024-05-01T{time}Z","level":"info","message":"m","pii":false}}"#);
    let joined = [entry("14:00:00"), entry("14:05:00"), entry("12:00:00"), entry("12:01:00"), entry("11:00:00")];
    let text = review("r.jsonl", joined.join("\n").as_bytes(), false).stdout;
    let note = "note: the time goes back 2 times, first at 2024-05-01 12:00:00.000 (2h05m00.000s before the entry above it): the log may join several conversations'; review each conversation's log alone\nsummary: ";
    assert!(text.contains(note), "{text}");
    let once = [entry("14:00:00"), entry("12:00:00")];
    let text = review("r.jsonl", once.join("\n").as_bytes(), false).stdout;
    assert!(text.contains("note: the time goes back at 2024-05-01 12:00:00.000 (2h00m00.000s before"), "{text}");
    let stepped = [entry("14:00:00.900"), entry("14:00:00.100"), entry("14:00:01")];
    let text = review("r.jsonl", stepped.join("\n").as_bytes(), false).stdout;
    assert!(!text.contains("note:"), "{text}");
}

#[test]
fn retries_are_one_call_and_a_cancelled_call_is_not_a_failure() {
    let attempt = |attempt: u32, url: &str, status: &str, error: &str, kind: &str, retry: &str| {
        let fields = if retry.is_empty() { String::new() } else { format!(r#","fields":{{"retry":"{retry}"}}"#) };
        format!(
            r#"{{"timestamp":"2024-05-01T12:00:00Z","level":"info","message":"m","pii":false{fields},"request":{{"api":"crm","operation":"get","method":"GET","url":"{url}","status":{status},"duration_ms":1,"attempt":{attempt},"error":{error},"error_kind":{kind}}}}}"#
        )
    };
    let log = [
        // retried twice, then answered
        attempt(1, "/a", "503", "null", "null", "retrying in 1s"),
        attempt(2, "/a", "null", r#""timed out""#, r#""timeout""#, "retrying in 2s"),
        attempt(3, "/a", "200", "null", "null", ""),
        // its caller stopped waiting (a log without the error's text too)
        attempt(1, "/b", "null", "null", r#""cancelled""#, ""),
        // a log that starts during a call's retries; then a second call that fails
        attempt(2, "/c", "null", r#""refused""#, r#""connect""#, "no retry left: all 3 attempts were made"),
        attempt(1, "/c", "404", "null", "null", ""),
        // two calls of one URL at once: the retry continues the one retried
        attempt(1, "/d", "503", "null", "null", "retrying in 1s"),
        attempt(1, "/d", "200", "null", "null", ""),
        attempt(2, "/d", "200", "null", "null", ""),
        // replayed after a 401 with a fresh token; a 401 not replayed is the last word
        attempt(1, "/e", "401", "null", "null", "replaying once after a 401, with the token asked for again"),
        attempt(2, "/e", "200", "null", "null", ""),
        attempt(1, "/f", "401", "null", "null", ""),
        attempt(1, "/f", "503", "null", "null", "retrying in 1s"),
        attempt(2, "/f", "200", "null", "null", ""),
        // sent with its key in the query, then dropped in the wait before attempt 2,
        // which was not sent and so shows no key
        attempt(1, "/g?api_key=***&q=1", "503", "null", "null", "retrying in 1s"),
        attempt(2, "/g?q=1", "null", "null", r#""cancelled""#, ""),
        // a log written by other means: a kind of error without its text fails too
        attempt(1, "/h", "null", "null", r#""timeout""#, ""),
    ]
    .join("\n");
    let text = review("r.jsonl", log.as_bytes(), false).stdout;
    assert!(text.contains("crm.get GET /h -> no response in 1.0 ms, failed (timeout)\n"), "{text}");
    let summary = "summary: 11 calls (17 attempts; 2 failed, 2 cancelled, 2 non-2xx), call time 17.0 ms total";
    assert!(text.contains(summary), "{text}");
    assert!(text.contains("crm.get GET /b -> no response in 1.0 ms, cancelled\n"), "{text}");
    assert!(text.contains("crm.get GET /a -> no response in 1.0 ms, attempt 2, failed (timeout): timed out"), "{text}");
}

#[test]
fn masked_query_parameters_are_left_out_of_what_joins_attempts() {
    let cases = [
        ("/g?api_key=***&q=1", "/g?q=1"),
        ("/g?api_key=***", "/g"),
        ("/g?q=1&token=***#top", "/g?q=1#top"),
        ("/g?q=***1", "/g?q=***1"),
        ("/g", "/g"),
    ];
    for (url, key) in cases {
        assert_eq!(without_masked_parameters(url), key, "{url}");
    }
}

#[test]
fn a_level_this_version_does_not_know_is_shown_escaped() {
    let line = r#"{"timestamp":"2024-05-01T12:00:00Z","level":"loud\u001b[31m\n","message":"m","pii":false}"#;
    let text = review("l.jsonl", line.as_bytes(), false).stdout;
    assert!(text.contains("  loud\\u{1b}[31m\\n  m\n"), "{text}");
}

#[test]
fn many_calls_are_grouped_in_linear_time() {
    let line = |n: usize, attempt: u32| {
        format!(
            r#"{{"timestamp":"2024-05-01T12:00:00Z","level":"info","message":"m","pii":false,"request":{{"api":"crm","operation":"get","method":"GET","url":"/{n}","status":200,"duration_ms":1,"attempt":{attempt},"error":null,"error_kind":null}}}}"#
        )
    };
    // 100,000 attempts, half of them numbered 2 without a retried call before them:
    // a quadratic grouping would take minutes
    let log: Vec<String> = (0..50_000).flat_map(|n| [line(n, 1), line(n, 2)]).collect();
    let text = review("big.jsonl", log.join("\n").as_bytes(), false).stdout;
    assert!(text.contains("summary: 100000 calls (0 failed, 0 non-2xx)"), "{}", text.lines().last().unwrap_or(""));
}

#[test]
fn text_is_shown_as_written_on_one_line() {
    assert_eq!(one_line("a\nb\t\u{1b}]0;x"), "a\\nb\\t\\u{1b}]0;x");
    assert_eq!(one_line("paid \u{202E}01$"), "paid \\u{202e}01$", "no right-to-left override");
    assert_eq!(one_line("line\u{2028}break"), "line\\u{2028}break");
    assert_eq!(one_line("café ✓"), "café ✓");
    assert_eq!(quoted("paid\u{202E}01$"), "\"paid\\u{202e}01$\"", "a field value without spaces too");
}

const LOG: &str = r#"{"timestamp":"2024-05-01T12:00:00.000Z","level":"info","message":"looking up the ticket","pii":false,"fields":{"ticket_id":"42"}}
{"timestamp":"2024-05-01T12:00:00.012Z","level":"info","message":"GET zendesk.get_ticket -> 200","pii":false,"request":{"api":"zendesk","attempt":1,"duration_ms":12.3456,"error":null,"error_kind":null,"method":"GET","operation":"get_ticket","request_headers":{"authorization":"***"},"response_headers":{},"status":200,"url":"http://127.0.0.1:8080/api/v2/tickets/42?key=***","mocked":false}}
{"timestamp":"2024-05-01T12:00:00.020Z","level":"info","message":"GET zendesk.get_ticket -> 404","pii":false,"request":{"api":"zendesk","attempt":1,"duration_ms":3.04,"error":null,"error_kind":null,"method":"GET","operation":"get_ticket","request_headers":{},"response_headers":{},"status":404,"url":"http://127.0.0.1:8080/api/v2/tickets/43","mocked":true}}
{"timestamp":"2024-05-01T12:00:01.500Z","level":"error","message":"GET zendesk.get_ticket failed: cannot connect","pii":false,"request":{"api":"zendesk","attempt":2,"duration_ms":0.41,"error":"cannot connect to `127.0.0.1:9`","error_kind":"connect","method":"GET","operation":"get_ticket","request_headers":{},"response_headers":{},"status":null,"url":"http://127.0.0.1:9/api/v2/tickets/44"}}
{"timestamp":"2024-05-01T12:00:01.510Z","level":"warning","message":"caller gave a name","pii":true,"fields":{"name":"Ada Lovelace"}}
{"timestamp":"2024-05-01T12:00:12.345Z","level":"warning","message":"ticket not found\nasking again","pii":false,"fields":{"ticket_id":"43","reason":""}}
"#;

/// A call the server redirected within its origin shows where the answer came from.
#[test]
fn a_redirected_call_shows_where_its_answer_came_from() {
    let line = r#"{"timestamp":"2024-05-01T12:00:00.000Z","level":"info","message":"POST bookings.create -> 200 (redirected to ..)","pii":false,"request":{"api":"bookings","attempt":1,"duration_ms":4.0,"error":null,"error_kind":null,"method":"POST","operation":"create","request_headers":{},"response_headers":{},"status":200,"url":"http://127.0.0.1:8080/bookings","redirected_to":"http://127.0.0.1:8080/bookings/7?token=abc","mocked":false}}"#;
    let shown = review("conv.jsonl", line.as_bytes(), false).stdout;
    let call = "bookings.create POST http://127.0.0.1:8080/bookings -> 200 from http://127.0.0.1:8080/bookings/7?token=*** in 4.0 ms";
    assert!(shown.contains(call), "{shown}");
}

#[test]
fn renders_a_timeline_and_a_summary() {
    let review = review("conv.jsonl", LOG.as_bytes(), false);
    let expected = "conversation log of 2024-05-01 (UTC): 6 entries over 12.345s
12:00:00.000  +0.000s   info     looking up the ticket  ticket_id=42
12:00:00.012  +0.012s   info     zendesk.get_ticket GET http://127.0.0.1:8080/api/v2/tickets/42?key=*** -> 200 in 12.3 ms
12:00:00.020  +0.020s   info     zendesk.get_ticket GET http://127.0.0.1:8080/api/v2/tickets/43 -> 404 (mocked) in 3.0 ms
12:00:01.500  +1.500s   error    zendesk.get_ticket GET http://127.0.0.1:9/api/v2/tickets/44 -> no response in 0.4 ms, attempt 2, failed (connect): cannot connect to `127.0.0.1:9`
12:00:01.510  +1.510s   warning  [pii entry hidden: use --show-pii]
12:00:12.345  +12.345s  warning  ticket not found\\nasking again  ticket_id=43  reason=\"\"
summary: 3 calls (1 failed, 1 non-2xx), call time 15.8 ms total, 12.3 ms longest attempt; 2 warnings, 1 error; 1 PII entry hidden
";
    assert_eq!(review.stdout, expected);
    assert_eq!((review.stderr.len(), review.failed), (0, false));
    assert!(!review.stdout.contains("Ada") && !review.stdout.contains("authorization"));
}

#[test]
fn show_pii_shows_the_entry_marked() {
    let review = review("conv.jsonl", LOG.as_bytes(), true);
    assert!(
        review.stdout.contains("  warning  [pii] caller gave a name  name=\"Ada Lovelace\"\n"),
        "{}",
        review.stdout
    );
    assert!(review.stdout.ends_with("; 2 warnings, 1 error\n"), "{}", review.stdout);
    assert!(!review.stdout.contains("hidden"));
}

#[test]
fn bad_lines_are_reported_and_the_rest_reviewed() {
    let mut lines: Vec<&str> = LOG.lines().collect();
    lines.insert(1, "{\"timestamp\":\"2024-05-01T12:00:00Z\"}");
    lines.insert(3, "not json");
    let review = review("conv.jsonl", lines.join("\n").as_bytes(), false);
    assert_eq!(
        review.stderr,
        [
            "conv.jsonl:2: error: missing field `level` (column 36)",
            "conv.jsonl:4: error: not a JSON object (each line of the log is one object, starting with `{`)"
        ]
    );
    assert!(review.failed);
    assert!(review.stdout.starts_with("conversation log of 2024-05-01 (UTC): 6 entries"), "{}", review.stdout);
    assert!(review.stdout.ends_with("; 1 PII entry hidden; 2 bad lines skipped\n"), "{}", review.stdout);
}

#[test]
fn an_empty_log_says_so() {
    assert_eq!(
        review("e.jsonl", b"", false),
        Review { stdout: "the log is empty (no entries)\n".into(), ..Review::default() }
    );
    assert_eq!(review("e.jsonl", b"\n\n", false).stdout, "the log is empty (no entries)\n");
    let bad = review("e.jsonl", b"{}\n", false);
    assert_eq!(bad.stdout, "no entry could be read (1 bad line)\n");
    assert_eq!(bad.stderr[0], "e.jsonl:1: error: missing field `timestamp` (column 2)");
    assert!(bad.stderr[1].starts_with(
        "e.jsonl: error: no line could be read as a log entry; a conv-api log has one JSON object a line"
    ));
    // a log whose one entry was cut short is a log: it is not told what a log looks like
    let cut = review("e.jsonl", br#"{"timestamp":"2024-05-01T12:00:00Z","level":"info","mess"#, false);
    assert!(cut.stderr[0].starts_with("e.jsonl:1: error: incomplete JSON"), "{:?}", cut.stderr);
    assert_eq!(cut.stderr[1], "e.jsonl: error: no line could be read as a log entry (above)");
}

#[test]
fn a_new_day_gets_its_date_and_offsets_can_go_back() {
    let line = |time: &str, message: &str| {
        format!(r#"{{"timestamp":"{time}","level":"info","message":"{message}","pii":false}}"#)
    };
    let log = [
        line("2024-05-01T23:59:59.900Z", "late"),
        line("2024-05-02T00:00:00.100Z", "past midnight"),
        line("2024-05-01T23:59:59.800Z", "clock went back"),
    ]
    .join("\n");
    let expected = "conversation log of 2024-05-01 (UTC): 3 entries over 0.300s
23:59:59.900  +0.000s  info  late
-- 2024-05-02 --
00:00:00.100  +0.200s  info  past midnight
-- 2024-05-01 --
23:59:59.800  -0.100s  info  clock went back
summary: no calls; 0 warnings, 0 errors
";
    assert_eq!(review("d.jsonl", log.as_bytes(), false).stdout, expected);
}

#[test]
fn credentials_in_a_url_written_by_other_means_are_masked() {
    let line = |url: &str| {
        format!(
            r#"{{"timestamp":"2026-11-29T08:00:00Z","level":"info","message":"call","pii":false,"request":{{"api":"a","operation":"o","method":"GET","url":"{url}","status":200,"duration_ms":5.0,"attempt":1,"error":null,"error_kind":null}}}}"#
        )
    };
    let log = [
        line("http://user:hunter2pw@x.example/?api_key=abc123secret&access_token=zz9tok&page=2"),
        line("not a url user:pw@x"),
        line("agent:s3cret@api.example/v2"),
        line("/p/1?x=1#access_token=relfrag222"),
        line("ftp://x.example/p#access_token=ftpfrag333"),
    ];
    let text = review("log.jsonl", log.join("\n").as_bytes(), false).stdout;
    assert!(text.contains("a.o GET http://x.example/?api_key=***&access_token=***&page=2 -> 200"), "{text}");
    assert!(text.contains("a.o GET ***@x -> 200"), "{text}");
    assert!(text.contains("a.o GET ***@api.example/v2 -> 200"), "{text}");
    assert!(text.contains("a.o GET /p/1?***#*** -> 200"), "{text}");
    assert!(text.contains("a.o GET ftp://x.example/p#*** -> 200"), "{text}");
    for secret in ["hunter2pw", "abc123secret", "zz9tok", "user:pw", "s3cret", "relfrag222", "ftpfrag333"] {
        assert!(!text.contains(secret), "{secret}: {text}");
    }
}

#[test]
fn calls_without_url_method_or_kind() {
    let line = r#"{"timestamp":"2024-05-01T12:00:00Z","level":"error","message":"x","pii":false,"request":{"api":"crm","operation":"list","method":"","url":"","status":503,"duration_ms":1500,"attempt":1,"error":"the service is down"}}"#;
    let text = review("c.jsonl", line.as_bytes(), false).stdout;
    assert!(text.contains("  error  crm.list (no URL) -> 503 in 1.50 s, failed: the service is down\n"), "{text}");
    assert!(text.ends_with(
        // an error with an answer outside 2xx is one call gone wrong, counted once
        "summary: 1 call (0 failed, 1 non-2xx), call time 1.50 s total, 1.50 s longest attempt; 0 warnings, 1 error\n"
    ));
}

proptest::proptest! {
    /// Whatever the text around it and the characters of its password, an `http`
    /// URL a call's error names is shown without the password or the API key.
    #[test]
    fn an_error_shows_no_password_or_key_of_a_url_it_names(
        before in "[ a-z(`'\"\u{a0}é:]{0,8}",
        scheme in proptest::sample::select(vec!["http", "https", "HTTP"]),
        password in "[a-z0-9)('!*$;,.]{0,6}",
        path in "(/[a-z0-9().',é]{0,5}){0,2}",
        after in "[ a-z.,;:!?)('`\"\u{a0}\n]{0,8}",
    ) {
        let error = format!("{before}{scheme}://user:Zq9{password}@x.example{path}?api_key=Zq8{password}&page=2{after}");
        let shown = urls_masked(&error);
        proptest::prop_assert!(!shown.contains("Zq9") && !shown.contains("Zq8"), "{error:?} -> {shown}");
    }
}
