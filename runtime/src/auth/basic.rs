//! HTTP Basic (RFC 7617): `Authorization: Basic base64(username:password)`.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use conv_api_definitions::BasicAuth;
use reqwest::header::{HeaderValue, AUTHORIZATION};
use secrecy::{ExposeSecret, SecretString};

use super::{AuthError, Credentials};
use crate::redact::Redactor;
use crate::secrets::{resolve_required, SecretStore};

/// The `Authorization` header for `auth`, with the username and password from `store`.
pub(crate) fn credentials(
    auth: &BasicAuth,
    store: &dyn SecretStore,
    known: &Redactor,
) -> Result<Credentials, AuthError> {
    let username = resolve_required(&auth.username, "username", store)?;
    if username.expose_secret().contains(':') {
        return Err(AuthError::UsernameWithColon);
    }
    let password = resolve_required(&auth.password, "password", store)?;
    let header = basic_header(&username, &password, known);
    let value = HeaderValue::from_str(header.expose_secret())
        .map_err(|_| AuthError::InvalidHeaderValue { field: "password" })?;
    Ok(Credentials::header(AUTHORIZATION, value))
}

/// `Basic base64(username:password)`, registering the password and the pair with the redactor `known`.
pub(crate) fn basic_header(username: &SecretString, password: &SecretString, known: &Redactor) -> SecretString {
    let pair = SecretString::from(format!("{}:{}", username.expose_secret(), password.expose_secret()));
    known.add_secret(password);
    known.add_secret(&pair);
    SecretString::from(format!("Basic {}", STANDARD.encode(pair.expose_secret())))
}
