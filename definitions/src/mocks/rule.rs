//! One operation's mock rules: what each answers (`respond`, `fail`), how often
//! (`repeat`), for which calls (`when`) and after how long (`delay`).

use std::time::Duration;

use serde_json::Value;

use super::json::to_json;
use super::{
    MockBody, MockFailure, MockMatch, MockOutcome, MockResponse, MockRule, Repeat, FAILURES, RESPOND_KEYS, RULE_KEYS,
    STATUSES, WHEN_KEYS,
};
use crate::advice::placement::Level;
use crate::diagnostics::Collector;
use crate::headers::{is_header_name, not_a_header_name, value_holds_control, MAX_HEADER_NAME_BYTES};
use crate::model::{Operation, Span};
use crate::names::{did_you_mean_hint, list_alternatives, lowercase_alphanumerics};
use crate::read::{entries, parse_duration, text, Fields, ListOf};
use crate::yaml::{self, yaml11, Node, NodeKind, ScalarValue};

/// The rules of `op`; of an operation the definitions do not have (`None`), every
/// check but those of its path variables.
pub(super) fn read_rules(node: &Node, op: Option<&Operation>, path: &str, d: &mut Collector) -> Vec<MockRule> {
    let rules_list = ListOf {
        what: "a list of rules (`- respond: { status: 200 }`)",
        entry: "rule",
        keys: RULE_KEYS,
        named: false,
        level: Level::MockRule,
    };
    let items = &*entries(node, path, &rules_list, d);
    let rules: Vec<MockRule> =
        items.iter().enumerate().filter_map(|(i, rule)| read_rule(rule, op, &format!("{path}[{i}]"), d)).collect();
    // judged on the rules as written, so that a rule with another error still counts
    for (i, item) in items.iter().enumerate().take(items.len().saturating_sub(1)) {
        if let Some(span) = forever_span(item) {
            d.error(span, format!("`{path}[{i}].repeat` is `-1` (forever), so the rules after it never answer; `-1` is allowed only on the last rule (or on a rule with `when:`, conv-api's condition on a call, which leaves other calls to the rules after it)"));
        }
    }
    rules
}

/// Where a rule that answers every call says `repeat: -1`, if it does; a rule with
/// a condition under `when:` leaves the calls it does not match to the rules after it.
fn forever_span(rule: &Node) -> Option<Span> {
    if rule.value_of("when").is_some_and(has_condition) {
        return None;
    }
    let value = rule.value_of("repeat")?;
    // the value, as `repeat` is read: `-01` is forever too
    value.as_scalar().is_some_and(|repeat| yaml11::value(repeat) == ScalarValue::Integer(-1)).then_some(value.span)
}

/// Whether a rule's `when:` holds a condition, as [`MockMatch::matches_every_call`]
/// says of it read: `when: {}`, `when: { headers: {} }` or `when:` with nothing
/// under it match every call, as a rule without `when:` does.
fn has_condition(when: &Node) -> bool {
    let NodeKind::Mapping(conditions) = &when.kind else { return false };
    conditions.iter().any(|(key, value)| match &value.kind {
        // a body to match, `{}` too, asks for a JSON object body
        NodeKind::Mapping(_) if key.as_scalar().is_some_and(|key| key.text == "body") => true,
        NodeKind::Mapping(entries) => !entries.is_empty(),
        NodeKind::Sequence(_) => true,
        NodeKind::Scalar(scalar) => scalar.value() != ScalarValue::Null,
    })
}

fn read_rule(node: &Node, op: Option<&Operation>, path: &str, d: &mut Collector) -> Option<MockRule> {
    let mut fields = Fields::of_like(node, path, "- respond: { status: 200, body: { id: 1 } }", d)?;
    fields.check_keys(RULE_KEYS, Level::MockRule, path, d);
    let outcome = match (fields.present("respond"), fields.present("fail")) {
        (Some(respond), None) => read_response(respond, &format!("{path}.respond"), d).map(MockOutcome::Respond),
        (None, Some(fail)) => read_failure(fail, &format!("{path}.fail"), d).map(MockOutcome::Fail),
        (Some(respond), Some(fail)) => {
            d.error(fields.span, format!("`{path}` has both `respond` and `fail`; a rule does one or the other"));
            // each still read, so that removing either shows no error that was there all along
            read_response(respond, &format!("{path}.respond"), d);
            read_failure(fail, &format!("{path}.fail"), d);
            None
        }
        (None, None) => {
            // `respond:` (or `fail:`) with nothing under it is there, but empty
            let empty = ["respond", "fail"].into_iter().find_map(|key| Some((key, fields.key_span(key)?)));
            let message = match empty {
                Some(("fail", _)) => {
                    format!("`{path}.fail` is empty; write `fail: timeout` or `fail: connection`")
                }
                Some(_) => {
                    format!("`{path}.respond` is empty; give it a status, like `respond: {{ status: 200 }}`")
                }
                None => format!("`{path}.respond` is missing; add it, like `respond: {{ status: 200 }}`"),
            };
            // a response's key written beside `respond:` is told where it goes; that is the fix
            let response_key_here = RESPOND_KEYS.iter().any(|key| fields.key_span(key).is_some());
            if empty.is_some() || !response_key_here {
                d.error(empty.map_or(fields.span, |(_, span)| span), message);
            }
            None
        }
    };
    let when = fields.present("when").and_then(|n| read_when(n, op, &format!("{path}.when"), d));
    let delay = fields.present("delay").and_then(|n| duration(n, &format!("{path}.delay"), d));
    let repeat = match fields.present("repeat") {
        Some(n) => read_repeat(n, &format!("{path}.repeat"), d)?,
        None => Repeat::Times(1),
    };
    Some(MockRule { when, outcome: outcome?, delay, repeat, span: fields.span })
}

fn read_response(node: &Node, path: &str, d: &mut Collector) -> Option<MockResponse> {
    // `respond: 200`: the status alone
    if let Some(ScalarValue::Integer(written)) = node.as_scalar().map(yaml11::value) {
        let status = u16::try_from(written).ok().filter(|status| STATUSES.contains(status)).unwrap_or(200);
        d.error(
            node.span,
            format!("`{path}` must be a mapping (`key: value` lines), found a number; a status goes under `status:`, like `respond: {{ status: {status} }}`"),
        );
        return None;
    }
    let mut fields = Fields::of_like(node, path, "respond: { status: 200, body: { id: 1 } }", d)?;
    fields.check_keys(RESPOND_KEYS, Level::MockResponse, path, d);
    let status =
        fields.required("status", path, "status: 200", d).and_then(|n| status(n, &format!("{path}.status"), d));
    let body = fields.get("body").map(|n| to_json(n, &format!("{path}.body"), d));
    // read whatever the body holds: their errors are reported with the body's
    let headers = fields.present("headers").map(|n| response_headers(n, &format!("{path}.headers"), d));
    let body = match body {
        Some(json) => Some(MockBody::Json(json?)),
        None => None,
    };
    if let (Some(MockBody::Json(Value::String(text))), Some(node)) = (&body, fields.get("body")) {
        let content_type = headers.iter().flatten().find(|(name, _)| name.eq_ignore_ascii_case("content-type"));
        if content_type.is_none_or(|(_, value)| value.to_ascii_lowercase().contains("json")) && is_json_text(text) {
            d.warning(node.span, format!("`{path}.body` is JSON written as text, so the response's body is one JSON string, not that JSON; remove the quotes (or the `|`) around it: JSON is YAML, so the body is then read as the JSON itself"));
        }
    }
    Some(MockResponse { status: status?, body, headers: headers.unwrap_or_default() })
}

/// Whether `text` is a JSON object or array.
fn is_json_text(text: &str) -> bool {
    let trimmed = text.trim_start();
    (trimmed.starts_with('{') || trimmed.starts_with('['))
        && serde_json::from_str::<Value>(trimmed).is_ok_and(|value| value.is_object() || value.is_array())
}

/// The headers of a mock response: names HTTP allows, values without control
/// characters, so that a rule that loads can always answer.
fn response_headers(node: &Node, path: &str, d: &mut Collector) -> Vec<(String, String)> {
    let Some(fields) = Fields::of_like(node, path, "headers: { content-type: application/json }", d) else {
        return Vec::new();
    };
    let mut headers = Vec::with_capacity(fields.entries.len());
    for &(name, name_node, value_node) in &fields.entries {
        // the name and the value each checked, so that one run tells both
        let value = match read_as_other_than_text(value_node) {
            Some((what, written)) => {
                d.error(
                    value_node.span,
                    format!("`{path}.{name}` must be text, found `{written}`, which the ADK's YAML reads as {what}; quote it: `{name}: \"{written}\"`"),
                );
                None
            }
            None => given_text(name_node, value_node, &format!("{path}.{name}"), d),
        };
        let name_is_valid = is_header_name(name);
        if !name_is_valid {
            // a name too long to send is too long to quote
            let named = if name.len() > MAX_HEADER_NAME_BYTES { "a header name".into() } else { format!("`{name}`") };
            d.error(name_node.span, format!("`{path}` has {named}, which {}", not_a_header_name(name)));
        }
        let Some(value) = value else { continue };
        if value_holds_control(value) {
            d.error(
                value_node.span,
                format!("`{path}.{name}` holds a control character (CR, LF ...), which is not valid in an HTTP header; remove it"),
            );
        } else if name_is_valid {
            headers.push((name.to_string(), value.to_string()));
        }
    }
    headers
}

/// What a header value written unquoted is read as, when PyYAML, and so the ADK,
/// reads it as no text (`5`, `yes`, `2024-01-31`), and as what it is written.
fn read_as_other_than_text(node: &Node) -> Option<(&'static str, &str)> {
    let scalar = node.as_scalar()?;
    if scalar.looks_like_date() {
        return Some(("a date", &scalar.text));
    }
    // an integer past 64 bits, which PyYAML reads as any other
    if yaml11::wide_integer(scalar).is_some() {
        return Some(("a number", &scalar.text));
    }
    match yaml11::value(scalar) {
        ScalarValue::Bool(_) => Some(("a boolean", &scalar.text)),
        ScalarValue::Integer(_) | ScalarValue::Float(_) => Some(("a number", &scalar.text)),
        ScalarValue::Null | ScalarValue::String(_) => None,
    }
}

/// A status, typed as PyYAML, and so the ADK, types it (`0310` is octal).
fn status(node: &Node, path: &str, d: &mut Collector) -> Option<u16> {
    match node.as_scalar().map(yaml11::value) {
        Some(ScalarValue::Integer(n)) if u16::try_from(n).is_ok_and(|n| STATUSES.contains(&n)) => Some(n as u16),
        _ => {
            let unquote = unquote_hint(node, |text| text.parse().is_ok_and(|status| STATUSES.contains(&status)));
            d.error(
                node.span,
                format!("`{path}` must be an HTTP status from 100 to 599, found {}{unquote}", node.found()),
            );
            None
        }
    }
}

fn read_failure(node: &Node, path: &str, d: &mut Collector) -> Option<MockFailure> {
    if node.as_scalar().is_none() {
        let choices = list_alternatives(FAILURES.iter().copied());
        d.error(
            node.span,
            format!(
                "`{path}` must be {choices}, found {}; write `fail: timeout` or `fail: connection`",
                node.describe()
            ),
        );
        return None;
    }
    let word = text(node, path, d)?;
    match word {
        "timeout" => Some(MockFailure::Timeout),
        "connection" => Some(MockFailure::Connection),
        _ => {
            let hint = did_you_mean_hint(word, FAILURES.iter().copied());
            d.error(
                node.span,
                format!(
                    "`{path}` is `{word}`; {hint}a rule can fail with {}",
                    list_alternatives(FAILURES.iter().copied())
                ),
            );
            None
        }
    }
}

/// A count of calls, typed as PyYAML, and so the ADK, types it (`010` is 8, `1_000`
/// is 1000), up to `u64::MAX`, or `-1` for forever.
fn read_repeat(node: &Node, path: &str, d: &mut Collector) -> Option<Repeat> {
    let too_many = |text: &str| {
        format!("`{path}` is `{text}`, more calls than can be counted (at most {}); `-1` answers forever", u64::MAX)
    };
    let message = match node.as_scalar().map(|scalar| (scalar, yaml11::value(scalar))) {
        Some((_, ScalarValue::Integer(-1))) => return Some(Repeat::Forever),
        Some((_, ScalarValue::Integer(n))) if n >= 1 => return Some(Repeat::Times(n.unsigned_abs())),
        // a count past `i64`, which the YAML 1.1 reader gives as a wide integer
        Some((scalar, _)) => match yaml11::wide_integer(scalar) {
            Some(Some(wide)) if wide > 0 => match u64::try_from(wide) {
                Ok(times) => return Some(Repeat::Times(times)),
                Err(_) => too_many(&scalar.text),
            },
            Some(None) if !scalar.text.starts_with('-') => too_many(&scalar.text),
            _ => not_a_count(node, path),
        },
        None => not_a_count(node, path),
    };
    d.error(node.span, message);
    None
}

fn not_a_count(node: &Node, path: &str) -> String {
    let unquote = unquote_hint(node, |text| text.parse::<i64>().is_ok_and(|count| count >= 1 || count == -1));
    // `repeat: forever`: the word for what `-1` says
    let forever = node.as_scalar().map(|scalar| lowercase_alphanumerics(&scalar.text));
    let fix = match forever.as_deref() {
        Some("forever" | "always" | "infinite" | "infinity" | "unlimited" | "inf") => "; write `-1` for forever",
        _ => "",
    };
    format!("`{path}` must be a number of calls, 1 or more, or `-1` for forever, found {}{unquote}{fix}", node.found())
}

/// For a value in quotes (`"200"`), text to the ADK too, whose text `valid` takes:
/// how to write it.
fn unquote_hint(node: &Node, valid: impl Fn(&str) -> bool) -> String {
    match node.as_scalar() {
        Some(scalar) if !scalar.plain && valid(&scalar.text) => format!("; write `{}` without the quotes", scalar.text),
        _ => String::new(),
    }
}

fn read_when(node: &Node, op: Option<&Operation>, path: &str, d: &mut Collector) -> Option<MockMatch> {
    let mut fields = Fields::of(node, path, d)?;
    fields.check_keys(WHEN_KEYS, Level::MockCondition, path, d);
    let pairs = |key: &str, d: &mut Collector| fields.present(key).map(|n| text_pairs(n, &format!("{path}.{key}"), d));
    let variables = fields.present("path").map(|n| path_variables(n, op, &format!("{path}.path"), d));
    let query_string = fields.present("query").and_then(|n| Some((n.span, query_string_mapping(n)?)));
    let query = match query_string {
        Some((at, (written, mapping))) => {
            d.error(at, format!("`{path}.query` is `{written}`, a query string; a condition's query is a mapping of its parameters: write `query: {mapping}`"));
            None
        }
        None => pairs("query", d),
    };
    let headers = pairs("headers", d);
    let body = match fields.get("body") {
        Some(n) => Some(to_json(n, &format!("{path}.body"), d)?),
        None => None,
    };
    Some(MockMatch {
        path: variables.unwrap_or_default(),
        query: query.unwrap_or_default(),
        headers: headers.unwrap_or_default(),
        body,
    })
}

/// A condition's `query` written as a URL's query string (`party=2&size=4`, with or
/// without its `?`): the text as written and the mapping to write in its place.
fn query_string_mapping(node: &Node) -> Option<(&str, String)> {
    let written = node.as_scalar().map(|scalar| scalar.text.as_str()).filter(|text| text.len() <= 200)?;
    let parameters: Option<Vec<(&str, &str)>> =
        written.strip_prefix('?').unwrap_or(written).split('&').map(|pair| pair.split_once('=')).collect();
    let entries: Vec<String> = parameters?
        .into_iter()
        .map(|(name, value)| {
            let is_name = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'));
            is_name.then(|| format!("{name}: {}", yaml::quoted(value)))
        })
        .collect::<Option<_>>()?;
    Some((written, format!("{{ {} }}", entries.join(", "))))
}

/// The path variables a rule matches on; a name the operation does not have is an
/// error at its key (none of an unknown operation's: it has one error already), and
/// a value no call's path variable can have (null, or one a call is refused for:
/// empty, `.` or `..`), at the value.
fn path_variables(node: &Node, op: Option<&Operation>, path: &str, d: &mut Collector) -> Vec<(String, String)> {
    let Some(fields) = Fields::of(node, path, d) else { return Vec::new() };
    let Some(op) = op else { return pairs_of(&fields, path, d) };
    let mut pairs = Vec::with_capacity(fields.entries.len());
    for &(name, key, value) in fields.entries.iter() {
        if let Some(problem) = super::unknown_path_variable(op, name) {
            d.error(key.span, format!("`{path}.{name}`: {problem}"));
        }
        let value_path = format!("{path}.{name}");
        let fix = format!("write the value to match, like `{name}: \"42\"`");
        if value.as_scalar().is_some_and(|scalar| scalar.value() == ScalarValue::Null) {
            d.error(
                value.span,
                format!("`{value_path}` is null, which no call's path variable is; {fix}, or remove it"),
            );
            continue;
        }
        let Some(text) = text(value, &value_path, d) else { continue };
        if let Some(problem) = super::unmatchable_path_value(op, name, text) {
            d.error(value.span, format!("`{value_path}` {problem}; {fix}"));
            continue;
        }
        pairs.push((name.to_string(), text.to_string()));
    }
    pairs
}

/// A mapping of names to scalar texts (numbers and booleans as written).
fn text_pairs(node: &Node, path: &str, d: &mut Collector) -> Vec<(String, String)> {
    Fields::of(node, path, d).map_or_else(Vec::new, |fields| pairs_of(&fields, path, d))
}

/// The text at `path`, a header's or query parameter's value; null (`~`, or nothing
/// after the key) is no text, which the ADK's YAML reads as `None`, not as `"null"`.
fn given_text<'n>(key: &Node, node: &'n Node, path: &str, d: &mut Collector) -> Option<&'n str> {
    if let Some(scalar) = node.as_scalar().filter(|scalar| scalar.value() == ScalarValue::Null) {
        // a value left out (`x-id:`) is told at its key, where something is written
        let at = if scalar.text.is_empty() { key.span } else { node.span };
        d.error(at, format!("`{path}` is null, not text; write `\"\"` for an empty value, or remove it"));
        return None;
    }
    text(node, path, d)
}

/// The entries of `fields` (at `path`) as name and text pairs.
fn pairs_of(fields: &Fields<'_>, path: &str, d: &mut Collector) -> Vec<(String, String)> {
    fields
        .entries
        .iter()
        .filter_map(|&(key, key_node, value)| {
            let value = given_text(key_node, value, &format!("{path}.{key}"), d)?;
            Some((key.to_string(), value.to_string()))
        })
        .collect()
}

fn duration(node: &Node, path: &str, d: &mut Collector) -> Option<Duration> {
    let written = text(node, path, d)?;
    parse_duration(written).map_err(|problem| d.error(node.span, format!("`{path}` is `{written}`: {problem}"))).ok()
}
