//! A mock body as JSON: YAML typed as PyYAML types it, keys written as Python's
//! `json.dumps` writes them, so the agent gets the JSON an ADK test gives it.

use std::collections::HashMap;

use serde_json::Value;

use crate::diagnostics::Collector;
use crate::model::Span;
use crate::yaml::{yaml11, Node, NodeKind, Scalar, ScalarValue};

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
        NodeKind::Scalar(scalar) => scalar_to_json(scalar, node.span, path, d),
        NodeKind::Sequence(items) => {
            let values: Vec<Option<Value>> =
                items.iter().enumerate().map(|(i, item)| to_json(item, &format!("{path}[{i}]"), d)).collect();
            values.into_iter().collect::<Option<Vec<_>>>().map(Value::Array)
        }
        NodeKind::Mapping(pairs) => mapping_to_json(pairs, path, d),
    }
}

/// A scalar typed as PyYAML types it: the JSON an ADK test gives the agent.
fn scalar_to_json(scalar: &Scalar, span: Span, path: &str, d: &mut Collector) -> Option<Value> {
    if scalar.looks_like_date() {
        d.error(
            span,
            format!(
                "`{path}` is the unquoted date `{}`, which YAML loaders read as a date, not JSON; quote it: `\"{}\"`",
                scalar.text, scalar.text
            ),
        );
        return None;
    }
    match yaml11::value(scalar) {
        ScalarValue::Null => Some(Value::Null),
        ScalarValue::Bool(b) => Some(Value::Bool(b)),
        ScalarValue::Integer(n) => Some(Value::from(n)),
        ScalarValue::Float(f) => serde_json::Number::from_f64(f).map(Value::Number).or_else(|| {
            d.error(span, format!("`{path}` is `{}`, which JSON cannot hold; quote it to send text", scalar.text));
            None
        }),
        ScalarValue::String(s) => match yaml11::wide_integer(scalar) {
            // an integer past i64 (PyYAML reads any size, in any base): u64, or an error
            Some(value) => value.and_then(|value| u64::try_from(value).ok()).map(Value::from).or_else(|| {
                d.error(
                    span,
                    format!("`{path}` is the number `{s}`, past the 64-bit integers the agent's JSON values hold; quote it to send text"),
                );
                None
            }),
            None => Some(Value::String(s.to_string())),
        },
    }
}

/// A mapping as a JSON object, its keys as the ADK writes them; `None` when a key or
/// a value cannot be one (each error reported).
fn mapping_to_json(pairs: &[(Node, Node)], path: &str, d: &mut Collector) -> Option<Value> {
    let mut object = serde_json::Map::new();
    let mut keys = ObjectKeys::default();
    let mut complete = true;
    for (key_node, value) in pairs {
        match keys.read(key_node, value, path, d) {
            KeyRead::Json { key, json_key } => match to_json(value, &format!("{path}.{key}"), d) {
                Some(value) => {
                    object.insert(json_key, value);
                }
                None => complete = false,
            },
            KeyRead::MergedBeside => {}
            KeyRead::Refused => complete = false,
        }
    }
    complete.then_some(Value::Object(object))
}

/// What a mapping's key is in the JSON object.
enum KeyRead<'n> {
    /// The object's key `json_key`, written `key`, takes the value.
    Json { key: &'n str, json_key: String },
    /// A key a merge brought in beside one already read, which comes before it.
    MergedBeside,
    /// No key: an error says why.
    Refused,
}

/// The keys of one mapping read so far.
#[derive(Default)]
struct ObjectKeys<'n> {
    /// Keys written apart that the ADK reads as one.
    seen: HashMap<PythonKey, SeenKey<'n>>,
    /// Keys Python tells apart that its `json.dumps` writes alike (`1` and `'1'`), by
    /// their JSON key: the agent's JSON reader would keep one.
    json_keys: HashMap<String, String>,
}

impl<'n> ObjectKeys<'n> {
    /// Reads `key_node`, the key of `value` in the mapping at `path`.
    fn read(&mut self, key_node: &'n Node, value: &Node, path: &str, d: &mut Collector) -> KeyRead<'n> {
        let Some(scalar) = key_node.as_scalar() else {
            d.error(key_node.span, format!("`{path}` has a key that is {}; JSON keys are text", key_node.describe()));
            return KeyRead::Refused;
        };
        let key = scalar.text.as_str();
        let shown = if scalar.plain { key.to_string() } else { format!("'{}'", key.replace('\'', "''")) };
        // a key a merge (`<<: *base`) brought in has its value's position, the
        // alias's, where an explicit key is written before its value
        let merged = key_node.span == value.span;
        let python = python_key(key, key_node);
        let under = match self.seen.get(&python) {
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
                return KeyRead::Refused;
            }
            // as PyYAML reads it: the value of the explicit key, under the key read first
            Some(first) if !merged => Some(first.json_key.clone()),
            Some(_) => return KeyRead::MergedBeside,
            None => None,
        };
        if scalar.looks_like_date() {
            d.error(key_node.span, format!("`{path}` has the unquoted date `{key}` as a key, which YAML loaders read as a date, not JSON text; quote it: `\"{key}\"`"));
            // its value still read, for its own errors
            to_json(value, &format!("{path}.{key}"), d);
            return KeyRead::Refused;
        }
        let json_key = match under {
            Some(first) => first,
            None => {
                let json_key = json_key(key, key_node);
                if let Some(first) = self.json_keys.get(&json_key) {
                    d.error(key_node.span, one_json_key(path, first, &shown, OneKey::InJson));
                    return KeyRead::Refused;
                }
                self.json_keys.insert(json_key.clone(), shown.clone());
                json_key
            }
        };
        // an explicit key over a merged one takes its place: a second explicit one repeats it
        self.seen.insert(python, SeenKey { text: key, shown, span: key_node.span, json_key: json_key.clone(), merged });
        KeyRead::Json { key, json_key }
    }
}
