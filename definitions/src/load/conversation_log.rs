//! A conversation's log given for a definitions file: said so, instead of the
//! errors its lines would get read as YAML.

use serde_json::{Map, Value};

use crate::{Diagnostic, Span};

/// What is said of a conversation's log given for a definitions file.
pub(crate) const LOG_GIVEN: &str = "this is a conversation log (one JSON entry a line, as `Log::to_jsonl` writes it), not a definitions file; show it with `conv-api review LOG`";

/// The error for `bytes` (of a file, or its first bytes) when they are a
/// conversation's log: its first line an entry, a JSON object with a `timestamp`, a
/// `level` and a `message`, and no `api_integrations`.
pub(crate) fn given_for_definitions(bytes: &[u8]) -> Option<Diagnostic> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let first = bytes.split(|&byte| byte == b'\n').find(|line| !line.trim_ascii().is_empty())?;
    let line = std::str::from_utf8(first.trim_ascii()).ok()?;
    // no JSON parse for a file that cannot be a log
    if !line.starts_with('{') || !line.contains("\"timestamp\"") {
        return None;
    }
    let entry: Map<String, Value> = serde_json::from_str(line).ok()?;
    let is_entry = ["timestamp", "level", "message"].iter().all(|key| entry.contains_key(*key))
        && !entry.contains_key("api_integrations");
    is_entry.then(|| Diagnostic::error(Span::new(1, 1), LOG_GIVEN))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENTRY: &str = r#"{"timestamp":"2026-11-30T12:00:00.000Z","level":"info","message":"m","pii":false}"#;

    #[test]
    fn a_log_is_known_by_its_first_entry() {
        assert!(given_for_definitions(format!("{ENTRY}\n{ENTRY}\n").as_bytes()).is_some());
        assert!(given_for_definitions(format!("\u{feff}\n  {ENTRY}").as_bytes()).is_some());
        let spaced = r#"{ "timestamp": "t", "level": "info", "message": "m", "fields": {"api_integrations": 1} }"#;
        assert!(given_for_definitions(spaced.as_bytes()).is_some(), "a field's own key is no file's");
    }

    #[test]
    fn definitions_in_json_are_no_log() {
        let definitions = r#"{"timestamp":1,"level":2,"message":3,"api_integrations":[]}"#;
        assert!(given_for_definitions(definitions.as_bytes()).is_none());
        assert!(given_for_definitions(b"api_integrations: []\n").is_none());
        assert!(given_for_definitions(br#"{"timestamp": 1, "level": "#).is_none(), "not JSON");
    }
}
