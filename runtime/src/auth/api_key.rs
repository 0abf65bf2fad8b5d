//! An API key in a header (`X-API-Key: key`, or with a prefix `Bearer key`) or a query parameter.

use conv_api_definitions::{ApiKeyAuth, KeyLocation};
use reqwest::header::{HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};

use super::{AuthError, Credentials};
use crate::redact::Redactor;
use crate::secrets::{resolve_required, SecretStore};

/// The header name or query parameter for `auth`, checked once when the authorizer is built.
pub(crate) fn header_name(auth: &ApiKeyAuth) -> Result<Option<HeaderName>, AuthError> {
    match auth.location {
        KeyLocation::Header => parse_header_name(&auth.name).map(Some),
        KeyLocation::Query => Ok(None),
    }
}

/// `name` as a header name, or a clear error.
pub(crate) fn parse_header_name(name: &str) -> Result<HeaderName, AuthError> {
    HeaderName::from_bytes(name.as_bytes()).map_err(|_| AuthError::InvalidHeaderName { name: name.to_string() })
}

/// The key from `store`, with its prefix, in the header `header` or in the query.
pub(crate) fn credentials(
    auth: &ApiKeyAuth,
    header: Option<&HeaderName>,
    store: &dyn SecretStore,
    known: &Redactor,
) -> Result<Credentials, AuthError> {
    let key = resolve_required(&auth.value, "value", store)?;
    known.add_secret(&key);
    let value = with_prefix(auth.prefix.as_deref(), &key);
    match header {
        Some(name) => {
            let value = HeaderValue::from_str(value.expose_secret())
                .map_err(|_| AuthError::InvalidHeaderValue { field: "value" })?;
            Ok(Credentials::header(name.clone(), value))
        }
        None => Ok(Credentials::query_pair(&auth.name, value)),
    }
}

/// `prefix key`, or the key alone when there is no prefix.
pub(crate) fn with_prefix(prefix: Option<&str>, key: &SecretString) -> SecretString {
    match prefix.filter(|prefix| !prefix.is_empty()) {
        Some(prefix) => SecretString::from(format!("{prefix} {}", key.expose_secret())),
        None => key.clone(),
    }
}
