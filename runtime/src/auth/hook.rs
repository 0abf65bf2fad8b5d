//! The auth step of the request pipeline: the one place `send` asks about auth.
//!
//! [`Authenticator::apply`] adds the environment's credentials to a copy of the
//! outgoing request (headers or query pairs) and says which OAuth 2.0 token it
//! carried; [`Authenticator::on_unauthorized`] drops that token after a 401 and asks
//! for one replay; [`Authenticator::redactor_for`] masks the header and query names
//! the configuration makes sensitive.

use std::sync::Arc;

use conv_api_definitions::{Auth, EnvironmentConfig, KeyLocation};

use super::{AuthContext, AuthError, Authorizer, TokenIdentity, TokenSettings};
use crate::error::{Error, ErrorKind, Result};
use crate::redact::Redactor;
use crate::secrets::SecretStore;
use crate::send::Outgoing;

/// The API and environment a request authenticates for.
pub(crate) struct AuthTarget<'a> {
    /// The API's name.
    pub(crate) api: &'a str,
    /// The environment's configuration; `None` when only a base URL override exists.
    pub(crate) config: Option<&'a EnvironmentConfig>,
}

impl AuthTarget<'_> {
    fn auth(&self) -> &Auth {
        self.config.map_or(&Auth::None, |config| &config.auth)
    }
}

/// What to do after a 401 answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Replay {
    /// Credentials were refreshed: apply them again and send the request once more.
    Once,
    /// Return the 401 response to the caller.
    No,
}

/// Adds credentials to requests; shared by every conversation of a runtime.
#[derive(Debug)]
pub(crate) struct Authenticator {
    context: AuthContext,
}

impl Authenticator {
    /// Reads secrets from `store`, caches tokens, and registers every value with `redactor`.
    pub(crate) fn new(store: Arc<dyn SecretStore>, redactor: Redactor) -> Result<Self> {
        let context = AuthContext::with_redactor(store, TokenSettings::default(), redactor)
            .map_err(|error| Error::new(ErrorKind::Config, error.to_string()))?;
        Ok(Authenticator { context })
    }

    /// Adds the credentials `target` needs to `outgoing`; the OAuth 2.0 token it carries, if any.
    ///
    /// Secrets are read on every attempt, so a store may rotate them; a missing one
    /// is [`ErrorKind::MissingSecret`], any other problem [`ErrorKind::Auth`].
    pub(crate) async fn apply(
        &self,
        target: &AuthTarget<'_>,
        outgoing: &mut Outgoing,
    ) -> Result<Option<TokenIdentity>> {
        let Some(config) = target.config.filter(|config| config.auth != Auth::None) else {
            return Ok(None);
        };
        let authorizer = Authorizer::new(config, self.context.clone()).map_err(|e| auth_error(target, e))?;
        let credentials = authorizer.authorize(&outgoing.url).await.map_err(|e| auth_error(target, e))?;
        credentials.apply_to_headers(&mut outgoing.headers);
        credentials.apply_to_url(&mut outgoing.url);
        Ok(credentials.token_identity())
    }

    /// Whether a request that got a 401 answer is sent once more: only when it carried
    /// an OAuth 2.0 token, which is dropped first (unless a concurrent call already
    /// replaced it), so the replay fetches or shares a fresh one.
    pub(crate) fn on_unauthorized(&self, token: Option<TokenIdentity>) -> Replay {
        match token {
            Some(identity) => {
                self.context.tokens.invalidate(identity);
                Replay::Once
            }
            None => Replay::No,
        }
    }

    /// `base` also masking the header and query names `target`'s auth uses.
    pub(crate) fn redactor_for(&self, base: &Redactor, target: &AuthTarget<'_>) -> Redactor {
        let mut redactor = base.clone();
        match target.auth() {
            Auth::ApiKey(key) if key.location == KeyLocation::Header => redactor.mask_header(&key.name),
            Auth::ApiKey(key) => redactor.mask_query_param(&key.name),
            Auth::OAuth2(oauth) => redactor.mask_header(&oauth.header_name),
            Auth::None | Auth::Basic(_) => {}
        }
        redactor
    }
}

/// `error` as the runtime's error: `MissingSecret` or `Auth`, saying nothing was sent.
fn auth_error(target: &AuthTarget<'_>, error: AuthError) -> Error {
    let kind = match error {
        AuthError::MissingSecret(_) => ErrorKind::MissingSecret,
        _ => ErrorKind::Auth,
    };
    Error::new(kind, format!("auth of API `{}`: {error}; nothing was sent", target.api))
}
