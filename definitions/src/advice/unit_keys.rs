//! Keys that carry their value's unit or count in their name, as other tools write
//! them (`timeout_ms: 500`, `retries: 3`): the key and value of this format they
//! mean, written out whole, where a "did you mean `timeout`?" would lose the unit
//! and `attempts` would be off by one.

use crate::advice::placement::Level;
use crate::model::MAX_ATTEMPTS;
use crate::names::{lowercase_alphanumerics, SUGGESTED_UP_TO};
use crate::read::parse_duration;
use crate::yaml::{Node, ScalarValue};

/// A timeout's key with its unit, as [`lowercase_alphanumerics`] gives it, and the unit.
const TIMEOUT_UNITS: &[(&str, &str)] = &[
    ("timeoutms", "ms"),
    ("timeoutmillis", "ms"),
    ("timeoutmilliseconds", "ms"),
    ("timeoutinms", "ms"),
    ("timeoutsec", "s"),
    ("timeoutsecs", "s"),
    ("timeoutseconds", "s"),
    ("timeoutins", "s"),
    ("timeoutmin", "m"),
    ("timeoutmins", "m"),
    ("timeoutminutes", "m"),
];

/// Keys that count the retries after the first attempt.
const RETRY_COUNTS: &[&str] = &["retries", "maxretries", "retrycount", "numretries", "retrylimit", "maxretry"];

/// Keys that count attempts, the first included, as a `retry:` block's `attempts` does.
const ATTEMPT_COUNTS: &[&str] = &["maxattempts", "attemptcount", "numattempts"];

/// The most attempts `attempts` takes.
const MOST: i64 = MAX_ATTEMPTS as i64;

/// How to write `key: value`, unknown at `level`, when its key names a unit or a
/// count: the end of its error. None for another key, or a value that could not be
/// written so (the key's usual error then says what is wrong).
pub(crate) fn rewritten(level: Level, key: &str, value: &Node) -> Option<String> {
    if key.len() > SUGGESTED_UP_TO {
        return None;
    }
    let word = lowercase_alphanumerics(key);
    let on_api_or_operation = matches!(level, Level::Api | Level::Operation);
    if let Some(&(_, unit)) = TIMEOUT_UNITS.iter().find(|(timeout, _)| *timeout == word) {
        return on_api_or_operation.then(|| timeout(value, unit)).flatten();
    }
    let count = match value.as_scalar()?.value() {
        ScalarValue::Integer(count) if count >= 0 => count,
        _ => return None,
    };
    if ATTEMPT_COUNTS.contains(&word.as_str()) && on_api_or_operation && (1..=MOST).contains(&count) {
        return Some(format!("attempts are counted in `retry:`: write `retry: {{ attempts: {count} }}`"));
    }
    match RETRY_COUNTS.contains(&word.as_str()) {
        true => attempts_for_retries(level, count),
        false => None,
    }
}

/// How to write `retries: count` at `level` as the attempts it means.
fn attempts_for_retries(level: Level, count: i64) -> Option<String> {
    let written = |attempts: i64| match level {
        Level::Retry => Some(format!("attempts: {attempts}")),
        Level::Api | Level::Operation => Some(format!("retry: {{ attempts: {attempts} }}")),
        _ => None,
    };
    let retries = match count {
        0 => "no retry after the first attempt is".to_string(),
        1 => "1 retry after the first attempt is".to_string(),
        _ => format!("{count} retries after the first attempt are"),
    };
    match count.saturating_add(1) {
        1 => Some(format!("{retries} 1 attempt in all, as this format counts them: write `{}`", written(1)?)),
        attempts if attempts <= MOST => Some(format!(
            "{retries} {attempts} attempts in all, as this format counts them: write `{}`",
            written(attempts)?
        )),
        _ => Some(format!(
            "this format counts attempts in all, the first included, up to {MOST} ({} retries): write `{}` for the most",
            MOST - 1,
            written(MOST)?
        )),
    }
}

/// `timeout: <value><unit>`, when `value` is a number that makes a valid duration so.
fn timeout(value: &Node, unit: &str) -> Option<String> {
    let number = match value.as_scalar()?.value() {
        ScalarValue::Integer(_) | ScalarValue::Float(_) => value.as_scalar()?.text.clone(),
        _ => return None,
    };
    let duration = format!("{number}{unit}");
    parse_duration(&duration).ok()?;
    Some(format!("the unit goes with the number in this format: write `timeout: {duration}`"))
}
