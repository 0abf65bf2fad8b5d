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
    if conv_api_definitions::is_utf16(bytes) {
        let message = "the log is UTF-16 text (as PowerShell's `>` writes it); save it as UTF-8";
        return Review { stdout: String::new(), stderr: vec![format!("{name}: error: {message}")], failed: true };
    }
    let mut parsed = parse_log(bytes, show_pii);
    // a log exported newest first (as log viewers list them) is read oldest first
    let newest_first = is_newest_first(&parsed.entries);
    if newest_first {
        parsed.entries.reverse();
    }
    // a log of some entries and bad lines (cut by crashes), or of entries all cut or
    // edited badly, is one still: its lines say what is wrong
    let not_a_log = parsed.entries.is_empty() && parsed.entry_like_bad_lines == 0;
    // another file the tool reads: what it is says it all, as `check` says of a log
    if let Some(kind) = other_file_kind(bytes).filter(|_| not_a_log) {
        let message = format!("{name}: error: this is no conversation log: {kind}");
        return Review { stdout: String::new(), stderr: vec![message], failed: true };
    }
    let mut stderr: Vec<String> =
        parsed.errors.iter().map(|(line, message)| format!("{name}:{line}: error: {}", one_line(message))).collect();
    let hint = match not_a_log {
        true => format!("; {NOT_A_LOG_HINT}"),
        false => String::new(),
    };
    if parsed.bad_lines > parsed.errors.len() {
        let more = counted(parsed.bad_lines - parsed.errors.len(), "more bad line", "more bad lines");
        stderr.push(format!("{name}: error: {more} not shown{hint}"));
    } else if parsed.bad_lines > 0 && parsed.entries.is_empty() {
        let hint = if not_a_log { hint } else { " (above)".to_string() };
        stderr.push(format!("{name}: error: no line could be read as a log entry{hint}"));
    }
    let mut stdout = render(&parsed.entries, parsed.bad_lines, show_pii);
    if newest_first {
        stdout = format!("note: the log lists its entries newest first; shown oldest first\n{stdout}");
    }
    Review { stdout, stderr, failed: parsed.bad_lines > 0 }
}

/// What a log of many bad lines, or of no entry, may be instead, and how to get one.
const NOT_A_LOG_HINT: &str = "a conv-api log has one JSON object a line, as `Log::to_jsonl` writes it (`jq -c .` puts pretty-printed objects back on single lines, `jq -c '.[]'` the entries of an array)";

/// What the file is, when it is one of the other files the tool reads: a definitions
/// file, or a test case with mocks, each with the command that checks it.
fn other_file_kind(bytes: &[u8]) -> Option<&'static str> {
    let text = String::from_utf8_lossy(bytes);
    let keys = text.lines().map(|line| line.trim_start_matches(['\u{feff}', '{', '"', ' ']));
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
    let mut text = heading(first, entries);
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

/// Whether `entries` go back in time, never forward, in two steps or more: a log
/// written oldest first and listed the other way round (`tac`, a log viewer). One
/// step back may as well be two logs joined, or a clock set back.
fn is_newest_first(entries: &[Entry]) -> bool {
    let steps: Vec<i64> = entries.windows(2).map(|pair| pair[0].timestamp.millis_since(pair[1].timestamp)).collect();
    steps.iter().all(|&back| back >= 0) && steps.iter().filter(|&&back| back > 0).count() >= 2
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
        "note: the time goes back{times} at {} {} ({} before the entry above it): the log may join several conversations'; review each conversation's log alone\n",
        at.date(),
        at.time_of_day(),
        seconds(back)
    ))
}

/// `conversation log of 2024-05-01 (UTC): 6 entries over 0.029s`.
fn heading(first: &Entry, entries: &[Entry]) -> String {
    let earliest = entries.iter().map(|entry| entry.timestamp).min().unwrap_or(first.timestamp);
    let last = entries.iter().map(|entry| entry.timestamp).max().unwrap_or(earliest);
    let span = seconds(last.millis_since(earliest));
    let count = counted(entries.len(), "entry", "entries");
    format!("conversation log of {} (UTC): {count} over {span}\n", first.timestamp.date())
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
/// there are; `-> 200 (mocked) in ..` when a mock rule answered; `-> 200 from http://...
/// in ..` when the server redirected the request.
fn describe_call(call: &Call) -> String {
    let url = if call.url.is_empty() { "(no URL)".to_string() } else { one_line(&shown_url(&call.url)).into_owned() };
    let name = one_line(&format!("{}.{}", call.api, call.operation)).into_owned();
    let method = if call.method.is_empty() { String::new() } else { format!(" {}", one_line(&call.method)) };
    let status = call.status.map_or_else(|| "no response".to_string(), |status| status.to_string());
    let mocked = if call.mocked { " (mocked)" } else { "" };
    // a redirect followed within the origin: where the answer came from
    let redirected = match call.redirected_to.as_deref() {
        Some(to) => format!(" from {}", one_line(&shown_url(to))),
        None => String::new(),
    };
    let mut text =
        format!("{name}{method} {url} -> {status}{redirected}{mocked} in {}", milliseconds(call.duration_ms));
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

/// `3 calls (1 failed, 1 non-2xx), call time 15.8 ms total, 12.3 ms longest attempt`; with
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
        "{} ({}), call time {} total, {} longest attempt",
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
mod tests;
