//! The auth settings that are not credentials (`location`, `name`, `prefix`,
//! `credentials`, `header_name`, `token_prefix`): as the file writes them, or, when it
//! names a secret for one, read from the store on every use and checked as the file's
//! literals are.

use std::borrow::Cow;

use conv_api_definitions::headers::is_client_header;
use conv_api_definitions::{Choice, Configured, SecretRef, Setting};
use reqwest::header::HeaderName;
use secrecy::ExposeSecret;

use super::AuthError;
use crate::http::header_text::{beyond_latin1, holds_control};
use crate::secrets::{usable_value, MissingSecret, SecretStore};

/// The text of `setting` (for `field`): the literal or the secret's value, trimmed
/// alike (`prefix: "Bearer "` joins its key with one space, as `Bearer` does).
pub(crate) fn text<'a>(
    setting: &'a Setting,
    field: &'static str,
    store: &dyn SecretStore,
) -> Result<Cow<'a, str>, AuthError> {
    match setting {
        Setting::Literal(text) => Ok(Cow::Borrowed(text.trim())),
        Setting::Secret(secret) => Ok(Cow::Owned(read(secret, field, store)?)),
    }
}

/// The text of `setting` (for `field`) that goes before a credential in a header, as
/// [`text`] reads it; one read from the store may hold no control character, as the
/// file's literals may not.
pub(crate) fn prefix<'a>(
    setting: &'a Setting,
    field: &'static str,
    store: &dyn SecretStore,
) -> Result<Cow<'a, str>, AuthError> {
    let prefix = text(setting, field, store)?;
    match setting {
        Setting::Secret(_) if holds_control(&prefix) || beyond_latin1(&prefix).is_some() => {
            Err(not_header_text(setting, field, &prefix))
        }
        _ => Ok(prefix),
    }
}

/// The error of `setting` (for `field`), whose `value` holds a control character or
/// one beyond Latin-1, which its header cannot carry: naming the secret that holds
/// it, if one does, and which of the two it holds (never the character).
pub(crate) fn not_header_text(setting: &Setting, field: &'static str, value: &str) -> AuthError {
    let holds = match holds_control(value) {
        true => "it holds a control character, such as CR, LF or a tab",
        false => "it holds a character beyond Latin-1 (ISO-8859-1, in which header values are sent)",
    };
    match setting {
        Setting::Secret(secret) => invalid(
            field,
            secret,
            format!("text with no control character and nothing beyond Latin-1, which an HTTP header cannot carry ({holds})"),
        ),
        Setting::Literal(_) => AuthError::InvalidHeaderValue { field },
    }
}

/// The error of `setting`, a Basic auth username holding `:`: naming the secret
/// that holds it, if one does (the definitions refuse a literal one).
pub(crate) fn username_with_colon(setting: &Setting) -> AuthError {
    match setting {
        Setting::Secret(secret) => {
            invalid("username", secret, "a username without `:`, which HTTP Basic cannot carry (RFC 7617)".into())
        }
        Setting::Literal(_) => AuthError::UsernameWithColon,
    }
}

/// The value of `setting` (for `field`): the literal, or the word the secret holds.
pub(crate) fn choice<T: Choice>(
    setting: &Configured<T>,
    field: &'static str,
    store: &dyn SecretStore,
) -> Result<T, AuthError> {
    match setting {
        Configured::Literal(value) => Ok(*value),
        Configured::Secret(secret) => {
            let word = read(secret, field, store)?;
            T::from_word(&word).ok_or_else(|| {
                let words: Vec<String> = T::CHOICES.iter().map(|(word, _)| format!("`{word}`")).collect();
                invalid(field, secret, format!("one of {}", words.join(", ")))
            })
        }
    }
}

/// The header name `setting` (for `field`) gives; a name read from the store is not shown
/// in the error, a literal one is.
pub(crate) fn header_name(
    setting: &Setting,
    field: &'static str,
    store: &dyn SecretStore,
) -> Result<HeaderName, AuthError> {
    as_header_name(&text(setting, field, store)?, setting, field)
}

/// `name`, the text of `setting` (for `field`) already read, as a header name.
/// The definitions refuse a literal name the HTTP client writes itself
/// ([`is_client_header`]); one read from the store is refused here.
pub(crate) fn as_header_name(name: &str, setting: &Setting, field: &'static str) -> Result<HeaderName, AuthError> {
    let expected = "a valid HTTP header name (no space, `:`, `/`, quote or other separator; letters, digits and `-` always work) other than those the HTTP client writes itself (`Host`, `Content-Length`, `Transfer-Encoding`, `Connection` ...)";
    settable_header(name).ok_or_else(|| match setting {
        Setting::Literal(name) => AuthError::InvalidHeaderName { name: name.to_string() },
        Setting::Secret(secret) => invalid(field, secret, expected.into()),
    })
}

/// `name` as a header auth may set: a valid name, and not one the HTTP client writes
/// itself from the request (a key sent as `Content-Length` would break the request).
pub(crate) fn settable_header(name: &str) -> Option<HeaderName> {
    HeaderName::from_bytes(name.as_bytes()).ok().filter(|header| !is_client_header(header.as_str()))
}

fn read(secret: &SecretRef, field: &'static str, store: &dyn SecretStore) -> Result<String, AuthError> {
    // empty is missing here too, as `missing_secrets` reports it (an empty prefix is
    // written as the literal `prefix: ""`)
    let value = usable_value(store, &secret.name).ok_or_else(|| MissingSecret::new(field, secret).in_store(store))?;
    Ok(value.expose_secret().trim().to_string())
}

fn invalid(field: &'static str, secret: &SecretRef, expected: String) -> AuthError {
    AuthError::InvalidSetting { field, secret: secret.name.to_string(), expected }
}
