//! A mock body as JSON: YAML typed as PyYAML types it, keys written as Python's
//! `json.dumps` writes them, so the agent gets the JSON an ADK test gives it.

use std::collections::HashMap;

use serde_json::Value;

use crate::diagnostics::Collector;
use crate::model::Span;
use crate::yaml::{yaml11, Node, NodeKind, ScalarValue};

/// The JSON text of a mapping key written `key`: typed as PyYAML types it, then
/// written as Python's `json.dumps` writes a key of that type (`yes` is `"true"`,
/// `0x10` is `"16"`, `~` is `"null"`, `1.0e+20` is `"1e+20"`).
fn json_key(key: &str, node: &Node) -> String {
    let Some(scalar) = node.as_scalar() else { return key.to_string() };
    match yaml11::value(scalar) {
        ScalarValue::Null => "null".to_string(),
        ScalarValue::Bool(b) => b.to_string(),
        ScalarValue::Integer(n) => n.to_string(),
        ScalarValue::Float(f) => python_float_text(f),
        ScalarValue::String(text) => match yaml11::wide_integer(scalar) {
            Some(Some(n)) => n.to_string(),
            _ => text.to_string(),
        },
    }
}

/// A key of a mock body's mapping as read: its text and how it is written, where,
/// its JSON key, and whether a merge (`<<`) brought it, which an explicit key overrides.
struct SeenKey<'n> {
    text: &'n str,
    shown: String,
    span: Span,
    json_key: String,
    merged: bool,
}

/// Why two keys are one in the JSON an ADK test sends.
#[derive(Clone, Copy)]
enum OneKey {
    /// Python's dict, which PyYAML builds, holds them as one (`1 == 1.0 == True`,
    /// `0 == False`, `~` and `null` both `None`).
    InPython,
    /// Python tells them apart, but `json.dumps` writes both as the same text.
    InJson,
}

/// The error for two keys of the mapping at `path`, written `first` and `second`,
/// that are one key in the JSON an ADK test sends, for the reason `why`.
fn one_json_key(path: &str, first: &str, second: &str, why: OneKey) -> String {
    let why = match why {
        OneKey::InPython => "the ADK's Python reads both as the same value",
        OneKey::InJson => "JSON writes both as the same text",
    };
    format!(
        "`{path}` has the keys `{first}` and `{second}`, which are one key in the JSON the ADK sends ({why}); keep one"
    )
}

/// A mapping key as Python's dict compares it, which PyYAML builds: `1`, `1.0`,
/// `0x1` and `true` are one key, `0`, `-0.0` and `false` another; text is itself.
#[derive(PartialEq, Eq, Hash)]
enum PythonKey {
    Number(i128),
    /// A float with a fraction, by its bits (NaN is no key that repeats).
    Float(u64),
    Text(String),
    Null,
}

fn python_key(key: &str, node: &Node) -> PythonKey {
    let Some(scalar) = node.as_scalar() else { return PythonKey::Text(key.to_string()) };
    match yaml11::value(scalar) {
        ScalarValue::Null => PythonKey::Null,
        ScalarValue::Bool(b) => PythonKey::Number(i128::from(b)),
        ScalarValue::Integer(n) => PythonKey::Number(i128::from(n)),
        // exact: every integer a float holds fits `i128` up to 2^127
        ScalarValue::Float(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 1.7e38 => PythonKey::Number(f as i128),
        ScalarValue::Float(f) => PythonKey::Float(f.to_bits()),
        ScalarValue::String(text) => match yaml11::wide_integer(scalar) {
            Some(Some(n)) => PythonKey::Number(n),
            _ => PythonKey::Text(text.to_string()),
        },
    }
}

/// `value` as Python's `repr` writes a float, which `json.dumps` uses: the shortest
/// text that reads back, with an exponent below 1e-4 and from 1e16 (`1e+16`, `1e-05`).
fn python_float_text(value: f64) -> String {
    if value.is_nan() {
        return "NaN".to_string();
    }
    if value.is_infinite() {
        return if value > 0.0 { "Infinity" } else { "-Infinity" }.to_string();
    }
    let scientific = format!("{value:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if value != 0.0 && !(-4..16).contains(&exponent) {
        let sign = if exponent < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{:02}", exponent.unsigned_abs());
    }
    let positional = value.to_string();
    if positional.contains('.') {
        positional
    } else {
        positional + ".0"
    }
}

/// Converts a YAML value to JSON exactly, or reports why it cannot be.
pub(crate) fn to_json(node: &Node, path: &str, d: &mut Collector) -> Option<Value> {
    match &node.kind {
        NodeKind::Scalar(scalar) => {
            if scalar.looks_like_date() {
                d.error(node.span, format!("`{path}` is the unquoted date `{}`, which YAML loaders read as a date, not JSON; quote it: `\"{}\"`", scalar.text, scalar.text));
                return None;
            }
            // typed as PyYAML types it: the JSON an ADK test gives the agent
            match yaml11::value(scalar) {
                ScalarValue::Null => Some(Value::Null),
                ScalarValue::Bool(b) => Some(Value::Bool(b)),
                ScalarValue::Integer(n) => Some(Value::from(n)),
                ScalarValue::Float(f) => serde_json::Number::from_f64(f).map(Value::Number).or_else(|| {
                    d.error(
                        node.span,
                        format!("`{path}` is `{}`, which JSON cannot hold; quote it to send text", scalar.text),
                    );
                    None
                }),
                ScalarValue::String(s) => match yaml11::wide_integer(scalar) {
                    // an integer past i64 (PyYAML reads any size, in any base): u64, or an error
                    Some(value) => value.and_then(|value| u64::try_from(value).ok()).map(Value::from).or_else(|| {
                        d.error(
                            node.span,
                            format!("`{path}` is the number `{s}`, past the 64-bit integers the agent's JSON values hold; quote it to send text"),
                        );
                        None
                    }),
                    None => Some(Value::String(s.to_string())),
                },
            }
        }
        NodeKind::Sequence(items) => {
            let values: Vec<Option<Value>> =
                items.iter().enumerate().map(|(i, item)| to_json(item, &format!("{path}[{i}]"), d)).collect();
            values.into_iter().collect::<Option<Vec<_>>>().map(Value::Array)
        }
        NodeKind::Mapping(pairs) => {
            let mut object = serde_json::Map::new();
            let mut complete = true;
            // keys written apart that the ADK reads as one
            let mut seen: HashMap<PythonKey, SeenKey> = HashMap::new();
            // keys Python tells apart that its `json.dumps` writes alike (`1` and `'1'`),
            // by their JSON key: the agent's JSON reader would keep one
            let mut json_keys: HashMap<String, String> = HashMap::new();
            for (key_node, value) in pairs {
                let Some(scalar) = key_node.as_scalar() else {
                    d.error(
                        key_node.span,
                        format!("`{path}` has a key that is {}; JSON keys are text", key_node.describe()),
                    );
                    complete = false;
                    continue;
                };
                let key = scalar.text.as_str();
                let shown = if scalar.plain { key.to_string() } else { format!("'{}'", key.replace('\'', "''")) };
                // a key a merge (`<<: *base`) brought in has its value's position, the
                // alias's, where an explicit key is written before its value
                let merged = key_node.span == value.span;
                let python = python_key(key, key_node);
                let under = match seen.get(&python) {
                    Some(first) if !first.merged && !merged => {
                        let message = if first.shown == shown {
                            let first_at = first.span.said_from(key_node.span);
                            format!("duplicate key `{shown}` in `{path}` (first at {first_at}); keep one")
                        } else {
                            one_json_key(path, &first.shown, &shown, OneKey::InPython)
                        };
                        // the same text again (`a`, `'a'`) is a repeated key, as in any mapping
                        match first.text == key {
                            true => d.repeated_key(key_node.span, message),
                            false => d.error(key_node.span, message),
                        }
                        complete = false;
                        continue;
                    }
                    // as PyYAML reads it: the value of the explicit key, under the key read first
                    Some(first) if !merged => Some(first.json_key.clone()),
                    // merged beside a key already read, which comes before it
                    Some(_) => continue,
                    None => None,
                };
                if scalar.looks_like_date() {
                    d.error(key_node.span, format!("`{path}` has the unquoted date `{key}` as a key, which YAML loaders read as a date, not JSON text; quote it: `\"{key}\"`"));
                    // its value still read, for its own errors
                    to_json(value, &format!("{path}.{key}"), d);
                    complete = false;
                    continue;
                }
                let json_key = match under {
                    Some(first) => first,
                    None => {
                        let json_key = json_key(key, key_node);
                        if let Some(first) = json_keys.get(&json_key) {
                            d.error(key_node.span, one_json_key(path, first, &shown, OneKey::InJson));
                            complete = false;
                            continue;
                        }
                        json_keys.insert(json_key.clone(), shown.clone());
                        json_key
                    }
                };
                // an explicit key over a merged one takes its place: a second explicit one repeats it
                seen.insert(
                    python,
                    SeenKey { text: key, shown, span: key_node.span, json_key: json_key.clone(), merged },
                );
                match to_json(value, &format!("{path}.{key}"), d) {
                    Some(value) => {
                        object.insert(json_key, value);
                    }
                    None => complete = false,
                }
            }
            complete.then_some(Value::Object(object))
        }
    }
}
