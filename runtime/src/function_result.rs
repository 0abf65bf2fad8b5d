//! What a tool function gives back to the conversation.

use serde::Serialize;
use serde_json::Value;

/// The result of a tool function: content for the model, or words for the caller.
///
/// ```
/// use conv_api_runtime::FunctionResult;
/// let content = serde_json::to_value(FunctionResult::content("Ticket status: open")).unwrap();
/// assert_eq!(content, serde_json::json!({"content": "Ticket status: open"}));
/// let utterance = serde_json::to_value(FunctionResult::utterance("One moment.")).unwrap();
/// assert_eq!(utterance, serde_json::json!({"utterance": "One moment."}));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FunctionResult {
    /// Content for the model to use; serialized as `{"content": ...}`.
    Content(Value),
    /// Words to say to the caller as they are; serialized as `{"utterance": ...}`.
    Utterance(String),
}

impl FunctionResult {
    /// Content for the model: text, a number, or any JSON value (`serde_json::json!`).
    pub fn content(value: impl Into<Value>) -> FunctionResult {
        FunctionResult::Content(value.into())
    }

    /// Content for the model from any serializable value, such as a decoded response.
    pub fn content_from<T: Serialize + ?Sized>(value: &T) -> crate::Result<FunctionResult> {
        serde_json::to_value(value).map(FunctionResult::Content).map_err(|error| {
            crate::Error::new(
                crate::ErrorKind::InvalidArgument,
                format!("the content cannot be turned into JSON: {error}"),
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
}
