//! What a tool function gives back to the conversation.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::request::json_request::unwritable_json_hint;

/// The result of a tool function: content for the model, or words for the caller.
///
/// ```
/// # extern crate conv_api_runtime as conv_api;
/// use conv_api::FunctionResult;
/// let content = serde_json::to_value(FunctionResult::content("Ticket status: open")).unwrap();
/// assert_eq!(content, serde_json::json!({"content": "Ticket status: open"}));
/// let utterance = serde_json::to_value(FunctionResult::utterance("One moment.")).unwrap();
/// assert_eq!(utterance, serde_json::json!({"utterance": "One moment."}));
/// // and back, as a test of a service that returns one reads it
/// let read: FunctionResult = serde_json::from_str(r#"{"utterance": "One moment."}"#).unwrap();
/// assert_eq!(read, FunctionResult::utterance("One moment."));
/// let wrong = serde_json::from_str::<FunctionResult>(r#"{"text": "One moment."}"#).unwrap_err();
/// assert!(wrong.to_string().starts_with("a function result is `{\"content\": ...}` or `{\"utterance\": \"...\"}`, one key; found the key `text`"));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FunctionResult {
    /// Content for the model to use; serialized as `{"content": ...}`.
    Content(Value),
    /// Words to say to the caller as they are; serialized as `{"utterance": ...}`.
    Utterance(String),
}

/// Read from its JSON form, with a message that shows the form when the input is
/// another shape (serde's own says "expected value" for `{}`).
impl<'de> Deserialize<'de> for FunctionResult {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        read(Value::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

/// The function result `value` holds, or what is wrong with it.
fn read(value: Value) -> Result<FunctionResult, String> {
    const SHAPE: &str = "a function result is `{\"content\": ...}` or `{\"utterance\": \"...\"}`, one key";
    let Value::Object(object) = value else { return Err(format!("{SHAPE}; found {}", kind(&value))) };
    if object.len() != 1 {
        return Err(format!("{SHAPE}; found an object of {} keys", object.len()));
    }
    let Some((key, inner)) = object.into_iter().next() else { return Err(SHAPE.to_string()) };
    match (key.as_str(), inner) {
        ("content", content) => Ok(FunctionResult::Content(content)),
        ("utterance", Value::String(words)) => Ok(FunctionResult::Utterance(words)),
        ("utterance", other) => Err(format!("`utterance` is {}; it is the words to say, a string", kind(&other))),
        (other, _) => Err(format!("{SHAPE}; found the key `{other}`")),
    }
}

/// What kind of JSON value `value` is, for a message.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

impl FunctionResult {
    /// Content for the model: text, a number, a JSON value (`serde_json::json!`), or
    /// anything serializable, by value or by reference (a decoded response).
    ///
    /// ```
    /// # extern crate conv_api_runtime as conv_api;
    /// use conv_api::FunctionResult;
    /// use serde_json::json;
    /// let summary = String::from("open");
    /// let ticket = json!({ "status": "open", "id": 7 });
    /// assert_eq!(FunctionResult::content(&summary), FunctionResult::content("open"));
    /// assert_eq!(FunctionResult::content(&ticket["status"]).to_json(), json!({ "content": "open" }));
    /// assert_eq!(FunctionResult::content(vec![1, 2]).to_json(), json!({ "content": [1, 2] }));
    /// ```
    ///
    /// What JSON cannot hold (a map whose keys are neither text nor numbers, or a
    /// `Serialize` impl that fails) becomes the text of the error instead, with a
    /// `tracing` warning: use [`content_from`](Self::content_from) to get that error.
    /// A float that is NaN or infinite becomes `null`, as `serde_json` writes it.
    pub fn content(value: impl Serialize) -> FunctionResult {
        Self::content_from(&value).unwrap_or_else(|error| {
            tracing::warn!(target: "conv_api", %error, "FunctionResult::content: the error's text is the content");
            FunctionResult::Content(Value::String(error.to_string()))
        })
    }

    /// Content for the model from any serializable value, such as a decoded response.
    /// An integer beyond 64 bits (`u128`, `i128`) becomes a float, as serde_json's
    /// parser reads one (its `to_value` refuses it).
    ///
    /// # Errors
    ///
    /// An [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) error if
    /// JSON cannot hold the value (a map whose keys are neither text nor numbers, or a
    /// `Serialize` impl that fails). A NaN or infinite float is no error: it becomes
    /// `null`.
    ///
    /// ```
    /// # extern crate conv_api_runtime as conv_api;
    /// use conv_api::FunctionResult;
    /// let deep = (0..200).fold(serde_json::json!(1), |inner, _| serde_json::json!([inner]));
    /// assert!(FunctionResult::content_from(&deep).is_ok(), "any depth JSON holds");
    /// ```
    pub fn content_from<T: Serialize + ?Sized>(value: &T) -> crate::Result<FunctionResult> {
        // through its text, not `to_value`, which widens an `f32` (`19.99` became
        // `19.989999771118164`): the model reads what the value's own JSON says;
        // `to_value` when the text is deeper than the reader's 128 levels
        let json = serde_json::to_string(value).and_then(|text| serde_json::from_str(&text)).or_else(|error| {
            if error.is_syntax() {
                serde_json::to_value(value)
            } else {
                Err(error)
            }
        });
        json.map(FunctionResult::Content).map_err(|error| {
            crate::Error::new(
                crate::ErrorKind::InvalidArgument,
                format!("the content cannot be turned into JSON: {error}{}", unwritable_json_hint(&error)),
            )
        })
    }

    /// Words to say to the caller.
    pub fn utterance(text: impl Into<String>) -> FunctionResult {
        FunctionResult::Utterance(text.into())
    }

    /// The result as JSON: `{"content": ...}` or `{"utterance": ...}`.
    pub fn to_json(&self) -> Value {
        match self {
            FunctionResult::Content(value) => serde_json::json!({ "content": value }),
            FunctionResult::Utterance(text) => serde_json::json!({ "utterance": text }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_takes_structured_values() {
        let result = FunctionResult::content_from(&[1, 2]).unwrap();
        assert_eq!(serde_json::to_string(&result).unwrap(), r#"{"content":[1,2]}"#);
        assert_eq!(result.to_json(), serde_json::json!({"content": [1, 2]}));
        assert_eq!(FunctionResult::content(3).to_json(), serde_json::json!({"content": 3}));
    }

    #[test]
    fn content_that_json_cannot_hold_becomes_the_text_of_the_error() {
        let map = std::collections::BTreeMap::from([((1, 2), "a pair as a key")]);
        assert_eq!(FunctionResult::content_from(&map).unwrap_err().kind(), crate::ErrorKind::InvalidArgument);
        let FunctionResult::Content(Value::String(text)) = FunctionResult::content(&map) else {
            panic!("the error's text is the content");
        };
        assert!(text.contains("cannot be turned into JSON") && text.contains("key must be a string"), "{text}");
        assert!(text.ends_with("; a JSON object's keys are text: key the map by strings, numbers or booleans (written as text), or send a list of pairs"), "{text}");
    }

    #[test]
    fn an_f32_is_the_number_its_own_json_says() {
        let result = FunctionResult::content_from(&serde_json::json!(null)).unwrap();
        assert_eq!(serde_json::to_string(&result).unwrap(), r#"{"content":null}"#);
        for (value, written) in [(19.99_f32, "19.99"), (0.1, "0.1"), (f32::NAN, "null")] {
            let result = FunctionResult::content_from(&[value]).unwrap();
            assert_eq!(serde_json::to_string(&result).unwrap(), format!(r#"{{"content":[{written}]}}"#));
        }
    }

    #[test]
    fn floats_json_cannot_hold_become_null_as_serde_json_writes_them() {
        for float in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(FunctionResult::content_from(&float).unwrap().to_json(), serde_json::json!({ "content": null }));
        }
    }

    #[test]
    fn a_function_result_reads_back_and_another_shape_is_told_the_form() {
        let read = |text: &str| serde_json::from_str::<FunctionResult>(text).map_err(|error| error.to_string());
        assert_eq!(read(r#"{"content": null}"#), Ok(FunctionResult::Content(Value::Null)));
        assert_eq!(read(r#"{"content": {"id": 7}}"#), Ok(FunctionResult::content(serde_json::json!({"id": 7}))));
        let shape = "a function result is `{\"content\": ...}` or `{\"utterance\": \"...\"}`, one key; found";
        for (text, found) in [
            ("{}", "an object of 0 keys"),
            ("null", "null"),
            ("[]", "a list"),
            (r#""content""#, "a string"),
            (r#"{"content": 1, "utterance": "x"}"#, "an object of 2 keys"),
            (r#"{"Content": 1}"#, "the key `Content`"),
        ] {
            let message = read(text).unwrap_err();
            assert!(message.starts_with(&format!("{shape} {found}")), "{text}: {message}");
        }
        let message = read(r#"{"utterance": 5}"#).unwrap_err();
        assert!(message.starts_with("`utterance` is a number; it is the words to say, a string"), "{message}");
    }
}
