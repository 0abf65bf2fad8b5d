//! What authorizing one request attempt gives: headers and query pairs to add.

use std::fmt;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use url::Url;

/// Which OAuth 2.0 token a request carried; hand it back to
/// [`Authorizer::invalidate`](crate::auth::Authorizer::invalidate) after a 401.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TokenIdentity(pub(crate) u64);

/// The credentials for one request attempt: headers (marked sensitive) and query pairs.
///
/// `Debug` shows the header and parameter names only.
#[derive(Default)]
pub struct Credentials {
    /// Every auth method sets at most one header.
    header: Option<(HeaderName, HeaderValue)>,
    query: Vec<(String, SecretString)>,
    token: Option<TokenIdentity>,
}

impl Credentials {
    /// No credentials (`auth_type: none`).
    pub fn none() -> Self {
        Credentials::default()
    }

    /// Credentials in one header; the value is marked sensitive.
    pub(crate) fn header(name: HeaderName, mut value: HeaderValue) -> Self {
        value.set_sensitive(true);
        Credentials { header: Some((name, value)), ..Credentials::default() }
    }

    /// Credentials in one query parameter.
    pub(crate) fn query_pair(name: &str, value: SecretString) -> Self {
        Credentials { query: vec![(name.to_string(), value)], ..Credentials::default() }
    }

    /// These credentials, marked as carrying the token `identity`.
    pub(crate) fn with_token(mut self, identity: TokenIdentity) -> Self {
        self.token = Some(identity);
        self
    }

    /// The headers to set (replacing any of the same name).
    pub fn headers(&self) -> &[(HeaderName, HeaderValue)] {
        self.header.as_slice()
    }

    /// The query parameters to append, as name and value.
    pub fn query_pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.query.iter().map(|(name, value)| (name.as_str(), value.expose_secret()))
    }

    /// The OAuth 2.0 token carried, if any; pass it to `invalidate` after a 401.
    pub fn token_identity(&self) -> Option<TokenIdentity> {
        self.token
    }

    /// Sets the headers in `headers`, replacing values of the same name.
    pub fn apply_to_headers(&self, headers: &mut HeaderMap) {
        for (name, value) in self.headers() {
            headers.insert(name.clone(), value.clone());
        }
    }

    /// Moves the credentials into an attempt's `url` and `headers`, and returns the
    /// OAuth 2.0 token they carried, if any.
    pub(crate) fn add_to(self, url: &mut Url, headers: &mut HeaderMap) -> Option<TokenIdentity> {
        self.apply_to_url(url);
        if let Some((name, value)) = self.header {
            headers.insert(name, value);
        }
        self.token
    }

    /// Adds the query pairs to `url` (encoded by the URL library), replacing pairs of
    /// the same name in any ASCII case, as headers are replaced: `?key=x` or `?KEY=x`
    /// from the resource or the caller does not go out next to the API key, where a
    /// server (some read names in any case) might read it first. The other pairs stay
    /// as written.
    pub fn apply_to_url(&self, url: &mut Url) {
        if self.query.is_empty() {
            return;
        }
        let ours = |pair: &str| {
            let name = url::form_urlencoded::parse(pair.as_bytes()).next().map(|(name, _)| name);
            name.is_some_and(|name| self.query_pairs().any(|(own, _)| own.eq_ignore_ascii_case(&name)))
        };
        if let Some(query) = url.query().filter(|query| query.split('&').any(ours)) {
            let kept = query.split('&').filter(|pair| !ours(pair)).collect::<Vec<_>>().join("&");
            url.set_query(Some(&kept).filter(|kept| !kept.is_empty()).map(String::as_str));
        }
        let mut pairs = url.query_pairs_mut();
        for (name, value) in self.query_pairs() {
            pairs.append_pair(name, value);
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<&str> = self.headers().iter().map(|(name, _)| name.as_str()).collect();
        let query: Vec<&str> = self.query.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("Credentials")
            .field("headers", &headers)
            .field("query", &query)
            .field("token", &self.token)
            .finish()
    }
}
