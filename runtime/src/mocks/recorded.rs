//! One attempt as the mocks saw it: its fields as the call made them, its `Debug` masked as the log is.

use std::fmt;

use crate::redact::{Redactor, MASK};

/// One attempt as the mocks saw it, for assertions after the test (a call that fell
/// through to the real API and was retried there is recorded once per attempt).
///
/// Its fields hold what the call made, for a test to compare: its headers before
/// auth, so a credential the call set by hand is there (the API's own are not). Its
/// `Debug` output masks them as the conversation log does (sensitive headers and
/// query parameters, every secret the runtime knows), so that printing a recorded
/// call, or a failed `assert_eq!` of one, shows no secret.
#[derive(Clone)]
#[non_exhaustive]
pub struct RecordedCall {
    /// The API's name.
    pub api: String,
    /// The operation's name.
    pub operation: String,
    /// Path variables and their values, in template order.
    pub path: Vec<(String, String)>,
    /// Query parameters (the template's and the call's), in URL order.
    pub query: Vec<(String, String)>,
    /// The request's headers before auth: the call's, and the `Content-Type`,
    /// `Idempotency-Key` and [`User-Agent`](crate::USER_AGENT) the runtime adds.
    pub headers: Vec<(String, String)>,
    /// The body as text, if the call had one.
    pub body: Option<String>,
    /// What `Debug` masks: the conversation's.
    redactor: Redactor,
}

impl RecordedCall {
    /// The record of an attempt, whose `Debug` masks what `redactor` masks.
    pub(crate) fn new(api: &str, operation: &str, redactor: &Redactor) -> RecordedCall {
        RecordedCall {
            api: api.to_string(),
            operation: operation.to_string(),
            path: Vec::new(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            redactor: redactor.clone(),
        }
    }
}

/// Equal when what was sent is: the redactor is no part of the call.
impl PartialEq for RecordedCall {
    fn eq(&self, other: &RecordedCall) -> bool {
        (&self.api, &self.operation, &self.path, &self.query, &self.headers, &self.body)
            == (&other.api, &other.operation, &other.path, &other.query, &other.headers, &other.body)
    }
}

impl Eq for RecordedCall {}

impl fmt::Debug for RecordedCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cleaner = self.redactor.cleaner();
        let masked_query = |name: &str, _: &str| self.redactor.is_sensitive_query_param(name);
        // a path variable that is also a masked parameter's value (`?token={token}`) is
        // masked by it, though the redactor may have let the value go
        let masked_values: Vec<&str> = self
            .query
            .iter()
            .filter(|(name, value)| masked_query(name, value))
            .map(|(_, value)| value.as_str())
            .collect();
        let masked_path = |_: &str, value: &str| masked_values.contains(&value);
        let values = |pairs: &[(String, String)], masked: &dyn Fn(&str, &str) -> bool| -> Vec<(String, String)> {
            let shown = |name: &str, value: &str| match masked(name, value) {
                true => MASK.to_string(),
                false => cleaner.text(value),
            };
            pairs.iter().map(|(name, value)| (cleaner.text(name), shown(name, value))).collect()
        };
        let headers: Vec<(String, String)> =
            self.headers.iter().map(|(name, value)| (cleaner.text(name), cleaner.header_value(name, value))).collect();
        f.debug_struct("RecordedCall")
            .field("api", &self.api)
            .field("operation", &self.operation)
            .field("path", &values(&self.path, &masked_path))
            .field("query", &values(&self.query, &masked_query))
            .field("headers", &headers)
            .field("body", &self.body.as_deref().map(|body| cleaner.text(body)))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use secrecy::SecretString;

    use super::*;

    #[test]
    fn debug_masks_what_the_log_masks_and_equality_ignores_the_redactor() {
        let redactor = Redactor::new();
        redactor.add_secret(&SecretString::from("K-SECRET-VALUE-9"));
        let mut call = RecordedCall::new("crm", "find", &redactor);
        call.path = vec![("id".into(), "K-SECRET-VALUE-9".into())];
        call.query = vec![("token".into(), "q-actual".into()), ("page".into(), "2".into())];
        call.headers = vec![
            ("Authorization".into(), "Bearer abc".into()),
            ("X-Note".into(), "key K-SECRET-VALUE-9".into()),
            ("X-Source".into(), "agent".into()),
        ];
        call.body = Some(r#"{"key":"K-SECRET-VALUE-9"}"#.into());
        let shown = format!("{call:?}");
        assert!(
            !shown.contains("K-SECRET-VALUE-9") && !shown.contains("q-actual") && !shown.contains("abc"),
            "{shown}"
        );
        for kept in [r#"("page", "2")"#, r#"("X-Source", "agent")"#, r#"("X-Note", "key ***")"#, r#"("token", "***")"#]
        {
            assert!(shown.contains(kept), "{kept} in {shown}");
        }
        // the fields keep what was sent
        assert_eq!(call.headers[0].1, "Bearer abc");
        // a path variable of a masked parameter (`?token={token}`) is masked by it, a
        // value the redactor does not know (it keeps the newest 1,024)
        let mut fresh = RecordedCall::new("crm", "verify", &Redactor::new());
        fresh.path = vec![("token".into(), "tok-never-learnt".into())];
        fresh.query = vec![("token".into(), "tok-never-learnt".into())];
        let shown = format!("{fresh:?}");
        assert!(!shown.contains("tok-never-learnt") && shown.contains(r#"path: [("token", "***")]"#), "{shown}");
        let mut same = RecordedCall::new("crm", "find", &Redactor::new());
        (same.path, same.query, same.headers, same.body) =
            (call.path.clone(), call.query.clone(), call.headers.clone(), call.body.clone());
        assert_eq!(call, same);
        // but for what was sent
        same.body = None;
        assert_ne!(call, same, "a call without the body is another call");
    }
}
