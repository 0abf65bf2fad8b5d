//! The auth step of the request pipeline: the one place `send` asks about auth.
//!
//! [`Authenticator::apply`] adds the environment's credentials to a copy of the
//! outgoing request (headers or query pairs) and says which OAuth 2.0 token it
//! carried; [`Authenticator::on_unauthorized`] drops that token after a 401 and asks
//! for one replay; [`Authenticator::redactor_for`] masks the header and query names
//! the configuration makes sensitive.

use std::sync::Arc;

use arc_swap::ArcSwap;

use conv_api_definitions::{Auth, EnvironmentConfig, KeyLocation};
use url::Url;

use super::{
    api_key, immediate_credentials, oauth2, settings, AuthContext, AuthError, Authorizer, Credentials, TokenIdentity,
    TokenSettings,
};
use crate::error::{Error, ErrorKind, Result};
use crate::redact::Redactor;
use crate::secrets::SecretStore;
use crate::send::Outgoing;
use crate::tls::TlsClients;

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
    /// Token endpoint clients with an environment's `tls:` settings.
    token_tls: TlsClients,
    /// The runtime's redactor with one more name masked, one per API-key name.
    masking: ArcSwap<Vec<Redactor>>,
}

impl Authenticator {
    /// Reads secrets from `store`, caches tokens, and registers every value with `redactor`.
    pub(crate) fn new(store: Arc<dyn SecretStore>, redactor: Redactor) -> Result<Self> {
        let token_tls = TlsClients::new(store.clone(), oauth2::client_builder);
        let context = AuthContext::with_redactor(store, TokenSettings::default(), redactor)
            .map_err(|error| Error::new(ErrorKind::Config, error.to_string()))?;
        Ok(Authenticator { context, token_tls, masking: ArcSwap::default() })
    }

    /// The credentials `outgoing` needs for `target` (with the OAuth 2.0 token they
    /// carry, if any); `None` when the environment has no auth.
    ///
    /// Secrets are read on every attempt, so a store may rotate them; a missing one
    /// is [`ErrorKind::MissingSecret`], any other problem [`ErrorKind::Auth`].
    pub(crate) async fn apply(&self, target: &AuthTarget<'_>, outgoing: &Outgoing) -> Result<Option<Credentials>> {
        let Some(config) = target.config.filter(|config| config.auth != Auth::None) else {
            return Ok(None);
        };
        let credentials = match immediate_credentials(config, &self.context, &outgoing.url) {
            Some(credentials) => credentials.map_err(|e| self.auth_error(target, e))?,
            // boxed: a token fetch is a whole request, too large for every call's future
            None => Box::pin(self.fetched_credentials(target, config, &outgoing.url)).await?,
        };
        Ok(Some(credentials))
    }

    /// The credentials of `config` that may need a token fetched first (OAuth 2.0),
    /// over the environment's `tls:` settings when it has any.
    async fn fetched_credentials(
        &self,
        target: &AuthTarget<'_>,
        config: &EnvironmentConfig,
        url: &Url,
    ) -> Result<Credentials> {
        let authorizer = Authorizer::new(config, self.context.clone()).map_err(|e| self.auth_error(target, e))?;
        let authorizer = match self.token_tls.configured_client(target.api, config.environment, Some(config))? {
            Some(client) => authorizer.with_token_client(client),
            None => authorizer,
        };
        authorizer.authorize(url).await.map_err(|e| self.auth_error(target, e))
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

    /// `error` as the runtime's error: `MissingSecret` or `Auth`, saying nothing was
    /// sent, with every known secret masked (a last guard over texts from servers).
    fn auth_error(&self, target: &AuthTarget<'_>, error: AuthError) -> Error {
        let kind = match error {
            AuthError::MissingSecret(_) => ErrorKind::MissingSecret,
            _ => ErrorKind::Auth,
        };
        let message = format!("auth of API `{}`: {error}; nothing was sent", target.api);
        Error::new(kind, self.context.redactor.text(&message))
    }

    /// The runtime's redactor, also masking the header or query name `target`'s auth
    /// uses; made once per name, so a call only clones it.
    pub(crate) fn redactor_for(&self, target: &AuthTarget<'_>) -> Redactor {
        let base = &self.context.redactor;
        let store = self.context.secrets.as_ref();
        let place = match target.auth() {
            Auth::ApiKey(key) => api_key::location_and_name(key, store),
            Auth::OAuth2(oauth) => {
                settings::text(&oauth.header_name, "header_name", store).map(|name| (KeyLocation::Header, name))
            }
            Auth::None | Auth::Basic(_) => return base.clone(),
        };
        // a setting the store lacks fails the call before anything is sent
        let Ok((location, name)) = place else { return base.clone() };
        let name = name.as_ref();
        let masks = |redactor: &Redactor| match location {
            KeyLocation::Header => redactor.is_sensitive_header(name),
            KeyLocation::Query => redactor.is_sensitive_query_param(name),
        };
        if masks(base) {
            return base.clone();
        }
        if let Some(redactor) = self.masking.load().iter().find(|redactor| masks(redactor)) {
            return redactor.clone();
        }
        let mut redactor = base.clone();
        match location {
            KeyLocation::Header => redactor.mask_header(name),
            KeyLocation::Query => redactor.mask_query_param(name),
        }
        self.masking.rcu(|made| {
            let mut made = Vec::clone(made);
            if !made.iter().any(masks) {
                made.push(redactor.clone());
            }
            made
        });
        redactor
    }
}
