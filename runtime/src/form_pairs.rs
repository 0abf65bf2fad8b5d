//! Query parameters and form fields from any `Serialize` value, as Python `requests`
//! reads `params=` and `data=`: pairs, a map or a struct, in their order; a `None`
//! (or JSON `null`) left out, a list sent as its name repeated.

use serde::Serialize;
use serde_json::Value;

/// The `(name, value)` pairs of `fields`, for the query or form body called `what`.
///
/// # Errors
///
/// What is wrong, naming the field: a value that is a map or a list of lists, which
/// has no text of its own; a top-level value that is no pairs, map or struct.
pub(crate) fn pairs<T: Serialize + ?Sized>(fields: &T, what: &str) -> Result<Vec<(String, String)>, String> {
    let value = serde_json::to_value(fields).map_err(|error| format!("{what} cannot be encoded ({error})"))?;
    let mut pairs = Vec::new();
    match value {
        Value::Null => {}
        Value::Object(map) => {
            for (name, value) in map {
                push_value(&mut pairs, name, value, what)?;
            }
        }
        Value::Array(items) => {
            for (index, item) in items.into_iter().enumerate() {
                let (name, value) = pair(item)
                    .ok_or_else(|| format!("{what}'s item {} is no (name, value) pair; {SHAPES}", index + 1))?;
                push_value(&mut pairs, name, value, what)?;
            }
        }
        other => return Err(format!("{what} is {}, not fields; {SHAPES}", kind(&other))),
    }
    Ok(pairs)
}

/// What a query or form body may be given as.
const SHAPES: &str = "pass pairs like `&[(\"name\", \"value\")]`, a map or a struct";

/// `item` as a pair: a list of two whose first is text, a number or a boolean.
fn pair(item: Value) -> Option<(String, Value)> {
    let Value::Array(mut two) = item else { return None };
    if two.len() != 2 {
        return None;
    }
    let value = two.pop()?;
    let name = scalar_text(two.pop()?)?;
    Some((name, value))
}

/// Pushes field `name` with `value`: nothing for a null, the name once for each
/// item of a list.
fn push_value(pairs: &mut Vec<(String, String)>, name: String, value: Value, what: &str) -> Result<(), String> {
    match value {
        Value::Null => Ok(()),
        Value::Array(items) => {
            for item in items {
                match item {
                    Value::Null => {}
                    Value::Array(_) | Value::Object(_) => {
                        return Err(format!(
                            "{what}'s `{name}` is a list holding {}, which has no text to send; give it text, numbers or booleans",
                            kind(&item)
                        ))
                    }
                    scalar => pairs.push((name.clone(), scalar_text(scalar).unwrap_or_default())),
                }
            }
            Ok(())
        }
        Value::Object(_) => Err(format!(
            "{what}'s `{name}` is a map or struct, which has no text to send; give each of its fields a name of its own"
        )),
        scalar => {
            pairs.push((name, scalar_text(scalar).unwrap_or_default()));
            Ok(())
        }
    }
}

/// The text of a string, number or boolean.
fn scalar_text(value: Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

/// What kind of value `value` is, in a message.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a map",
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::json;

    use super::*;

    fn texts(pairs: &[(String, String)]) -> Vec<(&str, &str)> {
        pairs.iter().map(|(name, value)| (name.as_str(), value.as_str())).collect()
    }

    #[test]
    fn pairs_maps_and_structs_keep_their_order_and_leave_nulls_out() {
        #[derive(Serialize)]
        struct Search<'a> {
            q: &'a str,
            page: u32,
            status: Option<&'a str>,
            open: bool,
        }
        let search = Search { q: "refund", page: 2, status: None, open: true };
        assert_eq!(texts(&pairs(&search, "the query").unwrap()), [("q", "refund"), ("page", "2"), ("open", "true")]);
        let listed = [("include", Some("users")), ("sort", None)];
        assert_eq!(texts(&pairs(&listed, "the query").unwrap()), [("include", "users")]);
        let map = BTreeMap::from([("a", 1.5), ("b", -2.0)]);
        assert_eq!(texts(&pairs(&map, "the query").unwrap()), [("a", "1.5"), ("b", "-2.0")]);
        let json = json!({ "status": null, "assignee": "ada", "tags": ["a", null, "b"], "n": 7 });
        assert_eq!(
            texts(&pairs(&json, "the query").unwrap()),
            [("assignee", "ada"), ("tags", "a"), ("tags", "b"), ("n", "7")]
        );
        assert!(pairs(&None::<Search>, "the query").unwrap().is_empty());
        assert_eq!(texts(&pairs(&[(1, 'x')], "the query").unwrap()), [("1", "x")]);
    }

    #[test]
    fn what_has_no_text_is_named_with_its_field() {
        let nested = json!({ "filter": { "status": "open" } });
        assert_eq!(
            pairs(&nested, "the query").unwrap_err(),
            "the query's `filter` is a map or struct, which has no text to send; give each of its fields a name of its own"
        );
        let lists = json!({ "grid": [[1, 2]] });
        assert!(pairs(&lists, "the form body")
            .unwrap_err()
            .starts_with("the form body's `grid` is a list holding a list"));
        assert!(pairs(&["a", "b"], "the query")
            .unwrap_err()
            .starts_with("the query's item 1 is no (name, value) pair; pass pairs"));
        assert!(pairs("text", "the query").unwrap_err().starts_with("the query is text, not fields; pass pairs"));
    }
}
