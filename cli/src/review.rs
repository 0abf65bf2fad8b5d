//! `conv-api review LOG.jsonl [--show-pii]`: a conversation's log as a readable timeline.

mod entry;
mod time;

use std::borrow::Cow;
use std::collections::{HashMap, VecDeque};
use std::sync::LazyLock;

use conv_api_definitions::one_line;
use conv_api_definitions::urls::MASK;
use conv_api_runtime::{ErrorKind, Redactor, Url};

use crate::output::counted;
use crate::table::layout;
use entry::{parse_log, Call, Entry, Level};
use time::Timestamp;

/// What reviewing one log prints, and whether a line of it was bad.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Review {
    /// The timeline and its summary, for standard output.
    pub stdout: String,
    /// For standard error: a `LOG:LINE: error: ...` line for each of the first
    /// 20 bad lines, then one that counts the others; or one `LOG: error: ...` line
    /// for a log that cannot be read at all.
    pub stderr: Vec<String>,
    /// Whether a line could not be read.
    pub failed: bool,
}

/// Reviews the log `bytes` read from the file called `name`; PII entries shown only with `show_pii`.
pub fn review(name: &str, bytes: &[u8], show_pii: bool) -> Review {
    let name = one_line(name);
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let message = "the log is UTF-16 text (as PowerShell's `>` writes it); save it as UTF-8";
        return Review { stdout: String::new(), stderr: vec![format!("{name}: error: {message}")], failed: true };
    }
    let parsed = parse_log(bytes, show_pii);
    let mut stderr: Vec<String> =
        parsed.errors.iter().map(|(line, message)| format!("{name}:{line}: error: {}", one_line(message))).collect();
    // a log of some entries and bad lines (cut by crashes), or of entries all cut or
    // edited badly, is one still: its lines say what is wrong
    let not_a_log = parsed.entries.is_empty() && parsed.entry_like_bad_lines == 0;
    let hint = match not_a_log {
        true => format!("; {}", other_file_kind(bytes).unwrap_or(NOT_A_LOG_HINT)),
        false => String::new(),
    };
    if parsed.bad_lines > parsed.errors.len() {
        let more = counted(parsed.bad_lines - parsed.errors.len(), "more bad line", "more bad lines");
        stderr.push(format!("{name}: error: {more} not shown{hint}"));
    } else if parsed.bad_lines > 0 && parsed.entries.is_empty() {
        let hint = if not_a_log { hint } else { " (above)".to_string() };
        stderr.push(format!("{name}: error: no line could be read as a log entry{hint}"));
    }
    Review { stdout: render(&parsed.entries, parsed.bad_lines, show_pii), stderr, failed: parsed.bad_lines > 0 }
}

/// What a log of many bad lines, or of no entry, may be instead, and how to get one.
const NOT_A_LOG_HINT: &str = "is this a conv-api log? It has one JSON object a line, as `Log::to_jsonl` writes it (`jq -c .` puts pretty-printed objects back on single lines, `jq -c '.[]'` the entries of an array)";

/// What the file is, when it is one of the other files the tool reads: a definitions
/// file, or a test case with mocks, each with the command that checks it.
fn other_file_kind(bytes: &[u8]) -> Option<&'static str> {
    let text = String::from_utf8_lossy(bytes);
    let keys = text.lines().map(|line| line.trim_start_matches(['{', '"', ' ']));
    keys.filter_map(|line| match () {
        _ if line.starts_with("api_integrations") => {
            Some("it is a definitions file (`api_integrations:`): check it with `conv-api check FILE`")
        }
        _ if line.starts_with("api_mocks") => {
            Some("it is a test case with mocks (`api_mocks:`): check it with `conv-api check DEFINITIONS --mocks FILE`")
        }
        _ => None,
    })
    .next()
}

/// The timeline of `entries` and its summary; `bad_lines` is how many lines were skipped.
fn render(entries: &[Entry], bad_lines: usize, show_pii: bool) -> String {
    let Some(first) = entries.first() else {
        return match bad_lines {
            0 => "the log is empty (no entries)\n".to_string(),
            bad => format!("no entry could be read ({})\n", counted(bad, "bad line", "bad lines")),
        };
    };
    let start = first.timestamp;
    let rows: Vec<Vec<String>> = entries.iter().map(|entry| row(entry, start, show_pii)).collect();
    let mut text = heading(entries);
    let mut date = start.date();
    for (entry, line) in entries.iter().zip(layout(&rows, "")) {
        if entry.timestamp.date() != date {
            date = entry.timestamp.date();
            text.push_str(&format!("-- {date} --\n"));
        }
        text.push_str(&line);
        text.push('\n');
    }
    if let Some(note) = time_going_back(entries) {
        text.push_str(&note);
    }
    text + &summary(entries, bad_lines, show_pii)
}

/// How far back a log's time may step without a note: a clock set by NTP may step.
const CLOCK_STEP_MILLIS: i64 = 1_000;

/// A note when an entry is more than [`CLOCK_STEP_MILLIS`] older than the one above
/// it: a conversation's log is written in time order, so it is likely several logs
/// joined.
fn time_going_back(entries: &[Entry]) -> Option<String> {
    let mut first_step: Option<(Timestamp, i64)> = None;
    let mut steps = 0;
    for pair in entries.windows(2) {
        let back = pair[0].timestamp.millis_since(pair[1].timestamp);
        if back > CLOCK_STEP_MILLIS {
            steps += 1;
            first_step.get_or_insert((pair[1].timestamp, back));
        }
    }
    let (at, back) = first_step?;
    let times = if steps == 1 { String::new() } else { format!(" {steps} times, first") };
    Some(format!(
        "note: the time goes back{times} at {} {} ({} before the entry above it): are these several conversations' logs joined? Review each conversation's log alone\n",
        at.date(),
        at.time_of_day(),
        seconds(back)
    ))
}

/// `conversation log of 2024-05-01 (UTC): 6 entries over 0.029s`.
fn heading(entries: &[Entry]) -> String {
    let first = entries.iter().map(|entry| entry.timestamp).min().unwrap_or(entries[0].timestamp);
    let last = entries.iter().map(|entry| entry.timestamp).max().unwrap_or(first);
    let span = seconds(last.millis_since(first));
    let count = counted(entries.len(), "entry", "entries");
    format!("conversation log of {} (UTC): {count} over {span}\n", entries[0].timestamp.date())
}

/// Time of day, offset from the first entry, level, and what happened.
fn row(entry: &Entry, start: Timestamp, show_pii: bool) -> Vec<String> {
    let offset = entry.timestamp.millis_since(start);
    let sign = if offset < 0 { "-" } else { "+" };
    let what = match (entry.pii, show_pii) {
        (true, false) => "[pii entry hidden: use --show-pii]".to_string(),
        (true, true) => format!("[pii] {}", describe(entry)),
        (false, _) => describe(entry),
    };
    vec![
        entry.timestamp.time_of_day(),
        format!("{sign}{}", seconds(offset)),
        one_line(entry.level.as_str()).into_owned(),
        what,
    ]
}

/// The call or the message, then the fields as `name=value`.
fn describe(entry: &Entry) -> String {
    let mut text = match &entry.request {
        Some(call) => describe_call(call),
        None => one_line(&entry.message).into_owned(),
    };
    for (name, value) in &entry.fields.0 {
        if !text.is_empty() {
            text.push_str("  ");
        }
        text.push_str(&one_line(name));
        text.push('=');
        text.push_str(&quoted(value));
    }
    text
}

/// `zendesk.get_ticket GET http://... -> 200 in 12.3 ms`, with the attempt and the error when
/// there are; `-> 200 (mocked) in ..` when a mock rule answered.
fn describe_call(call: &Call) -> String {
    let url = if call.url.is_empty() { "(no URL)".to_string() } else { one_line(&shown_url(&call.url)).into_owned() };
    let name = one_line(&format!("{}.{}", call.api, call.operation)).into_owned();
    let method = if call.method.is_empty() { String::new() } else { format!(" {}", one_line(&call.method)) };
    let status = call.status.map_or_else(|| "no response".to_string(), |status| status.to_string());
    let mocked = if call.mocked { " (mocked)" } else { "" };
    let mut text = format!("{name}{method} {url} -> {status}{mocked} in {}", milliseconds(call.duration_ms));
    if call.attempt > 1 {
        text.push_str(&format!(", attempt {}", call.attempt));
    }
    let error = call.error.as_deref().map(|error| format!(": {}", one_line(&urls_masked(error)))).unwrap_or_default();
    match call.error_kind.as_deref() {
        // the caller stopped waiting: not a failure of the call's
        Some(kind) if kind == ErrorKind::Cancelled.as_str() => text.push_str(&format!(", cancelled{error}")),
        Some(kind) => text.push_str(&format!(", failed ({}){error}", one_line(kind))),
        None if call.error.is_some() => text.push_str(&format!(", failed{error}")),
        None => {}
    }
    text
}

/// `url` as the runtime logs one: no user info, credential query parameters masked (a
/// text that is no `http` or `https` URL: its whole query and fragment).
/// The runtime's logs are so already; a log written or edited by other means may not be.
fn shown_url(url: &str) -> String {
    static REDACTOR: LazyLock<Redactor> = LazyLock::new(Redactor::new);
    // `user:pw@host/x` parses as a URL of scheme `user`, with no user info to remove
    match Url::parse(url) {
        // the URL library drops tabs and line breaks (`/tickets/4\n2` reads `/tickets/42`):
        // such a text is shown as logged, its user info, query and fragment masked whole
        Ok(_) if url.contains(char::is_control) => conv_api_definitions::urls::shown(url).into_owned(),
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => {
            let shown = REDACTOR.url(&parsed);
            // nothing masked: the text as logged, which may not be a URL's own form
            // (a refused call's `/tickets/{ticket_id}`, that the URL library encodes)
            let plain = !url.contains(char::is_whitespace);
            if shown == parsed.as_str() && plain {
                url.to_string()
            } else {
                shown
            }
        }
        _ => conv_api_definitions::urls::shown(url).into_owned(),
    }
}

/// `text` (a call's error) with each `http://` or `https://` URL in it shown as
/// [`shown_url`] shows the call's: an error names the URL, maybe spelt otherwise
/// (`http://h?x` as `http://h/?x`). A URL ends at whitespace, a double quote or a
/// backtick; punctuation after it (`(GET http://h/x): ...`) is left out, a `)` or `'`
/// only when the URL does not open one itself, as a password or query may hold either
/// (`http://u:pw)d@h/`).
fn urls_masked(text: &str) -> Cow<'_, str> {
    let starts = |at: usize| {
        ["http://", "https://"]
            .iter()
            .any(|scheme| text[at..].get(..scheme.len()).is_some_and(|head| head.eq_ignore_ascii_case(scheme)))
    };
    let mut shown = String::new();
    let mut copied = 0;
    for (at, _) in text.match_indices(['h', 'H']).filter(|&(at, _)| starts(at)) {
        if at < copied {
            continue;
        }
        let end =
            text[at..].find(|c: char| c.is_whitespace() || matches!(c, '`' | '"')).map_or(text.len(), |len| at + len);
        let end = at + without_closing_marks(&text[at..end]).len();
        shown.push_str(&text[copied..at]);
        shown.push_str(&shown_url(&text[at..end]));
        copied = end;
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    shown.push_str(&text[copied..]);
    Cow::Owned(shown)
}

/// `url` without the punctuation that ends a sentence or clause after it, nor the `)`
/// and `'` that close what the text around it opened (`(http://h/x)`, `'http://h/x'`):
/// each unbalanced within the URL.
fn without_closing_marks(mut url: &str) -> &str {
    loop {
        let closing = if url.ends_with(['.', ',', ';', ':', '!', '?']) {
            true
        } else if url.ends_with(')') {
            url.matches(')').count() > url.matches('(').count()
        } else {
            url.ends_with('\'') && url.matches('\'').count() % 2 == 1
        };
        if !closing {
            return url;
        }
        url = &url[..url.len() - 1];
    }
}

/// Counts of calls, failures, call time, warnings, errors, hidden and bad lines.
fn summary(entries: &[Entry], bad_lines: usize, show_pii: bool) -> String {
    let level_count = |level: Level| entries.iter().filter(|entry| entry.level == level).count();
    let mut parts = vec![calls_summary(entries)];
    parts.push(format!(
        "{}, {}",
        counted(level_count(Level::Warning), "warning", "warnings"),
        counted(level_count(Level::Error), "error", "errors")
    ));
    let hidden = entries.iter().filter(|entry| entry.pii).count();
    if hidden > 0 && !show_pii {
        parts.push(format!("{} hidden", counted(hidden, "PII entry", "PII entries")));
    }
    if bad_lines > 0 {
        parts.push(format!("{} skipped", counted(bad_lines, "bad line", "bad lines")));
    }
    format!("summary: {}\n", parts.join("; "))
}

/// `3 calls (1 failed, 1 non-2xx), call time 15.8 ms total, 12.3 ms longest`; with
/// retries, `3 calls (5 attempts; ...)`. By its last attempt, a call was cancelled,
/// answered outside 2xx (an error of the runtime's with it too, such as a `Retry-After`
/// past the cap), or failed otherwise, each call counted once.
fn calls_summary(entries: &[Entry]) -> String {
    let attempts: Vec<&Call> = entries.iter().filter_map(|entry| entry.request.as_ref()).collect();
    if attempts.is_empty() {
        return "no calls".to_string();
    }
    let calls = last_attempts(entries);
    let is_cancelled = |call: &Call| call.error_kind.as_deref() == Some(ErrorKind::Cancelled.as_str());
    let is_non_2xx =
        |call: &Call| !is_cancelled(call) && call.status.is_some_and(|status| !(200..300).contains(&status));
    // as the timeline tells a call failed: by its error, or its kind of error alone
    let has_error = |call: &Call| call.error.is_some() || call.error_kind.is_some();
    let failed = calls.iter().filter(|call| has_error(call) && !is_cancelled(call) && !is_non_2xx(call)).count();
    let cancelled = calls.iter().filter(|call| is_cancelled(call)).count();
    let non_2xx = calls.iter().filter(|call| is_non_2xx(call)).count();
    let mut counts = Vec::new();
    if attempts.len() != calls.len() {
        counts.push(format!("{} attempts;", attempts.len()));
    }
    counts.push(format!("{failed} failed,"));
    if cancelled > 0 {
        counts.push(format!("{cancelled} cancelled,"));
    }
    counts.push(format!("{non_2xx} non-2xx"));
    let total: f64 = attempts.iter().map(|call| call.duration_ms).sum();
    let longest = attempts.iter().map(|call| call.duration_ms).fold(0.0, f64::max);
    format!(
        "{} ({}), call time {} total, {} longest",
        counted(calls.len(), "call", "calls"),
        counts.join(" "),
        milliseconds(total),
        milliseconds(longest)
    )
}

/// The last attempt of each call in `entries`. An attempt is followed by another
/// when its `retry` field says so: the runtime retries it (`retrying in ...`) or
/// replays it after a 401 (`replaying once ...`); a later attempt of the same
/// operation and URL, numbered next, continues the oldest such call. One that
/// continues none (the log starts after its call did) is a call of its own.
fn last_attempts(entries: &[Entry]) -> Vec<&Call> {
    let mut calls: Vec<&Call> = Vec::new();
    // the calls awaiting their next attempt, oldest first, by what that attempt shows
    let mut open: HashMap<CallKey<'_>, VecDeque<usize>> = HashMap::new();
    for entry in entries {
        let Some(attempt) = &entry.request else { continue };
        let continued = match attempt.attempt {
            1 => None,
            number => open.get_mut(&CallKey::of(attempt, number)).and_then(VecDeque::pop_front),
        };
        let index = match continued {
            Some(index) => {
                calls[index] = attempt;
                index
            }
            None => {
                calls.push(attempt);
                calls.len() - 1
            }
        };
        let followed =
            entry.fields.0.iter().any(|(name, note)| name == "retry" && conv_api_runtime::announces_next_attempt(note));
        if followed {
            if let Some(next) = attempt.attempt.checked_add(1) {
                open.entry(CallKey::of(attempt, next)).or_default().push_back(index);
            }
        }
    }
    calls
}

/// What the attempts of one call share, and an attempt's number.
#[derive(PartialEq, Eq, Hash)]
struct CallKey<'a> {
    api: &'a str,
    operation: &'a str,
    method: &'a str,
    /// Without its masked query parameters: an attempt sent shows the credentials auth
    /// put there (`api_key=***`), the wait before the next one, not sent, does not.
    url: Cow<'a, str>,
    attempt: u32,
}

impl CallKey<'_> {
    fn of(call: &Call, attempt: u32) -> CallKey<'_> {
        let url = without_masked_parameters(&call.url);
        CallKey { api: &call.api, operation: &call.operation, method: &call.method, url, attempt }
    }
}

/// `url` without the query parameters whose value is masked (`name=***`).
fn without_masked_parameters(url: &str) -> Cow<'_, str> {
    let Some((before, query)) = url.split_once('?') else { return Cow::Borrowed(url) };
    let (query, fragment) = query.split_once('#').map_or((query, None), |(query, fragment)| (query, Some(fragment)));
    let masked = format!("={MASK}");
    let kept: Vec<&str> = query.split('&').filter(|pair| !pair.ends_with(&masked)).collect();
    if kept.len() == query.split('&').count() {
        return Cow::Borrowed(url);
    }
    let query = if kept.is_empty() { String::new() } else { format!("?{}", kept.join("&")) };
    let fragment = fragment.map(|fragment| format!("#{fragment}")).unwrap_or_default();
    Cow::Owned(format!("{before}{query}{fragment}"))
}

/// `0.123s`, `2m05.123s` or `10h16m39.963s` for a number of milliseconds (without its sign).
fn seconds(millis: i64) -> String {
    let millis = millis.unsigned_abs();
    let (hours, minutes, seconds) = (millis / 3_600_000, millis / 60_000 % 60, millis / 1000 % 60);
    match (hours, minutes) {
        (0, 0) => format!("{seconds}.{:03}s", millis % 1000),
        (0, _) => format!("{minutes}m{seconds:02}.{:03}s", millis % 1000),
        _ => format!("{hours}h{minutes:02}m{seconds:02}.{:03}s", millis % 1000),
    }
}

/// `12.3 ms` below a second, `1.23 s` below a minute, then as [`seconds`] shows it.
fn milliseconds(millis: f64) -> String {
    if millis < 999.95 {
        format!("{millis:.1} ms")
    } else if millis < 59_995.0 {
        format!("{:.2} s", millis / 1000.0)
    } else {
        // from what would round to `60.00 s`; saturates at 292 million years
        seconds(millis.max(60_000.0) as i64)
    }
}

/// A field value as is, or quoted and escaped when it is empty or has spaces, quotes, `=` or control characters.
fn quoted(value: &str) -> String {
    let plain = !value.is_empty()
        && !value.chars().any(|c| c.is_whitespace() || c == '"' || c == '=')
        && matches!(one_line(value), Cow::Borrowed(_));
    if plain {
        value.to_string()
    } else {
        format!("{value:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::entry::BAD_LINES_KEPT;
    use super::*;

    #[test]
    fn a_file_that_is_not_a_log_reports_twenty_bad_lines_then_a_count() {
        let review = review("notes.txt", "not a log\n".repeat(25).as_bytes(), false);
        assert_eq!(review.stderr.len(), BAD_LINES_KEPT + 1);
        assert_eq!(
            review.stderr[BAD_LINES_KEPT],
            "notes.txt: error: 5 more bad lines not shown; is this a conv-api log? It has one JSON object a line, as `Log::to_jsonl` writes it (`jq -c .` puts pretty-printed objects back on single lines, `jq -c '.[]'` the entries of an array)"
        );
        assert!(review.failed && review.stdout.contains("25 bad lines"), "{}", review.stdout);
        // a few lines, none a log entry: one's own record holding a log's entries
        let review = super::review("kept.json", b"{\"conversation\":\"c-1\",\"log\":[]}\n", false);
        assert_eq!(
            review.stderr,
            [
                "kept.json:1: error: missing field `timestamp` (column 31)",
                "kept.json: error: no line could be read as a log entry; is this a conv-api log? It has one JSON object a line, as `Log::to_jsonl` writes it (`jq -c .` puts pretty-printed objects back on single lines, `jq -c '.[]'` the entries of an array)"
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
        assert_eq!(
            review.stderr.last().map(String::as_str),
            Some("apis.yaml: error: no line could be read as a log entry; it is a definitions file (`api_integrations:`): check it with `conv-api check FILE`")
        );
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
        let note = "note: the time goes back 2 times, first at 2024-05-01 12:00:00.000 (2h05m00.000s before the entry above it): are these several conversations' logs joined? Review each conversation's log alone\nsummary: ";
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
        assert!(
            text.contains("crm.get GET /a -> no response in 1.0 ms, attempt 2, failed (timeout): timed out"),
            "{text}"
        );
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
summary: 3 calls (1 failed, 1 non-2xx), call time 15.8 ms total, 12.3 ms longest; 2 warnings, 1 error; 1 PII entry hidden
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
        assert!(
            bad.stderr[1].starts_with("e.jsonl: error: no line could be read as a log entry; is this a conv-api log?")
        );
        // a log whose one entry was cut short is a log: it is not asked whether it is one
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
            "summary: 1 call (0 failed, 1 non-2xx), call time 1.50 s total, 1.50 s longest; 0 warnings, 1 error\n"
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
}
