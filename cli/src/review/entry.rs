//! Reading the log: one JSON object a line, as the runtime's `LogEntry::to_json` writes it.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::time::Timestamp;

/// How important an entry is.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(from = "String")]
pub enum Level {
    /// Normal progress.
    Info,
    /// Something unexpected the conversation went on with.
    Warning,
    /// Something failed.
    Error,
    /// A level this version does not know (a newer runtime's), shown as written.
    Other(String),
}

impl From<String> for Level {
    fn from(text: String) -> Level {
        match text.as_str() {
            "info" => Level::Info,
            "warning" => Level::Warning,
            "error" => Level::Error,
            _ => Level::Other(text),
        }
    }
}

impl Level {
    /// `info`, `warning`, `error` or the other level, as in the log.
    pub fn as_str(&self) -> &str {
        match self {
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
            Level::Other(text) => text,
        }
    }
}

/// One entry of the log.
#[derive(Debug, Deserialize)]
#[serde(expecting = "a log entry (a JSON object)")]
pub struct Entry {
    /// When it was recorded.
    pub timestamp: Timestamp,
    /// How important it is.
    pub level: Level,
    /// The message.
    pub message: String,
    /// Whether the message or fields hold personal data (not, when the line omits it).
    #[serde(default)]
    pub pii: bool,
    /// Structured fields, in the order of the line.
    #[serde(default)]
    pub fields: Fields,
    /// The call, for the entries the runtime adds for each request attempt.
    #[serde(default)]
    pub request: Option<Call>,
}

/// What the log keeps of one request attempt (its headers are not shown, so not read).
#[derive(Debug, Deserialize)]
#[serde(expecting = "a request (a JSON object)")]
pub struct Call {
    /// The API's name.
    pub api: String,
    /// The operation's name.
    pub operation: String,
    /// The HTTP method; empty when the call failed before it was known.
    #[serde(default)]
    pub method: String,
    /// The redacted URL; empty when the call failed before a URL was built.
    #[serde(default)]
    pub url: String,
    /// Where the answer came from, when the server redirected the request.
    #[serde(default)]
    pub redirected_to: Option<String>,
    /// The response status, when a response arrived.
    #[serde(default, deserialize_with = "status")]
    pub status: Option<u16>,
    /// From the start of the attempt to the end of the body (or the error).
    #[serde(deserialize_with = "duration_ms")]
    pub duration_ms: f64,
    /// The attempt number, from 1; the first, when the line omits it.
    #[serde(default = "first_attempt", deserialize_with = "attempt")]
    pub attempt: u32,
    /// The error, when the attempt failed.
    pub error: Option<String>,
    /// The error's kind, such as `connect`, when the attempt failed.
    pub error_kind: Option<String>,
    /// A mock rule answered the attempt, not the API; a line without the key was not.
    #[serde(default)]
    pub mocked: bool,
}

/// Name and value pairs, kept in the order they appear; a value that is not a
/// string (a newer runtime's, or a hand-written log's) as its JSON text.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Fields(pub Vec<(String, String)>);

impl<'de> Deserialize<'de> for Fields {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(FieldsVisitor)
    }
}

struct FieldsVisitor;

impl<'de> Visitor<'de> for FieldsVisitor {
    type Value = Fields;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("an object of fields")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
        let mut pairs = Vec::new();
        while let Some((name, value)) = map.next_entry::<String, serde_json::Value>()? {
            let value = match value {
                serde_json::Value::String(text) => text,
                other => other.to_string(),
            };
            pairs.push((name, value));
        }
        Ok(Fields(pairs))
    }
}

/// A number in the log, read with serde's messages saying what it is (`invalid type:
/// string "200", expected an HTTP status, a whole number such as 200`), not which
/// Rust type holds it.
struct Number {
    /// What the number is, for messages.
    expected: &'static str,
    /// Whether it must be a whole number.
    whole: bool,
    /// The largest it may be.
    max: f64,
}

const STATUS: Number = Number { expected: "an HTTP status, a whole number such as 200", whole: true, max: 999.0 };
/// The longest call a log may say it took, in milliseconds: about 31 years; a larger
/// number is no call's duration (and would be shown as a wrong one).
const LONGEST_CALL_MS: f64 = 1e12;
const MILLISECONDS: Number = Number {
    expected: "a duration in milliseconds, a number such as 12.5, up to 1e12 (about 31 years)",
    whole: false,
    max: LONGEST_CALL_MS,
};
const ATTEMPT: Number =
    Number { expected: "an attempt number, a whole number from 1", whole: true, max: u32::MAX as f64 };

impl Number {
    fn checked<E: de::Error>(&self, number: f64, unexpected: de::Unexpected<'_>) -> Result<f64, E> {
        let fits = number >= 0.0 && number <= self.max && (!self.whole || number.fract() == 0.0);
        if fits {
            Ok(number)
        } else {
            Err(E::invalid_value(unexpected, &self))
        }
    }
}

impl Visitor<'_> for &Number {
    type Value = f64;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str(self.expected)
    }

    fn visit_u64<E: de::Error>(self, number: u64) -> Result<f64, E> {
        self.checked(number as f64, de::Unexpected::Unsigned(number))
    }

    fn visit_i64<E: de::Error>(self, number: i64) -> Result<f64, E> {
        self.checked(number as f64, de::Unexpected::Signed(number))
    }

    fn visit_f64<E: de::Error>(self, number: f64) -> Result<f64, E> {
        let unexpected = de::Unexpected::Float(number);
        if self.whole {
            // `200.0` is not how a status or an attempt is written
            return Err(E::invalid_type(unexpected, &self));
        }
        self.checked(number, unexpected)
    }
}

fn status<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u16>, D::Error> {
    struct Status(u16);
    impl<'de> Deserialize<'de> for Status {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserializer.deserialize_any(&STATUS).map(|status| Status(status as u16))
        }
    }
    Ok(Option::<Status>::deserialize(deserializer)?.map(|Status(status)| status))
}

fn duration_ms<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    let millis = deserializer.deserialize_any(&MILLISECONDS)?;
    // `-0.0` is zero: shown as `0.0`, not `-0.0`
    Ok(millis + 0.0)
}

fn first_attempt() -> u32 {
    1
}

fn attempt<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
    match deserializer.deserialize_any(&ATTEMPT)? as u32 {
        0 => Err(de::Error::custom("attempts count from 1, found 0")),
        number => Ok(number),
    }
}

/// The entries of a log and what was wrong with its other lines.
#[derive(Debug, Default)]
pub struct Parsed {
    /// The entries read, in the order of the file.
    pub entries: Vec<Entry>,
    /// The first [`BAD_LINES_KEPT`] bad lines' numbers (from 1) and what is wrong
    /// with each: a file of bad lines keeps no more than these in memory.
    pub errors: Vec<(usize, String)>,
    /// How many lines were bad, those past the first kept included.
    pub bad_lines: usize,
    /// How many of the bad lines look like log entries, cut short or edited badly: JSON
    /// objects holding two of an entry's keys (`"timestamp"`, `"level"`, `"message"`).
    pub entry_like_bad_lines: usize,
}

/// How many bad lines [`parse_log`] says what is wrong with, one by one (it counts
/// the rest): a file that is not a log at all would otherwise give one error a line.
pub const BAD_LINES_KEPT: usize = 20;

/// Reads every line of `bytes`; blank lines are skipped, bad ones reported (without
/// the values of a PII entry unless `show_pii`).
pub fn parse_log(bytes: &[u8], show_pii: bool) -> Parsed {
    let mut parsed = Parsed::default();
    for (index, line) in bytes.split(|&byte| byte == b'\n').enumerate() {
        // a byte order mark at any line's start: logs that began with one, joined by `cat`
        let line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let result = match std::str::from_utf8(line) {
            Ok(text) if text.trim().is_empty() => continue,
            Ok(text) => parse_line(text, show_pii),
            Err(error) => Err(not_utf8(line, error)),
        };
        match result {
            Ok(entry) => parsed.entries.push(entry),
            Err(message) => {
                parsed.bad_lines += 1;
                parsed.entry_like_bad_lines += usize::from(looks_like_an_entry(line));
                if parsed.errors.len() < BAD_LINES_KEPT {
                    parsed.errors.push((index + 1, message));
                }
            }
        }
    }
    parsed
}

/// Whether `line` looks like a log entry: a JSON object holding two of an entry's keys.
fn looks_like_an_entry(line: &[u8]) -> bool {
    let keys: [&[u8]; 3] = [b"\"timestamp\"", b"\"level\"", b"\"message\""];
    let held = keys.iter().filter(|key| line.windows(key.len()).any(|window| window == **key)).count();
    line.trim_ascii_start().starts_with(b"{") && held >= 2
}

/// What is wrong with `line`, which is not UTF-8: a line that ends inside a character
/// was cut off (a crash, a full disk, `head -c`), and says so as a line cut between
/// characters does.
fn not_utf8(line: &[u8], error: std::str::Utf8Error) -> String {
    let start = std::str::from_utf8(&line[..error.valid_up_to()]).unwrap_or_default();
    match serde_json::from_str::<serde::de::IgnoredAny>(start) {
        Err(cut) if error.error_len().is_none() && cut.is_eof() => describe(&cut, start),
        _ => format!("not UTF-8 text (bad byte at column {})", start.chars().count() + 1),
    }
}

/// Reads one line; the error names the key at fault, such as `` `request.status`: invalid type ``.
/// serde's message quotes the value at fault, so for an entry flagged as PII it is
/// shown only with `show_pii`.
pub fn parse_line(line: &str, show_pii: bool) -> Result<Entry, String> {
    if line.trim_start().starts_with('[') {
        // a `Vec<LogEntry>` serialized whole
        return Err(
            "a JSON array, not an object (each line of the log is one entry object: `jq -c '.[]'` writes an array's entries so)"
                .to_string(),
        );
    }
    if !line.trim_start().starts_with('{') {
        return Err("not a JSON object (each line of the log is one object, starting with `{`)".to_string());
    }
    // an event's keys are an entry's, flattened (`.flatten_event(true)`) or not
    if line.contains("\"target\"") && is_tracing_event(line) {
        return Err(TRACING_EVENT.to_string());
    }
    let mut deserializer = serde_json::Deserializer::from_str(line);
    let entry = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        if !show_pii && !inner.is_syntax() && !inner.is_eof() && !names_only(&inner) && may_be_pii(line) {
            // serde's text after `, expected` says what the entry holds there, quoting no value
            let text = without_position(&inner);
            let expected = text.rsplit_once(", expected ").map(|(_, expected)| format!(": expected {expected}"));
            return format!(
                "`{path}` is not what a log entry holds there{} (the entry is or may be flagged as personal data, so its value is not shown: --show-pii shows it)",
                expected.unwrap_or_default()
            );
        }
        match path.as_str() {
            _ if inner.is_syntax() || inner.is_eof() || path == "." => describe(&inner, line),
            _ => format!("`{path}`: {}", describe(&inner, line)),
        }
    })?;
    deserializer.end().map_err(|error| describe(&error, line))?;
    Ok(entry)
}

/// What a line of `tracing`'s JSON output is told, which holds an entry's keys but
/// not as the log writes them.
const TRACING_EVENT: &str = "a `tracing` event (JSON output of `tracing-subscriber`: it has a `target`), not a conversation log's entry; review the log the conversation keeps, as `conv.log.to_jsonl()` writes it";

/// Whether `line` is an event of `tracing-subscriber`'s JSON output: an object with
/// a `target`, which no log entry has.
fn is_tracing_event(line: &str) -> bool {
    let Ok(serde_json::Value::Object(event)) = serde_json::from_str(line) else { return false };
    event.get("target").is_some_and(serde_json::Value::is_string)
}

/// Whether serde's message names only keys, quoting no value: a missing or repeated
/// field, which a PII entry's error may say.
fn names_only(error: &serde_json::Error) -> bool {
    let text = error.to_string();
    text.starts_with("missing field `") || text.starts_with("duplicate field `")
}

/// Whether `line` may be an entry flagged as personal data. Read as a JSON object,
/// it is when any of its `pii` keys (a key given twice, or spelled with an escape
/// such as `p\u0069i`, counts) is other than `false`. A bad line that is no JSON (cut
/// short by a crash, or with text after its object) is read leniently: it may be
/// when it holds `"pii": true` anywhere, or any escape, which may spell the key.
fn may_be_pii(line: &str) -> bool {
    if let Some(flags) = pii_flags(line) {
        return flags.iter().any(|flag| *flag != serde_json::Value::Bool(false));
    }
    let written_true = line.match_indices("\"pii\"").any(|(at, key)| {
        let rest = line[at + key.len()..].trim_start();
        rest.strip_prefix(':').is_some_and(|value| value.trim_start().starts_with("true"))
    });
    written_true || line.contains("\\u")
}

/// The value of each top-level `pii` key of `line`, in order, keys decoded; `None`
/// when the line is no JSON object.
fn pii_flags(line: &str) -> Option<Vec<serde_json::Value>> {
    struct Flags;
    impl<'de> Visitor<'de> for Flags {
        type Value = Vec<serde_json::Value>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON object")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut flags = Vec::new();
            while let Some(key) = map.next_key::<String>()? {
                if key == "pii" {
                    flags.push(map.next_value()?);
                } else {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
            Ok(flags)
        }
    }
    let mut deserializer = serde_json::Deserializer::from_str(line);
    let flags = deserializer.deserialize_map(Flags).ok()?;
    deserializer.end().ok()?;
    Some(flags)
}

/// serde_json's message of `error`, without the ` at line 1 column N` it ends with.
fn without_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let position = format!(" at line {} column {}", error.line(), error.column());
    match text.strip_suffix(&position) {
        Some(without) => without.to_string(),
        None => text,
    }
}

/// serde_json's message about `line` without its `at line 1 column N`, the column in
/// brackets, counted in characters as an editor shows it (and as `check` counts).
fn describe(error: &serde_json::Error, line: &str) -> String {
    let text = without_position(error);
    let text = text.as_str();
    let (kind, text) = match text.strip_prefix("EOF while parsing ") {
        // serde's `EOF while parsing a string`: the line stops inside it
        Some(inside) if error.is_eof() => ("incomplete JSON: ", Cow::Owned(format!("the line ends inside {inside}"))),
        _ if error.is_eof() => ("incomplete JSON: ", Cow::Borrowed(text)),
        // `\ud800` without the other half of its pair, as serde_json says it
        _ if text.ends_with("surrogate in hex escape") || text == "unexpected end of hex escape" => (
            "not JSON: ",
            Cow::Borrowed("a `\\u` escape of half a UTF-16 pair (`\\ud800` to `\\udfff`) without its other half right after it, which is no character (an emoji is written as both: `\\ud83d\\ude00`)"),
        ),
        _ if error.is_syntax() => ("not JSON: ", Cow::Borrowed(text)),
        _ => ("", Cow::Borrowed(text)),
    };
    let cut_short = if error.is_eof() { "; was the log cut short, as by a crash?" } else { "" };
    format!("{kind}{} (column {}){cut_short}", cut_middle(&text), character_column(line, error.column()))
}

/// The 1-based column in characters of serde_json's `byte_column` (which counts bytes).
fn character_column(line: &str, byte_column: usize) -> usize {
    let before = &line.as_bytes()[..byte_column.saturating_sub(1).min(line.len())];
    // the bytes that start a character: not UTF-8 continuation bytes
    before.iter().filter(|&&byte| byte & 0xC0 != 0x80).count() + 1
}

/// How many characters of serde's message an error keeps at each end: it quotes the
/// value at fault, which a runaway field may make megabytes long.
const MESSAGE_END_CHARS: usize = 150;

/// `text`, or its first and last [`MESSAGE_END_CHARS`] characters around a note of
/// how many were left out: its end says what was expected.
fn cut_middle(text: &str) -> Cow<'_, str> {
    let chars = text.chars().count();
    if chars <= 2 * MESSAGE_END_CHARS + 50 {
        return Cow::Borrowed(text);
    }
    let head: String = text.chars().take(MESSAGE_END_CHARS).collect();
    let tail: String = text.chars().skip(chars - MESSAGE_END_CHARS).collect();
    Cow::Owned(format!("{head}... ({} characters left out) ...{tail}", chars - 2 * MESSAGE_END_CHARS))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const CALL: &str = r#"{"timestamp":"2024-05-01T12:00:00.000Z","level":"error","message":"GET zendesk.get_ticket failed: x","pii":false,"request":{"api":"zendesk","attempt":2,"duration_ms":0.5,"error":"cannot connect","error_kind":"connect","method":"GET","operation":"get_ticket","request_headers":{},"response_headers":{},"status":null,"url":"http://127.0.0.1:9/t/1"}}"#;

    fn error_of(line: &str) -> String {
        parse_line(line, true).unwrap_err()
    }

    #[test]
    fn a_runaway_value_is_cut_from_the_middle_of_its_error() {
        let line = format!(r#"{{"timestamp":"{}","level":"info","message":"m","pii":false}}"#, "x".repeat(1_000_000));
        let error = error_of(&line);
        assert!(error.len() < 500, "{} bytes", error.len());
        assert!(error.starts_with("`timestamp`: "), "{error}");
        assert!(error.contains("characters left out"), "{error}");
        let short = error_of(r#"{"timestamp":"noon","level":"info","message":"m","pii":false}"#);
        assert!(!short.contains("left out"), "{short}");
    }

    #[test]
    fn reads_a_call_entry() {
        let entry = parse_line(CALL, false).unwrap();
        assert_eq!((entry.level, entry.pii, entry.fields.0.len()), (Level::Error, false, 0));
        let call = entry.request.unwrap();
        assert_eq!((call.api.as_str(), call.status, call.attempt), ("zendesk", None, 2));
        assert_eq!((call.error_kind.as_deref(), call.duration_ms), (Some("connect"), 0.5));
    }

    #[test]
    fn keeps_fields_in_the_order_of_the_line() {
        let line = r#"{"timestamp":"2024-05-01T12:00:00Z","level":"info","message":"m","pii":true,"fields":{"z":"1","a":"2"}}"#;
        let entry = parse_line(line, false).unwrap();
        assert_eq!(entry.fields.0, [("z".to_string(), "1".to_string()), ("a".to_string(), "2".to_string())]);
        assert!(entry.pii && entry.request.is_none());
    }

    #[test]
    fn names_what_is_wrong() {
        let not_object = "not a JSON object (each line of the log is one object, starting with `{`)";
        assert_eq!(error_of("hello").as_str(), not_object);
        assert_eq!(
            error_of(r#"[{"level":"info"}]"#),
            "a JSON array, not an object (each line of the log is one entry object: `jq -c '.[]'` writes an array's entries so)"
        );
        assert_eq!(
            error_of(r#"{"level":"info""#),
            "incomplete JSON: the line ends inside an object (column 15); was the log cut short, as by a crash?"
        );
        assert_eq!(error_of(r#"{"level":info}"#), "not JSON: expected value (column 10)");
        let missing = r#"{"timestamp":"2024-05-01T12:00:00Z","message":"m","pii":false}"#;
        assert_eq!(error_of(missing), "missing field `level` (column 62)");
        let level = r#"{"timestamp":"2024-05-01T12:00:00Z","level":7,"message":"m","pii":false}"#;
        assert!(error_of(level).starts_with("`level`: invalid type: integer `7`, expected a string"));
        let status = CALL.replace(r#""status":null"#, r#""status":"200""#);
        let expected = "expected an HTTP status, a whole number such as 200";
        assert!(error_of(&status).starts_with(&format!("`request.status`: invalid type: string \"200\", {expected}")));
        let status = CALL.replace(r#""status":null"#, r#""status":1000"#);
        assert!(error_of(&status).starts_with(&format!("`request.status`: invalid value: integer `1000`, {expected}")));
        let millis = CALL.replace(r#""duration_ms":0.5"#, r#""duration_ms":-1"#);
        let expected = "expected a duration in milliseconds, a number such as 12.5, up to 1e12 (about 31 years)";
        let huge = CALL.replace(r#""duration_ms":0.5"#, r#""duration_ms":1e308"#);
        assert!(
            error_of(&huge)
                .starts_with(&format!("`request.duration_ms`: invalid value: floating point `1e+308`, {expected}")),
            "{}",
            error_of(&huge)
        );
        let lone = CALL.replace("failed: x", "failed: \\ud800 x");
        assert!(error_of(&lone).starts_with("not JSON: a `\\u` escape of half a UTF-16 pair"), "{}", error_of(&lone));
        assert!(
            error_of(&millis).starts_with(&format!("`request.duration_ms`: invalid value: integer `-1`, {expected}"))
        );
        let millis = CALL.replace(r#""duration_ms":0.5"#, r#""duration_ms":"5""#);
        assert!(
            error_of(&millis).starts_with(&format!("`request.duration_ms`: invalid type: string \"5\", {expected}"))
        );
        let attempt = CALL.replace(r#""attempt":2"#, r#""attempt":1.5"#);
        let expected = "expected an attempt number, a whole number from 1";
        assert!(error_of(&attempt)
            .starts_with(&format!("`request.attempt`: invalid type: floating point `1.5`, {expected}")));
        let attempt = CALL.replace(r#""attempt":2"#, r#""attempt":0"#);
        assert!(error_of(&attempt).starts_with("`request.attempt`: attempts count from 1, found 0"));
        let fields = r#"{"timestamp":"2024-05-01T12:00:00Z","level":"info","message":"m","pii":false,"fields":[]}"#;
        assert!(error_of(fields).starts_with("`fields`: invalid type: sequence, expected an object of fields"));
        let time = CALL.replace("2024-05-01T12:00:00.000Z", "noon");
        assert!(error_of(&time).starts_with("`timestamp`: `noon` is not an RFC 3339 time"));
        assert!(error_of(&format!("{CALL} {{}}")).starts_with("not JSON: trailing characters"));
    }

    #[test]
    fn a_newer_runtimes_levels_and_field_values_are_read_as_written() {
        let line = r#"{"timestamp":"2024-05-01T12:00:00Z","level":"debug","message":"m","pii":false,"fields":{"n":2,"ok":true,"s":"x"},"new_key":{}}"#;
        let entry = parse_line(line, false).unwrap();
        assert_eq!(entry.level, Level::Other("debug".into()));
        let fields: Vec<(&str, &str)> = entry.fields.0.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        assert_eq!(fields, [("n", "2"), ("ok", "true"), ("s", "x")]);
    }

    #[test]
    fn a_bad_pii_line_shows_no_value_without_show_pii() {
        let line = r#"{"timestamp":"2024-05-01T12:00:00Z","level":"warning","message":5550100,"pii":true}"#;
        let hidden = parse_line(line, false).unwrap_err();
        assert!(
            hidden.starts_with("`message` is not what a log entry holds there: expected a string (the entry")
                && !hidden.contains("5550100"),
            "{hidden}"
        );
        assert!(parse_line(line, true).unwrap_err().contains("5550100"), "shown on request");
        // a key spelled with an escape is the same key to serde
        let escaped = r#"{"timestamp":"2024-05-01T12:00:00Z","level":"warning","message":5550100,"p\u0069i":true}"#;
        let hidden = parse_line(escaped, false).unwrap_err();
        assert!(hidden.contains("--show-pii") && !hidden.contains("5550100"), "{hidden}");
        // a missing or repeated key quotes no value: it is said
        let missing = r#"{"timestamp":"2024-05-01T12:00:00Z","message":"Ada","pii":true}"#;
        assert_eq!(parse_line(missing, false).unwrap_err(), "missing field `level` (column 63)");
        let twice = r#"{"timestamp":"2024-05-01T12:00:00Z","level":"info","level":"info","message":"Ada","pii":true}"#;
        assert!(parse_line(twice, false).unwrap_err().starts_with("duplicate field `level`"));
        // a flag given twice hides the values if either says so, whichever JSON keeps
        for flags in [r#""pii":true,"pii":false"#, r#""pii":false,"pii":true"#, r#""p\u0069i":true,"pii":false"#] {
            let line = format!(r#"{{"timestamp":"2024-05-01T12:00:00Z","level":"info","message":5550100,{flags}}}"#);
            let hidden = parse_line(&line, false).unwrap_err();
            assert!(!hidden.contains("5550100"), "{line}: {hidden}");
        }
    }

    #[test]
    fn a_pii_line_that_is_not_whole_json_shows_no_value_either() {
        let entry = r#"{"timestamp":"2026-11-29T08:00:00Z","level":"warning","pii" : true,"message":123456789,"#;
        let late_flag = r#"{"timestamp":"Ada Lovelace","level":"info","message":"m","pii":true,"#;
        for line in [entry.to_string(), format!("{entry}}} trailing"), format!("{entry},\"x\":"), late_flag.to_string()]
        {
            let hidden = parse_line(&line, false).unwrap_err();
            assert!(!hidden.contains("123456789") && !hidden.contains("Ada"), "{line}: {hidden}");
            assert!(hidden.contains("--show-pii"), "{hidden}");
        }
        assert!(!may_be_pii(r#"{"pii":false,"message":"\"pii\":true"}"#));
    }

    #[test]
    fn a_negative_zero_duration_is_zero() {
        let line = CALL.replace("\"duration_ms\":0.5", "\"duration_ms\":-0.0");
        let entry = parse_line(&line, false).unwrap();
        let millis = entry.request.map(|call| call.duration_ms).unwrap_or(f64::NAN);
        assert!(millis == 0.0 && millis.is_sign_positive(), "{millis}");
    }

    #[test]
    fn a_bad_line_flagged_false_says_what_is_wrong_whatever_escapes_it_holds() {
        // the library writes control characters as `\u001b`: such a line is still read
        let line = r#"{"pii":false,"timestamp":"Abc","level":"info","message":"m\u001b[31m"}"#;
        let error = parse_line(line, false).unwrap_err();
        assert!(error.starts_with("`timestamp`: `Abc` is not an RFC 3339 time"), "{error}");
        // an escaped key still counts, as does a flag that is not `false`
        for flags in [r#""p\u0069i":true"#, r#""pii":"yes""#, r#""pii":false,"p\u0069i":1"#] {
            let line = format!(r#"{{"timestamp":"Ada Lovelace","level":"info","message":"m\u0041",{flags}}}"#);
            let hidden = parse_line(&line, false).unwrap_err();
            assert!(!hidden.contains("Ada") && hidden.contains("--show-pii"), "{line}: {hidden}");
        }
    }

    #[test]
    fn keeps_what_is_wrong_with_the_first_bad_lines_and_counts_the_rest() {
        let parsed = parse_log("x\n".repeat(10_000).as_bytes(), false);
        assert_eq!((parsed.errors.len(), parsed.bad_lines), (BAD_LINES_KEPT, 10_000));
        assert_eq!(parsed.errors.last().map(|(line, _)| *line), Some(BAD_LINES_KEPT));
    }

    #[test]
    fn a_byte_order_mark_starting_any_line_is_skipped() {
        let log = format!("\u{feff}{CALL}\n\u{feff}{CALL}\n");
        let parsed = parse_log(log.as_bytes(), false);
        assert_eq!((parsed.entries.len(), parsed.bad_lines), (2, 0), "{:?}", parsed.errors);
    }

    #[test]
    fn reports_each_bad_line_and_skips_blank_ones() {
        let mut log = format!("{CALL}\n\n  \nnope\r\n").into_bytes();
        log.extend_from_slice(b"\xff\n");
        log.extend_from_slice(format!("{CALL}\r\n").as_bytes());
        let parsed = parse_log(&log, false);
        assert_eq!(parsed.entries.len(), 2);
        let lines: Vec<usize> = parsed.errors.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, [4, 5]);
        let parsed = parse_log(b"\xEF\xBB\xBF\n{\"a\xff\":1}\n", false);
        assert_eq!(parsed.errors, [(2, "not UTF-8 text (bad byte at column 4)".to_string())]);
    }

    #[test]
    fn columns_count_characters_as_an_editor_shows_them() {
        // `日本語😀` is 4 characters and 13 bytes
        let line = r#"{"level":"info","message":"日本語😀","x":}"#;
        assert_eq!(error_of(line), format!("not JSON: expected value (column {})", line.chars().count()));
        let bad_byte = [r#"{"message":"日本語 "#.as_bytes(), b"\xff\"}"].concat();
        assert_eq!(parse_log(&bad_byte, false).errors[0].1, "not UTF-8 text (bad byte at column 17)");
    }

    #[test]
    fn a_line_cut_inside_a_character_is_incomplete_as_one_cut_between_characters() {
        let line = CALL.replace("failed: x", "failed: 日本");
        let cut_at = line.find('本').unwrap();
        let in_character = parse_log(&line.as_bytes()[..cut_at + 1], false);
        let between = parse_log(&line.as_bytes()[..cut_at], false);
        assert_eq!(in_character.errors, between.errors);
        assert!(
            in_character.errors[0].1.starts_with("incomplete JSON: the line ends inside a string"),
            "{:?}",
            in_character.errors
        );
        // a bad byte before the end, or after a whole object, is no cut
        let after_object = [CALL.as_bytes(), b"\xE6"].concat();
        assert_eq!(
            parse_log(&after_object, false).errors[0].1,
            format!("not UTF-8 text (bad byte at column {})", CALL.len() + 1)
        );
    }

    /// A value of `Zq` text or the number 7319, in one of the JSON kinds, for a key
    /// that may expect another: neither marker is in any key or message of ours.
    fn marked_value() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            r#""Zq 12""#,
            r#""2024-05-01TZq""#,
            "7319",
            "-7319.5",
            r#"["Zq"]"#,
            r#"{"Zq":7319}"#,
            "true",
            "null",
        ])
        .prop_map(str::to_string)
    }

    /// A key of an entry, or of its request, where `marked_value` goes.
    fn marked_key() -> impl Strategy<Value = (bool, &'static str)> {
        let entry = ["timestamp", "level", "message", "fields", "request"].map(|key| (false, key));
        let call =
            ["api", "operation", "status", "duration_ms", "attempt", "error", "mocked", "url"].map(|key| (true, key));
        prop::sample::select([entry.as_slice(), call.as_slice()].concat())
    }

    proptest! {
        /// Any bytes are read line by line: each line is an entry, blank, or a bad line
        /// told by its number; nothing panics.
        #[test]
        fn any_bytes_are_read_line_by_line(
            bytes in prop_oneof![
                prop::collection::vec(any::<u8>(), 0..400),
                "[{}\\[\\]\":,.0-9a-z\\\\ \n\r\u{feff}é-]{0,400}".prop_map(String::into_bytes),
            ],
        ) {
            let parsed = parse_log(&bytes, false);
            let lines = bytes.split(|&byte| byte == b'\n').count();
            prop_assert!(parsed.entries.len() + parsed.bad_lines <= lines);
            prop_assert!(parsed.errors.len() == parsed.bad_lines.min(BAD_LINES_KEPT));
            for (line, message) in &parsed.errors {
                prop_assert!((1..=lines).contains(line) && !message.is_empty(), "line {line} of {lines}");
            }
        }

        /// A line flagged as personal data (however the flag is spelled, wherever it
        /// stands, and whether the line is whole, cut short or followed by text) never
        /// has its values quoted in an error without `--show-pii`.
        #[test]
        fn a_flagged_line_quotes_no_value_in_its_error(
            (nested, key) in marked_key(),
            value in marked_value(),
            flag in prop::sample::select(vec![r#""pii":true"#, r#""p\u0069i":true"#, r#""pii":true,"pii":false"#, r#""pii" : true"#]),
            flag_first in any::<bool>(),
            end in 0usize..3,
            cut in 0usize..200,
        ) {
            let request = |extra: &str| format!(r#""request":{{"api":"a","operation":"o","duration_ms":1{extra}}}"#);
            let mut pairs = vec![
                r#""timestamp":"2024-05-01T12:00:00Z""#.to_string(),
                r#""level":"info""#.to_string(),
                r#""message":"m""#.to_string(),
            ];
            if nested {
                pairs.push(request(&format!(r#","{key}":{value}"#)));
            } else {
                pairs.retain(|pair| !pair.starts_with(&format!(r#""{key}""#)));
                pairs.push(format!(r#""{key}":{value}"#));
            }
            if flag_first { pairs.insert(0, flag.to_string()) } else { pairs.push(flag.to_string()) }
            let whole = format!("{{{}}}", pairs.join(","));
            let flag_end = whole.find(flag).map(|at| at + flag.len()).unwrap_or(whole.len());
            let line = match end {
                0 => whole,
                1 => format!("{whole} trailing"),
                // cut short after the flag, as a crash may leave the last line
                _ => whole[..(flag_end + cut).min(whole.len() - 1)].to_string(),
            };
            if let Err(error) = parse_line(&line, false) {
                prop_assert!(!error.contains("Zq") && !error.contains("7319"), "{line}: {error}");
            }
        }
    }
}
