//! Reading a token endpoint's answer: a token, or the error it says, with every
//! text from the endpoint masked and cut before a message shows it.

use std::collections::BTreeMap;
use std::time::Duration;

use conv_api_definitions::one_line;
use reqwest::header::{CONTENT_ENCODING, CONTENT_TYPE};
use reqwest::{Response, StatusCode};
use secrecy::SecretString;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use tokio::time::Instant;

use crate::http::header_text::header_value;
use crate::redact::Redactor;

use super::{Token, TokenError, MAX_LIFETIME};

/// The longest `error_description` kept in a message.
const MAX_DESCRIPTION: usize = 300;

/// The answer's `Content-Type` as messages show it (masked, cut), or "no content type".
pub(super) fn content_type(response: &Response, known: &Redactor) -> String {
    response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map_or_else(|| "no content type".to_string(), |value| format!("`{}`", shown(value, 80, known)))
}

/// The answer's `Content-Encoding` other than `identity` as messages show it (masked,
/// cut): the client asks for none, and decodes none.
pub(super) fn content_encoding(response: &Response, known: &Redactor) -> Option<String> {
    let encoding = String::from_utf8_lossy(response.headers().get(CONTENT_ENCODING)?.as_bytes()).trim().to_string();
    let unencoded = encoding.is_empty() || encoding.eq_ignore_ascii_case("identity");
    (!unencoded).then(|| shown(&encoding, 40, known))
}

/// A successful token response, before it gets its times.
pub(super) struct Parsed {
    pub(super) access_token: SecretString,
    pub(super) expires_in: Option<Duration>,
    /// A `token_type` other than Bearer, as shown in a warning (masked, cut).
    pub(super) unusual_type: Option<String>,
}

/// The token response, its `access_token` told to `known`: texts from the endpoint
/// that an error keeps have every known secret masked (an endpoint may echo the
/// client secret or the token in its `error_description`). `content_type` and
/// `encoding` are as messages show them, with whether it says the body is form-encoded.
pub(super) fn parse(
    status: StatusCode,
    (content_type, encoding, form): (String, Option<String>, bool),
    body: &[u8],
    url: &str,
    known: &Redactor,
) -> Result<Parsed, TokenError> {
    // RFC 8259 lets a reader skip a byte order mark, which some servers put first
    let body = body.strip_prefix("\u{feff}".as_bytes()).unwrap_or(body);
    let fields = json_fields(body).or_else(|| form.then(|| form_fields(body))).or_else(|| token_form_fields(body));
    let Some(fields) = fields else {
        return Err(TokenError::NotJson { url: url.to_string(), status, content_type, encoding, proxy: None });
    };
    // a blank one is none: sent as `Bearer `, the API's 401 would be blamed on it;
    // blanks around one no header value can carry (`Bearer  abc` would be read as
    // the token ` abc`, or as no token)
    let access_token = fields
        .get("access_token")
        .and_then(Value::as_str)
        .map(|token| token.trim_matches([' ', '\t']))
        .filter(|token| !token.trim().is_empty());
    // known before any error is made: one sent next to an error, never used, may be
    // quoted in its description
    if let Some(token) = access_token {
        known.add_token(&SecretString::from(token));
    }
    // `"error": null` (or `""`, `false`) in a 200 is no error: RFC 6749 5.2 error codes are words
    let no_error = |error: &Value| matches!(error, Value::Null | Value::Bool(false)) || error.as_str() == Some("");
    if fields.get("error").is_some_and(|error| !no_error(error)) || !status.is_success() {
        return Err(rejected(&fields, status, url, known));
    }
    let Some(access_token) = access_token else {
        let url = url.to_string();
        return Err(match fields.get("access_token") {
            Some(Value::String(_)) => TokenError::EmptyAccessToken { url, status },
            Some(token) if !token.is_null() => TokenError::AccessTokenNotText { url, status },
            _ => TokenError::MissingAccessToken { url, status },
        });
    };
    // caught here, not when the header is made, so that such a token is never cached
    if header_value(access_token).is_err() {
        return Err(TokenError::InvalidAccessToken { url: url.to_string(), status });
    }
    Ok(Parsed {
        access_token: SecretString::from(access_token),
        expires_in: expires_in(fields.get("expires_in")),
        unusual_type: unusual_type(&fields, known),
    })
}

/// Whether `response` says its body is form-encoded, as older endpoints answer
/// (GitHub's, unless asked for JSON).
pub(super) fn is_form(response: &Response) -> bool {
    let content_type = response.headers().get(CONTENT_TYPE).and_then(|value| value.to_str().ok()).unwrap_or_default();
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/x-www-form-urlencoded")
}

/// The fields of a form-encoded answer (`access_token=..&token_type=bearer`), as text.
fn form_fields(body: &[u8]) -> Map<String, Value> {
    let pairs = url::form_urlencoded::parse(body);
    pairs.map(|(name, value)| (name.into_owned(), Value::String(value.into_owned()))).collect()
}

/// The fields of a body that reads as a token answer form-encoded, though not declared
/// so (`text/plain`, as some older endpoints send it): one line of `name=value` pairs
/// that gives an `access_token` or an `error`.
fn token_form_fields(body: &[u8]) -> Option<Map<String, Value>> {
    let text = std::str::from_utf8(body).ok()?.trim();
    if !text.contains('=') || text.contains(['\n', '<', '{']) {
        return None;
    }
    let fields = form_fields(text.as_bytes());
    let given = |key: &str| fields.get(key).and_then(Value::as_str).is_some_and(|value| !value.trim().is_empty());
    (given("access_token") || given("error")).then_some(fields)
}

/// The fields of a JSON object. A number past `f64`'s range (`"expires_in": 1e400`),
/// which `serde_json` refuses, is kept as its text, so that the rest still reads
/// (RELIABILITY 8: a huge `expires_in` is capped, not an unreadable response).
fn json_fields(body: &[u8]) -> Option<Map<String, Value>> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(fields)) => Some(fields),
        Ok(_) => None,
        Err(_) => {
            let raw = serde_json::from_slice::<BTreeMap<String, Box<RawValue>>>(body).ok()?;
            let read =
                |raw: &RawValue| serde_json::from_str(raw.get()).unwrap_or_else(|_| Value::String(raw.get().into()));
            Some(raw.into_iter().map(|(name, value)| (name, read(&value))).collect())
        }
    }
}

/// RFC 6749 5.2: `error` and `error_description`; a JSON error without them says so.
/// A gateway's error of another shape is shown as it is, cut (`"error": {"code": ..}`),
/// with its `message` for a description.
fn rejected(fields: &Map<String, Value>, status: StatusCode, url: &str, known: &Redactor) -> TokenError {
    let text = |key: &str| fields.get(key).and_then(Value::as_str).map(|s| shown(s, MAX_DESCRIPTION, known));
    let error = match fields.get("error") {
        Some(Value::String(error)) if !error.trim().is_empty() => shown(error, MAX_DESCRIPTION, known),
        // blank, as absent: `` ` ` `` would say nothing
        None | Some(Value::Null | Value::String(_)) => "(none given)".to_string(),
        Some(other) => shown(&other.to_string(), MAX_DESCRIPTION, known),
    };
    TokenError::Rejected {
        url: url.to_string(),
        status,
        error,
        description: text("error_description").or_else(|| text("message")),
    }
}

/// A `token_type` other than Bearer, as a warning shows it; an absent one means Bearer.
fn unusual_type(fields: &Map<String, Value>, known: &Redactor) -> Option<String> {
    let token_type = fields.get("token_type").and_then(Value::as_str).unwrap_or("Bearer");
    (!token_type.eq_ignore_ascii_case("bearer")).then(|| shown(token_type, 40, known))
}

/// `expires_in` as a number or a numeric string, in seconds; `None` when absent or unreadable
/// (then the default lifetime applies). Negative values count as 0 (the token serves the
/// request that fetched it and is not reused); values over [`MAX_LIFETIME`] (`1e400`,
/// which reads as infinite, too) are capped.
fn expires_in(value: Option<&Value>) -> Option<Duration> {
    let seconds = match value? {
        Value::Number(number) => number.as_f64()?,
        Value::String(text) => text.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    if seconds.is_nan() {
        return None;
    }
    Some(Duration::from_secs_f64(seconds.clamp(0.0, MAX_LIFETIME.as_secs_f64())))
}

impl Parsed {
    /// The token as cached, requested at `sent`: expiring `expires_in` (or
    /// `default_lifetime`) after that, refreshed [`REFRESH_SKEW`](super::REFRESH_SKEW)
    /// ahead, or half-way for short lifetimes.
    pub(super) fn into_token(self, sent: Instant, default_lifetime: Duration) -> Token {
        Token::new(self.access_token, sent, self.expires_in.unwrap_or(default_lifetime))
    }
}

/// `text` from the token endpoint, to show in an error: every known secret masked,
/// as sent (a secret may hold a control character) and once more without control
/// characters (which could split one); cut to `max` characters (after the masking,
/// so that a cut cannot leave part of a secret); then line and direction marks
/// escaped (after the cut, so that it splits no escape), so that it reads as it is.
fn shown(text: &str, max: usize, known: &Redactor) -> String {
    let without_controls: String = known.text(text).chars().filter(|c| !c.is_control()).collect();
    let cut: String = known.text(&without_controls).chars().take(max).collect();
    one_line(&cut).into_owned()
}
