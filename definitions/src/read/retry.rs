//! Timeouts and retry settings: durations (`250ms`, `8s`, `1m`) and attempts.

use std::time::Duration;

use super::fields::{scalar_text, Fields};
use crate::advice::placement::Level;
use crate::diagnostics::Collector;
use crate::model::*;
use crate::names::lowercase_alphanumerics;
use crate::yaml::{Node, ScalarValue};

pub(crate) const RETRY_KEYS: &[&str] = &["attempts", "base_delay", "max_delay"];

/// How to write what `retry: 3`, `retry: true` or `retry: false` means.
fn retry_scalar_fix(value: ScalarValue) -> Option<String> {
    let attempts = DEFAULT_RETRY.attempts;
    match value {
        ScalarValue::Integer(count @ 1..=10) => {
            let retries = match count {
                1 => "never retries".to_string(),
                2 => "is the first and 1 retry".to_string(),
                _ => format!("is the first and {} retries", count - 1),
            };
            Some(format!("write `retry: {{ attempts: {count} }}`: attempts in all, the first included ({count} {retries})"))
        }
        ScalarValue::Bool(true) => Some(format!(
            "calls are retried where it is safe by default ({attempts} attempts): remove it, or write `retry: {{ attempts: 5 }}` for more"
        )),
        ScalarValue::Bool(false) | ScalarValue::Integer(0) => {
            Some("to never retry, write `retry: { attempts: 1 }`".to_string())
        }
        _ => None,
    }
}

pub(super) fn retry(node: &Node, path: &str, outer: Option<&RetrySettings>, d: &mut Collector) -> RetrySettings {
    if let Some(fix) = node.as_scalar().and_then(|scalar| retry_scalar_fix(scalar.value())) {
        d.error(
            node.span,
            format!("`{path}` must be a mapping (`key: value` lines), found `{}`; {fix}", scalar_text(node)),
        );
        return RetrySettings::default();
    }
    let Some(mut fields) = Fields::of(node, path, d) else { return RetrySettings::default() };
    told_of_strategy(&mut fields, path, d);
    fields.check_keys(RETRY_KEYS, Level::Retry, path, d);
    let attempts = fields.present("attempts").and_then(|n| attempts(n, &format!("{path}.attempts"), d));
    let base_delay = fields.present("base_delay").and_then(|n| duration(n, &format!("{path}.base_delay"), d));
    let max_delay = fields.present("max_delay").and_then(|n| duration(n, &format!("{path}.max_delay"), d));
    let outer = outer.copied().unwrap_or_default();
    // a block that sets neither delay leaves a wrong pair to the level that wrote it;
    // one whose delay has an error of its own is compared once that is mended
    let sets_a_delay = base_delay.is_some() || max_delay.is_some();
    let has_wrong_delay = (fields.present("base_delay").is_some() && base_delay.is_none())
        || (fields.present("max_delay").is_some() && max_delay.is_none());
    let pair = (base_delay.or(outer.base_delay), max_delay.or(outer.max_delay));
    if let (true, false, (Some(base), Some(max))) = (sets_a_delay, has_wrong_delay, pair) {
        if max < base {
            // as written where written here (a duration past `u64::MAX` µs is stored as that)
            let shown = |key: &str, value: Duration| match fields.present(key) {
                Some(node) => scalar_text(node),
                None => duration_text(value),
            };
            let (max, base) = (shown("max_delay", max), shown("base_delay", base));
            // at the value that is out of order
            let (span, message) = match fields.present("max_delay").map(|value| value.span) {
                Some(span) if base_delay.is_some() => (
                    span,
                    format!("`{path}.max_delay` ({max}) is less than `base_delay` ({base}); make `max_delay` at least `base_delay`"),
                ),
                // only `max_delay` is written here: the base comes from the API's `retry`
                Some(span) => (
                    span,
                    format!("`{path}.max_delay` ({max}) is less than the API's `base_delay` ({base}); make `max_delay` at least `base_delay`, or set `base_delay` here too"),
                ),
                // only `base_delay` is written here: the cap comes from the API's `retry`
                None => (
                    fields.present("base_delay").map_or(node.span, |value| value.span),
                    format!("`{path}.base_delay` ({base}) is more than the API's `max_delay` ({max}); make `base_delay` at most `max_delay`, or set `max_delay` here too"),
                ),
            };
            d.error(span, message);
        }
    }
    RetrySettings { attempts, base_delay, max_delay }
}

fn attempts(node: &Node, path: &str, d: &mut Collector) -> Option<u32> {
    match node.as_scalar().map(|s| s.value()) {
        Some(ScalarValue::Integer(n)) if (1..=i64::from(MAX_ATTEMPTS)).contains(&n) => Some(n as u32),
        found => {
            // `3.0`: a count is written without a fraction
            let fix = match found {
                Some(ScalarValue::Float(n)) if n.fract() == 0.0 && (1.0..=f64::from(MAX_ATTEMPTS)).contains(&n) => {
                    format!("; write `{n}`")
                }
                _ => String::new(),
            };
            d.error(
                node.span,
                format!(
                    "`{path}` must be a whole number from 1 to {MAX_ATTEMPTS} (attempts in all, 1 = never retry), found {}{fix}",
                    node.found()
                ),
            );
            None
        }
    }
}

/// Past this, a timeout or delay is a slip of the number or unit (`600000s` for `600000ms`).
const LONGEST_LIKELY: Duration = Duration::from_secs(60 * 60);

/// A duration written as a number and a unit: `250ms`, `8s`, `1m`, `1.5s`; one
/// longer than an hour is warned of.
pub(super) fn duration(node: &Node, path: &str, d: &mut Collector) -> Option<Duration> {
    let written = scalar_text(node);
    match parse_duration(&written) {
        Ok(duration) if duration > LONGEST_LIKELY => {
            d.warning(node.span, format!("`{path}` is `{written}`, longer than an hour, which no conversation waits for a call: check its number and unit (`ms`, `s` or `m`)"));
            Some(duration)
        }
        Ok(duration) => Some(duration),
        Err(problem) => {
            d.error(node.span, format!("`{path}` is `{written}`: {problem}"));
            None
        }
    }
}

/// A backoff strategy other tools choose (`backoff: exponential`), which is no
/// duration: told once, that the backoff is always exponential with full jitter, and
/// taken out of `fields`, so no "did you mean `base_delay`" follows.
fn told_of_strategy(fields: &mut Fields<'_>, path: &str, d: &mut Collector) {
    const STRATEGIES: [&str; 6] = ["exponential", "linear", "constant", "fixed", "jitter", "fulljitter"];
    fields.entries.retain(|&(key, _, value)| {
        let word = value.as_scalar().map(|scalar| lowercase_alphanumerics(&scalar.text)).unwrap_or_default();
        if !STRATEGIES.iter().any(|strategy| word.starts_with(strategy)) || RETRY_KEYS.contains(&key) {
            return true;
        }
        let key = crate::one_line(key);
        d.error(
            value.span,
            format!("`{path}.{key}` chooses a backoff strategy, but retries here always back off exponentially with full jitter, from `base_delay` up to `max_delay`: remove `{key}`"),
        );
        false
    });
}

/// `text` as a duration when it is one in ISO 8601 of hours, minutes and seconds, in
/// that order (`PT30S`, `PT1M30S`, `PT0.5S`), as OpenAPI and Java configs write one,
/// of a whole microsecond or more.
fn iso_8601(text: &str) -> Option<Duration> {
    let mut rest = text.strip_prefix("PT").or_else(|| text.strip_prefix("pt"))?;
    let mut micros = 0.0;
    // the units still allowed, each after the one before it
    let mut units: &[(char, f64)] = &[('H', 3_600e6), ('M', 60e6), ('S', 1e6)];
    while !rest.is_empty() {
        let split = rest.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
        let (number, after) = rest.split_at(split);
        let value: f64 = number.parse().ok()?;
        let unit = after.chars().next()?.to_ascii_uppercase();
        let at = units.iter().position(|&(name, _)| name == unit)?;
        micros += value * units[at].1;
        units = &units[at + 1..];
        rest = &after[1..];
    }
    let micros = micros.round();
    // past `u64::MAX` µs is no duration to suggest
    (1.0..1.8e19).contains(&micros).then(|| Duration::from_micros(micros as u64))
}

/// Parses `250ms`, `8s`, `1m` or `1.5s`.
///
/// # Errors
///
/// What is wrong and how to write it, when `text` has whitespace around it, no number
/// that reads as one, a unit other than `ms`, `s` and `m` (or none), or is negative,
/// zero or less than a microsecond.
///
/// ```
/// use conv_api_definitions::parse_duration;
/// use std::time::Duration;
/// assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
/// assert!(parse_duration("0s").is_err());
/// assert!(parse_duration("0.0001ms").is_err());
/// assert!(parse_duration(" 8s").is_err());
/// assert!(parse_duration("PT30S").unwrap_err().contains("write `30s`"));
/// ```
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    const FORM: &str = "write a number and a unit, `ms`, `s` or `m` (like `250ms`, `8s`, `1m`)";
    if text.trim() != text {
        return Err(format!("remove the space, tab or line break around it; {FORM}"));
    }
    if let Some(duration) = iso_8601(text) {
        let written = duration_text(duration);
        return Err(format!("this is an ISO 8601 duration, which this format does not read; write `{written}`"));
    }
    if let Some(magnitude) = text.strip_prefix('-') {
        // `-0s` is zero, not negative
        let zero = magnitude.starts_with(|c: char| c.is_ascii_digit())
            && !magnitude.trim_start_matches(['0', '.']).starts_with(|c: char| c.is_ascii_digit());
        let problem = if zero { "a duration must be more than zero; " } else { "negative durations are not allowed; " };
        return Err(problem.to_string() + FORM);
    }
    let split = text.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    // `1e3ms`, `1_000ms`, `0x10s`: the number is written as Rust or YAML integers may be
    let plain = "write the number in plain decimal digits, with a `.` for a fraction (no exponent, `_` or `0x`)";
    if unit.contains(|c: char| c.is_ascii_digit()) {
        return Err(format!("{plain}; {FORM}"));
    }
    let Ok(value) = number.parse::<f64>() else { return Err(FORM.to_string()) };
    let millis = match unit {
        "ms" => value,
        "s" => value * 1_000.0,
        "m" => value * 60_000.0,
        // `timeout: 30000`: so many seconds is hours, so milliseconds are meant
        "" if value >= 1_000.0 => {
            let seconds = match value % 1_000.0 == 0.0 {
                true => format!(", that is `{}s`", value / 1_000.0),
                false => String::new(),
            };
            return Err(format!(
                "a duration needs a unit; a number this large is likely milliseconds: write `{number}ms`{seconds}"
            ));
        }
        // `timeout: 5`: the unit meant is most likely seconds
        "" if value > 0.0 => {
            return Err(format!(
                "a duration needs a unit; write `{number}s` for seconds or `{number}ms` for milliseconds"
            ))
        }
        "" => return Err(format!("a duration needs a unit; {FORM}")),
        // `10 s`; `0 s` is zero first
        _ if matches!(unit.trim_start(), "ms" | "s" | "m") => {
            return Err(match value > 0.0 {
                true => format!("remove the space before the unit: write `{number}{}`", unit.trim_start()),
                false => format!("a duration must be more than zero; {FORM}"),
            });
        }
        _ => return Err(format!("`{unit}` is not a unit; {FORM}")),
    };
    // Rounded to whole microseconds first, so `0.0001ms` is zero too; a duration
    // longer than `u64::MAX` microseconds (584,000 years) is that long.
    let micros = (millis * 1_000.0).round();
    if micros < 1.0 {
        let problem = if value > 0.0 {
            "a duration is counted in whole microseconds, and this one rounds to none: it must be at least `0.001ms` (`0.0005ms` rounds up to it); "
        } else {
            "a duration must be more than zero; "
        };
        return Err(problem.to_string() + FORM);
    }
    Ok(Duration::from_micros(micros as u64))
}

/// `duration` as it could be written: `2m`, `5s`, `250ms`, or `0.5ms` below a millisecond.
pub(crate) fn duration_text(duration: Duration) -> String {
    let micros = duration.as_micros();
    if micros.is_multiple_of(60_000_000) {
        format!("{}m", micros / 60_000_000)
    } else if micros.is_multiple_of(1_000_000) {
        format!("{}s", micros / 1_000_000)
    } else if micros.is_multiple_of(1_000) {
        format!("{}ms", micros / 1_000)
    } else {
        let fraction = format!("{:03}", micros % 1_000);
        format!("{}.{}ms", micros / 1_000, fraction.trim_end_matches('0'))
    }
}
