//! What can go wrong while authorizing a request; no variant holds a secret.

use crate::auth::oauth2::TokenError;
use crate::secrets::MissingSecret;

/// Why a request could not be authorized; nothing was sent to the API.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// A secret the auth needs is not in the store.
    #[error(transparent)]
    MissingSecret(#[from] MissingSecret),
    /// A basic auth username with `:`, which HTTP Basic cannot carry, given in code
    /// (one read from the store is [`InvalidSetting`](AuthError::InvalidSetting), naming its secret).
    #[error(
        "the basic auth `username` contains `:`, which HTTP Basic cannot carry (RFC 7617); use a username without `:`"
    )]
    UsernameWithColon,
    /// The request would carry credentials over plain `http` to a host that is not loopback.
    #[error(
        "credentials never travel in clear text: `{url}` is not `https`; use `https` ({})",
        conv_api_definitions::urls::PLAIN_HTTP_ALLOWED
    )]
    #[non_exhaustive]
    ClearText {
        /// The target URL without user info or query.
        url: String,
    },
    /// The OAuth 2.0 token URL is not usable.
    #[error("the oauth2 `token_url` {problem}")]
    #[non_exhaustive]
    InvalidTokenUrl {
        /// What is wrong and how to fix it.
        problem: String,
    },
    /// A credential not read from the store (an OAuth 2.0 access token, a value given
    /// in code) holds characters an HTTP header cannot carry (a control character, or
    /// one beyond Latin-1); one read from the store is
    /// [`InvalidSetting`](AuthError::InvalidSetting), naming its secret.
    #[error("the auth `{field}` contains a control character (such as CR or LF) or a character beyond Latin-1 (ISO-8859-1, in which header values are sent), which an HTTP header cannot carry; remove it")]
    #[non_exhaustive]
    InvalidHeaderValue {
        /// The auth field whose value is wrong.
        field: &'static str,
    },
    /// The configured header name is not a valid HTTP header name, or is one the HTTP
    /// client writes itself.
    #[error("the auth header name `{name}` is not one auth may set: use letters, digits and `-`, and not a header the HTTP client writes itself (`Host`, `Content-Length`, `Transfer-Encoding`, `Connection` ...)")]
    #[non_exhaustive]
    InvalidHeaderName {
        /// The name as configured.
        name: String,
    },
    /// A setting read from the secret store is set to a value the setting cannot take.
    #[error("the secret `{secret}` (the auth `{field}`) must hold {expected}; fix its value in the secret store")]
    #[non_exhaustive]
    InvalidSetting {
        /// The auth field the secret is for.
        field: &'static str,
        /// The secret's name (never its value).
        secret: String,
        /// What the value must be.
        expected: String,
    },
    /// The HTTP client for token requests could not be built.
    #[error("cannot build the HTTP client for oauth2 token requests: {0}")]
    Client(String),
    /// The OAuth 2.0 token request failed.
    #[error(transparent)]
    Token(#[from] TokenError),
}

impl AuthError {
    /// Whether authorizing again later may succeed: only a token request that failed
    /// for a reason that may pass ([`TokenError::is_transient`]).
    pub fn is_transient(&self) -> bool {
        matches!(self, AuthError::Token(token) if token.is_transient())
    }

    /// How long the token endpoint asked to wait before it is asked again
    /// ([`TokenError::retry_after`]).
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        match self {
            AuthError::Token(token) => token.retry_after(),
            _ => None,
        }
    }
}

/// `url` without user info, query and fragment, for messages.
pub(crate) fn display_url(url: &url::Url) -> String {
    let mut url = url.clone();
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.set_query(None);
    url.set_fragment(None);
    url.to_string()
}
