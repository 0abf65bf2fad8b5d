//! HTTP Basic (RFC 7617): `Authorization: Basic base64(username:password)`.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use conv_api_definitions::{BasicAuth, Setting};
use percent_encoding::percent_decode_str;
use reqwest::header::{HeaderValue, AUTHORIZATION};
use secrecy::{ExposeSecret, SecretString};
use url::Url;

use super::{settings, AuthError, Credentials};
use crate::redact::Redactor;
use crate::secrets::{resolve_required, SecretStore};

/// The shortest username read from the secret store that is masked in logs.
const TOKEN_LIKE: usize = 16;

/// The `Authorization` header for `auth`, with the username and password from `store`
/// (a username read from the store, of 16 characters or more, is masked in logs, as
/// the password is).
pub(crate) fn credentials(
    auth: &BasicAuth,
    store: &dyn SecretStore,
    known: &Redactor,
) -> Result<Credentials, AuthError> {
    let username = username(auth, store)?;
    let password = resolve_required(&auth.password, "password", store)?;
    credentials_of(auth, &username, &password, known)
}

/// The credentials of `username` (read, and without `:`) and `password` as `auth`
/// sends them, whose values `known` learns.
pub(crate) fn credentials_of(
    auth: &BasicAuth,
    username: &SecretString,
    password: &SecretString,
    known: &Redactor,
) -> Result<Credentials, AuthError> {
    // kept in the secret store and as long as a token, it is likely the credential
    // itself (an API token sent as the username): masked like the password; a
    // shorter one (`agent`, `api`) is a name, which masking would garble texts with
    if matches!(auth.username, Setting::Secret(_)) && username.expose_secret().chars().count() >= TOKEN_LIKE {
        known.add_secret(username);
    }
    let header = basic_header(username, password, known);
    let value = HeaderValue::from_str(header.expose_secret())
        .map_err(|_| AuthError::InvalidHeaderValue { field: "password" })?;
    Ok(Credentials::header(AUTHORIZATION, value))
}

/// Every setting of `auth` a call would refuse with the values in `store`, each read
/// on its own: a missing secret, a username with `:` (the password goes base64-encoded,
/// any text).
pub(crate) fn problems(auth: &BasicAuth, store: &dyn SecretStore) -> Vec<AuthError> {
    let password = resolve_required(&auth.password, "password", store).map_err(AuthError::from);
    [username(auth, store).map(drop), password.map(drop)].into_iter().filter_map(Result::err).collect()
}

/// The username of `auth` from `store`; one with `:` is refused.
fn username(auth: &BasicAuth, store: &dyn SecretStore) -> Result<SecretString, AuthError> {
    let username = resolve_required(&auth.username, "username", store)?;
    if username.expose_secret().contains(':') {
        return Err(settings::username_with_colon(&auth.username));
    }
    Ok(username)
}

/// The user info of `url` (`https://user:password@host/`), taken out of it, as an
/// `Authorization: Basic` value marked sensitive: what reqwest's request builder makes
/// of it. `None` when the URL has none, or user info that does not decode to UTF-8,
/// which then stays in the URL as it does there. Its credentials are told to `known`
/// again, as auth tells the values it uses on every attempt, so that the redactor
/// keeps them among the values in use however many others are added.
pub(crate) fn take_url_user_info(url: &mut Url, known: &Redactor) -> Option<HeaderValue> {
    let (username, password) = conv_api_definitions::urls::user_info(url)?;
    // both setters fail only for URLs that cannot have user info, which have none
    let _ = url.set_username("");
    let _ = url.set_password(None);
    let pair = know_user_info(&username, &password, known);
    let mut value = HeaderValue::from_str(basic_value(&pair).expose_secret()).ok()?;
    value.set_sensitive(true);
    Some(value)
}

/// Tells `known` the credentials in `url`'s user info, which
/// [`take_url_user_info`] sends as Basic auth, when the URL is parsed: it is cleaned
/// of them before any attempt takes them.
pub(crate) fn know_url_user_info(url: &Url, known: &Redactor) {
    if url.username().is_empty() && url.password().is_none() {
        return;
    }
    let decode = |text: &str| percent_decode_str(text).decode_utf8_lossy().into_owned();
    know_user_info(&decode(url.username()), &decode(url.password().unwrap_or_default()), known);
}

/// Tells `known` the password (or a username given alone) and the `user:password`
/// pair whose base64 is the Basic auth value; returns the pair.
fn know_user_info(username: &str, password: &str, known: &Redactor) -> SecretString {
    // without a password the username is the credential (an API key sent as one)
    let secret = if password.is_empty() { username } else { password };
    if !secret.is_empty() {
        known.add_secret(&SecretString::from(secret.to_owned()));
    }
    let pair = SecretString::from(format!("{username}:{password}"));
    known.add_secret(&pair);
    pair
}

/// `Basic base64(username:password)`, registering the password and the pair with the redactor `known`.
pub(crate) fn basic_header(username: &SecretString, password: &SecretString, known: &Redactor) -> SecretString {
    let pair = SecretString::from(format!("{}:{}", username.expose_secret(), password.expose_secret()));
    known.add_secret(password);
    known.add_secret(&pair);
    basic_value(&pair)
}

/// `Basic base64(pair)`, for `pair` being `username:password`.
fn basic_value(pair: &SecretString) -> SecretString {
    SecretString::from(format!("Basic {}", STANDARD.encode(pair.expose_secret())))
}
