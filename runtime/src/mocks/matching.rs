//! Whether a call meets a rule's `when`, and why not: for strict-mode errors.

use conv_api_definitions::mocks::MockMatch;
use serde_json::Value;

use super::RecordedCall;
use crate::redact::{Redactor, MASK};

/// Why `call` does not meet `when`, or `None` if it does; the values of headers and
/// query parameters `redactor` masks are shown masked, as in the log.
pub(crate) fn mismatch(when: &MockMatch, call: &RecordedCall, redactor: &Redactor) -> Option<String> {
    for (name, expected) in &when.path {
        let found = call.path.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
        if found != Some(expected.as_str()) {
            return Some(format!("path variable `{name}` is {}, not `{expected}`", shown(found)));
        }
    }
    for (name, expected) in &when.query {
        let found: Vec<&str> = call.query.iter().filter(|(n, _)| n == name).map(|(_, v)| v.as_str()).collect();
        if !found.contains(&expected.as_str()) {
            let found = found.first().copied().map(|value| masked(value, redactor.is_sensitive_query_param(name)));
            return Some(format!("query parameter `{name}` is {}, not `{expected}`", shown(found)));
        }
    }
    for (name, expected) in &when.headers {
        let found = call.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str());
        if found != Some(expected.as_str()) {
            let found = found.map(|value| masked(value, redactor.is_sensitive_header(name)));
            return Some(format!("header `{name}` is {}, not `{expected}`", shown(found)));
        }
    }
    if let Some(expected) = &when.body {
        let body: Option<Value> = call.body.as_deref().and_then(|b| serde_json::from_str(b).ok());
        if !body.as_ref().is_some_and(|body| contains(body, expected)) {
            return Some(format!("the JSON body does not contain `{expected}`"));
        }
    }
    None
}

fn shown(value: Option<&str>) -> String {
    value.map_or_else(|| "absent".to_string(), |v| format!("`{v}`"))
}

/// `value`, or the mask when it is a credential's (RELIABILITY 17).
fn masked(value: &str, sensitive: bool) -> &str {
    if sensitive {
        MASK
    } else {
        value
    }
}

/// Whether `actual` contains `expected`: objects may have more keys, everything else is equal.
pub(crate) fn contains(actual: &Value, expected: &Value) -> bool {
    match (actual, expected) {
        (Value::Object(actual), Value::Object(expected)) => {
            expected.iter().all(|(key, value)| actual.get(key).is_some_and(|found| contains(found, value)))
        }
        (Value::Array(actual), Value::Array(expected)) => {
            actual.len() == expected.len() && actual.iter().zip(expected).all(|(a, e)| contains(a, e))
        }
        (Value::Number(actual), Value::Number(expected)) => same_number(actual, expected),
        _ => actual == expected,
    }
}

/// Two whole numbers exactly (past 2^53 too); otherwise as floats, so `2` is `2.0`.
fn same_number(actual: &serde_json::Number, expected: &serde_json::Number) -> bool {
    if let (Some(actual), Some(expected)) = (actual.as_i64(), expected.as_i64()) {
        return actual == expected;
    }
    if let (Some(actual), Some(expected)) = (actual.as_u64(), expected.as_u64()) {
        return actual == expected;
    }
    actual.as_f64() == expected.as_f64()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn call() -> RecordedCall {
        let mut call = RecordedCall::new("crm", "find", &Redactor::new());
        call.path = vec![("id".into(), "7".into())];
        call.query = vec![("q".into(), "ada".into()), ("q".into(), "bob".into())];
        call.headers = vec![("X-Source".into(), "agent".into())];
        call.body = Some(json!({"name": "Ada", "tags": [1, 2], "extra": true}).to_string());
        call
    }

    #[test]
    fn matches_every_condition() {
        let when = MockMatch {
            path: vec![("id".into(), "7".into())],
            query: vec![("q".into(), "bob".into())],
            headers: vec![("x-source".into(), "agent".into())],
            body: Some(json!({"name": "Ada", "tags": [1, 2.0]})),
        };
        assert_eq!(mismatch(&when, &call(), &Redactor::new()), None);
    }

    #[test]
    fn whole_numbers_past_two_to_the_53_compare_exactly() {
        assert!(!contains(&json!({"id": 9_007_199_254_740_992_u64}), &json!({"id": 9_007_199_254_740_993_u64})));
        assert!(contains(&json!({"id": 9_007_199_254_740_993_u64}), &json!({"id": 9_007_199_254_740_993_u64})));
        assert!(!contains(&json!({"id": -9_007_199_254_740_993_i64}), &json!({"id": -9_007_199_254_740_992_i64})));
        assert!(contains(&json!({"n": 2}), &json!({"n": 2.0})));
        // past the largest `i64` too
        assert!(contains(&json!({"id": u64::MAX}), &json!({"id": u64::MAX})));
        assert!(!contains(&json!({"id": u64::MAX}), &json!({"id": u64::MAX - 1})));
    }

    #[test]
    fn says_what_differs() {
        let path = MockMatch { path: vec![("id".into(), "8".into())], ..MockMatch::default() };
        assert_eq!(mismatch(&path, &call(), &Redactor::new()).unwrap(), "path variable `id` is `7`, not `8`");
        let header = MockMatch { headers: vec![("x-other".into(), "1".into())], ..MockMatch::default() };
        assert_eq!(mismatch(&header, &call(), &Redactor::new()).unwrap(), "header `x-other` is absent, not `1`");
        let body = MockMatch { body: Some(json!({"tags": [1]})), ..MockMatch::default() };
        assert!(mismatch(&body, &call(), &Redactor::new()).unwrap().contains("does not contain"));
    }

    #[test]
    fn a_credentials_value_is_masked_as_in_the_log() {
        let mut call = call();
        call.headers.push(("Authorization".into(), "Bearer t0ken".into()));
        call.query.push(("api_key".into(), "k3y".into()));
        let header = MockMatch { headers: vec![("authorization".into(), "Bearer x".into())], ..MockMatch::default() };
        assert_eq!(
            mismatch(&header, &call, &Redactor::new()).unwrap(),
            "header `authorization` is `***`, not `Bearer x`"
        );
        let query = MockMatch { query: vec![("API_KEY".into(), "x".into())], ..MockMatch::default() };
        assert_eq!(mismatch(&query, &call, &Redactor::new()).unwrap(), "query parameter `API_KEY` is absent, not `x`");
        let query = MockMatch { query: vec![("api_key".into(), "x".into())], ..MockMatch::default() };
        assert_eq!(mismatch(&query, &call, &Redactor::new()).unwrap(), "query parameter `api_key` is `***`, not `x`");
    }
}
