//! An API key in a header (`X-API-Key: key`, or with a prefix `Bearer key`) or a query parameter.

use std::borrow::Cow;

use conv_api_definitions::{ApiKeyAuth, KeyLocation};
use reqwest::header::{HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};

use super::{settings, AuthError, Credentials};
use crate::http::header_text::header_value;
use crate::redact::Redactor;
use crate::secrets::{resolve_required, SecretStore};

/// Where an API key goes.
#[derive(Clone, Debug)]
pub(crate) enum KeyPlace<'a> {
    /// In this header.
    Header(HeaderName),
    /// In the query parameter of this name.
    Query(Cow<'a, str>),
}

/// Where `auth` puts the key, its `location` and `name` read now (either may name a secret).
pub(crate) fn place<'a>(auth: &'a ApiKeyAuth, store: &dyn SecretStore) -> Result<KeyPlace<'a>, AuthError> {
    match location_and_name(auth, store)? {
        (KeyLocation::Header, name) => settings::as_header_name(&name, &auth.name, "name").map(KeyPlace::Header),
        (KeyLocation::Query, name) => Ok(KeyPlace::Query(name)),
    }
}

/// The `location` and `name` of `auth`, read now, the name not yet checked as a header
/// name (the redactor masks by the text alone).
pub(crate) fn location_and_name<'a>(
    auth: &'a ApiKeyAuth,
    store: &dyn SecretStore,
) -> Result<(KeyLocation, Cow<'a, str>), AuthError> {
    Ok((settings::choice(&auth.location, "location", store)?, settings::text(&auth.name, "name", store)?))
}

/// The key from `store`, with its prefix, at `place`.
pub(crate) fn credentials(
    auth: &ApiKeyAuth,
    place: KeyPlace<'_>,
    store: &dyn SecretStore,
    known: &Redactor,
) -> Result<Credentials, AuthError> {
    let key = resolve_required(&auth.value, "value", store)?;
    known.add_secret(&key);
    let prefix = auth.prefix.as_ref().map(|prefix| settings::prefix(prefix, "prefix", store)).transpose()?;
    let value = with_prefix(prefix.as_deref(), &key);
    match place {
        KeyPlace::Header(name) => Ok(Credentials::header(name, in_header(auth, &value)?)),
        KeyPlace::Query(name) => Ok(Credentials::query_pair(&name, value.into_owned())),
    }
}

/// Every setting of `auth` a call would refuse with the values in `store`, each read
/// and checked on its own; the checks of a header (its name, a key it can carry) wait
/// for a `location` that names a place.
pub(crate) fn problems(auth: &ApiKeyAuth, store: &dyn SecretStore) -> Vec<AuthError> {
    let location = settings::choice(&auth.location, "location", store);
    let in_a_header = matches!(location, Ok(KeyLocation::Header));
    let name = settings::text(&auth.name, "name", store).and_then(|name| {
        if in_a_header {
            settings::as_header_name(&name, &auth.name, "name").map(drop)
        } else {
            Ok(())
        }
    });
    let key = resolve_required(&auth.value, "value", store).map_err(AuthError::from).and_then(|key| {
        if in_a_header {
            in_header(auth, &key).map(drop)
        } else {
            Ok(())
        }
    });
    let prefix = auth.prefix.as_ref().map_or(Ok(()), |prefix| settings::prefix(prefix, "prefix", store).map(drop));
    [location.map(drop), name, key, prefix].into_iter().filter_map(Result::err).collect()
}

/// `value`, the key of `auth` with its prefix, as a header value; a key with a control
/// character or one beyond Latin-1 is refused naming its secret (a prefix with one is
/// refused when read).
fn in_header(auth: &ApiKeyAuth, value: &SecretString) -> Result<HeaderValue, AuthError> {
    header_value(value.expose_secret())
        .map_err(|_| settings::not_header_text(&auth.value, "value", value.expose_secret()))
}

/// `prefix key`, or the key alone (not copied) when there is no prefix.
pub(crate) fn with_prefix<'k>(prefix: Option<&str>, key: &'k SecretString) -> Cow<'k, SecretString> {
    match prefix.filter(|prefix| !prefix.is_empty()) {
        Some(prefix) => Cow::Owned(SecretString::from(format!("{prefix} {}", key.expose_secret()))),
        None => Cow::Borrowed(key),
    }
}
